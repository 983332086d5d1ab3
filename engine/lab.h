/* lab.h: the embedded lab: a private sshd on loopback inside a sandbox,
 * broken on request in one of the ways lab/breaks.yaml describes.
 *
 * The sandbox is the runner's private 0700 temporary directory (removed,
 * and sshd killed, on every exit, even kill -9, by the runner's watchdog).
 * It holds generated host keys, the client's keys, its own known_hosts,
 * authorized_keys and sshd_config; the operator's ~/.ssh and /etc/ssh are
 * never read or written. No shell is ever used. */
#ifndef SSHD_LAB_H
#define SSHD_LAB_H

#include <stddef.h>

#include "runner.h"
#include "util.h"

struct lab_break {
	char		*id;		/* the break's name (usually a catalog id) */
	char		*title;
	char		*expect;	/* the catalog id it must produce, or "ok" */
	struct strv	 sshd_config;	/* lines placed before the base lines */
	struct strv	 ssh_options;	/* client arguments, before the base ones */
	char		*user;		/* NULL: the operator's own account */
	char		*key;		/* the client key offered (-i), "none" */
	struct strv	 authorized;	/* key names in authorized_keys */
	char		*known_hosts;	/* "ok", "empty" or "changed" */
	struct strv	 keys;		/* extra client keys: "NAME TYPE" */
	struct strv	 chmod;		/* "PATH MODE", PATH inside the sandbox */
	int		 needs_root;
	int		 no_server;	/* nothing listens (tcp-refused) */
	char		*wizard;	/* "connect" (default) or "sftp" */
	char		*listener;	/* instead of sshd: "reset", "timeout",
					 * "http" (lab_listener_main) */
	char		*known_wrong;	/* why the diagnosis is wrong, or NULL */
	char		*proxy;		/* "flip": the client goes through a
					 * proxy of ours (lab_proxy_main) */
	char		*command;	/* the remote command (wiz_params.command) */
	int		 test_user;	/* log in as a temporary user of our own */
	char		*bashrc;	/* that user's ~/.bashrc */
	char		*file;
	int		 line;
};

struct lab_catalog {
	struct lab_break *v;
	size_t		 n;
};

/* The breaks file: $SSHDOCTOR_LAB, or lab/breaks.yaml beside the KB. */
const char *lab_default_file(void);
/* Load and check the breaks; on failure NULL with "file:line: why" lines. */
struct lab_catalog *lab_load(const char *path, struct strv *errors);
void lab_free(struct lab_catalog *c);
const struct lab_break *lab_find(const struct lab_catalog *c, const char *id);
/* NULL when the break can be set up here, else why not. */
const char *lab_unavailable(const struct lab_break *b);

struct lab {
	struct runner	*runner;	/* owns the sandbox and sshd */
	const char	*dir;		/* the sandbox */
	int		 port;
	int		 server;	/* runner child index, or -1 */
	int		 proxy;		/* the proxy's child index, or -1 */
	int		 sshd_port;	/* sshd's own port (behind the proxy) */
	char		*user;
	char		*test_user;	/* a temporary account we made, or NULL */
	const char	*command;	/* the break's remote command, or NULL */
	struct strv	 ssh_args;	/* for the client (wiz_params.ssh_args) */
	struct strv	 server_log;	/* sshd's lines before it listened */
};

/* Make the sandbox, set it up broken that way and start sshd (-ddd -e,
 * one connection). 0, or -1 with *why (owned) said. */
int lab_start(struct lab *l, const struct lab_break *b, char **why);
/* Kill sshd, remove the sandbox. */
void lab_stop(struct lab *l);

/* The stand-in for sshd of a break with a listener, run by lab_start as
 * "/proc/self/exe lab --listener MODE --port N" under the runner (so its
 * watchdog kills it): accepts on 127.0.0.1:PORT and, per connection,
 * "reset" closes with an RST, "timeout" never says anything, "http"
 * answers an HTTP 400. Says "Server listening on" when ready; returns
 * only on an error (an exit code). */
int lab_listener_main(const char *mode, int port);

/* The proxy between the client and sshd of a break with "proxy: flip",
 * run by lab_start as "/proc/self/exe lab --proxy flip --listen PORT --to
 * PORT2" under the runner: forwards each connection on 127.0.0.1:PORT to
 * 127.0.0.1:PORT2 both ways, and inverts one byte of the server-to-client
 * stream after LAB_FLIP_AFTER bytes. Says "Server listening on" when
 * ready; returns only on an error (an exit code). */
#define LAB_FLIP_AFTER	200000
int lab_proxy_main(const char *mode, int listen_port, int to_port);

/* The GECOS tag of the temporary accounts of the lab. */
#define LAB_USER_TAG	"sshdoctor-lab"

#endif
