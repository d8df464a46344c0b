/* `csf-tui --headless render`: artifact generation (DESIGN §4, §9) on the command line.
 *
 *   render BLUEPRINT|MODULE [--provider P] [--tenant T] [--env E] [--out DIR]
 *          [--format files|yaml|json] [--timestamp RFC3339]
 *   render [MODULE] --all [--provider P] [--tenant T] [--env E] --out DIR|--format yaml|json
 *
 * Bad input policy: the blueprint's lint errors are printed as warnings and the cell is
 * rendered anyway; only what cannot be rendered at all (no module, unsafe module or tenant
 * name, unknown provider) refuses the cell with the list of blocking errors (exit 1). Module,
 * tenant and environment names with '/' or '..' are rejected before anything is written.
 *
 * Writing (--out): DIR is checked first (created if missing, then a probe file is created and
 * removed); if it cannot be written, nothing is written and the exit status is 2. Cells are
 * written to DIR/<provider>/<environment>/<tenant>/<module>/ one at a time (rendered, written,
 * freed), each file atomically (a temp file in the same folder, then rename); a file whose
 * bytes are unchanged is not rewritten; each cell is flushed to disk (syncfs) before the next.
 * Files in DIR that the render does not produce are never touched, except the files a previous
 * render of the same cell produced (listed in its execution-metadata.json, bytes unchanged)
 * that this render no longer produces: those are removed. Cell folders are created without
 * following symlinks, so nothing is ever written outside DIR.
 */
#include "tui/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/effective.h"
#include "core/fsutil.h"
#include "core/lint.h"
#include "core/render.h"
#include "core/sha256.h"
#include "core/workspace.h"
#include "core/xalloc.h"

enum fmt { FMT_FILES, FMT_YAML, FMT_JSON };

struct render_cli {
	enum fmt fmt;
	const char *out;		/* --out DIR */
	char *out_real;			/* realpath(DIR) */
	const struct csf_workspace *ws;
	size_t ncells, nfiles, nwritten, nfailed, nremoved;
	bool first_json;
	bool io_error;
};

static void
help(FILE *f)
{
	fputs("usage: csf-tui --headless render BLUEPRINT|MODULE [--provider P] [--tenant T] [--env E]\n"
	      "                [--out DIR] [--format files|yaml|json] [--timestamp TIME]\n"
	      "       csf-tui --headless render [MODULE] --all [--provider P] [--tenant T] [--env E]\n"
	      "                --out DIR | --format yaml|json\n\n"
	      "Renders the artifact set (container files, Kubernetes manifests, mesh and gateway policy,\n"
	      "event contracts, functions, cloud IaC, release.yaml, execution-metadata.json) of a\n"
	      "blueprint for a provider (azure, aws, gcp; default: the tenant's or blueprint's),\n"
	      "tenant and environment. --all renders every module (or the named one) x provider x\n"
	      "tenant x environment into DIR/<provider>/<environment>/<tenant>/<module>/, one cell at a\n"
	      "time; --provider/--tenant/--env then narrow the matrix.\n\n"
	      "  --format files  write files under --out (the default when --out is given)\n"
	      "  --format yaml   a multi-document YAML stream on stdout: path, kind, sha256, content\n"
	      "  --format json   a JSON array of {path, kind, sha256, content} on stdout\n"
	      "  --timestamp T   record T as generatedAt (output is otherwise timestamp-free)\n\n"
	      "Bad input: lint errors of the blueprint are printed as warnings and the cell is still\n"
	      "rendered; a cell that cannot be rendered at all (no module, a module or tenant name\n"
	      "with '/' or '..', an unknown provider) is refused with its blocking errors.\n"
	      "Writing: --out is checked before anything is written; each file is written atomically;\n"
	      "unchanged files are not rewritten; files an earlier render of the cell produced and\n"
	      "this one does not are removed (if unmodified); any other file is left alone; nothing\n"
	      "is written outside DIR.\n\n"
	      "exit status: 0 rendered, 1 a cell was refused (blocking errors), 2 usage or I/O error\n",
	      f);
}

/* ==== output ================================================================================ */

