# Helpers for the release integration tests (sourced by tests/integration/release_*.sh).
#
# Each test works in its own temp folder with HOME and the git identity pinned, on the samples/
# workspace (read only: --gitops points the repository into the temp folder) with a passing
# JUnit report, and the clock pinned by CSF_NOW.
#
#   rel REPO ARGS...      csf-tui --headless release ARGS on REPO
#   tip REPO              the commit main points to
#   fsck_clean REPO       git fsck --strict reports no error
#   fail MSG              records a failure;  finish: exits 1 when anything failed
set -u
: "${CSF_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${CSF_TUI:=$CSF_TOP/build/csf-tui}"
rel_tmp=$(mktemp -d)
trap 'rm -rf "$rel_tmp"' EXIT
export HOME="$rel_tmp" TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 NO_COLOR=1 GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Rel Eng" GIT_AUTHOR_EMAIL=releng@example.com
export GIT_COMMITTER_NAME="Rel Eng" GIT_COMMITTER_EMAIL=releng@example.com
export CSF_NOW=2026-11-26T10:00:00Z
unset CSF_TEST_CRASH_AT CSF_TEST_BARRIER_AT CSF_TEST_BARRIER XDG_CONFIG_HOME
rel_ws="$CSF_TOP/samples"
rel_report="$rel_tmp/tests.xml"
printf '<testsuite name="booking" tests="3" failures="0" errors="0"></testsuite>\n' >"$rel_report"
rel_failed=0

fail() {
	echo "FAIL: $*" >&2
	rel_failed=1
	: >"$rel_tmp/.failed"	# also seen from subshells
}

rel() {
	_repo=$1
	shift
	"$CSF_TUI" --headless --workspace "$rel_ws" release "$@" --gitops "$_repo" \
		--test-report "$rel_report"
}

tip() {
	git -C "$1" rev-parse -q --verify refs/heads/main 2>/dev/null || echo none
}

fsck_clean() {
	if ! git -C "$1" fsck --strict --no-progress >"$rel_tmp/fsck.out" 2>&1; then
		fail "git fsck failed in $1: $(cat "$rel_tmp/fsck.out")"
		return 1
	fi
	if grep -Eiq '^(error|fatal|missing|broken)' "$rel_tmp/fsck.out"; then
		fail "git fsck reports problems in $1: $(cat "$rel_tmp/fsck.out")"
		return 1
	fi
	return 0
}

finish() {
	[ -e "$rel_tmp/.failed" ] && rel_failed=1
	exit "$rel_failed"
}
