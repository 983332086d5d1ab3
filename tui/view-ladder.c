/* view-ladder.c: the ladder row. */
#include "view-ladder.h"
#include "colour.h"
#include "draw.h"

#include <stdio.h>
#include <string.h>

void
ladder_reset(struct ladder *l)
{
	memset(l, 0, sizeof *l);
	for (int s = 0; s < STAGE_COUNT; s++) {
		l->ms[s] = -1;
		l->t_start[s] = -1;
	}
}

void
ladder_line(struct ladder *l, const struct cline *c)
{
	if (l->final)
		return;
	for (size_t i = 0; i < c->nevents; i++) {
		int ev = c->events[i], s = ev / 2;

		if (ev < 0 || s >= STAGE_COUNT)
			continue;
		if (ev % 2 == 0 && l->state[s] == LS_NOT_REACHED) {
			l->state[s] = LS_RUNNING;
			l->t_start[s] = c->time_ms;
		} else if (ev % 2 == 1 && l->state[s] != LS_OK) {
			if (l->t_start[s] >= 0 && c->time_ms >= l->t_start[s])
				l->ms[s] = c->time_ms - l->t_start[s];
			l->state[s] = LS_OK;
		}
	}
}

void
ladder_diag(struct ladder *l, const struct diagnosis *d)
{
	for (int s = 0; s < STAGE_COUNT; s++) {
		switch (d->stages[s].status) {
		case STATUS_OK:		l->state[s] = LS_OK; break;
		case STATUS_FAILED:	l->state[s] = LS_FAILED; break;
		case STATUS_SKIPPED:	l->state[s] = LS_SKIPPED; break;
		default:		l->state[s] = LS_NOT_REACHED; break;
		}
		l->ms[s] = d->stages[s].ms;
	}
	l->final = 1;
}

void
ladder_end(struct ladder *l)
{
	if (l->final)
		return;
	for (int s = 0; s < STAGE_COUNT; s++)
		if (l->state[s] == LS_RUNNING)
			l->state[s] = LS_FAILED;
}

static const char *
state_word(int st)
{
	switch (st) {
	case LS_OK:		return "ok";
	case LS_FAILED:		return "FAILED";
	case LS_RUNNING:	return "...";
	case LS_SKIPPED:	return "skipped";
	}
	return "-";
}

static enum glyph
state_glyph(int st)
{
	switch (st) {
	case LS_OK:		return G_OK;
	case LS_FAILED:		return G_FAIL;
	case LS_RUNNING:	return G_RUN;
	case LS_SKIPPED:	return G_SKIPPED;
	}
	return G_NOTREACHED;
}

static enum role
state_role(int st)
{
	switch (st) {
	case LS_OK:		return R_OK;
	case LS_FAILED:		return R_FAIL;
	case LS_RUNNING:	return R_RUNNING;
	}
	return R_DIM;
}

static void
fmt_ms(char *out, size_t size, int64_t ms)
{
	if (ms < 0)
		*out = '\0';
	else if (ms < 10000)
		snprintf(out, size, " %lldms", (long long)ms);
	else
		snprintf(out, size, " %.1fs", (double)ms / 1000.0);
}

/* One stage as "kex ✗ FAILED 12ms"; a higher level drops details to fit:
 * 1 the durations, 2 the long names, 3 the spaces. */
static int
stage_text(const struct ladder *l, int s, int level, char *out, size_t size)
{
	static const char *const shortname[STAGE_COUNT] = {
		"tcp", "ver", "kex", "hkey", "auth", "conn", "sftp"
	};
	char ms[32];
	const char *name = level >= 2 ? shortname[s] : stage_name(s);
	int st = l->state[s], worded = st == LS_FAILED || st == LS_RUNNING ||
	    st == LS_SKIPPED;

	fmt_ms(ms, sizeof ms, level == 0 ? l->ms[s] : -1);
	if (level < 3)
		snprintf(out, size, "%s %s%s%s%s", name, glyph(state_glyph(st)),
		    worded && (level < 2 || st == LS_FAILED) ? " " : "",
		    worded && (level < 2 || st == LS_FAILED) ? state_word(st) : "", ms);
	else
		snprintf(out, size, "%s%s%s", name, glyph(state_glyph(st)),
		    st == LS_FAILED ? "FAILED" : "");
	return text_width(out, strlen(out));
}

void
ladder_draw(const struct ladder *l, const struct rect *r)
{
	char buf[STAGE_COUNT][96];
	int level, total = 0, x = r->x;
	const char *sep = draw_utf8() ? " \u203a " : " > ";
	int sepw = 3;

	draw_fill(r->y, r->x, r->w, A_NORMAL);
	for (level = 0; level < 4; level++) {
		total = 1;
		for (int s = 0; s < STAGE_COUNT; s++)
			total += stage_text(l, s, level, buf[s], sizeof buf[s]) +
			    (s > 0 ? sepw : 0);
		if (total <= r->w)
			break;
	}
	x += 1;
	for (int s = 0; s < STAGE_COUNT; s++) {
		attr_t a = colour_attr(state_role(l->state[s]));

		if (s > 0)
			x += draw_str(r->y, x, sep, r->x + r->w - x, colour_attr(R_DIM));
		x += draw_str(r->y, x, buf[s], r->x + r->w - x, a);
	}
}
