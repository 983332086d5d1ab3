/* view-diag.h: the diagnosis pane: the verdict and cause, the evidence
 * lines (Enter jumps to one in its log), why, the fix steps, the commands
 * (Enter offers copy, save and, after a y/N naming the exact command,
 * run), the other possible causes, what to collect next, the question the
 * decision tree asks, and a local check's findings. The text is wrapped
 * to the pane once per change; the cursor moves over rows and the item
 * under it is what Enter and c act on. */
#ifndef SSHD_TUI_VIEW_DIAG_H
#define SSHD_TUI_VIEW_DIAG_H

#include <stddef.h>

#include "check.h"
#include "diagnose.h"
#include "keys.h"
#include "layout.h"

enum ditem { DI_NONE = 0, DI_EVIDENCE, DI_COMMAND, DI_QUESTION, DI_FINDING };

struct diag_input {
	const struct diagnosis *d;	/* NULL: none yet */
	const struct findings *findings;
	const char	*const *names;	/* by source: "client.log" */
	size_t		 nnames;
	const char	*waiting;	/* shown while there is no diagnosis */
};

struct drow {
	char		*text;
	int		 role;		/* enum role */
	enum ditem	 kind;
	int		 index;		/* which evidence, command, finding */
	int		 indent;
};

struct diagview {
	struct drow	*rows;
	size_t		 n;
	size_t		 cap;
	int		 top;
	int		 cur;
	int		 width;
};

/* Wrap the pane's text for a width. With cur set to -1 first, the cursor
 * goes to the first evidence line (a new diagnosis). */
void diagview_build(struct diagview *v, const struct diag_input *in, int width);
void diagview_free(struct diagview *v);
void diagview_draw(struct diagview *v, const struct rect *r, int focused);
/* Moves and scrolls; returns 1 when something changed. */
int diagview_key(struct diagview *v, const struct key *k, const struct rect *r);
/* The item under the cursor (DI_NONE if none) and its index. */
enum ditem diagview_item(const struct diagview *v, int *index);
/* Put the cursor on the first row of an item (a new diagnosis). */
void diagview_focus_first(struct diagview *v, enum ditem kind);

#endif
