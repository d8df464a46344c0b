/* kubeconfig loading (core/kubeconfig): every authentication kind (token, tokenFile, client
 * certificate data/files, exec plugin v1/v1beta1 with caching, insecure-skip-tls-verify),
 * $KUBECONFIG-style merging, --context, in-cluster, and errors at file:line:col that never
 * carry a secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/fsutil.h"
#include "core/kubeconfig.h"

/* "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" */
#define CA_B64 "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="

struct fx {
	char dir[64];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/csf-kc.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	unsetenv("KUBECONFIG");
	unsetenv("KUBERNETES_SERVICE_HOST");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static char *
put(struct fx *f, const char *name, const char *text, int mode)
{
	char *p = csf_path_join(f->dir, name);
	FILE *fp = fopen(p, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	chmod(p, (mode_t)mode);
	return p;
}

static const char head[] =
	"apiVersion: v1\nkind: Config\ncurrent-context: prod\n"
	"clusters:\n- name: prod\n  cluster:\n    server: https://192.0.2.10:6443/prefix/\n"
	"    certificate-authority-data: " CA_B64 "\n"
	"contexts:\n- name: prod\n  context: {cluster: prod, user: u}\n";

static struct csf_kube_config *
load(struct fx *f, const char *text, const char *context, struct csf_error *err, enum csf_status want)
{
	char *p = put(f, "config", text, 0600);
	struct csf_kubeconfig_opts o = { p, context, NULL };
	struct csf_kube_config *k = NULL;

	assert_int_equal(csf_kubeconfig_load(&o, &k, err), want);
	free(p);
	return k;
}

static void
test_kubeconfig_token(void **state)
{
	struct fx *f = *state;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_kube_config *k = load(f, "apiVersion: v1\nkind: Config\ncurrent-context: prod\n"
		"clusters:\n- name: prod\n  cluster:\n    server: https://192.0.2.10:6443/prefix/\n"
		"    certificate-authority-data: " CA_B64 "\n"
		"contexts:\n- name: prod\n  context: {cluster: prod, user: u, namespace: vetclinic-001}\n"
		"users:\n- name: u\n  user: {token: s3cr3t, tokenFile: /nonexistent}\n", NULL, &err, CSF_E_OK);
	struct csf_http_opts o;

	(void)state;
	assert_string_equal(k->server, "https://192.0.2.10:6443/prefix");
	assert_string_equal(k->namespace, "vetclinic-001");
	assert_string_equal(k->context, "prod");
	assert_memory_equal(k->ca_pem.buf, "-----BEGIN CERTIFICATE-----\nMIIB\n", 33);
	assert_false(k->insecure);
	/* token wins over tokenFile: the file is never read */
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_OK);
	assert_string_equal(k->token, "s3cr3t");
	memset(&o, 0, sizeof(o));
	csf_kube_http_opts(k, &o);
	assert_string_equal(o.bearer_token, "s3cr3t");
	assert_int_equal(o.tls.ca_len, k->ca_pem.len);
	assert_null(o.tls.cert_pem);
	csf_kube_config_free(k);
}

static void
test_kubeconfig_token_file(void **state)
{
	struct fx *f = *state;
	struct csf_error err = CSF_ERROR_INIT;
	char text[1024];
	struct csf_kube_config *k;

	free(put(f, "tok", "\n  abc.def-ghi  \n", 0600));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user: {tokenFile: tok}\n", head);
	k = load(f, text, NULL, &err, CSF_E_OK);
	assert_null(k->token);
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_OK);
	assert_string_equal(k->token, "abc.def-ghi");
	/* rotated on disk: read again on the next request */
	free(put(f, "tok", "rotated\n", 0600));
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_OK);
	assert_string_equal(k->token, "rotated");
	free(put(f, "tok", "   \n", 0600));
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_AUTH);
	assert_non_null(strstr(err.msg, "tokenFile is empty"));
	csf_kube_config_free(k);
}

