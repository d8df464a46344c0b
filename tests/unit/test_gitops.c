/* The GitOps repository (core/gitops): creating and opening, in-memory tree commits, the
 * compare-and-swap on the branch, refusing dirty working trees and detached heads, bare
 * repositories, finishing a checkout a crash interrupted, history and trailers, and
 * pipeline.yaml (gates, freeze windows, cron). Repositories live in mkdtemp folders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/gitops.h"

struct fx {
	char dir[64];
	char *repo;
};

static int
rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/csf-gitops-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->repo = csf_path_join(f->dir, "gitops");
	setenv("HOME", f->dir, 1);
	setenv("GIT_AUTHOR_NAME", "Test Author", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Test Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.com", 1);
	unsetenv("CSF_TEST_CRASH_AT");
	unsetenv("CSF_TEST_BARRIER_AT");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	nftw(f->dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(f->repo);
	free(f);
	return 0;
}

static struct csf_gitops *
open_repo(const char *path, unsigned flags)
{
	struct csf_gitops *g = NULL;
	struct csf_error err = CSF_ERROR_INIT;

	assert_int_equal(csf_gitops_open(path, flags, &g, &err), CSF_E_OK);
	return g;
}

/* Commits one folder `dir` holding n files "f<i>.yaml" (content tagged with tag) on base. */
static enum csf_status
commit_dir(struct csf_gitops *g, const char *base, const char *dir, int n, const char *tag,
	   char out[CSF_OID_HEX], struct csf_error *err)
{
	struct csf_fileset s = CSF_FILESET_INIT;
	struct csf_gitops_write w = { dir, &s, false };
	enum csf_status st;
	char path[64], body[128];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), i % 2 ? "k8s/f%d.yaml" : "f%d.yaml", i);
		snprintf(body, sizeof(body), "file: %d\ntag: %s\n", i, tag);
		csf_fileset_add(&s, path, body, strlen(body), false);
	}
	csf_fileset_sort(&s);
	st = csf_gitops_commit(g, base, &w, 1, "test: commit\n\nRelease-Id: r-1\nModule: M\n", NULL,
			       out, err);
	csf_fileset_release(&s);
	return st;
}

static char *
read_str(struct csf_gitops *g, const char *rev, const char *path)
{
	struct csf_buf b = CSF_BUF_INIT;

	if (csf_gitops_read(g, rev, path, &b, NULL)) {
		csf_buf_release(&b);
		return NULL;
	}
	return csf_buf_detach(&b, NULL);
}

static void
test_gitops_create_commit_and_read_back(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g = open_repo(f->repo, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE);
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_fileset back = CSF_FILESET_INIT;
	char tip[CSF_OID_HEX], c1[CSF_OID_HEX];
	char *s, *wt;

	assert_true(csf_gitops_created(g));
	assert_false(csf_gitops_bare(g));
	assert_string_equal(csf_gitops_branch(g), "main");
	assert_int_equal(csf_gitops_tip(g, tip, &err), CSF_E_OK);
	assert_string_equal(tip, "");
	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 4, "one", c1, &err), CSF_E_OK);
	assert_int_equal(strlen(c1), 40);
	assert_int_equal(csf_gitops_tip(g, tip, &err), CSF_E_OK);
	assert_string_equal(tip, c1);
	s = read_str(g, c1, "environments/dev/t1/M/k8s/f1.yaml");
	assert_string_equal(s, "file: 1\ntag: one\n");
	free(s);
	assert_int_equal(csf_gitops_read_dir(g, c1, "environments/dev/t1/M", &back, &err), CSF_E_OK);
	assert_int_equal(back.n, 4);
	assert_string_equal(back.v[0].path, "f0.yaml");
	assert_string_equal(back.v[3].path, "k8s/f3.yaml");
	csf_fileset_release(&back);
	/* the working tree followed the branch and is clean */
	wt = csf_path_join(f->repo, "environments/dev/t1/M/k8s/f3.yaml");
	assert_true(csf_is_file(wt));
	free(wt);
	assert_int_equal(csf_gitops_check_writable(g, &err), CSF_E_OK);
	csf_gitops_free(g);
	/* reopening without CREATE finds it */
	g = open_repo(f->repo, 0);
	assert_false(csf_gitops_created(g));
	assert_int_equal(csf_gitops_tip(g, tip, &err), CSF_E_OK);
	assert_string_equal(tip, c1);
	csf_gitops_free(g);
}

