#include "core/trace_source.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/fsutil.h"
#include "core/http.h"
#include "core/sanitize.h"
#include "core/trace_parse.h"
#include "core/xalloc.h"
#include "core/yaml_model.h"

static const struct csf_loc nowhere = { 0, 0 };

static const char *const backend_names[] = { "file", "jaeger", "tempo", "zipkin" };

const char *
csf_trace_backend_name(enum csf_trace_backend b)
{
	return (unsigned)b < 4 ? backend_names[b] : "file";
}

bool
csf_trace_backend_from_name(const char *name, enum csf_trace_backend *out)
{
	unsigned i;

	for (i = 0; name && i < 4; i++)
		if (!strcmp(name, backend_names[i])) {
			*out = (enum csf_trace_backend)i;
			return true;
		}
	return false;
}

enum csf_status
csf_trace_spec_parse(const char *spec, enum csf_trace_backend *kind, const char **rest,
		     struct csf_error *err)
{
	const char *colon = spec ? strchr(spec, ':') : NULL;
	unsigned i;

	if (!spec || !*spec)
		return csf_fail(err, CSF_E_USAGE, NULL, nowhere, "empty trace source (expected "
				"file:PATH, jaeger:URL, tempo:URL or zipkin:URL)");
	for (i = 0; colon && i < 4; i++) {
		size_t n = strlen(backend_names[i]);

		if ((size_t)(colon - spec) == n && !strncmp(spec, backend_names[i], n)) {
			*kind = (enum csf_trace_backend)i;
			*rest = colon + 1;
			if (!**rest)
				return csf_fail(err, CSF_E_USAGE, NULL, nowhere,
						"trace source '%s' needs a %s", spec,
						i ? "URL" : "path");
			if (i && strncmp(*rest, "http://", 7) && strncmp(*rest, "https://", 8))
				return csf_fail(err, CSF_E_USAGE, NULL, nowhere,
						"trace source '%s': the URL must start with "
						"http:// or https://", spec);
			return CSF_E_OK;
		}
	}
	if (!strncmp(spec, "http://", 7) || !strncmp(spec, "https://", 8))
		return csf_fail(err, CSF_E_USAGE, NULL, nowhere,
				"trace source '%s': say which backend (jaeger:URL, tempo:URL or "
				"zipkin:URL)", spec);
	*kind = CSF_TB_FILE;
	*rest = spec;
	return CSF_E_OK;
}

/* ==== logfmt tags ============================================================================ */

/* Next k=v pair of a logfmt string; values may be double-quoted (with \" escapes). */
static bool
logfmt_next(const char **pp, struct csf_buf *k, struct csf_buf *v)
{
	const char *p = *pp;

	csf_buf_reset(k);
	csf_buf_reset(v);
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return false;
	while (*p && *p != '=' && *p != ' ' && *p != '\t')
		csf_buf_addch(k, *p++);
	if (*p == '=') {
		p++;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				csf_buf_addch(v, *p);
			}
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ' ' && *p != '\t')
				csf_buf_addch(v, *p++);
		}
	}
	*pp = p;
	return true;
}

/* ==== URL builders =========================================================================== */

static void
add_base(struct csf_buf *out, const char *base)
{
	size_t n = strlen(base);

	while (n && base[n - 1] == '/')
		n--;
	csf_buf_add(out, base, n);
}

/* A Go duration ("100ms") that time.ParseDuration reads back exactly. */
static void
add_go_duration(struct csf_buf *out, int64_t ns)
{
	if (ns % 1000000 == 0)
		csf_buf_addf(out, "%lldms", (long long)(ns / 1000000));
	else if (ns % 1000 == 0)
		csf_buf_addf(out, "%lldus", (long long)(ns / 1000));
	else
		csf_buf_addf(out, "%lldns", (long long)ns);
}

