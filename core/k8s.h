/* Kubernetes API responses (reference/formats.md §1): NamespaceList, DeploymentList,
 * HorizontalPodAutoscalerList (autoscaling/v2), KEDA ScaledObjectList, EventList, Status errors,
 * paging with `continue`, quantities and RFC 3339 times.
 *
 * Parsers follow the wire rules: a missing int32 is 0 (omitempty), HPA spec.minReplicas defaults
 * to 1, KEDA minReplicaCount to 0 and maxReplicaCount to 100, arrays may be null, kind/apiVersion
 * may be absent in items. Each parse call APPENDS the items of one page to the list, so paging is
 * "parse page 1, parse page 2, …" into the same list; the page's `continue` token is returned.
 *
 * Every string lives in the list's arena: Borrowed, valid until csf_k8s_list_release().
 * Strings are raw API data: sanitize before drawing them on a terminal.
 */
#ifndef CSF_CORE_K8S_H
#define CSF_CORE_K8S_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"

/* Well-known labels (DESIGN §4). */
#define CSF_LABEL_TENANT "csf.connectsoft.io/tenant"
#define CSF_LABEL_EDITION "csf.connectsoft.io/edition"
#define CSF_LABEL_MODULE "csf.connectsoft.io/module"
#define CSF_LABEL_ENVIRONMENT "csf.connectsoft.io/environment"
#define CSF_LABEL_PROVIDER "csf.connectsoft.io/provider"
#define CSF_LABEL_APP_NAME "app.kubernetes.io/name"
#define CSF_LABEL_APP_VERSION "app.kubernetes.io/version"

struct cJSON;

/* Parses an API response body as JSON, refusing trailing bytes after the value (cJSON alone
 * reads "404 page not found" as 404); used by the Prometheus client too. Returns NULL when it
 * is not exactly one JSON value. Caller owns the result; free with cJSON_Delete(). */
struct cJSON *csf_k8s_json_parse(const char *json, size_t len);

struct csf_k8s_label {
	const char *key, *value;
};

struct csf_k8s_condition {
	const char *type, *status, *reason, *message;	/* status: "True"|"False"|"Unknown" */
	int64_t last_transition;			/* Unix seconds, 0 when absent */
};

struct csf_k8s_namespace {
	const char *name;
	const char *phase;			/* "Active", "Terminating", or "" */
	const char *tenant;			/* CSF_LABEL_TENANT value or NULL */
	const char *edition;			/* CSF_LABEL_EDITION value or NULL */
	const char *provider;			/* CSF_LABEL_PROVIDER value or NULL */
	int64_t created;
	struct csf_k8s_label *labels;
	size_t nlabels;
};

struct csf_k8s_container {
	const char *name, *image;
};

struct csf_k8s_deployment {
	const char *name, *namespace;
	struct csf_k8s_label *labels;
	size_t nlabels;
	long long generation, observed_generation;
	bool has_spec_replicas;			/* false when spec.replicas is absent (API default 1) */
	int spec_replicas;			/* 1 when absent */
	int replicas, ready, available, updated, unavailable;	/* missing = 0 */
	struct csf_k8s_container *containers;	/* spec.template.spec.containers (not init) */
	size_t ncontainers;
	struct csf_k8s_condition *conditions;
	size_t nconditions;
};

/* One metric of an HPA (spec) with its current value (status) when known. */
struct csf_k8s_metric {
	const char *type;			/* Resource|Pods|Object|External|ContainerResource */
	const char *name;			/* cpu, http_requests_per_second, s0-prometheus, … */
	const char *target_type;		/* Utilization|Value|AverageValue */
	double target;				/* utilization in %, or the quantity */
	bool has_current;
	double current;				/* same unit as target */
};

struct csf_k8s_hpa {
	const char *name, *namespace;
	const char *target_kind, *target_name;	/* spec.scaleTargetRef */
	const char *keda_owner;			/* label scaledobject.keda.sh/name, or NULL */
	int min_replicas;			/* default 1 */
	int max_replicas;
	int current_replicas, desired_replicas;	/* missing = 0 */
	int64_t last_scale_time;		/* 0 when absent */
	struct csf_k8s_metric *metrics;
	size_t nmetrics;
	struct csf_k8s_condition *conditions;
	size_t nconditions;
};

struct csf_k8s_trigger {
	const char *type;			/* prometheus, rabbitmq, cron, … */
	const char *threshold;			/* metadata threshold, value, messageCount,
						 * queueLength or targetValue; or NULL */
	const char *query;			/* metadata.query (prometheus) or NULL */
	const char *queue;			/* metadata.queueName or NULL */
};

struct csf_k8s_scaledobject {
	const char *name, *namespace;
	const char *target_name;		/* spec.scaleTargetRef.name */
	int min_replicas;			/* minReplicaCount, default 0 */
	int max_replicas;			/* maxReplicaCount, default 100 */
	int polling_interval, cooldown_period;	/* defaults 30, 300 */
	const char *hpa_name;			/* status.hpaName or "keda-hpa-<name>" */
	struct csf_k8s_trigger *triggers;
	size_t ntriggers;
	const char **external_metrics;		/* status.externalMetricNames */
	size_t nexternal_metrics;
	bool health_failing;			/* any status.health entry with status "Failing" */
	int64_t last_active;
	struct csf_k8s_condition *conditions;
	size_t nconditions;
};

