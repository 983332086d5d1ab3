/* testutil.c */
#include "testutil.h"
#include "reader.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct kb *shared_kb;

static void
free_kb(void)
{
	kb_free(shared_kb);
}

struct kb *
tu_kb(void)
{
	struct strv errors = { 0 };

	if (shared_kb != NULL)
		return shared_kb;
	shared_kb = kb_load(KB_DIR, &errors);
	for (size_t i = 0; i < errors.n; i++)
		fprintf(stderr, "kb: %s\n", errors.v[i]);
	strv_free(&errors);
	if (shared_kb == NULL)
		fail_msg("the KB in %s does not load", KB_DIR);
	atexit(free_kb);
	return shared_kb;
}

struct session *
tu_analyze(const struct kb *kb, const struct tu_input *in, size_t n,
    const struct session_opts *opts)
{
	struct session *s = session_new(kb, opts);

	for (size_t i = 0; i < n; i++) {
		int fd = open(in[i].path, O_RDONLY);
		struct reader *r;

		if (fd == -1)
			fail_msg("cannot open %s", in[i].path);
		r = reader_open_fd(fd, 0);
		assert_int_equal(session_feed_reader(s, (int)i, in[i].side, r), 0);
		reader_close(r);
		close(fd);
	}
	session_finish(s);
	return s;
}

struct session *
tu_analyze_text(const struct kb *kb, const char *text, size_t len, enum side side)
{
	struct session *s = session_new(kb, NULL);
	struct reader *r = reader_open_mem(text, len, 0);

	assert_int_equal(session_feed_reader(s, 0, side, r), 0);
	reader_close(r);
	session_finish(s);
	return s;
}

char *
tu_read_file(const char *path, size_t *len)
{
	return file_slurp(path, len);
}

int
tu_run(const char *cmdline, char **out)
{
	FILE *p = popen(cmdline, "r");
	struct buf b;
	char chunk[8192];
	size_t n;
	int status;

	if (p == NULL)
		fail_msg("popen %s", cmdline);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&b, chunk, n);
	status = pclose(p);
	if (out != NULL)
		*out = buf_steal(&b);
	else
		buf_free(&b);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
