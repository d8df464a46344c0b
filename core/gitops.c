#include "core/gitops.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "core/fsutil.h"
#include "core/workspace.h"
#include "core/yaml_model.h"

#define NOLOC ((struct csf_loc){ 0, 0 })
#define MARKER "csf-checkout"

struct csf_gitops {
	git_repository *repo;
	char *path;
	char *branch;		/* short name, or NULL while HEAD is detached and none was set */
	char *detached_at;	/* abbreviated id when HEAD is detached */
	bool bare;
	bool created;
	git_odb_backend *mempack;	/* new objects go here first, then into one pack file */
};

/* ---- file sets -------------------------------------------------------------------------------- */

void
csf_fileset_add(struct csf_fileset *s, const char *path, const void *data, size_t len, bool exec)
{
	struct csf_gfile *f;

	CSF_GROW(s->v, s->alloc, s->n + 1);
	f = &s->v[s->n++];
	f->path = csf_xstrdup(path);
	f->data = csf_xmalloc(len + 1);
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
	f->exec = exec;
}

static int
gfile_cmp(const void *a, const void *b)
{
	const struct csf_gfile *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	/* equal paths keep insertion order so the later one wins below */
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

void
csf_fileset_sort(struct csf_fileset *s)
{
	size_t i, o = 0;

	if (s->n < 2)
		return;
	qsort(s->v, s->n, sizeof(*s->v), gfile_cmp);
	for (i = 0; i < s->n; i++) {
		if (i + 1 < s->n && !strcmp(s->v[i].path, s->v[i + 1].path)) {
			free(s->v[i].path);
			free(s->v[i].data);
			continue;
		}
		s->v[o++] = s->v[i];
	}
	s->n = o;
}

const struct csf_gfile *
csf_fileset_find(const struct csf_fileset *s, const char *path)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->v[mid].path, path);

		if (!c)
			return &s->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
csf_fileset_release(struct csf_fileset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].data);
	}
	free(s->v);
	s->v = NULL;
	s->n = s->alloc = 0;
}

/* ---- time ------------------------------------------------------------------------------------- */

static bool
digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

bool
csf_parse_utc(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
	const char *p = s;
	time_t t;

	if (!s)
		return false;
	if (*p == '@') {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(p + 1, &end, 10);
		if (end == p + 1 || *end || errno)
			return false;
		*out = (time_t)v;
		return true;
	}
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d))
		return false;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return false;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &sec))
				return false;
			if (*p == '.')
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p++ == '+' ? 1 : -1;
			if (!digits(&p, 2, &oh))
				return false;
			if (*p == ':')
				p++;
			if (!digits(&p, 2, &om))
				return false;
		}
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*out = t - sign * (oh * 3600 + om * 60);
	return true;
}

const char *
csf_format_utc(time_t t, char *out, size_t n)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

/* ---- cron ------------------------------------------------------------------------------------- */

static const struct {
	int lo, hi;
	const char *name;
} cron_fields[5] = {
	{ 0, 59, "minute" }, { 0, 23, "hour" }, { 1, 31, "day of month" },
	{ 1, 12, "month" }, { 0, 7, "day of week" },
};

static bool
cron_num(const char **p, int *v)
{
	if (!isdigit((unsigned char)**p))
		return false;
	*v = 0;
	while (isdigit((unsigned char)**p)) {
		*v = *v * 10 + (**p - '0');
		if (*v > 1000)
			return false;
		(*p)++;
	}
	return true;
}

/* Parses one field into a bit set; *star tells whether it was a bare '*'. */
static bool
cron_field(const char **pp, int f, unsigned long long *bits, bool *star, char *why, size_t n)
{
	const char *p = *pp;
	int lo = cron_fields[f].lo, hi = cron_fields[f].hi;

	*bits = 0;
	*star = (p[0] == '*' && (p[1] == ' ' || p[1] == '\t' || !p[1]));
	for (;;) {
		int a, b, step = 1, v;

		if (*p == '*') {
			a = lo;
			b = hi;
			p++;
		} else {
			if (!cron_num(&p, &a))
				goto bad;
			b = a;
			if (*p == '-') {
				p++;
				if (!cron_num(&p, &b))
					goto bad;
			}
		}
		if (*p == '/') {
			p++;
			if (!cron_num(&p, &step) || step < 1)
				goto bad;
			if (a == b && p[-1] != '*')
				b = hi;
		}
		if (a < lo || b > hi || a > b) {
			snprintf(why, n, "%s out of range %d-%d", cron_fields[f].name, lo, hi);
			return false;
		}
		for (v = a; v <= b; v += step)
			*bits |= 1ULL << (f == 4 && v == 7 ? 0 : v);
		if (*p != ',')
			break;
		p++;
	}
	if (*p && *p != ' ' && *p != '\t')
		goto bad;
	*pp = p;
	return true;
bad:
	snprintf(why, n, "bad %s field", cron_fields[f].name);
	return false;
}

static bool
cron_parse(const char *expr, unsigned long long bits[5], bool star[5], char *why, size_t n)
{
	const char *p = expr;
	int f;

	for (f = 0; f < 5; f++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p) {
			snprintf(why, n, "expected 5 fields (minute hour day month weekday)");
			return false;
		}
		if (!cron_field(&p, f, &bits[f], &star[f], why, n))
			return false;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p) {
		snprintf(why, n, "expected 5 fields (minute hour day month weekday)");
		return false;
	}
	return true;
}

bool
csf_cron_valid(const char *expr, char *why, size_t n)
{
	unsigned long long bits[5];
	bool star[5];

	return cron_parse(expr, bits, star, why, n);
}

bool
csf_cron_match(const char *expr, time_t t)
{
	unsigned long long bits[5];
	bool star[5], dom, dow;
	char why[64];
	struct tm tm;

	if (!cron_parse(expr, bits, star, why, sizeof(why)))
		return false;
	gmtime_r(&t, &tm);
	if (!(bits[0] >> tm.tm_min & 1) || !(bits[1] >> tm.tm_hour & 1) ||
	    !(bits[3] >> (tm.tm_mon + 1) & 1))
		return false;
	dom = bits[2] >> tm.tm_mday & 1;
	dow = bits[4] >> tm.tm_wday & 1;
	/* classic cron: when both day fields are restricted, either may match */
	if (!star[2] && !star[4])
		return dom || dow;
	return dom && dow;
}

/* ---- pipeline.yaml ---------------------------------------------------------------------------- */

static const char default_pipeline[] =
	"# The promotion pipeline of this GitOps repository (csf-tui, DESIGN §6).\n"
	"# Stages in order; each lists the gates a promotion into it must pass.\n"
	"#   lintClean: true              the module's blueprint lints without errors for the target\n"
	"#   requireTests: PATH           a test report (JUnit XML or JSON) that must exist and pass;\n"
	"#                                {module} {tenant} {env} are replaced\n"
	"#   requireApproval: true|[names] a named approval with a reason\n"
	"#   freeze: [{from, to, reason}] or [{cron: \"m h dom mon dow\", reason}] (UTC)\n"
	"apiVersion: csf/v1\n"
	"kind: Pipeline\n"
	"stages:\n"
	"  - name: dev\n"
	"    gates:\n"
	"      lintClean: true\n"
	"  - name: staging\n"
	"    gates:\n"
	"      lintClean: true\n"
	"  - name: production\n"
	"    gates:\n"
	"      lintClean: true\n"
	"      requireApproval: true\n"
	"freeze: []\n";

