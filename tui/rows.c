/* rows.c: walking the rows of a log pane. See rows.h for the model. */
#include "rows.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void
rows_free(struct rowview *v)
{
	free(v->open);
	v->open = NULL;
	v->nopen = v->capopen = 0;
}

int
rows_cmp(const struct rowpos *a, const struct rowpos *b)
{
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->sub != b->sub)
		return a->sub < b->sub ? -1 : 1;
	return 0;
}

/* ---- opened runs ---- */

/* Index of the first span with to > i. */
static size_t
span_search(const struct rowview *v, uint64_t i)
{
	size_t lo = 0, hi = v->nopen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->open[mid].to <= i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
rows_is_open(const struct rowview *v, uint64_t i)
{
	size_t k = span_search(v, i);

	return k < v->nopen && v->open[k].from <= i;
}

void
rows_open(struct rowview *v, uint64_t from, uint64_t to)
{
	size_t k = span_search(v, from);

	if (from >= to || (k < v->nopen && v->open[k].from <= from))
		return;
	if (v->nopen == v->capopen) {
		v->capopen = v->capopen ? v->capopen * 2 : 8;
		v->open = xreallocarray(v->open, v->capopen, sizeof *v->open);
	}
	/* never overlap the next span */
	if (k < v->nopen && v->open[k].from < to)
		to = v->open[k].from;
	memmove(v->open + k + 1, v->open + k, (v->nopen - k) * sizeof *v->open);
	v->open[k].from = from;
	v->open[k].to = to;
	v->nopen++;
}

int
rows_close(struct rowview *v, uint64_t i)
{
	size_t k = span_search(v, i);

	if (k >= v->nopen || v->open[k].from > i)
		return -1;
	memmove(v->open + k, v->open + k + 1, (v->nopen - k - 1) * sizeof *v->open);
	v->nopen--;
	return 0;
}

/* ---- classes of a line under the view ---- */

static size_t
nheaders(struct rowview *v, uint64_t pos)
{
	const struct doc_header *h;

	return doc_headers(v->doc, pos, &h);
}

static int
hidden(struct rowview *v, uint64_t i)
{
	uint8_t a = doc_attr(v->doc, i);
	int layer = (a & LA_LAYER) - 1;

	if (a & LA_NOTE)
		return 0;
	return layer >= 0 && (v->hidden & (1u << layer)) != 0;
}

int
rows_line_shown(struct rowview *v, uint64_t i)
{
	return i < doc_lines(v->doc) && !hidden(v, i);
}

/* A noise line that the view folds away. */
static int
foldable(struct rowview *v, uint64_t i)
{
	return v->fold && (doc_attr(v->doc, i) & LA_NOISE) &&
	    !(doc_attr(v->doc, i) & LA_NOTE) && !rows_is_open(v, i);
}

static uint64_t
block_start(uint64_t i)
{
	return i - i % ROWS_BLOCK;
}

static uint64_t
block_end(struct rowview *v, uint64_t i)
{
	uint64_t e = block_start(i) + ROWS_BLOCK, n = doc_lines(v->doc);

	return e < n ? e : n;
}

/* The first line of the run of foldable noise that holds line k (hidden
 * lines inside a run do not break it; headers and blocks do). */
static uint64_t
run_start(struct rowview *v, uint64_t k)
{
	uint64_t s = k;

	for (;;) {
		uint64_t j;

		if (s % ROWS_BLOCK == 0 || nheaders(v, s) > 0)
			return s;
		j = s - 1;
		while (hidden(v, j)) {
			if (j % ROWS_BLOCK == 0 || nheaders(v, j) > 0)
				return s;
			j--;
		}
		if (!foldable(v, j))
			return s;
		s = j;
	}
}

/* Fill a FOLD row for the run starting at s. */
static void
run_row(struct rowview *v, uint64_t s, struct row *r)
{
	uint64_t k, end = block_end(v, s);
	const char *first = doc_noise_reason(v->doc, s);

	memset(r, 0, sizeof *r);
	r->kind = ROW_FOLD;
	r->line = s;
	r->count = 1;
	r->reason = first;
	r->reasons = 1;
	for (k = s + 1; k < end; k++) {
		const char *why;

		if (nheaders(v, k) > 0)
			break;
		if (hidden(v, k))
			continue;
		if (!foldable(v, k))
			break;
		r->count++;
		why = doc_noise_reason(v->doc, k);
		if (why != first && (why == NULL || first == NULL ||
		    strcmp(why, first) != 0))
			r->reasons = 2;
	}
	r->end = k;
}

/* Every line of the block from bs is hidden. */
static int
block_hidden(struct rowview *v, uint64_t bs)
{
	uint64_t end = block_end(v, bs);

	for (uint64_t k = bs; k < end; k++)
		if (!hidden(v, k) || nheaders(v, k) > 0)
			return 0;
	return 1;
}

/* The row shown at line i itself (after its headers), if any. */
static int
content(struct rowview *v, uint64_t i, struct row *r)
{
	memset(r, 0, sizeof *r);
	if (i >= doc_lines(v->doc))
		return -1;
	if (hidden(v, i)) {
		if (i % ROWS_BLOCK != 0 || !block_hidden(v, i))
			return -1;
		r->kind = ROW_GAP;
		r->line = i;
		r->end = block_end(v, i);
		r->count = r->end - i;
		return 0;
	}
	if (foldable(v, i)) {
		if (run_start(v, i) != i)
			return -1;
		run_row(v, i, r);
		/* one noise line alone is shown as it is: a fold would save
		 * nothing */
		if (r->count >= 2)
			return 0;
		memset(r, 0, sizeof *r);
	}
	r->kind = ROW_LINE;
	r->line = i;
	r->opened = (doc_attr(v->doc, i) & LA_NOISE) && rows_is_open(v, i);
	return 0;
}

/* The first row at position k or after. */
static int
scan_forward(struct rowview *v, uint64_t k, struct rowpos *out)
{
	uint64_t n = doc_lines(v->doc);
	struct row r;

	for (; k <= n; k++) {
		if (nheaders(v, k) > 0 || (k < n && content(v, k, &r) == 0)) {
			out->line = k;
			out->sub = 0;
			return 0;
		}
		/* inside a run (never its start): skip the rest of it */
		if (k < n && !hidden(v, k) && foldable(v, k)) {
			run_row(v, run_start(v, k), &r);
			if (r.end > k + 1)
				k = r.end - 1;
		}
	}
	return -1;
}

/* The last row at line k or before (content of k, then its headers). A
 * block whose lines are all hidden is one row at its start. */
static int
scan_backward(struct rowview *v, uint64_t k, struct rowpos *out)
{
	/* every line after k in k's block is hidden, without headers */
	int all_hidden = k + 1 == block_end(v, k);

	for (;;) {
		size_t nh = nheaders(v, k);

		if (!hidden(v, k)) {
			out->line = foldable(v, k) ? run_start(v, k) : k;
			out->sub = (uint32_t)nheaders(v, out->line);
			return 0;
		}
		if (nh > 0) {
			out->line = k;
			out->sub = (uint32_t)nh - 1;
			return 0;
		}
		if (k % ROWS_BLOCK == 0 && all_hidden) {
			out->line = k;
			out->sub = 0;
			return 0;
		}
		if (k == 0)
			return -1;
		if (k % ROWS_BLOCK == 0)
			all_hidden = 1;
		k--;
	}
}

int
rows_first(struct rowview *v, struct rowpos *out)
{
	return scan_forward(v, 0, out);
}

int
rows_last(struct rowview *v, struct rowpos *out)
{
	uint64_t n = doc_lines(v->doc);
	size_t nh = nheaders(v, n);

	if (nh > 0) {
		out->line = n;
		out->sub = (uint32_t)nh - 1;
		return 0;
	}
	if (n == 0)
		return -1;
	return scan_backward(v, n - 1, out);
}

int
rows_get(struct rowview *v, const struct rowpos *p, struct row *r)
{
	const struct doc_header *h;
	size_t nh = doc_headers(v->doc, p->line, &h);

	if (p->sub < nh) {
		memset(r, 0, sizeof *r);
		r->kind = ROW_HEADER;
		r->line = p->line;
		r->hdr = &h[p->sub];
		return 0;
	}
	if (p->sub != nh)
		return -1;
	return content(v, p->line, r);
}

int
rows_next(struct rowview *v, const struct rowpos *p, struct rowpos *out)
{
	size_t nh = nheaders(v, p->line);
	struct row r;
	uint64_t k;

	if (p->sub + 1 < nh) {
		*out = *p;
		out->sub++;
		return 0;
	}
	if (p->sub < nh) {
		/* the last header: the line's own row, if any, comes next */
		if (content(v, p->line, &r) == 0) {
			out->line = p->line;
			out->sub = (uint32_t)nh;
			return 0;
		}
		k = p->line + 1;
	} else if (content(v, p->line, &r) == 0 &&
	    (r.kind == ROW_FOLD || r.kind == ROW_GAP))
		k = r.end;
	else
		k = p->line + 1;
	return scan_forward(v, k, out);
}

int
rows_prev(struct rowview *v, const struct rowpos *p, struct rowpos *out)
{
	if (p->sub > 0) {
		*out = *p;
		out->sub--;
		return 0;
	}
	if (p->line == 0)
		return -1;
	return scan_backward(v, p->line - 1, out);
}

int
rows_find_line(struct rowview *v, uint64_t i, struct rowpos *out)
{
	uint64_t n = doc_lines(v->doc);

	if (i >= n)
		return rows_last(v, out);
	if (!hidden(v, i)) {
		out->line = foldable(v, i) ? run_start(v, i) : i;
		out->sub = (uint32_t)nheaders(v, out->line);
		return 0;
	}
	if (scan_forward(v, i, out) == 0)
		return 0;
	return rows_last(v, out);
}

int
rows_settle(struct rowview *v, struct rowpos *p)
{
	struct row r;

	if (rows_get(v, p, &r) == 0)
		return 0;
	if (p->sub < nheaders(v, p->line) || p->line >= doc_lines(v->doc)) {
		if (rows_last(v, p) == 0)
			return 0;
		return rows_first(v, p);
	}
	if (rows_find_line(v, p->line, p) == 0)
		return 0;
	return rows_first(v, p);
}

int
rows_reveal(struct rowview *v, uint64_t i, struct rowpos *out)
{
	struct row r;

	if (i >= doc_lines(v->doc))
		return rows_last(v, out);
	if (!hidden(v, i) && foldable(v, i)) {
		run_row(v, run_start(v, i), &r);
		rows_open(v, r.line, r.end);
	}
	if (hidden(v, i))
		return rows_find_line(v, i, out);
	out->line = i;
	out->sub = (uint32_t)nheaders(v, i);
	return 0;
}
