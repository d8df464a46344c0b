/* Review specs and cells (core/review): what `:diff ARG` compares, cell text, and loading two
 * files or folders into the sets that the artifact diff takes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/review.h"

static void
test_review_spec_forms(void **state)
{
	struct csf_review_spec s = CSF_REVIEW_SPEC_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(csf_review_spec_parse(&s, NULL, "blueprints/x.yaml", &err), CSF_E_OK);
	assert_string_equal(s.rev1, "HEAD");
	assert_string_equal(s.rev2, "WORKTREE");
	assert_string_equal(s.path, "blueprints/x.yaml");
	assert_int_equal(csf_review_spec_parse(&s, "HEAD~1..main some/dir", "d", &err), CSF_E_OK);
	assert_string_equal(s.rev1, "HEAD~1");
	assert_string_equal(s.rev2, "main");
	assert_string_equal(s.path, "some/dir");
	assert_int_equal(csf_review_spec_parse(&s, ":", "d", &err), CSF_E_OK);
	assert_string_equal(s.rev1, ":");
	assert_string_equal(s.rev2, "WORKTREE");
	assert_string_equal(s.path, "d");
	assert_int_equal(csf_review_spec_parse(&s, "--cells aws/t1/dev..gcp/-/production bp.yaml",
					       NULL, &err), CSF_E_OK);
	assert_true(s.cells);
	assert_string_equal(s.cell_a.cell.provider, "aws");
	assert_string_equal(s.cell_a.cell.tenant, "t1");
	assert_string_equal(s.cell_a.cell.env, "dev");
	assert_string_equal(s.cell_b.cell.provider, "gcp");
	assert_null(s.cell_b.cell.tenant);
	assert_string_equal(s.path, "bp.yaml");
	assert_null(s.rev1);
	csf_review_spec_release(&s);
}

static void
test_review_spec_errors(void **state)
{
	struct csf_review_spec s = CSF_REVIEW_SPEC_INIT;
	struct csf_error err = CSF_ERROR_INIT;

	(void)state;
	assert_int_equal(csf_review_spec_parse(&s, "a b c", NULL, &err), CSF_E_USAGE);
	assert_null(s.a);
	assert_int_equal(csf_review_spec_parse(&s, "a...b", NULL, &err), CSF_E_USAGE);
	assert_int_equal(csf_review_spec_parse(&s, "--cells aws/x/y", NULL, &err), CSF_E_USAGE);
	assert_int_equal(csf_review_spec_parse(&s, "--cells ibm/x/y..aws/x/y", NULL, &err),
			 CSF_E_USAGE);
	assert_non_null(strstr(err.msg, "unknown provider 'ibm'"));
	assert_int_equal(csf_review_spec_parse(&s, "--cells aws/../y..aws/x/y", NULL, &err),
			 CSF_E_USAGE);
	assert_int_equal(csf_review_spec_parse(&s, "--cells a/b/c/d..aws", NULL, &err), CSF_E_USAGE);
	assert_false(s.cells);
}

static void
test_review_cell_format(void **state)
{
	struct csf_review_cell_text t;
	struct csf_error err = CSF_ERROR_INIT;
	char out[64];

	(void)state;
	assert_int_equal(csf_review_cell_parse("-/vetclinic-001", &t, &err), CSF_E_OK);
	assert_null(t.cell.provider);
	assert_string_equal(t.cell.tenant, "vetclinic-001");
	assert_null(t.cell.env);
	assert_string_equal(csf_review_cell_format(&t.cell, out, sizeof(out)), "-/vetclinic-001/-");
}

static void
test_review_two_files_pair_up(void **state)
{
	char dir[] = "/tmp/csf-review-test-XXXXXX", a[256], b[256];
	struct csf_review_spec s = CSF_REVIEW_SPEC_INIT;
	struct csf_review_files fa = CSF_REVIEW_FILES_INIT, fb = CSF_REVIEW_FILES_INIT;
	struct csf_buf label = CSF_BUF_INIT, arg = CSF_BUF_INIT;
	struct csf_error err = CSF_ERROR_INIT;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/old.yaml", dir);
	snprintf(b, sizeof(b), "%s/new.yaml", dir);
	f = fopen(a, "w");
	fputs("a: 1\n", f);
	fclose(f);
	f = fopen(b, "w");
	fputs("a: 2\n", f);
	fclose(f);
	csf_buf_addf(&arg, "%s %s", a, b);
	assert_int_equal(csf_review_spec_parse(&s, arg.buf, NULL, &err), CSF_E_OK);
	assert_string_equal(s.a, a);
	assert_int_equal(csf_review_spec_load(&s, dir, false, NULL, &fa, &fb, &label, &err),
			 CSF_E_OK);
	assert_int_equal(fa.n, 1);
	assert_int_equal(fb.n, 1);
	assert_string_equal(fa.paths[0], fb.paths[0]);
	assert_memory_equal(fa.data[0].buf, "a: 1\n", 5);
	assert_string_equal(label.buf, arg.buf);
	unlink(a);
	csf_review_files_release(&fa);
	csf_review_files_release(&fb);
	/* A file that vanished is an error that names it. */
	assert_int_equal(csf_review_spec_load(&s, dir, false, NULL, &fa, &fb, &label, &err),
			 CSF_E_IO);
	assert_string_equal(err.file, a);
	csf_review_files_release(&fa);
	csf_review_files_release(&fb);
	unlink(b);
	rmdir(dir);
	csf_review_spec_release(&s);
	csf_buf_release(&label);
	csf_buf_release(&arg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_review_spec_forms),
		cmocka_unit_test(test_review_spec_errors),
		cmocka_unit_test(test_review_cell_format),
		cmocka_unit_test(test_review_two_files_pair_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
