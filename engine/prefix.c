/* prefix.c: syslog, journal and OpenSSH line prefixes, with one anchored
 * PCRE2 pattern (JIT) for the timestamp headers and plain compares for the
 * short tags. */
#include "prefix.h"
#include "util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char header_re[] =
    "^(?:"
    "(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(?<day>\\d{1,2})"
    " (?<hh>\\d\\d):(?<mi>\\d\\d):(?<ss>\\d\\d)(?<frac>\\.\\d+)?"
    "|"
    "(?:<\\d{1,3}>1 )?"
    "(?<y>\\d{4})-(?<mo>\\d\\d)-(?<d>\\d\\d)[T ](?<ih>\\d\\d):(?<im>\\d\\d):(?<is>\\d\\d)"
    "(?<ifrac>[.,]\\d+)?(?<tz>Z|[+-]\\d\\d:?\\d\\d)?"
    ")"
    /* the host and program; a bare timestamp (a log stamped on arrival)
     * has neither. A host never ends in ':' ("debug1:" is not a host). */
    "(?: (?<host>\\S*[^\\s:]) (?<prog>[A-Za-z0-9_./-]+)"
    "(?:\\[(?<pid>\\d+)\\]:? |: | (?<procid>\\d+|-) \\S+ (?:-|(?:\\[[^\\]]*\\])+) ?)"
    "| )"
    "|^(?<bprog>sshd(?:-session|-auth)?|ssh)\\[(?<bpid>\\d+)\\]: ";

struct prefix_parser {
	pcre2_code		*re;
	pcre2_match_data	*md;
	uint32_t		 g_mon, g_day, g_hh, g_mi, g_ss, g_frac;
	uint32_t		 g_y, g_mo, g_d, g_ih, g_im, g_is, g_ifrac, g_tz;
	uint32_t		 g_host, g_prog, g_pid, g_procid, g_bprog, g_bpid;
	int			 this_year;
};

static uint32_t
group(pcre2_code *re, const char *name)
{
	int n = pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);

	if (n < 0)
		fatal("prefix: no group %s", name);
	return (uint32_t)n;
}

struct prefix_parser *
prefix_parser_new(void)
{
	struct prefix_parser *pp = xcalloc(1, sizeof *pp);
	int err;
	PCRE2_SIZE off;
	time_t now = time(NULL);
	struct tm tm;

	pp->re = pcre2_compile((PCRE2_SPTR)header_re, PCRE2_ZERO_TERMINATED,
	    0, &err, &off, NULL);
	if (pp->re == NULL)
		fatal("prefix: pattern error %d at %zu", err, (size_t)off);
	pcre2_jit_compile(pp->re, PCRE2_JIT_COMPLETE);
	pp->md = pcre2_match_data_create_from_pattern(pp->re, NULL);
	pp->g_mon = group(pp->re, "mon");
	pp->g_day = group(pp->re, "day");
	pp->g_hh = group(pp->re, "hh");
	pp->g_mi = group(pp->re, "mi");
	pp->g_ss = group(pp->re, "ss");
	pp->g_frac = group(pp->re, "frac");
	pp->g_y = group(pp->re, "y");
	pp->g_mo = group(pp->re, "mo");
	pp->g_d = group(pp->re, "d");
	pp->g_ih = group(pp->re, "ih");
	pp->g_im = group(pp->re, "im");
	pp->g_is = group(pp->re, "is");
	pp->g_ifrac = group(pp->re, "ifrac");
	pp->g_tz = group(pp->re, "tz");
	pp->g_host = group(pp->re, "host");
	pp->g_prog = group(pp->re, "prog");
	pp->g_pid = group(pp->re, "pid");
	pp->g_procid = group(pp->re, "procid");
	pp->g_bprog = group(pp->re, "bprog");
	pp->g_bpid = group(pp->re, "bpid");
	gmtime_r(&now, &tm);
	pp->this_year = tm.tm_year + 1900;
	return pp;
}

