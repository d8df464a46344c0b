/* Where traces come from: files, and the Jaeger, Tempo and Zipkin query APIs
 * (reference/formats.md §4), behind one small interface.
 *
 * A source answers two questions: search (traces matching a query) and fetch (one trace by id).
 * Results go into a caller-owned struct csf_trace_set: full traces for files, Jaeger and Zipkin
 * (their search APIs return whole traces), summaries (set->summaries) for Tempo search.
 * The set is built (csf_trace_set_build) before the call returns.
 *
 * Network I/O is not done here directly: HTTP sources call a transport function (struct
 * csf_trace_transport), so the headless CLI can plug in a blocking csf_http_fetch()
 * (csf_trace_http_transport below) and unit tests a fake. The TUI, which must not block,
 * uses the same URL builders (csf_trace_search_url, csf_trace_fetch_url) with
 * csf_http_submit() and hands the response to csf_trace_parse_response().
 */
#ifndef CSF_CORE_TRACE_SOURCE_H
#define CSF_CORE_TRACE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/status.h"
#include "core/trace.h"

enum csf_trace_backend {
	CSF_TB_FILE,
	CSF_TB_JAEGER,
	CSF_TB_TEMPO,
	CSF_TB_ZIPKIN,
};

/* "file" "jaeger" "tempo" "zipkin". */
const char *csf_trace_backend_name(enum csf_trace_backend b);
/* The backend for a name as written in csf.yaml (cluster.traces.kind); false when unknown. */
bool csf_trace_backend_from_name(const char *name, enum csf_trace_backend *out);

/* Splits "file:PATH", "jaeger:URL", "tempo:URL", "zipkin:URL" (a bare path means file:).
 * *rest points into spec. Errors: CSF_E_USAGE naming the accepted forms. */
enum csf_status csf_trace_spec_parse(const char *spec, enum csf_trace_backend *kind,
				     const char **rest, struct csf_error *err);

struct csf_trace_query {
	const char *service;		/* NULL = any (Jaeger requires one) */
	const char *operation;		/* span name, NULL = any */
	const char *tags;		/* logfmt "k=v k2=v2" (values may be "quoted"), NULL = none */
	int64_t start_us, end_us;	/* Unix microseconds; 0 = end now, start end - lookback */
	int64_t lookback_us;		/* 0 = backend default (start not sent) */
	int64_t min_dur_ns, max_dur_ns;	/* 0 = no bound */
	unsigned limit;			/* 0 = 20 */
};

/* ---- HTTP request builders and response parser (for the TUI's async requests too) ---------- */

/* The search URL for base (scheme://host[:port][/prefix], trailing '/' ignored), appended to
 * out. now_us fills in end (and start from lookback) when the query leaves them 0. Jaeger needs
 * q->service (CSF_E_USAGE otherwise). Tempo gets a TraceQL query with start/end in seconds;
 * Zipkin gets endTs/lookback in milliseconds and durations in microseconds; Jaeger gets
 * start/end in microseconds and Go durations. */
enum csf_status csf_trace_search_url(struct csf_buf *out, enum csf_trace_backend b,
				     const char *base, const struct csf_trace_query *q,
				     int64_t now_us, struct csf_error *err);

/* The trace-by-id URL: Jaeger /api/traces/{id}, Tempo /api/traces/{32 hex}, Zipkin
 * /api/v2/trace/{id}. The id is normalised (hex or base64 in, lowercase hex out). */
enum csf_status csf_trace_fetch_url(struct csf_buf *out, enum csf_trace_backend b,
				    const char *base, const char *trace_id,
				    struct csf_error *err);

/* Turns an HTTP response into traces or summaries in set (built on return). search selects the
 * search shape. url names the request in errors. Errors: 404 → CSF_E_NOTFOUND ("trace not
 * found", with Jaeger's own message when it sent its error envelope); 401/403 → CSF_E_AUTH;
 * other non-2xx → CSF_E_HTTP with the status and the first line of the body (sanitized);
 * a 2xx body that is not JSON (by content type, when one is given) → CSF_E_HTTP; bad JSON →
 * CSF_E_PARSE with line:col in the body. */
