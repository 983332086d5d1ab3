/* probe.c: ask an SSH server what it offers, with libssh 0.10.
 *
 * One blocking session, each step bounded by the timeout. The steps run in
 * the order a client meets them (connect, host key, "none", the key query,
 * the login, the sftp channel) and each stops the ones after it only when
 * the connection is gone; what failed is joined into result.error. */
#include "probe.h"
#include "sanitize.h"
#include "template.h"
#include "util.h"

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROBE_TIMEOUT_S		10
#define PROBE_TIMEOUT_MAX_S	86400
#define SFTP_MAX_VALID		(256 * 1024)	/* a longer first packet is text */
#define SFTP_NOISE_MAX		60		/* bytes of text shown after the word */
#define SFTP_TAIL_WAIT_MS	300		/* wait for the rest of that text */
#define SSH_FXP_INIT		1
#define SSH_FXP_VERSION		2

struct probe_ctx {
	const struct probe_opts		*o;
	struct probe_result		*r;
	ssh_session			 s;
	struct ssh_callbacks_struct	 cb;
	int				 timeout_ms;
};

/* Join what failed into one sanitised line. */
static void PRINTFLIKE(2, 3)
probe_error(struct probe_result *r, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	if (r->error != NULL) {
		buf_adds(&b, r->error);
		buf_adds(&b, "; ");
		free(r->error);
	}
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	r->error = sanitize_str(b.data);
	buf_free(&b);
}

static char *
clean_dup(const char *s)
{
	return s == NULL ? NULL : sanitize_str(s);
}

/* A banner keeps its lines: each one sanitised, CR dropped, joined by \n. */
static char *
clean_lines(const char *s)
{
	struct buf b;
	size_t n;

	buf_init(&b);
	while (*s != '\0') {
		n = strcspn(s, "\n");
		if (b.len > 0)
			buf_addc(&b, '\n');
		sanitize_append(&b, s, n > 0 && s[n - 1] == '\r' ? n - 1 : n);
		s += n;
		if (*s == '\n')
			s++;
	}
	return buf_steal(&b);
}


/*
 * libssh names the negotiated host key algorithm only in its log
 * ("ssh_kex_select_methods: Negotiated kex,hostkey,..."): ssh_key_type()
 * says "ssh-rsa" whether rsa-sha2-256 or -512 was used. Everything else
 * is dropped, so nothing reaches the terminal.
 */
static void
probe_log(int priority, const char *function, const char *buffer,
    void *userdata)
{
	struct probe_ctx *c = userdata;
	const char *p;
	char *name;

	(void)priority;
	(void)function;
	if (c == NULL || c->r->hostkey_alg != NULL)
		return;
	if ((p = strstr(buffer, ": Negotiated ")) == NULL)
		return;
	p += strlen(": Negotiated ");
	if ((p = strchr(p, ',')) == NULL || p[1] == '\0' || p[1] == ',')
		return;
	p++;
	name = xstrndup(p, strcspn(p, ","));
	c->r->hostkey_alg = sanitize_str(name);
	free(name);
}

/* A passphrase is never asked: no prompt may reach the terminal (without
 * this callback OpenSSL would prompt on the tty for a PEM key). */
static int
probe_no_passphrase(const char *prompt, char *buf, size_t len, int echo,
    int verify, void *userdata)
{
	(void)prompt;
	(void)buf;
	(void)len;
	(void)echo;
	(void)verify;
	(void)userdata;
	return -1;
}

/* libssh 0.10 reads "a:b" as host:port, so a bare IPv6 address needs its
 * brackets. */
static char *
probe_host_arg(const char *host)
{
	if (strchr(host, ':') != NULL && host[0] != '[')
		return xasprintf("[%s]", host);
	return xstrdup(host);
}

