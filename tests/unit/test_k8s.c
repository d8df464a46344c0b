/* Kubernetes API parsers (core/k8s): the wire traps of reference/formats.md §1 — missing int32
 * means 0, minReplicas defaults to 1, KEDA defaults, null arrays, quantities like "37500m",
 * RFC 3339 times, Status errors, paging with `continue`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/k8s.h"

static void
test_k8s_quantity(void **state)
{
	static const struct {
		const char *s;
		double v;
	} good[] = {
		{ "37500m", 37.5 }, { "412m", 0.412 }, { "50", 50 }, { "256Mi", 268435456 },
		{ "1.5", 1.5 }, { "2k", 2000 }, { "1e3", 1000 }, { "-3", -3 }, { "1Ki", 1024 },
		{ "2E", 2e18 }, { "1.5e-3", 0.0015 }, { ".5", 0.5 }, { "0", 0 }, { "+7", 7 },
	};
	static const char *const bad[] = { "", "m", "12x", "1.2.3", "Mi", "1 m", "1mm", "abc",
					   "1e", "--1", "1Kii" };
	double v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(csf_k8s_quantity(good[i].s, &v));
		assert_float_equal(v, good[i].v, 1e-9 * (good[i].v > 1 ? good[i].v : 1));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(csf_k8s_quantity(bad[i], &v));
}

static void
test_k8s_time(void **state)
{
	int64_t t;
	char buf[32];

	(void)state;
	assert_true(csf_k8s_time("2026-11-26T18:40:00Z", &t));
	assert_int_equal(t, 1795718400);
	assert_true(csf_k8s_time("2026-11-26T18:42:07.123456Z", &t));
	assert_int_equal(t, 1795718527);
	assert_true(csf_k8s_time("2026-11-26T20:40:00+02:00", &t));
	assert_int_equal(t, 1795718400);
	assert_true(csf_k8s_time("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	assert_false(csf_k8s_time("2026-11-26 18:40", &t));
	assert_false(csf_k8s_time("2026-13-26T18:40:00Z", &t));
	assert_false(csf_k8s_time("2026-11-26T18:40:00", &t));
	assert_false(csf_k8s_time("2026-11-26T18:40:00Zjunk", &t));
	assert_false(csf_k8s_time(NULL, &t));
	csf_k8s_time_format(1795718527, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-26T18:42:07Z");
	csf_k8s_time_format(951782400, buf, sizeof(buf));	/* leap day */
	assert_string_equal(buf, "2000-02-29T00:00:00Z");
}

static void
test_k8s_namespaces_labels(void **state)
{
	static const char js[] =
		"{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"884240\"},"
		"\"items\":[{\"metadata\":{\"name\":\"vetclinic-001\",\"labels\":{\"kubernetes.io/metadata.name\":"
		"\"vetclinic-001\",\"csf.connectsoft.io/tenant\":\"vetclinic\",\"csf.connectsoft.io/edition\":"
		"\"premium\"}},\"status\":{\"phase\":\"Active\"}},"
		"{\"metadata\":{\"name\":\"kube-system\"},\"status\":{\"phase\":\"Terminating\"}}]}";
	struct csf_k8s_list l = CSF_K8S_LIST_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	const char *cont = "x";

	(void)state;
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_NAMESPACES, js, strlen(js), "ns", &l, &cont, &err),
			 CSF_E_OK);
	assert_null(cont);
	assert_int_equal(l.nnamespaces, 2);
	assert_string_equal(l.namespaces[0].tenant, "vetclinic");
	assert_string_equal(l.namespaces[0].edition, "premium");
	assert_null(l.namespaces[0].provider);
	assert_null(l.namespaces[1].tenant);
	assert_int_equal(l.namespaces[1].nlabels, 0);
	assert_string_equal(l.namespaces[1].phase, "Terminating");
	assert_string_equal(l.resource_version, "884240");
	csf_k8s_list_release(&l);
}

