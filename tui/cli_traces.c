/* csf-tui --headless traces: list, show, filter and compare traces from files or a Jaeger,
 * Tempo or Zipkin query API (DESIGN §9). Every string that comes from a trace is sanitized
 * before it is printed (core/sanitize.h). */
#include "tui/cli.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/http.h"
#include "core/sanitize.h"
#include "core/status.h"
#include "core/trace.h"
#include "core/trace_parse.h"
#include "core/trace_source.h"
#include "core/workspace.h"
#include "core/yaml_model.h"

#define TRACES_USAGE \
	"traces [--source SPEC] [--service S] [--operation O]\n" \
	"                [--trace ID [--compare ID2 | --span SPANID]]\n" \
	"                [--filter K=V]... [--highlight] [--critical-path] [--format tree|json]\n" \
	"                [--min-duration D] [--max-duration D] [--limit N] [--lookback DUR]\n" \
	"                [--width N] [--ascii]"

#define TRACES_HELP \
	"Without --trace: lists the traces of the source (newest first). With --trace: the span\n" \
	"tree with duration, self time, a waterfall bar, errors (!) and the critical path (*).\n" \
	"  --source SPEC     file:PATH (a file or a folder of .json/.jsonl), jaeger:URL,\n" \
	"                    tempo:URL or zipkin:URL; default: csf.yaml cluster.traces, then\n" \
	"                    the workspace's traces/ folder, then samples/traces\n" \
	"  --filter K=V      span filter, repeatable (ANDed): tenantId=..., agentId~sub,\n" \
	"                    status=error, duration>100ms, self>=5ms, service=..., name~...,\n" \
	"                    kind=client, k!=v; hides other spans (ancestors stay) or marks\n" \
	"                    matches with --highlight; in a list, keeps traces with a match\n" \
	"  --critical-path   show only the spans on the critical path\n" \
	"  --compare ID2     compare --trace ID (A) with ID2 (B) by service+operation path\n" \
	"  --span SPANID     details of one span: times, attributes, resource, events\n" \
	"Exit status: 0 ok, 1 --compare found differences, 2 usage, I/O, parse or HTTP error.\n"

#define MAX_INDENT 40

struct traces_opts {
	const char *source, *service, *operation, *trace, *compare, *format, *span;
	struct csf_trace_filter filter;
	struct csf_buf tags;		/* attribute = conditions, sent to the backend */
	bool highlight, critical_only, ascii, json;
	unsigned limit, width;
	int64_t lookback_ns;
	int64_t min_dur_ns, max_dur_ns;	/* whole-trace duration bounds for the search */
};

/* ==== output helpers ========================================================================= */

/* Appends s sanitized for a terminal. */
static void
put_s(struct csf_buf *o, const struct traces_opts *op, const char *s)
{
	csf_sanitize_buf(o, s, strlen(s), op->ascii ? CSF_SAN_ASCII : 0);
}

/* Appends s as a JSON string, sanitized (controls and escapes never reach a terminal). */
static void
put_js(struct csf_buf *o, const char *s)
{
	struct csf_buf tmp = CSF_BUF_INIT;

	csf_sanitize_buf(&tmp, s, strlen(s), CSF_SAN_KEEP_NL | CSF_SAN_KEEP_TAB);
	csf_buf_add_json_str(o, tmp.buf);
	csf_buf_release(&tmp);
}

static void
put_time(struct csf_buf *o, int64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000);
	struct tm tm;
	char tmp[40];

	gmtime_r(&sec, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	csf_buf_addf(o, "%s.%03lldZ", tmp, (long long)(ns % 1000000000 / 1000000));
}

static void
put_dur(struct csf_buf *o, const struct traces_opts *op, int64_t ns, int width)
{
	char d[32];

	csf_duration_str(ns, op->ascii, d);
	/* µ is 2 bytes but one column */
	csf_buf_addf(o, "%*s", width + (strstr(d, "\xC2\xB5") ? 1 : 0), d);
}

static void
put_span_label(struct csf_buf *o, const struct traces_opts *op, const struct csf_span *s)
{
	if (s->service[0]) {
		put_s(o, op, s->service);
		csf_buf_addstr(o, ": ");
	}
	put_s(o, op, s->name[0] ? s->name : "(no name)");
}

static void
flush(struct csf_buf *o)
{
	fwrite(o->buf, 1, o->len, stdout);
	csf_buf_reset(o);
}

/* ==== tree ================================================================================== */

static bool
visible(const struct traces_opts *op, const struct csf_span *s)
{
	if (s->flags & CSF_SPAN_F_HIDDEN)
		return false;
	return !op->critical_only || (s->flags & CSF_SPAN_F_CRITICAL);
}

