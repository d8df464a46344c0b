/* core/trace: the span tree (orphans, cycles, duplicate ids, Zipkin shared spans), self time,
 * the critical path, filters and trace comparison, on hand-made traces with known answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/trace.h"

#define MS 1000000LL

static const uint8_t TID[16] = { 0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
				 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36 };

/* Adds a span: times in ms from an arbitrary epoch (1 s, so that 0 stays "unknown"). */
static struct csf_span *
add(struct csf_trace_set *set, struct csf_trace *t, uint64_t id, uint64_t parent,
    const char *service, const char *name, int64_t start_ms, int64_t end_ms)
{
	struct csf_span *s = csf_trace_add_span(set, t);

	s->id = id;
	s->parent_id = parent;
	s->service = csf_trace_str(set, service, strlen(service));
	s->name = csf_trace_str(set, name, strlen(name));
	s->start_ns = (1000 + start_ms) * MS;
	s->dur_ns = (end_ms - start_ms) * MS;
	return s;
}

static void
attr(struct csf_trace_set *set, struct csf_trace *t, const char *k, const char *v)
{
	struct csf_span *s = &t->spans[t->nspans - 1];

	csf_trace_add_attr(set, k, strlen(k), v, strlen(v), CSF_ATTR_STR);
	s->nattr++;
}

/* Index of the span with this id (first one). */
static uint32_t
ix(const struct csf_trace *t, uint64_t id)
{
	size_t i;

	for (i = 0; i < t->nspans; i++)
		if (t->spans[i].id == id)
			return (uint32_t)i;
	fail_msg("no span %llx", (unsigned long long)id);
	return 0;
}

static void
test_trace_tree_orders_children_by_start(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);

	(void)state;
	/* children arrive out of order; the display order is by start time */
	add(set, t, 3, 1, "svc", "late", 50, 60);
	add(set, t, 1, 0, "svc", "root", 0, 100);
	add(set, t, 2, 1, "svc", "early", 10, 20);
	add(set, t, 4, 2, "svc", "grandchild", 12, 18);
	csf_trace_set_build(set);
	assert_int_equal(t->nroots, 1);
	assert_int_equal(t->roots[0], ix(t, 1));
	assert_int_equal(t->order[0], ix(t, 1));
	assert_int_equal(t->order[1], ix(t, 2));
	assert_int_equal(t->order[2], ix(t, 4));
	assert_int_equal(t->order[3], ix(t, 3));
	assert_int_equal(t->spans[ix(t, 4)].depth, 2);
	assert_int_equal(t->spans[ix(t, 4)].parent, ix(t, 2));
	assert_int_equal(t->start_ns, 1000 * MS);
	assert_int_equal(t->end_ns, 1100 * MS);
	assert_int_equal(t->norphans + t->ncycles + t->ndups, 0);
	csf_trace_set_free(set);
}

static void
test_trace_orphans_become_roots(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);

	(void)state;
	add(set, t, 1, 0, "svc", "root", 0, 100);
	add(set, t, 2, 0xdead, "svc", "orphan", 5, 10);	/* parent never arrived */
	add(set, t, 3, 2, "svc", "orphan's child", 6, 9);
	csf_trace_set_build(set);
	assert_int_equal(t->nroots, 2);
	assert_int_equal(t->norphans, 1);
	assert_true(t->spans[ix(t, 2)].flags & CSF_SPAN_F_ORPHAN);
	assert_int_equal(t->spans[ix(t, 2)].parent, CSF_SPAN_NONE);
	assert_int_equal(t->spans[ix(t, 3)].parent, ix(t, 2));
	assert_false(t->spans[ix(t, 3)].flags & CSF_SPAN_F_ORPHAN);
	csf_trace_set_free(set);
}

