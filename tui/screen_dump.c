#include "tui/screen_dump.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "core/buf.h"
#include "core/fsutil.h"
#include "tui/app.h"

static void
add_utf8(struct csf_buf *b, unsigned cp)
{
	if (cp < 0x80) {
		csf_buf_addch(b, (int)cp);
	} else if (cp < 0x800) {
		csf_buf_addch(b, (int)(0xC0 | cp >> 6));
		csf_buf_addch(b, (int)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		csf_buf_addch(b, (int)(0xE0 | cp >> 12));
		csf_buf_addch(b, (int)(0x80 | ((cp >> 6) & 0x3F)));
		csf_buf_addch(b, (int)(0x80 | (cp & 0x3F)));
	} else {
		csf_buf_addch(b, (int)(0xF0 | cp >> 18));
		csf_buf_addch(b, (int)(0x80 | ((cp >> 12) & 0x3F)));
		csf_buf_addch(b, (int)(0x80 | ((cp >> 6) & 0x3F)));
		csf_buf_addch(b, (int)(0x80 | (cp & 0x3F)));
	}
}

/* Line-drawing characters come back as ACS codes; dump them as the ASCII a reader expects. */
static unsigned
acs_ascii(chtype ch)
{
	chtype c = ch & A_CHARTEXT;

	if (!(ch & A_ALTCHARSET))
		return (unsigned)c;
	switch (c) {
	case 'x':
		return '|';
	case 'q':
		return '-';
	default:
		return '+';
	}
}

int
tui_screen_dump(struct app *app, const char *path, bool slots, struct csf_error *err)
{
	struct csf_buf out = CSF_BUF_INIT;
	int y, x;
	enum csf_status st;
	const struct tui_slot_info *info;
	size_t nslots;

	info = tui_theme_slots(&nslots);
	for (y = 0; y < app->lines; y++) {
		size_t start = out.len, keep = out.len;

		for (x = 0; x < app->cols; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t attrs;
			short pair;
			unsigned cp;
			int w;

			if (mvwin_wch(curscr, y, x, &cc) == ERR)
				break;
			if (getcchar(&cc, wch, &attrs, &pair, NULL) == ERR)
				break;
			cp = wch[0] ? (unsigned)wch[0] : ' ';
			if (attrs & A_ALTCHARSET)
				cp = acs_ascii((chtype)cp | A_ALTCHARSET);
			w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
			if (slots) {
				enum theme_slot s = tui_theme_slot_of_pair(pair);
				char c = (size_t)s < nslots ? info[s].letter : '.';

				csf_buf_addch(&out, c);
				if (c != '.')
					keep = out.len;
				if (w == 2) {
					csf_buf_addch(&out, c);
					x++;
					keep = c != '.' ? out.len : keep;
				}
				continue;
			}
			add_utf8(&out, cp);
			for (int k = 1; k < CCHARW_MAX && wch[k] && !(attrs & A_ALTCHARSET); k++)
				add_utf8(&out, (unsigned)wch[k]);	/* combining marks */
			if (cp != ' ')
				keep = out.len;
			if (w == 2)
				x++;
		}
		(void)start;
		csf_buf_setlen(&out, keep);
		csf_buf_addch(&out, '\n');
	}
	st = csf_write_file_atomic(path, out.buf, out.len, err);
	csf_buf_release(&out);
	return st == CSF_E_OK ? 0 : -1;
}

int
tui_theme_dump(struct app *app, const char *path, struct csf_error *err)
{
	struct csf_buf out = CSF_BUF_INIT;
	enum csf_status st;
	size_t i;
	static const struct {
		attr_t bit;
		const char *name;
	} attrs[] = {
		{ A_BOLD, "bold" }, { A_DIM, "dim" }, { A_UNDERLINE, "underline" },
		{ A_REVERSE, "reverse" }, { A_STANDOUT, "standout" }, { A_ITALIC, "italic" },
		{ A_BLINK, "blink" },
	};

	csf_buf_addf(&out, "# theme %s, %d colours%s\n", app->theme.name,
		     app->theme.is_mono ? 0 : COLORS, app->theme.is_mono ? " (mono)" : "");
	for (i = 0; i < THEME_COUNT; i++) {
		char name[64];
		attr_t a = (attr_t)app->theme.attr[i];
		short pair = (short)PAIR_NUMBER(a), fg = -1, bg = -1;
		size_t k, n = 0;

		csf_buf_addf(&out, "%-18s", tui_theme_slot_name((enum theme_slot)i, name,
								 sizeof(name)));
		if (pair && pair_content(pair, &fg, &bg) == OK)
			csf_buf_addf(&out, " %4d %4d", fg, bg);
		else
			csf_buf_addstr(&out, "   mono");
		for (k = 0; k < sizeof(attrs) / sizeof(attrs[0]); k++)
			if ((a & attrs[k].bit) == attrs[k].bit) {
				csf_buf_addf(&out, "%s%s", n++ ? "," : " ", attrs[k].name);
			}
		csf_buf_addstr(&out, n ? "\n" : " -\n");
	}
	st = csf_write_file_atomic(path, out.buf, out.len, err);
	csf_buf_release(&out);
	return st == CSF_E_OK ? 0 : -1;
}
