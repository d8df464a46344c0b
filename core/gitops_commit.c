/* The commit writer of a GitOps repository (core/gitops.h: csf_gitops_commit): builds the new
 * trees from the writes, collects the objects in one pack, moves the branch and brings the
 * working tree along. */
#include "core/gitops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "core/fsutil.h"
#include "core/gitops_int.h"

static int update_worktree(struct csf_gitops *g, git_tree *base, git_tree *tree,
			   const struct csf_gitops_write *writes, size_t nwrites);
/* New objects are collected in memory (libgit2's mempack backend, highest priority for
 * writes) and written as one pack file (through the odb's pack writer, which also writes its
 * index) before the branch moves: one file instead of a loose file per object. */
static enum csf_status
mempack_begin(struct csf_gitops *g, struct csf_error *err)
{
	git_odb *odb = NULL;
	int rc;

	if (g->mempack)
		return CSF_E_OK;
	if (git_repository_odb(&odb, g->repo) || git_mempack_new(&g->mempack))
		return csf_gitops_fail(err, CSF_E_GIT, "object database");
	rc = git_odb_add_backend(odb, g->mempack, 1000);
	git_odb_free(odb);
	if (rc) {
		g->mempack = NULL;
		return csf_gitops_fail(err, CSF_E_GIT, "object database");
	}
	return CSF_E_OK;
}

static enum csf_status
mempack_flush(struct csf_gitops *g, struct csf_error *err)
{
	git_buf pack = GIT_BUF_INIT;
	git_odb *odb = NULL;
	git_odb_writepack *wp = NULL;
	git_indexer_progress stats;
	enum csf_status st = CSF_E_OK;

	memset(&stats, 0, sizeof(stats));
	if (git_mempack_dump(&pack, g->repo, g->mempack) || git_repository_odb(&odb, g->repo) ||
	    git_odb_write_pack(&wp, odb, NULL, NULL) || wp->append(wp, pack.ptr, pack.size, &stats) ||
	    wp->commit(wp, &stats))
		st = csf_gitops_fail(err, CSF_E_GIT, "writing the pack");
	if (wp)
		wp->free(wp);
	git_odb_free(odb);
	git_buf_dispose(&pack);
	git_mempack_reset(g->mempack);
	return st;
}

/* ---- writing trees ---------------------------------------------------------------------------- */

struct build_ctx {
	git_repository *repo;
	size_t written, half;	/* blobs, for the blobs-half crash point */
};

/* Writes the tree of files[lo, hi), whose paths all start with a prefix of length off. */
static int
build_tree(struct build_ctx *b, const struct csf_fileset *s, size_t lo, size_t hi, size_t off,
	   git_oid *out)
{
	git_treebuilder *tb = NULL;
	size_t i = lo;
	int rc;

	if ((rc = git_treebuilder_new(&tb, b->repo, NULL)))
		return rc;
	while (i < hi) {
		const char *rel = s->v[i].path + off;
		const char *slash = strchr(rel, '/');
		git_oid oid;

		if (!slash) {
			rc = git_blob_create_from_buffer(&oid, b->repo, s->v[i].data, s->v[i].len);
			if (!rc)
				rc = git_treebuilder_insert(NULL, tb, rel, &oid,
							    s->v[i].exec ? GIT_FILEMODE_BLOB_EXECUTABLE
									 : GIT_FILEMODE_BLOB);
			if (++b->written == b->half)
				csf_gitops_test_point("blobs-half");
			i++;
		} else {
			size_t nl = (size_t)(slash - rel) + 1, j = i;
			char *name = csf_xstrndup(rel, nl - 1);

			while (j < hi && !strncmp(s->v[j].path + off, rel, nl))
				j++;
			rc = build_tree(b, s, i, j, off + nl, &oid);
			if (!rc)
				rc = git_treebuilder_insert(NULL, tb, name, &oid, GIT_FILEMODE_TREE);
			free(name);
			i = j;
		}
		if (rc)
			break;
	}
	if (!rc)
		rc = git_treebuilder_write(out, tb);
	git_treebuilder_free(tb);
	return rc;
}

/* Replaces path under base (NULL: empty) by oid (NULL: removes it); writes the new tree to out.
 * *empty tells the caller to drop this tree from its parent. */
