/* view-train.c: the training screen: the scenarios (title and question
 * count); Enter replays one step by step (Space/Enter next, b back, p
 * play/pause, +/- speed, ? help), annotations as headers, a dialog at each quiz
 * point, the score at the end. The batch form is src/cmd-train.c. */
#include "screen.h"
#include "colour.h"
#include "diagnose.h"
#include "draw.h"
#include "sanitize.h"
#include "train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DLG_QUIZ = 1, DLG_ANSWER };

struct trainview {
	struct strv	 paths;
	struct strv	 ids, titles;
	size_t		*nquiz;
	int		 sel, top;
	/* the scenario being replayed, or NULL: the list */
	struct train_scenario *sc;
	struct train_replay *rp;
	size_t		 pos;		/* items shown */
	int		*answer;	/* by quiz index: -2 unasked, -1 none, else choice */
	size_t		 right, asked;
	int		 playing, resume;
	double		 speed;		/* steps a second */
	int64_t		 next_at;
};

static void
close_replay(struct trainview *v)
{
	train_replay_free(v->rp);
	train_free(v->sc);
	free(v->answer);
	v->rp = NULL;
	v->sc = NULL;
	v->answer = NULL;
}

/* Load and replay one; 0, or -1 with a message in err. */
static int
open_replay(struct trainview *v, const struct kb *kb, const char *path,
    char **err)
{
	struct strv errors = { 0 };

	close_replay(v);
	if ((v->sc = train_load(path, &errors)) != NULL &&
	    (v->rp = train_replay_new(kb, v->sc, &errors)) == NULL) {
		train_free(v->sc);
		v->sc = NULL;
	}
	if (v->sc == NULL) {
		*err = xasprintf("scenario %s does not load%s%s", path,
		    errors.n > 0 ? ": " : "", errors.n > 0 ? errors.v[0] : "");
		strv_free(&errors);
		return -1;
	}
	strv_free(&errors);
	v->answer = xcalloc(v->sc->nquiz + 1, sizeof *v->answer);
	for (size_t i = 0; i < v->sc->nquiz; i++)
		v->answer[i] = -2;
	v->pos = 0;
	v->right = v->asked = 0;
	v->playing = v->resume = 0;
	return 0;
}

void *
train_new(struct tui *t, const char *scenario, char **err)
{
	struct trainview *v = xcalloc(1, sizeof *v);
	const char *dir = train_default_dir();
	struct strv errors = { 0 };

	v->speed = 2;
	if (train_list(dir, &v->paths) != 0) {
		*err = xasprintf("cannot read the training directory %s", dir);
		free(v);
		return NULL;
	}
	v->nquiz = xcalloc(v->paths.n + 1, sizeof *v->nquiz);
	for (size_t i = 0; i < v->paths.n; i++) {
		struct train_scenario *sc = train_load(v->paths.v[i], &errors);

		strv_add(&v->ids, sc ? sc->id : v->paths.v[i]);
		strv_add(&v->titles, sc ? sc->title : "(does not load: sshdoctor train lint)");
		v->nquiz[i] = sc ? sc->nquiz : 0;
		train_free(sc);
	}
	strv_free(&errors);
	if (scenario != NULL) {
		char *path = train_find(dir, scenario);
		int rc = open_replay(v, t->kb, path, err);

		free(path);
		if (rc != 0) {
			train_ops.free(v);
			return NULL;
		}
		for (size_t i = 0; i < v->ids.n; i++)
			if (strcmp(v->ids.v[i], v->sc->id) == 0)
				v->sel = (int)i;
	}
	return v;
}

static void
train_view_free(void *self)
{
	struct trainview *v = self;

	close_replay(v);
	strv_free(&v->paths);
	strv_free(&v->ids);
	strv_free(&v->titles);
	free(v->nquiz);
	free(v);
}

/* ---- drawing ---- */

