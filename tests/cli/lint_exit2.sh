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
golden lint-help 0 lint --help
finish