static void
test_gitops_missing_repo_is_notfound_without_create(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g = NULL;
	struct csf_error err = CSF_ERROR_INIT;

	assert_int_equal(csf_gitops_open(f->repo, 0, &g, &err), CSF_E_NOTFOUND);
	assert_null(g);
	assert_false(csf_is_dir(f->repo));
}

static void
test_gitops_replacing_a_folder_drops_old_files_and_keeps_others(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g = open_repo(f->repo, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE);
	struct csf_error err = CSF_ERROR_INIT;
	char c1[CSF_OID_HEX], c2[CSF_OID_HEX], c3[CSF_OID_HEX], c4[CSF_OID_HEX], id[CSF_OID_HEX];
	struct csf_gitops_write del = { "environments/dev/t1/M", NULL, false };
	char *s, *wt;

	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 4, "one", c1, &err), CSF_E_OK);
	assert_int_equal(commit_dir(g, c1, "environments/dev/t2/M", 2, "other", c2, &err), CSF_E_OK);
	assert_int_equal(commit_dir(g, c2, "environments/dev/t1/M", 1, "two", c3, &err), CSF_E_OK);
	s = read_str(g, c3, "environments/dev/t1/M/f0.yaml");
	assert_string_equal(s, "file: 0\ntag: two\n");
	free(s);
	assert_null(read_str(g, c3, "environments/dev/t1/M/k8s/f1.yaml"));
	s = read_str(g, c3, "environments/dev/t2/M/k8s/f1.yaml");
	assert_string_equal(s, "file: 1\ntag: other\n");
	free(s);
	/* the working tree followed: the dropped file is gone, the tree is clean */
	wt = csf_path_join(f->repo, "environments/dev/t1/M/k8s/f1.yaml");
	assert_false(csf_is_file(wt));
	free(wt);
	assert_int_equal(csf_gitops_check_writable(g, &err), CSF_E_OK);
	/* deleting the only folder of a tenant removes the tenant folder too */
	assert_int_equal(csf_gitops_commit(g, c3, &del, 1, "delete\n", NULL, c4, &err), CSF_E_OK);
	wt = csf_path_join(f->repo, "environments/dev/t1");
	assert_false(csf_is_dir(wt));
	free(wt);
	assert_int_equal(csf_gitops_check_writable(g, &err), CSF_E_OK);
	assert_int_equal(csf_gitops_tree_id(g, c4, "environments/dev/t1", id, &err), CSF_E_OK);
	assert_string_equal(id, "");
	assert_int_equal(csf_gitops_tree_id(g, c4, "environments/dev/t2/M", id, &err), CSF_E_OK);
	assert_int_equal(strlen(id), 40);
	csf_gitops_free(g);
}

static void
test_gitops_cas_refuses_a_stale_base(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g = open_repo(f->repo, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE);
	struct csf_error err = CSF_ERROR_INIT;
	char c1[CSF_OID_HEX], c2[CSF_OID_HEX], c3[CSF_OID_HEX], tip[CSF_OID_HEX];

	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 2, "one", c1, &err), CSF_E_OK);
	/* a second "first commit" lost the race */
	assert_int_equal(commit_dir(g, "", "environments/dev/t9/M", 2, "x", c3, &err), CSF_E_CONFLICT);
	assert_string_equal(c3, "");
	assert_non_null(strstr(err.msg, "refresh"));
	assert_int_equal(commit_dir(g, c1, "environments/dev/t2/M", 2, "two", c2, &err), CSF_E_OK);
	/* computed on c1, but the branch is at c2 now */
	assert_int_equal(commit_dir(g, c1, "environments/dev/t3/M", 2, "three", c3, &err),
			 CSF_E_CONFLICT);
	assert_int_equal(csf_gitops_tip(g, tip, &err), CSF_E_OK);
	assert_string_equal(tip, c2);
	assert_null(read_str(g, c2, "environments/dev/t3/M/f0.yaml"));
	csf_gitops_free(g);
}

