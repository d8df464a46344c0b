#include "core/k8s.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/http.h"

static const struct csf_loc noloc = { 0, 0 };

cJSON *
csf_k8s_json_parse(const char *json, size_t len)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);

	if (!root)
		return NULL;
	while (end && end < json + len && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
		end++;
	if (end != json + len) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

void
csf_k8s_list_release(struct csf_k8s_list *l)
{
	free(l->namespaces);
	free(l->deployments);
	free(l->hpas);
	free(l->scaledobjects);
	free(l->events);
	csf_arena_release(&l->arena);
	memset(l, 0, sizeof(*l));
}

static const struct {
	const char *list_kind, *prefix, *resource;
} kinds[] = {
	[CSF_K8S_NAMESPACES] = { "NamespaceList", "/api/v1", "namespaces" },
	[CSF_K8S_DEPLOYMENTS] = { "DeploymentList", "/apis/apps/v1", "deployments" },
	[CSF_K8S_HPAS] = { "HorizontalPodAutoscalerList", "/apis/autoscaling/v2",
			   "horizontalpodautoscalers" },
	[CSF_K8S_SCALEDOBJECTS] = { "ScaledObjectList", "/apis/keda.sh/v1alpha1", "scaledobjects" },
	[CSF_K8S_EVENTS] = { "EventList", "/api/v1", "events" },
};

const char *
csf_k8s_list_kind(enum csf_k8s_kind kind)
{
	return kinds[kind].list_kind;
}

void
csf_k8s_path(struct csf_buf *out, enum csf_k8s_kind kind, const char *ns)
{
	csf_buf_addstr(out, kinds[kind].prefix);
	if (ns && kind != CSF_K8S_NAMESPACES) {
		csf_buf_addstr(out, "/namespaces/");
		csf_http_urlencode(out, ns);
	}
	csf_buf_addch(out, '/');
	csf_buf_addstr(out, kinds[kind].resource);
}

void
csf_k8s_query(struct csf_buf *out, const char *label_selector, const char *field_selector,
	      int limit, const char *continue_token)
{
	char sep = '?';

	if (label_selector && *label_selector) {
		csf_buf_addf(out, "%clabelSelector=", sep);
		csf_http_urlencode(out, label_selector);
		sep = '&';
	}
	if (field_selector && *field_selector) {
		csf_buf_addf(out, "%cfieldSelector=", sep);
		csf_http_urlencode(out, field_selector);
		sep = '&';
	}
	if (limit > 0) {
		csf_buf_addf(out, "%climit=%d", sep, limit);
		sep = '&';
	}
	if (continue_token && *continue_token) {
		csf_buf_addf(out, "%ccontinue=", sep);
		csf_http_urlencode(out, continue_token);
	}
}

/* ---- quantities and times ---------------------------------------------------------------- */

bool
csf_k8s_quantity(const char *s, double *out)
{
	static const struct {
		const char *suffix;
		double mul;
	} suffixes[] = {
		{ "Ki", 1024.0 }, { "Mi", 1048576.0 }, { "Gi", 1073741824.0 },
		{ "Ti", 1099511627776.0 }, { "Pi", 1125899906842624.0 },
		{ "Ei", 1152921504606846976.0 }, { "m", 1e-3 }, { "k", 1e3 }, { "M", 1e6 },
		{ "G", 1e9 }, { "T", 1e12 }, { "P", 1e15 }, { "E", 1e18 }, { "", 1.0 },
	};
	const char *p = s;
	char num[64];
	size_t n, i;
	double v;
	char *end;

	if (!s || !*s)
		return false;
	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	/* Decimal exponent: "1e3", "2E-2" (but "E" alone is the exa suffix). */
	if ((*p == 'e' || *p == 'E') &&
	    (isdigit((unsigned char)p[1]) ||
	     ((p[1] == '+' || p[1] == '-') && isdigit((unsigned char)p[2])))) {
		p += 2;
		while (isdigit((unsigned char)*p))
			p++;
	}
	n = (size_t)(p - s);
	if (n >= sizeof(num))
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	v = strtod(num, &end);
	if (*end)
		return false;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (!strcmp(p, suffixes[i].suffix)) {
			*out = v * suffixes[i].mul;
			return isfinite(*out);
		}
	return false;
}

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool
csf_k8s_time(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0;
	const char *p;
	int64_t t;

	if (!s || strlen(s) < 20)
		return false;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &se))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return false;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om))
			return false;
		if (*p == '-') {
			oh = -oh;
			om = -om;
		}
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
	*out = t - (oh * 3600 + om * 60);
	return true;
}

