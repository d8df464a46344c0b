#include "core/semdiff.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/semdiff_int.h"
#include "core/xalloc.h"

#define TEXT_MAX 160		/* bytes of a one-line value before it is cut */
#define LCS_MAX_CELLS 4000000	/* scalar lists larger than this are matched by index */

/* ------------------------------------------------------------------------------------------
 * Values as text
 */

static void
json_node(struct csf_buf *b, const struct csf_node *n)
{
	size_t i;

	if (!n) {
		csf_buf_addstr(b, "null");
		return;
	}
	switch (n->kind) {
	case CSF_NODE_SCALAR:
		switch (n->type) {
		case CSF_SCALAR_NULL:
			csf_buf_addstr(b, "null");
			break;
		case CSF_SCALAR_BOOL:
			csf_buf_addstr(b, n->ival ? "true" : "false");
			break;
		case CSF_SCALAR_INT:
			csf_buf_addf(b, "%lld", n->ival);
			break;
		case CSF_SCALAR_FLOAT:
			if (isfinite(n->fval))
				csf_buf_addf(b, "%.17g", n->fval);
			else
				csf_buf_add_json_str(b, n->str);
			break;
		default:
			csf_buf_add_json_str(b, n->str);
		}
		break;
	case CSF_NODE_MAP:
		csf_buf_addch(b, '{');
		for (i = 0; i < n->n; i++) {
			const char *k = csf_node_str(n->kids[2 * i]);

			if (i)
				csf_buf_addch(b, ',');
			csf_buf_add_json_str(b, k ? k : "");
			csf_buf_addch(b, ':');
			json_node(b, n->kids[2 * i + 1]);
		}
		csf_buf_addch(b, '}');
		break;
	case CSF_NODE_SEQ:
		csf_buf_addch(b, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				csf_buf_addch(b, ',');
			json_node(b, n->kids[i]);
		}
		csf_buf_addch(b, ']');
		break;
	}
}

/* True when the string s would not read back as the same string in a flow context under the
 * YAML 1.2 core schema (the schema core/yaml_model resolves with). */
static bool
needs_quotes(const char *s)
{
	struct csf_node probe;
	size_t n = strlen(s);
	const char *p;

	if (!n || s[0] == ' ' || s[n - 1] == ' ' || strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) ||
	    strstr(s, ": ") || strstr(s, " #") || strpbrk(s, ",{}[]") || s[n - 1] == ':')
		return true;
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return true;
	memset(&probe, 0, sizeof(probe));
	probe.kind = CSF_NODE_SCALAR;
	probe.style = CSF_STYLE_PLAIN;
	probe.str = s;
	probe.len = n;
	csf_scalar_resolve(&probe);
	return probe.type != CSF_SCALAR_STR;
}

/* Flow-style one-line YAML: strings plain when they stay strings, else quoted. */
static void
flow_node(struct csf_buf *b, const struct csf_node *n, size_t limit)
{
	size_t i;

	if (b->len > limit)
		return;
	if (!n) {
		csf_buf_addstr(b, "null");
		return;
	}
	switch (n->kind) {
	case CSF_NODE_SCALAR:
		if (n->type == CSF_SCALAR_STR) {
			if (needs_quotes(n->str))
				csf_buf_add_json_str(b, n->str);
			else
				csf_buf_addstr(b, n->str);
		} else if (n->type == CSF_SCALAR_NULL) {
			csf_buf_addstr(b, "null");
		} else {
			csf_buf_addstr(b, n->str);
		}
		break;
	case CSF_NODE_MAP:
		csf_buf_addch(b, '{');
		for (i = 0; i < n->n && b->len <= limit; i++) {
			if (i)
				csf_buf_addstr(b, ", ");
			flow_node(b, n->kids[2 * i], limit);
			csf_buf_addstr(b, ": ");
			flow_node(b, n->kids[2 * i + 1], limit);
		}
		csf_buf_addch(b, '}');
		break;
	case CSF_NODE_SEQ:
		csf_buf_addch(b, '[');
		for (i = 0; i < n->n && b->len <= limit; i++) {
			if (i)
				csf_buf_addstr(b, ", ");
			flow_node(b, n->kids[i], limit);
		}
		csf_buf_addch(b, ']');
		break;
	}
}

