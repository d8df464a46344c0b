/* The release module's internals, shared by core/release.c (context, release.yaml, plans,
 * apply), core/release_freight.c (rendering the freight, the plan's changes and summary),
 * core/release_gates.c (the gates) and core/release_board.c (history and board).
 * Not for other modules: their API is core/release.h. */
#ifndef CSF_CORE_RELEASE_INT_H
#define CSF_CORE_RELEASE_INT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/release.h"

struct csf_blueprint;
struct csf_gfile;
struct csf_node;
struct csf_tenant;
struct csf_workspace;

#define NOLOC ((struct csf_loc){ 0, 0 })
#define BOARD_INDEX ".csf/releases.tsv"	/* the board index, at the root of the GitOps tree */
#define MAX_SUMMARY 40			/* lines of a plan's summary */

/* ---- helpers (core/release.c) ----------------------------------------------------------------- */

/* A copy of s, or NULL for NULL. Caller owns the result; free with free(). */
char *csf_release_xdup(const char *s);
/* Appends s to the growable array *v (*n used, *alloc allocated). Takes ownership of s. */
void csf_release_list_add(char ***v, size_t *n, size_t *alloc, char *s);
/* printf into a new string. Caller owns the result; free with free(). */
char *csf_release_fmt(const char *f, ...) CSF_PRINTF(1, 2);
/* The string at key of map, copied, or NULL. Caller owns the result; free with free(). */
char *csf_release_node_dup(const struct csf_node *map, const char *key);
/* Frees n gates and the array. */
void csf_release_gates_free(struct csf_release_gate *g, size_t n);
/* Replaces m's gates with copies of g[0..n). */
void csf_release_meta_copy_gates(struct csf_release_meta *m, const struct csf_release_gate *g,
				 size_t n);

/* ---- freight and changes (core/release_freight.c) --------------------------------------------- */

/* The freight of (bp, tenant): the effective blueprint without an environment, as YAML text.
 * Caller owns the result; free with free(). */
char *csf_release_freight_of(const struct csf_workspace *ws, const struct csf_blueprint *bp,
			     const struct csf_tenant *tenant);
/* The SHA-256 of s, as 64 hex digits and a NUL. */
void csf_release_hash_text(const char *s, char out[65]);
/* Renders meta's freight for env into files; fills meta's image, hashes and edition from the
 * renderer's release.yaml (which is left out of files: the GitOps release.yaml replaces it).
 * Warnings are appended to *warn (taken by the array). */
enum csf_status csf_release_render_freight(struct csf_release_ctx *ctx,
					   struct csf_release_meta *meta, const char *env_name,
					   struct csf_fileset *files, char ***warn, size_t *nwarn,
					   size_t *awarn, struct csf_error *err);
/* Appends a change of path (status 'A', 'M', 'D') to p->changes (*alloc allocated); a and b
 * are the old and new file, either may be NULL. */
void csf_release_add_change(struct csf_release_plan *p, size_t *alloc, const char *path,
			    char status, const struct csf_gfile *a, const struct csf_gfile *b);
/* Frees n changes and the array. */
void csf_release_changes_free(struct csf_file_change *c, size_t n);
/* The artifact diff (core/artdiff) of old_files → new_files, and the plan's change list. */
void csf_release_compute_changes(struct csf_release_plan *p);
/* The plan's summary lines (at most MAX_SUMMARY): what changed in release.yaml and freight. */
void csf_release_compute_summary(struct csf_release_plan *p);

#endif
