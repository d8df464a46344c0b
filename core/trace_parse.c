#include "core/trace_parse.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "core/buf.h"

/* ==== walking context and errors ============================================================= */

#define MAX_LVL 4

/* Where the walker is, so that shape errors can name the JSON path. */
struct walk {
	struct csf_trace_set *set;
	const char *name;
	struct csf_error *err;
	struct {
		const char *key;
		int idx;	/* -1: an object member, not an array element */
	} lvl[MAX_LVL];
	int depth;
	int doc;		/* JSON Lines document number (0 for single documents) */
	struct csf_buf tmp;	/* scratch for attribute values */
};

static void
walk_set(struct walk *w, int depth, const char *key, int idx)
{
	w->lvl[depth].key = key;
	w->lvl[depth].idx = idx;
	w->depth = depth + 1;
}

static enum csf_status
shape_error(struct walk *w, const char *field, const char *fmt, ...) CSF_PRINTF(3, 4);

static enum csf_status
shape_error(struct walk *w, const char *field, const char *fmt, ...)
{
	char path[160] = "", what[200];
	size_t n = 0;
	int i;
	va_list ap;
	struct csf_loc nowhere = { 0, 0 };

	if (w->doc)
		n += (size_t)snprintf(path, sizeof(path), "document %d: ", w->doc);
	for (i = 0; i < w->depth && n < sizeof(path); i++) {
		if (w->lvl[i].idx >= 0)
			n += (size_t)snprintf(path + n, sizeof(path) - n, "%s%s[%d]", i ? "." : "",
					      w->lvl[i].key, w->lvl[i].idx);
		else
			n += (size_t)snprintf(path + n, sizeof(path) - n, "%s%s", i ? "." : "",
					      w->lvl[i].key);
	}
	if (field && n < sizeof(path))
		snprintf(path + n, sizeof(path) - n, "%s%s", n && path[n - 1] != ' ' ? "." : "",
			 field);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return csf_fail(w->err, CSF_E_PARSE, w->name, nowhere, "%s%s%s", path,
			path[0] ? ": " : "", what);
}

static const char *
type_name(const cJSON *v)
{
	if (!v)
		return "nothing";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

/* ==== scalar conversions ===================================================================== */

/* Integer from a JSON number or a decimal string; null/absent are 0. Sets *ok false on a wrong
 * type, junk or a value outside int64. */
static int64_t
get_i64(const cJSON *v, bool *ok)
{
	*ok = true;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (!isfinite(d) || d >= 9223372036854775807.0 || d < -9223372036854775807.0) {
			*ok = false;
			return 0;
		}
		return (int64_t)d;
	}
	if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		bool neg = *s == '-';
		uint64_t acc = 0;

		if (neg)
			s++;
		if (!*s) {
			if (!neg)
				return 0;	/* "" is the default value */
			*ok = false;
			return 0;
		}
		for (; *s; s++) {
			if (*s < '0' || *s > '9' || acc > (UINT64_MAX - 9) / 10) {
				*ok = false;
				return 0;
			}
			acc = acc * 10 + (uint64_t)(*s - '0');
		}
		if (acc > (uint64_t)INT64_MAX) {
			*ok = false;
			return 0;
		}
		return neg ? -(int64_t)acc : (int64_t)acc;
	}
	*ok = false;
	return 0;
}

/* Microseconds to nanoseconds, refusing overflow. */
static int64_t
us_to_ns(int64_t us, bool *ok)
{
	if (us > INT64_MAX / 1000 || us < INT64_MIN / 1000) {
		*ok = false;
		return 0;
	}
	return us * 1000;
}

static void
fmt_double(struct csf_buf *b, double d)
{
	char tmp[40];

	if (!isfinite(d)) {
		csf_buf_addstr(b, isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
		return;
	}
	if (d == floor(d) && fabs(d) < 1e15) {
		csf_buf_addf(b, "%.0f", d);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.15g", d);
	if (strtod(tmp, NULL) != d)
		snprintf(tmp, sizeof(tmp), "%.17g", d);
	csf_buf_addstr(b, tmp);
}

/* ==== OTLP AnyValue ========================================================================== */

static void anyvalue_json(struct csf_buf *b, const cJSON *v, int depth);

/* Compact JSON text of an AnyValue (for arrays and kvlists). */
static void
anyvalue_json(struct csf_buf *b, const cJSON *v, int depth)
{
	const cJSON *c, *x;

	if (!v || !cJSON_IsObject(v) || !v->child || depth > 64) {
		csf_buf_addstr(b, "null");
		return;
	}
	c = v->child;
	if (!c->string) {
		csf_buf_addstr(b, "null");
	} else if (!strcmp(c->string, "stringValue") || !strcmp(c->string, "bytesValue")) {
		csf_buf_add_json_str(b, cJSON_IsString(c) ? c->valuestring : "");
	} else if (!strcmp(c->string, "intValue")) {
		bool ok;
		int64_t i = get_i64(c, &ok);

		csf_buf_addf(b, "%lld", (long long)i);
	} else if (!strcmp(c->string, "doubleValue")) {
		fmt_double(b, cJSON_IsNumber(c) ? c->valuedouble :
			   cJSON_IsString(c) ? strtod(c->valuestring, NULL) : 0);
	} else if (!strcmp(c->string, "boolValue")) {
		csf_buf_addstr(b, cJSON_IsTrue(c) ? "true" : "false");
	} else if (!strcmp(c->string, "arrayValue")) {
		bool first = true;

		csf_buf_addch(b, '[');
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(c, "values")) {
			if (!first)
				csf_buf_addch(b, ',');
			first = false;
			anyvalue_json(b, x, depth + 1);
		}
		csf_buf_addch(b, ']');
	} else if (!strcmp(c->string, "kvlistValue")) {
		bool first = true;

		csf_buf_addch(b, '{');
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(c, "values")) {
			const cJSON *k = cJSON_GetObjectItemCaseSensitive(x, "key");

			if (!first)
				csf_buf_addch(b, ',');
			first = false;
			csf_buf_add_json_str(b, cJSON_IsString(k) ? k->valuestring : "");
			csf_buf_addch(b, ':');
			anyvalue_json(b, cJSON_GetObjectItemCaseSensitive(x, "value"), depth + 1);
		}
		csf_buf_addch(b, '}');
	} else {
		csf_buf_addstr(b, "null");
	}
}

