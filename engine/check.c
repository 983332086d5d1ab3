/* check.c: local checks. Each one reads files or runs one OpenSSH tool
 * (ssh -G, sshd -T, ssh-keygen -F) without a shell and turns what it
 * sees into findings; nothing here changes a file. */
#define _GNU_SOURCE 1	/* pipe2, getgrouplist */
#include "check.h"
#include "sanitize.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CMD_TIMEOUT_MS	5000		/* ssh -G, sshd -T, ssh-keygen -F */
#define CMD_OUTPUT_MAX	(1024 * 1024)	/* more is kept from no tool */
#define KEY_READ_MAX	(64 * 1024)	/* a private key is a few KB */
#define STDERR_LINES	5		/* warnings kept from a tool's stderr */
#define MAX_GROUPS	256

/* ---- findings ---- */

/*
 * Every string of a finding may carry bytes of a file name or of a tool's
 * output: sanitising at this one entry point means no caller can forget.
 */
void
findings_add(struct findings *f, enum finding_severity sev, const char *id,
    const char *problem, const char *path, const char *fix,
    const char *fmt, ...)
{
	struct finding *x;
	struct buf b;
	va_list ap;

	f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
	x = &f->v[f->n++];
	x->sev = sev;
	x->id = xstrdup(id);
	x->problem = problem != NULL ? xstrdup(problem) : NULL;
	x->path = path != NULL ? sanitize_str(path) : NULL;
	x->fix = fix != NULL ? sanitize_str(fix) : NULL;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	x->text = sanitize_str(b.data != NULL ? b.data : "");
	buf_free(&b);
}

void
findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].id);
		free(f->v[i].problem);
		free(f->v[i].path);
		free(f->v[i].text);
		free(f->v[i].fix);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

const char *
finding_severity_name(enum finding_severity sev)
{
	switch (sev) {
	case FIND_OK:		return "ok";
	case FIND_INFO:		return "info";
	case FIND_WARN:		return "warn";
	case FIND_ERROR:	return "error";
	}
	return "?";
}

enum finding_severity
findings_worst(const struct findings *f)
{
	enum finding_severity worst = FIND_OK;

	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].sev > worst)
			worst = f->v[i].sev;
	return worst;
}

/* ---- small helpers ---- */

static int
str_endswith(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A path as one shell word, so that a fix can be pasted as it is. */
static char *
shell_quote(const char *s)
{
	struct buf b;

	if (*s != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789_./-+@%:,=~") == strlen(s))
		return xstrdup(s);
	buf_init(&b);
	buf_addc(&b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_adds(&b, "'\\''");
		else
			buf_addc(&b, *s);
	}
	buf_addc(&b, '\'');
	return buf_steal(&b);
}

static char *
fix_chmod(const char *mode, const char *path)
{
	char *q = shell_quote(path), *fix;

	fix = xasprintf("chmod %s %s", mode, q);
	free(q);
	return fix;
}

/* "chown u: FILE" gives the user's login group too; a uid without a
 * passwd entry has no login group to name. */
static char *
fix_chown(uid_t uid, const char *path)
{
	struct passwd *pw = getpwuid(uid);
	char *q = shell_quote(path), *fix;

	if (pw != NULL) {
		char *u = shell_quote(pw->pw_name);

		fix = xasprintf("chown %s: %s", u, q);
		free(u);
	} else
		fix = xasprintf("chown %lu %s", (unsigned long)uid, q);
	free(q);
	return fix;
}

static char *
user_name(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		return xstrdup(pw->pw_name);
	return xasprintf("uid %lu", (unsigned long)uid);
}

static char *
path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n > 0 && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

/* The start of a file (at most max bytes), NUL-terminated; -1 if it
 * cannot be read. */
static int
file_head(const char *path, size_t max, struct buf *out)
{
	char chunk[4096];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) == -1)
		return -1;
	buf_reset(out);
	while (out->len < max) {
		size_t want = max - out->len < sizeof chunk ?
		    max - out->len : sizeof chunk;

		n = read(fd, chunk, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	if (out->data == NULL)
		buf_add(out, "", 0);
	return 0;
}

/* The first line of a text, without its end (for a tool's error). */
static char *
first_line(const char *s)
{
	if (s == NULL)
		return xstrdup("");
	while (*s == '\n' || *s == '\r')
		s++;
	return xstrndup(s, strcspn(s, "\r\n"));
}

/* Expand %-tokens: home_tok (sshd's %h, ssh's %d) for the home, %u the
 * user, %U the uid, %%. NULL for a token we cannot know here (ssh's %h
 * is the remote host). */
static char *
token_expand(const char *s, char home_tok, const char *home,
    const char *user, uid_t uid)
{
	struct buf b;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (*s != '%') {
			buf_addc(&b, *s);
			continue;
		}
		s++;
		if (*s == home_tok) {
			buf_adds(&b, home);
			continue;
		}
		switch (*s) {
		case '%':
			buf_addc(&b, '%');
			break;
		case 'u':
			buf_adds(&b, user);
			break;
		case 'U':
			buf_addf(&b, "%lu", (unsigned long)uid);
			break;
		default:
			buf_free(&b);
			return NULL;
		}
	}
	return buf_steal(&b);
}


/* ---- running a tool ---- */

struct cmd_out {
	struct buf	 out;
	struct buf	 err;
	int		 status;	/* exit code, or 128+signal */
	int		 timed_out;
};

static void
cmd_out_free(struct cmd_out *co)
{
	buf_free(&co->out);
	buf_free(&co->err);
}

/* In the child: its own group (so a timeout kills everything it
 * started), death with us, default signals, stdin from /dev/null. An
 * exec failure is told through the close-on-exec pipe. */
static void __attribute__((noreturn))
cmd_child(const char *const argv[], pid_t parent, int out, int err, int status)
{
	sigset_t none;
	int devnull, e;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if ((devnull = open("/dev/null", O_RDONLY)) != -1)
		dup2(devnull, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	execvp(argv[0], (char *const *)argv);
	e = errno;
	(void)write(status, &e, sizeof e);
	_exit(127);
}

static void
cmd_read(int *fd, struct buf *b)
{
	char chunk[8192];
	ssize_t n;

	n = read(*fd, chunk, sizeof chunk);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	/* Past the cap the bytes are drained, so the child never blocks. */
	if (b->len < CMD_OUTPUT_MAX)
		buf_add(b, chunk, (size_t)n);
}

/* Read stdout and stderr until both close or the deadline passes. */
static void
cmd_collect(int out, int err, int64_t deadline, struct cmd_out *co)
{
	struct pollfd pfd[2];

	pfd[0].fd = out;
	pfd[1].fd = err;
	pfd[0].events = pfd[1].events = POLLIN;
	while (pfd[0].fd != -1 || pfd[1].fd != -1) {
		int64_t left = deadline - monotonic_ms();

		if (left <= 0) {
			co->timed_out = 1;
			break;
		}
		if (poll(pfd, 2, (int)left) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].fd != -1 && pfd[0].revents != 0)
			cmd_read(&pfd[0].fd, &co->out);
		if (pfd[1].fd != -1 && pfd[1].revents != 0)
			cmd_read(&pfd[1].fd, &co->err);
	}
	for (int i = 0; i < 2; i++)
		if (pfd[i].fd != -1)
			close(pfd[i].fd);
}

/*
 * Both pipes are closed, so the child is normally gone or going; one
 * that lingers is looked at every 10 ms until the deadline and then
 * killed. A child that holds on after closing its output is rare enough
 * that this short wait is cheaper than a SIGCHLD handler of our own.
 */
static void
cmd_reap(pid_t pid, int64_t deadline, struct cmd_out *co)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int st = 0;
	pid_t r;

	if (co->timed_out)
		kill(-pid, SIGKILL);
	for (;;) {
		r = waitpid(pid, &st, co->timed_out ? 0 : WNOHANG);
		if (r == pid || (r == -1 && errno != EINTR))
			break;
		if (r == 0 && monotonic_ms() >= deadline) {
			co->timed_out = 1;
			kill(-pid, SIGKILL);
			continue;
		}
		if (r == 0)
			nanosleep(&tick, NULL);
	}
	if (r != pid)
		co->status = 127;
	else if (WIFEXITED(st))
		co->status = WEXITSTATUS(st);
	else
		co->status = 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/*
 * Run argv (found in PATH, never through a shell) for at most timeout_ms
 * with stdout and stderr kept apart. 0 when it ran (see co->status and
 * co->timed_out), -1 with errno when it could not be started.
 */
static int
cmd_run(const char *const argv[], int timeout_ms, struct cmd_out *co)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, execp[2] = { -1, -1 };
	int64_t deadline = monotonic_ms() + timeout_ms;
	int e = 0, saved;
	pid_t parent = getpid(), pid;
	ssize_t n;

	memset(co, 0, sizeof *co);
	buf_init(&co->out);
	buf_init(&co->err);
	if (pipe2(outp, O_CLOEXEC) == -1 || pipe2(errp, O_CLOEXEC) == -1 ||
	    pipe2(execp, O_CLOEXEC) == -1 || (pid = fork()) == -1)
		goto fail;
	if (pid == 0)
		cmd_child(argv, parent, outp[1], errp[1], execp[1]);
	setpgid(pid, pid);	/* both sides, so there is no window */
	close(outp[1]);
	close(errp[1]);
	close(execp[1]);
	outp[1] = errp[1] = execp[1] = -1;
	do
		n = read(execp[0], &e, sizeof e);
	while (n == -1 && errno == EINTR);
	close(execp[0]);
	if (n == (ssize_t)sizeof e) {
		close(outp[0]);
		close(errp[0]);
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		errno = e;
		return -1;
	}
	cmd_collect(outp[0], errp[0], deadline, co);
	cmd_reap(pid, deadline, co);
	return 0;
fail:
	saved = errno;
	for (int i = 0; i < 2; i++) {
		if (outp[i] != -1)
			close(outp[i]);
		if (errp[i] != -1)
			close(errp[i]);
		if (execp[i] != -1)
			close(execp[i]);
	}
	errno = saved;
	return -1;
}

