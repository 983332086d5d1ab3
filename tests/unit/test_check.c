/* test_check.c: local checks on real files in a temporary home, and
 * ssh -G / sshd -T / ssh-keygen -F on temporary configurations. */
#define _GNU_SOURCE 1	/* nftw */
#include "testutil.h"
#include "check.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PUB_ED25519 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBN/Sta4eHYR7GhC54FRo7P6sZp5iJI/rU0yXzTdWVuQ"
#define PRIV_OPENSSH "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"

struct fx {
	char	*home;		/* a 0700 temporary home */
	char	*ssh;		/* home/.ssh, 0700 */
};

static void
put_file(const char *dir, const char *name, const char *text, mode_t mode)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd == -1)
		fail_msg("open %s: %s", path, strerror(errno));
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	/* chmod after creation: the umask does not get a say */
	assert_int_equal(chmod(path, mode), 0);
	free(path);
}

static char *
sub(const struct fx *f, const char *name)
{
	return xasprintf("%s/%s", f->ssh, name);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A home with every file in good order. */
static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char tmpl[] = "/tmp/sshdoctor-check-XXXXXX";

	if (mkdtemp(tmpl) == NULL)
		return -1;
	f->home = xstrdup(tmpl);
	f->ssh = xasprintf("%s/.ssh", f->home);
	if (chmod(f->home, 0700) == -1 || mkdir(f->ssh, 0700) == -1 ||
	    chmod(f->ssh, 0700) == -1)
		return -1;
	put_file(f->ssh, "id_ed25519", PRIV_OPENSSH, 0600);
	put_file(f->ssh, "id_ed25519.pub", PUB_ED25519 " me@here\n", 0644);
	put_file(f->ssh, "authorized_keys", PUB_ED25519 " me@here\n", 0600);
	put_file(f->ssh, "known_hosts", "x " PUB_ED25519 "\n[x]:2222 "
	    PUB_ED25519 "\n", 0644);
	put_file(f->ssh, "config", "Host x\n  User me\n", 0644);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	nftw(f->home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f->home);
	free(f->ssh);
	free(f);
	return 0;
}

static const struct finding *
find_problem(const struct findings *out, const char *problem)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].problem != NULL &&
		    strcmp(out->v[i].problem, problem) == 0)
			return &out->v[i];
	return NULL;
}

static const struct finding *
find_id(const struct findings *out, const char *id)
{
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->v[i].id, id) == 0)
			return &out->v[i];
	return NULL;
}

/* Shown when an assertion fails, so the test says what it saw. */
static void
dump(const struct findings *out)
{
	for (size_t i = 0; i < out->n; i++)
		print_message("  %-5s %-22s %-24s %s%s%s\n",
		    finding_severity_name(out->v[i].sev), out->v[i].id,
		    out->v[i].problem != NULL ? out->v[i].problem : "-",
		    out->v[i].text, out->v[i].fix != NULL ? "  fix: " : "",
		    out->v[i].fix != NULL ? out->v[i].fix : "");
}

static int
can_run_sshd(void)
{
	return geteuid() == 0 && access("/usr/sbin/sshd", X_OK) == 0;
}

/* ---- client files ---- */

static void
test_client_good(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *k;

	check_client_files(f->home, getuid(), &out);
	if (findings_worst(&out) > FIND_INFO)
		dump(&out);
	assert_true(findings_worst(&out) <= FIND_INFO);
	k = find_id(&out, "key-present");
	assert_non_null(k);
	assert_non_null(strstr(k->text, "ssh-ed25519"));
	assert_non_null(find_id(&out, "mode-authorized-keys"));
	assert_int_equal(find_id(&out, "mode-ssh-dir")->sev, FIND_OK);
	findings_free(&out);
}

static void
test_ssh_dir_group_writable(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *x;
	char *fix = xasprintf("chmod 700 %s", f->ssh);

	assert_int_equal(chmod(f->ssh, 0770), 0);
	check_client_files(f->home, getuid(), &out);
	x = find_problem(&out, "auth-bad-modes-server");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);	/* an authorized_keys is there */
	assert_string_equal(x->path, f->ssh);
	assert_string_equal(x->fix, fix);
	assert_non_null(strstr(x->text, "0770"));
	free(fix);
	findings_free(&out);
}

