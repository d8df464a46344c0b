/* The YAML loader (core/yaml_model): positions of keys and values, scalar types, duplicate keys,
 * aliases and the alias bomb limit, merge keys, the depth limit with 10,000-deep nesting, UTF-8
 * errors with their position, binary input, the size limit, empty documents, source lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/yaml_model.h"

static struct csf_yaml_doc *
load_ok(const char *text)
{
	struct csf_yaml_doc *doc = NULL;
	struct csf_error err = CSF_ERROR_INIT;

	if (csf_yaml_load_mem("t.yaml", text, strlen(text), NULL, &doc, &err))
		print_message("unexpected error: %s at %u:%u\n", err.msg, err.loc.line, err.loc.col);
	assert_non_null(doc);
	return doc;
}

static enum csf_status
load_err(const char *text, size_t len, const struct csf_yaml_limits *lim, struct csf_error *err)
{
	struct csf_yaml_doc *doc = (struct csf_yaml_doc *)1;
	enum csf_status st = csf_yaml_load_mem("bad.yaml", text, len, lim, &doc, err);

	assert_null(doc);
	assert_string_equal(err->file, "bad.yaml");
	return st;
}

static void
assert_loc(const struct csf_node *n, unsigned line, unsigned col)
{
	assert_non_null(n);
	if (n->loc.line != line || n->loc.col != col)
		print_message("node at %u:%u, expected %u:%u\n", n->loc.line, n->loc.col, line, col);
	assert_int_equal(n->loc.line, line);
	assert_int_equal(n->loc.col, col);
}

static void
test_yaml_model_marks_of_keys_and_values(void **state)
{
	static const char text[] = "a: 1\nb:\n  c: [x, 'y']\n  d: |\n    two\n    lines\n";
	struct csf_yaml_doc *doc = load_ok(text);
	const struct csf_node *root = doc->root, *c, *y;

	(void)state;
	assert_true(csf_node_is_map(root));
	assert_loc(csf_node_get_key(root, "a"), 1, 1);
	assert_loc(csf_node_get(root, "a"), 1, 4);
	assert_int_equal(csf_node_get(root, "a")->off, 3);
	assert_int_equal(csf_node_get(root, "a")->end_off, 4);
	assert_loc(csf_node_get_key(root, "b"), 2, 1);
	assert_loc(csf_node_path(root, "b.c"), 3, 6);
	c = csf_node_path(root, "b.c");
	assert_int_equal(c->style, CSF_STYLE_FLOW);
	assert_int_equal(c->n, 2);
	y = csf_node_path(root, "b.c[1]");
	assert_loc(y, 3, 10);
	assert_int_equal(y->style, CSF_STYLE_SINGLE);
	assert_int_equal(y->off, (size_t)(strstr(text, "'y'") - text));
	assert_int_equal(y->end_off, y->off + 3);
	assert_string_equal(csf_node_str(y), "y");
	assert_int_equal(csf_node_path(root, "b.d")->style, CSF_STYLE_LITERAL);
	assert_string_equal(csf_node_str(csf_node_path(root, "b.d")), "two\nlines\n");
	assert_ptr_equal(csf_node_get(root, "a")->file, doc->path);
	csf_yaml_doc_free(doc);
}

static void
test_yaml_model_marks_count_characters_not_bytes(void **state)
{
	static const char text[] = "name: Zoë Müller\nk: v\n";
	struct csf_yaml_doc *doc = load_ok(text);
	const struct csf_node *name = csf_node_get(doc->root, "name"), *v = csf_node_get(doc->root, "k");

	(void)state;
	assert_loc(name, 1, 7);
	assert_int_equal(name->end.col, 17);		/* 10 characters after column 7 */
	assert_int_equal(name->end_off, 6 + strlen("Zoë Müller"));	/* 12 bytes */
	assert_loc(v, 2, 4);
	assert_int_equal(v->off, (size_t)(strstr(text, "v\n") - text));
	csf_yaml_doc_free(doc);
}

