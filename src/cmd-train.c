/* cmd-train.c: sshdoctor train --list | --batch SCENARIO | lint */
#include "cmd.h"
#include "diagnose.h"
#include "sanitize.h"
#include "train.h"
#include "tui.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TRAIN_TRIES	3	/* answers that name no choice before we move on */

static void
train_usage(FILE *out)
{
	fprintf(out,
	    "usage: sshdoctor train [SCENARIO]   (on a terminal: the TUI's screen)\n"
	    "       sshdoctor train --list\n"
	    "       sshdoctor train --batch SCENARIO [--speed N]\n"
	    "       sshdoctor train lint\n"
	    "\n"
	    "Replay a training scenario (a log annotated stage by stage, with quiz\n"
	    "points) line by line. --batch asks the questions on standard input and\n"
	    "output: answer with a choice's number or its text; the score is\n"
	    "printed last. --speed N replays N lines a second (0, the default: no\n"
	    "delay). SCENARIO is an id from --list or a path to a scenario file.\n"
	    "lint loads every scenario, replays it and checks each question's answer\n"
	    "against the engine's own reading of the log.\n"
	    "\n"
	    "Scenarios are YAML files in %s (set SSHDOCTOR_TRAINING to use another\n"
	    "directory); training/README.md describes the format.\n",
	    train_default_dir());
}

static void
print_errors(FILE *out, const struct strv *errors)
{
	for (size_t i = 0; i < errors->n; i++) {
		char *clean = sanitize_str(errors->v[i]);

		fprintf(out, "%s\n", clean);
		free(clean);
	}
}

/* Load a scenario and replay it; NULL after printing why not. */
static struct train_replay *
load_replay(const struct kb *kb, const char *path, struct train_scenario **scp,
    FILE *errout)
{
	struct strv errors = { 0 };
	struct train_scenario *sc;
	struct train_replay *r = NULL;

	if ((sc = train_load(path, &errors)) != NULL &&
	    (r = train_replay_new(kb, sc, &errors)) == NULL) {
		train_free(sc);
		sc = NULL;
	}
	print_errors(errout, &errors);
	strv_free(&errors);
	*scp = sc;
	return r;
}

static int
train_list_cmd(const struct kb *kb)
{
	const char *dir = train_default_dir();
	struct strv paths = { 0 }, errors = { 0 };
	int bad = 0;

	(void)kb;
	if (train_list(dir, &paths) != 0)
		return cmd_error(EXIT_RUNTIME, "cannot read the training "
		    "directory %s: %s", dir, strerror(errno));
	for (size_t i = 0; i < paths.n; i++) {
		struct train_scenario *sc = train_load(paths.v[i], &errors);
		char *id, *title;

		if (sc == NULL) {
			bad = 1;
			continue;
		}
		id = sanitize_str(sc->id);
		title = sanitize_str(sc->title);
		printf("%-28s %2zu question%s  %s\n", id, sc->nquiz,
		    sc->nquiz == 1 ? " " : "s", title);
		free(id);
		free(title);
		train_free(sc);
	}
	if (paths.n == 0)
		printf("no scenarios in %s\n", dir);
	print_errors(stderr, &errors);
	strv_free(&errors);
	strv_free(&paths);
	return bad ? EXIT_RUNTIME : EXIT_DONE;
}

static int
train_lint_cmd(const struct kb *kb)
{
	const char *dir = train_default_dir();
	struct strv paths = { 0 }, errors = { 0 };
	size_t questions = 0;

	if (train_list(dir, &paths) != 0)
		return cmd_error(EXIT_RUNTIME, "cannot read the training "
		    "directory %s: %s", dir, strerror(errno));
	for (size_t i = 0; i < paths.n; i++) {
		struct train_scenario *sc = train_load(paths.v[i], &errors);
		struct train_replay *r;

		if (sc == NULL)
			continue;
		if ((r = train_replay_new(kb, sc, &errors)) != NULL) {
			train_lint(kb, sc, r, &errors);
			train_replay_free(r);
		}
		questions += sc->nquiz;
		train_free(sc);
	}
	print_errors(stdout, &errors);
	printf("train lint: %zu scenarios, %zu questions: ", paths.n, questions);
	if (errors.n > 0)
		printf("%zu error%s\n", errors.n, errors.n == 1 ? "" : "s");
	else
		printf("ok\n");
	strv_free(&paths);
	if (errors.n > 0) {
		strv_free(&errors);
		return EXIT_RUNTIME;
	}
	return EXIT_DONE;
}

