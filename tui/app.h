/* The app object: the one piece of mutable state of the TUI (STYLE §9). tui/app.c defines
 * the single instance; main() starts it with tui_app_main() and everything else receives a
 * struct app * from the loop.
 */
#ifndef CSF_TUI_APP_H
#define CSF_TUI_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <curses.h>

#include "core/buf.h"
#include "core/lint.h"
#include "core/workspace.h"
#include "tui/cmdline.h"
#include "tui/keymap.h"
#include "tui/loop.h"
#include "tui/options.h"
#include "tui/request.h"
#include "tui/script.h"
#include "tui/theme.h"
#include "tui/watch.h"
#include "tui/win.h"

struct view;

/* app->pending bits: set by anyone, acted on by the loop. */
enum {
	TUI_REDRAW = 1 << 0,	/* draw what is dirty */
	TUI_RELAYOUT = 1 << 1,	/* recompute window geometry, then redraw everything */
	TUI_QUIT = 1 << 2,	/* leave the loop */
	TUI_FULL = 1 << 3,	/* redraw every row of every window (dialog closed, theme) */
	TUI_REPAINT = 1 << 4,	/* also repaint the physical screen (clearok) */
};

#define TUI_MIN_COLS 50
#define TUI_MIN_LINES 12
#define TUI_VIEW_DEPTH 16

/* How main() starts the app (parsed from the command line). */
struct tui_start {
	const char *workspace;	/* --workspace DIR or a positional folder; NULL: cwd or samples */
	const char *file;	/* a positional blueprint file to select, or NULL */
	const char *theme;	/* --theme NAME|FILE */
	const char *keymap;	/* --keymap NAME|FILE */
	const char *context;	/* --context NAME: kubeconfig context; opens the tenants view */
	bool readonly;
	bool strict;		/* config warnings are fatal (exit 2) */
	long max_frames;	/* --max-frames N: quit after N frames (0: no limit) */
	int64_t t0_ms;		/* when main() started, for the first-frame benchmark */
};

/* Called with the answer of a confirmation dialog. */
typedef void (*tui_confirm_fn)(struct app *app, bool yes, void *ctx);

struct tui_confirm {
	bool active;
	struct csf_buf title;
	struct csf_buf body;	/* lines separated by '\n'; "+"/"-" first characters are coloured */
	size_t top;		/* first body line shown */
	tui_confirm_fn fn;
	void *ctx;
};

struct app {
	struct app_options opt;
	unsigned pending;		/* TUI_* bits */
	struct tui_start start;
	bool readonly;
	int exit_status;

	/* Terminal. */
	SCREEN *screen;
	FILE *term_out, *term_in;	/* what newterm() got (owned unless stdout/stdin) */
	bool curses_up;
	bool no_display;		/* CSF_TUI_NO_DISPLAY: output to /dev/null */
	bool colors;			/* colours in use (terminal has them and NO_COLOR unset) */
	int lines, cols;
	bool too_small;
	struct tui_draw draw;
	struct tui_theme theme;
	struct tui_keymaps keymaps;
	struct tui_win title, status, msg, dialog;

	/* Views: stack[depth - 1] is on top. */
	struct view *stack[TUI_VIEW_DEPTH];
	size_t depth;

	/* Input. */
	int keyseq[TUI_KEY_SEQ_MAX];
	size_t nkeyseq;
	struct tui_cmdline cmd;
	struct tui_script script;
	struct tui_confirm confirm;

	/* The workspace and its findings, shared by every view. */
	char *ws_dir;			/* as opened */
	struct csf_workspace *ws;	/* NULL when it could not be opened */
	struct csf_lint_result lint;
	bool lint_valid;		/* lint matches ws */
	unsigned lint_runs;		/* how many times lint ran (status line, tests) */
	/* Lint runs in a worker thread (core is reentrant, and the workspace is not changed
	 * while it runs: reloads wait for it); the thread reports on a pipe the loop watches. */
	struct tui_lint_job *lint_job;	/* the running job, or NULL */
	bool lint_again;		/* lint again when the running job ends */
	bool reload_pending;		/* reload the workspace when the running job ends */
	char *tenant, *env;		/* lint cell filter; NULL = all */

