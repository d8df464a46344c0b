/* Fixes as text edits at parsed positions (DESIGN §3). A fix only inserts lines into block
 * mappings or text at the end of a scalar, so comments and layout stay as they were. The
 * indentation of inserted lines follows the block they go into; a new block is indented by the
 * file's own indentation unit (detected, default 2). Applying a fix removes the finding, so a
 * second --fix finds nothing to do. */
#include "core/lint_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"

void
csf_fix_free(struct csf_fix *fix)
{
	size_t i;

	if (!fix)
		return;
	for (i = 0; i < fix->nedits; i++)
		free(fix->edits[i].text);
	free(fix->edits);
	free(fix->title);
	free(fix);
}

static struct csf_fix *
fix_new(const char *title, size_t off, char *text)
{
	struct csf_fix *f = csf_xcalloc(1, sizeof(*f));

	f->title = csf_xstrdup(title);
	f->edits = csf_xcalloc(1, sizeof(*f->edits));
	f->edits[0].off = off;
	f->edits[0].del = 0;
	f->edits[0].text = text;
	f->nedits = 1;
	return f;
}

/* ------------------------------------------------------------------------------------------
 * Layout helpers
 */

static const char *
newline_of(const struct csf_yaml_doc *doc)
{
	const char *nl = memchr(doc->text.buf, '\n', doc->text.len);

	return nl && nl > doc->text.buf && nl[-1] == '\r' ? "\r\n" : "\n";
}

/* The file's indentation unit: the indent of the first nested block key. */
static unsigned
indent_unit(const struct csf_node *root)
{
	size_t i;

	for (i = 0; csf_node_is_map(root) && i < root->n; i++) {
		const struct csf_node *k = root->kids[2 * i], *v = root->kids[2 * i + 1];

		if (v->kind == CSF_NODE_MAP && v->style != CSF_STYLE_FLOW && v->n &&
		    v->kids[0]->loc.col > k->loc.col)
			return v->kids[0]->loc.col - k->loc.col;
	}
	return 2;
}

static const struct csf_node *
last_leaf(const struct csf_node *n)
{
	while (n && n->kind != CSF_NODE_SCALAR && n->style != CSF_STYLE_FLOW && n->n)
		n = n->kids[n->kind == CSF_NODE_MAP ? 2 * n->n - 1 : n->n - 1];
	return n;
}

/* Offset just after the line on which node's last piece of text ends; *need_nl when the file
 * ends there without a newline. */
static size_t
after_line(const struct csf_yaml_doc *doc, const struct csf_node *n, bool *need_nl)
{
	const struct csf_node *leaf = last_leaf(n);
	size_t off = leaf ? leaf->end_off : n->end_off;
	const char *s = doc->text.buf;

	*need_nl = false;
	if (off > doc->text.len)
		off = doc->text.len;
	if (off > 0 && s[off - 1] == '\n')
		return off;
	while (off < doc->text.len && s[off] != '\n')
		off++;
	if (off < doc->text.len)
		return off + 1;
	*need_nl = true;
	return off;
}

/* A block mapping we can append to (not flow style, not empty). */
static bool
block_map(const struct csf_node *n)
{
	return csf_node_is_map(n) && n->style != CSF_STYLE_FLOW && n->n > 0;
}

static bool
is_nullish(const struct csf_node *n)
{
	return n && n->kind == CSF_NODE_SCALAR && n->type == CSF_SCALAR_NULL &&
	       n->style == CSF_STYLE_PLAIN && n->len == 0;
}

/* Inserts `lines` (already indented, one per entry) at the end of block map `map`, whose keys
 * sit at column map->kids[0]->loc.col. */
static struct csf_fix *
append_lines(const struct csf_yaml_doc *doc, const struct csf_node *map, unsigned extra_indent,
	     const char *const *lines, size_t n, const char *title)
{
	struct csf_buf b = CSF_BUF_INIT;
	const char *nl = newline_of(doc);
	unsigned indent = map->kids[0]->loc.col - 1 + extra_indent;
	bool need_nl;
	size_t off = after_line(doc, map, &need_nl), i;

	if (need_nl)
		csf_buf_addstr(&b, nl);
	for (i = 0; i < n; i++) {
		csf_buf_addchars(&b, ' ', indent);
		csf_buf_addstr(&b, lines[i]);
		csf_buf_addstr(&b, nl);
	}
	return fix_new(title, off, csf_buf_detach(&b, NULL));
}

