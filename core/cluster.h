/* Cluster data for the tenants and scaling views (DESIGN §5): sources, asynchronous jobs, and
 * the assembled results.
 *
 *   source  — where bytes come from, behind struct csf_cluster_source_ops:
 *             live     = Kubernetes API (kubeconfig auth) + Prometheus, over core/http (libcurl
 *                        multi: network I/O never blocks the caller; only an exec credential
 *                        plugin runs synchronously, bounded by its timeout, when the source is
 *                        created, when its credential expires, and after a 401);
 *             snapshot = a recorded folder (samples/cluster) whose files are named after the API
 *                        paths and hold the same JSON the API returns (see "Snapshot layout").
 *   job     — one load (tenant summary, or scaling history of a module) as a state machine of
 *             requests: paging with `continue`, per-namespace fan-out, then Prometheus queries.
 *             The TUI starts a job, keeps calling the source's poll (or integrates the source's
 *             HTTP fds into its own select), and reads the result when csf_cluster_job_done().
 *             Headless code calls csf_cluster_job_run() (blocking).
 *   result  — struct csf_tenants / struct csf_scaling, plain data in one arena; strings are raw
 *             cluster data: sanitize (core/sanitize.h) before drawing them on a terminal.
 *
 * Typical TUI use (tests/unit/test_cluster.c test_cluster_live_source_event_loop does exactly
 * this):
 *     csf_cluster_tenants_start(src, &q, &job, &err);      returns at once
 *     each loop pass: if src->ops->http(src) is not NULL, add its sockets to the select set
 *         (csf_http_fdset) and cap the wait with csf_http_timeout_ms; after select, call
 *         src->ops->poll(src, 0); show csf_cluster_job_progress() and src->bytes;
 *         when csf_cluster_job_done(job):
 *     tenants = csf_cluster_job_take_tenants(job, &err);   NULL + err on failure
 *     csf_cluster_job_free(job);                           cancels what is still pending
 *
 * Snapshot layout (a folder, e.g. samples/cluster/):
 *   snapshot.json                  {"recordedAt":"2026-11-26T19:00:00Z","context":"…","note":"…"}
 *                                  recordedAt is the snapshot's "now" for time ranges.
 *   api/v1/namespaces.json         GET /api/v1/namespaces (NamespaceList)
 *   apis/apps/v1/namespaces/NS/deployments.json, apis/autoscaling/v2/namespaces/NS/
 *   horizontalpodautoscalers.json, apis/keda.sh/v1alpha1/namespaces/NS/scaledobjects.json,
 *   api/v1/namespaces/NS/events.json
 *                                  the list responses; query strings (selectors, limit) are
 *                                  ignored, so callers filter client-side as well. A missing
 *                                  file in a recorded API group lists as empty (as for a
 *                                  namespace without such objects); a group that was not
 *                                  recorded answers 404 with a Status, like a cluster without
 *                                  KEDA.
 *   api/v1/query_range/METRIC.json a Prometheus query_range response for the bare metric name
 *                                  over the recorded window; a query `METRIC{l="v",l2=~"a|b"}`
 *                                  is answered like Prometheus would: the series whose labels
 *                                  match, sampled at start + k*step with the 5-minute lookback,
 *                                  the 11,000-point limit enforced. Other PromQL is rejected
 *                                  (400 bad_data).
 *   gitops/environments/ENV/TENANT/MODULE/k8s/{deployment,hpa,scaledobject}.yaml
 *                                  the desired state (a copy of the GitOps repository layout of
 *                                  DESIGN §6) used for drift; see csf_desired_load().
 */
#ifndef CSF_CORE_CLUSTER_H
#define CSF_CORE_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/kubeconfig.h"
#include "core/status.h"

/* ---- sources ------------------------------------------------------------------------------ */

enum csf_cluster_api {
	CSF_CLUSTER_K8S,	/* Kubernetes API server */
	CSF_CLUSTER_PROM,	/* Prometheus HTTP API */
};

/* A reply, borrowed: valid during the callback only. */
struct csf_cluster_reply {
	long status;			/* HTTP status; 0 when none arrived */
	const char *body;
	size_t len;
	const struct csf_error *err;	/* code CSF_E_OK when a reply arrived (any status) */
};

typedef void (*csf_cluster_reply_fn)(void *ctx, const struct csf_cluster_reply *reply);

struct csf_cluster_source;

