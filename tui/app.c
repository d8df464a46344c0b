#include "tui/app.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "core/fsutil.h"
#include "core/xalloc.h"
#include "tui/screen_dump.h"
#include "views/view.h"

/* The one mutable object of the TUI. */
static struct app app;

struct app *
tui_app_get(void)
{
	return &app;
}

/* ==== tracing, messages ==================================================================== */

void
tui_app_trace(struct app *a, const char *fmt, ...)
{
	va_list ap;

	if (!a->trace)
		return;
	va_start(ap, fmt);
	vfprintf(a->trace, fmt, ap);
	va_end(ap);
	fputc('\n', a->trace);
	fflush(a->trace);
}

static void
vmessage(struct app *a, bool error, const char *fmt, va_list ap)
{
	csf_buf_reset(&a->message);
	csf_buf_vaddf(&a->message, fmt, ap);
	a->message_error = error;
	a->pending |= TUI_REDRAW;
	tui_app_trace(a, "%s: %s", error ? "error" : "message", a->message.buf);
}

void
tui_app_message(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(a, false, fmt, ap);
	va_end(ap);
}

void
tui_app_error(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(a, true, fmt, ap);
	va_end(ap);
}

bool
tui_app_refuse_write(struct app *a, const char *what)
{
	if (!a->readonly)
		return false;
	tui_app_error(a, "read-only mode: %s is disabled (started with --readonly)", what);
	return true;
}

void
tui_app_confirm(struct app *a, const char *title, const char *body, tui_confirm_fn fn, void *ctx)
{
	struct tui_confirm *c = &a->confirm;

	csf_buf_reset(&c->title);
	csf_buf_addstr(&c->title, title);
	csf_buf_reset(&c->body);
	csf_buf_addstr(&c->body, body);
	c->top = 0;
	c->fn = fn;
	c->ctx = ctx;
	c->active = true;
	a->pending |= TUI_REDRAW;
}

static void
confirm_answer(struct app *a, bool yes)
{
	struct tui_confirm *c = &a->confirm;
	tui_confirm_fn fn = c->fn;
	void *ctx = c->ctx;

	c->active = false;
	c->fn = NULL;
	a->pending |= TUI_FULL | TUI_REDRAW;
	tui_win_delete(&a->dialog);
	tui_app_trace(a, "confirm: %s", yes ? "yes" : "no");
	if (fn)
		fn(a, yes, ctx);
}

static size_t
count_lines(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		if (*s == '\n' && s[1])
			n++;
	return n;
}

static void
confirm_key(struct app *a, int key)
{
	struct tui_confirm *c = &a->confirm;
	size_t lines = count_lines(c->body.buf);
	int page = a->dialog.h > 4 ? a->dialog.h - 4 : 1;

	switch (key) {
	case 'y': case 'Y': case TUI_KEY_ENTER:
		confirm_answer(a, true);
		return;
	case 'n': case 'N': case 'q': case TUI_KEY_ESC: case 7:
		confirm_answer(a, false);
		return;
	case 'j': case TUI_KEY_FN | KEY_DOWN:
		if (c->top + 1 < lines)
			c->top++;
		break;
	case 'k': case TUI_KEY_FN | KEY_UP:
		if (c->top)
			c->top--;
		break;
	case ' ': case TUI_KEY_FN | KEY_NPAGE:
		c->top = c->top + (size_t)page < lines ? c->top + (size_t)page : c->top;
		break;
	case TUI_KEY_FN | KEY_PPAGE:
		c->top = c->top > (size_t)page ? c->top - (size_t)page : 0;
		break;
	default:
		tui_app_message(a, "answer y (yes) or n (no)");
		break;
	}
	a->pending |= TUI_REDRAW;
}

/* ==== views ================================================================================ */

struct view *
tui_app_top(struct app *a)
{
	return a->depth ? a->stack[a->depth - 1] : NULL;
}

static void
relayout(struct app *a)
{
	a->pending |= TUI_RELAYOUT | TUI_REDRAW;
}

int
tui_app_open_view(struct app *a, const char *name, const char *arg)
{
	const struct view_ops *ops = view_find(name);
	struct csf_error err = CSF_ERROR_INIT;
	struct view *v;
	size_t i;

	if (!ops) {
		tui_app_error(a, "no view named '%s'", name);
		return -1;
	}
	for (i = 0; i < a->depth; i++)
		if (a->stack[i]->ops == ops) {
			while (a->depth > i + 1)
				tui_app_pop_view(a);
			if (arg && *arg && ops->set_arg)
				ops->set_arg(a->stack[i], a, arg);
			relayout(a);
			return 0;
		}
	if (a->depth == TUI_VIEW_DEPTH) {
		tui_app_error(a, "too many views open; close one with q");
		return -1;
	}
	v = view_new(ops, a, arg, &err);
	if (!v) {
		tui_app_error(a, "%s: %s", name, err.msg[0] ? err.msg : csf_status_str(err.code));
		return -1;
	}
	a->stack[a->depth++] = v;
	tui_app_trace(a, "view: open %s", name);
	relayout(a);
	return 0;
}

