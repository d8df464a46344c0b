/* Cluster jobs and assembly (core/cluster): the recorded snapshot as a source (tenant summary,
 * scaling history, Prometheus emulation), drift against the snapshot's GitOps copy, and the job
 * engine against a scripted fake source (paging with `continue`, 410 Expired, 403 fallback,
 * per-tenant errors, KEDA not installed, cancellation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <signal.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "core/cluster.h"
#include "core/fsutil.h"
#include "core/k8s.h"
#include "core/kubeconfig.h"

#define SNAP "samples/cluster"

static struct csf_tenant_summary *
tenant(struct csf_tenants *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ntenants; i++)
		if (!strcmp(t->tenants[i].tenant, name))
			return &t->tenants[i];
	fail_msg("no tenant %s", name);
	return NULL;
}

static struct csf_module_summary *
module(struct csf_tenant_summary *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nmodules; i++)
		if (!strcmp(t->modules[i].name, name))
			return &t->modules[i];
	fail_msg("no module %s", name);
	return NULL;
}

static struct csf_tenants *
load_snapshot_tenants(const char *only)
{
	struct csf_cluster_source *src = NULL;
	struct csf_tenants *t = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_tenants_query q = { only, 0 };

	assert_int_equal(csf_cluster_snapshot_new(SNAP, &src, &err), CSF_E_OK);
	assert_int_equal(src->bytes, 0);
	assert_int_equal(csf_cluster_load_tenants(src, &q, &t, &err), CSF_E_OK);
	assert_true(src->bytes > 1000);		/* for the progress line */
	csf_cluster_source_free(src);
	return t;
}

static void
test_cluster_snapshot_tenants(void **state)
{
	struct csf_tenants *t = load_snapshot_tenants(NULL);
	struct csf_tenant_summary *v;
	struct csf_module_summary *m;

	(void)state;
	/* kube-system and monitoring carry no tenant label */
	assert_int_equal(t->ntenants, 4);
	assert_string_equal(t->tenants[0].tenant, "happytails-004");
	assert_int_equal(t->as_of, 1795719600);
	assert_false(t->partial);
	v = tenant(t, "vetclinic-001");
	assert_string_equal(v->edition, "premium");
	assert_string_equal(v->provider, "azure");
	assert_int_equal(v->nmodules, 5);
	assert_int_equal(v->health, CSF_HEALTH_DEGRADED);
	m = module(v, "booking-service");
	assert_string_equal(m->module, "BookingService");
	assert_string_equal(m->version, "1.2.3");
	assert_string_equal(m->autoscaler, "KEDA");
	assert_int_equal(m->min_replicas, 4);
	assert_int_equal(m->max_replicas, 40);
	assert_float_equal(m->metric_target, 100, 0);	/* s1-rabbitmq = trigger 1, not the cpu one */
	assert_int_equal(m->ready, 4);
	assert_int_equal(m->desired, 5);
	assert_int_equal(m->health, CSF_HEALTH_DEGRADED);
	assert_string_equal(m->health_reason, "4/5 replicas ready");
	assert_true(m->has_last_event);
	assert_int_equal(m->last_event.new_size, 5);
	m = module(v, "payments-service");
	assert_string_equal(m->autoscaler, "HPA");
	assert_false(m->has_metric_current);		/* currentMetrics: null */
	assert_string_equal(m->health_reason, "autoscaler inactive: FailedGetResourceMetric");
	/* the scaled-to-zero KEDA module is healthy */
	m = module(v, "records-import");
	assert_int_equal(m->desired, 0);
	assert_int_equal(m->health, CSF_HEALTH_OK);
	v = tenant(t, "happytails-004");
	assert_null(v->provider);
	assert_int_equal(v->health, CSF_HEALTH_DOWN);
	assert_string_equal(module(v, "notification-service")->health_reason, "0/4 replicas ready");
	assert_string_equal(v->last_event.reason, "FailedRescale");
	/* raw data: the escape sequence is still there, for the caller to sanitize */
	assert_non_null(strchr(v->last_event.message, '\x1b'));
	assert_null(module(v, "tenant-directory")->autoscaler);
	csf_tenants_free(t);
}

