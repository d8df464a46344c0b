#include "tui/cmdline.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "core/fsutil.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/screen_dump.h"
#include "views/view.h"

/* ==== the command table ==================================================================== */

enum complete_kind {
	CMPL_NONE,
	CMPL_BLUEPRINT,
	CMPL_TENANT,
	CMPL_ENV,
	CMPL_THEME,
	CMPL_OPTION,
	CMPL_KEYMAP,
	CMPL_FILE,
};

/* A command gets the text after its name, trimmed ("" when none). Returns 0 or -1 after
 * showing an error message. */
typedef int (*tui_command_fn)(struct app *app, const char *args);

struct tui_command {
	const char *name;
	const char *args;	/* usage of the arguments, for help */
	enum complete_kind complete;
	tui_command_fn fn;
	const char *help;
};

static int cmd_quit(struct app *app, const char *args);
static int cmd_lint(struct app *app, const char *args);
static int cmd_blueprint(struct app *app, const char *args);
static int cmd_tenant(struct app *app, const char *args);
static int cmd_env(struct app *app, const char *args);
static int cmd_theme(struct app *app, const char *args);
static int cmd_set(struct app *app, const char *args);
static int cmd_bind(struct app *app, const char *args);
static int cmd_unbind(struct app *app, const char *args);
static int cmd_new(struct app *app, const char *args);
static int cmd_save_screen(struct app *app, const char *args);
static int cmd_save_slots(struct app *app, const char *args);
static int cmd_save_theme(struct app *app, const char *args);
static int cmd_resize(struct app *app, const char *args);
static int cmd_sleep(struct app *app, const char *args);
static int cmd_review(struct app *app, const char *args);

static const struct tui_command commands[] = {
	{ "quit", "", CMPL_NONE, cmd_quit, "quit csf-tui" },
	{ "q", "", CMPL_NONE, cmd_quit, "quit csf-tui" },
	{ "lint", "", CMPL_NONE, cmd_lint, "reload the workspace from disk and lint it" },
	{ "review", "R1..R2 [PATH]", CMPL_NONE, cmd_review, "pair review: the diff view between two revisions" },
	{ "blueprint", "NAME", CMPL_BLUEPRINT, cmd_blueprint,
	  "open the workbench on blueprint NAME (module name or file)" },
	{ "tenant", "NAME|all", CMPL_TENANT, cmd_tenant, "lint for one tenant, or all" },
	{ "env", "NAME|all", CMPL_ENV, cmd_env, "lint for one environment, or all" },
	{ "theme", "NAME", CMPL_THEME, cmd_theme, "switch the colour theme" },
	{ "set", "[NAME[=VALUE]]", CMPL_OPTION, cmd_set,
	  "show or change an option (noNAME turns a switch off)" },
	{ "bind", "KEYMAP KEYS ACTION", CMPL_KEYMAP, cmd_bind,
	  "bind keys to an action for this session" },
	{ "unbind", "KEYMAP KEYS", CMPL_KEYMAP, cmd_unbind, "unbind keys for this session" },
	{ "new", "[NAME]", CMPL_NONE, cmd_new, "create a new blueprint from the template" },
	{ "save-screen", "FILE", CMPL_FILE, cmd_save_screen,
	  "write the screen as text (screen tests)" },
	{ "save-slots", "FILE", CMPL_FILE, cmd_save_slots,
	  "write the theme slot of every cell (screen tests)" },
	{ "save-theme", "FILE", CMPL_FILE, cmd_save_theme,
	  "write each slot's colours as the terminal got them (screen tests)" },
	{ "resize", "COLSxLINES", CMPL_NONE, cmd_resize,
	  "act as if the terminal had this size (key scripts)" },
	{ "sleep", "MS", CMPL_NONE, cmd_sleep,
	  "pause a key script while the app keeps running (key scripts)" },
};