static int
update_path(git_repository *repo, const git_tree *base, const char *path, const git_oid *oid,
	    git_filemode_t mode, git_oid *out, bool *empty)
{
	git_treebuilder *tb = NULL;
	const char *slash = strchr(path, '/');
	int rc;

	if ((rc = git_treebuilder_new(&tb, repo, base)))
		return rc;
	if (!slash) {
		if (oid)
			rc = git_treebuilder_insert(NULL, tb, path, oid, mode);
		else if (git_treebuilder_get(tb, path))
			rc = git_treebuilder_remove(tb, path);
	} else {
		char *name = csf_xstrndup(path, (size_t)(slash - path));
		const git_tree_entry *e = base ? git_tree_entry_byname(base, name) : NULL;
		git_tree *child = NULL;
		git_oid coid;
		bool cempty = false;

		if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE)
			rc = git_tree_lookup(&child, repo, git_tree_entry_id(e));
		if (!rc && (child || oid))
			rc = update_path(repo, child, slash + 1, oid, mode, &coid, &cempty);
		if (!rc) {
			if (child && cempty)
				rc = git_treebuilder_remove(tb, name);
			else if (!cempty && (child || oid))
				rc = git_treebuilder_insert(NULL, tb, name, &coid, GIT_FILEMODE_TREE);
		}
		git_tree_free(child);
		free(name);
	}
	*empty = !rc && git_treebuilder_entrycount(tb) == 0;
	if (!rc)
		rc = git_treebuilder_write(out, tb);
	git_treebuilder_free(tb);
	return rc;
}

static void
env_or(const char *a, const char *b, const char **out)
{
	const char *v = getenv(a);

	if (v && *v)
		*out = v;
	else if (b && (v = getenv(b)) && *v)
		*out = v;
}

static int
make_sigs(struct csf_gitops *g, const struct csf_gitops_sig *sig, git_signature **author,
	  git_signature **committer)
{
	const char *an = NULL, *ae = NULL, *cn = NULL, *ce = NULL;
	git_signature *def = NULL;
	time_t when = sig && sig->when ? sig->when : time(NULL);
	int rc;

	if (sig) {
		an = sig->name;
		ae = sig->email;
	}
	if (!an)
		env_or("GIT_AUTHOR_NAME", NULL, &an);
	if (!ae)
		env_or("GIT_AUTHOR_EMAIL", NULL, &ae);
	if ((!an || !ae) && !git_signature_default(&def, g->repo)) {
		if (!an)
			an = def->name;
		if (!ae)
			ae = def->email;
	}
	if (!an)
		an = "csf-tui";
	if (!ae)
		ae = "csf-tui@localhost";
	cn = an;
	ce = ae;
	env_or("GIT_COMMITTER_NAME", NULL, &cn);
	env_or("GIT_COMMITTER_EMAIL", NULL, &ce);
	rc = git_signature_new(author, an, ae, (git_time_t)when, 0);
	if (!rc)
		rc = git_signature_new(committer, cn, ce, (git_time_t)when, 0);
	git_signature_free(def);
	return rc;
}

/* A locked ref is another writer moving it right now: libgit2 (and git) hold <ref>.lock only
 * while they write the new value. The compare-and-swap is tried again for up to
 * REF_LOCK_WAIT_MS, in REF_LOCK_STEP_MS sleeps; once the lock is gone it either succeeds or
 * finds the ref moved (GIT_EMODIFIED). base NULL creates the ref (it must not exist).
 * Returns the libgit2 code of the last try: GIT_ELOCKED when the lock outlived the wait. */
#define REF_LOCK_WAIT_MS 2000
#define REF_LOCK_STEP_MS 10

static int
move_ref(git_reference **ref, git_repository *repo, const char *refname, const git_oid *id,
	 const git_oid *base, const char *reflog)
{
	struct timespec t0, now, step = { 0, REF_LOCK_STEP_MS * 1000000L };
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (base)
			rc = git_reference_create_matching(ref, repo, refname, id, 1, base, reflog);
		else
			rc = git_reference_create(ref, repo, refname, id, 0, reflog);
		if (rc != GIT_ELOCKED)
			return rc;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >=
		    REF_LOCK_WAIT_MS)
			return rc;
		nanosleep(&step, NULL);
	}
}

static bool
same_oid(const git_oid *a, const git_oid *b)
{
	return git_oid_equal(a, b);
}