static void
test_cluster_tenant_filter(void **state)
{
	struct csf_tenants *t = load_snapshot_tenants("northvet-003");
	struct csf_cluster_source *src = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_tenants_query q = { "nobody-999", 0 };
	struct csf_tenants *none = NULL;

	(void)state;
	assert_int_equal(t->ntenants, 1);
	assert_string_equal(t->tenants[0].edition, "enterprise");
	csf_tenants_free(t);
	assert_int_equal(csf_cluster_snapshot_new(SNAP, &src, &err), CSF_E_OK);
	assert_int_equal(csf_cluster_load_tenants(src, &q, &none, &err), CSF_E_NOTFOUND);
	assert_null(none);
	assert_non_null(strstr(err.msg, "tenant 'nobody-999' not found"));
	csf_cluster_source_free(src);
}

static void
test_cluster_snapshot_scaling(void **state)
{
	struct csf_cluster_source *src = NULL;
	struct csf_scaling *s = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_scaling_query q = { "vetclinic-001", "BookingService", 6 * 3600, 0, 240 };
	size_t i, have = 0;

	(void)state;
	assert_int_equal(csf_cluster_snapshot_new(SNAP, &src, &err), CSF_E_OK);
	assert_int_equal(csf_cluster_load_scaling(src, &q, &s, &err), CSF_E_OK);
	assert_string_equal(s->deployment, "booking-service");
	assert_string_equal(s->autoscaler, "KEDA");
	assert_string_equal(s->hpa_name, "keda-hpa-booking-service");
	assert_int_equal(s->step, 120);	/* 6 h / 240 points = 90 s, rounded up to a round step */
	assert_int_equal(s->end, 1795719600);
	assert_int_equal(s->end - s->start, 6 * 3600);
	assert_int_equal(s->replicas.n, (size_t)((s->end - s->start) / s->step + 1));
	assert_int_equal(s->metric.n, s->replicas.n);
	for (i = 0; i < s->replicas.n; i++)
		if (isfinite(s->replicas.v[i]))
			have++;
	assert_true(have == s->replicas.n);
	assert_float_equal(s->replicas.v[s->replicas.n - 1], 5, 0);
	assert_float_equal(s->max.v[0], 40, 0);
	assert_float_equal(s->min.v[0], 4, 0);
	assert_string_equal(s->metric_name, "s1-rabbitmq");
	assert_true(s->has_target);
	assert_float_equal(s->metric_target, 100, 0);
	assert_true(s->has_spec);
	assert_int_equal(s->spec_max, 40);
	assert_true(s->nevents >= 5);
	for (i = 0; i < s->nevents; i++) {
		assert_true(s->events[i].last >= s->start && s->events[i].last <= s->end);
		if (i)
			assert_true(s->events[i - 1].last <= s->events[i].last);
	}
	csf_scaling_free(s);
	/* 30 days: a 3 h step that "now" (19:00) is not a multiple of; the last hours and their
	 * rescales (18:04, 18:28, 18:50) are still in the range. */
	q.since = 30 * 86400;
	assert_int_equal(csf_cluster_load_scaling(src, &q, &s, &err), CSF_E_OK);
	assert_int_equal(s->step, 10800);
	assert_true(s->end >= 1795719600 && s->end % s->step == 0);
	assert_true(s->nevents > 0);
	assert_int_equal(s->events[s->nevents - 1].last, 1795719000);	/* 18:50 */
	assert_float_equal(s->replicas.v[s->replicas.n - 1], 5, 0);
	csf_scaling_free(s);
	q.since = 6 * 3600;
	/* kebab-case, HPA module with its target metric series by name */
	q.module = "payments-service";
	q.tenant = "northvet-003";
	assert_int_equal(csf_cluster_load_scaling(src, &q, &s, &err), CSF_E_OK);
	assert_string_equal(s->autoscaler, "HPA");
	assert_string_equal(s->metric_name, "memory");
	assert_float_equal(s->metric_target, 80, 0);
	assert_true(isfinite(s->metric.v[s->metric.n - 1]));
	csf_scaling_free(s);
	q.module = "Nope";
	assert_int_equal(csf_cluster_load_scaling(src, &q, &s, &err), CSF_E_NOTFOUND);
	assert_non_null(strstr(err.msg, "module 'Nope' not found in tenant 'northvet-003' (deployments: "));
	q.tenant = "../etc";
	assert_int_equal(csf_cluster_load_scaling(src, &q, &s, &err), CSF_E_USAGE);
	csf_cluster_source_free(src);
}

