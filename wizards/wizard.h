/* wizard.h: guided flows that any front end renders (no curses here).
 *
 * A wizard is a sequence of steps (ask, run, check, diagnose, show). The
 * front end pulls events with wiz_next() and shows them: information, each
 * classified log line as it arrives, a prompt of ssh's (password,
 * passphrase, host key), a question of the wizard or the decision tree, a
 * finding of a local check, the diagnosis. It answers prompts and questions
 * with wiz_reply(). The batch front end and the TUI run the same code.
 *
 * Adding a flow is one file and one line in wizard_table[]. */
#ifndef SSHD_WIZARD_H
#define SSHD_WIZARD_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "classify.h"
#include "diagnose.h"
#include "kb.h"
#include "runner.h"
#include "session.h"

enum wiz_ev {
	WIZ_NONE = 0,
	WIZ_STEP,	/* a new step begins: text is its title */
	WIZ_INFO,	/* text to show (a command to run elsewhere, a note) */
	WIZ_LINE,	/* line: a classified log line, as it arrives */
	WIZ_PROMPT,	/* ssh asks: text, prompt, secret; reply or NULL to refuse */
	WIZ_QUESTION,	/* the wizard or the tree asks: question; reply or NULL */
	WIZ_FINDING,	/* finding: a local check's result */
	WIZ_DIAGNOSIS,	/* diag: the verdict so far (may come again after answers) */
	WIZ_DONE,	/* nothing more; status says how it ended */
};

struct wiz_question {
	const char	*key;		/* for --answer KEY=VALUE */
	const char	*text;
	const char	*const *choices;	/* NULL-terminated, or NULL: free text */
};

struct wiz_event {
	enum wiz_ev	 type;
	const char	*text;
	const struct cline *line;
	enum runner_prompt prompt;
	int		 secret;	/* PROMPT: the answer must not be shown */
	struct wiz_question question;
	const struct finding *finding;
	const struct diagnosis *diag;
	int64_t		 ms;		/* since the wizard started */
	int		 status;	/* DONE: 0 finished, 1 failed to run, 2 interrupted */
};

/* What the operator asked for; unused fields stay zero. */
struct wiz_params {
	const char	*host;
	const char	*user;		/* NULL: ssh's default */
	int		 port;		/* 0: ssh's default */
	struct strv	 ssh_args;	/* extra ssh options (after --) */
	const char	*command;	/* remote command; NULL: "true" */
	int		 alt_port;	/* server: 0 picks 822 or the next free */
	const char	*sshd_config;	/* server: -f */
	const char	*listen;	/* server: ListenAddress override */
	const char	*client_target;	/* server: also run a local client */
	const char	*check_user;	/* check: NULL: the current user */
	const char	*file;		/* analyze: a log file or "-" */
	enum side	 file_side;
	struct strv	 answers;	/* KEY=VALUE: questions and prompts answered ahead */
	int		 timeout_s;	/* overall deadline; 0: 60 */
	int		 connect_timeout_s;	/* ssh ConnectTimeout (also the banner); 0: 10 */
	int		 batch;		/* no one to ask: open questions stay open */
	int		 probe;		/* connect: run the libssh probe first */
	int		 journal;	/* connect: on the server itself, add its log */
};

struct wiz;

struct wizard {
	const char	*name;
	const char	*summary;	/* one line: when to use it */
	/* Produce the next event; called by wiz_next(). 0, or -1 when done. */
	int		(*step)(struct wiz *w, struct wiz_event *ev);
};

extern const struct wizard wizard_connect;
extern const struct wizard wizard_server;
extern const struct wizard wizard_sftp;
extern const struct wizard wizard_check;
extern const struct wizard wizard_analyze;
/* NULL-terminated, in the order a home screen lists them. */
extern const struct wizard *const wizard_table[];
const struct wizard *wizard_find(const char *name);

struct wiz *wiz_new(const struct wizard *def, const struct kb *kb,
    const struct wiz_params *p);
/* The next event, waiting at most timeout_ms (-1: as long as needed).
 * Returns 0 with an event, 1 when nothing happened in time. */
int wiz_next(struct wiz *w, int timeout_ms, struct wiz_event *ev);
/* Answer the last PROMPT or QUESTION; NULL declines. The answer is wiped. */
void wiz_reply(struct wiz *w, char *answer);
/* Descriptors to poll together with a keyboard. */
size_t wiz_pollfds(const struct wiz *w, struct pollfd *fds, size_t max);
/* Extend the overall deadline (the operator asked for more time). */
void wiz_extend(struct wiz *w, int seconds);
/* Stop what runs (the operator pressed q or Ctrl-C). */
void wiz_cancel(struct wiz *w);
struct session *wiz_session(struct wiz *w);
const struct wizard *wiz_def(const struct wiz *w);
void wiz_free(struct wiz *w);

#endif
