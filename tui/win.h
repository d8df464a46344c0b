/* Windows and terminal-safe drawing.
 *
 * Every string drawn through these helpers is sanitized (core/sanitize.h: no control
 * character or escape sequence reaches the terminal; invalid UTF-8 and bidi overrides are
 * replaced), measured in display columns with wcwidth, and clipped at the window's edge. Wide
 * characters that do not fit are replaced by spaces; tabs expand to the tab size. Under a
 * non-UTF-8 locale (LANG=C) every non-ASCII character is drawn as '?' and line drawing uses
 * ASCII. Only these helpers truncate text.
 */
#ifndef CSF_TUI_WIN_H
#define CSF_TUI_WIN_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "core/buf.h"
#include "tui/theme.h"

/* Shared drawing state; one lives in the app object. */
struct tui_draw {
	const struct tui_theme *theme;
	bool utf8;		/* the locale's charset is UTF-8 */
	int tab_size;
	struct csf_buf scratch;	/* sanitized text of the segment being drawn */
};

struct tui_win {
	WINDOW *w;		/* NULL until created */
	int y, x, h, wd;	/* position and size on the screen */
	struct tui_draw *draw;
};

/* Creates or moves/resizes the window to (y, x, h, wd); h or wd <= 0 deletes it. */
void tui_win_place(struct tui_win *win, struct tui_draw *draw, int y, int x, int h, int wd);
void tui_win_delete(struct tui_win *win);

/* Sets the window's background to slot and erases it (werase). */
void tui_win_erase(struct tui_win *win, enum theme_slot slot);

/* One row being drawn left to right, as segments.
 * skip: display columns to leave out at the start (horizontal scroll).
 * over: when not THEME_COUNT, every segment is drawn in this slot instead (the cursor row). */
struct tui_line {
	struct tui_win *win;
	int y, x0, width;	/* the row and its columns in the window */
	size_t skip;
	size_t col;		/* logical column reached (before skip) */
	int used;		/* screen columns used */
	enum theme_slot over;
	/* Set by the view framework on the cursor row of a VIEW_PANE_CURSOR_MARK pane: the view
	 * marks the row itself (e.g. only the line number) in cursor_slot. */
	bool cursor;
	enum theme_slot cursor_slot;
};

/* Positions a line at row y of win, columns x .. x+width-1. */
void tui_line_begin(struct tui_line *l, struct tui_win *win, int y, int x, int width, size_t skip,
		    enum theme_slot over);

/* Draws s[0..len) in slot (sanitized; tabs expand from the logical column). */
void tui_line_add(struct tui_line *l, enum theme_slot slot, const char *s, size_t len);
void tui_line_addstr(struct tui_line *l, enum theme_slot slot, const char *s);
void tui_line_addf(struct tui_line *l, enum theme_slot slot, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Pads with spaces in slot up to column `col` of the line (logical, before skip). */
void tui_line_pad_to(struct tui_line *l, enum theme_slot slot, size_t col);

/* Fills the rest of the line with spaces in slot. */
void tui_line_end(struct tui_line *l, enum theme_slot slot);

/* Screen columns left on the line. */
int tui_line_left(const struct tui_line *l);

/* Display width of s[0..len) after sanitizing (tabs count as one column here). */
size_t tui_text_width(struct tui_draw *draw, const char *s, size_t len);

/* Draws a box border in slot around the window (ACS lines in UTF-8, +-| otherwise). */
void tui_win_box(struct tui_win *win, enum theme_slot slot);

/* Draws the vertical separator character at (y, x) in slot. */
void tui_win_vline(struct tui_win *win, int y, int x, int n, enum theme_slot slot);

#endif
