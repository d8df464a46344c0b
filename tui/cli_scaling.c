/* csf-tui --headless scaling: the autoscaling history of one module of one tenant — replicas
 * against desired and the min/max bounds, the trigger metric, and every rescale and failed
 * rescale with its reason (DESIGN §5, §9). Text draws ASCII charts; JSON and CSV carry the
 * series. Strings from the cluster are sanitized before they reach the terminal. */
#include "tui/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/cluster.h"
#include "core/workspace.h"
#include "tui/cli_cluster.h"

#define SCALING_USAGE \
	"scaling --tenant T --module M [--since 6h] [--format text|json|csv] [--width N]\n" \
	"                [--env E] [--context C] [--snapshot DIR] [--prometheus URL] [--timeout DUR]"

#define REPLICA_ROWS 12
#define METRIC_ROWS 6

/* Max of the finite values of s in [a, b); NaN when none. */
static double
bucket_max(const struct csf_series *s, size_t a, size_t b)
{
	double m = NAN;
	size_t i;

	for (i = a; i < b && i < s->n; i++)
		if (isfinite(s->v[i]) && (isnan(m) || s->v[i] > m))
			m = s->v[i];
	return m;
}

static double
series_max(const struct csf_series *s)
{
	return bucket_max(s, 0, s->n);
}

static void
axis(struct csf_buf *o, const struct csf_scaling *s, size_t width)
{
	char t[32];
	size_t col, pos[4] = { 0, width / 3, 2 * width / 3, width - 5 };
	int k;
	struct csf_buf line = CSF_BUF_INIT;

	csf_buf_addstr(o, "       +");
	csf_buf_addchars(o, '-', width);
	csf_buf_addch(o, '\n');
	csf_buf_addchars(&line, ' ', width + 8);
	for (k = 0; k < 4; k++) {
		long long tt = s->start + (long long)((double)(s->end - s->start) * (double)pos[k] /
						      (double)(width - 1));

		cli_time(t, sizeof(t), tt);
		col = 8 + pos[k];
		if (col + 5 <= line.len)
			memcpy(line.buf + col, t + 11, 5);
	}
	while (line.len && line.buf[line.len - 1] == ' ')
		line.buf[--line.len] = '\0';
	csf_buf_add(o, line.buf, line.len);
	csf_buf_addch(o, '\n');
	csf_buf_release(&line);
}