static void
test_k8s_deployment_omitempty(void **state)
{
	/* replicas 0: the status has no replica counters at all; items carry no kind. */
	static const char js[] =
		"{\"kind\":\"DeploymentList\",\"apiVersion\":\"apps/v1\",\"metadata\":{},\"items\":["
		"{\"metadata\":{\"name\":\"records-import\",\"namespace\":\"t\",\"generation\":3},"
		"\"spec\":{\"replicas\":0,\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\","
		"\"image\":\"reg:5000/t/records-import@sha256:0123456789abcdef0123\"}]}}},"
		"\"status\":{\"observedGeneration\":3}},"
		"{\"metadata\":{\"name\":\"booking-service\",\"namespace\":\"t\",\"labels\":{}},"
		"\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":"
		"\"registry.example/vetclinic/booking-service:1.14.2\"},{\"name\":\"s\",\"image\":\"x:1\"}]}}},"
		"\"status\":{\"replicas\":5,\"readyReplicas\":4,\"availableReplicas\":4,"
		"\"unavailableReplicas\":1,\"conditions\":null}},"
		"{\"metadata\":{\"name\":\"portal\",\"labels\":{\"app.kubernetes.io/version\":\"3.1.0\"}},"
		"\"spec\":{\"replicas\":2,\"template\":{\"spec\":{\"containers\":[{\"image\":\"reg:5000/portal\"}]}}}}]}";
	struct csf_k8s_list l = CSF_K8S_LIST_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_DEPLOYMENTS, js, strlen(js), NULL, &l, NULL, &err),
			 CSF_E_OK);
	assert_int_equal(l.ndeployments, 3);
	assert_true(l.deployments[0].has_spec_replicas);
	assert_int_equal(l.deployments[0].spec_replicas, 0);
	assert_int_equal(l.deployments[0].replicas, 0);
	assert_int_equal(l.deployments[0].ready, 0);
	assert_string_equal(csf_k8s_deployment_version(&l.deployments[0]), "0123456789abcdef0123");
	/* spec.replicas absent: the API default 1 */
	assert_false(l.deployments[1].has_spec_replicas);
	assert_int_equal(l.deployments[1].spec_replicas, 1);
	assert_int_equal(l.deployments[1].ready, 4);
	assert_int_equal(l.deployments[1].unavailable, 1);
	assert_int_equal(l.deployments[1].ncontainers, 2);
	assert_int_equal(l.deployments[1].nconditions, 0);
	assert_string_equal(csf_k8s_deployment_version(&l.deployments[1]), "1.14.2");
	assert_string_equal(csf_k8s_deployment_version(&l.deployments[2]), "3.1.0");
	/* a registry port is not a tag */
	l.deployments[2].nlabels = 0;
	assert_null(csf_k8s_deployment_version(&l.deployments[2]));
	csf_k8s_list_release(&l);
}

static const char hpa_js[] =
	"{\"kind\":\"HorizontalPodAutoscalerList\",\"apiVersion\":\"autoscaling/v2\",\"metadata\":"
	"{\"resourceVersion\":\"884213\",\"continue\":\"eyJzdGFydCI6MX0=\",\"remainingItemCount\":1},\"items\":[{"
	"\"metadata\":{\"name\":\"booking-service\",\"namespace\":\"vetclinic-001\"},"
	"\"spec\":{\"scaleTargetRef\":{\"kind\":\"Deployment\",\"name\":\"booking-service\",\"apiVersion\":\"apps/v1\"},"
	"\"minReplicas\":2,\"maxReplicas\":8,\"metrics\":["
	"{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":70}}},"
	"{\"type\":\"Pods\",\"pods\":{\"metric\":{\"name\":\"http_requests_per_second\"},"
	"\"target\":{\"type\":\"AverageValue\",\"averageValue\":\"50\"}}}]},"
	"\"status\":{\"lastScaleTime\":\"2026-11-26T18:42:07Z\",\"currentReplicas\":4,\"desiredReplicas\":5,"
	"\"currentMetrics\":["
	"{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"current\":{\"averageValue\":\"412m\",\"averageUtilization\":82}}},"
	"{\"type\":\"Pods\",\"pods\":{\"metric\":{\"name\":\"http_requests_per_second\"},\"current\":{\"averageValue\":\"37500m\"}}}],"
	"\"conditions\":[{\"type\":\"AbleToScale\",\"status\":\"True\",\"reason\":\"SucceededRescale\","
	"\"message\":\"the HPA controller was able to update the target scale to 5\"}]}},"
	"{\"metadata\":{\"name\":\"keda-hpa-reminder-worker\",\"namespace\":\"vetclinic-001\","
	"\"labels\":{\"scaledobject.keda.sh/name\":\"reminder-worker\"}},"
	"\"spec\":{\"scaleTargetRef\":{\"kind\":\"Deployment\",\"name\":\"reminder-worker\"},\"maxReplicas\":10,"
	"\"metrics\":[{\"type\":\"External\",\"external\":{\"metric\":{\"name\":\"s0-prometheus\"},"
	"\"target\":{\"type\":\"AverageValue\",\"averageValue\":\"20\"}}}]},"
	"\"status\":{\"desiredReplicas\":0,\"currentMetrics\":null}}]}";

