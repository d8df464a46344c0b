#include "core/yaml_model.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "core/xalloc.h"

#define DEFAULT_MAX_BYTES (8u << 20)
#define DEFAULT_MAX_DEPTH 128
#define DEFAULT_MAX_NODES 1000000

/* ------------------------------------------------------------------------------------------
 * Input checks: binary, encoding, UTF-8
 */

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t
utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned c = p[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Returns the position of byte p in data (1-based line and column in characters). */
static struct csf_loc
loc_of(const unsigned char *data, const unsigned char *p)
{
	struct csf_loc loc = { 1, 1 };
	const unsigned char *q;

	for (q = data; q < p; q++) {
		if (*q == '\n') {
			loc.line++;
			loc.col = 1;
		} else if ((*q & 0xc0) != 0x80) {
			loc.col++;
		}
	}
	return loc;
}

/* Rejects UTF-16/32, NUL bytes and invalid UTF-8. *ascii tells whether every byte is ASCII
 * (then libyaml's character index is also the byte offset). */
static enum csf_status
check_text(const char *name, const char *data, size_t len, bool *ascii, struct csf_error *err)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	const unsigned char *start = p;

	*ascii = true;
	if (len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
		return csf_fail(err, CSF_E_PARSE, name, loc_of(start, p),
				"UTF-16 text is not supported; save the file as UTF-8");
	while (p < end) {
		size_t n;

		/* Fast path: plain ASCII text. */
		while (p < end && *p && *p < 0x80)
			p++;
		if (p == end)
			break;
		if (*p == 0)
			return csf_fail(err, CSF_E_PARSE, name, loc_of(start, p),
					"binary file (NUL byte); expected YAML text");
		*ascii = false;
		n = utf8_seq(p, (size_t)(end - p));
		if (!n)
			return csf_fail(err, CSF_E_PARSE, name, loc_of(start, p),
					"invalid UTF-8 byte 0x%02x; save the file as UTF-8", *p);
		p += n;
	}
	return CSF_E_OK;
}

static void
index_lines(struct csf_yaml_doc *doc)
{
	const char *s = doc->text.buf, *end = s + doc->text.len, *p;
	size_t alloc = 1;

	/* Count first: one allocation instead of a growing array. */
	for (p = s; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		alloc++;
	free(doc->line_off);
	doc->line_off = csf_xcalloc(alloc, sizeof(*doc->line_off));
	doc->nlines = 0;
	doc->line_off[doc->nlines++] = 0;
	for (p = s; (p = memchr(p, '\n', (size_t)(end - p))); p++) {
		if (p + 1 == end)
			break;
		doc->line_off[doc->nlines++] = (size_t)(p + 1 - s);
	}
}

const char *
csf_yaml_line(const struct csf_yaml_doc *doc, unsigned line, size_t *len)
{
	size_t start, end;

	if (!doc || !line || line > doc->nlines)
		return NULL;
	start = doc->line_off[line - 1];
	end = line < doc->nlines ? doc->line_off[line] : doc->text.len;
	while (end > start && (doc->text.buf[end - 1] == '\n' || doc->text.buf[end - 1] == '\r'))
		end--;
	if (len)
		*len = end - start;
	return doc->text.buf + start;
}

size_t
csf_text_offset(const char *text, size_t len, const size_t *line_off, size_t nlines,
		struct csf_loc loc)
{
	size_t off, end;
	unsigned col;

	if (!loc.line || !nlines)
		return 0;
	if (loc.line > nlines)
		return len;
	off = line_off[loc.line - 1];
	end = loc.line < nlines ? line_off[loc.line] : len;
	for (col = 1; col < loc.col && off < end; col++) {
		off++;
		while (off < end && ((unsigned char)text[off] & 0xc0) == 0x80)
			off++;
	}
	return off;
}

/* ------------------------------------------------------------------------------------------
 * Scalars
 */

static bool
eq_any(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

void
csf_scalar_resolve(struct csf_node *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	static const char *const infs[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL };
	const char *s = n->str;
	char *end;

	n->type = CSF_SCALAR_STR;
	if (n->style != CSF_STYLE_PLAIN)
		return;
	/* Most plain scalars are words: only these first characters can start anything else. */
	switch (s[0]) {
	case '\0': case '~': case '.': case '+': case '-':
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
	case '9':
		break;
	case 'n': case 'N': case 't': case 'T': case 'f': case 'F':
		if (n->len <= 5)
			break;
		return;
	default:
		return;
	}
	/* Words (null, booleans, .inf, .nan) never start with a digit. */
	if ((s[0] >= '0' && s[0] <= '9') ||
	    ((s[0] == '-' || s[0] == '+') && s[1] >= '0' && s[1] <= '9'))
		goto number;
	if (eq_any(s, nulls)) {
		n->type = CSF_SCALAR_NULL;
		return;
	}
	if (eq_any(s, trues) || eq_any(s, falses)) {
		n->type = CSF_SCALAR_BOOL;
		n->ival = eq_any(s, trues);
		return;
	}
	if (eq_any(s, infs) || !strcmp(s, "-.inf") || !strcmp(s, "-.Inf") || !strcmp(s, "-.INF") ||
	    !strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN")) {
		n->type = CSF_SCALAR_FLOAT;
		n->fval = s[0] == '-' ? -INFINITY : s[1] == 'n' || s[1] == 'N' ? NAN : INFINITY;
		return;
	}
number:
	if ((s[0] >= '0' && s[0] <= '9') || ((s[0] == '-' || s[0] == '+') && s[1] >= '0' && s[1] <= '9')) {
		long long v;

		errno = 0;
		if (s[0] == '0' && s[1] == 'x')
			v = strtoll(s + 2, &end, 16);
		else if (s[0] == '0' && s[1] == 'o')
			v = strtoll(s + 2, &end, 8);
		else
			v = strtoll(s, &end, 10);
		if (!*end && end != s && errno == 0 && (s[0] != '0' || s[1] != 'x' || s[2]) &&
		    (s[0] != '0' || s[1] != 'o' || s[2])) {
			n->type = CSF_SCALAR_INT;
			n->ival = v;
			n->fval = (double)v;
			return;
		}
	}
	if ((s[0] >= '0' && s[0] <= '9') || s[0] == '.' || s[0] == '-' || s[0] == '+') {
		double d;
		const char *q = s + (s[0] == '-' || s[0] == '+');

		if ((*q >= '0' && *q <= '9') || (*q == '.' && q[1] >= '0' && q[1] <= '9')) {
			d = strtod(s, &end);
			if (!*end && strspn(s, "0123456789.eE+-") == n->len) {
				n->type = CSF_SCALAR_FLOAT;
				n->fval = d;
			}
		}
	}
}

/* ------------------------------------------------------------------------------------------
 * Building
 */

struct csf_node *
csf_node_new(struct csf_arena *a, enum csf_node_kind kind)
{
	struct csf_node *n = csf_arena_alloc(a, sizeof(*n));

	n->kind = kind;
	n->weight = 1;
	n->style = kind == CSF_NODE_SCALAR ? CSF_STYLE_PLAIN : CSF_STYLE_BLOCK;
	if (kind == CSF_NODE_SCALAR)
		n->str = "";
	return n;
}

struct csf_node *
csf_node_new_str(struct csf_arena *a, const char *s)
{
	struct csf_node *n = csf_node_new(a, CSF_NODE_SCALAR);

	n->len = strlen(s);
	n->str = csf_arena_strndup(a, s, n->len);
	n->style = CSF_STYLE_DOUBLE;
	n->type = CSF_SCALAR_STR;
	return n;
}

/* Child arrays live in the arena; capacity is the next power of two of the slot count, so
 * appending copies only when the count crosses a power of two. */
static size_t
cap_for(size_t slots)
{
	size_t c = 4;

	while (c < slots)
		c *= 2;
	return c;
}

struct csf_node *
csf_node_clone(struct csf_arena *a, const struct csf_node *n)
{
	struct csf_node *c = csf_arena_alloc(a, sizeof(*c));
	size_t slots;

	*c = *n;
	if (n->kind != CSF_NODE_SCALAR && n->n) {
		slots = n->kind == CSF_NODE_MAP ? 2 * n->n : n->n;
		c->kids = csf_arena_alloc(a, cap_for(slots) * sizeof(*c->kids));
		memcpy(c->kids, n->kids, slots * sizeof(*c->kids));
	}
	return c;
}

void
csf_node_append(struct csf_arena *a, struct csf_node *parent, struct csf_node *key,
		struct csf_node *value)
{
	size_t per = parent->kind == CSF_NODE_MAP ? 2 : 1;
	size_t used = parent->n * per, need = used + per;

	if (!parent->kids || cap_for(used) < need) {
		struct csf_node **k = csf_arena_alloc(a, cap_for(need) * sizeof(*k));

		if (used)
			memcpy(k, parent->kids, used * sizeof(*k));
		parent->kids = k;
	}
	if (per == 2) {
		parent->kids[used] = key;
		parent->kids[used + 1] = value;
		parent->weight += key->weight;
	} else {
		parent->kids[used] = value;
	}
	parent->weight += value->weight;
	parent->n++;
}

void
csf_node_map_remove(struct csf_node *map, size_t i)
{
	if (!map || map->kind != CSF_NODE_MAP || i >= map->n)
		return;
	memmove(&map->kids[2 * i], &map->kids[2 * i + 2], (map->n - i - 1) * 2 * sizeof(*map->kids));
	map->n--;
}

/* ------------------------------------------------------------------------------------------
 * Loader
 */

struct anchor {
	char *name;
	struct csf_node *node;
};

struct frame {
	struct csf_node *node;
	struct csf_node *pending_key;	/* MAP: key waiting for its value */
	bool has_merge;
	const char *anchor;		/* registered when the node is complete, so that an alias
					 * inside the node cannot refer to it (no cycles) */
};

struct loader {
	struct csf_yaml_doc *doc;
	const struct csf_yaml_limits *lim;
	struct csf_error *err;
	struct frame *stack;
	size_t depth, stack_alloc;
	struct anchor *anchors;
	size_t nanchors, anchors_alloc;
	size_t total;			/* expanded nodes so far */
	struct csf_node *root;
	bool have_root;
	bool ascii;			/* the text is ASCII: libyaml's mark.index is a byte offset */
};

static struct csf_loc
mark_loc(yaml_mark_t m)
{
	struct csf_loc l = { (unsigned)m.line + 1, (unsigned)m.column + 1 };

	return l;
}

static void
set_marks(struct loader *ld, struct csf_node *n, yaml_mark_t start, yaml_mark_t end)
{
	struct csf_yaml_doc *d = ld->doc;

	n->loc = mark_loc(start);
	n->end = mark_loc(end);
	if (ld->ascii) {
		n->off = start.index;
		n->end_off = end.index;
	} else {
		n->off = csf_text_offset(d->text.buf, d->text.len, d->line_off, d->nlines, n->loc);
		n->end_off = csf_text_offset(d->text.buf, d->text.len, d->line_off, d->nlines,
					     n->end);
	}
	n->file = d->path;
}

static void
add_anchor(struct loader *ld, const yaml_char_t *name, struct csf_node *n)
{
	if (!name)
		return;
	CSF_GROW(ld->anchors, ld->anchors_alloc, ld->nanchors + 1);
	ld->anchors[ld->nanchors].name = csf_arena_strdup(&ld->doc->arena, (const char *)name);
	ld->anchors[ld->nanchors].node = n;
	ld->nanchors++;
}

static struct csf_node *
find_anchor(struct loader *ld, const char *name)
{
	size_t i;

	/* The latest definition of a name wins, as in YAML. */
	for (i = ld->nanchors; i-- > 0;)
		if (!strcmp(ld->anchors[i].name, name))
			return ld->anchors[i].node;
	return NULL;
}

/* True when name anchors a mapping or sequence that is still open. */
static bool
open_anchor(const struct loader *ld, const char *name)
{
	size_t i;

	for (i = 0; i < ld->depth; i++)
		if (ld->stack[i].anchor && !strcmp(ld->stack[i].anchor, name))
			return true;
	return false;
}

static bool
is_merge_key(const struct csf_node *k)
{
	return k->kind == CSF_NODE_SCALAR && k->style == CSF_STYLE_PLAIN && !strcmp(k->str, "<<");
}

static enum csf_status
count_nodes(struct loader *ld, size_t w, struct csf_loc loc)
{
	ld->total += w;
	if (ld->total > ld->lim->max_nodes)
		return csf_fail(ld->err, CSF_E_LIMIT, ld->doc->path, loc,
				"document expands to more than %zu nodes (alias bomb?)",
				ld->lim->max_nodes);
	return CSF_E_OK;
}

/* Attaches a finished node to its parent (or makes it the root). */
static enum csf_status
attach(struct loader *ld, struct csf_node *n)
{
	struct frame *f;

	if (!ld->depth) {
		ld->root = n;
		ld->have_root = true;
		return CSF_E_OK;
	}
	f = &ld->stack[ld->depth - 1];
	if (f->node->kind == CSF_NODE_SEQ) {
		csf_node_append(&ld->doc->arena, f->node, NULL, n);
		return CSF_E_OK;
	}
	if (!f->pending_key) {
		f->pending_key = n;
		return CSF_E_OK;
	}
	if (is_merge_key(f->pending_key))
		f->has_merge = true;
	csf_node_append(&ld->doc->arena, f->node, f->pending_key, n);
	f->pending_key = NULL;
	return CSF_E_OK;
}

static bool
same_key(const struct csf_node *a, const struct csf_node *b)
{
	return a->kind == CSF_NODE_SCALAR && b->kind == CSF_NODE_SCALAR && a->len == b->len &&
	       !memcmp(a->str, b->str, a->len);
}

static int
cmp_key_idx(const void *pa, const void *pb)
{
	const struct csf_node *a = *(struct csf_node *const *)pa;
	const struct csf_node *b = *(struct csf_node *const *)pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c;

	if (a->kind != CSF_NODE_SCALAR || b->kind != CSF_NODE_SCALAR)
		return (int)a->kind - (int)b->kind;
	c = memcmp(a->str, b->str, n);
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	/* Stable: order of appearance. */
	return a->off < b->off ? -1 : a->off > b->off;
}

static void
record_dup(struct loader *ld, const struct csf_node *first, const struct csf_node *dup)
{
	struct csf_yaml_doc *d = ld->doc;

	CSF_GROW(d->dups, d->dups_alloc, d->ndups + 1);
	d->dups[d->ndups].first = first;
	d->dups[d->ndups].dup = dup;
	d->ndups++;
}

static void
find_dups(struct loader *ld, struct csf_node *map)
{
	size_t i, j;

	if (map->n < 2)
		return;
	if (map->n <= 16) {
		for (i = 1; i < map->n; i++)
			for (j = 0; j < i; j++)
				if (same_key(map->kids[2 * j], map->kids[2 * i]) &&
				    !is_merge_key(map->kids[2 * i])) {
					record_dup(ld, map->kids[2 * j], map->kids[2 * i]);
					break;
				}
		return;
	}
	{
		struct csf_node **keys = csf_xmalloc(map->n * sizeof(*keys));

		for (i = 0; i < map->n; i++)
			keys[i] = map->kids[2 * i];
		qsort(keys, map->n, sizeof(*keys), cmp_key_idx);
		for (i = 1; i < map->n; i++) {
			size_t first = i - 1;

			while (i < map->n && same_key(keys[first], keys[i])) {
				if (!is_merge_key(keys[i]))
					record_dup(ld, keys[first], keys[i]);
				i++;
			}
		}
		free(keys);
	}
}

/* Applies `<<: *a` and `<<: [*a, *b]`: keys of the merged maps that the map does not define
 * itself are added after its own keys; the merge key is removed. */
static enum csf_status
apply_merges(struct loader *ld, struct csf_node *map)
{
	size_t i;

	for (i = 0; i < map->n; i++) {
		struct csf_node *k = map->kids[2 * i], *v = map->kids[2 * i + 1];
		struct csf_node *srcs[64];
		size_t nsrc = 0, s, j;

		if (!is_merge_key(k))
			continue;
		if (v->kind == CSF_NODE_MAP) {
			srcs[nsrc++] = v;
		} else if (v->kind == CSF_NODE_SEQ) {
			for (j = 0; j < v->n && nsrc < 64; j++)
				if (v->kids[j]->kind == CSF_NODE_MAP)
					srcs[nsrc++] = v->kids[j];
		}
		csf_node_map_remove(map, i);
		i--;
		for (s = 0; s < nsrc; s++) {
			for (j = 0; j < srcs[s]->n; j++) {
				struct csf_node *sk = srcs[s]->kids[2 * j];

				if (csf_node_get_key(map, sk->str))
					continue;
				csf_node_append(&ld->doc->arena, map, sk, srcs[s]->kids[2 * j + 1]);
				if (count_nodes(ld, sk->weight + srcs[s]->kids[2 * j + 1]->weight, k->loc))
					return ld->err->code;
			}
		}
	}
	return CSF_E_OK;
}

static enum csf_status
push(struct loader *ld, struct csf_node *n)
{
	if (ld->depth >= ld->lim->max_depth)
		return csf_fail(ld->err, CSF_E_LIMIT, ld->doc->path, n->loc,
				"nesting deeper than %u levels", ld->lim->max_depth);
	CSF_GROW(ld->stack, ld->stack_alloc, ld->depth + 1);
	memset(&ld->stack[ld->depth], 0, sizeof(ld->stack[0]));
	ld->stack[ld->depth++].node = n;
	return CSF_E_OK;
}

static enum csf_node_style
scalar_style(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return CSF_STYLE_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return CSF_STYLE_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE: return CSF_STYLE_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return CSF_STYLE_FOLDED;
	default: return CSF_STYLE_PLAIN;
	}
}

static enum csf_status
on_event(struct loader *ld, yaml_event_t *ev, bool *done)
{
	struct csf_yaml_doc *d = ld->doc;
	struct csf_node *n;
	enum csf_status st;
	const yaml_char_t *anchor;

	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
		return CSF_E_OK;
	case YAML_STREAM_END_EVENT:
		*done = true;
		return CSF_E_OK;
	case YAML_DOCUMENT_START_EVENT:
		if (ld->have_root)
			return csf_fail(ld->err, CSF_E_PARSE, d->path, mark_loc(ev->start_mark),
					"more than one YAML document in the file ('---'); "
					"put each in its own file");
		return CSF_E_OK;
	case YAML_SCALAR_EVENT:
		/* The node and its text in one arena allocation (zeroed, so the text ends in NUL). */
		n = csf_arena_alloc(&d->arena, sizeof(*n) + ev->data.scalar.length + 1);
		n->kind = CSF_NODE_SCALAR;
		n->weight = 1;
		set_marks(ld, n, ev->start_mark, ev->end_mark);
		n->len = ev->data.scalar.length;
		memcpy((char *)(n + 1), ev->data.scalar.value, n->len);
		n->str = (const char *)(n + 1);
		n->style = scalar_style(ev->data.scalar.style);
		if (ev->data.scalar.tag && !strcmp((const char *)ev->data.scalar.tag, "tag:yaml.org,2002:str"))
			n->style = CSF_STYLE_DOUBLE;
		csf_scalar_resolve(n);
		if ((st = count_nodes(ld, 1, n->loc)))
			return st;
		add_anchor(ld, ev->data.scalar.anchor, n);
		return attach(ld, n);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n = csf_node_new(&d->arena, ev->type == YAML_SEQUENCE_START_EVENT ? CSF_NODE_SEQ
									: CSF_NODE_MAP);
		set_marks(ld, n, ev->start_mark, ev->end_mark);
		if (ev->type == YAML_SEQUENCE_START_EVENT) {
			if (ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE)
				n->style = CSF_STYLE_FLOW;
			anchor = ev->data.sequence_start.anchor;
		} else {
			if (ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE)
				n->style = CSF_STYLE_FLOW;
			anchor = ev->data.mapping_start.anchor;
		}
		if ((st = count_nodes(ld, 1, n->loc)) || (st = push(ld, n)))
			return st;
		if (anchor)
			ld->stack[ld->depth - 1].anchor = csf_arena_strdup(&d->arena,
									   (const char *)anchor);
		return CSF_E_OK;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: {
		struct frame *f = &ld->stack[--ld->depth];

		n = f->node;
		n->end = mark_loc(ev->end_mark);
		n->end_off = ld->ascii ? ev->end_mark.index :
			csf_text_offset(d->text.buf, d->text.len, d->line_off, d->nlines, n->end);
		if (n->kind == CSF_NODE_MAP) {
			if (f->has_merge && (st = apply_merges(ld, n)))
				return st;
			find_dups(ld, n);
		}
		if (f->anchor)
			add_anchor(ld, (const yaml_char_t *)f->anchor, n);
		return attach(ld, n);
	}
	case YAML_ALIAS_EVENT:
		n = find_anchor(ld, (const char *)ev->data.alias.anchor);
		if (!n && open_anchor(ld, (const char *)ev->data.alias.anchor))
			return csf_fail(ld->err, CSF_E_PARSE, d->path, mark_loc(ev->start_mark),
					"alias '*%s' refers to the node that contains it "
					"(a recursive alias)", ev->data.alias.anchor);
		if (!n)
			return csf_fail(ld->err, CSF_E_PARSE, d->path, mark_loc(ev->start_mark),
					"unknown alias '*%s'", ev->data.alias.anchor);
		/* The anchored node is shared, not copied; its whole expanded size counts. */
		if ((st = count_nodes(ld, n->weight, mark_loc(ev->start_mark))))
			return st;
		return attach(ld, n);
	default:
		return CSF_E_OK;
	}
}

static enum csf_status
parse(struct loader *ld)
{
	struct csf_yaml_doc *d = ld->doc;
	yaml_parser_t parser;
	yaml_event_t ev;
	enum csf_status st = CSF_E_OK;
	bool done = false;

	if (!yaml_parser_initialize(&parser))
		csf_die("libyaml: cannot initialise the parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)d->text.buf, d->text.len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			yaml_mark_t m = parser.problem_mark;
			const char *ctx = parser.context;

			if (parser.error == YAML_MEMORY_ERROR)
				csf_die("libyaml: out of memory");
			st = csf_fail(ld->err, CSF_E_PARSE, d->path, mark_loc(m), "%s%s%s",
				      parser.problem ? parser.problem : "invalid YAML",
				      ctx ? " " : "", ctx ? ctx : "");
			break;
		}
		st = on_event(ld, &ev, &done);
		yaml_event_delete(&ev);
		if (st)
			break;
	}
	yaml_parser_delete(&parser);
	return st;
}