void
prefix_parser_free(struct prefix_parser *pp)
{
	if (pp == NULL)
		return;
	pcre2_match_data_free(pp->md);
	pcre2_code_free(pp->re);
	free(pp);
}

/* ASCII only, whatever the locale (the TUI sets one), and without the
 * table lookup through a function call that <ctype.h> makes on every
 * byte of every line. */
static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_alnum(int c)
{
	return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z');
}

/* The integer in group g, or -1 when the group did not take part. */
static long
gnum(const char *line, PCRE2_SIZE *ov, uint32_t g)
{
	long v = 0;

	if (ov[2 * g] == PCRE2_UNSET)
		return -1;
	for (PCRE2_SIZE i = ov[2 * g]; i < ov[2 * g + 1]; i++)
		if (is_digit((unsigned char)line[i]))
			v = v * 10 + (line[i] - '0');
	return v;
}

static int
gset(PCRE2_SIZE *ov, uint32_t g)
{
	return ov[2 * g] != PCRE2_UNSET;
}

static struct lspan
gspan(PCRE2_SIZE *ov, uint32_t g)
{
	if (!gset(ov, g))
		return (struct lspan){ 0, 0 };
	return (struct lspan){ (uint32_t)ov[2 * g],
	    (uint32_t)(ov[2 * g + 1] - ov[2 * g]) };
}

/* Called on every line of a syslog file: a compare of one 3-byte word
 * against each month, not twelve strncmp calls. */
static int
month_index(const char *m)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int i = 0; i < 12; i++)
		if (months[3 * i] == m[0] && months[3 * i + 1] == m[1] &&
		    months[3 * i + 2] == m[2])
			return i;
	return -1;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian): cheaper
 * than timegm() on every line of a large log. */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int64_t
make_ms(int year, int mon, int day, int h, int mi, int s, long frac_ms)
{
	return ((days_from_civil(year, mon + 1, day) * 24 + h) * 60 + mi) *
	    60000LL + s * 1000LL + frac_ms;
}

/* ".123456" → 123 (milliseconds). */
static long
frac_ms(const char *line, PCRE2_SIZE *ov, uint32_t g)
{
	long v = 0;
	int digits = 0;

	if (!gset(ov, g))
		return 0;
	for (PCRE2_SIZE i = ov[2 * g] + 1; i < ov[2 * g + 1] && digits < 3; i++) {
		v = v * 10 + (line[i] - '0');
		digits++;
	}
	while (digits++ < 3)
		v *= 10;
	return v;
}

static int
two_digits(const char *p, int *v)
{
	if (!is_digit((unsigned char)p[0]) || !is_digit((unsigned char)p[1]))
		return 0;
	*v = (p[0] - '0') * 10 + (p[1] - '0');
	return 1;
}

static int
prog_char(char c)
{
	return is_alnum((unsigned char)c) || c == '_' || c == '.' || c == '/' ||
	    c == '-';
}

/* "Mon DD HH:MM:SS host prog[pid]: " by hand: the form of nearly every
 * line of a large auth.log, and the regex would cost more than the rest of
 * the line's work. 0 when the line is not exactly that. */
static int
parse_bsd(const struct prefix_parser *pp, const char *l, size_t len,
    struct line_prefix *out)
{
	int mon, day, h, mi, sec;
	size_t i = 16, hs, he, ps, pe;
	long pid = -1;