static void
test_k8s_hpa_traps(void **state)
{
	struct csf_k8s_list l = CSF_K8S_LIST_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	const char *cont = NULL;
	const struct csf_k8s_hpa *h;

	(void)state;
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_HPAS, hpa_js, strlen(hpa_js), NULL, &l, &cont, &err),
			 CSF_E_OK);
	assert_string_equal(cont, "eyJzdGFydCI6MX0=");
	assert_int_equal(l.nhpas, 2);
	h = &l.hpas[0];
	assert_int_equal(h->min_replicas, 2);
	assert_int_equal(h->current_replicas, 4);
	assert_int_equal(h->desired_replicas, 5);
	assert_int_equal(h->last_scale_time, 1795718527);
	assert_int_equal(h->nmetrics, 2);
	assert_string_equal(h->metrics[0].name, "cpu");
	assert_float_equal(h->metrics[0].target, 70, 1e-9);
	assert_true(h->metrics[0].has_current);
	assert_float_equal(h->metrics[0].current, 82, 1e-9);	/* utilization, not 412m */
	assert_string_equal(h->metrics[1].name, "http_requests_per_second");
	assert_float_equal(h->metrics[1].current, 37.5, 1e-9);
	assert_null(h->keda_owner);
	h = &l.hpas[1];
	assert_int_equal(h->min_replicas, 1);		/* absent → API default 1 */
	assert_int_equal(h->current_replicas, 0);	/* omitted when 0 */
	assert_false(h->metrics[0].has_current);	/* currentMetrics: null */
	assert_string_equal(h->keda_owner, "reminder-worker");
	assert_string_equal(h->metrics[0].type, "External");
	assert_string_equal(h->metrics[0].name, "s0-prometheus");
	csf_k8s_list_release(&l);
}

static void
test_k8s_paging_appends(void **state)
{
	struct csf_k8s_list l = CSF_K8S_LIST_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	const char *cont;

	(void)state;
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_HPAS, hpa_js, strlen(hpa_js), NULL, &l, &cont, &err), 0);
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_HPAS, hpa_js, strlen(hpa_js), NULL, &l, &cont, &err), 0);
	assert_int_equal(l.nhpas, 4);
	assert_string_equal(l.hpas[2].name, "booking-service");
	csf_k8s_list_release(&l);
}

static void
test_k8s_scaledobject_defaults(void **state)
{
	static const char js[] =
		"{\"apiVersion\":\"keda.sh/v1alpha1\",\"kind\":\"ScaledObjectList\",\"metadata\":{\"continue\":\"\"},"
		"\"items\":[{\"apiVersion\":\"keda.sh/v1alpha1\",\"kind\":\"ScaledObject\","
		"\"metadata\":{\"name\":\"reminder-worker\",\"namespace\":\"v\"},"
		"\"spec\":{\"scaleTargetRef\":{\"name\":\"reminder-worker\"},\"triggers\":[{\"type\":\"prometheus\","
		"\"metadata\":{\"query\":\"sum(x)\",\"threshold\":\"20\"}},{\"type\":\"azure-servicebus\","
		"\"metadata\":{\"messageCount\":\"10\"}}]},"
		"\"status\":{\"externalMetricNames\":[\"s0-prometheus\"],\"health\":{\"s0-prometheus\":"
		"{\"numberOfFailures\":3,\"status\":\"Failing\"}}}}]}";
	struct csf_k8s_list l = CSF_K8S_LIST_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	const char *cont = "x";
	const struct csf_k8s_scaledobject *s;

	(void)state;
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_SCALEDOBJECTS, js, strlen(js), NULL, &l, &cont, &err), 0);
	assert_null(cont);	/* "continue": "" is the last page */
	s = &l.scaledobjects[0];
	assert_int_equal(s->min_replicas, 0);
	assert_int_equal(s->max_replicas, 100);
	assert_int_equal(s->polling_interval, 30);
	assert_int_equal(s->cooldown_period, 300);
	assert_string_equal(s->hpa_name, "keda-hpa-reminder-worker");
	assert_true(s->health_failing);
	assert_int_equal(s->ntriggers, 2);
	assert_string_equal(s->triggers[0].threshold, "20");
	assert_string_equal(s->triggers[0].query, "sum(x)");
	assert_string_equal(s->triggers[1].threshold, "10");
	assert_int_equal(s->nexternal_metrics, 1);
	csf_k8s_list_release(&l);
}

