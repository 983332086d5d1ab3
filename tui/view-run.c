/* view-run.c: the run screen: the top bar, the stage ladder, the logs by
 * layer (side by side from 160 columns, tabs below), the diagnosis, and
 * what the keys, the mouse and the dialogs do there. run-feed.c fills the
 * state it shows. */
#include "run.h"
#include "clip.h"
#include "colour.h"
#include "doc.h"
#include "draw.h"
#include "report.h"
#include "sanitize.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>



/* ---- drawing ---- */

static const char *
state_text(const struct run *r, char *buf, size_t size)
{
	if (r->mode == RUN_FILES) {
		if (!r->pass_done)
			snprintf(buf, size, "reading %d%%", run_pass_percent(r));
		else if (r->diag == NULL)
			snprintf(buf, size, "no lines");
		else
			snprintf(buf, size, "%s", verdict_name(r->diag->verdict));
		return buf;
	}
	if (r->await)
		snprintf(buf, size, "waiting for you");
	else if (!r->done)
		snprintf(buf, size, r->cancelled ? "stopping" : "running");
	else if (r->status == 2)
		snprintf(buf, size, "stopped");
	else if (r->status == 1)
		snprintf(buf, size, "failed to run");
	else if (r->diag != NULL)
		snprintf(buf, size, "done: %s", verdict_name(r->diag->verdict));
	else
		snprintf(buf, size, "done");
	return buf;
}

static void
draw_top(struct tui *t, struct run *r)
{
	char state[64], right[128], left[512];
	int64_t el = (r->t_end >= 0 ? r->t_end : tui_now()) - r->t0;

	snprintf(left, sizeof left, "sshdoctor %s %s", glyph(G_DOT), r->title);
	snprintf(right, sizeof right, "%s %s %lld:%02lld", state_text(r, state,
	    sizeof state), glyph(G_DOT), (long long)(el / 60000),
	    (long long)(el / 1000 % 60));
	tui_draw_top(&t->lay.top, left, right);
}

/* "1TCP 2VERS …": the number keys of the layers in their colours; a
 * hidden layer shows as dashes. */
static const char *const legend_tags[LAYER_COUNT] = {
	"TCP", "VERS", "KEX", "HKEY", "AUTH", "CONN", "SFTP", "LOCAL", "OTHER"
};

static int
legend_width(void)
{
	int w = 0;

	for (int i = 0; i < LAYER_COUNT; i++)
		w += 1 + (int)strlen(legend_tags[i]) + 1;
	return w - 1;
}

static void
draw_legend(struct run *r, int y, int x, int w)
{
	int end = x + w;

	for (int i = 0; i < LAYER_COUNT && x < end; i++) {
		int off = (r->hidden & (1u << i)) != 0;
		char k[4];

		snprintf(k, sizeof k, "%d", i + 1);
		x += draw_str(y, x, k, end - x, colour_attr(R_DIM));
		if (off) {
			for (size_t c = 0; c < strlen(legend_tags[i]) && x < end; c++)
				x += draw_str(y, x, "-", end - x, colour_attr(R_DIM));
		} else
			x += draw_str(y, x, legend_tags[i], end - x,
			    colour_attr(colour_layer(i)) | A_BOLD);
		x += 1;
	}
}

