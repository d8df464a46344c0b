/* Private to core/render*.c: the render model (the effective blueprint read once into typed
 * fields, with every default and provider mapping applied) and the family generators.
 * Not an API: the contract for callers is core/render.h. */
#ifndef CSF_CORE_RENDER_INT_H
#define CSF_CORE_RENDER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/render.h"

struct rd_kv {
	const char *key, *value;
	bool redacted;
};

struct rd_trigger {
	const char *type;		/* cpu, memory, queueLength, schedule, prometheus */
	const char *queue, *query, *cron, *end, *timezone;
	long long threshold;
	long long desired;		/* schedule: replicas inside the window */
};

struct rd_peer {
	const char *module;		/* PascalCase */
	const char *name;		/* kebab-case */
	bool tenant_scoped;
};

struct rd_model {
	struct csf_arena arena;		/* strings made while reading */
	const struct csf_effective *eff;
	const struct csf_render_opts *opts;
	struct csf_artifact_set *set;

	const char *module, *name, *version, *tenant, *edition, *env, *provider, *region;
	const char *description, *owner, *generated_by;
	/* runtime */
	const char *stack, *image, *image_tag;
	long long port;
	/* scaling (after replicasFactor) */
	bool autoscale, keda;
	long long min, max, declared_min, declared_max;
	double factor;
	struct rd_trigger *trig;
	size_t ntrig;
	/* resilience */
	const char *liveness, *readiness, *startup;
	long long timeout_seconds;
	/* resources */
	const char *cpu_req, *cpu_lim, *mem_req, *mem_lim;
	/* configuration */
	struct rd_kv *values;
	size_t nvalues;
	const char **secrets;
	size_t nsecrets;
	bool mount_volume;
	const char *secret_store;	/* azure-keyvault | aws-secrets-manager | gcp-secret-manager */
	/* network */
	const char *mesh;		/* istio | linkerd | none */
	bool mtls;
	struct rd_peer *egress, *ingress;
	size_t negress, ningress;
	/* observability */
	bool tracing, metrics;
	/* events */
	const char **emits, **consumes;
	size_t nemits, nconsumes;
	const char *transport;		/* the provider's pub/sub */
	/* api */
	bool api;
	const char *route_prefix, *gateway, *ver_strategy, *ver_default, *auth;
	const char **versions, **scopes, **cors_origins, **cors_methods;
	size_t nversions, nscopes, ncors_origins, ncors_methods;
	long long rate_per_minute;
	bool cdn;
	/* function */
	bool function;
	const char *fn_type, *fn_runtime, *fn_memory;
	const char **fn_sources;
	size_t nfn_sources;
	long long fn_timeout;
	/* infrastructure for this provider */
	const char *database;		/* postgres, mysql, cosmos, dynamodb, firestore, NULL */
	bool tenant_schema;
	const char *queue_tech;		/* azure-service-bus, sns-sqs, gcp-pubsub, NULL */
	const char *storage;		/* azure-blob, s3, gcs, NULL */
	const char *cache;
	const char *storage_class;
	struct rd_kv *tags;		/* cost tags (sorted by key) */
	size_t ntags;
	const char *strategy;		/* release strategy */
	const char *prometheus;		/* KEDA prometheus server address */
	/* identity */
	const char *sa_name;		/* Kubernetes service account */
	const char *cloud_identity;	/* azure identity name, aws role name, gcp service account id */
};

/* Arena-backed printf (the model's lifetime). */
const char *rd_fmt(struct rd_model *m, const char *fmt, ...) CSF_PRINTF(2, 3);
/* Adds a warning to the set (printf-style). Never pass a secret value. */
void rd_warn(struct rd_model *m, const char *fmt, ...) CSF_PRINTF(2, 3);
/* Starts an artifact; returns its buffer (valid until the next rd_add). */
struct csf_buf *rd_add(struct rd_model *m, enum csf_family fam, const char *kind, const char *path);

/* Reads the effective blueprint into m (render_model.c). m->eff, opts, set, module, name,
 * tenant, env and provider must be set. */
void rd_read_model(struct rd_model *m);

/* Shared YAML pieces. */
void rd_meta(struct rd_model *m, struct csf_buf *b, int ind, const char *name, bool ns);
void rd_labels(struct rd_model *m, struct csf_buf *b, int ind);
void rd_selector_labels(struct rd_model *m, struct csf_buf *b, int ind);
/* A valid Kubernetes label value for s (invalid characters become '_', at most 63). */
const char *rd_label(struct rd_model *m, const char *s);
/* Lower-case DNS-safe form of any name ("AppointmentBooked.v1" → "appointment-booked-v1"). */
const char *rd_dns(struct rd_model *m, const char *s);
/* Identifier form for IaC symbols ("booking-service" → "bookingService"). */
const char *rd_ident(struct rd_model *m, const char *s);

/* Cloud resource names shared by k8s/, events/ and iac/ (defined in render_k8s.c). */
const char *rd_vault(struct rd_model *m);		/* Key Vault name (azure), 3-24 chars */
const char *rd_sb_namespace(struct rd_model *m);	/* Service Bus namespace (azure) */
const char *rd_queue(struct rd_model *m, const char *queue);	/* physical queue name */
const char *rd_topic(struct rd_model *m, const char *event);	/* physical topic name */
const char *rd_secret_key(struct rd_model *m, const char *secret);	/* remote key in the store */
const char *rd_region(struct rd_model *m);		/* region or the provider's default */
/* Container user id of the runtime stack (10001; nginx 101; distroless 65532). */
long long rd_uid(struct rd_model *m);

/* IaC helpers shared by render_iac.c and render_terraform.c. */
long long rd_memory_mb(const char *s);			/* "512Mi" → 512 */
long long rd_max_attempts(struct rd_model *m);		/* resilience.retries.maxAttempts or 5 */
size_t rd_queues(struct rd_model *m, const char **out, size_t cap);	/* queues consumed directly */
bool rd_production(const struct rd_model *m);
const char *rd_db_name(struct rd_model *m);		/* per-tenant database name */
const char *rd_short_name(struct rd_model *m, const char *prefix, size_t maxlen);
void rd_terraform(struct rd_model *m);

/* Family generators, in output order. */
void rd_container(struct rd_model *m);
void rd_k8s(struct rd_model *m);
void rd_mesh(struct rd_model *m);
void rd_kustomization(struct rd_model *m);
void rd_gateway(struct rd_model *m);
void rd_events(struct rd_model *m);
void rd_function(struct rd_model *m);
void rd_iac(struct rd_model *m);

#define RD_GATEWAY_NS "csf-gateway"

#endif
