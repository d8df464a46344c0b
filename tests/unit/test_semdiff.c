/* Semantic YAML/JSON diff (core/semdiff): paths, keyed list matching, type changes,
 * multi-document streams, rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/semdiff.h"

static struct csf_semdiff *
sem(const char *a, const char *b)
{
	struct csf_semdiff *sd = NULL;
	struct csf_error err = CSF_ERROR_INIT;

	assert_int_equal(csf_semdiff_mem("a.yaml", a, a ? strlen(a) : 0, "b.yaml", b,
					 b ? strlen(b) : 0, &sd, &err),
			 CSF_E_OK);
	assert_non_null(sd);
	return sd;
}

static char *
text(const struct csf_semdiff *sd)
{
	struct csf_buf b = CSF_BUF_INIT;

	csf_semdiff_render_text(&b, sd);
	return csf_buf_detach(&b, NULL);
}

static void
test_semdiff_identical_and_reformatted_are_same(void **state)
{
	struct csf_semdiff *sd;

	(void)state;
	sd = sem("a: 1\nb: [x, y]\n", "# comment\nb:\n  - x\n  - y\na: 1\n");
	assert_int_equal(sd->n, 0);
	csf_semdiff_free(sd);
	/* JSON is YAML: the same content in JSON has no change. */
	sd = sem("spec:\n  replicas: 2\n  name: booking\n",
		 "{\"spec\": {\"name\": \"booking\", \"replicas\": 2}}");
	assert_int_equal(sd->n, 0);
	csf_semdiff_free(sd);
}

static void
test_semdiff_scalar_change_by_path(void **state)
{
	struct csf_semdiff *sd = sem("spec:\n  replicas: 2\n  paused: false\n",
				     "spec:\n  replicas: 3\n  paused: false\n");

	(void)state;
	assert_int_equal(sd->n, 1);
	assert_int_equal(sd->changes[0].kind, CSF_SEM_CHANGED);
	assert_string_equal(sd->changes[0].path, "spec.replicas");
	assert_string_equal(sd->changes[0].old_text, "2");
	assert_string_equal(sd->changes[0].new_text, "3");
	assert_int_equal(sd->changes[0].old_line, 2);
	assert_int_equal(sd->changes[0].new_line, 2);
	assert_null(sd->changes[0].doc);
	csf_semdiff_free(sd);
}

static const char deploy_a[] =
	"spec:\n"
	"  template:\n"
	"    spec:\n"
	"      containers:\n"
	"        - name: booking\n"
	"          image: booking:1.2.3\n"
	"        - name: sidecar\n"
	"          image: envoy:1.0\n";
static const char deploy_b[] =
	"spec:\n"
	"  template:\n"
	"    spec:\n"
	"      containers:\n"
	"        - name: sidecar\n"
	"          image: envoy:1.0\n"
	"        - name: booking\n"
	"          image: booking:1.2.4\n";

static void
test_semdiff_reordered_list_items_matched_by_name(void **state)
{
	struct csf_semdiff *sd = sem(deploy_a, deploy_b);
	char *t;

	(void)state;
	assert_int_equal(sd->n, 2);
	assert_int_equal(sd->changes[0].kind, CSF_SEM_CHANGED);
	assert_string_equal(sd->changes[0].path, "spec.template.spec.containers[name=booking].image");
	assert_string_equal(sd->changes[0].old_text, "booking:1.2.3");
	assert_string_equal(sd->changes[0].new_text, "booking:1.2.4");
	assert_int_equal(sd->changes[0].old_line, 6);
	assert_int_equal(sd->changes[0].new_line, 8);
	assert_int_equal(sd->changes[1].kind, CSF_SEM_REORDERED);
	t = text(sd);
	assert_string_equal(t, "~ spec.template.spec.containers[name=booking].image: booking:1.2.3 → "
			       "booking:1.2.4\n"
			       "↕ spec.template.spec.containers: order [booking, sidecar] → "
			       "[sidecar, booking]\n");
	free(t);
	csf_semdiff_free(sd);
}

