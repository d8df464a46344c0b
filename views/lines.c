#include "views/lines.h"

#include <stdarg.h>
#include <stdlib.h>

#include "core/xalloc.h"

void
view_lines_init(struct view_lines *l)
{
	csf_buf_init(&l->text, 0);
	l->off = NULL;
	l->n = l->alloc = 0;
}

void
view_lines_release(struct view_lines *l)
{
	csf_buf_release(&l->text);
	free(l->off);
	l->off = NULL;
	l->n = l->alloc = 0;
}

void
view_lines_reset(struct view_lines *l)
{
	csf_buf_reset(&l->text);
	l->n = 0;
}

void
view_lines_addf(struct view_lines *l, const char *fmt, ...)
{
	va_list ap;

	CSF_GROW(l->off, l->alloc, l->n + 1);
	l->off[l->n++] = l->text.len;
	va_start(ap, fmt);
	csf_buf_vaddf(&l->text, fmt, ap);
	va_end(ap);
	csf_buf_addch(&l->text, '\n');
}

void
view_lines_index(struct view_lines *l)
{
	size_t i;

	l->n = 0;
	if (l->text.len) {
		CSF_GROW(l->off, l->alloc, 1);
		l->off[l->n++] = 0;
	}
	for (i = 0; i < l->text.len; i++)
		if (l->text.buf[i] == '\n' && i + 1 < l->text.len) {
			CSF_GROW(l->off, l->alloc, l->n + 1);
			l->off[l->n++] = i + 1;
		}
}

const char *
view_lines_get(const struct view_lines *l, size_t i, size_t *len)
{
	if (i >= l->n)
		return NULL;
	*len = (i + 1 < l->n ? l->off[i + 1] : l->text.len) - l->off[i];
	return l->text.buf + l->off[i];
}
