#include "tui/keymap.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "tui/builtin.h"
#include "tui/theme.h"

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Enter", TUI_KEY_ENTER }, { "Esc", TUI_KEY_ESC }, { "Tab", TUI_KEY_TAB },
	{ "S-Tab", TUI_KEY_FN | KEY_BTAB }, { "BackTab", TUI_KEY_FN | KEY_BTAB },
	{ "Space", ' ' }, { "Backspace", TUI_KEY_BACKSPACE }, { "Up", TUI_KEY_FN | KEY_UP },
	{ "Down", TUI_KEY_FN | KEY_DOWN }, { "Left", TUI_KEY_FN | KEY_LEFT },
	{ "Right", TUI_KEY_FN | KEY_RIGHT }, { "PgUp", TUI_KEY_FN | KEY_PPAGE },
	{ "PgDown", TUI_KEY_FN | KEY_NPAGE }, { "Home", TUI_KEY_FN | KEY_HOME },
	{ "End", TUI_KEY_FN | KEY_END }, { "Insert", TUI_KEY_FN | KEY_IC },
	{ "Delete", TUI_KEY_FN | KEY_DC }, { "Lt", '<' }, { "Hash", '#' }, { "Colon", ':' },
};

/* ---- key names --------------------------------------------------------------------------- */

static int
named_key(const char *s, size_t n, bool *upper_ctrl)
{
	size_t i;

	*upper_ctrl = false;
	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (strlen(key_names[i].name) == n && !strncasecmp(s, key_names[i].name, n))
			return key_names[i].key;
	if ((n == 2 || n == 3) && (s[0] == 'F' || s[0] == 'f') && isdigit((unsigned char)s[1])) {
		int f = atoi(s + 1);

		if (f >= 1 && f <= 12 && (n == 2 || isdigit((unsigned char)s[2])))
			return TUI_KEY_FN | KEY_F(f);
	}
	if (n == 3 && (s[0] == 'C' || s[0] == 'c') && s[1] == '-') {
		int c = (unsigned char)s[2];

		if (isupper(c))
			*upper_ctrl = true;
		c = toupper(c);
		if (c >= '@' && c <= '_')
			return c - '@';
	}
	return -1;
}

size_t
tui_key_parse_seq(const char *s, size_t len, int *keys, size_t max, size_t *err_at,
		  const char **why)
{
	size_t i = 0, n = 0;
	bool upper;

	*why = NULL;
	while (i < len) {
		int key;
		size_t used;

		if (n == max) {
			*err_at = i;
			*why = "key sequence too long";
			return 0;
		}
		if (s[i] == '<' && i + 1 < len) {
			const char *end = memchr(s + i, '>', len - i);

			if (!end) {
				*err_at = i;
				*why = "unterminated key name (write <Lt> for '<')";
				return 0;
			}
			key = named_key(s + i + 1, (size_t)(end - s - i - 1), &upper);
			if (key < 0) {
				*err_at = i;
				*why = "unknown key name";
				return 0;
			}
			used = (size_t)(end - s - i) + 1;
		} else if (s[i] == '^' && i + 1 < len) {
			int c = toupper((unsigned char)s[i + 1]);

			if (c < '@' || c > '_') {
				*err_at = i;
				*why = "bad control key";
				return 0;
			}
			key = c - '@';
			used = 2;
		} else {
			unsigned char c = (unsigned char)s[i];
			unsigned cp;
			size_t k, need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;

			if (!need || i + need > len || c < 0x20 || c == 0x7f) {
				*err_at = i;
				*why = "not a printable character";
				return 0;
			}
			cp = need == 1 ? c : c & (0xFF >> (need + 1));
			for (k = 1; k < need; k++)
				cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
			key = (int)cp;
			used = need;
		}
		keys[n++] = key;
		i += used;
	}
	if (!n) {
		*err_at = 0;
		*why = "empty key";
	}
	return n;
}

const char *
tui_key_name(int key, char *out, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (key_names[i].key == key && key != '<' && key != '#' && key != ':' &&
		    strcmp(key_names[i].name, "BackTab")) {
			snprintf(out, n, "<%s>", key_names[i].name);
			return out;
		}
	if (key >= (TUI_KEY_FN | KEY_F(1)) && key <= (TUI_KEY_FN | KEY_F(12)))
		snprintf(out, n, "<F%d>", key - (TUI_KEY_FN | KEY_F(0)));
	else if (key > 0 && key < 32)
		snprintf(out, n, "<C-%c>", tolower(key + '@'));
	else if (key & TUI_KEY_FN)
		snprintf(out, n, "<key%d>", key & ~TUI_KEY_FN);
	else if (key < 0x80)
		snprintf(out, n, "%c", key);
	else {
		char u[5];
		unsigned cp = (unsigned)key;

		if (cp < 0x800) {
			u[0] = (char)(0xC0 | cp >> 6);
			u[1] = (char)(0x80 | (cp & 0x3F));
			u[2] = '\0';
		} else if (cp < 0x10000) {
			u[0] = (char)(0xE0 | cp >> 12);
			u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			u[2] = (char)(0x80 | (cp & 0x3F));
			u[3] = '\0';
		} else {
			u[0] = (char)(0xF0 | cp >> 18);
			u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
			u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
			u[3] = (char)(0x80 | (cp & 0x3F));
			u[4] = '\0';
		}
		snprintf(out, n, "%s", u);
	}
	return out;
}

