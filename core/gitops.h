/* The GitOps repository (DESIGN §6): opening or creating it with libgit2, its pipeline.yaml, and
 * commits that replace whole folders, written without touching a working tree and published by
 * moving the branch with a compare-and-swap.
 *
 * Layout:
 *   pipeline.yaml                           stages in order, gates per stage, freeze windows
 *   environments/<env>/<tenant>/<module>/   rendered artifacts + release.yaml
 *   .csf/releases.tsv                       one line per (env, tenant, module): the board index,
 *                                           rewritten in the same commit as the folder it describes
 *
 * Objects: a commit's new objects are collected in memory and written as one pack file (with
 * its index), not as one loose file per object; `git gc` consolidates the packs as usual.
 *
 * Safety contract of csf_gitops_commit():
 *   - every object (blobs, trees, the commit) is written before the branch moves, so a process
 *     killed at any point leaves the branch at the old commit or at the new one;
 *   - the branch moves only if it still points at `base` (the commit the caller's diff was computed
 *     on); otherwise CSF_E_CONFLICT and nothing visible changes;
 *   - a detached HEAD or a dirty working tree is reported (CSF_E_GIT) and never overwritten;
 *   - in a non-bare repository the working tree and index follow the branch after it moved; a
 *     marker file in the git folder records that step, and the next csf_gitops_open() that may
 *     write finishes a checkout a crash interrupted.
 *
 * Crash tests: CSF_TEST_CRASH_AT=<point> makes the process _exit(137) at a named point (see
 * csf_gitops_crash_points()). CSF_TEST_BARRIER_AT=<point> with CSF_TEST_BARRIER=<file> makes it
 * create <file>.<pid> at that point and wait (up to 60 s) until <file> exists, so a test can line
 * up two promotions on the same base commit.
 */
#ifndef CSF_CORE_GITOPS_H
#define CSF_CORE_GITOPS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/buf.h"
#include "core/status.h"

#define CSF_OID_HEX 41		/* 40 hex digits + NUL */

/* ---- file sets ------------------------------------------------------------------------------ */

struct csf_gfile {
	char *path;		/* relative, '/'-separated, safe (csf_safe_relpath) */
	char *data;		/* NUL-terminated copy; may hold NUL bytes */
	size_t len;
	bool exec;		/* file mode 100755 */
};

/* An owned list of files; paths are unique once sorted with csf_fileset_sort(). */
struct csf_fileset {
	struct csf_gfile *v;
	size_t n, alloc;
};

#define CSF_FILESET_INIT { NULL, 0, 0 }

/* Copies path and data. A later file with the same path replaces the earlier one. */
void csf_fileset_add(struct csf_fileset *s, const char *path, const void *data, size_t len,
		     bool exec);
/* Sorts by path (bytewise) and drops earlier duplicates. */
void csf_fileset_sort(struct csf_fileset *s);
/* Binary search in a sorted set; NULL when absent. Borrowed. */
const struct csf_gfile *csf_fileset_find(const struct csf_fileset *s, const char *path);
void csf_fileset_release(struct csf_fileset *s);

/* ---- pipeline.yaml -------------------------------------------------------------------------- */

/* A freeze window: explicit [from, to) in UTC, or a cron-like expression (minute hour
 * day-of-month month day-of-week; '*', lists, ranges and steps) active during each matching
 * minute, evaluated in UTC. */
struct csf_freeze {
	char *reason;
	time_t from, to;	/* explicit window when cron is NULL */
	char *cron;
};

struct csf_stage_gates {
	bool lint_clean;
	bool require_tests;
	char *test_report;	/* path template ({module} {tenant} {env}), or NULL */
	bool require_approval;
	char **approvers;	/* allowed names; NULL/0 with require_approval = anyone named */
	size_t napprovers;
};

struct csf_stage {
	char *name;
	struct csf_stage_gates gates;
	struct csf_freeze *freezes;	/* this stage's windows */
	size_t nfreezes;
};

struct csf_pipeline {
	char *branch;			/* branch to write; NULL: the branch HEAD points to */
	struct csf_stage *stages;	/* in promotion order */
	size_t nstages;
	struct csf_freeze *freezes;	/* windows that apply to every stage */
	size_t nfreezes;
};

/* The pipeline written into a new repository: dev, staging, production; lint clean everywhere,
 * approval required in production. Text is static. */
const char *csf_pipeline_default_text(void);

/* Parses pipeline.yaml text. Errors carry name:line:col. Caller owns p; release with
 * csf_pipeline_release(). */
enum csf_status csf_pipeline_parse(const char *name, const char *text, size_t len,
				   struct csf_pipeline *p, struct csf_error *err);
void csf_pipeline_release(struct csf_pipeline *p);

/* The stage named name (aliases prod/stage accepted) or NULL; *index gets its position. */
const struct csf_stage *csf_pipeline_stage(const struct csf_pipeline *p, const char *name,
					   size_t *index);

/* Validates a cron-like expression; on failure writes why into why[n]. */
bool csf_cron_valid(const char *expr, char *why, size_t n);
/* True when the minute containing t (UTC) matches expr. expr must be valid. */
bool csf_cron_match(const char *expr, time_t t);
/* The freeze window (stage's own first, then pipeline-wide) active at now, or NULL. */
const struct csf_freeze *csf_pipeline_frozen(const struct csf_pipeline *p,
					     const struct csf_stage *st, time_t now);

/* Parses "2026-11-26T19:40:00Z" (also without seconds, with a +hh:mm offset, or a date alone) or
 * "@<unix seconds>" into *out. */