static const char *
value_text(struct csf_semdiff *sd, const struct csf_node *n)
{
	struct csf_buf b = CSF_BUF_INIT;
	const char *s;

	flow_node(&b, n, TEXT_MAX);
	if (b.len > TEXT_MAX) {
		size_t cut = TEXT_MAX;

		while (cut > 0 && ((unsigned char)b.buf[cut] & 0xC0) == 0x80)
			cut--;
		csf_buf_setlen(&b, cut);
		csf_buf_addstr(&b, "…");
	}
	s = csf_arena_strndup(&sd->arena, b.buf, b.len);
	csf_buf_release(&b);
	return s;
}

static const char *
value_json(struct csf_semdiff *sd, const struct csf_node *n)
{
	struct csf_buf b = CSF_BUF_INIT;
	const char *s;

	json_node(&b, n);
	s = csf_arena_strndup(&sd->arena, b.buf, b.len);
	csf_buf_release(&b);
	return s;
}

/* ------------------------------------------------------------------------------------------
 * Changes
 */

const char *
csf_sem_kind_name(enum csf_sem_kind k)
{
	switch (k) {
	case CSF_SEM_ADDED: return "added";
	case CSF_SEM_REMOVED: return "removed";
	case CSF_SEM_CHANGED: return "changed";
	case CSF_SEM_TYPE_CHANGED: return "type-changed";
	case CSF_SEM_REORDERED: return "reordered";
	}
	return "changed";
}

struct csf_semdiff *
csf_semdiff_new(void)
{
	return csf_xcalloc(1, sizeof(struct csf_semdiff));
}

void
csf_semdiff_free(struct csf_semdiff *sd)
{
	if (!sd)
		return;
	csf_arena_release(&sd->arena);
	free(sd->changes);
	free(sd);
}

/* The walk: doc label, the path built so far, line offsets. */
struct walk {
	struct csf_semdiff *sd;
	const char *doc;
	struct csf_buf path;
	unsigned a_line0, b_line0;
};

static struct csf_sem_change *
add_change(struct walk *w, enum csf_sem_kind kind, const struct csf_node *a,
	   const struct csf_node *b)
{
	struct csf_semdiff *sd = w->sd;
	struct csf_sem_change *c;

	CSF_GROW(sd->changes, sd->alloc, sd->n + 1);
	c = &sd->changes[sd->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->doc = w->doc;
	c->path = csf_arena_strndup(&sd->arena, w->path.buf, w->path.len);
	if (a) {
		c->old_text = value_text(sd, a);
		c->old_json = value_json(sd, a);
		c->old_type = csf_node_type_name(a);
		c->old_line = a->loc.line ? a->loc.line + w->a_line0 - 1 : 0;
	}
	if (b) {
		c->new_text = value_text(sd, b);
		c->new_json = value_json(sd, b);
		c->new_type = csf_node_type_name(b);
		c->new_line = b->loc.line ? b->loc.line + w->b_line0 - 1 : 0;
	}
	return c;
}

static bool
plain_key(const char *k)
{
	const char *p;

	if (!*k)
		return false;
	for (p = k; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '/' || c == '$' || c == '@'))
			return false;
	}
	return true;
}

static void
path_push_key(struct walk *w, const char *k)
{
	if (plain_key(k)) {
		if (w->path.len)
			csf_buf_addch(&w->path, '.');
		csf_buf_addstr(&w->path, k);
	} else {
		csf_buf_addch(&w->path, '[');
		csf_buf_add_json_str(&w->path, k);
		csf_buf_addch(&w->path, ']');
	}
}

