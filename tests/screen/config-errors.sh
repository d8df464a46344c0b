# Bad keymap and theme lines are reported as file:line:col: message with the line and a caret,
# skipped, and the program still starts (and says so); --strict makes them fatal.
. "$(dirname "$0")/lib.sh"
export XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$XDG_CONFIG_HOME/csf-tui"
cat > "$XDG_CONFIG_HOME/csf-tui/keys" <<'KEYS'
bind generic x move-down
bind generic y jump-around
bind nowhere z quit
bnd generic w quit
bind generic <Nope> quit
bind generic <C-X> quit
KEYS
cat > "$XDG_CONFIG_HOME/csf-tui/theme" <<'THEME'
color status-bar red blue bold
color no-such-slot red blue
color cursor purple default
color cursor red default sparkly
THEME
steps <<'SCRIPT'
:save-screen config-errors.screen
x
:save-screen config-errors-x.screen
SCRIPT
run_tui
k=$XDG_CONFIG_HOME/csf-tui/keys
t=$XDG_CONFIG_HOME/csf-tui/theme
for want in "$k:2:16: unknown action 'jump-around'" "$k:3:6: unknown keymap 'nowhere'" \
	    "$k:4:1: unknown command 'bnd'" "$k:5:14: unknown key name" \
	    "$k:6:14: warning: <C-X> is the same key as <C-x>" \
	    "$t:2:7: unknown slot 'no-such-slot'" "$t:3:14: unknown colour 'purple'" \
	    "$t:4:26: unknown attribute 'sparkly'"; do
	grep -qF "$want" "$tmp/stderr" || { echo "FAIL: $name: missing on stderr: $want";
					    failures=$((failures + 1)); }
done
# The bad line and a caret under the column follow each message.
grep -A2 -F "$k:2:16:" "$tmp/stderr" | sed -n 3p | grep -q '^                   ^$' ||
	{ echo "FAIL: $name: no caret under column 16"; cat "$tmp/stderr"; failures=$((failures + 1)); }
assert_screen config-errors.screen
assert_screen config-errors-x.screen
RC_OK=2 run_tui --strict
assert_grep "7 configuration errors, 1 warning (--strict)" stderr
# A warning alone is fatal with --strict too.
printf 'bind generic <C-X> quit\n' > "$XDG_CONFIG_HOME/csf-tui/keys"
rm "$XDG_CONFIG_HOME/csf-tui/theme"
RC_OK=2 run_tui --strict
assert_grep "0 configuration errors, 1 warning (--strict)" stderr
RC_OK=0 run_tui
# Words quoted from the file in the message are terminal-safe like the line: an escape
# sequence, a raw C1 CSI byte or invalid UTF-8 in a keymap or theme never reaches stderr.
printf '\033]0;pwned\007bind generic x quit\nbind g\302\2331m generic x quit\n' > "$XDG_CONFIG_HOME/csf-tui/keys"
printf 'color \033[2J\377 red blue\n' > "$XDG_CONFIG_HOME/csf-tui/theme"
RC_OK=0 run_tui
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177\377]')" "$tmp/stderr" ||
   grep -q "$(printf '\302[\200-\237]')" "$tmp/stderr"; then
	echo "FAIL: $name: a control, escape or invalid byte from a config file reached stderr"
	cat -v "$tmp/stderr"
	failures=$((failures + 1))
fi
r=$(printf '\357\277\275')	# U+FFFD, the replacement character
assert_grep "keys:1:1: unknown command '${r}bind'" stderr
assert_grep "theme:1:7: unknown slot '$r$r'" stderr
finish