/* Holds the branch's ref lock as another writer would: <repo>/.git/refs/heads/main.lock with
 * the oid `hex` it is about to write. Returns the path of the lock (free it). */
static char *
hold_ref_lock(const char *repo, const char *hex)
{
	char *lock = csf_path_join(repo, ".git/refs/heads/main.lock");
	FILE *fp = fopen(lock, "w");

	assert_non_null(fp);
	fprintf(fp, "%s\n", hex);
	assert_int_equal(fclose(fp), 0);
	return lock;
}

static void
test_gitops_cas_on_a_ref_locked_for_good_is_a_conflict(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g = open_repo(f->repo, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE);
	struct csf_error err = CSF_ERROR_INIT;
	char c1[CSF_OID_HEX], c2[CSF_OID_HEX], tip[CSF_OID_HEX];
	char *lock;

	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 2, "one", c1, &err), CSF_E_OK);
	lock = hold_ref_lock(f->repo, c1);
	assert_int_equal(commit_dir(g, c1, "environments/dev/t2/M", 2, "two", c2, &err),
			 CSF_E_CONFLICT);
	assert_string_equal(c2, "");
	assert_non_null(strstr(err.msg, "another promotion holds the lock"));
	assert_non_null(strstr(err.msg, "refs/heads/main.lock"));
	assert_int_equal(csf_gitops_tip(g, tip, &err), CSF_E_OK);
	assert_string_equal(tip, c1);
	/* the lock released, the same commit goes through */
	assert_int_equal(unlink(lock), 0);
	assert_int_equal(commit_dir(g, c1, "environments/dev/t2/M", 2, "two", c2, &err), CSF_E_OK);
	free(lock);
	csf_gitops_free(g);
}

static void
test_gitops_cas_waits_for_a_writer_holding_the_lock_then_reports_the_move(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g = open_repo(f->repo, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE);
	struct csf_error err = CSF_ERROR_INIT;
	char c1[CSF_OID_HEX], c2[CSF_OID_HEX], c3[CSF_OID_HEX], tip[CSF_OID_HEX];
	char *lock, *ref;
	pid_t pid;
	int status;

	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 2, "one", c1, &err), CSF_E_OK);
	assert_int_equal(commit_dir(g, c1, "environments/dev/t2/M", 2, "two", c2, &err), CSF_E_OK);
	/* another writer holds the lock and, a moment later, moves main (to c1) and lets go */
	lock = hold_ref_lock(f->repo, c1);
	ref = csf_path_join(f->repo, ".git/refs/heads/main");
	pid = fork();
	if (pid == 0) {
		usleep(200000);
		_exit(rename(lock, ref) ? 1 : 0);
	}
	assert_true(pid > 0);
	assert_int_equal(commit_dir(g, c2, "environments/dev/t3/M", 2, "three", c3, &err),
			 CSF_E_CONFLICT);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(c3, "");
	assert_non_null(strstr(err.msg, "refresh and try again"));
	assert_null(strstr(err.msg, "locked"));
	assert_int_equal(csf_gitops_tip(g, tip, &err), CSF_E_OK);
	assert_string_equal(tip, c1);
	free(lock);
	free(ref);
	csf_gitops_free(g);
}

