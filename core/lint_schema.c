/* The schema of every file kind (DESIGN §2.1–§2.2) as static tables, and the walker that reports
 * schema-unknown-key, schema-type, schema-enum and schema-required with did-you-mean hints.
 * The seed document's spellings (top-level tenantId/edition, scalability.autoScaling,
 * infrastructure.config, infrastructure.secretsSource, network.identityProvider, release.track,
 * function.cloud, function.observability, function.triggers[].source) are part of the schema. */
#include "core/lint_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

enum {
	T_STR = 1,
	T_INT = 2,
	T_FLOAT = 4,
	T_BOOL = 8,
	T_MAP = 16,
	T_SEQ = 32,
	T_NUM = T_INT | T_FLOAT,
	T_SCALAR = T_STR | T_NUM | T_BOOL,
	T_ANY = 63,
};

/* Checks beyond type and enum. */
enum sch_check {
	C_NONE,
	C_SEMVER,	/* 1.2.3, 1.2.3-rc.1 */
	C_PASCAL,	/* BookingService */
	C_DNS,		/* vetclinic-001 */
	C_RULE,		/* a lint rule id */
	C_EDITION,	/* an edition of the workspace */
	C_ENV,		/* an environment of the workspace (prod/stage accepted) */
	C_PROVIDER,	/* azure, aws, gcp */
};

struct sch_key;

struct sch {
	unsigned types;
	const char *const *enums;	/* allowed strings (NULL-terminated), or NULL */
	const struct sch_key *keys;	/* known keys of a map (NULL-name terminated); NULL: open */
	const struct sch *item;		/* sequence items, or the values of an open map */
	enum sch_check check;		/* on the value */
	enum sch_check keycheck;	/* on the keys of an open map */
};

struct sch_key {
	const char *name;
	const struct sch *s;
	bool required;
};

#define SCH(t) (&(const struct sch){ .types = (t) })
#define SCHC(t, c) (&(const struct sch){ .types = (t), .check = (c) })
#define ENUM(t, ...) (&(const struct sch){ .types = (t), \
	.enums = (const char *const[]){ __VA_ARGS__, NULL } })
#define MAP(...) (&(const struct sch){ .types = T_MAP, \
	.keys = (const struct sch_key[]){ __VA_ARGS__, { NULL, NULL, false } } })
#define MAPT(t, ...) (&(const struct sch){ .types = (t), \
	.keys = (const struct sch_key[]){ __VA_ARGS__, { NULL, NULL, false } } })
#define OPEN(it, kc) (&(const struct sch){ .types = T_MAP, .item = (it), .keycheck = (kc) })
#define LIST(it) (&(const struct sch){ .types = T_SEQ, .item = (it) })
#define K(n, s) { n, s, false }
#define REQ(n, s) { n, s, true }

#define STR SCH(T_STR)
#define INT SCH(T_INT)
#define NUM SCH(T_NUM)
#define BOOL SCH(T_BOOL)
#define ANY SCH(T_ANY)
#define SCALAR SCH(T_SCALAR)
#define PROVIDER ENUM(T_STR, "azure", "aws", "gcp")
#define TRIGGER_TYPES "cpu", "memory", "queueLength", "schedule", "prometheus"

