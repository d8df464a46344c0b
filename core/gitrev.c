#include "core/gitrev.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "core/fsutil.h"
#include "core/xalloc.h"

#define READ_MAX (64u << 20)

struct csf_gitrepo {
	git_repository *repo;
	char *workdir;			/* real path with a trailing '/', or NULL (bare) */
};

enum rev_kind {
	REV_WORKTREE,
	REV_INDEX,
	REV_TREE,
};

struct csf_gitrev {
	struct csf_gitrepo *repo;
	enum rev_kind kind;
	git_index *index;
	git_tree *tree;
	char label[128];
};

static const struct csf_loc no_loc = { 0, 0 };

static enum csf_status
git_fail(struct csf_error *err, const char *what)
{
	const git_error *e = git_error_last();

	return csf_fail(err, CSF_E_GIT, NULL, no_loc, "%s: %s", what,
			e && e->message ? e->message : "libgit2 failed");
}

/* ------------------------------------------------------------------------------------------
 * Repository
 */

enum csf_status
csf_gitrepo_open(const char *path, struct csf_gitrepo **out, struct csf_error *err)
{
	struct csf_gitrepo *r;
	char *start = csf_xstrdup(path && *path ? path : ".");
	const char *wd;

	*out = NULL;
	if (!csf_is_dir(start)) {
		char *slash = strrchr(start, '/');

		if (slash && slash != start)
			*slash = '\0';
		else if (slash)
			slash[1] = '\0';
		else
			strcpy(start, ".");
		if (!csf_is_dir(start))
			strcpy(start, ".");
	}
	git_libgit2_init();
	r = csf_xcalloc(1, sizeof(*r));
	if (git_repository_open_ext(&r->repo, start, 0, NULL) < 0) {
		enum csf_status st = csf_fail(err, CSF_E_GIT, path, no_loc,
					      "not inside a git repository");

		free(start);
		free(r);
		git_libgit2_shutdown();
		return st;
	}
	free(start);
	wd = git_repository_workdir(r->repo);
	if (wd) {
		char real[PATH_MAX];
		size_t n;

		if (!realpath(wd, real))
			snprintf(real, sizeof(real), "%s", wd);
		n = strlen(real);
		r->workdir = csf_xmalloc(n + 2);
		memcpy(r->workdir, real, n + 1);
		if (!n || real[n - 1] != '/')
			strcpy(r->workdir + n, "/");
	}
	*out = r;
	return CSF_E_OK;
}

void
csf_gitrepo_free(struct csf_gitrepo *r)
{
	if (!r)
		return;
	git_repository_free(r->repo);
	free(r->workdir);
	free(r);
	git_libgit2_shutdown();
}

const char *
csf_gitrepo_workdir(const struct csf_gitrepo *r)
{
	return r->workdir ? r->workdir : "";
}

/* Normalises an absolute path lexically: "//", "/./" and "/x/../" collapse. */
static void
normalize(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		char *seg, *end;
		size_t n;

		while (*in == '/')
			in++;
		if (!*in)
			break;
		seg = in;
		end = strchr(seg, '/');
		n = end ? (size_t)(end - seg) : strlen(seg);
		in = seg + n;
		if (n == 1 && seg[0] == '.')
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, seg, n);
		out += n;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

enum csf_status
csf_gitrepo_relpath(const struct csf_gitrepo *r, const char *path, char **rel,
		    struct csf_error *err)
{
	char real[PATH_MAX], cwd[PATH_MAX];
	char *abs;
	size_t wl;

