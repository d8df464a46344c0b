# The preview view on the samples workspace (every family: container, k8s, mesh, gateway,
# events, functions, iac/<provider>, release): the tree, file content, provider cycling (p),
# tenant and environment cycling (t, v) with the cell in the header, the provenance of the
# value under the cursor (maxReplicas set by the tenant file), the matrix (M, Enter picks a cell), w writing
# the cell into a folder, and c … c comparing two cells in the diff view.
. "$(dirname "$0")/lib.sh"
cp -R "$top/samples" "$tmp/samples"
ws=$tmp/samples
steps <<'SCRIPT'
:preview BookingService
:save-screen preview-first.screen
z
:save-screen preview-tree.screen
G
:save-screen preview-tree-end.screen
z
p
p
:save-screen preview-aws.screen
p
:save-screen preview-gcp.screen
t
v
v
v
:save-screen preview-tenant-env.screen
:tenant vetclinic-001
/scaledobject
<Enter>
:search-clear
<Tab>
/maxReplicaCount
<Enter>
:search-clear
z
:save-screen preview-provenance.screen
z
<S-Tab>
M
:save-screen preview-matrix.screen
jjjjj
<Enter>
:save-screen preview-matrix-picked.screen
w
out/cell
<Enter>
:save-screen preview-written.screen
c
p
c
:save-screen preview-compare.screen
q
:preview LabResultsIngest
z
G
:save-screen preview-function.screen
SCRIPT
run_tui
for s in first tree tree-end aws gcp tenant-env provenance matrix matrix-picked written compare \
	function; do
	assert_screen preview-$s.screen
done
# An unknown blueprint: the error names the view once, from the workbench and from the preview.
steps <<'SCRIPT'
:preview Nope
:save-screen preview-unknown.screen
:preview BookingService
:preview Nope
:save-screen preview-unknown-again.screen
SCRIPT
run_tui
assert_grep "preview: no blueprint 'Nope'" preview-unknown.screen
assert_no_grep 'preview: preview:' preview-unknown.screen "the preview: prefix is doubled"
assert_grep "preview: no blueprint 'Nope'" preview-unknown-again.screen
assert_no_grep 'preview: preview:' preview-unknown-again.screen "the preview: prefix is doubled"
# The cell was written, whole and inside the folder.
[ -f "$tmp/out/cell/k8s/deployment.yaml" ] || { echo "FAIL: $name: cell not written"; failures=$((failures + 1)); }
n=$(find "$tmp/out/cell" -type f | wc -l)
[ "$n" -ge 15 ] || { echo "FAIL: $name: only $n files written"; failures=$((failures + 1)); }
[ -z "$(find "$tmp/out" -name '.*tmp*')" ] || { echo "FAIL: $name: temp files left"; failures=$((failures + 1)); }
finish