static void
put_bar(struct csf_buf *o, const struct traces_opts *op, const struct csf_trace *t,
	const struct csf_span *s)
{
	int64_t span = t->end_ns - t->start_ns;
	unsigned w = op->width, a, b, i;
	const char *fill;

	if (s->flags & CSF_SPAN_F_NO_TIME || span <= 0) {
		a = 0;
		b = s->flags & CSF_SPAN_F_NO_TIME ? 0 : w;
	} else {
		double fa = (double)(s->start_ns - t->start_ns) * w / (double)span;
		/* in double: start + duration may not fit int64 in hostile data */
		double fb = ((double)s->start_ns - (double)t->start_ns + (double)s->dur_ns) * w /
			    (double)span;

		a = fa < 0 ? 0 : fa > w ? w : (unsigned)fa;
		b = fb > w ? w : fb < 0 ? 0 : (unsigned)(fb + 0.999999);
		if (b <= a)
			b = a < w ? a + 1 : w;	/* every span shows at least one cell */
		if (b > w) {
			a = w - 1;
			b = w;
		}
	}
	if (s->status == CSF_SPAN_ERROR)
		fill = op->ascii ? "!" : "\xE2\x96\x93";	/* ▓ */
	else if (s->flags & CSF_SPAN_F_CRITICAL)
		fill = op->ascii ? "#" : "\xE2\x96\x88";	/* █ */
	else
		fill = op->ascii ? "=" : "\xE2\x96\x92";	/* ▒ */
	csf_buf_addch(o, '|');
	for (i = 0; i < w; i++)
		csf_buf_addstr(o, i >= a && i < b ? fill : " ");
	csf_buf_addch(o, '|');
}

/* Is x the last visible child of its parent (or the last visible root)? */
static bool
last_visible(const struct traces_opts *op, const struct csf_trace *t, uint32_t x)
{
	const struct csf_span *s = &t->spans[x];
	const uint32_t *list = s->parent == CSF_SPAN_NONE ? t->roots :
		t->kids + t->spans[s->parent].kid;
	size_t n = s->parent == CSF_SPAN_NONE ? t->nroots : t->spans[s->parent].nkid, i;
	bool after = false;

	for (i = 0; i < n; i++) {
		if (list[i] == x)
			after = true;
		else if (after && visible(op, &t->spans[list[i]]))
			return false;
	}
	return true;
}

static void
print_tree(struct csf_buf *o, const struct traces_opts *op, const struct csf_trace *t)
{
	char hex[33], idb[17];
	bool more[MAX_INDENT + 1];	/* more[d]: the ancestor at depth d has later siblings */
	size_t i, nvis = 0, ncrit = 0, nmatch = 0, nsvc = 0;
	const char **svcs = NULL;
	size_t svcs_alloc = 0;
	struct csf_trace_summary sm;

	csf_trace_summarize(t, &sm);
	for (i = 0; i < t->nspans; i++) {
		const struct csf_span *s = &t->spans[i];
		size_t k;

		if (s->flags & CSF_SPAN_F_CRITICAL)
			ncrit++;
		if (s->flags & CSF_SPAN_F_MATCH)
			nmatch++;
		for (k = 0; k < nsvc && svcs[k] != s->service; k++)
			;
		if (k == nsvc) {
			CSF_GROW(svcs, svcs_alloc, nsvc + 1);
			svcs[nsvc++] = s->service;
		}
	}
	free(svcs);
	csf_buf_addf(o, "trace %s  ", csf_trace_id_hex(t->id, hex));
	if (t->nroots)
		put_span_label(o, op, &t->spans[t->roots[0]]);
	csf_buf_addstr(o, "\nstart ");
	put_time(o, t->start_ns);
	csf_buf_addstr(o, "  duration ");
	put_dur(o, op, t->end_ns - t->start_ns, 0);
	csf_buf_addf(o, "  spans %zu  services %zu  errors %zu  critical path %zu spans", t->nspans,
		     nsvc, t->nerrors, ncrit);
	if (op->filter.n)
		csf_buf_addf(o, "  matches %zu", nmatch);
	csf_buf_addch(o, '\n');
	if (t->norphans || t->ncycles || t->ndups)
		csf_buf_addf(o, "note: %zu orphan span(s) shown as roots, %zu parent cycle(s) broken, "
			     "%zu duplicate span id(s)\n", t->norphans, t->ncycles, t->ndups);
	csf_buf_addf(o, "\n     DURATION      SELF  %-*s  SPAN\n", (int)op->width + 2, "WATERFALL");
	for (i = 0; i < t->nspans; i++) {
		uint32_t x = t->order[i];
		const struct csf_span *s = &t->spans[x];
		unsigned d, depth = s->depth;

		if (!visible(op, s))
			continue;
		nvis++;
		csf_buf_addch(o, s->flags & CSF_SPAN_F_CRITICAL ? '*' : ' ');
		csf_buf_addch(o, s->status == CSF_SPAN_ERROR ? '!' : ' ');
		csf_buf_addch(o, op->filter.n && (s->flags & CSF_SPAN_F_MATCH) ? '>' : ' ');
		put_dur(o, op, s->dur_ns, 10);
		put_dur(o, op, s->self_ns, 10);
		csf_buf_addstr(o, "  ");
		put_bar(o, op, t, s);
		csf_buf_addstr(o, "  ");
		if (depth > MAX_INDENT) {
			csf_buf_addf(o, "[depth %u] ", depth);
		} else {
			for (d = 1; d < depth; d++)
				csf_buf_addstr(o, more[d] ? (op->ascii ? "|  " : "\xE2\x94\x82  ") :
					       "   ");
			if (depth) {
				bool last = last_visible(op, t, x);

				csf_buf_addstr(o, op->ascii ? (last ? "`- " : "|- ") :
					       last ? "\xE2\x94\x94\xE2\x94\x80 " :
					       "\xE2\x94\x9C\xE2\x94\x80 ");
				more[depth] = !last;
			}
		}
		put_span_label(o, op, s);
		if (s->status == CSF_SPAN_ERROR) {
			csf_buf_addstr(o, "  [error");
			if (s->status_msg[0]) {
				csf_buf_addstr(o, ": ");
				put_s(o, op, s->status_msg);
			}
			csf_buf_addch(o, ']');
		}
		if (s->flags & CSF_SPAN_F_ORPHAN)
			csf_buf_addf(o, "  [orphan: parent %s missing]",
				     csf_span_id_hex(s->parent_id, idb));
		if (s->flags & CSF_SPAN_F_CYCLE)
			csf_buf_addstr(o, "  [parent cycle cut here]");
		if (s->flags & CSF_SPAN_F_DUPLICATE)
			csf_buf_addf(o, "  [duplicate span id %s]", csf_span_id_hex(s->id, idb));
		if (s->flags & CSF_SPAN_F_NO_TIME)
			csf_buf_addstr(o, "  [incomplete: no start or end time]");
		csf_buf_addch(o, '\n');
		if (o->len > 65536)
			flush(o);
	}
	if (!nvis)
		csf_buf_addstr(o, "  (no span matches the filter)\n");
	csf_buf_addf(o, "\n* critical path  ! error%s  bar: ", op->filter.n ? "  > filter match" : "");
	csf_buf_addstr(o, op->ascii ? "# critical  = other  ! error" :
		       "\xE2\x96\x88 critical  \xE2\x96\x92 other  \xE2\x96\x93 error");
	csf_buf_addch(o, '\n');
}

