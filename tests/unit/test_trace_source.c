/* core/trace_source: source specs, the Jaeger/Tempo/Zipkin request URLs (each with its own time
 * units and id forms), response handling (error envelopes, status codes, content types), the
 * file and folder source, and an HTTP source driven through a fake transport. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/trace.h"
#include "core/trace_source.h"

#define NOW_US 1795718400000000LL	/* 2026-11-26T18:40:00Z */

static void
test_trace_source_spec_parse(void **state)
{
	struct csf_error err = CSF_ERROR_INIT;
	enum csf_trace_backend b;
	const char *rest;

	(void)state;
	assert_int_equal(csf_trace_spec_parse("jaeger:http://127.0.0.1:16686", &b, &rest, &err), 0);
	assert_int_equal(b, CSF_TB_JAEGER);
	assert_string_equal(rest, "http://127.0.0.1:16686");
	assert_int_equal(csf_trace_spec_parse("tempo:https://tempo:3200/", &b, &rest, &err), 0);
	assert_int_equal(b, CSF_TB_TEMPO);
	assert_int_equal(csf_trace_spec_parse("zipkin:http://z:9411", &b, &rest, &err), 0);
	assert_int_equal(b, CSF_TB_ZIPKIN);
	assert_int_equal(csf_trace_spec_parse("file:samples/traces", &b, &rest, &err), 0);
	assert_int_equal(b, CSF_TB_FILE);
	assert_string_equal(rest, "samples/traces");
	/* a bare path is a file source, even with a colon later in it */
	assert_int_equal(csf_trace_spec_parse("/data/run:1.json", &b, &rest, &err), 0);
	assert_int_equal(b, CSF_TB_FILE);
	assert_string_equal(rest, "/data/run:1.json");
	assert_int_equal(csf_trace_spec_parse("http://jaeger:16686", &b, &rest, &err), CSF_E_USAGE);
	assert_non_null(strstr(err.msg, "say which backend"));
	assert_int_equal(csf_trace_spec_parse("jaeger:", &b, &rest, &err), CSF_E_USAGE);
	assert_int_equal(csf_trace_spec_parse("tempo:ftp://x", &b, &rest, &err), CSF_E_USAGE);
	assert_int_equal(csf_trace_spec_parse("", &b, &rest, &err), CSF_E_USAGE);
	assert_true(csf_trace_backend_from_name("zipkin", &b));
	assert_int_equal(b, CSF_TB_ZIPKIN);
	assert_false(csf_trace_backend_from_name("skywalking", &b));
}

static void
check_search_url(enum csf_trace_backend b, const struct csf_trace_query *q, const char *want)
{
	struct csf_buf url = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	assert_int_equal(csf_trace_search_url(&url, b, b == CSF_TB_TEMPO ? "http://t:3200/" :
					      "http://h:1", q, NOW_US, &err), CSF_E_OK);
	assert_string_equal(url.buf, want);
	csf_buf_release(&url);
}

static void
test_trace_source_search_urls(void **state)
{
	struct csf_trace_query q;
	struct csf_buf url = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	memset(&q, 0, sizeof(q));
	q.service = "booking-service";
	q.operation = "POST /appointments";
	q.tags = "tenantId=vetclinic-001 note=\"a b\"";
	q.lookback_us = 3600LL * 1000000;
	q.min_dur_ns = 100000000;	/* 100ms */
	q.max_dur_ns = 1500;		/* 1.5µs: Go durations must stay exact */
	q.limit = 50;
	/* Jaeger: start/end in µs, Go durations, tags as JSON */
	check_search_url(CSF_TB_JAEGER, &q,
		"http://h:1/api/traces?service=booking-service&operation=POST%20%2Fappointments"
		"&tags=%7B%22tenantId%22%3A%22vetclinic-001%22%2C%22note%22%3A%22a%20b%22%7D"
		"&start=1795714800000000&end=1795718400000000&minDuration=100ms&maxDuration=1500ns"
		"&limit=50");
	/* Tempo: TraceQL, start/end in seconds */
	check_search_url(CSF_TB_TEMPO, &q,
		"http://t:3200/api/search?q=%7Bresource.service.name%3D%22booking-service%22%20%26%26"
		"%20name%3D%22POST%20%2Fappointments%22%20%26%26%20.tenantId%3D%22vetclinic-001%22"
		"%20%26%26%20.note%3D%22a%20b%22%20%26%26%20traceDuration%3E%3D100ms%20%26%26%20"
		"traceDuration%3C%3D1500ns%7D&start=1795714800&end=1795718400&limit=50");
	/* Zipkin: endTs and lookback in ms, durations in µs */
	check_search_url(CSF_TB_ZIPKIN, &q,
		"http://h:1/api/v2/traces?serviceName=booking-service&spanName=POST%20%2Fappointments"
		"&annotationQuery=tenantId%3Dvetclinic-001%20and%20note%3Da%20b&minDuration=100000"
		"&maxDuration=1&endTs=1795718400000&lookback=3600000&limit=50");
	/* no bounds: the backends' defaults, limit 20 */
	memset(&q, 0, sizeof(q));
	check_search_url(CSF_TB_TEMPO, &q, "http://t:3200/api/search?q=%7B%7D&end=1795718400&limit=20");
	check_search_url(CSF_TB_ZIPKIN, &q, "http://h:1/api/v2/traces?endTs=1795718400000&limit=20");
	/* Jaeger refuses a search without a service (its API answers 400) */
	assert_int_equal(csf_trace_search_url(&url, CSF_TB_JAEGER, "http://h", &q, NOW_US, &err),
			 CSF_E_USAGE);
	assert_non_null(strstr(err.msg, "needs a service"));
	csf_buf_release(&url);
}

