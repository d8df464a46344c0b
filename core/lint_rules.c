/* The semantic rules (DESIGN §3) on one effective blueprint, and the workspace-wide rules.
 *
 * Positions: a finding about a value points at the value (its provenance: the blueprint, the
 * tenant or the environment file that set it); a finding about something missing points at
 * the key of the nearest enclosing block that exists, else at the blueprint's `module:` key. */
#include "core/lint_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* The blocks of one effective blueprint, looked up once. */
struct bpv {
	struct csf_lint_run *run;
	const struct csf_effective *eff;
	const struct csf_node *root, *module_key;
	const struct csf_node *runtime, *scalability, *scaling, *resilience, *infra, *config;
	const struct csf_node *network, *obs, *events, *api, *function, *cost, *cloud;
	bool is_function, is_static;
};

static const struct csf_node *
get(const struct csf_node *map, const char *key)
{
	return csf_node_get(map, key);
}

static const struct csf_node *
key_of(const struct csf_node *map, const char *key)
{
	return csf_node_get_key(map, key);
}

static const char *
text(const struct csf_node *map, const char *key)
{
	return csf_node_str(csf_node_get(map, key));
}

static bool
is_true(const struct csf_node *n)
{
	bool b;

	return csf_node_bool(n, &b) && b;
}

static bool
is_false(const struct csf_node *n)
{
	bool b;

	return csf_node_bool(n, &b) && !b;
}

static bool
eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* The key of block `key` in the root when present, else the module key, else the root. */
static const struct csf_node *
anchor(const struct bpv *v, const char *key)
{
	const struct csf_node *k = key ? key_of(v->root, key) : NULL;

	return k ? k : v->module_key ? v->module_key : v->root;
}

static bool
same_file(const struct bpv *v, const struct csf_node *n)
{
	return n && v->eff->bp->file->doc && n->file == v->eff->bp->file->doc->path;
}

/* ------------------------------------------------------------------------------------------
 * Anti-patterns of the seed
 */

static void
rule_stateful(const struct bpv *v)
{
	static const char *const local[] = { "local", "hostPath", "hostpath", "local-disk",
					     "localDisk", "emptyDir", "node-local", NULL };
	const struct csf_node *n;
	size_t i;

	if (is_false(n = get(v->scalability, "stateless")))
		csf_lint_at(v->run, CSF_R_STATEFUL_SERVICE, n,
			    "keep state in the database or cache and set stateless: true",
			    "scalability.stateless is false: a stateful service cannot autoscale, "
			    "roll or fail over safely");
	if (is_false(n = get(v->scalability, "disposability")))
		csf_lint_at(v->run, CSF_R_STATEFUL_SERVICE, n,
			    "handle SIGTERM, finish in-flight work quickly and set disposability: true",
			    "scalability.disposability is false: pods that cannot be stopped at any "
			    "time block scaling and upgrades");
	n = get(v->infra, "storage");
	for (i = 0; csf_node_str(n) && local[i]; i++)
		if (!strcmp(n->str, local[i])) {
			csf_lint_at(v->run, CSF_R_STATEFUL_SERVICE, n,
				    "use the provider's object storage (azure-blob, s3, gcs) or a "
				    "database",
				    "infrastructure.storage '%s' keeps data on the node's local disk",
				    n->str);
			break;
		}
}

static bool
looks_scripted(const char *s)
{
	size_t n = strlen(s);
	static const char *const cli[] = { "az ", "aws ", "gcloud ", "kubectl ", "bash ", "sh ",
					   "pwsh ", NULL };
	size_t i;

	if ((n > 3 && !strcmp(s + n - 3, ".sh")) || (n > 4 && !strcmp(s + n - 4, ".ps1")) ||
	    (n > 5 && !strcmp(s + n - 5, ".bash")))
		return true;
	for (i = 0; cli[i]; i++)
		if (!strncmp(s, cli[i], strlen(cli[i])))
			return true;
	return false;
}