enum csf_status
csf_gitops_commit(struct csf_gitops *g, const char *base, const struct csf_gitops_write *writes,
		  size_t nwrites, const char *message, const struct csf_gitops_sig *sig,
		  char out[CSF_OID_HEX], struct csf_error *err)
{
	git_oid base_oid, tip, root_oid, commit_oid;
	git_commit *base_commit = NULL;
	const git_commit *parents[1];
	git_tree *root = NULL, *tmp = NULL;
	git_signature *author = NULL, *committer = NULL;
	git_reference *ref = NULL;
	struct build_ctx b = { g->repo, 0, 0 };
	struct csf_buf mpath = CSF_BUF_INIT, mtext = CSF_BUF_INIT;
	char refname[300], hex[CSF_OID_HEX], reflog[512];
	bool unborn, worktree;
	enum csf_status st;
	size_t i;
	int rc = 0;

	out[0] = '\0';
	if ((st = csf_gitops_check_writable(g, err)))
		return st;
	if ((st = csf_gitops_tip_oid(g, &tip, &unborn, err)))
		return st;
	snprintf(refname, sizeof(refname), "refs/heads/%s", g->branch);
	if (base && *base) {
		if (git_oid_fromstr(&base_oid, base))
			return csf_fail(err, CSF_E_USAGE, NULL, NOLOC, "bad base commit '%s'", base);
		if (unborn || !same_oid(&tip, &base_oid))
			goto conflict;
		if (git_commit_lookup(&base_commit, g->repo, &base_oid) ||
		    git_commit_tree(&root, base_commit)) {
			st = csf_gitops_fail(err, CSF_E_GIT, "reading the base commit");
			goto out;
		}
	} else if (!unborn) {
		goto conflict;
	}
	if ((st = mempack_begin(g, err)))
		goto out;
	for (i = 0; i < nwrites; i++)
		if (writes[i].files && !writes[i].single)
			b.half += writes[i].files->n;
	b.half = b.half / 2 + (b.half ? 1 : 0);
	for (i = 0; i < nwrites && !rc; i++) {
		const struct csf_gitops_write *w = &writes[i];
		git_oid sub, *subp = NULL;
		git_filemode_t mode = GIT_FILEMODE_TREE;
		bool empty;

		if (!csf_safe_relpath(w->path)) {
			st = csf_fail(err, CSF_E_USAGE, w->path, NOLOC, "unsafe path in the GitOps repository");
			goto out;
		}
		if (w->single && w->files && w->files->n) {
			rc = git_blob_create_from_buffer(&sub, g->repo, w->files->v[0].data,
							 w->files->v[0].len);
			mode = w->files->v[0].exec ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
			subp = &sub;
		} else if (w->files && w->files->n) {
			size_t j;

			for (j = 0; j < w->files->n; j++)
				if (!csf_safe_relpath(w->files->v[j].path) ||
				    (j && !strcmp(w->files->v[j].path, w->files->v[j - 1].path))) {
					st = csf_fail(err, CSF_E_USAGE, w->files->v[j].path, NOLOC,
						      "unsafe or repeated artifact path (file sets must "
						      "be sorted and unique)");
					goto out;
				}
			rc = build_tree(&b, w->files, 0, w->files->n, 0, &sub);
			subp = &sub;
		}
		if (!rc)
			rc = update_path(g->repo, root, w->path, subp, mode, &root_oid, &empty);
		if (!rc) {
			git_tree_free(root);
			root = NULL;
			rc = git_tree_lookup(&root, g->repo, &root_oid);
		}
	}
	if (!rc && !nwrites) {
		git_treebuilder *tb = NULL;

		rc = git_treebuilder_new(&tb, g->repo, root);
		if (!rc)
			rc = git_treebuilder_write(&root_oid, tb);
		git_treebuilder_free(tb);
		git_tree_free(root);
		root = NULL;
		if (!rc)
			rc = git_tree_lookup(&root, g->repo, &root_oid);
	}
	if (rc) {
		st = csf_gitops_fail(err, CSF_E_GIT, "writing trees");
		goto out;
	}
	csf_gitops_test_point("trees-written");
	if (make_sigs(g, sig, &author, &committer)) {
		st = csf_gitops_fail(err, CSF_E_GIT, "commit signature");
		goto out;
	}
	parents[0] = base_commit;
	if (git_commit_create(&commit_oid, g->repo, NULL, author, committer, NULL, message, root,
			      base_commit ? 1 : 0, parents)) {
		st = csf_gitops_fail(err, CSF_E_GIT, "writing the commit");
		goto out;
	}
	/* every new object goes to disk as one pack before the branch can move */
	if ((st = mempack_flush(g, err)))
		goto out;
	csf_gitops_test_point("commit-written");
	worktree = csf_gitops_head_on_branch(g);
	if (worktree) {
		char bhex[CSF_OID_HEX] = "0000000000000000000000000000000000000000";

		if (base_commit)
			git_oid_tostr(bhex, sizeof(bhex), &base_oid);
		git_oid_tostr(hex, sizeof(hex), &commit_oid);
		csf_buf_addf(&mtext, "%s %s\n", bhex, hex);
		csf_gitops_marker_path(g, &mpath);
		if ((st = csf_write_file_atomic(mpath.buf, mtext.buf, mtext.len, err)))
			goto out;
		csf_gitops_test_point("marker-written");
	}
	{
		const char *first = strchr(message, '\n');

		snprintf(reflog, sizeof(reflog), "csf-tui: %.*s",
			 (int)(first ? (size_t)(first - message) : strlen(message)), message);
	}
	rc = move_ref(&ref, g->repo, refname, &commit_oid, base_commit ? &base_oid : NULL, reflog);
	if (rc == GIT_ELOCKED) {
		if (worktree)
			unlink(mpath.buf);
		st = csf_fail(err, CSF_E_CONFLICT, g->path, NOLOC,
			      "%s is locked: another promotion holds the lock (%s.lock, for over %d s); "
			      "refresh and try again once it is done, or, if no other csf-tui or git "
			      "process runs, remove the .lock file", refname, refname,
			      REF_LOCK_WAIT_MS / 1000);
		goto out;
	}
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
		if (worktree)
			unlink(mpath.buf);
		goto conflict;
	}
	if (rc) {
		if (worktree)
			unlink(mpath.buf);
		st = csf_gitops_fail(err, CSF_E_GIT, refname);
		goto out;
	}
	csf_gitops_test_point("ref-moved");
	git_oid_tostr(out, CSF_OID_HEX, &commit_oid);
	if (worktree) {
		/* The commit is published; a failed checkout leaves the marker so the next writer
		 * finishes it. */
		git_tree *base_tree = NULL;

		if (base_commit)
			git_commit_tree(&base_tree, base_commit);
		rc = update_worktree(g, base_tree, root, writes, nwrites);
		git_tree_free(base_tree);
		if (!rc) {
			csf_gitops_test_point("checkout-done");
			unlink(mpath.buf);
		}
	}
	st = CSF_E_OK;
	goto out;