static void
test_home_other_writable(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *x;
	char *fix = xasprintf("chmod go-w %s", f->home);

	assert_int_equal(chmod(f->home, 0757), 0);
	check_client_files(f->home, getuid(), &out);
	x = find_id(&out, "mode-home");
	assert_non_null(x);
	assert_string_equal(x->problem, "auth-bad-modes-server");
	assert_string_equal(x->fix, fix);
	free(fix);
	findings_free(&out);
}

static void
test_key_too_open(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *x;
	char *key = sub(f, "id_ed25519"), *fix;

	fix = xasprintf("chmod 600 %s", key);
	assert_int_equal(chmod(key, 0644), 0);
	check_client_files(f->home, getuid(), &out);
	x = find_problem(&out, "auth-client-key-perms");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);
	assert_string_equal(x->path, key);
	assert_string_equal(x->fix, fix);
	assert_non_null(strstr(x->text, "0644"));
	free(fix);
	free(key);
	findings_free(&out);
}

/* 0400 is stricter than 600 and fine; 0640 is not. */
static void
test_key_modes_edge(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	char *key = sub(f, "id_ed25519");

	assert_int_equal(chmod(key, 0400), 0);
	check_client_files(f->home, getuid(), &out);
	assert_null(find_problem(&out, "auth-client-key-perms"));
	findings_free(&out);
	assert_int_equal(chmod(key, 0640), 0);
	check_client_files(f->home, getuid(), &out);
	assert_non_null(find_problem(&out, "auth-client-key-perms"));
	findings_free(&out);
	free(key);
}

static void
test_config_world_writable(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *x;
	char *cfg = sub(f, "config");

	assert_int_equal(chmod(cfg, 0666), 0);
	check_client_files(f->home, getuid(), &out);
	x = find_problem(&out, "auth-client-config-perms");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);
	assert_string_equal(x->path, cfg);
	assert_non_null(strstr(x->fix, "chmod 600"));
	free(cfg);
	findings_free(&out);
}

static void
test_key_formats(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *x;
	size_t unreadable = 0;

	put_file(f->ssh, "work.ppk", "PuTTY-User-Key-File-3: ssh-ed25519\n"
	    "Encryption: none\n", 0600);
	put_file(f->ssh, "id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\r\n"
	    "b3BlbnNzaC1rZXktdjEAAAAA\r\n-----END OPENSSH PRIVATE KEY-----\r\n",
	    0600);
	put_file(f->ssh, "id_dsa", "-----BEGIN DSA PRIVATE KEY-----\nAAAA\n"
	    "-----END DSA PRIVATE KEY-----\n", 0600);
	check_client_files(f->home, getuid(), &out);
	for (size_t i = 0; i < out.n; i++)
		if (out.v[i].problem != NULL &&
		    strcmp(out.v[i].problem, "auth-key-unreadable") == 0) {
			assert_int_equal(out.v[i].sev, FIND_WARN);
			unreadable++;
		}
	if (unreadable != 2)
		dump(&out);
	assert_int_equal(unreadable, 2);	/* the .ppk and the CRLF key */
	x = find_id(&out, "key-dsa");
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_WARN);
	assert_non_null(strstr(x->path, "id_dsa"));
	findings_free(&out);
}

/* A key named only in ~/.ssh/config, outside ~/.ssh. */
static void
test_config_identity(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *x;

	put_file(f->home, "deploy.key", PRIV_OPENSSH, 0604);
	put_file(f->ssh, "config", "Host y\n  IdentityFile ~/deploy.key\n",
	    0600);
	check_client_files(f->home, getuid(), &out);
	x = find_problem(&out, "auth-client-key-perms");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_non_null(strstr(x->path, "/deploy.key"));
	findings_free(&out);
}