const char *
csf_pipeline_default_text(void)
{
	return default_pipeline;
}

static enum csf_status
pfail(struct csf_error *err, const char *name, const struct csf_node *n, const char *msg)
{
	return csf_fail(err, CSF_E_PARSE, name, n ? n->loc : NOLOC, "%s", msg);
}

static enum csf_status
parse_freezes(const char *name, const struct csf_node *seq, struct csf_freeze **out, size_t *nout,
	      struct csf_error *err)
{
	size_t i, alloc = 0;

	if (!seq || csf_node_is_null(seq))
		return CSF_E_OK;
	if (!csf_node_is_seq(seq))
		return pfail(err, name, seq, "freeze: expected a list of windows");
	for (i = 0; i < seq->n; i++) {
		const struct csf_node *w = seq->kids[i];
		const char *from = csf_node_str(csf_node_get(w, "from"));
		const char *to = csf_node_str(csf_node_get(w, "to"));
		const char *cron = csf_node_str(csf_node_get(w, "cron"));
		const char *reason = csf_node_str(csf_node_get(w, "reason"));
		struct csf_freeze fz;
		char why[96];

		if (!csf_node_is_map(w))
			return pfail(err, name, w, "freeze window: expected a mapping");
		memset(&fz, 0, sizeof(fz));
		if (cron) {
			if (!csf_cron_valid(cron, why, sizeof(why)))
				return csf_fail(err, CSF_E_PARSE, name, csf_node_get(w, "cron")->loc,
						"freeze cron '%s': %s", cron, why);
		} else {
			if (!from || !to)
				return pfail(err, name, w, "freeze window: needs `from` and `to` (UTC) or `cron`");
			if (!csf_parse_utc(from, &fz.from))
				return pfail(err, name, csf_node_get(w, "from"),
					     "freeze from: expected a UTC time like 2026-12-20T00:00:00Z");
			if (!csf_parse_utc(to, &fz.to))
				return pfail(err, name, csf_node_get(w, "to"),
					     "freeze to: expected a UTC time like 2027-01-02T00:00:00Z");
			if (fz.to <= fz.from)
				return pfail(err, name, w, "freeze window: `to` must be after `from`");
		}
		fz.cron = cron ? csf_xstrdup(cron) : NULL;
		fz.reason = csf_xstrdup(reason ? reason : "freeze window");
		CSF_GROW(*out, alloc, *nout + 1);
		(*out)[(*nout)++] = fz;
	}
	return CSF_E_OK;
}

static enum csf_status
parse_gates(const char *name, const struct csf_node *g, struct csf_stage_gates *gt,
	    struct csf_error *err)
{
	const struct csf_node *n;
	bool b;
	size_t i;

	if (!g || csf_node_is_null(g))
		return CSF_E_OK;
	if (!csf_node_is_map(g))
		return pfail(err, name, g, "gates: expected a mapping");
	for (i = 0; i < g->n; i++) {
		const char *k = csf_node_str(g->kids[2 * i]);

		if (k && strcmp(k, "lintClean") && strcmp(k, "requireTests") &&
		    strcmp(k, "testReport") && strcmp(k, "requireApproval"))
			return csf_fail(err, CSF_E_PARSE, name, g->kids[2 * i]->loc,
					"gates: unknown key '%s' (lintClean, requireTests, testReport, "
					"requireApproval)", k);
	}
	if ((n = csf_node_get(g, "lintClean"))) {
		if (!csf_node_bool(n, &b))
			return pfail(err, name, n, "lintClean: expected true or false");
		gt->lint_clean = b;
	}
	if ((n = csf_node_get(g, "requireTests"))) {
		if (csf_node_bool(n, &b)) {
			gt->require_tests = b;
		} else if (csf_node_text(n)) {
			gt->require_tests = true;
			gt->test_report = csf_xstrdup(csf_node_text(n));
		} else if (csf_node_is_map(n) && csf_node_text(csf_node_get(n, "report"))) {
			gt->require_tests = true;
			gt->test_report = csf_xstrdup(csf_node_text(csf_node_get(n, "report")));
		} else {
			return pfail(err, name, n, "requireTests: expected true, false, a report path or "
						   "{report: PATH}");
		}
	}
	if ((n = csf_node_get(g, "testReport"))) {
		if (!csf_node_text(n))
			return pfail(err, name, n, "testReport: expected a path");
		free(gt->test_report);
		gt->test_report = csf_xstrdup(csf_node_text(n));
	}
	if ((n = csf_node_get(g, "requireApproval"))) {
		if (csf_node_bool(n, &b)) {
			gt->require_approval = b;
		} else if (csf_node_is_seq(n)) {
			gt->require_approval = true;
			gt->approvers = csf_xcalloc(n->n ? n->n : 1, sizeof(char *));
			for (i = 0; i < n->n; i++) {
				const char *s = csf_node_str(n->kids[i]);

				if (!s || !*s)
					return pfail(err, name, n->kids[i], "requireApproval: expected names");
				gt->approvers[gt->napprovers++] = csf_xstrdup(s);
			}
		} else {
			return pfail(err, name, n, "requireApproval: expected true, false or a list of names");
		}
	}
	return CSF_E_OK;
}

enum csf_status
csf_pipeline_parse(const char *name, const char *text, size_t len, struct csf_pipeline *p,
		   struct csf_error *err)
{
	struct csf_yaml_doc *doc = NULL;
	const struct csf_node *root, *stages;
	enum csf_status st;
	size_t i, j;

	memset(p, 0, sizeof(*p));
	if ((st = csf_yaml_load_mem(name, text, len, NULL, &doc, err)))
		return st;
	root = doc->root;
	st = CSF_E_OK;
	if (!csf_node_is_map(root)) {
		st = pfail(err, name, root, "pipeline: expected a mapping with `stages`");
		goto out;
	}
	if (csf_node_text(csf_node_get(root, "kind")) &&
	    strcmp(csf_node_text(csf_node_get(root, "kind")), "Pipeline")) {
		st = pfail(err, name, csf_node_get(root, "kind"), "pipeline: kind must be Pipeline");
		goto out;
	}
	if (csf_node_text(csf_node_get(root, "branch")))
		p->branch = csf_xstrdup(csf_node_text(csf_node_get(root, "branch")));
	stages = csf_node_get(root, "stages");
	if (!csf_node_is_seq(stages) || !stages->n) {
		st = pfail(err, name, stages ? stages : root, "pipeline: `stages` must list at least one stage");
		goto out;
	}
	p->stages = csf_xcalloc(stages->n, sizeof(*p->stages));
	for (i = 0; i < stages->n; i++) {
		const struct csf_node *s = stages->kids[i];
		const char *sname = csf_node_is_map(s) ? csf_node_text(csf_node_get(s, "name"))
						       : csf_node_text(s);
		struct csf_stage *stage = &p->stages[p->nstages];

		if (!sname || !csf_safe_component(sname)) {
			st = pfail(err, name, s, "stage: needs a `name` usable as a folder name");
			goto out;
		}
		for (j = 0; j < p->nstages; j++)
			if (!strcmp(p->stages[j].name, csf_env_canonical(sname))) {
				st = pfail(err, name, s, "stage: listed twice");
				goto out;
			}
		stage->name = csf_xstrdup(csf_env_canonical(sname));
		p->nstages++;
		if (csf_node_is_map(s)) {
			if ((st = parse_gates(name, csf_node_get(s, "gates"), &stage->gates, err)))
				goto out;
			if ((st = parse_freezes(name, csf_node_get(s, "freeze"), &stage->freezes,
						&stage->nfreezes, err)))
				goto out;
		}
	}
	st = parse_freezes(name, csf_node_get(root, "freeze"), &p->freezes, &p->nfreezes, err);
out:
	csf_yaml_doc_free(doc);
	if (st)
		csf_pipeline_release(p);
	return st;
}

