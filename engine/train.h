/* train.h: replayed training scenarios with quiz points.
 *
 * A scenario (training/ID.yaml, see training/README.md) names one or more
 * logs, stage annotations placed before or after given lines, and quiz
 * points. train_load() reads and validates one file; train_replay_new()
 * runs its logs through the engine and lays out one list of items (log
 * lines with their layer and noise mark, annotations, questions) that a
 * front end walks by index, forward or back, at whatever speed it likes.
 * train_lint() checks that every question the engine can judge (which
 * stage failed, which problem, which layer, is it noise) expects what the
 * engine itself finds in the log. */
#ifndef SSHD_TRAIN_H
#define SSHD_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "kb.h"
#include "util.h"

enum train_qkind {
	TRAIN_Q_OTHER = 0,	/* free question: not checked by the engine */
	TRAIN_Q_NOISE,		/* "Are these messages important?" yes/no */
	TRAIN_Q_STAGE,		/* "Which stage failed?": the diagnosis' stage */
	TRAIN_Q_STAGE_AT,	/* "Which stage is this line part of?" */
	TRAIN_Q_LAYER,		/* "Which layer does this line belong to?" */
	TRAIN_Q_PROBLEM,	/* "Which problem?" / "Which fix?": problem ids */
};

struct train_log {
	char		*path;		/* as written, or NULL for inline lines */
	char		*resolved;	/* path that was opened */
	struct strv	 lines;		/* inline lines */
	enum side	 side;
	int		 yline;		/* line of the entry in the scenario file */
};

struct train_note {
	size_t		 log;		/* index into logs */
	uint64_t	 line;		/* 1-based line of that log */
	int		 after;		/* 0: before the line, 1: after it */
	char		*text;
	int		 yline;
};

struct train_quiz {
	enum train_qkind kind;
	size_t		 log;
	uint64_t	 after;		/* asked after this line */
	uint64_t	 from;		/* noise: first line of the range (or after) */
	char		*question;
	struct strv	 choices;	/* problem ids for TRAIN_Q_PROBLEM */
	size_t		 answer;	/* 0-based index into choices */
	char		*explain;	/* may be NULL */
	int		 yline;
};

struct train_scenario {
	char		*id;
	char		*file;
	char		*title;
	char		*description;
	struct train_log *logs;
	size_t		 nlogs;
	struct train_note *notes;
	size_t		 nnotes;
	struct train_quiz *quiz;
	size_t		 nquiz;
};

enum train_item_kind { TRAIN_LINE = 0, TRAIN_NOTE, TRAIN_QUIZ };

struct train_item {
	enum train_item_kind kind;
	size_t		 log;
	uint64_t	 number;	/* line number in its log */
	enum side	 side;		/* resolved by the classifier */
	int		 layer;		/* enum layer */
	int		 stage;		/* ladder stage under way, or -1 */
	int		 flags;		/* CLINE_* */
	char		*text;		/* sanitised line, or the note's text */
	const char	*noise;		/* noise reason (KB-owned), or NULL */
	size_t		 quiz;		/* index into scenario->quiz */
};

struct train_replay;
struct diagnosis;

/* Where the scenarios are: $SSHDOCTOR_TRAINING, else a training/ beside the
 * program (walking up from it), else the installed one. */
const char *train_default_dir(void);
/* Load and validate one scenario file; NULL with "file:line: reason" lines
 * in errors. */
struct train_scenario *train_load(const char *path, struct strv *errors);
void train_free(struct train_scenario *sc);
/* The scenario files of a directory (sorted full paths). -1 if unreadable. */
int train_list(const char *dir, struct strv *paths);
/* A scenario by id (file ID.yaml in dir) or by path: the path to load. */
char *train_find(const char *dir, const char *name);

/* Replay a scenario's logs through the engine; NULL with errors (a log
 * that cannot be read, a note or question on a line the log lacks). */
struct train_replay *train_replay_new(const struct kb *kb,
    const struct train_scenario *sc, struct strv *errors);
void train_replay_free(struct train_replay *r);
size_t train_replay_count(const struct train_replay *r);
/* Item i (0 <= i < count), or NULL past the end. */
const struct train_item *train_replay_item(const struct train_replay *r,
    size_t i);
/* The engine's diagnosis of the scenario's logs taken together. */
const struct diagnosis *train_replay_diagnosis(const struct train_replay *r);

/* Check each question against the replay; one "file:line: reason" error
 * per disagreement; returns how many were added. */
size_t train_lint(const struct kb *kb, const struct train_scenario *sc,
    const struct train_replay *r, struct strv *errors);

/* What the trainee typed: a choice number (1-based, as shown) or a choice's
 * text (or for a problem, its title), case and blanks ignored. Returns the
 * 0-based choice, or -1 when the input names none. */
int train_parse_answer(const struct kb *kb, const struct train_quiz *q,
    const char *input);
/* The text to show for choice i (a problem's title and id). */
char *train_choice_label(const struct kb *kb, const struct train_quiz *q,
    size_t i);
const char *train_qkind_name(enum train_qkind k);

#endif
