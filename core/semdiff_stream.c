/* Semantic diff of YAML streams (core/semdiff.h): a stream split into its documents (verbatim
 * twins skipped), documents matched by kind/namespace/name, each pair diffed as trees. */
#include "core/semdiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/semdiff_int.h"
#include "core/xalloc.h"

/* ------------------------------------------------------------------------------------------
 * Streams
 */

static bool
is_marker_line(const char *p, const char *end, char c)
{
	if (end - p < 3 || p[0] != c || p[1] != c || p[2] != c)
		return false;
	return end - p == 3 || p[3] == ' ' || p[3] == '\t' || p[3] == '\n' || p[3] == '\r';
}

/* True when s[0..len) holds only blank lines, comments and directives. */
static bool
is_trivial(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *q = p;

		while (q < e && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q < e && *q != '#' && !(q == p && *q == '%'))
			return false;
		p = nl ? nl + 1 : end;
	}
	return true;
}

void
csf_yaml_stream_free(struct csf_yaml_stream *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->ndocs; i++)
		csf_yaml_doc_free(s->docs[i]);
	free(s->docs);
	free(s->first_line);
	free(s->name);
	free(s);
}

static enum csf_status
stream_add(struct csf_yaml_stream *s, const char *data, size_t len, unsigned line0,
	   const struct csf_yaml_limits *lim, struct csf_error *err)
{
	struct csf_yaml_doc *doc;
	enum csf_status st;
	size_t alloc = s->alloc;

	if (is_trivial(data, len))
		return CSF_E_OK;
	st = csf_yaml_load_mem(s->name, data, len, lim, &doc, err);
	if (st) {
		if (err && err->loc.line)
			err->loc.line += line0 - 1;
		return st;
	}
	if (!doc->root || csf_node_is_null(doc->root)) {
		csf_yaml_doc_free(doc);
		return CSF_E_OK;
	}
	CSF_GROW(s->docs, s->alloc, s->ndocs + 1);
	if (s->alloc != alloc || !s->first_line)
		s->first_line = csf_xrealloc_array(s->first_line, s->alloc, sizeof(*s->first_line));
	s->docs[s->ndocs] = doc;
	s->first_line[s->ndocs] = line0;
	s->ndocs++;
	return CSF_E_OK;
}

/* A document's text inside a stream. */
struct piece {
	const char *p;
	size_t len;
	unsigned line0;
	bool twin;		/* an identical document is on the other side */
};

/* Splits data at its document markers; trivial parts (comments, blanks) are left out. */
static void
split_pieces(const char *data, size_t len, struct piece **out, size_t *n)
{
	const char *p = data, *end = data + len, *start = data;
	unsigned line = 1, start_line = 1;
	size_t alloc = 0;

	*out = NULL;
	*n = 0;
	while (p <= end) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		const char *next = nl ? nl + 1 : end;
		bool dash = p < end && is_marker_line(p, nl ? nl : end, '-');
		bool dots = p < end && is_marker_line(p, nl ? nl : end, '.');

		if (dash || dots || p == end) {
			if (start < p && !is_trivial(start, (size_t)(p - start))) {
				CSF_GROW(*out, alloc, *n + 1);
				(*out)[*n].p = start;
				(*out)[*n].len = (size_t)(p - start);
				(*out)[*n].line0 = start_line;
				(*out)[*n].twin = false;
				(*n)++;
			}
			if (p == end)
				break;
			start = dash ? p : next;
			start_line = dash ? line : line + 1;
		}
		p = next;
		line++;
	}
}

static enum csf_status
load_pieces(const char *name, const struct piece *v, size_t n, bool skip_twins,
	    const struct csf_yaml_limits *lim, struct csf_yaml_stream **out, struct csf_error *err)
{
	struct csf_yaml_stream *s = csf_xcalloc(1, sizeof(*s));
	enum csf_status st = CSF_E_OK;
	size_t i;

	*out = NULL;
	s->name = csf_xstrdup(name ? name : "-");
	for (i = 0; i < n && !st; i++)
		if (!skip_twins || !v[i].twin)
			st = stream_add(s, v[i].p, v[i].len, v[i].line0, lim, err);
	if (st) {
		csf_yaml_stream_free(s);
		return st;
	}
	*out = s;
	return CSF_E_OK;
}

