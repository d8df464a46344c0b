# An option given last without its value says so ("option --X needs a value", exit 2) in every
# command, instead of calling the option itself unknown; `tenants --help` and `scaling --help`
# print their usage and exit 0 like the other commands.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
golden render-empty 2 --workspace
stderr_has "^csf-tui: option --workspace needs a value$"
golden render-empty 2 --workspace samples render BookingService --out
stderr_has "^csf-tui: render: option --out needs a value$"
golden render-empty 2 --workspace samples render BookingService --tenant
stderr_has "^csf-tui: render: option --tenant needs a value$"
golden render-empty 2 traces --source
stderr_has "^csf-tui: traces: option --source needs a value$"
golden render-empty 2 traces --filter
stderr_has "^csf-tui: traces: option --filter needs a value$"
golden render-empty 2 tenants --format
stderr_has "^csf-tui: option --format needs a value$"
golden render-empty 2 tenants --snapshot
stderr_has "^csf-tui: option --snapshot needs a value$"
golden render-empty 2 scaling --tenant vetclinic-001 --module
stderr_has "^csf-tui: option --module needs a value$"
golden render-empty 2 scaling --tenant
stderr_has "^csf-tui: option --tenant needs a value$"
# diff and release: an option of the middle of their chains (cli_opt_in) given last.
golden render-empty 2 diff samples/blueprints/booking-service.yaml samples/blueprints/booking-service.yaml --format
stderr_has "^csf-tui: diff: option --format needs a value$"
golden render-empty 2 diff samples/blueprints/booking-service.yaml samples/blueprints/booking-service.yaml --env
stderr_has "^csf-tui: diff: option --env needs a value$"
golden render-empty 2 release status --format
stderr_has "^csf-tui: release: option --format needs a value$"
golden render-empty 2 release status --gitops
stderr_has "^csf-tui: release: option --gitops needs a value$"
golden render-empty 2 release status --snapshot
stderr_has "^csf-tui: release: option --snapshot needs a value$"

golden tenants-help 0 tenants --help
stderr_lines 0
golden scaling-help 0 scaling --help
stderr_lines 0
finish