struct csf_cluster_source_ops {
	/* "live" or "snapshot". */
	const char *kind;
	/* Starts GET path on api. path is the API path with its query string
	 * ("/api/v1/namespaces?labelSelector=…", "/api/v1/query_range?query=…"). done runs exactly
	 * once, always from poll() (never inside get). Returns an id > 0, or 0 with err set (the
	 * source has no such API, bad path). */
	unsigned long (*get)(struct csf_cluster_source *s, enum csf_cluster_api api, const char *path,
			     csf_cluster_reply_fn done, void *ctx, struct csf_error *err);
	/* Cancels a pending get; its done callback does not run. Unknown ids are ignored. */
	void (*cancel)(struct csf_cluster_source *s, unsigned long id);
	/* Delivers finished replies; waits at most wait_ms for network activity (0 = never
	 * waits: the TUI loop). Returns the number of gets still pending. */
	size_t (*poll)(struct csf_cluster_source *s, long wait_ms);
	/* The HTTP engine to integrate into a select loop (csf_http_fdset / _timeout_ms), or NULL
	 * when the source never touches the network (snapshot). */
	struct csf_http *(*http)(struct csf_cluster_source *s);
	/* "Now" in Unix seconds: the wall clock (live), or the recording time (snapshot). */
	int64_t (*now)(struct csf_cluster_source *s);
	/* Whether the source can answer api (a live source without a Prometheus URL cannot). */
	bool (*has_api)(struct csf_cluster_source *s, enum csf_cluster_api api);
	/* Cancels everything and frees s. */
	void (*free)(struct csf_cluster_source *s);
};

struct csf_cluster_source {
	const struct csf_cluster_source_ops *ops;
	char name[160];			/* for the status line: "context prod-eu", "snapshot DIR" */
	char namespace[64];		/* the kubeconfig context's namespace, "" when none */
	unsigned long long bytes;	/* response bytes received so far (grows while transfers
					 * run): with csf_cluster_job_progress, the status line */
};

/* Frees any source (NULL is ok). */
void csf_cluster_source_free(struct csf_cluster_source *s);

struct csf_cluster_live_opts {
	struct csf_kube_config *kube;	/* Takes ownership; NULL = no Kubernetes API */
	const char *prometheus;		/* base URL, or NULL = no Prometheus */
	long timeout_ms;		/* per request attempt; 0 = 15000 */
	int retries;			/* as csf_http_opts.retries (0 = 2, -1 = none) */
	size_t max_bytes;		/* per response; 0 = 64 MiB */
	csf_http_log_fn log;		/* optional log of requests (never tokens) */
	void *log_ctx;
};

/* A live source. Credentials are prepared here (token file read, exec plugin run), and again
 * after a 401 when an exec plugin is configured. Caller owns *out; free with
 * csf_cluster_source_free(). */
enum csf_status csf_cluster_live_new(const struct csf_cluster_live_opts *o,
				     struct csf_cluster_source **out, struct csf_error *err);

/* A snapshot source reading folder dir (see "Snapshot layout"). Fails when dir has no
 * snapshot.json. Caller owns *out; free with csf_cluster_source_free(). */
enum csf_status csf_cluster_snapshot_new(const char *dir, struct csf_cluster_source **out,
					 struct csf_error *err);

/* ---- results ------------------------------------------------------------------------------ */

enum csf_health {
	CSF_HEALTH_OK,
	CSF_HEALTH_DEGRADED,	/* fewer ready than desired, or the autoscaler cannot scale */
	CSF_HEALTH_DOWN,	/* desired > 0 and nothing ready */
	CSF_HEALTH_UNKNOWN,	/* data missing (a request failed) */
};

/* "ok", "degraded", "down", "unknown". */
const char *csf_health_name(enum csf_health h);

/* An HPA/KEDA/Deployment event. */
struct csf_scale_event {
	int64_t first, last;		/* Unix seconds */
	const char *type;		/* Normal | Warning */
	const char *reason;		/* SuccessfulRescale, FailedRescale, FailedGetResourceMetric… */
	const char *message;		/* raw: may hold escape sequences, sanitize before drawing */
	const char *object_kind, *object_name;
	int count;
	int new_size;			/* from "New size: N; …", else -1 */
};

/* A live field that differs from the desired state. */
struct csf_drift {
	const char *kind;		/* Deployment | HorizontalPodAutoscaler | ScaledObject */
	const char *name;
	const char *field;		/* spec.replicas, image, version, spec.minReplicas, … */
	const char *desired;		/* as written in the desired state */
	const char *live;		/* "(missing)" when the live object does not exist */
	const char *source;		/* where the desired value came from (file:line), or NULL */
};

