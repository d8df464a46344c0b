/* csf-tui entry point: option parsing; --headless dispatches to the CLI (tui/cli.c). The only
 * file that ends the process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/fsutil.h"
#include "tui/app.h"
#include "tui/cli.h"

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: csf-tui [options] [WORKSPACE | BLUEPRINT.yaml]\n"
		"       csf-tui --headless [--workspace DIR] [--readonly] COMMAND [options]\n"
		"       csf-tui --version | --help\n"
		"\n"
		"options:\n"
		"  --workspace DIR   open the workspace in DIR (default: the current folder when it\n"
		"                    holds csf.yaml, else the shipped samples)\n"
		"  --readonly        refuse every write (fix, new blueprint, edit)\n"
		"  --theme NAME      default, light, mono, high-contrast, solarized, or a file\n"
		"  --keymap NAME     default, vim, emacs, or a file\n"
		"  --context NAME    kubeconfig context for the live views; opens the tenants view\n"
		"  --strict          configuration warnings are fatal (exit 2)\n"
		"  --max-frames N    quit after drawing N frames (tests)\n"
		"  --headless        run a command without the terminal UI (see csf-tui(1))\n"
		"\n"
		"environment: CSF_TUI_SCRIPT, CSF_TUI_NO_DISPLAY, CSF_TUI_TRACE, CSF_TUI_BENCH,\n"
		"  NO_COLOR, VISUAL, EDITOR, XDG_CONFIG_HOME, XDG_STATE_HOME (see csf-tui(1))\n");
}

static const char *
opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] || *i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

int
main(int argc, char **argv)
{
	struct tui_start s;
	struct timespec ts;
	const char *v;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	memset(&s, 0, sizeof(s));
	s.t0_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--headless"))
			return cli_main(argc, argv);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--version")) {
			printf("csf-tui %s\n", CSF_VERSION);
			return 0;
		}
		if (!strcmp(a, "--readonly")) {
			s.readonly = true;
		} else if (!strcmp(a, "--strict")) {
			s.strict = true;
		} else if ((v = opt_value(argc, argv, &i, "--workspace"))) {
			s.workspace = v;
		} else if ((v = opt_value(argc, argv, &i, "--theme"))) {
			s.theme = v;
		} else if ((v = opt_value(argc, argv, &i, "--keymap"))) {
			s.keymap = v;
		} else if ((v = opt_value(argc, argv, &i, "--context"))) {
			s.context = v;
		} else if ((v = opt_value(argc, argv, &i, "--max-frames"))) {
			s.max_frames = strtol(v, NULL, 10);
		} else if (a[0] == '-') {
			fprintf(stderr, "csf-tui: unknown option '%s' (see --help)\n", a);
			return 2;
		} else if (s.workspace || s.file) {
			fprintf(stderr, "csf-tui: one workspace or file at a time (see --help)\n");
			return 2;
		} else if (csf_is_dir(a)) {
			s.workspace = a;
		} else if (csf_is_file(a)) {
			s.file = a;
		} else {
			fprintf(stderr, "csf-tui: %s: no such file or folder\n", a);
			return 2;
		}
	}
	return tui_app_main(&s);
}
