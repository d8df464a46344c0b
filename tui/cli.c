#include "tui/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/workspace.h"
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
		"       csf-tui --headless [--workspace DIR] [--readonly]   (a terminal: csf> prompt)\n"
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

/* ==== the interactive prompt (DESIGN §9) ====================================================
 *
 * `csf-tui --headless` with no command, on a terminal: a readline prompt that runs one command
 * per line through run_line() (the --script runner). Tab completes command names, and after
 * --tenant, --env and --provider the workspace's names; other words complete file names.
 * History lives in $XDG_STATE_HOME/csf-tui/headless_history (~/.local/state/… without it).
 * readline keeps global state, so there is one prompt per process; these statics are its. */

static const struct cli_global *prompt_g;
static struct csf_workspace *prompt_ws;		/* loaded on the first name completion */
static bool prompt_ws_tried;
static const char **prompt_cands;		/* NULL-terminated, borrowed strings */
static size_t prompt_ncands, prompt_cands_alloc;

static const char *const prompt_words[] = { "help", "exit", "quit" };
static const char *const providers[] = { "azure", "aws", "gcp" };

static void
cands_add(const char *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < prompt_ncands; i++)
		if (!strcmp(prompt_cands[i], s))
			return;
	CSF_GROW(prompt_cands, prompt_cands_alloc, prompt_ncands + 2);
	prompt_cands[prompt_ncands++] = s;
	prompt_cands[prompt_ncands] = NULL;
}

/* The workspace of --workspace, else of the current folder; NULL when there is none or it
 * cannot be read (then names do not complete). Opened once. */
static const struct csf_workspace *
prompt_workspace(void)
{
	const char *dir = prompt_g->workspace;
	struct csf_error err = CSF_ERROR_INIT;

	if (prompt_ws_tried)
		return prompt_ws;
	prompt_ws_tried = true;
	if (!dir && csf_is_workspace("."))
		dir = ".";
	if (dir && csf_workspace_open(dir, &prompt_ws, &err) != CSF_E_OK)
		prompt_ws = NULL;
	return prompt_ws;
}

static char *
cand_gen(const char *text, int state)
{
	static size_t next, len;

	if (!state) {
		next = 0;
		len = strlen(text);
	}
	while (next < prompt_ncands) {
		const char *c = prompt_cands[next++];

		if (!strncmp(c, text, len))
			return csf_xstrdup(c);	/* readline frees it with free() */
	}
	return NULL;
}

/* The word before position start of the line, or "" (points into a static copy). */
static const char *
word_before(const char *line, int start)
{
	static char w[32];
	int e = start, b;

	while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\t'))
		e--;
	for (b = e; b > 0 && line[b - 1] != ' ' && line[b - 1] != '\t'; b--)
		;
	if (e - b <= 0 || e - b >= (int)sizeof(w))
		return "";
	memcpy(w, line + b, (size_t)(e - b));
	w[e - b] = '\0';
	return w;
}

static char **
prompt_complete(const char *text, int start, int end)
{
	const char *prev = word_before(rl_line_buffer, start);
	const struct csf_workspace *ws;
	size_t i;
	int k;

	(void)end;
	prompt_ncands = 0;
	for (k = 0; k < start && (rl_line_buffer[k] == ' ' || rl_line_buffer[k] == '\t'); k++)
		;
	if (k == start) {
		for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			cands_add(commands[i].name);
		for (i = 0; i < sizeof(prompt_words) / sizeof(prompt_words[0]); i++)
			cands_add(prompt_words[i]);
	} else if (!strcmp(prev, "--tenant")) {
		for (ws = prompt_workspace(), i = 0; ws && i < ws->ntenants; i++)
			cands_add(ws->tenants[i].id);
	} else if (!strcmp(prev, "--env")) {
		for (ws = prompt_workspace(), i = 0; ws && i < ws->nenvs; i++)
			cands_add(ws->envs[i].name);
	} else if (!strcmp(prev, "--provider")) {
		for (i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
			cands_add(providers[i]);
	} else {
		rl_attempted_completion_over = 0;	/* file names, readline's default */
		return NULL;
	}
	rl_attempted_completion_over = 1;
	return prompt_ncands ? rl_completion_matches(text, cand_gen) : NULL;
}

/* $XDG_STATE_HOME/csf-tui/headless_history, else ~/.local/state/csf-tui/headless_history,
 * with its folder created; NULL when neither variable is set. Caller frees. */
static char *
prompt_history_path(void)
{
	const char *base = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct csf_buf dir = CSF_BUF_INIT;
	char *path;

	if (base && *base)
		csf_buf_addf(&dir, "%s/csf-tui", base);
	else if (home && *home)
		csf_buf_addf(&dir, "%s/.local/state/csf-tui", home);
	else
		return NULL;
	csf_mkdirs(dir.buf, NULL);
	csf_buf_addstr(&dir, "/headless_history");
	path = csf_xstrdup(dir.buf);
	csf_buf_release(&dir);
	return path;
}

/* Whether line is exit or quit, alone between blanks. */
static bool
is_exit(const char *line)
{
	size_t n;

	line += strspn(line, " \t");
	n = strcspn(line, " \t");
	if ((n != 4) || (strncmp(line, "exit", 4) && strncmp(line, "quit", 4)))
		return false;
	return line[n + strspn(line + n, " \t")] == '\0';
}

/* The prompt loop: runs until exit, quit or end of input, and returns the status of the last
 * command (0 when none ran). A failing command prints its error and the prompt goes on. */
static int
run_prompt(const struct cli_global *g)
{
	struct cli_words words = { NULL, 0, 0 };
	char *hist = prompt_history_path(), *line;
	int last = CLI_OK;

	prompt_g = g;
	rl_readline_name = "csf-tui";
	rl_attempted_completion_function = prompt_complete;
	using_history();
	stifle_history(1000);
	if (hist)
		read_history(hist);
	while ((line = readline("csf> "))) {
		if (is_exit(line)) {
			free(line);
			break;
		}
		if (line[strspn(line, " \t")]) {
			add_history(line);
			if (hist)
				write_history(hist);
		}
		if (!strcmp(line + strspn(line, " \t"), "help"))
			usage(stdout);
		else
			last = run_line(g, line, &words, NULL, 0);
		free(line);
	}
	if (!line)
		putchar('\n');	/* after ^D, leave the shell's prompt on a line of its own */
	fflush(stdout);
	clear_history();
	free(hist);
	free(words.v);
	free(prompt_cands);
	prompt_cands = NULL;
	prompt_ncands = prompt_cands_alloc = 0;
	csf_workspace_free(prompt_ws);
	prompt_ws = NULL;
	prompt_ws_tried = false;
	return last;
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
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return run_prompt(&g);
		usage(stderr);
		return CLI_ERROR;
	}
	if ((c = find_command(argv[i])))
		return c->fn(&g, argc - i, argv + i);
	return cli_usage_error("unknown command '%s' (see --help)", argv[i]);
}