static void
replica_chart(struct csf_buf *o, const struct csf_scaling *s, size_t width)
{
	double top = 1, v;
	size_t rows, r, c, n = s->replicas.n;
	double *rep = calloc(width, sizeof(double)), *des = calloc(width, sizeof(double));
	double *mx = calloc(width, sizeof(double)), *mn = calloc(width, sizeof(double));

	if (isnan(series_max(&s->replicas)) && isnan(series_max(&s->desired))) {
		csf_buf_addstr(o, "  (no replica history in this range)\n");
		free(rep);
		free(des);
		free(mx);
		free(mn);
		return;
	}
	if ((v = series_max(&s->replicas)) > top)
		top = v;
	if ((v = series_max(&s->desired)) > top)
		top = v;
	if ((v = series_max(&s->max)) > top)
		top = v;
	if (s->has_spec && s->spec_max > top)
		top = s->spec_max;
	rows = top <= REPLICA_ROWS ? (size_t)top : REPLICA_ROWS;
	for (c = 0; c < width; c++) {
		size_t a = c * n / width, b = (c + 1) * n / width;

		if (b <= a)
			b = a + 1;
		rep[c] = bucket_max(&s->replicas, a, b);
		des[c] = bucket_max(&s->desired, a, b);
		mx[c] = bucket_max(&s->max, a, b);
		mn[c] = bucket_max(&s->min, a, b);
	}
	for (r = rows; r >= 1; r--) {
		double hi = top * (double)r / (double)rows;
		double lo = top * (double)(r - 1) / (double)rows;
		bool max_row = false, min_row = false;

		csf_buf_addf(o, "%6.0f |", hi);
		for (c = 0; c < width; c++) {
			char ch = ' ';

			if (isfinite(rep[c]) && rep[c] >= hi - 1e-9)
				ch = '#';
			else if (isfinite(des[c]) && des[c] >= hi - 1e-9)
				ch = '+';
			else if (isfinite(mx[c]) && mx[c] > lo + 1e-9 && mx[c] <= hi + 1e-9)
				ch = '=';
			else if (isfinite(mn[c]) && mn[c] > lo + 1e-9 && mn[c] <= hi + 1e-9)
				ch = '-';
			if (isfinite(mx[c]) && mx[c] > lo + 1e-9 && mx[c] <= hi + 1e-9)
				max_row = true;
			if (isfinite(mn[c]) && mn[c] > lo + 1e-9 && mn[c] <= hi + 1e-9)
				min_row = true;
			csf_buf_addch(o, ch);
		}
		if (max_row || min_row)
			csf_buf_addf(o, " %s%s%s", max_row ? "max" : "", max_row && min_row ? "/" : "",
				     min_row ? "min" : "");
		while (o->len && o->buf[o->len - 1] == ' ')
			o->buf[--o->len] = '\0';
		csf_buf_addch(o, '\n');
	}
	axis(o, s, width);
	/* Events on the time axis: ^ rescale, ! warning, * other. */
	if (s->nevents) {
		char *marks = malloc(width + 1);
		size_t e;

		memset(marks, ' ', width);
		marks[width] = '\0';
		for (e = 0; e < s->nevents; e++) {
			const struct csf_scale_event *ev = &s->events[e];
			double f = (double)(ev->last - s->start) / (double)(s->end - s->start);
			size_t col;
			char m = !strcmp(ev->type, "Warning") ? '!' :
				 !strcmp(ev->reason, "SuccessfulRescale") ? '^' : '*';

			if (f < 0)
				f = 0;
			col = (size_t)(f * (double)(width - 1) + 0.5);
			if (col >= width)
				col = width - 1;
			if (marks[col] != '!')
				marks[col] = m;
		}
		csf_buf_addstr(o, " events ");
		csf_buf_addstr(o, marks);
		while (o->len && o->buf[o->len - 1] == ' ')
			o->buf[--o->len] = '\0';
		csf_buf_addch(o, '\n');
		free(marks);
	}
	free(rep);
	free(des);
	free(mx);
	free(mn);
}

static void
metric_chart(struct csf_buf *o, const struct csf_scaling *s, size_t width)
{
	double top = series_max(&s->metric), *val;
	size_t r, c, n = s->metric.n;

	if (isnan(top)) {
		csf_buf_addstr(o, "  (no metric samples in this range)\n");
		return;
	}
	if (s->has_target && s->metric_target > top)
		top = s->metric_target;
	if (!(top > 0))
		top = 1;
	val = calloc(width, sizeof(double));
	for (c = 0; c < width; c++) {
		size_t a = c * n / width, b = (c + 1) * n / width;

		val[c] = bucket_max(&s->metric, a, b <= a ? a + 1 : b);
	}
	for (r = METRIC_ROWS; r >= 1; r--) {
		double hi = top * (double)r / METRIC_ROWS, lo = top * (double)(r - 1) / METRIC_ROWS;
		bool target_row = s->has_target && s->metric_target > lo && s->metric_target <= hi + 1e-9;

		csf_buf_addf(o, "%6.4g |", hi);
		for (c = 0; c < width; c++) {
			char ch = ' ';

			if (isfinite(val[c]) && val[c] >= hi - 1e-9 * top)
				ch = '#';
			else if (isfinite(val[c]) && val[c] > lo + 1e-9 * top)
				ch = '.';
			else if (target_row)
				ch = '-';
			csf_buf_addch(o, ch);
		}
		if (target_row)
			csf_buf_addstr(o, " target");
		while (o->len && o->buf[o->len - 1] == ' ')
			o->buf[--o->len] = '\0';
		csf_buf_addch(o, '\n');
	}
	axis(o, s, width);
	free(val);
}

