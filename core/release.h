/* Release promotion through the GitOps repository (DESIGN §6).
 *
 * A release of (module, tenant) in a stage is the folder environments/<stage>/<tenant>/<module>/:
 * the rendered artifacts plus release.yaml, which records releaseId, module, tenant, environment,
 * version, blueprint/infra hashes, image tag, promotedFrom, approvals, gate results and the
 * freight — the effective blueprint of (module, tenant) *without* any environment overlay — so
 * the stage can be re-rendered for the next one.
 *
 * Every write goes in two steps, so a UI can show each one and back out before the commit:
 *   1. plan:  csf_release_plan_new / _promote / _rollback render the new folder, diff it against
 *             what the target stage holds at the branch tip (plan->base) and evaluate the gates;
 *             nothing is written. csf_release_plan_gates() re-evaluates the gates after the
 *             approval or the clock changed.
 *   2. apply: csf_release_apply() writes one commit with trailers (Release-Id, Module, Tenant,
 *             Version, Promoted-From, Promoted-To, Approved-By, Reason) and moves the branch only
 *             if it still points at plan->base (CSF_E_CONFLICT otherwise: plan again).
 *
 * Gates (one struct csf_release_gate each, in this order):
 *   freeze          no freeze window of pipeline.yaml active at ctx->now (UTC)
 *   lintClean       the module's blueprint lints without errors for (tenant, target) — when the
 *                   stage asks for it
 *   requireTests    a test report (JUnit XML or JSON) exists and passes — when the stage or the
 *                   blueprint's release.gates.requireTests asks for it
 *   requireApproval a name and a reason, the name among the allowed approvers when a list is
 *                   given — when the stage, the workspace environment (`approval: true`) or the
 *                   blueprint's release.gates.requireApproval asks; always for production
 *   health          promotions: (module, tenant) is healthy on ctx->cluster (taken to run the
 *                   source stage): every replica ready, nothing failing — blocks when it is
 *                   degraded, down, missing or cannot be read; skipped (and said so) when no
 *                   cluster is given, and for new releases and rollbacks
 * A skipped gate never blocks. --readonly (ctx->readonly) refuses csf_release_apply().
 */
#ifndef CSF_CORE_RELEASE_H
#define CSF_CORE_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/arena.h"
#include "core/artdiff.h"
#include "core/buf.h"
#include "core/cluster.h"
#include "core/gitops.h"
#include "core/render.h"
#include "core/status.h"
#include "core/workspace.h"

/* Renders one cell for the release: the caller's effective blueprint (freight ⊕ target
 * environment) into files (paths relative to the module folder). The default is core/render. */
typedef enum csf_status (*csf_release_render_fn)(void *ctx, const struct csf_effective *eff,
						 const struct csf_workspace *ws,
						 struct csf_fileset *out, struct csf_error *err);

struct csf_release_ctx {
	struct csf_gitops *repo;		/* borrowed */
	const struct csf_workspace *ws;		/* borrowed; NULL: no workspace (no lint, no new) */
	struct csf_pipeline pipeline;		/* owned: from pipeline.yaml at the tip, or default */
	bool pipeline_default;			/* the repository has no pipeline.yaml yet */
	time_t now;				/* clock for freeze windows and release times */
	bool readonly;
	const char *test_report;		/* overrides the stage's report path (relative to the
						 * current folder; {module} {tenant} {env} replaced),
						 * or NULL: pipeline.yaml's, relative to the workspace */
	const char *actor;			/* who runs this (commit author); NULL: git identity */
	csf_release_render_fn render;		/* NULL: core/render */
	void *render_ctx;
	struct csf_cluster_source *cluster;	/* borrowed: where the source stage runs, for the
						 * health gate; NULL: no cluster (gate skipped) */
};

/* Opens the context: reads pipeline.yaml at the branch tip (the default pipeline when there is
 * none). now == 0 uses $CSF_NOW (csf_parse_utc syntax) when set, else the real clock. Caller
 * releases with csf_release_ctx_release(). */
