# The shipped workspace lints clean in every format, and is the default when there is no
# csf.yaml in the current folder.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
golden lint-samples-text 0 lint samples
golden lint-samples-json 0 lint samples --format json
golden lint-samples-sarif 0 lint samples --format sarif
golden lint-samples-prod 0 lint samples --tenant vetclinic-001 --env prod
# No PATH, no csf.yaml here: samples/ found next to the binary.
golden lint-samples-text 0 lint
# --workspace names the default.
golden lint-samples-text 0 --workspace samples lint
# CSF_SAMPLES overrides the location.
mkdir -p "$cli_tmp/elsewhere"
cd "$cli_tmp/elsewhere" || exit 1
CSF_SAMPLES="$CSF_TOP/samples" "$CSF_TUI" --headless lint --format json >"$cli_out" 2>"$cli_err"
[ $? = 0 ] || fail "CSF_SAMPLES: exit status not 0"
grep -q '"errors":	0' "$cli_out" || fail "CSF_SAMPLES: samples not linted"
finish
