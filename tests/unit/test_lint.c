/* The linter (core/lint*): for every rule of the catalog a case that fires at the exact line and
 * column and a near miss that does not; suppression comments; severity config; cells; fixes
 * (idempotence, comments and layout kept); the secret detectors' near misses; the reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/lint.h"
#include "core/lint_int.h"
#include "core/lint_report.h"
#include "core/workspace.h"

/* ------------------------------------------------------------------------------------------
 * A throw-away workspace folder
 */

struct tws {
	char dir[64];
	struct csf_workspace *ws;
	struct csf_lint_result r;
};

static void
put(struct tws *t, const char *rel, const char *text)
{
	struct csf_error err = CSF_ERROR_INIT;
	char *p = csf_path_join(t->dir, rel), *slash = strrchr(p, '/');

	*slash = '\0';
	assert_int_equal(csf_mkdirs(p, &err), CSF_E_OK);
	*slash = '/';
	assert_int_equal(csf_write_file_atomic(p, text, strlen(text), &err), CSF_E_OK);
	free(p);
}

static void
tws_init(struct tws *t, const char *csf_yaml)
{
	memset(t, 0, sizeof(*t));
	strcpy(t->dir, "/tmp/csf-test-lint-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	put(t, "csf.yaml", csf_yaml ? csf_yaml : "apiVersion: csf/v1\nkind: Workspace\n");
}

static void
tws_lint(struct tws *t, const struct csf_lint_opts *o)
{
	struct csf_error err = CSF_ERROR_INIT;

	csf_lint_result_release(&t->r);
	csf_workspace_free(t->ws);
	assert_int_equal(csf_workspace_open(t->dir, &t->ws, &err), CSF_E_OK);
	assert_int_equal(csf_lint_workspace(t->ws, o, &t->r, &err), CSF_E_OK);
}

static void
rm_rf(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void
tws_free(struct tws *t)
{
	csf_lint_result_release(&t->r);
	csf_workspace_free(t->ws);
	rm_rf(t->dir);
}

static size_t
count_rule(const struct csf_lint_result *r, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += !strcmp(r->diags[i].rule, rule);
	return n;
}

static const struct csf_diag *
find(const struct csf_lint_result *r, const char *rule, unsigned line, unsigned col)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->diags[i].rule, rule) && r->diags[i].loc.line == line &&
		    r->diags[i].loc.col == col)
			return &r->diags[i];
	return NULL;
}

static void
dump(const struct csf_lint_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		print_message("  %s:%u:%u %s %s\n", r->diags[i].file, r->diags[i].loc.line,
			      r->diags[i].loc.col, r->diags[i].rule, r->diags[i].msg);
}

/* ------------------------------------------------------------------------------------------
 * Every rule: fires at (line, col), and a near miss does not fire
 */

#define H "module: A\nversion: 1.0.0\nruntime: {stack: go1.22}\n"

struct rule_case {
	const char *rule;
	const char *fires;		/* blueprints/a.yaml */
	unsigned line, col;
	const char *near;		/* the same file, fixed */
	const char *other;		/* blueprints/0.yaml (sorts first) in both runs, or NULL */
};