static void
test_trace_cycles_are_broken(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);
	int seen[8] = { 0 };
	size_t i;

	(void)state;
	/* 1 → 2 → 3 → 1, a child 4 of 3, and 5 its own parent */
	add(set, t, 1, 3, "svc", "a", 0, 100);
	add(set, t, 2, 1, "svc", "b", 10, 90);
	add(set, t, 3, 2, "svc", "c", 20, 80);
	add(set, t, 4, 3, "svc", "d", 30, 40);
	add(set, t, 5, 5, "svc", "self", 0, 1);
	csf_trace_set_build(set);
	assert_int_equal(t->ncycles, 2);
	assert_int_equal(t->nroots, 2);
	assert_true(t->spans[ix(t, 5)].flags & CSF_SPAN_F_CYCLE);
	/* every span appears exactly once in the display order */
	for (i = 0; i < t->nspans; i++)
		seen[t->spans[t->order[i]].id]++;
	for (i = 1; i <= 5; i++)
		assert_int_equal(seen[i], 1);
	/* exactly one link of the 1-2-3 loop was cut */
	assert_int_equal(!!(t->spans[ix(t, 1)].flags & CSF_SPAN_F_CYCLE) +
			 !!(t->spans[ix(t, 2)].flags & CSF_SPAN_F_CYCLE) +
			 !!(t->spans[ix(t, 3)].flags & CSF_SPAN_F_CYCLE), 1);
	assert_int_equal(t->spans[ix(t, 4)].parent, ix(t, 3));
	csf_trace_set_free(set);
}

static void
test_trace_duplicate_ids_keep_first_owner(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);

	(void)state;
	add(set, t, 1, 0, "svc", "root", 0, 100);
	add(set, t, 2, 1, "svc", "first", 10, 20);
	add(set, t, 2, 1, "svc", "again", 30, 40);
	add(set, t, 3, 2, "svc", "child of 2", 11, 12);
	csf_trace_set_build(set);
	assert_int_equal(t->ndups, 1);
	assert_true(t->spans[2].flags & CSF_SPAN_F_DUPLICATE);
	assert_false(t->spans[1].flags & CSF_SPAN_F_DUPLICATE);
	/* children go to the first owner; the duplicate keeps its own parent */
	assert_int_equal(t->spans[3].parent, 1);
	assert_int_equal(t->spans[2].parent, 0);
	assert_int_equal(t->spans[0].nkid, 2);
	csf_trace_set_free(set);
}

static void
test_trace_zipkin_shared_span_nests_under_client(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);
	struct csf_span *s;

	(void)state;
	add(set, t, 1, 0, "orchestrator", "root", 0, 100);
	/* the server half comes first in the input, then the client half */
	s = add(set, t, 2, 1, "booking", "server half", 12, 88);
	s->flags |= CSF_SPAN_F_SHARED;
	add(set, t, 2, 1, "orchestrator", "client half", 10, 90);
	add(set, t, 3, 2, "booking", "db", 20, 30);
	csf_trace_set_build(set);
	assert_int_equal(t->ndups, 0);
	assert_int_equal(t->spans[2].parent, 0);	/* client under root */
	assert_int_equal(t->spans[1].parent, 2);	/* server under client */
	assert_int_equal(t->spans[3].parent, 1);	/* server's child under server */
	assert_int_equal(t->spans[3].depth, 3);
	csf_trace_set_free(set);
}

static void
test_trace_client_server_pair_without_shared_flag(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);
	struct csf_span *s;

	(void)state;
	/* a Zipkin shared pair after conversion to OTLP/Jaeger: no flag, kinds tell */
	add(set, t, 1, 0, "orchestrator", "root", 0, 100);
	s = add(set, t, 2, 1, "orchestrator", "client half", 10, 90);
	s->kind = CSF_SPAN_KIND_CLIENT;
	s = add(set, t, 2, 1, "booking", "server half", 12, 88);
	s->kind = CSF_SPAN_KIND_SERVER;
	add(set, t, 3, 2, "booking", "db", 20, 30);
	/* two INTERNAL spans with one id stay a duplicate */
	add(set, t, 4, 1, "x", "a", 91, 92);
	add(set, t, 4, 1, "x", "b", 93, 94);
	csf_trace_set_build(set);
	assert_int_equal(t->spans[2].parent, 1);
	assert_int_equal(t->spans[3].parent, 2);
	assert_int_equal(t->ndups, 1);
	assert_true(t->spans[5].flags & CSF_SPAN_F_DUPLICATE);
	csf_trace_set_free(set);
}