static void
rule_imperative(const struct bpv *v)
{
	const struct csf_node *n, *cfg = get(v->infra, "config");
	size_t i;

	if (eq(text(cfg, "mode"), "imperative"))
		csf_lint_at(v->run, CSF_R_IMPERATIVE_INFRA, get(cfg, "mode"),
			    "declare the resources in the blueprint and let the factory render "
			    "Bicep, CloudFormation or Terraform",
			    "infrastructure.config.mode is imperative: provisioning is not versioned or "
			    "reproducible");
	if ((n = key_of(v->infra, "scripts")) && !csf_node_is_null(get(v->infra, "scripts")))
		csf_lint_at(v->run, CSF_R_IMPERATIVE_INFRA, n,
			    "replace the scripts with declared infrastructure (database, queue, storage, "
			    "cache)",
			    "infrastructure.scripts provisions infrastructure imperatively");
	if ((n = key_of(v->infra, "hooks")) && !csf_node_is_null(get(v->infra, "hooks")))
		csf_lint_at(v->run, CSF_R_IMPERATIVE_INFRA, n,
			    "replace the hooks with declared infrastructure",
			    "infrastructure.hooks runs imperative steps around provisioning");
	for (i = 0; csf_node_is_map(v->infra) && i < v->infra->n; i++) {
		const char *k = csf_node_str(v->infra->kids[2 * i]);

		n = v->infra->kids[2 * i + 1];
		if (eq(k, "scripts") || eq(k, "hooks") || !csf_node_text(n))
			continue;
		if (looks_scripted(n->str))
			csf_lint_at(v->run, CSF_R_IMPERATIVE_INFRA, n,
				    "declare the resource instead of running a script",
				    "infrastructure.%s runs a script or CLI command ('%s')", k, n->str);
	}
}

static void
minmax(const struct bpv *v, const struct csf_node **min, const struct csf_node **max)
{
	const struct csf_node *as = get(v->scalability, "autoScaling");

	*min = get(v->scaling, "minReplicas");
	*max = get(v->scaling, "maxReplicas");
	if (!*min)
		*min = get(as, "minReplicas");
	if (!*max)
		*max = get(as, "maxReplicas");
}

static void
rule_static_replicas(const struct bpv *v)
{
	const struct csf_node *min, *max, *en = get(v->scaling, "enabled");
	long long lo, hi;

	if (v->is_function)
		return;
	if (is_false(en)) {
		csf_lint_at(v->run, CSF_R_STATIC_REPLICAS, en,
			    "set scaling.enabled: true with minReplicas, maxReplicas and a trigger",
			    "scaling is disabled: the service runs a fixed number of replicas "
			    "regardless of load");
		return;
	}
	if (!csf_node_is_map(v->scaling) && !csf_node_is_map(get(v->scalability, "autoScaling"))) {
		csf_lint_at(v->run, CSF_R_STATIC_REPLICAS, anchor(v, NULL),
			    "add a scaling block (enabled, mode, minReplicas, maxReplicas, triggers)",
			    "no scaling block: the service runs a fixed number of replicas "
			    "regardless of load");
		return;
	}
	minmax(v, &min, &max);
	if (!csf_node_int(min, &lo) || !csf_node_int(max, &hi))
		return;
	if (hi < lo)
		csf_lint_at(v->run, CSF_R_STATIC_REPLICAS, max, "raise maxReplicas above minReplicas",
			    "maxReplicas (%lld) is below minReplicas (%lld)", hi, lo);
	else if (hi == lo)
		csf_lint_at(v->run, CSF_R_STATIC_REPLICAS, max,
			    "give the autoscaler room: maxReplicas above minReplicas",
			    "minReplicas equals maxReplicas (%lld): the autoscaler can never scale", hi);
}

static void
rule_probes(const struct bpv *v)
{
	const struct csf_node *probes = get(v->resilience, "probes"), *at;
	bool lv = get(probes, "liveness") != NULL, rd = get(probes, "readiness") != NULL;
	struct csf_diag *d;

	if (v->is_function || (lv && rd))
		return;
	at = key_of(v->resilience, "probes");
	if (!at)
		at = anchor(v, "resilience");
	d = csf_lint_at(v->run, CSF_R_MISSING_PROBES, at,
			"add resilience.probes with liveness and readiness endpoints "
			"(--fix adds /healthz and /ready)",
			!lv && !rd ? "no liveness or readiness probe: Kubernetes cannot restart or "
				     "load-balance the service safely" :
			!lv ? "no liveness probe: a hung pod is never restarted" :
			      "no readiness probe: traffic reaches pods that are not ready");
	if (d && same_file(v, at))
		d->fix = csf_fix_missing_probes(v->eff->bp->file->doc, v->eff->bp->root);
}

