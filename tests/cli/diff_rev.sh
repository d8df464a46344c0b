#!/bin/sh
# Headless diff --rev against a git fixture repository made here with the git CLI: HEAD, a
# commit, a branch, the index (":") and the working tree, single files and folders; the git
# CLI must agree with every line diff (same hunks and changed lines as `git diff`).
set -u
CSF_TUI=${CSF_TUI:-build/csf-tui}
case $CSF_TUI in /*) ;; *) CSF_TUI=$(pwd)/$CSF_TUI ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_CONFIG_PARAMETERS
export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
export GIT_AUTHOR_NAME=Fixture GIT_AUTHOR_EMAIL=fixture@example.com GIT_AUTHOR_DATE=2026-01-01T00:00:00Z
export GIT_COMMITTER_NAME=Fixture GIT_COMMITTER_EMAIL=fixture@example.com GIT_COMMITTER_DATE=2026-01-01T00:00:00Z
mkdir -p "$HOME" "$tmp/repo/blueprints"
cd "$tmp/repo" || exit 2
fails=0

ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

# run NAME WANT_EXIT -- command...: output in out.txt, stderr in err.txt.
run() {
	name=$1 want=$2
	shift 3
	"$@" >out.txt 2>err.txt
	rc=$?
	if [ "$rc" != "$want" ]; then
		bad "$name: exit $rc, want $want"; cat err.txt; return 1
	fi
	ok "$name"
}

# agree NAME -- git diff args...: our out.txt against git's patch (headers from ---, the
# function context after @@ removed).
agree() {
	name=$1
	shift 2
	git -c core.quotepath=false diff --no-color --no-ext-diff "$@" \
		| sed -n '/^--- /,$p' | sed 's/^\(@@ [^@]* @@\).*/\1/' >git.txt
	if diff -u git.txt out.txt >agree.txt; then ok "$name agrees with git"; else bad "$name agrees with git"; cat agree.txt; fi
}

git init -q -b main .
cat >blueprints/booking.yaml <<'EOF'
apiVersion: csf/v1
kind: Blueprint
module: BookingService
version: 1.2.3
runtime:
  stack: dotnet
scaling:
  minReplicas: 2
  maxReplicas: 10
configuration:
  values:
    LOG_LEVEL: info
    FEATURE_X: "off"
EOF
printf 'kind: Tenant\ntenantId: vetclinic-001\n' >tenant.yaml
git add . && git commit -q -m v1
sed -i 's/^version: 1.2.3/version: 1.2.4/; s/maxReplicas: 10/maxReplicas: 20/' blueprints/booking.yaml
printf 'apiVersion: csf/v1\nkind: Blueprint\nmodule: Billing\n' >blueprints/billing.yaml
git add . && git commit -q -m v2
git checkout -q -b feature
sed -i 's/LOG_LEVEL: info/LOG_LEVEL: debug/' blueprints/booking.yaml
git commit -q -am feature
git checkout -q main
# Staged: minReplicas 3; working tree on top: FEATURE_X on.
sed -i 's/minReplicas: 2/minReplicas: 3/' blueprints/booking.yaml
git add blueprints/booking.yaml
sed -i 's/FEATURE_X: "off"/FEATURE_X: "on"/' blueprints/booking.yaml

bp=blueprints/booking.yaml

run commit-range 1 -- "$CSF_TUI" --headless diff --rev HEAD~1..HEAD $bp
agree commit-range -- HEAD~1 HEAD -- $bp
cat >want.txt <<'EOF'
--- a/blueprints/booking.yaml
+++ b/blueprints/booking.yaml
@@ -1,12 +1,12 @@
 apiVersion: csf/v1
 kind: Blueprint
 module: BookingService
-version: 1.2.3
+version: 1.2.4
 runtime:
   stack: dotnet
 scaling:
   minReplicas: 2
-  maxReplicas: 10
+  maxReplicas: 20
 configuration:
   values:
     LOG_LEVEL: info
EOF
diff -u want.txt out.txt >/dev/null && ok commit-range-golden || { bad commit-range-golden; diff -u want.txt out.txt; }