static void
test_trace_self_time_subtracts_union_of_children(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);

	(void)state;
	add(set, t, 1, 0, "svc", "root", 0, 100);
	add(set, t, 2, 1, "svc", "a", 10, 30);
	add(set, t, 3, 1, "svc", "b", 20, 50);		/* overlaps a: [10,50] counts once */
	add(set, t, 4, 1, "svc", "c", 60, 70);
	add(set, t, 5, 1, "svc", "d", 90, 150);		/* runs past the parent: clipped */
	add(set, t, 6, 0, "svc", "leaf root", 200, 230);
	csf_trace_set_build(set);
	assert_int_equal(t->spans[0].self_ns, 40 * MS);	/* 100 - (40 + 10 + 10) */
	assert_int_equal(t->spans[2].self_ns, 30 * MS);
	assert_int_equal(t->spans[5].self_ns, 30 * MS);
	csf_trace_set_free(set);
}

static void
test_trace_critical_path_known_answer(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);

	(void)state;
	/*  root [0,100]        walk back from 100:
	 *    G [96,99]         ends last → critical; continue from 96
	 *    C [85,95]         ends <= 96 → critical; continue from 85
	 *      H [90,140]      runs past C: clipped to [90,95], C's last child → critical
	 *    B [20,80]         ends <= 85 → critical; continue from 20
	 *      E [55,79]       B's last to finish → critical; continue from 55
	 *      F [52,54]       ends <= 55 → critical; continue from 52
	 *      D [25,50]       ends <= 52 → critical
	 *    A [0,30]          ends after 20, where B began → NOT critical                 */
	add(set, t, 1, 0, "svc", "root", 0, 100);
	add(set, t, 2, 1, "svc", "A", 0, 30);
	add(set, t, 3, 1, "svc", "B", 20, 80);
	add(set, t, 4, 3, "svc", "D", 25, 50);
	add(set, t, 5, 3, "svc", "E", 55, 79);
	add(set, t, 6, 3, "svc", "F", 52, 54);
	add(set, t, 7, 1, "svc", "C", 85, 95);
	add(set, t, 8, 1, "svc", "G", 96, 99);
	add(set, t, 9, 7, "svc", "H async", 90, 140);	/* ends after its parent: clipped */
	csf_trace_set_build(set);
	assert_int_equal(csf_trace_critical_path(t), 8);
	assert_true(t->spans[ix(t, 1)].flags & CSF_SPAN_F_CRITICAL);
	assert_false(t->spans[ix(t, 2)].flags & CSF_SPAN_F_CRITICAL);
	assert_true(t->spans[ix(t, 3)].flags & CSF_SPAN_F_CRITICAL);
	assert_true(t->spans[ix(t, 4)].flags & CSF_SPAN_F_CRITICAL);
	assert_true(t->spans[ix(t, 5)].flags & CSF_SPAN_F_CRITICAL);
	assert_true(t->spans[ix(t, 6)].flags & CSF_SPAN_F_CRITICAL);
	assert_true(t->spans[ix(t, 7)].flags & CSF_SPAN_F_CRITICAL);
	assert_true(t->spans[ix(t, 8)].flags & CSF_SPAN_F_CRITICAL);
	/* H runs inside C from 90 to C's end (95): it is C's last-finishing child */
	assert_true(t->spans[ix(t, 9)].flags & CSF_SPAN_F_CRITICAL);
	csf_trace_set_free(set);
}

