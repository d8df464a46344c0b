/* Keys and keymaps.
 *
 * A key is an int: a Unicode code point for characters (Ctrl-A is 1, Enter 13, Esc 27,
 * Tab 9, Backspace 127), or TUI_KEY_FN | KEY_x for curses function keys (arrows, PgUp, F1…).
 *
 * Keymap files (keymaps/NAME.keys, --keymap FILE, $XDG_CONFIG_HOME/csf-tui/keys) hold lines
 *     bind <keymap> <keys> <action>        # comment lines start with '#'
 * <keymap> is "generic" (every view), "search" (while a filter or search is active in the
 * focused pane) or a view name ("workbench", "help", …). <keys> is one key or a sequence of
 * up to TUI_KEY_SEQ_MAX keys: a printable character stands for itself; named keys are
 * <Enter> <Esc> <Tab> <S-Tab> <Space> <Backspace> <Up> <Down> <Left> <Right> <PgUp>
 * <PgDown> <Home> <End> <Insert> <Delete> <F1>…<F12> <Lt> (a literal '<') <Hash> ('#'), and
 * Ctrl keys are <C-x> or ^x (case-insensitive, as the terminal cannot tell them apart; an
 * upper-case letter draws a warning). <action> is an action name (tui/request.h) or "none",
 * which unbinds the key in that keymap, hiding any generic binding.
 *
 * Lookup order for a key sequence: search (when active), the view's keymap, generic. When
 * the sequence is the prefix of a longer binding in a keymap that comes no later than its
 * exact match, the dispatcher waits for the next key.
 */
#ifndef CSF_TUI_KEYMAP_H
#define CSF_TUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tui/request.h"

#define TUI_KEY_FN 0x200000
#define TUI_KEY_SEQ_MAX 4

enum {
	TUI_KEY_CTRL_A = 1,
	TUI_KEY_TAB = 9,
	TUI_KEY_ENTER = 13,
	TUI_KEY_ESC = 27,
	TUI_KEY_BACKSPACE = 127,
};

struct tui_binding {
	int keys[TUI_KEY_SEQ_MAX];
	unsigned nkeys;
	enum request req;	/* REQ_NONE: explicitly unbound */
	unsigned line;		/* where it was bound (0 = at run time) */
};

struct tui_keymap {
	char *name;
	struct tui_binding *b;
	size_t n, alloc;
};

struct tui_keymaps {
	struct tui_keymap *maps;
	size_t n, alloc;
	unsigned warnings;	/* lines used despite a warning (counted for --strict) */
};

enum tui_key_match {
	TUI_KEY_NOMATCH,	/* no binding starts with the sequence */
	TUI_KEY_PREFIX,		/* wait for more keys */
	TUI_KEY_MATCH,		/* *req is set (may be REQ_NONE for an unbound key) */
};

/* Validates keymap names while loading; returns true when name is a keymap. */
typedef bool (*tui_keymap_known_fn)(const char *name);

void tui_keymaps_init(struct tui_keymaps *km);
void tui_keymaps_release(struct tui_keymaps *km);

/* Binds keys[0..n) in keymap `map` (created on first use) to req, replacing an earlier
 * binding of the same sequence. */
void tui_keymaps_bind(struct tui_keymaps *km, const char *map, const int *keys, size_t n,
		      enum request req, unsigned line);

/* Parses keymap text. Bad lines are reported through tui_config_error (theme.h) and
 * skipped; warnings (Ctrl-case) are reported but the line is used. Returns the number of
 * errors. known may be NULL (any keymap name accepted). */
unsigned tui_keymaps_parse(struct tui_keymaps *km, const char *path, const char *text,
			   size_t len, tui_keymap_known_fn known, FILE *errout);

/* Loads the built-in default keymap, then the built-in or file keymap `name` (NULL or
 * "default" for none), then user_path when it exists. Returns the number of errors. */
unsigned tui_keymaps_load(struct tui_keymaps *km, const char *name, const char *user_path,
			  tui_keymap_known_fn known, FILE *errout);

/* The name of the i-th built-in keymap, or NULL past the end. Static storage. */
const char *tui_keymap_builtin_nth(size_t i);

/* Looks seq[0..n) up in the keymaps named by chain[0..nchain) (NULLs are skipped). */
enum tui_key_match tui_keymaps_lookup(const struct tui_keymaps *km, const char *const *chain,
				      size_t nchain, const int *seq, size_t n, enum request *req);

/* Parses one key sequence ("gg", "<C-x><C-c>") from s[0..len). Returns the number of keys
 * (0 on error, with *err_at set to the offset of the bad part and *why to a message). */
size_t tui_key_parse_seq(const char *s, size_t len, int *keys, size_t max, size_t *err_at,
			 const char **why);

/* Writes the binding spelling of key ("j", "<Enter>", "<C-d>") into out[n]; returns out. */
const char *tui_key_name(int key, char *out, size_t n);

/* Writes the keys bound to req in keymap `map` (not inherited ones), comma-separated, into
 * out[n]; returns the number of bindings found. */
size_t tui_keymaps_keys_for(const struct tui_keymaps *km, const char *map, enum request req,
			    char *out, size_t n);

/* Keymap `name`, or NULL. Borrowed: valid until the next bind. */
const struct tui_keymap *tui_keymaps_get(const struct tui_keymaps *km, const char *name);

#endif