static const struct rule_case cases[] = {
	{ "yaml-syntax", "module: A\n  version: [1\n", 2, 10, H, NULL },
	{ "duplicate-key", H "owner: a\nowner: b\n", 5, 1, H "owner: a\n", NULL },
	{ "schema-unknown-key", H "scaling:\n  enabeld: true\n", 5, 3,
	  H "scaling:\n  enabled: true\n", NULL },
	{ "schema-type", H "scaling:\n  minReplicas: two\n", 5, 16,
	  H "scaling:\n  minReplicas: 2\n", NULL },
	{ "schema-enum", H "scaling:\n  mode: eventdriven\n", 5, 9,
	  H "scaling:\n  mode: eventDriven\n", NULL },
	{ "schema-required", "module: A\nversion: 1.0.0\n", 1, 1, H, NULL },
	{ "hardcoded-secret", H "configuration:\n  values:\n    DB: postgres://u:pw123456@db/x\n",
	  6, 9, H "configuration:\n  values:\n    DB: postgres://u@db:5432/x\n", NULL },
	{ "secret-not-declared", H "configuration:\n  values:\n    DB_PASSWORD: ${DB_PASSWORD}\n",
	  6, 5, H "configuration:\n  values:\n    DB_PASSWORD: ${DB_PASSWORD}\n"
	  "  secrets: [DB_PASSWORD]\n", NULL },
	{ "stateful-service", H "scalability:\n  stateless: false\n", 5, 14,
	  H "scalability:\n  stateless: true\n", NULL },
	{ "imperative-infra", H "infrastructure:\n  config:\n    mode: imperative\n", 6, 11,
	  H "infrastructure:\n  config:\n    mode: declarative\n", NULL },
	{ "static-replicas", H "scaling:\n  enabled: true\n  minReplicas: 2\n  maxReplicas: 2\n",
	  7, 16, H "scaling:\n  enabled: true\n  minReplicas: 2\n  maxReplicas: 4\n", NULL },
	{ "missing-probes", H "resilience:\n  probes:\n    liveness: /healthz\n", 5, 3,
	  H "resilience:\n  probes:\n    liveness: /healthz\n    readiness: /ready\n", NULL },
	{ "unobservable",
	  H "observability: {tracing: opentelemetry, metrics: none, logs: structured}\n", 4, 50,
	  H "observability: {tracing: opentelemetry, metrics: prometheus, logs: structured}\n",
	  NULL },
	{ "mesh-without-mtls", H "network:\n  serviceMesh: enabled\n  mtls: false\n", 6, 9,
	  H "network:\n  serviceMesh: enabled\n  mtls: true\n", NULL },
	{ "traffic-not-tenant-scoped",
	  H "network:\n  trafficPolicy:\n    allow:\n      - from: A\n        to: A\n", 7, 9,
	  H "network:\n  trafficPolicy:\n    allow:\n      - from: A\n        to: A\n"
	  "        tenantScoped: true\n", NULL },
	{ "tenant-leakage", H "infrastructure:\n  database: postgres\n  databaseSchema: shared\n",
	  6, 19, H "infrastructure:\n  database: postgres\n  databaseSchema: tenantScoped\n", NULL },
	{ "no-retry-or-timeout", H "resilience:\n  timeoutSeconds: 5\n  retries: {policy: fixed}\n",
	  6, 21, H "resilience:\n  timeoutSeconds: 5\n  retries: {policy: exponentialBackoff}\n",
	  NULL },
	{ "unversioned-event", H "events:\n  emits: [Booked]\n", 5, 11,
	  H "events:\n  emits: [Booked.v1]\n", NULL },
	{ "unversioned-api", H "api:\n  exposed: true\n", 5, 3,
	  H "api:\n  exposed: true\n  versioning: {strategy: path, default: v1}\n", NULL },
	{ "api-without-auth", H "api:\n  exposed: true\n", 5, 3,
	  H "api:\n  exposed: true\n  auth: {strategy: oauth2}\n", NULL },
	{ "api-without-rate-limit", H "api:\n  exposed: true\n", 5, 3,
	  H "api:\n  exposed: true\n  rateLimit: {perMinute: 60}\n", NULL },
	{ "resources-missing", H "cost:\n  cpuRequest: 100m\n", 4, 1,
	  H "cost:\n  cpuRequest: 100m\n  cpuLimit: 1\n  memoryRequest: 1Gi\n  memoryLimit: 1Gi\n",
	  NULL },
	{ "cost-tags-missing", H "cost:\n  costTag: {team: a}\n", 5, 3,
	  H "cost:\n  costTag: {team: a, module: A}\n", NULL },
	{ "provider-mismatch", H "cloud: {provider: aws}\nconfiguration:\n  source: azure-keyvault\n",
	  6, 11, H "cloud: {provider: aws, overlays: {aws: {secrets: aws-secrets-manager}}}\n"
	  "configuration:\n  source: azure-keyvault\n", NULL },
	{ "event-contract-mismatch", H "events:\n  consumes: [Paid.v2]\n", 5, 14,
	  H "events:\n  consumes: [Paid.v1]\n",
	  "module: B\nversion: 1.0.0\nruntime: {stack: go1.22}\nevents: {emits: [Paid.v1]}\n" },
	{ "traffic-unknown-module",
	  H "network:\n  trafficPolicy:\n    allow:\n      - {from: A, to: Ghost, tenantScoped: true}\n",
	  7, 23, H "network:\n  trafficPolicy:\n    allow:\n"
	  "      - {from: A, to: b, tenantScoped: true}\n",
	  "module: B\nversion: 1.0.0\nruntime: {stack: go1.22}\n" },
	{ "pdb-vs-min-replicas",
	  H "scaling:\n  enabled: true\n  minReplicas: 1\n  maxReplicas: 4\n", 6, 16,
	  H "scaling:\n  enabled: true\n  minReplicas: 2\n  maxReplicas: 4\n", NULL },
	{ "hpa-vs-replicas",
	  H "scaling:\n  enabled: true\n  replicas: 3\n  minReplicas: 2\n  maxReplicas: 4\n", 6, 13,
	  H "scaling:\n  enabled: true\n  minReplicas: 2\n  maxReplicas: 4\n", NULL },
	{ "unresolved-placeholder", H "configuration:\n  values:\n    URL: https://${HOST}/x\n", 6, 18,
	  H "configuration:\n  values:\n    HOST: h.example\n    URL: https://${HOST}/x\n", NULL },
	/* a.yaml is the second declaration. Names compare exactly, as render does: module a is
	 * not module A. */
	{ "duplicate-name", H, 1, 9, "module: a\nversion: 1.0.0\nruntime: {stack: go1.22}\n", H },
};

