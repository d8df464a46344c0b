# Rebinding and unbinding keys: a user keymap file ($XDG_CONFIG_HOME/csf-tui/keys) binds x to
# move-down and unbinds j; :bind and :unbind do the same at run time; the help view shows the
# keys as they act.
. "$(dirname "$0")/lib.sh"
export XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$XDG_CONFIG_HOME/csf-tui"
cat > "$XDG_CONFIG_HOME/csf-tui/keys" <<'KEYS'
# user overrides
bind generic x move-down
bind generic j none
bind workbench <C-x>e edit
KEYS
steps <<'SCRIPT'
j
:save-screen keymap-j-unbound.screen
x
:save-screen keymap-x-moves.screen
?
/move-down|move-up
<Enter>
:save-screen keymap-help.screen
q
:bind generic K move-up
K
:save-screen keymap-bind.screen
:unbind generic x
x
:save-screen keymap-unbind.screen
:bind nowhere y quit
:save-screen keymap-bind-bad.screen
SCRIPT
run_tui
for s in j-unbound x-moves help bind unbind bind-bad; do
	assert_screen keymap-$s.screen
done
[ -s "$tmp/stderr" ] && { echo "FAIL: $name: the user keymap printed errors:"; cat "$tmp/stderr";
			   failures=$((failures + 1)); }
finish