/* Adds OTLP attributes [{key, value:{xValue:…}}]; returns the number added. The service.name
 * value is stored in *service when service is not NULL. */
static enum csf_status
otlp_attrs(struct walk *w, const cJSON *arr, const char *field, uint32_t *count,
	   const char **service)
{
	const cJSON *kv;
	int i = 0;

	*count = 0;
	if (!arr || cJSON_IsNull(arr))
		return CSF_E_OK;
	if (!cJSON_IsArray(arr))
		return shape_error(w, field, "expected an array, got %s", type_name(arr));
	cJSON_ArrayForEach(kv, arr) {
		const cJSON *k = NULL, *v = NULL, *c, *val;
		enum csf_attr_type type = CSF_ATTR_STR;
		const char *text = "";
		size_t tlen = 0;
		uint32_t idx;

		for (c = cJSON_IsObject(kv) ? kv->child : NULL; c; c = c->next) {
			if (!c->string)
				continue;
			if (!strcmp(c->string, "key"))
				k = c;
			else if (!strcmp(c->string, "value"))
				v = c;
		}
		if (!cJSON_IsString(k))
			return shape_error(w, field, "attribute %d: expected a string key, got %s",
					   i, type_name(k));
		val = cJSON_IsObject(v) ? v->child : NULL;
		csf_buf_reset(&w->tmp);
		if (!val || !val->string) {
			text = "";
		} else if (!strcmp(val->string, "stringValue")) {
			if (cJSON_IsString(val)) {
				text = val->valuestring;
				tlen = strlen(text);
			}
		} else if (!strcmp(val->string, "intValue")) {
			bool ok;
			int64_t n = get_i64(val, &ok);

			type = CSF_ATTR_INT;
			if (!ok)
				return shape_error(w, field, "attribute '%s': intValue is not an "
						   "integer", k->valuestring);
			csf_buf_addf(&w->tmp, "%lld", (long long)n);
		} else if (!strcmp(val->string, "doubleValue")) {
			type = CSF_ATTR_DOUBLE;
			if (cJSON_IsNumber(val))
				fmt_double(&w->tmp, val->valuedouble);
			else if (cJSON_IsString(val))	/* "NaN", "Infinity" in proto3 JSON */
				csf_buf_addstr(&w->tmp, val->valuestring);
		} else if (!strcmp(val->string, "boolValue")) {
			type = CSF_ATTR_BOOL;
			csf_buf_addstr(&w->tmp, cJSON_IsTrue(val) ||
				       (cJSON_IsString(val) && !strcmp(val->valuestring, "true")) ?
				       "true" : "false");
		} else if (!strcmp(val->string, "bytesValue")) {
			type = CSF_ATTR_BYTES;
			if (cJSON_IsString(val)) {
				text = val->valuestring;
				tlen = strlen(text);
			}
		} else if (!strcmp(val->string, "arrayValue") ||
			   !strcmp(val->string, "kvlistValue")) {
			type = val->string[0] == 'a' ? CSF_ATTR_ARRAY : CSF_ATTR_KVLIST;
			anyvalue_json(&w->tmp, v, 0);
		}
		if (w->tmp.len) {
			text = w->tmp.buf;
			tlen = w->tmp.len;
		}
		idx = csf_trace_add_attr(w->set, k->valuestring, strlen(k->valuestring), text, tlen,
					 type);
		if (service && !strcmp(k->valuestring, "service.name"))
			*service = w->set->attrs[idx].value;
		(*count)++;
		i++;
	}
	return CSF_E_OK;
}

static int
enum_text(const char *s, const char *prefix, const char *const *names, int n)
{
	size_t plen = strlen(prefix);
	int i;

	if (!strncasecmp(s, prefix, plen))
		s += plen;
	for (i = 0; i < n; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	return 0;
}

static int
enum_value(const cJSON *v, const char *prefix, const char *const *names, int n, bool *ok)
{
	*ok = true;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsNumber(v)) {
		if (v->valuedouble >= 0 && v->valuedouble < n && v->valuedouble == floor(v->valuedouble))
			return (int)v->valuedouble;
		return 0;	/* unknown enum values are treated as unspecified */
	}
	if (cJSON_IsString(v))
		return enum_text(v->valuestring, prefix, names, n);
	*ok = false;
	return 0;
}

static const char *const otlp_kinds[] = { "UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT",
					  "PRODUCER", "CONSUMER" };
static const char *const otlp_codes[] = { "UNSET", "OK", "ERROR" };

/* ==== OTLP =================================================================================== */

static enum csf_status
parse_id(struct walk *w, const cJSON *v, const char *field, uint8_t *out, size_t want,
	 bool required)
{
	if (!v || cJSON_IsNull(v) || (cJSON_IsString(v) && !v->valuestring[0])) {
		memset(out, 0, want);
		if (required)
			return shape_error(w, field, "missing id");
		return CSF_E_OK;
	}
	if (!cJSON_IsString(v))
		return shape_error(w, field, "expected an id string, got %s", type_name(v));
	if (!csf_trace_id_parse(v->valuestring, strlen(v->valuestring), out, want))
		return shape_error(w, field, "invalid id \"%.40s\" (expected %zu hex digits or "
				   "base64)", v->valuestring, want * 2);
	return CSF_E_OK;
}

static uint64_t
id64(const uint8_t b[8])
{
	uint64_t x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = x << 8 | b[i];
	return x;
}

static enum csf_status
otlp_events(struct walk *w, struct csf_span *s, const cJSON *arr)
{
	const cJSON *ev;
	int i = 0;

	if (!arr || cJSON_IsNull(arr))
		return CSF_E_OK;
	if (!cJSON_IsArray(arr))
		return shape_error(w, "events", "expected an array, got %s", type_name(arr));
	s->event = (uint32_t)w->set->nevents;
	cJSON_ArrayForEach(ev, arr) {
		struct csf_trace_event *e;
		const cJSON *c, *attrs = NULL;
		enum csf_status st;
		bool ok = true;
		uint32_t n;

		if (!cJSON_IsObject(ev))
			return shape_error(w, "events", "event %d: expected an object, got %s", i,
					   type_name(ev));
		CSF_GROW(w->set->events, w->set->events_alloc, w->set->nevents + 1);
		e = &w->set->events[w->set->nevents];
		memset(e, 0, sizeof(*e));
		e->name = "";
		for (c = ev->child; c; c = c->next) {
			if (!c->string)
				continue;
			if (!strcmp(c->string, "timeUnixNano"))
				e->time_ns = get_i64(c, &ok);
			else if (!strcmp(c->string, "name") && cJSON_IsString(c))
				e->name = csf_trace_str(w->set, c->valuestring,
							strlen(c->valuestring));
			else if (!strcmp(c->string, "attributes"))
				attrs = c;
			if (!ok)
				return shape_error(w, "events", "event %d: timeUnixNano is not an "
						   "integer", i);
		}
		e->attr = (uint32_t)w->set->nattrs;
		st = otlp_attrs(w, attrs, "events", &n, NULL);
		if (st)
			return st;
		w->set->events[w->set->nevents].nattr = n;
		w->set->nevents++;
		s->nevent++;
		i++;
	}
	return CSF_E_OK;
}

