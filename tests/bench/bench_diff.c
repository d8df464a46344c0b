/* make bench: the line diff of two 20k-line artifacts (target ≤ 50 ms, DESIGN §11) and the
 * semantic diff of two 5,000-object Kubernetes manifests, each against `git diff --no-index`
 * on the same files in the same run (a ratio below 1 means faster than git).
 * Usage: bench_diff DATA_DIR (inputs are generated there). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "core/buf.h"
#include "core/diff.h"
#include "core/semdiff.h"

#define RUNS 7

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static int
write_file(const char *path, const struct csf_buf *b)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(b->buf, 1, b->len, f) != b->len) {
		perror(path);
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

/* A 20k-line generated manifest; the new side changes every 40th value, inserts a line every
 * 500 lines and deletes one every 700. */
static void
gen_artifact(struct csf_buf *a, struct csf_buf *b)
{
	int i;

	for (i = 0; i < 20000; i++) {
		int obj = i / 20, f = i % 20;

		if (f == 0) {
			csf_buf_addf(a, "- name: service-%05d\n", obj);
			csf_buf_addf(b, "- name: service-%05d\n", obj);
			continue;
		}
		csf_buf_addf(a, "  field%02d: value-%d-%d  # comment %d\n", f, obj, f, i);
		if (i % 700 == 3)
			continue;
		if (i % 40 == 7)
			csf_buf_addf(b, "  field%02d: value-%d-%d-changed  # comment %d\n", f, obj, f, i);
		else
			csf_buf_addf(b, "  field%02d: value-%d-%d  # comment %d\n", f, obj, f, i);
		if (i % 500 == 11)
			csf_buf_addf(b, "  inserted%02d: true\n", f);
	}
}

static void
gen_object(struct csf_buf *o, int i, int replicas, const char *tag)
{
	csf_buf_addf(o,
		     "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-%05d\n"
		     "  namespace: tenant-%02d\n  labels:\n    app.kubernetes.io/name: svc-%05d\n"
		     "    app.kubernetes.io/version: \"%s\"\nspec:\n  replicas: %d\n  template:\n"
		     "    spec:\n      containers:\n        - name: app\n"
		     "          image: registry.example.com/svc-%05d:%s\n"
		     "          env:\n            - name: LOG_LEVEL\n              value: info\n"
		     "            - name: TENANT\n              value: tenant-%02d\n"
		     "          resources: {requests: {cpu: 100m, memory: 128Mi}}\n"
		     "        - name: envoy\n          image: envoyproxy/envoy:v1.30\n",
		     i, i % 50, i, tag, replicas, i, tag, i % 50);
}

/* Two 5,000-object manifests: 1 in `every` objects changes replicas and image tag (so
 * 3 changes each), and the new file lists the objects in another order (blocks of 100
 * reversed). */
static void
gen_manifests(struct csf_buf *a, struct csf_buf *b, int every)
{
	int i, blk;

	for (i = 0; i < 5000; i++)
		gen_object(a, i, 2, "1.2.3");
	for (blk = 49; blk >= 0; blk--)
		for (i = blk * 100; i < blk * 100 + 100; i++)
			gen_object(b, i, i % every == 0 ? 3 : 2, i % every == 0 ? "1.2.4" : "1.2.3");
}

static double
time_git(const char *a, const char *b)
{
	char cmd[4096];
	double v[RUNS];
	int i;

	snprintf(cmd, sizeof(cmd), "git diff --no-index --no-color --no-ext-diff '%s' '%s' >/dev/null", a,
		 b);
	for (i = 0; i < RUNS; i++) {
		double t0 = now_ms();
		int rc = system(cmd);

		v[i] = now_ms() - t0;
		if (rc == -1 || (WEXITSTATUS(rc) != 1)) {
			fprintf(stderr, "git diff --no-index failed (status %d)\n", rc);
			return -1;
		}
	}
	return median(v, RUNS);
}