struct capture {
	long status;
	char body[400];
	int calls;
};

static void
capture_reply(void *ctx, const struct csf_cluster_reply *r)
{
	struct capture *c = ctx;

	c->calls++;
	c->status = r->status;
	snprintf(c->body, sizeof(c->body), "%.*s", (int)(r->len < 399 ? r->len : 399), r->body);
}

static void
test_cluster_snapshot_prometheus_emulation(void **state)
{
	struct csf_cluster_source *src = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct capture c = { 0, "", 0 };

	(void)state;
	assert_int_equal(csf_cluster_snapshot_new(SNAP, &src, &err), CSF_E_OK);
	/* replies never arrive inside get */
	assert_true(src->ops->get(src, CSF_CLUSTER_PROM, "/api/v1/query_range?query=sum(x)&start=0&end=10&step=1",
				  capture_reply, &c, &err) > 0);
	assert_int_equal(c.calls, 0);
	src->ops->poll(src, 0);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.status, 400);
	assert_non_null(strstr(c.body, "\"errorType\":\"bad_data\""));
	/* the 11,000-point limit */
	src->ops->get(src, CSF_CLUSTER_PROM, "/api/v1/query_range?query=up&start=0&end=21600&step=1",
		      capture_reply, &c, &err);
	src->ops->poll(src, 0);
	assert_non_null(strstr(c.body, "exceeded maximum resolution of 11,000 points"));
	/* =~ alternation, points on the step grid */
	src->ops->get(src, CSF_CLUSTER_PROM, "/api/v1/query_range?query=kube_horizontalpodautoscaler_spec_max_replicas"
		      "%7Bnamespace%3D%22vetclinic-001%22%2Chorizontalpodautoscaler%3D~%22clinic-portal%7Cnone%22%7D"
		      "&start=1795719000&end=1795719600&step=300", capture_reply, &c, &err);
	src->ops->poll(src, 0);
	assert_int_equal(c.status, 200);
	assert_non_null(strstr(c.body, "\"horizontalpodautoscaler\":\"clinic-portal\""));
	assert_non_null(strstr(c.body, "\"values\":[[1795719000,\"12\"],[1795719300,\"12\"],[1795719600,\"12\"]]"));
	/* a missing API path answers 404 with a Status */
	src->ops->get(src, CSF_CLUSTER_K8S, "/apis/keda.sh/v1alpha1/namespaces/nowhere/scaledobjects?limit=500",
		      capture_reply, &c, &err);
	src->ops->get(src, CSF_CLUSTER_K8S, "/api/v1/../../etc/passwd", capture_reply, &c, &err);
	src->ops->poll(src, 0);
	assert_int_equal(c.status, 404);
	assert_non_null(strstr(c.body, "\"reason\":\"NotFound\""));
	assert_int_equal(c.calls, 5);
	csf_cluster_source_free(src);
}

