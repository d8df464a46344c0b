# A pair-review session on a real pty against a git fixture repository made here: the
# blueprint changed in the working tree is reviewed from the workbench (d), the three modes
# (m), side-by-side after the window grows to 140 columns, the artifacts of both versions (a),
# and back; the terminal is restored on quit.
. "$(dirname "$0")/lib.sh"
(
	cd "$ws"
	git init -q -b main .
	git add .
	git -c user.name=Fixture -c user.email=fixture@example.com commit -q -m v1
	sed -i 's/maxReplicas: 4/maxReplicas: 8/' blueprints/orders.yaml
) || exit 1
start 80 24
wait_for 'Findings:'
keys j j
wait_for 'workbench › Orders'
keys d
wait_for 'unified — 1 file +1 -1 — HEAD..WORKTREE blueprints/orders.yaml'
wait_for '19    -  maxReplicas: 4'
wait_for '   19 +  maxReplicas: 8'
keys m
wait_for 'side-by-side needs 100 columns: showing unified'
keys m
wait_for '  ~ scaling.maxReplicas: 4 → 8'
keys m m
$T resize-window -t t -x 140 -y 30
wait_for 'side-by-side — 1 file +1 -1'
wait_for '| 19   maxReplicas: 8'
keys a
wait_for 'side-by-side — 3 files +8 -8 — artifacts default/no-tenant/no-env'
wait_for '* maxReplicas 4 → 8'
keys G
wait_for 'unchanged files (u shows them)'
assert_width 140
keys q
wait_for 'Findings:'
keys Q
wait_exit
finish
