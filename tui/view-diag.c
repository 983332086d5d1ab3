/* view-diag.c: the diagnosis pane. */
#include "view-diag.h"
#include "colour.h"
#include "draw.h"
#include "sanitize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
diagview_free(struct diagview *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->rows[i].text);
	free(v->rows);
	v->rows = NULL;
	v->n = v->cap = 0;
}

static void
add_row(struct diagview *v, const char *text, int role, enum ditem kind,
    int index, int indent)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->rows = xreallocarray(v->rows, v->cap, sizeof *v->rows);
	}
	v->rows[v->n].text = xstrdup(text);
	v->rows[v->n].role = role;
	v->rows[v->n].kind = kind;
	v->rows[v->n].index = index;
	v->rows[v->n].indent = indent;
	v->n++;
}

/* Sanitised, but a multi-line text (a config snippet) keeps its lines. */
static char *
sanitize_keep_lines(const char *s)
{
	struct buf b;
	const char *p = s;

	buf_init(&b);
	for (;;) {
		const char *nl = strchr(p, '\n');
		char *line = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		char *clean = sanitize_str(line);

		buf_adds(&b, clean);
		free(clean);
		free(line);
		if (nl == NULL)
			break;
		buf_addc(&b, '\n');
		p = nl + 1;
	}
	if (b.data == NULL)
		buf_add(&b, "", 0);
	return buf_steal(&b);
}

/* Wrapped text: the first row after `first`, the others under it. All
 * text passes the sanitiser: KB text is filled from log facts. */
static void
add_text(struct diagview *v, const char *first, const char *text, int role,
    enum ditem kind, int index)
{
	struct strv lines = { 0 };
	char *clean = sanitize_keep_lines(text != NULL ? text : "");
	int fw = text_width(first, strlen(first));
	struct buf b;

	text_wrap(clean, v->width - fw - 1, 0, &lines);
	for (size_t i = 0; i < lines.n; i++) {
		buf_init(&b);
		if (i == 0)
			buf_adds(&b, first);
		else
			for (int k = 0; k < fw; k++)
				buf_addc(&b, ' ');
		buf_adds(&b, lines.v[i]);
		add_row(v, b.data, role, kind, index, fw);
		buf_free(&b);
	}
	if (lines.n == 0)
		add_row(v, first, role, kind, index, fw);
	strv_free(&lines);
	free(clean);
}

static void
add_section(struct diagview *v, const char *title)
{
	if (v->n > 0)
		add_row(v, "", R_NORMAL, DI_NONE, 0, 0);
	add_row(v, title, R_SECTION, DI_NONE, 0, 0);
}

static const char *
source_name(const struct diag_input *in, int source, enum side side)
{
	if (source >= 0 && (size_t)source < in->nnames && in->names[source] != NULL)
		return in->names[source];
	return side_name(side);
}