/* ==== span details ========================================================================== */

static int report(const struct csf_error *err);

static void
put_attrs_text(struct csf_buf *o, const struct traces_opts *op, const struct csf_trace_set *set,
	       uint32_t first, uint32_t n, const char *indent)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		const struct csf_trace_attr *a = &set->attrs[first + i];

		csf_buf_addstr(o, indent);
		put_s(o, op, a->key);
		csf_buf_addstr(o, " = ");
		put_s(o, op, a->value);
		csf_buf_addch(o, '\n');
	}
	if (!n) {
		csf_buf_addstr(o, indent);
		csf_buf_addstr(o, "(none)\n");
	}
}

/* Every span with the id (a Zipkin client/server pair shares one). */
static int
print_span(struct csf_buf *o, const struct traces_opts *op, const struct csf_trace_set *set,
	   const struct csf_trace *t, const char *id_text)
{
	uint8_t b8[8];
	uint64_t id = 0;
	size_t i, found = 0;
	int k;

	if (!csf_trace_id_parse(id_text, strlen(id_text), b8, 8) ||
	    strspn(id_text, "0123456789abcdefABCDEF") != strlen(id_text))
		return cli_usage_error("traces: '%.64s' is not a span id (16 hex digits)", id_text);
	for (k = 0; k < 8; k++)
		id = id << 8 | b8[k];
	for (i = 0; i < t->nspans; i++) {
		const struct csf_span *s = &t->spans[t->order[i]];
		char idb[17], d[32];
		uint32_t e;

		if (s->id != id)
			continue;
		if (found++)
			csf_buf_addch(o, '\n');
		csf_buf_addf(o, "span      %s", csf_span_id_hex(s->id, idb));
		if (s->parent_id)
			csf_buf_addf(o, "  parent %s", csf_span_id_hex(s->parent_id, idb));
		csf_buf_addstr(o, "\nname      ");
		put_span_label(o, op, s);
		csf_buf_addf(o, "\nkind      %s\nstatus    %s", csf_span_kind_name(s->kind),
			     csf_span_status_name(s->status));
		if (s->status_msg[0]) {
			csf_buf_addstr(o, ": ");
			put_s(o, op, s->status_msg);
		}
		csf_buf_addstr(o, "\nstart     ");
		put_time(o, s->start_ns);
		csf_buf_addf(o, " (+%s)", csf_duration_str(s->start_ns - t->start_ns, op->ascii, d));
		csf_buf_addf(o, "\nduration  %s", csf_duration_str(s->dur_ns, op->ascii, d));
		csf_buf_addf(o, "  self %s", csf_duration_str(s->self_ns, op->ascii, d));
		csf_buf_addf(o, "%s%s\nattributes\n", s->flags & CSF_SPAN_F_CRITICAL ?
			     "  on the critical path" : "", s->status == CSF_SPAN_ERROR ? "  error" : "");
		put_attrs_text(o, op, set, s->attr, s->nattr, "  ");
		csf_buf_addstr(o, "resource\n");
		if (s->resource != CSF_SPAN_NONE)
			put_attrs_text(o, op, set, set->resources[s->resource].attr,
				       set->resources[s->resource].nattr, "  ");
		else
			csf_buf_addstr(o, "  (none)\n");
		csf_buf_addstr(o, "events\n");
		for (e = 0; e < s->nevent; e++) {
			const struct csf_trace_event *ev = &set->events[s->event + e];

			csf_buf_addf(o, "  +%s  ", csf_duration_str(ev->time_ns - s->start_ns,
								      op->ascii, d));
			put_s(o, op, ev->name[0] ? ev->name : "(no name)");
			csf_buf_addch(o, '\n');
			put_attrs_text(o, op, set, ev->attr, ev->nattr, "      ");
		}
		if (!s->nevent)
			csf_buf_addstr(o, "  (none)\n");
	}
	if (!found) {
		struct csf_loc nowhere = { 0, 0 };
		struct csf_error err = CSF_ERROR_INIT;

		csf_fail(&err, CSF_E_NOTFOUND, NULL, nowhere, "trace has no span %.64s", id_text);
		return report(&err);
	}
	return CLI_OK;
}