	if (len < 22 || l[3] != ' ' || (mon = month_index(l)) < 0)
		return 0;
	if (l[4] == ' ' && is_digit((unsigned char)l[5]))
		day = l[5] - '0';
	else if (!two_digits(l + 4, &day))
		return 0;
	if (l[6] != ' ' || !two_digits(l + 7, &h) || l[9] != ':' ||
	    !two_digits(l + 10, &mi) || l[12] != ':' ||
	    !two_digits(l + 13, &sec) || l[15] != ' ')
		return 0;
	for (hs = i; i < len && l[i] != ' '; i++)
		;
	if (i >= len || i == hs || l[i - 1] == ':')
		return 0;
	he = i++;
	for (ps = i; i < len && prog_char(l[i]); i++)
		;
	if (i == ps || i >= len)
		return 0;
	pe = i;
	if (l[i] == '[') {
		for (pid = 0, i++; i < len && is_digit((unsigned char)l[i]); i++)
			pid = pid * 10 + (l[i] - '0');
		if (i >= len || l[i] != ']')
			return 0;
		i++;
		if (i < len && l[i] == ':')
			i++;
		if (i >= len || l[i] != ' ')
			return 0;
		i++;
	} else if (l[i] == ':' && i + 1 < len && l[i + 1] == ' ')
		i += 2;
	else
		return 0;
	out->flags |= PREFIX_SYSLOG;
	out->msg_off = i;
	out->pid = pid;
	out->host = (struct lspan){ (uint32_t)hs, (uint32_t)(he - hs) };
	out->prog = (struct lspan){ (uint32_t)ps, (uint32_t)(pe - ps) };
	out->time_ms = make_ms(pp->this_year, mon, day, h, mi, sec, 0);
	return 1;
}

static void
parse_header(struct prefix_parser *pp, const char *line, size_t len,
    struct line_prefix *out)
{
	PCRE2_SIZE *ov;
	int rc;

	if (parse_bsd(pp, line, len, out))
		return;

	rc = pcre2_match(pp->re, (PCRE2_SPTR)line, len, 0, PCRE2_NO_UTF_CHECK,
	    pp->md, NULL);
	if (rc < 0)
		return;
	ov = pcre2_get_ovector_pointer(pp->md);
	out->flags |= PREFIX_SYSLOG;
	out->msg_off = ov[1];
	if (gset(ov, pp->g_bprog)) {
		out->prog = gspan(ov, pp->g_bprog);
		out->pid = gnum(line, ov, pp->g_bpid);
		return;
	}
	out->host = gspan(ov, pp->g_host);
	out->prog = gspan(ov, pp->g_prog);
	out->pid = gnum(line, ov, gset(ov, pp->g_pid) ? pp->g_pid : pp->g_procid);
	if (gset(ov, pp->g_mon)) {
		out->time_ms = make_ms(pp->this_year,
		    month_index(line + ov[2 * pp->g_mon]),
		    (int)gnum(line, ov, pp->g_day), (int)gnum(line, ov, pp->g_hh),
		    (int)gnum(line, ov, pp->g_mi), (int)gnum(line, ov, pp->g_ss),
		    frac_ms(line, ov, pp->g_frac));
	} else {
		/* Local time as written; the zone is ignored on purpose so
		 * that --since compares with what the operator reads. */
		out->flags |= PREFIX_YEAR;
		out->time_ms = make_ms((int)gnum(line, ov, pp->g_y),
		    (int)gnum(line, ov, pp->g_mo) - 1, (int)gnum(line, ov, pp->g_d),
		    (int)gnum(line, ov, pp->g_ih), (int)gnum(line, ov, pp->g_im),
		    (int)gnum(line, ov, pp->g_is), frac_ms(line, ov, pp->g_ifrac));
	}
}

static int
starts(const char *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	return len >= n && memcmp(p, s, n) == 0;
}

void
prefix_parse(struct prefix_parser *pp, const char *line, size_t len,
    struct line_prefix *out)
{
	const char *m;
	size_t mlen, n;

	/* field by field, not a memset: this runs on every line */
	out->msg_off = out->msg_len = out->func_len = 0;
	out->level = LEVEL_NONE;
	out->flags = 0;
	out->time_ms = -1;
	out->pid = -1;
	out->host.len = out->prog.len = out->zos_id.len = 0;
	if (len > 0 && (is_digit((unsigned char)line[0]) || is_upper((unsigned char)line[0]) ||
	    line[0] == '<' || line[0] == 's'))
		parse_header(pp, line, len, out);
	m = line + out->msg_off;
	mlen = len - out->msg_off;

