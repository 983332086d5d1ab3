/* lab.c: the embedded lab's breaks (data, lab/breaks.yaml) and its
 * sandbox: keys by ssh-keygen (fork/exec, no shell), a config, a debug
 * sshd on a free loopback port under the runner. */
#define _GNU_SOURCE 1	/* accept4 */
#include "lab.h"
#include "ydoc.h"
#include "kb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>
#include <yaml.h>

#define SSHD_PATH	"/usr/sbin/sshd"
#define READY_MS	10000
#define PORT_TRIES	5

/* ---- the breaks file ---- */

const char *
lab_default_file(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("SSHDOCTOR_LAB");

	if (env != NULL && *env != '\0')
		return env;
	snprintf(path, sizeof path, "%s/../lab/breaks.yaml", kb_default_dir());
	if (access(path, R_OK) == 0)
		return path;
	snprintf(path, sizeof path, "%s/lab/breaks.yaml", SSHDOCTOR_DATA_DIR);
	return path;
}

/* The fields of a break, by kind: one table instead of a chain of ifs. */
enum field_kind { F_STR, F_LIST, F_BOOL };

static const struct field {
	const char	*key;
	enum field_kind	 kind;
	size_t		 off;
} break_fields[] = {
	{ "id", F_STR, offsetof(struct lab_break, id) },
	{ "title", F_STR, offsetof(struct lab_break, title) },
	{ "expect", F_STR, offsetof(struct lab_break, expect) },
	{ "sshd_config", F_LIST, offsetof(struct lab_break, sshd_config) },
	{ "ssh_options", F_LIST, offsetof(struct lab_break, ssh_options) },
	{ "user", F_STR, offsetof(struct lab_break, user) },
	{ "key", F_STR, offsetof(struct lab_break, key) },
	{ "authorized", F_LIST, offsetof(struct lab_break, authorized) },
	{ "known_hosts", F_STR, offsetof(struct lab_break, known_hosts) },
	{ "keys", F_LIST, offsetof(struct lab_break, keys) },
	{ "chmod", F_LIST, offsetof(struct lab_break, chmod) },
	{ "needs_root", F_BOOL, offsetof(struct lab_break, needs_root) },
	{ "no_server", F_BOOL, offsetof(struct lab_break, no_server) },
	{ "known_wrong", F_STR, offsetof(struct lab_break, known_wrong) },
	{ "wizard", F_STR, offsetof(struct lab_break, wizard) },
	{ "listener", F_STR, offsetof(struct lab_break, listener) },
	{ "proxy", F_STR, offsetof(struct lab_break, proxy) },
	{ "command", F_STR, offsetof(struct lab_break, command) },
	{ "test_user", F_BOOL, offsetof(struct lab_break, test_user) },
	{ "bashrc", F_STR, offsetof(struct lab_break, bashrc) },
};

/* "file:line: what" + arg, for messages that name a value. */
static void
lerr(struct ydoc *y, yaml_node_t *n, const char *what, const char *arg)
{
	ydoc_err(y, n, "%s%s", what, arg ? arg : "");
}

static void
load_field(struct ydoc *y, const struct field *f, yaml_node_t *v,
    struct lab_break *b)
{
	void *at = (char *)b + f->off;
	const char *s = ydoc_scalar(v);

	switch (f->kind) {
	case F_STR:
		if (s == NULL)
			lerr(y, v, "expected a string for ", f->key);
		else
			*(char **)at = xstrdup(s);
		break;
	case F_LIST:
		if (v->type != YAML_SEQUENCE_NODE)
			lerr(y, v, "expected a list of strings for ", f->key);
		else
			ydoc_strv(y, v, f->key, 0, at);
		break;
	case F_BOOL:
		if (s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0))
			*(int *)at = 1;
		else if (s == NULL || (strcmp(s, "false") != 0 && strcmp(s, "no") != 0))
			lerr(y, v, "expected true or false for ", f->key);
		break;
	}
}

static void
break_free(struct lab_break *b)
{
	free(b->id);
	free(b->title);
	free(b->expect);
	strv_free(&b->sshd_config);
	strv_free(&b->ssh_options);
	free(b->user);
	free(b->key);
	strv_free(&b->authorized);
	free(b->known_hosts);
	strv_free(&b->keys);
	strv_free(&b->chmod);
	free(b->known_wrong);
	free(b->wizard);
	free(b->listener);
	free(b->proxy);
	free(b->command);
	free(b->bashrc);
	free(b->file);
}

