/* main.c: dispatch to a command. */
#include "cmd.h"
#include "sanitize.h"
#include "tui.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SSHDOCTOR_VERSION
#define SSHDOCTOR_VERSION "0.1"
#endif

static const struct command commands[] = {
	{ "connect", "ssh to a host fails: run ssh -vvv and diagnose (--batch)", cmd_live },
	{ "server", "on the server: debug sshd on a spare port (root, --batch)", cmd_live },
	{ "sftp", "sftp fails: run sftp -vvv and check for login noise (--batch)", cmd_live },
	{ "check", "audit local file modes, keys, ssh -G, sshd -T", cmd_live },
	{ "analyze", "diagnose a saved client or server log (or stdin)", cmd_analyze },
	{ "lab", "a private sshd on loopback, broken on request (--list, --batch)", cmd_lab },
	{ "kb", "lint, list or show the knowledge base", cmd_kb },
	{ "train", "replay a training scenario with its quiz (--list, --batch, lint)", cmd_train },
};

int
cmd_error(int code, const char *fmt, ...)
{
	struct buf b;
	char *clean;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	clean = sanitize_str(b.data ? b.data : "");
	fprintf(stderr, "sshdoctor: %s\n", clean);
	free(clean);
	buf_free(&b);
	return code;
}

struct kb *
cmd_load_kb(void)
{
	struct strv errors = { 0 };
	const char *dir = kb_default_dir();
	struct kb *kb = kb_load(dir, &errors);

	if (kb == NULL) {
		for (size_t i = 0; i < errors.n && i < 20; i++)
			cmd_error(0, "%s", errors.v[i]);
		if (errors.n > 20)
			cmd_error(0, "… and %zu more", errors.n - 20);
		cmd_error(0, "the knowledge base in %s does not load; "
		    "`sshdoctor kb lint` says more", dir);
	}
	strv_free(&errors);
	return kb;
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: sshdoctor [COMMAND [options]]\n"
	    "\n"
	    "Find why an OpenSSH connection fails: the stage, the cause, the evidence\n"
	    "lines and the exact fix. Without a command: the TUI's home screen.\n"
	    "\n"
	    "commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
	    "\n"
	    "examples:\n"
	    "  ssh -vvv user@host 2>&1 | sshdoctor analyze -\n"
	    "  sshdoctor analyze --client client.log --server server.log\n"
	    "  sshdoctor analyze --server /var/log/auth.log --user alice --format json\n"
	    "\n"
	    "`sshdoctor COMMAND --help` for a command's options; man sshdoctor(1).\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		struct tui_start start;
		struct kb *kb;
		int rc;

		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			usage(stderr);
			return EXIT_USAGE;
		}
		if ((kb = cmd_load_kb()) == NULL)
			return EXIT_RUNTIME;
		memset(&start, 0, sizeof start);
		start.screen = TUI_HOME;
		rc = tui_main(kb, &start);
		kb_free(kb);
		return rc;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_DONE;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("sshdoctor %s\n", SSHDOCTOR_VERSION);
		return EXIT_DONE;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	cmd_error(0, "unknown command '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