static void
draw_tabs(struct tui *t, struct run *r)
{
	const struct layout *l = &t->lay;
	char where[64];

	for (int p = 0; p < l->npanes; p++) {
		const struct rect *tr = &l->pane_title[p];
		int x = tr->x, focused = r->focus == p;
		struct logview *lv = run_pane_view(r, p);

		/* titles on a rule, like a box's top edge */
		draw_hline(tr->y, tr->x, tr->w, colour_attr(R_DIM));
		if (l->npanes == 1 && r->ndocs > 1) {
			for (int i = 0; i < r->ndocs; i++) {
				int on = r->pane_doc[0] % r->ndocs == i;
				attr_t a = on ? colour_attr(focused ? R_PANE_FOCUS : R_CURSOR) :
				    colour_attr(R_PANE);

				r->tab_x[i][0] = x;
				x += draw_fmt(tr->y, x, tr->x + tr->w - x, a, " %s ",
				    doc_name(r->docs[r->order[i]]));
				r->tab_x[i][1] = x;
				x += 1;
			}
		} else
			x += draw_fmt(tr->y, x, tr->w, colour_attr(focused ? R_PANE_FOCUS :
			    R_PANE), " %s ", doc_name(lv->rv.doc));
		logview_where(lv, where, sizeof where);
		draw_fmt(tr->y, x + 1, tr->x + tr->w - x - 1, A_NORMAL,
		    " %s%s%s ", where, r->fold ? "" : ", unfolded",
		    r->hidden ? ", layers hidden" : "");
	}
}

static void
diag_input(struct run *r, struct diag_input *in, char *buf, size_t size)
{
	memset(in, 0, sizeof *in);
	in->d = r->diag;
	in->findings = &r->findings;
	in->names = r->names;
	in->nnames = MAX_DOCS;
	if (r->mode == RUN_FILES)
		snprintf(buf, size, "Reading the logs for the diagnosis: %d%% "
		    "(the log is shown as it is indexed; keys work meanwhile)",
		    run_pass_percent(r));
	else if (r->done)
		snprintf(buf, size, "The run ended without a diagnosis%s%s",
		    r->note ? ": " : ".", r->note ? r->note : "");
	else
		snprintf(buf, size, "Running%s %s", r->note ? ":" : "",
		    r->note ? r->note : "");
	in->waiting = buf;
}

static void
draw_diag(struct tui *t, struct run *r)
{
	const struct layout *l = &t->lay;
	struct diag_input in;
	char wait[512];
	int focused = r->focus == FOCUS_DIAG;

	if (r->dv_dirty || r->dv_width != l->diag.w ||
	    (r->mode == RUN_FILES && !r->pass_done)) {
		diag_input(r, &in, wait, sizeof wait);
		diagview_build(&r->dv, &in, l->diag.w - 2);
		r->dv_width = l->diag.w;
		r->dv_dirty = 0;
	}
	draw_hline(l->diag_title.y, 0, l->diag_title.w, colour_attr(R_DIM));
	{
		int x = draw_fmt(l->diag_title.y, 0, l->diag_title.w,
		    colour_attr(focused ? R_PANE_FOCUS : R_PANE), " %s%s%s ",
		    r->diag == NULL && r->findings.n > 0 ? "Findings" : "Diagnosis",
		    r->diag && r->diag->problem ? ": " : "",
		    r->diag && r->diag->problem ? r->diag->problem->id : "");

		if (r->ndocs > 0 && l->diag_title.w - x > legend_width() + 2) {
			int lx = l->diag_title.w - legend_width() - 1;

			draw_fill(l->diag_title.y, lx - 1, legend_width() + 2, A_NORMAL);
			draw_legend(r, l->diag_title.y, lx, legend_width());
		}
	}
	diagview_draw(&r->dv, &l->diag, focused);
}

/* The check wizard has no ladder: the findings counted by severity. */
static void
draw_check_summary(struct run *r, const struct rect *rc)
{
	size_t n[4] = { 0, 0, 0, 0 };
	int x = rc->x + 1;

	for (size_t i = 0; i < r->findings.n; i++)
		if (r->findings.v[i].sev <= FIND_ERROR)
			n[r->findings.v[i].sev]++;
	x += draw_fmt(rc->y, x, rc->w - 1, colour_attr(R_OK), "%zu ok", n[FIND_OK]);
	x += draw_fmt(rc->y, x, rc->x + rc->w - x, A_NORMAL, "  %zu info", n[FIND_INFO]);
	x += draw_fmt(rc->y, x, rc->x + rc->w - x, colour_attr(n[FIND_WARN] ? R_WARN :
	    R_DIM), "  %zu warning%s", n[FIND_WARN], n[FIND_WARN] == 1 ? "" : "s");
	draw_fmt(rc->y, x, rc->x + rc->w - x, colour_attr(n[FIND_ERROR] ? R_FAIL :
	    R_DIM), "  %zu error%s", n[FIND_ERROR], n[FIND_ERROR] == 1 ? "" : "s");
}

