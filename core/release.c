#include "core/release.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/artdiff.h"
#include "core/emit_yaml.h"
#include "core/fsutil.h"
#include "core/release_int.h"
#include "core/sha256.h"
#include "core/yaml_model.h"

char *
csf_release_xdup(const char *s)
{
	return s ? csf_xstrdup(s) : NULL;
}

void
csf_release_list_add(char ***v, size_t *n, size_t *alloc, char *s)
{
	CSF_GROW(*v, *alloc, *n + 1);
	(*v)[(*n)++] = s;
}

char *
csf_release_fmt(const char *f, ...)
{
	struct csf_buf b = CSF_BUF_INIT;
	va_list ap;

	va_start(ap, f);
	csf_buf_vaddf(&b, f, ap);
	va_end(ap);
	return csf_buf_detach(&b, NULL);
}

const char *
csf_gate_state_name(enum csf_gate_state s)
{
	return s == CSF_GATE_PASS ? "pass" : s == CSF_GATE_BLOCK ? "block" : "skip";
}

static bool
gate_state_parse(const char *s, enum csf_gate_state *out)
{
	if (!s)
		return false;
	if (!strcmp(s, "pass"))
		*out = CSF_GATE_PASS;
	else if (!strcmp(s, "block"))
		*out = CSF_GATE_BLOCK;
	else if (!strcmp(s, "skip"))
		*out = CSF_GATE_SKIP;
	else
		return false;
	return true;
}

char *
csf_release_dir(const char *env, const char *tenant, const char *module)
{
	return csf_release_fmt("environments/%s/%s/%s", env, tenant, module);
}
/* ---- context ---------------------------------------------------------------------------------- */

static enum csf_status
load_pipeline(struct csf_release_ctx *ctx, struct csf_error *err)
{
	struct csf_buf text = CSF_BUF_INIT;
	char tip[CSF_OID_HEX];
	enum csf_status st;

	csf_pipeline_release(&ctx->pipeline);
	if ((st = csf_gitops_tip(ctx->repo, tip, err)))
		return st;
	st = *tip ? csf_gitops_read(ctx->repo, tip, "pipeline.yaml", &text, err) : CSF_E_NOTFOUND;
	if (st == CSF_E_NOTFOUND) {
		ctx->pipeline_default = true;
		st = csf_pipeline_parse("pipeline.yaml", csf_pipeline_default_text(),
					strlen(csf_pipeline_default_text()), &ctx->pipeline, err);
	} else if (!st) {
		ctx->pipeline_default = false;
		st = csf_pipeline_parse("pipeline.yaml", text.buf, text.len, &ctx->pipeline, err);
	}
	csf_buf_release(&text);
	return st;
}

enum csf_status
csf_release_ctx_init(struct csf_release_ctx *ctx, struct csf_gitops *repo,
		     const struct csf_workspace *ws, time_t now, struct csf_error *err)
{
	enum csf_status st;

	memset(ctx, 0, sizeof(*ctx));
	ctx->repo = repo;
	ctx->ws = ws;
	ctx->now = now;
	if (!now) {
		const char *e = getenv("CSF_NOW");

		if (e && *e) {
			if (!csf_parse_utc(e, &ctx->now))
				return csf_fail(err, CSF_E_USAGE, NULL, NOLOC,
						"CSF_NOW: expected a UTC time like 2026-11-26T19:40:00Z");
		} else {
			ctx->now = time(NULL);
		}
	}
	if ((st = load_pipeline(ctx, err)))
		return st;
	if (ctx->pipeline.branch && strcmp(ctx->pipeline.branch, csf_gitops_branch(repo))) {
		csf_gitops_set_branch(repo, ctx->pipeline.branch);
		st = load_pipeline(ctx, err);
	}
	return st;
}

void
csf_release_ctx_release(struct csf_release_ctx *ctx)
{
	csf_pipeline_release(&ctx->pipeline);
}

/* ---- release.yaml ----------------------------------------------------------------------------- */

char *
csf_release_node_dup(const struct csf_node *map, const char *key)
{
	const char *s = csf_node_str(csf_node_get(map, key));

	return s ? csf_xstrdup(s) : NULL;
}

