#include "core/prom.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/http.h"
#include "core/k8s.h"

static const struct csf_loc noloc = { 0, 0 };

void
csf_prom_result_release(struct csf_prom_result *r)
{
	csf_arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

int64_t
csf_prom_step(int64_t start, int64_t end, int64_t min_step)
{
	int64_t range = end - start, step;

	if (min_step < 1)
		min_step = 1;
	if (range <= 0)
		return min_step;
	step = (range + CSF_PROM_MAX_POINTS - 1) / CSF_PROM_MAX_POINTS;
	return step > min_step ? step : min_step;
}

void
csf_prom_query_range_url(struct csf_buf *out, const char *base, const char *query, int64_t start,
			 int64_t end, int64_t step)
{
	size_t n = strlen(base);

	while (n && base[n - 1] == '/')
		n--;
	csf_buf_add(out, base, n);
	csf_buf_addstr(out, "/api/v1/query_range?query=");
	csf_http_urlencode(out, query);
	csf_buf_addf(out, "&start=%lld&end=%lld&step=%lld", (long long)start, (long long)end,
		     (long long)step);
}

bool
csf_prom_value(const char *s, double *out)
{
	char *end;

	if (!s || !*s)
		return false;
	if (!strcmp(s, "NaN")) {
		*out = NAN;
		return true;
	}
	if (!strcmp(s, "+Inf") || !strcmp(s, "Inf")) {
		*out = INFINITY;
		return true;
	}
	if (!strcmp(s, "-Inf")) {
		*out = -INFINITY;
		return true;
	}
	/* strtod would also take "nan", "infinity" and hex floats; Prometheus sends none. */
	if (strpbrk(s, "xXnNiI"))
		return false;
	*out = strtod(s, &end);
	return end != s && !*end;
}

const char *
csf_prom_series_label(const struct csf_prom_series *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nlabels; i++)
		if (!strcmp(s->labels[i].name, name))
			return s->labels[i].value;
	return NULL;
}

/* [ts, "value"] → sample; false on a wrong shape. */
static bool
parse_pair(const cJSON *p, struct csf_prom_sample *out)
{
	const cJSON *t, *v;

	if (!cJSON_IsArray(p) || cJSON_GetArraySize(p) != 2)
		return false;
	t = cJSON_GetArrayItem(p, 0);
	v = cJSON_GetArrayItem(p, 1);
	if (!cJSON_IsNumber(t) || !isfinite(t->valuedouble) || !cJSON_IsString(v))
		return false;
	out->t = t->valuedouble;
	return csf_prom_value(v->valuestring, &out->v);
}

static enum csf_status
parse_series(struct csf_prom_result *r, const cJSON *item, struct csf_prom_series *s,
	     const char *name, struct csf_error *err)
{
	const cJSON *metric = cJSON_GetObjectItemCaseSensitive(item, "metric");
	const cJSON *values = cJSON_GetObjectItemCaseSensitive(item, "values");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(item, "value");
	const cJSON *x;
	size_t n, i = 0;

	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(item))
		return csf_fail(err, CSF_E_PARSE, name, noloc, "a result item is not an object");
	if (cJSON_IsObject(metric)) {
		n = (size_t)cJSON_GetArraySize(metric);
		s->labels = csf_arena_alloc(&r->arena, (n ? n : 1) * sizeof(*s->labels));
		cJSON_ArrayForEach(x, metric) {
			if (!cJSON_IsString(x) || !x->string)
				continue;
			s->labels[i].name = csf_arena_strdup(&r->arena, x->string);
			s->labels[i].value = csf_arena_strdup(&r->arena, x->valuestring);
			i++;
		}
		s->nlabels = i;
	}
	if (cJSON_IsArray(values)) {
		n = (size_t)cJSON_GetArraySize(values);
		s->samples = csf_arena_alloc(&r->arena, (n ? n : 1) * sizeof(*s->samples));
		cJSON_ArrayForEach(x, values) {
			if (!parse_pair(x, &s->samples[s->nsamples]))
				return csf_fail(err, CSF_E_PARSE, name, noloc,
						"sample %zu is not [time, \"value\"]", s->nsamples);
			s->nsamples++;
		}
	} else if (value) {
		s->samples = csf_arena_alloc(&r->arena, sizeof(*s->samples));
		if (!parse_pair(value, &s->samples[0]))
			return csf_fail(err, CSF_E_PARSE, name, noloc, "value is not [time, \"value\"]");
		s->nsamples = 1;
	} else if (!cJSON_GetObjectItemCaseSensitive(item, "histograms")) {
		return csf_fail(err, CSF_E_PARSE, name, noloc, "a series has no values");
	}
	return CSF_E_OK;
}

