/* test_probe.c: the libssh probe against a real sshd on a loopback port.
 *
 * Root only (sshd's privilege separation and a login as ourselves): one
 * private temp dir with a host key, a user key, another key and a noisy
 * sftp subsystem; each test starts `sshd -D -e` with its own config on a
 * free port and the teardown kills it, whatever the test did. */
#define _GNU_SOURCE 1	/* nftw */
#include "testutil.h"
#include "probe.h"
#include "util.h"

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SSHD		"/usr/sbin/sshd"
#define SFTP_SERVER	"/usr/lib/openssh/sftp-server"
#define START_TRIES	5
#define START_WAIT_MS	5000
#define STOP_WAIT_MS	2000
#define PROBE_TIMEOUT_S	5

/* Which sftp subsystem an sshd gets. */
enum lab_sftp { LAB_SFTP_INTERNAL, LAB_SFTP_NOISY, LAB_SFTP_EBCDIC,
    LAB_SFTP_MISSING, LAB_SFTP_NONE };

struct lab {
	const char	*skip_reason;	/* non-NULL: every test skips */
	char		 dir[64];
	char		*hostkey;
	char		*userkey;	/* private; its .pub is authorized */
	char		*otherkey;	/* private; not authorized */
	char		*altkey;	/* another ed25519 host key */
	char		*ecdsakey;	/* a host key of another type */
	char		*rsakey;	/* a host key with a choice of algorithms */
	char		*fingerprint;	/* of hostkey, by ssh-keygen -lf */
	char		*config;
	char		*log;
	pid_t		 sshd;		/* 0: none running */
	int		 port;
};