static void
freezes_free(struct csf_freeze *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(f[i].reason);
		free(f[i].cron);
	}
	free(f);
}

void
csf_pipeline_release(struct csf_pipeline *p)
{
	size_t i, j;

	for (i = 0; i < p->nstages; i++) {
		struct csf_stage *s = &p->stages[i];

		free(s->name);
		free(s->gates.test_report);
		for (j = 0; j < s->gates.napprovers; j++)
			free(s->gates.approvers[j]);
		free(s->gates.approvers);
		freezes_free(s->freezes, s->nfreezes);
	}
	free(p->stages);
	freezes_free(p->freezes, p->nfreezes);
	free(p->branch);
	memset(p, 0, sizeof(*p));
}

const struct csf_stage *
csf_pipeline_stage(const struct csf_pipeline *p, const char *name, size_t *index)
{
	size_t i;

	if (!name)
		return NULL;
	name = csf_env_canonical(name);
	for (i = 0; i < p->nstages; i++)
		if (!strcmp(p->stages[i].name, name)) {
			if (index)
				*index = i;
			return &p->stages[i];
		}
	return NULL;
}

static bool
freeze_active(const struct csf_freeze *f, time_t now)
{
	if (f->cron)
		return csf_cron_match(f->cron, now);
	return now >= f->from && now < f->to;
}

const struct csf_freeze *
csf_pipeline_frozen(const struct csf_pipeline *p, const struct csf_stage *st, time_t now)
{
	size_t i;

	for (i = 0; st && i < st->nfreezes; i++)
		if (freeze_active(&st->freezes[i], now))
			return &st->freezes[i];
	for (i = 0; i < p->nfreezes; i++)
		if (freeze_active(&p->freezes[i], now))
			return &p->freezes[i];
	return NULL;
}

/* ---- test points ------------------------------------------------------------------------------ */

static const char *const crash_points[] = {
	"diff-computed",	/* release: diff and gates done, nothing written yet */
	"blobs-half",		/* half of the new blobs written */
	"trees-written",	/* every blob and tree written */
	"commit-written",	/* the commit object written, branch not moved */
	"marker-written",	/* non-bare: checkout marker written, branch not moved */
	"ref-moved",		/* the branch moved; working tree not updated yet */
	"checkout-half",	/* non-bare: working tree half updated */
	"checkout-done",	/* working tree updated, marker not removed yet */
	NULL,
};

const char *const *
csf_gitops_crash_points(void)
{
	return crash_points;
}

void
csf_gitops_test_point(const char *point)
{
	const char *c = getenv("CSF_TEST_CRASH_AT");
	const char *b = getenv("CSF_TEST_BARRIER_AT");
	const char *file = getenv("CSF_TEST_BARRIER");

	if (c && !strcmp(c, point))
		_exit(137);
	if (b && file && !strcmp(b, point)) {
		char mine[512];
		FILE *f;
		int i;

		snprintf(mine, sizeof(mine), "%s.%ld", file, (long)getpid());
		if ((f = fopen(mine, "w")))
			fclose(f);
		for (i = 0; i < 6000 && access(file, F_OK); i++)
			usleep(10000);
	}
}

/* ---- the repository --------------------------------------------------------------------------- */

static enum csf_status
gfail(struct csf_error *err, enum csf_status code, const char *what)
{
	const git_error *e = git_error_last();

	return csf_fail(err, code, NULL, NOLOC, "%s: %s", what, e && e->message ? e->message : "libgit2 error");
}

static void
marker_path(struct csf_gitops *g, struct csf_buf *b)
{
	csf_buf_reset(b);
	csf_buf_addstr(b, git_repository_path(g->repo));
	if (b->len && b->buf[b->len - 1] != '/')
		csf_buf_addch(b, '/');
	csf_buf_addstr(b, MARKER);
}

static void
read_head(struct csf_gitops *g)
{
	git_reference *head = NULL;

	free(g->branch);
	free(g->detached_at);
	g->branch = g->detached_at = NULL;
	if (git_reference_lookup(&head, g->repo, "HEAD"))
		return;
	if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *t = git_reference_symbolic_target(head);

		if (!strncmp(t, "refs/heads/", 11))
			g->branch = csf_xstrdup(t + 11);
	} else {
		char hex[CSF_OID_HEX];

		git_oid_tostr(hex, sizeof(hex), git_reference_target(head));
		hex[12] = '\0';
		g->detached_at = csf_xstrdup(hex);
	}
	git_reference_free(head);
}

/* True when HEAD is a symbolic ref to our branch (the working tree follows it). */
static bool
head_on_branch(struct csf_gitops *g)
{
	git_reference *head = NULL;
	bool on = false;

	if (g->bare || !g->branch || git_reference_lookup(&head, g->repo, "HEAD"))
		return false;
	if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *t = git_reference_symbolic_target(head);

		on = !strncmp(t, "refs/heads/", 11) && !strcmp(t + 11, g->branch);
	}
	git_reference_free(head);
	return on;
}

static void
checkout_progress(const char *path, size_t done, size_t total, void *payload)
{
	(void)path;
	(void)payload;
	if (total > 1 && done == total / 2)
		csf_gitops_test_point("checkout-half");
}

/* Updates the working tree and index from the tree of `from` (baseline) to that of `to`,
 * only under paths[0..npaths) when npaths > 0, so a promotion never walks the whole tree. */
static int
checkout_to(struct csf_gitops *g, const git_oid *to, const git_oid *from, bool force,
	    const char **paths, size_t npaths)
{
	git_commit *c = NULL, *fc = NULL;
	git_tree *ft = NULL;
	git_checkout_options co;
	int rc;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	if (npaths) {
		co.paths.strings = (char **)(uintptr_t)paths;
		co.paths.count = npaths;
	}

	if ((rc = git_commit_lookup(&c, g->repo, to)))
		return rc;
	co.checkout_strategy = force ? GIT_CHECKOUT_FORCE : GIT_CHECKOUT_SAFE;
	co.progress_cb = checkout_progress;
	if (from && !git_oid_is_zero(from) && !git_commit_lookup(&fc, g->repo, from) &&
	    !git_commit_tree(&ft, fc))
		co.baseline = ft;
	rc = git_checkout_tree(g->repo, (const git_object *)c, &co);
	git_tree_free(ft);
	git_commit_free(fc);
	git_commit_free(c);
	return rc;
}

