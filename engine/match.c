/* match.c: literal prefilter (Aho-Corasick, dense table over byte classes)
 * and PCRE2 JIT on the candidates. */
#include "match.h"
#include "util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define AC_NONE	UINT32_MAX
#define AC_OUT	0x80000000u	/* in a transition: the target state has outputs */
#define AC_ROW(t)	((t) & ~AC_OUT)
/* The prefilter needs only a selective piece of each literal: a short one
 * keeps the automaton small enough to stay in the cache. */
#define AC_LITERAL_MAX	16
/* A rule is JIT-compiled once it has run this often: JIT costs some tens
 * of microseconds a pattern, a match without it a microsecond more, and a
 * live ssh -vvv log runs most rules only a few times. */
#define JIT_AFTER	32
/* A message this long is scanned as two halves at once. */
#define AC_SPLIT_MIN	(4 * AC_LITERAL_MAX)

/* An automaton over the literals of the rules of one side (a server log
 * needs neither the client's literals nor their part of the table). */
struct ac {
	uint8_t		 cls[256];	/* byte → class (case-folded) */
	uint32_t	 ncls;
	uint32_t	*delta;		/* nstates × ncls transitions, while building */
	uint32_t	*table;		/* the same for scanning: row offsets, AC_OUT */
	uint32_t	 nstates;
	uint32_t	*out_start;	/* per state: first index in outs */
	uint32_t	*out_len;	/* per state: number of rules */
	uint32_t	*outs;
	uint32_t	*always;	/* rules without a literal */
	size_t		 nalways;
};

struct matcher {
	struct ac	*by_side[3];	/* by enum side, built when first needed */
	uint32_t	*runs;		/* per rule: matches tried, up to JIT_AFTER */
};

struct match_scratch {
	uint32_t		*stamp;		/* per rule: generation seen */
	uint32_t		 gen;
	uint32_t		*cand;
	size_t			 ncand;
	pcre2_match_data	*md;
};

/* ---- literal extraction ---- */

static int
is_meta(char c)
{
	return strchr("\\^$.|?*+()[]{}", c) != NULL;
}

/* Longest plain run in one alternative [p, end), or "" if none of 3+. */
static void
longest_run(const char *p, const char *end, struct buf *best)
{
	struct buf run;
	int depth = 0;

	buf_init(&run);
	buf_reset(best);
	while (p < end) {
		char c = *p;

		if (depth > 0) {
			/* skip group contents: they may be optional */
			if (c == '\\' && p + 1 < end)
				p++;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			else if (c == '[') {
				for (p++; p < end && *p != ']'; p++)
					if (*p == '\\' && p + 1 < end)
						p++;
			}
			p++;
			continue;
		}
		if (c == '?' || c == '*' || (c == '{' && p + 1 < end &&
		    (p[1] == '0' || p[1] == ','))) {
			/* previous char optional: drop it from the run */
			if (run.len > 0)
				run.len--;
			goto cut;
		}
		if (c == '+' || c == '{') {
			goto cut_keep;
		}
		if (c == '\\' && p + 1 < end) {
			char e = p[1];

			if (is_meta(e) || e == '/' || e == '-' || e == ' ' ||
			    e == '#' || e == '@' || e == ':' || e == '\'' ||
			    e == '"' || e == '=') {
				/* escaped literal; lookahead for a quantifier */
				buf_addc(&run, (char)tolower((unsigned char)e));
				p += 2;
				continue;
			}
			p += 2;
			if (e == 'Q') {
				/* \Q...\E: all literal */
				while (p < end && !(p[0] == '\\' && p + 1 < end && p[1] == 'E')) {
					buf_addc(&run, (char)tolower((unsigned char)*p));
					p++;
				}
				if (p < end)
					p += 2;
				continue;
			}
			goto cut_noadvance;
		}
		if (c == '(') {
			depth = 1;
			p++;
			goto cut_noadvance;
		}
		if (c == '[') {
			for (p++; p < end && *p != ']'; p++)
				if (*p == '\\' && p + 1 < end)
					p++;
			p++;
			/* a class may be followed by a quantifier: harmless */
			goto cut_noadvance;
		}
		if (c == '.' || c == '^' || c == '$' || c == ')' || c == ']' || c == '}') {
			p++;
			goto cut_noadvance;
		}
		buf_addc(&run, (char)tolower((unsigned char)c));
		p++;
		continue;
cut:
		p++;
cut_noadvance:
		if (run.len > best->len) {
			buf_reset(best);
			buf_add(best, run.data, run.len);
		}
		buf_reset(&run);
		continue;
cut_keep:
		/* "x+" keeps x but nothing after it joins the run */
		if (run.len > best->len) {
			buf_reset(best);
			buf_add(best, run.data, run.len);
		}
		buf_reset(&run);
		if (c == '{')
			while (p < end && *p != '}')
				p++;
		p++;
	}
	if (run.len > best->len) {
		buf_reset(best);
		buf_add(best, run.data, run.len);
	}
	buf_free(&run);
}

