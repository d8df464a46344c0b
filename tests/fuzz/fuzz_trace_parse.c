/* libFuzzer target: every trace format parser (OTLP/JSON, Jaeger and Zipkin on the pull
 * tokenizer, Tempo search on cJSON), then the tree, the critical path, a filter and a self-compare on
 * whatever was parsed, and the terminal sanitizer on every string. Nothing may crash, hang,
 * leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "core/status.h"
#include "core/trace.h"
#include "core/trace_parse.h"
#include "core/trace_source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csf_trace_set *set = csf_trace_set_new();
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_trace_filter f = CSF_TRACE_FILTER_INIT;
	struct csf_buf out = CSF_BUF_INIT;
	enum csf_trace_format fmt = CSF_TRACE_AUTO;
	size_t i, k;

	/* the first byte picks the format half of the time, like a caller that knows it */
	if (size && data[0] < 5 * 16) {
		fmt = (enum csf_trace_format)(data[0] % 5);
		data++;
		size--;
	}
	(void)csf_trace_parse(set, "fuzz.json", (const char *)data, size, fmt, NULL, &err);
	csf_sanitize_buf(&out, err.msg, strlen(err.msg), 0);
	csf_trace_set_build(set);
	(void)csf_trace_filter_add(&f, "duration>1ms", &err);
	(void)csf_trace_filter_add(&f, "tenantId~a", &err);
	for (i = 0; i < set->ntraces; i++) {
		struct csf_trace *t = &set->traces[i];
		struct csf_trace_diff d = CSF_TRACE_DIFF_INIT;
		struct csf_trace_summary sm;

		csf_trace_critical_path(t);
		csf_trace_filter_apply(&f, set, t, true);
		csf_trace_fold_level(t, (unsigned)(size % 4));
		{
			uint32_t *rows = malloc((t->nspans + 1) * sizeof(*rows));

			if (rows && csf_trace_rows(t, rows) > t->nspans)
				__builtin_trap();
			free(rows);
		}
		csf_trace_summarize(t, &sm);
		if (t->nspans < 5000)
			csf_trace_compare(t, t, 1000000, 10.0, &d);
		csf_trace_diff_release(&d);
		for (k = 0; k < t->nspans && k < 64; k++) {
			csf_buf_reset(&out);
			csf_sanitize_buf(&out, t->spans[k].name, strlen(t->spans[k].name), 0);
			csf_sanitize_buf(&out, t->spans[k].status_msg, strlen(t->spans[k].status_msg),
					 CSF_SAN_ASCII);
		}
	}
	for (k = 0; k < set->nattrs && k < 256; k++)
		csf_sanitize_buf(&out, set->attrs[k].value, strlen(set->attrs[k].value), 0);
	/* the HTTP response path on the same bytes */
	{
		struct csf_trace_set *s2 = csf_trace_set_new();

		(void)csf_trace_parse_response(size % 2 ? CSF_TB_TEMPO : CSF_TB_JAEGER, size % 3 == 0,
					       "http://x/api", size % 7 ? 200 : 404,
					       "application/json", (const char *)data, size, s2, &err);
		csf_trace_set_free(s2);
	}
	csf_trace_filter_release(&f);
	csf_buf_release(&out);
	csf_trace_set_free(set);
	return 0;
}
