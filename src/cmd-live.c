/* cmd-live.c: the batch front end of the live wizards:
 *   sshdoctor connect --batch [user@]host [-p PORT] [-- ssh args]
 *   sshdoctor sftp --batch [user@]host [-p PORT] [-- ssh args]
 *   sshdoctor server --batch [-p ALTPORT] [-f CONFIG] [--client [user@]host]
 *   sshdoctor check [--user NAME]
 * It prints the classified log as it streams, then the diagnosis. ssh's
 * prompts are answered from the terminal (echo off) or from standard
 * input; answers are never printed or kept. */
#include "cmd.h"
#include "report.h"
#include "tui.h"
#include "sanitize.h"
#include "util.h"
#include "wizard.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define ANSWER_MAX	1024

struct live {
	const char	*name;
	int		 json;
	int		 color;
	FILE		*log;		/* where the stream goes (stderr with JSON) */
	struct report_printer pr;
	struct findings	 findings;	/* copies, for the JSON report */
};

static void
live_usage(FILE *out, const char *name)
{
	if (strcmp(name, "server") == 0)
		fprintf(out, "usage: sshdoctor server --batch [-p ALTPORT] [-f CONFIG] "
		    "[--listen ADDR]\n                        [--client [user@]host] [-- ssh opts] "
		    "[--format text|json] [--timeout S]\n\n"
		    "Run sshd -ddd -e on an alternate port (822, or the next free) as root,\n"
		    "show the command to run from the client, and diagnose from both logs.\n");
	else if (strcmp(name, "check") == 0)
		fprintf(out, "usage: sshdoctor check [--user NAME] [--format text|json]\n\n"
		    "Audit file modes, keys, known_hosts, ssh -G and (as root) sshd -T.\n");
	else
		fprintf(out, "usage: sshdoctor %s --batch [user@]host [-p PORT] [-l USER]\n"
		    "                      [--format text|json] [--answer KEY=VALUE]\n"
		    "                      [--timeout S] [--connect-timeout S] [--probe]\n"
		    "                      [--journal]\n"
		    "                      [-- ssh options...]\n\n"
		    "Run %s -vvv against the host, stream the log by layer, diagnose.\n"
		    "Prompts are answered from the terminal, or from standard input.\n"
		    "--answer hostkey=yes|no answers the host key question ahead;\n"
		    "--answer NODE=VALUE answers a question of the decision tree.\n"
		    "--journal: when the host is this machine, also read the server's log\n"
		    "(journalctl, /var/log/auth.log, /var/log/secure; $SSHDOCTOR_AUTHLOG).\n",
		    name, strcmp(name, "sftp") == 0 ? "sftp" : "ssh");
	fprintf(out, "\nWithout --batch the same flow runs in the TUI.\n");
}

/* One line from the terminal with echo off, or from standard input. */
static char *
read_answer(int secret)
{
	char buf[ANSWER_MAX], *nl;
	struct termios t, saved;
	FILE *in = stdin;
	int tty = -1, quiet = 0;

	if (isatty(STDIN_FILENO) && (tty = open("/dev/tty", O_RDWR | O_CLOEXEC)) != -1) {
		if (secret && tcgetattr(tty, &t) == 0) {
			saved = t;
			t.c_lflag &= ~(tcflag_t)ECHO;
			quiet = tcsetattr(tty, TCSANOW, &t) == 0;
		}
		in = fdopen(tty, "r");
	}
	if (in == NULL || fgets(buf, sizeof buf, in) == NULL) {
		if (quiet)
			tcsetattr(tty, TCSANOW, &saved);
		if (in != NULL && in != stdin)
			fclose(in);
		return NULL;
	}
	if (quiet) {
		tcsetattr(tty, TCSANOW, &saved);
		fputc('\n', stderr);
	}
	if (in != stdin)
		fclose(in);
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	nl = xstrdup(buf);
	explicit_bzero(buf, sizeof buf);
	return nl;
}

