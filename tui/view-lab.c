/* view-lab.c: the lab screen: the breaks offered here (and those not,
 * greyed, with the reason). Enter sets the sandbox up broken that way and
 * opens the connect wizard against it in the run screen, which takes the
 * lab and tears it down (lab_stop) on every way out. */
#include "screen.h"
#include "colour.h"
#include "draw.h"
#include "lab.h"
#include "sanitize.h"
#include "wizard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct labview {
	struct lab_catalog *cat;
	int		*order;		/* offered first, then the others */
	int		 n;
	int		 noffered;
	int		 sel;
	int		 top;
};

static const char *
why_not(const struct lab_break *b)
{
	const char *why = lab_unavailable(b);

	if (why != NULL)
		return why;
	return b->known_wrong;
}

void *
labview_new(struct tui *t, char **err)
{
	struct strv errors = { 0 };
	const char *path = lab_default_file();
	struct labview *v;
	struct lab_catalog *c = lab_load(path, &errors);

	(void)t;
	if (c == NULL) {
		*err = xasprintf("the lab's breaks in %s do not load%s%s", path,
		    errors.n > 0 ? ": " : "", errors.n > 0 ? errors.v[0] : "");
		strv_free(&errors);
		return NULL;
	}
	strv_free(&errors);
	v = xcalloc(1, sizeof *v);
	v->cat = c;
	v->order = xcalloc(c->n + 1, sizeof *v->order);
	for (size_t i = 0; i < c->n; i++)
		if (why_not(&c->v[i]) == NULL)
			v->order[v->n++] = (int)i;
	v->noffered = v->n;
	for (size_t i = 0; i < c->n; i++)
		if (why_not(&c->v[i]) != NULL)
			v->order[v->n++] = (int)i;
	return v;
}

static void
labview_free(void *self)
{
	struct labview *v = self;

	lab_free(v->cat);
	free(v->order);
	free(v);
}

static void
labview_draw(struct tui *t, void *self)
{
	struct labview *v = self;
	const struct rect *body = &t->lay.body;
	static const struct hint hints[] = {
		{ "Enter", "break it and connect" }, { "Up/Down", "choose" },
		{ "?", "help" }, { "q", "back" }, { NULL, NULL }
	};
	int y = body->y + 1, rows, end = body->y + body->h;

	tui_draw_top(&t->lay.top, "sshdoctor: the lab", "lab");
	for (int i = body->y; i < end; i++)
		draw_fill(i, 0, body->w, A_NORMAL);
	draw_str(y++, 2, "A private sshd on loopback in a sandbox, broken on request; "
	    "the connect wizard diagnoses it. Nothing outside the sandbox is touched.",
	    body->w - 3, A_NORMAL);
	y++;
	rows = end - y - 2;
	if (rows < 1)
		rows = 1;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + rows)
		v->top = v->sel - rows + 1;
	for (int i = v->top; i < v->n && y < end; i++) {
		const struct lab_break *b = &v->cat->v[v->order[i]];
		int sel = i == v->sel, offered = i < v->noffered;
		attr_t a = sel ? colour_attr(R_CURSOR) :
		    offered ? A_NORMAL : colour_attr(R_DIM);
		char *title;

		if (i == v->noffered && i > 0) {
			draw_str(y++, 2, "Not offered here", body->w - 3,
			    colour_attr(R_SECTION));
			if (y >= end)
				break;
		}
		if (sel)
			draw_fill(y, 1, body->w - 2, a);
		draw_str(y, 2, sel ? glyph(G_RUN) : " ", 1, a);
		draw_str(y, 4, b->id, 30, a | (offered ? A_BOLD : 0));
		title = sanitize_str(offered ? b->title : why_not(b));
		draw_str(y, 35, title, body->w - 36, a);
		free(title);
		y++;
	}
	keys_draw_hints(&t->lay.status, hints,
	    tui_now() < t->msg_until ? t->msg : NULL, t->msg_role);
}

/* Set the sandbox up broken that way and open the connect wizard on it. */
static int
start_break(struct tui *t, struct labview *v)
{
	const struct lab_break *b;
	struct wiz_params *p = &t->open.start.params;
	struct lab *l;
	char *why = NULL;

	if (v->sel >= v->noffered) {
		b = &v->cat->v[v->order[v->sel]];
		tui_message(t, R_MESSAGE, "%s is not offered here: %s", b->id,
		    why_not(b));
		return TUI_REDRAW;
	}
	b = &v->cat->v[v->order[v->sel]];
	l = xcalloc(1, sizeof *l);
	if (lab_start(l, b, &why) != 0) {
		tui_message(t, R_MESSAGE, "lab: %s: %s", b->id, why ? why : "?");
		free(why);
		lab_stop(l);
		free(l);
		return TUI_REDRAW;
	}
	strv_free(&t->open.own);
	memset(&t->open, 0, sizeof t->open);
	t->open.start.screen = TUI_WIZARD;
	/* a break of the sftp stage needs the sftp flow, as in batch form */
	t->open.start.wizard = b->wizard != NULL && strcmp(b->wizard, "sftp") == 0 ?
	    &wizard_sftp : &wizard_connect;
	t->open.start.lab = l;
	p->host = "127.0.0.1";
	p->port = l->port;
	p->user = l->user;
	p->ssh_args = l->ssh_args;	/* copied by the wizard */
	p->timeout_s = 30;
	p->connect_timeout_s = 5;
	p->file_side = SIDE_ANY;
	tui_message(t, R_MESSAGE, "lab: %s (expect %s)", b->id, b->expect);
	return TUI_OPEN;
}

static int
labview_key(struct tui *t, void *self, const struct key *k)
{
	struct labview *v = self;
	int old = v->sel;

	switch (k->act) {
	case ACT_UP: case ACT_WHEEL_UP:	v->sel--; break;
	case ACT_DOWN: case ACT_WHEEL_DOWN:	v->sel++; break;
	case ACT_HOME: case ACT_PGUP:	v->sel = 0; break;
	case ACT_END: case ACT_PGDN:	v->sel = v->n - 1; break;
	case ACT_ENTER:			return start_break(t, v);
	case ACT_HELP:			return TUI_HELP;
	case ACT_BACK: case ACT_ESC:	return TUI_BACK;
	case ACT_INTERRUPT:		return TUI_QUIT;
	case ACT_REDRAW: case ACT_RESIZE:	return TUI_REDRAW;
	default:
		break;
	}
	if (v->sel >= v->n)
		v->sel = v->n - 1;
	if (v->sel < 0)
		v->sel = 0;
	return v->sel != old ? TUI_REDRAW : 0;
}

static int
labview_dialog_done(struct tui *t, void *self, struct dialog *d)
{
	(void)t;
	(void)self;
	(void)d;
	return TUI_REDRAW;
}

const struct screen_ops labview_ops = {
	.name = "lab",
	.draw = labview_draw,
	.key = labview_key,
	.dialog_done = labview_dialog_done,
	.help = "lab",
	.free = labview_free,
};