static void
test_semdiff_list_items_added_and_removed_by_id(void **state)
{
	struct csf_semdiff *sd = sem("routes:\n  - id: r1\n    path: /a\n  - id: r2\n    path: /b\n",
				     "routes:\n  - id: r2\n    path: /b\n  - id: r3\n    path: /c\n");

	(void)state;
	assert_int_equal(sd->n, 2);
	assert_int_equal(sd->changes[0].kind, CSF_SEM_REMOVED);
	assert_string_equal(sd->changes[0].path, "routes[id=r1]");
	assert_string_equal(sd->changes[0].old_text, "{id: r1, path: /a}");
	assert_int_equal(sd->changes[1].kind, CSF_SEM_ADDED);
	assert_string_equal(sd->changes[1].path, "routes[id=r3]");
	csf_semdiff_free(sd);
}

static void
test_semdiff_renamed_key_is_removed_plus_added(void **state)
{
	struct csf_semdiff *sd = sem("scaling:\n  maxReplica: 10\n  min: 1\n",
				     "scaling:\n  maxReplicas: 10\n  min: 1\n");

	(void)state;
	assert_int_equal(sd->n, 2);
	assert_int_equal(sd->changes[0].kind, CSF_SEM_REMOVED);
	assert_string_equal(sd->changes[0].path, "scaling.maxReplica");
	assert_int_equal(sd->changes[1].kind, CSF_SEM_ADDED);
	assert_string_equal(sd->changes[1].path, "scaling.maxReplicas");
	assert_string_equal(sd->changes[1].new_text, "10");
	csf_semdiff_free(sd);
}

static void
test_semdiff_type_changes_are_explicit(void **state)
{
	struct csf_semdiff *sd = sem("port: 80\nenv: {A: 1}\ntag: 1.10\n",
				     "port: \"80\"\nenv: [A]\ntag: \"1.10\"\n");
	char *t;

	(void)state;
	assert_int_equal(sd->n, 3);
	assert_int_equal(sd->changes[0].kind, CSF_SEM_TYPE_CHANGED);
	assert_string_equal(sd->changes[0].old_type, "integer");
	assert_string_equal(sd->changes[0].new_type, "string");
	assert_int_equal(sd->changes[1].kind, CSF_SEM_TYPE_CHANGED);
	assert_string_equal(sd->changes[1].old_type, "mapping");
	assert_string_equal(sd->changes[1].new_type, "sequence");
	t = text(sd);
	assert_string_equal(t, "! port: integer → string: 80 → \"80\"\n"
			       "! env: mapping → sequence: {A: 1} → [A]\n"
			       "! tag: number → string: 1.10 → \"1.10\"\n");
	free(t);
	csf_semdiff_free(sd);
}

static void
test_semdiff_scalar_list_insert_is_one_addition(void **state)
{
	struct csf_semdiff *sd = sem("args: [a, b, c]\n", "args: [a, x, b, c]\n");

	(void)state;
	assert_int_equal(sd->n, 1);
	assert_int_equal(sd->changes[0].kind, CSF_SEM_ADDED);
	assert_string_equal(sd->changes[0].path, "args[1]");
	assert_string_equal(sd->changes[0].new_text, "x");
	csf_semdiff_free(sd);
	sd = sem("args: [a, b, c]\n", "args: [a, B, c]\n");
	assert_int_equal(sd->n, 1);
	assert_int_equal(sd->changes[0].kind, CSF_SEM_CHANGED);
	assert_string_equal(sd->changes[0].path, "args[1]");
	csf_semdiff_free(sd);
}

static void
test_semdiff_keys_with_dots_are_quoted(void **state)
{
	struct csf_semdiff *sd = sem("metadata:\n  labels:\n    app.kubernetes.io/version: 1.2.3\n",
				     "metadata:\n  labels:\n    app.kubernetes.io/version: 1.2.4\n");

	(void)state;
	assert_int_equal(sd->n, 1);
	assert_string_equal(sd->changes[0].path, "metadata.labels[\"app.kubernetes.io/version\"]");
	csf_semdiff_free(sd);
}

static const char stream_a[] =
	"apiVersion: v1\nkind: Service\nmetadata:\n  name: booking\n  namespace: t1\nspec:\n"
	"  ports: [{port: 80}]\n"
	"---\n"
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: booking\n  namespace: t1\n"
	"spec:\n  replicas: 2\n"
	"---\n"
	"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n  namespace: t1\n";