static void
test_kubeconfig_client_cert(void **state)
{
	struct fx *f = *state;
	struct csf_error err = CSF_ERROR_INIT;
	char text[2048];
	struct csf_kube_config *k;

	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user:\n    client-certificate-data: %s\n"
		 "    client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==\n", head, CA_B64);
	k = load(f, text, NULL, &err, CSF_E_OK);
	assert_memory_equal(k->cert_pem.buf, "-----BEGIN CERTIFICATE-----", 27);
	assert_string_equal(k->key_pem.buf, "-----BEGIN PRIVATE KEY-----\n");
	csf_kube_config_free(k);
	/* file paths, relative to the kubeconfig's folder; CA as a file too */
	free(put(f, "c.crt", "CERT PEM\n", 0600));
	free(put(f, "c.key", "KEY PEM\n", 0600));
	free(put(f, "ca.crt", "CA PEM\n", 0600));
	k = load(f, "clusters:\n- name: prod\n  cluster: {server: 'https://h', certificate-authority: ca.crt}\n"
		 "contexts:\n- name: prod\n  context: {cluster: prod, user: u}\ncurrent-context: prod\n"
		 "users:\n- name: u\n  user: {client-certificate: c.crt, client-key: c.key}\n", NULL, &err,
		 CSF_E_OK);
	assert_string_equal(k->cert_pem.buf, "CERT PEM\n");
	assert_string_equal(k->key_pem.buf, "KEY PEM\n");
	assert_string_equal(k->ca_pem.buf, "CA PEM\n");
	csf_kube_config_free(k);
	/* a certificate without its key */
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user: {client-certificate: c.crt}\n", head);
	load(f, text, NULL, &err, CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "needs both the certificate and the key"));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user: {client-key: missing.key, client-certificate: c.crt}\n", head);
	load(f, text, NULL, &err, CSF_E_IO);
	assert_non_null(strstr(err.msg, "cannot read client key"));
	assert_int_equal(err.loc.line, 14);
}