static void
rule_unobservable(const struct bpv *v)
{
	const struct csf_node *n;
	const char *s;

	if (!v->obs) {
		if (v->is_function && (is_true(get(v->function, "observability")) ||
				       csf_node_is_map(get(v->function, "observability"))))
			return;
		csf_lint_at(v->run, CSF_R_UNOBSERVABLE, anchor(v, NULL),
			    "add observability: { tracing: opentelemetry, metrics: prometheus, "
			    "logs: structured }",
			    "no observability block: no traces, metrics or structured logs");
		return;
	}
	s = text(v->obs, "tracing");
	if (!s || !strcmp(s, "none"))
		csf_lint_at(v->run, CSF_R_UNOBSERVABLE, (n = get(v->obs, "tracing")) ? n :
			    anchor(v, "observability"), "set observability.tracing: opentelemetry",
			    "no tracing: requests cannot be followed across services (no traceId)");
	s = text(v->obs, "metrics");
	if (!s || !strcmp(s, "none"))
		csf_lint_at(v->run, CSF_R_UNOBSERVABLE, (n = get(v->obs, "metrics")) ? n :
			    anchor(v, "observability"), "set observability.metrics: prometheus",
			    "no metrics: autoscaling and alerting have nothing to read");
	s = text(v->obs, "logs");
	if (!s || !strcmp(s, "plain"))
		csf_lint_at(v->run, CSF_R_UNOBSERVABLE, (n = get(v->obs, "logs")) ? n :
			    anchor(v, "observability"), "set observability.logs: structured",
			    "logs are not structured: they cannot be enriched with tenantId and "
			    "traceId");
}

static void
rule_network(const struct bpv *v)
{
	const struct csf_node *sm = get(v->network, "serviceMesh"), *mesh = get(v->network, "mesh");
	const struct csf_node *mtls = get(v->network, "mtls");
	const struct csf_node *allow = csf_node_path(v->network, "trafficPolicy.allow");
	bool meshed = eq(csf_node_str(sm), "enabled") || is_true(sm) ||
		      eq(csf_node_str(mesh), "istio") || eq(csf_node_str(mesh), "linkerd");
	bool multi = !get(v->root, "tenantId");
	size_t i;

	if (meshed && !is_true(mtls))
		csf_lint_at(v->run, CSF_R_MESH_WITHOUT_MTLS,
			    mtls ? mtls : sm ? key_of(v->network, "serviceMesh") :
			    key_of(v->network, "mesh"), "set network.mtls: true",
			    "the service mesh is enabled without mutual TLS: service-to-service "
			    "traffic is unauthenticated");
	for (i = 0; csf_node_is_seq(allow) && i < allow->n; i++) {
		const struct csf_node *it = allow->kids[i], *ts = get(it, "tenantScoped");

		if (!csf_node_is_map(it))
			continue;
		if (is_false(ts) && multi)
			csf_lint_at(v->run, CSF_R_TENANT_LEAKAGE, ts,
				    "set tenantScoped: true so that calls stay inside one tenant",
				    "traffic from %s to %s crosses tenants (tenantScoped: false)",
				    text(it, "from") ? text(it, "from") : "?",
				    text(it, "to") ? text(it, "to") : "?");
		else if (!ts)
			csf_lint_at(v->run, CSF_R_TRAFFIC_NOT_TENANT_SCOPED, it,
				    "add tenantScoped: true to the rule",
				    "traffic rule from %s to %s is not tenant-scoped",
				    text(it, "from") ? text(it, "from") : "?",
				    text(it, "to") ? text(it, "to") : "?");
	}
}

static void
rule_tenant_data(const struct bpv *v)
{
	const struct csf_node *schema = get(v->infra, "databaseSchema");
	const struct csf_node *db = get(v->infra, "database");

	if (get(v->root, "tenantId"))
		return;		/* a tenant-specific blueprint serves one tenant */
	if (eq(csf_node_str(schema), "shared"))
		csf_lint_at(v->run, CSF_R_TENANT_LEAKAGE, schema,
			    "set infrastructure.databaseSchema: tenantScoped",
			    "a shared database schema in a multi-tenant module: tenants can read "
			    "each other's data");
	else if (!schema && csf_node_str(db) && strcmp(db->str, "none"))
		csf_lint_at(v->run, CSF_R_TENANT_LEAKAGE, db,
			    "add infrastructure.databaseSchema: tenantScoped",
			    "database %s without databaseSchema: tenantScoped in a multi-tenant module",
			    db->str);
}

