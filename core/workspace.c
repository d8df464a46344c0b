#include "core/workspace.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/xalloc.h"

#define MAX_SCAN_DEPTH 6
#define MAX_FILES 100000

static const struct csf_loc noloc;

static const char *const kind_names[] = {
	[CSF_KIND_UNKNOWN] = "Unknown",
	[CSF_KIND_WORKSPACE] = "Workspace",
	[CSF_KIND_BLUEPRINT] = "Blueprint",
	[CSF_KIND_TENANT] = "Tenant",
	[CSF_KIND_EDITION] = "Edition",
	[CSF_KIND_ENVIRONMENT] = "Environment",
};

/* The standard sub-folders, and the kind each implies. */
static const struct {
	const char *dir;
	enum csf_file_kind kind;
} std_dirs[] = {
	{ "blueprints", CSF_KIND_BLUEPRINT },
	{ "tenants", CSF_KIND_TENANT },
	{ "editions", CSF_KIND_EDITION },
	{ "environments", CSF_KIND_ENVIRONMENT },
};

const char *
csf_file_kind_name(enum csf_file_kind k)
{
	return (size_t)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "Unknown";
}

const char *
csf_env_canonical(const char *name)
{
	if (!name)
		return NULL;
	if (!strcmp(name, "prod"))
		return "production";
	if (!strcmp(name, "stage"))
		return "staging";
	return name;
}

char *
csf_kebab(const char *module)
{
	struct csf_buf b = CSF_BUF_INIT;
	const char *p;

	for (p = module; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (isupper(c)) {
			/* A new word starts at an upper-case letter after a lower-case letter or digit,
			 * or before a lower-case letter in an acronym ("APIGateway" → "api-gateway"). */
			if (p != module && (islower((unsigned char)p[-1]) || isdigit((unsigned char)p[-1]) ||
					    (isupper((unsigned char)p[-1]) && islower((unsigned char)p[1]))))
				csf_buf_addch(&b, '-');
			csf_buf_addch(&b, tolower(c));
		} else if (c == '_' || c == ' ' || c == '.') {
			csf_buf_addch(&b, '-');
		} else {
			csf_buf_addch(&b, c);
		}
	}
	return csf_buf_detach(&b, NULL);
}