/* ---- "key value" output of ssh -G and sshd -T ---- */

struct opts {
	struct strv	 keys;
	struct strv	 vals;
};

static void
opts_parse(const char *text, struct opts *o)
{
	const char *p = text, *eol, *sp;

	memset(o, 0, sizeof *o);
	for (; p != NULL && *p != '\0'; p = *eol != '\0' ? eol + 1 : eol) {
		eol = p + strcspn(p, "\n");
		sp = memchr(p, ' ', (size_t)(eol - p));
		if (sp == NULL || sp == p)
			continue;
		strv_addn(&o->keys, xstrndup(p, (size_t)(sp - p)));
		sp++;
		strv_addn(&o->vals, xstrndup(sp, (size_t)(eol - sp) -
		    (eol > sp && eol[-1] == '\r')));
	}
}

static void
opts_free(struct opts *o)
{
	strv_free(&o->keys);
	strv_free(&o->vals);
}

static const char *
opts_get(const struct opts *o, const char *key)
{
	for (size_t i = 0; i < o->keys.n; i++)
		if (strcmp(o->keys.v[i], key) == 0)
			return o->vals.v[i];
	return NULL;
}

static size_t
opts_count(const struct opts *o, const char *key)
{
	size_t n = 0;

	for (size_t i = 0; i < o->keys.n; i++)
		n += strcmp(o->keys.v[i], key) == 0;
	return n;
}

/* A keyword printed once is a value; one printed on several lines
 * (IdentityFile, HostKey, AllowUsers) becomes a list fact. */
static void
opts_to_facts(const struct opts *o, struct facts *cfg)
{
	for (size_t i = 0; i < o->keys.n; i++) {
		if (opts_count(o, o->keys.v[i]) > 1)
			facts_set(cfg, o->keys.v[i], o->vals.v[i], 1);
		else
			facts_put(cfg, o->keys.v[i], o->vals.v[i]);
	}
}

/* Diagnostics a tool printed while it still succeeded ("line 3:
 * Deprecated option"), a few of them. */
static void
stderr_warnings(const char *err, const char *id, const char *tool,
    struct findings *out)
{
	const char *p = err, *eol;
	int kept = 0;

	for (; p != NULL && *p != '\0' && kept < STDERR_LINES; p = eol) {
		char *line;

		eol = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(eol - p));
		if (*eol == '\n')
			eol++;
		if (strstr(line, "line ") != NULL) {
			findings_add(out, FIND_INFO, id, NULL, NULL, NULL,
			    "%s says: %s", tool, line);
			kept++;
		}
		free(line);
	}
}

/* ---- algorithms turned back on ---- */

/* Not in the default lists of OpenSSH 9.x (kb/algorithms.yaml has each
 * one's story): present in an effective list, someone added it back. */
static const char *const legacy_algs[] = {
	"ssh-rsa", "ssh-dss", "ssh-rsa-cert-v01@openssh.com",
	"ssh-dss-cert-v01@openssh.com",
	"diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
	"diffie-hellman-group-exchange-sha1",
	"3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc",
	"rijndael-cbc@lysator.liu.se", "blowfish-cbc", "cast128-cbc",
	"arcfour", "arcfour128", "arcfour256",
	"hmac-md5", "hmac-md5-96", "hmac-md5-etm@openssh.com",
	"hmac-md5-96-etm@openssh.com", "hmac-sha1-96",
	"hmac-sha1-96-etm@openssh.com", "hmac-ripemd160",
	"hmac-ripemd160@openssh.com", "hmac-ripemd160-etm@openssh.com",
};

static const char *const alg_keys[] = {
	"ciphers", "macs", "kexalgorithms", "hostkeyalgorithms",
	"pubkeyacceptedalgorithms",
};

static int
alg_is_legacy(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof legacy_algs / sizeof *legacy_algs; i++)
		if (strlen(legacy_algs[i]) == len &&
		    strncmp(legacy_algs[i], name, len) == 0)
			return 1;
	return 0;
}

static void
check_legacy(const struct opts *o, const char *id, struct findings *out)
{
	for (size_t k = 0; k < sizeof alg_keys / sizeof *alg_keys; k++) {
		const char *list = opts_get(o, alg_keys[k]), *p;
		struct buf found;

		if (list == NULL)
			continue;
		buf_init(&found);
		for (p = list; *p != '\0'; ) {
			size_t len = strcspn(p, ",");

			if (alg_is_legacy(p, len)) {
				if (found.len > 0)
					buf_adds(&found, ",");
				buf_add(&found, p, len);
			}
			p += len;
			if (*p == ',')
				p++;
		}
		if (found.len > 0)
			findings_add(out, FIND_INFO, id, NULL, NULL, NULL,
			    "legacy algorithm enabled in %s: %s", alg_keys[k],
			    found.data);
		buf_free(&found);
	}
}

/* ---- owner and mode of one file ---- */

struct mode_rule {
	const char	*id;
	const char	*what;		/* "~/.ssh", "authorized_keys" */
	const char	*problem;
	const char	*chmod;		/* the mode a fix sets */
	const char	*why;		/* what a bad one causes */
};