static void
default_limits(struct csf_yaml_limits *out, const struct csf_yaml_limits *in)
{
	out->max_bytes = in && in->max_bytes ? in->max_bytes : DEFAULT_MAX_BYTES;
	out->max_depth = in && in->max_depth ? in->max_depth : DEFAULT_MAX_DEPTH;
	out->max_nodes = in && in->max_nodes ? in->max_nodes : DEFAULT_MAX_NODES;
}

static enum csf_status
load(struct csf_yaml_doc *d, const struct csf_yaml_limits *lim, struct csf_error *err)
{
	struct loader ld;
	enum csf_status st;

	memset(&ld, 0, sizeof(ld));
	ld.doc = d;
	ld.lim = lim;
	ld.err = err;
	index_lines(d);
	st = check_text(d->path, d->text.buf, d->text.len, &ld.ascii, err);
	if (!st)
		st = parse(&ld);
	if (!st)
		d->root = ld.root;
	free(ld.stack);
	free(ld.anchors);
	return st;
}

static struct csf_yaml_doc *
doc_new(const char *name)
{
	struct csf_yaml_doc *d = csf_xcalloc(1, sizeof(*d));

	d->path = csf_xstrdup(name);
	csf_buf_init(&d->text, 0);
	return d;
}

enum csf_status
csf_yaml_load_mem(const char *name, const char *data, size_t len,
		  const struct csf_yaml_limits *lim_in, struct csf_yaml_doc **out,
		  struct csf_error *err)
{
	struct csf_yaml_limits lim;
	struct csf_yaml_doc *d;
	enum csf_status st;
	struct csf_loc none = { 0, 0 };

