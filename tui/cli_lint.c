/* `csf-tui --headless lint [PATH…] [--format text|json|sarif] [--fix] [--tenant T] [--env E]`
 *
 * PATH is a workspace (a folder with csf.yaml), a folder inside one (its files are linted in
 * the workspace's context, only their findings reported), any other folder (opened as a
 * workspace without csf.yaml), or a file (inside a workspace: linted in its context; outside
 * any: linted on its own). Without PATH: --workspace, else the current folder when it holds
 * csf.yaml, else the shipped samples/ ($CSF_SAMPLES, then ../samples and
 * ../share/csf-tui/samples next to the binary).
 *
 * Exit status: 0 no errors, 1 errors found (a file that is not valid YAML is a yaml-syntax
 * error), 2 usage error, a missing or unreadable path or file, a PATH with no YAML file in
 * it (an empty or mistyped folder), or a failed --fix write.
 */
#include "tui/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/lint.h"
#include "core/lint_report.h"
#include "core/workspace.h"
#include "core/xalloc.h"

struct lint_target {
	char *root;			/* workspace root as displayed, or NULL for loose files */
	char *root_real;
	struct csf_workspace *ws;
	bool all;			/* report every file */
	const char *all_arg;		/* the PATH argument that made .all, for messages */
	char **filters;			/* realpaths of files or folders to report */
	const char **filter_args;	/* the PATH argument of each filter, for messages */
	size_t *filter_hits;		/* files each filter reported in the last lint */
	size_t nfilters, filters_alloc;
};

struct lint_cli {
	struct lint_target *t;
	size_t nt, t_alloc;
	char *cwd;
	int status;			/* CLI_ERROR once an I/O problem was reported */
};

static void
usage(FILE *out)
{
	fputs("usage: csf-tui --headless lint [PATH...] [--format text|json|sarif] [--fix]\n"
	      "                               [--tenant T] [--env E]\n"
	      "PATH: a workspace, a folder or files (default: --workspace, the current folder if it\n"
	      "holds csf.yaml, else the shipped samples/: $CSF_SAMPLES, or samples/ next to the\n"
	      "binary's folder, or share/csf-tui/samples).\n"
	      "--fix applies the safe fixes (probes, resources, event versions) in place and\n"
	      "lints again; refused under --readonly.\n"
	      "exit status: 0 no errors, 1 errors found, 2 usage or I/O error (also a PATH\n"
	      "with no YAML file in it)\n", out);
}

/* path relative to the current folder when it lies under it, else as is. Caller frees. */
static char *
display_path(const struct lint_cli *c, const char *real)
{
	size_t n = c->cwd ? strlen(c->cwd) : 0;

	if (n && !strncmp(real, c->cwd, n)) {
		if (real[n] == '\0')
			return csf_xstrdup(".");
		if (real[n] == '/')
			return csf_xstrdup(real + n + 1);
	}
	return csf_xstrdup(real);
}

static struct lint_target *
target_for(struct lint_cli *c, const char *root_disp, const char *root_real)
{
	size_t i;

	for (i = 0; i < c->nt; i++)
		if ((!root_real && !c->t[i].root_real) ||
		    (root_real && c->t[i].root_real && !strcmp(root_real, c->t[i].root_real)))
			return &c->t[i];
	CSF_GROW(c->t, c->t_alloc, c->nt + 1);
	memset(&c->t[c->nt], 0, sizeof(c->t[0]));
	c->t[c->nt].root = root_disp ? csf_xstrdup(root_disp) : NULL;
	c->t[c->nt].root_real = root_real ? csf_xstrdup(root_real) : NULL;
	return &c->t[c->nt++];
}

/* arg is the PATH argument as given; it must outlive the target (it points into argv). */
static void
add_filter(struct lint_target *t, const char *real, const char *arg)
{
	size_t alloc = t->filters_alloc;

	CSF_GROW(t->filters, t->filters_alloc, t->nfilters + 1);
	if (alloc != t->filters_alloc) {
		t->filter_args = csf_xrealloc_array(t->filter_args, t->filters_alloc,
						    sizeof(*t->filter_args));
		t->filter_hits = csf_xrealloc_array(t->filter_hits, t->filters_alloc,
						    sizeof(*t->filter_hits));
	}
	t->filter_args[t->nfilters] = arg;
	t->filter_hits[t->nfilters] = 0;
	t->filters[t->nfilters++] = csf_xstrdup(real);
}

