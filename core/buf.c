#include "core/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Shared by every empty buffer; written only with '\0' by csf_buf_setlen(b, 0). */
char csf_buf_empty[1];

void
csf_buf_init(struct csf_buf *b, size_t hint)
{
	b->alloc = b->len = 0;
	b->buf = csf_buf_empty;
	if (hint)
		csf_buf_grow(b, hint);
}

void
csf_buf_release(struct csf_buf *b)
{
	if (b->alloc)
		free(b->buf);
	csf_buf_init(b, 0);
}

char *
csf_buf_detach(struct csf_buf *b, size_t *len)
{
	char *s;

	if (!b->alloc)
		csf_buf_grow(b, 0);
	s = b->buf;
	if (len)
		*len = b->len;
	csf_buf_init(b, 0);
	return s;
}

void
csf_buf_grow(struct csf_buf *b, size_t extra)
{
	bool fresh = !b->alloc;
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		csf_die("buffer overflow growing by %zu bytes", extra);
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return;
	if (fresh)
		b->buf = NULL;
	csf_grow((void **)&b->buf, &b->alloc, need, 1);
	if (fresh)
		b->buf[0] = '\0';
}

void
csf_buf_reset(struct csf_buf *b)
{
	csf_buf_setlen(b, 0);
}

void
csf_buf_setlen(struct csf_buf *b, size_t len)
{
	if (!b->alloc) {
		if (len)
			csf_die("csf_buf_setlen beyond allocation");
		return;
	}
	if (len >= b->alloc)
		csf_die("csf_buf_setlen beyond allocation");
	b->len = len;
	b->buf[len] = '\0';
}

void
csf_buf_add(struct csf_buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	csf_buf_grow(b, len);
	memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

void
csf_buf_addstr(struct csf_buf *b, const char *s)
{
	csf_buf_add(b, s, strlen(s));
}

void
csf_buf_addch(struct csf_buf *b, int c)
{
	csf_buf_grow(b, 1);
	b->buf[b->len++] = (char)c;
	b->buf[b->len] = '\0';
}

void
csf_buf_addchars(struct csf_buf *b, int c, size_t n)
{
	if (!n)
		return;
	csf_buf_grow(b, n);
	memset(b->buf + b->len, c, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void
csf_buf_vaddf(struct csf_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	csf_buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		csf_die("vsnprintf failed");
	if ((size_t)n >= b->alloc - b->len) {
		csf_buf_grow(b, (size_t)n);
		n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
csf_buf_addf(struct csf_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	csf_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
csf_buf_add_json_str(struct csf_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;

	csf_buf_addch(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': csf_buf_add(b, "\\\"", 2); break;
		case '\\': csf_buf_add(b, "\\\\", 2); break;
		case '\n': csf_buf_add(b, "\\n", 2); break;
		case '\r': csf_buf_add(b, "\\r", 2); break;
		case '\t': csf_buf_add(b, "\\t", 2); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				char u[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
				csf_buf_add(b, u, 6);
			} else {
				csf_buf_addch(b, *p);
			}
		}
	}
	csf_buf_addch(b, '"');
}

void
csf_buf_splice(struct csf_buf *b, size_t off, size_t del, const void *data, size_t len)
{
	if (off > b->len || del > b->len - off)
		csf_die("csf_buf_splice out of range");
	if (len > del)
		csf_buf_grow(b, len - del);
	memmove(b->buf + off + len, b->buf + off + del, b->len - off - del);
	if (len)
		memcpy(b->buf + off, data, len);
	b->len = b->len - del + len;
	if (b->alloc)
		b->buf[b->len] = '\0';
}

int
csf_buf_read_file(struct csf_buf *b, const char *path, size_t max)
{
	struct stat st;
	size_t start = b->len;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (max && st.st_size > 0 && (uintmax_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	if (st.st_size > 0)
		csf_buf_grow(b, (size_t)st.st_size);
	for (;;) {
		ssize_t n;

		csf_buf_grow(b, 8192);
		n = read(fd, b->buf + b->len, b->alloc - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (max && b->len - start > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	if (b->alloc)
		b->buf[b->len] = '\0';
	close(fd);
	return 0;
fail:
	{
		int e = errno;

		close(fd);
		if (b->alloc)
			csf_buf_setlen(b, start);
		errno = e;
	}
	return -1;
}
