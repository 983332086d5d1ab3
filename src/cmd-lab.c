/* cmd-lab.c: the embedded lab's command line:
 *   sshdoctor lab --list
 *   sshdoctor lab --batch --break ID [--format text|json]
 *   sshdoctor lab [--batch] reset [--format text|json]
 * The batch form sets the sandbox up broken that way (engine/lab.c), runs
 * the break's wizard (connect, or sftp) against its sshd with sshd's log
 * fed into the same session, prints the diagnosis and removes everything.
 * reset does the same for the working lab ("success") and says whether
 * the login works again. (--listener MODE --port N, not for people: the
 * stand-in for sshd of some breaks, lab_listener_main, run by lab_start;
 * --proxy flip --listen N --to M likewise: lab_proxy_main.) */
#define _GNU_SOURCE 1	/* memmem */
#include "cmd.h"
#include "lab.h"
#include "report.h"
#include "session.h"
#include "tui.h"
#include "wizard.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_BREAK	"success"
#define SETTLE_QUIET_MS	300
#define SETTLE_MAX_MS	3000

static void
lab_usage(FILE *out)
{
	fprintf(out,
	    "usage: sshdoctor lab                (on a terminal: the TUI's screen)\n"
	    "       sshdoctor lab --list\n"
	    "       sshdoctor lab --batch [--break ID] [--format text|json]\n"
	    "                     [--color auto|always|never] [--timeout S]\n"
	    "       sshdoctor lab [--batch] reset [--format text|json]\n\n"
	    "A private sshd on a loopback port inside a sandbox (its own keys,\n"
	    "known_hosts, authorized_keys and config; ~/.ssh and /etc/ssh are never\n"
	    "touched), broken on request; the connect (or sftp) wizard diagnoses\n"
	    "it, and everything is removed on exit. --list shows the breaks offered\n"
	    "here. reset sets the sandbox up unbroken, runs the connect wizard and\n"
	    "says whether the login works again (exit 1 if not).\n"
	    "The breaks are data: lab/breaks.yaml ($SSHDOCTOR_LAB to use another).\n");
}

static struct lab_catalog *
load_catalog(void)
{
	struct strv errors = { 0 };
	const char *path = lab_default_file();
	struct lab_catalog *c = lab_load(path, &errors);

	for (size_t i = 0; c == NULL && i < errors.n && i < 20; i++)
		cmd_error(0, "%s", errors.v[i]);
	if (c == NULL)
		cmd_error(0, "the lab's breaks in %s do not load", path);
	strv_free(&errors);
	return c;
}

static int
lab_list(const struct lab_catalog *c)
{
	size_t left = 0;

	printf("breaks offered here (sshdoctor lab --batch --break ID):\n");
	for (size_t i = 0; i < c->n; i++) {
		const struct lab_break *b = &c->v[i];

		if (lab_unavailable(b) != NULL || b->known_wrong != NULL) {
			left++;
			continue;
		}
		printf("  %-28s %s\n", b->id, b->title);
	}
	if (left > 0) {
		printf("\nnot offered here:\n");
		for (size_t i = 0; i < c->n; i++) {
			const struct lab_break *b = &c->v[i];
			const char *why = lab_unavailable(b);

			if (why == NULL && b->known_wrong == NULL)
				continue;
			printf("  %-28s %s%s\n", b->id, why ? why : "diagnosed wrong: ",
			    why ? "" : b->known_wrong);
		}
	}
	return EXIT_DONE;
}

struct lab_hook {
	struct lab	*lab;
	int64_t		 offset;	/* our runner's clock when the wizard began */
	char		*accepted;	/* sshd's "Accepted publickey" line */
};