static void
test_gitops_dirty_working_tree_is_reported_not_overwritten(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g = open_repo(f->repo, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE);
	struct csf_error err = CSF_ERROR_INIT;
	char c1[CSF_OID_HEX], c2[CSF_OID_HEX], tip[CSF_OID_HEX];
	char *p = csf_path_join(f->repo, "environments/dev/t1/M/f0.yaml");
	struct csf_buf b = CSF_BUF_INIT;

	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 2, "one", c1, &err), CSF_E_OK);
	assert_int_equal(csf_write_file_atomic(p, "hand edit\n", 10, &err), CSF_E_OK);
	assert_int_equal(csf_gitops_check_writable(g, &err), CSF_E_GIT);
	assert_non_null(strstr(err.msg, "uncommitted"));
	assert_non_null(strstr(err.msg, "environments/dev/t1/M/f0.yaml"));
	assert_int_equal(commit_dir(g, c1, "environments/dev/t1/M", 2, "two", c2, &err), CSF_E_GIT);
	assert_int_equal(csf_gitops_tip(g, tip, &err), CSF_E_OK);
	assert_string_equal(tip, c1);
	assert_int_equal(csf_buf_read_file(&b, p, 1024), 0);
	assert_string_equal(b.buf, "hand edit\n");
	csf_buf_release(&b);
	free(p);
	csf_gitops_free(g);
}

static void
test_gitops_detached_head_is_reported(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g = open_repo(f->repo, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE);
	struct csf_error err = CSF_ERROR_INIT;
	char c1[CSF_OID_HEX], c2[CSF_OID_HEX];
	git_repository *r = NULL;
	git_oid oid;

	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 2, "one", c1, &err), CSF_E_OK);
	csf_gitops_free(g);
	git_libgit2_init();
	assert_int_equal(git_repository_open(&r, f->repo), 0);
	assert_int_equal(git_oid_fromstr(&oid, c1), 0);
	assert_int_equal(git_repository_set_head_detached(r, &oid), 0);
	git_repository_free(r);
	git_libgit2_shutdown();
	g = open_repo(f->repo, CSF_GITOPS_WRITE);
	assert_int_equal(csf_gitops_check_writable(g, &err), CSF_E_GIT);
	assert_non_null(strstr(err.msg, "detached"));
	assert_int_equal(commit_dir(g, c1, "environments/dev/t2/M", 2, "two", c2, &err), CSF_E_GIT);
	assert_non_null(strstr(err.msg, "detached"));
	csf_gitops_free(g);
}

static void
test_gitops_bare_repository_commits_without_a_working_tree(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g;
	struct csf_error err = CSF_ERROR_INIT;
	git_repository *r = NULL;
	git_repository_init_options io;
	char c1[CSF_OID_HEX], c2[CSF_OID_HEX];
	char *s, *wt;

	git_libgit2_init();
	git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	io.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
	io.initial_head = "main";
	assert_int_equal(git_repository_init_ext(&r, f->repo, &io), 0);
	git_repository_free(r);
	git_libgit2_shutdown();
	g = open_repo(f->repo, CSF_GITOPS_WRITE);
	assert_true(csf_gitops_bare(g));
	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 3, "one", c1, &err), CSF_E_OK);
	assert_int_equal(commit_dir(g, c1, "environments/dev/t1/M", 3, "two", c2, &err), CSF_E_OK);
	s = read_str(g, c2, "environments/dev/t1/M/f2.yaml");
	assert_string_equal(s, "file: 2\ntag: two\n");
	free(s);
	wt = csf_path_join(f->repo, "environments");
	assert_false(csf_is_dir(wt));
	free(wt);
	csf_gitops_free(g);
}