/* A crash between moving the branch and updating the working tree leaves the marker behind:
 * finish that checkout (the tree was clean when the commit started), or drop a stale marker. */
static void
recover_checkout(struct csf_gitops *g)
{
	struct csf_buf path = CSF_BUF_INIT, text = CSF_BUF_INIT;
	git_oid old, new, tip;
	char refname[300];

	marker_path(g, &path);
	if (csf_buf_read_file(&text, path.buf, 4096) < 0 || !g->branch)
		goto out;
	snprintf(refname, sizeof(refname), "refs/heads/%s", g->branch);
	if (text.len >= 81 && !git_oid_fromstrn(&old, text.buf, 40) &&
	    !git_oid_fromstrn(&new, text.buf + 41, 40) &&
	    !git_reference_name_to_id(&tip, g->repo, refname) && git_oid_equal(&tip, &new) &&
	    head_on_branch(g)) {
		if (checkout_to(g, &new, &old, true, NULL, 0))
			goto out;	/* keep the marker: the next writer tries again */
	}
	unlink(path.buf);
out:
	csf_buf_release(&path);
	csf_buf_release(&text);
}

enum csf_status
csf_gitops_open(const char *path, unsigned flags, struct csf_gitops **out, struct csf_error *err)
{
	struct csf_gitops *g;
	git_repository *repo = NULL;
	bool created = false;
	int rc;

	*out = NULL;
	git_libgit2_init();
	/* Trees are built only from objects this process just wrote: skip libgit2's per-entry
	 * existence check (an object lookup per file). */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
	rc = git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc == GIT_ENOTFOUND && (flags & CSF_GITOPS_CREATE)) {
		git_repository_init_options io;
		enum csf_status st;

		git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);

		if ((st = csf_mkdirs(path, err))) {
			git_libgit2_shutdown();
			return st;
		}
		io.flags = GIT_REPOSITORY_INIT_MKPATH;
		io.initial_head = "main";
		rc = git_repository_init_ext(&repo, path, &io);
		created = rc == 0;
	}
	if (rc) {
		enum csf_status st = rc == GIT_ENOTFOUND
			? csf_fail(err, CSF_E_NOTFOUND, path, NOLOC,
				   "no git repository here (the first `release new` creates it)")
			: gfail(err, CSF_E_GIT, path);

		git_libgit2_shutdown();
		return st;
	}
	g = csf_xcalloc(1, sizeof(*g));
	g->repo = repo;
	g->path = csf_xstrdup(path);
	g->bare = git_repository_is_bare(repo);
	g->created = created;
	read_head(g);
	if ((flags & CSF_GITOPS_WRITE) && !g->bare)
		recover_checkout(g);
	*out = g;
	return CSF_E_OK;
}

void
csf_gitops_free(struct csf_gitops *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g->path);
	free(g->branch);
	free(g->detached_at);
	free(g);
	git_libgit2_shutdown();
}

const char *
csf_gitops_path(const struct csf_gitops *g)
{
	return g->path;
}

const char *
csf_gitops_branch(const struct csf_gitops *g)
{
	return g->branch ? g->branch : "";
}

bool
csf_gitops_bare(const struct csf_gitops *g)
{
	return g->bare;
}

bool
csf_gitops_created(const struct csf_gitops *g)
{
	return g->created;
}

void
csf_gitops_set_branch(struct csf_gitops *g, const char *branch)
{
	free(g->branch);
	g->branch = csf_xstrdup(branch);
}

/* New objects are collected in memory (libgit2's mempack backend, highest priority for
 * writes) and written as one pack file (through the odb's pack writer, which also writes its
 * index) before the branch moves: one file instead of a loose file per object. */
static enum csf_status
mempack_begin(struct csf_gitops *g, struct csf_error *err)
{
	git_odb *odb = NULL;
	int rc;

	if (g->mempack)
		return CSF_E_OK;
	if (git_repository_odb(&odb, g->repo) || git_mempack_new(&g->mempack))
		return gfail(err, CSF_E_GIT, "object database");
	rc = git_odb_add_backend(odb, g->mempack, 1000);
	git_odb_free(odb);
	if (rc) {
		g->mempack = NULL;
		return gfail(err, CSF_E_GIT, "object database");
	}
	return CSF_E_OK;
}

static enum csf_status
mempack_flush(struct csf_gitops *g, struct csf_error *err)
{
	git_buf pack = GIT_BUF_INIT;
	git_odb *odb = NULL;
	git_odb_writepack *wp = NULL;
	git_indexer_progress stats;
	enum csf_status st = CSF_E_OK;

	memset(&stats, 0, sizeof(stats));
	if (git_mempack_dump(&pack, g->repo, g->mempack) || git_repository_odb(&odb, g->repo) ||
	    git_odb_write_pack(&wp, odb, NULL, NULL) || wp->append(wp, pack.ptr, pack.size, &stats) ||
	    wp->commit(wp, &stats))
		st = gfail(err, CSF_E_GIT, "writing the pack");
	if (wp)
		wp->free(wp);
	git_odb_free(odb);
	git_buf_dispose(&pack);
	git_mempack_reset(g->mempack);
	return st;
}

static enum csf_status
tip_oid(struct csf_gitops *g, git_oid *oid, bool *unborn, struct csf_error *err)
{
	char refname[300];
	int rc;

	*unborn = false;
	if (!g->branch)
		return csf_fail(err, CSF_E_GIT, g->path, NOLOC,
				"HEAD is detached at %s: check out a branch (or set `branch:` in "
				"pipeline.yaml)", g->detached_at ? g->detached_at : "?");
	snprintf(refname, sizeof(refname), "refs/heads/%s", g->branch);
	rc = git_reference_name_to_id(oid, g->repo, refname);
	if (rc == GIT_ENOTFOUND) {
		*unborn = true;
		return CSF_E_OK;
	}
	if (rc)
		return gfail(err, CSF_E_GIT, refname);
	return CSF_E_OK;
}

enum csf_status
csf_gitops_tip(struct csf_gitops *g, char out[CSF_OID_HEX], struct csf_error *err)
{
	git_oid oid;
	bool unborn;
	enum csf_status st;

	out[0] = '\0';
	if ((st = tip_oid(g, &oid, &unborn, err)))
		return st;
	if (!unborn)
		git_oid_tostr(out, CSF_OID_HEX, &oid);
	return CSF_E_OK;
}