static bool
run_case(const struct rule_case *c)
{
	struct tws t;
	const struct csf_diag *d;
	bool ok;

	tws_init(&t, NULL);
	put(&t, "blueprints/a.yaml", c->fires);
	if (c->other)
		put(&t, "blueprints/0.yaml", c->other);
	tws_lint(&t, NULL);
	d = find(&t.r, c->rule, c->line, c->col);
	if (!d) {
		print_message("%s: expected at %u:%u; found:\n", c->rule, c->line, c->col);
		dump(&t.r);
		tws_free(&t);
		return false;
	}
	assert_string_equal(d->file + strlen(t.dir) + 1, "blueprints/a.yaml");
	assert_non_null(d->msg);
	assert_non_null(d->hint);
	assert_int_equal(d->sev, csf_lint_rule(c->rule)->def);
	put(&t, "blueprints/a.yaml", c->near);
	tws_lint(&t, NULL);
	ok = count_rule(&t.r, c->rule) == 0;
	if (!ok) {
		print_message("%s: the near miss fires:\n", c->rule);
		dump(&t.r);
	}
	tws_free(&t);
	return ok;
}

static void
test_lint_every_rule_fires_and_near_miss_does_not(void **state)
{
	size_t i, n, j, bad = 0;
	const struct csf_rule_info *cat = csf_lint_rules(&n);

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		bad += !run_case(&cases[i]);
	assert_int_equal(bad, 0);
	/* The table covers the whole catalog. */
	for (j = 0; j < n; j++) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			if (!strcmp(cases[i].rule, cat[j].id))
				break;
		if (i == sizeof(cases) / sizeof(cases[0]))
			print_message("rule %s has no case\n", cat[j].id);
		assert_true(i < sizeof(cases) / sizeof(cases[0]));
	}
}

static void
test_lint_catalog_ids_stable_and_unique(void **state)
{
	size_t n, i, j;
	const struct csf_rule_info *cat = csf_lint_rules(&n);

	(void)state;
	assert_int_equal(n, 30);
	for (i = 0; i < n; i++) {
		const char *p;

		for (p = cat[i].id; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '-');
		for (j = i + 1; j < n; j++)
			assert_string_not_equal(cat[i].id, cat[j].id);
		assert_ptr_equal(csf_lint_rule(cat[i].id), &cat[i]);
		assert_true(cat[i].def >= CSF_SEV_INFO);
	}
	assert_null(csf_lint_rule("no-such-rule"));
	assert_true(csf_lint_rule("missing-probes")->fixable);
	assert_true(csf_lint_rule("resources-missing")->fixable);
	assert_true(csf_lint_rule("unversioned-event")->fixable);
}

static void
test_lint_did_you_mean(void **state)
{
	static const char *const keys[] = { "liveness", "readiness", "startup" };

	(void)state;
	assert_string_equal(csf_did_you_mean("readyness", keys, 3), "readiness");
	assert_string_equal(csf_did_you_mean("Startup", keys, 3), "startup");
	assert_null(csf_did_you_mean("timeout", keys, 3));
	assert_int_equal(csf_edit_distance("kitten", "sitting", 5), 3);
}

static void
test_lint_schema_hints(void **state)
{
	struct tws t;
	const struct csf_diag *d;

	(void)state;
	tws_init(&t, NULL);
	put(&t, "blueprints/a.yaml", H "resilience:\n  probs: {}\nscaling:\n  mode: Eventdriven\n");
	tws_lint(&t, NULL);
	d = find(&t.r, "schema-unknown-key", 5, 3);
	assert_non_null(d);
	assert_string_equal(d->hint, "did you mean 'probes'?");
	assert_string_equal(d->msg, "unknown key 'probs' in resilience");
	d = find(&t.r, "schema-enum", 7, 9);
	assert_non_null(d);
	assert_string_equal(d->hint, "did you mean 'eventDriven'?");
	tws_free(&t);
}

static void
test_lint_seed_spellings_accepted(void **state)
{
	struct tws t;

	(void)state;
	tws_init(&t, NULL);
	put(&t, "blueprints/a.yaml",
	    "tenantId: vetclinic-001\nedition: premium\nmodule: BookingService\nversion: 1.2.3\n"
	    "runtime: {stack: dotnet8}\nfeatures: [SMSReminders]\n"
	    "scalability:\n  stateless: true\n  autoScaling: {minReplicas: 2, maxReplicas: 20, "
	    "trigger: cpu}\n"
	    "infrastructure:\n  databaseSchema: tenantScoped\n  secretsSource: azure-keyvault\n"
	    "  config: {mode: declarative, secrets: azure-keyvault}\n"
	    "network: {serviceMesh: enabled, mtls: true, identityProvider: workload-identity}\n"
	    "release:\n  strategy: declarative\n  track:\n    - blueprintVersion: 1.2.3\n"
	    "    - imageTag: booking-v1.2.3\n    - infraHash: a7b9f2\n"
	    "function:\n  enabled: false\n  runtime: nodejs18.x\n  memory: 512Mi\n"
	    "  triggers: [{source: BookingQueue}]\n  cloud: azure\n  observability: true\n");
	tws_lint(&t, NULL);
	assert_int_equal(count_rule(&t.r, "schema-unknown-key"), 0);
	assert_int_equal(count_rule(&t.r, "schema-type"), 0);
	assert_int_equal(count_rule(&t.r, "schema-enum"), 0);
	tws_free(&t);
}

