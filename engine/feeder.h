/* feeder.h: a whole input through a session, on two threads.
 *
 * A worker thread reads and scans batches of lines (sanitiser, prefixes,
 * the literal prefilter) while the caller finishes them (the candidate
 * rules' patterns) and takes them into the session (attempts, facts,
 * diagnoses): on a machine with two cores a large log goes nearly twice as
 * fast. Lines reach the session, and the callback, in input order; the
 * result is the same as feeding each line with session_feed(). */
#ifndef SSHD_FEEDER_H
#define SSHD_FEEDER_H

#include "classify.h"
#include "reader.h"
#include "session.h"

/* Called on the caller's thread for each line, after the session took it. */
typedef void (*feeder_fn)(void *arg, const struct cline *l);

/* Read r to its end. While it runs, nothing else may classify with the
 * session's KB (its matcher compiles patterns as they get used). Returns -1
 * with errno on a read error, after the lines read before it were taken. */
int feeder_run(struct session *s, int source, enum side side, struct reader *r,
    feeder_fn fn, void *arg);

#endif
