/* Release promotion (core/release) on GitOps repositories created in the test, with a copy of
 * the samples/ workspace rendered by the real renderer and linted by the real linter: the full
 * dev → staging → production flow for two tenants, each gate blocking and passing, freeze
 * windows, approvals, history, rollback, an empty promotion, a stale plan losing the
 * compare-and-swap, and --readonly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/cluster.h"
#include "core/fsutil.h"
#include "core/gitops.h"
#include "core/release.h"
#include "core/workspace.h"

#define BOOKING "BookingService"
#define T1 "vetclinic-001"
#define T2 "pawsandclaws-002"

static const char pipeline_yaml[] =
	"apiVersion: csf/v1\nkind: Pipeline\n"
	"stages:\n"
	"  - name: dev\n"
	"    gates: { lintClean: true, testReport: \"reports/{module}-{tenant}.xml\" }\n"
	"  - name: staging\n"
	"    gates: { lintClean: true, testReport: \"reports/{module}-{tenant}.xml\" }\n"
	"    freeze:\n"
	"      - { from: 2026-12-20T00:00:00Z, to: 2027-01-02T00:00:00Z, reason: holiday freeze }\n"
	"  - name: production\n"
	"    gates:\n"
	"      lintClean: true\n"
	"      testReport: reports/{module}-{tenant}.xml\n"
	"      requireApproval: [alice, bob]\n"
	"freeze:\n"
	"  - { cron: \"* 22-23 * * 5\", reason: no Friday-night releases }\n";

static const char passing_junit[] =
	"<?xml version=\"1.0\"?>\n<testsuite name=\"booking\" tests=\"3\" failures=\"0\" errors=\"0\">\n"
	"  <testcase name=\"a\"/><testcase name=\"b\"/><testcase name=\"c\"/>\n</testsuite>\n";

struct fx {
	char dir[64];
	char *ws_dir, *repo_dir;
	struct csf_workspace *ws;
	struct csf_gitops *repo;
	struct csf_release_ctx ctx;
	time_t now;
};

/* ---- fixture ---------------------------------------------------------------------------------- */

static int
rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void
write_file(const char *path, const char *text)
{
	struct csf_error err = CSF_ERROR_INIT;
	char *dir = csf_xstrdup(path);

	*strrchr(dir, '/') = '\0';
	assert_int_equal(csf_mkdirs(dir, &err), CSF_E_OK);
	assert_int_equal(csf_write_file_atomic(path, text, strlen(text), &err), CSF_E_OK);
	free(dir);
}

static void
copy_tree(const char *src, const char *dst)
{
	DIR *d = opendir(src);
	struct dirent *de;
	struct csf_error err = CSF_ERROR_INIT;

	assert_non_null(d);
	assert_int_equal(csf_mkdirs(dst, &err), CSF_E_OK);
	while ((de = readdir(d))) {
		char *s, *t;

		if (de->d_name[0] == '.')
			continue;
		s = csf_path_join(src, de->d_name);
		t = csf_path_join(dst, de->d_name);
		if (csf_is_dir(s)) {
			if (strcmp(de->d_name, "cluster") && strcmp(de->d_name, "traces"))
				copy_tree(s, t);
		} else {
			struct csf_buf b = CSF_BUF_INIT;

			assert_int_equal(csf_buf_read_file(&b, s, 1 << 24), 0);
			assert_int_equal(csf_write_file_atomic(t, b.buf, b.len, &err), CSF_E_OK);
			csf_buf_release(&b);
		}
		free(s);
		free(t);
	}
	closedir(d);
}

static char *
ws_path(struct fx *f, const char *rel)
{
	return csf_path_join(f->ws_dir, rel);
}

static void
write_ws(struct fx *f, const char *rel, const char *text)
{
	char *p = ws_path(f, rel);

	write_file(p, text);
	free(p);
}

/* Replaces the first occurrence of a by b in a workspace file, then reloads the workspace. */
static void
edit_ws(struct fx *f, const char *rel, const char *a, const char *b)
{
	char *p = ws_path(f, rel);
	struct csf_buf t = CSF_BUF_INIT, o = CSF_BUF_INIT;
	char *hit;

	assert_int_equal(csf_buf_read_file(&t, p, 1 << 20), 0);
	hit = strstr(t.buf, a);
	assert_non_null(hit);
	csf_buf_add(&o, t.buf, (size_t)(hit - t.buf));
	csf_buf_addstr(&o, b);
	csf_buf_addstr(&o, hit + strlen(a));
	write_file(p, o.buf);
	csf_buf_release(&t);
	csf_buf_release(&o);
	free(p);
}

