/* view-home.c: the home screen: the wizards, each with a line on when to
 * use it, and the recent sessions to reopen. */
#include "screen.h"
#include "colour.h"
#include "draw.h"
#include "sanitize.h"
#include "wizard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DLG_TARGET = 1, DLG_PORT, DLG_FILES };

/* Screens listed after the wizards, each with a line on when to use it. */
static const struct {
	const char	*name;
	const char	*summary;
	enum tui_screen	 screen;
} extra_table[] = {
	{ "train", "learn to read an SSH log: replayed scenarios with a quiz",
	    TUI_TRAIN },
	{ "lab", "break a private sandboxed sshd and diagnose the real failure",
	    TUI_LAB },
};
#define NEXTRA	((int)(sizeof extra_table / sizeof extra_table[0]))

struct home {
	int		 sel;
	int		 top;
	int		 nwiz;	/* the wizards and the extra entries */
	int		 nwizards;	/* wizard_table's */
	struct strv	 targets;	/* for the target dialog's history */
	const struct wizard *pending;	/* the wizard a dialog is for */
	int		 list_y;	/* where the list started (clicks) */
};

void *
home_new(struct tui *t)
{
	struct home *h = xcalloc(1, sizeof *h);

	(void)t;
	while (wizard_table[h->nwizards] != NULL)
		h->nwizards++;
	h->nwiz = h->nwizards + NEXTRA;
	return h;
}

static void
home_free(void *self)
{
	struct home *h = self;

	strv_free(&h->targets);
	free(h);
}

static int
items(const struct tui *t, const struct home *h)
{
	return h->nwiz + (int)t->history.entries.n;
}

/* A history entry shown as a command line: "connect alice@db1 -p 2222". */
static char *
entry_text(const char *e)
{
	struct buf b;
	char *copy = xstrdup(e), *p = copy, *f, *clean;
	int field = 0, is_port;

	buf_init(&b);
	is_port = strncmp(e, "connect\t", 8) == 0 || strncmp(e, "sftp\t", 5) == 0 ||
	    strncmp(e, "server\t", 7) == 0;
	while ((f = strsep(&p, "\t")) != NULL) {
		if (is_port && field == 2) {
			if (*f != '\0' && strcmp(f, "0") != 0)
				buf_addf(&b, " -p %s", f);
		} else if (is_port && field == 1 && strncmp(e, "server\t", 7) == 0) {
			if (*f != '\0' && strcmp(f, "0") != 0)
				buf_addf(&b, " -p %s", f);
		} else {
			if (field > 0)
				buf_addc(&b, ' ');
			buf_adds(&b, f);
		}
		field++;
	}
	free(copy);
	clean = sanitize_str(b.data ? b.data : "");
	buf_free(&b);
	return clean;
}

static void
home_draw(struct tui *t, void *self)
{
	struct home *h = self;
	const struct rect *body = &t->lay.body;
	static const struct hint hints[] = {
		{ "Enter", "start" }, { "Up/Down", "choose" }, { "?", "help" },
		{ "q", "quit" }, { NULL, NULL }
	};
	int y = body->y + 1, n = items(t, h), rows;
	char title[128];

	snprintf(title, sizeof title, "sshdoctor %s %s find why an SSH connection fails",
	    SSHDOCTOR_VERSION, glyph(G_DOT));
	tui_draw_top(&t->lay.top, title, "home");
	for (int i = body->y; i < body->y + body->h; i++)
		draw_fill(i, 0, body->w, A_NORMAL);
	draw_str(y++, 2, "What fails? Choose a wizard and press Enter, or reopen a "
	    "recent session.", body->w - 3, A_NORMAL);
	y++;
	rows = body->y + body->h - y;
	if (h->sel < h->top)
		h->top = h->sel;
	/* wizards + a heading before the recent ones */
	if (h->sel - h->top >= rows - 2)
		h->top = h->sel - rows + 3;
	if (h->top < 0)
		h->top = 0;
	h->list_y = y;
	for (int i = h->top; i < n && y < body->y + body->h; i++) {
		int sel = i == h->sel;
		attr_t a = sel ? colour_attr(R_CURSOR) : A_NORMAL;

		if (i == h->nwiz) {
			y++;
			if (y >= body->y + body->h)
				break;
			draw_str(y++, 2, "Recent sessions", body->w - 3,
			    colour_attr(R_SECTION));
			if (y >= body->y + body->h)
				break;
		}
		if (sel)
			draw_fill(y, 1, body->w - 2, a);
		draw_str(y, 2, sel ? glyph(G_RUN) : " ", 1, a);
		if (i < h->nwizards) {
			const struct wizard *w = wizard_table[i];

			draw_str(y, 4, w->name, 10, a | A_BOLD);
			draw_str(y, 15, w->summary, body->w - 16, a);
		} else if (i < h->nwiz) {
			draw_str(y, 4, extra_table[i - h->nwizards].name, 10, a | A_BOLD);
			draw_str(y, 15, extra_table[i - h->nwizards].summary,
			    body->w - 16, a);
		} else {
			char *e = entry_text(t->history.entries.v[i - h->nwiz]);

			draw_str(y, 4, e, body->w - 5, a);
			free(e);
		}
		y++;
	}
	if (body->h > 14 && y + 2 < body->y + body->h)
		draw_str(body->y + body->h - 1, 2, "From a shell: sshdoctor connect "
		    "[user@]host, sshdoctor analyze --tui FILE... (see man sshdoctor)",
		    body->w - 3, colour_attr(R_DIM));
	keys_draw_hints(&t->lay.status, hints,
	    tui_now() < t->msg_until ? t->msg : NULL, t->msg_role);
}