static enum csf_status
otlp_span(struct walk *w, const cJSON *js, uint32_t resource, const char *service)
{
	const cJSON *c, *tid = NULL, *sid = NULL, *pid = NULL, *attrs = NULL, *events = NULL;
	const cJSON *start = NULL, *end = NULL, *kind = NULL, *status = NULL, *name = NULL;
	uint8_t id[16], b8[8];
	struct csf_trace *t;
	struct csf_span *s;
	enum csf_status st;
	int64_t t0, t1;
	bool ok;
	uint32_t n;

	if (!cJSON_IsObject(js))
		return shape_error(w, NULL, "expected a span object, got %s", type_name(js));
	for (c = js->child; c; c = c->next) {
		const char *k = c->string;

		if (!k)
			continue;
		switch (k[0]) {
		case 't':
			if (!strcmp(k, "traceId"))
				tid = c;
			break;
		case 's':
			if (!strcmp(k, "spanId"))
				sid = c;
			else if (!strcmp(k, "startTimeUnixNano"))
				start = c;
			else if (!strcmp(k, "status"))
				status = c;
			break;
		case 'p':
			if (!strcmp(k, "parentSpanId"))
				pid = c;
			break;
		case 'n':
			if (!strcmp(k, "name"))
				name = c;
			break;
		case 'k':
			if (!strcmp(k, "kind"))
				kind = c;
			break;
		case 'e':
			if (!strcmp(k, "endTimeUnixNano"))
				end = c;
			else if (!strcmp(k, "events"))
				events = c;
			break;
		case 'a':
			if (!strcmp(k, "attributes"))
				attrs = c;
			break;
		default:
			break;
		}
	}
	if ((st = parse_id(w, tid, "traceId", id, 16, true)))
		return st;
	t = csf_trace_set_trace(w->set, id);
	s = csf_trace_add_span(w->set, t);
	if ((st = parse_id(w, sid, "spanId", b8, 8, true)))
		return st;
	s->id = id64(b8);
	if ((st = parse_id(w, pid, "parentSpanId", b8, 8, false)))
		return st;
	s->parent_id = id64(b8);
	if (name && !cJSON_IsNull(name)) {
		if (!cJSON_IsString(name))
			return shape_error(w, "name", "expected a string, got %s", type_name(name));
		s->name = csf_trace_str(w->set, name->valuestring, strlen(name->valuestring));
	}
	t0 = get_i64(start, &ok);
	if (!ok || t0 < 0)
		return shape_error(w, "startTimeUnixNano", "expected a non-negative integer "
				   "(number or decimal string)");
	t1 = get_i64(end, &ok);
	if (!ok || t1 < 0)
		return shape_error(w, "endTimeUnixNano", "expected a non-negative integer "
				   "(number or decimal string)");
	s->start_ns = t0;
	if (!t0 || !t1 || t1 < t0) {
		s->dur_ns = 0;
		if (!t0 || !t1)
			s->flags |= CSF_SPAN_F_NO_TIME;
	} else {
		s->dur_ns = t1 - t0;
	}
	s->kind = (uint8_t)enum_value(kind, "SPAN_KIND_", otlp_kinds, 6, &ok);
	if (!ok)
		return shape_error(w, "kind", "expected an integer or a SPAN_KIND_* name, got %s",
				   type_name(kind));
	if (status && !cJSON_IsNull(status)) {
		const cJSON *code = NULL, *msg = NULL;

		if (!cJSON_IsObject(status))
			return shape_error(w, "status", "expected an object, got %s",
					   type_name(status));
		for (c = status->child; c; c = c->next) {
			if (c->string && !strcmp(c->string, "code"))
				code = c;
			else if (c->string && !strcmp(c->string, "message"))
				msg = c;
		}
		s->status = (uint8_t)enum_value(code, "STATUS_CODE_", otlp_codes, 3, &ok);
		if (!ok)
			return shape_error(w, "status.code", "expected an integer or a "
					   "STATUS_CODE_* name, got %s", type_name(code));
		if (cJSON_IsString(msg))
			s->status_msg = csf_trace_str(w->set, msg->valuestring,
						      strlen(msg->valuestring));
	}
	s->resource = resource;
	s->service = service;
	if ((st = otlp_attrs(w, attrs, "attributes", &n, NULL)))
		return st;
	/* re-fetch: the span array does not move while attributes are added, but be exact */
	s = &t->spans[t->nspans - 1];
	s->nattr = n;
	return otlp_events(w, s, events);
}

