/* libFuzzer target: kubeconfig loading (core/kubeconfig) on arbitrary bytes.
 *
 * The input is a kubeconfig in a memfd, loaded with and without a --context; when it loads, the
 * HTTP options are derived from it. Credentials are never resolved here (that would run exec
 * plugins named by the input). Properties: a loaded config has a server URL and a namespace;
 * an error has a message; the base64 decoder never writes more than 3/4 of its input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/kubeconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("kubeconfig", 0);
	char path[64];
	struct csf_kubeconfig_opts o = { path, NULL, "/nonexistent" };
	struct csf_kube_config *k = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_buf b = CSF_BUF_INIT;
	int pass;

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	unsetenv("KUBERNETES_SERVICE_HOST");
	for (pass = 0; pass < 2; pass++) {
		o.context = pass ? "prod" : NULL;
		if (csf_kubeconfig_load(&o, &k, &err) == CSF_E_OK) {
			struct csf_http_opts h;

			if (!k->server || !k->namespace || strncmp(k->server, "http", 4))
				abort();
			memset(&h, 0, sizeof(h));
			csf_kube_http_opts(k, &h);
			csf_kube_config_free(k);
			k = NULL;
		} else if (!err.msg[0]) {
			abort();
		}
	}
	close(fd);
	if (csf_base64_decode((const char *)data, size, &b) && b.len > (size * 3) / 4 + 3)
		abort();
	csf_buf_release(&b);
	return 0;
}
