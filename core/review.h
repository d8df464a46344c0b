/* Blueprint review: the two sides of a diff as file sets — files on disk, files at a git
 * revision (core/gitrev.h), or the artifacts a blueprint or a workspace generates for one cell
 * (core/render.h) — ready for csf_artdiff_compute(). Shared by `csf-tui --headless diff` and
 * the diff view, so both show the same thing.
 */
#ifndef CSF_CORE_REVIEW_H
#define CSF_CORE_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/artdiff.h"
#include "core/buf.h"
#include "core/gitrev.h"
#include "core/status.h"

/* A set of (path, bytes). Owns its paths and bytes. */
struct csf_review_files {
	char **paths;
	struct csf_buf *data;
	size_t n, palloc, dalloc;
	struct csf_art_input *in;	/* see csf_review_files_inputs() */
	size_t in_alloc;
};

#define CSF_REVIEW_FILES_INIT { NULL, NULL, 0, 0, 0, NULL, 0 }

/* Adds a file. Takes ownership of data's bytes (*data is re-initialised). */
void csf_review_files_add(struct csf_review_files *fs, const char *path, struct csf_buf *data);
/* The files as artdiff inputs. Borrowed: valid until fs changes or is released. */
const struct csf_art_input *csf_review_files_inputs(struct csf_review_files *fs);
void csf_review_files_release(struct csf_review_files *fs);

/* Adds every regular file under dir (".git" left out; symbolic links not followed), with
 * paths relative to dir, in path order. */
enum csf_status csf_review_read_dir(struct csf_review_files *fs, const char *dir,
				     struct csf_error *err);

/* Adds every file under folder prefix of rev, paths relative to the repository top. */
enum csf_status csf_review_read_rev(struct csf_review_files *fs, const struct csf_gitrev *rev,
				     const char *prefix, struct csf_error *err);

/* The cell to render: NULL members mean the defaults (no tenant overlay, no environment
 * overlay, the effective provider). Unknown tenant or environment names are CSF_E_USAGE. */
struct csf_review_cell {
	const char *provider, *tenant, *env;
};

/* A cell written as text: "PROVIDER/TENANT/ENV", each part a name or "-" for the default
 * ("aws/vetclinic-001/production", "-/-/staging"). Fewer parts leave the rest default. */
struct csf_review_cell_text {
	char buf[256];
	struct csf_review_cell cell;	/* points into buf */
};

/* Parses s into out. Fails with CSF_E_USAGE for more than three parts, an unknown provider or
 * a part that is not a plain name. */
enum csf_status csf_review_cell_parse(const char *s, struct csf_review_cell_text *out,
				      struct csf_error *err);

/* Writes "aws/vetclinic-001/production" ("-" for defaults) into out[n]; returns out. */
const char *csf_review_cell_format(const struct csf_review_cell *c, char *out, size_t n);

/* Opens the workspace in wsdir and adds the artifacts of one blueprint for the cell:
 * bp_path names a blueprint file (one of the workspace's, or any file, which is then read as
 * a blueprint of that workspace); a missing bp_path file adds nothing (the blueprint does not
 * exist on this side). bp_path NULL renders every blueprint, paths prefixed with the module's
 * Kubernetes name ("booking-service/k8s/deployment.yaml"). A blueprint specific to another
 * tenant adds nothing. */
enum csf_status csf_review_render(struct csf_review_files *fs, const char *wsdir, const char *bp_path,
				  const struct csf_review_cell *cell, struct csf_error *err);

/* The same for the workspace as it is in rev: ws_abs is the workspace folder in the working
 * tree, ws_rel the same folder relative to the repository top, bp_rel the blueprint relative
 * to the workspace folder (NULL: every blueprint). Revisions other than the working tree are
 * written to a temporary folder under $TMPDIR (or /tmp) that is removed before returning. */
enum csf_status csf_review_render_rev(struct csf_review_files *fs, const struct csf_gitrev *rev,
				      const char *ws_abs, const char *ws_rel, const char *bp_rel,
				      const struct csf_review_cell *cell, struct csf_error *err);

/* ---- what a review compares ------------------------------------------------------------ */

/* One review, as written after `:diff` / `:review` (views/diff.c):
 *   ""                       HEAD against the working tree of default_path
 *   "R1[..R2] [PATH]"        revisions (R1 alone: against the working tree); PATH defaults to
 *                            default_path
 *   "PATH"                   an existing file or folder: HEAD against the working tree
 *   "A B"                    two existing files, or two folders
 *   "--cells C1..C2 [BP]"    one blueprint (or every one) rendered for two cells
 * Paths are relative to the current folder. */
struct csf_review_spec {
	char *a, *b;			/* two paths, or NULL */
	char *rev1, *rev2;		/* a revision range, or NULL */
	char *path;			/* revisions: the file or folder; cells: the blueprint or
					 * NULL for every blueprint */
	bool cells;
	struct csf_review_cell_text cell_a, cell_b;
};

#define CSF_REVIEW_SPEC_INIT { NULL, NULL, NULL, NULL, NULL, false, { "", { NULL, NULL, NULL } }, \
			       { "", { NULL, NULL, NULL } } }

/* Parses arg (NULL is "") into spec, releasing what spec held. default_path is used when a
 * revision review names no path. Fails with CSF_E_USAGE (message in err) and leaves spec
 * empty. */
enum csf_status csf_review_spec_parse(struct csf_review_spec *spec, const char *arg,
				      const char *default_path, struct csf_error *err);
void csf_review_spec_release(struct csf_review_spec *spec);

/* Reads the two sides of spec into fa and fb. ws_dir is the workspace folder (rendering, and
 * where a blueprint outside it is read as one of its blueprints). artifacts: the artifacts of
 * both sides for cell instead of their sources (ignored for --cells, which renders anyway).
 * label (may be NULL) is set to what is compared: "HEAD..WORKTREE blueprints/x.yaml" (paths of
 * revisions relative to the repository top), "A B", or the blueprint of a cells review. */
enum csf_status csf_review_spec_load(const struct csf_review_spec *spec, const char *ws_dir,
				     bool artifacts, const struct csf_review_cell *cell,
				     struct csf_review_files *fa, struct csf_review_files *fb,
				     struct csf_buf *label, struct csf_error *err);

#endif
