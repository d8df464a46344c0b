/* Pane layouts shared by views. */
#ifndef CSF_VIEWS_LAYOUT_H
#define CSF_VIEWS_LAYOUT_H

#include "views/view.h"

/* Stacks two panes over the view's full width: top_pane gets num/den of the height (at least
 * 4 rows, else all but 2, else all), bottom_pane the rest. */
static inline void
view_layout_stack(struct view *view, unsigned top_pane, unsigned bottom_pane, int num, int den)
{
	struct view_pane *pn = view->pane;
	int top = view->h * num / den;

	if (top < 4)
		top = view->h > 4 ? view->h - 2 : view->h;
	pn[top_pane].y = view->y;
	pn[top_pane].x = view->x;
	pn[top_pane].h = top;
	pn[top_pane].w = view->w;
	pn[bottom_pane].y = view->y + top;
	pn[bottom_pane].x = view->x;
	pn[bottom_pane].h = view->h - top;
	pn[bottom_pane].w = view->w;
}

/* Places two panes side by side over the view's full height: left_pane gets the first left_w
 * columns, right_pane the rest. */
static inline void
view_layout_side(struct view *view, unsigned left_pane, unsigned right_pane, int left_w)
{
	struct view_pane *pn = view->pane;

	pn[left_pane].y = view->y;
	pn[left_pane].x = view->x;
	pn[left_pane].h = view->h;
	pn[left_pane].w = left_w;
	pn[right_pane].y = view->y;
	pn[right_pane].x = view->x + left_w;
	pn[right_pane].h = view->h;
	pn[right_pane].w = view->w - left_w;
}

#endif
