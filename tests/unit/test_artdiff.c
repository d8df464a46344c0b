/* Artifact-set diff (core/artdiff): file statuses and counts, the semantic summary that release
 * promotion shows, rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/artdiff.h"

#define IN(p, s) { p, s, sizeof(s) - 1 }

static const char deploy_old[] =
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: booking-service\n"
	"spec:\n  template:\n    spec:\n      containers:\n        - name: booking-service\n"
	"          image: registry.example.com/booking-service:1.2.3\n";
static const char deploy_new[] =
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: booking-service\n"
	"spec:\n  template:\n    spec:\n      containers:\n        - name: booking-service\n"
	"          image: registry.example.com/booking-service:1.2.4\n";
static const char hpa_old[] = "kind: HorizontalPodAutoscaler\nspec:\n  minReplicas: 2\n  maxReplicas: 10\n";
static const char hpa_new[] = "kind: HorizontalPodAutoscaler\nspec:\n  minReplicas: 2\n  maxReplicas: 20\n";
static const char dockerfile[] = "FROM scratch\nUSER 10001\n";
static const char pdb[] = "kind: PodDisruptionBudget\nspec:\n  minAvailable: 1\n";
static const char svc[] = "kind: Service\nspec:\n  ports: [{port: 80}]\n";

static struct csf_artdiff *
compute(const struct csf_art_input *a, size_t na, const struct csf_art_input *b, size_t nb)
{
	struct csf_artdiff *ad = NULL;
	struct csf_error err = CSF_ERROR_INIT;

	assert_int_equal(csf_artdiff_compute(a, na, b, nb, NULL, &ad, &err), CSF_E_OK);
	assert_non_null(ad);
	return ad;
}

static void
test_artdiff_files_added_removed_changed_with_counts(void **state)
{
	const struct csf_art_input a[] = { IN("Dockerfile", dockerfile), IN("k8s/hpa.yaml", hpa_old),
					   IN("k8s/deployment.yaml", deploy_old),
					   IN("k8s/service.yaml", svc) };
	const struct csf_art_input b[] = { IN("Dockerfile", dockerfile), IN("k8s/hpa.yaml", hpa_new),
					   IN("k8s/deployment.yaml", deploy_new),
					   IN("k8s/pdb.yaml", pdb) };
	struct csf_artdiff *ad = compute(a, 4, b, 4);
	struct csf_buf out = CSF_BUF_INIT;

	(void)state;
	assert_false(csf_artdiff_same(ad));
	assert_int_equal(ad->nfiles, 5);
	assert_string_equal(ad->files[0].path, "Dockerfile");
	assert_int_equal(ad->files[0].status, CSF_ART_SAME);
	assert_null(ad->files[0].diff);
	assert_string_equal(ad->files[1].path, "k8s/deployment.yaml");
	assert_int_equal(ad->files[1].status, CSF_ART_CHANGED);
	assert_int_equal(ad->files[1].added, 1);
	assert_int_equal(ad->files[1].removed, 1);
	assert_non_null(ad->files[1].sem);
	assert_int_equal(ad->files[3].status, CSF_ART_ADDED);
	assert_int_equal(ad->files[3].added, 3);
	assert_int_equal(ad->files[4].status, CSF_ART_REMOVED);
	assert_int_equal(ad->files[4].removed, 3);
	assert_int_equal(ad->nchanged, 2);
	assert_int_equal(ad->nadded, 1);
	assert_int_equal(ad->nremoved, 1);
	assert_int_equal(ad->nsame, 1);
	csf_artdiff_render_stat(&out, ad);
	assert_string_equal(out.buf, "M k8s/deployment.yaml  +1 -1\n"
				     "M k8s/hpa.yaml         +1 -1\n"
				     "A k8s/pdb.yaml         +3 -0\n"
				     "D k8s/service.yaml     +0 -3\n"
				     "4 files changed, 5 insertions(+), 5 deletions(-)\n");
	csf_buf_release(&out);
	csf_artdiff_free(ad);
}

static void
test_artdiff_semantic_summary_for_promotion(void **state)
{
	const struct csf_art_input a[] = { IN("k8s/deployment.yaml", deploy_old),
					   IN("k8s/hpa.yaml", hpa_old), IN("k8s/service.yaml", svc) };
	const struct csf_art_input b[] = { IN("k8s/deployment.yaml", deploy_new),
					   IN("k8s/hpa.yaml", hpa_new), IN("k8s/pdb.yaml", pdb) };
	struct csf_artdiff *ad = compute(a, 3, b, 3);
	struct csf_buf out = CSF_BUF_INIT;

	(void)state;
	assert_int_equal(ad->nsummary, 4);
	assert_string_equal(ad->summary[0], "image 1.2.3 → 1.2.4");
	assert_string_equal(ad->summary[1], "maxReplicas 10 → 20");
	assert_string_equal(ad->summary[2], "added file k8s/pdb.yaml");
	assert_string_equal(ad->summary[3], "removed file k8s/service.yaml");
	csf_artdiff_render_summary(&out, ad);
	assert_string_equal(out.buf, "summary:\n  image 1.2.3 → 1.2.4\n  maxReplicas 10 → 20\n"
				     "  added file k8s/pdb.yaml\n  removed file k8s/service.yaml\n");
	csf_buf_release(&out);
	csf_artdiff_free(ad);
}

static void
test_artdiff_many_changes_of_one_field_collapse(void **state)
{
	const struct csf_art_input a[] = { IN("execution-metadata.json",
		"{\"artifacts\":[{\"path\":\"a\",\"sha256\":\"01\"},{\"path\":\"b\",\"sha256\":\"02\"},"
		"{\"path\":\"c\",\"sha256\":\"03\"},{\"path\":\"d\",\"sha256\":\"04\"}],\"version\":\"1\"}") };
	const struct csf_art_input b[] = { IN("execution-metadata.json",
		"{\"artifacts\":[{\"path\":\"a\",\"sha256\":\"11\"},{\"path\":\"b\",\"sha256\":\"12\"},"
		"{\"path\":\"c\",\"sha256\":\"13\"},{\"path\":\"d\",\"sha256\":\"14\"}],\"version\":\"2\"}") };
	struct csf_artdiff *ad = compute(a, 1, b, 1);

	(void)state;
	assert_int_equal(ad->files[0].sem->n, 5);
	assert_int_equal(ad->nsummary, 2);
	assert_string_equal(ad->summary[0], "version 1 → 2");
	assert_string_equal(ad->summary[1], "sha256 changed in 4 places");
	csf_artdiff_free(ad);
}

static void
test_artdiff_identical_sets_are_same(void **state)
{
	const struct csf_art_input a[] = { IN("Dockerfile", dockerfile), IN("k8s/pdb.yaml", pdb) };
	const struct csf_art_input b[] = { IN("k8s/pdb.yaml", pdb), IN("Dockerfile", dockerfile) };
	struct csf_artdiff *ad = compute(a, 2, b, 2);
	struct csf_buf out = CSF_BUF_INIT;

	(void)state;
	assert_true(csf_artdiff_same(ad));
	assert_int_equal(ad->nsame, 2);
	csf_artdiff_render_text(&out, ad, CSF_ARTDIFF_UNIFIED, 80, 0);
	assert_int_equal(out.len, 0);
	csf_buf_release(&out);
	csf_artdiff_free(ad);
	ad = compute(NULL, 0, NULL, 0);
	assert_true(csf_artdiff_same(ad));
	assert_int_equal(ad->nfiles, 0);
	csf_artdiff_free(ad);
}

static void
test_artdiff_binary_and_unparsable_files(void **state)
{
	static const char bin_a[] = { 'x', 0, 'y' }, bin_b[] = { 'x', 0, 'z' };
	const struct csf_art_input a[] = { { "logo.png", bin_a, 3 }, IN("bad.yaml", "a: [1\n") };
	const struct csf_art_input b[] = { { "logo.png", bin_b, 3 }, IN("bad.yaml", "a: [2\n") };
	struct csf_artdiff *ad = compute(a, 2, b, 2);
	struct csf_buf out = CSF_BUF_INIT;

	(void)state;
	assert_string_equal(ad->files[0].path, "bad.yaml");
	assert_null(ad->files[0].sem);
	assert_int_equal(ad->files[0].added, 1);
	assert_true(ad->files[1].binary);
	assert_int_equal(ad->files[1].status, CSF_ART_CHANGED);
	csf_artdiff_render_text(&out, ad, CSF_ARTDIFF_SEMANTIC, 80, 0);
	assert_string_equal(out.buf, "M bad.yaml  +1 -1\nM logo.png  binary\n"
				     "2 files changed, 1 insertion(+), 1 deletion(-)\n"
				     "\ndiff bad.yaml\n--- a/bad.yaml\n+++ b/bad.yaml\n@@ -1 +1 @@\n"
				     "-a: [1\n+a: [2\n"
				     "\ndiff logo.png\nBinary files a/logo.png and b/logo.png differ\n");
	csf_buf_release(&out);
	csf_artdiff_free(ad);
}

static void
test_artdiff_json_lists_changed_files(void **state)
{
	const struct csf_art_input a[] = { IN("k8s/hpa.yaml", hpa_old) };
	const struct csf_art_input b[] = { IN("k8s/hpa.yaml", hpa_new) };
	struct csf_artdiff *ad = compute(a, 1, b, 1);
	struct csf_buf out = CSF_BUF_INIT;

	(void)state;
	csf_artdiff_render_json(&out, ad, false);
	assert_string_equal(out.buf,
			    "{\"same\":false,\"files\":[\n {\"path\":\"k8s/hpa.yaml\",\"status\":\"changed\","
			    "\"added\":1,\"removed\":1,\"binary\":false,\"semantic\":[\n"
			    " {\"kind\":\"changed\",\"path\":\"spec.maxReplicas\",\"old\":10,\"new\":20,"
			    "\"oldType\":\"integer\",\"newType\":\"integer\",\"oldLine\":4,\"newLine\":4}\n]}"
			    "\n],\"totals\":{\"added\":0,\"removed\":0,\"changed\":1,\"insertions\":1,"
			    "\"deletions\":1},\"summary\":[\"maxReplicas 10 → 20\"]}");
	csf_buf_release(&out);
	csf_artdiff_free(ad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_artdiff_files_added_removed_changed_with_counts),
		cmocka_unit_test(test_artdiff_semantic_summary_for_promotion),
		cmocka_unit_test(test_artdiff_many_changes_of_one_field_collapse),
		cmocka_unit_test(test_artdiff_identical_sets_are_same),
		cmocka_unit_test(test_artdiff_binary_and_unparsable_files),
		cmocka_unit_test(test_artdiff_json_lists_changed_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