/* Builds lines of a nested block: entries "0key:" at depth 0, "1key: v" at depth 1 … */
static char *
block_text(const char *const *lines, size_t n, unsigned base, unsigned unit, const char *nl,
	   bool lead_nl)
{
	struct csf_buf b = CSF_BUF_INIT;
	size_t i;

	if (lead_nl)
		csf_buf_addstr(&b, nl);
	for (i = 0; i < n; i++) {
		csf_buf_addchars(&b, ' ', base + (unsigned)(lines[i][0] - '0') * unit);
		csf_buf_addstr(&b, lines[i] + 1);
		csf_buf_addstr(&b, nl);
	}
	return csf_buf_detach(&b, NULL);
}

/* Inserts a nested block (lines as for block_text) at the end of block map `parent`. */
static struct csf_fix *
append_block(const struct csf_yaml_doc *doc, const struct csf_node *parent,
	     const char *const *lines, size_t n, unsigned unit, const char *title)
{
	bool need_nl;
	size_t off = after_line(doc, parent, &need_nl);

	return fix_new(title, off, block_text(lines, n, parent->kids[0]->loc.col - 1, unit,
					      newline_of(doc), need_nl));
}

/* Fills an empty `key:` (null value) with a nested block under it. */
static struct csf_fix *
fill_null(const struct csf_yaml_doc *doc, const struct csf_node *key, const char *const *lines,
	  size_t n, unsigned unit, const char *title)
{
	bool need_nl;
	size_t off = after_line(doc, key, &need_nl);

	return fix_new(title, off, block_text(lines, n, key->loc.col - 1 + unit, unit,
					      newline_of(doc), need_nl));
}

/* ------------------------------------------------------------------------------------------
 * The fixes
 */

struct csf_fix *
csf_fix_missing_probes(const struct csf_yaml_doc *doc, const struct csf_node *root)
{
	static const char *const title = "add liveness and readiness probes";
	const struct csf_node *res = csf_node_get(root, "resilience");
	const struct csf_node *probes = csf_node_get(res, "probes");
	bool lv = csf_node_get(probes, "liveness") != NULL;
	bool rd = csf_node_get(probes, "readiness") != NULL;
	unsigned unit = indent_unit(root);
	const char *lines[4];
	size_t n = 0;

	if (!doc || !block_map(root) || (lv && rd))
		return NULL;
	if (block_map(probes)) {
		if (!lv)
			lines[n++] = "liveness: /healthz";
		if (!rd)
			lines[n++] = "readiness: /ready";
		return append_lines(doc, probes, 0, lines, n, title);
	}
	if (probes && !is_nullish(probes))
		return NULL;
	if (is_nullish(probes)) {
		lines[n++] = "0liveness: /healthz";
		lines[n++] = "0readiness: /ready";
		return fill_null(doc, csf_node_get_key(res, "probes"), lines, n, unit, title);
	}
	if (block_map(res)) {
		lines[n++] = "0probes:";
		lines[n++] = "1liveness: /healthz";
		lines[n++] = "1readiness: /ready";
		return append_block(doc, res, lines, n, unit, title);
	}
	if (res && !is_nullish(res))
		return NULL;
	if (is_nullish(res)) {
		lines[n++] = "0probes:";
		lines[n++] = "1liveness: /healthz";
		lines[n++] = "1readiness: /ready";
		return fill_null(doc, csf_node_get_key(root, "resilience"), lines, n, unit, title);
	}
	lines[n++] = "0resilience:";
	lines[n++] = "1probes:";
	lines[n++] = "2liveness: /healthz";
	lines[n++] = "2readiness: /ready";
	return append_block(doc, root, lines, n, unit, title);
}