static void
test_gitops_crash_after_ref_move_is_finished_by_next_writer(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g = open_repo(f->repo, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE);
	struct csf_error err = CSF_ERROR_INIT;
	char c1[CSF_OID_HEX], c2[CSF_OID_HEX], tip[CSF_OID_HEX];
	char *wt = csf_path_join(f->repo, "environments/dev/t1/M/f0.yaml");
	struct csf_buf b = CSF_BUF_INIT;
	pid_t pid;
	int status;

	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 2, "one", c1, &err), CSF_E_OK);
	csf_gitops_free(g);
	pid = fork();
	if (pid == 0) {
		struct csf_gitops *cg = NULL;

		setenv("CSF_TEST_CRASH_AT", "ref-moved", 1);
		if (csf_gitops_open(f->repo, CSF_GITOPS_WRITE, &cg, NULL))
			_exit(1);
		commit_dir(cg, c1, "environments/dev/t1/M", 2, "two", c2, NULL);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 137);
	/* the branch moved, the working tree did not: a reader sees the interruption */
	g = open_repo(f->repo, 0);
	assert_int_equal(csf_gitops_tip(g, tip, &err), CSF_E_OK);
	assert_string_not_equal(tip, c1);
	assert_int_equal(csf_buf_read_file(&b, wt, 1024), 0);
	assert_string_equal(b.buf, "file: 0\ntag: one\n");
	assert_int_equal(csf_gitops_check_writable(g, &err), CSF_E_GIT);
	assert_non_null(strstr(err.msg, "interrupted"));
	csf_gitops_free(g);
	/* the next writer finishes the checkout */
	g = open_repo(f->repo, CSF_GITOPS_WRITE);
	assert_int_equal(csf_gitops_check_writable(g, &err), CSF_E_OK);
	csf_buf_reset(&b);
	assert_int_equal(csf_buf_read_file(&b, wt, 1024), 0);
	assert_string_equal(b.buf, "file: 0\ntag: two\n");
	csf_gitops_free(g);
	csf_buf_release(&b);
	free(wt);
}

static void
test_gitops_crash_before_ref_move_leaves_old_state(void **state)
{
	struct fx *f = *state;
	const char *const *pt = csf_gitops_crash_points();
	struct csf_gitops *g = open_repo(f->repo, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE);
	struct csf_error err = CSF_ERROR_INIT;
	char c1[CSF_OID_HEX], c2[CSF_OID_HEX], tip[CSF_OID_HEX];
	size_t tested = 0;

	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 6, "one", c1, &err), CSF_E_OK);
	csf_gitops_free(g);
	for (; *pt; pt++) {
		pid_t pid;
		int status;
		bool before = !strcmp(*pt, "blobs-half") || !strcmp(*pt, "trees-written") ||
			      !strcmp(*pt, "commit-written") || !strcmp(*pt, "marker-written");

		if (!before)
			continue;
		pid = fork();
		if (pid == 0) {
			struct csf_gitops *cg = NULL;

			setenv("CSF_TEST_CRASH_AT", *pt, 1);
			if (csf_gitops_open(f->repo, CSF_GITOPS_WRITE, &cg, NULL))
				_exit(1);
			commit_dir(cg, c1, "environments/dev/t1/M", 6, "two", c2, NULL);
			_exit(0);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_int_equal(WEXITSTATUS(status), 137);
		g = open_repo(f->repo, CSF_GITOPS_WRITE);
		assert_int_equal(csf_gitops_tip(g, tip, &err), CSF_E_OK);
		assert_string_equal(tip, c1);
		assert_int_equal(csf_gitops_check_writable(g, &err), CSF_E_OK);
		csf_gitops_free(g);
		tested++;
	}
	assert_int_equal(tested, 4);
}

struct log_ctx {
	int n;
	char first[CSF_OID_HEX];
};

static bool
log_cb(void *vctx, const struct csf_gitops_commit_info *c)
{
	struct log_ctx *l = vctx;

	if (!l->n++)
		memcpy(l->first, c->id, sizeof(l->first));
	assert_string_equal(c->author, "Test Author");
	return true;
}