enum csf_status
csf_release_meta_parse(const char *name, const char *text, size_t len, struct csf_release_meta *m,
		       struct csf_error *err)
{
	struct csf_yaml_doc *doc = NULL;
	const struct csf_node *r, *n;
	struct csf_buf fr = CSF_BUF_INIT;
	enum csf_status st;
	size_t i;

	memset(m, 0, sizeof(*m));
	if ((st = csf_yaml_load_mem(name, text, len, NULL, &doc, err)))
		return st;
	r = doc->root;
	if (!csf_node_is_map(r) || !csf_node_str(csf_node_get(r, "module"))) {
		csf_yaml_doc_free(doc);
		return csf_fail(err, CSF_E_PARSE, name, NOLOC, "not a release record (no `module`)");
	}
	m->release_id = csf_release_node_dup(r, "releaseId");
	m->module = csf_release_node_dup(r, "module");
	m->tenant = csf_release_node_dup(r, "tenant");
	m->edition = csf_release_node_dup(r, "edition");
	m->environment = csf_release_node_dup(r, "environment");
	m->provider = csf_release_node_dup(r, "provider");
	m->blueprint_provider = csf_release_node_dup(r, "blueprintProvider");
	m->version = csf_release_node_dup(r, "version");
	m->image = csf_release_node_dup(r, "image");
	m->image_tag = csf_release_node_dup(r, "imageTag");
	m->blueprint_hash = csf_release_node_dup(r, "blueprintHash");
	m->infra_hash = csf_release_node_dup(r, "infraHash");
	m->freight_hash = csf_release_node_dup(r, "freightHash");
	m->promoted_from = csf_release_node_dup(r, "promotedFrom");
	m->rollback_of = csf_release_node_dup(r, "rollbackOf");
	m->created_at = csf_release_node_dup(r, "createdAt");
	m->created_by = csf_release_node_dup(r, "createdBy");
	n = csf_node_get(r, "approvals");
	if (csf_node_is_seq(n) && n->n) {
		m->approvals = csf_xcalloc(n->n, sizeof(*m->approvals));
		for (i = 0; i < n->n; i++) {
			m->approvals[m->napprovals].name = csf_release_node_dup(n->kids[i], "name");
			m->approvals[m->napprovals].reason = csf_release_node_dup(n->kids[i], "reason");
			if (m->approvals[m->napprovals].name)
				m->napprovals++;
			else
				free(m->approvals[m->napprovals].reason);
		}
	}
	n = csf_node_get(r, "gates");
	if (csf_node_is_seq(n) && n->n) {
		m->gates = csf_xcalloc(n->n, sizeof(*m->gates));
		for (i = 0; i < n->n; i++) {
			struct csf_release_gate *g = &m->gates[m->ngates];

			if (!csf_node_str(csf_node_get(n->kids[i], "name")) ||
			    !gate_state_parse(csf_node_str(csf_node_get(n->kids[i], "result")),
					      &g->state))
				continue;
			g->name = csf_release_node_dup(n->kids[i], "name");
			g->detail = csf_release_node_dup(n->kids[i], "detail");
			m->ngates++;
		}
	}
	n = csf_node_get(r, "freight");
	if (csf_node_is_map(n)) {
		csf_ey_node(&fr, 0, n);
		m->freight = csf_buf_detach(&fr, NULL);
	}
	csf_yaml_doc_free(doc);
	return CSF_E_OK;
}

static void
kv(struct csf_buf *b, const char *k, const char *v)
{
	if (v)
		csf_ey_kv(b, 0, k, v);
}

