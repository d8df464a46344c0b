/* HTTP client on the libcurl multi interface, for an event loop and for headless use.
 *
 * One struct csf_http owns one curl multi handle and every request submitted to it. Nothing
 * blocks except csf_http_wait() and csf_http_run(), which headless callers use; the TUI loop
 * instead asks for the file descriptors and the timeout (csf_http_fdset, csf_http_timeout_ms),
 * waits in its own select/poll together with the keyboard, then calls csf_http_perform().
 *
 * Every request has: a per-attempt timeout, cancel, retry with exponential backoff (GET only;
 * connection failures, 5xx, 429 with Retry-After; never other 4xx and never a timed-out attempt),
 * progress (bytes received), a response size limit, a redirect limit, an optional JSON
 * content-type check, TLS verified by default (CA, client certificate and key from memory),
 * and a bearer token.
 *
 * Secrets: the bearer token and the key are copied into the request and wiped when it is freed.
 * They never appear in an error message or in a log line (log lines carry method, URL, status,
 * bytes and time only; URLs must not carry secrets).
 */
#ifndef CSF_CORE_HTTP_H
#define CSF_CORE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/select.h>

#include "core/buf.h"
#include "core/status.h"

struct csf_http;

/* Outcome of a request. err.code is CSF_E_OK when a response arrived and passed the checks
 * (any HTTP status, including 4xx/5xx after the retries are spent: look at `status`). Otherwise
 * err says why in one line: connection refused, timeout, TLS, too large, redirect loop, wrong
 * content type, cancelled. `body` may still hold the (partial) body then. */
struct csf_http_response {
	long status;			/* HTTP status, 0 when none arrived */
	struct csf_buf body;
	char content_type[128];		/* as sent, "" when absent */
	long retry_after;		/* seconds from Retry-After, -1 when absent */
	unsigned attempts;		/* 1 + retries made */
	double seconds;			/* wall time of the last attempt */
	struct csf_error err;
};

/* TLS and authentication, all borrowed by csf_http_submit (copied into the request). */
struct csf_http_tls {
	const char *ca_pem;		/* PEM bundle in memory (CURLOPT_CAINFO_BLOB), or NULL */
	size_t ca_len;
	const char *ca_file;		/* or a CA file path; NULL = system store */
	const char *cert_pem;		/* client certificate PEM in memory, or NULL */
	size_t cert_len;
	const char *key_pem;		/* client key PEM in memory, or NULL */
	size_t key_len;
	bool insecure;			/* skip verification: only when a kubeconfig says so */
	const char *server_name;	/* verify against this name instead of the URL host, or NULL */
};

struct csf_http_opts {
	const char *method;		/* NULL = "GET"; "POST" sends body */
	const char *body;		/* POST body or NULL */
	size_t body_len;
	const char *content_type;	/* of the POST body */
	const char *accept;		/* Accept header; NULL = "application/json" */
	const char *bearer_token;	/* Authorization: Bearer …; NULL = none */
	struct csf_http_tls tls;
	long timeout_ms;		/* per attempt; 0 = 15000 */
	long connect_timeout_ms;	/* 0 = min(timeout, 5000) */
	size_t max_bytes;		/* response limit; 0 = 64 MiB */
	long max_redirects;		/* 0 = 5; -1 = do not follow redirects */
	int retries;			/* extra attempts for idempotent GETs; 0 = 2; -1 = none */
	long backoff_ms;		/* first retry delay, doubled each time; 0 = 250 */
	bool want_json;			/* a 2xx response must be application/json (or +json) */
};

/* Called once per request when it ends (done, failed, or cancelled). resp is borrowed: valid
 * during the call only; take resp->body with csf_buf_detach if you keep it. */
typedef void (*csf_http_done_fn)(void *ctx, unsigned long id, struct csf_http_response *resp);
/* Called while bytes arrive: received so far, and the expected total (0 when unknown). */
typedef void (*csf_http_progress_fn)(void *ctx, unsigned long id, size_t received, size_t total);
/* A log line (no newline) for the trace file. Never contains a token or a key. */
typedef void (*csf_http_log_fn)(void *ctx, const char *line);

/* Caller owns the result; free with csf_http_free(). Fails only when libcurl cannot start. */
struct csf_http *csf_http_new(struct csf_error *err);
/* Cancels what is pending (their done callbacks run with "cancelled") and frees h. NULL is ok. */
void csf_http_free(struct csf_http *h);

void csf_http_set_log(struct csf_http *h, csf_http_log_fn fn, void *ctx);

/* Starts a request for url. Returns its id (> 0), or 0 with err set when the options are
 * invalid (bad URL scheme, unusable TLS material). done is never called from inside submit;
 * it runs from csf_http_perform(). progress may be NULL. */
unsigned long csf_http_submit(struct csf_http *h, const char *url, const struct csf_http_opts *o,
			      csf_http_done_fn done, csf_http_progress_fn progress, void *ctx,
			      struct csf_error *err);

/* Cancels a pending request; its done callback runs now with err "cancelled". Unknown ids
 * (already finished) are ignored. Returns true when something was cancelled. */
bool csf_http_cancel(struct csf_http *h, unsigned long id);

/* Number of requests not finished yet (running or waiting for a retry). */
size_t csf_http_pending(const struct csf_http *h);

/* ---- event loop integration -------------------------------------------------------------- */

/* Adds libcurl's sockets to the sets (like curl_multi_fdset) and raises *max_fd. */
void csf_http_fdset(struct csf_http *h, fd_set *rd, fd_set *wr, fd_set *ex, int *max_fd);
/* Milliseconds until csf_http_perform must run even without socket activity; -1 when nothing
 * is pending. Includes retry back-off timers. */
long csf_http_timeout_ms(struct csf_http *h);
/* Advances transfers, starts due retries, and runs the done callbacks of finished requests.
 * Never blocks. Returns csf_http_pending(). */
size_t csf_http_perform(struct csf_http *h);

/* ---- blocking use (headless) ------------------------------------------------------------- */

/* Waits up to max_ms for socket activity or a timer, then performs. Returns pending count. */
size_t csf_http_wait(struct csf_http *h, long max_ms);
/* Runs until nothing is pending. */
void csf_http_run(struct csf_http *h);

/* One blocking request on h: submit, run until it ends. The result goes to resp (initialise
 * with csf_http_response_init, release with csf_http_response_release). Returns resp->err.code. */
enum csf_status csf_http_fetch(struct csf_http *h, const char *url, const struct csf_http_opts *o,
			       struct csf_http_response *resp);

void csf_http_response_init(struct csf_http_response *r);
void csf_http_response_release(struct csf_http_response *r);

/* ---- helpers ----------------------------------------------------------------------------- */

/* Appends s percent-encoded for a URL query value (RFC 3986 unreserved characters kept). */
void csf_http_urlencode(struct csf_buf *b, const char *s);

/* Appends url for a message or a log with the credentials of its authority (user and password
 * before '@', as in http://admin:pw@prometheus:9090) replaced by three asterisks; the rest is
 * kept as is. */
void csf_http_redact_url(struct csf_buf *b, const char *url);
/* True for application/json and application/<x>+json (parameters ignored). */
bool csf_http_is_json_type(const char *content_type);

#endif
