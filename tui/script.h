/* Key scripts (CSF_TUI_SCRIPT=FILE): the TUI reads its input from a file instead of the
 * terminal, for screen tests and benchmarks.
 *
 * One token per line: a line starting with ':' and more text is a command, run as if typed on
 * the command line (`:save-screen NAME`, `:lint`, `:set line-numbers=false`); any other line
 * is a sequence of keys in keymap syntax (`j`, `<Enter>`, `/Booking<Enter>`, `<C-d>`), typed
 * one after the other; write <Colon> to type ':' itself. Empty lines and lines starting
 * with "# " are skipped (a lone "#" is the # key). After the last token the app quits, as if `:quit` was appended.
 */
#ifndef CSF_TUI_SCRIPT_H
#define CSF_TUI_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct tui_script_token {
	char *cmd;		/* command text without ':' , or NULL for a key */
	int key;
	unsigned line;
};

struct tui_script {
	bool active;
	char *path;
	struct tui_script_token *tok;
	size_t n, alloc, next;
	int64_t sleep_until_ms;	/* `:sleep MS` pauses the script, not the loop */
};

/* Loads a script. Bad key lines are reported on errout as "path:line:col: message" and
 * skipped. Returns the number of bad lines, or -1 when the file cannot be read. */
int tui_script_load(struct tui_script *s, const char *path, FILE *errout);
void tui_script_release(struct tui_script *s);

/* The next token, or NULL at the end. Borrowed from s. */
const struct tui_script_token *tui_script_next(struct tui_script *s);

#endif
