# Screen-test library: sourced by every tests/screen/*.sh.
#
# The TUI runs in key-script mode without a terminal (CSF_TUI_SCRIPT + CSF_TUI_NO_DISPLAY):
# input comes from a script, and `:save-screen NAME` / `:save-slots NAME` write what the screen
# shows (text, or one theme-slot letter per cell). assert_screen compares a dump with
# tests/screen/expected/NAME; `make test-screen UPDATE=1` rewrites the expected files instead,
# for review as a git diff.
#
#   . "$(dirname "$0")/lib.sh"
#   steps <<'EOF'            # one token per line: keys, or :commands
#   j
#   :save-screen workbench-down.screen
#   EOF
#   run_tui [ARGS...]        # runs $CSF_TUI on a fresh copy of tests/screen/ws ($ws)
#   assert_screen workbench-down.screen
set -eu

top=${CSF_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CSF_TUI=${CSF_TUI:-$top/build/csf-tui}
here=$top/tests/screen
name=$(basename "$0" .sh)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/csf-screen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

# A pinned, clean environment: no user config, no colours unless a test asks for them.
for v in $(env | sed -n 's/^\(XDG_[A-Z_]*\|GIT_[A-Z_]*\|CSF_TUI_[A-Z_]*\)=.*/\1/p'); do
	unset "$v"
done
export HOME="$tmp/home" TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm LINES=24 COLUMNS=80
export NO_COLOR=1 CSF_TUI_NO_DISPLAY=1 EDITOR=false VISUAL=
# ncurses and readline keep some memory until exit on purpose; LeakSanitizer must not count it.
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
mkdir -p "$HOME"
ws=$tmp/ws
cp -R "$here/ws" "$ws"
cd "$tmp"

# colour: switch a test to a 256-colour terminal.
colour() {
	unset NO_COLOR
	export TERM=xterm-256color
}

# steps: the key script, from stdin.
steps() {
	cat > "$tmp/script"
}

# run_tui ARGS...: runs the TUI on the script; stderr goes to $tmp/stderr, the trace to
# $tmp/trace. The exit status is kept in $rc; the test fails when it is not 0 unless
# RC_OK is set to the expected status.
run_tui() {
	rc=0
	CSF_TUI_SCRIPT="$tmp/script" CSF_TUI_TRACE="$tmp/trace" \
		"$CSF_TUI" --workspace "$ws" "$@" 2>"$tmp/stderr" || rc=$?
	if [ "$rc" -ne "${RC_OK:-0}" ]; then
		echo "FAIL: $name: csf-tui exited with $rc"
		cat "$tmp/stderr"
		exit 1
	fi
}

# assert_screen FILE: compares $tmp/FILE with expected/FILE (or updates it with UPDATE=1).
assert_screen() {
	f=$1
	if [ ! -f "$tmp/$f" ]; then
		echo "FAIL: $name: no dump $f (did the script save it?)"
		cat "$tmp/stderr"
		failures=$((failures + 1))
		return 0
	fi
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$tmp/$f" "$here/expected/$f"
		echo "updated expected/$f"
		return 0
	fi
	if ! diff -u "$here/expected/$f" "$tmp/$f"; then
		echo "FAIL: $name: $f differs from expected/$f (UPDATE=1 to accept)"
		failures=$((failures + 1))
	fi
}

# assert_grep PATTERN FILE [MESSAGE]: FILE (in $tmp) has a line matching PATTERN.
assert_grep() {
	if ! grep -q -e "$1" "$tmp/$2"; then
		echo "FAIL: $name: ${3:-no line matching '$1' in $2}"
		sed 's/^/    /' "$tmp/$2" | head -40
		failures=$((failures + 1))
	fi
}

# assert_no_grep PATTERN FILE [MESSAGE]
assert_no_grep() {
	if grep -q -e "$1" "$tmp/$2"; then
		echo "FAIL: $name: ${3:-unexpected line matching '$1' in $2}"
		grep -n -e "$1" "$tmp/$2" | head -10
		failures=$((failures + 1))
	fi
}

# finish: the test's exit status.
finish() {
	[ "$failures" -eq 0 ] || exit 1
	exit 0
}