/* Fill the request and own its strings. */
static void
request_reset(struct tui *t)
{
	strv_free(&t->open.own);
	memset(&t->open, 0, sizeof t->open);
}

static const char *
own(struct tui *t, const char *s)
{
	strv_add(&t->open.own, s);
	return t->open.own.v[t->open.own.n - 1];
}

/* "[user@]host [-p PORT]" or "host:port". 0, or -1 (a message is set). */
static int
parse_target(struct tui *t, const char *text, struct wiz_params *p)
{
	char *copy = xstrdup(text), *s = copy, *tok, *host = NULL, *colon;
	int port = 0, rc = -1;

	while ((tok = strsep(&s, " \t")) != NULL) {
		if (*tok == '\0')
			continue;
		if (strcmp(tok, "-p") == 0) {
			tok = strsep(&s, " \t");
			if (tok == NULL || (port = atoi(tok)) <= 0 || port > 65535) {
				tui_message(t, R_MESSAGE, "-p needs a port from 1 to 65535");
				goto out;
			}
		} else if (host == NULL)
			host = tok;
		else {
			tui_message(t, R_MESSAGE, "unexpected '%s': type [user@]host [-p PORT]", tok);
			goto out;
		}
	}
	if (host == NULL || *host == '\0' || *host == '-' || *host == '@') {
		tui_message(t, R_MESSAGE, "which host? type [user@]host [-p PORT]");
		goto out;
	}
	/* host:port, but not an IPv6 address */
	if ((colon = strchr(host, ':')) != NULL && strchr(colon + 1, ':') == NULL &&
	    port == 0) {
		*colon = '\0';
		if ((port = atoi(colon + 1)) <= 0 || port > 65535) {
			tui_message(t, R_MESSAGE, "'%s' is not a port", colon + 1);
			goto out;
		}
	}
	if ((tok = strrchr(host, '@')) != NULL) {
		*tok = '\0';
		p->user = own(t, host);
		p->host = own(t, tok + 1);
	} else
		p->host = own(t, host);
	if (*p->host == '\0' || *p->host == '-') {
		tui_message(t, R_MESSAGE, "which host? type [user@]host [-p PORT]");
		goto out;
	}
	p->port = port;
	rc = 0;
out:
	free(copy);
	return rc;
}

static int
open_wizard(struct tui *t, const struct wizard *w)
{
	t->open.start.screen = TUI_WIZARD;
	t->open.start.wizard = w;
	t->open.start.params.file_side = SIDE_ANY;
	return TUI_OPEN;
}

static int
open_files(struct tui *t, const char *text)
{
	char *copy = xstrdup(text), *s = copy, *tok;
	struct tui_start *st = &t->open.start;

	st->screen = TUI_ANALYZE;
	while ((tok = strsep(&s, " \t")) != NULL) {
		enum side side = SIDE_ANY;

		if (*tok == '\0')
			continue;
		if (strncmp(tok, "client:", 7) == 0) {
			side = SIDE_CLIENT;
			tok += 7;
		} else if (strncmp(tok, "server:", 7) == 0) {
			side = SIDE_SERVER;
			tok += 7;
		}
		if (st->nfiles == sizeof st->files / sizeof st->files[0])
			break;
		st->sides[st->nfiles] = side;
		st->files[st->nfiles++] = own(t, tok);
	}
	free(copy);
	if (st->nfiles == 0) {
		tui_message(t, R_MESSAGE, "which file? type one or more paths");
		return TUI_REDRAW;
	}
	return TUI_OPEN;
}

/* Reopen a recent session from its history entry. */
static int
open_entry(struct tui *t, const char *e)
{
	char *copy = xstrdup(e), *s = copy, *kind = strsep(&s, "\t"), *f;
	const struct wizard *w = wizard_find(kind);
	int rc = TUI_REDRAW;

	request_reset(t);
	if (strcmp(kind, "analyze") == 0) {
		struct buf b;

		buf_init(&b);
		while ((f = strsep(&s, "\t")) != NULL) {
			if (b.len > 0)
				buf_addc(&b, ' ');
			buf_adds(&b, f);
		}
		rc = open_files(t, b.data ? b.data : "");
		buf_free(&b);
	} else if (w != NULL) {
		char *target = strsep(&s, "\t"), *port = strsep(&s, "\t");

		if (strcmp(kind, "server") == 0) {
			t->open.start.params.alt_port = target ? atoi(target) : 0;
			rc = open_wizard(t, w);
		} else if (target != NULL && parse_target(t, target, &t->open.start.params) == 0) {
			t->open.start.params.port = port ? atoi(port) : 0;
			rc = open_wizard(t, w);
		}
	}
	free(copy);
	return rc;
}

