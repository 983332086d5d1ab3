/* redact.c: consistent pseudonyms for names in reports. */
#include "redact.h"
#include "util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>
#include <string.h>

enum redact_kind { RK_HOST, RK_ADDR, RK_USER, RK_KEY, RK_COUNT };

static const char *const kind_prefix[RK_COUNT] = { "host-", "addr-", "user-", "key-" };

struct mapping {
	char		*from;
	char		*to;
	enum redact_kind kind;
};

struct redactor {
	struct mapping	*v;
	size_t		 n;
	int		 next[RK_COUNT];
	pcre2_code	*patterns;
	pcre2_match_data *md;
};

/* What names look like, whatever the facts said. Each alternative is a
 * group whose number says the kind. */
static const char pattern_src[] =
    "(?<fp>SHA256:[A-Za-z0-9+/]{43}=?|(?:[0-9a-f]{2}:){15}[0-9a-f]{2})"
    "|(?<home>(?<=/)(?:home|u|Users)/(?<homeuser>[A-Za-z0-9._-]+))"
    "|(?<uh>(?<![A-Za-z0-9._@-])(?<uhuser>[A-Za-z0-9._-]+)@(?<uhhost>[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]))"
    "|(?<v4>(?<![0-9.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![0-9.]*\\d))"
    "|(?<v6>(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:]))";

struct redactor *
redact_new(void)
{
	struct redactor *r = xcalloc(1, sizeof *r);
	int err;
	PCRE2_SIZE off;

	r->patterns = pcre2_compile((PCRE2_SPTR)pattern_src, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF, &err, &off, NULL);
	if (r->patterns == NULL)
		fatal("redact: pattern error %d at %zu", err, (size_t)off);
	pcre2_jit_compile(r->patterns, PCRE2_JIT_COMPLETE);
	r->md = pcre2_match_data_create_from_pattern(r->patterns, NULL);
	return r;
}

void
redact_free(struct redactor *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].from);
		free(r->v[i].to);
	}
	free(r->v);
	pcre2_match_data_free(r->md);
	pcre2_code_free(r->patterns);
	free(r);
}

/* The token for a value, made on first sight. */
static const char *
token(struct redactor *r, const char *value, size_t len, enum redact_kind kind)
{
	struct mapping *m;

	/* a token met again (the patterns run over replaced text) stays */
	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->v[i].to) == len && memcmp(r->v[i].to, value, len) == 0)
			return r->v[i].to;
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind == kind && strlen(r->v[i].from) == len &&
		    memcmp(r->v[i].from, value, len) == 0)
			return r->v[i].to;
	r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
	m = &r->v[r->n++];
	m->from = xstrndup(value, len);
	m->kind = kind;
	m->to = xasprintf("%s%d", kind_prefix[kind], ++r->next[kind]);
	return m->to;
}

static int
looks_like_address(const char *v)
{
	size_t digits = strspn(v, "0123456789.");
	size_t hex = strspn(v, "0123456789abcdefABCDEF:");

	return v[digits] == '\0' || (v[hex] == '\0' && strchr(v, ':') != NULL);
}

void
redact_learn(struct redactor *r, const struct facts *f)
{
	static const char *const hosts[] = { "host", "prompt_host", "kh_host",
	    "closed_host", "addr", "from_addr", "local_addr", "listen_addr", NULL };
	static const char *const users[] = { "user", "auth_user", "prompt_user",
	    "session_user", NULL };

	for (size_t i = 0; hosts[i] != NULL; i++) {
		const char *v = facts_get(f, hosts[i]);

		if (v != NULL && *v != '\0' && strcmp(v, "localhost") != 0)
			token(r, v, strlen(v), looks_like_address(v) ? RK_ADDR : RK_HOST);
	}
	for (size_t i = 0; users[i] != NULL; i++) {
		const char *v = facts_get(f, users[i]);

		if (v != NULL && *v != '\0')
			token(r, v, strlen(v), RK_USER);
	}
}