static void
path_push_item(struct walk *w, const char *field, const char *v)
{
	csf_buf_addf(&w->path, "[%s=", field);
	if (strpbrk(v, "]\"= \t\n") || !*v)
		csf_buf_add_json_str(&w->path, v);
	else
		csf_buf_addstr(&w->path, v);
	csf_buf_addch(&w->path, ']');
}

static void walk_node(struct walk *w, const struct csf_node *a, const struct csf_node *b);

int
csf_semdiff_cmp_keyed(const void *pa, const void *pb)
{
	const struct csf_semdiff_keyed *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

const struct csf_semdiff_keyed *
csf_semdiff_find_keyed(const struct csf_semdiff_keyed *k, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(k[mid].key, key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strcmp(k[lo - 1].key, key))
		return NULL;
	return &k[lo - 1];
}

static struct csf_semdiff_keyed *
map_keys(const struct csf_node *m)
{
	struct csf_semdiff_keyed *k = csf_xmalloc((m->n + 1) * sizeof(*k));
	size_t i;

	for (i = 0; i < m->n; i++) {
		const char *s = csf_node_str(m->kids[2 * i]);

		k[i].key = s ? s : "";
		k[i].idx = i;
	}
	qsort(k, m->n, sizeof(*k), csf_semdiff_cmp_keyed);
	return k;
}

static void
walk_map(struct walk *w, const struct csf_node *a, const struct csf_node *b)
{
	struct csf_semdiff_keyed *ka = map_keys(a), *kb = map_keys(b);
	size_t i, mark = w->path.len;

	for (i = 0; i < a->n; i++) {
		const char *k = csf_node_str(a->kids[2 * i]);
		const struct csf_semdiff_keyed *self, *other;

		k = k ? k : "";
		self = csf_semdiff_find_keyed(ka, a->n, k);
		if (self->idx != i)
			continue;	/* an earlier duplicate: the last one counts */
		other = csf_semdiff_find_keyed(kb, b->n, k);
		path_push_key(w, k);
		if (other)
			walk_node(w, a->kids[2 * i + 1], b->kids[2 * other->idx + 1]);
		else
			add_change(w, CSF_SEM_REMOVED, a->kids[2 * i + 1], NULL);
		csf_buf_setlen(&w->path, mark);
	}
	for (i = 0; i < b->n; i++) {
		const char *k = csf_node_str(b->kids[2 * i]);

		k = k ? k : "";
		if (csf_semdiff_find_keyed(kb, b->n, k)->idx != i || csf_semdiff_find_keyed(ka, a->n, k))
			continue;
		path_push_key(w, k);
		add_change(w, CSF_SEM_ADDED, NULL, b->kids[2 * i + 1]);
		csf_buf_setlen(&w->path, mark);
	}
	free(ka);
	free(kb);
}

/* The identity of a list item under field, or NULL. */
static const char *
item_key(const struct csf_node *item, const char *field)
{
	const struct csf_node *v;

	if (!csf_node_is_map(item))
		return NULL;
	v = csf_node_get(item, field);
	if (!v || v->kind != CSF_NODE_SCALAR || v->type == CSF_SCALAR_NULL)
		return NULL;
	return v->str;
}

/* Builds sorted keys of seq under field; NULL when an item lacks it or keys repeat. */
static struct csf_semdiff_keyed *
seq_keys(const struct csf_node *s, const char *field)
{
	struct csf_semdiff_keyed *k = csf_xmalloc((s->n + 1) * sizeof(*k));
	size_t i;

	for (i = 0; i < s->n; i++) {
		k[i].key = item_key(s->kids[i], field);
		k[i].idx = i;
		if (!k[i].key) {
			free(k);
			return NULL;
		}
	}
	qsort(k, s->n, sizeof(*k), csf_semdiff_cmp_keyed);
	for (i = 1; i < s->n; i++)
		if (!strcmp(k[i - 1].key, k[i].key)) {
			free(k);
			return NULL;
		}
	return k;
}

static void
walk_keyed_seq(struct walk *w, const char *field, const struct csf_node *a, const struct csf_semdiff_keyed *ka,
	       const struct csf_node *b, const struct csf_semdiff_keyed *kb)
{
	size_t i, mark = w->path.len, last = 0;
	bool reordered = false, first = true;

	for (i = 0; i < a->n; i++) {
		const char *k = item_key(a->kids[i], field);
		const struct csf_semdiff_keyed *o = csf_semdiff_find_keyed(kb, b->n, k);

		path_push_item(w, field, k);
		if (o) {
			if (!first && o->idx < last)
				reordered = true;
			last = o->idx;
			first = false;
			walk_node(w, a->kids[i], b->kids[o->idx]);
		} else {
			add_change(w, CSF_SEM_REMOVED, a->kids[i], NULL);
		}
		csf_buf_setlen(&w->path, mark);
	}
	for (i = 0; i < b->n; i++) {
		const char *k = item_key(b->kids[i], field);

		if (csf_semdiff_find_keyed(ka, a->n, k))
			continue;
		path_push_item(w, field, k);
		add_change(w, CSF_SEM_ADDED, NULL, b->kids[i]);
		csf_buf_setlen(&w->path, mark);
	}
	if (reordered) {
		/* Values: the common keys in each side's order. */
		struct csf_sem_change *c = add_change(w, CSF_SEM_REORDERED, NULL, NULL);
		struct csf_buf o = CSF_BUF_INIT, n = CSF_BUF_INIT;

		for (i = 0; i < a->n; i++) {
			const char *k = item_key(a->kids[i], field);

			if (!csf_semdiff_find_keyed(kb, b->n, k))
				continue;
			csf_buf_addstr(&o, o.len ? ", " : "[");
			csf_buf_addstr(&o, k);
		}
		for (i = 0; i < b->n; i++) {
			const char *k = item_key(b->kids[i], field);

			if (!csf_semdiff_find_keyed(ka, a->n, k))
				continue;
			csf_buf_addstr(&n, n.len ? ", " : "[");
			csf_buf_addstr(&n, k);
		}
		csf_buf_addch(&o, ']');
		csf_buf_addch(&n, ']');
		c->old_text = csf_arena_strndup(&w->sd->arena, o.buf, o.len);
		c->new_text = csf_arena_strndup(&w->sd->arena, n.buf, n.len);
		c->old_type = c->new_type = "sequence";
		c->old_line = a->loc.line + w->a_line0 - 1;
		c->new_line = b->loc.line + w->b_line0 - 1;
		csf_buf_release(&o);
		csf_buf_release(&n);
	}
}

static bool
all_scalars(const struct csf_node *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->kids[i]->kind != CSF_NODE_SCALAR)
			return false;
	return true;
}

