/* `csf-tui --headless release …`: the release board, history, promotion diff, promotion and
 * rollback through the GitOps repository (DESIGN §6, §9).
 *
 * Exit status: 0 ok (committed, nothing to do, or no difference for `diff`); 1 differences
 * found (`diff`); 2 usage or I/O error; 3 a gate blocked (also with --dry-run); 4 the branch
 * moved since the diff was computed (someone else promoted: run again).
 */
#include "tui/cli.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/artdiff.h"
#include "core/buf.h"
#include "core/cluster.h"
#include "core/gitops.h"
#include "core/release.h"
#include "core/sanitize.h"
#include "core/status.h"
#include "core/workspace.h"
#include "tui/cli_cluster.h"

struct rel_opts {
	const char *format;		/* text | json */
	const char *gitops;
	const char *approve, *reason;
	const char *test_report;
	const char *module, *tenant;	/* history filters */
	const char *snapshot;		/* --snapshot DIR: the health gate reads this recording */
	bool health;			/* the command evaluates the health gate (promote, diff) */
	bool dry_run;
	char *pos[4];
	int npos;
};

static const char release_usage[] =
	"usage: csf-tui --headless release status\n"
	"       csf-tui --headless release new MODULE TENANT [--approve NAME --reason R] [--dry-run]\n"
	"       csf-tui --headless release history ENV [--module M] [--tenant T]\n"
	"       csf-tui --headless release diff MODULE TENANT FROM TO\n"
	"       csf-tui --headless release promote MODULE TENANT FROM TO [--approve NAME --reason R]"
	" [--dry-run]\n"
	"       csf-tui --headless release rollback MODULE TENANT ENV [RELEASE] [--approve NAME"
	" --reason R] [--dry-run]\n"
	"options: --format text|json  --gitops DIR  --test-report FILE  --snapshot DIR\n"
	"The health gate of a promotion reads the cluster of csf.yaml when it names a kubeconfig or\n"
	"context (or --context), or a recorded cluster given with --snapshot; otherwise it is skipped.\n";

static int
exit_for(enum csf_status st)
{
	switch (st) {
	case CSF_E_OK:
		return CLI_OK;
	case CSF_E_GATE:
		return CLI_GATE;
	case CSF_E_CONFLICT:
		return CLI_CONFLICT;
	default:
		return CLI_ERROR;
	}
}

static int
report_error(const struct csf_error *err)
{
	char msg[600];

	fprintf(stderr, "csf-tui: release: %s\n", csf_error_format(err, msg, sizeof(msg)));
	return exit_for(err->code);
}

/* Plain text for terminals and logs: control characters never reach the output. */
static void
put(struct csf_buf *out, const char *s)
{
	csf_sanitize_buf(out, s ? s : "", s ? strlen(s) : 0, 0);
}

static void
json_str(struct csf_buf *b, const char *s)
{
	if (s)
		csf_buf_add_json_str(b, s);
	else
		csf_buf_addstr(b, "null");
}

/* ---- plans ------------------------------------------------------------------------------------ */

static const char *
kind_name(enum csf_release_kind k)
{
	return k == CSF_RELEASE_NEW ? "new" : k == CSF_RELEASE_PROMOTE ? "promote" : "rollback";
}

static const char *
first_block(const struct csf_release_plan *p)
{
	size_t i;

	for (i = 0; i < p->ngates; i++)
		if (p->gates[i].state == CSF_GATE_BLOCK)
			return p->gates[i].name;
	return "?";
}

