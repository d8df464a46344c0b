#include "tui/cli_cluster.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/effective.h"
#include "core/fsutil.h"
#include "core/gitops.h"
#include "core/k8s.h"
#include "core/kubeconfig.h"
#include "core/render.h"
#include "core/sanitize.h"
#include "core/workspace.h"
#include "core/yaml_model.h"


void
cli_put(struct csf_buf *out, const char *s)
{
	if (s)
		csf_sanitize_buf(out, s, strlen(s), 0);
}

void
cli_time(char *out, size_t n, long long t)
{
	csf_k8s_time_format((int64_t)t, out, n);
}

int
cli_cluster_report(const struct csf_error *err)
{
	char msg[700];
	struct csf_buf clean = CSF_BUF_INIT;

	csf_error_format(err, msg, sizeof(msg));
	csf_sanitize_buf(&clean, msg, strlen(msg), 0);
	fprintf(stderr, "csf-tui: %s\n", clean.buf);
	csf_buf_release(&clean);
	return CLI_ERROR;
}

bool
cli_duration(const char *s, long long *ms_out)
{
	char *end;
	double v;
	double mul;

	if (!s || !*s || !isdigit((unsigned char)*s))
		return false;
	v = strtod(s, &end);
	if (!strcmp(end, "ms"))
		mul = 1;
	else if (!strcmp(end, "s") || !*end)
		mul = 1000;
	else if (!strcmp(end, "m"))
		mul = 60e3;
	else if (!strcmp(end, "h"))
		mul = 3600e3;
	else if (!strcmp(end, "d"))
		mul = 86400e3;
	else if (!strcmp(end, "w"))
		mul = 7 * 86400e3;
	else
		return false;
	if (!(v > 0) || v * mul > 1e15)
		return false;
	*ms_out = (long long)(v * mul);
	return true;
}

bool
cli_cluster_opt(int argc, char **argv, int *i, struct cli_cluster_opts *o, bool *missing, int *rc)
{
	const char *v;
	long long ms;

	*rc = 0;
	if ((v = cli_opt_in(argc, argv, i, "--context", missing))) {
		o->context = v;
	} else if ((v = cli_opt_in(argc, argv, i, "--snapshot", missing))) {
		o->snapshot = v;
	} else if ((v = cli_opt_in(argc, argv, i, "--prometheus", missing))) {
		o->prometheus = v;
	} else if ((v = cli_opt_in(argc, argv, i, "--timeout", missing))) {
		if (!cli_duration(v, &ms))
			*rc = cli_usage_error("bad --timeout '%s' (e.g. 500ms, 10s)", v);
		else
			o->timeout_ms = (long)ms;
	} else {
		return false;
	}
	return true;
}

static void
trace_log(void *ctx, const char *line)
{
	FILE *f = ctx;

	fprintf(f, "%s\n", line);
	fflush(f);
}

/* samples/cluster of the source tree or the installation. Caller owns the result. */
static char *
samples_cluster(void)
{
	char exe[4096], *slash, *cand;
	ssize_t n;

	if (csf_is_dir("samples/cluster"))
		return csf_xstrdup("samples/cluster");
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		cand = csf_path_join(exe, "../samples/cluster");
		if (csf_is_dir(cand))
			return cand;
		free(cand);
		cand = csf_path_join(exe, "../share/csf-tui/samples/cluster");
		if (csf_is_dir(cand))
			return cand;
		free(cand);
	}
	return csf_xstrdup("samples/cluster");
}

/* A csf.yaml path value: "~/" is $HOME, relative paths are relative to the workspace. */
static char *
ws_path(const char *ws, const char *p)
{
	if (!p || !*p)
		return NULL;
	if (p[0] == '/')
		return csf_xstrdup(p);
	if (p[0] == '~' && p[1] == '/' && getenv("HOME"))
		return csf_path_join(getenv("HOME"), p + 2);
	return csf_path_join(ws, p);
}

static enum csf_status
open_snapshot(const char *dir, struct csf_cluster_source **src, char **gitops,
	      struct csf_error *err)
{
	char *g = csf_path_join(dir, "gitops");

	if (csf_cluster_snapshot_new(dir, src, err)) {
		free(g);
		return err->code;
	}
	if (csf_is_dir(g))
		*gitops = g;
	else
		free(g);
	return CSF_E_OK;
}

