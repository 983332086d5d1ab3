/* history.h: the recent sessions, for the home screen and the target
 * dialog: ~/.cache/sshdoctor/history (or $XDG_CACHE_HOME), mode 0600,
 * one entry a line, fields separated by tabs: the wizard, then its
 * target (user@host, port) or its files. Never a password or an answer:
 * only what the operator would type on the command line. */
#ifndef SSHD_TUI_HISTORY_H
#define SSHD_TUI_HISTORY_H

#include "util.h"

#define HISTORY_MAX	30

struct history {
	struct strv	 entries;	/* newest first */
};

void history_load(struct history *h);
/* Put an entry first (once) and save; a failure to save is silent: the
 * history is a convenience. */
void history_add(struct history *h, const char *entry);
void history_free(struct history *h);
/* The targets of connect/sftp entries, newest first (for the dialog). */
void history_targets(const struct history *h, struct strv *out);

#endif
