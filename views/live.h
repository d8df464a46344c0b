/* Live views: what the views that load from a cluster or a trace backend (tenants, scaling,
 * traces) share — a load that runs in a worker thread and reports on a pipe the loop
 * watches, its progress timer, and the labels and titles they show.
 *
 * A load is a struct view_live_job embedded as the first member of the view's own job struct
 * (struct tv_job { struct view_live_job base; …results… }). Two references: the loop's and
 * the worker's; whichever drops the last frees it (closes the pipe, calls .free). The worker
 * checks .cancel between steps and may publish progress in .done, .total and .bytes.
 *
 * The loop side is a struct view_live embedded in the view's private data: set .view,
 * .progress_ms, .progress and .ready once in .open, then view_live_start for each load and
 * view_live_stop in .close (and to cancel). While a job runs, view_live_busy is true, the
 * status line shows its label (tui_loop_async_begin) and .progress is called every
 * .progress_ms; when the worker is done, .ready is called once with the job.
 */
#ifndef CSF_VIEWS_LIVE_H
#define CSF_VIEWS_LIVE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"
#include "tui/cli.h"

struct app;
struct csf_cluster_job;
struct csf_cluster_source;
struct view;
struct view_live_job;

/* Runs in the worker thread; fills the derived job's results. */
typedef void (*view_live_run_fn)(struct view_live_job *job);
/* Frees what the derived job owns and the job itself; called once, from either thread. */
typedef void (*view_live_free_fn)(struct view_live_job *job);

struct view_live_job {
	atomic_int refs;
	atomic_bool cancel;			/* set by the loop: stop soon, nobody reads */
	atomic_size_t done, total;		/* requests, for the progress text */
	atomic_ullong bytes;			/* bytes received, for the progress text */
	int pipe[2];
	view_live_run_fn run;
	view_live_free_fn free;
};

struct view_live {
	struct view *view;			/* passed back to the callbacks */
	unsigned progress_ms;
	/* Called every progress_ms while the job runs (not at start); the redraw is requested
	 * after it. May be NULL. */
	void (*progress)(struct view *view, struct app *app);
	/* Called once when the job is done, after it stopped being busy. The job is borrowed:
	 * valid during the call only; take (and NULL) the results to keep. */
	void (*ready)(struct view *view, struct app *app, struct view_live_job *job);
	/* the running job, or NULL */
	struct view_live_job *job;
	unsigned progress_timer;
};

/* Starts job (calloc'ed by the caller, run and free set) in a detached worker thread.
 * Takes ownership of job. label shows in the status line while it runs. Returns NULL when
 * it runs, else why it could not start ("no pipe" or "no thread"; job is then freed). A job
 * still running is not stopped: call view_live_stop first if that is wanted. */
const char *view_live_start(struct view_live *live, struct app *app, struct view_live_job *job,
			    const char *label);
/* Cancels the running job, if any: the loop forgets it, the worker finishes on its own. */
void view_live_stop(struct view_live *live, struct app *app);

static inline bool
view_live_busy(const struct view_live *live)
{
	return live->job != NULL;
}

/* Where a load runs: the app's workspace, kube context and environment, copied when it
 * starts (the worker must not read the app). */
struct view_live_scope {
	char *ws_dir;				/* or NULL */
	char *context;				/* or NULL */
	char *env;				/* "production" when the app has none */
};

/* Copies the app's workspace, context and environment into s. */
void view_live_scope_init(struct view_live_scope *s, const struct app *app);
void view_live_scope_release(struct view_live_scope *s);

/* A cluster load in the worker (tenants, scaling): the source and GitOps folder as the headless
 * commands open them (tui/cli_cluster.h), and the cluster job the view starts on it. */
struct view_live_cluster {
	struct cli_global g;
	struct csf_cluster_source *src;
	struct csf_cluster_job *cj;		/* set by the view (csf_cluster_*_start) */
	char *gitops;
};

/* Opens the cluster source of at's workspace and kube context and writes its label
 * (view_live_source_label) into source (n bytes). Call view_live_cluster_release afterwards,
 * also on failure. at is borrowed: it must outlive c. */
enum csf_status view_live_cluster_open(struct view_live_cluster *c,
				       const struct view_live_scope *at, char *source, size_t n,
				       struct csf_error *err);
/* Polls c->cj until it is done, publishing its progress (requests, bytes) in job. Returns
 * false when job was cancelled first. */
bool view_live_cluster_wait(struct view_live_cluster *c, struct view_live_job *job);
/* Frees the cluster job, the source and the GitOps path. */
void view_live_cluster_release(struct view_live_cluster *c);

/* A path for people and goldens: relative to ws when inside it, else its last two components
 * ("samples/cluster"). Appends to out. */
void view_live_short_path(const char *path, size_t len, const char *ws, struct csf_buf *out);
/* A cluster source's name with its snapshot folder shortened (view_live_short_path), into
 * out (n bytes, truncated). */
void view_live_source_label(const char *name, const char *ws, char *out, size_t n);
/* Under LANG=C the pane titles' middle dots become '-'. */
void view_live_titles_ascii(struct view *view);

#endif
