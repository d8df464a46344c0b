#include "core/trace_parse.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/json_pull.h"

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
	const char *data;	/* the whole input, for positions */
	size_t len;
	struct csf_loc loc;	/* position of a shape error, when known */
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

	if (w->doc)
		n += (size_t)snprintf(path, sizeof(path), "document %d: ", w->doc);
	for (i = 0; i < w->depth && n < sizeof(path); i++) {
		if (w->lvl[i].idx >= 0)
			n += (size_t)snprintf(path + n, sizeof(path) - n, "%s%s[%d]",
					      i && w->lvl[i].key[0] ? "." : "", w->lvl[i].key,
					      w->lvl[i].idx);
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
	return csf_fail(w->err, CSF_E_PARSE, w->name, w->loc, "%s%s%s", path,
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

static const char *const otlp_kinds[] = { "UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT",
					  "PRODUCER", "CONSUMER" };
static const char *const otlp_codes[] = { "UNSET", "OK", "ERROR" };

/* ==== enums and ids (cJSON) ================================================================== */

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

/* ==== OTLP/JSON on the pull tokenizer ======================================================== */

/* Big OTLP files are the ones that must open fast (DESIGN §11), so OTLP is read with
 * core/json_pull: no tree, exact 64-bit integers, and a line:column for every error. */

struct pull {
	struct walk *w;
	struct csf_json_pull jp;
};

static enum csf_status
pull_shape(struct pull *pl, size_t pos, const char *field, const char *fmt, ...) CSF_PRINTF(4, 5);

static enum csf_status
pull_shape(struct pull *pl, size_t pos, const char *field, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	pl->w->loc = csf_text_loc(pl->w->data, pl->w->len, pos);
	return shape_error(pl->w, field, "%s", what);
}

/* A syntax error from the tokenizer, as a csf_error. */
static enum csf_status
pull_syntax(struct pull *pl)
{
	return csf_fail(pl->w->err, CSF_E_PARSE, pl->w->name,
			csf_text_loc(pl->w->data, pl->w->len, pl->jp.err_pos), "%s%s",
			pl->jp.eof ? "" : "malformed JSON: ", pl->jp.err);
}

static enum csf_status
pull_done(struct pull *pl, enum csf_status st)
{
	if (pl->jp.failed)
		return pull_syntax(pl);
	return st;
}

static const char *
pull_kind_name(int c)
{
	switch (c) {
	case '{': return "an object";
	case '[': return "an array";
	case '"': return "a string";
	case '0': return "a number";
	case 't': case 'f': return "a boolean";
	case 'n': return "null";
	default: return "nothing";
	}
}

static bool
key_is(const char *k, size_t kl, const char *want)
{
	size_t n = strlen(want);

	return kl == n && !memcmp(k, want, n);
}

/* An int64 from a decimal string or a number; null and "" are 0. */
static bool
pull_i64(struct pull *pl, int64_t *out)
{
	const char *t;
	size_t n;
	int c = csf_jp_peek(&pl->jp), lit;

	*out = 0;
	if (c == '"') {
		if (!csf_jp_string(&pl->jp, &t, &n))
			return false;
		return n == 0 || csf_jp_to_i64(t, n, out);
	}
	if (c == '0')
		return csf_jp_number(&pl->jp, &t, &n) && csf_jp_to_i64(t, n, out);
	if (c == 'n')
		return csf_jp_literal(&pl->jp, &lit);
	return false;
}

/* An id string (hex or base64); null and "" give zeros. Returns false with an error set. */
static enum csf_status
pull_id(struct pull *pl, const char *field, uint8_t *out, size_t want, bool *present)
{
	size_t pos = pl->jp.pos, n;
	const char *s;
	int c = csf_jp_peek(&pl->jp), lit;

	memset(out, 0, want);
	*present = false;
	if (c == 'n')
		return csf_jp_literal(&pl->jp, &lit) ? CSF_E_OK : pull_syntax(pl);
	if (c != '"')
		return pull_done(pl, pull_shape(pl, pos, field, "expected an id string, got %s",
						pull_kind_name(c)));
	if (!csf_jp_string(&pl->jp, &s, &n))
		return pull_syntax(pl);
	if (!n)
		return CSF_E_OK;
	if (!csf_trace_id_parse(s, n, out, want))
		return pull_shape(pl, pos, field, "invalid id \"%.*s\" (expected %zu hex digits or "
				  "base64)", (int)(n < 40 ? n : 40), s, want * 2);
	*present = true;
	return CSF_E_OK;
}

static int
pull_enum(struct pull *pl, const char *prefix, const char *const *names, int n, bool *ok)
{
	const char *t;
	size_t len;
	int c = csf_jp_peek(&pl->jp), lit;
	int64_t v;

	*ok = true;
	if (c == '0') {
		if (!csf_jp_number(&pl->jp, &t, &len))
			return 0;
		if (!csf_jp_to_i64(t, len, &v) || v < 0 || v >= n)
			return 0;	/* unknown enum values are "unspecified" */
		return (int)v;
	}
	if (c == '"') {
		char tmp[40];

		if (!csf_jp_string(&pl->jp, &t, &len))
			return 0;
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(len < 39 ? len : 39), t);
		return enum_text(tmp, prefix, names, n);
	}
	if (c == 'n')
		return csf_jp_literal(&pl->jp, &lit) ? 0 : 0;
	*ok = false;
	return 0;
}

static void pull_anyvalue(struct pull *pl, struct csf_buf *out, enum csf_attr_type *type,
			  int depth, bool as_json);

/* Appends a string value, JSON-quoted or raw. */
static void
put_text(struct csf_buf *out, const char *s, size_t n, bool as_json)
{
	struct csf_buf tmp = CSF_BUF_INIT;

	if (!as_json) {
		csf_buf_add(out, s, n);
		return;
	}
	csf_buf_add(&tmp, s, n);
	csf_buf_add_json_str(out, tmp.buf);
	csf_buf_release(&tmp);
}

/* The {values:[…]} of an arrayValue or kvlistValue, as compact JSON. */
static void
pull_values(struct pull *pl, struct csf_buf *out, bool kv, int depth)
{
	struct csf_json_pull *jp = &pl->jp;
	enum csf_attr_type ignored;
	const char *k;
	size_t kl, i = 0;

	csf_buf_addch(out, kv ? '{' : '[');
	if (csf_jp_peek(jp) != '{') {
		csf_jp_skip(jp);
		csf_buf_addch(out, kv ? '}' : ']');
		return;
	}
	csf_jp_object(jp);
	while (csf_jp_member(jp, i++, &k, &kl)) {
		size_t m = 0;

		if (!key_is(k, kl, "values") || csf_jp_peek(jp) != '[') {
			csf_jp_skip(jp);
			continue;
		}
		csf_jp_array(jp);
		while (csf_jp_item(jp, m)) {
			if (m++)
				csf_buf_addch(out, ',');
			if (!kv) {
				pull_anyvalue(pl, out, &ignored, depth + 1, true);
			} else if (csf_jp_peek(jp) != '{') {
				csf_jp_skip(jp);
				csf_buf_addstr(out, "\"\":null");
			} else {
				struct csf_buf key = CSF_BUF_INIT, val = CSF_BUF_INIT;
				const char *k2, *t;
				size_t kl2, q = 0, n;

				csf_jp_object(jp);
				while (csf_jp_member(jp, q++, &k2, &kl2)) {
					if (key_is(k2, kl2, "key") && csf_jp_peek(jp) == '"') {
						csf_jp_string(jp, &t, &n);
						csf_buf_reset(&key);
						csf_buf_add(&key, t, n);
					} else if (key_is(k2, kl2, "value")) {
						csf_buf_reset(&val);
						pull_anyvalue(pl, &val, &ignored, depth + 1, true);
					} else {
						csf_jp_skip(jp);
					}
				}
				csf_buf_add_json_str(out, key.buf);
				csf_buf_addch(out, ':');
				csf_buf_addstr(out, val.len ? val.buf : "null");
				csf_buf_release(&key);
				csf_buf_release(&val);
			}
		}
	}
	csf_buf_addch(out, kv ? '}' : ']');
}

/* Reads an AnyValue object and appends its value: the plain text of a scalar (as_json false),
 * or JSON (strings quoted; arrays and kvlists always JSON). Never fails on odd shapes: they
 * give "" (or null); syntax errors stay in the tokenizer. */
static void
pull_anyvalue(struct pull *pl, struct csf_buf *out, enum csf_attr_type *type, int depth,
	      bool as_json)
{
	struct csf_json_pull *jp = &pl->jp;
	const char *k, *t;
	size_t kl, i = 0, n, before = out->len;
	int lit;

	*type = CSF_ATTR_STR;
	if (depth > 32 || csf_jp_peek(jp) != '{') {
		csf_jp_skip(jp);
		if (as_json)
			csf_buf_addstr(out, "null");
		return;
	}
	csf_jp_object(jp);
	while (csf_jp_member(jp, i++, &k, &kl)) {
		int c = csf_jp_peek(jp);

		if (out->len != before) {	/* exactly one of the xValue members counts */
			csf_jp_skip(jp);
			continue;
		}
		if ((key_is(k, kl, "stringValue") || key_is(k, kl, "bytesValue")) && c == '"') {
			*type = k[0] == 's' ? CSF_ATTR_STR : CSF_ATTR_BYTES;
			csf_jp_string(jp, &t, &n);
			put_text(out, t, n, as_json);
			if (!n && !as_json)
				break;
		} else if (key_is(k, kl, "intValue")) {
			int64_t v;

			*type = CSF_ATTR_INT;
			if (c == '0' || c == '"') {
				if (c == '0')
					csf_jp_number(jp, &t, &n);
				else
					csf_jp_string(jp, &t, &n);
				if (csf_jp_to_i64(t, n, &v))
					csf_buf_addf(out, "%lld", (long long)v);
				else
					put_text(out, t, n, as_json);
			} else {
				csf_jp_skip(jp);
			}
		} else if (key_is(k, kl, "doubleValue")) {
			*type = CSF_ATTR_DOUBLE;
			if (c == '0') {
				char tmp[64];

				csf_jp_number(jp, &t, &n);
				snprintf(tmp, sizeof(tmp), "%.*s", (int)(n < 63 ? n : 63), t);
				fmt_double(out, strtod(tmp, NULL));
			} else if (c == '"') {	/* "NaN", "Infinity" in proto3 JSON */
				csf_jp_string(jp, &t, &n);
				put_text(out, t, n, as_json);
			} else {
				csf_jp_skip(jp);
			}
		} else if (key_is(k, kl, "boolValue")) {
			*type = CSF_ATTR_BOOL;
			if (c == 't' || c == 'f') {
				csf_jp_literal(jp, &lit);
				csf_buf_addstr(out, lit ? "true" : "false");
			} else if (c == '"') {
				csf_jp_string(jp, &t, &n);
				csf_buf_addstr(out, n == 4 && !memcmp(t, "true", 4) ? "true" : "false");
			} else {
				csf_jp_skip(jp);
			}
		} else if (key_is(k, kl, "arrayValue") || key_is(k, kl, "kvlistValue")) {
			*type = k[0] == 'a' ? CSF_ATTR_ARRAY : CSF_ATTR_KVLIST;
			pull_values(pl, out, k[0] == 'k', depth);
		} else {
			csf_jp_skip(jp);
		}
	}
	if (as_json && out->len == before)
		csf_buf_addstr(out, "null");
}

/* [{key, value:{xValue:…}}…] appended to set->attrs; *count gets how many. The service.name
 * value goes to *service when service is not NULL. */
static enum csf_status
pull_attrs(struct pull *pl, const char *field, uint32_t *count, const char **service)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	size_t i = 0, pos = jp->pos;
	int c = csf_jp_peek(jp), lit;

	*count = 0;
	if (c == 'n')
		return csf_jp_literal(jp, &lit) ? CSF_E_OK : pull_syntax(pl);
	if (c != '[')
		return pull_done(pl, pull_shape(pl, pos, field, "expected an array, got %s",
						pull_kind_name(c)));
	csf_jp_array(jp);
	while (csf_jp_item(jp, i)) {
		const char *k, *key = NULL, *t;
		size_t kl, keylen = 0, j = 0, n, ipos;
		enum csf_attr_type type = CSF_ATTR_STR;
		uint32_t idx;

		csf_jp_peek(jp);
		ipos = jp->pos;
		if (csf_jp_peek(jp) != '{')
			return pull_done(pl, pull_shape(pl, ipos, field, "attribute %zu: expected "
							"an object, got %s", i,
							pull_kind_name(csf_jp_peek(jp))));
		csf_jp_object(jp);
		csf_buf_reset(&w->tmp);
		while (csf_jp_member(jp, j++, &k, &kl)) {
			if (key_is(k, kl, "key")) {
				size_t kpos;

				csf_jp_peek(jp);
				kpos = jp->pos;
				if (csf_jp_peek(jp) != '"')
					return pull_done(pl, pull_shape(pl, kpos, field,
						"attribute %zu: expected a string key, got %s", i,
						pull_kind_name(csf_jp_peek(jp))));
				csf_jp_string(jp, &t, &n);
				key = csf_trace_str(w->set, t, n);
				keylen = n;
			} else if (key_is(k, kl, "value")) {
				csf_buf_reset(&w->tmp);
				pull_anyvalue(pl, &w->tmp, &type, 0, false);
			} else {
				csf_jp_skip(jp);
			}
		}
		if (jp->failed)
			return pull_syntax(pl);
		if (!key)
			return pull_shape(pl, ipos, field, "attribute %zu: missing key", i);
		idx = csf_trace_add_attr(w->set, key, keylen, w->tmp.buf, w->tmp.len, type);
		if (service && keylen == 12 && !memcmp(key, "service.name", 12))
			*service = w->set->attrs[idx].value;
		(*count)++;
		i++;
	}
	return pull_done(pl, CSF_E_OK);
}