static void
rule_retry_timeout(const struct bpv *v)
{
	const struct csf_node *pol = csf_node_path(v->resilience, "retries.policy");

	if (eq(csf_node_str(pol), "fixed"))
		csf_lint_at(v->run, CSF_R_NO_RETRY_OR_TIMEOUT, pol,
			    "use policy: exponentialBackoff",
			    "retries without backoff (policy fixed) hammer a failing dependency");
	if (v->is_function) {
		if (!get(v->function, "timeoutSeconds"))
			csf_lint_at(v->run, CSF_R_NO_RETRY_OR_TIMEOUT, anchor(v, "function"),
				    "set function.timeoutSeconds",
				    "function without a timeout: a stuck invocation runs until the "
				    "platform kills it");
		return;
	}
	if (!v->is_static && !get(v->resilience, "timeoutSeconds"))
		csf_lint_at(v->run, CSF_R_NO_RETRY_OR_TIMEOUT, anchor(v, "resilience"),
			    "set resilience.timeoutSeconds",
			    "no timeout (resilience.timeoutSeconds): calls can hang forever");
}

bool
csf_lint_has_version(const char *s)
{
	const char *dot = strrchr(s, '.');

	if (!dot || dot == s || dot[1] != 'v' || !isdigit((unsigned char)dot[2]))
		return false;
	for (dot += 2; *dot; dot++)
		if (!isdigit((unsigned char)*dot))
			return false;
	return true;
}

static void
rule_events(const struct bpv *v)
{
	static const char *const lists[] = { "emits", "consumes" };
	size_t l, i;

	for (l = 0; l < 2; l++) {
		const struct csf_node *seq = get(v->events, lists[l]);

		for (i = 0; csf_node_is_seq(seq) && i < seq->n; i++) {
			const struct csf_node *it = seq->kids[i];
			const struct csf_ws_file *f;
			struct csf_diag *d;

			if (!csf_node_text(it) || csf_lint_has_version(it->str))
				continue;
			d = csf_lint_at(v->run, CSF_R_UNVERSIONED_EVENT, it,
					"name events Name.vN (--fix appends .v1)",
					"event '%s' has no version suffix (.v1, .v2, …)", it->str);
			if (d && (f = csf_lint_file_of(v->run, it->file)))
				d->fix = csf_fix_event_version(f->doc, it);
		}
	}
}

static void
rule_api(const struct bpv *v)
{
	const struct csf_node *ex = get(v->api, "exposed"), *auth = get(v->api, "auth");
	const struct csf_node *at = key_of(v->api, "exposed");

	if (!is_true(ex))
		return;
	if (!get(v->api, "versioning"))
		csf_lint_at(v->run, CSF_R_UNVERSIONED_API, at,
			    "add api.versioning { strategy: header|path, default: v1, supported: [v1] }",
			    "the API is exposed without versioning: every change is a breaking change");
	if (!auth)
		csf_lint_at(v->run, CSF_R_API_WITHOUT_AUTH, at,
			    "add api.auth { strategy: token|oauth2|mtls|apiKey, scopes: […] }",
			    "the API is exposed without authentication");
	else if (eq(text(auth, "strategy"), "none"))
		csf_lint_at(v->run, CSF_R_API_WITHOUT_AUTH, get(auth, "strategy"),
			    "choose token, oauth2, mtls or apiKey",
			    "the API is exposed with auth.strategy none");
	if (!get(get(v->api, "rateLimit"), "perMinute"))
		csf_lint_at(v->run, CSF_R_API_WITHOUT_RATE_LIMIT,
			    key_of(v->api, "rateLimit") ? key_of(v->api, "rateLimit") : at,
			    "add api.rateLimit.perMinute",
			    "the API is exposed without a rate limit");
}