bool
tui_cmdline_command(size_t i, const char **name, const char **args, const char **help)
{
	if (i >= sizeof(commands) / sizeof(commands[0]))
		return false;
	*name = commands[i].name;
	*args = commands[i].args;
	*help = commands[i].help;
	return true;
}

/* ==== readline plumbing ===================================================================== */

static int
getc_hook(FILE *f)
{
	struct app *app = tui_app_get();
	int c = app->cmd.feed;

	(void)f;
	app->cmd.feed = -1;
	return c < 0 ? EOF : c;
}

static int
no_input(void)
{
	return 0;
}

static void
prep_noop(int meta)
{
	(void)meta;
}

static void
deprep_noop(void)
{
}

static void
redisplay_hook(void)
{
	tui_app_get()->pending |= TUI_REDRAW;
}

static void
on_line(char *line)
{
	struct app *app = tui_app_get();

	free(app->cmd.result);
	app->cmd.result = line ? csf_xstrdup(line) : NULL;
	free(line);
	app->cmd.done = true;
}

static void
display_matches(char **matches, int num, int max)
{
	struct app *app = tui_app_get();
	int i;

	(void)max;
	csf_buf_reset(&app->cmd.completions);
	for (i = 1; i <= num; i++) {
		if (i > 1)
			csf_buf_addch(&app->cmd.completions, '\n');
		csf_buf_addstr(&app->cmd.completions, matches[i]);
	}
	app->pending |= TUI_REDRAW;
}

/* ---- completion ---------------------------------------------------------------------------- */

static void
cand_clear(struct tui_cmdline *c)
{
	size_t i;

	for (i = 0; i < c->ncands; i++)
		free(c->cands[i]);
	c->ncands = 0;
	c->cand_next = 0;
}

static void
cand_add(struct tui_cmdline *c, const char *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < c->ncands; i++)
		if (!strcmp(c->cands[i], s))
			return;
	CSF_GROW(c->cands, c->cands_alloc, c->ncands + 1);
	c->cands[c->ncands++] = csf_xstrdup(s);
}

static char *
cand_gen(const char *text, int state)
{
	struct tui_cmdline *c = &tui_app_get()->cmd;
	size_t len = strlen(text);

	if (!state)
		c->cand_next = 0;
	while (c->cand_next < c->ncands) {
		const char *s = c->cands[c->cand_next++];

		if (!strncmp(s, text, len))
			return strdup(s);	/* readline frees it with free() */
	}
	return NULL;
}

static const struct tui_command *
find_command(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strlen(commands[i].name) == len && !strncmp(commands[i].name, name, len))
			return &commands[i];
	return NULL;
}

