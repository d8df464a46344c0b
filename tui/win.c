#include "tui/win.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "core/sanitize.h"

void
tui_win_place(struct tui_win *win, struct tui_draw *draw, int y, int x, int h, int wd)
{
	win->draw = draw;
	if (h <= 0 || wd <= 0) {
		tui_win_delete(win);
		win->y = y;
		win->x = x;
		win->h = win->wd = 0;
		return;
	}
	if (win->w && (win->h != h || win->wd != wd || win->y != y || win->x != x)) {
		/* Moving a window can fail when the old size does not fit the new place; a new
		 * window is as cheap and always right. */
		delwin(win->w);
		win->w = NULL;
	}
	if (!win->w) {
		win->w = newwin(h, wd, y, x);
		if (win->w) {
			/* Input is read from a window (the bottom line): it must never block. */
			keypad(win->w, TRUE);
			nodelay(win->w, TRUE);
			idlok(win->w, TRUE);
			/* The cursor is hidden except on the command line: not moving it after
			 * each update saves bytes on every frame. */
			leaveok(win->w, TRUE);
		}
	}
	win->y = y;
	win->x = x;
	win->h = h;
	win->wd = wd;
}

void
tui_win_delete(struct tui_win *win)
{
	if (win->w)
		delwin(win->w);
	win->w = NULL;
}

static attr_t
slot_attr(const struct tui_win *win, enum theme_slot slot)
{
	const struct tui_theme *t = win->draw ? win->draw->theme : NULL;

	return t && (unsigned)slot < THEME_COUNT ? (attr_t)t->attr[slot] : A_NORMAL;
}

void
tui_win_erase(struct tui_win *win, enum theme_slot slot)
{
	if (!win->w)
		return;
	wbkgdset(win->w, ' ' | slot_attr(win, slot));
	werase(win->w);
}

void
tui_line_begin(struct tui_line *l, struct tui_win *win, int y, int x, int width, size_t skip,
	       enum theme_slot over)
{
	l->win = win;
	l->y = y;
	l->x0 = x;
	l->width = width < 0 ? 0 : width;
	if (win->wd && l->x0 + l->width > win->wd)
		l->width = win->wd - l->x0;
	if (l->width < 0)
		l->width = 0;
	l->skip = skip;
	l->col = 0;
	l->used = 0;
	l->over = over;
	l->cursor = false;
	l->cursor_slot = THEME_CURSOR;
}

int
tui_line_left(const struct tui_line *l)
{
	return l->width - l->used;
}

/* Puts one cell of display width w (1 or 2) holding code point cp. */
static void
put_cell(struct tui_line *l, unsigned cp, int w, attr_t attr)
{
	WINDOW *win = l->win->w;
	bool utf8 = l->win->draw && l->win->draw->utf8;

	if (l->col < l->skip) {
		/* A wide character cut by the left edge leaves a blank half. */
		if (l->col + (size_t)w > l->skip && l->used < l->width) {
			mvwaddch(win, l->y, l->x0 + l->used, ' ' | attr);
			l->used++;
		}
		l->col += (size_t)w;
		return;
	}
	l->col += (size_t)w;
	if (l->used + w > l->width) {
		while (l->used < l->width) {
			mvwaddch(win, l->y, l->x0 + l->used, ' ' | attr);
			l->used++;
		}
		return;
	}
	if (cp < 0x80 || !utf8) {
		mvwaddch(win, l->y, l->x0 + l->used, (chtype)(cp < 0x80 ? cp : '?') | attr);
	} else {
		cchar_t cc;
		wchar_t wc[2] = { (wchar_t)cp, 0 };

		setcchar(&cc, wc, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
		mvwadd_wch(win, l->y, l->x0 + l->used, &cc);
	}
	l->used += w;
}

/* Attaches a combining mark to the cell drawn last on this line (dropped when there is none,
 * or when the cell already holds as many marks as curses keeps). */
static void
add_combining(struct tui_line *l, unsigned cp)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t attrs;
	short pair;
	int x = l->x0 + l->used - 1, n;

	if (l->col <= l->skip || l->used == 0 || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF)
		return;		/* zero-width spaces, joiners and format characters are not drawn */
	if (mvwin_wch(l->win->w, l->y, x, &cc) == ERR ||
	    getcchar(&cc, wch, &attrs, &pair, NULL) == ERR)
		return;
	for (n = 0; n < CCHARW_MAX && wch[n]; n++)
		;
	if (n == 0 || n >= CCHARW_MAX || wch[0] == ' ')
		return;
	wch[n] = (wchar_t)cp;
	wch[n + 1] = 0;
	if (setcchar(&cc, wch, attrs, pair, NULL) == OK)
		mvwadd_wch(l->win->w, l->y, x, &cc);
}

