#!/bin/sh
# Crash safety of a promotion (DESIGN §6, §12): the process is killed at every named point
# (CSF_TEST_CRASH_AT) and with kill -9 at random moments. After each kill the branch is at the
# old commit or at the new one, `git fsck --strict` is clean, and the next run finishes the job
# with a clean working tree.
. "$(dirname "$0")/lib-release.sh"

base="$rel_tmp/base"
rel "$base" new BookingService vetclinic-001 >/dev/null || fail "release new failed"
rel "$base" new BookingService pawsandclaws-002 >/dev/null || fail "release new (2) failed"
old=$(tip "$base")
[ "$old" != none ] || { fail "no base commit"; finish; }
path=environments/staging/vetclinic-001/BookingService/release.yaml

# Checks that repo $1 is at the old commit or at a child of it that holds the staging release,
# that fsck is clean, and that a second run leaves everything promoted and clean.
check_state() {
	r=$1 what=$2 want=$3
	now=$(tip "$r")
	if [ "$now" = "$old" ]; then
		state=old
	elif [ "$(git -C "$r" rev-parse -q --verify "$now^" 2>/dev/null)" = "$old" ] &&
	     git -C "$r" cat-file -e "$now:$path" 2>/dev/null; then
		state=new
	else
		state=mixed
		fail "$what: branch at $now is neither the old commit nor the promotion"
	fi
	if [ -n "$want" ] && [ "$state" != "$want" ]; then
		fail "$what: expected the $want state, found $state"
	fi
	echo "  $what: $state"
	fsck_clean "$r" || echo "  ($what)" >&2
	# the next writer finishes an interrupted checkout; a lock left by a kill is git's
	# behaviour too: the tool says so, and removing it lets the run through
	rel "$r" promote BookingService vetclinic-001 dev staging >"$rel_tmp/again.out" 2>"$rel_tmp/again.err"
	rc=$?
	if [ $rc = 4 ] && grep -q 'is locked' "$rel_tmp/again.err"; then
		rm -f "$r/.git/refs/heads/main.lock"
		rel "$r" promote BookingService vetclinic-001 dev staging >"$rel_tmp/again.out" 2>"$rel_tmp/again.err"
		rc=$?
	fi
	[ $rc = 0 ] || fail "$what: the run after the crash exited $rc: $(cat "$rel_tmp/again.err")"
	git -C "$r" cat-file -e "main:$path" 2>/dev/null || fail "$what: staging not promoted after the rerun"
	dirty=$(git -C "$r" status --porcelain)
	[ -z "$dirty" ] || fail "$what: working tree not clean after the rerun: $dirty"
	fsck_clean "$r" || echo "  ($what, after the rerun)" >&2
}

for pt in diff-computed blobs-half trees-written commit-written marker-written ref-moved \
	  checkout-half worktree-written checkout-done; do
	r="$rel_tmp/r-$pt"
	cp -a "$base" "$r"
	CSF_TEST_CRASH_AT=$pt rel "$r" promote BookingService vetclinic-001 dev staging \
		>/dev/null 2>&1
	rc=$?
	[ $rc = 137 ] || fail "$pt: expected the crash exit 137, got $rc"
	case $pt in
	diff-computed|blobs-half|trees-written|commit-written|marker-written) want=old ;;
	*) want=new ;;
	esac
	check_state "$r" "$pt" "$want"
done

# kill -9 at random moments over the whole run (the seed is printed so a failure can be
# replayed); the span is one uninterrupted run's duration, measured here
cp -a "$base" "$rel_tmp/timing"
t0=$(date +%s%N)
rel "$rel_tmp/timing" promote BookingService vetclinic-001 dev staging >/dev/null 2>&1 ||
	fail "uninterrupted promotion failed"
span=$(( ($(date +%s%N) - t0) / 1000000 ))
seed=${RELEASE_CRASH_SEED:-$(date +%s)}
echo "random kills over ${span} ms, seed $seed"
i=0
while [ $i -lt 30 ]; do
	r="$rel_tmp/k-$i"
	cp -a "$base" "$r"
	delay=$(awk -v s="$seed" -v i="$i" -v ms="$span" \
		'BEGIN { srand(s + i); printf "%.3f", rand() * ms * 1.1 / 1000 }')
	# csf-tui itself, not a shell function: kill must hit the process that writes
	"$CSF_TUI" --headless --workspace "$rel_ws" release promote BookingService vetclinic-001 \
		dev staging --gitops "$r" --test-report "$rel_report" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	check_state "$r" "kill -9 after ${delay}s" ""
	rm -rf "$r"
	i=$((i + 1))
done
finish
