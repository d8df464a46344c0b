#include "core/artdiff.h"

#include <stdlib.h>
#include <string.h>

#include "core/render.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

#define SUMMARY_GROUP_MAX 3	/* more distinct changes of one field collapse into a count */

const char *
csf_art_status_name(enum csf_art_status s)
{
	switch (s) {
	case CSF_ART_SAME: return "same";
	case CSF_ART_ADDED: return "added";
	case CSF_ART_REMOVED: return "removed";
	case CSF_ART_CHANGED: return "changed";
	}
	return "changed";
}

void
csf_artdiff_free(struct csf_artdiff *ad)
{
	size_t i;

	if (!ad)
		return;
	for (i = 0; i < ad->nfiles; i++) {
		csf_diff_free(ad->files[i].diff);
		csf_semdiff_free(ad->files[i].sem);
	}
	free(ad->files);
	free(ad->summary);
	csf_arena_release(&ad->arena);
	free(ad);
}

bool
csf_artdiff_same(const struct csf_artdiff *ad)
{
	return !ad->nadded && !ad->nremoved && !ad->nchanged;
}

/* ------------------------------------------------------------------------------------------
 * Summary
 */

struct sline {
	const char *leaf;
	const char *text;
	bool collapsible;	/* a value change: many of one field collapse into a count */
	int rank;		/* 0 values, 1 files and documents, 2 hashes and counts: the order
				 * of the summary */
};

struct summary {
	struct sline *v;
	size_t n, alloc;
};

/* The last field name of a path: "…containers[name=b].image" → "image",
 * "labels[\"app.kubernetes.io/version\"]" → "app.kubernetes.io/version", "args[1]" → "args[1]". */
static const char *
leaf_of(struct csf_arena *ar, const char *path)
{
	size_t len = strlen(path);
	const char *open, *dot;

	if (len && path[len - 1] == ']') {
		open = strrchr(path, '[');
		if (open && open[1] == '"' && len - (size_t)(open - path) >= 4)
			return csf_arena_strndup(ar, open + 2, len - (size_t)(open - path) - 4);
		if (open) {
			const char *start = open;

			while (start > path && start[-1] != '.' && start[-1] != ']')
				start--;
			return csf_arena_strdup(ar, start);
		}
	}
	dot = strrchr(path, '.');
	return csf_arena_strdup(ar, dot ? dot + 1 : path);
}

static void
summary_add(struct csf_artdiff *ad, struct summary *s, const char *leaf, bool collapsible,
	    int rank, struct csf_buf *line)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].text, line->buf))
			return;
	CSF_GROW(s->v, s->alloc, s->n + 1);
	s->v[s->n].leaf = leaf;
	s->v[s->n].text = csf_arena_strndup(&ad->arena, line->buf, line->len);
	s->v[s->n].collapsible = collapsible;
	s->v[s->n].rank = rank;
	s->n++;
}

/* "booking:1.2.3" → "1.2.3" when both images name the same repository. */
static void
image_tags(const char **o, const char **n)
{
	const char *co = strrchr(*o, ':'), *cn = strrchr(*n, ':');

	if (!co || !cn || strchr(co, '/') || strchr(cn, '/') || co - *o != cn - *n ||
	    memcmp(*o, *n, (size_t)(co - *o)))
		return;
	*o = co + 1;
	*n = cn + 1;
}

/* "\"1.2\"" → "1.2": both sides are strings, so the quotes only add noise. */
static const char *
unquote(struct csf_arena *ar, const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || s[0] != '"' || s[n - 1] != '"' || memchr(s + 1, '\\', n - 2) ||
	    memchr(s + 1, '"', n - 2))
		return s;
	return csf_arena_strndup(ar, s + 1, n - 2);
}

/* A hash (32 or more hex digits, as sha256 and blueprint hashes are): its value says
 * nothing to a reader. */
static bool
is_digest(const char *s)
{
	size_t n = strspn(s, "0123456789abcdefABCDEF");

	return n >= 32 && !s[n];
}

