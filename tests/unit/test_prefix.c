/* test_prefix.c: syslog, journal, RFC 5424, level tags, z/OS ids. */
#include "testutil.h"
#include "prefix.h"

#include <string.h>

static struct prefix_parser *pp;
static const char *parsed;	/* the line msg() parsed last */

static const char *
msg(const char *line, struct line_prefix *px)
{
	static char out[512];

	parsed = line;
	prefix_parse(pp, line, strlen(line), px);
	snprintf(out, sizeof out, "%.*s", (int)px->msg_len, line + px->msg_off);
	return out;
}

/* A part of the line msg() parsed last, as a string. */
static const char *
part(struct lspan sp)
{
	static char out[512];

	snprintf(out, sizeof out, "%.*s", (int)sp.len, parsed + sp.off);
	return out;
}

static void
test_bsd_syslog(void **state)
{
	struct line_prefix px;

	(void)state;
	assert_string_equal(msg("Nov 24 10:01:02 web1 sshd[4242]: Invalid user larry from 10.0.0.5 port 51234", &px),
	    "Invalid user larry from 10.0.0.5 port 51234");
	assert_string_equal(part(px.prog), "sshd");
	assert_string_equal(part(px.host), "web1");
	assert_int_equal(px.pid, 4242);
	assert_true(px.time_ms > 0);
	assert_true(px.flags & PREFIX_SYSLOG);
}

static void
test_journal_iso_and_preauth(void **state)
{
	struct line_prefix px;

	(void)state;
	assert_string_equal(msg("2026-11-24T10:01:02.123456+0000 web1 sshd-session[77]: Connection closed by 10.0.0.5 port 5 [preauth]", &px),
	    "Connection closed by 10.0.0.5 port 5");
	assert_string_equal(part(px.prog), "sshd-session");
	assert_int_equal(px.pid, 77);
	assert_true(px.flags & PREFIX_PREAUTH);
	assert_true(px.flags & PREFIX_YEAR);
	assert_int_equal(px.time_ms % 1000, 123);
}

static void
test_rfc5424(void **state)
{
	struct line_prefix px;

	(void)state;
	assert_string_equal(msg("<38>1 2026-11-24T10:01:02Z web1 sshd 4242 - - Failed password for root from 1.2.3.4 port 22 ssh2", &px),
	    "Failed password for root from 1.2.3.4 port 22 ssh2");
	assert_int_equal(px.pid, 4242);
}

static void
test_level_zos_func(void **state)
{
	struct line_prefix px;

	(void)state;
	assert_string_equal(msg("debug3: key_read: missing whitespace", &px),
	    "key_read: missing whitespace");
	assert_int_equal(px.level, LEVEL_DEBUG3);
	assert_int_equal(px.func_len, strlen("key_read: "));
	assert_string_equal(msg("FOTS1373 Permission denied (publickey,password).", &px),
	    "Permission denied (publickey,password).");
	assert_string_equal(part(px.zos_id), "FOTS1373");
	assert_string_equal(msg("Debug1: do_cleanup", &px), "do_cleanup");
	assert_int_equal(px.level, LEVEL_DEBUG1);
	assert_string_equal(msg("plain text", &px), "plain text");
	assert_int_equal(px.pid, -1);
}

static void
test_since_formats(void **state)
{
	(void)state;
	assert_true(prefix_parse_time("2026-11-24 10:00") > 0);
	assert_true(prefix_parse_time("2026-11-24T10:00:05") -
	    prefix_parse_time("2026-11-24 10:00") == 5000);
	assert_true(prefix_parse_time("Nov 24 10:00") > 0);
	assert_true(prefix_parse_time("10:00") > 0);
	assert_int_equal(prefix_parse_time("yesterday"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bsd_syslog),
		cmocka_unit_test(test_journal_iso_and_preauth),
		cmocka_unit_test(test_rfc5424),
		cmocka_unit_test(test_level_zos_func),
		cmocka_unit_test(test_since_formats),
	};
	int rc;

	pp = prefix_parser_new();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	prefix_parser_free(pp);
	return rc;
}
