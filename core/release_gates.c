/* Release gates: evaluates the gates of a plan (freeze, lint, tests, approval, health, the
 * blueprint's own release gates) into plan->gates (core/release.h: csf_release_plan_gates). */
#include "core/release.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/effective.h"
#include "core/fsutil.h"
#include "core/lint.h"
#include "core/release_int.h"
#include "core/yaml_model.h"

/* ---- gates ------------------------------------------------------------------------------------ */

static void
gate(struct csf_release_plan *p, const char *name, enum csf_gate_state s, char *detail)
{
	struct csf_release_gate *g;

	p->gates = csf_xrealloc_array(p->gates, p->ngates + 1, sizeof(*p->gates));
	g = &p->gates[p->ngates++];
	g->name = csf_xstrdup(name);
	g->state = s;
	g->detail = detail;
	if (s == CSF_GATE_BLOCK)
		p->blocked = true;
}

static char *
expand_template(const char *t, const struct csf_release_plan *p)
{
	struct csf_buf b = CSF_BUF_INIT;

	while (*t) {
		if (!strncmp(t, "{module}", 8)) {
			csf_buf_addstr(&b, p->module);
			t += 8;
		} else if (!strncmp(t, "{tenant}", 8)) {
			csf_buf_addstr(&b, p->tenant);
			t += 8;
		} else if (!strncmp(t, "{env}", 5)) {
			csf_buf_addstr(&b, p->to);
			t += 5;
		} else {
			csf_buf_addch(&b, *t++);
		}
	}
	return csf_buf_detach(&b, NULL);
}

static long
xml_attr_sum(const char *text, const char *elem, const char *attr, bool *seen)
{
	long sum = 0;
	size_t el = strlen(elem), al = strlen(attr);
	const char *p = text;

	while ((p = strstr(p, elem))) {
		const char *end = strchr(p, '>'), *q;

		if (p == text || p[-1] != '<' || (p[el] != ' ' && p[el] != '\t' && p[el] != '\n' &&
						  p[el] != '>')) {
			p += el;
			continue;
		}
		for (q = p + el; end && q < end; q++) {
			if (!strncmp(q, attr, al) && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\n') &&
			    q[al] == '=' && (q[al + 1] == '"' || q[al + 1] == '\'')) {
				sum += strtol(q + al + 2, NULL, 10);
				*seen = true;
				break;
			}
		}
		p += el;
	}
	return sum;
}

/* Reads a test report: JUnit XML (<testsuite(s) tests= failures= errors=>, or <failure>/<error>
 * elements) or JSON ({"failed": N} / {"failures": N} with "passed"/"tests", or
 * {"status": "passed"}). Returns false with why when it cannot tell. */
static bool
test_report_read(const char *text, size_t len, long *tests, long *failed, char *why, size_t n)
{
	const char *p = text;

	while ((size_t)(p - text) < len && isspace((unsigned char)*p))
		p++;
	*tests = *failed = 0;
	if (*p == '{') {
		cJSON *j = cJSON_ParseWithLength(text, len), *v;
		bool ok = false;

		if (!j) {
			snprintf(why, n, "not valid JSON");
			return false;
		}
		if ((v = cJSON_GetObjectItemCaseSensitive(j, "failed")) && cJSON_IsNumber(v)) {
			*failed = (long)v->valuedouble;
			ok = true;
		} else if ((v = cJSON_GetObjectItemCaseSensitive(j, "failures")) && cJSON_IsNumber(v)) {
			*failed = (long)v->valuedouble;
			ok = true;
		}
		if ((v = cJSON_GetObjectItemCaseSensitive(j, "tests")) && cJSON_IsNumber(v))
			*tests = (long)v->valuedouble;
		else if ((v = cJSON_GetObjectItemCaseSensitive(j, "passed")) && cJSON_IsNumber(v))
			*tests = (long)v->valuedouble + *failed;
		if (!ok && (v = cJSON_GetObjectItemCaseSensitive(j, "status")) && cJSON_IsString(v)) {
			ok = true;
			if (strcmp(v->valuestring, "passed") && strcmp(v->valuestring, "pass") &&
			    strcmp(v->valuestring, "success"))
				*failed = 1;
		}
		cJSON_Delete(j);
		if (!ok)
			snprintf(why, n, "JSON report has no \"failed\", \"failures\" or \"status\"");
		return ok;
	}
	if (*p == '<') {
		bool seen = false, tseen = false;
		char *z = csf_xstrndup(text, len);
		long f;

		f = xml_attr_sum(z, "testsuite", "failures", &seen) +
		    xml_attr_sum(z, "testsuite", "errors", &seen);
		*tests = xml_attr_sum(z, "testsuite", "tests", &tseen);
		if (!seen) {
			f = xml_attr_sum(z, "testsuites", "failures", &seen) +
			    xml_attr_sum(z, "testsuites", "errors", &seen);
			*tests = xml_attr_sum(z, "testsuites", "tests", &tseen);
		}
		if (strstr(z, "<failure") || strstr(z, "<error"))
			f = f ? f : 1;
		if (!seen && !tseen && !strstr(z, "<testcase")) {
			free(z);
			snprintf(why, n, "not a JUnit XML report (no <testsuite> or <testcase>)");
			return false;
		}
		free(z);
		*failed = f;
		return true;
	}
	snprintf(why, n, "neither JUnit XML nor JSON");
	return false;
}

