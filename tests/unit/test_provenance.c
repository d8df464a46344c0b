/* Provenance of generated lines (core/provenance) on the samples workspace: a value set by the
 * tenant file, one set by the blueprint, JSON and YAML spellings, and lines that no blueprint
 * value produced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/effective.h"
#include "core/provenance.h"
#include "core/workspace.h"

struct fx {
	struct csf_workspace *ws;
	struct csf_effective *eff;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *top = getenv("CSF_TOP");
	char dir[4096];
	struct csf_error err = CSF_ERROR_INIT;

	snprintf(dir, sizeof(dir), "%s/samples", top && *top ? top : ".");
	assert_int_equal(csf_workspace_open(dir, &f->ws, &err), CSF_E_OK);
	f->eff = csf_effective_new(f->ws, csf_ws_blueprint(f->ws, "BookingService"),
				   csf_ws_tenant(f->ws, "vetclinic-001"), csf_ws_env(f->ws, "staging"));
	assert_non_null(f->eff);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	csf_effective_free(f->eff);
	csf_workspace_free(f->ws);
	free(f);
	return 0;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static void
test_provenance_tenant_override_wins(void **state)
{
	struct fx *f = *state;
	struct csf_buf path = CSF_BUF_INIT;
	const char *line = "  maxReplicaCount: 20\n";
	const struct csf_node *n = csf_provenance_of_line(f->eff->root, line, strlen(line), &path);

	assert_non_null(n);
	assert_true(ends_with(n->file, "tenants/vetclinic-001.yaml"));
	assert_int_equal(n->loc.line, 20);
	assert_string_equal(path.buf, "scaling.maxReplicas");
	csf_buf_release(&path);
}

static void
test_provenance_blueprint_value_and_json_spelling(void **state)
{
	struct fx *f = *state;
	struct csf_buf path = CSF_BUF_INIT;
	const char *yaml = "  minReplicaCount: 2";
	const char *json = "  \"version\": \"1.2.3\",";
	const struct csf_node *n = csf_provenance_of_line(f->eff->root, yaml, strlen(yaml), &path);

	assert_non_null(n);
	assert_true(ends_with(n->file, "blueprints/booking-service.yaml"));
	assert_int_equal(n->loc.line, 29);
	assert_string_equal(path.buf, "scaling.minReplicas");
	csf_buf_reset(&path);
	n = csf_provenance_of_line(f->eff->root, json, strlen(json), &path);
	assert_non_null(n);
	assert_int_equal(n->loc.line, 7);
	assert_string_equal(path.buf, "version");
	csf_buf_release(&path);
}

static void
test_provenance_generated_lines_have_none(void **state)
{
	struct fx *f = *state;
	const char *a = "kind: ScaledObject", *b = "FROM scratch", *c = "spec:";

	assert_null(csf_provenance_of_line(f->eff->root, a, strlen(a), NULL));
	assert_null(csf_provenance_of_line(f->eff->root, b, strlen(b), NULL));
	assert_null(csf_provenance_of_line(f->eff->root, c, strlen(c), NULL));
	assert_null(csf_provenance_of_line(NULL, a, strlen(a), NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_provenance_tenant_override_wins),
		cmocka_unit_test(test_provenance_blueprint_value_and_json_spelling),
		cmocka_unit_test(test_provenance_generated_lines_have_none),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
