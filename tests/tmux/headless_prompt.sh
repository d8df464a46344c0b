# `csf-tui --headless` on a terminal with no command opens a readline prompt (DESIGN §9): a
# lint command runs and prints its findings, Tab completes a command name and a tenant after
# --tenant, a bad line prints its error and the prompt goes on, `exit` leaves with the last
# command's status, and the lines are kept in $XDG_STATE_HOME/csf-tui/headless_history.
. "$(dirname "$0")/lib.sh"
RUN_ENV="XDG_STATE_HOME=$tmp/state" start 80 24 --headless
wait_for 'csf>'
# --workspace holds for every line: lint without PATH lints it.
keys 'lint --format json' Enter
wait_for '"files":'
assert_screen_has '"errors":'
# Errors go to stderr (the test keeps it in a file) and the prompt comes back.
keys 'frobnicate' Enter
wait_for 'csf> frobnicate'
i=0
until grep -qF "csf-tui: unknown command 'frobnicate' (see --help)" "$tmp/stderr" || [ $i -ge 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
grep -qF "unknown command 'frobnicate'" "$tmp/stderr" ||
	{ echo "FAIL: $name: no error for the unknown command"; failures=$((failures + 1)); }
# Tab completes a command name and, after --tenant, a tenant of the workspace.
keys 'tena' Tab
wait_for 'csf> tenants'
keys C-u 'lint --tenant ac' Tab
wait_for 'csf> lint --tenant acme-001'
keys C-u 'exit' Enter
# The last command (frobnicate) failed with status 2.
wait_exit 2
grep -qx 'lint --format json' "$tmp/state/csf-tui/headless_history" ||
	{ echo "FAIL: $name: the history file lacks the lint line"; cat "$tmp/state/csf-tui/headless_history" 2>&1 | sed 's/^/    |/'; failures=$((failures + 1)); }
finish
