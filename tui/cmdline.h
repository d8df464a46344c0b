/* The command line: readline in callback mode on the bottom row of the curses screen.
 *
 * Readline never touches the terminal: keys are fed to it one byte at a time, and its line
 * is drawn by tui_cmdline_draw. Three uses: `:` commands (history kept in
 * $XDG_STATE_HOME/csf-tui/history, default ~/.local/state/csf-tui/history), `/` filter and
 * search patterns, and questions (tui_cmdline_ask). Tab completes command names, view names,
 * action names and each command's argument (blueprint, tenant, environment, theme, option and
 * keymap names). Esc or Ctrl-G cancels.
 *
 * `:` COMMANDS are table-driven: the table in tui/cmdline.c, plus `:NAME [ARG]` for every
 * view in the view registry (views/view.h), plus `:ACTION` for every action of
 * tui/request.h. A new command is one line in that table.
 */
#ifndef CSF_TUI_CMDLINE_H
#define CSF_TUI_CMDLINE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/buf.h"

struct app;
struct tui_win;

/* Receives the answer of tui_cmdline_ask (NULL when cancelled). Valid only during the call. */
typedef void (*tui_ask_fn)(struct app *app, const char *answer, void *ctx);

struct tui_cmdline {
	bool active;
	char kind;		/* ':' command, '/' pattern, '?' question */
	struct csf_buf prompt;
	tui_ask_fn ask;
	void *ask_ctx;
	char *history_path;
	FILE *null_in, *null_out;	/* readline's streams: never the terminal */
	int feed;		/* the byte handed to readline's getc hook, or -1 */
	struct csf_buf shown;	/* the line as last drawn */
	struct csf_buf completions;	/* "a\nb\nc": the candidates shown while completing */
	bool done;		/* the line handler ran */
	char *result;		/* its line (owned) */
	char *preset;		/* `:new NAME`: the answer for the next question (owned) */
	char **cands;		/* completion candidates being offered (owned) */
	size_t ncands, cands_alloc, cand_next;
};

/* Sets readline up (no terminal, no signals, no environment changes) and reads history. */
void tui_cmdline_init(struct app *app);
/* Writes history and releases readline. */
void tui_cmdline_release(struct app *app);

/* Opens the line for kind ':' or '/' with an optional initial text. */
void tui_cmdline_open(struct app *app, char kind, const char *initial);
/* Asks a question on the command line; fn gets the answer (or NULL) when the line ends. */
void tui_cmdline_ask(struct app *app, const char *prompt, tui_ask_fn fn, void *ctx);
/* Feeds one key while the line is active. */
void tui_cmdline_key(struct app *app, int key);
/* Draws the prompt and line on win's row 0 and places the cursor. */
void tui_cmdline_draw(struct app *app, struct tui_win *win);
/* Closes the line without running it. */
void tui_cmdline_cancel(struct app *app);

/* Runs a `:` command line (without the ':'), from the prompt or a key script. Returns 0, or
 * -1 after showing an error message. */
int tui_cmdline_exec(struct app *app, const char *line);

/* The i-th entry of the command table (for the help view); false past the end. The strings
 * are static. */
bool tui_cmdline_command(size_t i, const char **name, const char **args, const char **help);

/* SIGHUP/SIGTERM: adds unsent command-line input to the history and writes it, so nothing
 * typed is lost. */
void tui_cmdline_save_unsent(struct app *app);

#endif
