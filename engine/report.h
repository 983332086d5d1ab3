/* report.h: write a session's diagnosis as text, JSON or Markdown, and
 * print classified log lines. Plain stdio; colour only when asked. */
#ifndef SSHD_REPORT_H
#define SSHD_REPORT_H

#include <stdio.h>

#include "classify.h"
#include "session.h"

#define REPORT_COLOR	0x1	/* ANSI colours (a tty without NO_COLOR) */
#define REPORT_ALL	0x2	/* text: also list every failing connection */

/* Names of the inputs, by source index, for evidence lines ("client.log"). */
struct report_sources {
	const char	**names;
	size_t		  n;
};

int report_text(FILE *out, struct session *s, const struct report_sources *src,
    int flags);
int report_json(FILE *out, struct session *s, const struct report_sources *src);
int report_markdown(FILE *out, struct session *s, const struct report_sources *src);
/* One classified line: number, side, layer tag, text; noise dimmed. */
void report_line(FILE *out, const struct cline *l, int flags);
/* A folded run of noise: "… 8 lines folded: reason". */
void report_fold(FILE *out, size_t count, const char *reason, int flags);

#endif
