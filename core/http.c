#include "core/http.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#define HTTP_DEFAULT_TIMEOUT_MS 15000L
#define HTTP_DEFAULT_MAX_BYTES ((size_t)64 << 20)
#define HTTP_DEFAULT_REDIRECTS 5L
#define HTTP_DEFAULT_RETRIES 2
#define HTTP_DEFAULT_BACKOFF_MS 250L
#define HTTP_MAX_RETRY_AFTER_MS 10000L
#ifndef CSF_VERSION
#define CSF_VERSION "0"
#endif

enum req_state {
	REQ_RUNNING,
	REQ_WAITING,	/* waiting for a retry */
};

struct http_req {
	struct csf_http *h;
	unsigned long id;
	CURL *easy;
	struct curl_slist *headers;
	struct curl_slist *connect_to;
	enum req_state state;
	long long due_ms;		/* REQ_WAITING: when to start again */
	long long started_ms;
	char *url;
	bool is_get;
	bool want_json;
	bool too_large;
	int retries_left;
	long backoff_ms;
	long timeout_ms;
	long max_redirects;
	size_t max_bytes;
	csf_http_done_fn done;
	csf_http_progress_fn progress;
	void *ctx;
	struct csf_http_response resp;
	char errbuf[CURL_ERROR_SIZE];
};

struct csf_http {
	CURLM *multi;
	struct http_req **reqs;
	size_t nreqs, reqs_alloc;
	unsigned long next_id;
	csf_http_log_fn log;
	void *log_ctx;
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
csf_http_response_init(struct csf_http_response *r)
{
	memset(r, 0, sizeof(*r));
	csf_buf_init(&r->body, 0);
	r->retry_after = -1;
}

void
csf_http_response_release(struct csf_http_response *r)
{
	csf_buf_release(&r->body);
}

struct csf_http *
csf_http_new(struct csf_error *err)
{
	struct csf_http *h;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		csf_fail(err, CSF_E_HTTP, NULL, (struct csf_loc){ 0, 0 }, "libcurl failed to start");
		return NULL;
	}
	h = csf_xcalloc(1, sizeof(*h));
	h->multi = curl_multi_init();
	if (!h->multi) {
		free(h);
		curl_global_cleanup();
		csf_fail(err, CSF_E_HTTP, NULL, (struct csf_loc){ 0, 0 }, "libcurl multi handle failed");
		return NULL;
	}
	h->next_id = 1;
	return h;
}

void
csf_http_set_log(struct csf_http *h, csf_http_log_fn fn, void *ctx)
{
	h->log = fn;
	h->log_ctx = ctx;
}

static void
wipe_headers(struct curl_slist *l)
{
	for (; l; l = l->next)
		if (l->data)
			memset(l->data, 0, strlen(l->data));
}

static void
req_free(struct http_req *r)
{
	if (!r)
		return;
	if (r->easy)
		curl_easy_cleanup(r->easy);
	wipe_headers(r->headers);
	curl_slist_free_all(r->headers);
	curl_slist_free_all(r->connect_to);
	csf_http_response_release(&r->resp);
	free(r->url);
	free(r);
}

static void
detach_req(struct csf_http *h, struct http_req *r)
{
	size_t i;

	if (r->state == REQ_RUNNING)
		curl_multi_remove_handle(h->multi, r->easy);
	for (i = 0; i < h->nreqs; i++)
		if (h->reqs[i] == r) {
			memmove(&h->reqs[i], &h->reqs[i + 1], (h->nreqs - i - 1) * sizeof(h->reqs[0]));
			h->nreqs--;
			break;
		}
}

static void
finish_req(struct csf_http *h, struct http_req *r)
{
	if (h->log) {
		char line[512];

		if (r->resp.err.code == CSF_E_OK)
			snprintf(line, sizeof(line), "http: %s %s -> %ld (%zu bytes, %.3f s, attempt %u)",
				 r->is_get ? "GET" : "POST", r->url, r->resp.status, r->resp.body.len,
				 r->resp.seconds, r->resp.attempts);
		else
			snprintf(line, sizeof(line), "http: %s %s -> error: %s (attempt %u)",
				 r->is_get ? "GET" : "POST", r->url, r->resp.err.msg, r->resp.attempts);
		h->log(h->log_ctx, line);
	}
	if (r->done)
		r->done(r->ctx, r->id, &r->resp);
	req_free(r);
}

void
csf_http_free(struct csf_http *h)
{
	if (!h)
		return;
	while (h->nreqs)
		csf_http_cancel(h, h->reqs[0]->id);
	free(h->reqs);
	curl_multi_cleanup(h->multi);
	free(h);
	curl_global_cleanup();
}

