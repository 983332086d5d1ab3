/* wizard_impl.h: what the flows share inside wizards/ (not for front
 * ends: they use wizard.h). */
#ifndef SSHD_WIZARD_IMPL_H
#define SSHD_WIZARD_IMPL_H

#include "reader.h"
#include "wizard.h"

enum wiz_await { AWAIT_NONE = 0, AWAIT_PROMPT, AWAIT_QUESTION };

struct wiz {
	const struct wizard *def;
	const struct kb	*kb;
	struct wiz_params p;
	struct runner	*runner;
	struct session	*session;
	int		 state;
	int		 client;	/* runner child index, or -1 */
	int		 server;
	int		 client_source;	/* session source numbers */
	int		 server_source;
	int64_t		 deadline;
	int64_t		 wall_start;	/* wall clock at the start, ms */
	int		 wait_ms;	/* how long wiz_next() may block */
	int		 cancelled;
	int		 status;
	struct findings	 findings;
	size_t		 finding_next;
	enum wiz_await	 await;
	int		 prompt_child;
	int		 replied;
	char		*reply;		/* the question's answer, when replied */
	const char	*choices[16];
	char		*text;		/* the text of the last event */
	int		 asked;		/* tree questions asked so far */
	int		 port;		/* server: the alternate port chosen */
	int		 ready;		/* server: sshd said it listens */
	char		*batchfile;	/* sftp: the batch of commands */
	int		 noise_client;	/* sftp: the "ssh host true" check */
	struct buf	 noise_out;
	struct reader	*file_reader;	/* analyze: the log being read */
	int		 file_fd;
};

/* Own a formatted text for the event (valid until the next event). */
const char *wiz_text(struct wiz *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A KEY=VALUE the operator gave ahead (--answer), or NULL. */
const char *wiz_given(const struct wiz *w, const char *key);
/* The runner, made on first use. NULL with errno if it cannot start. */
struct runner *wiz_runner(struct wiz *w);
/* Start a client: argv[0] is ssh or sftp. Adds the event INFO "$ cmd". */
int wiz_start_client(struct wiz *w, struct strv *argv, struct wiz_event *ev);
/* The ssh options every live client gets (log level, timeouts). */
void wiz_client_options(const struct wiz *w, struct strv *argv);
/* user@host or host. */
char *wiz_target(const struct wiz *w);
/* Turn the next runner event into a wizard event. Returns 0 with an event,
 * 1 when the children are all done (no event), 2 when nothing happened
 * within the wait, -1 when interrupted (an INFO event says so).
 * Step functions return 0 with an event, 1 for nothing yet, -1 when done. */
int wiz_pump(struct wiz *w, struct wiz_event *ev);
/* The diagnosis, then the tree's open question once per node: 0 with an
 * event, 1 when there is nothing more to say. */
int wiz_conclude(struct wiz *w, struct wiz_event *ev);
/* Hand out the next pending finding: 0 with an event, 1 when none. */
int wiz_next_finding(struct wiz *w, struct wiz_event *ev);
void wiz_done(struct wiz *w, struct wiz_event *ev, int status);

#endif
