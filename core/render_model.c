/* The render model: the effective blueprint read once into typed fields (core/render_int.h),
 * with defaults, seed spellings (scalability.autoScaling, infrastructure.config.secrets,
 * infrastructure.secretsSource), the environment's replicasFactor, the provider mapping of the
 * seed's table (storage, pub/sub, secrets, database, CDN per provider, cloud.overlays first),
 * placeholder resolution and the redaction of credential-looking values. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/render.h"
#include "core/render_int.h"
#include "core/sha256.h"
#include "core/xalloc.h"

#ifndef CSF_VERSION
#define CSF_VERSION "0.0.0"
#endif

/* ---- secret detection --------------------------------------------------------------------- */

static bool
has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

static double
entropy(const char *s, size_t n)
{
	unsigned cnt[256] = { 0 };
	double e = 0;
	size_t i;

	for (i = 0; i < n; i++)
		cnt[(unsigned char)s[i]]++;
	for (i = 0; i < 256; i++)
		if (cnt[i]) {
			double p = (double)cnt[i] / (double)n;

			e -= p * log2(p);
		}
	return e;
}

/* A run of token characters at least 32 long, with letters and digits, high entropy. */
static bool
high_entropy_token(const char *v)
{
	const char *p = v;

	while (*p) {
		const char *st = p;
		bool alpha = false, digit = false;

		while (*p && (isalnum((unsigned char)*p) || strchr("+/=_-", *p))) {
			alpha |= isalpha((unsigned char)*p) != 0;
			digit |= isdigit((unsigned char)*p) != 0;
			p++;
		}
		if ((size_t)(p - st) >= 32 && alpha && digit && entropy(st, (size_t)(p - st)) >= 4.0)
			return true;
		if (*p)
			p++;
	}
	return false;
}

static bool
only_placeholders(const char *v)
{
	/* "${DB_PASSWORD}" refers to a secret; it is not one. */
	return !strncmp(v, "${", 2) && strchr(v, '}') && !strchr(v, '}')[1];
}

bool
csf_render_looks_secret(const char *key, const char *v)
{
	static const char *const keys[] = { "PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY",
					    "API_KEY", "PRIVATE_KEY", "ACCESS_KEY", "CONNECTION_STRING",
					    "CONNECTIONSTRING", "CREDENTIAL", "CLIENT_SECRET" };
	static const char *const marks[] = { "password=", "pwd=", "accountkey=", "sharedaccesskey=",
					     "-----begin", "secret=", "token=" };
	const char *p;
	size_t i;

	if (!v || !*v || only_placeholders(v))
		return false;
	for (i = 0; key && i < sizeof(keys) / sizeof(keys[0]); i++)
		if (has_ci(key, keys[i]))
			return true;
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (has_ci(v, marks[i]))
			return true;
	/* AWS access key id. */
	for (p = v; (p = strstr(p, "AKIA")); p++) {
		size_t n = 4;

		while (n < 20 && (isupper((unsigned char)p[n]) || isdigit((unsigned char)p[n])))
			n++;
		if (n == 20)
			return true;
	}
	/* JWT: three base64url parts starting with eyJ. */
	if ((p = strstr(v, "eyJ")) && strchr(p, '.') && strchr(strchr(p, '.') + 1, '.'))
		return true;
	/* user:password@host in a URL. */
	if ((p = strstr(v, "://"))) {
		const char *at = strchr(p + 3, '@'), *colon = strchr(p + 3, ':');
		const char *slash = strchr(p + 3, '/');

		if (at && colon && colon < at && (!slash || at < slash))
			return true;
	}
	return high_entropy_token(v);
}

/* ==== reading the effective blueprint ======================================================== */

static const struct csf_node *
get(const struct rd_model *m, const char *path)
{
	return csf_node_path(m->eff->root, path);
}

static const char *
gstr(const struct rd_model *m, const char *path)
{
	const struct csf_node *n = get(m, path);

	return n && n->kind == CSF_NODE_SCALAR && n->type != CSF_SCALAR_NULL ? n->str : NULL;
}

