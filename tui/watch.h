/* Watching the workspace with inotify: a change to a .yaml/.yml file (saved in place, or
 * written to a temp file and renamed, as editors do) re-loads and re-lints the workspace
 * after a short quiet period, without a keypress. */
#ifndef CSF_TUI_WATCH_H
#define CSF_TUI_WATCH_H

#include <stdbool.h>

struct app;

struct tui_watch {
	int fd;			/* inotify descriptor, or -1 */
	char *root;		/* the workspace folder watched (owned), or NULL */
	unsigned timer;		/* pending debounce timer, or 0 */
	unsigned events;	/* relevant events seen since start (for the status line / tests) */
};

#define TUI_WATCH_DEBOUNCE_MS 60

/* Watches the workspace root and its blueprints/ tenants/ editions/ environments/ folders.
 * Does nothing (fd = -1) when there is no root. Returns 0 or -1 when inotify is missing. */
int tui_watch_start(struct app *app, const char *root);
void tui_watch_stop(struct app *app);

#endif
