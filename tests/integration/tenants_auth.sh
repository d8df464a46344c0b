#!/bin/sh
# `csf-tui --headless tenants` against the HTTPS Kubernetes API stub with every kubeconfig
# authentication kind: token, tokenFile, client certificate (data and file paths), exec plugin
# (v1 token, v1beta1 client certificate), plus the $KUBECONFIG merge and --context. TLS is
# verified against the CA from the kubeconfig; without it the connection is refused. The output
# must equal the offline snapshot's (same data, other transport); secrets never show up.
. "$CSF_TOP/tests/integration/lib-cluster.sh"

mkpki "$tmp/pki"
start_stub api --token s3cr3t-token --token exec-t0ken-42 --max-page 2 --log "$tmp/stub-requests.log"

# The reference: the same recorded cluster read offline (without its GitOps copy: a live
# source here has no desired state, so no drift placeholders).
cp -r "$top/samples/cluster" "$tmp/snap" && rm -rf "$tmp/snap/gitops"
run "$tmp/want.json" "$tmp/want.err" --headless tenants --snapshot "$tmp/snap" --format json
[ $rc -eq 0 ] || { cat "$tmp/want.err"; fail "offline tenants"; }
norm() { jq -S '.tenants' "$1"; }
norm "$tmp/want.json" > "$tmp/want.norm"

check() {
	label=$1; shift
	run "$tmp/out.json" "$tmp/out.err" --headless tenants --format json "$@"
	[ $rc -eq 0 ] || { cat "$tmp/out.err"; fail "$label: exit $rc"; }
	norm "$tmp/out.json" | diff -u "$tmp/want.norm" - >"$tmp/diff" || { head -40 "$tmp/diff"; fail "$label: tenants differ from the snapshot"; }
	jq -e '.source | startswith("context ")' "$tmp/out.json" >/dev/null || fail "$label: not a live source"
	if grep -q 's3cr3t-token\|exec-t0ken-42' "$tmp/out.json" "$tmp/out.err"; then fail "$label: a token was printed"; fi
	echo "ok: $label"
}

# 1. token
kubeconfig "$tmp/kc-token" "$url_api" "    token: s3cr3t-token"
KUBECONFIG="$tmp/kc-token" check "token"

# 2. tokenFile (relative to the kubeconfig's folder), with surrounding whitespace
mkdir -p "$tmp/kcdir"
printf '  s3cr3t-token\n' > "$tmp/kcdir/token"
kubeconfig "$tmp/kcdir/config" "$url_api" "    tokenFile: token"
KUBECONFIG="$tmp/kcdir/config" check "tokenFile"

# 3. client certificate and key as data
kubeconfig "$tmp/kc-cert" "$url_api" "    client-certificate-data: $(b64 "$tmp/pki/client.crt")
    client-key-data: $(b64 "$tmp/pki/client.key")"
KUBECONFIG="$tmp/kc-cert" check "client-certificate-data"
grep -q 'auth=cert' "$tmp/stub-requests.log" || fail "the stub saw no client certificate"

# 4. client certificate and key as file paths, CA as a file path
cat > "$tmp/kc-certfile" <<KC
apiVersion: v1
kind: Config
current-context: stub
clusters:
- name: stub
  cluster: {server: "$url_api", certificate-authority: pki/ca.crt}
contexts:
- name: stub
  context: {cluster: stub, user: u}
users:
- name: u
  user: {client-certificate: pki/client.crt, client-key: pki/client.key}
KC
KUBECONFIG="$tmp/kc-certfile" check "client-certificate file"

# 5. exec plugin, client.authentication.k8s.io/v1, token; env and args are passed
cat > "$tmp/plugin.sh" <<'PL'
#!/bin/sh
[ "$1" = "--cluster" ] && [ "$2" = "prod" ] || { echo "bad args: $*" >&2; exit 3; }
[ "$PLUGIN_PROFILE" = "prod" ] || { echo "env not passed" >&2; exit 4; }
case $KUBERNETES_EXEC_INFO in
*'"interactive":false'*) ;;
*) echo "no KUBERNETES_EXEC_INFO" >&2; exit 5 ;;
esac
echo "$KUBERNETES_EXEC_INFO" > "$(dirname "$0")/exec-info.json"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-t0ken-42","expirationTimestamp":"2099-01-01T00:00:00Z"}}\n'
PL
chmod +x "$tmp/plugin.sh"
kubeconfig "$tmp/kc-exec" "$url_api" "    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./plugin.sh
      args: [--cluster, prod]
      env: [{name: PLUGIN_PROFILE, value: prod}]
      interactiveMode: Never"
KUBECONFIG="$tmp/kc-exec" check "exec plugin (v1, token)"
jq -e '.kind == "ExecCredential" and .apiVersion == "client.authentication.k8s.io/v1"' "$tmp/exec-info.json" >/dev/null ||
	fail "KUBERNETES_EXEC_INFO content"

# 6. exec plugin, v1beta1, client certificate (PEM text, not base64)
cat > "$tmp/plugin-cert.sh" <<PL
#!/bin/sh
jq -n --rawfile c "$tmp/pki/client.crt" --rawfile k "$tmp/pki/client.key" \
  '{apiVersion:"client.authentication.k8s.io/v1beta1",kind:"ExecCredential",status:{clientCertificateData:\$c,clientKeyData:\$k}}'
PL
chmod +x "$tmp/plugin-cert.sh"
kubeconfig "$tmp/kc-exec-cert" "$url_api" "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: $tmp/plugin-cert.sh}"
KUBECONFIG="$tmp/kc-exec-cert" check "exec plugin (v1beta1, client certificate)"

