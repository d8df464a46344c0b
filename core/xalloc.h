/* Checked allocation: out of memory is fatal, and the die hook runs first. */
#ifndef CSF_CORE_XALLOC_H
#define CSF_CORE_XALLOC_H

#include <stddef.h>

#if defined(__GNUC__)
#define CSF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define CSF_NORETURN _Noreturn
#else
#define CSF_PRINTF(a, b)
#define CSF_NORETURN _Noreturn
#endif

/* Called before the process exits on an allocation failure (tui/ installs one that calls
 * endwin()). NULL restores the default, which only prints. Set once at start-up. */
typedef void (*csf_die_fn)(const char *msg);
void csf_set_die_hook(csf_die_fn fn);

/* Prints "csf-tui: fatal: MSG", calls the die hook, exits with status 2. */
CSF_NORETURN void csf_die(const char *fmt, ...) CSF_PRINTF(1, 2);

/* Never return NULL. Caller owns the result; free with free(). */
void *csf_xmalloc(size_t n);
void *csf_xcalloc(size_t nmemb, size_t size);
/* Resizes an array of nmemb elements of size bytes, checking the multiplication for overflow.
 * On failure the old block is untouched and the process dies; never assign realloc() directly. */
void *csf_xrealloc_array(void *p, size_t nmemb, size_t size);
char *csf_xstrdup(const char *s);
char *csf_xstrndup(const char *s, size_t n);

/* Grows *arr (element size `size`) so that it holds at least `need` elements; *alloc is the
 * current capacity in elements and is updated. Growth is geometric. */
void csf_grow(void **arr, size_t *alloc, size_t need, size_t size);
#define CSF_GROW(arr, alloc, need) \
	csf_grow((void **)&(arr), &(alloc), (need), sizeof(*(arr)))

#endif