static size_t
decode(const unsigned char *s, size_t len, unsigned *cp)
{
	unsigned c = s[0];
	size_t n, i;

	if (c < 0x80 || len < 2) {
		*cp = c;
		return 1;
	}
	n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	if (n > len) {
		*cp = 0xFFFD;
		return len;
	}
	*cp = c & (0xFF >> (n + 1));
	for (i = 1; i < n; i++)
		*cp = (*cp << 6) | (s[i] & 0x3F);
	return n;
}

void
tui_line_add(struct tui_line *l, enum theme_slot slot, const char *s, size_t len)
{
	struct tui_draw *d = l->win->draw;
	unsigned flags = CSF_SAN_KEEP_TAB | (d && !d->utf8 ? CSF_SAN_ASCII : 0);
	const unsigned char *p, *end;
	attr_t attr, ctl;
	int tab = d && d->tab_size > 0 ? d->tab_size : 8;

	if (!l->win->w || l->used >= l->width || !len)
		return;
	attr = slot_attr(l->win, l->over != THEME_COUNT ? l->over : slot);
	ctl = l->over != THEME_COUNT ? attr : slot_attr(l->win, THEME_CONTROL);
	if (d && csf_sanitize_needed(s, len, flags)) {
		csf_buf_reset(&d->scratch);
		csf_sanitize_buf(&d->scratch, s, len, flags);
		s = d->scratch.buf;
		len = d->scratch.len;
	}
	p = (const unsigned char *)s;
	end = p + len;
	while (p < end && l->used < l->width) {
		unsigned cp;
		int w;

		p += decode(p, (size_t)(end - p), &cp);
		if (cp == '\t') {
			size_t stop = (l->col / (size_t)tab + 1) * (size_t)tab;

			while (l->col < stop && l->used < l->width)
				put_cell(l, ' ', 1, attr);
			continue;
		}
		if (cp < 0x80) {
			put_cell(l, cp, 1, attr);
			continue;
		}
		if (cp == 0xFFFD || (!d || !d->utf8)) {
			put_cell(l, d && d->utf8 ? 0xFFFD : '?', 1, ctl);
			continue;
		}
		w = wcwidth((wchar_t)cp);
		if (w == 0) {
			add_combining(l, cp);
			continue;
		}
		if (w < 0 || w > 2) {
			put_cell(l, 0xFFFD, 1, ctl);
			continue;
		}
		put_cell(l, cp, w, attr);
	}
}

void
tui_line_addstr(struct tui_line *l, enum theme_slot slot, const char *s)
{
	tui_line_add(l, slot, s, strlen(s));
}

