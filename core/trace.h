/* Distributed traces: the span model, the span tree, self time, the critical path, attribute
 * filters and trace comparison. Parsers (core/trace_parse.h) fill a struct csf_trace_set; the
 * TUI and the headless `traces` command read it.
 *
 * Memory: a set owns everything. Spans live in one array per trace; attributes, events and
 * resources in arrays of the set; strings in the set's string pool, where short strings
 * (service and operation names, attribute keys and most values) are interned, so a span costs
 * sizeof(struct csf_span) plus 24 bytes per attribute plus its unique text.
 * Indexes (uint32_t) are used instead of pointers so that arrays can grow while parsing.
 *
 * Ids: trace ids are 16 bytes, 64-bit ids left-padded with zeros (so a Jaeger 16-hex id and an
 * OTLP 32-hex id of the same trace compare equal); span ids are uint64_t, 0 meaning "none".
 *
 * Tree (csf_trace_set_build): a span's parent is the span with its parent id in the same trace.
 * A span whose parent is missing is an orphan and becomes a root (CSF_SPAN_F_ORPHAN). Parent
 * cycles (including a span that is its own parent) are broken at the span where the walk up
 * meets itself; that span becomes a root (CSF_SPAN_F_CYCLE). When several spans share an id,
 * the first one is the id's owner and later ones are kept as CSF_SPAN_F_DUPLICATE (they still
 * hang under their own parent; nothing hangs under them) — except Zipkin's shared server half
 * (CSF_SPAN_F_SHARED), which becomes the child of the client half with the same id and takes
 * over the id, so the server's children hang under it. A CLIENT and a SERVER span sharing an id
 * (the same Zipkin pair converted to OTLP or Jaeger, which lose the flag) are paired alike. Children and roots are ordered by start
 * time, then by input order. Nothing in this module recurses, so a 1M-deep chain is fine.
 */
#ifndef CSF_CORE_TRACE_H
#define CSF_CORE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"

#define CSF_SPAN_NONE UINT32_MAX

enum csf_span_kind {
	CSF_SPAN_KIND_UNSPECIFIED,
	CSF_SPAN_KIND_INTERNAL,
	CSF_SPAN_KIND_SERVER,
	CSF_SPAN_KIND_CLIENT,
	CSF_SPAN_KIND_PRODUCER,
	CSF_SPAN_KIND_CONSUMER,
};

enum csf_span_status {
	CSF_SPAN_UNSET,
	CSF_SPAN_OK,
	CSF_SPAN_ERROR,
};

enum csf_attr_type {
	CSF_ATTR_STR,
	CSF_ATTR_BOOL,
	CSF_ATTR_INT,
	CSF_ATTR_DOUBLE,
	CSF_ATTR_BYTES,		/* value is the base64 text as received */
	CSF_ATTR_ARRAY,		/* value is compact JSON of the scalar values: ["sms","email"] */
	CSF_ATTR_KVLIST,	/* value is compact JSON: {"k":"v"} */
};

/* Span flags. */
enum {
	CSF_SPAN_F_ORPHAN = 1 << 0,	/* has a parent id that is not in the trace */
	CSF_SPAN_F_CYCLE = 1 << 1,	/* its parent link was cut to break a cycle */
	CSF_SPAN_F_DUPLICATE = 1 << 2,	/* repeats the id of an earlier span */
	CSF_SPAN_F_SHARED = 1 << 3,	/* Zipkin shared (server) half of an RPC span */
	CSF_SPAN_F_CRITICAL = 1 << 4,	/* on the critical path (csf_trace_critical_path) */
	CSF_SPAN_F_MATCH = 1 << 5,	/* matches the filter (csf_trace_filter_apply) */
	CSF_SPAN_F_HIDDEN = 1 << 6,	/* hidden by the filter in hide mode */
	CSF_SPAN_F_NO_TIME = 1 << 7,	/* start or duration was missing (incomplete span) */
	CSF_SPAN_F_FOLDED = 1 << 8,	/* its descendants are not shown (a view's fold state) */
};

