/* csf-tui --headless tenants: every tenant namespace with edition, modules, ready/desired
 * replicas, deployed version, last scale event, health and drift from the desired state
 * (DESIGN §5, §9). Strings from the cluster are sanitized before they reach the terminal; JSON
 * output escapes every control character. */
#include "tui/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/cluster.h"
#include "core/sanitize.h"
#include "core/workspace.h"
#include "tui/cli_cluster.h"

#define TENANTS_USAGE \
	"tenants [--context C] [--tenant T] [--format text|json] [--env E] [--snapshot DIR]\n" \
	"                [--timeout DUR]"

static void
add_event_json(cJSON *o, const char *key, const struct csf_scale_event *e, const char *module)
{
	cJSON *x = cJSON_AddObjectToObject(o, key);
	char t[32];

	cli_time(t, sizeof(t), e->last);
	cJSON_AddStringToObject(x, "time", t);
	if (module)
		cJSON_AddStringToObject(x, "module", module);
	cJSON_AddStringToObject(x, "type", e->type);
	cJSON_AddStringToObject(x, "reason", e->reason);
	cJSON_AddStringToObject(x, "message", e->message);
	cJSON_AddNumberToObject(x, "count", e->count);
	if (e->new_size >= 0)
		cJSON_AddNumberToObject(x, "newSize", e->new_size);
}

static void
add_opt_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static char *
tenants_json(const struct csf_tenants *t, const char *source, const char *desired)
{
	cJSON *root = cJSON_CreateObject(), *arr, *w;
	char ts[32], *out;
	size_t i, k, d;

	cJSON_AddStringToObject(root, "source", source);
	cli_time(ts, sizeof(ts), t->as_of);
	cJSON_AddStringToObject(root, "asOf", ts);
	cJSON_AddBoolToObject(root, "driftChecked", t->drift_checked);
	add_opt_str(root, "desiredState", desired[0] ? desired : NULL);
	arr = cJSON_AddArrayToObject(root, "tenants");
	for (i = 0; i < t->ntenants; i++) {
		const struct csf_tenant_summary *ts2 = &t->tenants[i];
		cJSON *o = cJSON_CreateObject(), *mods;

		cJSON_AddItemToArray(arr, o);
		cJSON_AddStringToObject(o, "tenant", ts2->tenant);
		cJSON_AddStringToObject(o, "namespace", ts2->namespace);
		add_opt_str(o, "edition", ts2->edition);
		add_opt_str(o, "provider", ts2->provider);
		cJSON_AddStringToObject(o, "phase", ts2->phase);
		cJSON_AddStringToObject(o, "health", csf_health_name(ts2->health));
		cJSON_AddNumberToObject(o, "ready", ts2->ready);
		cJSON_AddNumberToObject(o, "desired", ts2->desired);
		cJSON_AddNumberToObject(o, "drift", (double)ts2->ndrift);
		if (ts2->has_last_event)
			add_event_json(o, "lastScaleEvent", &ts2->last_event, ts2->last_event_module);
		else
			cJSON_AddNullToObject(o, "lastScaleEvent");
		add_opt_str(o, "error", ts2->error);
		mods = cJSON_AddArrayToObject(o, "modules");
		for (k = 0; k < ts2->nmodules; k++) {
			const struct csf_module_summary *m = &ts2->modules[k];
			cJSON *mo = cJSON_CreateObject(), *dr;

			cJSON_AddItemToArray(mods, mo);
			cJSON_AddStringToObject(mo, "name", m->name);
			add_opt_str(mo, "module", m->module);
			add_opt_str(mo, "version", m->version);
			add_opt_str(mo, "image", m->image);
			cJSON_AddNumberToObject(mo, "desired", m->desired);
			cJSON_AddNumberToObject(mo, "replicas", m->replicas);
			cJSON_AddNumberToObject(mo, "ready", m->ready);
			cJSON_AddNumberToObject(mo, "available", m->available);
			if (m->autoscaler) {
				cJSON *as = cJSON_AddObjectToObject(mo, "autoscaler");

				cJSON_AddStringToObject(as, "kind", m->autoscaler);
				cJSON_AddStringToObject(as, "name", m->autoscaler_name);
				cJSON_AddNumberToObject(as, "minReplicas", m->min_replicas);
				cJSON_AddNumberToObject(as, "maxReplicas", m->max_replicas);
				cJSON_AddNumberToObject(as, "currentReplicas", m->as_current);
				cJSON_AddNumberToObject(as, "desiredReplicas", m->as_desired);
				add_opt_str(as, "metric", m->metric_name);
				if (m->has_metric_current)
					cJSON_AddNumberToObject(as, "metricCurrent", m->metric_current);
				else
					cJSON_AddNullToObject(as, "metricCurrent");
				cJSON_AddNumberToObject(as, "metricTarget", m->metric_target);
			} else {
				cJSON_AddNullToObject(mo, "autoscaler");
			}
			cJSON_AddStringToObject(mo, "health", csf_health_name(m->health));
			add_opt_str(mo, "healthReason", m->health_reason);
			if (m->has_last_event)
				add_event_json(mo, "lastScaleEvent", &m->last_event, NULL);
			else
				cJSON_AddNullToObject(mo, "lastScaleEvent");
			dr = cJSON_AddArrayToObject(mo, "drift");
			for (d = 0; d < m->ndrift; d++) {
				cJSON *x = cJSON_CreateObject();

				cJSON_AddItemToArray(dr, x);
				cJSON_AddStringToObject(x, "kind", m->drift[d].kind);
				cJSON_AddStringToObject(x, "name", m->drift[d].name);
				cJSON_AddStringToObject(x, "field", m->drift[d].field);
				cJSON_AddStringToObject(x, "desired", m->drift[d].desired);
				cJSON_AddStringToObject(x, "live", m->drift[d].live);
				add_opt_str(x, "source", m->drift[d].source);
			}
		}
	}
	w = cJSON_AddArrayToObject(root, "warnings");
	for (i = 0; i < t->nwarnings; i++)
		cJSON_AddItemToArray(w, cJSON_CreateString(t->warnings[i]));
	out = cJSON_Print(root);
	cJSON_Delete(root);
	return out;
}