static void
query_range(const struct csf_trace_query *q, int64_t now_us, int64_t *start, int64_t *end)
{
	*end = q->end_us ? q->end_us : now_us;
	*start = q->start_us;
	if (!*start && q->lookback_us)
		*start = *end - q->lookback_us;
}

static void
add_traceql_str(struct csf_buf *b, const char *s)
{
	csf_buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			csf_buf_addch(b, '\\');
		csf_buf_addch(b, *s);
	}
	csf_buf_addch(b, '"');
}

enum csf_status
csf_trace_search_url(struct csf_buf *out, enum csf_trace_backend b, const char *base,
		     const struct csf_trace_query *q, int64_t now_us, struct csf_error *err)
{
	struct csf_buf k = CSF_BUF_INIT, v = CSF_BUF_INIT, tmp = CSF_BUF_INIT;
	unsigned limit = q->limit ? q->limit : 20;
	int64_t start, end;
	const char *p;
	bool first = true;

	query_range(q, now_us, &start, &end);
	add_base(out, base);
	switch (b) {
	case CSF_TB_JAEGER:
		if (!q->service || !*q->service)
			return csf_fail(err, CSF_E_USAGE, NULL, nowhere,
					"jaeger search needs a service (--service S)");
		csf_buf_addstr(out, "/api/traces?service=");
		csf_http_urlencode(out, q->service);
		if (q->operation && *q->operation) {
			csf_buf_addstr(out, "&operation=");
			csf_http_urlencode(out, q->operation);
		}
		if (q->tags && *q->tags) {
			/* tags={"k":"v",…} (JSON), which keeps spaces and colons in values intact */
			csf_buf_addch(&tmp, '{');
			for (p = q->tags; logfmt_next(&p, &k, &v);) {
				if (!first)
					csf_buf_addch(&tmp, ',');
				first = false;
				csf_buf_add_json_str(&tmp, k.buf);
				csf_buf_addch(&tmp, ':');
				csf_buf_add_json_str(&tmp, v.buf);
			}
			csf_buf_addch(&tmp, '}');
			csf_buf_addstr(out, "&tags=");
			csf_http_urlencode(out, tmp.buf);
		}
		if (start)
			csf_buf_addf(out, "&start=%lld", (long long)start);
		csf_buf_addf(out, "&end=%lld", (long long)end);
		if (q->min_dur_ns) {
			csf_buf_addstr(out, "&minDuration=");
			add_go_duration(out, q->min_dur_ns);
		}
		if (q->max_dur_ns) {
			csf_buf_addstr(out, "&maxDuration=");
			add_go_duration(out, q->max_dur_ns);
		}
		csf_buf_addf(out, "&limit=%u", limit);
		break;
	case CSF_TB_TEMPO:
		/* TraceQL: {resource.service.name="S" && name="O" && .k="v" && traceDuration>…} */
		csf_buf_addch(&tmp, '{');
		if (q->service && *q->service) {
			csf_buf_addstr(&tmp, "resource.service.name=");
			add_traceql_str(&tmp, q->service);
			first = false;
		}
		if (q->operation && *q->operation) {
			csf_buf_addstr(&tmp, first ? "name=" : " && name=");
			add_traceql_str(&tmp, q->operation);
			first = false;
		}
		for (p = q->tags ? q->tags : ""; logfmt_next(&p, &k, &v);) {
			csf_buf_addf(&tmp, "%s.%s=", first ? "" : " && ", k.buf);
			add_traceql_str(&tmp, v.buf);
			first = false;
		}
		if (q->min_dur_ns) {
			csf_buf_addstr(&tmp, first ? "traceDuration>=" : " && traceDuration>=");
			add_go_duration(&tmp, q->min_dur_ns);
			first = false;
		}
		if (q->max_dur_ns) {
			csf_buf_addstr(&tmp, first ? "traceDuration<=" : " && traceDuration<=");
			add_go_duration(&tmp, q->max_dur_ns);
		}
		csf_buf_addch(&tmp, '}');
		csf_buf_addstr(out, "/api/search?q=");
		csf_http_urlencode(out, tmp.buf);
		if (start)
			csf_buf_addf(out, "&start=%lld", (long long)(start / 1000000));
		csf_buf_addf(out, "&end=%lld", (long long)((end + 999999) / 1000000));
		csf_buf_addf(out, "&limit=%u", limit);
		break;
	case CSF_TB_ZIPKIN:
		csf_buf_addstr(out, "/api/v2/traces?");
		if (q->service && *q->service) {
			csf_buf_addstr(out, "serviceName=");
			csf_http_urlencode(out, q->service);
			csf_buf_addch(out, '&');
		}
		if (q->operation && *q->operation) {
			csf_buf_addstr(out, "spanName=");
			csf_http_urlencode(out, q->operation);
			csf_buf_addch(out, '&');
		}
		if (q->tags && *q->tags) {
			for (p = q->tags; logfmt_next(&p, &k, &v);) {
				csf_buf_addf(&tmp, "%s%s", first ? "" : " and ", k.buf);
				if (v.len)
					csf_buf_addf(&tmp, "=%s", v.buf);
				first = false;
			}
			csf_buf_addstr(out, "annotationQuery=");
			csf_http_urlencode(out, tmp.buf);
			csf_buf_addch(out, '&');
		}
		if (q->min_dur_ns)
			csf_buf_addf(out, "minDuration=%lld&", (long long)(q->min_dur_ns / 1000));
		if (q->max_dur_ns)
			csf_buf_addf(out, "maxDuration=%lld&", (long long)(q->max_dur_ns / 1000));
		csf_buf_addf(out, "endTs=%lld&", (long long)(end / 1000));
		if (start)
			csf_buf_addf(out, "lookback=%lld&", (long long)((end - start) / 1000));
		csf_buf_addf(out, "limit=%u", limit);
		break;
	case CSF_TB_FILE:
		csf_buf_release(&k);
		csf_buf_release(&v);
		csf_buf_release(&tmp);
		return csf_fail(err, CSF_E_USAGE, NULL, nowhere, "a file source has no URL");
	}
	csf_buf_release(&k);
	csf_buf_release(&v);
	csf_buf_release(&tmp);
	return CSF_E_OK;
}

