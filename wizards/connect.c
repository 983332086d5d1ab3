/* connect.c: client-side debug of user@host:port: an optional libssh
 * probe, then ssh -vvv streamed and classified, the diagnosis, and the
 * decision tree's questions until a fix or an honest "collect this". */
#include "wizard_impl.h"
#include "journal.h"
#include "probe.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define JOURNAL_SLACK_MS	5000	/* clocks and syslog seconds are coarse */

enum { C_START, C_PROBE, C_FINDINGS, C_RUN, C_RUNNING, C_JOURNAL, C_CONCLUDE };

/* The client reached this very machine: the server's own log is here. */
static int
target_is_local(const struct wiz *w, const char **addr)
{
	const struct conn *c = session_client(w->session);

	*addr = c != NULL ? facts_get(&c->facts, "addr") : NULL;
	return *addr != NULL && (strncmp(*addr, "127.", 4) == 0 ||
	    strcmp(*addr, "::1") == 0);
}

/* The probe's answers as findings, so every front end shows them alike. */
static void
probe_findings(struct wiz *w)
{
	struct probe_opts o;
	struct probe_result pr;

	memset(&o, 0, sizeof o);
	o.host = w->p.host;
	o.port = w->p.port;
	o.user = w->p.user;
	o.timeout_s = w->p.connect_timeout_s;
	memset(&pr, 0, sizeof pr);
	if (probe_run(&o, &pr) != 0 || !pr.connected) {
		findings_add(&w->findings, FIND_WARN, "probe", NULL, NULL, NULL,
		    "probe: %s", pr.error ? pr.error : "no SSH server answered");
		probe_result_free(&pr);
		return;
	}
	findings_add(&w->findings, FIND_OK, "probe-banner", NULL, NULL, NULL,
	    "probe: %s answers: %s", w->p.host, pr.banner ? pr.banner : "?");
	if (pr.kex != NULL)
		findings_add(&w->findings, FIND_INFO, "probe-algorithms", NULL, NULL,
		    NULL, "probe: kex %s, cipher %s, MAC %s", pr.kex,
		    pr.cipher_c2s ? pr.cipher_c2s : "?", pr.mac_c2s ? pr.mac_c2s : "?");
	if (pr.fingerprint != NULL)
		findings_add(&w->findings,
		    pr.known_hosts == PROBE_KH_CHANGED ? FIND_ERROR :
		    pr.known_hosts == PROBE_KH_OK ? FIND_OK : FIND_INFO,
		    "probe-hostkey", pr.known_hosts == PROBE_KH_CHANGED ?
		    "hostkey-changed" : NULL, NULL, NULL,
		    "probe: host key %s %s, known_hosts: %s",
		    pr.hostkey_type ? pr.hostkey_type : "?", pr.fingerprint,
		    probe_kh_name(pr.known_hosts));
	if (pr.auth_methods != NULL)
		findings_add(&w->findings, FIND_INFO, "probe-auth", NULL, NULL, NULL,
		    "probe: the server offers %s", pr.auth_methods);
	probe_result_free(&pr);
}

static void
client_argv(struct wiz *w, struct strv *argv)
{
	char *target = wiz_target(w);

	strv_add(argv, "ssh");
	wiz_client_options(w, argv);
	if (w->p.port > 0)
		strv_addn(argv, xasprintf("-p%d", w->p.port));
	strv_add(argv, "--");
	strv_addn(argv, target);
	strv_add(argv, w->p.command ? w->p.command : "true");
}

static int
connect_step(struct wiz *w, struct wiz_event *ev)
{
	struct strv argv = { 0 };
	int rc;

	switch (w->state) {
	case C_START:
		w->state = w->p.probe ? C_PROBE : C_RUN;
		ev->type = WIZ_STEP;
		ev->text = wiz_text(w, "connect: %s%s%s port %d", w->p.user ?
		    w->p.user : "", w->p.user ? "@" : "", w->p.host,
		    w->p.port > 0 ? w->p.port : 22);
		return 0;
	case C_PROBE:
		probe_findings(w);
		w->state = C_FINDINGS;
		ev->type = WIZ_STEP;
		ev->text = "probe (libssh, no ssh binary)";
		return 0;
	case C_FINDINGS:
		if (wiz_next_finding(w, ev) == 0)
			return 0;
		w->state = C_RUN;
		/* FALLTHROUGH */
	case C_RUN:
		client_argv(w, &argv);
		w->state = C_RUNNING;
		rc = wiz_start_client(w, &argv, ev);
		strv_free(&argv);
		if (rc < 0)
			w->state = C_CONCLUDE;
		return 0;
	case C_RUNNING:
		rc = wiz_pump(w, ev);
		if (rc == 0)
			return 0;
		if (rc == 2)
			return 1;
		w->state = rc < 0 ? C_CONCLUDE : C_JOURNAL;
		if (rc < 0)
			return 0;
		/* FALLTHROUGH */
	case C_JOURNAL:
		w->state = C_CONCLUDE;
		if (w->p.journal) {
			const char *addr;
			char *where = NULL;
			long n;

			if (!target_is_local(w, &addr))
				return connect_step(w, ev);
			n = journal_feed(w->session, w->server_source,
			    w->wall_start - JOURNAL_SLACK_MS, &where);
			if (n >= 0)
				session_set_filters(w->session, addr,
				    w->wall_start - JOURNAL_SLACK_MS);
			ev->type = WIZ_INFO;
			ev->text = n >= 0 ? wiz_text(w, "the server's log: %ld lines from %s",
			    n, where) : wiz_text(w, "the server's log could not be read "
			    "(tried %s)", where);
			free(where);
			return 0;
		}
		/* FALLTHROUGH */
	case C_CONCLUDE:
		return wiz_conclude(w, ev) == 0 ? 0 : -1;
	}
	return -1;
}

const struct wizard wizard_connect = {
	.name = "connect",
	.summary = "ssh to a host fails: run ssh -vvv against it and find out why",
	.step = connect_step,
};
