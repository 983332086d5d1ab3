/* journal.c: read the server's log of the last minutes. */
#define _GNU_SOURCE 1	/* pipe2 */
#include "journal.h"
#include "reader.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TAIL_BYTES	(8 * 1024 * 1024)	/* of a syslog file: the last minutes */

static long
feed_fd(struct session *s, int source, int fd)
{
	struct reader *r = reader_open_fd(fd, 0);
	struct reader_line rl;
	long n = 0;
	int rc;

	while ((rc = reader_next(r, &rl)) == 1) {
		/* a file read from its middle: the first line is a piece */
		session_feed(s, source, SIDE_SERVER, &rl, -1);
		n++;
	}
	reader_close(r);
	return rc < 0 ? -1 : n;
}

static long
feed_file(struct session *s, int source, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	long n;

	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size > TAIL_BYTES)
		lseek(fd, st.st_size - TAIL_BYTES, SEEK_SET);
	n = feed_fd(s, source, fd);
	close(fd);
	return n;
}

/* journalctl -u ssh -u sshd -o short-iso --since @SECONDS, no shell. */
static long
feed_journalctl(struct session *s, int source, int64_t since_ms)
{
	static const char *const fixed[] = { "journalctl", "--no-pager", "-q",
	    "-o", "short-iso", "-u", "ssh", "-u", "sshd", "--since" };
	char since[32], *argv[12];
	int p[2], status;
	pid_t pid;
	long n;

	for (size_t i = 0; i < 10; i++)
		argv[i] = (char *)fixed[i];	/* execvp's type; never written */
	snprintf(since, sizeof since, "@%lld", (long long)(since_ms / 1000));
	argv[10] = since;
	argv[11] = NULL;
	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		dup2(devnull, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		alarm(10);	/* a journal that hangs must not hang us */
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	n = feed_fd(s, source, p[0]);
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return n;
}

long
journal_feed(struct session *s, int source, int64_t since_ms, char **where)
{
	static const char *const files[] = { "/var/log/auth.log", "/var/log/secure", NULL };
	const char *env = getenv("SSHDOCTOR_AUTHLOG");
	long n;

	if (env != NULL && *env != '\0') {
		n = feed_file(s, source, env);
		*where = xasprintf("%s%s", env, n < 0 ? " (unreadable)" : "");
		return n;
	}
	if ((n = feed_journalctl(s, source, since_ms)) > 0) {
		*where = xstrdup("journalctl -u ssh -u sshd");
		return n;
	}
	for (size_t i = 0; files[i] != NULL; i++)
		if ((n = feed_file(s, source, files[i])) >= 0) {
			*where = xstrdup(files[i]);
			return n;
		}
	*where = xstrdup("journalctl, /var/log/auth.log, /var/log/secure");
	return -1;
}