static const struct sch *const blueprint_blocks = MAP(
	K("apiVersion", ENUM(T_STR, "csf/v1")),
	K("kind", ENUM(T_STR, "Blueprint")),
	REQ("module", SCHC(T_STR, C_PASCAL)),
	REQ("version", SCHC(T_STR, C_SEMVER)),
	K("description", STR),
	K("owner", STR),
	K("tenantId", SCHC(T_STR, C_DNS)),
	K("edition", SCHC(T_STR, C_EDITION)),
	REQ("runtime", MAP(
		REQ("stack", ENUM(T_STR, "dotnet8", "node20", "python3.12", "go1.22", "java21",
				  "static-spa")),
		K("port", INT),
		K("image", STR))),
	K("features", LIST(STR)),
	K("scalability", MAP(
		K("stateless", BOOL),
		K("disposability", BOOL),
		K("autoScaling", MAP(
			K("minReplicas", INT),
			K("maxReplicas", INT),
			K("trigger", ENUM(T_STR, TRIGGER_TYPES)))))),
	K("scaling", MAP(
		K("enabled", BOOL),
		K("mode", ENUM(T_STR, "cpu", "memory", "eventDriven", "schedule", "custom")),
		K("minReplicas", INT),
		K("maxReplicas", INT),
		K("replicas", INT),
		K("triggers", LIST(MAP(
			REQ("type", ENUM(T_STR, TRIGGER_TYPES)),
			K("threshold", NUM),
			K("queue", STR),
			K("query", STR),
			K("cron", STR),
			K("timezone", STR),
			K("desiredReplicas", INT)))))),
	K("resilience", MAP(
		K("retries", MAP(
			K("policy", ENUM(T_STR, "exponentialBackoff", "fixed", "none")),
			K("maxAttempts", INT))),
		K("timeoutSeconds", NUM),
		K("circuitBreaker", MAP(
			K("threshold", INT),
			K("resetAfterSeconds", NUM))),
		K("probes", MAP(
			K("liveness", STR),
			K("readiness", STR),
			K("startup", STR))))),
	K("infrastructure", MAP(
		K("database", ENUM(T_STR, "postgres", "mysql", "cosmos", "dynamodb", "firestore",
				   "none")),
		K("databaseSchema", ENUM(T_STR, "tenantScoped", "shared")),
		K("queue", STR),
		K("storage", STR),
		K("cache", STR),
		K("config", MAP(
			K("mode", ENUM(T_STR, "declarative", "imperative")),
			K("secrets", STR))),
		K("secretsSource", STR),
		K("scripts", ANY),
		K("hooks", ANY))),
	K("configuration", MAP(
		K("source", ENUM(T_STR, "azure-keyvault", "aws-secrets-manager", "gcp-secret-manager")),
		K("values", OPEN(SCALAR, C_NONE)),
		K("environmentOverlays", OPEN(OPEN(SCALAR, C_NONE), C_ENV)),
		K("secrets", LIST(STR)),
		K("mountAs", ENUM(T_STR, "envVars", "volume")))),
	K("network", MAP(
		K("serviceMesh", ENUM(T_STR | T_BOOL, "enabled", "disabled")),
		K("mesh", ENUM(T_STR, "istio", "linkerd", "none")),
		K("mtls", BOOL),
		K("identityProvider", STR),
		K("trafficPolicy", MAP(
			K("allow", LIST(MAP(
				REQ("from", STR),
				REQ("to", STR),
				K("tenantScoped", BOOL)))))))),
	K("observability", MAP(
		K("tracing", ENUM(T_STR, "opentelemetry", "none")),
		K("metrics", ENUM(T_STR, "prometheus", "none")),
		K("logs", ENUM(T_STR, "structured", "plain")))),
	K("events", MAP(
		K("emits", LIST(STR)),
		K("consumes", LIST(STR)),
		K("eventFormat", ENUM(T_STR, "cloudEvents")),
		K("transport", STR))),
	K("api", MAP(
		K("exposed", BOOL),
		K("routePrefix", STR),
		K("gateway", ENUM(T_STR, "envoy", "yarp", "gateway-api")),
		K("versioning", MAP(
			K("strategy", ENUM(T_STR, "header", "path")),
			K("default", STR),
			K("supported", LIST(STR)))),
		K("rateLimit", MAP(
			K("perMinute", INT),
			K("burst", INT))),
		K("auth", MAP(
			K("strategy", ENUM(T_STR, "token", "oauth2", "mtls", "apiKey", "none")),
			K("scopes", LIST(STR)))),
		K("cors", MAPT(T_MAP | T_BOOL,
			K("allowedOrigins", LIST(STR)),
			K("allowedMethods", LIST(STR)),
			K("allowedHeaders", LIST(STR)),
			K("allowCredentials", BOOL),
			K("maxAgeSeconds", INT))),
		K("cdn", MAP(
			K("enabled", BOOL),
			K("provider", STR))))),
	K("function", MAP(
		K("enabled", BOOL),
		K("type", ENUM(T_STR, "queueTriggered", "httpTriggered", "timer")),
		K("runtime", STR),
		K("memory", SCH(T_STR | T_INT)),
		K("timeoutSeconds", NUM),
		K("triggers", LIST(MAP(
			K("source", STR),
			K("type", STR),
			K("queue", STR),
			K("schedule", STR),
			K("route", STR)))),
		K("cloud", PROVIDER),
		K("observability", SCH(T_BOOL | T_MAP | T_STR)))),
	K("cost", MAP(
		K("priority", ENUM(T_STR, "low", "medium", "high", "critical")),
		K("cpuRequest", SCH(T_STR | T_NUM)),
		K("cpuLimit", SCH(T_STR | T_NUM)),
		K("memoryRequest", STR),
		K("memoryLimit", STR),
		K("storageClass", STR),
		K("costTag", OPEN(SCALAR, C_NONE)))),
	K("cloud", MAP(
		K("provider", PROVIDER),
		K("region", STR),
		K("overlays", SCH(T_MAP)))),
	K("release", MAP(
		K("strategy", ENUM(T_STR, "declarative", "canary", "blueGreen")),
		K("environments", LIST(SCHC(T_STR, C_ENV))),
		K("gates", MAP(
			K("requireTests", BOOL),
			K("requireApproval", LIST(SCHC(T_STR, C_ENV))))),
		K("track", LIST(MAP(
			K("blueprintVersion", SCH(T_STR | T_NUM)),
			K("imageTag", STR),
			K("infraHash", STR))))))
);

