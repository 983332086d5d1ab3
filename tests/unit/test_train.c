/* test_train.c: training scenarios load, replay and lint clean; the batch
 * quiz scores right and wrong answers (taken from the scenario file, not
 * written here); a broken scenario is refused with file:line. */
#include "testutil.h"
#include "train.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TRAINING_DIR	FIXTURES_DIR "/../../training"

static void
test_every_scenario_replays(void **state)
{
	struct kb *kb = tu_kb();
	struct strv paths = { 0 }, errors = { 0 };

	(void)state;
	assert_int_equal(train_list(TRAINING_DIR, &paths), 0);
	assert_true(paths.n >= 13);
	for (size_t i = 0; i < paths.n; i++) {
		struct train_scenario *sc = train_load(paths.v[i], &errors);
		struct train_replay *r;
		size_t lines = 0, quiz = 0, notes = 0, n;

		for (size_t e = 0; e < errors.n; e++)
			fprintf(stderr, "%s\n", errors.v[e]);
		assert_non_null(sc);
		r = train_replay_new(kb, sc, &errors);
		for (size_t e = 0; e < errors.n; e++)
			fprintf(stderr, "%s\n", errors.v[e]);
		assert_non_null(r);
		n = train_replay_count(r);
		assert_true(n > 0);
		for (size_t k = 0; k < n; k++) {
			const struct train_item *it = train_replay_item(r, k);

			assert_non_null(it);
			switch (it->kind) {
			case TRAIN_LINE:
				lines++;
				assert_non_null(it->text);
				break;
			case TRAIN_NOTE:
				notes++;
				break;
			case TRAIN_QUIZ:
				quiz++;
				assert_true(it->quiz < sc->nquiz);
				break;
			}
		}
		/* stepping back works: items are stable by index */
		assert_ptr_equal(train_replay_item(r, 0), train_replay_item(r, 0));
		assert_null(train_replay_item(r, n));
		assert_true(lines > 0);
		assert_int_equal(quiz, sc->nquiz);
		assert_true(sc->nquiz > 0);
		assert_int_equal(train_lint(kb, sc, r, &errors), 0);
		train_replay_free(r);
		train_free(sc);
	}
	strv_free(&errors);
	strv_free(&paths);
}

static void
test_quiz_noise_marked(void **state)
{
	struct kb *kb = tu_kb();
	struct strv errors = { 0 };
	struct train_scenario *sc = train_load(TRAINING_DIR "/talk-quiz.yaml", &errors);
	struct train_replay *r;
	size_t noise = 0;

	(void)state;
	assert_non_null(sc);
	r = train_replay_new(kb, sc, &errors);
	assert_non_null(r);
	for (size_t k = 0; k < train_replay_count(r); k++) {
		const struct train_item *it = train_replay_item(r, k);

		if (it->kind == TRAIN_LINE && it->noise != NULL)
			noise++;
	}
	assert_true(noise >= 6);
	assert_int_equal(train_parse_answer(kb, &sc->quiz[0], " NO "),
	    (int)sc->quiz[0].answer);
	assert_int_equal(train_parse_answer(kb, &sc->quiz[0], "2"), 1);
	assert_int_equal(train_parse_answer(kb, &sc->quiz[0], "3"), -1);
	assert_int_equal(train_parse_answer(kb, &sc->quiz[0], "maybe"), -1);
	train_replay_free(r);
	train_free(sc);
	strv_free(&errors);
}

/* The answers, in the order the replay asks them, into a temporary file:
 * right ones by text (or number), wrong ones by the next choice's number. */
static char *
answers_file(const char *id, int right, int by_number, size_t *nq)
{
	struct kb *kb = tu_kb();
	struct strv errors = { 0 };
	char *path = xasprintf(TRAINING_DIR "/%s.yaml", id);
	char tmpl[] = "/tmp/sshdoctor-train-XXXXXX";
	struct train_scenario *sc = train_load(path, &errors);
	struct train_replay *r;
	FILE *f;
	int fd;

	assert_non_null(sc);
	r = train_replay_new(kb, sc, &errors);
	assert_non_null(r);
	assert_true((fd = mkstemp(tmpl)) != -1);
	f = fdopen(fd, "w");
	*nq = 0;
	for (size_t k = 0; k < train_replay_count(r); k++) {
		const struct train_item *it = train_replay_item(r, k);
		const struct train_quiz *q;

		if (it->kind != TRAIN_QUIZ)
			continue;
		q = &sc->quiz[it->quiz];
		(*nq)++;
		if (!right)
			fprintf(f, "%zu\n", (q->answer + 1) % q->choices.n + 1);
		else if (by_number)
			fprintf(f, "%zu\n", q->answer + 1);
		else
			fprintf(f, "%s\n", q->choices.v[q->answer]);
	}
	fclose(f);
	train_replay_free(r);
	train_free(sc);
	strv_free(&errors);
	free(path);
	return xstrdup(tmpl);
}

static int
run_batch(const char *id, const char *input, char **out)
{
	char *cmd = xasprintf("SSHDOCTOR_TRAINING='%s' '%s' train --batch %s "
	    "--speed 0 < '%s'", TRAINING_DIR, SSHDOCTOR_BIN, id, input);
	int rc = tu_run(cmd, out);

	free(cmd);
	return rc;
}

