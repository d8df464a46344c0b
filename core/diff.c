#include "core/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <git2.h>

#include "core/sanitize.h"
#include "core/xalloc.h"

#define WORDS_MAX_BYTES 4000
#define WORDS_MAX_TOKENS 500

/* ------------------------------------------------------------------------------------------
 * libgit2 lifetime
 */

void
csf_diff_lib_acquire(void)
{
	git_libgit2_init();
}

void
csf_diff_lib_release(void)
{
	git_libgit2_shutdown();
}

/* ------------------------------------------------------------------------------------------
 * Word level
 */

struct token {
	size_t off, len;
};

static bool
is_word_byte(unsigned char c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool
is_space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Splits s into tokens; returns the count, or SIZE_MAX when there are more than max. */
static size_t
tokenize(const char *s, size_t len, struct token *tok, size_t max)
{
	size_t i = 0, n = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t j = i + 1;

		if (is_word_byte(c))
			while (j < len && is_word_byte((unsigned char)s[j]))
				j++;
		else if (is_space_byte(c))
			while (j < len && is_space_byte((unsigned char)s[j]))
				j++;
		if (n == max)
			return SIZE_MAX;
		tok[n].off = i;
		tok[n].len = j - i;
		n++;
		i = j;
	}
	return n;
}

static bool
tok_eq(const char *a, const struct token *ta, const char *b, const struct token *tb)
{
	return ta->len == tb->len && !memcmp(a + ta->off, b + tb->off, ta->len);
}

static bool
tok_is_space(const char *s, const struct token *t)
{
	return is_space_byte((unsigned char)s[t->off]);
}

/* Turns marked tokens into spans, joining two changed tokens separated only by white space. */
static void
spans_from_marks(struct csf_arena *arena, const char *s, const struct token *tok, size_t n,
		 const bool *mark, struct csf_diff_span **out, size_t *nout)
{
	struct csf_diff_span *sp;
	size_t i, k = 0, cnt = 0;

	for (i = 0; i < n; i++)
		if (mark[i] && (i == 0 || !mark[i - 1]))
			cnt++;
	*out = NULL;
	*nout = 0;
	if (!cnt)
		return;
	sp = csf_arena_alloc(arena, cnt * sizeof(*sp));
	for (i = 0; i < n; i++) {
		if (!mark[i])
			continue;
		if (k && (i > 0 && (mark[i - 1] ||
				    (i > 1 && mark[i - 2] && tok_is_space(s, &tok[i - 1]))))) {
			sp[k - 1].len = tok[i].off + tok[i].len - sp[k - 1].off;
			continue;
		}
		sp[k].off = tok[i].off;
		sp[k].len = tok[i].len;
		k++;
	}
	*out = sp;
	*nout = k;
}

static void
whole_line(struct csf_arena *arena, size_t len, struct csf_diff_span **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!len)
		return;
	*out = csf_arena_alloc(arena, sizeof(**out));
	(*out)->off = 0;
	(*out)->len = len;
	*n = 1;
}