	/* level tag: OpenSSH writes "debug1: "; z/OS sometimes "Debug1: " */
	if (mlen >= 8 && (m[0] == 'd' || m[0] == 'D') &&
	    strncmp(m + 1, "ebug", 4) == 0 && m[5] >= '1' && m[5] <= '3' &&
	    m[6] == ':' && m[7] == ' ') {
		out->level = (enum log_level)(LEVEL_DEBUG1 - (m[5] - '1'));
		m += 8;
		mlen -= 8;
	}
	/* sshd's syslog lines mark errors in the text */
	if (out->level == LEVEL_NONE && mlen > 7 && (starts(m, mlen, "error: ") ||
	    starts(m, mlen, "fatal: "))) {
		out->level = m[0] == 'e' ? LEVEL_ERROR : LEVEL_FATAL;
		m += 7;
		mlen -= 7;
	}
	/* z/OS message id */
	if (mlen >= 9 && starts(m, mlen, "FOTS") && is_digit((unsigned char)m[4]) &&
	    is_digit((unsigned char)m[5]) && is_digit((unsigned char)m[6]) &&
	    is_digit((unsigned char)m[7])) {
		n = 8;
		if (is_upper((unsigned char)m[n]))
			n++;
		if (n < mlen && m[n] == ' ') {
			out->zos_id = (struct lspan){ (uint32_t)(m - line),
			    (uint32_t)n };
			m += n + 1;
			mlen -= n + 1;
		}
	}
	/* trailing [preauth], possibly followed by spaces */
	while (mlen > 0 && m[mlen - 1] == ' ')
		mlen--;
	if (mlen >= 10 && memcmp(m + mlen - 10, " [preauth]", 10) == 0) {
		out->flags |= PREFIX_PREAUTH;
		mlen -= 10;
	} else if (mlen >= 11 && memcmp(m + mlen - 11, " [postauth]", 11) == 0)
		mlen -= 11;
	/* function prefix "name: " (8.5+ debug_f() and friends) */
	for (n = 0; n < mlen && n < 64 && (is_alnum((unsigned char)m[n]) || m[n] == '_'); n++)
		;
	if (n > 0 && n + 1 < mlen && m[n] == ':' && m[n + 1] == ' ' &&
	    !is_digit((unsigned char)m[0]))
		out->func_len = n + 2;
	out->msg_off = (size_t)(m - line);
	out->msg_len = mlen;
}

const char *
prefix_level_name(enum log_level level)
{
	switch (level) {
	case LEVEL_DEBUG3:	return "debug3";
	case LEVEL_DEBUG2:	return "debug2";
	case LEVEL_DEBUG1:	return "debug1";
	case LEVEL_VERBOSE:	return "verbose";
	case LEVEL_INFO:	return "info";
	case LEVEL_ERROR:	return "error";
	case LEVEL_FATAL:	return "fatal";
	case LEVEL_NONE:	break;
	}
	return "info";
}

int64_t
prefix_parse_time(const char *s)
{
	int y, mo, d, h, mi, sec = 0, n = 0;
	char mon[4];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	if (sscanf(s, "%4d-%2d-%2d%*[ T]%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) == 5) {
		sscanf(s + n, ":%2d", &sec);
		return make_ms(y, mo - 1, d, h, mi, sec, 0);
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && s[n] == '\0')
		return make_ms(y, mo - 1, d, 0, 0, 0, 0);
	if (sscanf(s, "%3s %2d %2d:%2d%n", mon, &d, &h, &mi, &n) == 4 &&
	    month_index(mon) >= 0) {
		sscanf(s + n, ":%2d", &sec);
		return make_ms(tm.tm_year + 1900, month_index(mon), d, h, mi, sec, 0);
	}
	if (sscanf(s, "%2d:%2d%n", &h, &mi, &n) == 2) {
		sscanf(s + n, ":%2d", &sec);
		return make_ms(tm.tm_year + 1900, tm.tm_mon, tm.tm_mday, h, mi, sec, 0);
	}
	return -1;
}