static void
cands_for(struct app *app, enum complete_kind kind)
{
	struct tui_cmdline *c = &app->cmd;
	const struct csf_workspace *ws = app->ws;
	size_t i, n;
	char name[64];

	switch (kind) {
	case CMPL_BLUEPRINT:
		for (i = 0; ws && i < ws->nblueprints; i++)
			cand_add(c, ws->blueprints[i].module);
		break;
	case CMPL_TENANT:
		cand_add(c, "all");
		for (i = 0; ws && i < ws->ntenants; i++)
			cand_add(c, ws->tenants[i].id);
		break;
	case CMPL_ENV:
		cand_add(c, "all");
		for (i = 0; ws && i < ws->nenvs; i++)
			cand_add(c, ws->envs[i].name);
		break;
	case CMPL_THEME:
		for (i = 0; tui_theme_builtin_nth(i); i++)
			cand_add(c, tui_theme_builtin_nth(i));
		break;
	case CMPL_OPTION:
#define OPTION_CAND(oname, type, def, min, max, refresh, help) \
		snprintf(name, sizeof(name), "%s", #oname); \
		for (n = 0; name[n]; n++) \
			if (name[n] == '_') \
				name[n] = '-'; \
		cand_add(c, name);
		OPTION_INFO(OPTION_CAND)
#undef OPTION_CAND
		break;
	case CMPL_KEYMAP:
		cand_add(c, "generic");
		cand_add(c, "search");
		for (i = 0; view_registry()[i]; i++)
			cand_add(c, view_registry()[i]->name);
		break;
	case CMPL_NONE:
	case CMPL_FILE:
		break;
	}
}

static char **
complete(const char *text, int start, int end)
{
	struct app *app = tui_app_get();
	struct tui_cmdline *c = &app->cmd;
	const char *line = rl_line_buffer, *sp;
	size_t i, n;
	char name[32];

	(void)end;
	rl_attempted_completion_over = 1;
	cand_clear(c);
	csf_buf_reset(&c->completions);
	if (c->kind != ':')
		return NULL;
	while (*line == ' ')
		line++;
	sp = strchr(line, ' ');
	if (!sp || line + start <= sp) {
		for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			cand_add(c, commands[i].name);
		for (i = 0; view_registry()[i]; i++)
			cand_add(c, view_registry()[i]->name);
		{
			const struct tui_request_info *t = tui_request_table(&n);

			for (i = 0; i < n; i++)
				cand_add(c, tui_request_name(t[i].req, name, sizeof(name)));
		}
	} else {
		const struct tui_command *cmd = find_command(line, (size_t)(sp - line));
		const struct view_ops *v;
		char vname[64];

		snprintf(vname, sizeof(vname), "%.*s", (int)(sp - line), line);
		v = view_find(vname);
		if (cmd && cmd->complete == CMPL_FILE) {
			rl_attempted_completion_over = 0;
			return NULL;
		}
		if (cmd)
			cands_for(app, cmd->complete);
		else if (v)
			cands_for(app, v->complete == VIEW_COMPLETE_BLUEPRINT ? CMPL_BLUEPRINT :
				  v->complete == VIEW_COMPLETE_TENANT ? CMPL_TENANT :
				  v->complete == VIEW_COMPLETE_ENV ? CMPL_ENV : CMPL_NONE);
	}
	return rl_completion_matches(text, cand_gen);
}

/* ==== life cycle ============================================================================ */

static char *
history_path(void)
{
	const char *base = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char path[PATH_MAX];

	if (base && *base)
		snprintf(path, sizeof(path), "%s/csf-tui/history", base);
	else if (home && *home)
		snprintf(path, sizeof(path), "%s/.local/state/csf-tui/history", home);
	else
		return NULL;
	return csf_xstrdup(path);
}

void
tui_cmdline_init(struct app *app)
{
	struct tui_cmdline *c = &app->cmd;

	csf_buf_init(&c->prompt, 0);
	csf_buf_init(&c->shown, 0);
	csf_buf_init(&c->completions, 0);
	c->feed = -1;
	c->null_in = fopen("/dev/null", "r");
	c->null_out = fopen("/dev/null", "w");
	rl_readline_name = "csf-tui";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_instream = c->null_in;
	rl_outstream = c->null_out;
	rl_getc_function = getc_hook;
	rl_input_available_hook = no_input;
	rl_prep_term_function = prep_noop;
	rl_deprep_term_function = deprep_noop;
	rl_redisplay_function = redisplay_hook;
	rl_attempted_completion_function = complete;
	rl_completion_display_matches_hook = display_matches;
	rl_completion_append_character = ' ';
	/* No bell (it would go to /dev/null anyway) and no "display all N possibilities?". */
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("completion-query-items", "0");
	rl_variable_bind("show-all-if-ambiguous", "on");
	using_history();
	stifle_history(1000);
	c->history_path = history_path();
	if (c->history_path)
		read_history(c->history_path);
}

static void
write_hist(struct tui_cmdline *c)
{
	char dir[PATH_MAX];
	size_t n;

	if (!c->history_path)
		return;
	snprintf(dir, sizeof(dir), "%s", c->history_path);
	n = strlen(dir);
	while (n && dir[n - 1] != '/')
		n--;
	if (n > 1) {
		dir[n - 1] = '\0';
		csf_mkdirs(dir, NULL);
	}
	write_history(c->history_path);
}

void
tui_cmdline_release(struct app *app)
{
	struct tui_cmdline *c = &app->cmd;

	if (c->active)
		tui_cmdline_cancel(app);
	write_hist(c);
	clear_history();
	cand_clear(c);
	free(c->cands);
	free(c->history_path);
	free(c->result);
	free(c->preset);
	csf_buf_release(&c->prompt);
	csf_buf_release(&c->shown);
	csf_buf_release(&c->completions);
	if (c->null_in)
		fclose(c->null_in);
	if (c->null_out)
		fclose(c->null_out);
	memset(c, 0, sizeof(*c));
	rl_instream = NULL;
	rl_outstream = NULL;
}

void
tui_cmdline_save_unsent(struct app *app)
{
	struct tui_cmdline *c = &app->cmd;

	if (!c->active || !rl_line_buffer || !*rl_line_buffer)
		return;
	add_history(rl_line_buffer);
	tui_app_trace(app, "cmdline: saved unsent input '%s'", rl_line_buffer);
	write_hist(c);
}

static void
open_line(struct app *app, char kind, const char *prompt, const char *initial)
{
	struct tui_cmdline *c = &app->cmd;

	c->active = true;
	c->kind = kind;
	c->done = false;
	csf_buf_reset(&c->prompt);
	csf_buf_addstr(&c->prompt, prompt);
	csf_buf_reset(&c->completions);
	history_set_pos(history_length);
	rl_callback_handler_install(c->prompt.buf, on_line);
	if (initial && *initial) {
		rl_insert_text(initial);
		rl_point = rl_end;
	}
	app->pending |= TUI_REDRAW;
}

void
tui_cmdline_open(struct app *app, char kind, const char *initial)
{
	open_line(app, kind, kind == '/' ? "/" : ":", initial);
}

void
tui_cmdline_ask(struct app *app, const char *prompt, tui_ask_fn fn, void *ctx)
{
	struct tui_cmdline *c = &app->cmd;

	if (c->preset) {
		char *answer = c->preset;

		c->preset = NULL;
		fn(app, answer, ctx);
		free(answer);
		return;
	}
	c->ask = fn;
	c->ask_ctx = ctx;
	open_line(app, '?', prompt, NULL);
}

static void
close_line(struct app *app)
{
	struct tui_cmdline *c = &app->cmd;

	rl_callback_handler_remove();
	c->active = false;
	csf_buf_reset(&c->completions);
	app->pending |= TUI_REDRAW;
}

void
tui_cmdline_cancel(struct app *app)
{
	struct tui_cmdline *c = &app->cmd;
	tui_ask_fn fn = c->ask;
	void *ctx = c->ask_ctx;
	char kind = c->kind;

	if (!c->active)
		return;
	rl_replace_line("", 0);
	rl_point = rl_end = 0;
	close_line(app);
	c->ask = NULL;
	if (kind == '?' && fn)
		fn(app, NULL, ctx);
}

static void
finish(struct app *app)
{
	struct tui_cmdline *c = &app->cmd;
	char *line = c->result;
	char kind = c->kind;
	tui_ask_fn fn = c->ask;
	void *ctx = c->ask_ctx;

	c->result = NULL;
	c->done = false;
	c->ask = NULL;
	close_line(app);
	if (line) {
		size_t n = strlen(line);

		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
	}
	if (kind == ':' && line && *line) {
		HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1)
						  : NULL;

		if (!last || strcmp(last->line, line))
			add_history(line);
		tui_cmdline_exec(app, line);
	} else if (kind == '/') {
		struct view *top = tui_app_top(app);
		struct csf_error err = CSF_ERROR_INIT;

		if (top && view_set_pattern(top, app, line && *line ? line : NULL, &err) < 0)
			tui_app_error(app, "%s", err.msg);
	} else if (kind == '?' && fn) {
		fn(app, line, ctx);
	}
	free(line);
}

