# The tenants view on the recorded snapshot (samples/cluster, found next to the binary): the
# tenant list with health, drift counts and the last scale event; `/` narrows it; Enter lists a
# tenant's modules with the drifting fields of the selected module and its last scale event,
# whose message carries an escape sequence (it must not reach the screen); Esc goes back. Then
# 160x40 in colour (slot map), LANG=C, and a source that cannot be opened: the error shows
# where the tenants would be.
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
:tenants
:save-screen tenants-list.screen
/vet<Enter>
:save-screen tenants-filter.screen
<Esc>
g
<Enter>
:save-screen tenants-modules.screen
jj
:save-screen tenants-module-drift.screen
<Esc>
:save-screen tenants-back.screen
:tenants vetclinic-001
:save-screen tenants-arg.screen
SCRIPT
run_tui
for s in list filter modules module-drift back arg; do
	assert_screen tenants-$s.screen
	# the FailedRescale message holds ESC [31m … ESC [0m: nothing of it may be drawn
	assert_no_grep '\[31m\|\[0m' tenants-$s.screen "an escape sequence reached tenants-$s"
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$tmp/tenants-$s.screen"; then
		echo "FAIL: $name: a control character reached the screen in tenants-$s"
		failures=$((failures + 1))
	fi
done
# the message itself is there, sanitized
assert_grep 'last scale: 2026-11-26T18:35:00Z Warning FailedRescale: New size: 6' tenants-modules.screen
assert_grep '^\*happytails-004 .* down ' tenants-list.screen
assert_grep 'drift Deployment/booking-service version: desired 1.2.3, live 1.2.2' tenants-modules.screen

colour
export COLUMNS=160 LINES=40
steps <<'SCRIPT'
:tenants
:save-screen tenants-wide.screen
:save-slots tenants-wide.slots
<Enter>
:save-slots tenants-modules-wide.slots
SCRIPT
run_tui
assert_screen tenants-wide.screen
assert_screen tenants-wide.slots
assert_screen tenants-modules-wide.slots

export NO_COLOR=1 TERM=xterm COLUMNS=80 LINES=24 LANG=C LC_ALL=C
steps <<'SCRIPT'
:tenants
<Enter>
:save-screen tenants-langc.screen
SCRIPT
run_tui
assert_screen tenants-langc.screen
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$tmp/tenants-langc.screen"; then
	echo "FAIL: $name: non-ASCII text on the screen under LANG=C"
	failures=$((failures + 1))
fi

# A snapshot folder that does not exist: the error is shown in place of the list (the
# message names the temporary folder, so it is matched, not compared).
export LANG=C.UTF-8 LC_ALL=C.UTF-8
printf 'cluster:\n  offline: no-such-snapshot\n' >>"$ws/csf.yaml"
steps <<'SCRIPT'
:tenants
:save-screen tenants-error.screen
SCRIPT
run_tui
assert_grep '^cannot load the tenants: .*no-such-snapshot' tenants-error.screen
finish