static void
test_gitops_log_follows_a_path_and_reads_trailers(void **state)
{
	struct fx *f = *state;
	struct csf_gitops *g = open_repo(f->repo, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE);
	struct csf_error err = CSF_ERROR_INIT;
	char c1[CSF_OID_HEX], c2[CSF_OID_HEX], c3[CSF_OID_HEX];
	struct log_ctx l = { 0, "" };
	struct csf_buf v = CSF_BUF_INIT;

	assert_int_equal(commit_dir(g, "", "environments/dev/t1/M", 2, "one", c1, &err), CSF_E_OK);
	assert_int_equal(commit_dir(g, c1, "environments/staging/t1/M", 2, "one", c2, &err), CSF_E_OK);
	assert_int_equal(commit_dir(g, c2, "environments/dev/t1/M", 2, "two", c3, &err), CSF_E_OK);
	assert_int_equal(csf_gitops_log(g, c3, "environments/dev", log_cb, &l, &err), CSF_E_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.first, c3);
	l.n = 0;
	assert_int_equal(csf_gitops_log(g, c3, "environments/staging", log_cb, &l, &err), CSF_E_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.first, c2);
	l.n = 0;
	assert_int_equal(csf_gitops_log(g, c3, NULL, log_cb, &l, &err), CSF_E_OK);
	assert_int_equal(l.n, 3);
	assert_true(csf_gitops_trailer("subject\n\nbody\n\nRelease-Id: r-7\nModule: Booking\n",
				       "Release-Id", &v));
	assert_string_equal(v.buf, "r-7");
	assert_false(csf_gitops_trailer("subject\n\nno trailers here\n", "Release-Id", &v));
	csf_buf_release(&v);
	csf_gitops_free(g);
}

static void
test_gitops_pipeline_parses_gates_and_freezes(void **state)
{
	static const char y[] =
		"apiVersion: csf/v1\nkind: Pipeline\nbranch: release\n"
		"stages:\n"
		"  - name: dev\n    gates: { lintClean: true }\n"
		"  - name: stage\n    gates:\n      requireTests: reports/{module}.xml\n"
		"    freeze:\n      - { from: 2026-12-20T00:00:00Z, to: 2027-01-02T00:00:00Z, reason: holidays }\n"
		"  - name: prod\n    gates:\n      requireApproval: [alice, bob]\n"
		"freeze:\n  - { cron: \"* 22-23 * * 5\", reason: no Friday nights }\n";
	struct csf_pipeline p;
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_stage *st;
	size_t idx;
	time_t t;

	(void)state;
	assert_int_equal(csf_pipeline_parse("pipeline.yaml", y, strlen(y), &p, &err), CSF_E_OK);
	assert_string_equal(p.branch, "release");
	assert_int_equal(p.nstages, 3);
	assert_string_equal(p.stages[1].name, "staging");
	assert_string_equal(p.stages[2].name, "production");
	assert_true(p.stages[0].gates.lint_clean);
	assert_true(p.stages[1].gates.require_tests);
	assert_string_equal(p.stages[1].gates.test_report, "reports/{module}.xml");
	assert_true(p.stages[2].gates.require_approval);
	assert_int_equal(p.stages[2].gates.napprovers, 2);
	st = csf_pipeline_stage(&p, "prod", &idx);
	assert_non_null(st);
	assert_int_equal(idx, 2);
	/* inside the staging window, but not on a Friday night */
	assert_true(csf_parse_utc("2026-12-24T10:00:00Z", &t));
	assert_non_null(csf_pipeline_frozen(&p, &p.stages[1], t));
	assert_string_equal(csf_pipeline_frozen(&p, &p.stages[1], t)->reason, "holidays");
	assert_null(csf_pipeline_frozen(&p, &p.stages[0], t));
	/* 2026-11-27 is a Friday */
	assert_true(csf_parse_utc("2026-11-27T22:30:00Z", &t));
	assert_non_null(csf_pipeline_frozen(&p, &p.stages[0], t));
	assert_string_equal(csf_pipeline_frozen(&p, &p.stages[0], t)->reason, "no Friday nights");
	assert_true(csf_parse_utc("2026-11-27T21:59:00Z", &t));
	assert_null(csf_pipeline_frozen(&p, &p.stages[0], t));
	csf_pipeline_release(&p);
}