static const struct sch *const tenant_schema = MAP(
	K("apiVersion", ENUM(T_STR, "csf/v1")),
	K("kind", ENUM(T_STR, "Tenant")),
	K("tenantId", SCHC(T_STR, C_DNS)),
	K("name", STR),
	K("displayName", STR),
	K("description", STR),
	REQ("edition", SCHC(T_STR, C_EDITION)),
	K("provider", PROVIDER),
	K("region", STR),
	K("overrides", SCH(T_MAP)),
	K("modules", SCH(T_MAP))
);

static const struct sch *const edition_schema = MAP(
	K("apiVersion", ENUM(T_STR, "csf/v1")),
	K("kind", ENUM(T_STR, "Edition")),
	K("name", STR),
	K("description", STR),
	K("features", LIST(STR)),
	K("overrides", SCH(T_MAP))
);

static const struct sch *const environment_schema = MAP(
	K("apiVersion", ENUM(T_STR, "csf/v1")),
	K("kind", ENUM(T_STR, "Environment")),
	K("name", SCHC(T_STR, C_ENV)),
	K("description", STR),
	K("overrides", SCH(T_MAP)),
	K("values", OPEN(SCALAR, C_NONE)),
	K("replicasFactor", NUM),
	K("approval", BOOL)
);

static const struct sch *const workspace_schema = MAP(
	K("apiVersion", ENUM(T_STR, "csf/v1")),
	K("kind", ENUM(T_STR, "Workspace")),
	K("name", STR),
	K("description", STR),
	K("gitops", STR),
	K("cluster", MAP(
		K("kubeconfig", STR),
		K("context", STR),
		K("prometheus", STR),
		K("traces", MAP(
			K("kind", ENUM(T_STR, "jaeger", "tempo", "zipkin")),
			K("url", STR))),
		K("offline", STR))),
	K("lint", MAP(
		K("disable", LIST(SCHC(T_STR, C_RULE))),
		K("severity", OPEN(ENUM(T_STR, "off", "info", "warning", "error"), C_RULE)))),
	K("paths", MAP(
		K("blueprints", STR),
		K("tenants", STR),
		K("editions", STR),
		K("environments", STR)))
);

static const char *const kind_names[] = { "Workspace", "Blueprint", "Tenant", "Edition",
					   "Environment" };

/* ------------------------------------------------------------------------------------------
 * Did you mean
 */

size_t
csf_edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j, best;
	size_t row[64];

	if (la > 62 || lb > 62)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			size_t v = diag + (ca != cb);

			/* A case-only difference costs little but is not free: "Eventdriven". */
			if (ca == cb && a[i - 1] != b[j - 1])
				v = diag;
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb];
}