static void
plan_text(struct csf_buf *o, const struct csf_release_plan *p, bool patches, const char *branch)
{
	size_t i;

	switch (p->kind) {
	case CSF_RELEASE_NEW:
		csf_buf_addf(o, "release new %s/%s into %s\n", p->module, p->tenant, p->to);
		break;
	case CSF_RELEASE_PROMOTE:
		csf_buf_addf(o, "promote %s/%s: %s -> %s\n", p->module, p->tenant, p->from, p->to);
		break;
	case CSF_RELEASE_ROLLBACK:
		csf_buf_addf(o, "rollback %s/%s in %s to %s\n", p->module, p->tenant, p->to,
			     p->meta.rollback_of ? p->meta.rollback_of : "?");
		break;
	}
	if (*p->base)
		csf_buf_addf(o, "base:    %.12s (%s)\n", p->base, branch);
	else
		csf_buf_addf(o, "base:    (no commit yet on %s)\n", branch);
	csf_buf_addstr(o, "release: ");
	put(o, p->meta.release_id);
	csf_buf_addstr(o, "  version ");
	put(o, p->meta.version ? p->meta.version : "?");
	if (p->has_old) {
		csf_buf_addstr(o, "  (replaces ");
		put(o, p->old_meta.release_id ? p->old_meta.release_id : "?");
		csf_buf_addstr(o, ", version ");
		put(o, p->old_meta.version ? p->old_meta.version : "?");
		csf_buf_addch(o, ')');
	}
	csf_buf_addf(o, "\nfolder:  %s/\n\n", p->dir);
	if (!p->nchanges) {
		csf_buf_addstr(o, "no artifact changes\n");
	} else if (p->diff) {
		csf_artdiff_render_stat(o, p->diff);
		if (patches) {
			csf_buf_addch(o, '\n');
			for (i = 0; i < p->diff->nfiles; i++)
				if (p->diff->files[i].status != CSF_ART_SAME) {
					csf_buf_addf(o, "diff %s\n", p->diff->files[i].path);
					csf_release_file_diff(p, p->diff->files[i].path, o, NULL);
				}
		}
	} else {
		for (i = 0; i < p->nchanges; i++)
			csf_buf_addf(o, "%c %s\n", p->changes[i].status, p->changes[i].path);
	}
	if (p->nsummary) {
		csf_buf_addstr(o, "\nsummary:\n");
		for (i = 0; i < p->nsummary; i++) {
			csf_buf_addstr(o, "  ");
			put(o, p->summary[i]);
			csf_buf_addch(o, '\n');
		}
	}
	for (i = 0; i < p->nwarnings; i++) {
		csf_buf_addstr(o, i ? "  " : "\nnotes:\n  ");
		put(o, p->warnings[i]);
		csf_buf_addch(o, '\n');
	}
	csf_buf_addstr(o, "\ngates:\n");
	for (i = 0; i < p->ngates; i++) {
		csf_buf_addf(o, "  %-6s %-16s ", csf_gate_state_name(p->gates[i].state),
			     p->gates[i].name);
		put(o, p->gates[i].detail);
		csf_buf_addch(o, '\n');
	}
}

static void
plan_json(struct csf_buf *o, const struct csf_release_plan *p, const char *result,
	  const char *commit, const char *error, bool patches)
{
	size_t i;

	csf_buf_addstr(o, "{\"kind\":");
	json_str(o, kind_name(p->kind));
	csf_buf_addstr(o, ",\"module\":");
	json_str(o, p->module);
	csf_buf_addstr(o, ",\"tenant\":");
	json_str(o, p->tenant);
	csf_buf_addstr(o, ",\"from\":");
	json_str(o, p->from);
	csf_buf_addstr(o, ",\"to\":");
	json_str(o, p->to);
	csf_buf_addstr(o, ",\"base\":");
	json_str(o, *p->base ? p->base : NULL);
	csf_buf_addstr(o, ",\"folder\":");
	json_str(o, p->dir);
	csf_buf_addstr(o, ",\"releaseId\":");
	json_str(o, p->meta.release_id);
	csf_buf_addstr(o, ",\"version\":");
	json_str(o, p->meta.version);
	csf_buf_addstr(o, ",\"replaces\":");
	json_str(o, p->has_old ? p->old_meta.release_id : NULL);
	csf_buf_addstr(o, ",\"rollbackOf\":");
	json_str(o, p->meta.rollback_of);
	csf_buf_addf(o, ",\"empty\":%s,\"blocked\":%s", p->empty ? "true" : "false",
		     p->blocked ? "true" : "false");
	csf_buf_addstr(o, ",\"diff\":");
	if (p->diff)
		csf_artdiff_render_json(o, p->diff, patches);
	else
		csf_buf_addstr(o, "null");
	csf_buf_addstr(o, ",\"summary\":[");
	for (i = 0; i < p->nsummary; i++) {
		if (i)
			csf_buf_addch(o, ',');
		json_str(o, p->summary[i]);
	}
	csf_buf_addstr(o, "],\"gates\":[");
	for (i = 0; i < p->ngates; i++) {
		csf_buf_addstr(o, i ? ",{\"name\":" : "{\"name\":");
		json_str(o, p->gates[i].name);
		csf_buf_addstr(o, ",\"result\":");
		json_str(o, csf_gate_state_name(p->gates[i].state));
		csf_buf_addstr(o, ",\"detail\":");
		json_str(o, p->gates[i].detail);
		csf_buf_addch(o, '}');
	}
	csf_buf_addstr(o, "],\"approval\":");
	if (p->approval.name) {
		csf_buf_addstr(o, "{\"name\":");
		json_str(o, p->approval.name);
		csf_buf_addstr(o, ",\"reason\":");
		json_str(o, p->approval.reason);
		csf_buf_addch(o, '}');
	} else {
		csf_buf_addstr(o, "null");
	}
	csf_buf_addstr(o, ",\"warnings\":[");
	for (i = 0; i < p->nwarnings; i++) {
		if (i)
			csf_buf_addch(o, ',');
		json_str(o, p->warnings[i]);
	}
	csf_buf_addstr(o, "],\"result\":");
	json_str(o, result);
	csf_buf_addstr(o, ",\"commit\":");
	json_str(o, commit && *commit ? commit : NULL);
	if (error) {
		csf_buf_addstr(o, ",\"error\":");
		json_str(o, error);
	}
	csf_buf_addstr(o, "}\n");
}

