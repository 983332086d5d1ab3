/* runner.c: fork/exec without a shell, a pty for the client, pipes for
 * the logs, one poll loop, a watchdog for the worst case. */
#define _GNU_SOURCE 1	/* pipe2, posix_openpt, nftw */
#include "runner.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES	(64 * 1024)
#define PROMPT_QUIET_MS	300	/* a line ending in ": " that stays alone this long */

enum child_kind { CHILD_CLIENT, CHILD_SERVER };

struct stream {
	int		 fd;		/* -1 once closed */
	struct buf	 buf;		/* bytes not yet handed out */
	uint64_t	 lines;
	int64_t		 last_ms;	/* when data last arrived */
};

struct child {
	pid_t		 pid;
	enum child_kind	 kind;
	struct stream	 log;		/* stderr (client) or stdout+stderr (server) */
	struct stream	 pty;		/* client only */
	int		 exited;
	int		 status;
	int		 exit_told;
	int		 ready_told;
	int		 prompt_told;
};

struct runner {
	struct child	 kids[RUNNER_MAX_CHILDREN];
	size_t		 nkids;
	char		*tmpdir;
	int		 watchdog_fd;
	pid_t		 watchdog;
	struct timespec	 t0;
	struct buf	 out;		/* the line handed out */
	int		 signal_told;
	sig_atomic_t	 child_seen;	/* child_count when last reaped */
};

static volatile sig_atomic_t got_signal;
/* Bumped by SIGCHLD; each runner remembers the last count it acted on, so
 * that two runners in one process (the lab's sshd, the wizard's ssh) both
 * reap their children. */
static volatile sig_atomic_t child_count;
static int wake_pipe[2] = { -1, -1 };

static void
on_signal(int signo)
{
	int saved = errno;

	if (signo == SIGCHLD)
		child_count++;
	else
		got_signal = signo;
	if (wake_pipe[1] != -1)
		(void)write(wake_pipe[1], "", 1);
	errno = saved;
}

static void
wake_pipe_open(void)
{
	if (wake_pipe[0] != -1)
		return;
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		fatal("pipe: %s", strerror(errno));
}

void
runner_catch_signals(void)
{
	struct sigaction sa;

	wake_pipe_open();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int
runner_signalled(void)
{
	return got_signal != 0;
}

int64_t
runner_now(const struct runner *r)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)(ts.tv_sec - r->t0.tv_sec) * 1000 +
	    (ts.tv_nsec - r->t0.tv_nsec) / 1000000;
}

/* ---- the watchdog ---- */

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void
rm_tree(const char *dir)
{
	if (dir != NULL && *dir != '\0')
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Reads "p PID", "r PID", "d DIR", "x" from the pipe; on EOF (the tool is
 * gone, however it went) kills what is left and removes the directory. */
static void __attribute__((noreturn))
watchdog_main(int fd)
{
	pid_t groups[64];
	size_t n = 0;
	char dir[4096] = "", line[4200];
	size_t len = 0;
	ssize_t got;
	int devnull = open("/dev/null", O_RDWR);

	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* hold no one's pipes or terminal open */
	dup2(devnull, 0);
	dup2(devnull, 1);
	dup2(devnull, 2);
	for (int i = 3; i < 1024; i++)
		if (i != fd)
			close(i);
	setsid();
	while ((got = read(fd, line + len, sizeof line - 1 - len)) != 0) {
		char *nl;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)got;
		line[len] = '\0';
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if (line[0] == 'p' && n < 64)
				groups[n++] = (pid_t)atol(line + 2);
			else if (line[0] == 'r') {
				pid_t p = (pid_t)atol(line + 2);

				for (size_t i = 0; i < n; i++)
					if (groups[i] == p)
						groups[i--] = groups[--n];
			} else if (line[0] == 'd' && strlen(line + 2) < sizeof dir)
				memcpy(dir, line + 2, strlen(line + 2) + 1);
			else if (line[0] == 'x') {
				n = 0;
				dir[0] = '\0';
			}
			len -= (size_t)(nl + 1 - line);
			memmove(line, nl + 1, len + 1);
		}
		if (len == sizeof line - 1)
			len = 0;
	}
	for (size_t i = 0; i < n; i++)
		kill(-groups[i], SIGTERM);
	if (n > 0) {
		struct timespec ts = { 0, 300 * 1000000L };

		nanosleep(&ts, NULL);
	}
	for (size_t i = 0; i < n; i++)
		kill(-groups[i], SIGKILL);
	rm_tree(dir);
	_exit(0);
}

