# Every shipped theme loads without a bad line; the colours the terminal gets per slot are
# checked for each theme on a 256-colour terminal, and the fallbacks on 16 and 8 colours;
# NO_COLOR and a terminal without colours give mono (no colour pair in any cell); an unknown
# theme is reported and mono is used; :theme switches at run time.
. "$(dirname "$0")/lib.sh"
colour
steps <<'SCRIPT'
jj
:save-theme theme.txt
:save-slots theme.slots
SCRIPT
for t in default light mono high-contrast solarized; do
	run_tui --theme $t
	[ -s "$tmp/stderr" ] && { echo "FAIL: $name: theme $t printed:"; cat "$tmp/stderr";
				   failures=$((failures + 1)); }
	mv "$tmp/theme.txt" "$tmp/theme-$t.txt"
	assert_screen theme-$t.txt
done
# A 16-colour terminal, compiled here (not every system ships xterm-16color).
printf 'csf-test-16color|xterm with 16 colours,\n\tcolors#16, pairs#256, use=xterm-256color,\n' \
	> "$tmp/16color.ti"
tic -x -o "$tmp/terminfo" "$tmp/16color.ti"
TERMINFO="$tmp/terminfo" TERM=csf-test-16color run_tui --theme solarized
mv "$tmp/theme.txt" "$tmp/theme-solarized-16.txt"
assert_screen theme-solarized-16.txt
TERM=xterm run_tui --theme default
mv "$tmp/theme.txt" "$tmp/theme-default-8.txt"
assert_screen theme-default-8.txt
# NO_COLOR: every cell is drawn without a colour pair.
NO_COLOR=1 run_tui --theme solarized
assert_no_grep '[^.]' theme.slots "NO_COLOR still drew colours"
assert_grep '(mono)' theme.txt
TERM=vt100 run_tui --theme default
assert_no_grep '[^.]' theme.slots "a terminal without colours still got colours"
steps <<'SCRIPT'
:theme light
:save-theme theme-switched.txt
:theme no-such-theme
:save-screen theme-unknown.screen
SCRIPT
run_tui
tail -n +2 "$tmp/theme-switched.txt" > "$tmp/a"
tail -n +2 "$tmp/theme-light.txt" > "$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: $name: :theme light did not give the light colours";
			      diff "$tmp/b" "$tmp/a"; failures=$((failures + 1)); }
assert_grep "no theme named 'no-such-theme'" theme-unknown.screen
steps <<'SCRIPT'
:save-screen theme-bad-name.screen
SCRIPT
run_tui --theme no-such-theme
assert_grep "unknown theme 'no-such-theme'; using mono" stderr
# A theme path that is a folder or missing says why, at start and with :theme (not "1 bad line").
mkdir -p "$tmp/themedir"
steps <<SCRIPT
:theme $tmp/themedir
:save-screen theme-folder.screen
:theme $tmp/no-such.theme
:save-screen theme-missing.screen
SCRIPT
run_tui --theme "$tmp/themedir"
assert_grep "themedir:0:0: cannot read theme file: Is a directory" stderr
assert_grep "^cannot read theme file .*/themedir: Is a directory" theme-folder.screen
assert_grep "^cannot read theme file .*/no-such.theme: No such file or dir" theme-missing.screen
finish