static void
gate_tests(struct csf_release_ctx *ctx, struct csf_release_plan *p, const struct csf_stage *st,
	   bool bp_requires)
{
	const char *tmpl = ctx->test_report ? ctx->test_report : st ? st->gates.test_report : NULL;
	char *path, *full;
	struct csf_buf text = CSF_BUF_INIT;
	long tests, failed;
	char why[128];

	if (!(st && st->gates.require_tests) && !bp_requires && !ctx->test_report)
		return;
	if (!tmpl) {
		gate(p, "requireTests", CSF_GATE_BLOCK,
		     csf_release_fmt("%s requires a passing test report, but no report path is set "
			 "(pipeline.yaml gates.testReport, or --test-report FILE)",
			 st && st->gates.require_tests ? "pipeline.yaml" : "the blueprint's release.gates"));
		return;
	}
	path = expand_template(tmpl, p);
	/* --test-report is relative to the current folder, pipeline.yaml's path to the workspace */
	full = path[0] == '/' || ctx->test_report || !ctx->ws || !ctx->ws->root
		? csf_xstrdup(path) : csf_path_join(ctx->ws->root, path);
	if (csf_buf_read_file(&text, full, 64u << 20) < 0)
		gate(p, "requireTests", CSF_GATE_BLOCK, csf_release_fmt("test report %s not found", path));
	else if (!test_report_read(text.buf, text.len, &tests, &failed, why, sizeof(why)))
		gate(p, "requireTests", CSF_GATE_BLOCK, csf_release_fmt("test report %s: %s", path, why));
	else if (failed)
		gate(p, "requireTests", CSF_GATE_BLOCK,
		     csf_release_fmt("test report %s: %ld of %ld tests failed", path, failed, tests));
	else
		gate(p, "requireTests", CSF_GATE_PASS,
		     csf_release_fmt("test report %s: %ld tests passed", path, tests));
	csf_buf_release(&text);
	free(path);
	free(full);
}

static void
gate_lint(struct csf_release_ctx *ctx, struct csf_release_plan *p)
{
	const struct csf_blueprint *bp;
	struct csf_lint_opts o;
	struct csf_lint_result r;
	struct csf_error err = CSF_ERROR_INIT;
	const char *note = "";
	size_t i;

	if (p->kind == CSF_RELEASE_ROLLBACK) {
		const struct csf_release_meta *m = &p->meta;

		for (i = 0; i < m->ngates; i++)
			if (!strcmp(m->gates[i].name, "lintClean")) {
				gate(p, "lintClean", m->gates[i].state == CSF_GATE_BLOCK
					 ? CSF_GATE_BLOCK : CSF_GATE_PASS,
				     csf_release_fmt("%s when %s was released", m->gates[i].state == CSF_GATE_BLOCK
					 ? "failed" : "passed", m->rollback_of ? m->rollback_of : "it"));
				return;
			}
		gate(p, "lintClean", CSF_GATE_PASS,
		     csf_release_fmt("restores %s, which was released without a lint gate",
			 m->rollback_of ? m->rollback_of : "an earlier release"));
		return;
	}
	if (!ctx->ws) {
		gate(p, "lintClean", CSF_GATE_BLOCK, csf_release_fmt("no workspace to lint"));
		return;
	}
	bp = csf_ws_blueprint(ctx->ws, p->module);
	if (!bp) {
		gate(p, "lintClean", CSF_GATE_BLOCK,
		     csf_release_fmt("module %s is not in the workspace: cannot lint it", p->module));
		return;
	}
	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	o.tenant = csf_ws_tenant(ctx->ws, p->tenant) ? p->tenant : NULL;
	o.env = csf_ws_env(ctx->ws, p->to) ? p->to : NULL;
	if (bp->version && p->meta.version && strcmp(bp->version, p->meta.version))
		note = " (the workspace blueprint is at a different version)";
	if (csf_lint_file(ctx->ws, bp->file, &o, &r, &err)) {
		gate(p, "lintClean", CSF_GATE_BLOCK, csf_release_fmt("lint failed: %s", err.msg));
	} else if (r.nerrors) {
		const struct csf_diag *d = NULL;

		for (i = 0; i < r.n; i++)
			if (r.diags[i].sev == CSF_SEV_ERROR) {
				d = &r.diags[i];
				break;
			}
		gate(p, "lintClean", CSF_GATE_BLOCK,
		     csf_release_fmt("%zu lint error%s in %s, first %s:%u: %s [%s]%s", r.nerrors,
			 r.nerrors == 1 ? "" : "s", bp->file->rel ? bp->file->rel : bp->file->path,
			 d && d->file ? d->file : "?", d ? d->loc.line : 0, d ? d->msg : "",
			 d ? d->rule : "", note));
	} else {
		gate(p, "lintClean", CSF_GATE_PASS,
		     csf_release_fmt("0 errors in %s for %s/%s%s", bp->file->rel ? bp->file->rel : bp->file->path,
			 p->tenant, p->to, note));
	}
	csf_lint_result_release(&r);
}