static void
test_yaml_model_scalar_types(void **state)
{
	struct csf_yaml_doc *doc = load_ok("n: ~\nn2: null\nt: true\nf: False\ni: 42\nh: 0x1f\n"
					   "x: 1.5\ninf: .inf\ns: \"1\"\nw: word\nv: 1.2.3\nneg: -7\n");
	const struct csf_node *r = doc->root;
	long long i;
	double d;
	bool b;

	(void)state;
	assert_true(csf_node_is_null(csf_node_get(r, "n")));
	assert_true(csf_node_is_null(csf_node_get(r, "n2")));
	assert_true(csf_node_bool(csf_node_get(r, "t"), &b) && b);
	assert_true(csf_node_bool(csf_node_get(r, "f"), &b) && !b);
	assert_true(csf_node_int(csf_node_get(r, "i"), &i) && i == 42);
	assert_true(csf_node_int(csf_node_get(r, "h"), &i) && i == 31);
	assert_true(csf_node_num(csf_node_get(r, "x"), &d) && d == 1.5);
	assert_string_equal(csf_node_type_name(csf_node_get(r, "inf")), "number");
	assert_string_equal(csf_node_type_name(csf_node_get(r, "s")), "string");
	assert_string_equal(csf_node_text(csf_node_get(r, "s")), "1");
	assert_string_equal(csf_node_type_name(csf_node_get(r, "w")), "string");
	assert_string_equal(csf_node_type_name(csf_node_get(r, "v")), "string");
	assert_true(csf_node_int(csf_node_get(r, "neg"), &i) && i == -7);
	assert_null(csf_node_text(csf_node_get(r, "i")));
	csf_yaml_doc_free(doc);
}

static void
test_yaml_model_duplicate_keys(void **state)
{
	struct csf_yaml_doc *doc = load_ok("a: 1\nb: 2\na: 3\nm: {x: 1, x: 2}\n");
	struct csf_buf big = CSF_BUF_INIT;
	int k;

	(void)state;
	/* Recorded as each mapping ends: the inner one first. */
	assert_int_equal(doc->ndups, 2);
	assert_loc(doc->dups[0].first, 4, 5);
	assert_loc(doc->dups[0].dup, 4, 11);
	assert_loc(doc->dups[1].first, 1, 1);
	assert_loc(doc->dups[1].dup, 3, 1);
	assert_string_equal(csf_node_str(csf_node_get(doc->root, "a")), "3");	/* last wins */
	csf_yaml_doc_free(doc);
	/* A mapping with more than 16 keys takes the sorting path. */
	for (k = 0; k < 40; k++)
		csf_buf_addf(&big, "key%02d: %d\n", k, k);
	csf_buf_addstr(&big, "key07: again\nkey33: again\n");
	doc = load_ok(big.buf);
	assert_int_equal(doc->ndups, 2);
	assert_loc(doc->dups[0].first, 8, 1);
	assert_loc(doc->dups[0].dup, 41, 1);
	assert_loc(doc->dups[1].first, 34, 1);
	assert_loc(doc->dups[1].dup, 42, 1);
	csf_yaml_doc_free(doc);
	csf_buf_release(&big);
}

static void
test_yaml_model_aliases_and_the_alias_bomb(void **state)
{
	static const char bomb[] =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
	struct csf_yaml_doc *doc = load_ok("base: &b {x: 1}\nuse: *b\n");
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_yaml_limits lim = { 0, 0, 50 };

	(void)state;
	/* Aliases share the anchored node. */
	assert_ptr_equal(csf_node_get(doc->root, "use"), csf_node_get(doc->root, "base"));
	csf_yaml_doc_free(doc);
	assert_int_equal(load_err(bomb, strlen(bomb), NULL, &err), CSF_E_LIMIT);
	assert_non_null(strstr(err.msg, "alias bomb"));
	assert_int_equal(err.loc.line, 6);
	/* The limit is the expanded size, so a small limit catches a small expansion. */
	assert_int_equal(load_err("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a, *a, *a]\n",
				  61, &lim, &err), CSF_E_LIMIT);
	assert_int_equal(load_err("a: *nope\n", 9, NULL, &err), CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "unknown alias"));
}

/* Found by the fuzzer: an alias inside the node it names made the tree cyclic, and every walker
 * over it ran forever. Such an alias is an error; the tree is always acyclic. */
