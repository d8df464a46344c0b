# A change made by another program while the TUI waits for a key is seen through inotify and
# re-linted without a keypress, including an editor-style write-to-temp-and-rename.
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
keys Q
wait_exit
finish