static void
test_k8s_events(void **state)
{
	static const char js[] =
		"{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":["
		"{\"metadata\":{\"name\":\"a\",\"namespace\":\"v\",\"creationTimestamp\":\"2026-11-26T18:42:07Z\"},"
		"\"involvedObject\":{\"kind\":\"HorizontalPodAutoscaler\",\"name\":\"booking-service\"},"
		"\"reason\":\"SuccessfulRescale\",\"message\":\"New size: 5; reason: cpu above target\","
		"\"source\":{\"component\":\"horizontal-pod-autoscaler\"},\"firstTimestamp\":\"2026-11-26T18:02:11Z\","
		"\"lastTimestamp\":\"2026-11-26T18:06:41Z\",\"count\":19,\"type\":\"Normal\",\"eventTime\":null},"
		"{\"metadata\":{\"name\":\"b\",\"creationTimestamp\":\"2026-11-26T18:00:00Z\"},"
		"\"involvedObject\":{\"kind\":\"ScaledObject\",\"name\":\"r\"},\"reason\":\"KEDAScalersStarted\","
		"\"firstTimestamp\":null,\"lastTimestamp\":null,\"eventTime\":\"2026-11-26T18:30:00.123456Z\","
		"\"reportingComponent\":\"keda-operator\"},"
		"{\"metadata\":{\"name\":\"c\",\"creationTimestamp\":\"2026-11-26T17:00:00Z\"},"
		"\"involvedObject\":{}}]}";
	struct csf_k8s_list l = CSF_K8S_LIST_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_EVENTS, js, strlen(js), NULL, &l, NULL, &err), 0);
	assert_int_equal(l.nevents, 3);
	assert_int_equal(l.events[0].count, 19);
	assert_int_equal(l.events[0].first, 1795716131);
	assert_int_equal(l.events[0].last, 1795716401);
	assert_string_equal(l.events[0].component, "horizontal-pod-autoscaler");
	assert_int_equal(l.events[1].count, 1);			/* missing count */
	assert_int_equal(l.events[1].last, 1795717800);		/* eventTime (MicroTime) */
	assert_string_equal(l.events[1].component, "keda-operator");
	assert_int_equal(l.events[2].last, 1795712400);		/* creationTimestamp */
	assert_string_equal(l.events[2].reason, "");
	csf_k8s_list_release(&l);
}

static void
test_k8s_status_errors(void **state)
{
	static const char forbidden[] =
		"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
		"\"message\":\"horizontalpodautoscalers.autoscaling is forbidden: User \\\"x\\\" cannot list\","
		"\"reason\":\"Forbidden\",\"details\":{\"group\":\"autoscaling\"},\"code\":403}";
	struct csf_k8s_list l = CSF_K8S_LIST_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_k8s_status st;

	(void)state;
	assert_true(csf_k8s_parse_status(forbidden, strlen(forbidden), &st));
	assert_int_equal(st.code, 403);
	assert_string_equal(st.reason, "Forbidden");
	/* A Status where a list was expected is an error with the server's message. */
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_HPAS, forbidden, strlen(forbidden), NULL, &l, NULL, &err),
			 CSF_E_AUTH);
	assert_non_null(strstr(err.msg, "Forbidden (403): horizontalpodautoscalers.autoscaling is forbidden"));
	assert_int_equal(csf_k8s_reply_error(403, forbidden, strlen(forbidden), "list hpas", &err), CSF_E_AUTH);
	assert_non_null(strstr(err.msg, "list hpas: Forbidden (403)"));
	assert_int_equal(csf_k8s_reply_error(502, "<html>\x1b[31mbad gateway", 22, "list x", &err), CSF_E_HTTP);
	assert_string_equal(err.msg, "list x: HTTP 502: <html> [31mbad gateway");
	assert_false(csf_k8s_parse_status("{\"kind\":\"NamespaceList\"}", 24, &st));
	csf_k8s_list_release(&l);
}