static void
test_cluster_drift_from_gitops_copy(void **state)
{
	struct csf_tenants *t = load_snapshot_tenants(NULL);
	struct csf_desired_set want = CSF_DESIRED_SET_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_module_summary *m;
	struct csf_tenant_summary *p;
	size_t i;
	bool image = false;

	(void)state;
	assert_int_equal(csf_desired_load(SNAP "/gitops", "production", &want, &err), CSF_E_OK);
	assert_true(want.n > 20);
	csf_cluster_drift(t, want.fields, want.n);
	assert_true(t->drift_checked);
	m = module(tenant(t, "vetclinic-001"), "booking-service");
	for (i = 0; i < m->ndrift; i++)
		if (!strcmp(m->drift[i].field, "image")) {
			image = true;
			assert_string_equal(m->drift[i].desired, "registry.vetclinic.example/platform/booking-service:1.2.4");
			assert_string_equal(m->drift[i].live, "registry.vetclinic.example/platform/booking-service:1.2.3");
			assert_non_null(strstr(m->drift[i].source, "BookingService/k8s/deployment.yaml:"));
		}
	assert_true(image);
	p = tenant(t, "pawsandclaws-002");
	m = module(p, "clinic-portal");
	assert_int_equal(m->ndrift, 1);
	assert_string_equal(m->drift[0].field, "spec.maxReplicas");
	assert_string_equal(m->drift[0].desired, "12");
	assert_string_equal(m->drift[0].live, "8");
	m = module(p, "payments-service");	/* wanted by Git, absent from the cluster */
	assert_true(m->missing);
	assert_int_equal(m->ndrift, 1);
	assert_string_equal(m->drift[0].live, "(missing)");
	assert_int_equal(p->health, CSF_HEALTH_DOWN);
	assert_int_equal(tenant(t, "northvet-003")->ndrift, 0);
	assert_int_equal(csf_desired_load(SNAP "/gitops", "staging", &want, &err), CSF_E_NOTFOUND);
	csf_desired_release(&want);
	csf_tenants_free(t);
}

static void
test_cluster_drift_rules(void **state)
{
	struct csf_tenants *t = load_snapshot_tenants("vetclinic-001");
	const struct csf_desired_field want[] = {
		/* an autoscaler owns spec.replicas: not drift */
		{ "vetclinic-001", "Deployment", "booking-service", "spec.replicas", "3", NULL },
		{ "vetclinic-001", "HorizontalPodAutoscaler", "clinic-portal", "spec.minReplicas", "3", "x.yaml:7" },
		{ "vetclinic-001", "HorizontalPodAutoscaler", "clinic-portal", "spec.maxReplicas", "12", NULL },
		{ "vetclinic-001", "ScaledObject", "notification-service", "spec.maxReplicaCount", "20", NULL },
		{ "vetclinic-001", "ScaledObject", "ghost", "exists", "true", NULL },
		{ "other-ns", "Deployment", "x", "exists", "true", NULL },
	};
	struct csf_tenant_summary *v;

	(void)state;
	csf_cluster_drift(t, want, sizeof(want) / sizeof(want[0]));
	v = tenant(t, "vetclinic-001");
	assert_int_equal(module(v, "booking-service")->ndrift, 0);
	assert_int_equal(module(v, "clinic-portal")->ndrift, 1);
	assert_string_equal(module(v, "clinic-portal")->drift[0].source, "x.yaml:7");
	assert_string_equal(module(v, "notification-service")->drift[0].live, "30");
	assert_true(module(v, "ghost")->missing);
	assert_int_equal(v->ndrift, 3);
	assert_int_equal(t->ntenants, 1);
	csf_tenants_free(t);
}

/* ==== a scripted fake source ================================================================ */

struct route {
	const char *prefix;		/* request path prefix */
	long status;
	const char *body;
	int times;			/* answer this many times, then fall through; 0 = always */
};

struct pending {
	unsigned long id;
	const struct route *r;
	csf_cluster_reply_fn done;
	void *ctx;
};

struct fake {
	struct csf_cluster_source base;
	struct route *routes;
	size_t nroutes;
	int *used;
	struct pending q[64];
	size_t nq;
	unsigned long next;
	char log[16][300];
	size_t nlog;
};

