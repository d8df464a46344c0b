/* YAML documents as node trees with 1-based positions for every key and value.
 *
 * The loader (libyaml events → nodes) enforces the limits that make hostile input harmless:
 * a file size limit, a nesting depth limit, bounded alias expansion (aliases share the anchored
 * node; their expanded size is counted so an alias bomb is an error, not an OOM), and it rejects
 * binary input (NUL bytes), invalid UTF-8 and UTF-16/32 with a position. Duplicate keys are kept
 * (the last one wins for lookups) and recorded in doc->dups, so the linter can report them.
 * YAML 1.1 merge keys (`<<: *base`) are applied. Plain scalars are resolved with the YAML 1.2
 * core schema (null, bool, int, float, string).
 */
#ifndef CSF_CORE_YAML_MODEL_H
#define CSF_CORE_YAML_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"

enum csf_node_kind {
	CSF_NODE_SCALAR,
	CSF_NODE_MAP,
	CSF_NODE_SEQ,
};

enum csf_scalar_type {
	CSF_SCALAR_STR,
	CSF_SCALAR_NULL,
	CSF_SCALAR_BOOL,
	CSF_SCALAR_INT,
	CSF_SCALAR_FLOAT,
};

enum csf_node_style {
	CSF_STYLE_PLAIN,
	CSF_STYLE_SINGLE,
	CSF_STYLE_DOUBLE,
	CSF_STYLE_LITERAL,
	CSF_STYLE_FOLDED,
	CSF_STYLE_BLOCK,	/* block map or sequence */
	CSF_STYLE_FLOW,		/* {…} or […] */
};

struct csf_node {
	enum csf_node_kind kind;
	enum csf_scalar_type type;	/* scalars only */
	enum csf_node_style style;
	struct csf_loc loc;		/* first character, 1-based line and column (characters) */
	struct csf_loc end;		/* one past the last character */
	size_t off, end_off;		/* byte offsets of loc and end in the source text */
	const char *file;		/* provenance: the file that set this node (borrowed) */
	const char *str;		/* scalars: the value, NUL-terminated (may contain NUL) */
	size_t len;
	long long ival;			/* CSF_SCALAR_INT (and BOOL as 0/1) */
	double fval;			/* CSF_SCALAR_FLOAT and INT */
	size_t n;			/* MAP: pairs; SEQ: items */
	struct csf_node **kids;		/* MAP: key0, value0, key1, value1…; SEQ: items */
	size_t weight;			/* nodes in the expanded subtree, this one included */
};

/* A duplicate key: `dup` repeats `first` in the same mapping. */
struct csf_yaml_dup {
	const struct csf_node *first, *dup;
};

struct csf_yaml_limits {
	size_t max_bytes;		/* default 8 MiB */
	unsigned max_depth;		/* default 128 */
	size_t max_nodes;		/* expanded nodes, aliases included; default 1,000,000 */
};

struct csf_yaml_doc {
	char *path;			/* as given; owned */
	struct csf_buf text;		/* the source bytes */
	struct csf_node *root;		/* NULL when the document is empty */
	struct csf_arena arena;		/* every node and scalar */
	struct csf_yaml_dup *dups;
	size_t ndups, dups_alloc;
	size_t *line_off;		/* byte offset of the start of each line (index 0 = line 1) */
	size_t nlines;
};

/* Loads a file. On failure *out is NULL and err says where and why (CSF_E_IO: cannot read;
 * CSF_E_PARSE: not YAML, binary, bad UTF-8; CSF_E_LIMIT: size, depth or alias limits).
 * lim may be NULL for the defaults. Caller owns *out; free with csf_yaml_doc_free(). */
enum csf_status csf_yaml_load_file(const char *path, const struct csf_yaml_limits *lim,
				   struct csf_yaml_doc **out, struct csf_error *err);

/* Same for bytes in memory; name is used in positions. Copies data. On a parse error the
 * document is still returned in *partial when partial is not NULL (text and lines only, no root),
 * so a caller can show the source around the error. */
enum csf_status csf_yaml_load_mem(const char *name, const char *data, size_t len,
				  const struct csf_yaml_limits *lim, struct csf_yaml_doc **out,
				  struct csf_error *err);

void csf_yaml_doc_free(struct csf_yaml_doc *doc);

/* Source line `line` (1-based) without its newline, or NULL past the end. Borrowed from doc. */
const char *csf_yaml_line(const struct csf_yaml_doc *doc, unsigned line, size_t *len);

/* Byte offset of a 1-based (line, col-in-characters) position in text; clamps to the line. */
size_t csf_text_offset(const char *text, size_t len, const size_t *line_off, size_t nlines,
		       struct csf_loc loc);

/* ---- reading nodes (all accept NULL) ---------------------------------------------------- */

/* The value for key in a mapping (last duplicate wins), or NULL. */
struct csf_node *csf_node_get(const struct csf_node *map, const char *key);
/* The key node for key in a mapping, or NULL. */
struct csf_node *csf_node_get_key(const struct csf_node *map, const char *key);
/* Dotted path lookup through mappings: "scaling.minReplicas". Sequence indices as "[2]". */
struct csf_node *csf_node_path(const struct csf_node *node, const char *path);

bool csf_node_is_null(const struct csf_node *n);
bool csf_node_is_map(const struct csf_node *n);
bool csf_node_is_seq(const struct csf_node *n);
/* A scalar's text (any scalar type) or NULL. */
const char *csf_node_str(const struct csf_node *n);
/* A string-typed scalar's text (quoted or plain that resolves to a string), or NULL. */
const char *csf_node_text(const struct csf_node *n);
bool csf_node_int(const struct csf_node *n, long long *out);
bool csf_node_num(const struct csf_node *n, double *out);
bool csf_node_bool(const struct csf_node *n, bool *out);
/* "mapping", "sequence", "string", "integer", "number", "boolean" or "null". */
const char *csf_node_type_name(const struct csf_node *n);
/* Scalar equality by text and type; maps and sequences compared deeply. */
bool csf_node_equal(const struct csf_node *a, const struct csf_node *b);

/* ---- building nodes (for merged trees; memory from the arena) ---------------------------- */

struct csf_node *csf_node_new(struct csf_arena *a, enum csf_node_kind kind);
struct csf_node *csf_node_new_str(struct csf_arena *a, const char *s);
/* A shallow copy of n (children shared). */
struct csf_node *csf_node_clone(struct csf_arena *a, const struct csf_node *n);
/* Appends a pair (map) or an item (seq; key is ignored). */
void csf_node_append(struct csf_arena *a, struct csf_node *parent, struct csf_node *key,
		     struct csf_node *value);
/* Removes pair i from a map. */
void csf_node_map_remove(struct csf_node *map, size_t i);

/* Resolves a plain scalar's type (null, bool, int, float, str) into n. */
void csf_scalar_resolve(struct csf_node *n);

#endif
