# Renders the whole samples/ matrix (every module x provider x tenant x environment) with
# `render --all` into a temp folder and validates EVERY generated file with real tools:
#   kubectl kustomize        every kustomization.yaml (k8s/ and gateway/)
#   k8s-models.js            every Kubernetes object (kubernetes-models, @kubernetes-models/*)
#   iac-check.js             CloudFormation (cfn-lint), Terraform (@cdktf/hcl2json), Bicep (structure)
#   contracts.js             event JSON Schemas (ajv) + sample CloudEvents (cloudevents), OpenAPI
#                            skeletons, execution-metadata.json hashes, JSON and JS syntax
#   sh -n                    every entrypoint.sh; Python function handlers parse (ast)
# Every file of the matrix must be claimed by one of these (no file goes unchecked). Negative
# controls prove each validator rejects a broken file.
set -u
: "${CSF_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${CSF_TUI:=$CSF_TOP/build/csf-tui}"
v="$CSF_TOP/tests/validate"
[ -d "$v/node_modules/kubernetes-models" ] || { echo "validators missing: run tools/deps.sh test" >&2; exit 1; }
command -v kubectl >/dev/null || { echo "kubectl missing: run tools/deps.sh test" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out="$tmp/out"
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

cd "$CSF_TOP" || exit 1
"$CSF_TUI" --headless --workspace samples render --all --out "$out" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc = 0 ] || { fail "render --all exit $rc"; cat "$tmp/stderr" >&2; exit 1; }
cells=$(find "$out" -name release.yaml | wc -l)
# Every module x 3 providers x every tenant x every environment; a tenant-specific blueprint
# (top-level tenantId) only for its tenant.
nbp=$(ls samples/blueprints/*.yaml | wc -l)
nspecific=$(grep -l '^tenantId:' samples/blueprints/*.yaml | wc -l)
nt=$(ls samples/tenants/*.yaml | wc -l)
ne=$(ls samples/environments/*.yaml | wc -l)
want=$(( ((nbp - nspecific) * nt + nspecific) * ne * 3 ))
[ "$cells" -eq "$want" ] || fail "expected $want cells, got $cells"
echo "render --all: $cells cells"
for p in azure aws gcp; do
	[ -d "$out/$p/production/vetclinic-001/BookingService" ] || fail "no $p/production/vetclinic-001/BookingService"
done

# Validates every file of a rendered matrix in $1.
validate_matrix() {
	out=$1
	cells=$(find "$out" -name release.yaml | wc -l)
	# kubectl kustomize on every kustomization (in parallel).
	find "$out" -name kustomization.yaml | sed 's#/kustomization.yaml$##' | sort >"$tmp/kdirs"
	nk=$(wc -l <"$tmp/kdirs")
	[ "$nk" -ge "$cells" ] || fail "only $nk kustomizations for $cells cells"
	xargs -P 4 -I{} sh -c 'kubectl kustomize "$1" >/dev/null 2>"$1/.kerr" || { echo "kustomize failed: $1"; cat "$1/.kerr"; }; rm -f "$1/.kerr"' _ {} \
		<"$tmp/kdirs" >"$tmp/kfail" 2>&1
	[ -s "$tmp/kfail" ] && { fail "kubectl kustomize:"; head -20 "$tmp/kfail" >&2; }
	echo "kubectl kustomize: $nk kustomizations"

	node "$v/k8s-models.js" "$out" >"$tmp/k8s.log" 2>&1 || { fail "k8s-models.js"; tail -30 "$tmp/k8s.log" >&2; }
	tail -1 "$tmp/k8s.log"
	node "$v/iac-check.js" "$out" >"$tmp/iac.log" 2>&1 || { fail "iac-check.js"; tail -30 "$tmp/iac.log" >&2; }
	tail -1 "$tmp/iac.log"
	node "$v/contracts.js" "$out" >"$tmp/contracts.log" 2>&1 || { fail "contracts.js"; tail -30 "$tmp/contracts.log" >&2; }
	tail -1 "$tmp/contracts.log"
	nsh=0
	for f in $(find "$out" -name entrypoint.sh); do
		sh -n "$f" || fail "sh -n $f"
		nsh=$((nsh + 1))
	done
	echo "sh -n: $nsh entrypoint.sh"

	# Every file is claimed by a validator above, or is a container file checked here.
	find "$out" -type f | sed "s#^$out/##" | grep -Ev \
		'(\.ya?ml|\.json|\.bicep|\.tf|/entrypoint\.sh|/functions/.*\.js)$' >"$tmp/unclaimed"
	while read -r f; do
		case $f in
		*/Dockerfile)
			grep -q '^FROM ' "$out/$f" && grep -Eq '^USER [1-9][0-9]*:[1-9][0-9]*$' "$out/$f" ||
				fail "$f: no FROM or no numeric non-root USER" ;;
		*/.dockerignore) grep -qx '\.env' "$out/$f" || fail "$f: .env not ignored" ;;
		*/functions/*.py)
			python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read())' "$out/$f" ||
				fail "$f: Python syntax" ;;
		*/functions/*/requirements.txt) grep -Eq '^[A-Za-z0-9_.-]+' "$out/$f" || fail "$f: empty" ;;
		*) fail "unvalidated file: $f" ;;
		esac
	done <"$tmp/unclaimed"
}

validate_matrix "$out"

# The fixture workspace covers what the samples do not (YARP, header versioning, volume
# mounts, schedule and prometheus triggers, cosmos, a Python timer function): validate its
# whole matrix too.
"$CSF_TUI" --headless --workspace tests/fixtures/render/ws render --all --out "$tmp/fx" >/dev/null 2>"$tmp/stderr" ||
	{ fail "render --all of the fixtures"; cat "$tmp/stderr" >&2; }
validate_matrix "$tmp/fx"
out="$tmp/out"

# Negative controls: each validator rejects a broken copy.
neg="$tmp/neg/aws/dev/t/M"
mkdir -p "$neg/k8s" "$neg/iac/aws" "$neg/iac/gcp" "$neg/iac/azure" "$neg/events"
cell="$out/aws/dev/vetclinic-001/BookingService"
sed 's/^  maxReplicaCount: .*/  maxReplicaCount: lots/' "$cell/k8s/scaledobject.yaml" >"$neg/k8s/scaledobject.yaml"
node "$v/k8s-models.js" "$neg/k8s" >/dev/null 2>&1 && fail "k8s-models.js accepted a broken ScaledObject"
sed 's/^      QueueName:/      QueueNam:/' "$cell/iac/aws/stack.yaml" >"$neg/iac/aws/stack.yaml"
node "$v/iac-check.js" "$neg/iac/aws" >/dev/null 2>&1 && fail "iac-check.js accepted a broken CloudFormation stack"
sed '0,/^}/s/^}//' "$out/gcp/dev/vetclinic-001/BookingService/iac/gcp/main.tf" >"$neg/iac/gcp/main.tf"
node "$v/iac-check.js" "$neg/iac/gcp" >/dev/null 2>&1 && fail "iac-check.js accepted broken Terraform"
{ cat "$out/azure/dev/vetclinic-001/BookingService/iac/azure/main.bicep"; printf '\nparam unused string\n'; } \
	>"$neg/iac/azure/main.bicep"
node "$v/iac-check.js" "$neg/iac/azure" >/dev/null 2>&1 && fail "iac-check.js accepted Bicep with an unused param"
sed 's/"const": "1.0"/"const": 1.0, "minimum": "x"/' "$cell/events/AppointmentBooked.v1.schema.json" \
	>"$neg/events/AppointmentBooked.v1.schema.json"
cp "$cell/execution-metadata.json" "$neg/execution-metadata.json"
node "$v/contracts.js" "$neg" >/dev/null 2>&1 && fail "contracts.js accepted a broken schema and stale metadata"

exit $failed