static void
yaml_literal(FILE *f, const char *s, size_t len)
{
	size_t trail = 0, i = 0;

	while (trail < len && s[len - 1 - trail] == '\n')
		trail++;
	/* Explicit indentation (2), and chomping that keeps exactly the trailing newlines. */
	fputs(trail == 0 ? "|2-\n" : trail == 1 ? "|2\n" : "|2+\n", f);
	while (i < len) {
		size_t j = i;

		while (j < len && s[j] != '\n')
			j++;
		if (j > i) {
			fputs("  ", f);
			fwrite(s + i, 1, j - i, f);
		}
		fputc('\n', f);
		i = j + 1;
	}
}

static void
json_str(FILE *f, const char *s, size_t len)
{
	struct csf_buf b = CSF_BUF_INIT;
	char *tmp = csf_xstrndup(s, len);

	csf_buf_add_json_str(&b, tmp);
	fwrite(b.buf, 1, b.len, f);
	csf_buf_release(&b);
	free(tmp);
}

static void
print_set(struct render_cli *c, const struct csf_artifact_set *set, const char *prefix)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct csf_artifact *a = &set->items[i];
		struct csf_buf p = CSF_BUF_INIT;

		csf_buf_addf(&p, "%s%s", prefix, a->path);
		if (c->fmt == FMT_YAML) {
			printf("---\npath: %s\nkind: %s\nsha256: %s\ncontent: ", p.buf, a->kind, a->sha256);
			yaml_literal(stdout, a->data.buf, a->data.len);
		} else {
			fputs(c->first_json ? "[\n  { \"path\": " : ",\n  { \"path\": ", stdout);
			c->first_json = false;
			json_str(stdout, p.buf, p.len);
			printf(", \"kind\": \"%s\", \"sha256\": \"%s\",\n    \"content\": ", a->kind, a->sha256);
			json_str(stdout, a->data.buf, a->data.len);
			fputs(" }", stdout);
		}
		csf_buf_release(&p);
		c->nfiles++;
	}
}

static bool
same_content(const char *path, const struct csf_buf *data)
{
	struct csf_buf old = CSF_BUF_INIT;
	struct stat st;
	bool same;

	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;	/* a symlink is replaced, never written through */
	if (csf_buf_read_file(&old, path, data->len + 1) < 0) {
		csf_buf_release(&old);
		return false;
	}
	same = old.len == data->len && !memcmp(old.buf, data->buf, data->len);
	csf_buf_release(&old);
	return same;
}

/* Writes data to path atomically: a temp file in the same folder, then rename(2), so a reader
 * sees the old bytes or the new ones, never a mix. Durability is per cell (see write_set). */
