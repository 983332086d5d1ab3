/* view-log.c: a scrolling, folding, searchable log pane. */
#include "view-log.h"
#include "colour.h"
#include "draw.h"
#include "prefix.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TAG_W	5
#define HSTEP	8

static const char *const tags[LAYER_COUNT] = {
	"TCP", "VERS", "KEX", "HKEY", "AUTH", "CONN", "SFTP", "LOCAL", "OTHER"
};

void
logview_init(struct logview *lv, struct doc *d, int follow)
{
	memset(lv, 0, sizeof *lv);
	lv->rv.doc = d;
	lv->rv.fold = 1;
	lv->follow = follow;
}

void
logview_free(struct logview *lv)
{
	rows_free(&lv->rv);
	free(lv->marks);
	lv->marks = NULL;
}

/* A file is indexed as far as the view may need, ahead of the cursor. */
static void
index_ahead(struct logview *lv, int rows)
{
	struct doc *d = lv->rv.doc;

	if (doc_is_file(d) && !doc_complete(d))
		doc_index_until(d, lv->cur.line + (uint64_t)rows * 4 + 256);
}

static void
place(struct logview *lv)
{
	if (!lv->placed && rows_first(&lv->rv, &lv->top) == 0) {
		lv->cur = lv->top;
		lv->placed = 1;
	}
	if (lv->placed) {
		rows_settle(&lv->rv, &lv->top);
		rows_settle(&lv->rv, &lv->cur);
	}
}

void
logview_filter(struct logview *lv, unsigned hidden, int fold)
{
	lv->rv.hidden = hidden;
	lv->rv.fold = fold;
	if (lv->placed) {
		rows_settle(&lv->rv, &lv->cur);
		rows_settle(&lv->rv, &lv->top);
	}
}

/* Move p by n rows (negative: up); returns the rows moved. */
static int
move_rows(struct logview *lv, struct rowpos *p, int n)
{
	int moved = 0;
	struct rowpos q;

	while (n > 0 && rows_next(&lv->rv, p, &q) == 0) {
		*p = q;
		n--;
		moved++;
	}
	while (n < 0 && rows_prev(&lv->rv, p, &q) == 0) {
		*p = q;
		n++;
		moved++;
	}
	return moved;
}

/* Keep the cursor between top and the last row shown. */
static void
keep_visible(struct logview *lv, int height)
{
	struct rowpos p = lv->top;
	int n = 0;

	if (height <= 0)
		return;
	if (rows_cmp(&lv->cur, &lv->top) < 0) {
		lv->top = lv->cur;
		return;
	}
	while (rows_cmp(&p, &lv->cur) < 0 && n < height) {
		struct rowpos q;

		if (rows_next(&lv->rv, &p, &q) != 0)
			break;
		p = q;
		n++;
	}
	if (n >= height) {
		lv->top = lv->cur;
		move_rows(lv, &lv->top, -(height - 1));
	}
}

/* Put the cursor a third down the pane (after a jump), but leave no
 * empty rows at the end when the log has enough above. */
static void
center(struct logview *lv, int height)
{
	struct rowpos p;
	int below;

	lv->top = lv->cur;
	move_rows(lv, &lv->top, -(height / 3));
	p = lv->top;
	below = move_rows(lv, &p, height - 1);
	if (below < height - 1)
		move_rows(lv, &lv->top, -(height - 1 - below));
}

