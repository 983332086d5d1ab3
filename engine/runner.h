/* runner.h: child processes under our control, safely.
 *
 * The client (ssh -vvv …) gets a pty as its controlling terminal for its
 * prompts and its stderr (the debug log) on a pipe; a server (sshd -ddd -e
 * -p PORT) gets a pipe for stdout and stderr. One poll loop hands out one
 * event at a time: a log line stamped with a monotonic time, a prompt, the
 * server being ready, a child's exit, a deadline, a signal.
 *
 * Safety: every child is in its own process group with PR_SET_PDEATHSIG,
 * and a watchdog process kills every group and removes the private 0700
 * temporary directory when this process goes away in any way (even
 * kill -9). Answers to prompts go to the pty with echo off and are wiped
 * from memory; they are never returned, logged or stored. */
#ifndef SSHD_RUNNER_H
#define SSHD_RUNNER_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kb.h"

#define RUNNER_MAX_CHILDREN	4

enum runner_ev {
	RUNNER_NONE = 0,
	RUNNER_LINE,		/* a line of a child's log (or of its pty) */
	RUNNER_PROMPT,		/* the client waits for an answer on its pty */
	RUNNER_READY,		/* a server said "Server listening on" */
	RUNNER_EXIT,		/* a child ended */
	RUNNER_DEADLINE,	/* the deadline given to runner_next() passed */
	RUNNER_SIGNAL,		/* SIGINT, SIGTERM or SIGHUP arrived */
};

enum runner_prompt {
	PROMPT_PASSWORD,	/* secret */
	PROMPT_PASSPHRASE,	/* secret */
	PROMPT_HOSTKEY,		/* "Are you sure you want to continue connecting" */
	PROMPT_OTHER,		/* keyboard-interactive and the like: secret */
};

struct runner_event {
	enum runner_ev	 type;
	int		 child;		/* index from runner_spawn_*() */
	enum side	 side;
	int		 from_pty;	/* the line came from the client's terminal */
	const char	*data;		/* raw line bytes (LINE), prompt text (PROMPT) */
	size_t		 len;
	uint64_t	 number;	/* line number within this child's stream */
	int64_t		 ms;		/* milliseconds since runner_new() */
	enum runner_prompt prompt;
	int		 status;	/* EXIT: exit code, or 128+signal */
	int		 signo;		/* SIGNAL */
};

struct runner;

/* Creates the private temporary directory and the watchdog. NULL with
 * errno on failure. */
struct runner *runner_new(void);
/* Fork the watchdog now, while the process is still small (before loading
 * the KB): a fork write-protects every page of the parent, and each page
 * written after it costs a fault and a copy for as long as the watchdog
 * lives. The next runner_new() takes it over. */
void runner_prepare(void);
/* Ends every child (TERM, then KILL after a grace time), removes the
 * temporary directory, stops the watchdog. */
void runner_free(struct runner *r);
const char *runner_tmpdir(const struct runner *r);
int64_t runner_now(const struct runner *r);

/* argv[0] is found in PATH (execvp, never a shell). Returns the child's
 * index, or -1 with errno. */
int runner_spawn_client(struct runner *r, char *const argv[]);
int runner_spawn_server(struct runner *r, char *const argv[]);
pid_t runner_pid(const struct runner *r, int child);
int runner_running(const struct runner *r, int child);

/* Wait for the next event, at most until deadline_ms (runner_now() time;
 * -1: no deadline) and at most timeout_ms (-1: no limit). Returns 0 with an
 * event, 1 when timeout_ms passed first, -1 when no child is left to wait
 * for. The event's data is valid until the next call. */
int runner_next(struct runner *r, int64_t deadline_ms, int timeout_ms,
    struct runner_event *ev);
/* The descriptors runner_next() waits on, for a front end that polls its
 * keyboard too. Returns how many were written (at most max). */
size_t runner_pollfds(const struct runner *r, struct pollfd *fds, size_t max);

/* Write an answer to the client's pty (with echo off), then wipe it. */
int runner_answer(struct runner *r, int child, char *answer);
/* Stop one child: SIGTERM to its group, SIGKILL after grace_ms. */
void runner_stop(struct runner *r, int child, int grace_ms);

/* SIGINT, SIGTERM and SIGHUP set a flag that runner_next() reports. */
void runner_catch_signals(void);
/* 1 once such a signal arrived. */
int runner_signalled(void);

#endif