void
csf_k8s_time_format(int64_t t, char *out, size_t n)
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	/* civil_from_days */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;

	y += m <= 2;
	snprintf(out, n, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
		 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

/* ---- JSON helpers ------------------------------------------------------------------------ */

static const char *
jstr(struct csf_arena *a, const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v) || !v->valuestring)
		return NULL;
	return csf_arena_strdup(a, v->valuestring);
}

static const cJSON *
jget(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

/* int32 with omitempty: missing or null = def; a float or string = def. */
static int
jint(const cJSON *o, const char *key, int def)
{
	const cJSON *v = jget(o, key);
	double d;

	if (!cJSON_IsNumber(v))
		return def;
	d = v->valuedouble;
	if (!(d >= -2147483648.0 && d <= 2147483647.0))
		return def;
	return (int)d;
}

static long long
jll(const cJSON *o, const char *key)
{
	const cJSON *v = jget(o, key);

	if (!cJSON_IsNumber(v) || !(fabs(v->valuedouble) < 9e18))
		return 0;
	return (long long)v->valuedouble;
}

static int64_t
jtime(const cJSON *o, const char *key)
{
	const cJSON *v = jget(o, key);
	int64_t t;

	if (cJSON_IsString(v) && csf_k8s_time(v->valuestring, &t))
		return t;
	return 0;
}

/* A quantity given as a string, or (leniently) as a JSON number. */
static bool
jquantity(const cJSON *o, const char *key, double *out)
{
	const cJSON *v = jget(o, key);

	if (cJSON_IsString(v))
		return csf_k8s_quantity(v->valuestring, out);
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
		*out = v->valuedouble;
		return true;
	}
	return false;
}

static size_t
jlabels(struct csf_arena *a, const cJSON *map, struct csf_k8s_label **out)
{
	const cJSON *it;
	size_t n = 0, i = 0;

	*out = NULL;
	if (!cJSON_IsObject(map))
		return 0;
	cJSON_ArrayForEach(it, map)
		if (cJSON_IsString(it) && it->string)
			n++;
	if (!n)
		return 0;
	*out = csf_arena_alloc(a, n * sizeof(**out));
	cJSON_ArrayForEach(it, map) {
		if (!cJSON_IsString(it) || !it->string)
			continue;
		(*out)[i].key = csf_arena_strdup(a, it->string);
		(*out)[i].value = csf_arena_strdup(a, it->valuestring);
		i++;
	}
	return n;
}

const char *
csf_k8s_label(const struct csf_k8s_label *labels, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(labels[i].key, key))
			return labels[i].value;
	return NULL;
}

static size_t
jconditions(struct csf_arena *a, const cJSON *arr, struct csf_k8s_condition **out)
{
	const cJSON *it;
	size_t n = 0, i = 0;

	*out = NULL;
	if (!cJSON_IsArray(arr))
		return 0;
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsObject(it))
			n++;
	if (!n)
		return 0;
	*out = csf_arena_alloc(a, n * sizeof(**out));
	cJSON_ArrayForEach(it, arr) {
		struct csf_k8s_condition *c;

		if (!cJSON_IsObject(it))
			continue;
		c = &(*out)[i++];
		c->type = jstr(a, it, "type");
		c->status = jstr(a, it, "status");
		c->reason = jstr(a, it, "reason");
		c->message = jstr(a, it, "message");
		c->last_transition = jtime(it, "lastTransitionTime");
		if (!c->type)
			c->type = "";
		if (!c->status)
			c->status = "Unknown";
		if (!c->reason)
			c->reason = "";
		if (!c->message)
			c->message = "";
	}
	return n;
}

