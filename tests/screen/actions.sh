# Every binding of keymaps/default.keys is pressed at least once by this script, and every
# action it names is dispatched (checked in the trace, CSF_TUI_TRACE); the last key, Q, quits.
. "$(dirname "$0")/lib.sh"
export EDITOR=true
steps <<'SCRIPT'
?
q
<F1>
<Esc>
w
<C-l>
<Colon>
<Esc>
j
<Down>
k
<Up>
<PgDown>
<Space>
<PgUp>
-
<C-d>
<C-u>
G
g
<End>
<Home>
<Tab>
<C-e>
<C-y>
l
<Right>
h
<Left>
z
z
<S-Tab>
jjj
<Enter>
<S-Tab>
/o<Enter>
n
N
<Esc>
e
f
n
<Esc>
r
t
v
d
m
]
[
a
u
}
{
W
p
R
<Esc>
t
t
v
v
v
v
q
p
M
M
w
<Esc>
c
c
q
q
T
r
<Enter>
<Enter>
1
2
3
4
r
t
s
<Enter>
S
<Enter>
o
O
E
c
F
status=error<Enter>
H
x
m
C
w
#
!
:save-screen actions-end.screen
Q
:save-screen never-reached.screen
SCRIPT
run_tui
assert_screen actions-end.screen
[ ! -e "$tmp/never-reached.screen" ] || { echo "FAIL: $name: Q did not quit"; failures=$((failures + 1)); }
grep -v '^#' "$top/keymaps/default.keys" | while read -r cmd map key action; do
	[ "$cmd" = bind ] || continue
	grep -qx "request: $action" "$tmp/trace" ||
		echo "FAIL: $name: action $action ($map $key) was never dispatched"
	grep -qxF "key: $key" "$tmp/trace" || echo "FAIL: $name: key $key ($action) was never pressed"
done > "$tmp/missing"
if [ -s "$tmp/missing" ]; then
	cat "$tmp/missing"
	failures=$((failures + 1))
fi
finish
