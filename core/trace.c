#include "core/trace.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

#define INTERN_MAX 96
#define CHUNK_SIZE 65536

/* ==== small helpers ========================================================================== */

/* A fast string hash for the intern table and path keys (8 bytes at a time); only compared
 * within one process, never stored. */
static uint32_t
hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)len, w;

	while (len >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		s += 8;
		len -= 8;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return (uint32_t)h;
}

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t
id_key(const uint8_t id[16])
{
	uint64_t a = 0, b = 0;
	int i;

	for (i = 0; i < 8; i++) {
		a = a << 8 | id[i];
		b = b << 8 | id[8 + i];
	}
	return mix64(a ^ mix64(b));
}

/* An open-addressing map from non-zero uint64 keys to uint32 values. */
struct u64map {
	uint64_t *k;
	uint32_t *v;
	size_t cap;	/* power of two */
};

static void
u64map_init(struct u64map *m, size_t n)
{
	size_t cap = 16;

	while (cap < n * 2)
		cap <<= 1;
	m->cap = cap;
	m->k = csf_xcalloc(cap, sizeof(*m->k));
	m->v = csf_xcalloc(cap, sizeof(*m->v));
}

static void
u64map_release(struct u64map *m)
{
	free(m->k);
	free(m->v);
	m->k = NULL;
	m->v = NULL;
	m->cap = 0;
}