static void
events_text(struct csf_buf *o, const struct csf_scaling *s)
{
	size_t i;
	char t[32];

	csf_buf_addf(o, "\nevents (%zu):\n", s->nevents);
	if (!s->nevents)
		csf_buf_addstr(o, "  (none in this range; the API keeps events for about an hour)\n");
	for (i = 0; i < s->nevents; i++) {
		const struct csf_scale_event *e = &s->events[i];
		size_t at;

		cli_time(t, sizeof(t), e->last);
		csf_buf_addf(o, "  %s  ", t);
		at = o->len;
		cli_put(o, e->type);
		csf_buf_addchars(o, ' ', o->len - at < 9 ? 9 - (o->len - at) : 1);
		at = o->len;
		cli_put(o, e->reason);
		csf_buf_addchars(o, ' ', o->len - at < 30 ? 30 - (o->len - at) : 1);
		if (e->count > 1)
			csf_buf_addf(o, "x%d ", e->count);
		cli_put(o, e->message);
		csf_buf_addch(o, '\n');
	}
}

static void
scaling_text(struct csf_buf *o, const struct csf_scaling *s, const char *source, size_t width,
	     const struct cli_declared *dl)
{
	char a[32], b[32];
	size_t i;

	cli_time(a, sizeof(a), s->start);
	cli_time(b, sizeof(b), s->end);
	csf_buf_addstr(o, "scaling: ");
	cli_put(o, s->tenant);
	csf_buf_addstr(o, " / ");
	cli_put(o, s->module);
	csf_buf_addstr(o, "  (deployment ");
	cli_put(o, s->deployment);
	if (s->autoscaler) {
		csf_buf_addf(o, ", %s ", s->autoscaler);
		cli_put(o, s->scaledobject ? s->scaledobject : s->hpa_name);
	}
	csf_buf_addstr(o, ")\nsource: ");
	cli_put(o, source);
	csf_buf_addf(o, "\nrange:  %s .. %s, step %llds\n", a, b, (long long)s->step);
	if (s->has_spec) {
		csf_buf_addf(o, "now:    replicas %d, desired %d", s->spec_current, s->spec_desired);
		if (s->autoscaler)
			csf_buf_addf(o, ", min %d, max %d", s->spec_min, s->spec_max);
		csf_buf_addch(o, '\n');
	}
	if (dl->found) {
		csf_buf_addf(o, "declared: min %d, max %d (%s) from ", dl->min, dl->max, dl->kind);
		cli_put(o, dl->source);
		if (s->has_spec && s->autoscaler && (dl->min != s->spec_min || dl->max != s->spec_max))
			csf_buf_addstr(o, "  <- differs from the cluster");
		csf_buf_addch(o, '\n');
	}
	csf_buf_addstr(o, "\nreplicas  (# current, + desired above current, = max, - min)\n");
	replica_chart(o, s, width);
	csf_buf_addstr(o, "\nmetric ");
	cli_put(o, s->metric_name ? s->metric_name : "(none)");
	if (s->has_target)
		csf_buf_addf(o, "  (target %g)", s->metric_target);
	csf_buf_addch(o, '\n');
	metric_chart(o, s, width);
	events_text(o, s);
	for (i = 0; i < s->nwarnings; i++) {
		csf_buf_addstr(o, i ? "" : "\n");
		csf_buf_addstr(o, "note: ");
		cli_put(o, s->warnings[i]);
		csf_buf_addch(o, '\n');
	}
}

static void
csv_num(struct csf_buf *o, double v)
{
	csf_buf_addch(o, ',');
	if (isfinite(v))
		csf_buf_addf(o, "%g", v);
}

static void
scaling_csv(struct csf_buf *o, const struct csf_scaling *s)
{
	size_t i;
	char t[32];

	csf_buf_addstr(o, "time,replicas,desired,min_replicas,max_replicas,metric\n");
	for (i = 0; i < s->replicas.n; i++) {
		cli_time(t, sizeof(t), s->replicas.t[i]);
		csf_buf_addstr(o, t);
		csv_num(o, s->replicas.v[i]);
		csv_num(o, i < s->desired.n ? s->desired.v[i] : NAN);
		csv_num(o, i < s->min.n ? s->min.v[i] : NAN);
		csv_num(o, i < s->max.n ? s->max.v[i] : NAN);
		csv_num(o, i < s->metric.n ? s->metric.v[i] : NAN);
		csf_buf_addch(o, '\n');
	}
}