/* ---- setup ------------------------------------------------------------------------------------ */

struct rel_env {
	struct csf_workspace *ws;
	struct csf_gitops *repo;
	struct csf_cluster_source *cluster;
	struct csf_release_ctx ctx;
	bool ctx_ok;
};

static void
rel_env_free(struct rel_env *e)
{
	if (e->ctx_ok)
		csf_release_ctx_release(&e->ctx);
	csf_gitops_free(e->repo);
	csf_cluster_source_free(e->cluster);
	csf_workspace_free(e->ws);
}

static int
rel_setup(const struct cli_global *g, const struct rel_opts *o, unsigned flags, struct rel_env *e)
{
	struct csf_error err = CSF_ERROR_INIT;
	const char *dir = g->workspace;
	char *found = NULL;
	const char *gitops;

	memset(e, 0, sizeof(*e));
	if (!dir)
		dir = found = csf_find_workspace(".");
	if (dir && csf_workspace_open(dir, &e->ws, &err)) {
		free(found);
		return report_error(&err);
	}
	free(found);
	gitops = o->gitops ? o->gitops : e->ws ? e->ws->gitops : NULL;
	if (!gitops)
		return cli_usage_error("release: no GitOps repository: set `gitops:` in csf.yaml or "
				       "pass --gitops DIR");
	if (csf_gitops_open(gitops, flags, &e->repo, &err))
		return report_error(&err);
	if (csf_release_ctx_init(&e->ctx, e->repo, e->ws, 0, &err))
		return report_error(&err);
	e->ctx_ok = true;
	e->ctx.readonly = g->readonly;
	e->ctx.test_report = o->test_report;
	/* the health gate: a recording when asked, a live cluster when one is configured (an
	 * `offline:` snapshot alone is not the source stage's health) */
	if (!o->health) {
		/* status, history, new and rollback have no source stage to check */
	} else if (o->snapshot) {
		if (csf_cluster_snapshot_new(o->snapshot, &e->cluster, &err))
			return report_error(&err);
	} else if (e->ws && (e->ws->cluster.kubeconfig || e->ws->cluster.context || g->context)) {
		struct cli_cluster_opts co;
		char *gitops_unused = NULL;

		memset(&co, 0, sizeof(co));
		co.context = g->context;
		if (cli_cluster_open(g, &co, &e->cluster, &gitops_unused, &err))
			return report_error(&err);
		free(gitops_unused);
	}
	e->ctx.cluster = e->cluster;
	return CLI_OK;
}

