/* libFuzzer target: the keymap and theme readers (tui/keymap.c, tui/theme.c) and key scripts'
 * key syntax on arbitrary bytes. They are compiled into this target (they need no terminal:
 * keymap.c uses only curses' KEY_ constants, and theme.c no curses at all).
 *
 * Properties: parsing never fails hard; every binding has 1..TUI_KEY_SEQ_MAX keys and a known
 * action or none; looking a binding up finds it (or a longer one); every key's name parses back
 * to the same key; every theme slot's colours are -1..255 and its attributes known bits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keymap.c"
#include "tui/request.c"
#include "tui/theme.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const struct tui_builtin_file tui_builtin_keymaps[] = { { NULL, NULL, NULL } };
const struct tui_builtin_file tui_builtin_themes[] = { { NULL, NULL, NULL } };

static bool
any_map(const char *name)
{
	return name[0] != 'x';	/* names starting with x are "unknown", to reach that path */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tui_keymaps km;
	struct tui_theme t;
	const char *text = (const char *)data;
	FILE *devnull = fopen("/dev/null", "w");
	size_t m, b, k;

	tui_keymaps_init(&km);
	tui_keymaps_parse(&km, "fuzz.keys", text, size, any_map, devnull);
	for (m = 0; m < km.n; m++) {
		const struct tui_keymap *map = &km.maps[m];

		for (b = 0; b < map->n; b++) {
			const struct tui_binding *bd = &map->b[b];
			const char *chain[1] = { map->name };
			enum request req = REQ_UNKNOWN;
			enum tui_key_match r;

			if (bd->nkeys < 1 || bd->nkeys > TUI_KEY_SEQ_MAX)
				abort();
			if (bd->req != REQ_NONE && !tui_request_info(bd->req))
				abort();
			r = tui_keymaps_lookup(&km, chain, 1, bd->keys, bd->nkeys, &req);
			if (r == TUI_KEY_NOMATCH || (r == TUI_KEY_MATCH && req != bd->req))
				abort();
			for (k = 0; k < bd->nkeys; k++) {
				char name[32];
				int back[TUI_KEY_SEQ_MAX];
				size_t err_at, n;
				const char *why;

				tui_key_name(bd->keys[k], name, sizeof(name));
				n = tui_key_parse_seq(name, strlen(name), back, TUI_KEY_SEQ_MAX, &err_at,
						      &why);
				if (n != 1 || back[0] != bd->keys[k])
					abort();
			}
		}
	}
	tui_keymaps_release(&km);

	tui_theme_init(&t);
	tui_theme_parse(&t, "fuzz.theme", text, size, devnull);
	for (k = 0; k < THEME_COUNT; k++) {
		if (t.slot[k].fg < -1 || t.slot[k].fg > 255 || t.slot[k].bg < -1 ||
		    t.slot[k].bg > 255 || (t.slot[k].attrs & ~0x7Fu))
			abort();
	}
	if (devnull)
		fclose(devnull);
	return 0;
}
