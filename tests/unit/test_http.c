/* HTTP client (core/http) against a loopback server forked by the test: retries with back-off
 * (5xx, 429, connection errors; never 4xx, POST or a timeout), timeout, cancel, the size limit,
 * redirect loops, the JSON content-type check, progress, the event-loop API, and that the bearer
 * token reaches the server but never an error message or a log line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "core/http.h"

#define TOKEN "sekret-t0ken-123"

struct fx {
	pid_t pid;
	int port;
	char log[64];			/* one line per request: the path */
	char base[64];
	struct csf_http *h;
	struct csf_buf lines;		/* log callback output */
};

static int
hits(struct fx *f, const char *path)
{
	FILE *fp = fopen(f->log, "r");
	char line[256];
	int n = 0;

	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, path))
			n++;
	}
	fclose(fp);
	return n;
}

static void
reply(int c, const char *status, const char *type, const char *extra, const char *body)
{
	char h[512];
	int n = snprintf(h, sizeof(h), "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
			 "Connection: close\r\n\r\n", status, type, strlen(body), extra);
	ssize_t w = write(c, h, (size_t)n);

	w += write(c, body, strlen(body));
	(void)w;
}

static void
serve(struct fx *f, int c)
{
	char req[4096], path[256] = "", *sp;
	size_t len = 0;
	ssize_t n;
	FILE *lf;
	bool auth;

	alarm(10);
	while (len < sizeof(req) - 1 && (n = read(c, req + len, sizeof(req) - 1 - len)) > 0) {
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") || req[0] == 0x16)	/* 0x16: a TLS ClientHello */
			break;
	}
	req[len] = '\0';
	if ((sp = strchr(req, ' ')))
		sscanf(sp + 1, "%255s", path);
	auth = strstr(req, "Authorization: Bearer " TOKEN "\r\n") != NULL;
	lf = fopen(f->log, "a");
	fprintf(lf, "%s\n", path);
	fclose(lf);
	if (!strcmp(path, "/json")) {
		reply(c, "200 OK", "application/json; charset=utf-8", "", auth ? "{\"auth\":\"bearer\"}" : "{\"auth\":\"none\"}");
	} else if (!strcmp(path, "/html")) {
		reply(c, "200 OK", "text/html", "", "<html></html>");
	} else if (!strcmp(path, "/500")) {
		reply(c, "500 Internal Server Error", "application/json", "", "{\"error\":\"boom\"}");
	} else if (!strcmp(path, "/flaky")) {
		if (hits(f, "/flaky") <= 2)
			reply(c, "503 Service Unavailable", "text/plain", "", "busy");
		else
			reply(c, "200 OK", "application/json", "", "{\"ok\":true}");
	} else if (!strcmp(path, "/429")) {
		if (hits(f, "/429") <= 1)
			reply(c, "429 Too Many Requests", "application/json", "Retry-After: 1\r\n", "{}");
		else
			reply(c, "200 OK", "application/json", "", "{\"ok\":true}");
	} else if (!strcmp(path, "/404")) {
		reply(c, "404 Not Found", "application/json", "", "{\"kind\":\"Status\",\"code\":404}");
	} else if (!strcmp(path, "/loop")) {
		reply(c, "302 Found", "text/plain", "Location: /loop\r\n", "");
	} else if (!strcmp(path, "/slow")) {
		sleep(3);
		reply(c, "200 OK", "application/json", "", "{}");
	} else if (!strcmp(path, "/big") || !strcmp(path, "/bigstream") || !strcmp(path, "/progress")) {
		char chunk[1000];
		int i, total = !strcmp(path, "/progress") ? 100 : 2000;
		char h[256];
		ssize_t w;

		memset(chunk, 'x', sizeof(chunk));
		if (!strcmp(path, "/bigstream"))
			snprintf(h, sizeof(h), "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n");
		else
			snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				 "Content-Length: %d\r\nConnection: close\r\n\r\n", total * 1000);
		w = write(c, h, strlen(h));
		for (i = 0; i < total && w > 0; i++)
			w = write(c, chunk, sizeof(chunk));
	} else if (!strcmp(path, "/trunc")) {
		const char h[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":";
		ssize_t w = write(c, h, sizeof(h) - 1);

		(void)w;
	} else {
		reply(c, "404 Not Found", "text/plain", "", "404 page not found\n");
	}
	shutdown(c, SHUT_WR);
	close(c);
}