/* events: [{timeUnixNano, name, attributes}] appended to set->events. */
static enum csf_status
pull_events(struct pull *pl, uint32_t *first, uint32_t *count)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	size_t i = 0, pos;
	int c, lit;
	enum csf_status st;

	*first = (uint32_t)w->set->nevents;
	*count = 0;
	c = csf_jp_peek(jp);
	pos = jp->pos;
	if (c == 'n')
		return csf_jp_literal(jp, &lit) ? CSF_E_OK : pull_syntax(pl);
	if (c != '[')
		return pull_done(pl, pull_shape(pl, pos, "events", "expected an array, got %s",
						pull_kind_name(c)));
	csf_jp_array(jp);
	while (csf_jp_item(jp, i)) {
		struct csf_trace_event ev;
		const char *k, *t;
		size_t kl, j = 0, n;
		uint32_t na = 0;

		memset(&ev, 0, sizeof(ev));
		ev.name = "";
		ev.attr = (uint32_t)w->set->nattrs;
		c = csf_jp_peek(jp);
		pos = jp->pos;
		if (c != '{')
			return pull_done(pl, pull_shape(pl, pos, "events", "event %zu: expected an "
							"object, got %s", i, pull_kind_name(c)));
		csf_jp_object(jp);
		while (csf_jp_member(jp, j++, &k, &kl)) {
			if (key_is(k, kl, "timeUnixNano")) {
				csf_jp_peek(jp);
				pos = jp->pos;
				if (!pull_i64(pl, &ev.time_ns) || ev.time_ns < 0)
					return pull_done(pl, pull_shape(pl, pos, "events", "event %zu: "
							 "timeUnixNano is not a non-negative integer", i));
			} else if (key_is(k, kl, "name") && csf_jp_peek(jp) == '"') {
				csf_jp_string(jp, &t, &n);
				ev.name = csf_trace_str(w->set, t, n);
			} else if (key_is(k, kl, "attributes")) {
				ev.attr = (uint32_t)w->set->nattrs;
				if ((st = pull_attrs(pl, "events.attributes", &na, NULL)))
					return st;
			} else {
				csf_jp_skip(jp);
			}
		}
		if (jp->failed)
			return pull_syntax(pl);
		ev.nattr = na;
		CSF_GROW(w->set->events, w->set->events_alloc, w->set->nevents + 1);
		w->set->events[w->set->nevents++] = ev;
		(*count)++;
		i++;
	}
	return pull_done(pl, CSF_E_OK);
}

/* status: {code, message} */
static enum csf_status
pull_status(struct pull *pl, struct csf_span *tmp)
{
	struct csf_json_pull *jp = &pl->jp;
	const char *k, *t;
	size_t kl, j = 0, n, pos;
	int c = csf_jp_peek(jp);
	bool ok;

	pos = jp->pos;
	if (c != '{') {
		if (c == 'n')
			return csf_jp_skip(jp) ? CSF_E_OK : pull_syntax(pl);
		return pull_done(pl, pull_shape(pl, pos, "status", "expected an object, got %s",
						pull_kind_name(c)));
	}
	csf_jp_object(jp);
	while (csf_jp_member(jp, j++, &k, &kl)) {
		if (key_is(k, kl, "code")) {
			csf_jp_peek(jp);
			pos = jp->pos;
			tmp->status = (uint8_t)pull_enum(pl, "STATUS_CODE_", otlp_codes, 3, &ok);
			if (!ok)
				return pull_done(pl, pull_shape(pl, pos, "status.code", "expected an "
						 "integer or a STATUS_CODE_* name"));
		} else if (key_is(k, kl, "message") && csf_jp_peek(jp) == '"') {
			csf_jp_string(jp, &t, &n);
			tmp->status_msg = csf_trace_str(pl->w->set, t, n);
		} else {
			csf_jp_skip(jp);
		}
	}
	return pull_done(pl, CSF_E_OK);
}