static cJSON *
json_series(const struct csf_series *s)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < s->n; i++)
		cJSON_AddItemToArray(a, isfinite(s->v[i]) ? cJSON_CreateNumber(s->v[i]) : cJSON_CreateNull());
	return a;
}

static char *
scaling_json(const struct csf_scaling *s, const char *source, const struct cli_declared *dl)
{
	cJSON *root = cJSON_CreateObject(), *x, *ser, *ev, *times;
	char t[32], *out;
	size_t i;

	cJSON_AddStringToObject(root, "source", source);
	cJSON_AddStringToObject(root, "tenant", s->tenant);
	cJSON_AddStringToObject(root, "module", s->module);
	cJSON_AddStringToObject(root, "deployment", s->deployment);
	if (s->autoscaler)
		cJSON_AddStringToObject(root, "autoscaler", s->autoscaler);
	else
		cJSON_AddNullToObject(root, "autoscaler");
	if (s->hpa_name)
		cJSON_AddStringToObject(root, "hpa", s->hpa_name);
	if (s->scaledobject)
		cJSON_AddStringToObject(root, "scaledObject", s->scaledobject);
	cli_time(t, sizeof(t), s->start);
	cJSON_AddStringToObject(root, "start", t);
	cli_time(t, sizeof(t), s->end);
	cJSON_AddStringToObject(root, "end", t);
	cJSON_AddNumberToObject(root, "stepSeconds", (double)s->step);
	if (s->has_spec) {
		x = cJSON_AddObjectToObject(root, "now");
		cJSON_AddNumberToObject(x, "replicas", s->spec_current);
		cJSON_AddNumberToObject(x, "desired", s->spec_desired);
		if (s->autoscaler) {
			cJSON_AddNumberToObject(x, "minReplicas", s->spec_min);
			cJSON_AddNumberToObject(x, "maxReplicas", s->spec_max);
		}
	} else {
		cJSON_AddNullToObject(root, "now");
	}
	if (dl->found) {
		x = cJSON_AddObjectToObject(root, "declared");
		cJSON_AddStringToObject(x, "kind", dl->kind);
		cJSON_AddNumberToObject(x, "minReplicas", dl->min);
		cJSON_AddNumberToObject(x, "maxReplicas", dl->max);
		cJSON_AddStringToObject(x, "source", dl->source);
	} else {
		cJSON_AddNullToObject(root, "declared");
	}
	x = cJSON_AddObjectToObject(root, "metric");
	if (s->metric_name)
		cJSON_AddStringToObject(x, "name", s->metric_name);
	else
		cJSON_AddNullToObject(x, "name");
	if (s->has_target)
		cJSON_AddNumberToObject(x, "target", s->metric_target);
	else
		cJSON_AddNullToObject(x, "target");
	ser = cJSON_AddObjectToObject(root, "series");
	times = cJSON_AddArrayToObject(ser, "time");
	for (i = 0; i < s->replicas.n; i++)
		cJSON_AddItemToArray(times, cJSON_CreateNumber((double)s->replicas.t[i]));
	cJSON_AddItemToObject(ser, "replicas", json_series(&s->replicas));
	cJSON_AddItemToObject(ser, "desired", json_series(&s->desired));
	cJSON_AddItemToObject(ser, "minReplicas", json_series(&s->min));
	cJSON_AddItemToObject(ser, "maxReplicas", json_series(&s->max));
	cJSON_AddItemToObject(ser, "metric", json_series(&s->metric));
	ev = cJSON_AddArrayToObject(root, "events");
	for (i = 0; i < s->nevents; i++) {
		const struct csf_scale_event *e = &s->events[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToArray(ev, o);
		cli_time(t, sizeof(t), e->last);
		cJSON_AddStringToObject(o, "time", t);
		cli_time(t, sizeof(t), e->first);
		cJSON_AddStringToObject(o, "firstTime", t);
		cJSON_AddStringToObject(o, "type", e->type);
		cJSON_AddStringToObject(o, "reason", e->reason);
		cJSON_AddStringToObject(o, "message", e->message);
		cJSON_AddNumberToObject(o, "count", e->count);
		if (e->new_size >= 0)
			cJSON_AddNumberToObject(o, "newSize", e->new_size);
		cJSON_AddStringToObject(o, "object", e->object_kind);
		cJSON_AddStringToObject(o, "objectName", e->object_name);
	}
	x = cJSON_AddArrayToObject(root, "warnings");
	for (i = 0; i < s->nwarnings; i++)
		cJSON_AddItemToArray(x, cJSON_CreateString(s->warnings[i]));
	out = cJSON_Print(root);
	cJSON_Delete(root);
	return out;
}

int
cli_scaling(const struct cli_global *g, int argc, char **argv)
{
	struct cli_cluster_opts co = { NULL, NULL, NULL, 0 };
	struct csf_scaling_query q;
	const char *format = "text", *env = "production", *v;
	struct cli_declared dl;
	struct csf_cluster_source *src = NULL;
	struct csf_scaling *s = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	char *gitops = NULL;
	int i, rc = CLI_OK;
	long long ms;
	long width = 64;
	bool missing;

	memset(&q, 0, sizeof(q));
	for (i = 1; i < argc; i++) {
		missing = false;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: csf-tui --headless %s\n\n"
			       "Charts the replica history of a tenant's module (current, desired, min,\n"
			       "max), its trigger metric and its scale events over --since (default 6h),\n"
			       "beside the limits the blueprint declares for --env (production).\n"
			       "exit status: 0 ok, 2 usage, I/O or cluster error\n", SCALING_USAGE);
			return CLI_OK;
		} else if ((v = cli_opt_in(argc, argv, &i, "--tenant", &missing))) {
			q.tenant = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--module", &missing))) {
			q.module = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--since", &missing))) {
			if (!cli_duration(v, &ms) || ms < 60000)
				return cli_usage_error("bad --since '%s' (e.g. 1h, 6h, 24h, 7d)", v);
			q.since = ms / 1000;
		} else if ((v = cli_opt_in(argc, argv, &i, "--format", &missing))) {
			format = v;
		} else if ((v = cli_opt_in(argc, argv, &i, "--width", &missing))) {
			char *end;

			width = strtol(v, &end, 10);
			if (*end || width < 20 || width > 400)
				return cli_usage_error("--width must be 20..400");
		} else if ((v = cli_opt_in(argc, argv, &i, "--env", &missing))) {
			env = v;
		} else if (cli_cluster_opt(argc, argv, &i, &co, &missing, &rc)) {
			if (rc)
				return rc;
		} else if (missing) {
			return cli_usage_error("option %s needs a value", argv[i]);
		} else {
			return cli_usage_error("scaling: unexpected '%s'\nusage: %s", argv[i],
					       SCALING_USAGE);
		}
	}
	if (!q.tenant || !q.module)
		return cli_usage_error("scaling needs --tenant and --module\nusage: %s", SCALING_USAGE);
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv"))
		return cli_usage_error("scaling: --format must be text, json or csv");
	if (cli_cluster_check_env(g, "scaling", env))
		return CLI_ERROR;
	if (cli_cluster_open(g, &co, &src, &gitops, &err))
		return cli_cluster_report(&err);
	q.points = (int)width * 4;
	if (csf_cluster_load_scaling(src, &q, &s, &err)) {
		rc = cli_cluster_report(&err);
	} else {
		struct csf_buf o = CSF_BUF_INIT;

		cli_cluster_declared(g, q.tenant, q.module, csf_env_canonical(env), &dl);
		if (!strcmp(format, "json")) {
			char *js = scaling_json(s, src->name, &dl);

			csf_buf_addstr(&o, js);
			csf_buf_addch(&o, '\n');
			cJSON_free(js);
		} else if (!strcmp(format, "csv")) {
			scaling_csv(&o, s);
		} else {
			scaling_text(&o, s, src->name, (size_t)width, &dl);
		}
		fwrite(o.buf, 1, o.len, stdout);
		csf_buf_release(&o);
	}
	csf_scaling_free(s);
	csf_cluster_source_free(src);
	free(gitops);
	return rc;
}
