#include "core/effective.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static struct csf_node *
unconst(const struct csf_node *n)
{
	return (struct csf_node *)(uintptr_t)n;
}

static long
find_pair(const struct csf_node *map, const struct csf_node *key)
{
	size_t i;

	if (key->kind != CSF_NODE_SCALAR)
		return -1;
	for (i = map->n; i-- > 0;) {
		const struct csf_node *k = map->kids[2 * i];

		if (k->kind == CSF_NODE_SCALAR && k->len == key->len && !memcmp(k->str, key->str, k->len))
			return (long)i;
	}
	return -1;
}

struct csf_node *
csf_yaml_merge(struct csf_arena *arena, const struct csf_node *dst, const struct csf_node *src)
{
	struct csf_node *out;
	size_t i;

	if (!src)
		return unconst(dst);
	if (!dst || dst->kind != CSF_NODE_MAP || src->kind != CSF_NODE_MAP)
		return unconst(src);
	out = csf_node_clone(arena, dst);
	for (i = 0; i < src->n; i++) {
		const struct csf_node *k = src->kids[2 * i], *v = src->kids[2 * i + 1];
		long at = find_pair(out, k);

		if (csf_node_is_null(v) && v->kind == CSF_NODE_SCALAR) {
			if (at >= 0)
				csf_node_map_remove(out, (size_t)at);
			continue;
		}
		if (at >= 0)
			out->kids[2 * at + 1] = csf_yaml_merge(arena, out->kids[2 * at + 1], v);
		else
			csf_node_append(arena, out, unconst(k), unconst(v));
	}
	return out;
}

/* Sets root.a.b = value (creating maps on the way) by merging a one-path tree. */
static struct csf_node *
merge_at(struct csf_arena *a, struct csf_node *root, const char *k1, const char *k2,
	 const struct csf_node *value)
{
	struct csf_node *inner, *outer;

	if (!value)
		return root;
	inner = csf_node_new(a, CSF_NODE_MAP);
	inner->file = value->file;
	inner->loc = value->loc;
	csf_node_append(a, inner, csf_node_new_str(a, k2), unconst(value));
	outer = csf_node_new(a, CSF_NODE_MAP);
	outer->file = value->file;
	outer->loc = value->loc;
	csf_node_append(a, outer, csf_node_new_str(a, k1), inner);
	return csf_yaml_merge(a, root, outer);
}

static bool
seq_has(const struct csf_node *seq, const char *s)
{
	size_t i;

	for (i = 0; seq && seq->kind == CSF_NODE_SEQ && i < seq->n; i++)
		if (csf_node_str(seq->kids[i]) && !strcmp(seq->kids[i]->str, s))
			return true;
	return false;
}

/* Keeps the blueprint features the edition enables. */
static struct csf_node *
restrict_features(struct csf_arena *a, struct csf_node *root, const struct csf_edition *ed)
{
	const struct csf_node *feat = csf_node_get(root, "features");
	struct csf_node *keep, *patch;
	size_t i;

	if (!ed || !csf_node_is_seq(ed->features) || !csf_node_is_seq(feat))
		return root;
	keep = csf_node_new(a, CSF_NODE_SEQ);
	*keep = *feat;
	keep->n = 0;
	keep->kids = NULL;
	keep->weight = 1;
	for (i = 0; i < feat->n; i++)
		if (csf_node_str(feat->kids[i]) && seq_has(ed->features, feat->kids[i]->str))
			csf_node_append(a, keep, NULL, feat->kids[i]);
	patch = csf_node_new(a, CSF_NODE_MAP);
	csf_node_append(a, patch, csf_node_new_str(a, "features"), keep);
	return csf_yaml_merge(a, root, patch);
}

/* The overlay of configuration.environmentOverlays for env (accepting prod/stage keys). */
static const struct csf_node *
env_overlay(const struct csf_node *root, const char *env)
{
	const struct csf_node *ov = csf_node_path(root, "configuration.environmentOverlays");
	size_t i;

	if (!csf_node_is_map(ov) || !env)
		return NULL;
	for (i = 0; i < ov->n; i++) {
		const char *k = csf_node_str(ov->kids[2 * i]);

		if (k && !strcmp(csf_env_canonical(k), env))
			return ov->kids[2 * i + 1];
	}
	return NULL;
}

struct csf_effective *
csf_effective_new(const struct csf_workspace *ws, const struct csf_blueprint *bp,
		  const struct csf_tenant *tenant, const struct csf_environment *env)
{
	struct csf_effective *eff = csf_xcalloc(1, sizeof(*eff));
	struct csf_arena *a = &eff->arena;
	struct csf_node *root;
	const char *module = bp->module;

	eff->bp = bp;
	eff->tenant = tenant;
	eff->env = env;
	eff->env_name = env ? env->name : NULL;
	eff->edition = tenant && tenant->edition ? csf_ws_edition(ws, tenant->edition) : NULL;
	root = csf_node_is_map(bp->root) ? unconst(bp->root) : csf_node_new(a, CSF_NODE_MAP);
	if (eff->edition) {
		root = restrict_features(a, root, eff->edition);
		if (csf_node_is_map(eff->edition->overrides))
			root = csf_yaml_merge(a, root, eff->edition->overrides);
	}
	if (tenant) {
		if (csf_node_is_map(tenant->overrides))
			root = csf_yaml_merge(a, root, tenant->overrides);
		if (module && csf_node_is_map(csf_node_get(tenant->modules, module)))
			root = csf_yaml_merge(a, root, csf_node_get(tenant->modules, module));
		if (tenant->provider) {
			const struct csf_node *pk = csf_node_get(tenant->root, "provider");

			root = merge_at(a, root, "cloud", "provider", pk);
		}
	}
	if (env) {
		if (csf_node_is_map(env->overrides))
			root = csf_yaml_merge(a, root, env->overrides);
		if (csf_node_is_map(env->values))
			root = merge_at(a, root, "configuration", "values", env->values);
		root = merge_at(a, root, "configuration", "values", env_overlay(root, env->name));
	}
	eff->root = root;
	eff->provider = csf_node_text(csf_node_path(root, "cloud.provider"));
	if (!eff->provider)
		eff->provider = "azure";
	return eff;
}

void
csf_effective_free(struct csf_effective *eff)
{
	if (!eff)
		return;
	csf_arena_release(&eff->arena);
	free(eff);
}

const struct csf_node *
csf_effective_get(const struct csf_effective *eff, const char *path)
{
	return csf_node_path(eff->root, path);
}