static enum csf_status
otlp_resource_spans(struct walk *w, const cJSON *rs_arr, const char *top)
{
	const cJSON *rs;
	int ri = 0;

	if (!cJSON_IsArray(rs_arr))
		return shape_error(w, top, "expected an array, got %s", type_name(rs_arr));
	cJSON_ArrayForEach(rs, rs_arr) {
		const cJSON *res, *scopes, *sc;
		const char *service = "", *sname = "scopeSpans";
		uint32_t rix, n;
		enum csf_status st;
		int si = 0;

		walk_set(w, 0, top, ri);
		if (!cJSON_IsObject(rs))
			return shape_error(w, NULL, "expected an object, got %s", type_name(rs));
		res = cJSON_GetObjectItemCaseSensitive(rs, "resource");
		rix = csf_trace_add_resource(w->set, NULL, 0);
		if (res && !cJSON_IsNull(res)) {
			if (!cJSON_IsObject(res))
				return shape_error(w, "resource", "expected an object, got %s",
						   type_name(res));
			walk_set(w, 1, "resource", -1);
			st = otlp_attrs(w, cJSON_GetObjectItemCaseSensitive(res, "attributes"),
					"attributes", &n, &service);
			if (st)
				return st;
			w->set->resources[rix].nattr = n;
			w->set->resources[rix].service = service;
		}
		scopes = cJSON_GetObjectItemCaseSensitive(rs, "scopeSpans");
		if (!scopes) {
			sname = "instrumentationLibrarySpans";
			scopes = cJSON_GetObjectItemCaseSensitive(rs, sname);
		}
		walk_set(w, 0, top, ri);
		if (!scopes || cJSON_IsNull(scopes)) {
			ri++;
			continue;
		}
		if (!cJSON_IsArray(scopes))
			return shape_error(w, sname, "expected an array, got %s", type_name(scopes));
		cJSON_ArrayForEach(sc, scopes) {
			const cJSON *spans, *sp;
			int pi = 0;

			walk_set(w, 1, sname, si);
			if (!cJSON_IsObject(sc))
				return shape_error(w, NULL, "expected an object, got %s",
						   type_name(sc));
			spans = cJSON_GetObjectItemCaseSensitive(sc, "spans");
			if (!spans || cJSON_IsNull(spans)) {
				si++;
				continue;
			}
			if (!cJSON_IsArray(spans))
				return shape_error(w, "spans", "expected an array, got %s",
						   type_name(spans));
			cJSON_ArrayForEach(sp, spans) {
				walk_set(w, 2, "spans", pi);
				if ((st = otlp_span(w, sp, rix, service)))
					return st;
				pi++;
			}
			si++;
		}
		ri++;
	}
	return CSF_E_OK;
}

/* ==== Jaeger ================================================================================= */

struct jproc {
	const char *key;	/* processes member name (borrowed from the cJSON tree) */
	uint32_t resource;
	const char *service;
};