void
tui_app_pop_view(struct app *a)
{
	if (a->depth <= 1)
		return;
	tui_app_trace(a, "view: close %s", a->stack[a->depth - 1]->ops->name);
	view_free(a->stack[--a->depth]);
	a->stack[a->depth] = NULL;
	relayout(a);
}

static void
notify_views(struct app *a)
{
	size_t i;

	for (i = 0; i < a->depth; i++) {
		struct view *v = a->stack[i];

		if ((v->ops->flags & VIEW_WORKSPACE) && v->ops->reload)
			v->ops->reload(v, a);
	}
	a->pending |= TUI_REDRAW;
}

/* ==== workspace and lint =================================================================== */

struct tui_lint_job {
	pthread_t thread;
	int pipe[2];			/* the thread writes one byte to [1] when done */
	const struct csf_workspace *ws;	/* read-only while the job runs */
	char *tenant, *env;
	struct csf_lint_result res;
	enum csf_status st;
	struct csf_error err;
};

static void *
lint_thread(void *arg)
{
	struct tui_lint_job *job = arg;
	struct csf_lint_opts o = { job->tenant, job->env };
	char done = 1;

	job->st = csf_lint_workspace(job->ws, &o, &job->res, &job->err);
	if (write(job->pipe[1], &done, 1) < 0) {
		/* The loop also joins the thread at exit; nothing else can be done here. */
	}
	return NULL;
}

static void
lint_job_free(struct tui_lint_job *job)
{
	if (!job)
		return;
	if (job->pipe[0] >= 0)
		close(job->pipe[0]);
	if (job->pipe[1] >= 0)
		close(job->pipe[1]);
	csf_lint_result_release(&job->res);
	free(job->tenant);
	free(job->env);
	free(job);
}

/* Takes the result of a finished job into the app. */
static void
lint_finish(struct app *a)
{
	struct tui_lint_job *job = a->lint_job;

	pthread_join(job->thread, NULL);
	tui_loop_remove_fd(a, job->pipe[0]);
	tui_loop_async_end(a);
	a->lint_job = NULL;
	csf_lint_result_release(&a->lint);
	a->lint = job->res;
	memset(&job->res, 0, sizeof(job->res));
	if (job->st != CSF_E_OK)
		tui_app_error(a, "lint: %s", job->err.msg);
	lint_job_free(job);
	a->lint_valid = true;
	a->lint_runs++;
	tui_app_trace(a, "lint: run %u: %zu errors, %zu warnings, %zu infos", a->lint_runs,
		      a->lint.nerrors, a->lint.nwarnings, a->lint.ninfos);
	notify_views(a);
	if (a->reload_pending) {
		a->reload_pending = false;
		a->lint_again = false;
		tui_app_reload_workspace(a);
	} else if (a->lint_again) {
		a->lint_again = false;
		tui_app_relint(a);
	}
}

static void
lint_done(struct app *a, int fd, short events, void *ctx)
{
	char b;

	(void)events;
	(void)ctx;
	if (read(fd, &b, 1) == 1 && a->lint_job)
		lint_finish(a);
}

void
tui_app_relint(struct app *a)
{
	struct tui_lint_job *job;

	if (a->lint_job) {
		a->lint_again = true;
		return;
	}
	if (!a->ws)
		return;
	job = csf_xcalloc(1, sizeof(*job));
	job->pipe[0] = job->pipe[1] = -1;
	job->ws = a->ws;
	job->tenant = a->tenant ? csf_xstrdup(a->tenant) : NULL;
	job->env = a->env ? csf_xstrdup(a->env) : NULL;
	if (pipe2(job->pipe, O_CLOEXEC) < 0 ||
	    pthread_create(&job->thread, NULL, lint_thread, job) != 0) {
		/* No thread: lint here, on the loop (the screen waits, the result is the same). */
		struct csf_lint_opts o = { job->tenant, job->env };

		job->st = csf_lint_workspace(job->ws, &o, &job->res, &job->err);
		csf_lint_result_release(&a->lint);
		a->lint = job->res;
		memset(&job->res, 0, sizeof(job->res));
		if (job->st != CSF_E_OK)
			tui_app_error(a, "lint: %s", job->err.msg);
		lint_job_free(job);
		a->lint_valid = true;
		a->lint_runs++;
		notify_views(a);
		return;
	}
	a->lint_job = job;
	tui_loop_async_begin(a, "linting");
	tui_loop_add_fd(a, job->pipe[0], POLLIN, lint_done, NULL);
}

/* At exit: waits for a running lint and drops its result. */
static void
lint_stop(struct app *a)
{
	struct tui_lint_job *job = a->lint_job;

	if (!job)
		return;
	pthread_join(job->thread, NULL);
	tui_loop_remove_fd(a, job->pipe[0]);
	a->lint_job = NULL;
	lint_job_free(job);
}

static int
open_workspace(struct app *a, struct csf_error *err)
{
	struct csf_workspace *ws = NULL;

	if (a->start.file && !a->ws_dir) {
		ws = csf_workspace_new_loose();
		csf_workspace_add_file(ws, a->start.file, CSF_KIND_UNKNOWN);
	} else if (csf_workspace_open(a->ws_dir, &ws, err) != CSF_E_OK) {
		return -1;
	}
	a->ws = ws;
	return 0;
}

