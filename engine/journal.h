/* journal.h: the server's own log of an attempt, when sshdoctor runs on
 * the server itself (not in alternate-port mode): the sshd lines since the
 * attempt began, from $SSHDOCTOR_AUTHLOG when set, else journalctl (the ssh
 * and sshd units), else /var/log/auth.log or /var/log/secure. The session
 * then matches them to the client's attempt by time and client address. */
#ifndef SSHD_JOURNAL_H
#define SSHD_JOURNAL_H

#include <stdint.h>

#include "session.h"

/* Feed the server lines logged since since_ms (wall clock, ms since the
 * epoch) into s as the given source. Returns the lines fed, or -1 when no
 * log could be read; *where (allocated) says what was read or tried. */
long journal_feed(struct session *s, int source, int64_t since_ms, char **where);

#endif
