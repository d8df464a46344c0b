/* core/trace_parse: OTLP/JSON, Jaeger, Zipkin and Tempo payloads exactly as
 * reference/formats.md §4 shows them, and each format's traps: base64 vs hex ids, int64 as
 * strings or numbers, microseconds vs nanoseconds, missing fields meaning 0, enum names vs
 * integers, legacy instrumentationLibrarySpans, JSON Lines; plus malformed and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/trace.h"
#include "core/trace_parse.h"

#define MS 1000000LL
#define T0 1795718400000000000LL	/* 2026-11-26T18:40:00Z in ns */

/* formats.md §4.1, verbatim */
static const char otlp_doc[] =
"{\"resourceSpans\":[\n"
" {\"resource\":{\"attributes\":[\n"
"    {\"key\":\"service.name\",\"value\":{\"stringValue\":\"booking-service\"}},\n"
"    {\"key\":\"k8s.namespace.name\",\"value\":{\"stringValue\":\"vetclinic-001\"}}]},\n"
"  \"scopeSpans\":[{\"scope\":{\"name\":\"io.opentelemetry.http\",\"version\":\"1.32.0\"},\"spans\":[\n"
"   {\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"POST /appointments\",\"kind\":2,\n"
"    \"startTimeUnixNano\":\"1795718400000000000\",\"endTimeUnixNano\":\"1795718400120000000\",\n"
"    \"attributes\":[{\"key\":\"http.request.method\",\"value\":{\"stringValue\":\"POST\"}},\n"
"                  {\"key\":\"http.response.status_code\",\"value\":{\"intValue\":\"201\"}}],\n"
"    \"status\":{}},\n"
"   {\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"0aa19b7ec3c1b175\",\"parentSpanId\":\"eee19b7ec3c1b174\",\n"
"    \"name\":\"INSERT appointments\",\"kind\":3,\n"
"    \"startTimeUnixNano\":\"1795718400015000000\",\"endTimeUnixNano\":\"1795718400057000000\",\n"
"    \"attributes\":[{\"key\":\"db.system\",\"value\":{\"stringValue\":\"postgresql\"}},\n"
"                  {\"key\":\"db.rows\",\"value\":{\"intValue\":1}},\n"
"                  {\"key\":\"retry\",\"value\":{\"boolValue\":false}}],\n"
"    \"events\":[{\"timeUnixNano\":\"1795718400016000000\",\"name\":\"pool.acquired\",\"attributes\":[]}],\n"
"    \"status\":{\"code\":1}}]}]},\n"
" {\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"reminder-worker\"}}]},\n"
"  \"scopeSpans\":[{\"scope\":{\"name\":\"manual\"},\"spans\":[\n"
"   {\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"0bb19b7ec3c1b176\",\"parentSpanId\":\"eee19b7ec3c1b174\",\n"
"    \"name\":\"schedule reminder\",\"kind\":2,\"flags\":769,\n"
"    \"startTimeUnixNano\":\"1795718400070000000\",\"endTimeUnixNano\":\"1795718400108000000\",\n"
"    \"attributes\":[{\"key\":\"queue.depth\",\"value\":{\"doubleValue\":12.5}},\n"
"                  {\"key\":\"tags\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"sms\"},{\"stringValue\":\"email\"}]}}}],\n"
"    \"links\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\"}],\n"
"    \"status\":{\"code\":2,\"message\":\"SMS gateway timeout\"}}]}]}]}\n";

