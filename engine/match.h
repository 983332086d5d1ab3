/* match.h: find which KB rules match a line, fast.
 *
 * One Aho-Corasick pass over the message finds every rule literal in it
 * (case-folded, over a reduced byte alphabet); only the rules whose literal
 * was seen, plus the few without one, run their PCRE2 (JIT) pattern. */
#ifndef SSHD_MATCH_H
#define SSHD_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "kb.h"

struct matcher;
struct match_scratch;

struct matcher *matcher_new(const struct kb *kb);
void matcher_free(struct matcher *m);

struct match_scratch *match_scratch_new(const struct kb *kb);
void match_scratch_free(struct match_scratch *s);

/* Called for each matching rule in KB order; ovector is PCRE2's, valid
 * during the call. Return non-zero to stop. */
typedef int (*match_fn)(void *arg, const struct kb_rule *rule,
    const char *msg, const size_t *ovector);

/* Run the rules for one message; side limits the rules tried (SIDE_ANY: all).
 * Returns the number of rules that matched. The prefilter of a side is
 * built at its first line, and a rule that has run often is JIT-compiled
 * here, so the KB's matcher serves one thread at a time. */
size_t match_line(const struct kb *kb, struct match_scratch *s,
    const char *msg, size_t len, enum side side, match_fn fn, void *arg);

/* match_line() in two halves, which may run on two threads (the first
 * builds the side's prefilter, the second JIT-compiles): the rules whose
 * literals are in the message (in KB order, valid until the next scan
 * with s), then the PCRE2 patterns of those candidates. */
size_t match_scan(const struct kb *kb, struct match_scratch *s,
    const char *msg, size_t len, enum side side, const uint32_t **cand);
size_t match_candidates(const struct kb *kb, struct match_scratch *s,
    const char *msg, size_t len, enum side side, const uint32_t *cand,
    size_t ncand, match_fn fn, void *arg);

/* Run one rule's pattern alone (kb lint). 1 match, 0 no match. */
int match_rule(const struct kb_rule *rule, const char *msg, size_t len);

/* The literals a line must contain for the pattern to match: the longest
 * plain run of each top-level alternative (lower-cased), or none. */
void match_literals_from_pattern(const char *pattern, struct strv *out);

#endif