	*rel = NULL;
	if (!r->workdir)
		return csf_fail(err, CSF_E_USAGE, path, no_loc, "the repository has no working tree");
	if (realpath(path, real)) {
		abs = csf_xstrdup(real);
	} else if (path[0] == '/') {
		abs = csf_xstrdup(path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return csf_fail(err, CSF_E_IO, path, no_loc, "cannot read the current folder");
		abs = csf_path_join(cwd, path);
	}
	normalize(abs);
	wl = strlen(r->workdir);
	if (!strncmp(abs, r->workdir, wl)) {
		*rel = csf_xstrdup(abs + wl);
	} else if (strlen(abs) == wl - 1 && !strncmp(abs, r->workdir, wl - 1)) {
		*rel = csf_xstrdup("");
	} else {
		enum csf_status st = csf_fail(err, CSF_E_USAGE, path, no_loc,
					      "outside the repository at %s", r->workdir);

		free(abs);
		return st;
	}
	free(abs);
	return CSF_E_OK;
}

/* ------------------------------------------------------------------------------------------
 * Revisions
 */

enum csf_status
csf_gitrev_parse_range(const char *spec, char **r1, char **r2, struct csf_error *err)
{
	const char *dots;

	*r1 = *r2 = NULL;
	if (!spec || !*spec || !strcmp(spec, "..") || strstr(spec, "..."))
		return csf_fail(err, CSF_E_USAGE, NULL, no_loc,
				"bad revision range '%s' (use R1..R2 or R1)", spec ? spec : "");
	dots = strstr(spec, "..");
	if (!dots) {
		*r1 = csf_xstrdup(spec);
		*r2 = csf_xstrdup("WORKTREE");
		return CSF_E_OK;
	}
	if (strstr(dots + 2, ".."))
		return csf_fail(err, CSF_E_USAGE, NULL, no_loc,
				"bad revision range '%s' (use R1..R2 or R1)", spec);
	*r1 = dots == spec ? csf_xstrdup("HEAD") : csf_xstrndup(spec, (size_t)(dots - spec));
	*r2 = dots[2] ? csf_xstrdup(dots + 2) : csf_xstrdup("HEAD");
	return CSF_E_OK;
}

enum csf_status
csf_gitrev_resolve(struct csf_gitrepo *repo, const char *name, struct csf_gitrev **out,
		   struct csf_error *err)
{
	struct csf_gitrev *rev = csf_xcalloc(1, sizeof(*rev));
	git_object *obj = NULL, *tree = NULL;

	*out = NULL;
	rev->repo = repo;
	if (!name || !*name || !strcmp(name, "WORKTREE") || !strcmp(name, "worktree")) {
		if (!repo->workdir) {
			free(rev);
			return csf_fail(err, CSF_E_GIT, NULL, no_loc,
					"the repository has no working tree");
		}
		rev->kind = REV_WORKTREE;
		snprintf(rev->label, sizeof(rev->label), "WORKTREE");
	} else if (!strcmp(name, ":") || !strcmp(name, "INDEX") || !strcmp(name, "index")) {
		rev->kind = REV_INDEX;
		if (git_repository_index(&rev->index, repo->repo) < 0 ||
		    git_index_read(rev->index, 0) < 0) {
			enum csf_status st = git_fail(err, "index");

			csf_gitrev_free(rev);
			return st;
		}
		snprintf(rev->label, sizeof(rev->label), "INDEX");
	} else {
		char id[GIT_OID_HEXSZ + 1];

		rev->kind = REV_TREE;
		if (git_revparse_single(&obj, repo->repo, name) < 0) {
			free(rev);
			return csf_fail(err, CSF_E_GIT, NULL, no_loc, "unknown revision '%s'", name);
		}
		if (git_object_peel(&tree, obj, GIT_OBJECT_TREE) < 0) {
			enum csf_status st = csf_fail(err, CSF_E_GIT, NULL, no_loc,
						      "'%s' does not name a commit or tree", name);

			git_object_free(obj);
			free(rev);
			return st;
		}
		rev->tree = (git_tree *)tree;
		git_oid_tostr(id, 8, git_object_id(obj));
		snprintf(rev->label, sizeof(rev->label), "%.100s (%.7s)", name, id);
		git_object_free(obj);
	}
	*out = rev;
	return CSF_E_OK;
}

void
csf_gitrev_free(struct csf_gitrev *rev)
{
	if (!rev)
		return;
	git_index_free(rev->index);
	git_tree_free(rev->tree);
	free(rev);
}

const char *
csf_gitrev_label(const struct csf_gitrev *rev)
{
	return rev->label;
}

static bool
under(const char *rel, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!n)
		return true;
	return !strncmp(rel, prefix, n) && rel[n] == '/';
}

