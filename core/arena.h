/* A bump allocator for many small objects freed together (nodes, strings, diff lines). */
#ifndef CSF_CORE_ARENA_H
#define CSF_CORE_ARENA_H

#include <stddef.h>

struct csf_arena_block;

struct csf_arena {
	struct csf_arena_block *head;
	size_t used;	/* total bytes handed out, for limits and benchmarks */
};

#define CSF_ARENA_INIT { NULL, 0 }

/* Memory is zeroed and aligned for any type; valid until csf_arena_release(). */
void *csf_arena_alloc(struct csf_arena *a, size_t n);
char *csf_arena_strndup(struct csf_arena *a, const char *s, size_t n);
char *csf_arena_strdup(struct csf_arena *a, const char *s);
void csf_arena_release(struct csf_arena *a);

#endif
