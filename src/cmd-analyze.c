/* cmd-analyze.c: sshdoctor analyze [--client F] [--server F] [F|-]... */
#include "cmd.h"
#include "diagnose.h"
#include "feeder.h"
#include "prefix.h"
#include "reader.h"
#include "redact.h"
#include "report.h"
#include "session.h"
#include "tui.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INPUTS	8

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_MARKDOWN };

struct input {
	const char	*path;		/* "-" for stdin */
	enum side	 side;
};

static void
analyze_usage(FILE *out)
{
	fprintf(out,
	    "usage: sshdoctor analyze [--client FILE] [--server FILE] [FILE|-]...\n"
	    "                         [--format text|json|markdown] [--user NAME]\n"
	    "                         [--from ADDR] [--since TIME] [--limit N]\n"
	    "                         [--answer KEY=VALUE] [--log] [--color WHEN]\n"
	    "\n"
	    "Read OpenSSH logs (ssh -v/-vv/-vvv, sshd -d.. -e, auth.log, journalctl,\n"
	    "z/OS syslogd) and say which stage failed, why, and how to fix it.\n"
	    "\n"
	    "  --client FILE      a client log (ssh -vvv ... 2>client.log)\n"
	    "  --server FILE      a server log (sshd -ddd -e, /var/log/auth.log, journalctl)\n"
	    "  FILE, -            a log of either side (each line's side is recognised)\n"
	    "  --format FMT       text (default), json or markdown (for a ticket)\n"
	    "  --user NAME        only the server's attempts for this user\n"
	    "  --from ADDR        only the attempts from this client address\n"
	    "  --since TIME       only attempts since TIME (2026-11-24 10:00, 'Nov 24 10:00', 10:00)\n"
	    "  --limit N          list at most N failing connections (default 50)\n"
	    "  --answer KEY=VAL   answer a question of the decision tree\n"
	    "  --log              also print the classified log, noise folded\n"
	    "  --tui              open the logs in the TUI's analysis screen\n"
	    "  --redact           replace host names, addresses, users, key\n"
	    "                     fingerprints and home paths (host-1, user-1, …)\n"
	    "  --redact-map FILE  also write the mapping to FILE (mode 0600)\n"
	    "  --color WHEN       auto (default), always or never; NO_COLOR is honoured\n"
	    "\n"
	    "exit status: 0 a diagnosis was made (whatever it says), 1 an input could\n"
	    "not be read, 2 usage error.\n");
}

static int
want_color(const char *when)
{
	if (strcmp(when, "always") == 0)
		return 1;
	if (strcmp(when, "never") == 0)
		return 0;
	return isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
}

static void
print_line(void *arg, const struct cline *l)
{
	report_printer_line(arg, l);
}

static int
read_input(struct session *s, int source, const struct input *in,
    struct report_printer *lp)
{
	struct reader *r;
	struct stat st;
	int fd, rc, saved;

	if (strcmp(in->path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(in->path, O_RDONLY | O_CLOEXEC)) == -1)
		return cmd_error(EXIT_RUNTIME, "cannot read %s: %s", in->path,
		    strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return cmd_error(EXIT_RUNTIME, "cannot read %s: it is a directory",
		    in->path);
	}
	r = reader_open_fd(fd, 0);
	rc = feeder_run(s, source, in->side, r, lp != NULL ? print_line : NULL, lp);
	saved = errno;
	if (rc < 0)
		cmd_error(0, "error reading %s at byte %llu: %s",
		    strcmp(in->path, "-") == 0 ? "standard input" : in->path,
		    (unsigned long long)reader_bytes(r), strerror(saved));
	reader_close(r);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc < 0 ? EXIT_RUNTIME : 0;
}

/* Names in the report become host-1, user-1 …; the mapping goes to its
 * own file (mode 0600) when asked. */
