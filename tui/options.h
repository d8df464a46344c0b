/* Run-time options: `:set NAME=VALUE`, `:set NAME` (booleans: on), `:set noNAME`, `:set`
 * (lists them). OPTION_INFO(_) expands _(name, type, default, min, max, refresh, "help"): type
 * is BOOL or INT, min..max the values `:set` accepts for an INT (ignored for BOOL), refresh is what the app redraws when the value changes (TUI_REDRAW or
 * TUI_RELAYOUT, tui/app.h). The keymap spelling of a name uses '-' for '_'. */
#ifndef CSF_TUI_OPTIONS_H
#define CSF_TUI_OPTIONS_H

#include <stdbool.h>

#define OPTION_INFO(_) \
	_(line_numbers,  BOOL, 1,  0, 1,   TUI_REDRAW,   "show line numbers in source panes") \
	_(gutter,        BOOL, 1,  0, 1,   TUI_REDRAW,   "show the findings gutter in source panes") \
	_(lint_on_save,  BOOL, 1,  0, 1,   TUI_REDRAW,   "lint again when a workspace file changes on disk") \
	_(tab_size,      INT,  8,  1, 16,  TUI_REDRAW,   "columns per tab stop when showing files (1-16)") \
	_(list_width,    INT,  30, 12, 80, TUI_RELAYOUT, "width of the workspace list in columns (12-80)") \
	_(panel_height,  INT,  7,  3, 40,  TUI_RELAYOUT, "height of the lint panel in rows (3-40)")

#define OPTION_TYPE_BOOL bool
#define OPTION_TYPE_INT int

struct app_options {
#define OPTION_FIELD(name, type, def, min, max, refresh, help) OPTION_TYPE_##type name;
	OPTION_INFO(OPTION_FIELD)
#undef OPTION_FIELD
};

#endif