static size_t
on_write(char *data, size_t size, size_t nmemb, void *p)
{
	struct http_req *r = p;
	size_t n = size * nmemb;

	if (r->resp.body.len + n > r->max_bytes) {
		r->too_large = true;
		return 0;
	}
	csf_buf_add(&r->resp.body, data, n);
	return n;
}

static int
on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct http_req *r = p;

	(void)ultotal;
	(void)ulnow;
	if (r->progress && dlnow > 0)
		r->progress(r->ctx, r->id, (size_t)dlnow, dltotal > 0 ? (size_t)dltotal : 0);
	return 0;
}

bool
csf_http_is_json_type(const char *ct)
{
	size_t n;
	const char *semi;

	if (!ct)
		return false;
	while (*ct == ' ')
		ct++;
	semi = strchr(ct, ';');
	n = semi ? (size_t)(semi - ct) : strlen(ct);
	while (n && ct[n - 1] == ' ')
		n--;
	if (n == 16 && !strncasecmp(ct, "application/json", 16))
		return true;
	if (n > 17 && !strncasecmp(ct, "application/", 12) && !strncasecmp(ct + n - 5, "+json", 5))
		return true;
	return false;
}

void
csf_http_urlencode(struct csf_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			csf_buf_addch(b, c);
		} else {
			csf_buf_addch(b, '%');
			csf_buf_addch(b, hex[c >> 4]);
			csf_buf_addch(b, hex[c & 15]);
		}
	}
}

void
csf_http_redact_url(struct csf_buf *b, const char *url)
{
	const char *auth = strstr(url, "://"), *at = NULL;
	size_t alen, i;

	if (!auth) {
		csf_buf_addstr(b, url);
		return;
	}
	auth += 3;
	alen = strcspn(auth, "/?#");
	for (i = 0; i < alen; i++)
		if (auth[i] == '@')
			at = auth + i;
	if (!at) {
		csf_buf_addstr(b, url);
		return;
	}
	csf_buf_add(b, url, (size_t)(auth - url));
	csf_buf_addstr(b, "***");
	csf_buf_addstr(b, at);
}

/* The URL without its query string or credentials, for messages (queries can be long). */
static void
short_url(const char *url, char *out, size_t n)
{
	struct csf_buf b = CSF_BUF_INIT;
	size_t len;

	csf_http_redact_url(&b, url);
	len = strcspn(b.buf, "?");
	if (len >= n)
		len = n - 1;
	memcpy(out, b.buf, len);
	out[len] = '\0';
	csf_buf_release(&b);
}

static bool
set_blob(CURL *e, CURLoption opt, const char *data, size_t len)
{
	struct curl_blob blob;

	blob.data = (void *)(uintptr_t)data;
	blob.len = len;
	blob.flags = CURL_BLOB_COPY;
	return curl_easy_setopt(e, opt, &blob) == CURLE_OK;
}

/* tls.server_name: connect to the URL's host but verify (and send SNI/Host for) server_name. */
static char *
apply_server_name(CURL *e, const char *url, const char *name, struct curl_slist **connect_to)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *out = NULL, *res = NULL;
	char line[600];

	if (!u)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_HOST, name, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK) {
		snprintf(line, sizeof(line), "%s:%s:%s:%s", name, port, host, port);
		*connect_to = curl_slist_append(*connect_to, line);
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, *connect_to);
		res = csf_xstrdup(out);
	}
	curl_free(host);
	curl_free(port);
	curl_free(out);
	curl_url_cleanup(u);
	return res;
}

static void
start_attempt(struct csf_http *h, struct http_req *r)
{
	csf_buf_reset(&r->resp.body);
	r->too_large = false;
	r->errbuf[0] = '\0';
	r->resp.attempts++;
	r->resp.status = 0;
	r->resp.content_type[0] = '\0';
	r->resp.retry_after = -1;
	r->started_ms = now_ms();
	r->state = REQ_RUNNING;
	curl_multi_add_handle(h->multi, r->easy);
}