static void
test_no_ssh_dir(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	char *cmd = xasprintf("rm -rf %s", f->ssh);

	assert_int_equal(tu_run(cmd, NULL), 0);
	check_client_files(f->home, getuid(), &out);
	assert_int_equal(findings_worst(&out), FIND_INFO);
	assert_int_equal(find_id(&out, "mode-ssh-dir")->sev, FIND_INFO);
	free(cmd);
	findings_free(&out);
}

/* ---- StrictModes ---- */

static void
test_strict_modes_open_dir(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *x;
	char *dir = xasprintf("%s/keys", f->home), *file, *fix;

	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0777), 0);	/* no sticky bit */
	put_file(dir, "ak", PUB_ED25519 "\n", 0600);
	file = xasprintf("%s/ak", dir);
	fix = xasprintf("chmod go-w %s", dir);
	check_strict_modes(file, getuid(), NULL, &out);
	x = find_problem(&out, "auth-bad-modes-server");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);
	assert_string_equal(x->path, dir);
	assert_string_equal(x->fix, fix);
	assert_non_null(strstr(x->text, "bad ownership or modes for directory"));
	free(fix);
	free(file);
	free(dir);
	findings_free(&out);
}

/* The lab notes: inside the home the walk stops there; outside it goes
 * on to / and the sticky, world-writable /tmp fails it. */
static void
test_strict_modes_home_and_tmp(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *x;
	char *ak = sub(f, "authorized_keys");
	struct stat st;

	check_strict_modes(ak, getuid(), f->home, &out);
	if (findings_worst(&out) != FIND_OK)
		dump(&out);
	assert_int_equal(findings_worst(&out), FIND_OK);
	findings_free(&out);

	if (stat("/tmp", &st) == -1 || (st.st_mode & 01777) != 01777) {
		free(ak);
		skip();
	}
	check_strict_modes(ak, getuid(), NULL, &out);
	x = find_problem(&out, "auth-bad-modes-server");
	assert_non_null(x);
	assert_string_equal(x->path, "/tmp");
	assert_null(x->fix);		/* chmod go-w /tmp is no remedy */
	assert_non_null(strstr(x->text, "sticky"));
	free(ak);
	findings_free(&out);
}

static void
test_strict_modes_file(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *x;
	char *ak = sub(f, "authorized_keys");

	assert_int_equal(chmod(ak, 0664), 0);
	check_strict_modes(ak, getuid(), f->home, &out);
	x = find_id(&out, "strict-modes");
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);
	assert_non_null(strstr(x->text, "modes for file"));
	free(ak);
	findings_free(&out);
}

/* ---- known_hosts ---- */

static void
test_known_hosts(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	const struct finding *x;

	check_known_hosts(f->home, "x", 22, &out);
	x = find_id(&out, "known-hosts-entry");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_non_null(strstr(x->text, "line 1"));
	assert_non_null(strstr(x->text, "ssh-ed25519"));
	findings_free(&out);

	check_known_hosts(f->home, "x", 2222, &out);
	x = find_id(&out, "known-hosts-entry");
	assert_non_null(x);
	assert_non_null(strstr(x->text, "line 2"));
	assert_non_null(strstr(x->text, "[x]:2222"));
	findings_free(&out);

	check_known_hosts(f->home, "y", 22, &out);
	assert_null(find_id(&out, "known-hosts-entry"));
	x = find_id(&out, "known-hosts-none");
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_INFO);
	findings_free(&out);
}

/* ---- ssh -G ---- */

/* ssh finds ~/.ssh/config through the passwd entry, not $HOME, so the
 * test names its file with -F. */