/* Adds one PATH argument. The path is used as given where possible, so output stays relative. */
static int
add_path(struct lint_cli *c, const char *path)
{
	struct stat st;
	char *real, *wsroot;
	struct lint_target *t;

	if (stat(path, &st) < 0)
		return cli_usage_error("%s: cannot open: %s", path, strerror(errno));
	real = realpath(path, NULL);
	if (!real)
		return cli_usage_error("%s: cannot open: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		free(real);
		return cli_usage_error("%s: not a regular file or folder", path);
	}
	wsroot = S_ISDIR(st.st_mode) && csf_is_workspace(path) ? NULL : csf_find_workspace(path);
	if (S_ISDIR(st.st_mode) && !wsroot) {
		/* A workspace, or a folder outside any workspace: open it as a whole. */
		t = target_for(c, path, real);
		t->all = true;
		t->all_arg = path;
	} else if (wsroot) {
		char *disp = display_path(c, wsroot);

		t = target_for(c, disp, wsroot);
		add_filter(t, real, path);
		free(disp);
		free(wsroot);
	} else {
		t = target_for(c, NULL, NULL);
		add_filter(t, path, path);
	}
	free(real);
	return CLI_OK;
}

static char *
default_samples(const struct lint_cli *c)
{
	const char *env = getenv("CSF_SAMPLES");
	static const char *const rel[] = { "/../samples", "/../share/csf-tui/samples" };
	char exe[PATH_MAX];
	ssize_t n;
	size_t i;

	if (env && *env)
		return csf_xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if (strrchr(exe, '/'))
		*strrchr(exe, '/') = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		struct csf_buf b = CSF_BUF_INIT;
		char *real;

		csf_buf_addf(&b, "%s%s", exe, rel[i]);
		real = realpath(b.buf, NULL);
		csf_buf_release(&b);
		if (real && csf_is_workspace(real)) {
			char *d = display_path(c, real);

			free(real);
			return d;
		}
		free(real);
	}
	return NULL;
}

/* Whether file f is reported for target t. With count, adds one to the hit count of every
 * filter that selects f (a file may lie under two PATH arguments). */
static bool
reported(struct lint_target *t, const struct csf_ws_file *f, bool count)
{
	size_t i;
	char *real;
	bool hit = false;

	if (t->all)
		return true;
	real = t->root_real ? realpath(f->path, NULL) : NULL;
	for (i = 0; i < t->nfilters; i++) {
		bool h;

		if (!t->root_real) {
			h = !strcmp(t->filters[i], f->path);
		} else {
			size_t n = strlen(t->filters[i]);

			h = real && !strncmp(real, t->filters[i], n) &&
			    (real[n] == '\0' || real[n] == '/');
		}
		if (h && count)
			t->filter_hits[i]++;
		hit = hit || h;
		if (hit && !count)
			break;
	}
	free(real);
	return hit;
}

/* A PATH that selected no file is almost always a mistyped one: say so, so that CI does not
 * pass on "0 files". Returns CLI_OK, or CLI_ERROR after a message. */
static int
check_found(const struct lint_target *t, size_t nall)
{
	size_t i;

	if (t->all && !nall)
		return cli_usage_error("no YAML files found in %s", t->all_arg);
	for (i = 0; !t->all && i < t->nfilters; i++)
		if (!t->filter_hits[i])
			return cli_usage_error("no YAML files found in %s", t->filter_args[i]);
	return CLI_OK;
}

static void
targets_release(struct lint_cli *c)
{
	size_t i, j;

	for (i = 0; i < c->nt; i++) {
		csf_workspace_free(c->t[i].ws);
		c->t[i].ws = NULL;
		free(c->t[i].root);
		free(c->t[i].root_real);
		for (j = 0; j < c->t[i].nfilters; j++)
			free(c->t[i].filters[j]);
		free(c->t[i].filters);
		free(c->t[i].filter_args);
		free(c->t[i].filter_hits);
	}
	free(c->t);
	c->t = NULL;
	c->nt = c->t_alloc = 0;
}

static void
list_names(struct csf_buf *b, const struct csf_workspace *ws, bool tenants)
{
	size_t i, n = tenants ? ws->ntenants : ws->nenvs;

	for (i = 0; i < n; i++)
		csf_buf_addf(b, "%s%s", i ? ", " : "",
			     tenants ? ws->tenants[i].id : ws->envs[i].name);
	if (!n)
		csf_buf_addstr(b, "(none)");
}

