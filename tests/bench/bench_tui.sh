#!/bin/sh
# TUI benchmarks, measured with the key-script mode (CSF_TUI_SCRIPT + CSF_TUI_BENCH):
#   1. start to first frame on samples/ (target <= 50 ms), and to the first frame with findings;
#   2. keystroke to frame while scrolling a 100k-line blueprint (target <= 16 ms);
#   3. bytes written to the terminal per scroll step (one line: C-e and j; one page: PgDn),
#      csf-tui against `less` (j, Space) on the same file
#      in the same run (target: no more than less), both on a real pty in tmux (pipe-pane).
# Usage: tests/bench/bench_tui.sh   ($CSF_TUI, $O as set by tests/bench/run.sh)
set -eu
top=${CSF_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-build}
CSF_TUI=${CSF_TUI:-$top/$O/csf-tui}
data=${BENCH_DATA:-$top/$O/bench-data}/tui
runs=${BENCH_RUNS:-20}
steps=${BENCH_STEPS:-200}
mkdir -p "$data"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/csf-bench-tui.XXXXXX")
trap 'for s in "$tmp"/sock*; do tmux -S "$s" kill-server 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
export HOME="$tmp/home" LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color LINES=24 COLUMNS=80
unset XDG_CONFIG_HOME XDG_STATE_HOME CSF_TUI_TRACE NO_COLOR
mkdir -p "$HOME"

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
field() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

# ---- 1. start to first frame ----------------------------------------------------------------
printf ':quit\n' > "$tmp/quit.script"
: > "$tmp/first" ; : > "$tmp/lintf"; : > "$tmp/wall"
i=0
while [ $i -lt "$runs" ]; do
	t0=$(date +%s%N)
	CSF_TUI_SCRIPT="$tmp/quit.script" CSF_TUI_NO_DISPLAY=1 CSF_TUI_BENCH="$tmp/b" \
		"$CSF_TUI" --workspace "$top/samples"
	t1=$(date +%s%N)
	field first_frame_ms "$tmp/b" >> "$tmp/first"
	field lint_frame_ms "$tmp/b" >> "$tmp/lintf"
	echo "$(( (t1 - t0) / 1000 ))" | awk '{ printf "%.3f\n", $1 / 1000 }' >> "$tmp/wall"
	i=$((i + 1))
done
ff=$(median < "$tmp/first")
lf=$(median < "$tmp/lintf")
wall=$(median < "$tmp/wall")
echo "start to first frame, samples/ (median of $runs): ${ff} ms (target <= 50 ms)"
echo "  first frame with findings (lint done):          ${lf} ms"
echo "  whole run, exec to exit (\`:quit\` script):        ${wall} ms"

# ---- 2. keystroke to frame, 100k-line file ----------------------------------------------------
ws=$data/big-ws
if [ ! -f "$ws/blueprints/big.yaml" ]; then
	mkdir -p "$ws/blueprints"
	printf 'apiVersion: csf/v1\nkind: Workspace\nname: bench-big\n' > "$ws/csf.yaml"
	awk 'BEGIN {
		print "apiVersion: csf/v1"; print "kind: Blueprint"; print "module: Big";
		print "version: 1.0.0"; print "runtime:"; print "  stack: node20";
		print "  port: 8080"; print "configuration:"; print "  values:";
		for (i = 10; i <= 100000; i++)
			printf "    KEY_%06d: \"value %d of a long list\"  # scroll me\n", i, i
	}' > "$ws/blueprints/big.yaml"
fi
lines=$(wc -l < "$ws/blueprints/big.yaml")
{
	echo ":blueprint big"
	i=0; while [ $i -lt 2000 ]; do echo j; i=$((i + 1)); done
	i=0; while [ $i -lt 2000 ]; do echo '<C-e>'; i=$((i + 1)); done
	i=0; while [ $i -lt 500 ]; do echo '<PgDown>'; i=$((i + 1)); done
	echo G
	i=0; while [ $i -lt 500 ]; do echo '<PgUp>'; i=$((i + 1)); done
} > "$tmp/scroll.script"
CSF_TUI_SCRIPT="$tmp/scroll.script" CSF_TUI_NO_DISPLAY=1 CSF_TUI_BENCH="$tmp/b" \
	"$CSF_TUI" --workspace "$ws"
echo "keystroke to frame, scrolling a ${lines}-line file ($(field keys "$tmp/b") keys: j, C-e, PgDn, G, PgUp):"
echo "  mean $(field key_mean_ms "$tmp/b") ms, p50 $(field key_p50_ms "$tmp/b") ms," \
     "p95 $(field key_p95_ms "$tmp/b") ms, max $(field key_max_ms "$tmp/b") ms (target <= 16 ms)"
