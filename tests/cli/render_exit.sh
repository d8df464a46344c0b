# render: usage and I/O errors exit 2 with a clear message and write nothing; a blueprint that
# cannot be rendered at all is refused (exit 1) with its blocking error, the rest still renders;
# lint errors are warnings.
. "$(dirname "$0")/lib.sh"
cd "$CSF_TOP" || exit 1
fx=tests/fixtures/render/ws
golden render-empty 2 --workspace $fx render OrdersApi --provider ibm --format yaml
stderr_has "unknown provider 'ibm'"
golden render-empty 2 --workspace $fx render OrdersApi --tenant ../acme-001 --format yaml
stderr_has "tenant '../acme-001' is not a valid name"
golden render-empty 2 --workspace $fx render ../../etc/passwd --format yaml
stderr_has "module '../../etc/passwd' is not a valid name|no blueprint or module"
golden render-empty 2 --workspace $fx render Orders/Api --format yaml
stderr_has "module 'Orders/Api' is not a valid name"
golden render-empty 2 --workspace $fx render NoSuchModule --format yaml
stderr_has "no blueprint or module 'NoSuchModule'"
golden render-empty 2 --workspace $fx render OrdersApi --tenant nobody --format yaml
stderr_has "no tenant 'nobody'"
golden render-empty 2 --workspace $fx render OrdersApi --format xml
stderr_has "--format must be files, yaml or json"
golden render-empty 2 --workspace $fx render OrdersApi --format files
stderr_has "--format files needs --out DIR"
golden render-empty 2 --workspace $fx render
stderr_has "name a BLUEPRINT or MODULE, or use --all"
golden render-empty 2 --workspace $fx --readonly render OrdersApi --out "$cli_tmp/ro"
stderr_has "refused under --readonly"
[ ! -e "$cli_tmp/ro" ] || fail "readonly: $cli_tmp/ro was created"

# A blueprint named by a path that is missing, a folder or outside the workspace says which.
golden render-empty 2 --workspace $fx render blueprints/no-such.yaml --format yaml
stderr_has "^csf-tui: render: blueprints/no-such.yaml: No such file or directory$"
golden render-empty 2 --workspace $fx render $fx/blueprints --format yaml
stderr_has "blueprints: is a folder, not a blueprint file"
golden render-empty 2 --workspace $fx render samples/blueprints/booking-service.yaml --format yaml
stderr_has "booking-service.yaml' in $fx: the file is not part of that workspace \\(use --workspace DIR\\)"

# A tenant-specific blueprint renders for its own tenant only.
golden render-empty 2 render RecordsImport --tenant happytails-004 --format yaml
stderr_has "specific to tenant vetclinic-001"

# Unwritable --out: a path below a regular file. Nothing is created, exit 2.
: >"$cli_tmp/plainfile"
golden render-empty 2 --workspace $fx render --all --out "$cli_tmp/plainfile/out"
stderr_has "cannot write to --out"
[ -z "$(find "$cli_tmp" -newer "$cli_tmp/plainfile" -not -name '.*' -not -path "$cli_tmp")" ] ||
	fail "unwritable --out left files behind"

# A symlink inside DIR cannot lead writes out of it.
mkdir -p "$cli_tmp/sym/out" "$cli_tmp/elsewhere"
ln -s "$cli_tmp/elsewhere" "$cli_tmp/sym/out/azure"
golden render-empty 2 --workspace $fx render OrdersApi --tenant acme-001 --env dev --out "$cli_tmp/sym/out"
stderr_has "resolves outside"
[ -z "$(ls -A "$cli_tmp/elsewhere")" ] || fail "symlink: files written outside --out"

# Bad input: the nameless blueprint is refused (exit 1), the other one renders with warnings.
bad=tests/fixtures/render/bad
golden render-empty 1 --workspace $bad render $bad/blueprints/nameless.yaml --format yaml
stderr_has "refused: the blueprint has no .module."
golden render-empty 1 --workspace $bad render --all --provider aws --out "$cli_tmp/bad"
stderr_has "missing required key 'module' \[schema-required\]"
stderr_has "unknown key 'colour' \[schema-unknown-key\]"
stderr_has "rendering anyway"
stderr_has "aws/default/default/unnamed: refused: the blueprint has no .module."
[ -f "$cli_tmp/bad/aws/default/default/TinyService/k8s/deployment.yaml" ] ||
	fail "bad input: the renderable blueprint was not rendered"
[ ! -e "$cli_tmp/bad/aws/default/default/unnamed" ] || fail "bad input: a refused cell left files"
finish