static int
probe_setup(struct probe_ctx *c)
{
	const struct probe_opts *o = c->o;
	long timeout = c->timeout_ms / 1000;
	int port = o->port > 0 ? o->port : 22;
	int level;
	bool no = false;
	char *host;
	int rc;

	if (o->host == NULL || *o->host == '\0') {
		probe_error(c->r, "no host to probe");
		return -1;
	}
	if (port > 65535) {
		probe_error(c->r, "bad port %d", port);
		return -1;
	}
	if ((c->s = ssh_new()) == NULL) {
		probe_error(c->r, "cannot create a libssh session");
		return -1;
	}
	memset(&c->cb, 0, sizeof c->cb);
	ssh_callbacks_init(&c->cb);
	c->cb.auth_function = probe_no_passphrase;
	c->cb.userdata = c;
	if (ssh_set_callbacks(c->s, &c->cb) != SSH_OK) {
		probe_error(c->r, "cannot set libssh callbacks");
		return -1;
	}

	/* The "Negotiated" line is at INFO up to 0.10, at DEBUG from 0.11. */
	level = ssh_version(SSH_VERSION_INT(0, 11, 0)) != NULL ?
	    SSH_LOG_DEBUG : SSH_LOG_INFO;
	if (ssh_options_set(c->s, SSH_OPTIONS_LOG_VERBOSITY, &level) != 0 ||
	    ssh_options_set(c->s, SSH_OPTIONS_PROCESS_CONFIG, &no) != 0 ||
	    ssh_options_set(c->s, SSH_OPTIONS_PORT, &port) != 0 ||
	    ssh_options_set(c->s, SSH_OPTIONS_TIMEOUT, &timeout) != 0) {
		probe_error(c->r, "libssh options: %s", ssh_get_error(c->s));
		return -1;
	}
	host = probe_host_arg(o->host);
	rc = ssh_options_set(c->s, SSH_OPTIONS_HOST, host);
	free(host);
	if (rc != 0) {
		probe_error(c->r, "bad host name \"%s\"", o->host);
		return -1;
	}
	if (o->user != NULL &&
	    ssh_options_set(c->s, SSH_OPTIONS_USER, o->user) != 0) {
		probe_error(c->r, "bad user name \"%s\"", o->user);
		return -1;
	}
	if (o->known_hosts != NULL &&
	    ssh_options_set(c->s, SSH_OPTIONS_KNOWNHOSTS, o->known_hosts) != 0) {
		probe_error(c->r, "bad known_hosts path: %s",
		    ssh_get_error(c->s));
		return -1;
	}
	return 0;
}

/* TCP, banners and key exchange; "connected" once the banner came, so a
 * key exchange that fails still shows who answered. */
static int
probe_connect(struct probe_ctx *c)
{
	const char *banner;
	const char *p;
	int rc;

	rc = ssh_connect(c->s);
	if ((banner = ssh_get_serverbanner(c->s)) != NULL) {
		c->r->connected = 1;
		c->r->banner = sanitize_str(banner);
		if (strncmp(banner, "SSH-", 4) == 0 &&
		    (p = strchr(banner + 4, '-')) != NULL)
			c->r->server_software = sanitize_str(p + 1);
	}
	if (rc == SSH_OK)
		return 0;
	if (c->r->connected)
		probe_error(c->r, "%s", ssh_get_error(c->s));
	else
		probe_error(c->r, "cannot connect to %s port %d: %s", c->o->host,
		    c->o->port > 0 ? c->o->port : 22, ssh_get_error(c->s));
	return -1;
}

/* As OpenSSH's debug log says it: an AEAD cipher has no separate MAC. */
static char *
mac_name(const char *mac)
{
	if (mac == NULL)
		return NULL;
	if (strncmp(mac, "aead-", 5) == 0)
		return xstrdup("<implicit>");
	return sanitize_str(mac);
}

static void
probe_algorithms(struct probe_ctx *c)
{
	struct probe_result *r = c->r;

	r->kex = clean_dup(ssh_get_kex_algo(c->s));
	r->cipher_c2s = clean_dup(ssh_get_cipher_out(c->s));
	r->cipher_s2c = clean_dup(ssh_get_cipher_in(c->s));
	r->mac_c2s = mac_name(ssh_get_hmac_out(c->s));
	r->mac_s2c = mac_name(ssh_get_hmac_in(c->s));
}

