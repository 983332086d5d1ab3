/* test_template.c: fix commands filled from facts. */
#include "testutil.h"
#include "template.h"

#include <string.h>

static void
test_render_and_filters(void **state)
{
	struct facts f = { 0 };
	char *s;

	(void)state;
	facts_set(&f, "kh_file", "/home/kirk/.ssh/known_hosts", 0);
	facts_set(&f, "host", "some server", 0);
	facts_set(&f, "offer", "hmac-sha1,hmac-sha1-96", 0);
	s = template_render("ssh-keygen -f {kh_file|shquote} -R {host|shquote}", &f);
	assert_string_equal(s, "ssh-keygen -f /home/kirk/.ssh/known_hosts -R 'some server'");
	free(s);
	s = template_render("-o MACs={offer|first} {missing} ${HOME} {}", &f);
	assert_string_equal(s, "-o MACs=hmac-sha1 <missing> ${HOME} {}");
	free(s);
	facts_free(&f);
}

/* The talk's 2743634338 is EBCDIC "this"; the lab's 1416128883 is "This". */
static void
test_sftp_length_decoding(void **state)
{
	char *s;

	(void)state;
	s = template_decode_word("2743634338", 1);
	assert_string_equal(s, "this");
	free(s);
	s = template_decode_word("1416128883", 0);
	assert_string_equal(s, "This");
	free(s);
	s = template_decode_word("2743634338", 0);
	assert_string_equal(s, "\\xa3\\x88\\x89\\xa2");
	free(s);
	s = template_decode_word("not a number", 0);
	assert_string_equal(s, "?");
	free(s);
}

static void
test_check(void **state)
{
	char *why = NULL;

	(void)state;
	assert_int_equal(template_check("{host|first|shquote}", &why), 0);
	assert_int_equal(template_check("{host|bogus}", &why), -1);
	assert_non_null(strstr(why, "bogus"));
	free(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_and_filters),
		cmocka_unit_test(test_sftp_length_decoding),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