static bool
gint(const struct rd_model *m, const char *path, long long *out)
{
	const struct csf_node *n = get(m, path);
	double d;

	if (csf_node_int(n, out))
		return true;
	if (csf_node_num(n, &d)) {
		*out = (long long)d;
		return true;
	}
	if (csf_node_str(n) && n->type == CSF_SCALAR_STR && *n->str) {
		char *end;
		long long v = strtoll(n->str, &end, 10);

		if (!*end) {
			*out = v;
			return true;
		}
	}
	return false;
}

static bool
gbool(const struct rd_model *m, const char *path, bool def)
{
	const struct csf_node *n = get(m, path);
	bool v;
	const char *s;

	if (csf_node_bool(n, &v))
		return v;
	if ((s = csf_node_str(n))) {
		if (!strcmp(s, "enabled"))
			return true;
		if (!strcmp(s, "disabled"))
			return false;
	}
	return def;
}

/* A sequence of scalars as an arena array of strings. */
static const char **
gseq(struct rd_model *m, const struct csf_node *seq, size_t *n)
{
	const char **v;
	size_t i, k = 0;

	*n = 0;
	if (!csf_node_is_seq(seq))
		return NULL;
	v = csf_arena_alloc(&m->arena, (seq->n + 1) * sizeof(*v));
	for (i = 0; i < seq->n; i++)
		if (csf_node_str(seq->kids[i]) && seq->kids[i]->type != CSF_SCALAR_NULL)
			v[k++] = seq->kids[i]->str;
	*n = k;
	return v;
}

/* ---- provider mapping (the seed's provider table) ---------------------------------------- */

struct prov_defaults {
	const char *provider, *secrets, *pubsub, *storage, *cdn, *document_db;
};

static const struct prov_defaults prov_table[] = {
	{ "azure", "azure-keyvault", "azure-service-bus", "azure-blob", "azure-front-door", "cosmos" },
	{ "aws", "aws-secrets-manager", "sns-sqs", "s3", "cloudfront", "dynamodb" },
	{ "gcp", "gcp-secret-manager", "gcp-pubsub", "gcs", "cloud-cdn", "firestore" },
};

static const struct { const char *tech, *provider; } tech_owner[] = {
	{ "azure-keyvault", "azure" }, { "azure-service-bus", "azure" }, { "azure-blob", "azure" },
	{ "azure-front-door", "azure" }, { "azure-event-grid", "azure" }, { "cosmos", "azure" },
	{ "aws-secrets-manager", "aws" }, { "sns-sqs", "aws" }, { "sqs", "aws" }, { "sns", "aws" },
	{ "s3", "aws" }, { "cloudfront", "aws" }, { "dynamodb", "aws" }, { "eventbridge", "aws" },
	{ "gcp-secret-manager", "gcp" }, { "gcp-pubsub", "gcp" }, { "pubsub", "gcp" }, { "gcs", "gcp" },
	{ "cloud-cdn", "gcp" }, { "firestore", "gcp" },
};

static const struct prov_defaults *
prov_defaults(const char *provider)
{
	size_t i;

	for (i = 0; i < sizeof(prov_table) / sizeof(prov_table[0]); i++)
		if (!strcmp(prov_table[i].provider, provider))
			return &prov_table[i];
	return &prov_table[0];
}

static const char *
tech_provider(const char *tech)
{
	size_t i;

	for (i = 0; tech && i < sizeof(tech_owner) / sizeof(tech_owner[0]); i++)
		if (!strcmp(tech_owner[i].tech, tech))
			return tech_owner[i].provider;
	return NULL;
}

/* The technology for `key` (secrets, pubsub, storage, cdn, database, functionRuntime) when
 * rendering for m->provider: cloud.overlays.<provider>.key, then the flat cloud.overlays.key
 * when rendering for the blueprint's own provider, then the blueprint's value when it is not
 * another provider's service, else the provider's default. */
static const char *
provider_tech(struct rd_model *m, const char *key, const char *declared, const char *def)
{
	const struct csf_node *ov = get(m, "cloud.overlays");
	const char *own = m->eff->bp->provider ? m->eff->bp->provider : "azure";
	const char *v, *owner;

	if ((v = csf_node_str(csf_node_get(csf_node_get(ov, m->provider), key))))
		return v;
	if (!strcmp(own, m->provider) && (v = csf_node_text(csf_node_get(ov, key))))
		return v;
	owner = tech_provider(declared);
	if (declared && (!owner || !strcmp(owner, m->provider)))
		return declared;
	if (declared && def)
		rd_warn(m, "%s '%s' belongs to %s; rendering %s's %s for %s", key, declared, owner,
			m->provider, def, m->provider);
	return def;
}