static int
choose(struct tui *t, struct home *h)
{
	const struct wizard *w;
	struct dialog *d;

	if (h->sel >= h->nwiz)
		return open_entry(t, t->history.entries.v[h->sel - h->nwiz]);
	request_reset(t);
	if (h->sel >= h->nwizards) {
		t->open.start.screen = extra_table[h->sel - h->nwizards].screen;
		return TUI_OPEN;
	}
	w = wizard_table[h->sel];
	h->pending = w;
	if (strcmp(w->name, "connect") == 0 || strcmp(w->name, "sftp") == 0) {
		d = dialog_new(DLG_INPUT, DLG_TARGET, strcmp(w->name, "sftp") == 0 ?
		    "sftp: which server?" : "connect: which host?",
		    "Type [user@]host, and -p PORT if it is not 22 (alice@db1 -p 2222). "
		    "sshdoctor runs ssh -vvv against it; if ssh asks for a password or "
		    "a passphrase, a dialog asks you, and what you type goes to ssh "
		    "only.");
		strv_free(&h->targets);
		history_targets(&t->history, &h->targets);
		d->history = &h->targets;
		tui_dialog(t, d);
		return TUI_REDRAW;
	}
	if (strcmp(w->name, "server") == 0) {
		d = dialog_new(DLG_INPUT, DLG_PORT, "server: which spare port?",
		    "sshdoctor starts sshd -ddd -e on a spare port (this needs root), "
		    "tells you the ssh command to run from the client, and reads the "
		    "server's side of the attempt. Leave empty for 822 or the next "
		    "free port.");
		tui_dialog(t, d);
		return TUI_REDRAW;
	}
	if (strcmp(w->name, "analyze") == 0) {
		d = dialog_new(DLG_INPUT, DLG_FILES, "analyze: which log files?",
		    "One or more paths, separated by spaces: a client log (ssh -vvv "
		    "output), a server log (sshd -ddd, auth.log, journalctl). Write "
		    "client:PATH or server:PATH to say which side a file is.");
		tui_dialog(t, d);
		return TUI_REDRAW;
	}
	return open_wizard(t, w);
}

static int
home_dialog_done(struct tui *t, void *self, struct dialog *d)
{
	struct home *h = self;
	const char *v = dialog_value(d);

	if (d->done != 1 || h->pending == NULL)
		return TUI_REDRAW;
	switch (d->tag) {
	case DLG_TARGET:
		if (parse_target(t, v, &t->open.start.params) != 0)
			return TUI_REDRAW;
		return open_wizard(t, h->pending);
	case DLG_PORT:
		if (*v != '\0' && (atoi(v) <= 0 || atoi(v) > 65535)) {
			tui_message(t, R_MESSAGE, "'%s' is not a port", v);
			return TUI_REDRAW;
		}
		t->open.start.params.alt_port = atoi(v);
		return open_wizard(t, h->pending);
	case DLG_FILES:
		return open_files(t, v);
	}
	return TUI_REDRAW;
}

static int
home_key(struct tui *t, void *self, const struct key *k)
{
	struct home *h = self;
	int n = items(t, h), old = h->sel;

	switch (k->act) {
	case ACT_UP: case ACT_WHEEL_UP:	h->sel--; break;
	case ACT_DOWN: case ACT_WHEEL_DOWN:	h->sel++; break;
	case ACT_HOME: case ACT_PGUP:	h->sel = 0; break;
	case ACT_END: case ACT_PGDN:	h->sel = n - 1; break;
	case ACT_ENTER:			return choose(t, h);
	case ACT_BACK: case ACT_INTERRUPT:	return TUI_QUIT;
	case ACT_HELP:			return TUI_HELP;
	case ACT_REDRAW: case ACT_RESIZE:	return TUI_REDRAW;
	case ACT_CLICK: {
		/* rows map to items, skipping the recent sessions' heading */
		int row = k->y - h->list_y, i = h->top + row;

		if (h->top <= h->nwiz && i >= h->nwiz)
			i -= 2;
		if (row >= 0 && i >= 0 && i < n) {
			if (i == h->sel)
				return choose(t, h);
			h->sel = i;
		}
		break;
	}
	default:
		break;
	}
	if (h->sel < 0)
		h->sel = 0;
	if (h->sel >= n)
		h->sel = n - 1;
	return h->sel != old || k->act == ACT_CLICK ? TUI_REDRAW : 0;
}

const struct screen_ops home_ops = {
	.name = "home",
	.draw = home_draw,
	.key = home_key,
	.dialog_done = home_dialog_done,
	.help = "home",
	.free = home_free,
};
