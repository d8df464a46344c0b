/* Line and word diff (core/diff): hunks, context, whitespace, CRLF, final newline, binary,
 * side-by-side layout and text rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/diff.h"

static struct csf_diff *
run(const char *a, const char *b, const struct csf_diff_opts *o)
{
	struct csf_diff *d = NULL;
	struct csf_error err = CSF_ERROR_INIT;

	assert_int_equal(csf_diff_buffers("a/f.yaml", a, a ? strlen(a) : 0, "b/f.yaml", b,
					  b ? strlen(b) : 0, o, &d, &err),
			 CSF_E_OK);
	assert_non_null(d);
	return d;
}

static char *
unified(const struct csf_diff *d, unsigned flags)
{
	struct csf_buf b = CSF_BUF_INIT;

	csf_diff_render_unified(&b, d, flags);
	return csf_buf_detach(&b, NULL);
}

static void
test_diff_identical_is_same(void **state)
{
	struct csf_diff *d = run("a: 1\nb: 2\n", "a: 1\nb: 2\n", NULL);
	char *u;

	(void)state;
	assert_true(d->same);
	assert_int_equal(d->nhunks, 0);
	u = unified(d, 0);
	assert_string_equal(u, "");
	free(u);
	csf_diff_free(d);
}

static void
test_diff_one_changed_line_unified(void **state)
{
	struct csf_diff *d = run("a: 1\nimage: x:1.2.3\nc: 3\n", "a: 1\nimage: x:1.2.4\nc: 3\n", NULL);
	char *u;

	(void)state;
	assert_false(d->same);
	assert_int_equal(d->added, 1);
	assert_int_equal(d->removed, 1);
	u = unified(d, 0);
	assert_string_equal(u, "--- a/f.yaml\n+++ b/f.yaml\n@@ -1,3 +1,3 @@\n a: 1\n"
			       "-image: x:1.2.3\n+image: x:1.2.4\n c: 3\n");
	free(u);
	csf_diff_free(d);
}

static void
test_diff_word_spans_mark_only_the_changed_word(void **state)
{
	struct csf_diff *d = run("image: booking:1.2.3 # pinned\n", "image: booking:1.2.4 # pinned\n",
				 NULL);
	const struct csf_diff_line *del, *add;
	char *u;

	(void)state;
	assert_int_equal(d->nhunks, 1);
	del = &d->hunks[0].lines[0];
	add = &d->hunks[0].lines[1];
	assert_int_equal(del->kind, CSF_DIFF_DEL);
	assert_int_equal(add->kind, CSF_DIFF_ADD);
	assert_int_equal(del->pair, 1);
	assert_int_equal(add->pair, 0);
	assert_int_equal(del->nspans, 1);
	assert_int_equal(add->nspans, 1);
	assert_memory_equal(del->text + del->spans[0].off, "3", del->spans[0].len);
	assert_memory_equal(add->text + add->spans[0].off, "4", add->spans[0].len);
	u = unified(d, CSF_DIFF_R_WORDS | CSF_DIFF_R_NO_HEADER);
	assert_string_equal(u, "@@ -1 +1 @@\n-image: booking:1.2.[-3-] # pinned\n"
			       "+image: booking:1.2.{+4+} # pinned\n");
	free(u);
	csf_diff_free(d);
}

static void
test_diff_words_join_across_blanks(void **state)
{
	struct csf_arena ar = CSF_ARENA_INIT;
	struct csf_diff_span *as, *bs;
	size_t na, nb;
	const char *a = "say hello big world", *b = "say goodbye small world";

	(void)state;
	csf_diff_words(&ar, a, strlen(a), b, strlen(b), &as, &na, &bs, &nb);
	assert_int_equal(na, 1);
	assert_int_equal(nb, 1);
	assert_int_equal(as[0].off, 4);
	assert_int_equal(as[0].len, strlen("hello big"));
	assert_int_equal(bs[0].len, strlen("goodbye small"));
	csf_arena_release(&ar);
}

static void
test_diff_context_lines_control_hunks(void **state)
{
	const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
	const char *b = "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n";
	struct csf_diff_opts o = CSF_DIFF_OPTS_INIT;
	struct csf_diff *d;

	(void)state;
	d = run(a, b, &o);
	assert_int_equal(d->nhunks, 2);
	assert_int_equal(d->hunks[0].nlines, 6);	/* 1, -2, +X, 3 4 5 */
	csf_diff_free(d);
	o.context = 0;
	d = run(a, b, &o);
	assert_int_equal(d->nhunks, 2);
	assert_int_equal(d->hunks[0].nlines, 2);
	assert_int_equal(d->hunks[0].old_start, 2);
	csf_diff_free(d);
	o.context = 5;
	d = run(a, b, &o);
	assert_int_equal(d->nhunks, 1);
	csf_diff_free(d);
}

