# The workbench in colour (default theme, 256 colours) at 80x24 and 200x50: the text and the
# theme slot of every cell (findings in the gutter, YAML colours, the cursor row, headers).
. "$(dirname "$0")/lib.sh"
colour
steps <<'SCRIPT'
jj
<Tab>
:save-screen workbench-colour.screen
:save-slots workbench-colour.slots
:resize 200x50
:save-screen workbench-wide-colour.screen
:save-slots workbench-wide-colour.slots
SCRIPT
run_tui
assert_screen workbench-colour.screen
assert_screen workbench-colour.slots
assert_screen workbench-wide-colour.screen
assert_screen workbench-wide-colour.slots
finish