void
tui_line_addf(struct tui_line *l, enum theme_slot slot, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	tui_line_add(l, slot, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void
tui_line_pad_to(struct tui_line *l, enum theme_slot slot, size_t col)
{
	attr_t attr;

	if (!l->win->w)
		return;
	attr = slot_attr(l->win, l->over != THEME_COUNT ? l->over : slot);
	while (l->col < col && l->used < l->width)
		put_cell(l, ' ', 1, attr);
}

void
tui_line_end(struct tui_line *l, enum theme_slot slot)
{
	attr_t attr;

	if (!l->win->w)
		return;
	attr = slot_attr(l->win, l->over != THEME_COUNT ? l->over : slot);
	while (l->used < l->width) {
		mvwaddch(l->win->w, l->y, l->x0 + l->used, ' ' | attr);
		l->used++;
	}
}

size_t
tui_text_width(struct tui_draw *d, const char *s, size_t len)
{
	unsigned flags = CSF_SAN_KEEP_TAB | (d && !d->utf8 ? CSF_SAN_ASCII : 0);
	const unsigned char *p, *end;
	size_t w = 0;

	if (d && csf_sanitize_needed(s, len, flags)) {
		csf_buf_reset(&d->scratch);
		csf_sanitize_buf(&d->scratch, s, len, flags);
		s = d->scratch.buf;
		len = d->scratch.len;
	}
	p = (const unsigned char *)s;
	end = p + len;
	while (p < end) {
		unsigned cp;
		int cw;

		p += decode(p, (size_t)(end - p), &cp);
		if (cp < 0x80 || !d || !d->utf8) {
			w++;
			continue;
		}
		cw = wcwidth((wchar_t)cp);
		w += cw < 0 ? 1 : (size_t)cw;
	}
	return w;
}

void
tui_win_box(struct tui_win *win, enum theme_slot slot)
{
	attr_t a;

	if (!win->w)
		return;
	a = slot_attr(win, slot);
	if (win->draw && win->draw->utf8)
		wborder(win->w, ACS_VLINE | a, ACS_VLINE | a, ACS_HLINE | a, ACS_HLINE | a,
			ACS_ULCORNER | a, ACS_URCORNER | a, ACS_LLCORNER | a, ACS_LRCORNER | a);
	else
		wborder(win->w, '|' | a, '|' | a, '-' | a, '-' | a, '+' | a, '+' | a, '+' | a,
			'+' | a);
}

void
tui_win_vline(struct tui_win *win, int y, int x, int n, enum theme_slot slot)
{
	attr_t a;

	if (!win->w)
		return;
	a = slot_attr(win, slot);
	mvwvline(win->w, y, x, (win->draw && win->draw->utf8 ? ACS_VLINE : '|') | a, n);
}

/* ==== themes on the terminal ================================================================= */
/* ---- applying ---------------------------------------------------------------------------- */

static unsigned long
curses_attrs(unsigned a)
{
	unsigned long r = A_NORMAL;

	if (a & TUI_ATTR_BOLD)
		r |= A_BOLD;
	if (a & TUI_ATTR_DIM)
		r |= A_DIM;
	if (a & TUI_ATTR_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & TUI_ATTR_REVERSE)
		r |= A_REVERSE;
	if (a & TUI_ATTR_STANDOUT)
		r |= A_STANDOUT;
	if (a & TUI_ATTR_ITALIC)
		r |= A_ITALIC;
	if (a & TUI_ATTR_BLINK)
		r |= A_BLINK;
	return r;
}

/* Maps c onto the terminal's palette; may add bold for bright foregrounds on 8 colours. */
static short
fit_color(short c, bool fg, unsigned long *extra)
{
	if (c < 0)
		return c;
	if (c >= 16 && COLORS < 256)
		c = (short)tui_theme_nearest(c, 0, 16);
	if (c >= 8 && COLORS < 16) {
		c = (short)(c - 8);
		if (fg)
			*extra |= A_BOLD;
	}
	return c;
}

void
tui_theme_apply(struct tui_theme *t, bool colors)
{
	size_t i;

	t->is_mono = false;
	if (!colors || !has_colors()) {
		t->is_mono = true;
		for (i = 0; i < THEME_COUNT; i++) {
			t->attr[i] = curses_attrs(t->mono[i].attrs);
		}
		return;
	}
	start_color();
	use_default_colors();
	for (i = 0; i < THEME_COUNT; i++) {
		unsigned long extra = 0;
		short fg = fit_color(t->slot[i].fg, true, &extra);
		short bg = fit_color(t->slot[i].bg, false, &extra);

		init_pair((short)(i + 1), fg, bg);
		t->attr[i] = curses_attrs(t->slot[i].attrs) | extra | COLOR_PAIR((int)i + 1);
	}
}

enum theme_slot
tui_theme_slot_of_pair(int pair)
{
	if (pair >= 1 && pair <= THEME_COUNT)
		return (enum theme_slot)(pair - 1);
	return THEME_DEFAULT;
}