static void
walk_index_pair(struct walk *w, size_t ai, const struct csf_node *a, size_t bi,
		const struct csf_node *b)
{
	size_t mark = w->path.len;

	csf_buf_addf(&w->path, "[%zu]", b ? bi : ai);
	if (a && b)
		walk_node(w, a, b);
	else
		add_change(w, a ? CSF_SEM_REMOVED : CSF_SEM_ADDED, a, b);
	csf_buf_setlen(&w->path, mark);
}

/* Scalar lists: longest common subsequence; a removed run beside an added run of the same
 * length at the same place is reported as changes of those items. */
static void
walk_scalar_seq(struct walk *w, const struct csf_node *a, const struct csf_node *b)
{
	size_t n = a->n, m = b->n, i, j, wd = m + 1;
	uint32_t *dp;

	dp = csf_xcalloc((n + 1) * wd, sizeof(*dp));
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			dp[i * wd + j] = csf_node_equal(a->kids[i], b->kids[j])
						 ? dp[(i + 1) * wd + j + 1] + 1
					 : dp[(i + 1) * wd + j] > dp[i * wd + j + 1]
						 ? dp[(i + 1) * wd + j]
						 : dp[i * wd + j + 1];
	i = j = 0;
	while (i < n || j < m) {
		size_t ds = i, as = j, k;

		if (i < n && j < m && csf_node_equal(a->kids[i], b->kids[j])) {
			i++;
			j++;
			continue;
		}
		/* A run of differences up to the next common item. */
		while (i < n || j < m) {
			if (i < n && j < m && csf_node_equal(a->kids[i], b->kids[j]))
				break;
			if (i < n && (j >= m || dp[(i + 1) * wd + j] >= dp[i * wd + j + 1]))
				i++;
			else
				j++;
		}
		if (i - ds == j - as) {
			for (k = 0; k < i - ds; k++)
				walk_index_pair(w, ds + k, a->kids[ds + k], as + k, b->kids[as + k]);
		} else {
			for (k = ds; k < i; k++)
				walk_index_pair(w, k, a->kids[k], 0, NULL);
			for (k = as; k < j; k++)
				walk_index_pair(w, 0, NULL, k, b->kids[k]);
		}
	}
	free(dp);
}