/* ==== JSON ================================================================================== */

/* A JSON number as RFC 8259 spells it. */
static bool
json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return false;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return !*s;
}

static void
put_attrs_json(struct csf_buf *o, const struct csf_trace_set *set, uint32_t first, uint32_t n)
{
	uint32_t i;

	csf_buf_addch(o, '{');
	for (i = 0; i < n; i++) {
		const struct csf_trace_attr *a = &set->attrs[first + i];

		if (i)
			csf_buf_addch(o, ',');
		put_js(o, a->key);
		csf_buf_addch(o, ':');
		switch (a->type) {
		case CSF_ATTR_INT:
		case CSF_ATTR_DOUBLE:
			if (json_number(a->value))
				csf_buf_addstr(o, a->value);
			else
				put_js(o, a->value);	/* "NaN", or a mistyped tag */
			break;
		case CSF_ATTR_BOOL:
			if (!strcmp(a->value, "true") || !strcmp(a->value, "false"))
				csf_buf_addstr(o, a->value);
			else
				put_js(o, a->value);
			break;
		case CSF_ATTR_ARRAY:
		case CSF_ATTR_KVLIST:
			/* compact JSON built by the parser; sanitize raw non-ASCII bytes in it */
			csf_sanitize_buf(o, a->value, strlen(a->value), 0);
			break;
		default:
			put_js(o, a->value);
			break;
		}
	}
	csf_buf_addch(o, '}');
}

static void
put_trace_json(struct csf_buf *o, const struct traces_opts *op, const struct csf_trace_set *set,
	       const struct csf_trace *t)
{
	char hex[33], idb[17];
	struct csf_trace_summary sm;
	size_t i, first = 1;

	csf_trace_summarize(t, &sm);
	csf_buf_addf(o, "{\"traceId\":\"%s\",\"rootService\":", csf_trace_id_hex(t->id, hex));
	put_js(o, sm.root_service);
	csf_buf_addstr(o, ",\"rootName\":");
	put_js(o, sm.root_name);
	csf_buf_addstr(o, ",\"start\":\"");
	put_time(o, t->start_ns);
	csf_buf_addf(o, "\",\"startUnixNano\":\"%lld\",\"durationNs\":%lld,\"spanCount\":%zu,"
		     "\"errorCount\":%zu,\"orphans\":%zu,\"cyclesBroken\":%zu,\"duplicateIds\":%zu,"
		     "\"spans\":[", (long long)t->start_ns, (long long)(t->end_ns - t->start_ns),
		     t->nspans, t->nerrors, t->norphans, t->ncycles, t->ndups);
	for (i = 0; i < t->nspans; i++) {
		const struct csf_span *s = &t->spans[t->order[i]];
		uint32_t e;

		if (!visible(op, s))
			continue;
		if (!first)
			csf_buf_addch(o, ',');
		first = 0;
		csf_buf_addf(o, "\n {\"spanId\":\"%s\",", csf_span_id_hex(s->id, idb));
		if (s->parent_id)
			csf_buf_addf(o, "\"parentSpanId\":\"%s\",", csf_span_id_hex(s->parent_id, idb));
		csf_buf_addstr(o, "\"service\":");
		put_js(o, s->service);
		csf_buf_addstr(o, ",\"name\":");
		put_js(o, s->name);
		csf_buf_addf(o, ",\"kind\":\"%s\",\"status\":\"%s\",",
			     csf_span_kind_name(s->kind), csf_span_status_name(s->status));
		if (s->status_msg[0]) {
			csf_buf_addstr(o, "\"statusMessage\":");
			put_js(o, s->status_msg);
			csf_buf_addch(o, ',');
		}
		csf_buf_addf(o, "\"startUnixNano\":\"%lld\",\"durationNs\":%lld,\"selfNs\":%lld,"
			     "\"depth\":%u,\"critical\":%s", (long long)s->start_ns,
			     (long long)s->dur_ns, (long long)s->self_ns, s->depth,
			     s->flags & CSF_SPAN_F_CRITICAL ? "true" : "false");
		if (op->filter.n)
			csf_buf_addf(o, ",\"match\":%s", s->flags & CSF_SPAN_F_MATCH ?
				     "true" : "false");
		if (s->flags & CSF_SPAN_F_ORPHAN)
			csf_buf_addstr(o, ",\"orphan\":true");
		if (s->flags & CSF_SPAN_F_CYCLE)
			csf_buf_addstr(o, ",\"cycleBroken\":true");
		if (s->flags & CSF_SPAN_F_DUPLICATE)
			csf_buf_addstr(o, ",\"duplicateId\":true");
		csf_buf_addstr(o, ",\"attributes\":");
		put_attrs_json(o, set, s->attr, s->nattr);
		if (s->resource != CSF_SPAN_NONE) {
			csf_buf_addstr(o, ",\"resource\":");
			put_attrs_json(o, set, set->resources[s->resource].attr,
				       set->resources[s->resource].nattr);
		}
		csf_buf_addstr(o, ",\"events\":[");
		for (e = 0; e < s->nevent; e++) {
			const struct csf_trace_event *ev = &set->events[s->event + e];

			csf_buf_addf(o, "%s{\"timeUnixNano\":\"%lld\",\"name\":", e ? "," : "",
				     (long long)ev->time_ns);
			put_js(o, ev->name);
			csf_buf_addstr(o, ",\"attributes\":");
			put_attrs_json(o, set, ev->attr, ev->nattr);
			csf_buf_addch(o, '}');
		}
		csf_buf_addstr(o, "]}");
		if (o->len > 65536)
			flush(o);
	}
	csf_buf_addstr(o, "]}");
}

