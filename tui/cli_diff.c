/* csf-tui --headless diff: line, side-by-side and semantic diffs of two files or folders, of
 * blueprint versions in git (--rev), and of the artifacts two versions generate (--artifacts).
 * Exit status: 0 same, 1 different, 2 error (DESIGN §7, §9). */
#include "tui/cli.h"

#include <errno.h>
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
#include "core/review.h"
#include "core/semdiff.h"
#include "core/status.h"
#include "core/workspace.h"

#define DIFF_USAGE \
	"diff A B | --rev R1[..R2] [PATH] [--semantic] [--side-by-side [--width N]]\n" \
	"                [--artifacts --provider P --tenant T --env E] [--cells CELL..CELL]\n" \
	"                [--format text|json]\n" \
	"                [--context N] [--ignore-whitespace] [--word-diff] [--ascii]"

#define READ_MAX (64u << 20)

struct diff_cli {
	const struct cli_global *g;
	const char *rev, *provider, *tenant, *env, *cells;
	const char *args[2];
	int nargs;
	bool semantic, side, artifacts, json, words, ascii;
	unsigned width;
	struct csf_diff_opts dopts;
};

static int
fail(const struct csf_error *err)
{
	char msg[600];

	fprintf(stderr, "csf-tui: diff: %s\n", csf_error_format(err, msg, sizeof(msg)));
	return CLI_ERROR;
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
diff_sets(const struct diff_cli *o, struct csf_review_files *a, struct csf_review_files *b)
{
	struct csf_artdiff_opts ao = CSF_ARTDIFF_OPTS_INIT;
	struct csf_artdiff *ad;
	struct csf_buf out = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_art_input *ia = csf_review_files_inputs(a), *ib = csf_review_files_inputs(b);
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
		struct csf_review_files la = CSF_REVIEW_FILES_INIT, lb = CSF_REVIEW_FILES_INIT;

		if (csf_review_read_dir(&la, a, &err) || csf_review_read_dir(&lb, b, &err))
			rc = fail(&err);
		else
			rc = diff_sets(o, &la, &lb);
		csf_review_files_release(&la);
		csf_review_files_release(&lb);
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
		struct csf_review_files la = CSF_REVIEW_FILES_INIT, lb = CSF_REVIEW_FILES_INIT;

		if (csf_review_read_rev(&la, r1, rel, &err) || csf_review_read_rev(&lb, r2, rel, &err))
			rc = fail(&err);
		else
			rc = diff_sets(o, &la, &lb);
		csf_review_files_release(&la);
		csf_review_files_release(&lb);
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

/* --cells A..B [PATH]: the same blueprint (or every blueprint of the workspace) rendered for
 * two cells of the matrix. */
static int
artifacts_cells(const struct diff_cli *o)
{
	const char *path = o->nargs ? o->args[0] : NULL, *dots = strstr(o->cells, "..");
	struct csf_review_files la = CSF_REVIEW_FILES_INIT, lb = CSF_REVIEW_FILES_INIT;
	struct csf_review_cell_text ca, cb;
	struct csf_error err = CSF_ERROR_INIT;
	char *left, *ws = NULL;
	const char *bp = NULL;
	int rc;

	if (!dots || strstr(dots + 2, ".."))
		return cli_usage_error("diff: --cells wants CELL..CELL, a cell being "
				       "PROVIDER/TENANT/ENV ('-' for the default)");
	left = csf_xstrndup(o->cells, (size_t)(dots - o->cells));
	if (csf_review_cell_parse(left, &ca, &err) || csf_review_cell_parse(dots + 2, &cb, &err)) {
		free(left);
		return cli_usage_error("diff: %s", err.msg);
	}
	free(left);
	if (path && !csf_is_file(path) && !csf_is_dir(path))
		return cli_usage_error("diff: %s is neither a blueprint nor a workspace folder", path);
	ws = workspace_for(o, path);
	if (path && csf_is_file(path))
		bp = path;
	if (csf_review_render(&la, ws, bp, &ca.cell, &err) ||
		 csf_review_render(&lb, ws, bp, &cb.cell, &err))
		rc = fail(&err);
	else
		rc = diff_sets(o, &la, &lb);
	csf_review_files_release(&la);
	csf_review_files_release(&lb);
	free(ws);
	return rc;
}

static int
artifacts_paths(const struct diff_cli *o)
{
	const char *a = o->args[0], *b = o->args[1];
	struct csf_review_files la = CSF_REVIEW_FILES_INIT, lb = CSF_REVIEW_FILES_INIT;
	struct csf_review_cell cell = { o->provider, o->tenant, o->env };
	struct csf_error err = CSF_ERROR_INIT;
	int rc;

	if (csf_is_dir(a) && csf_is_dir(b)) {
		if (csf_review_render(&la, a, NULL, &cell, &err) || csf_review_render(&lb, b, NULL, &cell, &err))
			rc = fail(&err);
		else
			rc = diff_sets(o, &la, &lb);
	} else if (csf_is_file(a) && csf_is_file(b)) {
		char *wa = workspace_for(o, a), *wb = workspace_for(o, b);

		if (csf_review_render(&la, wa, a, &cell, &err) || csf_review_render(&lb, wb, b, &cell, &err))
			rc = fail(&err);
		else
			rc = diff_sets(o, &la, &lb);
		free(wa);
		free(wb);
	} else {
		rc = cli_usage_error("diff: --artifacts compares two blueprint files or two "
				     "workspace folders (%s, %s)", a, b);
	}
	csf_review_files_release(&la);
	csf_review_files_release(&lb);
	return rc;
}

static int
artifacts_revs(const struct diff_cli *o)
{
	static const struct csf_loc none = { 0, 0 };
	const char *path = o->nargs ? o->args[0] : NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_gitrepo *repo = NULL;
	struct csf_gitrev *r1 = NULL, *r2 = NULL;
	struct csf_review_files la = CSF_REVIEW_FILES_INIT, lb = CSF_REVIEW_FILES_INIT;
	char *s1 = NULL, *s2 = NULL, *ws_abs = workspace_for(o, path), *ws_real = NULL;
	char *ws_rel = NULL, *bp_real = NULL;
	struct csf_review_cell cell = { o->provider, o->tenant, o->env };
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
	    csf_review_render_rev(&la, r1, ws_real, ws_rel, bp_rel, &cell, &err) ||
	    csf_review_render_rev(&lb, r2, ws_real, ws_rel, bp_rel, &cell, &err)) {
		rc = fail(&err);
		goto out;
	}
	rc = diff_sets(o, &la, &lb);
out:
	csf_review_files_release(&la);
	csf_review_files_release(&lb);
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

/* The narrowest side-by-side csf_diff_render_side_by_side draws (core/diff.h): it widens
 * anything less, so a smaller --width would not be honoured. */
#define SIDE_MIN_WIDTH 40u

static int run(const struct diff_cli *o);

int
cli_diff(const struct cli_global *g, int argc, char **argv)
{
	struct diff_cli o;
	const char *v, *cols = getenv("COLUMNS");
	bool missing;
	int i, rc;

	memset(&o, 0, sizeof(o));
	o.g = g;
	o.dopts = (struct csf_diff_opts)CSF_DIFF_OPTS_INIT;
	if (!parse_uint(cols, 10000, &o.width))
		o.width = 80;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		missing = false;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: csf-tui --headless %s\n", DIFF_USAGE);
			return CLI_OK;
		} else if ((v = cli_opt_in(argc, argv, &i, "--rev", &missing))) {
			o.rev = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--width", &missing))) {
			if (!parse_uint(v, 10000, &o.width) || o.width < SIDE_MIN_WIDTH)
				return cli_usage_error("diff: --width wants a number of columns from %u "
						       "to 10000, not '%s'", SIDE_MIN_WIDTH, v);
		} else if ((v = cli_opt_in(argc, argv, &i, "--context", &missing)) ||
			   (v = cli_opt_in(argc, argv, &i, "-U", &missing))) {
			if (!parse_uint(v, 100000, &o.dopts.context))
				return cli_usage_error("diff: --context wants a number, not '%s'", v);
		} else if ((v = cli_opt_in(argc, argv, &i, "--format", &missing))) {
			if (strcmp(v, "text") && strcmp(v, "json"))
				return cli_usage_error("diff: --format is text or json, not '%s'", v);
			o.json = !strcmp(v, "json");
		} else if ((v = cli_opt_in(argc, argv, &i, "--cells", &missing))) {
			o.cells = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--provider", &missing))) {
			o.provider = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--tenant", &missing))) {
			o.tenant = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--env", &missing))) {
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
	csf_diff_lib_acquire();
	rc = run(&o);
	csf_diff_lib_release();
	return rc;
}

/* Runs the parsed command (libgit2 is initialised once around it). */
static int
run(const struct diff_cli *o)
{
	if (o->cells) {
		if (o->rev || o->provider || o->tenant || o->env)
			return cli_usage_error("diff: --cells names both cells; it goes without --rev, "
					       "--provider, --tenant and --env");
		if (o->nargs > 1)
			return cli_usage_error("diff: --cells takes at most one PATH");
		return artifacts_cells(o);
	}
	if (o->artifacts && o->rev) {
		if (o->nargs > 1)
			return cli_usage_error("diff: --rev takes at most one PATH");
		return artifacts_revs(o);
	}
	if (o->artifacts) {
		if (o->nargs != 2)
			return cli_usage_error("diff: --artifacts needs two blueprints or workspaces, "
					       "or --rev");
		return artifacts_paths(o);
	}
	if (o->rev) {
		if (o->nargs > 1)
			return cli_usage_error("diff: --rev takes at most one PATH");
		return diff_revs(o);
	}
	if (o->nargs != 2)
		return cli_usage_error("diff: needs two paths, or --rev\nusage: csf-tui --headless %s",
				       DIFF_USAGE);
	return diff_paths(o);
}
