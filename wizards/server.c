/* server.c: on the server, as root: a debug sshd on an alternate port
 * (822 when free, as in the talk), the exact command to run from the
 * caller's machine, optionally a local client against it, both logs, one
 * diagnosis. sshd is killed on every way out. */
#include "wizard_impl.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define READY_MS	10000	/* sshd must listen within this */
#define PORT_FIRST	822
#define PORT_LAST	899

enum { S_START, S_ROOT, S_SPAWN, S_WAIT_READY, S_TELL, S_CLIENT, S_RUNNING,
    S_CONCLUDE };

static const char *const sshd_paths[] = {
	"/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd", NULL
};

static const char *
sshd_path(void)
{
	for (size_t i = 0; sshd_paths[i] != NULL; i++)
		if (access(sshd_paths[i], X_OK) == 0)
			return sshd_paths[i];
	return NULL;
}

/* 1 when nothing listens on the port (on the given address, or any). */
static int
port_free(const char *addr, int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;

	if (fd == -1)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (addr == NULL || inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		sa.sin_addr.s_addr = htonl(INADDR_ANY);
	ok = bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return ok;
}

static int
pick_port(const struct wiz *w)
{
	if (w->p.alt_port > 0)
		return w->p.alt_port;
	for (int p = PORT_FIRST; p <= PORT_LAST; p++)
		if (port_free(w->p.listen, p))
			return p;
	return -1;
}

static int
spawn_sshd(struct wiz *w, struct wiz_event *ev)
{
	struct strv argv = { 0 };
	struct runner *r = wiz_runner(w);
	const char *sshd = sshd_path();

	ev->type = WIZ_INFO;
	if (sshd == NULL) {
		ev->text = "sshd is not installed here (no /usr/sbin/sshd)";
		w->status = 1;
		return -1;
	}
	/* sshd re-executes itself: it needs its absolute path */
	strv_add(&argv, sshd);
	strv_add(&argv, "-ddd");
	strv_add(&argv, "-e");
	strv_addn(&argv, xasprintf("-p%d", w->port));
	if (w->p.sshd_config != NULL) {
		strv_add(&argv, "-f");
		strv_add(&argv, w->p.sshd_config);
	}
	if (w->p.listen != NULL)
		strv_addn(&argv, xasprintf("-oListenAddress=%s", w->p.listen));
	if (r == NULL || (w->server = runner_spawn_server(r, argv.v)) < 0) {
		ev->text = wiz_text(w, "cannot start %s: %s", sshd, strerror(errno));
		w->status = 1;
		strv_free(&argv);
		return -1;
	}
	ev->text = wiz_text(w, "# %s -ddd -e -p %d%s%s%s%s", sshd, w->port,
	    w->p.sshd_config ? " -f " : "", w->p.sshd_config ? w->p.sshd_config : "",
	    w->p.listen ? " -o ListenAddress=" : "", w->p.listen ? w->p.listen : "");
	strv_free(&argv);
	return 0;
}

static int
server_step(struct wiz *w, struct wiz_event *ev)
{
	struct strv argv = { 0 };
	int rc;

	switch (w->state) {
	case S_START:
		w->state = S_ROOT;
		ev->type = WIZ_STEP;
		ev->text = "server: sshd in debug mode on an alternate port";
		return 0;
	case S_ROOT:
		if (geteuid() != 0) {
			findings_add(&w->findings, FIND_ERROR, "server-root", NULL,
			    NULL, "sudo sshdoctor server", "the debug sshd must run as root "
			    "(it reads the host keys and changes to the user)");
			w->status = 1;
			w->state = S_CONCLUDE;
			return wiz_next_finding(w, ev) == 0 ? 0 : -1;
		}
		if ((w->port = pick_port(w)) < 0) {
			ev->type = WIZ_INFO;
			ev->text = "no free port between 822 and 899: give one with -p";
			w->status = 1;
			w->state = S_CONCLUDE;
			return 0;
		}
		w->state = S_SPAWN;
		/* FALLTHROUGH */
	case S_SPAWN:
		w->state = spawn_sshd(w, ev) == 0 ? S_WAIT_READY : S_CONCLUDE;
		if (w->state == S_WAIT_READY)
			w->deadline = runner_now(w->runner) + READY_MS;
		return 0;
	case S_WAIT_READY:
		rc = wiz_pump(w, ev);
		if (rc == 2)
			return 1;
		if (rc == 0) {
			if (w->ready) {
				w->deadline = runner_now(w->runner) +
				    (int64_t)w->p.timeout_s * 1000;
				w->state = S_TELL;
			}
			return 0;
		}
		/* sshd ended (or was stopped) before listening: its log says why */
		w->state = S_CONCLUDE;
		return wiz_conclude(w, ev) == 0 ? 0 : -1;
	case S_TELL:
		w->state = w->p.client_target ? S_CLIENT : S_RUNNING;
		ev->type = WIZ_INFO;
		ev->text = wiz_text(w, "now, from the client machine: ssh -vvv -p %d USER@%s"
		    " (sshd serves this one connection, then exits)", w->port,
		    w->p.listen ? w->p.listen : "THIS-SERVER");
		return 0;
	case S_CLIENT:
		strv_add(&argv, "ssh");
		wiz_client_options(w, &argv);
		strv_addn(&argv, xasprintf("-p%d", w->port));
		strv_add(&argv, "--");
		strv_add(&argv, w->p.client_target);
		strv_add(&argv, w->p.command ? w->p.command : "true");
		w->state = S_RUNNING;
		rc = wiz_start_client(w, &argv, ev);
		strv_free(&argv);
		return 0;
	case S_RUNNING:
		rc = wiz_pump(w, ev);
		if (rc == 0) {
			/* with -d, sshd ends after its one connection */
			return 0;
		}
		if (rc == 2)
			return 1;
		w->state = S_CONCLUDE;
		/* FALLTHROUGH */
	case S_CONCLUDE:
		if (wiz_next_finding(w, ev) == 0)
			return 0;
		if (w->runner == NULL)
			return -1;
		return wiz_conclude(w, ev) == 0 ? 0 : -1;
	}
	return -1;
}

const struct wizard wizard_server = {
	.name = "server",
	.summary = "on the server (root): debug sshd on a spare port, see both sides",
	.step = server_step,
};
