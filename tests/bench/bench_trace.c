/* Opening a big OTLP/JSON trace (DESIGN §11: 100k spans, ~53 MB; target ≤ 1.5× the time cJSON
 * alone needs to parse the same bytes, and ≥ 2× faster than `jq .`), plus memory per span.
 *
 * usage: bench_trace [FILE [SPANS [--quick]]]   (default $O/bench-data/trace-100k.otlp.json,
 *        100000; --quick: one run of each, no jq — for the 1M-span check)
 * The file is generated when missing (deterministic: same bytes every time). Timings are the
 * best of 5 runs in this process, from bytes in memory (the file read is common to both), in
 * CPU time (user + system) so that a busy shared machine does not skew the ratios; jq's CPU
 * time comes from wait4(). Wall-clock times are printed beside them. */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/trace.h"
#include "core/trace_parse.h"

#define RUNS 5

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the generator ------------------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const char *const services[] = {
	"agent-orchestrator", "booking-service", "notification-service", "llm-gateway",
	"billing-service", "records-import", "identity-service", "scheduler-worker",
};
static const char *const ops[] = {
	"agent.run book-appointment", "skill.plan", "llm.chat gpt-4o", "POST /appointments",
	"SELECT availability", "INSERT appointments", "publish AppointmentBooked.v1",
	"consume AppointmentBooked.v1", "sms.send", "GET /patients/{id}", "cache.get",
	"tool.call BookingService.createAppointment",
};

static void
sattr(struct csf_buf *b, const char *k, const char *v, bool comma)
{
	csf_buf_addf(b, "%s{\"key\":\"%s\",\"value\":{\"stringValue\":\"%s\"}}", comma ? "," : "",
		     k, v);
}

/* One trace of n spans: 8 services × 25 resource blocks, each span with 7 attributes, every
 * tenth span with an event, parents chosen among earlier spans. */
static void
generate(struct csf_buf *b, size_t n)
{
	const char *tid = "4bf92f3577b34da6a3ce929d0e0e4736";
	const uint64_t t0 = 1795718400000000000ULL;
	size_t blocks = 200, per = (n + blocks - 1) / blocks, i = 0, blk;

	csf_buf_addstr(b, "{\"resourceSpans\":[");
	for (blk = 0; blk < blocks && i < n; blk++) {
		const char *svc = services[blk % 8];
		size_t k;

		csf_buf_addf(b, "%s\n{\"resource\":{\"attributes\":[", blk ? "," : "");
		sattr(b, "service.name", svc, false);
		sattr(b, "k8s.namespace.name", "vetclinic-001", true);
		sattr(b, "service.version", "1.4.2", true);
		csf_buf_addstr(b, "]},\"scopeSpans\":[{\"scope\":{\"name\":\"csf.agent\","
			       "\"version\":\"1.32.0\"},\"spans\":[");
		for (k = 0; k < per && i < n; k++, i++) {
			uint64_t start = t0 + (uint64_t)i * 10000 + rng() % 5000;
			uint64_t dur = 1000 + rng() % 5000000;
			char tenant[32], agent[32];

			snprintf(tenant, sizeof(tenant), "vetclinic-%03u", (unsigned)(rng() % 50));
			snprintf(agent, sizeof(agent), "booking-agent-%u", (unsigned)(rng() % 20));
			csf_buf_addf(b, "%s\n{\"traceId\":\"%s\",\"spanId\":\"%016zx\",", k ? "," : "",
				     tid, i + 1);
			if (i)
				csf_buf_addf(b, "\"parentSpanId\":\"%016zx\",",
					     (size_t)(rng() % i) + 1);
			csf_buf_addf(b, "\"name\":\"%s\",\"kind\":%u,\"startTimeUnixNano\":\"%" PRIu64
				     "\",\"endTimeUnixNano\":\"%" PRIu64 "\",\"attributes\":[",
				     ops[rng() % 12], (unsigned)(rng() % 5) + 1, start, start + dur);
			sattr(b, "tenantId", tenant, false);
			sattr(b, "agentId", agent, true);
			sattr(b, "skillId", "appointments.book", true);
			sattr(b, "moduleId", "BookingService", true);
			csf_buf_addf(b, ",{\"key\":\"http.response.status_code\",\"value\":"
				     "{\"intValue\":\"%u\"}}", rng() % 20 ? 200u : 503u);
			csf_buf_addf(b, ",{\"key\":\"db.rows\",\"value\":{\"intValue\":%u}}",
				     (unsigned)(rng() % 100));
			csf_buf_addstr(b, "]");
			if (i % 10 == 0)
				csf_buf_addf(b, ",\"events\":[{\"timeUnixNano\":\"%" PRIu64 "\","
					     "\"name\":\"pool.acquired\",\"attributes\":[]}]",
					     start + 100);
			csf_buf_addf(b, ",\"status\":{%s}}", rng() % 50 ? "" :
				     "\"code\":2,\"message\":\"upstream timeout\"");
		}
		csf_buf_addstr(b, "]}]}");
	}
	csf_buf_addstr(b, "]}\n");
}

/* ---- memory accounting -------------------------------------------------------------------- */

static size_t
model_bytes(const struct csf_trace_set *set)
{
	size_t n = sizeof(*set), i;

	n += set->traces_alloc * sizeof(*set->traces);
	n += set->attrs_alloc * sizeof(*set->attrs);
	n += set->events_alloc * sizeof(*set->events);
	n += set->resources_alloc * sizeof(*set->resources);
	n += set->intern_alloc * sizeof(*set->intern);
	n += set->trace_slots_alloc * sizeof(*set->trace_slots);
	n += set->arena.used;
	for (i = 0; i < set->ntraces; i++) {
		const struct csf_trace *t = &set->traces[i];

		n += t->spans_alloc * sizeof(*t->spans);
		n += (t->nspans + 1) * sizeof(*t->kids) * 2 + (t->nroots + 1) * sizeof(*t->roots);
	}
	return n;
}

