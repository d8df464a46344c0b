/* Views: one screen each, written as a table of operations (tig's view_ops, with contracts).
 *
 * ADDING A VIEW (e.g. views/preview.c):
 *   1. Write `const struct view_ops view_preview_ops = { .name = "preview", … };` with
 *      designated initialisers; keep everything else in the file static.
 *   2. Add one line `&view_preview_ops,` to the registry in views/view.c (and the extern
 *      declaration below it). That gives the view `:preview [ARG]` on the command line
 *      (completed by .complete), a keymap named "preview" in keymap files, and a place in
 *      the help view.
 *   3. Optionally add a request REQ_VIEW_PREVIEW to tui/request.h and bind it in
 *      keymaps/default.keys; the global handler opens any view whose request is
 *      .open_request. View-specific actions are requests too, handled in .handle.
 *   4. Every new binding gets pressed in tests/screen/actions.sh (the test fails otherwise);
 *      `make update-docs` refreshes the action table of man/csf-tui-keys.5, and
 *      `make test-screen UPDATE=1` the help-view goldens (review the diff).
 *
 * A view owns 1..VIEW_MAX_PANES panes. A pane is a scrolling list of rows (a file's lines,
 * the findings, the workspace list); the framework keeps its cursor, scrolling, horizontal
 * scroll, filter and search, draws its header and rows (calling .draw_line for visible rows
 * only, so a pane of a million rows costs what fits on the screen) and redraws only rows that
 * changed. The view only says how many rows there are, how to draw one, and what to do with
 * requests.
 *
 * Requests reach the top view first: .handle returns REQ_NONE for what it consumed, any other
 * request goes on to the shared handler (view_handle_shared: movement, panes, search) and then
 * to the global handler (tui/app.c: help, back, quit, prompt, options).
 */
#ifndef CSF_VIEWS_VIEW_H
#define CSF_VIEWS_VIEW_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"
#include "tui/request.h"
#include "tui/win.h"

struct app;

#define VIEW_MAX_PANES 4

enum view_flag {
	VIEW_NO_FLAGS = 0,
	VIEW_ROOT = 1 << 0,		/* view-back does not close it (the first screen) */
	VIEW_WORKSPACE = 1 << 1,	/* .reload is called when the workspace changes */
};

/* What the argument of `:name ARG` names, for Tab completion. */
enum view_complete {
	VIEW_COMPLETE_NONE,
	VIEW_COMPLETE_BLUEPRINT,
	VIEW_COMPLETE_TENANT,
	VIEW_COMPLETE_ENV,
	VIEW_COMPLETE_FILE,
};

enum view_pane_flag {
	VIEW_PANE_CURSOR = 1 << 0,	/* rows are selectable: draw a cursor row */
	VIEW_PANE_NARROW = 1 << 1,	/* `/` narrows the rows to matches (lists); without it
					 * `/` searches and n/N jump between matches (text) */
	VIEW_PANE_HEADER = 1 << 2,	/* draw a header row with .title and the position */
	VIEW_PANE_CURSOR_MARK = 1 << 3,	/* with CURSOR: the view marks the cursor row itself
					 * (line->cursor), e.g. only its line number, so
					 * moving the cursor rewrites a few cells, not rows */
};

struct view_pane {
	/* Set by the view (in .open, .layout or whenever they change). */
	unsigned flags;			/* VIEW_PANE_* */
	struct csf_buf title;		/* header text (sanitized when drawn) */
	const char *empty;		/* shown when the pane has no rows, or NULL (static) */
	size_t nrows;			/* rows of content; call view_pane_set_rows() to change */
	int y, x, h, w;			/* the rectangle, header included; set in .layout */