static void
feed_byte(struct app *app, int b)
{
	app->cmd.feed = b;
	rl_callback_read_char();
	if (app->cmd.done)
		finish(app);
}

void
tui_cmdline_key(struct app *app, int key)
{
	struct tui_cmdline *c = &app->cmd;

	if (key != TUI_KEY_TAB)
		csf_buf_reset(&c->completions);
	switch (key) {
	case TUI_KEY_ESC:
	case 7:		/* Ctrl-G */
		tui_cmdline_cancel(app);
		return;
	case TUI_KEY_FN | KEY_UP:
		rl_get_previous_history(1, 0);
		break;
	case TUI_KEY_FN | KEY_DOWN:
		rl_get_next_history(1, 0);
		break;
	case TUI_KEY_FN | KEY_LEFT:
		rl_backward_char(1, 0);
		break;
	case TUI_KEY_FN | KEY_RIGHT:
		rl_forward_char(1, 0);
		break;
	case TUI_KEY_FN | KEY_HOME:
		rl_beg_of_line(1, 0);
		break;
	case TUI_KEY_FN | KEY_END:
		rl_end_of_line(1, 0);
		break;
	case TUI_KEY_FN | KEY_DC:
		rl_delete(1, 0);
		break;
	case TUI_KEY_BACKSPACE:
		if (rl_end == 0) {
			tui_cmdline_cancel(app);	/* backspace on an empty line leaves it */
			return;
		}
		feed_byte(app, 127);
		break;
	default:
		if (key & TUI_KEY_FN)
			break;
		if (key < 0x80) {
			feed_byte(app, key);
		} else {
			unsigned cp = (unsigned)key;
			unsigned char u[4];
			int n, i;

			if (cp < 0x800) {
				u[0] = (unsigned char)(0xC0 | cp >> 6);
				n = 2;
			} else if (cp < 0x10000) {
				u[0] = (unsigned char)(0xE0 | cp >> 12);
				n = 3;
			} else {
				u[0] = (unsigned char)(0xF0 | cp >> 18);
				n = 4;
			}
			for (i = 1; i < n; i++)
				u[i] = (unsigned char)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3F));
			for (i = 0; i < n && c->active; i++)
				feed_byte(app, u[i]);
		}
		break;
	}
	app->pending |= TUI_REDRAW;
}