void
csf_release_meta_write(const struct csf_release_meta *m, struct csf_buf *b)
{
	size_t i;
	const char *p;

	csf_buf_addstr(b, "# Written by csf-tui: the release of this folder. `freight` is the effective\n"
			  "# blueprint without environment overlays; the next stage is rendered from it.\n");
	csf_buf_addstr(b, "apiVersion: csf/v1\nkind: Release\n");
	kv(b, "releaseId", m->release_id);
	kv(b, "module", m->module);
	kv(b, "tenant", m->tenant);
	kv(b, "edition", m->edition);
	kv(b, "environment", m->environment);
	kv(b, "provider", m->provider);
	kv(b, "blueprintProvider", m->blueprint_provider);
	kv(b, "version", m->version);
	kv(b, "image", m->image);
	kv(b, "imageTag", m->image_tag);
	kv(b, "blueprintHash", m->blueprint_hash);
	kv(b, "infraHash", m->infra_hash);
	kv(b, "freightHash", m->freight_hash);
	kv(b, "promotedFrom", m->promoted_from);
	kv(b, "rollbackOf", m->rollback_of);
	kv(b, "createdAt", m->created_at);
	kv(b, "createdBy", m->created_by);
	if (!m->napprovals)
		csf_buf_addstr(b, "approvals: []\n");
	else
		csf_ey_k(b, 0, "approvals");
	for (i = 0; i < m->napprovals; i++) {
		csf_ey_item_kv(b, 2, "name", m->approvals[i].name);
		if (m->approvals[i].reason)
			csf_ey_kv(b, 4, "reason", m->approvals[i].reason);
	}
	if (!m->ngates)
		csf_buf_addstr(b, "gates: []\n");
	else
		csf_ey_k(b, 0, "gates");
	for (i = 0; i < m->ngates; i++) {
		csf_ey_item_kv(b, 2, "name", m->gates[i].name);
		csf_ey_kv(b, 4, "result", csf_gate_state_name(m->gates[i].state));
		if (m->gates[i].detail)
			csf_ey_kv(b, 4, "detail", m->gates[i].detail);
	}
	csf_buf_addstr(b, "freight:\n");
	for (p = m->freight ? m->freight : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n)
			csf_buf_addstr(b, "  ");
		csf_buf_add(b, p, n);
		csf_buf_addch(b, '\n');
		p += n + (nl ? 1 : 0);
	}
}

void
csf_release_gates_free(struct csf_release_gate *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(g[i].name);
		free(g[i].detail);
	}
	free(g);
}

void
csf_release_meta_release(struct csf_release_meta *m)
{
	size_t i;
	char **s[] = { &m->release_id, &m->module, &m->tenant, &m->edition, &m->environment,
		       &m->provider, &m->blueprint_provider, &m->version, &m->image, &m->image_tag,
		       &m->blueprint_hash, &m->infra_hash, &m->freight_hash, &m->promoted_from,
		       &m->rollback_of, &m->created_at, &m->created_by, &m->freight };

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		free(*s[i]);
	for (i = 0; i < m->napprovals; i++) {
		free(m->approvals[i].name);
		free(m->approvals[i].reason);
	}
	free(m->approvals);
	csf_release_gates_free(m->gates, m->ngates);
	memset(m, 0, sizeof(*m));
}

void
csf_release_meta_copy_gates(struct csf_release_meta *m, const struct csf_release_gate *g, size_t n)
{
	size_t i;

	csf_release_gates_free(m->gates, m->ngates);
	m->gates = n ? csf_xcalloc(n, sizeof(*m->gates)) : NULL;
	for (i = 0; i < n; i++) {
		m->gates[i].name = csf_release_xdup(g[i].name);
		m->gates[i].state = g[i].state;
		m->gates[i].detail = csf_release_xdup(g[i].detail);
	}
	m->ngates = n;
}

/* ---- plans ------------------------------------------------------------------------------------ */

static enum csf_status
check_names(const char *module, const char *tenant, struct csf_error *err)
{
	if (!module || !csf_safe_component(module))
		return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "bad module name '%s'", module ? module : "");
	if (!tenant || !csf_safe_component(tenant))
		return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "bad tenant name '%s'", tenant ? tenant : "");
	return CSF_E_OK;
}