enum csf_status
csf_gitops_check_writable(struct csf_gitops *g, struct csf_error *err)
{
	git_status_options so;
	git_status_list *list = NULL;
	struct csf_buf paths = CSF_BUF_INIT, mp = CSF_BUF_INIT;
	size_t i, n, dirty = 0;
	enum csf_status st = CSF_E_OK;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);

	if (g->detached_at)
		return csf_fail(err, CSF_E_GIT, g->path, NOLOC,
				"HEAD is detached at %s: refusing to write; check out a branch first",
				g->detached_at);
	if (!g->branch)
		return csf_fail(err, CSF_E_GIT, g->path, NOLOC, "HEAD does not name a branch");
	if (g->bare || !head_on_branch(g))
		return CSF_E_OK;
	marker_path(g, &mp);
	if (csf_is_file(mp.buf)) {
		csf_buf_release(&mp);
		return csf_fail(err, CSF_E_GIT, g->path, NOLOC,
				"an interrupted promotion left the working tree behind its branch; "
				"run once without --readonly to finish it");
	}
	csf_buf_release(&mp);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, g->repo, &so))
		return gfail(err, CSF_E_GIT, "git status");
	n = git_status_list_entrycount(list);
	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const char *p;

		if (e->status == GIT_STATUS_CURRENT || (e->status & GIT_STATUS_IGNORED))
			continue;
		p = e->index_to_workdir ? e->index_to_workdir->new_file.path
			: e->head_to_index ? e->head_to_index->new_file.path : "?";
		if (dirty++ < 3)
			csf_buf_addf(&paths, "%s%s", paths.len ? ", " : "", p);
	}
	git_status_list_free(list);
	if (dirty)
		st = csf_fail(err, CSF_E_GIT, g->path, NOLOC,
			      "working tree has %zu uncommitted change%s (%s%s): commit or remove them "
			      "first; nothing was written", dirty, dirty == 1 ? "" : "s", paths.buf,
			      dirty > 3 ? ", …" : "");
	csf_buf_release(&paths);
	return st;
}

enum csf_status
csf_gitops_resolve(struct csf_gitops *g, const char *rev, char out[CSF_OID_HEX],
		   struct csf_error *err)
{
	git_object *o = NULL;
	git_commit *c = NULL;

	out[0] = '\0';
	if (git_revparse_single(&o, g->repo, rev))
		return csf_fail(err, CSF_E_NOTFOUND, NULL, NOLOC, "unknown revision '%s'", rev);
	if (git_object_peel((git_object **)&c, o, GIT_OBJECT_COMMIT)) {
		git_object_free(o);
		return csf_fail(err, CSF_E_NOTFOUND, NULL, NOLOC, "'%s' is not a commit", rev);
	}
	git_oid_tostr(out, CSF_OID_HEX, git_commit_id(c));
	git_commit_free(c);
	git_object_free(o);
	return CSF_E_OK;
}

static enum csf_status
commit_tree(struct csf_gitops *g, const char *rev, git_tree **tree, struct csf_error *err)
{
	git_oid oid;
	git_commit *c = NULL;

	*tree = NULL;
	if (!rev || !*rev)
		return CSF_E_NOTFOUND;
	if (git_oid_fromstr(&oid, rev) || git_commit_lookup(&c, g->repo, &oid))
		return csf_fail(err, CSF_E_NOTFOUND, NULL, NOLOC, "no commit %s", rev);
	if (git_commit_tree(tree, c)) {
		git_commit_free(c);
		return gfail(err, CSF_E_GIT, "reading tree");
	}
	git_commit_free(c);
	return CSF_E_OK;
}

enum csf_status
csf_gitops_read(struct csf_gitops *g, const char *rev, const char *path, struct csf_buf *out,
		struct csf_error *err)
{
	git_tree *tree;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	enum csf_status st;

	if ((st = commit_tree(g, rev, &tree, err)))
		return st == CSF_E_NOTFOUND ? csf_fail(err, st, path, NOLOC, "not in the repository") : st;
	if (git_tree_entry_bypath(&e, tree, path) || git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		st = csf_fail(err, CSF_E_NOTFOUND, path, NOLOC, "not in the repository");
	} else if (git_blob_lookup(&blob, g->repo, git_tree_entry_id(e))) {
		st = gfail(err, CSF_E_GIT, path);
	} else {
		csf_buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(tree);
	return st;
}

struct walk_ctx {
	git_repository *repo;
	struct csf_fileset *out;
	int rc;
};

static int
walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk_ctx *w = payload;
	git_blob *blob = NULL;
	struct csf_buf p = CSF_BUF_INIT;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	if ((w->rc = git_blob_lookup(&blob, w->repo, git_tree_entry_id(e))))
		return -1;
	csf_buf_addstr(&p, root);
	csf_buf_addstr(&p, git_tree_entry_name(e));
	csf_fileset_add(w->out, p.buf, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
			git_tree_entry_filemode(e) == GIT_FILEMODE_BLOB_EXECUTABLE);
	csf_buf_release(&p);
	git_blob_free(blob);
	return 0;
}

enum csf_status
csf_gitops_read_dir(struct csf_gitops *g, const char *rev, const char *dir,
		    struct csf_fileset *out, struct csf_error *err)
{
	git_tree *tree, *sub = NULL;
	git_tree_entry *e = NULL;
	enum csf_status st;
	struct walk_ctx w = { g->repo, out, 0 };

	if ((st = commit_tree(g, rev, &tree, err)))
		return st == CSF_E_NOTFOUND ? CSF_E_OK : st;
	if (git_tree_entry_bypath(&e, tree, dir) || git_tree_entry_type(e) != GIT_OBJECT_TREE)
		goto done;
	if (git_tree_lookup(&sub, g->repo, git_tree_entry_id(e)) ||
	    git_tree_walk(sub, GIT_TREEWALK_PRE, walk_cb, &w) < 0)
		st = gfail(err, CSF_E_GIT, dir);
	csf_fileset_sort(out);
done:
	git_tree_free(sub);
	git_tree_entry_free(e);
	git_tree_free(tree);
	return st;
}