/* Text of a Jaeger tag value or Zipkin tag; sets *type. */
static const char *
tag_text(struct walk *w, const cJSON *v, const cJSON *typ, enum csf_attr_type *type, size_t *len)
{
	csf_buf_reset(&w->tmp);
	*type = CSF_ATTR_STR;
	if (cJSON_IsString(typ)) {
		if (!strcmp(typ->valuestring, "bool"))
			*type = CSF_ATTR_BOOL;
		else if (!strcmp(typ->valuestring, "int64"))
			*type = CSF_ATTR_INT;
		else if (!strcmp(typ->valuestring, "float64"))
			*type = CSF_ATTR_DOUBLE;
		else if (!strcmp(typ->valuestring, "binary"))
			*type = CSF_ATTR_BYTES;
	}
	if (cJSON_IsString(v)) {
		*len = strlen(v->valuestring);
		return v->valuestring;
	}
	if (cJSON_IsBool(v)) {
		*type = CSF_ATTR_BOOL;
		csf_buf_addstr(&w->tmp, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNumber(v)) {
		if (*type == CSF_ATTR_STR)
			*type = v->valuedouble == floor(v->valuedouble) ? CSF_ATTR_INT :
				CSF_ATTR_DOUBLE;
		fmt_double(&w->tmp, v->valuedouble);
	} else if (v && !cJSON_IsNull(v)) {
		char *j = cJSON_PrintUnformatted(v);

		if (j) {
			csf_buf_addstr(&w->tmp, j);
			cJSON_free(j);
		}
	}
	*len = w->tmp.len;
	return w->tmp.buf;
}

/* Applies the conventional tags that carry kind and status in Jaeger and Zipkin data. */
static void
apply_tag(struct walk *w, struct csf_span *s, const char *key, const char *val, size_t vlen,
	  bool zipkin)
{
	if (!strcmp(key, "span.kind")) {
		s->kind = (uint8_t)enum_text(val, "SPAN_KIND_", otlp_kinds, 6);
	} else if (!strcmp(key, "error")) {
		if (zipkin || !strcmp(val, "true")) {
			s->status = CSF_SPAN_ERROR;
			if (zipkin && vlen && strcmp(val, "true") && !s->status_msg[0])
				s->status_msg = csf_trace_str(w->set, val, vlen);
		}
	} else if (!strcmp(key, "otel.status_code")) {
		if (!strcasecmp(val, "ERROR"))
			s->status = CSF_SPAN_ERROR;
		else if (!strcasecmp(val, "OK") && s->status != CSF_SPAN_ERROR)
			s->status = CSF_SPAN_OK;
	} else if (!strcmp(key, "otel.status_description") || !strcmp(key, "error.message")) {
		s->status_msg = csf_trace_str(w->set, val, vlen);
	}
}

static enum csf_status
jaeger_tags(struct walk *w, const cJSON *arr, const char *field, struct csf_span *s,
	    uint32_t *count)
{
	const cJSON *kv;
	int i = 0;

	*count = 0;
	if (!arr || cJSON_IsNull(arr))
		return CSF_E_OK;
	if (!cJSON_IsArray(arr))
		return shape_error(w, field, "expected an array, got %s", type_name(arr));
	cJSON_ArrayForEach(kv, arr) {
		const cJSON *k = NULL, *v = NULL, *typ = NULL, *c;
		enum csf_attr_type type;
		const char *text;
		size_t len;
		uint32_t idx;

		for (c = cJSON_IsObject(kv) ? kv->child : NULL; c; c = c->next) {
			if (!c->string)
				continue;
			if (!strcmp(c->string, "key"))
				k = c;
			else if (!strcmp(c->string, "value"))
				v = c;
			else if (!strcmp(c->string, "type"))
				typ = c;
		}
		if (!cJSON_IsString(k))
			return shape_error(w, field, "tag %d: expected a string key, got %s", i,
					   type_name(k));
		text = tag_text(w, v, typ, &type, &len);
		idx = csf_trace_add_attr(w->set, k->valuestring, strlen(k->valuestring), text, len,
					 type);
		if (s)
			apply_tag(w, s, w->set->attrs[idx].key, w->set->attrs[idx].value, len,
				  false);
		(*count)++;
		i++;
	}
	return CSF_E_OK;
}

static enum csf_status
jaeger_span(struct walk *w, const cJSON *js, const struct jproc *procs, size_t nprocs,
	    const cJSON *trace_tid)
{
	const cJSON *c, *tid = NULL, *sid = NULL, *refs = NULL, *tags = NULL, *logs = NULL;
	const cJSON *start = NULL, *dur = NULL, *op = NULL, *pid = NULL, *proc = NULL;
	uint8_t id[16], b8[8];
	struct csf_trace *t;
	struct csf_span *s;
	enum csf_status st;
	int64_t v;
	bool ok;
	uint32_t n;
	size_t i;

	if (!cJSON_IsObject(js))
		return shape_error(w, NULL, "expected a span object, got %s", type_name(js));
	for (c = js->child; c; c = c->next) {
		const char *k = c->string;

		if (!k)
			continue;
		if (!strcmp(k, "traceID"))
			tid = c;
		else if (!strcmp(k, "spanID"))
			sid = c;
		else if (!strcmp(k, "operationName"))
			op = c;
		else if (!strcmp(k, "references"))
			refs = c;
		else if (!strcmp(k, "startTime"))
			start = c;
		else if (!strcmp(k, "duration"))
			dur = c;
		else if (!strcmp(k, "tags"))
			tags = c;
		else if (!strcmp(k, "logs"))
			logs = c;
		else if (!strcmp(k, "processID"))
			pid = c;
		else if (!strcmp(k, "process"))
			proc = c;
	}
	if (!tid)
		tid = trace_tid;
	if ((st = parse_id(w, tid, "traceID", id, 16, true)))
		return st;
	t = csf_trace_set_trace(w->set, id);
	s = csf_trace_add_span(w->set, t);
	if ((st = parse_id(w, sid, "spanID", b8, 8, true)))
		return st;
	s->id = id64(b8);
	if (refs && !cJSON_IsNull(refs)) {
		const cJSON *r, *parent = NULL;

		if (!cJSON_IsArray(refs))
			return shape_error(w, "references", "expected an array, got %s",
					   type_name(refs));
		/* the first reference is the parent; a CHILD_OF one wins over FOLLOWS_FROM */
		cJSON_ArrayForEach(r, refs) {
			const cJSON *rt = cJSON_GetObjectItemCaseSensitive(r, "refType");

			if (!parent)
				parent = r;
			if (cJSON_IsString(rt) && !strcmp(rt->valuestring, "CHILD_OF")) {
				parent = r;
				break;
			}
		}
		if (parent) {
			if ((st = parse_id(w, cJSON_GetObjectItemCaseSensitive(parent, "spanID"),
					   "references.spanID", b8, 8, false)))
				return st;
			s->parent_id = id64(b8);
		}
	}
	if (op && !cJSON_IsNull(op)) {
		if (!cJSON_IsString(op))
			return shape_error(w, "operationName", "expected a string, got %s",
					   type_name(op));
		s->name = csf_trace_str(w->set, op->valuestring, strlen(op->valuestring));
	}
	v = get_i64(start, &ok);
	if (ok)
		v = us_to_ns(v, &ok);
	if (!ok || v < 0)
		return shape_error(w, "startTime", "expected a non-negative integer "
				   "(microseconds)");
	s->start_ns = v;
	v = get_i64(dur, &ok);
	if (ok)
		v = us_to_ns(v, &ok);
	if (!ok || v < 0)
		return shape_error(w, "duration", "expected a non-negative integer (microseconds)");
	s->dur_ns = v;
	if (!start || !s->start_ns || !dur)
		s->flags |= CSF_SPAN_F_NO_TIME;
	s->service = "";
	if (cJSON_IsString(pid)) {
		for (i = 0; i < nprocs; i++)
			if (!strcmp(procs[i].key, pid->valuestring)) {
				s->resource = procs[i].resource;
				s->service = procs[i].service;
				break;
			}
	} else if (cJSON_IsObject(proc)) {
		const cJSON *sn = cJSON_GetObjectItemCaseSensitive(proc, "serviceName");
		const char *svc = cJSON_IsString(sn) ? sn->valuestring : "";
		uint32_t rix = csf_trace_add_resource(w->set, svc, strlen(svc));

		if ((st = jaeger_tags(w, cJSON_GetObjectItemCaseSensitive(proc, "tags"),
				      "process.tags", NULL, &n)))
			return st;
		w->set->resources[rix].nattr = n;
		s = &t->spans[t->nspans - 1];
		s->attr = (uint32_t)w->set->nattrs;
		s->resource = rix;
		s->service = w->set->resources[rix].service;
	}
	if ((st = jaeger_tags(w, tags, "tags", s, &n)))
		return st;
	s->nattr = n;
	if (logs && !cJSON_IsNull(logs)) {
		const cJSON *lg;
		int li = 0;

		if (!cJSON_IsArray(logs))
			return shape_error(w, "logs", "expected an array, got %s", type_name(logs));
		s->event = (uint32_t)w->set->nevents;
		cJSON_ArrayForEach(lg, logs) {
			struct csf_trace_event *e;
			const cJSON *fields;
			uint32_t first = (uint32_t)w->set->nattrs;

			if (!cJSON_IsObject(lg))
				return shape_error(w, "logs", "log %d: expected an object, got %s",
						   li, type_name(lg));
			v = get_i64(cJSON_GetObjectItemCaseSensitive(lg, "timestamp"), &ok);
			if (ok)
				v = us_to_ns(v, &ok);
			if (!ok)
				return shape_error(w, "logs", "log %d: timestamp is not an integer "
						   "(microseconds)", li);
			fields = cJSON_GetObjectItemCaseSensitive(lg, "fields");
			if ((st = jaeger_tags(w, fields, "logs.fields", NULL, &n)))
				return st;
			CSF_GROW(w->set->events, w->set->events_alloc, w->set->nevents + 1);
			e = &w->set->events[w->set->nevents++];
			e->time_ns = v;
			e->attr = first;
			e->nattr = n;
			e->name = "";
			for (i = 0; i < n; i++) {
				const struct csf_trace_attr *a = &w->set->attrs[first + i];

				if (!strcmp(a->key, "event") || (!e->name[0] &&
				    (!strcmp(a->key, "message") || !strcmp(a->key, "log"))))
					e->name = a->value;
			}
			s->nevent++;
			li++;
		}
	}
	return CSF_E_OK;
}

static enum csf_status
parse_jaeger(struct walk *w, const cJSON *root)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
	const cJSON *errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
	const cJSON *tr;
	struct jproc *procs = NULL;
	size_t procs_alloc = 0;
	int ti = 0;
	enum csf_status st = CSF_E_OK;

	if (cJSON_IsArray(errors) && cJSON_GetArraySize(errors) > 0) {
		const cJSON *e0 = cJSON_GetArrayItem(errors, 0);
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(e0, "code");
		const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e0, "msg");
		struct csf_loc nowhere = { 0, 0 };

		return csf_fail(w->err, cJSON_IsNumber(code) && code->valuedouble == 404 ?
				CSF_E_NOTFOUND : CSF_E_HTTP, w->name, nowhere, "jaeger: %.200s (%d)",
				cJSON_IsString(msg) ? msg->valuestring : "error",
				cJSON_IsNumber(code) ? (int)code->valuedouble : 0);
	}
	if (!data || cJSON_IsNull(data))
		return CSF_E_OK;
	if (!cJSON_IsArray(data))
		return shape_error(w, "data", "expected an array of traces, got %s",
				   type_name(data));
	cJSON_ArrayForEach(tr, data) {
		const cJSON *spans, *sp, *processes, *p;
		size_t nprocs = 0;
		int si = 0;

		walk_set(w, 0, "data", ti);
		if (!cJSON_IsObject(tr)) {
			st = shape_error(w, NULL, "expected a trace object, got %s", type_name(tr));
			break;
		}
		processes = cJSON_GetObjectItemCaseSensitive(tr, "processes");
		if (processes && !cJSON_IsNull(processes) && !cJSON_IsObject(processes)) {
			st = shape_error(w, "processes", "expected an object, got %s",
					 type_name(processes));
			break;
		}
		cJSON_ArrayForEach(p, processes) {
			const cJSON *sn = cJSON_GetObjectItemCaseSensitive(p, "serviceName");
			const char *svc = cJSON_IsString(sn) ? sn->valuestring : "";
			uint32_t n;

			walk_set(w, 1, "processes", -1);
			CSF_GROW(procs, procs_alloc, nprocs + 1);
			procs[nprocs].key = p->string ? p->string : "";
			procs[nprocs].resource = csf_trace_add_resource(w->set, svc, strlen(svc));
			if ((st = jaeger_tags(w, cJSON_GetObjectItemCaseSensitive(p, "tags"),
					      p->string ? p->string : "tags", NULL, &n)))
				break;
			w->set->resources[procs[nprocs].resource].nattr = n;
			procs[nprocs].service = w->set->resources[procs[nprocs].resource].service;
			nprocs++;
		}
		if (st)
			break;
		spans = cJSON_GetObjectItemCaseSensitive(tr, "spans");
		walk_set(w, 0, "data", ti);
		if (spans && !cJSON_IsNull(spans) && !cJSON_IsArray(spans)) {
			st = shape_error(w, "spans", "expected an array, got %s", type_name(spans));
			break;
		}
		cJSON_ArrayForEach(sp, spans) {
			walk_set(w, 1, "spans", si);
			if ((st = jaeger_span(w, sp, procs, nprocs,
					      cJSON_GetObjectItemCaseSensitive(tr, "traceID"))))
				break;
			si++;
		}
		if (st)
			break;
		ti++;
	}
	free(procs);
	return st;
}

