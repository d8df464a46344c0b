#include "tui/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

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
		"       csf-tui --headless [--workspace DIR] [--readonly] --script FILE [--keep-going]\n"
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

static const struct cli_command *
find_command(const char *name)
{
	size_t c;

	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(name, commands[c].name))
			return &commands[c];
	return NULL;
}

#define SCRIPT_MAX_ARGS 64

/* Splits one script line into words in place: blanks separate words; '...' is literal, "..."
 * takes \" and \\, a backslash outside quotes escapes the next character; '#' at the start of
 * a word starts a comment. Returns the number of words, or with *bad_col set -1 for an
 * unterminated quote and -2 for more than max words. */
static int
split_line(char *s, char **argv, int max, size_t *bad_col)
{
	char *r = s, *w = s;
	int n = 0;

	for (;;) {
		char q = 0;

		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r || *r == '#')
			return n;
		if (n == max) {
			*bad_col = (size_t)(r - s) + 1;
			return -2;
		}
		argv[n++] = w;
		for (; *r && (q || (*r != ' ' && *r != '\t')); r++) {
			if (q == '\'' && *r == '\'') {
				q = 0;
			} else if (q == '"' && *r == '"') {
				q = 0;
			} else if (!q && (*r == '\'' || *r == '"')) {
				q = *r;
			} else if (*r == '\\' && q != '\'' && r[1] && (!q || r[1] == '"' || r[1] == '\\')) {
				*w++ = *++r;
			} else {
				*w++ = *r;
			}
		}
		if (q) {
			*bad_col = (size_t)(r - s) + 1;
			return -1;
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
}

/* --script FILE: one command per line, as after `csf-tui --headless`. Stops at the first
 * command that fails unless keep_going; returns the first non-zero status (or 0). */
static int
run_script(const struct cli_global *g, const char *path, bool keep_going)
{
	struct csf_buf text = CSF_BUF_INIT;
	char *line, *next, *argv[SCRIPT_MAX_ARGS + 1];
	unsigned lineno = 0;
	int first = CLI_OK;

	if (csf_buf_read_file(&text, path, 1u << 20) < 0) {
		int e = errno;

		csf_buf_release(&text);
		return cli_usage_error("--script %s: %s", path, strerror(e));
	}
	for (line = text.buf; line && *line; line = next) {
		const struct cli_command *c;
		size_t bad = 0;
		int argc, st;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (memchr(line, '\r', strlen(line)))
			*strchr(line, '\r') = '\0';
		argc = split_line(line, argv, SCRIPT_MAX_ARGS, &bad);
		if (!argc)
			continue;
		if (argc < 0) {
			st = cli_usage_error("%s:%u:%zu: %s", path, lineno, bad, argc == -1 ?
					     "unterminated quote" : "too many words");
		} else if (!(c = find_command(argv[0]))) {
			st = cli_usage_error("%s:%u:1: unknown command '%s' (see --help)", path, lineno,
					     argv[0]);
		} else {
			argv[argc] = NULL;
			fflush(stdout);
			st = c->fn(g, argc, argv);
			fflush(stdout);
		}
		if (st != CLI_OK && first == CLI_OK)
			first = st;
		if (st != CLI_OK && !keep_going) {
			fprintf(stderr, "csf-tui: --script %s:%u: stopped (status %d; --keep-going runs the "
					"rest)\n", path, lineno, st);
			break;
		}
	}
	csf_buf_release(&text);
	return first;
}

int
cli_main(int argc, char **argv)
{
	struct cli_global g = { NULL, false, NULL };
	int i;
	bool missing, keep_going = false;
	const char *v, *script = NULL;
	const struct cli_command *c;

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
		if (!strcmp(a, "--keep-going")) {
			keep_going = true;
			continue;
		}
		if ((v = cli_opt_in(argc, argv, &i, "--script", &missing))) {
			script = v;
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
	if (script) {
		if (i < argc)
			return cli_usage_error("--script runs the commands of its file; '%s' is one too "
					       "many (see --help)", argv[i]);
		return run_script(&g, script, keep_going);
	}
	if (keep_going)
		return cli_usage_error("--keep-going goes with --script FILE");
	if (i >= argc) {
		usage(stderr);
		return CLI_ERROR;
	}
	if ((c = find_command(argv[i])))
		return c->fn(&g, argc - i, argv + i);
	return cli_usage_error("unknown command '%s' (see --help)", argv[i]);
}