static void
pad(struct csf_buf *o, size_t from, size_t width)
{
	size_t n = o->len - from;

	csf_buf_addchars(o, ' ', n < width ? width - n : 1);
}

/* A cell: sanitized s padded to width (at least one space after it). */
static void
cell(struct csf_buf *o, const char *s, size_t width)
{
	size_t at = o->len;

	cli_put(o, s && *s ? s : "-");
	pad(o, at, width);
}

static void
tenants_text(struct csf_buf *o, const struct csf_tenants *t, const char *source, const char *desired)
{
	char ts[32], tmp[64];
	size_t i, k, d;

	cli_time(ts, sizeof(ts), t->as_of);
	csf_buf_addstr(o, "source: ");
	cli_put(o, source);
	csf_buf_addf(o, "  as of %s\n", ts);
	csf_buf_addstr(o, "desired state: ");
	cli_put(o, desired[0] ? desired : "none found (drift not checked)");
	csf_buf_addstr(o, "\n\n");
	csf_buf_addstr(o, "TENANT            EDITION     PROVIDER  MODULES  READY    HEALTH    DRIFT  "
			  "LAST SCALE EVENT\n");
	for (i = 0; i < t->ntenants; i++) {
		const struct csf_tenant_summary *x = &t->tenants[i];

		cell(o, x->tenant, 18);
		cell(o, x->edition, 12);
		cell(o, x->provider, 10);
		snprintf(tmp, sizeof(tmp), "%zu", x->nmodules);
		cell(o, tmp, 9);
		snprintf(tmp, sizeof(tmp), "%d/%d", x->ready, x->desired);
		cell(o, tmp, 9);
		cell(o, csf_health_name(x->health), 10);
		snprintf(tmp, sizeof(tmp), "%zu", x->ndrift);
		cell(o, t->drift_checked ? tmp : "-", 7);
		if (x->has_last_event) {
			cli_time(ts, sizeof(ts), x->last_event.last);
			csf_buf_addf(o, "%.16s ", ts + 5);
			cli_put(o, x->last_event_module);
			csf_buf_addch(o, ' ');
			cli_put(o, x->last_event.reason);
			if (x->last_event.new_size >= 0)
				csf_buf_addf(o, " -> %d", x->last_event.new_size);
		} else {
			csf_buf_addch(o, '-');
		}
		csf_buf_addch(o, '\n');
	}
	for (i = 0; i < t->ntenants; i++) {
		const struct csf_tenant_summary *x = &t->tenants[i];

		csf_buf_addstr(o, "\n");
		cli_put(o, x->tenant);
		if (strcmp(x->tenant, x->namespace)) {
			csf_buf_addstr(o, " (namespace ");
			cli_put(o, x->namespace);
			csf_buf_addch(o, ')');
		}
		csf_buf_addstr(o, "\n");
		if (x->error) {
			csf_buf_addstr(o, "  error: ");
			cli_put(o, x->error);
			csf_buf_addch(o, '\n');
		}
		if (!x->nmodules) {
			csf_buf_addstr(o, "  (no deployments)\n");
			continue;
		}
		csf_buf_addstr(o, "  MODULE                  VERSION   READY  AUTOSCALER          "
				  "METRIC (NOW/TARGET)          HEALTH\n");
		for (k = 0; k < x->nmodules; k++) {
			const struct csf_module_summary *m = &x->modules[k];
			size_t at;

			csf_buf_addstr(o, "  ");
			cell(o, m->module ? m->module : m->name, 24);
			cell(o, m->version, 10);
			snprintf(tmp, sizeof(tmp), "%d/%d", m->ready, m->desired);
			cell(o, tmp, 7);
			if (m->autoscaler) {
				snprintf(tmp, sizeof(tmp), "%s %d..%d", m->autoscaler, m->min_replicas,
					 m->max_replicas);
				cell(o, tmp, 20);
			} else {
				cell(o, "-", 20);
			}
			at = o->len;
			if (m->metric_name) {
				cli_put(o, m->metric_name);
				if (m->has_metric_current)
					csf_buf_addf(o, " %g/%g", m->metric_current, m->metric_target);
				else
					csf_buf_addf(o, " ?/%g", m->metric_target);
			} else {
				csf_buf_addch(o, '-');
			}
			pad(o, at, 29);
			cli_put(o, csf_health_name(m->health));
			if (m->health_reason) {
				csf_buf_addstr(o, " (");
				cli_put(o, m->health_reason);
				csf_buf_addch(o, ')');
			}
			csf_buf_addch(o, '\n');
			if (m->has_last_event) {
				cli_time(ts, sizeof(ts), m->last_event.last);
				csf_buf_addf(o, "      last scale: %s ", ts);
				cli_put(o, m->last_event.reason);
				csf_buf_addstr(o, ": ");
				cli_put(o, m->last_event.message);
				csf_buf_addch(o, '\n');
			}
			for (d = 0; d < m->ndrift; d++) {
				const struct csf_drift *dr = &m->drift[d];

				csf_buf_addstr(o, "      drift: ");
				cli_put(o, dr->kind);
				csf_buf_addch(o, '/');
				cli_put(o, dr->name);
				csf_buf_addch(o, ' ');
				cli_put(o, dr->field);
				csf_buf_addstr(o, ": desired ");
				cli_put(o, dr->desired);
				csf_buf_addstr(o, ", live ");
				cli_put(o, dr->live);
				if (dr->source) {
					const char *base = strstr(dr->source, "environments/");

					csf_buf_addstr(o, "  [");
					cli_put(o, base ? base : dr->source);
					csf_buf_addch(o, ']');
				}
				csf_buf_addch(o, '\n');
			}
		}
	}
	for (i = 0; i < t->nwarnings; i++) {
		csf_buf_addstr(o, i ? "" : "\n");
		csf_buf_addstr(o, "note: ");
		cli_put(o, t->warnings[i]);
		csf_buf_addch(o, '\n');
	}
}