void
tui_app_reload_workspace(struct app *a)
{
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_workspace *old = a->ws;

	if (a->lint_job) {
		/* The running lint reads the workspace: reload when it is done. */
		a->reload_pending = true;
		return;
	}
	/* Findings point into the workspace: drop them before the workspace goes. */
	csf_lint_result_release(&a->lint);
	memset(&a->lint, 0, sizeof(a->lint));
	a->lint_valid = false;
	a->ws = NULL;
	if (open_workspace(a, &err) < 0) {
		tui_app_error(a, "cannot reload the workspace: %s", err.msg);
	}
	notify_views(a);
	csf_workspace_free(old);
	tui_app_relint(a);
}

static int
set_cell(struct app *a, char **slot, const char *name, bool tenant)
{
	const char *canon;

	if (!name || !*name || !strcmp(name, "all")) {
		free(*slot);
		*slot = NULL;
	} else if (tenant ? !csf_ws_tenant(a->ws, name) : !csf_ws_env(a->ws, name)) {
		tui_app_error(a, "no %s named '%s'", tenant ? "tenant" : "environment", name);
		return -1;
	} else {
		canon = tenant ? name : csf_env_canonical(name);
		if (!tenant && csf_ws_env(a->ws, canon))
			name = canon;
		free(*slot);
		*slot = csf_xstrdup(name);
	}
	tui_app_message(a, "linting for tenant %s, environment %s", a->tenant ? a->tenant : "all",
			a->env ? a->env : "all");
	tui_app_relint(a);
	return 0;
}

int
tui_app_set_tenant(struct app *a, const char *tenant)
{
	return set_cell(a, &a->tenant, tenant, true);
}

int
tui_app_set_env(struct app *a, const char *env)
{
	return set_cell(a, &a->env, env, false);
}

/* Cycles all → first → … → last → all. */
static void
cycle_cell(struct app *a, bool tenant)
{
	size_t n = a->ws ? (tenant ? a->ws->ntenants : a->ws->nenvs) : 0, i;
	const char *cur = tenant ? a->tenant : a->env, *next = NULL;

	if (!n) {
		tui_app_message(a, "the workspace has no %s", tenant ? "tenants" : "environments");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *name = tenant ? a->ws->tenants[i].id : a->ws->envs[i].name;

		if (!cur) {
			next = name;
			break;
		}
		if (name && !strcmp(name, cur)) {
			next = i + 1 < n ? (tenant ? a->ws->tenants[i + 1].id :
					    a->ws->envs[i + 1].name) : NULL;
			break;
		}
	}
	if (tenant)
		tui_app_set_tenant(a, next);
	else
		tui_app_set_env(a, next);
}

/* ==== editor =============================================================================== */