static void
log_line(void *ctx, const char *line)
{
	struct csf_buf *b = ctx;

	csf_buf_addstr(b, line);
	csf_buf_addch(b, '\n');
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct csf_error err = CSF_ERROR_INIT;
	int fd;

	snprintf(f->log, sizeof(f->log), "/tmp/csf-http.XXXXXX");
	fd = mkstemp(f->log);
	if (fd < 0)
		return -1;
	close(fd);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 32) ||
	    getsockname(s, (struct sockaddr *)&a, &al))
		return -1;
	f->port = ntohs(a.sin_port);
	snprintf(f->base, sizeof(f->base), "http://127.0.0.1:%d", f->port);
	f->pid = fork();
	if (f->pid == 0) {
		signal(SIGCHLD, SIG_IGN);
		for (;;) {
			int c = accept(s, NULL, NULL);

			if (c < 0)
				continue;
			if (fork() == 0) {
				close(s);
				serve(f, c);
				_exit(0);
			}
			close(c);
		}
	}
	close(s);
	f->h = csf_http_new(&err);
	csf_buf_init(&f->lines, 0);
	csf_http_set_log(f->h, log_line, &f->lines);
	*state = f;
	return f->h ? 0 : -1;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	csf_http_free(f->h);
	kill(f->pid, SIGKILL);
	waitpid(f->pid, NULL, 0);
	unlink(f->log);
	csf_buf_release(&f->lines);
	free(f);
	return 0;
}

static enum csf_status
get(struct fx *f, const char *path, const struct csf_http_opts *o, struct csf_http_response *r)
{
	char url[128];

	snprintf(url, sizeof(url), "%s%s", f->base, path);
	csf_http_response_release(r);
	csf_http_response_init(r);
	return csf_http_fetch(f->h, url, o, r);
}

static void
test_http_json_and_token(void **state)
{
	struct fx *f = *state;
	struct csf_http_response r;
	struct csf_http_opts o;

	memset(&o, 0, sizeof(o));
	csf_http_response_init(&r);
	assert_int_equal(get(f, "/json", &o, &r), CSF_E_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.buf, "{\"auth\":\"none\"}");
	assert_string_equal(r.content_type, "application/json; charset=utf-8");
	assert_int_equal(r.attempts, 1);
	o.bearer_token = TOKEN;
	o.want_json = true;
	assert_int_equal(get(f, "/json", &o, &r), CSF_E_OK);
	assert_string_equal(r.body.buf, "{\"auth\":\"bearer\"}");	/* the server got it */
	/* ...and nothing we print or log carries it */
	o.backoff_ms = 5;
	get(f, "/500", &o, &r);
	get(f, "/loop", &o, &r);
	assert_null(strstr(r.err.msg, TOKEN));
	get(f, "/slow", &(struct csf_http_opts){ .bearer_token = TOKEN, .timeout_ms = 200 }, &r);
	assert_null(strstr(r.err.msg, TOKEN));
	assert_non_null(strstr(f->lines.buf, "http: GET"));
	assert_null(strstr(f->lines.buf, TOKEN));
	assert_null(strstr(f->lines.buf, "Bearer"));
	csf_http_response_release(&r);
}

