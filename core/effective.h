/* The effective blueprint for (tenant, environment), with provenance (DESIGN §2.3).
 *
 *   blueprint ⊕ edition.overrides ⊕ tenant.overrides ⊕ tenant.modules[M] ⊕ environment.overrides
 *             ⊕ environment.values (into configuration.values)
 *             ⊕ configuration.environmentOverlays[env] (into configuration.values)
 *
 * Maps merge deeply, scalars and lists replace, an explicit null deletes. The edition's
 * `features` list restricts the blueprint's features (a feature the edition does not list is
 * dropped). Every node of the result keeps the file and line that set it (node->file,
 * node->loc): that is the provenance. The tenant's `provider` overrides cloud.provider.
 */
#ifndef CSF_CORE_EFFECTIVE_H
#define CSF_CORE_EFFECTIVE_H

#include "core/arena.h"
#include "core/workspace.h"

struct csf_effective {
	struct csf_arena arena;			/* nodes created by merging */
	struct csf_node *root;			/* the merged mapping (never NULL) */
	const struct csf_blueprint *bp;
	const struct csf_tenant *tenant;	/* NULL: no tenant overlay */
	const struct csf_edition *edition;	/* the tenant's edition, or NULL */
	const struct csf_environment *env;	/* NULL: no environment overlay */
	const char *provider;			/* effective provider (tenant override, then
						 * cloud.provider, then "azure") */
	const char *env_name;			/* canonical environment name or NULL */
};

/* Builds the effective blueprint. tenant and env may be NULL. The result borrows from ws and
 * stays valid until ws is freed or reloaded. Caller owns the result; free with
 * csf_effective_free(). */
struct csf_effective *csf_effective_new(const struct csf_workspace *ws,
					const struct csf_blueprint *bp,
					const struct csf_tenant *tenant,
					const struct csf_environment *env);
void csf_effective_free(struct csf_effective *eff);

/* Value at a dotted path ("scaling.maxReplicas"), or NULL. Its ->file and ->loc say who set it. */
const struct csf_node *csf_effective_get(const struct csf_effective *eff, const char *path);

/* Merges src onto dst (see above) and returns the result; neither input is modified (new
 * nodes come from arena; unchanged subtrees are shared). */
struct csf_node *csf_yaml_merge(struct csf_arena *arena, const struct csf_node *dst,
				const struct csf_node *src);

#endif