static void
test_trace_critical_path_skips_overlapped_sibling(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);

	(void)state;
	/* two parallel calls: only the one that finishes last blocks the parent */
	add(set, t, 1, 0, "svc", "root", 0, 100);
	add(set, t, 2, 1, "svc", "fast parallel", 10, 40);
	add(set, t, 3, 1, "svc", "slow parallel", 10, 90);
	csf_trace_set_build(set);
	assert_int_equal(csf_trace_critical_path(t), 2);
	assert_false(t->spans[1].flags & CSF_SPAN_F_CRITICAL);
	assert_true(t->spans[2].flags & CSF_SPAN_F_CRITICAL);
	/* running it again clears and recomputes: same answer */
	assert_int_equal(csf_trace_critical_path(t), 2);
	csf_trace_set_free(set);
}

static void
test_trace_deep_chain_does_not_recurse(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);
	const uint64_t n = 300000;
	uint64_t i;

	(void)state;
	for (i = 1; i <= n; i++)
		add(set, t, i, i - 1, "svc", "step", (int64_t)i, (int64_t)(2 * n - i));
	csf_trace_set_build(set);
	assert_int_equal(t->nroots, 1);
	assert_int_equal(t->spans[n - 1].depth, n - 1);
	assert_int_equal(t->order[n - 1], n - 1);
	assert_int_equal(csf_trace_critical_path(t), n);
	csf_trace_set_free(set);
}

static void
test_trace_rows_follow_folds_and_filters(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = csf_trace_set_trace(set, TID);
	uint32_t rows[8];
	size_t n;

	(void)state;
	/* 1 ─ 2 ─ 3      (depths 0 1 2)
	 *   └ 4 ─ 5      */
	add(set, t, 1, 0, "svc", "root", 0, 100);
	add(set, t, 2, 1, "svc", "a", 10, 40);
	add(set, t, 3, 2, "svc", "a1", 12, 20);
	add(set, t, 4, 1, "svc", "b", 50, 90);
	add(set, t, 5, 4, "svc", "b1", 55, 60);
	csf_trace_set_build(set);
	assert_int_equal(csf_trace_rows(t, rows), 5);
	/* fold "a": its child disappears, "b" and its child stay */
	t->spans[1].flags |= CSF_SPAN_F_FOLDED;
	n = csf_trace_rows(t, rows);
	assert_int_equal(n, 4);
	assert_int_equal(rows[0], 0);
	assert_int_equal(rows[1], 1);
	assert_int_equal(rows[2], 3);
	assert_int_equal(rows[3], 4);
	/* folding a leaf changes nothing */
	t->spans[4].flags |= CSF_SPAN_F_FOLDED;
	assert_int_equal(csf_trace_rows(t, rows), 4);
	/* by level: 0 → the root only; 1 → root and its children; 9 → everything */
	csf_trace_fold_level(t, 0);
	assert_int_equal(csf_trace_rows(t, rows), 1);
	csf_trace_fold_level(t, 1);
	assert_int_equal(csf_trace_rows(t, rows), 3);
	csf_trace_fold_level(t, 9);
	assert_int_equal(csf_trace_rows(t, rows), 5);
	/* hidden spans (filter in hide mode) are left out too */
	t->spans[4].flags |= CSF_SPAN_F_HIDDEN;
	assert_int_equal(csf_trace_rows(t, rows), 4);
	csf_trace_set_free(set);
}