static void
run_draw(struct tui *t, void *self)
{
	struct run *r = self;
	const struct layout *l = &t->lay;
	static const struct hint log_hints[] = {
		{ "q", "back" }, { "?", "help" }, { "Tab", "pane" },
		{ "Enter", "fold" }, { "/", "search" }, { "e", "error" },
		{ "1-9", "layers" }, { "f", "fold all" }, { "m", "mark" },
		{ "c", "copy" }, { "z", "zoom" }, { NULL, NULL }
	};
	static const struct hint diag_hints[] = {
		{ "q", "back" }, { "?", "help" }, { "Tab", "pane" },
		{ "Enter", "open" }, { "c", "copy" }, { "r", "run" },
		{ "a", "answer" }, { "s", "save" }, { "z", "zoom" }, { NULL, NULL }
	};
	char msg[320];

	draw_top(t, r);
	if (r->def == &wizard_check)
		draw_check_summary(r, &l->ladder);
	else
		ladder_draw(&r->ladder, &l->ladder);
	if (r->ndocs > 0 && l->npanes > 0) {
		draw_tabs(t, r);
		for (int p = 0; p < l->npanes; p++)
			logview_draw(run_pane_view(r, p), &l->pane[p], r->focus == p,
			    r->search);
		if (l->sep_x >= 0)
			for (int y = l->pane[0].y; y < l->pane[0].y + l->pane[0].h; y++)
				draw_str(y, l->sep_x, glyph(G_VLINE), 1, colour_attr(R_DIM));
	}
	draw_diag(t, r);
	msg[0] = '\0';
	if (r->seek_view >= 0)
		snprintf(msg, sizeof msg, "searching line %llu... (Esc stops)",
		    (unsigned long long)r->views[r->seek_view].seek_at + 1);
	else if (tui_now() < t->msg_until)
		snprintf(msg, sizeof msg, "%s", t->msg);
	keys_draw_hints(&l->status, r->focus == FOCUS_DIAG ? diag_hints : log_hints,
	    msg, r->seek_view >= 0 ? R_RUNNING : t->msg_role);
}

static void
run_layout(void *self, struct layout_req *q)
{
	struct run *r = self;

	q->ndocs = r->ndocs;
	q->diag_rows = r->diag != NULL || r->findings.n > 0 ? 0 : 3;
	q->zoom = r->zoom;
}

/* ---- keys and dialogs ---- */

static struct logview *
focused_view(struct run *r)
{
	if (r->ndocs == 0)
		return NULL;
	return run_pane_view(r, r->focus == FOCUS_DIAG ? r->last_pane : r->focus);
}

static void
cycle_focus(struct tui *t, struct run *r, int dir)
{
	int npanes = t->lay.npanes;

	if (r->ndocs == 0) {
		r->focus = FOCUS_DIAG;
		return;
	}
	if (npanes == 1 && r->ndocs > 1) {
		/* one pane: Tab walks the logs as tabs, then the diagnosis */
		int stops = r->ndocs + 1, at = r->focus == FOCUS_DIAG ? r->ndocs :
		    r->pane_doc[0] % r->ndocs;

		at = (at + dir + stops) % stops;
		if (at == r->ndocs)
			r->focus = FOCUS_DIAG;
		else {
			r->pane_doc[0] = at;
			r->focus = 0;
		}
	} else {
		int stops = npanes + 1, at = r->focus == FOCUS_DIAG ? npanes : r->focus;

		at = (at + dir + stops) % stops;
		r->focus = at == npanes ? FOCUS_DIAG : at;
	}
	if (r->focus != FOCUS_DIAG)
		r->last_pane = r->focus;
}