/* release.gates of the freight rendered for the target stage (freight ⊕ the workspace's
 * environment): requireTests (bool), and requireApproval — true, or the list of environments
 * that need an approval (DESIGN §2.1, seed: `requireApproval: [production]`). */
static void
target_release_gates(struct csf_release_ctx *ctx, const struct csf_release_plan *p,
		     bool *req_tests, bool *req_approval)
{
	const char *freight = p->meta.freight;
	const struct csf_environment *env = ctx->ws ? csf_ws_env(ctx->ws, p->to) : NULL;
	struct csf_yaml_doc *doc = NULL;
	struct csf_blueprint bp;
	struct csf_effective *eff;
	const struct csf_node *g, *a;
	bool b;
	size_t i;

	*req_tests = *req_approval = false;
	if (!freight || csf_yaml_load_mem("freight", freight, strlen(freight), NULL, &doc, NULL))
		return;
	memset(&bp, 0, sizeof(bp));
	bp.root = doc->root;
	bp.module = p->module;
	eff = csf_effective_new(ctx->ws, &bp, NULL, env);
	g = csf_node_path(eff->root, "release.gates");
	if (csf_node_bool(csf_node_get(g, "requireTests"), &b))
		*req_tests = b;
	a = csf_node_get(g, "requireApproval");
	if (csf_node_bool(a, &b))
		*req_approval = b;
	for (i = 0; csf_node_is_seq(a) && i < a->n; i++) {
		const char *e = csf_node_str(a->kids[i]);

		if (e && !strcmp(csf_env_canonical(e), p->to))
			*req_approval = true;
	}
	csf_effective_free(eff);
	csf_yaml_doc_free(doc);
}

static void
gate_approval(struct csf_release_ctx *ctx, struct csf_release_plan *p, const struct csf_stage *st,
	      bool bp_requires)
{
	const struct csf_environment *env = ctx->ws ? csf_ws_env(ctx->ws, p->to) : NULL;
	const struct csf_approval *a = &p->approval;
	bool prod = !strcmp(p->to, "production");
	bool required = prod || bp_requires || (st && st->gates.require_approval) ||
			(env && env->approval);
	struct csf_buf allowed = CSF_BUF_INIT;
	size_t i;
	bool ok = !(st && st->gates.napprovers);

	for (i = 0; st && i < st->gates.napprovers; i++) {
		csf_buf_addf(&allowed, "%s%s", allowed.len ? ", " : "", st->gates.approvers[i]);
		if (a->name && !strcmp(a->name, st->gates.approvers[i]))
			ok = true;
	}
	if (!required) {
		if (a->name && *a->name)
			gate(p, "requireApproval", CSF_GATE_PASS,
			     csf_release_fmt("not required; approved by %s", a->name));
	} else if (!a->name || !*a->name) {
		gate(p, "requireApproval", CSF_GATE_BLOCK,
		     csf_release_fmt("%s needs a named approval (--approve NAME --reason R)%s%s%s",
			 p->to, allowed.len ? "; allowed: " : "", allowed.buf, ""));
	} else if (!a->reason || !*a->reason) {
		gate(p, "requireApproval", CSF_GATE_BLOCK,
		     csf_release_fmt("approval by %s needs a reason (--reason R)", a->name));
	} else if (!ok) {
		gate(p, "requireApproval", CSF_GATE_BLOCK,
		     csf_release_fmt("%s may not approve %s (allowed: %s)", a->name, p->to, allowed.buf));
	} else {
		gate(p, "requireApproval", CSF_GATE_PASS,
		     csf_release_fmt("approved by %s: %s", a->name, a->reason));
	}
	csf_buf_release(&allowed);
}