enum csf_status
csf_yaml_stream_load_mem(const char *name, const char *data, size_t len,
			 const struct csf_yaml_limits *lim, struct csf_yaml_stream **out,
			 struct csf_error *err)
{
	struct piece *v;
	size_t n;
	enum csf_status st;

	split_pieces(data, len, &v, &n);
	st = load_pieces(name, v, n, false, lim, out, err);
	free(v);
	return st;
}

/* ------------------------------------------------------------------------------------------
 * Streams: documents matched by kind/namespace/name
 */

static char *
doc_label(const struct csf_node *root)
{
	const char *kind = csf_node_text(csf_node_get(root, "kind"));
	const struct csf_node *md = csf_node_get(root, "metadata");
	const char *name = csf_node_str(csf_node_get(md, "name"));
	const char *ns = csf_node_str(csf_node_get(md, "namespace"));
	struct csf_buf b = CSF_BUF_INIT;

	if (!kind || !name)
		return NULL;
	csf_buf_addf(&b, "%s/", kind);
	if (ns)
		csf_buf_addf(&b, "%s/", ns);
	csf_buf_addstr(&b, name);
	return csf_buf_detach(&b, NULL);
}

static struct csf_semdiff_keyed *
stream_keys(const struct csf_yaml_stream *s, char **labels, size_t *nk)
{
	struct csf_semdiff_keyed *k = csf_xmalloc((s->ndocs + 1) * sizeof(*k));
	size_t i, n = 0;

	for (i = 0; i < s->ndocs; i++) {
		labels[i] = doc_label(s->docs[i]->root);
		if (labels[i]) {
			k[n].key = labels[i];
			k[n].idx = i;
			n++;
		}
	}
	qsort(k, n, sizeof(*k), csf_semdiff_cmp_keyed);
	*nk = n;
	return k;
}

static void
semdiff_streams(struct csf_semdiff *sd, const struct csf_yaml_stream *a,
		const struct csf_yaml_stream *b, bool multi)
{
	static const struct csf_yaml_stream none = { NULL, NULL, NULL, 0, 0 };
	size_t na, nb, nka, nkb, i, ua = 0, ub = 0, j;
	char **la, **lb;
	struct csf_semdiff_keyed *ka, *kb;
	char num[32];

	if (!a)
		a = &none;
	if (!b)
		b = &none;
	na = a->ndocs;
	nb = b->ndocs;
	if (!multi) {
		if (na || nb)
			csf_semdiff_nodes(sd, NULL, NULL, na ? a->docs[0]->root : NULL,
					  na ? a->first_line[0] : 1, nb ? b->docs[0]->root : NULL,
					  nb ? b->first_line[0] : 1);
		return;
	}
	la = csf_xcalloc(na + 1, sizeof(*la));
	lb = csf_xcalloc(nb + 1, sizeof(*lb));
	ka = stream_keys(a, la, &nka);
	kb = stream_keys(b, lb, &nkb);
	/* Documents of a, in order: matched by label, or by order among unlabelled ones. */
	for (i = 0; i < na; i++) {
		const struct csf_node *ra = a->docs[i]->root;

		if (la[i]) {
			const struct csf_semdiff_keyed *self = csf_semdiff_find_keyed(ka, nka, la[i]);
			const struct csf_semdiff_keyed *o = csf_semdiff_find_keyed(kb, nkb, la[i]);

			if (self->idx != i)
				continue;	/* a repeated label: the last document counts */
			csf_semdiff_nodes(sd, la[i], NULL, ra, a->first_line[i],
					  o ? b->docs[o->idx]->root : NULL,
					  o ? b->first_line[o->idx] : 1);
			continue;
		}
		ua++;
		for (j = 0, ub = 0; j < nb; j++)
			if (!lb[j] && ++ub == ua)
				break;
		snprintf(num, sizeof(num), "#%zu", (j < nb ? j : i) + 1);
		csf_semdiff_nodes(sd, num, NULL, ra, a->first_line[i], j < nb ? b->docs[j]->root : NULL,
				  j < nb ? b->first_line[j] : 1);
	}
	for (i = 0, ub = 0; i < nb; i++) {
		if (lb[i]) {
			if (csf_semdiff_find_keyed(kb, nkb, lb[i])->idx == i && !csf_semdiff_find_keyed(ka, nka, lb[i]))
				csf_semdiff_nodes(sd, lb[i], NULL, NULL, 1, b->docs[i]->root,
						  b->first_line[i]);
			continue;
		}
		if (++ub > ua) {
			snprintf(num, sizeof(num), "#%zu", i + 1);
			csf_semdiff_nodes(sd, num, NULL, NULL, 1, b->docs[i]->root, b->first_line[i]);
		}
	}
	for (i = 0; i < na; i++)
		free(la[i]);
	for (i = 0; i < nb; i++)
		free(lb[i]);
	free(la);
	free(lb);
	free(ka);
	free(kb);
}

