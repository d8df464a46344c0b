# The fixtures workspace, where every rule fires: all formats, filters, single files, folders.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
fx=tests/fixtures/lint
golden lint-fixtures-text 1 lint $fx
golden lint-fixtures-json 1 lint $fx --format json
golden lint-fixtures-sarif 1 lint $fx --format=sarif
# One tenant and one environment (the alias prod is accepted).
golden lint-fixtures-acme-prod 1 lint $fx --tenant acme-001 --env prod
# A file inside the workspace: linted in its context, only its findings reported.
golden lint-fixtures-one-file 1 lint $fx/blueprints/shipping-service.yaml
# A folder inside the workspace.
golden lint-fixtures-tenants 1 lint $fx/tenants
# Two paths: a clean workspace and a single file.
golden lint-fixtures-two-paths 0 lint samples $fx/environments/production.yaml
# A file outside any workspace is linted on its own (no workspace-wide rules).
cp $fx/blueprints/shipping-service.yaml "$cli_tmp/loose.yaml"
cd "$cli_tmp" || exit 1
golden lint-loose-file 1 lint loose.yaml
finish
