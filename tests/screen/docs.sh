# The action table of man/csf-tui-keys.5 and the slot table of man/csf-tui-theme.5 are what
# tools/gen-doc.sh makes from tui/request.h, keymaps/default.keys and tui/theme.h right now
# (run `make update-docs` after adding an action, a binding or a slot); every action of the
# request table appears in the page.
. "$(dirname "$0")/lib.sh"
mkdir -p "$tmp/tree"
cp -R "$top/tools" "$top/tui" "$top/keymaps" "$top/man" "$tmp/tree/"
(cd "$tmp/tree" && sh tools/gen-doc.sh update >/dev/null)
for f in csf-tui-keys.5 csf-tui-theme.5; do
	if ! diff -u "$top/man/$f" "$tmp/tree/man/$f"; then
		echo "FAIL: $name: man/$f is out of date (make update-docs)"
		failures=$((failures + 1))
	fi
done
for a in $(sed -n 's/^[[:space:]]*_([A-Z]*, *\([A-Z_]*\),.*/\1/p' "$top/tui/request.h" | tr 'A-Z_' 'a-z-'); do
	grep -qx ".B $a" "$top/man/csf-tui-keys.5" ||
		{ echo "FAIL: $name: action $a missing from csf-tui-keys.5"; failures=$((failures + 1)); }
done
# The pages format without warnings.
for f in csf-tui.1 csf-tui-keys.5 csf-tui-theme.5; do
	if command -v groff >/dev/null 2>&1; then
		groff -man -Tutf8 -ww -z "$top/man/$f" 2> "$tmp/groff.err" || true
		if [ -s "$tmp/groff.err" ]; then
			echo "FAIL: $name: groff warnings for $f:"; cat "$tmp/groff.err"
			failures=$((failures + 1))
		fi
	fi
done
finish
