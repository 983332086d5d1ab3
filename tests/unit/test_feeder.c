/* test_feeder.c: a log fed through the worker thread gives exactly what
 * feeding it line by line gives: the same lines, in the same order, to the
 * callback, and the same attempts, summary and failures, however fast the
 * caller takes them. */
#include "testutil.h"
#include "feeder.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A busy server's auth.log: a cron line first, attempts interleaved by
 * pid, a line far longer than a batch holds, control bytes, invalid UTF-8,
 * and no final newline. */
static char *
busy_log(size_t *len)
{
	struct buf b;

	buf_init(&b);
	/* another program's line first: the worker has scanned nothing yet */
	buf_adds(&b, "Nov 24 00:00:00 web1 CRON[5]: pam_unix(cron:session): "
	    "session opened for user root(uid=0) by (uid=0)\n");
	for (int k = 0; k < 3000; k++) {
		int pid = 2000 + k % 97 * 31 + k / 97, port = 40000 + k;

		buf_addf(&b, "Nov 24 00:%02d:%02d web1 sshd[%d]: Invalid user u%d "
		    "from 192.0.2.%d port %d\n", k / 60 % 60, k % 60, pid, k,
		    k % 250, port);
		if (k % 7 == 0)
			buf_addf(&b, "Nov 24 00:%02d:%02d web1 sshd[%d]: Accepted "
			    "publickey for alice from 10.0.0.%d port %d ssh2: "
			    "ED25519 SHA256:abc\n", k / 60 % 60, k % 60, pid + 1,
			    k % 250, port + 1);
		if (k == 1500) {
			buf_adds(&b, "Nov 24 00:25:00 web1 sshd[9]: ");
			for (int i = 0; i < 200000; i++)
				buf_addc(&b, (char)(i % 3 == 0 ? 0x01 : 'x'));
			buf_adds(&b, "\n\xff\xfe broken \x1b[31m\n");
		}
		buf_addf(&b, "Nov 24 00:%02d:%02d web1 sshd[%d]: Connection closed "
		    "by invalid user u%d 192.0.2.%d port %d [preauth]\n",
		    k / 60 % 60, k % 60, pid, k, k % 250, port);
	}
	buf_adds(&b, "Nov 24 01:00:00 web1 sshd[7]: Connection from 198.51.100.1");
	*len = b.len;
	return buf_steal(&b);
}

struct seen {
	struct buf	 lines;		/* "number side layer flags text" per line */
	uint64_t	 slow_until;	/* the caller dawdles before this line */
};

static void
remember(void *arg, const struct cline *l)
{
	struct seen *s = arg;

	/* a slow caller: the ring fills, and the worker waits for room */
	if (l->number < s->slow_until)
		usleep(20);
	buf_addf(&s->lines, "%llu %d %d %d %zu %zu ", (unsigned long long)l->number,
	    (int)l->side, l->layer, l->flags, l->nhits, l->nfacts);
	buf_add(&s->lines, l->text, l->len);
	for (size_t i = 0; i < l->nfacts; i++)
		buf_addf(&s->lines, " %s=%s", l->facts[i].name, l->facts[i].value);
	buf_addc(&s->lines, '\n');
}

static struct session *
feed(const char *text, size_t len, int threaded, enum side side,
    struct seen *seen)
{
	struct session *s = session_new(tu_kb(), NULL);
	struct reader *r = reader_open_mem(text, len, 0);

	if (threaded)
		assert_int_equal(feeder_run(s, 0, side, r, remember, seen), 0);
	else {
		struct reader_line rl;

		while (reader_next(r, &rl) == 1)
			remember(seen, session_feed(s, 0, side, &rl, -1));
	}
	reader_close(r);
	session_finish(s);
	return s;
}

static void
same_as_line_by_line(enum side side, uint64_t slow_until)
{
	size_t len, na, nb, fa, fb;
	char *text = busy_log(&len);
	struct seen a = { .slow_until = 0 }, b = { .slow_until = slow_until };
	struct session *sa, *sb;
	const struct summary_entry *ea, *eb;
	const struct conn_record *ra, *rb;

	buf_init(&a.lines);
	buf_init(&b.lines);
	sa = feed(text, len, 0, side, &a);
	sb = feed(text, len, 1, side, &b);
	assert_true(a.lines.len > 0);
	assert_int_equal(a.lines.len, b.lines.len);
	assert_memory_equal(a.lines.data, b.lines.data, a.lines.len);

	assert_true(session_conn_count(sa, 0) > 3000);
	assert_int_equal(session_conn_count(sa, 0), session_conn_count(sb, 0));
	assert_int_equal(session_lines(sa, SIDE_SERVER), session_lines(sb, SIDE_SERVER));
	ea = session_summary(sa, &na);
	eb = session_summary(sb, &nb);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(ea[i].key, eb[i].key);
		assert_int_equal(ea[i].count, eb[i].count);
	}
	ra = session_failures(sa, &fa);
	rb = session_failures(sb, &fb);
	assert_int_equal(fa, fb);
	for (size_t i = 0; i < fa; i++) {
		assert_int_equal(ra[i].pid, rb[i].pid);
		assert_string_equal(ra[i].port, rb[i].port);
	}
	session_free(sa);
	session_free(sb);
	buf_free(&a.lines);
	buf_free(&b.lines);
	free(text);
}

static void
test_same_as_line_by_line(void **state)
{
	(void)state;
	same_as_line_by_line(SIDE_SERVER, 0);
}

/* The caller slow for the first half of the log, fast after: the worker
 * waits on a full ring, then the caller on an empty one. */
static void
test_same_slow_caller(void **state)
{
	(void)state;
	same_as_line_by_line(SIDE_SERVER, 6000);
}

/* Side unknown: a line's side carries over from the lines before, and
 * the caller finishes every line in order. */
static void
test_same_side_unknown(void **state)
{
	(void)state;
	same_as_line_by_line(SIDE_ANY, 6000);
}

static void
test_empty_input(void **state)
{
	struct seen seen = { .slow_until = 0 };
	struct session *s;

	(void)state;
	buf_init(&seen.lines);
	s = feed("", 0, 1, SIDE_SERVER, &seen);
	assert_int_equal(seen.lines.len, 0);
	assert_int_equal(session_conn_count(s, 0), 0);
	session_free(s);
	buf_free(&seen.lines);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_line_by_line),
		cmocka_unit_test(test_same_slow_caller),
		cmocka_unit_test(test_same_side_unknown),
		cmocka_unit_test(test_empty_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