static void
test_k8s_malformed(void **state)
{
	static const char truncated[] = "{\"kind\":\"NamespaceList\",\"items\":[{\"metadata\":{\"name\":\"a\"";
	static const char wrong[] = "{\"kind\":\"DeploymentList\",\"items\":[]}";
	static const char nokind[] = "{\"metadata\":{}}";
	struct csf_k8s_list l = CSF_K8S_LIST_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_NAMESPACES, truncated, strlen(truncated), "x", &l, NULL,
					    &err), CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "malformed JSON"));
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_NAMESPACES, wrong, strlen(wrong), "x", &l, NULL, &err),
			 CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "expected a NamespaceList, got DeploymentList"));
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_NAMESPACES, nokind, strlen(nokind), "x", &l, NULL, &err),
			 CSF_E_PARSE);
	assert_int_equal(csf_k8s_parse_list(CSF_K8S_NAMESPACES, "[1,2]", 5, "x", &l, NULL, &err), CSF_E_PARSE);
	assert_int_equal(l.nnamespaces, 0);
	csf_k8s_list_release(&l);
}

static void
test_k8s_rescale_message(void **state)
{
	const char *reason;

	(void)state;
	assert_int_equal(csf_k8s_rescale_size("New size: 5; reason: cpu resource utilization (percentage of request) above target", &reason), 5);
	assert_string_equal(reason, "cpu resource utilization (percentage of request) above target");
	assert_int_equal(csf_k8s_rescale_size("(combined from similar events): New size: 12; reason: All metrics below target", &reason), 12);
	assert_string_equal(reason, "All metrics below target");
	assert_int_equal(csf_k8s_rescale_size("New size: 6; reason: x; error: quota", NULL), 6);
	assert_int_equal(csf_k8s_rescale_size("New size: ; reason: x", NULL), -1);
	assert_int_equal(csf_k8s_rescale_size("New size: 5x", NULL), -1);
	assert_int_equal(csf_k8s_rescale_size("failed to get cpu utilization", NULL), -1);
	assert_int_equal(csf_k8s_rescale_size(NULL, NULL), -1);
}

static void
test_k8s_paths_and_queries(void **state)
{
	struct csf_buf b = CSF_BUF_INIT;

	(void)state;
	csf_k8s_path(&b, CSF_K8S_HPAS, "vetclinic-001");
	csf_k8s_query(&b, NULL, "involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale", 500,
		      "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ==");
	assert_string_equal(b.buf, "/apis/autoscaling/v2/namespaces/vetclinic-001/horizontalpodautoscalers"
			    "?fieldSelector=involvedObject.kind%3DHorizontalPodAutoscaler%2Creason%3DSuccessfulRescale"
			    "&limit=500&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ%3D%3D");
	csf_buf_reset(&b);
	csf_k8s_path(&b, CSF_K8S_NAMESPACES, "ignored");
	csf_k8s_query(&b, "csf.connectsoft.io/tenant", NULL, 0, NULL);
	assert_string_equal(b.buf, "/api/v1/namespaces?labelSelector=csf.connectsoft.io%2Ftenant");
	csf_buf_reset(&b);
	csf_k8s_path(&b, CSF_K8S_SCALEDOBJECTS, NULL);
	assert_string_equal(b.buf, "/apis/keda.sh/v1alpha1/scaledobjects");
	csf_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_k8s_quantity),
		cmocka_unit_test(test_k8s_time),
		cmocka_unit_test(test_k8s_namespaces_labels),
		cmocka_unit_test(test_k8s_deployment_omitempty),
		cmocka_unit_test(test_k8s_hpa_traps),
		cmocka_unit_test(test_k8s_paging_appends),
		cmocka_unit_test(test_k8s_scaledobject_defaults),
		cmocka_unit_test(test_k8s_events),
		cmocka_unit_test(test_k8s_status_errors),
		cmocka_unit_test(test_k8s_malformed),
		cmocka_unit_test(test_k8s_rescale_message),
		cmocka_unit_test(test_k8s_paths_and_queries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
