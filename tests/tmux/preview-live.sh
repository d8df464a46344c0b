# The preview re-renders by itself when a blueprint changes on disk (another program writes it
# while the TUI waits for a key): the HPA of the selected cell shows the new bound, and the
# header keeps showing the cell.
. "$(dirname "$0")/lib.sh"
start 80 24
wait_for 'lint: 4 errors, 2 warnings'
keys : p r e v i e w Space O r d e r s Enter
wait_for 'preview › Orders'
keys / h p a Enter
wait_for 'k8s/hpa.yaml  (HorizontalPodAutoscaler'
keys Escape Tab
wait_for '  maxReplicas: 4'
keys p p
wait_for 'aws/no-tenant/no-env'
sed 's/maxReplicas: 4$/maxReplicas: 9/' "$ws/blueprints/orders.yaml" > "$ws/blueprints/.orders.tmp"
mv "$ws/blueprints/.orders.tmp" "$ws/blueprints/orders.yaml"
wait_for '  maxReplicas: 9'
assert_screen_has 'aws/no-tenant/no-env'
assert_screen_lacks '  maxReplicas: 4'
keys Q
wait_exit
finish