static void
test_batch_scores(void **state)
{
	const char *id = "talk-02-kex-no-mac";
	char *in, *out = NULL, *want;
	size_t nq;

	(void)state;
	/* all right, by choice text */
	in = answers_file(id, 1, 0, &nq);
	assert_true(nq >= 2);
	assert_int_equal(run_batch(id, in, &out), 0);
	want = xasprintf("score: %zu/%zu\n", nq, nq);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "KEX"));
	assert_non_null(strstr(out, "no matching MAC found"));
	assert_non_null(strstr(out, ">> Key Exchange"));
	assert_non_null(strstr(out, "Which stage failed?"));
	free(want);
	free(out);
	unlink(in);
	free(in);

	/* all right, by number */
	in = answers_file(id, 1, 1, &nq);
	assert_int_equal(run_batch(id, in, &out), 0);
	want = xasprintf("score: %zu/%zu\n", nq, nq);
	assert_non_null(strstr(out, want));
	free(want);
	free(out);
	unlink(in);
	free(in);

	/* all wrong: scores lower, still exit 0 */
	in = answers_file(id, 0, 1, &nq);
	assert_int_equal(run_batch(id, in, &out), 0);
	want = xasprintf("score: 0/%zu\n", nq);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "wrong: the answer is"));
	free(want);
	free(out);
	unlink(in);
	free(in);

	/* EOF at once: every question unanswered, no hang */
	assert_int_equal(run_batch(id, "/dev/null", &out), 0);
	want = xasprintf("score: 0/%zu\n", nq);
	assert_non_null(strstr(out, want));
	free(want);
	free(out);
}

static void
test_list_and_lint(void **state)
{
	char *cmd, *out = NULL;

	(void)state;
	cmd = xasprintf("SSHDOCTOR_TRAINING='%s' '%s' train --list", TRAINING_DIR,
	    SSHDOCTOR_BIN);
	assert_int_equal(tu_run(cmd, &out), 0);
	assert_non_null(strstr(out, "talk-success"));
	assert_non_null(strstr(out, "talk-quiz"));
	assert_non_null(strstr(out, "talk-11-corrupt-mac"));
	free(out);
	free(cmd);
	cmd = xasprintf("SSHDOCTOR_TRAINING='%s' '%s' train lint", TRAINING_DIR,
	    SSHDOCTOR_BIN);
	assert_int_equal(tu_run(cmd, &out), 0);
	assert_non_null(strstr(out, ": ok"));
	free(out);
	free(cmd);
	cmd = xasprintf("'%s' train --bogus >/dev/null 2>&1", SSHDOCTOR_BIN);
	assert_int_equal(tu_run(cmd, NULL), 2);
	free(cmd);
	cmd = xasprintf("'%s' train >/dev/null 2>&1", SSHDOCTOR_BIN);
	assert_int_equal(tu_run(cmd, NULL), 2);
	free(cmd);
	cmd = xasprintf("'%s' train --speed x --batch talk-quiz >/dev/null 2>&1",
	    SSHDOCTOR_BIN);
	assert_int_equal(tu_run(cmd, NULL), 2);
	free(cmd);
}

static void
test_broken_scenario_refused(void **state)
{
	char tmpl[] = "/tmp/sshdoctor-training-XXXXXX";
	char *path, *cmd, *out = NULL;
	struct strv errors = { 0 };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	path = xasprintf("%s/broken.yaml", tmpl);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "id: broken\n"
	    "title: a broken scenario\n"
	    "logs:\n"
	    "  - {side: client, lines: ['debug1: Connection established.']}\n"
	    "quiz:\n"
	    "  - {kind: stage, after: 1, answer: nowhere}\n");
	fclose(f);

	assert_null(train_load(path, &errors));
	assert_true(errors.n >= 1);
	assert_non_null(strstr(errors.v[0], "broken.yaml:6:"));
	strv_free(&errors);

	cmd = xasprintf("SSHDOCTOR_TRAINING='%s' '%s' train lint 2>&1", tmpl,
	    SSHDOCTOR_BIN);
	assert_int_equal(tu_run(cmd, &out), 1);
	assert_non_null(strstr(out, "broken.yaml:6:"));
	free(out);
	free(cmd);
	cmd = xasprintf("SSHDOCTOR_TRAINING='%s' '%s' train --batch broken "
	    "</dev/null 2>&1", tmpl, SSHDOCTOR_BIN);
	assert_int_equal(tu_run(cmd, &out), 1);
	assert_non_null(strstr(out, "broken.yaml:6:"));
	free(out);
	free(cmd);

	/* valid YAML, but a quiz point past the end of the log */
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "id: broken\n"
	    "title: a broken scenario\n"
	    "logs:\n"
	    "  - {side: client, lines: ['debug1: Connection established.']}\n"
	    "quiz:\n"
	    "  - {kind: layer, after: 7, answer: tcp}\n");
	fclose(f);
	cmd = xasprintf("SSHDOCTOR_TRAINING='%s' '%s' train lint 2>&1", tmpl,
	    SSHDOCTOR_BIN);
	assert_int_equal(tu_run(cmd, &out), 1);
	assert_non_null(strstr(out, "broken.yaml:6: quiz point after line 7"));
	free(out);
	free(cmd);

	/* not YAML at all */
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "id: broken\ntitle: [unclosed\n");
	fclose(f);
	cmd = xasprintf("SSHDOCTOR_TRAINING='%s' '%s' train --batch broken "
	    "</dev/null 2>&1", tmpl, SSHDOCTOR_BIN);
	assert_int_equal(tu_run(cmd, &out), 1);
	assert_non_null(strstr(out, "broken.yaml:"));
	free(out);
	free(cmd);

	unlink(path);
	rmdir(tmpl);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_scenario_replays),
		cmocka_unit_test(test_quiz_noise_marked),
		cmocka_unit_test(test_batch_scores),
		cmocka_unit_test(test_list_and_lint),
		cmocka_unit_test(test_broken_scenario_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
