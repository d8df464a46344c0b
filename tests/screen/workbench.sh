# The workbench in its states, mono, 80x24: first screen, another blueprint, the lint panel,
# Enter on a finding (jumps to its line), a blueprint that does not parse, zoom.
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
:save-screen workbench-first.screen
jj
:save-screen workbench-orders.screen
<Tab><Tab>
jj
:save-screen workbench-lint-panel.screen
<Enter>
:save-screen workbench-jump.screen
<S-Tab>
kk
:save-screen workbench-broken.screen
<Tab>z
:save-screen workbench-zoom.screen
z
SCRIPT
run_tui
for s in first orders lint-panel jump broken zoom; do
	assert_screen workbench-$s.screen
done
finish