struct csf_module_summary {
	const char *name;		/* Deployment name (booking-service) */
	const char *module;		/* csf.connectsoft.io/module label (BookingService) or NULL */
	const char *version;		/* app.kubernetes.io/version, else the image tag, or NULL */
	const char *image;		/* first container's image or NULL */
	int desired;			/* spec.replicas (1 when absent) */
	int replicas, ready, available, updated;
	const char *autoscaler;		/* "HPA", "KEDA" or NULL */
	const char *autoscaler_name;	/* HPA or ScaledObject name */
	int min_replicas, max_replicas;	/* autoscaler bounds (0 when none) */
	int as_current, as_desired;	/* HPA status (KEDA: of its keda-hpa-*) */
	const char *metric_name;	/* first metric or trigger, or NULL */
	bool has_metric_current;
	double metric_current, metric_target;
	bool has_last_event;
	struct csf_scale_event last_event;	/* latest SuccessfulRescale/FailedRescale/Failed* */
	enum csf_health health;
	const char *health_reason;	/* one line, or NULL when ok */
	bool missing;			/* desired (drift) but not in the cluster: a placeholder */
	struct csf_drift *drift;
	size_t ndrift;
};

struct csf_tenant_summary {
	const char *tenant;		/* tenant label value, else the namespace name */
	const char *namespace;
	const char *edition, *provider;	/* labels or NULL */
	const char *phase;
	struct csf_module_summary *modules;	/* sorted by name */
	size_t nmodules;
	int ready, desired;		/* sums over modules */
	bool has_last_event;
	struct csf_scale_event last_event;
	const char *last_event_module;
	enum csf_health health;		/* worst of the modules; UNKNOWN when error is set */
	size_t ndrift;
	const char *error;		/* a request for this tenant failed: the message, or NULL */
};

struct csf_tenants {
	struct csf_arena arena;
	struct csf_tenant_summary *tenants;	/* sorted by tenant */
	size_t ntenants;
	int64_t as_of;			/* source "now" when the load started */
	const char **warnings;		/* non-fatal notes ("KEDA is not installed", events that
					 * could not be listed (403), fallbacks) */
	size_t nwarnings;
	bool partial;			/* some tenant has error set */
	bool drift_checked;		/* csf_cluster_drift ran */
};

void csf_tenants_free(struct csf_tenants *t);

/* A time series on the query's step grid; NaN where Prometheus had no point. */
struct csf_series {
	size_t n;
	int64_t *t;			/* arena */
	double *v;
};

struct csf_scaling {
	struct csf_arena arena;
	const char *tenant, *module;	/* as asked */
	const char *deployment;		/* resolved Deployment name */
	const char *autoscaler;		/* "HPA", "KEDA" or NULL */
	const char *hpa_name, *scaledobject;	/* or NULL */
	int64_t start, end, step;	/* the query range (seconds) */
	struct csf_series replicas;	/* kube_deployment_status_replicas */
	struct csf_series desired;	/* kube_horizontalpodautoscaler_status_desired_replicas */
	struct csf_series min, max;	/* kube_horizontalpodautoscaler_spec_{min,max}_replicas */
	struct csf_series metric;	/* keda_scaler_metrics_value, or the HPA target metric */
	const char *metric_name;	/* label "metric"/"metric_name", or the spec's metric name */
	bool has_target;
	double metric_target;		/* from the HPA spec / KEDA trigger threshold */
	bool has_spec;			/* the Kubernetes API answered (spec_* below are set) */
	int spec_min, spec_max, spec_current, spec_desired;
	struct csf_scale_event *events;	/* in [start, end], ascending by last time */
	size_t nevents;
	const char **warnings;
	size_t nwarnings;
};

void csf_scaling_free(struct csf_scaling *s);

/* ---- jobs --------------------------------------------------------------------------------- */

struct csf_cluster_job;

struct csf_tenants_query {
	const char *tenant;		/* only this tenant (namespace or tenant label), NULL = all */
	int page_limit;			/* `limit` per list page; 0 = 500 */
};

struct csf_scaling_query {
	const char *tenant;		/* namespace or tenant label value */
	const char *module;		/* BookingService, booking-service, or the module label */
	int64_t since;			/* seconds back from end; 0 = 6 h */
	int64_t end;			/* Unix seconds; 0 = the source's now */
	int points;			/* wanted points per series; 0 = 240 (step >= 1 s, and within
					 * Prometheus' 11,000-point limit) */
};