static void
build_diagnosis(struct diagview *v, const struct diag_input *in)
{
	const struct diagnosis *d = in->d;
	const char *verdict = d->verdict == VERDICT_OK ? "OK" :
	    d->verdict == VERDICT_PROBLEM ? "PROBLEM" : "INCONCLUSIVE";
	int vrole = d->verdict == VERDICT_OK ? R_OK :
	    d->verdict == VERDICT_PROBLEM ? R_FAIL : R_RUNNING;
	char first[64];

	snprintf(first, sizeof first, "%s: ", verdict);
	add_text(v, first, d->headline, vrole, DI_NONE, 0);
	if (d->problem != NULL && (d->headline == NULL ||
	    strstr(d->headline, d->problem->id) == NULL)) {
		char *t = xasprintf("%s (%s, stage %s)", d->problem->title,
		    d->problem->id, d->problem->stage ? d->problem->stage : "?");

		add_text(v, "Cause: ", t, R_NORMAL, DI_NONE, 0);
		free(t);
	}
	if (d->nevidence > 0) {
		add_section(v, "Evidence (Enter: show the line in its log)");
		for (size_t i = 0; i < d->nevidence; i++) {
			char *lead = xasprintf("  %s:%llu  ", source_name(in,
			    d->evidence[i].source, d->evidence[i].side),
			    (unsigned long long)d->evidence[i].line);
			char *clean = sanitize_str(lead);

			add_text(v, clean, d->evidence[i].text, R_WARN, DI_EVIDENCE, (int)i);
			free(clean);
			free(lead);
		}
	}
	if (d->question != NULL && d->question->ask != NULL) {
		add_section(v, "Question (Enter or a: answer it)");
		add_text(v, "  ? ", d->question->ask, R_RUNNING, DI_QUESTION, 0);
	}
	if (d->explanation != NULL && *d->explanation != '\0') {
		add_section(v, "Why");
		add_text(v, "  ", d->explanation, R_NORMAL, DI_NONE, 0);
	}
	if (d->fix.n > 0) {
		add_section(v, "Fix");
		for (size_t i = 0; i < d->fix.n; i++) {
			char num[32];

			snprintf(num, sizeof num, "  %zu. ", i + 1);
			add_text(v, num, d->fix.v[i], R_NORMAL, DI_NONE, 0);
		}
	}
	if (d->commands.n > 0) {
		add_section(v, "Commands (Enter: copy, save or run; nothing runs without your yes)");
		for (size_t i = 0; i < d->commands.n; i++)
			add_text(v, "  $ ", d->commands.v[i], R_COMMAND, DI_COMMAND, (int)i);
	}
	if (d->nalts > 0) {
		add_section(v, "Other possible causes");
		for (size_t i = 0; i < d->nalts; i++) {
			char *t = xasprintf("%s: %s%s%s", d->alts[i].problem->id,
			    d->alts[i].problem->title, d->alts[i].why ? " - " : "",
			    d->alts[i].why ? d->alts[i].why : "");

			add_text(v, "  - ", t, R_NORMAL, DI_NONE, 0);
			free(t);
		}
	}
	if (d->next.n > 0) {
		add_section(v, "Next");
		for (size_t i = 0; i < d->next.n; i++)
			add_text(v, "  - ", d->next.v[i], R_NORMAL, DI_NONE, 0);
	}
	if (d->warnings.n > 0) {
		add_section(v, "Warnings");
		for (size_t i = 0; i < d->warnings.n; i++)
			add_text(v, "  - ", d->warnings.v[i], R_WARN, DI_NONE, 0);
	}
}

static void
build_findings(struct diagview *v, const struct findings *f)
{
	static const char *const sev[] = { "ok   ", "info ", "WARN ", "ERROR" };
	static const int role[] = { R_OK, R_NORMAL, R_WARN, R_ERROR };

	add_section(v, "Findings (Enter or c: copy the fix)");
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		char *lead = xasprintf("  %s ", sev[x->sev <= FIND_ERROR ? x->sev : 0]);

		add_text(v, lead, x->text, role[x->sev <= FIND_ERROR ? x->sev : 0],
		    x->fix ? DI_FINDING : DI_NONE, (int)i);
		if (x->fix != NULL)
			add_text(v, "        fix: ", x->fix, R_COMMAND, DI_FINDING, (int)i);
		free(lead);
	}
}

void
diagview_build(struct diagview *v, const struct diag_input *in, int width)
{
	int cur = v->cur, top = v->top;

	diagview_free(v);
	v->width = width > 10 ? width : 10;
	if (in->d != NULL)
		build_diagnosis(v, in);
	if (in->findings != NULL && in->findings->n > 0)
		build_findings(v, in->findings);
	if (v->n == 0)
		add_text(v, "", in->waiting ? in->waiting : "no diagnosis yet",
		    R_DIM, DI_NONE, 0);
	if (cur < 0) {
		/* a new diagnosis: the first evidence line is one Enter away */
		diagview_focus_first(v, DI_EVIDENCE);
		v->top = 0;
		return;
	}
	v->cur = cur < (int)v->n ? cur : (int)v->n - 1;
	v->top = top < (int)v->n ? top : 0;
	if (v->cur < 0)
		v->cur = 0;
}