static void
rule_cost(const struct bpv *v)
{
	static const char *const res[] = { "cpuRequest", "memoryRequest", "cpuLimit", "memoryLimit" };
	const struct csf_node *tags = get(v->cost, "costTag"), *at;
	struct csf_buf miss = CSF_BUF_INIT;
	struct csf_diag *d;
	size_t i, n = 0;

	if (!v->is_function) {
		for (i = 0; i < 4; i++)
			if (!get(v->cost, res[i]))
				csf_buf_addf(&miss, "%s%s", n++ ? ", " : "", res[i]);
		if (n) {
			at = anchor(v, "cost");
			d = csf_lint_at(v->run, CSF_R_RESOURCES_MISSING, at,
					"set requests and limits under cost (--fix adds defaults "
					"100m/128Mi requests, 500m/256Mi limits)",
					"no %s: the scheduler cannot place the pods and costs are "
					"unbounded", miss.buf);
			if (d && same_file(v, at))
				d->fix = csf_fix_resources(v->eff->bp->file->doc, v->eff->bp->root);
		}
	}
	csf_buf_reset(&miss);
	n = 0;
	if (!get(tags, "team"))
		csf_buf_addf(&miss, "team");
	if (!get(tags, "module"))
		csf_buf_addf(&miss, "%smodule", miss.len ? " and " : "");
	if (miss.len)
		csf_lint_at(v->run, CSF_R_COST_TAGS_MISSING,
			    key_of(v->cost, "costTag") ? key_of(v->cost, "costTag") : anchor(v, "cost"),
			    "add cost.costTag { team: …, module: … }",
			    "no cost tag for %s: the module's cloud spend cannot be attributed", miss.buf);
	csf_buf_release(&miss);
}

/* Provider-specific values and the provider they belong to, sorted by value for bsearch. */
struct provider_value {
	const char *value, *provider;
};

static const struct provider_value provider_values[] = {
	{ "aws-secrets-manager", "aws" }, { "azure-blob", "azure" }, { "azure-cdn", "azure" },
	{ "azure-event-grid", "azure" }, { "azure-files", "azure" }, { "azure-front-door", "azure" },
	{ "azure-functions", "azure" }, { "azure-key-vault", "azure" }, { "azure-keyvault", "azure" },
	{ "azure-redis", "azure" }, { "azure-service-bus", "azure" },
	{ "azure-storage-queue", "azure" }, { "cloud-cdn", "gcp" }, { "cloud-functions", "gcp" },
	{ "cloud-sql", "gcp" }, { "cloud-storage", "gcp" }, { "cloudfront", "aws" },
	{ "cosmos", "azure" }, { "cosmosdb", "azure" }, { "dynamodb", "aws" },
	{ "elasticache", "aws" }, { "event-grid", "azure" }, { "eventbridge", "aws" },
	{ "firestore", "gcp" }, { "gcp-pubsub", "gcp" }, { "gcp-secret-manager", "gcp" },
	{ "gcs", "gcp" }, { "kinesis", "aws" }, { "lambda", "aws" }, { "memorystore", "gcp" },
	{ "pubsub", "gcp" }, { "rds", "aws" }, { "s3", "aws" }, { "secret-manager", "gcp" },
	{ "secrets-manager", "aws" }, { "service-bus", "azure" }, { "sns", "aws" },
	{ "sns-sqs", "aws" }, { "sqs", "aws" },
};

static int
cmp_provider_value(const void *key, const void *elem)
{
	return strcmp(key, ((const struct provider_value *)elem)->value);
}

/* The provider a provider-specific value belongs to, or NULL. */
const char *
csf_lint_provider_of(const char *value)
{
	const struct provider_value *pv = bsearch(value, provider_values,
		sizeof(provider_values) / sizeof(provider_values[0]), sizeof(provider_values[0]),
		cmp_provider_value);

	return pv ? pv->provider : NULL;
}

static void
check_provider(const struct bpv *v, const struct csf_node *n, const char *what)
{
	const char *prov;

	if (!csf_node_text(n) || !(prov = csf_lint_provider_of(n->str)) ||
	    !strcmp(prov, v->eff->provider))
		return;
	csf_lint_at(v->run, CSF_R_PROVIDER_MISMATCH, n,
		    "use the provider's equivalent, or give cloud.overlays.<provider> a map of "
		    "replacements",
		    "%s '%s' is %s service but the provider here is %s", what, n->str,
		    !strcmp(prov, "azure") ? "an Azure" : !strcmp(prov, "aws") ? "an AWS" : "a GCP",
		    v->eff->provider);
}