enum csf_status csf_trace_parse_response(enum csf_trace_backend b, bool search, const char *url,
					 long status, const char *content_type, const char *body,
					 size_t len, struct csf_trace_set *set,
					 struct csf_error *err);

/* True when trace t of set matches q (service, operation, tags, trace duration, start time).
 * File sources use it; HTTP backends filter server-side. */
bool csf_trace_query_match(const struct csf_trace_set *set, const struct csf_trace *t,
			   const struct csf_trace_query *q);

/* ---- the source interface ------------------------------------------------------------------ */

/* A blocking GET: fills *status, content_type (as sent, "" when none; reset first) and body
 * (reset first). Returns CSF_E_OK when any HTTP response arrived; otherwise err says why
 * (connection refused, timeout, TLS, …). */
struct csf_trace_transport {
	enum csf_status (*get)(void *ctx, const char *url, const char *accept, long *status,
			       struct csf_buf *content_type, struct csf_buf *body,
			       struct csf_error *err);
	void *ctx;
};

struct csf_trace_source;

struct csf_trace_source_ops {
	const char *name;
	/* Adds the traces (or summaries) matching q to out and builds it. out is borrowed for the
	 * call. Returns CSF_E_OK with nothing added when nothing matched. */
	enum csf_status (*search)(struct csf_trace_source *src, const struct csf_trace_query *q,
				  struct csf_trace_set *out, struct csf_error *err);
	/* Adds the trace with this id (hex or base64) to out and builds it; CSF_E_NOTFOUND when
	 * the source has no such trace. */
	enum csf_status (*fetch)(struct csf_trace_source *src, const char *trace_id,
				 struct csf_trace_set *out, struct csf_error *err);
	/* Frees src. */
	void (*close)(struct csf_trace_source *src);
};

struct csf_trace_source {
	const struct csf_trace_source_ops *ops;
	enum csf_trace_backend kind;
	char *where;			/* path or base URL; owned */
	struct csf_trace_transport transport;	/* HTTP sources only */
};

/* Opens a file or a folder (every *.json and *.jsonl file in it, sorted by name, not
 * recursive). Each search or fetch reads the files again, so changes on disk show up.
 * CSF_E_IO when path does not exist. Caller owns *out; free with its ops->close(). */
enum csf_status csf_trace_source_file(const char *path, struct csf_trace_source **out,
				      struct csf_error *err);

/* An HTTP backend at base_url using transport tr (copied). Caller owns *out; free with its
 * ops->close(). */
enum csf_status csf_trace_source_http(enum csf_trace_backend b, const char *base_url,
				      const struct csf_trace_transport *tr,
				      struct csf_trace_source **out, struct csf_error *err);

/* csf_trace_spec_parse + the matching constructor. tr may be NULL for file specs. */
enum csf_status csf_trace_source_open(const char *spec, const struct csf_trace_transport *tr,
				      struct csf_trace_source **out, struct csf_error *err);

static inline void
csf_trace_source_close(struct csf_trace_source *src)
{
	if (src)
		src->ops->close(src);
}

/* A transport on core/http.h: ctx is a struct csf_http * (borrowed; the caller owns it).
 * Blocks in csf_http_fetch() with the default timeouts and retries: for headless use only. */
enum csf_status csf_trace_http_get(void *ctx, const char *url, const char *accept, long *status,
				   struct csf_buf *content_type, struct csf_buf *body,
				   struct csf_error *err);

/* The default trace source of the workspace folder ws (NULL: no workspace), as a source spec:
 * csf.yaml `cluster.traces` ({kind, url} → "KIND:URL"; {kind: file, path or url} →
 * "file:PATH", relative to ws), else ws/traces/ when it exists, else the shipped samples'
 * traces/ (csf_samples_dir), else "samples/traces". A `kind` that is not jaeger, tempo, zipkin
 * or file fails with CSF_E_USAGE and a file:line:col error (NULL result). Caller owns the
 * result; free with free(). */
char *csf_trace_default_source(const char *ws, struct csf_error *err);

#endif
