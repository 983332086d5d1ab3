/* session.h: the model of what happened, built line by line.
 *
 * A session takes classified lines from any number of inputs (a client
 * log, a server log, a live ssh or sshd) and groups them into connection
 * attempts: the client's lines form one attempt; a server log is split per
 * sshd pid (syslog, journal) or per "Connection from" (sshd -e). Each attempt
 * keeps its stage ladder per side, its facts and the lines that matched a
 * problem or a symptom. Finished attempts are diagnosed and counted at once
 * and freed, so a 1 GB auth.log needs little memory; the latest attempt that
 * matches the filters is kept whole for the report. */
#ifndef SSHD_SESSION_H
#define SSHD_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "facts.h"
#include "kb.h"
#include "reader.h"

#define CONN_SIDES	3	/* indexed by enum side: any, client, server */

struct conn_hit {
	uint32_t	 rule;
	int		 in_context;	/* the rule's 'after' event had been seen */
	enum side	 side;
	int		 source;
	uint64_t	 line;
	int64_t		 time_ms;
	char		*text;		/* a hit's in the attempt's arena; an
					 * error's or pause's its own */
};

struct stage_track {
	int		 started;
	int		 ok;
	int64_t		 t_start;
	int64_t		 t_ok;
};

struct conn {
	struct arena	 arena;		/* fact and hit texts */
	long		 pid;
	long		 alias[4];	/* other pids of the same connection */
	size_t		 nalias;
	struct facts	 facts;
	struct conn_hit	*hits;
	size_t		 nhits;
	size_t		 hits_cap;
	struct conn_hit	 errors[4];	/* last error lines, for context */
	size_t		 nerrors;
	struct stage_track ladder[CONN_SIDES][STAGE_COUNT];
	uint64_t	 lines[CONN_SIDES];
	uint64_t	 noise;
	int64_t		 t_first;
	int64_t		 t_last;
	int64_t		 t_prev[CONN_SIDES];
	int64_t		 t_signal[CONN_SIDES];	/* last line that was not noise */
	uint64_t	 seq_first;	/* session-wide line sequence */
	uint64_t	 seq_last;
	int		 connected;	/* a connection start was seen */
	int		 ended;
	uint64_t	 ended_seq;
	int64_t		 gap_ms[CONN_SIDES];	/* longest pause before login, per side */
	int		 gap_stage[CONN_SIDES];
	struct conn_hit	 gap_line[CONN_SIDES];	/* the line before that pause */
	int		 stage_now[CONN_SIDES];	/* last stage started per side */
	char		 prev_text[CONN_SIDES][256];	/* last timed line */
	uint64_t	 prev_line[CONN_SIDES];
	struct conn	*lru_prev;	/* the session's list of open attempts */
	struct conn	*lru_next;
	uint64_t	 peer_key;
	int		 peer_indexed;
	unsigned	 wait_seen[CONN_SIDES];	/* session wait count last applied */
};

struct index_entry;
struct conn_index {
	struct index_entry **buckets;
	size_t		 nbuckets;
	size_t		 n;
	struct index_entry *spare;	/* deleted entries, for reuse */
};

struct session_opts {
	const char	*user;		/* --user */
	const char	*from;		/* --from */
	int64_t		 since_ms;	/* --since, -1 when unset */
	size_t		 limit;		/* --limit (0: 50) */
	struct strv	 answers;	/* KEY=VALUE tree answers */
};

struct conn_record {
	struct arena	 arena;		/* its strings */
	long		 pid;
	char		*from;
	char		*port;
	char		*user;
	int64_t		 time_ms;
	int		 verdict;	/* enum verdict */
	const char	*problem;	/* id (the KB's), or NULL */
	uint64_t	 seq;
};

struct summary_entry {
	char		*key;		/* problem id, "ok" or "inconclusive" */
	uint64_t	 count;
};

struct session;
struct diagnosis;

struct session *session_new(const struct kb *kb, const struct session_opts *o);
void session_free(struct session *s);

/* Classify and take in one line. The returned line is valid until the next
 * call (front ends print or store it). */
const struct cline *session_feed(struct session *s, int source, enum side side,
    const struct reader_line *rl, int64_t arrival_ms);
/* Finish a line scanned elsewhere (classify_scan() on another thread,
 * feeder.h) with the session's classifier, and take it in. side: what the
 * scan was told. */
void session_take_scanned(struct session *s, struct cline *l, enum side side);
/* Feed a whole input; returns -1 with errno on a read error. */
int session_feed_reader(struct session *s, int source, enum side side,
    struct reader *r);
/* End of input: close every attempt, merge the client's with the server's. */
void session_finish(struct session *s);

/* The client's attempt so far (NULL before a client line). */
const struct conn *session_client(const struct session *s);
/* After finish: the attempt the report is about (NULL if none). */
const struct conn *session_result(const struct session *s);
/* Narrow, before session_finish(), the server attempts the client's joins:
 * from this address (NULL: any) and still active since since_ms (-1: any). */
void session_set_filters(struct session *s, const char *from, int64_t since_ms);
/* A person is answering a prompt: the pause until the next line is theirs,
 * not a slow stage. */
void session_mark_wait(struct session *s);
/* Add a KEY=VALUE answer for the decision tree; the diagnosis is redone. */
void session_answer(struct session *s, const char *key_value);
/* Its diagnosis, made once and cached. */
const struct diagnosis *session_diagnosis(struct session *s);
/* Server attempts seen (that passed the filters, and in all). */
uint64_t session_conn_count(const struct session *s, int matching);
const struct summary_entry *session_summary(const struct session *s, size_t *n);
/* Failing attempts, newest first, at most limit. */
const struct conn_record *session_failures(const struct session *s, size_t *n);
uint64_t session_lines(const struct session *s, enum side side);
uint64_t session_noise(const struct session *s);
const struct kb *session_kb(const struct session *s);
const struct session_opts *session_opts(const struct session *s);


#endif
