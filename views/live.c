#include "views/live.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cluster.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/cli_cluster.h"
#include "tui/loop.h"
#include "views/view.h"

/* ---- the worker ----------------------------------------------------------------------------- */

static void
job_unref(struct view_live_job *j)
{
	if (atomic_fetch_sub(&j->refs, 1) != 1)
		return;
	close(j->pipe[0]);
	close(j->pipe[1]);
	j->free(j);
}

static void *
job_thread(void *arg)
{
	struct view_live_job *j = arg;
	char one = 1;

	j->run(j);
	if (write(j->pipe[1], &one, 1) < 0) {
		/* the loop side is gone (cancelled): nobody waits for the byte */
	}
	job_unref(j);
	return NULL;
}

/* ---- the loop side -------------------------------------------------------------------------- */

static void
forget(struct view_live *live, struct app *app)
{
	tui_loop_remove_fd(app, live->job->pipe[0]);
	tui_loop_async_end(app);
	live->job = NULL;
	if (live->progress_timer)
		tui_loop_cancel_timer(app, live->progress_timer);
	live->progress_timer = 0;
}

static void
progress_tick(struct app *app, void *ctx)
{
	struct view_live *live = ctx;

	live->progress_timer = 0;
	if (!live->job)
		return;
	if (live->progress)
		live->progress(live->view, app);
	app->pending |= TUI_REDRAW;
	live->progress_timer = tui_loop_add_timer(app, live->progress_ms, progress_tick, live);
}

static void
job_ready(struct app *app, int fd, short events, void *ctx)
{
	struct view_live *live = ctx;
	struct view_live_job *j = live->job;
	char b;

	(void)events;
	if (!j || read(fd, &b, 1) != 1)
		return;
	forget(live, app);
	live->ready(live->view, app, j);
	job_unref(j);
}

const char *
view_live_start(struct view_live *live, struct app *app, struct view_live_job *j, const char *label)
{
	pthread_t th;
	const char *why = NULL;

	atomic_init(&j->refs, 2);
	if (pipe2(j->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		j->pipe[0] = j->pipe[1] = -1;
		why = "no pipe";
	} else if (pthread_create(&th, NULL, job_thread, j)) {
		why = "no thread";
	}
	if (why) {
		atomic_store(&j->refs, 1);
		job_unref(j);
		return why;
	}
	pthread_detach(th);
	live->job = j;
	tui_loop_add_fd(app, j->pipe[0], POLLIN, job_ready, live);
	tui_loop_async_begin(app, label);
	live->progress_timer = tui_loop_add_timer(app, live->progress_ms, progress_tick, live);
	return NULL;
}

void
view_live_stop(struct view_live *live, struct app *app)
{
	struct view_live_job *j = live->job;

	if (!j)
		return;
	forget(live, app);
	atomic_store(&j->cancel, true);
	job_unref(j);
}

/* ---- scope ----------------------------------------------------------------------------------- */

void
view_live_scope_init(struct view_live_scope *s, const struct app *app)
{
	s->ws_dir = app->ws_dir ? csf_xstrdup(app->ws_dir) : NULL;
	s->context = app->start.context ? csf_xstrdup(app->start.context) : NULL;
	s->env = csf_xstrdup(app->env ? app->env : "production");
}

void
view_live_scope_release(struct view_live_scope *s)
{
	free(s->ws_dir);
	free(s->context);
	free(s->env);
	s->ws_dir = s->context = s->env = NULL;
}

/* ---- cluster loads ------------------------------------------------------------------------- */

enum csf_status
view_live_cluster_open(struct view_live_cluster *c, const struct view_live_scope *at,
		       char *source, size_t n, struct csf_error *err)
{
	struct cli_cluster_opts co = { NULL, NULL, NULL, 0 };
	enum csf_status st;

	memset(c, 0, sizeof(*c));
	c->g.workspace = at->ws_dir;
	c->g.readonly = false;
	c->g.context = at->context;
	st = cli_cluster_open(&c->g, &co, &c->src, &c->gitops, err);
	if (st)
		return st;
	view_live_source_label(c->src->name, at->ws_dir, source, n);
	return CSF_E_OK;
}

bool
view_live_cluster_wait(struct view_live_cluster *c, struct view_live_job *job)
{
	size_t d, t;

	while (!csf_cluster_job_done(c->cj) && !atomic_load(&job->cancel)) {
		c->src->ops->poll(c->src, 50);
		csf_cluster_job_progress(c->cj, &d, &t);
		atomic_store(&job->done, d);
		atomic_store(&job->total, t);
		atomic_store(&job->bytes, c->src->bytes);
	}
	return !atomic_load(&job->cancel);
}

void
view_live_cluster_release(struct view_live_cluster *c)
{
	csf_cluster_job_free(c->cj);
	csf_cluster_source_free(c->src);
	free(c->gitops);
	c->cj = NULL;
	c->src = NULL;
	c->gitops = NULL;
}

/* ---- labels --------------------------------------------------------------------------------- */

void
view_live_short_path(const char *path, size_t len, const char *ws, struct csf_buf *out)
{
	size_t wl = ws ? strlen(ws) : 0, k, slashes = 0;

	while (wl > 1 && ws[wl - 1] == '/')
		wl--;
	if (wl && len > wl + 1 && !strncmp(path, ws, wl) && path[wl] == '/') {
		csf_buf_add(out, path + wl + 1, len - wl - 1);
		return;
	}
	for (k = len; k > 0; k--)
		if (path[k - 1] == '/' && ++slashes == 2)
			break;
	csf_buf_add(out, path + k, len - k);
}

void
view_live_source_label(const char *name, const char *ws, char *out, size_t n)
{
	struct csf_buf b = CSF_BUF_INIT;
	const char *p = name, *end;

	if (!strncmp(name, "snapshot /", 10)) {
		p = name + 9;
		end = strstr(p, " of ");
		if (!end)
			end = p + strlen(p);
		csf_buf_addstr(&b, "snapshot ");
		view_live_short_path(p, (size_t)(end - p), ws, &b);
		csf_buf_addstr(&b, end);
		snprintf(out, n, "%s", b.buf);
	} else {
		snprintf(out, n, "%s", name);
	}
	csf_buf_release(&b);
}

void
view_live_titles_ascii(struct view *view)
{
	unsigned i;

	if (tui_app_get()->draw.utf8)
		return;
	for (i = 0; i < view->npanes; i++) {
		struct csf_buf *b = &view->pane[i].title;
		size_t r, w = 0;

		for (r = 0; r < b->len; r++) {
			if (b->buf[r] == '\xc2' && r + 1 < b->len && b->buf[r + 1] == '\xb7') {
				b->buf[w++] = '-';
				r++;
			} else {
				b->buf[w++] = b->buf[r];
			}
		}
		b->len = w;
		if (b->buf)
			b->buf[w] = '\0';
	}
}