static enum probe_kh
kh_verdict(struct probe_ctx *c)
{
	switch (ssh_session_is_known_server(c->s)) {
	case SSH_KNOWN_HOSTS_OK:
		return PROBE_KH_OK;
	case SSH_KNOWN_HOSTS_CHANGED:
		return PROBE_KH_CHANGED;
	case SSH_KNOWN_HOSTS_OTHER:
		return PROBE_KH_OTHER_TYPE;
	case SSH_KNOWN_HOSTS_UNKNOWN:
	case SSH_KNOWN_HOSTS_NOT_FOUND:	/* no file at all */
		return PROBE_KH_UNKNOWN;
	case SSH_KNOWN_HOSTS_ERROR:
	default:
		probe_error(c->r, "known_hosts: %s", ssh_get_error(c->s));
		return PROBE_KH_ERROR;
	}
}

static void
probe_hostkey(struct probe_ctx *c)
{
	struct probe_result *r = c->r;
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	const char *type;
	char *fp;

	if (ssh_get_server_publickey(c->s, &key) != SSH_OK) {
		probe_error(r, "no server host key: %s", ssh_get_error(c->s));
		return;
	}
	type = ssh_key_type_to_char(ssh_key_type(key));
	r->hostkey_type = xstrdup(type != NULL ? type : "unknown");
	/* Without the log line, only an RSA key leaves the algorithm open. */
	if (r->hostkey_alg == NULL && type != NULL &&
	    ssh_key_type(key) != SSH_KEYTYPE_RSA)
		r->hostkey_alg = xstrdup(type);
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) == 0) {
		fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash,
		    hlen);
		if (fp != NULL) {
			r->fingerprint = sanitize_str(fp);
			ssh_string_free_char(fp);
		}
		ssh_clean_pubkey_hash(&hash);
	}
	if (r->fingerprint == NULL)
		probe_error(r, "cannot hash the host key");
	r->known_hosts = kh_verdict(c);
	ssh_key_free(key);
}

