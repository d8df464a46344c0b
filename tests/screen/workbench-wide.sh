# The workbench on a wide terminal (200x50), mono: long lines and messages use the width.
. "$(dirname "$0")/lib.sh"
export COLUMNS=200 LINES=50
steps <<'SCRIPT'
jj
<Tab><Tab>
:save-screen workbench-wide.screen
?
:save-screen help-wide.screen
SCRIPT
run_tui
assert_screen workbench-wide.screen
assert_screen help-wide.screen
finish
