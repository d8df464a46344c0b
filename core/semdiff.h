/* Semantic diff of YAML and JSON documents (DESIGN §7; JSON is read as YAML).
 *
 * Changes are reported by path, the way dyff does it:
 *   spec.template.spec.containers[name=booking].image
 *   metadata.labels["app.kubernetes.io/version"]
 *   args[2]
 * Mapping keys are joined with '.', and quoted as ["…"] when they hold anything but letters,
 * digits and "_-/$@". A sequence whose items are all mappings that carry a unique scalar `name`
 * (else `id`, else `key`) on both sides is matched by that field, so reordering items is not a
 * change to their content (one CSF_SEM_REORDERED entry says the order moved). Sequences of
 * scalars are aligned by longest common subsequence, so an inserted item is one addition.
 * Anything else is matched by index.
 *
 * Multi-document streams (Kubernetes manifests with `---`): core/yaml_model loads one document
 * per file, so csf_yaml_stream_load_mem() splits the stream at its document markers (a line that
 * starts with `---` or `...` followed by a blank or the line end: YAML allows nothing else there)
 * and loads each part. Documents are matched by kind/namespace/name; documents without those are
 * matched by their order among such documents. A document present on one side only is one
 * ADDED/REMOVED change with an empty path. csf_semdiff_mem() pairs documents whose text is
 * byte-identical on both sides (a bare `---` line aside) before parsing, and parses only the
 * rest: an identical document cannot hold a change, wherever it moved.
 *
 * Types: a scalar that keeps its value text but changes its type (80 → "80"), or a node that
 * changes kind (mapping ↔ sequence ↔ scalar) is CSF_SEM_TYPE_CHANGED, never CHANGED.
 */
#ifndef CSF_CORE_SEMDIFF_H
#define CSF_CORE_SEMDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"
#include "core/yaml_model.h"

/* ---- multi-document streams ------------------------------------------------------------- */

struct csf_yaml_stream {
	char *name;			/* owned */
	struct csf_yaml_doc **docs;	/* non-empty documents, in stream order; owned */
	unsigned *first_line;		/* line of the stream where docs[i]'s text starts */
	size_t ndocs, alloc;
};

/* Loads every document of data[0..len). Empty documents (only comments, blank lines, directives,
 * or a null root) are left out. On failure *out is NULL and err gives the position in the whole
 * stream. lim applies to each document (NULL: defaults). Caller owns *out; free with
 * csf_yaml_stream_free(). */
enum csf_status csf_yaml_stream_load_mem(const char *name, const char *data, size_t len,
					 const struct csf_yaml_limits *lim,
					 struct csf_yaml_stream **out, struct csf_error *err);
void csf_yaml_stream_free(struct csf_yaml_stream *s);

/* ---- changes ---------------------------------------------------------------------------- */

enum csf_sem_kind {
	CSF_SEM_ADDED,
	CSF_SEM_REMOVED,
	CSF_SEM_CHANGED,
	CSF_SEM_TYPE_CHANGED,
	CSF_SEM_REORDERED,		/* keyed list: same items, other order (values: key lists) */
};

/* "added", "removed", "changed", "type-changed", "reordered". */
const char *csf_sem_kind_name(enum csf_sem_kind k);

struct csf_sem_change {
	enum csf_sem_kind kind;
	const char *doc;		/* "Deployment/tenant-a/booking-service", "#3", or NULL when
					 * neither side has more than one document */
	const char *path;		/* "" for the whole document */
	const char *old_text, *new_text;	/* one-line values for people (long ones cut
						 * with "…"); NULL on the side that has none */
	const char *old_json, *new_json;	/* the whole values as JSON; NULL likewise */
	const char *old_type, *new_type;	/* csf_node_type_name(); NULL likewise */
	unsigned old_line, new_line;	/* 1-based line in each input; 0 when absent */
};

/* A list of changes. Owns every string it points to (its arena); does not borrow the inputs. */
struct csf_semdiff {
	struct csf_arena arena;
	struct csf_sem_change *changes;
	size_t n, alloc;
};

/* Caller owns the result; free with csf_semdiff_free(). */
struct csf_semdiff *csf_semdiff_new(void);
void csf_semdiff_free(struct csf_semdiff *sd);

/* Appends the changes from a to b (either may be NULL: absent) under document label doc (may be
 * NULL) and path prefix (may be NULL or ""). Line numbers of a node are node->loc.line plus
 * a_line0 (b_line0) minus 1. */
void csf_semdiff_nodes(struct csf_semdiff *sd, const char *doc, const char *prefix,
		       const struct csf_node *a, unsigned a_line0, const struct csf_node *b,
		       unsigned b_line0);

/* Appends the changes between two streams (either may be NULL: no documents). */
void csf_semdiff_streams(struct csf_semdiff *sd, const struct csf_yaml_stream *a,
			 const struct csf_yaml_stream *b);

/* Loads two texts as streams and diffs them. A NULL side is absent (every document of the
 * other side is added or removed). Fails when a side is not YAML/JSON (err names the file and
 * position). Caller owns *out; free with csf_semdiff_free(). */
enum csf_status csf_semdiff_mem(const char *a_name, const char *a, size_t alen, const char *b_name,
				const char *b, size_t blen, struct csf_semdiff **out,
				struct csf_error *err);

/* ---- rendering -------------------------------------------------------------------------- */

/* One line per change, grouped under "@ DOC" headers when changes carry a document label:
 *   ~ spec.replicas: 2 → 3
 *   + spec.template.spec.containers[name=booking].env[name=LOG_LEVEL]: {name: LOG_LEVEL, value: debug}
 *   - metadata.labels.tier: backend
 *   ! spec.ports[0].port: integer → string: 80 → "80"
 *   ↕ spec.containers: order [a, b] → [b, a]
 * The first character is the marker, so the output reads without colour. Values are
 * sanitized for the terminal. Nothing is written when there is no change. */
void csf_semdiff_render_text(struct csf_buf *out, const struct csf_semdiff *sd);

/* A JSON array of {"kind","doc","path","old","new","oldType","newType","oldLine","newLine"}
 * objects (absent members left out). */
void csf_semdiff_render_json(struct csf_buf *out, const struct csf_semdiff *sd);

#endif