/* ==== Zipkin ================================================================================= */

static uint32_t
zipkin_resource(struct walk *w, const char *svc, uint32_t first_res)
{
	uint32_t i;

	for (i = first_res; i < w->set->nresources; i++)
		if (!strcmp(w->set->resources[i].service, svc))
			return i;
	return csf_trace_add_resource(w->set, svc, strlen(svc));
}

static enum csf_status
zipkin_span(struct walk *w, const cJSON *js, uint32_t first_res)
{
	const cJSON *c, *tid = NULL, *sid = NULL, *pid = NULL, *tags = NULL, *ann = NULL;
	const cJSON *ts = NULL, *dur = NULL, *name = NULL, *kind = NULL, *local = NULL;
	const cJSON *remote = NULL;
	uint8_t id[16], b8[8];
	struct csf_trace *t;
	struct csf_span *s;
	enum csf_status st;
	int64_t v;
	bool ok;

	if (!cJSON_IsObject(js))
		return shape_error(w, NULL, "expected a span object, got %s", type_name(js));
	for (c = js->child; c; c = c->next) {
		const char *k = c->string;

		if (!k)
			continue;
		if (!strcmp(k, "traceId"))
			tid = c;
		else if (!strcmp(k, "id"))
			sid = c;
		else if (!strcmp(k, "parentId"))
			pid = c;
		else if (!strcmp(k, "name"))
			name = c;
		else if (!strcmp(k, "kind"))
			kind = c;
		else if (!strcmp(k, "timestamp"))
			ts = c;
		else if (!strcmp(k, "duration"))
			dur = c;
		else if (!strcmp(k, "localEndpoint"))
			local = c;
		else if (!strcmp(k, "remoteEndpoint"))
			remote = c;
		else if (!strcmp(k, "tags"))
			tags = c;
		else if (!strcmp(k, "annotations"))
			ann = c;
	}
	if ((st = parse_id(w, tid, "traceId", id, 16, true)))
		return st;
	t = csf_trace_set_trace(w->set, id);
	s = csf_trace_add_span(w->set, t);
	if ((st = parse_id(w, sid, "id", b8, 8, true)))
		return st;
	s->id = id64(b8);
	if ((st = parse_id(w, pid, "parentId", b8, 8, false)))
		return st;
	s->parent_id = id64(b8);
	if (name && !cJSON_IsNull(name)) {
		if (!cJSON_IsString(name))
			return shape_error(w, "name", "expected a string, got %s", type_name(name));
		s->name = csf_trace_str(w->set, name->valuestring, strlen(name->valuestring));
	}
	s->kind = CSF_SPAN_KIND_INTERNAL;	/* no kind: a local span */
	if (kind && !cJSON_IsNull(kind)) {
		int k = enum_value(kind, "SPAN_KIND_", otlp_kinds, 6, &ok);

		if (!ok)
			return shape_error(w, "kind", "expected a string, got %s", type_name(kind));
		if (k)
			s->kind = (uint8_t)k;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(js, "shared")))
		s->flags |= CSF_SPAN_F_SHARED;
	v = get_i64(ts, &ok);
	if (ok)
		v = us_to_ns(v, &ok);
	if (!ok || v < 0)
		return shape_error(w, "timestamp", "expected a non-negative integer "
				   "(microseconds)");
	s->start_ns = v;
	v = get_i64(dur, &ok);
	if (ok)
		v = us_to_ns(v, &ok);
	if (!ok || v < 0)
		return shape_error(w, "duration", "expected a non-negative integer (microseconds)");
	s->dur_ns = v;
	if (!ts || !dur)
		s->flags |= CSF_SPAN_F_NO_TIME;
	if (local && !cJSON_IsNull(local)) {
		const cJSON *sn;

		if (!cJSON_IsObject(local))
			return shape_error(w, "localEndpoint", "expected an object, got %s",
					   type_name(local));
		sn = cJSON_GetObjectItemCaseSensitive(local, "serviceName");
		if (cJSON_IsString(sn)) {
			s->resource = zipkin_resource(w, sn->valuestring, first_res);
			s->service = w->set->resources[s->resource].service;
			s = &t->spans[t->nspans - 1];
		}
	}
	s->attr = (uint32_t)w->set->nattrs;
	if (tags && !cJSON_IsNull(tags)) {
		if (!cJSON_IsObject(tags))
			return shape_error(w, "tags", "expected an object, got %s", type_name(tags));
		for (c = tags->child; c; c = c->next) {
			enum csf_attr_type type;
			size_t len;
			const char *text = tag_text(w, c, NULL, &type, &len);
			uint32_t idx = csf_trace_add_attr(w->set, c->string ? c->string : "",
							  c->string ? strlen(c->string) : 0,
							  text, len, CSF_ATTR_STR);

			apply_tag(w, s, w->set->attrs[idx].key, w->set->attrs[idx].value, len, true);
			s->nattr++;
		}
	}
	if (cJSON_IsObject(remote)) {
		const cJSON *sn = cJSON_GetObjectItemCaseSensitive(remote, "serviceName");

		if (cJSON_IsString(sn)) {
			csf_trace_add_attr(w->set, "peer.service", 12, sn->valuestring,
					   strlen(sn->valuestring), CSF_ATTR_STR);
			s->nattr++;
		}
	}
	if (ann && !cJSON_IsNull(ann)) {
		const cJSON *a;
		int ai = 0;

		if (!cJSON_IsArray(ann))
			return shape_error(w, "annotations", "expected an array, got %s",
					   type_name(ann));
		s->event = (uint32_t)w->set->nevents;
		cJSON_ArrayForEach(a, ann) {
			struct csf_trace_event *e;
			const cJSON *val = cJSON_GetObjectItemCaseSensitive(a, "value");

			v = get_i64(cJSON_GetObjectItemCaseSensitive(a, "timestamp"), &ok);
			if (ok)
				v = us_to_ns(v, &ok);
			if (!ok)
				return shape_error(w, "annotations", "annotation %d: timestamp is not "
						   "an integer (microseconds)", ai);
			CSF_GROW(w->set->events, w->set->events_alloc, w->set->nevents + 1);
			e = &w->set->events[w->set->nevents++];
			e->time_ns = v;
			e->name = cJSON_IsString(val) ?
				csf_trace_str(w->set, val->valuestring, strlen(val->valuestring)) : "";
			e->attr = (uint32_t)w->set->nattrs;
			e->nattr = 0;
			s->nevent++;
			ai++;
		}
	}
	return CSF_E_OK;
}

