/* layout.h: the geometry of every screen, computed in one place.
 *
 * layout_compute() takes the terminal size and what the current screen
 * has to show, and returns every rectangle; views only read them. Below
 * the minimum size it says so, and the loop shows a "terminal too small"
 * screen instead. */
#ifndef SSHD_TUI_LAYOUT_H
#define SSHD_TUI_LAYOUT_H

#define LAYOUT_MIN_COLS	50
#define LAYOUT_MIN_ROWS	12
#define LAYOUT_WIDE	160	/* two logs side by side from here */
#define LAYOUT_MAX_PANES 2

struct rect {
	int	 y, x, h, w;
};

enum layout_zoom { ZOOM_NONE = 0, ZOOM_LOG, ZOOM_DIAG };

struct layout_req {
	int	 lines, cols;
	int	 ndocs;		/* logs to show (run screen) */
	int	 diag_rows;	/* rows the diagnosis would like */
	enum layout_zoom zoom;
	int	 dialog_w;	/* a dialog's wanted size, 0: none */
	int	 dialog_h;
	int	 bottom_prompt;	/* the dialog is a prompt on the key line */
};

struct layout {
	int	 too_small;
	struct rect top;	/* title bar */
	struct rect ladder;	/* stage ladder */
	struct rect tabs;	/* pane titles or tabs of the logs */
	int	 npanes;
	struct rect pane[LAYOUT_MAX_PANES];	/* log bodies */
	struct rect pane_title[LAYOUT_MAX_PANES];
	int	 sep_x;		/* column of the separator, or -1 */
	struct rect diag_title;
	struct rect diag;	/* diagnosis body */
	struct rect status;	/* key line */
	struct rect body;	/* home and help: between top and status */
	struct rect dialog;	/* a dialog's box */
};

void layout_compute(struct layout *l, const struct layout_req *q);
/* The rectangle holding (y, x): 0..npanes-1 a log pane, LAYOUT_HIT_DIAG,
 * LAYOUT_HIT_TABS, or -1. */
#define LAYOUT_HIT_DIAG		10
#define LAYOUT_HIT_TABS		11
#define LAYOUT_HIT_DIAG_TITLE	12
int layout_hit(const struct layout *l, int y, int x);
int rect_has(const struct rect *r, int y, int x);

#endif
