/* classify.h: one raw log line in, one classified line out.
 *
 * Sanitises the bytes, takes off the prefixes, decides the side (client or
 * server) and runs the KB rules: layer, level, noise, stage events, the
 * problem signatures and symptoms that matched, and the facts captured by
 * named groups. The result is only valid until the next call. */
#ifndef SSHD_CLASSIFY_H
#define SSHD_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "kb.h"
#include "prefix.h"

#define CLINE_MAX_HITS		16
#define CLINE_MAX_FACTS		32
#define CLINE_MAX_EVENTS	4

#define CLINE_NOISE	0x01	/* a noise rule matched */
#define CLINE_CUT	0x02	/* the reader cut an over-long line */
#define CLINE_NOEOL	0x04	/* last line without newline (truncated input) */
#define CLINE_ESCAPED	0x08	/* bytes were made visible */
#define CLINE_KNOWN	0x10	/* at least one rule matched */
#define CLINE_FOREIGN	0x20	/* another program's line in a syslog file */

struct cline_fact {
	uint32_t	 rule;		/* the rule that captured it */
	const char	*name;
	const char	*value;
	int		 append;
};

/* classify_line() sets every field one by one (no memset: it runs on
 * every line): a new field needs its line there. */
struct cline {
	int		 source;	/* index of the input */
	uint64_t	 number;	/* line number in that input */
	uint64_t	 offset;
	char		*text;		/* sanitised line */
	size_t		 len;
	const char	*msg;		/* message within text */
	size_t		 msg_len;
	struct line_prefix px;
	enum side	 side;
	int		 layer;
	int		 level;		/* enum log_level, resolved */
	int		 flags;		/* CLINE_* */
	const char	*noise;		/* reason, when CLINE_NOISE */
	const char	*noise_rule;
	int64_t		 time_ms;	/* parsed or arrival time, -1 */
	size_t		 nevents;
	size_t		 nhits;
	size_t		 nfacts;
	/* nfacts of them: in the classifier, or after the text of a copy (a
	 * batch of copies is read on another thread: the fewer bytes the
	 * better) */
	struct cline_fact *facts;
	/* classify_scan(): the rules whose literals are in the message, for
	 * classify_finish() */
	const uint32_t	*cand;
	size_t		 ncand;
	/* the arrays last: cline_copy() copies only their used part */
	int		 events[CLINE_MAX_EVENTS];
	uint32_t	 hits[CLINE_MAX_HITS];	/* problem/symptom rules */
};

struct classifier;

struct classifier *classifier_new(const struct kb *kb);
void classifier_free(struct classifier *c);
/* Classify raw bytes. side: what the caller knows (SIDE_ANY: guess per line,
 * sticky per source). reader_flags: READER_LINE_* of the line. */
const struct cline *classify_line(struct classifier *c, int source,
    uint64_t number, uint64_t offset, const char *raw, size_t len,
    int reader_flags, enum side side, int64_t arrival_ms);

/* classify_line() in two halves, for two threads: the first sanitises,
 * takes the prefixes off and scans for the rules' literals (the line is
 * complete for another program's line, CLINE_FOREIGN); the second runs
 * the candidate rules on a copy of the line (cline_copy()), filling it in
 * place; its facts are valid until the next line finished with c. Each
 * thread has its own classifier; only one of them finishes lines while the
 * other scans. */
const struct cline *classify_scan(struct classifier *c, int source,
    uint64_t number, uint64_t offset, const char *raw, size_t len,
    int reader_flags, enum side side, int64_t arrival_ms);
void classify_finish(struct classifier *c, struct cline *l, enum side side);

/* Bytes a copy of l needs besides the struct: its facts, candidates, text
 * and fact values; a multiple of the facts' alignment, so copies can
 * follow each other in one block of memory. */
size_t cline_extra(const struct cline *l);
/* Copy l into dst, the rest into mem (cline_extra(l) bytes, aligned as
 * malloc() aligns), so the copy outlives the classifier's next line. */
void cline_copy(struct cline *dst, const struct cline *l, char *mem);

#endif