	*out = NULL;
	default_limits(&lim, lim_in);
	if (len > lim.max_bytes)
		return csf_fail(err, CSF_E_LIMIT, name, none,
				"file too large (%zu bytes; the limit is %zu)", len, lim.max_bytes);
	d = doc_new(name);
	csf_buf_add(&d->text, data, len);
	st = load(d, &lim, err);
	if (st) {
		csf_yaml_doc_free(d);
		return st;
	}
	*out = d;
	return CSF_E_OK;
}

enum csf_status
csf_yaml_load_file(const char *path, const struct csf_yaml_limits *lim_in,
		   struct csf_yaml_doc **out, struct csf_error *err)
{
	struct csf_yaml_limits lim;
	struct csf_yaml_doc *d;
	enum csf_status st;
	struct csf_loc none = { 0, 0 };

	*out = NULL;
	default_limits(&lim, lim_in);
	d = doc_new(path);
	if (csf_buf_read_file(&d->text, path, lim.max_bytes) < 0) {
		int e = errno;

		csf_yaml_doc_free(d);
		if (e == EFBIG)
			return csf_fail(err, CSF_E_LIMIT, path, none,
					"file too large (the limit is %zu bytes)", lim.max_bytes);
		return csf_fail(err, CSF_E_IO, path, none, "cannot read: %s", strerror(e));
	}
	st = load(d, &lim, err);
	if (st) {
		csf_yaml_doc_free(d);
		return st;
	}
	*out = d;
	return CSF_E_OK;
}

