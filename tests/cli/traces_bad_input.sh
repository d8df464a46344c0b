# Bad trace input exits 2 with one "file:line:col: message" line on stderr and nothing on stdout;
# hostile strings never reach the terminal raw.
. "$(dirname "$0")/lib.sh"
cd "$cli_tmp" || exit 1
F=$CSF_TOP/tests/fixtures/traces
printf '{"resourceSpans": [\n  {"scopeSpans": [}\n]}\n' >malformed.json
golden traces-empty 2 traces --source malformed.json
stderr_has '^csf-tui: malformed.json:2:19: malformed JSON: expected a value$'
stderr_lines 1
printf '{"resourceSpans": [\n  {"scopeSpans": [{"spans": [' >truncated.json
golden traces-empty 2 traces --source truncated.json
stderr_has '^csf-tui: truncated.json:2:30: unexpected end of input \(truncated JSON\?\)$'
printf '{"data": [{"traceID": "01", "spans": [],}]}' >trailing-comma.json
golden traces-empty 2 traces --source trailing-comma.json
stderr_has "^csf-tui: trailing-comma.json:1:41: malformed JSON: trailing comma before '}'\$"
# a Jaeger span that is not an object: the path and the exact position
printf '{"data": [{"traceID": "01", "spans": [1]}]}' >jaeger-shape.json
golden traces-empty 2 traces --source jaeger-shape.json
stderr_has '^csf-tui: jaeger-shape.json:1:39: data\[0\]\.spans\[0\]: expected a span object, got a number$'

printf '{"resourceSpans": {"spans": []}}' >shape.json
golden traces-empty 2 traces --source shape.json
stderr_has '^csf-tui: shape.json:1:19: resourceSpans: expected an array, got an object$'
printf '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c",\n "spanId":"not-hex!"}]}]}]}' >badid.json
golden traces-empty 2 traces --source badid.json
stderr_has '^csf-tui: badid.json:2:11: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.spanId: invalid id "not-hex!"'
printf '[{"traceId":"5b8efff798038103d269b633813fc60c","id":"01","timestamp":1e300}]' >huge.json
golden traces-empty 2 traces --source huge.json
stderr_has '^csf-tui: huge.json:1:70: \[0\]\.timestamp: expected a non-negative integer \(microseconds\)$'
printf '{"kind": "Deployment"}' >notrace.json
golden traces-empty 2 traces --source notrace.json
stderr_has 'notrace.json: not a trace document'
head -c 300 /dev/urandom | tr -d '\n' >binary.json
printf '\0' >>binary.json
golden traces-empty 2 traces --source binary.json
stderr_has '^csf-tui: binary.json:1:[0-9]+: '
: >empty.json
golden traces-empty 2 traces --source empty.json
stderr_has '^csf-tui: empty.json:1:1: empty input: expected a JSON trace document$'
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "["; }' >deep.json
golden traces-empty 2 traces --source deep.json
stderr_has '^csf-tui: deep.json:1:[0-9]+: '
# a folder stops at its first bad file and names it
mkdir -p folder && cp "$CSF_TOP/samples/traces/"*.json folder/ && cp truncated.json folder/zz-truncated.json
golden traces-empty 2 traces --source folder
stderr_has 'folder/zz-truncated.json:2:30: unexpected end of input'
# a workspace naming a backend csf-tui does not know
mkdir -p ws && printf 'apiVersion: csf/v1\nkind: Workspace\ncluster:\n  traces: { kind: skywalking, url: http://x }\n' >ws/csf.yaml
golden traces-empty 2 --workspace ws traces
stderr_has "^csf-tui: ws/csf.yaml:4:19: cluster.traces.kind 'skywalking' is not jaeger, tempo, zipkin or file$"
# a folder without trace files lists nothing (and sorts no NULL list: UBSan in make asan)
mkdir -p emptyfolder
"$CSF_TUI" --headless traces --source emptyfolder >"$cli_out" 2>"$cli_err" || fail "empty folder: exit $?"
grep -q '(no traces match)' "$cli_out" || fail "empty folder: no '(no traces match)'"
stderr_lines 0
# usage errors
golden traces-empty 2 traces --source no/such/dir
stderr_has '^csf-tui: no/such/dir: no such trace file or folder$'
golden traces-empty 2 traces --source "$F" --trace ffffffffffffffff
stderr_has 'no trace ffffffffffffffff here'
golden traces-empty 2 traces --source "$F" --trace not-an-id
stderr_has "'not-an-id' is not a trace id"
golden traces-empty 2 traces --filter 'duration>soon'
stderr_has "'soon' is not a duration"
golden traces-empty 2 traces --filter status=broken
stderr_has 'use status=error\|ok\|unset'
golden traces-empty 2 traces --min-duration soon
stderr_has "traces: --min-duration takes a duration like 100ms or 1.5s, not 'soon'"
golden traces-empty 2 traces --format yaml
stderr_has "--format is tree or json, not 'yaml'"
golden traces-empty 2 traces --source "$CSF_TOP/samples/traces" --trace 5b8efff798038103d269b633813fc60c --span c0ffee0000000009
stderr_has '^csf-tui: trace has no span c0ffee0000000009$'
golden traces-empty 2 traces --span c0ffee0000000009
stderr_has 'needs --trace ID'
golden traces-empty 2 traces --compare 01
stderr_has 'compare ID2 needs --trace ID'
golden traces-empty 2 traces --source http://localhost:1
stderr_has 'say which backend \(jaeger:URL, tempo:URL or zipkin:URL\)'
golden traces-empty 2 traces --source jaeger:ftp://x
stderr_has 'must start with http:// or https://'
golden traces-empty 2 traces --frobnicate
stderr_has "unexpected argument '--frobnicate'"
# a backend that is down: a clear message, no hang
golden traces-empty 2 traces --source zipkin:http://127.0.0.1:9 --trace 5b8efff798038103d269b633813fc60c
stderr_lines 1
stderr_has '127.0.0.1:9'
# hostile strings: escape sequences, C1 controls, bidi overrides and backspaces are replaced
golden traces-hostile 0 traces --source "$F/hostile.otlp.json" --trace 0af7651916cd43dd8448eb211c80319c
if LC_ALL=C grep -q "$(printf '\033')" "$cli_out" || LC_ALL=C grep -q "$(printf '\010')" "$cli_out" ||
	LC_ALL=C grep -q "$(printf '\302\233')" "$cli_out" || LC_ALL=C grep -q "$(printf '\342\200\256')" "$cli_out"; then
	fail "traces-hostile: control bytes reached stdout"
fi
golden traces-hostile-json 0 traces --source "$F/hostile.otlp.json" --trace 0af7651916cd43dd8448eb211c80319c --format json
if LC_ALL=C grep -q "$(printf '\033')" "$cli_out"; then fail "traces-hostile-json: ESC reached stdout"; fi
python3 -m json.tool "$cli_out" >/dev/null || fail "traces-hostile-json: not valid JSON"
finish