static bool
has_yaml_ext(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static enum csf_file_kind
kind_from_doc(const struct csf_node *root, enum csf_file_kind hint)
{
	const char *k = csf_node_str(csf_node_get(root, "kind"));
	size_t i;

	if (k) {
		for (i = 1; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
			if (!strcmp(k, kind_names[i]))
				return (enum csf_file_kind)i;
	}
	if (hint != CSF_KIND_UNKNOWN)
		return hint;
	if (!csf_node_is_map(root))
		return CSF_KIND_UNKNOWN;
	if (csf_node_get(root, "module") || csf_node_get(root, "runtime"))
		return CSF_KIND_BLUEPRINT;
	if (csf_node_get(root, "tenantId"))
		return CSF_KIND_TENANT;
	if (csf_node_get(root, "replicasFactor") || csf_node_get(root, "approval"))
		return CSF_KIND_ENVIRONMENT;
	if (csf_node_get(root, "cluster") || csf_node_get(root, "gitops") || csf_node_get(root, "lint"))
		return CSF_KIND_WORKSPACE;
	if (csf_node_get(root, "features"))
		return CSF_KIND_EDITION;
	return CSF_KIND_UNKNOWN;
}

static char *
base_name_noext(const char *path)
{
	const char *b = strrchr(path, '/');
	const char *dot;

	b = b ? b + 1 : path;
	dot = strrchr(b, '.');
	return csf_xstrndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

static const char *
str_or(const struct csf_node *map, const char *key, const char *def)
{
	const char *s = csf_node_str(csf_node_get(map, key));

	return s && *s ? s : def;
}

/* Interned strings for names derived from paths live in the file's document arena. */
static const char *
file_base(struct csf_ws_file *f)
{
	char *b = base_name_noext(f->path);
	const char *s = csf_arena_strdup(&f->doc->arena, b);

	free(b);
	return s;
}

static void
index_file(struct csf_workspace *ws, struct csf_ws_file *f)
{
	const struct csf_node *root;

	if (!f->doc)
		return;
	root = f->doc->root;
	f->kind = kind_from_doc(root, f->kind);
	if (!csf_node_is_map(root))
		return;
	switch (f->kind) {
	case CSF_KIND_BLUEPRINT: {
		struct csf_blueprint *b;

		CSF_GROW(ws->blueprints, ws->blueprints_alloc, ws->nblueprints + 1);
		b = &ws->blueprints[ws->nblueprints++];
		memset(b, 0, sizeof(*b));
		b->file = f;
		b->root = root;
		b->module = csf_node_text(csf_node_get(root, "module"));
		b->version = csf_node_str(csf_node_get(root, "version"));
		b->provider = csf_node_text(csf_node_path(root, "cloud.provider"));
		b->tenant_only = csf_node_text(csf_node_get(root, "tenantId"));
		break;
	}
	case CSF_KIND_TENANT: {
		struct csf_tenant *t;

		CSF_GROW(ws->tenants, ws->tenants_alloc, ws->ntenants + 1);
		t = &ws->tenants[ws->ntenants++];
		memset(t, 0, sizeof(*t));
		t->file = f;
		t->root = root;
		t->id = str_or(root, "tenantId", NULL);
		if (!t->id)
			t->id = file_base(f);
		t->edition = str_or(root, "edition", NULL);
		t->provider = str_or(root, "provider", NULL);
		t->overrides = csf_node_get(root, "overrides");
		t->modules = csf_node_get(root, "modules");
		break;
	}
	case CSF_KIND_EDITION: {
		struct csf_edition *e;

		CSF_GROW(ws->editions, ws->editions_alloc, ws->neditions + 1);
		e = &ws->editions[ws->neditions++];
		memset(e, 0, sizeof(*e));
		e->file = f;
		e->root = root;
		e->name = str_or(root, "name", NULL);
		if (!e->name)
			e->name = file_base(f);
		e->features = csf_node_get(root, "features");
		e->overrides = csf_node_get(root, "overrides");
		break;
	}
	case CSF_KIND_ENVIRONMENT: {
		struct csf_environment *e;
		double d;
		bool b;

		CSF_GROW(ws->envs, ws->envs_alloc, ws->nenvs + 1);
		e = &ws->envs[ws->nenvs++];
		memset(e, 0, sizeof(*e));
		e->file = f;
		e->root = root;
		e->name = str_or(root, "name", NULL);
		if (!e->name)
			e->name = file_base(f);
		e->name = csf_env_canonical(e->name);
		e->overrides = csf_node_get(root, "overrides");
		e->values = csf_node_get(root, "values");
		e->replicas_factor = csf_node_num(csf_node_get(root, "replicasFactor"), &d) ? d : 1.0;
		e->approval = csf_node_bool(csf_node_get(root, "approval"), &b) && b;
		break;
	}
	default:
		break;
	}
}

static void
read_string_list(const struct csf_node *seq, char ***out, size_t *n)
{
	size_t i;

	if (!csf_node_is_seq(seq))
		return;
	*out = csf_xcalloc(seq->n, sizeof(**out));
	for (i = 0; i < seq->n; i++)
		if (csf_node_str(seq->kids[i]))
			(*out)[(*n)++] = csf_xstrdup(seq->kids[i]->str);
}

static char *
resolve_path(const struct csf_workspace *ws, const char *p)
{
	if (!p || !*p)
		return NULL;
	if (p[0] == '/' || !ws->root)
		return csf_xstrdup(p);
	return csf_path_join(ws->root, p);
}

static void
index_config(struct csf_workspace *ws)
{
	const struct csf_node *root, *lint, *sev, *cl, *tr;
	size_t i;

	if (!ws->config || !ws->config->doc || !csf_node_is_map(ws->config->doc->root))
		return;
	root = ws->config->doc->root;
	if (csf_node_text(csf_node_get(root, "name"))) {
		free(ws->name);
		ws->name = csf_xstrdup(csf_node_get(root, "name")->str);
	}
	ws->gitops = resolve_path(ws, csf_node_text(csf_node_get(root, "gitops")));
	lint = csf_node_get(root, "lint");
	read_string_list(csf_node_get(lint, "disable"), &ws->lint.disable, &ws->lint.ndisable);
	sev = csf_node_get(lint, "severity");
	if (csf_node_is_map(sev)) {
		ws->lint.sev_rule = csf_xcalloc(sev->n, sizeof(char *));
		ws->lint.sev_value = csf_xcalloc(sev->n, sizeof(char *));
		for (i = 0; i < sev->n; i++) {
			if (!csf_node_str(sev->kids[2 * i]) || !csf_node_str(sev->kids[2 * i + 1]))
				continue;
			ws->lint.sev_rule[ws->lint.nsev] = csf_xstrdup(sev->kids[2 * i]->str);
			ws->lint.sev_value[ws->lint.nsev++] = csf_xstrdup(sev->kids[2 * i + 1]->str);
		}
	}
	cl = csf_node_get(root, "cluster");
	ws->cluster.kubeconfig = csf_node_text(csf_node_get(cl, "kubeconfig"));
	ws->cluster.context = csf_node_text(csf_node_get(cl, "context"));
	ws->cluster.prometheus = csf_node_text(csf_node_get(cl, "prometheus"));
	tr = csf_node_get(cl, "traces");
	ws->cluster.traces_kind = csf_node_text(csf_node_get(tr, "kind"));
	ws->cluster.traces_url = csf_node_text(csf_node_get(tr, "url"));
	ws->cluster.offline = resolve_path(ws, csf_node_text(csf_node_get(cl, "offline")));
}

static void
reindex(struct csf_workspace *ws)
{
	size_t i;

	ws->nblueprints = ws->ntenants = ws->neditions = ws->nenvs = 0;
	for (i = 0; i < ws->nfiles; i++)
		if (ws->files[i] != ws->config)
			index_file(ws, ws->files[i]);
}

struct csf_ws_file *
csf_workspace_add_file(struct csf_workspace *ws, const char *path, enum csf_file_kind hint)
{
	struct csf_ws_file *f = csf_xcalloc(1, sizeof(*f));
	size_t rootlen = ws->root ? strlen(ws->root) : 0;

	f->path = csf_xstrdup(path);
	f->rel = f->path;
	if (rootlen && !strncmp(path, ws->root, rootlen) && path[rootlen] == '/')
		f->rel = f->path + rootlen + 1;
	f->kind = hint;
	csf_yaml_load_file(path, NULL, &f->doc, &f->err);
	CSF_GROW(ws->files, ws->files_alloc, ws->nfiles + 1);
	ws->files[ws->nfiles++] = f;
	index_file(ws, f);
	return f;
}

/* Directory entries are stored as one byte of d_type + 1, then the name. */
static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Adds every YAML file under dir (sorted; hidden folders and node_modules skipped). The entry
 * type from readdir saves a stat per file; links and unknown types are still stat'ed. */
static void
scan_dir(struct csf_workspace *ws, const char *dir, enum csf_file_kind kind, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "node_modules"))
			continue;
		CSF_GROW(names, alloc, n + 1);
		names[n] = csf_xmalloc(len + 2);
		names[n][0] = (char)(de->d_type + 1);
		memcpy(names[n] + 1, de->d_name, len + 1);
		n++;
	}
	closedir(d);
	if (n)		/* an empty folder: names is NULL, which qsort must not get */
		qsort(names, n, sizeof(*names), cmp_entry);
	for (i = 0; i < n; i++) {
		const char *name = names[i] + 1;
		unsigned char type = (unsigned char)(names[i][0] - 1);
		char *p = csf_path_join(dir, name);
		bool is_dir = type == DT_DIR ||
			      ((type == DT_UNKNOWN || type == DT_LNK) && csf_is_dir(p));

		if (is_dir) {
			if (depth < MAX_SCAN_DEPTH)
				scan_dir(ws, p, kind, depth + 1);
		} else if (has_yaml_ext(name) && ws->nfiles < MAX_FILES &&
			   !(depth == 0 && ws->config && !strcmp(p, ws->config->path))) {
			csf_workspace_add_file(ws, p, kind);
		}
		free(p);
		free(names[i]);
	}
	free(names);
}