static void
test_yaml_model_recursive_alias_is_an_error(void **state)
{
	static const char seq[] = "b: &b [*b, x]\n";
	static const char map[] = "m: &m\n  k: v\n  self: *m\n";
	static const char merge[] = "m: &m\n  <<: *m\n";
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_yaml_doc *doc;

	(void)state;
	assert_int_equal(load_err(seq, sizeof(seq) - 1, NULL, &err), CSF_E_PARSE);
	assert_string_equal(err.msg, "alias '*b' refers to the node that contains it (a recursive "
				     "alias)");
	assert_int_equal(err.loc.line, 1);
	assert_int_equal(err.loc.col, 8);
	assert_int_equal(load_err(map, sizeof(map) - 1, NULL, &err), CSF_E_PARSE);
	assert_int_equal(err.loc.line, 3);
	assert_int_equal(load_err(merge, sizeof(merge) - 1, NULL, &err), CSF_E_PARSE);
	/* An earlier anchor of the same name is still fine to use. */
	doc = load_ok("a: &x [1]\nb: &x [*x, 2]\nc: *x\n");
	assert_ptr_equal(csf_node_path(doc->root, "b[0]"), csf_node_get(doc->root, "a"));
	assert_ptr_equal(csf_node_get(doc->root, "c"), csf_node_get(doc->root, "b"));
	csf_yaml_doc_free(doc);
}

static void
test_yaml_model_merge_keys(void **state)
{
	struct csf_yaml_doc *doc = load_ok("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n"
					   "n:\n  <<: [*b, {z: 4}]\n");
	const struct csf_node *m = csf_node_get(doc->root, "m"), *n = csf_node_get(doc->root, "n");

	(void)state;
	assert_string_equal(csf_node_str(csf_node_get(m, "x")), "1");
	assert_string_equal(csf_node_str(csf_node_get(m, "y")), "3");
	assert_null(csf_node_get(m, "<<"));
	assert_int_equal(m->n, 2);
	assert_string_equal(csf_node_str(csf_node_get(n, "z")), "4");
	assert_string_equal(csf_node_str(csf_node_get(n, "x")), "1");
	assert_int_equal(doc->ndups, 0);
	csf_yaml_doc_free(doc);
}

static void
test_yaml_model_depth_limit_10000_deep(void **state)
{
	struct csf_buf b = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_yaml_doc *doc;
	int i;

	(void)state;
	csf_buf_addchars(&b, '[', 10000);
	csf_buf_addchars(&b, ']', 10000);
	assert_int_equal(load_err(b.buf, b.len, NULL, &err), CSF_E_LIMIT);
	assert_string_equal(err.msg, "nesting deeper than 128 levels");
	assert_int_equal(err.loc.line, 1);
	assert_int_equal(err.loc.col, 129);
	/* Block mappings nest the same way (1,000 levels: 10,000 would pass the size limit). */
	csf_buf_reset(&b);
	for (i = 0; i < 1000; i++) {
		csf_buf_addchars(&b, ' ', (size_t)i);
		csf_buf_addstr(&b, "k:\n");
	}
	assert_int_equal(load_err(b.buf, b.len, NULL, &err), CSF_E_LIMIT);
	assert_int_equal(err.loc.line, 129);
	/* 100 levels are fine. */
	csf_buf_reset(&b);
	csf_buf_addchars(&b, '[', 100);
	csf_buf_addchars(&b, ']', 100);
	doc = load_ok(b.buf);
	csf_yaml_doc_free(doc);
	csf_buf_release(&b);
}

static void
test_yaml_model_utf8_errors_with_position(void **state)
{
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(load_err("a: b\nc: \xff\n", 9, NULL, &err), CSF_E_PARSE);
	assert_string_equal(err.msg, "invalid UTF-8 byte 0xff; save the file as UTF-8");
	assert_int_equal(err.loc.line, 2);
	assert_int_equal(err.loc.col, 4);
	/* Overlong encoding, surrogate, truncated sequence — after a valid multi-byte character. */
	assert_int_equal(load_err("é: \xc0\xaf\n", 7, NULL, &err), CSF_E_PARSE);
	assert_int_equal(err.loc.col, 4);
	assert_int_equal(load_err("x: \xed\xa0\x80\n", 7, NULL, &err), CSF_E_PARSE);
	assert_int_equal(load_err("x: \xe2\x82", 5, NULL, &err), CSF_E_PARSE);
	assert_int_equal(load_err("\xff\xfe" "a\0:\0", 6, NULL, &err), CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "UTF-16"));
}