static void
test_trace_ids_hex_and_base64(void **state)
{
	uint8_t a[16], b[16], s8[8];
	char hex[33];

	(void)state;
	/* formats.md: the Tempo base64 id is the same trace as the hex one */
	assert_true(csf_trace_id_parse("5b8efff798038103d269b633813fc60c", 32, a, 16));
	assert_true(csf_trace_id_parse("W47/95gDgQPSabYzgT/GDA==", 24, b, 16));
	assert_memory_equal(a, b, 16);
	assert_true(csf_trace_id_parse("5B8EFFF798038103D269B633813FC60C", 32, b, 16));
	assert_memory_equal(a, b, 16);
	assert_true(csf_trace_id_parse("7uGbfsPBsXQ=", 12, s8, 8));
	assert_int_equal(s8[0], 0xee);
	assert_int_equal(s8[7], 0x74);
	/* URL-safe base64 without padding */
	assert_true(csf_trace_id_parse("7uGbfsPBsXQ", 11, s8, 8));
	assert_int_equal(s8[7], 0x74);
	/* a 64-bit Jaeger id and Tempo's zero-trimmed id are left-padded */
	assert_true(csf_trace_id_parse("d269b633813fc60c", 16, a, 16));
	assert_string_equal(csf_trace_id_hex(a, hex), "d269b633813fc60c");
	assert_true(csf_trace_id_parse("9b633813fc60c", 13, b, 16));
	assert_string_equal(csf_trace_id_hex(b, hex), "0009b633813fc60c");
	assert_false(csf_trace_id_parse("not an id!", 10, a, 16));
	assert_false(csf_trace_id_parse("", 0, a, 16));
	/* 20 bytes of base64 does not fit a span id */
	assert_false(csf_trace_id_parse("W47/95gDgQPSabYzgT/GDA==", 24, s8, 8));
}

static void
test_trace_durations_format_and_parse(void **state)
{
	char b[32];
	int64_t ns;

	(void)state;
	assert_string_equal(csf_duration_str(850, false, b), "850ns");
	assert_string_equal(csf_duration_str(12300, false, b), "12.3\xC2\xB5s");
	assert_string_equal(csf_duration_str(12300, true, b), "12.3us");
	assert_string_equal(csf_duration_str(120 * MS, false, b), "120ms");
	assert_string_equal(csf_duration_str(1250 * MS, false, b), "1.25s");
	assert_string_equal(csf_duration_str(12500 * MS, false, b), "12.5s");
	assert_string_equal(csf_duration_str(123 * 1000 * MS, false, b), "2m03s");
	assert_string_equal(csf_duration_str(2 * 3600 * 1000 * MS, false, b), "2h00m");
	assert_string_equal(csf_duration_str(-830 * MS, false, b), "-830ms");
	assert_true(csf_duration_parse("100ms", &ns));
	assert_int_equal(ns, 100 * MS);
	assert_true(csf_duration_parse("1.5s", &ns));
	assert_int_equal(ns, 1500 * MS);
	assert_true(csf_duration_parse("250us", &ns));
	assert_int_equal(ns, 250000);
	assert_true(csf_duration_parse("250\xC2\xB5s", &ns));
	assert_int_equal(ns, 250000);
	assert_true(csf_duration_parse("5", &ns));	/* bare number: ms */
	assert_int_equal(ns, 5 * MS);
	assert_true(csf_duration_parse("2m", &ns));
	assert_int_equal(ns, 120000 * MS);
	assert_false(csf_duration_parse("fast", &ns));
	assert_false(csf_duration_parse("-5ms", &ns));
	assert_false(csf_duration_parse("5 parsecs", &ns));
	assert_false(csf_duration_parse("1e30h", &ns));
}

static void
test_trace_strings_are_interned(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	char big[300];

	(void)state;
	assert_ptr_equal(csf_trace_str(set, "booking-service", 15),
			 csf_trace_str(set, "booking-service!", 15));
	assert_ptr_not_equal(csf_trace_str(set, "a", 1), csf_trace_str(set, "b", 1));
	memset(big, 'x', sizeof(big));
	assert_int_equal(strlen(csf_trace_str(set, big, sizeof(big))), sizeof(big));
	assert_string_equal(csf_trace_str(set, "", 0), "");
	csf_trace_set_free(set);
}

