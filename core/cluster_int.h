/* The cluster module's internals, shared by core/cluster.c (jobs, tenants, scaling) and
 * core/cluster_drift.c (desired state and drift). Not for other modules: their API is
 * core/cluster.h. */
#ifndef CSF_CORE_CLUSTER_INT_H
#define CSF_CORE_CLUSTER_INT_H

#include "core/arena.h"
#include "core/cluster.h"

/* A copy of s in a, or NULL for NULL. Owned by the arena. */
const char *csf_cluster_adup(struct csf_arena *a, const char *s);
/* qsort order of struct csf_module_summary: by deployment name. */
int csf_cluster_cmp_module(const void *x, const void *y);
/* Recomputes t's totals from its modules: ready/desired, drift count, worst health (unknown
 * when the tenant has an error) and the newest scale event. */
void csf_cluster_tenant_rollup(struct csf_tenant_summary *t);

#endif
