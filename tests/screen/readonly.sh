# --readonly refuses every write (fix, new blueprint, edit) with a message, and says so in
# the status line; nothing changes on disk.
. "$(dirname "$0")/lib.sh"
export EDITOR="sh -c 'echo edited >> \"\$1\"' sh"
cp -R "$ws" "$tmp/ws.orig"
steps <<'SCRIPT'
jj<Tab><Tab>
f
:save-screen readonly-fix.screen
n
:save-screen readonly-new.screen
e
:save-screen readonly-edit.screen
:new Sneaky
:save-screen readonly-new-command.screen
SCRIPT
run_tui --readonly
for s in fix new edit new-command; do
	assert_screen readonly-$s.screen
done
if ! diff -r "$tmp/ws.orig" "$ws" >/dev/null; then
	echo "FAIL: $name: the workspace changed in read-only mode"
	diff -r "$tmp/ws.orig" "$ws"
	failures=$((failures + 1))
fi
finish
