#include "core/render.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/emit_yaml.h"
#include "core/fsutil.h"
#include "core/render_int.h"
#include "core/sanitize.h"
#include "core/sha256.h"
#include "core/xalloc.h"

#ifndef CSF_VERSION
#define CSF_VERSION "0.0.0"
#endif

static const struct csf_loc noloc;

const char *
csf_family_name(enum csf_family f)
{
	static const char *const names[] = {
#define CSF_FAMILY_NAME(name, str) str,
		CSF_FAMILY_INFO(CSF_FAMILY_NAME)
#undef CSF_FAMILY_NAME
	};

	return (size_t)f < sizeof(names) / sizeof(names[0]) ? names[f] : "unknown";
}

/* ==== small helpers ========================================================================= */

const char *
rd_fmt(struct rd_model *m, const char *fmt, ...)
{
	struct csf_buf b = CSF_BUF_INIT;
	const char *s;
	va_list ap;

	va_start(ap, fmt);
	csf_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	s = csf_arena_strndup(&m->arena, b.buf, b.len);
	csf_buf_release(&b);
	return s;
}

void
rd_warn(struct rd_model *m, const char *fmt, ...)
{
	struct csf_artifact_set *s = m->set;
	struct csf_buf b = CSF_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	csf_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	CSF_GROW(s->warnings, s->warnings_alloc, s->nwarnings + 1);
	s->warnings[s->nwarnings++] = csf_buf_detach(&b, NULL);
}

struct csf_buf *
rd_add(struct rd_model *m, enum csf_family fam, const char *kind, const char *path)
{
	struct csf_artifact_set *s = m->set;
	struct csf_artifact *a;

	CSF_GROW(s->items, s->alloc, s->n + 1);
	a = &s->items[s->n++];
	memset(a, 0, sizeof(*a));
	a->path = csf_xstrdup(path);
	a->kind = kind;
	a->family = fam;
	csf_buf_init(&a->data, 1024);
	return &a->data;
}

const char *
rd_dns(struct rd_model *m, const char *s)
{
	char *k = csf_kebab(s), *p, *q;
	const char *out;

	/* Lower-case alphanumerics and single dashes, no dash at either end. */
	for (p = q = k; *p; p++) {
		char c = (char)tolower((unsigned char)*p);

		if (!isalnum((unsigned char)c))
			c = '-';
		if (c == '-' && (q == k || q[-1] == '-'))
			continue;
		*q++ = c;
	}
	while (q > k && q[-1] == '-')
		q--;
	*q = '\0';
	out = csf_arena_strdup(&m->arena, *k ? k : "x");
	free(k);
	return out;
}

const char *
rd_ident(struct rd_model *m, const char *s)
{
	struct csf_buf b = CSF_BUF_INIT;
	bool up = false;
	const char *out;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!isalnum(c)) {
			up = b.len > 0;
			continue;
		}
		if (!b.len && isdigit(c))
			csf_buf_addch(&b, 'r');
		csf_buf_addch(&b, up ? toupper(c) : (b.len ? c : tolower(c)));
		up = false;
	}
	out = csf_arena_strndup(&m->arena, b.len ? b.buf : "r", b.len ? b.len : 1);
	csf_buf_release(&b);
	return out;
}

