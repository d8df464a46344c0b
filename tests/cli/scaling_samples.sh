# Headless scaling on the recorded cluster: the replica chart against the min/max bands with the
# desired count, events on the time axis and listed with time/reason/message, the trigger metric
# with its target (KEDA: the queue trigger behind s1-rabbitmq, not the cpu trigger; HPA: the
# resource metric by name), zoom with --since, and the JSON and CSV forms of the same series.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
golden scaling-keda 0 --workspace samples scaling --tenant vetclinic-001 --module BookingService
golden scaling-hpa-24h 0 scaling --snapshot samples/cluster --tenant northvet-003 --module payments-service --since 24h --width 72
golden scaling-hostile 0 scaling --snapshot samples/cluster --tenant happytails-004 --module BookingService --since 1h
if grep -q "$(printf '\033')" "$cli_out"; then fail "scaling-hostile: an escape sequence reached stdout"; fi
golden scaling-zero 0 scaling --snapshot samples/cluster --tenant vetclinic-001 --module RecordsImport --since 24h
golden scaling-no-autoscaler 0 scaling --snapshot samples/cluster --tenant happytails-004 --module TenantDirectory --since 1h
golden scaling-json 0 scaling --snapshot samples/cluster --tenant vetclinic-001 --module booking-service --since 1h --format json
python3 -m json.tool "$cli_out" >/dev/null || fail "scaling-json: not valid JSON"
golden scaling-csv 0 scaling --snapshot samples/cluster --tenant vetclinic-001 --module BookingService --since 1h --format csv
[ "$(wc -l < "$cli_out")" -eq 242 ] || fail "scaling-csv: 1 h at 15 s = 241 points + header"
# errors
golden scaling-unknown-module 2 scaling --snapshot samples/cluster --tenant vetclinic-001 --module Nope
stderr_has "module 'Nope' not found in tenant 'vetclinic-001' \(deployments: "
golden scaling-unknown-tenant 2 scaling --snapshot samples/cluster --tenant nobody --module BookingService
stderr_has "tenant 'nobody' has no deployments"
golden scaling-usage 2 scaling --module BookingService
stderr_has "scaling needs --tenant and --module"
golden scaling-bad-since 2 scaling --tenant a --module b --since forever
stderr_has "bad --since 'forever'"
golden scaling-usage 2 scaling --tenant a --module b --width 80x
stderr_has "^csf-tui: --width must be 20..400$"
# a mistyped --env is an error, not limits "rendered for qa" from no environment at all
golden scaling-usage 2 --workspace samples scaling --tenant vetclinic-001 --module BookingService --env qa
stderr_has "^csf-tui: scaling: no environment 'qa' in samples \(dev, production, staging\)$"
finish