static enum csf_status
open_live(const char *kubeconfig, const char *context, const char *prom, bool kube_optional,
	  long timeout_ms, struct csf_cluster_source **src, struct csf_error *err)
{
	struct csf_kubeconfig_opts ko = { kubeconfig, context, NULL };
	struct csf_cluster_live_opts lo;
	struct csf_kube_config *k = NULL;
	enum csf_status rc;
	const char *trace = getenv("CSF_TUI_TRACE");

	rc = csf_kubeconfig_load(&ko, &k, err);
	if (rc == CSF_E_NOTFOUND && kube_optional && !kubeconfig && !context) {
		k = NULL;
		csf_error_clear(err);
	} else if (rc) {
		return rc;
	}
	memset(&lo, 0, sizeof(lo));
	lo.kube = k;
	lo.prometheus = prom;
	lo.timeout_ms = timeout_ms;
	if (trace && *trace) {
		FILE *f = fopen(trace, "a");

		if (f) {
			lo.log = trace_log;
			lo.log_ctx = f;	/* kept open for the process lifetime; closed at exit */
		}
	}
	return csf_cluster_live_new(&lo, src, err);
}

enum csf_status
cli_cluster_open(const struct cli_global *g, const struct cli_cluster_opts *o,
		 struct csf_cluster_source **src, char **gitops, struct csf_error *err)
{
	const char *ws = g->workspace;
	char *found = NULL, *cfg = NULL, *kubeconfig = NULL, *offline = NULL, *snap;
	const char *context = o->context ? o->context : g->context;
	const char *prom = o->prometheus;
	const char *cctx = NULL, *cprom = NULL;
	struct csf_yaml_doc *doc = NULL;
	bool has_cluster = false;
	enum csf_status rc;

	*src = NULL;
	*gitops = NULL;
	if (o->snapshot)
		return open_snapshot(o->snapshot, src, gitops, err);
	if (!ws)
		ws = found = csf_find_workspace(".");
	if (ws) {
		cfg = csf_path_join(ws, "csf.yaml");
		if (csf_is_file(cfg)) {
			if ((rc = csf_yaml_load_file(cfg, NULL, &doc, err))) {
				free(cfg);
				free(found);
				return rc;
			}
			const struct csf_node *cl = csf_node_get(doc->root, "cluster");

			kubeconfig = ws_path(ws, csf_node_text(csf_node_get(cl, "kubeconfig")));
			cctx = csf_node_text(csf_node_get(cl, "context"));
			cprom = csf_node_text(csf_node_get(cl, "prometheus"));
			offline = ws_path(ws, csf_node_text(csf_node_get(cl, "offline")));
			has_cluster = kubeconfig || cctx || cprom;
			*gitops = ws_path(ws, csf_node_text(csf_node_get(doc->root, "gitops")));
		}
	}
	if (has_cluster || context || prom) {
		rc = open_live(kubeconfig, context ? context : cctx, prom ? prom : cprom,
			       (prom || cprom) != 0, o->timeout_ms, src, err);
	} else if (offline) {
		free(*gitops);
		*gitops = NULL;
		rc = open_snapshot(offline, src, gitops, err);
	} else if (getenv("KUBECONFIG") && *getenv("KUBECONFIG")) {
		rc = open_live(NULL, NULL, NULL, false, o->timeout_ms, src, err);
	} else {
		free(*gitops);
		*gitops = NULL;
		snap = samples_cluster();
		rc = open_snapshot(snap, src, gitops, err);
		free(snap);
	}
	if (rc) {
		free(*gitops);
		*gitops = NULL;
	}
	csf_yaml_doc_free(doc);
	free(kubeconfig);
	free(offline);
	free(cfg);
	free(found);
	return rc;
}

/* k8s/{deployment,hpa,scaledobject}.yaml under TENANT/MODULE/: the objects drift compares. */
static bool
desired_path(const char *rel, char *tenant, size_t n)
{
	const char *slash = strchr(rel, '/'), *k;

	if (!slash || (size_t)(slash - rel) >= n)
		return false;
	k = strstr(slash + 1, "/k8s/");
	if (!k || strchr(slash + 1, '/') != k)
		return false;
	k += 5;
	if (strcmp(k, "deployment.yaml") && strcmp(k, "hpa.yaml") && strcmp(k, "scaledobject.yaml"))
		return false;
	memcpy(tenant, rel, (size_t)(slash - rel));
	tenant[slash - rel] = '\0';
	return true;
}

static enum csf_status
desired_from_git(const char *path, const char *env, struct csf_desired_set *want, bool *found,
		 struct csf_error *err)
{
	struct csf_gitops *g = NULL;
	struct csf_fileset fs = CSF_FILESET_INIT;
	struct csf_error e2 = CSF_ERROR_INIT;
	char tip[CSF_OID_HEX], dir[200], tenant[128];
	enum csf_status rc = CSF_E_OK;
	size_t i;