const char *
csf_did_you_mean(const char *s, const char *const *cands, size_t n)
{
	size_t i, best = (size_t)-1, len = strlen(s), cap = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	const char *pick = NULL;

	for (i = 0; i < n; i++) {
		size_t d = csf_edit_distance(s, cands[i], cap);

		if (strcasecmp(s, cands[i]) == 0)
			d = 0;
		if (d <= cap && d < best) {
			best = d;
			pick = cands[i];
		}
	}
	return pick;
}

/* ------------------------------------------------------------------------------------------
 * Value checks
 */

static bool
is_semver(const char *s)
{
	int part;

	for (part = 0; part < 3; part++) {
		if (!isdigit((unsigned char)*s))
			return false;
		if (*s == '0' && isdigit((unsigned char)s[1]))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
		if (part < 2 && *s++ != '.')
			return false;
	}
	if (*s == '-' || *s == '+') {
		s++;
		if (!*s)
			return false;
		for (; *s; s++)
			if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '+')
				return false;
	}
	return *s == '\0';
}

static bool
is_pascal(const char *s)
{
	if (!isupper((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s))
			return false;
	return true;
}

static bool
is_dns_label(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

/* The path to the node being checked, as key names and sequence indices; turned into text
 * ("scaling.triggers[1].type") only when a finding needs it. */
struct seg {
	const char *key;	/* NULL: a sequence index */
	size_t idx;
};

struct walk {
	struct csf_lint_run *run;
	struct seg segs[160];	/* the loader's depth limit is 128 */
	size_t nseg;
	struct csf_buf path;	/* scratch for path_str() */
	bool partial;		/* overrides: nothing is required */
};

static const char *
path_str(struct walk *w)
{
	size_t i;

	csf_buf_reset(&w->path);
	for (i = 0; i < w->nseg; i++) {
		if (!w->segs[i].key)
			csf_buf_addf(&w->path, "[%zu]", w->segs[i].idx);
		else
			csf_buf_addf(&w->path, "%s%s", i ? "." : "", w->segs[i].key);
	}
	return w->path.buf;
}

static void
check_value(struct walk *w, const struct csf_node *v, enum sch_check c, bool is_key)
{
	const struct csf_workspace *ws = w->run->ws;
	const char *s = csf_node_str(v);
	size_t i;

	if (!s)
		return;
	switch (c) {
	case C_SEMVER:
		if (!is_semver(s))
			csf_lint_at(w->run, CSF_R_SCHEMA_TYPE, v,
				    "write a semantic version such as 1.2.3 (quote it if YAML reads it "
				    "as a number)",
				    "%s must be a semantic version MAJOR.MINOR.PATCH, found '%s'",
				    path_str(w), s);
		break;
	case C_PASCAL:
		if (!is_pascal(s))
			csf_lint_at(w->run, CSF_R_SCHEMA_TYPE, v,
				    "module names are PascalCase letters and digits, e.g. BookingService",
				    "%s must be a PascalCase name, found '%s'", path_str(w), s);
		break;
	case C_DNS:
		if (!is_dns_label(s))
			csf_lint_at(w->run, CSF_R_SCHEMA_TYPE, v,
				    "use lower-case letters, digits and '-', at most 63 characters "
				    "(it becomes a Kubernetes namespace)",
				    "%s must be a DNS label, found '%s'", path_str(w), s);
		break;
	case C_RULE:
		if (!csf_lint_rule(s)) {
			size_t n, k;
			const struct csf_rule_info *ri = csf_lint_rules(&n);
			const char *ids[CSF_R_COUNT], *dym;
			char hint[128];

			for (k = 0; k < n; k++)
				ids[k] = ri[k].id;
			dym = csf_did_you_mean(s, ids, n);
			if (dym)
				snprintf(hint, sizeof(hint), "did you mean '%s'?", dym);
			else
				snprintf(hint, sizeof(hint), "see csf-blueprint(5) for the rule catalog");
			csf_lint_at(w->run, CSF_R_SCHEMA_ENUM, v, hint, "unknown lint rule '%s'%s", s,
				    is_key ? " in lint.severity" : "");
		}
		break;
	case C_EDITION:
		if (ws->neditions && !csf_ws_edition(ws, s)) {
			const char *names[64], *dym;
			struct csf_buf h = CSF_BUF_INIT;

			for (i = 0; i < ws->neditions && i < 64; i++)
				names[i] = ws->editions[i].name;
			dym = csf_did_you_mean(s, names, i);
			if (dym)
				csf_buf_addf(&h, "did you mean '%s'?", dym);
			else
				/* Each name once: a name declared twice is duplicate-name. */
				for (csf_buf_addstr(&h, "editions:"), i = 0; i < ws->neditions; i++)
					if (csf_ws_edition(ws, ws->editions[i].name) ==
					    &ws->editions[i])
						csf_buf_addf(&h, " %s", ws->editions[i].name);
			csf_lint_at(w->run, CSF_R_SCHEMA_ENUM, v, h.buf,
				    "%s '%s' is not an edition of this workspace", path_str(w), s);
			csf_buf_release(&h);
		}
		break;
	case C_ENV:
		if (ws->nenvs && !csf_ws_env(ws, s)) {
			const char *names[64], *dym;
			struct csf_buf h = CSF_BUF_INIT;

			for (i = 0; i < ws->nenvs && i < 64; i++)
				names[i] = ws->envs[i].name;
			dym = csf_did_you_mean(s, names, i);
			if (dym)
				csf_buf_addf(&h, "did you mean '%s'?", dym);
			else
				for (csf_buf_addstr(&h, "environments:"), i = 0; i < ws->nenvs; i++)
					csf_buf_addf(&h, " %s", ws->envs[i].name);
			csf_lint_at(w->run, CSF_R_SCHEMA_ENUM, v, h.buf,
				    "%s '%s' is not an environment of this workspace", path_str(w), s);
			csf_buf_release(&h);
		}
		break;
	default:
		break;
	}
}

static unsigned
node_type(const struct csf_node *n)
{
	if (n->kind == CSF_NODE_MAP)
		return T_MAP;
	if (n->kind == CSF_NODE_SEQ)
		return T_SEQ;
	switch (n->type) {
	case CSF_SCALAR_INT: return T_INT;
	case CSF_SCALAR_FLOAT: return T_FLOAT;
	case CSF_SCALAR_BOOL: return T_BOOL;
	default: return T_STR;
	}
}

static void
type_list(struct csf_buf *b, unsigned t)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ T_STR, "a string" }, { T_NUM, "a number" }, { T_INT, "an integer" },
		{ T_BOOL, "a boolean" }, { T_MAP, "a mapping" }, { T_SEQ, "a list" },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((t & names[i].bit) != names[i].bit || (names[i].bit == T_INT && (t & T_FLOAT)))
			continue;
		csf_buf_addstr(b, n ? " or " : "");
		csf_buf_addstr(b, names[i].name);
		n++;
	}
}