bool
csf_is_workspace(const char *dir)
{
	char *p = csf_path_join(dir, "csf.yaml");
	bool yes = csf_is_file(p);

	free(p);
	return yes;
}

char *
csf_find_workspace(const char *path)
{
	char *cur = realpath(path, NULL);

	if (!cur)
		return NULL;
	if (!csf_is_dir(cur)) {
		char *slash = strrchr(cur, '/');

		if (slash)
			*(slash == cur ? slash + 1 : slash) = '\0';
	}
	for (;;) {
		char *slash;

		if (csf_is_workspace(cur))
			return cur;
		slash = strrchr(cur, '/');
		if (!slash || slash == cur)
			break;
		*slash = '\0';
	}
	free(cur);
	return NULL;
}

struct csf_workspace *
csf_workspace_new_loose(void)
{
	return csf_xcalloc(1, sizeof(struct csf_workspace));
}

enum csf_status
csf_workspace_open(const char *dir, struct csf_workspace **out, struct csf_error *err)
{
	struct csf_workspace *ws;
	char *cfg;
	size_t i;
	bool standard = false;

	*out = NULL;
	if (!csf_is_dir(dir))
		return csf_fail(err, CSF_E_IO, dir, noloc, "cannot open workspace: %s",
				access(dir, F_OK) ? strerror(errno) : "not a folder");
	ws = csf_xcalloc(1, sizeof(*ws));
	ws->root = csf_xstrdup(dir);
	{
		size_t n = strlen(ws->root);

		while (n > 1 && ws->root[n - 1] == '/')
			ws->root[--n] = '\0';
	}
	cfg = csf_path_join(dir, "csf.yaml");
	if (csf_is_file(cfg)) {
		ws->config = csf_workspace_add_file(ws, cfg, CSF_KIND_WORKSPACE);
		index_config(ws);
		standard = true;
	}
	free(cfg);
	for (i = 0; i < sizeof(std_dirs) / sizeof(std_dirs[0]); i++) {
		const char *sub = std_dirs[i].dir;
		const struct csf_node *paths = ws->config && ws->config->doc
			? csf_node_get(ws->config->doc->root, "paths") : NULL;
		const char *custom = csf_node_text(csf_node_get(paths, sub));
		char *p = csf_path_join(dir, custom ? custom : sub);

		if (csf_is_dir(p)) {
			standard = true;
			scan_dir(ws, p, std_dirs[i].kind, 0);
		}
		free(p);
	}
	if (!standard)
		scan_dir(ws, dir, CSF_KIND_UNKNOWN, 0);
	if (!ws->name) {
		const char *b = strrchr(ws->root, '/');

		ws->name = csf_xstrdup(b && b[1] ? b + 1 : ws->root);
	}
	*out = ws;
	return CSF_E_OK;
}