static void
on_event(struct live *lv, struct wiz *w, const struct wiz_event *ev)
{
	char *answer, *clean;

	if (ev->type != WIZ_LINE)
		report_printer_flush(&lv->pr);
	switch (ev->type) {
	case WIZ_STEP:
		fprintf(lv->log, "== %s\n", ev->text);
		break;
	case WIZ_INFO:
		clean = sanitize_str(ev->text);
		fprintf(lv->log, "-- %s\n", clean);
		free(clean);
		break;
	case WIZ_LINE:
		report_printer_line(&lv->pr, ev->line);
		break;
	case WIZ_PROMPT:
		clean = sanitize_str(ev->text);
		fprintf(stderr, "%s%s", clean, ev->secret ? " (not echoed) " : " ");
		free(clean);
		fflush(stderr);
		answer = read_answer(ev->secret);
		if (answer == NULL) {
			fprintf(lv->log, "\n-- no answer: the attempt stops here\n");
			wiz_reply(w, NULL);
			break;
		}
		if (!isatty(STDIN_FILENO))
			fputc('\n', stderr);
		wiz_reply(w, answer);	/* wiped there */
		free(answer);
		break;
	case WIZ_QUESTION:
		fprintf(stderr, "?? %s", ev->question.text);
		if (ev->question.choices != NULL) {
			fputs(" [", stderr);
			for (size_t i = 0; ev->question.choices[i] != NULL; i++)
				fprintf(stderr, "%s%s", i ? "|" : "", ev->question.choices[i]);
			fputs("]", stderr);
		}
		fprintf(stderr, " (--answer %s=...) ", ev->question.key);
		fflush(stderr);
		answer = read_answer(0);
		if (answer == NULL)
			fputc('\n', stderr);
		wiz_reply(w, answer);
		free(answer);
		break;
	case WIZ_FINDING:
		report_finding(lv->log, ev->finding, lv->color);
		findings_add(&lv->findings, ev->finding->sev, ev->finding->id,
		    ev->finding->problem, ev->finding->path, ev->finding->fix,
		    "%s", ev->finding->text);
		break;
	case WIZ_DIAGNOSIS:
	case WIZ_DONE:
	case WIZ_NONE:
		break;
	}
}

/* target "[user@]host" into params (copies: argv stays as ps shows it). */
static void
split_target(const char *target, struct wiz_params *p, struct strv *keep)
{
	const char *at = strrchr(target, '@');

	if (at != NULL) {
		strv_addn(keep, xstrndup(target, (size_t)(at - target)));
		p->user = keep->v[keep->n - 1];
		strv_add(keep, at + 1);
		p->host = keep->v[keep->n - 1];
	} else
		p->host = target;
}

static int
parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int
run_live(const struct wizard *def, const struct wiz_params *p, int json,
    const char *color, const struct live_hook *hook)
{
	struct live lv;
	struct kb *kb;
	struct wiz *w;
	struct wiz_event ev;
	int status = 0, has_session;

	memset(&ev, 0, sizeof ev);
	memset(&lv, 0, sizeof lv);
	lv.name = def->name;
	lv.json = json;
	lv.log = json ? stderr : stdout;
	lv.color = !json && strcmp(color, "never") != 0 &&
	    (strcmp(color, "always") == 0 || (isatty(STDOUT_FILENO) &&
	    getenv("NO_COLOR") == NULL)) ? REPORT_COLOR : 0;
	lv.pr.out = lv.log;
	lv.pr.flags = lv.color;
	runner_prepare();
	if ((kb = cmd_load_kb()) == NULL)
		return EXIT_RUNTIME;
	runner_catch_signals();
	w = wiz_new(def, kb, p);
	for (;;) {
		if (hook != NULL)
			hook->poll(hook->arg, w, &lv.pr, ev.type == WIZ_INFO);
		if (wiz_next(w, hook != NULL ? 100 : -1, &ev) != 0) {
			ev.type = WIZ_NONE;
			continue;
		}
		on_event(&lv, w, &ev);
		if (ev.type == WIZ_DONE) {
			status = ev.status;
			break;
		}
	}
	report_printer_flush(&lv.pr);
	has_session = session_result(wiz_session(w)) != NULL;
	if (json) {
		if (has_session)
			report_json(stdout, wiz_session(w), NULL, &lv.findings);
		else
			report_findings_json(stdout, &lv.findings);
	} else if (has_session) {
		fputc('\n', stdout);
		report_text(stdout, wiz_session(w), NULL, lv.color);
	}
	fflush(stdout);
	wiz_free(w);
	kb_free(kb);
	findings_free(&lv.findings);
	if (status == 2)
		return 130;
	return status == 1 ? EXIT_RUNTIME : EXIT_DONE;
}

