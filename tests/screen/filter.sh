# `/` filters lists (n/N move between matches, Esc clears) and searches text (n/N jump,
# wrapping); a pattern that matches nothing, or a bad one, says so.
. "$(dirname "$0")/lib.sh"
steps <<'SCRIPT'
/or
:save-screen filter-prompt.screen
<Enter>
:save-screen filter-list.screen
n
:save-screen filter-list-next.screen
N
<Esc>
:save-screen filter-cleared.screen
j<Tab>
/retries|stateless<Enter>
:save-screen search-text.screen
n
:save-screen search-text-next.screen
n
:save-screen search-wrapped.screen
/no-such-thing<Enter>
:save-screen search-not-found.screen
/[unclosed<Enter>
:save-screen search-bad-regex.screen
SCRIPT
run_tui
for s in filter-prompt filter-list filter-list-next filter-cleared search-text search-text-next \
	 search-wrapped search-not-found search-bad-regex; do
	assert_screen $s.screen
done
finish