static void
summarize_change(struct csf_artdiff *ad, struct summary *s, const struct csf_sem_change *c)
{
	struct csf_buf line = CSF_BUF_INIT;
	const char *leaf, *o = c->old_text, *n = c->new_text;
	int rank = 0;

	if (!*c->path) {
		csf_buf_addf(&line, "%s %s", c->kind == CSF_SEM_ADDED ? "added" : "removed",
			     c->doc ? c->doc : "document");
		summary_add(ad, s, "", false, 1, &line);
		csf_buf_release(&line);
		return;
	}
	leaf = leaf_of(&ad->arena, c->path);
	switch (c->kind) {
	case CSF_SEM_CHANGED:
	case CSF_SEM_TYPE_CHANGED:
		if (c->kind == CSF_SEM_CHANGED) {
			o = unquote(&ad->arena, o);
			n = unquote(&ad->arena, n);
		}
		if (!strcmp(leaf, "image"))
			image_tags(&o, &n);
		if (is_digest(o) && is_digest(n)) {
			csf_buf_addf(&line, "%s changed", leaf);
			rank = 2;
		} else
			csf_buf_addf(&line, "%s %s → %s", leaf, o, n);
		if (c->kind == CSF_SEM_TYPE_CHANGED)
			csf_buf_addf(&line, " (%s → %s)", c->old_type, c->new_type);
		break;
	case CSF_SEM_ADDED:
		csf_buf_addf(&line, "%s added: %s", leaf, n);
		break;
	case CSF_SEM_REMOVED:
		csf_buf_addf(&line, "%s removed", leaf);
		break;
	case CSF_SEM_REORDERED:
		csf_buf_addf(&line, "%s reordered", leaf);
		break;
	}
	summary_add(ad, s, leaf, c->kind == CSF_SEM_CHANGED, rank, &line);
	csf_buf_release(&line);
}

static void
build_summary(struct csf_artdiff *ad)
{
	struct summary s = { NULL, 0, 0 };
	const char **out;
	int *rank, r;
	size_t i, j, k = 0;

	for (i = 0; i < ad->nfiles; i++) {
		const struct csf_artdiff_file *f = &ad->files[i];
		struct csf_buf line = CSF_BUF_INIT;

		if (f->status == CSF_ART_ADDED || f->status == CSF_ART_REMOVED) {
			csf_buf_addf(&line, "%s file %s", csf_art_status_name(f->status), f->path);
			summary_add(ad, &s, "", false, 1, &line);
			csf_buf_release(&line);
			continue;
		}
		if (!f->sem)
			continue;
		for (j = 0; j < f->sem->n; j++)
			summarize_change(ad, &s, &f->sem->changes[j]);
	}
	/* Collapse, then order by rank (stable): what changed first, hashes and counts last. */
	out = s.n ? csf_xcalloc(s.n, sizeof(*out)) : NULL;
	rank = s.n ? csf_xcalloc(s.n, sizeof(*rank)) : NULL;
	for (i = 0; i < s.n; i++) {
		size_t same = 0, first = i;
		struct csf_buf line = CSF_BUF_INIT;

		if (!s.v[i].collapsible) {
			rank[k] = s.v[i].rank;
			out[k++] = s.v[i].text;
			continue;
		}
		for (j = 0; j < s.n; j++)
			if (s.v[j].collapsible && !strcmp(s.v[j].leaf, s.v[i].leaf)) {
				if (same++ == 0)
					first = j;
			}
		if (same <= SUMMARY_GROUP_MAX) {
			rank[k] = s.v[i].rank;
			out[k++] = s.v[i].text;
			continue;
		}
		if (first != i)
			continue;
		csf_buf_addf(&line, "%s changed in %zu places", s.v[i].leaf, same);
		rank[k] = 2;
		out[k++] = csf_arena_strndup(&ad->arena, line.buf, line.len);
		csf_buf_release(&line);
	}
	ad->summary = k ? csf_xcalloc(k, sizeof(*ad->summary)) : NULL;
	for (r = 0; r < 3; r++)
		for (i = 0; i < k; i++)
			if (rank[i] == r)
				ad->summary[ad->nsummary++] = out[i];
	free(out);
	free(rank);
	free(s.v);
}

/* ------------------------------------------------------------------------------------------
 * Computing
 */

static int
cmp_input(const void *pa, const void *pb)
{
	const struct csf_art_input *const *a = pa, *const *b = pb;
	int c = strcmp((*a)->path, (*b)->path);

	if (c)
		return c;
	return *a < *b ? -1 : *a > *b;
}

/* Sorted pointers to the inputs, the last of repeated paths kept. */
static const struct csf_art_input **
sorted_inputs(const struct csf_art_input *in, size_t n, size_t *nout)
{
	const struct csf_art_input **v = csf_xmalloc((n + 1) * sizeof(*v));
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		v[i] = &in[i];
	qsort(v, n, sizeof(*v), cmp_input);
	for (i = 0; i < n; i++) {
		if (i + 1 < n && !strcmp(v[i]->path, v[i + 1]->path))
			continue;
		v[k++] = v[i];
	}
	*nout = k;
	return v;
}