static void
test_yaml_model_nul_means_binary(void **state)
{
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(load_err("a: 1\nb\0c", 8, NULL, &err), CSF_E_PARSE);
	assert_string_equal(err.msg, "binary file (NUL byte); expected YAML text");
	assert_int_equal(err.loc.line, 2);
	assert_int_equal(err.loc.col, 2);
}

static void
test_yaml_model_size_limit(void **state)
{
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_yaml_limits lim = { 16, 0, 0 };
	struct csf_yaml_doc *doc = NULL;
	char path[] = "/tmp/csf-test-yaml-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_int_equal(load_err("key: a long enough value\n", 25, &lim, &err), CSF_E_LIMIT);
	assert_non_null(strstr(err.msg, "file too large"));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "key: a long enough value\n", 25), 25);
	close(fd);
	assert_int_equal(csf_yaml_load_file(path, &lim, &doc, &err), CSF_E_LIMIT);
	assert_null(doc);
	assert_string_equal(err.msg, "file too large (the limit is 16 bytes)");
	assert_int_equal(csf_yaml_load_file(path, NULL, &doc, &err), CSF_E_OK);
	csf_yaml_doc_free(doc);
	unlink(path);
	assert_int_equal(csf_yaml_load_file(path, NULL, &doc, &err), CSF_E_IO);
	assert_non_null(strstr(err.msg, "No such file"));
}

static void
test_yaml_model_empty_and_multi_documents(void **state)
{
	struct csf_yaml_doc *doc = load_ok("");
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_null(doc->root);
	csf_yaml_doc_free(doc);
	doc = load_ok("# only a comment\n\n");
	assert_null(doc->root);
	csf_yaml_doc_free(doc);
	assert_int_equal(load_err("a: 1\n---\nb: 2\n", 14, NULL, &err), CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "more than one YAML document"));
	assert_int_equal(err.loc.line, 2);
	assert_int_equal(load_err("a: [1\n", 6, NULL, &err), CSF_E_PARSE);
	assert_int_equal(err.loc.line, 2);
}

static void
test_yaml_model_source_lines(void **state)
{
	struct csf_yaml_doc *doc = load_ok("a: 1\r\nbb: 2\nccc: 3");
	size_t len;
	const char *l;

	(void)state;
	assert_int_equal(doc->nlines, 3);
	l = csf_yaml_line(doc, 1, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(l, "a: 1", 4);
	l = csf_yaml_line(doc, 3, &len);
	assert_int_equal(len, 6);
	assert_memory_equal(l, "ccc: 3", 6);
	assert_null(csf_yaml_line(doc, 4, &len));
	assert_null(csf_yaml_line(doc, 0, &len));
	csf_yaml_doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_model_marks_of_keys_and_values),
		cmocka_unit_test(test_yaml_model_marks_count_characters_not_bytes),
		cmocka_unit_test(test_yaml_model_scalar_types),
		cmocka_unit_test(test_yaml_model_duplicate_keys),
		cmocka_unit_test(test_yaml_model_aliases_and_the_alias_bomb),
		cmocka_unit_test(test_yaml_model_recursive_alias_is_an_error),
		cmocka_unit_test(test_yaml_model_merge_keys),
		cmocka_unit_test(test_yaml_model_depth_limit_10000_deep),
		cmocka_unit_test(test_yaml_model_utf8_errors_with_position),
		cmocka_unit_test(test_yaml_model_nul_means_binary),
		cmocka_unit_test(test_yaml_model_size_limit),
		cmocka_unit_test(test_yaml_model_empty_and_multi_documents),
		cmocka_unit_test(test_yaml_model_source_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