static void
reopen(struct fx *f)
{
	struct csf_error err = CSF_ERROR_INIT;

	if (f->repo) {
		csf_release_ctx_release(&f->ctx);
		csf_gitops_free(f->repo);
		csf_workspace_free(f->ws);
	}
	assert_int_equal(csf_workspace_open(f->ws_dir, &f->ws, &err), CSF_E_OK);
	assert_int_equal(csf_gitops_open(f->repo_dir, CSF_GITOPS_CREATE | CSF_GITOPS_WRITE, &f->repo,
					 &err), CSF_E_OK);
	assert_int_equal(csf_release_ctx_init(&f->ctx, f->repo, f->ws, f->now, &err), CSF_E_OK);
}

static void
commit_pipeline(struct fx *f, const char *text)
{
	struct csf_fileset s = CSF_FILESET_INIT;
	struct csf_gitops_write w = { "pipeline.yaml", &s, true };
	struct csf_error err = CSF_ERROR_INIT;
	char tip[CSF_OID_HEX], out[CSF_OID_HEX];

	csf_fileset_add(&s, "pipeline.yaml", text, strlen(text), false);
	assert_int_equal(csf_gitops_tip(f->repo, tip, &err), CSF_E_OK);
	assert_int_equal(csf_gitops_commit(f->repo, tip, &w, 1, "pipeline\n", NULL, out, &err),
			 CSF_E_OK);
	csf_fileset_release(&s);
	reopen(f);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *top = getenv("CSF_TOP");
	char *samples;

	strcpy(f->dir, "/tmp/csf-release-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	setenv("HOME", f->dir, 1);
	setenv("GIT_AUTHOR_NAME", "Rel Eng", 1);
	setenv("GIT_AUTHOR_EMAIL", "releng@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Rel Eng", 1);
	setenv("GIT_COMMITTER_EMAIL", "releng@example.com", 1);
	unsetenv("CSF_NOW");
	unsetenv("CSF_TEST_CRASH_AT");
	f->ws_dir = csf_path_join(f->dir, "ws");
	f->repo_dir = csf_path_join(f->dir, "gitops");
	samples = csf_path_join(top ? top : ".", "samples");
	copy_tree(samples, f->ws_dir);
	free(samples);
	write_ws(f, "reports/BookingService-vetclinic-001.xml", passing_junit);
	write_ws(f, "reports/BookingService-pawsandclaws-002.xml", passing_junit);
	/* Thursday 2026-11-26 10:00 UTC: no freeze window is active */
	assert_true(csf_parse_utc("2026-11-26T10:00:00Z", &f->now));
	reopen(f);
	commit_pipeline(f, pipeline_yaml);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	csf_release_ctx_release(&f->ctx);
	csf_gitops_free(f->repo);
	csf_workspace_free(f->ws);
	nftw(f->dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(f->ws_dir);
	free(f->repo_dir);
	free(f);
	return 0;
}

/* ---- helpers ---------------------------------------------------------------------------------- */

static const struct csf_release_gate *
find_gate(const struct csf_release_plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ngates; i++)
		if (!strcmp(p->gates[i].name, name))
			return &p->gates[i];
	return NULL;
}

static void
tip(struct fx *f, char out[CSF_OID_HEX])
{
	struct csf_error err = CSF_ERROR_INIT;

	assert_int_equal(csf_gitops_tip(f->repo, out, &err), CSF_E_OK);
}

static void
apply_ok(struct fx *f, struct csf_release_plan *p, char commit[CSF_OID_HEX])
{
	struct csf_error err = CSF_ERROR_INIT;
	size_t i;

	for (i = 0; i < p->ngates; i++)
		if (p->gates[i].state == CSF_GATE_BLOCK)
			fail_msg("gate %s blocked: %s", p->gates[i].name, p->gates[i].detail);
	assert_int_equal(csf_release_apply(&f->ctx, p, commit, &err), CSF_E_OK);
}

static void
release_new(struct fx *f, const char *module, const char *tenant, char commit[CSF_OID_HEX])
{
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;

	assert_int_equal(csf_release_plan_new(&f->ctx, module, tenant, NULL, &p, &err), CSF_E_OK);
	apply_ok(f, &p, commit);
	assert_int_equal(strlen(commit), 40);
	csf_release_plan_release(&p);
}

static void
promote(struct fx *f, const char *module, const char *tenant, const char *from, const char *to,
	const char *approver, char commit[CSF_OID_HEX])
{
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_approval a = { (char *)(uintptr_t)approver, (char *)(uintptr_t)"CAB-42 signed off" };

	assert_int_equal(csf_release_plan_promote(&f->ctx, module, tenant, from, to,
						  approver ? &a : NULL, &p, &err), CSF_E_OK);
	apply_ok(f, &p, commit);
	csf_release_plan_release(&p);
}

static char *
repo_file(struct fx *f, const char *path)
{
	struct csf_buf b = CSF_BUF_INIT;
	char t[CSF_OID_HEX];

	tip(f, t);
	if (csf_gitops_read(f->repo, t, path, &b, NULL)) {
		csf_buf_release(&b);
		return NULL;
	}
	return csf_buf_detach(&b, NULL);
}

static void
read_meta(struct fx *f, const char *env, const char *tenant, struct csf_release_meta *m)
{
	char *dir = csf_release_dir(env, tenant, BOOKING);
	char *p = csf_path_join(dir, "release.yaml");
	char *text = repo_file(f, p);
	struct csf_error err = CSF_ERROR_INIT;

	assert_non_null(text);
	assert_int_equal(csf_release_meta_parse(p, text, strlen(text), m, &err), CSF_E_OK);
	free(text);
	free(p);
	free(dir);
}

/* ---- tests ------------------------------------------------------------------------------------ */

static void
test_release_full_flow_dev_staging_production_two_tenants(void **state)
{
	struct fx *f = *state;
	const char *tenants[] = { T1, T2 };
	struct csf_board b;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_release_meta m;
	char c[CSF_OID_HEX];
	char *stg, *prd;
	size_t i, rows = 0;

	for (i = 0; i < 2; i++) {
		release_new(f, BOOKING, tenants[i], c);
		promote(f, BOOKING, tenants[i], "dev", "staging", NULL, c);
		promote(f, BOOKING, tenants[i], "staging", "production", "alice", c);
	}
	assert_int_equal(csf_release_board(&f->ctx, &b, &err), CSF_E_OK);
	assert_int_equal(b.nstages, 3);
	for (i = 0; i < b.nrows; i++) {
		const struct csf_board_row *r = &b.rows[i];

		if (strcmp(r->module, BOOKING) || (strcmp(r->tenant, T1) && strcmp(r->tenant, T2)))
			continue;
		rows++;
		assert_string_equal(r->slots[0].version, "1.2.3");
		assert_string_equal(r->slots[1].version, "1.2.3");
		assert_string_equal(r->slots[2].version, "1.2.3");
		assert_true(r->waiting_from == SIZE_MAX);
		assert_null(r->workspace_version);
	}
	assert_int_equal(rows, 2);
	csf_board_release(&b);
	/* the same freight, rendered for each environment */
	stg = repo_file(f, "environments/staging/" T1 "/" BOOKING "/k8s/configmap.yaml");
	prd = repo_file(f, "environments/production/" T1 "/" BOOKING "/k8s/configmap.yaml");
	assert_non_null(stg);
	assert_non_null(prd);
	assert_non_null(strstr(stg, "staging"));
	assert_non_null(strstr(prd, "production"));
	assert_string_not_equal(stg, prd);
	free(stg);
	free(prd);
	read_meta(f, "production", T2, &m);
	assert_string_equal(m.module, BOOKING);
	assert_string_equal(m.tenant, T2);
	assert_string_equal(m.environment, "production");
	assert_string_equal(m.version, "1.2.3");
	assert_non_null(m.promoted_from);
	assert_true(!strncmp(m.promoted_from, "staging@staging-", 16));
	assert_int_equal(m.napprovals, 1);
	assert_string_equal(m.approvals[0].name, "alice");
	assert_string_equal(m.approvals[0].reason, "CAB-42 signed off");
	assert_non_null(m.freight);
	assert_non_null(strstr(m.freight, "module: BookingService"));
	assert_int_equal(strlen(m.freight_hash), 64);
	assert_true(m.ngates >= 4);
	csf_release_meta_release(&m);
}

static void
test_release_board_shows_what_waits(void **state)
{
	struct fx *f = *state;
	struct csf_board b;
	struct csf_error err = CSF_ERROR_INIT;
	char c[CSF_OID_HEX];
	size_t i;
	bool seen = false;

	release_new(f, BOOKING, T1, c);
	assert_int_equal(csf_release_board(&f->ctx, &b, &err), CSF_E_OK);
	for (i = 0; i < b.nrows; i++) {
		const struct csf_board_row *r = &b.rows[i];

		if (!strcmp(r->module, BOOKING) && !strcmp(r->tenant, T1)) {
			assert_string_equal(r->slots[0].version, "1.2.3");
			assert_null(r->slots[1].version);
			assert_int_equal(r->waiting_from, 0);	/* dev → staging */
			assert_null(r->workspace_version);
			seen = true;
		} else if (!strcmp(r->module, BOOKING) && !strcmp(r->tenant, T2)) {
			/* never released: the workspace version waits for dev */
			assert_string_equal(r->workspace_version, "1.2.3");
		}
	}
	assert_true(seen);
	csf_board_release(&b);
}

static void
test_release_promotion_with_empty_diff_writes_nothing(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	char c[CSF_OID_HEX], before[CSF_OID_HEX], after[CSF_OID_HEX], out[CSF_OID_HEX];

	release_new(f, BOOKING, T1, c);
	promote(f, BOOKING, T1, "dev", "staging", NULL, c);
	tip(f, before);
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "dev", "staging", NULL, &p,
						  &err), CSF_E_OK);
	assert_true(p.empty);
	assert_int_equal(p.nchanges, 0);
	assert_true(p.has_old);
	assert_false(p.blocked);
	assert_int_equal(csf_release_apply(&f->ctx, &p, out, &err), CSF_E_OK);
	assert_string_equal(out, "");
	tip(f, after);
	assert_string_equal(before, after);
	csf_release_plan_release(&p);
}

