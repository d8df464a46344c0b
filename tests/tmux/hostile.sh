# A hostile blueprint (escape sequences, control characters, a 10 kB line, RTL with a bidi
# override, wide CJK) on a real terminal: the layout stays intact (every row keeps the pane
# border at column 30 and the status line stays put), nothing of the file escapes its pane,
# the title set by an OSC sequence does not change, and scrolling sideways works.
. "$(dirname "$0")/lib.sh"
. "$top/tests/screen/lib-hostile.sh"
hostile_ws "$ws"
start 80 24
wait_for 'Findings:'
keys : b l u e p r i n t Space h o s t i l e Enter
wait_for 'blueprints/hostile.yaml                     1/19'
check_layout() {
	screen > "$tmp/cap"
	[ "$(wc -l < "$tmp/cap")" -eq 24 ] || { echo "FAIL: $name: $1: not 24 rows"; failures=$((failures + 1)); }
	# Rows 2-22 have the list/source border in column 30 (29 display columns before it).
	bad=$(sed -n '2,22p' "$tmp/cap" | while IFS= read -r line; do
		pre=$(printf '%s\n' "$line" | sed 's/│.*//')
		w=$(printf '%s' "$pre" | wc -m)
		[ "$w" -eq 29 ] || echo "$line"
	done)
	[ -z "$bad" ] || { echo "FAIL: $name: $1: border moved on:"; echo "$bad"; failures=$((failures + 1)); }
	sed -n 23p "$tmp/cap" | grep -q '^ tenant: all' ||
		{ echo "FAIL: $name: $1: status line moved"; cat "$tmp/cap"; failures=$((failures + 1)); }
	[ "$($T display -p -t t '#{pane_title}')" != pwned ] ||
		{ echo "FAIL: $name: $1: an OSC sequence set the title"; failures=$((failures + 1)); }
}
check_layout top
keys G
wait_for '19/19'
check_layout bottom
assert_screen_has '16     CJK: "漢字テスト wide"'
assert_screen_has '13     HEBREW: "שלום shalom"'
assert_screen_has "$(printf '17     COMBINING: "e\314\201 a\314\200 n\314\203"')"
keys l l l l
wait_for 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
check_layout scrolled
keys Q
wait_exit
finish
