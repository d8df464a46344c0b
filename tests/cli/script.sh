# --script FILE runs one headless command per line (DESIGN §9): the output is the commands' own
# output in order; it stops at the first failing command with its status unless --keep-going
# (then the first failure's status is returned); comments, blank lines and quotes work; a bad
# line says FILE:LINE:COL.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
# run STATUS ARGS...: like golden, without comparing stdout (scripts print their commands' output)
run() {
	want=$1
	shift
	"$CSF_TUI" --headless "$@" >"$cli_out" 2>"$cli_err"
	got=$?
	[ "$got" = "$want" ] || { fail "$*: exit status $got, expected $want"; sed 's/^/    stderr: /' "$cli_err" >&2; }
}
s=$cli_tmp/ci.script
cat >"$s" <<'SCRIPT'
# lint, then the tenants of one tenant

lint --format json
tenants --snapshot samples/cluster --tenant 'northvet-003'
SCRIPT
"$CSF_TUI" --headless --workspace samples lint --format json >"$cli_tmp/want" 2>/dev/null
"$CSF_TUI" --headless --workspace samples tenants --snapshot samples/cluster --tenant northvet-003 >>"$cli_tmp/want" 2>/dev/null
"$CSF_TUI" --headless --workspace samples --script "$s" >"$cli_out" 2>"$cli_err" || fail "script: exit $?"
cmp -s "$cli_tmp/want" "$cli_out" || { fail "script: output differs from the commands run one by one"; diff "$cli_tmp/want" "$cli_out" | head >&2; }

# the first failure stops the script with its status; --keep-going runs the rest
printf 'tenants --env qa\nlint --format sarif\n' >"$s"
golden render-empty 2 --workspace samples --script "$s"
stderr_has "^csf-tui: tenants: no environment 'qa'"
stderr_has "^csf-tui: --script .*ci.script:1: stopped \\(status 2; --keep-going runs the rest\\)$"
"$CSF_TUI" --headless --workspace samples --script "$s" --keep-going >"$cli_out" 2>"$cli_err"
[ $? = 2 ] || fail "keep-going: the first failure's status (2) is the exit status"
grep -q '"version":[[:space:]]*"2.1.0"' "$cli_out" || fail "keep-going: the SARIF of the second line is missing"

# bad lines: an unknown command, an unterminated quote; bad invocations
printf 'lint\nfrobnicate now\n' >"$s"
run 2 --workspace samples --script "$s"
stderr_has "ci.script:2:1: unknown command 'frobnicate'"
grep -q ' errors, .* warnings, ' "$cli_out" || fail "the lint before the bad line did not run"
printf 'render "BookingService --format yaml\n' >"$s"
golden render-empty 2 --script "$s"
stderr_has "ci.script:1:37: unterminated quote$"
golden render-empty 2 --script "$s" lint
stderr_has "'lint' is one too many"
golden render-empty 2 --script "$cli_tmp/nowhere"
stderr_has "^csf-tui: --script .*nowhere: No such file or directory$"
golden render-empty 2 --keep-going lint
stderr_has "^csf-tui: --keep-going goes with --script FILE$"
# a line has no word limit (it had a fixed 64); CRLF line ends; a script read from stdin (-)
{ printf 'lint'; i=0; while [ $i -lt 100 ]; do printf ' --format text'; i=$((i + 1)); done; printf '\r\n'; } >"$s"
run 0 --workspace samples --script "$s"
grep -q '^0 errors, ' "$cli_out" || fail "100-word line: the lint did not run"
printf 'lint --format json\n' | "$CSF_TUI" --headless --workspace samples --script - >"$cli_out" 2>"$cli_err" ||
	fail "--script -: exit $?"
grep -q '"errors":' "$cli_out" || fail "--script -: the lint of stdin's line did not run"
# --readonly holds for every line
printf 'render BookingService --out %s/ro\n' "$cli_tmp" >"$s"
golden render-empty 2 --workspace samples --readonly --script "$s"
stderr_has "refused under --readonly"
[ ! -e "$cli_tmp/ro" ] || fail "readonly script: $cli_tmp/ro was written"
finish
