#!/bin/sh
# Generates the action and slot tables of the man pages from the same sources as the code:
#   tools/gen-doc.sh keys    the ACTIONS section of man/csf-tui-keys.5, from tui/request.h
#                            (REQUEST_INFO) and the bindings of keymaps/default.keys
#   tools/gen-doc.sh slots   the SLOTS section of man/csf-tui-theme.5, from tui/theme.h
#                            (THEME_SLOTS)
#   tools/gen-doc.sh update  rewrites both sections in place (between the BEGIN/END markers)
# Usage from the top of the tree; output on stdout (keys, slots).
set -eu

esc() { sed -e 's/\\/\\e/g' -e 's/\xe2\x80\xa6/.../g' -e 's/\xe2\x80\x94/\\(em/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"; }

keys() {
	sed -n 's/^[[:space:]]*_(\([A-Z]*\), *\([A-Z_]*\), *"\(.*\)")[[:space:]]*\\\{0,1\}$/\1 \2 \3/p' \
		tui/request.h |
	while read -r group id help; do
		name=$(printf '%s' "$id" | tr 'A-Z_' 'a-z-')
		if [ "$group" != "${last:-}" ]; then
			printf '.SS %s\n' "$group"
			last=$group
		fi
		bound=$(awk -v a="$name" '$1 == "bind" && $4 == a { printf "%s%s (%s)", sep, $3, $2; sep = ", " }' \
			keymaps/default.keys)
		printf '.TP\n.B %s\n' "$name"
		printf '%s\n' "$help" | esc
		if [ -n "$bound" ]; then
			printf '.br\n'
			printf 'Keys: %s\n' "$bound" | esc
		else
			printf '.br\nNot bound by default; run it as \\fB:%s\\fR or bind it.\n' "$name"
		fi
	done
}

slots() {
	sed -n 's/^[[:space:]]*_(\([A-Z_]*\), *\(.\{3\}\), *"\(.*\)")[[:space:]]*\\\{0,1\}$/\1 \2 \3/p' \
		tui/theme.h |
	while read -r id letter help; do
		name=$(printf '%s' "$id" | tr 'A-Z_' 'a-z-')
		printf '.TP\n.B %s\n' "$name"
		printf '%s (slot map letter %s)\n' "$help" "$letter" | esc
	done
}

replace() {	# file section generator
	f=$1 sec=$2 gen=$3
	tmp=$f.tmp
	awk -v sec="$sec" -v body="$($gen)" '
		$0 == ".\\\" BEGIN " sec { print; print body; skip = 1; next }
		$0 == ".\\\" END " sec { skip = 0 }
		!skip { print }' "$f" > "$tmp"
	if cmp -s "$tmp" "$f"; then rm -f "$tmp"; else mv "$tmp" "$f"; echo "  GEN     $f"; fi
}

case ${1:-} in
keys) keys ;;
slots) slots ;;
update)
	replace man/csf-tui-keys.5 ACTIONS keys
	replace man/csf-tui-theme.5 SLOTS slots ;;
*) echo "usage: tools/gen-doc.sh keys|slots|update" >&2; exit 2 ;;
esac
