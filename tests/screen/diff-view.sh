# The diff view on a git fixture repository made here: a blueprint changed in the working tree,
# reviewed from the workbench (d) in its three modes (m), at 80x24 (side-by-side falls back to
# unified) and 160x30, hunk navigation, folding, the artifacts of both versions with the
# unchanged files collapsed, a revision range typed as :diff, search, and the word highlights
# in the colour slots. Mono unless stated: every change reads without colour.
. "$(dirname "$0")/lib.sh"
(
	cd "$ws"
	git init -q -b main .
	git add .
	GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
		git -c user.name=Fixture -c user.email=fixture@example.com commit -q -m "workspace v1"
	sed -i 's/^version: 1.0.0/version: 1.1.0/; s/maxReplicas: 4/maxReplicas: 8/' blueprints/orders.yaml
	sed -i 's/^    REGION: eu-west$/    REGION: eu-west-1\n    LOG_LEVEL: debug/' blueprints/orders.yaml
	git add blueprints/orders.yaml
	sed -i 's/^  port: 3000/  port: 3001/' blueprints/orders.yaml
) || exit 1
steps <<'SCRIPT'
jj
d
:save-screen diff-unified.screen
m
:save-screen diff-side-80.screen
m
:save-screen diff-semantic.screen
m
]
]
]
:save-screen diff-next-hunk.screen
[
:save-screen diff-prev-hunk.screen
g
]
<Enter>
:save-screen diff-folded.screen
<Enter>
a
:save-screen diff-artifacts.screen
u
:save-screen diff-artifacts-unchanged.screen
a
:review HEAD..INDEX ws/blueprints/orders.yaml
:save-screen diff-head-index.screen
R
:save-screen diff-picker.screen
jj
<Enter>
g
<Enter>
:save-screen diff-picked.screen
:diff --cells aws/acme-001/dev..gcp/acme-001/production ws/blueprints/orders.yaml
:save-screen diff-cells.screen
:diff HEAD..INDEX ws/blueprints/orders.yaml
/maxReplicas
<Enter>
:save-screen diff-search.screen
<Esc>
:resize 160x30
m
:save-screen diff-side-wide.screen
SCRIPT
run_tui
for s in unified side-80 semantic next-hunk prev-hunk folded artifacts artifacts-unchanged \
	head-index picker picked cells search side-wide; do
	assert_screen diff-$s.screen
done
# The word-level highlight, in colour: the changed words use their own slot.
colour
steps <<'SCRIPT'
jj
d
:save-slots diff-words.slots
SCRIPT
run_tui
assert_screen diff-words.slots
finish