static const struct mode_rule rule_home = {
	"mode-home", "home directory", "auth-bad-modes-server", "go-w",
	"sshd's StrictModes then refuses the user's authorized_keys"
};
static const struct mode_rule rule_ssh_dir = {
	"mode-ssh-dir", "directory", "auth-bad-modes-server", "700",
	"sshd's StrictModes then refuses the user's authorized_keys"
};
static const struct mode_rule rule_authkeys = {
	"mode-authorized-keys", "authorized keys file", "auth-bad-modes-server",
	"600", "sshd's StrictModes refuses it"
};
static const struct mode_rule rule_known_hosts = {
	"mode-known-hosts", "known hosts file", NULL, "644",
	"whoever can write it can make ssh trust a forged host key"
};
static const struct mode_rule rule_config = {
	"mode-config", "client configuration", "auth-client-config-perms", "600",
	"ssh stops with 'Bad owner or permissions'"
};

/*
 * The talk's *1 rule, as sshd and ssh test it: owned by the user (or
 * root) and not writable by group or others. 1 when the file passes.
 */
static int
check_owner_mode(const char *path, const struct stat *st, uid_t uid,
    const struct mode_rule *r, enum finding_severity sev,
    struct findings *out)
{
	char *fix, *owner, *want;
	int ok = 1;

	if (st->st_uid != uid && st->st_uid != 0) {
		owner = user_name(st->st_uid);
		want = user_name(uid);
		fix = fix_chown(uid, path);
		findings_add(out, sev, r->id, r->problem, path, fix,
		    "%s %s is owned by %s, not by %s or root: %s", r->what,
		    path, owner, want, r->why);
		free(fix);
		free(owner);
		free(want);
		ok = 0;
	}
	if ((st->st_mode & 022) != 0) {
		fix = fix_chmod(r->chmod, path);
		findings_add(out, sev, r->id, r->problem, path, fix,
		    "%s %s is mode %04o, writable by %s: %s", r->what, path,
		    (unsigned)(st->st_mode & 07777),
		    (st->st_mode & 002) ? "others" : "its group", r->why);
		free(fix);
		ok = 0;
	}
	if (ok) {
		owner = user_name(st->st_uid);
		findings_add(out, FIND_OK, r->id, NULL, path, NULL,
		    "%s %s: mode %04o, owned by %s", r->what, path,
		    (unsigned)(st->st_mode & 07777), owner);
		free(owner);
	}
	return ok;
}

/* ---- keys ---- */

static int
looks_private(const char *head)
{
	if (strncmp(head, "PuTTY-User-Key-File", 19) == 0)
		return 1;
	if (strncmp(head, "-----BEGIN ", 11) != 0)
		return 0;
	return strstr(head, "PRIVATE KEY-----") != NULL &&
	    strstr(head, "PRIVATE KEY-----") < head + strcspn(head, "\n");
}

/* The key type: the first word of the .pub, or what a PEM header says. */
static char *
key_type(const char *path, const char *head)
{
	struct buf b;
	char *pub = xasprintf("%s.pub", path), *type = NULL;
	const char *p;

	buf_init(&b);
	if (file_head(pub, 4096, &b) == 0) {
		p = b.data + strspn(b.data, " \t");
		if (*p != '\0' && *p != '\n')
			type = xstrndup(p, strcspn(p, " \t\r\n"));
	}
	buf_free(&b);
	free(pub);
	if (type != NULL || head == NULL)
		return type;
	if (strncmp(head, "-----BEGIN RSA PRIVATE", 22) == 0)
		return xstrdup("ssh-rsa");
	if (strncmp(head, "-----BEGIN DSA PRIVATE", 22) == 0)
		return xstrdup("ssh-dss");
	if (strncmp(head, "-----BEGIN EC PRIVATE", 21) == 0)
		return xstrdup("ecdsa");
	return NULL;
}

/* PuTTY's format or DOS line ends: ssh says "invalid format". */
static void
key_check_format(const char *path, const char *head, struct findings *out)
{
	char *q, *fix;

	if (strncmp(head, "PuTTY-User-Key-File", 19) == 0) {
		q = shell_quote(path);
		fix = xasprintf("puttygen %s -O private-openssh -o %s.openssh",
		    q, q);
		findings_add(out, FIND_WARN, "key-format", "auth-key-unreadable",
		    path, fix, "private key %s is a PuTTY .ppk file: ssh cannot "
		    "load it (invalid format)", path);
		free(fix);
		free(q);
	} else if (strstr(head, "\r\n") != NULL) {
		q = shell_quote(path);
		fix = xasprintf("sed -i 's/\\r$//' %s", q);
		findings_add(out, FIND_WARN, "key-format", "auth-key-unreadable",
		    path, fix, "private key %s has DOS (CRLF) line ends: ssh "
		    "cannot load it (invalid format)", path);
		free(fix);
		free(q);
	}
}

/* List the key with its type; DSA is off since 7.0 and gone in 10.0. */
static void
key_describe(const char *path, const char *head, struct findings *out)
{
	char *type = key_type(path, head);

	if (type != NULL && strcmp(type, "ssh-dss") == 0)
		findings_add(out, FIND_WARN, "key-dsa", "auth-no-mutual-sig",
		    path, "ssh-keygen -t ed25519", "DSA key %s: ssh-dss is "
		    "disabled by default since OpenSSH 7.0 and removed in 10.0",
		    path);
	else
		findings_add(out, FIND_INFO, "key-present", NULL, path, NULL,
		    "key %s (%s)", path, type != NULL ? type : "type unknown: "
		    "no .pub next to it");
	free(type);
}

void
check_private_key(const char *path, uid_t uid, struct findings *out)
{
	struct stat st;
	struct buf head;
	char *fix, *owner, *want;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return;
	/* ssh checks the mode only of a key the user owns (sshkey_perm_ok);
	 * someone else's key it may simply be unable to open. */
	if (st.st_uid != uid) {
		owner = user_name(st.st_uid);
		want = user_name(uid);
		fix = fix_chown(uid, path);
		findings_add(out, FIND_WARN, "mode-key", "auth-key-unreadable",
		    path, fix, "private key %s is owned by %s, not by %s: ssh "
		    "running as %s may not be able to read it", path, owner,
		    want, want);
		free(fix);
		free(owner);
		free(want);
	} else if ((st.st_mode & 077) != 0) {
		fix = fix_chmod("600", path);
		findings_add(out, FIND_ERROR, "mode-key", "auth-client-key-perms",
		    path, fix, "private key %s is mode %04o: ssh ignores a key "
		    "others can read (UNPROTECTED PRIVATE KEY FILE)", path,
		    (unsigned)(st.st_mode & 07777));
		free(fix);
	} else
		findings_add(out, FIND_OK, "mode-key", NULL, path, NULL,
		    "private key %s: mode %04o, owned by the user", path,
		    (unsigned)(st.st_mode & 07777));
	buf_init(&head);
	if (file_head(path, KEY_READ_MAX, &head) == 0) {
		key_check_format(path, head.data, out);
		key_describe(path, head.data, out);
	}
	buf_free(&head);
}

/* A .pub whose private half is not there (a certificate names its key
 * without "-cert"). */
static void
pub_describe(const char *sshdir, const char *name, struct findings *out)
{
	size_t n = strlen(name) - 4;
	char *base, *priv, *path, *type;
	int cert = str_endswith(name, "-cert.pub");

	base = xstrndup(name, cert ? n - 5 : n);
	priv = path_join(sshdir, base);
	path = path_join(sshdir, name);
	if (cert || access(priv, F_OK) == -1) {
		char *stem = xstrndup(path, strlen(path) - 4);

		type = key_type(stem, NULL);
		findings_add(out, FIND_INFO, "key-present", NULL, path, NULL,
		    "%s %s (%s)%s", cert ? "certificate" : "public key", path,
		    type != NULL ? type : "type unknown",
		    cert ? "" : " without its private key");
		free(type);
		free(stem);
	}
	free(base);
	free(priv);
	free(path);
}

/* ---- the client files ---- */