static int
valid_name(const char *s)
{
	if (*s == '\0' || *s == '-' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static void
load_break(struct ydoc *x, yaml_node_t *n, struct lab_break *b)
{
	b->file = xstrdup(x->file);
	b->line = (int)n->start_mark.line + 1;
	if (n->type != YAML_MAPPING_NODE) {
		lerr(x, n, "a break is a mapping", NULL);
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	    p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(x, p->key);
		const char *key = ydoc_scalar(k);
		size_t i;

		for (i = 0; key != NULL && i < sizeof break_fields /
		    sizeof break_fields[0]; i++)
			if (strcmp(key, break_fields[i].key) == 0)
				break;
		if (key == NULL || i == sizeof break_fields / sizeof break_fields[0])
			lerr(x, k, "unknown key ", key ? key : "?");
		else
			load_field(x, &break_fields[i], ydoc_node(x, p->value), b);
	}
	if (b->id == NULL || b->title == NULL || b->expect == NULL) {
		lerr(x, n, "a break needs id, title and expect", NULL);
		return;
	}
	if (!valid_name(b->id))
		lerr(x, n, "id must be kebab-case: ", b->id);
	if (b->key == NULL)
		b->key = xstrdup("id_ed25519");
	if (b->authorized.n == 0 && b->authorized.v == NULL)
		strv_add(&b->authorized, "id_ed25519");
	if (b->known_hosts == NULL)
		b->known_hosts = xstrdup("ok");
	if (b->wizard == NULL)
		b->wizard = xstrdup("connect");
	if (strcmp(b->wizard, "connect") != 0 && strcmp(b->wizard, "sftp") != 0)
		lerr(x, n, "wizard is connect or sftp, not ", b->wizard);
	if (b->listener != NULL && strcmp(b->listener, "reset") != 0 &&
	    strcmp(b->listener, "timeout") != 0 && strcmp(b->listener, "http") != 0)
		lerr(x, n, "listener is reset, timeout or http, not ", b->listener);
	if (b->listener != NULL && b->no_server)
		lerr(x, n, "listener and no_server exclude each other", NULL);
	if (b->proxy != NULL && strcmp(b->proxy, "flip") != 0)
		lerr(x, n, "proxy is flip, not ", b->proxy);
	if (b->proxy != NULL && (b->listener != NULL || b->no_server))
		lerr(x, n, "proxy needs sshd (no listener, no no_server)", NULL);
	if (b->test_user && !b->needs_root)
		lerr(x, n, "test_user needs needs_root: true", NULL);
	if (b->test_user && b->user != NULL)
		lerr(x, n, "test_user and user exclude each other", NULL);
	if (b->bashrc != NULL && !b->test_user)
		lerr(x, n, "bashrc is the test user's: needs test_user: true", NULL);
	if (strcmp(b->known_hosts, "ok") != 0 && strcmp(b->known_hosts, "empty") != 0 &&
	    strcmp(b->known_hosts, "changed") != 0)
		lerr(x, n, "known_hosts is ok, empty or changed, not ", b->known_hosts);
	for (size_t i = 0; i < b->keys.n; i++) {
		char name[64], type[16];

		if (sscanf(b->keys.v[i], "%63s %15s", name, type) != 2 || !valid_name(name) ||
		    (strcmp(type, "ed25519") != 0 && strcmp(type, "rsa") != 0 &&
		    strcmp(type, "ecdsa") != 0))
			lerr(x, n, "keys: 'NAME ed25519|rsa|ecdsa', not ", b->keys.v[i]);
	}
	for (size_t i = 0; i < b->chmod.n; i++) {
		char path[256];
		unsigned mode;

		if (sscanf(b->chmod.v[i], "%255s %o", path, &mode) != 2 || mode > 07777 ||
		    strstr(path, "..") != NULL || path[0] == '/')
			lerr(x, n, "chmod: 'PATH-IN-SANDBOX OCTAL-MODE', not ", b->chmod.v[i]);
	}
}

struct lab_catalog *
lab_load(const char *path, struct strv *errors)
{
	struct lab_catalog *c;
	struct ydoc y;
	yaml_node_t *root, *list;

	if (ydoc_open(&y, path, errors) != 0) {
		ydoc_close(&y);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	root = ydoc_root(&y);
	list = ydoc_get(&y, root, "breaks");
	if (root == NULL || root->type != YAML_MAPPING_NODE || list == NULL)
		lerr(&y, root, "expected a mapping with 'breaks:'", NULL);
	else if (list->type != YAML_SEQUENCE_NODE)
		lerr(&y, list, "breaks: expected a list", NULL);
	else {
		static const char *const top[] = { "breaks", NULL };

		ydoc_check_keys(&y, root, top);
		for (yaml_node_item_t *i = list->data.sequence.items.start;
		    i < list->data.sequence.items.top; i++) {
			c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
			memset(&c->v[c->n], 0, sizeof c->v[c->n]);
			load_break(&y, ydoc_node(&y, *i), &c->v[c->n]);
			c->n++;
		}
	}
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < i; j++)
			if (c->v[i].id && c->v[j].id && strcmp(c->v[i].id, c->v[j].id) == 0)
			{
				strv_addn(errors, xasprintf("%s:%d: duplicate id %s",
				    path, c->v[i].line, c->v[i].id));
				y.nerr++;
			}
	ydoc_close(&y);
	if (y.nerr > 0) {
		lab_free(c);
		return NULL;
	}
	return c;
}

void
lab_free(struct lab_catalog *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		break_free(&c->v[i]);
	free(c->v);
	free(c);
}

const struct lab_break *
lab_find(const struct lab_catalog *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].id, id) == 0)
			return &c->v[i];
	return NULL;
}