static char *
methods_str(int m)
{
	static const struct {
		int		 bit;
		const char	*name;
	} names[] = {
		{ SSH_AUTH_METHOD_PUBLICKEY, "publickey" },
		{ SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic" },
		{ SSH_AUTH_METHOD_HOSTBASED, "hostbased" },
		{ SSH_AUTH_METHOD_PASSWORD, "password" },
		{ SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive" },
		{ SSH_AUTH_METHOD_NONE, "none" },
	};
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((m & names[i].bit) == 0)
			continue;
		if (b.len > 0)
			buf_addc(&b, ',');
		buf_adds(&b, names[i].name);
	}
	return buf_steal(&b);
}

/* "none" brings the method list and the Banner; -1 when the connection
 * is gone. */
static int
probe_auth_none(struct probe_ctx *c)
{
	struct probe_result *r = c->r;
	char *banner;
	int rc;

	rc = ssh_userauth_none(c->s, NULL);
	if ((banner = ssh_get_issue_banner(c->s)) != NULL) {
		r->issue_banner = clean_lines(banner);
		ssh_string_free_char(banner);
	}
	switch (rc) {
	case SSH_AUTH_SUCCESS:
		r->auth_methods = xstrdup("none");
		r->logged_in = 1;
		return 0;
	case SSH_AUTH_DENIED:
	case SSH_AUTH_PARTIAL:
		r->auth_methods = methods_str(ssh_userauth_list(c->s, NULL));
		return 0;
	default:
		probe_error(r, "authentication: %s", ssh_get_error(c->s));
		return -1;
	}
}

/* Would the server take this public key? A query, no signature. */
static int
probe_pubkey(struct probe_ctx *c)
{
	ssh_key key = NULL;
	int rc;

	rc = ssh_pki_import_pubkey_file(c->o->pubkey, &key);
	if (rc == SSH_EOF) {
		probe_error(c->r, "cannot open the public key %s", c->o->pubkey);
		return 0;
	}
	if (rc != SSH_OK) {
		probe_error(c->r, "%s: not a public key libssh can read",
		    c->o->pubkey);
		return 0;
	}
	rc = ssh_userauth_try_publickey(c->s, NULL, key);
	ssh_key_free(key);
	switch (rc) {
	case SSH_AUTH_SUCCESS:
		c->r->key_accepted = 1;
		return 0;
	case SSH_AUTH_DENIED:
	case SSH_AUTH_PARTIAL:
		c->r->key_accepted = 0;
		return 0;
	default:
		probe_error(c->r, "public key query: %s", ssh_get_error(c->s));
		return -1;
	}
}

/* 1 logged in, 0 not (try the next key), -1 stop trying. */
static int
auth_outcome(struct probe_ctx *c, int rc, const char *what)
{
	char *m;

	switch (rc) {
	case SSH_AUTH_SUCCESS:
		c->r->logged_in = 1;
		return 1;
	case SSH_AUTH_DENIED:
		return 0;
	case SSH_AUTH_PARTIAL:
		m = methods_str(ssh_userauth_list(c->s, NULL));
		probe_error(c->r, "login: %s was accepted but the server wants "
		    "one more method (AuthenticationMethods): %s", what, m);
		free(m);
		return -1;
	default:
		probe_error(c->r, "login with %s: %s", what,
		    ssh_get_error(c->s));
		return -1;
	}
}

/*
 * The public half of an identity, from path.pub, else from the private
 * file (an OpenSSH-format key holds it in clear), else derived from the
 * private key. libssh's ssh_userauth_publickey_auto() would write a
 * missing .pub file into ~/.ssh: a probe writes nothing.
 */
static int
identity_public(struct probe_ctx *c, const char *path, ssh_key *pub,
    ssh_key *priv)
{
	char *pubpath = xasprintf("%s.pub", path);
	int rc;

	rc = ssh_pki_import_pubkey_file(pubpath, pub);
	free(pubpath);
	if (rc == SSH_OK)
		return SSH_OK;
	if (ssh_pki_import_pubkey_file(path, pub) == SSH_OK)
		return SSH_OK;
	rc = ssh_pki_import_privkey_file(path, NULL, probe_no_passphrase, c,
	    priv);
	if (rc != SSH_OK)
		return rc;
	return ssh_pki_export_privkey_to_pubkey(*priv, pub);
}

/* Log in with one key file: offer the public key, sign only if taken.
 * As auth_outcome(), and LOGIN_UNUSABLE when the file could not serve
 * (already told, except a default key that is simply absent). */
#define LOGIN_UNUSABLE	(-2)
static int
login_file(struct probe_ctx *c, const char *path, int must_exist)
{
	ssh_key pub = NULL, priv = NULL;
	int rc, ret = LOGIN_UNUSABLE;

	rc = identity_public(c, path, &pub, &priv);
	if (rc == SSH_EOF) {
		if (must_exist)
			probe_error(c->r, "cannot open the identity %s", path);
		goto out;
	}
	if (rc != SSH_OK) {
		probe_error(c->r, "cannot load %s (with a passphrase? add it to "
		    "ssh-agent)", path);
		goto out;
	}
	rc = ssh_userauth_try_publickey(c->s, NULL, pub);
	if (rc != SSH_AUTH_SUCCESS) {
		ret = rc == SSH_AUTH_DENIED || rc == SSH_AUTH_PARTIAL ? 0 :
		    auth_outcome(c, rc, path);
		goto out;
	}
	if (priv == NULL && ssh_pki_import_privkey_file(path, NULL,
	    probe_no_passphrase, c, &priv) != SSH_OK) {
		probe_error(c->r, "the server takes %s but its private key "
		    "cannot be loaded (with a passphrase? add it to ssh-agent)",
		    path);
		goto out;
	}
	ret = auth_outcome(c, ssh_userauth_publickey(c->s, NULL, priv), path);
out:
	ssh_key_free(pub);
	ssh_key_free(priv);
	return ret;
}

/* The directory libssh would take for ~/.ssh: the passwd entry first. */
static char *
ssh_dir(void)
{
	struct passwd pw, *pwp = NULL;
	char buf[4096];
	const char *home = NULL;

	if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &pwp) == 0 &&
	    pwp != NULL)
		home = pw.pw_dir;
	else
		home = getenv("HOME");
	return home == NULL ? NULL : xasprintf("%s/.ssh", home);
}

