#include "views/view.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "core/xalloc.h"
#include "tui/app.h"

/* ==== the registry: one line per view ====================================================== */

static const struct view_ops *const registry[] = {
	&view_workbench_ops,
	&view_help_ops,
	&view_diff_ops,
	&view_preview_ops,
	&view_release_ops,
	&view_tenants_ops,
	&view_scaling_ops,
	&view_traces_ops,
	NULL,
};

const struct view_ops *const *
view_registry(void)
{
	return registry;
}

const struct view_ops *
view_find(const char *name)
{
	size_t i;

	for (i = 0; registry[i]; i++)
		if (!strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}

/* ==== rows and positions =================================================================== */

size_t
view_pane_visible(const struct view_pane *p)
{
	return p->narrowed ? p->nmap : p->nrows;
}

size_t
view_pane_row(const struct view_pane *p, size_t i)
{
	return p->narrowed ? (i < p->nmap ? p->map[i] : SIZE_MAX) : i;
}

int
view_pane_body_h(const struct view_pane *p)
{
	int h = p->h - ((p->flags & VIEW_PANE_HEADER) ? 1 : 0);

	return h < 0 ? 0 : h;
}

/* Visible index of content row `row`; with a narrowed pane, the first visible row at or
 * after it (nmap when none). */
static size_t
index_of(const struct view_pane *p, size_t row)
{
	size_t lo = 0, hi;

	if (!p->narrowed)
		return row;
	hi = p->nmap;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->map[mid] < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
clear_dirty_rows(struct view_pane *p)
{
	p->dirty_row[0] = p->dirty_row[1] = SIZE_MAX;
}

void
view_pane_dirty(struct view *view, unsigned pane)
{
	if (pane < view->npanes)
		view->pane[pane].dirty = true;
}

void
view_dirty(struct view *view)
{
	unsigned i;

	for (i = 0; i < view->npanes; i++)
		view->pane[i].dirty = true;
}

void
view_pane_dirty_row(struct view *view, unsigned pane, size_t lineno)
{
	struct view_pane *p;

	if (pane >= view->npanes)
		return;
	p = &view->pane[pane];
	if (p->dirty_row[0] == SIZE_MAX || p->dirty_row[0] == lineno)
		p->dirty_row[0] = lineno;
	else if (p->dirty_row[1] == SIZE_MAX || p->dirty_row[1] == lineno)
		p->dirty_row[1] = lineno;
	else
		p->dirty = true;
}

void
view_pane_title(struct view *view, unsigned pane, const char *fmt, ...)
{
	va_list ap;

	if (pane >= VIEW_MAX_PANES)
		return;
	csf_buf_reset(&view->pane[pane].title);
	va_start(ap, fmt);
	csf_buf_vaddf(&view->pane[pane].title, fmt, ap);
	va_end(ap);
	view->pane[pane].dirty = true;
}

void
view_set_crumb(struct view *view, const char *fmt, ...)
{
	va_list ap;

	csf_buf_reset(&view->crumb);
	va_start(ap, fmt);
	csf_buf_vaddf(&view->crumb, fmt, ap);
	va_end(ap);
}

/* ==== filter and search ===================================================================== */

static void
build_map(struct view *view, struct app *app, unsigned pane)
{
	struct view_pane *p = &view->pane[pane];
	size_t i;

	p->nmap = 0;
	for (i = 0; i < p->nrows; i++)
		if (view->ops->grep(view, app, pane, i, &p->re)) {
			CSF_GROW(p->map, p->map_alloc, p->nmap + 1);
			p->map[p->nmap++] = i;
		}
	p->narrowed = true;
}

static void
drop_pattern(struct view_pane *p)
{
	if (p->has_re)
		regfree(&p->re);
	p->has_re = false;
	p->narrowed = false;
	p->nmap = 0;
	csf_buf_reset(&p->pattern);
	p->dirty = true;
}

bool
view_search_active(const struct view *view)
{
	return view->focus < view->npanes && view->pane[view->focus].has_re;
}

/* Moves to the next (dir 1) or previous (dir -1) row matching the search, from the cursor
 * (excluded unless include_cursor), wrapping around. Returns false when nothing matches. */
static bool
search_step(struct view *view, struct app *app, int dir, bool include_cursor)
{
	unsigned pane = view->focus;
	struct view_pane *p = &view->pane[pane];
	size_t n = p->nrows, i, row;

	if (!n)
		return false;
	for (i = include_cursor ? 0 : 1; i <= n; i++) {
		row = dir > 0 ? (p->cursor + i) % n : (p->cursor + n - (i % n)) % n;
		if (view->ops->grep(view, app, pane, row, &p->re)) {
			if ((dir > 0 && row < p->cursor) || (dir < 0 && row > p->cursor))
				tui_app_message(app, "search wrapped");
			view_pane_goto(view, app, pane, row);
			return true;
		}
	}
	return false;
}

int
view_set_pattern(struct view *view, struct app *app, const char *pattern, struct csf_error *err)
{
	unsigned pane = view->focus;
	struct view_pane *p = &view->pane[pane];
	int flags = REG_EXTENDED | REG_NOSUB;
	const char *c;
	int rc;

	if (!pattern) {
		size_t row = p->cursor;

		drop_pattern(p);
		view_pane_goto(view, app, pane, row);
		return 0;
	}
	if (!view->ops->grep)
		return csf_fail(err, CSF_E_USAGE, NULL, (struct csf_loc){ 0, 0 },
				"this view cannot be filtered"), -1;
	for (c = pattern; *c && !isupper((unsigned char)*c); c++)
		;
	if (!*c)
		flags |= REG_ICASE;
	drop_pattern(p);
	rc = regcomp(&p->re, pattern, flags);
	if (rc) {
		char msg[200];

		regerror(rc, &p->re, msg, sizeof(msg));
		return csf_fail(err, CSF_E_USAGE, NULL, (struct csf_loc){ 0, 0 },
				"bad pattern '%s': %s", pattern, msg), -1;
	}
	p->has_re = true;
	csf_buf_addstr(&p->pattern, pattern);
	if (p->flags & VIEW_PANE_NARROW) {
		size_t first;

		build_map(view, app, pane);
		p->top = 0;
		first = index_of(p, p->cursor);
		if (first >= p->nmap)
			first = 0;
		if (p->nmap)
			view_pane_goto(view, app, pane, p->map[first]);
		tui_app_message(app, "filter /%s: %zu of %zu rows (Esc clears)", pattern, p->nmap,
				p->nrows);
	} else if (!search_step(view, app, 1, true)) {
		tui_app_error(app, "pattern not found: %s", pattern);
		drop_pattern(p);
	}
	p->dirty = true;
	return 0;
}

/* ==== cursor and scrolling ================================================================= */

/* Scrolls so that visible index idx is in view; far jumps centre it. */
static void
scroll_to(struct view_pane *p, size_t idx)
{
	size_t bh = (size_t)view_pane_body_h(p), old = p->top, vis = view_pane_visible(p);

	if (!bh)
		return;
	if (idx < p->top) {
		p->top = p->top - idx > bh ? (idx > bh / 2 ? idx - bh / 2 : 0) : idx;
	} else if (idx >= p->top + bh) {
		p->top = idx - (p->top + bh) >= bh ? idx - bh / 2 : idx - bh + 1;
	}
	if (vis > bh && p->top > vis - bh)
		p->top = vis - bh;
	if (vis <= bh)
		p->top = 0;
	if (p->top != old) {
		long d = (long)p->top - (long)old;

		if (!p->dirty && labs(d + p->scrolled) < (long)bh)
			p->scrolled += d;
		else
			p->dirty = true;
	}
}

void
view_pane_goto(struct view *view, struct app *app, unsigned pane, size_t lineno)
{
	struct view_pane *p;
	size_t idx, old;

	if (pane >= view->npanes)
		return;
	p = &view->pane[pane];
	if (!p->nrows) {
		p->cursor = 0;
		return;
	}
	if (lineno >= p->nrows)
		lineno = p->nrows - 1;
	if (p->narrowed) {
		idx = index_of(p, lineno);
		if (idx >= p->nmap || p->map[idx] != lineno) {
			drop_pattern(p);
			idx = lineno;
		}
	} else {
		idx = lineno;
	}
	old = p->cursor;
	p->cursor = lineno;
	scroll_to(p, idx);
	view_pane_dirty_row(view, pane, old);
	view_pane_dirty_row(view, pane, lineno);
	if (view->ops->select)
		view->ops->select(view, app, pane, lineno);
	app->pending |= TUI_REDRAW;
}

void
view_pane_set_rows(struct view *view, struct app *app, unsigned pane, size_t nrows)
{
	struct view_pane *p;

	if (pane >= VIEW_MAX_PANES)
		return;
	p = &view->pane[pane];
	p->nrows = nrows;
	if (p->narrowed && view->ops->grep)
		build_map(view, app, pane);
	if (p->cursor >= nrows)
		p->cursor = nrows ? nrows - 1 : 0;
	if (p->top >= view_pane_visible(p))
		p->top = 0;
	scroll_to(p, index_of(p, p->cursor));
	p->dirty = true;
}

void
view_focus(struct view *view, unsigned pane)
{
	if (pane >= view->npanes || pane == view->focus)
		return;
	view->pane[view->focus].dirty = true;
	view->focus = pane;
	view->pane[pane].dirty = true;
}

static void scroll_lines(struct view *view, struct app *app, long delta);

/* Moves the cursor of the focused pane by delta visible rows. */
static void
move_cursor(struct view *view, struct app *app, long delta)
{
	struct view_pane *p = &view->pane[view->focus];
	size_t vis = view_pane_visible(p), idx;
	long to;

	if (!vis)
		return;
	if (!(p->flags & VIEW_PANE_CURSOR)) {
		scroll_lines(view, app, delta);	/* a pager pane: moving is scrolling */
		return;
	}
	idx = index_of(p, p->cursor);
	to = (long)idx + delta;
	if (to < 0)
		to = 0;
	if ((size_t)to >= vis)
		to = (long)vis - 1;
	view_pane_goto(view, app, view->focus, view_pane_row(p, (size_t)to));
}

/* Scrolls the focused pane by delta rows, keeping the cursor inside the window. */
static void
scroll_lines(struct view *view, struct app *app, long delta)
{
	struct view_pane *p = &view->pane[view->focus];
	size_t vis = view_pane_visible(p), bh = (size_t)view_pane_body_h(p), idx, old = p->top;
	long to = (long)p->top + delta;

	if (!vis || !bh || vis <= bh)
		return;
	if (to < 0)
		to = 0;
	if ((size_t)to > vis - bh)
		to = (long)(vis - bh);
	if ((size_t)to == old)
		return;
	p->top = (size_t)to;
	if (!p->dirty && labs((long)p->top - (long)old + p->scrolled) < (long)bh)
		p->scrolled += (long)p->top - (long)old;
	else
		p->dirty = true;
	idx = index_of(p, p->cursor);
	if (idx < p->top)
		view_pane_goto(view, app, view->focus, view_pane_row(p, p->top));
	else if (idx >= p->top + bh)
		view_pane_goto(view, app, view->focus, view_pane_row(p, p->top + bh - 1));
	app->pending |= TUI_REDRAW;
}

enum request
view_handle_shared(struct view *view, struct app *app, enum request req)
{
	struct view_pane *p = &view->pane[view->focus];
	long page = view_pane_body_h(p) > 1 ? view_pane_body_h(p) - 1 : 1;
	unsigned i;

	switch (req) {
	case REQ_MOVE_UP:
		move_cursor(view, app, -1);
		break;
	case REQ_MOVE_DOWN:
		move_cursor(view, app, 1);
		break;
	case REQ_MOVE_PAGE_UP:
		move_cursor(view, app, -page);
		break;
	case REQ_MOVE_PAGE_DOWN:
		move_cursor(view, app, page);
		break;
	case REQ_MOVE_HALF_UP:
		move_cursor(view, app, -(page + 1) / 2);
		break;
	case REQ_MOVE_HALF_DOWN:
		move_cursor(view, app, (page + 1) / 2);
		break;
	case REQ_MOVE_FIRST:
		move_cursor(view, app, -(long)view_pane_visible(p));
		break;
	case REQ_MOVE_LAST:
		move_cursor(view, app, (long)view_pane_visible(p));
		break;
	case REQ_SCROLL_LINE_UP:
		scroll_lines(view, app, -1);
		break;
	case REQ_SCROLL_LINE_DOWN:
		scroll_lines(view, app, 1);
		break;
	case REQ_SCROLL_LEFT:
		if (p->hscroll) {
			p->hscroll = p->hscroll > 8 ? p->hscroll - 8 : 0;
			p->dirty = true;
		}
		break;
	case REQ_SCROLL_RIGHT:
		p->hscroll += 8;
		p->dirty = true;
		break;
	case REQ_ZOOM:
		if (view->npanes < 2)
			return REQ_NONE;
		view->zoomed = !view->zoomed;
		app->pending |= TUI_RELAYOUT;
		break;
	case REQ_NEXT_PANE:
	case REQ_PREV_PANE:
		for (i = 1; i < view->npanes; i++) {
			unsigned k = req == REQ_NEXT_PANE ? (view->focus + i) % view->npanes :
				     (view->focus + view->npanes - i) % view->npanes;

			if (view->zoomed) {
				view_focus(view, k);
				app->pending |= TUI_RELAYOUT;
				break;
			}
			if (view->pane[k].h > 0 && view->pane[k].w > 0) {
				view_focus(view, k);
				break;
			}
		}
		break;
	case REQ_FIND_NEXT:
	case REQ_FIND_PREV:
		if (!p->has_re) {
			tui_app_message(app, "no search: press / first");
			break;
		}
		if (p->narrowed)
			move_cursor(view, app, req == REQ_FIND_NEXT ? 1 : -1);
		else if (!search_step(view, app, req == REQ_FIND_NEXT ? 1 : -1, false))
			tui_app_error(app, "pattern not found: %s", p->pattern.buf);
		break;
	case REQ_SEARCH_CLEAR:
		if (!p->has_re)
			return REQ_VIEW_BACK;
		view_set_pattern(view, app, NULL, NULL);
		tui_app_message(app, "filter cleared");
		break;
	default:
		return req;
	}
	app->pending |= TUI_REDRAW;
	return REQ_NONE;
}

/* ==== life cycle ============================================================================ */

struct view *
view_new(const struct view_ops *ops, struct app *app, const char *arg, struct csf_error *err)
{
	struct view *v = csf_xcalloc(1, sizeof(*v));
	unsigned i;

	v->ops = ops;
	v->priv = ops->private_size ? csf_xcalloc(1, ops->private_size) : NULL;
	v->arg = arg ? csf_xstrdup(arg) : NULL;
	v->npanes = 1;
	csf_buf_init(&v->crumb, 0);
	for (i = 0; i < VIEW_MAX_PANES; i++) {
		csf_buf_init(&v->pane[i].title, 0);
		csf_buf_init(&v->pane[i].pattern, 0);
		clear_dirty_rows(&v->pane[i]);
		v->pane[i].dirty = true;
	}
	if (ops->open && ops->open(v, app, err) != 0) {
		v->ops = NULL;	/* .close is not called after a failed .open */
		view_free(v);
		return NULL;
	}
	return v;
}

void
view_free(struct view *view)
{
	unsigned i;

	if (!view)
		return;
	if (view->ops && view->ops->close)
		view->ops->close(view);
	for (i = 0; i < VIEW_MAX_PANES; i++) {
		struct view_pane *p = &view->pane[i];

		if (p->has_re)
			regfree(&p->re);
		free(p->map);
		csf_buf_release(&p->title);
		csf_buf_release(&p->pattern);
		tui_win_delete(&p->win);
	}
	csf_buf_release(&view->crumb);
	free(view->priv);
	free(view->arg);
	free(view);
}

void
view_layout(struct view *view, struct app *app, int y, int x, int h, int w)
{
	unsigned i;

	view->y = y;
	view->x = x;
	view->h = h;
	view->w = w;
	if (view->zoomed) {
		for (i = 0; i < view->npanes; i++) {
			view->pane[i].y = y;
			view->pane[i].x = x;
			view->pane[i].h = i == view->focus ? h : 0;
			view->pane[i].w = i == view->focus ? w : 0;
		}
	} else if (view->ops->layout) {
		view->ops->layout(view, app);
	} else {
		view->pane[0].y = y;
		view->pane[0].x = x;
		view->pane[0].h = h;
		view->pane[0].w = w;
	}
	for (i = 0; i < view->npanes; i++) {
		struct view_pane *p = &view->pane[i];

		tui_win_place(&p->win, &app->draw, p->y, p->x, p->h, p->w);
		if (p->win.w) {
			int hdr = (p->flags & VIEW_PANE_HEADER) ? 1 : 0;

			scrollok(p->win.w, FALSE);
			if (p->h > hdr + 1)
				wsetscrreg(p->win.w, hdr, p->h - 1);
		}
		p->dirty = true;
		p->scrolled = 0;
		scroll_to(p, index_of(p, p->cursor));
		p->scrolled = 0;
	}
}

/* ==== drawing =============================================================================== */

static int
content_w(const struct view *view, const struct view_pane *p)
{
	return p->x + p->w < view->x + view->w ? p->w - 1 : p->w;
}

static void
draw_header(struct view *view, struct app *app, unsigned pane)
{
	struct view_pane *p = &view->pane[pane];
	enum theme_slot s = pane == view->focus && view->npanes > 1 ? THEME_PANE_HEADER_FOCUS :
			    THEME_PANE_HEADER;
	struct tui_line l;
	char pos[96];
	size_t vis = view_pane_visible(p), pw;

	if (!(p->flags & VIEW_PANE_HEADER))
		return;
	if (p->narrowed)
		snprintf(pos, sizeof(pos), " [/%.40s] %zu/%zu of %zu ", p->pattern.buf,
			 vis ? index_of(p, p->cursor) + 1 : 0, vis, p->nrows);
	else if (p->has_re)
		snprintf(pos, sizeof(pos), " [/%.40s] %zu/%zu ", p->pattern.buf,
			 p->nrows ? p->cursor + 1 : 0, p->nrows);
	else
		snprintf(pos, sizeof(pos), " %zu/%zu ", p->nrows ? p->cursor + 1 : 0, p->nrows);
	pw = tui_text_width(&app->draw, pos, strlen(pos));
	/* The position stays; the title gives way when both do not fit. */
	if ((int)pw > content_w(view, p) - 4)
		pw = 0;
	tui_line_begin(&l, &p->win, 0, 0, content_w(view, p) - (int)pw, 0, THEME_COUNT);
	tui_line_addstr(&l, s, " ");
	tui_line_add(&l, s, p->title.buf, p->title.len);
	tui_line_end(&l, s);
	if (pw) {
		tui_line_begin(&l, &p->win, 0, content_w(view, p) - (int)pw, (int)pw, 0,
			       THEME_COUNT);
		tui_line_addstr(&l, s, pos);
	}
	tui_line_end(&l, s);
}

static void
draw_row(struct view *view, struct app *app, unsigned pane, size_t idx)
{
	struct view_pane *p = &view->pane[pane];
	int hdr = (p->flags & VIEW_PANE_HEADER) ? 1 : 0;
	int y = hdr + (int)(idx - p->top);
	size_t row = view_pane_row(p, idx);
	enum theme_slot over = THEME_COUNT;
	struct tui_line l;

	if (idx < p->top || y >= p->h)
		return;
	if (row == SIZE_MAX || row >= p->nrows) {
		tui_line_begin(&l, &p->win, y, 0, content_w(view, p), 0, THEME_COUNT);
		tui_line_end(&l, THEME_DEFAULT);
		return;
	}
	bool mark = false;

	if ((p->flags & VIEW_PANE_CURSOR) && row == p->cursor) {
		if (p->flags & VIEW_PANE_CURSOR_MARK)
			mark = true;
		else
			over = pane == view->focus ? THEME_CURSOR : THEME_CURSOR_UNFOCUS;
	} else if (p->has_re && !p->narrowed && view->ops->grep(view, app, pane, row, &p->re)) {
		over = THEME_SEARCH_MATCH;
	}
	tui_line_begin(&l, &p->win, y, 0, content_w(view, p), p->hscroll, over);
	l.cursor = mark;
	l.cursor_slot = pane == view->focus ? THEME_CURSOR : THEME_CURSOR_UNFOCUS;
	view->ops->draw_line(view, app, pane, &l, row);
	tui_line_end(&l, THEME_DEFAULT);
}

static void
draw_dirty_row(struct view *view, struct app *app, unsigned pane, size_t row)
{
	struct view_pane *p = &view->pane[pane];
	size_t idx, bh = (size_t)view_pane_body_h(p);

	if (row == SIZE_MAX || row >= p->nrows)
		return;
	idx = index_of(p, row);
	if (p->narrowed && (idx >= p->nmap || p->map[idx] != row))
		return;
	if (idx >= p->top && idx < p->top + bh)
		draw_row(view, app, pane, idx);
}

void
view_draw(struct view *view, struct app *app, bool full)
{
	unsigned i;

	for (i = 0; i < view->npanes; i++) {
		struct view_pane *p = &view->pane[i];
		size_t bh = (size_t)view_pane_body_h(p), k;
		bool drawn = false;

		if (!p->win.w)
			continue;
		if (full || p->dirty) {
			tui_win_erase(&p->win, THEME_DEFAULT);
			if (content_w(view, p) < p->w)
				tui_win_vline(&p->win, 0, p->w - 1, p->h, THEME_PANE_HEADER);
			draw_header(view, app, i);
			for (k = 0; k < bh; k++)
				draw_row(view, app, i, p->top + k);
			if (!p->nrows && p->empty && bh) {
				struct tui_line l;
				int hdr = (p->flags & VIEW_PANE_HEADER) ? 1 : 0;

				tui_line_begin(&l, &p->win, hdr, 0, content_w(view, p), 0, THEME_COUNT);
				tui_line_addstr(&l, THEME_LIST_DIM, p->empty);
			}
			drawn = true;
		} else if (p->scrolled || p->dirty_row[0] != SIZE_MAX) {
			if (p->scrolled) {
				long d = p->scrolled;
				size_t n = (size_t)labs(d);

				scrollok(p->win.w, TRUE);
				wscrl(p->win.w, (int)d);
				scrollok(p->win.w, FALSE);
				for (k = 0; k < n && k < bh; k++)
					draw_row(view, app, i, d > 0 ? p->top + bh - 1 - k : p->top + k);
				if (content_w(view, p) < p->w)
					tui_win_vline(&p->win, 0, p->w - 1, p->h, THEME_PANE_HEADER);
			}
			draw_dirty_row(view, app, i, p->dirty_row[0]);
			draw_dirty_row(view, app, i, p->dirty_row[1]);
			draw_header(view, app, i);
			drawn = true;
		}
		if (drawn || full)
			wnoutrefresh(p->win.w);
		p->dirty = false;
		p->scrolled = 0;
		clear_dirty_rows(p);
	}
}
