#include "tui/theme.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "tui/builtin.h"


static const struct tui_slot_info slots[] = {
#define THEME_SLOT_ROW(name, letter, help) { #name, letter, help },
	THEME_SLOTS(THEME_SLOT_ROW)
#undef THEME_SLOT_ROW
};

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "normal", 0 }, { "bold", TUI_ATTR_BOLD }, { "dim", TUI_ATTR_DIM },
	{ "underline", TUI_ATTR_UNDERLINE }, { "reverse", TUI_ATTR_REVERSE },
	{ "standout", TUI_ATTR_STANDOUT }, { "italic", TUI_ATTR_ITALIC },
	{ "blink", TUI_ATTR_BLINK },
};

const struct tui_slot_info *
tui_theme_slots(size_t *n)
{
	*n = THEME_COUNT;
	return slots;
}

const char *
tui_theme_slot_name(enum theme_slot slot, char *out, size_t n)
{
	const char *src = (unsigned)slot < THEME_COUNT ? slots[slot].id : "default";
	size_t i;

	if (!n)
		return out;
	for (i = 0; src[i] && i + 1 < n; i++)
		out[i] = src[i] == '_' ? '-' : (char)tolower((unsigned char)src[i]);
	out[i] = '\0';
	return out;
}

void
tui_theme_init(struct tui_theme *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < THEME_COUNT; i++) {
		t->slot[i].fg = t->slot[i].bg = TUI_COLOR_DEFAULT;
		t->mono[i] = t->slot[i];
	}
}

void
tui_config_error(FILE *errout, const char *path, unsigned line, unsigned col, const char *text,
		 size_t len, const char *fmt, ...)
{
	va_list ap;
	struct csf_buf msg = CSF_BUF_INIT, safe = CSF_BUF_INIT;
	size_t i, width = 0;

	if (!errout)
		return;
	/* The message quotes words of the file: it is sanitized like the line (escape sequences,
	 * controls and invalid UTF-8 never reach the terminal). */
	va_start(ap, fmt);
	csf_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	csf_sanitize_buf(&safe, msg.buf, msg.len, 0);
	fprintf(errout, "%s:%u:%u: %s\n", path, line, col, safe.buf);
	/* The line and a caret under the column (counted in characters as shown). */
	csf_buf_reset(&safe);
	csf_sanitize_buf(&safe, text, col > 1 && col - 1 < len ? col - 1 : col > 1 ? len : 0, 0);
	for (i = 0; i < safe.len; i++)
		width += ((unsigned char)safe.buf[i] & 0xc0) != 0x80;
	csf_buf_reset(&safe);
	csf_sanitize_buf(&safe, text, len, 0);
	fprintf(errout, "    %s\n    ", safe.buf);
	for (i = 0; i < width; i++)
		fputc(' ', errout);
	fputs("^\n", errout);
	csf_buf_release(&msg);
	csf_buf_release(&safe);
}

/* ---- parsing ----------------------------------------------------------------------------- */

static bool
word_eq(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && !strncasecmp(w, lit, n);
}

static int
parse_slot(const char *w, size_t n)
{
	size_t i, k;

	for (i = 0; i < THEME_COUNT; i++) {
		const char *id = slots[i].id;

		for (k = 0; k < n && id[k]; k++)
			if ((w[k] == '-' ? '_' : toupper((unsigned char)w[k])) != id[k])
				break;
		if (k == n && !id[k])
			return (int)i;
	}
	return -1;
}

static const unsigned char xterm16[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 }, { 0, 0, 238 },
	{ 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 },
	{ 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 },
	{ 255, 255, 255 },
};