/* ==== building the model ===================================================================== */

static long long
scale(long long v, double f, long long floor_v)
{
	long long r;

	if (v <= 0)
		return 0;
	r = (long long)ceil((double)v * f - 1e-9);
	return r < floor_v ? floor_v : r;
}

static void
read_scaling(struct rd_model *m)
{
	const struct csf_node *trig = get(m, "scaling.triggers");
	const char *mode = gstr(m, "scaling.mode");
	bool has_block = get(m, "scaling") || get(m, "scalability.autoScaling");
	long long lo = 1, hi = 1;
	size_t i;

	m->factor = m->eff->env && m->eff->env->replicas_factor > 0 ? m->eff->env->replicas_factor : 1.0;
	if (!gint(m, "scaling.minReplicas", &lo) && !gint(m, "scalability.autoScaling.minReplicas", &lo))
		lo = 1;
	if (!gint(m, "scaling.maxReplicas", &hi) && !gint(m, "scalability.autoScaling.maxReplicas", &hi))
		hi = lo;
	if (lo < 0)
		lo = 0;
	if (hi < lo) {
		rd_warn(m, "scaling.maxReplicas %lld is below minReplicas %lld; using %lld", hi, lo, lo);
		hi = lo;
	}
	m->declared_min = lo;
	m->declared_max = hi;
	m->autoscale = has_block && gbool(m, "scaling.enabled", true) && hi > 0;
	if (csf_node_is_seq(trig)) {
		m->trig = csf_arena_alloc(&m->arena, (trig->n + 1) * sizeof(*m->trig));
		for (i = 0; i < trig->n; i++) {
			const struct csf_node *t = trig->kids[i];
			struct rd_trigger *r = &m->trig[m->ntrig];
			const struct csf_node *th = csf_node_get(t, "threshold");
			double d;

			r->type = csf_node_text(csf_node_get(t, "type"));
			if (!r->type)
				continue;
			r->queue = csf_node_str(csf_node_get(t, "queue"));
			r->query = csf_node_str(csf_node_get(t, "query"));
			r->cron = csf_node_str(csf_node_get(t, "cron"));
			r->end = csf_node_str(csf_node_get(t, "end"));
			r->timezone = csf_node_str(csf_node_get(t, "timezone"));
			r->threshold = csf_node_num(th, &d) ? (long long)d : 0;
			if (!csf_node_int(csf_node_get(t, "replicas"), &r->desired))
				r->desired = 0;
			m->ntrig++;
		}
	} else if (gstr(m, "scalability.autoScaling.trigger")) {
		m->trig = csf_arena_alloc(&m->arena, sizeof(*m->trig));
		m->trig[0].type = gstr(m, "scalability.autoScaling.trigger");
		m->ntrig = 1;
	}
	for (i = 0; i < m->ntrig; i++) {
		const char *t = m->trig[i].type;

		if (!m->trig[i].threshold)
			m->trig[i].threshold = !strcmp(t, "queueLength") ? 100 : 75;
		if (strcmp(t, "cpu") && strcmp(t, "memory"))
			m->keda = true;
	}
	if (mode && (!strcmp(mode, "eventDriven") || !strcmp(mode, "schedule") || !strcmp(mode, "custom")))
		m->keda = true;
	if (m->autoscale && !m->ntrig) {
		m->trig = csf_arena_alloc(&m->arena, sizeof(*m->trig));
		m->trig[0].type = mode && !strcmp(mode, "memory") ? "memory" : "cpu";
		m->trig[0].threshold = 75;
		m->ntrig = 1;
	}
	m->min = scale(lo, m->factor, lo ? 1 : 0);
	m->max = scale(hi, m->factor, m->min > 0 ? m->min : 1);
	if (!m->autoscale && m->min < 1)
		m->min = 1;
}

static int
kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rd_kv *)a)->key, ((const struct rd_kv *)b)->key);
}

