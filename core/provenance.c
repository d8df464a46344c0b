#include "core/provenance.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct prov_find {
	const char *key, *value;
	size_t keylen, vlen;
	int best;
	const struct csf_node *node;
	struct csf_buf path, best_path;
};

static size_t
common_prefix_ci(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0;

	while (i < an && i < bn && tolower((unsigned char)a[i]) == tolower((unsigned char)b[i]))
		i++;
	return i;
}

static bool
contains_token(const char *hay, size_t hn, const char *needle, size_t nn)
{
	size_t i;

	if (!nn || nn > hn)
		return false;
	for (i = 0; i + nn <= hn; i++) {
		if (memcmp(hay + i, needle, nn))
			continue;
		if ((i == 0 || !isalnum((unsigned char)hay[i - 1])) &&
		    (i + nn == hn || !isalnum((unsigned char)hay[i + nn])))
			return true;
	}
	return false;
}

static void
prov_walk(struct prov_find *f, const struct csf_node *n, const char *key)
{
	size_t mark = f->path.len, i;

	if (!n)
		return;
	if (n->kind == CSF_NODE_SCALAR) {
		int score = 0, kscore = 0;
		size_t kl = key ? strlen(key) : 0, cp;

		if (!n->len || !n->file)
			return;
		if (n->len == f->vlen && !memcmp(n->str, f->value, f->vlen))
			score = 4;
		else if (n->len >= 3 && contains_token(f->value, f->vlen, n->str, n->len))
			score = 1;
		if (!score)
			return;
		cp = key ? common_prefix_ci(key, kl, f->key, f->keylen) : 0;
		if (key && kl == f->keylen && cp == kl)
			kscore = 3;
		else if (cp >= 5)
			kscore = 2;
		/* A one-byte value ("2") says too little on its own: only with a matching key. */
		if (n->len < 2 && !kscore)
			return;
		score += kscore;
		if (score > f->best) {
			f->best = score;
			f->node = n;
			csf_buf_reset(&f->best_path);
			csf_buf_add(&f->best_path, f->path.buf, f->path.len);
		}
		return;
	}
	for (i = 0; i < n->n; i++) {
		const char *k = NULL;
		const struct csf_node *v;

		if (n->kind == CSF_NODE_MAP) {
			k = csf_node_str(n->kids[2 * i]);
			v = n->kids[2 * i + 1];
			if (f->path.len)
				csf_buf_addch(&f->path, '.');
			csf_buf_addstr(&f->path, k ? k : "?");
		} else {
			v = n->kids[i];
			csf_buf_addf(&f->path, "[%zu]", i);
			k = key;
		}
		prov_walk(f, v, k);
		csf_buf_setlen(&f->path, mark);
	}
}

/* The key and value on a line of YAML ("  maxReplicas: 20"), JSON ("\"a\": 1,") or HCL
 * ("a = 1"): pointers into s. */
static bool
split_line(const char *s, size_t n, const char **k, size_t *kl, const char **v, size_t *vl)
{
	size_t i = 0, j, e;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '-'))
		i++;
	for (j = i; j < n && s[j] != ':' && s[j] != '='; j++)
		;
	if (j >= n)
		return false;
	*k = s + i;
	*kl = j - i;
	while (*kl && ((*k)[*kl - 1] == ' ' || (*k)[*kl - 1] == '"'))
		(*kl)--;
	while (*kl && (**k == '"' || **k == '\'')) {
		(*k)++;
		(*kl)--;
	}
	j++;
	while (j < n && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
		j++;
	e = n;
	while (e > j && (s[e - 1] == ' ' || s[e - 1] == ',' || s[e - 1] == '"' || s[e - 1] == '\''))
		e--;
	if (e <= j)
		return false;
	*v = s + j;
	*vl = e - j;
	return true;
}

const struct csf_node *
csf_provenance_of_line(const struct csf_node *root, const char *line, size_t len,
		       struct csf_buf *path)
{
	struct prov_find f;
	const char *k, *v;
	size_t kl, vl;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!root || !split_line(line, len, &k, &kl, &v, &vl))
		return NULL;
	memset(&f, 0, sizeof(f));
	f.key = k;
	f.keylen = kl;
	f.value = v;
	f.vlen = vl;
	csf_buf_init(&f.path, 64);
	csf_buf_init(&f.best_path, 64);
	prov_walk(&f, root, NULL);
	if (path && f.node)
		csf_buf_add(path, f.best_path.buf, f.best_path.len);
	csf_buf_release(&f.path);
	csf_buf_release(&f.best_path);
	return f.node;
}