/* Returns the slot of key (key != 0): m->k[slot] == key when present, 0 when free. */
static size_t
u64map_slot(const struct u64map *m, uint64_t key)
{
	size_t i = (size_t)mix64(key) & (m->cap - 1);

	while (m->k[i] && m->k[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static uint32_t
u64map_get(const struct u64map *m, uint64_t key)
{
	size_t i;

	if (!key)
		return CSF_SPAN_NONE;
	i = u64map_slot(m, key);
	return m->k[i] ? m->v[i] : CSF_SPAN_NONE;
}

/* ==== set, pool, builders ==================================================================== */

struct csf_trace_set *
csf_trace_set_new(void)
{
	struct csf_trace_set *set = csf_xcalloc(1, sizeof(*set));

	set->arena = (struct csf_arena)CSF_ARENA_INIT;
	set->last_trace = SIZE_MAX;
	return set;
}

static void
trace_release_tree(struct csf_trace *t)
{
	free(t->kids);
	free(t->roots);
	free(t->order);
	t->kids = t->roots = t->order = NULL;
	t->nroots = 0;
	t->built = false;
}

void
csf_trace_set_free(struct csf_trace_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->ntraces; i++) {
		trace_release_tree(&set->traces[i]);
		free(set->traces[i].spans);
	}
	free(set->traces);
	free(set->summaries);
	free(set->attrs);
	free(set->events);
	free(set->resources);
	free(set->intern);
	free(set->trace_slots);
	csf_arena_release(&set->arena);
	free(set);
}

static char *
pool_alloc(struct csf_trace_set *set, size_t n)
{
	char *p;

	if (n > CHUNK_SIZE / 16)
		return csf_arena_alloc(&set->arena, n);
	if (set->chunk_left < n) {
		set->chunk = csf_arena_alloc(&set->arena, CHUNK_SIZE);
		set->chunk_left = CHUNK_SIZE;
	}
	p = set->chunk;
	set->chunk += n;
	set->chunk_left -= n;
	return p;
}

static const char *
pool_copy(struct csf_trace_set *set, const char *s, size_t len)
{
	char *p = pool_alloc(set, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static void
intern_grow(struct csf_trace_set *set)
{
	size_t cap = set->intern_alloc ? set->intern_alloc * 2 : 1024, i, j;
	struct csf_intern_slot *t = csf_xcalloc(cap, sizeof(*t));

	for (i = 0; i < set->intern_alloc; i++) {
		if (!set->intern[i].s)
			continue;
		j = set->intern[i].hash & (cap - 1);
		while (t[j].s)
			j = (j + 1) & (cap - 1);
		t[j] = set->intern[i];
	}
	free(set->intern);
	set->intern = t;
	set->intern_alloc = cap;
}

const char *
csf_trace_str(struct csf_trace_set *set, const char *s, size_t len)
{
	uint32_t h;
	size_t i;

	if (!len)
		return "";
	if (len > INTERN_MAX)
		return pool_copy(set, s, len);
	if ((set->intern_used + 1) * 4 > set->intern_alloc * 3)
		intern_grow(set);
	h = hash_bytes(s, len);
	i = h & (set->intern_alloc - 1);
	while (set->intern[i].s) {
		if (set->intern[i].hash == h && set->intern[i].len == len &&
		    !memcmp(set->intern[i].s, s, len))
			return set->intern[i].s;
		i = (i + 1) & (set->intern_alloc - 1);
	}
	set->intern[i].s = pool_copy(set, s, len);
	set->intern[i].hash = h;
	set->intern[i].len = (uint32_t)len;
	set->intern_used++;
	return set->intern[i].s;
}

static void
trace_slots_rehash(struct csf_trace_set *set, size_t cap)
{
	size_t i, j;

	free(set->trace_slots);
	set->trace_slots = csf_xmalloc(cap * sizeof(*set->trace_slots));
	for (i = 0; i < cap; i++)
		set->trace_slots[i] = CSF_SPAN_NONE;
	set->trace_slots_alloc = cap;
	for (i = 0; i < set->ntraces; i++) {
		j = (size_t)id_key(set->traces[i].id) & (cap - 1);
		while (set->trace_slots[j] != CSF_SPAN_NONE)
			j = (j + 1) & (cap - 1);
		set->trace_slots[j] = (uint32_t)i;
	}
}

static struct csf_trace *
trace_lookup(const struct csf_trace_set *set, const uint8_t id[16], size_t *slot)
{
	size_t j;

	if (!set->trace_slots_alloc)
		return NULL;
	j = (size_t)id_key(id) & (set->trace_slots_alloc - 1);
	while (set->trace_slots[j] != CSF_SPAN_NONE) {
		struct csf_trace *t = &set->traces[set->trace_slots[j]];

		if (!memcmp(t->id, id, 16))
			return t;
		j = (j + 1) & (set->trace_slots_alloc - 1);
	}
	if (slot)
		*slot = j;
	return NULL;
}

struct csf_trace *
csf_trace_set_trace(struct csf_trace_set *set, const uint8_t id[16])
{
	struct csf_trace *t;
	size_t slot = 0;

	if (set->last_trace < set->ntraces && !memcmp(set->traces[set->last_trace].id, id, 16))
		return &set->traces[set->last_trace];
	if ((set->ntraces + 1) * 2 > set->trace_slots_alloc)
		trace_slots_rehash(set, set->trace_slots_alloc ? set->trace_slots_alloc * 2 : 64);
	t = trace_lookup(set, id, &slot);
	if (!t) {
		CSF_GROW(set->traces, set->traces_alloc, set->ntraces + 1);
		t = &set->traces[set->ntraces];
		memset(t, 0, sizeof(*t));
		memcpy(t->id, id, 16);
		set->trace_slots[slot] = (uint32_t)set->ntraces;
		set->ntraces++;
	}
	set->last_trace = (size_t)(t - set->traces);
	return t;
}

struct csf_span *
csf_trace_add_span(struct csf_trace_set *set, struct csf_trace *t)
{
	struct csf_span *s;

	if (t->nspans >= CSF_SPAN_NONE - 1)
		csf_die("too many spans in one trace");
	CSF_GROW(t->spans, t->spans_alloc, t->nspans + 1);
	s = &t->spans[t->nspans++];
	memset(s, 0, sizeof(*s));
	s->name = s->service = s->status_msg = "";
	s->resource = s->parent = CSF_SPAN_NONE;
	s->attr = (uint32_t)set->nattrs;
	s->event = (uint32_t)set->nevents;
	t->built = false;
	return s;
}

uint32_t
csf_trace_add_attr(struct csf_trace_set *set, const char *key, size_t klen, const char *val,
		   size_t vlen, enum csf_attr_type type)
{
	struct csf_trace_attr *a;

	if (set->nattrs >= CSF_SPAN_NONE - 1)
		csf_die("too many trace attributes");
	CSF_GROW(set->attrs, set->attrs_alloc, set->nattrs + 1);
	a = &set->attrs[set->nattrs];
	a->key = csf_trace_str(set, key, klen);
	a->value = csf_trace_str(set, val, vlen);
	a->type = type;
	return (uint32_t)set->nattrs++;
}

uint32_t
csf_trace_add_resource(struct csf_trace_set *set, const char *service, size_t slen)
{
	struct csf_trace_resource *r;

	CSF_GROW(set->resources, set->resources_alloc, set->nresources + 1);
	r = &set->resources[set->nresources];
	r->service = service ? csf_trace_str(set, service, slen) : "";
	r->attr = (uint32_t)set->nattrs;
	r->nattr = 0;
	return (uint32_t)set->nresources++;
}

void
csf_trace_set_keep(struct csf_trace_set *set, const bool *keep)
{
	size_t i, n = 0;

	for (i = 0; i < set->ntraces; i++) {
		if (keep[i]) {
			if (n != i)
				set->traces[n] = set->traces[i];
			n++;
		} else {
			trace_release_tree(&set->traces[i]);
			free(set->traces[i].spans);
		}
	}
	set->ntraces = n;
	set->last_trace = SIZE_MAX;
	if (set->trace_slots_alloc)
		trace_slots_rehash(set, set->trace_slots_alloc);
}

void
csf_trace_summarize(const struct csf_trace *t, struct csf_trace_summary *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->id, t->id, 16);
	out->root_service = out->root_name = "";
	if (t->nroots) {
		out->root_service = t->spans[t->roots[0]].service;
		out->root_name = t->spans[t->roots[0]].name;
	}
	out->start_ns = t->start_ns;
	out->dur_ns = t->end_ns - t->start_ns;
	out->nspans = (uint32_t)t->nspans;
	out->nerrors = (uint32_t)t->nerrors;
}

/* ==== ids, names, durations ================================================================== */

static int
hexval(int c)
{
	unsigned d = (unsigned)c - '0', a = ((unsigned)c | 0x20) - 'a';

	if (d < 10)
		return (int)d;
	if (a < 6)
		return (int)a + 10;
	return -1;
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

bool
csf_trace_id_parse(const char *s, size_t len, uint8_t *out, size_t want)
{
	uint8_t tmp[18];
	size_t i, nbits = 0, nb = 0;
	uint32_t acc = 0;

	memset(out, 0, want);
	if (len > 0 && len <= want * 2) {
		/* hex, right-aligned: "1a2b" is 0x…001a2b; one pass, fall back to base64 */
		size_t lead = want * 2 - len;

		for (i = 0; i < len; i++) {
			size_t nib = lead + i;
			int v = hexval((unsigned char)s[i]);

			if (v < 0)
				break;
			out[nib / 2] |= (uint8_t)(nib % 2 ? v : v << 4);
		}
		if (i == len)
			return true;
		memset(out, 0, want);
	}
	/* base64: strip padding, decode exactly want bytes */
	while (len && s[len - 1] == '=')
		len--;
	if (!len || len > (want * 8 + 5) / 6)
		return false;
	for (i = 0; i < len; i++) {
		int v = b64val((unsigned char)s[i]);

		if (v < 0)
			return false;
		acc = acc << 6 | (uint32_t)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			tmp[nb++] = (uint8_t)(acc >> nbits);
			acc &= (1u << nbits) - 1;
		}
	}
	/* base64 ids are always full width (Tempo); shorter ones are more likely junk */
	if (nb != want)
		return false;
	memcpy(out, tmp, want);
	return true;
}

const char *
csf_trace_id_hex(const uint8_t id[16], char out[33])
{
	static const char digits[] = "0123456789abcdef";
	size_t i, from = 0;
	char *p = out;

	for (i = 0; i < 8 && !id[i]; i++)
		;
	if (i == 8)
		from = 8;
	for (i = from; i < 16; i++) {
		*p++ = digits[id[i] >> 4];
		*p++ = digits[id[i] & 15];
	}
	*p = '\0';
	return out;
}

const char *
csf_span_id_hex(uint64_t id, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)id);
	return out;
}

static bool
id_text_to_trace_id(const char *s, uint8_t id[16])
{
	return csf_trace_id_parse(s, strlen(s), id, 16);
}

struct csf_trace *
csf_trace_set_find(const struct csf_trace_set *set, const char *id_text)
{
	uint8_t id[16];
	size_t i;

	if (!id_text || !id_text_to_trace_id(id_text, id))
		return NULL;
	if (set->trace_slots_alloc)
		return trace_lookup(set, id, NULL);
	for (i = 0; i < set->ntraces; i++)
		if (!memcmp(set->traces[i].id, id, 16))
			return &set->traces[i];
	return NULL;
}

const struct csf_trace_attr *
csf_span_attr(const struct csf_trace_set *set, const struct csf_span *s, const char *key)
{
	uint32_t i;

	for (i = 0; i < s->nattr; i++)
		if (!strcmp(set->attrs[s->attr + i].key, key))
			return &set->attrs[s->attr + i];
	if (s->resource != CSF_SPAN_NONE && s->resource < set->nresources) {
		const struct csf_trace_resource *r = &set->resources[s->resource];

		for (i = 0; i < r->nattr; i++)
			if (!strcmp(set->attrs[r->attr + i].key, key))
				return &set->attrs[r->attr + i];
	}
	return NULL;
}

static const char *const kind_names[] = { "unspecified", "internal", "server", "client", "producer",
					  "consumer" };
static const char *const status_names[] = { "unset", "ok", "error" };

const char *
csf_span_kind_name(enum csf_span_kind k)
{
	return (unsigned)k < 6 ? kind_names[k] : "";
}

const char *
csf_span_status_name(enum csf_span_status st)
{
	return (unsigned)st < 3 ? status_names[st] : "unset";
}

/* Prints v100/100 with 2 decimals below 10, 1 below 100, none from 100, trailing zeros cut. */
static void
fmt_scaled(char *out, size_t n, uint64_t v100, const char *unit)
{
	if (v100 >= 10000) {
		snprintf(out, n, "%llu%s", (unsigned long long)((v100 + 50) / 100), unit);
	} else if (v100 >= 1000) {
		uint64_t t = (v100 + 5) / 10;

		if (t % 10)
			snprintf(out, n, "%llu.%llu%s", (unsigned long long)(t / 10),
				 (unsigned long long)(t % 10), unit);
		else
			snprintf(out, n, "%llu%s", (unsigned long long)(t / 10), unit);
	} else if (v100 % 100 == 0) {
		snprintf(out, n, "%llu%s", (unsigned long long)(v100 / 100), unit);
	} else if (v100 % 10 == 0) {
		snprintf(out, n, "%llu.%llu%s", (unsigned long long)(v100 / 100),
			 (unsigned long long)(v100 % 100 / 10), unit);
	} else {
		snprintf(out, n, "%llu.%02llu%s", (unsigned long long)(v100 / 100),
			 (unsigned long long)(v100 % 100), unit);
	}
}

const char *
csf_duration_str(int64_t ns, bool ascii, char out[32])
{
	uint64_t u;
	const char *sign = "";

	if (ns < 0) {
		sign = "-";
		u = ns == INT64_MIN ? (uint64_t)INT64_MAX + 1 : (uint64_t)-ns;
	} else {
		u = (uint64_t)ns;
	}
	if (u < 1000) {
		snprintf(out, 32, "%s%lluns", sign, (unsigned long long)u);
		return out;
	}
	if (*sign) {
		char tmp[32];

		csf_duration_str((int64_t)(u > INT64_MAX ? INT64_MAX : u), ascii, tmp);
		snprintf(out, 32, "-%.30s", tmp);
		return out;
	}
	if (u < 1000000)
		fmt_scaled(out, 32, (u + 5) / 10, ascii ? "us" : "\xC2\xB5s");
	else if (u < 1000000000)
		fmt_scaled(out, 32, (u + 5000) / 10000, "ms");
	else if (u < 60000000000ULL)
		fmt_scaled(out, 32, (u + 5000000) / 10000000, "s");
	else if (u < 3600000000000ULL) {
		uint64_t sec = (u + 500000000) / 1000000000;

		snprintf(out, 32, "%llum%02llus", (unsigned long long)(sec / 60),
			 (unsigned long long)(sec % 60));
	} else {
		uint64_t min = (u + 30000000000ULL) / 60000000000ULL;

		snprintf(out, 32, "%lluh%02llum", (unsigned long long)(min / 60),
			 (unsigned long long)(min % 60));
	}
	return out;
}

bool
csf_duration_parse(const char *s, int64_t *ns)
{
	static const struct {
		const char *unit;
		double mul;
	} units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "\xC2\xB5s", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
		{ "m", 60e9 }, { "h", 3600e9 }, { "", 1e6 },
	};
	char *end;
	double v;
	size_t i;

	if (!s || !*s || *s == '-' || *s == '+' || (*s != '.' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcmp(end, units[i].unit)) {
			double r = v * units[i].mul;

			if (r >= 9.2e18)
				return false;
			*ns = (int64_t)(r + 0.5);
			return true;
		}
	}
	return false;
}