static void
start_seek(struct tui *t, struct run *r, enum seek_kind kind, int dir)
{
	struct logview *lv = focused_view(r);

	if (lv == NULL)
		return;
	if (kind == SEEK_TEXT && r->search[0] == '\0') {
		tui_message(t, R_MESSAGE, "no search yet: press / first");
		return;
	}
	if (r->focus == FOCUS_DIAG)
		r->focus = r->last_pane;
	logview_seek_start(lv, kind, dir);
	r->seek_view = doc_source(lv->rv.doc);
}

static void
jump_evidence(struct tui *t, struct run *r, int i)
{
	const struct evidence *e;
	struct doc *d;
	uint64_t row;
	int layer;

	if (r->diag == NULL || i < 0 || (size_t)i >= r->diag->nevidence)
		return;
	e = &r->diag->evidence[i];
	if (e->source < 0 || e->source >= MAX_DOCS || (d = r->docs[e->source]) == NULL) {
		tui_message(t, R_MESSAGE, "that line's log is not open here");
		return;
	}
	row = doc_find_number(d, e->line);
	layer = (doc_attr(d, row) & LA_LAYER) - 1;
	if (layer >= 0 && (r->hidden & (1u << layer))) {
		r->hidden &= ~(1u << layer);
		run_apply_filter(r);
	}
	/* show it in a pane: the one that has it, or the last one used */
	for (int p = 0; p < t->lay.npanes; p++)
		if (run_pane_view(r, p)->rv.doc == d) {
			r->focus = r->last_pane = p;
			goto found;
		}
	for (int i2 = 0; i2 < r->ndocs; i2++)
		if (r->order[i2] == e->source)
			r->pane_doc[r->last_pane] = i2;
	r->focus = r->last_pane;
found:
	logview_goto(&r->views[e->source], row);
}

static const char *
command_text(const struct run *r, int i)
{
	if (r->diag == NULL || i < 0 || (size_t)i >= r->diag->commands.n)
		return NULL;
	return r->diag->commands.v[i];
}

static void
copy_text(struct tui *t, const char *what, const char *text)
{
	if (clip_copy(text, strlen(text)) != 0)
		tui_message(t, R_MESSAGE, "too long for the clipboard (%zu bytes): "
		    "save it instead", strlen(text));
	else
		tui_message(t, R_MESSAGE, "copied %s (OSC 52: if your terminal allows it)",
		    what);
}

/* The one way to run a command: this question, showing it exactly. */
static void
confirm_run(struct tui *t, const char *cmd)
{
	char *body = xasprintf("%s\n\nIt runs as shown, with /bin/sh -c on this "
	    "terminal; you come back here after it. Run it?", cmd);

	tui_dialog(t, dialog_new(DLG_CONFIRM, DLG_RUN, "Run this command?", body));
	free(body);
}

