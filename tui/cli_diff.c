/* csf-tui --headless diff: line, side-by-side and semantic diffs of two files or folders, of
 * blueprint versions in git (--rev), and of the artifacts two versions generate (--artifacts).
 * Exit status: 0 same, 1 different, 2 error (DESIGN §7, §9). */
#include "tui/cli.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/artdiff.h"
#include "core/buf.h"
#include "core/diff.h"
#include "core/fsutil.h"
#include "core/gitrev.h"
#include "core/render.h"
#include "core/semdiff.h"
#include "core/status.h"
#include "core/workspace.h"

#define DIFF_USAGE \
	"diff A B | --rev R1[..R2] [PATH] [--semantic] [--side-by-side [--width N]]\n" \
	"                [--artifacts --provider P --tenant T --env E] [--format text|json]\n" \
	"                [--context N] [--ignore-whitespace] [--word-diff] [--ascii]"

#define READ_MAX (64u << 20)

struct diff_cli {
	const struct cli_global *g;
	const char *rev, *provider, *tenant, *env;
	const char *args[2];
	int nargs;
	bool semantic, side, artifacts, json, words, ascii;
	unsigned width;
	struct csf_diff_opts dopts;
};

/* A list of (path, bytes) read from a folder or a revision. */
struct file_list {
	struct csf_art_input *v;
	char **paths;
	struct csf_buf *data;
	size_t n, alloc, palloc, dalloc;
};

static void
list_add(struct file_list *l, const char *path, struct csf_buf *data)
{
	CSF_GROW(l->paths, l->palloc, l->n + 1);
	CSF_GROW(l->data, l->dalloc, l->n + 1);
	l->paths[l->n] = csf_xstrdup(path);
	l->data[l->n] = *data;
	*data = (struct csf_buf)CSF_BUF_INIT;
	l->n++;
}

/* The inputs, valid until the list changes or is released. */
static const struct csf_art_input *
list_inputs(struct file_list *l)
{
	size_t i;

	CSF_GROW(l->v, l->alloc, l->n + 1);
	for (i = 0; i < l->n; i++) {
		l->v[i].path = l->paths[i];
		l->v[i].data = l->data[i].buf;
		l->v[i].len = l->data[i].len;
	}
	return l->v;
}

static void
list_release(struct file_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->paths[i]);
		csf_buf_release(&l->data[i]);
	}
	free(l->paths);
	free(l->data);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
fail(const struct csf_error *err)
{
	char msg[600];

	fprintf(stderr, "csf-tui: diff: %s\n", csf_error_format(err, msg, sizeof(msg)));
	return CLI_ERROR;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every regular file under dir (".git" left out) into l with paths relative to root. */
static enum csf_status
read_dir(const char *root, const char *rel, struct file_list *l, struct csf_error *err)
{
	static const struct csf_loc none = { 0, 0 };
	char *dir = *rel ? csf_path_join(root, rel) : csf_xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	enum csf_status st = CSF_E_OK;

	if (!d) {
		st = csf_fail(err, CSF_E_IO, dir, none, "cannot read folder: %s", strerror(errno));
		free(dir);
		return st;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".git"))
			continue;
		CSF_GROW(names, alloc, n + 1);
		names[n++] = csf_xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && !st; i++) {
		char *sub = *rel ? csf_path_join(rel, names[i]) : csf_xstrdup(names[i]);
		char *full = csf_path_join(root, sub);
		struct stat sb;

		if (lstat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			st = read_dir(root, sub, l, err);
		} else if (lstat(full, &sb) == 0 && S_ISREG(sb.st_mode)) {
			struct csf_buf b = CSF_BUF_INIT;

			if (csf_buf_read_file(&b, full, READ_MAX) < 0)
				st = csf_fail(err, CSF_E_IO, full, none, "cannot read: %s",
					      strerror(errno));
			else
				list_add(l, sub, &b);
			csf_buf_release(&b);
		}
		free(sub);
		free(full);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	return st;
}

/* ---- output ---------------------------------------------------------------------------- */

static void
flush(struct csf_buf *out)
{
	fwrite(out->buf, 1, out->len, stdout);
	fflush(stdout);
}

static unsigned
render_flags(const struct diff_cli *o)
{
	return (o->words ? CSF_DIFF_R_WORDS : 0) | (o->ascii ? CSF_DIFF_R_ASCII : 0);
}

