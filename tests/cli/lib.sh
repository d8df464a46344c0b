# Helpers for the headless golden tests (sourced by tests/cli/*.sh).
#
#   golden NAME STATUS [ARGS...]   runs "$CSF_TUI --headless ARGS" in the current folder and
#                                  compares stdout with tests/cli/expected/NAME.out and the exit
#                                  status with STATUS; UPDATE=1 rewrites the expected file.
#   stderr_has PATTERN             the last command's stderr matches the grep -E PATTERN.
#   stderr_lines N                 the last command's stderr has exactly N lines.
#   finish                         exits 1 when any check failed.
#
# Output must not depend on the machine: run from $CSF_TOP (or a temp folder) with relative
# paths. The environment is pinned so that no user configuration leaks in.
set -u
: "${CSF_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${CSF_TUI:=$CSF_TOP/build/csf-tui}"
export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 NO_COLOR=1
unset CSF_SAMPLES XDG_CONFIG_HOME CSF_TUI_TRACE
cli_tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$cli_tmp" 2>/dev/null; rm -rf "$cli_tmp"' EXIT
cli_failed=0
cli_out="$cli_tmp/.out"
cli_err="$cli_tmp/.err"

fail() {
	echo "FAIL: $*" >&2
	cli_failed=1
}

golden() {
	name=$1 want=$2
	shift 2
	"$CSF_TUI" --headless "$@" >"$cli_out" 2>"$cli_err"
	got=$?
	exp="$CSF_TOP/tests/cli/expected/$name.out"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$cli_out" "$exp"
	elif [ ! -f "$exp" ]; then
		fail "$name: no expected output $exp (run with UPDATE=1 and review it)"
	elif ! diff -u "$exp" "$cli_out" >&2; then
		fail "$name: stdout differs from $exp"
	fi
	if [ "$got" != "$want" ]; then
		fail "$name: exit status $got, expected $want"
		sed 's/^/    stderr: /' "$cli_err" >&2
	fi
}

stderr_has() {
	grep -Eq -- "$1" "$cli_err" || { fail "${name:-?}: stderr does not match '$1'"; sed 's/^/    stderr: /' "$cli_err" >&2; }
}

stderr_lines() {
	n=$(wc -l <"$cli_err" | tr -d ' ')
	[ "$n" = "$1" ] || { fail "${name:-?}: $n stderr lines, expected $1"; sed 's/^/    stderr: /' "$cli_err" >&2; }
}

finish() {
	exit "$cli_failed"
}
