/* test_kb.c: the KB holds every catalog problem (a contract) and a broken
 * KB is refused with file:line reasons. */
#include "testutil.h"
#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ../shared/kb-catalog.md: these ids are scored by outside tests. */
static const char *const catalog[] = {
	"success", "dns-failure", "tcp-refused", "tcp-timeout", "tcp-no-route",
	"banner-reset", "banner-timeout", "not-ssh-server", "kex-no-cipher",
	"kex-no-mac", "kex-no-kex", "kex-no-hostkey-alg", "hostkey-unknown",
	"hostkey-changed", "auth-key-not-authorized", "auth-bad-modes-server",
	"auth-authorized-keys-unreadable", "auth-client-key-perms",
	"auth-client-config-perms", "auth-invalid-user", "auth-user-not-allowed",
	"auth-root-denied", "auth-password-wrong", "auth-account-unusable",
	"auth-no-mutual-sig", "auth-too-many-failures", "auth-wrong-key-offered",
	"auth-key-unreadable", "auth-agent-refused", "auth-keyring-cert",
	"sftp-subsystem-missing", "sftp-shell-noise", "sftp-chroot-modes",
	"packet-corrupt-mac", "idle-timeout-broken-pipe", "forwarding-prohibited",
	"forward-bind-failed", "login-no-home", "pty-alloc-failed",
	"sshd-config-error", "slow-login", NULL
};

static void
test_every_catalog_id(void **state)
{
	const struct kb *kb = tu_kb();

	(void)state;
	for (size_t i = 0; catalog[i] != NULL; i++) {
		const struct kb_problem *p = kb_problem(kb, catalog[i]);

		if (p == NULL)
			fail_msg("catalog problem %s is not in the KB", catalog[i]);
		assert_non_null(p->title);
		assert_non_null(p->explanation);
	}
}

static void
test_lint_clean(void **state)
{
	struct strv errors = { 0 }, notes = { 0 };
	size_t n;

	(void)state;
	n = kb_lint(tu_kb(), FIXTURES_DIR, &errors, &notes);
	for (size_t i = 0; i < errors.n; i++)
		print_error("%s\n", errors.v[i]);
	assert_int_equal(n, 0);
	strv_free(&errors);
	strv_free(&notes);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
any_contains(const struct strv *sv, const char *needle)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strstr(sv->v[i], needle) != NULL)
			return 1;
	return 0;
}

static void
test_broken_kb_refused(void **state)
{
	char dir[] = "/tmp/sshdoctor-kbtest.XXXXXX";
	char path[256];
	struct strv errors = { 0 };
	struct kb *kb;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/rules", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/problems", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/rules/a.yaml", dir);
	write_file(path, "rules:\n  - name: bad\n    match: '(unclosed'\n    colour: red\n");
	snprintf(path, sizeof path, "%s/problems/x.yaml", dir);
	write_file(path, "id: y\ntitle: t\nstage: nowhere\nexplanation: e\n");
	snprintf(path, sizeof path, "%s/tree.yaml", dir);
	write_file(path, "symptoms: [\n");
	snprintf(path, sizeof path, "%s/algorithms.yaml", dir);
	write_file(path, "algorithms: []\n");
	kb = kb_load(dir, &errors);
	assert_null(kb);
	assert_true(any_contains(&errors, "a.yaml:4: unknown key 'colour'"));
	assert_true(any_contains(&errors, "does not compile"));
	assert_true(any_contains(&errors, "does not match the file name"));
	assert_true(any_contains(&errors, "unknown stage 'nowhere'"));
	assert_true(any_contains(&errors, "tree.yaml"));
	strv_free(&errors);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_catalog_id),
		cmocka_unit_test(test_lint_clean),
		cmocka_unit_test(test_broken_kb_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
