# The help view lists every action with its keys from the active keymap, the commands and the
# views; it can be filtered; q goes back.
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
?
:save-screen help.screen
G
:save-screen help-end.screen
/quit
<Enter>
:save-screen help-filter.screen
<Esc>q
:save-screen help-closed.screen
SCRIPT
run_tui
assert_screen help.screen
assert_screen help-end.screen
assert_screen help-filter.screen
assert_screen help-closed.screen
finish