static enum csf_status
pull_span(struct pull *pl, uint32_t resource, const char *service)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	struct csf_span tmp;
	struct csf_trace *t;
	struct csf_span *s;
	const char *k, *str;
	size_t kl, j = 0, n, pos, span_pos, events_pos = 0;
	uint8_t tid[16], b8[8];
	bool have_tid = false, have_sid = false, have_events = false, present;
	int64_t t0 = 0, t1 = 0;
	enum csf_status st;
	uint32_t na = 0, attr_first = (uint32_t)w->set->nattrs;
	int c = csf_jp_peek(jp);

	span_pos = jp->pos;
	if (c != '{')
		return pull_done(pl, pull_shape(pl, span_pos, NULL, "expected a span object, got %s",
						pull_kind_name(c)));
	memset(&tmp, 0, sizeof(tmp));
	tmp.name = tmp.status_msg = "";
	memset(tid, 0, sizeof(tid));
	csf_jp_object(jp);
	while (csf_jp_member(jp, j++, &k, &kl)) {
		csf_jp_peek(jp);
		pos = jp->pos;
		switch (k[0]) {
		case 't':
			if (key_is(k, kl, "traceId")) {
				if ((st = pull_id(pl, "traceId", tid, 16, &have_tid)))
					return st;
				continue;
			}
			break;
		case 's':
			if (key_is(k, kl, "spanId")) {
				if ((st = pull_id(pl, "spanId", b8, 8, &have_sid)))
					return st;
				tmp.id = id64(b8);
				continue;
			}
			if (key_is(k, kl, "startTimeUnixNano")) {
				if (!pull_i64(pl, &t0) || t0 < 0)
					return pull_done(pl, pull_shape(pl, pos, "startTimeUnixNano",
						"expected a non-negative integer (number or decimal "
						"string)"));
				continue;
			}
			if (key_is(k, kl, "status")) {
				if ((st = pull_status(pl, &tmp)))
					return st;
				continue;
			}
			break;
		case 'p':
			if (key_is(k, kl, "parentSpanId")) {
				if ((st = pull_id(pl, "parentSpanId", b8, 8, &present)))
					return st;
				tmp.parent_id = id64(b8);
				continue;
			}
			break;
		case 'n':
			if (key_is(k, kl, "name")) {
				if (csf_jp_peek(jp) == 'n') {
					csf_jp_skip(jp);
					continue;
				}
				if (csf_jp_peek(jp) != '"')
					return pull_done(pl, pull_shape(pl, pos, "name", "expected a "
						"string, got %s", pull_kind_name(csf_jp_peek(jp))));
				csf_jp_string(jp, &str, &n);
				tmp.name = csf_trace_str(w->set, str, n);
				continue;
			}
			break;
		case 'k':
			if (key_is(k, kl, "kind")) {
				bool ok;

				tmp.kind = (uint8_t)pull_enum(pl, "SPAN_KIND_", otlp_kinds, 6, &ok);
				if (!ok)
					return pull_done(pl, pull_shape(pl, pos, "kind", "expected an "
						"integer or a SPAN_KIND_* name, got %s",
						pull_kind_name(csf_jp_peek(jp))));
				continue;
			}
			break;
		case 'e':
			if (key_is(k, kl, "endTimeUnixNano")) {
				if (!pull_i64(pl, &t1) || t1 < 0)
					return pull_done(pl, pull_shape(pl, pos, "endTimeUnixNano",
						"expected a non-negative integer (number or decimal "
						"string)"));
				continue;
			}
			if (key_is(k, kl, "events")) {
				/* read after the span, so that its attributes stay contiguous */
				events_pos = pos;
				have_events = true;
				csf_jp_skip(jp);
				continue;
			}
			break;
		case 'a':
			if (key_is(k, kl, "attributes")) {
				attr_first = (uint32_t)w->set->nattrs;
				if ((st = pull_attrs(pl, "attributes", &na, NULL)))
					return st;
				continue;
			}
			break;
		default:
			break;
		}
		csf_jp_skip(jp);
	}
	if (jp->failed)
		return pull_syntax(pl);
	if (!have_tid)
		return pull_shape(pl, span_pos, "traceId", "missing id");
	if (!have_sid)
		return pull_shape(pl, span_pos, "spanId", "missing id");
	tmp.start_ns = t0;
	if (!t0 || !t1 || t1 < t0) {
		tmp.dur_ns = 0;
		if (!t0 || !t1)
			tmp.flags |= CSF_SPAN_F_NO_TIME;
	} else {
		tmp.dur_ns = t1 - t0;
	}
	t = csf_trace_set_trace(w->set, tid);
	s = csf_trace_add_span(w->set, t);
	s->id = tmp.id;
	s->parent_id = tmp.parent_id;
	s->start_ns = tmp.start_ns;
	s->dur_ns = tmp.dur_ns;
	s->name = tmp.name;
	s->status_msg = tmp.status_msg;
	s->kind = tmp.kind;
	s->status = tmp.status;
	s->flags = tmp.flags;
	s->service = service;
	s->resource = resource;
	s->attr = attr_first;
	s->nattr = na;
	if (have_events) {
		size_t here = jp->pos;
		unsigned depth = jp->depth;
		uint32_t first, count;

		jp->pos = events_pos;
		st = pull_events(pl, &first, &count);
		if (st)
			return st;
		jp->pos = here;
		jp->depth = depth;
		s = &t->spans[t->nspans - 1];
		s->event = first;
		s->nevent = count;
	}
	return CSF_E_OK;
}

static enum csf_status
pull_scopes(struct pull *pl, const char *sname, uint32_t resource, const char *service)
{
	struct csf_json_pull *jp = &pl->jp;
	size_t si = 0, pos;
	int c = csf_jp_peek(jp), lit;
	enum csf_status st;

	pos = jp->pos;
	walk_set(pl->w, 1, sname, -1);
	if (c == 'n')
		return csf_jp_literal(jp, &lit) ? CSF_E_OK : pull_syntax(pl);
	if (c != '[')
		return pull_done(pl, pull_shape(pl, pos, NULL, "expected an array, got %s",
						pull_kind_name(c)));
	csf_jp_array(jp);
	while (csf_jp_item(jp, si)) {
		const char *k;
		size_t kl, j = 0;

		walk_set(pl->w, 1, sname, (int)si);
		c = csf_jp_peek(jp);
		pos = jp->pos;
		if (c != '{')
			return pull_done(pl, pull_shape(pl, pos, NULL, "expected an object, got %s",
							pull_kind_name(c)));
		csf_jp_object(jp);
		while (csf_jp_member(jp, j++, &k, &kl)) {
			size_t pi = 0;

			if (!key_is(k, kl, "spans")) {
				csf_jp_skip(jp);
				continue;
			}
			c = csf_jp_peek(jp);
			pos = jp->pos;
			if (c == 'n') {
				csf_jp_skip(jp);
				continue;
			}
			if (c != '[')
				return pull_done(pl, pull_shape(pl, pos, "spans", "expected an array, "
								"got %s", pull_kind_name(c)));
			csf_jp_array(jp);
			while (csf_jp_item(jp, pi)) {
				walk_set(pl->w, 2, "spans", (int)pi);
				if ((st = pull_span(pl, resource, service)))
					return st;
				pi++;
			}
			walk_set(pl->w, 1, sname, (int)si);
		}
		si++;
	}
	return pull_done(pl, CSF_E_OK);
}

static enum csf_status
pull_resource(struct pull *pl, uint32_t rix)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	const char *k, *service = "";
	size_t kl, j = 0, pos;
	int c = csf_jp_peek(jp);
	enum csf_status st;
	uint32_t n;

	pos = jp->pos;
	if (c == 'n')
		return csf_jp_skip(jp) ? CSF_E_OK : pull_syntax(pl);
	if (c != '{')
		return pull_done(pl, pull_shape(pl, pos, "resource", "expected an object, got %s",
						pull_kind_name(c)));
	walk_set(w, 1, "resource", -1);
	csf_jp_object(jp);
	while (csf_jp_member(jp, j++, &k, &kl)) {
		if (!key_is(k, kl, "attributes")) {
			csf_jp_skip(jp);
			continue;
		}
		w->set->resources[rix].attr = (uint32_t)w->set->nattrs;
		if ((st = pull_attrs(pl, "attributes", &n, &service)))
			return st;
		w->set->resources[rix].nattr = n;
		w->set->resources[rix].service = service;
	}
	return pull_done(pl, CSF_E_OK);
}

