/* Artifact generation (DESIGN §4): effective blueprint × provider × tenant × environment →
 * an ordered artifact set of (path, kind, family, bytes, sha256).
 *
 * Paths are relative to the module's output folder (the CLI writes a cell to
 * DIR/<provider>/<environment>/<tenant>/<module>/), use '/' and always pass csf_safe_relpath().
 * The order is fixed: container files, k8s/ (namespace, serviceaccount, configmap, secretstore,
 * externalsecret, deployment, service, hpa|scaledobject (+ triggerauthentication), pdb,
 * networkpolicy, mesh/…, kustomization), gateway/, events/, functions/, iac/, release.yaml,
 * execution-metadata.json. release.yaml and execution-metadata.json carry blueprintHash (sha256
 * of the canonical JSON of the effective blueprint), infraHash (sha256 over the iac/ artifacts'
 * paths and bytes) and the sha256 of every artifact before them.
 *
 * Determinism: the bytes depend only on the effective blueprint, the provider, the workspace
 * blueprints that send traffic to this module, and opts. No clock, no absolute path, no
 * environment variable, no locale. A timestamp appears only when opts->timestamp is given.
 *
 * Secrets: only names and secret-store references are written, never values. A configuration
 * value that looks like a credential (key names such as *PASSWORD*, *SECRET*, *TOKEN*, *_KEY,
 * *CONNECTION_STRING*, or values with password=, AccountKey=, AKIA…, JWTs, PEM blocks, URLs
 * with user:password@, long high-entropy tokens) is written as "<redacted>" in the configmap
 * and in release.yaml's freight, with a warning naming the key (never the value).
 *
 * Providers: a service the blueprint names for another provider (azure-service-bus, an
 * azure-keyvault source, s3, cosmos… when rendering for aws) is replaced by
 * cloud.overlays.<provider>.<key>, else the flat cloud.overlays.<key> when rendering for the
 * blueprint's own provider, else the seed's provider table — with a warning. Identity values
 * only known after the cloud IaC ran (client id, account, project) are Flux post-build
 * substitutions (${AZURE_CLIENT_ID}, ${AWS_ACCOUNT_ID}, ${GCP_PROJECT_ID}, …) listed in
 * release.yaml under `substitutions`.
 *
 * Replicas: environment replicasFactor f scales scaling.minReplicas and maxReplicas (or the
 * seed spelling scalability.autoScaling.*): min' = max(1, ceil(min × f)) — or 0 when min is 0 —
 * and max' = max(min', ceil(max × f)). Ceil, so a factor never gives fewer replicas than asked.
 *
 * Bad input policy: the renderer refuses a cell (CSF_E_RENDER, nothing rendered) only for what
 * it cannot render at all — no `module`, a module or tenant name that is not a safe path
 * component (`../`, '/', '\\', control characters) or not usable as a Kubernetes name, an
 * unknown provider or environment name that is unsafe — and lists those blocking errors in
 * err->msg. Everything else renders with defaults and a warning in set->warnings (unknown runtime
 * stack → the dotnet8 container, missing probes or resources → defaults, a trigger it cannot
 * map → left out, redacted values). Lint findings are the linter's job: the CLI prints the blueprint's lint
 * errors as warnings and renders anyway.
 *
 * Ownership: the set owns its artifacts and warnings; csf_render_cell() also makes the set own
 * the effective blueprint it builds (set->eff), so provenance stays reachable through the set:
 * csf_effective_get(set->eff, "scaling.maxReplicas")->file / ->loc say who set a value.
 */
#ifndef CSF_CORE_RENDER_H
#define CSF_CORE_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/effective.h"
#include "core/status.h"
#include "core/workspace.h"

/* Artifact families, in output order. */
#define CSF_FAMILY_INFO(_) \
	_(CONTAINER, "container") \
	_(K8S,       "k8s") \
	_(MESH,      "mesh") \
	_(GATEWAY,   "gateway") \
	_(EVENTS,    "events") \
	_(FUNCTION,  "function") \
	_(IAC,       "iac") \
	_(RELEASE,   "release")

enum csf_family {
#define CSF_FAMILY_ENUM(name, str) CSF_FAMILY_##name,
	CSF_FAMILY_INFO(CSF_FAMILY_ENUM)
#undef CSF_FAMILY_ENUM
};

const char *csf_family_name(enum csf_family f);

struct csf_artifact {
	char *path;			/* relative, '/'-separated ("k8s/deployment.yaml") */
	const char *kind;		/* static: "Dockerfile", "Deployment", "ScaledObject",
					 * "CloudFormation", "Bicep", "Terraform", "JSONSchema",
					 * "OpenAPI", "Release", "ExecutionMetadata", … */
	enum csf_family family;
	struct csf_buf data;		/* the file's bytes */
	char sha256[65];		/* lower-case hex of data */
};

