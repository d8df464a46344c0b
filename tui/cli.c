#include "tui/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/xalloc.h"

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

/* The words of one command line: v[0..n) point into the line, v[n] is NULL. Grows as needed
 * (a line has no word limit). */
struct cli_words {
	char **v;
	size_t n, alloc;
};

static void
words_push(struct cli_words *w, char *word)
{
	CSF_GROW(w->v, w->alloc, w->n + 2);
	w->v[w->n++] = word;
	w->v[w->n] = NULL;
}

/* Splits one command line into words in place: blanks separate words; '...' is literal, "..."
 * takes \" and \\, a backslash outside quotes escapes the next character; '#' at the start of
 * a word starts a comment. The words point into s and stay valid while s does. Returns the
 * number of words, or -1 for an unterminated quote with *bad_col set (1-based). */
static int
split_line(char *s, struct cli_words *words, size_t *bad_col)
{
	char *r = s, *w = s;

	words->n = 0;
	for (;;) {
		char q = 0;

		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r || *r == '#')
			break;
		words_push(words, w);
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
	return words->n > INT_MAX - 1 ? -1 : (int)words->n;
}

/* Runs one command line (as after `csf-tui --headless`), split in place by split_line(). Errors
 * about the line itself name it as "SRC:LINENO:COL: " (nothing when src is NULL: the prompt).
 * words is scratch space the caller keeps across lines. Returns the command's exit status,
 * CLI_OK for a blank or comment-only line, CLI_ERROR for a bad line. */
static int
run_line(const struct cli_global *g, char *line, struct cli_words *words, const char *src,
	 unsigned lineno)
{
	const struct cli_command *c;
	size_t bad = 0;
	char where[64] = "";
	int argc, st;

	argc = split_line(line, words, &bad);
	if (!argc)
		return CLI_OK;
	if (argc < 0) {
		if (src)
			snprintf(where, sizeof(where), ":%u:%zu", lineno, bad);
		else
			snprintf(where, sizeof(where), "column %zu", bad);
		return cli_usage_error("%s%s: unterminated quote", src ? src : "", where);
	}
	if (!(c = find_command(words->v[0]))) {
		if (src)
			snprintf(where, sizeof(where), ":%u:1: ", lineno);
		return cli_usage_error("%s%sunknown command '%s' (see --help)", src ? src : "",
				       where, words->v[0]);
	}
	fflush(stdout);
	st = c->fn(g, argc, words->v);
	fflush(stdout);
	return st;
}

/* --script FILE: one command per line, as after `csf-tui --headless`, read as a stream (a pipe
 * or /dev/stdin works; no size limit). A trailing CR is dropped (CRLF files); a NUL byte makes
 * the line bad. Stops at the first command that fails unless keep_going; returns the first
 * non-zero status (or 0). */
static int
run_script(const struct cli_global *g, const char *path, bool keep_going)
{
	FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "r");
	struct cli_words words = { NULL, 0, 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0;
	int first = CLI_OK, st;

	if (!f)
		return cli_usage_error("--script %s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (strlen(line) != (size_t)len)
			st = cli_usage_error("%s:%u:%zu: NUL byte in the line", path, lineno,
					     strlen(line) + 1);
		else
			st = run_line(g, line, &words, path, lineno);
		if (st != CLI_OK && first == CLI_OK)
			first = st;
		if (st != CLI_OK && !keep_going) {
			fprintf(stderr, "csf-tui: --script %s:%u: stopped (status %d; --keep-going runs the "
					"rest)\n", path, lineno, st);
			break;
		}
	}
	if (ferror(f) && first == CLI_OK)
		first = cli_usage_error("--script %s: %s", path, strerror(errno));
	if (f != stdin)
		fclose(f);
	free(line);
	free(words.v);
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