/* ------------------------------------------------------------------------------------------
 * Suppression, severity config, cells, single files
 */

static void
test_lint_suppression_comments(void **state)
{
	struct tws t;

	(void)state;
	tws_init(&t, NULL);
	put(&t, "blueprints/a.yaml", H
	    "api:\n"
	    "  # csf-lint: disable=api-without-auth,unversioned-api internal API behind the mesh\n"
	    "  exposed: true\n"
	    "scalability:\n"
	    "  stateless: false  # csf-lint: disable=stateful-service cache warm-up, see ADR-7\n"
	    "  # an unrelated comment\n"
	    "  disposability: false  # csf-lint: disable=missing-probes wrong rule: still fires\n");
	tws_lint(&t, NULL);
	assert_int_equal(count_rule(&t.r, "api-without-auth"), 0);
	assert_int_equal(count_rule(&t.r, "unversioned-api"), 0);
	assert_non_null(find(&t.r, "api-without-rate-limit", 6, 3));
	assert_null(find(&t.r, "stateful-service", 8, 14));
	assert_non_null(find(&t.r, "stateful-service", 10, 18));
	tws_free(&t);
}

static void
test_lint_severity_config(void **state)
{
	struct tws t;
	const struct csf_diag *d;

	(void)state;
	tws_init(&t, "lint:\n  disable: [api-without-auth]\n"
		 "  severity: {unversioned-api: error, api-without-rate-limit: off, "
		 "cost-tags-missing: info}\n");
	put(&t, "blueprints/a.yaml", H "api:\n  exposed: true\n");
	tws_lint(&t, NULL);
	assert_int_equal(count_rule(&t.r, "api-without-auth"), 0);
	assert_int_equal(count_rule(&t.r, "api-without-rate-limit"), 0);
	d = find(&t.r, "unversioned-api", 5, 3);
	assert_non_null(d);
	assert_int_equal(d->sev, CSF_SEV_ERROR);
	d = find(&t.r, "cost-tags-missing", 1, 1);
	assert_non_null(d);
	assert_int_equal(d->sev, CSF_SEV_INFO);
	assert_true(t.r.ninfos >= 1);
	/* A typo in the config is itself a finding with a hint. */
	put(&t, "csf.yaml", "lint:\n  severity: {unversioned-apis: error, missing-probes: fatal}\n");
	tws_lint(&t, NULL);
	d = find(&t.r, "schema-enum", 2, 14);
	assert_non_null(d);
	assert_string_equal(d->hint, "did you mean 'unversioned-api'?");
	assert_non_null(find(&t.r, "schema-enum", 2, 55));
	tws_free(&t);
}

static void
test_lint_cells_and_provenance(void **state)
{
	struct tws t;
	const struct csf_diag *d;
	struct csf_lint_opts o = { "t2", "prod" };

	(void)state;
	tws_init(&t, NULL);
	put(&t, "editions/std.yaml", "name: std\nfeatures: []\n");
	put(&t, "tenants/t1.yaml", "tenantId: t1\nedition: std\n");
	put(&t, "tenants/t2.yaml", "tenantId: t2\nedition: std\noverrides:\n  scalability:\n"
	    "    stateless: false\n");
	put(&t, "environments/dev.yaml", "name: dev\n");
	put(&t, "environments/production.yaml", "name: production\n");
	put(&t, "blueprints/a.yaml", H "api:\n  exposed: true\n");
	tws_lint(&t, NULL);
	/* Set by the tenant: reported in the tenant file, for that tenant's cells only. */
	d = find(&t.r, "stateful-service", 5, 16);
	assert_non_null(d);
	assert_non_null(strstr(d->file, "tenants/t2.yaml"));
	assert_string_equal(d->cells, "t2/dev, t2/production");
	/* In every cell: reported once, without cells. */
	d = find(&t.r, "api-without-auth", 5, 3);
	assert_non_null(d);
	assert_null(d->cells);
	assert_int_equal(count_rule(&t.r, "api-without-auth"), 1);
	/* --tenant/--env restrict the cells (prod is an alias). */
	tws_lint(&t, &o);
	assert_non_null(find(&t.r, "stateful-service", 5, 16));
	o.tenant = "t1";
	tws_lint(&t, &o);
	assert_null(find(&t.r, "stateful-service", 5, 16));
	{
		struct csf_lint_result r;
		struct csf_error err = CSF_ERROR_INIT;

		memset(&r, 0, sizeof(r));
		o.tenant = "nobody";
		assert_int_equal(csf_lint_workspace(t.ws, &o, &r, &err), CSF_E_USAGE);
		assert_string_equal(err.msg, "unknown tenant 'nobody'");
		o.tenant = NULL;
		o.env = "qa";
		assert_int_equal(csf_lint_workspace(t.ws, &o, &r, &err), CSF_E_USAGE);
		csf_lint_result_release(&r);
	}
	tws_free(&t);
}