/* formats.md §4.2, verbatim */
static const char jaeger_doc[] =
"{\"data\":[{\"traceID\":\"5b8efff798038103d269b633813fc60c\",\n"
"  \"spans\":[\n"
"   {\"traceID\":\"5b8efff798038103d269b633813fc60c\",\"spanID\":\"eee19b7ec3c1b174\",\"operationName\":\"POST /appointments\",\n"
"    \"references\":[],\"startTime\":1795718400000000,\"duration\":120000,\"flags\":1,\"logs\":[],\"processID\":\"p1\",\"warnings\":null,\n"
"    \"tags\":[{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"server\"},{\"key\":\"http.response.status_code\",\"type\":\"int64\",\"value\":201}]},\n"
"   {\"traceID\":\"5b8efff798038103d269b633813fc60c\",\"spanID\":\"0aa19b7ec3c1b175\",\"operationName\":\"INSERT appointments\",\n"
"    \"references\":[{\"refType\":\"CHILD_OF\",\"traceID\":\"5b8efff798038103d269b633813fc60c\",\"spanID\":\"eee19b7ec3c1b174\"}],\n"
"    \"startTime\":1795718400015000,\"duration\":42000,\"processID\":\"p1\",\"warnings\":null,\n"
"    \"tags\":[{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"client\"},{\"key\":\"db.system\",\"type\":\"string\",\"value\":\"postgresql\"}],\n"
"    \"logs\":[{\"timestamp\":1795718400016000,\"fields\":[{\"key\":\"event\",\"type\":\"string\",\"value\":\"pool.acquired\"}]}]},\n"
"   {\"traceID\":\"5b8efff798038103d269b633813fc60c\",\"spanID\":\"0bb19b7ec3c1b176\",\"operationName\":\"schedule reminder\",\n"
"    \"references\":[{\"refType\":\"CHILD_OF\",\"traceID\":\"5b8efff798038103d269b633813fc60c\",\"spanID\":\"eee19b7ec3c1b174\"}],\n"
"    \"startTime\":1795718400070000,\"duration\":38000,\"logs\":[],\"processID\":\"p2\",\"warnings\":null,\n"
"    \"tags\":[{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"server\"},{\"key\":\"error\",\"type\":\"bool\",\"value\":true},\n"
"            {\"key\":\"otel.status_code\",\"type\":\"string\",\"value\":\"ERROR\"},{\"key\":\"otel.status_description\",\"type\":\"string\",\"value\":\"SMS gateway timeout\"}]}],\n"
"  \"processes\":{\"p1\":{\"serviceName\":\"booking-service\",\"tags\":[{\"key\":\"k8s.namespace.name\",\"type\":\"string\",\"value\":\"vetclinic-001\"}]},\n"
"               \"p2\":{\"serviceName\":\"reminder-worker\",\"tags\":[]}},\n"
"  \"warnings\":null}],\n"
" \"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}\n";

/* formats.md §4.3, verbatim */
static const char zipkin_doc[] =
"[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"id\":\"eee19b7ec3c1b174\",\"name\":\"post /appointments\",\"kind\":\"SERVER\",\n"
"  \"timestamp\":1795718400000000,\"duration\":120000,\n"
"  \"localEndpoint\":{\"serviceName\":\"booking-service\",\"ipv4\":\"192.0.2.17\",\"port\":8080},\"remoteEndpoint\":{\"ipv4\":\"192.0.2.1\"},\n"
"  \"tags\":{\"http.method\":\"POST\",\"http.path\":\"/appointments\",\"http.status_code\":\"201\"}},\n"
" {\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"parentId\":\"eee19b7ec3c1b174\",\"id\":\"0aa19b7ec3c1b175\",\n"
"  \"name\":\"insert appointments\",\"kind\":\"CLIENT\",\"timestamp\":1795718400015000,\"duration\":42000,\n"
"  \"localEndpoint\":{\"serviceName\":\"booking-service\"},\"remoteEndpoint\":{\"serviceName\":\"postgres\",\"port\":5432},\n"
"  \"annotations\":[{\"timestamp\":1795718400016000,\"value\":\"pool.acquired\"}]},\n"
" {\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"parentId\":\"eee19b7ec3c1b174\",\"id\":\"0bb19b7ec3c1b176\",\n"
"  \"name\":\"schedule reminder\",\"kind\":\"SERVER\",\"timestamp\":1795718400070000,\"duration\":38000,\"shared\":false,\n"
"  \"localEndpoint\":{\"serviceName\":\"reminder-worker\"},\"tags\":{\"error\":\"SMS gateway timeout\"}}]\n";

/* formats.md §4.4, verbatim: Tempo v2 trace by id (base64 ids, enum names) */
static const char tempo_doc[] =
"{\"trace\":{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"booking-service\"}}]},\n"
"  \"scopeSpans\":[{\"scope\":{\"name\":\"io.opentelemetry.http\"},\"spans\":[\n"
"   {\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\",\"spanId\":\"7uGbfsPBsXQ=\",\"name\":\"POST /appointments\",\"kind\":\"SPAN_KIND_SERVER\",\n"
"    \"startTimeUnixNano\":\"1795718400000000000\",\"endTimeUnixNano\":\"1795718400120000000\",\"status\":{}},\n"
"   {\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\",\"spanId\":\"CqGbfsPBsXU=\",\"parentSpanId\":\"7uGbfsPBsXQ=\",\n"
"    \"name\":\"INSERT appointments\",\"kind\":\"SPAN_KIND_CLIENT\",\n"
"    \"startTimeUnixNano\":\"1795718400015000000\",\"endTimeUnixNano\":\"1795718400057000000\",\n"
"    \"status\":{\"code\":\"STATUS_CODE_OK\"}}]}]}]}}\n";