/* A small agent flow for the filter tests. */
static struct csf_trace *
flow(struct csf_trace_set *set)
{
	struct csf_trace *t = csf_trace_set_trace(set, TID);
	struct csf_span *s;
	uint32_t r;

	r = csf_trace_add_resource(set, "booking-service", 15);
	csf_trace_add_attr(set, "k8s.namespace.name", 18, "vetclinic-001", 13, CSF_ATTR_STR);
	set->resources[r].nattr = 1;
	s = add(set, t, 1, 0, "agent-orchestrator", "agent.run book", 0, 1000);
	s->kind = CSF_SPAN_KIND_SERVER;
	attr(set, t, "tenantId", "vetclinic-001");
	attr(set, t, "agentId", "booking-agent-7");
	s = add(set, t, 2, 1, "booking-service", "POST /appointments", 100, 900);
	s->kind = CSF_SPAN_KIND_SERVER;
	s->resource = r;
	attr(set, t, "tenantId", "vetclinic-001");
	attr(set, t, "http.response.status_code", "201");
	s = add(set, t, 3, 2, "booking-service", "INSERT appointments", 150, 850);
	s->kind = CSF_SPAN_KIND_CLIENT;
	s->resource = r;
	attr(set, t, "tenantId", "vetclinic-001");
	s = add(set, t, 4, 1, "notification-service", "sms.send", 910, 990);
	s->kind = CSF_SPAN_KIND_CLIENT;
	s->status = CSF_SPAN_ERROR;
	attr(set, t, "tenantId", "vetclinic-002");
	csf_trace_set_build(set);
	return t;
}

static size_t
matches(struct csf_trace_set *set, struct csf_trace *t, const char *expr)
{
	struct csf_trace_filter f = CSF_TRACE_FILTER_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	size_t n;

	assert_int_equal(csf_trace_filter_add(&f, expr, &err), CSF_E_OK);
	n = csf_trace_filter_apply(&f, set, t, false);
	csf_trace_filter_release(&f);
	return n;
}

static void
test_trace_filters_match_attributes_and_fields(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = flow(set);

	(void)state;
	assert_int_equal(matches(set, t, "tenantId=vetclinic-001"), 3);
	assert_int_equal(matches(set, t, "tenantId!=vetclinic-001"), 1);
	assert_int_equal(matches(set, t, "agentId=booking-agent-7"), 1);
	assert_int_equal(matches(set, t, "agentId~agent"), 1);
	assert_int_equal(matches(set, t, "status=error"), 1);
	assert_true(t->spans[3].flags & CSF_SPAN_F_MATCH);
	assert_false(t->spans[0].flags & CSF_SPAN_F_MATCH);
	assert_int_equal(matches(set, t, "status!=error"), 3);
	assert_int_equal(matches(set, t, "duration>100ms"), 3);
	assert_int_equal(matches(set, t, "duration>=800ms"), 2);
	assert_int_equal(matches(set, t, "duration<=80ms"), 1);
	assert_int_equal(matches(set, t, "self>100ms"), 2);	/* root 120ms, INSERT 700ms */
	assert_int_equal(matches(set, t, "service=booking-service"), 2);
	assert_int_equal(matches(set, t, "name~appointments"), 2);
	assert_int_equal(matches(set, t, "kind=client"), 2);
	assert_int_equal(matches(set, t, "http.response.status_code>=200"), 1);
	/* resource attributes count too */
	assert_int_equal(matches(set, t, "k8s.namespace.name=vetclinic-001"), 2);
	csf_trace_set_free(set);
}

static void
test_trace_filters_and_hide_keep_ancestors(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_trace *t = flow(set);
	struct csf_trace_filter f = CSF_TRACE_FILTER_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(csf_trace_filter_add(&f, "tenantId=vetclinic-001", &err), CSF_E_OK);
	assert_int_equal(csf_trace_filter_add(&f, "kind=client", &err), CSF_E_OK);
	assert_int_equal(csf_trace_filter_apply(&f, set, t, true), 1);	/* both: INSERT only */
	assert_true(t->spans[2].flags & CSF_SPAN_F_MATCH);
	/* its ancestors stay visible without matching; the unrelated branch is hidden */
	assert_false(t->spans[0].flags & CSF_SPAN_F_HIDDEN);
	assert_false(t->spans[1].flags & CSF_SPAN_F_HIDDEN);
	assert_false(t->spans[1].flags & CSF_SPAN_F_MATCH);
	assert_false(t->spans[2].flags & CSF_SPAN_F_HIDDEN);
	assert_true(t->spans[3].flags & CSF_SPAN_F_HIDDEN);
	/* highlight mode hides nothing */
	assert_int_equal(csf_trace_filter_apply(&f, set, t, false), 1);
	assert_false(t->spans[3].flags & CSF_SPAN_F_HIDDEN);
	csf_trace_filter_release(&f);
	csf_trace_set_free(set);
}