enum csf_status
csf_gitops_tree_id(struct csf_gitops *g, const char *rev, const char *path,
		   char out[CSF_OID_HEX], struct csf_error *err)
{
	git_tree *tree;
	git_tree_entry *e = NULL;
	enum csf_status st;

	out[0] = '\0';
	if ((st = commit_tree(g, rev, &tree, err)))
		return st == CSF_E_NOTFOUND ? CSF_E_OK : st;
	if (!git_tree_entry_bypath(&e, tree, path))
		git_oid_tostr(out, CSF_OID_HEX, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(tree);
	return CSF_E_OK;
}

static int update_worktree(struct csf_gitops *g, git_tree *base, git_tree *tree,
			   const struct csf_gitops_write *writes, size_t nwrites);

/* ---- writing trees ---------------------------------------------------------------------------- */

struct build_ctx {
	git_repository *repo;
	size_t written, half;	/* blobs, for the blobs-half crash point */
};

/* Writes the tree of files[lo, hi), whose paths all start with a prefix of length off. */
static int
build_tree(struct build_ctx *b, const struct csf_fileset *s, size_t lo, size_t hi, size_t off,
	   git_oid *out)
{
	git_treebuilder *tb = NULL;
	size_t i = lo;
	int rc;

	if ((rc = git_treebuilder_new(&tb, b->repo, NULL)))
		return rc;
	while (i < hi) {
		const char *rel = s->v[i].path + off;
		const char *slash = strchr(rel, '/');
		git_oid oid;

		if (!slash) {
			rc = git_blob_create_from_buffer(&oid, b->repo, s->v[i].data, s->v[i].len);
			if (!rc)
				rc = git_treebuilder_insert(NULL, tb, rel, &oid,
							    s->v[i].exec ? GIT_FILEMODE_BLOB_EXECUTABLE
									 : GIT_FILEMODE_BLOB);
			if (++b->written == b->half)
				csf_gitops_test_point("blobs-half");
			i++;
		} else {
			size_t nl = (size_t)(slash - rel) + 1, j = i;
			char *name = csf_xstrndup(rel, nl - 1);

			while (j < hi && !strncmp(s->v[j].path + off, rel, nl))
				j++;
			rc = build_tree(b, s, i, j, off + nl, &oid);
			if (!rc)
				rc = git_treebuilder_insert(NULL, tb, name, &oid, GIT_FILEMODE_TREE);
			free(name);
			i = j;
		}
		if (rc)
			break;
	}
	if (!rc)
		rc = git_treebuilder_write(out, tb);
	git_treebuilder_free(tb);
	return rc;
}

/* Replaces path under base (NULL: empty) by oid (NULL: removes it); writes the new tree to out.
 * *empty tells the caller to drop this tree from its parent. */
static int
update_path(git_repository *repo, const git_tree *base, const char *path, const git_oid *oid,
	    git_filemode_t mode, git_oid *out, bool *empty)
{
	git_treebuilder *tb = NULL;
	const char *slash = strchr(path, '/');
	int rc;

	if ((rc = git_treebuilder_new(&tb, repo, base)))
		return rc;
	if (!slash) {
		if (oid)
			rc = git_treebuilder_insert(NULL, tb, path, oid, mode);
		else if (git_treebuilder_get(tb, path))
			rc = git_treebuilder_remove(tb, path);
	} else {
		char *name = csf_xstrndup(path, (size_t)(slash - path));
		const git_tree_entry *e = base ? git_tree_entry_byname(base, name) : NULL;
		git_tree *child = NULL;
		git_oid coid;
		bool cempty = false;

		if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE)
			rc = git_tree_lookup(&child, repo, git_tree_entry_id(e));
		if (!rc && (child || oid))
			rc = update_path(repo, child, slash + 1, oid, mode, &coid, &cempty);
		if (!rc) {
			if (child && cempty)
				rc = git_treebuilder_remove(tb, name);
			else if (!cempty && (child || oid))
				rc = git_treebuilder_insert(NULL, tb, name, &coid, GIT_FILEMODE_TREE);
		}
		git_tree_free(child);
		free(name);
	}
	*empty = !rc && git_treebuilder_entrycount(tb) == 0;
	if (!rc)
		rc = git_treebuilder_write(out, tb);
	git_treebuilder_free(tb);
	return rc;
}

static void
env_or(const char *a, const char *b, const char **out)
{
	const char *v = getenv(a);

	if (v && *v)
		*out = v;
	else if (b && (v = getenv(b)) && *v)
		*out = v;
}

static int
make_sigs(struct csf_gitops *g, const struct csf_gitops_sig *sig, git_signature **author,
	  git_signature **committer)
{
	const char *an = NULL, *ae = NULL, *cn = NULL, *ce = NULL;
	git_signature *def = NULL;
	time_t when = sig && sig->when ? sig->when : time(NULL);
	int rc;

	if (sig) {
		an = sig->name;
		ae = sig->email;
	}
	if (!an)
		env_or("GIT_AUTHOR_NAME", NULL, &an);
	if (!ae)
		env_or("GIT_AUTHOR_EMAIL", NULL, &ae);
	if ((!an || !ae) && !git_signature_default(&def, g->repo)) {
		if (!an)
			an = def->name;
		if (!ae)
			ae = def->email;
	}
	if (!an)
		an = "csf-tui";
	if (!ae)
		ae = "csf-tui@localhost";
	cn = an;
	ce = ae;
	env_or("GIT_COMMITTER_NAME", NULL, &cn);
	env_or("GIT_COMMITTER_EMAIL", NULL, &ce);
	rc = git_signature_new(author, an, ae, (git_time_t)when, 0);
	if (!rc)
		rc = git_signature_new(committer, cn, ce, (git_time_t)when, 0);
	git_signature_free(def);
	return rc;
}

static bool
same_oid(const git_oid *a, const git_oid *b)
{
	return git_oid_equal(a, b);
}

