/* The built-in keymaps and themes: keymaps/NAME.keys and themes/NAME.theme compiled into
 * build/gen/builtin_config.c by tools/gen-builtin.sh. They are parsed at start-up by the same
 * readers as user files, so defaults and user files cannot drift apart. */
#ifndef CSF_TUI_BUILTIN_H
#define CSF_TUI_BUILTIN_H

struct tui_builtin_file {
	const char *name;	/* base name without extension: "default", "vim", "solarized" */
	const char *path;	/* source path, for messages: "keymaps/vim.keys" */
	const char *text;
};

/* Both tables end with an entry whose name is NULL. */
extern const struct tui_builtin_file tui_builtin_keymaps[], tui_builtin_themes[];

#endif
