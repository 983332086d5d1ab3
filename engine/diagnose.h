/* diagnose.h: from one connection attempt to a verdict.
 *
 * A decisive signature names the problem (the heaviest wins; problems of
 * the stages before a login that then succeeded become warnings). Without
 * one, a symptom starts a walk of the decision tree: facts and given answers
 * move it on; where neither does, the verdict is inconclusive, with the
 * problems still possible and what to collect next. Fix text and commands
 * are filled from the facts. */
#ifndef SSHD_DIAGNOSE_H
#define SSHD_DIAGNOSE_H

#include <stdint.h>

#include "facts.h"
#include "kb.h"
#include "session.h"

enum verdict { VERDICT_OK = 0, VERDICT_PROBLEM, VERDICT_INCONCLUSIVE };

enum stage_status {
	STATUS_NOT_REACHED = 0, STATUS_OK, STATUS_FAILED, STATUS_SKIPPED
};

struct evidence {
	enum side	 side;
	int		 source;
	uint64_t	 line;
	char		*text;
};

struct alternative {
	const struct kb_problem *problem;
	char		*why;
};

struct stage_result {
	int		 status;	/* enum stage_status */
	int64_t		 ms;		/* duration, -1 when unknown */
};

struct diagnosis {
	enum verdict	 verdict;
	const struct kb_problem *problem;
	const char	*stage;		/* where it shows: the problem's stage word,
					 * or for slow-login the slow stage */
	const struct kb_symptom *symptom;
	char		*headline;	/* one line for a summary or a ticket */
	struct evidence	*evidence;
	size_t		 nevidence;
	char		*explanation;
	struct strv	 fix;
	struct strv	 commands;
	struct alternative *alts;
	size_t		 nalts;
	struct strv	 next;
	const struct kb_node *question;	/* the tree question left open, or NULL */
	struct strv	 warnings;
	struct stage_result stages[STAGE_COUNT];
	int		 failed_stage;	/* or -1 */
	struct facts	 facts;		/* the attempt's facts and derived ones */
	uint64_t	 lines[CONN_SIDES];
	uint64_t	 noise;
	int		 flags;		/* DIAGNOSE_* */
};

struct diagnosis *diagnose(const struct kb *kb, const struct conn *c,
    const struct strv *answers);
/* Only the verdict, the problem and the ladder: no text is rendered, no
 * evidence, warnings, alternatives or next steps are collected (for
 * counting the many attempts of a large server log). */
#define DIAGNOSE_BRIEF	0x1
struct diagnosis *diagnose_flags(const struct kb *kb, const struct conn *c,
    const struct strv *answers, int flags);
void diagnosis_free(struct diagnosis *d);

const char *verdict_name(enum verdict v);
const char *stage_status_name(int status);

#endif