static enum csf_status
parse_zipkin(struct walk *w, const cJSON *root)
{
	const cJSON *x, *sp;
	uint32_t first_res = (uint32_t)w->set->nresources;
	enum csf_status st;
	int i = 0, j;

	cJSON_ArrayForEach(x, root) {
		if (cJSON_IsArray(x)) {
			j = 0;
			cJSON_ArrayForEach(sp, x) {
				walk_set(w, 0, "", i);
				walk_set(w, 1, "", j);
				w->lvl[1].key = "";
				if ((st = zipkin_span(w, sp, first_res)))
					return st;
				j++;
			}
		} else {
			walk_set(w, 0, "", i);
			if ((st = zipkin_span(w, x, first_res)))
				return st;
		}
		i++;
	}
	return CSF_E_OK;
}

/* ==== Tempo search =========================================================================== */

static enum csf_status
parse_tempo_search(struct walk *w, const cJSON *root)
{
	const cJSON *traces = cJSON_GetObjectItemCaseSensitive(root, "traces"), *tr;
	int i = 0;

	if (cJSON_IsNull(traces))
		return CSF_E_OK;
	if (!cJSON_IsArray(traces))
		return shape_error(w, "traces", "expected an array, got %s", type_name(traces));
	cJSON_ArrayForEach(tr, traces) {
		struct csf_trace_summary *sm;
		const cJSON *v;
		enum csf_status st;
		bool ok;
		int64_t ms;

		walk_set(w, 0, "traces", i);
		if (!cJSON_IsObject(tr))
			return shape_error(w, NULL, "expected an object, got %s", type_name(tr));
		CSF_GROW(w->set->summaries, w->set->summaries_alloc, w->set->nsummaries + 1);
		sm = &w->set->summaries[w->set->nsummaries];
		memset(sm, 0, sizeof(*sm));
		if ((st = parse_id(w, cJSON_GetObjectItemCaseSensitive(tr, "traceID"), "traceID",
				   sm->id, 16, true)))
			return st;
		v = cJSON_GetObjectItemCaseSensitive(tr, "rootServiceName");
		sm->root_service = cJSON_IsString(v) ?
			csf_trace_str(w->set, v->valuestring, strlen(v->valuestring)) : "";
		v = cJSON_GetObjectItemCaseSensitive(tr, "rootTraceName");
		sm->root_name = cJSON_IsString(v) ?
			csf_trace_str(w->set, v->valuestring, strlen(v->valuestring)) : "";
		sm->start_ns = get_i64(cJSON_GetObjectItemCaseSensitive(tr, "startTimeUnixNano"), &ok);
		if (!ok || sm->start_ns < 0)
			return shape_error(w, "startTimeUnixNano", "expected a non-negative integer");
		ms = get_i64(cJSON_GetObjectItemCaseSensitive(tr, "durationMs"), &ok);
		if (!ok || ms < 0 || ms > INT64_MAX / 1000000)
			return shape_error(w, "durationMs", "expected a non-negative integer");
		sm->dur_ns = ms * 1000000;
		w->set->nsummaries++;
		i++;
	}
	return CSF_E_OK;
}

/* ==== documents ============================================================================== */

