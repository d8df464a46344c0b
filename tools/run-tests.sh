#!/bin/sh
# Runs test suites and adds up the results. Usage: O=build tools/run-tests.sh SUITE...
#   unit          every $O/tests/test_* cmocka binary
#   cli screen tmux validate integration
#                 every tests/<suite>/*.sh except lib.sh; exit 0 = pass, anything else = fail
# A failing test prints its output; the run exits 1 if anything failed. Nothing is skipped.
O=${O:-build}
top=$(pwd)
export O CSF_TUI="$top/$O/csf-tui" CSF_TOP="$top"
pass=0 fail=0 failed=""
log=$(mktemp); trap 'rm -f "$log"' EXIT
run_one() {
	name=$1; shift
	if "$@" >"$log" 2>&1; then
		pass=$((pass + 1)); printf '  PASS    %s\n' "$name"
	else
		rc=$?
		fail=$((fail + 1)); failed="$failed $name"
		printf '  FAIL    %s (exit %s)\n' "$name" "$rc"; sed 's/^/    | /' "$log" | tail -60
	fi
}
for suite in "$@"; do
	case $suite in
	unit)
		for t in "$O"/tests/test_*; do
			[ -x "$t" ] || continue
			run_one "unit/$(basename "$t")" "$t"
		done ;;
	*)
		for t in tests/"$suite"/*.sh; do
			[ -f "$t" ] || continue
			case $(basename "$t") in lib.sh|lib-*.sh) continue ;; esac
			run_one "$suite/$(basename "$t" .sh)" sh "$t"
		done ;;
	esac
done
printf '%s passed, %s failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ] || { printf 'failed:%s\n' "$failed"; exit 1; }
