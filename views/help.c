/* The help view: every action with the keys bound to it in the keymap of the view it was
 * opened from (then generic, then the search keymap), every `:` command and every view. It is
 * generated from the request table, the keymaps and the command table, so it is always
 * right, including after :bind and user keymap files. */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/cmdline.h"
#include "views/view.h"

enum help_kind {
	HELP_HEADING,
	HELP_ACTION,
	HELP_COMMAND,
	HELP_BLANK,
};

struct help_row {
	enum help_kind kind;
	char *keys;		/* keys, or the command with its arguments */
	char *name;		/* action name */
	const char *help;
};

/* A screen line: part of a row's help text (the first line also shows the keys and name). */
struct help_line {
	size_t row;
	size_t off, len;	/* the help text shown on this line */
};

struct help {
	struct help_row *rows;
	size_t n, alloc;
	struct help_line *lines;	/* rows wrapped to the pane width (see help_layout) */
	size_t nlines, lines_alloc;
	int wrap_w;			/* the pane width the lines were made for */
	char *keymap;		/* the keymap described */
};

/* Where the help text starts (after the keys and the action name). */
#define HELP_TEXT_COL 40

static void
add_row(struct help *h, enum help_kind kind, const char *keys, const char *name, const char *help)
{
	struct help_row *r;

	CSF_GROW(h->rows, h->alloc, h->n + 1);
	r = &h->rows[h->n++];
	r->kind = kind;
	r->keys = keys ? csf_xstrdup(keys) : NULL;
	r->name = name ? csf_xstrdup(name) : NULL;
	r->help = help;
}

/* The keys that reach req through the chain (keymap, generic): bindings in either map
 * that the lookup resolves to req, so unbinding and overrides show as they act. */
static void
keys_for(struct app *app, const char *keymap, const char *const *chain, size_t nchain,
	 enum request req, struct csf_buf *out)
{
	size_t c, i, k;

	for (c = 0; c < nchain; c++) {
		const struct tui_keymap *m = tui_keymaps_get(&app->keymaps, chain[c]);

		(void)keymap;
		for (i = 0; m && i < m->n; i++) {
			const struct tui_binding *b = &m->b[i];
			enum request got = REQ_UNKNOWN;
			char kn[32];

			if (b->req != req ||
			    tui_keymaps_lookup(&app->keymaps, chain, nchain, b->keys, b->nkeys,
					       &got) != TUI_KEY_MATCH || got != req)
				continue;
			if (out->len)
				csf_buf_addstr(out, " ");
			for (k = 0; k < b->nkeys; k++)
				csf_buf_addstr(out, tui_key_name(b->keys[k], kn, sizeof(kn)));
		}
	}
}

static void
build(struct help *h, struct app *app)
{
	const struct tui_request_info *t;
	const char *chain[2] = { h->keymap, "generic" };
	const char *search_chain[3] = { "search", h->keymap, "generic" };
	const char *group = NULL, *name, *args, *help;
	struct csf_buf keys = CSF_BUF_INIT, line = CSF_BUF_INIT;
	char rname[32];
	size_t n, i;

	t = tui_request_table(&n);
	csf_buf_addf(&line, "Keys in the %s view (keymaps: %s, generic)", h->keymap, h->keymap);
	add_row(h, HELP_HEADING, line.buf, NULL, NULL);
	for (i = 0; i < n; i++) {
		if (!group || strcmp(group, t[i].group)) {
			group = t[i].group;
			add_row(h, HELP_BLANK, NULL, NULL, NULL);
			add_row(h, HELP_HEADING, group, NULL, NULL);
		}
		csf_buf_reset(&keys);
		keys_for(app, h->keymap, chain, 2, t[i].req, &keys);
		add_row(h, HELP_ACTION, keys.buf, tui_request_name(t[i].req, rname, sizeof(rname)),
			t[i].help);
	}
	add_row(h, HELP_BLANK, NULL, NULL, NULL);
	add_row(h, HELP_HEADING, "While a filter or search is active (keymap: search)", NULL, NULL);
	for (i = 0; i < n; i++) {
		const struct tui_keymap *m = tui_keymaps_get(&app->keymaps, "search");

		if (!m)
			break;
		csf_buf_reset(&keys);
		keys_for(app, "search", search_chain, 1, t[i].req, &keys);
		if (keys.len)
			add_row(h, HELP_ACTION, keys.buf,
				tui_request_name(t[i].req, rname, sizeof(rname)), t[i].help);
	}
	add_row(h, HELP_BLANK, NULL, NULL, NULL);
	add_row(h, HELP_HEADING, "Commands (press : then Tab to complete)", NULL, NULL);
	for (i = 0; tui_cmdline_command(i, &name, &args, &help); i++) {
		csf_buf_reset(&line);
		csf_buf_addf(&line, ":%s%s%s", name, *args ? " " : "", args);
		add_row(h, HELP_COMMAND, line.buf, NULL, help);
	}
	for (i = 0; view_registry()[i]; i++) {
		const struct view_ops *v = view_registry()[i];

		csf_buf_reset(&line);
		csf_buf_addf(&line, ":%s%s", v->name, v->complete != VIEW_COMPLETE_NONE ? " [ARG]" :
			     "");
		add_row(h, HELP_COMMAND, line.buf, NULL, v->help);
	}
	add_row(h, HELP_COMMAND, ":ACTION", NULL, "run any action above by its name");
	csf_buf_release(&keys);
	csf_buf_release(&line);
}

static void
add_line(struct help *h, size_t row, size_t off, size_t len)
{
	CSF_GROW(h->lines, h->lines_alloc, h->nlines + 1);
	h->lines[h->nlines].row = row;
	h->lines[h->nlines].off = off;
	h->lines[h->nlines].len = len;
	h->nlines++;
}

