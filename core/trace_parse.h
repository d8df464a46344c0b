/* Trace file and response parsers: OTLP/JSON, Jaeger JSON, Zipkin v2 JSON and Tempo (trace by id
 * and search), all into a struct csf_trace_set (core/trace.h).
 *
 * OTLP, Jaeger and Zipkin documents are read with the pull tokenizer (core/json_pull.h): spans
 * are built straight from the bytes, with no JSON tree and no allocation per value, so a 100k-span
 * file opens in less time than cJSON alone needs to parse it (tests/bench/bench_trace.c), and
 * 64-bit integers are exact. Tempo search responses (small) are read with cJSON.
 *
 * Accepted shapes (reference/formats.md §4):
 *   OTLP   {"resourceSpans":[…]}, Tempo v1 {"batches":[…]}, Tempo v2 {"trace":{"resourceSpans"…}},
 *          Jaeger v3 {"result":{"resourceSpans":…}}; scopeSpans or instrumentationLibrarySpans;
 *          ids as hex (any case, short ids left-padded) or base64; kind and status.code as
 *          integers or SPAN_KIND_* / STATUS_CODE_* names; 64-bit integers as strings or numbers;
 *          JSON Lines (one document per line, as the collector's file exporter writes).
 *   Jaeger {"data":[{traceID, spans, processes}]} — times in microseconds; the first reference
 *          is the parent (a CHILD_OF one wins); span.kind / error / otel.status_code tags give
 *          kind and status; the error envelope {"data":null,"errors":[{code,msg}]} becomes
 *          CSF_E_NOTFOUND (code 404) or CSF_E_HTTP.
 *   Zipkin [span…] or [[span…]…] (search) — times in microseconds; tags are strings; an error tag
 *          marks failure; "shared":true marks the server half of an RPC span.
 *   Tempo search {"traces":[{traceID, rootServiceName, …}]} — summaries only (set->summaries);
 *          trace ids with leading zeros trimmed are left-padded.
 * Missing numbers are 0 (a span without a start or an end gets CSF_SPAN_F_NO_TIME and duration 0);
 * an end before the start gives duration 0. Jaeger processes and Zipkin endpoints become
 * resources with a service.name attribute, like OTLP resources.
 *
 * Errors: malformed JSON gives CSF_E_PARSE with the 1-based line and column (in characters) of
 * the offending byte and what is wrong ("malformed JSON: trailing comma before ']'"); input that
 * ends early says "unexpected end of input (truncated JSON?)" just past the last byte; a document
 * of the wrong shape gives the position and the JSON path
 * ("resourceSpans[0].scopeSpans[0].spans[3].spanId: invalid id \"xyz\""). Nesting deeper than
 * 1000 levels, NUL bytes and numbers beyond int64 are errors, never a crash. On failure the set
 * may hold part of the input's spans; callers that need all-or-nothing parse into a fresh set.
 * The parsers never build the tree: call csf_trace_set_build() after the last input.
 */
#ifndef CSF_CORE_TRACE_PARSE_H
#define CSF_CORE_TRACE_PARSE_H

#include <stddef.h>

#include "core/status.h"
#include "core/trace.h"

enum csf_trace_format {
	CSF_TRACE_AUTO,
	CSF_TRACE_OTLP,		/* also Tempo trace-by-id and Jaeger v3 */
	CSF_TRACE_JAEGER,
	CSF_TRACE_ZIPKIN,
	CSF_TRACE_TEMPO_SEARCH,
};

/* Largest file csf_trace_parse_file() reads. */
#define CSF_TRACE_MAX_BYTES ((size_t)1 << 30)

/* "auto" "otlp" "jaeger" "zipkin" "tempo-search". */
const char *csf_trace_format_name(enum csf_trace_format f);

/* Parses data[0..len) (need not be NUL-terminated) and adds its spans or summaries to set.
 * name is used in error messages. fmt CSF_TRACE_AUTO detects the format per document; the
 * format found is stored in *found when found is not NULL. */
enum csf_status csf_trace_parse(struct csf_trace_set *set, const char *name, const char *data,
				size_t len, enum csf_trace_format fmt, enum csf_trace_format *found,
				struct csf_error *err);

/* Reads path (at most CSF_TRACE_MAX_BYTES; CSF_E_IO or CSF_E_LIMIT otherwise) and parses it. */
enum csf_status csf_trace_parse_file(struct csf_trace_set *set, const char *path,
				     enum csf_trace_format fmt, enum csf_trace_format *found,
				     struct csf_error *err);

/* The 1-based line and column (UTF-8 characters) of byte offset off in data. */
struct csf_loc csf_text_loc(const char *data, size_t len, size_t off);

#endif