static void
test_release_new_version_shows_diff_and_semantic_summary(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	char c[CSF_OID_HEX];
	size_t i;
	bool deploy = false, version = false;
	struct csf_buf patch = CSF_BUF_INIT;

	release_new(f, BOOKING, T1, c);
	promote(f, BOOKING, T1, "dev", "staging", NULL, c);
	edit_ws(f, "blueprints/booking-service.yaml", "version: 1.2.3", "version: 1.2.4");
	edit_ws(f, "blueprints/booking-service.yaml", "maxReplicas: 10", "maxReplicas: 12");
	reopen(f);
	assert_int_equal(csf_release_plan_new(&f->ctx, BOOKING, T1, NULL, &p, &err), CSF_E_OK);
	assert_false(p.empty);
	assert_true(p.has_old);
	assert_string_equal(p.old_meta.version, "1.2.3");
	assert_string_equal(p.meta.version, "1.2.4");
	for (i = 0; i < p.nchanges; i++)
		if (!strcmp(p.changes[i].path, "k8s/deployment.yaml")) {
			assert_int_equal(p.changes[i].status, 'M');
			assert_true(p.changes[i].added > 0 && p.changes[i].removed > 0);
			deploy = true;
		}
	assert_true(deploy);
	for (i = 0; i < p.nsummary; i++)
		if (strstr(p.summary[i], "1.2.3 → 1.2.4"))
			version = true;
	assert_true(version);
	assert_int_equal(csf_release_file_diff(&p, "k8s/deployment.yaml", &patch, &err), CSF_E_OK);
	assert_non_null(strstr(patch.buf, "-"));
	assert_non_null(strstr(patch.buf, "1.2.4"));
	csf_buf_release(&patch);
	apply_ok(f, &p, c);
	csf_release_plan_release(&p);
	/* staging still has 1.2.3: the promotion diff says what changes there */
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "dev", "staging", NULL, &p,
						  &err), CSF_E_OK);
	assert_false(p.empty);
	assert_string_equal(p.old_meta.version, "1.2.3");
	version = false;
	for (i = 0; i < p.nsummary; i++)
		if (strstr(p.summary[i], "1.2.3 → 1.2.4"))
			version = true;
	assert_true(version);
	csf_release_plan_release(&p);
}