static void
test_trace_source_fetch_urls(void **state)
{
	struct csf_buf url = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(csf_trace_fetch_url(&url, CSF_TB_JAEGER, "http://j:16686/",
					     "5B8EFFF798038103D269B633813FC60C", &err), 0);
	assert_string_equal(url.buf, "http://j:16686/api/traces/5b8efff798038103d269b633813fc60c");
	csf_buf_reset(&url);
	/* Tempo wants all 32 digits, even for a 64-bit id */
	assert_int_equal(csf_trace_fetch_url(&url, CSF_TB_TEMPO, "http://t:3200", "d269b633813fc60c",
					     &err), 0);
	assert_string_equal(url.buf, "http://t:3200/api/traces/0000000000000000d269b633813fc60c");
	csf_buf_reset(&url);
	/* a base64 id (as Tempo's own JSON carries it) is normalised to hex */
	assert_int_equal(csf_trace_fetch_url(&url, CSF_TB_ZIPKIN, "http://z:9411",
					     "W47/95gDgQPSabYzgT/GDA==", &err), 0);
	assert_string_equal(url.buf, "http://z:9411/api/v2/trace/5b8efff798038103d269b633813fc60c");
	csf_buf_reset(&url);
	assert_int_equal(csf_trace_fetch_url(&url, CSF_TB_ZIPKIN, "http://z", "../etc/passwd", &err),
			 CSF_E_USAGE);
	csf_buf_release(&url);
}

static const char jaeger_404[] =
	"{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":404,"
	"\"msg\":\"trace not found\"}]}\n";

static void
test_trace_source_response_errors(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_error err = CSF_ERROR_INIT;
	char msg[400];

	(void)state;
	/* Jaeger's 404 envelope arrives as text/plain: its own message is used */
	assert_int_equal(csf_trace_parse_response(CSF_TB_JAEGER, false, "http://j/api/traces/01", 404,
						  "text/plain; charset=utf-8", jaeger_404,
						  strlen(jaeger_404), set, &err), CSF_E_NOTFOUND);
	assert_string_equal(csf_error_format(&err, msg, sizeof(msg)),
			    "http://j/api/traces/01: jaeger: trace not found (404)");
	assert_int_equal(csf_trace_parse_response(CSF_TB_TEMPO, false, "http://t/api/traces/01", 404,
						  "text/plain", "trace not found\n", 16, set, &err),
			 CSF_E_NOTFOUND);
	assert_non_null(strstr(err.msg, "trace not found (HTTP 404)"));
	assert_int_equal(csf_trace_parse_response(CSF_TB_ZIPKIN, true, "u", 401, "", "", 0, set,
						  &err), CSF_E_AUTH);
	/* a 500 shows the first line of the body, sanitized */
	assert_int_equal(csf_trace_parse_response(CSF_TB_ZIPKIN, true, "u", 500, "text/plain",
						  "boom \033[31mred\nsecond line",
						  strlen("boom \033[31mred\nsecond line"), set, &err),
			 CSF_E_HTTP);
	assert_string_equal(err.msg, "HTTP 500: boom \xEF\xBF\xBDred");
	/* a proxy's HTML login page is not trace JSON */
	assert_int_equal(csf_trace_parse_response(CSF_TB_TEMPO, true, "u", 200,
						  "text/html; charset=utf-8", "<html>", 6, set, &err),
			 CSF_E_HTTP);
	assert_non_null(strstr(err.msg, "expected a JSON response, got text/html"));
	/* truncated JSON: a position in the body */
	assert_int_equal(csf_trace_parse_response(CSF_TB_ZIPKIN, false, "u", 200, "application/json",
						  "[{\"traceId\":\"01\"", 16, set, &err), CSF_E_PARSE);
	assert_string_equal(csf_error_format(&err, msg, sizeof(msg)),
			    "u:1:17: unexpected end of input (truncated JSON?)");
	assert_int_equal(set->ntraces, 0);
	csf_trace_set_free(set);
}

