/* The event loop (STYLE §10): one loop, in tui_loop_run().
 *
 * Each pass: runs one step of every background work item; fires due timers; lays out and
 * draws what is dirty (each window ends with wnoutrefresh) and calls doupdate() once; then
 * waits in poll() for the keyboard, the signal self-pipe, the inotify watch and every extra
 * file descriptor, for at most the time to the next timer (0 while work is pending, so work
 * never blocks input for more than one step). Keys are then resolved through the keymaps and
 * dispatched. In key-script mode (CSF_TUI_SCRIPT) one script token replaces the keyboard per
 * pass.
 *
 * Extra descriptors and timers are how asynchronous sources plug in, e.g. a libcurl multi
 * handle: register each socket from CURLMOPT_SOCKETFUNCTION with tui_loop_add_fd, the
 * CURLMOPT_TIMERFUNCTION timeout with tui_loop_add_timer, and call curl_multi_socket_action
 * from the callbacks.
 */
#ifndef CSF_TUI_LOOP_H
#define CSF_TUI_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;

/* Called when fd is ready; events are POLLIN/POLLOUT/POLLERR/POLLHUP bits from poll(2). */
typedef void (*tui_fd_fn)(struct app *app, int fd, short events, void *ctx);
/* Called once when a timer is due. Re-add it for a repeating timer. */
typedef void (*tui_timer_fn)(struct app *app, void *ctx);
/* One step of background work; keep it under a few milliseconds. Return true while there is
 * more to do (the loop calls it again on the next pass without sleeping), false when done
 * (the item is removed). */
typedef bool (*tui_work_fn)(struct app *app, void *ctx);

struct tui_loop_fd {
	int fd;
	short events;
	tui_fd_fn fn;
	void *ctx;
};

struct tui_loop_timer {
	unsigned id;
	int64_t due_ms;		/* monotonic */
	tui_timer_fn fn;
	void *ctx;
};

struct tui_loop_work {
	unsigned id;
	const char *label;	/* shown in the status line while it runs (static storage) */
	tui_work_fn fn;
	void *ctx;
};

struct tui_loop {
	unsigned async;		/* asynchronous jobs running (threads, network requests) */
	const char *async_label;
	struct tui_loop_fd *fds;
	size_t nfds, fds_alloc;
	struct tui_loop_timer *timers;
	size_t ntimers, timers_alloc;
	struct tui_loop_work *work;
	size_t nwork, work_alloc;
	unsigned next_id;
	int sig_pipe[2];	/* signal handlers write the signal number to [1] */
	int input_fd;		/* the terminal, or -1 in script mode */
};

/* Monotonic milliseconds. */
int64_t tui_now_ms(void);

/* Watches fd for events (POLLIN and/or POLLOUT); replaces an earlier registration of fd.
 * The callback runs from the loop, never from a signal handler. Returns 0. */
int tui_loop_add_fd(struct app *app, int fd, short events, tui_fd_fn fn, void *ctx);
/* Changes the events watched for fd (0 pauses it). */
void tui_loop_set_fd_events(struct app *app, int fd, short events);
/* Stops watching fd (does not close it). */
void tui_loop_remove_fd(struct app *app, int fd);

/* Calls fn once, ms milliseconds from now. Returns an id (never 0) for tui_loop_cancel_timer. */
unsigned tui_loop_add_timer(struct app *app, unsigned ms, tui_timer_fn fn, void *ctx);
/* Cancels a pending timer; unknown or fired ids are ignored. */
void tui_loop_cancel_timer(struct app *app, unsigned id);

/* Adds background work (label shows in the status line). Returns its id. */
unsigned tui_loop_add_work(struct app *app, const char *label, tui_work_fn fn, void *ctx);
/* Removes work that has not finished. */
void tui_loop_cancel_work(struct app *app, unsigned id);
/* Asynchronous jobs that are not driven by work steps (a worker thread, a network request
 * whose completion arrives on a descriptor): begin when one starts, end when its result has
 * been taken. They show in the status line, and key scripts wait for them like for work. */
void tui_loop_async_begin(struct app *app, const char *label);
void tui_loop_async_end(struct app *app);

/* The label of the first pending work item or asynchronous job, or NULL when idle. */
const char *tui_loop_busy(const struct app *app);

/* Sets up the self-pipe and the signal handlers (SIGWINCH, SIGHUP, SIGTERM, SIGINT). */
int tui_loop_init(struct app *app);
void tui_loop_release(struct app *app);

/* Runs until TUI_QUIT. Returns the exit status: 0, or 128 + signal for SIGHUP/SIGTERM. */
int tui_loop_run(struct app *app);

#endif
