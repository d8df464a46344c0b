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

/* One document at jp's position. *is_otlp tells whether it had an OTLP member at all; when it
 * did not, nothing was added and the caller tries the other formats. */
static enum csf_status
pull_document(struct pull *pl, bool *is_otlp)
{
	struct csf_json_pull *jp = &pl->jp;
	const char *k;
	size_t kl, j = 0;
	enum csf_status st;

	*is_otlp = false;
	if (csf_jp_peek(jp) != '{')
		return CSF_E_OK;
	csf_jp_object(jp);
	while (csf_jp_member(jp, j++, &k, &kl)) {
		if (key_is(k, kl, "resourceSpans") || key_is(k, kl, "batches")) {
			*is_otlp = true;
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
					*is_otlp = true;
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
		uint32_t rix = named_resource(w, svc);

		if ((st = jaeger_tags(w, cJSON_GetObjectItemCaseSensitive(proc, "tags"),
				      "process.tags", NULL, &n)))
			return st;
		w->set->resources[rix].nattr += n;
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
			procs[nprocs].resource = named_resource(w, svc);
			if ((st = jaeger_tags(w, cJSON_GetObjectItemCaseSensitive(p, "tags"),
					      p->string ? p->string : "tags", NULL, &n)))
				break;
			w->set->resources[procs[nprocs].resource].nattr += n;
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
	return named_resource(w, svc);
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

static enum csf_status
parse_doc(struct walk *w, const cJSON *root, enum csf_trace_format want,
	  enum csf_trace_format *found)
{
	enum csf_trace_format f = detect(root);

	w->depth = 0;
	if (f == CSF_TRACE_AUTO || (want != CSF_TRACE_AUTO && f != want))
		return shape_error(w, NULL, "%s: expected %s", f == CSF_TRACE_AUTO ?
				   "not a trace document" : "wrong trace format",
				   expected_text(want));
	*found = f;
	switch (f) {
	case CSF_TRACE_JAEGER:
		return parse_jaeger(w, root);
	case CSF_TRACE_ZIPKIN:
		return parse_zipkin(w, root);
	case CSF_TRACE_TEMPO_SEARCH:
		return parse_tempo_search(w, root);
	default:
		break;
	}
	return CSF_E_PARSE;
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
		bool otlp = false;

		pl.jp.pos = (size_t)(p - data);
		pl.jp.depth = 0;
		if ((fmt == CSF_TRACE_AUTO || fmt == CSF_TRACE_OTLP) && csf_jp_peek(&pl.jp) == '{') {
			w.doc = ndoc ? ndoc + 1 : 0;
			st = pull_document(&pl, &otlp);
			if (st)
				break;
			if (otlp) {
				f = CSF_TRACE_OTLP;
				p = data + pl.jp.pos;
			}
		}
		if (!otlp) {
			if (fmt == CSF_TRACE_OTLP) {
				w.depth = 0;
				w.loc = csf_text_loc(data, len, (size_t)(p - data));
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