# 6b. exec credential revoked server-side: the cached token gets a 401, the plugin runs again
# (once), the request is retried with the fresh token.
cat > "$tmp/plugin-rotate.sh" <<'PL'
#!/bin/sh
d=$(dirname "$0"); n=$(cat "$d/rotate-count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$d/rotate-count"
if [ $n -eq 1 ]; then tok=revoked-token; else tok=exec-t0ken-42; fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}\n' $tok
PL
chmod +x "$tmp/plugin-rotate.sh"
kubeconfig "$tmp/kc-rotate" "$url_api" "    exec: {apiVersion: client.authentication.k8s.io/v1, command: ./plugin-rotate.sh}"
KUBECONFIG="$tmp/kc-rotate" check "exec plugin re-run after 401"
[ "$(cat "$tmp/rotate-count")" -eq 2 ] || fail "the plugin ran $(cat "$tmp/rotate-count") times, want 2"
grep -q 'revoked-token' "$tmp/out.err" && fail "revoked token printed"

# 7. $KUBECONFIG merge (a missing file is skipped, the first file wins per name) + --context
cat > "$tmp/kc-a" <<KC
apiVersion: v1
kind: Config
current-context: elsewhere
contexts:
- name: elsewhere
  context: {cluster: nowhere, user: nobody}
users:
- name: u
  user: {token: s3cr3t-token}
KC
cat > "$tmp/kc-b" <<KC
apiVersion: v1
kind: Config
clusters:
- name: stub
  cluster: {server: "$url_api", certificate-authority-data: $(b64 "$tmp/pki/ca.crt")}
contexts:
- name: stub
  context: {cluster: stub, user: u}
users:
- name: u
  user: {token: wrong-token-from-the-second-file}
KC
KUBECONFIG="$tmp/kc-a:$tmp/missing:$tmp/kc-b" check "KUBECONFIG merge + --context" --context stub

# 8. TLS is verified: a kubeconfig without the CA fails, and says it is a TLS problem.
cat > "$tmp/kc-noca" <<KC
apiVersion: v1
kind: Config
current-context: stub
clusters:
- name: stub
  cluster: {server: "$url_api"}
contexts:
- name: stub
  context: {cluster: stub, user: u}
users:
- name: u
  user: {token: s3cr3t-token}
KC
KUBECONFIG="$tmp/kc-noca" run "$tmp/out" "$tmp/err" --headless tenants
[ $rc -eq 2 ] || fail "no CA: exit $rc, want 2"
grep -q 'TLS failure' "$tmp/err" || { cat "$tmp/err"; fail "no CA: message"; }
grep -q 's3cr3t-token' "$tmp/err" "$tmp/out" && fail "no CA: token printed"

# ...and insecure-skip-tls-verify: true (only because the file says so) lets it through.
sed 's|cluster: {server: "\(.*\)"}|cluster: {server: "\1", insecure-skip-tls-verify: true}|' "$tmp/kc-noca" > "$tmp/kc-insecure"
KUBECONFIG="$tmp/kc-insecure" check "insecure-skip-tls-verify"

# tls-server-name: connect to 127.0.0.1 but verify the certificate's other name (DNS:localhost);
# a name the certificate does not carry fails verification.
kubeconfig "$tmp/kc-sni" "$url_api" "    token: s3cr3t-token"
sed -i 's|^    server: \(.*\)$|    server: \1\n    tls-server-name: localhost|' "$tmp/kc-sni"
grep -q 'tls-server-name: localhost' "$tmp/kc-sni" || fail "tls-server-name fixture"
KUBECONFIG="$tmp/kc-sni" check "tls-server-name"
sed 's|tls-server-name: localhost|tls-server-name: kubernetes.default.svc|' "$tmp/kc-sni" > "$tmp/kc-sni-bad"
KUBECONFIG="$tmp/kc-sni-bad" run "$tmp/out" "$tmp/err" --headless tenants
[ $rc -eq 2 ] || fail "wrong tls-server-name: exit $rc"
grep -q 'TLS failure' "$tmp/err" || { cat "$tmp/err"; fail "wrong tls-server-name: message"; }

# 9. A wrong token: the API's Status message, exit 2, and the token is not echoed.
kubeconfig "$tmp/kc-wrong" "$url_api" "    token: wrong-but-secret-token"
KUBECONFIG="$tmp/kc-wrong" CSF_TUI_TRACE="$tmp/trace.log" run "$tmp/out" "$tmp/err" --headless tenants
[ $rc -eq 2 ] || fail "wrong token: exit $rc"
grep -q 'Unauthorized (401)' "$tmp/err" || { cat "$tmp/err"; fail "wrong token: message"; }
grep -q 'wrong-but-secret-token' "$tmp/err" "$tmp/out" "$tmp/trace.log" && fail "wrong token: printed or logged"
grep -q 'http: GET https://127.0.0.1' "$tmp/trace.log" || fail "the trace log has no request lines"

# 10. A failing exec plugin: its exit status and first stderr line, exit 2.
printf '#!/bin/sh\necho "AWS profile prod has expired credentials" >&2\nexit 7\n' > "$tmp/plugin-bad.sh"
chmod +x "$tmp/plugin-bad.sh"
kubeconfig "$tmp/kc-exec-bad" "$url_api" "    exec: {apiVersion: client.authentication.k8s.io/v1, command: $tmp/plugin-bad.sh}"
KUBECONFIG="$tmp/kc-exec-bad" run "$tmp/out" "$tmp/err" --headless tenants
[ $rc -eq 2 ] || fail "bad plugin: exit $rc"
grep -q "failed (exit status 7): AWS profile prod has expired credentials" "$tmp/err" || { cat "$tmp/err"; fail "bad plugin: message"; }

# Paging really happened (the stub caps pages at 2 items).
grep -q 'continue=' "$tmp/stub-requests.log" || fail "no paging with continue"
echo "all authentication kinds work"
