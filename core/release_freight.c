/* Release freight: renders a release's freight (the effective blueprint as YAML, through the
 * renderer) into the files of a plan, redacting credential-looking values, and computes the
 * plan's file changes and its one-line summary (core/release_int.h). */
#include "core/release.h"

#include <stdlib.h>
#include <string.h>

#include "core/artdiff.h"
#include "core/diff.h"
#include "core/effective.h"
#include "core/emit_yaml.h"
#include "core/release_int.h"
#include "core/semdiff.h"
#include "core/sha256.h"
#include "core/yaml_model.h"

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

/* The freight of (bp, tenant): the effective blueprint without an environment, as YAML text.
 * Credential-looking values never reach the GitOps repository (csf_render_redact_filter). */
char *
csf_release_freight_of(const struct csf_workspace *ws, const struct csf_blueprint *bp,
	   const struct csf_tenant *tenant)
{
	struct csf_effective *eff = csf_effective_new(ws, bp, tenant, NULL);
	struct csf_buf b = CSF_BUF_INIT;

	csf_ey_node_filtered(&b, 0, eff->root, csf_render_redact_filter, NULL);
	csf_effective_free(eff);
	return csf_buf_detach(&b, NULL);
}

void
csf_release_hash_text(const char *s, char out[65])
{
	csf_sha256_hex(s, strlen(s), out);
}

/* Renders meta's freight for env into files; fills meta's image, hashes and edition from the
 * renderer's release.yaml (which is left out of files: the GitOps release.yaml replaces it). */
enum csf_status
csf_release_render_freight(struct csf_release_ctx *ctx, struct csf_release_meta *meta, const char *env_name,
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
		csf_release_list_add(warn, nwarn, awarn,
			 csf_release_fmt("environment '%s' is not defined in the workspace: rendered without "
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

			if ((v = csf_release_node_dup(rd->root, "image"))) {
				free(meta->image);
				meta->image = v;
			}
			if ((v = csf_release_node_dup(rd->root, "imageTag"))) {
				free(meta->image_tag);
				meta->image_tag = v;
			}
			if ((v = csf_release_node_dup(rd->root, "blueprintHash"))) {
				free(meta->blueprint_hash);
				meta->blueprint_hash = v;
			}
			if ((v = csf_release_node_dup(rd->root, "infraHash"))) {
				free(meta->infra_hash);
				meta->infra_hash = v;
			}
			if (!meta->edition)
				meta->edition = csf_release_node_dup(rd->root, "edition");
		}
		csf_yaml_doc_free(rd);
	}
	for (i = 0; !st && i < raw.n; i++)
		if (strcmp(raw.v[i].path, "release.yaml"))
			csf_fileset_add(files, raw.v[i].path, raw.v[i].data, raw.v[i].len,
					raw.v[i].exec);
	csf_fileset_sort(files);
	if (!st && !meta->image_tag && meta->version)
		meta->image_tag = csf_release_xdup(meta->version);
	csf_fileset_release(&raw);
	csf_yaml_doc_free(doc);
	return st;
}

/* ---- diff ------------------------------------------------------------------------------------- */

void
csf_release_add_change(struct csf_release_plan *p, size_t *alloc, const char *path, char status,
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
void
csf_release_compute_changes(struct csf_release_plan *p)
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
				csf_release_add_change(p, &alloc, p->old_files.v[x++].path, 'D', NULL, NULL);
			else if (c > 0)
				csf_release_add_change(p, &alloc, p->new_files.v[y++].path, 'A', NULL, NULL);
			else if (p->old_files.v[x].len != p->new_files.v[y].len ||
				 memcmp(p->old_files.v[x].data, p->new_files.v[y].data,
					p->old_files.v[x].len))
				csf_release_add_change(p, &alloc, p->old_files.v[x++].path, 'M', NULL, NULL), y++;
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
	csf_release_list_add(&p->summary, &p->nsummary, &p->summary_alloc, line);
}

void
csf_release_compute_summary(struct csf_release_plan *p)
{
	const struct csf_release_meta *o = p->has_old ? &p->old_meta : NULL, *n = &p->meta;
	struct csf_semdiff *sd = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	size_t i, shown = 0;

	if (!o) {
		summary_add(p, csf_release_fmt("new in %s: %s %s", p->to, n->module, n->version ? n->version : "?"));
		return;
	}
	if (o->version && n->version && strcmp(o->version, n->version))
		summary_add(p, csf_release_fmt("version %s → %s", o->version, n->version));
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
			summary_add(p, csf_release_fmt("blueprint changes (freight):"));
		if (shown++ >= MAX_SUMMARY) {
			summary_add(p, csf_release_fmt("  … %zu more blueprint changes", sd->n - i));
			break;
		}
		switch (c->kind) {
		case CSF_SEM_ADDED:
			summary_add(p, csf_release_fmt("  %s: + %s", c->path, c->new_text ? c->new_text : ""));
			break;
		case CSF_SEM_REMOVED:
			summary_add(p, csf_release_fmt("  %s: - %s", c->path, c->old_text ? c->old_text : ""));
			break;
		case CSF_SEM_REORDERED:
			summary_add(p, csf_release_fmt("  %s: reordered", c->path));
			break;
		default:
			summary_add(p, csf_release_fmt("  %s %s → %s", c->path, c->old_text ? c->old_text : "",
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
	an = csf_release_fmt("a/%s/%s", plan->dir, path);
	bn = csf_release_fmt("b/%s/%s", plan->dir, path);
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

void
csf_release_changes_free(struct csf_file_change *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].path);
	free(c);
}
