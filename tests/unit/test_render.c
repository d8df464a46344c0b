/* Unit tests of core/render: the meaning of the generated artifacts, checked by parsing them
 * back (fixtures in tests/fixtures/render/ws). */
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
#include "core/emit_yaml.h"
#include "core/render.h"
#include "core/sha256.h"
#include "core/workspace.h"
#include "core/yaml_model.h"

struct fx {
	struct csf_workspace *ws;
	char *root;
};

static char *
fixture_root(void)
{
	const char *top = getenv("CSF_TOP");
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s/tests/fixtures/render/ws", top && *top ? top : ".");
	return strdup(buf);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct csf_error err = CSF_ERROR_INIT;

	f->root = fixture_root();
	assert_int_equal(csf_workspace_open(f->root, &f->ws, &err), CSF_E_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	csf_workspace_free(f->ws);
	free(f->root);
	free(f);
	return 0;
}

/* Renders (module, tenant, env) for provider (NULL: effective) into set; asserts success. */
static void
render(struct fx *f, const char *module, const char *tenant, const char *env, const char *provider,
       struct csf_artifact_set *set)
{
	struct csf_render_opts o = { 0 };
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_blueprint *bp = csf_ws_blueprint(f->ws, module);

	assert_non_null(bp);
	o.provider = provider;
	assert_int_equal(csf_render_cell(f->ws, bp, tenant ? csf_ws_tenant(f->ws, tenant) : NULL,
					 env ? csf_ws_env(f->ws, env) : NULL, &o, set, &err),
			 CSF_E_OK);
}

/* The artifact at path, parsed as YAML. Caller frees with csf_yaml_doc_free(). */
static struct csf_yaml_doc *
parse(const struct csf_artifact_set *set, const char *path)
{
	const struct csf_artifact *a = csf_artifact_set_find(set, path);
	struct csf_yaml_doc *doc = NULL;
	struct csf_error err = CSF_ERROR_INIT;

	if (!a)
		fail_msg("no artifact %s", path);
	assert_int_equal(csf_yaml_load_mem(path, a->data.buf, a->data.len, NULL, &doc, &err), CSF_E_OK);
	return doc;
}

static long long
int_at(const struct csf_yaml_doc *doc, const char *path)
{
	long long v = -1;

	if (!csf_node_int(csf_node_path(doc->root, path), &v))
		fail_msg("no integer at %s", path);
	return v;
}

static const char *
str_at(const struct csf_yaml_doc *doc, const char *path)
{
	const char *s = csf_node_str(csf_node_path(doc->root, path));

	if (!s)
		fail_msg("no scalar at %s", path);
	return s;
}

static bool
contains(const struct csf_artifact *a, const char *needle)
{
	return memmem(a->data.buf, a->data.len, needle, strlen(needle)) != NULL;
}

/* ==== scaling ================================================================================ */

static void
test_render_hpa_min_max_from_effective_blueprint(void **state)
{
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	struct csf_yaml_doc *hpa, *dep;

	/* blueprint 2..6, tenant acme-001 sets maxReplicas 9, production replicasFactor 1.5:
	 * min ceil(2 x 1.5) = 3, max ceil(9 x 1.5) = 14. */
	render(*state, "OrdersApi", "acme-001", "production", NULL, &set);
	hpa = parse(&set, "k8s/hpa.yaml");
	assert_string_equal(str_at(hpa, "kind"), "HorizontalPodAutoscaler");
	assert_int_equal(int_at(hpa, "spec.minReplicas"), 3);
	assert_int_equal(int_at(hpa, "spec.maxReplicas"), 14);
	assert_int_equal(int_at(hpa, "spec.metrics.[0].resource.target.averageUtilization"), 70);
	assert_null(csf_artifact_set_find(&set, "k8s/scaledobject.yaml"));
	/* An autoscaler owns the replica count: the Deployment fixes none. */
	dep = parse(&set, "k8s/deployment.yaml");
	assert_null(csf_node_path(dep->root, "spec.replicas"));
	/* The provenance of the value stays reachable: the tenant file set maxReplicas. */
	assert_non_null(set.eff);
	assert_non_null(strstr(csf_effective_get(set.eff, "scaling.maxReplicas")->file, "tenants/acme-001.yaml"));
	csf_yaml_doc_free(hpa);
	csf_yaml_doc_free(dep);
	csf_artifact_set_release(&set);

	/* dev halves: min ceil(2 x 0.5) = 1, max ceil(6 x 0.5) = 3 (no tenant override). */
	render(*state, "OrdersApi", "bolt-002", "dev", NULL, &set);
	hpa = parse(&set, "k8s/hpa.yaml");
	assert_int_equal(int_at(hpa, "spec.minReplicas"), 1);
	assert_int_equal(int_at(hpa, "spec.maxReplicas"), 3);
	csf_yaml_doc_free(hpa);
	csf_artifact_set_release(&set);
}

static void
test_render_queue_trigger_gives_scaledobject_and_no_replicas(void **state)
{
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	struct csf_yaml_doc *so, *dep, *ta;

	render(*state, "StockWorker", "acme-001", "production", NULL, &set);
	assert_null(csf_artifact_set_find(&set, "k8s/hpa.yaml"));
	so = parse(&set, "k8s/scaledobject.yaml");
	assert_string_equal(str_at(so, "apiVersion"), "keda.sh/v1alpha1");
	assert_int_equal(int_at(so, "spec.minReplicaCount"), 2);	/* ceil(1 x 1.5) */
	assert_int_equal(int_at(so, "spec.maxReplicaCount"), 18);	/* ceil(12 x 1.5) */
	assert_string_equal(str_at(so, "spec.triggers.[0].type"), "azure-servicebus");
	assert_string_equal(str_at(so, "spec.triggers.[0].metadata.queueName"), "stock-updates");
	assert_string_equal(str_at(so, "spec.triggers.[0].metadata.messageCount"), "40");
	assert_string_equal(str_at(so, "spec.scaleTargetRef.name"), "stock-worker");
	dep = parse(&set, "k8s/deployment.yaml");
	assert_null(csf_node_path(dep->root, "spec.replicas"));
	/* The queue scaler authenticates with the workload identity, not a connection string. */
	ta = parse(&set, "k8s/triggerauthentication.yaml");
	assert_string_equal(str_at(ta, "spec.podIdentity.provider"), "azure-workload");
	csf_yaml_doc_free(so);
	csf_yaml_doc_free(dep);
	csf_yaml_doc_free(ta);
	csf_artifact_set_release(&set);
}

static void
test_render_pdb_consistent_with_min_replicas(void **state)
{
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	struct csf_yaml_doc *pdb;

	render(*state, "OrdersApi", "acme-001", "production", NULL, &set);	/* min 3 */
	pdb = parse(&set, "k8s/pdb.yaml");
	assert_int_equal(int_at(pdb, "spec.minAvailable"), 2);
	assert_null(csf_node_path(pdb->root, "spec.maxUnavailable"));
	csf_yaml_doc_free(pdb);
	csf_artifact_set_release(&set);

	render(*state, "OrdersApi", "bolt-002", "dev", NULL, &set);	/* min 1: drains must work */
	pdb = parse(&set, "k8s/pdb.yaml");
	assert_int_equal(int_at(pdb, "spec.maxUnavailable"), 1);
	assert_null(csf_node_path(pdb->root, "spec.minAvailable"));
	csf_yaml_doc_free(pdb);
	csf_artifact_set_release(&set);
}

static void
test_render_schedule_window_and_prometheus_trigger(void **state)
{
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	struct csf_yaml_doc *so;

	/* cron 02:30 and a 5400 s job: the window closes two hours later (ceil to hours). */
	render(*state, "ReportJob", "acme-001", "production", NULL, &set);
	so = parse(&set, "k8s/scaledobject.yaml");
	assert_string_equal(str_at(so, "spec.triggers.[0].type"), "cron");
	assert_string_equal(str_at(so, "spec.triggers.[0].metadata.start"), "30 2 * * *");
	assert_string_equal(str_at(so, "spec.triggers.[0].metadata.end"), "30 4 * * *");
	assert_string_equal(str_at(so, "spec.triggers.[0].metadata.desiredReplicas"), "6");	/* max 4 x 1.5 */
	assert_string_equal(str_at(so, "spec.triggers.[1].type"), "prometheus");
	assert_string_equal(str_at(so, "spec.triggers.[1].metadata.query"), "sum(rate(report_requests_total[2m]))");
	csf_yaml_doc_free(so);
	csf_artifact_set_release(&set);
}

static void
test_render_traffic_policy_admits_exactly_the_callers(void **state)
{
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	struct csf_yaml_doc *np, *auth;
	const struct csf_node *from;
	size_t i;
	bool orders = false;

	/* OrdersApi's blueprint allows OrdersApi -> StockWorker: StockWorker's policies admit the
	 * orders-api pods of the same tenant (tenantScoped) and nobody else's. */
	render(*state, "StockWorker", "acme-001", "dev", NULL, &set);
	np = parse(&set, "k8s/networkpolicy.yaml");
	from = csf_node_path(np->root, "spec.ingress.[0].from");
	assert_non_null(from);
	for (i = 0; i < from->n; i++) {
		const struct csf_node *pod = csf_node_get(from->kids[i], "podSelector");
		const char *name = csf_node_str(csf_node_get(csf_node_get(pod, "matchLabels"), "app.kubernetes.io/name"));

		if (name) {
			assert_string_equal(name, "orders-api");
			assert_null(csf_node_get(from->kids[i], "namespaceSelector"));
			orders = true;
		}
	}
	assert_true(orders);
	auth = parse(&set, "k8s/mesh/meshtlsauthentication.yaml");
	assert_string_equal(str_at(auth, "spec.identityRefs.[0].name"), "orders-api");
	assert_string_equal(str_at(auth, "spec.identityRefs.[0].kind"), "ServiceAccount");
	csf_yaml_doc_free(np);
	csf_yaml_doc_free(auth);
	csf_artifact_set_release(&set);

	/* OrdersApi itself calls StockWorker (egress) and is called by nobody but the gateway. */
	render(*state, "OrdersApi", "acme-001", "dev", NULL, &set);
	np = parse(&set, "k8s/networkpolicy.yaml");
	/* Label keys hold dots, so walk to them instead of using a dotted path. */
	assert_string_equal(csf_node_str(csf_node_get(csf_node_path(np->root, "spec.egress.[1].to.[0].podSelector.matchLabels"),
						      "app.kubernetes.io/name")),
			    "stock-worker");
	csf_yaml_doc_free(np);
	csf_artifact_set_release(&set);
}

/* ==== overlays =============================================================================== */

static void
test_render_tenant_override_changes_exactly_what_it_names(void **state)
{
	struct fx *f = *state;
	const struct csf_blueprint *bp = csf_ws_blueprint(f->ws, "OrdersApi");
	const struct csf_tenant *acme = csf_ws_tenant(f->ws, "acme-001");
	const struct csf_environment *env = csf_ws_env(f->ws, "production");
	struct csf_tenant plain = *acme;
	struct csf_effective *with, *without;
	struct csf_artifact_set a = CSF_ARTIFACT_SET_INIT, b = CSF_ARTIFACT_SET_INIT;
	struct csf_render_opts o = { 0 };
	struct csf_error err = CSF_ERROR_INIT;
	const char *changed[] = { "k8s/configmap.yaml", "k8s/deployment.yaml", "k8s/hpa.yaml",
				  "release.yaml", "execution-metadata.json" };
	struct csf_yaml_doc *ca, *cb;
	size_t i, j, ndiff = 0;

	/* The same tenant without its per-module overrides. */
	plain.modules = NULL;
	with = csf_effective_new(f->ws, bp, acme, env);
	without = csf_effective_new(f->ws, bp, &plain, env);
	o.ws = f->ws;
	assert_int_equal(csf_render(with, &o, &a, &err), CSF_E_OK);
	assert_int_equal(csf_render(without, &o, &b, &err), CSF_E_OK);
	assert_int_equal(a.n, b.n);
	for (i = 0; i < a.n; i++) {
		bool same = a.items[i].data.len == b.items[i].data.len &&
			    !memcmp(a.items[i].data.buf, b.items[i].data.buf, a.items[i].data.len);
		bool expected = false;

		assert_string_equal(a.items[i].path, b.items[i].path);
		for (j = 0; j < sizeof(changed) / sizeof(changed[0]); j++)
			expected |= !strcmp(changed[j], a.items[i].path);
		if (!same) {
			ndiff++;
			if (!expected)
				fail_msg("%s changed but the override does not touch it", a.items[i].path);
		}
	}
	/* The configmap (SMS_PROVIDER), the deployment (its config checksum), the HPA (max),
	 * and the release files that hash them: nothing else. */
	assert_int_equal(ndiff, 5);
	ca = parse(&a, "k8s/configmap.yaml");
	cb = parse(&b, "k8s/configmap.yaml");
	assert_string_equal(str_at(ca, "data.SMS_PROVIDER"), "twilio");
	assert_string_equal(str_at(cb, "data.SMS_PROVIDER"), "none");
	{
		const struct csf_node *da = csf_node_path(ca->root, "data");
		const struct csf_node *db = csf_node_path(cb->root, "data");

		assert_int_equal(da->n, db->n);
		for (i = 0; i < da->n; i++) {
			const char *k = csf_node_str(da->kids[2 * i]);

			if (strcmp(k, "SMS_PROVIDER"))
				assert_string_equal(csf_node_str(da->kids[2 * i + 1]),
						    csf_node_str(csf_node_get(db, k)));
		}
	}
	csf_yaml_doc_free(ca);
	csf_yaml_doc_free(cb);
	csf_artifact_set_release(&a);
	csf_artifact_set_release(&b);
	csf_effective_free(with);
	csf_effective_free(without);
}

/* ==== secrets ================================================================================ */

static void
test_render_secret_names_appear_values_never(void **state)
{
	static const char *const providers[] = { "azure", "aws", "gcp" };
	static const char *const values[] = { "hunter2-NOT-FOR-GIT", "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0" };
	size_t p, i, v;

	for (p = 0; p < 3; p++) {
		struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
		const struct csf_artifact *es, *cm;
		bool warned_legacy = false;

		render(*state, "OrdersApi", "acme-001", "production", providers[p], &set);
		es = csf_artifact_set_find(&set, "k8s/externalsecret.yaml");
		assert_non_null(es);
		assert_true(contains(es, "secretKey: DB_PASSWORD"));
		assert_true(contains(es, "secretKey: PAYMENT_API_KEY"));
		/* The freight in release.yaml keeps the names, redacts the values. */
		assert_true(contains(csf_artifact_set_find(&set, "release.yaml"), "- DB_PASSWORD"));
		assert_true(contains(csf_artifact_set_find(&set, "release.yaml"), "LEGACY_DB: <redacted>"));
		for (i = 0; i < set.n; i++)
			for (v = 0; v < 2; v++)
				if (contains(&set.items[i], values[v]))
					fail_msg("%s: secret value leaked into %s", providers[p], set.items[i].path);
		for (i = 0; i < set.nwarnings; i++) {
			for (v = 0; v < 2; v++)
				assert_null(strstr(set.warnings[i], values[v]));
			warned_legacy |= strstr(set.warnings[i], "LEGACY_DB") != NULL;
		}
		assert_true(warned_legacy);
		cm = csf_artifact_set_find(&set, "k8s/configmap.yaml");
		assert_true(contains(cm, "LEGACY_DB: <redacted>"));
		assert_true(contains(cm, "SIGNING_TOKEN: <redacted>"));
		/* An ordinary value is kept, with its placeholder resolved. */
		assert_true(contains(cm, "CALLBACK_URL: https://orders.example/cb"));
		csf_artifact_set_release(&set);
	}
}

static void
test_render_looks_secret(void **state)
{
	(void)state;
	assert_true(csf_render_looks_secret("DB_PASSWORD", "x"));
	assert_true(csf_render_looks_secret("CONN", "Server=a;Password=b"));
	assert_true(csf_render_looks_secret("K", "AKIAIOSFODNN7EXAMPLE"));
	assert_true(csf_render_looks_secret("K", "postgres://app:pw@db.example/x"));
	assert_true(csf_render_looks_secret("K", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"));
	assert_true(csf_render_looks_secret("K", "-----BEGIN PRIVATE KEY-----"));
	assert_false(csf_render_looks_secret("API_HOST", "api.vetclinic.example"));
	assert_false(csf_render_looks_secret("SERVICE_URL", "https://api.example.com/v1/things"));
	assert_false(csf_render_looks_secret("DB_PASSWORD", "${DB_PASSWORD}"));
	assert_false(csf_render_looks_secret("OIDC_CLIENT_ID", "clinic-portal"));
}

/* ==== providers ============================================================================== */

static void
test_render_provider_switch_changes_store_queue_and_iac(void **state)
{
	static const struct {
		const char *provider, *store_key, *queue_trigger, *iac, *transport;
	} want[] = {
		{ "azure", "spec.provider.azurekv.vaultUrl", "azure-servicebus", "iac/azure/main.bicep", "azure-service-bus" },
		{ "aws", "spec.provider.aws.service", "aws-sqs-queue", "iac/aws/stack.yaml", "sns-sqs" },
		{ "gcp", "spec.provider.gcpsm.projectID", "gcp-pubsub", "iac/gcp/main.tf", "gcp-pubsub" },
	};
	static const char *const iac[] = { "iac/azure/main.bicep", "iac/aws/stack.yaml", "iac/gcp/main.tf" };
	size_t p, i;

	for (p = 0; p < 3; p++) {
		struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
		struct csf_yaml_doc *ss, *so, *eb, *cm;

		render(*state, "StockWorker", "acme-001", "dev", want[p].provider, &set);
		assert_string_equal(set.provider, want[p].provider);
		ss = parse(&set, "k8s/secretstore.yaml");
		assert_non_null(csf_node_path(ss->root, want[p].store_key));
		so = parse(&set, "k8s/scaledobject.yaml");
		assert_string_equal(str_at(so, "spec.triggers.[0].type"), want[p].queue_trigger);
		eb = parse(&set, "events/eventbindings.yaml");
		assert_string_equal(str_at(eb, "transport"), want[p].transport);
		cm = parse(&set, "k8s/configmap.yaml");
		assert_string_equal(str_at(cm, "data.CSF_SECRET_STORE"),
				    p == 0 ? "azure-keyvault" : p == 1 ? "aws-secrets-manager" : "gcp-secret-manager");
		for (i = 0; i < 3; i++)
			if (i == p)
				assert_non_null(csf_artifact_set_find(&set, iac[i]));
			else
				assert_null(csf_artifact_set_find(&set, iac[i]));
		/* The azure-only transport of the blueprint is translated, with a warning. */
		if (p)
			assert_true(set.nwarnings > 0);
		csf_yaml_doc_free(ss);
		csf_yaml_doc_free(so);
		csf_yaml_doc_free(eb);
		csf_yaml_doc_free(cm);
		csf_artifact_set_release(&set);
	}
}

static void
test_render_workload_identity_per_provider(void **state)
{
	static const char *const keys[] = { "azure.workload.identity/client-id", "eks.amazonaws.com/role-arn",
					    "iam.gke.io/gcp-service-account" };
	static const char *const providers[] = { "azure", "aws", "gcp" };
	size_t p;

	for (p = 0; p < 3; p++) {
		struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
		struct csf_yaml_doc *sa;

		render(*state, "OrdersApi", "bolt-002", "production", providers[p], &set);
		sa = parse(&set, "k8s/serviceaccount.yaml");
		assert_non_null(csf_node_get(csf_node_path(sa->root, "metadata.annotations"), keys[p]));
		csf_yaml_doc_free(sa);
		csf_artifact_set_release(&set);
	}
}

static void
test_render_every_substitution_is_declared(void **state)
{
	static const char *const providers[] = { "azure", "aws", "gcp" };
	size_t p, i, found = 0;

	/* Manifests may hold ${NAME} for values known only after the IaC ran; release.yaml must
	 * list every one, or Flux would apply them literally. */
	for (p = 0; p < 3; p++) {
		struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
		const struct csf_artifact *rel;

		render(*state, "StockWorker", "acme-001", "dev", providers[p], &set);
		rel = csf_artifact_set_find(&set, "release.yaml");
		for (i = 0; i < set.n; i++) {
			const struct csf_artifact *a = &set.items[i];
			const char *q = a->data.buf;

			if (a->family != CSF_FAMILY_K8S && a->family != CSF_FAMILY_MESH)
				continue;
			while ((q = strstr(q, "${"))) {
				const char *e = strchr(q, '}');
				char want[128];

				assert_non_null(e);
				snprintf(want, sizeof(want), "\n  - %.*s\n", (int)(e - q - 2), q + 2);
				if (!contains(rel, want))
					fail_msg("%s: %s uses ${%.*s}, which release.yaml does not list", providers[p],
						 a->path, (int)(e - q - 2), q + 2);
				found++;
				q = e;
			}
		}
		csf_artifact_set_release(&set);
	}
	assert_true(found >= 3);
}

/* ==== labels ================================================================================= */

static void
test_render_labels_carry_tenant_module_edition_environment(void **state)
{
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	size_t i, checked = 0;

	render(*state, "OrdersApi", "acme-001", "production", NULL, &set);
	for (i = 0; i < set.n; i++) {
		const struct csf_artifact *a = &set.items[i];
		struct csf_yaml_doc *doc;
		const struct csf_node *labels;

		if ((a->family != CSF_FAMILY_K8S && a->family != CSF_FAMILY_MESH &&
		     a->family != CSF_FAMILY_GATEWAY) || strstr(a->path, ".json") ||
		    strstr(a->path, "kustomization"))
			continue;
		doc = parse(&set, a->path);
		labels = csf_node_path(doc->root, "metadata.labels");
		assert_non_null(labels);
		assert_string_equal(csf_node_str(csf_node_get(labels, "csf.connectsoft.io/tenant")), "acme-001");
		assert_string_equal(csf_node_str(csf_node_get(labels, "csf.connectsoft.io/edition")), "gold");
		assert_string_equal(csf_node_str(csf_node_get(labels, "csf.connectsoft.io/environment")), "production");
		if (strcmp(a->kind, "Namespace")) {
			/* The namespace is shared by the tenant's modules: no module labels on it. */
			assert_string_equal(csf_node_str(csf_node_get(labels, "csf.connectsoft.io/module")), "OrdersApi");
			assert_string_equal(csf_node_str(csf_node_get(labels, "app.kubernetes.io/name")), "orders-api");
			assert_string_equal(csf_node_str(csf_node_get(labels, "app.kubernetes.io/version")), "2.4.1");
			assert_string_equal(str_at(doc, "metadata.namespace"), "acme-001");
		}
		checked++;
		csf_yaml_doc_free(doc);
	}
	assert_true(checked >= 12);
	csf_artifact_set_release(&set);
}

static void
test_render_label_and_tag_values_stay_valid(void **state)
{
	struct fx *f = *state;
	struct csf_effective *eff = csf_effective_new(f->ws, csf_ws_blueprint(f->ws, "OrdersApi"),
						      csf_ws_tenant(f->ws, "acme-001"), csf_ws_env(f->ws, "dev"));
	struct csf_yaml_doc *patch = NULL, *dep;
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	struct csf_render_opts o = { 0 };
	struct csf_error err = CSF_ERROR_INIT;
	static const char text[] = "version: 2.4.1+build.7\n";

	/* Semver build metadata is not allowed in label values or image tags. */
	assert_int_equal(csf_yaml_load_mem("patch", text, sizeof(text) - 1, NULL, &patch, &err), CSF_E_OK);
	eff->root = csf_yaml_merge(&eff->arena, eff->root, patch->root);
	assert_int_equal(csf_render(eff, &o, &set, &err), CSF_E_OK);
	dep = parse(&set, "k8s/deployment.yaml");
	assert_string_equal(csf_node_str(csf_node_get(csf_node_path(dep->root, "metadata.labels"),
						      "app.kubernetes.io/version")), "2.4.1_build.7");
	assert_string_equal(str_at(dep, "spec.template.spec.containers.[0].image"),
			    "registry.example/shop/orders-api:2.4.1_build.7");
	/* release.yaml keeps the real version. */
	assert_true(contains(csf_artifact_set_find(&set, "release.yaml"), "version: \"2.4.1+build.7\""));
	csf_yaml_doc_free(dep);
	csf_artifact_set_release(&set);
	csf_yaml_doc_free(patch);
	csf_effective_free(eff);
}

/* ==== determinism ============================================================================ */

static void
assert_same_sets(const struct csf_artifact_set *a, const struct csf_artifact_set *b)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		assert_string_equal(a->items[i].path, b->items[i].path);
		assert_int_equal(a->items[i].data.len, b->items[i].data.len);
		assert_memory_equal(a->items[i].data.buf, b->items[i].data.buf, a->items[i].data.len);
		assert_string_equal(a->items[i].sha256, b->items[i].sha256);
	}
	assert_string_equal(a->blueprint_hash, b->blueprint_hash);
	assert_string_equal(a->infra_hash, b->infra_hash);
}

static void
test_render_deterministic_across_runs_and_working_directories(void **state)
{
	struct fx *f = *state;
	struct csf_artifact_set a = CSF_ARTIFACT_SET_INIT, b = CSF_ARTIFACT_SET_INIT, c = CSF_ARTIFACT_SET_INIT;
	struct csf_workspace *ws2 = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	char *cwd = getcwd(NULL, 0), *abs = realpath(f->root, NULL);
	const struct csf_artifact *meta;

	render(f, "StockWorker", "acme-001", "production", "gcp", &a);
	render(f, "StockWorker", "acme-001", "production", "gcp", &b);
	assert_same_sets(&a, &b);
	/* Another working directory, the workspace opened by its absolute path. */
	assert_int_equal(chdir("/"), 0);
	assert_int_equal(csf_workspace_open(abs, &ws2, &err), CSF_E_OK);
	{
		struct csf_render_opts o = { 0 };

		o.provider = "gcp";
		assert_int_equal(csf_render_cell(ws2, csf_ws_blueprint(ws2, "StockWorker"),
						 csf_ws_tenant(ws2, "acme-001"), csf_ws_env(ws2, "production"),
						 &o, &c, &err), CSF_E_OK);
	}
	assert_int_equal(chdir(cwd), 0);
	assert_same_sets(&a, &c);
	/* No clock: a timestamp appears only when given. */
	meta = csf_artifact_set_find(&a, "execution-metadata.json");
	assert_false(contains(meta, "generatedAt"));
	csf_artifact_set_release(&a);
	csf_artifact_set_release(&b);
	csf_artifact_set_release(&c);
	csf_workspace_free(ws2);
	free(cwd);
	free(abs);
}

static void
test_render_hashes_cover_artifacts(void **state)
{
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	const struct csf_artifact *rel, *meta;
	char hex[65];
	size_t i;

	render(*state, "OrdersApi", "acme-001", "dev", "aws", &set);
	rel = csf_artifact_set_find(&set, "release.yaml");
	meta = csf_artifact_set_find(&set, "execution-metadata.json");
	assert_non_null(rel);
	assert_ptr_equal(meta, &set.items[set.n - 1]);
	for (i = 0; i < set.n; i++) {
		assert_string_equal(csf_sha256_hex(set.items[i].data.buf, set.items[i].data.len, hex),
				    set.items[i].sha256);
		if (&set.items[i] != meta)
			assert_true(contains(meta, set.items[i].sha256));
	}
	assert_true(contains(rel, set.blueprint_hash));
	assert_true(contains(rel, set.infra_hash));
	assert_true(contains(meta, set.infra_hash));
	csf_artifact_set_release(&set);
}

/* ==== bad input ============================================================================== */

static void
test_render_rejects_unsafe_names(void **state)
{
	struct fx *f = *state;
	const struct csf_blueprint *bp = csf_ws_blueprint(f->ws, "OrdersApi");
	struct csf_tenant evil = *csf_ws_tenant(f->ws, "acme-001");
	struct csf_blueprint badbp = *bp;
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	struct csf_render_opts o = { 0 };
	struct csf_error err = CSF_ERROR_INIT;

	evil.id = "../evil";
	assert_int_equal(csf_render_cell(f->ws, bp, &evil, NULL, NULL, &set, &err), CSF_E_RENDER);
	assert_int_equal(set.n, 0);
	/* the refused name is quoted as written, so the user can find it */
	assert_non_null(strstr(err.msg, "tenant '../evil' is not a DNS label"));
	evil.id = "a/b";
	assert_int_equal(csf_render_cell(f->ws, bp, &evil, NULL, NULL, &set, &err), CSF_E_RENDER);
	/* ... terminal-safe: an escape sequence in the name never reaches the message */
	evil.id = "x\033]0;pwned\007";
	assert_int_equal(csf_render_cell(f->ws, bp, &evil, NULL, NULL, &set, &err), CSF_E_RENDER);
	assert_non_null(strstr(err.msg, "tenant 'x?' is not a DNS label"));
	assert_null(strchr(err.msg, '\033'));
	badbp.module = "../../etc";
	assert_int_equal(csf_render_cell(f->ws, &badbp, NULL, NULL, NULL, &set, &err), CSF_E_RENDER);
	assert_non_null(strstr(err.msg, "module"));
	badbp.module = NULL;
	assert_int_equal(csf_render_cell(f->ws, &badbp, NULL, NULL, NULL, &set, &err), CSF_E_RENDER);
	o.provider = "ibm";
	assert_int_equal(csf_render_cell(f->ws, bp, NULL, NULL, &o, &set, &err), CSF_E_RENDER);
	assert_non_null(strstr(err.msg, "provider"));
	assert_int_equal(set.n, 0);
	assert_null(set.eff);
}

/* ==== the matrix ============================================================================= */

struct count {
	size_t cells, artifacts, last_index, total;
	bool ordered;
};

static bool
count_cb(void *ctx, const struct csf_render_cell *cell, enum csf_status st,
	 const struct csf_artifact_set *set, const struct csf_error *err)
{
	struct count *c = ctx;

	(void)err;
	assert_int_equal(st, CSF_E_OK);
	c->ordered &= cell->index == c->cells;
	c->cells++;
	c->artifacts += set->n;
	c->total = cell->total;
	assert_string_equal(set->provider, cell->provider);
	return true;
}

static bool
provider_cb(void *ctx, const struct csf_render_cell *cell, enum csf_status st,
	    const struct csf_artifact_set *set, const struct csf_error *err)
{
	/* acme-001 runs on azure, bolt-002 on aws (their tenant files say so). */
	assert_string_equal(cell->provider, !strcmp(cell->tenant->id, "acme-001") ? "azure" : "aws");
	return count_cb(ctx, cell, st, set, err);
}

static void
test_render_matrix_streams_every_cell(void **state)
{
	struct fx *f = *state;
	struct count c = { 0, 0, 0, 0, true };
	struct csf_matrix_opts mo = { 0 };
	struct csf_error err = CSF_ERROR_INIT;

	/* 3 modules x 3 providers x 2 tenants x 2 environments. */
	assert_int_equal(csf_render_matrix(f->ws, &mo, NULL, count_cb, &c, &err), CSF_E_OK);
	assert_int_equal(c.cells, 36);
	assert_int_equal(c.total, 36);
	assert_true(c.ordered);
	assert_true(c.artifacts > 36 * 15);
	memset(&c, 0, sizeof(c));
	c.ordered = true;
	mo.module = "StockWorker";
	mo.provider = "aws";
	mo.env = "prod";
	assert_int_equal(csf_render_matrix(f->ws, &mo, NULL, count_cb, &c, &err), CSF_E_OK);
	assert_int_equal(c.cells, 2);
	/* One cell per (module, tenant, environment) at the tenant's own provider. */
	memset(&c, 0, sizeof(c));
	c.ordered = true;
	mo.module = NULL;
	mo.env = NULL;
	mo.effective_provider = true;
	assert_int_equal(csf_render_matrix(f->ws, &mo, NULL, provider_cb, &c, &err), CSF_E_OK);
	assert_int_equal(c.cells, 12);
	mo.effective_provider = false;
	mo.tenant = "nobody";
	assert_int_equal(csf_render_matrix(f->ws, &mo, NULL, count_cb, &c, &err), CSF_E_USAGE);
	mo.tenant = NULL;
	mo.provider = "ibm";
	assert_int_equal(csf_render_matrix(f->ws, &mo, NULL, count_cb, &c, &err), CSF_E_USAGE);
}

/* ==== emitter and sha256 ===================================================================== */

static void
test_render_yaml_quoting(void **state)
{
	static const char *const quoted[] = { "", "yes", "No", "on", "OFF", "y", "true", "null", "~", "1",
					      "1.0", "1.2.3", "0x1F", "0o17", "20:00", "-1", ".5", ".inf",
					      "-x", "a: b", "a #b", "x:", "*ref", "&a", "!tag", "{a}", "[a]",
					      "'q'", "\"q\"", "%x", "@x", "`x", "tab\there", "line\nbreak", "a,b",
					      "=", "<<" };
	static const char *const plain[] = { "hello", "booking-service", "https://api.example/x",
					      "registry.example/shop/orders-api:2.4.1", "ALL", "TCP" };
	struct csf_buf b = CSF_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++)
		if (!csf_ey_needs_quotes(quoted[i]))
			fail_msg("'%s' should be quoted", quoted[i]);
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (csf_ey_needs_quotes(plain[i]))
			fail_msg("'%s' should be plain", plain[i]);
	/* Round trip through the loader: every quoted string reads back as the same string. */
	for (i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++) {
		struct csf_yaml_doc *doc = NULL;
		struct csf_error err = CSF_ERROR_INIT;
		const struct csf_node *v;

		csf_buf_reset(&b);
		csf_ey_kv(&b, 0, "k", quoted[i]);
		assert_int_equal(csf_yaml_load_mem("q", b.buf, b.len, NULL, &doc, &err), CSF_E_OK);
		v = csf_node_get(doc->root, "k");
		assert_int_equal(v->type, CSF_SCALAR_STR);
		assert_string_equal(v->str, quoted[i]);
		csf_yaml_doc_free(doc);
	}
	csf_buf_release(&b);
}

