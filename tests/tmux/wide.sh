# 200x50: the layout uses the width and the height (long lines, more rows of findings).
. "$(dirname "$0")/lib.sh"
start 200 50
wait_for 'Findings:'
keys j j Tab
wait_for 'workbench › Orders'
assert_width 200
screen > "$tmp/cap"
[ "$(wc -l < "$tmp/cap")" -eq 50 ] || { echo "FAIL: $name: not 50 rows"; failures=$((failures + 1)); }
grep -q 'screen-fixture$' "$tmp/cap" || { echo "FAIL: $name: title not right-aligned at 200"; failures=$((failures + 1)); }
assert_screen_has '39     - OrderPlaced'
assert_screen_has "event 'OrderPlaced' has no version suffix"
keys Q
wait_exit
finish
