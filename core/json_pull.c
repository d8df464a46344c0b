#include "core/json_pull.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
csf_jp_init(struct csf_json_pull *p, const char *s, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->s = s;
	p->len = len;
	p->max_depth = 1000;
	p->scratch = (struct csf_buf)CSF_BUF_INIT;
}

void
csf_jp_release(struct csf_json_pull *p)
{
	csf_buf_release(&p->scratch);
}

bool
csf_jp_fail(struct csf_json_pull *p, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return false;
	p->failed = true;
	p->err_pos = pos;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return false;
}

static bool
fail_eof(struct csf_json_pull *p)
{
	if (!p->failed)
		p->eof = true;
	return csf_jp_fail(p, p->len, "unexpected end of input (truncated JSON?)");
}

static inline void
skip_ws(struct csf_json_pull *p)
{
	const char *s = p->s;
	size_t i = p->pos, n = p->len;

	while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
		i++;
	p->pos = i;
}

int
csf_jp_peek(struct csf_json_pull *p)
{
	char c;

	if (p->failed)
		return 0;
	skip_ws(p);
	if (p->pos >= p->len)
		return 0;
	c = p->s[p->pos];
	if (c == '-' || (c >= '0' && c <= '9'))
		return '0';
	return (unsigned char)c;
}

bool
csf_jp_at_end(struct csf_json_pull *p)
{
	skip_ws(p);
	return p->pos >= p->len;
}

static bool
expect(struct csf_json_pull *p, char c, const char *what)
{
	if (p->failed)
		return false;
	skip_ws(p);
	if (p->pos >= p->len)
		return fail_eof(p);
	if (p->s[p->pos] != c) {
		if ((unsigned char)p->s[p->pos] < 0x20)
			return csf_jp_fail(p, p->pos, "unexpected control character; expected %s",
					   what);
		return csf_jp_fail(p, p->pos, "unexpected '%c'; expected %s", p->s[p->pos], what);
	}
	p->pos++;
	return true;
}

static bool
enter(struct csf_json_pull *p, char c, const char *what)
{
	if (!expect(p, c, what))
		return false;
	if (++p->depth > p->max_depth)
		return csf_jp_fail(p, p->pos - 1, "nesting deeper than %u levels", p->max_depth);
	return true;
}

bool
csf_jp_object(struct csf_json_pull *p)
{
	return enter(p, '{', "an object");
}

bool
csf_jp_array(struct csf_json_pull *p)
{
	return enter(p, '[', "an array");
}

/* Before member/item i: at '}'/']' ends the container (false); otherwise for i > 0 a ',' is
 * consumed. */
static bool
next_in(struct csf_json_pull *p, size_t i, char close, const char *what)
{
	if (p->failed)
		return false;
	skip_ws(p);
	if (p->pos >= p->len)
		return fail_eof(p);
	if (p->s[p->pos] == close) {
		p->pos++;
		p->depth--;
		return false;
	}
	if (i > 0) {
		if (p->s[p->pos] != ',')
			return csf_jp_fail(p, p->pos, "expected ',' or '%c' after %s", close, what);
		p->pos++;
		skip_ws(p);
		if (p->pos >= p->len)
			return fail_eof(p);
		if (p->s[p->pos] == close)
			return csf_jp_fail(p, p->pos, "trailing comma before '%c'", close);
	}
	return true;
}

bool
csf_jp_member(struct csf_json_pull *p, size_t i, const char **key, size_t *klen)
{
	if (!next_in(p, i, '}', "an object member"))
		return false;
	if (p->s[p->pos] != '"')
		return csf_jp_fail(p, p->pos, "expected a member name in double quotes");
	if (!csf_jp_string(p, key, klen))
		return false;
	return expect(p, ':', "':' after the member name");
}

bool
csf_jp_item(struct csf_json_pull *p, size_t i)
{
	return next_in(p, i, ']', "an array item");
}

static int
hex4(const char *s)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void
put_utf8(struct csf_buf *b, unsigned cp)
{
	char u[4];

	if (cp < 0x80) {
		csf_buf_addch(b, (int)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		csf_buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		csf_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		csf_buf_add(b, u, 4);
	}
}

bool
csf_jp_string(struct csf_json_pull *p, const char **out, size_t *olen)
{
	const char *s = p->s;
	size_t i, start, n = p->len;

	*out = "";
	*olen = 0;
	if (!expect(p, '"', "a string"))
		return false;
	start = i = p->pos;
	/* fast path: no escapes */
	while (i < n && s[i] != '"' && s[i] != '\\' && (unsigned char)s[i] >= 0x20)
		i++;
	if (i >= n)
		return fail_eof(p);
	if (s[i] == '"') {
		*out = s + start;
		*olen = i - start;
		p->pos = i + 1;
		return true;
	}
	csf_buf_reset(&p->scratch);
	csf_buf_add(&p->scratch, s + start, i - start);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"') {
			*out = p->scratch.buf;
			*olen = p->scratch.len;
			p->pos = i + 1;
			return true;
		}
		if (c < 0x20)
			return csf_jp_fail(p, i, "control character inside a string");
		if (c != '\\') {
			size_t j = i;

			while (j < n && s[j] != '"' && s[j] != '\\' && (unsigned char)s[j] >= 0x20)
				j++;
			csf_buf_add(&p->scratch, s + i, j - i);
			i = j;
			continue;
		}
		if (i + 1 >= n)
			return fail_eof(p);
		switch (s[i + 1]) {
		case '"': csf_buf_addch(&p->scratch, '"'); break;
		case '\\': csf_buf_addch(&p->scratch, '\\'); break;
		case '/': csf_buf_addch(&p->scratch, '/'); break;
		case 'b': csf_buf_addch(&p->scratch, '\b'); break;
		case 'f': csf_buf_addch(&p->scratch, '\f'); break;
		case 'n': csf_buf_addch(&p->scratch, '\n'); break;
		case 'r': csf_buf_addch(&p->scratch, '\r'); break;
		case 't': csf_buf_addch(&p->scratch, '\t'); break;
		case 'u': {
			int v, lo;

			if (i + 6 > n)
				return fail_eof(p);
			if ((v = hex4(s + i + 2)) < 0)
				return csf_jp_fail(p, i, "bad \\u escape");
			if (v >= 0xD800 && v <= 0xDBFF && i + 12 <= n && s[i + 6] == '\\' &&
			    s[i + 7] == 'u' && (lo = hex4(s + i + 8)) >= 0xDC00 && lo <= 0xDFFF) {
				put_utf8(&p->scratch,
					 0x10000 + (((unsigned)v - 0xD800) << 10) + ((unsigned)lo - 0xDC00));
				i += 6;
			} else if (v >= 0xD800 && v <= 0xDFFF) {
				put_utf8(&p->scratch, 0xFFFD);
			} else {
				put_utf8(&p->scratch, (unsigned)v);
			}
			i += 4;
			break;
		}
		default:
			return csf_jp_fail(p, i, "bad escape '\\%c' in a string", s[i + 1]);
		}
		i += 2;
	}
	return fail_eof(p);
}