static const char *
nz(const char *s)
{
	return s ? s : "";
}

/* ---- items ------------------------------------------------------------------------------- */

static void
parse_namespace(struct csf_k8s_list *l, const cJSON *it)
{
	struct csf_arena *a = &l->arena;
	const cJSON *md = jget(it, "metadata");
	struct csf_k8s_namespace *n;

	CSF_GROW(l->namespaces, l->namespaces_alloc, l->nnamespaces + 1);
	n = &l->namespaces[l->nnamespaces++];
	memset(n, 0, sizeof(*n));
	n->name = nz(jstr(a, md, "name"));
	n->phase = nz(jstr(a, jget(it, "status"), "phase"));
	n->created = jtime(md, "creationTimestamp");
	n->nlabels = jlabels(a, jget(md, "labels"), &n->labels);
	n->tenant = csf_k8s_label(n->labels, n->nlabels, CSF_LABEL_TENANT);
	n->edition = csf_k8s_label(n->labels, n->nlabels, CSF_LABEL_EDITION);
	n->provider = csf_k8s_label(n->labels, n->nlabels, CSF_LABEL_PROVIDER);
}

static void
parse_deployment(struct csf_k8s_list *l, const cJSON *it)
{
	struct csf_arena *a = &l->arena;
	const cJSON *md = jget(it, "metadata"), *spec = jget(it, "spec"), *st = jget(it, "status");
	const cJSON *cs = jget(jget(jget(spec, "template"), "spec"), "containers"), *c;
	struct csf_k8s_deployment *d;
	size_t n = 0;

	CSF_GROW(l->deployments, l->deployments_alloc, l->ndeployments + 1);
	d = &l->deployments[l->ndeployments++];
	memset(d, 0, sizeof(*d));
	d->name = nz(jstr(a, md, "name"));
	d->namespace = nz(jstr(a, md, "namespace"));
	d->nlabels = jlabels(a, jget(md, "labels"), &d->labels);
	d->generation = jll(md, "generation");
	d->has_spec_replicas = cJSON_IsNumber(jget(spec, "replicas"));
	d->spec_replicas = jint(spec, "replicas", 1);
	d->observed_generation = jll(st, "observedGeneration");
	d->replicas = jint(st, "replicas", 0);
	d->ready = jint(st, "readyReplicas", 0);
	d->available = jint(st, "availableReplicas", 0);
	d->updated = jint(st, "updatedReplicas", 0);
	d->unavailable = jint(st, "unavailableReplicas", 0);
	d->nconditions = jconditions(a, jget(st, "conditions"), &d->conditions);
	if (cJSON_IsArray(cs)) {
		cJSON_ArrayForEach(c, cs)
			if (cJSON_IsObject(c))
				n++;
		if (n) {
			d->containers = csf_arena_alloc(a, n * sizeof(*d->containers));
			cJSON_ArrayForEach(c, cs) {
				if (!cJSON_IsObject(c))
					continue;
				d->containers[d->ncontainers].name = nz(jstr(a, c, "name"));
				d->containers[d->ncontainers].image = nz(jstr(a, c, "image"));
				d->ncontainers++;
			}
		}
	}
}