struct csf_artifact_set {
	struct csf_artifact *items;	/* in output order */
	size_t n, alloc;
	char **warnings;		/* human-readable, never contain secret values */
	size_t nwarnings, warnings_alloc;
	char *module;			/* "BookingService" */
	char *name;			/* "booking-service" (Kubernetes name) */
	char *tenant;			/* tenantId, or "default" without a tenant */
	char *env;			/* canonical environment name, or "default" */
	char *provider;			/* azure | aws | gcp */
	char blueprint_hash[65];
	char infra_hash[65];
	struct csf_effective *eff;	/* owned when set by csf_render_cell(), else NULL */
};

#define CSF_ARTIFACT_SET_INIT { NULL, 0, 0, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, "", "", NULL }

struct csf_render_opts {
	const char *provider;		/* azure | aws | gcp; NULL: the effective provider */
	const char *timestamp;		/* written as generatedAt when not NULL (RFC 3339) */
	const char *generated_by;	/* NULL: "csf-tui@<version>" */
	const struct csf_workspace *ws;	/* for traffic sent to this module by other blueprints,
					 * and the Prometheus address of KEDA triggers; may be NULL */
};

/* Renders eff into out (which must be CSF_ARTIFACT_SET_INIT or released). On CSF_E_RENDER
 * out holds no artifacts and err->msg lists the blocking errors ("; "-separated). out->eff is
 * left NULL: eff stays the caller's. */
enum csf_status csf_render(const struct csf_effective *eff, const struct csf_render_opts *o,
			   struct csf_artifact_set *out, struct csf_error *err);

/* Builds the effective blueprint for (bp, tenant, env) and renders it; out->eff is owned by
 * out. tenant and env may be NULL. */
enum csf_status csf_render_cell(const struct csf_workspace *ws, const struct csf_blueprint *bp,
				const struct csf_tenant *tenant, const struct csf_environment *env,
				const struct csf_render_opts *o, struct csf_artifact_set *out,
				struct csf_error *err);

/* Frees everything the set owns (set->eff included) and re-initialises it. */
void csf_artifact_set_release(struct csf_artifact_set *set);

/* The artifact at path, or NULL. Borrowed from set. */
const struct csf_artifact *csf_artifact_set_find(const struct csf_artifact_set *set,
						 const char *path);

/* ---- the matrix ---------------------------------------------------------------------------- */

/* One cell of the matrix, as passed to the callback. */
struct csf_render_cell {
	const struct csf_blueprint *bp;
	const struct csf_tenant *tenant;	/* NULL when the workspace has no tenants */
	const struct csf_environment *env;	/* NULL when the workspace has no environments */
	const char *provider;
	size_t index, total;			/* 0-based position and number of cells */
};

/* Called once per cell, in order (provider, environment, tenant, module). status is CSF_E_OK
 * with the rendered set, or CSF_E_RENDER with err filled and an empty set. set and err are
 * valid only during the call; the set is released right after it, so the matrix never holds
 * more than one cell. Return false to stop. */
typedef bool (*csf_render_cell_fn)(void *ctx, const struct csf_render_cell *cell,
				   enum csf_status status, const struct csf_artifact_set *set,
				   const struct csf_error *err);

struct csf_matrix_opts {
	const char *module;		/* only this module (name, or a blueprint's file path) */
	const char *tenant;		/* only this tenant */
	const char *env;		/* only this environment (aliases accepted) */
	const char *provider;		/* only this provider; NULL: azure, aws and gcp */
	bool effective_provider;	/* instead of the provider dimension: each cell once, for
					 * its effective provider (tenant, then blueprint, then
					 * azure); `provider` is then ignored */
};

/* Streams every cell: module × provider × tenant × environment (restricted by m). A
 * tenant-specific blueprint (top-level tenantId) is rendered for its tenant only. Fails with
 * CSF_E_USAGE (nothing rendered) for a filter that names nothing or an unknown provider;
 * returns CSF_E_RENDER when some cell failed (the others were still rendered), CSF_E_OK
 * otherwise. */
enum csf_status csf_render_matrix(const struct csf_workspace *ws, const struct csf_matrix_opts *m,
				  const struct csf_render_opts *o, csf_render_cell_fn fn, void *ctx,
				  struct csf_error *err);

/* ---- helpers shared with callers ---------------------------------------------------------- */

/* True for azure, aws, gcp. */
bool csf_render_provider_known(const char *provider);

/* True when name can be a Kubernetes namespace / DNS label (lower-case alphanumerics and '-',
 * 1–63 bytes, alphanumeric at both ends). */
bool csf_dns_label(const char *name);

/* True when a configuration value (with its key) looks like a credential (see above). */
bool csf_render_looks_secret(const char *key, const char *value);

/* A csf_ey_node_filtered() filter: "<redacted>" for a credential-looking value (key names count
 * only for configuration-style keys, upper case like DB_PASSWORD: schema keys such as `secrets`
 * list secret names, which are not secret), NULL to keep the value. ctx is unused. Used for the
 * effective blueprint the renderer writes into release.yaml and for the release freight, so
 * re-rendering a freight gives the same artifacts. */
const char *csf_render_redact_filter(void *ctx, const char *key, const char *value);

#endif