/* Reads the target folder at the tip: artifacts into old_files, release.yaml into old_meta. */
static enum csf_status
read_target(struct csf_release_ctx *ctx, struct csf_release_plan *p, struct csf_error *err)
{
	struct csf_fileset all = CSF_FILESET_INIT;
	enum csf_status st;
	size_t i;

	if ((st = csf_gitops_tip(ctx->repo, p->base, err)))
		return st;
	if ((st = csf_gitops_read_dir(ctx->repo, p->base, p->dir, &all, err)))
		return st;
	for (i = 0; i < all.n; i++) {
		if (!strcmp(all.v[i].path, "release.yaml")) {
			struct csf_error e2 = CSF_ERROR_INIT;

			if (!csf_release_meta_parse("release.yaml", all.v[i].data, all.v[i].len,
						    &p->old_meta, &e2))
				p->has_old = true;
			continue;
		}
		csf_fileset_add(&p->old_files, all.v[i].path, all.v[i].data, all.v[i].len,
				all.v[i].exec);
	}
	csf_fileset_sort(&p->old_files);
	csf_fileset_release(&all);
	return CSF_E_OK;
}

static void
plan_init(struct csf_release_plan *p, enum csf_release_kind kind, const char *module,
	  const char *tenant, const char *from, const char *to)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->module = csf_xstrdup(module);
	p->tenant = csf_xstrdup(tenant);
	p->from = csf_xstrdup(from);
	p->to = csf_xstrdup(csf_env_canonical(to));
	p->dir = csf_release_dir(p->to, tenant, module);
}

/* Fills the identity of the new release and finishes the plan (diff, summary, gates). */
static void
plan_finish(struct csf_release_ctx *ctx, struct csf_release_plan *p,
	    const struct csf_approval *approval)
{
	struct csf_release_meta *m = &p->meta;
	struct csf_buf seed = CSF_BUF_INIT;
	char h[65], ts[32], stamp[32];
	struct tm tm;

	csf_release_hash_text(m->freight ? m->freight : "", h);
	free(m->freight_hash);
	m->freight_hash = csf_xstrdup(h);
	free(m->environment);
	m->environment = csf_xstrdup(p->to);
	free(m->created_at);
	m->created_at = csf_xstrdup(csf_format_utc(ctx->now, ts, sizeof(ts)));
	free(m->created_by);
	m->created_by = ctx->actor ? csf_xstrdup(ctx->actor) : NULL;
	/* not the base commit: the same release gets the same id whatever else the repository holds */
	csf_buf_addf(&seed, "%s\n%s\n%s\n%lld", p->dir, m->freight_hash,
		     p->kind == CSF_RELEASE_ROLLBACK && m->rollback_of ? m->rollback_of : "",
		     (long long)ctx->now);
	csf_sha256_hex(seed.buf, seed.len, h);
	gmtime_r(&ctx->now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	free(m->release_id);
	m->release_id = csf_release_fmt("%s-%s-%.6s", p->to, stamp, h);
	csf_buf_release(&seed);
	csf_release_compute_changes(p);
	p->empty = !p->nchanges && p->has_old && p->old_meta.freight_hash &&
		   !strcmp(p->old_meta.freight_hash, m->freight_hash) &&
		   p->kind != CSF_RELEASE_ROLLBACK;
	csf_release_compute_summary(p);
	csf_release_plan_gates(ctx, p, approval);
}

enum csf_status
csf_release_plan_new(struct csf_release_ctx *ctx, const char *module, const char *tenant,
		     const struct csf_approval *approval, struct csf_release_plan *out,
		     struct csf_error *err)
{
	const struct csf_blueprint *bp;
	const struct csf_tenant *t;
	const char *first;
	enum csf_status st;

	memset(out, 0, sizeof(*out));
	if ((st = check_names(module, tenant, err)))
		return st;
	if (!ctx->ws)
		return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "`release new` needs a workspace");
	if (!(bp = csf_ws_blueprint(ctx->ws, module)))
		return csf_fail(err, CSF_E_NOTFOUND, NULL, NOLOC, "no blueprint for module '%s' in the "
				"workspace", module);
	if (!(t = csf_ws_tenant(ctx->ws, tenant)))
		return csf_fail(err, CSF_E_NOTFOUND, NULL, NOLOC, "no tenant '%s' in the workspace", tenant);
	if (bp->tenant_only && strcmp(bp->tenant_only, tenant))
		return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "%s is specific to tenant %s", module,
				bp->tenant_only);
	first = ctx->pipeline.stages[0].name;
	plan_init(out, CSF_RELEASE_NEW, module, tenant, "workspace", first);
	if ((st = read_target(ctx, out, err)))
		goto fail;
	out->meta.module = csf_xstrdup(module);
	out->meta.tenant = csf_xstrdup(tenant);
	out->meta.edition = csf_release_xdup(t->edition);
	out->meta.version = csf_release_xdup(bp->version);
	out->meta.blueprint_provider = csf_release_xdup(bp->provider);
	out->meta.promoted_from = csf_xstrdup("workspace");
	out->meta.freight = csf_release_freight_of(ctx->ws, bp, t);
	{
		struct csf_yaml_doc *doc = NULL;

		if (!csf_yaml_load_mem("freight", out->meta.freight, strlen(out->meta.freight), NULL,
				       &doc, NULL)) {
			const char *pv = csf_node_text(csf_node_path(doc->root, "cloud.provider"));

			out->meta.provider = csf_xstrdup(pv ? pv : "azure");
		}
		csf_yaml_doc_free(doc);
	}
	if (!out->meta.provider)
		out->meta.provider = csf_xstrdup("azure");
	if ((st = csf_release_render_freight(ctx, &out->meta, first, &out->new_files, &out->warnings,
				 &out->nwarnings, &out->warnings_alloc, err)))
		goto fail;
	plan_finish(ctx, out, approval);
	return CSF_E_OK;
