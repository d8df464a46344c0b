# Resizing mid-session redraws for the new size without leftovers; below the minimum a notice
# replaces the screen; growing back restores the workbench.
. "$(dirname "$0")/lib.sh"
start 80 24
wait_for 'Findings:'
keys j j
wait_for 'workbench › Orders'
$T resize-window -t t -x 120 -y 40
# The old 80-column title also holds that text: wait for the redraw itself, the status line
# moving to row 39 of the new size.
i=0
while [ $i -lt 200 ] && ! screen | sed -n 39p | grep -q '^ tenant: all'; do
	sleep 0.05
	i=$((i + 1))
done
wait_for '                      screen-fixture'
screen > "$tmp/cap"
[ "$(wc -l < "$tmp/cap")" -eq 40 ] || { echo "FAIL: $name: not 40 rows after resize"; failures=$((failures + 1)); }
grep -q '^ csf-tui › workbench › Orders .*screen-fixture$' "$tmp/cap" ||
	{ echo "FAIL: $name: title not redrawn at 120 columns"; cat "$tmp/cap"; failures=$((failures + 1)); }
# The status line sits on the second-to-last row: nothing of the old layout is left above it.
sed -n 39p "$tmp/cap" | grep -q '^ tenant: all' ||
	{ echo "FAIL: $name: the status line is not on row 39"; cat "$tmp/cap"; failures=$((failures + 1)); }
[ "$(grep -c 'tenant: all' "$tmp/cap")" -eq 1 ] ||
	{ echo "FAIL: $name: a stale status line is left"; failures=$((failures + 1)); }
$T resize-window -t t -x 40 -y 10
wait_for 'terminal too small'
wait_for '40x10, need 50x12'
keys j
$T resize-window -t t -x 80 -y 24
wait_for 'Findings:'
assert_screen_lacks 'terminal too small'
# Help wraps its descriptions to the width: whole at 80 columns, one line each at 160.
keys '?'
wait_for 'Keys in the workbench view'
wait_for 'view-help          Show the keys of the active keymap and'
assert_screen_has '                                        every action'
$T resize-window -t t -x 160 -y 24
wait_for 'view-help          Show the keys of the active keymap and every action'
$T resize-window -t t -x 80 -y 24
wait_for '                                        every action'
keys q
keys Q
wait_exit
finish
