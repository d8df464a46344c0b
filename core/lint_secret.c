/* Secret detectors for hardcoded-secret, and the key-name test for secret-not-declared.
 *
 * What fires (anywhere in a file):
 *   - a PEM private key block (BEGIN … PRIVATE KEY); a certificate (BEGIN CERTIFICATE) is public;
 *   - an AWS access key id: AKIA/ASIA + 16 upper-case letters or digits, as a whole word;
 *   - a JWT: three base64url segments, the first two starting "eyJ" (a JSON object);
 *   - a URL with a password in its user-info (scheme://user:pass@host);
 *   - a key=value assignment of a credential (Password=, Pwd=, AccountKey=, SharedAccessKey=,
 *     client_secret=, api_key=, token=) as in connection strings.
 * What fires only in configuration values (configuration.values, environmentOverlays, an
 * environment's values): a high-entropy token — 24+ characters of [A-Za-z0-9+/=_-] with upper
 * case, lower case and digits mixed (the class changes at least every third character) and
 * ≥ 4 bits of entropy per character.
 * Near misses that never fire: a URL without a password (https://user@host, host:port), a
 * UUID, hex digests and git shas (sha256:… in an image tag, infraHash: a7b9f2 — hex has at
 * most two character classes), ${NAME} placeholders, `Password=` followed by a placeholder or
 * nothing, a certificate, AKIA followed by fewer than 16 characters.
 */
#include "core/lint_int.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

static const char *const kind_names[] = {
	[CSF_SECRET_NONE] = "nothing",
	[CSF_SECRET_PEM] = "a PEM private key",
	[CSF_SECRET_AWS_KEY] = "an AWS access key id",
	[CSF_SECRET_JWT] = "a JSON Web Token",
	[CSF_SECRET_URL_PASSWORD] = "a URL with a password",
	[CSF_SECRET_ASSIGNMENT] = "a credential in a connection string",
	[CSF_SECRET_ENTROPY] = "a high-entropy token",
};

const char *
csf_secret_kind_name(enum csf_secret_kind k)
{
	return kind_names[k];
}

static const char *
find(const char *s, size_t len, const char *needle)
{
	return memmem(s, len, needle, strlen(needle));
}

static bool
is_b64url(int c)
{
	return isalnum(c) || c == '-' || c == '_';
}

/* A value that stands for a secret rather than being one. */
static bool
is_placeholder(const char *s, size_t len)
{
	if (!len)
		return true;
	if (len >= 2 && s[0] == '$' && (s[1] == '{' || s[1] == '('))
		return true;
	if (s[0] == '{' || s[0] == '<' || s[0] == '%' || s[0] == '*')
		return true;
	if (len >= 3 && !strncmp(s, "...", 3))
		return true;
	return false;
}

static bool
scan_pem(const char *s, size_t len, size_t *at)
{
	const char *p = find(s, len, "-----BEGIN ");

	while (p) {
		const char *eol = memchr(p, '\n', len - (size_t)(p - s));
		size_t span = eol ? (size_t)(eol - p) : len - (size_t)(p - s);

		if (find(p, span, "PRIVATE KEY-----")) {
			*at = (size_t)(p - s);
			return true;
		}
		p = find(p + 11, len - (size_t)(p + 11 - s), "-----BEGIN ");
	}
	return false;
}

static bool
scan_aws(const char *s, size_t len, size_t *at)
{
	size_t i, j;
	const char *a;

	for (i = 0; i + 20 <= len; i++) {
		if (!(a = memchr(s + i, 'A', len - 19 - i)))
			return false;
		i = (size_t)(a - s);
		if (memcmp(s + i, "AKIA", 4) && memcmp(s + i, "ASIA", 4))
			continue;
		if (i && isalnum((unsigned char)s[i - 1]))
			continue;
		for (j = 4; j < 20; j++)
			if (!isupper((unsigned char)s[i + j]) && !isdigit((unsigned char)s[i + j]))
				break;
		if (j == 20 && (i + 20 == len || !isalnum((unsigned char)s[i + 20]))) {
			*at = i;
			return true;
		}
	}
	return false;
}

static size_t
b64_run(const char *s, size_t len, size_t i)
{
	size_t j = i;

	while (j < len && is_b64url((unsigned char)s[j]))
		j++;
	return j - i;
}

static bool
scan_jwt(const char *s, size_t len, size_t *at)
{
	const char *p = find(s, len, "eyJ");

	while (p) {
		size_t i = (size_t)(p - s), a, b, c;

		a = b64_run(s, len, i);
		if (a >= 10 && i + a + 4 < len && s[i + a] == '.' && !memcmp(s + i + a + 1, "eyJ", 3)) {
			b = b64_run(s, len, i + a + 1);
			if (b >= 10 && i + a + 1 + b < len && s[i + a + 1 + b] == '.') {
				c = b64_run(s, len, i + a + b + 2);
				if (c >= 10) {
					*at = i;
					return true;
				}
			}
		}
		p = find(p + 3, len - i - 3, "eyJ");
	}
	return false;
}