static void
test_render_sha256_vectors(void **state)
{
	char hex[65], *big = malloc(1000000);
	struct csf_sha256 c;
	unsigned char d[32];
	size_t i;

	(void)state;
	assert_string_equal(csf_sha256_hex("", 0, hex),
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(csf_sha256_hex("abc", 3, hex),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(csf_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex),
			    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(big, 'a', 1000000);
	/* Incremental in odd-sized pieces gives the one-shot digest of a million 'a'. */
	csf_sha256_init(&c);
	for (i = 0; i < 1000000; i += 997)
		csf_sha256_update(&c, big + i, i + 997 > 1000000 ? 1000000 - i : 997);
	csf_sha256_final(&c, d);
	assert_string_equal(csf_sha256_tohex(d, hex),
			    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_render_hpa_min_max_from_effective_blueprint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_queue_trigger_gives_scaledobject_and_no_replicas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_pdb_consistent_with_min_replicas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_schedule_window_and_prometheus_trigger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_traffic_policy_admits_exactly_the_callers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_tenant_override_changes_exactly_what_it_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_secret_names_appear_values_never, setup, teardown),
		cmocka_unit_test(test_render_looks_secret),
		cmocka_unit_test_setup_teardown(test_render_provider_switch_changes_store_queue_and_iac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_workload_identity_per_provider, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_every_substitution_is_declared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_labels_carry_tenant_module_edition_environment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_label_and_tag_values_stay_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_deterministic_across_runs_and_working_directories, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_hashes_cover_artifacts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_rejects_unsafe_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_matrix_streams_every_cell, setup, teardown),
		cmocka_unit_test(test_render_yaml_quoting),
		cmocka_unit_test(test_render_sha256_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
