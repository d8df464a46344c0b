# `csf-tui --context NAME` (the bastion start): the tenants view opens over the workbench, the
# unreachable cluster is reported where the tenants would be, the token never reaches the
# screen, and Esc goes back to the workbench.
. "$(dirname "$0")/lib.sh"
cat > "$tmp/kubeconfig" <<'KC'
apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: { server: "https://127.0.0.1:1" }
- name: c2
  cluster: { server: "https://127.0.0.1:2" }
contexts:
- name: prod-eu
  context: { cluster: c1, user: u1 }
- name: staging
  context: { cluster: c2, user: u1 }
users:
- name: u1
  user: { token: "tok-4f8a9c2e-never-shown" }
current-context: staging
KC
export KUBECONFIG="$tmp/kubeconfig"
steps <<'SCRIPT'
:save-screen context-tenants.screen
<Esc>
:save-screen context-back.screen
SCRIPT
run_tui --context prod-eu
assert_grep 'workbench › .* › tenants' context-tenants.screen
assert_grep 'cannot load the tenants' context-tenants.screen
assert_grep '127.0.0.1:1/' context-tenants.screen
assert_no_grep '127.0.0.1:2/' context-tenants.screen
assert_no_grep 'tok-4f8a9c2e' context-tenants.screen
assert_no_grep 'tok-4f8a9c2e' trace
assert_grep 'Blueprints' context-back.screen
assert_no_grep 'tenants.*EDITION' context-back.screen
finish