/* formats.md §4.4, verbatim: Tempo search */
static const char tempo_search_doc[] =
"{\"traces\":[{\"traceID\":\"5b8efff798038103d269b633813fc60c\",\"rootServiceName\":\"booking-service\",\n"
"   \"rootTraceName\":\"POST /appointments\",\"startTimeUnixNano\":\"1795718400000000000\",\"durationMs\":120,\n"
"   \"spanSets\":[{\"spans\":[{\"spanID\":\"0bb19b7ec3c1b176\",\"name\":\"schedule reminder\",\n"
"      \"startTimeUnixNano\":\"1795718400070000000\",\"durationNanos\":\"38000000\",\n"
"      \"attributes\":[{\"key\":\"status\",\"value\":{\"stringValue\":\"error\"}}]}],\"matched\":1}]},\n"
"  {\"traceID\":\"9b633813fc60c\",\"rootServiceName\":\"reminder-worker\",\"startTimeUnixNano\":\"1795718401000000000\"}],\n"
" \"metrics\":{\"inspectedBytes\":\"292781\",\"totalBlocks\":13,\"completedJobs\":1,\"totalJobs\":1}}\n";

static struct csf_trace_set *
parse_ok(const char *doc, enum csf_trace_format want_found)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_error err = CSF_ERROR_INIT;
	enum csf_trace_format found;
	enum csf_status st = csf_trace_parse(set, "doc.json", doc, strlen(doc), CSF_TRACE_AUTO,
					     &found, &err);

	if (st)
		fail_msg("parse failed: %s", err.msg);
	assert_int_equal(found, want_found);
	csf_trace_set_build(set);
	return set;
}

/* Parses doc expecting failure; returns the formatted error in out. */
static enum csf_status
parse_err(const char *doc, size_t len, char *out, size_t n)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_error err = CSF_ERROR_INIT;
	enum csf_status st = csf_trace_parse(set, "bad.json", doc, len, CSF_TRACE_AUTO, NULL, &err);

	assert_int_not_equal(st, CSF_E_OK);
	csf_error_format(&err, out, n);
	csf_trace_set_free(set);
	return st;
}

static const struct csf_span *
by_id(const struct csf_trace *t, uint64_t id)
{
	size_t i;

	for (i = 0; i < t->nspans; i++)
		if (t->spans[i].id == id)
			return &t->spans[i];
	fail_msg("no span %016llx", (unsigned long long)id);
	return NULL;
}

static const char *
attr(const struct csf_trace_set *set, const struct csf_span *s, const char *k)
{
	const struct csf_trace_attr *a = csf_span_attr(set, s, k);

	return a ? a->value : NULL;
}

/* The three formats describe the same trace; all must give the same model. */
static void
check_example_trace(const struct csf_trace_set *set)
{
	const struct csf_trace *t;
	const struct csf_span *root, *db, *rem;

	assert_int_equal(set->ntraces, 1);
	t = csf_trace_set_find(set, "5b8efff798038103d269b633813fc60c");
	assert_non_null(t);
	assert_int_equal(t->nspans, 3);
	root = by_id(t, 0xeee19b7ec3c1b174ULL);
	db = by_id(t, 0x0aa19b7ec3c1b175ULL);
	rem = by_id(t, 0x0bb19b7ec3c1b176ULL);
	assert_int_equal(t->nroots, 1);
	assert_ptr_equal(&t->spans[t->roots[0]], root);
	assert_string_equal(root->service, "booking-service");
	assert_string_equal(rem->service, "reminder-worker");
	assert_int_equal(root->start_ns, T0);
	assert_int_equal(root->dur_ns, 120 * MS);
	assert_int_equal(db->start_ns, T0 + 15 * MS);
	assert_int_equal(db->dur_ns, 42 * MS);
	assert_int_equal(rem->dur_ns, 38 * MS);
	assert_int_equal(root->kind, CSF_SPAN_KIND_SERVER);
	assert_int_equal(db->kind, CSF_SPAN_KIND_CLIENT);
	assert_int_equal(rem->status, CSF_SPAN_ERROR);
	assert_string_equal(rem->status_msg, "SMS gateway timeout");
	assert_int_equal(root->status, CSF_SPAN_UNSET);
	assert_int_equal(t->nerrors, 1);
	assert_int_equal(root->self_ns, 120 * MS - 42 * MS - 38 * MS);
	assert_int_equal(db->nevent, 1);
	assert_string_equal(set->events[db->event].name, "pool.acquired");
	assert_int_equal(set->events[db->event].time_ns, T0 + 16 * MS);
}