/* As ssh would: -i alone, or the agent then the default identities. */
static void
probe_login(struct probe_ctx *c)
{
	static const char *defaults[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
	char *dir, *path;
	int rc = 0;

	c->r->logged_in = 0;
	if (c->o->identity != NULL) {
		if (login_file(c, c->o->identity, 1) == 0)
			probe_error(c->r, "login: the server did not take %s",
			    c->o->identity);
		return;
	}
	rc = auth_outcome(c, ssh_userauth_agent(c->s, NULL), "ssh-agent");
	if (rc != 0)
		return;
	if ((dir = ssh_dir()) == NULL) {
		probe_error(c->r, "login: no home directory for the keys");
		return;
	}
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		path = xasprintf("%s/%s", dir, defaults[i]);
		rc = login_file(c, path, 0);
		free(path);
		if (rc == 1 || rc == -1)
			break;
	}
	if (rc != 1 && rc != -1)
		probe_error(c->r, "login: no key from ssh-agent or %s/id_* was "
		    "accepted", dir);
	free(dir);
}

/* Up to want bytes before the deadline: fewer at EOF or on time out, -1
 * when the channel fails. libssh answers 0 both at EOF and on time out. */
static int
chan_read(ssh_channel ch, unsigned char *p, size_t want, int64_t deadline)
{
	size_t got = 0;
	int64_t left;
	int n;

	while (got < want && (left = deadline - monotonic_ms()) > 0) {
		n = ssh_channel_read_timeout(ch, p + got, (uint32_t)(want - got),
		    0, (int)left);
		if (n < 0)
			return -1;
		if (n == 0 && ssh_channel_is_eof(ch))
			break;
		got += (size_t)n;
	}
	return (int)got;
}

/* One byte read as EBCDIC by template_decode_word(): four copies of it
 * make a word, and a quarter of the text is that byte's. */
static void
ebcdic_append(struct buf *b, unsigned char c)
{
	char decimal[16], *text;

	snprintf(decimal, sizeof decimal, "%lu", c * 0x01010101UL);
	text = template_decode_word(decimal, 1);
	buf_add(b, text, strlen(text) / 4);
	free(text);
}

static int
is_text(unsigned char c)
{
	return (c >= 0x20 && c != 0x7f) || c == '\t';
}

/* The text after the length word, read as the word reads best, up to the
 * NUL where the real SFTP packet may start (ASCII: any control byte). */
static void
noise_tail(struct buf *b, const unsigned char *p, size_t n, int ebcdic)
{
	size_t i, run;

	buf_addc(b, '"');
	for (i = 0; i < n && p[i] != 0; i += run) {
		run = 1;
		if (ebcdic)
			ebcdic_append(b, p[i]);
		else if (p[i] == '\n' || p[i] == '\r')
			buf_adds(b, p[i] == '\n' ? "\\n" : "\\r");
		else if (!is_text(p[i]))
			break;
		else {
			for (run = 0; i + run < n && is_text(p[i + run]); run++)
				;
			sanitize_append(b, (const char *)p + i, run);
		}
	}
	buf_addc(b, '"');
}

/* The text that took the place of SFTP: the length word as ASCII and as
 * EBCDIC (the talk's 2743634338 is EBCDIC "this"), then what followed;
 * decimal is NULL when not even a whole word came. */
