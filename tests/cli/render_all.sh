# render --all: the matrix streams into DIR/<provider>/<environment>/<tenant>/<module>/,
# filters narrow it, a second run from another working directory is byte-identical and
# rewrites nothing, and files the render does not produce are left alone.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
fx="$CSF_TOP/tests/fixtures/render/ws"
out="$cli_tmp/out"
mkdir -p "$out/azure/dev/acme-001/OrdersApi"
echo keep >"$out/NOTES.md"
echo mine >"$out/azure/dev/acme-001/OrdersApi/local-notes.txt"
golden render-empty 0 --workspace "$fx" render --all --out "$out"
stderr_has "36 cells, [0-9]+ files \([0-9]+ written, 0 unchanged, 0 stale removed\)"
cells=$(find "$out" -name release.yaml | wc -l | tr -d ' ')
[ "$cells" = 36 ] || fail "expected 36 cells (3 modules x 3 providers x 2 tenants x 2 envs), got $cells"
for d in azure/dev/acme-001/OrdersApi aws/production/bolt-002/StockWorker gcp/dev/acme-001/StockWorker; do
	[ -f "$out/$d/k8s/kustomization.yaml" ] || fail "$d: no kustomization"
done
[ -x "$out/aws/dev/acme-001/OrdersApi/entrypoint.sh" ] || fail "entrypoint.sh is not executable"
[ "$(cat "$out/NOTES.md")" = keep ] || fail "an unrelated file in DIR was changed"
[ "$(cat "$out/azure/dev/acme-001/OrdersApi/local-notes.txt")" = mine ] || fail "an unrelated file in a cell was changed"
[ -z "$(find "$out" -name '*.csf-tmp.*' -o -name '.csf-render-probe*')" ] || fail "temp files left behind"

# Again, from another working directory: identical bytes, nothing rewritten.
cp -R "$out" "$cli_tmp/first"
(cd / && "$CSF_TUI" --headless --workspace "$fx" render --all --out "$out") 2>"$cli_err" || fail "second run failed"
stderr_has "36 cells, ([0-9]+) files \(0 written, [0-9]+ unchanged, 0 stale removed\)"
diff -r "$cli_tmp/first" "$out" >/dev/null || fail "second run differs from the first"

# Filters: one module, one provider, one environment (alias accepted) -> 2 tenants.
golden render-empty 0 --workspace "$fx" render StockWorker --all --provider aws --env prod --out "$cli_tmp/f"
n=$(find "$cli_tmp/f" -name release.yaml | wc -l | tr -d ' ')
[ "$n" = 2 ] || fail "filtered matrix: expected 2 cells, got $n"
[ -d "$cli_tmp/f/aws/production/bolt-002/StockWorker" ] || fail "filtered matrix: wrong folder layout"

# A changed blueprint: what the earlier render produced and this one does not is removed (the
# HPA gives way to a ScaledObject); the user's own file in the cell stays.
cp -R "$fx" "$cli_tmp/ws2"
cell="$cli_tmp/o2/azure/dev/acme-001/OrdersApi"
"$CSF_TUI" --headless --workspace "$cli_tmp/ws2" render OrdersApi --tenant acme-001 --env dev --out "$cli_tmp/o2" 2>/dev/null ||
	fail "render into o2 failed"
echo mine >"$cell/k8s/my-extra.yaml"
[ -f "$cell/k8s/hpa.yaml" ] || fail "no hpa.yaml before the change"
sed -i 's/^  mode: cpu$/  mode: eventDriven/' "$cli_tmp/ws2/blueprints/orders-api.yaml"
"$CSF_TUI" --headless --workspace "$cli_tmp/ws2" render OrdersApi --tenant acme-001 --env dev --out "$cli_tmp/o2" 2>"$cli_err" ||
	fail "re-render into o2 failed"
stderr_has "1 stale removed"
[ ! -e "$cell/k8s/hpa.yaml" ] || fail "stale hpa.yaml was kept"
[ -f "$cell/k8s/scaledobject.yaml" ] || fail "no scaledobject.yaml after the change"
[ "$(cat "$cell/k8s/my-extra.yaml")" = mine ] || fail "the user's file in the cell was touched"

# Two blueprints of one module, or two files of one tenant, would write the same folder: the
# first is rendered, the later one is refused by name (exit 1), nothing is overwritten.
cp -R "$fx" "$cli_tmp/ws3"
sed 's/^version: .*/version: 9.9.9/' "$cli_tmp/ws3/blueprints/orders-api.yaml" >"$cli_tmp/ws3/blueprints/zz-orders-api.yaml"
cp "$cli_tmp/ws3/tenants/acme-001.yaml" "$cli_tmp/ws3/tenants/zz-acme-001.yaml"
golden render-empty 1 --workspace "$cli_tmp/ws3" render --all --provider aws --env dev --out "$cli_tmp/o3"
stderr_has "aws/dev/acme-001/OrdersApi: refused: module OrdersApi is declared twice \\(.*/blueprints/orders-api.yaml, rendered; .*/blueprints/zz-orders-api.yaml, refused\\)"
stderr_has "refused: tenant acme-001 is declared twice \\(.*/tenants/acme-001.yaml, rendered; .*/tenants/zz-acme-001.yaml, refused\\)"
grep -q '^version: "2\.4\.1"$' "$cli_tmp/o3/aws/dev/acme-001/OrdersApi/release.yaml" ||
	fail "the second OrdersApi blueprint overwrote the first"
finish