static void walk_node(struct walk *w, const struct csf_node *v, const struct sch *s);

static void
path_push(struct walk *w, const char *k, size_t *mark)
{
	*mark = w->nseg;
	if (w->nseg < sizeof(w->segs) / sizeof(w->segs[0])) {
		w->segs[w->nseg].key = k;
		w->segs[w->nseg].idx = 0;
		w->nseg++;
	}
}

static void
walk_map(struct walk *w, const struct csf_node *v, const struct sch *s)
{
	size_t i, j, mark;

	for (i = 0; i < v->n; i++) {
		const struct csf_node *k = v->kids[2 * i], *val = v->kids[2 * i + 1];
		const char *ks = csf_node_str(k);

		if (!ks)
			continue;
		if (!s->keys) {
			check_value(w, k, s->keycheck, true);
			if (s->item) {
				path_push(w, ks, &mark);
				walk_node(w, val, s->item);
				w->nseg = mark;
			}
			continue;
		}
		for (j = 0; s->keys[j].name; j++)
			if (s->keys[j].name[0] == ks[0] && !strcmp(s->keys[j].name, ks))
				break;
		if (!s->keys[j].name) {
			const char *names[96], *dym;
			struct csf_buf h = CSF_BUF_INIT;
			size_t n;

			for (n = 0; s->keys[n].name && n < 96; n++)
				names[n] = s->keys[n].name;
			dym = csf_did_you_mean(ks, names, n);
			if (dym) {
				csf_buf_addf(&h, "did you mean '%s'?", dym);
			} else {
				csf_buf_addstr(&h, "known keys:");
				for (j = 0; j < n; j++)
					csf_buf_addf(&h, " %s", names[j]);
			}
			csf_lint_at(w->run, CSF_R_SCHEMA_UNKNOWN_KEY, k, h.buf, "unknown key '%s'%s%s",
				    ks, w->nseg ? " in " : "", path_str(w));
			csf_buf_release(&h);
			continue;
		}
		path_push(w, ks, &mark);
		walk_node(w, val, s->keys[j].s);
		w->nseg = mark;
	}
	if (w->partial)
		return;
	for (j = 0; s->keys && s->keys[j].name; j++) {
		char hint[96];

		if (!s->keys[j].required || csf_node_get_key(v, s->keys[j].name))
			continue;
		snprintf(hint, sizeof(hint), "add `%s:`%s%s", s->keys[j].name,
			 w->nseg ? " under " : " to the file", w->nseg ? path_str(w) : "");
		csf_lint_at(w->run, CSF_R_SCHEMA_REQUIRED, v, hint, "missing required key '%s'%s%s",
			    s->keys[j].name, w->nseg ? " in " : "", path_str(w));
	}
}

