#!/bin/sh
# The Kubernetes API stub is checked once with the real client (formats.md §6): kubectl 1.32 must
# read the stub's namespaces, deployments, HPAs and events over TLS with the test CA, page with
# --chunk-size through `continue`, reject a wrong token, and print the server's BadRequest for an
# unsupported field selector. A stub that drifts from what a real API server sends fails here.
. "$CSF_TOP/tests/integration/lib-cluster.sh"

mkpki "$tmp/pki"
start_stub api --token s3cr3t-token --max-page 2 --log "$tmp/requests.log"
kubeconfig "$tmp/kc" "$url_api" "    token: s3cr3t-token"
k() { timeout 20 kubectl --kubeconfig "$tmp/kc" "$@"; }

k get ns -l csf.connectsoft.io/tenant -o name > "$tmp/ns" 2>"$tmp/err" || { cat "$tmp/err"; fail "kubectl get ns"; }
printf 'namespace/happytails-004\nnamespace/northvet-003\nnamespace/pawsandclaws-002\nnamespace/vetclinic-001\n' > "$tmp/ns.want"
sort "$tmp/ns" | diff -u "$tmp/ns.want" - || fail "kubectl sees other tenant namespaces"

# The label selector is applied server side: system namespaces are not tenants.
k get ns -o name > "$tmp/all" 2>"$tmp/err" || { cat "$tmp/err"; fail "kubectl get ns (all)"; }
grep -qx namespace/kube-system "$tmp/all" || fail "kube-system missing from the unfiltered list"

k get deploy -n vetclinic-001 -o custom-columns=NAME:.metadata.name,READY:.status.readyReplicas,IMAGE:.spec.template.spec.containers[0].image \
	> "$tmp/deploy" 2>"$tmp/err" || { cat "$tmp/err"; fail "kubectl get deploy"; }
grep -q '^booking-service  *4  *registry.vetclinic.example/platform/booking-service:1.2.3' "$tmp/deploy" || { cat "$tmp/deploy"; fail "deployment columns"; }
# omitempty: a Deployment scaled to zero has no readyReplicas at all.
grep -q '^records-import  *<none>' "$tmp/deploy" || { cat "$tmp/deploy"; fail "records-import should show <none> ready"; }

k get hpa -n vetclinic-001 -o custom-columns=NAME:.metadata.name,MIN:.spec.minReplicas,MAX:.spec.maxReplicas,CUR:.status.currentReplicas \
	> "$tmp/hpa" 2>"$tmp/err" || { cat "$tmp/err"; fail "kubectl get hpa"; }
grep -q '^keda-hpa-records-import  *1  *20  *<none>' "$tmp/hpa" || { cat "$tmp/hpa"; fail "KEDA HPA at zero must have no currentReplicas"; }
grep -q '^clinic-portal  *4  *12  *4' "$tmp/hpa" || { cat "$tmp/hpa"; fail "clinic-portal HPA"; }

# Paging: one object per page through `continue` gives the same list.
k get deploy -A --chunk-size=1 -o name > "$tmp/paged" 2>"$tmp/err" || { cat "$tmp/err"; fail "kubectl paging"; }
[ "$(wc -l < "$tmp/paged")" -eq 13 ] || { cat "$tmp/paged"; fail "paged deployment count"; }
[ "$(grep -c "GET /apis/apps/v1/deployments?.*continue=" "$tmp/requests.log")" -eq 12 ] || fail "kubectl did not page through continue (13 items, 1 per page)"

k get events -n vetclinic-001 --field-selector involvedObject.kind=HorizontalPodAutoscaler,reason=FailedGetResourceMetric -o name \
	> "$tmp/ev" 2>"$tmp/err" || { cat "$tmp/err"; fail "kubectl get events with field selector"; }
[ "$(wc -l < "$tmp/ev")" -eq 1 ] || { cat "$tmp/ev"; fail "field-selected events"; }

# A field the Event whitelist does not have: kubectl prints the server's BadRequest.
if k get events -n vetclinic-001 --field-selector spec.foo=bar >"$tmp/out" 2>"$tmp/err"; then fail "bad field selector accepted"; fi
grep -q 'field label not supported: spec.foo' "$tmp/err" || { cat "$tmp/err"; fail "BadRequest message"; }

# Wrong token → Unauthorized.
kubeconfig "$tmp/kc-bad" "$url_api" "    token: wrong-token"
if timeout 20 kubectl --kubeconfig "$tmp/kc-bad" get ns >"$tmp/out" 2>"$tmp/err"; then fail "wrong token accepted"; fi
grep -qi 'unauthorized' "$tmp/err" || { cat "$tmp/err"; fail "no Unauthorized from kubectl"; }
echo "kubectl agrees with the stub"