static bool
write_atomic(const char *path, const struct csf_buf *data, mode_t mode)
{
	struct csf_buf tmp = CSF_BUF_INIT;
	const char *p = data->buf;
	size_t left = data->len;
	int fd, e = 0;

	csf_buf_addf(&tmp, "%s.csf-tmp.XXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		fprintf(stderr, "csf-tui: render: %s: cannot create file: %s\n", path, strerror(errno));
		csf_buf_release(&tmp);
		return false;
	}
	while (left && !e) {
		ssize_t w = write(fd, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			e = errno;
		else
			p += w, left -= (size_t)w;
	}
	if (!e && fchmod(fd, mode) < 0)
		e = errno;
	if (close(fd) < 0 && !e)
		e = errno;
	if (!e && rename(tmp.buf, path) < 0)
		e = errno;
	if (e) {
		unlink(tmp.buf);
		fprintf(stderr, "csf-tui: render: %s: cannot write file: %s\n", path, strerror(e));
	}
	csf_buf_release(&tmp);
	return !e;
}

/* Creates root/rel component by component without following symlinks: an existing symlink or
 * non-folder on the way is an error, so nothing can be written outside root. */
static bool
ensure_dirs(const char *root, const char *rel)
{
	struct csf_buf p = CSF_BUF_INIT;
	const char *s = rel;
	bool ok = true;

	csf_buf_addstr(&p, root);
	while (ok && *s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		struct stat st;

		csf_buf_addch(&p, '/');
		csf_buf_add(&p, s, n);
		if (lstat(p.buf, &st) < 0) {
			if (errno != ENOENT || (mkdir(p.buf, 0755) < 0 && errno != EEXIST)) {
				fprintf(stderr, "csf-tui: render: %s: cannot create folder: %s\n", p.buf,
					strerror(errno));
				ok = false;
			}
		} else if (S_ISLNK(st.st_mode)) {
			fprintf(stderr, "csf-tui: render: %s is a symlink and resolves outside the output "
					"folder; not written\n", p.buf);
			ok = false;
		} else if (!S_ISDIR(st.st_mode)) {
			fprintf(stderr, "csf-tui: render: %s: not a folder\n", p.buf);
			ok = false;
		}
		s += n;
		while (*s == '/')
			s++;
	}
	csf_buf_release(&p);
	return ok;
}

/* Removes what the previous render of this cell produced and this one does not: the files
 * listed in its execution-metadata.json (read before the new one replaced it), only when they
 * are regular files still holding the bytes recorded there. Anything else is left alone. */
static void
remove_stale(struct render_cli *c, const char *base, const char *old_meta,
	     const struct csf_artifact_set *set)
{
	cJSON *root = cJSON_Parse(old_meta), *arts, *a;

	arts = cJSON_GetObjectItemCaseSensitive(root, "artifacts");
	cJSON_ArrayForEach(a, arts) {
		const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "path"));
		const char *sha = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "sha256"));
		struct csf_buf bytes = CSF_BUF_INIT;
		struct stat st;
		char hex[65], *full, *slash;

		if (!path || !sha || !csf_safe_relpath(path) || csf_artifact_set_find(set, path))
			continue;
		full = csf_path_join(base, path);
		if (lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    csf_buf_read_file(&bytes, full, (size_t)st.st_size + 1) == 0 &&
		    !strcmp(csf_sha256_hex(bytes.buf, bytes.len, hex), sha) && unlink(full) == 0) {
			c->nremoved++;
			/* Folders it leaves empty go too (rmdir fails on anything else). */
			while ((slash = strrchr(full, '/')) && (size_t)(slash - full) > strlen(base)) {
				*slash = '\0';
				if (rmdir(full) < 0)
					break;
			}
		}
		csf_buf_release(&bytes);
		free(full);
	}
	cJSON_Delete(root);
}

/* Writes one cell under c->out_real; false on an I/O error (printed). */
static bool
write_set(struct render_cli *c, const struct csf_artifact_set *set, const char *rel)
{
	char *base = csf_path_join(c->out_real, rel), *meta = csf_path_join(base, "execution-metadata.json");
	struct csf_buf old_meta = CSF_BUF_INIT;
	struct stat st;
	size_t i;
	bool ok = ensure_dirs(c->out_real, rel);

	if (ok && lstat(meta, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (1 << 22))
		csf_buf_read_file(&old_meta, meta, 1 << 22);

	for (i = 0; ok && i < set->n; i++) {
		const struct csf_artifact *a = &set->items[i];
		char *full = csf_path_join(base, a->path), *slash = strrchr(a->path, '/');

		if (slash) {
			char *sub = csf_xstrndup(a->path, (size_t)(slash - a->path));
			char *subrel = csf_path_join(rel, sub);

			ok = ensure_dirs(c->out_real, subrel);
			free(subrel);
			free(sub);
		}
		if (ok && !same_content(full, &a->data)) {
			size_t plen = strlen(a->path);
			bool exec = plen > 3 && !strcmp(a->path + plen - 3, ".sh");

			ok = write_atomic(full, &a->data, exec ? 0755 : 0644);
			c->nwritten += ok;
		}
		c->nfiles++;
		free(full);
	}
	if (ok && old_meta.len)
		remove_stale(c, base, old_meta.buf, set);
	csf_buf_release(&old_meta);
	free(meta);
	/* One flush per cell instead of one per file: the cell is on disk before the next. */
	if (ok) {
		int dfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd >= 0) {
			if (syncfs(dfd) < 0) {
				fprintf(stderr, "csf-tui: render: %s: cannot flush: %s\n", base, strerror(errno));
				ok = false;
			}
			close(dfd);
		}
	}
	free(base);
	return ok;
}