static unsigned long
fake_get(struct csf_cluster_source *s, enum csf_cluster_api api, const char *path,
	 csf_cluster_reply_fn done, void *ctx, struct csf_error *err)
{
	struct fake *f = (struct fake *)s;
	size_t i;

	(void)api;
	(void)err;
	if (f->nlog < 16)
		snprintf(f->log[f->nlog++], 300, "%s", path);
	for (i = 0; i < f->nroutes; i++) {
		if (strncmp(path, f->routes[i].prefix, strlen(f->routes[i].prefix)))
			continue;
		if (f->routes[i].times && f->used[i] >= f->routes[i].times)
			continue;
		f->used[i]++;
		f->q[f->nq].id = ++f->next;
		f->q[f->nq].r = &f->routes[i];
		f->q[f->nq].done = done;
		f->q[f->nq].ctx = ctx;
		f->nq++;
		return f->next;
	}
	fail_msg("unexpected request %s", path);
	return 0;
}

static void
fake_cancel(struct csf_cluster_source *s, unsigned long id)
{
	struct fake *f = (struct fake *)s;
	size_t i;

	for (i = 0; i < f->nq; i++)
		if (f->q[i].id == id) {
			memmove(&f->q[i], &f->q[i + 1], (f->nq - i - 1) * sizeof(f->q[0]));
			f->nq--;
			return;
		}
}

static size_t
fake_poll(struct csf_cluster_source *s, long wait)
{
	struct fake *f = (struct fake *)s;
	size_t n = f->nq;
	struct csf_error ok = CSF_ERROR_INIT;

	(void)wait;
	while (n-- && f->nq) {
		struct pending p = f->q[0];
		struct csf_cluster_reply r = { p.r->status, p.r->body, strlen(p.r->body), &ok };

		memmove(&f->q[0], &f->q[1], (f->nq - 1) * sizeof(f->q[0]));
		f->nq--;
		p.done(p.ctx, &r);
	}
	return f->nq;
}

static struct csf_http *
fake_http(struct csf_cluster_source *s)
{
	(void)s;
	return NULL;
}

static int64_t
fake_now(struct csf_cluster_source *s)
{
	(void)s;
	return 1795719600;
}

static bool
fake_has_api(struct csf_cluster_source *s, enum csf_cluster_api api)
{
	(void)s;
	return api == CSF_CLUSTER_K8S;
}

static void
fake_free(struct csf_cluster_source *s)
{
	(void)s;
}

static const struct csf_cluster_source_ops fake_ops = {
	"fake", fake_get, fake_cancel, fake_poll, fake_http, fake_now, fake_has_api, fake_free,
};

#define NS_ITEM(n) "{\"metadata\":{\"name\":\"" n "\",\"labels\":{\"csf.connectsoft.io/tenant\":\"" n "\"}}}"
#define EMPTY(kind) "{\"kind\":\"" kind "\",\"metadata\":{},\"items\":[]}"
#define DEP(n) "{\"kind\":\"DeploymentList\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"" n \
	"\"},\"spec\":{\"replicas\":1},\"status\":{\"replicas\":1,\"readyReplicas\":1}}]}"
#define NOTFOUND "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404," \
	"\"message\":\"the server could not find the requested resource\"}"

static void
fake_init(struct fake *f, struct route *r, size_t n, int *used)
{
	memset(f, 0, sizeof(*f));
	f->base.ops = &fake_ops;
	snprintf(f->base.name, sizeof(f->base.name), "fake");
	f->routes = r;
	f->nroutes = n;
	f->used = used;
	memset(used, 0, n * sizeof(int));
}