static enum csf_status
pull_resource_spans(struct pull *pl, const char *top)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	size_t ri = 0, pos;
	int c = csf_jp_peek(jp), lit;
	enum csf_status st;

	pos = jp->pos;
	walk_set(w, 0, top, -1);
	if (c == 'n')
		return csf_jp_literal(jp, &lit) ? CSF_E_OK : pull_syntax(pl);
	if (c != '[')
		return pull_done(pl, pull_shape(pl, pos, NULL, "expected an array, got %s",
						pull_kind_name(c)));
	csf_jp_array(jp);
	while (csf_jp_item(jp, ri)) {
		const char *k;
		size_t kl, j = 0, deferred[2] = { 0, 0 };
		const char *dnames[2] = { NULL, NULL };
		bool have_res = false;
		uint32_t rix;
		int nd = 0, d;

		walk_set(w, 0, top, (int)ri);
		c = csf_jp_peek(jp);
		pos = jp->pos;
		if (c != '{')
			return pull_done(pl, pull_shape(pl, pos, NULL, "expected an object, got %s",
							pull_kind_name(c)));
		rix = csf_trace_add_resource(w->set, NULL, 0);
		csf_jp_object(jp);
		while (csf_jp_member(jp, j++, &k, &kl)) {
			const char *sname = key_is(k, kl, "scopeSpans") ? "scopeSpans" :
				key_is(k, kl, "instrumentationLibrarySpans") ?
				"instrumentationLibrarySpans" : NULL;

			if (key_is(k, kl, "resource")) {
				if ((st = pull_resource(pl, rix)))
					return st;
				have_res = true;
				walk_set(w, 0, top, (int)ri);
			} else if (sname && have_res) {
				if ((st = pull_scopes(pl, sname, rix, w->set->resources[rix].service)))
					return st;
				walk_set(w, 0, top, (int)ri);
			} else if (sname && nd < 2) {
				/* spans before their resource: come back once the service is known */
				csf_jp_peek(jp);
				deferred[nd] = jp->pos;
				dnames[nd++] = sname;
				csf_jp_skip(jp);
			} else {
				csf_jp_skip(jp);
			}
		}
		if (jp->failed)
			return pull_syntax(pl);
		for (d = 0; d < nd; d++) {
			size_t here = jp->pos;
			unsigned depth = jp->depth;

			jp->pos = deferred[d];
			if ((st = pull_scopes(pl, dnames[d], rix, w->set->resources[rix].service)))
				return st;
			jp->pos = here;
			jp->depth = depth;
			walk_set(w, 0, top, (int)ri);
		}
		ri++;
	}
	return pull_done(pl, CSF_E_OK);
}

/* One document at jp's position. Reads it when it is OTLP (*kind = CSF_TRACE_OTLP). Otherwise
 * stops at the first member that names another format (*kind = CSF_TRACE_JAEGER or
 * CSF_TRACE_TEMPO_SEARCH, nothing added) or reads to the end (*kind = CSF_TRACE_AUTO); the caller
 * then starts over with the right reader. */
static enum csf_status
pull_document(struct pull *pl, enum csf_trace_format *kind)
{
	struct csf_json_pull *jp = &pl->jp;
	const char *k;
	size_t kl, j = 0;
	enum csf_status st;

	*kind = CSF_TRACE_AUTO;
	if (csf_jp_peek(jp) != '{')
		return CSF_E_OK;
	csf_jp_object(jp);
	while (csf_jp_member(jp, j++, &k, &kl)) {
		if (*kind == CSF_TRACE_AUTO && (key_is(k, kl, "data") || key_is(k, kl, "errors"))) {
			*kind = CSF_TRACE_JAEGER;
			return CSF_E_OK;
		}
		if (*kind == CSF_TRACE_AUTO && key_is(k, kl, "traces")) {
			*kind = CSF_TRACE_TEMPO_SEARCH;
			return CSF_E_OK;
		}
		if (key_is(k, kl, "resourceSpans") || key_is(k, kl, "batches")) {
			*kind = CSF_TRACE_OTLP;
			if ((st = pull_resource_spans(pl, kl == 7 ? "batches" : "resourceSpans")))
				return st;
		} else if ((key_is(k, kl, "trace") || key_is(k, kl, "result")) &&
			   csf_jp_peek(jp) == '{') {
			/* Tempo v2 {"trace":{"resourceSpans"…}}, Jaeger v3 {"result":{…}} */
			const char *top = k[0] == 't' ? "trace.resourceSpans" :
				"result.resourceSpans";
			const char *k2;
			size_t kl2, q = 0;

			csf_jp_object(jp);
			while (csf_jp_member(jp, q++, &k2, &kl2)) {
				if (key_is(k2, kl2, "resourceSpans")) {
					*kind = CSF_TRACE_OTLP;
					if ((st = pull_resource_spans(pl, top)))
						return st;
				} else {
					csf_jp_skip(jp);
				}
			}
		} else {
			csf_jp_skip(jp);
		}
	}
	pl->w->depth = 0;
	return pull_done(pl, CSF_E_OK);
}

/* A resource for a Jaeger process or a Zipkin endpoint: its service name is also its
 * service.name attribute, as in OTLP, so details and filters see the same keys. */
static uint32_t
named_resource(struct walk *w, const char *svc)
{
	uint32_t r = csf_trace_add_resource(w->set, svc, strlen(svc));

	if (*svc) {
		csf_trace_add_attr(w->set, "service.name", 12, svc, strlen(svc), CSF_ATTR_STR);
		w->set->resources[r].nattr = 1;
	}
	return r;
}

/* ==== Jaeger and Zipkin on the pull tokenizer ================================================ */

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

/* The text of any scalar value into out (reset first): strings unescaped, numbers as written,
 * booleans as true/false; objects and arrays are skipped (empty text). *type is the JSON type. */
static void
pull_scalar_text(struct pull *pl, struct csf_buf *out, enum csf_attr_type *type)
{
	struct csf_json_pull *jp = &pl->jp;
	const char *t;
	size_t n;
	int c = csf_jp_peek(jp), lit;

	csf_buf_reset(out);
	*type = CSF_ATTR_STR;
	if (c == '"') {
		csf_jp_string(jp, &t, &n);
		csf_buf_add(out, t, n);
	} else if (c == '0') {
		csf_jp_number(jp, &t, &n);
		csf_buf_add(out, t, n);
		*type = memchr(t, '.', n) || memchr(t, 'e', n) || memchr(t, 'E', n) ?
			CSF_ATTR_DOUBLE : CSF_ATTR_INT;
	} else if (c == 't' || c == 'f') {
		csf_jp_literal(jp, &lit);
		csf_buf_addstr(out, lit ? "true" : "false");
		*type = CSF_ATTR_BOOL;
	} else {
		csf_jp_skip(jp);
	}
}

/* A µs integer (number or decimal string) as ns; null and absent are 0. */
static bool
pull_us(struct pull *pl, int64_t *ns)
{
	int64_t us;

	if (!pull_i64(pl, &us) || us < 0 || us > INT64_MAX / 1000)
		return false;
	*ns = us * 1000;
	return true;
}

/* Jaeger tags [{key, type, value}] appended to set->attrs; conventional tags applied to s (may be
 * NULL). */
static enum csf_status
pull_jaeger_tags(struct pull *pl, const char *field, struct csf_span *s, uint32_t *count)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	size_t i = 0, pos;
	int c = csf_jp_peek(jp), lit;

	*count = 0;
	pos = jp->pos;
	if (c == 'n')
		return csf_jp_literal(jp, &lit) ? CSF_E_OK : pull_syntax(pl);
	if (c != '[')
		return pull_done(pl, pull_shape(pl, pos, field, "expected an array, got %s",
						pull_kind_name(c)));
	csf_jp_array(jp);
	while (csf_jp_item(jp, i)) {
		const char *k, *key = NULL, *t;
		size_t kl, j = 0, n, keylen = 0;
		enum csf_attr_type type = CSF_ATTR_STR, declared = CSF_ATTR_STR;
		bool have_decl = false;
		uint32_t idx;

		csf_jp_peek(jp);
		pos = jp->pos;
		if (csf_jp_peek(jp) != '{')
			return pull_done(pl, pull_shape(pl, pos, field, "tag %zu: expected an object, "
							"got %s", i, pull_kind_name(csf_jp_peek(jp))));
		csf_jp_object(jp);
		csf_buf_reset(&w->tmp);
		while (csf_jp_member(jp, j++, &k, &kl)) {
			if (key_is(k, kl, "key") && csf_jp_peek(jp) == '"') {
				csf_jp_string(jp, &t, &n);
				key = csf_trace_str(w->set, t, n);
				keylen = n;
			} else if (key_is(k, kl, "value")) {
				pull_scalar_text(pl, &w->tmp, &type);
			} else if (key_is(k, kl, "type") && csf_jp_peek(jp) == '"') {
				csf_jp_string(jp, &t, &n);
				have_decl = true;
				declared = key_is(t, n, "bool") ? CSF_ATTR_BOOL :
					key_is(t, n, "int64") ? CSF_ATTR_INT :
					key_is(t, n, "float64") ? CSF_ATTR_DOUBLE :
					key_is(t, n, "binary") ? CSF_ATTR_BYTES : CSF_ATTR_STR;
			} else {
				csf_jp_skip(jp);
			}
		}
		if (jp->failed)
			return pull_syntax(pl);
		if (!key)
			return pull_shape(pl, pos, field, "tag %zu: expected a string key", i);
		if (have_decl)
			type = declared;
		idx = csf_trace_add_attr(w->set, key, keylen, w->tmp.buf, w->tmp.len, type);
		if (s)
			apply_tag(w, s, w->set->attrs[idx].key, w->set->attrs[idx].value, w->tmp.len,
				  false);
		(*count)++;
		i++;
	}
	return pull_done(pl, CSF_E_OK);
}

