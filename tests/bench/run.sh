#!/bin/sh
# make bench: every benchmark reports a ratio against a baseline measured in the same run.
# Add one line per benchmark below. Inputs are generated under $O/bench-data (never committed).
set -u
O=${O:-build}
export O CSF_TUI="$(pwd)/$O/csf-tui" CSF_TOP="$(pwd)"
mkdir -p "$O/bench-data"
status=0
bench() {
	printf '\n== %s\n' "$*"
	"$@" || { echo "bench failed: $*" >&2; status=1; }
}
# --- benchmarks -------------------------------------------------------------------------------
bench "$O/bench/bench_trace" "$O/bench-data/trace-100k.otlp.json" 100000
bench "$O/bench/bench_diff" "$O/bench-data"
bench sh tests/bench/bench_preview.sh
bench "$O/bench/bench_release"
bench "$O/bench/bench_lint" "$O/bench-data/lint-ws" 2000
bench sh tests/bench/bench_tui.sh
bench sh tests/bench/bench_views.sh
bench "$O/bench/bench_render" "$O/bench-data/render"
# --- end ---------------------------------------------------------------------------------------
exit $status