static void
pause_for(double speed)
{
	struct timespec ts;
	double s;

	if (speed <= 0)
		return;
	s = 1.0 / speed;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void
print_line(const struct train_scenario *sc, const struct train_item *it)
{
	char tag[16];
	size_t i;
	const char *layer = layer_name(it->layer);

	for (i = 0; layer[i] != '\0' && i < sizeof tag - 1; i++)
		tag[i] = (char)toupper((unsigned char)layer[i]);
	tag[i] = '\0';
	/* the text is already sanitised by the classifier */
	printf("%c %4llu %-7s %-5s %s\n",
	    sc->nlogs > 1 ? side_name(sc->logs[it->log].side)[0] : ' ',
	    (unsigned long long)it->number, tag,
	    it->noise != NULL ? "noise" : "", it->text);
}

static void
print_clean(const char *prefix, const char *text)
{
	char *clean = sanitize_str(text);

	printf("%s%s\n", prefix, clean);
	free(clean);
}

/* Ask one question; 1 when answered right. */
static int
ask(const struct kb *kb, const struct train_quiz *q, int *eof)
{
	char *line = NULL, *label;
	size_t cap = 0;
	int choice = -1;

	printf("\n");
	print_clean("?? ", q->question);
	for (size_t i = 0; i < q->choices.n; i++) {
		label = train_choice_label(kb, q, i);
		printf("   %zu) ", i + 1);
		print_clean("", label);
		free(label);
	}
	for (int tries = 0; !*eof && choice < 0 && tries < TRAIN_TRIES; tries++) {
		printf("answer> ");
		fflush(stdout);
		if (getline(&line, &cap, stdin) == -1) {
			*eof = 1;
			printf("\n(no answer)\n");
			break;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (!isatty(STDIN_FILENO))	/* keep a piped transcript readable */
			print_clean("", line);
		if ((choice = train_parse_answer(kb, q, line)) < 0)
			printf("not one of the choices: type its number "
			    "(1-%zu)\n", q->choices.n);
	}
	free(line);
	label = train_choice_label(kb, q, q->answer);
	if (choice >= 0 && (size_t)choice == q->answer)
		printf("right.\n");
	else {
		printf("wrong: the answer is %zu) ", q->answer + 1);
		print_clean("", label);
	}
	free(label);
	if (q->explain != NULL)
		print_clean("   ", q->explain);
	printf("\n");
	fflush(stdout);
	return choice >= 0 && (size_t)choice == q->answer;
}

static int
train_batch(const struct kb *kb, const char *name, double speed)
{
	struct train_scenario *sc = NULL;
	struct train_replay *r;
	const struct diagnosis *d;
	char *path = train_find(train_default_dir(), name);
	size_t right = 0, asked = 0;
	int eof = 0;

	r = load_replay(kb, path, &sc, stderr);
	if (r == NULL) {
		cmd_error(0, "scenario %s does not load; `sshdoctor train lint` "
		    "says more", path);
		free(path);
		return EXIT_RUNTIME;
	}
	free(path);
	print_clean("== ", sc->title);
	if (sc->description != NULL)
		print_clean("", sc->description);
	printf("\n");
	for (size_t i = 0; i < train_replay_count(r); i++) {
		const struct train_item *it = train_replay_item(r, i);

		switch (it->kind) {
		case TRAIN_LINE:
			pause_for(speed);
			print_line(sc, it);
			break;
		case TRAIN_NOTE:
			print_clean("                    ", it->text);
			break;
		case TRAIN_QUIZ:
			asked++;
			right += (size_t)ask(kb, &sc->quiz[it->quiz], &eof);
			break;
		}
		fflush(stdout);
	}
	d = train_replay_diagnosis(r);
	if (d->verdict == VERDICT_PROBLEM && d->problem != NULL)
		printf("\nsshdoctor's diagnosis: %s (%s, stage %s)\n",
		    d->problem->title, d->problem->id, d->stage ? d->stage : "?");
	else
		printf("\nsshdoctor's diagnosis: %s\n", verdict_name(d->verdict));
	printf("score: %zu/%zu\n", right, asked);
	train_replay_free(r);
	train_free(sc);
	return EXIT_DONE;
}

int
cmd_train(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "batch", no_argument, NULL, 'b' },
		{ "speed", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, list = 0, batch = 0, rc, tty;
	double speed = 0;
	char *end;
	struct kb *kb;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "lbs:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			list = 1;
			break;
		case 'b':
			batch = 1;
			break;
		case 's':
			errno = 0;
			speed = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    speed < 0 || speed > 1e6)
				return cmd_error(EXIT_USAGE, "train: --speed wants "
				    "lines a second (0: no delay), not '%s'", optarg);
			break;
		case 'h':
			train_usage(stdout);
			return EXIT_DONE;
		default:
			train_usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	/* on a terminal, without a scenario: the TUI's list of them */
	if (argc == 0 && !list && !batch && tty) {
		struct tui_start start;

		if ((kb = cmd_load_kb()) == NULL)
			return EXIT_RUNTIME;
		memset(&start, 0, sizeof start);
		start.screen = TUI_TRAIN;
		rc = tui_main(kb, &start);
		kb_free(kb);
		return rc;
	}
	if (list + (argc > 0) != 1 || argc > 1 || (list && batch)) {
		train_usage(stderr);
		return EXIT_USAGE;
	}
	if (!list && strcmp(argv[0], "lint") == 0 && batch) {
		train_usage(stderr);
		return EXIT_USAGE;
	}
	if ((kb = cmd_load_kb()) == NULL)
		return EXIT_RUNTIME;
	if (list)
		rc = train_list_cmd(kb);
	else if (strcmp(argv[0], "lint") == 0)
		rc = train_lint_cmd(kb);
	else {
		if (!batch && tty) {
			struct tui_start start;

			memset(&start, 0, sizeof start);
			start.screen = TUI_TRAIN;
			start.scenario = argv[0];
			rc = tui_main(kb, &start);
		} else
			rc = train_batch(kb, argv[0], speed);
	}
	kb_free(kb);
	return rc;
}