static void
test_cluster_job_paging_and_expired(void **state)
{
	struct route r[] = {
		/* page 1, then an expired token, then a fresh full listing in two pages */
		{ "/api/v1/namespaces?labelSelector=csf.connectsoft.io%2Ftenant&limit=500&continue=", 410,
		  "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,\"message\":\"too old\"}", 1 },
		{ "/api/v1/namespaces?labelSelector=csf.connectsoft.io%2Ftenant&limit=500&continue=b%2B2%3D", 200,
		  "{\"kind\":\"NamespaceList\",\"metadata\":{},\"items\":[" NS_ITEM("t2") "]}", 0 },
		{ "/api/v1/namespaces?labelSelector=csf.connectsoft.io%2Ftenant&limit=500", 200,
		  "{\"kind\":\"NamespaceList\",\"metadata\":{\"continue\":\"b+2=\"},\"items\":[" NS_ITEM("t1") "]}", 0 },
		{ "/apis/apps/v1/namespaces/t1/", 200, DEP("a"), 0 },
		{ "/apis/apps/v1/namespaces/t2/", 403, "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":"
		  "\"Forbidden\",\"code\":403,\"message\":\"deployments.apps is forbidden\"}", 0 },
		{ "/apis/autoscaling/", 200, EMPTY("HorizontalPodAutoscalerList"), 0 },
		{ "/apis/keda.sh/", 404, NOTFOUND, 0 },
		{ "/api/v1/namespaces/", 200, EMPTY("EventList"), 0 },
	};
	int used[8];
	struct fake f;
	struct csf_tenants *t = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_cluster_job *j = NULL;
	size_t done, total;

	(void)state;
	fake_init(&f, r, 8, used);
	assert_int_equal(csf_cluster_tenants_start(&f.base, NULL, &j, &err), CSF_E_OK);
	assert_false(csf_cluster_job_done(j));
	csf_cluster_job_run(j);
	assert_true(csf_cluster_job_done(j));
	csf_cluster_job_progress(j, &done, &total);
	assert_int_equal(done, total);
	t = csf_cluster_job_take_tenants(j, &err);
	csf_cluster_job_free(j);
	assert_non_null(t);
	/* the continue token went back URL-encoded; the expired one restarted the listing */
	assert_string_equal(f.log[1], "/api/v1/namespaces?labelSelector=csf.connectsoft.io%2Ftenant&limit=500&continue=b%2B2%3D");
	assert_int_equal(used[0], 1);
	assert_int_equal(t->ntenants, 2);	/* not duplicated by the restart */
	assert_string_equal(t->tenants[0].tenant, "t1");
	assert_null(t->tenants[0].error);
	assert_int_equal(t->tenants[0].nmodules, 1);
	/* a per-tenant failure: the others still load, the tenant carries the message */
	assert_true(t->partial);
	assert_int_equal(t->tenants[1].health, CSF_HEALTH_UNKNOWN);
	assert_string_equal(t->tenants[1].error, "list deployments in t2: Forbidden (403): deployments.apps is forbidden");
	assert_int_equal(t->nwarnings, 1);
	assert_non_null(strstr(t->warnings[0], "KEDA is not installed"));
	csf_tenants_free(t);
}

static void
test_cluster_job_forbidden_namespaces(void **state)
{
	struct route r[] = {
		{ "/api/v1/namespaces?", 403, "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Forbidden\","
		  "\"code\":403,\"message\":\"namespaces is forbidden: User \\\"system:serviceaccount:ops:csf-tui\\\" "
		  "cannot list resource \\\"namespaces\\\"\"}", 0 },
		{ "/apis/apps/v1/namespaces/ops/", 200, DEP("csf"), 0 },
		{ "/apis/autoscaling/", 200, EMPTY("HorizontalPodAutoscalerList"), 0 },
		{ "/apis/keda.sh/", 200, EMPTY("ScaledObjectList"), 0 },
		{ "/api/v1/namespaces/ops/events", 403, "{\"kind\":\"Status\",\"status\":\"Failure\","
		  "\"reason\":\"Forbidden\",\"code\":403,\"message\":\"events is forbidden\"}", 0 },
	};
	int used[5];
	struct fake f;
	struct csf_tenants *t = NULL;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	fake_init(&f, r, 5, used);
	/* with a context namespace: fall back to it, with a note */
	snprintf(f.base.namespace, sizeof(f.base.namespace), "ops");
	assert_int_equal(csf_cluster_load_tenants(&f.base, NULL, &t, &err), CSF_E_OK);
	assert_int_equal(t->ntenants, 1);
	assert_string_equal(t->tenants[0].namespace, "ops");
	assert_non_null(strstr(t->warnings[0], "cannot list namespaces (403)"));
	/* events that cannot be listed are a note, not a failure */
	assert_false(t->partial);
	assert_int_equal(t->nwarnings, 2);
	assert_string_equal(t->warnings[1], "list events in ops: Forbidden (403): events is forbidden (events not shown)");
	assert_int_equal(t->tenants[0].nmodules, 1);
	csf_tenants_free(t);
	/* without one: the Forbidden is the error */
	fake_init(&f, r, 5, used);
	assert_int_equal(csf_cluster_load_tenants(&f.base, NULL, &t, &err), CSF_E_AUTH);
	assert_null(t);
	assert_non_null(strstr(err.msg, "list namespaces: Forbidden (403): namespaces is forbidden"));
}

