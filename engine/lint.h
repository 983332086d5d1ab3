/* lint.h: check the knowledge base the way a reviewer would (kb lint). */
#ifndef SSHD_LINT_H
#define SSHD_LINT_H

#include "kb.h"

/* Samples match, near misses do not, literals are in every sample,
 * templates are well formed, every tree path ends in a leaf with a fix, and
 * every problem has a fixture in fixtures_dir (skipped when NULL). Returns
 * the number of errors; each is one line in errors. */
size_t kb_lint(const struct kb *kb, const char *fixtures_dir,
    struct strv *errors, struct strv *notes);

#endif