conflict:
	{
		git_oid now;
		char nhex[CSF_OID_HEX] = "";

		if (!git_reference_name_to_id(&now, g->repo, refname))
			git_oid_tostr(nhex, sizeof(nhex), &now);
		nhex[12] = '\0';
		st = csf_fail(err, CSF_E_CONFLICT, g->path, NOLOC,
			      "%s moved since the diff was computed (now at %s): someone else "
			      "promoted; refresh and try again", g->branch, *nhex ? nhex : "nothing");
	}
out:
	if (st && g->mempack)
		git_mempack_reset(g->mempack);	/* objects of a commit that was not published */
	git_reference_free(ref);
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_free(tmp);
	git_tree_free(root);
	git_commit_free(base_commit);
	csf_buf_release(&mpath);
	csf_buf_release(&mtext);
	return st;
}

/* ---- the working tree after a commit --------------------------------------------------------- */

struct wt_entry {
	char *path;			/* relative to the repository root */
	git_oid id;
	git_filemode_t mode;
};

struct wt_list {
	struct wt_entry *v;
	size_t n, alloc;
	const char *prefix;		/* the write's path */
};

static int
wt_walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct wt_list *l = payload;
	struct wt_entry *x;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	CSF_GROW(l->v, l->alloc, l->n + 1);
	x = &l->v[l->n++];
	x->path = csf_xmalloc(strlen(l->prefix) + strlen(root) + strlen(git_tree_entry_name(e)) + 2);
	sprintf(x->path, "%s/%s%s", l->prefix, root, git_tree_entry_name(e));
	git_oid_cpy(&x->id, git_tree_entry_id(e));
	x->mode = git_tree_entry_filemode(e);
	return 0;
}

/* Every blob at or under path in tree (NULL: none), sorted by path. */
static int
wt_list(git_repository *repo, git_tree *tree, const char *path, struct wt_list *out)
{
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	int rc = 0;

	out->prefix = path;
	if (!tree || git_tree_entry_bypath(&e, tree, path))
		return 0;
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		CSF_GROW(out->v, out->alloc, out->n + 1);
		out->v[out->n].path = csf_xstrdup(path);
		git_oid_cpy(&out->v[out->n].id, git_tree_entry_id(e));
		out->v[out->n++].mode = git_tree_entry_filemode(e);
	} else if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e));
		if (!rc)
			rc = git_tree_walk(sub, GIT_TREEWALK_PRE, wt_walk_cb, out);
	}
	git_tree_free(sub);
	git_tree_entry_free(e);
	return rc;
}

