/* test_session.c: a server log with many connections is split per
 * connection, filtered, counted; answers move the decision tree. */
#include "testutil.h"
#include "prefix.h"
#include "reader.h"
#include "util.h"

#include <malloc.h>
#include <string.h>

static const char authlog[] =
    "Nov 24 09:58:01 web1 sshd[100]: Invalid user admin from 203.0.113.9 port 40001\n"
    "Nov 24 09:58:02 web1 sshd[101]: Accepted publickey for alice from 10.0.0.5 port 51000 ssh2: ED25519 SHA256:abc\n"
    "Nov 24 09:58:02 web1 sshd[101]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)\n"
    "Nov 24 09:58:03 web1 sshd[100]: Failed password for invalid user admin from 203.0.113.9 port 40001 ssh2\n"
    "Nov 24 09:58:04 web1 sshd[100]: Connection closed by invalid user admin 203.0.113.9 port 40001 [preauth]\n"
    "Nov 24 09:59:10 web1 sshd[102]: User bob from 10.0.0.7 not allowed because not listed in AllowUsers\n"
    "Nov 24 09:59:11 web1 sshd[102]: Failed password for invalid user bob from 10.0.0.7 port 52000 ssh2\n"
    "Nov 24 09:59:12 web1 sshd[102]: Connection closed by invalid user bob 10.0.0.7 port 52000 [preauth]\n"
    "Nov 24 10:00:01 web1 sshd[103]: Invalid user oracle from 203.0.113.9 port 40002\n"
    "Nov 24 10:00:02 web1 sshd[103]: Connection closed by invalid user oracle 203.0.113.9 port 40002 [preauth]\n"
    "Nov 24 10:00:05 web1 sshd[104]: Failed password for carol from 10.0.0.8 port 53000 ssh2\n"
    "Nov 24 10:00:09 web1 sshd[104]: Failed password for carol from 10.0.0.8 port 53000 ssh2\n"
    "Nov 24 10:00:10 web1 sshd[104]: Connection closed by authenticating user carol 10.0.0.8 port 53000 [preauth]\n"
    "Nov 24 10:01:00 web1 sshd[120]: Received disconnect from 10.0.0.5 port 51000:11: disconnected by user\n"
    "Nov 24 10:01:00 web1 sshd[120]: Disconnected from user alice 10.0.0.5 port 51000\n"
    "Nov 24 10:01:00 web1 sshd[101]: pam_unix(sshd:session): session closed for user alice\n";

static uint64_t
count_of(struct session *s, const char *key)
{
	const struct summary_entry *e;
	size_t n;

	e = session_summary(s, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].key, key) == 0)
			return e[i].count;
	return 0;
}

static struct session *
analyze_opts(const struct session_opts *o)
{
	struct session *s = session_new(tu_kb(), o);
	struct reader *r = reader_open_mem(authlog, sizeof authlog - 1, 0);

	assert_int_equal(session_feed_reader(s, 0, SIDE_SERVER, r), 0);
	reader_close(r);
	session_finish(s);
	return s;
}

static void
test_grouped_per_connection(void **state)
{
	struct session_opts o = { .since_ms = -1 };
	struct session *s = analyze_opts(&o);
	const struct conn_record *rec;
	const struct diagnosis *d;
	size_t n;

	(void)state;
	/* alice's session child (pid 120) joins her attempt by address:port */
	assert_int_equal(session_conn_count(s, 0), 5);
	assert_int_equal(count_of(s, "auth-invalid-user"), 2);
	assert_int_equal(count_of(s, "auth-user-not-allowed"), 1);
	assert_int_equal(count_of(s, "auth-password-wrong"), 1);
	assert_int_equal(count_of(s, "ok"), 1);
	rec = session_failures(s, &n);
	assert_int_equal(n, 4);
	/* newest first */
	assert_int_equal(rec[0].pid, 104);
	assert_string_equal(rec[0].user, "carol");
	assert_string_equal(rec[0].problem, "auth-password-wrong");
	assert_int_equal(rec[3].pid, 100);
	/* the top level is the latest attempt: alice, who got in */
	d = session_diagnosis(s);
	assert_int_equal(d->verdict, VERDICT_OK);
	session_free(s);
}

static void
test_filters(void **state)
{
	struct session_opts o = { .since_ms = -1, .user = "bob" };
	struct session *s = analyze_opts(&o);
	const struct diagnosis *d;

	(void)state;
	assert_int_equal(session_conn_count(s, 1), 1);
	d = session_diagnosis(s);
	assert_int_equal(d->verdict, VERDICT_PROBLEM);
	assert_string_equal(d->problem->id, "auth-user-not-allowed");
	session_free(s);

	o.user = NULL;
	o.from = "203.0.113.9";
	s = analyze_opts(&o);
	assert_int_equal(session_conn_count(s, 1), 2);
	assert_int_equal(count_of(s, "auth-invalid-user"), 2);
	session_free(s);

	o.from = NULL;
	o.since_ms = prefix_parse_time("Nov 24 10:00");
	o.limit = 1;
	s = analyze_opts(&o);
	assert_int_equal(session_conn_count(s, 1), 3);
	{
		size_t n;

		session_failures(s, &n);
		assert_int_equal(n, 1);
	}
	session_free(s);
}

