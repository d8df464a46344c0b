#include "core/emit_yaml.h"

#include <stdarg.h>
#include <string.h>

static void
indent(struct csf_buf *b, int ind)
{
	csf_buf_addchars(b, ' ', (size_t)(ind > 0 ? ind : 0));
}

static bool
ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;

		if (x != *b)
			return false;
	}
	return !*a && !*b;
}

bool
csf_ey_needs_quotes(const char *s)
{
	/* YAML 1.1 resolves these (any case) to booleans, null, infinities, and "=" and "<<" to the
	 * value and merge tags (PyYAML refuses the file, go-yaml merges): quote them all. */
	static const char *const words[] = { "y", "n", "yes", "no", "true", "false", "on", "off",
					     "null", "~", ".inf", "-.inf", "+.inf", ".nan", "=", "<<" };
	const unsigned char *p;
	size_t i, n;

	if (!s || !*s)
		return true;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (ieq(s, words[i]))
			return true;
	/* Anything that starts like a number: 1, -1, +1, .5, 0x1f, 1_000, 20:00, 1.2.3, 1e3. */
	p = (const unsigned char *)s;
	if ((*p >= '0' && *p <= '9') || ((*p == '-' || *p == '+' || *p == '.') &&
					 ((p[1] >= '0' && p[1] <= '9') || p[1] == '.')))
		return true;
	/* Indicators that may not start a plain scalar. */
	if (strchr("-?:,[]{}#&*!|>'\"%@` ", *p))
		return true;
	n = strlen(s);
	if (s[n - 1] == ' ' || s[n - 1] == ':')
		return true;
	for (; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			return true;
		if (*p == ':' && p[1] == ' ')
			return true;
		if (*p == ' ' && p[1] == '#')
			return true;
		if (strchr(",[]{}", *p))	/* safe in block context, but not inside flow lists */
			return true;
	}
	return false;
}

void
csf_ey_str(struct csf_buf *b, const char *s)
{
	const unsigned char *p;

	if (!s)
		s = "";
	if (!csf_ey_needs_quotes(s)) {
		csf_buf_addstr(b, s);
		return;
	}
	csf_buf_addch(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': csf_buf_addstr(b, "\\\""); break;
		case '\\': csf_buf_addstr(b, "\\\\"); break;
		case '\n': csf_buf_addstr(b, "\\n"); break;
		case '\t': csf_buf_addstr(b, "\\t"); break;
		case '\r': csf_buf_addstr(b, "\\r"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				csf_buf_addf(b, "\\x%02x", *p);
			else
				csf_buf_addch(b, *p);	/* UTF-8 passes through */
		}
	}
	csf_buf_addch(b, '"');
}

void
csf_ey_kv(struct csf_buf *b, int ind, const char *key, const char *val)
{
	indent(b, ind);
	csf_ey_str(b, key);
	csf_buf_addstr(b, ": ");
	csf_ey_str(b, val);
	csf_buf_addch(b, '\n');
}

void
csf_ey_kvf(struct csf_buf *b, int ind, const char *key, const char *fmt, ...)
{
	struct csf_buf v = CSF_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	csf_buf_vaddf(&v, fmt, ap);
	va_end(ap);
	csf_ey_kv(b, ind, key, v.buf);
	csf_buf_release(&v);
}

void
csf_ey_ki(struct csf_buf *b, int ind, const char *key, long long v)
{
	indent(b, ind);
	csf_ey_str(b, key);
	csf_buf_addf(b, ": %lld\n", v);
}

void
csf_ey_kb(struct csf_buf *b, int ind, const char *key, bool v)
{
	indent(b, ind);
	csf_ey_str(b, key);
	csf_buf_addstr(b, v ? ": true\n" : ": false\n");
}

void
csf_ey_k(struct csf_buf *b, int ind, const char *key)
{
	indent(b, ind);
	csf_ey_str(b, key);
	csf_buf_addstr(b, ":\n");
}

void
csf_ey_item(struct csf_buf *b, int ind, const char *val)
{
	indent(b, ind);
	csf_buf_addstr(b, "- ");
	csf_ey_str(b, val);
	csf_buf_addch(b, '\n');
}

void
csf_ey_item_kv(struct csf_buf *b, int ind, const char *key, const char *val)
{
	indent(b, ind);
	csf_buf_addstr(b, "- ");
	csf_ey_kv(b, 0, key, val);
}

void
csf_ey_item_ki(struct csf_buf *b, int ind, const char *key, long long v)
{
	indent(b, ind);
	csf_buf_addstr(b, "- ");
	csf_ey_ki(b, 0, key, v);
}

void
csf_ey_item_k(struct csf_buf *b, int ind, const char *key)
{
	indent(b, ind);
	csf_buf_addstr(b, "- ");
	csf_ey_k(b, 0, key);
}

