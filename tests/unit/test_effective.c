/* The effective blueprint (core/effective): deep map merge, lists replaced, null deletes, the
 * edition's features restricting the blueprint's, the order of the layers (edition, tenant,
 * tenant module, environment, environment values, environmentOverlays with the prod alias), the
 * tenant's provider, and provenance: every value knows the file and line that set it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/effective.h"
#include "core/fsutil.h"
#include "core/workspace.h"

static const char blueprint[] =
	"module: BookingService\n"			/* 1 */
	"version: 1.2.3\n"				/* 2 */
	"runtime: {stack: dotnet8}\n"			/* 3 */
	"features: [OnlineBooking, SMSReminders, WaitingList]\n"	/* 4 */
	"scaling:\n"					/* 5 */
	"  enabled: true\n"				/* 6 */
	"  minReplicas: 2\n"				/* 7 */
	"  maxReplicas: 10\n"				/* 8 */
	"  triggers: [{type: cpu, threshold: 75}]\n"	/* 9 */
	"cost:\n"					/* 10 */
	"  priority: medium\n"				/* 11 */
	"api:\n"					/* 12 */
	"  exposed: true\n"				/* 13 */
	"configuration:\n"				/* 14 */
	"  values:\n"					/* 15 */
	"    SERVICE_URL: https://api.example\n"	/* 16 */
	"    SMS_PROVIDER: none\n"			/* 17 */
	"  environmentOverlays:\n"			/* 18 */
	"    dev:\n"					/* 19 */
	"      SERVICE_URL: https://dev.example\n"	/* 20 */
	"    prod:\n"					/* 21 */
	"      SERVICE_URL: https://prod.example\n"	/* 22 */
	"release:\n"					/* 23 */
	"  environments: [dev, staging, production]\n"	/* 24 */
	"cloud: {provider: azure, region: westeurope}\n";	/* 25 */

static const char edition[] =
	"name: premium\n"
	"features: [OnlineBooking, SMSReminders]\n"
	"overrides:\n"
	"  cost:\n"
	"    priority: high\n";				/* 5 */

static const char tenant[] =
	"tenantId: vetclinic-001\n"
	"edition: premium\n"
	"provider: aws\n"				/* 3 */
	"overrides:\n"
	"  scaling:\n"
	"    maxReplicas: 20\n"				/* 6 */
	"  api: null\n"					/* 7 */
	"modules:\n"
	"  BookingService:\n"
	"    configuration:\n"
	"      values:\n"
	"        SMS_PROVIDER: twilio\n"		/* 12 */
	"    release:\n"
	"      environments: [production]\n";		/* 14 */

static const char production[] =
	"name: production\n"
	"values:\n"
	"  LOG_LEVEL: info\n"				/* 3 */
	"overrides:\n"
	"  scaling:\n"
	"    minReplicas: 4\n"				/* 6 */
	"    triggers: null\n";				/* 7 */

static const char staging[] = "name: staging\n";

struct fx {
	char dir[64];
	struct csf_workspace *ws;
	const struct csf_blueprint *bp;
	const struct csf_tenant *t;
};