/* sshd's lines into the wizard's session, as the server side. */
static void
lab_poll(void *arg, struct wiz *w, struct report_printer *pr, int settle)
{
	struct lab_hook *h = arg;
	struct lab *l = h->lab;
	struct runner_event ev;
	struct reader_line rl;
	int64_t until = runner_now(l->runner) + SETTLE_MAX_MS;

	while (l->server >= 0) {
		int wait = settle ? SETTLE_QUIET_MS : 0;

		if (settle && runner_now(l->runner) >= until)
			break;
		if (runner_next(l->runner, -1, wait, &ev) != 0)
			break;
		switch (ev.type) {
		case RUNNER_LINE:
			memset(&rl, 0, sizeof rl);
			rl.data = ev.data;
			rl.len = ev.len;
			rl.full_len = ev.len;
			rl.number = ev.number;
			if (h->accepted == NULL && memmem(ev.data, ev.len,
			    "Accepted publickey for ", 23) != NULL)
				h->accepted = xstrndup(ev.data, ev.len);
			report_printer_line(pr, session_feed(wiz_session(w), 1,
			    SIDE_SERVER, &rl, ev.ms - h->offset));
			break;
		case RUNNER_EXIT:
			l->server = -1;
			break;
		case RUNNER_SIGNAL:
			wiz_cancel(w);
			l->server = -1;	/* stop polling; runner_free ends sshd */
			break;
		default:
			break;
		}
	}
}

static int
lab_batch(const struct lab_catalog *c, const char *id, int json,
    const char *color, int timeout_s, int reset)
{
	const struct lab_break *b = lab_find(c, id);
	FILE *log = json ? stderr : stdout;
	struct wiz_params p;
	struct live_hook hook;
	struct lab_hook h;
	struct lab l;
	char *why = NULL;
	int rc;

	if (b == NULL)
		return cmd_error(EXIT_USAGE, "lab: no break '%s' (sshdoctor lab --list)", id);
	if (b->known_wrong != NULL)
		fprintf(stderr, "sshdoctor: lab: note: '%s' is known to be diagnosed "
		    "wrong: %s\n", b->id, b->known_wrong);
	if (lab_start(&l, b, &why) != 0) {
		rc = cmd_error(EXIT_RUNTIME, "lab: %s: %s", b->id, why ? why : "?");
		for (size_t i = 0; i < l.server_log.n; i++)
			fprintf(stderr, "  sshd: %s\n", l.server_log.v[i]);
		free(why);
		lab_stop(&l);
		return rc;
	}
	fprintf(log, "== lab: %s (expect %s)\n", b->title, b->expect);
	fprintf(log, "-- sandbox %s; %s; login as %s; the %s wizard\n", l.dir,
	    b->no_server ? "no sshd (nothing listens)" : b->listener ?
	    "no sshd: a listener that misbehaves on 127.0.0.1" : b->proxy ?
	    "sshd -ddd -e on 127.0.0.1 behind a proxy that damages one byte" :
	    "sshd -ddd -e on 127.0.0.1", l.user, b->wizard);
	fprintf(log, "-- port %d\n", l.port);
	fflush(log);

	memset(&p, 0, sizeof p);
	p.host = "127.0.0.1";
	p.port = l.port;
	p.user = l.user;
	p.ssh_args = l.ssh_args;
	p.command = l.command;
	p.batch = 1;
	p.timeout_s = timeout_s;
	p.connect_timeout_s = b->listener && strcmp(b->listener, "timeout") == 0 ? 3 : 5;
	p.file_side = SIDE_ANY;
	h.lab = &l;
	h.offset = runner_now(l.runner);
	h.accepted = NULL;
	hook.poll = lab_poll;
	hook.arg = &h;
	rc = run_live(strcmp(b->wizard, "sftp") == 0 ? &wizard_sftp : &wizard_connect,
	    &p, json, color, &hook);
	lab_stop(&l);
	if (reset && rc == EXIT_DONE) {
		/* sshd's own word that the login went through */
		if (h.accepted != NULL)
			fprintf(json ? stderr : stdout, "lab reset: the sandbox was set "
			    "up unbroken and the login works again (sshd: %s)\n",
			    h.accepted);
		else
			rc = cmd_error(EXIT_RUNTIME, "lab reset: the sandbox was set up "
			    "unbroken, but the login did not work (see the diagnosis)");
	}
	free(h.accepted);
	return rc;
}

