#!/bin/sh
# `csf-tui --headless scaling` against a REAL Prometheus (Debian package) started here on
# 127.0.0.1 with six hours of history backfilled by `promtool tsdb create-blocks-from
# openmetrics` (formats.md §5): kube-state-metrics and KEDA series for every module of the
# recorded cluster, ending now. The workspace's csf.yaml points at it. The series csf-tui prints
# must be exactly what Prometheus answers for the same query_range, and together with the
# Kubernetes API stub the command shows the live spec, the KEDA trigger and its target.
. "$CSF_TOP/tests/integration/lib-cluster.sh"

now=$(date +%s)
end=$((now - now % 120))
# Every csf-tui run below ends its range at the same instant, so runs made seconds apart (and
# across a 120 s step boundary) query the same grid and can be compared.
export CSF_NOW="@$now"
python3 "$top/tools/gen-cluster-sample.py" openmetrics "$end" 6 > "$tmp/history.om" || fail "generating history"
grep -q '^# EOF$' "$tmp/history.om" || fail "OpenMetrics without # EOF"
promtool tsdb create-blocks-from openmetrics "$tmp/history.om" "$tmp/tsdb" >"$tmp/promtool.log" 2>&1 ||
	{ tail "$tmp/promtool.log"; fail "promtool backfill"; }
start_prometheus "$tmp/tsdb"

mkdir -p "$tmp/ws"
cat > "$tmp/ws/csf.yaml" <<Y
apiVersion: csf/v1
kind: Workspace
name: it
cluster:
  prometheus: $prom_url
Y

# 1. Prometheus only (no kubeconfig anywhere): the history alone.
run "$tmp/s.json" "$tmp/s.err" --headless --workspace "$tmp/ws" scaling --tenant vetclinic-001 \
	--module BookingService --since 6h --format json
[ $rc -eq 0 ] || { cat "$tmp/s.err"; fail "scaling exit $rc"; }
jq -e '.source | startswith("prometheus http://127.0.0.1:")' "$tmp/s.json" >/dev/null || fail "source is not the live Prometheus"
start=$(jq -r '.series.time[0]' "$tmp/s.json")
stop=$(jq -r '.series.time[-1]' "$tmp/s.json")
step=$(jq -r '.stepSeconds' "$tmp/s.json")
n=$(jq -r '.series.time | length' "$tmp/s.json")
[ "$n" -eq $(( (stop - start) / step + 1 )) ] || fail "series length $n does not match the step grid"
[ $(( (stop - start) / step )) -le 11000 ] || fail "more than 11,000 points per series"