/* Opens every target and lints it into *all. Returns CLI_OK, or CLI_ERROR after a message. */
static int
lint_targets(struct lint_cli *c, const struct csf_lint_opts *o, struct csf_lint_result *all,
	     size_t *nfiles)
{
	size_t i, j, nall;

	memset(all, 0, sizeof(*all));
	*nfiles = 0;
	for (i = 0; i < c->nt; i++) {
		struct lint_target *t = &c->t[i];
		struct csf_lint_result r;
		struct csf_error err = CSF_ERROR_INIT;

		if (t->root) {
			if (csf_workspace_open(t->root, &t->ws, &err)) {
				char m[600];

				fprintf(stderr, "csf-tui: %s\n", csf_error_format(&err, m, sizeof(m)));
				return CLI_ERROR;
			}
		} else {
			t->ws = csf_workspace_new_loose();
			for (j = 0; j < t->nfilters; j++)
				csf_workspace_add_file(t->ws, t->filters[j], CSF_KIND_UNKNOWN);
		}
		memset(&r, 0, sizeof(r));
		if (csf_lint_workspace(t->ws, o, &r, &err)) {
			struct csf_buf b = CSF_BUF_INIT;

			csf_buf_addf(&b, "%s (%s): valid %s: ", err.msg, t->root ? t->root : "files",
				     o->tenant && !csf_ws_tenant(t->ws, o->tenant) ? "tenants" :
				     "environments");
			list_names(&b, t->ws, o->tenant && !csf_ws_tenant(t->ws, o->tenant));
			cli_usage_error("%s", b.buf);
			csf_buf_release(&b);
			return CLI_ERROR;
		}
		nall = 0;
		for (j = 0; j < t->nfilters; j++)
			t->filter_hits[j] = 0;
		for (j = 0; j < t->ws->nfiles; j++) {
			const struct csf_ws_file *f = t->ws->files[j];

			if (!reported(t, f, true))
				continue;
			(*nfiles)++;
			nall++;
			if (f->err.code == CSF_E_IO) {
				fprintf(stderr, "csf-tui: %s: %s\n", f->path, f->err.msg);
				c->status = CLI_ERROR;
			}
		}
		for (j = 0; j < r.n; j++) {
			struct csf_diag *d = &r.diags[j];
			const struct csf_ws_file *f = NULL;
			size_t k;

			for (k = 0; k < t->ws->nfiles && !f; k++)
				if (t->ws->files[k]->path == d->file)
					f = t->ws->files[k];
			if (!f || !reported(t, f, false) || f->err.code == CSF_E_IO) {
				free(d->msg);
				free(d->hint);
				free(d->cells);
				csf_fix_free(d->fix);
				continue;
			}
			CSF_GROW(all->diags, all->alloc, all->n + 1);
			all->diags[all->n++] = *d;
			if (d->sev == CSF_SEV_ERROR)
				all->nerrors++;
			else if (d->sev == CSF_SEV_WARNING)
				all->nwarnings++;
			else if (d->sev == CSF_SEV_INFO)
				all->ninfos++;
		}
		free(r.diags);
		if (check_found(t, nall)) {
			csf_lint_result_release(all);
			return CLI_ERROR;
		}
	}
	return CLI_OK;
}

/* Applies every fix of the result, file by file. Returns the number of files changed, or -1
 * after a write error. */
static int
apply_fixes(struct lint_cli *c, const struct csf_lint_result *r)
{
	size_t i, j, k;
	int changed = 0;

	for (i = 0; i < c->nt; i++) {
		const struct csf_workspace *ws = c->t[i].ws;

		for (j = 0; j < ws->nfiles; j++) {
			const struct csf_ws_file *f = ws->files[j];
			const struct csf_fix **fixes = NULL;
			size_t n = 0, alloc = 0, skipped;
			struct csf_buf out = CSF_BUF_INIT;
			struct csf_error err = CSF_ERROR_INIT;

			if (!f->doc)
				continue;
			for (k = 0; k < r->n; k++)
				if (r->diags[k].fix && r->diags[k].file == f->path) {
					CSF_GROW(fixes, alloc, n + 1);
					fixes[n++] = r->diags[k].fix;
				}
			if (!n)
				continue;
			csf_fix_apply(f->doc->text.buf, f->doc->text.len, fixes, n, &out, &skipped);
			if (out.len != f->doc->text.len || memcmp(out.buf, f->doc->text.buf, out.len)) {
				if (csf_write_file_atomic(f->path, out.buf, out.len, &err)) {
					char m[600];

					fprintf(stderr, "csf-tui: %s\n",
						csf_error_format(&err, m, sizeof(m)));
					free(fixes);
					csf_buf_release(&out);
					return -1;
				}
				for (k = 0; k < n; k++)
					fprintf(stderr, "fixed %s: %s\n", f->path, fixes[k]->title);
				changed++;
			}
			if (skipped)
				fprintf(stderr, "%s: %zu overlapping fix%s skipped; run --fix again\n",
					f->path, skipped, skipped == 1 ? "" : "es");
			free(fixes);
			csf_buf_release(&out);
		}
	}
	return changed;
}