static void
test_lint_file_reports_only_that_file(void **state)
{
	struct tws t;
	struct csf_lint_result r;
	struct csf_error err = CSF_ERROR_INIT;
	size_t i;

	(void)state;
	tws_init(&t, NULL);
	put(&t, "blueprints/a.yaml", H "events: {consumes: [Paid.v2]}\n");
	put(&t, "blueprints/b.yaml", "module: B\nversion: 1.0.0\nruntime: {stack: go1.22}\n"
	    "events: {emits: [Paid.v1]}\napi: {exposed: true}\n");
	tws_lint(&t, NULL);
	memset(&r, 0, sizeof(r));
	for (i = 0; i < t.ws->nfiles; i++)
		if (strstr(t.ws->files[i]->path, "a.yaml"))
			assert_int_equal(csf_lint_file(t.ws, t.ws->files[i], NULL, &r, &err), CSF_E_OK);
	assert_true(r.n > 0);
	for (i = 0; i < r.n; i++)
		assert_non_null(strstr(r.diags[i].file, "a.yaml"));
	assert_non_null(find(&r, "event-contract-mismatch", 4, 21));
	csf_lint_result_release(&r);
	tws_free(&t);
}

/* A name declared twice is reported once, at the second file's name, with a hint naming the
 * first file; tenant-specific blueprints of different tenants may share a module name. */
static void
test_lint_duplicate_names(void **state)
{
	struct tws t;
	const struct csf_diag *d;

	(void)state;
	tws_init(&t, NULL);
	put(&t, "tenants/t1.yaml", "apiVersion: csf/v1\nkind: Tenant\ntenantId: t1\nedition: std\n");
	put(&t, "tenants/t2.yaml", "apiVersion: csf/v1\nkind: Tenant\n# a copy\ntenantId:   t1\n"
	    "edition: std\n");
	put(&t, "editions/std.yaml", "apiVersion: csf/v1\nkind: Edition\nname: std\n");
	put(&t, "editions/std2.yaml", "apiVersion: csf/v1\nkind: Edition\nname: std\n");
	put(&t, "environments/production.yaml", "apiVersion: csf/v1\nkind: Environment\n"
	    "name: production\n");
	put(&t, "environments/prod.yaml", "apiVersion: csf/v1\nkind: Environment\nname: prod\n");
	put(&t, "environments/dev.yaml", "apiVersion: csf/v1\nkind: Environment\nname: dev\n");
	put(&t, "blueprints/x1.yaml", "module: X\nversion: 1.0.0\ntenantId: t1\n"
	    "runtime: {stack: go1.22}\n");
	put(&t, "blueprints/x2.yaml", "module: X\nversion: 1.0.0\ntenantId: t9\n"
	    "runtime: {stack: go1.22}\n");
	tws_lint(&t, NULL);
	d = find(&t.r, "duplicate-name", 4, 13);
	if (!d)
		dump(&t.r);
	assert_non_null(d);
	assert_non_null(strstr(d->file, "tenants/t2.yaml"));
	assert_string_equal(d->msg, "tenant t1 is declared twice (render refuses this one)");
	assert_string_equal(d->hint, "first declared in tenants/t1.yaml; rename or remove one");
	d = find(&t.r, "duplicate-name", 3, 7);
	assert_non_null(d);
	assert_non_null(strstr(d->file, "editions/std2.yaml"));
	assert_non_null(strstr(d->hint, "editions/std.yaml"));
	/* prod is an alias of production: --env prod could not tell them apart. The three
	 * findings are in the three second files, one each. */
	assert_int_equal(count_rule(&t.r, "duplicate-name"), 3);
	for (size_t i = 0; i < t.r.n; i++)
		if (!strcmp(t.r.diags[i].rule, "duplicate-name") &&
		    strstr(t.r.diags[i].file, "environments/"))
			assert_non_null(strstr(t.r.diags[i].file, "environments/production.yaml"));
	/* Same module for the same tenant, or for a shared blueprint, does clash. */
	put(&t, "blueprints/x2.yaml", "module: X\nversion: 1.0.0\n"
	    "runtime: {stack: go1.22}\n");
	tws_lint(&t, NULL);
	d = find(&t.r, "duplicate-name", 1, 9);
	assert_non_null(d);
	assert_non_null(strstr(d->file, "blueprints/x2.yaml"));
	assert_string_equal(d->msg, "module X is declared twice (render refuses this one)");
	assert_string_equal(d->hint, "first declared in blueprints/x1.yaml; rename or remove one");
	tws_free(&t);
}