static void
test_diff_ignore_whitespace_toggle(void **state)
{
	struct csf_diff_opts o = CSF_DIFF_OPTS_INIT;
	struct csf_diff *d;

	(void)state;
	d = run("a:  1\nb: 2\n", "a: 1\nb: 2\t\n", &o);
	assert_false(d->same);
	assert_int_equal(d->removed, 2);
	csf_diff_free(d);
	o.ignore_whitespace = true;
	d = run("a:  1\nb: 2\n", "a: 1\nb: 2\t\n", &o);
	assert_true(d->same);
	csf_diff_free(d);
}

static void
test_diff_crlf_is_a_visible_change(void **state)
{
	struct csf_diff_opts o = CSF_DIFF_OPTS_INIT;
	struct csf_diff *d;
	char *u;

	(void)state;
	d = run("a: 1\r\nb: 2\r\n", "a: 1\nb: 2\n", &o);
	assert_false(d->same);
	assert_true(d->eol_mixed);
	assert_true(d->hunks[0].lines[0].cr);
	assert_string_equal(d->hunks[0].lines[0].text, "a: 1");
	/* Only the line ending differs: no word spans inside the text. */
	assert_int_equal(d->hunks[0].lines[0].nspans, 0);
	u = unified(d, CSF_DIFF_R_NO_HEADER);
	assert_string_equal(u, "@@ -1,2 +1,2 @@\n-a: 1^M\n-b: 2^M\n+a: 1\n+b: 2\n");
	free(u);
	csf_diff_free(d);
	/* Both sides CRLF: the CR is not shown, the change is. */
	d = run("a: 1\r\nb: 2\r\n", "a: 1\r\nb: 3\r\n", &o);
	assert_false(d->eol_mixed);
	u = unified(d, CSF_DIFF_R_NO_HEADER);
	assert_string_equal(u, "@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+b: 3\n");
	free(u);
	csf_diff_free(d);
	o.ignore_whitespace = true;
	d = run("a: 1\r\nb: 2\r\n", "a: 1\nb: 2\n", &o);
	assert_true(d->same);
	csf_diff_free(d);
}

static void
test_diff_no_final_newline_marked(void **state)
{
	struct csf_diff *d = run("a: 1\nb: 2", "a: 1\nb: 2\n", NULL);
	char *u;

	(void)state;
	assert_false(d->same);
	assert_true(d->hunks[0].lines[1].no_newline);
	u = unified(d, CSF_DIFF_R_NO_HEADER);
	assert_string_equal(u, "@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n\\ No newline at end of file\n"
			       "+b: 2\n");
	free(u);
	csf_diff_free(d);
}

static void
test_diff_empty_and_missing_sides(void **state)
{
	struct csf_diff *d = run(NULL, "a: 1\nb: 2\n", NULL);
	char *u;

	(void)state;
	csf_diff_mark_missing(d, true, false);
	assert_int_equal(d->added, 2);
	assert_int_equal(d->removed, 0);
	u = unified(d, 0);
	assert_string_equal(u, "--- /dev/null\n+++ b/f.yaml\n@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n");
	free(u);
	csf_diff_free(d);
	d = run("", "", NULL);
	assert_true(d->same);
	csf_diff_free(d);
	d = run("x\n", "", NULL);
	assert_int_equal(d->removed, 1);
	assert_int_equal(d->hunks[0].new_lines, 0);
	csf_diff_free(d);
}

static void
test_diff_binary_refused_cleanly(void **state)
{
	static const char a[] = { 'P', 'K', 0, 1, 2, '\n', 'x' };
	static const char b[] = { 'P', 'K', 0, 1, 3, '\n', 'x' };
	struct csf_diff *d = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	char *u;

	(void)state;
	assert_true(csf_diff_is_binary(a, sizeof(a)));
	assert_int_equal(csf_diff_buffers("a/img.bin", a, sizeof(a), "b/img.bin", b, sizeof(b), NULL,
					  &d, &err), CSF_E_OK);
	assert_true(d->binary);
	assert_false(d->same);
	assert_int_equal(d->nhunks, 0);
	u = unified(d, 0);
	assert_string_equal(u, "Binary files a/img.bin and b/img.bin differ\n");
	free(u);
	csf_diff_free(d);
	assert_int_equal(csf_diff_buffers("a", a, sizeof(a), "b", a, sizeof(a), NULL, &d, &err),
			 CSF_E_OK);
	assert_true(d->binary);
	assert_true(d->same);
	csf_diff_free(d);
}