/* The candidates ('\n'-separated) on the status line, two spaces apart; when they do not all
 * fit, as many as fit and "+N more", so a cut-off list never passes for the whole one. */
static void
draw_completions(struct app *app, const struct tui_cmdline *c)
{
	struct tui_line s;
	const char *p = c->completions.buf, *end = p + c->completions.len, *nl;
	size_t n = 1, i, used = 1, room = app->status.wd > 0 ? (size_t)app->status.wd : 0;
	char more[32];

	for (nl = p; (nl = memchr(nl, '\n', (size_t)(end - nl))); nl++)
		n++;
	tui_win_erase(&app->status, THEME_STATUS_BAR);
	tui_line_begin(&s, &app->status, 0, 0, app->status.wd, 0, THEME_COUNT);
	tui_line_addstr(&s, THEME_STATUS_BAR, " ");
	for (i = 0; i < n; i++) {
		size_t len, w, reserve = 0;

		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		w = tui_text_width(&app->draw, p, len) + (i ? 2 : 0);
		if (i + 1 < n)
			reserve = (size_t)snprintf(more, sizeof(more), "  +%zu more", n - i - 1);
		if (used + w + reserve > room) {
			snprintf(more, sizeof(more), "%s+%zu more", i ? "  " : "", n - i);
			tui_line_addstr(&s, THEME_STATUS_BAR, more);
			break;
		}
		if (i)
			tui_line_addstr(&s, THEME_STATUS_BAR, "  ");
		tui_line_add(&s, THEME_STATUS_BAR, p, len);
		used += w;
		p += len + 1;
	}
	tui_line_end(&s, THEME_STATUS_BAR);
	wnoutrefresh(app->status.w);
}