/* ------------------------------------------------------------------------------------------
 * Fixes
 */

static const char fix_src[] =
	"# A blueprint with comments that --fix must keep.\n"
	"module: A   # the module\n"
	"version: 1.0.0\n"
	"runtime:\n"
	"    stack: go1.22     # four-space indentation\n"
	"resilience:\n"
	"    timeoutSeconds: 5\n"
	"    # retries come later\n"
	"events:\n"
	"    emits: [Booked, 'Paid', \"Sent.v1\"]\n"
	"cost:\n"
	"    costTag:\n"
	"        team: a\n"
	"        module: A\n"
	"# trailing comment\n";

static const char fix_want[] =
	"# A blueprint with comments that --fix must keep.\n"
	"module: A   # the module\n"
	"version: 1.0.0\n"
	"runtime:\n"
	"    stack: go1.22     # four-space indentation\n"
	"resilience:\n"
	"    timeoutSeconds: 5\n"
	"    probes:\n"
	"        liveness: /healthz\n"
	"        readiness: /ready\n"
	"    # retries come later\n"
	"events:\n"
	"    emits: [Booked.v1, 'Paid.v1', \"Sent.v1\"]\n"
	"cost:\n"
	"    costTag:\n"
	"        team: a\n"
	"        module: A\n"
	"    cpuRequest: 100m\n"
	"    memoryRequest: 128Mi\n"
	"    cpuLimit: 500m\n"
	"    memoryLimit: 256Mi\n"
	"# trailing comment\n";

/* Applies every fix of t's result to blueprints/a.yaml; returns whether the text changed. */
static bool
apply_all(struct tws *t)
{
	const struct csf_fix *fixes[16];
	struct csf_buf out = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_ws_file *f = NULL;
	size_t i, n = 0, skipped;
	bool changed;

	for (i = 0; i < t->ws->nfiles; i++)
		if (strstr(t->ws->files[i]->path, "blueprints/a.yaml"))
			f = t->ws->files[i];
	assert_non_null(f);
	for (i = 0; i < t->r.n && n < 16; i++)
		if (t->r.diags[i].fix && t->r.diags[i].file == f->path)
			fixes[n++] = t->r.diags[i].fix;
	csf_fix_apply(f->doc->text.buf, f->doc->text.len, fixes, n, &out, &skipped);
	assert_int_equal(skipped, 0);
	changed = out.len != f->doc->text.len || memcmp(out.buf, f->doc->text.buf, out.len);
	if (changed)
		assert_int_equal(csf_write_file_atomic(f->path, out.buf, out.len, &err), CSF_E_OK);
	csf_buf_release(&out);
	return changed;
}

static void
test_lint_fix_keeps_comments_and_is_idempotent(void **state)
{
	struct tws t;
	struct csf_buf b = CSF_BUF_INIT;
	char *p;

	(void)state;
	tws_init(&t, NULL);
	put(&t, "blueprints/a.yaml", fix_src);
	tws_lint(&t, NULL);
	assert_int_equal(count_rule(&t.r, "missing-probes"), 1);
	assert_int_equal(count_rule(&t.r, "unversioned-event"), 2);
	assert_int_equal(count_rule(&t.r, "resources-missing"), 1);
	assert_true(apply_all(&t));
	p = csf_path_join(t.dir, "blueprints/a.yaml");
	assert_int_equal(csf_buf_read_file(&b, p, 0), 0);
	assert_string_equal(b.buf, fix_want);
	tws_lint(&t, NULL);
	assert_int_equal(count_rule(&t.r, "missing-probes"), 0);
	assert_int_equal(count_rule(&t.r, "unversioned-event"), 0);
	assert_int_equal(count_rule(&t.r, "resources-missing"), 0);
	assert_false(apply_all(&t));
	csf_buf_release(&b);
	free(p);
	tws_free(&t);
}