/*
 * IdentityFile lines of ~/.ssh/config (every Host block: each is a key
 * the user means to use), with ~, %d and %u expanded; one with another
 * token is left out.
 */
static void
config_identities(const char *config, const char *home, uid_t uid,
    struct strv *out)
{
	char *user = user_name(uid);
	const char *p, *eol;
	struct buf b;

	buf_init(&b);
	if (file_head(config, CMD_OUTPUT_MAX, &b) == -1)
		goto out;
	for (p = b.data; *p != '\0'; p = *eol != '\0' ? eol + 1 : eol) {
		const char *v;
		char *val, *path;
		size_t len;

		eol = p + strcspn(p, "\n");
		p += strspn(p, " \t");
		if (strncasecmp(p, "identityfile", 12) != 0 ||
		    p[12] == '\0' || strchr(" \t=", p[12]) == NULL)
			continue;
		v = p + 12 + strspn(p + 12, " \t=");
		if (*v == '"')
			len = strcspn(++v, "\"\n");
		else
			len = strcspn(v, " \t\r\n");
		val = xstrndup(v, len);
		if ((path = token_expand(val, 'd', home, user, uid)) != NULL &&
		    strncmp(path, "~/", 2) == 0) {
			char *x = path_join(home, path + 2);

			free(path);
			path = x;
		} else if (path != NULL && path[0] != '/') {
			char *x = path_join(home, path);

			free(path);
			path = x;
		}
		if (path != NULL && !strv_has(out, path))
			strv_addn(out, path);
		else
			free(path);
		free(val);
	}
out:
	buf_free(&b);
	free(user);
}

static int
name_is_key(const char *name, const char *path, struct buf *head)
{
	if (str_endswith(name, ".pub"))
		return 0;
	if (strncmp(name, "id_", 3) == 0)
		return 1;
	return file_head(path, 256, head) == 0 && looks_private(head->data);
}

/* One entry of ~/.ssh. */
static void
ssh_dir_entry(const char *sshdir, const char *name, uid_t uid,
    struct strv *seen, struct findings *out)
{
	char *path = path_join(sshdir, name);
	struct stat st;
	struct buf head;

	buf_init(&head);
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		goto out;
	if (strcmp(name, "config") == 0)
		check_owner_mode(path, &st, uid, &rule_config, FIND_ERROR, out);
	else if (strcmp(name, "authorized_keys") == 0 ||
	    strcmp(name, "authorized_keys2") == 0)
		check_owner_mode(path, &st, uid, &rule_authkeys, FIND_ERROR, out);
	else if (strcmp(name, "known_hosts") == 0 ||
	    strcmp(name, "known_hosts2") == 0)
		check_owner_mode(path, &st, uid, &rule_known_hosts, FIND_WARN,
		    out);
	else if (str_endswith(name, ".pub"))
		pub_describe(sshdir, name, out);
	else if (name_is_key(name, path, &head)) {
		strv_add(seen, path);
		check_private_key(path, uid, out);
	}
out:
	buf_free(&head);
	free(path);
}

static int
dirent_visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void
ssh_dir_walk(const char *sshdir, const char *home, uid_t uid,
    struct findings *out)
{
	struct dirent **names = NULL;
	struct strv seen = { 0 }, ids = { 0 };
	char *config;
	int n;

	if ((n = scandir(sshdir, &names, dirent_visible, alphasort)) == -1) {
		findings_add(out, FIND_WARN, "mode-ssh-dir", NULL, sshdir, NULL,
		    "cannot list %s: %s", sshdir, strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		ssh_dir_entry(sshdir, names[i]->d_name, uid, &seen, out);
		free(names[i]);
	}
	free(names);
	/* Keys the config names elsewhere, or under a name we did not take
	 * for a key. */
	config = path_join(sshdir, "config");
	config_identities(config, home, uid, &ids);
	for (size_t i = 0; i < ids.n; i++)
		if (!strv_has(&seen, ids.v[i]) && access(ids.v[i], F_OK) == 0)
			check_private_key(ids.v[i], uid, out);
	free(config);
	strv_free(&ids);
	strv_free(&seen);
}

void
check_client_files(const char *home, uid_t uid, struct findings *out)
{
	enum finding_severity sev = FIND_WARN;
	char *sshdir = path_join(home, ".ssh"), *ak;
	struct stat st;

	/* A bad home or ~/.ssh only hurts when someone logs in with a key:
	 * an error when there is an authorized_keys, a warning otherwise. */
	ak = path_join(sshdir, "authorized_keys");
	if (access(ak, F_OK) == 0)
		sev = FIND_ERROR;
	free(ak);
	if (stat(home, &st) == -1) {
		findings_add(out, FIND_ERROR, "mode-home", "login-no-home", home,
		    NULL, "home directory %s: %s", home, strerror(errno));
		goto out;
	}
	check_owner_mode(home, &st, uid, &rule_home, sev, out);
	if (stat(sshdir, &st) == -1) {
		findings_add(out, FIND_INFO, "mode-ssh-dir", NULL, sshdir, NULL,
		    "no %s: no keys, known hosts or client configuration yet",
		    sshdir);
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		findings_add(out, FIND_ERROR, "mode-ssh-dir",
		    "auth-bad-modes-server", sshdir, NULL,
		    "%s is not a directory", sshdir);
		goto out;
	}
	check_owner_mode(sshdir, &st, uid, &rule_ssh_dir, sev, out);
	ssh_dir_walk(sshdir, home, uid, out);
out:
	free(sshdir);
}

/* ---- StrictModes ---- */

/* sshd's test (misc.c safe_path()): owner root or the user, and no
 * write bit for group or others. */
static int
strict_ok(const struct stat *st, uid_t uid)
{
	return (st->st_uid == 0 || st->st_uid == uid) &&
	    (st->st_mode & 022) == 0;
}

static int
path_inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/' || strcmp(dir, "/") == 0);
}

/* The component that fails, with the command that mends it. Above the
 * home the owner to restore is root; at or under it, the user. */
static void
strict_report(const char *path, const struct stat *st, uid_t uid,
    const char *home, int isdir, struct findings *out)
{
	int bad_owner = st->st_uid != 0 && st->st_uid != uid;
	int sticky = isdir && (st->st_mode & 01002) == 01002;
	char *chown_fix = NULL, *chmod_fix = NULL, *fix = NULL, *owner;

	if (bad_owner)
		chown_fix = home != NULL && path_inside(path, home) ?
		    fix_chown(uid, path) : fix_chown(0, path);
	if ((st->st_mode & 022) != 0 && !sticky)
		chmod_fix = fix_chmod("go-w", path);
	if (chown_fix != NULL && chmod_fix != NULL)
		fix = xasprintf("%s && %s", chown_fix, chmod_fix);
	else if (chown_fix != NULL || chmod_fix != NULL)
		fix = xstrdup(chown_fix != NULL ? chown_fix : chmod_fix);
	owner = user_name(st->st_uid);
	findings_add(out, FIND_ERROR, "strict-modes", "auth-bad-modes-server",
	    path, fix, "Authentication refused: bad ownership or modes for %s "
	    "%s (mode %04o, owner %s)%s", isdir ? "directory" : "file", path,
	    (unsigned)(st->st_mode & 07777), owner, sticky ? ": the sticky "
	    "bit does not satisfy StrictModes, keep the key file out of it" :
	    "");
	free(owner);
	free(fix);
	free(chown_fix);
	free(chmod_fix);
}

/* The directories from the file up to the home (when the file is in
 * it) or to /. 0 when all pass. */
static int
strict_walk(const char *file, uid_t uid, const char *home,
    struct findings *out)
{
	char *dir = xstrdup(file), *slash;
	struct stat st;
	int rc = 0;

