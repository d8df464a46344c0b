/* Terminal-safe text: every string that comes from outside (cluster objects, trace spans, log
 * lines, files) goes through csf_sanitize_* before it is printed to a terminal or drawn with
 * curses. The output never contains a byte that a terminal interprets as a command.
 *
 * What is replaced (each by ONE replacement character: U+FFFD, or '?' with CSF_SAN_ASCII):
 *   - a whole escape sequence: ESC followed by a CSI ("ESC [" … final byte 0x40–0x7E), an OSC,
 *     DCS, SOS, PM or APC string (up to BEL, ESC \ or the end), or any other ESC + one byte;
 *     the 8-bit C1 introducers U+009B (CSI) and U+009D (OSC) etc. likewise;
 *   - C0 controls U+0000–U+001F (tab becomes one space unless CSF_SAN_KEEP_TAB; newline is kept
 *     only with CSF_SAN_KEEP_NL), DEL U+007F and C1 controls U+0080–U+009F;
 *   - invalid UTF-8 (bad lead or continuation bytes, truncated, overlong, surrogates, above
 *     U+10FFFF): one replacement per invalid byte;
 *   - Unicode bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the line
 *     and paragraph separators U+2028/U+2029, which reorder or break what is displayed.
 * Printable UTF-8 (any other code point) is kept as is, unless CSF_SAN_ASCII is given, in which
 * case every non-ASCII code point becomes '?' (for LANG=C terminals).
 * The functions never fail and never read past len; NUL bytes inside len are controls.
 */
#ifndef CSF_CORE_SANITIZE_H
#define CSF_CORE_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

enum {
	CSF_SAN_KEEP_NL = 1 << 0,	/* keep '\n' (multi-line text such as a log body) */
	CSF_SAN_KEEP_TAB = 1 << 1,	/* keep '\t' instead of turning it into one space */
	CSF_SAN_ASCII = 1 << 2,		/* '?' as replacement, and for every non-ASCII character */
};

/* Appends the sanitized form of s[0..len) to out. */
void csf_sanitize_buf(struct csf_buf *out, const char *s, size_t len, unsigned flags);

/* Sanitizes a NUL-terminated string (NULL gives ""). Caller owns the result; free with free(). */
char *csf_sanitize_str(const char *s, unsigned flags);

/* True when csf_sanitize_buf() would change s[0..len) (fast path for callers that draw in place). */
bool csf_sanitize_needed(const char *s, size_t len, unsigned flags);

/* Returns s when it is already safe, else the sanitized copy in *scratch (reset first).
 * Borrowed: valid until scratch changes or s is freed. NULL gives "". */
const char *csf_sanitize_tmp(struct csf_buf *scratch, const char *s, unsigned flags);

#endif