static void
walk_node(struct walk *w, const struct csf_node *v, const struct sch *s)
{
	unsigned t;
	size_t i;

	if (!v || !s || csf_node_is_null(v))
		return;
	t = node_type(v);
	/* An integer is a fine number; a plain scalar that reads as a number is a fine string
	 * only when it is written quoted, so "version: 1.2" is reported. */
	if (!(t & s->types)) {
		struct csf_buf m = CSF_BUF_INIT;
		char hint[128] = "";

		type_list(&m, s->types);
		if ((s->types & T_STR) && v->kind == CSF_NODE_SCALAR)
			snprintf(hint, sizeof(hint), "quote the value (\"%.60s\") to make it a string",
				 v->str);
		else
			snprintf(hint, sizeof(hint), "write %s here", m.buf);
		csf_lint_at(w->run, CSF_R_SCHEMA_TYPE, v, hint,
			    "%s must be %s, found %s", w->nseg ? path_str(w) : "the document",
			    m.buf, csf_node_type_name(v));
		csf_buf_release(&m);
		return;
	}
	if (t == T_STR && s->enums) {
		for (i = 0; s->enums[i]; i++)
			if (!strcmp(s->enums[i], v->str))
				break;
		if (!s->enums[i]) {
			struct csf_buf m = CSF_BUF_INIT, h = CSF_BUF_INIT;
			const char *dym = csf_did_you_mean(v->str, s->enums, i);

			for (i = 0; s->enums[i]; i++)
				csf_buf_addf(&m, "%s%s", i ? ", " : "", s->enums[i]);
			if (dym)
				csf_buf_addf(&h, "did you mean '%s'?", dym);
			csf_lint_at(w->run, CSF_R_SCHEMA_ENUM, v, dym ? h.buf : "use one of the listed values",
				    "%s '%s' is not one of: %s", path_str(w), v->str, m.buf);
			csf_buf_release(&m);
			csf_buf_release(&h);
			return;
		}
	}
	if (s->check)
		check_value(w, v, s->check, false);
	if (t == T_MAP && (s->keys || s->item || s->keycheck))
		walk_map(w, v, s);
	else if (t == T_SEQ && s->item)
		for (i = 0; i < v->n; i++) {
			size_t mark = w->nseg;

			if (w->nseg < sizeof(w->segs) / sizeof(w->segs[0])) {
				w->segs[w->nseg].key = NULL;
				w->segs[w->nseg].idx = i;
				w->nseg++;
			}
			walk_node(w, v->kids[i], s->item);
			w->nseg = mark;
		}
}

/* Overrides (edition, tenant, tenant module, environment) are partial blueprints. */
static void
walk_overrides(struct walk *w, const struct csf_node *v, const char *at)
{
	size_t mark;

	if (!csf_node_is_map(v))
		return;
	path_push(w, at, &mark);
	w->partial = true;
	walk_map(w, v, blueprint_blocks);
	w->partial = false;
	w->nseg = mark;
}