static char *
noise_describe(const char *decimal, const unsigned char *tail, size_t n)
{
	char *ascii, *ebcdic;
	struct buf b;
	int is_ebcdic;

	buf_init(&b);
	if (decimal == NULL) {
		noise_tail(&b, tail, n, 0);
		return buf_steal(&b);
	}
	ascii = template_decode_word(decimal, 0);
	ebcdic = template_decode_word(decimal, 1);
	buf_addf(&b, "ASCII \"%s\", EBCDIC \"%s\"", ascii, ebcdic);
	/* z/OS speaks EBCDIC: then only that reading is free of \xNN */
	is_ebcdic = strchr(ascii, '\\') != NULL && strchr(ebcdic, '\\') == NULL;
	if (n > 0 && tail[0] != 0) {
		buf_adds(&b, ", then ");
		noise_tail(&b, tail, n, is_ebcdic);
		if (is_ebcdic)
			buf_adds(&b, " (EBCDIC)");
	}
	free(ascii);
	free(ebcdic);
	return buf_steal(&b);
}

/* Why the subsystem gave nothing: its exit status says most. */
static void
sftp_silent(struct probe_ctx *c, ssh_channel ch, int got)
{
	int status;

	if (got < 0) {
		probe_error(c->r, "sftp: %s", ssh_get_error(c->s));
		return;
	}
	if (got > 0) {
		probe_error(c->r, "sftp: %d bytes of text came instead of an "
		    "SFTP packet", got);
		return;
	}
	if (!ssh_channel_is_eof(ch)) {
		probe_error(c->r, "sftp: no answer within %d s",
		    c->timeout_ms / 1000);
		return;
	}
	status = ssh_channel_get_exit_status(ch);
	if (status == 127)
		probe_error(c->r, "sftp: the subsystem closed without answering "
		    "(exit status 127: is the Subsystem path right?)");
	else if (status >= 0)
		probe_error(c->r, "sftp: the subsystem closed without answering "
		    "(exit status %d)", status);
	else
		probe_error(c->r, "sftp: the subsystem closed without answering");
}

/*
 * At the channel level rather than with sftp_init(), to see the raw bytes:
 * send SSH_FXP_INIT, and expect a small length word then SSH_FXP_VERSION.
 * Anything else was printed by the login scripts before the server.
 */
