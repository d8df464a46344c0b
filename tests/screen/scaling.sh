# The scaling view on the sample workspace (its csf.yaml reads the recorded snapshot in
# samples/cluster): happytails-004/BookingService over 6 h and 7 d — replicas, desired, the
# min/max band, the KEDA metric against its target, rescale events on the time axis and in the
# list (the FailedRescale message carries an escape sequence that must not reach the screen),
# and the observed bounds beside the blueprint's declared ones. Then 160x40 in colour (slot
# map: failed rescale in the error colour, the selected event marked on the axis), LANG=C
# (ASCII chart), and a module the cluster does not have: the error shows in place of the chart.
. "$(dirname "$0")/lib.sh"
cp -R "$top/samples" "$tmp/samples"
ws=$tmp/samples
steps <<'SCRIPT'
:scaling happytails-004/BookingService
:save-screen scaling-6h.screen
4
:save-screen scaling-7d.screen
j
:save-screen scaling-7d-event.screen
1
:save-screen scaling-1h.screen
SCRIPT
run_tui
for s in 6h 7d 7d-event 1h; do
	assert_screen scaling-$s.screen
	assert_no_grep '\[31m\|\[0m' scaling-$s.screen "an escape sequence reached scaling-$s"
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$tmp/scaling-$s.screen"; then
		echo "FAIL: $name: a control character reached the screen in scaling-$s"
		failures=$((failures + 1))
	fi
done
assert_grep '^observed KEDA 4\.\.20 now 4->4  declared 4\.\.20 from blueprints/booking-service' scaling-6h.screen
assert_grep 'Events (19)' scaling-7d.screen
assert_grep '^11-26 18:35 FailedRescale  New size: 6' scaling-7d.screen

colour
export COLUMNS=160 LINES=40
steps <<'SCRIPT'
:scaling vetclinic-001/BookingService
:save-screen scaling-wide.screen
:save-slots scaling-wide.slots
SCRIPT
run_tui
assert_screen scaling-wide.screen
assert_screen scaling-wide.slots

export NO_COLOR=1 TERM=xterm COLUMNS=80 LINES=24 LANG=C LC_ALL=C
steps <<'SCRIPT'
:scaling happytails-004/BookingService
:save-screen scaling-langc.screen
SCRIPT
run_tui
assert_screen scaling-langc.screen
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$tmp/scaling-langc.screen"; then
	echo "FAIL: $name: non-ASCII text on the screen under LANG=C"
	failures=$((failures + 1))
fi

export LANG=C.UTF-8 LC_ALL=C.UTF-8
steps <<'SCRIPT'
:scaling happytails-004/NoSuchModule
:save-screen scaling-error.screen
SCRIPT
run_tui
assert_screen scaling-error.screen
assert_grep '^cannot load the scaling history of happytails-004/NoSuchModule' scaling-error.screen
finish
