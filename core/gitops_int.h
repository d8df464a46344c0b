/* The GitOps module's internals, shared by core/gitops.c (file sets, the repository, reading,
 * history), core/gitops_pipeline.c (times, cron, pipeline.yaml) and core/gitops_commit.c (the
 * commit writer). Not for other modules: their API is core/gitops.h. */
#ifndef CSF_CORE_GITOPS_INT_H
#define CSF_CORE_GITOPS_INT_H

#include <stdbool.h>

#include <git2.h>

#include "core/buf.h"
#include "core/gitops.h"
#include "core/status.h"

#define NOLOC ((struct csf_loc){ 0, 0 })

struct csf_gitops {
	git_repository *repo;
	char *path;
	char *branch;		/* short name, or NULL while HEAD is detached and none was set */
	char *detached_at;	/* abbreviated id when HEAD is detached */
	bool bare;
	bool created;
	git_odb_backend *mempack;	/* new objects go here first, then into one pack file */
};

/* Fills err with code and "what: <libgit2's last error>"; returns code. */
enum csf_status csf_gitops_fail(struct csf_error *err, enum csf_status code, const char *what);
/* The path of the marker file that says a checkout was interrupted, into b. */
void csf_gitops_marker_path(struct csf_gitops *g, struct csf_buf *b);
/* True when HEAD is a symbolic ref to our branch (the working tree follows it). */
bool csf_gitops_head_on_branch(struct csf_gitops *g);
/* The branch tip into oid; *unborn (and CSF_E_OK) when the branch has no commit yet. Fails
 * when HEAD is detached and no branch was set. */
enum csf_status csf_gitops_tip_oid(struct csf_gitops *g, git_oid *oid, bool *unborn,
				   struct csf_error *err);

#endif