bool
csf_dns_label(const char *s)
{
	size_t n = s ? strlen(s) : 0, i;

	if (!n || n > 63 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

bool
csf_render_provider_known(const char *p)
{
	return p && (!strcmp(p, "azure") || !strcmp(p, "aws") || !strcmp(p, "gcp"));
}

/* ==== shared YAML pieces ===================================================================== */

void
rd_selector_labels(struct rd_model *m, struct csf_buf *b, int ind)
{
	csf_ey_kv(b, ind, "app.kubernetes.io/name", m->name);
	csf_ey_kv(b, ind, "csf.connectsoft.io/tenant", m->tenant);
}

/* A valid Kubernetes label value: at most 63 of [A-Za-z0-9._-], alphanumeric at both ends
 * ("1.2.3+build.7" → "1.2.3_build.7"). */
const char *
rd_label(struct rd_model *m, const char *s)
{
	char buf[64];
	size_t n = 0;

	for (; *s && n < 63; s++)
		buf[n++] = isalnum((unsigned char)*s) || *s == '.' || *s == '-' || *s == '_' ? *s : '_';
	while (n && !isalnum((unsigned char)buf[n - 1]))
		n--;
	buf[n] = '\0';
	s = buf;
	while (*s && !isalnum((unsigned char)*s))
		s++;
	return csf_arena_strdup(&m->arena, s);
}

void
rd_labels(struct rd_model *m, struct csf_buf *b, int ind)
{
	csf_ey_kv(b, ind, "app.kubernetes.io/managed-by", "csf-tui");
	csf_ey_kv(b, ind, "app.kubernetes.io/name", m->name);
	csf_ey_kv(b, ind, "app.kubernetes.io/version", rd_label(m, m->version));
	csf_ey_kv(b, ind, "csf.connectsoft.io/edition", rd_label(m, m->edition));
	csf_ey_kv(b, ind, "csf.connectsoft.io/environment", m->env);
	csf_ey_kv(b, ind, "csf.connectsoft.io/module", rd_label(m, m->module));
	csf_ey_kv(b, ind, "csf.connectsoft.io/tenant", m->tenant);
}

void
rd_meta(struct rd_model *m, struct csf_buf *b, int ind, const char *name, bool ns)
{
	csf_ey_k(b, ind, "metadata");
	csf_ey_kv(b, ind + 2, "name", name);
	if (ns)
		csf_ey_kv(b, ind + 2, "namespace", m->tenant);
	csf_ey_k(b, ind + 2, "labels");
	rd_labels(m, b, ind + 4);
}

/* ==== release.yaml and execution-metadata.json ============================================== */

static void
hash_blueprint(struct rd_model *m)
{
	struct csf_buf b = CSF_BUF_INIT;

	csf_ej_node(&b, m->eff->root);
	csf_buf_addf(&b, "\n%s\n%s\n%s\n", m->provider, m->tenant, m->env);
	csf_sha256_hex(b.buf, b.len, m->set->blueprint_hash);
	csf_buf_release(&b);
}

static void
hash_infra(struct rd_model *m)
{
	struct csf_sha256 c;
	unsigned char d[32];
	size_t i;

	csf_sha256_init(&c);
	for (i = 0; i < m->set->n; i++) {
		const struct csf_artifact *a = &m->set->items[i];

		if (a->family != CSF_FAMILY_IAC)
			continue;
		csf_sha256_update(&c, a->path, strlen(a->path) + 1);
		csf_sha256_update(&c, a->data.buf, a->data.len);
	}
	csf_sha256_final(&c, d);
	csf_sha256_tohex(d, m->set->infra_hash);
}

static void
hash_items(struct csf_artifact_set *s, size_t from)
{
	size_t i;

	for (i = from; i < s->n; i++)
		csf_sha256_hex(s->items[i].data.buf, s->items[i].data.len, s->items[i].sha256);
}

const char *
csf_render_redact_filter(void *ctx, const char *key, const char *value)
{
	const char *k = key;

	(void)ctx;
	for (; k && *k; k++)
		if (*k >= 'a' && *k <= 'z')
			break;
	return csf_render_looks_secret(k && !*k ? key : NULL, value) ? "<redacted>" : NULL;
}

static void
rd_release(struct rd_model *m)
{
	struct csf_artifact_set *s = m->set;
	size_t i, nart = s->n;
	struct csf_buf *b;
	struct csf_buf js = CSF_BUF_INIT;

	hash_items(s, 0);
	b = rd_add(m, CSF_FAMILY_RELEASE, "Release", "release.yaml");
	csf_buf_addstr(b, "apiVersion: csf/v1\nkind: Release\n");
	csf_ey_kv(b, 0, "releaseId", rd_fmt(m, "%s-%s-%s-%s-%.12s", m->name, m->version, m->tenant,
					     m->env, s->blueprint_hash));
	csf_ey_kv(b, 0, "module", m->module);
	csf_ey_kv(b, 0, "version", m->version);
	csf_ey_kv(b, 0, "tenant", m->tenant);
	csf_ey_kv(b, 0, "edition", m->edition);
	csf_ey_kv(b, 0, "environment", m->env);
	csf_ey_kv(b, 0, "provider", m->provider);
	csf_ey_kv(b, 0, "strategy", m->strategy);
	csf_ey_kv(b, 0, "image", rd_fmt(m, "%s:%s", m->image, m->image_tag));
	csf_ey_kv(b, 0, "imageTag", m->image_tag);
	csf_ey_kv(b, 0, "blueprintHash", s->blueprint_hash);
	csf_ey_kv(b, 0, "infraHash", s->infra_hash);
	if (m->eff->bp->file && m->eff->bp->file->rel)
		csf_ey_kv(b, 0, "blueprint", m->eff->bp->file->rel);
	if (m->opts->timestamp)
		csf_ey_kv(b, 0, "generatedAt", m->opts->timestamp);
	csf_ey_kv(b, 0, "generatedBy", m->generated_by);
	csf_ey_k(b, 0, "substitutions");
	if (!strcmp(m->provider, "azure")) {
		csf_ey_item(b, 2, "AZURE_CLIENT_ID");
		csf_ey_item(b, 2, "AZURE_TENANT_ID");
	} else if (!strcmp(m->provider, "aws")) {
		csf_ey_item(b, 2, "AWS_ACCOUNT_ID");
	} else {
		csf_ey_item(b, 2, "GCP_PROJECT_ID");
		csf_ey_item(b, 2, "GKE_CLUSTER_NAME");
	}
	csf_ey_k(b, 0, "artifacts");
	for (i = 0; i < nart; i++) {
		csf_ey_item_kv(b, 2, "path", s->items[i].path);
		csf_ey_kv(b, 4, "kind", s->items[i].kind);
		csf_ey_kv(b, 4, "sha256", s->items[i].sha256);
	}
	/* The effective blueprint, with credential-looking values redacted like the configmap. */
	csf_ey_k(b, 0, "freight");
	csf_ey_node_filtered(b, 2, m->eff->root, csf_render_redact_filter, NULL);

	hash_items(s, nart);
	csf_buf_addstr(&js, "{\n");
	csf_buf_addstr(&js, "  \"module\": ");
	csf_buf_add_json_str(&js, m->module);
	csf_buf_addstr(&js, ",\n  \"version\": ");
	csf_buf_add_json_str(&js, m->version);
	csf_buf_addstr(&js, ",\n  \"tenant\": ");
	csf_buf_add_json_str(&js, m->tenant);
	csf_buf_addstr(&js, ",\n  \"edition\": ");
	csf_buf_add_json_str(&js, m->edition);
	csf_buf_addstr(&js, ",\n  \"environment\": ");
	csf_buf_add_json_str(&js, m->env);
	csf_buf_addstr(&js, ",\n  \"provider\": ");
	csf_buf_add_json_str(&js, m->provider);
	csf_buf_addstr(&js, ",\n  \"blueprintHash\": ");
	csf_buf_add_json_str(&js, s->blueprint_hash);
	csf_buf_addstr(&js, ",\n  \"infraHash\": ");
	csf_buf_add_json_str(&js, s->infra_hash);
	csf_buf_addstr(&js, ",\n  \"generatedBy\": ");
	csf_buf_add_json_str(&js, m->generated_by);
	if (m->opts->timestamp) {
		csf_buf_addstr(&js, ",\n  \"generatedAt\": ");
		csf_buf_add_json_str(&js, m->opts->timestamp);
	}
	csf_buf_addstr(&js, ",\n  \"artifacts\": [");
	for (i = 0; i < s->n; i++) {
		csf_buf_addstr(&js, i ? ",\n    { \"path\": " : "\n    { \"path\": ");
		csf_buf_add_json_str(&js, s->items[i].path);
		csf_buf_addstr(&js, ", \"kind\": ");
		csf_buf_add_json_str(&js, s->items[i].kind);
		csf_buf_addf(&js, ", \"bytes\": %zu, \"sha256\": \"%s\" }", s->items[i].data.len,
			     s->items[i].sha256);
	}
	csf_buf_addstr(&js, "\n  ]\n}\n");
	b = rd_add(m, CSF_FAMILY_RELEASE, "ExecutionMetadata", "execution-metadata.json");
	csf_buf_add(b, js.buf, js.len);
	csf_buf_release(&js);
	hash_items(s, s->n - 1);
}

/* ==== entry points =========================================================================== */

/* Appends a blocking error; arg (a name from a workspace file) is quoted terminal-safe, so a
 * refused name is shown as written ('../../evil'), escape sequences and controls excepted. */
static void
blocking(struct csf_buf *errs, const char *fmt, const char *arg)
{
	char *safe = csf_sanitize_str(arg, CSF_SAN_ASCII);

	if (errs->len)
		csf_buf_addstr(errs, "; ");
	csf_buf_addf(errs, fmt, safe);
	free(safe);
}

enum csf_status
csf_render(const struct csf_effective *eff, const struct csf_render_opts *o,
	   struct csf_artifact_set *out, struct csf_error *err)
{
	static const struct csf_render_opts defaults;
	struct rd_model m;
	struct csf_buf errs = CSF_BUF_INIT;
	const char *provider, *tenant, *env, *file;
	size_t i;

	if (!o)
		o = &defaults;
	memset(&m, 0, sizeof(m));
	provider = o->provider ? o->provider : eff->provider;
	tenant = eff->tenant ? eff->tenant->id : "default";
	env = eff->env_name ? eff->env_name : "default";
	file = eff->bp->file ? eff->bp->file->path : NULL;
	if (!eff->bp->module)
		blocking(&errs, "the blueprint has no `module`%s", "");
	else if (!csf_safe_component(eff->bp->module) || strchr(eff->bp->module, '.'))
		blocking(&errs, "module name '%s' is not a safe name (no '/', '..' or control characters)",
			 eff->bp->module);
	if (!csf_safe_component(tenant) || !csf_dns_label(tenant))
		blocking(&errs, "tenant '%s' is not a DNS label (lower-case letters, digits, '-')",
			 tenant);
	if (!csf_safe_component(env) || !csf_dns_label(env))
		blocking(&errs, "environment '%s' is not a DNS label",
			 env);
	if (!csf_render_provider_known(provider))
		blocking(&errs, "unknown provider '%s' (azure, aws, gcp)",
			 provider);
	if (errs.len) {
		csf_fail(err, CSF_E_RENDER, file, noloc, "%s", errs.buf);
		csf_buf_release(&errs);
		return CSF_E_RENDER;
	}
	csf_buf_release(&errs);

	m.eff = eff;
	m.opts = o;
	m.set = out;
	m.module = eff->bp->module;
	m.name = rd_dns(&m, m.module);
	if (!csf_dns_label(m.name)) {
		csf_arena_release(&m.arena);
		return csf_fail(err, CSF_E_RENDER, file, noloc,
				"module '%s' gives no usable Kubernetes name", m.module);
	}
	m.tenant = tenant;
	m.env = env;
	m.provider = provider;
	out->module = csf_xstrdup(m.module);
	out->name = csf_xstrdup(m.name);
	out->tenant = csf_xstrdup(tenant);
	out->env = csf_xstrdup(env);
	out->provider = csf_xstrdup(provider);
	rd_read_model(&m);
	hash_blueprint(&m);

	rd_container(&m);
	rd_k8s(&m);
	rd_mesh(&m);
	rd_kustomization(&m);
	rd_gateway(&m);
	rd_events(&m);
	rd_function(&m);
	rd_iac(&m);
	hash_infra(&m);
	rd_release(&m);
	for (i = 0; i < out->n; i++)
		if (!csf_safe_relpath(out->items[i].path))
			csf_die("render produced an unsafe path '%s'", out->items[i].path);
	csf_arena_release(&m.arena);
	return CSF_E_OK;
}

enum csf_status
csf_render_cell(const struct csf_workspace *ws, const struct csf_blueprint *bp,
		const struct csf_tenant *tenant, const struct csf_environment *env,
		const struct csf_render_opts *o, struct csf_artifact_set *out, struct csf_error *err)
{
	struct csf_effective *eff = csf_effective_new(ws, bp, tenant, env);
	struct csf_render_opts local;
	enum csf_status st;

	local = o ? *o : (struct csf_render_opts){ 0 };
	if (!local.ws)
		local.ws = ws;
	st = csf_render(eff, &local, out, err);
	if (st != CSF_E_OK) {
		csf_artifact_set_release(out);
		csf_effective_free(eff);
		return st;
	}
	out->eff = eff;
	return CSF_E_OK;
}

void
csf_artifact_set_release(struct csf_artifact_set *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->items[i].path);
		csf_buf_release(&s->items[i].data);
	}
	free(s->items);
	for (i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	free(s->warnings);
	free(s->module);
	free(s->name);
	free(s->tenant);
	free(s->env);
	free(s->provider);
	csf_effective_free(s->eff);
	memset(s, 0, sizeof(*s));
}

const struct csf_artifact *
csf_artifact_set_find(const struct csf_artifact_set *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->items[i].path, path))
			return &s->items[i];
	return NULL;
}