static void
rule_provider(const struct bpv *v)
{
	const struct csf_node *ov = get(v->cloud, "overlays"), *fc;

	if (csf_node_is_map(get(ov, v->eff->provider)))
		return;
	check_provider(v, get(v->config, "source"), "configuration.source");
	check_provider(v, get(v->infra, "database"), "infrastructure.database");
	check_provider(v, get(v->infra, "queue"), "infrastructure.queue");
	check_provider(v, get(v->infra, "storage"), "infrastructure.storage");
	check_provider(v, get(v->infra, "cache"), "infrastructure.cache");
	check_provider(v, get(v->infra, "secretsSource"), "infrastructure.secretsSource");
	check_provider(v, csf_node_path(v->infra, "config.secrets"), "infrastructure.config.secrets");
	check_provider(v, get(v->events, "transport"), "events.transport");
	check_provider(v, csf_node_path(v->api, "cdn.provider"), "api.cdn.provider");
	fc = get(v->function, "cloud");
	if (csf_node_text(fc) && strcmp(fc->str, v->eff->provider))
		csf_lint_at(v->run, CSF_R_PROVIDER_MISMATCH, fc,
			    "remove function.cloud (the tenant's provider decides) or add "
			    "cloud.overlays.<provider>",
			    "function.cloud is %s but the provider here is %s", fc->str,
			    v->eff->provider);
}

static void
rule_replicas(const struct bpv *v)
{
	const struct csf_node *min, *max, *as = get(v->scalability, "autoScaling");
	const struct csf_node *rep = get(v->scaling, "replicas"), *mode = get(v->scaling, "mode");
	const struct csf_node *trig = get(v->scaling, "triggers");
	bool scaling_on = csf_node_is_map(v->scaling) && !is_false(get(v->scaling, "enabled"));
	long long lo;
	size_t i;

	if (v->is_function)
		return;
	minmax(v, &min, &max);
	if ((scaling_on || as) && csf_node_int(min, &lo) && lo == 1)
		csf_lint_at(v->run, CSF_R_PDB_VS_MIN_REPLICAS, min,
			    "set minReplicas to 2 or more",
			    "minReplicas 1 with the generated PodDisruptionBudget (minAvailable 1): "
			    "node drains block until the only pod is gone");
	if (rep && (scaling_on || as))
		csf_lint_at(v->run, CSF_R_HPA_VS_REPLICAS, rep,
			    "remove scaling.replicas; minReplicas and maxReplicas bound the autoscaler",
			    "fixed replicas together with autoscaling: the Deployment's replicas and "
			    "the autoscaler overwrite each other");
	if (scaling_on && csf_node_is_map(as))
		csf_lint_at(v->run, CSF_R_HPA_VS_REPLICAS, key_of(v->scalability, "autoScaling"),
			    "keep one of scaling and scalability.autoScaling",
			    "both scaling and scalability.autoScaling are declared: two autoscalers "
			    "would fight over one Deployment");
	if (scaling_on && (eq(csf_node_str(mode), "cpu") || eq(csf_node_str(mode), "memory")))
		for (i = 0; csf_node_is_seq(trig) && i < trig->n; i++) {
			const char *t = text(trig->kids[i], "type");

			if (t && strcmp(t, "cpu") && strcmp(t, "memory")) {
				csf_lint_at(v->run, CSF_R_HPA_VS_REPLICAS, mode,
					    "use mode: eventDriven (one KEDA ScaledObject for all "
					    "triggers)",
					    "mode %s renders an HPA, but trigger %s needs a KEDA "
					    "ScaledObject: the two would fight over one Deployment",
					    mode->str, t);
				break;
			}
		}
}

static bool
names_value(const struct csf_node *values, const struct csf_node *secrets, const char *name,
	    size_t n)
{
	size_t i;

	for (i = 0; csf_node_is_map(values) && i < values->n; i++) {
		const char *k = csf_node_str(values->kids[2 * i]);

		if (k && strlen(k) == n && !memcmp(k, name, n))
			return true;
	}
	for (i = 0; csf_node_is_seq(secrets) && i < secrets->n; i++) {
		const char *k = csf_node_str(secrets->kids[i]);

		if (k && strlen(k) == n && !memcmp(k, name, n))
			return true;
	}
	return false;
}