static int
diag_enter(struct tui *t, struct run *r, int run_key)
{
	int idx = 0;
	enum ditem it = diagview_item(&r->dv, &idx);
	struct dialog *d;
	const char *cmd;

	switch (it) {
	case DI_EVIDENCE:
		jump_evidence(t, r, idx);
		return TUI_REDRAW;
	case DI_COMMAND:
		cmd = command_text(r, idx);
		if (cmd == NULL)
			return 0;
		r->cmd = idx;
		if (run_key) {
			confirm_run(t, cmd);
			return TUI_REDRAW;
		}
		d = dialog_new(DLG_CHOICE, DLG_COMMAND, "A fix command", cmd);
		dialog_add_choice(d, "copy");
		dialog_add_choice(d, "save to a file");
		if (strchr(cmd, '\n') == NULL)
			dialog_add_choice(d, "run...");
		dialog_add_choice(d, "back");
		d->hint = xstrdup("Copy uses OSC 52. Run asks again before anything runs.");
		tui_dialog(t, d);
		return TUI_REDRAW;
	case DI_QUESTION:
		if (r->diag != NULL && r->diag->question != NULL) {
			const struct kb_node *q = r->diag->question;
			const char *ch[17];
			size_t n = 0;

			for (; n < q->nanswers && n < 16; n++)
				ch[n] = q->answers[n].key;
			ch[n] = NULL;
			run_ask_question(t, r, q->ask, ch);
		}
		return TUI_REDRAW;
	case DI_FINDING:
		if ((size_t)idx < r->findings.n && r->findings.v[idx].fix != NULL)
			copy_text(t, "the fix", r->findings.v[idx].fix);
		return TUI_REDRAW;
	case DI_NONE:
		break;
	}
	return 0;
}

static int
diag_copy(struct tui *t, struct run *r)
{
	int idx = 0;
	enum ditem it = diagview_item(&r->dv, &idx);

	if (it == DI_COMMAND && command_text(r, idx) != NULL)
		copy_text(t, "the command", command_text(r, idx));
	else if (it == DI_EVIDENCE && r->diag != NULL)
		copy_text(t, "the evidence line", r->diag->evidence[idx].text);
	else if (it == DI_FINDING && r->findings.v[idx].fix != NULL)
		copy_text(t, "the fix", r->findings.v[idx].fix);
	else if (r->diag != NULL && r->diag->headline != NULL)
		copy_text(t, "the headline", r->diag->headline);
	return TUI_REDRAW;
}

static int
leave(struct tui *t, struct run *r)
{
	if (r->mode == RUN_WIZARD && !r->done) {
		struct dialog *d = dialog_new(DLG_CONFIRM, DLG_LEAVE,
		    "Stop the run and leave?", "The wizard is still running: "
		    "leaving stops ssh/sshd (every child is ended).");

		tui_dialog(t, d);
		return TUI_REDRAW;
	}
	return t->direct ? TUI_QUIT : TUI_BACK;
}

static int
save_report_dialog(struct tui *t, struct run *r)
{
	struct dialog *d;
	char name[64];
	time_t now = time(NULL);
	struct tm tm;

	if (r->diag == NULL) {
		tui_message(t, R_MESSAGE, "no diagnosis to save yet");
		return TUI_REDRAW;
	}
	localtime_r(&now, &tm);
	strftime(name, sizeof name, "sshdoctor-%Y%m%d-%H%M%S.md", &tm);
	d = dialog_new(DLG_INPUT, DLG_SAVE_REPORT, "Save the report (Markdown)",
	    "The diagnosis, the evidence and the fix, for a ticket or a mail. "
	    "The file is created, never overwritten.");
	dialog_set_input(d, name);
	tui_dialog(t, d);
	return TUI_REDRAW;
}

static int
toggle_layer(struct tui *t, struct run *r, int layer)
{
	if (layer < 0 || layer >= LAYER_COUNT)
		return 0;
	r->hidden ^= 1u << layer;
	run_apply_filter(r);
	tui_message(t, R_MESSAGE, "layer %s %s (%d again to %s)", layer_name(layer),
	    (r->hidden & (1u << layer)) ? "hidden" : "shown", layer + 1,
	    (r->hidden & (1u << layer)) ? "show it" : "hide it");
	return TUI_REDRAW;
}