bool csf_parse_utc(const char *s, time_t *out);
/* "2026-11-26T19:40:00Z" into out[n] (n >= 21). */
const char *csf_format_utc(time_t t, char *out, size_t n);

/* ---- the repository ------------------------------------------------------------------------- */

struct csf_gitops;

enum {
	CSF_GITOPS_CREATE = 1 << 0,	/* initialise a (non-bare) repository when path has none */
	CSF_GITOPS_WRITE = 1 << 1,	/* may write: finishes an interrupted checkout */
};

/* Opens the repository at path (a working tree or a bare repository). With CSF_GITOPS_CREATE a
 * missing repository is created with branch "main". CSF_E_NOTFOUND when there is none and
 * creating was not asked. Caller owns *out; free with csf_gitops_free(). */
enum csf_status csf_gitops_open(const char *path, unsigned flags, struct csf_gitops **out,
				struct csf_error *err);
void csf_gitops_free(struct csf_gitops *g);

/* Borrowed from g. */
const char *csf_gitops_path(const struct csf_gitops *g);
/* The branch commits go to ("main", not "refs/heads/main"). */
const char *csf_gitops_branch(const struct csf_gitops *g);
bool csf_gitops_bare(const struct csf_gitops *g);
/* True when the repository was created by this csf_gitops_open(). */
bool csf_gitops_created(const struct csf_gitops *g);

/* Uses branch instead of the one HEAD points to (pipeline.yaml `branch:`). */
void csf_gitops_set_branch(struct csf_gitops *g, const char *branch);

/* The commit the branch points to, as 40 hex digits, or "" when the branch has no commit yet. */
enum csf_status csf_gitops_tip(struct csf_gitops *g, char out[CSF_OID_HEX], struct csf_error *err);

/* CSF_E_OK when a commit may be written: HEAD is not detached and (non-bare) the working tree and
 * index are clean. Otherwise CSF_E_GIT with what is wrong and the first paths concerned. */
enum csf_status csf_gitops_check_writable(struct csf_gitops *g, struct csf_error *err);

/* Resolves a revision ("HEAD", a branch, a full or abbreviated commit id) to a commit id. */
enum csf_status csf_gitops_resolve(struct csf_gitops *g, const char *rev, char out[CSF_OID_HEX],
				   struct csf_error *err);

/* Reads the file at path in commit rev ("" = none: always CSF_E_NOTFOUND). Appends to out. */
enum csf_status csf_gitops_read(struct csf_gitops *g, const char *rev, const char *path,
				struct csf_buf *out, struct csf_error *err);

/* Adds every file under folder dir in commit rev to out, with paths relative to dir. A missing
 * folder adds nothing (not an error). */
enum csf_status csf_gitops_read_dir(struct csf_gitops *g, const char *rev, const char *dir,
				    struct csf_fileset *out, struct csf_error *err);

/* The tree id of path in commit rev, "" when absent: equal ids mean identical content. */
enum csf_status csf_gitops_tree_id(struct csf_gitops *g, const char *rev, const char *path,
				   char out[CSF_OID_HEX], struct csf_error *err);

/* One change of a commit: the folder (or file, for single files) at path is replaced by files
 * (paths relative to it). files == NULL deletes it. A folder with no files is deleted too. */
struct csf_gitops_write {
	const char *path;
	const struct csf_fileset *files;
	bool single;		/* path names one file: files->v[0] is its content */
};

struct csf_gitops_sig {
	const char *name, *email;	/* NULL: $GIT_AUTHOR_NAME/EMAIL, git config, then csf-tui */
	time_t when;			/* 0: now */
};

/* Writes one commit on top of base (the commit the caller computed its diff on; "" = the branch
 * has no commit yet) applying writes in order, and moves the branch to it only if the branch
 * still points at base. CSF_E_CONFLICT when it moved (someone else promoted: refresh), CSF_E_GIT
 * when the repository cannot be written (see csf_gitops_check_writable()). The new commit id goes
 * to out. */
enum csf_status csf_gitops_commit(struct csf_gitops *g, const char *base,
				  const struct csf_gitops_write *writes, size_t nwrites,
				  const char *message, const struct csf_gitops_sig *sig,
				  char out[CSF_OID_HEX], struct csf_error *err);

/* ---- history -------------------------------------------------------------------------------- */

struct csf_gitops_commit_info {
	char id[CSF_OID_HEX];
	char parent[CSF_OID_HEX];	/* first parent or "" */
	const char *author, *email;	/* borrowed for the callback's duration */
	time_t when;
	const char *message;		/* full message */
};

/* Called newest first; return false to stop. */
typedef bool (*csf_gitops_log_fn)(void *ctx, const struct csf_gitops_commit_info *c);

/* Walks first parents from rev back to the root commit, calling fn for commits that changed
 * path (NULL or "": every commit). */
enum csf_status csf_gitops_log(struct csf_gitops *g, const char *rev, const char *path,
			       csf_gitops_log_fn fn, void *ctx, struct csf_error *err);

/* Value of trailer key ("Release-Id") in a commit message, copied into out; false if absent. */
bool csf_gitops_trailer(const char *message, const char *key, struct csf_buf *out);

/* ---- crash points --------------------------------------------------------------------------- */

/* The NULL-terminated list of point names CSF_TEST_CRASH_AT accepts. */
const char *const *csf_gitops_crash_points(void);
/* Test hook: exits (137) when $CSF_TEST_CRASH_AT names point; waits at a barrier when
 * $CSF_TEST_BARRIER_AT names it. No effect otherwise. */
void csf_gitops_test_point(const char *point);

#endif