/* logs [{timestamp, fields}] as events. */
static enum csf_status
pull_jaeger_logs(struct pull *pl, uint32_t *first, uint32_t *count)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	size_t i = 0, pos;
	int c = csf_jp_peek(jp), lit;
	enum csf_status st;

	*first = (uint32_t)w->set->nevents;
	*count = 0;
	pos = jp->pos;
	if (c == 'n')
		return csf_jp_literal(jp, &lit) ? CSF_E_OK : pull_syntax(pl);
	if (c != '[')
		return pull_done(pl, pull_shape(pl, pos, "logs", "expected an array, got %s",
						pull_kind_name(c)));
	csf_jp_array(jp);
	while (csf_jp_item(jp, i)) {
		struct csf_trace_event ev;
		const char *k;
		size_t kl, j = 0, a;
		uint32_t n = 0;

		memset(&ev, 0, sizeof(ev));
		ev.name = "";
		ev.attr = (uint32_t)w->set->nattrs;
		c = csf_jp_peek(jp);
		pos = jp->pos;
		if (c != '{')
			return pull_done(pl, pull_shape(pl, pos, "logs", "log %zu: expected an object, "
							"got %s", i, pull_kind_name(c)));
		csf_jp_object(jp);
		while (csf_jp_member(jp, j++, &k, &kl)) {
			if (key_is(k, kl, "timestamp")) {
				csf_jp_peek(jp);
				pos = jp->pos;
				if (!pull_us(pl, &ev.time_ns))
					return pull_done(pl, pull_shape(pl, pos, "logs", "log %zu: "
						"timestamp is not an integer (microseconds)", i));
			} else if (key_is(k, kl, "fields")) {
				ev.attr = (uint32_t)w->set->nattrs;
				if ((st = pull_jaeger_tags(pl, "logs.fields", NULL, &n)))
					return st;
			} else {
				csf_jp_skip(jp);
			}
		}
		if (jp->failed)
			return pull_syntax(pl);
		ev.nattr = n;
		for (a = 0; a < n; a++) {
			const struct csf_trace_attr *at = &w->set->attrs[ev.attr + a];

			if (!strcmp(at->key, "event") || (!ev.name[0] &&
			    (!strcmp(at->key, "message") || !strcmp(at->key, "log"))))
				ev.name = at->value;
		}
		CSF_GROW(w->set->events, w->set->events_alloc, w->set->nevents + 1);
		w->set->events[w->set->nevents++] = ev;
		(*count)++;
		i++;
	}
	return pull_done(pl, CSF_E_OK);
}

/* A span whose process is resolved once the trace's "processes" member has been read. */
struct jpending {
	uint32_t trace, span;
	const char *pid;	/* interned processID */
};

struct jproc {
	const char *key;	/* interned */
	uint32_t resource;
};

/* A process {serviceName, tags}: a resource. */
static enum csf_status
pull_jaeger_process(struct pull *pl, uint32_t *rix)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	const char *k, *t, *svc = "";
	size_t kl, j = 0, n, tags_pos = 0, pos = jp->pos;
	bool have_tags = false;
	uint32_t na = 0;
	enum csf_status st;

	if (csf_jp_peek(jp) != '{')
		return pull_done(pl, pull_shape(pl, pos, "process", "expected an object, got %s",
						pull_kind_name(csf_jp_peek(jp))));
	csf_jp_object(jp);
	while (csf_jp_member(jp, j++, &k, &kl)) {
		if (key_is(k, kl, "serviceName") && csf_jp_peek(jp) == '"') {
			csf_jp_string(jp, &t, &n);
			svc = csf_trace_str(w->set, t, n);
		} else if (key_is(k, kl, "tags")) {
			csf_jp_peek(jp);
			tags_pos = jp->pos;
			have_tags = true;
			csf_jp_skip(jp);
		} else {
			csf_jp_skip(jp);
		}
	}
	if (jp->failed)
		return pull_syntax(pl);
	*rix = named_resource(w, svc);
	if (have_tags) {
		size_t here = jp->pos;
		unsigned depth = jp->depth;

		jp->pos = tags_pos;
		if ((st = pull_jaeger_tags(pl, "process.tags", NULL, &na)))
			return st;
		jp->pos = here;
		jp->depth = depth;
		w->set->resources[*rix].nattr += na;
	}
	return CSF_E_OK;
}

static enum csf_status
pull_jaeger_span(struct pull *pl, const uint8_t *trace_tid, bool have_trace_tid,
		 struct jpending **pend, size_t *npend, size_t *pend_alloc)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	struct csf_span tmp;
	struct csf_trace *t;
	struct csf_span *s;
	const char *k, *str, *pid = NULL;
	size_t kl, j = 0, n, pos, span_pos, logs_pos = 0;
	uint8_t tid[16], b8[8];
	bool have_tid = false, have_sid = false, have_logs = false, have_start = false;
	bool have_dur = false, present;
	uint32_t na = 0, attr_first = (uint32_t)w->set->nattrs, rix = CSF_SPAN_NONE;
	enum csf_status st;
	int c = csf_jp_peek(jp);

	span_pos = jp->pos;
	if (c != '{')
		return pull_done(pl, pull_shape(pl, span_pos, NULL, "expected a span object, got %s",
						pull_kind_name(c)));
	memset(&tmp, 0, sizeof(tmp));
	tmp.name = tmp.status_msg = "";
	csf_jp_object(jp);
	while (csf_jp_member(jp, j++, &k, &kl)) {
		csf_jp_peek(jp);
		pos = jp->pos;
		if (key_is(k, kl, "traceID")) {
			if ((st = pull_id(pl, "traceID", tid, 16, &have_tid)))
				return st;
		} else if (key_is(k, kl, "spanID")) {
			if ((st = pull_id(pl, "spanID", b8, 8, &have_sid)))
				return st;
			tmp.id = id64(b8);
		} else if (key_is(k, kl, "operationName")) {
			if (csf_jp_peek(jp) == 'n') {
				csf_jp_skip(jp);
				continue;
			}
			if (csf_jp_peek(jp) != '"')
				return pull_done(pl, pull_shape(pl, pos, "operationName", "expected a "
						 "string, got %s", pull_kind_name(csf_jp_peek(jp))));
			csf_jp_string(jp, &str, &n);
			tmp.name = csf_trace_str(w->set, str, n);
		} else if (key_is(k, kl, "references")) {
			/* the first reference is the parent; a CHILD_OF one wins over FOLLOWS_FROM */
			size_t r = 0;
			bool have_child_of = false, have_any = false;

			if (csf_jp_peek(jp) == 'n') {
				csf_jp_skip(jp);
				continue;
			}
			if (csf_jp_peek(jp) != '[')
				return pull_done(pl, pull_shape(pl, pos, "references", "expected an "
						 "array, got %s", pull_kind_name(csf_jp_peek(jp))));
			csf_jp_array(jp);
			while (csf_jp_item(jp, r++)) {
				const char *k2;
				size_t kl2, q = 0;
				uint64_t ref = 0;
				bool child_of = false;

				if (csf_jp_peek(jp) != '{') {
					csf_jp_skip(jp);
					continue;
				}
				csf_jp_object(jp);
				while (csf_jp_member(jp, q++, &k2, &kl2)) {
					if (key_is(k2, kl2, "spanID")) {
						if ((st = pull_id(pl, "references.spanID", b8, 8,
								  &present)))
							return st;
						ref = id64(b8);
					} else if (key_is(k2, kl2, "refType") &&
						   csf_jp_peek(jp) == '"') {
						csf_jp_string(jp, &str, &n);
						child_of = key_is(str, n, "CHILD_OF");
					} else {
						csf_jp_skip(jp);
					}
				}
				if (!have_child_of && (child_of || !have_any)) {
					tmp.parent_id = ref;
					have_child_of = child_of;
				}
				have_any = true;
			}
		} else if (key_is(k, kl, "startTime")) {
			if (!pull_us(pl, &tmp.start_ns))
				return pull_done(pl, pull_shape(pl, pos, "startTime", "expected a "
						 "non-negative integer (microseconds)"));
			have_start = true;
		} else if (key_is(k, kl, "duration")) {
			if (!pull_us(pl, &tmp.dur_ns))
				return pull_done(pl, pull_shape(pl, pos, "duration", "expected a "
						 "non-negative integer (microseconds)"));
			have_dur = true;
		} else if (key_is(k, kl, "tags")) {
			attr_first = (uint32_t)w->set->nattrs;
			if ((st = pull_jaeger_tags(pl, "tags", &tmp, &na)))
				return st;
		} else if (key_is(k, kl, "logs")) {
			logs_pos = pos;	/* read after the span: its tags stay contiguous */
			have_logs = true;
			csf_jp_skip(jp);
		} else if (key_is(k, kl, "processID") && csf_jp_peek(jp) == '"') {
			csf_jp_string(jp, &str, &n);
			pid = csf_trace_str(w->set, str, n);
		} else if (key_is(k, kl, "process") && csf_jp_peek(jp) == '{') {
			if ((st = pull_jaeger_process(pl, &rix)))
				return st;
		} else {
			csf_jp_skip(jp);
		}
	}
	if (jp->failed)
		return pull_syntax(pl);
	if (!have_tid && have_trace_tid) {
		memcpy(tid, trace_tid, 16);
		have_tid = true;
	}
	if (!have_tid)
		return pull_shape(pl, span_pos, "traceID", "missing id");
	if (!have_sid)
		return pull_shape(pl, span_pos, "spanID", "missing id");
	if (!have_start || !tmp.start_ns || !have_dur)
		tmp.flags |= CSF_SPAN_F_NO_TIME;
	t = csf_trace_set_trace(w->set, tid);
	s = csf_trace_add_span(w->set, t);
	s->id = tmp.id;
	s->parent_id = tmp.parent_id;
	s->start_ns = tmp.start_ns;
	s->dur_ns = tmp.dur_ns;
	s->name = tmp.name;
	s->status_msg = tmp.status_msg;
	s->kind = tmp.kind;
	s->status = tmp.status;
	s->flags = tmp.flags;
	s->attr = attr_first;
	s->nattr = na;
	if (rix != CSF_SPAN_NONE) {
		s->resource = rix;
		s->service = w->set->resources[rix].service;
	} else if (pid) {
		CSF_GROW(*pend, *pend_alloc, *npend + 1);
		(*pend)[*npend].trace = (uint32_t)(t - w->set->traces);
		(*pend)[*npend].span = (uint32_t)(t->nspans - 1);
		(*pend)[*npend].pid = pid;
		(*npend)++;
	}
	if (have_logs) {
		size_t here = jp->pos;
		unsigned depth = jp->depth;
		uint32_t first, count;

		jp->pos = logs_pos;
		if ((st = pull_jaeger_logs(pl, &first, &count)))
			return st;
		jp->pos = here;
		jp->depth = depth;
		s = &t->spans[t->nspans - 1];
		s->event = first;
		s->nevent = count;
	}
	return CSF_E_OK;
}