static void
test_trace_parse_otlp_example(void **state)
{
	struct csf_trace_set *set = parse_ok(otlp_doc, CSF_TRACE_OTLP);
	const struct csf_trace *t = &set->traces[0];
	const struct csf_span *db = by_id(t, 0x0aa19b7ec3c1b175ULL);
	const struct csf_span *rem = by_id(t, 0x0bb19b7ec3c1b176ULL);
	const struct csf_trace_attr *a;

	(void)state;
	check_example_trace(set);
	assert_int_equal(db->status, CSF_SPAN_OK);
	/* intValue as a string and as a number; bool; double; array */
	assert_string_equal(attr(set, by_id(t, 0xeee19b7ec3c1b174ULL), "http.response.status_code"),
			    "201");
	a = csf_span_attr(set, db, "db.rows");
	assert_string_equal(a->value, "1");
	assert_int_equal(a->type, CSF_ATTR_INT);
	assert_string_equal(attr(set, db, "retry"), "false");
	assert_string_equal(attr(set, rem, "queue.depth"), "12.5");
	assert_string_equal(attr(set, rem, "tags"), "[\"sms\",\"email\"]");
	/* resource attributes are reachable from the span */
	assert_string_equal(attr(set, db, "k8s.namespace.name"), "vetclinic-001");
	assert_null(attr(set, rem, "k8s.namespace.name"));
	csf_trace_set_free(set);
}

static void
test_trace_parse_jaeger_example_microseconds(void **state)
{
	struct csf_trace_set *set = parse_ok(jaeger_doc, CSF_TRACE_JAEGER);
	const struct csf_trace *t = &set->traces[0];

	(void)state;
	/* startTime/duration are µs: the same ns values as the OTLP document */
	check_example_trace(set);
	assert_string_equal(attr(set, by_id(t, 0xeee19b7ec3c1b174ULL), "http.response.status_code"),
			    "201");
	/* process tags are the resource */
	assert_string_equal(attr(set, by_id(t, 0x0aa19b7ec3c1b175ULL), "k8s.namespace.name"),
			    "vetclinic-001");
	csf_trace_set_free(set);
}

static void
test_trace_parse_zipkin_example(void **state)
{
	struct csf_trace_set *set = parse_ok(zipkin_doc, CSF_TRACE_ZIPKIN);
	const struct csf_trace *t = &set->traces[0];

	(void)state;
	check_example_trace(set);
	assert_string_equal(attr(set, by_id(t, 0x0aa19b7ec3c1b175ULL), "peer.service"), "postgres");
	csf_trace_set_free(set);
}

static void
test_trace_parse_tempo_base64_ids_and_enum_names(void **state)
{
	struct csf_trace_set *set = parse_ok(tempo_doc, CSF_TRACE_OTLP);
	const struct csf_trace *t = csf_trace_set_find(set, "5b8efff798038103d269b633813fc60c");
	const struct csf_span *root, *db;

	(void)state;
	assert_non_null(t);
	root = by_id(t, 0xeee19b7ec3c1b174ULL);
	db = by_id(t, 0x0aa19b7ec3c1b175ULL);
	assert_int_equal(db->parent_id, 0xeee19b7ec3c1b174ULL);
	assert_int_equal(root->kind, CSF_SPAN_KIND_SERVER);
	assert_int_equal(db->kind, CSF_SPAN_KIND_CLIENT);
	assert_int_equal(db->status, CSF_SPAN_OK);
	assert_int_equal(t->nroots, 1);
	csf_trace_set_free(set);
}

static void
test_trace_parse_tempo_v1_batches_legacy_scope(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new(), *ref = csf_trace_set_new();
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_trace *t, *r;
	size_t i;

	(void)state;
	/* the same trace as samples/, in Tempo v1 shape: batches, instrumentationLibrarySpans,
	 * base64 ids, enum names */
	assert_int_equal(csf_trace_parse_file(set, "tests/fixtures/traces/tempo-trace.json",
					      CSF_TRACE_AUTO, NULL, &err), CSF_E_OK);
	assert_int_equal(csf_trace_parse_file(ref, "samples/traces/book-appointment.otlp.json",
					      CSF_TRACE_OTLP, NULL, &err), CSF_E_OK);
	csf_trace_set_build(set);
	csf_trace_set_build(ref);
	t = csf_trace_set_find(set, "4bf92f3577b34da6a3ce929d0e0e4736");
	r = csf_trace_set_find(ref, "4bf92f3577b34da6a3ce929d0e0e4736");
	assert_non_null(t);
	assert_non_null(r);
	assert_int_equal(t->nspans, 12);
	assert_int_equal(t->nspans, r->nspans);
	for (i = 0; i < t->nspans; i++) {
		assert_int_equal(t->spans[i].id, r->spans[i].id);
		assert_int_equal(t->spans[i].parent, r->spans[i].parent);
		assert_int_equal(t->spans[i].dur_ns, r->spans[i].dur_ns);
		assert_int_equal(t->spans[i].kind, r->spans[i].kind);
		assert_int_equal(t->spans[i].status, r->spans[i].status);
		assert_string_equal(t->spans[i].service, r->spans[i].service);
	}
	assert_int_equal(t->nerrors, 1);
	csf_trace_set_free(set);
	csf_trace_set_free(ref);
}