struct csf_fix *
csf_fix_resources(const struct csf_yaml_doc *doc, const struct csf_node *root)
{
	static const char *const title = "add CPU and memory requests and limits";
	static const char *const keys[4][2] = {
		{ "cpuRequest", "100m" }, { "memoryRequest", "128Mi" },
		{ "cpuLimit", "500m" }, { "memoryLimit", "256Mi" },
	};
	const struct csf_node *cost = csf_node_get(root, "cost");
	unsigned unit = indent_unit(root);
	char buf[4][48];
	const char *lines[5];
	size_t n = 0, i;
	bool flat;

	if (!doc || !block_map(root))
		return NULL;
	if (cost && !block_map(cost) && !is_nullish(cost))
		return NULL;
	flat = block_map(cost);
	if (!cost)
		lines[n++] = "0cost:";
	for (i = 0; i < 4; i++) {
		if (csf_node_get(cost, keys[i][0]))
			continue;
		snprintf(buf[i], sizeof(buf[i]), "%s%s: %s", flat ? "" : cost ? "0" : "1",
			 keys[i][0], keys[i][1]);
		lines[n++] = buf[i];
	}
	if (flat)
		return n ? append_lines(doc, cost, 0, lines, n, title) : NULL;
	if (cost)
		return fill_null(doc, csf_node_get_key(root, "cost"), lines, n, unit, title);
	return append_block(doc, root, lines, n, unit, title);
}

struct csf_fix *
csf_fix_event_version(const struct csf_yaml_doc *doc, const struct csf_node *item)
{
	size_t off;

	if (!doc || !item || item->kind != CSF_NODE_SCALAR || !item->len ||
	    item->end_off > doc->text.len || item->end_off == 0 || item->loc.line != item->end.line)
		return NULL;
	off = item->end_off;
	switch (item->style) {
	case CSF_STYLE_PLAIN:
		if (doc->text.buf[off - 1] != item->str[item->len - 1])
			return NULL;
		break;
	case CSF_STYLE_SINGLE:
	case CSF_STYLE_DOUBLE:
		if (doc->text.buf[off - 1] != (item->style == CSF_STYLE_SINGLE ? '\'' : '"'))
			return NULL;
		off--;
		break;
	default:
		return NULL;
	}
	return fix_new("append .v1 to the event name", off, csf_xstrdup(".v1"));
}

/* ------------------------------------------------------------------------------------------
 * Applying
 */

struct edit_ref {
	const struct csf_edit *e;
	size_t order;
};

/* Leading spaces of an inserted text (after an optional newline): at one offset, text that
 * continues a deeper block goes before text that starts a shallower one. */
static size_t
lead_indent(const char *t)
{
	size_t n = 0;

	while (*t == '\r' || *t == '\n')
		t++;
	while (t[n] == ' ')
		n++;
	return n;
}

static int
cmp_edit(const void *pa, const void *pb)
{
	const struct edit_ref *a = pa, *b = pb;
	size_t ia, ib;

	if (a->e->off != b->e->off)
		return a->e->off < b->e->off ? -1 : 1;
	ia = lead_indent(a->e->text);
	ib = lead_indent(b->e->text);
	if (ia != ib)
		return ia > ib ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

void
csf_fix_apply(const char *text, size_t len, const struct csf_fix *const *fixes, size_t n,
	      struct csf_buf *out, size_t *skipped)
{
	struct edit_ref *refs = NULL;
	size_t nref = 0, alloc = 0, i, j, pos = 0;
	bool nl_done = false;		/* an insertion at pos already ended the last line */

	if (skipped)
		*skipped = 0;
	for (i = 0; i < n; i++)
		for (j = 0; fixes[i] && j < fixes[i]->nedits; j++) {
			CSF_GROW(refs, alloc, nref + 1);
			refs[nref].e = &fixes[i]->edits[j];
			refs[nref].order = nref;
			nref++;
		}
	if (nref)
		qsort(refs, nref, sizeof(*refs), cmp_edit);
	for (i = 0; i < nref; i++) {
		const struct csf_edit *e = refs[i].e;
		const char *t = e->text;

		if (e->off < pos || e->off > len || e->del > len - e->off ||
		    (e->off == pos && e->del && i && refs[i - 1].e->off + refs[i - 1].e->del > e->off)) {
			if (skipped)
				(*skipped)++;
			continue;
		}
		if (e->off > pos)
			nl_done = false;
		csf_buf_add(out, text + pos, e->off - pos);
		/* Two insertions at the end of a file without a final newline both start with one. */
		if (nl_done && !e->del && (*t == '\n' || (t[0] == '\r' && t[1] == '\n')))
			t += *t == '\r' ? 2 : 1;
		csf_buf_addstr(out, t);
		nl_done = !e->del && out->len && out->buf[out->len - 1] == '\n';
		pos = e->off + e->del;
	}
	if (pos < len)
		csf_buf_add(out, text + pos, len - pos);
	free(refs);
}
