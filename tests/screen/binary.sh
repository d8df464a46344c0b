# A binary file in blueprints/ (NUL bytes, random data) shows as one line saying so in the
# source pane, not as pages of replacement characters; its finding is listed as usual.
. "$(dirname "$0")/lib.sh"
{ printf 'module: Blob\n'; head -c 4000 /dev/zero | tr '\0' '\001'; printf '\0\377\376binary'; } \
	>"$ws/blueprints/blob.yaml"
steps <<'SCRIPT'
:save-screen binary.screen
<Tab><Tab><Enter>
:save-screen binary-jump.screen
SCRIPT
run_tui
assert_screen binary.screen
# Enter on the finding (line 2, past the one line shown) keeps the view whole.
assert_screen binary-jump.screen
assert_grep '^  blueprints/blob.yaml ' binary.screen
assert_grep '# binary data (4022 bytes): not shown' binary.screen
finish