void
csf_yaml_doc_free(struct csf_yaml_doc *d)
{
	if (!d)
		return;
	csf_arena_release(&d->arena);
	csf_buf_release(&d->text);
	free(d->dups);
	free(d->line_off);
	free(d->path);
	free(d);
}

/* ------------------------------------------------------------------------------------------
 * Reading
 */

struct csf_node *
csf_node_get_key(const struct csf_node *map, const char *key)
{
	size_t i, klen;

	if (!map || map->kind != CSF_NODE_MAP)
		return NULL;
	klen = strlen(key);
	for (i = map->n; i-- > 0;) {
		struct csf_node *k = map->kids[2 * i];

		if (k->kind == CSF_NODE_SCALAR && k->len == klen && !memcmp(k->str, key, klen))
			return k;
	}
	return NULL;
}

struct csf_node *
csf_node_get(const struct csf_node *map, const char *key)
{
	size_t i, klen;

	if (!map || map->kind != CSF_NODE_MAP)
		return NULL;
	klen = strlen(key);
	for (i = map->n; i-- > 0;) {
		struct csf_node *k = map->kids[2 * i];

		if (k->kind == CSF_NODE_SCALAR && k->len == klen && !memcmp(k->str, key, klen))
			return map->kids[2 * i + 1];
	}
	return NULL;
}

