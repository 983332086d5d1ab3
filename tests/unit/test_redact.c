/* test_redact.c: a redacted report holds none of the original names,
 * addresses or fingerprints, and the same name always gets the same token. */
#include "testutil.h"
#include "redact.h"
#include "util.h"

#include <jansson.h>
#include <string.h>

static void
test_consistent_tokens(void **state)
{
	struct redactor *r = redact_new();
	struct facts f = { 0 };
	char *out;

	(void)state;
	facts_put(&f, "host", "web1.example.com");
	facts_put(&f, "user", "alice");
	redact_learn(r, &f);
	out = redact_text(r, "alice@web1.example.com from 10.1.2.3 port 22; "
	    "again 10.1.2.3 and alice, /home/alice/.ssh, bob@db1, "
	    "SHA256:Lj21ZqdmT9Dg7Zv3viMY/OmXNGB5qF3FH5jPawkpols; alicexyz stays");
	assert_string_equal(out, "user-1@host-1 from addr-1 port 22; again addr-1 "
	    "and user-1, /home/user-1/.ssh, user-2@host-2, SHA256:key-1; alicexyz stays");
	free(out);
	facts_free(&f);
	redact_free(r);
}

/* For real fixtures: every name the unredacted analysis reports is gone
 * from the redacted Markdown. */
static void
test_fixture_reports(void **state)
{
	static const char *const cases[] = { "talk-04-hostkey-changed",
	    "talk-07-invalid-user", "lab-hostkey-changed", "lab-auth-invalid-user",
	    "talk-02-kex-no-mac", NULL };
	static const char *const names[] = { "host", "addr", "user", "auth_user",
	    "from_addr", "hostkey_fp", NULL };

	(void)state;
	for (size_t i = 0; cases[i] != NULL; i++) {
		char *cmd, *json = NULL, *md = NULL;
		json_t *o, *facts;
		json_error_t err;

		cmd = xasprintf("cd '%s/%s' && '%s' analyze --format json *.log",
		    FIXTURES_DIR, cases[i], SSHDOCTOR_BIN);
		assert_int_equal(tu_run(cmd, &json), 0);
		free(cmd);
		cmd = xasprintf("cd '%s/%s' && '%s' analyze --format markdown --redact *.log",
		    FIXTURES_DIR, cases[i], SSHDOCTOR_BIN);
		assert_int_equal(tu_run(cmd, &md), 0);
		free(cmd);
		o = json_loads(json, 0, &err);
		assert_non_null(o);
		facts = json_object_get(o, "facts");
		for (size_t j = 0; names[j] != NULL; j++) {
			const char *v = json_string_value(json_object_get(facts, names[j]));

			if (v == NULL || strcmp(v, "localhost") == 0)
				continue;
			if (strstr(md, v) != NULL)
				fail_msg("%s: '%s' (%s) is still in the redacted report",
				    cases[i], v, names[j]);
		}
		assert_non_null(strstr(md, "## SSH diagnosis"));
		json_decref(o);
		free(json);
		free(md);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consistent_tokens),
		cmocka_unit_test(test_fixture_reports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
