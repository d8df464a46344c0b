/* Artifact-set diff (DESIGN §6, §7): two sets of (path, bytes) → files added, removed and
 * changed with +/- line counts, the per-file line diffs, per-file semantic diffs of YAML/JSON
 * files, and a short semantic summary for people ("image 1.2.3 → 1.2.4",
 * "maxReplicas 10 → 20") as release promotion shows it.
 *
 * Files are listed sorted by path (byte order), like git. A file whose bytes are identical is
 * CSF_ART_SAME and carries no diff. Binary files (a NUL byte) get a diff with binary set and no
 * hunks. The semantic diff is computed for .yaml, .yml and .json files when both present sides
 * parse; a file that does not parse simply has none (its line diff still shows the change).
 *
 * Summary lines, named by the last field of the path:
 *   "maxReplicas 10 → 20"          a changed value ("image 1.2.3 → 1.2.4": only the tags when
 *                                  both images name the same repository; "blueprintHash
 *                                  changed" for hashes of 32+ hex digits)
 *   "port 80 → \"80\" (integer → string)", "env added: …", "tier removed",
 *   "containers reordered", "added file k8s/pdb.yaml", "removed Deployment/ns/name"
 * Identical lines appear once; more than 3 different changes of one field collapse into
 * "sha256 changed in 20 places". Order: changed values first (in file order), then files and
 * documents added or removed, then hashes and collapsed counts.
 *
 * Memory: the result owns everything it points to and does not borrow the inputs.
 */
#ifndef CSF_CORE_ARTDIFF_H
#define CSF_CORE_ARTDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/diff.h"
#include "core/semdiff.h"
#include "core/status.h"

struct csf_artifact_set;

/* One input file (borrowed for the duration of the call). */
struct csf_art_input {
	const char *path;		/* relative, '/'-separated */
	const char *data;
	size_t len;
};

enum csf_art_status {
	CSF_ART_SAME,
	CSF_ART_ADDED,
	CSF_ART_REMOVED,
	CSF_ART_CHANGED,
};

struct csf_artdiff_file {
	const char *path;
	enum csf_art_status status;
	size_t added, removed;		/* line counts (0 for binary files) */
	bool binary;
	struct csf_diff *diff;		/* owned; NULL for CSF_ART_SAME */
	struct csf_semdiff *sem;	/* owned; NULL when not YAML/JSON, unparsable or SAME */
};

struct csf_artdiff {
	struct csf_arena arena;		/* paths and summary lines */
	struct csf_artdiff_file *files;	/* every path of either side, sorted */
	size_t nfiles;
	size_t nadded, nremoved, nchanged, nsame;	/* files */
	size_t lines_added, lines_removed;
	const char **summary;		/* semantic summary lines, in file order, deduplicated */
	size_t nsummary;
};

struct csf_artdiff_opts {
	struct csf_diff_opts diff;	/* line diff options */
	bool semantic;			/* compute per-file semantic diffs and the summary */
};

#define CSF_ARTDIFF_OPTS_INIT { CSF_DIFF_OPTS_INIT, true }

/* Diffs set a (old) against set b (new). Paths repeated inside one set: the last one counts.
 * opts may be NULL for CSF_ARTDIFF_OPTS_INIT. Fails only when libgit2 fails.
 * Caller owns *out; free with csf_artdiff_free(). */
enum csf_status csf_artdiff_compute(const struct csf_art_input *a, size_t na,
				    const struct csf_art_input *b, size_t nb,
				    const struct csf_artdiff_opts *opts, struct csf_artdiff **out,
				    struct csf_error *err);

/* The same over two rendered sets (core/render.h); either may be NULL for an empty set. */
enum csf_status csf_artdiff_sets(const struct csf_artifact_set *a,
				 const struct csf_artifact_set *b,
				 const struct csf_artdiff_opts *opts, struct csf_artdiff **out,
				 struct csf_error *err);

void csf_artdiff_free(struct csf_artdiff *ad);

/* True when nothing differs. */
bool csf_artdiff_same(const struct csf_artdiff *ad);

/* "added", "removed", "changed", "same". */
const char *csf_art_status_name(enum csf_art_status s);

/* ---- rendering -------------------------------------------------------------------------- */

enum csf_artdiff_mode {
	CSF_ARTDIFF_UNIFIED,
	CSF_ARTDIFF_SIDE_BY_SIDE,
	CSF_ARTDIFF_SEMANTIC,
};

/* The file list, one line each, then a totals line:
 *   M k8s/deployment.yaml  +3 -2
 *   A k8s/pdb.yaml         +12 -0
 *   D k8s/hpa.yaml         +0 -20
 *   B iac/blob.bin         binary
 *   3 files changed, 15 insertions(+), 22 deletions(-)
 * Unchanged files are not listed. Paths are sanitized for the terminal. */
void csf_artdiff_render_stat(struct csf_buf *out, const struct csf_artdiff *ad);

/* "summary:" and the semantic summary lines (indented two blanks); nothing when empty. */
void csf_artdiff_render_summary(struct csf_buf *out, const struct csf_artdiff *ad);

/* The stat, the summary, then each changed file in the given mode (width for side-by-side;
 * in semantic mode a file without a semantic diff falls back to its unified diff). Each file
 * starts with a "diff PATH" line. flags: CSF_DIFF_R_WORDS, CSF_DIFF_R_ASCII. */
void csf_artdiff_render_text(struct csf_buf *out, const struct csf_artdiff *ad,
			     enum csf_artdiff_mode mode, unsigned width, unsigned flags);

/* {"same":B,"files":[{"path","status","added","removed","binary","diff":{…},"semantic":[…]}],
 *  "totals":{"added","removed","changed","insertions","deletions"},"summary":[S,…]}
 * Unchanged files are left out; "diff" (csf_diff_render_json) only when with_patch. */
void csf_artdiff_render_json(struct csf_buf *out, const struct csf_artdiff *ad, bool with_patch);

#endif
