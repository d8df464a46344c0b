#!/bin/sh
# Headless `release` on the samples workspace with a GitOps repository made here: exit codes for
# CI (0 ok, 1 diff found, 2 error, 3 gate blocked, 4 conflict), text and JSON output, --dry-run,
# --readonly, usage errors. Golden files hold the outputs that do not depend on the renderer's
# bytes (the board, an empty promotion diff); commit ids are masked as <commit>.
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 HOME="$cli_tmp"
export GIT_AUTHOR_NAME="Rel Eng" GIT_AUTHOR_EMAIL=releng@example.com
export GIT_COMMITTER_NAME="Rel Eng" GIT_COMMITTER_EMAIL=releng@example.com
export CSF_NOW=2026-11-26T10:00:00Z
unset CSF_TEST_CRASH_AT CSF_TEST_BARRIER_AT
cd "$cli_tmp" || exit 2
printf '<testsuite tests="3" failures="0" errors="0"></testsuite>\n' >tests.xml
printf '<testsuite tests="3" failures="1" errors="0"><testcase name="a"><failure/></testcase></testsuite>\n' >red.xml
W="--workspace $CSF_TOP/samples"

# r WANT ARGS...: csf-tui --headless --workspace samples release ARGS; checks the exit status
r() {
	want=$1
	shift
	"$CSF_TUI" --headless $W release "$@" >"$cli_out" 2>"$cli_err"
	got=$?
	[ "$got" = "$want" ] || { fail "release $*: exit $got, expected $want"; sed 's/^/    /' "$cli_err" "$cli_out" >&2 | head -40; }
}

out_has() {
	grep -Eq -- "$1" "$cli_out" || { fail "release: stdout does not match '$1'"; sed 's/^/    stdout: /' "$cli_out" >&2 | head -40; }
}

# golden_masked NAME: compares the last stdout, commit ids masked, with expected/NAME.out
golden_masked() {
	exp="$CSF_TOP/tests/cli/expected/$1.out"
	sed -E 's/\b[0-9a-f]{40}\b/<commit>/g; s/\b[0-9a-f]{12}\b/<commit>/g; s/-[0-9a-f]{6}\b/-<id>/g' \
		"$cli_out" >"$cli_tmp/masked"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$cli_tmp/masked" "$exp"
	elif [ ! -f "$exp" ]; then
		fail "$1: no expected output $exp (run with UPDATE=1 and review it)"
	elif ! diff -u "$exp" "$cli_tmp/masked" >&2; then
		fail "$1: stdout differs from $exp"
	fi
}

# usage and configuration errors: exit 2
r 2
r 2 frobnicate
r 2 new BookingService
r 2 promote BookingService vetclinic-001 dev --gitops g
r 2 status --format xml --gitops g
r 2 status --gitops g
stderr_has 'no git repository'
r 2 diff BookingService vetclinic-001 dev staging --gitops g
# --readonly refuses every write before touching anything
"$CSF_TUI" --headless --readonly $W release new BookingService vetclinic-001 --gitops g \
	--test-report tests.xml >"$cli_out" 2>"$cli_err"
[ $? = 2 ] || fail "--readonly new: expected exit 2"
stderr_has 'readonly'
[ ! -e g ] || fail "--readonly created the repository"

# a red test report blocks (3) and writes nothing; --dry-run with passing gates writes nothing
r 3 new BookingService vetclinic-001 --gitops g --test-report red.xml
out_has '^  block  requireTests +test report red.xml: 1 of 3 tests failed'
out_has '^result: blocked by requireTests: nothing written'
r 0 new BookingService vetclinic-001 --gitops g --test-report tests.xml
out_has '^result: committed [0-9a-f]{12} to main \(release dev-20261126T100000Z-[0-9a-f]{6}\)'
r 0 new BookingService pawsandclaws-002 --gitops g --test-report tests.xml --dry-run
out_has '^result: dry run: gates pass, nothing written'

# dev -> staging, then production needs a named approval with a reason
r 0 promote BookingService vetclinic-001 dev staging --gitops g --test-report tests.xml
r 3 promote BookingService vetclinic-001 staging production --gitops g --test-report tests.xml
out_has '^  block  requireApproval +production needs a named approval'
r 2 promote BookingService vetclinic-001 staging production --gitops g --test-report tests.xml \
	--reason "no name"
r 0 promote BookingService vetclinic-001 staging production --gitops g --test-report tests.xml \
	--approve alice --reason "CAB-42" --format json
out_has '"result":"committed"'
out_has '"approval":\{"name":"alice","reason":"CAB-42"\}'
out_has '"name":"requireApproval","result":"pass"'

# an empty promotion: diff exits 0 and promote has nothing to commit
r 0 diff BookingService vetclinic-001 staging production --gitops g --test-report tests.xml
golden_masked release-diff-empty
r 0 promote BookingService vetclinic-001 dev staging --gitops g --test-report tests.xml
out_has '^result: staging already holds this release: nothing to commit'

# the board
r 0 status --gitops g
golden_masked release-status
r 0 status --gitops g --format json
golden_masked release-status-json

# history, in text and JSON
r 0 history production --gitops g
out_has '^  BookingService/vetclinic-001 1.2.3  release production-20261126T100000Z-[0-9a-f]{6}  from staging$'
out_has '^  approved by alice: CAB-42$'
out_has '^  gates: freeze=pass lintClean=pass requireTests=pass requireApproval=pass health=skip$'
r 0 history dev --gitops g --format json --module BookingService --tenant vetclinic-001
out_has '"author":"Rel Eng","email":"releng@example.com","when":"2026-11-26T10:00:00Z"'
r 2 history qa --gitops g
stderr_has 'not a stage'

# the health gate reads a recorded cluster: NotificationService is down for happytails-004 there
r 0 new NotificationService happytails-004 --gitops g --test-report tests.xml
r 3 promote NotificationService happytails-004 dev staging --gitops g --test-report tests.xml \
	--snapshot "$CSF_TOP/samples/cluster"
out_has '^  block  health +NotificationService/happytails-004 is down on snapshot .*: 0/4 replicas ready'
r 0 promote NotificationService happytails-004 dev staging --gitops g --test-report tests.xml --dry-run
out_has '^  skip   health +skipped: no cluster configured'

# a dirty working tree or a detached HEAD in the GitOps repository is reported, never overwritten
echo "hand edit" >>g/environments/dev/vetclinic-001/BookingService/k8s/service.yaml
r 2 new BookingService pawsandclaws-002 --gitops g --test-report tests.xml
stderr_has 'working tree has 1 uncommitted change .*service.yaml.*nothing was written'
grep -q 'hand edit' g/environments/dev/vetclinic-001/BookingService/k8s/service.yaml ||
	fail "the hand edit was overwritten"
git -C g checkout -q -- .
git -C g checkout -q --detach
r 2 new BookingService pawsandclaws-002 --gitops g --test-report tests.xml
stderr_has 'detached'
git -C g checkout -q main

# rollback needs an earlier release; a forward-only pipeline refuses staging -> dev
r 2 rollback BookingService vetclinic-001 production --gitops g
stderr_has 'no earlier release'
r 2 promote BookingService vetclinic-001 staging dev --gitops g
stderr_has 'promotions go forward'
finish
