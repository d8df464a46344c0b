/* Requests: every action a key, a script or a `:` command can ask for, declared once.
 *
 * REQUEST_INFO(_) expands _(GROUP, NAME, "help") per action. The one list generates
 * enum request (REQ_<NAME>), the names used in keymap files (NAME in lower case with '-' for
 * '_', e.g. REQ_MOVE_PAGE_DOWN is "move-page-down"), the help view, and the action table of
 * man/csf-tui-keys.5 (tools/gen-doc.sh reads this file). Adding an action is one line here
 * plus its handling in a view's .handle or in the global handler (tui/app.c).
 */
#ifndef CSF_TUI_REQUEST_H
#define CSF_TUI_REQUEST_H

#include <stddef.h>

#define REQUEST_INFO(_) \
	_(VIEW, VIEW_WORKBENCH,   "Open the blueprint workbench") \
	_(VIEW, VIEW_HELP,        "Show the keys of the active keymap and every action") \
	_(VIEW, VIEW_BACK,        "Close the current view, or leave the current mode") \
	_(VIEW, QUIT,             "Quit csf-tui") \
	_(VIEW, REFRESH,          "Redraw the whole screen") \
	_(VIEW, PROMPT,           "Open the : command line") \
	_(MOVE, MOVE_UP,          "Move the cursor one row up") \
	_(MOVE, MOVE_DOWN,        "Move the cursor one row down") \
	_(MOVE, MOVE_PAGE_UP,     "Move the cursor one page up") \
	_(MOVE, MOVE_PAGE_DOWN,   "Move the cursor one page down") \
	_(MOVE, MOVE_HALF_UP,     "Move the cursor half a page up") \
	_(MOVE, MOVE_HALF_DOWN,   "Move the cursor half a page down") \
	_(MOVE, MOVE_FIRST,       "Move to the first row") \
	_(MOVE, MOVE_LAST,        "Move to the last row") \
	_(MOVE, SCROLL_LINE_UP,   "Scroll the pane one line up, keeping the cursor in view") \
	_(MOVE, SCROLL_LINE_DOWN, "Scroll the pane one line down, keeping the cursor in view") \
	_(MOVE, SCROLL_LEFT,      "Scroll the pane to the left") \
	_(MOVE, SCROLL_RIGHT,     "Scroll the pane to the right") \
	_(MOVE, NEXT_PANE,        "Focus the next pane") \
	_(MOVE, PREV_PANE,        "Focus the previous pane") \
	_(MOVE, ZOOM,             "Maximize the focused pane, or restore the split") \
	_(MOVE, ENTER,            "Open the selected item, or jump to the selected finding") \
	_(SEARCH, SEARCH,         "Filter the list, or search the text, with a regular expression") \
	_(SEARCH, FIND_NEXT,      "Jump to the next match") \
	_(SEARCH, FIND_PREV,      "Jump to the previous match") \
	_(SEARCH, SEARCH_CLEAR,   "Clear the filter and the search") \
	_(BLUEPRINT, EDIT,        "Edit the file in $VISUAL or $EDITOR at the cursor line") \
	_(BLUEPRINT, FIX,         "Apply the fix of the selected finding, after showing the change") \
	_(BLUEPRINT, NEW_BLUEPRINT, "Create a new blueprint from the template") \
	_(BLUEPRINT, LINT,        "Reload the workspace and lint again") \
	_(BLUEPRINT, TENANT_NEXT, "Lint for the next tenant (all tenants, then each one)") \
	_(BLUEPRINT, ENV_NEXT,    "Lint for the next environment (all, then each one)") \
	_(OPTION, TOGGLE_LINENO,  "Show or hide line numbers") \
	_(OPTION, TOGGLE_GUTTER,  "Show or hide the findings gutter") \
	_(DIFF, VIEW_DIFF,        "Review the selected blueprint: HEAD against the working tree") \
	_(DIFF, DIFF_MODE,        "Diff: cycle unified, side-by-side and semantic") \
	_(DIFF, NEXT_HUNK,        "Diff: jump to the next hunk or file") \
	_(DIFF, PREV_HUNK,        "Diff: jump to the previous hunk or file") \
	_(DIFF, DIFF_ARTIFACTS,   "Diff: switch between the sources and the artifacts they generate") \
	_(DIFF, DIFF_UNCHANGED,   "Diff: list the unchanged files, or collapse them into one row") \
	_(DIFF, DIFF_CONTEXT_MORE, "Diff: one more line of context") \
	_(DIFF, DIFF_CONTEXT_LESS, "Diff: one line of context less") \
	_(DIFF, DIFF_WHITESPACE,  "Diff: ignore whitespace changes, or compare them again") \
	_(DIFF, PROVIDER_NEXT,    "Next cloud provider of the cell (default, azure, aws, gcp)") \
	_(DIFF, DIFF_PICK,        "Diff: pick the two revisions to compare from a list") \
	_(PREVIEW, VIEW_PREVIEW,  "Preview the artifacts the selected blueprint generates") \
	_(PREVIEW, PREVIEW_MATRIX, "Preview: list every provider x tenant x environment cell") \
	_(PREVIEW, WRITE_CELL,    "Preview: write the cell's artifacts into a folder") \
	_(PREVIEW, COMPARE_CELL,  "Preview: mark this cell, then diff the marked cell against another") \
	_(CLUSTER, VIEW_TENANTS,  "Open the live tenants: modules, replicas, versions, health, drift") \
	_(CLUSTER, VIEW_TRACES,   "Open the traces (of the selected tenant or module)") \
	_(CLUSTER, CLUSTER_REFRESH, "Load the cluster data again") \
	_(CLUSTER, SCALING_1H,    "Scaling: show the last hour") \
	_(CLUSTER, SCALING_6H,    "Scaling: show the last 6 hours") \
	_(CLUSTER, SCALING_24H,   "Scaling: show the last 24 hours") \
	_(CLUSTER, SCALING_7D,    "Scaling: show the last 7 days") \
	_(TRACES, TRACE_SEARCH,   "Traces: search (service=, operation=, k=v, min=, max=, lookback=, start=, end=)") \
	_(TRACES, TRACE_SORT,     "Traces: sort the list by start time (newest first) or by duration") \
	_(TRACES, TRACE_FOLD,     "Traces: fold or unfold the selected span") \
	_(TRACES, TRACE_FOLD_LEVEL, "Traces: fold or unfold every span at the selected span's depth") \
	_(TRACES, TRACE_EXPAND,   "Traces: unfold every span") \
	_(TRACES, TRACE_CRITICAL, "Traces: highlight the critical path, or stop") \
	_(TRACES, TRACE_FILTER,   "Traces: filter spans (tenantId=..., status=error, duration>100ms)") \
	_(TRACES, TRACE_FILTER_MODE, "Traces: filtered spans are hidden, or only the matches highlighted") \
	_(TRACES, TRACE_MARK,     "Traces: mark this trace for a comparison") \
	_(TRACES, TRACE_COMPARE,  "Traces: compare the marked trace with this one") \
	_(TRACES, TRACE_NEXT_ERROR, "Traces: jump to the next error span")

enum request {
	REQ_NONE = 0,		/* consumed, or nothing to do */
	REQ_UNKNOWN,		/* a key with no binding */
#define REQUEST_ENUM(group, name, help) REQ_##name,
	REQUEST_INFO(REQUEST_ENUM)
#undef REQUEST_ENUM
	REQ_COUNT
};

struct tui_request_info {
	enum request req;
	const char *group;	/* "VIEW", "MOVE", … */
	const char *id;		/* C spelling: "MOVE_PAGE_DOWN" */
	const char *help;
};

/* The table, in declaration order, without REQ_NONE and REQ_UNKNOWN. Static storage. */
const struct tui_request_info *tui_request_table(size_t *n);

/* The info of req, or NULL for REQ_NONE / REQ_UNKNOWN / out of range. */
const struct tui_request_info *tui_request_info(enum request req);

/* Writes the keymap spelling of req ("move-page-down") into out[n] and returns out; "none"
 * for REQ_NONE, "unknown" otherwise. 32 bytes are enough for every name. */
const char *tui_request_name(enum request req, char *out, size_t n);

/* Parses a keymap name ("move-down"); returns REQ_UNKNOWN when unknown. "none" gives REQ_NONE. */
enum request tui_request_parse(const char *name, size_t len);

#endif