static void
wt_list_release(struct wt_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
}

static bool
wt_has(const struct wt_list *l, const char *path)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, path))
			return true;
	return false;
}

/* Writes one file of the working tree (plain write, like git checkout: a crash is repaired
 * through the marker) and returns its stat. */
static int
wt_write(const char *full, const char *data, size_t len, bool exec, struct stat *st)
{
	int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, exec ? 0777 : 0666);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (exec)
		fchmod(fd, 0755);
	if (fstat(fd, st) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Brings the working tree and the index from base to tree for the written paths only: files
 * the commit dropped are removed, new and changed files are written, and their index entries
 * carry the blob ids already known and fresh stat data (nothing is hashed again). The tree was
 * clean before the commit (csf_gitops_check_writable), so nothing of the user's is touched. */
static int
update_worktree(struct csf_gitops *g, git_tree *base, git_tree *tree,
		const struct csf_gitops_write *writes, size_t nwrites)
{
	const char *wd = git_repository_workdir(g->repo);
	git_index *idx = NULL;
	struct csf_buf full = CSF_BUF_INIT, made = CSF_BUF_INIT;
	size_t i, j, total = 0, done = 0;
	int rc;

	if (!wd || (rc = git_repository_index(&idx, g->repo)))
		return -1;
	rc = git_index_read(idx, 0);
	for (i = 0; i < nwrites && !rc; i++)
		if (writes[i].files)
			total += writes[i].files->n;
	for (i = 0; i < nwrites && !rc; i++) {
		const struct csf_gitops_write *w = &writes[i];
		struct wt_list old = { NULL, 0, 0, NULL }, new = { NULL, 0, 0, NULL };

		rc = wt_list(g->repo, base, w->path, &old);
		if (!rc)
			rc = wt_list(g->repo, tree, w->path, &new);
		for (j = 0; !rc && j < old.n; j++) {
			if (wt_has(&new, old.v[j].path))
				continue;
			csf_buf_reset(&full);
			csf_buf_addf(&full, "%s%s", wd, old.v[j].path);
			if (unlink(full.buf) && errno != ENOENT)
				rc = -1;
			/* prune folders left empty, up to the write's own parent */
			while (!rc) {
				char *slash = strrchr(full.buf, '/');

				if (!slash || (size_t)(slash - full.buf) <= strlen(wd))
					break;
				*slash = '\0';
				if (rmdir(full.buf))
					break;
			}
		}
		if (!rc)
			rc = w->single ? (git_index_remove_bypath(idx, w->path), 0)
				       : git_index_remove_directory(idx, w->path, 0);
		for (j = 0; !rc && j < new.n; j++) {
			const char *rel = w->single ? NULL : new.v[j].path + strlen(w->path) + 1;
			const struct csf_gfile *f = w->single ? (w->files && w->files->n ? &w->files->v[0]
								 : NULL)
							      : csf_fileset_find(w->files, rel);
			git_index_entry e;
			struct stat st;
			char *slash;

			if (!f) {
				rc = -1;
				break;
			}
			csf_buf_reset(&full);
			csf_buf_addf(&full, "%s%s", wd, new.v[j].path);
			slash = strrchr(full.buf, '/');
			*slash = '\0';
			if (strcmp(made.buf, full.buf)) {
				if (csf_mkdirs(full.buf, NULL)) {
					rc = -1;
					break;
				}
				csf_buf_reset(&made);
				csf_buf_addstr(&made, full.buf);
			}
			*slash = '/';
			if (wt_write(full.buf, f->data, f->len, new.v[j].mode == GIT_FILEMODE_BLOB_EXECUTABLE,
				     &st)) {
				rc = -1;
				break;
			}
			memset(&e, 0, sizeof(e));
			e.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
			e.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
			e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
			e.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
			e.dev = (uint32_t)st.st_dev;
			e.ino = (uint32_t)st.st_ino;
			e.mode = new.v[j].mode;
			e.uid = st.st_uid;
			e.gid = st.st_gid;
			e.file_size = (uint32_t)st.st_size;
			git_oid_cpy(&e.id, &new.v[j].id);
			e.path = new.v[j].path;
			rc = git_index_add(idx, &e);
			if (++done == total / 2 && total > 1)
				csf_gitops_test_point("checkout-half");
		}
		wt_list_release(&old);
		wt_list_release(&new);
	}
	if (!rc) {
		csf_gitops_test_point("worktree-written");
		rc = git_index_write(idx);
	}
	git_index_free(idx);
	csf_buf_release(&full);
	csf_buf_release(&made);
	return rc;
}