const char *
lab_unavailable(const struct lab_break *b)
{
	if (b->listener == NULL && access(SSHD_PATH, X_OK) != 0)
		return "sshd is not installed here (" SSHD_PATH ")";
	if (b->needs_root && geteuid() != 0)
		return "needs root (the login must be root's or another account's)";
	return NULL;
}

/* ---- the sandbox ---- */

/* Run argv (no shell) with stdin, stdout and stderr on /dev/null. */
static int
run_quiet(char *const argv[])
{
	pid_t pid;
	int status, fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static const char *
keygen_path(void)
{
	static const char *const p[] = { "/usr/bin/ssh-keygen",
	    "/usr/local/bin/ssh-keygen", "/bin/ssh-keygen", NULL };

	for (size_t i = 0; p[i] != NULL; i++)
		if (access(p[i], X_OK) == 0)
			return p[i];
	return "/usr/bin/ssh-keygen";
}

static int
keygen(const char *path, const char *type)
{
	char *argv[] = { (char *)keygen_path(), (char *)"-q", (char *)"-t",
	    (char *)type, (char *)"-N", (char *)"", (char *)"-C",
	    (char *)"sshdoctor-lab", (char *)"-f", (char *)path, NULL };

	if (strcmp(type, "rsa") == 0) {
		/* 2048 bits: quick enough for a lab */
		char *rsa[] = { argv[0], argv[1], argv[2], argv[3],
		    (char *)"-b", (char *)"2048", argv[4], argv[5], argv[6],
		    argv[7], argv[8], argv[9], NULL };
		return run_quiet(rsa);
	}
	return run_quiet(argv);
}

static int
write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	size_t len = strlen(text), off = 0;
	ssize_t n;

	if (fd == -1)
		return -1;
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

/* {dir}, {port} and {user} in a break's text. */
static char *
expand(const struct lab *l, const char *s)
{
	struct buf b;

	buf_init(&b);
	for (; *s; s++) {
		if (strncmp(s, "{dir}", 5) == 0) {
			buf_adds(&b, l->dir);
			s += 4;
		} else if (strncmp(s, "{port}", 6) == 0) {
			buf_addf(&b, "%d", l->port);
			s += 5;
		} else if (strncmp(s, "{user}", 6) == 0) {
			buf_adds(&b, l->user);
			s += 5;
		} else
			buf_addc(&b, *s);
	}
	buf_addc(&b, '\0');
	return buf_steal(&b);
}

static int
free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;

	if (fd == -1)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static int
fail(char **why, const char *what, const char *arg)
{
	*why = xasprintf("%s%s%s", what, arg ? ": " : "", arg ? arg : "");
	return -1;
}

/* Keys, known_hosts, authorized_keys, modes: everything but the config. */
static int
make_files(struct lab *l, const struct lab_break *b, char **why)
{
	char *p, *pub, *text;
	struct buf ak;
	int rc = 0;

	p = xasprintf("%s/client", l->dir);
	if (mkdir(p, 0700) != 0) {
		rc = fail(why, "cannot make the sandbox", strerror(errno));
		free(p);
		return rc;
	}
	free(p);
	/* the host key, another host key (for "changed"), the client's keys */
	p = xasprintf("%s/ssh_host_ed25519_key", l->dir);
	rc |= keygen(p, "ed25519");
	free(p);
	if (strcmp(b->known_hosts, "changed") == 0) {
		p = xasprintf("%s/other_host_key", l->dir);
		rc |= keygen(p, "ed25519");
		free(p);
	}
	p = xasprintf("%s/client/id_ed25519", l->dir);
	rc |= keygen(p, "ed25519");
	free(p);
	for (size_t i = 0; i < b->keys.n; i++) {
		char name[64], type[16];

		if (sscanf(b->keys.v[i], "%63s %15s", name, type) != 2)
			continue;
		p = xasprintf("%s/client/%s", l->dir, name);
		rc |= keygen(p, type);
		free(p);
	}
	if (rc != 0)
		return fail(why, "ssh-keygen failed", keygen_path());

	/* authorized_keys at an absolute AuthorizedKeysFile in the sandbox */
	buf_init(&ak);
	for (size_t i = 0; i < b->authorized.n; i++) {
		p = xasprintf("%s/client/%s.pub", l->dir, b->authorized.v[i]);
		pub = file_slurp(p, NULL);
		free(p);
		if (pub == NULL)
			return buf_free(&ak), fail(why, "no such key to authorize",
			    b->authorized.v[i]);
		buf_adds(&ak, pub);
		free(pub);
	}
	buf_addc(&ak, '\0');
	p = xasprintf("%s/authorized_keys", l->dir);
	rc |= write_file(p, ak.data, 0600);
	free(p);
	buf_free(&ak);
	if (rc != 0)
		return fail(why, "cannot write in the sandbox", strerror(errno));

	for (size_t i = 0; i < b->chmod.n; i++) {
		char path[256];
		unsigned mode;

		if (sscanf(b->chmod.v[i], "%255s %o", path, &mode) != 2)
			continue;
		p = xasprintf("%s/%s", l->dir, path);
		text = expand(l, p);
		free(p);
		if (chmod(text, (mode_t)mode) != 0) {
			rc = fail(why, "chmod in the sandbox failed", text);
			free(text);
			return rc;
		}
		free(text);
	}
	return 0;
}

/* known_hosts names the port: written again for each port tried. */
static int
write_known_hosts(struct lab *l, const struct lab_break *b, char **why)
{
	struct buf kh;
	char *p, *q, *pub;
	int rc;

	buf_init(&kh);
	if (strcmp(b->known_hosts, "empty") != 0) {
		p = xasprintf("%s/%s.pub", l->dir, strcmp(b->known_hosts, "changed") == 0 ?
		    "other_host_key" : "ssh_host_ed25519_key");
		pub = file_slurp(p, NULL);
		free(p);
		if (pub == NULL)
			return buf_free(&kh), fail(why, "cannot read the host key", NULL);
		if ((q = strstr(pub, " sshdoctor-lab")) != NULL)
			*q = '\0';
		buf_addf(&kh, "[127.0.0.1]:%d %s\n", l->port, pub);
		free(pub);
	}
	buf_addc(&kh, '\0');
	p = xasprintf("%s/client/known_hosts", l->dir);
	rc = write_file(p, kh.data, 0600);
	free(p);
	buf_free(&kh);
	if (rc != 0)
		return fail(why, "cannot write known_hosts", strerror(errno));
	return 0;
}

static int
write_config(struct lab *l, const struct lab_break *b, char **why)
{
	struct buf c;
	char *p, *line;
	int rc;

	buf_init(&c);
	buf_adds(&c, "# sshdoctor lab: the break's lines first (sshd keeps the first value)\n");
	for (size_t i = 0; i < b->sshd_config.n; i++) {
		line = expand(l, b->sshd_config.v[i]);
		buf_addf(&c, "%s\n", line);
		free(line);
	}
	buf_addf(&c, "# the base\n"
	    "HostKey %s/ssh_host_ed25519_key\n"
	    "ListenAddress 127.0.0.1\n"
	    "PidFile none\n"
	    "UsePAM no\n"
	    "StrictModes no\n"
	    "AuthorizedKeysFile %s/authorized_keys\n"
	    "PubkeyAuthentication yes\n"
	    "PasswordAuthentication no\n"
	    "KbdInteractiveAuthentication no\n"
	    "PermitRootLogin prohibit-password\n"
	    "UseDNS no\n"
	    "LogLevel DEBUG3\n", l->dir, l->dir);
	buf_addc(&c, '\0');
	p = xasprintf("%s/sshd_config", l->dir);
	rc = write_file(p, c.data, 0600);
	free(p);
	buf_free(&c);
	if (rc != 0)
		return fail(why, "cannot write sshd_config", strerror(errno));
	return 0;
}

static void
client_args(struct lab *l, const struct lab_break *b)
{
	for (size_t i = 0; i < b->ssh_options.n; i++)
		strv_addn(&l->ssh_args, expand(l, b->ssh_options.v[i]));
	strv_add(&l->ssh_args, "-F/dev/null");
	strv_add(&l->ssh_args, "-oBatchMode=yes");
	strv_add(&l->ssh_args, "-oIdentityAgent=none");
	strv_add(&l->ssh_args, "-oIdentitiesOnly=yes");
	strv_add(&l->ssh_args, "-oStrictHostKeyChecking=yes");
	strv_add(&l->ssh_args, "-oGlobalKnownHostsFile=/dev/null");
	strv_addn(&l->ssh_args, xasprintf("-oUserKnownHostsFile=%s/client/known_hosts",
	    l->dir));
	strv_add(&l->ssh_args, "-oUpdateHostKeys=no");
	if (strcmp(b->key, "none") != 0)
		strv_addn(&l->ssh_args, xasprintf("-i%s/client/%s", l->dir, b->key));
}

/* Start sshd, or the listener standing in for it, and wait until it
 * listens; 1 when the port was taken. */
static int
start_sshd(struct lab *l, const struct lab_break *b, char **why)
{
	struct runner_event ev;
	char *cfg = xasprintf("%s/sshd_config", l->dir);
	char *port = xasprintf("-p%d", l->port);
	char *argv[] = { (char *)SSHD_PATH, (char *)"-ddd", (char *)"-e", port,
	    (char *)"-f", cfg, NULL };
	/* the listener is this program again: the runner (and its watchdog)
	 * only runs programs */
	char *largv[] = { (char *)"/proc/self/exe", (char *)"lab",
	    (char *)"--listener", b->listener, (char *)"--port", port + 2, NULL };
	int64_t deadline;
	int taken = 0;

	strv_free(&l->server_log);
	l->server = runner_spawn_server(l->runner, b->listener ? largv : argv);
	free(cfg);
	free(port);
	if (l->server < 0)
		return fail(why, b->listener ? "cannot start the listener" :
		    "cannot start " SSHD_PATH, strerror(errno));
	deadline = runner_now(l->runner) + READY_MS;
	for (;;) {
		int rc = runner_next(l->runner, deadline, -1, &ev);

		if (rc != 0)
			break;
		if (ev.type == RUNNER_READY)
			return 0;
		if (ev.type == RUNNER_LINE) {
			char *s = xstrndup(ev.data, ev.len);

			if (strstr(s, "Address already in use") ||
			    strstr(s, "Cannot bind any address"))
				taken = 1;
			strv_addn(&l->server_log, s);
		} else if (ev.type == RUNNER_EXIT || ev.type == RUNNER_DEADLINE ||
		    ev.type == RUNNER_SIGNAL)
			break;
	}
	runner_stop(l->runner, l->server, 300);
	l->server = -1;
	if (taken)
		return 1;
	return fail(why, b->listener ? "the listener did not start; its last words" :
	    "sshd did not start; its last words",
	    l->server_log.n ? l->server_log.v[l->server_log.n - 1] : "none");
}

/* ---- the temporary test user ---- */

#define USERADD_PATH	"/usr/sbin/useradd"
#define USERDEL_PATH	"/usr/sbin/userdel"
/* TEST_USER_PFX and our pid: not tests/lab/lab.sh's "sshdlab", which
 * has the same GECOS tag and is not ours to remove */
#define TEST_USER_PFX	"sshdoc-lab"

/* SIGKILL every process of uid (the test user's shell, sftp-server...). */
static void
kill_uid(uid_t uid)
{
	char path[64];
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (uid == 0)
		return;
	for (int round = 0; round < 5; round++) {
		int found = 0;

		if ((d = opendir("/proc")) == NULL)
			return;
		while ((e = readdir(d)) != NULL) {
			char *end;
			long pid = strtol(e->d_name, &end, 10);

			if (*end != '\0' || pid <= 0)
				continue;
			snprintf(path, sizeof path, "/proc/%ld", pid);
			if (stat(path, &st) == 0 && st.st_uid == uid &&
			    kill((pid_t)pid, SIGKILL) == 0)
				found = 1;
		}
		closedir(d);
		if (!found)
			return;
		usleep(50 * 1000);
	}
}

static void
remove_user(const char *name)
{
	const struct passwd *pw = getpwnam(name);
	char *argv[] = { (char *)USERDEL_PATH, (char *)"-f", (char *)name, NULL };

	if (pw == NULL)
		return;
	kill_uid(pw->pw_uid);
	run_quiet(argv);
}

/* Remove the tagged accounts left by earlier runs (killed before
 * lab_stop), but not those of a lab that still runs. */
static void
remove_leftover_users(void)
{
	struct strv gone = { 0 };
	const struct passwd *pw;

	setpwent();
	while ((pw = getpwent()) != NULL) {
		long pid;
		char *end;

		if (pw->pw_gecos == NULL || strcmp(pw->pw_gecos, LAB_USER_TAG) != 0 ||
		    strncmp(pw->pw_name, TEST_USER_PFX, strlen(TEST_USER_PFX)) != 0)
			continue;
		pid = strtol(pw->pw_name + strlen(TEST_USER_PFX), &end, 10);
		if (end == pw->pw_name + strlen(TEST_USER_PFX) || *end != '\0')
			continue;	/* not a name of ours */
		if (pid > 0 && pid != (long)getpid() &&
		    (kill((pid_t)pid, 0) == 0 || errno == EPERM))
			continue;	/* that lab is still running */
		strv_add(&gone, pw->pw_name);
	}
	endpwent();
	for (size_t i = 0; i < gone.n; i++)
		remove_user(gone.v[i]);
	strv_free(&gone);
}

/* The account, its home in the sandbox ({dir}/home, the sandbox 0711 so
 * that it can get there), ~/.bashrc, and authorized_keys its own. */
static int
make_test_user(struct lab *l, const struct lab_break *b, char **why)
{
	char *name = xasprintf(TEST_USER_PFX "%ld", (long)getpid());
	char *home = xasprintf("%s/home", l->dir);
	char *argv[] = { (char *)USERADD_PATH, (char *)"-c", (char *)LAB_USER_TAG,
	    (char *)"-d", home, (char *)"-M", (char *)"-N", (char *)"-s",
	    (char *)"/bin/bash", (char *)"-p", (char *)"*", name, NULL };
	const struct passwd *pw;
	char *p, *text;
	int rc;

	remove_leftover_users();
	if (access(USERADD_PATH, X_OK) != 0) {
		free(name);
		free(home);
		return fail(why, "useradd is not installed here", USERADD_PATH);
	}
	rc = run_quiet(argv);
	if (rc == 0 || getpwnam(name) != NULL) {
		free(l->test_user);
		l->test_user = xstrdup(name);	/* lab_stop removes it */
	}
	if (rc != 0 || (pw = getpwnam(name)) == NULL) {
		free(home);
		rc = fail(why, "useradd failed for", name);
		free(name);
		return rc;
	}
	free(l->user);
	l->user = name;
	rc = 0;
	if (chmod(l->dir, 0711) != 0 || mkdir(home, 0755) != 0 ||
	    chown(home, pw->pw_uid, pw->pw_gid) != 0)
		rc = -1;
	if (rc == 0) {
		p = xasprintf("%s/.bashrc", home);
		text = xasprintf("%s\n", b->bashrc ? b->bashrc : "");
		if (write_file(p, text, 0644) != 0 || chown(p, pw->pw_uid, pw->pw_gid) != 0)
			rc = -1;
		free(p);
		free(text);
	}
	if (rc == 0) {
		/* sshd reads it as the user */
		p = xasprintf("%s/authorized_keys", l->dir);
		if (chown(p, pw->pw_uid, pw->pw_gid) != 0)
			rc = -1;
		free(p);
	}
	free(home);
	if (rc != 0)
		return fail(why, "cannot set the test user's home up", strerror(errno));
	return 0;
}

/* Start the proxy in front of sshd (on l->port): the client gets a new
 * l->port. 1 when the port was taken. */
static int
start_proxy(struct lab *l, const struct lab_break *b, char **why)
{
	struct runner_event ev;
	char *listen = xasprintf("%d", l->port), *to = xasprintf("%d", l->sshd_port);
	char *argv[] = { (char *)"/proc/self/exe", (char *)"lab", (char *)"--proxy",
	    b->proxy, (char *)"--listen", listen, (char *)"--to", to, NULL };
	int64_t deadline;
	int taken = 0;

	l->proxy = runner_spawn_server(l->runner, argv);
	free(listen);
	free(to);
	if (l->proxy < 0)
		return fail(why, "cannot start the proxy", strerror(errno));
	deadline = runner_now(l->runner) + READY_MS;
	for (;;) {
		if (runner_next(l->runner, deadline, -1, &ev) != 0)
			break;
		if (ev.type == RUNNER_READY && ev.child == l->proxy)
			return 0;
		if (ev.type == RUNNER_LINE) {
			char *s = xstrndup(ev.data, ev.len);

			if (ev.child == l->proxy && strstr(s, "Cannot bind any address"))
				taken = 1;
			strv_addn(&l->server_log, s);
		} else if (ev.type == RUNNER_EXIT || ev.type == RUNNER_DEADLINE ||
		    ev.type == RUNNER_SIGNAL)
			break;
	}
	runner_stop(l->runner, l->proxy, 300);
	l->proxy = -1;
	if (taken)
		return 1;
	return fail(why, "the proxy did not start; its last words",
	    l->server_log.n ? l->server_log.v[l->server_log.n - 1] : "none");
}

int
lab_start(struct lab *l, const struct lab_break *b, char **why)
{
	const struct passwd *pw;
	const char *no;

	memset(l, 0, sizeof *l);
	l->server = -1;
	l->proxy = -1;
	*why = NULL;
	if ((no = lab_unavailable(b)) != NULL)
		return fail(why, no, NULL);
	if ((pw = getpwuid(geteuid())) == NULL)
		return fail(why, "who am I? (no passwd entry)", NULL);
	if ((l->runner = runner_new()) == NULL)
		return fail(why, "cannot make the sandbox", strerror(errno));
	l->dir = runner_tmpdir(l->runner);
	l->user = xstrdup(pw->pw_name);
	if (b->user != NULL) {
		char *u = expand(l, b->user);

		free(l->user);
		l->user = u;
	}
	for (int tries = 0; tries < PORT_TRIES; tries++) {
		int rc;

		if ((l->port = free_port()) < 0)
			return fail(why, "no free loopback port", strerror(errno));
		if (tries == 0 && make_files(l, b, why) != 0)
			return -1;
		if (tries == 0 && b->test_user && make_test_user(l, b, why) != 0)
			return -1;
		if (write_known_hosts(l, b, why) != 0 || write_config(l, b, why) != 0)
			return -1;
		if (b->no_server)
			break;
		if ((rc = start_sshd(l, b, why)) <= 0) {
			if (rc < 0)
				return -1;
			break;
		}
	}
	if (b->proxy != NULL) {
		/* the client connects to the proxy: known_hosts names its port */
		l->sshd_port = l->port;
		for (int tries = 0; ; tries++) {
			int rc;

			if ((l->port = free_port()) < 0)
				return fail(why, "no free loopback port", strerror(errno));
			if ((rc = start_proxy(l, b, why)) < 0)
				return -1;
			if (rc == 0)
				break;
			if (tries + 1 >= PORT_TRIES)
				return fail(why, "the proxy found no free port", NULL);
		}
		if (write_known_hosts(l, b, why) != 0)
			return -1;
	}
	l->command = b->command;
	client_args(l, b);
	return 0;
}

void
lab_stop(struct lab *l)
{
	if (l->test_user != NULL) {
		/* its processes (setsid by sshd: not in sshd's group), then it */
		remove_user(l->test_user);
		free(l->test_user);
		l->test_user = NULL;
	}
	runner_free(l->runner);	/* sshd, then the sandbox */
	l->runner = NULL;
	l->dir = NULL;
	free(l->user);
	l->user = NULL;
	strv_free(&l->ssh_args);
	strv_free(&l->server_log);
}

/* ---- the listener standing in for sshd ---- */

int
lab_listener_main(const char *mode, int port)
{
	static const char http[] = "HTTP/1.1 400 Bad Request\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n";
	struct sockaddr_in sa;
	int fd, one = 1;

	if (strcmp(mode, "reset") != 0 && strcmp(mode, "timeout") != 0 &&
	    strcmp(mode, "http") != 0) {
		fprintf(stderr, "lab listener: unknown mode %s\n", mode);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		fprintf(stderr, "lab listener: socket: %s\n", strerror(errno));
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 8) != 0) {
		/* the words start_sshd() takes for "port taken" */
		fprintf(stderr, "lab listener: Cannot bind any address: %s\n",
		    strerror(errno));
		return 1;
	}
	fprintf(stderr, "lab listener (%s): Server listening on 127.0.0.1 port %d.\n",
	    mode, port);
	for (;;) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

		if (c == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "lab listener: accept: %s\n", strerror(errno));
			return 1;
		}
		if (strcmp(mode, "reset") == 0) {
			struct linger lg = { 1, 0 };
			struct pollfd pfd = { c, POLLIN, 0 };
			char junk[512];

			/* the client's banner first, so that the client is
			 * reading (not writing) when the RST comes, as when
			 * a firewall or a MaxStartups-full sshd resets it */
			if (poll(&pfd, 1, 2000) > 0 && recv(c, junk, sizeof junk, 0) < 0)
				fprintf(stderr, "lab listener: recv: %s\n", strerror(errno));
			fprintf(stderr, "lab listener: connection accepted; "
			    "closing it with an RST\n");
			setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
			close(c);
		} else if (strcmp(mode, "http") == 0) {
			fprintf(stderr, "lab listener: connection accepted; "
			    "answering HTTP 400\n");
			if (write(c, http, sizeof http - 1) < 0)
				fprintf(stderr, "lab listener: write: %s\n",
				    strerror(errno));
			shutdown(c, SHUT_WR);
			usleep(200 * 1000);
			close(c);
		} else
			/* timeout: keep it open and silent (killed by lab_stop) */
			fprintf(stderr, "lab listener: connection accepted; "
			    "saying nothing\n");
	}
}

