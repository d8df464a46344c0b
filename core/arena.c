#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define ARENA_BLOCK 16384

struct csf_arena_block {
	struct csf_arena_block *next;
	size_t size, off;
	alignas(max_align_t) unsigned char data[];
};

void *
csf_arena_alloc(struct csf_arena *a, size_t n)
{
	const size_t al = alignof(max_align_t);
	struct csf_arena_block *b = a->head;
	void *p;

	if (n > SIZE_MAX - al)
		csf_die("arena allocation overflow");
	n = (n + al - 1) & ~(al - 1);
	if (!b || b->size - b->off < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		b = csf_xmalloc(sizeof(*b) + size);
		b->size = size;
		b->off = 0;
		if (n > ARENA_BLOCK && a->head) {
			/* Keep the current block for small objects. */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->off;
	b->off += n;
	a->used += n;
	memset(p, 0, n);
	return p;
}

char *
csf_arena_strndup(struct csf_arena *a, const char *s, size_t n)
{
	char *p = csf_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
csf_arena_strdup(struct csf_arena *a, const char *s)
{
	return csf_arena_strndup(a, s, strlen(s));
}

void
csf_arena_release(struct csf_arena *a)
{
	struct csf_arena_block *b = a->head, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->used = 0;
}
