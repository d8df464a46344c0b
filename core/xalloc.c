#include "core/xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one file-scope variable of core/: set once at start-up, before any other thread exists,
 * it is configuration rather than state. */
static csf_die_fn die_hook;

void
csf_set_die_hook(csf_die_fn fn)
{
	die_hook = fn;
}

void
csf_die(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (die_hook)
		die_hook(msg);
	fprintf(stderr, "csf-tui: fatal: %s\n", msg);
	exit(2);
}

void *
csf_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		csf_die("out of memory allocating %zu bytes", n);
	return p;
}

void *
csf_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		csf_die("out of memory allocating %zu x %zu bytes", nmemb, size);
	return p;
}

void *
csf_xrealloc_array(void *p, size_t nmemb, size_t size)
{
	void *q;

	if (size && nmemb > SIZE_MAX / size)
		csf_die("allocation overflow (%zu x %zu)", nmemb, size);
	q = realloc(p, (nmemb && size) ? nmemb * size : 1);
	if (!q)
		csf_die("out of memory allocating %zu x %zu bytes", nmemb, size);
	return q;
}

char *
csf_xstrdup(const char *s)
{
	return csf_xstrndup(s, strlen(s));
}

char *
csf_xstrndup(const char *s, size_t n)
{
	char *p = csf_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
csf_grow(void **arr, size_t *alloc, size_t need, size_t size)
{
	size_t n;

	if (need <= *alloc)
		return;
	n = *alloc ? *alloc : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			csf_die("allocation overflow growing to %zu elements", need);
		n *= 2;
	}
	*arr = csf_xrealloc_array(*arr, n, size);
	*alloc = n;
}
