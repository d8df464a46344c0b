#include "core/kubeconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/fsutil.h"
#include "core/k8s.h"
#include "core/yaml_model.h"

#define KUBE_MAX_FILE (4u << 20)
#define KUBE_MAX_PLUGIN_OUTPUT (1u << 20)
#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

static const struct csf_loc noloc = { 0, 0 };

/* A named entry (cluster, context, user) and the file it came from. */
struct entry {
	const struct csf_node *body;	/* the "cluster"/"context"/"user" mapping */
	const struct csf_node *item;	/* the list item, for positions */
	const struct csf_yaml_doc *doc;
};

struct loader {
	struct csf_yaml_doc **docs;
	size_t ndocs, docs_alloc;
};

bool
csf_base64_decode(const char *s, size_t len, struct csf_buf *out)
{
	unsigned acc = 0;
	int bits = 0;
	size_t i;
	bool pad = false;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int v;

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad = true;
			continue;
		}
		if (pad)
			return false;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else
			return false;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			csf_buf_addch(out, (int)((acc >> bits) & 0xff));
		}
	}
	return true;
}

static void
wipe_buf(struct csf_buf *b)
{
	if (b->alloc)
		memset(b->buf, 0, b->alloc);
	csf_buf_release(b);
}

static void
wipe_str(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

void
csf_kube_config_free(struct csf_kube_config *k)
{
	size_t i;

	if (!k)
		return;
	free(k->context);
	free(k->cluster);
	free(k->user);
	free(k->namespace);
	free(k->server);
	free(k->source);
	csf_buf_release(&k->ca_pem);
	free(k->tls_server_name);
	csf_buf_release(&k->cert_pem);
	wipe_buf(&k->key_pem);
	wipe_str(k->token);
	free(k->token_file);
	free(k->exec.api_version);
	free(k->exec.command);
	for (i = 0; i < k->exec.nargs; i++)
		free(k->exec.args[i]);
	free(k->exec.args);
	for (i = 0; i < k->exec.nenv; i++)
		wipe_str(k->exec.env[i]);
	free(k->exec.env);
	free(k->exec.interactive_mode);
	free(k);
}

static enum csf_status
fail_at(struct csf_error *err, enum csf_status code, const struct csf_yaml_doc *doc,
	const struct csf_node *n, const char *fmt, const char *arg)
{
	return csf_fail(err, code, doc ? doc->path : NULL, n ? n->loc : noloc, fmt, arg);
}

/* Looks `name` up in the list `key` ("clusters", "contexts", "users") of every file, first wins. */
static bool
find_entry(const struct loader *ld, const char *key, const char *body_key, const char *name,
	   struct entry *out)
{
	size_t d, i;

	for (d = 0; d < ld->ndocs; d++) {
		const struct csf_node *list = csf_node_get(ld->docs[d]->root, key);

		if (!csf_node_is_seq(list))
			continue;
		for (i = 0; i < list->n; i++) {
			const struct csf_node *it = list->kids[i];
			const char *n = csf_node_str(csf_node_get(it, "name"));

			if (n && !strcmp(n, name)) {
				out->body = csf_node_get(it, body_key);
				out->item = it;
				out->doc = ld->docs[d];
				return true;
			}
		}
	}
	return false;
}

/* A path from a kubeconfig: relative paths are relative to the file's folder; "~/" is $HOME. */
static char *
resolve_path(const struct csf_yaml_doc *doc, const char *p)
{
	const char *slash;
	char *dir, *res;

	if (p[0] == '/')
		return csf_xstrdup(p);
	if (p[0] == '~' && p[1] == '/' && getenv("HOME"))
		return csf_path_join(getenv("HOME"), p + 2);
	slash = strrchr(doc->path, '/');
	if (!slash)
		return csf_xstrdup(p);
	dir = csf_xstrndup(doc->path, (size_t)(slash - doc->path));
	res = csf_path_join(dir, p);
	free(dir);
	return res;
}

/* Fills out from key-data (base64) or key (a path), data winning. */
static enum csf_status
load_blob(const struct entry *e, const char *data_key, const char *file_key, struct csf_buf *out,
	  const char *what, struct csf_error *err)
{
	const struct csf_node *d = csf_node_get(e->body, data_key);
	const struct csf_node *f = csf_node_get(e->body, file_key);
	const char *s;

	if (d && !csf_node_is_null(d)) {
		s = csf_node_str(d);
		csf_buf_reset(out);
		if (!s || !csf_base64_decode(s, d->len, out) || !out->len)
			return fail_at(err, CSF_E_PARSE, e->doc, d, "%s is not valid base64", data_key);
		return CSF_E_OK;
	}
	if (f && !csf_node_is_null(f)) {
		char *path;

		s = csf_node_str(f);
		if (!s || !*s)
			return fail_at(err, CSF_E_PARSE, e->doc, f, "%s must be a file path", file_key);
		path = resolve_path(e->doc, s);
		csf_buf_reset(out);
		if (csf_buf_read_file(out, path, KUBE_MAX_FILE) < 0) {
			int en = errno;

			csf_fail(err, CSF_E_IO, e->doc->path, f->loc, "cannot read %s %s: %s", what, path,
				 strerror(en));
			free(path);
			return CSF_E_IO;
		}
		free(path);
	}
	return CSF_E_OK;
}

static char *
dup_str(const struct csf_node *n)
{
	const char *s = csf_node_str(n);

	return s && !csf_node_is_null(n) ? csf_xstrdup(s) : NULL;
}

static enum csf_status
load_exec(struct csf_kube_config *k, const struct entry *u, const struct csf_node *ex,
	  struct csf_error *err)
{
	const struct csf_node *args = csf_node_get(ex, "args"), *env = csf_node_get(ex, "env");
	const char *cmd = csf_node_str(csf_node_get(ex, "command"));
	const char *api = csf_node_str(csf_node_get(ex, "apiVersion"));
	bool b;
	size_t i;

	if (!csf_node_is_map(ex))
		return fail_at(err, CSF_E_PARSE, u->doc, ex, "%s", "exec must be a mapping");
	if (!cmd || !*cmd)
		return fail_at(err, CSF_E_PARSE, u->doc, ex, "%s", "exec.command is missing");
	if (!api || (strcmp(api, "client.authentication.k8s.io/v1") &&
		     strcmp(api, "client.authentication.k8s.io/v1beta1")))
		return fail_at(err, CSF_E_PARSE, u->doc, csf_node_get(ex, "apiVersion") ?
			       csf_node_get(ex, "apiVersion") : ex,
			       "exec.apiVersion must be client.authentication.k8s.io/v1 or v1beta1%s", "");
	k->has_exec = true;
	k->exec.api_version = csf_xstrdup(api);
	k->exec.command = strchr(cmd, '/') ? resolve_path(u->doc, cmd) : csf_xstrdup(cmd);
	k->exec.interactive_mode = dup_str(csf_node_get(ex, "interactiveMode"));
	k->exec.provide_cluster_info = csf_node_bool(csf_node_get(ex, "provideClusterInfo"), &b) && b;
	k->exec.timeout_ms = 30000;
	if (k->exec.interactive_mode && !strcmp(k->exec.interactive_mode, "Always"))
		return fail_at(err, CSF_E_AUTH, u->doc, csf_node_get(ex, "interactiveMode"),
			       "%s", "exec plugin needs an interactive terminal (interactiveMode: "
			       "Always); csf-tui runs plugins non-interactively");
	if (csf_node_is_seq(args)) {
		k->exec.args = csf_xcalloc(args->n + 1, sizeof(char *));
		for (i = 0; i < args->n; i++) {
			const char *a = csf_node_str(args->kids[i]);

			if (!a)
				return fail_at(err, CSF_E_PARSE, u->doc, args->kids[i], "%s",
					       "exec.args items must be strings");
			k->exec.args[k->exec.nargs++] = csf_xstrdup(a);
		}
	}
	if (csf_node_is_seq(env)) {
		k->exec.env = csf_xcalloc(env->n + 1, sizeof(char *));
		for (i = 0; i < env->n; i++) {
			const char *n = csf_node_str(csf_node_get(env->kids[i], "name"));
			const char *v = csf_node_str(csf_node_get(env->kids[i], "value"));
			struct csf_buf b2 = CSF_BUF_INIT;

			if (!n || !*n || strchr(n, '='))
				return fail_at(err, CSF_E_PARSE, u->doc, env->kids[i], "%s",
					       "exec.env items need a name (without '=') and a value");
			csf_buf_addf(&b2, "%s=%s", n, v ? v : "");
			k->exec.env[k->exec.nenv++] = csf_buf_detach(&b2, NULL);
		}
	}
	return CSF_E_OK;
}

static enum csf_status
load_user(struct csf_kube_config *k, const struct entry *u, struct csf_error *err)
{
	const struct csf_node *n;
	enum csf_status rc;

	if (!u->body || csf_node_is_null(u->body))
		return CSF_E_OK;	/* anonymous */
	if (!csf_node_is_map(u->body))
		return fail_at(err, CSF_E_PARSE, u->doc, u->body, "%s", "user must be a mapping");
	if ((n = csf_node_get(u->body, "auth-provider")) && !csf_node_is_null(n)) {
		const char *name = csf_node_str(csf_node_get(n, "name"));

		return fail_at(err, CSF_E_AUTH, u->doc, n,
			       "auth-provider '%s' is not supported (removed from client-go in 1.26): "
			       "use an exec credential plugin", name ? name : "?");
	}
	if (((n = csf_node_get(u->body, "username")) && !csf_node_is_null(n)) ||
	    ((n = csf_node_get(u->body, "password")) && !csf_node_is_null(n)))
		return fail_at(err, CSF_E_AUTH, u->doc, n, "%s",
			       "username/password (basic) authentication is not supported: use a "
			       "token, a client certificate or an exec plugin");
	if ((rc = load_blob(u, "client-certificate-data", "client-certificate", &k->cert_pem,
			    "client certificate", err)) ||
	    (rc = load_blob(u, "client-key-data", "client-key", &k->key_pem, "client key", err)))
		return rc;
	if ((k->cert_pem.len != 0) != (k->key_pem.len != 0))
		return fail_at(err, CSF_E_PARSE, u->doc, u->body, "%s",
			       "a client certificate needs both the certificate and the key");
	k->token = dup_str(csf_node_get(u->body, "token"));
	if (k->token && !*k->token) {
		free(k->token);
		k->token = NULL;
	}
	k->has_static_token = k->token != NULL;
	if ((n = csf_node_get(u->body, "tokenFile")) && csf_node_str(n) && *csf_node_str(n))
		k->token_file = resolve_path(u->doc, csf_node_str(n));
	if ((n = csf_node_get(u->body, "exec")) && !csf_node_is_null(n))
		return load_exec(k, u, n, err);
	return CSF_E_OK;
}

static enum csf_status
load_cluster(struct csf_kube_config *k, const struct entry *c, struct csf_error *err)
{
	const struct csf_node *srv, *n;
	const char *s;
	size_t len;
	bool b;
	enum csf_status rc;

	if (!csf_node_is_map(c->body))
		return fail_at(err, CSF_E_PARSE, c->doc, c->item, "cluster '%s' has no cluster mapping",
			       k->cluster);
	srv = csf_node_get(c->body, "server");
	s = csf_node_str(srv);
	if (!s || (strncmp(s, "https://", 8) && strncmp(s, "http://", 7)))
		return fail_at(err, CSF_E_PARSE, c->doc, srv ? srv : c->body,
			       "cluster '%s': server must be an http(s):// URL", k->cluster);
	len = strlen(s);
	while (len && s[len - 1] == '/')
		len--;
	k->server = csf_xstrndup(s, len);
	if ((rc = load_blob(c, "certificate-authority-data", "certificate-authority", &k->ca_pem,
			    "certificate authority", err)))
		return rc;
	n = csf_node_get(c->body, "insecure-skip-tls-verify");
	if (n && !csf_node_is_null(n)) {
		if (!csf_node_bool(n, &b))
			return fail_at(err, CSF_E_PARSE, c->doc, n, "%s",
				       "insecure-skip-tls-verify must be true or false");
		k->insecure = b;
	}
	k->tls_server_name = dup_str(csf_node_get(c->body, "tls-server-name"));
	return CSF_E_OK;
}

static void
loader_free(struct loader *ld)
{
	size_t i;

	for (i = 0; i < ld->ndocs; i++)
		csf_yaml_doc_free(ld->docs[i]);
	free(ld->docs);
}

/* In-cluster configuration from the service account folder. */
static enum csf_status
load_in_cluster(const char *sa_dir, struct csf_kube_config **out, struct csf_error *err)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	struct csf_kube_config *k = csf_xcalloc(1, sizeof(*k));
	struct csf_buf b = CSF_BUF_INIT;
	char *p;

	csf_buf_init(&k->ca_pem, 0);
	csf_buf_init(&k->cert_pem, 0);
	csf_buf_init(&k->key_pem, 0);
	if (strchr(host, ':'))
		csf_buf_addf(&b, "https://[%s]:%s", host, port && *port ? port : "443");
	else
		csf_buf_addf(&b, "https://%s:%s", host, port && *port ? port : "443");
	k->server = csf_buf_detach(&b, NULL);
	k->context = csf_xstrdup("in-cluster");
	k->cluster = csf_xstrdup("in-cluster");
	k->user = csf_xstrdup("serviceaccount");
	k->source = csf_xstrdup(sa_dir);
	k->token_file = csf_path_join(sa_dir, "token");
	p = csf_path_join(sa_dir, "ca.crt");
	if (csf_buf_read_file(&k->ca_pem, p, KUBE_MAX_FILE) < 0) {
		csf_fail(err, CSF_E_IO, p, noloc, "in-cluster: cannot read the CA: %s", strerror(errno));
		free(p);
		csf_kube_config_free(k);
		return CSF_E_IO;
	}
	free(p);
	p = csf_path_join(sa_dir, "namespace");
	if (csf_buf_read_file(&b, p, 4096) == 0) {
		while (b.len && (b.buf[b.len - 1] == '\n' || b.buf[b.len - 1] == ' '))
			b.buf[--b.len] = '\0';
		k->namespace = csf_buf_detach(&b, NULL);
	} else {
		k->namespace = csf_xstrdup("default");
	}
	csf_buf_release(&b);
	free(p);
	*out = k;
	return CSF_E_OK;
}