void
csf_semdiff_streams(struct csf_semdiff *sd, const struct csf_yaml_stream *a,
		    const struct csf_yaml_stream *b)
{
	semdiff_streams(sd, a, b, (a && a->ndocs > 1) || (b && b->ndocs > 1));
}

/* The text that identifies a document for the identical-twin test: without a bare "---"
 * marker line, so a document that moved to the top of a file still has its twin. */
static void
piece_body(const struct piece *pc, const char **p, size_t *len)
{
	const char *nl = memchr(pc->p, '\n', pc->len);
	size_t i;

	*p = pc->p;
	*len = pc->len;
	if (!nl || pc->len < 3 || memcmp(pc->p, "---", 3))
		return;
	for (i = 3; pc->p + i < nl && (pc->p[i] == ' ' || pc->p[i] == '\t' || pc->p[i] == '\r');
	     i++)
		;
	if (pc->p + i != nl)
		return;		/* "--- !tag" or content on the marker line */
	*p = nl + 1;
	*len = pc->len - (size_t)(nl + 1 - pc->p);
}

static int
cmp_piece(const void *pa, const void *pb)
{
	const struct piece *a = *(const struct piece *const *)pa;
	const struct piece *b = *(const struct piece *const *)pb;
	const char *ta, *tb;
	size_t la, lb;
	int c;

	piece_body(a, &ta, &la);
	piece_body(b, &tb, &lb);
	c = memcmp(ta, tb, la < lb ? la : lb);
	if (c)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Marks documents that have a byte-identical twin on the other side (each twin used once):
 * they cannot hold a change, so they are not parsed. */
static void
mark_twins(struct piece *a, size_t na, struct piece *b, size_t nb)
{
	struct piece **sa = csf_xmalloc((na + 1) * sizeof(*sa));
	struct piece **sb = csf_xmalloc((nb + 1) * sizeof(*sb));
	size_t i = 0, j = 0;

	for (i = 0; i < na; i++)
		sa[i] = &a[i];
	for (j = 0; j < nb; j++)
		sb[j] = &b[j];
	qsort(sa, na, sizeof(*sa), cmp_piece);
	qsort(sb, nb, sizeof(*sb), cmp_piece);
	i = j = 0;
	while (i < na && j < nb) {
		const char *ta, *tb;
		size_t la, lb;
		int c;

		piece_body(sa[i], &ta, &la);
		piece_body(sb[j], &tb, &lb);
		c = memcmp(ta, tb, la < lb ? la : lb);
		if (!c && la != lb)
			c = la < lb ? -1 : 1;
		if (!c) {
			sa[i++]->twin = true;
			sb[j++]->twin = true;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	free(sa);
	free(sb);
}

enum csf_status
csf_semdiff_mem(const char *a_name, const char *a, size_t alen, const char *b_name, const char *b,
		size_t blen, struct csf_semdiff **out, struct csf_error *err)
{
	struct csf_yaml_stream *sa = NULL, *sb = NULL;
	struct piece *pa = NULL, *pb = NULL;
	size_t na = 0, nb = 0;
	enum csf_status st = CSF_E_OK;
	bool multi;

	*out = NULL;
	if (a)
		split_pieces(a, alen, &pa, &na);
	if (b)
		split_pieces(b, blen, &pb, &nb);
	multi = na > 1 || nb > 1;
	if (multi)
		mark_twins(pa, na, pb, nb);
	if (a)
		st = load_pieces(a_name, pa, na, multi, NULL, &sa, err);
	if (!st && b)
		st = load_pieces(b_name, pb, nb, multi, NULL, &sb, err);
	free(pa);
	free(pb);
	if (st) {
		csf_yaml_stream_free(sa);
		csf_yaml_stream_free(sb);
		return st;
	}
	*out = csf_semdiff_new();
	semdiff_streams(*out, sa, sb, multi);
	csf_yaml_stream_free(sa);
	csf_yaml_stream_free(sb);
	return CSF_E_OK;
}
