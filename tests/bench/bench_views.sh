#!/bin/sh
# Keystroke to frame in the cluster views, measured in key-script mode (CSF_TUI_SCRIPT +
# CSF_TUI_BENCH) like bench_tui.sh, each against a baseline run of the same keys on the small
# samples in the same run:
#   1. the traces view on a generated 1M-span trace (Zipkin JSON, a 4-ary tree, one error span
#      in a thousand): moving (j, C-e, PgDn, G, PgUp, k; target <= 16 ms), and the keys that
#      rebuild the row list (fold o, fold level O, unfold E, critical path c, next error x), and
#      the one-off keys: Enter on the list (critical path, rows), a span filter, hide/highlight;
#   2. the tenants view on a generated snapshot of 10k tenants (one deployment each): moving,
#      and Enter/Esc into a tenant's modules and back.
# Usage: tests/bench/bench_views.sh   ($CSF_TUI, $O as set by tests/bench/run.sh)
set -eu
top=${CSF_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-build}
CSF_TUI=${CSF_TUI:-$top/$O/csf-tui}
data=${BENCH_DATA:-$top/$O/bench-data}/views
nspans=${BENCH_SPANS:-1000000}
ntenants=${BENCH_TENANTS:-10000}
mkdir -p "$data"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/csf-bench-views.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color LINES=24 COLUMNS=80 TZ=UTC
unset XDG_CONFIG_HOME XDG_STATE_HOME CSF_TUI_TRACE NO_COLOR KUBECONFIG
mkdir -p "$HOME"
cd "$tmp"	# :save-screen writes here
field() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
report() {	# $1: label, $2: bench file
	echo "  $1: $(field keys "$2") keys, mean $(field key_mean_ms "$2") ms, p50 $(field key_p50_ms "$2")" \
	     "ms, p95 $(field key_p95_ms "$2") ms, max $(field key_max_ms "$2") ms"
}
run() {	# $1: script, $2: bench file, $3: workspace
	CSF_TUI_SCRIPT="$1" CSF_TUI_NO_DISPLAY=1 CSF_TUI_BENCH="$2" "$CSF_TUI" --workspace "$3"
}
repeat() {	# $1: count, $2: token
	i=0; while [ $i -lt "$1" ]; do echo "$2"; i=$((i + 1)); done
}

# ---- 1. traces: a 1M-span trace ----------------------------------------------------------------
tdir=$data/trace-$nspans
if [ ! -f "$tdir/big.zipkin.json" ]; then
	mkdir -p "$tdir"
	awk -v n="$nspans" 'BEGIN {
		printf "["
		for (i = 1; i <= n; i++) {
			p = i > 1 ? int((i - 2) / 4) + 1 : 0
			printf "%s{\"traceId\":\"5eedf00d5eedf00d5eedf00d5eedf00d\",\"id\":\"%016x\",", (i > 1 ? ",\n" : ""), i
			if (p)
				printf "\"parentId\":\"%016x\",", p
			printf "\"name\":\"op-%d\",\"timestamp\":%d,\"duration\":%d,", i % 97, 1764182400000000 + i, n - i + 10
			printf "\"kind\":\"SERVER\",\"localEndpoint\":{\"serviceName\":\"svc-%d\"},", i % 13
			printf "\"tags\":{\"tenantId\":\"t-%d\"%s}}", i % 50, (i % 1000 ? "" : ",\"error\":\"true\"")
		}
		print "]"
	}' > "$tdir/big.zipkin.json.tmp"
	mv "$tdir/big.zipkin.json.tmp" "$tdir/big.zipkin.json"
fi
{
	echo ":traces file:$tdir trace=5eedf00d5eedf00d5eedf00d5eedf00d"
	repeat 1000 j; repeat 1000 '<C-e>'; repeat 200 '<PgDown>'; echo G; repeat 200 '<PgUp>'
	repeat 500 k
	echo ":save-screen opened.screen"
} > "$tmp/move.script"
{
	echo ":traces file:$tdir trace=5eedf00d5eedf00d5eedf00d5eedf00d"
	repeat 10 o; echo j; repeat 10 O; repeat 10 E; repeat 10 c; repeat 10 x
} > "$tmp/fold.script"
{
	echo ":traces file:$tdir"
	echo '<Enter>'
	echo F
	echo 'status=error<Enter>'
	echo H
	echo H
} > "$tmp/open.script"
printf ':traces\n<Enter>\nF\nstatus=error<Enter>\nH\nH\n' > "$tmp/open-small.script"
sed "s|file:$tdir trace=5eedf00d5eedf00d5eedf00d5eedf00d|trace=4bf92f3577b34da6a3ce929d0e0e4736|" \
	"$tmp/move.script" > "$tmp/move-small.script"
sed "s|file:$tdir trace=5eedf00d5eedf00d5eedf00d5eedf00d|trace=4bf92f3577b34da6a3ce929d0e0e4736|" \
	"$tmp/fold.script" > "$tmp/fold-small.script"