static int
bench_line(const char *dir)
{
	struct csf_buf a = CSF_BUF_INIT, b = CSF_BUF_INIT, out = CSF_BUF_INIT;
	char pa[2048], pb[2048];
	double v[RUNS], ours, git;
	size_t added = 0, removed = 0;
	int i;

	gen_artifact(&a, &b);
	snprintf(pa, sizeof(pa), "%s/artifact-a.yaml", dir);
	snprintf(pb, sizeof(pb), "%s/artifact-b.yaml", dir);
	if (write_file(pa, &a) || write_file(pb, &b))
		return 1;
	for (i = 0; i < RUNS; i++) {
		struct csf_diff *d;
		struct csf_error err = CSF_ERROR_INIT;
		double t0 = now_ms();

		if (csf_diff_buffers(pa, a.buf, a.len, pb, b.buf, b.len, NULL, &d, &err)) {
			fprintf(stderr, "diff failed: %s\n", err.msg);
			return 1;
		}
		csf_buf_reset(&out);
		csf_diff_render_unified(&out, d, 0);
		v[i] = now_ms() - t0;
		added = d->added;
		removed = d->removed;
		csf_diff_free(d);
	}
	ours = median(v, RUNS);
	git = time_git(pa, pb);
	printf("line diff, 2 x 20,000 lines (+%zu -%zu, word spans, unified text): %.2f ms "
	       "(target <= 50 ms: %s)\n", added, removed, ours, ours <= 50 ? "met" : "MISSED");
	if (git > 0)
		printf("  git diff --no-index on the same files: %.2f ms; ratio ours/git = %.2f\n", git,
		       ours / git);
	csf_buf_release(&a);
	csf_buf_release(&b);
	csf_buf_release(&out);
	return ours <= 50 && git > 0 ? 0 : 1;
}

/* every: 1 in `every` objects changed. Identical objects are matched without being parsed,
 * so every = 1 (all changed, all parsed) is the worst case. */
static int
bench_semantic(const char *dir, int every)
{
	struct csf_buf a = CSF_BUF_INIT, b = CSF_BUF_INIT;
	char pa[2048], pb[2048];
	double v[RUNS], ours, git;
	size_t n = 0;
	int i;

	gen_manifests(&a, &b, every);
	snprintf(pa, sizeof(pa), "%s/manifest-a.yaml", dir);
	snprintf(pb, sizeof(pb), "%s/manifest-b-%d.yaml", dir, every);
	if (write_file(pa, &a) || write_file(pb, &b))
		return 1;
	for (i = 0; i < RUNS; i++) {
		struct csf_semdiff *sd;
		struct csf_error err = CSF_ERROR_INIT;
		double t0 = now_ms();

		if (csf_semdiff_mem(pa, a.buf, a.len, pb, b.buf, b.len, &sd, &err)) {
			fprintf(stderr, "semantic diff failed: %s\n", err.msg);
			return 1;
		}
		v[i] = now_ms() - t0;
		n = sd->n;
		csf_semdiff_free(sd);
	}
	ours = median(v, RUNS);
	git = time_git(pa, pb);
	printf("semantic diff, 2 x 5,000 objects (%zu KiB each, reordered, %d%% of objects "
	       "changed: %zu changes; parse included): %.2f ms\n", a.len / 1024, 100 / every, n,
	       ours);
	if (git > 0)
		printf("  git diff --no-index on the same files (line diff, sees the reorder): "
		       "%.2f ms; ratio ours/git = %.2f\n", git, ours / git);
	csf_buf_release(&a);
	csf_buf_release(&b);
	return n == (size_t)(3 * ((5000 + every - 1) / every)) && git > 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_diff DATA_DIR\n");
		return 2;
	}
	csf_diff_lib_acquire();
	rc = bench_line(argv[1]) | bench_semantic(argv[1], 50) | bench_semantic(argv[1], 1);
	csf_diff_lib_release();
	return rc;
}