static void
test_cluster_job_cancel(void **state)
{
	struct route r[] = {
		{ "/api/v1/namespaces?", 200, "{\"kind\":\"NamespaceList\",\"metadata\":{},\"items\":["
		  NS_ITEM("a") "," NS_ITEM("b") "," NS_ITEM("c") "," NS_ITEM("d") "]}", 0 },
		{ "/", 200, EMPTY("DeploymentList"), 0 },
	};
	int used[2];
	struct fake f;
	struct csf_cluster_job *j = NULL;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	fake_init(&f, r, 2, used);
	assert_int_equal(csf_cluster_tenants_start(&f.base, NULL, &j, &err), CSF_E_OK);
	f.base.ops->poll(&f.base, 0);		/* namespaces arrive: 16 lists, at most 12 in flight */
	assert_int_equal(f.nq, 12);
	assert_false(csf_cluster_job_done(j));
	csf_cluster_job_free(j);		/* cancels what is pending: no callback afterwards */
	assert_int_equal(f.nq, 0);
}

/* ==== a live source driven like the TUI loop ================================================ */

/* A forked plain-HTTP API server answering GET /PATH?… with SNAP/PATH.json (404 Status else),
 * one connection per request. Returns the port. */
static int
serve_snapshot(pid_t *pid)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 64) ||
	    getsockname(s, (struct sockaddr *)&a, &al))
		return -1;
	*pid = fork();
	if (*pid == 0) {
		alarm(60);
		for (;;) {
			int c = accept(s, NULL, NULL);
			char req[4096], path[1024] = "", hdr[256];
			struct csf_buf body = CSF_BUF_INIT, file = CSF_BUF_INIT;
			ssize_t n = c < 0 ? -1 : read(c, req, sizeof(req) - 1);
			const char *status = "200 OK";

			if (n <= 0) {
				if (c >= 0)
					close(c);
				continue;
			}
			req[n] = '\0';
			sscanf(req, "GET %1023s", path);
			path[strcspn(path, "?")] = '\0';
			csf_buf_addf(&file, "%s%s.json", SNAP, path);
			if (strstr(req, "Authorization: Bearer live-token\r\n") == NULL) {
				status = "401 Unauthorized";
				csf_buf_addstr(&body, "{\"kind\":\"Status\",\"status\":\"Failure\","
					       "\"reason\":\"Unauthorized\",\"code\":401,\"message\":\"Unauthorized\"}");
			} else if (strstr(path, "..") || csf_buf_read_file(&body, file.buf, 1 << 24) < 0) {
				status = "404 Not Found";
				csf_buf_reset(&body);
				csf_buf_addstr(&body, "{\"kind\":\"Status\",\"status\":\"Failure\","
					       "\"reason\":\"NotFound\",\"code\":404,\"message\":\"not found\"}");
			}
			snprintf(hdr, sizeof(hdr), "HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
				 "Content-Length: %zu\r\nConnection: close\r\n\r\n", status, body.len);
			if (write(c, hdr, strlen(hdr)) < 0 || write(c, body.buf, body.len) < 0)
				_exit(3);
			close(c);
			csf_buf_release(&body);
			csf_buf_release(&file);
		}
	}
	close(s);
	return ntohs(a.sin_port);
}

