/* test_reader.c: line splitting over any bytes. */
#include "testutil.h"
#include "reader.h"

#include <string.h>

static void
test_lines_crlf_and_noeol(void **state)
{
	static const char in[] = "one\r\ntwo\n\nthree";
	struct reader *r = reader_open_mem(in, sizeof in - 1, 0);
	struct reader_line l;

	(void)state;
	assert_int_equal(reader_next(r, &l), 1);
	assert_int_equal(l.len, 3);
	assert_memory_equal(l.data, "one", 3);
	assert_true(l.flags & READER_LINE_CR);
	assert_int_equal(l.number, 1);
	assert_int_equal(reader_next(r, &l), 1);
	assert_memory_equal(l.data, "two", 3);
	assert_int_equal(l.offset, 5);
	assert_int_equal(reader_next(r, &l), 1);
	assert_int_equal(l.len, 0);
	assert_int_equal(reader_next(r, &l), 1);
	assert_memory_equal(l.data, "three", 5);
	assert_true(l.flags & READER_LINE_NOEOL);
	assert_int_equal(reader_next(r, &l), 0);
	reader_close(r);
}

static void
test_long_line_cut_and_counted(void **state)
{
	size_t n = 300000;
	char *in = malloc(n + 8);
	struct reader *r;
	struct reader_line l;

	(void)state;
	memset(in, 'x', n);
	memcpy(in + n, "\nafter\n", 7);
	r = reader_open_mem(in, n + 7, 1000);
	assert_int_equal(reader_next(r, &l), 1);
	assert_int_equal(l.len, 1000);
	assert_true(l.flags & READER_LINE_CUT);
	assert_int_equal(l.full_len, n + 1);
	assert_int_equal(reader_next(r, &l), 1);
	assert_int_equal(l.len, 5);
	assert_memory_equal(l.data, "after", 5);
	assert_int_equal(l.number, 2);
	assert_int_equal(l.offset, n + 1);
	assert_int_equal(reader_next(r, &l), 0);
	reader_close(r);
	free(in);
}

static void
test_nul_bytes_kept(void **state)
{
	static const char in[] = "a\0b\nc";
	struct reader *r = reader_open_mem(in, 5, 0);
	struct reader_line l;

	(void)state;
	assert_int_equal(reader_next(r, &l), 1);
	assert_int_equal(l.len, 3);
	assert_memory_equal(l.data, "a\0b", 3);
	reader_close(r);
}

/* Many short lines through a small buffer: nothing lost at refills. */
static void
test_many_lines_across_refills(void **state)
{
	struct buf b;
	struct reader *r;
	struct reader_line l;
	size_t count = 0;

	(void)state;
	buf_init(&b);
	for (int i = 0; i < 200000; i++)
		buf_addf(&b, "line %d\n", i);
	r = reader_open_mem(b.data, b.len, 64);
	while (reader_next(r, &l) == 1) {
		char want[32];

		snprintf(want, sizeof want, "line %zu", count);
		assert_int_equal(l.len, strlen(want));
		assert_memory_equal(l.data, want, l.len);
		count++;
	}
	assert_int_equal(count, 200000);
	assert_int_equal(reader_bytes(r), b.len);
	reader_close(r);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_crlf_and_noeol),
		cmocka_unit_test(test_long_line_cut_and_counted),
		cmocka_unit_test(test_nul_bytes_kept),
		cmocka_unit_test(test_many_lines_across_refills),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