	*found = false;
	if (csf_gitops_open(path, 0, &g, &e2))
		return CSF_E_OK;	/* not a repository: nothing to read */
	snprintf(dir, sizeof(dir), "environments/%s", env);
	if (!csf_gitops_tip(g, tip, &e2) && tip[0] && !csf_gitops_read_dir(g, tip, dir, &fs, &e2)) {
		for (i = 0; i < fs.n && !rc; i++) {
			struct csf_buf name = CSF_BUF_INIT;

			if (!desired_path(fs.v[i].path, tenant, sizeof(tenant)))
				continue;
			csf_buf_addf(&name, "%s@%.12s:%s/%s", path, tip, dir, fs.v[i].path);
			rc = csf_desired_add_yaml(want, name.buf, fs.v[i].data, fs.v[i].len, tenant, err);
			csf_buf_release(&name);
			*found = true;
		}
	}
	csf_fileset_release(&fs);
	csf_gitops_free(g);
	return rc;
}

static enum csf_status
desired_from_render(const char *wsdir, const char *env_name, struct csf_desired_set *want,
		    size_t *cells, struct csf_error *err)
{
	static const char *const paths[] = { "k8s/deployment.yaml", "k8s/hpa.yaml", "k8s/scaledobject.yaml" };
	struct csf_workspace *ws = NULL;
	struct csf_error e2 = CSF_ERROR_INIT;
	const struct csf_environment *env;
	enum csf_status rc = CSF_E_OK;
	size_t t, b, p;

	*cells = 0;
	if (csf_workspace_open(wsdir, &ws, &e2))
		return CSF_E_OK;
	env = csf_ws_env(ws, env_name);
	for (t = 0; t < ws->ntenants && !rc; t++) {
		for (b = 0; b < ws->nblueprints && !rc; b++) {
			const struct csf_blueprint *bp = &ws->blueprints[b];
			struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
			struct csf_render_opts ro;

			if (bp->tenant_only && strcmp(bp->tenant_only, ws->tenants[t].id))
				continue;
			memset(&ro, 0, sizeof(ro));
			ro.ws = ws;
			/* A blueprint that does not render (lint blocks it) has no desired state. */
			if (csf_render_cell(ws, bp, &ws->tenants[t], env, &ro, &set, &e2) == CSF_E_OK) {
				(*cells)++;
				for (p = 0; p < sizeof(paths) / sizeof(paths[0]) && !rc; p++) {
					const struct csf_artifact *a = csf_artifact_set_find(&set, paths[p]);
					struct csf_buf name = CSF_BUF_INIT;

					if (!a)
						continue;
					csf_buf_addf(&name, "render:%s/%s/%s", ws->tenants[t].id, set.module,
						     paths[p]);
					rc = csf_desired_add_yaml(want, name.buf, a->data.buf, a->data.len,
								  ws->tenants[t].id, err);
					csf_buf_release(&name);
				}
			}
			csf_artifact_set_release(&set);
		}
	}
	csf_workspace_free(ws);
	return rc;
}

enum csf_status
cli_cluster_desired(const struct cli_global *g, struct csf_cluster_source *src, const char *gitops,
		    const char *env, struct csf_desired_set *want, char *how, size_t hown,
		    struct csf_error *err)
{
	struct csf_error e2 = CSF_ERROR_INIT;
	enum csf_status rc;
	char *envdir = NULL, *wsdir = NULL;
	bool found = false;
	size_t cells = 0;

	how[0] = '\0';
	if (gitops) {
		envdir = csf_path_join(gitops, "environments");
		if (csf_is_dir(envdir)) {
			free(envdir);
			rc = csf_desired_load(gitops, env, want, &e2);
			if (rc == CSF_E_OK) {
				snprintf(how, hown, "%s (environments/%s)", gitops, env);
				return CSF_E_OK;
			}
			if (rc != CSF_E_NOTFOUND) {
				*err = e2;
				return rc;
			}
		} else {
			free(envdir);
			if ((rc = desired_from_git(gitops, env, want, &found, err)))
				return rc;
			if (found) {
				snprintf(how, hown, "GitOps repository %s (environments/%s at its tip)", gitops,
					 env);
				return CSF_E_OK;
			}
		}
	}
	if (strcmp(src->ops->kind, "live"))
		return CSF_E_OK;	/* a snapshot is compared with its own copy only */
	wsdir = g->workspace ? csf_xstrdup(g->workspace) : csf_find_workspace(".");
	if (wsdir) {
		rc = desired_from_render(wsdir, env, want, &cells, err);
		if (!rc && cells)
			snprintf(how, hown, "a fresh render of workspace %s (%zu cells, %s)", wsdir, cells, env);
	} else {
		rc = CSF_E_OK;
	}
	free(wsdir);
	return rc;
}

