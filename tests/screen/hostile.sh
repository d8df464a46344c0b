# A hostile blueprint (escape sequences, control characters, invalid UTF-8, a 10 kB line,
# RTL text with a bidi override, wide CJK, combining marks) draws without a control character
# reaching the screen and without breaking the layout, in UTF-8 and under LANG=C (ASCII).
. "$(dirname "$0")/lib.sh"
. "$here/lib-hostile.sh"
hostile_ws "$ws"
steps <<'SCRIPT'
:blueprint Hostile
:save-screen hostile.screen
G
:save-screen hostile-long.screen
llllllll
:save-screen hostile-scrolled.screen
/shalom<Enter>
:save-screen hostile-search.screen
:resize 200x50
:save-screen hostile-wide.screen
SCRIPT
run_tui
for s in hostile hostile-long hostile-scrolled hostile-search hostile-wide; do
	assert_screen $s.screen
	# No C0/C1 control, DEL or ESC in what the terminal shows.
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$tmp/$s.screen"; then
		echo "FAIL: $name: a control character reached the screen in $s"
		failures=$((failures + 1))
	fi
	if grep -q "$(printf '\302[\200-\237]')" "$tmp/$s.screen"; then
		echo "FAIL: $name: a C1 control reached the screen in $s"
		failures=$((failures + 1))
	fi
	grep -q "$(printf '\342\200[\252-\256]')" "$tmp/$s.screen" &&
		{ echo "FAIL: $name: a bidi override reached the screen in $s"; failures=$((failures + 1)); }
done
# Under LANG=C every non-ASCII character is drawn as '?', line drawing is ASCII.
export LANG=C LC_ALL=C
run_tui
mv "$tmp/hostile.screen" "$tmp/hostile-lang-c.screen"
assert_screen hostile-lang-c.screen
if LC_ALL=C grep -q "$(printf '[^\011-\176]')" "$tmp/hostile-lang-c.screen"; then
	echo "FAIL: $name: non-ASCII output under LANG=C"
	failures=$((failures + 1))
fi
finish
