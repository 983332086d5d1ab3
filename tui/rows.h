/* rows.h: what a log pane shows, row by row, computed where it is needed.
 *
 * A document's lines become rows through three view choices: layers can
 * be hidden (their lines vanish), noise can be folded (a run of noise
 * lines becomes one row that says how many and why; an opened run shows
 * its lines again), and the stage headers sit between the lines. Nothing
 * is computed for the whole document: rows are walked forward and
 * backward from a position, and no walk looks beyond a block of
 * ROWS_BLOCK lines (a run never crosses a block; a block whose lines are
 * all hidden becomes one row), so a 1 GB file scrolls as fast as a small
 * one. */
#ifndef SSHD_TUI_ROWS_H
#define SSHD_TUI_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"

#define ROWS_BLOCK	8192

struct span {
	uint64_t	 from;
	uint64_t	 to;		/* one past the last */
};

struct rowview {
	struct doc	*doc;
	unsigned	 hidden;	/* bit per layer */
	int		 fold;		/* fold the noise */
	struct span	*open;		/* opened runs, sorted, disjoint */
	size_t		 nopen;
	size_t		 capopen;
};

enum row_kind { ROW_HEADER, ROW_LINE, ROW_FOLD, ROW_GAP };

/* A row: the headers before line `line` are sub 0..n-1, the line (or the
 * fold or gap starting there) is sub n. */
struct rowpos {
	uint64_t	 line;
	uint32_t	 sub;
};

struct row {
	enum row_kind	 kind;
	uint64_t	 line;
	uint64_t	 end;		/* FOLD, GAP: one past the last line */
	uint64_t	 count;		/* FOLD: noise lines; GAP: hidden lines */
	const char	*reason;	/* FOLD: why the first line is noise */
	int		 reasons;	/* FOLD: how many different reasons */
	const struct doc_header *hdr;
	int		 opened;	/* LINE: noise shown from an opened run */
};

void rows_free(struct rowview *v);
int rows_first(struct rowview *v, struct rowpos *out);
int rows_last(struct rowview *v, struct rowpos *out);
/* 0 with the neighbouring row, -1 at an end. */
int rows_next(struct rowview *v, const struct rowpos *p, struct rowpos *out);
int rows_prev(struct rowview *v, const struct rowpos *p, struct rowpos *out);
/* 0 when p is a row (filled in), -1 when it is not (any more). */
int rows_get(struct rowview *v, const struct rowpos *p, struct row *r);
/* Move p to a row: itself, the row showing its line, or a neighbour. */
int rows_settle(struct rowview *v, struct rowpos *p);
/* The row that shows line i (its fold, or the next visible row). */
int rows_find_line(struct rowview *v, uint64_t i, struct rowpos *out);
/* Like rows_find_line, but a folded line's run is opened to show it. */
int rows_reveal(struct rowview *v, uint64_t i, struct rowpos *out);
int rows_cmp(const struct rowpos *a, const struct rowpos *b);
/* Is line i visible under the layer filter (notes always are)? */
int rows_line_shown(struct rowview *v, uint64_t i);

/* Open the run [from, to), close the run holding line i. */
void rows_open(struct rowview *v, uint64_t from, uint64_t to);
int rows_close(struct rowview *v, uint64_t i);
int rows_is_open(const struct rowview *v, uint64_t i);

#endif
