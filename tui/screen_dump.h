/* Screen dumps for golden-screen tests: what the terminal shows (curses' idea of the physical
 * screen, curscr), one text line per screen row with trailing blanks trimmed, in UTF-8.
 * The slot map has one character per cell: the letter of the theme slot whose colour pair
 * drew it (THEME_SLOTS in tui/theme.h), trailing '.' trimmed; it needs colours (in mono every
 * cell is '.'). */
#ifndef CSF_TUI_SCREEN_DUMP_H
#define CSF_TUI_SCREEN_DUMP_H

#include <stdbool.h>

#include "core/status.h"

struct app;

/* Writes the text dump (slots false) or the slot map (slots true) to path. */
int tui_screen_dump(struct app *app, const char *path, bool slots, struct csf_error *err);

/* Writes the theme as the terminal got it: one line per slot, "slot fg bg attrs", with the
 * colours of its pair after the fallback to the terminal's palette (-1 = default; "mono"
 * when no pair is used) and its attributes (bold, reverse, …, or "-"). */
int tui_theme_dump(struct app *app, const char *path, struct csf_error *err);

#endif
