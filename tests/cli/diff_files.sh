#!/bin/sh
# Headless diff of two files and two folders: golden output and exit codes (0 same, 1 different,
# 2 error), side-by-side at a width, semantic mode, JSON, CRLF, binary and missing files.
set -u
CSF_TUI=${CSF_TUI:-build/csf-tui}
case $CSF_TUI in /*) ;; *) CSF_TUI=$(pwd)/$CSF_TUI ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
export LANG=C.UTF-8 LC_ALL=C.UTF-8 COLUMNS=80
fails=0

# check NAME WANT_EXIT EXPECTED_FILE -- command...: runs the command, compares stdout and exit.
check() {
	name=$1 want=$2 expect=$3
	shift 4
	"$@" >out.txt 2>err.txt
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL $name: exit $rc, want $want"; cat err.txt; fails=$((fails + 1)); return
	fi
	if [ -n "$expect" ] && ! diff -u "$expect" out.txt; then
		echo "FAIL $name: output differs"; fails=$((fails + 1)); return
	fi
	echo "ok   $name"
}

cat >a.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: booking-service
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: booking
          image: registry.example.com/booking:1.2.3
        - name: envoy
          image: envoyproxy/envoy:v1.30
EOF
cat >b.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: booking-service
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: envoy
          image: envoyproxy/envoy:v1.30
        - name: booking
          image: registry.example.com/booking:1.2.4
EOF
# The same content, reformatted (flow style, other key order, a comment).
cat >a-flow.yaml <<'EOF'
# reformatted
kind: Deployment
apiVersion: apps/v1
metadata: {name: booking-service}
spec:
  template: {spec: {containers: [{name: booking, image: "registry.example.com/booking:1.2.3"},
    {name: envoy, image: "envoyproxy/envoy:v1.30"}]}}
  replicas: 2
EOF

check same 0 /dev/null -- "$CSF_TUI" --headless diff a.yaml a.yaml

cat >want.txt <<'EOF'
--- a.yaml
+++ b.yaml
@@ -3,11 +3,11 @@
 metadata:
   name: booking-service
 spec:
-  replicas: 2
+  replicas: 3
   template:
     spec:
       containers:
-        - name: booking
-          image: registry.example.com/booking:1.2.3
         - name: envoy
           image: envoyproxy/envoy:v1.30
+        - name: booking
+          image: registry.example.com/booking:1.2.4
EOF
check unified 1 want.txt -- "$CSF_TUI" --headless diff a.yaml b.yaml

cat >want.txt <<'EOF'
--- a.yaml
+++ b.yaml
@@ -6 +6 @@
-  replicas: 2
+  replicas: 3
@@ -10,2 +9,0 @@
-        - name: booking
-          image: registry.example.com/booking:1.2.3
@@ -13,0 +12,2 @@
+        - name: booking
+          image: registry.example.com/booking:1.2.4
EOF
check context-0 1 want.txt -- "$CSF_TUI" --headless diff --context 0 a.yaml b.yaml

cat >want.txt <<'EOF'
--- a.yaml
+++ b.yaml
@@ -6 +6 @@
-  replicas: [-2-]
+  replicas: {+3+}
@@ -10,2 +9,0 @@
-        - name: booking
-          image: registry.example.com/booking:1.2.3
@@ -13,0 +12,2 @@
+        - name: booking
+          image: registry.example.com/booking:1.2.4
EOF
check word-diff 1 want.txt -- "$CSF_TUI" --headless diff --word-diff -U0 a.yaml b.yaml

cat >want.txt <<'EOF'
   a.yaml                         b.yaml
@@ -3,11 +3,11 @@
 3 metadata:                    3 metadata:
 4   name: booking-service      4   name: booking-service
 5 spec:                        5 spec:
 6   replicas: 2             |  6   replicas: 3
 7   template:                  7   template:
 8     spec:                    8     spec:
 9       containers:            9       containers:
10         - name: booking   <
11           image: registr> <
12         - name: envoy       10         - name: envoy
13           image: envoypr>   11           image: envoypr>
                             > 12         - name: booking
                             > 13           image: registr>
EOF
check side-by-side-60 1 want.txt -- "$CSF_TUI" --headless diff --side-by-side --width 60 a.yaml b.yaml
# Every line fits the width.
"$CSF_TUI" --headless diff --side-by-side --width 60 a.yaml b.yaml | awk 'length($0) > 60 { bad = 1 } END { exit bad }' \
	&& echo "ok   side-by-side-fits" || { echo "FAIL side-by-side-fits"; fails=$((fails + 1)); }
# A width the side-by-side cannot honour (below its 40 columns) or not a number is refused.
for w in 5 39 0 80x ''; do
	check "side-by-side-width-'$w'" 2 /dev/null -- "$CSF_TUI" --headless diff --side-by-side --width "$w" a.yaml b.yaml
	grep -q "^csf-tui: diff: --width wants a number of columns from 40 to 10000, not '$w'\$" err.txt \
		&& echo "ok   side-by-side-width-'$w'-message" \
		|| { echo "FAIL side-by-side-width-'$w'-message"; cat err.txt; fails=$((fails + 1)); }
done
check side-by-side-width-40 1 "" -- "$CSF_TUI" --headless diff --side-by-side --width 40 a.yaml b.yaml

cat >want.txt <<'EOF'
~ spec.replicas: 2 → 3
~ spec.template.spec.containers[name=booking].image: registry.example.com/booking:1.2.3 → registry.example.com/booking:1.2.4
↕ spec.template.spec.containers: order [booking, envoy] → [envoy, booking]
EOF
check semantic 1 want.txt -- "$CSF_TUI" --headless diff --semantic a.yaml b.yaml
# Reformatting is a line change but not a semantic one.
check reformat-lines 1 "" -- "$CSF_TUI" --headless diff a.yaml a-flow.yaml
check reformat-semantic 0 /dev/null -- "$CSF_TUI" --headless diff --semantic a.yaml a-flow.yaml

# JSON: valid, and says what changed.
check json 1 "" -- "$CSF_TUI" --headless diff --format json a.yaml b.yaml
python3 -c 'import json,sys; d=json.load(open("out.txt")); assert d["same"] is False and d["added"]==3 and d["removed"]==3, d; assert d["hunks"][0]["lines"][3]=={"kind":"-","old":6,"text":"  replicas: 2","spans":[[12,1]]}, d["hunks"][0]["lines"][3]' \
	&& echo "ok   json-content" || { echo "FAIL json-content"; fails=$((fails + 1)); }
check json-semantic 1 "" -- "$CSF_TUI" --headless diff --semantic --format json a.yaml b.yaml
python3 -c 'import json; d=json.load(open("out.txt")); c=d["changes"]; assert [x["kind"] for x in c]==["changed","changed","reordered"], c; assert c[0]=={"kind":"changed","path":"spec.replicas","old":2,"new":3,"oldType":"integer","newType":"integer","oldLine":6,"newLine":6}, c[0]' \
	&& echo "ok   json-semantic-content" || { echo "FAIL json-semantic-content"; fails=$((fails + 1)); }

# Latin-1 bytes (not UTF-8) still give valid JSON.
printf 'name: caf\351\n' >latin1.yaml
printf 'name: cafe\n' >ascii.yaml
check json-latin1 1 "" -- "$CSF_TUI" --headless diff --format json latin1.yaml ascii.yaml
python3 -c 'import json; d=json.load(open("out.txt", encoding="utf-8")); assert d["hunks"][0]["lines"][0]["text"] == "name: caf\ufffd", d' \
	&& echo "ok   json-latin1-valid" || { echo "FAIL json-latin1-valid"; fails=$((fails + 1)); }
check help 0 "" -- "$CSF_TUI" --headless diff --help
grep -q -- '--cells CELL..CELL' out.txt && grep -q -- '--rev R1' out.txt \
	&& echo "ok   help-lists-options" || { echo "FAIL help-lists-options"; fails=$((fails + 1)); }

# CRLF: a visible change; whitespace-insensitive mode sees none.
printf 'a: 1\r\nb: 2\r\n' >crlf.yaml
printf 'a: 1\nb: 2\n' >lf.yaml
cat >want.txt <<'EOF'
--- crlf.yaml
+++ lf.yaml
@@ -1,2 +1,2 @@
-a: 1^M
-b: 2^M
+a: 1
+b: 2
EOF
check crlf 1 want.txt -- "$CSF_TUI" --headless diff crlf.yaml lf.yaml
check crlf-ignore-ws 0 /dev/null -- "$CSF_TUI" --headless diff --ignore-whitespace crlf.yaml lf.yaml
check crlf-semantic 0 /dev/null -- "$CSF_TUI" --headless diff --semantic crlf.yaml lf.yaml

# No final newline.
printf 'a: 1\nb: 2' >nonl.yaml
cat >want.txt <<'EOF'
--- lf.yaml
+++ nonl.yaml
@@ -1,2 +1,2 @@
 a: 1
-b: 2
+b: 2
\ No newline at end of file
EOF
check no-final-newline 1 want.txt -- "$CSF_TUI" --headless diff lf.yaml nonl.yaml

# Empty files.
: >empty.yaml
cat >want.txt <<'EOF'
--- empty.yaml
+++ lf.yaml
@@ -0,0 +1,2 @@
+a: 1
+b: 2
EOF
check empty 1 want.txt -- "$CSF_TUI" --headless diff empty.yaml lf.yaml
check empty-same 0 /dev/null -- "$CSF_TUI" --headless diff empty.yaml /dev/null

# Binary content is refused cleanly: one line, no bytes of the content.
printf 'PK\003\004\000\001\033[31m' >a.bin
printf 'PK\003\004\000\002\033[31m' >b.bin
echo 'Binary files a.bin and b.bin differ' >want.txt
check binary 1 want.txt -- "$CSF_TUI" --headless diff a.bin b.bin
check binary-same 0 /dev/null -- "$CSF_TUI" --headless diff a.bin a.bin
check binary-semantic 2 /dev/null -- "$CSF_TUI" --headless diff --semantic a.yaml a.bin

# Errors: missing file, bad YAML in semantic mode, usage.
check missing 2 /dev/null -- "$CSF_TUI" --headless diff a.yaml nope.yaml
grep -q 'nope.yaml: cannot read' err.txt && echo "ok   missing-message" || { echo "FAIL missing-message"; cat err.txt; fails=$((fails + 1)); }
printf 'a: [1\n' >bad.yaml
check bad-yaml-semantic 2 /dev/null -- "$CSF_TUI" --headless diff --semantic a.yaml bad.yaml
grep -q '^csf-tui: diff: bad.yaml:2:1: ' err.txt && echo "ok   bad-yaml-position" || { echo "FAIL bad-yaml-position"; cat err.txt; fails=$((fails + 1)); }
check usage-one-path 2 /dev/null -- "$CSF_TUI" --headless diff a.yaml
check usage-bad-format 2 /dev/null -- "$CSF_TUI" --headless diff --format xml a.yaml b.yaml
check usage-file-vs-dir 2 /dev/null -- "$CSF_TUI" --headless diff a.yaml .

# Folders: file list with counts, then per-file diffs; JSON totals.
mkdir -p old/k8s new/k8s
cp a.yaml old/k8s/deployment.yaml; cp b.yaml new/k8s/deployment.yaml
printf 'kind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 10\n' >old/k8s/hpa.yaml
printf 'kind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 20\n' >new/k8s/hpa.yaml
printf 'FROM scratch\n' >old/Dockerfile; cp old/Dockerfile new/Dockerfile
printf 'kind: PodDisruptionBudget\n' >new/k8s/pdb.yaml
cat >want.txt <<'EOF'
M k8s/deployment.yaml  +3 -3
M k8s/hpa.yaml         +1 -1
A k8s/pdb.yaml         +1 -0
3 files changed, 5 insertions(+), 4 deletions(-)

summary:
  replicas 2 → 3
  image 1.2.3 → 1.2.4
  containers reordered
  maxReplicas 10 → 20
  added file k8s/pdb.yaml

diff k8s/deployment.yaml
~ spec.replicas: 2 → 3
~ spec.template.spec.containers[name=booking].image: registry.example.com/booking:1.2.3 → registry.example.com/booking:1.2.4
↕ spec.template.spec.containers: order [booking, envoy] → [envoy, booking]

diff k8s/hpa.yaml
~ spec.maxReplicas: 10 → 20

diff k8s/pdb.yaml
+ (document added): {kind: PodDisruptionBudget}
EOF
check folders-semantic 1 want.txt -- "$CSF_TUI" --headless diff --semantic old new
check folders-same 0 /dev/null -- "$CSF_TUI" --headless diff old old
check folders-json 1 "" -- "$CSF_TUI" --headless diff --format json old new
python3 -c 'import json; d=json.load(open("out.txt")); assert d["totals"]=={"added":1,"removed":0,"changed":2,"insertions":5,"deletions":4}, d["totals"]; assert [f["path"] for f in d["files"]]==["k8s/deployment.yaml","k8s/hpa.yaml","k8s/pdb.yaml"]' \
	&& echo "ok   folders-json-content" || { echo "FAIL folders-json-content"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ]
