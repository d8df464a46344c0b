/* The workspace: csf.yaml, blueprints/, tenants/, editions/, environments/ (DESIGN §2).
 *
 * Loading never stops at a bad file: every file is listed in ws->files with its load error,
 * so the linter can report it (yaml-syntax) and the TUI can show it. Typed records (blueprints,
 * tenants, editions, environments) exist only for files that loaded.
 *
 * A workspace can also be "loose": single files outside any workspace folder, each linted on
 * its own (kind taken from `kind:` or guessed from the content).
 */
#ifndef CSF_CORE_WORKSPACE_H
#define CSF_CORE_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"
#include "core/yaml_model.h"

enum csf_file_kind {
	CSF_KIND_UNKNOWN,
	CSF_KIND_WORKSPACE,
	CSF_KIND_BLUEPRINT,
	CSF_KIND_TENANT,
	CSF_KIND_EDITION,
	CSF_KIND_ENVIRONMENT,
};

const char *csf_file_kind_name(enum csf_file_kind k);

/* One file of the workspace, loaded or not. */
struct csf_ws_file {
	char *path;			/* as opened (workspace root joined with the relative path) */
	const char *rel;		/* path relative to the workspace root (points into path) */
	enum csf_file_kind kind;
	struct csf_yaml_doc *doc;	/* NULL when loading failed */
	struct csf_error err;		/* load error when doc is NULL */
};

struct csf_blueprint {
	struct csf_ws_file *file;
	const struct csf_node *root;	/* the file's mapping */
	const char *module;		/* "BookingService"; NULL when missing */
	const char *version;
	const char *provider;		/* cloud.provider or NULL */
	const char *tenant_only;	/* top-level tenantId of a tenant-specific blueprint, or NULL */
};

struct csf_tenant {
	struct csf_ws_file *file;
	const struct csf_node *root;
	const char *id;			/* tenantId (or the file's base name) */
	const char *edition;
	const char *provider;		/* override or NULL */
	const struct csf_node *overrides;
	const struct csf_node *modules;	/* map module → overrides */
};

struct csf_edition {
	struct csf_ws_file *file;
	const struct csf_node *root;
	const char *name;
	const struct csf_node *features;	/* sequence of names or NULL (= no restriction) */
	const struct csf_node *overrides;
};

struct csf_environment {
	struct csf_ws_file *file;
	const struct csf_node *root;
	const char *name;		/* dev, staging, production */
	const struct csf_node *overrides;
	const struct csf_node *values;
	double replicas_factor;		/* 1.0 when absent */
	bool approval;
};

struct csf_lint_config {
	char **disable;			/* rule ids */
	size_t ndisable;
	char **sev_rule;		/* severity overrides: rule id → "error"|"warning"|"info"|"off" */
	char **sev_value;
	size_t nsev;
};

struct csf_cluster_config {
	const char *kubeconfig, *context, *prometheus, *traces_kind, *traces_url;
	char *offline;			/* resolved against the workspace root, or NULL */
};

struct csf_workspace {
	char *root;			/* folder, or NULL for loose files */
	char *name;
	struct csf_ws_file *config;	/* csf.yaml, or NULL */
	struct csf_ws_file **files;	/* every file, in a stable order (kind, then path) */
	size_t nfiles, files_alloc;
	struct csf_blueprint *blueprints;
	size_t nblueprints, blueprints_alloc;
	struct csf_tenant *tenants;
	size_t ntenants, tenants_alloc;
	struct csf_edition *editions;
	size_t neditions, editions_alloc;
	struct csf_environment *envs;
	size_t nenvs, envs_alloc;
	struct csf_lint_config lint;
	struct csf_cluster_config cluster;
	char *gitops;			/* resolved path of the GitOps repository, or NULL */
};

/* True when dir holds a csf.yaml. */
bool csf_is_workspace(const char *dir);

/* Walks up from path (a file or folder) to the nearest folder holding csf.yaml. Caller owns
 * the result; free with free(). NULL when there is none. */
char *csf_find_workspace(const char *path);

/* Opens the workspace in folder dir. Fails only when dir cannot be read (CSF_E_IO); bad files
 * are recorded in ws->files. A folder without csf.yaml is accepted (every .yaml or .yml file under the
 * standard sub-folders, or in the folder itself, is loaded). Caller owns *out; free with
 * csf_workspace_free(). */
enum csf_status csf_workspace_open(const char *dir, struct csf_workspace **out,
				   struct csf_error *err);

/* A workspace of loose files (no root). Unreadable files are recorded, not fatal. */
struct csf_workspace *csf_workspace_new_loose(void);

/* Adds one file to ws (used for loose files, and by csf_workspace_open). Returns the file. */
struct csf_ws_file *csf_workspace_add_file(struct csf_workspace *ws, const char *path,
					   enum csf_file_kind hint);

/* Reloads one file in place after it changed on disk (TUI re-lint on save). Typed records are
 * rebuilt. Pointers into the old document become invalid. */
void csf_workspace_reload(struct csf_workspace *ws, struct csf_ws_file *f);

void csf_workspace_free(struct csf_workspace *ws);

/* Lookups by name; NULL when absent. Environment names accept the aliases prod and stage. */
const struct csf_blueprint *csf_ws_blueprint(const struct csf_workspace *ws, const char *module);
const struct csf_tenant *csf_ws_tenant(const struct csf_workspace *ws, const char *id);
const struct csf_edition *csf_ws_edition(const struct csf_workspace *ws, const char *name);
const struct csf_environment *csf_ws_env(const struct csf_workspace *ws, const char *name);

/* "production" for prod/production, "staging" for stage/staging, else name itself. */
const char *csf_env_canonical(const char *name);

/* PascalCase → kebab-case ("BookingService" → "booking-service"). Caller owns the result. */
char *csf_kebab(const char *module);

#endif