static void
test_release_rollback_restores_an_earlier_release(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_release_meta first, now;
	struct csf_history h;
	char c[CSF_OID_HEX];
	char *deploy_123, *deploy;

	release_new(f, BOOKING, T1, c);
	read_meta(f, "dev", T1, &first);
	deploy_123 = repo_file(f, "environments/dev/" T1 "/" BOOKING "/k8s/deployment.yaml");
	edit_ws(f, "blueprints/booking-service.yaml", "version: 1.2.3", "version: 1.2.4");
	reopen(f);
	release_new(f, BOOKING, T1, c);
	/* no RELEASE: the one before the current */
	assert_int_equal(csf_release_plan_rollback(&f->ctx, BOOKING, T1, "dev", NULL, NULL, &p, &err),
			 CSF_E_OK);
	assert_int_equal(p.kind, CSF_RELEASE_ROLLBACK);
	assert_string_equal(p.meta.version, "1.2.3");
	assert_string_equal(p.old_meta.version, "1.2.4");
	assert_string_equal(p.meta.rollback_of, first.release_id);
	assert_false(p.empty);
	assert_true(p.nchanges > 0);
	assert_non_null(find_gate(&p, "freeze"));
	assert_non_null(find_gate(&p, "lintClean"));
	apply_ok(f, &p, c);
	csf_release_plan_release(&p);
	deploy = repo_file(f, "environments/dev/" T1 "/" BOOKING "/k8s/deployment.yaml");
	assert_string_equal(deploy, deploy_123);
	read_meta(f, "dev", T1, &now);
	assert_string_equal(now.version, "1.2.3");
	assert_string_equal(now.rollback_of, first.release_id);
	assert_string_not_equal(now.release_id, first.release_id);
	csf_release_meta_release(&now);
	/* history: the rollback, the 1.2.4 release, the first release */
	assert_int_equal(csf_release_history(&f->ctx, "dev", BOOKING, T1, &h, &err), CSF_E_OK);
	assert_int_equal(h.n, 3);
	assert_string_equal(h.v[0].commit, c);
	assert_non_null(strstr(h.v[0].subject, "roll back"));
	assert_string_equal(h.v[0].version, "1.2.3");
	assert_string_equal(h.v[1].version, "1.2.4");
	assert_string_equal(h.v[2].release_id, first.release_id);
	assert_string_equal(h.v[2].author, "Rel Eng");
	assert_true(h.v[1].nchanges > 0);
	csf_history_release(&h);
	/* by release id: back to 1.2.4 again */
	assert_int_equal(csf_release_history(&f->ctx, "dev", BOOKING, T1, &h, &err), CSF_E_OK);
	assert_int_equal(csf_release_plan_rollback(&f->ctx, BOOKING, T1, "dev", h.v[1].release_id,
						   NULL, &p, &err), CSF_E_OK);
	assert_string_equal(p.meta.version, "1.2.4");
	csf_release_plan_release(&p);
	assert_int_equal(csf_release_plan_rollback(&f->ctx, BOOKING, T1, "dev", "dev-nonexistent",
						   NULL, &p, &err), CSF_E_NOTFOUND);
	csf_history_release(&h);
	csf_release_meta_release(&first);
	free(deploy);
	free(deploy_123);
}