static int
click(struct tui *t, struct run *r, const struct key *k)
{
	int hit = layout_hit(&t->lay, k->y, k->x);

	if (hit >= 0 && hit < t->lay.npanes) {
		r->focus = r->last_pane = hit;
		logview_key(run_pane_view(r, hit), k, &t->lay.pane[hit]);
	} else if (hit == LAYOUT_HIT_DIAG || hit == LAYOUT_HIT_DIAG_TITLE) {
		r->focus = FOCUS_DIAG;
		if (hit == LAYOUT_HIT_DIAG)
			diagview_key(&r->dv, k, &t->lay.diag);
	} else if (hit == LAYOUT_HIT_TABS && t->lay.npanes == 1) {
		for (int i = 0; i < r->ndocs; i++)
			if (k->x >= r->tab_x[i][0] && k->x < r->tab_x[i][1]) {
				r->pane_doc[0] = i;
				r->focus = r->last_pane = 0;
			}
	} else if (hit == LAYOUT_HIT_TABS) {
		for (int p = 0; p < t->lay.npanes; p++)
			if (rect_has(&t->lay.pane_title[p], k->y, k->x))
				r->focus = r->last_pane = p;
	}
	return TUI_REDRAW;
}

static int
wheel(struct tui *t, struct run *r, const struct key *k)
{
	int hit = layout_hit(&t->lay, k->y, k->x);

	if (hit >= 0 && hit < t->lay.npanes)
		logview_key(run_pane_view(r, hit), k, &t->lay.pane[hit]);
	else if (hit == LAYOUT_HIT_DIAG)
		diagview_key(&r->dv, k, &t->lay.diag);
	return TUI_REDRAW;
}

