/* The workspace-wide rules: event contracts across modules (event-contract-mismatch), traffic
 * policies naming modules that do not exist (traffic-unknown-module) and names declared twice
 * (duplicate-name). They run on the raw
 * blueprints, once per workspace, and only for a real workspace (loose files have no neighbours
 * to check against). */
#include "core/lint_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/workspace.h"
#include "core/xalloc.h"

const struct csf_lint_bpblocks *
csf_lint_bp_blocks(struct csf_lint_run *run, size_t i)
{
	struct csf_lint_bpblocks *b = &run->bpb[i];
	const struct csf_node *root = run->ws->blueprints[i].root;
	size_t k;

	if (b->set)
		return b;
	b->set = true;
	for (k = 0; csf_node_is_map(root) && k < root->n; k++) {
		const char *key = csf_node_str(root->kids[2 * k]);
		const struct csf_node *v = root->kids[2 * k + 1];

		/* The last of duplicate keys wins, as in csf_node_get(). */
		if (key && key[0] == 'e' && !strcmp(key, "events")) {
			b->emits = csf_node_get(v, "emits");
			b->consumes = csf_node_get(v, "consumes");
		} else if (key && key[0] == 'n' && !strcmp(key, "network")) {
			b->allow = csf_node_path(v, "trafficPolicy.allow");
		}
	}
	return b;
}

struct emitted {
	const char *name;	/* without the version */
	size_t len;
	const char *full;
	const char *module;
};

static int
cmp_emitted(const void *pa, const void *pb)
{
	const struct emitted *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);

	return c ? c : a->len < b->len ? -1 : a->len > b->len;
}

static size_t
base_len(const char *s)
{
	return csf_lint_has_version(s) ? (size_t)(strrchr(s, '.') - s) : strlen(s);
}