static void
test_release_freeze_window_blocks_then_passes(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_release_gate *g;
	char c[CSF_OID_HEX], before[CSF_OID_HEX], after[CSF_OID_HEX];

	release_new(f, BOOKING, T1, c);
	/* inside the staging holiday freeze */
	assert_true(csf_parse_utc("2026-12-24T09:00:00Z", &f->ctx.now));
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "dev", "staging", NULL, &p,
						  &err), CSF_E_OK);
	g = find_gate(&p, "freeze");
	assert_int_equal(g->state, CSF_GATE_BLOCK);
	assert_non_null(strstr(g->detail, "holiday freeze"));
	assert_true(p.blocked);
	tip(f, before);
	assert_int_equal(csf_release_apply(&f->ctx, &p, c, &err), CSF_E_GATE);
	assert_non_null(strstr(err.msg, "freeze"));
	tip(f, after);
	assert_string_equal(before, after);
	csf_release_plan_release(&p);
	/* dev is not frozen then */
	edit_ws(f, "blueprints/booking-service.yaml", "version: 1.2.3", "version: 1.2.4");
	reopen(f);
	f->ctx.now = 0;
	assert_true(csf_parse_utc("2026-12-24T09:00:00Z", &f->ctx.now));
	assert_int_equal(csf_release_plan_new(&f->ctx, BOOKING, T1, NULL, &p, &err), CSF_E_OK);
	assert_int_equal(find_gate(&p, "freeze")->state, CSF_GATE_PASS);
	csf_release_plan_release(&p);
	/* Friday night: the pipeline-wide cron window freezes every stage */
	assert_true(csf_parse_utc("2026-11-27T22:15:00Z", &f->ctx.now));
	assert_int_equal(csf_release_plan_new(&f->ctx, BOOKING, T1, NULL, &p, &err), CSF_E_OK);
	g = find_gate(&p, "freeze");
	assert_int_equal(g->state, CSF_GATE_BLOCK);
	assert_non_null(strstr(g->detail, "Friday"));
	csf_release_plan_release(&p);
	/* after the window */
	assert_true(csf_parse_utc("2027-01-02T00:00:00Z", &f->ctx.now));
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "dev", "staging", NULL, &p,
						  &err), CSF_E_OK);
	assert_int_equal(find_gate(&p, "freeze")->state, CSF_GATE_PASS);
	apply_ok(f, &p, c);
	csf_release_plan_release(&p);
}

