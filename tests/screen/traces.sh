# The traces view on samples/traces (found next to the binary): the list (newest first), a
# trace as a tree with the waterfall and the span details, the critical path, a span filter
# that highlights then hides, folding by node and by level, the next error, and the comparison
# of the slow booking with the fast one. Then colour slot maps (critical path, errors,
# filter matches), LANG=C, a trace whose span names, service and attributes carry escape
# sequences (nothing of them reaches the screen), `:traces` arguments (tenantId=… as the
# tenants view passes them), and a backend answering 500: the error shows where the list would.
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
:traces
:save-screen traces-list.screen
S
:save-screen traces-sorted.screen
S
jj
<Enter>
:save-screen traces-tree.screen
c
:save-screen traces-critical.screen
F
status=error<Enter>
:save-screen traces-filter-highlight.screen
H
:save-screen traces-filter-hide.screen
H
F
<Enter>
x
:save-screen traces-next-error.screen
<Tab>
G
:save-screen traces-span-detail.screen
<Tab>
g
o
:save-screen traces-folded.screen
E
jj
O
:save-screen traces-fold-level.screen
E
m
<Esc>
k
C
:save-screen traces-compare.screen
<Esc>
:save-screen traces-compare-back.screen
SCRIPT
run_tui
for s in list sorted tree critical filter-highlight filter-hide next-error span-detail folded fold-level \
	compare compare-back; do
	assert_screen traces-$s.screen
done
assert_grep '^!.*notification-service: sms' traces-next-error.screen
assert_grep 'critical path' traces-critical.screen
assert_grep '^ A 4bf92f3577b34da6a3ce929d0e0e4736 vs B 7d1a0c5e93b24f0e8c6b2f4a9e1d3c55' traces-compare.screen

# The tenants view opens the traces of a tenant with tenantId=…: only its traces are listed.
steps <<'SCRIPT'
:traces tenantId=vetclinic-002
:save-screen traces-tenant.screen
:traces duration>fast
:save-screen traces-bad-filter.screen
SCRIPT
run_tui
assert_screen traces-tenant.screen
assert_grep 'cancel-appointment' traces-tenant.screen
assert_no_grep 'book-appointment' traces-tenant.screen
assert_grep 'not a duration' traces-bad-filter.screen

colour
steps <<'SCRIPT'
:traces
jj
<Enter>
c
:save-slots traces-critical.slots
F
status=error<Enter>
:save-slots traces-filter.slots
:resize 160x40
:save-screen traces-wide.screen
:save-slots traces-wide.slots
SCRIPT
run_tui
assert_screen traces-critical.slots
assert_screen traces-filter.slots
assert_screen traces-wide.screen
assert_screen traces-wide.slots

export NO_COLOR=1 TERM=xterm LANG=C LC_ALL=C
steps <<'SCRIPT'
:traces
jj
<Enter>
:save-screen traces-langc.screen
SCRIPT
run_tui
assert_screen traces-langc.screen
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$tmp/traces-langc.screen"; then
	echo "FAIL: $name: non-ASCII text on the screen under LANG=C"
	failures=$((failures + 1))
fi
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# Hostile strings in a trace file.
mkdir -p "$tmp/hostile/traces"
cat >"$tmp/hostile/traces/evil.otlp.json" <<'JSON'
{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"evil\u001b[2Jsvc"}}]},
 "scopeSpans":[{"spans":[
  {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b7","name":"root \u001b]0;pwned\u0007 op",
   "startTimeUnixNano":"1764182400000000000","endTimeUnixNano":"1764182400500000000","kind":2,
   "attributes":[{"key":"tenantId","value":{"stringValue":"t\u001b[31mred\u001b[0m"}}],
   "events":[{"timeUnixNano":"1764182400100000000","name":"ev\u009b31m","attributes":[]}]},
  {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b8","parentSpanId":"00f067aa0ba902b7",
   "name":"child\r\nforged line","startTimeUnixNano":"1764182400100000000","endTimeUnixNano":"1764182400300000000",
   "status":{"code":2,"message":"bad \u001b[5mblink"}}]}]}]}
JSON
steps <<SCRIPT
:traces file:$tmp/hostile/traces
:save-screen traces-hostile-list.screen
<Enter>
:save-screen traces-hostile-tree.screen
j
:save-screen traces-hostile-child.screen
SCRIPT
run_tui
for s in hostile-list hostile-tree hostile-child; do
	assert_screen traces-$s.screen
	assert_no_grep '\[2J\|\[31m\|\[0m\|\[5m\|pwned\|\]0;' traces-$s.screen "an escape sequence reached traces-$s"
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$tmp/traces-$s.screen"; then
		echo "FAIL: $name: a control character reached the screen in traces-$s"
		failures=$((failures + 1))
	fi
	if grep -q "$(printf '\302[\200-\237]')" "$tmp/traces-$s.screen"; then
		echo "FAIL: $name: a C1 control reached the screen in traces-$s"
		failures=$((failures + 1))
	fi
done

# A time range: only the booking of 18:45 started between 18:44 and 18:50.
steps <<'SCRIPT'
:traces start=2026-11-26T18:44:00Z end=2026-11-26T18:50:00Z
:save-screen traces-time-range.screen
SCRIPT
run_tui
assert_screen traces-time-range.screen

# Tempo: the search gives summaries; Enter fetches the trace by id (asynchronously) and shows
# its tree.
node "$top/tests/integration/stubs/trace_stub.js" --kind tempo --port 0 \
	>"$tmp/tempo.out" 2>"$tmp/tempo.err" &
tempo=$!
i=0
while ! grep -q listening "$tmp/tempo.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(sed -n 's/^listening //p' "$tmp/tempo.out")
steps <<SCRIPT
:traces tempo:$url start=2026-11-26T00:00:00Z end=2026-11-27T00:00:00Z
:save-screen traces-tempo-list.screen
G
<Enter>
:save-screen traces-tempo-tree.screen
SCRIPT
run_tui
kill "$tempo" 2>/dev/null || true
wait "$tempo" 2>/dev/null || true
assert_grep '^ 11-26 18:40:00     1.84s      ?   0 agent-orchestrator: agent.run book-appointm' traces-tempo-list.screen
assert_grep 'a search summary: Enter fetches the spans' traces-tempo-list.screen
assert_grep '^ 4bf92f3577b34da6a3ce929d0e0e4736 · 12 spans · 1 error · 1.84s' traces-tempo-tree.screen
assert_grep 'booking-service: INSERT appoi' traces-tempo-tree.screen

# A Jaeger backend that answers 500: the error is shown in place of the list.
node "$top/tests/integration/stubs/trace_stub.js" --kind jaeger --port 0 --fault 500 \
	>"$tmp/stub.out" 2>"$tmp/stub.err" &
stub=$!
i=0
while ! grep -q listening "$tmp/stub.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(sed -n 's/^listening //p' "$tmp/stub.out")
steps <<SCRIPT
:traces jaeger:$url service=agent-orchestrator
:save-screen traces-http-500.screen
SCRIPT
run_tui
kill "$stub" 2>/dev/null || true
wait "$stub" 2>/dev/null || true
assert_grep '^cannot search the traces:' traces-http-500.screen
tr -d '\n' <"$tmp/traces-http-500.screen" >"$tmp/joined"
assert_grep 'HTTP 500: upstream storage unavailable' joined
assert_grep '^r: try again   s: search with other words' traces-http-500.screen
finish