	for (;;) {
		if ((slash = strrchr(dir, '/')) == NULL)
			break;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(dir, &st) == -1 || !strict_ok(&st, uid)) {
			if (stat(dir, &st) == -1)
				findings_add(out, FIND_ERROR, "strict-modes",
				    "auth-bad-modes-server", dir, NULL,
				    "cannot stat %s: %s", dir, strerror(errno));
			else
				strict_report(dir, &st, uid, home, 1, out);
			rc = -1;
			break;
		}
		if ((home != NULL && strcmp(home, dir) == 0) ||
		    strcmp(dir, "/") == 0)
			break;
	}
	free(dir);
	return rc;
}

void
check_strict_modes(const char *file, uid_t uid, const char *home,
    struct findings *out)
{
	char *real = NULL, *realhome = NULL;
	struct stat st;

	if (stat(file, &st) == -1) {
		findings_add(out, FIND_INFO, "strict-modes", NULL, file, NULL,
		    "%s: %s (sshd finds no keys there)", file, strerror(errno));
		return;
	}
	/* sshd compares canonical paths, so a symlinked home still stops
	 * the walk. */
	if ((real = realpath(file, NULL)) == NULL)
		real = xstrdup(file);
	if (home != NULL)
		realhome = realpath(home, NULL);
	if (!S_ISREG(st.st_mode))
		findings_add(out, FIND_ERROR, "strict-modes",
		    "auth-bad-modes-server", real, NULL,
		    "%s is not a regular file", real);
	else if (!strict_ok(&st, uid))
		strict_report(real, &st, uid, realhome, 0, out);
	else if (strict_walk(real, uid, realhome, out) == 0)
		findings_add(out, FIND_OK, "strict-modes", NULL, real, NULL,
		    "StrictModes: %s and its directories up to %s pass", real,
		    realhome != NULL && path_inside(real, realhome) ?
		    realhome : "/");
	free(real);
	free(realhome);
}

/* ---- known_hosts ---- */

/* One "# Host NAME found: line N [CA|REVOKED]" and the entry after it. */
static void
kh_entry(const char *file, const char *name, const char *hdr,
    const char *entry, struct findings *out)
{
	const char *p = strstr(hdr, "found: line "), *t;
	unsigned long line;
	char *type = NULL, *mark, *end;

	if (p == NULL)
		return;
	line = strtoul(p + 12, &end, 10);
	p = end + strspn(end, " ");
	mark = xstrndup(p, strcspn(p, " \r\n"));
	/* [@marker] host keytype key */
	t = entry + strspn(entry, " ");
	if (*t == '@')
		t += strcspn(t, " "), t += strspn(t, " ");
	t += strcspn(t, " "), t += strspn(t, " ");
	if (*t != '\0')
		type = xstrndup(t, strcspn(t, " \r\n"));
	if (strcmp(mark, "REVOKED") == 0)
		findings_add(out, FIND_WARN, "known-hosts-revoked", NULL, file,
		    NULL, "%s line %lu: a %s key of %s is marked @revoked: ssh "
		    "refuses it", file, line, type != NULL ? type : "?", name);
	else
		findings_add(out, FIND_INFO, "known-hosts-entry", NULL, file,
		    NULL, "%s line %lu: %s has a %s %s", file, line, name,
		    type != NULL ? type : "?", strcmp(mark, "CA") == 0 ?
		    "certificate authority" : "host key");
	free(mark);
	free(type);
}

/* The entries of one file; how many. -1 when ssh-keygen failed. */
static int
kh_search(const char *file, const char *name, struct findings *out)
{
	const char *argv[] = { "ssh-keygen", "-F", name, "-f", file, NULL };
	struct cmd_out co;
	const char *p, *eol, *hdr = NULL;
	int found = 0;

	if (cmd_run(argv, CMD_TIMEOUT_MS, &co) == -1) {
		findings_add(out, FIND_INFO, "known-hosts", NULL, file, NULL,
		    "cannot run ssh-keygen: %s", strerror(errno));
		cmd_out_free(&co);
		return -1;
	}
	if (co.timed_out || (co.status != 0 && co.status != 1)) {
		char *l = first_line(co.err.data);

		findings_add(out, FIND_INFO, "known-hosts", NULL, file, NULL,
		    "ssh-keygen -F %s failed: %s", name, co.timed_out ?
		    "timed out" : l);
		free(l);
		cmd_out_free(&co);
		return -1;
	}
	for (p = co.out.data; p != NULL && *p != '\0'; p = eol) {
		eol = p + strcspn(p, "\n");
		if (*eol == '\n')
			eol++;
		if (strncmp(p, "# Host ", 7) == 0)
			hdr = p;
		else if (hdr != NULL && *p != '#') {
			kh_entry(file, name, hdr, p, out);
			hdr = NULL;
			found++;
		}
	}
	cmd_out_free(&co);
	return found;
}

void
check_known_hosts(const char *home, const char *host, int port,
    struct findings *out)
{
	static const char *const files[] = { ".ssh/known_hosts",
	    ".ssh/known_hosts2" };
	char *name;
	int found = 0, files_seen = 0;

	/* known_hosts writes a host on another port as "[host]:port". */
	if (port > 0 && port != 22)
		name = xasprintf("[%s]:%d", host, port);
	else
		name = xstrdup(host);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *path = path_join(home, files[i]);
		int n;

		if (access(path, F_OK) == 0) {
			files_seen++;
			if ((n = kh_search(path, name, out)) > 0)
				found += n;
		}
		free(path);
	}
	if (files_seen == 0)
		findings_add(out, FIND_INFO, "known-hosts-none", NULL, NULL, NULL,
		    "no known_hosts file in %s/.ssh: %s is not known yet", home,
		    name);
	else if (found == 0)
		findings_add(out, FIND_INFO, "known-hosts-none", NULL, NULL, NULL,
		    "%s is not known yet: ssh will ask to confirm its host key",
		    name);
	free(name);
}

/* ---- ssh -G ---- */

/* What ssh -G prints when no IdentityFile is configured. */
static int
identity_is_default(const char *v)
{
	static const char *const defaults[] = { "~/.ssh/id_rsa",
	    "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk", "~/.ssh/id_ed25519",
	    "~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss", "~/.ssh/id_dsa" };

	for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
		if (strcmp(v, defaults[i]) == 0)
			return 1;
	return 0;
}

/* ssh expands ~ with the passwd entry of the user it runs as, not
 * $HOME. */
static char *
identity_expand(const char *v)
{
	struct passwd *pw;

	if (strncmp(v, "~/", 2) != 0)
		return xstrdup(v);
	if ((pw = getpwuid(getuid())) == NULL)
		return xstrdup(v);
	return path_join(pw->pw_dir, v + 2);
}

static void
ssh_identities(const struct opts *o, struct findings *out)
{
	int defaults = 0, default_found = 0;

	for (size_t i = 0; i < o->keys.n; i++) {
		const char *v = o->vals.v[i];
		char *path;

		if (strcmp(o->keys.v[i], "identityfile") != 0 ||
		    strchr(v, '%') != NULL)
			continue;
		path = identity_expand(v);
		if (identity_is_default(v)) {
			defaults++;
			default_found += access(path, F_OK) == 0;
		} else if (access(path, F_OK) == -1)
			findings_add(out, FIND_INFO, "ssh-identity-missing", NULL,
			    path, NULL, "IdentityFile %s does not exist: ssh "
			    "skips it", path);
		free(path);
	}
	if (defaults > 0 && default_found == 0)
		findings_add(out, FIND_INFO, "ssh-identity-missing", NULL, NULL,
		    "ssh-keygen -t ed25519", "none of the default keys "
		    "(~/.ssh/id_*) exists: ssh offers only what the agent holds");
}

