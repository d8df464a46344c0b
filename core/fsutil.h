/* File-system helpers: atomic writes, directories, safe path components. */
#ifndef CSF_CORE_FSUTIL_H
#define CSF_CORE_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

/* Writes data to path through a temp file in the same folder: write, fsync, rename, fsync the
 * folder. Either the old or the new content is visible, never a mix. */
enum csf_status csf_write_file_atomic(const char *path, const void *data, size_t len,
				      struct csf_error *err);

/* mkdir -p with mode 0755. */
enum csf_status csf_mkdirs(const char *path, struct csf_error *err);

/* True when s is usable as one path component of generated output: not empty, not "." or "..",
 * no '/', '\\', NUL or control characters, at most 128 bytes. */
bool csf_safe_component(const char *s);

/* True when rel is a relative path whose components are all safe (no "..", no absolute). */
bool csf_safe_relpath(const char *rel);

bool csf_is_dir(const char *path);
bool csf_is_file(const char *path);

/* The shipped samples workspace, or its sub-folder sub ("cluster", "traces"; NULL: the workspace
 * itself), from the first place that has it: $CSF_SAMPLES (or its older name $CSF_TUI_SAMPLES),
 * samples/ beside the binary's folder (the source tree: build/csf-tui), share/csf-tui/samples
 * beside it (an installed binary), ./samples. NULL when none has it. Caller owns the result;
 * free with free(). */
char *csf_samples_dir(const char *sub);

/* Joins a and b with exactly one '/'. Caller owns the result; free with free(). */
char *csf_path_join(const char *a, const char *b);

#endif