static void
test_lint_fix_new_blocks_at_end(void **state)
{
	struct tws t;
	struct csf_buf b = CSF_BUF_INIT;
	char *p;

	(void)state;
	tws_init(&t, NULL);
	/* No resilience and no cost block, and no newline at the end of the file. */
	put(&t, "blueprints/a.yaml", "module: A\nversion: 1.0.0\nruntime:\n  stack: go1.22");
	tws_lint(&t, NULL);
	assert_true(apply_all(&t));
	p = csf_path_join(t.dir, "blueprints/a.yaml");
	assert_int_equal(csf_buf_read_file(&b, p, 0), 0);
	assert_string_equal(b.buf, "module: A\nversion: 1.0.0\nruntime:\n  stack: go1.22\n"
				   "resilience:\n  probes:\n    liveness: /healthz\n"
				   "    readiness: /ready\n"
				   "cost:\n  cpuRequest: 100m\n  memoryRequest: 128Mi\n"
				   "  cpuLimit: 500m\n  memoryLimit: 256Mi\n");
	tws_lint(&t, NULL);
	assert_false(apply_all(&t));
	csf_buf_release(&b);
	free(p);
	tws_free(&t);
}

static void
test_lint_fix_apply_skips_overlaps(void **state)
{
	struct csf_edit e1 = { 2, 3, (char *)(uintptr_t)"X" }, e2 = { 3, 1, (char *)(uintptr_t)"Y" };
	struct csf_fix f1 = { (char *)(uintptr_t)"a", &e1, 1 }, f2 = { (char *)(uintptr_t)"b", &e2, 1 };
	const struct csf_fix *fixes[] = { &f1, &f2 };
	struct csf_buf out = CSF_BUF_INIT;
	size_t skipped;

	(void)state;
	csf_fix_apply("0123456789", 10, fixes, 2, &out, &skipped);
	assert_string_equal(out.buf, "01X56789");
	assert_int_equal(skipped, 1);
	csf_buf_release(&out);
}

/* ------------------------------------------------------------------------------------------
 * Secret detectors
 */

static enum csf_secret_kind
scan(const char *s, bool entropy)
{
	size_t at;

	return csf_secret_scan(s, strlen(s), entropy, &at);
}

static void
test_lint_secret_detectors(void **state)
{
	(void)state;
	assert_int_equal(scan("-----BEGIN EC PRIVATE KEY-----\nabc\n", false), CSF_SECRET_PEM);
	assert_int_equal(scan("-----BEGIN CERTIFICATE-----\nabc\n", false), CSF_SECRET_NONE);
	assert_int_equal(scan("key AKIAIOSFODNN7EXAMPLE here", false), CSF_SECRET_AWS_KEY);
	assert_int_equal(scan("AKIAIOSFODNN7EXAMPL", false), CSF_SECRET_NONE);
	assert_int_equal(scan("xAKIAIOSFODNN7EXAMPLE", false), CSF_SECRET_NONE);
	assert_int_equal(scan("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
			      false), CSF_SECRET_JWT);
	assert_int_equal(scan("eyJhbGciOiJIUzI1NiJ9.notajwt", false), CSF_SECRET_NONE);
	assert_int_equal(scan("amqp://user:hunter22@mq:5672/", false), CSF_SECRET_URL_PASSWORD);
	assert_int_equal(scan("https://user@host.example/path", false), CSF_SECRET_NONE);
	assert_int_equal(scan("https://host.example:8443/a:b@c", false), CSF_SECRET_NONE);
	assert_int_equal(scan("https://u:${DB_PASSWORD}@db/x", false), CSF_SECRET_NONE);
	assert_int_equal(scan("Server=db;User Id=sa;Password=Secr3t!;", false),
			 CSF_SECRET_ASSIGNMENT);
	assert_int_equal(scan("Server=db;Password=${DB_PASSWORD};", false), CSF_SECRET_NONE);
	assert_int_equal(scan("Password=;", false), CSF_SECRET_NONE);
	assert_int_equal(scan("sk_live_4eC39HqLyjWDarjtT1zdp7dc", true), CSF_SECRET_ENTROPY);
	assert_int_equal(scan("sk_live_4eC39HqLyjWDarjtT1zdp7dc", false), CSF_SECRET_NONE);
	/* Identifiers are not secrets: UUIDs, hex digests, paths, words. */
	assert_int_equal(scan("123e4567-e89b-12d3-a456-426614174000", true), CSF_SECRET_NONE);
	assert_int_equal(scan("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
			      true), CSF_SECRET_NONE);
	assert_int_equal(scan("registry.example/booking@sha256:9F86D081884C7D659A2FEAA0C55AD015",
			      true), CSF_SECRET_NONE);
	assert_int_equal(scan("/var/lib/booking/Cache2024/Segments/Index", true), CSF_SECRET_NONE);
	assert_int_equal(scan("AppointmentBookedNotificationHandlerV2", true), CSF_SECRET_NONE);
}

static void
test_lint_secret_key_names(void **state)
{
	(void)state;
	assert_true(csf_secret_key_name("DB_PASSWORD"));
	assert_true(csf_secret_key_name("apiKey"));
	assert_true(csf_secret_key_name("SMS_API_KEY"));
	assert_true(csf_secret_key_name("SERVICE_BUS_CONNECTION_STRING"));
	assert_true(csf_secret_key_name("jwtSigningKey"));
	assert_false(csf_secret_key_name("TOKEN_TTL_SECONDS"));
	assert_false(csf_secret_key_name("CACHE_KEY_PREFIX"));
	assert_false(csf_secret_key_name("PARTITION_KEY"));
	assert_false(csf_secret_key_name("SMS_PROVIDER"));
}