static void
test_release_approval_needs_allowed_name_and_reason(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_approval none_reason = { (char *)(uintptr_t)"alice", NULL };
	struct csf_approval carol = { (char *)(uintptr_t)"carol", (char *)(uintptr_t)"looks fine" };
	struct csf_approval alice = { (char *)(uintptr_t)"alice", (char *)(uintptr_t)"CAB-7" };
	const struct csf_release_gate *g;
	char c[CSF_OID_HEX];

	release_new(f, BOOKING, T1, c);
	promote(f, BOOKING, T1, "dev", "staging", NULL, c);
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "staging", "production", NULL,
						  &p, &err), CSF_E_OK);
	g = find_gate(&p, "requireApproval");
	assert_int_equal(g->state, CSF_GATE_BLOCK);
	assert_non_null(strstr(g->detail, "alice, bob"));
	assert_int_equal(csf_release_apply(&f->ctx, &p, c, &err), CSF_E_GATE);
	/* the step-through re-evaluates the gates with the approval given */
	csf_release_plan_gates(&f->ctx, &p, &none_reason);
	g = find_gate(&p, "requireApproval");
	assert_int_equal(g->state, CSF_GATE_BLOCK);
	assert_non_null(strstr(g->detail, "reason"));
	csf_release_plan_gates(&f->ctx, &p, &carol);
	g = find_gate(&p, "requireApproval");
	assert_int_equal(g->state, CSF_GATE_BLOCK);
	assert_non_null(strstr(g->detail, "carol may not approve"));
	csf_release_plan_gates(&f->ctx, &p, &alice);
	g = find_gate(&p, "requireApproval");
	assert_int_equal(g->state, CSF_GATE_PASS);
	assert_false(p.blocked);
	apply_ok(f, &p, c);
	csf_release_plan_release(&p);
}

static void
test_release_production_approval_cannot_be_empty(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_approval empty = { (char *)(uintptr_t)"", (char *)(uintptr_t)"no name" };
	char c[CSF_OID_HEX];
	char *rep;

	/* a pipeline that forgets production approvals still gets them */
	commit_pipeline(f, "stages:\n  - name: dev\n  - name: staging\n  - name: production\n");
	/* the blueprint's own release.gates.requireTests still wants a report */
	rep = ws_path(f, "reports/{module}-{tenant}.xml");
	f->ctx.test_report = rep;
	release_new(f, BOOKING, T1, c);
	promote(f, BOOKING, T1, "dev", "staging", NULL, c);
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "staging", "production",
						  &empty, &p, &err), CSF_E_OK);
	assert_int_equal(find_gate(&p, "requireApproval")->state, CSF_GATE_BLOCK);
	assert_int_equal(csf_release_apply(&f->ctx, &p, c, &err), CSF_E_GATE);
	csf_release_plan_release(&p);
	free(rep);
}

static void
test_release_test_report_gate(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_release_gate *g;
	char *rep = ws_path(f, "reports/BookingService-vetclinic-001.xml");

	unlink(rep);
	assert_int_equal(csf_release_plan_new(&f->ctx, BOOKING, T1, NULL, &p, &err), CSF_E_OK);
	g = find_gate(&p, "requireTests");
	assert_int_equal(g->state, CSF_GATE_BLOCK);
	assert_non_null(strstr(g->detail, "not found"));
	csf_release_plan_release(&p);
	write_file(rep, "<testsuite tests=\"3\" failures=\"1\" errors=\"0\">\n"
			"<testcase name=\"a\"><failure message=\"boom\"/></testcase></testsuite>\n");
	assert_int_equal(csf_release_plan_new(&f->ctx, BOOKING, T1, NULL, &p, &err), CSF_E_OK);
	g = find_gate(&p, "requireTests");
	assert_int_equal(g->state, CSF_GATE_BLOCK);
	assert_non_null(strstr(g->detail, "1 of 3 tests failed"));
	csf_release_plan_release(&p);
	write_file(rep, "{\"passed\": 5, \"failed\": 0}\n");
	assert_int_equal(csf_release_plan_new(&f->ctx, BOOKING, T1, NULL, &p, &err), CSF_E_OK);
	g = find_gate(&p, "requireTests");
	assert_int_equal(g->state, CSF_GATE_PASS);
	assert_non_null(strstr(g->detail, "5 tests passed"));
	csf_release_plan_release(&p);
	write_file(rep, "this is not a report\n");
	assert_int_equal(csf_release_plan_new(&f->ctx, BOOKING, T1, NULL, &p, &err), CSF_E_OK);
	assert_int_equal(find_gate(&p, "requireTests")->state, CSF_GATE_BLOCK);
	csf_release_plan_release(&p);
	free(rep);
}

