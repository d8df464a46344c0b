#include "core/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <limits.h>
#include <unistd.h>

#include "core/buf.h"

static const struct csf_loc noloc;

static int
write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

enum csf_status
csf_write_file_atomic(const char *path, const void *data, size_t len, struct csf_error *err)
{
	struct csf_buf tmp = CSF_BUF_INIT;
	const char *slash = strrchr(path, '/');
	int fd, e;

	csf_buf_addf(&tmp, "%.*s.%s.tmp.XXXXXX", slash ? (int)(slash - path + 1) : 0, path,
		     slash ? slash + 1 : path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		e = errno;
		csf_buf_release(&tmp);
		return csf_fail(err, CSF_E_IO, path, noloc, "cannot create file: %s", strerror(e));
	}
	fchmod(fd, 0644);
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp.buf);
		csf_buf_release(&tmp);
		return csf_fail(err, CSF_E_IO, path, noloc, "cannot write file: %s", strerror(e));
	}
	if (close(fd) < 0 || rename(tmp.buf, path) < 0) {
		e = errno;
		unlink(tmp.buf);
		csf_buf_release(&tmp);
		return csf_fail(err, CSF_E_IO, path, noloc, "cannot write file: %s", strerror(e));
	}
	csf_buf_release(&tmp);
	/* Make the rename durable. */
	{
		char *dir = slash ? csf_xstrndup(path, (size_t)(slash - path + 1)) : csf_xstrdup(".");
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	return CSF_E_OK;
}

enum csf_status
csf_mkdirs(const char *path, struct csf_error *err)
{
	char *p = csf_xstrdup(path), *s;
	int e;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST) {
				e = errno;
				csf_fail(err, CSF_E_IO, p, noloc, "cannot create folder: %s", strerror(e));
				free(p);
				return CSF_E_IO;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	if (!csf_is_dir(path))
		return csf_fail(err, CSF_E_IO, path, noloc, "not a folder");
	return CSF_E_OK;
}

bool
csf_safe_component(const char *s)
{
	size_t n = strlen(s);
	const unsigned char *p;

	if (!n || n > 128 || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p == '/' || *p == '\\' || *p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

bool
csf_safe_relpath(const char *rel)
{
	const char *p = rel, *slash;
	char part[130];

	if (!*rel || *rel == '/')
		return false;
	for (;;) {
		size_t n;

		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n >= sizeof(part))
			return false;
		memcpy(part, p, n);
		part[n] = '\0';
		if (!csf_safe_component(part))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

/* A folder holding csf.yaml (core/workspace.h has the same test; fsutil stays below it). */
static bool
csf_is_workspace_dir(const char *dir)
{
	char *p = csf_path_join(dir, "csf.yaml");
	bool yes = csf_is_file(p);

	free(p);
	return yes;
}

bool
csf_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
csf_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *
csf_path_join(const char *a, const char *b)
{
	struct csf_buf out = CSF_BUF_INIT;
	size_t n = strlen(a);

	while (n > 1 && a[n - 1] == '/')
		n--;
	csf_buf_add(&out, a, n);
	if (n && a[n - 1] != '/')
		csf_buf_addch(&out, '/');
	while (*b == '/')
		b++;
	csf_buf_addstr(&out, b);
	return csf_buf_detach(&out, NULL);
}

static char *
samples_at(const char *dir, const char *sub)
{
	char *p = sub ? csf_path_join(dir, sub) : csf_xstrdup(dir);

	if (sub ? csf_is_dir(p) : csf_is_workspace_dir(p))
		return p;
	free(p);
	return NULL;
}

char *
csf_samples_dir(const char *sub)
{
	static const char *const envs[] = { "CSF_SAMPLES", "CSF_TUI_SAMPLES" };
	static const char *const beside[] = { "../samples", "../share/csf-tui/samples" };
	char exe[PATH_MAX], *found;
	ssize_t n;
	size_t i;

	for (i = 0; i < sizeof(envs) / sizeof(envs[0]); i++) {
		const char *e = getenv(envs[i]);

		if (e && *e)
			return samples_at(e, sub);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if (strrchr(exe, '/'))
			*strrchr(exe, '/') = '\0';
		for (i = 0; i < sizeof(beside) / sizeof(beside[0]); i++) {
			char *dir = csf_path_join(exe, beside[i]);
			char *real = realpath(dir, NULL);

			free(dir);
			found = real ? samples_at(real, sub) : NULL;
			free(real);
			if (found)
				return found;
		}
	}
	return samples_at("samples", sub);
}
