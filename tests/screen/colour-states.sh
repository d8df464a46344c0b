# The view states in colour (default theme, 256 colours), as slot maps: the help view at 80x24
# and 200x50, an active list filter, the command line with completions, the read-only status
# line, the terminal-too-small notice and the new-blueprint question.
. "$(dirname "$0")/lib.sh"
colour
steps <<'SCRIPT'
?
:save-slots colour-help.slots
:resize 200x50
:save-slots colour-help-wide.slots
:resize 80x24
q
/or<Enter>
:save-slots colour-filter.slots
<Esc>
<Colon>t<Tab>
:save-slots colour-cmdline.slots
:save-screen colour-cmdline.screen
<Esc>
n
:save-slots colour-question.slots
<Esc>
:resize 40x10
:save-slots colour-small.slots
:resize 80x24
SCRIPT
run_tui
for s in help help-wide filter cmdline question small; do
	assert_screen colour-$s.slots
done
assert_screen colour-cmdline.screen
steps <<'SCRIPT'
f
:save-slots colour-readonly.slots
SCRIPT
run_tui --readonly
assert_screen colour-readonly.slots
finish
