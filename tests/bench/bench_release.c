/* Release promotion benchmarks (DESIGN §11):
 *
 *   1. a promotion commit of 1,000 artifact files (core/gitops: blobs and trees built in memory,
 *      compare-and-swap on the branch, then the working tree updated) against
 *      `git add -A && git commit` of the same files in a working tree, in the same run;
 *      target ≤ 2×. Measured for a non-bare repository (the tool also writes the 1,000 files
 *      into the working tree, which git's side does not have to) and for a bare one.
 *   2. the release board for 200 modules × 50 tenants × 3 stages (30,000 releases) opened from
 *      the repository: target within one frame (16 ms).
 *
 * usage: bench_release [FILES]   (default 1000). Work happens under $O/bench-data/release.
 * Timings are the best of 5 runs, each on a fresh repository. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/gitops.h"
#include "core/release.h"

#define RUNS 5

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, const struct csf_error *err)
{
	fprintf(stderr, "bench_release: %s: %s\n", what, err ? err->msg : "failed");
	exit(1);
}

static void
sh(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_release: command failed: %s\n", cmd);
		exit(1);
	}
}

/* 1,000 artifact-like files: YAML manifests of a few hundred bytes to a few KB, in folders like
 * a rendered module (k8s/, gateway/, events/, iac/…). Deterministic; tag changes every byte
 * run so no run can reuse another run's objects. */
static void
make_files(struct csf_fileset *s, int n, int tag)
{
	static const char *const dirs[] = { "k8s", "k8s/mesh", "gateway", "events", "iac/azure",
					    "functions/import", "" };
	struct csf_buf b = CSF_BUF_INIT;
	char path[128];
	int i, j;

	for (i = 0; i < n; i++) {
		const char *d = dirs[i % 7];

		csf_buf_reset(&b);
		csf_buf_addf(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: module-%d\n"
				 "  namespace: tenant-%d\n  labels:\n    run: \"%d\"\nspec:\n", i, i % 50,
			     tag);
		for (j = 0; j < 10 + i % 40; j++)
			csf_buf_addf(&b, "  key%d: value-%d-%d-%d\n", j, i, j, tag);
		snprintf(path, sizeof(path), "%s%sfile-%04d.yaml", d, *d ? "/" : "", i);
		csf_fileset_add(s, path, b.buf, b.len, false);
	}
	csf_fileset_sort(s);
	csf_buf_release(&b);
}

static void
write_tree(const char *root, const struct csf_fileset *s)
{
	struct csf_error err = CSF_ERROR_INIT;
	size_t i;

	for (i = 0; i < s->n; i++) {
		char *p = csf_path_join(root, s->v[i].path);
		char *slash = strrchr(p, '/');

		*slash = '\0';
		if (csf_mkdirs(p, &err))
			die("mkdir", &err);
		*slash = '/';
		if (csf_write_file_atomic(p, s->v[i].data, s->v[i].len, &err))
			die("write", &err);
		free(p);
	}
}

/* A repository with one commit holding pipeline.yaml; returns its tip in base. */
static struct csf_gitops *
fresh_repo(const char *dir, bool bare, char base[CSF_OID_HEX])
{
	struct csf_gitops *g = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_fileset p = CSF_FILESET_INIT;
	struct csf_gitops_write w = { "pipeline.yaml", &p, true };
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && git init -q %s -b main '%s'", dir,
		 bare ? "--bare" : "", dir);
	sh(cmd);
	if (csf_gitops_open(dir, CSF_GITOPS_WRITE, &g, &err))
		die("open", &err);
	csf_fileset_add(&p, "pipeline.yaml", csf_pipeline_default_text(),
			strlen(csf_pipeline_default_text()), false);
	if (csf_gitops_commit(g, "", &w, 1, "pipeline\n", NULL, base, &err))
		die("first commit", &err);
	csf_fileset_release(&p);
	return g;
}

static double
bench_commit(const char *dir, bool bare, int nfiles)
{
	double best = 1e9;
	int r;

	for (r = 0; r < RUNS; r++) {
		struct csf_fileset s = CSF_FILESET_INIT;
		struct csf_gitops_write w = { "environments/staging/tenant-001/BookingService", &s, false };
		struct csf_error err = CSF_ERROR_INIT;
		char base[CSF_OID_HEX], out[CSF_OID_HEX];
		struct csf_gitops *g = fresh_repo(dir, bare, base);
		double t0, t;

		make_files(&s, nfiles, r + (bare ? 100 : 0));
		t0 = now();
		if (csf_gitops_commit(g, base, &w, 1, "release: promote\n\nRelease-Id: bench\n", NULL,
				      out, &err))
			die("commit", &err);
		t = now() - t0;
		if (t < best)
			best = t;
		csf_gitops_free(g);
		csf_fileset_release(&s);
	}
	return best;
}