static void
test_trace_filter_errors_name_the_problem(void **state)
{
	struct csf_trace_filter f = CSF_TRACE_FILTER_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(csf_trace_filter_add(&f, "duration>fast", &err), CSF_E_USAGE);
	assert_non_null(strstr(err.msg, "'fast' is not a duration"));
	assert_int_equal(csf_trace_filter_add(&f, "status=broken", &err), CSF_E_USAGE);
	assert_non_null(strstr(err.msg, "status=error|ok|unset"));
	assert_int_equal(csf_trace_filter_add(&f, "tenantId", &err), CSF_E_USAGE);
	assert_int_equal(csf_trace_filter_add(&f, "=x", &err), CSF_E_USAGE);
	assert_int_equal(csf_trace_filter_add(&f, "retries>many", &err), CSF_E_USAGE);
	assert_int_equal(csf_trace_filter_add(&f, "service>b", &err), CSF_E_USAGE);
	assert_int_equal(f.n, 0);
	csf_trace_filter_release(&f);
}

static void
test_trace_compare_reports_changes(void **state)
{
	struct csf_trace_set *sa = csf_trace_set_new(), *sb = csf_trace_set_new();
	struct csf_trace *a = csf_trace_set_trace(sa, TID), *b;
	struct csf_trace_diff d = CSF_TRACE_DIFF_INIT;
	uint8_t id2[16] = { 1 };
	size_t i;

	(void)state;
	b = csf_trace_set_trace(sb, id2);
	add(sa, a, 1, 0, "orch", "run", 0, 1000);
	add(sa, a, 2, 1, "booking", "POST", 100, 900);
	add(sa, a, 3, 2, "booking", "SELECT", 110, 150);
	add(sa, a, 4, 2, "booking", "INSERT", 150, 850);
	add(sa, a, 5, 1, "notify", "sms", 900, 990);
	add(sa, a, 6, 1, "notify", "sms", 991, 999);		/* same path twice */
	/* B: ids differ, INSERT faster, cache added, SELECT removed, sms #2 slower */
	add(sb, b, 11, 0, "orch", "run", 0, 400);
	add(sb, b, 12, 11, "booking", "POST", 10, 300);
	add(sb, b, 13, 12, "booking", "cache.get", 12, 14);
	add(sb, b, 14, 12, "booking", "INSERT", 15, 250);
	add(sb, b, 15, 11, "notify", "sms", 301, 391);
	add(sb, b, 16, 11, "notify", "sms", 392, 400);
	csf_trace_set_build(sa);
	csf_trace_set_build(sb);
	csf_trace_compare(a, b, MS, 10.0, &d);
	assert_int_equal(d.nadded, 1);
	assert_int_equal(d.nremoved, 1);
	assert_int_equal(d.nfaster, 3);		/* run, POST, INSERT */
	assert_int_equal(d.nslower, 0);
	assert_int_equal(d.nsame, 2);		/* both sms spans: 90 and 8 ms in A and B */
	for (i = 0; i < d.n; i++) {
		const struct csf_trace_diff_entry *e = &d.e[i];

		if (e->kind == CSF_DIFF_ADDED)
			assert_string_equal(b->spans[e->b].name, "cache.get");
		if (e->kind == CSF_DIFF_REMOVED)
			assert_string_equal(a->spans[e->a].name, "SELECT");
		if (e->b != CSF_SPAN_NONE && b->spans[e->b].id == 14) {
			assert_int_equal(e->kind, CSF_DIFF_FASTER);
			assert_int_equal(e->delta_ns, -465 * MS);
			assert_int_equal(a->spans[e->a].id, 4);
		}
		/* the two sms spans pair up in order */
		if (e->b != CSF_SPAN_NONE && b->spans[e->b].id == 16)
			assert_int_equal(a->spans[e->a].id, 6);
	}
	/* the removed entry comes last */
	assert_int_equal(d.e[d.n - 1].kind, CSF_DIFF_REMOVED);
	csf_trace_diff_release(&d);
	/* a trace compared with itself is all "same" */
	csf_trace_compare(a, a, MS, 10.0, &d);
	assert_int_equal(d.nsame, a->nspans);
	assert_int_equal(d.n, a->nspans);
	csf_trace_diff_release(&d);
	csf_trace_set_free(sa);
	csf_trace_set_free(sb);
}