void
csf_diff_words(struct csf_arena *arena, const char *a, size_t alen, const char *b, size_t blen,
	       struct csf_diff_span **aspans, size_t *na, struct csf_diff_span **bspans,
	       size_t *nb)
{
	struct token *ta = NULL, *tb = NULL;
	size_t n, m, pre = 0, suf = 0, i, j, w;
	uint16_t *dp = NULL;
	bool *ma = NULL, *mb = NULL;

	if (alen > WORDS_MAX_BYTES || blen > WORDS_MAX_BYTES)
		goto whole;
	ta = csf_xmalloc((alen + 1) * sizeof(*ta));
	tb = csf_xmalloc((blen + 1) * sizeof(*tb));
	n = tokenize(a, alen, ta, WORDS_MAX_TOKENS);
	m = tokenize(b, blen, tb, WORDS_MAX_TOKENS);
	if (n == SIZE_MAX || m == SIZE_MAX)
		goto whole;
	ma = csf_xcalloc(n + 1, sizeof(*ma));
	mb = csf_xcalloc(m + 1, sizeof(*mb));
	while (pre < n && pre < m && tok_eq(a, &ta[pre], b, &tb[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre &&
	       tok_eq(a, &ta[n - 1 - suf], b, &tb[m - 1 - suf]))
		suf++;
	/* LCS over the middle tokens; dp[i][j] = LCS of suffixes a[i..], b[j..]. */
	{
		size_t an = n - pre - suf, bm = m - pre - suf;

		w = bm + 1;
		dp = csf_xcalloc((an + 1) * w, sizeof(*dp));
		for (i = an; i-- > 0;)
			for (j = bm; j-- > 0;) {
				if (tok_eq(a, &ta[pre + i], b, &tb[pre + j]))
					dp[i * w + j] = (uint16_t)(dp[(i + 1) * w + j + 1] + 1);
				else
					dp[i * w + j] = dp[(i + 1) * w + j] > dp[i * w + j + 1]
								? dp[(i + 1) * w + j]
								: dp[i * w + j + 1];
			}
		i = j = 0;
		while (i < an && j < bm) {
			if (tok_eq(a, &ta[pre + i], b, &tb[pre + j])) {
				i++;
				j++;
			} else if (dp[(i + 1) * w + j] >= dp[i * w + j + 1]) {
				ma[pre + i++] = true;
			} else {
				mb[pre + j++] = true;
			}
		}
		while (i < an)
			ma[pre + i++] = true;
		while (j < bm)
			mb[pre + j++] = true;
	}
	spans_from_marks(arena, a, ta, n, ma, aspans, na);
	spans_from_marks(arena, b, tb, m, mb, bspans, nb);
	free(dp);
	free(ma);
	free(mb);
	free(ta);
	free(tb);
	return;
whole:
	free(ta);
	free(tb);
	whole_line(arena, alen, aspans, na);
	whole_line(arena, blen, bspans, nb);
}

/* ------------------------------------------------------------------------------------------
 * Line diff
 */

bool
csf_diff_is_binary(const char *data, size_t len)
{
	return data && len && memchr(data, '\0', len) != NULL;
}

void
csf_diff_mark_missing(struct csf_diff *d, bool old_missing, bool new_missing)
{
	d->old_missing = old_missing;
	d->new_missing = new_missing;
}

void
csf_diff_free(struct csf_diff *d)
{
	if (!d)
		return;
	csf_arena_release(&d->arena);
	free(d);
}

static void
pair_words(struct csf_diff *d, struct csf_diff_hunk *h, bool words)
{
	size_t i = 0, n = h->nlines;

	while (i < n) {
		size_t ds, de, as, ae, k;

		if (h->lines[i].kind != CSF_DIFF_DEL) {
			i++;
			continue;
		}
		ds = i;
		while (i < n && h->lines[i].kind == CSF_DIFF_DEL)
			i++;
		de = as = i;
		while (i < n && h->lines[i].kind == CSF_DIFF_ADD)
			i++;
		ae = i;
		for (k = 0; ds + k < de && as + k < ae; k++) {
			struct csf_diff_line *l = &h->lines[ds + k], *r = &h->lines[as + k];
			struct csf_diff_span *ls, *rs;

			l->pair = as + k;
			r->pair = ds + k;
			if (!words)
				continue;
			csf_diff_words(&d->arena, l->text, l->len, r->text, r->len, &ls, &l->nspans,
				       &rs, &r->nspans);
			l->spans = ls;
			r->spans = rs;
		}
	}
}

static void
take_line(struct csf_diff *d, struct csf_diff_line *dl, const git_diff_line *gl)
{
	size_t len = gl->content_len;
	const char *s = gl->content;

	dl->kind = gl->origin == GIT_DIFF_LINE_ADDITION	  ? CSF_DIFF_ADD
		   : gl->origin == GIT_DIFF_LINE_DELETION ? CSF_DIFF_DEL
							  : CSF_DIFF_CONTEXT;
	dl->old_no = gl->old_lineno > 0 ? (unsigned)gl->old_lineno : 0;
	dl->new_no = gl->new_lineno > 0 ? (unsigned)gl->new_lineno : 0;
	if (len && s[len - 1] == '\n') {
		len--;
		if (len && s[len - 1] == '\r') {
			len--;
			dl->cr = true;
		}
	} else {
		dl->no_newline = true;
	}
	dl->text = csf_arena_strndup(&d->arena, s, len);
	dl->len = len;
	dl->pair = SIZE_MAX;
}

static enum csf_status
git_failed(struct csf_error *err, const char *what)
{
	const git_error *e = git_error_last();
	struct csf_loc none = { 0, 0 };

	return csf_fail(err, CSF_E_GIT, NULL, none, "%s: %s", what,
			e && e->message ? e->message : "libgit2 failed");
}

enum csf_status
csf_diff_buffers(const char *old_name, const char *old, size_t old_len, const char *new_name,
		 const char *new_text, size_t new_len, const struct csf_diff_opts *opts_in,
		 struct csf_diff **out, struct csf_error *err)
{
	struct csf_diff_opts opts = CSF_DIFF_OPTS_INIT;
	git_diff_options go;
	git_patch *patch = NULL;
	struct csf_diff *d;
	bool cr_add = false, lf_add = false;
	size_t h, nh;

	*out = NULL;
	if (opts_in)
		opts = *opts_in;
	d = csf_xcalloc(1, sizeof(*d));
	d->old_name = csf_arena_strdup(&d->arena, old_name ? old_name : "a");
	d->new_name = csf_arena_strdup(&d->arena, new_name ? new_name : "b");
	if (!old)
		old_len = 0;
	if (!new_text)
		new_len = 0;
	if (csf_diff_is_binary(old, old_len) || csf_diff_is_binary(new_text, new_len)) {
		d->binary = true;
		d->same = old_len == new_len && (!old_len || !memcmp(old, new_text, old_len));
		*out = d;
		return CSF_E_OK;
	}

	git_libgit2_init();
	git_diff_options_init(&go, GIT_DIFF_OPTIONS_VERSION);
	go.context_lines = opts.context;
	go.interhunk_lines = 0;
	go.flags = GIT_DIFF_FORCE_TEXT;
	if (opts.ignore_whitespace)
		go.flags |= GIT_DIFF_IGNORE_WHITESPACE;
	if (git_patch_from_buffers(&patch, old_len ? old : "", old_len, d->old_name,
				   new_len ? new_text : "", new_len, d->new_name, &go) < 0) {
		enum csf_status st = git_failed(err, "diff");

		git_libgit2_shutdown();
		csf_diff_free(d);
		return st;
	}
	nh = git_patch_num_hunks(patch);
	d->hunks = nh ? csf_arena_alloc(&d->arena, nh * sizeof(*d->hunks)) : NULL;
	for (h = 0; h < nh; h++) {
		const git_diff_hunk *gh;
		size_t nl, l, k = 0;
		struct csf_diff_hunk *dh;

		if (git_patch_get_hunk(&gh, &nl, patch, h) < 0)
			continue;
		dh = &d->hunks[d->nhunks++];
		dh->old_start = (unsigned)gh->old_start;
		dh->old_lines = (unsigned)gh->old_lines;
		dh->new_start = (unsigned)gh->new_start;
		dh->new_lines = (unsigned)gh->new_lines;
		dh->lines = nl ? csf_arena_alloc(&d->arena, nl * sizeof(*dh->lines)) : NULL;
		for (l = 0; l < nl; l++) {
			const git_diff_line *gl;
			struct csf_diff_line *dl;

			if (git_patch_get_line_in_hunk(&gl, patch, h, l) < 0)
				continue;
			if (gl->origin != GIT_DIFF_LINE_CONTEXT &&
			    gl->origin != GIT_DIFF_LINE_ADDITION &&
			    gl->origin != GIT_DIFF_LINE_DELETION)
				continue;	/* EOF-newline markers: taken from the text itself */
			dl = &dh->lines[k++];
			take_line(d, dl, gl);
			if (dl->kind == CSF_DIFF_ADD)
				d->added++;
			else if (dl->kind == CSF_DIFF_DEL)
				d->removed++;
			if (dl->kind != CSF_DIFF_CONTEXT) {
				if (dl->cr)
					cr_add = true;
				else
					lf_add = true;
			}
		}
		dh->nlines = k;
		pair_words(d, dh, opts.words);
	}
	git_patch_free(patch);
	git_libgit2_shutdown();
	d->same = !d->added && !d->removed;
	d->eol_mixed = cr_add && lf_add;
	*out = d;
	return CSF_E_OK;
}

/* ------------------------------------------------------------------------------------------
 * Side-by-side rows
 */

void
csf_diff_rows(const struct csf_diff *d, struct csf_diff_row **rows, size_t *nrows)
{
	struct csf_diff_row *r = NULL;
	size_t n = 0, alloc = 0, h;

	for (h = 0; h < d->nhunks; h++) {
		const struct csf_diff_hunk *hk = &d->hunks[h];
		size_t i = 0;

		CSF_GROW(r, alloc, n + 1);
		r[n++] = (struct csf_diff_row){ CSF_ROW_HUNK, hk, NULL, NULL };
		while (i < hk->nlines) {
			size_t ds, de, as, ae, k;

			if (hk->lines[i].kind == CSF_DIFF_CONTEXT) {
				CSF_GROW(r, alloc, n + 1);
				r[n++] = (struct csf_diff_row){ CSF_ROW_SAME, hk, &hk->lines[i],
								&hk->lines[i] };
				i++;
				continue;
			}
			ds = i;
			while (i < hk->nlines && hk->lines[i].kind == CSF_DIFF_DEL)
				i++;
			de = as = i;
			while (i < hk->nlines && hk->lines[i].kind == CSF_DIFF_ADD)
				i++;
			ae = i;
			for (k = 0; ds + k < de || as + k < ae; k++) {
				const struct csf_diff_line *l = ds + k < de ? &hk->lines[ds + k] : NULL;
				const struct csf_diff_line *rt = as + k < ae ? &hk->lines[as + k] : NULL;

				CSF_GROW(r, alloc, n + 1);
				r[n++] = (struct csf_diff_row){ l && rt ? CSF_ROW_CHANGED
								: l	? CSF_ROW_DEL
									: CSF_ROW_ADD,
								hk, l, rt };
			}
		}
	}
	*rows = r;
	*nrows = n;
}

/* ------------------------------------------------------------------------------------------
 * Rendering
 */

static void
hunk_header(struct csf_buf *out, const struct csf_diff_hunk *h)
{
	csf_buf_addf(out, "@@ -%u", h->old_start);
	if (h->old_lines != 1)
		csf_buf_addf(out, ",%u", h->old_lines);
	csf_buf_addf(out, " +%u", h->new_start);
	if (h->new_lines != 1)
		csf_buf_addf(out, ",%u", h->new_lines);
	csf_buf_addstr(out, " @@");
}

/* Appends a line's text with word markers (when asked and the line has spans). */
static void
add_marked(struct csf_buf *out, const struct csf_diff_line *l, bool words)
{
	const char *open = l->kind == CSF_DIFF_DEL ? "[-" : "{+";
	const char *close = l->kind == CSF_DIFF_DEL ? "-]" : "+}";
	size_t pos = 0, i;

	if (!words || l->kind == CSF_DIFF_CONTEXT || l->pair == SIZE_MAX) {
		csf_buf_add(out, l->text, l->len);
		return;
	}
	for (i = 0; i < l->nspans; i++) {
		const struct csf_diff_span *s = &l->spans[i];

		csf_buf_add(out, l->text + pos, s->off - pos);
		csf_buf_addstr(out, open);
		csf_buf_add(out, l->text + s->off, s->len);
		csf_buf_addstr(out, close);
		pos = s->off + s->len;
	}
	csf_buf_add(out, l->text + pos, l->len - pos);
}

static const char *
side_name(const struct csf_diff *d, bool old)
{
	if (old)
		return d->old_missing ? "/dev/null" : d->old_name;
	return d->new_missing ? "/dev/null" : d->new_name;
}

/* Writes what an identical pair (nothing) or a binary pair (one line) shows. True when it was
 * one of those: there is nothing more to render. */
static bool
render_whole(struct csf_buf *out, const struct csf_diff *d)
{
	if (d->binary && !d->same)
		csf_buf_addf(out, "Binary files %s and %s differ\n", side_name(d, true),
			     side_name(d, false));
	return d->same || d->binary;
}

void
csf_diff_render_unified(struct csf_buf *out, const struct csf_diff *d, unsigned flags)
{
	size_t h, i;

	if (render_whole(out, d))
		return;
	if (!(flags & CSF_DIFF_R_NO_HEADER))
		csf_buf_addf(out, "--- %s\n+++ %s\n", side_name(d, true), side_name(d, false));
	for (h = 0; h < d->nhunks; h++) {
		const struct csf_diff_hunk *hk = &d->hunks[h];

		hunk_header(out, hk);
		csf_buf_addch(out, '\n');
		for (i = 0; i < hk->nlines; i++) {
			const struct csf_diff_line *l = &hk->lines[i];

			csf_buf_addch(out, (int)l->kind);
			add_marked(out, l, flags & CSF_DIFF_R_WORDS);
			if (l->cr && d->eol_mixed)
				csf_buf_addstr(out, "^M");
			csf_buf_addch(out, '\n');
			if (l->no_newline)
				csf_buf_addstr(out, "\\ No newline at end of file\n");
		}
	}
}

/* Decodes one UTF-8 character at s[0..len); returns its length (1 for an invalid byte). */
static size_t
utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, k;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		c = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		c = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		c = p[0] & 0x07;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (n > len) {
		*cp = 0xFFFD;
		return 1;
	}
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (p[k] & 0x3F);
	}
	*cp = c;
	return n;
}

