# e opens $EDITOR at the line on the real terminal (curses suspended), a scripted editor
# changes the file and exits, and the findings update through inotify without another key.
. "$(dirname "$0")/lib.sh"
cat > "$tmp/editor" <<'ED'
#!/bin/sh
echo "editor got: $*"
sed -i 's/- OrderPlaced$/- OrderPlaced.v1  # probe-edit/' "$2"
sleep 0.3
ED
chmod +x "$tmp/editor"
RUN_ENV="EDITOR=$tmp/editor" start 80 24
wait_for 'lint: 4 errors, 2 warnings'
keys j j Tab G
wait_for '39/39'
keys e
wait_for 'lint: 3 errors, 2 warnings'
assert_screen_has '39     - OrderPlaced.v1  # probe-edit'
assert_screen_has 'Findings: 2 errors, 2 warnings'
assert_screen_lacks 'editor got:'
keys Q
wait_exit
finish