static void
watchdog_say(struct runner *r, const char *fmt, long v, const char *s)
{
	char line[4200];
	int n;

	if (r->watchdog_fd == -1)
		return;
	n = s != NULL ? snprintf(line, sizeof line, fmt, s) :
	    snprintf(line, sizeof line, fmt, v);
	if (n > 0 && (size_t)n < sizeof line)
		(void)write(r->watchdog_fd, line, (size_t)n);
}

/* ---- setup ---- */

/* A watchdog forked by runner_prepare(), for the next runner_new(). */
static pid_t early_watchdog = -1;
static int early_watchdog_fd = -1;

static pid_t
watchdog_fork(int *fd)
{
	int wd[2];
	pid_t pid;

	*fd = -1;
	if (pipe2(wd, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == 0) {
		close(wd[1]);
		watchdog_main(wd[0]);
	}
	close(wd[0]);
	if (pid > 0)
		*fd = wd[1];
	else
		close(wd[1]);
	return pid;
}

void
runner_prepare(void)
{
	if (early_watchdog == -1)
		early_watchdog = watchdog_fork(&early_watchdog_fd);
}

struct runner *
runner_new(void)
{
	struct runner *r = xcalloc(1, sizeof *r);
	const char *base = getenv("TMPDIR");
	struct sigaction sa;

	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	wake_pipe_open();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	r->tmpdir = xasprintf("%s/sshdoctor.XXXXXX", base && *base ? base : "/tmp");
	if (mkdtemp(r->tmpdir) == NULL) {
		free(r->tmpdir);
		free(r);
		return NULL;
	}
	chmod(r->tmpdir, 0700);
	if (early_watchdog > 0) {
		r->watchdog = early_watchdog;
		r->watchdog_fd = early_watchdog_fd;
		early_watchdog = 0;	/* taken: later runners fork their own */
	} else
		r->watchdog = watchdog_fork(&r->watchdog_fd);
	watchdog_say(r, "d %s\n", 0, r->tmpdir);
	buf_init(&r->out);
	return r;
}

const char *
runner_tmpdir(const struct runner *r)
{
	return r->tmpdir;
}

static void
set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* ---- spawning ---- */

/* What a child is to be between vfork() and exec. */
struct plan {
	pid_t		 parent;
	char *const	*argv;
	const char	*pty;		/* client: the terminal to open, or NULL */
	int		 out;		/* stderr (client) or stdout+stderr (server) */
};

static void
say_cannot_run(const char *prog)
{
	static const char a[] = "sshdoctor: cannot run ";
	const char *why = strerror(errno);

	(void)!write(STDERR_FILENO, a, sizeof a - 1);
	(void)!write(STDERR_FILENO, prog, strlen(prog));
	(void)!write(STDERR_FILENO, ": ", 2);
	(void)!write(STDERR_FILENO, why, strlen(why));
	(void)!write(STDERR_FILENO, "\n", 1);
}

/* The child, on the parent's memory until exec (vfork: a big process is
 * not write-protected page by page for a child that only execs, as fork
 * would do). Only system calls here; it never returns. Signals are blocked
 * on entry: handlers go back to default before they are let through. */
static void __attribute__((noreturn, noinline))
plan_exec(const struct plan *pl)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD };
	struct sigaction dfl;
	sigset_t none;
	int in;

	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &dfl, NULL);
	/* die with the parent; if it is gone already, do not start */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != pl->parent)
		_exit(127);
	if (pl->pty != NULL) {
		/* a new session: the terminal becomes the controlling one */
		setsid();
		if ((in = open(pl->pty, O_RDWR)) == -1)
			_exit(127);
		ioctl(in, TIOCSCTTY, 0);
		dup2(in, STDOUT_FILENO);
		dup2(pl->out, STDERR_FILENO);
	} else {
		setpgid(0, 0);
		if ((in = open("/dev/null", O_RDONLY)) == -1)
			_exit(127);
		dup2(pl->out, STDOUT_FILENO);
		dup2(pl->out, STDERR_FILENO);
	}
	dup2(in, STDIN_FILENO);
	if (in > STDERR_FILENO)
		close(in);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(pl->argv[0], pl->argv);
	say_cannot_run(pl->argv[0]);
	_exit(127);
}