static void
test_trace_set_find_keep_and_summary(void **state)
{
	struct csf_trace_set *set = csf_trace_set_new();
	uint8_t other[16] = { 0 };
	struct csf_trace *t;
	struct csf_trace_summary sm;
	bool keep[2] = { false, true };

	(void)state;
	other[15] = 0x2a;
	t = csf_trace_set_trace(set, TID);
	add(set, t, 1, 0, "svc", "root", 0, 10);
	t = csf_trace_set_trace(set, other);
	add(set, t, 1, 0, "svc2", "other root", 5, 25);
	csf_trace_set_build(set);
	assert_int_equal(set->ntraces, 2);
	assert_ptr_equal(csf_trace_set_find(set, "4BF92F3577B34DA6A3CE929D0E0E4736"), &set->traces[0]);
	/* the 64-bit form of a zero-padded id finds it */
	assert_ptr_equal(csf_trace_set_find(set, "2a"), &set->traces[1]);
	assert_null(csf_trace_set_find(set, "ffff"));
	csf_trace_set_keep(set, keep);
	assert_int_equal(set->ntraces, 1);
	assert_null(csf_trace_set_find(set, "4bf92f3577b34da6a3ce929d0e0e4736"));
	t = csf_trace_set_find(set, "000000000000002a");
	assert_non_null(t);
	csf_trace_summarize(t, &sm);
	assert_string_equal(sm.root_service, "svc2");
	assert_string_equal(sm.root_name, "other root");
	assert_int_equal(sm.dur_ns, 20 * MS);
	assert_int_equal(sm.nspans, 1);
	csf_trace_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_tree_orders_children_by_start),
		cmocka_unit_test(test_trace_orphans_become_roots),
		cmocka_unit_test(test_trace_cycles_are_broken),
		cmocka_unit_test(test_trace_duplicate_ids_keep_first_owner),
		cmocka_unit_test(test_trace_zipkin_shared_span_nests_under_client),
		cmocka_unit_test(test_trace_client_server_pair_without_shared_flag),
		cmocka_unit_test(test_trace_self_time_subtracts_union_of_children),
		cmocka_unit_test(test_trace_critical_path_known_answer),
		cmocka_unit_test(test_trace_critical_path_skips_overlapped_sibling),
		cmocka_unit_test(test_trace_deep_chain_does_not_recurse),
		cmocka_unit_test(test_trace_rows_follow_folds_and_filters),
		cmocka_unit_test(test_trace_ids_hex_and_base64),
		cmocka_unit_test(test_trace_durations_format_and_parse),
		cmocka_unit_test(test_trace_strings_are_interned),
		cmocka_unit_test(test_trace_filters_match_attributes_and_fields),
		cmocka_unit_test(test_trace_filters_and_hide_keep_ancestors),
		cmocka_unit_test(test_trace_filter_errors_name_the_problem),
		cmocka_unit_test(test_trace_compare_reports_changes),
		cmocka_unit_test(test_trace_set_find_keep_and_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
