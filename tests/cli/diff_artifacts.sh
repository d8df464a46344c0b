#!/bin/sh
# Headless diff --artifacts: what a blueprint change does to the generated artifacts of one
# cell (provider × tenant × environment), between two blueprint files and between git
# revisions of a workspace (a fixture repository made here from samples/). The file list must
# agree with `git diff --no-index --numstat` on the same two cells written by `render --out`.
set -u
CSF_TUI=${CSF_TUI:-build/csf-tui}
case $CSF_TUI in /*) ;; *) CSF_TUI=$(pwd)/$CSF_TUI ;; esac
top=${CSF_TOP:-$(pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_CONFIG_PARAMETERS
export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
export GIT_AUTHOR_NAME=Fixture GIT_AUTHOR_EMAIL=fixture@example.com GIT_AUTHOR_DATE=2026-01-01T00:00:00Z
export GIT_COMMITTER_NAME=Fixture GIT_COMMITTER_EMAIL=fixture@example.com GIT_COMMITTER_DATE=2026-01-01T00:00:00Z
mkdir -p "$HOME" "$tmp/repo/ws"
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
run() {
	name=$1 want=$2
	shift 3
	"$@" >out.txt 2>err.txt
	rc=$?
	if [ "$rc" != "$want" ]; then bad "$name: exit $rc, want $want"; cat err.txt; return 1; fi
	ok "$name"
}

for d in csf.yaml blueprints tenants editions environments; do cp -R "$top/samples/$d" "$tmp/repo/ws/"; done
cd "$tmp/repo" || exit 2
git init -q -b main . && git add . && git commit -q -m "workspace v1"
bp=ws/blueprints/booking-service.yaml
cp $bp "$tmp/booking-v1.yaml"
sed -i 's/^version: 1\.2\.3/version: 1.2.4/; s/^  maxReplicas: 10/  maxReplicas: 12/' $bp
grep -q '^version: 1.2.4' $bp && grep -q '^  maxReplicas: 12' $bp || { echo "fixture edit failed"; exit 2; }
cell="--provider aws --tenant pawsandclaws-002 --env production"

# HEAD against the working tree, for one blueprint.
run rev-blueprint 1 -- "$CSF_TUI" --headless diff --artifacts --rev HEAD $cell $bp
cp out.txt rev.txt
grep -q '^M k8s/scaledobject.yaml ' rev.txt && ok lists-scaledobject || bad lists-scaledobject
grep -q '^M k8s/deployment.yaml ' rev.txt && ok lists-deployment || bad lists-deployment
sed -n '/^summary:$/,/^$/p' rev.txt >summary.txt
# replicasFactor 2 in production: 12 → 24 (was 10 → 20).
for want in '  image 1.2.3 → 1.2.4' '  maxReplicaCount 20 → 24' '  blueprintHash changed'; do
	grep -qx "$want" summary.txt && ok "summary: $want" || { bad "summary: $want"; cat summary.txt; }
done

# The same two cells rendered to folders: git agrees on the changed files and line counts.
cp $bp "$tmp/booking-v2.yaml"
cp "$tmp/booking-v1.yaml" $bp
"$CSF_TUI" --headless --workspace ws render $bp $cell --out "$tmp/old" >/dev/null 2>&1
cp "$tmp/booking-v2.yaml" $bp
"$CSF_TUI" --headless --workspace ws render $bp $cell --out "$tmp/new" >/dev/null 2>&1
o=$(find "$tmp/old" -name Dockerfile | head -1); n=$(find "$tmp/new" -name Dockerfile | head -1)
if [ -n "$o" ] && [ -n "$n" ]; then
	git diff --no-index --numstat "$(dirname "$o")" "$(dirname "$n")" | awk '{ print $1, $2 }' >git-counts.txt
	grep -E '^[AMD] ' rev.txt | awk '{ sub(/^\+/, "", $3); sub(/^-/, "", $4); print $3, $4 }' >our-counts.txt
	diff -u git-counts.txt our-counts.txt && ok "counts agree with git diff --numstat" \
		|| bad "counts agree with git diff --numstat"
	[ "$(grep -c . our-counts.txt)" = "$(git diff --no-index --name-only "$(dirname "$o")" "$(dirname "$n")" | grep -c .)" ] \
		&& ok "file count agrees with git" || bad "file count agrees with git"
else
	bad "render --out wrote the two cells"
fi

# Two blueprint files (the old one outside the workspace).
run files 1 -- "$CSF_TUI" --headless diff --artifacts $cell "$tmp/booking-v1.yaml" $bp
sed -n '/^summary:$/,/^$/p' out.txt | grep -qx '  maxReplicaCount 20 → 24' && ok files-summary || bad files-summary
run files-same 0 -- "$CSF_TUI" --headless diff --artifacts $cell $bp $bp
[ -s out.txt ] && bad files-same-silent || ok files-same-silent

# Revisions with nothing changed for this cell: exit 0.
git add -A && git commit -q -m "workspace v2"
run rev-same 0 -- "$CSF_TUI" --headless diff --artifacts --rev HEAD $cell $bp
run rev-range 1 -- "$CSF_TUI" --headless diff --artifacts --rev HEAD~1..HEAD $cell $bp
diff -u rev.txt out.txt >/dev/null && ok "commit range = earlier worktree diff" || bad "commit range = earlier worktree diff"
# The whole workspace: every module's artifacts, under the module's name.
run rev-workspace 1 -- "$CSF_TUI" --headless diff --artifacts --rev HEAD~1..HEAD $cell ws
grep -q '^M booking-service/k8s/scaledobject.yaml ' out.txt && ok workspace-prefixed || bad workspace-prefixed
grep -q '^M payments-service/' out.txt && bad "workspace: other modules unchanged" || ok "workspace: other modules unchanged"

# JSON and semantic modes.
run json 1 -- "$CSF_TUI" --headless diff --artifacts --rev HEAD~1..HEAD --format json $cell $bp
python3 -c 'import json; d=json.load(open("out.txt")); assert d["same"] is False; assert "maxReplicaCount 20 → 24" in d["summary"], d["summary"]; f=[x for x in d["files"] if x["path"]=="k8s/scaledobject.yaml"][0]; assert f["status"]=="changed" and f["diff"]["added"]>=1, f' \
	&& ok json-content || bad json-content
run semantic 1 -- "$CSF_TUI" --headless diff --artifacts --semantic --rev HEAD~1..HEAD $cell $bp
grep -q '^~ spec.maxReplicaCount: 20 → 24$' out.txt && ok semantic-path || { bad semantic-path; grep -n maxReplica out.txt; }

# Two cells of the matrix for one blueprint: aws staging against gcp production.
run cells 1 -- "$CSF_TUI" --headless diff --cells aws/pawsandclaws-002/staging..gcp/pawsandclaws-002/production $bp
for want in 'D iac/aws/stack.yaml' 'A iac/gcp/main.tf'; do
	grep -q "^$want " out.txt && ok "cells: $want" || bad "cells: $want"
done
for want in '  provider aws → gcp' '  environment staging → production'; do
	grep -qx "$want" out.txt && ok "cells summary: $want" || bad "cells summary: $want"
done
run cells-same 0 -- "$CSF_TUI" --headless diff --cells aws/-/dev..aws/-/dev $bp
run cells-bad 2 -- "$CSF_TUI" --headless diff --cells aws/pawsandclaws-002/staging $bp
run cells-with-rev 2 -- "$CSF_TUI" --headless diff --cells aws/-/-..gcp/-/- --rev HEAD $bp

# Errors.
run unknown-tenant 2 -- "$CSF_TUI" --headless diff --artifacts --rev HEAD --tenant nobody $bp
run unknown-provider 2 -- "$CSF_TUI" --headless diff --artifacts --rev HEAD --provider ibm $bp
run cell-without-artifacts 2 -- "$CSF_TUI" --headless diff --tenant pawsandclaws-002 $bp $bp

[ "$fails" -eq 0 ]