static void
result_release(struct csf_lint_result *r)
{
	csf_lint_result_release(r);
}

int
cli_lint(const struct cli_global *g, int argc, char **argv)
{
	struct lint_cli c;
	struct csf_lint_opts o = { NULL, NULL };
	enum csf_report_format fmt = CSF_REPORT_TEXT;
	struct csf_lint_result r;
	const char **paths = NULL;
	size_t npaths = 0, nfiles, i;
	bool fix = false, missing;
	const char *v, *lang;
	char *samples = NULL;
	int st = CLI_OK, a;

	memset(&c, 0, sizeof(c));
	paths = csf_xcalloc((size_t)argc + 1, sizeof(*paths));
	for (a = 1; a < argc; a++) {
		const char *arg = argv[a];

		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			usage(stdout);
			free(paths);
			return CLI_OK;
		}
		if (!strcmp(arg, "--fix")) {
			fix = true;
			continue;
		}
		if ((v = cli_opt(argc, argv, &a, "--format", &missing))) {
			if (!csf_report_format_parse(v, &fmt)) {
				free(paths);
				return cli_usage_error("unknown format '%s' (text, json or sarif)", v);
			}
			continue;
		}
		if (!missing && (v = cli_opt(argc, argv, &a, "--tenant", &missing))) {
			o.tenant = v;
			continue;
		}
		if (!missing && (v = cli_opt(argc, argv, &a, "--env", &missing))) {
			o.env = v;
			continue;
		}
		if (missing) {
			free(paths);
			return cli_usage_error("option %s needs a value", arg);
		}
		if (arg[0] == '-' && arg[1]) {
			free(paths);
			return cli_usage_error("lint: unknown option '%s' (see lint --help)", arg);
		}
		paths[npaths++] = arg;
	}
	if (fix && g->readonly) {
		free(paths);
		return cli_usage_error("lint --fix writes files and is refused under --readonly");
	}
	c.cwd = getcwd(NULL, 0);
	if (!npaths) {
		if (g->workspace)
			paths[npaths++] = g->workspace;
		else if (csf_is_workspace("."))
			paths[npaths++] = ".";
		else if ((samples = default_samples(&c)))
			paths[npaths++] = samples;
		else
			st = cli_usage_error("no workspace here and samples/ not found (set "
					     "CSF_SAMPLES or give a PATH)");
	}
	for (i = 0; st == CLI_OK && i < npaths; i++)
		st = add_path(&c, paths[i]);
	if (st == CLI_OK)
		st = lint_targets(&c, &o, &r, &nfiles);
	if (st == CLI_OK && fix && r.n) {
		int changed = apply_fixes(&c, &r);

		if (changed < 0) {
			st = CLI_ERROR;
		} else if (changed > 0) {
			/* Re-lint the fixed files so the output and the exit status are current. */
			result_release(&r);
			for (i = 0; i < c.nt; i++) {
				csf_workspace_free(c.t[i].ws);
				c.t[i].ws = NULL;
			}
			c.status = CLI_OK;
			st = lint_targets(&c, &o, &r, &nfiles);
		}
	}
	if (st == CLI_OK) {
		struct csf_buf out = CSF_BUF_INIT;
		const struct csf_workspace **wss = csf_xcalloc(c.nt + 1, sizeof(*wss));

		for (i = 0; i < c.nt; i++)
			wss[i] = c.t[i].ws;
		lang = getenv("LC_ALL");
		if (!lang || !*lang)
			lang = getenv("LC_CTYPE");
		if (!lang || !*lang)
			lang = getenv("LANG");
		csf_lint_report(&out, fmt, &r, wss, c.nt, nfiles,
				fmt == CSF_REPORT_TEXT && !(lang && (strstr(lang, "UTF-8") ||
								     strstr(lang, "utf8"))));
		fwrite(out.buf, 1, out.len, stdout);
		fflush(stdout);
		csf_buf_release(&out);
		free(wss);
		st = c.status ? c.status : r.nerrors ? CLI_FOUND : CLI_OK;
		result_release(&r);
	}
	targets_release(&c);
	free(c.cwd);
	free(samples);
	free(paths);
	return st;
}