bool
csf_jp_number(struct csf_json_pull *p, const char **text, size_t *len)
{
	const char *s = p->s;
	size_t i, start, n = p->len;

	*text = "";
	*len = 0;
	if (p->failed)
		return false;
	skip_ws(p);
	start = i = p->pos;
	if (i < n && s[i] == '-')
		i++;
	if (i >= n)
		return fail_eof(p);
	if (s[i] == '0') {
		i++;
	} else if (s[i] >= '1' && s[i] <= '9') {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		return csf_jp_fail(p, i, "expected a value");
	}
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return i >= n ? fail_eof(p) : csf_jp_fail(p, i, "bad number");
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return i >= n ? fail_eof(p) : csf_jp_fail(p, i, "bad number");
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	*text = s + start;
	*len = i - start;
	p->pos = i;
	return true;
}

bool
csf_jp_literal(struct csf_json_pull *p, int *v)
{
	static const struct {
		const char *word;
		size_t len;
		int v;
	} lits[] = { { "true", 4, 1 }, { "false", 5, 0 }, { "null", 4, -1 } };
	size_t k;

	*v = -1;
	if (p->failed)
		return false;
	skip_ws(p);
	for (k = 0; k < 3; k++) {
		size_t avail = p->len - p->pos;

		if (p->pos < p->len && p->s[p->pos] == lits[k].word[0]) {
			if (avail < lits[k].len) {
				if (!memcmp(p->s + p->pos, lits[k].word, avail))
					return fail_eof(p);
				break;
			}
			if (memcmp(p->s + p->pos, lits[k].word, lits[k].len))
				break;
			p->pos += lits[k].len;
			*v = lits[k].v;
			return true;
		}
	}
	if (p->pos >= p->len)
		return fail_eof(p);
	return csf_jp_fail(p, p->pos, "expected a value");
}

/* Skips one value without recursion: a stack of open brackets, one byte per level. */
bool
csf_jp_skip(struct csf_json_pull *p)
{
	char stack[1024];
	size_t top = 0, idx[1024];
	const char *str;
	size_t len;
	int lit;

	for (;;) {
		int c;

		if (p->failed)
			return false;
		if (top) {
			/* inside a container: next member / item, or its end */
			bool more = stack[top - 1] == '{' ?
				csf_jp_member(p, idx[top - 1]++, &str, &len) :
				csf_jp_item(p, idx[top - 1]++);

			if (!more) {
				if (p->failed)
					return false;
				top--;
				if (!top)
					return true;
				continue;
			}
		}
		c = csf_jp_peek(p);
		switch (c) {
		case '{':
		case '[':
			if (top == sizeof(stack))
				return csf_jp_fail(p, p->pos, "nesting deeper than %zu levels",
						   sizeof(stack));
			if (!enter(p, (char)c, "a value"))
				return false;
			stack[top] = (char)c;
			idx[top++] = 0;
			continue;
		case '"':
			if (!csf_jp_string(p, &str, &len))
				return false;
			break;
		case '0':
			if (!csf_jp_number(p, &str, &len))
				return false;
			break;
		case 0:
			if (p->failed)
				return false;
			return fail_eof(p);
		default:
			if (!csf_jp_literal(p, &lit))
				return false;
			break;
		}
		if (!top)
			return true;
	}
}

bool
csf_jp_to_i64(const char *text, size_t len, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t acc = 0;

	if (i < len && text[i] == '-') {
		neg = true;
		i++;
	}
	if (i >= len)
		return false;
	for (; i < len; i++) {
		char c = text[i];

		if (c < '0' || c > '9')
			break;
		if (acc > (UINT64_MAX - 9) / 10)
			return false;
		acc = acc * 10 + (uint64_t)(c - '0');
	}
	if (i < len) {
		/* 1.795e18 style: go through double, range-checked */
		char tmp[64];
		double d;
		char *end;

		if (len >= sizeof(tmp))
			return false;
		memcpy(tmp, text, len);
		tmp[len] = '\0';
		errno = 0;
		d = strtod(tmp, &end);
		if (*end || errno || !isfinite(d) || d >= 9223372036854775807.0 ||
		    d < -9223372036854775807.0)
			return false;
		*out = (int64_t)d;
		return true;
	}
	if (acc > (uint64_t)INT64_MAX + (neg ? 1 : 0))
		return false;
	*out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return true;
}