static void
rule_event_contracts(struct csf_lint_run *run)
{
	const struct csf_workspace *ws = run->ws;
	struct emitted *em = NULL, key;
	size_t nem = 0, alloc = 0, b, i;

	for (b = 0; b < ws->nblueprints; b++) {
		const struct csf_node *seq = csf_lint_bp_blocks(run, b)->emits;

		for (i = 0; csf_node_is_seq(seq) && i < seq->n; i++) {
			if (!csf_node_text(seq->kids[i]))
				continue;
			CSF_GROW(em, alloc, nem + 1);
			em[nem].full = seq->kids[i]->str;
			em[nem].name = em[nem].full;
			em[nem].len = base_len(em[nem].full);
			em[nem].module = ws->blueprints[b].module ? ws->blueprints[b].module : "?";
			nem++;
		}
	}
	if (nem)
		qsort(em, nem, sizeof(*em), cmp_emitted);
	for (b = 0; b < ws->nblueprints; b++) {
		const struct csf_node *seq = csf_lint_bp_blocks(run, b)->consumes;

		run->cur_file = ws->blueprints[b].file;
		for (i = 0; csf_node_is_seq(seq) && i < seq->n; i++) {
			const struct csf_node *it = seq->kids[i];
			struct emitted *hit;
			size_t lo, hi, k;
			bool same = false;

			if (!csf_node_text(it))
				continue;
			key.name = it->str;
			key.len = base_len(it->str);
			hit = nem ? bsearch(&key, em, nem, sizeof(*em), cmp_emitted) : NULL;
			if (!hit) {
				csf_lint_at(run, CSF_R_EVENT_CONTRACT_MISMATCH, it,
					    "add the event to the producing module's events.emits, or "
					    "remove it from consumes",
					    "consumes '%s' but no module in the workspace emits %.*s",
					    it->str, (int)key.len, it->str);
				continue;
			}
			lo = hi = (size_t)(hit - em);
			while (lo > 0 && !cmp_emitted(&em[lo - 1], &key))
				lo--;
			while (hi + 1 < nem && !cmp_emitted(&em[hi + 1], &key))
				hi++;
			for (k = lo; k <= hi; k++)
				if (!strcmp(em[k].full, it->str) || !csf_lint_has_version(it->str))
					same = true;
			if (!same)
				csf_lint_at(run, CSF_R_EVENT_CONTRACT_MISMATCH, it,
					    "consume the version that is emitted, or emit both versions "
					    "during the migration",
					    "consumes '%s' but %s emits %s", it->str, em[lo].module,
					    em[lo].full);
		}
	}
	free(em);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A module is named by its `module:` (PascalCase) or its kebab-case form; the kebab forms are
 * only built when a name is not a module name as written. */
static void
rule_traffic_modules(struct csf_lint_run *run)
{
	const struct csf_workspace *ws = run->ws;
	const char **names = csf_xcalloc(ws->nblueprints + 1, sizeof(*names));
	char **kebab = NULL;
	size_t nn = 0, nk = 0, b, i, s;

	for (b = 0; b < ws->nblueprints; b++)
		if (ws->blueprints[b].module)
			names[nn++] = ws->blueprints[b].module;
	qsort(names, nn, sizeof(*names), cmp_cstr);
	for (b = 0; b < ws->nblueprints; b++) {
		const struct csf_node *allow = csf_lint_bp_blocks(run, b)->allow;

		run->cur_file = ws->blueprints[b].file;
		for (i = 0; csf_node_is_seq(allow) && i < allow->n; i++) {
			static const char *const sides[] = { "from", "to" };

			for (s = 0; s < 2; s++) {
				const struct csf_node *m = csf_node_get(allow->kids[i], sides[s]);
				const char *key, *dym;
				char hint[128];

				if (!csf_node_text(m))
					continue;
				key = m->str;
				if (nn && bsearch(&key, names, nn, sizeof(*names), cmp_cstr))
					continue;
				if (!kebab) {
					kebab = csf_xcalloc(nn + 1, sizeof(*kebab));
					for (nk = 0; nk < nn; nk++)
						kebab[nk] = csf_kebab(names[nk]);
					qsort(kebab, nk, sizeof(*kebab), cmp_str);
				}
				if (nk && bsearch(&key, kebab, nk, sizeof(*kebab), cmp_str))
					continue;
				dym = csf_did_you_mean(m->str, names, nn);
				if (!dym)
					dym = csf_did_you_mean(m->str, (const char *const *)kebab, nk);
				if (dym)
					snprintf(hint, sizeof(hint), "did you mean '%s'?", dym);
				else
					snprintf(hint, sizeof(hint),
						 "name a module of blueprints/ (its `module:`)");
				csf_lint_at(run, CSF_R_TRAFFIC_UNKNOWN_MODULE, m, hint,
					    "trafficPolicy %s '%s' names no module of this workspace",
					    sides[s], m->str);
			}
		}
	}
	for (i = 0; i < nk; i++)
		free(kebab[i]);
	free(kebab);
	free(names);
}

/* Where a name is declared: the value of key in the file's mapping, else the mapping itself
 * (a tenant named after its file has no tenantId). */
static const struct csf_node *
name_node(const struct csf_node *root, const char *key)
{
	const struct csf_node *v = csf_node_get(root, key);

	return v ? v : root;
}

/* Reports the later of two files that declare the same name at node at. what is "module",
 * "tenant", …; effect says what happens to the second declaration. */
static void
report_duplicate(struct csf_lint_run *run, const struct csf_ws_file *first,
		 const struct csf_ws_file *second, const struct csf_node *at, const char *what,
		 const char *name, const char *effect)
{
	struct csf_buf hint = CSF_BUF_INIT;

	if (!at)
		return;
	csf_buf_addf(&hint, "first declared in %s; rename or remove one",
		     !first ? "?" : first->rel ? first->rel : first->path);
	run->cur_file = second;
	csf_lint_at(run, CSF_R_DUPLICATE_NAME, at, hint.buf, "%s %s is declared twice (%s)", what,
		    name, effect);
	csf_buf_release(&hint);
}

/* Two files that declare the same module (for overlapping tenants: a tenant-specific
 * blueprint clashes with a shared one, not with another tenant's), tenant, edition or
 * environment. Names compare exactly, as render and the lookups do: BookingService and
 * bookingservice are two modules. Environment names compare by their canonical form (prod is
 * production). Quadratic, like render's check; workspaces hold tens of files. */
static void
rule_duplicate_names(struct csf_lint_run *run)
{
	const struct csf_workspace *ws = run->ws;
	size_t i, j;

	for (i = 1; i < ws->nblueprints; i++) {
		const struct csf_blueprint *b = &ws->blueprints[i];

		for (j = 0; b->module && j < i; j++) {
			const struct csf_blueprint *a = &ws->blueprints[j];

			if (!a->module || strcmp(a->module, b->module))
				continue;
			if (a->tenant_only && b->tenant_only && strcmp(a->tenant_only, b->tenant_only))
				continue;
			report_duplicate(run, a->file, b->file, name_node(b->root, "module"),
					 "module", b->module, "render refuses this one");
			break;
		}
	}
	for (i = 1; i < ws->ntenants; i++)
		for (j = 0; ws->tenants[i].id && j < i; j++)
			if (ws->tenants[j].id && !strcmp(ws->tenants[j].id, ws->tenants[i].id)) {
				report_duplicate(run, ws->tenants[j].file, ws->tenants[i].file,
						 name_node(ws->tenants[i].root, "tenantId"),
						 "tenant", ws->tenants[i].id,
						 "render refuses this one");
				break;
			}
	for (i = 1; i < ws->neditions; i++)
		for (j = 0; ws->editions[i].name && j < i; j++)
			if (ws->editions[j].name &&
			    !strcmp(ws->editions[j].name, ws->editions[i].name)) {
				report_duplicate(run, ws->editions[j].file, ws->editions[i].file,
						 name_node(ws->editions[i].root, "name"),
						 "edition", ws->editions[i].name,
						 "tenants get the first one");
				break;
			}
	for (i = 1; i < ws->nenvs; i++)
		for (j = 0; ws->envs[i].name && j < i; j++)
			if (ws->envs[j].name && !strcmp(csf_env_canonical(ws->envs[j].name),
							csf_env_canonical(ws->envs[i].name))) {
				report_duplicate(run, ws->envs[j].file, ws->envs[i].file,
						 name_node(ws->envs[i].root, "name"),
						 "environment", ws->envs[i].name,
						 "--env finds the first one");
				break;
			}
}

void
csf_lint_global(struct csf_lint_run *run)
{
	/* Loose files have no workspace around them: nothing to check contracts against. */
	if (!run->ws->root)
		return;
	rule_event_contracts(run);
	rule_traffic_modules(run);
	rule_duplicate_names(run);
	run->cur_file = NULL;
}
