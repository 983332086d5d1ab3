/* view-help.h: the help over any screen (?), its keys and what they do,
 * and how sshdoctor treats commands and secrets. */
#ifndef SSHD_TUI_VIEW_HELP_H
#define SSHD_TUI_VIEW_HELP_H

#include "keys.h"
#include "layout.h"

/* page: "home", "run", "train" or "lab". top: first row shown (clamped here). */
void help_draw(const char *page, const struct rect *r, int *top);
/* 1 when the help should close. */
int help_key(const struct key *k, int *top, const struct rect *r);

#endif
