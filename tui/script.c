#include "tui/script.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "tui/keymap.h"
#include "tui/theme.h"

static void
add(struct tui_script *s, char *cmd, int key, unsigned line)
{
	CSF_GROW(s->tok, s->alloc, s->n + 1);
	s->tok[s->n].cmd = cmd;
	s->tok[s->n].key = key;
	s->tok[s->n].line = line;
	s->n++;
}

/* Splits a key line into single keys: "<...>" names, "^x" and characters. */
static int
add_keys(struct tui_script *s, const char *path, unsigned lineno, const char *line, size_t len,
	 FILE *errout)
{
	size_t i = 0;

	while (i < len) {
		size_t n = 1, err_at, got;
		const char *why;
		int key;

		if (line[i] == '<' && memchr(line + i, '>', len - i))
			n = (size_t)((const char *)memchr(line + i, '>', len - i) - (line + i)) + 1;
		else if (line[i] == '^' && i + 1 < len)
			n = 2;
		else if ((unsigned char)line[i] >= 0xC0)
			while (i + n < len && ((unsigned char)line[i + n] & 0xC0) == 0x80)
				n++;
		got = tui_key_parse_seq(line + i, n, &key, 1, &err_at, &why);
		if (!got) {
			tui_config_error(errout, path, lineno, (unsigned)(i + err_at) + 1, line, len,
					 "%s", why);
			return -1;
		}
		add(s, NULL, key, lineno);
		i += n;
	}
	return 0;
}

int
tui_script_load(struct tui_script *s, const char *path, FILE *errout)
{
	struct csf_buf b = CSF_BUF_INIT;
	size_t off = 0;
	unsigned lineno = 0;
	int bad = 0;

	memset(s, 0, sizeof(*s));
	if (csf_buf_read_file(&b, path, 16 << 20) < 0) {
		csf_buf_release(&b);
		return -1;
	}
	s->path = csf_xstrdup(path);
	while (off < b.len) {
		const char *line = b.buf + off, *nl = memchr(line, '\n', b.len - off);
		size_t len = nl ? (size_t)(nl - line) : b.len - off;

		off += len + (nl ? 1 : 0);
		lineno++;
		if (len && line[len - 1] == '\r')
			len--;
		if (!len || (len > 1 && line[0] == '#' && line[1] == ' '))
			continue;
		if (line[0] == ':' && len > 1)
			add(s, csf_xstrndup(line + 1, len - 1), 0, lineno);
		else if (add_keys(s, path, lineno, line, len, errout) < 0)
			bad++;
	}
	csf_buf_release(&b);
	s->active = true;
	return bad;
}

void
tui_script_release(struct tui_script *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->tok[i].cmd);
	free(s->tok);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

const struct tui_script_token *
tui_script_next(struct tui_script *s)
{
	return s->next < s->n ? &s->tok[s->next++] : NULL;
}
