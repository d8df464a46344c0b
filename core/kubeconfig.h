/* kubeconfig loading and authentication (reference/formats.md §1.7).
 *
 * Loading rules follow client-go: the `:`-separated $KUBECONFIG list is merged in order (the
 * first file that names a cluster, context or user wins for that name; current-context comes
 * from the first file that has one; missing files in the list are skipped), else
 * ~/.kube/config, else the in-cluster service account when $KUBERNETES_SERVICE_HOST is set.
 * The context is opts->context, else current-context.
 *
 * Supported: server (with a path prefix), certificate-authority(-data), client-certificate(-data),
 * client-key(-data), token, tokenFile (token wins), exec plugins (client.authentication.k8s.io/v1
 * and v1beta1: command, args, env, credential cached until expirationTimestamp),
 * insecure-skip-tls-verify (only when the file says true), tls-server-name, the context namespace.
 * auth-provider and username/password are rejected with a clear message. Errors point at the
 * file:line:col of the offending entry.
 *
 * Secrets (token, client key) are kept in memory only, wiped on free, and never put into an
 * error message.
 */
#ifndef CSF_CORE_KUBECONFIG_H
#define CSF_CORE_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/http.h"
#include "core/status.h"

struct csf_kube_exec {
	char *api_version;		/* client.authentication.k8s.io/v1 or …/v1beta1 */
	char *command;			/* resolved against the kubeconfig folder when it holds a '/' */
	char **args;
	size_t nargs;
	char **env;			/* "NAME=value" */
	size_t nenv;
	char *interactive_mode;		/* Never | IfAvailable | Always (NULL = Never) */
	bool provide_cluster_info;
	long timeout_ms;		/* how long the plugin may run; default 30000 */
};

struct csf_kube_config {
	char *context, *cluster, *user;	/* names */
	char *namespace;		/* context namespace, "default" when absent */
	char *server;			/* without a trailing '/' */
	char *source;			/* file that defined the context (for messages) */
	struct csf_buf ca_pem;		/* empty = system CA store */
	bool insecure;			/* insecure-skip-tls-verify: true */
	char *tls_server_name;		/* or NULL */
	struct csf_buf cert_pem;	/* client certificate (from file, data, or exec) */
	struct csf_buf key_pem;		/* client key: secret */
	char *token;			/* bearer token: secret; NULL when none */
	char *token_file;		/* re-read by csf_kube_credentials when token is not set */
	bool has_static_token;		/* the token came from the kubeconfig itself */
	bool has_exec;
	struct csf_kube_exec exec;
	int64_t exec_expiry;		/* Unix seconds; 0 = no credential cached / no expiry */
	bool exec_cached;
};

struct csf_kubeconfig_opts {
	const char *paths;		/* ':'-list of files; NULL = $KUBECONFIG, else ~/.kube/config */
	const char *context;		/* NULL = current-context */
	const char *sa_dir;		/* in-cluster service account folder; NULL = the standard one */
};

/* Loads and resolves the context. Caller owns *out; free with csf_kube_config_free(). Does not
 * run exec plugins or read token files: see csf_kube_credentials. */
enum csf_status csf_kubeconfig_load(const struct csf_kubeconfig_opts *opts,
				    struct csf_kube_config **out, struct csf_error *err);

/* Wipes the secrets and frees k. NULL is ok. */
void csf_kube_config_free(struct csf_kube_config *k);

/* Makes the credentials ready for a request at time `now` (Unix seconds): reads tokenFile, or
 * runs the exec plugin when it has no cached credential, the cached one expired, or force is
 * set (after a 401). The plugin gets the configured env plus KUBERNETES_EXEC_INFO (with
 * spec.cluster when provideClusterInfo is true) and must
 * print an ExecCredential with status.token or status.clientCertificateData + clientKeyData
 * (PEM text) and the same apiVersion. Blocks while the plugin runs (bounded by its timeout). */
enum csf_status csf_kube_credentials(struct csf_kube_config *k, bool force, int64_t now,
				     struct csf_error *err);

/* Sets the TLS and bearer-token fields of o from k (pointers borrowed from k: keep k alive
 * while the request is submitted). Other fields of o are left alone. */
void csf_kube_http_opts(const struct csf_kube_config *k, struct csf_http_opts *o);

/* Base64 decoding (standard alphabet, padding optional, whitespace ignored), appended to out.
 * False on any other character. */
bool csf_base64_decode(const char *s, size_t len, struct csf_buf *out);

#endif
