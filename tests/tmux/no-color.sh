# NO_COLOR: no colour escape reaches the terminal (attributes only); without it, colours do.
. "$(dirname "$0")/lib.sh"
RUN_ENV="NO_COLOR=1" start 80 24
wait_for 'Findings:'
$T capture-pane -e -p -t t > "$tmp/esc"
if grep -qE "$(printf '\033')\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5|9[0-7]|10[0-7])(;[0-9;]*)?m" "$tmp/esc"; then
	echo "FAIL: $name: colour escapes with NO_COLOR"
	grep -oE "$(printf '\033')\[[0-9;]*m" "$tmp/esc" | sort | uniq -c | head
	failures=$((failures + 1))
fi
grep -q "$(printf '\033')\[7m" "$tmp/esc" || { echo "FAIL: $name: no reverse video in mono"; failures=$((failures + 1)); }
keys Q
wait_exit
start 80 24
wait_for 'Findings:'
$T capture-pane -e -p -t t > "$tmp/esc"
grep -qE "$(printf '\033')\[[0-9;]*(3[0-7]|38;5;[0-9]+)[;m]" "$tmp/esc" ||
	{ echo "FAIL: $name: no colours without NO_COLOR"; failures=$((failures + 1)); }
keys Q
wait_exit
finish