static void
gate_health(struct csf_release_ctx *ctx, struct csf_release_plan *p)
{
	struct csf_tenants_query q;
	struct csf_tenants *t = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_module_summary *m = NULL;
	char *kebab;
	size_t i, j;

	if (p->kind != CSF_RELEASE_PROMOTE) {
		gate(p, "health", CSF_GATE_SKIP,
		     csf_release_fmt("skipped: no source stage (%s)", p->kind == CSF_RELEASE_NEW ? "new release"
											: "rollback"));
		return;
	}
	if (!ctx->cluster) {
		gate(p, "health", CSF_GATE_SKIP,
		     csf_release_fmt("skipped: no cluster configured (offline), health of %s not checked", p->from));
		return;
	}
	memset(&q, 0, sizeof(q));
	q.tenant = p->tenant;
	if (csf_cluster_load_tenants(ctx->cluster, &q, &t, &err)) {
		gate(p, "health", CSF_GATE_BLOCK, csf_release_fmt("health of %s unknown: %s (%s)", p->from, err.msg,
						      ctx->cluster->name));
		return;
	}
	kebab = csf_kebab(p->module);
	for (i = 0; i < t->ntenants && !m; i++) {
		const struct csf_tenant_summary *ts = &t->tenants[i];

		if (strcmp(ts->tenant ? ts->tenant : "", p->tenant) &&
		    strcmp(ts->namespace ? ts->namespace : "", p->tenant))
			continue;
		for (j = 0; j < ts->nmodules && !m; j++) {
			const struct csf_module_summary *x = &ts->modules[j];

			if (!x->missing && ((x->module && !strcmp(x->module, p->module)) ||
					    (x->name && !strcmp(x->name, kebab))))
				m = x;
		}
	}
	if (!m)
		gate(p, "health", CSF_GATE_BLOCK, csf_release_fmt("%s is not running for %s on %s", p->module,
						      p->tenant, ctx->cluster->name));
	else if (m->health == CSF_HEALTH_OK)
		gate(p, "health", CSF_GATE_PASS, csf_release_fmt("%s/%s %s: %d/%d ready on %s", p->module, p->tenant,
						     m->version ? m->version : "", m->ready, m->desired,
						     ctx->cluster->name));
	else
		gate(p, "health", CSF_GATE_BLOCK,
		     csf_release_fmt("%s/%s is %s on %s: %s", p->module, p->tenant, csf_health_name(m->health),
			 ctx->cluster->name, m->health_reason ? m->health_reason : "not healthy"));
	free(kebab);
	csf_tenants_free(t);
}

void
csf_release_plan_gates(struct csf_release_ctx *ctx, struct csf_release_plan *p,
		       const struct csf_approval *approval)
{
	const struct csf_stage *st = csf_pipeline_stage(&ctx->pipeline, p->to, NULL);
	const struct csf_freeze *fz;
	size_t i;
	bool bp_tests, bp_approval;
	char a[32], b[32];

	if (approval) {
		free(p->approval.name);
		free(p->approval.reason);
		p->approval.name = approval->name && *approval->name ? csf_xstrdup(approval->name) : NULL;
		p->approval.reason = approval->reason && *approval->reason
			? csf_xstrdup(approval->reason) : NULL;
	}
	csf_release_gates_free(p->gates, p->ngates);
	p->gates = NULL;
	p->ngates = 0;
	p->blocked = false;
	if ((fz = csf_pipeline_frozen(&ctx->pipeline, st, ctx->now))) {
		if (fz->cron)
			gate(p, "freeze", CSF_GATE_BLOCK, csf_release_fmt("%s is frozen: %s (cron %s, UTC)", p->to,
							     fz->reason, fz->cron));
		else
			gate(p, "freeze", CSF_GATE_BLOCK,
			     csf_release_fmt("%s is frozen: %s (%s to %s)", p->to, fz->reason,
				 csf_format_utc(fz->from, a, sizeof(a)), csf_format_utc(fz->to, b, sizeof(b))));
	} else {
		gate(p, "freeze", CSF_GATE_PASS, csf_release_fmt("no freeze window active at %s",
						     csf_format_utc(ctx->now, a, sizeof(a))));
	}
	if (st && st->gates.lint_clean)
		gate_lint(ctx, p);
	target_release_gates(ctx, p, &bp_tests, &bp_approval);
	gate_tests(ctx, p, st, bp_tests);
	gate_approval(ctx, p, st, bp_approval);
	gate_health(ctx, p);
	/* the record of the release keeps the approval and the gate results */
	for (i = 0; i < p->meta.napprovals; i++) {
		free(p->meta.approvals[i].name);
		free(p->meta.approvals[i].reason);
	}
	free(p->meta.approvals);
	p->meta.approvals = NULL;
	p->meta.napprovals = 0;
	if (p->approval.name) {
		p->meta.approvals = csf_xcalloc(1, sizeof(*p->meta.approvals));
		p->meta.approvals[0].name = csf_xstrdup(p->approval.name);
		p->meta.approvals[0].reason = csf_release_xdup(p->approval.reason);
		p->meta.napprovals = 1;
	}
	csf_release_meta_copy_gates(&p->meta, p->gates, p->ngates);
}