static void
draw_item(struct trainview *v, const struct train_item *it, int y, int w)
{
	char *clean;

	switch (it->kind) {
	case TRAIN_LINE: {
		char tag[16];
		const char *ln = layer_name(it->layer);
		size_t i;
		attr_t a = it->noise != NULL ? colour_attr(R_NOISE) : A_NORMAL;

		for (i = 0; ln[i] != '\0' && i < sizeof tag - 1; i++)
			tag[i] = (char)(ln[i] >= 'a' && ln[i] <= 'z' ? ln[i] - 32 : ln[i]);
		tag[i] = '\0';
		draw_fmt(y, 1, 6, colour_attr(R_GUTTER), "%5llu",
		    (unsigned long long)it->number);
		draw_str(y, 7, v->sc->nlogs > 1 ?
		    side_name(v->sc->logs[it->log].side) : "", 1, colour_attr(R_DIM));
		draw_str(y, 9, tag, 7, colour_attr(colour_layer(it->layer)));
		draw_str(y, 17, it->noise != NULL ? "noise" : "", 5, colour_attr(R_NOISE));
		/* the classifier sanitised the text */
		draw_str(y, 23, it->text, w - 24, a);
		break;
	}
	case TRAIN_NOTE:
		clean = sanitize_str(it->text);
		draw_str(y, 9, clean, w - 10, colour_attr(R_HEADER) | A_BOLD);
		free(clean);
		break;
	case TRAIN_QUIZ: {
		const struct train_quiz *q = &v->sc->quiz[it->quiz];
		int a = v->answer[it->quiz];

		clean = sanitize_str(q->question);
		draw_fmt(y, 1, w - 2, colour_attr(R_RUNNING) | A_BOLD, "?? %s  %s",
		    clean, a == -2 ? "" : a >= 0 && (size_t)a == q->answer ?
		    "(right)" : "(wrong)");
		free(clean);
		break;
	}
	}
}

static void
draw_list(struct tui *t, struct trainview *v)
{
	const struct rect *body = &t->lay.body;
	int y = body->y + 1, end = body->y + body->h, rows;

	draw_str(y++, 2, "Replay a log step by step with its quiz. Choose a "
	    "scenario and press Enter.", body->w - 3, A_NORMAL);
	y++;
	rows = end - y;
	if (rows < 1)
		rows = 1;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + rows)
		v->top = v->sel - rows + 1;
	for (int i = v->top; i < (int)v->paths.n && y < end; i++, y++) {
		int sel = i == v->sel;
		attr_t a = sel ? colour_attr(R_CURSOR) : A_NORMAL;
		char *id = sanitize_str(v->ids.v[i]), *title = sanitize_str(v->titles.v[i]);

		if (sel)
			draw_fill(y, 1, body->w - 2, a);
		draw_str(y, 2, sel ? glyph(G_RUN) : " ", 1, a);
		draw_str(y, 4, id, 27, a | A_BOLD);
		draw_fmt(y, 32, 14, a, "%2zu question%s", v->nquiz[i],
		    v->nquiz[i] == 1 ? "" : "s");
		draw_str(y, 46, title, body->w - 47, a);
		free(id);
		free(title);
	}
}

static void
draw_replay(struct tui *t, struct trainview *v)
{
	const struct rect *body = &t->lay.body;
	size_t count = train_replay_count(v->rp);
	int rows = body->h - 2, y;
	size_t from;

	if (rows < 1)
		rows = 1;
	from = v->pos > (size_t)rows ? v->pos - (size_t)rows : 0;
	y = body->y;
	for (size_t i = from; i < v->pos; i++, y++)
		draw_item(v, train_replay_item(v->rp, i), y, body->w);
	y = body->y + body->h - 1;
	draw_hline(y - 1, 0, body->w, colour_attr(R_DIM));
	if (v->pos >= count) {
		const struct diagnosis *d = train_replay_diagnosis(v->rp);

		if (d->verdict == VERDICT_PROBLEM && d->problem != NULL)
			draw_fmt(y, 1, body->w - 2, colour_attr(R_OK) | A_BOLD,
			    "end %s score: %zu/%zu %s sshdoctor's diagnosis: %s (%s)",
			    glyph(G_DOT), v->right, v->asked, glyph(G_DOT),
			    d->problem->title, d->problem->id);
		else
			draw_fmt(y, 1, body->w - 2, colour_attr(R_OK) | A_BOLD,
			    "end %s score: %zu/%zu %s sshdoctor's diagnosis: %s",
			    glyph(G_DOT), v->right, v->asked, glyph(G_DOT),
			    verdict_name(d->verdict));
	} else
		draw_fmt(y, 1, body->w - 2, A_NORMAL,
		    "step %zu/%zu %s %s at %g/s %s right %zu/%zu", v->pos, count,
		    glyph(G_DOT), v->playing ? "playing" : "paused", v->speed,
		    glyph(G_DOT), v->right, v->asked);
}

