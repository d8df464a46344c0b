/* make bench: rendering.
 *
 *   1. one cell: csf_render_cell() (effective blueprint + every artifact family + hashes) for
 *      one module/tenant/environment, repeated; target <= 2 ms.
 *   2. the matrix: 200 modules x 50 tenants x 3 environments (30,000 cells, each at its
 *      tenant's provider) streamed through csf_render_matrix(); resident memory (VmRSS and the
 *      high-water mark VmHWM) at 10% and at 100% of the cells must stay flat.
 *   3. baseline: `kubectl kustomize` building equivalent overlay folders (a base with the
 *      module's manifests, an overlay per cell with namespace, labels, config values and the
 *      autoscaler bounds) for the same cells, in the same run; target: render >= 10x faster.
 *
 * Inputs are generated under DIR (argv[1], default build/bench-data/render), never committed.
 * Prints numbers only; it does not fail on a missed target (no timing assertions in tests).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/effective.h"
#include "core/fsutil.h"
#include "core/render.h"
#include "core/workspace.h"

#define NMODULES 200
#define NTENANTS 50
#define KUSTOMIZE_CELLS 30

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
write_file(const char *dir, const char *name, const struct csf_buf *b)
{
	struct csf_error err = CSF_ERROR_INIT;
	char *p = csf_path_join(dir, name), *slash = strrchr(p, '/');

	*slash = '\0';
	if (csf_mkdirs(p, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		exit(2);
	}
	*slash = '/';
	{
		FILE *f = fopen(p, "w");

		if (!f || fwrite(b->buf, 1, b->len, f) != b->len || fclose(f)) {
			fprintf(stderr, "bench: cannot write %s: %s\n", p, strerror(errno));
			exit(2);
		}
	}
	free(p);
}

static const char *const stacks[] = { "dotnet8", "node20", "python3.12", "go1.22", "java21", "static-spa" };
static const char *const providers[] = { "azure", "aws", "gcp" };
static const char *const editions[] = { "standard", "premium", "enterprise" };

/* A workspace of NMODULES blueprints, NTENANTS tenants, 3 editions and 3 environments. */
static void
generate(const char *dir)
{
	struct csf_buf b = CSF_BUF_INIT;
	char name[256];
	int i;

	csf_buf_addstr(&b, "apiVersion: csf/v1\nkind: Workspace\nname: bench\n");
	write_file(dir, "csf.yaml", &b);
	for (i = 0; i < NMODULES; i++) {
		bool queue = i % 3 == 1, api = i % 2 == 0;

		csf_buf_reset(&b);
		csf_buf_addf(&b, "apiVersion: csf/v1\nkind: Blueprint\nmodule: Module%03dService\nversion: 1.%d.0\n"
				 "runtime: { stack: %s, port: 8080, image: registry.example/bench/m%03d }\n"
				 "features: [F1, F2, F3]\n"
				 "scaling:\n  enabled: true\n  mode: %s\n  minReplicas: %d\n  maxReplicas: %d\n"
				 "  triggers:\n    - type: cpu\n      threshold: 70\n",
			     i, i % 10, stacks[i % 6], i, queue ? "eventDriven" : "cpu", 1 + i % 3, 10 + i % 20);
		if (queue)
			csf_buf_addf(&b, "    - type: queueLength\n      queue: m%03d-work\n      threshold: 50\n", i);
		csf_buf_addf(&b, "resilience:\n  retries: { policy: exponentialBackoff, maxAttempts: 5 }\n"
				 "  timeoutSeconds: 30\n  probes: { liveness: /healthz, readiness: /ready }\n"
				 "configuration:\n  values:\n    SERVICE_URL: https://m%03d.example\n    PAGE_SIZE: \"50\"\n"
				 "    FEATURE_FLAGS: a,b,c\n  secrets: [DB_PASSWORD, API_TOKEN]\n  mountAs: envVars\n"
				 "network:\n  serviceMesh: enabled\n  mesh: %s\n  mtls: true\n  trafficPolicy:\n"
				 "    allow:\n      - from: Module%03dService\n        to: Module%03dService\n"
				 "        tenantScoped: true\n"
				 "observability: { tracing: opentelemetry, metrics: prometheus, logs: structured }\n"
				 "events:\n  emits: [Thing%dHappened.v1]\n  consumes: [Thing%dHappened.v1]\n"
				 "  eventFormat: cloudEvents\n"
				 "infrastructure: { database: postgres, databaseSchema: tenantScoped%s }\n",
			     i, i % 2 ? "linkerd" : "istio", i, (i + 1) % NMODULES, i, (i + 1) % NMODULES,
			     queue ? ", queue: azure-service-bus" : "");
		if (api)
			csf_buf_addf(&b, "api:\n  exposed: true\n  routePrefix: /m%03d\n  gateway: %s\n"
					 "  versioning: { strategy: path, default: v1, supported: [v1, v2] }\n"
					 "  rateLimit: { perMinute: 100 }\n  auth: { strategy: token, scopes: [m.read] }\n"
					 "  cors: { allowedOrigins: [https://app.example], allowedMethods: [GET] }\n"
					 "  cdn: { enabled: %s }\n",
				     i, i % 4 ? "envoy" : "gateway-api", i % 8 ? "false" : "true");
		csf_buf_addf(&b, "cost: { cpuRequest: 100m, cpuLimit: 500m, memoryRequest: 128Mi, memoryLimit: 256Mi,"
				 " costTag: { team: t%d, module: Module%03dService } }\n"
				 "cloud: { provider: %s, region: westeurope }\n",
			     i % 7, i, providers[i % 3]);
		snprintf(name, sizeof(name), "blueprints/module-%03d.yaml", i);
		write_file(dir, name, &b);
	}
	for (i = 0; i < NTENANTS; i++) {
		csf_buf_reset(&b);
		csf_buf_addf(&b, "apiVersion: csf/v1\nkind: Tenant\ntenantId: tenant-%03d\nedition: %s\n"
				 "provider: %s\noverrides:\n  cost: { costTag: { tenant: tenant-%03d } }\n"
				 "modules:\n  Module%03dService:\n    scaling: { maxReplicas: 40 }\n"
				 "    configuration: { values: { REGION_NOTE: tenant-%03d } }\n",
			     i, editions[i % 3], providers[(i / 3) % 3], i, i % NMODULES, i);
		snprintf(name, sizeof(name), "tenants/tenant-%03d.yaml", i);
		write_file(dir, name, &b);
	}
	for (i = 0; i < 3; i++) {
		csf_buf_reset(&b);
		csf_buf_addf(&b, "apiVersion: csf/v1\nkind: Edition\nname: %s\nfeatures: [F1%s]\n",
			     editions[i], i ? ", F2" : "");
		snprintf(name, sizeof(name), "editions/%s.yaml", editions[i]);
		write_file(dir, name, &b);
	}
	{
		static const char *const envs[] = { "dev", "staging", "production" };
		static const char *const factors[] = { "0.5", "1", "2" };

		for (i = 0; i < 3; i++) {
			csf_buf_reset(&b);
			csf_buf_addf(&b, "apiVersion: csf/v1\nkind: Environment\nname: %s\nreplicasFactor: %s\n"
					 "values: { LOG_LEVEL: %s }\n", envs[i], factors[i], i ? "info" : "debug");
			snprintf(name, sizeof(name), "environments/%s.yaml", envs[i]);
			write_file(dir, name, &b);
		}
	}
	csf_buf_release(&b);
}