static void
test_trace_parse_tempo_search_pads_trimmed_ids(void **state)
{
	struct csf_trace_set *set = parse_ok(tempo_search_doc, CSF_TRACE_TEMPO_SEARCH);
	char hex[33];

	(void)state;
	assert_int_equal(set->ntraces, 0);
	assert_int_equal(set->nsummaries, 2);
	assert_string_equal(csf_trace_id_hex(set->summaries[0].id, hex),
			    "5b8efff798038103d269b633813fc60c");
	assert_int_equal(set->summaries[0].dur_ns, 120 * MS);
	assert_string_equal(set->summaries[0].root_name, "POST /appointments");
	/* leading zeros trimmed by Tempo: left-padded; missing durationMs is 0 */
	assert_string_equal(csf_trace_id_hex(set->summaries[1].id, hex), "0009b633813fc60c");
	assert_int_equal(set->summaries[1].dur_ns, 0);
	assert_string_equal(set->summaries[1].root_name, "");
	csf_trace_set_free(set);
}

static void
test_trace_parse_missing_fields_are_zero(void **state)
{
	static const char doc[] =
		"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
		"{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"00f067aa0ba902b7\","
		" \"startTimeUnixNano\":\"1795718400000000000\"},"
		"{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"00f067aa0ba902b8\","
		" \"parentSpanId\":\"\",\"name\":\"n\",\"startTimeUnixNano\":1795718400000000000,"
		" \"endTimeUnixNano\":1795718400250000000,\"status\":{\"message\":\"m\"}}]}]}]}";
	struct csf_trace_set *set = parse_ok(doc, CSF_TRACE_OTLP);
	const struct csf_trace *t = &set->traces[0];
	const struct csf_span *a = &t->spans[0], *b = &t->spans[1];

	(void)state;
	/* no end time: duration 0 and marked incomplete; no name, kind, status: defaults */
	assert_int_equal(a->dur_ns, 0);
	assert_true(a->flags & CSF_SPAN_F_NO_TIME);
	assert_string_equal(a->name, "");
	assert_string_equal(a->service, "");
	assert_int_equal(a->kind, CSF_SPAN_KIND_UNSPECIFIED);
	assert_int_equal(a->status, CSF_SPAN_UNSET);
	/* "" parent = root; nanoseconds as JSON numbers lose at most 128 ns in cJSON */
	assert_int_equal(b->parent_id, 0);
	assert_int_equal(t->nroots, 2);
	assert_true(b->dur_ns > 250 * MS - 1000 && b->dur_ns < 250 * MS + 1000);
	assert_false(b->flags & CSF_SPAN_F_NO_TIME);
	assert_int_equal(b->status, CSF_SPAN_UNSET);
	csf_trace_set_free(set);
}

static void
test_trace_parse_end_before_start_is_zero(void **state)
{
	static const char doc[] =
		"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
		"{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"00f067aa0ba902b7\","
		" \"startTimeUnixNano\":\"2000\",\"endTimeUnixNano\":\"1000\"}]}]}]}";
	struct csf_trace_set *set = parse_ok(doc, CSF_TRACE_OTLP);

	(void)state;
	assert_int_equal(set->traces[0].spans[0].dur_ns, 0);
	csf_trace_set_free(set);
}

static void
test_trace_parse_jaeger_64bit_id_matches_otlp(void **state)
{
	static const char doc[] =
		"{\"data\":[{\"traceID\":\"d269b633813fc60c\",\"spans\":["
		"{\"traceID\":\"d269b633813fc60c\",\"spanID\":\"1\",\"operationName\":\"op\","
		"\"references\":[{\"refType\":\"FOLLOWS_FROM\",\"traceID\":\"d269b633813fc60c\","
		"\"spanID\":\"ff\"}],\"startTime\":1,\"duration\":2,\"processID\":\"missing\"}],"
		"\"processes\":{}}]}";
	struct csf_trace_set *set = parse_ok(doc, CSF_TRACE_JAEGER);
	const struct csf_trace *t = csf_trace_set_find(set, "0000000000000000d269b633813fc60c");

	(void)state;
	assert_non_null(t);
	/* short span ids are left-padded; FOLLOWS_FROM alone is still the parent; an unknown
	 * process gives no service; 1 µs start, 2 µs duration */
	assert_int_equal(t->spans[0].id, 1);
	assert_int_equal(t->spans[0].parent_id, 0xff);
	assert_true(t->spans[0].flags & CSF_SPAN_F_ORPHAN);
	assert_string_equal(t->spans[0].service, "");
	assert_int_equal(t->spans[0].start_ns, 1000);
	assert_int_equal(t->spans[0].dur_ns, 2000);
	csf_trace_set_free(set);
}