unsigned long
csf_http_submit(struct csf_http *h, const char *url, const struct csf_http_opts *o,
		csf_http_done_fn done, csf_http_progress_fn progress, void *ctx, struct csf_error *err)
{
	static const struct csf_http_opts defaults;
	struct http_req *r;
	CURL *e;
	const char *method;
	char hdr[256];
	struct curl_slist *connect_to = NULL;
	char *real_url = NULL;

	if (!o)
		o = &defaults;
	if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)) {
		char su[200];

		short_url(url, su, sizeof(su));
		csf_fail(err, CSF_E_USAGE, NULL, (struct csf_loc){ 0, 0 },
			 "unsupported URL '%s': only http:// and https:// are allowed", su);
		return 0;
	}
	e = curl_easy_init();
	if (!e) {
		csf_fail(err, CSF_E_HTTP, NULL, (struct csf_loc){ 0, 0 }, "libcurl easy handle failed");
		return 0;
	}
	r = csf_xcalloc(1, sizeof(*r));
	r->h = h;
	r->easy = e;
	{
		struct csf_buf shown = CSF_BUF_INIT;	/* messages and the log only */

		csf_http_redact_url(&shown, url);
		r->url = csf_buf_detach(&shown, NULL);
	}
	csf_http_response_init(&r->resp);
	method = o->method ? o->method : "GET";
	r->is_get = !strcmp(method, "GET");
	r->want_json = o->want_json;
	r->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS;
	r->max_bytes = o->max_bytes ? o->max_bytes : HTTP_DEFAULT_MAX_BYTES;
	r->max_redirects = o->max_redirects ? o->max_redirects : HTTP_DEFAULT_REDIRECTS;
	r->retries_left = !r->is_get || o->retries < 0 ? 0 : o->retries ? o->retries : HTTP_DEFAULT_RETRIES;
	r->backoff_ms = o->backoff_ms > 0 ? o->backoff_ms : HTTP_DEFAULT_BACKOFF_MS;
	r->done = done;
	r->progress = progress;
	r->ctx = ctx;

	if (o->tls.server_name && *o->tls.server_name)
		real_url = apply_server_name(e, url, o->tls.server_name, &connect_to);
	curl_easy_setopt(e, CURLOPT_URL, real_url ? real_url : url);
	free(real_url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "csf-tui/" CSF_VERSION);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, r->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 o->connect_timeout_ms > 0 ? o->connect_timeout_ms
			 : r->timeout_ms < 5000 ? r->timeout_ms : 5000L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, r);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max_bytes);
	if (r->max_redirects > 0) {
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(e, CURLOPT_MAXREDIRS, r->max_redirects);
	}
	if (!r->is_get) {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
		if (o->body) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_len);
			curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, o->body);
		}
	}
	snprintf(hdr, sizeof(hdr), "Accept: %s", o->accept ? o->accept : "application/json");
	r->headers = curl_slist_append(r->headers, hdr);
	if (o->body && o->content_type) {
		snprintf(hdr, sizeof(hdr), "Content-Type: %s", o->content_type);
		r->headers = curl_slist_append(r->headers, hdr);
	}
	if (o->bearer_token && *o->bearer_token) {
		struct csf_buf auth = CSF_BUF_INIT;

		csf_buf_addstr(&auth, "Authorization: Bearer ");
		csf_buf_addstr(&auth, o->bearer_token);
		r->headers = curl_slist_append(r->headers, auth.buf);
		memset(auth.buf, 0, auth.len);
		csf_buf_release(&auth);
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);

	/* TLS: verified unless the caller (a kubeconfig) explicitly says otherwise. */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->tls.insecure ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->tls.insecure ? 0L : 2L);
	if ((o->tls.ca_pem && !set_blob(e, CURLOPT_CAINFO_BLOB, o->tls.ca_pem, o->tls.ca_len)) ||
	    (o->tls.cert_pem && !set_blob(e, CURLOPT_SSLCERT_BLOB, o->tls.cert_pem, o->tls.cert_len)) ||
	    (o->tls.key_pem && !set_blob(e, CURLOPT_SSLKEY_BLOB, o->tls.key_pem, o->tls.key_len))) {
		csf_fail(err, CSF_E_HTTP, NULL, (struct csf_loc){ 0, 0 },
			 "this libcurl cannot take TLS certificates from memory (needs the OpenSSL backend)");
		r->connect_to = connect_to;
		req_free(r);
		return 0;
	}
	if (o->tls.ca_file && !o->tls.ca_pem)
		curl_easy_setopt(e, CURLOPT_CAINFO, o->tls.ca_file);
	if (o->tls.cert_pem)
		curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
	if (o->tls.key_pem)
		curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
	r->connect_to = connect_to;	/* must outlive the easy handle */
	r->id = h->next_id++;
	CSF_GROW(h->reqs, h->reqs_alloc, h->nreqs + 1);
	h->reqs[h->nreqs++] = r;
	start_attempt(h, r);
	return r->id;
}

