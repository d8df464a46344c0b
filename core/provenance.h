/* Provenance of generated text: which value of the effective blueprint (core/effective.h)
 * produced a line of an artifact, so the preview can say which blueprint, edition, tenant or
 * environment file and line set it.
 *
 * The renderer does not record where each output line came from, so the match is made on the
 * line's value: the line is read as "key: value" (YAML), "\"key\": value," (JSON) or
 * "key = value" (HCL, Bicep); every scalar of the effective tree is scored — an equal value
 * scores 4, a value that contains the scalar as a whole token ("registry/booking:1.2.3"
 * contains "1.2.3") scores 1 — plus 3 when its key is the same (case-insensitive) and 2 when
 * the keys share a prefix of 5 or more characters (maxReplicaCount ~ maxReplicas). The best
 * score wins; the first in document order on ties. A one-byte value ("2") matches only when
 * the keys match too (it is too ambiguous alone); nodes without a file never match.
 */
#ifndef CSF_CORE_PROVENANCE_H
#define CSF_CORE_PROVENANCE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/yaml_model.h"

/* The node of the tree under root that set the value on line[0..len) (a trailing newline is
 * ignored), or NULL when the line holds no "key: value" or nothing matches. Its ->file and
 * ->loc say who set it; its dotted path ("scaling.maxReplicas") is appended to path when path
 * is not NULL. Borrowed from root. */
const struct csf_node *csf_provenance_of_line(const struct csf_node *root, const char *line,
					      size_t len, struct csf_buf *path);

#endif