static void
test_diff_rows_pair_changes_side_by_side(void **state)
{
	struct csf_diff *d = run("a\nb\nc\nd\n", "a\nB\nC\nX\nd\n", NULL);
	struct csf_diff_row *rows;
	size_t n;

	(void)state;
	csf_diff_rows(d, &rows, &n);
	assert_int_equal(n, 6);
	assert_int_equal(rows[0].kind, CSF_ROW_HUNK);
	assert_int_equal(rows[1].kind, CSF_ROW_SAME);
	assert_int_equal(rows[2].kind, CSF_ROW_CHANGED);
	assert_string_equal(rows[2].left->text, "b");
	assert_string_equal(rows[2].right->text, "B");
	assert_int_equal(rows[3].kind, CSF_ROW_CHANGED);
	assert_int_equal(rows[4].kind, CSF_ROW_ADD);
	assert_null(rows[4].left);
	assert_string_equal(rows[4].right->text, "X");
	assert_int_equal(rows[5].kind, CSF_ROW_SAME);
	free(rows);
	csf_diff_free(d);
}

static void
test_diff_side_by_side_text_fits_width(void **state)
{
	struct csf_diff *d = run("name: booking\nreplicas: 2\n",
				 "name: booking\nreplicas: 3\nextra: a-very-long-value-that-will-not-fit\n",
				 NULL);
	struct csf_buf b = CSF_BUF_INIT;
	const char *p;

	(void)state;
	csf_diff_render_side_by_side(&b, d, 40, 0);
	assert_string_equal(b.buf, "  a/f.yaml             b/f.yaml\n"
				   "@@ -1,2 +1,3 @@\n"
				   "1 name: booking      1 name: booking\n"
				   "2 replicas: 2      | 2 replicas: 3\n"
				   "                   > 3 extra: a-very-l>\n");
	for (p = b.buf; *p;) {
		const char *nl = strchr(p, '\n');

		assert_true(csf_diff_text_width(p, (size_t)(nl - p)) <= 40);
		p = nl + 1;
	}
	csf_buf_release(&b);
	csf_diff_free(d);
}

static void
test_diff_side_by_side_sanitizes_escapes(void **state)
{
	struct csf_diff *d = run("a: \x1b[31mred\n", "a: blue\n", NULL);
	struct csf_buf b = CSF_BUF_INIT;

	(void)state;
	csf_diff_render_side_by_side(&b, d, 80, CSF_DIFF_R_ASCII);
	assert_null(memchr(b.buf, 0x1b, b.len));
	assert_non_null(strstr(b.buf, "a: ?red"));
	csf_buf_release(&b);
	csf_diff_free(d);
}

static void
test_diff_json_text_is_always_valid_utf8(void **state)
{
	struct csf_buf b = CSF_BUF_INIT;
	struct csf_diff *d = run("caf\xe9: 1\n", "caf\xc3\xa9: 1\n", NULL);

	(void)state;
	/* A stray byte and a UTF-16 surrogate (ED A0 80) become U+FFFD; valid UTF-8 stays. */
	csf_diff_add_json_text(&b, "a\"b\\\x01\xff\xc3\xa9\xed\xa0\x80", 11);
	assert_string_equal(b.buf, "\"a\\\"b\\\\\\u0001\xef\xbf\xbd\xc3\xa9"
				   "\xef\xbf\xbd\"");
	csf_buf_reset(&b);
	csf_diff_render_json(&b, d);
	assert_null(memchr(b.buf, 0xe9, b.len));
	assert_non_null(strstr(b.buf, "\"text\":\"caf\xef\xbf\xbd: 1\""));
	csf_buf_release(&b);
	csf_diff_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_identical_is_same),
		cmocka_unit_test(test_diff_one_changed_line_unified),
		cmocka_unit_test(test_diff_word_spans_mark_only_the_changed_word),
		cmocka_unit_test(test_diff_words_join_across_blanks),
		cmocka_unit_test(test_diff_context_lines_control_hunks),
		cmocka_unit_test(test_diff_ignore_whitespace_toggle),
		cmocka_unit_test(test_diff_crlf_is_a_visible_change),
		cmocka_unit_test(test_diff_no_final_newline_marked),
		cmocka_unit_test(test_diff_empty_and_missing_sides),
		cmocka_unit_test(test_diff_binary_refused_cleanly),
		cmocka_unit_test(test_diff_rows_pair_changes_side_by_side),
		cmocka_unit_test(test_diff_side_by_side_text_fits_width),
		cmocka_unit_test(test_diff_side_by_side_sanitizes_escapes),
		cmocka_unit_test(test_diff_json_text_is_always_valid_utf8),
	};

	csf_diff_lib_acquire();
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	csf_diff_lib_release();
	return rc;
}
