/* Internals shared by the linter's files (core/lint*.c). Not an API: the TUI and the CLI use
 * core/lint.h and core/lint_report.h only.
 *
 * A lint run walks the workspace in three passes:
 *   raw     every file once: yaml-syntax, duplicate-key, schema-*, hardcoded-secret;
 *   cells   every blueprint's effective tree per (tenant, environment): the semantic rules;
 *   global  the workspace-wide rules (event contracts, traffic to unknown modules, names
 *           declared twice).
 * Rules report through csf_lint_emit(), which applies severity config, suppression comments and
 * the "only this file" filter, and merges the same finding seen in several cells into one.
 */
#ifndef CSF_CORE_LINT_INT_H
#define CSF_CORE_LINT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/effective.h"
#include "core/lint.h"

/* The catalog: enum name, id, default severity, fixable, summary. Order is the catalog order. */
#define CSF_LINT_RULES(_) \
	_(YAML_SYNTAX, "yaml-syntax", ERROR, false, \
	  "the file cannot be read as YAML (syntax, encoding, binary, size, depth or alias limits)") \
	_(DUPLICATE_KEY, "duplicate-key", ERROR, false, \
	  "a key appears twice in one mapping; YAML keeps only the last one") \
	_(SCHEMA_UNKNOWN_KEY, "schema-unknown-key", ERROR, false, \
	  "a key the schema does not know (usually a typo)") \
	_(SCHEMA_TYPE, "schema-type", ERROR, false, \
	  "a value of the wrong type (string, integer, boolean, mapping, list)") \
	_(SCHEMA_ENUM, "schema-enum", ERROR, false, \
	  "a value outside the allowed set") \
	_(SCHEMA_REQUIRED, "schema-required", ERROR, false, \
	  "a required key or block is missing") \
	_(HARDCODED_SECRET, "hardcoded-secret", ERROR, false, \
	  "a credential written into the file instead of the provider's secret store") \
	_(SECRET_NOT_DECLARED, "secret-not-declared", ERROR, false, \
	  "a secret-like configuration value that is not listed in configuration.secrets") \
	_(STATEFUL_SERVICE, "stateful-service", WARNING, false, \
	  "the service keeps state (stateless: false, not disposable, local volumes)") \
	_(IMPERATIVE_INFRA, "imperative-infra", ERROR, false, \
	  "infrastructure provisioned by scripts or hooks instead of declaratively") \
	_(STATIC_REPLICAS, "static-replicas", WARNING, false, \
	  "no autoscaling: scaling disabled or absent, minReplicas == maxReplicas, max < min") \
	_(MISSING_PROBES, "missing-probes", ERROR, true, \
	  "no liveness or readiness probe") \
	_(UNOBSERVABLE, "unobservable", WARNING, false, \
	  "no tracing, no metrics or unstructured logs") \
	_(MESH_WITHOUT_MTLS, "mesh-without-mtls", ERROR, false, \
	  "a service mesh without mutual TLS") \
	_(TRAFFIC_NOT_TENANT_SCOPED, "traffic-not-tenant-scoped", WARNING, false, \
	  "a traffic policy rule that does not say tenantScoped: true") \
	_(TENANT_LEAKAGE, "tenant-leakage", ERROR, false, \
	  "shared data or cross-tenant traffic in a multi-tenant module") \
	_(NO_RETRY_OR_TIMEOUT, "no-retry-or-timeout", WARNING, false, \
	  "retries without backoff, no timeout, or a function without a timeout") \
	_(UNVERSIONED_EVENT, "unversioned-event", ERROR, true, \
	  "an event name without a .vN version suffix") \
	_(UNVERSIONED_API, "unversioned-api", WARNING, false, \
	  "an exposed API without versioning") \
	_(API_WITHOUT_AUTH, "api-without-auth", ERROR, false, \
	  "an exposed API without authentication") \
	_(API_WITHOUT_RATE_LIMIT, "api-without-rate-limit", WARNING, false, \
	  "an exposed API without a rate limit") \
	_(RESOURCES_MISSING, "resources-missing", WARNING, true, \
	  "no CPU or memory requests and limits") \
	_(COST_TAGS_MISSING, "cost-tags-missing", WARNING, false, \
	  "no team or module cost tags") \
	_(PROVIDER_MISMATCH, "provider-mismatch", ERROR, false, \
	  "a provider-specific service used with another cloud provider and no overlay for it") \
	_(EVENT_CONTRACT_MISMATCH, "event-contract-mismatch", ERROR, false, \
	  "a consumed event that no module emits, or emits at another version") \
	_(TRAFFIC_UNKNOWN_MODULE, "traffic-unknown-module", ERROR, false, \
	  "a traffic policy names a module that is not in the workspace") \
	_(PDB_VS_MIN_REPLICAS, "pdb-vs-min-replicas", WARNING, false, \
	  "minReplicas 1: the generated PodDisruptionBudget (minAvailable 1) blocks node drains") \
	_(HPA_VS_REPLICAS, "hpa-vs-replicas", ERROR, false, \
	  "generated autoscalers and fixed replicas that would fight each other") \
	_(UNRESOLVED_PLACEHOLDER, "unresolved-placeholder", ERROR, false, \
	  "a ${NAME} placeholder that names no declared value or secret") \
	_(DUPLICATE_NAME, "duplicate-name", ERROR, false, \
	  "two files declare the same module, tenant, edition or environment")

