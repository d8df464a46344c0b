# The vim and emacs keymaps: gg / ZZ, and <C-n> / <Esc>> / <C-x><C-c> (multi-key sequences).
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
G
g
:save-screen vim-g-waits.screen
g
:save-screen vim-gg.screen
ZZ
:save-screen never.screen
SCRIPT
run_tui --keymap vim
assert_screen vim-g-waits.screen
assert_screen vim-gg.screen
[ ! -e "$tmp/never.screen" ] || { echo "FAIL: $name: ZZ did not quit"; failures=$((failures + 1)); }
steps <<'SCRIPT'
<C-n><C-n>
:save-screen emacs-c-n.screen
<Esc>>
:save-screen emacs-last.screen
<C-x>
:save-screen emacs-c-x-waits.screen
<C-c>
:save-screen never.screen
SCRIPT
run_tui --keymap emacs
assert_screen emacs-c-n.screen
assert_screen emacs-last.screen
assert_screen emacs-c-x-waits.screen
[ ! -e "$tmp/never.screen" ] || { echo "FAIL: $name: <C-x><C-c> did not quit"; failures=$((failures + 1)); }
finish