void
tui_cmdline_draw(struct app *app, struct tui_win *win)
{
	struct tui_cmdline *c = &app->cmd;
	struct tui_line l;
	size_t pw, cw, skip = 0;
	const char *buf = rl_line_buffer ? rl_line_buffer : "";
	int point = rl_point;

	tui_win_erase(win, THEME_PROMPT);
	pw = tui_text_width(&app->draw, c->prompt.buf, c->prompt.len);
	cw = tui_text_width(&app->draw, buf, (size_t)point);
	/* Keep the cursor on the screen: scroll the line when it is longer than the row. */
	if (pw + cw + 2 > (size_t)win->wd)
		skip = pw + cw + 2 - (size_t)win->wd;
	tui_line_begin(&l, win, 0, 0, win->wd, skip, THEME_COUNT);
	tui_line_add(&l, THEME_PROMPT, c->prompt.buf, c->prompt.len);
	tui_line_addstr(&l, THEME_PROMPT, buf);
	tui_line_end(&l, THEME_PROMPT);
	if (c->completions.len)
		draw_completions(app, c);
	wmove(win->w, 0, (int)(pw + cw - skip) < win->wd ? (int)(pw + cw - skip) : win->wd - 1);
	wnoutrefresh(win->w);
}

/* ==== commands ============================================================================== */

static int
cmd_quit(struct app *app, const char *args)
{
	(void)args;
	app->pending |= TUI_QUIT;
	return 0;
}

/* :review R1..R2 [PATH] is :diff R1..R2 [PATH] (views/diff.c). */
static int
cmd_review(struct app *app, const char *args)
{
	return tui_app_open_view(app, "diff", *args ? args : NULL);
}

static int
cmd_lint(struct app *app, const char *args)
{
	(void)args;
	tui_app_dispatch(app, REQ_LINT);
	return 0;
}

static int
cmd_blueprint(struct app *app, const char *args)
{
	if (!*args) {
		tui_app_error(app, "usage: :blueprint NAME");
		return -1;
	}
	return tui_app_open_view(app, "workbench", args);
}

static int
cmd_tenant(struct app *app, const char *args)
{
	return tui_app_set_tenant(app, args);
}

static int
cmd_env(struct app *app, const char *args)
{
	return tui_app_set_env(app, args);
}

static int
cmd_theme(struct app *app, const char *args)
{
	if (!*args) {
		tui_app_message(app, "theme: %s", app->theme.name);
		return 0;
	}
	if (tui_app_set_theme(app, args) < 0)
		return -1;
	snprintf(app->theme.name, sizeof(app->theme.name), "%s", args);
	return 0;
}

static bool
name_eq(const char *id, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && id[i]; i++)
		if ((s[i] == '-' ? '_' : s[i]) != id[i])
			return false;
	return i == n && !id[i];
}

static const char *
dashed(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = s[i] == '_' ? '-' : s[i];
	out[i] = '\0';
	return out;
}

/* Appends "name=value" in the :set spelling (dashes; on/off for switches). */
static void
option_show(struct csf_buf *b, const char *name, bool is_bool, int v)
{
	const char *c;

	if (b->len)
		csf_buf_addstr(b, "  ");
	for (c = name; *c; c++)
		csf_buf_addch(b, *c == '_' ? '-' : *c);
	if (is_bool)
		csf_buf_addstr(b, v ? "=on" : "=off");
	else
		csf_buf_addf(b, "=%d", v);
}