run head-vs-worktree 1 -- "$CSF_TUI" --headless diff --rev HEAD $bp
agree head-vs-worktree -- HEAD -- $bp
run index-vs-worktree 1 -- "$CSF_TUI" --headless diff --rev : $bp
agree index-vs-worktree -- -- $bp
run head-vs-index 1 -- "$CSF_TUI" --headless diff --rev HEAD..INDEX $bp
agree head-vs-index -- --cached -- $bp
run branches 1 -- "$CSF_TUI" --headless diff --rev main..feature $bp
agree branches -- main feature -- $bp
id=$(git rev-parse --short HEAD~1)
run commit-id 1 -- "$CSF_TUI" --headless diff --rev "$id..feature" $bp
agree commit-id -- "$id" feature -- $bp
run context-1 1 -- "$CSF_TUI" --headless diff --context 1 --rev HEAD~1..HEAD $bp
agree context-1 -- -U1 HEAD~1 HEAD -- $bp

# From a subfolder, with a relative path.
(cd blueprints && "$CSF_TUI" --headless diff --rev HEAD~1..HEAD booking.yaml) >out.txt
agree subfolder -- HEAD~1 HEAD -- $bp

run same-rev 0 -- "$CSF_TUI" --headless diff --rev HEAD..HEAD $bp
[ -s out.txt ] && bad same-rev-silent || ok same-rev-silent

# A file that exists on one side only.
run added-file 1 -- "$CSF_TUI" --headless diff --rev HEAD~1..HEAD blueprints/billing.yaml
agree added-file -- HEAD~1 HEAD -- blueprints/billing.yaml

# Semantic diff between revisions.
cat >want.txt <<'EOF'
~ version: 1.2.3 → 1.2.4
~ scaling.maxReplicas: 10 → 20
EOF
run semantic 1 -- "$CSF_TUI" --headless diff --semantic --rev HEAD~1..HEAD $bp
diff -u want.txt out.txt && ok semantic-golden || bad semantic-golden
cat >want.txt <<'EOF'
~ scaling.minReplicas: 2 → 3
~ configuration.values.FEATURE_X: off → on
EOF
run semantic-worktree 1 -- "$CSF_TUI" --headless diff --semantic --rev HEAD $bp
diff -u want.txt out.txt && ok semantic-worktree-golden || bad semantic-worktree-golden

# A folder: every file under it, with +/- counts that match git --numstat.
run folder 1 -- "$CSF_TUI" --headless diff --rev HEAD~1..HEAD blueprints
git diff --numstat HEAD~1 HEAD -- blueprints | awk '{ printf "%s +%s -%s\n", $3, $1, $2 }' >git.txt
grep -E '^[AMD] ' out.txt | awk '{ print $2, $3, $4 }' >ours.txt
diff -u git.txt ours.txt && ok folder-numstat-agrees || bad folder-numstat-agrees
grep -q '^2 files changed, 5 insertions(+), 2 deletions(-)$' out.txt && ok folder-totals || { bad folder-totals; cat out.txt; }
# Whole repository from the top with no PATH.
run whole-repo 1 -- "$CSF_TUI" --headless diff --rev HEAD~1..HEAD
grep -q '^A blueprints/billing.yaml' out.txt && ok whole-repo-lists || bad whole-repo-lists

# Errors.
run unknown-rev 2 -- "$CSF_TUI" --headless diff --rev nosuchbranch $bp
grep -q "unknown revision 'nosuchbranch'" err.txt && ok unknown-rev-message || { bad unknown-rev-message; cat err.txt; }
run not-in-either 2 -- "$CSF_TUI" --headless diff --rev HEAD~1..HEAD blueprints/none.yaml
run bad-range 2 -- "$CSF_TUI" --headless diff --rev 'a...b' $bp
(cd "$tmp" && "$CSF_TUI" --headless diff --rev HEAD home >/dev/null 2>&1); rc=$?
[ "$rc" = 2 ] && ok not-a-repo || bad "not-a-repo: exit $rc"

[ "$fails" -eq 0 ]