static unsigned
char_width(uint32_t cp)
{
	int w;

	if (cp < 0x80)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : (unsigned)w;
}

size_t
csf_diff_text_width(const char *s, size_t len)
{
	size_t i = 0, col = 0;

	while (i < len) {
		uint32_t cp;

		if (s[i] == '\t') {
			col = (col / 8 + 1) * 8;
			i++;
			continue;
		}
		i += utf8_next(s + i, len - i, &cp);
		col += char_width(cp);
	}
	return col;
}

/* Appends s (already sanitized, tabs kept) in exactly `cols` columns: tabs expanded, cut with
 * '>' when too wide, padded with blanks when pad is set. */
static void
add_fitted(struct csf_buf *out, const char *s, size_t len, size_t cols, bool pad)
{
	size_t i = 0, col = 0;
	bool cut = csf_diff_text_width(s, len) > cols;
	size_t room = cut ? cols - 1 : cols;

	while (i < len) {
		uint32_t cp;
		size_t n, w;

		if (s[i] == '\t') {
			w = (col / 8 + 1) * 8 - col;
			if (col + w > room)
				w = room - col;
			csf_buf_addchars(out, ' ', w);
			col += w;
			i++;
			if (col >= room)
				break;
			continue;
		}
		n = utf8_next(s + i, len - i, &cp);
		w = char_width(cp);
		if (col + w > room)
			break;
		csf_buf_add(out, s + i, n);
		col += w;
		i += n;
	}
	if (cut) {
		csf_buf_addchars(out, ' ', room - col);
		csf_buf_addch(out, '>');
		col = cols;
	}
	if (pad)
		csf_buf_addchars(out, ' ', cols - col);
}

