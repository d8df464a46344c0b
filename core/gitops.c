#include "core/gitops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "core/fsutil.h"
#include "core/gitops_int.h"

#define MARKER "csf-checkout"

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

/* ---- the repository --------------------------------------------------------------------------- */

enum csf_status
csf_gitops_fail(struct csf_error *err, enum csf_status code, const char *what)
{
	const git_error *e = git_error_last();

	return csf_fail(err, code, NULL, NOLOC, "%s: %s", what, e && e->message ? e->message : "libgit2 error");
}

void
csf_gitops_marker_path(struct csf_gitops *g, struct csf_buf *b)
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

bool
csf_gitops_head_on_branch(struct csf_gitops *g)
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

/* Sets the index to the tree of commit `to`. A checkout that finds a file already written by the
 * interrupted run may leave its index entry at the old blob ("MM" in git status); after this
 * the index matches the branch and git re-reads the stat data of those files once. */
static int
reset_index(struct csf_gitops *g, const git_oid *to)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_index *idx = NULL;
	int rc;

	if (!(rc = git_commit_lookup(&c, g->repo, to)) && !(rc = git_commit_tree(&t, c)) &&
	    !(rc = git_repository_index(&idx, g->repo)) && !(rc = git_index_read_tree(idx, t)))
		rc = git_index_write(idx);
	git_index_free(idx);
	git_tree_free(t);
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

	csf_gitops_marker_path(g, &path);
	if (csf_buf_read_file(&text, path.buf, 4096) < 0 || !g->branch)
		goto out;
	snprintf(refname, sizeof(refname), "refs/heads/%s", g->branch);
	if (text.len >= 81 && !git_oid_fromstrn(&old, text.buf, 40) &&
	    !git_oid_fromstrn(&new, text.buf + 41, 40) &&
	    !git_reference_name_to_id(&tip, g->repo, refname) && git_oid_equal(&tip, &new) &&
	    csf_gitops_head_on_branch(g)) {
		if (checkout_to(g, &new, &old, true, NULL, 0) || reset_index(g, &new))
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
			: csf_gitops_fail(err, CSF_E_GIT, path);

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

enum csf_status
csf_gitops_tip_oid(struct csf_gitops *g, git_oid *oid, bool *unborn, struct csf_error *err)
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
		return csf_gitops_fail(err, CSF_E_GIT, refname);
	return CSF_E_OK;
}

enum csf_status
csf_gitops_tip(struct csf_gitops *g, char out[CSF_OID_HEX], struct csf_error *err)
{
	git_oid oid;
	bool unborn;
	enum csf_status st;

	out[0] = '\0';
	if ((st = csf_gitops_tip_oid(g, &oid, &unborn, err)))
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
	if (g->bare || !csf_gitops_head_on_branch(g))
		return CSF_E_OK;
	csf_gitops_marker_path(g, &mp);
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
		return csf_gitops_fail(err, CSF_E_GIT, "git status");
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
		return csf_gitops_fail(err, CSF_E_GIT, "reading tree");
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
		st = csf_gitops_fail(err, CSF_E_GIT, path);
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
		st = csf_gitops_fail(err, CSF_E_GIT, dir);
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
		st = csf_gitops_fail(err, CSF_E_GIT, "history");
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
			st = csf_gitops_fail(err, CSF_E_GIT, "history");
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