static size_t
heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* ---- jq ----------------------------------------------------------------------------------- */

static double
time_jq(const char *path, double *wall_s)
{
	double t;
	pid_t pid;
	int st;
	struct rusage ru;

	fflush(stdout);	/* the child must not flush our buffer a second time */
	t = wall();
	pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execlp("jq", "jq", ".", path, (char *)NULL);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	*wall_s = wall() - t;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	const char *o = getenv("O") ? getenv("O") : "build";
	char def[512];
	const char *path = argc > 1 ? argv[1] : def;
	size_t nspans = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
	struct csf_buf text = CSF_BUF_INIT;
	double best_cjson = 1e9, best_cjson_del = 1e9, best_csf = 1e9, best_jq = 1e9;
	double wall_cjson = 1e9, wall_csf = 1e9, wall_jq = 1e9;
	size_t model = 0, spans = 0, heap_cjson = 0, heap_csf = 0;
	bool quick = argc > 3 && !strcmp(argv[3], "--quick");
	int r, runs = quick ? 1 : RUNS;

	snprintf(def, sizeof(def), "%s/bench-data/trace-%zuk.otlp.json", o, nspans / 1000);
	if (csf_buf_read_file(&text, path, (size_t)1 << 31) < 0) {
		FILE *f;

		if (errno != ENOENT) {
			perror(path);
			return 1;
		}
		generate(&text, nspans);
		f = fopen(path, "w");
		if (!f || fwrite(text.buf, 1, text.len, f) != text.len || fclose(f)) {
			perror(path);
			return 1;
		}
		printf("generated %s (%zu spans)\n", path, nspans);
	}
	printf("file: %s, %.1f MB\n", path, (double)text.len / 1e6);
	for (r = 0; r < runs; r++) {
		double w0 = wall(), t0 = now(), t1, t2;
		size_t h0 = heap_in_use();
		cJSON *root = cJSON_ParseWithLength(text.buf, text.len);

		t1 = now();
		if (wall() - w0 < wall_cjson)
			wall_cjson = wall() - w0;
		if (!root) {
			fprintf(stderr, "cJSON cannot parse %s\n", path);
			return 1;
		}
		if (r == 0)
			heap_cjson = heap_in_use() - h0;
		cJSON_Delete(root);
		t2 = now();
		/* glibc defers merging the freed nodes to the next big allocation: do it here,
		 * outside both timings, so that csf's run does not pay for cJSON's frees */
		malloc_trim(0);
		if (t1 - t0 < best_cjson)
			best_cjson = t1 - t0;
		if (t2 - t0 < best_cjson_del)
			best_cjson_del = t2 - t0;
	}
	for (r = 0; r < runs; r++) {
		struct csf_trace_set *set = csf_trace_set_new();
		struct csf_error err = CSF_ERROR_INIT;
		size_t h0 = heap_in_use();
		double w0 = wall(), t0 = now(), t1;

		if (csf_trace_parse(set, path, text.buf, text.len, CSF_TRACE_AUTO, NULL, &err)) {
			fprintf(stderr, "%s: %s\n", path, err.msg);
			return 1;
		}
		csf_trace_set_build(set);
		t1 = now();
		if (wall() - w0 < wall_csf)
			wall_csf = wall() - w0;
		if (t1 - t0 < best_csf)
			best_csf = t1 - t0;
		if (r == 0) {
			heap_csf = heap_in_use() - h0;
			model = model_bytes(set);
			spans = set->ntraces ? set->traces[0].nspans : 0;
			csf_trace_critical_path(&set->traces[0]);
		}
		csf_trace_set_free(set);
	}
	for (r = 0; r < (quick ? 0 : 3); r++) {
		double w, t = time_jq(path, &w);

		if (t < 0) {
			best_jq = -1;
			break;
		}
		if (t < best_jq)
			best_jq = t;
		if (w < wall_jq)
			wall_jq = w;
	}
	printf("spans: %zu   (CPU time, best of %d; wall clock in brackets)\n", spans, runs);
	printf("cJSON_Parse:                 %8.1f ms [%8.1f]   (with cJSON_Delete %.1f ms)\n",
	       best_cjson * 1e3, wall_cjson * 1e3, best_cjson_del * 1e3);
	printf("csf open (parse+tree+self):  %8.1f ms [%8.1f]   ratio %.2f x cJSON_Parse "
	       "(target <= 1.50)\n", best_csf * 1e3, wall_csf * 1e3, best_csf / best_cjson);
	if (quick)
		printf("jq . >/dev/null:             (skipped: --quick)\n");
	else if (best_jq > 0)
		printf("jq . >/dev/null:             %8.1f ms [%8.1f]   csf is %.1f x faster "
		       "(target >= 2)\n", best_jq * 1e3, wall_jq * 1e3, best_jq / best_csf);
	else
		printf("jq . >/dev/null:             (jq not available)\n");
	printf("memory per span: model %.0f B (arrays + pool), heap %.0f B; cJSON tree %.0f B\n",
	       spans ? (double)model / (double)spans : 0, spans ? (double)heap_csf / (double)spans : 0,
	       spans ? (double)heap_cjson / (double)spans : 0);
	if (best_csf / best_cjson > 1.5)
		printf("target missed: open takes %.2f x cJSON_Parse\n", best_csf / best_cjson);
	csf_buf_release(&text);
	return 0;
}