static bool
seq_contains(const char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* Resolves ${NAME} placeholders that name a declared value (one pass); placeholders that name
 * a secret become Kubernetes $(NAME) references. */
static const char *
resolve_placeholders(struct rd_model *m, const struct csf_node *vals, const char *v)
{
	struct csf_buf b = CSF_BUF_INIT;
	const char *p = v, *out;

	if (!strstr(v, "${"))
		return v;
	while (*p) {
		const char *st = strstr(p, "${"), *en;

		if (!st || !(en = strchr(st, '}'))) {
			csf_buf_addstr(&b, p);
			break;
		}
		csf_buf_add(&b, p, (size_t)(st - p));
		{
			char *name = csf_xstrndup(st + 2, (size_t)(en - st - 2));
			const char *val = csf_node_str(csf_node_get(vals, name));

			if (val && !strstr(val, "${"))
				csf_buf_addstr(&b, val);
			else if (seq_contains(m->secrets, m->nsecrets, name))
				csf_buf_addf(&b, "$(%s)", name);
			else
				csf_buf_add(&b, st, (size_t)(en - st + 1));
			free(name);
		}
		p = en + 1;
	}
	out = csf_arena_strndup(&m->arena, b.buf, b.len);
	csf_buf_release(&b);
	return out;
}

static void
read_config(struct rd_model *m)
{
	const struct csf_node *vals = get(m, "configuration.values");
	const char *src = gstr(m, "configuration.source");
	size_t i;

	m->secrets = gseq(m, get(m, "configuration.secrets"), &m->nsecrets);
	if (!src)
		src = gstr(m, "infrastructure.secretsSource");
	if (!src)
		src = gstr(m, "infrastructure.config.secrets");
	m->secret_store = provider_tech(m, "secrets", src, prov_defaults(m->provider)->secrets);
	if (tech_provider(m->secret_store) && strcmp(tech_provider(m->secret_store), m->provider)) {
		rd_warn(m, "secret store '%s' is not a %s service; using %s", m->secret_store,
			m->provider, prov_defaults(m->provider)->secrets);
		m->secret_store = prov_defaults(m->provider)->secrets;
	}
	m->mount_volume = gstr(m, "configuration.mountAs") &&
			  !strcmp(gstr(m, "configuration.mountAs"), "volume");
	if (!csf_node_is_map(vals))
		return;
	m->values = csf_arena_alloc(&m->arena, (vals->n + 1) * sizeof(*m->values));
	for (i = 0; i < vals->n; i++) {
		const char *k = csf_node_str(vals->kids[2 * i]);
		const struct csf_node *vn = vals->kids[2 * i + 1];
		struct rd_kv *kv;

		if (!k)
			continue;
		if (vn->kind != CSF_NODE_SCALAR) {
			rd_warn(m, "configuration.values.%s is not a scalar; left out of the configmap", k);
			continue;
		}
		if (seq_contains(m->secrets, m->nsecrets, k)) {
			rd_warn(m, "configuration.values.%s is also a declared secret; the secret wins", k);
			continue;
		}
		kv = &m->values[m->nvalues++];
		kv->key = k;
		kv->value = vn->type == CSF_SCALAR_NULL ? "" : vn->str;
		if (csf_render_looks_secret(k, kv->value)) {
			kv->redacted = true;
			kv->value = "<redacted>";
			rd_warn(m, "configuration.values.%s looks like a secret: redacted in the configmap; "
				   "declare it in configuration.secrets", k);
		} else {
			kv->value = resolve_placeholders(m, vals, kv->value);
		}
	}
	qsort(m->values, m->nvalues, sizeof(*m->values), kv_cmp);
}

static void
add_peer(struct rd_model *m, struct rd_peer **v, size_t *n, const char *module, bool scoped)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].module, module))
			return;
	if (!*n)
		*v = csf_arena_alloc(&m->arena, 64 * sizeof(**v));
	if (*n >= 64)
		return;
	(*v)[*n].module = module;
	(*v)[*n].name = rd_dns(m, module);
	(*v)[*n].tenant_scoped = scoped;
	(*n)++;
}

