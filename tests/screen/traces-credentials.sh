# A trace backend URL with credentials in it (cluster.traces in csf.yaml): the title and the
# error of a failed search show the URL with the user and password replaced by ***, and the
# trace file never has the password either. Two failures: a connection refused (the error
# comes from core/http) and a backend answering 500 (the error names the request's URL).
. "$(dirname "$0")/lib.sh"
cp "$ws/csf.yaml" "$tmp/csf.yaml.orig"
cat >>"$ws/csf.yaml" <<'YAML'
cluster:
  traces: {kind: jaeger, url: "http://bob:TRACEPW@127.0.0.1:1"}
YAML
steps <<'SCRIPT'
:traces service=checkout
:save-screen traces-credentials.screen
SCRIPT
run_tui
assert_grep '^ Traces · jaeger:http://\*\*\*@127.0.0.1:1' traces-credentials.screen
assert_grep '^cannot search the traces:' traces-credentials.screen
assert_no_grep 'TRACEPW' traces-credentials.screen "the password is on the screen"
assert_no_grep 'TRACEPW' trace "the password is in the trace file"

node "$top/tests/integration/stubs/trace_stub.js" --kind jaeger --port 0 --fault 500 \
	>"$tmp/stub.out" 2>"$tmp/stub.err" &
stub=$!
i=0
while ! grep -q listening "$tmp/stub.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(sed -n 's|^listening http://||p' "$tmp/stub.out")
cp "$tmp/csf.yaml.orig" "$ws/csf.yaml"
cat >>"$ws/csf.yaml" <<YAML
cluster:
  traces: {kind: jaeger, url: "http://bob:TRACEPW@$url"}
YAML
steps <<'SCRIPT'
:traces service=agent-orchestrator
:save-screen traces-credentials-500.screen
SCRIPT
run_tui
kill "$stub" 2>/dev/null || true
wait "$stub" 2>/dev/null || true
tr -d '\n' <"$tmp/traces-credentials-500.screen" >"$tmp/joined"
assert_grep 'http://\*\*\*@127.0.0.1:[0-9]*/api/traces?.*HTTP 500' joined
assert_no_grep 'TRACEPW' traces-credentials-500.screen "the password is on the screen (HTTP 500)"
assert_no_grep 'TRACEPW' trace "the password is in the trace file (HTTP 500)"
finish
