#include "tui/watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "tui/app.h"

static const char *const subdirs[] = { "", "blueprints", "tenants", "editions", "environments" };

static bool
relevant(const char *name, size_t len)
{
	if (!len)
		return false;
	if (name[0] == '.')
		return false;	/* editor temp files (.x.swp, .#x) */
	return (len > 5 && !strcmp(name + len - 5, ".yaml")) ||
	       (len > 4 && !strcmp(name + len - 4, ".yml"));
}

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE)

/* Watches the root and each workspace folder that exists now. Adding a watch again on the same
 * folder is a no-op; a folder created or moved in since the last call gets its watch here. */
static void
add_watches(struct app *app)
{
	size_t i;

	for (i = 0; app->watch.fd >= 0 && app->watch.root && i < sizeof(subdirs) / sizeof(subdirs[0]);
	     i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s%s%s", app->watch.root, *subdirs[i] ? "/" : "",
			 subdirs[i]);
		inotify_add_watch(app->watch.fd, path, WATCH_MASK);
	}
}

static void
settled(struct app *app, void *ctx)
{
	(void)ctx;
	app->watch.timer = 0;
	add_watches(app);
	if (!app->opt.lint_on_save) {
		tui_app_message(app, "workspace changed on disk (lint-on-save is off; :lint)");
		return;
	}
	tui_app_trace(app, "watch: workspace changed, re-linting");
	tui_app_reload_workspace(app);
}

static void
on_events(struct app *app, int fd, short revents, void *ctx)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool hit = false;
	ssize_t n;

	(void)revents;
	(void)ctx;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (p < buf + n) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			/* A YAML file, or a folder (blueprints/ created, moved away or back). */
			if (ev->len && ((ev->mask & IN_ISDIR) ? ev->name[0] != '.' :
					relevant(ev->name, strlen(ev->name))))
				hit = true;
			p += sizeof(*ev) + ev->len;
		}
	}
	if (!hit)
		return;
	app->watch.events++;
	if (app->watch.timer)
		tui_loop_cancel_timer(app, app->watch.timer);
	app->watch.timer = tui_loop_add_timer(app, TUI_WATCH_DEBOUNCE_MS, settled, NULL);
}

int
tui_watch_start(struct app *app, const char *root)
{
	app->watch.fd = -1;
	if (!root)
		return 0;
	app->watch.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (app->watch.fd < 0)
		return -1;
	app->watch.root = csf_xstrdup(root);
	add_watches(app);
	tui_loop_add_fd(app, app->watch.fd, POLLIN, on_events, NULL);
	return 0;
}

void
tui_watch_stop(struct app *app)
{
	if (app->watch.timer)
		tui_loop_cancel_timer(app, app->watch.timer);
	app->watch.timer = 0;
	if (app->watch.fd >= 0) {
		tui_loop_remove_fd(app, app->watch.fd);
		close(app->watch.fd);
	}
	app->watch.fd = -1;
	free(app->watch.root);
	app->watch.root = NULL;
}
