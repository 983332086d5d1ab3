/* tui.c: the curses front end's loop.
 *
 * One blocking poll() over the keyboard and the running wizard's pipes,
 * with a timeout from the nearest deadline (the elapsed clock, a message
 * to clear) or none at all; zero when a screen has background work left.
 * Signal handlers only set flags (the runner's for SIGTERM, SIGHUP and
 * SIGINT; curses' own for SIGWINCH, which comes back as KEY_RESIZE).
 * Screens return intent flags; only this loop draws, opens and closes
 * screens, and leaves. fatal() ends curses first, through its hook. */
#include "tui.h"
#include "colour.h"
#include "draw.h"
#include "lab.h"
#include "runner.h"
#include "screen.h"
#include "view-help.h"

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FDS		16

static int curses_up;

/* Whatever kills the program, the terminal is given back first. */
static void
tui_fatal_hook(void)
{
	if (curses_up) {
		endwin();
		curses_up = 0;
	}
}

static struct screen *
top_screen(struct tui *t)
{
	return t->nscreens > 0 ? &t->screens[t->nscreens - 1] : NULL;
}

static void
push_screen(struct tui *t, const struct screen_ops *ops, void *self)
{
	if (t->nscreens == TUI_MAX_SCREENS) {
		ops->free(self);
		return;
	}
	t->screens[t->nscreens].ops = ops;
	t->screens[t->nscreens].self = self;
	t->nscreens++;
}

static void
pop_screen(struct tui *t)
{
	struct screen *s = top_screen(t);

	if (s == NULL)
		return;
	tui_dialog(t, NULL);
	s->ops->free(s->self);
	t->nscreens--;
	t->help = 0;
}