void
csf_lint_schema(struct csf_lint_run *run, const struct csf_ws_file *f)
{
	const struct csf_node *root = f->doc->root, *kind;
	const struct sch *s = NULL;
	struct walk w;
	struct csf_loc top = { 1, 1 };
	size_t i;

	if (!root) {
		if (f->kind == CSF_KIND_WORKSPACE)
			return;		/* an empty csf.yaml: a workspace with every default */
		csf_lint_emit(run, CSF_R_SCHEMA_REQUIRED, f->doc->path, top,
			      f->kind == CSF_KIND_BLUEPRINT ?
			      "a blueprint needs at least module, version and runtime" :
			      "start the file with `apiVersion: csf/v1` and a `kind:`",
			      "empty document: a %s file needs content",
			      f->kind == CSF_KIND_UNKNOWN ? "csf" : csf_file_kind_name(f->kind));
		return;
	}
	kind = csf_node_get(root, "kind");
	if (csf_node_str(kind)) {
		for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
			if (!strcmp(kind->str, kind_names[i]))
				break;
		if (i == sizeof(kind_names) / sizeof(kind_names[0])) {
			const char *dym = csf_did_you_mean(kind->str, kind_names, i);
			char hint[64];

			snprintf(hint, sizeof(hint), "did you mean '%s'?", dym ? dym : "Blueprint");
			csf_lint_at(run, CSF_R_SCHEMA_ENUM, kind, hint,
				    "kind '%s' is not one of: Workspace, Blueprint, Tenant, Edition, "
				    "Environment", kind->str);
			return;
		}
	}
	switch (f->kind) {
	case CSF_KIND_BLUEPRINT: s = blueprint_blocks; break;
	case CSF_KIND_TENANT: s = tenant_schema; break;
	case CSF_KIND_EDITION: s = edition_schema; break;
	case CSF_KIND_ENVIRONMENT: s = environment_schema; break;
	case CSF_KIND_WORKSPACE: s = workspace_schema; break;
	default:
		csf_lint_at(run, CSF_R_SCHEMA_REQUIRED, root,
			    "add `kind: Blueprint` (or Tenant, Edition, Environment, Workspace)",
			    "cannot tell what kind of csf file this is%s",
			    csf_node_is_map(root) ? "" : " (it is not even a mapping of keys)");
		return;
	}
	if (!csf_node_is_map(root)) {
		csf_lint_at(run, CSF_R_SCHEMA_TYPE, root,
			    f->kind == CSF_KIND_BLUEPRINT ?
			    "write the blocks as keys of one mapping: module:, version:, runtime:, …" :
			    "write the file as one mapping of keys",
			    "a %s must be a mapping, found %s", csf_file_kind_name(f->kind),
			    csf_node_type_name(root));
		return;
	}
	memset(&w, 0, sizeof(w));
	w.run = run;
	csf_buf_init(&w.path, 64);
	walk_map(&w, root, s);
	switch (f->kind) {
	case CSF_KIND_TENANT: {
		const struct csf_node *mods = csf_node_get(root, "modules");

		walk_overrides(&w, csf_node_get(root, "overrides"), "overrides");
		for (i = 0; csf_node_is_map(mods) && i < mods->n; i++) {
			const char *m = csf_node_str(mods->kids[2 * i]);
			struct csf_buf p = CSF_BUF_INIT;

			if (!m)
				continue;
			if (run->ws->root && !csf_ws_blueprint(run->ws, m))
				csf_lint_at(run, CSF_R_SCHEMA_ENUM, mods->kids[2 * i],
					    "the keys of modules are module names of blueprints/",
					    "modules.%s: no blueprint in this workspace has module %s",
					    m, m);
			csf_buf_addf(&p, "modules.%s", m);
			walk_overrides(&w, mods->kids[2 * i + 1], p.buf);
			csf_buf_release(&p);
		}
		break;
	}
	case CSF_KIND_EDITION:
	case CSF_KIND_ENVIRONMENT:
		walk_overrides(&w, csf_node_get(root, "overrides"), "overrides");
		break;
	default:
		break;
	}
	csf_buf_release(&w.path);
}