static void
probe_sftp(struct probe_ctx *c)
{
	static const unsigned char init[] = { 0, 0, 0, 5, SSH_FXP_INIT,
	    0, 0, 0, 3 };
	unsigned char head[4 + 1 + SFTP_NOISE_MAX];
	struct probe_result *r = c->r;
	ssh_channel ch;
	int64_t deadline = monotonic_ms() + c->timeout_ms;
	uint32_t len;
	int got, more;

	r->sftp_ok = 0;
	if ((ch = ssh_channel_new(c->s)) == NULL) {
		probe_error(r, "sftp: cannot create a channel");
		return;
	}
	if (ssh_channel_open_session(ch) != SSH_OK) {
		probe_error(r, "sftp: cannot open a session channel: %s",
		    ssh_get_error(c->s));
		goto out;
	}
	if (ssh_channel_request_subsystem(ch, "sftp") != SSH_OK) {
		if (ssh_get_error_code(c->s) == SSH_REQUEST_DENIED)
			probe_error(r, "the server refused the sftp subsystem");
		else
			probe_error(r, "sftp: %s", ssh_get_error(c->s));
		goto out;
	}
	if (ssh_channel_write(ch, init, sizeof init) != (int)sizeof init) {
		probe_error(r, "sftp: %s", ssh_get_error(c->s));
		goto out;
	}
	if ((got = chan_read(ch, head, 5, deadline)) < 4) {
		if (got > 0)
			r->sftp_noise = noise_describe(NULL, head, (size_t)got);
		sftp_silent(c, ch, got);
		goto out;
	}
	len = (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 |
	    (uint32_t)head[2] << 8 | head[3];
	if (got == 5 && len >= 5 && len <= SFTP_MAX_VALID &&
	    head[4] == SSH_FXP_VERSION) {
		r->sftp_ok = 1;
		goto out;
	}
	if (got == 5) {
		more = chan_read(ch, head + 5, sizeof head - 5,
		    monotonic_ms() + SFTP_TAIL_WAIT_MS < deadline ?
		    monotonic_ms() + SFTP_TAIL_WAIT_MS : deadline);
		if (more > 0)
			got += more;
	}
	r->sftp_length = xasprintf("%u", len);
	r->sftp_noise = noise_describe(r->sftp_length, head + 4,
	    (size_t)got - 4);
	probe_error(r, "sftp: the first reply is not an SFTP packet (length "
	    "word %u): something printed text first", len);
out:
	ssh_channel_free(ch);
}

static void
probe_result_init(struct probe_result *r)
{
	memset(r, 0, sizeof *r);
	r->known_hosts = PROBE_KH_NOT_CHECKED;
	r->key_accepted = -1;
	r->logged_in = -1;
	r->sftp_ok = -1;
}

/* The steps after the key exchange; each stops the rest only when the
 * connection is gone. */
static void
probe_steps(struct probe_ctx *c)
{
	const struct probe_opts *o = c->o;

	probe_algorithms(c);
	probe_hostkey(c);
	if (probe_auth_none(c) != 0)
		return;
	if (o->pubkey != NULL && c->r->logged_in != 1 && probe_pubkey(c) != 0)
		return;
	if (!o->try_login)
		return;
	if (c->r->logged_in != 1)
		probe_login(c);
	if (c->r->logged_in == 1)
		probe_sftp(c);
}

int
probe_run(const struct probe_opts *o, struct probe_result *r)
{
	struct probe_ctx c;
	ssh_logging_callback old_cb = ssh_get_log_callback();
	void *old_data = ssh_get_log_userdata();
	int old_level = ssh_get_log_level();
	int ret = -1;

	probe_result_init(r);
	memset(&c, 0, sizeof c);
	c.o = o;
	c.r = r;
	if (o == NULL) {
		probe_error(r, "no probe options");
		return -1;
	}
	c.timeout_ms = (o->timeout_s <= 0 ? PROBE_TIMEOUT_S :
	    o->timeout_s > PROBE_TIMEOUT_MAX_S ? PROBE_TIMEOUT_MAX_S :
	    o->timeout_s) * 1000;

	/* libssh's log state is per thread: ours only while we run. */
	ssh_set_log_callback(probe_log);
	ssh_set_log_userdata(&c);
	if (ssh_init() != SSH_OK) {
		probe_error(r, "cannot initialise libssh");
		goto restore;
	}
	if (probe_setup(&c) == 0) {
		ret = 0;
		if (probe_connect(&c) == 0)
			probe_steps(&c);
	}
	if (c.s != NULL) {
		ssh_disconnect(c.s);
		ssh_free(c.s);
	}
	ssh_finalize();
restore:
	/* libssh cannot unset a callback: without an old one ours stays,
	 * dropping everything, which beats libssh's default of stderr. */
	if (old_cb != NULL)
		ssh_set_log_callback(old_cb);
	ssh_set_log_userdata(old_cb != NULL ? old_data : NULL);
	ssh_set_log_level(old_level);
	return ret;
}

void
probe_result_free(struct probe_result *r)
{
	if (r == NULL)
		return;
	free(r->error);
	free(r->banner);
	free(r->server_software);
	free(r->kex);
	free(r->hostkey_alg);
	free(r->cipher_c2s);
	free(r->cipher_s2c);
	free(r->mac_c2s);
	free(r->mac_s2c);
	free(r->hostkey_type);
	free(r->fingerprint);
	free(r->auth_methods);
	free(r->sftp_noise);
	free(r->sftp_length);
	free(r->issue_banner);
	memset(r, 0, sizeof *r);
}

const char *
probe_kh_name(enum probe_kh kh)
{
	switch (kh) {
	case PROBE_KH_UNKNOWN:
		return "unknown";
	case PROBE_KH_OK:
		return "ok";
	case PROBE_KH_CHANGED:
		return "changed";
	case PROBE_KH_OTHER_TYPE:
		return "other-type";
	case PROBE_KH_NOT_CHECKED:
		return "not-checked";
	case PROBE_KH_ERROR:
		return "error";
	}
	return "?";
}