/* ==== the matrix ============================================================================= */

static bool
bp_matches(const struct csf_blueprint *bp, const char *want)
{
	char *k;
	bool hit;

	if (!want)
		return true;
	if (!bp->module)
		return false;
	if (!strcmp(bp->module, want) || (bp->file && (!strcmp(bp->file->path, want) ||
						       (bp->file->rel && !strcmp(bp->file->rel, want)))))
		return true;
	k = csf_kebab(bp->module);
	hit = !strcmp(k, want);
	free(k);
	return hit;
}

static bool
cell_wanted(const struct csf_matrix_opts *mo, const struct csf_blueprint *bp,
	    const struct csf_tenant *tn, const struct csf_environment *en)
{
	if (!bp_matches(bp, mo->module))
		return false;
	if (mo->tenant && (!tn || strcmp(tn->id, mo->tenant)))
		return false;
	if (mo->env && (!en || strcmp(en->name, csf_env_canonical(mo->env))))
		return false;
	/* A tenant-specific blueprint belongs to its tenant only. */
	return !bp->tenant_only || (tn && !strcmp(bp->tenant_only, tn->id));
}

/* Two cells that would write the same folder: an earlier blueprint of the same module for this
 * tenant, or an earlier tenant with the same id. Fills err and returns true for the later one
 * (the first is rendered, the others are refused, so nothing is silently overwritten). */