static int
parse_opts(int argc, char **argv, struct rel_opts *o)
{
	int i;
	bool missing;
	const char *v;

	memset(o, 0, sizeof(*o));
	o->format = "text";
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--dry-run")) {
			o->dry_run = true;
			continue;
		}
		missing = false;
		if ((v = cli_opt_in(argc, argv, &i, "--format", &missing)))
			o->format = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--gitops", &missing)))
			o->gitops = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--approve", &missing)))
			o->approve = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--reason", &missing)))
			o->reason = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--test-report", &missing)))
			o->test_report = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--module", &missing)))
			o->module = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--tenant", &missing)))
			o->tenant = v;
		else if ((v = cli_opt_in(argc, argv, &i, "--snapshot", &missing)))
			o->snapshot = v;
		else if (missing)
			return cli_usage_error("release: option %s needs a value", a);
		else if (a[0] == '-' && a[1])
			return cli_usage_error("release: unknown option '%s'\n%s", a, release_usage);
		else if (o->npos < 4)
			o->pos[o->npos++] = argv[i];
		else
			return cli_usage_error("release: too many arguments\n%s", release_usage);
	}
	if (strcmp(o->format, "text") && strcmp(o->format, "json"))
		return cli_usage_error("release: --format must be text or json");
	return CLI_OK;
}

/* ---- status ----------------------------------------------------------------------------------- */

static int
cmd_status(struct rel_env *e, const struct rel_opts *o)
{
	struct csf_board b;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_buf out = CSF_BUF_INIT;
	size_t i, s, wm = 6, wt = 6, *wst;

	if (csf_release_board(&e->ctx, &b, &err))
		return report_error(&err);
	if (!strcmp(o->format, "json")) {
		csf_buf_addstr(&out, "{\"repository\":");
		json_str(&out, csf_gitops_path(e->repo));
		csf_buf_addstr(&out, ",\"branch\":");
		json_str(&out, csf_gitops_branch(e->repo));
		csf_buf_addstr(&out, ",\"head\":");
		json_str(&out, *b.head ? b.head : NULL);
		csf_buf_addstr(&out, ",\"stages\":[");
		for (s = 0; s < b.nstages; s++) {
			if (s)
				csf_buf_addch(&out, ',');
			json_str(&out, b.stages[s]);
		}
		csf_buf_addf(&out, "],\"waiting\":%zu,\"cells\":[", b.nwaiting);
		for (i = 0; i < b.nrows; i++) {
			const struct csf_board_row *r = &b.rows[i];

			csf_buf_addstr(&out, i ? ",\n{\"module\":" : "\n{\"module\":");
			json_str(&out, r->module);
			csf_buf_addstr(&out, ",\"tenant\":");
			json_str(&out, r->tenant);
			csf_buf_addstr(&out, ",\"stages\":{");
			for (s = 0; s < b.nstages; s++) {
				if (s)
					csf_buf_addch(&out, ',');
				json_str(&out, b.stages[s]);
				if (!r->slots[s].version) {
					csf_buf_addstr(&out, ":null");
					continue;
				}
				csf_buf_addstr(&out, ":{\"version\":");
				json_str(&out, r->slots[s].version);
				csf_buf_addstr(&out, ",\"releaseId\":");
				json_str(&out, r->slots[s].release_id);
				csf_buf_addstr(&out, ",\"createdAt\":");
				json_str(&out, r->slots[s].created_at);
				csf_buf_addch(&out, '}');
			}
			csf_buf_addstr(&out, "},\"waiting\":");
			if (r->waiting_from != SIZE_MAX) {
				csf_buf_addstr(&out, "{\"from\":");
				json_str(&out, b.stages[r->waiting_from]);
				csf_buf_addstr(&out, ",\"to\":");
				json_str(&out, b.stages[r->waiting_from + 1]);
				csf_buf_addstr(&out, ",\"version\":");
				json_str(&out, r->slots[r->waiting_from].version);
				csf_buf_addch(&out, '}');
			} else {
				csf_buf_addstr(&out, "null");
			}
			csf_buf_addstr(&out, ",\"workspaceVersion\":");
			json_str(&out, r->workspace_version);
			csf_buf_addch(&out, '}');
		}
		csf_buf_addstr(&out, "]}\n");
		goto print;
	}
	wst = calloc(b.nstages ? b.nstages : 1, sizeof(*wst));
	for (s = 0; s < b.nstages; s++)
		wst[s] = strlen(b.stages[s]) > 8 ? strlen(b.stages[s]) : 8;
	for (i = 0; i < b.nrows; i++) {
		if (strlen(b.rows[i].module) > wm)
			wm = strlen(b.rows[i].module);
		if (strlen(b.rows[i].tenant) > wt)
			wt = strlen(b.rows[i].tenant);
		for (s = 0; s < b.nstages; s++)
			if (b.rows[i].slots[s].version && strlen(b.rows[i].slots[s].version) > wst[s])
				wst[s] = strlen(b.rows[i].slots[s].version);
	}
	csf_buf_addstr(&out, "gitops: ");
	put(&out, csf_gitops_path(e->repo));
	csf_buf_addf(&out, " (branch %s at %.12s)\n\n", csf_gitops_branch(e->repo),
		     *b.head ? b.head : "nothing yet");
	csf_buf_addf(&out, "%-*s  %-*s", (int)wm, "MODULE", (int)wt, "TENANT");
	for (s = 0; s < b.nstages; s++) {
		char up[64];
		size_t k;

		for (k = 0; b.stages[s][k] && k < sizeof(up) - 1; k++)
			up[k] = (char)(b.stages[s][k] >= 'a' && b.stages[s][k] <= 'z'
				       ? b.stages[s][k] - 32 : b.stages[s][k]);
		up[k] = '\0';
		csf_buf_addf(&out, "  %-*s", (int)wst[s], up);
	}
	csf_buf_addstr(&out, "  WAITING\n");
	for (i = 0; i < b.nrows; i++) {
		const struct csf_board_row *r = &b.rows[i];
		bool any = false;

		csf_buf_addf(&out, "%-*s  %-*s", (int)wm, r->module, (int)wt, r->tenant);
		for (s = 0; s < b.nstages; s++)
			csf_buf_addf(&out, "  %-*s", (int)wst[s],
				     r->slots[s].version ? r->slots[s].version : "-");
		csf_buf_addstr(&out, "  ");
		if (r->workspace_version) {
			csf_buf_addf(&out, "workspace %s -> %s", r->workspace_version,
				     b.nstages ? b.stages[0] : "?");
			any = true;
		}
		if (r->waiting_from != SIZE_MAX)
			csf_buf_addf(&out, "%s%s %s -> %s", any ? ", " : "",
				     b.stages[r->waiting_from], r->slots[r->waiting_from].version,
				     b.stages[r->waiting_from + 1]);
		while (out.len && out.buf[out.len - 1] == ' ')
			csf_buf_setlen(&out, out.len - 1);
		csf_buf_addch(&out, '\n');
	}
	if (!b.nrows)
		csf_buf_addstr(&out, "(no releases yet: `release new MODULE TENANT` renders the "
				     "workspace into the first stage)\n");
	csf_buf_addf(&out, "\n%zu cell%s, %zu waiting\n", b.nrows, b.nrows == 1 ? "" : "s", b.nwaiting);
	free(wst);
print:
	fwrite(out.buf, 1, out.len, stdout);
	csf_buf_release(&out);
	csf_board_release(&b);
	return CLI_OK;
}

