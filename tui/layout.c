/* layout.c: every rectangle of every screen. */
#include "layout.h"

#include <string.h>

static struct rect
rect(int y, int x, int h, int w)
{
	struct rect r = { y, x, h > 0 ? h : 0, w > 0 ? w : 0 };

	return r;
}

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void
layout_compute(struct layout *l, const struct layout_req *q)
{
	int avail, diag_h, log_h, y;

	memset(l, 0, sizeof *l);
	l->sep_x = -1;
	if (q->lines < LAYOUT_MIN_ROWS || q->cols < LAYOUT_MIN_COLS) {
		l->too_small = 1;
		return;
	}
	l->top = rect(0, 0, 1, q->cols);
	l->status = rect(q->lines - 1, 0, 1, q->cols);
	l->body = rect(1, 0, q->lines - 2, q->cols);

	/* the run screen: ladder, logs, diagnosis */
	l->ladder = rect(1, 0, 1, q->cols);
	avail = q->lines - 3;
	y = 2;
	if (q->ndocs == 0) {
		l->diag_title = rect(y, 0, 1, q->cols);
		l->diag = rect(y + 1, 0, avail - 1, q->cols);
	} else {
		/* the diagnosis takes about two fifths, less when it is short */
		diag_h = clamp(avail * 2 / 5, 4, 24);
		if (q->diag_rows > 0 && q->diag_rows < diag_h)
			diag_h = clamp(q->diag_rows, 3, diag_h);
		if (q->zoom == ZOOM_LOG)
			diag_h = 0;
		log_h = avail - 2 - diag_h;
		if (q->zoom == ZOOM_DIAG) {
			log_h = 0;
			diag_h = avail - 2;
		}
		l->tabs = rect(y, 0, 1, q->cols);
		l->npanes = q->ndocs >= 2 && q->cols >= LAYOUT_WIDE ? 2 : 1;
		if (l->npanes == 2) {
			int left = (q->cols - 1) / 2;

			l->sep_x = left;
			l->pane_title[0] = rect(y, 0, 1, left);
			l->pane_title[1] = rect(y, left + 1, 1, q->cols - left - 1);
			l->pane[0] = rect(y + 1, 0, log_h, left);
			l->pane[1] = rect(y + 1, left + 1, log_h, q->cols - left - 1);
		} else {
			l->pane_title[0] = rect(y, 0, 1, q->cols);
			l->pane[0] = rect(y + 1, 0, log_h, q->cols);
		}
		y += 1 + log_h;
		l->diag_title = rect(y, 0, 1, q->cols);
		l->diag = rect(y + 1, 0, diag_h, q->cols);
	}

	/* a dialog: centred, or a prompt on the key line */
	if (q->bottom_prompt)
		l->dialog = rect(q->lines - 1, 0, 1, q->cols);
	else if (q->dialog_w > 0) {
		int w = clamp(q->dialog_w, 20, q->cols - 2);
		int h = clamp(q->dialog_h, 3, q->lines - 2);

		l->dialog = rect((q->lines - h) / 2, (q->cols - w) / 2, h, w);
	}
}

int
rect_has(const struct rect *r, int y, int x)
{
	return r->h > 0 && r->w > 0 && y >= r->y && y < r->y + r->h &&
	    x >= r->x && x < r->x + r->w;
}

int
layout_hit(const struct layout *l, int y, int x)
{
	for (int i = 0; i < l->npanes; i++) {
		if (rect_has(&l->pane[i], y, x))
			return i;
		if (rect_has(&l->pane_title[i], y, x))
			return LAYOUT_HIT_TABS;
	}
	if (rect_has(&l->diag, y, x))
		return LAYOUT_HIT_DIAG;
	if (rect_has(&l->diag_title, y, x))
		return LAYOUT_HIT_DIAG_TITLE;
	return -1;
}