static pid_t
plan_spawn(const struct plan *pl)
{
	sigset_t all, old;
	pid_t pid;
	int saved;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if ((pid = vfork()) == 0)
		plan_exec(pl);
	saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return pid;
}

static struct child *
child_slot(struct runner *r)
{
	struct child *c;

	if (r->nkids == RUNNER_MAX_CHILDREN) {
		errno = EMFILE;
		return NULL;
	}
	c = &r->kids[r->nkids];
	memset(c, 0, sizeof *c);
	c->log.fd = c->pty.fd = -1;
	buf_init(&c->log.buf);
	buf_init(&c->pty.buf);
	return c;
}

int
runner_spawn_client(struct runner *r, char *const argv[])
{
	struct child *c = child_slot(r);
	int master = -1, errp[2] = { -1, -1 }, saved;
	struct winsize ws = { 24, 80, 0, 0 };
	char *slave_name = NULL;
	pid_t parent = getpid(), pid;
	struct plan pl;

	if (c == NULL)
		return -1;
	if ((master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    grantpt(master) == -1 || unlockpt(master) == -1 ||
	    ptsname(master) == NULL || pipe2(errp, O_CLOEXEC) == -1)
		goto fail;
	slave_name = xstrdup(ptsname(master));
	ioctl(master, TIOCSWINSZ, &ws);
	pl.parent = parent;
	pl.argv = argv;
	pl.pty = slave_name;
	pl.out = errp[1];
	if ((pid = plan_spawn(&pl)) == -1)
		goto fail;
	free(slave_name);
	close(errp[1]);
	c->pid = pid;
	c->kind = CHILD_CLIENT;
	c->log.fd = errp[0];
	c->pty.fd = master;
	set_nonblock(errp[0]);
	set_nonblock(master);
	watchdog_say(r, "p %ld\n", (long)pid, NULL);
	return (int)r->nkids++;
fail:
	saved = errno;
	free(slave_name);
	if (master != -1)
		close(master);
	if (errp[0] != -1) {
		close(errp[0]);
		close(errp[1]);
	}
	errno = saved;
	return -1;
}

int
runner_spawn_server(struct runner *r, char *const argv[])
{
	struct child *c = child_slot(r);
	int outp[2], saved;
	pid_t parent = getpid(), pid;
	struct plan pl;

	if (c == NULL)
		return -1;
	if (pipe2(outp, O_CLOEXEC) == -1)
		return -1;
	pl.parent = parent;
	pl.argv = argv;
	pl.pty = NULL;
	pl.out = outp[1];
	if ((pid = plan_spawn(&pl)) == -1) {
		saved = errno;
		close(outp[0]);
		close(outp[1]);
		errno = saved;
		return -1;
	}
	setpgid(pid, pid);	/* both sides, so there is no window */
	close(outp[1]);
	c->pid = pid;
	c->kind = CHILD_SERVER;
	c->log.fd = outp[0];
	set_nonblock(outp[0]);
	watchdog_say(r, "p %ld\n", (long)pid, NULL);
	return (int)r->nkids++;
}

pid_t
runner_pid(const struct runner *r, int child)
{
	return child >= 0 && (size_t)child < r->nkids ? r->kids[child].pid : -1;
}

int
runner_running(const struct runner *r, int child)
{
	return child >= 0 && (size_t)child < r->nkids && !r->kids[child].exited;
}

/* ---- events ---- */

static void
reap(struct runner *r)
{
	r->child_seen = child_count;
	for (size_t i = 0; i < r->nkids; i++) {
		struct child *c = &r->kids[i];
		int st;

		if (c->exited)
			continue;
		if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
			c->exited = 1;
			c->status = WIFEXITED(st) ? WEXITSTATUS(st) :
			    128 + WTERMSIG(st);
			/* stragglers of its group go with it */
			kill(-c->pid, SIGKILL);
			watchdog_say(r, "r %ld\n", (long)c->pid, NULL);
		}
	}
}