static bool
is_structured(const char *path)
{
	size_t n = strlen(path);

	return (n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml")) ||
	       (n > 5 && !strcmp(path + n - 5, ".json"));
}

static enum csf_status
diff_file(struct csf_artdiff *ad, struct csf_artdiff_file *f, const struct csf_art_input *a,
	  const struct csf_art_input *b, const struct csf_artdiff_opts *o, struct csf_error *err)
{
	struct csf_buf an = CSF_BUF_INIT, bn = CSF_BUF_INIT;
	enum csf_status st;

	f->path = csf_arena_strdup(&ad->arena, (a ? a : b)->path);
	if (a && b && a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len))) {
		f->status = CSF_ART_SAME;
		ad->nsame++;
		return CSF_E_OK;
	}
	f->status = !a ? CSF_ART_ADDED : !b ? CSF_ART_REMOVED : CSF_ART_CHANGED;
	csf_buf_addf(&an, "a/%s", f->path);
	csf_buf_addf(&bn, "b/%s", f->path);
	st = csf_diff_buffers(an.buf, a ? a->data : NULL, a ? a->len : 0, bn.buf,
			      b ? b->data : NULL, b ? b->len : 0, &o->diff, &f->diff, err);
	csf_buf_release(&an);
	csf_buf_release(&bn);
	if (st)
		return st;
	csf_diff_mark_missing(f->diff, !a, !b);
	f->binary = f->diff->binary;
	f->added = f->diff->added;
	f->removed = f->diff->removed;
	ad->lines_added += f->added;
	ad->lines_removed += f->removed;
	if (f->status == CSF_ART_ADDED)
		ad->nadded++;
	else if (f->status == CSF_ART_REMOVED)
		ad->nremoved++;
	else
		ad->nchanged++;
	if (o->semantic && !f->binary && is_structured(f->path)) {
		struct csf_error ignored = CSF_ERROR_INIT;

		if (csf_semdiff_mem(f->path, a ? a->data : NULL, a ? a->len : 0, f->path,
				    b ? b->data : NULL, b ? b->len : 0, &f->sem, &ignored))
			f->sem = NULL;	/* not parsable: the line diff stands alone */
	}
	return CSF_E_OK;
}

enum csf_status
csf_artdiff_compute(const struct csf_art_input *a, size_t na, const struct csf_art_input *b,
		    size_t nb, const struct csf_artdiff_opts *opts_in, struct csf_artdiff **out,
		    struct csf_error *err)
{
	struct csf_artdiff_opts opts = CSF_ARTDIFF_OPTS_INIT;
	const struct csf_art_input **sa, **sb;
	struct csf_artdiff *ad;
	size_t i = 0, j = 0;
	enum csf_status st = CSF_E_OK;

	*out = NULL;
	if (opts_in)
		opts = *opts_in;
	sa = sorted_inputs(a, na, &na);
	sb = sorted_inputs(b, nb, &nb);
	ad = csf_xcalloc(1, sizeof(*ad));
	ad->files = csf_xcalloc(na + nb + 1, sizeof(*ad->files));
	csf_diff_lib_acquire();
	while (!st && (i < na || j < nb)) {
		int c = i >= na ? 1 : j >= nb ? -1 : strcmp(sa[i]->path, sb[j]->path);
		struct csf_artdiff_file *f = &ad->files[ad->nfiles++];

		if (c == 0)
			st = diff_file(ad, f, sa[i++], sb[j++], &opts, err);
		else if (c < 0)
			st = diff_file(ad, f, sa[i++], NULL, &opts, err);
		else
			st = diff_file(ad, f, NULL, sb[j++], &opts, err);
	}
	csf_diff_lib_release();
	free(sa);
	free(sb);
	if (st) {
		csf_artdiff_free(ad);
		return st;
	}
	if (opts.semantic)
		build_summary(ad);
	*out = ad;
	return CSF_E_OK;
}

static struct csf_art_input *
set_inputs(const struct csf_artifact_set *s, size_t *n)
{
	struct csf_art_input *v;
	size_t i;

	*n = s ? s->n : 0;
	v = csf_xcalloc(*n + 1, sizeof(*v));
	for (i = 0; i < *n; i++) {
		v[i].path = s->items[i].path;
		v[i].data = s->items[i].data.buf;
		v[i].len = s->items[i].data.len;
	}
	return v;
}

enum csf_status
csf_artdiff_sets(const struct csf_artifact_set *a, const struct csf_artifact_set *b,
		 const struct csf_artdiff_opts *opts, struct csf_artdiff **out,
		 struct csf_error *err)
{
	size_t na, nb;
	struct csf_art_input *ia = set_inputs(a, &na), *ib = set_inputs(b, &nb);
	enum csf_status st = csf_artdiff_compute(ia, na, ib, nb, opts, out, err);

	free(ia);
	free(ib);
	return st;
}

/* ------------------------------------------------------------------------------------------
 * Rendering
 */

static void
add_path(struct csf_buf *out, const char *path)
{
	csf_sanitize_buf(out, path, strlen(path), 0);
}

