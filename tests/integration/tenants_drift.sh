#!/bin/sh
# Drift on a live cluster (the HTTPS Kubernetes API stub): desired state from (1) a fresh render
# of the workspace's blueprints when there is no GitOps repository, and (2) a bare GitOps git
# repository's branch tip (environments/production/TENANT/MODULE/k8s/*.yaml), which wins over
# rendering. Each difference names the field, both values and where the desired value came from.
. "$CSF_TOP/tests/integration/lib-cluster.sh"

mkpki "$tmp/pki"
start_stub api --token s3cr3t-token
kubeconfig "$tmp/kc" "$url_api" "    token: s3cr3t-token"
mkdir -p "$tmp/ws"
for d in blueprints tenants editions environments; do cp -r "$top/samples/$d" "$tmp/ws/"; done
cat > "$tmp/ws/csf.yaml" <<Y
apiVersion: csf/v1
kind: Workspace
name: drift-test
gitops: $tmp/gitops.git
cluster:
  kubeconfig: $tmp/kc
Y

# 1. No repository yet: a fresh render of every blueprint for every tenant.
run "$tmp/r.json" "$tmp/r.err" --headless --workspace "$tmp/ws" tenants --format json
[ $rc -eq 0 ] || { cat "$tmp/r.err"; fail "render drift: exit $rc"; }
jq -e '.desiredState | startswith("a fresh render of workspace ")' "$tmp/r.json" >/dev/null || fail "render: desiredState"
jq -e '.driftChecked' "$tmp/r.json" >/dev/null || fail "render: drift not checked"
# pawsandclaws-002's ClinicPortal HPA runs max 8; the blueprint renders 12 for production
# (replicasFactor 2), with the rendered file as the source.
jq -e '.tenants[] | select(.tenant == "pawsandclaws-002") | .modules[] | select(.name == "clinic-portal")
	| .drift[] | select(.kind == "HorizontalPodAutoscaler" and .field == "spec.maxReplicas")
	| .live == "8" and .desired == "12" and (.source | startswith("render:pawsandclaws-002/ClinicPortal/k8s/hpa.yaml:"))' \
	"$tmp/r.json" | grep -qx true || { jq '.tenants[2].modules' "$tmp/r.json"; fail "render: maxReplicas drift"; }
# Where the recorded cluster matches the blueprints, there is no drift (vetclinic-001's
# BookingService ScaledObject: 4..40 both).
jq -e '[.tenants[] | select(.tenant == "vetclinic-001") | .modules[] | select(.name == "booking-service")
	| .drift[] | select(.kind == "ScaledObject")] | length == 0' "$tmp/r.json" >/dev/null || fail "render: spurious ScaledObject drift"
# Modules the blueprints define and the cluster lacks show up as missing.
jq -e '[.tenants[] | .modules[] | select(.healthReason == "missing from the cluster")] | length > 0' "$tmp/r.json" >/dev/null ||
	fail "render: no missing module"

# 2. A bare GitOps repository holding the snapshot's desired state for vetclinic-001.
git init -q --bare -b main "$tmp/gitops.git"
git init -q -b main "$tmp/clone"
mkdir -p "$tmp/clone/environments/production"
cp -r "$top/samples/cluster/gitops/environments/production/vetclinic-001" "$tmp/clone/environments/production/"
(cd "$tmp/clone" && git add . && git -c user.name=t -c user.email=t@example.com commit -q -m desired &&
 git push -q "$tmp/gitops.git" main) || fail "preparing the GitOps repository"
run "$tmp/g.json" "$tmp/g.err" --headless --workspace "$tmp/ws" tenants --format json
[ $rc -eq 0 ] || { cat "$tmp/g.err"; fail "git drift: exit $rc"; }
jq -e '.desiredState | startswith("GitOps repository ")' "$tmp/g.json" >/dev/null || { jq .desiredState "$tmp/g.json"; fail "git: desiredState"; }
jq -e '.tenants[] | select(.tenant == "vetclinic-001") | .modules[] | select(.name == "booking-service")
	| .drift[] | select(.field == "image") | .desired == "registry.vetclinic.example/platform/booking-service:1.2.4"
	and .live == "registry.vetclinic.example/platform/booking-service:1.2.3" and (.source | test("@[0-9a-f]{12}:environments/production/vetclinic-001/BookingService/k8s/deployment.yaml:[0-9]+$"))' \
	"$tmp/g.json" | grep -qx true || fail "git: image drift"
# Only vetclinic-001 is in the repository: other tenants have no drift.
jq -e '[.tenants[] | select(.tenant != "vetclinic-001") | .drift] | add == 0' "$tmp/g.json" >/dev/null || fail "git: drift outside the repository's tenants"
run "$tmp/g.txt" "$tmp/g.err" --headless --workspace "$tmp/ws" tenants
grep -q '^desired state: GitOps repository ' "$tmp/g.txt" || fail "git: text header"
grep -q 'drift: Deployment/booking-service image: desired registry.vetclinic.example/platform/booking-service:1.2.4, live registry.vetclinic.example/platform/booking-service:1.2.3' "$tmp/g.txt" ||
	fail "git: text drift line"
echo "drift from render and from git: ok"
