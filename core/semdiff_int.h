/* The semantic diff's internals, shared by core/semdiff.c (tree walk, values, rendering) and
 * core/semdiff_stream.c (YAML streams, documents matched by kind/namespace/name). Not for
 * other modules: their API is core/semdiff.h. */
#ifndef CSF_CORE_SEMDIFF_INT_H
#define CSF_CORE_SEMDIFF_INT_H

#include <stddef.h>

/* Sorted (key, index) pairs for matching by key in O(n log n). */
struct csf_semdiff_keyed {
	const char *key;
	size_t idx;
};

/* qsort order of csf_semdiff_keyed: by key, then index. */
int csf_semdiff_cmp_keyed(const void *pa, const void *pb);
/* Finds key in sorted k[0..n) (the last entry with that key: the last duplicate wins), or
 * NULL. Borrowed from k. */
const struct csf_semdiff_keyed *csf_semdiff_find_keyed(const struct csf_semdiff_keyed *k,
						       size_t n, const char *key);

#endif
