# Usage and I/O errors exit 2 with one clear message on stderr and nothing on stdout.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
golden lint-empty 2 lint --format yaml samples
stderr_has "unknown format 'yaml'"
golden lint-empty 2 lint --frobnicate samples
stderr_has "unknown option '--frobnicate'"
golden lint-empty 2 lint --tenant
stderr_has "option --tenant needs a value"
golden lint-empty 2 lint no/such/path
stderr_has "no/such/path: cannot open: No such file or directory"
golden lint-empty 2 lint samples --tenant nobody
stderr_has "unknown tenant 'nobody'.*valid tenants: happytails-004, northvet-003, pawsandclaws-002, vetclinic-001"
golden lint-empty 2 lint samples --env qa
stderr_has "unknown environment 'qa'.*valid environments: dev, production, staging"
golden lint-empty 2 --readonly lint --fix samples
stderr_has "refused under --readonly"
# An empty or mistyped folder must not pass CI as "0 files": it is an I/O failure.
mkdir -p "$cli_tmp/empty/sub"
golden lint-empty 2 lint "$cli_tmp/empty"
stderr_has "^csf-tui: no YAML files found in $cli_tmp/empty\$"
stderr_lines 1
golden lint-empty 2 lint samples "$cli_tmp/empty/sub"
stderr_has "no YAML files found in $cli_tmp/empty/sub\$"
golden lint-help 0 lint --help
finish
