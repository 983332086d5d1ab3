/* test_sanitize.c: nothing a log holds reaches the terminal raw. */
#include "testutil.h"
#include "sanitize.h"

#include <string.h>

static char *
clean(const char *in, size_t len)
{
	struct buf b;

	buf_init(&b);
	sanitize_append(&b, in, len);
	return buf_steal(&b);
}

static void
test_escape_sequences_visible(void **state)
{
	char *s = clean("\x1b[2J\x1b]0;pwned\x07ok", 16);

	(void)state;
	assert_string_equal(s, "\\e[2J\\e]0;pwned\\x07ok");
	assert_null(strchr(s, 0x1b));
	free(s);
}

static void
test_invalid_utf8_and_controls(void **state)
{
	char *s = clean("a\xff\xc3(\x00\x7f\tz", 8);

	(void)state;
	assert_string_equal(s, "a\\xff\\xc3(\\x00\\x7f z");
	free(s);
}

static void
test_valid_utf8_kept_c1_and_bidi_escaped(void **state)
{
	char *s = clean("h\xc3\xa9llo \xe2\x80\xae" "x \xc2\x9b", 14);

	(void)state;
	assert_string_equal(s, "h\xc3\xa9llo \\u{202e}x \\u{009b}");
	free(s);
}

static void
test_overlong_and_surrogates_rejected(void **state)
{
	char *s = clean("\xc0\xaf\xed\xa0\x80", 5);

	(void)state;
	assert_string_equal(s, "\\xc0\\xaf\\xed\\xa0\\x80");
	free(s);
}

static void
test_clean_fast_path(void **state)
{
	(void)state;
	assert_true(sanitize_is_clean("debug1: ok", 10));
	assert_false(sanitize_is_clean("x\x1b", 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_sequences_visible),
		cmocka_unit_test(test_invalid_utf8_and_controls),
		cmocka_unit_test(test_valid_utf8_kept_c1_and_bidi_escaped),
		cmocka_unit_test(test_overlong_and_surrogates_rejected),
		cmocka_unit_test(test_clean_fast_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
