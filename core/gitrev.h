/* Reading files as they are in a git revision (libgit2), for blueprint review (DESIGN §7):
 * the working tree, the index, or any commit-ish (HEAD, a branch, a tag, a commit id,
 * "HEAD~2", …).
 *
 * Revision names:
 *   "WORKTREE", "worktree" or ""   the files on disk (ignored files are left out of listings)
 *   ":", "INDEX" or "index"         the staged content (stage 0)
 *   anything else                   git_revparse_single(), peeled to a tree
 * Paths are relative to the repository's top folder and use '/'.
 *
 * libgit2 lifetime: csf_gitrepo_open() takes one git_libgit2_init() reference and
 * csf_gitrepo_free() drops it (see core/diff.h).
 */
#ifndef CSF_CORE_GITREV_H
#define CSF_CORE_GITREV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"

struct csf_gitrepo;
struct csf_gitrev;

/* Opens the repository that contains path (a file or folder; discovery walks up). Fails with
 * CSF_E_GIT when there is none. Caller owns *out; free with csf_gitrepo_free(). */
enum csf_status csf_gitrepo_open(const char *path, struct csf_gitrepo **out,
				 struct csf_error *err);
void csf_gitrepo_free(struct csf_gitrepo *repo);

/* The working-tree folder, with a trailing '/'. Borrowed from repo. */
const char *csf_gitrepo_workdir(const struct csf_gitrepo *repo);

/* Turns path (absolute, or relative to the current folder; it need not exist) into a path
 * relative to the repository's top folder; "" for the top folder itself. Fails with
 * CSF_E_USAGE when path is outside the working tree. Caller owns *rel; free with free(). */
enum csf_status csf_gitrepo_relpath(const struct csf_gitrepo *repo, const char *path, char **rel,
				    struct csf_error *err);

/* Splits "R1..R2" into *r1 and *r2; "R1" alone gives r2 = "WORKTREE" (R1 against the working
 * tree). Empty sides of ".." mean HEAD ("..main" is HEAD..main), as in git. Caller owns both;
 * free with free(). Fails with CSF_E_USAGE on "", "..", or more than one "..". */
enum csf_status csf_gitrev_parse_range(const char *spec, char **r1, char **r2,
				       struct csf_error *err);

/* Resolves a revision name (see above). The result borrows repo: free it first.
 * Caller owns *out; free with csf_gitrev_free(). */
enum csf_status csf_gitrev_resolve(struct csf_gitrepo *repo, const char *name,
				   struct csf_gitrev **out, struct csf_error *err);
void csf_gitrev_free(struct csf_gitrev *rev);

/* "WORKTREE", "INDEX", or the name as given followed by the short commit id:
 * "HEAD (1a2b3c4)". Borrowed from rev. */
const char *csf_gitrev_label(const struct csf_gitrev *rev);

/* Reads the file at rel into out (appending). *exists is false, and out untouched, when the
 * revision has no file there (a missing file is not an error). Fails on I/O or git errors,
 * and with CSF_E_USAGE when rel names a folder. */
enum csf_status csf_gitrev_read(const struct csf_gitrev *rev, const char *rel,
				struct csf_buf *out, bool *exists, struct csf_error *err);

/* True when the revision has a folder (tree) at rel ("" is the top folder). */
bool csf_gitrev_is_dir(const struct csf_gitrev *rev, const char *rel);

/* Calls fn for every file under folder prefix ("" for all), in path order, with the path
 * relative to the top folder. Submodules and symbolic links are left out. fn's path is valid
 * only during the call; return false from fn to stop. */
typedef bool (*csf_gitrev_file_fn)(void *ctx, const char *rel);
enum csf_status csf_gitrev_list(const struct csf_gitrev *rev, const char *prefix,
				csf_gitrev_file_fn fn, void *ctx, struct csf_error *err);

/* One revision a reviewer can pick (csf_gitrepo_revisions). */
struct csf_rev_choice {
	char name[128];			/* what csf_gitrev_resolve() takes: "WORKTREE", "INDEX",
					 * "HEAD", a branch name, or a commit id (40 hex) */
	char label[160];		/* "main (1a2b3c4)", "1a2b3c4 Raise maxReplicas", … */
};

/* The revisions to pick from, in this order: WORKTREE, INDEX, HEAD, every local branch (by
 * name), then up to max_commits commits reachable from HEAD, newest first, labelled with their
 * short id and subject. Caller owns *out; free with free(). A repository without commits gives
 * WORKTREE and INDEX only. */
enum csf_status csf_gitrepo_revisions(struct csf_gitrepo *repo, size_t max_commits,
				      struct csf_rev_choice **out, size_t *n,
				      struct csf_error *err);

/* Writes every file under prefix into folder dest (created), keeping paths relative to prefix,
 * so a workspace folder at a revision can be opened with csf_workspace_open(). */
enum csf_status csf_gitrev_export(const struct csf_gitrev *rev, const char *prefix,
				  const char *dest, struct csf_error *err);

#endif