static int
word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Replace the learnt values, longest first, where they stand as words. */
static char *
replace_known(const struct redactor *r, const char *text)
{
	struct buf out;
	size_t *order = xcalloc(r->n + 1, sizeof *order);
	const char *p = text;

	for (size_t i = 0; i < r->n; i++)
		order[i] = i;
	for (size_t i = 1; i < r->n; i++)
		for (size_t j = i; j > 0 && strlen(r->v[order[j]].from) >
		    strlen(r->v[order[j - 1]].from); j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	buf_init(&out);
	while (*p != '\0') {
		size_t hit = r->n;

		if (p == text || !word_char(p[-1]))
			for (size_t k = 0; k < r->n; k++) {
				const char *from = r->v[order[k]].from;
				size_t len = strlen(from);

				if (strncmp(p, from, len) == 0 && !word_char(p[len])) {
					hit = order[k];
					break;
				}
			}
		if (hit < r->n) {
			buf_adds(&out, r->v[hit].to);
			p += strlen(r->v[hit].from);
		} else
			buf_addc(&out, *p++);
	}
	free(order);
	return buf_steal(&out);
}

static int
group_set(const PCRE2_SIZE *ov, uint32_t g)
{
	return ov[2 * g] != PCRE2_UNSET;
}

static uint32_t
group(const pcre2_code *re, const char *name)
{
	return (uint32_t)pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);
}

/* Replace what looks like a name though no fact named it. */
static char *
replace_patterns(struct redactor *r, const char *text)
{
	struct buf out;
	size_t len = strlen(text), at = 0;
	uint32_t g_fp = group(r->patterns, "fp"), g_home = group(r->patterns, "homeuser");
	uint32_t g_uh = group(r->patterns, "uh"), g_uhu = group(r->patterns, "uhuser");
	uint32_t g_uhh = group(r->patterns, "uhhost"), g_v4 = group(r->patterns, "v4");
	uint32_t g_v6 = group(r->patterns, "v6");

	buf_init(&out);
	while (at <= len && pcre2_match(r->patterns, (PCRE2_SPTR)text, len, at, 0,
	    r->md, NULL) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);

		buf_add(&out, text + at, ov[0] - at);
		if (group_set(ov, g_fp)) {
			buf_addf(&out, "%s%s", strncmp(text + ov[0], "SHA256:", 7) == 0 ?
			    "SHA256:" : "", token(r, text + ov[0], ov[1] - ov[0], RK_KEY));
		} else if (group_set(ov, g_home)) {
			/* keep "home/" or "u/", pseudonymise the name */
			size_t pre = ov[2 * g_home] - ov[0];

			buf_add(&out, text + ov[0], pre);
			buf_adds(&out, token(r, text + ov[2 * g_home],
			    ov[2 * g_home + 1] - ov[2 * g_home], RK_USER));
		} else if (group_set(ov, g_uh)) {
			const char *h = text + ov[2 * g_uhh];
			size_t hl = ov[2 * g_uhh + 1] - ov[2 * g_uhh];
			char *hv = xstrndup(h, hl);

			buf_adds(&out, token(r, text + ov[2 * g_uhu],
			    ov[2 * g_uhu + 1] - ov[2 * g_uhu], RK_USER));
			buf_addc(&out, '@');
			buf_adds(&out, token(r, h, hl,
			    looks_like_address(hv) ? RK_ADDR : RK_HOST));
			free(hv);
		} else if (group_set(ov, g_v4) || group_set(ov, g_v6)) {
			buf_adds(&out, token(r, text + ov[0], ov[1] - ov[0], RK_ADDR));
		} else
			buf_add(&out, text + ov[0], ov[1] - ov[0]);
		if (ov[1] == ov[0]) {
			if (ov[1] < len)
				buf_addc(&out, text[ov[1]]);
			at = ov[1] + 1;
		} else
			at = ov[1];
	}
	if (at < len)
		buf_add(&out, text + at, len - at);
	return buf_steal(&out);
}

char *
redact_text(struct redactor *r, const char *text)
{
	char *known = replace_known(r, text);
	char *all = replace_patterns(r, known);

	free(known);
	return all;
}

int
redact_write_map(const struct redactor *r, FILE *out)
{
	for (size_t i = 0; i < r->n; i++)
		fprintf(out, "%s\t%s\n", r->v[i].from, r->v[i].to);
	return ferror(out) ? -1 : 0;
}