	/* Kept by the framework; read freely, change only through view_pane_* calls. */
	size_t cursor;			/* selected row, as a content row (0-based) */
	size_t top;			/* first visible row, as an index into the visible rows */
	size_t hscroll;			/* display columns scrolled to the left */
	regex_t re;			/* the filter or search, when has_re */
	bool has_re;
	struct csf_buf pattern;		/* as typed */
	size_t *map;			/* narrowed: visible index → content row */
	size_t nmap, map_alloc;
	bool narrowed;			/* map is in use */
	bool dirty;			/* redraw every row */
	size_t dirty_row[2];		/* content rows to redraw (SIZE_MAX: none) */
	long scrolled;			/* rows the content moved up (<0: down) since the last
					 * draw; drawn with wscrl plus the exposed rows */
	struct tui_win win;
};

struct view {
	const struct view_ops *ops;
	void *priv;			/* ops->private_size bytes, zeroed before .open */
	struct view_pane pane[VIEW_MAX_PANES];
	unsigned npanes;		/* set by the view in .open (default 1) */
	unsigned focus;			/* the focused pane */
	bool zoomed;			/* the focused pane fills the view (REQ_ZOOM) */
	char *arg;			/* the ARG of `:name ARG`, or NULL. Owned by the view */
	struct csf_buf crumb;		/* breadcrumb text after the name ("BookingService") */
	int y, x, h, w;			/* the body area the view was laid out in */
};

struct view_ops {
	/* The view's name: the `:name` command, the keymap name in keymap files, and the first
	 * breadcrumb. Lower case, [a-z-]. */
	const char *name;
	/* One line for the help view and the command list. */
	const char *help;
	/* VIEW_* flags. */
	unsigned flags;
	/* Bytes of per-view state the framework allocates (zeroed) into view->priv before .open
	 * and frees after .close. */
	size_t private_size;
	/* The request that opens this view from a key (REQ_NONE: only `:name`). */
	enum request open_request;
	/* What `:name ARG` completes (VIEW_COMPLETE_NONE: the view takes no argument). */
	enum view_complete complete;

	/* Called once when the view is pushed, after priv is allocated and view->arg set. Set
	 * view->npanes, pane flags and rows. Return 0, or a non-zero enum csf_status with err
	 * filled: the view is then not shown and err->msg is shown as a message. The app (and
	 * everything reachable from it) outlives the view. */
	int (*open)(struct view *view, struct app *app, struct csf_error *err);

	/* Called once when the view is popped or the app quits; release what .open acquired
	 * (not priv itself). May be NULL. */
	void (*close)(struct view *view);

	/* Called after .open and whenever the body area changes (resize, options). Set the
	 * rectangle of every pane inside (view->y, x, h, w). May be NULL: one pane fills the
	 * area. Windows are (re)created by the framework afterwards. */
	void (*layout)(struct view *view, struct app *app);

	/* Draws content row `lineno` (< pane->nrows) of pane `pane` into `line`, which is
	 * already positioned on the right screen row, clipped to the pane and scrolled by
	 * pane->hscroll; draw with tui_line_add*() and the framework fills the rest. The cursor
	 * row is drawn with line->over set, so segments need no special case. Pointers are
	 * valid only during the call. Must not change the view's rows. */
	void (*draw_line)(struct view *view, struct app *app, unsigned pane, struct tui_line *line,
			  size_t lineno);

	/* Called first for every request while the view is on top. Return REQ_NONE when
	 * consumed; return req (or another request, to translate it) to pass it on. May be
	 * NULL. */
	enum request (*handle)(struct view *view, struct app *app, enum request req);

	/* Called when the cursor of pane `pane` lands on content row lineno (moves, jumps,
	 * filters, .open). Typical use: update a dependent pane. May be NULL. */
	void (*select)(struct view *view, struct app *app, unsigned pane, size_t lineno);

	/* True when content row lineno of pane `pane` matches re (the `/` filter and search).
	 * May be NULL: then the pane cannot be filtered and `/` says so. */
	bool (*grep)(struct view *view, struct app *app, unsigned pane, size_t lineno,
		     const regex_t *re);

	/* Called for VIEW_WORKSPACE views after the workspace was reloaded or re-linted
	 * (file saved, `:lint`, tenant or environment changed). Pointers into the old
	 * workspace are invalid by now. May be NULL. */
	void (*reload)(struct view *view, struct app *app);