/* ---- tables ------------------------------------------------------------------------------ */

void
tui_keymaps_init(struct tui_keymaps *km)
{
	memset(km, 0, sizeof(*km));
}

void
tui_keymaps_release(struct tui_keymaps *km)
{
	size_t i;

	for (i = 0; i < km->n; i++) {
		free(km->maps[i].name);
		free(km->maps[i].b);
	}
	free(km->maps);
	memset(km, 0, sizeof(*km));
}

const struct tui_keymap *
tui_keymaps_get(const struct tui_keymaps *km, const char *name)
{
	size_t i;

	for (i = 0; i < km->n; i++)
		if (!strcmp(km->maps[i].name, name))
			return &km->maps[i];
	return NULL;
}

static struct tui_keymap *
get_or_add(struct tui_keymaps *km, const char *name)
{
	struct tui_keymap *m;
	size_t i;

	for (i = 0; i < km->n; i++)
		if (!strcmp(km->maps[i].name, name))
			return &km->maps[i];
	CSF_GROW(km->maps, km->alloc, km->n + 1);
	m = &km->maps[km->n++];
	memset(m, 0, sizeof(*m));
	m->name = csf_xstrdup(name);
	return m;
}

void
tui_keymaps_bind(struct tui_keymaps *km, const char *map, const int *keys, size_t n,
		 enum request req, unsigned line)
{
	struct tui_keymap *m = get_or_add(km, map);
	struct tui_binding *b = NULL;
	size_t i;

	if (!n || n > TUI_KEY_SEQ_MAX)
		return;
	for (i = 0; i < m->n; i++)
		if (m->b[i].nkeys == n && !memcmp(m->b[i].keys, keys, n * sizeof(int)))
			b = &m->b[i];
	if (!b) {
		CSF_GROW(m->b, m->alloc, m->n + 1);
		b = &m->b[m->n++];
		memset(b, 0, sizeof(*b));
	}
	memcpy(b->keys, keys, n * sizeof(int));
	b->nkeys = (unsigned)n;
	b->req = req;
	b->line = line;
}

unsigned
tui_keymaps_parse(struct tui_keymaps *km, const char *path, const char *text, size_t len,
		  tui_keymap_known_fn known, FILE *errout)
{
	unsigned errors = 0, lineno = 0;
	size_t off = 0;

	while (off < len) {
		const char *line = text + off, *nl = memchr(line, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - line) : len - off, pos = 0, n, mn, kn, err_at, nk;
		const char *w, *map, *kw, *why;
		char mapname[64];
		int keys[TUI_KEY_SEQ_MAX];
		enum request req;

		off += ll + (nl ? 1 : 0);
		lineno++;
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (!tui_config_next_word(line, ll, &pos, &w, &n) || w[0] == '#')
			continue;
#define BAD(at, ...) do { \
		tui_config_error(errout, path, lineno, (unsigned)((at) - line) + 1, line, ll, \
				 __VA_ARGS__); \
		errors++; \
		goto next; \
	} while (0)
		if (n != 4 || strncmp(w, "bind", 4))
			BAD(w, "unknown command '%.*s' (expected 'bind <keymap> <keys> <action>')",
			    (int)n, w);
		if (!tui_config_next_word(line, ll, &pos, &map, &mn))
			BAD(line + ll, "missing keymap name");
		if (mn >= sizeof(mapname))
			BAD(map, "keymap name too long");
		memcpy(mapname, map, mn);
		mapname[mn] = '\0';
		if (strcmp(mapname, "generic") && strcmp(mapname, "search") && known &&
		    !known(mapname))
			BAD(map, "unknown keymap '%s'", mapname);
		if (!tui_config_next_word(line, ll, &pos, &kw, &kn))
			BAD(line + ll, "missing key");
		nk = tui_key_parse_seq(kw, kn, keys, TUI_KEY_SEQ_MAX, &err_at, &why);
		if (!nk)
			BAD(kw + err_at, "%s", why);
		if (!tui_config_next_word(line, ll, &pos, &w, &n))
			BAD(line + ll, "missing action");
		req = tui_request_parse(w, n);
		if (req == REQ_UNKNOWN)
			BAD(w, "unknown action '%.*s'", (int)n, w);
		{
			const char *rest;
			size_t rn;

			if (tui_config_next_word(line, ll, &pos, &rest, &rn) && rest[0] != '#')
				BAD(rest, "unexpected '%.*s' after the action", (int)rn, rest);
		}
		{
			const char *c;

			for (c = kw; c + 3 < kw + kn; c++)
				if (c[0] == '<' && (c[1] == 'C' || c[1] == 'c') && c[2] == '-' &&
				    isupper((unsigned char)c[3]) && c[4] == '>' && ++km->warnings)
					tui_config_error(errout, path, lineno,
							 (unsigned)(c - line) + 1, line, ll,
							 "warning: <C-%c> is the same key as <C-%c>",
							 c[3], tolower((unsigned char)c[3]));
		}
		tui_keymaps_bind(km, mapname, keys, nk, req, lineno);
#undef BAD
next:
		;
	}
	return errors;
}

