/* prefix.h: take the decorations off a log line and remember them.
 *
 * Understood, in this order: a syslog/journal header (BSD "Mon DD HH:MM:SS
 * host prog[pid]: ", ISO 8601 "YYYY-MM-DDTHH:MM:SS[.frac][zone] host
 * prog[pid]: " as journalctl -o short-iso and rsyslog write it, RFC 5424
 * "<PRI>1 TS HOST APP PROCID MSGID SD "), a bare "prog[pid]: ", the level tag
 * ("debug1: ", z/OS "Debug1: "), a z/OS message id ("FOTS1373 "), a function
 * prefix (recorded, not removed) and a trailing " [preauth]" (removed). */
#ifndef SSHD_PREFIX_H
#define SSHD_PREFIX_H

#include <stddef.h>
#include <stdint.h>

enum log_level {
	LEVEL_NONE = 0,		/* untagged: info, error or fatal (OpenSSH puts no tag) */
	LEVEL_DEBUG3,
	LEVEL_DEBUG2,
	LEVEL_DEBUG1,
	LEVEL_VERBOSE,
	LEVEL_INFO,
	LEVEL_ERROR,
	LEVEL_FATAL,
};

#define PREFIX_SYSLOG	0x01	/* had a syslog/journal header */
#define PREFIX_PREAUTH	0x02	/* ended in " [preauth]" */
#define PREFIX_YEAR	0x04	/* the timestamp carried a year */

/* Where a part is in the line parsed: bytes [off, off + len); len is 0
 * when the line has no such part. Offsets, not copies: a classified line
 * is copied between threads, and the fewer bytes it has the better. */
struct lspan {
	uint32_t	 off;
	uint32_t	 len;
};

/* prefix_parse() sets every field one by one: a new one needs its line. */
struct line_prefix {
	size_t		 msg_off;	/* message start in the line */
	size_t		 msg_len;	/* message length (no [preauth]) */
	size_t		 func_len;	/* "func: " length at msg start, 0 if none */
	enum log_level	 level;
	int		 flags;		/* PREFIX_* */
	int64_t		 time_ms;	/* ms since the epoch (year guessed if absent), -1 */
	long		 pid;		/* -1 when none */
	struct lspan	 host;
	struct lspan	 prog;		/* "sshd", "sshd-session", "ssh", … */
	struct lspan	 zos_id;	/* "FOTS1373" */
};

struct prefix_parser;

struct prefix_parser *prefix_parser_new(void);
void prefix_parser_free(struct prefix_parser *pp);
/* Parse one sanitised line. Never fails: an unknown line is all message. */
void prefix_parse(struct prefix_parser *pp, const char *line, size_t len,
    struct line_prefix *out);
const char *prefix_level_name(enum log_level level);
/* Parse a --since value ("2026-11-24 10:00[:00]", "Nov 24 10:00[:00]",
 * "10:00"); -1 when it is not one of these. */
int64_t prefix_parse_time(const char *s);

#endif