static void
test_http_retries(void **state)
{
	struct fx *f = *state;
	struct csf_http_response r;
	struct csf_http_opts o;

	memset(&o, 0, sizeof(o));
	o.backoff_ms = 5;
	csf_http_response_init(&r);
	/* 503, 503, 200: retried with back-off, the caller sees the success */
	assert_int_equal(get(f, "/flaky", &o, &r), CSF_E_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(hits(f, "/flaky"), 3);
	/* a persistent 500: 1 + 2 retries, then the status is the answer */
	assert_int_equal(get(f, "/500", &o, &r), CSF_E_OK);
	assert_int_equal(r.status, 500);
	assert_int_equal(r.attempts, 3);
	assert_non_null(strstr(f->lines.buf, "http: retry "));
	/* 4xx is not retried */
	assert_int_equal(get(f, "/404", &o, &r), CSF_E_OK);
	assert_int_equal(r.status, 404);
	assert_int_equal(r.attempts, 1);
	/* 429 honours Retry-After, then succeeds */
	assert_int_equal(get(f, "/429", &o, &r), CSF_E_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 2);
	/* retries disabled; POST never retried */
	o.retries = -1;
	assert_int_equal(get(f, "/500", &o, &r), CSF_E_OK);
	assert_int_equal(r.attempts, 1);
	o.retries = 0;
	o.method = "POST";
	o.body = "{}";
	o.body_len = 2;
	o.content_type = "application/json";
	assert_int_equal(get(f, "/500", &o, &r), CSF_E_OK);
	assert_int_equal(r.attempts, 1);
	/* a truncated body (connection closed early) is a retryable transport error */
	memset(&o, 0, sizeof(o));
	o.backoff_ms = 5;
	assert_int_equal(get(f, "/trunc", &o, &r), CSF_E_HTTP);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(hits(f, "/trunc"), 3);
	csf_http_response_release(&r);
}

static void
test_http_failures_have_clear_messages(void **state)
{
	struct fx *f = *state;
	struct csf_http_response r;
	struct csf_http_opts o;
	char url[128];

	memset(&o, 0, sizeof(o));
	csf_http_response_init(&r);
	o.timeout_ms = 300;
	assert_int_equal(get(f, "/slow", &o, &r), CSF_E_HTTP);
	assert_non_null(strstr(r.err.msg, "timed out after 300 ms"));
	assert_int_equal(r.attempts, 1);			/* a timeout is not retried */
	memset(&o, 0, sizeof(o));
	o.max_bytes = 1000;
	assert_int_equal(get(f, "/big", &o, &r), CSF_E_LIMIT);
	assert_non_null(strstr(r.err.msg, "is larger than the 1000-byte limit"));
	assert_int_equal(get(f, "/bigstream", &o, &r), CSF_E_LIMIT);	/* no Content-Length */
	assert_non_null(strstr(r.err.msg, "is larger than the 1000-byte limit"));
	assert_true(r.body.len <= 1000);
	o.max_redirects = 3;
	assert_int_equal(get(f, "/loop", &o, &r), CSF_E_HTTP);
	assert_non_null(strstr(r.err.msg, "too many redirects (more than 3)"));
	memset(&o, 0, sizeof(o));
	o.want_json = true;
	assert_int_equal(get(f, "/html", &o, &r), CSF_E_HTTP);
	assert_non_null(strstr(r.err.msg, "but got content type 'text/html'"));
	/* the content type is checked on success only: an error body may be text */
	assert_int_equal(get(f, "/nowhere", &o, &r), CSF_E_OK);
	assert_int_equal(r.status, 404);
	/* nothing listens: connection refused, retried, curl's own words */
	o.backoff_ms = 5;
	snprintf(url, sizeof(url), "http://127.0.0.1:1/x");
	csf_http_response_release(&r);
	csf_http_response_init(&r);
	assert_int_equal(csf_http_fetch(f->h, url, &o, &r), CSF_E_HTTP);
	assert_non_null(strstr(r.err.msg, "http://127.0.0.1:1/x: Failed to connect"));
	assert_int_equal(r.attempts, 3);
	/* credentials in the URL (Prometheus behind basic auth) never reach the message */
	snprintf(url, sizeof(url), "http://admin:s3cret-pw@127.0.0.1:1/api/v1/query_range?q=up");
	csf_http_response_release(&r);
	csf_http_response_init(&r);
	assert_int_equal(csf_http_fetch(f->h, url, &o, &r), CSF_E_HTTP);
	assert_non_null(strstr(r.err.msg, "http://***@127.0.0.1:1/api/v1/query_range: Failed to connect"));
	assert_null(strstr(r.err.msg, "s3cret"));
	assert_null(strstr(r.err.msg, "admin"));
	/* TLS against a plain HTTP port */
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/json", f->port);
	o.retries = -1;
	csf_http_response_release(&r);
	csf_http_response_init(&r);
	assert_int_equal(csf_http_fetch(f->h, url, &o, &r), CSF_E_HTTP);
	assert_non_null(strstr(r.err.msg, "TLS failure with https://127.0.0.1:"));
	/* only http and https */
	assert_int_equal(csf_http_fetch(f->h, "file:///etc/passwd", &o, &r), CSF_E_USAGE);
	assert_non_null(strstr(r.err.msg, "unsupported URL 'file:///etc/passwd'"));
	csf_http_response_release(&r);
}

struct done_log {
	int n;
	unsigned long ids[8];
	long status[8];
	char msg[8][256];
	size_t progress_max;
};

static void
on_done(void *ctx, unsigned long id, struct csf_http_response *r)
{
	struct done_log *d = ctx;

	d->ids[d->n] = id;
	d->status[d->n] = r->status;
	snprintf(d->msg[d->n], sizeof(d->msg[0]), "%s", r->err.msg);
	d->n++;
}

static void
on_progress(void *ctx, unsigned long id, size_t got, size_t total)
{
	struct done_log *d = ctx;

	(void)id;
	assert_true(total == 0 || total == 100000);
	if (got > d->progress_max)
		d->progress_max = got;
}

static void
test_http_event_loop_cancel_progress(void **state)
{
	struct fx *f = *state;
	struct done_log d;
	struct csf_error err = CSF_ERROR_INIT;
	char u1[128], u2[128], u3[128];
	unsigned long a, b, c;
	int rounds = 0;

	memset(&d, 0, sizeof(d));
	snprintf(u1, sizeof(u1), "%s/json", f->base);
	snprintf(u2, sizeof(u2), "%s/progress", f->base);
	snprintf(u3, sizeof(u3), "%s/slow", f->base);
	a = csf_http_submit(f->h, u1, NULL, on_done, NULL, &d, &err);
	b = csf_http_submit(f->h, u2, NULL, on_done, on_progress, &d, &err);
	c = csf_http_submit(f->h, u3, NULL, on_done, NULL, &d, &err);
	assert_true(a && b && c && a != b);
	assert_int_equal(d.n, 0);		/* never called from submit */
	assert_int_equal(csf_http_pending(f->h), 3);
	/* a select() loop like the TUI's: fds + timeout, then perform */
	while (d.n < 2 && rounds++ < 1000) {
		fd_set rd, wr, ex;
		int maxfd = -1;
		long t = csf_http_timeout_ms(f->h);
		struct timeval tv = { 0, (t < 0 || t > 50 ? 50 : t) * 1000 };

		FD_ZERO(&rd);
		FD_ZERO(&wr);
		FD_ZERO(&ex);
		csf_http_fdset(f->h, &rd, &wr, &ex, &maxfd);
		select(maxfd + 1, &rd, &wr, &ex, &tv);
		csf_http_perform(f->h);
	}
	assert_int_equal(d.n, 2);
	assert_int_equal(d.progress_max, 100000);
	assert_int_equal(csf_http_pending(f->h), 1);
	/* cancel the slow one: its callback runs now, with "cancelled" */
	assert_true(csf_http_cancel(f->h, c));
	assert_int_equal(d.n, 3);
	assert_int_equal(d.ids[2], c);
	assert_string_equal(d.msg[2], "cancelled");
	assert_false(csf_http_cancel(f->h, c));
	assert_int_equal(csf_http_pending(f->h), 0);
	assert_int_equal(csf_http_timeout_ms(f->h), -1);
}

struct pair {
	struct csf_http *h;
	unsigned long other;
	int calls_first, calls_other;
	char other_msg[256];
};

static void
on_first(void *ctx, unsigned long id, struct csf_http_response *r)
{
	struct pair *p = ctx;

	(void)id;
	(void)r;
	p->calls_first++;
	csf_http_cancel(p->h, p->other);
}

static void
on_other(void *ctx, unsigned long id, struct csf_http_response *r)
{
	struct pair *p = ctx;

	(void)id;
	p->calls_other++;
	snprintf(p->other_msg, sizeof(p->other_msg), "%s", r->err.msg);
}

/* A callback cancels a request that failed in the same perform pass (both refused at once):
 * the other callback runs exactly once, as cancelled, and nothing touches freed memory. */
static void
test_http_cancel_from_callback(void **state)
{
	struct fx *f = *state;
	struct pair p;
	struct csf_http_opts o;
	struct csf_error err = CSF_ERROR_INIT;

	memset(&p, 0, sizeof(p));
	memset(&o, 0, sizeof(o));
	o.retries = -1;
	p.h = f->h;
	assert_true(csf_http_submit(f->h, "http://127.0.0.1:1/a", &o, on_first, NULL, &p, &err));
	p.other = csf_http_submit(f->h, "http://127.0.0.1:1/b", &o, on_other, NULL, &p, &err);
	assert_true(p.other);
	csf_http_run(f->h);
	assert_int_equal(p.calls_first, 1);
	assert_int_equal(p.calls_other, 1);
	assert_string_equal(p.other_msg, "cancelled");
	assert_int_equal(csf_http_pending(f->h), 0);
}

static void
test_http_helpers(void **state)
{
	struct csf_buf b = CSF_BUF_INIT;

	(void)state;
	csf_http_urlencode(&b, "a=b,c/d e~_.-\xc3\xa9");
	assert_string_equal(b.buf, "a%3Db%2Cc%2Fd%20e~_.-%C3%A9");
	csf_buf_release(&b);
	assert_true(csf_http_is_json_type("application/json"));
	assert_true(csf_http_is_json_type("Application/JSON; charset=utf-8"));
	assert_true(csf_http_is_json_type("application/merge-patch+json"));
	assert_false(csf_http_is_json_type("text/plain; charset=utf-8"));
	assert_false(csf_http_is_json_type("application/jsonp"));
	assert_false(csf_http_is_json_type(""));
	assert_false(csf_http_is_json_type(NULL));
	csf_http_redact_url(&b, "https://user:pw@prom.example.com:9090/api?x=a@b");
	assert_string_equal(b.buf, "https://***@prom.example.com:9090/api?x=a@b");
	csf_buf_reset(&b);
	csf_http_redact_url(&b, "https://TOKEN@host");
	assert_string_equal(b.buf, "https://***@host");
	csf_buf_reset(&b);
	csf_http_redact_url(&b, "http://127.0.0.1:1/x?who=a@b");
	assert_string_equal(b.buf, "http://127.0.0.1:1/x?who=a@b");
	csf_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_http_json_and_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_failures_have_clear_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_event_loop_cancel_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_cancel_from_callback, setup, teardown),
		cmocka_unit_test(test_http_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