/* ==== tree =================================================================================== */

/* Stable merge sort of idx[0..n) by spans[idx].start_ns (tmp holds n elements). */
static void
sort_by_start(uint32_t *idx, size_t n, const struct csf_span *spans, uint32_t *tmp)
{
	size_t i, width;
	bool sorted = true;

	for (i = 1; i < n && sorted; i++)
		if (spans[idx[i - 1]].start_ns > spans[idx[i]].start_ns)
			sorted = false;
	if (sorted)
		return;
	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			size_t lo = i, mid = i + width < n ? i + width : n;
			size_t hi = i + 2 * width < n ? i + 2 * width : n;
			size_t a = lo, b = mid, k = lo;

			while (a < mid && b < hi)
				tmp[k++] = spans[idx[b]].start_ns < spans[idx[a]].start_ns ?
					idx[b++] : idx[a++];
			while (a < mid)
				tmp[k++] = idx[a++];
			while (b < hi)
				tmp[k++] = idx[b++];
		}
		memcpy(idx, tmp, n * sizeof(*idx));
	}
}

static int64_t
span_end(const struct csf_span *s)
{
	return s->dur_ns > INT64_MAX - s->start_ns ? INT64_MAX : s->start_ns + s->dur_ns;
}

static void
trace_build(struct csf_trace *t)
{
	size_t n = t->nspans, i, nroots = 0, top, norder = 0;
	struct u64map ids;
	uint32_t *parent_override, *stamp, *count, *tmp, *stack;
	bool any_time = false;

	trace_release_tree(t);
	t->norphans = t->ncycles = t->ndups = t->nerrors = 0;
	t->start_ns = t->end_ns = 0;
	t->kids = csf_xcalloc(n + 1, sizeof(*t->kids));
	t->order = csf_xcalloc(n + 1, sizeof(*t->order));
	if (!n) {
		t->roots = csf_xcalloc(1, sizeof(*t->roots));
		t->built = true;
		return;
	}
	u64map_init(&ids, n);
	parent_override = csf_xmalloc(n * sizeof(*parent_override));
	for (i = 0; i < n; i++) {
		struct csf_span *s = &t->spans[i];
		size_t slot;

		s->flags &= (uint16_t)(CSF_SPAN_F_SHARED | CSF_SPAN_F_NO_TIME);
		parent_override[i] = CSF_SPAN_NONE;
		if (!s->id)
			continue;
		slot = u64map_slot(&ids, s->id);
		if (!ids.k[slot]) {
			ids.k[slot] = s->id;
			ids.v[slot] = (uint32_t)i;
			continue;
		}
		{
			uint32_t o = ids.v[slot];
			struct csf_span *owner = &t->spans[o];
			bool paired = parent_override[o] != CSF_SPAN_NONE;

			bool shared_pair = (owner->flags & CSF_SPAN_F_SHARED) !=
					   (s->flags & CSF_SPAN_F_SHARED);
			/* the same pair after a trip through OTLP or Jaeger, which have no
			 * "shared" flag: one CLIENT and one SERVER span with the same id */
			bool rpc_pair = !((owner->flags | s->flags) & CSF_SPAN_F_SHARED) &&
					((owner->kind == CSF_SPAN_KIND_CLIENT &&
					  s->kind == CSF_SPAN_KIND_SERVER) ||
					 (owner->kind == CSF_SPAN_KIND_SERVER &&
					  s->kind == CSF_SPAN_KIND_CLIENT));

			if (!paired && (shared_pair || rpc_pair)) {
				/* Zipkin RPC halves: the server half hangs under the client
				 * half and owns the id. */
				uint32_t client = shared_pair ?
					((s->flags & CSF_SPAN_F_SHARED) ? o : (uint32_t)i) :
					(s->kind == CSF_SPAN_KIND_SERVER ? o : (uint32_t)i);
				uint32_t server = client == o ? (uint32_t)i : o;

				parent_override[server] = client;
				parent_override[client] = CSF_SPAN_NONE - 1; /* marks "paired" */
				ids.v[slot] = server;
			} else {
				s->flags |= CSF_SPAN_F_DUPLICATE;
				t->ndups++;
			}
		}
	}
	/* parents */
	for (i = 0; i < n; i++) {
		struct csf_span *s = &t->spans[i];
		uint32_t p;

		if (parent_override[i] < CSF_SPAN_NONE - 1) {
			p = parent_override[i];
		} else if (!s->parent_id) {
			p = CSF_SPAN_NONE;
		} else {
			p = u64map_get(&ids, s->parent_id);
			if (p == CSF_SPAN_NONE) {
				s->flags |= CSF_SPAN_F_ORPHAN;
				t->norphans++;
			}
		}
		s->parent = p;
	}
	u64map_release(&ids);
	free(parent_override);
	/* cycles: walk up from each unvisited span; meeting this walk's own stamp is a cycle */
	stamp = csf_xcalloc(n, sizeof(*stamp));
	for (i = 0; i < n; i++) {
		uint32_t j = (uint32_t)i;

		if (stamp[i])
			continue;
		while (j != CSF_SPAN_NONE && !stamp[j]) {
			stamp[j] = (uint32_t)i + 1;
			j = t->spans[j].parent;
		}
		if (j != CSF_SPAN_NONE && stamp[j] == (uint32_t)i + 1) {
			t->spans[j].parent = CSF_SPAN_NONE;
			t->spans[j].flags |= CSF_SPAN_F_CYCLE;
			t->ncycles++;
		}
	}
	free(stamp);
	/* children lists: counting sort by parent, then by start time within each list */
	count = csf_xcalloc(n + 1, sizeof(*count));
	for (i = 0; i < n; i++) {
		if (t->spans[i].parent == CSF_SPAN_NONE)
			nroots++;
		else
			count[t->spans[i].parent]++;
	}
	{
		uint32_t off = 0;

		for (i = 0; i < n; i++) {
			t->spans[i].kid = off;
			t->spans[i].nkid = 0;
			off += count[i];
		}
	}
	free(count);
	t->roots = csf_xmalloc((nroots + 1) * sizeof(*t->roots));
	for (i = 0; i < n; i++) {
		struct csf_span *s = &t->spans[i];

		if (s->parent == CSF_SPAN_NONE) {
			t->roots[t->nroots++] = (uint32_t)i;
		} else {
			struct csf_span *p = &t->spans[s->parent];

			t->kids[p->kid + p->nkid++] = (uint32_t)i;
		}
	}
	tmp = csf_xmalloc(n * sizeof(*tmp));
	sort_by_start(t->roots, t->nroots, t->spans, tmp);
	for (i = 0; i < n; i++)
		if (t->spans[i].nkid > 1)
			sort_by_start(t->kids + t->spans[i].kid, t->spans[i].nkid, t->spans, tmp);
	free(tmp);
	/* display order and depth: iterative pre-order */
	stack = csf_xmalloc(n * sizeof(*stack));
	top = 0;
	for (i = t->nroots; i-- > 0;)
		stack[top++] = t->roots[i];
	while (top) {
		uint32_t x = stack[--top], k;
		struct csf_span *s = &t->spans[x];

		t->order[norder++] = x;
		s->depth = s->parent == CSF_SPAN_NONE ? 0 : t->spans[s->parent].depth + 1;
		for (k = s->nkid; k-- > 0;)
			stack[top++] = t->kids[s->kid + k];
	}
	free(stack);
	/* self time, errors, extent */
	for (i = 0; i < n; i++) {
		struct csf_span *s = &t->spans[i];
		int64_t st = s->start_ns, en = span_end(s), covered = 0, cur_s = 0, cur_e = 0;
		bool open = false;
		uint32_t k;

		if (s->status == CSF_SPAN_ERROR)
			t->nerrors++;
		if (s->start_ns) {
			if (!any_time || st < t->start_ns)
				t->start_ns = st;
			if (!any_time || en > t->end_ns)
				t->end_ns = en;
			any_time = true;
		}
		for (k = 0; k < s->nkid; k++) {
			const struct csf_span *c = &t->spans[t->kids[s->kid + k]];
			int64_t cs = c->start_ns > st ? c->start_ns : st;
			int64_t ce = span_end(c) < en ? span_end(c) : en;

			if (ce <= cs)
				continue;
			if (open && cs <= cur_e) {
				if (ce > cur_e)
					cur_e = ce;
				continue;
			}
			if (open)
				covered += cur_e - cur_s;
			cur_s = cs;
			cur_e = ce;
			open = true;
		}
		if (open)
			covered += cur_e - cur_s;
		s->self_ns = s->dur_ns - covered > 0 ? s->dur_ns - covered : 0;
	}
	t->built = true;
}

