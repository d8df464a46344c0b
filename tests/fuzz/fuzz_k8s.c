/* libFuzzer target: the Kubernetes API response parsers (core/k8s) on arbitrary bytes.
 *
 * The first byte picks the list kind (mod 5: namespaces, deployments, HPAs, ScaledObjects,
 * events); the rest is the response body. The body is parsed twice into the same list (paging
 * appends), as a Status, through the error formatter, and its first line goes through the
 * quantity, time and rescale-message parsers. Properties: a failed parse adds no items; every
 * item's required strings are non-NULL; a continue token is never empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/k8s.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
count(const struct csf_k8s_list *l)
{
	return l->nnamespaces + l->ndeployments + l->nhpas + l->nscaledobjects + l->nevents;
}

static void
check(const struct csf_k8s_list *l)
{
	size_t i;

	for (i = 0; i < l->nnamespaces; i++)
		if (!l->namespaces[i].name || !l->namespaces[i].phase)
			abort();
	for (i = 0; i < l->ndeployments; i++) {
		if (!l->deployments[i].name || !l->deployments[i].namespace)
			abort();
		(void)csf_k8s_deployment_version(&l->deployments[i]);
	}
	for (i = 0; i < l->nhpas; i++)
		if (!l->hpas[i].target_name || (l->hpas[i].nmetrics && !l->hpas[i].metrics[0].name))
			abort();
	for (i = 0; i < l->nscaledobjects; i++)
		if (!l->scaledobjects[i].hpa_name)
			abort();
	for (i = 0; i < l->nevents; i++) {
		if (!l->events[i].message || !l->events[i].reason || l->events[i].count < 1)
			abort();
		(void)csf_k8s_rescale_size(l->events[i].message, NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csf_k8s_list l = CSF_K8S_LIST_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_k8s_status st;
	const char *body, *cont = NULL;
	enum csf_k8s_kind kind;
	size_t len, before, n;
	char line[256];
	double q;
	int64_t t;

	if (!size)
		return 0;
	kind = (enum csf_k8s_kind)(data[0] % 5);
	body = (const char *)data + 1;
	len = size - 1;
	for (int pass = 0; pass < 2; pass++) {
		before = count(&l);
		if (csf_k8s_parse_list(kind, body, len, "fuzz", &l, &cont, &err) != CSF_E_OK) {
			if (count(&l) != before)
				abort();
		} else if (cont && !*cont) {
			abort();
		}
		check(&l);
	}
	(void)csf_k8s_parse_status(body, len, &st);
	(void)csf_k8s_reply_error(500, body, len, "fuzz", &err);
	n = len < sizeof(line) - 1 ? len : sizeof(line) - 1;
	memcpy(line, body, n);
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	(void)csf_k8s_quantity(line, &q);
	(void)csf_k8s_time(line, &t);
	(void)csf_k8s_rescale_size(line, NULL);
	csf_k8s_list_release(&l);
	return 0;
}