static void
ssh_options(const struct opts *o, struct findings *out)
{
	const char *v;

	if ((v = opts_get(o, "stricthostkeychecking")) != NULL &&
	    (strcmp(v, "false") == 0 || strcmp(v, "no") == 0))
		findings_add(out, FIND_WARN, "ssh-strict-hostkey-off", NULL, NULL,
		    "StrictHostKeyChecking accept-new", "StrictHostKeyChecking "
		    "no: ssh accepts a changed host key, a man in the middle "
		    "goes unnoticed");
	if ((v = opts_get(o, "batchmode")) != NULL && strcmp(v, "yes") == 0)
		findings_add(out, FIND_INFO, "ssh-batchmode", NULL, NULL, NULL,
		    "BatchMode yes: no password, passphrase or host key prompt");
	if ((v = opts_get(o, "proxyjump")) != NULL)
		findings_add(out, FIND_INFO, "ssh-proxy", NULL, NULL, NULL,
		    "ProxyJump %s: the connection goes through another host", v);
	else if ((v = opts_get(o, "proxycommand")) != NULL)
		findings_add(out, FIND_INFO, "ssh-proxy", NULL, NULL, NULL,
		    "ProxyCommand %s: the connection goes through a command", v);
	ssh_identities(o, out);
	check_legacy(o, "ssh-legacy-alg", out);
}

int
check_ssh_config_file(const char *config, const char *target, int port,
    struct facts *cfg, struct findings *out)
{
	const char *argv[10];
	char portstr[16], *line;
	const char *problem = "client-config-error";
	struct cmd_out co;
	struct opts o;
	int n = 0;

	argv[n++] = "ssh";
	argv[n++] = "-G";
	if (config != NULL) {
		argv[n++] = "-F";
		argv[n++] = config;
	}
	if (port > 0) {
		snprintf(portstr, sizeof portstr, "%d", port);
		argv[n++] = "-p";
		argv[n++] = portstr;
	}
	argv[n++] = "--";	/* a target that starts with "-" is no option */
	argv[n++] = target;
	argv[n] = NULL;
	if (cmd_run(argv, CMD_TIMEOUT_MS, &co) == -1) {
		findings_add(out, FIND_INFO, "ssh-config", NULL, NULL, NULL,
		    "cannot run ssh: %s", strerror(errno));
		cmd_out_free(&co);
		return -1;
	}
	if (co.timed_out || co.status != 0) {
		line = first_line(co.err.data);
		if (strstr(line, "Bad owner or permissions") != NULL)
			problem = "auth-client-config-perms";
		findings_add(out, FIND_ERROR, "ssh-config", problem, config,
		    NULL, "ssh -G %s failed: %s", target, co.timed_out ?
		    "no answer in 5 s" : *line != '\0' ? line : "no message");
		free(line);
		cmd_out_free(&co);
		return -1;
	}
	stderr_warnings(co.err.data, "ssh-config-warning", "ssh", out);
	opts_parse(co.out.data, &o);
	opts_to_facts(&o, cfg);
	ssh_options(&o, out);
	opts_free(&o);
	cmd_out_free(&co);
	return 0;
}

int
check_ssh_config(const char *target, int port, struct facts *cfg,
    struct findings *out)
{
	return check_ssh_config_file(NULL, target, port, cfg, out);
}

/* ---- sshd -T ---- */