/* Gives back what geometric growth left unused (up to half of the biggest arrays). */
#define SHRINK(arr, n, alloc) do { \
	if ((alloc) > (n) + (n) / 8 + 16) { \
		(arr) = csf_xrealloc_array((arr), (n) ? (n) : 1, sizeof(*(arr))); \
		(alloc) = (n) ? (n) : 1; \
	} \
} while (0)

void
csf_trace_set_build(struct csf_trace_set *set)
{
	size_t i;

	for (i = 0; i < set->ntraces; i++) {
		struct csf_trace *t = &set->traces[i];

		if (t->built)
			continue;
		SHRINK(t->spans, t->nspans, t->spans_alloc);
		trace_build(t);
	}
	SHRINK(set->attrs, set->nattrs, set->attrs_alloc);
	SHRINK(set->events, set->nevents, set->events_alloc);
}

/* ==== critical path ========================================================================== */

struct crit_item {
	uint32_t span;
	int64_t end;	/* the span's end clipped to its parent's */
};

struct crit_kid {
	uint32_t span;
	int64_t start, end;	/* clipped */
};

static int
crit_kid_cmp(const void *pa, const void *pb)
{
	const struct crit_kid *a = pa, *b = pb;

	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	return a->span < b->span ? -1 : a->span > b->span;
}

