#!/bin/sh
# The git CLI agrees with the tool: after new → staging → production and a version bump, `git log`,
# `git show` and `git diff` on the GitOps repository show the commits, trailers, files and line
# counts that `release history` and `release diff` reported; the repository is clean and
# fsck-clean.
. "$(dirname "$0")/lib-release.sh"

# a writable copy of the samples, so the test can bump a version
cp -r "$CSF_TOP/samples" "$rel_tmp/ws"
rm -rf "$rel_tmp/ws/.gitops"
rel_ws="$rel_tmp/ws"
repo="$rel_tmp/repo"
M=BookingService T=vetclinic-001

rel "$repo" new $M $T >/dev/null || fail "release new failed"
rel "$repo" promote $M $T dev staging >/dev/null || fail "dev -> staging failed"
rel "$repo" promote $M $T staging production --approve alice --reason "CAB-42" >/dev/null ||
	fail "staging -> production failed"

# git log: three commits, the subjects the tool wrote, trailers parsed by git itself
[ "$(git -C "$repo" rev-list --count main)" = 3 ] || fail "expected 3 commits"
git -C "$repo" log -1 --format=%s main | grep -q "^release: promote $M/$T 1.2.3 from staging to production$" ||
	fail "git log subject: $(git -C "$repo" log -1 --format=%s main)"
[ "$(git -C "$repo" log -1 --format='%(trailers:key=Approved-By,valueonly)' main | head -1)" = alice ] ||
	fail "git does not see the Approved-By trailer"
[ "$(git -C "$repo" log -1 --format='%(trailers:key=Promoted-To,valueonly)' main | head -1)" = production ] ||
	fail "git does not see the Promoted-To trailer"
[ "$(git -C "$repo" log -1 --format=%an main)" = "Rel Eng" ] || fail "author is not the git identity"

# the tool's history of production names the same commit and release id
rel "$repo" history production --format json >"$rel_tmp/h.json" || fail "history failed"
commit=$(git -C "$repo" rev-parse main)
grep -q "\"commit\":\"$commit\"" "$rel_tmp/h.json" || fail "history does not name $commit"
rid=$(git -C "$repo" log -1 --format='%(trailers:key=Release-Id,valueonly)' main | head -1)
grep -q "\"releaseId\":\"$rid\"" "$rel_tmp/h.json" || fail "history does not name release $rid"

# git show: the release.yaml of production is the one the history describes
git -C "$repo" show "main:environments/production/$T/$M/release.yaml" >"$rel_tmp/rel.yaml" ||
	fail "git show cannot read production's release.yaml"
grep -q "^releaseId: $rid\$" "$rel_tmp/rel.yaml" || fail "release.yaml does not carry $rid"
grep -q '^  - name: alice$' "$rel_tmp/rel.yaml" || fail "release.yaml does not carry the approval"
grep -q '^freight:$' "$rel_tmp/rel.yaml" || fail "release.yaml has no freight"

# the history's line counts are git's numstat of the same commit and folder
ins=$(sed -n 's/.*"insertions":\([0-9]*\).*/\1/p' "$rel_tmp/h.json" | head -1)
gins=$(git -C "$repo" diff --numstat main~1 main -- "environments/production/$T/$M" |
	awk '{ s += $1 } END { print s + 0 }')
[ "$ins" = "$gins" ] || fail "history says +$ins, git diff --numstat says +$gins"

# a version bump: the tool's promotion diff is what git diff shows after the commit
sed -i 's/^version: 1.2.3$/version: 1.2.4/' "$rel_ws/blueprints/booking-service.yaml"
rel "$repo" new $M $T >/dev/null || fail "release new 1.2.4 failed"
rel "$repo" diff $M $T dev staging --format json >"$rel_tmp/d.json"
[ $? = 1 ] || fail "release diff should exit 1 when the promotion changes something"
grep -q '1.2.3 → 1.2.4' "$rel_tmp/d.json" || fail "the summary does not say 1.2.3 → 1.2.4"
tins=$(sed -n 's/.*"totals":{[^}]*"insertions":\([0-9]*\).*/\1/p' "$rel_tmp/d.json")
tdel=$(sed -n 's/.*"totals":{[^}]*"deletions":\([0-9]*\).*/\1/p' "$rel_tmp/d.json")
rel "$repo" promote $M $T dev staging >/dev/null || fail "promote 1.2.4 failed"
# release.yaml is the release record, not an artifact: the tool's diff leaves it out
git -C "$repo" diff --numstat main~1 main -- "environments/staging/$T/$M" ':!*/release.yaml' \
	>"$rel_tmp/num"
gins=$(awk '{ s += $1 } END { print s + 0 }' "$rel_tmp/num")
gdel=$(awk '{ s += $2 } END { print s + 0 }' "$rel_tmp/num")
[ "$tins" = "$gins" ] && [ "$tdel" = "$gdel" ] ||
	fail "release diff said +$tins -$tdel, git diff --numstat says +$gins -$gdel"
git -C "$repo" diff main~1 main -- "environments/staging/$T/$M/k8s/deployment.yaml" |
	grep -q '^+.*1\.2\.4' || fail "git diff of deployment.yaml does not show 1.2.4"
git -C "$repo" show --name-only --format= main | grep -qx "environments/staging/$T/$M/release.yaml" ||
	fail "git show --name-only does not list release.yaml"

# the board agrees with git ls-tree
rel "$repo" status --format json >"$rel_tmp/s.json" || fail "status failed"
grep -q '"staging":{"version":"1.2.4"' "$rel_tmp/s.json" || fail "status does not show 1.2.4 in staging"
grep -q '"production":{"version":"1.2.3"' "$rel_tmp/s.json" || fail "status does not show 1.2.3 in production"
for env in dev staging production; do
	git -C "$repo" ls-tree --name-only "main:environments/$env/$T/$M" | grep -qx release.yaml ||
		fail "git ls-tree: no release.yaml in $env"
done

[ -z "$(git -C "$repo" status --porcelain)" ] || fail "working tree not clean: $(git -C "$repo" status --porcelain)"
fsck_clean "$repo"
finish
