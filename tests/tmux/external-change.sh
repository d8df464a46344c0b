# A change made by another program while the TUI waits for a key is seen through inotify and
# re-linted without a keypress, including an editor-style write-to-temp-and-rename, a folder
# moved away and back, and a workspace folder (editions/) created after the start.
. "$(dirname "$0")/lib.sh"
start 80 24
wait_for 'lint: 4 errors, 2 warnings'
keys j j
wait_for 'workbench › Orders'
sed 's/- OrderPlaced$/- OrderPlaced.v1/' "$ws/blueprints/orders.yaml" > "$ws/blueprints/.orders.tmp"
mv "$ws/blueprints/.orders.tmp" "$ws/blueprints/orders.yaml"
wait_for 'lint: 3 errors, 2 warnings'
assert_screen_has 'Orders                2E 2W'
printf 'apiVersion: csf/v1\nkind: Blueprint\nmodule: Extra\nversion: 1.0.0\nruntime: [\n' > "$ws/blueprints/extra.yaml"
wait_for 'blueprints/extra.yaml'
wait_for 'lint: 4 errors, 2 warnings'
# The whole blueprints/ folder moved away: its findings go; moved back: they return.
mv "$ws/blueprints" "$ws/blueprints.away"
wait_for 'lint: 0 errors, 0 warnings'
mv "$ws/blueprints.away" "$ws/blueprints"
wait_for 'lint: 4 errors, 2 warnings'
# editions/ did not exist at the start: created later, a change in it is still seen.
relints() { grep -c 'watch: workspace changed' "$tmp/trace" 2>/dev/null || true; }
n0=$(relints)
mkdir "$ws/editions"
i=0
while [ "$(relints)" -le "$n0" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || { echo "FAIL: $name: creating editions/ was not noticed"; exit 1; }
	sleep 0.05
done
printf 'apiVersion: csf/v1\nkind: Edition\nname: gold\nfeatures: [A]\n' > "$ws/editions/gold.yaml"
wait_for '  gold'
keys Q
wait_exit
finish