bool
csf_http_cancel(struct csf_http *h, unsigned long id)
{
	size_t i;

	for (i = 0; i < h->nreqs; i++) {
		struct http_req *r = h->reqs[i];

		if (r->id != id)
			continue;
		detach_req(h, r);
		csf_fail(&r->resp.err, CSF_E_HTTP, NULL, (struct csf_loc){ 0, 0 }, "cancelled");
		finish_req(h, r);
		return true;
	}
	return false;
}

size_t
csf_http_pending(const struct csf_http *h)
{
	return h->nreqs;
}

void
csf_http_fdset(struct csf_http *h, fd_set *rd, fd_set *wr, fd_set *ex, int *max_fd)
{
	int m = -1;

	curl_multi_fdset(h->multi, rd, wr, ex, &m);
	if (m > *max_fd)
		*max_fd = m;
}

long
csf_http_timeout_ms(struct csf_http *h)
{
	long t = -1, curl_t = -1;
	long long now = now_ms();
	size_t i;
	bool running = false;

	for (i = 0; i < h->nreqs; i++) {
		struct http_req *r = h->reqs[i];

		if (r->state == REQ_WAITING) {
			long d = r->due_ms > now ? (long)(r->due_ms - now) : 0;

			if (t < 0 || d < t)
				t = d;
		} else {
			running = true;
		}
	}
	if (running) {
		curl_multi_timeout(h->multi, &curl_t);
		/* curl says -1 when it has no timer; sockets still need polling: cap the wait. */
		if (curl_t < 0)
			curl_t = 100;
		if (t < 0 || curl_t < t)
			t = curl_t;
	}
	return t;
}

static bool
retryable_code(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return true;
	default:
		return false;
	}
}

/* Fills r->resp.err from a libcurl failure, with curl's own error text. */
static void
transport_error(struct http_req *r, CURLcode c)
{
	char su[160];
	const char *detail = r->errbuf[0] ? r->errbuf : curl_easy_strerror(c);
	struct csf_loc nol = { 0, 0 };

	short_url(r->url, su, sizeof(su));
	if (r->too_large || c == CURLE_FILESIZE_EXCEEDED)
		csf_fail(&r->resp.err, CSF_E_LIMIT, NULL, nol,
			 "response from %s is larger than the %zu-byte limit", su, r->max_bytes);
	else if (c == CURLE_TOO_MANY_REDIRECTS)
		csf_fail(&r->resp.err, CSF_E_HTTP, NULL, nol,
			 "too many redirects (more than %ld) from %s: a redirect loop?", r->max_redirects, su);
	else if (c == CURLE_OPERATION_TIMEDOUT)
		csf_fail(&r->resp.err, CSF_E_HTTP, NULL, nol, "timed out after %ld ms: %s (%s)",
			 r->timeout_ms, su, detail);
	else if (c == CURLE_PEER_FAILED_VERIFICATION || c == CURLE_SSL_CACERT_BADFILE ||
		 c == CURLE_SSL_CONNECT_ERROR || c == CURLE_SSL_CERTPROBLEM)
		csf_fail(&r->resp.err, CSF_E_HTTP, NULL, nol, "TLS failure with %s: %s", su, detail);
	else
		csf_fail(&r->resp.err, CSF_E_HTTP, NULL, nol, "%s: %s", su, detail);
}

static void
schedule_retry(struct csf_http *h, struct http_req *r)
{
	long delay = r->backoff_ms;
	unsigned i;

	for (i = 1; i < r->resp.attempts && delay < 8000; i++)
		delay *= 2;
	if (r->resp.retry_after >= 0) {
		long ra = r->resp.retry_after * 1000;

		delay = ra > HTTP_MAX_RETRY_AFTER_MS ? HTTP_MAX_RETRY_AFTER_MS : ra;
	}
	curl_multi_remove_handle(h->multi, r->easy);
	r->retries_left--;
	r->state = REQ_WAITING;
	r->due_ms = now_ms() + delay;
	if (h->log) {
		char line[400];

		snprintf(line, sizeof(line), "http: retry %s in %ld ms (attempt %u failed: %s)", r->url,
			 delay, r->resp.attempts,
			 r->resp.err.code ? r->resp.err.msg : "server error status");
		h->log(h->log_ctx, line);
	}
	csf_error_clear(&r->resp.err);
}

