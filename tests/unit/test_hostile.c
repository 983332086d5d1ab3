/* test_hostile.c: logs are untrusted. Escapes, a huge line, binary, empty
 * and truncated input: a diagnosis or a clean message, never a crash, never
 * a raw escape on the terminal. */
#include "testutil.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *
tmpfile_with(const char *data, size_t len)
{
	char *path = xstrdup("/tmp/sshdoctor-hostile.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static char *
run_cli(const char *args, const char *path, int *status)
{
	char *cmd = xasprintf("'%s' analyze %s '%s' 2>&1", SSHDOCTOR_BIN, args, path);
	char *out = NULL;

	*status = tu_run(cmd, &out);
	free(cmd);
	return out;
}

/* A banner with terminal escapes: shown escaped in every format. */
static void
test_escapes_never_raw(void **state)
{
	static const char log[] =
	    "debug1: Connecting to evil [10.0.0.1] port 22.\n"
	    "debug1: Connection established.\n"
	    "debug1: Remote protocol version 2.0, remote software version \x1b]0;owned\x07\x1b[2J\x9b" "31m\n"
	    "ssh_exchange_identification: read: Connection reset by peer\x1b[0m\n";
	const char *formats[] = { "--format text --log --color never",
	    "--format json", "--format markdown" };
	char *path = tmpfile_with(log, sizeof log - 1);

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		int status;
		char *out = run_cli(formats[i], path, &status);

		assert_int_equal(status, 0);
		assert_null(strchr(out, 0x1b));
		assert_null(strchr(out, 0x07));
		assert_null(strstr(out, "\xc2\x9b"));
		assert_non_null(strstr(out, "\\e]0;owned"));
		free(out);
	}
	unlink(path);
	free(path);
}

static void
test_huge_line_binary_empty_truncated(void **state)
{
	size_t big = 4 * 1024 * 1024;
	char *data = xmalloc(big + 256);
	char *path, *out;
	int status;

	(void)state;
	/* a 4 MB line of binary, then a real failure line */
	for (size_t i = 0; i < big; i++)
		data[i] = (char)(i * 7 + 1) == '\n' ? 'x' : (char)(i * 7 + 1);
	strcpy(data + big, "\nssh: connect to host h port 22: Connection refused\n");
	path = tmpfile_with(data, strlen(data + big) + big);
	out = run_cli("--format json", path, &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "\"tcp-refused\""));
	free(out);
	unlink(path);
	free(path);

	/* empty input */
	path = tmpfile_with("", 0);
	out = run_cli("--format json", path, &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "\"inconclusive\""));
	free(out);
	unlink(path);
	free(path);

	/* cut mid-line: the last half line still counts */
	strcpy(data, "debug1: Connecting to h [1.2.3.4] port 22.\nssh: connect to host h port 22: Connection ref");
	path = tmpfile_with(data, strlen(data));
	out = run_cli("--format json", path, &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "\"client\": 2"));
	free(out);
	unlink(path);
	free(path);

	/* pure binary with NULs */
	for (size_t i = 0; i < 65536; i++)
		data[i] = (char)(i % 251);
	path = tmpfile_with(data, 65536);
	out = run_cli("--format text --color never --log", path, &status);
	assert_int_equal(status, 0);
	assert_null(strchr(out, 0x1b));
	free(out);
	unlink(path);
	free(path);
	free(data);
}

static void
test_unreadable_input_is_one_line(void **state)
{
	int status;
	char *out = run_cli("", "/nonexistent/auth.log", &status);

	(void)state;
	assert_int_equal(status, 1);
	assert_non_null(strstr(out, "cannot read /nonexistent/auth.log: No such file or directory"));
	/* exactly one line */
	assert_int_equal(strcspn(out, "\n") + 1, strlen(out));
	free(out);
	out = run_cli("", "/", &status);
	assert_int_equal(status, 1);
	assert_non_null(strstr(out, "it is a directory"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes_never_raw),
		cmocka_unit_test(test_huge_line_binary_empty_truncated),
		cmocka_unit_test(test_unreadable_input_is_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
