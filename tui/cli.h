/* The headless CLI: `csf-tui --headless COMMAND [options]`. No curses; results on stdout,
 * diagnostics on stderr. Each command lives in tui/cli_<command>.c and is listed in
 * CLI_COMMANDS in tui/cli.c.
 *
 * Exit status (documented in man/csf-tui.1):
 *   0  success / no errors / no difference
 *   1  lint errors found / differences found
 *   2  usage error, I/O failure, unreadable input
 *   3  a release gate blocked the promotion
 *   4  a concurrent update won (refresh and retry)
 */
#ifndef CSF_TUI_CLI_H
#define CSF_TUI_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum {
	CLI_OK = 0,
	CLI_FOUND = 1,
	CLI_ERROR = 2,
	CLI_GATE = 3,
	CLI_CONFLICT = 4,
};

/* Options shared by every command, parsed before the command name. */
struct cli_global {
	const char *workspace;	/* --workspace DIR, or NULL */
	bool readonly;		/* --readonly */
	const char *context;	/* --context NAME */
};

/* A command: argv[0] is the command name; returns an exit status. */
typedef int (*cli_cmd_fn)(const struct cli_global *g, int argc, char **argv);

/* Entry from main(): argv as given to main. */
int cli_main(int argc, char **argv);

/* Prints "csf-tui: MSG" to stderr and returns CLI_ERROR. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Returns the value of option `name` at argv[*i] ("--name V" or "--name=V") and advances *i,
 * or NULL when argv[*i] is not that option. Sets *missing when the value is absent. */
const char *cli_opt(int argc, char **argv, int *i, const char *name, bool *missing);

/* Like cli_opt, but only ever sets *missing to true, never back to false: in a chain of
 * `else if ((v = cli_opt_in(…, "--a", &missing))) … else if (missing)` the option that
 * lacked its value is still reported after the later, non-matching calls. Clear *missing
 * before the chain. */
const char *cli_opt_in(int argc, char **argv, int *i, const char *name, bool *missing);

int cli_lint(const struct cli_global *g, int argc, char **argv);
int cli_render(const struct cli_global *g, int argc, char **argv);
int cli_release(const struct cli_global *g, int argc, char **argv);
int cli_diff(const struct cli_global *g, int argc, char **argv);
int cli_traces(const struct cli_global *g, int argc, char **argv);
int cli_tenants(const struct cli_global *g, int argc, char **argv);
int cli_scaling(const struct cli_global *g, int argc, char **argv);

#endif