/* (also: credential-looking values are redacted in the freight) */
static void
test_release_lint_gate_blocks_on_lint_errors(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_release_gate *g;

	assert_int_equal(csf_release_plan_new(&f->ctx, BOOKING, T1, NULL, &p, &err), CSF_E_OK);
	assert_int_equal(find_gate(&p, "lintClean")->state, CSF_GATE_PASS);
	csf_release_plan_release(&p);
	edit_ws(f, "blueprints/booking-service.yaml", "    SMS_PROVIDER: none\n",
		"    SMS_PROVIDER: none\n    DB_CONN: \"Server=db;User Id=sa;Password=Sup3rS3cret!;\"\n");
	reopen(f);
	assert_int_equal(csf_release_plan_new(&f->ctx, BOOKING, T1, NULL, &p, &err), CSF_E_OK);
	g = find_gate(&p, "lintClean");
	assert_int_equal(g->state, CSF_GATE_BLOCK);
	assert_non_null(strstr(g->detail, "lint error"));
	assert_non_null(strstr(g->detail, "booking-service.yaml"));
	assert_true(p.blocked);
	/* whatever the gates say, the credential never reaches what would be committed */
	assert_null(strstr(p.meta.freight, "Sup3rS3cret"));
	assert_non_null(strstr(p.meta.freight, "<redacted>"));
	{
		size_t i;

		for (i = 0; i < p.new_files.n; i++)
			assert_null(strstr(p.new_files.v[i].data, "Sup3rS3cret"));
	}
	csf_release_plan_release(&p);
}

static void
test_release_stale_plan_loses_the_compare_and_swap(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan a, b;
	struct csf_error err = CSF_ERROR_INIT;
	char c[CSF_OID_HEX], cb[CSF_OID_HEX], t[CSF_OID_HEX];
	char *dir;

	release_new(f, BOOKING, T1, c);
	release_new(f, BOOKING, T2, c);
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "dev", "staging", NULL, &a,
						  &err), CSF_E_OK);
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T2, "dev", "staging", NULL, &b,
						  &err), CSF_E_OK);
	assert_string_equal(a.base, b.base);
	apply_ok(f, &b, cb);
	assert_int_equal(csf_release_apply(&f->ctx, &a, c, &err), CSF_E_CONFLICT);
	assert_non_null(strstr(err.msg, "refresh"));
	tip(f, t);
	assert_string_equal(t, cb);
	dir = repo_file(f, "environments/staging/" T1 "/" BOOKING "/release.yaml");
	assert_null(dir);
	csf_release_plan_release(&a);
	/* refreshed, it goes through */
	promote(f, BOOKING, T1, "dev", "staging", NULL, c);
	csf_release_plan_release(&b);
}

static void
test_release_readonly_refuses_to_write(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	char c[CSF_OID_HEX], before[CSF_OID_HEX], after[CSF_OID_HEX];

	f->ctx.readonly = true;
	tip(f, before);
	assert_int_equal(csf_release_plan_new(&f->ctx, BOOKING, T1, NULL, &p, &err), CSF_E_OK);
	assert_int_equal(csf_release_apply(&f->ctx, &p, c, &err), CSF_E_READONLY);
	tip(f, after);
	assert_string_equal(before, after);
	csf_release_plan_release(&p);
}

static void
test_release_promotion_needs_a_source_release_and_forward_order(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	char c[CSF_OID_HEX];

	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "dev", "staging", NULL, &p,
						  &err), CSF_E_NOTFOUND);
	assert_non_null(strstr(err.msg, "holds no release"));
	release_new(f, BOOKING, T1, c);
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "staging", "dev", NULL, &p,
						  &err), CSF_E_USAGE);
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "dev", "qa", NULL, &p, &err),
			 CSF_E_USAGE);
	assert_int_equal(csf_release_plan_new(&f->ctx, "../etc", T1, NULL, &p, &err), CSF_E_USAGE);
	assert_int_equal(csf_release_plan_rollback(&f->ctx, BOOKING, T1, "dev", NULL, NULL, &p, &err),
			 CSF_E_NOTFOUND);
	/* the health gate says honestly that it was not checked */
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "dev", "staging", NULL, &p,
						  &err), CSF_E_OK);
	assert_int_equal(find_gate(&p, "health")->state, CSF_GATE_SKIP);
	assert_non_null(strstr(find_gate(&p, "health")->detail, "no cluster"));
	csf_release_plan_release(&p);
}

