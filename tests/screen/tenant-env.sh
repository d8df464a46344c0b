# Lint for a chosen tenant and environment: t and v cycle through them, Enter on a tenant or an
# environment in the list picks it (Enter again goes back to all), :tenant and :env name them.
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
t
:save-screen tenant-next.screen
v
:save-screen env-next.screen
vv
:save-screen env-cycled.screen
t
:env prod
:save-screen env-alias.screen
:env nowhere
:save-screen env-unknown.screen
:tenant all
:env all
G
kkkkkk
<Enter>
:save-screen tenant-enter.screen
<Enter>
:save-screen tenant-enter-again.screen
SCRIPT
run_tui
for s in tenant-next env-next env-cycled env-alias env-unknown tenant-enter tenant-enter-again; do
	assert_screen $s.screen
done
finish