static const struct tui_builtin_file *
builtin(const char *name)
{
	return tui_builtin_find(tui_builtin_keymaps, name);
}

const char *
tui_keymap_builtin_nth(size_t i)
{
	return tui_builtin_nth(tui_builtin_keymaps, i);
}

static unsigned
parse_file(struct tui_keymaps *km, const char *path, tui_keymap_known_fn known, FILE *errout,
	   bool quiet_missing)
{
	struct csf_buf b = CSF_BUF_INIT;
	unsigned errors;

	if (csf_buf_read_file(&b, path, 1 << 20) < 0) {
		int e = errno;

		csf_buf_release(&b);
		if (quiet_missing)
			return 0;
		if (errout)
			fprintf(errout, "%s:0:0: cannot read keymap file: %s\n", path, strerror(e));
		return 1;
	}
	errors = tui_keymaps_parse(km, path, b.buf, b.len, known, errout);
	csf_buf_release(&b);
	return errors;
}

unsigned
tui_keymaps_load(struct tui_keymaps *km, const char *name, const char *user_path,
		 tui_keymap_known_fn known, FILE *errout)
{
	const struct tui_builtin_file *def = builtin("default"), *f;
	unsigned errors = 0;

	if (def)
		errors += tui_keymaps_parse(km, def->path, def->text, strlen(def->text), known,
					    errout);
	if (name && strcmp(name, "default")) {
		if ((f = builtin(name)))
			errors += tui_keymaps_parse(km, f->path, f->text, strlen(f->text), known,
						    errout);
		else if (strchr(name, '/'))
			errors += parse_file(km, name, known, errout, false);
		else {
			if (errout)
				fprintf(errout, "csf-tui: unknown keymap '%s'; using default\n",
					name);
			errors++;
		}
	}
	if (user_path)
		errors += parse_file(km, user_path, known, errout, true);
	return errors;
}

enum tui_key_match
tui_keymaps_lookup(const struct tui_keymaps *km, const char *const *chain, size_t nchain,
		   const int *seq, size_t n, enum request *req)
{
	size_t c, i;
	bool prefix = false;

	for (c = 0; c < nchain; c++) {
		const struct tui_keymap *m;
		const struct tui_binding *exact = NULL;

		if (!chain[c] || !(m = tui_keymaps_get(km, chain[c])))
			continue;
		for (i = 0; i < m->n; i++) {
			const struct tui_binding *b = &m->b[i];

			if (b->nkeys < n || memcmp(b->keys, seq, n * sizeof(int)))
				continue;
			if (b->nkeys == n)
				exact = b;
			else if (b->req != REQ_NONE)
				prefix = true;
		}
		if (prefix)
			return TUI_KEY_PREFIX;
		if (exact) {
			*req = exact->req;
			return TUI_KEY_MATCH;
		}
	}
	return prefix ? TUI_KEY_PREFIX : TUI_KEY_NOMATCH;
}

size_t
tui_keymaps_keys_for(const struct tui_keymaps *km, const char *map, enum request req, char *out,
		     size_t n)
{
	const struct tui_keymap *m = tui_keymaps_get(km, map);
	size_t i, k, found = 0, used = 0;

	if (n)
		out[0] = '\0';
	if (!m)
		return 0;
	for (i = 0; i < m->n; i++) {
		char name[32];

		if (m->b[i].req != req)
			continue;
		if (found++ && used + 2 < n) {
			memcpy(out + used, ", ", 3);
			used += 2;
		}
		for (k = 0; k < m->b[i].nkeys; k++) {
			size_t l;

			tui_key_name(m->b[i].keys[k], name, sizeof(name));
			l = strlen(name);
			if (used + l + 1 < n) {
				memcpy(out + used, name, l + 1);
				used += l;
			}
		}
	}
	return found;
}
