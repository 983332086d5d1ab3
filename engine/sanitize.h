/* sanitize.h: turn untrusted log bytes into text safe for any terminal.
 *
 * The result is valid UTF-8 with no control characters: ESC becomes "\e",
 * other C0/C1 controls, DEL, NUL and bytes of invalid UTF-8 become "\xNN",
 * a TAB becomes a space, and the bidirectional overrides that can make a
 * line read differently than it is (U+202A-U+202E, U+2066-U+2069) become
 * "\u{NNNN}". Printable text, ASCII or UTF-8, is kept as it is. */
#ifndef SSHD_SANITIZE_H
#define SSHD_SANITIZE_H

#include <stddef.h>

#include "util.h"

/* Append the sanitised form of data to out; returns how many bytes were
 * changed (0: the line was clean and copied as is). */
size_t sanitize_append(struct buf *out, const char *data, size_t len);
/* 1 when the bytes need no change at all (fast check). */
int sanitize_is_clean(const char *data, size_t len);
/* Sanitise a NUL-terminated string into a new allocation. */
char *sanitize_str(const char *s);

#endif