static int
cmd_set(struct app *app, const char *args)
{
	const char *eq = strchr(args, '=');
	size_t n = eq ? (size_t)(eq - args) : strlen(args);
	const char *val = eq ? eq + 1 : NULL;
	bool neg = false;
	struct csf_buf list = CSF_BUF_INIT;
	char dn[64];
	char *end;
	long v;

	while (n && args[n - 1] == ' ')
		n--;
	while (val && *val == ' ')
		val++;
	if (!n) {
#define OPTION_LIST(name, type, def, min, max, refresh, help) \
		option_show(&list, #name, !strcmp(#type, "BOOL"), (int)app->opt.name);
		OPTION_INFO(OPTION_LIST)
#undef OPTION_LIST
		tui_app_message(app, "%s", list.buf);
		csf_buf_release(&list);
		return 0;
	}
	if (!val && n > 2 && !strncmp(args, "no", 2)) {
		neg = true;
		args += 2;
		n -= 2;
	}
#define OPTION_SET(name, type, def, min, max, refresh, help) \
	if (name_eq(#name, args, n)) { \
		if (!strcmp(#type, "BOOL")) { \
			if (!val || !strcmp(val, "true") || !strcmp(val, "on") || !strcmp(val, "yes") || \
			    !strcmp(val, "1")) \
				v = !neg; \
			else if (!strcmp(val, "false") || !strcmp(val, "off") || !strcmp(val, "no") || \
				 !strcmp(val, "0")) \
				v = 0; \
			else { \
				tui_app_error(app, "%s takes on or off", dashed(#name, dn, sizeof(dn))); \
				return -1; \
			} \
		} else { \
			if (!val || !*val) { \
				option_show(&list, #name, false, (int)app->opt.name); \
				tui_app_message(app, "%s", list.buf); \
				csf_buf_release(&list); \
				return 0; \
			} \
			errno = 0; \
			v = strtol(val, &end, 10); \
			if (*end || errno || v < (min) || v > (max)) { \
				tui_app_error(app, "%s takes a number from %d to %d", \
					      dashed(#name, dn, sizeof(dn)), (min), (max)); \
				return -1; \
			} \
		} \
		app->opt.name = (OPTION_TYPE_##type)v; \
		app->pending |= (refresh) | TUI_FULL; \
		app->draw.tab_size = app->opt.tab_size < 1 ? 1 : app->opt.tab_size > 16 ? 16 : \
				     app->opt.tab_size; \
		option_show(&list, #name, !strcmp(#type, "BOOL"), (int)app->opt.name); \
		tui_app_message(app, "%s", list.buf); \
		csf_buf_release(&list); \
		return 0; \
	}
	OPTION_INFO(OPTION_SET)
#undef OPTION_SET
	if (neg) {	/* say what was typed, "nofoo", not "foo" */
		args -= 2;
		n += 2;
	}
	tui_app_error(app, "unknown option '%.*s' (:set lists them)", (int)n, args);
	return -1;
}

static int
bind_text(struct app *app, const char *text)
{
	char *msg = NULL;
	size_t msglen = 0;
	FILE *f = open_memstream(&msg, &msglen);
	unsigned bad;

	bad = tui_keymaps_parse(&app->keymaps, ":bind", text, strlen(text), NULL, f);
	if (f)
		fclose(f);
	if (bad) {
		char *nl = msg ? strchr(msg, '\n') : NULL;

		if (nl)
			*nl = '\0';
		tui_app_error(app, "%s", msg ? msg : "bad binding");
	}
	free(msg);
	return bad ? -1 : 0;
}

static int
check_keymap(struct app *app, const char *args)
{
	size_t n = strcspn(args, " ");
	char name[64];

	snprintf(name, sizeof(name), "%.*s", (int)n, args);
	if (!strcmp(name, "generic") || !strcmp(name, "search") || view_find(name))
		return 0;
	tui_app_error(app, "unknown keymap '%s'", name);
	return -1;
}

static int
cmd_bind(struct app *app, const char *args)
{
	struct csf_buf b = CSF_BUF_INIT;
	int r;

	if (check_keymap(app, args) < 0)
		return -1;
	csf_buf_addf(&b, "bind %s", args);
	r = bind_text(app, b.buf);
	if (!r)
		tui_app_message(app, "bound: %s", args);
	csf_buf_release(&b);
	return r;
}

static int
cmd_unbind(struct app *app, const char *args)
{
	struct csf_buf b = CSF_BUF_INIT;
	int r;

	if (check_keymap(app, args) < 0)
		return -1;
	csf_buf_addf(&b, "bind %s none", args);
	r = bind_text(app, b.buf);
	if (!r)
		tui_app_message(app, "unbound: %s", args);
	csf_buf_release(&b);
	return r;
}

static int
cmd_new(struct app *app, const char *args)
{
	free(app->cmd.preset);
	app->cmd.preset = *args ? csf_xstrdup(args) : NULL;
	tui_app_dispatch(app, REQ_NEW_BLUEPRINT);
	free(app->cmd.preset);	/* not asked (refused or not available here) */
	app->cmd.preset = NULL;
	return 0;
}

static int
save(struct app *app, const char *args, bool slots)
{
	struct csf_error err = CSF_ERROR_INIT;

	if (!*args) {
		tui_app_error(app, "usage: :save-%s FILE", slots ? "slots" : "screen");
		return -1;
	}
	/* A key script's dumps are its output (screen tests run read-only too); typed, it is a
	 * write like any other. */
	if (!app->script.active && tui_app_refuse_write(app, "writing a file"))
		return -1;
	if (tui_screen_dump(app, args, slots, &err) < 0) {
		tui_app_error(app, "cannot write %s: %s", args, err.msg);
		return -1;
	}
	return 0;
}

static int
cmd_save_screen(struct app *app, const char *args)
{
	return save(app, args, false);
}

static int
cmd_save_slots(struct app *app, const char *args)
{
	return save(app, args, true);
}

static int
cmd_save_theme(struct app *app, const char *args)
{
	struct csf_error err = CSF_ERROR_INIT;

	if (!*args) {
		tui_app_error(app, "usage: :save-theme FILE");
		return -1;
	}
	if (!app->script.active && tui_app_refuse_write(app, "writing a file"))
		return -1;
	if (tui_theme_dump(app, args, &err) < 0) {
		tui_app_error(app, "cannot write %s: %s", args, err.msg);
		return -1;
	}
	return 0;
}

static int
cmd_resize(struct app *app, const char *args)
{
	int cols, lines;

	if (sscanf(args, "%dx%d", &cols, &lines) != 2 || cols < 1 || lines < 1 || cols > 1000 ||
	    lines > 1000) {
		tui_app_error(app, "usage: :resize COLSxLINES");
		return -1;
	}
	tui_app_resize(app, lines, cols);
	return 0;
}

static int
cmd_sleep(struct app *app, const char *args)
{
	long ms = strtol(args, NULL, 10);

	if (ms < 0 || ms > 60000) {
		tui_app_error(app, "usage: :sleep MS (0-60000)");
		return -1;
	}
	app->script.sleep_until_ms = tui_now_ms() + ms;
	return 0;
}

int
tui_cmdline_exec(struct app *app, const char *line)
{
	const struct tui_command *cmd;
	const struct view_ops *v;
	size_t n;
	char name[64], *args;
	enum request req;
	int r;

	while (*line == ' ' || *line == ':')
		line++;
	n = strcspn(line, " ");
	if (!n)
		return 0;
	snprintf(name, sizeof(name), "%.*s", (int)n, line);
	args = csf_xstrdup(line + n + strspn(line + n, " "));
	for (size_t k = strlen(args); k && args[k - 1] == ' '; k--)
		args[k - 1] = '\0';
	tui_app_trace(app, "command: %s %s", name, args);
	if ((cmd = find_command(line, n))) {
		r = cmd->fn(app, args);
	} else if ((v = view_find(name))) {
		r = tui_app_open_view(app, name, *args ? args : NULL);
	} else if ((req = tui_request_parse(line, n)) != REQ_UNKNOWN && req != REQ_NONE) {
		tui_app_dispatch(app, req);
		r = 0;
	} else {
		tui_app_error(app, "unknown command ':%s' (Tab completes)", name);
		r = -1;
	}
	free(args);
	app->pending |= TUI_REDRAW;
	return r;
}
