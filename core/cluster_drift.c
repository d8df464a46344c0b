/* Drift (core/cluster.h): the desired state read from a GitOps tree (environments/ENV/TENANT/
 * MODULE/k8s/), and its fields compared with what the cluster runs. */
#include "core/cluster.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cluster_int.h"
#include "core/fsutil.h"
#include "core/k8s.h"
#include "core/yaml_model.h"

static const struct csf_loc noloc = { 0, 0 };

/* ==== drift ================================================================================= */

void
csf_desired_add(struct csf_desired_set *set, const struct csf_desired_field *f)
{
	struct csf_desired_field *d;
	struct csf_arena *a = &set->arena;

	CSF_GROW(set->fields, set->alloc, set->n + 1);
	d = &set->fields[set->n++];
	d->namespace = csf_cluster_adup(a, f->namespace);
	d->kind = csf_cluster_adup(a, f->kind);
	d->name = csf_cluster_adup(a, f->name);
	d->field = csf_cluster_adup(a, f->field);
	d->value = csf_cluster_adup(a, f->value);
	d->source = csf_cluster_adup(a, f->source);
}

void
csf_desired_release(struct csf_desired_set *set)
{
	free(set->fields);
	csf_arena_release(&set->arena);
	memset(set, 0, sizeof(*set));
}

static void
add_field(struct csf_desired_set *set, const char *ns, const char *kind, const char *name,
	  const char *field, const struct csf_node *val, const char *def, const char *path,
	  const struct csf_node *at)
{
	struct csf_desired_field f;
	char src[600];
	const char *v = val ? csf_node_str(val) : def;

	if (!v)
		return;
	snprintf(src, sizeof(src), "%s:%u", path, at ? at->loc.line : 0u);
	f.namespace = ns;
	f.kind = kind;
	f.name = name;
	f.field = field;
	f.value = v;
	f.source = src;
	csf_desired_add(set, &f);
}

/* One rendered object (a YAML document) → its desired fields. */
static enum csf_status
desired_doc(struct csf_desired_set *set, struct csf_yaml_doc *doc, const char *path,
	    const char *default_ns, struct csf_error *err)
{
	const struct csf_node *root, *md, *spec, *n;
	const char *kind, *name, *ns;

	root = doc->root;
	kind = csf_node_str(csf_node_get(root, "kind"));
	md = csf_node_get(root, "metadata");
	spec = csf_node_get(root, "spec");
	name = csf_node_str(csf_node_get(md, "name"));
	ns = csf_node_str(csf_node_get(md, "namespace"));
	if (!ns)
		ns = default_ns;
	if (!kind || !name || !ns)
		return csf_fail(err, CSF_E_PARSE, path, root ? root->loc : noloc,
				"a rendered object needs kind, metadata.name and a namespace");
	add_field(set, ns, kind, name, "exists", NULL, "true", path, root);
	if (!strcmp(kind, "Deployment")) {
		n = csf_node_get(spec, "replicas");
		if (n)
			add_field(set, ns, kind, name, "spec.replicas", n, NULL, path, n);
		n = csf_node_path(spec, "template.spec.containers");
		n = csf_node_is_seq(n) && n->n ? csf_node_get(n->kids[0], "image") : NULL;
		if (n)
			add_field(set, ns, kind, name, "image", n, NULL, path, n);
		n = csf_node_get(csf_node_get(md, "labels"), CSF_LABEL_APP_VERSION);
		if (n)
			add_field(set, ns, kind, name, "version", n, NULL, path, n);
	} else if (!strcmp(kind, "HorizontalPodAutoscaler")) {
		n = csf_node_get(spec, "minReplicas");
		add_field(set, ns, kind, name, "spec.minReplicas", n, "1", path, n ? n : spec);
		n = csf_node_get(spec, "maxReplicas");
		if (n)
			add_field(set, ns, kind, name, "spec.maxReplicas", n, NULL, path, n);
	} else if (!strcmp(kind, "ScaledObject")) {
		n = csf_node_get(spec, "minReplicaCount");
		add_field(set, ns, kind, name, "spec.minReplicaCount", n, "0", path, n ? n : spec);
		n = csf_node_get(spec, "maxReplicaCount");
		add_field(set, ns, kind, name, "spec.maxReplicaCount", n, "100", path, n ? n : spec);
	}
	return CSF_E_OK;
}