static void
put(const char *dir, const char *rel, const char *text)
{
	struct csf_error err = CSF_ERROR_INIT;
	char *p = csf_path_join(dir, rel), *slash = strrchr(p, '/');

	*slash = '\0';
	assert_int_equal(csf_mkdirs(p, &err), CSF_E_OK);
	*slash = '/';
	assert_int_equal(csf_write_file_atomic(p, text, strlen(text), &err), CSF_E_OK);
	free(p);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct csf_error err = CSF_ERROR_INIT;

	strcpy(f->dir, "/tmp/csf-test-eff-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	put(f->dir, "csf.yaml", "name: t\n");
	put(f->dir, "blueprints/booking.yaml", blueprint);
	put(f->dir, "editions/premium.yaml", edition);
	put(f->dir, "tenants/vetclinic-001.yaml", tenant);
	put(f->dir, "environments/production.yaml", production);
	put(f->dir, "environments/staging.yaml", staging);
	assert_int_equal(csf_workspace_open(f->dir, &f->ws, &err), CSF_E_OK);
	f->bp = csf_ws_blueprint(f->ws, "BookingService");
	f->t = csf_ws_tenant(f->ws, "vetclinic-001");
	assert_non_null(f->bp);
	assert_non_null(f->t);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	csf_workspace_free(f->ws);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* The value at path is text and was set at file (suffix) line. */
static void
assert_from(const struct csf_effective *e, const char *path, const char *text, const char *file,
	    unsigned line)
{
	const struct csf_node *n = csf_effective_get(e, path);

	if (!n)
		print_message("%s: missing\n", path);
	assert_non_null(n);
	if (text)
		assert_string_equal(csf_node_str(n), text);
	assert_non_null(n->file);
	if (!strstr(n->file, file) || n->loc.line != line)
		print_message("%s: set at %s:%u, expected %s:%u\n", path, n->file, n->loc.line, file,
			      line);
	assert_non_null(strstr(n->file, file));
	assert_int_equal(n->loc.line, line);
}

static void
test_effective_blueprint_alone(void **state)
{
	struct fx *f = *state;
	struct csf_effective *e = csf_effective_new(f->ws, f->bp, NULL, NULL);

	assert_ptr_equal(e->root, f->bp->root);		/* nothing to merge: shared */
	assert_string_equal(e->provider, "azure");
	assert_null(e->env_name);
	assert_from(e, "scaling.maxReplicas", "10", "blueprints/booking.yaml", 8);
	assert_from(e, "features[2]", "WaitingList", "blueprints/booking.yaml", 4);
	csf_effective_free(e);
}

static void
test_effective_layers_and_provenance(void **state)
{
	struct fx *f = *state;
	const struct csf_environment *prod = csf_ws_env(f->ws, "prod");
	struct csf_effective *e = csf_effective_new(f->ws, f->bp, f->t, prod);

	assert_non_null(prod);
	assert_string_equal(e->env_name, "production");
	/* Deep map merge: untouched siblings stay, from the blueprint. */
	assert_from(e, "scaling.enabled", "true", "blueprints/booking.yaml", 6);
	/* Tenant overrides, then the environment's. */
	assert_from(e, "scaling.maxReplicas", "20", "tenants/vetclinic-001.yaml", 6);
	assert_from(e, "scaling.minReplicas", "4", "environments/production.yaml", 6);
	/* The edition's overrides. */
	assert_from(e, "cost.priority", "high", "editions/premium.yaml", 5);
	/* The tenant's per-module overrides. */
	assert_from(e, "configuration.values.SMS_PROVIDER", "twilio", "tenants/vetclinic-001.yaml",
		    12);
	/* Lists replace: the tenant module's list, not a concatenation. */
	assert_int_equal(csf_effective_get(e, "release.environments")->n, 1);
	assert_from(e, "release.environments[0]", "production", "tenants/vetclinic-001.yaml", 14);
	/* An explicit null deletes, in the tenant and in the environment. */
	assert_null(csf_effective_get(e, "api"));
	assert_null(csf_effective_get(e, "scaling.triggers"));
	/* Environment values and the prod overlay land in configuration.values. */
	assert_from(e, "configuration.values.LOG_LEVEL", "info", "environments/production.yaml", 3);
	assert_from(e, "configuration.values.SERVICE_URL", "https://prod.example",
		    "blueprints/booking.yaml", 22);
	/* The tenant's provider overrides cloud.provider; the region stays. */
	assert_string_equal(e->provider, "aws");
	assert_from(e, "cloud.provider", "aws", "tenants/vetclinic-001.yaml", 3);
	assert_from(e, "cloud.region", "westeurope", "blueprints/booking.yaml", 25);
	/* The inputs are not modified. */
	assert_string_equal(csf_node_str(csf_node_path(f->bp->root, "scaling.maxReplicas")), "10");
	assert_non_null(csf_node_get(f->bp->root, "api"));
	csf_effective_free(e);
}

static void
test_effective_edition_features_restrict(void **state)
{
	struct fx *f = *state;
	struct csf_effective *e = csf_effective_new(f->ws, f->bp, f->t, NULL);
	const struct csf_node *feat = csf_effective_get(e, "features");

	assert_non_null(e->edition);
	assert_int_equal(feat->n, 2);
	assert_string_equal(csf_node_str(feat->kids[0]), "OnlineBooking");
	assert_string_equal(csf_node_str(feat->kids[1]), "SMSReminders");
	assert_from(e, "features[1]", "SMSReminders", "blueprints/booking.yaml", 4);
	csf_effective_free(e);
}

static void
test_effective_environment_overlays(void **state)
{
	struct fx *f = *state;
	const struct csf_environment *stg = csf_ws_env(f->ws, "stage");
	struct csf_effective *e;

	/* staging (alias stage) has no overlay: the blueprint's value. */
	assert_non_null(stg);
	e = csf_effective_new(f->ws, f->bp, NULL, stg);
	assert_from(e, "configuration.values.SERVICE_URL", "https://api.example",
		    "blueprints/booking.yaml", 16);
	assert_from(e, "scaling.minReplicas", "2", "blueprints/booking.yaml", 7);
	assert_string_equal(e->provider, "azure");
	csf_effective_free(e);
	assert_null(csf_ws_env(f->ws, "dev"));
}

static void
test_effective_merge_null_and_types(void **state)
{
	struct csf_yaml_doc *a = NULL, *b = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_arena arena = CSF_ARENA_INIT;
	const struct csf_node *m;
	static const char ta[] = "x: {y: 1, z: [1, 2]}\nk: v\nkeep: 1\n";
	static const char tb[] = "x: {z: [3]}\nk: {now: map}\nkeep: null\nnew: 2\n";

	(void)state;
	assert_int_equal(csf_yaml_load_mem("a", ta, sizeof(ta) - 1, NULL, &a, &err), CSF_E_OK);
	assert_int_equal(csf_yaml_load_mem("b", tb, sizeof(tb) - 1, NULL, &b, &err), CSF_E_OK);
	m = csf_yaml_merge(&arena, a->root, b->root);
	assert_string_equal(csf_node_str(csf_node_path(m, "x.y")), "1");
	assert_int_equal(csf_node_path(m, "x.z")->n, 1);
	assert_true(csf_node_is_map(csf_node_get(m, "k")));	/* a type change replaces */
	assert_null(csf_node_get(m, "keep"));
	assert_string_equal(csf_node_str(csf_node_get(m, "new")), "2");
	assert_string_equal(csf_node_get(m, "new")->file, "b");
	/* Inputs untouched. */
	assert_int_equal(csf_node_path(a->root, "x.z")->n, 2);
	assert_non_null(csf_node_get(a->root, "keep"));
	csf_arena_release(&arena);
	csf_yaml_doc_free(a);
	csf_yaml_doc_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_effective_blueprint_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_effective_layers_and_provenance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_effective_edition_features_restrict, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_effective_environment_overlays, setup, teardown),
		cmocka_unit_test(test_effective_merge_null_and_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