static const struct option lab_longopts[] = {
	{ "list", no_argument, NULL, 'l' },
	{ "batch", no_argument, NULL, 'B' },
	{ "break", required_argument, NULL, 'b' },
	{ "format", required_argument, NULL, 'F' },
	{ "color", required_argument, NULL, 'k' },
	{ "timeout", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ "listener", required_argument, NULL, 'L' },	/* lab_start's */
	{ "port", required_argument, NULL, 'P' },
	{ "proxy", required_argument, NULL, 'X' },	/* lab_start's */
	{ "listen", required_argument, NULL, 'I' },
	{ "to", required_argument, NULL, 'T' },
	{ NULL, 0, NULL, 0 }
};

int
cmd_lab(int argc, char **argv)
{
	const char *id = NULL, *color = "auto", *listener = NULL, *proxy = NULL;
	int ch, list = 0, batch = 0, json = 0, timeout_s = 30, rc, port = 0, reset = 0;
	int listen_port = 0, to_port = 0;
	struct lab_catalog *c;
	char *end;

	optind = 1;
	opterr = 0;
again:
	while ((ch = getopt_long(argc, argv, "+h", lab_longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			list = 1;
			break;
		case 'B':
			batch = 1;
			break;
		case 'b':
			id = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cmd_error(EXIT_USAGE, "--format: '%s' is not text or json", optarg);
			break;
		case 'k':
			if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0 &&
			    strcmp(optarg, "never") != 0)
				return cmd_error(EXIT_USAGE, "--color: '%s' is not auto, always or never", optarg);
			color = optarg;
			break;
		case 't':
			timeout_s = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || timeout_s < 1 || timeout_s > 3600)
				return cmd_error(EXIT_USAGE, "--timeout: '%s' is not seconds", optarg);
			break;
		case 'h':
			lab_usage(stdout);
			return EXIT_DONE;
		case 'L':
			listener = optarg;
			break;
		case 'P':
			port = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || port < 1 || port > 65535)
				return cmd_error(EXIT_USAGE, "--port: '%s' is not a port", optarg);
			break;
		case 'X':
			proxy = optarg;
			break;
		case 'I':
		case 'T':
			*(ch == 'I' ? &listen_port : &to_port) = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || strtol(optarg, NULL, 10) < 1 ||
			    strtol(optarg, NULL, 10) > 65535)
				return cmd_error(EXIT_USAGE, "--%s: '%s' is not a port",
				    ch == 'I' ? "listen" : "to", optarg);
			break;
		default:
			lab_usage(stderr);
			return cmd_error(EXIT_USAGE, "lab: unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (listener != NULL) {
		if (port == 0)
			return cmd_error(EXIT_USAGE, "lab --listener: needs --port");
		return lab_listener_main(listener, port);
	}
	if (proxy != NULL) {
		if (listen_port == 0 || to_port == 0)
			return cmd_error(EXIT_USAGE, "lab --proxy: needs --listen and --to");
		return lab_proxy_main(proxy, listen_port, to_port);
	}
	if (optind < argc && strcmp(argv[optind], "reset") == 0) {
		reset = 1;
		/* options may follow: sshdoctor lab reset --format json */
		for (int i = optind + 1; i < argc; i++)
			argv[i - 1] = argv[i];
		argc--;
		goto again;
	}
	if (reset) {
		if (list || id != NULL)
			return cmd_error(EXIT_USAGE, "lab reset: takes neither --list nor --break");
	}
	if (optind < argc)
		return cmd_error(EXIT_USAGE, "lab: unexpected '%s'", argv[optind]);
	if ((c = load_catalog()) == NULL)
		return EXIT_RUNTIME;
	if (list)
		rc = lab_list(c);
	else if (!batch && !reset && !json && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO)) {
		/* on a terminal: the TUI's lab screen (it tears the sandbox
		 * down on every way out) */
		struct tui_start start;
		struct kb *kb;

		lab_free(c);
		if ((kb = cmd_load_kb()) == NULL)
			return EXIT_RUNTIME;
		memset(&start, 0, sizeof start);
		start.screen = TUI_LAB;
		rc = tui_main(kb, &start);
		kb_free(kb);
		return rc;
	} else
		rc = lab_batch(c, reset || id == NULL ? DEFAULT_BREAK : id, json, color,
		    timeout_s, reset);
	lab_free(c);
	return rc;
}