static void
test_ssh_config(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	struct facts cfg = { 0 };
	const struct finding *x;
	char *file = sub(f, "config");

	put_file(f->ssh, "config", "Host x\n  Ciphers +3des-cbc\n"
	    "  StrictHostKeyChecking no\n  IdentityFile /nonexistent/key\n"
	    "  BatchMode yes\n", 0600);
	assert_int_equal(check_ssh_config_file(file, "x", 2222, &cfg, &out), 0);
	assert_string_equal(facts_get(&cfg, "port"), "2222");
	assert_non_null(strstr(facts_get(&cfg, "ciphers"), "3des-cbc"));
	x = find_id(&out, "ssh-legacy-alg");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_INFO);
	assert_non_null(strstr(x->text, "legacy algorithm enabled"));
	assert_non_null(strstr(x->text, "3des-cbc"));
	assert_int_equal(find_id(&out, "ssh-strict-hostkey-off")->sev, FIND_WARN);
	assert_non_null(find_id(&out, "ssh-batchmode"));
	x = find_id(&out, "ssh-identity-missing");
	assert_non_null(x);
	assert_string_equal(x->path, "/nonexistent/key");
	facts_free(&cfg);
	findings_free(&out);

	/* another host of the same file: nothing of the above */
	assert_int_equal(check_ssh_config_file(file, "other", 0, &cfg, &out), 0);
	assert_null(find_id(&out, "ssh-legacy-alg"));
	assert_null(find_id(&out, "ssh-strict-hostkey-off"));
	facts_free(&cfg);
	findings_free(&out);
	free(file);
}

static void
test_ssh_config_bad(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	struct facts cfg = { 0 };
	const struct finding *x;
	char *file = sub(f, "config");

	put_file(f->ssh, "config", "NoSuchKeyword yes\n", 0600);
	assert_int_equal(check_ssh_config_file(file, "x", 0, &cfg, &out), -1);
	x = find_id(&out, "ssh-config");
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);
	assert_non_null(strstr(x->text, "Bad configuration option"));
	facts_free(&cfg);
	findings_free(&out);
	free(file);
}

/* 1 when the process is gone (or a zombie nobody reaped yet). */
static int
process_gone(pid_t pid)
{
	char *path = xasprintf("/proc/%ld/stat", (long)pid), *text;
	int gone;

	text = tu_read_file(path, NULL);
	gone = kill(pid, 0) == -1 || text == NULL ||
	    (strchr(text, ')') != NULL && strstr(strchr(text, ')'), ") Z") ==
	    strchr(text, ')'));
	free(text);
	free(path);
	return gone;
}

/* A `Match exec` that hangs: ssh -G is killed after 5 s with what it
 * started. */
static void
test_ssh_config_timeout(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	struct facts cfg = { 0 };
	const struct finding *x;
	char *file = sub(f, "config"), *text, *pidtext;
	struct timespec t0, t1;
	double secs;

	text = xasprintf("Match exec \"echo $$ > %s/pid; exec sleep 30\"\n"
	    "  Port 9\n", f->home);
	put_file(f->ssh, "config", text, 0600);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(check_ssh_config_file(file, "x", 0, &cfg, &out), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs >= 4.5 && secs < 8.0);
	x = find_id(&out, "ssh-config");
	assert_non_null(x);
	assert_non_null(strstr(x->text, "no answer"));
	free(text);
	text = xasprintf("%s/pid", f->home);
	pidtext = tu_read_file(text, NULL);
	assert_non_null(pidtext);
	/* the shell's child went with ssh's process group */
	assert_true(process_gone((pid_t)atol(pidtext)));
	free(pidtext);
	free(text);
	free(file);
	facts_free(&cfg);
	findings_free(&out);
}

/* ---- sshd -T ---- */

/* A config for sshd -T in the temporary home, with a fresh host key:
 * extra first (sshd keeps the first value of a keyword), then the base
 * lines, then tail (Match blocks, which run to the end). */
static char *
sshd_config(const struct fx *f, const char *extra, const char *tail)
{
	char *cmd, *text, *path;

	cmd = xasprintf("ssh-keygen -q -t ed25519 -N '' -f %s/hk </dev/null "
	    ">/dev/null 2>&1 || test -f %s/hk", f->home, f->home);
	assert_int_equal(tu_run(cmd, NULL), 0);
	text = xasprintf("%sHostKey %s/hk\nAuthorizedKeysFile none\n%s", extra,
	    f->home, tail);
	put_file(f->home, "sshd_config", text, 0600);
	path = xasprintf("%s/sshd_config", f->home);
	free(text);
	free(cmd);
	return path;
}

