/* The built-in keymaps and themes: keymaps/NAME.keys and themes/NAME.theme compiled into
 * build/gen/builtin_config.c by tools/gen-builtin.sh. They are parsed at start-up by the same
 * readers as user files, so defaults and user files cannot drift apart. */
#ifndef CSF_TUI_BUILTIN_H
#define CSF_TUI_BUILTIN_H

#include <stddef.h>
#include <string.h>

struct tui_builtin_file {
	const char *name;	/* base name without extension: "default", "vim", "solarized" */
	const char *path;	/* source path, for messages: "keymaps/vim.keys" */
	const char *text;
};

/* Both tables end with an entry whose name is NULL. */
extern const struct tui_builtin_file tui_builtin_keymaps[], tui_builtin_themes[];

/* The entry of table named name, or NULL. Static storage. */
static inline const struct tui_builtin_file *
tui_builtin_find(const struct tui_builtin_file *table, const char *name)
{
	for (; table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

/* The name of entry i of table, or NULL past the end (for completion lists). */
static inline const char *
tui_builtin_nth(const struct tui_builtin_file *table, size_t i)
{
	size_t k;

	for (k = 0; table[k].name; k++)
		if (k == i)
			return table[k].name;
	return NULL;
}

#endif
