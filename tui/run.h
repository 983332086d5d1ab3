/* run.h: the run screen's state, shared by its two halves: run-feed.c
 * (what feeds it: a wizard's events, or saved logs and their diagnosis
 * pass) and view-run.c (what it shows and how keys act on it). Not for
 * other screens: they see run_new() and run_ops in screen.h. */
#ifndef SSHD_TUI_RUN_H
#define SSHD_TUI_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "diagnose.h"
#include "reader.h"
#include "screen.h"
#include "view-diag.h"
#include "view-ladder.h"
#include "view-log.h"
#include "wizard.h"

#define MAX_DOCS	8
#define FOCUS_DIAG	(-1)

enum run_mode { RUN_WIZARD, RUN_FILES };

enum {
	DLG_PROMPT = 1, DLG_QUESTION, DLG_COMMAND, DLG_RUN, DLG_SAVE_CMD,
	DLG_SAVE_REPORT, DLG_SEARCH, DLG_LEAVE, DLG_FINDING
};

struct run {
	enum run_mode	 mode;
	const struct kb	*kb;
	char		*title;		/* wizard and target, for the top bar */
	int64_t		 t0;
	int64_t		 t_end;
	/* a wizard */
	struct wiz	*wiz;
	const struct wizard *def;
	struct strv	 own;		/* strings the params point to */
	int		 await;		/* a dialog answers the wizard */
	int		 done;
	int		 status;
	int		 cancelled;
	int		 timeout_s;	/* the run's overall deadline */
	struct findings	 findings;
	char		*note;		/* the latest step or info */
	/* saved logs */
	struct session	*session;
	char		*paths[MAX_DOCS];
	enum side	 sides[MAX_DOCS];
	size_t		 nfiles;
	size_t		 pass_file;
	int		 pass_fd;
	struct reader	*pass_reader;
	int		 pass_done;
	uint64_t	 pass_bytes;	/* of the files already read */
	uint64_t	 total_bytes;
	/* both */
	const struct diagnosis *diag;
	struct doc	*docs[MAX_DOCS];	/* by source */
	struct logview	 views[MAX_DOCS];
	const char	*names[MAX_DOCS];
	int		 order[MAX_DOCS];	/* sources, as shown */
	int		 ndocs;
	int		 pane_doc[LAYOUT_MAX_PANES];	/* index into order */
	int		 focus;		/* a pane, or FOCUS_DIAG */
	int		 last_pane;	/* the log pane focused last */
	unsigned	 hidden;
	int		 fold;
	char		 search[256];
	int		 seek_view;	/* source being searched, or -1 */
	enum layout_zoom zoom;
	struct ladder	 ladder;
	struct diagview	 dv;
	int		 dv_dirty;
	int		 dv_width;
	int		 tab_x[MAX_DOCS][2];
	int		 cmd;		/* the command a dialog is about */
	int64_t		 progress_drawn;
	/* the lab: its sshd's lines are the server side (owned; stopped on
	 * every way out, run_free) */
	struct lab	*lab;
	int64_t		 lab_offset;	/* the lab runner's clock at the start */
	int64_t		 lab_hold_until;	/* after an INFO: let sshd's lines */
	int64_t		 lab_quiet_at;	/* come before the wizard goes on */
};


/* run-feed.c */
struct logview *run_pane_view(struct run *r, int pane);
/* The layer filter and the fold switch, to every log. */
void run_apply_filter(struct run *r);
int run_pass_percent(const struct run *r);
/* A question of the decision tree, as a dialog (choices or free text). */
void run_ask_question(struct tui *t, struct run *r, const char *text,
    const char *const *choices);
/* The screen's work, deadline and descriptors (see screen.h). */
int run_work(struct tui *t, void *self);
int run_deadline(struct tui *t, void *self);
size_t run_pollfds(void *self, struct pollfd *fds, size_t max);
void run_free(void *self);

#endif
