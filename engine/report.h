/* report.h: write a session's diagnosis as text, JSON or Markdown, and
 * print classified log lines. Plain stdio; colour only when asked. */
#ifndef SSHD_REPORT_H
#define SSHD_REPORT_H

#include <stdio.h>

#include "check.h"
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
/* findings (local checks, probe results) are added when not NULL. */
int report_json(FILE *out, struct session *s, const struct report_sources *src,
    const struct findings *findings);
/* Findings alone, as text or as a JSON object {"findings": [...]}. */
void report_findings_text(FILE *out, const struct findings *f, int flags);
int report_findings_json(FILE *out, const struct findings *f);
void report_finding(FILE *out, const struct finding *f, int flags);
int report_markdown(FILE *out, struct session *s, const struct report_sources *src);
/* One classified line: number, side, layer tag, text; noise dimmed. */
void report_line(FILE *out, const struct cline *l, int flags);
/* A folded run of noise: "… 8 lines folded: reason". */
void report_fold(FILE *out, size_t count, const char *reason, int flags);

/* Prints classified lines as they come, folding runs of noise into one
 * line that says how many and why. */
struct report_printer {
	FILE		*out;
	int		 flags;
	size_t		 run;
	char		*reason;
};

void report_printer_line(struct report_printer *p, const struct cline *l);
/* Print a pending fold; call at the end and before other output. */
void report_printer_flush(struct report_printer *p);

#endif