/* A metric source ("resource", "pods", …) → name and the target/current value member. */
static void
metric_source(struct csf_arena *a, const cJSON *m, const char **type, const cJSON **src,
	      const char **name)
{
	static const struct {
		const char *type, *member;
	} members[] = {
		{ "Resource", "resource" }, { "Pods", "pods" }, { "Object", "object" },
		{ "External", "external" }, { "ContainerResource", "containerResource" },
	};
	const cJSON *t = jget(m, "type");
	size_t i;

	*type = cJSON_IsString(t) ? csf_arena_strdup(a, t->valuestring) : "";
	*src = NULL;
	*name = "";
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		if (strcmp(*type, members[i].type))
			continue;
		*src = jget(m, members[i].member);
		if (i == 0 || i == 4)
			*name = nz(jstr(a, *src, "name"));
		else
			*name = nz(jstr(a, jget(*src, "metric"), "name"));
	}
}

/* A target/current value: utilization in %, else value, else averageValue. */
static bool
metric_value(const cJSON *v, double *out)
{
	const cJSON *u = jget(v, "averageUtilization");

	if (cJSON_IsNumber(u)) {
		*out = u->valuedouble;
		return true;
	}
	return jquantity(v, "value", out) || jquantity(v, "averageValue", out);
}

static void
parse_hpa(struct csf_k8s_list *l, const cJSON *it)
{
	struct csf_arena *a = &l->arena;
	const cJSON *md = jget(it, "metadata"), *spec = jget(it, "spec"), *st = jget(it, "status");
	const cJSON *ms = jget(spec, "metrics"), *cur = jget(st, "currentMetrics"), *m, *c;
	const cJSON *ref = jget(spec, "scaleTargetRef");
	struct csf_k8s_hpa *h;
	struct csf_k8s_label *labels;
	size_t nlabels, n = 0;

	CSF_GROW(l->hpas, l->hpas_alloc, l->nhpas + 1);
	h = &l->hpas[l->nhpas++];
	memset(h, 0, sizeof(*h));
	h->name = nz(jstr(a, md, "name"));
	h->namespace = nz(jstr(a, md, "namespace"));
	nlabels = jlabels(a, jget(md, "labels"), &labels);
	h->keda_owner = csf_k8s_label(labels, nlabels, "scaledobject.keda.sh/name");
	h->target_kind = nz(jstr(a, ref, "kind"));
	h->target_name = nz(jstr(a, ref, "name"));
	h->min_replicas = jint(spec, "minReplicas", 1);
	h->max_replicas = jint(spec, "maxReplicas", 0);
	h->current_replicas = jint(st, "currentReplicas", 0);
	h->desired_replicas = jint(st, "desiredReplicas", 0);
	h->last_scale_time = jtime(st, "lastScaleTime");
	h->nconditions = jconditions(a, jget(st, "conditions"), &h->conditions);
	if (!cJSON_IsArray(ms))
		return;
	cJSON_ArrayForEach(m, ms)
		if (cJSON_IsObject(m))
			n++;
	if (!n)
		return;
	h->metrics = csf_arena_alloc(a, n * sizeof(*h->metrics));
	cJSON_ArrayForEach(m, ms) {
		struct csf_k8s_metric *x;
		const cJSON *src, *target;

		if (!cJSON_IsObject(m))
			continue;
		x = &h->metrics[h->nmetrics++];
		metric_source(a, m, &x->type, &src, &x->name);
		target = jget(src, "target");
		x->target_type = nz(jstr(a, target, "type"));
		if (!metric_value(target, &x->target))
			x->target = 0;
		if (!cJSON_IsArray(cur))
			continue;
		/* Match the status entry of the same type and name. */
		cJSON_ArrayForEach(c, cur) {
			const char *ctype, *cname;
			const cJSON *csrc;

			if (!cJSON_IsObject(c))
				continue;
			metric_source(a, c, &ctype, &csrc, &cname);
			if (strcmp(ctype, x->type) || strcmp(cname, x->name))
				continue;
			if (!strcmp(x->target_type, "Utilization")) {
				const cJSON *u = jget(jget(csrc, "current"), "averageUtilization");

				if (cJSON_IsNumber(u)) {
					x->current = u->valuedouble;
					x->has_current = true;
				}
			} else {
				x->has_current = metric_value(jget(csrc, "current"), &x->current);
			}
			break;
		}
	}
}

