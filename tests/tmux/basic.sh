# 80x24 on a real pty: the first screen, moving, the : command line with Tab completion, help,
# and Q restores the terminal (modes and the shell's screen).
. "$(dirname "$0")/lib.sh"
start 80 24
wait_for 'Findings:'
wait_for 'lint: 4 errors, 2 warnings'
assert_screen_has ' csf-tui › workbench › blueprints/broken.yaml'
assert_screen_has 'Orders                3E 2W│'
keys j j
wait_for 'workbench › Orders'
keys : b l u Tab
wait_for ':blueprint'
keys I n v Tab Enter
wait_for 'workbench › Inventory'
keys '?'
wait_for 'Keys in the workbench view'
keys q
wait_gone 'Keys in the workbench view'
keys Q
wait_exit
finish
