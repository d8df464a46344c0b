/* The release pipeline of a GitOps repository (core/gitops.h): UTC times, cron expressions,
 * pipeline.yaml (stages, gates, freezes) and the crash points of the tests. */
#include "core/gitops.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/workspace.h"
#include "core/yaml_model.h"

#define NOLOC ((struct csf_loc){ 0, 0 })

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