enum csf_status
csf_trace_fetch_url(struct csf_buf *out, enum csf_trace_backend b, const char *base,
		    const char *trace_id, struct csf_error *err)
{
	uint8_t id[16];
	char hex[33];
	size_t i;

	if (!trace_id || !csf_trace_id_parse(trace_id, strlen(trace_id), id, 16))
		return csf_fail(err, CSF_E_USAGE, NULL, nowhere,
				"'%.64s' is not a trace id (16 or 32 hex digits)",
				trace_id ? trace_id : "");
	csf_trace_id_hex(id, hex);
	add_base(out, base);
	switch (b) {
	case CSF_TB_JAEGER:
		csf_buf_addf(out, "/api/traces/%s", hex);
		break;
	case CSF_TB_TEMPO:
		csf_buf_addstr(out, "/api/traces/");
		for (i = 0; i < 16; i++)
			csf_buf_addf(out, "%02x", id[i]);
		break;
	case CSF_TB_ZIPKIN:
		csf_buf_addf(out, "/api/v2/trace/%s", hex);
		break;
	case CSF_TB_FILE:
		return csf_fail(err, CSF_E_USAGE, NULL, nowhere, "a file source has no URL");
	}
	return CSF_E_OK;
}

/* ==== responses ============================================================================== */

static void
first_line(struct csf_buf *out, const char *body, size_t len)
{
	size_t n = 0;

	while (n < len && n < 160 && body[n] != '\n' && body[n] != '\r')
		n++;
	csf_sanitize_buf(out, body, n, 0);
	if (n < len && body[n] != '\n' && body[n] != '\r')
		csf_buf_addstr(out, "…");
}