int
cli_cluster_check_env(const struct cli_global *g, const char *cmd, const char *env)
{
	struct csf_workspace *ws = NULL;
	struct csf_error e = CSF_ERROR_INIT;
	struct csf_buf known = CSF_BUF_INIT;
	char *wsdir = g->workspace ? csf_xstrdup(g->workspace) : csf_find_workspace(".");
	int rc = CLI_OK;
	size_t i;

	if (wsdir && !csf_workspace_open(wsdir, &ws, &e) && ws->nenvs &&
	    !csf_ws_env(ws, csf_env_canonical(env))) {
		for (i = 0; i < ws->nenvs; i++)
			csf_buf_addf(&known, "%s%s", i ? ", " : "", ws->envs[i].name);
		rc = cli_usage_error("%s: no environment '%s' in %s (%s)", cmd, env, wsdir, known.buf);
	}
	csf_buf_release(&known);
	csf_workspace_free(ws);
	free(wsdir);
	return rc;
}

void
cli_cluster_declared(const struct cli_global *g, const char *tenant, const char *module,
		     const char *env_name, struct cli_declared *d)
{
	struct csf_workspace *ws = NULL;
	struct csf_error e = CSF_ERROR_INIT;
	const struct csf_blueprint *bp = NULL;
	const struct csf_tenant *t;
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	struct csf_render_opts ro;
	struct csf_desired_set want = CSF_DESIRED_SET_INIT;
	char *wsdir = g->workspace ? csf_xstrdup(g->workspace) : csf_find_workspace(".");
	const char *paths[] = { "k8s/scaledobject.yaml", "k8s/hpa.yaml" };
	size_t i, p;

	memset(d, 0, sizeof(*d));
	if (!wsdir || csf_workspace_open(wsdir, &ws, &e))
		goto out;
	t = csf_ws_tenant(ws, tenant);
	for (i = 0; i < ws->nblueprints && !bp && t; i++) {
		char *k = ws->blueprints[i].module ? csf_kebab(ws->blueprints[i].module) : NULL;

		if (ws->blueprints[i].module && (!strcmp(ws->blueprints[i].module, module) ||
						 (k && !strcmp(k, module))) &&
		    (!ws->blueprints[i].tenant_only || !strcmp(ws->blueprints[i].tenant_only, tenant)))
			bp = &ws->blueprints[i];
		free(k);
	}
	if (!bp)
		goto out;
	memset(&ro, 0, sizeof(ro));
	ro.ws = ws;
	if (csf_render_cell(ws, bp, t, csf_ws_env(ws, env_name), &ro, &set, &e))
		goto out;
	for (p = 0; p < 2 && !d->found; p++) {
		const struct csf_artifact *a = csf_artifact_set_find(&set, paths[p]);
		const char *lo = p ? "spec.minReplicas" : "spec.minReplicaCount";
		const char *hi = p ? "spec.maxReplicas" : "spec.maxReplicaCount";
		const struct csf_node *prov;
		const char *rel;

		if (!a || csf_desired_add_yaml(&want, paths[p], a->data.buf, a->data.len, tenant, &e))
			continue;
		for (i = 0; i < want.n; i++) {
			if (!strcmp(want.fields[i].field, lo))
				d->min = atoi(want.fields[i].value);
			else if (!strcmp(want.fields[i].field, hi))
				d->max = atoi(want.fields[i].value);
		}
		d->found = true;
		snprintf(d->kind, sizeof(d->kind), "%s", p ? "HorizontalPodAutoscaler" : "ScaledObject");
		/* Provenance: the file and line that set the blueprint's bound. */
		prov = set.eff ? csf_effective_get(set.eff, "scaling.maxReplicas") : NULL;
		if (!prov && set.eff)
			prov = csf_effective_get(set.eff, "scalability.autoScaling.maxReplicas");
		rel = prov && prov->file ? prov->file : bp->file->path;
		if (!strncmp(rel, wsdir, strlen(wsdir)) && rel[strlen(wsdir)] == '/')
			rel += strlen(wsdir) + 1;
		snprintf(d->source, sizeof(d->source), "%s:%u (rendered for %s, %s)", rel,
			 prov ? prov->loc.line : 1u, tenant, env_name);
	}
out:
	csf_desired_release(&want);
	csf_artifact_set_release(&set);
	csf_workspace_free(ws);
	free(wsdir);
}