static int
write_redacted(struct session *s, const char *report, const char *map_path)
{
	struct redactor *r = redact_new();
	const struct diagnosis *d = session_diagnosis(s);
	const struct conn_record *rec;
	struct facts f = { 0 };
	char *clean;
	size_t n;
	int rc = 0, fd;
	FILE *map;

	if (d != NULL)
		redact_learn(r, &d->facts);
	rec = session_failures(s, &n);
	for (size_t i = 0; i < n; i++) {
		if (rec[i].user != NULL)
			facts_put(&f, "user", rec[i].user);
		if (rec[i].from != NULL)
			facts_put(&f, "from_addr", rec[i].from);
		redact_learn(r, &f);
	}
	facts_free(&f);
	clean = redact_text(r, report);
	fputs(clean, stdout);
	free(clean);
	if (map_path != NULL) {
		if ((fd = open(map_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1 ||
		    (map = fdopen(fd, "w")) == NULL) {
			rc = cmd_error(EXIT_RUNTIME, "cannot write %s: %s", map_path,
			    strerror(errno));
		} else {
			if (redact_write_map(r, map) != 0 || fclose(map) != 0)
				rc = cmd_error(EXIT_RUNTIME, "cannot write %s", map_path);
		}
	}
	redact_free(r);
	return rc;
}

int
cmd_analyze(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "client", required_argument, NULL, 'c' },
		{ "server", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "user", required_argument, NULL, 'u' },
		{ "from", required_argument, NULL, 'F' },
		{ "since", required_argument, NULL, 'S' },
		{ "limit", required_argument, NULL, 'l' },
		{ "answer", required_argument, NULL, 'a' },
		{ "log", no_argument, NULL, 'L' },
		{ "tui", no_argument, NULL, 'U' },
		{ "redact", no_argument, NULL, 'R' },
		{ "redact-map", required_argument, NULL, 'M' },
		{ "color", required_argument, NULL, 'C' },
		{ "colour", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct input inputs[MAX_INPUTS];
	const char *names[MAX_INPUTS];
	struct report_sources src = { names, 0 };
	struct session_opts so;
	struct report_printer lp = { NULL, 0, 0, NULL };
	enum format format = FORMAT_TEXT;
	const char *color = "auto";
	struct session *s = NULL;
	struct kb *kb = NULL;
	size_t ninputs = 0;
	int ch, rc = EXIT_DONE, show_log = 0, nstdin = 0, tui = 0, redact = 0;
	const char *redact_map = NULL;
	FILE *out = stdout;
	char *outbuf = NULL;
	size_t outlen = 0;
	char *end;

	memset(&so, 0, sizeof so);
	lp.out = stdout;
	so.since_ms = -1;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+hc:s:f:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
		case 's':
			if (ninputs == MAX_INPUTS) {
				rc = cmd_error(EXIT_USAGE, "at most %d inputs", MAX_INPUTS);
				goto out;
			}
			inputs[ninputs].path = optarg;
			inputs[ninputs++].side = ch == 'c' ? SIDE_CLIENT : SIDE_SERVER;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				format = FORMAT_JSON;
			else if (strcmp(optarg, "markdown") == 0 || strcmp(optarg, "md") == 0)
				format = FORMAT_MARKDOWN;
			else {
				rc = cmd_error(EXIT_USAGE, "--format: '%s' is not text, json or markdown", optarg);
				goto out;
			}
			break;
		case 'u':
			so.user = optarg;
			break;
		case 'F':
			so.from = optarg;
			break;
		case 'S':
			if ((so.since_ms = prefix_parse_time(optarg)) < 0) {
				rc = cmd_error(EXIT_USAGE, "--since: cannot read '%s' as a time "
				    "(try '2026-11-24 10:00', 'Nov 24 10:00' or '10:00')", optarg);
				goto out;
			}
			break;
		case 'l':
			so.limit = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || so.limit == 0 || so.limit > 100000) {
				rc = cmd_error(EXIT_USAGE, "--limit: '%s' is not a number from 1 to 100000", optarg);
				goto out;
			}
			break;
		case 'a':
			if (strchr(optarg, '=') == NULL) {
				rc = cmd_error(EXIT_USAGE, "--answer: '%s' is not KEY=VALUE", optarg);
				goto out;
			}
			strv_add(&so.answers, optarg);
			break;
		case 'L':
			show_log = 1;
			break;
		case 'U':
			tui = 1;
			break;
		case 'R':
			redact = 1;
			break;
		case 'M':
			redact = 1;
			redact_map = optarg;
			break;
		case 'C':
			if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0 &&
			    strcmp(optarg, "never") != 0) {
				rc = cmd_error(EXIT_USAGE, "--color: '%s' is not auto, always or never", optarg);
				goto out;
			}
			color = optarg;
			break;
		case 'h':
			analyze_usage(stdout);
			goto out;
		default:
			rc = cmd_error(EXIT_USAGE, "analyze: unknown or incomplete option '%s'",
			    argv[optind - 1]);
			analyze_usage(stderr);
			goto out;
		}
	}
	for (; optind < argc; optind++) {
		if (ninputs == MAX_INPUTS) {
			rc = cmd_error(EXIT_USAGE, "at most %d inputs", MAX_INPUTS);
			goto out;
		}
		inputs[ninputs].path = argv[optind];
		inputs[ninputs++].side = SIDE_ANY;
	}
	if (ninputs == 0) {
		if (isatty(STDIN_FILENO)) {
			rc = cmd_error(EXIT_USAGE, "analyze: give a log file, or - to read "
			    "standard input (`sshdoctor analyze --help`)");
			goto out;
		}
		inputs[ninputs].path = "-";
		inputs[ninputs++].side = SIDE_ANY;
	}
	for (size_t i = 0; i < ninputs; i++)
		if (strcmp(inputs[i].path, "-") == 0 && ++nstdin > 1) {
			rc = cmd_error(EXIT_USAGE, "standard input can be read only once");
			goto out;
		}
	if ((kb = cmd_load_kb()) == NULL) {
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (tui) {
		struct tui_start start;

		memset(&start, 0, sizeof start);
		start.screen = TUI_ANALYZE;
		for (size_t i = 0; i < ninputs; i++) {
			start.files[i] = inputs[i].path;
			start.sides[i] = inputs[i].side;
		}
		start.nfiles = ninputs;
		rc = tui_main(kb, &start);
		goto out;
	}
	if (want_color(color) && format == FORMAT_TEXT)
		lp.flags |= REPORT_COLOR;
	s = session_new(kb, &so);
	for (size_t i = 0; i < ninputs; i++) {
		names[i] = strcmp(inputs[i].path, "-") == 0 ? "stdin" : inputs[i].path;
		src.n = i + 1;
		if ((rc = read_input(s, (int)i, &inputs[i],
		    show_log && format == FORMAT_TEXT ? &lp : NULL)) != 0)
			goto out;
		report_printer_flush(&lp);
	}
	session_finish(s);
	if (show_log && format == FORMAT_TEXT)
		putchar('\n');
	/* a redacted report is written to memory first, then rewritten */
	if (redact && (out = open_memstream(&outbuf, &outlen)) == NULL) {
		rc = cmd_error(EXIT_RUNTIME, "cannot redact: %s", strerror(errno));
		goto out;
	}
	switch (format) {
	case FORMAT_TEXT:
		rc = report_text(out, s, &src, lp.flags);
		break;
	case FORMAT_JSON:
		rc = report_json(out, s, &src, NULL);
		break;
	case FORMAT_MARKDOWN:
		rc = report_markdown(out, s, &src);
		break;
	}
	if (redact) {
		fclose(out);
		if (rc == 0)
			rc = write_redacted(s, outbuf, redact_map);
		free(outbuf);
	}
	if (fflush(stdout) != 0 || rc != 0)
		rc = cmd_error(EXIT_RUNTIME, "cannot write the report: %s", strerror(errno));
out:
	report_printer_flush(&lp);
	session_free(s);
	kb_free(kb);
	strv_free(&so.answers);
	return rc;
}