static enum csf_trace_format
detect(const cJSON *root, const cJSON **otlp, const char **top)
{
	const cJSON *x;

	*otlp = NULL;
	if (cJSON_IsArray(root))
		return CSF_TRACE_ZIPKIN;
	if (!cJSON_IsObject(root))
		return CSF_TRACE_AUTO;
	if ((x = cJSON_GetObjectItemCaseSensitive(root, "resourceSpans"))) {
		*otlp = x;
		*top = "resourceSpans";
		return CSF_TRACE_OTLP;
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(root, "batches"))) {
		*otlp = x;
		*top = "batches";
		return CSF_TRACE_OTLP;
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(root, "trace")) && cJSON_IsObject(x) &&
	    (x = cJSON_GetObjectItemCaseSensitive(x, "resourceSpans"))) {
		*otlp = x;
		*top = "trace.resourceSpans";
		return CSF_TRACE_OTLP;
	}
	if ((x = cJSON_GetObjectItemCaseSensitive(root, "result")) && cJSON_IsObject(x) &&
	    (x = cJSON_GetObjectItemCaseSensitive(x, "resourceSpans"))) {
		*otlp = x;
		*top = "result.resourceSpans";
		return CSF_TRACE_OTLP;
	}
	if (cJSON_GetObjectItemCaseSensitive(root, "data") ||
	    cJSON_GetObjectItemCaseSensitive(root, "errors"))
		return CSF_TRACE_JAEGER;
	if (cJSON_GetObjectItemCaseSensitive(root, "traces"))
		return CSF_TRACE_TEMPO_SEARCH;
	return CSF_TRACE_AUTO;
}

static const char *const format_names[] = { "auto", "otlp", "jaeger", "zipkin", "tempo-search" };

const char *
csf_trace_format_name(enum csf_trace_format f)
{
	return (unsigned)f < 5 ? format_names[f] : "auto";
}

struct csf_loc
csf_text_loc(const char *data, size_t len, size_t off)
{
	struct csf_loc loc = { 1, 1 };
	size_t i;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c == '\n') {
			loc.line++;
			loc.col = 1;
		} else if ((c & 0xC0) != 0x80) {
			loc.col++;
		}
	}
	return loc;
}

static bool
only_space(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return false;
	return true;
}

static enum csf_status
parse_doc(struct walk *w, const cJSON *root, enum csf_trace_format want,
	  enum csf_trace_format *found)
{
	const cJSON *otlp;
	const char *top = "resourceSpans";
	enum csf_trace_format f = detect(root, &otlp, &top);

	w->depth = 0;
	if (f == CSF_TRACE_AUTO || (want != CSF_TRACE_AUTO && f != want))
		return shape_error(w, NULL, "%s: expected %s", f == CSF_TRACE_AUTO ?
				   "not a trace document" : "wrong trace format",
				   want == CSF_TRACE_AUTO ?
				   "OTLP/JSON (resourceSpans), Jaeger ({\"data\":[…]}), a Zipkin "
				   "span array or a Tempo response" : csf_trace_format_name(want));
	*found = f;
	switch (f) {
	case CSF_TRACE_OTLP:
		if (cJSON_IsNull(otlp))
			return CSF_E_OK;
		return otlp_resource_spans(w, otlp, top);
	case CSF_TRACE_JAEGER:
		return parse_jaeger(w, root);
	case CSF_TRACE_ZIPKIN:
		return parse_zipkin(w, root);
	case CSF_TRACE_TEMPO_SEARCH:
		return parse_tempo_search(w, root);
	case CSF_TRACE_AUTO:
		break;
	}
	return CSF_E_PARSE;
}

enum csf_status
csf_trace_parse(struct csf_trace_set *set, const char *name, const char *data, size_t len,
		enum csf_trace_format fmt, enum csf_trace_format *found, struct csf_error *err)
{
	struct walk w;
	const char *p = data, *end = data + len;
	enum csf_trace_format f = CSF_TRACE_AUTO;
	enum csf_status st = CSF_E_OK;
	int ndoc = 0;

	memset(&w, 0, sizeof(w));
	w.set = set;
	w.name = name ? name : "<input>";
	w.err = err;
	w.tmp = (struct csf_buf)CSF_BUF_INIT;
	if (found)
		*found = CSF_TRACE_AUTO;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		p += 3;
	if (only_space(p, end))
		return csf_fail(err, CSF_E_PARSE, w.name, csf_text_loc(data, len, len),
				"empty input: expected a JSON trace document");
	{
		/* cJSON skips NUL bytes as white space: refuse binary input here */
		const char *nul = memchr(p, '\0', (size_t)(end - p));

		if (nul)
			return csf_fail(err, CSF_E_PARSE, w.name,
					csf_text_loc(data, len, (size_t)(nul - data)),
					"binary data (NUL byte) is not JSON");
	}
	while (p < end && !only_space(p, end)) {
		const char *stop = NULL;
		cJSON *root = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &stop, 0);

		if (!root) {
			size_t off = stop ? (size_t)(stop - data) : (size_t)(p - data);
			bool at_end = off + 1 >= len || only_space(data + off + 1, end);

			if (at_end)	/* point just past the last byte, like a compiler */
				st = csf_fail(err, CSF_E_PARSE, w.name, csf_text_loc(data, len, len),
					      "unexpected end of input (truncated JSON?)");
			else
				st = csf_fail(err, CSF_E_PARSE, w.name, csf_text_loc(data, len, off),
					      "malformed JSON");
			break;
		}
		/* JSON Lines: error paths name the document */
		w.doc = ndoc > 0 || (stop && !only_space(stop, end)) ? ndoc + 1 : 0;
		st = parse_doc(&w, root, fmt, &f);
		cJSON_Delete(root);
		if (st)
			break;
		if (found && *found == CSF_TRACE_AUTO)
			*found = f;
		ndoc++;
		p = stop ? stop : end;
	}
	csf_buf_release(&w.tmp);
	return st;
}

enum csf_status
csf_trace_parse_file(struct csf_trace_set *set, const char *path, enum csf_trace_format fmt,
		     enum csf_trace_format *found, struct csf_error *err)
{
	struct csf_buf b = CSF_BUF_INIT;
	struct csf_loc nowhere = { 0, 0 };
	enum csf_status st;

	if (csf_buf_read_file(&b, path, CSF_TRACE_MAX_BYTES) < 0) {
		int e = errno;

		csf_buf_release(&b);
		if (e == EFBIG)
			return csf_fail(err, CSF_E_LIMIT, path, nowhere,
					"file is larger than %zu MiB", CSF_TRACE_MAX_BYTES >> 20);
		return csf_fail(err, CSF_E_IO, path, nowhere, "cannot read: %s", strerror(e));
	}
	st = csf_trace_parse(set, path, b.buf, b.len, fmt, found, err);
	csf_buf_release(&b);
	return st;
}
