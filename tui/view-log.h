/* view-log.h: a log pane over one document: a cursor row, scrolling,
 * folds opened and closed, marked lines, search and the e/w jumps.
 *
 * Each row shows a marker column, the line number, a severity column
 * ('!' error or fatal, '~' warning), the layer TAG (TCP, KEX, AUTH, …)
 * and the sanitised text coloured by layer: the tag and the severity
 * carry the meaning where colour is off. Searches and jumps over a large
 * file run in steps (logview_seek_step), so the loop stays responsive and
 * a key stops them. */
#ifndef SSHD_TUI_VIEW_LOG_H
#define SSHD_TUI_VIEW_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "keys.h"
#include "layout.h"
#include "rows.h"

enum seek_kind { SEEK_NONE = 0, SEEK_TEXT, SEEK_ERROR, SEEK_WARN };

struct logview {
	struct rowview	 rv;
	struct rowpos	 top;
	struct rowpos	 cur;
	int		 placed;
	int		 follow;	/* keep the cursor on the last row */
	int		 hscroll;
	int		 height;	/* rows at the last draw */
	uint64_t	*marks;		/* sorted line indexes */
	size_t		 nmarks;
	size_t		 capmarks;
	enum seek_kind	 seek;
	int		 seek_dir;
	uint64_t	 seek_at;
};

void logview_init(struct logview *lv, struct doc *d, int follow);
void logview_free(struct logview *lv);
/* The run's layer filter and fold switch. */
void logview_filter(struct logview *lv, unsigned hidden, int fold);
void logview_draw(struct logview *lv, const struct rect *r, int focused,
    const char *pattern);
/* Movement keys; 1 when something changed. */
int logview_key(struct logview *lv, const struct key *k, const struct rect *r);
/* Enter: open or close the fold under the cursor. 1 if it did. */
int logview_toggle_fold(struct logview *lv);
/* m: mark or unmark the line under the cursor. 1 if it did. */
int logview_mark(struct logview *lv);
/* The marked lines (or the cursor's line), one per line; how many. */
char *logview_copy_text(struct logview *lv, size_t *nlines);
/* Show line i (0-based): open its fold, put the cursor on it. */
void logview_goto(struct logview *lv, uint64_t i);
/* Start a search (SEEK_TEXT) or a jump, forward (1) or backward (-1). */
void logview_seek_start(struct logview *lv, enum seek_kind kind, int dir);
/* Look at up to budget lines: 1 found (cursor moved), 0 not yet, -1 no
 * more in that direction. */
int logview_seek_step(struct logview *lv, const char *pattern, uint64_t budget);
/* "line 14 of 15" for the pane title. */
void logview_where(struct logview *lv, char *out, size_t size);

#endif