/* One element of "data": {traceID, spans, processes}. */
static enum csf_status
pull_jaeger_trace(struct pull *pl)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	struct jpending *pend = NULL;
	struct jproc *procs = NULL;
	size_t npend = 0, pend_alloc = 0, nprocs = 0, procs_alloc = 0, j = 0, kl, i, pos;
	const char *k;
	uint8_t tid[16];
	bool have_tid = false;
	enum csf_status st = CSF_E_OK;
	int c = csf_jp_peek(jp);

	pos = jp->pos;
	memset(tid, 0, sizeof(tid));
	if (c != '{')
		return pull_done(pl, pull_shape(pl, pos, NULL, "expected a trace object, got %s",
						pull_kind_name(c)));
	csf_jp_object(jp);
	while (!st && csf_jp_member(jp, j++, &k, &kl)) {
		csf_jp_peek(jp);
		pos = jp->pos;
		if (key_is(k, kl, "traceID")) {
			st = pull_id(pl, "traceID", tid, 16, &have_tid);
		} else if (key_is(k, kl, "spans")) {
			size_t si = 0;

			if (csf_jp_peek(jp) == 'n') {
				csf_jp_skip(jp);
				continue;
			}
			if (csf_jp_peek(jp) != '[') {
				st = pull_done(pl, pull_shape(pl, pos, "spans", "expected an array, got "
							      "%s", pull_kind_name(csf_jp_peek(jp))));
				break;
			}
			csf_jp_array(jp);
			while (!st && csf_jp_item(jp, si)) {
				int d = w->depth;

				walk_set(w, d, "spans", (int)si);
				st = pull_jaeger_span(pl, tid, have_tid, &pend, &npend, &pend_alloc);
				w->depth = d;
				si++;
			}
		} else if (key_is(k, kl, "processes")) {
			const char *pk;
			size_t pkl, q = 0;

			if (csf_jp_peek(jp) == 'n') {
				csf_jp_skip(jp);
				continue;
			}
			if (csf_jp_peek(jp) != '{') {
				st = pull_done(pl, pull_shape(pl, pos, "processes", "expected an object, "
							      "got %s", pull_kind_name(csf_jp_peek(jp))));
				break;
			}
			csf_jp_object(jp);
			while (!st && csf_jp_member(jp, q++, &pk, &pkl)) {
				CSF_GROW(procs, procs_alloc, nprocs + 1);
				procs[nprocs].key = csf_trace_str(w->set, pk, pkl);
				st = pull_jaeger_process(pl, &procs[nprocs].resource);
				nprocs++;
			}
		} else {
			csf_jp_skip(jp);
		}
	}
	if (!st && jp->failed)
		st = pull_syntax(pl);
	/* processIDs are interned, so a pointer comparison finds the process */
	for (i = 0; !st && i < npend; i++) {
		size_t p;

		for (p = 0; p < nprocs; p++) {
			if (procs[p].key == pend[i].pid) {
				struct csf_span *s = &w->set->traces[pend[i].trace].spans[pend[i].span];

				s->resource = procs[p].resource;
				s->service = w->set->resources[procs[p].resource].service;
				break;
			}
		}
	}
	free(pend);
	free(procs);
	return st;
}

/* {"data":[…], "errors":[{code,msg}]} */
static enum csf_status
pull_jaeger(struct pull *pl)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	const char *k, *t;
	size_t kl, j = 0, n, pos;
	enum csf_status st;
	int64_t err_code = 0;
	struct csf_buf err_msg = CSF_BUF_INIT;
	bool have_err = false;

	csf_jp_object(jp);
	while (csf_jp_member(jp, j++, &k, &kl)) {
		csf_jp_peek(jp);
		pos = jp->pos;
		if (key_is(k, kl, "data")) {
			size_t ti = 0;

			if (csf_jp_peek(jp) == 'n') {
				csf_jp_skip(jp);
				continue;
			}
			if (csf_jp_peek(jp) != '[') {
				csf_buf_release(&err_msg);
				walk_set(w, 0, "data", -1);
				w->depth = 0;
				return pull_done(pl, pull_shape(pl, pos, "data", "expected an array of "
								"traces, got %s",
								pull_kind_name(csf_jp_peek(jp))));
			}
			csf_jp_array(jp);
			while (csf_jp_item(jp, ti)) {
				walk_set(w, 0, "data", (int)ti);
				if ((st = pull_jaeger_trace(pl))) {
					csf_buf_release(&err_msg);
					return st;
				}
				ti++;
			}
			w->depth = 0;
		} else if (key_is(k, kl, "errors") && csf_jp_peek(jp) == '[') {
			size_t e = 0;

			csf_jp_array(jp);
			while (csf_jp_item(jp, e)) {
				const char *k2;
				size_t kl2, q = 0;

				if (e++ || csf_jp_peek(jp) != '{') {
					csf_jp_skip(jp);
					continue;
				}
				have_err = true;
				csf_jp_object(jp);
				while (csf_jp_member(jp, q++, &k2, &kl2)) {
					if (key_is(k2, kl2, "code")) {
						if (!pull_i64(pl, &err_code))
							csf_jp_skip(jp);
					} else if (key_is(k2, kl2, "msg") && csf_jp_peek(jp) == '"') {
						csf_jp_string(jp, &t, &n);
						csf_buf_add(&err_msg, t, n);
					} else {
						csf_jp_skip(jp);
					}
				}
			}
		} else {
			csf_jp_skip(jp);
		}
	}
	st = pull_done(pl, CSF_E_OK);
	if (!st && have_err) {
		struct csf_loc nowhere = { 0, 0 };

		st = csf_fail(w->err, err_code == 404 ? CSF_E_NOTFOUND : CSF_E_HTTP, w->name,
			      nowhere, "jaeger: %.200s (%d)", err_msg.len ? err_msg.buf : "error",
			      (int)err_code);
	}
	csf_buf_release(&err_msg);
	return st;
}

