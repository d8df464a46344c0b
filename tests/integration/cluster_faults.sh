#!/bin/sh
# Fault tests for the cluster commands: server down, slow (timeout), 401, 500, truncated JSON,
# wrong content type, a huge response, a redirect loop. Each must end with one clear message on
# stderr, exit status 2, nothing half-printed on stdout, and no hang (`timeout 20` around the
# binary turns a hang into a failure).
. "$CSF_TOP/tests/integration/lib-cluster.sh"

mkpki "$tmp/pki"

expect() {
	label=$1; pattern=$2; shift 2
	run "$tmp/out" "$tmp/err" --headless tenants --timeout 2s "$@"
	[ $rc -eq 2 ] || { cat "$tmp/err"; fail "$label: exit $rc, want 2"; }
	grep -q "$pattern" "$tmp/err" || { cat "$tmp/err"; fail "$label: message does not match '$pattern'"; }
	[ "$(wc -l < "$tmp/err")" -eq 1 ] || { cat "$tmp/err"; fail "$label: more than one line of error"; }
	[ ! -s "$tmp/out" ] || { head -5 "$tmp/out"; fail "$label: output printed despite the failure"; }
	grep -q 'fault-t0ken' "$tmp/err" && fail "$label: token printed"
	echo "ok: $label: $(cat "$tmp/err")"
}

# Server down: nothing listens on the port (retries with back-off, then the curl error).
port=$(free_port)
kubeconfig "$tmp/kc-down" "https://127.0.0.1:$port" "    token: fault-t0ken"
KUBECONFIG="$tmp/kc-down" expect "server down" "list namespaces: https://127.0.0.1:$port/api/v1/namespaces: Failed to connect"

for fault in slow 401 500 truncated html huge redirect; do
	start_stub "$fault" --token fault-t0ken --fault "$fault" --log "$tmp/log-$fault"
	eval "u=\$url_$fault"
	kubeconfig "$tmp/kc-$fault" "$u" "    token: fault-t0ken"
	case $fault in
	slow) pat="list namespaces: timed out after 2000 ms" ;;
	401) pat="list namespaces: Unauthorized (401): Unauthorized" ;;
	500) pat="list namespaces: InternalError (500): etcdserver: request timed out" ;;
	truncated) pat="list namespaces: NamespaceList: malformed JSON near byte" ;;
	html) pat="list namespaces: expected JSON from $u/api/v1/namespaces but got content type 'text/html; charset=utf-8'" ;;
	huge) pat="list namespaces: response from $u/api/v1/namespaces is larger than the 67108864-byte limit" ;;
	redirect) pat="list namespaces: too many redirects (more than 5) from $u/api/v1/namespaces: a redirect loop?" ;;
	esac
	KUBECONFIG="$tmp/kc-$fault" expect "$fault" "$pat"
done

# The 500 was retried with back-off before giving up (idempotent GET: 1 + 2 retries); the 401
# and the wrong content type were not retried.
[ "$(grep -c 'GET /api/v1/namespaces' "$tmp/log-500")" -eq 3 ] || fail "500 not retried twice"
[ "$(grep -c 'GET /api/v1/namespaces' "$tmp/log-401")" -eq 1 ] || fail "401 retried"
[ "$(grep -c 'GET /api/v1/namespaces' "$tmp/log-html")" -eq 1 ] || fail "wrong content type retried"
echo "all faults give a clear message"
