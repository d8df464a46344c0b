# The release view on a copy of the samples with a GitOps repository made here: the board
# (BookingService/vetclinic-001 has 1.2.4 in dev, waiting for staging), the step-through of a
# promotion (diff, gates, Esc back, commit confirmation), production blocked until an approval
# with a name and a reason is given, history of the cell in every stage, and a rollback planned
# from it (diff, gates, Esc back to the history). git then shows the two promotions. A second
# run with --readonly shows the plan and refuses the commit.
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 CSF_NOW=2026-11-26T10:00:00Z
export GIT_AUTHOR_NAME="Rel Eng" GIT_AUTHOR_EMAIL=releng@example.com GIT_AUTHOR_DATE=2026-11-26T10:00:00Z
export GIT_COMMITTER_NAME="Rel Eng" GIT_COMMITTER_EMAIL=releng@example.com GIT_COMMITTER_DATE=2026-11-26T10:00:00Z
cp -R "$top/samples" "$tmp/samples"
ws=$tmp/samples
rm -rf "$ws/.gitops"
printf '<testsuite tests="3" failures="0" errors="0"></testsuite>\n' >"$ws/tests.xml"
git init -q -b main "$ws/.gitops"
cat >"$ws/.gitops/pipeline.yaml" <<'YAML'
apiVersion: csf/v1
kind: Pipeline
stages:
  - name: dev
    gates: { lintClean: true, testReport: tests.xml }
  - name: staging
    gates: { lintClean: true, testReport: tests.xml }
  - name: production
    gates: { lintClean: true, testReport: tests.xml, requireApproval: [alice, bob] }
YAML
git -C "$ws/.gitops" add pipeline.yaml
git -C "$ws/.gitops" commit -q -m "pipeline"
"$CSF_TUI" --headless --workspace "$ws" release new BookingService vetclinic-001 >/dev/null
sed -i 's/^version: 1.2.3$/version: 1.2.4/' "$ws/blueprints/booking-service.yaml"
"$CSF_TUI" --headless --workspace "$ws" release new BookingService vetclinic-001 >/dev/null

steps <<'SCRIPT'
:release
jjj
:save-screen release-board.screen
<Enter>
:save-screen release-diff.screen
<Enter>
:save-screen release-gates.screen
<Esc>
:save-screen release-gates-back.screen
<Enter>
<Enter>
:save-screen release-confirm.screen
y
:save-screen release-committed.screen
<Enter>
<Enter>
:save-screen release-blocked.screen
<Enter>
carol
<Enter>
looks fine
<Enter>
:save-screen release-wrong-approver.screen
<Enter>
alice
<Enter>
CAB-42
<Enter>
:save-screen release-approved.screen
<Enter>
y
:release history
:save-screen release-history.screen
G
<Enter>
:save-screen release-rollback.screen
<Enter>
:save-screen release-rollback-gates.screen
<Esc>
<Esc>
:save-screen release-rollback-back.screen
SCRIPT
run_tui
for s in board diff gates gates-back confirm committed blocked wrong-approver approved history \
	rollback rollback-gates rollback-back; do
	# commit ids depend on every byte the renderer writes: masked, so only the view is tested
	[ -f "$tmp/release-$s.screen" ] && sed -i -E 's/\b[0-9a-f]{12}\b/<commit>/g' "$tmp/release-$s.screen"
	assert_screen release-$s.screen
done
# git agrees: two promotions on top of the two releases, nothing else
git -C "$ws/.gitops" log --format=%s >"$tmp/log"
assert_grep '^release: promote BookingService/vetclinic-001 1.2.4 from staging to production$' log
assert_grep '^release: promote BookingService/vetclinic-001 1.2.4 from dev to staging$' log
assert_no_grep 'roll back' log "the rollback was committed although Esc backed out of it"
[ "$(wc -l <"$tmp/log")" -eq 5 ] || { echo "FAIL: $name: expected 5 commits"; failures=$((failures + 1)); }
[ -z "$(git -C "$ws/.gitops" status --porcelain)" ] || { echo "FAIL: $name: working tree not clean"; failures=$((failures + 1)); }

# --readonly: the plan is shown, the commit refused
sed -i 's/^version: 1.2.4$/version: 1.2.5/' "$ws/blueprints/booking-service.yaml"
steps <<'SCRIPT'
:release
jjj
<Enter>
<Enter>
<Enter>
:save-screen release-readonly.screen
SCRIPT
run_tui --readonly
assert_screen release-readonly.screen
[ "$(git -C "$ws/.gitops" rev-list --count main)" -eq 5 ] || { echo "FAIL: $name: --readonly wrote a commit"; failures=$((failures + 1)); }

# no repository yet: opening the view creates nothing; Enter offers to, y creates it
cp -R "$top/samples" "$tmp/fresh"
rm -rf "$tmp/fresh/.gitops"
ws=$tmp/fresh
steps <<'SCRIPT'
:release
:save-screen release-missing.screen
SCRIPT
run_tui
assert_grep 'no GitOps repository at .*fresh/.gitops yet' release-missing.screen
[ ! -e "$ws/.gitops" ] || { echo "FAIL: $name: opening the view created the repository"; failures=$((failures + 1)); }
steps <<'SCRIPT'
:release
<Enter>
:save-screen release-create-ask.screen
y
:save-screen release-created.screen
SCRIPT
run_tui
assert_grep 'Create the GitOps repository?' release-create-ask.screen
assert_grep '^BookingService *vetclinic-001 *- *- *- *1.2.3 -> dev' release-created.screen
[ -d "$ws/.gitops/.git" ] || { echo "FAIL: $name: y did not create the repository"; failures=$((failures + 1)); }
finish