static void
print_warnings(const struct csf_artifact_set *set, const char *rel)
{
	size_t i;

	for (i = 0; i < set->nwarnings; i++)
		fprintf(stderr, "csf-tui: render: %s: warning: %s\n", rel, set->warnings[i]);
}

/* rel names the cell in messages; with_prefix puts it in front of printed paths. */
static bool
emit_cell(struct render_cli *c, const char *rel, bool with_prefix, enum csf_status st,
	  const struct csf_artifact_set *set, const struct csf_error *err)
{
	struct csf_buf prefix = CSF_BUF_INIT;
	bool ok = true;

	c->ncells++;
	if (st != CSF_E_OK) {
		fprintf(stderr, "csf-tui: render: %s: refused: %s\n", rel, err->msg);
		c->nfailed++;
		return true;
	}
	print_warnings(set, rel);
	if (c->fmt == FMT_FILES) {
		ok = write_set(c, set, rel);
		c->io_error |= !ok;
	} else {
		if (with_prefix)
			csf_buf_addf(&prefix, "%s/", rel);
		print_set(c, set, prefix.buf);
	}
	csf_buf_release(&prefix);
	return ok;
}

static char *
cell_rel(const char *provider, const struct csf_environment *env, const struct csf_tenant *t,
	 const struct csf_blueprint *bp)
{
	struct csf_buf b = CSF_BUF_INIT;

	csf_buf_addf(&b, "%s/%s/%s/%s", provider, env ? env->name : "default", t ? t->id : "default",
		     bp->module ? bp->module : "unnamed");
	return csf_buf_detach(&b, NULL);
}

static bool
matrix_cb(void *ctx, const struct csf_render_cell *cell, enum csf_status st,
	  const struct csf_artifact_set *set, const struct csf_error *err)
{
	struct render_cli *c = ctx;
	char *rel = cell_rel(cell->provider, cell->env, cell->tenant, cell->bp);
	bool ok = emit_cell(c, rel, true, st, set, err);

	free(rel);
	return ok;
}

/* ==== workspace and names =================================================================== */

static char *
default_workspace(const struct cli_global *g, const char *target)
{
	if (g->workspace)
		return csf_xstrdup(g->workspace);
	if (target && csf_is_file(target)) {
		char *w = csf_find_workspace(target);

		if (w)
			return w;
	}
	if (csf_is_workspace("."))
		return csf_xstrdup(".");
	return csf_samples_dir(NULL);
}

static const struct csf_blueprint *
find_blueprint(const struct csf_workspace *ws, const char *target)
{
	const struct csf_blueprint *bp = csf_ws_blueprint(ws, target);
	char *want;
	size_t i;

	if (bp || !csf_is_file(target))
		return bp;
	want = realpath(target, NULL);
	for (i = 0; want && i < ws->nblueprints; i++) {
		char *have = realpath(ws->blueprints[i].file->path, NULL);
		bool hit = have && !strcmp(have, want);

		free(have);
		if (hit) {
			bp = &ws->blueprints[i];
			break;
		}
	}
	free(want);
	return bp;
}

/* TARGET names a YAML file rather than a module. */
static bool
yaml_name(const char *target)
{
	size_t n = strlen(target);

	return (n > 5 && !strcmp(target + n - 5, ".yaml")) || (n > 4 && !strcmp(target + n - 4, ".yml"));
}

static int
not_found(const char *target, const char *wsdir)
{
	if (csf_is_file(target))
		return cli_usage_error("render: no blueprint or module '%s' in %s: the file is not "
				       "part of that workspace (use --workspace DIR)", target, wsdir);
	return cli_usage_error("render: no blueprint or module '%s' in %s", target, wsdir);
}

static bool
unsafe_name(const char *what, const char *v)
{
	if (!v || csf_safe_component(v))
		return false;
	cli_usage_error("render: %s '%s' is not a valid name (no '/', '\\' or '..')", what, v);
	return true;
}

