/* test_util.c: the string arena keeps every copy intact and in place. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

static void
test_arena_copies_stay(void **state)
{
	struct arena a = { 0 };
	char *p[2000], want[64];
	char *big;
	size_t n = 5000;

	(void)state;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 2000; i++) {
			snprintf(want, sizeof want, "value %d of round %d", i, round);
			p[i] = arena_strdup(&a, want);
		}
		/* one copy larger than any block so far */
		big = xmalloc(n + 1);
		memset(big, 'b', n);
		big[n] = '\0';
		assert_string_equal(arena_strdup(&a, big), big);
		free(big);
		for (int i = 0; i < 2000; i++) {
			snprintf(want, sizeof want, "value %d of round %d", i, round);
			assert_string_equal(p[i], want);
		}
		assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
		arena_reset(&a);
	}
	arena_free(&a);
	arena_free(&a);		/* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_copies_stay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
