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
finish