/* Start a load. The job borrows src: keep it alive until csf_cluster_job_free(). Caller owns
 * *out; free with csf_cluster_job_free(). Fails only on bad arguments. */
enum csf_status csf_cluster_tenants_start(struct csf_cluster_source *src,
					  const struct csf_tenants_query *q,
					  struct csf_cluster_job **out, struct csf_error *err);
enum csf_status csf_cluster_scaling_start(struct csf_cluster_source *src,
					  const struct csf_scaling_query *q,
					  struct csf_cluster_job **out, struct csf_error *err);

bool csf_cluster_job_done(const struct csf_cluster_job *j);
/* Requests finished so far and requests known so far (grows while the job discovers work). */
void csf_cluster_job_progress(const struct csf_cluster_job *j, size_t *done, size_t *total);
/* Blocks (polling the source) until the job is done. */
void csf_cluster_job_run(struct csf_cluster_job *j);

/* Results, once done. NULL with err set when the load failed; caller owns the result. */
struct csf_tenants *csf_cluster_job_take_tenants(struct csf_cluster_job *j, struct csf_error *err);
struct csf_scaling *csf_cluster_job_take_scaling(struct csf_cluster_job *j, struct csf_error *err);

/* Cancels pending requests and frees j. NULL is ok. */
void csf_cluster_job_free(struct csf_cluster_job *j);

/* Blocking conveniences for headless commands: start, run, take. */
enum csf_status csf_cluster_load_tenants(struct csf_cluster_source *src,
					 const struct csf_tenants_query *q, struct csf_tenants **out,
					 struct csf_error *err);
enum csf_status csf_cluster_load_scaling(struct csf_cluster_source *src,
					 const struct csf_scaling_query *q, struct csf_scaling **out,
					 struct csf_error *err);

/* ---- drift ------------------------------------------------------------------------------- */

/* One desired field of one object, as a GitOps repository or a fresh render says it should be.
 * kind: Deployment | HorizontalPodAutoscaler | ScaledObject. field: for Deployment
 * "spec.replicas", "image" (first container), "version" (app.kubernetes.io/version label); for
 * HorizontalPodAutoscaler "spec.minReplicas", "spec.maxReplicas"; for ScaledObject
 * "spec.minReplicaCount", "spec.maxReplicaCount". The special field "exists" (value "true")
 * reports an object that should exist and does not. */
struct csf_desired_field {
	const char *namespace;
	const char *kind;
	const char *name;
	const char *field;
	const char *value;
	const char *source;		/* provenance "file:line", or NULL */
};

struct csf_desired_set {
	struct csf_arena arena;
	struct csf_desired_field *fields;
	size_t n, alloc;
};

#define CSF_DESIRED_SET_INIT { CSF_ARENA_INIT, NULL, 0, 0 }

/* Adds a field (strings copied into the set's arena). */
void csf_desired_add(struct csf_desired_set *set, const struct csf_desired_field *f);
void csf_desired_release(struct csf_desired_set *set);

/* Reads the desired state of environment env from a GitOps tree:
 * DIR/environments/ENV/TENANT/MODULE/k8s/{deployment,hpa,scaledobject}.yaml (one object per
 * file, as rendered; namespace from metadata.namespace, else TENANT). Files that are absent
 * are skipped; a file that does not parse fails with its file:line:col. */
enum csf_status csf_desired_load(const char *gitops_dir, const char *env,
				 struct csf_desired_set *set, struct csf_error *err);

/* Adds the desired fields of one rendered object (a Deployment, HorizontalPodAutoscaler or
 * ScaledObject as YAML text; other kinds add only "exists"), e.g. from a fresh render or a file
 * read from the GitOps repository's history. name is used for provenance and errors;
 * default_ns applies when metadata.namespace is absent. */
enum csf_status csf_desired_add_yaml(struct csf_desired_set *set, const char *name,
				     const char *text, size_t len, const char *default_ns,
				     struct csf_error *err);

/* Compares every desired field with the live tenants and attaches the differences to the
 * modules (module->drift, tenant->ndrift). An object that should exist and does not gives one
 * "exists" drift (on a placeholder module with `missing` set when it is a Deployment); its other
 * fields are not compared. Desired fields of namespaces that are not loaded are ignored. Strings are copied into t's arena. Marks t->drift_checked. */
void csf_cluster_drift(struct csf_tenants *t, const struct csf_desired_field *want, size_t n);

#endif
