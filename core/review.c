#include "core/review.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/render.h"
#include "core/workspace.h"
#include "core/xalloc.h"

#define READ_MAX (64u << 20)

static const struct csf_loc no_loc = { 0, 0 };

/* ------------------------------------------------------------------------------------------
 * File sets
 */

void
csf_review_files_add(struct csf_review_files *fs, const char *path, struct csf_buf *data)
{
	CSF_GROW(fs->paths, fs->palloc, fs->n + 1);
	CSF_GROW(fs->data, fs->dalloc, fs->n + 1);
	fs->paths[fs->n] = csf_xstrdup(path);
	fs->data[fs->n] = *data;
	csf_buf_init(data, 0);
	fs->n++;
}

const struct csf_art_input *
csf_review_files_inputs(struct csf_review_files *fs)
{
	size_t i;

	CSF_GROW(fs->in, fs->in_alloc, fs->n + 1);
	for (i = 0; i < fs->n; i++) {
		fs->in[i].path = fs->paths[i];
		fs->in[i].data = fs->data[i].buf;
		fs->in[i].len = fs->data[i].len;
	}
	return fs->in;
}

void
csf_review_files_release(struct csf_review_files *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		free(fs->paths[i]);
		csf_buf_release(&fs->data[i]);
	}
	free(fs->paths);
	free(fs->data);
	free(fs->in);
	memset(fs, 0, sizeof(*fs));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum csf_status
read_dir(struct csf_review_files *fs, const char *root, const char *rel, struct csf_error *err)
{
	char *dir = *rel ? csf_path_join(root, rel) : csf_xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	enum csf_status st = CSF_E_OK;

	if (!d) {
		st = csf_fail(err, CSF_E_IO, dir, no_loc, "cannot read folder: %s", strerror(errno));
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
			st = read_dir(fs, root, sub, err);
		} else if (lstat(full, &sb) == 0 && S_ISREG(sb.st_mode)) {
			struct csf_buf b = CSF_BUF_INIT;

			if (csf_buf_read_file(&b, full, READ_MAX) < 0)
				st = csf_fail(err, CSF_E_IO, full, no_loc, "cannot read: %s",
					      strerror(errno));
			else
				csf_review_files_add(fs, sub, &b);
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

enum csf_status
csf_review_read_dir(struct csf_review_files *fs, const char *dir, struct csf_error *err)
{
	return read_dir(fs, dir, "", err);
}

struct rev_read {
	struct csf_review_files *fs;
	const struct csf_gitrev *rev;
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
		csf_review_files_add(r->fs, rel, &b);
	csf_buf_release(&b);
	return !r->st;
}

enum csf_status
csf_review_read_rev(struct csf_review_files *fs, const struct csf_gitrev *rev, const char *prefix,
		     struct csf_error *err)
{
	struct rev_read r = { fs, rev, err, CSF_E_OK };
	enum csf_status st = csf_gitrev_list(rev, prefix, rev_read_one, &r, err);

	return st ? st : r.st;
}

/* ------------------------------------------------------------------------------------------
 * Rendering a side
 */

static bool
same_file(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = ra && rb && !strcmp(ra, rb);

	free(ra);
	free(rb);
	return same;
}

static enum csf_status
render_one(struct csf_review_files *fs, const struct csf_workspace *ws,
	   const struct csf_blueprint *bp, bool prefix, const struct csf_review_cell *cell,
	   struct csf_error *err)
{
	const struct csf_tenant *t = cell->tenant ? csf_ws_tenant(ws, cell->tenant) : NULL;
	const struct csf_environment *e = cell->env ? csf_ws_env(ws, cell->env) : NULL;
	struct csf_render_opts ro = { cell->provider, NULL, NULL, ws };
	struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
	enum csf_status st;
	size_t i;

	if (cell->tenant && !t)
		return csf_fail(err, CSF_E_USAGE, ws->root, no_loc,
				"no tenant '%s' in the workspace", cell->tenant);
	if (cell->env && !e)
		return csf_fail(err, CSF_E_USAGE, ws->root, no_loc,
				"no environment '%s' in the workspace", cell->env);
	if (bp->tenant_only && (!t || strcmp(t->id, bp->tenant_only)))
		return CSF_E_OK;
	if ((st = csf_render_cell(ws, bp, t, e, &ro, &set, err))) {
		if (err && !err->file[0])
			snprintf(err->file, sizeof(err->file), "%s", bp->file->path);
		csf_artifact_set_release(&set);
		return st;
	}
	for (i = 0; i < set.n; i++) {
		struct csf_buf path = CSF_BUF_INIT;

		if (prefix)
			csf_buf_addf(&path, "%s/", set.name);
		csf_buf_addstr(&path, set.items[i].path);
		csf_review_files_add(fs, path.buf, &set.items[i].data);
		csf_buf_release(&path);
	}
	csf_artifact_set_release(&set);
	return CSF_E_OK;
}

enum csf_status
csf_review_render(struct csf_review_files *fs, const char *wsdir, const char *bp_path,
		  const struct csf_review_cell *cell_in, struct csf_error *err)
{
	static const struct csf_review_cell none = { NULL, NULL, NULL };
	const struct csf_review_cell *cell = cell_in ? cell_in : &none;
	struct csf_workspace *ws;
	enum csf_status st;
	size_t i;

	if (cell->provider && !csf_render_provider_known(cell->provider))
		return csf_fail(err, CSF_E_USAGE, NULL, no_loc,
				"unknown provider '%s' (azure, aws, gcp)", cell->provider);
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
				if (err)
					*err = f->err;
				st = f->err.code ? f->err.code : CSF_E_PARSE;
				goto out;
			}
			for (i = 0; i < ws->nblueprints && !bp; i++)
				if (ws->blueprints[i].file == f)
					bp = &ws->blueprints[i];
		}
		if (!bp) {
			st = csf_fail(err, CSF_E_USAGE, bp_path, no_loc, "not a blueprint");
			goto out;
		}
		st = render_one(fs, ws, bp, false, cell, err);
	} else {
		for (i = 0; i < ws->nblueprints && !st; i++)
			st = render_one(fs, ws, &ws->blueprints[i], true, cell, err);
	}