enum csf_status
csf_trace_parse_response(enum csf_trace_backend b, bool search, const char *url, long status,
			 const char *content_type, const char *body, size_t len,
			 struct csf_trace_set *set, struct csf_error *err)
{
	enum csf_trace_format fmt;
	enum csf_status st;
	struct csf_buf line = CSF_BUF_INIT;

	if (status == 404 && b == CSF_TB_JAEGER && len) {
		/* Jaeger's envelope {"errors":[{"code":404,"msg":"trace not found"}]} (text/plain) */
		struct csf_trace_set *tmp = csf_trace_set_new();

		st = csf_trace_parse(tmp, url, body, len, CSF_TRACE_JAEGER, NULL, err);
		csf_trace_set_free(tmp);
		if (st == CSF_E_NOTFOUND)
			return st;
	}
	if (status == 404)
		return csf_fail(err, CSF_E_NOTFOUND, url, nowhere, "%s",
				search ? "HTTP 404: search endpoint not found (wrong backend or "
				"base path?)" : "trace not found (HTTP 404)");
	if (status == 401 || status == 403) {
		first_line(&line, body, len);
		st = csf_fail(err, CSF_E_AUTH, url, nowhere, "HTTP %ld: %s", status,
			      line.len ? line.buf : status == 401 ? "unauthorized" : "forbidden");
		csf_buf_release(&line);
		return st;
	}
	if (status < 200 || status > 299) {
		if (b == CSF_TB_JAEGER && len) {
			struct csf_trace_set *tmp = csf_trace_set_new();

			st = csf_trace_parse(tmp, url, body, len, CSF_TRACE_JAEGER, NULL, err);
			csf_trace_set_free(tmp);
			if (st == CSF_E_HTTP)
				return st;
		}
		first_line(&line, body, len);
		st = csf_fail(err, CSF_E_HTTP, url, nowhere, "HTTP %ld%s%s", status,
			      line.len ? ": " : "", line.buf);
		csf_buf_release(&line);
		return st;
	}
	if (content_type && *content_type && !csf_http_is_json_type(content_type)) {
		struct csf_buf ct = CSF_BUF_INIT;

		csf_sanitize_buf(&ct, content_type, strlen(content_type), 0);
		st = csf_fail(err, CSF_E_HTTP, url, nowhere, "expected a JSON response, got %s",
			      ct.buf);
		csf_buf_release(&ct);
		return st;
	}
	switch (b) {
	case CSF_TB_JAEGER:
		fmt = CSF_TRACE_JAEGER;
		break;
	case CSF_TB_ZIPKIN:
		fmt = CSF_TRACE_ZIPKIN;
		break;
	case CSF_TB_TEMPO:
		fmt = search ? CSF_TRACE_TEMPO_SEARCH : CSF_TRACE_OTLP;
		break;
	default:
		fmt = CSF_TRACE_AUTO;
		break;
	}
	st = csf_trace_parse(set, url, body, len, fmt, NULL, err);
	if (st == CSF_E_OK)
		csf_trace_set_build(set);
	return st;
}

/* ==== query matching ========================================================================= */

static bool
trace_has_attr(const struct csf_trace_set *set, const struct csf_trace *t, const char *k,
	       const char *v)
{
	size_t i;

	for (i = 0; i < t->nspans; i++) {
		const struct csf_trace_attr *a = csf_span_attr(set, &t->spans[i], k);

		if (a && (!*v || !strcmp(a->value, v)))
			return true;
		/* the conventional "error=true" also means a span with status error */
		if (!strcmp(k, "error") && (!*v || !strcmp(v, "true")) &&
		    t->spans[i].status == CSF_SPAN_ERROR)
			return true;
	}
	return false;
}

