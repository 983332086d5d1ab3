/* probe.h: ask an SSH server what it offers, with libssh: no ssh binary.
 *
 * Banner and software version, negotiated algorithms, host key type and
 * SHA256 fingerprint, the known_hosts verdict, the authentication methods
 * offered, whether the server would accept a given public key (without
 * the private key), and, after a login with the agent or default keys,
 * whether the sftp subsystem answers with a valid SFTP packet: anything
 * else is shell noise, decoded as the KB does (ASCII and EBCDIC).
 *
 * Nothing reaches the terminal: libssh's log goes through our callback
 * (libssh keeps one per thread; a callback set before is put back), no
 * passphrase is ever asked, ~/.ssh/config is not read, and nothing is
 * written: not known_hosts, not the .pub files libssh's own automatic
 * login would create. Every blocking step is bounded by the timeout. */
#ifndef SSHD_PROBE_H
#define SSHD_PROBE_H

enum probe_kh { PROBE_KH_UNKNOWN = 0, PROBE_KH_OK, PROBE_KH_CHANGED,
    PROBE_KH_OTHER_TYPE, PROBE_KH_NOT_CHECKED, PROBE_KH_ERROR };

struct probe_opts {
	const char	*host;
	int		 port;		/* 0: 22 */
	const char	*user;		/* NULL: current user */
	const char	*known_hosts;	/* NULL: ~/.ssh/known_hosts; as with
					 * ssh, /etc/ssh/ssh_known_hosts too */
	const char	*pubkey;	/* a .pub file to test, or NULL */
	int		 try_login;	/* log in (agent, default keys) and test sftp */
	int		 timeout_s;	/* 0: 10 */
	const char	*identity;	/* private key for the login (as ssh -i with
					 * IdentitiesOnly: no agent), or NULL: the
					 * agent, then ~/.ssh/id_{ed25519,ecdsa,rsa} */
};

struct probe_result {
	int		 connected;	/* TCP and banner exchange worked */
	char		*error;		/* one line when something failed, else NULL */
	char		*banner;	/* "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10" */
	char		*server_software; /* "OpenSSH_9.2p1 Debian-2+deb12u10" */
	char		*kex;
	char		*hostkey_alg;
	char		*cipher_c2s;
	char		*cipher_s2c;
	char		*mac_c2s;
	char		*mac_s2c;
	char		*hostkey_type;	/* "ssh-ed25519" */
	char		*fingerprint;	/* "SHA256:…" */
	enum probe_kh	 known_hosts;
	char		*auth_methods;	/* "publickey,password" */
	int		 key_accepted;	/* -1 not asked, 0 no, 1 yes */
	int		 logged_in;	/* -1 not tried, 0 no, 1 yes */
	int		 sftp_ok;	/* -1 not tried, 0 no, 1 yes */
	char		*sftp_noise;	/* what came instead of SFTP, decoded */
	char		*sftp_length;	/* the bogus length word, decimal */
	char		*issue_banner;	/* the server's Banner text, or NULL */
};

/* Every string in the result is sanitised (sanitize.h), one line except
 * issue_banner.
 *
 * 0 when the probe ran (whatever it found: see the result), -1 when it
 * could not start (result.error says why). */
int probe_run(const struct probe_opts *o, struct probe_result *r);
void probe_result_free(struct probe_result *r);
const char *probe_kh_name(enum probe_kh kh);

#endif