static void
test_kubeconfig_exec_plugin(void **state)
{
	struct fx *f = *state;
	struct csf_error err = CSF_ERROR_INIT;
	char text[2048], *count;
	struct csf_kube_config *k;
	struct csf_buf b = CSF_BUF_INIT;

	count = csf_path_join(f->dir, "runs");
	free(put(f, "plugin.sh",
		 "#!/bin/sh\necho run >> \"$(dirname \"$0\")/runs\"\n"
		 "[ \"$1\" = get-token ] && [ \"$PROFILE\" = prod ] || exit 9\n"
		 "case $KUBERNETES_EXEC_INFO in *'\"apiVersion\":\"client.authentication.k8s.io/v1'*) ;; *) exit 8;; esac\n"
		 "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
		 "\"status\":{\"token\":\"k8s-aws-v1.tok\",\"expirationTimestamp\":\"2026-11-26T19:40:00Z\"}}'\n", 0700));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user:\n    exec:\n"
		 "      apiVersion: client.authentication.k8s.io/v1\n      command: ./plugin.sh\n"
		 "      args: [get-token]\n      env: [{name: PROFILE, value: prod}]\n"
		 "      interactiveMode: Never\n", head);
	k = load(f, text, NULL, &err, CSF_E_OK);
	assert_true(k->has_exec);
	assert_null(k->token);
	assert_int_equal(csf_kube_credentials(k, false, 1795718000, &err), CSF_E_OK);
	assert_string_equal(k->token, "k8s-aws-v1.tok");
	assert_int_equal(k->exec_expiry, 1795722000);
	/* cached until it expires, re-run when forced (after a 401) or expired */
	assert_int_equal(csf_kube_credentials(k, false, 1795718100, &err), CSF_E_OK);
	assert_int_equal(csf_buf_read_file(&b, count, 4096), 0);
	assert_string_equal(b.buf, "run\n");
	assert_int_equal(csf_kube_credentials(k, true, 1795718100, &err), CSF_E_OK);
	assert_int_equal(csf_kube_credentials(k, false, 1795722100, &err), CSF_E_OK);
	csf_buf_reset(&b);
	assert_int_equal(csf_buf_read_file(&b, count, 4096), 0);
	assert_string_equal(b.buf, "run\nrun\nrun\n");
	csf_kube_config_free(k);

	/* v1beta1 answering with another apiVersion is refused */
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user:\n    exec: {apiVersion: "
		 "client.authentication.k8s.io/v1beta1, command: %s/plugin.sh, args: [get-token], "
		 "env: [{name: PROFILE, value: prod}]}\n", head, f->dir);
	k = load(f, text, NULL, &err, CSF_E_OK);
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_AUTH);
	assert_non_null(strstr(err.msg, "answered apiVersion 'client.authentication.k8s.io/v1', expected "
			       "'client.authentication.k8s.io/v1beta1'"));
	csf_kube_config_free(k);

	/* client certificate from the plugin (PEM text, not base64) */
	free(put(f, "certplugin.sh", "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
		 "\"kind\":\"ExecCredential\",\"status\":{\"clientCertificateData\":\"-----BEGIN CERTIFICATE-----\\nX\\n\","
		 "\"clientKeyData\":\"-----BEGIN PRIVATE KEY-----\\nY\\n\"}}'\n", 0700));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user:\n    exec: {apiVersion: "
		 "client.authentication.k8s.io/v1beta1, command: ./certplugin.sh}\n", head);
	k = load(f, text, NULL, &err, CSF_E_OK);
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_OK);
	assert_string_equal(k->cert_pem.buf, "-----BEGIN CERTIFICATE-----\nX\n");
	assert_string_equal(k->key_pem.buf, "-----BEGIN PRIVATE KEY-----\nY\n");
	assert_null(k->token);
	csf_kube_config_free(k);

	/* provideClusterInfo: spec.cluster carries the server and the CA (base64) */
	free(put(f, "info.sh", "#!/bin/sh\nprintf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$(dirname \"$0\")/info.json\"\n"
		 "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
		 "\"status\":{\"token\":\"t\"}}'\n", 0700));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user:\n    exec: {apiVersion: "
		 "client.authentication.k8s.io/v1, command: ./info.sh, provideClusterInfo: true}\n", head);
	k = load(f, text, NULL, &err, CSF_E_OK);
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_OK);
	csf_kube_config_free(k);
	csf_buf_reset(&b);
	free(count);
	count = csf_path_join(f->dir, "info.json");
	assert_int_equal(csf_buf_read_file(&b, count, 4096), 0);
	assert_string_equal(b.buf, "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\","
			    "\"spec\":{\"cluster\":{\"server\":\"https://192.0.2.10:6443/prefix\","
			    "\"certificate-authority-data\":\"" CA_B64 "\"},\"interactive\":false}}");

	/* a failing plugin: exit status and its first stderr line */
	free(put(f, "bad.sh", "#!/bin/sh\necho 'token expired, run: aws sso login' >&2\necho more >&2\nexit 3\n", 0700));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user:\n    exec: {apiVersion: "
		 "client.authentication.k8s.io/v1, command: ./bad.sh}\n", head);
	k = load(f, text, NULL, &err, CSF_E_OK);
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_AUTH);
	assert_non_null(strstr(err.msg, "failed (exit status 3): token expired, run: aws sso login"));
	csf_kube_config_free(k);

	/* a plugin that hangs is killed */
	free(put(f, "hang.sh", "#!/bin/sh\nexec sleep 30\n", 0700));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user:\n    exec: {apiVersion: "
		 "client.authentication.k8s.io/v1, command: ./hang.sh}\n", head);
	k = load(f, text, NULL, &err, CSF_E_OK);
	k->exec.timeout_ms = 300;
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_AUTH);
	assert_non_null(strstr(err.msg, "did not finish within 300 ms"));
	csf_kube_config_free(k);

	/* a command that does not exist */
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user:\n    exec: {apiVersion: "
		 "client.authentication.k8s.io/v1, command: csf-no-such-plugin}\n", head);
	k = load(f, text, NULL, &err, CSF_E_OK);
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_AUTH);
	assert_non_null(strstr(err.msg, "exit status 127"));
	csf_kube_config_free(k);
	csf_buf_release(&b);
	free(count);
}