void
match_literals_from_pattern(const char *pattern, struct strv *out)
{
	const char *p = pattern, *start;
	struct strv alts = { 0 };
	struct buf best;
	int depth = 0, fail = 0;

	/* a leading inline option such as (?i) applies to everything and
	 * the prefilter is case-folded anyway */
	if (strncmp(p, "(?i)", 4) == 0)
		p += 4;
	start = p;
	buf_init(&best);
	for (;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == '[') {
			for (p++; *p != '\0' && *p != ']'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		if (*p == '\0' || (*p == '|' && depth == 0)) {
			longest_run(start, p, &best);
			if (best.len < 3)
				fail = 1;
			else
				strv_addn(&alts, xstrndup(best.data, best.len));
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	if (!fail)
		for (size_t i = 0; i < alts.n; i++)
			if (!strv_has(out, alts.v[i]))
				strv_add(out, alts.v[i]);
	strv_free(&alts);
	buf_free(&best);
}

/* ---- automaton ---- */

struct ac_build {
	struct ac	*m;
	uint32_t	 cap;
	uint32_t	**outl;		/* per state: rule list while building */
	uint32_t	*outn;
};

static void
ac_reserve(struct ac_build *b, uint32_t cap)
{
	struct ac *m = b->m;

	b->cap = cap;
	m->delta = xreallocarray(m->delta, (size_t)b->cap * m->ncls,
	    sizeof *m->delta);
	b->outl = xreallocarray(b->outl, b->cap, sizeof *b->outl);
	b->outn = xreallocarray(b->outn, b->cap, sizeof *b->outn);
}

static uint32_t
ac_new_state(struct ac_build *b)
{
	struct ac *m = b->m;

	if (m->nstates == b->cap)
		ac_reserve(b, b->cap ? b->cap * 2 : 256);
	for (uint32_t c = 0; c < m->ncls; c++)
		m->delta[(size_t)m->nstates * m->ncls + c] = AC_NONE;
	b->outl[m->nstates] = NULL;
	b->outn[m->nstates] = 0;
	return m->nstates++;
}

static void
ac_add_out(struct ac_build *b, uint32_t state, uint32_t rule)
{
	for (uint32_t i = 0; i < b->outn[state]; i++)
		if (b->outl[state][i] == rule)
			return;
	b->outl[state] = xreallocarray(b->outl[state], b->outn[state] + 1,
	    sizeof **b->outl);
	b->outl[state][b->outn[state]++] = rule;
}

static void
ac_insert(struct ac_build *b, const char *lit, uint32_t rule)
{
	struct ac *m = b->m;
	uint32_t s = 0;

	for (const unsigned char *p = (const unsigned char *)lit;
	    *p && p - (const unsigned char *)lit < AC_LITERAL_MAX; p++) {
		size_t at = (size_t)s * m->ncls + m->cls[*p];

		if (m->delta[at] == AC_NONE) {
			uint32_t n = ac_new_state(b);

			/* delta may have moved */
			m->delta[(size_t)s * m->ncls + m->cls[*p]] = n;
		}
		s = m->delta[(size_t)s * m->ncls + m->cls[*p]];
	}
	ac_add_out(b, s, rule);
}

/* Breadth-first: failure links folded into a complete transition table. */
static void
ac_finish(struct ac_build *b)
{
	struct ac *m = b->m;
	uint32_t *queue = xcalloc(m->nstates, sizeof *queue);
	uint32_t *fail = xcalloc(m->nstates, sizeof *fail);
	size_t head = 0, tail = 0, total = 0;

	for (uint32_t c = 0; c < m->ncls; c++) {
		uint32_t t = m->delta[c];

		if (t == AC_NONE)
			m->delta[c] = 0;
		else {
			fail[t] = 0;
			queue[tail++] = t;
		}
	}
	while (head < tail) {
		uint32_t s = queue[head++];

		for (uint32_t i = 0; i < b->outn[fail[s]]; i++)
			ac_add_out(b, s, b->outl[fail[s]][i]);
		for (uint32_t c = 0; c < m->ncls; c++) {
			size_t at = (size_t)s * m->ncls + c;
			uint32_t t = m->delta[at];

			if (t == AC_NONE)
				m->delta[at] = m->delta[(size_t)fail[s] * m->ncls + c];
			else {
				fail[t] = m->delta[(size_t)fail[s] * m->ncls + c];
				queue[tail++] = t;
			}
		}
	}
	/* pack: a transition holds the target's row offset (state × classes,
	 * so the scan's chain from one byte to the next has no multiply) and
	 * whether that state has outputs */
	if ((uint64_t)m->nstates * m->ncls >= AC_OUT)
		fatal("KB prefilter: %u states is too many", m->nstates);
	/* in place: each entry is read once, then overwritten */
	for (size_t i = 0; i < (size_t)m->nstates * m->ncls; i++)
		m->delta[i] = m->delta[i] * m->ncls |
		    (b->outn[m->delta[i]] > 0 ? AC_OUT : 0);
	m->table = xreallocarray(m->delta, (size_t)m->nstates * m->ncls,
	    sizeof *m->table);
	m->delta = NULL;
	m->out_start = xcalloc(m->nstates, sizeof *m->out_start);
	m->out_len = xcalloc(m->nstates, sizeof *m->out_len);
	for (uint32_t s = 0; s < m->nstates; s++)
		total += b->outn[s];
	m->outs = xcalloc(total, sizeof *m->outs);
	total = 0;
	for (uint32_t s = 0; s < m->nstates; s++) {
		m->out_start[s] = (uint32_t)total;
		m->out_len[s] = b->outn[s];
		for (uint32_t i = 0; i < b->outn[s]; i++)
			m->outs[total++] = b->outl[s][i];
		free(b->outl[s]);
	}
	free(b->outl);
	free(b->outn);
	free(queue);
	free(fail);
}

static int
rule_for_side(const struct kb_rule *r, enum side side)
{
	return r->re != NULL &&
	    (side == SIDE_ANY || r->side == SIDE_ANY || r->side == side);
}

/* At most one state per literal byte the trie takes, and the root. */
static uint32_t
ac_bound(const struct kb *kb, enum side side)
{
	size_t n = 1;

	for (size_t i = 0; i < kb->nrules; i++)
		for (size_t j = 0; rule_for_side(&kb->rules[i], side) &&
		    j < kb->rules[i].literals.n; j++) {
			size_t len = strlen(kb->rules[i].literals.v[j]);

			n += len < AC_LITERAL_MAX ? len : AC_LITERAL_MAX;
		}
	return (uint32_t)n;
}

static struct ac *
ac_new(const struct kb *kb, enum side side)
{
	struct ac *m = xcalloc(1, sizeof *m);
	struct ac_build b = { m, 0, NULL, NULL };
	uint8_t used[256] = { 0 };

	/* byte classes: one per byte used in a literal, 0 for the rest */
	for (size_t i = 0; i < kb->nrules; i++)
		for (size_t j = 0; rule_for_side(&kb->rules[i], side) &&
		    j < kb->rules[i].literals.n; j++)
			for (const unsigned char *p = (const unsigned char *)
			    kb->rules[i].literals.v[j]; *p; p++)
				used[tolower(*p)] = 1;
	m->ncls = 1;
	for (int c = 0; c < 256; c++)
		if (used[c])
			m->cls[c] = (uint8_t)m->ncls++;
	for (int c = 'A'; c <= 'Z'; c++)
		m->cls[c] = m->cls[c - 'A' + 'a'];
	/* room for every state at once: no copy while the trie grows */
	ac_reserve(&b, ac_bound(kb, side));
	ac_new_state(&b);
	for (size_t i = 0; i < kb->nrules; i++) {
		const struct kb_rule *r = &kb->rules[i];

		if (!rule_for_side(r, side))
			continue;
		if (r->literals.n == 0) {
			m->always = xreallocarray(m->always, m->nalways + 1,
			    sizeof *m->always);
			m->always[m->nalways++] = (uint32_t)i;
		}
		for (size_t j = 0; j < r->literals.n; j++)
			ac_insert(&b, r->literals.v[j], (uint32_t)i);
	}
	ac_finish(&b);
	return m;
}

static void
ac_free(struct ac *m)
{
	if (m == NULL)
		return;
	free(m->delta);
	free(m->table);
	free(m->out_start);
	free(m->out_len);
	free(m->outs);
	free(m->always);
	free(m);
}

struct matcher *
matcher_new(const struct kb *kb)
{
	struct matcher *m = xcalloc(1, sizeof *m);

	m->runs = xcalloc(kb->nrules + 1, sizeof *m->runs);
	return m;
}

void
matcher_free(struct matcher *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < 3; i++)
		ac_free(m->by_side[i]);
	free(m->runs);
	free(m);
}

struct match_scratch *
match_scratch_new(const struct kb *kb)
{
	struct match_scratch *s = xcalloc(1, sizeof *s);
	uint32_t maxgroups = 0;

	s->stamp = xcalloc(kb->nrules + 1, sizeof *s->stamp);
	s->cand = xcalloc(kb->nrules + 1, sizeof *s->cand);
	for (size_t i = 0; i < kb->nrules; i++) {
		uint32_t n = 0;

		if (kb->rules[i].re != NULL)
			pcre2_pattern_info(kb->rules[i].re,
			    PCRE2_INFO_CAPTURECOUNT, &n);
		if (n > maxgroups)
			maxgroups = n;
	}
	s->md = pcre2_match_data_create(maxgroups + 1, NULL);
	return s;
}

void
match_scratch_free(struct match_scratch *s)
{
	if (s == NULL)
		return;
	free(s->stamp);
	free(s->cand);
	pcre2_match_data_free(s->md);
	free(s);
}

static void
add_cand(struct match_scratch *s, uint32_t rule)
{
	if (s->stamp[rule] == s->gen)
		return;
	s->stamp[rule] = s->gen;
	s->cand[s->ncand++] = rule;
}

/* The rules whose literal ends at a state with outputs; the state's row. */
static uint32_t
ac_outputs(const struct ac *m, struct match_scratch *s, uint32_t st)
{
	uint32_t row = AC_ROW(st), k = row / m->ncls;

	for (uint32_t j = 0; j < m->out_len[k]; j++)
		add_cand(s, m->outs[m->out_start[k] + j]);
	return row;
}

size_t
match_scan(const struct kb *kb, struct match_scratch *s, const char *msg,
    size_t len, enum side side, const uint32_t **cand)
{
	struct matcher *mt = kb->matcher;
	const struct ac *m;
	const unsigned char *p = (const unsigned char *)msg;
	uint32_t st = 0;
	const uint32_t *table;
	const uint8_t *cls;

	if (mt->by_side[side] == NULL)
		mt->by_side[side] = ac_new(kb, side);
	m = mt->by_side[side];
	table = m->table;
	cls = m->cls;

	if (++s->gen == 0) {
		memset(s->stamp, 0, (kb->nrules + 1) * sizeof *s->stamp);
		s->gen = 1;
	}
	s->ncand = 0;
	if (len >= AC_SPLIT_MIN) {
		/* two chains of table lookups at once, each waiting on its own
		 * previous load: the second half starts early enough to see
		 * every literal that ends in it */
		size_t half = len / 2, i = 0, j = half - (AC_LITERAL_MAX - 1);
		uint32_t st2 = 0;

		for (; i < half; i++, j++) {
			st = table[st + cls[p[i]]];
			st2 = table[st2 + cls[p[j]]];
			if ((st | st2) & AC_OUT) {
				if (st & AC_OUT)
					st = ac_outputs(m, s, st);
				if (st2 & AC_OUT)
					st2 = ac_outputs(m, s, st2);
			}
		}
		for (; j < len; j++) {
			st2 = table[st2 + cls[p[j]]];
			if (st2 & AC_OUT)
				st2 = ac_outputs(m, s, st2);
		}
	} else
		for (size_t i = 0; i < len; i++) {
			st = table[st + cls[p[i]]];
			if (st & AC_OUT)
				st = ac_outputs(m, s, st);
		}
	for (size_t i = 0; i < m->nalways; i++)
		add_cand(s, m->always[i]);
	/* in KB order; a line has a few candidates: insertion sort */
	for (size_t i = 1; i < s->ncand; i++) {
		uint32_t v = s->cand[i];
		size_t j = i;

		for (; j > 0 && s->cand[j - 1] > v; j--)
			s->cand[j] = s->cand[j - 1];
		s->cand[j] = v;
	}
	*cand = s->cand;
	return s->ncand;
}

size_t
match_candidates(const struct kb *kb, struct match_scratch *s,
    const char *msg, size_t len, enum side side, const uint32_t *cand,
    size_t ncand, match_fn fn, void *arg)
{
	struct matcher *mt = kb->matcher;
	size_t hits = 0;

	for (size_t i = 0; i < ncand; i++) {
		const struct kb_rule *r = &kb->rules[cand[i]];
		int rc;

		if (side != SIDE_ANY && r->side != SIDE_ANY && r->side != side)
			continue;
		if (mt->runs[cand[i]] < JIT_AFTER &&
		    ++mt->runs[cand[i]] == JIT_AFTER)
			pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);
		rc = pcre2_match(r->re, (PCRE2_SPTR)msg, len, 0,
		    PCRE2_NO_UTF_CHECK, s->md, NULL);
		if (rc < 0)
			continue;
		hits++;
		if (fn != NULL && fn(arg, r, msg, pcre2_get_ovector_pointer(s->md)))
			break;
	}
	return hits;
}

size_t
match_line(const struct kb *kb, struct match_scratch *s, const char *msg,
    size_t len, enum side side, match_fn fn, void *arg)
{
	const uint32_t *cand;
	size_t n = match_scan(kb, s, msg, len, side, &cand);

	return match_candidates(kb, s, msg, len, side, cand, n, fn, arg);
}

int
match_rule(const struct kb_rule *rule, const char *msg, size_t len)
{
	pcre2_match_data *md;
	int rc;

	if (rule->re == NULL)
		return 0;
	md = pcre2_match_data_create_from_pattern(rule->re, NULL);
	rc = pcre2_match(rule->re, (PCRE2_SPTR)msg, len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}