t0=$(date +%s%N)
run "$tmp/move.script" "$tmp/b-move" "$top/tests/screen/ws"
t1=$(date +%s%N)
grep -q "$nspans spans" "$tmp/opened.screen" || { echo "bench: the trace did not open:" >&2;
	cat "$tmp/opened.screen" >&2; exit 1; }
run "$tmp/fold.script" "$tmp/b-fold" "$top/tests/screen/ws"
run "$tmp/open.script" "$tmp/b-open" "$top/tests/screen/ws"
run "$tmp/open-small.script" "$tmp/b-open-small" "$top/tests/screen/ws"
run "$tmp/move-small.script" "$tmp/b-move-small" "$top/tests/screen/ws"
run "$tmp/fold-small.script" "$tmp/b-fold-small" "$top/tests/screen/ws"
echo "traces view, keystroke to frame on a ${nspans}-span trace (target <= 16 ms):"
report "moving (j C-e PgDn G PgUp k)" "$tmp/b-move"
report "  baseline, 12-span sample  " "$tmp/b-move-small"
report "rows rebuilt (o O E c x)    " "$tmp/b-fold"
report "  baseline, 12-span sample  " "$tmp/b-fold-small"
report "open from the list, F filter, H (one-off, O(spans) in the loop)" "$tmp/b-open"
report "  baseline, 12-span sample  " "$tmp/b-open-small"
echo "  whole run with loading the file (parse + tree in the worker): $(( (t1 - t0) / 1000000 )) ms"

# ---- 2. tenants: 10k tenants ---------------------------------------------------------------------
snap=$data/tenants-$ntenants
if [ ! -f "$snap/snapshot.json" ]; then
	mkdir -p "$snap/api/v1/namespaces" "$snap/apis/apps/v1/namespaces" \
		"$snap/apis/autoscaling/v2/namespaces" "$snap/apis/keda.sh/v1alpha1/namespaces"
	awk -v n="$ntenants" -v dir="$snap" 'BEGIN {
		f = dir "/api/v1/namespaces.json"
		printf "{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[" > f
		for (i = 1; i <= n; i++) {
			ns = sprintf("tenant-%05d", i)
			printf "%s{\"metadata\":{\"name\":\"%s\",\"labels\":{\"csf.connectsoft.io/tenant\":\"%s\",\"csf.connectsoft.io/edition\":\"%s\"}},\"status\":{\"phase\":\"Active\"}}", (i > 1 ? "," : ""), ns, ns, (i % 3 ? "standard" : "premium") > f
			d = dir "/apis/apps/v1/namespaces/" ns
			system("mkdir -p " d)
			g = d "/deployments.json"
			printf "{\"kind\":\"DeploymentList\",\"apiVersion\":\"apps/v1\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"booking-service\",\"namespace\":\"%s\",\"labels\":{\"app.kubernetes.io/version\":\"1.2.%d\",\"csf.connectsoft.io/module\":\"BookingService\"}},\"spec\":{\"replicas\":%d,\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"r/booking:1.2.%d\"}]}}},\"status\":{\"replicas\":%d,\"readyReplicas\":%d,\"availableReplicas\":%d}}]}\n", ns, i % 5, 2 + i % 4, i % 5, 2 + i % 4, 2 + i % 3, 2 + i % 3 > g
			close(g)
		}
		print "]}" > f
	}'
	printf '{"recordedAt":"2026-11-26T19:00:00Z","context":"bench","note":"generated"}\n' \
		> "$snap/snapshot.json"
fi
printf 'apiVersion: csf/v1\nkind: Workspace\nname: bench-tenants\ncluster:\n  offline: %s\n' "$snap" \
	> "$tmp/csf.yaml"
mkdir -p "$tmp/tws" "$tmp/sws"
cp "$tmp/csf.yaml" "$tmp/tws/csf.yaml"
printf 'apiVersion: csf/v1\nkind: Workspace\nname: bench-small\ncluster:\n  offline: %s\n' \
	"$top/samples/cluster" > "$tmp/sws/csf.yaml"
{
	echo ":tenants"
	repeat 1000 j; repeat 200 '<PgDown>'; echo G; repeat 200 '<PgUp>'; repeat 500 k
	repeat 20 '<Enter>
<Esc>'
	echo ":save-screen tenants.screen"
} > "$tmp/tenants.script"
t0=$(date +%s%N)
run "$tmp/tenants.script" "$tmp/b-ten" "$tmp/tws"
t1=$(date +%s%N)
grep -q "/$ntenants" "$tmp/tenants.screen" || { echo "bench: the tenants did not load:" >&2;
	cat "$tmp/tenants.screen" >&2; exit 1; }
run "$tmp/tenants.script" "$tmp/b-ten-small" "$tmp/sws"
echo "tenants view, keystroke to frame with ${ntenants} tenants (target <= 16 ms):"
report "moving, Enter/Esc           " "$tmp/b-ten"
report "  baseline, 4 tenants       " "$tmp/b-ten-small"
echo "  whole run with loading the snapshot ($((ntenants * 4)) API files, in the worker): $(( (t1 - t0) / 1000000 )) ms"