enum csf_status
csf_prom_parse(const char *json, size_t len, long http_status, const char *name,
	       struct csf_prom_result *r, struct csf_error *err)
{
	cJSON *root = csf_k8s_json_parse(json, len);
	const cJSON *status, *data, *result, *rt, *w, *x;
	enum csf_status rc = CSF_E_OK;
	size_t n;

	memset(r, 0, sizeof(*r));
	if (!root) {
		if (http_status && (http_status < 200 || http_status >= 300)) {
			char text[81];
			size_t i, m = len < 80 ? len : 80;

			for (i = 0; i < m && json[i] != '\n'; i++)
				text[i] = (unsigned char)json[i] < 0x20 ? ' ' : json[i];
			text[i] = '\0';
			return csf_fail(err, CSF_E_HTTP, name, noloc, "HTTP %ld: %s", http_status, text);
		}
		return csf_fail(err, CSF_E_PARSE, name, noloc,
				"malformed JSON (truncated or not JSON, %zu bytes)", len);
	}
	status = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (!cJSON_IsString(status)) {
		rc = csf_fail(err, CSF_E_PARSE, name, noloc, "not a Prometheus API response (no status)");
		goto out;
	}
	if (strcmp(status->valuestring, "success")) {
		const cJSON *et = cJSON_GetObjectItemCaseSensitive(root, "errorType");
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");

		rc = csf_fail(err, CSF_E_HTTP, name, noloc, "%s: %s",
			      cJSON_IsString(et) ? et->valuestring : "error",
			      cJSON_IsString(e) ? e->valuestring : "(no message)");
		goto out;
	}
	data = cJSON_GetObjectItemCaseSensitive(root, "data");
	rt = cJSON_GetObjectItemCaseSensitive(data, "resultType");
	result = cJSON_GetObjectItemCaseSensitive(data, "result");
	if (!cJSON_IsString(rt) || !cJSON_IsArray(result)) {
		rc = csf_fail(err, CSF_E_PARSE, name, noloc,
			      "expected data.resultType and a data.result array");
		goto out;
	}
	if (strcmp(rt->valuestring, "matrix") && strcmp(rt->valuestring, "vector")) {
		rc = csf_fail(err, CSF_E_PARSE, name, noloc, "unsupported resultType '%.40s'",
			      rt->valuestring);
		goto out;
	}
	r->result_type = csf_arena_strdup(&r->arena, rt->valuestring);
	n = (size_t)cJSON_GetArraySize(result);
	r->series = csf_arena_alloc(&r->arena, (n ? n : 1) * sizeof(*r->series));
	cJSON_ArrayForEach(x, result) {
		rc = parse_series(r, x, &r->series[r->nseries], name, err);
		if (rc)
			goto out;
		r->nseries++;
	}
	w = cJSON_GetObjectItemCaseSensitive(root, "warnings");
	if (cJSON_IsArray(w) && (n = (size_t)cJSON_GetArraySize(w))) {
		r->warnings = csf_arena_alloc(&r->arena, n * sizeof(char *));
		cJSON_ArrayForEach(x, w)
			if (cJSON_IsString(x))
				r->warnings[r->nwarnings++] = csf_arena_strdup(&r->arena, x->valuestring);
	}
out:
	cJSON_Delete(root);
	if (rc)
		csf_prom_result_release(r);
	return rc;
}
