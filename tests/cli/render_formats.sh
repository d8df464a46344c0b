# render --format yaml|json on stdout: the golden artifact set of one fixture cell, every
# artifact's sha256 matches its content, warnings name redacted keys but never their values.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
fx=tests/fixtures/render/ws
golden render-orders-acme-prod 0 --workspace $fx render OrdersApi --tenant acme-001 --env production --format yaml
stderr_has "configuration.values.LEGACY_DB looks like a secret: redacted"
stderr_has "'SIGNING_TOKEN' looks like a secret but is not declared"
if grep -q "hunter2" "$cli_out" "$cli_err"; then fail "a secret value reached the output"; fi

# JSON: an array of {path, kind, sha256, content}; the same set as the YAML stream.
"$CSF_TUI" --headless --workspace $fx render OrdersApi --tenant acme-001 --env production --format json \
	>"$cli_tmp/set.json" 2>/dev/null || fail "json: exit $?"
node -e '
	const crypto = require("crypto");
	const set = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
	if (!Array.isArray(set) || set.length < 20) { console.error("not an array of artifacts"); process.exit(1); }
	for (const a of set) {
		for (const k of ["path", "kind", "sha256", "content"])
			if (typeof a[k] !== "string") { console.error(`${a.path}: ${k} missing`); process.exit(1); }
		const h = crypto.createHash("sha256").update(a.content, "utf8").digest("hex");
		if (h !== a.sha256) { console.error(`${a.path}: sha256 mismatch`); process.exit(1); }
	}
	if (set[set.length - 1].path !== "execution-metadata.json") { console.error("metadata not last"); process.exit(1); }
' "$cli_tmp/set.json" || fail "json: invalid artifact array"
# The YAML stream reads back (yaml package) as exactly the JSON set: paths, kinds, hashes, bytes.
node -e '
	const fs = require("fs"), YAML = require(process.argv[3] + "/node_modules/yaml");
	const docs = YAML.parseAllDocuments(fs.readFileSync(process.argv[1], "utf8")).map(d => d.toJS());
	const set = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
	if (docs.length !== set.length) { console.error(`${docs.length} documents, ${set.length} artifacts`); process.exit(1); }
	set.forEach((a, i) => { for (const k of ["path", "kind", "sha256", "content"])
		if (docs[i][k] !== a[k]) { console.error(`${a.path}: ${k} differs`); process.exit(1); } });
' "tests/cli/expected/render-orders-acme-prod.out" "$cli_tmp/set.json" "$CSF_TOP/tests/validate" ||
	fail "the YAML stream does not read back as the JSON set"
n_yaml=$(grep -c '^path: ' "tests/cli/expected/render-orders-acme-prod.out")
n_json=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).length)' "$cli_tmp/set.json")
[ "$n_yaml" = "$n_json" ] || fail "yaml has $n_yaml artifacts, json $n_json"

# The provider flag switches the flavour of the same cell.
"$CSF_TUI" --headless --workspace $fx render StockWorker --tenant bolt-002 --env dev --format json 2>/dev/null |
	grep -q '"path": "iac/aws/stack.yaml"' || fail "bolt-002 (provider aws) did not render CloudFormation"
"$CSF_TUI" --headless --workspace $fx render StockWorker --tenant bolt-002 --env dev --provider gcp --format json 2>/dev/null |
	grep -q '"path": "iac/gcp/main.tf"' || fail "--provider gcp did not render Terraform"

# Timestamp-free unless asked: --timestamp is recorded as generatedAt, nothing else changes.
"$CSF_TUI" --headless --workspace $fx render StockWorker --tenant acme-001 --env dev --format json \
	--timestamp 2026-01-02T03:04:05Z 2>/dev/null >"$cli_tmp/ts.json"
grep -q 'generatedAt.*2026-01-02T03:04:05Z' "$cli_tmp/ts.json" || fail "--timestamp not recorded"
"$CSF_TUI" --headless --workspace $fx render StockWorker --tenant acme-001 --env dev --format json \
	2>/dev/null >"$cli_tmp/nots.json"
if grep -q generatedAt "$cli_tmp/nots.json"; then fail "a timestamp appeared without --timestamp"; fi
node -e '
	const a = JSON.parse(require("fs").readFileSync(process.argv[1])), b = JSON.parse(require("fs").readFileSync(process.argv[2]));
	const diff = a.filter((x, i) => x.content !== b[i].content).map(x => x.path);
	if (diff.join() !== "release.yaml,execution-metadata.json") { console.error("changed: " + diff); process.exit(1); }
' "$cli_tmp/ts.json" "$cli_tmp/nots.json" || fail "--timestamp changed more than the release files"
finish
