#include "core/release.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/artdiff.h"
#include "core/diff.h"
#include "core/effective.h"
#include "core/emit_yaml.h"
#include "core/fsutil.h"
#include "core/lint.h"
#include "core/semdiff.h"
#include "core/sha256.h"
#include "core/yaml_model.h"

#define NOLOC ((struct csf_loc){ 0, 0 })
#define BOARD_INDEX ".csf/releases.tsv"
#define MAX_SUMMARY 40

static char *
xdup(const char *s)
{
	return s ? csf_xstrdup(s) : NULL;
}

static void
list_add(char ***v, size_t *n, size_t *alloc, char *s)
{
	CSF_GROW(*v, *alloc, *n + 1);
	(*v)[(*n)++] = s;
}

static char *
fmt(const char *f, ...) CSF_PRINTF(1, 2);

static char *
fmt(const char *f, ...)
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
	return fmt("environments/%s/%s/%s", env, tenant, module);
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

static char *
node_dup(const struct csf_node *map, const char *key)
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
	m->release_id = node_dup(r, "releaseId");
	m->module = node_dup(r, "module");
	m->tenant = node_dup(r, "tenant");
	m->edition = node_dup(r, "edition");
	m->environment = node_dup(r, "environment");
	m->provider = node_dup(r, "provider");
	m->blueprint_provider = node_dup(r, "blueprintProvider");
	m->version = node_dup(r, "version");
	m->image = node_dup(r, "image");
	m->image_tag = node_dup(r, "imageTag");
	m->blueprint_hash = node_dup(r, "blueprintHash");
	m->infra_hash = node_dup(r, "infraHash");
	m->freight_hash = node_dup(r, "freightHash");
	m->promoted_from = node_dup(r, "promotedFrom");
	m->rollback_of = node_dup(r, "rollbackOf");
	m->created_at = node_dup(r, "createdAt");
	m->created_by = node_dup(r, "createdBy");
	n = csf_node_get(r, "approvals");
	if (csf_node_is_seq(n) && n->n) {
		m->approvals = csf_xcalloc(n->n, sizeof(*m->approvals));
		for (i = 0; i < n->n; i++) {
			m->approvals[m->napprovals].name = node_dup(n->kids[i], "name");
			m->approvals[m->napprovals].reason = node_dup(n->kids[i], "reason");
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
			g->name = node_dup(n->kids[i], "name");
			g->detail = node_dup(n->kids[i], "detail");
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

static void
gates_free(struct csf_release_gate *g, size_t n)
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
	gates_free(m->gates, m->ngates);
	memset(m, 0, sizeof(*m));
}

static void
meta_copy_gates(struct csf_release_meta *m, const struct csf_release_gate *g, size_t n)
{
	size_t i;

	gates_free(m->gates, m->ngates);
	m->gates = n ? csf_xcalloc(n, sizeof(*m->gates)) : NULL;
	for (i = 0; i < n; i++) {
		m->gates[i].name = xdup(g[i].name);
		m->gates[i].state = g[i].state;
		m->gates[i].detail = xdup(g[i].detail);
	}
	m->ngates = n;
}

/* ---- rendering the freight -------------------------------------------------------------------- */

static enum csf_status
default_render(void *rctx, const struct csf_effective *eff, const struct csf_workspace *ws,
	       struct csf_fileset *out, struct csf_error *err)
{
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	struct csf_render_opts o;
	enum csf_status st;
	size_t i;

	(void)rctx;
	memset(&o, 0, sizeof(o));
	o.provider = eff->provider;
	o.ws = ws;
	if ((st = csf_render(eff, &o, &set, err)))
		return st;
	for (i = 0; i < set.n; i++) {
		const struct csf_artifact *a = &set.items[i];
		size_t n = strlen(a->path);

		csf_fileset_add(out, a->path, a->data.buf, a->data.len,
				n > 3 && !strcmp(a->path + n - 3, ".sh"));
	}
	csf_artifact_set_release(&set);
	return CSF_E_OK;
}

/* Credential-looking values never reach the GitOps repository (the renderer redacts them in
 * its output the same way, so re-rendering the freight gives the same artifacts). Key names
 * count only for configuration-style keys (upper case, like DB_PASSWORD), as in core/render. */
static const char *
freight_redact(void *ctx, const char *key, const char *value)
{
	const char *k = key;

	(void)ctx;
	for (; k && *k; k++)
		if (*k >= 'a' && *k <= 'z')
			break;
	return csf_render_looks_secret(k && !*k ? key : NULL, value) ? "<redacted>" : NULL;
}

/* The freight of (bp, tenant): the effective blueprint without an environment, as YAML text. */
static char *
freight_of(const struct csf_workspace *ws, const struct csf_blueprint *bp,
	   const struct csf_tenant *tenant)
{
	struct csf_effective *eff = csf_effective_new(ws, bp, tenant, NULL);
	struct csf_buf b = CSF_BUF_INIT;

	csf_ey_node_filtered(&b, 0, eff->root, freight_redact, NULL);
	csf_effective_free(eff);
	return csf_buf_detach(&b, NULL);
}

static void
hash_text(const char *s, char out[65])
{
	csf_sha256_hex(s, strlen(s), out);
}

/* Renders meta's freight for env into files; fills meta's image, hashes and edition from the
 * renderer's release.yaml (which is left out of files: the GitOps release.yaml replaces it). */
static enum csf_status
render_freight(struct csf_release_ctx *ctx, struct csf_release_meta *meta, const char *env_name,
	       struct csf_fileset *files, char ***warn, size_t *nwarn, size_t *awarn,
	       struct csf_error *err)
{
	struct csf_yaml_doc *doc = NULL;
	struct csf_blueprint bp;
	struct csf_tenant tenant;
	struct csf_edition edition;
	struct csf_environment fake_env;
	const struct csf_environment *env = ctx->ws ? csf_ws_env(ctx->ws, env_name) : NULL;
	const struct csf_edition *ed;
	struct csf_effective *eff;
	const struct csf_gfile *rel;
	struct csf_fileset raw = CSF_FILESET_INIT;
	enum csf_status st;
	size_t i;

	if (!meta->freight)
		return csf_fail(err, CSF_E_PARSE, "release.yaml", NOLOC, "release has no freight");
	if ((st = csf_yaml_load_mem("freight", meta->freight, strlen(meta->freight), NULL, &doc, err)))
		return st;
	memset(&bp, 0, sizeof(bp));
	bp.root = doc->root;
	bp.module = meta->module;
	bp.version = csf_node_text(csf_node_get(doc->root, "version"));
	bp.provider = meta->blueprint_provider;
	if (!env) {
		memset(&fake_env, 0, sizeof(fake_env));
		fake_env.name = env_name;
		fake_env.replicas_factor = 1.0;
		env = &fake_env;
		list_add(warn, nwarn, awarn,
			 fmt("environment '%s' is not defined in the workspace: rendered without "
			     "environment overrides", env_name));
	}
	eff = csf_effective_new(ctx->ws, &bp, NULL, env);
	memset(&tenant, 0, sizeof(tenant));
	tenant.id = meta->tenant;
	tenant.edition = meta->edition;
	eff->tenant = &tenant;
	ed = ctx->ws && meta->edition ? csf_ws_edition(ctx->ws, meta->edition) : NULL;
	if (!ed && meta->edition) {
		memset(&edition, 0, sizeof(edition));
		edition.name = meta->edition;
		ed = &edition;
	}
	eff->edition = ed;
	if (meta->provider)
		eff->provider = meta->provider;
	st = (ctx->render ? ctx->render : default_render)(ctx->render_ctx, eff, ctx->ws, &raw, err);
	csf_effective_free(eff);
	csf_fileset_sort(&raw);
	if (!st && (rel = csf_fileset_find(&raw, "release.yaml"))) {
		struct csf_yaml_doc *rd = NULL;
		struct csf_error e2 = CSF_ERROR_INIT;

		if (!csf_yaml_load_mem("release.yaml", rel->data, rel->len, NULL, &rd, &e2)) {
			char *v;

			if ((v = node_dup(rd->root, "image"))) {
				free(meta->image);
				meta->image = v;
			}
			if ((v = node_dup(rd->root, "imageTag"))) {
				free(meta->image_tag);
				meta->image_tag = v;
			}
			if ((v = node_dup(rd->root, "blueprintHash"))) {
				free(meta->blueprint_hash);
				meta->blueprint_hash = v;
			}
			if ((v = node_dup(rd->root, "infraHash"))) {
				free(meta->infra_hash);
				meta->infra_hash = v;
			}
			if (!meta->edition)
				meta->edition = node_dup(rd->root, "edition");
		}
		csf_yaml_doc_free(rd);
	}
	for (i = 0; !st && i < raw.n; i++)
		if (strcmp(raw.v[i].path, "release.yaml"))
			csf_fileset_add(files, raw.v[i].path, raw.v[i].data, raw.v[i].len,
					raw.v[i].exec);
	csf_fileset_sort(files);
	if (!st && !meta->image_tag && meta->version)
		meta->image_tag = xdup(meta->version);
	csf_fileset_release(&raw);
	csf_yaml_doc_free(doc);
	return st;
}

/* ---- diff ------------------------------------------------------------------------------------- */

static void
add_change(struct csf_release_plan *p, size_t *alloc, const char *path, char status,
	   const struct csf_gfile *a, const struct csf_gfile *b)
{
	struct csf_file_change *c;
	struct csf_diff *d = NULL;

	CSF_GROW(p->changes, *alloc, p->nchanges + 1);
	c = &p->changes[p->nchanges++];
	memset(c, 0, sizeof(*c));
	c->path = csf_xstrdup(path);
	c->status = status;
	if (!csf_diff_buffers(path, a ? a->data : NULL, a ? a->len : 0, path, b ? b->data : NULL,
			      b ? b->len : 0, NULL, &d, NULL)) {
		c->added = d->added;
		c->removed = d->removed;
		c->binary = d->binary;
		csf_diff_free(d);
	}
	p->added += c->added;
	p->removed += c->removed;
}

static struct csf_art_input *
art_inputs(const struct csf_fileset *s)
{
	struct csf_art_input *v = csf_xcalloc(s->n ? s->n : 1, sizeof(*v));
	size_t i;

	for (i = 0; i < s->n; i++) {
		v[i].path = s->v[i].path;
		v[i].data = s->v[i].data;
		v[i].len = s->v[i].len;
	}
	return v;
}

/* The artifact diff (core/artdiff) of old_files → new_files, and the plan's change list. */
static void
compute_changes(struct csf_release_plan *p)
{
	struct csf_art_input *a = art_inputs(&p->old_files), *b = art_inputs(&p->new_files);
	size_t i, alloc = 0;

	csf_artdiff_free(p->diff);
	p->diff = NULL;
	if (csf_artdiff_compute(a, p->old_files.n, b, p->new_files.n, NULL, &p->diff, NULL)) {
		/* libgit2 failed: fall back to counting the files that differ */
		size_t x = 0, y = 0;

		while (x < p->old_files.n || y < p->new_files.n) {
			int c = x >= p->old_files.n ? 1 : y >= p->new_files.n ? -1
				: strcmp(p->old_files.v[x].path, p->new_files.v[y].path);

			if (c < 0)
				add_change(p, &alloc, p->old_files.v[x++].path, 'D', NULL, NULL);
			else if (c > 0)
				add_change(p, &alloc, p->new_files.v[y++].path, 'A', NULL, NULL);
			else if (p->old_files.v[x].len != p->new_files.v[y].len ||
				 memcmp(p->old_files.v[x].data, p->new_files.v[y].data,
					p->old_files.v[x].len))
				add_change(p, &alloc, p->old_files.v[x++].path, 'M', NULL, NULL), y++;
			else
				x++, y++;
		}
	} else {
		for (i = 0; i < p->diff->nfiles; i++) {
			const struct csf_artdiff_file *f = &p->diff->files[i];
			struct csf_file_change *c;

			if (f->status == CSF_ART_SAME)
				continue;
			CSF_GROW(p->changes, alloc, p->nchanges + 1);
			c = &p->changes[p->nchanges++];
			c->path = csf_xstrdup(f->path);
			c->status = f->status == CSF_ART_ADDED ? 'A' : f->status == CSF_ART_REMOVED ? 'D' : 'M';
			c->added = f->added;
			c->removed = f->removed;
			c->binary = f->binary;
			p->added += f->added;
			p->removed += f->removed;
		}
	}
	free(a);
	free(b);
}

static void
summary_add(struct csf_release_plan *p, char *line)
{
	list_add(&p->summary, &p->nsummary, &p->summary_alloc, line);
}

static void
compute_summary(struct csf_release_plan *p)
{
	const struct csf_release_meta *o = p->has_old ? &p->old_meta : NULL, *n = &p->meta;
	struct csf_semdiff *sd = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	size_t i, shown = 0;

	if (!o) {
		summary_add(p, fmt("new in %s: %s %s", p->to, n->module, n->version ? n->version : "?"));
		return;
	}
	if (o->version && n->version && strcmp(o->version, n->version))
		summary_add(p, fmt("version %s → %s", o->version, n->version));
	for (i = 0; p->diff && i < p->diff->nsummary; i++)
		summary_add(p, csf_xstrdup(p->diff->summary[i]));
	if (!o->freight || !n->freight)
		return;
	if (csf_semdiff_mem("freight", o->freight, strlen(o->freight), "freight", n->freight,
			    strlen(n->freight), &sd, &err))
		return;
	for (i = 0; i < sd->n; i++) {
		const struct csf_sem_change *c = &sd->changes[i];

		if (!strcmp(c->path, "version"))
			continue;
		if (!shown)
			summary_add(p, fmt("blueprint changes (freight):"));
		if (shown++ >= MAX_SUMMARY) {
			summary_add(p, fmt("  … %zu more blueprint changes", sd->n - i));
			break;
		}
		switch (c->kind) {
		case CSF_SEM_ADDED:
			summary_add(p, fmt("  %s: + %s", c->path, c->new_text ? c->new_text : ""));
			break;
		case CSF_SEM_REMOVED:
			summary_add(p, fmt("  %s: - %s", c->path, c->old_text ? c->old_text : ""));
			break;
		case CSF_SEM_REORDERED:
			summary_add(p, fmt("  %s: reordered", c->path));
			break;
		default:
			summary_add(p, fmt("  %s %s → %s", c->path, c->old_text ? c->old_text : "",
					   c->new_text ? c->new_text : ""));
			break;
		}
	}
	csf_semdiff_free(sd);
}

enum csf_status
csf_release_file_diff(const struct csf_release_plan *plan, const char *path, struct csf_buf *out,
		      struct csf_error *err)
{
	const struct csf_gfile *a = csf_fileset_find(&plan->old_files, path);
	const struct csf_gfile *b = csf_fileset_find(&plan->new_files, path);
	struct csf_diff *d = NULL;
	char *an, *bn;
	enum csf_status st;

	if (!a && !b)
		return csf_fail(err, CSF_E_NOTFOUND, path, NOLOC, "not part of this release");
	an = fmt("a/%s/%s", plan->dir, path);
	bn = fmt("b/%s/%s", plan->dir, path);
	st = csf_diff_buffers(an, a ? a->data : NULL, a ? a->len : 0, bn, b ? b->data : NULL,
			      b ? b->len : 0, NULL, &d, err);
	if (!st) {
		csf_diff_mark_missing(d, !a, !b);
		csf_diff_render_unified(out, d, 0);
		csf_diff_free(d);
	}
	free(an);
	free(bn);
	return st;
}

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
		     fmt("%s requires a passing test report, but no report path is set "
			 "(pipeline.yaml gates.testReport, or --test-report FILE)",
			 st && st->gates.require_tests ? "pipeline.yaml" : "the blueprint's release.gates"));
		return;
	}
	path = expand_template(tmpl, p);
	/* --test-report is relative to the current folder, pipeline.yaml's path to the workspace */
	full = path[0] == '/' || ctx->test_report || !ctx->ws || !ctx->ws->root
		? csf_xstrdup(path) : csf_path_join(ctx->ws->root, path);
	if (csf_buf_read_file(&text, full, 64u << 20) < 0)
		gate(p, "requireTests", CSF_GATE_BLOCK, fmt("test report %s not found", path));
	else if (!test_report_read(text.buf, text.len, &tests, &failed, why, sizeof(why)))
		gate(p, "requireTests", CSF_GATE_BLOCK, fmt("test report %s: %s", path, why));
	else if (failed)
		gate(p, "requireTests", CSF_GATE_BLOCK,
		     fmt("test report %s: %ld of %ld tests failed", path, failed, tests));
	else
		gate(p, "requireTests", CSF_GATE_PASS,
		     fmt("test report %s: %ld tests passed", path, tests));
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
				     fmt("%s when %s was released", m->gates[i].state == CSF_GATE_BLOCK
					 ? "failed" : "passed", m->rollback_of ? m->rollback_of : "it"));
				return;
			}
		gate(p, "lintClean", CSF_GATE_PASS,
		     fmt("restores %s, which was released without a lint gate",
			 m->rollback_of ? m->rollback_of : "an earlier release"));
		return;
	}
	if (!ctx->ws) {
		gate(p, "lintClean", CSF_GATE_BLOCK, fmt("no workspace to lint"));
		return;
	}
	bp = csf_ws_blueprint(ctx->ws, p->module);
	if (!bp) {
		gate(p, "lintClean", CSF_GATE_BLOCK,
		     fmt("module %s is not in the workspace: cannot lint it", p->module));
		return;
	}
	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	o.tenant = csf_ws_tenant(ctx->ws, p->tenant) ? p->tenant : NULL;
	o.env = csf_ws_env(ctx->ws, p->to) ? p->to : NULL;
	if (bp->version && p->meta.version && strcmp(bp->version, p->meta.version))
		note = " (the workspace blueprint is at a different version)";
	if (csf_lint_file(ctx->ws, bp->file, &o, &r, &err)) {
		gate(p, "lintClean", CSF_GATE_BLOCK, fmt("lint failed: %s", err.msg));
	} else if (r.nerrors) {
		const struct csf_diag *d = NULL;

		for (i = 0; i < r.n; i++)
			if (r.diags[i].sev == CSF_SEV_ERROR) {
				d = &r.diags[i];
				break;
			}
		gate(p, "lintClean", CSF_GATE_BLOCK,
		     fmt("%zu lint error%s in %s, first %s:%u: %s [%s]%s", r.nerrors,
			 r.nerrors == 1 ? "" : "s", bp->file->rel ? bp->file->rel : bp->file->path,
			 d && d->file ? d->file : "?", d ? d->loc.line : 0, d ? d->msg : "",
			 d ? d->rule : "", note));
	} else {
		gate(p, "lintClean", CSF_GATE_PASS,
		     fmt("0 errors in %s for %s/%s%s", bp->file->rel ? bp->file->rel : bp->file->path,
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
			     fmt("not required; approved by %s", a->name));
	} else if (!a->name || !*a->name) {
		gate(p, "requireApproval", CSF_GATE_BLOCK,
		     fmt("%s needs a named approval (--approve NAME --reason R)%s%s%s",
			 p->to, allowed.len ? "; allowed: " : "", allowed.buf, ""));
	} else if (!a->reason || !*a->reason) {
		gate(p, "requireApproval", CSF_GATE_BLOCK,
		     fmt("approval by %s needs a reason (--reason R)", a->name));
	} else if (!ok) {
		gate(p, "requireApproval", CSF_GATE_BLOCK,
		     fmt("%s may not approve %s (allowed: %s)", a->name, p->to, allowed.buf));
	} else {
		gate(p, "requireApproval", CSF_GATE_PASS,
		     fmt("approved by %s: %s", a->name, a->reason));
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
		     fmt("skipped: no source stage (%s)", p->kind == CSF_RELEASE_NEW ? "new release"
											: "rollback"));
		return;
	}
	if (!ctx->cluster) {
		gate(p, "health", CSF_GATE_SKIP,
		     fmt("skipped: no cluster configured (offline), health of %s not checked", p->from));
		return;
	}
	memset(&q, 0, sizeof(q));
	q.tenant = p->tenant;
	if (csf_cluster_load_tenants(ctx->cluster, &q, &t, &err)) {
		gate(p, "health", CSF_GATE_BLOCK, fmt("health of %s unknown: %s (%s)", p->from, err.msg,
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
		gate(p, "health", CSF_GATE_BLOCK, fmt("%s is not running for %s on %s", p->module,
						      p->tenant, ctx->cluster->name));
	else if (m->health == CSF_HEALTH_OK)
		gate(p, "health", CSF_GATE_PASS, fmt("%s/%s %s: %d/%d ready on %s", p->module, p->tenant,
						     m->version ? m->version : "", m->ready, m->desired,
						     ctx->cluster->name));
	else
		gate(p, "health", CSF_GATE_BLOCK,
		     fmt("%s/%s is %s on %s: %s", p->module, p->tenant, csf_health_name(m->health),
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
	gates_free(p->gates, p->ngates);
	p->gates = NULL;
	p->ngates = 0;
	p->blocked = false;
	if ((fz = csf_pipeline_frozen(&ctx->pipeline, st, ctx->now))) {
		if (fz->cron)
			gate(p, "freeze", CSF_GATE_BLOCK, fmt("%s is frozen: %s (cron %s, UTC)", p->to,
							     fz->reason, fz->cron));
		else
			gate(p, "freeze", CSF_GATE_BLOCK,
			     fmt("%s is frozen: %s (%s to %s)", p->to, fz->reason,
				 csf_format_utc(fz->from, a, sizeof(a)), csf_format_utc(fz->to, b, sizeof(b))));
	} else {
		gate(p, "freeze", CSF_GATE_PASS, fmt("no freeze window active at %s",
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
		p->meta.approvals[0].reason = xdup(p->approval.reason);
		p->meta.napprovals = 1;
	}
	meta_copy_gates(&p->meta, p->gates, p->ngates);
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

	hash_text(m->freight ? m->freight : "", h);
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
	m->release_id = fmt("%s-%s-%.6s", p->to, stamp, h);
	csf_buf_release(&seed);
	compute_changes(p);
	p->empty = !p->nchanges && p->has_old && p->old_meta.freight_hash &&
		   !strcmp(p->old_meta.freight_hash, m->freight_hash) &&
		   p->kind != CSF_RELEASE_ROLLBACK;
	compute_summary(p);
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
	out->meta.edition = xdup(t->edition);
	out->meta.version = xdup(bp->version);
	out->meta.blueprint_provider = xdup(bp->provider);
	out->meta.promoted_from = csf_xstrdup("workspace");
	out->meta.freight = freight_of(ctx->ws, bp, t);
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
	if ((st = render_freight(ctx, &out->meta, first, &out->new_files, &out->warnings,
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
	dst->module = xdup(src->module);
	dst->tenant = xdup(src->tenant);
	dst->edition = xdup(src->edition);
	dst->provider = xdup(src->provider);
	dst->blueprint_provider = xdup(src->blueprint_provider);
	dst->version = xdup(src->version);
	dst->image = xdup(src->image);
	dst->image_tag = xdup(src->image_tag);
	dst->blueprint_hash = xdup(src->blueprint_hash);
	dst->infra_hash = xdup(src->infra_hash);
	dst->freight = xdup(src->freight);
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
	sdir = fmt("environments/%s/%s/%s/release.yaml", out->from, tenant, module);
	st = csf_gitops_read(ctx->repo, out->base, sdir, &text, err);
	if (st == CSF_E_NOTFOUND) {
		st = csf_fail(err, CSF_E_NOTFOUND, NULL, NOLOC, "%s holds no release of %s for %s",
			      out->from, module, tenant);
		goto fail;
	}
	if (st || (st = csf_release_meta_parse(sdir, text.buf, text.len, &src, err)))
		goto fail;
	meta_clone_identity(&out->meta, &src);
	out->meta.promoted_from = fmt("%s@%s", out->from, src.release_id ? src.release_id : "?");
	if ((st = render_freight(ctx, &out->meta, out->to, &out->new_files, &out->warnings,
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

/* ---- history ---------------------------------------------------------------------------------- */

struct hist_walk {
	struct csf_release_ctx *ctx;
	const char *env, *module, *tenant;
	struct csf_history *out;
	struct csf_error *err;
	enum csf_status st;
};

static char *
trailer(const char *msg, const char *key)
{
	struct csf_buf b = CSF_BUF_INIT;

	if (!csf_gitops_trailer(msg, key, &b)) {
		csf_buf_release(&b);
		return NULL;
	}
	return csf_buf_detach(&b, NULL);
}

static void
dir_changes(struct csf_release_ctx *ctx, const char *parent, const char *commit, const char *dir,
	    struct csf_history_entry *e)
{
	struct csf_release_plan tmp;
	size_t alloc = 0, i = 0, j = 0;
	struct csf_fileset a = CSF_FILESET_INIT, b = CSF_FILESET_INIT;

	memset(&tmp, 0, sizeof(tmp));
	if (*parent)
		csf_gitops_read_dir(ctx->repo, parent, dir, &a, NULL);
	csf_gitops_read_dir(ctx->repo, commit, dir, &b, NULL);
	while (i < a.n || j < b.n) {
		int c = i >= a.n ? 1 : j >= b.n ? -1 : strcmp(a.v[i].path, b.v[j].path);

		if (c < 0) {
			add_change(&tmp, &alloc, a.v[i].path, 'D', &a.v[i], NULL);
			i++;
		} else if (c > 0) {
			add_change(&tmp, &alloc, b.v[j].path, 'A', NULL, &b.v[j]);
			j++;
		} else {
			if (a.v[i].len != b.v[j].len || memcmp(a.v[i].data, b.v[j].data, a.v[i].len))
				add_change(&tmp, &alloc, a.v[i].path, 'M', &a.v[i], &b.v[j]);
			i++;
			j++;
		}
	}
	e->changes = tmp.changes;
	e->nchanges = tmp.nchanges;
	e->added = tmp.added;
	e->removed = tmp.removed;
	csf_fileset_release(&a);
	csf_fileset_release(&b);
}

static bool
hist_cb(void *vctx, const struct csf_gitops_commit_info *c)
{
	struct hist_walk *w = vctx;
	struct csf_history_entry *e;
	char *module = trailer(c->message, "Module"), *tenant = trailer(c->message, "Tenant");
	char *to = trailer(c->message, "Promoted-To");
	const char *g, *nl;
	char *dir;

	if ((w->module && (!module || strcmp(module, w->module))) ||
	    (w->tenant && (!tenant || strcmp(tenant, w->tenant))) ||
	    (to && strcmp(to, w->env))) {
		free(module);
		free(tenant);
		free(to);
		return true;
	}
	free(to);
	CSF_GROW(w->out->v, w->out->alloc, w->out->n + 1);
	e = &w->out->v[w->out->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->commit, c->id, sizeof(e->commit));
	e->author = xdup(c->author);
	e->email = xdup(c->email);
	e->when = c->when;
	e->module = module;
	e->tenant = tenant;
	e->release_id = trailer(c->message, "Release-Id");
	e->version = trailer(c->message, "Version");
	e->from = trailer(c->message, "Promoted-From");
	e->approved_by = trailer(c->message, "Approved-By");
	e->reason = trailer(c->message, "Reason");
	nl = strchr(c->message, '\n');
	e->subject = nl ? csf_xstrndup(c->message, (size_t)(nl - c->message)) : csf_xstrdup(c->message);
	if ((g = strstr(c->message, "\nGates: "))) {
		g += 8;
		nl = strchr(g, '\n');
		e->gates = nl ? csf_xstrndup(g, (size_t)(nl - g)) : csf_xstrdup(g);
	}
	dir = module && tenant ? csf_release_dir(w->env, tenant, module)
			       : fmt("environments/%s", w->env);
	dir_changes(w->ctx, c->parent, c->id, dir, e);
	free(dir);
	return true;
}

enum csf_status
csf_release_history(struct csf_release_ctx *ctx, const char *env, const char *module,
		    const char *tenant, struct csf_history *out, struct csf_error *err)
{
	char tip[CSF_OID_HEX];
	char *dir;
	struct hist_walk w;
	enum csf_status st;

	memset(out, 0, sizeof(*out));
	env = csf_env_canonical(env);
	if (!csf_pipeline_stage(&ctx->pipeline, env, NULL))
		return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "'%s' is not a stage of pipeline.yaml", env);
	if ((st = csf_gitops_tip(ctx->repo, tip, err)))
		return st;
	dir = module && tenant ? csf_release_dir(env, tenant, module) : fmt("environments/%s", env);
	w.ctx = ctx;
	w.env = env;
	w.module = module;
	w.tenant = tenant;
	w.out = out;
	w.err = err;
	w.st = CSF_E_OK;
	st = csf_gitops_log(ctx->repo, tip, dir, hist_cb, &w, err);
	free(dir);
	return st;
}

static void
changes_free(struct csf_file_change *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].path);
	free(c);
}

void
csf_history_release(struct csf_history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		struct csf_history_entry *e = &h->v[i];

		free(e->author);
		free(e->email);
		free(e->release_id);
		free(e->module);
		free(e->tenant);
		free(e->version);
		free(e->from);
		free(e->approved_by);
		free(e->reason);
		free(e->subject);
		free(e->gates);
		changes_free(e->changes, e->nchanges);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
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
	meta_copy_gates(&out->meta, old.gates, old.ngates);
	out->meta.rollback_of = xdup(old.release_id ? old.release_id : target->commit);
	out->meta.promoted_from = xdup(old.promoted_from);
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
	char *key = fmt("%s\t%s\t%s\t", module, tenant, env);
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
	changes_free(p->changes, p->nchanges);
	for (i = 0; i < p->nsummary; i++)
		free(p->summary[i]);
	free(p->summary);
	for (i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	gates_free(p->gates, p->ngates);
	csf_release_meta_release(&p->old_meta);
	csf_release_meta_release(&p->meta);
	free(p->approval.name);
	free(p->approval.reason);
	memset(p, 0, sizeof(*p));
}

/* ---- the board -------------------------------------------------------------------------------- */

/* Binary search among the first n rows (sorted). */
static struct csf_board_row *
board_find(struct csf_board *b, size_t n, const char *module, const char *tenant)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->rows[mid].module, module);

		if (!c)
			c = strcmp(b->rows[mid].tenant, tenant);
		if (!c)
			return &b->rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct csf_board_row *
board_row(struct csf_board *b, const char *module, const char *tenant)
{
	struct csf_board_row *r;

	CSF_GROW(b->rows, b->alloc, b->nrows + 1);
	r = &b->rows[b->nrows++];
	r->module = module;
	r->tenant = tenant;
	r->slots = csf_arena_alloc(&b->arena, (b->nstages ? b->nstages : 1) * sizeof(*r->slots));
	r->waiting_from = SIZE_MAX;
	r->workspace_version = NULL;
	return r;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct csf_board_row *x = a, *y = b;
	int c = strcmp(x->module, y->module);

	return c ? c : strcmp(x->tenant, y->tenant);
}

/* Marks the cells whose workspace freight differs from the first stage, and adds the cells
 * never released. Costs one effective blueprint per cell. */
static void
board_workspace(struct csf_release_ctx *ctx, struct csf_board *b)
{
	const struct csf_workspace *ws = ctx->ws;
	size_t i, j, n0 = b->nrows;

	for (i = 0; i < ws->nblueprints; i++) {
		const struct csf_blueprint *bp = &ws->blueprints[i];

		if (!bp->module || !csf_safe_component(bp->module))
			continue;
		for (j = 0; j < ws->ntenants; j++) {
			const struct csf_tenant *t = &ws->tenants[j];
			struct csf_board_row *r;
			const char *ver = csf_arena_strdup(&b->arena, bp->version ? bp->version : "?");
			char *fr;
			char h[65];

			if (!t->id || (bp->tenant_only && strcmp(bp->tenant_only, t->id)))
				continue;
			r = board_find(b, n0, bp->module, t->id);
			if (!r) {
				r = board_row(b, csf_arena_strdup(&b->arena, bp->module),
					      csf_arena_strdup(&b->arena, t->id));
				r->workspace_version = ver;
				b->nwaiting++;
				continue;
			}
			fr = freight_of(ws, bp, t);
			hash_text(fr, h);
			free(fr);
			if (b->nstages && (!r->slots[0].freight_hash ||
					   strncmp(r->slots[0].freight_hash, h, 16))) {
				if (r->waiting_from == SIZE_MAX)
					b->nwaiting++;
				r->workspace_version = ver;
			}
		}
	}
	if (b->nrows != n0)
		qsort(b->rows, b->nrows, sizeof(*b->rows), row_cmp);
}

enum csf_status
csf_release_board(struct csf_release_ctx *ctx, struct csf_board *out, struct csf_error *err)
{
	enum csf_status st;
	char *p, *end;
	size_t i, s;

	memset(out, 0, sizeof(*out));
	csf_buf_init(&out->text, 0);
	out->nstages = ctx->pipeline.nstages;
	out->stages = csf_xcalloc(out->nstages ? out->nstages : 1, sizeof(char *));
	for (i = 0; i < out->nstages; i++)
		out->stages[i] = csf_xstrdup(ctx->pipeline.stages[i].name);
	if ((st = csf_gitops_tip(ctx->repo, out->head, err)))
		return st;
	if (*out->head) {
		st = csf_gitops_read(ctx->repo, out->head, BOARD_INDEX, &out->text, err);
		if (st && st != CSF_E_NOTFOUND)
			return st;
		st = CSF_E_OK;
	}
	/* lines are sorted by module, tenant, stage: one row per run of lines */
	for (p = out->text.buf, end = out->text.buf + out->text.len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *f[7];
		int n = 0;
		struct csf_board_row *r;
		struct csf_board_slot *sl;

		if (nl)
			*nl = '\0';
		if (*p && *p != '#') {
			char *q = p;

			f[n++] = q;
			while (n < 7 && (q = strchr(q, '\t'))) {
				*q++ = '\0';
				f[n++] = q;
			}
		}
		p = nl ? nl + 1 : end;
		if (n != 7)
			continue;
		for (s = 0; s < out->nstages && strcmp(out->stages[s], f[2]); s++)
			;
		if (s == out->nstages)
			continue;
		r = out->nrows ? &out->rows[out->nrows - 1] : NULL;
		if (!r || strcmp(r->module, f[0]) || strcmp(r->tenant, f[1]))
			r = board_row(out, f[0], f[1]);
		sl = &r->slots[s];
		sl->version = f[3];
		sl->release_id = f[4];
		sl->freight_hash = f[5];
		sl->created_at = f[6];
	}
	for (i = 0; i < out->nrows; i++) {
		struct csf_board_row *r = &out->rows[i];

		for (s = out->nstages; s-- > 1;) {
			if (r->slots[s - 1].version &&
			    (!r->slots[s].version || strcmp(r->slots[s - 1].freight_hash,
							     r->slots[s].freight_hash))) {
				r->waiting_from = s - 1;
				out->nwaiting++;
				break;
			}
		}
	}
	if (ctx->ws)
		board_workspace(ctx, out);
	return st;
}

void
csf_board_release(struct csf_board *b)
{
	size_t i;

	free(b->rows);
	for (i = 0; i < b->nstages; i++)
		free(b->stages[i]);
	free(b->stages);
	csf_buf_release(&b->text);
	csf_arena_release(&b->arena);
	memset(b, 0, sizeof(*b));
}
