/* view-ladder.h: the stage ladder, tcp > version > kex > hostkey > auth >
 * conn > sftp, with each stage's status and duration. While a run streams
 * it is built from the lines' stage events; once there is a diagnosis its
 * stages replace that. Each status has a glyph and a word, so the ladder
 * reads the same without colour. */
#ifndef SSHD_TUI_VIEW_LADDER_H
#define SSHD_TUI_VIEW_LADDER_H

#include <stdint.h>

#include "classify.h"
#include "diagnose.h"
#include "layout.h"

enum ladder_state { LS_NOT_REACHED = 0, LS_RUNNING, LS_OK, LS_FAILED, LS_SKIPPED };

struct ladder {
	int		 state[STAGE_COUNT];
	int64_t		 t_start[STAGE_COUNT];
	int64_t		 ms[STAGE_COUNT];	/* -1 unknown */
	int		 final;			/* from a diagnosis */
};

void ladder_reset(struct ladder *l);
/* A line of a live run (its events and time). */
void ladder_line(struct ladder *l, const struct cline *c);
void ladder_diag(struct ladder *l, const struct diagnosis *d);
/* The run ended without a diagnosis: what was under way failed. */
void ladder_end(struct ladder *l);
void ladder_draw(const struct ladder *l, const struct rect *r);

#endif
