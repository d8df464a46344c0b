/* A tiny deterministic emitter for generated YAML (block style) and JSON text.
 *
 * Every function appends to a caller-owned struct csf_buf. Indentation is given explicitly in
 * spaces, so a generator's layout reads like the file it writes. Strings are written plain when
 * a YAML 1.1 *and* 1.2 reader would read them back as the same string, else double-quoted:
 * anything that could resolve to null, a boolean (yes/no/on/off/y/n included), a number (octal,
 * hex, sexagesimal "20:00", ".inf", "1e3", "1.2.3"), that starts with an indicator, contains
 * ": " or " #", or holds control or non-ASCII bytes is quoted. Output depends only on the
 * input: no locale, no timestamps.
 */
#ifndef CSF_CORE_EMIT_YAML_H
#define CSF_CORE_EMIT_YAML_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/yaml_model.h"

/* True when s must be quoted to stay a string in YAML. */
bool csf_ey_needs_quotes(const char *s);
/* Appends s as a YAML scalar (plain or double-quoted). NULL is written as "". */
void csf_ey_str(struct csf_buf *b, const char *s);

/* "<ind spaces>key: value\n" — value quoted as needed. */
void csf_ey_kv(struct csf_buf *b, int ind, const char *key, const char *val);
/* Same with a printf-formatted value (then quoted as needed). */
void csf_ey_kvf(struct csf_buf *b, int ind, const char *key, const char *fmt, ...) CSF_PRINTF(4, 5);
/* "key: 42\n", "key: true\n" (typed, never quoted). */
void csf_ey_ki(struct csf_buf *b, int ind, const char *key, long long v);
void csf_ey_kb(struct csf_buf *b, int ind, const char *key, bool v);
/* "key:\n" — a nested block follows at ind + 2. */
void csf_ey_k(struct csf_buf *b, int ind, const char *key);
/* "- value\n" */
void csf_ey_item(struct csf_buf *b, int ind, const char *val);
/* "- key: value\n" — further keys of the same item go at ind + 2. */
void csf_ey_item_kv(struct csf_buf *b, int ind, const char *key, const char *val);
void csf_ey_item_ki(struct csf_buf *b, int ind, const char *key, long long v);
/* "- key:\n" — the nested block goes at ind + 4. */
void csf_ey_item_k(struct csf_buf *b, int ind, const char *key);
/* "key: [a, b]\n" (flow list of strings, quoted as needed); "key: []\n" when n == 0. */
void csf_ey_kflow(struct csf_buf *b, int ind, const char *key, const char *const *v, size_t n);

/* Dumps a node tree as block YAML. A mapping or sequence starts on a new line at ind; a
 * scalar keeps its resolved type (strings quoted as needed, numbers and booleans as is). */
void csf_ey_node(struct csf_buf *b, int ind, const struct csf_node *n);

/* Called for every string scalar with the nearest mapping key above it (NULL at the top); a
 * non-NULL return replaces the value in the output (e.g. "<redacted>"). */
typedef const char *(*csf_ey_filter_fn)(void *ctx, const char *key, const char *value);
/* csf_ey_node() with string values passed through fn. */
void csf_ey_node_filtered(struct csf_buf *b, int ind, const struct csf_node *n, csf_ey_filter_fn fn,
			  void *ctx);

/* Dumps a node tree as compact JSON (keys in document order). Used for canonical hashing. */
void csf_ej_node(struct csf_buf *b, const struct csf_node *n);

#endif