/* csf_secret_key_name() of a key node, cached per node for the run (key nodes are shared by
 * every cell that merges them). */
static bool
secret_key(struct csf_lint_run *run, const struct csf_node *k)
{
	size_t h, i;

	if (run->keyc_used * 2 >= run->keyc_size) {
		size_t n = run->keyc_size ? run->keyc_size * 2 : 1024;
		const void **keys = csf_xcalloc(n, sizeof(*keys));
		unsigned char *vals = csf_xcalloc(n, 1);

		for (i = 0; i < run->keyc_size; i++) {
			if (!run->keyc[i])
				continue;
			for (h = ((uintptr_t)run->keyc[i] >> 4) & (n - 1); keys[h]; h = (h + 1) & (n - 1))
				;
			keys[h] = run->keyc[i];
			vals[h] = run->keyc_val[i];
		}
		free(run->keyc);
		free(run->keyc_val);
		run->keyc = keys;
		run->keyc_val = vals;
		run->keyc_size = n;
	}
	for (h = ((uintptr_t)k >> 4) & (run->keyc_size - 1); run->keyc[h];
	     h = (h + 1) & (run->keyc_size - 1))
		if (run->keyc[h] == k)
			return run->keyc_val[h];
	run->keyc[h] = k;
	run->keyc_val[h] = csf_secret_key_name(k->str);
	run->keyc_used++;
	return run->keyc_val[h];
}

static void
rule_config_values(const struct bpv *v)
{
	const struct csf_node *values = get(v->config, "values"), *secrets = get(v->config, "secrets");
	size_t i;

	for (i = 0; csf_node_is_map(values) && i < values->n; i++) {
		const struct csf_node *k = values->kids[2 * i], *val = values->kids[2 * i + 1];
		const char *s = csf_node_text(val), *p;

		if (csf_node_str(k) && secret_key(v->run, k) &&
		    !names_value(NULL, secrets, k->str, k->len))
			csf_lint_at(v->run, CSF_R_SECRET_NOT_DECLARED, k,
				    "keep the value in the secret store and list the name under "
				    "configuration.secrets",
				    "'%s' looks like a secret but is not declared in "
				    "configuration.secrets", k->str);
		for (p = s; p && (p = strstr(p, "${")); p += 2) {
			const char *end = strchr(p + 2, '}');
			struct csf_loc loc = val->loc;
			const char *q;

			if (!end)
				break;
			if (names_value(values, secrets, p + 2, (size_t)(end - p - 2)))
				continue;
			if (val->loc.line == val->end.line && (val->style == CSF_STYLE_PLAIN ||
							       val->style == CSF_STYLE_SINGLE ||
							       val->style == CSF_STYLE_DOUBLE)) {
				loc.col += val->style != CSF_STYLE_PLAIN;
				for (q = s; q < p; q++)
					if (((unsigned char)*q & 0xc0) != 0x80)
						loc.col++;
			}
			csf_lint_emit(v->run, CSF_R_UNRESOLVED_PLACEHOLDER, val->file, loc,
				      "declare the name under configuration.values or "
				      "configuration.secrets",
				      "placeholder ${%.*s} names no declared value or secret",
				      (int)(end - p - 2), p + 2);
		}
	}
}

/* The rule groups and the blocks each reads (anchors included: a finding about a missing block
 * points at the module key, which is CSF_B_ROOT). */
static const struct {
	void (*fn)(const struct bpv *v);
	unsigned reads;
} groups[CSF_LINT_GROUPS] = {
	{ rule_stateful, CSF_B_ROOT | CSF_B_SCALABILITY | CSF_B_INFRA },
	{ rule_imperative, CSF_B_ROOT | CSF_B_INFRA },
	{ rule_static_replicas, CSF_B_ROOT | CSF_B_SCALING | CSF_B_SCALABILITY | CSF_B_FUNCTION },
	{ rule_probes, CSF_B_ROOT | CSF_B_RESILIENCE | CSF_B_FUNCTION },
	{ rule_unobservable, CSF_B_ROOT | CSF_B_OBS | CSF_B_FUNCTION },
	{ rule_network, CSF_B_ROOT | CSF_B_NETWORK },
	{ rule_tenant_data, CSF_B_ROOT | CSF_B_INFRA },
	{ rule_retry_timeout, CSF_B_ROOT | CSF_B_RESILIENCE | CSF_B_FUNCTION | CSF_B_RUNTIME },
	{ rule_events, CSF_B_ROOT | CSF_B_EVENTS },
	{ rule_api, CSF_B_ROOT | CSF_B_API },
	{ rule_cost, CSF_B_ROOT | CSF_B_COST | CSF_B_FUNCTION },
	{ rule_provider, CSF_B_ROOT | CSF_B_PROVIDER | CSF_B_CLOUD | CSF_B_CONFIG | CSF_B_INFRA |
			 CSF_B_EVENTS | CSF_B_API | CSF_B_FUNCTION },
	{ rule_replicas, CSF_B_ROOT | CSF_B_SCALING | CSF_B_SCALABILITY | CSF_B_FUNCTION },
	{ rule_config_values, CSF_B_ROOT | CSF_B_CONFIG | CSF_B_CONFIG_VALUES },
};