/* VmRSS and VmHWM in KiB. */
static void
mem(long *rss, long *hwm)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];

	*rss = *hwm = -1;
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmRSS:", 6))
			*rss = atol(line + 6);
		else if (!strncmp(line, "VmHWM:", 6))
			*hwm = atol(line + 6);
	}
	if (f)
		fclose(f);
}

struct matrix {
	size_t cells, bytes, artifacts;
	long rss10, hwm10;
	double t10;
	double start;
};

static bool
matrix_cb(void *ctx, const struct csf_render_cell *cell, enum csf_status st,
	  const struct csf_artifact_set *set, const struct csf_error *err)
{
	struct matrix *m = ctx;
	size_t i;

	if (st != CSF_E_OK) {
		fprintf(stderr, "bench: cell %zu failed: %s\n", cell->index, err->msg);
		return false;
	}
	m->cells++;
	m->artifacts += set->n;
	for (i = 0; i < set->n; i++)
		m->bytes += set->items[i].data.len;
	if (m->cells == cell->total / 10) {
		mem(&m->rss10, &m->hwm10);
		m->t10 = now_ms() - m->start;
	}
	return true;
}

static bool
has_kubectl(void)
{
	return system("kubectl version --client >/dev/null 2>&1") == 0;
}

/* Writes the kustomize base (module's default manifests) and one overlay per cell. */
static char *
kustomize_overlay(const char *dir, struct csf_workspace *ws, const struct csf_blueprint *bp,
		  const struct csf_tenant *t, const struct csf_environment *e, int n)
{
	struct csf_artifact_set base = CSF_ARTIFACT_SET_INIT, cell = CSF_ARTIFACT_SET_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_render_opts o = { 0 };
	struct csf_buf b = CSF_BUF_INIT;
	char rel[512], *odir;
	size_t i;
	const struct csf_node *vals;

	o.provider = "azure";
	if (csf_render_cell(ws, bp, NULL, NULL, &o, &base, &err) ||
	    csf_render_cell(ws, bp, t, e, &o, &cell, &err)) {
		fprintf(stderr, "bench: render failed: %s\n", err.msg);
		exit(2);
	}
	for (i = 0; i < base.n; i++)
		if (!strncmp(base.items[i].path, "k8s/", 4)) {
			snprintf(rel, sizeof(rel), "kz/%d/base/%s", n, base.items[i].path + 4);
			write_file(dir, rel, &base.items[i].data);
		}
	csf_buf_addf(&b, "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
			 "resources:\n  - ../base\nnamespace: %s\nlabels:\n  - pairs:\n"
			 "      csf.connectsoft.io/tenant: %s\n      csf.connectsoft.io/environment: %s\n"
			 "      csf.connectsoft.io/edition: %s\n",
		     t->id, t->id, e->name, t->edition);
	csf_buf_addf(&b, "configMapGenerator:\n  - name: %s-config\n    behavior: merge\n    literals:\n",
		     cell.name);
	vals = csf_effective_get(cell.eff, "configuration.values");
	for (i = 0; vals && i < vals->n; i++)
		csf_buf_addf(&b, "      - \"%s=%s\"\n", csf_node_str(vals->kids[2 * i]),
			     csf_node_str(vals->kids[2 * i + 1]) ? csf_node_str(vals->kids[2 * i + 1]) : "");
	csf_buf_addstr(&b, "    options:\n      disableNameSuffixHash: true\n");
	csf_buf_addf(&b, "patches:\n  - target:\n      kind: %s\n      name: %s\n    patch: |-\n"
			 "      - op: replace\n        path: /spec/%s\n        value: %d\n"
			 "      - op: replace\n        path: /spec/%s\n        value: %d\n",
		     csf_artifact_set_find(&cell, "k8s/hpa.yaml") ? "HorizontalPodAutoscaler" : "ScaledObject",
		     cell.name,
		     csf_artifact_set_find(&cell, "k8s/hpa.yaml") ? "minReplicas" : "minReplicaCount", 2 + n % 3,
		     csf_artifact_set_find(&cell, "k8s/hpa.yaml") ? "maxReplicas" : "maxReplicaCount", 20 + n);
	snprintf(rel, sizeof(rel), "kz/%d/overlay/kustomization.yaml", n);
	write_file(dir, rel, &b);
	snprintf(rel, sizeof(rel), "%s/kz/%d/overlay", dir, n);
	odir = strdup(rel);
	csf_buf_release(&b);
	csf_artifact_set_release(&base);
	csf_artifact_set_release(&cell);
	return odir;
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "build/bench-data/render";
	struct csf_workspace *ws = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_render_opts o = { 0 };
	struct csf_matrix_opts mo = { 0 };
	struct matrix mx = { 0 };
	const struct csf_blueprint *bp;
	const struct csf_tenant *t;
	const struct csf_environment *e;
	double t0, one_ms, best = 1e9, kz_ms = 0, rd_ms = 0;
	long rss, hwm;
	int i, reps = 2000;
	char *wsdir = csf_path_join(dir, "ws");

	if (!csf_is_file(wsdir) && !csf_is_dir(wsdir))
		generate(wsdir);
	else if (!csf_is_dir(wsdir)) {
		fprintf(stderr, "bench: %s is not a folder\n", wsdir);
		return 2;
	}
	{
		struct stat st;
		char *probe = csf_path_join(wsdir, "csf.yaml");

		if (stat(probe, &st) < 0)
			generate(wsdir);
		free(probe);
	}
	t0 = now_ms();
	if (csf_workspace_open(wsdir, &ws, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return 2;
	}
	printf("workspace: %zu blueprints, %zu tenants, %zu environments (opened in %.1f ms)\n",
	       ws->nblueprints, ws->ntenants, ws->nenvs, now_ms() - t0);

	/* 1. one cell */
	bp = csf_ws_blueprint(ws, "Module001Service");
	t = csf_ws_tenant(ws, "tenant-007");
	e = csf_ws_env(ws, "production");
	o.ws = ws;
	t0 = now_ms();
	for (i = 0; i < reps; i++) {
		struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
		double c0 = now_ms(), c;

		if (csf_render_cell(ws, bp, t, e, &o, &set, &err)) {
			fprintf(stderr, "bench: %s\n", err.msg);
			return 2;
		}
		c = now_ms() - c0;
		if (c < best)
			best = c;
		csf_artifact_set_release(&set);
	}
	one_ms = (now_ms() - t0) / reps;
	printf("render one cell: mean %.3f ms, best %.3f ms over %d runs (target <= 2 ms)\n", one_ms,
	       best, reps);

	/* 2. the matrix, streamed */
	mo.effective_provider = true;
	mx.start = now_ms();
	if (csf_render_matrix(ws, &mo, &o, matrix_cb, &mx, &err)) {
		fprintf(stderr, "bench: matrix: %s\n", err.msg);
		return 2;
	}
	t0 = now_ms() - mx.start;
	mem(&rss, &hwm);
	printf("render matrix: %zu cells (%d modules x %d tenants x 3 environments), %zu artifacts, "
	       "%.1f MB in %.2f s (%.3f ms/cell)\n", mx.cells, NMODULES, NTENANTS, mx.artifacts,
	       (double)mx.bytes / 1e6, t0 / 1e3, t0 / (double)mx.cells);
	printf("memory at 10%% of the matrix: VmRSS %ld KiB, VmHWM %ld KiB (after %.2f s)\n", mx.rss10,
	       mx.hwm10, mx.t10 / 1e3);
	printf("memory at 100%% of the matrix: VmRSS %ld KiB, VmHWM %ld KiB (growth %+ld KiB, %.1f%%)\n",
	       rss, hwm, hwm - mx.hwm10, mx.hwm10 > 0 ? 100.0 * (double)(hwm - mx.hwm10) / (double)mx.hwm10 : 0);

	/* 3. baseline: kubectl kustomize on equivalent overlays for the same cells */
	if (!has_kubectl()) {
		printf("kustomize baseline: kubectl not found (tools/deps.sh test installs it); no ratio\n");
	} else {
		int n = 0;

		for (i = 0; i < KUSTOMIZE_CELLS; i++) {
			char name[64], tname[64], *odir, *cmd;
			const char *env_name = i % 3 == 0 ? "dev" : i % 3 == 1 ? "staging" : "production";
			struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
			double c0;
			size_t len;

			snprintf(name, sizeof(name), "Module%03dService", (i * 7) % NMODULES);
			snprintf(tname, sizeof(tname), "tenant-%03d", (i * 11) % NTENANTS);
			bp = csf_ws_blueprint(ws, name);
			t = csf_ws_tenant(ws, tname);
			e = csf_ws_env(ws, env_name);
			odir = kustomize_overlay(dir, ws, bp, t, e, i);
			len = strlen(odir) + 64;
			cmd = malloc(len);
			snprintf(cmd, len, "kubectl kustomize '%s' >/dev/null", odir);
			c0 = now_ms();
			if (system(cmd) != 0) {
				fprintf(stderr, "bench: kubectl kustomize %s failed\n", odir);
				return 2;
			}
			kz_ms += now_ms() - c0;
			c0 = now_ms();
			if (csf_render_cell(ws, bp, t, e, &o, &set, &err))
				return 2;
			rd_ms += now_ms() - c0;
			csf_artifact_set_release(&set);
			free(cmd);
			free(odir);
			n++;
		}
		printf("kubectl kustomize: %.2f ms/cell over %d overlay folders (Kubernetes manifests only)\n",
		       kz_ms / n, n);
		printf("csf render:        %.3f ms/cell for the same cells (every artifact family)\n", rd_ms / n);
		printf("ratio: render is %.0fx faster than kubectl kustomize (target >= 10x)\n", kz_ms / rd_ms);
	}
	csf_workspace_free(ws);
	free(wsdir);
	return 0;
}
