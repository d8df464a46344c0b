#!/bin/sh
# make bench: the preview re-renders a cell after a keypress within one frame (target <= 16 ms,
# DESIGN §11). The TUI runs a key script without a terminal on samples/: the preview of
# BookingService, then 60 keys that each change the cell (provider, tenant, environment) and
# re-render it; CSF_TUI_BENCH reports the key-to-frame times. Baseline in the same run:
# `csf-tui --headless render` of the same cell, a whole process that renders once.
set -u
O=${O:-build}
top=$(pwd)
bin=$top/$O/csf-tui
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm LINES=24 COLUMNS=80 NO_COLOR=1
{
	echo ':preview BookingService'
	i=0
	while [ $i -lt 20 ]; do
		echo p; echo t; echo v
		i=$((i + 1))
	done
} > "$tmp/script"
CSF_TUI_NO_DISPLAY=1 CSF_TUI_SCRIPT="$tmp/script" CSF_TUI_BENCH="$tmp/bench" \
	"$bin" --workspace "$top/samples" || { echo "csf-tui failed"; exit 1; }
p95=$(sed -n 's/^key_p95_ms //p' "$tmp/bench")
max=$(sed -n 's/^key_max_ms //p' "$tmp/bench")
mean=$(sed -n 's/^key_mean_ms //p' "$tmp/bench")
keys=$(sed -n 's/^keys //p' "$tmp/bench")
t0=$(date +%s%N)
n=0
while [ $n -lt 10 ]; do
	"$bin" --headless --workspace "$top/samples" render BookingService --provider aws \
		--tenant vetclinic-001 --env production --format yaml >/dev/null 2>&1
	n=$((n + 1))
done
t1=$(date +%s%N)
once=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e6 / 10 }')
echo "preview: key -> re-rendered frame over $keys keys: mean $mean ms, p95 $p95 ms, max $max ms (target <= 16 ms: $(awk -v p="$p95" 'BEGIN { print (p <= 16) ? "met" : "MISSED" }'))"
echo "  baseline: csf-tui --headless render of one cell, whole process: $once ms; ratio p95/baseline = $(awk -v p="$p95" -v b="$once" 'BEGIN { printf "%.2f", p / b }')"
awk -v p="$p95" 'BEGIN { exit (p <= 16) ? 0 : 1 }'
