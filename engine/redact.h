/* redact.h: make a report safe to leave the company.
 *
 * Host names, addresses, user names, key fingerprints and home paths are
 * replaced consistently: the same name always becomes the same token
 * (host-1, addr-1, user-1, SHA256:key-1, /home/user-1), so a reader can
 * still follow the story. The values come from the session's facts and
 * from patterns (IPv4/IPv6 addresses, user@host, fingerprints, home
 * directories). The mapping can be written out separately. */
#ifndef SSHD_REDACT_H
#define SSHD_REDACT_H

#include <stdio.h>

#include "facts.h"

struct redactor;

struct redactor *redact_new(void);
void redact_free(struct redactor *r);
/* Learn the names a log's facts give (host, user, addresses …). */
void redact_learn(struct redactor *r, const struct facts *f);
/* A new string with every known or recognisable name replaced. */
char *redact_text(struct redactor *r, const char *text);
/* "original<TAB>token" lines, for the one who may see them. */
int redact_write_map(const struct redactor *r, FILE *out);

#endif