static const char *
sshd_path(void)
{
	static const char *const paths[] = { "/usr/sbin/sshd",
	    "/usr/local/sbin/sshd", "/sbin/sshd" };

	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

static void
sshd_subsystem(const struct opts *o, struct findings *out)
{
	const char *cmd = NULL;
	struct stat st;
	char *path;

	for (size_t i = 0; i < o->keys.n && cmd == NULL; i++)
		if (strcmp(o->keys.v[i], "subsystem") == 0 &&
		    strncmp(o->vals.v[i], "sftp ", 5) == 0)
			cmd = o->vals.v[i] + 5 + strspn(o->vals.v[i] + 5, " ");
	if (cmd == NULL) {
		findings_add(out, FIND_WARN, "sshd-subsystem",
		    "sftp-subsystem-missing", NULL, "Subsystem sftp internal-sftp",
		    "no Subsystem sftp: sftp (and scp, which uses sftp since "
		    "9.0) fail with 'subsystem request failed'");
		return;
	}
	path = xstrndup(cmd, strcspn(cmd, " "));
	if (strcmp(path, "internal-sftp") == 0)
		findings_add(out, FIND_OK, "sshd-subsystem", NULL, NULL, NULL,
		    "Subsystem sftp internal-sftp");
	else if (path[0] != '/')
		findings_add(out, FIND_INFO, "sshd-subsystem", NULL, path, NULL,
		    "Subsystem sftp %s is a relative path: the user's shell "
		    "finds it through PATH", path);
	else if (stat(path, &st) == -1)
		findings_add(out, FIND_ERROR, "sshd-subsystem",
		    "sftp-subsystem-missing", path, "Subsystem sftp internal-sftp",
		    "Subsystem sftp %s: %s (the client sees 'Connection closed' "
		    "after exit status 127)", path, strerror(errno));
	else if (!S_ISREG(st.st_mode) || access(path, X_OK) == -1 ||
	    (st.st_mode & 0111) == 0) {
		char *fix = fix_chmod("755", path);

		findings_add(out, FIND_ERROR, "sshd-subsystem",
		    "sftp-subsystem-missing", path, fix, "Subsystem sftp %s is "
		    "not an executable file", path);
		free(fix);
	} else
		findings_add(out, FIND_OK, "sshd-subsystem", NULL, path, NULL,
		    "Subsystem sftp %s exists and is executable", path);
	free(path);
}

/* OpenSSH's match_pattern(): '*' and '?' wildcards, nothing else. */
static int
pattern_match(const char *s, const char *pat)
{
	for (; *pat != '\0'; pat++, s++) {
		if (*pat == '*') {
			for (; *s != '\0'; s++)
				if (pattern_match(s, pat + 1))
					return 1;
			return pattern_match(s, pat + 1);
		}
		if (*s == '\0' || (*pat != '?' && *pat != *s))
			return 0;
	}
	return *s == '\0';
}

/* A comma list with "!" negation (match_pattern_list()), for the host
 * part of "user@host": 1 match, 0 none, -1 negated. */
static int
pattern_list_match(const char *s, const char *list)
{
	char *copy = xstrdup(list), *p, *next;
	int r = 0;

	for (p = copy; p != NULL; p = next) {
		int neg = *p == '!';

		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		if (pattern_match(s, p + neg)) {
			if (neg) {
				r = -1;
				break;
			}
			r = 1;
		}
	}
	free(copy);
	return r;
}

/* match_user(): "user" or "user@host"; the host part is tried against
 * the loopback connection sshd -T was asked about. */
static int
user_match(const char *user, const char *pattern, int *has_host)
{
	const char *at = strchr(pattern, '@');
	char *u;
	int r;

	if (at == NULL)
		return pattern_match(user, pattern);
	*has_host = 1;
	u = xstrndup(pattern, (size_t)(at - pattern));
	r = pattern_match(user, u);
	free(u);
	if (r == 1) {
		int h = pattern_list_match("localhost", at + 1);
		int a = pattern_list_match("127.0.0.1", at + 1);

		r = h != -1 && a != -1 && (h == 1 || a == 1);
	}
	return r;
}

/* The names of the user's groups, as sshd's ga_init() sees them. */
static void
user_groups(const char *user, gid_t gid, struct strv *out)
{
	gid_t groups[MAX_GROUPS];
	int n = MAX_GROUPS;
	struct group *gr;

	if (getgrouplist(user, gid, groups, &n) == -1)
		n = MAX_GROUPS;
	for (int i = 0; i < n; i++)
		if ((gr = getgrgid(groups[i])) != NULL &&
		    !strv_has(out, gr->gr_name))
			strv_add(out, gr->gr_name);
}

static void
values_of(const struct opts *o, const char *key, struct buf *b)
{
	for (size_t i = 0; i < o->keys.n; i++) {
		if (strcmp(o->keys.v[i], key) != 0)
			continue;
		if (b->len > 0)
			buf_addc(b, ' ');
		buf_adds(b, o->vals.v[i]);
	}
}

/* The lists a user fails: "AllowUsers (a b) does not list u". */
static char *
list_refusal(const struct opts *o, const char *key, const char *rule,
    const char *verb, const char *user, char **fix)
{
	struct buf list;
	char *text;

	buf_init(&list);
	values_of(o, key, &list);
	if (fix != NULL)
		*fix = xasprintf("%s %s %s", rule, list.data, user);
	text = xasprintf("%s (%s) %s %s", rule, list.data, verb, user);
	buf_free(&list);
	return text;
}

/*
 * sshd's allowed_user() order: DenyUsers, AllowUsers, DenyGroups,
 * AllowGroups. Why the user is refused (and a config line that would
 * let them in, when there is one), or NULL.
 */
static char *
access_refusal(const struct opts *o, const char *user,
    const struct strv *groups, int *has_host, char **fix)
{
	int allow_users = 0, user_ok = 0, allow_groups = 0, group_ok = 0;

	for (size_t i = 0; i < o->keys.n; i++) {
		const char *k = o->keys.v[i], *v = o->vals.v[i];

		if (strcmp(k, "denyusers") == 0 &&
		    user_match(user, v, has_host) == 1)
			return xasprintf("DenyUsers %s matches %s", v, user);
		if (strcmp(k, "allowusers") == 0) {
			allow_users = 1;
			user_ok |= user_match(user, v, has_host) == 1;
		}
	}
	if (allow_users && !user_ok)
		return list_refusal(o, "allowusers", "AllowUsers",
		    "does not list", user, fix);
	for (size_t i = 0; i < o->keys.n; i++) {
		const char *k = o->keys.v[i], *v = o->vals.v[i];
		int deny = strcmp(k, "denygroups") == 0;
		int allow = strcmp(k, "allowgroups") == 0;

		allow_groups |= allow;
		for (size_t j = 0; j < groups->n && (deny || allow); j++) {
			if (!pattern_match(groups->v[j], v))
				continue;
			if (deny)
				return xasprintf("DenyGroups %s matches group "
				    "%s of %s", v, groups->v[j], user);
			group_ok = 1;
		}
	}
	if (allow_groups && !group_ok)
		return list_refusal(o, "allowgroups", "AllowGroups",
		    "matches no group of", user, NULL);
	return NULL;
}

static void
sshd_access(const struct opts *o, const char *user, struct findings *out)
{
	struct strv groups = { 0 };
	struct passwd *pw;
	char *why, *fix = NULL;
	int has_host = 0;

	if (opts_get(o, "allowusers") == NULL && opts_get(o, "denyusers") ==
	    NULL && opts_get(o, "allowgroups") == NULL &&
	    opts_get(o, "denygroups") == NULL)
		return;
	if ((pw = getpwnam(user)) != NULL)
		user_groups(user, pw->pw_gid, &groups);
	if ((why = access_refusal(o, user, &groups, &has_host, &fix)) == NULL)
		findings_add(out, FIND_OK, "sshd-user-access", NULL, NULL, NULL,
		    "AllowUsers/AllowGroups/DenyUsers/DenyGroups let %s in%s",
		    user, has_host ? " (from 127.0.0.1)" : "");
	else
		findings_add(out, FIND_ERROR, "sshd-user-access",
		    "auth-user-not-allowed", NULL, fix, "%s: sshd refuses every "
		    "login of this user%s", why, has_host ? " (checked for a "
		    "connection from 127.0.0.1)" : "");
	free(fix);
	free(why);
	strv_free(&groups);
}

static void
sshd_root_login(const struct opts *o, struct findings *out)
{
	const char *v = opts_get(o, "permitrootlogin");

	if (v == NULL)
		return;
	if (strcmp(v, "no") == 0)
		findings_add(out, FIND_ERROR, "sshd-root-login", "auth-root-denied",
		    NULL, NULL, "PermitRootLogin no: sshd refuses root whatever "
		    "the method; log in as another user and use sudo");
	else if (strcmp(v, "prohibit-password") == 0 ||
	    strcmp(v, "without-password") == 0)
		findings_add(out, FIND_INFO, "sshd-root-login", "auth-root-denied",
		    NULL, NULL, "PermitRootLogin %s: root may log in with a key, "
		    "never with a password", v);
	else if (strcmp(v, "forced-commands-only") == 0)
		findings_add(out, FIND_INFO, "sshd-root-login", "auth-root-denied",
		    NULL, NULL, "PermitRootLogin forced-commands-only: root may "
		    "log in only with a key that has command= in "
		    "authorized_keys");
	else
		findings_add(out, FIND_INFO, "sshd-root-login", NULL, NULL, NULL,
		    "PermitRootLogin %s", v);
}

/* ssh-keygen's -t for a host key file, guessed from its name. */
static const char *
hostkey_type(const char *path)
{
	if (strstr(path, "ed25519") != NULL)
		return "ed25519";
	if (strstr(path, "ecdsa") != NULL)
		return "ecdsa";
	if (strstr(path, "rsa") != NULL)
		return "rsa";
	return "ed25519";
}

/* 1 when sshd can load it: present, readable and, when root owns it
 * (sshd runs as root), not open to others (sshkey_perm_ok()). */
static int
sshd_hostkey(const char *path, struct findings *out)
{
	struct stat st;
	char *fix, *q;

	if (stat(path, &st) == -1) {
		q = shell_quote(path);
		fix = xasprintf("ssh-keygen -q -t %s -N '' -f %s",
		    hostkey_type(path), q);
		findings_add(out, FIND_WARN, "sshd-hostkey", "sshd-config-error",
		    path, fix, "HostKey %s: %s (sshd skips it)", path,
		    strerror(errno));
		free(fix);
		free(q);
		return 0;
	}
	if (!S_ISREG(st.st_mode) || access(path, R_OK) == -1) {
		findings_add(out, FIND_WARN, "sshd-hostkey", "sshd-config-error",
		    path, NULL, "HostKey %s cannot be read (sshd skips it)", path);
		return 0;
	}
	if (st.st_uid == geteuid() && (st.st_mode & 077) != 0) {
		fix = fix_chmod("600", path);
		findings_add(out, FIND_WARN, "sshd-hostkey", "sshd-config-error",
		    path, fix, "HostKey %s is mode %04o: sshd ignores a key "
		    "others can read (UNPROTECTED PRIVATE KEY FILE)", path,
		    (unsigned)(st.st_mode & 07777));
		free(fix);
		return 0;
	}
	findings_add(out, FIND_OK, "sshd-hostkey", NULL, path, NULL,
	    "HostKey %s present and readable", path);
	return 1;
}

static void
sshd_hostkeys(const struct opts *o, struct findings *out)
{
	int usable = 0, seen = 0;

	for (size_t i = 0; i < o->keys.n; i++)
		if (strcmp(o->keys.v[i], "hostkey") == 0) {
			seen++;
			usable += sshd_hostkey(o->vals.v[i], out);
		}
	if (seen > 0 && usable == 0)
		findings_add(out, FIND_ERROR, "sshd-hostkey", "sshd-config-error",
		    NULL, "ssh-keygen -A", "no usable host key: sshd exits with "
		    "'no hostkeys available'");
}

/*
 * sshd -T does not print it: the directory is built in
 * (_PATH_PRIVSEP_CHROOT_DIR), /run/sshd on Debian and its kin,
 * /var/empty on most others.
 */
static void
sshd_privsep(struct findings *out)
{
	static const char *const dirs[] = { "/run/sshd", "/var/run/sshd",
	    "/var/empty" };
	struct stat st;
	char *fix;

	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		if (stat(dirs[i], &st) == -1 || !S_ISDIR(st.st_mode))
			continue;
		if (st.st_uid != 0 || (st.st_mode & 022) != 0) {
			fix = xasprintf("chown root: %s && chmod go-w %s",
			    dirs[i], dirs[i]);
			findings_add(out, FIND_ERROR, "sshd-privsep-dir",
			    "sshd-config-error", dirs[i], fix, "%s must be owned "
			    "by root and not group or world-writable", dirs[i]);
			free(fix);
		} else
			findings_add(out, FIND_OK, "sshd-privsep-dir", NULL,
			    dirs[i], NULL, "privilege separation directory %s "
			    "present", dirs[i]);
		return;
	}
	findings_add(out, FIND_ERROR, "sshd-privsep-dir", "sshd-config-error",
	    "/run/sshd", "install -d -m 0755 /run/sshd", "Missing privilege "
	    "separation directory (neither /run/sshd nor /var/empty exists)");
}