static void
test_release_commit_message_carries_trailers(void **state)
{
	struct fx *f = *state;
	struct csf_history h;
	struct csf_error err = CSF_ERROR_INIT;
	char c[CSF_OID_HEX];

	release_new(f, BOOKING, T1, c);
	promote(f, BOOKING, T1, "dev", "staging", NULL, c);
	promote(f, BOOKING, T1, "staging", "production", "bob", c);
	assert_int_equal(csf_release_history(&f->ctx, "production", NULL, NULL, &h, &err), CSF_E_OK);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.v[0].commit, c);
	assert_string_equal(h.v[0].module, BOOKING);
	assert_string_equal(h.v[0].tenant, T1);
	assert_string_equal(h.v[0].version, "1.2.3");
	assert_string_equal(h.v[0].approved_by, "bob");
	assert_string_equal(h.v[0].reason, "CAB-42 signed off");
	assert_true(!strncmp(h.v[0].from, "staging", 7));
	assert_true(!strncmp(h.v[0].release_id, "production-20261126T100000Z-", 28));
	assert_non_null(strstr(h.v[0].gates, "requireApproval=pass"));
	assert_non_null(strstr(h.v[0].gates, "freeze=pass"));
	csf_history_release(&h);
	assert_int_equal(csf_release_history(&f->ctx, "staging", NULL, NULL, &h, &err), CSF_E_OK);
	assert_int_equal(h.n, 1);
	csf_history_release(&h);
}

static void
test_release_health_gate_reads_the_cluster(void **state)
{
	struct fx *f = *state;
	struct csf_release_plan p;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_cluster_source *src = NULL;
	const struct csf_release_gate *g;
	const char *top = getenv("CSF_TOP");
	char *snap = csf_path_join(top ? top : ".", "samples/cluster");
	char c[CSF_OID_HEX];

	write_ws(f, "reports/BookingService-happytails-004.xml", passing_junit);
	write_ws(f, "reports/NotificationService-happytails-004.xml", passing_junit);
	release_new(f, BOOKING, "happytails-004", c);
	release_new(f, "NotificationService", "happytails-004", c);
	/* the recorded cluster: BookingService runs 4/4 ready, NotificationService 0/4 */
	assert_int_equal(csf_cluster_snapshot_new(snap, &src, &err), CSF_E_OK);
	f->ctx.cluster = src;
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, "happytails-004", "dev",
						  "staging", NULL, &p, &err), CSF_E_OK);
	g = find_gate(&p, "health");
	assert_int_equal(g->state, CSF_GATE_PASS);
	assert_non_null(strstr(g->detail, "4/4 ready"));
	csf_release_plan_release(&p);
	assert_int_equal(csf_release_plan_promote(&f->ctx, "NotificationService", "happytails-004",
						  "dev", "staging", NULL, &p, &err), CSF_E_OK);
	g = find_gate(&p, "health");
	assert_int_equal(g->state, CSF_GATE_BLOCK);
	assert_non_null(strstr(g->detail, "down"));
	assert_true(p.blocked);
	assert_int_equal(csf_release_apply(&f->ctx, &p, c, &err), CSF_E_GATE);
	csf_release_plan_release(&p);
	/* with a cluster, every promotion is checked */
	release_new(f, BOOKING, T1, c);
	assert_int_equal(csf_release_plan_promote(&f->ctx, BOOKING, T1, "dev", "staging", NULL, &p,
						  &err), CSF_E_OK);
	assert_int_not_equal(find_gate(&p, "health")->state, CSF_GATE_SKIP);
	csf_release_plan_release(&p);
	f->ctx.cluster = NULL;
	csf_cluster_source_free(src);
	free(snap);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_release_full_flow_dev_staging_production_two_tenants),
		T(test_release_board_shows_what_waits),
		T(test_release_promotion_with_empty_diff_writes_nothing),
		T(test_release_new_version_shows_diff_and_semantic_summary),
		T(test_release_rollback_restores_an_earlier_release),
		T(test_release_freeze_window_blocks_then_passes),
		T(test_release_approval_needs_allowed_name_and_reason),
		T(test_release_production_approval_cannot_be_empty),
		T(test_release_test_report_gate),
		T(test_release_lint_gate_blocks_on_lint_errors),
		T(test_release_stale_plan_loses_the_compare_and_swap),
		T(test_release_readonly_refuses_to_write),
		T(test_release_promotion_needs_a_source_release_and_forward_order),
		T(test_release_commit_message_carries_trailers),
		T(test_release_health_gate_reads_the_cluster),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
