/* struct csf_buf: a growable byte string (after git's strbuf).
 * Invariants: buf is never NULL, and buf[len] == '\0' (the buffer may also hold NUL bytes). */
#ifndef CSF_CORE_BUF_H
#define CSF_CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

struct csf_buf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char csf_buf_empty[];
#define CSF_BUF_INIT { 0, 0, csf_buf_empty }

void csf_buf_init(struct csf_buf *b, size_t hint);
/* Frees the storage and re-initialises b. */
void csf_buf_release(struct csf_buf *b);
/* Caller owns the result (NUL-terminated); free with free(). b is re-initialised. */
char *csf_buf_detach(struct csf_buf *b, size_t *len);
/* Ensures room for `extra` more bytes plus the terminating NUL. */
void csf_buf_grow(struct csf_buf *b, size_t extra);
void csf_buf_reset(struct csf_buf *b);
void csf_buf_setlen(struct csf_buf *b, size_t len);
void csf_buf_add(struct csf_buf *b, const void *data, size_t len);
void csf_buf_addstr(struct csf_buf *b, const char *s);
void csf_buf_addch(struct csf_buf *b, int c);
void csf_buf_addf(struct csf_buf *b, const char *fmt, ...) CSF_PRINTF(2, 3);
void csf_buf_vaddf(struct csf_buf *b, const char *fmt, va_list ap);
/* Appends n copies of c. */
void csf_buf_addchars(struct csf_buf *b, int c, size_t n);
/* Appends s as a JSON string literal, quotes included. */
void csf_buf_add_json_str(struct csf_buf *b, const char *s);
/* Replaces bytes [off, off+del) with data[0..len). off+del must be <= b->len. */
void csf_buf_splice(struct csf_buf *b, size_t off, size_t del, const void *data, size_t len);

/* Reads a whole file; fails (returns -1 with errno set, EFBIG above max bytes) without
 * touching b beyond appending. */
int csf_buf_read_file(struct csf_buf *b, const char *path, size_t max);

#endif