enum csf_status
csf_gitops_commit(struct csf_gitops *g, const char *base, const struct csf_gitops_write *writes,
		  size_t nwrites, const char *message, const struct csf_gitops_sig *sig,
		  char out[CSF_OID_HEX], struct csf_error *err)
{
	git_oid base_oid, tip, root_oid, commit_oid;
	git_commit *base_commit = NULL;
	const git_commit *parents[1];
	git_tree *root = NULL, *tmp = NULL;
	git_signature *author = NULL, *committer = NULL;
	git_reference *ref = NULL;
	struct build_ctx b = { g->repo, 0, 0 };
	struct csf_buf mpath = CSF_BUF_INIT, mtext = CSF_BUF_INIT;
	char refname[300], hex[CSF_OID_HEX], reflog[512];
	bool unborn, worktree;
	enum csf_status st;
	size_t i;
	int rc = 0;

	out[0] = '\0';
	if ((st = csf_gitops_check_writable(g, err)))
		return st;
	if ((st = tip_oid(g, &tip, &unborn, err)))
		return st;
	snprintf(refname, sizeof(refname), "refs/heads/%s", g->branch);
	if (base && *base) {
		if (git_oid_fromstr(&base_oid, base))
			return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "bad base commit '%s'", base);
		if (unborn || !same_oid(&tip, &base_oid))
			goto conflict;
		if (git_commit_lookup(&base_commit, g->repo, &base_oid) ||
		    git_commit_tree(&root, base_commit)) {
			st = gfail(err, CSF_E_GIT, "reading the base commit");
			goto out;
		}
	} else if (!unborn) {
		goto conflict;
	}
	if ((st = mempack_begin(g, err)))
		goto out;
	for (i = 0; i < nwrites; i++)
		if (writes[i].files && !writes[i].single)
			b.half += writes[i].files->n;
	b.half = b.half / 2 + (b.half ? 1 : 0);
	for (i = 0; i < nwrites && !rc; i++) {
		const struct csf_gitops_write *w = &writes[i];
		git_oid sub, *subp = NULL;
		git_filemode_t mode = GIT_FILEMODE_TREE;
		bool empty;

		if (!csf_safe_relpath(w->path)) {
			st = csf_fail(err, CSF_E_USAGE, w->path, NOLOC, "unsafe path in the GitOps repository");
			goto out;
		}
		if (w->single && w->files && w->files->n) {
			rc = git_blob_create_from_buffer(&sub, g->repo, w->files->v[0].data,
							 w->files->v[0].len);
			mode = w->files->v[0].exec ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
			subp = &sub;
		} else if (w->files && w->files->n) {
			size_t j;

			for (j = 0; j < w->files->n; j++)
				if (!csf_safe_relpath(w->files->v[j].path) ||
				    (j && !strcmp(w->files->v[j].path, w->files->v[j - 1].path))) {
					st = csf_fail(err, CSF_E_USAGE, w->files->v[j].path, NOLOC,
						      "unsafe or repeated artifact path (file sets must "
						      "be sorted and unique)");
					goto out;
				}
			rc = build_tree(&b, w->files, 0, w->files->n, 0, &sub);
			subp = &sub;
		}
		if (!rc)
			rc = update_path(g->repo, root, w->path, subp, mode, &root_oid, &empty);
		if (!rc) {
			git_tree_free(root);
			root = NULL;
			rc = git_tree_lookup(&root, g->repo, &root_oid);
		}
	}
	if (!rc && !nwrites) {
		git_treebuilder *tb = NULL;

		rc = git_treebuilder_new(&tb, g->repo, root);
		if (!rc)
			rc = git_treebuilder_write(&root_oid, tb);
		git_treebuilder_free(tb);
		git_tree_free(root);
		root = NULL;
		if (!rc)
			rc = git_tree_lookup(&root, g->repo, &root_oid);
	}
	if (rc) {
		st = gfail(err, CSF_E_GIT, "writing trees");
		goto out;
	}
	csf_gitops_test_point("trees-written");
	if (make_sigs(g, sig, &author, &committer)) {
		st = gfail(err, CSF_E_GIT, "commit signature");
		goto out;
	}
	parents[0] = base_commit;
	if (git_commit_create(&commit_oid, g->repo, NULL, author, committer, NULL, message, root,
			      base_commit ? 1 : 0, parents)) {
		st = gfail(err, CSF_E_GIT, "writing the commit");
		goto out;
	}
	/* every new object goes to disk as one pack before the branch can move */
	if ((st = mempack_flush(g, err)))
		goto out;
	csf_gitops_test_point("commit-written");
	worktree = head_on_branch(g);
	if (worktree) {
		char bhex[CSF_OID_HEX] = "0000000000000000000000000000000000000000";

		if (base_commit)
			git_oid_tostr(bhex, sizeof(bhex), &base_oid);
		git_oid_tostr(hex, sizeof(hex), &commit_oid);
		csf_buf_addf(&mtext, "%s %s\n", bhex, hex);
		marker_path(g, &mpath);
		if ((st = csf_write_file_atomic(mpath.buf, mtext.buf, mtext.len, err)))
			goto out;
		csf_gitops_test_point("marker-written");
	}
	{
		const char *first = strchr(message, '\n');

		snprintf(reflog, sizeof(reflog), "csf-tui: %.*s",
			 (int)(first ? (size_t)(first - message) : strlen(message)), message);
	}
	if (base_commit)
		rc = git_reference_create_matching(&ref, g->repo, refname, &commit_oid, 1, &base_oid,
						   reflog);
	else
		rc = git_reference_create(&ref, g->repo, refname, &commit_oid, 0, reflog);
	if (rc == GIT_ELOCKED) {
		if (worktree)
			unlink(mpath.buf);
		st = csf_fail(err, CSF_E_CONFLICT, g->path, NOLOC,
			      "%s is locked (%s.lock exists): another promotion is writing it, or one "
			      "was killed; if no other csf-tui or git process runs, remove the .lock "
			      "file and try again", refname, refname);
		goto out;
	}
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
		if (worktree)
			unlink(mpath.buf);
		goto conflict;
	}
	if (rc) {
		if (worktree)
			unlink(mpath.buf);
		st = gfail(err, CSF_E_GIT, refname);
		goto out;
	}
	csf_gitops_test_point("ref-moved");
	git_oid_tostr(out, CSF_OID_HEX, &commit_oid);
	if (worktree) {
		/* The commit is published; a failed checkout leaves the marker so the next writer
		 * finishes it. */
		git_tree *base_tree = NULL;

		if (base_commit)
			git_commit_tree(&base_tree, base_commit);
		rc = update_worktree(g, base_tree, root, writes, nwrites);
		git_tree_free(base_tree);
		if (!rc) {
			csf_gitops_test_point("checkout-done");
			unlink(mpath.buf);
		}
	}
	st = CSF_E_OK;
	goto out;
conflict:
	{
		git_oid now;
		char nhex[CSF_OID_HEX] = "";

		if (!git_reference_name_to_id(&now, g->repo, refname))
			git_oid_tostr(nhex, sizeof(nhex), &now);
		nhex[12] = '\0';
		st = csf_fail(err, CSF_E_CONFLICT, g->path, NOLOC,
			      "%s moved since the diff was computed (now at %s): someone else "
			      "promoted; refresh and try again", g->branch, *nhex ? nhex : "nothing");
	}
out:
	if (st && g->mempack)
		git_mempack_reset(g->mempack);	/* objects of a commit that was not published */
	git_reference_free(ref);
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_free(tmp);
	git_tree_free(root);
	git_commit_free(base_commit);
	csf_buf_release(&mpath);
	csf_buf_release(&mtext);
	return st;
}

/* ---- the working tree after a commit --------------------------------------------------------- */

struct wt_entry {
	char *path;			/* relative to the repository root */
	git_oid id;
	git_filemode_t mode;
};

struct wt_list {
	struct wt_entry *v;
	size_t n, alloc;
	const char *prefix;		/* the write's path */
};

static int
wt_walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct wt_list *l = payload;
	struct wt_entry *x;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	CSF_GROW(l->v, l->alloc, l->n + 1);
	x = &l->v[l->n++];
	x->path = csf_xmalloc(strlen(l->prefix) + strlen(root) + strlen(git_tree_entry_name(e)) + 2);
	sprintf(x->path, "%s/%s%s", l->prefix, root, git_tree_entry_name(e));
	git_oid_cpy(&x->id, git_tree_entry_id(e));
	x->mode = git_tree_entry_filemode(e);
	return 0;
}

/* Every blob at or under path in tree (NULL: none), sorted by path. */
static int
wt_list(git_repository *repo, git_tree *tree, const char *path, struct wt_list *out)
{
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	int rc = 0;

	out->prefix = path;
	if (!tree || git_tree_entry_bypath(&e, tree, path))
		return 0;
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		CSF_GROW(out->v, out->alloc, out->n + 1);
		out->v[out->n].path = csf_xstrdup(path);
		git_oid_cpy(&out->v[out->n].id, git_tree_entry_id(e));
		out->v[out->n++].mode = git_tree_entry_filemode(e);
	} else if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e));
		if (!rc)
			rc = git_tree_walk(sub, GIT_TREEWALK_PRE, wt_walk_cb, out);
	}
	git_tree_free(sub);
	git_tree_entry_free(e);
	return rc;
}

static void
wt_list_release(struct wt_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
}

static bool
wt_has(const struct wt_list *l, const char *path)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, path))
			return true;
	return false;
}

/* Writes one file of the working tree (plain write, like git checkout: a crash is repaired
 * through the marker) and returns its stat. */