void
csf_artdiff_render_stat(struct csf_buf *out, const struct csf_artdiff *ad)
{
	size_t i, w = 0;

	for (i = 0; i < ad->nfiles; i++)
		if (ad->files[i].status != CSF_ART_SAME && strlen(ad->files[i].path) > w)
			w = strlen(ad->files[i].path);
	for (i = 0; i < ad->nfiles; i++) {
		const struct csf_artdiff_file *f = &ad->files[i];
		size_t start;

		if (f->status == CSF_ART_SAME)
			continue;
		csf_buf_addstr(out, f->status == CSF_ART_ADDED	   ? "A "
				    : f->status == CSF_ART_REMOVED ? "D "
								   : "M ");
		start = out->len;
		add_path(out, f->path);
		csf_buf_addchars(out, ' ', w + 2 > out->len - start ? w + 2 - (out->len - start) : 1);
		if (f->binary)
			csf_buf_addstr(out, "binary\n");
		else
			csf_buf_addf(out, "+%zu -%zu\n", f->added, f->removed);
	}
	csf_buf_addf(out, "%zu file%s changed, %zu insertion%s(+), %zu deletion%s(-)\n",
		     ad->nadded + ad->nremoved + ad->nchanged,
		     ad->nadded + ad->nremoved + ad->nchanged == 1 ? "" : "s", ad->lines_added,
		     ad->lines_added == 1 ? "" : "s", ad->lines_removed,
		     ad->lines_removed == 1 ? "" : "s");
}

void
csf_artdiff_render_summary(struct csf_buf *out, const struct csf_artdiff *ad)
{
	size_t i;

	if (!ad->nsummary)
		return;
	csf_buf_addstr(out, "summary:\n");
	for (i = 0; i < ad->nsummary; i++) {
		csf_buf_addstr(out, "  ");
		csf_sanitize_buf(out, ad->summary[i], strlen(ad->summary[i]), 0);
		csf_buf_addch(out, '\n');
	}
}

void
csf_artdiff_render_text(struct csf_buf *out, const struct csf_artdiff *ad,
			enum csf_artdiff_mode mode, unsigned width, unsigned flags)
{
	size_t i;

	if (csf_artdiff_same(ad))
		return;
	csf_artdiff_render_stat(out, ad);
	if (ad->nsummary) {
		csf_buf_addch(out, '\n');
		csf_artdiff_render_summary(out, ad);
	}
	for (i = 0; i < ad->nfiles; i++) {
		const struct csf_artdiff_file *f = &ad->files[i];

		if (f->status == CSF_ART_SAME)
			continue;
		csf_buf_addstr(out, "\ndiff ");
		add_path(out, f->path);
		csf_buf_addch(out, '\n');
		if (mode == CSF_ARTDIFF_SEMANTIC && f->sem)
			csf_semdiff_render_text(out, f->sem);
		else if (mode == CSF_ARTDIFF_SIDE_BY_SIDE)
			csf_diff_render_side_by_side(out, f->diff, width, flags);
		else
			csf_diff_render_unified(out, f->diff, flags);
	}
}

void
csf_artdiff_render_json(struct csf_buf *out, const struct csf_artdiff *ad, bool with_patch)
{
	size_t i, k = 0;

	csf_buf_addf(out, "{\"same\":%s,\"files\":[", csf_artdiff_same(ad) ? "true" : "false");
	for (i = 0; i < ad->nfiles; i++) {
		const struct csf_artdiff_file *f = &ad->files[i];

		if (f->status == CSF_ART_SAME)
			continue;
		csf_buf_addstr(out, k++ ? ",\n {\"path\":" : "\n {\"path\":");
		csf_diff_add_json_text(out, f->path, strlen(f->path));
		csf_buf_addf(out, ",\"status\":\"%s\",\"added\":%zu,\"removed\":%zu,\"binary\":%s",
			     csf_art_status_name(f->status), f->added, f->removed,
			     f->binary ? "true" : "false");
		if (with_patch) {
			csf_buf_addstr(out, ",\"diff\":");
			csf_diff_render_json(out, f->diff);
		}
		if (f->sem) {
			csf_buf_addstr(out, ",\"semantic\":");
			csf_semdiff_render_json(out, f->sem);
		}
		csf_buf_addch(out, '}');
	}
	csf_buf_addf(out, "%s],\"totals\":{\"added\":%zu,\"removed\":%zu,\"changed\":%zu,"
		     "\"insertions\":%zu,\"deletions\":%zu},\"summary\":[",
		     k ? "\n" : "", ad->nadded, ad->nremoved, ad->nchanged, ad->lines_added,
		     ad->lines_removed);
	for (i = 0; i < ad->nsummary; i++) {
		if (i)
			csf_buf_addch(out, ',');
		csf_diff_add_json_text(out, ad->summary[i], strlen(ad->summary[i]));
	}
	csf_buf_addstr(out, "]}");
}