enum csf_rule {
#define CSF_RULE_ENUM(e, id, sev, fix, sum) CSF_R_##e,
	CSF_LINT_RULES(CSF_RULE_ENUM)
#undef CSF_RULE_ENUM
	CSF_R_COUNT
};

struct csf_lint_slot;

/* The blocks of a blueprint the workspace-wide rules read, looked up once per lint run. */
struct csf_lint_bpblocks {
	bool set;
	const struct csf_node *emits, *consumes, *allow;
};

/* The blocks of a blueprint the semantic rules read (one bit each); an overlay that touches none
 * of a rule group's blocks cannot change what the group finds. */
enum {
	CSF_B_ROOT = 1 << 0,		/* module, tenantId and any key not listed here */
	CSF_B_RUNTIME = 1 << 1,
	CSF_B_SCALABILITY = 1 << 2,
	CSF_B_SCALING = 1 << 3,
	CSF_B_RESILIENCE = 1 << 4,
	CSF_B_INFRA = 1 << 5,
	CSF_B_CONFIG = 1 << 6,
	CSF_B_NETWORK = 1 << 7,
	CSF_B_OBS = 1 << 8,
	CSF_B_EVENTS = 1 << 9,
	CSF_B_API = 1 << 10,
	CSF_B_FUNCTION = 1 << 11,
	CSF_B_COST = 1 << 12,
	CSF_B_CLOUD = 1 << 13,
	CSF_B_PROVIDER = 1 << 14,	/* the effective provider (tenant.provider) */
	CSF_B_NONE_READ = 1 << 15,	/* blocks no rule reads (features, release, …) */
	CSF_B_CONFIG_VALUES = 1 << 16,	/* configuration.values only (environment values) */
};

/* The provider ("azure", "aws", "gcp") a provider-specific value such as azure-keyvault or
 * sqs belongs to, or NULL for a neutral value (postgres, redis). */
const char *csf_lint_provider_of(const char *value);

/* The block bit of a top-level blueprint key. */
unsigned csf_lint_block_bit(const char *key);

/* Rule groups (lint_rules.c), in evaluation order. */
#define CSF_LINT_GROUPS 14
/* The blocks group g reads. */
unsigned csf_lint_group_reads(unsigned g);

/* A finding recorded while evaluating a blueprint on its own, replayed into every cell whose
 * overlays do not touch the blocks of its rule group. */
struct csf_lint_rec {
	enum csf_rule rule;
	unsigned group;
	size_t src;				/* which evaluation recorded it (lint.c) */
	const char *file;
	struct csf_loc loc;
	char *msg, *hint;
	struct csf_diag scratch;		/* what the rule sees; a fix attached here is kept */
};

/* One lint run (lint.c). */
struct csf_lint_run {
	const struct csf_workspace *ws;
	struct csf_lint_result *out;
	const struct csf_ws_file *only;		/* report findings in this file only, or NULL */
	enum csf_severity sev[CSF_R_COUNT];	/* effective severity per rule */
	const struct csf_ws_file **byname;	/* files sorted by doc->path pointer */
	size_t nbyname;
	struct csf_lint_slot *slots;		/* dedup: open addressing on (rule, file, line, col) */
	size_t nslots, nused;
	struct csf_buf *cellbufs;		/* per diag: the cells it was found in */
	size_t *ncells;				/* per diag: how many cells */
	size_t *cells_total;			/* per diag: cells of the blueprint that found it */
	size_t cellbufs_alloc;
	/* The cell being evaluated. */
	const char *cell;			/* "tenant/env" label, or NULL outside cells */
	size_t cell_total;
	const struct csf_ws_file *cur_file;	/* the file being linted (fallback position) */
	unsigned group;				/* the rule group being evaluated */
	bool recording;				/* emit into recs instead of the result */
	struct csf_lint_bpblocks *bpb;		/* per blueprint: blocks the global rules read */
	const void **keyc;			/* cache: key node → csf_secret_key_name() + 1 */
	unsigned char *keyc_val;
	size_t keyc_size, keyc_used;
	struct csf_lint_rec *recs;
	size_t nrecs, recs_alloc;
	size_t *hits;				/* diag indices hit by the current cell */
	size_t nhits, hits_alloc;
};

