/* test_match.c: literal extraction and the prefilter agree with PCRE2. */
#include "testutil.h"
#include "classify.h"
#include "match.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <string.h>

static void
test_literal_extraction(void **state)
{
	struct strv sv = { 0 };

	(void)state;
	match_literals_from_pattern("^(?:\\w+: )?Connecting to (?<host>\\S+) port", &sv);
	assert_int_equal(sv.n, 1);
	assert_string_equal(sv.v[0], "connecting to ");
	strv_free(&sv);
	match_literals_from_pattern("no matching MAC found\\. Their offer: (?<x>\\S+)", &sv);
	assert_string_equal(sv.v[0], "no matching mac found. their offer: ");
	strv_free(&sv);
	/* an optional char is not part of the literal */
	match_literals_from_pattern("Connections? closed", &sv);
	assert_string_equal(sv.v[0], "connection");
	strv_free(&sv);
	/* top-level alternatives give one literal each */
	match_literals_from_pattern("Corrupted MAC on input|Bad packet length \\d+", &sv);
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[0], "corrupted mac on input");
	assert_string_equal(sv.v[1], "bad packet length ");
	strv_free(&sv);
	/* nothing usable: no literal, the rule always runs */
	match_literals_from_pattern("^\\S+ \\d+$", &sv);
	assert_int_equal(sv.n, 0);
	strv_free(&sv);
}

/* For every rule and every sample, the full matcher (prefilter + PCRE2)
 * finds that rule: the prefilter never hides a match. */
static int
found_rule(void *arg, const struct kb_rule *r, const char *msg, const size_t *ov)
{
	const struct kb_rule **want = arg;

	(void)msg;
	(void)ov;
	if (r == *want)
		*want = NULL;
	return 0;
}

static void
test_prefilter_finds_every_sample(void **state)
{
	const struct kb *kb = tu_kb();
	struct classifier *c = classifier_new(kb);
	struct match_scratch *ms = match_scratch_new(kb);
	size_t checked = 0;

	(void)state;
	for (size_t i = 0; i < kb->nrules; i++) {
		const struct kb_rule *r = &kb->rules[i];

		for (size_t j = 0; j < r->samples.n; j++) {
			const struct cline *l = classify_line(c, 0, 1, 0,
			    r->samples.v[j], strlen(r->samples.v[j]), 0, r->side, -1);
			const struct kb_rule *want = r;

			match_line(kb, ms, l->msg, l->msg_len, r->side, found_rule, &want);
			if (want != NULL)
				fail_msg("rule %s: sample not found by the matcher: %s",
				    r->name, r->samples.v[j]);
			checked++;
		}
	}
	assert_true(checked > 100);
	match_scratch_free(ms);
	classifier_free(c);
}

static void
test_classify_layers_and_noise(void **state)
{
	const struct kb *kb = tu_kb();
	struct classifier *c = classifier_new(kb);
	const struct cline *l;
	static const char noise[] = "debug3: key_read: missing whitespace";
	static const char kex[] = "debug1: SSH2_MSG_KEXINIT sent";
	static const char srv[] = "debug1: KEX done [preauth]";

	(void)state;
	l = classify_line(c, 0, 1, 0, noise, strlen(noise), 0, SIDE_ANY, -1);
	assert_true(l->flags & CLINE_NOISE);
	assert_non_null(strstr(l->noise, "talk"));
	l = classify_line(c, 0, 2, 0, kex, strlen(kex), 0, SIDE_CLIENT, -1);
	assert_int_equal(l->layer, LAYER_KEX);
	assert_int_equal(l->nevents, 1);
	assert_int_equal(l->events[0], EVENT_START(STAGE_KEX));
	/* [preauth] tells the side */
	l = classify_line(c, 1, 1, 0, srv, strlen(srv), 0, SIDE_ANY, -1);
	assert_int_equal(l->side, SIDE_SERVER);
	assert_int_equal(l->events[0], EVENT_OK(STAGE_KEX));
	classifier_free(c);
}

/* Patterns are JIT-compiled once used often, not at load: a live run
 * that reads a few hundred lines compiles next to nothing. */
static size_t
jit_size(const struct kb_rule *r)
{
	size_t n = 0;

	pcre2_pattern_info(r->re, PCRE2_INFO_JITSIZE, &n);
	return n;
}

static void
test_jit_only_for_rules_in_use(void **state)
{
	struct strv errors = { 0 };
	struct kb *kb = kb_load(KB_DIR, &errors);
	struct classifier *c;
	const struct kb_rule *used = NULL;
	static const char line[] = "debug1: SSH2_MSG_KEXINIT sent";

	(void)state;
	assert_non_null(kb);
	for (size_t i = 0; i < kb->nrules; i++)
		assert_int_equal(jit_size(&kb->rules[i]), 0);
	c = classifier_new(kb);
	for (int i = 0; i < 100; i++) {
		const struct cline *l = classify_line(c, 0, 1, 0, line,
		    strlen(line), 0, SIDE_CLIENT, -1);

		assert_int_equal(l->events[0], EVENT_START(STAGE_KEX));
	}
	for (size_t i = 0; i < kb->nrules; i++)
		if (kb->rules[i].event == EVENT_START(STAGE_KEX) &&
		    match_rule(&kb->rules[i], line + 8, strlen(line + 8)))
			used = &kb->rules[i];
	assert_non_null(used);
	assert_true(jit_size(used) > 0);
	/* a rule for a server line was never tried on this client line */
	for (size_t i = 0; i < kb->nrules; i++)
		if (kb->rules[i].side == SIDE_SERVER)
			assert_int_equal(jit_size(&kb->rules[i]), 0);
	classifier_free(c);
	kb_free(kb);
	strv_free(&errors);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_extraction),
		cmocka_unit_test(test_prefilter_finds_every_sample),
		cmocka_unit_test(test_classify_layers_and_noise),
		cmocka_unit_test(test_jit_only_for_rules_in_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
