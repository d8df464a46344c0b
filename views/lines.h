/* Lines of text for a pane: one buffer and the offset of each line, so a detail pane of any
 * length draws a row without splitting the text again (release, tenants, traces). */
#ifndef CSF_VIEWS_LINES_H
#define CSF_VIEWS_LINES_H

#include <stddef.h>

#include "core/buf.h"

struct view_lines {
	struct csf_buf text;		/* the lines, each ending in '\n' when added by _addf */
	size_t *off;			/* off[i]: where line i starts in text */
	size_t n, alloc;
};

void view_lines_init(struct view_lines *l);
void view_lines_release(struct view_lines *l);
/* Empties text and the index. */
void view_lines_reset(struct view_lines *l);
/* Appends one line (a '\n' is added) and indexes it. */
void view_lines_addf(struct view_lines *l, const char *fmt, ...) CSF_PRINTF(2, 3);
/* Rebuilds the index from text written directly (a line starts at 0 and after each '\n' that
 * is not the last byte). */
void view_lines_index(struct view_lines *l);
/* Line i with its end of line, and its length in *len; NULL when there is no line i.
 * Borrowed: valid until the next call that changes l. */
const char *view_lines_get(const struct view_lines *l, size_t i, size_t *len);

#endif
