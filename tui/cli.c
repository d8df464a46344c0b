#include "tui/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct cli_command {
	const char *name;
	cli_cmd_fn fn;
	const char *usage;
};

static const struct cli_command commands[] = {
	{ "diff", cli_diff, "diff A B | --rev R1[..R2] [PATH] [--semantic] [--side-by-side [--width N]] [--artifacts --provider P --tenant T --env E] [--cells CELL..CELL] [--format text|json] [--context N] [--ignore-whitespace] [--word-diff]" },
	{ "lint", cli_lint,
	  "lint [PATH...] [--format text|json|sarif] [--fix] [--tenant T] [--env E]" },
	{ "traces", cli_traces, "traces [--source SPEC] [--service S] [--trace ID [--compare ID2]] [--filter K=V]... [--critical-path] [--format tree|json]" },
	{ "tenants", cli_tenants, "tenants [--context C] [--tenant T] [--format text|json] [--env E] [--snapshot DIR] [--timeout DUR]" },
	{ "scaling", cli_scaling, "scaling --tenant T --module M [--since 6h] [--format text|json|csv] [--width N] [--snapshot DIR] [--prometheus URL]" },
	{ "render", cli_render, "render BLUEPRINT|MODULE [--provider P] [--tenant T] [--env E] [--out DIR] [--format files|yaml|json] [--all]" },
	{ "release", cli_release, "release status | new MODULE TENANT | history ENV | diff MODULE TENANT FROM TO | promote MODULE TENANT FROM TO [--approve NAME --reason R] [--dry-run] | rollback MODULE TENANT ENV [RELEASE]" },
};

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: csf-tui [--workspace DIR] [--readonly] [--theme NAME] [--keymap NAME]\n"
		"       csf-tui --headless [--workspace DIR] [--readonly] COMMAND [options]\n"
		"       csf-tui --version | --help\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fprintf(out, "\nexit status: 0 ok, 1 findings or differences, 2 usage or I/O error,\n"
		     "             3 release gate blocked, 4 concurrent update\n");
}

int
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("csf-tui: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_ERROR;
}

const char *
cli_opt(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	*missing = false;
	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

const char *
cli_opt_in(int argc, char **argv, int *i, const char *name, bool *missing)
{
	bool m;
	const char *v = cli_opt(argc, argv, i, name, &m);

	*missing = *missing || m;
	return v;
}

int
cli_main(int argc, char **argv)
{
	struct cli_global g = { NULL, false, NULL };
	int i;
	bool missing;
	const char *v;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		missing = false;
		if (!strcmp(a, "--headless"))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return CLI_OK;
		}
		if (!strcmp(a, "--version")) {
			printf("csf-tui %s\n", CSF_VERSION);
			return CLI_OK;
		}
		if (!strcmp(a, "--readonly")) {
			g.readonly = true;
			continue;
		}
		if ((v = cli_opt_in(argc, argv, &i, "--workspace", &missing))) {
			g.workspace = v;
			continue;
		}
		if ((v = cli_opt_in(argc, argv, &i, "--context", &missing))) {
			g.context = v;
			continue;
		}
		if (missing)
			return cli_usage_error("option %s needs a value", a);
		if (a[0] == '-')
			return cli_usage_error("unknown option '%s' (see --help)", a);
		break;
	}
	if (i >= argc) {
		usage(stderr);
		return CLI_ERROR;
	}
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].fn(&g, argc - i, argv + i);
	return cli_usage_error("unknown command '%s' (see --help)", argv[i]);
}