static void
train_draw(struct tui *t, void *self)
{
	struct trainview *v = self;
	const struct rect *body = &t->lay.body;
	static const struct hint list_hints[] = {
		{ "Enter", "replay" }, { "Up/Down", "choose" }, { "?", "help" },
		{ "q", "back" }, { NULL, NULL }
	};
	static const struct hint replay_hints[] = {
		{ "Space", "next" }, { "b", "back" }, { "p", "play/pause" },
		{ "+/-", "speed" }, { "?", "help" }, { "q", "scenarios" },
		{ NULL, NULL }
	};
	char *title = NULL;

	for (int i = body->y; i < body->y + body->h; i++)
		draw_fill(i, 0, body->w, A_NORMAL);
	if (v->sc != NULL) {
		char *clean = sanitize_str(v->sc->title);

		title = xasprintf("train %s %s", glyph(G_DOT), clean);
		free(clean);
		tui_draw_top(&t->lay.top, title, v->sc->id);
		draw_replay(t, v);
	} else {
		tui_draw_top(&t->lay.top, "sshdoctor: training", "train");
		draw_list(t, v);
	}
	free(title);
	keys_draw_hints(&t->lay.status, v->sc ? replay_hints : list_hints,
	    tui_now() < t->msg_until ? t->msg : NULL, t->msg_role);
}

/* ---- stepping ---- */

static void
ask(struct tui *t, struct trainview *v, size_t qi)
{
	const struct train_quiz *q = &v->sc->quiz[qi];
	struct dialog *d = dialog_new(DLG_CHOICE, DLG_QUIZ, "Quiz", q->question);

	for (size_t i = 0; i < q->choices.n; i++) {
		char *label = train_choice_label(t->kb, q, i);
		char *s = i < 9 ? xasprintf("%zu %s", i + 1, label) : xstrdup(label);

		dialog_add_choice(d, s);
		free(s);
		free(label);
	}
	d->arg = (int)qi;
	d->hint = xstrdup("a choice's number, or Left/Right and Enter");
	v->resume = v->playing;
	v->playing = 0;
	tui_dialog(t, d);
}

/* One step forward; a quiz point not yet answered opens its dialog. */
static int
step(struct tui *t, struct trainview *v)
{
	const struct train_item *it;

	if (v->pos >= train_replay_count(v->rp)) {
		v->playing = 0;
		return TUI_REDRAW;
	}
	it = train_replay_item(v->rp, v->pos++);
	if (it->kind == TRAIN_QUIZ && v->answer[it->quiz] == -2)
		ask(t, v, it->quiz);
	if (v->pos >= train_replay_count(v->rp))
		v->playing = 0;
	return TUI_REDRAW;
}