fail:
	csf_release_plan_release(out);
	return st;
}

static void
meta_clone_identity(struct csf_release_meta *dst, const struct csf_release_meta *src)
{
	dst->module = csf_release_xdup(src->module);
	dst->tenant = csf_release_xdup(src->tenant);
	dst->edition = csf_release_xdup(src->edition);
	dst->provider = csf_release_xdup(src->provider);
	dst->blueprint_provider = csf_release_xdup(src->blueprint_provider);
	dst->version = csf_release_xdup(src->version);
	dst->image = csf_release_xdup(src->image);
	dst->image_tag = csf_release_xdup(src->image_tag);
	dst->blueprint_hash = csf_release_xdup(src->blueprint_hash);
	dst->infra_hash = csf_release_xdup(src->infra_hash);
	dst->freight = csf_release_xdup(src->freight);
}

enum csf_status
csf_release_plan_promote(struct csf_release_ctx *ctx, const char *module, const char *tenant,
			 const char *from, const char *to, const struct csf_approval *approval,
			 struct csf_release_plan *out, struct csf_error *err)
{
	struct csf_buf text = CSF_BUF_INIT;
	struct csf_release_meta src;
	size_t fi, ti;
	char *sdir = NULL;
	enum csf_status st;

	memset(out, 0, sizeof(*out));
	memset(&src, 0, sizeof(src));
	if ((st = check_names(module, tenant, err)))
		return st;
	if (!csf_pipeline_stage(&ctx->pipeline, from, &fi))
		return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "'%s' is not a stage of pipeline.yaml", from);
	if (!csf_pipeline_stage(&ctx->pipeline, to, &ti))
		return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "'%s' is not a stage of pipeline.yaml", to);
	if (ti <= fi)
		return csf_fail(err, CSF_E_USAGE, NULL, NOLOC,
				"%s comes before %s in the pipeline: promotions go forward (use "
				"rollback to go back)", csf_env_canonical(to), csf_env_canonical(from));
	plan_init(out, CSF_RELEASE_PROMOTE, module, tenant, csf_env_canonical(from), to);
	if ((st = read_target(ctx, out, err)))
		goto fail;
	sdir = csf_release_fmt("environments/%s/%s/%s/release.yaml", out->from, tenant, module);
	st = csf_gitops_read(ctx->repo, out->base, sdir, &text, err);
	if (st == CSF_E_NOTFOUND) {
		st = csf_fail(err, CSF_E_NOTFOUND, NULL, NOLOC, "%s holds no release of %s for %s",
			      out->from, module, tenant);
		goto fail;
	}
	if (st || (st = csf_release_meta_parse(sdir, text.buf, text.len, &src, err)))
		goto fail;
	meta_clone_identity(&out->meta, &src);
	out->meta.promoted_from = csf_release_fmt("%s@%s", out->from, src.release_id ? src.release_id : "?");
	if ((st = csf_release_render_freight(ctx, &out->meta, out->to, &out->new_files, &out->warnings,
				 &out->nwarnings, &out->warnings_alloc, err)))
		goto fail;
	plan_finish(ctx, out, approval);
	goto out;