static double
bench_git_cli(const char *dir, int nfiles)
{
	double best = 1e9;
	int r;

	for (r = 0; r < RUNS; r++) {
		struct csf_fileset s = CSF_FILESET_INIT;
		char base[CSF_OID_HEX], cmd[1024], *sub;
		struct csf_gitops *g = fresh_repo(dir, false, base);
		double t0, t;

		csf_gitops_free(g);
		make_files(&s, nfiles, r + 200);
		sub = csf_path_join(dir, "environments/staging/tenant-001/BookingService");
		write_tree(sub, &s);
		free(sub);
		snprintf(cmd, sizeof(cmd), "cd '%s' && git add -A && git commit -q -m 'release: promote'",
			 dir);
		t0 = now();
		sh(cmd);
		t = now() - t0;
		if (t < best)
			best = t;
		csf_fileset_release(&s);
	}
	return best;
}

static void
bench_board(const char *dir)
{
	struct csf_buf idx = CSF_BUF_INIT;
	struct csf_fileset s = CSF_FILESET_INIT;
	struct csf_gitops_write w = { ".csf/releases.tsv", &s, true };
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_release_ctx ctx;
	struct csf_gitops *g;
	char base[CSF_OID_HEX], out[CSF_OID_HEX];
	static const char *const stages[] = { "dev", "production", "staging" };
	double best = 1e9, t0, t;
	size_t rows = 0, waiting = 0;
	int m, tn, st, r;

	g = fresh_repo(dir, true, base);
	csf_buf_addstr(&idx, "# module\ttenant\tstage\tversion\treleaseId\tfreightHash\tcreatedAt\n");
	for (m = 0; m < 200; m++)
		for (tn = 0; tn < 50; tn++)
			for (st = 0; st < 3; st++) {
				/* every 7th module has a newer version in dev, waiting for staging */
				int newer = st == 0 && m % 7 == 0;

				csf_buf_addf(&idx, "Module%03d\ttenant-%03d\t%s\t1.%d.%d\t%s-20261126T100000Z-"
						   "%06x\t%016x\t2026-11-26T10:00:00Z\n",
					     m, tn, stages[st], m % 10, newer, stages[st], m * 50 + tn,
					     m * 50 + tn + newer);
			}
	csf_fileset_add(&s, "releases.tsv", idx.buf, idx.len, false);
	if (csf_gitops_commit(g, base, &w, 1, "board\n", NULL, out, &err))
		die("board commit", &err);
	if (csf_release_ctx_init(&ctx, g, NULL, 1, &err))
		die("ctx", &err);
	for (r = 0; r < RUNS; r++) {
		struct csf_board b;

		t0 = now();
		if (csf_release_board(&ctx, &b, &err))
			die("board", &err);
		t = now() - t0;
		if (t < best)
			best = t;
		rows = b.nrows;
		waiting = b.nwaiting;
		csf_board_release(&b);
	}
	/* the share of reading (inflating) the index blob, the floor of this design */
	{
		double rbest = 1e9;

		for (r = 0; r < RUNS; r++) {
			struct csf_buf b = CSF_BUF_INIT;

			t0 = now();
			if (csf_gitops_read(g, out, ".csf/releases.tsv", &b, &err))
				die("read index", &err);
			t = now() - t0;
			if (t < rbest)
				rbest = t;
			csf_buf_release(&b);
		}
		printf("board: %zu module×tenant rows × 3 stages (%zu releases, index %zu KB), %zu "
		       "waiting: %.2f ms, of which reading the index blob %.2f ms (target ≤ 16 ms, one "
		       "frame) %s\n", rows, rows * 3, idx.len / 1024, waiting, best * 1e3, rbest * 1e3,
		       best <= 0.016 ? "OK" : "OVER");
	}
	csf_release_ctx_release(&ctx);
	csf_gitops_free(g);
	csf_fileset_release(&s);
	csf_buf_release(&idx);
}

int
main(int argc, char **argv)
{
	const char *o = getenv("O") ? getenv("O") : "build";
	int nfiles = argc > 1 ? atoi(argv[1]) : 1000;
	char root[512], repo[600];
	double ours, bare, git;

	snprintf(root, sizeof(root), "%s/bench-data/release", o);
	mkdir(root, 0755);
	setenv("HOME", root, 1);
	setenv("GIT_AUTHOR_NAME", "bench", 1);
	setenv("GIT_AUTHOR_EMAIL", "bench@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "bench", 1);
	setenv("GIT_COMMITTER_EMAIL", "bench@example.com", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	snprintf(repo, sizeof(repo), "%s/repo", root);
	git = bench_git_cli(repo, nfiles);
	ours = bench_commit(repo, false, nfiles);
	bare = bench_commit(repo, true, nfiles);
	printf("promotion commit of %d files: git add -A && git commit %.1f ms; csf-tui %.1f ms "
	       "(non-bare, working tree updated too) = %.2fx %s; bare %.1f ms = %.2fx (target ≤ 2x)\n",
	       nfiles, git * 1e3, ours * 1e3, ours / git, ours / git <= 2.0 ? "OK" : "OVER",
	       bare * 1e3, bare / git);
	bench_board(repo);
	return ours / git <= 2.0 ? 0 : 1;
}