/* ------------------------------------------------------------------------------------------
 * Inputs found by the fuzzer (tests/fuzz/fuzz_lint.c)
 */

static void
test_lint_fuzz_recursive_alias(void **state)
{
	/* Made the node tree cyclic: linting never ended. */
	static const char input[] =
		"a: &a xx\nc:b: 1}\"\"[\",x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
		"b: &b [*a,*b,*b,*b,*b,productionIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIas,"
		"stat]\n";
	struct tws t;

	(void)state;
	tws_init(&t, NULL);
	put(&t, "blueprints/a.yaml", input);
	tws_lint(&t, NULL);
	assert_int_equal(t.r.n, 1);
	assert_string_equal(t.r.diags[0].rule, "yaml-syntax");
	assert_int_equal(t.r.diags[0].loc.line, 3);
	assert_int_equal(t.r.diags[0].loc.col, 11);
	tws_free(&t);
}

/* ------------------------------------------------------------------------------------------
 * Reports
 */

static void
test_lint_report_text_json_sarif(void **state)
{
	struct tws t;
	struct csf_buf out = CSF_BUF_INIT;
	const struct csf_workspace *wss[1];
	char want[256];

	(void)state;
	tws_init(&t, NULL);
	put(&t, "blueprints/a.yaml", H "owner: a\nowner: b\n");
	/* libyaml rejects the control character; the echoed source line must not carry it. */
	put(&t, "blueprints/b.yaml", "module: \"\x1b[31mred\x1b]0;title\x07\"\n");
	tws_lint(&t, NULL);
	wss[0] = t.ws;
	csf_lint_report(&out, CSF_REPORT_TEXT, &t.r, wss, 1, t.ws->nfiles, false);
	snprintf(want, sizeof(want), "%s/blueprints/a.yaml:5:1: error: duplicate key 'owner' (YAML "
		 "keeps only the last one) [duplicate-key]\n    5 | owner: b\n      | ^\n", t.dir);
	if (!strstr(out.buf, want))
		print_message("%s", out.buf);
	assert_non_null(strstr(out.buf, want));
	snprintf(want, sizeof(want), "%s/blueprints/b.yaml:1:", t.dir);
	assert_non_null(strstr(out.buf, want));
	assert_non_null(strstr(out.buf, "[yaml-syntax]\n    1 | module: \""));
	assert_null(strchr(out.buf, '\x1b'));
	assert_null(strchr(out.buf, '\x07'));
	csf_buf_reset(&out);
	csf_lint_report(&out, CSF_REPORT_JSON, &t.r, wss, 1, t.ws->nfiles, false);
	assert_non_null(strstr(out.buf, "\"rule\":\t\"duplicate-key\""));
	assert_non_null(strstr(out.buf, "\"line\":\t5"));
	csf_buf_reset(&out);
	csf_lint_report(&out, CSF_REPORT_SARIF, &t.r, wss, 1, t.ws->nfiles, false);
	assert_non_null(strstr(out.buf, "\"version\":\t\"2.1.0\""));
	assert_non_null(strstr(out.buf, "\"uri\":\t\"blueprints/a.yaml\""));
	assert_non_null(strstr(out.buf, "\"uriBaseId\":\t\"WORKSPACE\""));
	assert_non_null(strstr(out.buf, "\"ruleId\":\t\"duplicate-key\""));
	csf_buf_release(&out);
	tws_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lint_every_rule_fires_and_near_miss_does_not),
		cmocka_unit_test(test_lint_catalog_ids_stable_and_unique),
		cmocka_unit_test(test_lint_did_you_mean),
		cmocka_unit_test(test_lint_schema_hints),
		cmocka_unit_test(test_lint_seed_spellings_accepted),
		cmocka_unit_test(test_lint_suppression_comments),
		cmocka_unit_test(test_lint_severity_config),
		cmocka_unit_test(test_lint_cells_and_provenance),
		cmocka_unit_test(test_lint_file_reports_only_that_file),
		cmocka_unit_test(test_lint_duplicate_names),
		cmocka_unit_test(test_lint_fix_keeps_comments_and_is_idempotent),
		cmocka_unit_test(test_lint_fix_new_blocks_at_end),
		cmocka_unit_test(test_lint_fix_apply_skips_overlaps),
		cmocka_unit_test(test_lint_secret_detectors),
		cmocka_unit_test(test_lint_secret_key_names),
		cmocka_unit_test(test_lint_fuzz_recursive_alias),
		cmocka_unit_test(test_lint_report_text_json_sarif),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
