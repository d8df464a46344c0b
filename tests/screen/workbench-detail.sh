# The lint panel at 80x24, mono: one compact row per finding, and under the rows the selected
# finding's whole message and hint, wrapped (they used to be cut at about 20 columns). A rule id
# cut in its row is given whole after the message.
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
jj
<Tab><Tab>
jjj
:save-screen workbench-detail.screen
SCRIPT
run_tui
assert_screen workbench-detail.screen
finish