static const char stream_b[] =
	"# reordered, one changed, one removed, one added\n"
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: booking\n  namespace: t1\n"
	"spec:\n  replicas: 3\n"
	"---\n"
	"apiVersion: v1\nkind: Service\nmetadata:\n  name: booking\n  namespace: t1\nspec:\n"
	"  ports: [{port: 80}]\n"
	"--- # new\n"
	"apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: booking\n"
	"  namespace: t1\n"
	"...\n";

static void
test_semdiff_multi_document_streams_matched_by_identity(void **state)
{
	struct csf_semdiff *sd = sem(stream_a, stream_b);
	char *t;

	(void)state;
	assert_int_equal(sd->n, 3);
	assert_string_equal(sd->changes[0].doc, "Deployment/t1/booking");
	assert_string_equal(sd->changes[0].path, "spec.replicas");
	assert_int_equal(sd->changes[0].old_line, 15);
	assert_int_equal(sd->changes[0].new_line, 8);
	assert_string_equal(sd->changes[1].doc, "ConfigMap/t1/old");
	assert_int_equal(sd->changes[1].kind, CSF_SEM_REMOVED);
	assert_string_equal(sd->changes[1].path, "");
	assert_string_equal(sd->changes[2].doc, "PodDisruptionBudget/t1/booking");
	assert_int_equal(sd->changes[2].kind, CSF_SEM_ADDED);
	t = text(sd);
	assert_non_null(strstr(t, "@ Deployment/t1/booking\n  ~ spec.replicas: 2 → 3\n"));
	assert_non_null(strstr(t, "@ ConfigMap/t1/old\n  - (document removed): "));
	free(t);
	csf_semdiff_free(sd);
}

static void
test_semdiff_identical_documents_skip_parsing_but_keep_labels(void **state)
{
	/* The first document has no marker on one side and one on the other; the second is
	 * identical; only the third changed, and it keeps its label although it is the only
	 * document left to compare on each side. */
	const char *a = "kind: A\nmetadata: {name: a}\n---\nkind: B\nmetadata: {name: b}\n"
			"---\nkind: C\nmetadata: {name: c}\nspec: {replicas: 1}\n";
	const char *b = "---\nkind: C\nmetadata: {name: c}\nspec: {replicas: 2}\n---\n"
			"kind: B\nmetadata: {name: b}\n---\nkind: A\nmetadata: {name: a}\n";
	struct csf_semdiff *sd = sem(a, b);

	(void)state;
	assert_int_equal(sd->n, 1);
	assert_string_equal(sd->changes[0].doc, "C/c");
	assert_string_equal(sd->changes[0].path, "spec.replicas");
	assert_int_equal(sd->changes[0].old_line, 9);
	assert_int_equal(sd->changes[0].new_line, 4);
	csf_semdiff_free(sd);
	/* Reordered identical documents: no change. */
	sd = sem("kind: A\nx: 1\n---\nkind: B\nx: 2\n", "kind: B\nx: 2\n---\nkind: A\nx: 1\n");
	assert_int_equal(sd->n, 0);
	csf_semdiff_free(sd);
}

static void
test_semdiff_stream_loader_splits_documents(void **state)
{
	struct csf_yaml_stream *s = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	const char *bad = "a: 1\n---\nb: 2\n---\nc: [unclosed\n";

	(void)state;
	assert_int_equal(csf_yaml_stream_load_mem("s.yaml", stream_b, strlen(stream_b), NULL, &s,
						  &err), CSF_E_OK);
	assert_int_equal(s->ndocs, 3);
	assert_int_equal(s->first_line[1], 9);
	csf_yaml_stream_free(s);
	/* Comment-only and empty documents are left out. */
	assert_int_equal(csf_yaml_stream_load_mem("s.yaml", "# x\n---\n---\na: 1\n", 17, NULL, &s,
						  &err), CSF_E_OK);
	assert_int_equal(s->ndocs, 1);
	csf_yaml_stream_free(s);
	/* An error in the third document is reported at its line in the stream. */
	assert_int_equal(csf_yaml_stream_load_mem("s.yaml", bad, strlen(bad), NULL, &s, &err),
			 CSF_E_PARSE);
	assert_null(s);
	assert_true(err.loc.line >= 5);
	assert_string_equal(err.file, "s.yaml");
}