/* Hand out one complete line of a stream, if there is one (or the rest
 * when the stream is closed). */
static int
take_line(struct runner *r, struct child *c, struct stream *s, int force,
    struct runner_event *ev)
{
	char *nl;
	size_t n;

	if (s->buf.len == 0)
		return 0;
	nl = memchr(s->buf.data, '\n', s->buf.len);
	if (nl == NULL && !force && s->buf.len < LINE_MAX_BYTES)
		return 0;
	n = nl != NULL ? (size_t)(nl - s->buf.data) : s->buf.len;
	buf_reset(&r->out);
	buf_add(&r->out, s->buf.data, n);
	if (r->out.len > 0 && r->out.data[r->out.len - 1] == '\r')
		r->out.data[--r->out.len] = '\0';
	n += nl != NULL ? 1 : 0;
	memmove(s->buf.data, s->buf.data + n, s->buf.len - n);
	s->buf.len -= n;
	memset(ev, 0, sizeof *ev);
	ev->type = RUNNER_LINE;
	ev->child = (int)(c - r->kids);
	ev->side = c->kind == CHILD_CLIENT ? SIDE_CLIENT : SIDE_SERVER;
	ev->from_pty = s == &c->pty;
	ev->data = r->out.data;
	ev->len = r->out.len;
	ev->number = ++s->lines;
	ev->ms = s->last_ms;
	return 1;
}

/* What a partial pty line asks for, or -1. */
static int
prompt_kind(const char *p, size_t n)
{
	char tail[512];
	size_t len;

	while (n > 0 && p[n - 1] == ' ')
		n--;
	len = n < sizeof tail - 1 ? n : sizeof tail - 1;
	memcpy(tail, p + n - len, len);
	tail[len] = '\0';
	if (strstr(tail, "continue connecting") != NULL && len > 0 &&
	    tail[len - 1] == '?')
		return PROMPT_HOSTKEY;
	if (len == 0 || tail[len - 1] != ':')
		return -1;
	if (strstr(tail, "passphrase") != NULL)
		return PROMPT_PASSPHRASE;
	if (strstr(tail, "assword") != NULL)
		return PROMPT_PASSWORD;
	return PROMPT_OTHER;
}

static int
take_prompt(struct runner *r, struct child *c, struct runner_event *ev)
{
	int k;

	if (c->prompt_told || c->pty.buf.len == 0 ||
	    memchr(c->pty.buf.data, '\n', c->pty.buf.len) != NULL)
		return 0;
	if ((k = prompt_kind(c->pty.buf.data, c->pty.buf.len)) < 0)
		return 0;
	/* an unusual prompt must stay alone a moment: it may be output */
	if (k == PROMPT_OTHER && runner_now(r) - c->pty.last_ms < PROMPT_QUIET_MS)
		return 0;
	c->prompt_told = 1;
	buf_reset(&r->out);
	{
		/* the terminal's carriage returns are not part of the question */
		size_t skip = strspn(c->pty.buf.data, "\r");

		buf_add(&r->out, c->pty.buf.data + skip, c->pty.buf.len - skip);
	}
	memset(ev, 0, sizeof *ev);
	ev->type = RUNNER_PROMPT;
	ev->child = (int)(c - r->kids);
	ev->side = SIDE_CLIENT;
	ev->data = r->out.data;
	ev->len = r->out.len;
	ev->prompt = (enum runner_prompt)k;
	ev->ms = runner_now(r);
	return 1;
}