enum csf_status
csf_desired_add_yaml(struct csf_desired_set *set, const char *name, const char *text, size_t len,
		     const char *default_ns, struct csf_error *err)
{
	struct csf_yaml_doc *doc = NULL;
	enum csf_status rc;

	if ((rc = csf_yaml_load_mem(name, text, len, NULL, &doc, err)))
		return rc;
	rc = desired_doc(set, doc, name, default_ns, err);
	csf_yaml_doc_free(doc);
	return rc;
}

static enum csf_status
desired_file(struct csf_desired_set *set, const char *path, const char *tenant_dir,
	     struct csf_error *err)
{
	struct csf_yaml_doc *doc = NULL;
	enum csf_status rc;

	if ((rc = csf_yaml_load_file(path, NULL, &doc, err)))
		return rc;
	rc = desired_doc(set, doc, path, tenant_dir, err);
	csf_yaml_doc_free(doc);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the sub-folders of dir. */
static char **
subdirs(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t alloc = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		char *p;

		if (e->d_name[0] == '.')
			continue;
		p = csf_path_join(dir, e->d_name);
		if (csf_is_dir(p)) {
			CSF_GROW(v, alloc, *n + 1);
			v[(*n)++] = csf_xstrdup(e->d_name);
		}
		free(p);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

static void
free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

enum csf_status
csf_desired_load(const char *gitops_dir, const char *env, struct csf_desired_set *set,
		 struct csf_error *err)
{
	static const char *const files[] = { "deployment.yaml", "hpa.yaml", "scaledobject.yaml" };
	struct csf_buf root = CSF_BUF_INIT;
	char **tenants, **modules;
	size_t nt, nm, i, k, f;
	enum csf_status rc = CSF_E_OK;

	csf_buf_addf(&root, "%s/environments/%s", gitops_dir, env);
	if (!csf_is_dir(root.buf)) {
		rc = csf_fail(err, CSF_E_NOTFOUND, root.buf, noloc,
			      "no desired state for environment '%s' in the GitOps tree", env);
		csf_buf_release(&root);
		return rc;
	}
	tenants = subdirs(root.buf, &nt);
	for (i = 0; i < nt && !rc; i++) {
		char *tdir = csf_path_join(root.buf, tenants[i]);

		modules = subdirs(tdir, &nm);
		for (k = 0; k < nm && !rc; k++) {
			for (f = 0; f < sizeof(files) / sizeof(files[0]) && !rc; f++) {
				struct csf_buf p = CSF_BUF_INIT;

				csf_buf_addf(&p, "%s/%s/k8s/%s", tdir, modules[k], files[f]);
				if (csf_is_file(p.buf))
					rc = desired_file(set, p.buf, tenants[i], err);
				csf_buf_release(&p);
			}
		}
		free_names(modules, nm);
		free(tdir);
	}
	free_names(tenants, nt);
	csf_buf_release(&root);
	return rc;
}

static struct csf_module_summary *
module_for(struct csf_tenant_summary *t, const char *kind, const char *name)
{
	size_t i;

	for (i = 0; i < t->nmodules; i++) {
		struct csf_module_summary *m = &t->modules[i];

		if (!strcmp(kind, "Deployment") && !strcmp(m->name, name))
			return m;
		if (!strcmp(kind, "HorizontalPodAutoscaler") && m->autoscaler &&
		    !strcmp(m->autoscaler, "HPA") && !strcmp(m->autoscaler_name, name))
			return m;
		if (!strcmp(kind, "ScaledObject") && m->autoscaler && !strcmp(m->autoscaler, "KEDA") &&
		    !strcmp(m->autoscaler_name, name))
			return m;
	}
	return NULL;
}

/* The module a missing object belongs to: by the desired Deployment of the same folder (the
 * object names share the module's kebab name), else a placeholder module. */
static struct csf_module_summary *
owner_for_missing(struct csf_tenants *all, struct csf_tenant_summary *t, const char *kind,
		  const char *name)
{
	const char *base = name;
	size_t i;
	struct csf_module_summary *m;

	if (!strcmp(kind, "ScaledObject") || !strcmp(kind, "HorizontalPodAutoscaler")) {
		if (!strncmp(base, "keda-hpa-", 9))
			base += 9;
		for (i = 0; i < t->nmodules; i++)
			if (!strcmp(t->modules[i].name, base))
				return &t->modules[i];
	}
	for (i = 0; i < t->nmodules; i++)
		if (!strcmp(t->modules[i].name, base))
			return &t->modules[i];
	/* A new placeholder: the tenant's module array lives in the arena; copy it larger. */
	m = csf_arena_alloc(&all->arena, (t->nmodules + 1) * sizeof(*m));
	if (t->nmodules)
		memcpy(m, t->modules, t->nmodules * sizeof(*m));
	t->modules = m;
	m = &t->modules[t->nmodules++];
	memset(m, 0, sizeof(*m));
	m->name = csf_arena_strdup(&all->arena, base);
	m->health = CSF_HEALTH_DOWN;
	m->health_reason = "missing from the cluster";
	m->missing = true;
	return m;
}

static const char *
live_value(const struct csf_module_summary *m, const char *kind, const char *field, char *tmp,
	   size_t n, bool *skip)
{
	*skip = false;
	if (!strcmp(kind, "Deployment")) {
		if (!strcmp(field, "spec.replicas")) {
			/* An autoscaler owns the replica count: comparing it is noise. */
			if (m->autoscaler) {
				*skip = true;
				return NULL;
			}
			snprintf(tmp, n, "%d", m->desired);
			return tmp;
		}
		if (!strcmp(field, "image"))
			return m->image ? m->image : "";
		if (!strcmp(field, "version"))
			return m->version ? m->version : "";
	} else if (!strcmp(field, "spec.minReplicas") || !strcmp(field, "spec.minReplicaCount")) {
		snprintf(tmp, n, "%d", m->min_replicas);
		return tmp;
	} else if (!strcmp(field, "spec.maxReplicas") || !strcmp(field, "spec.maxReplicaCount")) {
		snprintf(tmp, n, "%d", m->max_replicas);
		return tmp;
	}
	*skip = true;
	return NULL;
}

static void
push_drift(struct csf_arena *a, struct csf_module_summary *m, const struct csf_desired_field *f,
	   const char *live)
{
	struct csf_drift *d = csf_arena_alloc(a, (m->ndrift + 1) * sizeof(*d));
	size_t i;

	for (i = 0; i < m->ndrift; i++)
		if (!strcmp(m->drift[i].kind, f->kind) && !strcmp(m->drift[i].name, f->name) &&
		    !strcmp(m->drift[i].field, f->field))
			return;
	if (m->ndrift)
		memcpy(d, m->drift, m->ndrift * sizeof(*d));
	m->drift = d;
	d = &m->drift[m->ndrift++];
	d->kind = csf_arena_strdup(a, f->kind);
	d->name = csf_arena_strdup(a, f->name);
	d->field = csf_arena_strdup(a, f->field);
	d->desired = csf_arena_strdup(a, f->value);
	d->live = csf_arena_strdup(a, live);
	d->source = f->source ? csf_arena_strdup(a, f->source) : NULL;
}

void
csf_cluster_drift(struct csf_tenants *all, const struct csf_desired_field *want, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct csf_desired_field *f = &want[i];
		struct csf_tenant_summary *t = NULL;
		struct csf_module_summary *m;
		char tmp[32];
		const char *live;
		bool skip;

		for (k = 0; k < all->ntenants && !t; k++)
			if (!strcmp(all->tenants[k].namespace, f->namespace))
				t = &all->tenants[k];
		if (!t || t->error)
			continue;
		m = module_for(t, f->kind, f->name);
		if (m && m->missing)
			continue;
		if (!m) {
			if (!strcmp(f->field, "exists")) {
				m = owner_for_missing(all, t, f->kind, f->name);
				push_drift(&all->arena, m, f, "(missing)");
			}
			continue;
		}
		if (!strcmp(f->field, "exists"))
			continue;
		live = live_value(m, f->kind, f->field, tmp, sizeof(tmp), &skip);
		if (!skip && strcmp(live, f->value))
			push_drift(&all->arena, m, f, live);
	}
	for (k = 0; k < all->ntenants; k++) {
		qsort(all->tenants[k].modules, all->tenants[k].nmodules,
		      sizeof(*all->tenants[k].modules), csf_cluster_cmp_module);
		csf_cluster_tenant_rollup(&all->tenants[k]);
	}
	all->drift_checked = true;
}