size_t
csf_trace_critical_path(struct csf_trace *t)
{
	struct crit_item *stack;
	struct crit_kid *kids = NULL;
	size_t kids_alloc = 0, top = 0, marked = 0, i;

	for (i = 0; i < t->nspans; i++)
		t->spans[i].flags &= (uint16_t)~CSF_SPAN_F_CRITICAL;
	if (!t->built || !t->nspans)
		return 0;
	stack = csf_xmalloc(t->nspans * sizeof(*stack));
	for (i = t->nroots; i-- > 0;) {
		stack[top].span = t->roots[i];
		stack[top].end = span_end(&t->spans[t->roots[i]]);
		top++;
	}
	while (top) {
		struct crit_item it = stack[--top];
		struct csf_span *s = &t->spans[it.span];
		int64_t cur = it.end, st = s->start_ns;
		uint32_t k, nk = 0;

		if (!(s->flags & CSF_SPAN_F_CRITICAL)) {
			s->flags |= CSF_SPAN_F_CRITICAL;
			marked++;
		}
		CSF_GROW(kids, kids_alloc, s->nkid + 1);
		for (k = 0; k < s->nkid; k++) {
			const struct csf_span *c = &t->spans[t->kids[s->kid + k]];
			int64_t cs = c->start_ns > st ? c->start_ns : st;
			int64_t ce = span_end(c) < it.end ? span_end(c) : it.end;

			if (ce < cs)
				continue;
			kids[nk].span = t->kids[s->kid + k];
			kids[nk].start = cs;
			kids[nk].end = ce;
			nk++;
		}
		qsort(kids, nk, sizeof(*kids), crit_kid_cmp);
		for (k = 0; k < nk && cur > st; k++) {
			if (kids[k].end > cur)
				continue;
			/* stack holds at most one entry per span: each is pushed once */
			stack[top].span = kids[k].span;
			stack[top].end = kids[k].end;
			top++;
			cur = kids[k].start;
		}
	}
	free(kids);
	free(stack);
	return marked;
}