enum csf_status csf_release_ctx_init(struct csf_release_ctx *ctx, struct csf_gitops *repo,
				     const struct csf_workspace *ws, time_t now,
				     struct csf_error *err);
void csf_release_ctx_release(struct csf_release_ctx *ctx);

/* ---- release.yaml ---------------------------------------------------------------------------- */

enum csf_gate_state {
	CSF_GATE_PASS,
	CSF_GATE_BLOCK,
	CSF_GATE_SKIP,
};

const char *csf_gate_state_name(enum csf_gate_state s);	/* "pass", "block", "skip" */

struct csf_release_gate {
	char *name;
	enum csf_gate_state state;
	char *detail;			/* why, for people */
};

struct csf_approval {
	char *name, *reason;
};

/* A parsed release.yaml. Strings are owned (free with csf_release_meta_release()). */
struct csf_release_meta {
	char *release_id, *module, *tenant, *edition, *environment, *provider, *blueprint_provider;
	char *version, *image, *image_tag, *blueprint_hash, *infra_hash, *freight_hash;
	char *promoted_from, *rollback_of, *created_at, *created_by;
	struct csf_approval *approvals;
	size_t napprovals;
	struct csf_release_gate *gates;
	size_t ngates;
	char *freight;			/* YAML text of the freight (a mapping) */
};

enum csf_status csf_release_meta_parse(const char *name, const char *text, size_t len,
				       struct csf_release_meta *m, struct csf_error *err);
/* Appends release.yaml text for m to out. */
void csf_release_meta_write(const struct csf_release_meta *m, struct csf_buf *out);
void csf_release_meta_release(struct csf_release_meta *m);

/* "environments/<env>/<tenant>/<module>". Caller owns the result; free with free(). */
char *csf_release_dir(const char *env, const char *tenant, const char *module);

/* ---- plans ----------------------------------------------------------------------------------- */

enum csf_release_kind {
	CSF_RELEASE_NEW,		/* workspace → first stage */
	CSF_RELEASE_PROMOTE,		/* stage → next stage */
	CSF_RELEASE_ROLLBACK,		/* an earlier release of the stage, again */
};

struct csf_file_change {
	char *path;			/* relative to the module folder */
	char status;			/* 'A' added, 'D' removed, 'M' modified */
	size_t added, removed;		/* lines */
	bool binary;
};

struct csf_release_plan {
	enum csf_release_kind kind;
	char *module, *tenant, *from, *to;	/* from: "workspace" for new, the stage for rollback */
	char base[CSF_OID_HEX];		/* the branch tip the diff was computed on ("" = empty) */
	char *dir;			/* environments/<to>/<tenant>/<module> */
	struct csf_fileset old_files;	/* artifacts the target holds now (release.yaml left out) */
	struct csf_fileset new_files;	/* artifacts it will hold */
	struct csf_file_change *changes;	/* sorted by path */
	size_t nchanges, added, removed;
	struct csf_artdiff *diff;	/* old_files → new_files with per-file line and semantic
					 * diffs (core/artdiff); NULL only if libgit2 failed */
	char **summary;			/* semantic summary lines ("version: 1.2.3 → 1.2.4") */
	size_t nsummary, summary_alloc;
	char **warnings;		/* render warnings and notes */
	size_t nwarnings, warnings_alloc;
	struct csf_release_gate *gates;
	size_t ngates;
	bool blocked;			/* a gate blocked */
	bool empty;			/* same artifacts and same freight: nothing to commit */
	struct csf_release_meta old_meta;	/* release.yaml of the target now (zeroed if none) */
	bool has_old;
	struct csf_release_meta meta;	/* the release.yaml to write */
	struct csf_approval approval;	/* as given (may be empty) */
};

/* Plans `release new`: renders the workspace's (module, tenant) for the first stage. */
enum csf_status csf_release_plan_new(struct csf_release_ctx *ctx, const char *module,
				     const char *tenant, const struct csf_approval *approval,
				     struct csf_release_plan *out, struct csf_error *err);

/* Plans a promotion from → to (to must come after from in the pipeline; usually the next
 * stage). CSF_E_NOTFOUND when `from` holds no release of (module, tenant). */
