# --readonly on a real pty: typed commands that write a file (:save-screen, :save-slots,
# :save-theme) are refused with the read-only message and create nothing; :new is refused too.
# (Key scripts still dump screens under --readonly: that is how the screen tests read them.)
. "$(dirname "$0")/lib.sh"
start 80 24 --readonly
wait_for 'Findings:'
wait_for 'READ-ONLY'
keys : "save-screen $tmp/out.screen" Enter
wait_for "read-only mode: writing a file is disabled (started with --readonly)"
keys : "save-slots $tmp/out.slots" Enter
keys : "save-theme $tmp/out.theme" Enter
# Commands run in order: once :new has answered, the saves before it have run.
keys : 'new Sneaky' Enter
wait_for 'read-only mode: creating a blueprint is disabled'
for f in out.screen out.slots out.theme; do
	[ ! -e "$tmp/$f" ] || { echo "FAIL: $name: $f was written under --readonly"; failures=$((failures + 1)); }
done
[ ! -e "$ws/blueprints/sneaky.yaml" ] || { echo "FAIL: $name: :new wrote a blueprint"; failures=$((failures + 1)); }
keys Q
wait_exit
finish