static int
is_marked(const struct logview *lv, uint64_t i)
{
	size_t lo = 0, hi = lv->nmarks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (lv->marks[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < lv->nmarks && lv->marks[lo] == i ? 1 + (int)lo : 0;
}

static int
digits(uint64_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d < 3 ? 3 : d;
}

/* Every case-insensitive occurrence of pat in text, as an overlay. */
static void
draw_matches(const char *text, size_t len, const char *pat, int y, int x,
    int w, int skip, attr_t base)
{
	size_t pl = strlen(pat);

	if (pl == 0 || pl > len)
		return;
	for (size_t i = 0; i + pl <= len; i++) {
		int col;

		if (strncasecmp(text + i, pat, pl) != 0)
			continue;
		col = text_width(text, i) - skip;
		if (col < 0 || col >= w)
			continue;
		draw_text(y, x + col, text + i, pl, w - col, 0,
		    colour_attr(R_MATCH) | (base & A_REVERSE));
		i += pl - 1;
	}
}

static enum role
line_role(const struct vline *l)
{
	if (l->attr & LA_NOTE)
		return R_NOTE;
	if (l->attr & LA_ERROR)
		return R_ERROR;
	if (l->attr & LA_NOISE)
		return R_NOISE;
	if (l->attr & LA_WARN)
		return R_WARN;
	return colour_layer(l->layer);
}

static void
draw_row(struct logview *lv, const struct row *row, const struct rect *r,
    int y, int numw, attr_t cursor, const char *pattern)
{
	int x = r->x, w = r->w, tx = r->x + 1 + numw + 1 + 2 + TAG_W + 1;
	attr_t a;

	draw_fill(y, x, w, cursor);
	switch (row->kind) {
	case ROW_HEADER:
		a = colour_attr(R_HEADER) | cursor;
		tx = r->x + 1 + numw + 1;
		tx += draw_str(y, tx, doc_header_text(row->hdr), x + w - tx, a);
		draw_hline(y, tx + 1, x + w - tx - 1, colour_attr(R_DIM) | cursor);
		return;
	case ROW_FOLD: {
		char *t;

		a = colour_attr(R_NOISE) | cursor;
		t = xasprintf("%s %llu noise line%s folded: %s%s", glyph(G_FOLD),
		    (unsigned long long)row->count, row->count == 1 ? "" : "s",
		    row->reason ? row->reason : "noise",
		    row->reasons > 1 ? " (and other reasons)" : "");
		draw_str(y, r->x + 1 + numw + 1, t, x + w - (r->x + 1 + numw + 1), a);
		free(t);
		return;
	}
	case ROW_GAP: {
		char *t = xasprintf("%s %llu lines hidden by the layer filter "
		    "(0 shows every layer)", glyph(G_FOLD),
		    (unsigned long long)row->count);

		draw_str(y, r->x + 1 + numw + 1, t, x + w - (r->x + 1 + numw + 1),
		    colour_attr(R_DIM) | cursor);
		free(t);
		return;
	}
	case ROW_LINE:
		break;
	}
	{
		const struct vline *l = doc_line(lv->rv.doc, row->line);
		char num[32];
		const char *sev = " ";

		if (l == NULL)
			return;
		if (is_marked(lv, row->line))
			draw_str(y, x, glyph(G_MARK), 1, colour_attr(R_MARK) | cursor);
		else if (row->opened)
			draw_str(y, x, glyph(G_EXPANDED), 1, colour_attr(R_NOISE) | cursor);
		if (l->attr & LA_NOTE) {
			tx = r->x + 1 + numw + 1;
			tx += draw_str(y, tx, glyph(G_HLINE), 2, colour_attr(R_NOTE) | cursor);
			tx += draw_str(y, tx, glyph(G_HLINE), 2, colour_attr(R_NOTE) | cursor);
			tx += 1;
			draw_text(y, tx, l->text, l->len, x + w - tx, lv->hscroll,
			    colour_attr(R_NOTE) | cursor);
			return;
		}
		snprintf(num, sizeof num, "%*llu", numw, (unsigned long long)l->number);
		draw_str(y, x + 1, num, numw, colour_attr(R_GUTTER) | cursor);
		if (l->attr & LA_ERROR)
			sev = "!";
		else if (l->attr & LA_WARN)
			sev = "~";
		draw_str(y, x + 1 + numw + 1, sev, 1, *sev == ' ' ? cursor :
		    colour_attr((l->attr & LA_ERROR) ? R_ERROR : R_WARN) | cursor);
		draw_str(y, x + 1 + numw + 3, tags[l->layer >= 0 && l->layer <
		    LAYER_COUNT ? l->layer : LAYER_OTHER], TAG_W,
		    colour_attr(colour_layer(l->layer)) | A_BOLD | cursor);
		a = colour_attr(line_role(l)) | cursor;
		{
			int used = draw_text(y, tx, l->text, l->len, x + w - tx,
			    lv->hscroll, a);

			if ((l->flags & CLINE_CUT) && tx + used + 1 < x + w)
				draw_str(y, tx + used + 1, "[cut]", x + w - tx - used - 1,
				    colour_attr(R_DIM) | cursor);
		}
		if (pattern != NULL && *pattern != '\0')
			draw_matches(l->text, l->len, pattern, y, tx, x + w - tx,
			    lv->hscroll, cursor);
		/* more text to the right: say so at the edge */
		if (text_width(l->text, l->len) - lv->hscroll > x + w - tx)
			draw_str(y, x + w - 1, glyph(G_CUT), 1, colour_attr(R_DIM) | A_BOLD);
	}
}

void
logview_draw(struct logview *lv, const struct rect *r, int focused,
    const char *pattern)
{
	struct rowpos p, next;
	int numw = digits(doc_estimate(lv->rv.doc));

	lv->height = r->h;
	if (r->h <= 0)
		return;
	index_ahead(lv, r->h);
	place(lv);
	if (lv->placed && lv->follow && rows_last(&lv->rv, &lv->cur) == 0) {
		lv->top = lv->cur;
		move_rows(lv, &lv->top, -(r->h - 1));
	}
	if (lv->placed)
		keep_visible(lv, r->h);
	p = lv->top;
	for (int i = 0; i < r->h; i++) {
		struct row row;
		int y = r->y + i;
		attr_t cursor = 0;

		if (!lv->placed || rows_get(&lv->rv, &p, &row) != 0) {
			draw_fill(y, r->x, r->w, A_NORMAL);
			if (i == 0 && doc_lines(lv->rv.doc) == 0)
				draw_str(y, r->x + 2, doc_is_file(lv->rv.doc) ?
				    "(empty)" : "(no lines yet)", r->w - 2, colour_attr(R_DIM));
			continue;
		}
		if (rows_cmp(&p, &lv->cur) == 0)
			cursor = focused ? colour_attr(R_CURSOR) : colour_attr(R_CURSOR_DIM);
		draw_row(lv, &row, r, y, numw, cursor, pattern);
		if (rows_next(&lv->rv, &p, &next) != 0)
			next.line = UINT64_MAX;	/* past the end: blank rows */
		p = next;
	}
}

int
logview_key(struct logview *lv, const struct key *k, const struct rect *r)
{
	int h = r->h > 0 ? r->h : 1, page = h > 1 ? h - 1 : 1;
	struct rowpos old = lv->cur;
	int oldh = lv->hscroll;

	index_ahead(lv, 2 * h);
	place(lv);
	if (!lv->placed)
		return 0;
	switch (k->act) {
	case ACT_UP:
		move_rows(lv, &lv->cur, -1);
		break;
	case ACT_DOWN:
		move_rows(lv, &lv->cur, 1);
		break;
	case ACT_PGUP:
		move_rows(lv, &lv->cur, -page);
		move_rows(lv, &lv->top, -page);
		break;
	case ACT_PGDN:
		move_rows(lv, &lv->cur, page);
		move_rows(lv, &lv->top, page);
		break;
	case ACT_WHEEL_UP:
		move_rows(lv, &lv->top, -3);
		move_rows(lv, &lv->cur, -3);
		break;
	case ACT_WHEEL_DOWN:
		move_rows(lv, &lv->top, 3);
		move_rows(lv, &lv->cur, 3);
		break;
	case ACT_HOME:
		rows_first(&lv->rv, &lv->cur);
		lv->top = lv->cur;
		break;
	case ACT_END:
		if (doc_is_file(lv->rv.doc))
			doc_index_until(lv->rv.doc, UINT64_MAX);
		rows_last(&lv->rv, &lv->cur);
		lv->top = lv->cur;
		move_rows(lv, &lv->top, -(h - 1));
		lv->follow = !doc_is_file(lv->rv.doc);
		return 1;
	case ACT_LEFT:
		lv->hscroll = lv->hscroll > HSTEP ? lv->hscroll - HSTEP : 0;
		break;
	case ACT_RIGHT:
		lv->hscroll += HSTEP;
		break;
	case ACT_CLICK:
		if (rect_has(r, k->y, k->x)) {
			lv->cur = lv->top;
			move_rows(lv, &lv->cur, k->y - r->y);
		}
		break;
	default:
		return 0;
	}
	/* moving up leaves follow mode; reaching the end again re-enters it */
	if (k->act != ACT_LEFT && k->act != ACT_RIGHT) {
		struct rowpos last;

		if (rows_cmp(&lv->cur, &old) < 0)
			lv->follow = 0;
		else if (!doc_is_file(lv->rv.doc) && rows_last(&lv->rv, &last) == 0 &&
		    rows_cmp(&lv->cur, &last) == 0)
			lv->follow = 1;
	}
	keep_visible(lv, h);
	return rows_cmp(&old, &lv->cur) != 0 || oldh != lv->hscroll ||
	    k->act == ACT_PGUP || k->act == ACT_PGDN || k->act == ACT_WHEEL_UP ||
	    k->act == ACT_WHEEL_DOWN;
}

int
logview_toggle_fold(struct logview *lv)
{
	struct row row;

	place(lv);
	if (!lv->placed || rows_get(&lv->rv, &lv->cur, &row) != 0)
		return 0;
	if (row.kind == ROW_FOLD) {
		rows_open(&lv->rv, row.line, row.end);
		return 1;
	}
	if (row.kind == ROW_LINE && row.opened && rows_close(&lv->rv, row.line) == 0) {
		rows_settle(&lv->rv, &lv->cur);
		rows_settle(&lv->rv, &lv->top);
		return 1;
	}
	return 0;
}

int
logview_mark(struct logview *lv)
{
	struct row row;
	int at;
	size_t k;

	place(lv);
	if (!lv->placed || rows_get(&lv->rv, &lv->cur, &row) != 0 ||
	    row.kind != ROW_LINE)
		return 0;
	if ((at = is_marked(lv, row.line)) != 0) {
		memmove(lv->marks + at - 1, lv->marks + at,
		    (lv->nmarks - (size_t)at) * sizeof *lv->marks);
		lv->nmarks--;
		return 1;
	}
	if (lv->nmarks == lv->capmarks) {
		lv->capmarks = lv->capmarks ? lv->capmarks * 2 : 16;
		lv->marks = xreallocarray(lv->marks, lv->capmarks, sizeof *lv->marks);
	}
	for (k = 0; k < lv->nmarks && lv->marks[k] < row.line; k++)
		;
	memmove(lv->marks + k + 1, lv->marks + k, (lv->nmarks - k) * sizeof *lv->marks);
	lv->marks[k] = row.line;
	lv->nmarks++;
	return 1;
}

char *
logview_copy_text(struct logview *lv, size_t *nlines)
{
	struct buf b;
	struct row row;
	size_t len;
	const char *t;

	buf_init(&b);
	*nlines = 0;
	if (lv->nmarks > 0) {
		for (size_t i = 0; i < lv->nmarks; i++) {
			t = doc_text(lv->rv.doc, lv->marks[i], &len);
			buf_add(&b, t, len);
			buf_addc(&b, '\n');
			(*nlines)++;
		}
	} else if (lv->placed && rows_get(&lv->rv, &lv->cur, &row) == 0) {
		if (row.kind == ROW_HEADER) {
			buf_adds(&b, doc_header_text(row.hdr));
			buf_addc(&b, '\n');
			(*nlines)++;
		} else {
			uint64_t end = row.kind == ROW_LINE ? row.line + 1 : row.end;

			for (uint64_t i = row.line; i < end && b.len < 65536; i++) {
				t = doc_text(lv->rv.doc, i, &len);
				buf_add(&b, t, len);
				buf_addc(&b, '\n');
				(*nlines)++;
			}
		}
	}
	if (b.data == NULL)
		buf_add(&b, "", 0);
	return buf_steal(&b);
}

void
logview_goto(struct logview *lv, uint64_t i)
{
	if (doc_is_file(lv->rv.doc))
		doc_index_until(lv->rv.doc, i + 1);
	place(lv);
	if (rows_reveal(&lv->rv, i, &lv->cur) != 0)
		return;
	lv->placed = 1;
	lv->follow = 0;
	center(lv, lv->height > 0 ? lv->height : 10);
}

/* The line the cursor stands for, for seeking from it. */
static uint64_t
cursor_line(struct logview *lv, int dir, int *inclusive)
{
	struct row row;

	*inclusive = 0;
	if (!lv->placed || rows_get(&lv->rv, &lv->cur, &row) != 0)
		return 0;
	if (row.kind == ROW_HEADER) {
		/* a header stands before its line: that line is next */
		*inclusive = dir > 0;
		return row.line;
	}
	if (row.kind == ROW_FOLD && dir > 0) {
		/* the folded lines are after the fold row's own position */
		*inclusive = 1;
		return row.line;
	}
	return row.line;
}

void
logview_seek_start(struct logview *lv, enum seek_kind kind, int dir)
{
	int inclusive;
	uint64_t at;

	place(lv);
	at = cursor_line(lv, dir, &inclusive);
	lv->seek = kind;
	lv->seek_dir = dir;
	if (!lv->placed)
		lv->seek_at = 0;
	else if (inclusive)
		lv->seek_at = at;
	else if (dir > 0)
		lv->seek_at = at + 1;
	else if (at == 0) {
		lv->seek = SEEK_NONE;	/* nothing above the first line */
		lv->seek_at = 0;
	} else
		lv->seek_at = at - 1;
}

/* Case-insensitive substring. */
static int
contains(const char *text, size_t len, const char *pat, size_t pl)
{
	if (pl == 0)
		return 0;
	for (size_t i = 0; i + pl <= len; i++)
		if (strncasecmp(text + i, pat, pl) == 0)
			return 1;
	return 0;
}

int
logview_seek_step(struct logview *lv, const char *pattern, uint64_t budget)
{
	struct doc *d = lv->rv.doc;
	size_t pl = pattern != NULL ? strlen(pattern) : 0;

	if (lv->seek == SEEK_NONE)
		return -1;
	while (budget-- > 0) {
		uint64_t i = lv->seek_at;
		int hit = 0;

		if (i >= doc_lines(d)) {
			if (lv->seek_dir < 0 || doc_complete(d) ||
			    doc_index_step(d, 4 << 20) < 0) {
				lv->seek = SEEK_NONE;
				return -1;
			}
			continue;
		}
		switch (lv->seek) {
		case SEEK_TEXT: {
			size_t len;
			const char *t = doc_text(d, i, &len);

			hit = contains(t, len, pattern, pl);
			break;
		}
		case SEEK_ERROR:
			hit = (doc_attr(d, i) & LA_ERROR) != 0;
			break;
		case SEEK_WARN:
			hit = (doc_attr(d, i) & LA_WARN) != 0;
			break;
		case SEEK_NONE:
			break;
		}
		if (hit && rows_line_shown(&lv->rv, i)) {
			lv->seek = SEEK_NONE;
			logview_goto(lv, i);
			return 1;
		}
		if (lv->seek_dir < 0) {
			if (i == 0) {
				lv->seek = SEEK_NONE;
				return -1;
			}
			lv->seek_at = i - 1;
		} else
			lv->seek_at = i + 1;
	}
	return 0;
}

void
logview_where(struct logview *lv, char *out, size_t size)
{
	struct row row;
	uint64_t n = doc_lines(lv->rv.doc);

	place(lv);
	if (!lv->placed || rows_get(&lv->rv, &lv->cur, &row) != 0) {
		snprintf(out, size, "%llu lines%s", (unsigned long long)n,
		    doc_complete(lv->rv.doc) ? "" : "+");
		return;
	}
	snprintf(out, size, "%llu/%llu%s", (unsigned long long)(row.line < n ?
	    row.line + 1 : n), (unsigned long long)n,
	    doc_complete(lv->rv.doc) ? "" : "+");
}