/* Prints the lint errors of the blueprint files being rendered as warnings. */
static void
lint_warnings(const struct csf_workspace *ws, const struct csf_blueprint *only, const char *tenant,
	      const char *env)
{
	struct csf_lint_opts o = { tenant, env };
	struct csf_lint_result r = { 0 };
	struct csf_error err = CSF_ERROR_INIT;
	size_t i, shown = 0;

	if (csf_lint_workspace(ws, &o, &r, &err)) {
		csf_lint_result_release(&r);
		return;
	}
	for (i = 0; i < r.n; i++) {
		const struct csf_diag *d = &r.diags[i];

		if (d->sev != CSF_SEV_ERROR || (only && only->file && d->file &&
						 strcmp(d->file, only->file->path)))
			continue;
		fprintf(stderr, "%s:%u:%u: warning: %s [%s]\n", d->file ? d->file : "?",
			d->loc.line, d->loc.col, d->msg, d->rule);
		shown++;
	}
	if (shown)
		fprintf(stderr, "csf-tui: render: warning: %zu lint error%s (see `csf-tui --headless lint`); "
				"rendering anyway\n", shown, shown == 1 ? "" : "s");
	csf_lint_result_release(&r);
}

/* Checks that DIR can be written before anything is rendered: creates it if needed, then
 * creates and removes a probe file. */
static int
preflight(struct render_cli *c)
{
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_buf probe = CSF_BUF_INIT;
	int fd;

	if (csf_mkdirs(c->out, &err))
		return cli_usage_error("render: cannot write to --out %s: %s", c->out, err.msg);
	csf_buf_addf(&probe, "%s/.csf-render-probe.XXXXXX", c->out);
	fd = mkstemp(probe.buf);
	if (fd < 0) {
		int e = errno;

		csf_buf_release(&probe);
		return cli_usage_error("render: cannot write to --out %s: %s", c->out, strerror(e));
	}
	close(fd);
	unlink(probe.buf);
	csf_buf_release(&probe);
	c->out_real = realpath(c->out, NULL);
	if (!c->out_real)
		return cli_usage_error("render: cannot resolve --out %s: %s", c->out, strerror(errno));
	return CLI_OK;
}

/* ==== the command =========================================================================== */

