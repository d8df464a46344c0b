#!/bin/sh
# Generates a workspace of N realistic blueprints (default 2000) for the lint benchmark:
# csf.yaml, 3 editions, 4 tenants on 3 providers with per-module overrides, 3 environments, and
# blueprints shaped like samples/blueprints/booking-service.yaml (every block, comments, flow
# and block style, events that chain from module to module). Output goes to a build folder,
# never into the source tree. Usage: gen_blueprints.sh DIR [N]
set -eu
dir=$1
n=${2:-2000}
rm -rf "$dir"
mkdir -p "$dir/blueprints" "$dir/tenants" "$dir/editions" "$dir/environments"
cat >"$dir/csf.yaml" <<'YAML'
apiVersion: csf/v1
kind: Workspace
name: bench-platform
lint:
  disable: []
  severity:
    stateful-service: error
YAML
for e in standard premium enterprise; do
	cat >"$dir/editions/$e.yaml" <<YAML
apiVersion: csf/v1
kind: Edition
name: $e
features: [Core, Reports, Notifications$( [ $e = standard ] || echo ", Payments")$( [ $e = enterprise ] && echo ", Audit")]
overrides:
  cost:
    priority: $( [ $e = standard ] && echo low || echo medium)
YAML
done
for env in dev staging production; do
	cat >"$dir/environments/$env.yaml" <<YAML
apiVersion: csf/v1
kind: Environment
name: $env
replicasFactor: $( [ $env = production ] && echo 2 || echo 1)
approval: $( [ $env = production ] && echo true || echo false)
values:
  APP_ENVIRONMENT: $env
  LOG_LEVEL: $( [ $env = dev ] && echo debug || echo info)
YAML
done
awk -v dir="$dir" -v n="$n" '
function out(f, s) { print s > f }
BEGIN {
	split("azure aws gcp azure", prov, " ")
	split("premium standard enterprise standard", ed, " ")
	for (t = 1; t <= 4; t++) {
		f = sprintf("%s/tenants/tenant-%03d.yaml", dir, t)
		out(f, "apiVersion: csf/v1\nkind: Tenant")
		out(f, sprintf("tenantId: tenant-%03d\nedition: %s\nprovider: %s", t, ed[t], prov[t]))
		out(f, sprintf("overrides:\n  cost:\n    costTag:\n      tenant: tenant-%03d", t))
		out(f, "modules:")
		for (m = t; m <= n; m += 97)
			out(f, sprintf("  Module%04d:\n    scaling:\n      maxReplicas: %d", m, 12 + t))
		close(f)
	}
	split("dotnet8 node20 python3.12 go1.22 java21", stacks, " ")
	for (i = 1; i <= n; i++) {
		f = sprintf("%s/blueprints/module-%04d.yaml", dir, i)
		nm = sprintf("Module%04d", i)
		nx = sprintf("Module%04d", i % n + 1)
		out(f, sprintf("# %s - generated for the lint benchmark.", nm))
		out(f, "apiVersion: csf/v1\nkind: Blueprint")
		out(f, sprintf("module: %s\nversion: 1.%d.%d", nm, i % 10, i % 7))
		out(f, sprintf("description: Generated module %d of the benchmark workspace.\nowner: team-%d", i, i % 13))
		out(f, sprintf("\nruntime:\n  stack: %s\n  port: 8080\n  image: registry.example/platform/module-%04d", stacks[i % 5 + 1], i))
		out(f, "\nfeatures:\n  - Core\n  - Reports        # standard and up\n  - Payments       # premium and up")
		out(f, "\nscalability:\n  stateless: true\n  disposability: true")
		out(f, "\nscaling:\n  enabled: true\n  mode: eventDriven\n  minReplicas: 2\n  maxReplicas: 10")
		out(f, sprintf("  triggers:\n    - type: cpu\n      threshold: 75\n    - type: queueLength\n      queue: module-%04d-commands\n      threshold: 100", i))
		out(f, "\nresilience:\n  retries:\n    policy: exponentialBackoff\n    maxAttempts: 5\n  timeoutSeconds: 30")
		out(f, "  circuitBreaker:\n    threshold: 3\n    resetAfterSeconds: 60")
		out(f, "  probes:\n    liveness: /healthz\n    readiness: /ready\n    startup: /healthz")
		out(f, "\ninfrastructure:\n  database: postgres\n  databaseSchema: tenantScoped\n  cache: redis")
		out(f, "\nconfiguration:\n  values:")
		out(f, sprintf("    API_HOST: module-%04d.example.com\n    SERVICE_URL: https://${API_HOST}/v1", i))
		out(f, sprintf("    BATCH_SIZE: \"%d\"\n    FEATURE_FLAGS: reports,payments", 10 + i % 90))
		out(f, "  environmentOverlays:\n    dev:\n      API_HOST: dev.example.com\n    prod:\n      BATCH_SIZE: \"100\"")
		out(f, "  secrets:\n    - DB_PASSWORD\n    - API_TOKEN\n  mountAs: envVars")
		out(f, "\nnetwork:\n  serviceMesh: enabled\n  mesh: istio\n  mtls: true\n  identityProvider: workload-identity")
		out(f, sprintf("  trafficPolicy:\n    allow:\n      - from: %s\n        to: %s\n        tenantScoped: true", nm, nx))
		out(f, "\nobservability:\n  tracing: opentelemetry\n  metrics: prometheus\n  logs: structured")
		out(f, sprintf("\nevents:\n  emits:\n    - Module%04dChanged.v1\n  consumes:\n    - Module%04dChanged.v1", i, (i + n - 2) % n + 1))
		out(f, "  eventFormat: cloudEvents")
		out(f, sprintf("\napi:\n  exposed: true\n  routePrefix: /m%04d\n  gateway: envoy", i))
		out(f, "  versioning: { strategy: header, default: v1, supported: [v1, v2] }")
		out(f, "  rateLimit:\n    perMinute: 600\n  auth:\n    strategy: oauth2\n    scopes: [read, write]")
		out(f, "\ncost:\n  priority: medium\n  cpuRequest: 200m\n  cpuLimit: \"1\"\n  memoryRequest: 256Mi\n  memoryLimit: 512Mi")
		out(f, sprintf("  costTag:\n    team: team-%d\n    module: %s", i % 13, nm))
		out(f, "\ncloud:\n  provider: azure\n  region: westeurope\n  overlays:")
		out(f, "    aws: { secrets: aws-secrets-manager, pubsub: sns-sqs }\n    gcp: { secrets: gcp-secret-manager, pubsub: gcp-pubsub }")
		out(f, "\nrelease:\n  strategy: canary\n  environments: [dev, staging, production]")
		out(f, "  gates:\n    requireTests: true\n    requireApproval: [production]")
		close(f)
	}
}'