static void
draw_too_small(void)
{
	char msg[128];
	int y = LINES / 2;

	snprintf(msg, sizeof msg, "terminal too small: %dx%d", COLS, LINES);
	draw_str(y - 1, 1, msg, COLS - 2, A_BOLD);
	snprintf(msg, sizeof msg, "sshdoctor needs %dx%d (q quits)",
	    LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
	draw_str(y, 1, msg, COLS - 2, A_NORMAL);
}

static void
draw_all(struct tui *t)
{
	struct screen *s = top_screen(t);
	struct layout_req q;
	static const struct hint help_hints[] = {
		{ "q", "close" }, { "Up/Down", "scroll" }, { "PgUp/PgDn", "page" },
		{ NULL, NULL }
	};

	memset(&q, 0, sizeof q);
	q.lines = LINES;
	q.cols = COLS;
	if (s->ops->layout != NULL)
		s->ops->layout(s->self, &q);
	if (t->dlg != NULL) {
		dialog_size(t->dlg, COLS, LINES, &q.dialog_w, &q.dialog_h);
		q.bottom_prompt = t->dlg->line;
	}
	layout_compute(&t->lay, &q);
	erase();
	curs_set(0);
	if (t->lay.too_small) {
		draw_too_small();
		refresh();
		return;
	}
	s->ops->draw(t, s->self);
	if (t->help) {
		tui_draw_top(&t->lay.top, "sshdoctor: help", s->ops->name);
		help_draw(s->ops->help, &t->lay.body, &t->help_top);
		keys_draw_hints(&t->lay.status, help_hints, NULL, 0);
	}
	if (t->dlg != NULL)
		dialog_draw(t->dlg, &t->lay.dialog);
	refresh();
}

static int
dispatch_key(struct tui *t, const struct key *k)
{
	struct screen *s = top_screen(t);

	if (k->act == ACT_RESIZE)
		return TUI_REDRAW;
	if (t->dlg != NULL) {
		if (k->code == KEY_MOUSE)
			return 0;
		if (dialog_key(t->dlg, k->code)) {
			struct dialog *d = t->dlg;
			int flags;

			/* the owner may open the next dialog from here */
			t->dlg = NULL;
			flags = s->ops->dialog_done(t, s->self, d);
			dialog_free(d);
			return flags | TUI_REDRAW;
		}
		return TUI_REDRAW;
	}
	if (t->lay.too_small)
		return k->act == ACT_BACK || k->act == ACT_INTERRUPT ? TUI_QUIT : 0;
	if (t->help) {
		if (help_key(k, &t->help_top, &t->lay.body))
			t->help = 0;
		return TUI_REDRAW;
	}
	return s->ops->key(t, s->self, k);
}

/* The nearest deadline of the screen and of the key line's message. */
static int
wait_ms(struct tui *t)
{
	struct screen *s = top_screen(t);
	int ms = s->ops->deadline != NULL ? s->ops->deadline(t, s->self) : -1;

	if (t->msg_until > 0) {
		int64_t left = t->msg_until - tui_now();

		if (left < 0)
			left = 0;
		if (ms < 0 || left < ms)
			ms = (int)left;
	}
	return ms;
}

/* Act on what the handlers asked. 1 when the program should end. */
static int
act(struct tui *t, int flags)
{
	if (flags & TUI_QUIT)
		return 1;
	if (flags & TUI_BACK) {
		pop_screen(t);
		if (t->nscreens == 0)
			return 1;
		if (t->nscreens == 1 && t->direct)
			t->direct = 0;
	}
	if (flags & TUI_OPEN) {
		char *err = NULL;
		enum tui_screen sc = t->open.start.screen;
		const struct screen_ops *ops = sc == TUI_LAB ? &labview_ops :
		    sc == TUI_TRAIN ? &train_ops : &run_ops;
		void *r = sc == TUI_LAB ? labview_new(t, &err) : sc == TUI_TRAIN ?
		    train_new(t, t->open.start.scenario, &err) :
		    run_new(t, &t->open.start, &err);

		if (r != NULL)
			push_screen(t, ops, r);
		else {
			tui_message(t, R_MESSAGE, "%s", err ? err : "cannot start");
			free(err);
			if (t->open.start.lab != NULL) {
				lab_stop(t->open.start.lab);
				free(t->open.start.lab);
			}
		}
		strv_free(&t->open.own);
		memset(&t->open, 0, sizeof t->open);
	}
	if (flags & TUI_HELP) {
		t->help = 1;
		t->help_top = 0;
	}
	return 0;
}

static int
loop(struct tui *t, int infd)
{
	int redraw = 1, more = 1;

	for (;;) {
		struct screen *s = top_screen(t);
		struct pollfd fds[MAX_FDS];
		size_t n = 0;
		int flags = 0, keyed = 0;
		struct key k;

		if (runner_signalled())
			return 130;
		if (redraw) {
			draw_all(t);
			redraw = 0;
		}
		fds[n++] = (struct pollfd){ infd, POLLIN, 0 };
		if (s->ops->pollfds != NULL)
			n += s->ops->pollfds(s->self, fds + n, MAX_FDS - n);
		if (poll(fds, n, more ? 0 : wait_ms(t)) < 0 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		/* keys first: they may stop a search or leave */
		while (keys_read(&k) == 0) {
			flags |= dispatch_key(t, &k);
			keyed = 1;
			if (flags & (TUI_QUIT | TUI_BACK | TUI_OPEN))
				break;
		}
		/* a key's effect is drawn before any more background work: the
		 * work comes next time round, without waiting */
		if (keyed)
			flags |= TUI_MORE;
		else if (s->ops->work != NULL && t->dlg == NULL)
			flags |= s->ops->work(t, s->self);
		else if (s->ops->work != NULL)
			/* a dialog is up: the screen works on, but is not redrawn
			 * for its progress alone */
			flags |= s->ops->work(t, s->self) & ~TUI_REDRAW;
		more = (flags & TUI_MORE) != 0;
		if (t->msg_until > 0 && tui_now() >= t->msg_until) {
			t->msg_until = 0;
			flags |= TUI_REDRAW;
		}
		if (act(t, flags))
			return 0;
		if (flags & (TUI_REDRAW | TUI_BACK | TUI_OPEN | TUI_HELP))
			redraw = 1;
	}
}

int
tui_main(const struct kb *kb, const struct tui_start *start)
{
	struct tui t;
	SCREEN *scr;
	FILE *in = NULL;
	int rc, infd;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	draw_init();
	if (!isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sshdoctor: the TUI needs a terminal on standard "
		    "output; use --batch or --format\n");
		return 1;
	}
	runner_catch_signals();
	memset(&t, 0, sizeof t);
	t.kb = kb;
	history_load(&t.history);
	/* the first screen before curses: an unreadable file is a plain
	 * message on stderr, and standard input is read while it can be */
	if (start->screen == TUI_HOME)
		push_screen(&t, &home_ops, home_new(&t));
	else if (start->screen == TUI_LAB || start->screen == TUI_TRAIN) {
		char *err = NULL;
		void *v = start->screen == TUI_LAB ? labview_new(&t, &err) :
		    train_new(&t, start->scenario, &err);

		if (v == NULL) {
			fprintf(stderr, "sshdoctor: %s\n", err ? err : "cannot start");
			free(err);
			history_free(&t.history);
			return 1;
		}
		push_screen(&t, start->screen == TUI_LAB ? &labview_ops :
		    &train_ops, v);
	} else {
		char *err = NULL;
		void *r = run_new(&t, start, &err);

		if (r == NULL) {
			fprintf(stderr, "sshdoctor: %s\n", err ? err : "cannot start");
			free(err);
			history_free(&t.history);
			return 1;
		}
		push_screen(&t, &run_ops, r);
		t.direct = 1;
	}
	/* keys come from the terminal even when a log came on stdin */
	if (!isatty(STDIN_FILENO) && (in = fopen("/dev/tty", "re")) == NULL) {
		fprintf(stderr, "sshdoctor: no terminal to read keys from: %s\n",
		    strerror(errno));
		rc = 1;
		goto out;
	}
	infd = in != NULL ? fileno(in) : STDIN_FILENO;
	t.infd = infd;
	if ((scr = newterm(NULL, stdout, in != NULL ? in : stdin)) == NULL) {
		const char *term = getenv("TERM");

		fprintf(stderr, "sshdoctor: cannot use the terminal (TERM=%s)\n",
		    term ? term : "unset");
		rc = 1;
		goto out;
	}
	/* a terminal that cannot place the cursor (TERM=dumb) cannot show
	 * panes: say so rather than draw garbage */
	{
		char *cup = tigetstr("cup");

		if (cup == NULL || cup == (char *)-1) {
			const char *term = getenv("TERM");

			endwin();
			delscreen(scr);
			fprintf(stderr, "sshdoctor: the terminal (TERM=%s) cannot move "
			    "the cursor; use --batch, or analyze without --tui\n",
			    term ? term : "unset");
			rc = 1;
			goto out;
		}
	}
	curses_up = 1;
	fatal_set_hook(tui_fatal_hook);
	raw();
	noecho();
	nonl();
	curs_set(0);
	keys_init();
	colour_init(1);
	rc = loop(&t, infd);
	endwin();
	curses_up = 0;
	delscreen(scr);
out:
	while (t.nscreens > 0)
		pop_screen(&t);
	dialog_free(t.dlg);
	strv_free(&t.open.own);
	history_free(&t.history);
	if (in != NULL)
		fclose(in);
	return rc;
}
