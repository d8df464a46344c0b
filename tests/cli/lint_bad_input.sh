# Bad input: each file gives one clear diagnostic and the right exit status, never a crash or
# a hang. The files are generated in a temp folder (the 100 MB one is never committed).
. "$(dirname "$0")/lib.sh"
cd "$cli_tmp" || exit 1
: >empty.yaml
printf 'module: A\n  version: [1\n' >not-yaml.yaml
printf 'module: A\000\001\002binary' >binary.yaml
truncate -s 100M huge.yaml
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "["; for (i = 0; i < 10000; i++) printf "]"; print "" }' >deep.yaml
cat >alias-bomb.yaml <<'YAML'
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
YAML
printf -- '- module: A\n- version: 1.0.0\n' >list.yaml
printf 'kind: Blueprint\n- module: A\n' >list-kind.yaml
for f in empty not-yaml binary huge deep alias-bomb list; do
	golden "lint-bad-$f" 1 lint "$f.yaml"
	n=$(grep -c ': error: ' "$cli_out")
	[ "$n" = 1 ] || fail "$f.yaml: $n diagnostics, expected exactly 1"
	stderr_lines 0
done
# A blueprint that is a list, inside a workspace's blueprints/ folder.
mkdir -p ws/blueprints && : >ws/csf.yaml && cp list.yaml ws/blueprints/list.yaml
golden lint-bad-list-in-ws 1 lint ws
# An unreadable file: exit 2 with the reason on stderr. root reads anything, so as root the file
# is a dangling symlink instead (also unreadable, also exit 2).
mkdir -p ws2/blueprints && : >ws2/csf.yaml
if [ "$(id -u)" = 0 ]; then
	ln -s /nonexistent/target.yaml ws2/blueprints/unreadable.yaml
	why="No such file or directory"
else
	printf 'module: A\n' >ws2/blueprints/unreadable.yaml
	chmod 000 ws2/blueprints/unreadable.yaml
	why="Permission denied"
fi
golden lint-bad-unreadable 2 lint ws2
stderr_has "ws2/blueprints/unreadable.yaml: cannot read: $why"
stderr_lines 1
golden lint-empty 2 lint ws2/blueprints/unreadable.yaml
stderr_lines 1
finish
