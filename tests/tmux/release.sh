# A full promotion on a real pty: the samples copied here with a GitOps repository in which
# BookingService/vetclinic-001 has 1.2.3 in dev and staging; the board (:release), Enter on the
# cell waiting for production, the diff step, the gates step blocked on approval, the approval
# typed on the command line (name, then reason), the commit confirmed with y, the board showing
# 1.2.3 in production; git shows the commit with the approver's trailer; the terminal is
# restored on quit.
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 CSF_NOW=2026-11-26T10:00:00Z
export GIT_AUTHOR_NAME="Rel Eng" GIT_AUTHOR_EMAIL=releng@example.com
export GIT_COMMITTER_NAME="Rel Eng" GIT_COMMITTER_EMAIL=releng@example.com
rm -rf "$ws"
cp -R "$top/samples" "$ws"
rm -rf "$ws/.gitops"
printf '<testsuite tests="3" failures="0" errors="0"></testsuite>\n' >"$tmp/tests.xml"
"$CSF_TUI" --headless --workspace "$ws" release new BookingService vetclinic-001 \
	--test-report "$tmp/tests.xml" >/dev/null
"$CSF_TUI" --headless --workspace "$ws" release promote BookingService vetclinic-001 dev staging \
	--test-report "$tmp/tests.xml" >/dev/null
# the pipeline asks for the report the TUI cannot be given on its command line
sed -i 's|^      lintClean: true$|      lintClean: true\n      testReport: '"$tmp"'/tests.xml|' \
	"$ws/.gitops/pipeline.yaml"
git -C "$ws/.gitops" commit -q -am "pipeline: test report"
start 80 24
wait_for 'Findings:'
keys : r e l e a s e Enter
wait_for 'MODULE'
wait_for '1.2.3   -          -> production'
keys j j j
wait_for 'waiting: staging 1.2.3 -> production (Enter: promote)'
keys Enter
wait_for 'Step 1/3 diff: promote BookingService/vetclinic-001 staging -> production'
keys Enter
wait_for 'Gates of production: blocked'
wait_for 'production needs a named approval'
keys Enter
wait_for 'approve as (name):'
keys a l i c e Enter
wait_for 'reason:'
keys C A B - 4 2 Enter
wait_for 'approved by alice: CAB-42'
wait_for 'Enter: commit'
keys Enter
wait_for 'Commit this release to the GitOps repository?'
keys y
wait_for 'committed '
wait_for 'nothing waiting (Enter: history)'
assert_screen_has 'production   1.2.3'
keys q
wait_for 'Findings:'
keys Q
wait_exit
git -C "$ws/.gitops" log -1 --format='%s|%(trailers:key=Approved-By,valueonly)' | head -1 >"$tmp/last"
grep -qx 'release: promote BookingService/vetclinic-001 1.2.3 from staging to production|alice' \
	"$tmp/last" || { echo "FAIL: $name: git log shows: $(cat "$tmp/last")"; failures=$((failures + 1)); }
[ -z "$(git -C "$ws/.gitops" status --porcelain)" ] ||
	{ echo "FAIL: $name: the GitOps working tree is not clean"; failures=$((failures + 1)); }
finish