static bool
scan_url(const char *s, size_t len, size_t *at)
{
	const char *p = find(s, len, "://");

	while (p) {
		size_t i = (size_t)(p - s) + 3, j, colon = 0, atpos = 0;

		for (j = i; j < len && s[j] != '/' && s[j] != '?' && s[j] != '#' &&
			    !isspace((unsigned char)s[j]); j++) {
			if (s[j] == ':' && !colon && !atpos)
				colon = j;
			if (s[j] == '@')
				atpos = j;
		}
		if (atpos && colon && colon < atpos &&
		    !is_placeholder(s + colon + 1, atpos - colon - 1)) {
			*at = (size_t)(p - s);
			while (*at > 0 && isalpha((unsigned char)s[*at - 1]))
				(*at)--;
			return true;
		}
		p = find(p + 3, len - i, "://");
	}
	return false;
}

/* Credential names in key=value strings, compared case-insensitively. */
static const char *const assign_names[] = {
	"password", "pwd", "passwd", "accountkey", "sharedaccesskey", "client_secret",
	"clientsecret", "api_key", "apikey", "access_token", "secret", "token",
};

static bool
scan_assign(const char *s, size_t len, size_t *at)
{
	size_t i, k;

	if (!memchr(s, '=', len))
		return false;
	for (i = 0; i < len; i++) {
		if (i && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))
			continue;
		for (k = 0; k < sizeof(assign_names) / sizeof(assign_names[0]); k++) {
			size_t n = strlen(assign_names[k]), v, e;

			if (i + n >= len || strncasecmp(s + i, assign_names[k], n))
				continue;
			v = i + n;
			while (v < len && s[v] == ' ')
				v++;
			if (v >= len || s[v] != '=')
				continue;
			v++;
			while (v < len && s[v] == ' ')
				v++;
			for (e = v; e < len && s[e] != ';' && s[e] != '&' && !isspace((unsigned char)s[e]);
			     e++)
				;
			if (e - v >= 3 && !is_placeholder(s + v, e - v)) {
				*at = i;
				return true;
			}
		}
	}
	return false;
}