/* ==== list ================================================================================== */

static void
put_summary_text(struct csf_buf *o, const struct traces_opts *op,
		 const struct csf_trace_summary *sm, bool counts)
{
	char hex[33];

	csf_buf_addf(o, "%-32s  ", csf_trace_id_hex(sm->id, hex));
	put_time(o, sm->start_ns);
	put_dur(o, op, sm->dur_ns, 10);
	if (counts)
		csf_buf_addf(o, "  %6u  %6u  ", sm->nspans, sm->nerrors);
	else
		csf_buf_addstr(o, "       -       -  ");
	if (sm->root_service[0]) {
		put_s(o, op, sm->root_service);
		csf_buf_addstr(o, ": ");
	}
	put_s(o, op, sm->root_name);
	csf_buf_addch(o, '\n');
}

static void
put_summary_json(struct csf_buf *o, const struct csf_trace_summary *sm, bool counts)
{
	char hex[33];

	csf_buf_addf(o, "{\"traceId\":\"%s\",\"rootService\":", csf_trace_id_hex(sm->id, hex));
	put_js(o, sm->root_service);
	csf_buf_addstr(o, ",\"rootName\":");
	put_js(o, sm->root_name);
	csf_buf_addstr(o, ",\"start\":\"");
	put_time(o, sm->start_ns);
	csf_buf_addf(o, "\",\"durationNs\":%lld", (long long)sm->dur_ns);
	if (counts)
		csf_buf_addf(o, ",\"spanCount\":%u,\"errorCount\":%u", sm->nspans, sm->nerrors);
	csf_buf_addch(o, '}');
}

static int
cmp_newest(const void *pa, const void *pb)
{
	const struct csf_trace_summary *a = pa, *b = pb;

	if (a->start_ns != b->start_ns)
		return a->start_ns > b->start_ns ? -1 : 1;
	return memcmp(a->id, b->id, 16);
}

static int
print_list(const struct traces_opts *op, struct csf_trace_set *set)
{
	struct csf_trace_summary *sums;
	struct csf_buf o = CSF_BUF_INIT;
	size_t i, n = 0;
	bool *keep = calloc(set->ntraces + 1, sizeof(*keep));

	if (!keep)
		return cli_usage_error("out of memory");
	/* client-side filters: a trace is listed when one of its spans matches */
	for (i = 0; i < set->ntraces; i++)
		keep[i] = csf_trace_filter_apply(&op->filter, set, &set->traces[i], false) > 0;
	csf_trace_set_keep(set, keep);
	free(keep);
	if (op->json)
		csf_buf_addstr(&o, "{\"traces\":[");
	else
		csf_buf_addf(&o, "%-32s  %-24s  %8s  %6s  %6s  %s\n", "TRACE", "START", "DURATION",
			     "SPANS", "ERRORS", "ROOT");
	/* newest first, like the backends' search results */
	sums = calloc(set->ntraces + set->nsummaries + 1, sizeof(*sums));
	if (!sums)
		return cli_usage_error("out of memory");
	for (i = 0; i < set->ntraces; i++)
		csf_trace_summarize(&set->traces[i], &sums[i]);
	qsort(sums, set->ntraces, sizeof(*sums), cmp_newest);
	for (i = 0; i < set->ntraces; i++, n++) {
		if (op->json) {
			csf_buf_addstr(&o, n ? ",\n " : "\n ");
			put_summary_json(&o, &sums[i], true);
		} else {
			put_summary_text(&o, op, &sums[i], true);
		}
	}
	free(sums);
	for (i = 0; i < set->nsummaries; i++, n++) {
		if (op->json) {
			csf_buf_addstr(&o, n ? ",\n " : "\n ");
			put_summary_json(&o, &set->summaries[i], false);
		} else {
			put_summary_text(&o, op, &set->summaries[i], false);
		}
	}
	if (op->json)
		csf_buf_addstr(&o, "\n]}\n");
	else if (!n)
		csf_buf_addstr(&o, "(no traces match)\n");
	flush(&o);
	csf_buf_release(&o);
	return CLI_OK;
}

