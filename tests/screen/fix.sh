# f on a finding with a fix shows the change in a dialog; n leaves the file alone, y writes it
# and the findings update. Colour slots of the dialog are checked too.
. "$(dirname "$0")/lib.sh"
colour
cp "$ws/blueprints/orders.yaml" "$tmp/orders.orig"
steps <<'SCRIPT'
jj<Tab><Tab>
/probe
<Enter>
f
:save-screen fix-dialog.screen
:save-slots fix-dialog.slots
n
:save-screen fix-declined.screen
f
y
:save-screen fix-applied.screen
SCRIPT
run_tui
assert_screen fix-dialog.screen
assert_screen fix-dialog.slots
assert_screen fix-declined.screen
assert_screen fix-applied.screen
assert_grep 'liveness' ws/blueprints/orders.yaml "the fix was not written"
if cmp -s "$tmp/orders.orig" "$ws/blueprints/orders.yaml"; then
	echo "FAIL: $name: orders.yaml unchanged after y"
	failures=$((failures + 1))
fi
finish
