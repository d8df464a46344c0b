# tmux-test library: sourced by every tests/tmux/*.sh. The TUI runs on a real pty inside a
# private tmux server; tests send keys, wait for text to appear and compare what tmux shows.
#
#   . "$(dirname "$0")/lib.sh"
#   start 80 24 [ARGS...]      # csf-tui --workspace $ws ARGS in a WxH pane
#   wait_for 'Blueprints'      # polls capture-pane until the text shows (fails after 10 s)
#   keys j j Tab               # tmux send-keys
#   wait_exit                  # waits for the app to end; checks the terminal was restored
set -eu

top=${CSF_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CSF_TUI=${CSF_TUI:-$top/build/csf-tui}
name=$(basename "$0" .sh)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/csf-tmux.XXXXXX")
nserver=0
T="tmux -S $tmp/sock0 -f /dev/null"
failures=0
cleanup() {
	for s in "$tmp"/sock*; do
		[ -S "$s" ] && tmux -S "$s" kill-server 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

for v in $(env | sed -n 's/^\(XDG_[A-Z_]*\|GIT_[A-Z_]*\|CSF_TUI_[A-Z_]*\|TMUX[A-Z_]*\)=.*/\1/p'); do
	unset "$v"
done
export HOME="$tmp/home" TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 EDITOR=false VISUAL=
export LSAN_OPTIONS="suppressions=$top/tests/screen/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# Sanitizer reports go to a file we check at the end (the pane is not kept).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$tmp/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$tmp/ubsan"
mkdir -p "$HOME"
ws=$tmp/ws
cp -R "$top/tests/screen/ws" "$ws"

# start W H [ARGS...]: runs csf-tui in a W x H pane of a new tmux server. When the app ends,
# the pane prints "EXITED rc=N" and the terminal modes (stty -a) go to $tmp/stty.
start() {
	nserver=$((nserver + 1))
	T="tmux -S $tmp/sock$nserver -f /dev/null"
	rm -f "$tmp/stty"
	w=$1 h=$2
	shift 2
	: > "$tmp/args"
	for a in "$@"; do
		printf '%s\n' "$a" >> "$tmp/args"
	done
	cat > "$tmp/run.sh" <<RUN
#!/bin/sh
stty -a > "$tmp/stty.before"
set --
while IFS= read -r a; do set -- "\$@" "\$a"; done < "$tmp/args"
CSF_TUI_TRACE="$tmp/trace" "$CSF_TUI" --workspace "$ws" "\$@" 2>"$tmp/stderr"
rc=\$?
stty -a > "$tmp/stty"
echo "EXITED rc=\$rc"
sleep 600
RUN
	$T new-session -d -s t -x "$w" -y "$h" "${RUN_ENV:-} sh $tmp/run.sh"
	$T set-option -g status off >/dev/null
	# The pane gets the size asked for: no status line, no other client.
	$T resize-window -t t -x "$w" -y "$h" 2>/dev/null || true
}

screen() {
	$T capture-pane -p -t t
}

# wait_for TEXT [SECONDS]: waits until the pane shows TEXT (fixed string).
wait_for() {
	i=0 n=$(( ${2:-10} * 20 ))
	while [ $i -lt $n ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "FAIL: $name: '$1' did not appear; the pane shows:"
	screen | sed 's/^/    |/'
	[ -s "$tmp/trace" ] && tail -5 "$tmp/trace" | sed "s/^/    trace: /"
	[ -s "$tmp/stderr" ] && sed 's/^/    stderr: /' "$tmp/stderr"
	exit 1
}

# wait_gone TEXT: waits until TEXT is no longer shown.
wait_gone() {
	i=0
	while [ $i -lt 200 ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "FAIL: $name: '$1' is still shown"
	screen | sed 's/^/    |/'
	exit 1
}

keys() {
	$T send-keys -t t "$@"
}

# wait_exit [RC]: waits for the app to end with status RC (default 0), then checks that the
# terminal is back: canonical mode, echo, the alternate screen left.
wait_exit() {
	wait_for "EXITED rc=${1:-0}"
	for mode in icanon echo icrnl; do
		grep -qw -- "$mode" "$tmp/stty" ||
			{ echo "FAIL: $name: terminal mode $mode not restored"; failures=$((failures + 1)); }
	done
	grep -qw -- "-icanon" "$tmp/stty" &&
		{ echo "FAIL: $name: terminal left in raw mode"; failures=$((failures + 1)); }
	# Leaving the alternate screen brings the shell's screen back: no workbench text remains.
	if screen | grep -q 'Findings:'; then
		echo "FAIL: $name: the TUI is still on the screen after exit"
		failures=$((failures + 1))
	fi
}

# assert_screen_has TEXT / assert_screen_lacks TEXT
assert_screen_has() {
	screen | grep -qF -- "$1" || { echo "FAIL: $name: screen lacks '$1'"; screen | sed 's/^/    |/';
				       failures=$((failures + 1)); }
}
assert_screen_lacks() {
	screen | grep -qF -- "$1" && { echo "FAIL: $name: screen shows '$1'"; screen | sed 's/^/    |/';
				       failures=$((failures + 1)); }
	return 0
}

# assert_width N: no pane row is wider than N columns and the pane is N columns wide.
assert_width() {
	pw=$($T display -p -t t '#{pane_width}')
	[ "$pw" = "$1" ] || { echo "FAIL: $name: pane is $pw wide, not $1"; failures=$((failures + 1)); }
}

finish() {
	if ls "$tmp"/asan* "$tmp"/ubsan* >/dev/null 2>&1; then
		echo "FAIL: $name: sanitizer reports:"
		cat "$tmp"/asan* "$tmp"/ubsan* 2>/dev/null | head -60
		failures=$((failures + 1))
	fi
	[ "$failures" -eq 0 ] || exit 1
	exit 0
}