/* ---- history ---------------------------------------------------------------------------------- */

static int
cmd_history(struct rel_env *e, const struct rel_opts *o)
{
	struct csf_history h;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_buf out = CSF_BUF_INIT;
	size_t i, j;
	char ts[32];

	if (o->npos != 1)
		return cli_usage_error("release history ENV\n%s", release_usage);
	if (csf_release_history(&e->ctx, o->pos[0], o->module, o->tenant, &h, &err))
		return report_error(&err);
	if (!strcmp(o->format, "json")) {
		csf_buf_addstr(&out, "{\"environment\":");
		json_str(&out, csf_env_canonical(o->pos[0]));
		csf_buf_addstr(&out, ",\"releases\":[");
		for (i = 0; i < h.n; i++) {
			const struct csf_history_entry *x = &h.v[i];

			csf_buf_addstr(&out, i ? ",\n{\"commit\":" : "\n{\"commit\":");
			json_str(&out, x->commit);
			csf_buf_addstr(&out, ",\"author\":");
			json_str(&out, x->author);
			csf_buf_addstr(&out, ",\"email\":");
			json_str(&out, x->email);
			csf_buf_addstr(&out, ",\"when\":");
			json_str(&out, csf_format_utc(x->when, ts, sizeof(ts)));
			csf_buf_addstr(&out, ",\"releaseId\":");
			json_str(&out, x->release_id);
			csf_buf_addstr(&out, ",\"module\":");
			json_str(&out, x->module);
			csf_buf_addstr(&out, ",\"tenant\":");
			json_str(&out, x->tenant);
			csf_buf_addstr(&out, ",\"version\":");
			json_str(&out, x->version);
			csf_buf_addstr(&out, ",\"promotedFrom\":");
			json_str(&out, x->from);
			csf_buf_addstr(&out, ",\"approvedBy\":");
			json_str(&out, x->approved_by);
			csf_buf_addstr(&out, ",\"reason\":");
			json_str(&out, x->reason);
			csf_buf_addstr(&out, ",\"gates\":");
			json_str(&out, x->gates);
			csf_buf_addstr(&out, ",\"subject\":");
			json_str(&out, x->subject);
			csf_buf_addf(&out, ",\"insertions\":%zu,\"deletions\":%zu,\"files\":[", x->added,
				     x->removed);
			for (j = 0; j < x->nchanges; j++) {
				csf_buf_addstr(&out, j ? ",{\"path\":" : "{\"path\":");
				json_str(&out, x->changes[j].path);
				csf_buf_addf(&out, ",\"status\":\"%c\",\"added\":%zu,\"removed\":%zu}",
					     x->changes[j].status, x->changes[j].added,
					     x->changes[j].removed);
			}
			csf_buf_addstr(&out, "]}");
		}
		csf_buf_addstr(&out, "]}\n");
	} else {
		csf_buf_addf(&out, "history of %s (newest first)\n", csf_env_canonical(o->pos[0]));
		for (i = 0; i < h.n; i++) {
			const struct csf_history_entry *x = &h.v[i];

			csf_buf_addf(&out, "\n%.12s  %s  ", x->commit, csf_format_utc(x->when, ts, sizeof(ts)));
			put(&out, x->author);
			csf_buf_addstr(&out, " <");
			put(&out, x->email);
			csf_buf_addstr(&out, ">\n  ");
			if (x->release_id) {
				put(&out, x->module);
				csf_buf_addch(&out, '/');
				put(&out, x->tenant);
				csf_buf_addch(&out, ' ');
				put(&out, x->version);
				csf_buf_addstr(&out, "  release ");
				put(&out, x->release_id);
				csf_buf_addstr(&out, "  from ");
				put(&out, x->from);
			} else {
				put(&out, x->subject);
			}
			csf_buf_addch(&out, '\n');
			if (x->approved_by) {
				csf_buf_addstr(&out, "  approved by ");
				put(&out, x->approved_by);
				csf_buf_addstr(&out, ": ");
				put(&out, x->reason);
				csf_buf_addch(&out, '\n');
			}
			if (x->gates) {
				csf_buf_addstr(&out, "  gates: ");
				put(&out, x->gates);
				csf_buf_addch(&out, '\n');
			}
			csf_buf_addf(&out, "  %zu file%s changed, +%zu -%zu\n", x->nchanges,
				     x->nchanges == 1 ? "" : "s", x->added, x->removed);
			for (j = 0; j < x->nchanges; j++) {
				csf_buf_addf(&out, "    %c ", x->changes[j].status);
				put(&out, x->changes[j].path);
				csf_buf_addf(&out, "  +%zu -%zu\n", x->changes[j].added,
					     x->changes[j].removed);
			}
		}
		if (!h.n)
			csf_buf_addstr(&out, "(no releases)\n");
	}
	fwrite(out.buf, 1, out.len, stdout);
	csf_buf_release(&out);
	csf_history_release(&h);
	return CLI_OK;
}

