#include "tui/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "core/xalloc.h"
#include "tui/app.h"

#define TUI_DRAW_BITS (TUI_REDRAW | TUI_RELAYOUT | TUI_FULL | TUI_REPAINT)

int64_t
tui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- registration ------------------------------------------------------------------------ */

int
tui_loop_add_fd(struct app *app, int fd, short events, tui_fd_fn fn, void *ctx)
{
	struct tui_loop *l = &app->loop;
	size_t i;

	for (i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd)
			break;
	if (i == l->nfds) {
		CSF_GROW(l->fds, l->fds_alloc, l->nfds + 1);
		l->nfds++;
	}
	l->fds[i].fd = fd;
	l->fds[i].events = events;
	l->fds[i].fn = fn;
	l->fds[i].ctx = ctx;
	return 0;
}

void
tui_loop_set_fd_events(struct app *app, int fd, short events)
{
	size_t i;

	for (i = 0; i < app->loop.nfds; i++)
		if (app->loop.fds[i].fd == fd)
			app->loop.fds[i].events = events;
}

void
tui_loop_remove_fd(struct app *app, int fd)
{
	struct tui_loop *l = &app->loop;
	size_t i;

	for (i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd) {
			memmove(&l->fds[i], &l->fds[i + 1], (l->nfds - i - 1) * sizeof(l->fds[0]));
			l->nfds--;
			return;
		}
}

unsigned
tui_loop_add_timer(struct app *app, unsigned ms, tui_timer_fn fn, void *ctx)
{
	struct tui_loop *l = &app->loop;
	struct tui_loop_timer *t;

	CSF_GROW(l->timers, l->timers_alloc, l->ntimers + 1);
	t = &l->timers[l->ntimers++];
	t->id = ++l->next_id ? l->next_id : ++l->next_id;
	t->due_ms = tui_now_ms() + ms;
	t->fn = fn;
	t->ctx = ctx;
	return t->id;
}

void
tui_loop_cancel_timer(struct app *app, unsigned id)
{
	struct tui_loop *l = &app->loop;
	size_t i;

	for (i = 0; i < l->ntimers; i++)
		if (l->timers[i].id == id) {
			memmove(&l->timers[i], &l->timers[i + 1],
				(l->ntimers - i - 1) * sizeof(l->timers[0]));
			l->ntimers--;
			return;
		}
}

unsigned
tui_loop_add_work(struct app *app, const char *label, tui_work_fn fn, void *ctx)
{
	struct tui_loop *l = &app->loop;
	struct tui_loop_work *w;

	CSF_GROW(l->work, l->work_alloc, l->nwork + 1);
	w = &l->work[l->nwork++];
	w->id = ++l->next_id ? l->next_id : ++l->next_id;
	w->label = label;
	w->fn = fn;
	w->ctx = ctx;
	app->pending |= TUI_REDRAW;
	return w->id;
}

void
tui_loop_cancel_work(struct app *app, unsigned id)
{
	struct tui_loop *l = &app->loop;
	size_t i;

	for (i = 0; i < l->nwork; i++)
		if (l->work[i].id == id) {
			memmove(&l->work[i], &l->work[i + 1], (l->nwork - i - 1) * sizeof(l->work[0]));
			l->nwork--;
			app->pending |= TUI_REDRAW;
			return;
		}
}

void
tui_loop_async_begin(struct app *app, const char *label)
{
	app->loop.async++;
	app->loop.async_label = label;
	app->pending |= TUI_REDRAW;
}

void
tui_loop_async_end(struct app *app)
{
	if (app->loop.async)
		app->loop.async--;
	app->pending |= TUI_REDRAW;
}

const char *
tui_loop_busy(const struct app *app)
{
	if (app->loop.nwork)
		return app->loop.work[0].label;
	return app->loop.async ? app->loop.async_label : NULL;
}

/* ---- signals ----------------------------------------------------------------------------- */

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	struct app *app = tui_app_get();

	if (app->loop.sig_pipe[1] >= 0 && write(app->loop.sig_pipe[1], &b, 1) < 0) {
		/* A full pipe already holds a wake-up; nothing else can be done here. */
	}
	errno = saved;
}

