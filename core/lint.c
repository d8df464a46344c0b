/* The lint engine: the catalog table, severity config, suppression comments, the passes over a
 * workspace (raw files, effective cells, workspace-wide), merging of repeated findings and the
 * final sort. The rules themselves live in lint_schema.c, lint_secret.c and lint_rules.c. */
#include "core/lint.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/effective.h"
#include "core/lint_int.h"
#include "core/xalloc.h"

static const struct csf_rule_info catalog[CSF_R_COUNT] = {
#define CSF_RULE_INFO(e, id, sev, fix, sum) [CSF_R_##e] = { id, CSF_SEV_##sev, sum, fix },
	CSF_LINT_RULES(CSF_RULE_INFO)
#undef CSF_RULE_INFO
};

static const struct csf_loc noloc;

const char *
csf_severity_name(enum csf_severity s)
{
	switch (s) {
	case CSF_SEV_ERROR: return "error";
	case CSF_SEV_WARNING: return "warning";
	case CSF_SEV_INFO: return "info";
	default: return "off";
	}
}

const struct csf_rule_info *
csf_lint_rules(size_t *n)
{
	*n = CSF_R_COUNT;
	return catalog;
}

const struct csf_rule_info *
csf_lint_rule(const char *id)
{
	size_t i;

	for (i = 0; id && i < CSF_R_COUNT; i++)
		if (!strcmp(catalog[i].id, id))
			return &catalog[i];
	return NULL;
}

bool
csf_lint_parse_severity(const char *s, enum csf_severity *out)
{
	static const char *const names[] = { "off", "info", "warning", "error" };
	size_t i;

	for (i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*out = (enum csf_severity)i;
			return true;
		}
	return false;
}

/* ------------------------------------------------------------------------------------------
 * Run state: file index, dedup table, cells
 */

struct csf_lint_slot {
	size_t idx1;		/* diag index + 1; 0 = empty */
	uint64_t hash;
};

static int
cmp_byname(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(const struct csf_ws_file *const *)a)->doc->path;
	uintptr_t y = (uintptr_t)(*(const struct csf_ws_file *const *)b)->doc->path;

	return x < y ? -1 : x > y;
}

static void
run_init(struct csf_lint_run *run, const struct csf_workspace *ws, struct csf_lint_result *out)
{
	size_t i;

	memset(run, 0, sizeof(*run));
	run->ws = ws;
	run->out = out;
	for (i = 0; i < CSF_R_COUNT; i++)
		run->sev[i] = catalog[i].def;
	for (i = 0; i < ws->lint.nsev; i++) {
		const struct csf_rule_info *ri = csf_lint_rule(ws->lint.sev_rule[i]);
		enum csf_severity s;

		if (ri && csf_lint_parse_severity(ws->lint.sev_value[i], &s))
			run->sev[ri - catalog] = s;
	}
	for (i = 0; i < ws->lint.ndisable; i++) {
		const struct csf_rule_info *ri = csf_lint_rule(ws->lint.disable[i]);

		if (ri)
			run->sev[ri - catalog] = CSF_SEV_OFF;
	}
	run->byname = csf_xcalloc(ws->nfiles ? ws->nfiles : 1, sizeof(*run->byname));
	for (i = 0; i < ws->nfiles; i++)
		if (ws->files[i]->doc)
			run->byname[run->nbyname++] = ws->files[i];
	qsort(run->byname, run->nbyname, sizeof(*run->byname), cmp_byname);
	run->nslots = 256;
	run->slots = csf_xcalloc(run->nslots, sizeof(*run->slots));
	run->bpb = csf_xcalloc(ws->nblueprints + 1, sizeof(*run->bpb));
}

