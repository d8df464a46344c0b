# :set lists and changes options: line numbers and the gutter off, a narrower list, a taller
# lint panel; bad names and values are refused with a message.
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
:set
:save-screen options-list.screen
jj<Tab>
:set line-numbers=false
:set nogutter
:set list-width=20
:set panel-height=10
:save-screen options-changed.screen
:set gutter
:save-screen options-gutter-only.screen
:set no-such-option=1
:save-screen options-unknown.screen
:set tab-size=many
:save-screen options-bad-value.screen
:set list-width=100000
:save-screen options-out-of-range.screen
:set nosuch
:save-screen options-unknown-no.screen
:set
:save-screen options-list-after.screen
SCRIPT
run_tui
for s in list changed gutter-only unknown bad-value; do
	assert_screen options-$s.screen
done
# Out of its documented range a value is refused and the option keeps its value; "noNAME"
# for an unknown NAME is quoted as typed.
assert_grep '^list-width takes a number from 12 to 80$' options-out-of-range.screen
assert_grep "^unknown option 'nosuch' (:set lists them)$" options-unknown-no.screen
assert_grep 'list-width=20 ' options-list-after.screen
finish