static void
read_traffic(struct rd_model *m)
{
	const struct csf_node *allow = get(m, "network.trafficPolicy.allow");
	const struct csf_workspace *ws = m->opts->ws;
	size_t i, j;

	for (i = 0; csf_node_is_seq(allow) && i < allow->n; i++) {
		const char *from = csf_node_str(csf_node_get(allow->kids[i], "from"));
		const char *to = csf_node_str(csf_node_get(allow->kids[i], "to"));
		bool scoped = true, b;

		if (csf_node_bool(csf_node_get(allow->kids[i], "tenantScoped"), &b))
			scoped = b;
		if (to && (!from || !strcmp(from, m->module)) && strcmp(to, m->module))
			add_peer(m, &m->egress, &m->negress, to, scoped);
		if (from && to && !strcmp(to, m->module) && strcmp(from, m->module))
			add_peer(m, &m->ingress, &m->ningress, from, scoped);
	}
	for (j = 0; ws && j < ws->nblueprints; j++) {
		const struct csf_blueprint *o = &ws->blueprints[j];

		if (o == m->eff->bp || !o->module)
			continue;
		allow = csf_node_path(o->root, "network.trafficPolicy.allow");
		for (i = 0; csf_node_is_seq(allow) && i < allow->n; i++) {
			const char *from = csf_node_str(csf_node_get(allow->kids[i], "from"));
			const char *to = csf_node_str(csf_node_get(allow->kids[i], "to"));
			bool scoped = true, b;

			if (csf_node_bool(csf_node_get(allow->kids[i], "tenantScoped"), &b))
				scoped = b;
			if (to && !strcmp(to, m->module) && (!from || !strcmp(from, o->module)))
				add_peer(m, &m->ingress, &m->ningress, o->module, scoped);
		}
	}
}

static const char *
map_database(struct rd_model *m, const char *db)
{
	const char *owner;

	if (!db || !strcmp(db, "none"))
		return NULL;
	if (!strcmp(db, "postgres") || !strcmp(db, "mysql"))
		return db;
	owner = tech_provider(db);
	if (!owner)
		return db;
	if (!strcmp(owner, m->provider))
		return db;
	rd_warn(m, "database '%s' is a %s service; rendering %s for %s", db, owner,
		prov_defaults(m->provider)->document_db, m->provider);
	return prov_defaults(m->provider)->document_db;
}

static void
read_infra(struct rd_model *m)
{
	const struct prov_defaults *d = prov_defaults(m->provider);
	const struct csf_node *tags = get(m, "cost.costTag");
	const char *q = gstr(m, "infrastructure.queue"), *t = gstr(m, "events.transport");
	const char *st = gstr(m, "infrastructure.storage");
	bool need_queue = false;
	size_t i;

	m->database = map_database(m, provider_tech(m, "database", gstr(m, "infrastructure.database"),
						    NULL));
	m->tenant_schema = !gstr(m, "infrastructure.databaseSchema") ||
			   strcmp(gstr(m, "infrastructure.databaseSchema"), "shared");
	for (i = 0; i < m->ntrig; i++)
		need_queue |= !strcmp(m->trig[i].type, "queueLength");
	need_queue |= m->nemits || m->nconsumes || q || t || m->nfn_sources;
	if (need_queue)
		m->queue_tech = provider_tech(m, "pubsub", q ? q : t, d->pubsub);
	if (m->queue_tech && tech_provider(m->queue_tech) &&
	    strcmp(tech_provider(m->queue_tech), m->provider))
		m->queue_tech = d->pubsub;
	if (m->queue_tech && (!strcmp(m->queue_tech, "sqs") || !strcmp(m->queue_tech, "sns")))
		m->queue_tech = "sns-sqs";
	if (m->queue_tech && !strcmp(m->queue_tech, "pubsub"))
		m->queue_tech = "gcp-pubsub";
	m->transport = m->queue_tech;
	if (st && strcmp(st, "none")) {
		m->storage = provider_tech(m, "storage", st, d->storage);
		if (tech_provider(m->storage) && strcmp(tech_provider(m->storage), m->provider))
			m->storage = d->storage;
	}
	m->cache = gstr(m, "infrastructure.cache");
	if (m->cache && !strcmp(m->cache, "none"))
		m->cache = NULL;
	m->storage_class = gstr(m, "cost.storageClass");
	if (csf_node_is_map(tags)) {
		m->tags = csf_arena_alloc(&m->arena, (tags->n + 4) * sizeof(*m->tags));
		for (i = 0; i < tags->n; i++)
			if (csf_node_str(tags->kids[2 * i]) && csf_node_str(tags->kids[2 * i + 1])) {
				m->tags[m->ntags].key = tags->kids[2 * i]->str;
				m->tags[m->ntags++].value = tags->kids[2 * i + 1]->str;
			}
	} else {
		m->tags = csf_arena_alloc(&m->arena, 4 * sizeof(*m->tags));
	}
	/* Every resource carries who it belongs to, whatever the blueprint lists. */
	{
		static const char *const keys[] = { "tenant", "module", "environment" };
		const char *vals[3];

		vals[0] = m->tenant;
		vals[1] = m->module;
		vals[2] = m->env;
		for (i = 0; i < 3; i++) {
			size_t j;
			bool have = false;

			for (j = 0; j < m->ntags; j++)
				have |= !strcmp(m->tags[j].key, keys[i]);
			if (!have) {
				m->tags[m->ntags].key = keys[i];
				m->tags[m->ntags++].value = vals[i];
			}
		}
	}
	qsort(m->tags, m->ntags, sizeof(*m->tags), kv_cmp);
}