/* ==== compare =============================================================================== */

static int
print_compare(const struct traces_opts *op, const struct csf_trace *a, const struct csf_trace *b)
{
	static const char *const names[] = { "same", "slower", "faster", "added", "removed" };
	struct csf_trace_diff d = CSF_TRACE_DIFF_INIT;
	struct csf_buf o = CSF_BUF_INIT;
	char ha[33], hb[33];
	size_t i;
	bool changed;

	/* 1 ms and 10 %: smaller moves are noise between two runs of the same flow */
	csf_trace_compare(a, b, 1000000, 10.0, &d);
	changed = d.nslower || d.nfaster || d.nadded || d.nremoved;
	if (op->json) {
		csf_buf_addf(&o, "{\"a\":\"%s\",\"b\":\"%s\",\"same\":%zu,\"slower\":%zu,"
			     "\"faster\":%zu,\"added\":%zu,\"removed\":%zu,\"spans\":[",
			     csf_trace_id_hex(a->id, ha), csf_trace_id_hex(b->id, hb), d.nsame,
			     d.nslower, d.nfaster, d.nadded, d.nremoved);
	} else {
		csf_buf_addf(&o, "compare A %s (", csf_trace_id_hex(a->id, ha));
		put_dur(&o, op, a->end_ns - a->start_ns, 0);
		csf_buf_addf(&o, ") with B %s (", csf_trace_id_hex(b->id, hb));
		put_dur(&o, op, b->end_ns - b->start_ns, 0);
		csf_buf_addf(&o, ")\n%zu same, %zu slower, %zu faster, %zu added, %zu removed "
			     "(slower/faster: at least 1ms and 10%%)\n\n", d.nsame, d.nslower,
			     d.nfaster, d.nadded, d.nremoved);
		csf_buf_addf(&o, "%-8s %10s %10s %10s  SPAN\n", "CHANGE", "A", "B", "DELTA");
	}
	for (i = 0; i < d.n; i++) {
		const struct csf_trace_diff_entry *e = &d.e[i];
		const struct csf_span *sa = e->a != CSF_SPAN_NONE ? &a->spans[e->a] : NULL;
		const struct csf_span *sb = e->b != CSF_SPAN_NONE ? &b->spans[e->b] : NULL;
		const struct csf_span *s = sb ? sb : sa;
		unsigned k;

		if (op->json) {
			csf_buf_addf(&o, "%s\n {\"change\":\"%s\",\"service\":", i ? "," : "",
				     names[e->kind]);
			put_js(&o, s->service);
			csf_buf_addstr(&o, ",\"name\":");
			put_js(&o, s->name);
			csf_buf_addf(&o, ",\"depth\":%u", s->depth);
			if (sa)
				csf_buf_addf(&o, ",\"aNs\":%lld", (long long)sa->dur_ns);
			if (sb)
				csf_buf_addf(&o, ",\"bNs\":%lld", (long long)sb->dur_ns);
			if (sa && sb)
				csf_buf_addf(&o, ",\"deltaNs\":%lld", (long long)e->delta_ns);
			csf_buf_addch(&o, '}');
			continue;
		}
		csf_buf_addf(&o, "%-8s ", names[e->kind]);
		if (sa)
			put_dur(&o, op, sa->dur_ns, 10);
		else
			csf_buf_addf(&o, "%10s", "-");
		csf_buf_addch(&o, ' ');
		if (sb)
			put_dur(&o, op, sb->dur_ns, 10);
		else
			csf_buf_addf(&o, "%10s", "-");
		csf_buf_addch(&o, ' ');
		if (sa && sb) {
			char tmp[33];

			csf_duration_str(e->delta_ns, op->ascii, tmp + 1);
			tmp[0] = '+';
			csf_buf_addf(&o, "%*s", 10 + (strstr(tmp, "\xC2\xB5") ? 1 : 0),
				     e->delta_ns > 0 ? tmp : tmp + 1);
		} else {
			csf_buf_addf(&o, "%10s", "");
		}
		csf_buf_addstr(&o, "  ");
		for (k = 0; k < s->depth && k < MAX_INDENT; k++)
			csf_buf_addstr(&o, "  ");
		put_span_label(&o, op, s);
		csf_buf_addch(&o, '\n');
	}
	if (op->json)
		csf_buf_addstr(&o, "\n]}\n");
	flush(&o);
	csf_buf_release(&o);
	csf_trace_diff_release(&d);
	return changed ? CLI_FOUND : CLI_OK;
}