static void
test_trace_parse_jaeger_error_envelope(void **state)
{
	static const char doc[] =
		"{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,"
		"\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}\n";
	char msg[300];

	(void)state;
	assert_int_equal(parse_err(doc, strlen(doc), msg, sizeof(msg)), CSF_E_NOTFOUND);
	assert_string_equal(msg, "bad.json: jaeger: trace not found (404)");
}

static void
test_trace_parse_zipkin_shared_and_incomplete(void **state)
{
	static const char doc[] =
		"[[{\"traceId\":\"463ac35c9f6413ad48485a3953bb6124\",\"id\":\"a2fb4a1d1a96d312\","
		"\"name\":\"get\",\"kind\":\"CLIENT\",\"timestamp\":10,\"duration\":100,"
		"\"localEndpoint\":{\"serviceName\":\"frontend\"}},"
		"{\"traceId\":\"463ac35c9f6413ad48485a3953bb6124\",\"id\":\"a2fb4a1d1a96d312\","
		"\"name\":\"get\",\"kind\":\"SERVER\",\"shared\":true,\"timestamp\":20,\"duration\":80,"
		"\"localEndpoint\":{\"serviceName\":\"backend\"}},"
		"{\"traceId\":\"463ac35c9f6413ad48485a3953bb6124\",\"parentId\":\"a2fb4a1d1a96d312\","
		"\"id\":\"0000000000000003\",\"name\":\"local\",\"localEndpoint\":{\"serviceName\":"
		"\"backend\"},\"tags\":{\"error\":\"\"}}],"
		"[{\"traceId\":\"48485a3953bb6124\",\"id\":\"0000000000000001\",\"name\":\"other\"}]]";
	struct csf_trace_set *set = parse_ok(doc, CSF_TRACE_ZIPKIN);
	const struct csf_trace *t = csf_trace_set_find(set, "463ac35c9f6413ad48485a3953bb6124");
	const struct csf_span *local;

	(void)state;
	assert_int_equal(set->ntraces, 2);
	assert_non_null(t);
	assert_int_equal(t->ndups, 0);
	assert_int_equal(t->nroots, 1);
	local = by_id(t, 3);
	/* the child of the shared id hangs under the server half */
	assert_string_equal(t->spans[local->parent].service, "backend");
	assert_int_equal(t->spans[local->parent].kind, CSF_SPAN_KIND_SERVER);
	/* no kind: a local span; no timestamp/duration: incomplete, 0; error tag "" = error */
	assert_int_equal(local->kind, CSF_SPAN_KIND_INTERNAL);
	assert_true(local->flags & CSF_SPAN_F_NO_TIME);
	assert_int_equal(local->dur_ns, 0);
	assert_int_equal(local->status, CSF_SPAN_ERROR);
	/* timestamps are µs */
	assert_int_equal(t->spans[0].start_ns, 10000);
	assert_int_equal(t->spans[0].dur_ns, 100000);
	csf_trace_set_free(set);
}

static void
test_trace_parse_json_lines(void **state)
{
	static const char doc[] =
		"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
		"\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"0000000000000001\"}]}]}]}\n"
		"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
		"\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"0000000000000002\","
		"\"parentSpanId\":\"0000000000000001\"}]}]}]}\n";
	struct csf_trace_set *set = parse_ok(doc, CSF_TRACE_OTLP);

	(void)state;
	assert_int_equal(set->ntraces, 1);
	assert_int_equal(set->traces[0].nspans, 2);
	assert_int_equal(set->traces[0].nroots, 1);
	csf_trace_set_free(set);
}

static void
test_trace_parse_malformed_json_has_line_and_column(void **state)
{
	static const char bad[] = "{\"resourceSpans\": [\n  {\"scopeSpans\": [}\n]}\n";
	static const char truncated[] = "{\"resourceSpans\": [\n  {\"scopeSpans\": [{\"spans\": [";
	static const char trailing[] = "{\"resourceSpans\": []}\n  garbage";
	char msg[300];

	(void)state;
	assert_int_equal(parse_err(bad, strlen(bad), msg, sizeof(msg)), CSF_E_PARSE);
	/* the '}' where a value should start: line 2, column 19 */
	assert_string_equal(msg, "bad.json:2:19: malformed JSON: expected a value");
	parse_err(truncated, strlen(truncated), msg, sizeof(msg));
	/* just past the last character of line 2 (29 columns) */
	assert_string_equal(msg, "bad.json:2:30: unexpected end of input (truncated JSON?)");
	parse_err(trailing, strlen(trailing), msg, sizeof(msg));
	assert_string_equal(msg, "bad.json:2:3: malformed JSON: expected a value");
	parse_err("", 0, msg, sizeof(msg));
	assert_string_equal(msg, "bad.json:1:1: empty input: expected a JSON trace document");
	parse_err("  \n ", 4, msg, sizeof(msg));
	assert_string_equal(msg, "bad.json:2:2: empty input: expected a JSON trace document");
	parse_err("{\"data\":[\0]}", 12, msg, sizeof(msg));
	assert_string_equal(msg, "bad.json:1:10: binary data (NUL byte) is not JSON");
}