static void
test_gitops_pipeline_errors_have_positions(void **state)
{
	static const char *bad[] = {
		"stages: []\n",
		"stages:\n  - name: dev\n    gates: { lintClen: true }\n",
		"stages:\n  - name: dev\n    freeze:\n      - { from: tomorrow, to: 2027-01-01T00:00:00Z }\n",
		"stages:\n  - name: dev\n    freeze:\n      - { cron: \"61 * * * *\" }\n",
		"stages:\n  - name: dev\n  - name: dev\n",
		"stages:\n  - name: ../x\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct csf_pipeline p;
		struct csf_error err = CSF_ERROR_INIT;

		assert_int_equal(csf_pipeline_parse("pipeline.yaml", bad[i], strlen(bad[i]), &p, &err),
				 CSF_E_PARSE);
		assert_string_equal(err.file, "pipeline.yaml");
		assert_true(err.loc.line >= 1);
	}
}

static void
test_gitops_default_pipeline_requires_production_approval(void **state)
{
	struct csf_pipeline p;
	struct csf_error err = CSF_ERROR_INIT;
	const char *t = csf_pipeline_default_text();

	(void)state;
	assert_int_equal(csf_pipeline_parse("pipeline.yaml", t, strlen(t), &p, &err), CSF_E_OK);
	assert_int_equal(p.nstages, 3);
	assert_string_equal(p.stages[0].name, "dev");
	assert_true(p.stages[2].gates.require_approval);
	assert_false(p.stages[0].gates.require_approval);
	csf_pipeline_release(&p);
}

static void
test_gitops_cron_and_utc(void **state)
{
	time_t t;
	char why[64], out[32];

	(void)state;
	assert_true(csf_parse_utc("2026-11-26T19:40:00Z", &t));
	assert_string_equal(csf_format_utc(t, out, sizeof(out)), "2026-11-26T19:40:00Z");
	assert_true(csf_parse_utc("2026-11-26T21:40:00+02:00", &t));
	assert_string_equal(csf_format_utc(t, out, sizeof(out)), "2026-11-26T19:40:00Z");
	assert_true(csf_parse_utc("@0", &t));
	assert_int_equal(t, 0);
	assert_false(csf_parse_utc("26/11/2026", &t));
	assert_true(csf_parse_utc("2026-11-26T19:40:00Z", &t));	/* a Thursday */
	assert_true(csf_cron_match("40 19 * * *", t));
	assert_true(csf_cron_match("*/20 18-20 * 11 4", t));
	assert_false(csf_cron_match("*/20 18-20 * 11 5", t));
	/* both day fields restricted: either may match, as in cron */
	assert_true(csf_cron_match("40 19 1 11 4", t));
	assert_true(csf_cron_match("40 19 26 11 5", t));
	assert_false(csf_cron_match("40 19 1 11 5", t));
	assert_false(csf_cron_match("41 19 * * *", t));
	assert_true(csf_cron_match("* * * * 7,4", t));
	assert_false(csf_cron_valid("* * * *", why, sizeof(why)));
	assert_false(csf_cron_valid("60 * * * *", why, sizeof(why)));
	assert_false(csf_cron_valid("a * * * *", why, sizeof(why)));
	assert_true(csf_cron_valid("0 9-17/2 * * 1-5", why, sizeof(why)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gitops_create_commit_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitops_missing_repo_is_notfound_without_create, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gitops_replacing_a_folder_drops_old_files_and_keeps_others,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitops_cas_refuses_a_stale_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitops_cas_on_a_ref_locked_for_good_is_a_conflict,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_gitops_cas_waits_for_a_writer_holding_the_lock_then_reports_the_move, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_gitops_dirty_working_tree_is_reported_not_overwritten,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitops_detached_head_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitops_bare_repository_commits_without_a_working_tree,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitops_crash_after_ref_move_is_finished_by_next_writer,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitops_crash_before_ref_move_leaves_old_state, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gitops_log_follows_a_path_and_reads_trailers, setup,
						teardown),
		cmocka_unit_test(test_gitops_pipeline_parses_gates_and_freezes),
		cmocka_unit_test(test_gitops_pipeline_errors_have_positions),
		cmocka_unit_test(test_gitops_default_pipeline_requires_production_approval),
		cmocka_unit_test(test_gitops_cron_and_utc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
