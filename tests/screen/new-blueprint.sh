# n asks for a module name and creates blueprints/<kebab>.yaml from the template with every
# block; the new blueprint is selected and lints clean; bad names are refused.
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
n
:save-screen new-prompt.screen
Billing<Enter>
:save-screen new-created.screen
n
lower case<Enter>
:save-screen new-bad-name.screen
n
<Esc>
:save-screen new-cancelled.screen
SCRIPT
run_tui
for s in prompt created bad-name cancelled; do
	assert_screen new-$s.screen
done
f=ws/blueprints/billing.yaml
assert_grep '^module: Billing$' $f "blueprints/billing.yaml was not created"
for block in runtime features scalability scaling resilience infrastructure configuration \
	     network observability events api function cost cloud release; do
	assert_grep "^$block:" $f "the template lacks the $block block"
done
"$CSF_TUI" --headless --workspace "$ws" lint "$tmp/$f" > "$tmp/lint.out" 2>&1 ||
	{ echo "FAIL: $name: the new blueprint does not lint clean"; cat "$tmp/lint.out";
	  failures=$((failures + 1)); }
finish