/* ==== rows ================================================================================== */

size_t
csf_trace_rows(const struct csf_trace *t, uint32_t *rows)
{
	size_t i, n = 0;
	uint32_t skip_deeper = UINT32_MAX;	/* inside a folded span's subtree */

	if (!t->built)
		return 0;
	for (i = 0; i < t->nspans; i++) {
		uint32_t x = t->order[i];
		const struct csf_span *s = &t->spans[x];

		if (skip_deeper != UINT32_MAX) {
			if (s->depth > skip_deeper)
				continue;
			skip_deeper = UINT32_MAX;
		}
		if (s->flags & CSF_SPAN_F_HIDDEN)
			continue;
		rows[n++] = x;
		if ((s->flags & CSF_SPAN_F_FOLDED) && s->nkid)
			skip_deeper = s->depth;
	}
	return n;
}

void
csf_trace_fold_level(struct csf_trace *t, unsigned level)
{
	size_t i;

	for (i = 0; i < t->nspans; i++) {
		struct csf_span *s = &t->spans[i];

		if (s->nkid && s->depth >= level)
			s->flags |= CSF_SPAN_F_FOLDED;
		else
			s->flags &= (uint16_t)~CSF_SPAN_F_FOLDED;
	}
}

/* ==== filters ================================================================================ */

static const struct {
	const char *text;
	enum csf_filter_op op;
} filter_ops[] = {
	{ "!=", CSF_FOP_NE }, { "<=", CSF_FOP_LE }, { ">=", CSF_FOP_GE }, { "=", CSF_FOP_EQ },
	{ "~", CSF_FOP_SUB }, { "<", CSF_FOP_LT }, { ">", CSF_FOP_GT },
};

static bool
name_in(const char *s, const char *const *names, size_t n, size_t *idx)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(s, names[i])) {
			*idx = i;
			return true;
		}
	return false;
}

enum csf_status
csf_trace_filter_add(struct csf_trace_filter *f, const char *expr, struct csf_error *err)
{
	static const struct csf_loc nowhere = { 0, 0 };
	struct csf_filter_cond c;
	size_t pos = strcspn(expr, "!=<>~"), i, idx;
	const char *val;

	memset(&c, 0, sizeof(c));
	if (!expr[pos] || !pos)
		return csf_fail(err, CSF_E_USAGE, NULL, nowhere,
				"filter '%s': expected KEY=VALUE, KEY~TEXT or KEY>DURATION", expr);
	for (i = 0; i < sizeof(filter_ops) / sizeof(filter_ops[0]); i++)
		if (!strncmp(expr + pos, filter_ops[i].text, strlen(filter_ops[i].text)))
			break;
	if (i == sizeof(filter_ops) / sizeof(filter_ops[0]))
		return csf_fail(err, CSF_E_USAGE, NULL, nowhere, "filter '%s': unknown operator",
				expr);
	c.op = filter_ops[i].op;
	val = expr + pos + strlen(filter_ops[i].text);
	c.key = csf_xstrndup(expr, pos);
	c.value = csf_xstrdup(val);
	if (!strcmp(c.key, "duration") || !strcmp(c.key, "dur"))
		c.field = CSF_FF_DURATION;
	else if (!strcmp(c.key, "self"))
		c.field = CSF_FF_SELF;
	else if (!strcmp(c.key, "status"))
		c.field = CSF_FF_STATUS;
	else if (!strcmp(c.key, "service"))
		c.field = CSF_FF_SERVICE;
	else if (!strcmp(c.key, "name") || !strcmp(c.key, "operation"))
		c.field = CSF_FF_NAME;
	else if (!strcmp(c.key, "kind"))
		c.field = CSF_FF_KIND;
	else
		c.field = CSF_FF_ATTR;
	if (c.field == CSF_FF_DURATION || c.field == CSF_FF_SELF) {
		if (!csf_duration_parse(c.value, &c.ns)) {
			csf_fail(err, CSF_E_USAGE, NULL, nowhere,
				 "filter '%s': '%s' is not a duration (like 100ms, 1.5s)", expr,
				 c.value);
			goto fail;
		}
		if (c.op == CSF_FOP_SUB) {
			csf_fail(err, CSF_E_USAGE, NULL, nowhere,
				 "filter '%s': durations compare with = != < <= > >=", expr);
			goto fail;
		}
	} else if (c.field == CSF_FF_STATUS || c.field == CSF_FF_KIND) {
		bool st = c.field == CSF_FF_STATUS;

		if ((c.op != CSF_FOP_EQ && c.op != CSF_FOP_NE) ||
		    !name_in(c.value, st ? status_names : kind_names + 1, st ? 3 : 5, &idx)) {
			csf_fail(err, CSF_E_USAGE, NULL, nowhere, st ?
				 "filter '%s': use status=error|ok|unset (or !=)" :
				 "filter '%s': use kind=server|client|producer|consumer|internal",
				 expr);
			goto fail;
		}
		c.ns = st ? (int64_t)idx : (int64_t)idx + 1;
	} else if (c.op == CSF_FOP_LT || c.op == CSF_FOP_LE || c.op == CSF_FOP_GT ||
		   c.op == CSF_FOP_GE) {
		char *end;

		if (c.field != CSF_FF_ATTR) {
			csf_fail(err, CSF_E_USAGE, NULL, nowhere,
				 "filter '%s': %s compares with = != ~", expr, c.key);
			goto fail;
		}
		strtod(c.value, &end);
		if (end == c.value || *end) {
			csf_fail(err, CSF_E_USAGE, NULL, nowhere,
				 "filter '%s': '%s' is not a number", expr, c.value);
			goto fail;
		}
	}
	CSF_GROW(f->conds, f->alloc, f->n + 1);
	f->conds[f->n++] = c;
	return CSF_E_OK;
fail:
	free(c.key);
	free(c.value);
	return err ? err->code : CSF_E_USAGE;
}