/* ---- diff, new, promote, rollback ------------------------------------------------------------- */

static int
run_plan(struct rel_env *e, const struct rel_opts *o, const char *sub)
{
	struct csf_release_plan p;
	struct csf_approval ap = { NULL, NULL };
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_buf out = CSF_BUF_INIT;
	enum csf_status st;
	char commit[CSF_OID_HEX] = "";
	const char *result;
	char msg[600];
	bool is_diff = !strcmp(sub, "diff"), json = !strcmp(o->format, "json");
	int rc;

	ap.name = (char *)(uintptr_t)o->approve;
	ap.reason = (char *)(uintptr_t)o->reason;
	if (!strcmp(sub, "new")) {
		if (o->npos != 2)
			return cli_usage_error("release new MODULE TENANT\n%s", release_usage);
		st = csf_release_plan_new(&e->ctx, o->pos[0], o->pos[1], &ap, &p, &err);
	} else if (!strcmp(sub, "rollback")) {
		if (o->npos != 3 && o->npos != 4)
			return cli_usage_error("release rollback MODULE TENANT ENV [RELEASE]\n%s",
					       release_usage);
		st = csf_release_plan_rollback(&e->ctx, o->pos[0], o->pos[1], o->pos[2],
					       o->npos == 4 ? o->pos[3] : NULL, &ap, &p, &err);
	} else {
		if (o->npos != 4)
			return cli_usage_error("release %s MODULE TENANT FROM TO\n%s", sub, release_usage);
		st = csf_release_plan_promote(&e->ctx, o->pos[0], o->pos[1], o->pos[2], o->pos[3], &ap,
					      &p, &err);
	}
	if (st)
		return report_error(&err);
	if (is_diff) {
		rc = p.empty ? CLI_OK : CLI_FOUND;
		if (json)
			plan_json(&out, &p, p.empty ? "same" : "different", NULL, NULL, true);
		else
			plan_text(&out, &p, true, csf_gitops_branch(e->repo));
		goto done;
	}
	if (p.blocked) {
		rc = CLI_GATE;
		result = "blocked";
		snprintf(msg, sizeof(msg), "blocked by %s: nothing written", first_block(&p));
	} else if (p.empty) {
		rc = CLI_OK;
		result = "up-to-date";
		snprintf(msg, sizeof(msg), "%s already holds this release: nothing to commit", p.to);
	} else if (o->dry_run) {
		rc = CLI_OK;
		result = "dry-run";
		snprintf(msg, sizeof(msg), "dry run: gates pass, nothing written");
	} else {
		st = csf_release_apply(&e->ctx, &p, commit, &err);
		rc = exit_for(st);
		result = st == CSF_E_OK ? "committed" : st == CSF_E_CONFLICT ? "conflict"
			: st == CSF_E_READONLY ? "readonly" : "error";
		if (st)
			csf_error_format(&err, msg, sizeof(msg));
		else
			snprintf(msg, sizeof(msg), "committed %.12s to %s (release %s)", commit,
				 csf_gitops_branch(e->repo), p.meta.release_id);
	}
	if (json) {
		plan_json(&out, &p, result, commit, rc == CLI_OK || rc == CLI_GATE ? NULL : msg, false);
	} else {
		plan_text(&out, &p, false, csf_gitops_branch(e->repo));
		csf_buf_addstr(&out, "\nresult: ");
		put(&out, msg);
		csf_buf_addch(&out, '\n');
	}
	if (rc == CLI_CONFLICT || rc == CLI_ERROR)
		fprintf(stderr, "csf-tui: release: %s\n", msg);
done:
	fwrite(out.buf, 1, out.len, stdout);
	csf_buf_release(&out);
	csf_release_plan_release(&p);
	return rc;
}