static const char *
short_id(struct rd_model *m, const char *base, size_t maxlen)
{
	char hex[65];
	const char *seed = rd_fmt(m, "%s/%s/%s", m->tenant, m->name, m->env);
	size_t n = strlen(base);

	csf_sha256_hex(seed, strlen(seed), hex);
	if (n > maxlen - 9)
		n = maxlen - 9;
	while (n && base[n - 1] == '-')
		n--;
	return rd_fmt(m, "%.*s-%.8s", (int)n, base, hex);
}

void
rd_read_model(struct rd_model *m)
{
	const struct csf_node *n;
	long long v;

	m->version = gstr(m, "version") ? gstr(m, "version") : "0.0.0";
	m->edition = m->eff->edition ? m->eff->edition->name
				     : (gstr(m, "edition") ? gstr(m, "edition") : "none");
	m->region = gstr(m, "cloud.region");
	m->description = gstr(m, "description");
	m->owner = gstr(m, "owner");
	m->generated_by = m->opts->generated_by ? m->opts->generated_by : "csf-tui@" CSF_VERSION;
	m->stack = gstr(m, "runtime.stack") ? gstr(m, "runtime.stack") : "dotnet8";
	m->port = gint(m, "runtime.port", &v) && v > 0 && v < 65536 ? v : 8080;
	m->image_tag = rd_label(m, m->version);	/* "1.2.3+b7" is not a valid image tag */
	m->image = gstr(m, "runtime.image") ? gstr(m, "runtime.image")
					    : rd_fmt(m, "registry.local/%s", m->name);
	read_scaling(m);
	m->liveness = gstr(m, "resilience.probes.liveness");
	m->readiness = gstr(m, "resilience.probes.readiness");
	m->startup = gstr(m, "resilience.probes.startup");
	if (!m->liveness || !m->readiness)
		rd_warn(m, "resilience.probes: missing liveness or readiness; using /healthz and /ready");
	if (!m->liveness)
		m->liveness = "/healthz";
	if (!m->readiness)
		m->readiness = "/ready";
	m->timeout_seconds = gint(m, "resilience.timeoutSeconds", &v) && v > 0 ? v : 30;
	m->cpu_req = gstr(m, "cost.cpuRequest");
	m->cpu_lim = gstr(m, "cost.cpuLimit");
	m->mem_req = gstr(m, "cost.memoryRequest");
	m->mem_lim = gstr(m, "cost.memoryLimit");
	if (!m->cpu_req || !m->mem_req || !m->mem_lim)
		rd_warn(m, "cost: resource requests/limits incomplete; defaults used for the missing ones");
	if (!m->cpu_req)
		m->cpu_req = "100m";
	if (!m->mem_req)
		m->mem_req = "128Mi";
	if (!m->mem_lim)
		m->mem_lim = m->mem_req;
	/* events before config: placeholders and queue mapping need them */
	m->emits = gseq(m, get(m, "events.emits"), &m->nemits);
	m->consumes = gseq(m, get(m, "events.consumes"), &m->nconsumes);
	read_config(m);
	m->mesh = gstr(m, "network.mesh");
	if (!m->mesh)
		m->mesh = gbool(m, "network.serviceMesh", false) ? "istio" : "none";
	if (!gbool(m, "network.serviceMesh", strcmp(m->mesh, "none") != 0))
		m->mesh = "none";
	if (strcmp(m->mesh, "istio") && strcmp(m->mesh, "linkerd") && strcmp(m->mesh, "none")) {
		rd_warn(m, "network.mesh '%s' is not rendered (istio, linkerd)", m->mesh);
		m->mesh = "none";
	}
	m->mtls = gbool(m, "network.mtls", strcmp(m->mesh, "none") != 0);
	read_traffic(m);
	m->tracing = gstr(m, "observability.tracing") && strcmp(gstr(m, "observability.tracing"), "none");
	m->metrics = gstr(m, "observability.metrics") && strcmp(gstr(m, "observability.metrics"), "none");
	/* api */
	m->api = gbool(m, "api.exposed", false);
	m->route_prefix = gstr(m, "api.routePrefix") ? gstr(m, "api.routePrefix")
						     : rd_fmt(m, "/%s", m->name);
	m->gateway = gstr(m, "api.gateway") ? gstr(m, "api.gateway") : "gateway-api";
	m->ver_strategy = gstr(m, "api.versioning.strategy") ? gstr(m, "api.versioning.strategy") : "path";
	m->ver_default = gstr(m, "api.versioning.default") ? gstr(m, "api.versioning.default") : "v1";
	m->versions = gseq(m, get(m, "api.versioning.supported"), &m->nversions);
	if (!m->nversions) {
		m->versions = csf_arena_alloc(&m->arena, sizeof(*m->versions));
		m->versions[0] = m->ver_default;
		m->nversions = 1;
	}
	m->auth = gstr(m, "api.auth.strategy");
	m->scopes = gseq(m, get(m, "api.auth.scopes"), &m->nscopes);
	m->cors_origins = gseq(m, get(m, "api.cors.allowedOrigins"), &m->ncors_origins);
	m->cors_methods = gseq(m, get(m, "api.cors.allowedMethods"), &m->ncors_methods);
	m->rate_per_minute = gint(m, "api.rateLimit.perMinute", &v) && v > 0 ? v : 0;
	m->cdn = gbool(m, "api.cdn.enabled", false);
	/* function */
	m->function = gbool(m, "function.enabled", false);
	m->fn_type = gstr(m, "function.type") ? gstr(m, "function.type") : "httpTriggered";
	m->fn_runtime = provider_tech(m, "functionRuntime", gstr(m, "function.runtime"), NULL);
	if (!m->fn_runtime)
		m->fn_runtime = "nodejs20.x";
	m->fn_memory = gstr(m, "function.memory") ? gstr(m, "function.memory") : "256Mi";
	m->fn_timeout = gint(m, "function.timeoutSeconds", &v) && v > 0 ? v : m->timeout_seconds;
	n = get(m, "function.triggers");
	if (csf_node_is_seq(n)) {
		size_t i;

		m->fn_sources = csf_arena_alloc(&m->arena, (n->n + 1) * sizeof(*m->fn_sources));
		for (i = 0; i < n->n; i++) {
			const char *s = csf_node_str(csf_node_get(n->kids[i], "source"));

			if (!s)
				s = csf_node_str(csf_node_get(n->kids[i], "queue"));
			if (s)
				m->fn_sources[m->nfn_sources++] = s;
		}
	}
	read_infra(m);
	m->strategy = gstr(m, "release.strategy") ? gstr(m, "release.strategy") : "declarative";
	m->prometheus = m->opts->ws && m->opts->ws->cluster.prometheus
				? m->opts->ws->cluster.prometheus
				: "http://prometheus.monitoring.svc:9090";
	m->sa_name = m->name;
	if (!strcmp(m->provider, "azure"))
		m->cloud_identity = rd_fmt(m, "id-%s-%s-%s", m->name, m->tenant, m->env);
	else if (!strcmp(m->provider, "aws"))
		m->cloud_identity = short_id(m, rd_fmt(m, "%s-%s", m->tenant, m->name), 64);
	else
		m->cloud_identity = short_id(m, m->name, 30);
}
