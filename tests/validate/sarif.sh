# The SARIF output of samples/ and of the lint fixtures passes @microsoft/sarif-multitool
# validate (installed by tools/deps.sh from tests/validate/package.json): no error-level result.
set -u
: "${CSF_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${CSF_TUI:=$CSF_TOP/build/csf-tui}"
mt="$CSF_TOP/tests/validate/node_modules/.bin/sarif-multitool"
[ -x "$mt" ] || { echo "sarif-multitool missing: run tools/deps.sh test" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$CSF_TOP" || exit 1
failed=0
for ws in samples tests/fixtures/lint; do
	name=$(echo "$ws" | tr / _)
	"$CSF_TUI" --headless lint "$ws" --format sarif >"$tmp/$name.sarif"
	rc=$?
	[ $rc -le 1 ] || { echo "lint $ws: exit $rc" >&2; failed=1; continue; }
	"$mt" validate "$tmp/$name.sarif" -o "$tmp/$name.validation.sarif" --log ForceOverwrite \
		--level Error Warning Note >"$tmp/$name.log" 2>&1 ||
		{ echo "sarif-multitool failed on $ws:" >&2; cat "$tmp/$name.log" >&2; failed=1; continue; }
	# The validator's own findings are a SARIF log: fail on any error-level result.
	errors=$(node -e '
		const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const bad = [];
		for (const run of log.runs || [])
			for (const r of run.results || [])
				if ((r.level || "warning") === "error")
					bad.push(r.ruleId + " " + JSON.stringify(r.message));
		console.log(bad.join("\n"));
	' "$tmp/$name.validation.sarif")
	if [ -n "$errors" ]; then
		echo "SARIF of $ws has validation errors:" >&2
		echo "$errors" >&2
		failed=1
	fi
	# A result count that matches the linter's own JSON summary: nothing was dropped.
	n=$(node -e 'const l = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		console.log(l.runs[0].results.length)' "$tmp/$name.sarif")
	want=$("$CSF_TUI" --headless lint "$ws" --format json | node -e '
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
			const j = JSON.parse(s); console.log(j.findings.length); });')
	[ "$n" = "$want" ] || { echo "$ws: $n SARIF results, $want findings" >&2; failed=1; }
done
# A negative control: a SARIF log with an error the validator must catch (proves the check works).
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m."},"ruleId":"r","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a b"},"region":{"startLine":0}}}]}]}]}' >"$tmp/bad.sarif"
"$mt" validate "$tmp/bad.sarif" -o "$tmp/bad.validation.sarif" --log ForceOverwrite >/dev/null 2>&1
if ! node -e 'const l = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
	process.exit(l.runs.some(r => (r.results || []).some(x => x.level === "error")) ? 0 : 1)' \
	"$tmp/bad.validation.sarif"; then
	echo "the validator did not reject an invalid SARIF log" >&2
	failed=1
fi
exit $failed
