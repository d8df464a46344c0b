/* Line diff of two texts through libgit2 (git_patch_from_buffers), with word-level changes
 * inside changed lines, a side-by-side row layout and text rendering (DESIGN §7).
 *
 * libgit2: every entry point that needs libgit2 calls git_libgit2_init() on entry and
 * git_libgit2_shutdown() on return. libgit2 counts these, so a program that holds one reference
 * for its lifetime (csf_diff_lib_acquire() at start, csf_diff_lib_release() at exit; the CLI and
 * the TUI do) initialises libgit2 exactly once; a unit test that does not still works.
 *
 * Lines: text is stored without its line ending. A line that ended in "\r\n" has `cr` set; the
 * diff itself compares the raw bytes, so LF vs CRLF is a change unless ignore_whitespace is on
 * (as with `git diff -w`). d->eol_mixed says the two sides differ in their line endings, and the
 * renderers then show a visible "^M" where a CR was. The last line of a side without a final
 * newline has `no_newline` set and is rendered with "\ No newline at end of file".
 *
 * Binary: if either side contains a NUL byte the diff is not computed: d->binary is set,
 * there are no hunks, d->same says whether the bytes are identical, and the renderers print
 * "Binary files A and B differ". Nothing else in the content is rendered.
 *
 * Memory: a struct csf_diff owns everything it points to (lines in its arena); it does not
 * borrow the input buffers.
 */
#ifndef CSF_CORE_DIFF_H
#define CSF_CORE_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"

/* ---- libgit2 lifetime ------------------------------------------------------------------- */

/* Takes / drops one libgit2 reference (git_libgit2_init / git_libgit2_shutdown). Pair them. */
void csf_diff_lib_acquire(void);
void csf_diff_lib_release(void);

/* ---- options ---------------------------------------------------------------------------- */

struct csf_diff_opts {
	unsigned context;		/* unchanged lines around each change (git -U); default 3 */
	bool ignore_whitespace;		/* ignore all whitespace, CR included (git diff -w) */
	bool words;			/* compute word spans inside paired changed lines */
};

#define CSF_DIFF_OPTS_INIT { 3, false, true }

/* ---- result ----------------------------------------------------------------------------- */

enum csf_diff_kind {
	CSF_DIFF_CONTEXT = ' ',
	CSF_DIFF_ADD = '+',
	CSF_DIFF_DEL = '-',
};

/* A changed stretch of a line: bytes [off, off + len) of line->text. */
struct csf_diff_span {
	size_t off, len;
};

struct csf_diff_line {
	enum csf_diff_kind kind;
	unsigned old_no, new_no;	/* 1-based line numbers; 0 on the side the line is not on */
	const char *text;		/* without "\n" or "\r\n"; NUL-terminated */
	size_t len;
	bool cr;			/* the line ended in "\r\n" */
	bool no_newline;		/* last line of its side, without a final newline */
	/* Word level: for a DEL line paired with an ADD line (or the reverse) `pair` is the
	 * other line's index in the hunk and spans are the changed stretches of this line (none
	 * when only the line ending or whitespace differs). Unpaired lines: pair == SIZE_MAX,
	 * nspans == 0 (the whole line is the change). */
	size_t pair;
	const struct csf_diff_span *spans;
	size_t nspans;
};

struct csf_diff_hunk {
	unsigned old_start, old_lines;	/* as in "@@ -old_start,old_lines +new_start,new_lines @@" */
	unsigned new_start, new_lines;
	struct csf_diff_line *lines;
	size_t nlines;
};

struct csf_diff {
	struct csf_arena arena;		/* lines, spans, names */
	const char *old_name, *new_name;	/* labels for headers ("a/x.yaml"), never NULL */
	bool same;			/* no difference (under the options used) */
	bool binary;			/* a side has a NUL byte: no hunks (see above) */
	bool old_missing, new_missing;	/* the side does not exist (file added / removed) */
	bool eol_mixed;			/* the sides differ in line endings (CRLF vs LF) */
	size_t added, removed;		/* ADD / DEL line counts */
	struct csf_diff_hunk *hunks;
	size_t nhunks;
};

/* Diffs old[0..old_len) against new[0..new_len). Either buffer may be NULL with length 0 for a
 * missing side (set *_missing with csf_diff_mark_missing() for the headers). opts may be NULL for
 * CSF_DIFF_OPTS_INIT. Fails only when libgit2 fails (CSF_E_GIT, its message in err).
 * Caller owns *out; free with csf_diff_free(). */
enum csf_status csf_diff_buffers(const char *old_name, const char *old, size_t old_len,
				 const char *new_name, const char *new_text, size_t new_len,
				 const struct csf_diff_opts *opts, struct csf_diff **out,
				 struct csf_error *err);

/* Records that a side does not exist (headers become /dev/null, as in git). */
void csf_diff_mark_missing(struct csf_diff *d, bool old_missing, bool new_missing);