static void
test_sshd_subsystem_missing(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	struct facts cfg = { 0 };
	const struct finding *x;
	char *conf;

	if (!can_run_sshd())
		skip();
	conf = sshd_config(f, "Subsystem sftp /nonexistent/sftp-server\n", "");
	assert_int_equal(check_sshd_config(conf, "root", &cfg, &out), 0);
	assert_non_null(facts_get(&cfg, "subsystem"));
	x = find_problem(&out, "sftp-subsystem-missing");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);
	assert_string_equal(x->path, "/nonexistent/sftp-server");
	assert_null(find_problem(&out, "auth-user-not-allowed"));
	x = find_id(&out, "sshd-hostkey");
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_OK);
	facts_free(&cfg);
	findings_free(&out);
	free(conf);
}

static void
test_sshd_allow_users(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	struct facts cfg = { 0 };
	const struct finding *x;
	char *conf;

	if (!can_run_sshd())
		skip();
	conf = sshd_config(f, "AllowUsers someoneelse\n"
	    "Subsystem sftp internal-sftp\n", "");
	assert_int_equal(check_sshd_config(conf, "root", &cfg, &out), 0);
	x = find_problem(&out, "auth-user-not-allowed");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);
	assert_non_null(strstr(x->text, "someoneelse"));
	assert_null(find_problem(&out, "sftp-subsystem-missing"));
	findings_free(&out);
	facts_free(&cfg);
	free(conf);

	/* a wildcard that takes root in, and a Match block that does not
	 * apply to it */
	conf = sshd_config(f, "AllowUsers r?o* nobody\n"
	    "Subsystem sftp internal-sftp\n", "Match User nobody\n"
	    "  PasswordAuthentication no\n");
	assert_int_equal(check_sshd_config(conf, "root", &cfg, &out), 0);
	assert_null(find_problem(&out, "auth-user-not-allowed"));
	assert_int_equal(find_id(&out, "sshd-user-access")->sev, FIND_OK);
	findings_free(&out);
	facts_free(&cfg);
	free(conf);
}

static void
test_sshd_root_and_groups(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	struct facts cfg = { 0 };
	const struct finding *x;
	char *conf;

	if (!can_run_sshd())
		skip();
	conf = sshd_config(f, "PermitRootLogin no\nDenyGroups root\n"
	    "Subsystem sftp internal-sftp\n", "");
	assert_int_equal(check_sshd_config(conf, "root", &cfg, &out), 0);
	x = find_problem(&out, "auth-root-denied");
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);
	x = find_problem(&out, "auth-user-not-allowed");
	assert_non_null(x);
	assert_non_null(strstr(x->text, "DenyGroups root"));
	findings_free(&out);
	facts_free(&cfg);
	free(conf);
}

/* AllowGroups by wildcard, and a user@host entry that matches another
 * address than the loopback one sshd -T was asked about. */
static void
test_sshd_groups_and_hosts(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	struct facts cfg = { 0 };
	const struct finding *x;
	char *conf;

	if (!can_run_sshd())
		skip();
	conf = sshd_config(f, "AllowGroups nosuchgroup-sshdoctor\n"
	    "Subsystem sftp internal-sftp\n", "");
	assert_int_equal(check_sshd_config(conf, "root", &cfg, &out), 0);
	x = find_problem(&out, "auth-user-not-allowed");
	assert_non_null(x);
	assert_non_null(strstr(x->text, "AllowGroups (nosuchgroup-sshdoctor)"));
	findings_free(&out);
	facts_free(&cfg);
	free(conf);

	conf = sshd_config(f, "AllowGroups r*t\nDenyUsers root@10.*\n"
	    "Subsystem sftp internal-sftp\n", "");
	assert_int_equal(check_sshd_config(conf, "root", &cfg, &out), 0);
	if (find_problem(&out, "auth-user-not-allowed") != NULL)
		dump(&out);
	assert_null(find_problem(&out, "auth-user-not-allowed"));
	x = find_id(&out, "sshd-user-access");
	assert_non_null(x);
	assert_non_null(strstr(x->text, "127.0.0.1"));
	findings_free(&out);
	facts_free(&cfg);
	free(conf);
}

