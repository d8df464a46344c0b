/* Themes: named semantic slots, loaded from `color <slot> <fg> <bg> [attr…]` lines.
 *
 * THEME_SLOTS(_) expands _(NAME, 'letter', "what it colours"). The letter is the slot's code
 * in screen-dump slot maps (tests/screen). Theme files name slots in lower case with '-'
 * (THEME_LINT_ERROR is "lint-error"). Colours: default (the terminal's own, -1), black red
 * green yellow blue magenta cyan white, bright-<name> (8–15), colorN or N (0–255), #rrggbb
 * (nearest of the 256-colour palette). Attributes: normal bold dim underline reverse
 * standout italic blink. On terminals with fewer colours, 256-colour values fall back to the
 * nearest of 16, and bright colours to the 8 basic ones plus bold (foreground only).
 *
 * A theme is built in layers: the built-in mono theme, then the chosen theme, then the user
 * file; a later line for a slot replaces the earlier one. Without colour support, or with
 * NO_COLOR set, only mono applies (see tui_theme_apply).
 *
 * Parsing and loading (tui/theme.c) need no terminal, so they link without curses (the fuzz
 * target does); applying a theme to the terminal lives with the other curses code in
 * tui/win.c.
 */
#ifndef CSF_TUI_THEME_H
#define CSF_TUI_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define THEME_SLOTS(_) \
	_(DEFAULT,          '.', "plain text and the background of every window") \
	_(TITLE_BAR,        'T', "the title bar with the breadcrumbs (top row)") \
	_(TITLE_CRUMB,      't', "the current view's name in the breadcrumbs") \
	_(STATUS_BAR,       'S', "the status line (workspace, tenant, environment, work)") \
	_(STATUS_READONLY,  'R', "the read-only marker in the status line") \
	_(STATUS_BUSY,      'B', "the background-work indicator in the status line") \
	_(MESSAGE,          'm', "messages on the bottom line") \
	_(MESSAGE_ERROR,    'M', "error messages on the bottom line") \
	_(PROMPT,           'p', "the : and / command line") \
	_(PANE_HEADER,      'h', "the header row of a pane without focus") \
	_(PANE_HEADER_FOCUS,'H', "the header row of the focused pane") \
	_(CURSOR,           'C', "the selected row of the focused pane") \
	_(CURSOR_UNFOCUS,   'c', "the selected row of a pane without focus") \
	_(SEARCH_MATCH,     's', "rows matching the active search") \
	_(LINE_NUMBER,      'n', "line numbers") \
	_(GUTTER_ERROR,     'E', "the gutter mark of a line with an error") \
	_(GUTTER_WARNING,   'W', "the gutter mark of a line with a warning") \
	_(GUTTER_INFO,      'I', "the gutter mark of a line with an info finding") \
	_(LINT_ERROR,       'e', "error severity in the lint panel and lists") \
	_(LINT_WARNING,     'w', "warning severity in the lint panel and lists") \
	_(LINT_INFO,        'i', "info severity in the lint panel") \
	_(LINT_RULE,        'r', "rule ids") \
	_(LINT_HINT,        'f', "fix hints") \
	_(LIST_SECTION,     'L', "section headings in lists (Blueprints, Tenants, …)") \
	_(LIST_ITEM,        'l', "list items") \
	_(LIST_DIM,         'x', "secondary text in lists (paths, counts of zero)") \
	_(YAML_KEY,         'k', "YAML mapping keys") \
	_(YAML_STRING,      'q', "YAML strings") \
	_(YAML_NUMBER,      '9', "YAML numbers") \
	_(YAML_BOOL,        'b', "YAML booleans and null") \
	_(YAML_COMMENT,     '#', "YAML comments") \
	_(YAML_PUNCT,       '-', "YAML punctuation (- : | > [ ] { })") \
	_(YAML_ANCHOR,      '&', "YAML anchors, aliases and tags") \
	_(HELP_KEY,         'K', "key names in the help view") \
	_(HELP_GROUP,       'G', "group headings in the help view") \
	_(DIALOG,           'D', "dialog boxes (confirmations, fix previews)") \
	_(DIALOG_TITLE,     'd', "dialog titles") \
	_(DIFF_ADD,         '+', "added lines in diffs and fix previews") \
	_(DIFF_DEL,         '_', "removed lines in diffs and fix previews") \
	_(DIFF_HUNK,        '@', "hunk headers in diffs") \
	_(CONTROL,          '?', "replacement marks for control characters from files") \
	_(NOTICE,           'N', "the terminal-too-small notice")