fail:
	csf_release_plan_release(out);
out:
	csf_release_meta_release(&src);
	csf_buf_release(&text);
	free(sdir);
	return st;
}

/* ---- rollback --------------------------------------------------------------------------------- */

enum csf_status
csf_release_plan_rollback(struct csf_release_ctx *ctx, const char *module, const char *tenant,
			  const char *env, const char *release, const struct csf_approval *approval,
			  struct csf_release_plan *out, struct csf_error *err)
{
	struct csf_history h;
	struct csf_fileset all = CSF_FILESET_INIT;
	struct csf_release_meta old;
	const struct csf_history_entry *target = NULL;
	const struct csf_gfile *rel;
	enum csf_status st;
	size_t i;

	memset(out, 0, sizeof(*out));
	memset(&old, 0, sizeof(old));
	if ((st = check_names(module, tenant, err)))
		return st;
	if (!csf_pipeline_stage(&ctx->pipeline, env, NULL))
		return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "'%s' is not a stage of pipeline.yaml", env);
	if ((st = csf_release_history(ctx, env, module, tenant, &h, err)))
		return st;
	for (i = 0; i < h.n && !target; i++) {
		const struct csf_history_entry *e = &h.v[i];

		if (release ? (e->release_id && !strcmp(e->release_id, release)) ||
				      (strlen(release) >= 7 && !strncmp(e->commit, release, strlen(release)))
			    : i == 1)
			target = e;
	}
	if (!target) {
		st = release ? csf_fail(err, CSF_E_NOTFOUND, NULL, NOLOC,
					"no release '%s' of %s/%s in %s", release, module, tenant,
					csf_env_canonical(env))
			     : csf_fail(err, CSF_E_NOTFOUND, NULL, NOLOC,
					"%s has no earlier release of %s/%s to roll back to",
					csf_env_canonical(env), module, tenant);
		goto done;
	}
	plan_init(out, CSF_RELEASE_ROLLBACK, module, tenant, csf_env_canonical(env), env);
	if ((st = read_target(ctx, out, err)))
		goto fail;
	if ((st = csf_gitops_read_dir(ctx->repo, target->commit, out->dir, &all, err)))
		goto fail;
	if (!(rel = csf_fileset_find(&all, "release.yaml"))) {
		st = csf_fail(err, CSF_E_NOTFOUND, NULL, NOLOC, "%s holds no release of %s/%s at %.12s",
			      out->to, module, tenant, target->commit);
		goto fail;
	}
	if ((st = csf_release_meta_parse("release.yaml", rel->data, rel->len, &old, err)))
		goto fail;
	meta_clone_identity(&out->meta, &old);
	csf_release_meta_copy_gates(&out->meta, old.gates, old.ngates);
	out->meta.rollback_of = csf_release_xdup(old.release_id ? old.release_id : target->commit);
	out->meta.promoted_from = csf_release_xdup(old.promoted_from);
	for (i = 0; i < all.n; i++)
		if (strcmp(all.v[i].path, "release.yaml"))
			csf_fileset_add(&out->new_files, all.v[i].path, all.v[i].data, all.v[i].len,
					all.v[i].exec);
	csf_fileset_sort(&out->new_files);
	plan_finish(ctx, out, approval);
	goto done;
fail:
	csf_release_plan_release(out);
done:
	csf_release_meta_release(&old);
	csf_fileset_release(&all);
	csf_history_release(&h);
	return st;
}

/* ---- the board index -------------------------------------------------------------------------- */