struct csf_k8s_event {
	const char *name, *namespace;
	const char *object_kind, *object_name;	/* involvedObject */
	const char *reason, *message, *type;	/* type: Normal|Warning */
	const char *component;			/* source.component or reportingComponent */
	int count;				/* missing = 1 */
	int64_t first, last;			/* lastTimestamp, else eventTime, else creationTimestamp */
};

/* A page of items of one kind, appended to across pages. */
struct csf_k8s_list {
	struct csf_arena arena;
	const char *resource_version;
	struct csf_k8s_namespace *namespaces;
	size_t nnamespaces, namespaces_alloc;
	struct csf_k8s_deployment *deployments;
	size_t ndeployments, deployments_alloc;
	struct csf_k8s_hpa *hpas;
	size_t nhpas, hpas_alloc;
	struct csf_k8s_scaledobject *scaledobjects;
	size_t nscaledobjects, scaledobjects_alloc;
	struct csf_k8s_event *events;
	size_t nevents, events_alloc;
};

#define CSF_K8S_LIST_INIT { CSF_ARENA_INIT, NULL, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0, \
			    NULL, 0, 0 }

void csf_k8s_list_release(struct csf_k8s_list *l);

enum csf_k8s_kind {
	CSF_K8S_NAMESPACES,
	CSF_K8S_DEPLOYMENTS,
	CSF_K8S_HPAS,
	CSF_K8S_SCALEDOBJECTS,
	CSF_K8S_EVENTS,
};

/* The expected List kind ("NamespaceList", …) and the API path for a namespace (NULL = all
 * namespaces / cluster-scoped), e.g. "/apis/autoscaling/v2/namespaces/NS/horizontalpodautoscalers". */
const char *csf_k8s_list_kind(enum csf_k8s_kind kind);
void csf_k8s_path(struct csf_buf *out, enum csf_k8s_kind kind, const char *namespace);

/* Appends "?labelSelector=…&fieldSelector=…&limit=N&continue=…" (each part only when set,
 * URL-encoded) to out. */
void csf_k8s_query(struct csf_buf *out, const char *label_selector, const char *field_selector,
		   int limit, const char *continue_token);

/* Parses one page of a list of `kind` and appends its items to l. name is used in error
 * messages. *continue_token receives metadata.continue (arena string, NULL when absent or
 * empty = last page). A body that is a Status object fails with the Status message
 * (CSF_E_HTTP); malformed JSON or a wrong kind fails with CSF_E_PARSE. */
enum csf_status csf_k8s_parse_list(enum csf_k8s_kind kind, const char *json, size_t len,
				   const char *name, struct csf_k8s_list *l,
				   const char **continue_token, struct csf_error *err);

/* A decoded Status object. Strings are copied into the fixed buffers (truncated). */
struct csf_k8s_status {
	int code;				/* HTTP code repeated in the object */
	char status[16];			/* "Failure" */
	char reason[48];			/* Forbidden, Unauthorized, NotFound, Expired, … */
	char message[200];
};

/* True when json is a Status object (kind "Status"); fills st. */
bool csf_k8s_parse_status(const char *json, size_t len, struct csf_k8s_status *st);

/* Turns an HTTP reply of the API into an error: a Status body gives "REASON (CODE): message",
 * otherwise "HTTP CODE" plus the first bytes of a text body. Always returns CSF_E_HTTP (or
 * CSF_E_AUTH for 401/403). what names the request ("list namespaces"). */
enum csf_status csf_k8s_reply_error(long http_status, const char *body, size_t len,
				    const char *what, struct csf_error *err);

/* Parses a resource.Quantity string ("412m", "37500m", "50", "256Mi", "1.5", "2k", "1e3",
 * "-3") into a double. False for anything else (empty, bad suffix, trailing garbage). */
bool csf_k8s_quantity(const char *s, double *out);

/* Parses RFC 3339 ("2026-11-26T18:42:07Z", fractions, "+02:00" offsets) into Unix seconds. */
bool csf_k8s_time(const char *s, int64_t *out);
/* Formats Unix seconds as "2026-11-26T18:42:07Z" into out (at least 21 bytes). */
void csf_k8s_time_format(int64_t t, char *out, size_t n);

/* For HPA rescale events: the N of "New size: N; reason: …" (after stripping the
 * "(combined from similar events): " prefix), or -1. If reason is not NULL it receives the
 * offset of the reason text in msg (the part after "reason: ", "" when absent). */
int csf_k8s_rescale_size(const char *msg, const char **reason);

/* Labels lookup: the value or NULL. */
const char *csf_k8s_label(const struct csf_k8s_label *labels, size_t n, const char *key);

/* The version of a deployment: the app.kubernetes.io/version label, else the tag of the first
 * container's image ("repo:1.2.3" → "1.2.3"; a digest "@sha256:HEX" → HEX),
 * else NULL. Borrowed from d / l. */
const char *csf_k8s_deployment_version(const struct csf_k8s_deployment *d);

#endif