static uint32_t
zipkin_resource(struct walk *w, const char *svc, uint32_t first_res)
{
	uint32_t i;

	for (i = first_res; i < w->set->nresources; i++)
		if (!strcmp(w->set->resources[i].service, svc))
			return i;
	return named_resource(w, svc);
}

/* One Zipkin span. */
static enum csf_status
pull_zipkin_span(struct pull *pl, uint32_t first_res)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	struct csf_span tmp;
	struct csf_trace *t;
	struct csf_span *s;
	const char *k, *str, *local = NULL, *remote = NULL;
	size_t kl, j = 0, n, pos, span_pos;
	uint8_t tid[16], b8[8];
	bool have_tid = false, have_sid = false, have_ts = false, have_dur = false, present;
	uint32_t na = 0, attr_first = (uint32_t)w->set->nattrs, ev_first = 0, nev = 0;
	enum csf_status st;
	int c = csf_jp_peek(jp), lit;

	span_pos = jp->pos;
	if (c != '{')
		return pull_done(pl, pull_shape(pl, span_pos, NULL, "expected a span object, got %s",
						pull_kind_name(c)));
	memset(&tmp, 0, sizeof(tmp));
	tmp.name = tmp.status_msg = "";
	tmp.kind = CSF_SPAN_KIND_INTERNAL;	/* no kind: a local span */
	ev_first = (uint32_t)w->set->nevents;
	csf_jp_object(jp);
	while (csf_jp_member(jp, j++, &k, &kl)) {
		csf_jp_peek(jp);
		pos = jp->pos;
		if (key_is(k, kl, "traceId")) {
			if ((st = pull_id(pl, "traceId", tid, 16, &have_tid)))
				return st;
		} else if (key_is(k, kl, "id")) {
			if ((st = pull_id(pl, "id", b8, 8, &have_sid)))
				return st;
			tmp.id = id64(b8);
		} else if (key_is(k, kl, "parentId")) {
			if ((st = pull_id(pl, "parentId", b8, 8, &present)))
				return st;
			tmp.parent_id = id64(b8);
		} else if (key_is(k, kl, "name")) {
			if (csf_jp_peek(jp) == 'n') {
				csf_jp_skip(jp);
				continue;
			}
			if (csf_jp_peek(jp) != '"')
				return pull_done(pl, pull_shape(pl, pos, "name", "expected a string, "
						 "got %s", pull_kind_name(csf_jp_peek(jp))));
			csf_jp_string(jp, &str, &n);
			tmp.name = csf_trace_str(w->set, str, n);
		} else if (key_is(k, kl, "kind")) {
			bool ok;
			int kind = pull_enum(pl, "SPAN_KIND_", otlp_kinds, 6, &ok);

			if (!ok)
				return pull_done(pl, pull_shape(pl, pos, "kind", "expected a string, "
						 "got %s", pull_kind_name(csf_jp_peek(jp))));
			if (kind)
				tmp.kind = (uint8_t)kind;
		} else if (key_is(k, kl, "timestamp")) {
			if (!pull_us(pl, &tmp.start_ns))
				return pull_done(pl, pull_shape(pl, pos, "timestamp", "expected a "
						 "non-negative integer (microseconds)"));
			have_ts = true;
		} else if (key_is(k, kl, "duration")) {
			if (!pull_us(pl, &tmp.dur_ns))
				return pull_done(pl, pull_shape(pl, pos, "duration", "expected a "
						 "non-negative integer (microseconds)"));
			have_dur = true;
		} else if (key_is(k, kl, "shared")) {
			int c2 = csf_jp_peek(jp);

			if (c2 == 't' || c2 == 'f') {
				csf_jp_literal(jp, &lit);
				if (lit == 1)
					tmp.flags |= CSF_SPAN_F_SHARED;
			} else {
				csf_jp_skip(jp);
			}
		} else if ((key_is(k, kl, "localEndpoint") || key_is(k, kl, "remoteEndpoint")) &&
			   csf_jp_peek(jp) == '{') {
			bool is_local = k[0] == 'l';
			const char *k2;
			size_t kl2, q = 0;

			csf_jp_object(jp);
			while (csf_jp_member(jp, q++, &k2, &kl2)) {
				if (key_is(k2, kl2, "serviceName") && csf_jp_peek(jp) == '"') {
					csf_jp_string(jp, &str, &n);
					if (is_local)
						local = csf_trace_str(w->set, str, n);
					else
						remote = csf_trace_str(w->set, str, n);
				} else {
					csf_jp_skip(jp);
				}
			}
		} else if (key_is(k, kl, "localEndpoint")) {
			if (csf_jp_peek(jp) != 'n')
				return pull_done(pl, pull_shape(pl, pos, "localEndpoint", "expected an "
						 "object, got %s", pull_kind_name(csf_jp_peek(jp))));
			csf_jp_skip(jp);
		} else if (key_is(k, kl, "tags")) {
			const char *tk;
			size_t tkl, q = 0;

			if (csf_jp_peek(jp) == 'n') {
				csf_jp_skip(jp);
				continue;
			}
			if (csf_jp_peek(jp) != '{')
				return pull_done(pl, pull_shape(pl, pos, "tags", "expected an object, "
						 "got %s", pull_kind_name(csf_jp_peek(jp))));
			attr_first = (uint32_t)w->set->nattrs;
			na = 0;
			csf_jp_object(jp);
			while (csf_jp_member(jp, q++, &tk, &tkl)) {
				const char *key = csf_trace_str(w->set, tk, tkl);
				enum csf_attr_type type;
				uint32_t idx;

				pull_scalar_text(pl, &w->tmp, &type);
				idx = csf_trace_add_attr(w->set, key, tkl, w->tmp.buf, w->tmp.len,
							 CSF_ATTR_STR);
				apply_tag(w, &tmp, w->set->attrs[idx].key, w->set->attrs[idx].value,
					  w->tmp.len, true);
				na++;
			}
		} else if (key_is(k, kl, "annotations")) {
			size_t ai = 0;

			if (csf_jp_peek(jp) == 'n') {
				csf_jp_skip(jp);
				continue;
			}
			if (csf_jp_peek(jp) != '[')
				return pull_done(pl, pull_shape(pl, pos, "annotations", "expected an "
						 "array, got %s", pull_kind_name(csf_jp_peek(jp))));
			ev_first = (uint32_t)w->set->nevents;
			nev = 0;
			csf_jp_array(jp);
			while (csf_jp_item(jp, ai)) {
				struct csf_trace_event ev;
				const char *k2;
				size_t kl2, q = 0;

				memset(&ev, 0, sizeof(ev));
				ev.name = "";
				ev.attr = (uint32_t)w->set->nattrs;
				if (csf_jp_peek(jp) != '{') {
					csf_jp_skip(jp);
					ai++;
					continue;
				}
				csf_jp_object(jp);
				while (csf_jp_member(jp, q++, &k2, &kl2)) {
					if (key_is(k2, kl2, "timestamp")) {
						csf_jp_peek(jp);
						pos = jp->pos;
						if (!pull_us(pl, &ev.time_ns))
							return pull_done(pl, pull_shape(pl, pos,
								"annotations", "annotation %zu: timestamp "
								"is not an integer (microseconds)", ai));
					} else if (key_is(k2, kl2, "value") && csf_jp_peek(jp) == '"') {
						csf_jp_string(jp, &str, &n);
						ev.name = csf_trace_str(w->set, str, n);
					} else {
						csf_jp_skip(jp);
					}
				}
				CSF_GROW(w->set->events, w->set->events_alloc, w->set->nevents + 1);
				w->set->events[w->set->nevents++] = ev;
				nev++;
				ai++;
			}
		} else {
			csf_jp_skip(jp);
		}
	}
	if (jp->failed)
		return pull_syntax(pl);
	if (!have_tid)
		return pull_shape(pl, span_pos, "traceId", "missing id");
	if (!have_sid)
		return pull_shape(pl, span_pos, "id", "missing id");
	if (!have_ts || !have_dur)
		tmp.flags |= CSF_SPAN_F_NO_TIME;
	/* the remote service right after the tags, so the span's attributes stay contiguous */
	if (remote) {
		if (!na)
			attr_first = (uint32_t)w->set->nattrs;
		csf_trace_add_attr(w->set, "peer.service", 12, remote, strlen(remote), CSF_ATTR_STR);
		na++;
	}
	t = csf_trace_set_trace(w->set, tid);
	s = csf_trace_add_span(w->set, t);
	s->id = tmp.id;
	s->parent_id = tmp.parent_id;
	s->start_ns = tmp.start_ns;
	s->dur_ns = tmp.dur_ns;
	s->name = tmp.name;
	s->status_msg = tmp.status_msg;
	s->kind = tmp.kind;
	s->status = tmp.status;
	s->flags = tmp.flags;
	s->attr = attr_first;
	s->nattr = na;
	s->event = ev_first;
	s->nevent = nev;
	if (local) {
		uint32_t r = zipkin_resource(w, local, first_res);

		s = &t->spans[t->nspans - 1];
		s->resource = r;
		s->service = w->set->resources[r].service;
	}
	return CSF_E_OK;
}