static void
test_sshd_no_subsystem(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	struct facts cfg = { 0 };
	const struct finding *x;
	char *conf;

	if (!can_run_sshd())
		skip();
	conf = sshd_config(f, "", "");
	assert_int_equal(check_sshd_config(conf, NULL, &cfg, &out), 0);
	x = find_problem(&out, "sftp-subsystem-missing");
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_WARN);
	assert_string_equal(x->fix, "Subsystem sftp internal-sftp");
	findings_free(&out);
	facts_free(&cfg);
	free(conf);
}

static void
test_sshd_bad_config(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	struct facts cfg = { 0 };
	const struct finding *x;
	char *conf;

	if (!can_run_sshd())
		skip();
	conf = sshd_config(f, "Bogus\x1b[31m yes\n", "");
	assert_int_equal(check_sshd_config(conf, "root", &cfg, &out), -1);
	x = find_problem(&out, "sshd-config-error");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);
	assert_non_null(strstr(x->text, "Bad configuration option"));
	assert_null(strchr(x->text, '\x1b'));	/* sanitised */
	findings_free(&out);
	facts_free(&cfg);
	free(conf);
}

/* StrictModes on the authorized keys file sshd -T names (%u expanded). */
static void
test_sshd_strict_modes(void **state)
{
	struct fx *f = *state;
	struct findings out = { 0 };
	struct facts cfg = { 0 };
	const struct finding *x;
	char *conf, *extra;

	if (!can_run_sshd())
		skip();
	extra = xasprintf("AuthorizedKeysFile %s/.ssh/%%u_keys\n", f->home);
	put_file(f->ssh, "root_keys", PUB_ED25519 "\n", 0600);
	assert_int_equal(chmod(f->ssh, 0775), 0);
	conf = sshd_config(f, extra, "");
	assert_int_equal(check_sshd_config(conf, "root", &cfg, &out), 0);
	x = find_id(&out, "strict-modes");
	if (x == NULL)
		dump(&out);
	assert_non_null(x);
	assert_string_equal(x->path, f->ssh);
	findings_free(&out);
	facts_free(&cfg);
	free(conf);
	free(extra);
}

/* ---- the whole ---- */

static void
test_check_all(void **state)
{
	struct findings out = { 0 };
	const struct finding *x;

	(void)state;
	check_all("no-such-user-sshdoctor", &out);
	x = find_problem(&out, "auth-invalid-user");
	assert_non_null(x);
	assert_int_equal(x->sev, FIND_ERROR);
	assert_int_equal(out.n, 1);
	findings_free(&out);

	check_all("root", &out);
	assert_true(out.n > 0);
	findings_free(&out);
}

static void
test_findings_basics(void **state)
{
	struct findings out = { 0 };

	(void)state;
	assert_int_equal(findings_worst(&out), FIND_OK);
	findings_add(&out, FIND_INFO, "a", NULL, NULL, NULL, "plain");
	findings_add(&out, FIND_WARN, "b", "x", "/p\x1b", "fix\n", "%s %d",
	    "bell\a", 3);
	assert_int_equal(findings_worst(&out), FIND_WARN);
	assert_string_equal(out.v[1].text, "bell\\x07 3");
	assert_string_equal(out.v[1].path, "/p\\e");
	assert_string_equal(out.v[1].fix, "fix\\x0a");
	assert_string_equal(finding_severity_name(FIND_ERROR), "error");
	assert_string_equal(finding_severity_name(FIND_OK), "ok");
	findings_free(&out);
	assert_null(out.v);
	assert_int_equal(out.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_client_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ssh_dir_group_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_other_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_too_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_modes_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_world_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_ssh_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strict_modes_open_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strict_modes_home_and_tmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strict_modes_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_known_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ssh_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ssh_config_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ssh_config_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sshd_subsystem_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sshd_allow_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sshd_root_and_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sshd_groups_and_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sshd_no_subsystem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sshd_bad_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sshd_strict_modes, setup, teardown),
		cmocka_unit_test(test_check_all),
		cmocka_unit_test(test_findings_basics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
