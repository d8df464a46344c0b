# SIGHUP and SIGTERM restore the terminal and keep unsent command-line input in the history;
# the next session recalls it with Up.
. "$(dirname "$0")/lib.sh"
start 80 24
wait_for 'Findings:'
keys : b l u e p r i n t Space O r d
wait_for ':blueprint Ord'
pid=$(pgrep -n -f -- "--workspace $ws") || { echo "FAIL: $name: no process"; exit 1; }
kill -HUP "$pid"
wait_exit 129
grep -qx 'blueprint Ord' "$HOME/.local/state/csf-tui/history" ||
	{ echo "FAIL: $name: unsent input not in the history"; failures=$((failures + 1)); }
grep -q 'terminated by signal 1' "$tmp/stderr" || { echo "FAIL: $name: no exit note"; failures=$((failures + 1)); }
start 80 24
wait_for 'Findings:'
keys : Up
wait_for ':blueprint Ord'
keys Escape
pid=$(pgrep -n -f -- "--workspace $ws") || { echo "FAIL: $name: no process"; exit 1; }
kill -TERM "$pid"
wait_exit 143
finish