static void
sshd_auth_info(const struct opts *o, struct findings *out)
{
	const char *pw = opts_get(o, "passwordauthentication");
	const char *pk = opts_get(o, "pubkeyauthentication");
	const char *akf = opts_get(o, "authorizedkeysfile");

	findings_add(out, FIND_INFO, "sshd-auth", NULL, NULL, NULL,
	    "PasswordAuthentication %s, PubkeyAuthentication %s, "
	    "AuthorizedKeysFile %s", pw != NULL ? pw : "?",
	    pk != NULL ? pk : "?", akf != NULL ? akf : "?");
}

/* StrictModes on every authorized keys file of the user that exists
 * (relative names are under the home, as sshd takes them). */
static void
sshd_strict_modes(const struct opts *o, const char *user,
    struct findings *out)
{
	const char *sm = opts_get(o, "strictmodes");
	const char *akf = opts_get(o, "authorizedkeysfile");
	struct passwd *pw;
	char *list, *p, *next, *home, *name;
	int existing = 0;

	if (sm != NULL && strcmp(sm, "no") == 0) {
		findings_add(out, FIND_INFO, "sshd-strict-modes", NULL, NULL, NULL,
		    "StrictModes no: sshd does not check file modes");
		return;
	}
	if (akf == NULL || strcmp(akf, "none") == 0 ||
	    (pw = getpwnam(user)) == NULL)
		return;
	home = xstrdup(pw->pw_dir);
	name = xstrdup(pw->pw_name);
	list = xstrdup(akf);
	for (p = list; p != NULL && *p != '\0'; p = next) {
		char *file, *path;

		if ((next = strchr(p, ' ')) != NULL)
			*next++ = '\0';
		if ((file = token_expand(p, 'h', home, name, pw->pw_uid)) == NULL)
			continue;
		path = file[0] == '/' ? xstrdup(file) : path_join(home, file);
		if (access(path, F_OK) == 0) {
			existing++;
			check_strict_modes(path, pw->pw_uid, home, out);
		}
		free(path);
		free(file);
	}
	if (existing == 0)
		findings_add(out, FIND_INFO, "sshd-strict-modes",
		    "auth-key-not-authorized", NULL, NULL, "no authorized keys "
		    "file of %s exists (AuthorizedKeysFile %s)", name, akf);
	free(list);
	free(home);
	free(name);
}

/* sshd -T's own complaint; two of them have a known remedy. */
static void
sshd_failed(const struct cmd_out *co, struct findings *out)
{
	char *line = first_line(co->err.data), *fix = NULL;
	const char *p;

	if ((p = strstr(line, "Missing privilege separation directory: ")) !=
	    NULL)
		fix = xasprintf("install -d -m 0755 %s", p + 40);
	else if (strstr(line, "no hostkeys available") != NULL)
		fix = xstrdup("ssh-keygen -A");
	if (co->timed_out)
		findings_add(out, FIND_ERROR, "sshd-config", "sshd-config-error",
		    NULL, NULL, "sshd -T gave no answer in 5 s");
	else
		findings_add(out, FIND_ERROR, "sshd-config", "sshd-config-error",
		    NULL, fix, "sshd -T failed (exit %d): %s", co->status,
		    *line != '\0' ? line : "no message");
	free(fix);
	free(line);
}

static void
sshd_findings(const struct opts *o, const char *user, struct findings *out)
{
	struct passwd *pw;
	int is_root = 0;

	sshd_auth_info(o, out);
	sshd_subsystem(o, out);
	sshd_hostkeys(o, out);
	sshd_privsep(out);
	check_legacy(o, "sshd-legacy-alg", out);
	if (user == NULL)
		return;
	if ((pw = getpwnam(user)) != NULL)
		is_root = pw->pw_uid == 0;
	sshd_access(o, user, out);
	if (is_root || strcmp(user, "root") == 0)
		sshd_root_login(o, out);
	sshd_strict_modes(o, user, out);
}

int
check_sshd_config(const char *config, const char *user, struct facts *cfg,
    struct findings *out)
{
	const char *argv[8];
	char *conn = NULL;
	const char *sshd;
	struct cmd_out co;
	struct opts o;
	int n = 0;

	if (geteuid() != 0) {
		findings_add(out, FIND_INFO, "sshd-config", NULL, NULL, NULL,
		    "sshd -T needs root: the server's configuration was not "
		    "checked");
		return -1;
	}
	/* By absolute path: sshd refuses to run from a relative one. */
	if ((sshd = sshd_path()) == NULL) {
		findings_add(out, FIND_INFO, "sshd-config", NULL, NULL, NULL,
		    "no sshd in /usr/sbin: OpenSSH's server is not installed");
		return -1;
	}
	argv[n++] = sshd;
	argv[n++] = "-T";
	if (config != NULL) {
		argv[n++] = "-f";
		argv[n++] = config;
	}
	/* Match blocks apply only to a connection: describe one (a name
	 * with a comma or "=" would break -C's list). */
	if (user != NULL && strpbrk(user, ",= \t") == NULL) {
		conn = xasprintf("user=%s,host=localhost,addr=127.0.0.1", user);
		argv[n++] = "-C";
		argv[n++] = conn;
	}
	argv[n] = NULL;
	if (cmd_run(argv, CMD_TIMEOUT_MS, &co) == -1) {
		findings_add(out, FIND_INFO, "sshd-config", NULL, NULL, NULL,
		    "cannot run %s: %s", sshd, strerror(errno));
		free(conn);
		cmd_out_free(&co);
		return -1;
	}
	free(conn);
	if (co.timed_out || co.status != 0) {
		sshd_failed(&co, out);
		cmd_out_free(&co);
		return -1;
	}
	stderr_warnings(co.err.data, "sshd-config-warning", "sshd", out);
	opts_parse(co.out.data, &o);
	opts_to_facts(&o, cfg);
	sshd_findings(&o, user, out);
	opts_free(&o);
	cmd_out_free(&co);
	return 0;
}

void
check_all(const char *user, struct findings *out)
{
	struct passwd *pw = getpwnam(user);
	struct facts cfg = { 0 };
	char *home;
	uid_t uid;

	if (pw == NULL) {
		findings_add(out, FIND_ERROR, "no-such-user", "auth-invalid-user",
		    NULL, NULL, "no such user %s: sshd answers 'Invalid user'",
		    user);
		return;
	}
	/* getpwnam()'s record is overwritten by the next lookup. */
	home = xstrdup(pw->pw_dir);
	uid = pw->pw_uid;
	check_client_files(home, uid, out);
	check_sshd_config(NULL, user, &cfg, out);
	facts_free(&cfg);
	free(home);
}