/* A pid is used again by a later connection that has no "Connection
 * from" line (syslog at INFO). Once the first attempt ended, and had time
 * for its last words, the new lines are a new attempt, even while another
 * attempt that never ends (its end is outside the log) is still open. */
static void
test_pid_reuse_after_end(void **state)
{
	struct session_opts o = { .since_ms = -1, .user = "carol" };
	struct session *s = session_new(tu_kb(), &o);
	struct reader *r;
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "Nov 24 10:00:00 web1 sshd[100]: Invalid user admin from 203.0.113.9 port 40001\n");
	buf_adds(&b, "Nov 24 10:00:01 web1 sshd[200]: Invalid user bob from 10.0.0.7 port 52000\n");
	buf_adds(&b, "Nov 24 10:00:02 web1 sshd[200]: Connection closed by invalid user bob 10.0.0.7 port 52000 [preauth]\n");
	for (int i = 0; i < 300; i++)
		buf_addf(&b, "Nov 24 10:01:%02d web1 sshd[%d]: Connection closed by 192.0.2.%d port %d [preauth]\n",
		    i % 60, 1000 + i, i % 250, 30000 + i);
	buf_adds(&b, "Nov 24 10:02:00 web1 sshd[200]: Invalid user carol from 10.0.0.8 port 53000\n");
	buf_adds(&b, "Nov 24 10:02:01 web1 sshd[200]: Connection closed by invalid user carol 10.0.0.8 port 53000 [preauth]\n");
	r = reader_open_mem(b.data, b.len, 0);
	assert_int_equal(session_feed_reader(s, 0, SIDE_SERVER, r), 0);
	reader_close(r);
	session_finish(s);
	/* carol's attempt is hers, not folded into bob's */
	assert_int_equal(session_conn_count(s, 1), 1);
	assert_int_equal(count_of(s, "auth-invalid-user"), 1);
	session_free(s);
	buf_free(&b);
}

/* ASan's allocator answers mallinfo2() with zeros: this one runs in the
 * plain build only. */
#ifndef __SANITIZE_ADDRESS__
/* Heap in use after feeding n copies of line to s. */
static size_t
heap_after(struct session *s, const char *line, int n)
{
	struct buf b;
	struct reader *r;

	buf_init(&b);
	for (int i = 0; i < n; i++)
		buf_adds(&b, line);
	r = reader_open_mem(b.data, b.len, 0);
	assert_int_equal(session_feed_reader(s, 0, SIDE_SERVER, r), 0);
	reader_close(r);
	buf_free(&b);
	return mallinfo2().uordblks;
}

/* sshd -d output has no pids: one attempt takes every line. It keeps its
 * last few error lines, and the memory for them must not grow with the
 * number it has seen (it did: 100 MB of errors held 111 MB). */
static void
test_errors_keep_memory_flat(void **state)
{
	struct session_opts o = { .since_ms = -1 };
	struct session *s = session_new(tu_kb(), &o);
	const char *line =
	    "error: kex_exchange_identification: Connection closed by remote host\n";
	size_t before, after;

	(void)state;
	before = heap_after(s, line, 2000);
	after = heap_after(s, line, 100000);	/* 7 MB of log */
	session_free(s);
	assert_true(before > 0);
	assert_true(after < before + 256 * 1024);
}
#endif

/* The talk's problem 7 seen by the client alone is ambiguous; an answer
 * about the server log settles it. */
static void
test_tree_answers(void **state)
{
	char *path = xasprintf("%s/talk-07-invalid-user/client.log", FIXTURES_DIR);
	struct tu_input in = { path, SIDE_CLIENT };
	struct session_opts o = { .since_ms = -1 };
	struct session *s;
	const struct diagnosis *d;

	(void)state;
	s = tu_analyze(tu_kb(), &in, 1, &o);
	d = session_diagnosis(s);
	assert_int_equal(d->verdict, VERDICT_INCONCLUSIVE);
	assert_true(d->nalts >= 4);
	assert_true(d->next.n >= 1);
	assert_non_null(d->question);
	/* answer the question the diagnosis left open, by its key */
	strv_addn(&o.answers, xasprintf("%s=invalid-user", d->question->id));
	session_free(s);

	s = tu_analyze(tu_kb(), &in, 1, &o);
	d = session_diagnosis(s);
	assert_int_equal(d->verdict, VERDICT_PROBLEM);
	assert_string_equal(d->problem->id, "auth-invalid-user");
	session_free(s);
	strv_free(&o.answers);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grouped_per_connection),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_pid_reuse_after_end),
#ifndef __SANITIZE_ADDRESS__
		cmocka_unit_test(test_errors_keep_memory_flat),
#endif
		cmocka_unit_test(test_tree_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
