/* libFuzzer target: the Prometheus query/query_range response parser (core/prom) on arbitrary
 * bytes, with the HTTP status taken from the first byte (200, 400, 404, 422, 500, 503).
 * Properties: a failure leaves an empty result; every series' samples and labels are readable;
 * the value parser agrees with itself on the sample strings it accepted.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/prom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 400, 404, 422, 500, 503 };
	struct csf_prom_result r;
	struct csf_error err = CSF_ERROR_INIT;
	size_t i, k;
	double sum = 0;
	char line[128];
	double v;

	if (!size)
		return 0;
	if (csf_prom_parse((const char *)data + 1, size - 1, statuses[data[0] % 6], "fuzz", &r, &err)) {
		if (r.nseries || r.series || r.nwarnings)
			abort();
		if (!err.msg[0])
			abort();
	} else {
		for (i = 0; i < r.nseries; i++) {
			for (k = 0; k < r.series[i].nlabels; k++)
				if (!r.series[i].labels[k].name || !r.series[i].labels[k].value)
					abort();
			for (k = 0; k < r.series[i].nsamples; k++)
				if (!isnan(r.series[i].samples[k].v))
					sum += r.series[i].samples[k].t;
			(void)csf_prom_series_label(&r.series[i], "__name__");
		}
		for (i = 0; i < r.nwarnings; i++)
			if (!r.warnings[i])
				abort();
	}
	(void)sum;
	csf_prom_result_release(&r);
	k = size - 1 < sizeof(line) - 1 ? size - 1 : sizeof(line) - 1;
	memcpy(line, data + 1, k);
	line[k] = '\0';
	if (csf_prom_value(line, &v) && !csf_prom_value(line, &v))
		abort();
	(void)csf_prom_step((int64_t)data[0] * 1000, (int64_t)size * 977, data[0] % 7);
	return 0;
}
