/* libFuzzer target: the YAML loader and the linter on arbitrary bytes.
 *
 * The first byte may pick the kind of file the bytes are loaded as (B blueprint, T tenant,
 * E edition, V environment, W workspace); anything else means a blueprint, whole input. The
 * input is linted in a loose workspace next to a fixed blueprint, so tenant, edition and
 * environment inputs are merged into effective cells. Then every report is rendered and every
 * fix applied; a property is checked: fixes applied to a document that parsed must leave a
 * document that still parses. Files live in memfds, nothing touches the disk.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/lint.h"
#include "core/lint_report.h"
#include "core/workspace.h"
#include "core/yaml_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fixed_blueprint[] =
	"module: Fixed\nversion: 1.0.0\nruntime: {stack: go1.22, port: 8080}\n"
	"configuration:\n  values: {HOST: h}\n  environmentOverlays: {prod: {HOST: p}}\n"
	"events: {emits: [Done.v1]}\n";

static int
memfile(const void *data, size_t len, char *path, size_t n)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		abort();
	if (len && write(fd, data, len) != (ssize_t)len)
		abort();
	snprintf(path, n, "/proc/self/fd/%d", fd);
	return fd;
}

static void
check_fixes(const struct csf_workspace *ws, const struct csf_lint_result *r)
{
	size_t i, j;

	for (i = 0; i < ws->nfiles; i++) {
		const struct csf_ws_file *f = ws->files[i];
		const struct csf_fix *fixes[64];
		struct csf_buf out = CSF_BUF_INIT;
		struct csf_yaml_doc *doc = NULL;
		struct csf_error err = CSF_ERROR_INIT;
		size_t n = 0, skipped;

		if (!f->doc)
			continue;
		for (j = 0; j < r->n && n < 64; j++)
			if (r->diags[j].fix && r->diags[j].file == f->path)
				fixes[n++] = r->diags[j].fix;
		if (!n)
			continue;
		csf_fix_apply(f->doc->text.buf, f->doc->text.len, fixes, n, &out, &skipped);
		if (csf_yaml_load_mem("fixed", out.buf, out.len, NULL, &doc, &err) == CSF_E_PARSE) {
			fprintf(stderr, "fixes broke the YAML: %s\n--- before\n%s\n--- after\n%s\n",
				err.msg, f->doc->text.buf, out.buf);
			abort();
		}
		csf_yaml_doc_free(doc);
		csf_buf_release(&out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char kinds[] = "BTEVW";
	static const enum csf_file_kind kmap[] = { CSF_KIND_BLUEPRINT, CSF_KIND_TENANT,
		CSF_KIND_EDITION, CSF_KIND_ENVIRONMENT, CSF_KIND_WORKSPACE };
	enum csf_file_kind kind = CSF_KIND_BLUEPRINT;
	const char *hit;
	char p1[64], p2[64];
	int fd1, fd2;
	struct csf_workspace *ws;
	struct csf_lint_result r;
	struct csf_error err = CSF_ERROR_INIT;
	struct csf_lint_opts o = { NULL, NULL };
	const struct csf_workspace *wss[1];
	struct csf_buf out = CSF_BUF_INIT;
	int fmt;

	if (size && data[0] && (hit = strchr(kinds, data[0]))) {
		kind = kmap[hit - kinds];
		data++;
		size--;
	}
	fd1 = memfile(fixed_blueprint, sizeof(fixed_blueprint) - 1, p1, sizeof(p1));
	fd2 = memfile(data, size, p2, sizeof(p2));
	ws = csf_workspace_new_loose();
	csf_workspace_add_file(ws, p1, CSF_KIND_BLUEPRINT);
	csf_workspace_add_file(ws, p2, kind);
	memset(&r, 0, sizeof(r));
	if (csf_lint_workspace(ws, &o, &r, &err) != CSF_E_OK)
		abort();
	wss[0] = ws;
	for (fmt = CSF_REPORT_TEXT; fmt <= CSF_REPORT_SARIF; fmt++) {
		csf_buf_reset(&out);
		csf_lint_report(&out, (enum csf_report_format)fmt, &r, wss, 1, ws->nfiles, fmt == 1);
	}
	check_fixes(ws, &r);
	csf_buf_release(&out);
	csf_lint_result_release(&r);
	csf_workspace_free(ws);
	close(fd1);
	close(fd2);
	return 0;
}