static void
sbs_side(struct csf_buf *out, struct csf_buf *tmp, const struct csf_diff *d,
	 const struct csf_diff_line *l, bool old, unsigned nw, size_t tw, unsigned flags,
	 bool pad)
{
	unsigned san = CSF_SAN_KEEP_TAB | ((flags & CSF_DIFF_R_ASCII) ? CSF_SAN_ASCII : 0);
	struct csf_buf marked = CSF_BUF_INIT;

	if (!l) {
		if (pad)
			csf_buf_addchars(out, ' ', nw + 1 + tw);
		return;
	}
	csf_buf_addf(out, "%*u ", (int)nw, old ? l->old_no : l->new_no);
	add_marked(&marked, l, (flags & CSF_DIFF_R_WORDS) && l->kind != CSF_DIFF_CONTEXT);
	if (l->cr && d->eol_mixed)
		csf_buf_addstr(&marked, "^M");
	csf_buf_reset(tmp);
	csf_sanitize_buf(tmp, marked.buf, marked.len, san);
	csf_buf_release(&marked);
	add_fitted(out, tmp->buf, tmp->len, tw, pad);
}

static void
trim_line_end(struct csf_buf *out, size_t start)
{
	size_t len = out->len;

	while (len > start && out->buf[len - 1] == ' ')
		len--;
	csf_buf_setlen(out, len);
	csf_buf_addch(out, '\n');
}