/* Frees what index_config() derived from csf.yaml, leaving it empty. */
static void
release_config(struct csf_workspace *ws)
{
	struct csf_lint_config *l = &ws->lint;
	size_t i;

	for (i = 0; i < l->ndisable; i++)
		free(l->disable[i]);
	for (i = 0; i < l->nsev; i++) {
		free(l->sev_rule[i]);
		free(l->sev_value[i]);
	}
	free(l->disable);
	free(l->sev_rule);
	free(l->sev_value);
	free(ws->cluster.offline);
	free(ws->gitops);
	memset(l, 0, sizeof(*l));
	memset(&ws->cluster, 0, sizeof(ws->cluster));
	ws->gitops = NULL;
}

void
csf_workspace_reload(struct csf_workspace *ws, struct csf_ws_file *f)
{
	enum csf_file_kind hint = f->kind;
	size_t i;

	/* Keep the folder-implied kind: a file in blueprints/ stays a blueprint while it is broken. */
	for (i = 0; i < sizeof(std_dirs) / sizeof(std_dirs[0]); i++) {
		size_t n = strlen(std_dirs[i].dir);

		if (!strncmp(f->rel, std_dirs[i].dir, n) && f->rel[n] == '/')
			hint = std_dirs[i].kind;
	}
	csf_yaml_doc_free(f->doc);
	f->doc = NULL;
	csf_error_clear(&f->err);
	f->kind = hint;
	csf_yaml_load_file(f->path, NULL, &f->doc, &f->err);
	reindex(ws);
	if (f == ws->config) {
		release_config(ws);
		index_config(ws);
	}
}

void
csf_workspace_free(struct csf_workspace *ws)
{
	size_t i;

	if (!ws)
		return;
	for (i = 0; i < ws->nfiles; i++) {
		csf_yaml_doc_free(ws->files[i]->doc);
		free(ws->files[i]->path);
		free(ws->files[i]);
	}
	release_config(ws);
	free(ws->files);
	free(ws->blueprints);
	free(ws->tenants);
	free(ws->editions);
	free(ws->envs);
	free(ws->name);
	free(ws->root);
	free(ws);
}

const struct csf_blueprint *
csf_ws_blueprint(const struct csf_workspace *ws, const char *module)
{
	size_t i;

	for (i = 0; i < ws->nblueprints; i++)
		if (ws->blueprints[i].module && !strcmp(ws->blueprints[i].module, module))
			return &ws->blueprints[i];
	/* Also by kebab-case name or file base name. */
	for (i = 0; i < ws->nblueprints; i++) {
		char *k = ws->blueprints[i].module ? csf_kebab(ws->blueprints[i].module) : NULL;
		char *b = base_name_noext(ws->blueprints[i].file->path);
		bool hit = (k && !strcmp(k, module)) || !strcmp(b, module);

		free(k);
		free(b);
		if (hit)
			return &ws->blueprints[i];
	}
	return NULL;
}

const struct csf_tenant *
csf_ws_tenant(const struct csf_workspace *ws, const char *id)
{
	size_t i;

	for (i = 0; i < ws->ntenants; i++)
		if (!strcmp(ws->tenants[i].id, id))
			return &ws->tenants[i];
	return NULL;
}

const struct csf_edition *
csf_ws_edition(const struct csf_workspace *ws, const char *name)
{
	size_t i;

	for (i = 0; i < ws->neditions; i++)
		if (!strcmp(ws->editions[i].name, name))
			return &ws->editions[i];
	return NULL;
}

const struct csf_environment *
csf_ws_env(const struct csf_workspace *ws, const char *name)
{
	size_t i;

	name = csf_env_canonical(name);
	for (i = 0; i < ws->nenvs; i++)
		if (!strcmp(ws->envs[i].name, name))
			return &ws->envs[i];
	return NULL;
}