static enum csf_status
read_blob(const struct csf_gitrev *rev, const git_oid *id, struct csf_buf *out,
	  struct csf_error *err)
{
	git_blob *blob;

	if (git_blob_lookup(&blob, rev->repo->repo, id) < 0)
		return git_fail(err, "blob");
	csf_buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return CSF_E_OK;
}

bool
csf_gitrev_is_dir(const struct csf_gitrev *rev, const char *rel)
{
	switch (rev->kind) {
	case REV_WORKTREE: {
		char *p = csf_path_join(rev->repo->workdir, rel);
		bool d = csf_is_dir(p);

		free(p);
		return d;
	}
	case REV_INDEX: {
		size_t i, n = git_index_entrycount(rev->index);

		if (!*rel)
			return true;
		for (i = 0; i < n; i++)
			if (under(git_index_get_byindex(rev->index, i)->path, rel))
				return true;
		return false;
	}
	case REV_TREE: {
		git_tree_entry *e;
		bool d;

		if (!*rel)
			return true;
		if (git_tree_entry_bypath(&e, rev->tree, rel) < 0)
			return false;
		d = git_tree_entry_type(e) == GIT_OBJECT_TREE;
		git_tree_entry_free(e);
		return d;
	}
	}
	return false;
}

enum csf_status
csf_gitrev_read(const struct csf_gitrev *rev, const char *rel, struct csf_buf *out, bool *exists,
		struct csf_error *err)
{
	*exists = false;
	if (csf_gitrev_is_dir(rev, rel))
		return csf_fail(err, CSF_E_USAGE, rel, no_loc, "is a folder in %s", rev->label);
	switch (rev->kind) {
	case REV_WORKTREE: {
		char *p = csf_path_join(rev->repo->workdir, rel);
		struct stat sb;
		enum csf_status st = CSF_E_OK;

		if (lstat(p, &sb) < 0) {
			if (errno != ENOENT && errno != ENOTDIR)
				st = csf_fail(err, CSF_E_IO, rel, no_loc, "cannot read: %s",
					      strerror(errno));
		} else if (csf_buf_read_file(out, p, READ_MAX) < 0) {
			st = csf_fail(err, CSF_E_IO, rel, no_loc, "cannot read: %s", strerror(errno));
		} else {
			*exists = true;
		}
		free(p);
		return st;
	}
	case REV_INDEX: {
		const git_index_entry *e = git_index_get_bypath(rev->index, rel, 0);

		if (!e)
			return CSF_E_OK;
		*exists = true;
		return read_blob(rev, &e->id, out, err);
	}
	case REV_TREE: {
		git_tree_entry *e;
		enum csf_status st;

		if (git_tree_entry_bypath(&e, rev->tree, rel) < 0)
			return CSF_E_OK;
		*exists = true;
		st = read_blob(rev, git_tree_entry_id(e), out, err);
		git_tree_entry_free(e);
		return st;
	}
	}
	return CSF_E_OK;
}

/* ------------------------------------------------------------------------------------------
 * Listing
 */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks the working tree below rel (a folder); returns false when fn stopped. */
static bool
walk_dir(const struct csf_gitrev *rev, struct csf_buf *rel, csf_gitrev_file_fn fn, void *ctx,
	 enum csf_status *st, struct csf_error *err)
{
	char *dir = csf_path_join(rev->repo->workdir, rel->buf);
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i, mark = rel->len;
	bool go_on = true;