enum csf_status csf_release_plan_promote(struct csf_release_ctx *ctx, const char *module,
					 const char *tenant, const char *from, const char *to,
					 const struct csf_approval *approval,
					 struct csf_release_plan *out, struct csf_error *err);

/* Plans a rollback of (module, tenant) in env to release (a releaseId or a commit id; NULL: the
 * release before the current one). */
enum csf_status csf_release_plan_rollback(struct csf_release_ctx *ctx, const char *module,
					  const char *tenant, const char *env, const char *release,
					  const struct csf_approval *approval,
					  struct csf_release_plan *out, struct csf_error *err);

/* Re-evaluates the gates of plan with approval (NULL: keep the plan's). */
void csf_release_plan_gates(struct csf_release_ctx *ctx, struct csf_release_plan *plan,
			    const struct csf_approval *approval);

/* The commit message plan would be written with. */
void csf_release_message(const struct csf_release_plan *plan, struct csf_buf *out);

/* Writes the plan's commit. CSF_E_READONLY, CSF_E_GATE (a gate blocks: nothing written),
 * CSF_E_CONFLICT (the branch moved since plan->base: plan again), CSF_E_GIT. An empty plan
 * writes nothing and returns CSF_E_OK with commit "". */
enum csf_status csf_release_apply(struct csf_release_ctx *ctx, struct csf_release_plan *plan,
				  char commit[CSF_OID_HEX], struct csf_error *err);

void csf_release_plan_release(struct csf_release_plan *plan);

/* The unified diff of one changed file of plan (headers a/<dir>/<path>, b/<dir>/<path>). */
enum csf_status csf_release_file_diff(const struct csf_release_plan *plan, const char *path,
				      struct csf_buf *out, struct csf_error *err);

/* ---- the board ------------------------------------------------------------------------------- */

/* Strings of the board are borrowed from it: valid until csf_board_release(). */
struct csf_board_slot {
	const char *version;		/* NULL: nothing released there */
	const char *release_id;
	const char *freight_hash;	/* the first 16 hex digits */
	const char *created_at;
};

struct csf_board_row {
	const char *module, *tenant;
	struct csf_board_slot *slots;	/* one per stage */
	size_t waiting_from;		/* the latest stage whose release waits for the next stage;
					 * SIZE_MAX: nothing waiting */
	const char *workspace_version;	/* the workspace's version when its freight differs from
					 * the first stage's (waiting for `release new`), else NULL */
};

struct csf_board {
	char **stages;
	size_t nstages;
	struct csf_board_row *rows;	/* sorted by module, tenant */
	size_t nrows, alloc;
	char head[CSF_OID_HEX];
	size_t nwaiting;		/* rows with something waiting */
	struct csf_buf text;		/* the index the strings point into */
	struct csf_arena arena;		/* slots and workspace strings */
};

/* Builds the board from .csf/releases.tsv at the tip (one blob; folders are not walked), and —
 * with a workspace — marks cells whose workspace freight differs from the first stage. */
enum csf_status csf_release_board(struct csf_release_ctx *ctx, struct csf_board *out,
				  struct csf_error *err);
void csf_board_release(struct csf_board *b);

/* ---- history --------------------------------------------------------------------------------- */

struct csf_history_entry {
	char commit[CSF_OID_HEX];
	char *author, *email;
	time_t when;
	char *release_id, *module, *tenant, *version, *from, *approved_by, *reason, *subject;
	char *gates;			/* "freeze=pass lintClean=pass …" from the commit body */
	struct csf_file_change *changes;	/* the diff of this commit in that folder */
	size_t nchanges, added, removed;
};

struct csf_history {
	struct csf_history_entry *v;
	size_t n, alloc;
};

/* Releases into env, newest first (module/tenant: NULL for all). */
enum csf_status csf_release_history(struct csf_release_ctx *ctx, const char *env,
				    const char *module, const char *tenant, struct csf_history *out,
				    struct csf_error *err);
void csf_history_release(struct csf_history *h);

#endif