bool
csf_trace_query_match(const struct csf_trace_set *set, const struct csf_trace *t,
		      const struct csf_trace_query *q)
{
	struct csf_buf k = CSF_BUF_INIT, v = CSF_BUF_INIT;
	const char *p;
	int64_t dur = t->end_ns - t->start_ns;
	bool ok = true, svc = !q->service || !*q->service, op = !q->operation || !*q->operation;
	size_t i;

	for (i = 0; i < t->nspans && (!svc || !op); i++) {
		const struct csf_span *s = &t->spans[i];
		bool this_svc = !q->service || !*q->service || !strcmp(s->service, q->service);

		if (this_svc)
			svc = true;
		if (this_svc && q->operation && !strcmp(s->name, q->operation))
			op = true;
	}
	if (!svc || !op)
		return false;
	if (q->min_dur_ns && dur < q->min_dur_ns)
		return false;
	if (q->max_dur_ns && dur > q->max_dur_ns)
		return false;
	if (q->start_us && t->start_ns / 1000 < q->start_us)
		return false;
	if (q->end_us && t->start_ns / 1000 > q->end_us)
		return false;
	for (p = q->tags ? q->tags : ""; ok && logfmt_next(&p, &k, &v);)
		if (!trace_has_attr(set, t, k.buf, v.buf))
			ok = false;
	csf_buf_release(&k);
	csf_buf_release(&v);
	return ok;
}

/* ==== file source ============================================================================ */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_trace_file(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.')
		return false;
	return (n > 5 && !strcmp(name + n - 5, ".json")) ||
	       (n > 6 && !strcmp(name + n - 6, ".jsonl"));
}

/* Parses every file of the source into set. */
static enum csf_status
file_load(struct csf_trace_source *src, struct csf_trace_set *set, struct csf_error *err)
{
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	enum csf_status st = CSF_E_OK;
	DIR *d;
	struct dirent *de;

	if (!csf_is_dir(src->where)) {
		st = csf_trace_parse_file(set, src->where, CSF_TRACE_AUTO, NULL, err);
		if (!st)
			csf_trace_set_build(set);
		return st;
	}
	d = opendir(src->where);
	if (!d)
		return csf_fail(err, CSF_E_IO, src->where, nowhere, "cannot open folder: %s",
				strerror(errno));
	while ((de = readdir(d))) {
		if (!is_trace_file(de->d_name))
			continue;
		CSF_GROW(names, alloc, n + 1);
		names[n++] = csf_path_join(src->where, de->d_name);
	}
	closedir(d);
	if (n)		/* an empty folder: names is NULL, which qsort must not get */
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		if (!st)
			st = csf_trace_parse_file(set, names[i], CSF_TRACE_AUTO, NULL, err);
		free(names[i]);
	}
	free(names);
	if (!st)
		csf_trace_set_build(set);
	return st;
}

static enum csf_status
file_search(struct csf_trace_source *src, const struct csf_trace_query *q,
	    struct csf_trace_set *out, struct csf_error *err)
{
	enum csf_status st = file_load(src, out, err);
	unsigned limit = q->limit ? q->limit : 20, kept = 0;
	bool *keep;
	size_t i;

	if (st)
		return st;
	keep = csf_xcalloc(out->ntraces + 1, sizeof(*keep));
	for (i = 0; i < out->ntraces; i++)
		if (kept < limit && csf_trace_query_match(out, &out->traces[i], q)) {
			keep[i] = true;
			kept++;
		}
	csf_trace_set_keep(out, keep);
	free(keep);
	return CSF_E_OK;
}

static enum csf_status
file_fetch(struct csf_trace_source *src, const char *trace_id, struct csf_trace_set *out,
	   struct csf_error *err)
{
	struct csf_trace *t;
	enum csf_status st;
	uint8_t id[16];
	bool *keep;
	size_t i;

