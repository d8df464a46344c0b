# --fix edits the files (probes, resources, event versions) keeping comments and layout, reports
# what it changed on stderr, re-lints, and changes nothing the second time.
. "$(dirname "$0")/lib.sh"
cp -r "$CSF_TOP/tests/fixtures/lint" "$cli_tmp/fx"
cd "$cli_tmp" || exit 1
golden lint-fix-first 1 lint fx --fix
stderr_has "^fixed fx/blueprints/orders-service.yaml: add liveness and readiness probes$"
stderr_has "^fixed fx/blueprints/orders-service.yaml: append .v1 to the event name$"
stderr_has "^fixed fx/blueprints/orders-service.yaml: add CPU and memory requests and limits$"
stderr_has "^fixed fx/blueprints/shipping-service.yaml: add liveness and readiness probes$"
stderr_lines 4
for f in orders-service shipping-service; do
	diff -u "$CSF_TOP/tests/fixtures/lint/blueprints/$f.yaml" "fx/blueprints/$f.yaml" |
		tail -n +3 >"$f.diff"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$f.diff" "$CSF_TOP/tests/cli/expected/lint-fix-$f.diff"
	else
		diff -u "$CSF_TOP/tests/cli/expected/lint-fix-$f.diff" "$f.diff" >&2 ||
			fail "--fix changed $f.yaml differently"
	fi
done
cp -r fx fx-after-first
golden lint-fix-first 1 lint fx --fix
stderr_lines 0
diff -r fx-after-first fx >&2 || fail "a second --fix changed files"
finish