enum theme_slot {
#define THEME_SLOT_ENUM(name, letter, help) THEME_##name,
	THEME_SLOTS(THEME_SLOT_ENUM)
#undef THEME_SLOT_ENUM
	THEME_COUNT
};

/* Attribute bits of a style (independent of curses, so parsing needs no terminal). */
enum {
	TUI_ATTR_BOLD = 1 << 0,
	TUI_ATTR_DIM = 1 << 1,
	TUI_ATTR_UNDERLINE = 1 << 2,
	TUI_ATTR_REVERSE = 1 << 3,
	TUI_ATTR_STANDOUT = 1 << 4,
	TUI_ATTR_ITALIC = 1 << 5,
	TUI_ATTR_BLINK = 1 << 6,
};

#define TUI_COLOR_DEFAULT (-1)

struct tui_style {
	short fg, bg;		/* 0–255 or TUI_COLOR_DEFAULT */
	unsigned attrs;		/* TUI_ATTR_* */
};

struct tui_theme {
	struct tui_style slot[THEME_COUNT];	/* the colour theme (all layers) */
	struct tui_style mono[THEME_COUNT];	/* the mono layer alone, used without colours */
	char name[64];		/* the theme that was asked for */
	bool is_mono;		/* set by tui_theme_apply when colours are off */
	unsigned long attr[THEME_COUNT];	/* curses attributes per slot, after apply */
};

struct tui_slot_info {
	const char *id;		/* "LINT_ERROR" */
	char letter;
	const char *help;
};

/* The slot table in enum order. Static storage. */
const struct tui_slot_info *tui_theme_slots(size_t *n);

/* Writes the theme-file spelling of slot ("lint-error") into out[n]; returns out. */
const char *tui_theme_slot_name(enum theme_slot slot, char *out, size_t n);

/* Resets t to every slot = default colours, no attributes. */
void tui_theme_init(struct tui_theme *t);

/* Parses theme text over t. path names the text in messages. Each bad line is reported to
 * errout (when not NULL) as "path:line:col: message", followed by the line and a caret, and
 * skipped. Returns the number of bad lines. */
unsigned tui_theme_parse(struct tui_theme *t, const char *path, const char *text, size_t len,
			 FILE *errout);

/* Finds a built-in theme by name ("default", "light", "mono", …); NULL when there is none.
 * Borrowed, static. */
const char *tui_theme_builtin(const char *name);

/* The name of the i-th built-in theme, or NULL past the end. Static storage. */
const char *tui_theme_builtin_nth(size_t i);

/* Loads the layered theme `name` (a built-in name or a file path) into t: mono first, then
 * the theme, then user_path (may be NULL or missing). Returns the number of bad lines;
 * an unknown name is one error and leaves the mono layer. */
unsigned tui_theme_load(struct tui_theme *t, const char *name, const char *user_path,
			FILE *errout);

/* The palette index among [from, to) nearest to 256-colour palette index c (xterm values). */
int tui_theme_nearest(int c, int from, int to);

/* After initscr() (implemented in tui/win.c, the curses side): sets up colour pairs (one per slot: pair = slot + 1) and fills t->attr.
 * colors: false for mono (no colour support, or NO_COLOR); then the mono theme is used and
 * only attributes apply. Call again after a theme change, then redraw everything. */
void tui_theme_apply(struct tui_theme *t, bool colors);

/* Reports a bad config line to errout (when not NULL): "path:line:col: message", then the
 * line itself and a caret under column col (1-based). Shared by the keymap and theme loaders. */
void tui_config_error(FILE *errout, const char *path, unsigned line, unsigned col,
		      const char *text, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* The next word (split at blanks) of s[*pos..len) in *w, *n; advances *pos. False at the end.
 * Shared by the config readers. */
bool tui_config_next_word(const char *s, size_t len, size_t *pos, const char **w, size_t *n);

/* The slot whose colour pair is `pair` (screen dumps; tui/win.c); THEME_DEFAULT when unknown. */
enum theme_slot tui_theme_slot_of_pair(int pair);

#endif