int
cli_release(const struct cli_global *g, int argc, char **argv)
{
	struct rel_opts o;
	struct rel_env e;
	const char *sub;
	unsigned flags = 0;
	bool writes;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(release_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_ERROR : CLI_OK;
	}
	sub = argv[1];
	if (strcmp(sub, "status") && strcmp(sub, "new") && strcmp(sub, "history") &&
	    strcmp(sub, "diff") && strcmp(sub, "promote") && strcmp(sub, "rollback"))
		return cli_usage_error("release: unknown subcommand '%s'\n%s", sub, release_usage);
	if ((rc = parse_opts(argc, argv, &o)))
		return rc;
	if ((o.approve && !*o.approve) || (o.reason && !o.approve))
		return cli_usage_error("release: --approve needs a name (and --reason a --approve)");
	writes = (!strcmp(sub, "new") || !strcmp(sub, "promote") || !strcmp(sub, "rollback")) &&
		 !o.dry_run;
	o.health = !strcmp(sub, "promote") || !strcmp(sub, "diff");
	if (writes && g->readonly)
		return cli_usage_error("release %s: --readonly refuses every write (use --dry-run to "
				       "see what it would do)", sub);
	if (writes)
		flags |= CSF_GITOPS_WRITE;
	if (writes && !strcmp(sub, "new"))
		flags |= CSF_GITOPS_CREATE;
	if ((rc = rel_setup(g, &o, flags, &e))) {
		rel_env_free(&e);
		return rc;
	}
	if (!strcmp(sub, "status"))
		rc = cmd_status(&e, &o);
	else if (!strcmp(sub, "history"))
		rc = cmd_history(&e, &o);
	else
		rc = run_plan(&e, &o, sub);
	rel_env_free(&e);
	return rc;
}