	if (!d) {
		*st = csf_fail(err, CSF_E_IO, dir, no_loc, "cannot read folder: %s", strerror(errno));
		free(dir);
		return false;
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
	for (i = 0; i < n && go_on; i++) {
		struct stat sb;
		char *full;
		int ignored = 0;

		if (mark)
			csf_buf_addch(rel, '/');
		csf_buf_addstr(rel, names[i]);
		full = csf_path_join(dir, names[i]);
		if (lstat(full, &sb) == 0 &&
		    git_ignore_path_is_ignored(&ignored, rev->repo->repo, rel->buf) == 0 && !ignored) {
			if (S_ISDIR(sb.st_mode))
				go_on = walk_dir(rev, rel, fn, ctx, st, err);
			else if (S_ISREG(sb.st_mode))
				go_on = fn(ctx, rel->buf);
		}
		free(full);
		csf_buf_setlen(rel, mark);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	return go_on && !*st;
}

struct tree_walk {
	const char *prefix;
	csf_gitrev_file_fn fn;
	void *ctx;
	struct csf_buf path;
	bool stopped;
};

static int
tree_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct tree_walk *tw = payload;
	git_filemode_t mode = git_tree_entry_filemode(e);

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || mode == GIT_FILEMODE_LINK)
		return 0;
	csf_buf_reset(&tw->path);
	if (*tw->prefix)
		csf_buf_addf(&tw->path, "%s/", tw->prefix);
	csf_buf_addf(&tw->path, "%s%s", root, git_tree_entry_name(e));
	if (tw->fn(tw->ctx, tw->path.buf))
		return 0;
	tw->stopped = true;
	return -1;
}

enum csf_status
csf_gitrev_list(const struct csf_gitrev *rev, const char *prefix, csf_gitrev_file_fn fn,
		void *ctx, struct csf_error *err)
{
	enum csf_status st = CSF_E_OK;

	prefix = prefix ? prefix : "";
	switch (rev->kind) {
	case REV_WORKTREE: {
		struct csf_buf rel = CSF_BUF_INIT;
		char *p = csf_path_join(rev->repo->workdir, prefix);

		if (csf_is_dir(p)) {
			csf_buf_addstr(&rel, prefix);
			walk_dir(rev, &rel, fn, ctx, &st, err);
		}
		free(p);
		csf_buf_release(&rel);
		return st;
	}
	case REV_INDEX: {
		size_t i, n = git_index_entrycount(rev->index);

		for (i = 0; i < n; i++) {
			const git_index_entry *e = git_index_get_byindex(rev->index, i);

			if (GIT_INDEX_ENTRY_STAGE(e) != 0 || e->mode == GIT_FILEMODE_LINK ||
			    e->mode == GIT_FILEMODE_COMMIT || !under(e->path, prefix))
				continue;
			if (!fn(ctx, e->path))
				break;
		}
		return CSF_E_OK;
	}
	case REV_TREE: {
		struct tree_walk tw = { prefix, fn, ctx, CSF_BUF_INIT, false };
		git_tree *t = rev->tree, *sub = NULL;

		if (*prefix) {
			git_tree_entry *e;

			if (git_tree_entry_bypath(&e, rev->tree, prefix) < 0)
				return CSF_E_OK;
			if (git_tree_entry_type(e) != GIT_OBJECT_TREE ||
			    git_tree_lookup(&sub, rev->repo->repo, git_tree_entry_id(e)) < 0) {
				git_tree_entry_free(e);
				return CSF_E_OK;
			}
			git_tree_entry_free(e);
			t = sub;
		}
		if (git_tree_walk(t, GIT_TREEWALK_PRE, tree_cb, &tw) < 0 && !tw.stopped)
			st = git_fail(err, "tree walk");
		git_tree_free(sub);
		csf_buf_release(&tw.path);
		return st;
	}
	}
	return CSF_E_OK;
}

struct export_ctx {
	const struct csf_gitrev *rev;
	const char *prefix;
	const char *dest;
	struct csf_error *err;
	enum csf_status st;
};

static bool
export_one(void *p, const char *rel)
{
	struct export_ctx *x = p;
	struct csf_buf data = CSF_BUF_INIT;
	const char *sub = rel + strlen(x->prefix) + (*x->prefix ? 1 : 0);
	char *path = csf_path_join(x->dest, sub), *slash;
	bool exists;

	if (!csf_safe_relpath(sub)) {
		x->st = csf_fail(x->err, CSF_E_USAGE, rel, no_loc, "unsafe path in the revision");
		goto out;
	}
	if ((x->st = csf_gitrev_read(x->rev, rel, &data, &exists, x->err)))
		goto out;
	slash = strrchr(path, '/');
	*slash = '\0';
	x->st = csf_mkdirs(path, x->err);
	*slash = '/';
	if (!x->st)
		x->st = csf_write_file_atomic(path, data.buf, data.len, x->err);
out:
	csf_buf_release(&data);
	free(path);
	return !x->st;
}