static void
test_kubeconfig_insecure(void **state)
{
	struct fx *f = *state;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_kube_config *k;
	const char *base = "current-context: c\ncontexts:\n- name: c\n  context: {cluster: x}\n"
			   "clusters:\n- name: x\n  cluster:\n    server: https://h\n";
	char text[512];

	snprintf(text, sizeof(text), "%s    insecure-skip-tls-verify: true\n", base);
	k = load(f, text, NULL, &err, CSF_E_OK);
	assert_true(k->insecure);
	assert_int_equal(k->ca_pem.len, 0);
	csf_kube_config_free(k);
	snprintf(text, sizeof(text), "%s    insecure-skip-tls-verify: false\n", base);
	k = load(f, text, NULL, &err, CSF_E_OK);
	assert_false(k->insecure);
	csf_kube_config_free(k);
	snprintf(text, sizeof(text), "%s    insecure-skip-tls-verify: \"yes please\"\n", base);
	load(f, text, NULL, &err, CSF_E_PARSE);
	assert_int_equal(err.loc.line, 9);
	assert_int_equal(err.loc.col, 31);
	/* no user at all: anonymous */
	k = load(f, base, NULL, &err, CSF_E_OK);
	assert_null(k->token);
	assert_string_equal(k->namespace, "default");
	csf_kube_config_free(k);
}

static void
test_kubeconfig_merge(void **state)
{
	struct fx *f = *state;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_kube_config *k = NULL;
	char *a = put(f, "a", "current-context: first\ncontexts:\n- name: first\n  context: {cluster: c, user: u}\n"
		      "users:\n- name: u\n  user: {token: from-a}\n", 0600);
	char *b = put(f, "b", "current-context: second\ncontexts:\n- name: first\n  context: {cluster: nope}\n"
		      "- name: second\n  context: {cluster: c, user: u}\n"
		      "clusters:\n- name: c\n  cluster: {server: 'https://c.example'}\n"
		      "users:\n- name: u\n  user: {token: from-b}\n", 0600);
	char list[512];
	struct csf_kubeconfig_opts o = { list, NULL, NULL };

	snprintf(list, sizeof(list), "%s:%s/missing:%s", a, f->dir, b);
	assert_int_equal(csf_kubeconfig_load(&o, &k, &err), CSF_E_OK);
	assert_string_equal(k->context, "first");	/* current-context of the first file */
	assert_string_equal(k->server, "https://c.example");
	assert_string_equal(k->token, "from-a");	/* first file wins per name */
	csf_kube_config_free(k);
	o.context = "second";
	assert_int_equal(csf_kubeconfig_load(&o, &k, &err), CSF_E_OK);
	assert_string_equal(k->context, "second");
	csf_kube_config_free(k);
	/* $KUBECONFIG */
	o.paths = NULL;
	o.context = NULL;
	setenv("KUBECONFIG", list, 1);
	assert_int_equal(csf_kubeconfig_load(&o, &k, &err), CSF_E_OK);
	assert_string_equal(k->token, "from-a");
	csf_kube_config_free(k);
	unsetenv("KUBECONFIG");
	free(a);
	free(b);
}