static int
wt_write(const char *full, const char *data, size_t len, bool exec, struct stat *st)
{
	int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, exec ? 0777 : 0666);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (exec)
		fchmod(fd, 0755);
	if (fstat(fd, st) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Brings the working tree and the index from base to tree for the written paths only: files
 * the commit dropped are removed, new and changed files are written, and their index entries
 * carry the blob ids already known and fresh stat data (nothing is hashed again). The tree was
 * clean before the commit (csf_gitops_check_writable), so nothing of the user's is touched. */
static int
update_worktree(struct csf_gitops *g, git_tree *base, git_tree *tree,
		const struct csf_gitops_write *writes, size_t nwrites)
{
	const char *wd = git_repository_workdir(g->repo);
	git_index *idx = NULL;
	struct csf_buf full = CSF_BUF_INIT, made = CSF_BUF_INIT;
	size_t i, j, total = 0, done = 0;
	int rc;

	if (!wd || (rc = git_repository_index(&idx, g->repo)))
		return -1;
	rc = git_index_read(idx, 0);
	for (i = 0; i < nwrites && !rc; i++)
		if (writes[i].files)
			total += writes[i].files->n;
	for (i = 0; i < nwrites && !rc; i++) {
		const struct csf_gitops_write *w = &writes[i];
		struct wt_list old = { NULL, 0, 0, NULL }, new = { NULL, 0, 0, NULL };

		rc = wt_list(g->repo, base, w->path, &old);
		if (!rc)
			rc = wt_list(g->repo, tree, w->path, &new);
		for (j = 0; !rc && j < old.n; j++) {
			if (wt_has(&new, old.v[j].path))
				continue;
			csf_buf_reset(&full);
			csf_buf_addf(&full, "%s%s", wd, old.v[j].path);
			if (unlink(full.buf) && errno != ENOENT)
				rc = -1;
			/* prune folders left empty, up to the write's own parent */
			while (!rc) {
				char *slash = strrchr(full.buf, '/');

				if (!slash || (size_t)(slash - full.buf) <= strlen(wd))
					break;
				*slash = '\0';
				if (rmdir(full.buf))
					break;
			}
		}
		if (!rc)
			rc = w->single ? (git_index_remove_bypath(idx, w->path), 0)
				       : git_index_remove_directory(idx, w->path, 0);
		for (j = 0; !rc && j < new.n; j++) {
			const char *rel = w->single ? NULL : new.v[j].path + strlen(w->path) + 1;
			const struct csf_gfile *f = w->single ? (w->files && w->files->n ? &w->files->v[0]
								 : NULL)
							      : csf_fileset_find(w->files, rel);
			git_index_entry e;
			struct stat st;
			char *slash;

			if (!f) {
				rc = -1;
				break;
			}
			csf_buf_reset(&full);
			csf_buf_addf(&full, "%s%s", wd, new.v[j].path);
			slash = strrchr(full.buf, '/');
			*slash = '\0';
			if (strcmp(made.buf, full.buf)) {
				if (csf_mkdirs(full.buf, NULL)) {
					rc = -1;
					break;
				}
				csf_buf_reset(&made);
				csf_buf_addstr(&made, full.buf);
			}
			*slash = '/';
			if (wt_write(full.buf, f->data, f->len, new.v[j].mode == GIT_FILEMODE_BLOB_EXECUTABLE,
				     &st)) {
				rc = -1;
				break;
			}
			memset(&e, 0, sizeof(e));
			e.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
			e.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
			e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
			e.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
			e.dev = (uint32_t)st.st_dev;
			e.ino = (uint32_t)st.st_ino;
			e.mode = new.v[j].mode;
			e.uid = st.st_uid;
			e.gid = st.st_gid;
			e.file_size = (uint32_t)st.st_size;
			git_oid_cpy(&e.id, &new.v[j].id);
			e.path = new.v[j].path;
			rc = git_index_add(idx, &e);
			if (++done == total / 2 && total > 1)
				csf_gitops_test_point("checkout-half");
		}
		wt_list_release(&old);
		wt_list_release(&new);
	}
	if (!rc)
		rc = git_index_write(idx);
	git_index_free(idx);
	csf_buf_release(&full);
	csf_buf_release(&made);
	return rc;
}

/* ---- history ---------------------------------------------------------------------------------- */

static bool
path_changed(git_repository *repo, git_commit *c, const char *path)
{
	git_commit *p = NULL;
	git_tree *t = NULL, *pt = NULL;
	git_tree_entry *e = NULL, *pe = NULL;
	bool changed;

	if (git_commit_tree(&t, c))
		return false;
	git_tree_entry_bypath(&e, t, path);
	if (git_commit_parentcount(c) && !git_commit_parent(&p, c, 0) && !git_commit_tree(&pt, p))
		git_tree_entry_bypath(&pe, pt, path);
	(void)repo;
	if (!e || !pe)
		changed = e || pe;
	else
		changed = !git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(pe));
	git_tree_entry_free(e);
	git_tree_entry_free(pe);
	git_tree_free(t);
	git_tree_free(pt);
	git_commit_free(p);
	return changed;
}

enum csf_status
csf_gitops_log(struct csf_gitops *g, const char *rev, const char *path, csf_gitops_log_fn fn,
	       void *ctx, struct csf_error *err)
{
	git_revwalk *w = NULL;
	git_oid oid;
	enum csf_status st = CSF_E_OK;

	if (!rev || !*rev)
		return CSF_E_OK;
	if (git_oid_fromstr(&oid, rev))
		return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "bad commit id '%s'", rev);
	if (git_revwalk_new(&w, g->repo) || git_revwalk_push(w, &oid)) {
		st = gfail(err, CSF_E_GIT, "history");
		goto out;
	}
	git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	git_revwalk_simplify_first_parent(w);
	while (!git_revwalk_next(&oid, w)) {
		git_commit *c = NULL;
		struct csf_gitops_commit_info ci;
		const git_signature *a;
		bool go;

		if (git_commit_lookup(&c, g->repo, &oid)) {
			st = gfail(err, CSF_E_GIT, "history");
			break;
		}
		if (path && *path && !path_changed(g->repo, c, path)) {
			git_commit_free(c);
			continue;
		}
		memset(&ci, 0, sizeof(ci));
		git_oid_tostr(ci.id, sizeof(ci.id), &oid);
		if (git_commit_parentcount(c))
			git_oid_tostr(ci.parent, sizeof(ci.parent), git_commit_parent_id(c, 0));
		a = git_commit_author(c);
		ci.author = a->name;
		ci.email = a->email;
		ci.when = (time_t)a->when.time;
		ci.message = git_commit_message(c);
		go = fn(ctx, &ci);
		git_commit_free(c);
		if (!go)
			break;
	}
out:
	git_revwalk_free(w);
	return st;
}

bool
csf_gitops_trailer(const char *message, const char *key, struct csf_buf *out)
{
	git_message_trailer_array arr = { 0 };
	size_t i;
	bool found = false;

	if (git_message_trailers(&arr, message))
		return false;
	for (i = 0; i < arr.count; i++)
		if (!strcasecmp(arr.trailers[i].key, key)) {
			csf_buf_reset(out);
			csf_buf_addstr(out, arr.trailers[i].value);
			found = true;
		}
	git_message_trailer_array_free(&arr);
	return found;
}