# The same query_range straight from Prometheus, on the same grid.
q() {
	curl -sfG "$prom_url/api/v1/query_range" --data-urlencode "query=$1" \
		--data-urlencode "start=$start" --data-urlencode "end=$stop" --data-urlencode "step=$step"
}
q 'kube_deployment_status_replicas{namespace="vetclinic-001",deployment="booking-service"}' > "$tmp/direct.json" || fail "direct query"
jq -e '.status == "success" and (.data.result | length) == 1' "$tmp/direct.json" >/dev/null || fail "direct query result"
jq -c --argjson s "$start" --argjson st "$step" --argjson n "$n" \
	'.data.result[0].values as $v | [range(0; $n) | . as $i | ($s + $i * $st) as $t |
	 ([$v[] | select(.[0] == $t) | (.[1] | tonumber)] | first // null)]' "$tmp/direct.json" > "$tmp/want.rep"
jq -c '.series.replicas' "$tmp/s.json" > "$tmp/got.rep"
diff "$tmp/want.rep" "$tmp/got.rep" >/dev/null || { head -c 400 "$tmp/want.rep"; echo; head -c 400 "$tmp/got.rep"; fail "replicas differ from Prometheus"; }
[ "$(jq '[.series.replicas[] | select(. != null)] | length' "$tmp/s.json")" -gt $((n / 2)) ] || fail "too few replica points"
jq -e '[.series.maxReplicas[] | select(. != null)] | all(. == 40)' "$tmp/s.json" >/dev/null || fail "max replicas series"
jq -e '[.series.minReplicas[] | select(. != null)] | all(. == 4)' "$tmp/s.json" >/dev/null || fail "min replicas series"
jq -e '.metric.name == "s1-rabbitmq" and ([.series.metric[] | select(. != null)] | length) > 0' "$tmp/s.json" >/dev/null ||
	fail "KEDA trigger metric missing"
jq -e '.warnings | any(test("no Kubernetes context"))' "$tmp/s.json" >/dev/null || fail "no note about the missing Kubernetes context"
echo "ok: Prometheus-only history matches the direct query ($n points, step ${step}s)"

# 2. Text and CSV from the same server.
run "$tmp/s.txt" "$tmp/s.err" --headless --workspace "$tmp/ws" scaling --tenant vetclinic-001 --module booking-service
[ $rc -eq 0 ] || { cat "$tmp/s.err"; fail "text exit $rc"; }
grep -q '^    40 |=*.* max$' "$tmp/s.txt" || { cat "$tmp/s.txt"; fail "no max band in the chart"; }
grep -q '^metric s1-rabbitmq' "$tmp/s.txt" || fail "metric chart title"
run "$tmp/s.csv" "$tmp/s.err" --headless --workspace "$tmp/ws" scaling --tenant vetclinic-001 --module BookingService --format csv
[ $rc -eq 0 ] || fail "csv exit $rc"
head -1 "$tmp/s.csv" | grep -qx 'time,replicas,desired,min_replicas,max_replicas,metric' || fail "csv header"
[ $(($(wc -l < "$tmp/s.csv") - 1)) -eq "$n" ] || fail "csv rows"

# 3. An HPA (not KEDA) module: its target metric series by metric_name.
run "$tmp/p.json" "$tmp/p.err" --headless --workspace "$tmp/ws" scaling --tenant northvet-003 --module PaymentsService --format json
[ $rc -eq 0 ] || { cat "$tmp/p.err"; fail "payments exit $rc"; }
jq -e '.metric.name == "memory" and ([.series.desired[] | select(. != null)] | length) > 0' "$tmp/p.json" >/dev/null ||
	fail "HPA desired/metric series"

# 4. With the Kubernetes API (stub) as well: spec, autoscaler kind and trigger target come from it.
mkpki "$tmp/pki"
start_stub api --token s3cr3t-token
kubeconfig "$tmp/ws/kubeconfig" "$url_api" "    token: s3cr3t-token"
cat >> "$tmp/ws/csf.yaml" <<Y
  kubeconfig: kubeconfig
Y
run "$tmp/k.json" "$tmp/k.err" --headless --workspace "$tmp/ws" scaling --tenant vetclinic-001 --module BookingService --format json
[ $rc -eq 0 ] || { cat "$tmp/k.err"; fail "live k8s+prometheus exit $rc"; }
jq -e '.source == "context stub" and .autoscaler == "KEDA" and .scaledObject == "booking-service"
	and .hpa == "keda-hpa-booking-service" and .now.minReplicas == 4 and .now.maxReplicas == 40
	and .metric.target == 100' "$tmp/k.json" >/dev/null || { jq '{source,autoscaler,now,metric}' "$tmp/k.json"; fail "live spec"; }
jq -c '.series.replicas' "$tmp/k.json" | diff - "$tmp/got.rep" >/dev/null || fail "history changed when Kubernetes was added"

# 5. Prometheus down: a clear message, exit 2, no hang.
kill "$(echo $pids | awk '{print $1}')"
run "$tmp/d.out" "$tmp/d.err" --headless --workspace "$tmp/ws" scaling --tenant vetclinic-001 --module BookingService
[ $rc -eq 2 ] || fail "prometheus down: exit $rc"
grep -q "query kube_deployment_status_replicas: .*Couldn't connect\|query kube_deployment_status_replicas: .*Connection refused" "$tmp/d.err" ||
	{ cat "$tmp/d.err"; fail "prometheus down: message"; }
echo "real Prometheus: ok"
