/* libFuzzer target: the line, word and semantic diffs (core/diff, core/semdiff) and the
 * multi-document stream loader on arbitrary bytes.
 *
 * The input is split at its first 0xFF byte (or in the middle) into an old and a new side.
 * Properties: a side compared with itself is the same (line and semantic); added/removed line
 * counts match the lines of the hunks; word spans lie inside their line; every side-by-side row
 * has a line on at least one side; the stream loader's documents start at increasing lines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/diff.h"
#include "core/semdiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* One libgit2 reference for the whole run, so each diff does not initialise libgit2 again. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	csf_diff_lib_acquire();
	return 0;
}

static void
check_diff(const struct csf_diff *d)
{
	size_t h, i, s, add = 0, del = 0;
	struct csf_diff_row *rows;
	size_t nrows;

	for (h = 0; h < d->nhunks; h++)
		for (i = 0; i < d->hunks[h].nlines; i++) {
			const struct csf_diff_line *l = &d->hunks[h].lines[i];

			add += l->kind == CSF_DIFF_ADD;
			del += l->kind == CSF_DIFF_DEL;
			for (s = 0; s < l->nspans; s++)
				if (l->spans[s].off + l->spans[s].len > l->len)
					abort();
		}
	if (add != d->added || del != d->removed)
		abort();
	csf_diff_rows(d, &rows, &nrows);
	for (i = 0; i < nrows; i++)
		if (rows[i].kind != CSF_ROW_HUNK && !rows[i].left && !rows[i].right)
			abort();
	free(rows);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const uint8_t *cut = memchr(data, 0xFF, size);
	size_t alen = cut ? (size_t)(cut - data) : size / 2;
	const char *b = p + alen + (cut ? 1 : 0);
	size_t blen = size - alen - (cut ? 1 : 0);
	struct csf_diff *d = NULL;
	struct csf_semdiff *sd = NULL;
	struct csf_yaml_stream *st = NULL;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_buf out = CSF_BUF_INIT;
	struct csf_diff_opts o = CSF_DIFF_OPTS_INIT;
	size_t i;

	o.ignore_whitespace = size & 1;
	if (csf_diff_buffers("a", p, alen, "b", b, blen, &o, &d, &err) == CSF_E_OK) {
		check_diff(d);
		csf_diff_render_unified(&out, d, CSF_DIFF_R_WORDS);
		csf_diff_render_side_by_side(&out, d, 40 + (unsigned)(size % 100), CSF_DIFF_R_WORDS);
		csf_diff_render_json(&out, d);
		csf_diff_free(d);
	}
	if (csf_diff_buffers("a", p, alen, "a", p, alen, NULL, &d, &err) == CSF_E_OK) {
		if (!d->same)
			abort();
		csf_diff_free(d);
	}
	if (csf_semdiff_mem("a", p, alen, "b", b, blen, &sd, &err) == CSF_E_OK) {
		csf_semdiff_render_text(&out, sd);
		csf_semdiff_render_json(&out, sd);
		csf_semdiff_free(sd);
	}
	if (csf_semdiff_mem("a", p, alen, "a", p, alen, &sd, &err) == CSF_E_OK) {
		if (sd->n)
			abort();
		csf_semdiff_free(sd);
	}
	if (csf_yaml_stream_load_mem("s", p, size, NULL, &st, &err) == CSF_E_OK) {
		for (i = 1; i < st->ndocs; i++)
			if (st->first_line[i] <= st->first_line[i - 1])
				abort();
		csf_yaml_stream_free(st);
	}
	csf_buf_release(&out);
	return 0;
}
