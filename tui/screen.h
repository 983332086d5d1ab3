/* screen.h: what every screen offers the loop, and what the loop offers
 * every screen.
 *
 * A screen is a const table of functions (as ncdu's X_draw()/X_key() and
 * tmux's modes): draw, key, work (wizard events, background passes),
 * deadline (its nearest one), pollfds (its children's pipes) and
 * dialog_done. Handlers return intent flags and only the loop acts on
 * them: redraw, go back, quit, open a run, there is more work. */
#ifndef SSHD_TUI_SCREEN_H
#define SSHD_TUI_SCREEN_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "dialog.h"
#include "history.h"
#include "keys.h"
#include "kb.h"
#include "layout.h"
#include "tui.h"

#define TUI_REDRAW	0x01
#define TUI_BACK	0x02	/* close this screen */
#define TUI_QUIT	0x04	/* leave the program */
#define TUI_OPEN	0x08	/* open the run in tui->open */
#define TUI_MORE	0x10	/* work left: poll without waiting */
#define TUI_HELP	0x20	/* show the help */

struct tui;

struct screen_ops {
	const char	*name;
	void		(*draw)(struct tui *t, void *self);
	int		(*key)(struct tui *t, void *self, const struct key *k);
	int		(*work)(struct tui *t, void *self);
	int		(*deadline)(struct tui *t, void *self);
	size_t		(*pollfds)(void *self, struct pollfd *fds, size_t max);
	int		(*dialog_done)(struct tui *t, void *self, struct dialog *d);
	/* what the layout needs to know (panes, dialog) */
	void		(*layout)(void *self, struct layout_req *q);
	const char	*help;		/* the help page's id, see view-help.h */
	void		(*free)(void *self);
};

struct screen {
	const struct screen_ops *ops;
	void		*self;
};

#define TUI_MAX_SCREENS	4

/* A run to open: what home asked for, with the strings it points to. */
struct tui_request {
	struct tui_start start;
	struct strv	 own;		/* strings start points into */
};

struct tui {
	const struct kb	*kb;
	struct layout	 lay;
	struct screen	 screens[TUI_MAX_SCREENS];
	int		 nscreens;
	struct dialog	*dlg;		/* a modal dialog, owned by the top screen */
	int		 help;		/* the help is shown */
	int		 help_top;
	char		 msg[256];	/* a transient message on the key line */
	int		 msg_role;
	int64_t		 msg_until;
	struct tui_request open;	/* TUI_OPEN: the run to open */
	struct history	 history;
	int		 direct;	/* the first screen was a run: q there quits */
	int		 infd;		/* the keyboard */
};

/* Milliseconds on a monotonic clock. */
int64_t tui_now(void);
/* A message on the key line for a few seconds (printf-like, sanitised). */
void tui_message(struct tui *t, int role, const char *fmt, ...)
    PRINTFLIKE(3, 4);
/* A key is waiting: background work should yield to the loop now. */
int tui_input_pending(const struct tui *t);
/* Show a dialog (the top screen gets it back in dialog_done). */
void tui_dialog(struct tui *t, struct dialog *d);
/* Draw the title bar: left text, right text. */
void tui_draw_top(const struct rect *r, const char *left, const char *right);

/* The screens. */
void *home_new(struct tui *t);
extern const struct screen_ops home_ops;
/* A run: a wizard, or the analysis of files. NULL with a message in err. */
void *run_new(struct tui *t, const struct tui_start *start, char **err);
extern const struct screen_ops run_ops;
/* The training screen: scenarios, then one replayed with its quiz. NULL
 * with a message in err. */
void *train_new(struct tui *t, const char *scenario, char **err);
extern const struct screen_ops train_ops;
/* The lab screen: the breaks; Enter runs the connect wizard on one. */
void *labview_new(struct tui *t, char **err);
extern const struct screen_ops labview_ops;

#endif
