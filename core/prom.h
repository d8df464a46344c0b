/* Prometheus HTTP API: /api/v1/query_range (reference/formats.md §3).
 *
 * Responses are {"status":"success","data":{"resultType":"matrix","result":[{metric,values}]}}
 * with values as [unix seconds (number, may have a fraction), "value as string"], where the
 * string may be "NaN", "+Inf", "-Inf". Errors are {"status":"error","errorType":…,"error":…}.
 * Prometheus refuses more than 11,000 points per series: csf_prom_step picks a step that fits.
 */
#ifndef CSF_CORE_PROM_H
#define CSF_CORE_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"

#define CSF_PROM_MAX_POINTS 11000

struct csf_prom_sample {
	double t;			/* Unix seconds */
	double v;			/* NaN and ±Inf kept as such */
};

struct csf_prom_label {
	const char *name, *value;
};

struct csf_prom_series {
	struct csf_prom_label *labels;	/* the "metric" object, __name__ included when present */
	size_t nlabels;
	struct csf_prom_sample *samples;	/* ascending as sent */
	size_t nsamples;
};

struct csf_prom_result {
	struct csf_arena arena;		/* every string, label and sample array */
	const char *result_type;	/* "matrix", "vector", "scalar", "string" */
	struct csf_prom_series *series;
	size_t nseries;
	const char **warnings;		/* top-level "warnings" */
	size_t nwarnings;
};

/* Releases everything in r and zeroes it. */
void csf_prom_result_release(struct csf_prom_result *r);

/* The step (seconds, >= 1) for a range: at least min_step, and large enough that
 * (end - start) / step <= CSF_PROM_MAX_POINTS. end < start gives min_step (or 1). */
int64_t csf_prom_step(int64_t start, int64_t end, int64_t min_step);

/* Appends "/api/v1/query_range?query=…&start=…&end=…&step=…" to out (base URL first, with its
 * trailing '/' removed). base may be "" to get the path only. */
void csf_prom_query_range_url(struct csf_buf *out, const char *base, const char *query,
			      int64_t start, int64_t end, int64_t step);

/* Parses a query or query_range response into r (which must be zeroed). http_status is the
 * reply's status (0 if unknown). A `status: error` body fails with CSF_E_HTTP and the message
 * "ERRORTYPE: error"; malformed JSON or a wrong shape fails with CSF_E_PARSE; a non-JSON error
 * reply (e.g. "404 page not found") fails with CSF_E_HTTP and its first line. name is used in
 * messages. On failure r holds nothing. */
enum csf_status csf_prom_parse(const char *json, size_t len, long http_status, const char *name,
			       struct csf_prom_result *r, struct csf_error *err);

/* Parses a Prometheus sample value string: a decimal/exponent number, "NaN", "+Inf", "-Inf",
 * "Inf". False for anything else. */
bool csf_prom_value(const char *s, double *out);

/* The value of label name in s, or NULL. */
const char *csf_prom_series_label(const struct csf_prom_series *s, const char *name);

#endif