unsigned
csf_diff_digits(unsigned v)
{
	unsigned n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

void
csf_diff_render_side_by_side(struct csf_buf *out, const struct csf_diff *d, unsigned width,
			     unsigned flags)
{
	struct csf_diff_row *rows;
	struct csf_buf tmp = CSF_BUF_INIT;
	size_t nrows, r, tw;
	unsigned maxno = 1, nw;
	size_t h;

	if (render_whole(out, d))
		return;
	if (width < 40)
		width = 40;
	for (h = 0; h < d->nhunks; h++) {
		const struct csf_diff_hunk *hk = &d->hunks[h];

		if (hk->old_start + hk->old_lines > maxno)
			maxno = hk->old_start + hk->old_lines;
		if (hk->new_start + hk->new_lines > maxno)
			maxno = hk->new_start + hk->new_lines;
	}
	nw = csf_diff_digits(maxno);
	tw = (width - 3 - 2 * (nw + 1)) / 2;
	if (!(flags & CSF_DIFF_R_NO_HEADER)) {
		size_t start = out->len;

		csf_buf_addchars(out, ' ', nw + 1);
		csf_buf_reset(&tmp);
		csf_sanitize_buf(&tmp, side_name(d, true), strlen(side_name(d, true)), 0);
		add_fitted(out, tmp.buf, tmp.len, tw, true);
		csf_buf_addstr(out, "   ");
		csf_buf_addchars(out, ' ', nw + 1);
		csf_buf_reset(&tmp);
		csf_sanitize_buf(&tmp, side_name(d, false), strlen(side_name(d, false)), 0);
		add_fitted(out, tmp.buf, tmp.len, tw, false);
		trim_line_end(out, start);
	}
	csf_diff_rows(d, &rows, &nrows);
	for (r = 0; r < nrows; r++) {
		const struct csf_diff_row *row = &rows[r];
		size_t start = out->len;
		char mark;

		if (row->kind == CSF_ROW_HUNK) {
			hunk_header(out, row->hunk);
			csf_buf_addch(out, '\n');
			continue;
		}
		mark = row->kind == CSF_ROW_SAME      ? ' '
		       : row->kind == CSF_ROW_CHANGED ? '|'
		       : row->kind == CSF_ROW_DEL     ? '<'
						      : '>';
		sbs_side(out, &tmp, d, row->left, true, nw, tw, flags, true);
		csf_buf_addf(out, " %c ", mark);
		sbs_side(out, &tmp, d, row->right, false, nw, tw, flags, false);
		trim_line_end(out, start);
		if ((row->left && row->left->no_newline) || (row->right && row->right->no_newline)) {
			start = out->len;
			csf_buf_addchars(out, ' ', nw + 1);
			add_fitted(out, row->left && row->left->no_newline
						? "\\ No newline at end of file" : "",
				   row->left && row->left->no_newline ? 27 : 0, tw, true);
			csf_buf_addstr(out, "   ");
			csf_buf_addchars(out, ' ', nw + 1);
			if (row->right && row->right->no_newline)
				add_fitted(out, "\\ No newline at end of file", 27, tw, false);
			trim_line_end(out, start);
		}
	}
	free(rows);
	csf_buf_release(&tmp);
}

void
csf_diff_add_json_text(struct csf_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	csf_buf_addch(out, '"');
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c == '"' || c == '\\') {
			csf_buf_addch(out, '\\');
			csf_buf_addch(out, c);
			i++;
		} else if (c == '\n') {
			csf_buf_addstr(out, "\\n");
			i++;
		} else if (c == '\t') {
			csf_buf_addstr(out, "\\t");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			csf_buf_add(out, u, 6);
			i++;
		} else if (c < 0x80) {
			csf_buf_addch(out, c);
			i++;
		} else {
			n = utf8_next(s + i, len - i, &cp);
			if (cp == 0xFFFD && n == 1)
				csf_buf_addstr(out, "\xEF\xBF\xBD");
			else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF ||
				 (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
				 (n == 4 && cp < 0x10000))
				csf_buf_addstr(out, "\xEF\xBF\xBD");	/* surrogate or overlong */
			else
				csf_buf_add(out, s + i, n);
			i += n;
		}
	}
	csf_buf_addch(out, '"');
}