static void
test_semdiff_empty_and_missing_inputs(void **state)
{
	struct csf_semdiff *sd;

	(void)state;
	sd = sem("", "");
	assert_int_equal(sd->n, 0);
	csf_semdiff_free(sd);
	sd = sem(NULL, "a: 1\n");
	assert_int_equal(sd->n, 1);
	assert_int_equal(sd->changes[0].kind, CSF_SEM_ADDED);
	assert_null(sd->changes[0].doc);
	assert_string_equal(sd->changes[0].path, "");
	csf_semdiff_free(sd);
	sd = sem("a: 1\n", "");
	assert_int_equal(sd->n, 1);
	assert_int_equal(sd->changes[0].kind, CSF_SEM_REMOVED);
	csf_semdiff_free(sd);
	sd = sem("a:\n", "a: x\n");
	assert_int_equal(sd->n, 1);
	assert_int_equal(sd->changes[0].kind, CSF_SEM_TYPE_CHANGED);
	assert_string_equal(sd->changes[0].old_type, "null");
	csf_semdiff_free(sd);
}

static void
test_semdiff_bad_input_is_an_error(void **state)
{
	struct csf_semdiff *sd = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	static const char bin[] = { 'a', ':', ' ', 0, '\n' };

	(void)state;
	assert_int_equal(csf_semdiff_mem("a.yaml", "a: [1\n", 6, "b.yaml", "a: 1\n", 5, &sd, &err),
			 CSF_E_PARSE);
	assert_null(sd);
	assert_string_equal(err.file, "a.yaml");
	assert_int_not_equal(csf_semdiff_mem("a.yaml", "a: 1\n", 5, "b.bin", bin, sizeof(bin), &sd,
					     &err), CSF_E_OK);
	assert_null(sd);
}

static void
test_semdiff_json_output(void **state)
{
	struct csf_semdiff *sd = sem("a: 1\nb: x\n", "a: \"1\"\nc: [1, true]\n");
	struct csf_buf b = CSF_BUF_INIT;

	(void)state;
	csf_semdiff_render_json(&b, sd);
	assert_string_equal(b.buf,
			    "[\n {\"kind\":\"type-changed\",\"path\":\"a\",\"old\":1,\"new\":\"1\","
			    "\"oldType\":\"integer\",\"newType\":\"string\",\"oldLine\":1,\"newLine\":1},\n"
			    " {\"kind\":\"removed\",\"path\":\"b\",\"old\":\"x\",\"oldType\":\"string\","
			    "\"oldLine\":2},\n"
			    " {\"kind\":\"added\",\"path\":\"c\",\"new\":[1,true],\"newType\":\"sequence\","
			    "\"newLine\":2}\n]");
	csf_buf_release(&b);
	csf_semdiff_free(sd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semdiff_identical_and_reformatted_are_same),
		cmocka_unit_test(test_semdiff_scalar_change_by_path),
		cmocka_unit_test(test_semdiff_reordered_list_items_matched_by_name),
		cmocka_unit_test(test_semdiff_list_items_added_and_removed_by_id),
		cmocka_unit_test(test_semdiff_renamed_key_is_removed_plus_added),
		cmocka_unit_test(test_semdiff_type_changes_are_explicit),
		cmocka_unit_test(test_semdiff_scalar_list_insert_is_one_addition),
		cmocka_unit_test(test_semdiff_keys_with_dots_are_quoted),
		cmocka_unit_test(test_semdiff_multi_document_streams_matched_by_identity),
		cmocka_unit_test(test_semdiff_identical_documents_skip_parsing_but_keep_labels),
		cmocka_unit_test(test_semdiff_stream_loader_splits_documents),
		cmocka_unit_test(test_semdiff_empty_and_missing_inputs),
		cmocka_unit_test(test_semdiff_bad_input_is_an_error),
		cmocka_unit_test(test_semdiff_json_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