echo "  first frame with the file loaded and linted: $(field lint_frame_ms "$tmp/b") ms"

# ---- 3. bytes to the terminal per scroll step, against less ------------------------------------
nsock=0
pane_bytes() {	# $1: command, $2: key, $3: text that shows the program is ready
	nsock=$(ls "$tmp" | grep -c '^sock' || true)
	T="tmux -S $tmp/sock$nsock -f /dev/null"
	rm -f "$tmp/out"
	$T new-session -d -s b -x 80 -y 24 "$1; sleep 600"
	$T set-option -g status off >/dev/null
	$T resize-window -t b -x 80 -y 24 2>/dev/null || true
	n=0
	until $T capture-pane -p -t b | grep -qF -- "$3"; do
		n=$((n + 1)); [ $n -lt 400 ] || { echo "bench: '$3' never appeared" >&2; return 1; }
		sleep 0.05
	done
	${4:-true}
	sleep 0.3
	$T pipe-pane -o -t b "cat >> $tmp/out"
	sleep 0.2
	i=0
	while [ $i -lt "$steps" ]; do
		$T send-keys -t b "$2"
		sleep 0.01
		i=$((i + 1))
	done
	sleep 0.5
	$T pipe-pane -t b
	# The first line of the file on the screen (its KEY_ number), for lines per step.
	top=$($T capture-pane -p -t b | grep -o 'KEY_[0-9]*' | head -1 | sed 's/KEY_0*//')
	$T kill-server 2>/dev/null || true
	echo "$(wc -c < "$tmp/out") ${top:-0}"
}
zoom_source() {
	$T send-keys -t b : b l u e p r i n t Space b i g Enter
	sleep 0.5
	$T send-keys -t b z
	sleep 0.3
}
ours=$(pane_bytes "CSF_TUI_TRACE= $CSF_TUI --workspace $ws" C-e 'Findings:' zoom_source)
mono=$(pane_bytes "NO_COLOR=1 $CSF_TUI --workspace $ws" C-e 'Findings:' zoom_source)
jkey=$(pane_bytes "CSF_TUI_TRACE= $CSF_TUI --workspace $ws" j 'Findings:' zoom_source)
theirs=$(pane_bytes "LESS= LESSOPEN= less -S $ws/blueprints/big.yaml" j 'apiVersion')
echo "bytes to the terminal per scroll step (80x24, $steps steps, same file, same run):"
ours=${ours%% *} mono=${mono%% *} jkey=${jkey%% *} theirs=${theirs%% *}
awk -v o="$ours" -v m="$mono" -v j="$jkey" -v t="$theirs" -v n="$steps" 'BEGIN {
	printf "  csf-tui, colour (C-e, zoomed source pane): %.1f bytes/step\n", o / n;
	printf "  csf-tui, colour (j: cursor, then scroll):  %.1f bytes/step\n", j / n;
	printf "  csf-tui, NO_COLOR (C-e, zoomed source):    %.1f bytes/step\n", m / n;
	printf "  less -S (j):                               %.1f bytes/step\n", t / n;
	printf "  ratio csf-tui / less: colour %.2f, mono %.2f (target <= 1)\n",
	       (t ? o / t : 0), (t ? m / t : 0);
}'

# Page steps: bytes per line scrolled (PgDn in csf-tui, Space in less; pages differ in size,
# so the count of lines each run moved is read back from the screen).
steps=30
pg=$(pane_bytes "CSF_TUI_TRACE= $CSF_TUI --workspace $ws" NPage 'Findings:' zoom_source)
pgm=$(pane_bytes "NO_COLOR=1 $CSF_TUI --workspace $ws" NPage 'Findings:' zoom_source)
pgl=$(pane_bytes "LESS= LESSOPEN= less -S $ws/blueprints/big.yaml" Space 'apiVersion')
echo "bytes to the terminal per line scrolled by page steps ($steps pages, same file, same run):"
echo "$pg $pgm $pgl" | awk '{
	# top lines after the steps; both start at KEY_000010 (the first key of the file)
	printf "  csf-tui, colour (PgDn): %.1f bytes/line (%d lines)\n", $1 / ($2 - 10), $2 - 10;
	printf "  csf-tui, NO_COLOR (PgDn): %.1f bytes/line (%d lines)\n", $3 / ($4 - 10), $4 - 10;
	printf "  less -S (Space): %.1f bytes/line (%d lines)\n", $5 / ($6 - 10), $6 - 10;
	printf "  ratio csf-tui / less: colour %.2f, mono %.2f (target <= 1)\n",
	       ($1 / ($2 - 10)) / ($5 / ($6 - 10)), ($3 / ($4 - 10)) / ($5 / ($6 - 10));
}'