void
diagview_focus_first(struct diagview *v, enum ditem kind)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->rows[i].kind == kind) {
			v->cur = (int)i;
			return;
		}
	v->cur = 0;
}

/* Rows of the item under the cursor: [from, to). */
static void
item_span(const struct diagview *v, int *from, int *to)
{
	const struct drow *c;

	*from = *to = v->cur;
	if (v->n == 0)
		return;
	c = &v->rows[v->cur];
	if (c->kind == DI_NONE) {
		*to = v->cur + 1;
		return;
	}
	while (*from > 0 && v->rows[*from - 1].kind == c->kind &&
	    v->rows[*from - 1].index == c->index)
		(*from)--;
	while (*to < (int)v->n && v->rows[*to].kind == c->kind &&
	    v->rows[*to].index == c->index)
		(*to)++;
}

void
diagview_draw(struct diagview *v, const struct rect *r, int focused)
{
	int from, to;

	if (r->h <= 0)
		return;
	if (v->cur < v->top)
		v->top = v->cur;
	if (v->cur >= v->top + r->h)
		v->top = v->cur - r->h + 1;
	item_span(v, &from, &to);
	for (int i = 0; i < r->h; i++) {
		int k = v->top + i;
		attr_t a;

		draw_fill(r->y + i, r->x, r->w, A_NORMAL);
		if (k >= (int)v->n)
			continue;
		a = colour_attr(v->rows[k].role);
		if (k >= from && k < to && (v->rows[k].kind != DI_NONE || k == v->cur))
			a = focused ? colour_attr(R_CURSOR) | (a & A_BOLD) :
			    a | colour_attr(R_CURSOR_DIM);
		if (k >= from && k < to && focused)
			draw_fill(r->y + i, r->x, r->w, a);
		draw_str(r->y + i, r->x + 1, v->rows[k].text, r->w - 2, a);
	}
	/* a hint that there is more below */
	if (v->top + r->h < (int)v->n)
		draw_str(r->y + r->h - 1, r->x + r->w - 2, glyph(G_ELLIPSIS), 1,
		    colour_attr(R_DIM) | A_BOLD);
}

int
diagview_key(struct diagview *v, const struct key *k, const struct rect *r)
{
	int old = v->cur, page = r->h > 1 ? r->h - 1 : 1;

	switch (k->act) {
	case ACT_UP:		v->cur--; break;
	case ACT_DOWN:		v->cur++; break;
	case ACT_WHEEL_UP:	v->cur -= 3; break;
	case ACT_WHEEL_DOWN:	v->cur += 3; break;
	case ACT_PGUP:		v->cur -= page; v->top -= page; break;
	case ACT_PGDN:		v->cur += page; v->top += page; break;
	case ACT_HOME:		v->cur = 0; break;
	case ACT_END:		v->cur = (int)v->n - 1; break;
	case ACT_CLICK:
		if (rect_has(r, k->y, k->x))
			v->cur = v->top + (k->y - r->y);
		break;
	default:
		return 0;
	}
	if (v->cur >= (int)v->n)
		v->cur = (int)v->n - 1;
	if (v->cur < 0)
		v->cur = 0;
	if (v->top > v->cur)
		v->top = v->cur;
	if (v->top < 0)
		v->top = 0;
	return v->cur != old || k->act == ACT_PGUP || k->act == ACT_PGDN;
}

enum ditem
diagview_item(const struct diagview *v, int *index)
{
	if (v->n == 0 || v->cur < 0 || v->cur >= (int)v->n)
		return DI_NONE;
	*index = v->rows[v->cur].index;
	return v->rows[v->cur].kind;
}