/* One line per row, the help text wrapped at spaces to `room` columns (when it is wide enough
 * to be worth it), so that an 80-column terminal shows whole descriptions. */
static void
wrap(struct help *h, int room)
{
	size_t r;

	h->nlines = 0;
	for (r = 0; r < h->n; r++) {
		const char *t = h->rows[r].help;
		size_t len = t ? strlen(t) : 0, off = 0;

		if (room < 20 || len <= (size_t)room) {
			add_line(h, r, 0, len);
			continue;
		}
		while (off < len) {
			size_t n = len - off, cut;

			if (n > (size_t)room) {
				for (cut = (size_t)room; cut > 0 && t[off + cut] != ' '; cut--)
					;
				n = cut ? cut : (size_t)room;
			}
			add_line(h, r, off, n);
			off += n;
			while (off < len && t[off] == ' ')
				off++;
		}
	}
}

static void
help_layout(struct view *view, struct app *app)
{
	struct help *h = view->priv;
	struct view_pane *p = &view->pane[0];
	size_t row = h->nlines ? h->lines[p->cursor < h->nlines ? p->cursor : 0].row : 0, i;

	p->y = view->y;
	p->x = view->x;
	p->h = view->h;
	p->w = view->w;
	if (h->nlines && h->wrap_w == view->w)
		return;
	h->wrap_w = view->w;
	wrap(h, view->w - HELP_TEXT_COL - 1);
	view_pane_set_rows(view, app, 0, h->nlines);
	for (i = 0; i < h->nlines; i++)
		if (h->lines[i].row == row && !h->lines[i].off) {
			view_pane_goto(view, app, 0, i);
			break;
		}
}

static int
help_open(struct view *view, struct app *app, struct csf_error *err)
{
	struct help *h = view->priv;
	struct view *below = tui_app_top(app);

	(void)err;
	h->keymap = csf_xstrdup(below ? below->ops->name : "generic");
	build(h, app);
	view->pane[0].flags = VIEW_PANE_CURSOR | VIEW_PANE_NARROW | VIEW_PANE_HEADER;
	view_pane_title(view, 0, "Help: %s", h->keymap);
	view_set_crumb(view, "%s", h->keymap);
	h->wrap_w = -1;
	wrap(h, 0);
	view_pane_set_rows(view, app, 0, h->nlines);
	return 0;
}

static void
help_close(struct view *view)
{
	struct help *h = view->priv;
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->rows[i].keys);
		free(h->rows[i].name);
	}
	free(h->rows);
	free(h->lines);
	free(h->keymap);
}

static void
help_draw(struct view *view, struct app *app, unsigned pane, struct tui_line *l, size_t lineno)
{
	struct help *h = view->priv;
	const struct help_line *hl = &h->lines[lineno];
	const struct help_row *r = &h->rows[hl->row];

	(void)app;
	(void)pane;
	if (hl->off) {
		tui_line_pad_to(l, THEME_DEFAULT, HELP_TEXT_COL);
		tui_line_add(l, THEME_LIST_DIM, r->help + hl->off, hl->len);
		return;
	}
	switch (r->kind) {
	case HELP_BLANK:
		break;
	case HELP_HEADING:
		tui_line_addstr(l, THEME_HELP_GROUP, r->keys);
		break;
	case HELP_ACTION:
		tui_line_addstr(l, THEME_DEFAULT, "  ");
		tui_line_addstr(l, THEME_HELP_KEY, r->keys);
		tui_line_pad_to(l, THEME_DEFAULT, 20);
		tui_line_addstr(l, THEME_DEFAULT, " ");
		tui_line_addstr(l, THEME_LIST_ITEM, r->name);
		tui_line_pad_to(l, THEME_DEFAULT, HELP_TEXT_COL - 1);
		tui_line_addstr(l, THEME_DEFAULT, " ");
		tui_line_add(l, THEME_LIST_DIM, r->help, hl->len);
		break;
	case HELP_COMMAND:
		tui_line_addstr(l, THEME_DEFAULT, "  ");
		tui_line_addstr(l, THEME_HELP_KEY, r->keys);
		tui_line_pad_to(l, THEME_DEFAULT, HELP_TEXT_COL - 1);
		tui_line_addstr(l, THEME_DEFAULT, " ");
		tui_line_add(l, THEME_LIST_DIM, r->help, hl->len);
		break;
	}
}

static bool
help_grep(struct view *view, struct app *app, unsigned pane, size_t lineno,
	  const regex_t *re)
{
	struct help *h = view->priv;
	const struct help_row *r = &h->rows[h->lines[lineno].row];

	(void)app;
	(void)pane;
	return (r->keys && !regexec(re, r->keys, 0, NULL, 0)) ||
	       (r->name && !regexec(re, r->name, 0, NULL, 0)) ||
	       (r->help && !regexec(re, r->help, 0, NULL, 0));
}

static enum request
help_handle(struct view *view, struct app *app, enum request req)
{
	(void)view;
	(void)app;
	/* Help on the help view would only stack another copy. */
	return req == REQ_VIEW_HELP ? REQ_NONE : req;
}

const struct view_ops view_help_ops = {
	.name = "help",
	.help = "every key, action and command",
	.flags = VIEW_NO_FLAGS,
	.private_size = sizeof(struct help),
	.open_request = REQ_VIEW_HELP,
	.complete = VIEW_COMPLETE_NONE,
	.open = help_open,
	.close = help_close,
	.layout = help_layout,
	.draw_line = help_draw,
	.handle = help_handle,
	.grep = help_grep,
};