void
csf_trace_filter_release(struct csf_trace_filter *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->conds[i].key);
		free(f->conds[i].value);
	}
	free(f->conds);
	f->conds = NULL;
	f->n = f->alloc = 0;
}

static bool
cmp_num(enum csf_filter_op op, double a, double b)
{
	switch (op) {
	case CSF_FOP_LT: return a < b;
	case CSF_FOP_LE: return a <= b;
	case CSF_FOP_GT: return a > b;
	case CSF_FOP_GE: return a >= b;
	case CSF_FOP_EQ: return a == b;
	case CSF_FOP_NE: return a != b;
	case CSF_FOP_SUB: return false;
	}
	return false;
}

static bool
cmp_text(enum csf_filter_op op, const char *have, const char *want)
{
	switch (op) {
	case CSF_FOP_EQ: return !strcmp(have, want);
	case CSF_FOP_NE: return strcmp(have, want) != 0;
	case CSF_FOP_SUB: return strstr(have, want) != NULL;
	default: return false;
	}
}

static bool
cond_match(const struct csf_filter_cond *c, const struct csf_trace_set *set,
	   const struct csf_span *s)
{
	const struct csf_trace_attr *a;

	switch (c->field) {
	case CSF_FF_DURATION:
		return cmp_num(c->op, (double)s->dur_ns, (double)c->ns);
	case CSF_FF_SELF:
		return cmp_num(c->op, (double)s->self_ns, (double)c->ns);
	case CSF_FF_STATUS:
		return (s->status == c->ns) == (c->op == CSF_FOP_EQ);
	case CSF_FF_KIND:
		return (s->kind == c->ns) == (c->op == CSF_FOP_EQ);
	case CSF_FF_SERVICE:
		return cmp_text(c->op, s->service, c->value);
	case CSF_FF_NAME:
		return cmp_text(c->op, s->name, c->value);
	case CSF_FF_ATTR:
		a = csf_span_attr(set, s, c->key);
		if (!a)
			return c->op == CSF_FOP_NE;
		if (c->op == CSF_FOP_EQ || c->op == CSF_FOP_NE || c->op == CSF_FOP_SUB)
			return cmp_text(c->op, a->value, c->value);
		{
			char *end;
			double v = strtod(a->value, &end);

			if (end == a->value || *end)
				return false;
			return cmp_num(c->op, v, strtod(c->value, NULL));
		}
	}
	return false;
}

bool
csf_trace_filter_match(const struct csf_trace_filter *f, const struct csf_trace_set *set,
		       const struct csf_span *s)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!cond_match(&f->conds[i], set, s))
			return false;
	return true;
}

size_t
csf_trace_filter_apply(const struct csf_trace_filter *f, const struct csf_trace_set *set,
		       struct csf_trace *t, bool hide)
{
	size_t i, n = 0;
	const uint16_t keep = CSF_SPAN_F_HIDDEN;	/* reused as "not yet kept" below */

	for (i = 0; i < t->nspans; i++) {
		struct csf_span *s = &t->spans[i];

		s->flags &= (uint16_t)~(CSF_SPAN_F_MATCH | CSF_SPAN_F_HIDDEN);
		if (csf_trace_filter_match(f, set, s)) {
			s->flags |= CSF_SPAN_F_MATCH;
			n++;
		}
	}
	if (!hide)
		return n;
	for (i = 0; i < t->nspans; i++)
		t->spans[i].flags |= keep;
	for (i = 0; i < t->nspans; i++) {
		uint32_t j = (uint32_t)i;

		if (!(t->spans[i].flags & CSF_SPAN_F_MATCH))
			continue;
		/* unhide the match and its ancestors; stop at the first one already shown */
		while (j != CSF_SPAN_NONE && (t->spans[j].flags & keep)) {
			t->spans[j].flags &= (uint16_t)~keep;
			j = t->spans[j].parent;
		}
	}
	return n;
}

