/* A pull tokenizer for JSON in memory: the caller walks the document value by value and builds
 * its own model, with no allocation per value (unlike cJSON's tree). Used where documents are
 * big (trace files of 50+ MB); small responses can keep using cJSON.
 *
 * Strict RFC 8259 syntax (no trailing commas, comments, NaN, single quotes; control characters
 * inside strings are errors). Strings are returned unescaped (\uXXXX and surrogate pairs become
 * UTF-8; a lone surrogate becomes U+FFFD). Numbers are returned as their source text, so 64-bit
 * integers stay exact. UTF-8 is not validated (sanitize before display).
 *
 * Errors are sticky: the first one records its byte offset and message, every later call returns
 * false. On failure the outputs are still safe to use: strings and number texts are "" (length
 * 0), literals -1, so a caller may check p->failed once at the end of a construct. Nesting deeper than max_depth (default 1000) is an error, never a stack overflow: nothing
 * here recurses.
 *
 * Iteration: after csf_jp_object(), call csf_jp_member(p, i++, &key, &klen) until it returns
 * false (end of the object or error), and consume each member's value (read it or
 * csf_jp_skip()). Arrays likewise with csf_jp_array() and csf_jp_item(p, i++).
 */
#ifndef CSF_CORE_JSON_PULL_H
#define CSF_CORE_JSON_PULL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/xalloc.h"

struct csf_json_pull {
	const char *s;
	size_t len, pos;
	unsigned depth, max_depth;
	bool failed;
	bool eof;		/* the error is "unexpected end of input" */
	size_t err_pos;
	char err[160];
	struct csf_buf scratch;	/* unescaped strings */
};

/* s[0..len) must stay valid while p is used. Release with csf_jp_release(). */
void csf_jp_init(struct csf_json_pull *p, const char *s, size_t len);
void csf_jp_release(struct csf_json_pull *p);

/* Skips white space and returns the first byte of the next value: '{' '[' '"' 't' 'f' 'n', or
 * '0' for a number; 0 at the end of input or after an error. Does not consume. */
int csf_jp_peek(struct csf_json_pull *p);
/* True when only white space is left. */
bool csf_jp_at_end(struct csf_json_pull *p);

bool csf_jp_object(struct csf_json_pull *p);
bool csf_jp_member(struct csf_json_pull *p, size_t i, const char **key, size_t *klen);
bool csf_jp_array(struct csf_json_pull *p);
bool csf_jp_item(struct csf_json_pull *p, size_t i);

/* The string value, unescaped. Borrowed: valid until the next string or member call. */
bool csf_jp_string(struct csf_json_pull *p, const char **s, size_t *len);
/* The number's source text (validated). Borrowed from the input. */
bool csf_jp_number(struct csf_json_pull *p, const char **text, size_t *len);
/* true → 1, false → 0, null → -1. */
bool csf_jp_literal(struct csf_json_pull *p, int *v);
/* Skips the next value, whatever it is (validating it). */
bool csf_jp_skip(struct csf_json_pull *p);

/* Records an error at byte offset pos (first error wins) and returns false. */
bool csf_jp_fail(struct csf_json_pull *p, size_t pos, const char *fmt, ...) CSF_PRINTF(3, 4);

/* Parses a JSON number text as int64 (exact for integers; "1.5e3" style goes through double).
 * False on junk or overflow. */
bool csf_jp_to_i64(const char *text, size_t len, int64_t *out);

#endif