/* Two single files (either may be missing: NULL data). */
static int
diff_two(const struct diff_cli *o, const char *an, const struct csf_buf *a, const char *bn,
	 const struct csf_buf *b)
{
	struct csf_buf out = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	bool same;

	if (o->semantic) {
		struct csf_semdiff *sd;

		if (csf_semdiff_mem(an, a ? a->buf : NULL, a ? a->len : 0, bn, b ? b->buf : NULL,
				    b ? b->len : 0, &sd, &err))
			return fail(&err);
		same = sd->n == 0;
		if (o->json) {
			csf_buf_addstr(&out, "{\"old\":");
			csf_buf_add_json_str(&out, an);
			csf_buf_addstr(&out, ",\"new\":");
			csf_buf_add_json_str(&out, bn);
			csf_buf_addf(&out, ",\"same\":%s,\"changes\":", same ? "true" : "false");
			csf_semdiff_render_json(&out, sd);
			csf_buf_addstr(&out, "}\n");
		} else {
			csf_semdiff_render_text(&out, sd);
		}
		csf_semdiff_free(sd);
	} else {
		struct csf_diff *d;

		if (csf_diff_buffers(an, a ? a->buf : NULL, a ? a->len : 0, bn, b ? b->buf : NULL,
				     b ? b->len : 0, &o->dopts, &d, &err))
			return fail(&err);
		csf_diff_mark_missing(d, !a, !b);
		same = d->same;
		if (o->json) {
			csf_diff_render_json(&out, d);
			csf_buf_addch(&out, '\n');
		} else if (o->side) {
			csf_diff_render_side_by_side(&out, d, o->width, render_flags(o));
		} else {
			csf_diff_render_unified(&out, d, render_flags(o));
		}
		csf_diff_free(d);
	}
	flush(&out);
	csf_buf_release(&out);
	return same ? CLI_OK : CLI_FOUND;
}

/* In semantic mode two sets are the same when no file was added or removed and every changed
 * file is YAML/JSON without a semantic change. */
static bool
sets_same(const struct diff_cli *o, const struct csf_artdiff *ad)
{
	size_t i;

	if (!o->semantic || ad->nadded || ad->nremoved)
		return csf_artdiff_same(ad);
	for (i = 0; i < ad->nfiles; i++) {
		const struct csf_artdiff_file *f = &ad->files[i];

		if (f->status != CSF_ART_SAME && (!f->sem || f->sem->n))
			return false;
	}
	return true;
}

static int
diff_sets(const struct diff_cli *o, struct file_list *a, struct file_list *b)
{
	struct csf_artdiff_opts ao = CSF_ARTDIFF_OPTS_INIT;
	struct csf_artdiff *ad;
	struct csf_buf out = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_art_input *ia = list_inputs(a), *ib = list_inputs(b);
	bool same;

	ao.diff = o->dopts;
	if (csf_artdiff_compute(ia, a->n, ib, b->n, &ao, &ad, &err))
		return fail(&err);
	same = sets_same(o, ad);
	if (o->json) {
		csf_artdiff_render_json(&out, ad, !o->semantic);
		csf_buf_addch(&out, '\n');
	} else if (!same) {
		csf_artdiff_render_text(&out, ad, o->semantic ? CSF_ARTDIFF_SEMANTIC
						  : o->side   ? CSF_ARTDIFF_SIDE_BY_SIDE
							      : CSF_ARTDIFF_UNIFIED,
					o->width, render_flags(o));
	}
	flush(&out);
	csf_buf_release(&out);
	csf_artdiff_free(ad);
	return same ? CLI_OK : CLI_FOUND;
}

/* ---- diff A B --------------------------------------------------------------------------- */

static int
diff_paths(const struct diff_cli *o)
{
	static const struct csf_loc none = { 0, 0 };
	const char *a = o->args[0], *b = o->args[1];
	struct csf_error err = CSF_ERROR_INIT;
	bool da = csf_is_dir(a), db = csf_is_dir(b);
	int rc;

	if (da != db)
		return cli_usage_error("diff: %s and %s must both be files or both folders", a, b);
	if (da) {
		struct file_list la = { 0 }, lb = { 0 };

		if (read_dir(a, "", &la, &err) || read_dir(b, "", &lb, &err))
			rc = fail(&err);
		else
			rc = diff_sets(o, &la, &lb);
		list_release(&la);
		list_release(&lb);
		return rc;
	} else {
		struct csf_buf ba = CSF_BUF_INIT, bb = CSF_BUF_INIT;

		if (csf_buf_read_file(&ba, a, READ_MAX) < 0) {
			csf_fail(&err, CSF_E_IO, a, none, "cannot read: %s", strerror(errno));
			rc = fail(&err);
		} else if (csf_buf_read_file(&bb, b, READ_MAX) < 0) {
			csf_fail(&err, CSF_E_IO, b, none, "cannot read: %s", strerror(errno));
			rc = fail(&err);
		} else {
			rc = diff_two(o, a, &ba, b, &bb);
		}
		csf_buf_release(&ba);
		csf_buf_release(&bb);
		return rc;
	}
}