static char *
lab_path(struct lab *l, const char *name)
{
	return xasprintf("%s/%s", l->dir, name);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void
keygen(const char *type, const char *path)
{
	char *cmd = xasprintf("ssh-keygen -q -t %s -N '' -C probe-test "
	    "-f %s </dev/null >/dev/null 2>&1", type, path);

	if (tu_run(cmd, NULL) != 0)
		fail_msg("%s failed", cmd);
	free(cmd);
}

static char *
pub_of(const char *key)
{
	char *path = xasprintf("%s.pub", key);
	char *text = tu_read_file(path, NULL);

	if (text == NULL)
		fail_msg("cannot read %s", path);
	free(path);
	return text;
}

/* The second field of `ssh-keygen -lf key.pub`: "SHA256:...". */
static char *
keygen_fingerprint(const char *key)
{
	char *cmd = xasprintf("ssh-keygen -lf %s.pub", key);
	char *out = NULL, *p, *fp;

	if (tu_run(cmd, &out) != 0 || (p = strchr(out, ' ')) == NULL)
		fail_msg("%s failed", cmd);
	p++;
	fp = xstrndup(p, strcspn(p, " \n"));
	free(out);
	free(cmd);
	return fp;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* A port nobody listens on just now (it may be taken before we use it:
 * lab_start retries). */
static int
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd, port;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fail_msg("socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		fail_msg("bind: %s", strerror(errno));
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Keys, authorized_keys and the two noisy subsystems in the temp dir. */
static void
lab_files(struct lab *l)
{
	char *path, *pub;

	l->hostkey = lab_path(l, "hostkey");
	l->userkey = lab_path(l, "userkey");
	l->otherkey = lab_path(l, "otherkey");
	l->altkey = lab_path(l, "altkey");
	l->ecdsakey = lab_path(l, "ecdsakey");
	l->rsakey = lab_path(l, "rsakey");
	l->config = lab_path(l, "sshd_config");
	l->log = lab_path(l, "sshd.log");
	keygen("ed25519", l->hostkey);
	keygen("ed25519", l->userkey);
	keygen("ed25519", l->otherkey);
	keygen("ed25519", l->altkey);
	keygen("ecdsa", l->ecdsakey);
	keygen("rsa -b 2048", l->rsakey);
	l->fingerprint = keygen_fingerprint(l->hostkey);

	path = lab_path(l, "authorized_keys");
	pub = pub_of(l->userkey);
	write_file(path, pub, 0600);
	free(pub);
	free(path);

	/* The talk's problem 10: a login script that prints to stdout. */
	path = lab_path(l, "noisy-sftp");
	write_file(path, "#!/bin/sh\necho 'This is noise from .bashrc'\n"
	    "exec " SFTP_SERVER "\n", 0755);
	free(path);
	/* The same on z/OS: "this is noise\n" in EBCDIC (IBM-1047). */
	path = lab_path(l, "ebcdic-sftp");
	write_file(path, "#!/bin/sh\n"
	    "printf '\\243\\210\\211\\242@\\211\\242@\\225\\226\\211\\242\\205\\045'\n"
	    "exec " SFTP_SERVER "\n", 0755);
	free(path);
}

static int
group_setup(void **state)
{
	struct lab *l = xcalloc(1, sizeof *l);
	struct stat st;

	*state = l;
	signal(SIGPIPE, SIG_IGN);
	/* sshd's connection children outlive a killed listener: they become
	 * ours to reap, not init's. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (geteuid() != 0) {
		l->skip_reason = "needs root (sshd's privilege separation)";
		return 0;
	}
	if (access(SSHD, X_OK) != 0 || access(SFTP_SERVER, X_OK) != 0) {
		l->skip_reason = "needs openssh-server (" SSHD ")";
		return 0;
	}
	if (stat("/run/sshd", &st) != 0 && mkdir("/run/sshd", 0755) != 0) {
		l->skip_reason = "cannot create /run/sshd";
		return 0;
	}
	strcpy(l->dir, "/tmp/sshdoctor-probe-XXXXXX");
	if (mkdtemp(l->dir) == NULL) {
		l->skip_reason = "mkdtemp failed";
		l->dir[0] = '\0';
		return 0;
	}
	lab_files(l);
	return 0;
}

/* SIGKILL our children still running: sshd's connection children, which
 * became ours (we are a subreaper) when their listener died. */
static void
kill_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[300], *stat, *p;
	int ppid;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if ((stat = tu_read_file(path, NULL)) == NULL)
			continue;
		/* "pid (comm) state ppid ...": comm may hold spaces */
		if ((p = strrchr(stat, ')')) != NULL &&
		    sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == getpid())
			kill(atoi(de->d_name), SIGKILL);
		free(stat);
	}
	closedir(d);
}

/* Kill the sshd (its process group), then reap it and every connection
 * child it left, within a bounded wait. */
static void
lab_stop(struct lab *l)
{
	int64_t until = now_ms() + STOP_WAIT_MS;
	int status, killed = 0;
	pid_t pid;

	if (l->sshd <= 0)
		return;
	kill(-l->sshd, SIGTERM);
	while ((pid = waitpid(-1, &status, WNOHANG)) != -1) {
		if (pid > 0)
			continue;
		if (now_ms() > until && !killed) {
			kill(-l->sshd, SIGKILL);
			kill_children();
			killed = 1;
		} else if (now_ms() > until + STOP_WAIT_MS)
			break;	/* unkillable: leave it rather than hang */
		sleep_ms(5);
	}
	l->sshd = 0;
}

static int
lab_teardown(void **state)
{
	lab_stop(*state);
	return 0;
}

static int
group_teardown(void **state)
{
	struct lab *l = *state;

	lab_stop(l);
	if (l->dir[0] != '\0')
		nftw(l->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(l->hostkey);
	free(l->userkey);
	free(l->otherkey);
	free(l->altkey);
	free(l->ecdsakey);
	free(l->rsakey);
	free(l->fingerprint);
	free(l->config);
	free(l->log);
	free(l);
	return 0;
}

static struct lab *
lab_get(void **state)
{
	struct lab *l = *state;

	if (l->skip_reason != NULL) {
		print_message("skipped: %s\n", l->skip_reason);
		skip();
	}
	return l;
}

/* extra comes first: sshd keeps the first value of most keywords. */
static void
lab_config(struct lab *l, enum lab_sftp sftp, const char *extra)
{
	struct buf b;

	buf_init(&b);
	if (extra != NULL)
		buf_adds(&b, extra);
	buf_addf(&b,
	    "ListenAddress 127.0.0.1\n"
	    "HostKey %s/hostkey\n"
	    "PidFile none\n"
	    "UsePAM no\n"
	    "StrictModes no\n"
	    "AuthorizedKeysFile %s/authorized_keys\n"
	    "PermitRootLogin prohibit-password\n"
	    "PasswordAuthentication yes\n"
	    "KbdInteractiveAuthentication no\n"
	    "Banner %s/banner\n", l->dir, l->dir, l->dir);
	if (sftp == LAB_SFTP_INTERNAL)
		buf_adds(&b, "Subsystem sftp internal-sftp\n");
	else if (sftp == LAB_SFTP_NOISY)
		buf_addf(&b, "Subsystem sftp %s/noisy-sftp\n", l->dir);
	else if (sftp == LAB_SFTP_EBCDIC)
		buf_addf(&b, "Subsystem sftp %s/ebcdic-sftp\n", l->dir);
	else if (sftp == LAB_SFTP_MISSING)
		buf_addf(&b, "Subsystem sftp %s/no-such-sftp-server\n", l->dir);
	write_file(l->config, b.data, 0644);
	buf_free(&b);
	{
		char *banner = lab_path(l, "banner");

		write_file(banner, "Authorized use only.\r\nSecond line.\n",
		    0644);
		free(banner);
	}
}

/* 1 ready, 0 try another port, -1 it failed for another reason. */
static int
lab_wait_ready(struct lab *l)
{
	int64_t until = now_ms() + START_WAIT_MS;
	char *log;
	int status, ready, busy, exited;

	for (;;) {
		log = tu_read_file(l->log, NULL);
		ready = log != NULL && strstr(log, "Server listening on") != NULL;
		busy = log != NULL && (strstr(log, "Address already in use") ||
		    strstr(log, "Cannot bind any address"));
		if (ready) {
			free(log);
			return 1;
		}
		exited = waitpid(l->sshd, &status, WNOHANG) == l->sshd;
		if (exited || now_ms() > until) {
			if (!exited)
				lab_stop(l);
			l->sshd = 0;
			if (!busy)
				print_message("sshd did not start:\n%s\n",
				    log != NULL ? log : "(no log)");
			free(log);
			return busy ? 0 : -1;
		}
		free(log);
		sleep_ms(10);
	}
}

static void
lab_exec(struct lab *l)
{
	char port[16];
	int fd;

	snprintf(port, sizeof port, "%d", l->port);
	setpgid(0, 0);
	fd = open(l->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1)
		_exit(127);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	if ((fd = open("/dev/null", O_RDONLY)) != -1) {
		dup2(fd, 0);
		close(fd);
	}
	execl(SSHD, SSHD, "-D", "-e", "-p", port, "-f", l->config,
	    (char *)NULL);
	_exit(127);
}

/* Start sshd -D (serves many connections) and wait for its listener. */
static void
lab_start(struct lab *l, enum lab_sftp sftp, const char *extra)
{
	int rc = 0;

	lab_config(l, sftp, extra);
	for (int i = 0; i < START_TRIES && rc == 0; i++) {
		l->port = free_port();
		unlink(l->log);
		if ((l->sshd = fork()) == -1)
			fail_msg("fork: %s", strerror(errno));
		if (l->sshd == 0)
			lab_exec(l);
		setpgid(l->sshd, l->sshd);	/* no race with kill(-pid) */
		rc = lab_wait_ready(l);
	}
	if (rc != 1)
		fail_msg("sshd did not start on a free port");
}

static void
probe_opts_init(struct probe_opts *o, struct lab *l)
{
	memset(o, 0, sizeof *o);
	o->host = "127.0.0.1";
	o->port = l->port;
	o->timeout_s = PROBE_TIMEOUT_S;
}

/* A known_hosts file naming the test server with the given key. */
static char *
known_hosts_with(struct lab *l, const char *key)
{
	char *path = lab_path(l, "known_hosts");
	char *pub = key != NULL ? pub_of(key) : NULL;
	char *line = pub != NULL ?
	    xasprintf("[127.0.0.1]:%d %s", l->port, pub) : xstrdup("");

	write_file(path, line, 0600);
	free(line);
	free(pub);
	return path;
}

static void
test_server_facts(void **state)
{
	struct lab *l = lab_get(state);
	struct probe_opts o;
	struct probe_result r;

	lab_start(l, LAB_SFTP_INTERNAL, NULL);
	probe_opts_init(&o, l);
	o.known_hosts = known_hosts_with(l, NULL);
	assert_int_equal(probe_run(&o, &r), 0);
	assert_null(r.error);
	assert_true(r.connected);
	assert_non_null(r.banner);
	assert_true(strncmp(r.banner, "SSH-2.0-OpenSSH_", 16) == 0);
	assert_non_null(r.server_software);
	assert_true(strncmp(r.server_software, "OpenSSH_", 8) == 0);
	assert_non_null(r.fingerprint);
	assert_string_equal(r.fingerprint, l->fingerprint);
	assert_string_equal(r.hostkey_type, "ssh-ed25519");
	assert_string_equal(r.hostkey_alg, "ssh-ed25519");
	assert_non_null(r.kex);
	assert_true(r.kex[0] != '\0');
	assert_non_null(r.cipher_c2s);
	assert_true(r.cipher_c2s[0] != '\0');
	assert_non_null(r.cipher_s2c);
	assert_non_null(r.mac_c2s);
	assert_non_null(r.mac_s2c);
	assert_string_equal(r.auth_methods, "publickey,password");
	assert_string_equal(r.issue_banner,
	    "Authorized use only.\nSecond line.");
	assert_int_equal(r.known_hosts, PROBE_KH_UNKNOWN);
	assert_int_equal(r.key_accepted, -1);
	assert_int_equal(r.logged_in, -1);
	assert_int_equal(r.sftp_ok, -1);
	probe_result_free(&r);
	free((char *)o.known_hosts);
}

/* An RSA key says "ssh-rsa" whatever the signature: the algorithm comes
 * from what libssh negotiated. */
static void
test_hostkey_algorithm(void **state)
{
	struct lab *l = lab_get(state);
	struct probe_opts o;
	struct probe_result r;
	char *extra = xasprintf("HostKey %s\nHostKeyAlgorithms rsa-sha2-256\n",
	    l->rsakey);

	lab_start(l, LAB_SFTP_INTERNAL, extra);
	free(extra);
	probe_opts_init(&o, l);
	o.known_hosts = "/dev/null";
	assert_int_equal(probe_run(&o, &r), 0);
	assert_null(r.error);
	assert_string_equal(r.hostkey_type, "ssh-rsa");
	assert_string_equal(r.hostkey_alg, "rsa-sha2-256");
	probe_result_free(&r);
}

/* A failed key exchange still tells who answered. */
static void
test_kex_failure(void **state)
{
	struct lab *l = lab_get(state);
	struct probe_opts o;
	struct probe_result r;

	lab_start(l, LAB_SFTP_INTERNAL,
	    "KexAlgorithms diffie-hellman-group1-sha1\n");
	probe_opts_init(&o, l);
	o.known_hosts = "/dev/null";
	o.try_login = 1;
	assert_int_equal(probe_run(&o, &r), 0);
	assert_true(r.connected);
	assert_non_null(r.server_software);
	assert_true(strncmp(r.server_software, "OpenSSH_", 8) == 0);
	assert_non_null(r.error);
	assert_non_null(strstr(r.error, "diffie-hellman-group1-sha1"));
	assert_null(r.fingerprint);
	assert_null(r.kex);
	assert_int_equal(r.known_hosts, PROBE_KH_NOT_CHECKED);
	assert_int_equal(r.logged_in, -1);
	probe_result_free(&r);
}

static enum probe_kh
kh_verdict(struct lab *l, const char *key)
{
	struct probe_opts o;
	struct probe_result r;
	enum probe_kh kh;

	probe_opts_init(&o, l);
	o.known_hosts = known_hosts_with(l, key);
	assert_int_equal(probe_run(&o, &r), 0);
	assert_true(r.connected);
	kh = r.known_hosts;
	probe_result_free(&r);
	free((char *)o.known_hosts);
	return kh;
}

static void
test_known_hosts(void **state)
{
	struct lab *l = lab_get(state);
	struct probe_opts o;
	struct probe_result r;

	lab_start(l, LAB_SFTP_INTERNAL, NULL);
	assert_int_equal(kh_verdict(l, l->hostkey), PROBE_KH_OK);
	assert_int_equal(kh_verdict(l, l->altkey), PROBE_KH_CHANGED);
	assert_int_equal(kh_verdict(l, l->ecdsakey), PROBE_KH_OTHER_TYPE);
	assert_int_equal(kh_verdict(l, NULL), PROBE_KH_UNKNOWN);

	/* no file at all is "unknown" too, and nothing is written */
	probe_opts_init(&o, l);
	o.known_hosts = lab_path(l, "no-such-known_hosts");
	assert_int_equal(probe_run(&o, &r), 0);
	assert_int_equal(r.known_hosts, PROBE_KH_UNKNOWN);
	assert_int_equal(access(o.known_hosts, F_OK), -1);
	probe_result_free(&r);
	free((char *)o.known_hosts);
}

static int
key_accepted(struct lab *l, const char *key, char **error)
{
	struct probe_opts o;
	struct probe_result r;
	char *pub = xasprintf("%s.pub", key);
	int accepted;

	probe_opts_init(&o, l);
	o.known_hosts = "/dev/null";
	o.pubkey = pub;
	assert_int_equal(probe_run(&o, &r), 0);
	accepted = r.key_accepted;
	assert_int_equal(r.logged_in, -1);
	*error = r.error != NULL ? xstrdup(r.error) : NULL;
	probe_result_free(&r);
	free(pub);
	return accepted;
}

static void
test_key_accepted(void **state)
{
	struct lab *l = lab_get(state);
	char *error = NULL, *missing;

	lab_start(l, LAB_SFTP_INTERNAL, NULL);
	assert_int_equal(key_accepted(l, l->userkey, &error), 1);
	assert_null(error);
	assert_int_equal(key_accepted(l, l->otherkey, &error), 0);
	assert_null(error);
	missing = lab_path(l, "missing");
	assert_int_equal(key_accepted(l, missing, &error), -1);
	assert_non_null(error);
	assert_non_null(strstr(error, "cannot open the public key"));
	free(error);
	free(missing);
}

/* Needs no sshd, so no root. */
static void
test_refused(void **state)
{
	struct lab *l = *state;
	struct probe_opts o;
	struct probe_result r;
	int64_t t0;

	l->port = free_port();	/* nobody listens there */
	probe_opts_init(&o, l);
	o.try_login = 1;
	t0 = now_ms();
	assert_int_equal(probe_run(&o, &r), 0);
	assert_true(now_ms() - t0 < 2000);
	assert_false(r.connected);
	assert_non_null(r.error);
	assert_non_null(strstr(r.error, "Connection refused"));
	assert_non_null(strstr(r.error, "cannot connect to 127.0.0.1 port"));
	assert_null(r.banner);
	assert_null(r.fingerprint);
	assert_int_equal(r.known_hosts, PROBE_KH_NOT_CHECKED);
	assert_int_equal(r.logged_in, -1);
	assert_int_equal(r.sftp_ok, -1);
	probe_result_free(&r);
}

static void
test_bad_options(void **state)
{
	struct probe_opts o;
	struct probe_result r;

	(void)state;
	memset(&o, 0, sizeof o);
	assert_int_equal(probe_run(&o, &r), -1);
	assert_non_null(r.error);
	assert_int_equal(r.connected, 0);
	probe_result_free(&r);

	o.host = "bad host name";
	assert_int_equal(probe_run(&o, &r), -1);
	assert_non_null(strstr(r.error, "bad host name"));
	probe_result_free(&r);
}

static struct probe_result
login(struct lab *l, const char *identity)
{
	struct probe_opts o;
	struct probe_result r;

	probe_opts_init(&o, l);
	o.known_hosts = "/dev/null";
	o.try_login = 1;
	o.identity = identity;
	assert_int_equal(probe_run(&o, &r), 0);
	assert_true(r.connected);
	return r;
}

static void
test_sftp_ok(void **state)
{
	struct lab *l = lab_get(state);
	struct probe_result r;
	char *expect;

	lab_start(l, LAB_SFTP_INTERNAL, NULL);
	r = login(l, l->userkey);
	assert_null(r.error);
	assert_int_equal(r.logged_in, 1);
	assert_int_equal(r.sftp_ok, 1);
	assert_null(r.sftp_noise);
	assert_null(r.sftp_length);
	probe_result_free(&r);

	/* a key the server does not take: no login, no sftp */
	r = login(l, l->otherkey);
	assert_int_equal(r.logged_in, 0);
	assert_int_equal(r.sftp_ok, -1);
	assert_non_null(r.error);
	expect = xasprintf("login: the server did not take %s", l->otherkey);
	assert_string_equal(r.error, expect);
	free(expect);
	probe_result_free(&r);

	/* a missing identity is said once */
	r = login(l, "/nonexistent/key");
	assert_int_equal(r.logged_in, 0);
	assert_string_equal(r.error, "cannot open the identity /nonexistent/key");
	probe_result_free(&r);
}

static void
test_sftp_noise(void **state)
{
	struct lab *l = lab_get(state);
	struct probe_result r;

	lab_start(l, LAB_SFTP_NOISY, NULL);
	r = login(l, l->userkey);
	assert_int_equal(r.logged_in, 1);
	assert_int_equal(r.sftp_ok, 0);
	/* "This" read as a length word, as the client reports it */
	assert_string_equal(r.sftp_length, "1416128883");
	assert_non_null(r.sftp_noise);
	assert_string_equal(r.sftp_noise, "ASCII \"This\", "
	    "EBCDIC \"\\x54\\x68\\x69\\x73\", "
	    "then \" is noise from .bashrc\\n\"");
	assert_non_null(r.error);
	assert_non_null(strstr(r.error, "not an SFTP packet"));
	probe_result_free(&r);
}

/* The talk's own number: "Received message too long 2743634338". */
static void
test_sftp_noise_ebcdic(void **state)
{
	struct lab *l = lab_get(state);
	struct probe_result r;

	lab_start(l, LAB_SFTP_EBCDIC, NULL);
	r = login(l, l->userkey);
	assert_int_equal(r.logged_in, 1);
	assert_int_equal(r.sftp_ok, 0);
	assert_string_equal(r.sftp_length, "2743634338");
	assert_string_equal(r.sftp_noise, "ASCII \"\\xa3\\x88\\x89\\xa2\", "
	    "EBCDIC \"this\", then \" is noise\\n\" (EBCDIC)");
	probe_result_free(&r);
}

static void
test_sftp_refused(void **state)
{
	struct lab *l = lab_get(state);
	struct probe_result r;

	lab_start(l, LAB_SFTP_NONE, NULL);
	r = login(l, l->userkey);
	assert_int_equal(r.logged_in, 1);
	assert_int_equal(r.sftp_ok, 0);
	assert_non_null(r.error);
	assert_string_equal(r.error, "the server refused the sftp subsystem");
	probe_result_free(&r);
}

/* The talk's sftp-subsystem-missing: the request is granted, the
 * command is not there. */
static void
test_sftp_missing(void **state)
{
	struct lab *l = lab_get(state);
	struct probe_result r;

	lab_start(l, LAB_SFTP_MISSING, NULL);
	r = login(l, l->userkey);
	assert_int_equal(r.logged_in, 1);
	assert_int_equal(r.sftp_ok, 0);
	assert_null(r.sftp_noise);
	assert_non_null(r.error);
	assert_non_null(strstr(r.error, "exit status 127"));
	probe_result_free(&r);
}

static int log_calls;

static void
count_log(int priority, const char *function, const char *buffer,
    void *userdata)
{
	(void)priority;
	(void)function;
	(void)buffer;
	(void)userdata;
	log_calls++;
}

/* Nothing on stdout or stderr, even with noise, a refused key and a
 * failed login; a log callback and level set before are put back. */
static void
test_quiet(void **state)
{
	struct lab *l = lab_get(state);
	struct probe_opts o;
	struct probe_result r;
	char *out = lab_path(l, "stdio"), *text, *pub;
	int saved[2], fd;

	lab_start(l, LAB_SFTP_NOISY, NULL);
	ssh_set_log_callback(count_log);
	ssh_set_log_level(SSH_LOG_TRACE);
	log_calls = 0;
	fflush(stdout);
	fflush(stderr);
	saved[0] = dup(1);
	saved[1] = dup(2);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved[0] != -1 && saved[1] != -1 && fd != -1);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);

	probe_opts_init(&o, l);
	o.try_login = 1;
	o.identity = l->userkey;
	pub = xasprintf("%s.pub", l->otherkey);
	o.pubkey = pub;
	o.known_hosts = "/dev/null";
	probe_run(&o, &r);
	probe_result_free(&r);
	o.identity = l->otherkey;
	probe_run(&o, &r);
	probe_result_free(&r);

	fflush(stdout);
	fflush(stderr);
	dup2(saved[0], 1);
	dup2(saved[1], 2);
	close(saved[0]);
	close(saved[1]);
	assert_ptr_equal(ssh_get_log_callback(), count_log);
	assert_int_equal(ssh_get_log_level(), SSH_LOG_TRACE);
	assert_int_equal(log_calls, 0);
	ssh_set_log_level(SSH_LOG_NOLOG);
	text = tu_read_file(out, NULL);
	assert_non_null(text);
	assert_string_equal(text, "");
	free(text);
	free(pub);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_server_facts, lab_teardown),
		cmocka_unit_test_teardown(test_hostkey_algorithm, lab_teardown),
		cmocka_unit_test_teardown(test_kex_failure, lab_teardown),
		cmocka_unit_test_teardown(test_known_hosts, lab_teardown),
		cmocka_unit_test_teardown(test_key_accepted, lab_teardown),
		cmocka_unit_test_teardown(test_refused, lab_teardown),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test_teardown(test_sftp_ok, lab_teardown),
		cmocka_unit_test_teardown(test_sftp_noise, lab_teardown),
		cmocka_unit_test_teardown(test_sftp_noise_ebcdic, lab_teardown),
		cmocka_unit_test_teardown(test_sftp_refused, lab_teardown),
		cmocka_unit_test_teardown(test_sftp_missing, lab_teardown),
		cmocka_unit_test_teardown(test_quiet, lab_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