static void
test_cluster_live_source_event_loop(void **state)
{
	char dir[] = "/tmp/csf-live.XXXXXX", kc[128], text[512];
	pid_t pid = -1;
	int port = serve_snapshot(&pid), rounds = 0;
	struct csf_kubeconfig_opts ko = { kc, NULL, NULL };
	struct csf_kube_config *k = NULL;
	struct csf_cluster_live_opts lo;
	struct csf_cluster_source *src = NULL;
	struct csf_cluster_job *j = NULL;
	struct csf_tenants *t;
	struct csf_error err = CSF_ERROR_INIT;
	FILE *f;
	size_t done, total;

	(void)state;
	assert_true(port > 0);
	assert_non_null(mkdtemp(dir));
	snprintf(kc, sizeof(kc), "%s/config", dir);
	snprintf(text, sizeof(text), "current-context: c\ncontexts:\n- {name: c, context: {cluster: x, user: u}}\n"
		 "clusters:\n- {name: x, cluster: {server: 'http://127.0.0.1:%d'}}\n"
		 "users:\n- {name: u, user: {token: live-token}}\n", port);
	f = fopen(kc, "w");
	fputs(text, f);
	fclose(f);
	assert_int_equal(csf_kubeconfig_load(&ko, &k, &err), CSF_E_OK);
	memset(&lo, 0, sizeof(lo));
	lo.kube = k;
	assert_int_equal(csf_cluster_live_new(&lo, &src, &err), CSF_E_OK);
	assert_string_equal(src->ops->kind, "live");
	assert_false(src->ops->has_api(src, CSF_CLUSTER_PROM));
	assert_int_equal(csf_cluster_tenants_start(src, NULL, &j, &err), CSF_E_OK);
	/* The TUI's loop: select() on the source's sockets with its timeout, then a poll that
	 * never waits. Nothing else drives the job. */
	while (!csf_cluster_job_done(j) && rounds++ < 20000) {
		struct csf_http *h = src->ops->http(src);
		fd_set rd, wr, ex;
		int maxfd = -1;
		long ms = csf_http_timeout_ms(h);
		struct timeval tv = { 0, (ms < 0 || ms > 20 ? 20 : ms) * 1000 };

		FD_ZERO(&rd);
		FD_ZERO(&wr);
		FD_ZERO(&ex);
		csf_http_fdset(h, &rd, &wr, &ex, &maxfd);
		select(maxfd + 1, &rd, &wr, &ex, &tv);
		src->ops->poll(src, 0);
		csf_cluster_job_progress(j, &done, &total);
		assert_true(done <= total);
	}
	assert_true(csf_cluster_job_done(j));
	t = csf_cluster_job_take_tenants(j, &err);
	assert_non_null(t);
	assert_int_equal(t->ntenants, 4);
	assert_false(t->partial);
	assert_int_equal(tenant(t, "vetclinic-001")->nmodules, 5);
	assert_true(src->bytes > 10000);
	csf_tenants_free(t);
	csf_cluster_job_free(j);
	csf_cluster_source_free(src);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(kc);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cluster_snapshot_tenants),
		cmocka_unit_test(test_cluster_tenant_filter),
		cmocka_unit_test(test_cluster_snapshot_scaling),
		cmocka_unit_test(test_cluster_snapshot_prometheus_emulation),
		cmocka_unit_test(test_cluster_drift_from_gitops_copy),
		cmocka_unit_test(test_cluster_drift_rules),
		cmocka_unit_test(test_cluster_job_paging_and_expired),
		cmocka_unit_test(test_cluster_job_forbidden_namespaces),
		cmocka_unit_test(test_cluster_job_cancel),
		cmocka_unit_test(test_cluster_live_source_event_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