static bool
cell_clash(const struct csf_workspace *ws, const struct csf_matrix_opts *mo, size_t bi, size_t ti,
	   const struct csf_environment *en, struct csf_error *err)
{
	const struct csf_blueprint *bp = &ws->blueprints[bi];
	const struct csf_tenant *tn = ws->ntenants ? &ws->tenants[ti] : NULL;
	const char *file = bp->file ? bp->file->path : NULL;
	size_t j;

	for (j = 0; bp->module && j < bi; j++) {
		const struct csf_blueprint *o = &ws->blueprints[j];

		if (o->module && !strcmp(o->module, bp->module) && cell_wanted(mo, o, tn, en)) {
			csf_fail(err, CSF_E_RENDER, file, noloc, "module %s is declared twice (%s, "
				 "rendered; %s, refused): one blueprint per module", bp->module,
				 o->file ? o->file->path : "?", file ? file : "?");
			return true;
		}
	}
	for (j = 0; tn && j < ti; j++)
		if (ws->tenants[j].id && tn->id && !strcmp(ws->tenants[j].id, tn->id)) {
			csf_fail(err, CSF_E_RENDER, tn->file ? tn->file->path : NULL, noloc,
				 "tenant %s is declared twice (%s, rendered; %s, refused): one file per "
				 "tenant", tn->id, ws->tenants[j].file ? ws->tenants[j].file->path : "?",
				 tn->file ? tn->file->path : "?");
			return true;
		}
	return false;
}