/* ==== comparison ============================================================================= */

static uint64_t
path_hash(uint64_t parent, const struct csf_span *s)
{
	uint64_t h = parent * 0x100000001b3ULL;

	h ^= hash_bytes(s->service, strlen(s->service));
	h = mix64(h) ^ hash_bytes(s->name, strlen(s->name));
	return mix64(h) | 1;
}

/* Path hashes of every span, computed in display order (parents first). */
static void
path_keys(const struct csf_trace *t, uint64_t *keys)
{
	size_t i;

	for (i = 0; i < t->nspans; i++) {
		uint32_t x = t->order[i];
		const struct csf_span *s = &t->spans[x];

		keys[x] = path_hash(s->parent == CSF_SPAN_NONE ? 0 : keys[s->parent], s);
	}
}

static bool
same_path(const struct csf_trace *a, uint32_t x, const struct csf_trace *b, uint32_t y)
{
	while (x != CSF_SPAN_NONE && y != CSF_SPAN_NONE) {
		if (strcmp(a->spans[x].name, b->spans[y].name) ||
		    strcmp(a->spans[x].service, b->spans[y].service))
			return false;
		x = a->spans[x].parent;
		y = b->spans[y].parent;
	}
	return x == CSF_SPAN_NONE && y == CSF_SPAN_NONE;
}

static void
diff_push(struct csf_trace_diff *d, enum csf_diff_kind k, uint32_t a, uint32_t b, int64_t delta)
{
	CSF_GROW(d->e, d->alloc, d->n + 1);
	d->e[d->n].kind = k;
	d->e[d->n].a = a;
	d->e[d->n].b = b;
	d->e[d->n].delta_ns = delta;
	d->n++;
	switch (k) {
	case CSF_DIFF_SAME: d->nsame++; break;
	case CSF_DIFF_SLOWER: d->nslower++; break;
	case CSF_DIFF_FASTER: d->nfaster++; break;
	case CSF_DIFF_ADDED: d->nadded++; break;
	case CSF_DIFF_REMOVED: d->nremoved++; break;
	}
}

void
csf_trace_compare(const struct csf_trace *a, const struct csf_trace *b, int64_t min_ns,
		  double pct, struct csf_trace_diff *out)
{
	uint64_t *ka = csf_xcalloc(a->nspans + 1, sizeof(*ka));
	uint64_t *kb = csf_xcalloc(b->nspans + 1, sizeof(*kb));
	uint32_t *next = csf_xmalloc((a->nspans + 1) * sizeof(*next));
	bool *used = csf_xcalloc(a->nspans + 1, sizeof(*used));
	struct u64map head, tail, cursor;
	size_t i;

	out->n = out->nsame = out->nslower = out->nfaster = out->nadded = out->nremoved = 0;
	path_keys(a, ka);
	path_keys(b, kb);
	/* chain A's spans of each path in display order: head/tail per path, next[] links */
	u64map_init(&head, a->nspans);
	u64map_init(&tail, a->nspans);
	for (i = 0; i < a->nspans; i++) {
		uint32_t x = a->order[i];
		size_t sh = u64map_slot(&head, ka[x]), st;

		next[x] = CSF_SPAN_NONE;
		if (!head.k[sh]) {
			head.k[sh] = ka[x];
			head.v[sh] = x;
		} else {
			st = u64map_slot(&tail, ka[x]);
			next[tail.v[st]] = x;
		}
		st = u64map_slot(&tail, ka[x]);
		tail.k[st] = ka[x];
		tail.v[st] = x;
	}
	u64map_release(&tail);
	u64map_init(&cursor, b->nspans);
	for (i = 0; i < b->nspans; i++) {
		uint32_t y = b->order[i], x;
		size_t sc = u64map_slot(&cursor, kb[y]);

		if (cursor.k[sc]) {
			x = cursor.v[sc];
		} else {
			x = u64map_get(&head, kb[y]);
			cursor.k[sc] = kb[y];
		}
		while (x != CSF_SPAN_NONE && (used[x] || !same_path(a, x, b, y)))
			x = next[x];
		cursor.v[sc] = x == CSF_SPAN_NONE ? CSF_SPAN_NONE : next[x];
		if (x == CSF_SPAN_NONE) {
			diff_push(out, CSF_DIFF_ADDED, CSF_SPAN_NONE, y, 0);
		} else {
			int64_t da = a->spans[x].dur_ns, delta = b->spans[y].dur_ns - da;
			int64_t mag = delta < 0 ? -delta : delta;
			enum csf_diff_kind k = CSF_DIFF_SAME;

			used[x] = true;
			if (mag >= min_ns && (double)mag * 100.0 >= pct * (double)da && mag > 0)
				k = delta > 0 ? CSF_DIFF_SLOWER : CSF_DIFF_FASTER;
			diff_push(out, k, x, y, delta);
		}
	}
	for (i = 0; i < a->nspans; i++)
		if (!used[a->order[i]])
			diff_push(out, CSF_DIFF_REMOVED, a->order[i], CSF_SPAN_NONE, 0);
	u64map_release(&cursor);
	u64map_release(&head);
	free(ka);
	free(kb);
	free(next);
	free(used);
}

void
csf_trace_diff_release(struct csf_trace_diff *d)
{
	free(d->e);
	*d = (struct csf_trace_diff)CSF_TRACE_DIFF_INIT;
}