/* Decides what a finished attempt means: true = the request is over. */
static bool
attempt_done(struct csf_http *h, struct http_req *r, CURLcode c)
{
	long status = 0;
	char *ct = NULL;
	curl_off_t ra = -1;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ct);
	curl_easy_getinfo(r->easy, CURLINFO_RETRY_AFTER, &ra);
	r->resp.status = status;
	r->resp.retry_after = ra > 0 ? (long)ra : -1;
	snprintf(r->resp.content_type, sizeof(r->resp.content_type), "%s", ct ? ct : "");
	r->resp.seconds = (double)(now_ms() - r->started_ms) / 1000.0;
	csf_error_clear(&r->resp.err);
	if (c != CURLE_OK) {
		transport_error(r, c);
		if (r->retries_left > 0 && retryable_code(c) && !r->too_large) {
			schedule_retry(h, r);
			return false;
		}
		return true;
	}
	if ((status >= 500 || status == 429) && r->retries_left > 0) {
		schedule_retry(h, r);
		return false;
	}
	if (r->want_json && status >= 200 && status < 300 &&
	    !csf_http_is_json_type(r->resp.content_type)) {
		char su[160];

		short_url(r->url, su, sizeof(su));
		csf_fail(&r->resp.err, CSF_E_HTTP, NULL, (struct csf_loc){ 0, 0 },
			 "expected JSON from %s but got content type '%.60s'", su,
			 r->resp.content_type[0] ? r->resp.content_type : "(none)");
	}
	return true;
}

size_t
csf_http_perform(struct csf_http *h)
{
	int running = 0, left = 0;
	CURLMsg *msg;
	unsigned long *done = NULL;
	size_t ndone = 0, done_alloc = 0, i, k;
	long long now = now_ms();

	for (i = 0; i < h->nreqs; i++) {
		struct http_req *r = h->reqs[i];

		if (r->state == REQ_WAITING && r->due_ms <= now)
			start_attempt(h, r);
	}
	curl_multi_perform(h->multi, &running);
	while ((msg = curl_multi_info_read(h->multi, &left))) {
		struct http_req *r = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (!r)
			continue;
		if (attempt_done(h, r, msg->data.result)) {
			CSF_GROW(done, done_alloc, ndone + 1);
			done[ndone++] = r->id;
		}
	}
	/* Callbacks run after the curl bookkeeping: they may submit or cancel requests, including
	 * ones finished in this same pass (those then end once, as "cancelled"). So the finished
	 * ones are remembered by id and looked up again before each callback. */
	for (i = 0; i < ndone; i++) {
		struct http_req *r = NULL;

		for (k = 0; k < h->nreqs && !r; k++)
			if (h->reqs[k]->id == done[i])
				r = h->reqs[k];
		if (!r)
			continue;	/* cancelled by an earlier callback */
		detach_req(h, r);
		finish_req(h, r);
	}
	free(done);
	return h->nreqs;
}

size_t
csf_http_wait(struct csf_http *h, long max_ms)
{
	long t = csf_http_timeout_ms(h);
	bool running = false;
	size_t i;

	if (!h->nreqs)
		return 0;
	for (i = 0; i < h->nreqs; i++)
		if (h->reqs[i]->state == REQ_RUNNING)
			running = true;
	if (t < 0 || t > max_ms)
		t = max_ms;
	if (running) {
		int n = 0;

		curl_multi_poll(h->multi, NULL, 0, (int)t, &n);
	} else if (t > 0) {
		struct timespec ts = { t / 1000, (t % 1000) * 1000000L };

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	return csf_http_perform(h);
}

void
csf_http_run(struct csf_http *h)
{
	while (csf_http_perform(h))
		csf_http_wait(h, 1000);
}

struct fetch_ctx {
	struct csf_http_response *out;
	bool finished;
};

static void
fetch_done(void *ctx, unsigned long id, struct csf_http_response *resp)
{
	struct fetch_ctx *f = ctx;

	(void)id;
	f->out->status = resp->status;
	csf_buf_release(&f->out->body);
	f->out->body = resp->body;
	csf_buf_init(&resp->body, 0);
	memcpy(f->out->content_type, resp->content_type, sizeof(resp->content_type));
	f->out->retry_after = resp->retry_after;
	f->out->attempts = resp->attempts;
	f->out->seconds = resp->seconds;
	f->out->err = resp->err;
	f->finished = true;
}

enum csf_status
csf_http_fetch(struct csf_http *h, const char *url, const struct csf_http_opts *o,
	       struct csf_http_response *resp)
{
	struct fetch_ctx f = { resp, false };
	unsigned long id;

	csf_error_clear(&resp->err);
	id = csf_http_submit(h, url, o, fetch_done, NULL, &f, &resp->err);
	if (!id)
		return resp->err.code;
	while (!f.finished) {
		csf_http_perform(h);
		if (!f.finished)
			csf_http_wait(h, 1000);
	}
	return resp->err.code;
}
