# e runs $EDITOR +LINE FILE (curses suspended and restored); the edit is seen by inotify and the
# workspace is re-linted without a key: the new line and the new finding count appear.
. "$(dirname "$0")/lib.sh"
cat > "$tmp/editor" <<'ED'
#!/bin/sh
# A scripted editor: records its arguments and fixes the event name in place.
echo "$@" > "$(dirname "$2")/../../editor-args"
sed -i 's/- OrderPlaced$/- OrderPlaced.v1  # edited/' "$2"
ED
chmod +x "$tmp/editor"
export EDITOR="$tmp/editor"
steps <<'SCRIPT'
jj<Tab>
G
e
:sleep 600
:save-screen edit-relinted.screen
SCRIPT
run_tui
assert_screen edit-relinted.screen
assert_grep "^+39 .*/blueprints/orders.yaml$" editor-args "the editor did not get +LINE FILE"
assert_grep "^lint: run 2:" trace "no re-lint after the edit"
assert_grep "^watch: workspace changed" trace "inotify did not see the edit"
finish