struct csf_node *
csf_node_path(const struct csf_node *node, const char *path)
{
	char part[128];
	const char *p = path;
	const struct csf_node *cur = node;

	while (cur && *p) {
		size_t n = strcspn(p, ".[");

		if (n) {
			if (n >= sizeof(part))
				return NULL;
			memcpy(part, p, n);
			part[n] = '\0';
			cur = csf_node_get(cur, part);
			p += n;
		}
		if (*p == '[') {
			char *end;
			unsigned long i = strtoul(p + 1, &end, 10);

			if (*end != ']' || !cur || cur->kind != CSF_NODE_SEQ || i >= cur->n)
				return NULL;
			cur = cur->kids[i];
			p = end + 1;
		}
		if (*p == '.')
			p++;
	}
	return (struct csf_node *)(uintptr_t)cur;
}

bool
csf_node_is_null(const struct csf_node *n)
{
	return !n || (n->kind == CSF_NODE_SCALAR && n->type == CSF_SCALAR_NULL);
}

bool
csf_node_is_map(const struct csf_node *n)
{
	return n && n->kind == CSF_NODE_MAP;
}

bool
csf_node_is_seq(const struct csf_node *n)
{
	return n && n->kind == CSF_NODE_SEQ;
}

const char *
csf_node_str(const struct csf_node *n)
{
	return n && n->kind == CSF_NODE_SCALAR ? n->str : NULL;
}