/* [span…] or [[span…]…] */
static enum csf_status
pull_zipkin(struct pull *pl)
{
	struct csf_json_pull *jp = &pl->jp;
	struct walk *w = pl->w;
	uint32_t first_res = (uint32_t)w->set->nresources;
	size_t i = 0;
	enum csf_status st;

	csf_jp_array(jp);
	while (csf_jp_item(jp, i)) {
		if (csf_jp_peek(jp) == '[') {
			size_t k = 0;

			csf_jp_array(jp);
			while (csf_jp_item(jp, k)) {
				walk_set(w, 0, "", (int)i);
				walk_set(w, 1, "", (int)k);
				if ((st = pull_zipkin_span(pl, first_res)))
					return st;
				k++;
			}
		} else {
			walk_set(w, 0, "", (int)i);
			if ((st = pull_zipkin_span(pl, first_res)))
				return st;
		}
		i++;
	}
	w->depth = 0;
	return pull_done(pl, CSF_E_OK);
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

/* Formats read with cJSON (OTLP goes through the pull parser first). */
static enum csf_trace_format
detect(const cJSON *root)
{
	if (cJSON_IsArray(root))
		return CSF_TRACE_ZIPKIN;
	if (!cJSON_IsObject(root))
		return CSF_TRACE_AUTO;
	/* only reached for OTLP when another format was asked for: say which it is */
	if (cJSON_GetObjectItemCaseSensitive(root, "resourceSpans") ||
	    cJSON_GetObjectItemCaseSensitive(root, "batches"))
		return CSF_TRACE_OTLP;
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

static const char *
expected_text(enum csf_trace_format want)
{
	return want == CSF_TRACE_AUTO ?
		"OTLP/JSON (resourceSpans), Jaeger ({\"data\":[…]}), a Zipkin span array or a "
		"Tempo response" : csf_trace_format_name(want);
}

/* Only Tempo search responses are read with cJSON (they are small); other shapes reach here only
 * when the caller asked for a format the document is not, and get a clear message. */
static enum csf_status
parse_doc(struct walk *w, const cJSON *root, enum csf_trace_format want,
	  enum csf_trace_format *found)
{
	enum csf_trace_format f = detect(root);

	w->depth = 0;
	if (f == CSF_TRACE_AUTO || (want != CSF_TRACE_AUTO && f != want) ||
	    f != CSF_TRACE_TEMPO_SEARCH)
		return shape_error(w, NULL, "%s: expected %s", f == CSF_TRACE_AUTO ?
				   "not a trace document" : "wrong trace format",
				   expected_text(want));
	*found = f;
	return parse_tempo_search(w, root);
}

/* One document with cJSON, from *p; advances *p past it. */
static enum csf_status
parse_cjson_doc(struct walk *w, const char **p, const char *end, enum csf_trace_format fmt,
		enum csf_trace_format *f, int ndoc)
{
	const char *stop = NULL, *data = w->data;
	size_t len = w->len;
	cJSON *root = cJSON_ParseWithLengthOpts(*p, (size_t)(end - *p), &stop, 0);
	enum csf_status st;

	if (!root) {
		size_t off = stop ? (size_t)(stop - data) : (size_t)(*p - data);
		struct csf_json_pull jp;
		enum csf_status st2 = CSF_E_OK;

		/* cJSON's error offset is coarse (a truncated string is blamed on its opening
		 * quote): the pull tokenizer finds the exact place and says what is wrong */
		csf_jp_init(&jp, data, len);
		jp.pos = (size_t)(*p - data);
		if (!csf_jp_skip(&jp) && jp.failed)
			st2 = csf_fail(w->err, CSF_E_PARSE, w->name,
				       csf_text_loc(data, len, jp.err_pos), "%s%s",
				       jp.eof ? "" : "malformed JSON: ", jp.err);
		csf_jp_release(&jp);
		if (st2)
			return st2;
		if (off + 1 >= len || only_space(data + off + 1, end))
			/* point just past the last byte, like a compiler */
			return csf_fail(w->err, CSF_E_PARSE, w->name, csf_text_loc(data, len, len),
					"unexpected end of input (truncated JSON?)");
		return csf_fail(w->err, CSF_E_PARSE, w->name, csf_text_loc(data, len, off),
				"malformed JSON");
	}
	/* JSON Lines: error paths name the document */
	w->doc = ndoc > 0 || (stop && !only_space(stop, end)) ? ndoc + 1 : 0;
	st = parse_doc(w, root, fmt, f);
	cJSON_Delete(root);
	*p = stop ? stop : end;
	return st;
}

enum csf_status
csf_trace_parse(struct csf_trace_set *set, const char *name, const char *data, size_t len,
		enum csf_trace_format fmt, enum csf_trace_format *found, struct csf_error *err)
{
	struct walk w;
	struct pull pl;
	const char *p = data, *end = data + len, *nul;
	enum csf_trace_format f = CSF_TRACE_AUTO;
	enum csf_status st = CSF_E_OK;
	int ndoc = 0;

	memset(&w, 0, sizeof(w));
	w.set = set;
	w.name = name ? name : "<input>";
	w.err = err;
	w.tmp = (struct csf_buf)CSF_BUF_INIT;
	w.data = data;
	w.len = len;
	if (found)
		*found = CSF_TRACE_AUTO;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		p += 3;
	if (only_space(p, end))
		return csf_fail(err, CSF_E_PARSE, w.name, csf_text_loc(data, len, len),
				"empty input: expected a JSON trace document");
	/* cJSON skips NUL bytes as white space: refuse binary input here */
	nul = memchr(p, '\0', (size_t)(end - p));
	if (nul)
		return csf_fail(err, CSF_E_PARSE, w.name,
				csf_text_loc(data, len, (size_t)(nul - data)),
				"binary data (NUL byte) is not JSON");
	pl.w = &w;
	csf_jp_init(&pl.jp, data, len);
	while (p < end && !only_space(p, end)) {
		enum csf_trace_format kind = CSF_TRACE_AUTO;
		size_t doc_pos = (size_t)(p - data);
		int c;

		pl.jp.pos = doc_pos;
		pl.jp.depth = 0;
		w.depth = 0;
		w.doc = ndoc ? ndoc + 1 : 0;
		c = csf_jp_peek(&pl.jp);
		if (c == '{' && (fmt == CSF_TRACE_AUTO || fmt == CSF_TRACE_OTLP ||
				 fmt == CSF_TRACE_JAEGER)) {
			if ((st = pull_document(&pl, &kind)))
				break;
			if (kind == CSF_TRACE_JAEGER && fmt != CSF_TRACE_OTLP) {
				pl.jp.pos = doc_pos;
				pl.jp.depth = 0;
				if ((st = pull_jaeger(&pl)))
					break;
			}
			if (kind == CSF_TRACE_OTLP && fmt == CSF_TRACE_JAEGER) {
				st = shape_error(&w, NULL, "wrong trace format: expected jaeger");
				break;
			}
		} else if (c == '[' && (fmt == CSF_TRACE_AUTO || fmt == CSF_TRACE_ZIPKIN)) {
			kind = CSF_TRACE_ZIPKIN;
			if ((st = pull_zipkin(&pl)))
				break;
		}
		if (kind == CSF_TRACE_OTLP || (kind == CSF_TRACE_JAEGER && fmt != CSF_TRACE_OTLP) ||
		    kind == CSF_TRACE_ZIPKIN) {
			f = kind;
			p = data + pl.jp.pos;
		} else {
			/* Tempo search, or a format other than the one asked for */
			if (fmt == CSF_TRACE_OTLP) {
				w.loc = csf_text_loc(data, len, doc_pos);
				st = shape_error(&w, NULL, "wrong trace format: expected otlp");
				break;
			}
			st = parse_cjson_doc(&w, &p, end, fmt, &f, ndoc);
			if (st)
				break;
		}
		if (found && *found == CSF_TRACE_AUTO)
			*found = f;
		ndoc++;
	}
	csf_jp_release(&pl.jp);
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