int
tui_app_edit_file(struct app *a, const char *path, unsigned line)
{
	const char *ed = getenv("VISUAL");
	char lbuf[32];
	pid_t pid;
	int status = -1;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	snprintf(lbuf, sizeof(lbuf), "+%u", line ? line : 1);
	tui_app_trace(a, "edit: %s %s %s", ed, lbuf, path);
	if (a->curses_up && !a->no_display) {
		def_prog_mode();
		endwin();
	}
	pid = fork();
	if (pid == 0) {
		/* The editor string may carry arguments ("code -w"): let the shell split it. */
		setenv("CSF_TUI_EDITOR", ed, 1);
		if (a->no_display) {
			int fd = open("/dev/null", O_RDWR);

			if (fd >= 0) {
				dup2(fd, 0);
				dup2(fd, 1);
			}
		}
		execl("/bin/sh", "sh", "-c", "exec $CSF_TUI_EDITOR \"$1\" \"$2\"", "sh", lbuf, path,
		      (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (a->curses_up && !a->no_display) {
		reset_prog_mode();
		a->pending |= TUI_REPAINT;
	}
	a->pending |= TUI_FULL | TUI_REDRAW;
	if (pid < 0) {
		tui_app_error(a, "cannot start the editor: %s", strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		tui_app_error(a, "cannot run the editor '%s' (set $VISUAL or $EDITOR)", ed);
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ==== themes =============================================================================== */

static const char *
xdg_path(const char *var, const char *fallback, const char *leaf, char *out, size_t n)
{
	const char *base = getenv(var), *home = getenv("HOME");

	if (base && *base)
		snprintf(out, n, "%s/csf-tui/%s", base, leaf);
	else if (home && *home)
		snprintf(out, n, "%s/%s/csf-tui/%s", home, fallback, leaf);
	else
		return NULL;
	return out;
}

int
tui_app_set_theme(struct app *a, const char *name)
{
	struct tui_theme t;
	char user[PATH_MAX];
	unsigned bad;

	if (!tui_theme_builtin(name) && !strchr(name, '/')) {
		tui_app_error(a, "no theme named '%s'", name);
		return -1;
	}
	if (!tui_theme_builtin(name)) {
		struct csf_buf probe = CSF_BUF_INIT;
		int r = csf_buf_read_file(&probe, name, 1 << 20);
		int e = errno;

		csf_buf_release(&probe);
		if (r < 0) {
			tui_app_error(a, "cannot read theme file %s: %s", name, strerror(e));
			return -1;
		}
	}
	bad = tui_theme_load(&t, name, xdg_path("XDG_CONFIG_HOME", ".config", "theme", user,
						sizeof(user)), NULL);
	if (bad) {
		tui_app_error(a, "theme '%s': %u bad line%s (run csf-tui --theme %s to see them)",
			      name, bad, bad == 1 ? "" : "s", name);
		if (!tui_theme_builtin(name))
			return -1;
	}
	a->theme = t;
	if (a->curses_up)
		tui_theme_apply(&a->theme, a->colors);
	a->pending |= TUI_RELAYOUT | TUI_FULL | TUI_REDRAW | TUI_REPAINT;
	if (!bad)
		tui_app_message(a, "theme %s%s", name, a->theme.is_mono ? " (no colours: mono)" : "");
	return 0;
}

/* ==== drawing ============================================================================== */

static const char *
sep(const struct app *a)
{
	return a->draw.utf8 ? " \xe2\x80\xba " : " > ";
}

static void
draw_title(struct app *a)
{
	struct tui_line l;
	size_t i;
	const char *name = a->ws && a->ws->name ? a->ws->name : a->ws_dir ? a->ws_dir : "";
	size_t nw;

	tui_win_erase(&a->title, THEME_TITLE_BAR);
	tui_line_begin(&l, &a->title, 0, 0, a->cols, 0, THEME_COUNT);
	tui_line_addstr(&l, THEME_TITLE_BAR, " csf-tui");
	for (i = 0; i < a->depth; i++) {
		struct view *v = a->stack[i];

		tui_line_addstr(&l, THEME_TITLE_BAR, sep(a));
		tui_line_addstr(&l, i + 1 == a->depth ? THEME_TITLE_CRUMB : THEME_TITLE_BAR,
				v->ops->name);
		if (v->crumb.len) {
			tui_line_addstr(&l, THEME_TITLE_BAR, sep(a));
			tui_line_add(&l, i + 1 == a->depth ? THEME_TITLE_CRUMB : THEME_TITLE_BAR,
				     v->crumb.buf, v->crumb.len);
		}
	}
	nw = tui_text_width(&a->draw, name, strlen(name));
	if ((int)nw + 2 < tui_line_left(&l)) {
		tui_line_pad_to(&l, THEME_TITLE_BAR, (size_t)a->cols - nw - 1);
		tui_line_addstr(&l, THEME_TITLE_BAR, name);
	}
	tui_line_end(&l, THEME_TITLE_BAR);
	wnoutrefresh(a->title.w);
}

static void
draw_status(struct app *a)
{
	struct tui_line l;
	char right[128];
	const char *busy = tui_loop_busy(a);
	size_t rw;

	tui_win_erase(&a->status, THEME_STATUS_BAR);
	tui_line_begin(&l, &a->status, 0, 0, a->cols, 0, THEME_COUNT);
	if (a->ws && a->ws->cluster.context)
		tui_line_addf(&l, THEME_STATUS_BAR, " context: %s ", a->ws->cluster.context);
	tui_line_addf(&l, THEME_STATUS_BAR, " tenant: %s  env: %s", a->tenant ? a->tenant : "all",
		      a->env ? a->env : "all");
	if (a->lint_valid)
		tui_line_addf(&l, THEME_STATUS_BAR, "  lint: %zu error%s, %zu warning%s",
			      a->lint.nerrors, a->lint.nerrors == 1 ? "" : "s", a->lint.nwarnings,
			      a->lint.nwarnings == 1 ? "" : "s");
	right[0] = '\0';
	if (busy)
		snprintf(right, sizeof(right), "[%s...]", busy);
	rw = strlen(right) + (a->readonly ? 11 : 0) + 1;
	if ((int)rw < tui_line_left(&l)) {
		tui_line_pad_to(&l, THEME_STATUS_BAR, (size_t)a->cols - rw);
		if (busy)
			tui_line_addstr(&l, THEME_STATUS_BUSY, right);
		if (a->readonly)
			tui_line_addstr(&l, THEME_STATUS_READONLY, " READ-ONLY ");
	}
	tui_line_end(&l, THEME_STATUS_BAR);
	wnoutrefresh(a->status.w);
}

static void
draw_msg(struct app *a)
{
	struct tui_line l;

	if (a->cmd.active) {
		tui_cmdline_draw(a, &a->msg);
		return;
	}
	tui_win_erase(&a->msg, THEME_MESSAGE);
	tui_line_begin(&l, &a->msg, 0, 0, a->cols, 0, THEME_COUNT);
	if (a->nkeyseq) {
		char k[32];
		size_t i;

		for (i = 0; i < a->nkeyseq; i++)
			tui_line_addstr(&l, THEME_MESSAGE, tui_key_name(a->keyseq[i], k, sizeof(k)));
		tui_line_addstr(&l, THEME_MESSAGE, "-");
	} else if (a->message.len) {
		tui_line_add(&l, a->message_error ? THEME_MESSAGE_ERROR : THEME_MESSAGE,
			     a->message.buf, a->message.len);
	}
	tui_line_end(&l, THEME_MESSAGE);
	wnoutrefresh(a->msg.w);
}

static void
draw_dialog(struct app *a)
{
	struct tui_confirm *c = &a->confirm;
	size_t lines = count_lines(c->body.buf), i;
	int w = a->cols - 4 > 100 ? 100 : a->cols - 4;
	int h = (int)lines + 4 > a->lines - 2 ? a->lines - 2 : (int)lines + 4;
	const char *p = c->body.buf;
	struct tui_line l;

	tui_win_place(&a->dialog, &a->draw, (a->lines - h) / 2, (a->cols - w) / 2, h, w);
	if (!a->dialog.w)
		return;
	tui_win_erase(&a->dialog, THEME_DIALOG);
	tui_win_box(&a->dialog, THEME_DIALOG);
	tui_line_begin(&l, &a->dialog, 0, 2, w - 4, 0, THEME_COUNT);
	tui_line_addstr(&l, THEME_DIALOG_TITLE, " ");
	tui_line_add(&l, THEME_DIALOG_TITLE, c->title.buf, c->title.len);
	tui_line_addstr(&l, THEME_DIALOG_TITLE, " ");
	for (i = 0; i < c->top && *p; i++) {
		const char *nl = strchr(p, '\n');

		p = nl ? nl + 1 : p + strlen(p);
	}
	for (i = 0; i < (size_t)(h - 4) && *p; i++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		enum theme_slot s = p[0] == '+' ? THEME_DIFF_ADD : p[0] == '-' ? THEME_DIFF_DEL :
				    p[0] == '@' ? THEME_DIFF_HUNK : THEME_DIALOG;

		tui_line_begin(&l, &a->dialog, (int)i + 1, 2, w - 4, 0, THEME_COUNT);
		tui_line_add(&l, s, p, n);
		p = nl ? nl + 1 : p + n;
	}
	tui_line_begin(&l, &a->dialog, h - 2, 2, w - 4, 0, THEME_COUNT);
	tui_line_addf(&l, THEME_DIALOG_TITLE, "Apply? [y]es / [n]o%s",
		      lines > (size_t)(h - 4) ? "   (j/k scroll)" : "");
	wnoutrefresh(a->dialog.w);
}

static void
draw_too_small(struct app *a)
{
	struct tui_line l;
	char msg[96];
	int y;

	tui_win_place(&a->dialog, &a->draw, 0, 0, a->lines, a->cols);
	if (!a->dialog.w)
		return;
	tui_win_erase(&a->dialog, THEME_NOTICE);
	snprintf(msg, sizeof(msg), "%dx%d, need %dx%d", a->cols, a->lines, TUI_MIN_COLS,
		 TUI_MIN_LINES);
	for (y = 0; y < 3; y++) {
		static const char *const fixed[] = { "terminal too small", NULL, "Q quits" };

		tui_line_begin(&l, &a->dialog, a->lines / 2 - 1 + y, 0, a->cols, 0, THEME_COUNT);
		if (a->lines / 2 - 1 + y < 0 || a->lines / 2 - 1 + y >= a->lines)
			continue;
		tui_line_addstr(&l, THEME_NOTICE, fixed[y] ? fixed[y] : msg);
		tui_line_end(&l, THEME_NOTICE);
	}
	wnoutrefresh(a->dialog.w);
}

static void
layout(struct app *a)
{
	size_t i;

	a->too_small = a->cols < TUI_MIN_COLS || a->lines < TUI_MIN_LINES;
	if (a->too_small) {
		tui_win_delete(&a->title);
		tui_win_delete(&a->status);
		tui_win_place(&a->msg, &a->draw, a->lines > 0 ? a->lines - 1 : 0, 0, 1,
			      a->cols > 0 ? a->cols : 1);
		for (i = 0; i < a->depth; i++)
			view_layout(a->stack[i], a, 1, 0, 0, 0);
		return;
	}
	tui_win_place(&a->title, &a->draw, 0, 0, 1, a->cols);
	tui_win_place(&a->status, &a->draw, a->lines - 2, 0, 1, a->cols);
	tui_win_place(&a->msg, &a->draw, a->lines - 1, 0, 1, a->cols);
	if (a->depth)
		view_layout(tui_app_top(a), a, 1, 0, a->lines - 3, a->cols);
}

void
tui_app_draw(struct app *a)
{
	unsigned p = a->pending;
	struct view *top = tui_app_top(a);

	a->pending &= ~(TUI_REDRAW | TUI_RELAYOUT | TUI_FULL | TUI_REPAINT);
	if (p & TUI_RELAYOUT) {
		layout(a);
		p |= TUI_FULL;
	}
	if (p & TUI_REPAINT)
		clearok(curscr, TRUE);
	if (a->too_small) {
		draw_too_small(a);
		wnoutrefresh(a->msg.w);
		curs_set(0);
		doupdate();
		return;
	}
	if (!a->msg.w)
		return;
	draw_title(a);
	draw_status(a);
	if (top)
		view_draw(top, a, (p & TUI_FULL) != 0);
	if (a->confirm.active)
		draw_dialog(a);
	draw_msg(a);
	curs_set(a->cmd.active ? 1 : 0);
	if (a->msg.w)
		leaveok(a->msg.w, !a->cmd.active);
	doupdate();
}

void
tui_app_resize(struct app *a, int lines, int cols)
{
	if (lines <= 0 || cols <= 0)
		return;
	if (a->curses_up && (lines != LINES || cols != COLS))
		resizeterm(lines, cols);
	a->lines = lines;
	a->cols = cols;
	tui_app_trace(a, "resize: %dx%d", cols, lines);
	a->pending |= TUI_RELAYOUT | TUI_REDRAW | TUI_REPAINT;
}

/* ==== requests ============================================================================= */

static void
global_request(struct app *a, enum request req)
{
	struct view *top = tui_app_top(a);
	char name[32];
	size_t i;

	switch (req) {
	case REQ_NONE:
	case REQ_UNKNOWN:
	case REQ_COUNT:
		return;
	case REQ_QUIT:
		a->pending |= TUI_QUIT;
		return;
	case REQ_VIEW_BACK:
		if (a->depth > 1)
			tui_app_pop_view(a);
		else
			tui_app_message(a, "this is the first view; press Q to quit");
		return;
	case REQ_REFRESH:
		a->pending |= TUI_RELAYOUT | TUI_FULL | TUI_REDRAW | TUI_REPAINT;
		return;
	case REQ_PROMPT:
		tui_cmdline_open(a, ':', NULL);
		return;
	case REQ_SEARCH:
		if (!top || !top->ops->grep) {
			tui_app_error(a, "this view cannot be filtered");
			return;
		}
		tui_cmdline_open(a, '/', NULL);
		return;
	case REQ_TOGGLE_LINENO:
		a->opt.line_numbers = !a->opt.line_numbers;
		tui_app_message(a, "line numbers %s", a->opt.line_numbers ? "on" : "off");
		a->pending |= TUI_FULL | TUI_REDRAW;
		return;
	case REQ_TOGGLE_GUTTER:
		a->opt.gutter = !a->opt.gutter;
		tui_app_message(a, "gutter %s", a->opt.gutter ? "on" : "off");
		a->pending |= TUI_FULL | TUI_REDRAW;
		return;
	case REQ_LINT:
		tui_app_reload_workspace(a);
		tui_app_message(a, "reloading and linting the workspace");
		return;
	case REQ_TENANT_NEXT:
		cycle_cell(a, true);
		return;
	case REQ_ENV_NEXT:
		cycle_cell(a, false);
		return;
	case REQ_EDIT: {
		const char *path;
		unsigned line;

		if (!top || !top->ops->cursor_file || !top->ops->cursor_file(top, a, &path, &line)) {
			tui_app_error(a, "nothing to edit here");
			return;
		}
		if (tui_app_refuse_write(a, "editing"))
			return;
		tui_app_edit_file(a, path, line);
		return;
	}
	default:
		break;
	}
	for (i = 0; view_registry()[i]; i++)
		if (view_registry()[i]->open_request == req) {
			tui_app_open_view(a, view_registry()[i]->name, NULL);
			return;
		}
	tui_app_message(a, "%s is not available in this view", tui_request_name(req, name,
										     sizeof(name)));
}

void
tui_app_dispatch(struct app *a, enum request req)
{
	struct view *top = tui_app_top(a);
	char name[32];

	tui_app_trace(a, "request: %s", tui_request_name(req, name, sizeof(name)));
	a->pending |= TUI_REDRAW;
	if (top && top->ops->handle)
		req = top->ops->handle(top, a, req);
	top = tui_app_top(a);
	if (req != REQ_NONE && top)
		req = view_handle_shared(top, a, req);
	if (req != REQ_NONE)
		global_request(a, req);
}

void
tui_app_key(struct app *a, int key)
{
	struct view *top = tui_app_top(a);
	const char *chain[3];
	enum request req = REQ_UNKNOWN;
	enum tui_key_match m;
	char kname[32];

	tui_app_trace(a, "key: %s", tui_key_name(key, kname, sizeof(kname)));
	a->pending |= TUI_REDRAW;
	if (a->confirm.active) {
		confirm_key(a, key);
		return;
	}
	if (a->cmd.active) {
		tui_cmdline_key(a, key);
		return;
	}
	if (a->message.len) {
		csf_buf_reset(&a->message);
		a->message_error = false;
	}
	chain[0] = top && view_search_active(top) ? "search" : NULL;
	chain[1] = top ? top->ops->name : NULL;
	chain[2] = "generic";
	a->keyseq[a->nkeyseq++] = key;
	m = tui_keymaps_lookup(&a->keymaps, chain, 3, a->keyseq, a->nkeyseq, &req);
	if (m == TUI_KEY_NOMATCH && a->nkeyseq > 1) {
		/* Not a continuation: start over with this key alone. */
		a->keyseq[0] = key;
		a->nkeyseq = 1;
		m = tui_keymaps_lookup(&a->keymaps, chain, 3, a->keyseq, 1, &req);
	}
	if (m == TUI_KEY_PREFIX && a->nkeyseq < TUI_KEY_SEQ_MAX)
		return;
	a->nkeyseq = 0;
	if (m != TUI_KEY_MATCH) {
		if (a->too_small)
			return;
		tui_app_message(a, "%s is not bound (press ? for help)", kname);
		return;
	}
	if (req != REQ_NONE)
		tui_app_dispatch(a, req);
}

/* ==== signals ============================================================================== */

void
tui_app_signal(struct app *a, int sig)
{
	struct winsize ws;

	tui_app_trace(a, "signal: %d", sig);
	switch (sig) {
	case SIGWINCH:
		if (a->no_display || !a->term_out)
			return;
		if (ioctl(fileno(a->term_out), TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
			tui_app_resize(a, ws.ws_row, ws.ws_col);
		return;
	case SIGINT:
		if (a->cmd.active) {
			tui_cmdline_cancel(a);
			return;
		}
		if (a->confirm.active) {
			confirm_answer(a, false);
			return;
		}
		a->exit_status = 128 + sig;
		a->pending |= TUI_QUIT;
		return;
	case SIGHUP:
	case SIGTERM:
		tui_cmdline_save_unsent(a);
		a->exit_status = 128 + sig;
		a->pending |= TUI_QUIT;
		return;
	default:
		return;
	}
}

/* ==== start and stop ======================================================================= */

static bool
known_keymap(const char *name)
{
	return view_find(name) != NULL;
}

static void
die_hook(const char *msg)
{
	(void)msg;
	if (app.curses_up) {
		endwin();
		app.curses_up = false;
	}
}

static int
choose_workspace(struct app *a)
{
	const struct tui_start *s = &a->start;
	char *found;

	if (s->workspace) {
		a->ws_dir = csf_xstrdup(s->workspace);
		return 0;
	}
	if (s->file) {
		found = csf_find_workspace(s->file);
		a->ws_dir = found;	/* NULL: a loose file */
		return 0;
	}
	if (csf_is_workspace("."))
		a->ws_dir = csf_xstrdup(".");
	else if (!(a->ws_dir = csf_samples_dir(NULL))) {
		fprintf(stderr, "csf-tui: no csf.yaml here and the shipped samples were not found; "
				"use --workspace DIR (or set CSF_SAMPLES)\n");
		return -1;
	}
	return 0;
}

static int
start_curses(struct app *a)
{
	const char *term = getenv("TERM");

	a->no_display = getenv("CSF_TUI_NO_DISPLAY") != NULL;
	if (a->no_display && !a->script.active)
		a->script.active = true;	/* no keyboard: an empty script, so the run ends */
	if (a->no_display) {
		a->term_out = fopen("/dev/null", "w");
		a->term_in = fopen("/dev/null", "r");
	} else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		a->term_out = stdout;
		a->term_in = stdin;
	} else {
		a->term_out = fopen("/dev/tty", "w");
		a->term_in = fopen("/dev/tty", "r");
	}
	if (!a->term_out || !a->term_in) {
		fprintf(stderr, "csf-tui: no terminal (use --headless for scripts)\n");
		return -1;
	}
	a->screen = newterm(term && *term ? term : "xterm", a->term_out, a->term_in);
	if (!a->screen) {
		fprintf(stderr, "csf-tui: cannot initialise the terminal '%s'\n", term ? term : "");
		return -1;
	}
	a->curses_up = true;
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	curs_set(0);
	a->colors = has_colors() && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	tui_theme_apply(&a->theme, a->colors);
	a->lines = LINES;
	a->cols = COLS;
	a->loop.input_fd = a->script.active || a->no_display ? -1 : fileno(a->term_in);
	layout(a);
	if (a->msg.w)
		nodelay(a->msg.w, TRUE);
	return 0;
}

static void
stop_curses(struct app *a)
{
	while (a->depth)
		view_free(a->stack[--a->depth]);
	tui_win_delete(&a->title);
	tui_win_delete(&a->status);
	tui_win_delete(&a->msg);
	tui_win_delete(&a->dialog);
	if (a->curses_up) {
		endwin();
		a->curses_up = false;
	}
	if (a->screen)
		delscreen(a->screen);
	a->screen = NULL;
	if (a->term_out && a->term_out != stdout)
		fclose(a->term_out);
	if (a->term_in && a->term_in != stdin)
		fclose(a->term_in);
	a->term_out = a->term_in = NULL;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static void
write_bench(struct app *a)
{
	double sum = 0, *v = a->key_ms;
	size_t n = a->nkey_ms, i;

	if (!a->bench)
		return;
	fprintf(a->bench, "first_frame_ms %.3f\nlint_frame_ms %.3f\nframes %lu\n",
		a->first_frame_ms, a->lint_frame_ms, a->frames);
	if (n) {
		qsort(v, n, sizeof(*v), cmp_double);
		for (i = 0; i < n; i++)
			sum += v[i];
		fprintf(a->bench, "keys %zu\nkey_mean_ms %.3f\nkey_p50_ms %.3f\nkey_p95_ms %.3f\n"
			"key_max_ms %.3f\n", n, sum / (double)n, v[n / 2], v[(n * 95) / 100],
			v[n - 1]);
	}
}

int
tui_app_main(const struct tui_start *start)
{
	struct app *a = &app;
	struct csf_error err = CSF_ERROR_INIT;
	char user[PATH_MAX];
	const char *s;
	unsigned bad = 0;
	int rc;

	memset(a, 0, sizeof(*a));
	a->start = *start;
	a->readonly = start->readonly;
	a->loop.sig_pipe[0] = a->loop.sig_pipe[1] = a->loop.input_fd = -1;
	a->watch.fd = -1;
	csf_buf_init(&a->message, 0);
	csf_buf_init(&a->draw.scratch, 0);
	csf_buf_init(&a->confirm.title, 0);
	csf_buf_init(&a->confirm.body, 0);
#define OPTION_DEFAULT(name, type, def, min, max, refresh, help) a->opt.name = def;
	OPTION_INFO(OPTION_DEFAULT)
#undef OPTION_DEFAULT
	setlocale(LC_ALL, "");
	a->draw.utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	a->draw.theme = &a->theme;
	a->draw.tab_size = a->opt.tab_size;
	csf_set_die_hook(die_hook);

	if ((s = getenv("CSF_TUI_TRACE")) && *s)
		a->trace = fopen(s, "w");
	if ((s = getenv("CSF_TUI_BENCH")) && *s)
		a->bench = fopen(s, "w");

	/* All configuration loads before curses starts, so errors reach stderr. */
	tui_keymaps_init(&a->keymaps);
	bad += tui_keymaps_load(&a->keymaps, start->keymap,
				xdg_path("XDG_CONFIG_HOME", ".config", "keys", user, sizeof(user)),
				known_keymap, stderr);
	bad += tui_theme_load(&a->theme, start->theme ? start->theme : "default",
			      xdg_path("XDG_CONFIG_HOME", ".config", "theme", user, sizeof(user)),
			      stderr);
	if ((s = getenv("CSF_TUI_SCRIPT")) && *s) {
		int r = tui_script_load(&a->script, s, stderr);

		if (r < 0) {
			fprintf(stderr, "csf-tui: cannot read the key script %s\n", s);
			rc = 2;
			goto out;
		}
		bad += (unsigned)r;
	}
	if ((bad || a->keymaps.warnings) && start->strict) {
		fprintf(stderr, "csf-tui: %u configuration error%s, %u warning%s (--strict)\n", bad,
			bad == 1 ? "" : "s", a->keymaps.warnings, a->keymaps.warnings == 1 ? "" : "s");
		rc = 2;
		goto out;
	}

	if (choose_workspace(a) < 0) {
		rc = 2;
		goto out;
	}
	if (open_workspace(a, &err) < 0) {
		fprintf(stderr, "csf-tui: %s: %s\n", a->ws_dir ? a->ws_dir : start->file, err.msg);
		rc = 2;
		goto out;
	}
	if (tui_loop_init(a) < 0 || start_curses(a) < 0) {
		rc = 2;
		goto out;
	}
	tui_cmdline_init(a);
	if (a->ws && a->ws->root)
		tui_watch_start(a, a->ws->root);
	if (tui_app_open_view(a, "workbench", start->file) < 0) {
		stop_curses(a);
		fprintf(stderr, "csf-tui: %s\n", a->message.buf);
		rc = 2;
		goto out;
	}
	/* `csf-tui --context prod-eu` on a bastion: the live tenants first; Esc goes back to the
	 * workbench. Loading is asynchronous, so the first frame does not wait for the cluster. */
	if (start->context && tui_app_open_view(a, "tenants", NULL) < 0)
		tui_app_error(a, "%s", a->message.buf);
	if (bad)
		tui_app_error(a, "%u bad configuration line%s were skipped (see stderr)", bad,
			      bad == 1 ? "" : "s");
	tui_app_relint(a);
	a->pending |= TUI_RELAYOUT | TUI_REDRAW;
	rc = tui_loop_run(a);
	lint_stop(a);
	tui_cmdline_release(a);
	tui_watch_stop(a);
	stop_curses(a);
	write_bench(a);
	if (rc >= 128)
		fprintf(stderr, "csf-tui: terminated by signal %d; the terminal was restored\n",
			rc - 128);
out:
	tui_loop_release(a);
	tui_script_release(&a->script);
	tui_keymaps_release(&a->keymaps);
	csf_lint_result_release(&a->lint);
	csf_workspace_free(a->ws);
	free(a->ws_dir);
	free(a->tenant);
	free(a->env);
	free(a->key_ms);
	csf_buf_release(&a->message);
	csf_buf_release(&a->draw.scratch);
	csf_buf_release(&a->confirm.title);
	csf_buf_release(&a->confirm.body);
	if (a->trace)
		fclose(a->trace);
	if (a->bench)
		fclose(a->bench);
	return rc;
}
