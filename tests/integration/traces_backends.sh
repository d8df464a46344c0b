# csf-tui --headless traces against loopback Jaeger, Tempo and Zipkin query APIs
# (tests/integration/stubs/trace_stub.js serves samples/traces in each backend's wire format),
# through the real HTTP client (core/http, libcurl). Every backend must give the very tree that
# the trace files give; errors (unknown trace, 401, 500, HTML, truncated JSON, server down,
# untrusted TLS) must be one clear line and exit 2, never a hang.
. "$(dirname "$0")/lib-cluster.sh"
cd "$top" || exit 1
exp=$top/tests/cli/expected
A=4bf92f3577b34da6a3ce929d0e0e4736
B=7d1a0c5e93b24f0e8c6b2f4a9e1d3c55
C=5b8efff798038103d269b633813fc60c

# start_trace_stub NAME KIND [stub args…]: sets url_NAME.
start_trace_stub() {
	name=$1; kind=$2; shift 2
	node "$top/tests/integration/stubs/trace_stub.js" --kind "$kind" --port 0 "$@" \
		>"$tmp/tstub-$name.out" 2>"$tmp/tstub-$name.err" &
	pid=$!; pids="$pids $pid"
	i=0
	until grep -q '^listening' "$tmp/tstub-$name.out" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 200 ] || { cat "$tmp/tstub-$name.err"; fail "trace stub $name did not start"; }
		kill -0 $pid 2>/dev/null || { cat "$tmp/tstub-$name.err"; fail "trace stub $name exited"; }
		sleep 0.05
	done
	eval "url_$name=\$(sed -n 's/^listening //p' \"\$tmp/tstub-\$name.out\")"
}

# expect_same WHAT EXPECTED-FILE ARGS…: exit 0 (1 for --compare, which found differences) and
# exactly EXPECTED-FILE on stdout.
expect_same() {
	what=$1; want=$2; shift 2
	run "$tmp/out" "$tmp/err" --headless traces "$@"
	case "$*" in *--compare*) want_rc=1 ;; *) want_rc=0 ;; esac
	[ "$rc" = "$want_rc" ] || { cat "$tmp/err" >&2; fail "$what: exit $rc, expected $want_rc"; }
	diff -u "$want" "$tmp/out" >&2 || fail "$what: output differs from $want"
}

# expect_error WHAT PATTERN ARGS…: exit 2, nothing on stdout, one stderr line matching PATTERN.
expect_error() {
	what=$1; pat=$2; shift 2
	run "$tmp/out" "$tmp/err" --headless traces "$@"
	[ "$rc" = 2 ] || { cat "$tmp/out" "$tmp/err" >&2; fail "$what: exit $rc, expected 2"; }
	[ ! -s "$tmp/out" ] || fail "$what: stdout is not empty"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || { cat "$tmp/err" >&2; fail "$what: not one stderr line"; }
	grep -Eq -- "$pat" "$tmp/err" || { cat "$tmp/err" >&2; fail "$what: stderr does not match $pat"; }
}

for kind in jaeger tempo zipkin; do
	start_trace_stub "$kind" "$kind"
	eval "u=\$url_$kind"
	# the same trees as from the files, whatever the wire format (hex or base64 ids, µs or ns)
	expect_same "$kind A" "$exp/traces-tree-otlp-ascii.out" --source "$kind:$u" --trace $A --ascii --width 24
	expect_same "$kind B" "$exp/traces-tree-jaeger.out" --source "$kind:$u" --trace $B --ascii
	expect_same "$kind C" "$exp/traces-tree-zipkin.out" --source "$kind:$u" --trace $C --ascii
	expect_same "$kind compare" "$exp/traces-compare.out" --source "$kind:$u" --trace $A --compare $B --ascii
	expect_error "$kind unknown trace" 'not found' --source "$kind:$u" --trace 0123456789abcdef
done

# search: Jaeger and Zipkin return whole traces, Tempo summaries (no span counts)
expect_same "jaeger search" "$exp/traces-list.out" --source "jaeger:$url_jaeger" --service agent-orchestrator
expect_same "zipkin search" "$exp/traces-list.out" --source "zipkin:$url_zipkin/" --service agent-orchestrator
cat >"$tmp/tempo-list.want" <<'EOF'
TRACE                             START                     DURATION   SPANS  ERRORS  ROOT
5b8efff798038103d269b633813fc60c  2026-11-26T18:52:00.000Z     950ms       -       -  agent-orchestrator: agent.run cancel-appointment
7d1a0c5e93b24f0e8c6b2f4a9e1d3c55  2026-11-26T18:45:00.000Z     1.01s       -       -  agent-orchestrator: agent.run book-appointment
4bf92f3577b34da6a3ce929d0e0e4736  2026-11-26T18:40:00.000Z     1.84s       -       -  agent-orchestrator: agent.run book-appointment
EOF
expect_same "tempo search" "$tmp/tempo-list.want" --source "tempo:$url_tempo" --service agent-orchestrator
expect_same "zipkin search filtered" "$exp/traces-list-tenant.out" --source "zipkin:$url_zipkin" \
	--service agent-orchestrator --filter tenantId=vetclinic-002
expect_error "jaeger search without service" 'jaeger search needs a service' --source "jaeger:$url_jaeger"

# faults
start_trace_stub e500 zipkin --fault 500
expect_error "500" 'HTTP 500: upstream storage unavailable' --source "zipkin:$url_e500" --trace $C
start_trace_stub e401 jaeger --fault 401
expect_error "401" 'HTTP 401: Unauthorized' --source "jaeger:$url_e401" --trace $C
start_trace_stub html tempo --fault html
expect_error "html" 'expected a JSON response, got text/html' --source "tempo:$url_html" --trace $C
start_trace_stub cut zipkin --fault truncated
expect_error "truncated" '/api/v2/trace/5b8efff798038103d269b633813fc60c:1:[0-9]+: unexpected end of input' \
	--source "zipkin:$url_cut" --trace $C
port=$(free_port)
expect_error "server down" "127.0.0.1:$port" --source "tempo:http://127.0.0.1:$port" --trace $C
# TLS is verified: a server certificate from an unknown CA is refused
mkpki "$tmp/pki"
start_trace_stub tls jaeger --cert "$tmp/pki/server.crt" --key "$tmp/pki/server.key"
expect_error "untrusted TLS" '[Cc]ertificate|SSL|TLS' --source "jaeger:$url_tls" --trace $C
echo "traces over Jaeger, Tempo and Zipkin APIs: ok"
