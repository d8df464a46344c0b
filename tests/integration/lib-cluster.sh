# Shared by the cluster integration tests (sourced; not a test itself).
# Needs: $CSF_TUI (the binary), $CSF_TOP (repo root), openssl, node, prometheus, promtool.
set -u
top=${CSF_TOP:-$(pwd)}
bin=${CSF_TUI:-$top/build/csf-tui}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/csf-it.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
export HOME="$tmp/home" TZ=UTC LANG=C.UTF-8
unset KUBECONFIG CSF_TUI_TRACE
mkdir -p "$HOME"

fail() { echo "FAIL: $*" >&2; exit 1; }

# Runs the binary with a hard time limit (a hang fails the test): run OUT ERR args…; sets rc.
run() {
	out=$1; err=$2; shift 2
	timeout 20 "$bin" "$@" >"$out" 2>"$err"
	rc=$?
	[ "$rc" -ne 124 ] || fail "csf-tui hung (killed after 20 s): $*"
}

# A test PKI: CA, server certificate for 127.0.0.1/localhost, client certificate (formats.md §6).
mkpki() {
	d=$1; mkdir -p "$d"
	(cd "$d" &&
	 openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj /CN=csf-test-ca &&
	 openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=kube-apiserver &&
	 printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext &&
	 openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 3650 -extfile server.ext &&
	 openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /O=system:masters/CN=csf-tui &&
	 printf 'extendedKeyUsage=clientAuth\n' > client.ext &&
	 openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 3650 -extfile client.ext
	) >"$d/openssl.log" 2>&1 || { cat "$d/openssl.log"; fail "openssl could not make the test PKI"; }
}

b64() { base64 -w0 < "$1"; }

# start_stub NAME [stub args…]: starts the Kubernetes API stub on a free port; sets url_NAME.
start_stub() {
	name=$1; shift
	node "$top/tests/integration/stubs/k8s_stub.js" --dir "$top/samples/cluster" \
		--cert "$tmp/pki/server.crt" --key "$tmp/pki/server.key" --ca "$tmp/pki/ca.crt" \
		--port 0 "$@" >"$tmp/stub-$name.out" 2>"$tmp/stub-$name.err" &
	pid=$!; pids="$pids $pid"
	i=0
	until grep -q '^listening' "$tmp/stub-$name.out" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 200 ] || { cat "$tmp/stub-$name.err"; fail "stub $name did not start"; }
		kill -0 $pid 2>/dev/null || { cat "$tmp/stub-$name.err"; fail "stub $name exited"; }
		sleep 0.05
	done
	eval "url_$name=\$(sed -n 's/^listening //p' \"\$tmp/stub-\$name.out\")"
}

# A port nobody listens on (bound then released by the kernel's choice).
free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# start_prometheus DIR: a real Prometheus over the TSDB in DIR on a free port; sets prom_url.
start_prometheus() {
	data=$1
	printf 'global: {scrape_interval: 1h, evaluation_interval: 1h}\nscrape_configs: []\n' > "$tmp/prom.yml"
	promtool check config "$tmp/prom.yml" >/dev/null 2>&1 || fail "promtool check config failed"
	port=$(free_port)
	prometheus --config.file="$tmp/prom.yml" --storage.tsdb.path="$data" \
		--storage.tsdb.retention.time=3650d --web.listen-address="127.0.0.1:$port" \
		>"$tmp/prom.log" 2>&1 &
	pid=$!; pids="$pids $pid"
	prom_url="http://127.0.0.1:$port"
	i=0
	until curl -sf "$prom_url/-/ready" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 400 ] || { tail -20 "$tmp/prom.log"; fail "prometheus did not become ready"; }
		kill -0 $pid 2>/dev/null || { tail -20 "$tmp/prom.log"; fail "prometheus exited"; }
		sleep 0.05
	done
}

# kubeconfig FILE SERVER USER-YAML [extra cluster yaml]: one context "stub".
kubeconfig() {
	cat > "$1" <<KC
apiVersion: v1
kind: Config
current-context: stub
clusters:
- name: stub
  cluster:
    server: $2
    certificate-authority-data: $(b64 "$tmp/pki/ca.crt")
contexts:
- name: stub
  context: {cluster: stub, user: u, namespace: vetclinic-001}
users:
- name: u
  user:
$3
KC
}