void
csf_ey_kflow(struct csf_buf *b, int ind, const char *key, const char *const *v, size_t n)
{
	size_t i;

	indent(b, ind);
	csf_ey_str(b, key);
	csf_buf_addstr(b, ": [");
	for (i = 0; i < n; i++) {
		if (i)
			csf_buf_addstr(b, ", ");
		csf_ey_str(b, v[i]);
	}
	csf_buf_addstr(b, "]\n");
}

struct filter {
	csf_ey_filter_fn fn;
	void *ctx;
};

static void
scalar(struct csf_buf *b, const struct csf_node *n, const char *key, const struct filter *f)
{
	const char *rep;

	switch (n->type) {
	case CSF_SCALAR_NULL:
		csf_buf_addstr(b, "null");
		break;
	case CSF_SCALAR_BOOL:
		csf_buf_addstr(b, n->ival ? "true" : "false");
		break;
	case CSF_SCALAR_INT:
	case CSF_SCALAR_FLOAT:
		csf_buf_addstr(b, n->str);
		break;
	default:
		rep = f && f->fn ? f->fn(f->ctx, key, n->str) : NULL;
		csf_ey_str(b, rep ? rep : n->str);
	}
}

static bool
is_empty_coll(const struct csf_node *n)
{
	return n->kind != CSF_NODE_SCALAR && n->n == 0;
}

static void node(struct csf_buf *b, int ind, const struct csf_node *n, const char *key,
		 const struct filter *f);

/* Writes the value part after "key:" or "-". */
static void
value(struct csf_buf *b, int ind, const struct csf_node *n, const char *key, const struct filter *f)
{
	if (n->kind == CSF_NODE_SCALAR) {
		csf_buf_addch(b, ' ');
		scalar(b, n, key, f);
		csf_buf_addch(b, '\n');
	} else if (is_empty_coll(n)) {
		csf_buf_addstr(b, n->kind == CSF_NODE_MAP ? " {}\n" : " []\n");
	} else {
		csf_buf_addch(b, '\n');
		node(b, ind, n, key, f);
	}
}

static void
node(struct csf_buf *b, int ind, const struct csf_node *n, const char *key, const struct filter *f)
{
	size_t i;

	if (!n) {
		indent(b, ind);
		csf_buf_addstr(b, "null\n");
		return;
	}
	switch (n->kind) {
	case CSF_NODE_SCALAR:
		indent(b, ind);
		scalar(b, n, key, f);
		csf_buf_addch(b, '\n');
		break;
	case CSF_NODE_MAP:
		if (!n->n) {
			indent(b, ind);
			csf_buf_addstr(b, "{}\n");
		}
		for (i = 0; i < n->n; i++) {
			const char *k = csf_node_str(n->kids[2 * i]);

			indent(b, ind);
			csf_ey_str(b, k);
			csf_buf_addch(b, ':');
			value(b, ind + 2, n->kids[2 * i + 1], k, f);
		}
		break;
	case CSF_NODE_SEQ:
		if (!n->n) {
			indent(b, ind);
			csf_buf_addstr(b, "[]\n");
		}
		for (i = 0; i < n->n; i++) {
			indent(b, ind);
			csf_buf_addch(b, '-');
			value(b, ind + 2, n->kids[i], key, f);
		}
		break;
	}
}

void
csf_ey_node(struct csf_buf *b, int ind, const struct csf_node *n)
{
	node(b, ind, n, NULL, NULL);
}

void
csf_ey_node_filtered(struct csf_buf *b, int ind, const struct csf_node *n, csf_ey_filter_fn fn,
		     void *ctx)
{
	struct filter f = { fn, ctx };

	node(b, ind, n, NULL, &f);
}

void
csf_ej_node(struct csf_buf *b, const struct csf_node *n)
{
	size_t i;

	if (!n) {
		csf_buf_addstr(b, "null");
		return;
	}
	switch (n->kind) {
	case CSF_NODE_SCALAR:
		switch (n->type) {
		case CSF_SCALAR_NULL: csf_buf_addstr(b, "null"); break;
		case CSF_SCALAR_BOOL: csf_buf_addstr(b, n->ival ? "true" : "false"); break;
		case CSF_SCALAR_INT: csf_buf_addf(b, "%lld", n->ival); break;
		case CSF_SCALAR_FLOAT: csf_buf_addstr(b, n->str); break;	/* source text: locale-free */
		default: csf_buf_add_json_str(b, n->str);
		}
		break;
	case CSF_NODE_MAP:
		csf_buf_addch(b, '{');
		for (i = 0; i < n->n; i++) {
			if (i)
				csf_buf_addch(b, ',');
			csf_buf_add_json_str(b, csf_node_str(n->kids[2 * i]) ? n->kids[2 * i]->str : "");
			csf_buf_addch(b, ':');
			csf_ej_node(b, n->kids[2 * i + 1]);
		}
		csf_buf_addch(b, '}');
		break;
	case CSF_NODE_SEQ:
		csf_buf_addch(b, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				csf_buf_addch(b, ',');
			csf_ej_node(b, n->kids[i]);
		}
		csf_buf_addch(b, ']');
		break;
	}
}