static int
train_dialog_done(struct tui *t, void *self, struct dialog *d)
{
	struct trainview *v = self;
	const struct train_quiz *q;
	struct dialog *m;
	char *label, *body;
	int choice;

	if (d->tag == DLG_ANSWER || v->sc == NULL) {
		v->playing = v->resume;
		v->next_at = tui_now();
		return TUI_REDRAW;
	}
	q = &v->sc->quiz[d->arg];
	choice = d->done == 1 ? d->sel : -1;
	v->answer[d->arg] = choice;
	v->asked++;
	label = train_choice_label(t->kb, q, q->answer);
	if (choice >= 0 && (size_t)choice == q->answer) {
		v->right++;
		body = xasprintf("%s", q->explain ? q->explain : "");
		m = dialog_new(DLG_MESSAGE, DLG_ANSWER, "right.", body);
	} else {
		body = xasprintf("The answer is %zu) %s.\n\n%s", q->answer + 1, label,
		    q->explain ? q->explain : "");
		m = dialog_new(DLG_MESSAGE, DLG_ANSWER, "wrong.", body);
	}
	free(body);
	free(label);
	tui_dialog(t, m);
	return TUI_REDRAW;
}

static int
train_key(struct tui *t, void *self, const struct key *k)
{
	struct trainview *v = self;
	int old = v->sel;

	if (v->sc == NULL) {
		switch (k->act) {
		case ACT_UP: case ACT_WHEEL_UP:	v->sel--; break;
		case ACT_DOWN: case ACT_WHEEL_DOWN:	v->sel++; break;
		case ACT_HOME:	v->sel = 0; break;
		case ACT_END:	v->sel = (int)v->paths.n - 1; break;
		case ACT_ENTER: {
			char *err = NULL;

			if (v->paths.n == 0)
				return 0;
			if (open_replay(v, t->kb, v->paths.v[v->sel], &err) != 0) {
				tui_message(t, R_MESSAGE, "%s", err);
				free(err);
			}
			return TUI_REDRAW;
		}
		case ACT_HELP:			return TUI_HELP;
		case ACT_BACK: case ACT_ESC:	return TUI_BACK;
		case ACT_INTERRUPT:		return TUI_QUIT;
		case ACT_REDRAW: case ACT_RESIZE:	return TUI_REDRAW;
		default:
			break;
		}
		if (v->sel >= (int)v->paths.n)
			v->sel = (int)v->paths.n - 1;
		if (v->sel < 0)
			v->sel = 0;
		return v->sel != old ? TUI_REDRAW : 0;
	}
	if (k->act == ACT_HELP) {
		/* the replay waits while the help is read */
		v->playing = 0;
		return TUI_HELP;
	}
	switch (k->code) {
	case ' ': case '\n': case '\r': case KEY_ENTER: case KEY_DOWN: case 'j':
		v->playing = 0;
		return step(t, v);
	case 'b': case KEY_UP: case 'k':
		v->playing = 0;
		if (v->pos > 0)
			v->pos--;
		return TUI_REDRAW;
	case 'p':
		v->playing = !v->playing;
		v->next_at = tui_now();
		return TUI_REDRAW;
	case '+': case '=':
		if (v->speed < 64)
			v->speed *= 2;
		return TUI_REDRAW;
	case '-':
		if (v->speed > 0.25)
			v->speed /= 2;
		return TUI_REDRAW;
	case 'q': case 27:
		close_replay(v);
		return TUI_REDRAW;
	case 3:	/* Ctrl-C */
		return TUI_QUIT;
	case KEY_RESIZE: case 12:	/* Ctrl-L */
		return TUI_REDRAW;
	}
	return 0;
}

static int
train_work(struct tui *t, void *self)
{
	struct trainview *v = self;

	if (v->sc == NULL || !v->playing || t->dlg != NULL)
		return 0;
	if (tui_now() < v->next_at)
		return 0;
	v->next_at = tui_now() + (int64_t)(1000 / v->speed);
	return step(t, v);
}

static int
train_deadline(struct tui *t, void *self)
{
	struct trainview *v = self;
	int64_t left;

	if (v->sc == NULL || !v->playing || t->dlg != NULL)
		return -1;
	left = v->next_at - tui_now();
	return left > 0 ? (int)left : 0;
}

const struct screen_ops train_ops = {
	.name = "train",
	.draw = train_draw,
	.key = train_key,
	.work = train_work,
	.deadline = train_deadline,
	.dialog_done = train_dialog_done,
	.help = "train",
	.free = train_view_free,
};