static void
test_trace_parse_wrong_shape_names_the_path(void **state)
{
	static const char zbad[] =
		"[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"id\":\"01\",\"timestamp\":\"x\"}]";
	char msg[300];

	(void)state;
	parse_err("{\"resourceSpans\": 5}", 20, msg, sizeof(msg));
	/* OTLP goes through the pull parser: shape errors have a position too */
	assert_string_equal(msg, "bad.json:1:19: resourceSpans: expected an array, got a number");
	parse_err("{\"kind\":\"Deployment\"}", 21, msg, sizeof(msg));
	assert_non_null(strstr(msg, "not a trace document"));
	parse_err("\"just a string\"", 15, msg, sizeof(msg));
	assert_non_null(strstr(msg, "not a trace document"));
#define SPAN(x) "{\"resourceSpans\":[{\"scopeSpans\":[{},{\"spans\":[{\"traceId\":" \
	"\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"00f067aa0ba902b7\"}," x "]}]}]}"
	parse_err(SPAN("{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"xyz!\"}"),
		  strlen(SPAN("{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"xyz!\"}")),
		  msg, sizeof(msg));
	assert_string_equal(msg, "bad.json:1:177: resourceSpans[0].scopeSpans[1].spans[1].spanId: "
			    "invalid id \"xyz!\" (expected 16 hex digits or base64)");
	parse_err(SPAN("{\"spanId\":\"00f067aa0ba902b9\"}"),
		  strlen(SPAN("{\"spanId\":\"00f067aa0ba902b9\"}")), msg, sizeof(msg));
	assert_string_equal(msg, "bad.json:1:122: resourceSpans[0].scopeSpans[1].spans[1].traceId: "
			    "missing id");
	parse_err(SPAN("{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"01\","
		       "\"startTimeUnixNano\":\"soon\"}"),
		  strlen(SPAN("{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"01\","
			      "\"startTimeUnixNano\":\"soon\"}")), msg, sizeof(msg));
	assert_non_null(strstr(msg, "spans[1].startTimeUnixNano: expected a non-negative integer"));
	parse_err(SPAN("7"), strlen(SPAN("7")), msg, sizeof(msg));
	assert_non_null(strstr(msg, "spans[1]: expected a span object, got a number"));
#undef SPAN
	parse_err(zbad, strlen(zbad), msg, sizeof(msg));
	assert_non_null(strstr(msg, "[0].timestamp: expected a non-negative integer (microseconds)"));
}

static void
test_trace_parse_hostile_numbers(void **state)
{
	char msg[300];
	static const char *const docs[] = {
		/* beyond int64, as a string and as a number */
		"[{\"traceId\":\"01\",\"id\":\"01\",\"timestamp\":\"99999999999999999999\"}]",
		"[{\"traceId\":\"01\",\"id\":\"01\",\"timestamp\":1e300}]",
		/* µs that overflow when turned into ns */
		"[{\"traceId\":\"01\",\"id\":\"01\",\"timestamp\":9223372036854776}]",
		"{\"data\":[{\"spans\":[{\"traceID\":\"01\",\"spanID\":\"01\",\"duration\":-5}]}]}",
		"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"01\","
		"\"endTimeUnixNano\":\"-1\"}]}]}]}",
		"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"01\","
		"\"kind\":{}}]}]}]}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		assert_int_equal(parse_err(docs[i], strlen(docs[i]), msg, sizeof(msg)), CSF_E_PARSE);
	/* the largest µs values that still fit: start + duration overflows int64, the tree and
	 * the critical path saturate instead of wrapping */
	{
		struct csf_trace_set *set = parse_ok(
			"[{\"traceId\":\"01\",\"id\":\"01\",\"timestamp\":9223372036854775,"
			"\"duration\":9223372036854775},{\"traceId\":\"01\",\"id\":\"02\","
			"\"parentId\":\"01\",\"timestamp\":9223372036854775,\"duration\":1}]",
			CSF_TRACE_ZIPKIN);
		struct csf_trace *t = &set->traces[0];

		assert_int_equal(t->spans[0].start_ns, 9223372036854775000LL);
		assert_int_equal(t->end_ns, INT64_MAX);
		assert_int_equal(csf_trace_critical_path(t), 2);
		assert_true(t->spans[0].self_ns >= 0);
		csf_trace_set_free(set);
	}
}

static void
test_trace_parse_deep_nesting_is_an_error(void **state)
{
	size_t n = 200000, i;
	char *doc = malloc(2 * n + 32), msg[300];

	(void)state;
	strcpy(doc, "{\"resourceSpans\":");
	for (i = 0; i < n; i++)
		strcat(doc + 17 + i, "[");
	parse_err(doc, strlen(doc), msg, sizeof(msg));
	assert_non_null(strstr(msg, "bad.json:1:"));
	free(doc);
}

static void
test_trace_parse_wrong_format_requested(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(csf_trace_parse(set, "x", otlp_doc, strlen(otlp_doc), CSF_TRACE_ZIPKIN,
					 NULL, &err), CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "wrong trace format: expected zipkin"));
	assert_int_equal(csf_trace_parse_file(set, "/nonexistent/trace.json", CSF_TRACE_AUTO, NULL,
					      &err), CSF_E_IO);
	csf_trace_set_free(set);
}