/* ---- the proxy between the client and sshd ---- */

static int
proxy_listen(int port)
{
	struct sockaddr_in sa;
	int fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 8) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One connection: both ways until either side closes; one byte of the
 * server's stream inverted after LAB_FLIP_AFTER bytes. */
static void
proxy_relay(int c, int to_port)
{
	struct sockaddr_in sa;
	struct pollfd pfd[2];
	char buf[16384];
	unsigned long long s2c = 0, c2s = 0;
	int s, flipped = 0, open_c = 1, open_s = 1;

	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)to_port);
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) != 0) {
		fprintf(stderr, "lab proxy: connect to port %d: %s\n", to_port,
		    strerror(errno));
		close(s);
		return;
	}
	while (open_c || open_s) {
		pfd[0].fd = open_c ? c : -1;
		pfd[0].events = POLLIN;
		pfd[1].fd = open_s ? s : -1;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			int from = i == 0 ? c : s, to = i == 0 ? s : c;
			ssize_t n, off = 0, w;

			if (pfd[i].revents == 0)
				continue;
			if ((n = read(from, buf, sizeof buf)) <= 0) {
				/* that side is done: pass the end on */
				shutdown(to, SHUT_WR);
				if (i == 0)
					open_c = 0;
				else
					open_s = 0;
				if (n < 0)
					open_c = open_s = 0;
				continue;
			}
			if (i == 1) {
				if (!flipped && s2c + (unsigned long long)n > LAB_FLIP_AFTER) {
					size_t at = (size_t)(LAB_FLIP_AFTER - s2c);

					buf[at] = (char)~buf[at];
					flipped = 1;
					fprintf(stderr, "lab proxy: inverted server-to-client "
					    "byte %d\n", LAB_FLIP_AFTER);
				}
				s2c += (unsigned long long)n;
			} else
				c2s += (unsigned long long)n;
			while (off < n) {
				if ((w = write(to, buf + off, (size_t)(n - off))) <= 0) {
					open_c = open_s = 0;
					break;
				}
				off += w;
			}
		}
	}
	fprintf(stderr, "lab proxy: connection closed (%llu bytes client to server, "
	    "%llu server to client%s)\n", c2s, s2c, flipped ? ", one inverted" : "");
	close(s);
}

int
lab_proxy_main(const char *mode, int listen_port, int to_port)
{
	int fd;

	if (strcmp(mode, "flip") != 0) {
		fprintf(stderr, "lab proxy: unknown mode %s\n", mode);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if ((fd = proxy_listen(listen_port)) == -1) {
		/* the words start_proxy() takes for "port taken" */
		fprintf(stderr, "lab proxy: Cannot bind any address: %s\n",
		    strerror(errno));
		return 1;
	}
	fprintf(stderr, "lab proxy (%s to port %d): Server listening on 127.0.0.1 "
	    "port %d.\n", mode, to_port, listen_port);
	for (;;) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

		if (c == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "lab proxy: accept: %s\n", strerror(errno));
			return 1;
		}
		fprintf(stderr, "lab proxy: connection accepted; forwarding to "
		    "port %d\n", to_port);
		proxy_relay(c, to_port);
		close(c);
	}
}
