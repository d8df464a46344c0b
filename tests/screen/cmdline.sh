# The : command line: Tab completes commands and blueprint names, Enter runs, the history
# survives a restart ($XDG_STATE_HOME/csf-tui/history), unknown commands say so.
. "$(dirname "$0")/lib.sh"
export XDG_STATE_HOME="$tmp/state"
steps <<'SCRIPT'
<Colon>blu<Tab>
:save-screen cmdline-complete-command.screen
Or<Tab>
:save-screen cmdline-complete-blueprint.screen
<Enter>
:save-screen cmdline-ran.screen
<Colon>frobnicate<Enter>
:save-screen cmdline-unknown.screen
<Colon>t<Tab>
:save-screen cmdline-ambiguous.screen
<Esc>
<Colon>tenant a<Tab>
:save-screen cmdline-complete-tenant.screen
<Esc>
<Colon>env pr<Tab>
:save-screen cmdline-complete-env.screen
<Esc>
<Colon>theme s<Tab>
:save-screen cmdline-complete-theme.screen
<Esc>
SCRIPT
run_tui
for s in complete-command complete-blueprint ran unknown ambiguous complete-tenant complete-env \
	 complete-theme; do
	assert_screen cmdline-$s.screen
done
assert_grep '^blueprint Orders$' state/csf-tui/history "the history file lacks the command"
steps <<'SCRIPT'
<Colon><Up><Up>
:save-screen cmdline-history.screen
<Enter>
:save-screen cmdline-history-ran.screen
SCRIPT
run_tui
assert_screen cmdline-history.screen
assert_screen cmdline-history-ran.screen
finish
