/* Shared by the headless `tenants` and `scaling` commands: choosing the cluster source, the
 * desired state for drift, and printing cluster strings safely. */
#ifndef CSF_TUI_CLI_CLUSTER_H
#define CSF_TUI_CLI_CLUSTER_H

#include <stdbool.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/cluster.h"
#include "core/status.h"
#include "tui/cli.h"

struct cli_cluster_opts {
	const char *context;		/* --context (command option, else the global one) */
	const char *snapshot;		/* --snapshot DIR: force a recorded snapshot */
	const char *prometheus;		/* --prometheus URL: override csf.yaml */
	long timeout_ms;		/* --timeout; 0 = default */
};

/* The source, in this order: --snapshot; live when the workspace csf.yaml has a cluster block
 * (its kubeconfig/context and prometheus; a missing kubeconfig is tolerated when a Prometheus
 * URL is set) or --context / --prometheus is given; the csf.yaml `offline` snapshot; live when
 * $KUBECONFIG is set; else samples/cluster.
 * The workspace is --workspace, else the nearest folder with a csf.yaml. *gitops receives the
 * GitOps tree to compare with (csf.yaml `gitops`, or the snapshot's gitops/ copy), or NULL;
 * free with free(). Logs requests to $CSF_TUI_TRACE when set. */
enum csf_status cli_cluster_open(const struct cli_global *g, const struct cli_cluster_opts *o,
				 struct csf_cluster_source **src, char **gitops,
				 struct csf_error *err);

/* The desired state of environment env for drift, from the first that has one:
 *   - a plain folder with environments/ENV/TENANT/MODULE/k8s/ YAML files (the snapshot's copy);
 *   - a GitOps git repository (working tree or bare): the same files at its branch tip;
 *   - a fresh render of the workspace's blueprints for every tenant (live sources only).
 * *how receives a one-line description ("" when there is none, which is not an error).
 * Fails only when a desired file does not parse. */
enum csf_status cli_cluster_desired(const struct cli_global *g, struct csf_cluster_source *src,
				    const char *gitops, const char *env,
				    struct csf_desired_set *want, char *how, size_t hown,
				    struct csf_error *err);

/* What the workspace declares for a module's autoscaler in (tenant, env): the blueprint rendered
 * for that cell, its HorizontalPodAutoscaler or ScaledObject bounds. */
struct cli_declared {
	bool found;
	char kind[32];			/* HorizontalPodAutoscaler | ScaledObject */
	int min, max;
	char source[300];		/* "blueprints/booking-service.yaml:27 (vetclinic-001, production)" */
};

/* Fills d when the workspace (--workspace, else the nearest csf.yaml folder) has a blueprint
 * for module (PascalCase or kebab-case) that renders for tenant; d->found stays false otherwise. */
void cli_cluster_declared(const struct cli_global *g, const char *tenant, const char *module,
			  const char *env, struct cli_declared *d);

/* CLI_OK when env (prod and stage accepted) is an environment of the workspace (--workspace,
 * else the nearest csf.yaml folder), or when there is no such workspace or it declares no
 * environments. Otherwise prints "CMD: no environment 'ENV' in DIR (dev, production, …)" and
 * returns CLI_ERROR: a mistyped --env must not silently skip drift or the declared limits. */
int cli_cluster_check_env(const struct cli_global *g, const char *cmd, const char *env);

/* Parses "500ms", "20s", "5m", "6h", "7d", "1w" or plain seconds into seconds (ms_out: into
 * milliseconds). False on anything else. */
bool cli_duration(const char *s, long long *ms_out);

/* In a cli_opt_in chain (see tui/cli.h): takes the cluster option at argv[*i] (--context,
 * --snapshot, --prometheus or --timeout DURATION) into o and advances *i. Returns true when
 * argv[*i] was one of them; *rc is then 0, or the usage error's status for a bad --timeout. */
bool cli_cluster_opt(int argc, char **argv, int *i, struct cli_cluster_opts *o, bool *missing,
		     int *rc);

/* Appends s for a terminal: controls and escape sequences never pass (core/sanitize.h). */
void cli_put(struct csf_buf *out, const char *s);

/* "2026-11-26T18:42:07Z" */
void cli_time(char *out, size_t n, long long t);

/* Prints "csf-tui: <error>" (sanitized) to stderr and returns CLI_ERROR. */
int cli_cluster_report(const struct csf_error *err);

#endif