const struct csf_ws_file *
csf_lint_file_of(const struct csf_lint_run *run, const char *doc_path)
{
	size_t lo = 0, hi = run->nbyname;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		uintptr_t p = (uintptr_t)run->byname[mid]->doc->path;

		if (p == (uintptr_t)doc_path)
			return run->byname[mid];
		if (p < (uintptr_t)doc_path)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static uint64_t
hash_finding(enum csf_rule r, const struct csf_ws_file *f, struct csf_loc loc, const char *msg)
{
	uint64_t h = 1469598103934665603ull;
	const unsigned char *p;

	h = (h ^ (uint64_t)r) * 1099511628211ull;
	h = (h ^ (uint64_t)(uintptr_t)f) * 1099511628211ull;
	h = (h ^ loc.line) * 1099511628211ull;
	h = (h ^ loc.col) * 1099511628211ull;
	for (p = (const unsigned char *)msg; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h ? h : 1;
}

static bool
same_finding(const struct csf_diag *d, enum csf_rule r, const char *file, struct csf_loc loc,
	     const char *msg)
{
	return d->rule == catalog[r].id && d->file == file && d->loc.line == loc.line &&
	       d->loc.col == loc.col && !strcmp(d->msg, msg);
}

static void
slots_grow(struct csf_lint_run *run)
{
	size_t n = run->nslots * 2, i;
	struct csf_lint_slot *s = csf_xcalloc(n, sizeof(*s));

	for (i = 0; i < run->nslots; i++) {
		size_t j;

		if (!run->slots[i].idx1)
			continue;
		for (j = run->slots[i].hash & (n - 1); s[j].idx1; j = (j + 1) & (n - 1))
			;
		s[j] = run->slots[i];
	}
	free(run->slots);
	run->slots = s;
	run->nslots = n;
}

/* True when label is one of the ", "-separated entries of b. */
static bool
cells_has(const struct csf_buf *b, const char *label)
{
	size_t n = strlen(label);
	const char *p = b->buf;

	while ((p = strstr(p, label))) {
		bool start = p == b->buf || (p >= b->buf + 2 && p[-1] == ' ' && p[-2] == ',');
		bool end = p[n] == '\0' || p[n] == ',';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

static void
add_cell(struct csf_lint_run *run, size_t idx, const char *label)
{
	struct csf_buf *b = &run->cellbufs[idx];

	if (cells_has(b, label))
		return;
	if (b->len)
		csf_buf_addstr(b, ", ");
	csf_buf_addstr(b, label);
	run->ncells[idx]++;
}

static void
note_hit(struct csf_lint_run *run, size_t idx)
{
	if (!run->cell)
		return;
	add_cell(run, idx, run->cell);
	CSF_GROW(run->hits, run->hits_alloc, run->nhits + 1);
	run->hits[run->nhits++] = idx;
}

/* ------------------------------------------------------------------------------------------
 * Suppression comments: `# csf-lint: disable=rule-a,rule-b reason`
 */

static bool
line_disables(const char *s, size_t len, const char *rule)
{
	const char *end = s + len, *p, *hash;
	size_t rn = strlen(rule);

	hash = memchr(s, '#', len);
	if (!hash)
		return false;
	for (p = hash; p + 9 <= end; p++)
		if (!memcmp(p, "csf-lint:", 9))
			break;
	if (p + 9 > end)
		return false;
	p += 9;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p < 8 || memcmp(p, "disable=", 8))
		return false;
	p += 8;
	while (p < end && *p != ' ' && *p != '\t') {
		const char *q = p;

		while (q < end && *q != ',' && *q != ' ' && *q != '\t')
			q++;
		if (((size_t)(q - p) == rn && !memcmp(p, rule, rn)) ||
		    ((size_t)(q - p) == 3 && !memcmp(p, "all", 3)))
			return true;
		p = q < end && *q == ',' ? q + 1 : q;
	}
	return false;
}

static bool
suppressed(const struct csf_ws_file *f, unsigned line, const char *rule)
{
	size_t len;
	const char *s;

	if (!f || !f->doc || !line)
		return false;
	if ((s = csf_yaml_line(f->doc, line, &len)) && line_disables(s, len, rule))
		return true;
	if (line > 1 && (s = csf_yaml_line(f->doc, line - 1, &len)) && line_disables(s, len, rule))
		return true;
	return false;
}

/* ------------------------------------------------------------------------------------------
 * Emitting findings
 */

static struct csf_diag *
vemit(struct csf_lint_run *run, enum csf_rule r, const char *file, struct csf_loc loc,
      const char *hint, const char *fmt, va_list ap)
{
	const struct csf_ws_file *f;
	struct csf_lint_result *out = run->out;
	struct csf_buf msg = CSF_BUF_INIT;
	struct csf_diag *d;
	const char *path;
	uint64_t h;
	size_t j;

	if (run->sev[r] == CSF_SEV_OFF)
		return NULL;
	if (run->recording) {
		struct csf_lint_rec *rec;

		CSF_GROW(run->recs, run->recs_alloc, run->nrecs + 1);
		rec = &run->recs[run->nrecs++];
		memset(rec, 0, sizeof(*rec));
		rec->rule = r;
		rec->group = run->group;
		rec->file = file;
		rec->loc = loc;
		csf_buf_vaddf(&msg, fmt, ap);
		rec->msg = csf_buf_detach(&msg, NULL);
		rec->hint = hint ? csf_xstrdup(hint) : NULL;
		return &rec->scratch;
	}
	f = file ? csf_lint_file_of(run, file) : NULL;
	if (!f)
		f = run->cur_file;
	if (!f || (run->only && f != run->only))
		return NULL;
	if (suppressed(f, loc.line, catalog[r].id))
		return NULL;
	path = f->path;
	csf_buf_vaddf(&msg, fmt, ap);
	h = hash_finding(r, f, loc, msg.buf);
	for (j = h & (run->nslots - 1); run->slots[j].idx1; j = (j + 1) & (run->nslots - 1)) {
		size_t idx = run->slots[j].idx1 - 1;

		if (run->slots[j].hash == h && same_finding(&out->diags[idx], r, path, loc, msg.buf)) {
			csf_buf_release(&msg);
			note_hit(run, idx);
			return NULL;
		}
	}
	CSF_GROW(out->diags, out->alloc, out->n + 1);
	if (run->cellbufs_alloc < out->alloc) {
		size_t old = run->cellbufs_alloc, k;

		run->cellbufs = csf_xrealloc_array(run->cellbufs, out->alloc, sizeof(*run->cellbufs));
		run->ncells = csf_xrealloc_array(run->ncells, out->alloc, sizeof(*run->ncells));
		run->cells_total = csf_xrealloc_array(run->cells_total, out->alloc,
						      sizeof(*run->cells_total));
		for (k = old; k < out->alloc; k++) {
			csf_buf_init(&run->cellbufs[k], 0);
			run->ncells[k] = 0;
			run->cells_total[k] = 0;
		}
		run->cellbufs_alloc = out->alloc;
	}
	d = &out->diags[out->n];
	memset(d, 0, sizeof(*d));
	d->rule = catalog[r].id;
	d->sev = run->sev[r];
	d->file = path;
	d->loc = loc;
	d->msg = csf_buf_detach(&msg, NULL);
	d->hint = hint ? csf_xstrdup(hint) : NULL;
	run->cells_total[out->n] = run->cell_total;
	run->slots[j].idx1 = out->n + 1;
	run->slots[j].hash = h;
	out->n++;
	if (++run->nused * 2 > run->nslots)
		slots_grow(run);
	note_hit(run, out->n - 1);
	return d;
}

struct csf_diag *
csf_lint_emit(struct csf_lint_run *run, enum csf_rule r, const char *file, struct csf_loc loc,
	      const char *hint, const char *fmt, ...)
{
	struct csf_diag *d;
	va_list ap;

	va_start(ap, fmt);
	d = vemit(run, r, file, loc, hint, fmt, ap);
	va_end(ap);
	return d;
}

struct csf_diag *
csf_lint_at(struct csf_lint_run *run, enum csf_rule r, const struct csf_node *at, const char *hint,
	    const char *fmt, ...)
{
	struct csf_diag *d;
	va_list ap;

	va_start(ap, fmt);
	d = vemit(run, r, at ? at->file : NULL, at ? at->loc : noloc, hint, fmt, ap);
	va_end(ap);
	return d;
}

/* ------------------------------------------------------------------------------------------
 * Passes
 */

/* How to fix a file that did not load, from the loader's error. */
static const char *
load_hint(const struct csf_error *err)
{
	if (strstr(err->msg, "binary"))
		return "this is not a text file: only UTF-8 YAML files belong in the workspace";
	if (strstr(err->msg, "UTF-8") || strstr(err->msg, "UTF-16"))
		return "save the file as UTF-8";
	if (strstr(err->msg, "too large"))
		return "split the file: one blueprint per module stays far below the limit";
	if (strstr(err->msg, "nesting"))
		return "flatten the nesting";
	if (strstr(err->msg, "alias"))
		return "remove the aliases that expand the document";
	if (strstr(err->msg, "more than one YAML document"))
		return "keep one document per file";
	if (err->code == CSF_E_IO)
		return "check the file's permissions";
	return "fix the YAML syntax at this position";
}

static void
lint_raw(struct csf_lint_run *run, const struct csf_ws_file *f)
{
	size_t i;

	run->cur_file = f;
	if (!f->doc) {
		struct csf_diag *d;

		/* A file that did not load has no document: the position is the loader's. */
		d = csf_lint_emit(run, CSF_R_YAML_SYNTAX, NULL, f->err.loc, NULL, "%s", f->err.msg);
		if (d)
			d->hint = csf_xstrdup(load_hint(&f->err));
		return;
	}
	for (i = 0; i < f->doc->ndups; i++) {
		const struct csf_yaml_dup *dup = &f->doc->dups[i];
		char hint[96];

		snprintf(hint, sizeof(hint), "remove one of them; the first is at line %u",
			 dup->first->loc.line);
		csf_lint_at(run, CSF_R_DUPLICATE_KEY, dup->dup, hint,
			    "duplicate key '%s' (YAML keeps only the last one)",
			    dup->dup->str ? dup->dup->str : "");
	}
	csf_lint_schema(run, f);
	csf_lint_secrets(run, f);
}

/* What makes two cells of one blueprint identical: the overlay nodes merged onto it. */
struct cell_sig {
	const void *p[8];
	size_t first_hit, nhit;		/* range in sighits */
};

/* The blueprint's configuration.environmentOverlays entry for env (ov is that mapping). */
static const struct csf_node *
env_overlay_of(const struct csf_node *ov, const char *env)
{
	size_t i;

	for (i = 0; env && csf_node_is_map(ov) && i < ov->n; i++) {
		const char *k = csf_node_str(ov->kids[2 * i]);

		if (k && !strcmp(csf_env_canonical(k), env))
			return ov->kids[2 * i + 1];
	}
	return NULL;
}

/* The tenant half of a cell's signature (p[0..3] and p[7]). */
static void
tenant_sig(const struct csf_workspace *ws, const struct csf_blueprint *bp,
	   const struct csf_tenant *t, const void **p)
{
	p[0] = t && t->edition ? csf_ws_edition(ws, t->edition) : NULL;
	p[1] = t ? t->overrides : NULL;
	p[2] = t && bp->module ? csf_node_get(t->modules, bp->module) : NULL;
	p[3] = t ? t->provider : NULL;
	p[7] = t && bp->tenant_only ? t : NULL;
}

/* The environment half (p[4..6]). */
static void
env_sig(const struct csf_node *ov, const struct csf_environment *e, const void **p)
{
	p[4] = e ? e->overrides : NULL;
	p[5] = e ? e->values : NULL;
	p[6] = e ? env_overlay_of(ov, e->name) : NULL;
}

/* Block bits of the top-level keys of an overlay map. */
static unsigned
overlay_bits(const struct csf_node *map)
{
	unsigned bits = 0;
	size_t i;

	for (i = 0; csf_node_is_map(map) && i < map->n; i++) {
		const char *k = csf_node_str(map->kids[2 * i]);
		const struct csf_node *v = map->kids[2 * i + 1];

		/* configuration: { values: … } only touches the values. */
		if (k && !strcmp(k, "configuration") && csf_node_is_map(v) && v->n == 1 &&
		    csf_node_str(v->kids[0]) && !strcmp(v->kids[0]->str, "values"))
			bits |= CSF_B_CONFIG_VALUES;
		else
			bits |= k ? csf_lint_block_bit(k) : CSF_B_ROOT;
	}
	return bits;
}

/* The rule groups whose blocks bits touches (bit g = group g). */
static unsigned
groups_of(unsigned bits)
{
	unsigned mask = 0, g;

	for (g = 0; g < CSF_LINT_GROUPS; g++)
		if (csf_lint_group_reads(g) & bits)
			mask |= 1u << g;
	return mask;
}

/* The groups the tenant side of a cell touches: edition, tenant overrides, the tenant's module
 * overrides and its provider. */
static unsigned
tenant_dirty(const struct csf_workspace *ws, const struct csf_blueprint *bp,
	     const struct csf_tenant *t)
{
	const struct csf_edition *ed = t && t->edition ? csf_ws_edition(ws, t->edition) : NULL;
	unsigned bits = 0;

	if (ed)
		bits |= overlay_bits(ed->overrides);
	if (t) {
		bits |= overlay_bits(t->overrides);
		if (bp->module)
			bits |= overlay_bits(csf_node_get(t->modules, bp->module));
		if (t->provider)
			bits |= CSF_B_PROVIDER | CSF_B_CLOUD;
	}
	return groups_of(bits);
}

/* The groups the environment side touches: its overrides, values and the overlay for it. */
static unsigned
env_dirty(const struct csf_node *ov, const struct csf_environment *e)
{
	unsigned bits = 0;

	if (e) {
		bits |= overlay_bits(e->overrides);
		if (e->values || env_overlay_of(ov, e->name))
			bits |= CSF_B_CONFIG_VALUES;
	}
	return groups_of(bits);
}

/* Records the findings of the groups in mask on the tree of (t, e) under source src. */
static void
record(struct csf_lint_run *run, const struct csf_blueprint *bp, const struct csf_tenant *t,
       const struct csf_environment *e, unsigned mask, size_t src)
{
	struct csf_effective *eff = csf_effective_new(run->ws, bp, t, e);
	size_t first = run->nrecs, i;

	run->recording = true;
	csf_lint_cell(run, eff, mask);
	run->recording = false;
	for (i = first; i < run->nrecs; i++)
		run->recs[i].src = src;
	csf_effective_free(eff);
}

/* Emits into the current cell the recorded findings of source src whose group is in mask. */
static void
replay(struct csf_lint_run *run, size_t src, unsigned mask)
{
	size_t i;

	for (i = 0; i < run->nrecs; i++) {
		struct csf_lint_rec *rec = &run->recs[i];
		struct csf_diag *d;

		if (rec->src != src || !(mask & (1u << rec->group)))
			continue;
		d = csf_lint_emit(run, rec->rule, rec->file, rec->loc, rec->hint, "%s", rec->msg);
		if (d && rec->scratch.fix) {
			d->fix = rec->scratch.fix;
			rec->scratch.fix = NULL;
		}
	}
}

static void
recs_clear(struct csf_lint_run *run)
{
	size_t i;

	for (i = 0; i < run->nrecs; i++) {
		free(run->recs[i].msg);
		free(run->recs[i].hint);
		csf_fix_free(run->recs[i].scratch.fix);
	}
	run->nrecs = 0;
}

/* Lints one blueprint in every cell (tenant × environment).
 *
 * Most overlays touch few blocks, so the work is split by what each rule group reads:
 *   - a group no overlay of the cell touches finds what it finds on the blueprint alone
 *     (evaluated once, source 0);
 *   - a group only the tenant side touches is evaluated once per tenant on blueprint ⊕ tenant
 *     (source 1 + ti); likewise once per environment on blueprint ⊕ environment (1 + nt + ei);
 *   - a group both sides touch is evaluated on the cell's own effective blueprint.
 * Recorded findings are replayed into each cell, so a finding seen in several cells is one
 * finding with the cells listed. Cells whose overlays are identical share their hits. */
static void
lint_cells(struct csf_lint_run *run, const struct csf_blueprint *bp,
	   const struct csf_tenant *const *ts, size_t nt, bool tenant_filtered,
	   const struct csf_environment *const *es, size_t ne)
{
	const struct csf_workspace *ws = run->ws;
	const unsigned all = (1u << CSF_LINT_GROUPS) - 1;
	struct cell_sig *sigs;
	size_t nsig = 0, *sighits = NULL, nsighits = 0, sighits_alloc = 0, ti, ei, total;
	unsigned *tmask, *emask;
	bool *tdone, *edone;
	struct cell_sig *tsig, *esig;
	struct csf_buf label = CSF_BUF_INIT;
	const struct csf_tenant *only_t = NULL;
	const struct csf_node *ov = csf_node_path(bp->root, "configuration.environmentOverlays");

	/* A tenant-specific blueprint (top-level tenantId) is deployed for that tenant only. */
	if (bp->tenant_only) {
		only_t = csf_ws_tenant(ws, bp->tenant_only);
		if (tenant_filtered && ts[0] != only_t)
			return;
		ts = &only_t;
		nt = 1;
	}
	total = nt * ne;
	sigs = csf_xcalloc(total ? total : 1, sizeof(*sigs));
	tmask = csf_xcalloc(nt, sizeof(*tmask));
	emask = csf_xcalloc(ne, sizeof(*emask));
	tdone = csf_xcalloc(nt, sizeof(*tdone));
	edone = csf_xcalloc(ne, sizeof(*edone));
	tsig = csf_xcalloc(nt, sizeof(*tsig));
	esig = csf_xcalloc(ne, sizeof(*esig));
	run->cur_file = bp->file;
	run->cell_total = total;
	run->nrecs = 0;
	record(run, bp, NULL, NULL, all, 0);
	for (ti = 0; ti < nt; ti++) {
		tmask[ti] = tenant_dirty(ws, bp, ts[ti]);
		tenant_sig(ws, bp, ts[ti], tsig[ti].p);
	}
	for (ei = 0; ei < ne; ei++) {
		emask[ei] = env_dirty(ov, es[ei]);
		env_sig(ov, es[ei], esig[ei].p);
	}
	for (ti = 0; ti < nt; ti++) {
		const struct csf_tenant *t = ts[ti];

		for (ei = 0; ei < ne; ei++) {
			const struct csf_environment *e = es[ei];
			unsigned both = tmask[ti] & emask[ei];
			unsigned tside = tmask[ti] & ~emask[ei], eside = emask[ei] & ~tmask[ti];
			struct cell_sig s;
			size_t k, h;

			csf_buf_reset(&label);
			if (t)
				csf_buf_addstr(&label, t->id);
			if (t && e)
				csf_buf_addch(&label, '/');
			if (e)
				csf_buf_addstr(&label, e->name);
			run->cell = label.len ? label.buf : "default";
			memset(&s, 0, sizeof(s));
			memcpy(s.p, tsig[ti].p, sizeof(s.p));
			s.p[4] = esig[ei].p[4];
			s.p[5] = esig[ei].p[5];
			s.p[6] = esig[ei].p[6];
			for (k = 0; k < nsig; k++)
				if (!memcmp(sigs[k].p, s.p, sizeof(s.p)))
					break;
			if (k < nsig) {
				for (h = 0; h < sigs[k].nhit; h++)
					add_cell(run, sighits[sigs[k].first_hit + h], run->cell);
				continue;
			}
			if (tside && !tdone[ti]) {
				record(run, bp, t, NULL, tmask[ti], 1 + ti);
				tdone[ti] = true;
			}
			if (eside && !edone[ei]) {
				record(run, bp, NULL, e, emask[ei], 1 + nt + ei);
				edone[ei] = true;
			}
			run->nhits = 0;
			replay(run, 0, all & ~(tmask[ti] | emask[ei]));
			replay(run, 1 + ti, tside);
			replay(run, 1 + nt + ei, eside);
			if (both) {
				struct csf_effective *eff = csf_effective_new(ws, bp, t, e);

				csf_lint_cell(run, eff, both);
				csf_effective_free(eff);
			}
			s.first_hit = nsighits;
			s.nhit = run->nhits;
			CSF_GROW(sighits, sighits_alloc, nsighits + run->nhits + 1);
			if (run->nhits)
				memcpy(sighits + nsighits, run->hits, run->nhits * sizeof(*sighits));
			nsighits += run->nhits;
			sigs[nsig++] = s;
		}
	}
	run->cell = NULL;
	csf_buf_release(&label);
	free(sigs);
	free(sighits);
	free(tmask);
	free(emask);
	free(tdone);
	free(edone);
	free(tsig);
	free(esig);
	recs_clear(run);
}

/* Raw rules on every file and the cells of every blueprint. A blueprint's cells are linted
 * right after its raw rules, while its nodes are still in the CPU caches. only_bp: just that
 * blueprint's cells (csf_lint_file). */
static void
lint_all(struct csf_lint_run *run, const struct csf_lint_opts *o, const struct csf_ws_file *raw_only,
	 const struct csf_blueprint *only_bp)
{
	const struct csf_workspace *ws = run->ws;
	const struct csf_tenant **ts;
	const struct csf_environment **es;
	bool *done = csf_xcalloc(ws->nblueprints + 1, sizeof(*done));
	size_t nt = 0, ne = 0, i, j = 0;
	bool tf = o && o->tenant;

	ts = csf_xcalloc(ws->ntenants + 1, sizeof(*ts));
	es = csf_xcalloc(ws->nenvs + 1, sizeof(*es));
	if (o && o->tenant)
		ts[nt++] = csf_ws_tenant(ws, o->tenant);
	else
		for (i = 0; i < ws->ntenants; i++)
			ts[nt++] = &ws->tenants[i];
	if (!nt)
		ts[nt++] = NULL;
	if (o && o->env)
		es[ne++] = csf_ws_env(ws, o->env);
	else
		for (i = 0; i < ws->nenvs; i++)
			es[ne++] = &ws->envs[i];
	if (!ne)
		es[ne++] = NULL;
	for (i = 0; i < ws->nfiles; i++) {
		const struct csf_ws_file *f = ws->files[i];

		if (!raw_only || f == raw_only)
			lint_raw(run, f);
		/* Blueprints are indexed in file order. */
		while (j < ws->nblueprints && ws->blueprints[j].file == f) {
			if (!only_bp || &ws->blueprints[j] == only_bp)
				lint_cells(run, &ws->blueprints[j], ts, nt, tf, es, ne);
			csf_lint_bp_blocks(run, j);	/* for the global rules, while warm */
			done[j++] = true;
		}
	}
	for (j = 0; j < ws->nblueprints; j++)
		if (!done[j] && (!only_bp || &ws->blueprints[j] == only_bp))
			lint_cells(run, &ws->blueprints[j], ts, nt, tf, es, ne);
	free(done);
	free(ts);
	free(es);
}

static int
cmp_diag(const void *pa, const void *pb)
{
	const struct csf_diag *a = pa, *b = pb;
	int c = strcmp(a->file, b->file);

	if (c)
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	c = strcmp(a->rule, b->rule);
	return c ? c : strcmp(a->msg, b->msg);
}

static void
run_finish(struct csf_lint_run *run)
{
	struct csf_lint_result *out = run->out;
	size_t i;

	for (i = 0; i < out->n; i++) {
		struct csf_diag *d = &out->diags[i];

		if (run->ncells[i] && run->ncells[i] < run->cells_total[i])
			d->cells = csf_buf_detach(&run->cellbufs[i], NULL);
		csf_buf_release(&run->cellbufs[i]);
	}
	if (out->n)
		qsort(out->diags, out->n, sizeof(*out->diags), cmp_diag);
	out->nerrors = out->nwarnings = out->ninfos = 0;
	for (i = 0; i < out->n; i++) {
		switch (out->diags[i].sev) {
		case CSF_SEV_ERROR: out->nerrors++; break;
		case CSF_SEV_WARNING: out->nwarnings++; break;
		case CSF_SEV_INFO: out->ninfos++; break;
		default: break;
		}
	}
	free(run->cellbufs);
	free(run->ncells);
	free(run->cells_total);
	free(run->slots);
	free(run->byname);
	free(run->hits);
	free(run->recs);
	free(run->keyc);
	free(run->keyc_val);
	free(run->bpb);
}

static enum csf_status
check_opts(const struct csf_workspace *ws, const struct csf_lint_opts *o, struct csf_error *err)
{
	if (o && o->tenant && !csf_ws_tenant(ws, o->tenant))
		return csf_fail(err, CSF_E_USAGE, NULL, noloc, "unknown tenant '%s'", o->tenant);
	if (o && o->env && !csf_ws_env(ws, o->env))
		return csf_fail(err, CSF_E_USAGE, NULL, noloc, "unknown environment '%s'", o->env);
	return CSF_E_OK;
}

enum csf_status
csf_lint_workspace(const struct csf_workspace *ws, const struct csf_lint_opts *o,
		   struct csf_lint_result *out, struct csf_error *err)
{
	struct csf_lint_run run;

	if (check_opts(ws, o, err))
		return err->code;
	run_init(&run, ws, out);
	lint_all(&run, o, NULL, NULL);
	csf_lint_global(&run);
	run_finish(&run);
	return CSF_E_OK;
}

enum csf_status
csf_lint_file(const struct csf_workspace *ws, const struct csf_ws_file *f,
	      const struct csf_lint_opts *o, struct csf_lint_result *out, struct csf_error *err)
{
	struct csf_lint_run run;
	const struct csf_blueprint *bp = NULL;
	size_t i;

	if (check_opts(ws, o, err))
		return err->code;
	run_init(&run, ws, out);
	run.only = f;
	for (i = 0; i < ws->nblueprints; i++)
		if (ws->blueprints[i].file == f)
			bp = &ws->blueprints[i];
	/* A blueprint's findings come from its own cells; a tenant's or an environment's from the
	 * cells of every blueprint. */
	if (f->doc)
		lint_all(&run, o, f, bp);
	else
		lint_raw(&run, f);
	csf_lint_global(&run);
	run_finish(&run);
	return CSF_E_OK;
}

void
csf_lint_result_release(struct csf_lint_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->diags[i].msg);
		free(r->diags[i].hint);
		free(r->diags[i].cells);
		csf_fix_free(r->diags[i].fix);
	}
	free(r->diags);
	memset(r, 0, sizeof(*r));
}