struct csf_trace_attr {
	const char *key;		/* pool string */
	const char *value;		/* pool string; numbers and bools as JSON text */
	enum csf_attr_type type;
};

struct csf_trace_event {
	int64_t time_ns;
	const char *name;
	uint32_t attr, nattr;		/* range in set->attrs */
};

struct csf_trace_resource {
	const char *service;		/* service.name (or Jaeger/Zipkin serviceName); "" if none */
	uint32_t attr, nattr;		/* range in set->attrs */
};

struct csf_span {
	uint64_t id, parent_id;		/* 0 = none */
	int64_t start_ns;		/* Unix nanoseconds; 0 when unknown */
	int64_t dur_ns;			/* >= 0 */
	int64_t self_ns;		/* duration not covered by children (after build) */
	const char *name;		/* operation name; pool string, never NULL */
	const char *service;		/* pool string, never NULL ("" when unknown) */
	const char *status_msg;		/* pool string, never NULL */
	uint32_t resource;		/* index in set->resources or CSF_SPAN_NONE */
	uint32_t attr, nattr;		/* range in set->attrs */
	uint32_t event, nevent;		/* range in set->events */
	uint32_t parent;		/* index in trace->spans, CSF_SPAN_NONE for roots */
	uint32_t kid, nkid;		/* range in trace->kids (children, by start time) */
	uint32_t depth;			/* 0 for roots */
	uint8_t kind;			/* enum csf_span_kind */
	uint8_t status;			/* enum csf_span_status */
	uint16_t flags;			/* CSF_SPAN_F_* */
};

struct csf_trace {
	uint8_t id[16];
	struct csf_span *spans;
	size_t nspans, spans_alloc;
	uint32_t *kids;			/* children lists, see struct csf_span.kid */
	uint32_t *roots;		/* root spans by start time */
	size_t nroots;
	uint32_t *order;		/* depth-first display order (every span once) */
	int64_t start_ns, end_ns;	/* earliest start, latest end */
	size_t nerrors;			/* spans with status ERROR */
	size_t norphans, ncycles, ndups;
	bool built;
};

/* A search hit without spans (Tempo search); traces fetched in full are in set->traces. */
struct csf_trace_summary {
	uint8_t id[16];
	const char *root_service;	/* pool strings, never NULL */
	const char *root_name;
	int64_t start_ns, dur_ns;
	uint32_t nspans, nerrors;	/* 0 when the backend does not say */
};

struct csf_intern_slot {
	const char *s;
	uint32_t hash, len;
};

struct csf_trace_set {
	struct csf_trace *traces;
	size_t ntraces, traces_alloc;
	struct csf_trace_summary *summaries;
	size_t nsummaries, summaries_alloc;
	struct csf_trace_attr *attrs;
	size_t nattrs, attrs_alloc;
	struct csf_trace_event *events;
	size_t nevents, events_alloc;
	struct csf_trace_resource *resources;
	size_t nresources, resources_alloc;
	/* string pool: interning table of short strings + chunks in the arena */
	struct csf_arena arena;
	struct csf_intern_slot *intern;
	size_t intern_alloc, intern_used;
	char *chunk;
	size_t chunk_left;
	uint32_t *trace_slots;		/* open-addressing index of traces by id */
	size_t trace_slots_alloc;
	size_t last_trace;		/* parse-time cache for csf_trace_set_trace() */
};

/* Caller owns the result; free with csf_trace_set_free(). */
struct csf_trace_set *csf_trace_set_new(void);
void csf_trace_set_free(struct csf_trace_set *set);

/* ---- building (used by the parsers) --------------------------------------------------------- */

/* A pool copy of s[0..len) (NUL-terminated). Strings up to 96 bytes are interned. Borrowed:
 * valid until csf_trace_set_free(). */
const char *csf_trace_str(struct csf_trace_set *set, const char *s, size_t len);

/* The trace with this id, created when absent. Borrowed: valid until the next call that
 * adds a trace. */
struct csf_trace *csf_trace_set_trace(struct csf_trace_set *set, const uint8_t id[16]);