void
csf_diff_render_json(struct csf_buf *out, const struct csf_diff *d)
{
	size_t h, i, s;

	csf_buf_addstr(out, "{\"old\":");
	if (d->old_missing)
		csf_buf_addstr(out, "null");
	else
		csf_diff_add_json_text(out, d->old_name, strlen(d->old_name));
	csf_buf_addstr(out, ",\"new\":");
	if (d->new_missing)
		csf_buf_addstr(out, "null");
	else
		csf_diff_add_json_text(out, d->new_name, strlen(d->new_name));
	csf_buf_addf(out, ",\"same\":%s,\"binary\":%s,\"added\":%zu,\"removed\":%zu,\"hunks\":[",
		     d->same ? "true" : "false", d->binary ? "true" : "false", d->added, d->removed);
	for (h = 0; h < d->nhunks; h++) {
		const struct csf_diff_hunk *hk = &d->hunks[h];

		csf_buf_addf(out, "%s{\"oldStart\":%u,\"oldLines\":%u,\"newStart\":%u,\"newLines\":%u,"
			     "\"lines\":[", h ? "," : "", hk->old_start, hk->old_lines,
			     hk->new_start, hk->new_lines);
		for (i = 0; i < hk->nlines; i++) {
			const struct csf_diff_line *l = &hk->lines[i];

			csf_buf_addf(out, "%s{\"kind\":\"%c\"", i ? "," : "", (char)l->kind);
			if (l->old_no)
				csf_buf_addf(out, ",\"old\":%u", l->old_no);
			if (l->new_no)
				csf_buf_addf(out, ",\"new\":%u", l->new_no);
			csf_buf_addstr(out, ",\"text\":");
			csf_diff_add_json_text(out, l->text, l->len);
			if (l->cr)
				csf_buf_addstr(out, ",\"cr\":true");
			if (l->no_newline)
				csf_buf_addstr(out, ",\"noNewline\":true");
			if (l->nspans) {
				csf_buf_addstr(out, ",\"spans\":[");
				for (s = 0; s < l->nspans; s++)
					csf_buf_addf(out, "%s[%zu,%zu]", s ? "," : "", l->spans[s].off,
						     l->spans[s].len);
				csf_buf_addch(out, ']');
			}
			csf_buf_addch(out, '}');
		}
		csf_buf_addstr(out, "]}");
	}
	csf_buf_addstr(out, "]}");
}