/* Reports a finding at file (a doc->path, as in csf_node.file) and loc. Returns the new diag,
 * or NULL when the finding is off, suppressed, filtered or a repeat (a repeat adds the current
 * cell to the earlier one). The caller may attach a fix to a returned diag. hint may be NULL. */
struct csf_diag *csf_lint_emit(struct csf_lint_run *run, enum csf_rule r, const char *file,
			       struct csf_loc loc, const char *hint, const char *fmt, ...)
	CSF_PRINTF(6, 7);
/* Same at a node's position (node->file, node->loc). */
struct csf_diag *csf_lint_at(struct csf_lint_run *run, enum csf_rule r, const struct csf_node *at,
			     const char *hint, const char *fmt, ...) CSF_PRINTF(5, 6);

/* The workspace file whose document path is doc_path (pointer identity), or NULL. */
const struct csf_ws_file *csf_lint_file_of(const struct csf_lint_run *run, const char *doc_path);

/* ---- lint_schema.c ------------------------------------------------------------------------ */

/* Schema rules for one loaded file (kind from f->kind). */
void csf_lint_schema(struct csf_lint_run *run, const struct csf_ws_file *f);
/* Levenshtein distance, capped at cap+1. */
size_t csf_edit_distance(const char *a, const char *b, size_t cap);
/* The closest of cands[0..n) to s within a distance that makes sense for its length, or NULL. */
const char *csf_did_you_mean(const char *s, const char *const *cands, size_t n);

/* ---- lint_secret.c ------------------------------------------------------------------------ */

enum csf_secret_kind {
	CSF_SECRET_NONE,
	CSF_SECRET_PEM,
	CSF_SECRET_AWS_KEY,
	CSF_SECRET_JWT,
	CSF_SECRET_URL_PASSWORD,
	CSF_SECRET_ASSIGNMENT,		/* password=…, AccountKey=… in a connection string */
	CSF_SECRET_ENTROPY,
};

/* Looks for a credential in s[0..len). entropy: also try the high-entropy token detector (only
 * for configuration values, where tokens are expected to be placeholders). Returns the kind and
 * the byte offset of the match in *at. */
enum csf_secret_kind csf_secret_scan(const char *s, size_t len, bool entropy, size_t *at);
const char *csf_secret_kind_name(enum csf_secret_kind k);
/* True when a configuration key name reads as a secret (DB_PASSWORD, apiKey, …). */
bool csf_secret_key_name(const char *key);
/* Raw-file pass: hardcoded-secret over every scalar of f. */
void csf_lint_secrets(struct csf_lint_run *run, const struct csf_ws_file *f);

/* ---- lint_rules.c ------------------------------------------------------------------------- */

/* The semantic rules of the groups in mask (bit g = group g) on one effective blueprint. */
void csf_lint_cell(struct csf_lint_run *run, const struct csf_effective *eff, unsigned mask);
/* True when an event name ends in .vN (AppointmentBooked.v1). */
bool csf_lint_has_version(const char *name);

/* ---- lint_global.c ------------------------------------------------------------------------ */

/* The blocks of blueprint i for the workspace-wide rules (looked up on first use). */
const struct csf_lint_bpblocks *csf_lint_bp_blocks(struct csf_lint_run *run, size_t i);
/* The workspace-wide rules. */
void csf_lint_global(struct csf_lint_run *run);

/* ---- lint_fix.c --------------------------------------------------------------------------- */

/* Fixes on a blueprint's own file, computed from its raw tree (root of doc). Each returns NULL
 * when no safe fix exists (flow style, or nothing to add). Caller owns the result; free with
 * csf_fix_free(). */
struct csf_fix *csf_fix_missing_probes(const struct csf_yaml_doc *doc, const struct csf_node *root);
struct csf_fix *csf_fix_resources(const struct csf_yaml_doc *doc, const struct csf_node *root);
struct csf_fix *csf_fix_event_version(const struct csf_yaml_doc *doc, const struct csf_node *item);

#endif