static void
parse_scaledobject(struct csf_k8s_list *l, const cJSON *it)
{
	struct csf_arena *a = &l->arena;
	const cJSON *md = jget(it, "metadata"), *spec = jget(it, "spec"), *st = jget(it, "status");
	const cJSON *tr = jget(spec, "triggers"), *em = jget(st, "externalMetricNames"), *x;
	const cJSON *health = jget(st, "health");
	struct csf_k8s_scaledobject *s;
	size_t n = 0;

	CSF_GROW(l->scaledobjects, l->scaledobjects_alloc, l->nscaledobjects + 1);
	s = &l->scaledobjects[l->nscaledobjects++];
	memset(s, 0, sizeof(*s));
	s->name = nz(jstr(a, md, "name"));
	s->namespace = nz(jstr(a, md, "namespace"));
	s->target_name = nz(jstr(a, jget(spec, "scaleTargetRef"), "name"));
	s->min_replicas = jint(spec, "minReplicaCount", 0);
	s->max_replicas = jint(spec, "maxReplicaCount", 100);
	s->polling_interval = jint(spec, "pollingInterval", 30);
	s->cooldown_period = jint(spec, "cooldownPeriod", 300);
	s->hpa_name = jstr(a, st, "hpaName");
	if (!s->hpa_name) {
		struct csf_buf b = CSF_BUF_INIT;

		csf_buf_addf(&b, "keda-hpa-%s", s->name);
		s->hpa_name = csf_arena_strdup(a, b.buf);
		csf_buf_release(&b);
	}
	s->last_active = jtime(st, "lastActiveTime");
	s->nconditions = jconditions(a, jget(st, "conditions"), &s->conditions);
	if (cJSON_IsObject(health))
		cJSON_ArrayForEach(x, health) {
			const cJSON *hs = jget(x, "status");

			if (cJSON_IsString(hs) && !strcmp(hs->valuestring, "Failing"))
				s->health_failing = true;
		}
	if (cJSON_IsArray(em)) {
		cJSON_ArrayForEach(x, em)
			if (cJSON_IsString(x))
				n++;
		if (n) {
			s->external_metrics = csf_arena_alloc(a, n * sizeof(char *));
			cJSON_ArrayForEach(x, em)
				if (cJSON_IsString(x))
					s->external_metrics[s->nexternal_metrics++] =
						csf_arena_strdup(a, x->valuestring);
		}
	}
	n = 0;
	if (!cJSON_IsArray(tr))
		return;
	cJSON_ArrayForEach(x, tr)
		if (cJSON_IsObject(x))
			n++;
	if (!n)
		return;
	s->triggers = csf_arena_alloc(a, n * sizeof(*s->triggers));
	cJSON_ArrayForEach(x, tr) {
		struct csf_k8s_trigger *t;
		const cJSON *meta = jget(x, "metadata");

		if (!cJSON_IsObject(x))
			continue;
		t = &s->triggers[s->ntriggers++];
		t->type = nz(jstr(a, x, "type"));
		/* The per-replica target has a scaler-specific key. */
		t->threshold = jstr(a, meta, "threshold");
		if (!t->threshold)
			t->threshold = jstr(a, meta, "value");
		if (!t->threshold)
			t->threshold = jstr(a, meta, "messageCount");
		if (!t->threshold)
			t->threshold = jstr(a, meta, "queueLength");
		if (!t->threshold)
			t->threshold = jstr(a, meta, "targetValue");
		t->query = jstr(a, meta, "query");
		t->queue = jstr(a, meta, "queueName");
	}
}

