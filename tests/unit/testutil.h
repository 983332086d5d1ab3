/* testutil.h: what the unit tests share: the KB, running an analysis
 * in-process, reading files. */
#ifndef SSHD_TESTUTIL_H
#define SSHD_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "diagnose.h"
#include "kb.h"
#include "session.h"

/* The repository's kb/ (aborts the test if it does not load). */
struct kb *tu_kb(void);

/* One input of an analysis. */
struct tu_input {
	const char	*path;
	enum side	 side;
};

/* Analyse files as `sshdoctor analyze` does; the session is finished. */
struct session *tu_analyze(const struct kb *kb, const struct tu_input *in,
    size_t n, const struct session_opts *opts);
/* Analyse text held in memory as one input of the given side. */
struct session *tu_analyze_text(const struct kb *kb, const char *text,
    size_t len, enum side side);
/* Whole file into memory (NUL-terminated); NULL if unreadable. */
char *tu_read_file(const char *path, size_t *len);
/* Run a shell command line, capture stdout; returns the exit status. */
int tu_run(const char *cmdline, char **out);

#endif