/* ==== source resolution ===================================================================== */

static int
report(const struct csf_error *err)
{
	char msg[700];
	struct csf_buf clean = CSF_BUF_INIT;

	csf_error_format(err, msg, sizeof(msg));
	csf_sanitize_buf(&clean, msg, strlen(msg), 0);
	fprintf(stderr, "csf-tui: %s\n", clean.buf);
	csf_buf_release(&clean);
	return CLI_ERROR;
}

/* The default source of the workspace (--workspace, or the nearest folder with a csf.yaml):
 * csf_trace_default_source(). A bad cluster.traces.kind is reported and sets *bad. Caller owns
 * the result; free with free(). */
static char *
default_source(const struct cli_global *g, bool *bad)
{
	char *found = g->workspace ? NULL : csf_find_workspace(".");
	struct csf_error err = CSF_ERROR_INIT;
	char *spec = csf_trace_default_source(g->workspace ? g->workspace : found, &err);

	free(found);
	if (!spec) {
		report(&err);
		*bad = true;
	}
	return spec;
}

/* ==== the command =========================================================================== */

static int
parse_args(struct traces_opts *op, int argc, char **argv)
{
	struct csf_error err = CSF_ERROR_INIT;
	const char *v;
	bool missing;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		missing = false;
		if ((v = cli_opt_in(argc, argv, &i, "--source", &missing)))
			op->source = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--service", &missing)))
			op->service = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--operation", &missing)))
			op->operation = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--trace", &missing)))
			op->trace = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--compare", &missing)))
			op->compare = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--span", &missing)))
			op->span = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--format", &missing)))
			op->format = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--filter", &missing))) {
			const struct csf_filter_cond *c;

			if (csf_trace_filter_add(&op->filter, v, &err))
				return report(&err);
			c = &op->filter.conds[op->filter.n - 1];
			if (c->field == CSF_FF_ATTR && c->op == CSF_FOP_EQ &&
			    !strpbrk(c->value, "\" ")) {
				csf_buf_addf(&op->tags, "%s%s=%s", op->tags.len ? " " : "", c->key,
					     c->value);
			}
		} else if ((v = cli_opt_in(argc, argv, &i, "--limit", &missing))) {
			char *end;
			long l = strtol(v, &end, 10);

			if (*end || l <= 0 || l > 100000)
				return cli_usage_error("traces: --limit takes a number from 1 to "
						       "100000");
			op->limit = (unsigned)l;
		} else if ((v = cli_opt_in(argc, argv, &i, "--width", &missing))) {
			char *end;
			long l = strtol(v, &end, 10);

			if (*end || l < 10 || l > 400)
				return cli_usage_error("traces: --width takes a number from 10 to 400");
			op->width = (unsigned)l;
		} else if ((v = cli_opt_in(argc, argv, &i, "--min-duration", &missing)) ||
			   (v = cli_opt_in(argc, argv, &i, "--max-duration", &missing))) {
			int64_t *dst = a[2] == 'm' && a[3] == 'i' ? &op->min_dur_ns : &op->max_dur_ns;

			if (!csf_duration_parse(v, dst))
				return cli_usage_error("traces: %.14s takes a duration like 100ms or "
						       "1.5s, not '%s'", a, v);
		} else if ((v = cli_opt_in(argc, argv, &i, "--lookback", &missing))) {
			if (!csf_duration_parse(v, &op->lookback_ns) || !op->lookback_ns)
				return cli_usage_error("traces: --lookback takes a duration like "
						       "1h or 30m");
		} else if (!strcmp(a, "--highlight"))
			op->highlight = true;
		else if (!strcmp(a, "--critical-path"))
			op->critical_only = true;
		else if (!strcmp(a, "--ascii"))
			op->ascii = true;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: csf-tui --headless %s\n\n%s", TRACES_USAGE, TRACES_HELP);
			return -1;
		} else if (missing)
			return cli_usage_error("traces: option %s needs a value", a);
		else
			return cli_usage_error("traces: unexpected argument '%s'\nusage: csf-tui "
					       "--headless %s", a, TRACES_USAGE);
	}
	if (!op->format || !strcmp(op->format, "tree") || !strcmp(op->format, "text"))
		op->json = false;
	else if (!strcmp(op->format, "json"))
		op->json = true;
	else
		return cli_usage_error("traces: --format is tree or json, not '%s'", op->format);
	if (op->compare && !op->trace)
		return cli_usage_error("traces: --compare ID2 needs --trace ID");
	if (op->span && (!op->trace || op->compare))
		return cli_usage_error("traces: --span SPANID needs --trace ID (and no --compare)");
	return CLI_OK;
}