static void
walk_seq(struct walk *w, const struct csf_node *a, const struct csf_node *b)
{
	static const char *const fields[] = { "name", "id", "key" };
	size_t f, i;

	if (a->n && b->n) {
		for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			struct csf_semdiff_keyed *ka = seq_keys(a, fields[f]), *kb;

			if (!ka)
				continue;
			kb = seq_keys(b, fields[f]);
			if (kb) {
				walk_keyed_seq(w, fields[f], a, ka, b, kb);
				free(ka);
				free(kb);
				return;
			}
			free(ka);
		}
	}
	if (all_scalars(a) && all_scalars(b) && (a->n + 1) * (b->n + 1) <= LCS_MAX_CELLS) {
		walk_scalar_seq(w, a, b);
		return;
	}
	for (i = 0; i < a->n || i < b->n; i++)
		walk_index_pair(w, i, i < a->n ? a->kids[i] : NULL, i, i < b->n ? b->kids[i] : NULL);
}

static void
walk_node(struct walk *w, const struct csf_node *a, const struct csf_node *b)
{
	if (a == b)
		return;
	if (!a || !b) {
		add_change(w, a ? CSF_SEM_REMOVED : CSF_SEM_ADDED, a, b);
		return;
	}
	if (a->kind != b->kind) {
		add_change(w, CSF_SEM_TYPE_CHANGED, a, b);
		return;
	}
	switch (a->kind) {
	case CSF_NODE_SCALAR:
		if (a->type != b->type)
			add_change(w, CSF_SEM_TYPE_CHANGED, a, b);
		else if (!csf_node_equal(a, b))
			add_change(w, CSF_SEM_CHANGED, a, b);
		break;
	case CSF_NODE_MAP:
		walk_map(w, a, b);
		break;
	case CSF_NODE_SEQ:
		walk_seq(w, a, b);
		break;
	}
}

void
csf_semdiff_nodes(struct csf_semdiff *sd, const char *doc, const char *prefix,
		  const struct csf_node *a, unsigned a_line0, const struct csf_node *b,
		  unsigned b_line0)
{
	struct walk w;

	w.sd = sd;
	w.doc = doc ? csf_arena_strdup(&sd->arena, doc) : NULL;
	w.a_line0 = a_line0 ? a_line0 : 1;
	w.b_line0 = b_line0 ? b_line0 : 1;
	csf_buf_init(&w.path, 64);
	if (prefix)
		csf_buf_addstr(&w.path, prefix);
	walk_node(&w, a, b);
	csf_buf_release(&w.path);
}

/* ------------------------------------------------------------------------------------------
 * Rendering
 */

static void
add_safe(struct csf_buf *out, const char *s)
{
	csf_sanitize_buf(out, s, strlen(s), 0);
}