static const struct option live_longopts[] = {
	{ "batch", no_argument, NULL, 'B' },
	{ "port", required_argument, NULL, 'p' },
	{ "login", required_argument, NULL, 'l' },
	{ "config", required_argument, NULL, 'f' },
	{ "listen", required_argument, NULL, 'L' },
	{ "client", required_argument, NULL, 'c' },
	{ "user", required_argument, NULL, 'u' },
	{ "format", required_argument, NULL, 'F' },
	{ "answer", required_argument, NULL, 'a' },
	{ "timeout", required_argument, NULL, 't' },
	{ "connect-timeout", required_argument, NULL, 'T' },
	{ "probe", no_argument, NULL, 'P' },
	{ "journal", no_argument, NULL, 'J' },
	{ "command", required_argument, NULL, 'C' },
	{ "color", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

struct live_opts {
	struct wiz_params p;
	int		 json;
	const char	*color;
	int		 help;
};

/* Options may stand before and after the host, as ssh users type them;
 * everything after "--" is for ssh. Returns 0, or an exit code. */
static int
live_parse(int argc, char **argv, const char *name, struct live_opts *o)
{
	int ch, is_server = strcmp(name, "server") == 0;

	while ((ch = getopt_long(argc, argv, "+hp:l:f:", live_longopts, NULL)) != -1) {
		switch (ch) {
		case 'B':
			o->p.batch = 1;
			break;
		case 'p':
			if (parse_int(optarg, 1, 65535, is_server ? &o->p.alt_port :
			    &o->p.port) != 0)
				return cmd_error(EXIT_USAGE, "-p: '%s' is not a port", optarg);
			break;
		case 'l':
			o->p.user = optarg;
			break;
		case 'f':
			o->p.sshd_config = optarg;
			break;
		case 'L':
			o->p.listen = optarg;
			break;
		case 'c':
			o->p.client_target = optarg;
			break;
		case 'u':
			o->p.check_user = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				o->json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cmd_error(EXIT_USAGE, "--format: '%s' is not text or json", optarg);
			break;
		case 'a':
			if (strchr(optarg, '=') == NULL)
				return cmd_error(EXIT_USAGE, "--answer: '%s' is not KEY=VALUE", optarg);
			if (strncmp(optarg, "password=", 9) == 0)
				return cmd_error(EXIT_USAGE, "--answer: a password on the command "
				    "line is visible to every user (ps); type it at the prompt "
				    "or give it on standard input");
			strv_add(&o->p.answers, optarg);
			break;
		case 't':
			if (parse_int(optarg, 1, 86400, &o->p.timeout_s) != 0)
				return cmd_error(EXIT_USAGE, "--timeout: '%s' is not seconds", optarg);
			break;
		case 'T':
			if (parse_int(optarg, 1, 3600, &o->p.connect_timeout_s) != 0)
				return cmd_error(EXIT_USAGE, "--connect-timeout: '%s' is not seconds", optarg);
			break;
		case 'P':
			o->p.probe = 1;
			break;
		case 'J':
			o->p.journal = 1;
			break;
		case 'C':
			o->p.command = optarg;
			break;
		case 'k':
			if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0 &&
			    strcmp(optarg, "never") != 0)
				return cmd_error(EXIT_USAGE, "--color: '%s' is not auto, always or never", optarg);
			o->color = optarg;
			break;
		case 'h':
			o->help = 1;
			break;
		default:
			live_usage(stderr, name);
			return cmd_error(EXIT_USAGE, "%s: unknown or incomplete option '%s'",
			    name, argv[optind - 1]);
		}
	}
	return 0;
}

int
cmd_live(int argc, char **argv)
{
	const char *name = argv[0];
	const struct wizard *def = wizard_find(name);
	struct live_opts o;
	struct strv keep = { 0 };
	int rc, is_server = strcmp(name, "server") == 0;
	int is_check = strcmp(name, "check") == 0, dashdash;

	memset(&o, 0, sizeof o);
	o.color = "auto";
	o.p.file_side = SIDE_ANY;
	optind = 1;
	opterr = 0;
	if ((rc = live_parse(argc, argv, name, &o)) != 0)
		goto out;
	if (o.help) {
		live_usage(stdout, name);
		goto out;
	}
	dashdash = optind > 1 && strcmp(argv[optind - 1], "--") == 0;
	if (!is_server && !is_check) {
		if (optind >= argc || dashdash) {
			live_usage(stderr, name);
			rc = cmd_error(EXIT_USAGE, "%s: which host?", name);
			goto out;
		}
		split_target(argv[optind++], &o.p, &keep);
		if ((rc = live_parse(argc, argv, name, &o)) != 0)
			goto out;
		dashdash = strcmp(argv[optind - 1], "--") == 0;
	}
	if (optind < argc && !dashdash) {
		rc = cmd_error(EXIT_USAGE, "%s: unexpected '%s' (ssh options go after --)",
		    name, argv[optind]);
		goto out;
	}
	if (is_server && optind < argc && o.p.client_target == NULL) {
		rc = cmd_error(EXIT_USAGE, "server: options after -- are for the "
		    "client of --client");
		goto out;
	}
	for (; optind < argc; optind++)
		strv_add(&o.p.ssh_args, argv[optind]);
	if (o.p.host != NULL && (*o.p.host == '\0' || *o.p.host == '-')) {
		rc = cmd_error(EXIT_USAGE, "%s: '%s' is not a host name", name, o.p.host);
		goto out;
	}
	if (is_check)
		o.p.batch = 1;
	if (!o.p.batch && !o.json && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		struct tui_start start;
		struct kb *kb = cmd_load_kb();

		if (kb == NULL) {
			rc = EXIT_RUNTIME;
			goto out;
		}
		memset(&start, 0, sizeof start);
		start.screen = TUI_WIZARD;
		start.wizard = def;
		start.params = o.p;
		rc = tui_main(kb, &start);
		kb_free(kb);
	} else
		rc = run_live(def, &o.p, o.json, o.color, NULL);
out:
	strv_free(&o.p.answers);
	strv_free(&o.p.ssh_args);
	strv_free(&keep);
	return rc;
}