enum csf_status
csf_gitrev_export(const struct csf_gitrev *rev, const char *prefix, const char *dest,
		  struct csf_error *err)
{
	struct export_ctx x = { rev, prefix ? prefix : "", dest, err, CSF_E_OK };
	enum csf_status st;

	if ((st = csf_mkdirs(dest, err)))
		return st;
	st = csf_gitrev_list(rev, x.prefix, export_one, &x, err);
	return st ? st : x.st;
}

/* ------------------------------------------------------------------------------------------
 * Revisions to pick from
 */

static struct csf_rev_choice *
add_choice(struct csf_rev_choice **v, size_t *n, size_t *alloc, const char *name,
	   const char *label)
{
	struct csf_rev_choice *c;

	CSF_GROW(*v, *alloc, *n + 1);
	c = &(*v)[(*n)++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->label, sizeof(c->label), "%s", label);
	return c;
}

/* "Subject of the commit" (the first line of the message, at most 100 bytes). */
static void
subject(git_commit *c, char *out, size_t n)
{
	const char *s = git_commit_summary(c);
	size_t len = s ? strcspn(s, "\n") : 0;

	if (len > 100)
		len = 100;
	snprintf(out, n, "%.*s", (int)len, s ? s : "");
}

enum csf_status
csf_gitrepo_revisions(struct csf_gitrepo *repo, size_t max_commits, struct csf_rev_choice **out,
		      size_t *n, struct csf_error *err)
{
	struct csf_rev_choice *v = NULL;
	size_t alloc = 0, k = 0;
	git_branch_iterator *it = NULL;
	git_reference *ref;
	git_branch_t type;
	git_revwalk *walk = NULL;
	git_oid oid;
	char id[GIT_OID_HEXSZ + 1], label[160], subj[128];
	git_object *head = NULL;

	*out = NULL;
	*n = 0;
	add_choice(&v, &k, &alloc, "WORKTREE", "WORKTREE  the files on disk");
	add_choice(&v, &k, &alloc, "INDEX", "INDEX     what is staged");
	if (git_revparse_single(&head, repo->repo, "HEAD") == 0) {
		git_oid_tostr(id, 8, git_object_id(head));
		snprintf(label, sizeof(label), "HEAD      %s", id);
		add_choice(&v, &k, &alloc, "HEAD", label);
		git_object_free(head);
	}
	if (git_branch_iterator_new(&it, repo->repo, GIT_BRANCH_LOCAL) == 0) {
		while (git_branch_next(&ref, &type, it) == 0) {
			const char *bn = NULL;
			const git_oid *target = git_reference_target(ref);

			if (git_branch_name(&bn, ref) == 0 && bn && target) {
				git_oid_tostr(id, 8, target);
				snprintf(label, sizeof(label), "%-9.100s %s", bn, id);
				add_choice(&v, &k, &alloc, bn, label);
			}
			git_reference_free(ref);
		}
		git_branch_iterator_free(it);
	}
	if (max_commits && git_revwalk_new(&walk, repo->repo) == 0 &&
	    git_revwalk_push_head(walk) == 0) {
		size_t c = 0;

		git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
		while (c < max_commits && git_revwalk_next(&oid, walk) == 0) {
			git_commit *commit;
			char full[GIT_OID_HEXSZ + 1];

			if (git_commit_lookup(&commit, repo->repo, &oid) < 0)
				continue;
			git_oid_tostr(full, sizeof(full), &oid);
			git_oid_tostr(id, 8, &oid);
			subject(commit, subj, sizeof(subj));
			snprintf(label, sizeof(label), "%s   %.100s", id, subj);
			add_choice(&v, &k, &alloc, full, label);
			git_commit_free(commit);
			c++;
		}
	}
	git_revwalk_free(walk);
	(void)err;
	*out = v;
	*n = k;
	return CSF_E_OK;
}
