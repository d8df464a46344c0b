/* The cluster module's internals, shared by core/cluster.c (jobs: fetch queue, paging, replies;
 * tenants), core/cluster_scaling.c (the scaling history) and core/cluster_drift.c (desired
 * state and drift). Not for other modules: their API is core/cluster.h. */
#ifndef CSF_CORE_CLUSTER_INT_H
#define CSF_CORE_CLUSTER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/cluster.h"
#include "core/k8s.h"
#include "core/prom.h"
#include "core/status.h"

/* ---- jobs (core/cluster.c) ------------------------------------------------------------------ */

enum csf_cluster_job_kind {
	JOB_TENANTS,
	JOB_SCALING,
};

enum csf_cluster_prom_slot {
	SLOT_REPLICAS,
	SLOT_DESIRED,
	SLOT_MIN,
	SLOT_MAX,
	SLOT_METRIC_KEDA,
	SLOT_METRIC_HPA,
	NSLOTS,
};

struct csf_cluster_fetch {
	struct csf_cluster_job *job;
	enum csf_cluster_api api;
	enum csf_k8s_kind kind;
	size_t ns;			/* tenants job: index into job->nsd */
	enum csf_cluster_prom_slot slot;
	char *path;			/* without `continue` */
	char *cont;			/* continue token of the next page, or NULL */
	char what[96];
	unsigned long id;
	bool optional;			/* 404 means "not installed" */
	bool soft;			/* an HTTP error is a note, not a failure (events) */
	size_t first_item;		/* list length before page 1, to restart after 410 */
};

struct csf_cluster_ns_data {
	const struct csf_k8s_namespace *ns;
	struct csf_k8s_list list;
	char *error;
	bool keda_missing;
};

struct csf_cluster_job {
	enum csf_cluster_job_kind kind;
	struct csf_cluster_source *src;
	struct csf_cluster_fetch **queue;
	size_t nqueue, queue_alloc;
	struct csf_cluster_fetch **active;
	size_t nactive, active_alloc;
	size_t ndone, ntotal;
	int stage;
	bool finished, failed;
	struct csf_error err;
	int64_t now;
	int page_limit;
	char **warnings;
	size_t nwarnings, warnings_alloc;

	/* tenants */
	char *only;
	struct csf_k8s_list nslist;
	struct csf_k8s_namespace fallback_ns;
	struct csf_cluster_ns_data *nsd;
	size_t nnsd;

	/* scaling */
	char *tenant, *module;
	int64_t start, end, step;
	struct csf_cluster_ns_data one;		/* the tenant namespace's lists */
	const struct csf_k8s_deployment *dep;
	const struct csf_k8s_hpa *hpa;
	const struct csf_k8s_scaledobject *so;
	char *dep_name;
	struct csf_prom_result prom[NSLOTS];
	bool prom_ok[NSLOTS];
};

/* A new job of kind on src (nothing queued yet). Caller owns the result; free with
 * csf_cluster_job_free(). */
struct csf_cluster_job *csf_cluster_job_new(struct csf_cluster_source *src,
					    enum csf_cluster_job_kind kind);
/* Adds a note (fmt with one %s, arg) to the job's warnings, once: duplicates are dropped. */
void csf_cluster_add_warning(struct csf_cluster_job *j, const char *fmt, const char *arg);
/* Ends the job as failed with e (the first failure wins); cancels what is in flight. */
void csf_cluster_job_fail(struct csf_cluster_job *j, const struct csf_error *e);
/* A new request of the job on api for path; what names it in errors. Not yet queued. */
struct csf_cluster_fetch *csf_cluster_fetch_new(struct csf_cluster_job *j,
						enum csf_cluster_api api, const char *path,
						const char *what);
/* Queues f (the job takes ownership) and counts it in the progress total. */
void csf_cluster_enqueue(struct csf_cluster_job *j, struct csf_cluster_fetch *f);
/* Queues the paged list of kind in namespace ns (NULL: all) into nsd[idx] (tenants) or the
 * job's one namespace (scaling), with optional label and field selectors. */
void csf_cluster_queue_list(struct csf_cluster_job *j, enum csf_k8s_kind kind, const char *ns,
			    size_t idx, const char *label_sel, const char *field_sel, bool optional,
			    const char *what);
/* While nothing is queued or in flight, advances the job to its next stage and sends what
 * that queues; a stage that queues nothing finishes the job. */
void csf_cluster_check_stage(struct csf_cluster_job *j);
/* Copies a Kubernetes event into a scale event (strings into a). */
void csf_cluster_copy_event(struct csf_arena *a, struct csf_scale_event *dst,
			    const struct csf_k8s_event *e);
/* The threshold of the trigger behind the first external metric ("s1-rabbitmq" is trigger 1),
 * else of the first trigger that has one. False when none has one. */
bool csf_cluster_so_target(const struct csf_k8s_scaledobject *so, double *out);

/* ---- scaling (core/cluster_scaling.c) ------------------------------------------------------- */

/* Queues the next stage of a scaling job: the tenant namespace's lists, then (the deployment
 * and autoscaler resolved) the Prometheus range queries. */
void csf_cluster_scaling_advance(struct csf_cluster_job *j);

/* ---- shared by tenants and drift ------------------------------------------------------------ */

/* A copy of s in a, or NULL for NULL. Owned by the arena. */
const char *csf_cluster_adup(struct csf_arena *a, const char *s);
/* qsort order of struct csf_module_summary: by deployment name. */
int csf_cluster_cmp_module(const void *x, const void *y);
/* Recomputes t's totals from its modules: ready/desired, drift count, worst health (unknown
 * when the tenant has an error) and the newest scale event. */
void csf_cluster_tenant_rollup(struct csf_tenant_summary *t);

#endif
