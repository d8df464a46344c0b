# Headless tenants on the recorded cluster (samples/cluster, via the sample workspace's
# `offline:` setting): tenant table, modules with autoscaler bounds and metrics, health with its
# reason, last scale events, and drift against the snapshot's GitOps copy (an image promoted in
# Git but not rolled out, an HPA max raised in Git, a Deployment Git wants and the cluster lacks,
# spec.replicas of a module without autoscaler). Hostile event text (an ANSI colour sequence and
# an OSC title sequence) must never reach the terminal.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
golden tenants-samples 0 --workspace samples tenants
if grep -q "$(printf '\033')" "$cli_out"; then fail "tenants-samples: an escape sequence reached stdout"; fi
grep -q 'FailedRescale: New size: 6; reason: cpu resource utilization (percentage of request) above target; error: .deployments.apps "booking-service" is forbidden' "$cli_out" ||
	fail "tenants-samples: the hostile message should still be shown, sanitized"
golden tenants-samples-json 0 --workspace samples tenants --format json
python3 -m json.tool "$cli_out" >/dev/null || fail "tenants-samples-json: not valid JSON"
if grep -q "$(printf '\033')" "$cli_out"; then fail "tenants-samples-json: a raw escape in JSON"; fi
grep -q '\\u001b\[31mdeployments.apps' "$cli_out" || fail "tenants-samples-json: the escape should be JSON-escaped"
# --snapshot and --tenant; the same data without the workspace
golden tenants-one 0 tenants --snapshot samples/cluster --tenant northvet-003
# errors: unknown tenant, bad format, missing snapshot
golden tenants-unknown 2 tenants --snapshot samples/cluster --tenant nobody-999
stderr_has "^csf-tui: tenant 'nobody-999' not found"
golden tenants-bad-format 2 tenants --format yaml
stderr_has "--format must be text or json"
golden tenants-no-snapshot 2 tenants --snapshot tests/fixtures/nowhere
stderr_has "not a cluster snapshot"
# a mistyped --env is an error, not a silent "drift not checked"; prod is production
golden tenants-unknown 2 --workspace samples tenants --env qa
stderr_has "^csf-tui: tenants: no environment 'qa' in samples \(dev, production, staging\)$"
golden tenants-samples 0 --workspace samples tenants --env prod
finish
