/* test_cli.c: the command line contract from the outside: exit codes,
 * stdin, the JSON fields, Markdown. */
#include "testutil.h"
#include "util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int
sh(const char *fmt, const char *arg, char **out)
{
	char *cmd = xasprintf(fmt, SSHDOCTOR_BIN, arg);
	int rc = tu_run(cmd, out);

	free(cmd);
	return rc;
}

static void
test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(sh("'%s' analyze --format yaml %s >/dev/null 2>&1", "x", NULL), 2);
	assert_int_equal(sh("'%s' analyze --bogus %s >/dev/null 2>&1", "x", NULL), 2);
	assert_int_equal(sh("'%s' frobnicate %s >/dev/null 2>&1", "", NULL), 2);
	assert_int_equal(sh("'%s' analyze %s >/dev/null 2>&1", "/nonexistent", NULL), 1);
	assert_int_equal(sh("'%s' --help%s >/dev/null", "", NULL), 0);
	assert_int_equal(sh("'%s' analyze --help%s >/dev/null", "", NULL), 0);
}

static void
test_json_contract_from_stdin(void **state)
{
	char *out = NULL, *path;
	json_t *o, *p, *stages;
	json_error_t err;

	(void)state;
	path = xasprintf("%s/talk-04-hostkey-changed/client.log", FIXTURES_DIR);
	assert_int_equal(sh("'%s' analyze --format json - < '%s'", path, &out), 0);
	o = json_loads(out, 0, &err);
	if (o == NULL)
		fail_msg("not JSON: %s: %s", err.text, out);
	assert_string_equal(json_string_value(json_object_get(o, "verdict")), "problem");
	p = json_object_get(o, "problem");
	assert_string_equal(json_string_value(json_object_get(p, "id")), "hostkey-changed");
	assert_string_equal(json_string_value(json_object_get(p, "stage")), "hostkey");
	assert_true(json_array_size(json_object_get(p, "evidence")) > 0);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(json_object_get(p, "evidence"), 0), "source")), "client");
	assert_true(json_is_string(json_object_get(p, "explanation")));
	assert_true(json_array_size(json_object_get(p, "fix")) > 0);
	assert_non_null(strstr(json_string_value(json_array_get(
	    json_object_get(p, "commands"), 0)), "ssh-keygen"));
	assert_true(json_is_array(json_object_get(o, "alternatives")));
	assert_true(json_is_array(json_object_get(o, "next")));
	stages = json_object_get(o, "stages");
	assert_int_equal(json_array_size(stages), 7);
	assert_string_equal(json_string_value(json_object_get(json_array_get(stages, 0), "name")), "tcp");
	assert_string_equal(json_string_value(json_object_get(json_array_get(stages, 3), "status")), "failed");
	assert_true(json_is_integer(json_object_get(json_object_get(o, "lines"), "client")));
	assert_true(json_is_integer(json_object_get(json_object_get(o, "lines"), "noise")));
	assert_true(json_is_object(json_object_get(o, "facts")));
	json_decref(o);
	free(out);
	free(path);
}

static void
test_markdown_report(void **state)
{
	char *out = NULL, *path;

	(void)state;
	path = xasprintf("%s/talk-02-kex-no-mac", FIXTURES_DIR);
	{
		char *cmd = xasprintf("'%s' analyze --format markdown --client '%s/client.log' --server '%s/server.log'",
		    SSHDOCTOR_BIN, path, path);

		assert_int_equal(tu_run(cmd, &out), 0);
		free(cmd);
	}
	assert_non_null(strstr(out, "## SSH diagnosis"));
	assert_non_null(strstr(out, "`kex-no-mac`"));
	assert_non_null(strstr(out, "| kex | failed |"));
	assert_non_null(strstr(out, "### Evidence"));
	assert_non_null(strstr(out, "- Server: OpenSSH_6.4"));
	free(out);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_json_contract_from_stdin),
		cmocka_unit_test(test_markdown_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