/* Appends a zeroed span to t (name, service and status_msg "", resource/parent CSF_SPAN_NONE,
 * attr = nattrs of the set so that attributes added next belong to it). Borrowed: valid until
 * the next span is added to t or csf_trace_set_build() runs. */
struct csf_span *csf_trace_add_span(struct csf_trace_set *set, struct csf_trace *t);

/* Appends an attribute and returns its index. */
uint32_t csf_trace_add_attr(struct csf_trace_set *set, const char *key, size_t klen,
			    const char *val, size_t vlen, enum csf_attr_type type);

/* Appends a resource (service may be NULL) and returns its index. */
uint32_t csf_trace_add_resource(struct csf_trace_set *set, const char *service, size_t slen);

/* Builds every trace's tree, orders, depth, self times and error counts (spans' parent ids
 * are read again, so it may run after more spans were added). Idempotent. It also trims the
 * span, attribute and event arrays to size, so pointers into them taken before are invalid. */
void csf_trace_set_build(struct csf_trace_set *set);

/* Removes every trace i with keep[i] false (summaries are untouched) and keeps the order of the
 * others. Their strings and attributes stay in the pool until the set is freed. */
void csf_trace_set_keep(struct csf_trace_set *set, const bool *keep);

/* ---- reading -------------------------------------------------------------------------------- */

/* Summary of a built trace: the first root's service and name, start, extent (first start to
 * last end), span and error counts. */
void csf_trace_summarize(const struct csf_trace *t, struct csf_trace_summary *out);

/* The trace whose id equals the hex (or base64) id text, or NULL. */
struct csf_trace *csf_trace_set_find(const struct csf_trace_set *set, const char *id_text);

/* Parses an id: 1 to want*2 hex digits (left-padded), or base64 of exactly want bytes (standard
 * or URL-safe, padding optional). want is 8 for span ids, 16 for trace ids. Returns false when s
 * is not an id. */
bool csf_trace_id_parse(const char *s, size_t len, uint8_t *out, size_t want);
/* Hex of a trace id: 16 digits when the upper half is zero, else 32. out needs 33 bytes. */
const char *csf_trace_id_hex(const uint8_t id[16], char out[33]);
/* 16 hex digits of a span id. out needs 17 bytes. */
const char *csf_span_id_hex(uint64_t id, char out[17]);

/* The value of attribute key on span s (span attributes first, then its resource's), or NULL. */
const struct csf_trace_attr *csf_span_attr(const struct csf_trace_set *set,
					   const struct csf_span *s, const char *key);

const char *csf_span_kind_name(enum csf_span_kind k);		/* "server", …, "unspecified" */
const char *csf_span_status_name(enum csf_span_status st);	/* "unset" "ok" "error" */

/* Formats a duration for people: "850ns", "12.3µs" ("12.3us" when ascii), "120ms", "1.25s",
 * "2m03s". out needs 32 bytes. */
const char *csf_duration_str(int64_t ns, bool ascii, char out[32]);

/* Parses "100ms", "1.5s", "250us", "250µs", "40ns", "2m", "1h" (a bare number means ms).
 * Returns false on anything else or a negative value. */
bool csf_duration_parse(const char *s, int64_t *ns);

/* ---- analysis ------------------------------------------------------------------------------- */

/* Marks the critical path of every root's subtree with CSF_SPAN_F_CRITICAL (clearing old
 * marks) and returns how many spans are on it. The path follows Jaeger UI's definition: from
 * the end of a span, walk back through the child that finished last before the current point,
 * then the child that finished before that one started, and so on; child intervals are clipped
 * to the parent's. Needs a built trace. */
size_t csf_trace_critical_path(struct csf_trace *t);

/* ---- rows for views -------------------------------------------------------------------------- */

/* The spans to show, in display order: hidden spans (CSF_SPAN_F_HIDDEN) and the descendants of
 * folded ones (CSF_SPAN_F_FOLDED) are left out. rows needs room for t->nspans entries (span
 * indexes). Returns how many. O(n), no allocation: a view recomputes it after each fold. */
size_t csf_trace_rows(const struct csf_trace *t, uint32_t *rows);

/* Folds every span with children at depth >= level and unfolds the others (level 0: only the
 * roots show; a level deeper than the tree unfolds everything). */
