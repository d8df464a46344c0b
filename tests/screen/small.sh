# Below the minimum size a notice replaces the screen (no crash); growing back restores it.
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
:resize 40x10
:save-screen small-notice.screen
j
:resize 20x5
:save-screen small-tiny.screen
:resize 80x24
:save-screen small-restored.screen
:resize 1x1
SCRIPT
run_tui
assert_screen small-notice.screen
assert_screen small-tiny.screen
assert_screen small-restored.screen
finish
