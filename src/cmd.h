/* cmd.h: the command-line front end's commands, one file each. */
#ifndef SSHD_CMD_H
#define SSHD_CMD_H

#include "kb.h"

#define EXIT_DONE	0	/* the command did its job (a diagnosis is a result) */
#define EXIT_RUNTIME	1	/* unreadable file, bad KB, … */
#define EXIT_USAGE	2

struct command {
	const char	*name;
	const char	*summary;
	int		(*run)(int argc, char **argv);
};

int cmd_analyze(int argc, char **argv);
int cmd_kb(int argc, char **argv);
int cmd_train(int argc, char **argv);
/* connect, server, sftp, check: argv[0] names the wizard. */
int cmd_live(int argc, char **argv);

int cmd_lab(int argc, char **argv);

/* run_live()'s companion, for a front end with children of its own (the
 * lab's sshd): called before each wizard step, settle set after an INFO
 * (a child started or ended); it may feed lines into the wizard's session
 * and print them with pr. */
struct wiz;
struct wizard;
struct wiz_params;
struct report_printer;
struct live_hook {
	void	(*poll)(void *arg, struct wiz *w, struct report_printer *pr,
		    int settle);
	void	*arg;
};
/* Run a wizard in batch: stream its log, print the diagnosis (text or
 * JSON). Returns an exit code. */
int run_live(const struct wizard *def, const struct wiz_params *p, int json,
    const char *color, const struct live_hook *hook);

/* Load the KB or print why not (one line each) and return NULL. */
struct kb *cmd_load_kb(void);
/* "sshdoctor: " + message on stderr, sanitised; returns code. */
int cmd_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