/* ---- fake transport: serves fixture files by URL --------------------------------------------- */

struct fake {
	const char *want_prefix;	/* the URL must start with this */
	const char *file;		/* body from this file */
	long status;
	const char *ctype;
	char last_url[512];
	int calls;
};

static enum csf_status
fake_get(void *ctx, const char *url, const char *accept, long *status, struct csf_buf *ctype,
	 struct csf_buf *body, struct csf_error *err)
{
	struct fake *f = ctx;

	(void)err;
	f->calls++;
	snprintf(f->last_url, sizeof(f->last_url), "%s", url);
	assert_string_equal(accept, "application/json");
	assert_true(!strncmp(url, f->want_prefix, strlen(f->want_prefix)));
	csf_buf_reset(body);
	csf_buf_reset(ctype);
	csf_buf_addstr(ctype, f->ctype);
	*status = f->status;
	if (f->file)
		assert_int_equal(csf_buf_read_file(body, f->file, 1 << 20), 0);
	return CSF_E_OK;
}

static void
test_trace_source_http_with_fake_transport(void **state)
{
	struct fake f = { "http://tempo:3200/api/traces/4bf92f3577b34da6a3ce929d0e0e4736",
			  "tests/fixtures/traces/tempo-trace.json", 200, "application/json", "", 0 };
	struct csf_trace_transport tr = { fake_get, &f };
	struct csf_trace_source *src = NULL;
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_trace_query q;
	struct csf_trace *t;

	(void)state;
	assert_int_equal(csf_trace_source_open("tempo:http://tempo:3200", &tr, &src, &err), 0);
	assert_int_equal(src->ops->fetch(src, "4bf92f3577b34da6a3ce929d0e0e4736", set, &err), 0);
	t = csf_trace_set_find(set, "4bf92f3577b34da6a3ce929d0e0e4736");
	assert_non_null(t);
	assert_true(t->built);
	assert_int_equal(t->nspans, 12);
	assert_int_equal(t->nerrors, 1);
	/* search gives summaries for Tempo */
	f.want_prefix = "http://tempo:3200/api/search?q=";
	f.file = "tests/fixtures/traces/tempo-search.json";
	memset(&q, 0, sizeof(q));
	q.service = "agent-orchestrator";
	assert_int_equal(src->ops->search(src, &q, set, &err), 0);
	assert_int_equal(set->nsummaries, 2);
	/* a 200 whose body lacks the asked-for trace is "not found", not an empty view */
	f.want_prefix = "http://tempo:3200/api/traces/";
	f.file = "tests/fixtures/traces/tempo-trace.json";
	assert_int_equal(src->ops->fetch(src, "0123456789abcdef", set, &err), CSF_E_NOTFOUND);
	csf_trace_source_close(src);
	csf_trace_set_free(set);
	/* Jaeger's 404 through the source */
	set = csf_trace_set_new();
	f.want_prefix = "http://jaeger/api/traces/";
	f.file = NULL;
	f.status = 404;
	f.ctype = "text/plain";
	assert_int_equal(csf_trace_source_open("jaeger:http://jaeger", &tr, &src, &err), 0);
	assert_int_equal(src->ops->fetch(src, "01", set, &err), CSF_E_NOTFOUND);
	csf_trace_source_close(src);
	csf_trace_set_free(set);
	/* no transport: an HTTP source cannot be made */
	assert_int_equal(csf_trace_source_open("zipkin:http://z", NULL, &src, &err), CSF_E_USAGE);
	assert_null(src);
}

