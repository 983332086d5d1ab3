/* template.h: fill "{fact|filter}" templates from facts.
 *
 * A missing fact is written "<fact>" so the reader sees what to put there.
 * Filters: first, lower, upper, shquote, ascii, ebcdic, hex (the last three
 * read a decimal 32-bit length word as four bytes). */
#ifndef SSHD_TEMPLATE_H
#define SSHD_TEMPLATE_H

#include "facts.h"

char *template_render(const char *tmpl, const struct facts *f);
/* 0 when every {name} and filter is well formed; else -1 and a reason. */
int template_check(const char *tmpl, char **why);
/* The four bytes of a decimal length word as text: ASCII or EBCDIC. */
char *template_decode_word(const char *decimal, int ebcdic);

#endif