	/* Messages on the bottom line. */
	struct csf_buf message;
	bool message_error;

	struct tui_loop loop;
	struct tui_watch watch;

	/* Tracing and benchmarks. */
	FILE *trace;			/* CSF_TUI_TRACE */
	FILE *bench;			/* CSF_TUI_BENCH */
	unsigned long frames;
	int64_t key_t0_us;		/* when the pending key was taken, 0 if none */
	double *key_ms;
	size_t nkey_ms, key_ms_alloc;
	double first_frame_ms;
	double lint_frame_ms;		/* first frame with the findings of the first lint */
};

/* Runs the TUI; returns the exit status for main(). */
int tui_app_main(const struct tui_start *start);

/* The app object, for C callbacks without a context pointer (readline, signal handlers).
 * Everything else receives it as an argument. */
struct app *tui_app_get(void);

/* ---- messages and dialogs ---------------------------------------------------------------- */

/* Shows a message on the bottom line (replacing the previous one) until the next key. */
void tui_app_message(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_app_error(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Shows a modal dialog with title and body (copied); y/Enter answers yes, n/Esc/q no, j/k
 * and PgUp/PgDn scroll the body. fn is called once with the answer. */
void tui_app_confirm(struct app *app, const char *title, const char *body, tui_confirm_fn fn,
		     void *ctx);

/* True (after showing "read-only mode: WHAT is disabled") when writes are refused. */
bool tui_app_refuse_write(struct app *app, const char *what);

/* ---- views ------------------------------------------------------------------------------- */

/* The view on top, or NULL. */
struct view *tui_app_top(struct app *app);
/* Opens the view named name with arg (may be NULL) on top of the stack. When a view of that
 * name is already open, it is brought back instead (views above it are closed) and given arg
 * through .set_arg. Returns 0 or -1 (message shown). */
int tui_app_open_view(struct app *app, const char *name, const char *arg);
/* Closes the top view (not the root). */
void tui_app_pop_view(struct app *app);

/* Resolves and dispatches one request through the chain (top view, shared, global). */
void tui_app_dispatch(struct app *app, enum request req);
/* Handles one key (keymaps, command line, dialog). */
void tui_app_key(struct app *app, int key);

/* ---- workspace --------------------------------------------------------------------------- */

/* Re-opens the workspace from disk, then lints it in the background; VIEW_WORKSPACE views get
 * .reload after each step. While a lint is running the reload waits for it. */
void tui_app_reload_workspace(struct app *app);
/* Lints again with the current tenant/environment (background). */
void tui_app_relint(struct app *app);
/* Sets the lint tenant or environment (NULL or "all" = every one) and re-lints. Returns -1
 * with a message for an unknown name. */
int tui_app_set_tenant(struct app *app, const char *tenant);
int tui_app_set_env(struct app *app, const char *env);

/* Suspends curses, runs $VISUAL/$EDITOR (else vi) on path at line, and restores the screen.
 * Returns the editor's exit status, or -1. */
int tui_app_edit_file(struct app *app, const char *path, unsigned line);

/* Switches theme (built-in name or file) and repaints. Returns -1 with a message on error. */
int tui_app_set_theme(struct app *app, const char *name);

/* Writes a line to the trace file (CSF_TUI_TRACE), if any. */
void tui_app_trace(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Processes a resize to lines x cols (SIGWINCH, or `:resize` in scripts). */
void tui_app_resize(struct app *app, int lines, int cols);

/* Draws everything that is dirty and calls doupdate() once. Called by the loop only. */
void tui_app_draw(struct app *app);

/* Called by the loop for each signal number read from the self-pipe. */
void tui_app_signal(struct app *app, int sig);

#endif
