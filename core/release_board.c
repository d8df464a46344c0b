/* Release history and board: the releases of one target from the GitOps log
 * (csf_release_history), and the board of every module × tenant × stage from the board index
 * (csf_release_board) (core/release.h). */
#include "core/release.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsutil.h"
#include "core/release_int.h"

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
			csf_release_add_change(&tmp, &alloc, a.v[i].path, 'D', &a.v[i], NULL);
			i++;
		} else if (c > 0) {
			csf_release_add_change(&tmp, &alloc, b.v[j].path, 'A', NULL, &b.v[j]);
			j++;
		} else {
			if (a.v[i].len != b.v[j].len || memcmp(a.v[i].data, b.v[j].data, a.v[i].len))
				csf_release_add_change(&tmp, &alloc, a.v[i].path, 'M', &a.v[i], &b.v[j]);
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
	e->author = csf_release_xdup(c->author);
	e->email = csf_release_xdup(c->email);
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
			       : csf_release_fmt("environments/%s", w->env);
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
	dir = module && tenant ? csf_release_dir(env, tenant, module) : csf_release_fmt("environments/%s", env);
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
		csf_release_changes_free(e->changes, e->nchanges);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
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
			fr = csf_release_freight_of(ws, bp, t);
			csf_release_hash_text(fr, h);
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
