#!/bin/sh
# Two promotions racing on the same repository (DESIGN §6): both compute their diff on the same
# commit (a barrier holds each one right before it writes), then both commit at once. Exactly
# one wins; the other exits 4 and asks to refresh; nothing of the loser is in the repository;
# run again, the loser goes through. Twice: different tenants, and the same cell.
. "$(dirname "$0")/lib-release.sh"

repo="$rel_tmp/repo"
rel "$repo" new BookingService vetclinic-001 >/dev/null || fail "release new failed"
rel "$repo" new BookingService pawsandclaws-002 >/dev/null || fail "release new (2) failed"

race() {
	label=$1 ta=$2 tb=$3
	old=$(tip "$repo")
	bar="$rel_tmp/go-$label"
	CSF_TEST_BARRIER_AT=diff-computed CSF_TEST_BARRIER="$bar" \
		rel "$repo" promote BookingService "$ta" dev staging --approve alice --reason race \
		>"$rel_tmp/a.out" 2>"$rel_tmp/a.err" &
	pa=$!
	CSF_TEST_BARRIER_AT=diff-computed CSF_TEST_BARRIER="$bar" \
		rel "$repo" promote BookingService "$tb" dev staging --approve bob --reason race \
		>"$rel_tmp/b.out" 2>"$rel_tmp/b.err" &
	pb=$!
	n=0
	while [ "$(ls "$bar".* 2>/dev/null | wc -l)" -lt 2 ] && [ $n -lt 3000 ]; do
		sleep 0.01
		n=$((n + 1))
	done
	[ "$(ls "$bar".* 2>/dev/null | wc -l)" = 2 ] || fail "$label: the two promotions never met"
	touch "$bar"
	wait $pa
	ra=$?
	wait $pb
	rb=$?
	if [ $ra = 0 ] && [ $rb = 4 ]; then
		win=a lose=b loser=$tb
	elif [ $ra = 4 ] && [ $rb = 0 ]; then
		win=b lose=a loser=$ta
	else
		fail "$label: expected one exit 0 and one exit 4, got $ra and $rb"
		cat "$rel_tmp/a.err" "$rel_tmp/b.err" >&2
		return
	fi
	grep -q 'refresh and try again' "$rel_tmp/$lose.err" ||
		fail "$label: the loser does not ask to refresh: $(cat "$rel_tmp/$lose.err")"
	grep -q '^result: committed' "$rel_tmp/$win.out" || fail "$label: the winner did not commit"
	new=$(tip "$repo")
	[ "$(git -C "$repo" rev-parse "$new^")" = "$old" ] ||
		fail "$label: the winner's commit is not on top of the common base"
	[ "$(git -C "$repo" rev-list --count "$old..$new")" = 1 ] ||
		fail "$label: more than one commit was written"
	fsck_clean "$repo"
	[ -z "$(git -C "$repo" status --porcelain)" ] || fail "$label: working tree not clean"
	echo "$label: $win won, $lose reported the conflict"
	echo "$loser" >"$rel_tmp/loser"
}

race tenants vetclinic-001 pawsandclaws-002
loser=$(cat "$rel_tmp/loser")
git -C "$repo" cat-file -e "main:environments/staging/$loser/BookingService/release.yaml" 2>/dev/null &&
	fail "tenants: the loser's release is in the repository"
# refreshed, the loser goes through
rel "$repo" promote BookingService "$loser" dev staging --approve alice --reason retry \
	>/dev/null 2>"$rel_tmp/r.err" || fail "retry of the loser failed: $(cat "$rel_tmp/r.err")"
git -C "$repo" cat-file -e "main:environments/staging/$loser/BookingService/release.yaml" ||
	fail "retry did not promote $loser"

# the same cell twice: one wins, the retry of the other finds nothing left to do
rel "$repo" new BookingService northvet-003 >/dev/null 2>"$rel_tmp/r.err" ||
	fail "release new (3) failed: $(cat "$rel_tmp/r.err")"
race same-cell northvet-003 northvet-003
rel "$repo" promote BookingService northvet-003 dev staging --approve alice --reason retry \
	>"$rel_tmp/c.out" || fail "retry failed"
grep -q 'already holds this release' "$rel_tmp/c.out" || fail "same-cell: retry should find nothing to do"
finish