const char *
csf_node_text(const struct csf_node *n)
{
	return n && n->kind == CSF_NODE_SCALAR && n->type == CSF_SCALAR_STR ? n->str : NULL;
}

bool
csf_node_int(const struct csf_node *n, long long *out)
{
	if (!n || n->kind != CSF_NODE_SCALAR || n->type != CSF_SCALAR_INT)
		return false;
	*out = n->ival;
	return true;
}

bool
csf_node_num(const struct csf_node *n, double *out)
{
	if (!n || n->kind != CSF_NODE_SCALAR ||
	    (n->type != CSF_SCALAR_INT && n->type != CSF_SCALAR_FLOAT))
		return false;
	*out = n->fval;
	return true;
}

bool
csf_node_bool(const struct csf_node *n, bool *out)
{
	if (!n || n->kind != CSF_NODE_SCALAR || n->type != CSF_SCALAR_BOOL)
		return false;
	*out = n->ival != 0;
	return true;
}

const char *
csf_node_type_name(const struct csf_node *n)
{
	if (!n)
		return "null";
	switch (n->kind) {
	case CSF_NODE_MAP: return "mapping";
	case CSF_NODE_SEQ: return "sequence";
	default: break;
	}
	switch (n->type) {
	case CSF_SCALAR_NULL: return "null";
	case CSF_SCALAR_BOOL: return "boolean";
	case CSF_SCALAR_INT: return "integer";
	case CSF_SCALAR_FLOAT: return "number";
	default: return "string";
	}
}

bool
csf_node_equal(const struct csf_node *a, const struct csf_node *b)
{
	size_t i, slots;

	if (a == b)
		return true;
	if (!a || !b)
		return csf_node_is_null(a) && csf_node_is_null(b);
	if (a->kind != b->kind || a->n != b->n)
		return false;
	if (a->kind == CSF_NODE_SCALAR)
		return a->type == b->type && a->len == b->len && !memcmp(a->str, b->str, a->len);
	slots = a->kind == CSF_NODE_MAP ? 2 * a->n : a->n;
	for (i = 0; i < slots; i++)
		if (!csf_node_equal(a->kids[i], b->kids[i]))
			return false;
	return true;
}