/* ---- diff --rev R1..R2 [PATH] ----------------------------------------------------------- */

struct rev_read {
	const struct csf_gitrev *rev;
	struct file_list *list;
	struct csf_error *err;
	enum csf_status st;
};

static bool
rev_read_one(void *p, const char *rel)
{
	struct rev_read *r = p;
	struct csf_buf b = CSF_BUF_INIT;
	bool exists;

	r->st = csf_gitrev_read(r->rev, rel, &b, &exists, r->err);
	if (!r->st && exists)
		list_add(r->list, rel, &b);
	csf_buf_release(&b);
	return !r->st;
}

static enum csf_status
rev_list(const struct csf_gitrev *rev, const char *prefix, struct file_list *l,
	 struct csf_error *err)
{
	struct rev_read r = { rev, l, err, CSF_E_OK };
	enum csf_status st = csf_gitrev_list(rev, prefix, rev_read_one, &r, err);

	return st ? st : r.st;
}

static int
diff_revs(const struct diff_cli *o)
{
	static const struct csf_loc none = { 0, 0 };
	const char *path = o->nargs ? o->args[0] : o->g->workspace ? o->g->workspace : ".";
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_gitrepo *repo = NULL;
	struct csf_gitrev *r1 = NULL, *r2 = NULL;
	char *s1 = NULL, *s2 = NULL, *rel = NULL;
	int rc;

	if (csf_gitrev_parse_range(o->rev, &s1, &s2, &err) || csf_gitrepo_open(path, &repo, &err) ||
	    csf_gitrepo_relpath(repo, path, &rel, &err) ||
	    csf_gitrev_resolve(repo, s1, &r1, &err) || csf_gitrev_resolve(repo, s2, &r2, &err)) {
		rc = fail(&err);
		goto out;
	}
	if (csf_gitrev_is_dir(r1, rel) || csf_gitrev_is_dir(r2, rel)) {
		struct file_list la = { 0 }, lb = { 0 };

		if (rev_list(r1, rel, &la, &err) || rev_list(r2, rel, &lb, &err))
			rc = fail(&err);
		else
			rc = diff_sets(o, &la, &lb);
		list_release(&la);
		list_release(&lb);
	} else {
		struct csf_buf ba = CSF_BUF_INIT, bb = CSF_BUF_INIT, na = CSF_BUF_INIT,
			       nb = CSF_BUF_INIT;
		bool ea, eb;

		if (csf_gitrev_read(r1, rel, &ba, &ea, &err) ||
		    csf_gitrev_read(r2, rel, &bb, &eb, &err)) {
			rc = fail(&err);
		} else if (!ea && !eb) {
			csf_fail(&err, CSF_E_NOTFOUND, rel, none, "in neither %s nor %s",
				 csf_gitrev_label(r1), csf_gitrev_label(r2));
			rc = fail(&err);
		} else {
			csf_buf_addf(&na, "a/%s", rel);
			csf_buf_addf(&nb, "b/%s", rel);
			rc = diff_two(o, na.buf, ea ? &ba : NULL, nb.buf, eb ? &bb : NULL);
		}
		csf_buf_release(&ba);
		csf_buf_release(&bb);
		csf_buf_release(&na);
		csf_buf_release(&nb);
	}
out:
	csf_gitrev_free(r1);
	csf_gitrev_free(r2);
	csf_gitrepo_free(repo);
	free(s1);
	free(s2);
	free(rel);
	return rc;
}

/* ---- --artifacts: render both versions for one cell, diff the artifact sets --------------- */