void csf_trace_fold_level(struct csf_trace *t, unsigned level);

/* ---- filters -------------------------------------------------------------------------------- */

enum csf_filter_op {
	CSF_FOP_EQ,	/* =  */
	CSF_FOP_NE,	/* != */
	CSF_FOP_SUB,	/* ~  substring */
	CSF_FOP_LT,	/* <  */
	CSF_FOP_LE,	/* <= */
	CSF_FOP_GT,	/* >  */
	CSF_FOP_GE,	/* >= */
};

enum csf_filter_field {
	CSF_FF_ATTR,		/* any other key: span attribute, then resource attribute */
	CSF_FF_DURATION,	/* duration / dur */
	CSF_FF_SELF,		/* self */
	CSF_FF_STATUS,		/* status (error|ok|unset) */
	CSF_FF_SERVICE,		/* service */
	CSF_FF_NAME,		/* name / operation */
	CSF_FF_KIND,		/* kind (server|client|…) */
};

struct csf_filter_cond {
	enum csf_filter_field field;
	enum csf_filter_op op;
	char *key;		/* attribute key (CSF_FF_ATTR); owned */
	char *value;		/* owned */
	int64_t ns;		/* parsed duration for duration fields */
};

/* Conditions are ANDed. */
struct csf_trace_filter {
	struct csf_filter_cond *conds;
	size_t n, alloc;
};

#define CSF_TRACE_FILTER_INIT { NULL, 0, 0 }

/* Adds one condition: KEY OP VALUE with OP one of = != ~ < <= > >= (the first operator in the
 * text). Duration fields take a duration ("100ms") and need a comparison; status/kind take
 * their names; attribute values compare as text for = != ~ and as numbers for < <= > >=.
 * Errors (CSF_E_USAGE) name the problem: "duration>fast: not a duration". */
enum csf_status csf_trace_filter_add(struct csf_trace_filter *f, const char *expr,
				     struct csf_error *err);
void csf_trace_filter_release(struct csf_trace_filter *f);

bool csf_trace_filter_match(const struct csf_trace_filter *f, const struct csf_trace_set *set,
			    const struct csf_span *s);

/* Sets CSF_SPAN_F_MATCH on every matching span. In hide mode also sets CSF_SPAN_F_HIDDEN on
 * every span that neither matches nor is an ancestor of a match (ancestors stay visible so the
 * matches keep their place in the tree). An empty filter matches everything. Returns the
 * number of matches. */
size_t csf_trace_filter_apply(const struct csf_trace_filter *f, const struct csf_trace_set *set,
			      struct csf_trace *t, bool hide);

/* ---- comparison ----------------------------------------------------------------------------- */

enum csf_diff_kind {
	CSF_DIFF_SAME,
	CSF_DIFF_SLOWER,
	CSF_DIFF_FASTER,
	CSF_DIFF_ADDED,		/* only in B */
	CSF_DIFF_REMOVED,	/* only in A */
};

struct csf_trace_diff_entry {
	enum csf_diff_kind kind;
	uint32_t a, b;		/* span indexes in A and B, CSF_SPAN_NONE where absent */
	int64_t delta_ns;	/* B duration - A duration (matched spans) */
};

struct csf_trace_diff {
	struct csf_trace_diff_entry *e;		/* B's spans in B's display order, then the
						 * removed ones in A's display order */
	size_t n, alloc;
	size_t nsame, nslower, nfaster, nadded, nremoved;
};

#define CSF_TRACE_DIFF_INIT { NULL, 0, 0, 0, 0, 0, 0, 0 }

/* Matches spans of two built traces by their path of (service, operation) pairs from the root;
 * spans with the same path pair up in display order. A matched pair is slower/faster when the
 * duration changed by at least min_ns and by at least pct percent of A's duration; else same.
 * out is reset first. */
void csf_trace_compare(const struct csf_trace *a, const struct csf_trace *b, int64_t min_ns,
		       double pct, struct csf_trace_diff *out);
void csf_trace_diff_release(struct csf_trace_diff *d);

#endif