static void
parse_event(struct csf_k8s_list *l, const cJSON *it)
{
	struct csf_arena *a = &l->arena;
	const cJSON *md = jget(it, "metadata"), *obj = jget(it, "involvedObject");
	struct csf_k8s_event *e;

	CSF_GROW(l->events, l->events_alloc, l->nevents + 1);
	e = &l->events[l->nevents++];
	memset(e, 0, sizeof(*e));
	e->name = nz(jstr(a, md, "name"));
	e->namespace = nz(jstr(a, md, "namespace"));
	e->object_kind = nz(jstr(a, obj, "kind"));
	e->object_name = nz(jstr(a, obj, "name"));
	e->reason = nz(jstr(a, it, "reason"));
	e->message = nz(jstr(a, it, "message"));
	e->type = nz(jstr(a, it, "type"));
	e->component = jstr(a, jget(it, "source"), "component");
	if (!e->component)
		e->component = nz(jstr(a, it, "reportingComponent"));
	e->count = jint(it, "count", 0);
	if (e->count <= 0)
		e->count = 1;
	e->first = jtime(it, "firstTimestamp");
	e->last = jtime(it, "lastTimestamp");
	if (!e->last)
		e->last = jtime(it, "eventTime");
	if (!e->last)
		e->last = jtime(md, "creationTimestamp");
	if (!e->first)
		e->first = e->last;
}

/* ---- lists, Status ----------------------------------------------------------------------- */

static void
copy_field(char *dst, size_t n, const cJSON *o, const char *key)
{
	const cJSON *v = jget(o, key);

	snprintf(dst, n, "%s", cJSON_IsString(v) ? v->valuestring : "");
}

static bool
status_from_json(const cJSON *root, struct csf_k8s_status *st)
{
	const cJSON *kind = jget(root, "kind");

	memset(st, 0, sizeof(*st));
	if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "Status"))
		return false;
	st->code = jint(root, "code", 0);
	copy_field(st->status, sizeof(st->status), root, "status");
	copy_field(st->reason, sizeof(st->reason), root, "reason");
	copy_field(st->message, sizeof(st->message), root, "message");
	return true;
}

bool
csf_k8s_parse_status(const char *json, size_t len, struct csf_k8s_status *st)
{
	cJSON *root = csf_k8s_json_parse(json, len);
	bool ok = status_from_json(root, st);

	cJSON_Delete(root);
	return ok;
}

enum csf_status
csf_k8s_reply_error(long http_status, const char *body, size_t len, const char *what,
		    struct csf_error *err)
{
	struct csf_k8s_status st;
	enum csf_status code = http_status == 401 || http_status == 403 ? CSF_E_AUTH : CSF_E_HTTP;

	if (body && len && csf_k8s_parse_status(body, len, &st))
		return csf_fail(err, code, NULL, noloc, "%s: %s (%d): %s", what,
				st.reason[0] ? st.reason : "Failure", st.code ? st.code : (int)http_status,
				st.message);
	if (body && len) {
		char text[81];
		size_t i, n = len < 80 ? len : 80;

		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)body[i];

			text[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
		}
		while (n && text[n - 1] == ' ')
			n--;
		text[n] = '\0';
		return csf_fail(err, code, NULL, noloc, "%s: HTTP %ld: %s", what, http_status, text);
	}
	return csf_fail(err, code, NULL, noloc, "%s: HTTP %ld", what, http_status);
}

enum csf_status
csf_k8s_parse_list(enum csf_k8s_kind kind, const char *json, size_t len, const char *name,
		   struct csf_k8s_list *l, const char **continue_token, struct csf_error *err)
{
	cJSON *root;
	const cJSON *k, *items, *md, *it;
	struct csf_k8s_status st;
	const char *want = kinds[kind].list_kind;

	if (continue_token)
		*continue_token = NULL;
	root = csf_k8s_json_parse(json, len);
	if (!root) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= json && at <= json + len ? (size_t)(at - json) : len;