static bool
same_file(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = ra && rb && !strcmp(ra, rb);

	free(ra);
	free(rb);
	return same;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Renders one blueprint for the cell into l, paths prefixed with prefix (may be ""). A
 * blueprint specific to another tenant renders nothing. */
static enum csf_status
render_one(const struct diff_cli *o, const struct csf_workspace *ws,
	   const struct csf_blueprint *bp, bool prefix, struct file_list *l, struct csf_error *err)
{
	static const struct csf_loc none = { 0, 0 };
	const struct csf_tenant *t = o->tenant ? csf_ws_tenant(ws, o->tenant) : NULL;
	const struct csf_environment *e = o->env ? csf_ws_env(ws, o->env) : NULL;
	struct csf_render_opts ro = { o->provider, NULL, NULL, ws };
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	enum csf_status st;
	size_t i;

	if (o->tenant && !t)
		return csf_fail(err, CSF_E_USAGE, ws->root, none, "no tenant '%s' in the workspace",
				o->tenant);
	if (o->env && !e)
		return csf_fail(err, CSF_E_USAGE, ws->root, none,
				"no environment '%s' in the workspace", o->env);
	if (bp->tenant_only && (!t || strcmp(t->id, bp->tenant_only)))
		return CSF_E_OK;
	if ((st = csf_render_cell(ws, bp, t, e, &ro, &set, err))) {
		if (err && !err->file[0])
			snprintf(err->file, sizeof(err->file), "%s", bp->file->path);
		return st;
	}
	for (i = 0; i < set.n; i++) {
		struct csf_buf path = CSF_BUF_INIT;

		if (prefix)
			csf_buf_addf(&path, "%s/", set.name);
		csf_buf_addstr(&path, set.items[i].path);
		list_add(l, path.buf, &set.items[i].data);
		csf_buf_release(&path);
	}
	csf_artifact_set_release(&set);
	return CSF_E_OK;
}

/* Opens the workspace in wsdir and renders the blueprint at bp_path (a file: added to the
 * workspace when it is not one of its files; NULL: every blueprint, paths prefixed with the
 * module's Kubernetes name). A blueprint that does not exist on this side renders nothing. */
static enum csf_status
render_side(const struct diff_cli *o, const char *wsdir, const char *bp_path,
	    struct file_list *l, struct csf_error *err)
{
	struct csf_workspace *ws;
	enum csf_status st;
	size_t i;

	if ((st = csf_workspace_open(wsdir, &ws, err)))
		return st;
	if (bp_path) {
		const struct csf_blueprint *bp = NULL;

		if (!csf_is_file(bp_path))
			goto out;
		for (i = 0; i < ws->nblueprints && !bp; i++)
			if (same_file(ws->blueprints[i].file->path, bp_path))
				bp = &ws->blueprints[i];
		if (!bp) {
			struct csf_ws_file *f = csf_workspace_add_file(ws, bp_path, CSF_KIND_BLUEPRINT);

			if (!f->doc) {
				*err = f->err;
				st = f->err.code ? f->err.code : CSF_E_PARSE;
				goto out;
			}
			for (i = 0; i < ws->nblueprints && !bp; i++)
				if (ws->blueprints[i].file == f)
					bp = &ws->blueprints[i];
		}
		if (!bp) {
			static const struct csf_loc none = { 0, 0 };

			st = csf_fail(err, CSF_E_USAGE, bp_path, none, "not a blueprint");
			goto out;
		}
		st = render_one(o, ws, bp, false, l, err);
	} else {
		for (i = 0; i < ws->nblueprints && !st; i++)
			st = render_one(o, ws, &ws->blueprints[i], true, l, err);
	}
out:
	csf_workspace_free(ws);
	return st;
}

/* The workspace folder for path: --workspace, else the nearest folder with csf.yaml above
 * path, else path itself when it is a folder, else the current folder. Caller frees. */
static char *
workspace_for(const struct diff_cli *o, const char *path)
{
	char *w;

	if (o->g->workspace)
		return csf_xstrdup(o->g->workspace);
	if (path && (w = csf_find_workspace(path)))
		return w;
	if (path && csf_is_dir(path))
		return csf_xstrdup(path);
	return csf_xstrdup(".");
}

static int
artifacts_paths(const struct diff_cli *o)
{
	const char *a = o->args[0], *b = o->args[1];
	struct file_list la = { 0 }, lb = { 0 };
	struct csf_error err = CSF_ERROR_INIT;
	int rc;

	if (csf_is_dir(a) && csf_is_dir(b)) {
		if (render_side(o, a, NULL, &la, &err) || render_side(o, b, NULL, &lb, &err))
			rc = fail(&err);
		else
			rc = diff_sets(o, &la, &lb);
	} else if (csf_is_file(a) && csf_is_file(b)) {
		char *wa = workspace_for(o, a), *wb = workspace_for(o, b);

		if (render_side(o, wa, a, &la, &err) || render_side(o, wb, b, &lb, &err))
			rc = fail(&err);
		else
			rc = diff_sets(o, &la, &lb);
		free(wa);
		free(wb);
	} else {
		rc = cli_usage_error("diff: --artifacts compares two blueprint files or two "
				     "workspace folders (%s, %s)", a, b);
	}
	list_release(&la);
	list_release(&lb);
	return rc;
}

/* The workspace (and blueprint) as they are in rev: the working tree is used in place; other
 * revisions are written to a temporary folder *tmp (removed by the caller). */
static enum csf_status
rev_side(const struct diff_cli *o, const struct csf_gitrev *rev, const char *ws_abs,
	 const char *ws_rel, const char *bp_rel, char **tmp, struct file_list *l,
	 struct csf_error *err)
{
	char *bp = NULL;
	const char *wsdir = ws_abs;
	enum csf_status st;

	*tmp = NULL;
	if (strcmp(csf_gitrev_label(rev), "WORKTREE")) {
		const char *base = getenv("TMPDIR");
		struct csf_buf t = CSF_BUF_INIT;

		csf_buf_addf(&t, "%s/csf-diff-XXXXXX", base && *base ? base : "/tmp");
		if (!mkdtemp(t.buf)) {
			static const struct csf_loc none = { 0, 0 };

			st = csf_fail(err, CSF_E_IO, t.buf, none, "cannot make a folder: %s",
				      strerror(errno));
			csf_buf_release(&t);
			return st;
		}
		*tmp = csf_buf_detach(&t, NULL);
		if ((st = csf_gitrev_export(rev, ws_rel, *tmp, err)))
			return st;
		wsdir = *tmp;
	}
	if (bp_rel)
		bp = csf_path_join(wsdir, bp_rel);
	st = render_side(o, wsdir, bp, l, err);
	free(bp);
	return st;
}

static int
artifacts_revs(const struct diff_cli *o)
{
	static const struct csf_loc none = { 0, 0 };
	const char *path = o->nargs ? o->args[0] : NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_gitrepo *repo = NULL;
	struct csf_gitrev *r1 = NULL, *r2 = NULL;
	struct file_list la = { 0 }, lb = { 0 };
	char *s1 = NULL, *s2 = NULL, *ws_abs = workspace_for(o, path), *ws_real = NULL;
	char *ws_rel = NULL, *t1 = NULL, *t2 = NULL, *bp_real = NULL;
	const char *bp_rel = NULL;
	int rc;

	ws_real = realpath(ws_abs, NULL);
	if (!ws_real) {
		csf_fail(&err, CSF_E_IO, ws_abs, none, "no such workspace folder");
		rc = fail(&err);
		goto out;
	}
	if (path && !csf_is_dir(path)) {
		char *p = realpath(path, NULL);
		size_t n = strlen(ws_real);

		if (!p || strncmp(p, ws_real, n) || p[n] != '/') {
			free(p);
			csf_fail(&err, CSF_E_USAGE, path, none,
				 "--artifacts --rev wants a blueprint inside the workspace %s", ws_real);
			rc = fail(&err);
			goto out;
		}
		bp_real = p;
		bp_rel = bp_real + n + 1;
	}
	if (csf_gitrev_parse_range(o->rev, &s1, &s2, &err) ||
	    csf_gitrepo_open(ws_real, &repo, &err) ||
	    csf_gitrepo_relpath(repo, ws_real, &ws_rel, &err) ||
	    csf_gitrev_resolve(repo, s1, &r1, &err) || csf_gitrev_resolve(repo, s2, &r2, &err) ||
	    rev_side(o, r1, ws_real, ws_rel, bp_rel, &t1, &la, &err) ||
	    rev_side(o, r2, ws_real, ws_rel, bp_rel, &t2, &lb, &err)) {
		rc = fail(&err);
		goto out;
	}
	rc = diff_sets(o, &la, &lb);
out:
	if (t1)
		nftw(t1, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (t2)
		nftw(t2, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(t1);
	free(t2);
	list_release(&la);
	list_release(&lb);
	csf_gitrev_free(r1);
	csf_gitrev_free(r2);
	csf_gitrepo_free(repo);
	free(s1);
	free(s2);
	free(ws_abs);
	free(ws_real);
	free(ws_rel);
	free(bp_real);
	return rc;
}

/* ---- options ---------------------------------------------------------------------------- */

static bool
parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

int
cli_diff(const struct cli_global *g, int argc, char **argv)
{
	struct diff_cli o;
	const char *v, *cols = getenv("COLUMNS");
	bool missing;
	int i;

	memset(&o, 0, sizeof(o));
	o.g = g;
	o.dopts = (struct csf_diff_opts)CSF_DIFF_OPTS_INIT;
	if (!parse_uint(cols, 10000, &o.width))
		o.width = 80;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: csf-tui --headless %s\n", DIFF_USAGE);
			return CLI_OK;
		} else if ((v = cli_opt(argc, argv, &i, "--rev", &missing))) {
			o.rev = v;
		} else if ((v = cli_opt(argc, argv, &i, "--width", &missing))) {
			if (!parse_uint(v, 10000, &o.width))
				return cli_usage_error("diff: --width wants a number, not '%s'", v);
		} else if ((v = cli_opt(argc, argv, &i, "--context", &missing)) ||
			   (v = cli_opt(argc, argv, &i, "-U", &missing))) {
			if (!parse_uint(v, 100000, &o.dopts.context))
				return cli_usage_error("diff: --context wants a number, not '%s'", v);
		} else if ((v = cli_opt(argc, argv, &i, "--format", &missing))) {
			if (strcmp(v, "text") && strcmp(v, "json"))
				return cli_usage_error("diff: --format is text or json, not '%s'", v);
			o.json = !strcmp(v, "json");
		} else if ((v = cli_opt(argc, argv, &i, "--provider", &missing))) {
			o.provider = v;
		} else if ((v = cli_opt(argc, argv, &i, "--tenant", &missing))) {
			o.tenant = v;
		} else if ((v = cli_opt(argc, argv, &i, "--env", &missing))) {
			o.env = v;
		} else if (missing) {
			return cli_usage_error("diff: option %s needs a value", a);
		} else if (!strncmp(a, "-U", 2) && a[2] >= '0' && a[2] <= '9') {
			if (!parse_uint(a + 2, 100000, &o.dopts.context))
				return cli_usage_error("diff: -U wants a number, not '%s'", a + 2);
		} else if (!strcmp(a, "--semantic")) {
			o.semantic = true;
		} else if (!strcmp(a, "--side-by-side") || !strcmp(a, "-y")) {
			o.side = true;
		} else if (!strcmp(a, "--artifacts")) {
			o.artifacts = true;
		} else if (!strcmp(a, "--ignore-whitespace") || !strcmp(a, "-w")) {
			o.dopts.ignore_whitespace = true;
		} else if (!strcmp(a, "--word-diff")) {
			o.words = true;
		} else if (!strcmp(a, "--ascii")) {
			o.ascii = true;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("diff: unknown option '%s'\nusage: csf-tui --headless %s",
					       a, DIFF_USAGE);
		} else if (o.nargs == 2) {
			return cli_usage_error("diff: too many paths\nusage: csf-tui --headless %s",
					       DIFF_USAGE);
		} else {
			o.args[o.nargs++] = a;
		}
	}
	if (o.semantic && o.side)
		return cli_usage_error("diff: --semantic and --side-by-side exclude each other");
	if (!o.artifacts && (o.provider || o.tenant || o.env))
		return cli_usage_error("diff: --provider, --tenant and --env go with --artifacts");
	if (o.provider && !csf_render_provider_known(o.provider))
		return cli_usage_error("diff: unknown provider '%s' (azure, aws, gcp)", o.provider);
	if ((o.tenant && !csf_safe_component(o.tenant)) || (o.env && !csf_safe_component(o.env)))
		return cli_usage_error("diff: tenant and environment must be plain names");
	if (o.artifacts && o.rev) {
		if (o.nargs > 1)
			return cli_usage_error("diff: --rev takes at most one PATH");
		return artifacts_revs(&o);
	}
	if (o.artifacts) {
		if (o.nargs != 2)
			return cli_usage_error("diff: --artifacts needs two blueprints or workspaces, "
					       "or --rev");
		return artifacts_paths(&o);
	}
	if (o.rev) {
		if (o.nargs > 1)
			return cli_usage_error("diff: --rev takes at most one PATH");
		return diff_revs(&o);
	}
	if (o.nargs != 2)
		return cli_usage_error("diff: needs two paths, or --rev\nusage: csf-tui --headless %s",
				       DIFF_USAGE);
	return diff_paths(&o);
}