enum csf_status
csf_kubeconfig_load(const struct csf_kubeconfig_opts *opts, struct csf_kube_config **out,
		    struct csf_error *err)
{
	static const struct csf_kubeconfig_opts none;
	struct loader ld = { NULL, 0, 0 };
	struct csf_kube_config *k = NULL;
	struct entry ctx, cl, us;
	const char *list, *cur = NULL, *s;
	const struct csf_node *cur_node = NULL;
	const struct csf_yaml_doc *cur_doc = NULL;
	char *paths, *p, *save = NULL, *home_cfg = NULL;
	enum csf_status rc = CSF_E_OK;
	size_t i;
	bool from_env = false;

	*out = NULL;
	if (!opts)
		opts = &none;
	list = opts->paths;
	if (!list && (s = getenv("KUBECONFIG")) && *s) {
		list = s;
		from_env = true;
	}
	if (!list) {
		if (getenv("HOME"))
			home_cfg = csf_path_join(getenv("HOME"), ".kube/config");
		list = home_cfg ? home_cfg : "";
	}
	paths = csf_xstrdup(list);
	for (p = strtok_r(paths, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		struct csf_yaml_doc *doc = NULL;
		struct csf_error e2 = CSF_ERROR_INIT;

		if (!csf_is_file(p) && (from_env || !opts->paths || strchr(list, ':')))
			continue;	/* client-go skips missing files of a list */
		if (csf_yaml_load_file(p, NULL, &doc, &e2)) {
			*err = e2;
			free(paths);
			free(home_cfg);
			loader_free(&ld);
			return e2.code;
		}
		if (doc->root && !csf_node_is_map(doc->root)) {
			rc = csf_fail(err, CSF_E_PARSE, p, doc->root->loc,
				      "a kubeconfig must be a mapping (apiVersion, kind: Config, …)");
			csf_yaml_doc_free(doc);
			free(paths);
			free(home_cfg);
			loader_free(&ld);
			return rc;
		}
		CSF_GROW(ld.docs, ld.docs_alloc, ld.ndocs + 1);
		ld.docs[ld.ndocs++] = doc;
	}
	free(paths);
	if (!ld.ndocs) {
		const char *sa = opts->sa_dir ? opts->sa_dir : SA_DIR;

		loader_free(&ld);
		if (getenv("KUBERNETES_SERVICE_HOST") && *getenv("KUBERNETES_SERVICE_HOST")) {
			free(home_cfg);
			return load_in_cluster(sa, out, err);
		}
		rc = csf_fail(err, CSF_E_NOTFOUND, NULL, noloc,
			      "no kubeconfig found (looked at %.180s)", *list ? list : "$HOME/.kube/config");
		free(home_cfg);
		return rc;
	}
	free(home_cfg);
	for (i = 0; i < ld.ndocs && !cur; i++) {
		const struct csf_node *n = csf_node_get(ld.docs[i]->root, "current-context");

		if (csf_node_str(n) && *csf_node_str(n)) {
			cur = csf_node_str(n);
			cur_node = n;
			cur_doc = ld.docs[i];
		}
	}
	if (opts->context && *opts->context) {
		cur = opts->context;
		cur_node = NULL;
		cur_doc = NULL;
	}
	if (!cur) {
		rc = csf_fail(err, CSF_E_USAGE, ld.docs[0]->path, noloc,
			      "no current-context set: pass --context NAME");
		goto out;
	}
	if (!find_entry(&ld, "contexts", "context", cur, &ctx)) {
		rc = fail_at(err, CSF_E_NOTFOUND, cur_doc ? cur_doc : ld.docs[0], cur_node,
			     "context '%s' not found in the kubeconfig", cur);
		goto out;
	}
	if (!csf_node_is_map(ctx.body)) {
		rc = fail_at(err, CSF_E_PARSE, ctx.doc, ctx.item, "context '%s' has no context mapping",
			     cur);
		goto out;
	}
	k = csf_xcalloc(1, sizeof(*k));
	csf_buf_init(&k->ca_pem, 0);
	csf_buf_init(&k->cert_pem, 0);
	csf_buf_init(&k->key_pem, 0);
	k->context = csf_xstrdup(cur);
	k->source = csf_xstrdup(ctx.doc->path);
	k->cluster = dup_str(csf_node_get(ctx.body, "cluster"));
	k->user = dup_str(csf_node_get(ctx.body, "user"));
	k->namespace = dup_str(csf_node_get(ctx.body, "namespace"));
	if (!k->namespace || !*k->namespace) {
		free(k->namespace);
		k->namespace = csf_xstrdup("default");
	}
	if (!k->cluster || !find_entry(&ld, "clusters", "cluster", k->cluster, &cl)) {
		rc = fail_at(err, CSF_E_NOTFOUND, ctx.doc,
			     csf_node_get(ctx.body, "cluster") ? csf_node_get(ctx.body, "cluster") : ctx.body,
			     "cluster '%s' not found in the kubeconfig", k->cluster ? k->cluster : "");
		goto out;
	}
	if ((rc = load_cluster(k, &cl, err)))
		goto out;
	if (k->user && *k->user) {
		if (!find_entry(&ld, "users", "user", k->user, &us)) {
			rc = fail_at(err, CSF_E_NOTFOUND, ctx.doc, csf_node_get(ctx.body, "user"),
				     "user '%s' not found in the kubeconfig", k->user);
			goto out;
		}
		if ((rc = load_user(k, &us, err)))
			goto out;
	}
out:
	loader_free(&ld);
	if (rc) {
		csf_kube_config_free(k);
		return rc;
	}
	*out = k;
	return CSF_E_OK;
}

/* ---- credentials ------------------------------------------------------------------------- */

static enum csf_status
read_token_file(struct csf_kube_config *k, struct csf_error *err)
{
	struct csf_buf b = CSF_BUF_INIT;
	size_t s = 0, e;

	if (csf_buf_read_file(&b, k->token_file, 1u << 20) < 0)
		return csf_fail(err, CSF_E_AUTH, k->token_file, noloc, "cannot read tokenFile: %s",
				strerror(errno));
	while (s < b.len && (b.buf[s] == ' ' || b.buf[s] == '\n' || b.buf[s] == '\r' || b.buf[s] == '\t'))
		s++;
	e = b.len;
	while (e > s && (b.buf[e - 1] == ' ' || b.buf[e - 1] == '\n' || b.buf[e - 1] == '\r' ||
			 b.buf[e - 1] == '\t'))
		e--;
	if (e == s) {
		wipe_buf(&b);
		return csf_fail(err, CSF_E_AUTH, k->token_file, noloc, "tokenFile is empty");
	}
	wipe_str(k->token);
	k->token = csf_xstrndup(b.buf + s, e - s);
	wipe_buf(&b);
	return CSF_E_OK;
}

static void
base64_encode(struct csf_buf *out, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		csf_buf_addch(out, tab[p[i] >> 2]);
		csf_buf_addch(out, tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		csf_buf_addch(out, tab[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)]);
		csf_buf_addch(out, tab[p[i + 2] & 63]);
	}
	if (n - i == 1) {
		csf_buf_addch(out, tab[p[i] >> 2]);
		csf_buf_addch(out, tab[(p[i] & 3) << 4]);
		csf_buf_addstr(out, "==");
	} else if (n - i == 2) {
		csf_buf_addch(out, tab[p[i] >> 2]);
		csf_buf_addch(out, tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		csf_buf_addch(out, tab[(p[i + 1] & 15) << 2]);
		csf_buf_addch(out, '=');
	}
}

/* KUBERNETES_EXEC_INFO, as kubectl sends it; spec.cluster only with provideClusterInfo. */
static void
exec_info(const struct csf_kube_config *k, struct csf_buf *b)
{
	csf_buf_addstr(b, "{\"kind\":\"ExecCredential\",\"apiVersion\":");
	csf_buf_add_json_str(b, k->exec.api_version);
	csf_buf_addstr(b, ",\"spec\":{");
	if (k->exec.provide_cluster_info) {
		csf_buf_addstr(b, "\"cluster\":{\"server\":");
		csf_buf_add_json_str(b, k->server);
		if (k->tls_server_name) {
			csf_buf_addstr(b, ",\"tls-server-name\":");
			csf_buf_add_json_str(b, k->tls_server_name);
		}
		if (k->insecure)
			csf_buf_addstr(b, ",\"insecure-skip-tls-verify\":true");
		if (k->ca_pem.len) {
			csf_buf_addstr(b, ",\"certificate-authority-data\":\"");
			base64_encode(b, (const unsigned char *)k->ca_pem.buf, k->ca_pem.len);
			csf_buf_addch(b, '"');
		}
		csf_buf_addstr(b, "},");
	}
	csf_buf_addstr(b, "\"interactive\":false}}");
}

/* The plugin's environment: ours, minus the names the kubeconfig sets, plus its env entries and
 * KUBERNETES_EXEC_INFO. The strings are borrowed; free only the array. */
static char **
plugin_env(const struct csf_kube_config *k, char *info)
{
	extern char **environ;
	size_t n = 0, i, j, m = 0;
	char **envp;

	while (environ[n])
		n++;
	envp = csf_xcalloc(n + k->exec.nenv + 2, sizeof(char *));
	for (i = 0; i < n; i++) {
		size_t len = strcspn(environ[i], "=");
		bool dropped = !strncmp(environ[i], "KUBERNETES_EXEC_INFO=", 21);

		for (j = 0; j < k->exec.nenv && !dropped; j++)
			if (!strncmp(environ[i], k->exec.env[j], len) && k->exec.env[j][len] == '=')
				dropped = true;
		if (!dropped)
			envp[m++] = environ[i];
	}
	for (j = 0; j < k->exec.nenv; j++)
		envp[m++] = k->exec.env[j];
	envp[m++] = info;
	envp[m] = NULL;
	return envp;
}

/* Runs the plugin; its stdout goes to out, the first line of stderr to errline. Returns the
 * exit status, -1 when it could not run, -2 on timeout. */
static int
run_plugin(const struct csf_kube_config *k, struct csf_buf *out, char *errline, size_t errn)
{
	int po[2], pe[2], status = 0, rc = -1;
	pid_t pid;
	struct csf_buf eb = CSF_BUF_INIT, info = CSF_BUF_INIT, infovar = CSF_BUF_INIT;
	char **argv, **envp;
	size_t i;
	long waited = 0;
	bool open_o = true, open_e = true, too_big = false;

	errline[0] = '\0';
	if (pipe2(po, O_CLOEXEC))
		return -1;
	if (pipe2(pe, O_CLOEXEC)) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	exec_info(k, &info);
	csf_buf_addstr(&infovar, "KUBERNETES_EXEC_INFO=");
	csf_buf_add(&infovar, info.buf, info.len);
	argv = csf_xcalloc(k->exec.nargs + 2, sizeof(char *));
	argv[0] = k->exec.command;
	for (i = 0; i < k->exec.nargs; i++)
		argv[i + 1] = k->exec.args[i];
	envp = plugin_env(k, infovar.buf);
	pid = fork();
	if (pid < 0) {
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		csf_buf_release(&info);
		csf_buf_release(&infovar);
		free(argv);
		free(envp);
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls here: the parent may have other threads (libcurl's
		 * resolver), so argv and the environment were built before fork. */
		static const char msg[] = "cannot run the exec plugin command\n";
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		execvpe(argv[0], argv, envp);
		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(126);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	csf_buf_release(&info);
	csf_buf_release(&infovar);
	free(argv);
	free(envp);
	while ((open_o || open_e) && waited < k->exec.timeout_ms) {
		struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
		char buf[4096];
		ssize_t n;

		if (!open_o)
			fds[0].fd = -1;
		if (!open_e)
			fds[1].fd = -1;
		n = poll(fds, 2, 100);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0) {
			waited += 100;
			continue;
		}
		if (open_o && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(po[0], buf, sizeof(buf));
			if (n > 0 && out->len + (size_t)n <= KUBE_MAX_PLUGIN_OUTPUT)
				csf_buf_add(out, buf, (size_t)n);
			else if (n > 0)
				too_big = true;
			else if (n == 0 || errno != EINTR)
				open_o = false;
		}
		if (open_e && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(pe[0], buf, sizeof(buf));
			if (n > 0 && eb.len < 4096)
				csf_buf_add(&eb, buf, (size_t)n);
			else if (n == 0 || (n < 0 && errno != EINTR))
				open_e = false;
		}
	}
	close(po[0]);
	close(pe[0]);
	if (open_o || open_e) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		csf_buf_release(&eb);
		return -2;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	if (too_big)
		rc = 126;
	{
		size_t n = 0;

		for (i = 0; i < eb.len && eb.buf[i] != '\n' && n + 1 < errn; i++)
			errline[n++] = (unsigned char)eb.buf[i] < 0x20 ? ' ' : eb.buf[i];
		errline[n] = '\0';
	}
	csf_buf_release(&eb);
	return rc;
}

static enum csf_status
run_exec(struct csf_kube_config *k, struct csf_error *err)
{
	struct csf_buf out = CSF_BUF_INIT;
	char errline[160];
	int rc = run_plugin(k, &out, errline, sizeof(errline));
	cJSON *root = NULL;
	const cJSON *st, *tok, *cert, *key, *api, *kind, *exp;
	enum csf_status ret = CSF_E_OK;
	int64_t t;

	if (rc == -2) {
		ret = csf_fail(err, CSF_E_AUTH, k->source, noloc,
			       "exec plugin '%s' did not finish within %ld ms", k->exec.command,
			       k->exec.timeout_ms);
		goto out;
	}
	if (rc != 0) {
		ret = csf_fail(err, CSF_E_AUTH, k->source, noloc, "exec plugin '%s' failed (%s %d)%s%s",
			       k->exec.command, rc < 0 ? "could not start" : "exit status", rc,
			       errline[0] ? ": " : "", errline);
		goto out;
	}
	root = cJSON_ParseWithLength(out.buf, out.len);
	kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
	api = cJSON_GetObjectItemCaseSensitive(root, "apiVersion");
	st = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (!root || !cJSON_IsString(kind) || strcmp(kind->valuestring, "ExecCredential")) {
		ret = csf_fail(err, CSF_E_AUTH, k->source, noloc,
			       "exec plugin '%s' did not print an ExecCredential", k->exec.command);
		goto out;
	}
	if (!cJSON_IsString(api) || strcmp(api->valuestring, k->exec.api_version)) {
		ret = csf_fail(err, CSF_E_AUTH, k->source, noloc,
			       "exec plugin '%s' answered apiVersion '%.60s', expected '%s'",
			       k->exec.command, cJSON_IsString(api) ? api->valuestring : "",
			       k->exec.api_version);
		goto out;
	}
	tok = cJSON_GetObjectItemCaseSensitive(st, "token");
	cert = cJSON_GetObjectItemCaseSensitive(st, "clientCertificateData");
	key = cJSON_GetObjectItemCaseSensitive(st, "clientKeyData");
	exp = cJSON_GetObjectItemCaseSensitive(st, "expirationTimestamp");
	if (cJSON_IsString(tok) && tok->valuestring[0]) {
		wipe_str(k->token);
		k->token = csf_xstrdup(tok->valuestring);
	} else if (cJSON_IsString(cert) && cJSON_IsString(key) && cert->valuestring[0] &&
		   key->valuestring[0]) {
		csf_buf_reset(&k->cert_pem);
		csf_buf_addstr(&k->cert_pem, cert->valuestring);
		wipe_buf(&k->key_pem);
		csf_buf_addstr(&k->key_pem, key->valuestring);
	} else {
		ret = csf_fail(err, CSF_E_AUTH, k->source, noloc,
			       "exec plugin '%s' gave neither status.token nor "
			       "status.clientCertificateData + clientKeyData", k->exec.command);
		goto out;
	}
	k->exec_expiry = cJSON_IsString(exp) && csf_k8s_time(exp->valuestring, &t) ? t : 0;
	k->exec_cached = true;
out:
	if (root) {
		/* The JSON tree holds the token: wipe its strings before freeing. */
		tok = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "status"),
						       "token");
		if (cJSON_IsString(tok))
			memset(tok->valuestring, 0, strlen(tok->valuestring));
		key = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "status"),
						       "clientKeyData");
		if (cJSON_IsString(key))
			memset(key->valuestring, 0, strlen(key->valuestring));
		cJSON_Delete(root);
	}
	wipe_buf(&out);
	return ret;
}

enum csf_status
csf_kube_credentials(struct csf_kube_config *k, bool force, int64_t now, struct csf_error *err)
{
	if (k->has_static_token)
		return CSF_E_OK;
	if (k->has_exec) {
		if (!force && k->exec_cached && (!k->exec_expiry || now < k->exec_expiry))
			return CSF_E_OK;
		return run_exec(k, err);
	}
	if (k->token_file)
		return read_token_file(k, err);
	return CSF_E_OK;
}

void
csf_kube_http_opts(const struct csf_kube_config *k, struct csf_http_opts *o)
{
	o->bearer_token = k->token;
	o->tls.ca_pem = k->ca_pem.len ? k->ca_pem.buf : NULL;
	o->tls.ca_len = k->ca_pem.len;
	o->tls.cert_pem = k->cert_pem.len ? k->cert_pem.buf : NULL;
	o->tls.cert_len = k->cert_pem.len;
	o->tls.key_pem = k->key_pem.len ? k->key_pem.buf : NULL;
	o->tls.key_len = k->key_pem.len;
	o->tls.insecure = k->insecure;
	o->tls.server_name = k->tls_server_name;
}