static void
test_kubeconfig_errors_at_positions(void **state)
{
	struct fx *f = *state;
	struct csf_error err = CSF_ERROR_INIT;
	char text[1024];

	(void)state;
	load(f, "current-context: ghost\ncontexts: []\n", NULL, &err, CSF_E_NOTFOUND);
	assert_string_equal(err.msg, "context 'ghost' not found in the kubeconfig");
	assert_int_equal(err.loc.line, 1);
	assert_int_equal(err.loc.col, 18);
	assert_non_null(strstr(err.file, "/config"));
	load(f, head, "other", &err, CSF_E_NOTFOUND);
	assert_string_equal(err.msg, "context 'other' not found in the kubeconfig");
	load(f, head, NULL, &err, CSF_E_NOTFOUND);
	assert_string_equal(err.msg, "user 'u' not found in the kubeconfig");
	assert_int_equal(err.loc.line, 11);
	load(f, "contexts: []\n", NULL, &err, CSF_E_USAGE);
	assert_non_null(strstr(err.msg, "no current-context"));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user:\n    token: SECRET-TOKEN\n"
		 "    client-certificate-data: 'not*base64'\n    client-key-data: eA==\n", head);
	load(f, text, NULL, &err, CSF_E_PARSE);
	assert_string_equal(err.msg, "client-certificate-data is not valid base64");
	assert_int_equal(err.loc.line, 16);
	assert_null(strstr(err.msg, "SECRET"));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user:\n    auth-provider: {name: gcp, config: {access-token: SECRET}}\n", head);
	load(f, text, NULL, &err, CSF_E_AUTH);
	assert_non_null(strstr(err.msg, "auth-provider 'gcp' is not supported"));
	assert_int_equal(err.loc.line, 15);
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user: {username: admin, password: SECRET}\n", head);
	load(f, text, NULL, &err, CSF_E_AUTH);
	assert_non_null(strstr(err.msg, "basic) authentication is not supported"));
	assert_null(strstr(err.msg, "SECRET"));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user: {exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}}\n", head);
	load(f, text, NULL, &err, CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "exec.apiVersion must be"));
	snprintf(text, sizeof(text), "%susers:\n- name: u\n  user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: x, interactiveMode: Always}}\n", head);
	load(f, text, NULL, &err, CSF_E_AUTH);
	assert_non_null(strstr(err.msg, "interactive"));
	load(f, "current-context: c\ncontexts:\n- name: c\n  context: {cluster: x}\nclusters:\n- name: x\n"
	     "  cluster: {server: ftp://h}\n", NULL, &err, CSF_E_PARSE);
	assert_non_null(strstr(err.msg, "server must be an http(s):// URL"));
	assert_int_equal(err.loc.line, 7);
	load(f, "key: [unclosed\n", NULL, &err, CSF_E_PARSE);
	assert_true(err.loc.line >= 1);
	load(f, "- just\n- a list\n", NULL, &err, CSF_E_PARSE);
}

static void
test_kubeconfig_in_cluster(void **state)
{
	struct fx *f = *state;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_kube_config *k = NULL;
	char nohome[128];
	struct csf_kubeconfig_opts o = { NULL, NULL, f->dir };

	free(put(f, "token", "sa-token\n", 0600));
	free(put(f, "ca.crt", "SA CA\n", 0600));
	free(put(f, "namespace", "ops\n", 0600));
	snprintf(nohome, sizeof(nohome), "%s/nohome", f->dir);
	setenv("HOME", nohome, 1);
	assert_int_equal(csf_kubeconfig_load(&o, &k, &err), CSF_E_NOTFOUND);
	assert_non_null(strstr(err.msg, "no kubeconfig found"));
	setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	assert_int_equal(csf_kubeconfig_load(&o, &k, &err), CSF_E_OK);
	assert_string_equal(k->server, "https://10.96.0.1:443");
	assert_string_equal(k->namespace, "ops");
	assert_string_equal(k->ca_pem.buf, "SA CA\n");
	assert_int_equal(csf_kube_credentials(k, false, 0, &err), CSF_E_OK);
	assert_string_equal(k->token, "sa-token");
	csf_kube_config_free(k);
	unsetenv("KUBERNETES_SERVICE_HOST");
}

static void
test_kubeconfig_base64(void **state)
{
	struct csf_buf b = CSF_BUF_INIT;

	(void)state;
	assert_true(csf_base64_decode("aGVs\nbG8=", 9, &b));
	assert_string_equal(b.buf, "hello");
	csf_buf_reset(&b);
	assert_true(csf_base64_decode("aGVsbG8", 7, &b));	/* padding optional */
	assert_string_equal(b.buf, "hello");
	csf_buf_reset(&b);
	assert_true(csf_base64_decode("-_8=", 4, &b));		/* URL-safe alphabet */
	assert_int_equal(b.len, 2);
	assert_int_equal((unsigned char)b.buf[0], 0xfb);
	assert_false(csf_base64_decode("ab$c", 4, &b));
	assert_false(csf_base64_decode("ab=c", 4, &b));
	csf_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kubeconfig_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_token_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_client_cert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_exec_plugin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_insecure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_errors_at_positions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kubeconfig_in_cluster, setup, teardown),
		cmocka_unit_test(test_kubeconfig_base64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