static bool
utf8_locale(void)
{
	const char *v = getenv("LC_ALL");

	if (!v || !*v)
		v = getenv("LC_CTYPE");
	if (!v || !*v)
		v = getenv("LANG");
	return v && (strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") ||
		     strstr(v, "utf8"));
}

int
cli_traces(const struct cli_global *g, int argc, char **argv)
{
	struct traces_opts op;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_trace_source *src = NULL;
	struct csf_trace_set *set = NULL, *set2 = NULL;
	struct csf_http *http = NULL;
	struct csf_trace_transport tr = { csf_trace_http_get, NULL };
	struct csf_buf o = CSF_BUF_INIT;
	char *spec = NULL;
	enum csf_trace_backend kind = CSF_TB_FILE;
	const char *rest;
	bool bad_config = false;
	int rc;

	memset(&op, 0, sizeof(op));
	op.filter = (struct csf_trace_filter)CSF_TRACE_FILTER_INIT;
	op.tags = (struct csf_buf)CSF_BUF_INIT;
	op.width = 40;
	op.ascii = !utf8_locale();
	rc = parse_args(&op, argc, argv);
	if (rc) {
		rc = rc < 0 ? CLI_OK : rc;
		goto out;
	}
	spec = op.source ? strdup(op.source) : default_source(g, &bad_config);
	if (bad_config) {
		rc = CLI_ERROR;
		goto out;
	}
	if (!csf_trace_spec_parse(spec, &kind, &rest, &err) && kind != CSF_TB_FILE) {
		/* an HTTP backend: one blocking client for this command */
		http = csf_http_new(&err);
		if (!http) {
			rc = report(&err);
			goto out;
		}
		tr.ctx = http;
	}
	if (csf_trace_source_open(spec, &tr, &src, &err)) {
		rc = report(&err);
		goto out;
	}
	set = csf_trace_set_new();
	if (!op.trace) {
		struct csf_trace_query q;

		memset(&q, 0, sizeof(q));
		q.service = op.service;
		q.operation = op.operation;
		q.tags = op.tags.len ? op.tags.buf : NULL;
		q.limit = op.limit;
		q.lookback_us = op.lookback_ns / 1000;
		q.min_dur_ns = op.min_dur_ns;
		q.max_dur_ns = op.max_dur_ns;
		if (!q.lookback_us && src->kind != CSF_TB_FILE)
			q.lookback_us = 3600LL * 1000000;	/* like Jaeger UI: the last hour */
		if (src->ops->search(src, &q, set, &err)) {
			rc = report(&err);
			goto out;
		}
		rc = print_list(&op, set);
		goto out;
	}
	if (src->ops->fetch(src, op.trace, set, &err)) {
		rc = report(&err);
		goto out;
	}
	if (op.compare) {
		set2 = csf_trace_set_new();
		if (src->ops->fetch(src, op.compare, set2, &err)) {
			rc = report(&err);
			goto out;
		}
		rc = print_compare(&op, csf_trace_set_find(set, op.trace),
				   csf_trace_set_find(set2, op.compare));
		goto out;
	}
	{
		struct csf_trace *t = csf_trace_set_find(set, op.trace);

		csf_trace_critical_path(t);
		csf_trace_filter_apply(&op.filter, set, t, !op.highlight);
		if (op.span && !op.json) {
			rc = print_span(&o, &op, set, t, op.span);
			flush(&o);
			goto out;
		}
		if (op.span) {
			/* JSON: the trace object with only that span (or spans, for an RPC pair) */
			uint8_t b8[8];
			uint64_t id = 0;
			size_t k, n = 0;

			if (!csf_trace_id_parse(op.span, strlen(op.span), b8, 8)) {
				rc = cli_usage_error("traces: '%.64s' is not a span id", op.span);
				goto out;
			}
			for (k = 0; k < 8; k++)
				id = id << 8 | b8[k];
			for (k = 0; k < t->nspans; k++) {
				if (t->spans[k].id == id)
					n++;
				else
					t->spans[k].flags |= CSF_SPAN_F_HIDDEN;
			}
			if (!n) {
				struct csf_loc nowhere = { 0, 0 };

				csf_fail(&err, CSF_E_NOTFOUND, NULL, nowhere, "trace has no span %.64s",
					 op.span);
				rc = report(&err);
				goto out;
			}
		}
		if (op.json) {
			put_trace_json(&o, &op, set, t);
			csf_buf_addch(&o, '\n');
		} else {
			print_tree(&o, &op, t);
		}
		flush(&o);
	}
	rc = CLI_OK;
out:
	csf_buf_release(&o);
	csf_trace_set_free(set);
	csf_trace_set_free(set2);
	csf_trace_source_close(src);
	csf_http_free(http);
	csf_trace_filter_release(&op.filter);
	csf_buf_release(&op.tags);
	free(spec);
	return rc;
}