static bool
is_uuid(const char *s, size_t n)
{
	static const size_t dash[] = { 8, 13, 18, 23 };
	size_t i, d = 0;

	if (n != 36)
		return false;
	for (i = 0; i < n; i++) {
		if (d < 4 && i == dash[d]) {
			if (s[i] != '-')
				return false;
			d++;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

static bool
token_char(int c)
{
	return isalnum(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-';
}

static int
char_class(int c)
{
	return islower(c) ? 0 : isupper(c) ? 1 : isdigit(c) ? 2 : 3;
}

static bool
scan_entropy(const char *s, size_t len, size_t *at)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i, k, counts[128] = { 0 }, switches = 0;
		bool up = false, lo = false, dig = false, slash = false;
		double h = 0;

		while (j < len && token_char((unsigned char)s[j]))
			j++;
		if (j - i >= 24 && j - i <= 512 && !is_uuid(s + i, j - i)) {
			for (k = i; k < j; k++) {
				unsigned char c = (unsigned char)s[k];

				counts[c & 127]++;
				up |= isupper(c) != 0;
				lo |= islower(c) != 0;
				dig |= isdigit(c) != 0;
				slash |= c == '/';
				if (k > i && char_class(c) != char_class((unsigned char)s[k - 1]))
					switches++;
			}
			for (k = 0; k < 128; k++)
				if (counts[k]) {
					double p = (double)counts[k] / (double)(j - i);

					h -= p * log2(p);
				}
			/* Paths ("/a/b/c") are not tokens even when long; CamelCase identifiers
			 * ("NotificationHandlerV2") switch character class far less often than
			 * random tokens do. */
			if (up && lo && dig && h >= 4.0 && !(slash && s[i] == '/') &&
			    switches * 3 >= j - i) {
				*at = i;
				return true;
			}
		}
		i = j + 1;
	}
	return false;
}

enum csf_secret_kind
csf_secret_scan(const char *s, size_t len, bool entropy, size_t *at)
{
	*at = 0;
	if (len < 8)
		return CSF_SECRET_NONE;
	if (scan_pem(s, len, at))
		return CSF_SECRET_PEM;
	if (scan_aws(s, len, at))
		return CSF_SECRET_AWS_KEY;
	if (scan_jwt(s, len, at))
		return CSF_SECRET_JWT;
	if (scan_url(s, len, at))
		return CSF_SECRET_URL_PASSWORD;
	if (scan_assign(s, len, at))
		return CSF_SECRET_ASSIGNMENT;
	if (entropy && !find(s, len, "${") && scan_entropy(s, len, at))
		return CSF_SECRET_ENTROPY;
	return CSF_SECRET_NONE;
}

/* ------------------------------------------------------------------------------------------
 * Key names: split DB_PASSWORD / dbPassword / db-password into words and look at the last.
 */

bool
csf_secret_key_name(const char *key)
{
	char words[8][24];
	size_t nw = 0, wl = 0, i;
	const char *last, *prev;

	memset(words, 0, sizeof(words));
	for (i = 0; key[i]; i++) {
		unsigned char c = (unsigned char)key[i];
		bool brk = c == '_' || c == '-' || c == '.' || c == ' ';
		bool camel = isupper(c) && i && islower((unsigned char)key[i - 1]);

		if (brk || camel) {
			if (wl) {
				nw = nw < 7 ? nw + 1 : 7;
				memset(words[nw], 0, sizeof(words[nw]));
				wl = 0;
			}
			if (brk)
				continue;
		}
		if (wl < 23)
			words[nw][wl++] = (char)tolower(c);
	}
	if (!wl && nw)
		nw--;
	last = words[nw];
	prev = nw ? words[nw - 1] : "";
	if (!strcmp(last, "password") || !strcmp(last, "passwd") || !strcmp(last, "pwd") ||
	    !strcmp(last, "secret") || !strcmp(last, "token") || !strcmp(last, "apikey") ||
	    !strcmp(last, "credentials") || !strcmp(last, "credential") ||
	    !strcmp(last, "connectionstring") || !strcmp(last, "passphrase"))
		return true;
	if (!strcmp(last, "key"))
		return !strcmp(prev, "api") || !strcmp(prev, "access") || !strcmp(prev, "private") ||
		       !strcmp(prev, "account") || !strcmp(prev, "secret") ||
		       !strcmp(prev, "signing") || !strcmp(prev, "encryption");
	if (!strcmp(last, "string"))
		return !strcmp(prev, "connection");
	return false;
}

/* ------------------------------------------------------------------------------------------
 * The raw-file pass
 */

static void
report(struct csf_lint_run *run, const struct csf_node *v, enum csf_secret_kind k, size_t at,
       const char *key)
{
	struct csf_loc loc = v->loc;
	size_t i;

	/* Point at the match inside a one-line plain or quoted scalar. */
	if ((v->style == CSF_STYLE_PLAIN || v->style == CSF_STYLE_SINGLE ||
	     v->style == CSF_STYLE_DOUBLE) && v->loc.line == v->end.line &&
	    !memchr(v->str, '\\', at) && !memchr(v->str, '\'', at)) {
		loc.col += v->style != CSF_STYLE_PLAIN;
		for (i = 0; i < at; i++)
			if (((unsigned char)v->str[i] & 0xc0) != 0x80)
				loc.col++;
	}
	csf_lint_emit(run, CSF_R_HARDCODED_SECRET, v->file, loc,
		      "store it in the provider's secret store, list its name under "
		      "configuration.secrets and refer to it as ${NAME}",
		      "%s%s%s looks like %s", key ? "value of '" : "", key ? key : "",
		      key ? "'" : "value", csf_secret_kind_name(k));
}

/* Walks every scalar; in_values is true under a configuration-values map. */
static void
scan_node(struct csf_lint_run *run, const struct csf_node *n, const char *key, bool in_values,
	  const struct csf_node *declared, unsigned depth)
{
	size_t i, at;

	if (!n || depth > 200)
		return;
	if (n->kind == CSF_NODE_SCALAR) {
		enum csf_secret_kind k;

		if (n->type != CSF_SCALAR_STR || n->len < 8)
			return;
		k = csf_secret_scan(n->str, n->len, in_values, &at);
		if (k != CSF_SECRET_NONE)
			report(run, n, k, at, key);
		return;
	}
	if (n->kind == CSF_NODE_SEQ) {
		for (i = 0; i < n->n; i++)
			scan_node(run, n->kids[i], key, in_values, declared, depth + 1);
		return;
	}
	for (i = 0; i < n->n; i++) {
		const char *k = csf_node_str(n->kids[2 * i]);
		const struct csf_node *v = n->kids[2 * i + 1];
		bool vals = in_values;

		if (!k)
			continue;
		if ((k[0] == 'v' && !strcmp(k, "values")) ||
		    (k[0] == 'e' && !strcmp(k, "environmentOverlays")))
			vals = true;
		/* A declared secret given a literal value in values is a hardcoded secret. */
		if (in_values && v->kind == CSF_NODE_SCALAR && v->type == CSF_SCALAR_STR && v->len &&
		    !is_placeholder(v->str, v->len) && declared) {
			size_t j;

			for (j = 0; j < declared->n; j++)
				if (csf_node_str(declared->kids[j]) &&
				    !strcmp(declared->kids[j]->str, k))
					break;
			if (j < declared->n) {
				csf_lint_at(run, CSF_R_HARDCODED_SECRET, v,
					    "remove the value: a declared secret comes from the "
					    "secret store at run time",
					    "'%s' is declared in configuration.secrets but given a "
					    "literal value here", k);
				continue;
			}
		}
		scan_node(run, v, k, vals, declared, depth + 1);
	}
}

void
csf_lint_secrets(struct csf_lint_run *run, const struct csf_ws_file *f)
{
	const struct csf_node *root = f->doc->root;
	const struct csf_node *declared = csf_node_path(root, "configuration.secrets");

	if (!csf_node_is_seq(declared))
		declared = NULL;
	scan_node(run, root, NULL, false, declared, 0);
}
