/* clip.c: OSC 52, saving, running a confirmed command. */
#include "clip.h"
#include "util.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *
clip_base64(const char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	char *out = xmalloc((n + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		*o++ = tab[p[i] >> 2];
		*o++ = tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		*o++ = tab[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		*o++ = tab[p[i + 2] & 63];
	}
	if (i < n) {
		*o++ = tab[p[i] >> 2];
		if (i + 1 < n) {
			*o++ = tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
			*o++ = tab[(p[i + 1] & 15) << 2];
		} else {
			*o++ = tab[(p[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

int
clip_copy(const char *text, size_t n)
{
	char *b64;

	if (n > CLIP_MAX)
		return -1;
	b64 = clip_base64(text, n);
	/* curses has flushed its frame; the sequence moves no cursor and
	 * draws nothing, so it can follow on the same stream */
	fflush(stdout);
	fprintf(stdout, "\033]52;c;%s\a", b64);
	fflush(stdout);
	free(b64);
	return 0;
}

int
clip_save(const char *path, const char *text)
{
	size_t n = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ssize_t w;
	int e;

	if (fd == -1)
		return -1;
	while (n > 0) {
		w = write(fd, text, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		text += w;
		n -= (size_t)w;
	}
	return close(fd);
}

int
clip_run(const char *cmd)
{
	struct sigaction ign, old_int, old_quit;
	int status = -1;
	pid_t pid;
	char c;

	def_prog_mode();
	endwin();
	printf("\n$ %s\n\n", cmd);
	fflush(stdout);
	/* the child takes ^C; we wait for it and stay */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		/* a KB command is a shell line (pipes, &&): sh -c, only after
		 * the operator confirmed this exact text */
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		printf("\n[exit status %d] press Enter to return to sshdoctor ", status);
	} else
		printf("\ncannot start /bin/sh: %s; press Enter ", strerror(errno));
	fflush(stdout);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	{
		int tty = open("/dev/tty", O_RDONLY | O_CLOEXEC);

		if (tty != -1) {
			while (read(tty, &c, 1) == 1 && c != '\n' && c != '\r')
				;
			close(tty);
		}
	}
	reset_prog_mode();
	clearok(stdscr, TRUE);
	refresh();
	return pid > 0 ? status : -1;
}