static int
run_key(struct tui *t, void *self, const struct key *k)
{
	struct run *r = self;
	struct logview *lv = focused_view(r);
	int in_diag = r->focus == FOCUS_DIAG || lv == NULL;
	struct dialog *d;
	size_t n;
	char *text;

	/* any key stops a search under way; Esc only that */
	if (r->seek_view >= 0) {
		r->views[r->seek_view].seek = SEEK_NONE;
		r->seek_view = -1;
		if (k->act == ACT_ESC)
			return TUI_REDRAW;
	}
	switch (k->act) {
	case ACT_HELP:
		return TUI_HELP;
	case ACT_BACK:
		return leave(t, r);
	case ACT_INTERRUPT:
		if (r->mode == RUN_WIZARD && !r->done) {
			wiz_cancel(r->wiz);
			r->cancelled = 1;
			tui_message(t, R_MESSAGE, "stopping the run...");
			return TUI_REDRAW | TUI_MORE;
		}
		return leave(t, r);
	case ACT_TAB:
		cycle_focus(t, r, 1);
		return TUI_REDRAW;
	case ACT_BTAB:
		cycle_focus(t, r, -1);
		return TUI_REDRAW;
	case ACT_DOC:
		if (r->ndocs > 1) {
			int p = r->focus == FOCUS_DIAG ? r->last_pane : r->focus;

			r->pane_doc[p] = (r->pane_doc[p] + 1) % r->ndocs;
			r->focus = r->last_pane = p;
		}
		return TUI_REDRAW;
	case ACT_ZOOM:
		r->zoom = r->zoom != ZOOM_NONE ? ZOOM_NONE : in_diag ? ZOOM_DIAG : ZOOM_LOG;
		return TUI_REDRAW;
	case ACT_LAYER:
		return toggle_layer(t, r, k->arg);
	case ACT_ALL_LAYERS:
		r->hidden = 0;
		run_apply_filter(r);
		tui_message(t, R_MESSAGE, "every layer shown");
		return TUI_REDRAW;
	case ACT_FOLD_ALL:
		r->fold = !r->fold;
		run_apply_filter(r);
		tui_message(t, R_MESSAGE, r->fold ? "noise folded" : "noise shown "
		    "(f folds it again)");
		return TUI_REDRAW;
	case ACT_SEARCH:
		d = dialog_new(DLG_INPUT, DLG_SEARCH, "/", NULL);
		d->line = 1;
		tui_dialog(t, d);
		return TUI_REDRAW;
	case ACT_NEXT:
	case ACT_PREV:
		start_seek(t, r, SEEK_TEXT, k->act == ACT_NEXT ? 1 : -1);
		return TUI_REDRAW | TUI_MORE;
	case ACT_ERR_NEXT:
	case ACT_ERR_PREV:
		start_seek(t, r, SEEK_ERROR, k->act == ACT_ERR_NEXT ? 1 : -1);
		return TUI_REDRAW | TUI_MORE;
	case ACT_WARN_NEXT:
	case ACT_WARN_PREV:
		start_seek(t, r, SEEK_WARN, k->act == ACT_WARN_NEXT ? 1 : -1);
		return TUI_REDRAW | TUI_MORE;
	case ACT_SAVE:
		return save_report_dialog(t, r);
	case ACT_EXTEND:
		if (r->mode == RUN_WIZARD && !r->done) {
			wiz_extend(r->wiz, r->timeout_s);
			tui_message(t, R_MESSAGE, "the run may take %d more seconds",
			    r->timeout_s);
		}
		return TUI_REDRAW;
	case ACT_ANSWER:
		if (r->diag != NULL && r->diag->question != NULL) {
			diagview_focus_first(&r->dv, DI_QUESTION);
			return diag_enter(t, r, 0);
		}
		tui_message(t, R_MESSAGE, "no question open");
		return TUI_REDRAW;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return TUI_REDRAW;
	case ACT_RESIZE:
		return TUI_REDRAW;
	case ACT_CLICK:
		return click(t, r, k);
	case ACT_WHEEL_UP:
	case ACT_WHEEL_DOWN:
		return wheel(t, r, k);
	default:
		break;
	}
	if (in_diag) {
		switch (k->act) {
		case ACT_ENTER:
			return diag_enter(t, r, 0);
		case ACT_RUN:
			return diag_enter(t, r, 1);
		case ACT_COPY:
			return diag_copy(t, r);
		default:
			return diagview_key(&r->dv, k, &t->lay.diag) ? TUI_REDRAW : 0;
		}
	}
	switch (k->act) {
	case ACT_ENTER:
		return logview_toggle_fold(lv) ? TUI_REDRAW : 0;
	case ACT_MARK:
		if (logview_mark(lv))
			logview_key(lv, &(struct key){ .act = ACT_DOWN }, &t->lay.pane[
			    r->focus >= 0 ? r->focus : 0]);
		return TUI_REDRAW;
	case ACT_COPY:
		text = logview_copy_text(lv, &n);
		if (clip_copy(text, strlen(text)) != 0)
			tui_message(t, R_MESSAGE, "too long for the clipboard");
		else
			tui_message(t, R_MESSAGE, "copied %zu line%s (OSC 52)%s", n,
			    n == 1 ? "" : "s", lv->nmarks ? "" : ": m marks lines");
		free(text);
		return TUI_REDRAW;
	default:
		return logview_key(lv, k, &t->lay.pane[r->focus >= 0 ? r->focus : 0]) ?
		    TUI_REDRAW : 0;
	}
}

static void
save_report(struct tui *t, struct run *r, const char *path)
{
	struct report_sources src = { r->names, MAX_DOCS };
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	FILE *f;

	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		tui_message(t, R_MESSAGE, "cannot write %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return;
	}
	for (size_t i = 0; i < MAX_DOCS; i++)
		if (r->names[i] == NULL)
			src.n = i < src.n ? i : src.n;
	if (report_markdown(f, r->session, &src) != 0 || fclose(f) != 0)
		tui_message(t, R_MESSAGE, "error writing %s", path);
	else
		tui_message(t, R_MESSAGE, "report saved to %s", path);
}