int
cli_tenants(const struct cli_global *g, int argc, char **argv)
{
	struct cli_cluster_opts co = { NULL, NULL, NULL, 0 };
	const char *format = "text", *tenant = NULL, *env = "production", *v;
	struct csf_cluster_source *src = NULL;
	struct csf_tenants *t = NULL;
	struct csf_tenants_query q = { NULL, 0 };
	struct csf_error err = CSF_ERROR_INIT;
	char *gitops = NULL, desired[600];
	int i, rc = CLI_OK;
	bool missing;

	for (i = 1; i < argc; i++) {
		missing = false;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: csf-tui --headless %s\n\n"
			       "Lists the tenants of the cluster (--context, csf.yaml cluster, else the\n"
			       "recorded snapshot) with edition, modules, ready replicas, health, the last\n"
			       "scale event and drift from the GitOps desired state of --env (production).\n"
			       "exit status: 0 ok, 2 usage, I/O or cluster error\n", TENANTS_USAGE);
			return CLI_OK;
		} else if ((v = cli_opt_in(argc, argv, &i, "--format", &missing))) {
			format = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--tenant", &missing))) {
			tenant = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--env", &missing))) {
			env = v;
		} else if (cli_cluster_opt(argc, argv, &i, &co, &missing, &rc)) {
			if (rc)
				return rc;
		} else if (missing) {
			return cli_usage_error("option %s needs a value", argv[i]);
		} else {
			return cli_usage_error("tenants: unexpected '%s'\nusage: %s", argv[i],
					       TENANTS_USAGE);
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage_error("tenants: --format must be text or json");
	if (cli_cluster_check_env(g, "tenants", env))
		return CLI_ERROR;
	if (cli_cluster_open(g, &co, &src, &gitops, &err))
		return cli_cluster_report(&err);
	q.tenant = tenant;
	if (csf_cluster_load_tenants(src, &q, &t, &err)) {
		rc = cli_cluster_report(&err);
		goto out;
	}
	{
		struct csf_desired_set want = CSF_DESIRED_SET_INIT;

		if (cli_cluster_desired(g, src, gitops, csf_env_canonical(env), &want, desired,
					sizeof(desired), &err))
			rc = cli_cluster_report(&err);
		else if (desired[0])
			csf_cluster_drift(t, want.fields, want.n);
		csf_desired_release(&want);
		if (rc)
			goto out;
	}
	if (!strcmp(format, "json")) {
		char *js = tenants_json(t, src->name, desired);

		fputs(js, stdout);
		fputc('\n', stdout);
		cJSON_free(js);
	} else {
		struct csf_buf o = CSF_BUF_INIT;

		tenants_text(&o, t, src->name, desired);
		fwrite(o.buf, 1, o.len, stdout);
		csf_buf_release(&o);
	}
	if (t->partial) {
		size_t k;

		for (k = 0; k < t->ntenants; k++)
			if (t->tenants[k].error) {
				struct csf_buf m = CSF_BUF_INIT;

				cli_put(&m, t->tenants[k].error);
				fprintf(stderr, "csf-tui: tenant %s: %s\n", t->tenants[k].namespace, m.buf);
				csf_buf_release(&m);
			}
		rc = CLI_ERROR;
	}
out:
	csf_tenants_free(t);
	csf_cluster_source_free(src);
	free(gitops);
	return rc;
}
