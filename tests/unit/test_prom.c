/* Prometheus query_range (core/prom): the 11,000-point limit, URL encoding, values as strings
 * with NaN/±Inf, fractional timestamps, error bodies (reference/formats.md §3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "core/prom.h"

static void
test_prom_step_limit(void **state)
{
	(void)state;
	/* 6 h at step 1 would be 21,601 points: Prometheus refuses it. */
	assert_int_equal(csf_prom_step(0, 21600, 1), 2);
	assert_true(21600 / csf_prom_step(0, 21600, 1) <= CSF_PROM_MAX_POINTS);
	/* exactly 11,000 steps (11,001 points) is accepted by Prometheus */
	assert_int_equal(csf_prom_step(0, 11000, 1), 1);
	assert_int_equal(csf_prom_step(0, 11001, 1), 2);
	/* the caller's minimum wins when larger */
	assert_int_equal(csf_prom_step(0, 3600, 60), 60);
	/* 7 days */
	assert_int_equal(csf_prom_step(0, 604800, 1), 55);
	assert_true(604800 / 55 <= CSF_PROM_MAX_POINTS);
	assert_int_equal(csf_prom_step(100, 50, 0), 1);
}

static void
test_prom_url(void **state)
{
	struct csf_buf b = CSF_BUF_INIT;

	(void)state;
	csf_prom_query_range_url(&b, "http://127.0.0.1:9090/",
				 "kube_horizontalpodautoscaler_status_current_replicas{namespace=\"vetclinic-001\","
				 "horizontalpodautoscaler=~\"a|b\"}", 1795698721, 1795720321, 900);
	assert_string_equal(b.buf, "http://127.0.0.1:9090/api/v1/query_range?query="
			    "kube_horizontalpodautoscaler_status_current_replicas%7Bnamespace%3D%22vetclinic-001%22%2C"
			    "horizontalpodautoscaler%3D~%22a%7Cb%22%7D&start=1795698721&end=1795720321&step=900");
	csf_buf_release(&b);
}

static void
test_prom_matrix_values(void **state)
{
	static const char js[] =
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
		"{\"metric\":{\"__name__\":\"kube_deployment_status_replicas\",\"namespace\":\"vetclinic-001\","
		"\"deployment\":\"booking-service\"},\"values\":[[1795698721,\"5\"],[1795699621.5,\"6\"],"
		"[1795700521,\"NaN\"],[1795701421,\"+Inf\"],[1795702321,\"-Inf\"],[1795703221,\"1e3\"]]},"
		"{\"metric\":{},\"values\":[]}]},\"warnings\":[\"PromQL info: metric might not be a counter\"]}";
	struct csf_prom_result r;
	struct csf_error err = CSF_ERROR_INIT;
	const struct csf_prom_series *s;

	(void)state;
	assert_int_equal(csf_prom_parse(js, strlen(js), 200, "q", &r, &err), CSF_E_OK);
	assert_string_equal(r.result_type, "matrix");
	assert_int_equal(r.nseries, 2);
	s = &r.series[0];
	assert_string_equal(csf_prom_series_label(s, "deployment"), "booking-service");
	assert_null(csf_prom_series_label(s, "pod"));
	assert_int_equal(s->nsamples, 6);
	assert_float_equal(s->samples[1].t, 1795699621.5, 1e-6);
	assert_float_equal(s->samples[1].v, 6, 0);
	assert_true(isnan(s->samples[2].v));
	assert_true(isinf(s->samples[3].v) && s->samples[3].v > 0);
	assert_true(isinf(s->samples[4].v) && s->samples[4].v < 0);
	assert_float_equal(s->samples[5].v, 1000, 0);
	assert_int_equal(r.series[1].nsamples, 0);
	assert_int_equal(r.nwarnings, 1);
	csf_prom_result_release(&r);
}

static void
test_prom_errors(void **state)
{
	static const char limit[] =
		"{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"exceeded maximum resolution of "
		"11,000 points per timeseries. Try decreasing the query resolution (?step=XX)\"}";
	static const char num[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
				  "[{\"metric\":{},\"values\":[[1,5]]}]}}";
	static const char scalar[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}}";
	static const char trunc[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"me";
	struct csf_prom_result r;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(csf_prom_parse(limit, strlen(limit), 400, "q", &r, &err), CSF_E_HTTP);
	assert_string_equal(err.msg, "bad_data: exceeded maximum resolution of 11,000 points per timeseries. "
			    "Try decreasing the query resolution (?step=XX)");
	assert_int_equal(r.nseries, 0);
	/* a plain-text 404 */
	assert_int_equal(csf_prom_parse("404 page not found\n", 19, 404, "q", &r, &err), CSF_E_HTTP);
	assert_string_equal(err.msg, "HTTP 404: 404 page not found");
	/* values must be strings */
	assert_int_equal(csf_prom_parse(num, strlen(num), 200, "q", &r, &err), CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "sample 0"));
	assert_int_equal(csf_prom_parse(scalar, strlen(scalar), 200, "q", &r, &err), CSF_E_PARSE);
	assert_int_equal(csf_prom_parse(trunc, strlen(trunc), 200, "q", &r, &err), CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "malformed JSON"));
	assert_int_equal(csf_prom_parse("{}", 2, 200, "q", &r, &err), CSF_E_PARSE);
}

static void
test_prom_value_strings(void **state)
{
	double v;

	(void)state;
	assert_true(csf_prom_value("12.5", &v) && v == 12.5);
	assert_true(csf_prom_value("-0.25e2", &v) && v == -25);
	assert_false(csf_prom_value("nan", &v));
	assert_false(csf_prom_value("0x10", &v));
	assert_false(csf_prom_value("infinity", &v));
	assert_false(csf_prom_value("", &v));
	assert_false(csf_prom_value("5 ", &v));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prom_step_limit),
		cmocka_unit_test(test_prom_url),
		cmocka_unit_test(test_prom_matrix_values),
		cmocka_unit_test(test_prom_errors),
		cmocka_unit_test(test_prom_value_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