	if (!trace_id || !csf_trace_id_parse(trace_id, strlen(trace_id), id, 16))
		return csf_fail(err, CSF_E_USAGE, NULL, nowhere,
				"'%.64s' is not a trace id (16 or 32 hex digits)",
				trace_id ? trace_id : "");
	if ((st = file_load(src, out, err)))
		return st;
	t = csf_trace_set_find(out, trace_id);
	if (!t)
		return csf_fail(err, CSF_E_NOTFOUND, src->where, nowhere, "no trace %.64s here",
				trace_id);
	keep = csf_xcalloc(out->ntraces + 1, sizeof(*keep));
	for (i = 0; i < out->ntraces; i++)
		keep[i] = &out->traces[i] == t;
	csf_trace_set_keep(out, keep);
	free(keep);
	return CSF_E_OK;
}

static void
source_close(struct csf_trace_source *src)
{
	if (!src)
		return;
	free(src->where);
	free(src);
}

static const struct csf_trace_source_ops file_ops = {
	.name = "file",
	.search = file_search,
	.fetch = file_fetch,
	.close = source_close,
};

enum csf_status
csf_trace_source_file(const char *path, struct csf_trace_source **out, struct csf_error *err)
{
	struct csf_trace_source *src;

	*out = NULL;
	if (!csf_is_dir(path) && !csf_is_file(path))
		return csf_fail(err, CSF_E_IO, path, nowhere, "no such trace file or folder");
	src = csf_xcalloc(1, sizeof(*src));
	src->ops = &file_ops;
	src->kind = CSF_TB_FILE;
	src->where = csf_xstrdup(path);
	*out = src;
	return CSF_E_OK;
}

/* ==== HTTP sources =========================================================================== */

static enum csf_status
http_do(struct csf_trace_source *src, const char *url, bool search, struct csf_trace_set *out,
	struct csf_error *err)
{
	struct csf_buf ct = CSF_BUF_INIT, body = CSF_BUF_INIT;
	long status = 0;
	enum csf_status st;

	st = src->transport.get(src->transport.ctx, url, "application/json", &status, &ct, &body,
				err);
	if (!st)
		st = csf_trace_parse_response(src->kind, search, url, status, ct.buf, body.buf,
					      body.len, out, err);
	csf_buf_release(&ct);
	csf_buf_release(&body);
	return st;
}

static enum csf_status
http_search(struct csf_trace_source *src, const struct csf_trace_query *q,
	    struct csf_trace_set *out, struct csf_error *err)
{
	struct csf_buf url = CSF_BUF_INIT;
	struct timespec now;
	enum csf_status st;

	clock_gettime(CLOCK_REALTIME, &now);
	st = csf_trace_search_url(&url, src->kind, src->where, q,
				  (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000, err);
	if (!st)
		st = http_do(src, url.buf, true, out, err);
	csf_buf_release(&url);
	return st;
}

static enum csf_status
http_fetch(struct csf_trace_source *src, const char *trace_id, struct csf_trace_set *out,
	   struct csf_error *err)
{
	struct csf_buf url = CSF_BUF_INIT;
	enum csf_status st;

	st = csf_trace_fetch_url(&url, src->kind, src->where, trace_id, err);
	if (!st)
		st = http_do(src, url.buf, false, out, err);
	if (!st && !csf_trace_set_find(out, trace_id))
		st = csf_fail(err, CSF_E_NOTFOUND, url.buf, nowhere,
			      "the response holds no trace %.64s", trace_id);
	csf_buf_release(&url);
	return st;
}

static const struct csf_trace_source_ops http_ops = {
	.name = "http",
	.search = http_search,
	.fetch = http_fetch,
	.close = source_close,
};

enum csf_status
csf_trace_source_http(enum csf_trace_backend b, const char *base_url,
		      const struct csf_trace_transport *tr, struct csf_trace_source **out,
		      struct csf_error *err)
{
	struct csf_trace_source *src;