void
csf_semdiff_render_text(struct csf_buf *out, const struct csf_semdiff *sd)
{
	const char *doc = NULL;
	size_t i;

	for (i = 0; i < sd->n; i++) {
		const struct csf_sem_change *c = &sd->changes[i];
		const char *ind = c->doc ? "  " : "";

		if (c->doc && (!doc || strcmp(doc, c->doc))) {
			csf_buf_addstr(out, "@ ");
			add_safe(out, c->doc);
			csf_buf_addch(out, '\n');
		}
		doc = c->doc;
		csf_buf_addstr(out, ind);
		switch (c->kind) {
		case CSF_SEM_ADDED:
			csf_buf_addstr(out, "+ ");
			break;
		case CSF_SEM_REMOVED:
			csf_buf_addstr(out, "- ");
			break;
		case CSF_SEM_CHANGED:
			csf_buf_addstr(out, "~ ");
			break;
		case CSF_SEM_TYPE_CHANGED:
			csf_buf_addstr(out, "! ");
			break;
		case CSF_SEM_REORDERED:
			csf_buf_addstr(out, "↕ ");
			break;
		}
		if (*c->path)
			add_safe(out, c->path);
		else
			csf_buf_addstr(out, c->kind == CSF_SEM_ADDED     ? "(document added)"
					    : c->kind == CSF_SEM_REMOVED ? "(document removed)"
									 : "(document)");
		csf_buf_addstr(out, ": ");
		switch (c->kind) {
		case CSF_SEM_ADDED:
			add_safe(out, c->new_text);
			break;
		case CSF_SEM_REMOVED:
			add_safe(out, c->old_text);
			break;
		case CSF_SEM_TYPE_CHANGED:
			csf_buf_addf(out, "%s → %s: ", c->old_type, c->new_type);
			/* fall through */
		case CSF_SEM_CHANGED:
			add_safe(out, c->old_text);
			csf_buf_addstr(out, " → ");
			add_safe(out, c->new_text);
			break;
		case CSF_SEM_REORDERED:
			csf_buf_addstr(out, "order ");
			add_safe(out, c->old_text);
			csf_buf_addstr(out, " → ");
			add_safe(out, c->new_text);
			break;
		}
		csf_buf_addch(out, '\n');
	}
}

void
csf_semdiff_render_json(struct csf_buf *out, const struct csf_semdiff *sd)
{
	size_t i;

	csf_buf_addch(out, '[');
	for (i = 0; i < sd->n; i++) {
		const struct csf_sem_change *c = &sd->changes[i];

		csf_buf_addstr(out, i ? ",\n {" : "\n {");
		csf_buf_addstr(out, "\"kind\":");
		csf_buf_add_json_str(out, csf_sem_kind_name(c->kind));
		if (c->doc) {
			csf_buf_addstr(out, ",\"doc\":");
			csf_buf_add_json_str(out, c->doc);
		}
		csf_buf_addstr(out, ",\"path\":");
		csf_buf_add_json_str(out, c->path);
		if (c->kind == CSF_SEM_REORDERED) {
			csf_buf_addstr(out, ",\"old\":");
			csf_buf_add_json_str(out, c->old_text);
			csf_buf_addstr(out, ",\"new\":");
			csf_buf_add_json_str(out, c->new_text);
		} else {
			if (c->old_json)
				csf_buf_addf(out, ",\"old\":%s", c->old_json);
			if (c->new_json)
				csf_buf_addf(out, ",\"new\":%s", c->new_json);
		}
		if (c->old_type) {
			csf_buf_addstr(out, ",\"oldType\":");
			csf_buf_add_json_str(out, c->old_type);
		}
		if (c->new_type) {
			csf_buf_addstr(out, ",\"newType\":");
			csf_buf_add_json_str(out, c->new_type);
		}
		if (c->old_line)
			csf_buf_addf(out, ",\"oldLine\":%u", c->old_line);
		if (c->new_line)
			csf_buf_addf(out, ",\"newLine\":%u", c->new_line);
		csf_buf_addch(out, '}');
	}
	csf_buf_addstr(out, sd->n ? "\n]" : "]");
}