static void
test_trace_source_file_search_and_fetch(void **state)
{
	struct csf_trace_source *src = NULL;
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_trace_query q;

	(void)state;
	assert_int_equal(csf_trace_source_open("file:samples/traces", NULL, &src, &err), 0);
	memset(&q, 0, sizeof(q));
	assert_int_equal(src->ops->search(src, &q, set, &err), 0);
	assert_int_equal(set->ntraces, 3);
	csf_trace_set_free(set);
	/* service + tag + minimum trace duration */
	set = csf_trace_set_new();
	q.service = "notification-service";
	q.tags = "tenantId=vetclinic-001";
	q.min_dur_ns = 1500000000;	/* only the slow 1.84 s run */
	assert_int_equal(src->ops->search(src, &q, set, &err), 0);
	assert_int_equal(set->ntraces, 1);
	assert_non_null(csf_trace_set_find(set, "4bf92f3577b34da6a3ce929d0e0e4736"));
	csf_trace_set_free(set);
	/* error=true also finds spans whose status is error (Zipkin and OTLP traces) */
	set = csf_trace_set_new();
	memset(&q, 0, sizeof(q));
	q.tags = "error=true";
	assert_int_equal(src->ops->search(src, &q, set, &err), 0);
	assert_int_equal(set->ntraces, 2);
	csf_trace_set_free(set);
	/* limit */
	set = csf_trace_set_new();
	memset(&q, 0, sizeof(q));
	q.limit = 1;
	assert_int_equal(src->ops->search(src, &q, set, &err), 0);
	assert_int_equal(set->ntraces, 1);
	csf_trace_set_free(set);
	/* fetch by id keeps only that trace */
	set = csf_trace_set_new();
	assert_int_equal(src->ops->fetch(src, "7d1a0c5e93b24f0e8c6b2f4a9e1d3c55", set, &err), 0);
	assert_int_equal(set->ntraces, 1);
	assert_int_equal(set->traces[0].nspans, 12);
	assert_int_equal(src->ops->fetch(src, "00000000000000000000000000000001", set, &err),
			 CSF_E_NOTFOUND);
	csf_trace_set_free(set);
	csf_trace_source_close(src);
	assert_int_equal(csf_trace_source_open("file:no/such/place", NULL, &src, &err), CSF_E_IO);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_trace_source_folder_merges_spans_across_files(void **state)
{
	char dir[] = "/tmp/csf-trace-src-XXXXXX", path[128];
	struct csf_trace_source *src = NULL;
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_trace *t;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* one trace exported in two chunks (a collector file exporter rotating), in two formats,
	 * plus a file that is not a trace file and a hidden one: both ignored */
	snprintf(path, sizeof(path), "%s/a.jsonl", dir);
	write_file(path, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
		   "\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"0000000000000001\","
		   "\"startTimeUnixNano\":\"1000000000\",\"endTimeUnixNano\":\"2000000000\"}]}]}]}\n");
	snprintf(path, sizeof(path), "%s/b.json", dir);
	write_file(path, "[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"id\":\"0000000000000002\","
		   "\"parentId\":\"0000000000000001\",\"timestamp\":1100000,\"duration\":500000}]");
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	write_file(path, "not json");
	snprintf(path, sizeof(path), "%s/.hidden.json", dir);
	write_file(path, "not json either");
	assert_int_equal(csf_trace_source_file(dir, &src, &err), 0);
	assert_int_equal(src->ops->fetch(src, "0af7651916cd43dd8448eb211c80319c", set, &err), 0);
	t = &set->traces[0];
	assert_int_equal(set->ntraces, 1);
	assert_int_equal(t->nspans, 2);
	assert_int_equal(t->nroots, 1);
	assert_int_equal(t->spans[1].parent, 0);
	assert_int_equal(t->spans[0].self_ns, 500000000);
	csf_trace_source_close(src);
	csf_trace_set_free(set);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_source_spec_parse),
		cmocka_unit_test(test_trace_source_search_urls),
		cmocka_unit_test(test_trace_source_fetch_urls),
		cmocka_unit_test(test_trace_source_response_errors),
		cmocka_unit_test(test_trace_source_http_with_fake_transport),
		cmocka_unit_test(test_trace_source_file_search_and_fetch),
		cmocka_unit_test(test_trace_source_folder_merges_spans_across_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