int
cli_render(const struct cli_global *g, int argc, char **argv)
{
	struct render_cli c;
	struct csf_render_opts ro = { 0 };
	struct csf_workspace *ws = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	const char *target = NULL, *provider = NULL, *tenant = NULL, *env = NULL, *format = NULL;
	char *wsdir = NULL;
	bool all = false, missing;
	int i, rc = CLI_OK;
	const char *v;

	memset(&c, 0, sizeof(c));
	c.first_json = true;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		missing = false;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			help(stdout);
			return CLI_OK;
		}
		if (!strcmp(a, "--all")) {
			all = true;
		} else if ((v = cli_opt_in(argc, argv, &i, "--provider", &missing))) {
			provider = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--tenant", &missing))) {
			tenant = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--env", &missing))) {
			env = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--out", &missing))) {
			c.out = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--format", &missing))) {
			format = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--timestamp", &missing))) {
			ro.timestamp = v;
		} else if (missing) {
			return cli_usage_error("render: option %s needs a value", a);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("render: unknown option '%s' (see render --help)", a);
		} else if (!target) {
			target = a;
		} else {
			return cli_usage_error("render: one BLUEPRINT or MODULE only (got '%s' too)", a);
		}
	}
	if (!format)
		c.fmt = c.out ? FMT_FILES : FMT_YAML;
	else if (!strcmp(format, "files"))
		c.fmt = FMT_FILES;
	else if (!strcmp(format, "yaml"))
		c.fmt = FMT_YAML;
	else if (!strcmp(format, "json"))
		c.fmt = FMT_JSON;
	else
		return cli_usage_error("render: --format must be files, yaml or json");
	if (c.fmt == FMT_FILES && !c.out)
		return cli_usage_error("render: --format files needs --out DIR");
	if (c.fmt == FMT_FILES && g->readonly)
		return cli_usage_error("render --out writes files and is refused under --readonly "
				       "(use --format yaml or json)");
	if (!target && !all)
		return cli_usage_error("render: name a BLUEPRINT or MODULE, or use --all (see render --help)");
	if (provider && !csf_render_provider_known(provider))
		return cli_usage_error("render: unknown provider '%s' (azure, aws, gcp)", provider);
	if (unsafe_name("tenant", tenant) || unsafe_name("environment", env))
		return CLI_ERROR;
	if (target && !csf_is_file(target)) {
		struct stat st;

		if ((strchr(target, '/') || yaml_name(target) || !strcmp(target, ".") ||
		     !strcmp(target, "..")) && stat(target, &st) == 0)
			return cli_usage_error("render: %s: %s", target, S_ISDIR(st.st_mode) ?
					       "is a folder, not a blueprint file (name one file or module)" :
					       "not a regular file");
		if (yaml_name(target))
			return cli_usage_error("render: %s: %s", target, strerror(errno));
	}
	if (target && !csf_is_file(target) && unsafe_name("module", target))
		return CLI_ERROR;

	wsdir = default_workspace(g, target);
	if (!wsdir)
		return cli_usage_error("render: no workspace here and samples/ not found "
				       "(use --workspace DIR or set CSF_SAMPLES)");
	if (csf_workspace_open(wsdir, &ws, &err)) {
		rc = cli_usage_error("render: %s: %s", wsdir, err.msg);
		goto out;
	}
	c.ws = ws;
	ro.ws = ws;
	ro.provider = provider;
	if (tenant && !csf_ws_tenant(ws, tenant)) {
		rc = cli_usage_error("render: no tenant '%s' in %s", tenant, wsdir);
		goto out;
	}
	if (env && !csf_ws_env(ws, env)) {
		rc = cli_usage_error("render: no environment '%s' in %s", env, wsdir);
		goto out;
	}
	if (!all) {
		const struct csf_blueprint *bp = find_blueprint(ws, target);
		const struct csf_tenant *t = tenant ? csf_ws_tenant(ws, tenant) : NULL;
		const struct csf_environment *e = env ? csf_ws_env(ws, env) : NULL;
		struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
		enum csf_status st;
		char *rel;

		if (!bp) {
			rc = not_found(target, wsdir);
			goto out;
		}
		if (bp->tenant_only && (!t || strcmp(t->id, bp->tenant_only))) {
			rc = cli_usage_error("render: %s is specific to tenant %s (use --tenant %s)",
					     bp->module ? bp->module : target, bp->tenant_only, bp->tenant_only);
			goto out;
		}
		lint_warnings(ws, bp, tenant, env);
		if (c.fmt == FMT_FILES && (rc = preflight(&c)) != CLI_OK)
			goto out;
		st = csf_render_cell(ws, bp, t, e, &ro, &set, &err);
		rel = cell_rel(st == CSF_E_OK ? set.provider : (provider ? provider : "azure"), e, t, bp);
		emit_cell(&c, rel, false, st, &set, &err);
		free(rel);
		csf_artifact_set_release(&set);
	} else {
		struct csf_matrix_opts mo = { NULL, tenant, env, provider, false };
		const struct csf_blueprint *bp = target ? find_blueprint(ws, target) : NULL;

		if (target && !bp) {
			rc = not_found(target, wsdir);
			goto out;
		}
		mo.module = bp ? bp->file->path : NULL;
		lint_warnings(ws, bp, tenant, env);
		if (c.fmt == FMT_FILES && (rc = preflight(&c)) != CLI_OK)
			goto out;
		if (csf_render_matrix(ws, &mo, &ro, matrix_cb, &c, &err) == CSF_E_USAGE) {
			rc = cli_usage_error("render: %s", err.msg);
			goto out;
		}
	}
	if (c.fmt == FMT_JSON)
		fputs(c.first_json ? "[]\n" : "\n]\n", stdout);
	if (c.fmt == FMT_FILES && !c.io_error)
		fprintf(stderr, "csf-tui: render: %zu cell%s, %zu files (%zu written, %zu unchanged, "
				"%zu stale removed) in %s\n",
			c.ncells - c.nfailed, c.ncells - c.nfailed == 1 ? "" : "s", c.nfiles, c.nwritten,
			c.nfiles - c.nwritten, c.nremoved, c.out);
	if (fflush(stdout) != 0)
		c.io_error = true;
	rc = c.io_error ? CLI_ERROR : c.nfailed ? CLI_FOUND : CLI_OK;
out:
	free(c.out_real);
	csf_workspace_free(ws);
	free(wsdir);
	return rc;
}