static int
pending(struct runner *r, struct runner_event *ev)
{
	for (size_t i = 0; i < r->nkids; i++) {
		struct child *c = &r->kids[i];

		if (take_line(r, c, &c->log, c->log.fd == -1, ev)) {
			if (c->kind == CHILD_SERVER && !c->ready_told &&
			    strstr(ev->data, "Server listening on") != NULL) {
				/* the line first; READY comes next time */
				c->ready_told = -1;
			}
			return 1;
		}
		if (c->ready_told == -1) {
			c->ready_told = 1;
			memset(ev, 0, sizeof *ev);
			ev->type = RUNNER_READY;
			ev->child = (int)i;
			ev->side = SIDE_SERVER;
			ev->ms = runner_now(r);
			return 1;
		}
		if (take_line(r, c, &c->pty, c->pty.fd == -1, ev))
			return 1;
		if (take_prompt(r, c, ev))
			return 1;
		if (c->exited && !c->exit_told && c->log.fd == -1 &&
		    c->log.buf.len == 0 && c->pty.buf.len == 0 &&
		    (c->pty.fd == -1 || c->kind == CHILD_CLIENT)) {
			c->exit_told = 1;
			memset(ev, 0, sizeof *ev);
			ev->type = RUNNER_EXIT;
			ev->child = (int)i;
			ev->side = c->kind == CHILD_CLIENT ? SIDE_CLIENT : SIDE_SERVER;
			ev->status = c->status;
			ev->ms = runner_now(r);
			return 1;
		}
	}
	return 0;
}