/* Rewrites the board index text with the line of (env, tenant, module) set to line. */
static void
index_update(const char *old, size_t len, const char *env, const char *tenant, const char *module,
	     const char *line, struct csf_buf *out)
{
	const char *p = old, *end = old + len;
	char *key = csf_release_fmt("%s\t%s\t%s\t", module, tenant, env);
	size_t kl = strlen(key);
	bool placed = false;

	csf_buf_addstr(out, "# module\ttenant\tstage\tversion\treleaseId\tfreightHash\tcreatedAt "
			    "(csf-tui board index, sorted)\n");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n && *p != '#') {
			int c = strncmp(p, key, n < kl ? n : kl);

			if (!placed && (c > 0 || (c == 0 && n >= kl))) {
				csf_buf_addstr(out, line);
				placed = true;
			}
			if (!(n >= kl && !strncmp(p, key, kl))) {
				csf_buf_add(out, p, n);
				csf_buf_addch(out, '\n');
			}
		}
		p += n + 1;
	}
	if (!placed)
		csf_buf_addstr(out, line);
	free(key);
}

enum csf_status
csf_release_apply(struct csf_release_ctx *ctx, struct csf_release_plan *p,
		  char commit[CSF_OID_HEX], struct csf_error *err)
{
	struct csf_fileset dirfiles = CSF_FILESET_INIT, idx = CSF_FILESET_INIT,
			   pipe = CSF_FILESET_INIT;
	struct csf_buf relyaml = CSF_BUF_INIT, msg = CSF_BUF_INIT, itext = CSF_BUF_INIT,
		       inew = CSF_BUF_INIT, line = CSF_BUF_INIT;
	struct csf_gitops_write w[3];
	struct csf_gitops_sig sig;
	size_t nw = 0, i;
	enum csf_status st;

	commit[0] = '\0';
	if (ctx->readonly)
		return csf_fail(err, CSF_E_READONLY, NULL, NOLOC,
				"--readonly: refusing to write to the GitOps repository");
	if (p->blocked) {
		for (i = 0; i < p->ngates; i++)
			if (p->gates[i].state == CSF_GATE_BLOCK)
				return csf_fail(err, CSF_E_GATE, NULL, NOLOC, "gate %s blocked: %s",
						p->gates[i].name, p->gates[i].detail);
	}
	if (p->empty)
		return CSF_E_OK;
	for (i = 0; i < p->new_files.n; i++)
		csf_fileset_add(&dirfiles, p->new_files.v[i].path, p->new_files.v[i].data,
				p->new_files.v[i].len, p->new_files.v[i].exec);
	csf_release_meta_write(&p->meta, &relyaml);
	csf_fileset_add(&dirfiles, "release.yaml", relyaml.buf, relyaml.len, false);
	csf_fileset_sort(&dirfiles);
	w[nw].path = p->dir;
	w[nw].files = &dirfiles;
	w[nw++].single = false;
	if (*p->base)
		csf_gitops_read(ctx->repo, p->base, BOARD_INDEX, &itext, NULL);
	/* 64 bits of the freight hash tell releases apart and keep the board index small */
	csf_buf_addf(&line, "%s\t%s\t%s\t%s\t%s\t%.16s\t%s\n", p->module, p->tenant, p->to,
		     p->meta.version ? p->meta.version : "?", p->meta.release_id, p->meta.freight_hash,
		     p->meta.created_at);
	index_update(itext.buf, itext.len, p->to, p->tenant, p->module, line.buf, &inew);
	csf_fileset_add(&idx, "releases.tsv", inew.buf, inew.len, false);
	w[nw].path = BOARD_INDEX;
	w[nw].files = &idx;
	w[nw++].single = true;
	if (ctx->pipeline_default) {
		csf_fileset_add(&pipe, "pipeline.yaml", csf_pipeline_default_text(),
				strlen(csf_pipeline_default_text()), false);
		w[nw].path = "pipeline.yaml";
		w[nw].files = &pipe;
		w[nw++].single = true;
	}
	csf_release_message(p, &msg);
	memset(&sig, 0, sizeof(sig));
	sig.when = ctx->now;
	csf_gitops_test_point("diff-computed");
	st = csf_gitops_commit(ctx->repo, p->base, w, nw, msg.buf, &sig, commit, err);
	if (!st && ctx->pipeline_default)
		ctx->pipeline_default = false;
	csf_fileset_release(&dirfiles);
	csf_fileset_release(&idx);
	csf_fileset_release(&pipe);
	csf_buf_release(&relyaml);
	csf_buf_release(&msg);
	csf_buf_release(&itext);
	csf_buf_release(&inew);
	csf_buf_release(&line);
	return st;
}