		return csf_fail(err, CSF_E_PARSE, name, noloc,
				"%s: malformed JSON near byte %zu (truncated or not JSON)", want, off);
	}
	if (status_from_json(root, &st)) {
		cJSON_Delete(root);
		return csf_fail(err, st.code == 401 || st.code == 403 ? CSF_E_AUTH : CSF_E_HTTP, name,
				noloc, "%s (%d): %s", st.reason[0] ? st.reason : "Failure", st.code,
				st.message);
	}
	k = jget(root, "kind");
	items = jget(root, "items");
	if (!cJSON_IsObject(root) || (cJSON_IsString(k) && strcmp(k->valuestring, want)) ||
	    (!cJSON_IsArray(items) && !cJSON_IsNull(items) && items)) {
		csf_fail(err, CSF_E_PARSE, name, noloc, "expected a %s, got %.60s", want,
			 cJSON_IsString(k) ? k->valuestring : "something else");
		cJSON_Delete(root);
		return CSF_E_PARSE;
	}
	if (!items && !cJSON_IsString(k)) {
		cJSON_Delete(root);
		return csf_fail(err, CSF_E_PARSE, name, noloc, "expected a %s (no items, no kind)", want);
	}
	md = jget(root, "metadata");
	if (!l->resource_version)
		l->resource_version = jstr(&l->arena, md, "resourceVersion");
	if (continue_token) {
		const cJSON *c = jget(md, "continue");

		if (cJSON_IsString(c) && c->valuestring[0])
			*continue_token = csf_arena_strdup(&l->arena, c->valuestring);
	}
	if (cJSON_IsArray(items))
		cJSON_ArrayForEach(it, items) {
			if (!cJSON_IsObject(it))
				continue;
			switch (kind) {
			case CSF_K8S_NAMESPACES:
				parse_namespace(l, it);
				break;
			case CSF_K8S_DEPLOYMENTS:
				parse_deployment(l, it);
				break;
			case CSF_K8S_HPAS:
				parse_hpa(l, it);
				break;
			case CSF_K8S_SCALEDOBJECTS:
				parse_scaledobject(l, it);
				break;
			case CSF_K8S_EVENTS:
				parse_event(l, it);
				break;
			}
		}
	cJSON_Delete(root);
	return CSF_E_OK;
}

/* ---- helpers ----------------------------------------------------------------------------- */

int
csf_k8s_rescale_size(const char *msg, const char **reason)
{
	static const char combined[] = "(combined from similar events): ";
	const char *p = msg;
	long v = 0;
	int nd = 0;

	if (reason)
		*reason = "";
	if (!msg)
		return -1;
	if (!strncmp(p, combined, sizeof(combined) - 1))
		p += sizeof(combined) - 1;
	if (strncmp(p, "New size: ", 10))
		return -1;
	p += 10;
	while (isdigit((unsigned char)*p) && nd < 9) {
		v = v * 10 + (*p++ - '0');
		nd++;
	}
	if (!nd || (*p && *p != ';'))
		return -1;
	if (reason && !strncmp(p, "; reason: ", 10))
		*reason = p + 10;
	return (int)v;
}

const char *
csf_k8s_deployment_version(const struct csf_k8s_deployment *d)
{
	const char *v = csf_k8s_label(d->labels, d->nlabels, CSF_LABEL_APP_VERSION);
	const char *img, *at, *colon, *slash;

	if (v && *v)
		return v;
	if (!d->ncontainers)
		return NULL;
	img = d->containers[0].image;
	at = strchr(img, '@');
	if (at) {
		const char *h = strchr(at, ':');

		return h && strlen(h + 1) >= 12 ? h + 1 : NULL;
	}
	colon = strrchr(img, ':');
	slash = strrchr(img, '/');
	if (colon && (!slash || colon > slash) && colon[1])
		return colon + 1;
	return NULL;
}
