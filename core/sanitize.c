#include "core/sanitize.h"

#include <string.h>

enum piece {
	P_KEEP,		/* copy the bytes */
	P_REPLACE,	/* emit one replacement character */
	P_SPACE,	/* emit one space */
};

/* Decodes one UTF-8 sequence at s[0..len); returns its length (0 when invalid) and the code
 * point. Rejects overlong forms, surrogates and values above U+10FFFF. */
static size_t
utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		*cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		*cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		*cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return n;
}

/* Length of an escape sequence that starts at s[0] == ESC (at least 1, at most len). */
static size_t
esc_len(const unsigned char *s, size_t len)
{
	size_t i;

	if (len < 2)
		return len;
	switch (s[1]) {
	case '[':	/* CSI: parameters and intermediates 0x20–0x3F, final 0x40–0x7E */
		for (i = 2; i < len; i++)
			if (s[i] >= 0x40 && s[i] <= 0x7E)
				return i + 1;
			else if (s[i] < 0x20 || s[i] > 0x3F)
				return i;	/* broken sequence: drop what we saw */
		return len;
	case ']': case 'P': case 'X': case '^': case '_':	/* OSC DCS SOS PM APC strings */
		for (i = 2; i < len; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1B)
				return (i + 1 < len && s[i + 1] == '\\') ? i + 2 : i;
		}
		return len;
	default:
		/* ESC + intermediates (0x20–0x2F) + one final byte, e.g. ESC ( B, ESC c. */
		for (i = 1; i < len && s[i] >= 0x20 && s[i] <= 0x2F; i++)
			;
		return i < len && s[i] >= 0x30 && s[i] <= 0x7E ? i + 1 : i;
	}
}

/* Classifies the piece at s[0..len) and sets *adv to its length in bytes. */
static enum piece
classify(const unsigned char *s, size_t len, unsigned flags, size_t *adv)
{
	unsigned cp;
	size_t n;

	if (s[0] >= 0x20 && s[0] < 0x7F) {
		*adv = 1;
		return P_KEEP;
	}
	if (s[0] == 0x1B) {
		*adv = esc_len(s, len);
		return P_REPLACE;
	}
	if (s[0] < 0x80) {
		*adv = 1;
		if (s[0] == '\n' && (flags & CSF_SAN_KEEP_NL))
			return P_KEEP;
		if (s[0] == '\t')
			return (flags & CSF_SAN_KEEP_TAB) ? P_KEEP : P_SPACE;
		return P_REPLACE;
	}
	n = utf8_decode(s, len, &cp);
	if (!n) {
		*adv = 1;
		return P_REPLACE;
	}
	*adv = n;
	if (cp == 0x9B || cp == 0x9D || cp == 0x90 || cp == 0x98 || cp == 0x9E || cp == 0x9F) {
		/* 8-bit CSI/OSC/DCS/SOS/PM/APC: swallow the sequence like its 7-bit form. */
		size_t i;

		for (i = n; i < len; i++) {
			if (cp == 0x9B) {
				if (s[i] >= 0x40 && s[i] <= 0x7E) {
					i++;
					break;
				}
				if (s[i] < 0x20 || s[i] > 0x3F)
					break;
			} else {
				if (s[i] == 0x07) {
					i++;
					break;
				}
				if (s[i] == 0x1B || (s[i] == 0xC2 && i + 1 < len && s[i + 1] == 0x9C))
					break;
			}
		}
		*adv = i;
		return P_REPLACE;
	}
	if (cp <= 0x9F)
		return P_REPLACE;
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029)
		return P_REPLACE;
	if (flags & CSF_SAN_ASCII)
		return P_REPLACE;
	return P_KEEP;
}

void
csf_sanitize_buf(struct csf_buf *out, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, adv;

	if (!s)
		return;
	csf_buf_grow(out, len);
	while (i < len) {
		enum piece k = classify(p + i, len - i, flags, &adv);

		if (k == P_KEEP) {
			i += adv;
			continue;
		}
		csf_buf_add(out, s + run, i - run);
		if (k == P_SPACE)
			csf_buf_addch(out, ' ');
		else if (flags & CSF_SAN_ASCII)
			csf_buf_addch(out, '?');
		else
			csf_buf_add(out, "\xEF\xBF\xBD", 3);
		i += adv;
		run = i;
	}
	csf_buf_add(out, s + run, len - run);
}

bool
csf_sanitize_needed(const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, adv;

	if (!s)
		return false;
	while (i < len) {
		if (classify(p + i, len - i, flags, &adv) != P_KEEP)
			return true;
		i += adv;
	}
	return false;
}

char *
csf_sanitize_str(const char *s, unsigned flags)
{
	struct csf_buf b = CSF_BUF_INIT;

	if (s)
		csf_sanitize_buf(&b, s, strlen(s), flags);
	return csf_buf_detach(&b, NULL);
}

const char *
csf_sanitize_tmp(struct csf_buf *scratch, const char *s, unsigned flags)
{
	size_t len;

	if (!s)
		return "";
	len = strlen(s);
	if (!csf_sanitize_needed(s, len, flags))
		return s;
	csf_buf_reset(scratch);
	csf_sanitize_buf(scratch, s, len, flags);
	return scratch->buf;
}