out:
	csf_workspace_free(ws);
	return st;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

enum csf_status
csf_review_render_rev(struct csf_review_files *fs, const struct csf_gitrev *rev, const char *ws_abs,
		      const char *ws_rel, const char *bp_rel, const struct csf_review_cell *cell,
		      struct csf_error *err)
{
	const char *base = getenv("TMPDIR");
	struct csf_buf tmp = CSF_BUF_INIT;
	const char *wsdir = ws_abs;
	char *bp = NULL;
	enum csf_status st = CSF_E_OK;
	bool made = false;

	if (strcmp(csf_gitrev_label(rev), "WORKTREE")) {
		csf_buf_addf(&tmp, "%s/csf-review-XXXXXX", base && *base ? base : "/tmp");
		if (!mkdtemp(tmp.buf)) {
			st = csf_fail(err, CSF_E_IO, tmp.buf, no_loc, "cannot make a folder: %s",
				      strerror(errno));
			goto out;
		}
		made = true;
		if ((st = csf_gitrev_export(rev, ws_rel, tmp.buf, err)))
			goto out;
		wsdir = tmp.buf;
	}
	if (bp_rel)
		bp = csf_path_join(wsdir, bp_rel);
	st = csf_review_render(fs, wsdir, bp, cell, err);
out:
	if (made)
		nftw(tmp.buf, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(bp);
	csf_buf_release(&tmp);
	return st;
}

/* ------------------------------------------------------------------------------------------
 * Cells as text
 */

enum csf_status
csf_review_cell_parse(const char *s, struct csf_review_cell_text *out, struct csf_error *err)
{
	const char **parts[3];
	char *p, *slash;
	int i;

	memset(out, 0, sizeof(*out));
	parts[0] = &out->cell.provider;
	parts[1] = &out->cell.tenant;
	parts[2] = &out->cell.env;
	if (!s || strlen(s) >= sizeof(out->buf))
		return csf_fail(err, CSF_E_USAGE, NULL, no_loc, "bad cell '%s' (PROVIDER/TENANT/ENV)",
				s ? s : "");
	snprintf(out->buf, sizeof(out->buf), "%s", s);
	p = out->buf;
	for (i = 0; p; i++) {
		if (i == 3)
			return csf_fail(err, CSF_E_USAGE, NULL, no_loc,
					"bad cell '%s' (PROVIDER/TENANT/ENV)", s);
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		if (*p && strcmp(p, "-")) {
			if (!csf_safe_component(p))
				return csf_fail(err, CSF_E_USAGE, NULL, no_loc,
						"bad name '%s' in cell '%s'", p, s);
			*parts[i] = p;
		}
		p = slash ? slash + 1 : NULL;
	}
	if (out->cell.provider && !csf_render_provider_known(out->cell.provider))
		return csf_fail(err, CSF_E_USAGE, NULL, no_loc,
				"unknown provider '%s' (azure, aws, gcp)", out->cell.provider);
	return CSF_E_OK;
}

const char *
csf_review_cell_format(const struct csf_review_cell *c, char *out, size_t n)
{
	snprintf(out, n, "%s/%s/%s", c->provider ? c->provider : "-", c->tenant ? c->tenant : "-",
		 c->env ? c->env : "-");
	return out;
}

/* ------------------------------------------------------------------------------------------
 * What a review compares
 */

void
csf_review_spec_release(struct csf_review_spec *s)
{
	free(s->a);
	free(s->b);
	free(s->rev1);
	free(s->rev2);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

static bool
exists(const char *p)
{
	return csf_is_file(p) || csf_is_dir(p);
}

enum csf_status
csf_review_spec_parse(struct csf_review_spec *s, const char *arg, const char *default_path,
		      struct csf_error *err)
{
	char *copy = csf_xstrdup(arg ? arg : ""), *save = NULL;
	char *t1 = strtok_r(copy, " \t", &save), *t2 = t1 ? strtok_r(NULL, " \t", &save) : NULL;
	char *t3 = t2 ? strtok_r(NULL, " \t", &save) : NULL;
	bool more = t3 && strtok_r(NULL, " \t", &save);
	enum csf_status st = CSF_E_OK;

	csf_review_spec_release(s);
	if (t1 && !strcmp(t1, "--cells")) {
		char *dots = t2 ? strstr(t2, "..") : NULL;

		if (!dots || more) {
			st = csf_fail(err, CSF_E_USAGE, NULL, no_loc,
				      "usage: --cells CELL..CELL [BLUEPRINT]");
		} else {
			*dots = '\0';
			if (!(st = csf_review_cell_parse(t2, &s->cell_a, err)) &&
			    !(st = csf_review_cell_parse(dots + 2, &s->cell_b, err))) {
				s->cells = true;
				s->path = t3 ? csf_xstrdup(t3) : NULL;
			}
		}
	} else if (t3) {
		st = csf_fail(err, CSF_E_USAGE, NULL, no_loc, "usage: [R1[..R2]] [PATH], or A B");
	} else if (t1 && t2 && !strstr(t1, "..") && exists(t1) && exists(t2)) {
		s->a = csf_xstrdup(t1);
		s->b = csf_xstrdup(t2);
	} else if (t1 && !t2 && !strstr(t1, "..") && exists(t1)) {
		s->rev1 = csf_xstrdup("HEAD");
		s->rev2 = csf_xstrdup("WORKTREE");
		s->path = csf_xstrdup(t1);
	} else if (t1) {
		if (!(st = csf_gitrev_parse_range(t1, &s->rev1, &s->rev2, err)))
			s->path = csf_xstrdup(t2 ? t2 : default_path ? default_path : ".");
	} else {
		s->rev1 = csf_xstrdup("HEAD");
		s->rev2 = csf_xstrdup("WORKTREE");
		s->path = csf_xstrdup(default_path ? default_path : ".");
	}
	free(copy);
	if (st) {
		/* The cell texts hold no allocation; the rest goes. */
		csf_review_spec_release(s);
		return st;
	}
	return CSF_E_OK;
}

static enum csf_status
read_one(struct csf_review_files *fs, const char *key, const char *path, struct csf_error *err)
{
	struct csf_buf b = CSF_BUF_INIT;

	if (csf_buf_read_file(&b, path, READ_MAX) < 0) {
		enum csf_status st = csf_fail(err, CSF_E_IO, path, no_loc, "cannot read: %s",
					      strerror(errno));

		csf_buf_release(&b);
		return st;
	}
	csf_review_files_add(fs, key, &b);
	csf_buf_release(&b);
	return CSF_E_OK;
}

static enum csf_status
load_revs(const struct csf_review_spec *s, const char *ws_dir, bool artifacts,
	  const struct csf_review_cell *cell, struct csf_review_files *fa,
	  struct csf_review_files *fb, struct csf_buf *label, struct csf_error *err)
{
	struct csf_gitrepo *repo = NULL;
	struct csf_gitrev *r1 = NULL, *r2 = NULL;
	char *rel = NULL, *ws_real = NULL, *ws_rel = NULL;
	enum csf_status st;

	if ((st = csf_gitrepo_open(s->path, &repo, err)) ||
	    (st = csf_gitrepo_relpath(repo, s->path, &rel, err)) ||
	    (st = csf_gitrev_resolve(repo, s->rev1, &r1, err)) ||
	    (st = csf_gitrev_resolve(repo, s->rev2, &r2, err)))
		goto out;
	if (label)
		csf_buf_addf(label, "%s..%s %s", s->rev1, s->rev2, *rel ? rel : ".");
	if (artifacts) {
		const char *bp_rel = NULL;
		size_t n;

		ws_real = realpath(ws_dir, NULL);
		if (!ws_real) {
			st = csf_fail(err, CSF_E_IO, ws_dir, no_loc, "no such workspace folder");
			goto out;
		}
		if ((st = csf_gitrepo_relpath(repo, ws_real, &ws_rel, err)))
			goto out;
		n = strlen(ws_rel);
		if (!csf_gitrev_is_dir(r1, rel) && !csf_gitrev_is_dir(r2, rel) &&
		    (!n || (!strncmp(rel, ws_rel, n) && rel[n] == '/')))
			bp_rel = rel + (n ? n + 1 : 0);
		if ((st = csf_review_render_rev(fa, r1, ws_real, ws_rel, bp_rel, cell, err)) ||
		    (st = csf_review_render_rev(fb, r2, ws_real, ws_rel, bp_rel, cell, err)))
			goto out;
	} else if (csf_gitrev_is_dir(r1, rel) || csf_gitrev_is_dir(r2, rel)) {
		if ((st = csf_review_read_rev(fa, r1, rel, err)) ||
		    (st = csf_review_read_rev(fb, r2, rel, err)))
			goto out;
	} else {
		struct csf_buf b = CSF_BUF_INIT;
		bool ea = false, eb = false;

		if (!(st = csf_gitrev_read(r1, rel, &b, &ea, err)) && ea)
			csf_review_files_add(fa, rel, &b);
		if (!st && !(st = csf_gitrev_read(r2, rel, &b, &eb, err)) && eb)
			csf_review_files_add(fb, rel, &b);
		csf_buf_release(&b);
		if (!st && !ea && !eb)
			st = csf_fail(err, CSF_E_NOTFOUND, rel, no_loc, "in neither %s nor %s",
				      csf_gitrev_label(r1), csf_gitrev_label(r2));
	}
out:
	csf_gitrev_free(r1);
	csf_gitrev_free(r2);
	csf_gitrepo_free(repo);
	free(rel);
	free(ws_real);
	free(ws_rel);
	return st;
}

enum csf_status
csf_review_spec_load(const struct csf_review_spec *s, const char *ws_dir, bool artifacts,
		     const struct csf_review_cell *cell, struct csf_review_files *fa,
		     struct csf_review_files *fb, struct csf_buf *label, struct csf_error *err)
{
	static const struct csf_review_cell none = { NULL, NULL, NULL };
	enum csf_status st;
	bool dirs;

	ws_dir = ws_dir ? ws_dir : ".";
	cell = cell ? cell : &none;
	if (label)
		csf_buf_reset(label);
	if (s->cells) {
		if (label)
			csf_buf_addstr(label, s->path ? s->path : "every blueprint");
		return (st = csf_review_render(fa, ws_dir, s->path, &s->cell_a.cell, err)) ? st :
		       csf_review_render(fb, ws_dir, s->path, &s->cell_b.cell, err);
	}
	if (s->rev1)
		return load_revs(s, ws_dir, artifacts, cell, fa, fb, label, err);
	if (!s->a || !s->b)
		return csf_fail(err, CSF_E_USAGE, NULL, no_loc, "nothing to compare");
	if (label)
		csf_buf_addf(label, "%s %s", s->a, s->b);
	dirs = csf_is_dir(s->a) && csf_is_dir(s->b);
	if (artifacts) {
		if (dirs)
			return (st = csf_review_render(fa, s->a, NULL, cell, err)) ? st :
			       csf_review_render(fb, s->b, NULL, cell, err);
		return (st = csf_review_render(fa, ws_dir, s->a, cell, err)) ? st :
		       csf_review_render(fb, ws_dir, s->b, cell, err);
	}
	if (dirs)
		return (st = csf_review_read_dir(fa, s->a, err)) ? st :
		       csf_review_read_dir(fb, s->b, err);
	/* Two files: one entry each under the same name, so they pair up. */
	return (st = read_one(fa, s->b, s->a, err)) ? st : read_one(fb, s->b, s->b, err);
}