static int
run_dialog_done(struct tui *t, void *self, struct dialog *d)
{
	struct run *r = self;
	const char *v = dialog_value(d), *cmd;
	char *answer;
	int rc;

	switch (d->tag) {
	case DLG_PROMPT:
		r->await = 0;
		/* the time spent typing is not the run's: its deadline starts
		 * again from the answer */
		wiz_extend(r->wiz, r->timeout_s);
		if (d->done == 1) {
			answer = xstrdup(v);
			wiz_reply(r->wiz, answer);	/* wipes it */
			free(answer);
		} else {
			wiz_reply(r->wiz, NULL);
			tui_message(t, R_MESSAGE, "declined: ssh stops");
		}
		return TUI_REDRAW | TUI_MORE;
	case DLG_QUESTION:
		if (r->mode == RUN_WIZARD && r->await) {
			r->await = 0;
			answer = d->done == 1 && *v != '\0' ? xstrdup(v) : NULL;
			wiz_reply(r->wiz, answer);
			free(answer);
			return TUI_REDRAW | TUI_MORE;
		}
		if (d->done == 1 && *v != '\0' && r->diag != NULL &&
		    r->diag->question != NULL) {
			char *kv = xasprintf("%s=%s", r->diag->question->id, v);

			session_answer(r->session, kv);
			free(kv);
			r->diag = session_diagnosis(r->session);
			if (r->diag != NULL)
				ladder_diag(&r->ladder, r->diag);
			r->dv_dirty = 1;
			r->dv.cur = -1;
		r->dv.top = 0;
		}
		return TUI_REDRAW;
	case DLG_COMMAND:
		if (d->done != 1 || (cmd = command_text(r, r->cmd)) == NULL)
			return TUI_REDRAW;
		if (strcmp(v, "copy") == 0)
			copy_text(t, "the command", cmd);
		else if (strncmp(v, "save", 4) == 0) {
			struct dialog *s = dialog_new(DLG_INPUT, DLG_SAVE_CMD,
			    "Save the command to a file", "A new file (never overwritten), "
			    "mode 0600.");

			dialog_set_input(s, "sshdoctor-fix.sh");
			tui_dialog(t, s);
			return TUI_REDRAW | TUI_MORE;
		} else if (strncmp(v, "run", 3) == 0) {
			confirm_run(t, cmd);
			return TUI_REDRAW | TUI_MORE;
		}
		return TUI_REDRAW;
	case DLG_RUN:
		if (d->done == 1 && (cmd = command_text(r, r->cmd)) != NULL) {
			rc = clip_run(cmd);
			tui_message(t, R_MESSAGE, rc < 0 ? "the command could not start" :
			    "the command exited with status %d", rc);
		} else
			tui_message(t, R_MESSAGE, "nothing was run");
		return TUI_REDRAW;
	case DLG_SAVE_CMD:
		if (d->done == 1 && *v != '\0' && (cmd = command_text(r, r->cmd)) != NULL) {
			char *text = xasprintf("%s\n", cmd);

			if (clip_save(v, text) != 0)
				tui_message(t, R_MESSAGE, "cannot write %s: %s", v, strerror(errno));
			else
				tui_message(t, R_MESSAGE, "saved to %s", v);
			free(text);
		}
		return TUI_REDRAW;
	case DLG_SAVE_REPORT:
		if (d->done == 1 && *v != '\0')
			save_report(t, r, v);
		return TUI_REDRAW;
	case DLG_SEARCH:
		if (d->done == 1 && *v != '\0') {
			snprintf(r->search, sizeof r->search, "%s", v);
			start_seek(t, r, SEEK_TEXT, 1);
			return TUI_REDRAW | TUI_MORE;
		}
		return TUI_REDRAW;
	case DLG_LEAVE:
		if (d->done == 1)
			return t->direct ? TUI_QUIT : TUI_BACK;
		return TUI_REDRAW;
	}
	return TUI_REDRAW;
}

const struct screen_ops run_ops = {
	.name = "run",
	.draw = run_draw,
	.key = run_key,
	.work = run_work,
	.deadline = run_deadline,
	.pollfds = run_pollfds,
	.dialog_done = run_dialog_done,
	.layout = run_layout,
	.help = "run",
	.free = run_free,
};