void csf_diff_free(struct csf_diff *d);

/* True when data[0..len) holds a NUL byte (the binary test used above). */
bool csf_diff_is_binary(const char *data, size_t len);

/* ---- word level ------------------------------------------------------------------------- */

/* Changed stretches between two single lines a and b (no newlines), by tokens: runs of
 * letters/digits/'_', runs of white space, and single other characters. The spans of a go to
 * *aspans, those of b to *bspans, both from arena; counts in *na, *nb. Lines longer than 4,000
 * bytes or with more than 500 tokens give one span each covering the whole line. */
void csf_diff_words(struct csf_arena *arena, const char *a, size_t alen, const char *b,
		    size_t blen, struct csf_diff_span **aspans, size_t *na,
		    struct csf_diff_span **bspans, size_t *nb);

/* ---- side-by-side layout ---------------------------------------------------------------- */

enum csf_diff_row_kind {
	CSF_ROW_HUNK,			/* a hunk separator: hunk is set, left/right NULL */
	CSF_ROW_SAME,			/* context: left and right hold the same line */
	CSF_ROW_CHANGED,		/* a DEL paired with an ADD */
	CSF_ROW_DEL,			/* left only */
	CSF_ROW_ADD,			/* right only */
};

struct csf_diff_row {
	enum csf_diff_row_kind kind;
	const struct csf_diff_hunk *hunk;	/* the hunk the row belongs to */
	const struct csf_diff_line *left, *right;	/* NULL on the empty side */
};

/* Lays d out as rows: each hunk starts with a CSF_ROW_HUNK row; inside a block of changes the
 * i-th removed line sits beside the i-th added line. Caller owns *rows; free with free().
 * Rows borrow from d: valid until csf_diff_free(d). */
void csf_diff_rows(const struct csf_diff *d, struct csf_diff_row **rows, size_t *nrows);

/* ---- text rendering --------------------------------------------------------------------- */

enum {
	CSF_DIFF_R_WORDS = 1 << 0,	/* mark word changes inline: [-old-] and {+new+} */
	CSF_DIFF_R_NO_HEADER = 1 << 1,	/* leave out the ---/+++ lines */
	CSF_DIFF_R_ASCII = 1 << 2,	/* side-by-side: '?' for non-ASCII (LANG=C) */
};

/* Unified diff: "--- a\n+++ b\n", then "@@ -l,n +l,n @@" hunks with ' ', '-', '+' lines and
 * "\ No newline at end of file"; a binary pair gives one "Binary files A and B differ" line;
 * identical inputs give nothing. Line text is written as is (no sanitizing: this is patch
 * output), except that a CR shows as "^M" when d->eol_mixed. */
void csf_diff_render_unified(struct csf_buf *out, const struct csf_diff *d, unsigned flags);

/* Side-by-side in `width` display columns (at least 40; less is treated as 40):
 *   "NNNN left-text            M NNNN right-text"
 * M is ' ' (same), '|' (changed), '<' (removed) or '>' (added), so the change is readable
 * without colour. Hunk rows print "@@ -l,n +l,n @@". Text is sanitized for the terminal, tabs
 * expand to 8 columns, and each side is cut at its column width by display width ('>' ends a
 * cut line). Word changes are marked like the unified form when CSF_DIFF_R_WORDS is given. */
void csf_diff_render_side_by_side(struct csf_buf *out, const struct csf_diff *d, unsigned width,
				  unsigned flags);

/* The number of decimal digits of v (at least 1): the width of a line-number column. */
unsigned csf_diff_digits(unsigned v);

/* The diff as a JSON object:
 *   {"old":NAME,"new":NAME,"same":B,"binary":B,"added":N,"removed":N,
 *    "hunks":[{"oldStart":N,"oldLines":N,"newStart":N,"newLines":N,
 *              "lines":[{"kind":"+|-| ","old":N,"new":N,"text":S,"cr":true,"noNewline":true,
 *                        "spans":[[OFF,LEN],…]}]}]}
 * ("old"/"new" line numbers are left out on the side a line is not on; cr, noNewline and spans
 * only when set; a missing side's name is null; text through csf_diff_add_json_text, so spans
 * count bytes of the original line only while it is valid UTF-8). */
void csf_diff_render_json(struct csf_buf *out, const struct csf_diff *d);

/* Appends s[0..len) as a JSON string literal (quotes included); NUL, control characters and
 * quotes are escaped, and each byte that is not part of valid UTF-8 becomes U+FFFD, so the
 * output is valid JSON whatever the input held. */
void csf_diff_add_json_text(struct csf_buf *out, const char *s, size_t len);

/* Display columns of s[0..len) after tab expansion from column 0 (wcwidth; invalid bytes and
 * controls count 1). */
size_t csf_diff_text_width(const char *s, size_t len);

#endif