	/* Called with the text after `:name ` when the view is already on top and the command
	 * names it again (`:blueprint Other`). May be NULL (the argument is then ignored). */
	void (*set_arg)(struct view *view, struct app *app, const char *arg);

	/* The file and 1-based line the cursor is on, for `e` (edit) and `:edit`; return false
	 * when there is none. *path is borrowed until the next request. May be NULL. */
	bool (*cursor_file)(struct view *view, struct app *app, const char **path,
			    unsigned *line);
};

/* ---- the registry ------------------------------------------------------------------------ */

extern const struct view_ops view_workbench_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_diff_ops;
extern const struct view_ops view_preview_ops;
extern const struct view_ops view_release_ops;
extern const struct view_ops view_tenants_ops;
extern const struct view_ops view_scaling_ops;
extern const struct view_ops view_traces_ops;

/* The registered views, NULL-terminated, in registry order. Static storage. */
const struct view_ops *const *view_registry(void);
/* The view named name, or NULL. */
const struct view_ops *view_find(const char *name);

/* ---- lifecycle (called by tui/app.c) ----------------------------------------------------- */

/* Allocates a view of ops and calls .open. Returns NULL (and err) when .open fails. arg may
 * be NULL; it is copied. Caller owns the result; free with view_free(). */
struct view *view_new(const struct view_ops *ops, struct app *app, const char *arg,
		      struct csf_error *err);
/* Calls .close and frees everything. NULL is a no-op. */
void view_free(struct view *view);

/* Lays the view out in the body area and (re)creates pane windows; marks it dirty. */
void view_layout(struct view *view, struct app *app, int y, int x, int h, int w);

/* Draws what is dirty: pane headers and rows, ending with wnoutrefresh per pane. full
 * redraws every row (after a dialog closed or a theme change). */
void view_draw(struct view *view, struct app *app, bool full);

/* The shared handler: movement, scrolling, panes, filter/search requests. Returns REQ_NONE
 * when consumed. */
enum request view_handle_shared(struct view *view, struct app *app, enum request req);

/* ---- helpers for views ------------------------------------------------------------------- */

/* Sets the row count of a pane (clamping cursor and top, dropping a narrowed map, which is
 * rebuilt when a filter is active), and marks it dirty. */
void view_pane_set_rows(struct view *view, struct app *app, unsigned pane, size_t nrows);

/* Moves the cursor of a pane to content row lineno (clamped), scrolls it into view (centred
 * when it was far away), calls .select, and marks what changed. When the pane is narrowed and
 * lineno is filtered out, the filter is cleared first. */
void view_pane_goto(struct view *view, struct app *app, unsigned pane, size_t lineno);

/* Marks a whole pane, or one content row of it, for redraw. */
void view_pane_dirty(struct view *view, unsigned pane);
void view_pane_dirty_row(struct view *view, unsigned pane, size_t lineno);
void view_dirty(struct view *view);

/* Focuses pane `pane` (redraws both headers and cursor rows). */
void view_focus(struct view *view, unsigned pane);

/* Sets (pattern non-NULL) or clears (NULL) the filter/search of the focused pane. Returns 0,
 * or -1 with a message in err for a bad regular expression or a pane without .grep. Search
 * is case-insensitive unless the pattern has an upper-case letter. */
int view_set_pattern(struct view *view, struct app *app, const char *pattern,
		     struct csf_error *err);

/* True when the focused pane has an active filter or search (the "search" keymap applies). */
bool view_search_active(const struct view *view);

/* Rows visible in a pane (after narrowing) and the content row of visible index i. */
size_t view_pane_visible(const struct view_pane *p);
size_t view_pane_row(const struct view_pane *p, size_t i);

/* Body rows available for content in a pane (its height minus the header row). */
int view_pane_body_h(const struct view_pane *p);

/* The view's pane title, set with printf formatting. */
void view_pane_title(struct view *view, unsigned pane, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets the breadcrumb shown after the view name in the title bar. */
void view_set_crumb(struct view *view, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