static void
stream_read(struct runner *r, struct stream *s)
{
	char chunk[16384];
	ssize_t n;

	for (;;) {
		n = read(s->fd, chunk, sizeof chunk);
		if (n > 0) {
			buf_add(&s->buf, chunk, (size_t)n);
			s->last_ms = runner_now(r);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		/* EOF, or EIO on a pty whose other side has closed */
		close(s->fd);
		s->fd = -1;
		return;
	}
}

size_t
runner_pollfds(const struct runner *r, struct pollfd *fds, size_t max)
{
	size_t n = 0;

	if (n < max && wake_pipe[0] != -1)
		fds[n++] = (struct pollfd){ wake_pipe[0], POLLIN, 0 };
	for (size_t i = 0; i < r->nkids; i++) {
		const struct child *c = &r->kids[i];

		if (c->log.fd != -1 && n < max)
			fds[n++] = (struct pollfd){ c->log.fd, POLLIN, 0 };
		if (c->pty.fd != -1 && n < max)
			fds[n++] = (struct pollfd){ c->pty.fd, POLLIN, 0 };
	}
	return n;
}

int
runner_next(struct runner *r, int64_t deadline_ms, int timeout_ms,
    struct runner_event *ev)
{
	struct pollfd fds[2 * RUNNER_MAX_CHILDREN + 1];
	int64_t until = timeout_ms >= 0 ? runner_now(r) + timeout_ms : -1;

	for (;;) {
		int64_t now, wait = -1;
		size_t n;
		char drain[64];

		if (child_count != r->child_seen)
			reap(r);
		/* a client whose terminal closed has exited or will soon */
		if (pending(r, ev))
			return 0;
		if (got_signal && !r->signal_told) {
			r->signal_told = 1;
			memset(ev, 0, sizeof *ev);
			ev->type = RUNNER_SIGNAL;
			ev->signo = got_signal;
			ev->ms = runner_now(r);
			return 0;
		}
		now = runner_now(r);
		if (deadline_ms >= 0 && now >= deadline_ms) {
			memset(ev, 0, sizeof *ev);
			ev->type = RUNNER_DEADLINE;
			ev->ms = now;
			return 0;
		}
		n = runner_pollfds(r, fds, sizeof fds / sizeof fds[0]);
		if (deadline_ms >= 0)
			wait = deadline_ms - now;
		if (until >= 0 && (wait < 0 || wait > until - now))
			wait = until > now ? until - now : 0;
		for (size_t i = 0; i < r->nkids; i++) {
			struct child *c = &r->kids[i];

			/* wake to report a quiet unusual prompt */
			if (!c->prompt_told && c->pty.buf.len > 0 &&
			    (wait < 0 || wait > PROMPT_QUIET_MS))
				wait = PROMPT_QUIET_MS;
			/* an exited child whose pipe stays open (a grandchild
			 * holds it): look again soon */
			if (c->exited && !c->exit_told && (wait < 0 || wait > 100))
				wait = 100;
			if (!c->exited && c->log.fd == -1 && c->pty.fd == -1 &&
			    (wait < 0 || wait > 50))
				wait = 50;
		}
		if (n <= 1) {
			int alive = 0;

			for (size_t i = 0; i < r->nkids; i++)
				if (!r->kids[i].exited)
					alive = 1;
			if (!alive) {
				memset(ev, 0, sizeof *ev);
				ev->type = RUNNER_NONE;
				return -1;
			}
		}
		if (poll(fds, n, (int)(wait > 1000000 ? 1000000 : wait)) < 0 &&
		    errno != EINTR)
			fatal("poll: %s", strerror(errno));
		while (wake_pipe[0] != -1 && read(wake_pipe[0], drain, sizeof drain) > 0)
			;
		for (size_t i = 0; i < r->nkids; i++) {
			struct child *c = &r->kids[i];

			if (c->log.fd != -1)
				stream_read(r, &c->log);
			if (c->pty.fd != -1) {
				size_t before = c->pty.buf.len;

				stream_read(r, &c->pty);
				if (c->pty.buf.len != before)
					c->prompt_told = 0;
			}
			if (c->exited && c->log.fd != -1 &&
			    runner_now(r) - c->log.last_ms > 500) {
				/* a grandchild keeps the pipe: stop waiting */
				close(c->log.fd);
				c->log.fd = -1;
			}
			if (c->exited && c->pty.fd != -1 &&
			    runner_now(r) - c->pty.last_ms > 500) {
				close(c->pty.fd);
				c->pty.fd = -1;
			}
		}
		if (until >= 0 && runner_now(r) >= until) {
			if (child_count != r->child_seen)
				reap(r);
			return pending(r, ev) ? 0 : 1;
		}
	}
}

int
runner_answer(struct runner *r, int child, char *answer)
{
	struct child *c;
	struct termios t, saved;
	int have = 0, rc = 0;
	size_t n = strlen(answer);

	if (child < 0 || (size_t)child >= r->nkids || r->kids[child].pty.fd == -1) {
		explicit_bzero(answer, n);
		errno = EBADF;
		return -1;
	}
	c = &r->kids[child];
	/* echo off while the answer passes, whatever the child asked for */
	if (tcgetattr(c->pty.fd, &t) == 0) {
		saved = t;
		t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		have = tcsetattr(c->pty.fd, TCSANOW, &t) == 0;
	}
	if (write(c->pty.fd, answer, n) != (ssize_t)n || write(c->pty.fd, "\n", 1) != 1)
		rc = -1;
	if (have)
		tcsetattr(c->pty.fd, TCSANOW, &saved);
	explicit_bzero(answer, n);
	/* the prompt text is gone from the terminal's point of view */
	buf_reset(&c->pty.buf);
	c->prompt_told = 1;
	return rc;
}

void
runner_stop(struct runner *r, int child, int grace_ms)
{
	struct child *c;
	int st;

	if (child < 0 || (size_t)child >= r->nkids)
		return;
	c = &r->kids[child];
	if (c->exited)
		return;
	kill(-c->pid, SIGTERM);
	for (int waited = 0; waited < grace_ms; waited += 20) {
		struct timespec ts = { 0, 20 * 1000000L };

		if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
			c->exited = 1;
			c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			break;
		}
		nanosleep(&ts, NULL);
	}
	kill(-c->pid, SIGKILL);
	if (!c->exited && waitpid(c->pid, &st, 0) == c->pid) {
		c->exited = 1;
		c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	watchdog_say(r, "r %ld\n", (long)c->pid, NULL);
}

void
runner_free(struct runner *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nkids; i++) {
		struct child *c = &r->kids[i];

		runner_stop(r, (int)i, 500);
		if (c->log.fd != -1)
			close(c->log.fd);
		if (c->pty.fd != -1)
			close(c->pty.fd);
		buf_free(&c->log.buf);
		buf_free(&c->pty.buf);
	}
	rm_tree(r->tmpdir);
	if (r->watchdog_fd != -1) {
		watchdog_say(r, "x\n", 0, NULL);
		close(r->watchdog_fd);
		waitpid(r->watchdog, NULL, 0);
	}
	buf_free(&r->out);
	free(r->tmpdir);
	free(r);
}
