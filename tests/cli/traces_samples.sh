# Headless traces on the shipped sample traces (samples/traces: one OTLP/JSON, one Jaeger and one
# Zipkin file of the factory's agent flows). The expected trees were checked by hand: self times
# are the span minus the union of its children, the critical path walks back from each span's
# end through the last child to finish (the async notification branch of book-appointment ends
# after its producer and so is off the path), and errors come from OTLP status, Jaeger tags and
# Zipkin's error tag.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
A=4bf92f3577b34da6a3ce929d0e0e4736	# book-appointment, OTLP/JSON, slow INSERT + SMS error
B=7d1a0c5e93b24f0e8c6b2f4a9e1d3c55	# the same flow five minutes later, Jaeger JSON
C=5b8efff798038103d269b633813fc60c	# cancel-appointment, Zipkin v2 with a shared RPC span
S=samples/traces
golden traces-list 0 traces --source "file:$S"
# without --source: the workspace's traces/ folder
golden traces-list 0 --workspace samples traces
golden traces-list-json 0 traces --source "$S" --format json
golden traces-tree-otlp 0 traces --source "$S" --trace "$A"
golden traces-tree-otlp-ascii 0 traces --source "$S" --trace "$A" --ascii --width 24
golden traces-tree-jaeger 0 traces --source "$S/book-appointment-fast.jaeger.json" --trace "$B" --ascii
golden traces-tree-zipkin 0 traces --source "$S" --trace "$C" --ascii
# ids are accepted in any case and, for 64-bit forms, without the zero padding
golden traces-tree-zipkin 0 traces --source "$S" --trace 5B8EFFF798038103D269B633813FC60C --ascii
golden traces-critical-path 0 traces --source "$S" --trace "$A" --critical-path --ascii
golden traces-filter-error 0 traces --source "$S" --trace "$A" --filter status=error --ascii
golden traces-filter-highlight 0 traces --source "$S" --trace "$A" --filter 'duration>500ms' --highlight --ascii
# conditions AND together; in hide mode the ancestors of matches stay (unmarked) for context
golden traces-filter-and 0 traces --source "$S" --trace "$A" --filter tenantId=vetclinic-001 \
	--filter 'agentId~booking' --filter kind=client --filter service=booking-service --ascii
golden traces-filter-none 0 traces --source "$S" --trace "$A" --filter 'name~nothing-like-this' --ascii
# list filters: traces with a matching span
golden traces-list-tenant 0 traces --source "$S" --filter tenantId=vetclinic-002
golden traces-list-service 0 traces --source "$S" --service notification-service
# search by whole-trace duration: the two book-appointment runs (1.84 s, 1.01 s), not the 950 ms one
golden traces-list-service 0 traces --source "$S" --min-duration 1s
golden traces-list-tenant 0 traces --source "$S" --max-duration=999ms
golden traces-compare 1 traces --source "$S" --trace "$A" --compare "$B" --ascii
golden traces-compare-same 0 traces --source "$S" --trace "$A" --compare "$A" --ascii
golden traces-compare-json 1 traces --source "$S" --trace "$A" --compare "$B" --format json
# span details: times relative to the trace and to the span, attributes, resource, events; a
# Zipkin client/server pair shares its id, so both halves are shown
golden traces-span-error 0 traces --source "$S" --trace "$A" --span a1b2c3d4e5f60010 --ascii
golden traces-span-pair 0 traces --source "$S" --trace "$C" --span c0ffee0000000002 --ascii
golden traces-span-json 0 traces --source "$S" --trace "$C" --span c0ffee0000000003 --format json
golden traces-json-zipkin 0 traces --source "$S" --trace "$C" --format json
python3 -m json.tool "$cli_out" >/dev/null || fail "traces-json-zipkin: not valid JSON"
# Tempo shapes from fixtures: v1 batches with base64 ids, and a search response (summaries)
golden traces-tree-tempo 0 traces --source tests/fixtures/traces/tempo-trace.json --trace "$A" --ascii
golden traces-list-tempo-search 0 traces --source tests/fixtures/traces/tempo-search.json
# the same trace from OTLP and from Tempo's base64 form prints the same tree
"$CSF_TUI" --headless traces --source tests/fixtures/traces/tempo-trace.json --trace "$A" --ascii --width 24 >"$cli_tmp/tempo.out" 2>&1
diff -u "$CSF_TOP/tests/cli/expected/traces-tree-otlp-ascii.out" "$cli_tmp/tempo.out" >&2 ||
	fail "Tempo base64 form and OTLP hex form of the same trace differ"
# a workspace whose csf.yaml names a trace folder
mkdir -p "$cli_tmp/ws/recorded"
cp "$S/cancel-appointment.zipkin.json" "$cli_tmp/ws/recorded/"
printf 'apiVersion: csf/v1\nkind: Workspace\nname: t\ncluster:\n  traces: { kind: file, path: recorded }\n' >"$cli_tmp/ws/csf.yaml"
golden traces-list-workspace 0 --workspace "$cli_tmp/ws" traces
finish
