/* check.h: local checks, each finding with a severity and a fix.
 *
 * The talk's file-mode table (home, ~/.ssh, keys, authorized_keys,
 * known_hosts), sshd's StrictModes walk up to /, keys present and their
 * types, known_hosts entries for a host, `ssh -G` for the client's
 * effective configuration and, on a server, `sshd -T` (Subsystem path,
 * AllowUsers/AllowGroups/DenyUsers/DenyGroups, PermitRootLogin, host keys
 * readable, privilege separation directory). Nothing here changes a file:
 * fixes are commands for the operator to run. */
#ifndef SSHD_CHECK_H
#define SSHD_CHECK_H

#include <stddef.h>
#include <sys/types.h>

#include "facts.h"

enum finding_severity { FIND_OK = 0, FIND_INFO, FIND_WARN, FIND_ERROR };

struct finding {
	enum finding_severity sev;
	char		*id;		/* short stable key: "mode-ssh-dir", "sshd-subsystem" */
	char		*problem;	/* the KB problem it would cause, or NULL */
	char		*path;		/* the file concerned, or NULL */
	char		*text;		/* one line: what is wrong (or right) */
	char		*fix;		/* a command or config line, or NULL */
};

struct findings {
	struct finding	*v;
	size_t		 n;
};

void findings_add(struct findings *f, enum finding_severity sev, const char *id,
    const char *problem, const char *path, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void findings_free(struct findings *f);
const char *finding_severity_name(enum finding_severity sev);
/* The worst severity present. */
enum finding_severity findings_worst(const struct findings *f);

/* The user's client files under home (the talk's mode table, owned by uid):
 * home, ~/.ssh, private keys, public keys, authorized_keys, known_hosts,
 * config. */
void check_client_files(const char *home, uid_t uid, struct findings *out);
/* One private key file (an IdentityFile ssh -G names, say): owned by
 * uid and mode 600 or stricter, not PuTTY's format nor CRLF line ends;
 * listed with its type (DSA: a warning). */
void check_private_key(const char *path, uid_t uid, struct findings *out);
/* sshd's StrictModes walk for one file (authorized_keys): the file, then
 * every directory up to / must be owned by uid or root and not writable by
 * group or others (the home itself: as sshd checks it). */
void check_strict_modes(const char *file, uid_t uid, const char *home,
    struct findings *out);
/* known_hosts entries for host[:port] in the user's files (ssh-keygen -F). */
void check_known_hosts(const char *home, const char *host, int port,
    struct findings *out);
/* `ssh -G [-p port] target`: the effective client options into cfg
 * (lower-case keys as ssh -G prints them); findings for surprising ones
 * (e.g. a Ciphers or MACs list without any modern algorithm). 0 or -1. */
int check_ssh_config(const char *target, int port, struct facts *cfg,
    struct findings *out);
/* The same with `ssh -G -F config` (NULL: the usual files). ssh finds
 * ~/.ssh/config through the passwd entry of the user it runs as, not
 * $HOME, so this is how another file is tested. cfg should start empty:
 * a keyword ssh prints on several lines (identityfile) becomes a list. */
int check_ssh_config_file(const char *config, const char *target, int port,
    struct facts *cfg, struct findings *out);
/* `sshd -T [-f config]` (needs root): the effective server options into
 * cfg and findings: Subsystem sftp path exists and is executable,
 * AllowUsers/AllowGroups/DenyUsers/DenyGroups that exclude user (if given),
 * PermitRootLogin for root, host keys present and readable, the privilege
 * separation directory. 0 or -1 (sshd missing, not root: a finding says). */
int check_sshd_config(const char *config, const char *user, struct facts *cfg,
    struct findings *out);
/* Everything that applies to a user on this machine (client and, when
 * root and sshd is installed, server side). */
void check_all(const char *user, struct findings *out);

#endif