	*out = NULL;
	if (b == CSF_TB_FILE)
		return csf_fail(err, CSF_E_USAGE, NULL, nowhere, "not an HTTP backend");
	if (!tr || !tr->get)
		return csf_fail(err, CSF_E_USAGE, base_url, nowhere, "no HTTP transport given");
	src = csf_xcalloc(1, sizeof(*src));
	src->ops = &http_ops;
	src->kind = b;
	src->where = csf_xstrdup(base_url);
	src->transport = *tr;
	*out = src;
	return CSF_E_OK;
}

enum csf_status
csf_trace_source_open(const char *spec, const struct csf_trace_transport *tr,
		      struct csf_trace_source **out, struct csf_error *err)
{
	enum csf_trace_backend b;
	const char *rest;
	enum csf_status st;

	*out = NULL;
	if ((st = csf_trace_spec_parse(spec, &b, &rest, err)))
		return st;
	if (b == CSF_TB_FILE)
		return csf_trace_source_file(rest, out, err);
	return csf_trace_source_http(b, rest, tr, out, err);
}

enum csf_status
csf_trace_http_get(void *ctx, const char *url, const char *accept, long *status,
		   struct csf_buf *content_type, struct csf_buf *body, struct csf_error *err)
{
	struct csf_http *h = ctx;
	struct csf_http_opts o;
	struct csf_http_response resp;
	enum csf_status st;

	memset(&o, 0, sizeof(o));
	o.accept = accept;
	csf_http_response_init(&resp);
	st = csf_http_fetch(h, url, &o, &resp);
	*status = resp.status;
	csf_buf_reset(content_type);
	csf_buf_addstr(content_type, resp.content_type);
	csf_buf_reset(body);
	csf_buf_add(body, resp.body.buf, resp.body.len);
	if (st && err)
		*err = resp.err;
	csf_http_response_release(&resp);
	return st;
}

char *
csf_trace_default_source(const char *ws, struct csf_error *err)
{
	char *spec = NULL, *cfg, *cand;
	struct csf_yaml_doc *doc = NULL;

	if (ws) {
		cfg = csf_path_join(ws, "csf.yaml");
		if (csf_is_file(cfg) && csf_yaml_load_file(cfg, NULL, &doc, NULL) == CSF_E_OK) {
			const struct csf_node *tr = csf_node_path(doc->root, "cluster.traces");
			const struct csf_node *kn = csf_node_get(tr, "kind");
			const char *kind = csf_node_text(kn);
			const char *url = csf_node_text(csf_node_get(tr, "url"));
			const char *path = csf_node_text(csf_node_get(tr, "path"));
			enum csf_trace_backend be;
			struct csf_buf b = CSF_BUF_INIT;

			if (kind && !csf_trace_backend_from_name(kind, &be)) {
				struct csf_buf clean = CSF_BUF_INIT;

				csf_sanitize_buf(&clean, kind, strlen(kind), 0);
				csf_fail(err, CSF_E_USAGE, cfg, kn->loc, "cluster.traces.kind '%s' is not "
					 "jaeger, tempo, zipkin or file", clean.buf);
				csf_buf_release(&clean);
				csf_yaml_doc_free(doc);
				free(cfg);
				return NULL;
			}
			if (kind && url && strcmp(kind, "file")) {
				csf_buf_addf(&b, "%s:%s", kind, url);
				spec = csf_buf_detach(&b, NULL);
			} else if (kind && !strcmp(kind, "file") && (path || url)) {
				const char *p = path ? path : url;
				char *abs = p[0] == '/' ? csf_xstrdup(p) : csf_path_join(ws, p);

				csf_buf_addf(&b, "file:%s", abs);
				free(abs);
				spec = csf_buf_detach(&b, NULL);
			}
			csf_yaml_doc_free(doc);
		}
		free(cfg);
		if (!spec) {
			cand = csf_path_join(ws, "traces");
			if (csf_is_dir(cand))	/* a workspace's own traces/ folder */
				spec = cand;
			else
				free(cand);
		}
	}
	if (!spec)
		spec = csf_samples_dir("traces");
	return spec ? spec : csf_xstrdup("samples/traces");
}
