# LANG=C: ASCII line drawing and '?' for every non-ASCII character, on a real terminal.
. "$(dirname "$0")/lib.sh"
. "$top/tests/screen/lib-hostile.sh"
hostile_ws "$ws"
RUN_ENV="LANG=C LC_ALL=C" start 80 24
wait_for 'Findings:'
assert_screen_has ' csf-tui > workbench > '
assert_screen_has 'Orders                3E 2W|'
keys : b l u e p r i n t Space h o s t i l e Enter
wait_for '13     HEBREW: "???? shalom"'
screen > "$tmp/cap"
if LC_ALL=C grep -q "$(printf '[^\011-\176]')" "$tmp/cap"; then
	echo "FAIL: $name: non-ASCII on the screen under LANG=C"
	failures=$((failures + 1))
fi
keys Q
wait_exit
finish