enum csf_status
csf_render_matrix(const struct csf_workspace *ws, const struct csf_matrix_opts *mo,
		  const struct csf_render_opts *o, csf_render_cell_fn fn, void *ctx,
		  struct csf_error *err)
{
	static const char *const all_providers[] = { "azure", "aws", "gcp" };
	static const struct csf_matrix_opts none;
	const char *const *provs = all_providers;
	const char *one[1];
	size_t nprov = 3, nt, ne, total = 0, index = 0, ncells, k, b;
	int pass;
	bool failed = false, any_bp = false, stop = false;
	struct csf_render_opts ro = o ? *o : (struct csf_render_opts){ 0 };

	if (!mo)
		mo = &none;
	ro.ws = ws;
	if (mo->provider && !mo->effective_provider) {
		if (!csf_render_provider_known(mo->provider))
			return csf_fail(err, CSF_E_USAGE, NULL, noloc,
					"unknown provider '%s' (azure, aws, gcp)", mo->provider);
		one[0] = mo->provider;
		provs = one;
		nprov = 1;
	}
	if (mo->tenant && !csf_ws_tenant(ws, mo->tenant))
		return csf_fail(err, CSF_E_USAGE, NULL, noloc, "no tenant '%s' in the workspace",
				mo->tenant);
	if (mo->env && !csf_ws_env(ws, mo->env))
		return csf_fail(err, CSF_E_USAGE, NULL, noloc, "no environment '%s' in the workspace",
				mo->env);
	for (b = 0; b < ws->nblueprints; b++)
		any_bp |= bp_matches(&ws->blueprints[b], mo->module);
	if (!any_bp)
		return csf_fail(err, CSF_E_USAGE, NULL, noloc, mo->module ? "no module '%s' in the workspace"
								      : "the workspace has no blueprints%s",
				mo->module ? mo->module : "");
	nt = ws->ntenants ? ws->ntenants : 1;
	ne = ws->nenvs ? ws->nenvs : 1;
	if (mo->effective_provider)
		nprov = 1;
	/* Two passes: count first (callbacks can show progress), then render. The cell index k
	 * runs module fastest, then tenant, environment, provider. */
	ncells = nprov * ne * nt * ws->nblueprints;
	for (pass = 0; pass < 2; pass++)
		for (k = 0; k < ncells; k++) {
			size_t bi = k % ws->nblueprints, t = k / ws->nblueprints % nt;
			size_t e = k / ws->nblueprints / nt % ne, p = k / ws->nblueprints / nt / ne;
			const struct csf_blueprint *bp = &ws->blueprints[bi];
			const struct csf_tenant *tn = ws->ntenants ? &ws->tenants[t] : NULL;
			const struct csf_environment *en = ws->nenvs ? &ws->envs[e] : NULL;
			struct csf_artifact_set set = CSF_ARTIFACT_SET_INIT;
			struct csf_error cerr = CSF_ERROR_INIT;
			struct csf_render_cell cell;
			enum csf_status st;

			if (!cell_wanted(mo, bp, tn, en))
				continue;
			if (!pass) {
				total++;
				continue;
			}
			cell.bp = bp;
			cell.tenant = tn;
			cell.env = en;
			cell.index = index++;
			cell.total = total;
			ro.provider = mo->effective_provider ? NULL : provs[p];
			st = cell_clash(ws, mo, bi, t, en, &cerr) ? CSF_E_RENDER :
			     csf_render_cell(ws, bp, tn, en, &ro, &set, &cerr);
			cell.provider = st == CSF_E_OK ? set.provider : ro.provider ? ro.provider : "azure";
			failed |= st != CSF_E_OK;
			stop = !fn(ctx, &cell, st, &set, &cerr);
			csf_artifact_set_release(&set);
			if (stop)
				break;
		}
	if (failed)
		return csf_fail(err, CSF_E_RENDER, NULL, noloc, "some cells failed to render");
	return CSF_E_OK;
}