static void
read_signals(struct app *app, int fd, short events, void *ctx)
{
	unsigned char buf[64];
	ssize_t n, i;

	(void)events;
	(void)ctx;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			tui_app_signal(app, buf[i]);
}

int
tui_loop_init(struct app *app)
{
	struct tui_loop *l = &app->loop;
	struct sigaction sa;
	static const int sigs[] = { SIGWINCH, SIGHUP, SIGTERM, SIGINT };
	size_t i;

	l->sig_pipe[0] = l->sig_pipe[1] = -1;
	if (pipe2(l->sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	tui_loop_add_fd(app, l->sig_pipe[0], POLLIN, read_signals, NULL);
	return 0;
}

void
tui_loop_release(struct app *app)
{
	struct tui_loop *l = &app->loop;

	signal(SIGWINCH, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	if (l->sig_pipe[0] >= 0)
		close(l->sig_pipe[0]);
	if (l->sig_pipe[1] >= 0)
		close(l->sig_pipe[1]);
	l->sig_pipe[0] = l->sig_pipe[1] = -1;
	free(l->fds);
	free(l->timers);
	free(l->work);
	l->fds = NULL;
	l->timers = NULL;
	l->work = NULL;
	l->nfds = l->ntimers = l->nwork = 0;
	l->fds_alloc = l->timers_alloc = l->work_alloc = 0;
}

/* ---- the loop ---------------------------------------------------------------------------- */

static void
run_work(struct app *app)
{
	struct tui_loop *l = &app->loop;
	size_t i;

	for (i = 0; i < l->nwork;) {
		unsigned id = l->work[i].id;
		bool more = l->work[i].fn(app, l->work[i].ctx);

		/* The callback may have added or cancelled work; find this item again. */
		if (i < l->nwork && l->work[i].id == id) {
			if (!more)
				tui_loop_cancel_work(app, id);
			else
				i++;
		}
	}
}

static void
run_timers(struct app *app)
{
	struct tui_loop *l = &app->loop;
	int64_t now = tui_now_ms();
	size_t i;

	for (i = 0; i < l->ntimers;) {
		if (l->timers[i].due_ms <= now) {
			struct tui_loop_timer t = l->timers[i];

			tui_loop_cancel_timer(app, t.id);
			t.fn(app, t.ctx);
			i = 0;	/* the list may have changed */
			now = tui_now_ms();
			continue;
		}
		i++;
	}
}

static int
next_timeout(const struct app *app)
{
	const struct tui_loop *l = &app->loop;
	int64_t now = tui_now_ms(), best = -1;
	size_t i;

	if (l->nwork)
		return 0;
	for (i = 0; i < l->ntimers; i++) {
		int64_t d = l->timers[i].due_ms - now;

		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	if (app->script.active && !l->nwork && !l->async) {
		int64_t d = app->script.sleep_until_ms - now;

		if (d <= 0)
			return 0;
		if (best < 0 || d < best)
			best = d;
	}
	return best > 60000 ? 60000 : (int)best;
}

static void
read_keys(struct app *app)
{
	wint_t wch;
	int r;

	while (!(app->pending & TUI_QUIT) && (r = wget_wch(app->msg.w, &wch)) != ERR) {
		int key;

		if (r == KEY_CODE_YES) {
			if (wch == KEY_RESIZE) {
				tui_app_resize(app, LINES, COLS);
				continue;
			}
			key = wch == KEY_ENTER ? TUI_KEY_ENTER :
			      wch == KEY_BACKSPACE ? TUI_KEY_BACKSPACE : (int)(TUI_KEY_FN | wch);
		} else {
			key = wch == '\n' ? TUI_KEY_ENTER : wch == 8 ? TUI_KEY_BACKSPACE : (int)wch;
		}
		app->key_t0_us = now_us();
		tui_app_key(app, key);
	}
}

static void
script_step(struct app *app)
{
	const struct tui_script_token *t;

	if (tui_now_ms() < app->script.sleep_until_ms)
		return;
	t = tui_script_next(&app->script);
	if (!t) {
		app->pending |= TUI_QUIT;
		return;
	}
	if (t->cmd) {
		tui_app_trace(app, "script:%u: :%s", t->line, t->cmd);
		tui_cmdline_exec(app, t->cmd);
	} else {
		/* Only keys are timed: commands (`:blueprint`, `:save-screen`) are not keystrokes. */
		app->key_t0_us = now_us();
		tui_app_key(app, t->key);
	}
}

static void
record_frame(struct app *app)
{
	app->frames++;
	if (app->frames == 1)
		app->first_frame_ms = (double)(now_us() - app->start.t0_ms * 1000) / 1000.0;
	if (app->lint_runs && !app->lint_frame_ms)
		app->lint_frame_ms = (double)(now_us() - app->start.t0_ms * 1000) / 1000.0;
	if (app->key_t0_us) {
		CSF_GROW(app->key_ms, app->key_ms_alloc, app->nkey_ms + 1);
		app->key_ms[app->nkey_ms++] = (double)(now_us() - app->key_t0_us) / 1000.0;
		tui_app_trace(app, "frame: %.3f ms after the key", app->key_ms[app->nkey_ms - 1]);
		app->key_t0_us = 0;
	}
	if (app->start.max_frames > 0 && (long)app->frames >= app->start.max_frames)
		app->pending |= TUI_QUIT;
}

int
tui_loop_run(struct app *app)
{
	struct tui_loop *l = &app->loop;
	struct pollfd *pfd = NULL;
	size_t pfd_alloc = 0;

	while (!(app->pending & TUI_QUIT)) {
		size_t i, n = 0, nfds;
		int timeout, r;

		/* The first frame comes before any background work (lint), so the screen is up
		 * at once; work then runs one step per pass. */
		if (app->frames)
			run_work(app);
		run_timers(app);
		if (app->pending & TUI_DRAW_BITS) {
			tui_app_draw(app);
			record_frame(app);
		} else if (app->key_t0_us) {
			/* A key that changed nothing still ends here: no frame, no timing sample. */
			app->key_t0_us = 0;
		}
		if (app->pending & TUI_QUIT)
			break;

		timeout = next_timeout(app);
		if (app->pending & TUI_DRAW_BITS)
			timeout = 0;	/* something changed after the draw (a callback): draw it */
		if (app->script.active && !l->async && app->script.sleep_until_ms <= tui_now_ms())
			timeout = 0;
		nfds = l->nfds + 1;
		CSF_GROW(pfd, pfd_alloc, nfds);
		for (i = 0; i < l->nfds; i++) {
			pfd[n].fd = l->fds[i].fd;
			pfd[n].events = l->fds[i].events;
			pfd[n].revents = 0;
			n++;
		}
		if (l->input_fd >= 0) {
			pfd[n].fd = l->input_fd;
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			n++;
		}
		r = poll(pfd, n, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0) {
			for (i = 0; i < n; i++) {
				size_t k;

				if (!pfd[i].revents)
					continue;
				if (l->input_fd >= 0 && pfd[i].fd == l->input_fd && i == n - 1) {
					if (pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL)) {
						/* The terminal went away (SSH dropped) without SIGHUP. */
						tui_app_signal(app, SIGHUP);
						break;
					}
					continue;
				}
				for (k = 0; k < l->nfds; k++)
					if (l->fds[k].fd == pfd[i].fd) {
						l->fds[k].fn(app, pfd[i].fd, pfd[i].revents,
							     l->fds[k].ctx);
						break;
					}
			}
		}
		/* ncurses may hold keys read ahead, so ask it even without POLLIN. */
		if (l->input_fd >= 0 && !(app->pending & TUI_QUIT))
			read_keys(app);
		/* A script waits for background work, as a user waits for the findings: runs are
		 * deterministic whatever the machine's speed. */
		if (app->script.active && !l->nwork && !l->async &&
		    !(app->pending & (TUI_QUIT | TUI_DRAW_BITS)))
			script_step(app);
	}
	free(pfd);
	return app->exit_status;
}