static void
rgb_of(int c, int rgb[3])
{
	static const int steps[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		rgb[0] = xterm16[c][0];
		rgb[1] = xterm16[c][1];
		rgb[2] = xterm16[c][2];
	} else if (c < 232) {
		c -= 16;
		rgb[0] = steps[c / 36];
		rgb[1] = steps[(c / 6) % 6];
		rgb[2] = steps[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

static int
nearest(const int rgb[3], int from, int to)
{
	int best = from, c;
	long bestd = -1;

	for (c = from; c < to; c++) {
		int o[3];
		long d;

		rgb_of(c, o);
		d = (long)(o[0] - rgb[0]) * (o[0] - rgb[0]) + (long)(o[1] - rgb[1]) * (o[1] - rgb[1]) +
		    (long)(o[2] - rgb[2]) * (o[2] - rgb[2]);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = c;
		}
	}
	return best;
}

/* Returns 0 and *out, or -1 when w is not a colour. */
static int
parse_color(const char *w, size_t n, short *out)
{
	size_t i;
	char tmp[16];
	char *end;
	long v;

	if (word_eq(w, n, "default") || word_eq(w, n, "-1")) {
		*out = TUI_COLOR_DEFAULT;
		return 0;
	}
	for (i = 0; i < 8; i++) {
		if (word_eq(w, n, color_names[i])) {
			*out = (short)i;
			return 0;
		}
		if (n == 7 + strlen(color_names[i]) && !strncasecmp(w, "bright-", 7) &&
		    !strncasecmp(w + 7, color_names[i], n - 7)) {
			*out = (short)(i + 8);
			return 0;
		}
	}
	if (n == 7 && w[0] == '#') {
		int rgb[3];

		for (i = 1; i < 7; i++)
			if (!isxdigit((unsigned char)w[i]))
				return -1;
		memcpy(tmp, w + 1, 6);
		tmp[6] = '\0';
		v = strtol(tmp, NULL, 16);
		rgb[0] = (int)(v >> 16) & 255;
		rgb[1] = (int)(v >> 8) & 255;
		rgb[2] = (int)v & 255;
		*out = (short)nearest(rgb, 16, 256);
		return 0;
	}
	if (n > 5 && !strncasecmp(w, "color", 5)) {
		w += 5;
		n -= 5;
	}
	if (!n || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, w, n);
	tmp[n] = '\0';
	v = strtol(tmp, &end, 10);
	if (*end || v < 0 || v > 255)
		return -1;
	*out = (short)v;
	return 0;
}

bool
tui_config_next_word(const char *s, size_t len, size_t *pos, const char **w, size_t *n)
{
	size_t i = *pos;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= len)
		return false;
	*w = s + i;
	while (i < len && s[i] != ' ' && s[i] != '\t')
		i++;
	*n = (size_t)(s + i - *w);
	*pos = i;
	return true;
}

unsigned
tui_theme_parse(struct tui_theme *t, const char *path, const char *text, size_t len,
		FILE *errout)
{
	unsigned errors = 0, lineno = 0;
	size_t off = 0;

	while (off < len) {
		const char *line = text + off, *nl = memchr(line, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - line) : len - off, pos = 0, n;
		const char *w;
		struct tui_style st;
		int slot;

		off += ll + (nl ? 1 : 0);
		lineno++;
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (!tui_config_next_word(line, ll, &pos, &w, &n) || w[0] == '#')
			continue;
#define BAD(word, ...) do { \
		tui_config_error(errout, path, lineno, (unsigned)((word) - line) + 1, line, ll, \
				 __VA_ARGS__); \
		errors++; \
		goto next; \
	} while (0)
		if (!word_eq(w, n, "color"))
			BAD(w, "unknown command '%.*s' (expected 'color <slot> <fg> <bg> [attr...]')",
			    (int)n, w);
		if (!tui_config_next_word(line, ll, &pos, &w, &n))
			BAD(line + ll, "missing slot name");
		slot = parse_slot(w, n);
		if (slot < 0)
			BAD(w, "unknown slot '%.*s'", (int)n, w);
		if (!tui_config_next_word(line, ll, &pos, &w, &n))
			BAD(line + ll, "missing foreground colour");
		if (parse_color(w, n, &st.fg))
			BAD(w, "unknown colour '%.*s'", (int)n, w);
		if (!tui_config_next_word(line, ll, &pos, &w, &n))
			BAD(line + ll, "missing background colour");
		if (parse_color(w, n, &st.bg))
			BAD(w, "unknown colour '%.*s'", (int)n, w);
		st.attrs = 0;
		while (tui_config_next_word(line, ll, &pos, &w, &n)) {
			size_t a;

			if (w[0] == '#')
				break;
			for (a = 0; a < sizeof(attr_names) / sizeof(attr_names[0]); a++)
				if (word_eq(w, n, attr_names[a].name))
					break;
			if (a == sizeof(attr_names) / sizeof(attr_names[0]))
				BAD(w, "unknown attribute '%.*s'", (int)n, w);
			st.attrs |= attr_names[a].bit;
		}
		t->slot[slot] = st;
#undef BAD
next:
		;
	}
	return errors;
}

const char *
tui_theme_builtin(const char *name)
{
	const struct tui_builtin_file *f = tui_builtin_find(tui_builtin_themes, name);

	return f ? f->text : NULL;
}

const char *
tui_theme_builtin_nth(size_t i)
{
	return tui_builtin_nth(tui_builtin_themes, i);
}

static unsigned
load_file_layer(struct tui_theme *t, const char *path, FILE *errout, bool quiet_missing)
{
	struct csf_buf b = CSF_BUF_INIT;
	unsigned errors;

	if (csf_buf_read_file(&b, path, 1 << 20) < 0) {
		int e = errno;

		csf_buf_release(&b);
		if (quiet_missing)
			return 0;
		if (errout)
			fprintf(errout, "%s:0:0: cannot read theme file: %s\n", path, strerror(e));
		return 1;
	}
	errors = tui_theme_parse(t, path, b.buf, b.len, errout);
	csf_buf_release(&b);
	return errors;
}

unsigned
tui_theme_load(struct tui_theme *t, const char *name, const char *user_path, FILE *errout)
{
	const char *mono = tui_theme_builtin("mono"), *text;
	unsigned errors = 0;

	tui_theme_init(t);
	snprintf(t->name, sizeof(t->name), "%s", name ? name : "default");
	if (mono)
		errors += tui_theme_parse(t, "themes/mono.theme", mono, strlen(mono), errout);
	memcpy(t->mono, t->slot, sizeof(t->mono));
	if (!name || !strcmp(name, "mono"))
		;
	else if ((text = tui_theme_builtin(name)))
		errors += tui_theme_parse(t, name, text, strlen(text), errout);
	else if (strchr(name, '/'))
		errors += load_file_layer(t, name, errout, false);
	else {
		if (errout)
			fprintf(errout, "csf-tui: unknown theme '%s'; using mono\n", name);
		errors++;
	}
	if (user_path)
		errors += load_file_layer(t, user_path, errout, true);
	return errors;
}

int
tui_theme_nearest(int c, int from, int to)
{
	int rgb[3];

	rgb_of(c, rgb);
	return nearest(rgb, from, to);
}
