/* csf-tui entry point: option parsing; --headless dispatches to the CLI. */
#include <stdio.h>
#include <string.h>

#include "tui/cli.h"

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--headless"))
			return cli_main(argc, argv);
	return cli_main(argc, argv);
}