void
csf_release_message(const struct csf_release_plan *p, struct csf_buf *b)
{
	size_t i;
	const char *v = p->meta.version ? p->meta.version : "?";

	switch (p->kind) {
	case CSF_RELEASE_NEW:
		csf_buf_addf(b, "release: %s/%s %s into %s\n", p->module, p->tenant, v, p->to);
		break;
	case CSF_RELEASE_PROMOTE:
		csf_buf_addf(b, "release: promote %s/%s %s from %s to %s\n", p->module, p->tenant, v,
			     p->from, p->to);
		break;
	case CSF_RELEASE_ROLLBACK:
		csf_buf_addf(b, "release: roll back %s/%s in %s to %s (%s)\n", p->module, p->tenant,
			     p->to, p->meta.rollback_of ? p->meta.rollback_of : "?", v);
		break;
	}
	csf_buf_addf(b, "\nChanges: %zu file%s, +%zu -%zu\n", p->nchanges, p->nchanges == 1 ? "" : "s",
		     p->added, p->removed);
	for (i = 0; i < p->nchanges && i < 50; i++)
		csf_buf_addf(b, "  %c %s (+%zu -%zu)\n", p->changes[i].status, p->changes[i].path,
			     p->changes[i].added, p->changes[i].removed);
	if (p->nchanges > 50)
		csf_buf_addf(b, "  … %zu more\n", p->nchanges - 50);
	for (i = 0; i < p->nsummary && i < 20; i++)
		csf_buf_addf(b, "%s%s\n", i ? "  " : "Summary:\n  ", p->summary[i]);
	csf_buf_addstr(b, "Gates:");
	for (i = 0; i < p->ngates; i++)
		csf_buf_addf(b, " %s=%s", p->gates[i].name, csf_gate_state_name(p->gates[i].state));
	csf_buf_addstr(b, "\n\n");
	csf_buf_addf(b, "Release-Id: %s\n", p->meta.release_id);
	csf_buf_addf(b, "Module: %s\n", p->module);
	csf_buf_addf(b, "Tenant: %s\n", p->tenant);
	csf_buf_addf(b, "Version: %s\n", v);
	csf_buf_addf(b, "Promoted-From: %s\n", p->kind == CSF_RELEASE_ROLLBACK ? p->to : p->from);
	csf_buf_addf(b, "Promoted-To: %s\n", p->to);
	if (p->meta.rollback_of)
		csf_buf_addf(b, "Rollback-Of: %s\n", p->meta.rollback_of);
	if (p->approval.name)
		csf_buf_addf(b, "Approved-By: %s\n", p->approval.name);
	if (p->approval.reason) {
		/* a trailer is one line */
		csf_buf_addstr(b, "Reason: ");
		for (i = 0; p->approval.reason[i]; i++)
			csf_buf_addch(b, p->approval.reason[i] == '\n' ? ' ' : p->approval.reason[i]);
		csf_buf_addch(b, '\n');
	}
}

void
csf_release_plan_release(struct csf_release_plan *p)
{
	size_t i;

	free(p->module);
	free(p->tenant);
	free(p->from);
	free(p->to);
	free(p->dir);
	csf_fileset_release(&p->old_files);
	csf_fileset_release(&p->new_files);
	csf_artdiff_free(p->diff);
	csf_release_changes_free(p->changes, p->nchanges);
	for (i = 0; i < p->nsummary; i++)
		free(p->summary[i]);
	free(p->summary);
	for (i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	csf_release_gates_free(p->gates, p->ngates);
	csf_release_meta_release(&p->old_meta);
	csf_release_meta_release(&p->meta);
	free(p->approval.name);
	free(p->approval.reason);
	memset(p, 0, sizeof(*p));
}