unsigned
csf_lint_group_reads(unsigned g)
{
	return g < CSF_LINT_GROUPS ? groups[g].reads : ~0u;
}

unsigned
csf_lint_block_bit(const char *key)
{
	static const struct { const char *key; unsigned bit; } blocks[] = {
		{ "runtime", CSF_B_RUNTIME }, { "scalability", CSF_B_SCALABILITY },
		{ "scaling", CSF_B_SCALING }, { "resilience", CSF_B_RESILIENCE },
		{ "infrastructure", CSF_B_INFRA }, { "configuration", CSF_B_CONFIG },
		{ "network", CSF_B_NETWORK }, { "observability", CSF_B_OBS },
		{ "events", CSF_B_EVENTS }, { "api", CSF_B_API }, { "function", CSF_B_FUNCTION },
		{ "cost", CSF_B_COST }, { "cloud", CSF_B_CLOUD }, { "features", CSF_B_NONE_READ },
		{ "release", CSF_B_NONE_READ }, { "description", CSF_B_NONE_READ },
		{ "owner", CSF_B_NONE_READ }, { "version", CSF_B_NONE_READ },
		{ "apiVersion", CSF_B_NONE_READ }, { "kind", CSF_B_NONE_READ },
	};
	size_t i;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (!strcmp(key, blocks[i].key))
			return blocks[i].bit;
	return CSF_B_ROOT;
}

void
csf_lint_cell(struct csf_lint_run *run, const struct csf_effective *eff, unsigned mask)
{
	struct bpv v;
	size_t i;

	memset(&v, 0, sizeof(v));
	v.run = run;
	v.eff = eff;
	v.root = eff->root;
	for (i = 0; i < v.root->n; i++) {
		const struct csf_node *k = v.root->kids[2 * i], *val = v.root->kids[2 * i + 1];
		const char *s = csf_node_str(k);

		if (!s)
			continue;
		switch (s[0]) {
		case 'a': if (!strcmp(s, "api")) v.api = val; break;
		case 'c':
			if (!strcmp(s, "configuration")) v.config = val;
			else if (!strcmp(s, "cost")) v.cost = val;
			else if (!strcmp(s, "cloud")) v.cloud = val;
			break;
		case 'e': if (!strcmp(s, "events")) v.events = val; break;
		case 'f': if (!strcmp(s, "function")) v.function = val; break;
		case 'i': if (!strcmp(s, "infrastructure")) v.infra = val; break;
		case 'm': if (!strcmp(s, "module")) v.module_key = k; break;
		case 'n': if (!strcmp(s, "network")) v.network = val; break;
		case 'o': if (!strcmp(s, "observability")) v.obs = val; break;
		case 'r':
			if (!strcmp(s, "runtime")) v.runtime = val;
			else if (!strcmp(s, "resilience")) v.resilience = val;
			break;
		case 's':
			if (!strcmp(s, "scalability")) v.scalability = val;
			else if (!strcmp(s, "scaling")) v.scaling = val;
			break;
		default: break;
		}
	}
	if (csf_node_is_null(v.obs))
		v.obs = NULL;
	v.is_function = is_true(get(v.function, "enabled"));
	v.is_static = eq(text(v.runtime, "stack"), "static-spa");
	for (i = 0; i < CSF_LINT_GROUPS; i++)
		if (mask & (1u << i)) {
			run->group = (unsigned)i;
			groups[i].fn(&v);
		}
}