static void
test_trace_parse_error_location_counts_characters(void **state)
{
	struct csf_loc l;

	(void)state;
	l = csf_text_loc("ab\ncd", 5, 4);
	assert_int_equal(l.line, 2);
	assert_int_equal(l.col, 2);
	/* "ü" is two bytes, one column */
	l = csf_text_loc("\xc3\xbcx!", 4, 3);
	assert_int_equal(l.line, 1);
	assert_int_equal(l.col, 3);
}

static void
test_trace_parse_samples_all_formats(void **state)
{
	static const char *const files[] = {
		"samples/traces/book-appointment.otlp.json",
		"samples/traces/book-appointment-fast.jaeger.json",
		"samples/traces/cancel-appointment.zipkin.json",
	};
	static const enum csf_trace_format fmts[] = { CSF_TRACE_OTLP, CSF_TRACE_JAEGER,
						      CSF_TRACE_ZIPKIN };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct csf_trace_set *set = csf_trace_set_new();
		struct csf_error err = CSF_ERROR_INIT;
		enum csf_trace_format f;
		const struct csf_trace *t;
		size_t k;

		assert_int_equal(csf_trace_parse_file(set, files[i], CSF_TRACE_AUTO, &f, &err),
				 CSF_E_OK);
		assert_int_equal(f, fmts[i]);
		csf_trace_set_build(set);
		assert_int_equal(set->ntraces, 1);
		t = &set->traces[0];
		assert_int_equal(t->nroots, 1);
		assert_int_equal(t->norphans + t->ncycles + t->ndups, 0);
		/* every span carries the factory attributes */
		for (k = 0; k < t->nspans; k++) {
			assert_non_null(csf_span_attr(set, &t->spans[k], "tenantId"));
			assert_non_null(csf_span_attr(set, &t->spans[k], "agentId"));
			assert_non_null(csf_span_attr(set, &t->spans[k], "skillId"));
		}
		csf_trace_set_free(set);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_parse_otlp_example),
		cmocka_unit_test(test_trace_parse_jaeger_example_microseconds),
		cmocka_unit_test(test_trace_parse_zipkin_example),
		cmocka_unit_test(test_trace_parse_tempo_base64_ids_and_enum_names),
		cmocka_unit_test(test_trace_parse_tempo_v1_batches_legacy_scope),
		cmocka_unit_test(test_trace_parse_tempo_search_pads_trimmed_ids),
		cmocka_unit_test(test_trace_parse_missing_fields_are_zero),
		cmocka_unit_test(test_trace_parse_end_before_start_is_zero),
		cmocka_unit_test(test_trace_parse_jaeger_64bit_id_matches_otlp),
		cmocka_unit_test(test_trace_parse_jaeger_error_envelope),
		cmocka_unit_test(test_trace_parse_zipkin_shared_and_incomplete),
		cmocka_unit_test(test_trace_parse_json_lines),
		cmocka_unit_test(test_trace_parse_malformed_json_has_line_and_column),
		cmocka_unit_test(test_trace_parse_wrong_shape_names_the_path),
		cmocka_unit_test(test_trace_parse_hostile_numbers),
		cmocka_unit_test(test_trace_parse_deep_nesting_is_an_error),
		cmocka_unit_test(test_trace_parse_wrong_format_requested),
		cmocka_unit_test(test_trace_parse_error_location_counts_characters),
		cmocka_unit_test(test_trace_parse_samples_all_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
