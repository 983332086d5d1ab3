/* train.c: training scenarios: load, replay through the engine, lint. */
#include "train.h"
#include "ydoc.h"

#include "classify.h"
#include "diagnose.h"
#include "reader.h"
#include "session.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

struct train_replay {
	const struct train_scenario *sc;
	struct session	*session;
	struct train_item *items;
	size_t		 nitems;
	uint64_t	*nlines;	/* lines per log */
};

static const char *const qkind_names[] = {
	[TRAIN_Q_OTHER] = "other",
	[TRAIN_Q_NOISE] = "noise",
	[TRAIN_Q_STAGE] = "stage",
	[TRAIN_Q_STAGE_AT] = "stage-at",
	[TRAIN_Q_LAYER] = "layer",
	[TRAIN_Q_PROBLEM] = "problem",
};

/* The question asked when the scenario gives none, per kind. */
static const char *const qkind_default[] = {
	[TRAIN_Q_OTHER] = NULL,
	[TRAIN_Q_NOISE] = "Are these messages important?",
	[TRAIN_Q_STAGE] = "Which stage failed?",
	[TRAIN_Q_STAGE_AT] = "Which stage of the connection is this line part of?",
	[TRAIN_Q_LAYER] = "Which layer does this line belong to?",
	[TRAIN_Q_PROBLEM] = "Which problem is this?",
};

const char *
train_qkind_name(enum train_qkind k)
{
	return (size_t)k < sizeof qkind_names / sizeof qkind_names[0] ?
	    qkind_names[k] : "?";
}

const char *
train_default_dir(void)
{
	static char found[PATH_MAX + 32];

	return data_dir_find("SSHDOCTOR_TRAINING", "training", NULL, found,
	    sizeof found);
}

/* ---- YAML helpers ---- */

struct tloader {
	struct ydoc	 y;
};

/* A positive line number; 0 when absent, after an error when invalid. */
static uint64_t
tline(struct tloader *l, yaml_node_t *map, const char *key)
{
	yaml_node_t *n = ydoc_get(&l->y, map, key);
	const char *s = ydoc_scalar(n);
	char *end;
	unsigned long long v;

	if (n == NULL)
		return 0;
	if (s == NULL || !isdigit((unsigned char)*s)) {
		ydoc_err(&l->y, n, "'%s' must be a line number", key);
		return 0;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || v == 0 || errno != 0) {
		ydoc_err(&l->y, n, "'%s' must be a line number from 1", key);
		return 0;
	}
	return v;
}

static int
ymark(yaml_node_t *n)
{
	return n != NULL ? (int)n->start_mark.line + 1 : 1;
}

/* ---- loading ---- */

/* Relative log paths: from the directory holding training/ (the repository
 * or the install prefix), else from the scenario's own directory. */
static char *
resolve_path(const char *scenario, const char *path)
{
	char dir[PATH_MAX], *slash, *p;

	if (path[0] == '/')
		return xstrdup(path);
	if (realpath(scenario, dir) == NULL)
		snprintf(dir, sizeof dir, "%s", scenario);
	if ((slash = strrchr(dir, '/')) == NULL)
		return xstrdup(path);
	*slash = '\0';				/* the scenario's directory */
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';			/* its parent */
		p = xasprintf("%s/%s", *dir != '\0' ? dir : "", path);
		*slash = '/';
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	return xasprintf("%s/%s", dir, path);
}

static void
load_log(struct tloader *l, struct train_scenario *sc, yaml_node_t *m)
{
	static const char *const keys[] = { "side", "path", "lines", NULL };
	struct train_log *lg;
	char *side;

	if (m == NULL || m->type != YAML_MAPPING_NODE) {
		ydoc_err(&l->y, m, "a log must be a mapping with side and path or lines");
		return;
	}
	ydoc_check_keys(&l->y, m, keys);
	sc->logs = xreallocarray(sc->logs, sc->nlogs + 1, sizeof *sc->logs);
	lg = &sc->logs[sc->nlogs++];
	memset(lg, 0, sizeof *lg);
	lg->yline = ymark(m);
	side = ydoc_str(&l->y, m, "side", 0);
	if (side == NULL || strcmp(side, "any") == 0)
		lg->side = SIDE_ANY;
	else if (strcmp(side, "client") == 0)
		lg->side = SIDE_CLIENT;
	else if (strcmp(side, "server") == 0)
		lg->side = SIDE_SERVER;
	else
		ydoc_err(&l->y, ydoc_get(&l->y, m, "side"), "side must be client, server or any");
	free(side);
	lg->path = ydoc_str(&l->y, m, "path", 0);
	ydoc_strv(&l->y, ydoc_get(&l->y, m, "lines"), "lines", 0, &lg->lines);
	if (lg->path == NULL && ydoc_get(&l->y, m, "lines") == NULL)
		ydoc_err(&l->y, m, "a log needs 'path' or 'lines'");
	else if (lg->path != NULL && ydoc_get(&l->y, m, "lines") != NULL)
		ydoc_err(&l->y, m, "a log has 'path' or 'lines', not both");
	if (lg->path != NULL)
		lg->resolved = resolve_path(sc->file, lg->path);
}

/* 'log:' is a 1-based index or a side name held by exactly one log. */
static size_t
load_logref(struct tloader *l, const struct train_scenario *sc, yaml_node_t *m)
{
	yaml_node_t *n = ydoc_get(&l->y, m, "log");
	const char *s = ydoc_scalar(n);
	size_t found = 0, count = 0;
	char *end;
	long v;

	if (n == NULL)
		return 0;
	if (s == NULL) {
		ydoc_err(&l->y, n, "'log' must be a number or a side");
		return 0;
	}
	v = strtol(s, &end, 10);
	if (*s != '\0' && *end == '\0') {
		if (v < 1 || (size_t)v > sc->nlogs) {
			ydoc_err(&l->y, n, "log %ld: the scenario has %zu log(s)", v, sc->nlogs);
			return 0;
		}
		return (size_t)v - 1;
	}
	for (size_t i = 0; i < sc->nlogs; i++)
		if (strcmp(side_name(sc->logs[i].side), s) == 0) {
			found = i;
			count++;
		}
	if (count != 1)
		ydoc_err(&l->y, n, "log '%s' names %s", s, count == 0 ?
		    "no log of the scenario" : "more than one log: use a number");
	return found;
}

static void
load_note(struct tloader *l, struct train_scenario *sc, yaml_node_t *m)
{
	static const char *const keys[] = { "log", "before", "after", "text", NULL };
	struct train_note *nt;
	uint64_t before, after;

	if (m == NULL || m->type != YAML_MAPPING_NODE) {
		ydoc_err(&l->y, m, "an annotation must be a mapping {before: LINE, text: …}");
		return;
	}
	ydoc_check_keys(&l->y, m, keys);
	sc->notes = xreallocarray(sc->notes, sc->nnotes + 1, sizeof *sc->notes);
	nt = &sc->notes[sc->nnotes++];
	memset(nt, 0, sizeof *nt);
	nt->yline = ymark(m);
	nt->log = load_logref(l, sc, m);
	before = tline(l, m, "before");
	after = tline(l, m, "after");
	if (ydoc_get(&l->y, m, "before") == NULL && ydoc_get(&l->y, m, "after") == NULL)
		ydoc_err(&l->y, m, "an annotation needs 'before' or 'after'");
	else if (ydoc_get(&l->y, m, "before") != NULL && ydoc_get(&l->y, m, "after") != NULL)
		ydoc_err(&l->y, m, "an annotation has 'before' or 'after', not both");
	nt->line = before != 0 ? before : after;
	nt->after = before == 0;
	nt->text = ydoc_str(&l->y, m, "text", 1);
}

static int
parse_kind(const char *s)
{
	for (size_t i = 0; i < sizeof qkind_names / sizeof qkind_names[0]; i++)
		if (strcmp(qkind_names[i], s) == 0)
			return (int)i;
	if (strcmp(s, "fix") == 0)
		return TRAIN_Q_PROBLEM;
	return -1;
}

static int
same_text(const char *a, const char *b)
{
	while (isspace((unsigned char)*a))
		a++;
	while (isspace((unsigned char)*b))
		b++;
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			break;
	while (isspace((unsigned char)*a))
		a++;
	while (isspace((unsigned char)*b))
		b++;
	return *a == '\0' && *b == '\0';
}

/* A choice by its text, else by its number from 1; -1 if neither. */
static int
choice_of(const struct strv *choices, const char *s)
{
	char *end;
	long v;

	for (size_t i = 0; i < choices->n; i++)
		if (same_text(choices->v[i], s))
			return (int)i;
	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0' || v < 1 || (size_t)v > choices->n)
		return -1;
	return (int)v - 1;
}

static void
load_quiz(struct tloader *l, struct train_scenario *sc, yaml_node_t *m)
{
	static const char *const keys[] = { "kind", "log", "after", "from",
	    "question", "choices", "answer", "explain", NULL };
	struct train_quiz *q;
	char *kind, *answer;
	int k, c, is_fix;

	if (m == NULL || m->type != YAML_MAPPING_NODE) {
		ydoc_err(&l->y, m, "a quiz point must be a mapping");
		return;
	}
	ydoc_check_keys(&l->y, m, keys);
	sc->quiz = xreallocarray(sc->quiz, sc->nquiz + 1, sizeof *sc->quiz);
	q = &sc->quiz[sc->nquiz++];
	memset(q, 0, sizeof *q);
	q->yline = ymark(m);
	kind = ydoc_str(&l->y, m, "kind", 0);
	is_fix = kind != NULL && strcmp(kind, "fix") == 0;
	if (kind == NULL)
		q->kind = TRAIN_Q_OTHER;
	else if ((k = parse_kind(kind)) < 0) {
		ydoc_err(&l->y, ydoc_get(&l->y, m, "kind"), "unknown kind '%s' (noise, stage, "
		    "stage-at, layer, problem, fix, other)", kind);
		free(kind);
		return;
	} else
		q->kind = (enum train_qkind)k;
	free(kind);
	q->log = load_logref(l, sc, m);
	if ((q->after = tline(l, m, "after")) == 0 && ydoc_get(&l->y, m, "after") == NULL)
		ydoc_err(&l->y, m, "a quiz point needs 'after: LINE'");
	q->from = tline(l, m, "from");
	if (q->from == 0)
		q->from = q->after;
	else if (q->from > q->after)
		ydoc_err(&l->y, ydoc_get(&l->y, m, "from"), "'from' is after 'after'");
	q->question = ydoc_str(&l->y, m, "question", qkind_default[q->kind] == NULL);
	if (q->question == NULL && is_fix)
		q->question = xstrdup("Which fix?");
	else if (q->question == NULL && qkind_default[q->kind] != NULL)
		q->question = xstrdup(qkind_default[q->kind]);
	ydoc_strv(&l->y, ydoc_get(&l->y, m, "choices"), "choices", 0, &q->choices);
	if (ydoc_get(&l->y, m, "choices") == NULL) {
		switch (q->kind) {
		case TRAIN_Q_NOISE:
			strv_add(&q->choices, "yes");
			strv_add(&q->choices, "no");
			break;
		case TRAIN_Q_STAGE:
		case TRAIN_Q_STAGE_AT:
			for (int s = 0; s < STAGE_COUNT; s++)
				strv_add(&q->choices, stage_name(s));
			break;
		case TRAIN_Q_LAYER:
			for (int s = 0; s < LAYER_COUNT; s++)
				strv_add(&q->choices, layer_name(s));
			break;
		default:
			ydoc_err(&l->y, m, "'%s' questions need 'choices'",
			    train_qkind_name(q->kind));
		}
	}
	if (q->choices.n > 0 && q->choices.n < 2)
		ydoc_err(&l->y, ydoc_get(&l->y, m, "choices"), "a question needs two choices or more");
	q->explain = ydoc_str(&l->y, m, "explain", 0);
	if ((answer = ydoc_str(&l->y, m, "answer", 1)) != NULL && q->choices.n > 0) {
		if ((c = choice_of(&q->choices, answer)) < 0)
			ydoc_err(&l->y, ydoc_get(&l->y, m, "answer"), "answer '%s' is none of the "
			    "choices (give its text or its number from 1)", answer);
		else
			q->answer = (size_t)c;
	}
	free(answer);
}

static void
load_list(struct tloader *l, struct train_scenario *sc, yaml_node_t *root,
    const char *key, int required,
    void (*one)(struct tloader *, struct train_scenario *, yaml_node_t *))
{
	yaml_node_t *seq = ydoc_get(&l->y, root, key);

	if (seq == NULL) {
		if (required)
			ydoc_err(&l->y, root, "missing '%s'", key);
		return;
	}
	if (seq->type != YAML_SEQUENCE_NODE) {
		ydoc_err(&l->y, seq, "'%s' must be a list", key);
		return;
	}
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	    it < seq->data.sequence.items.top; it++)
		one(l, sc, ydoc_node(&l->y, *it));
}

struct train_scenario *
train_load(const char *path, struct strv *errors)
{
	static const char *const keys[] = { "id", "title", "description",
	    "logs", "annotations", "quiz", NULL };
	struct train_scenario *sc;
	struct tloader l;
	yaml_node_t *root;
	const char *base;
	size_t n;

	if (ydoc_open(&l.y, path, errors) != 0) {
		ydoc_close(&l.y);
		return NULL;
	}
	sc = xcalloc(1, sizeof *sc);
	sc->file = xstrdup(path);
	root = ydoc_root(&l.y);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		ydoc_err(&l.y, root, "a scenario must be a mapping (id, title, logs, …)");
		goto out;
	}
	ydoc_check_keys(&l.y, root, keys);
	sc->id = ydoc_str(&l.y, root, "id", 1);
	sc->title = ydoc_str(&l.y, root, "title", 1);
	sc->description = ydoc_str(&l.y, root, "description", 0);
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (sc->id != NULL && (n < 5 || strcmp(base + n - 5, ".yaml") != 0 ||
	    strlen(sc->id) != n - 5 || strncmp(sc->id, base, n - 5) != 0))
		ydoc_err(&l.y, ydoc_get(&l.y, root, "id"), "id '%s' does not match the file "
		    "name", sc->id);
	load_list(&l, sc, root, "logs", 1, load_log);
	if (sc->nlogs == 0 && ydoc_get(&l.y, root, "logs") != NULL)
		ydoc_err(&l.y, ydoc_get(&l.y, root, "logs"), "'logs' is empty");
	load_list(&l, sc, root, "annotations", 0, load_note);
	load_list(&l, sc, root, "quiz", 0, load_quiz);
out:
	ydoc_close(&l.y);
	if (l.y.nerr > 0) {
		train_free(sc);
		return NULL;
	}
	return sc;
}

void
train_free(struct train_scenario *sc)
{
	if (sc == NULL)
		return;
	for (size_t i = 0; i < sc->nlogs; i++) {
		free(sc->logs[i].path);
		free(sc->logs[i].resolved);
		strv_free(&sc->logs[i].lines);
	}
	for (size_t i = 0; i < sc->nnotes; i++)
		free(sc->notes[i].text);
	for (size_t i = 0; i < sc->nquiz; i++) {
		free(sc->quiz[i].question);
		strv_free(&sc->quiz[i].choices);
		free(sc->quiz[i].explain);
	}
	free(sc->logs);
	free(sc->notes);
	free(sc->quiz);
	free(sc->id);
	free(sc->file);
	free(sc->title);
	free(sc->description);
	free(sc);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
train_list(const char *dir, struct strv *paths)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = paths->n, n;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (e->d_name[0] != '.' && n > 5 &&
		    strcmp(e->d_name + n - 5, ".yaml") == 0)
			strv_addn(paths, xasprintf("%s/%s", dir, e->d_name));
	}
	closedir(d);
	qsort(paths->v + first, paths->n - first, sizeof *paths->v, cmp_str);
	return 0;
}

char *
train_find(const char *dir, const char *name)
{
	size_t n = strlen(name);

	if (strchr(name, '/') != NULL ||
	    (n > 5 && strcmp(name + n - 5, ".yaml") == 0))
		return xstrdup(name);
	return xasprintf("%s/%s.yaml", dir, name);
}

/* ---- replay ---- */

static struct train_item *
item_new(struct train_replay *r, enum train_item_kind kind, size_t log,
    uint64_t number)
{
	struct train_item *it;

	r->items = xreallocarray(r->items, r->nitems + 1, sizeof *r->items);
	it = &r->items[r->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->log = log;
	it->number = number;
	it->stage = -1;
	it->layer = LAYER_OTHER;
	return it;
}

static void
add_notes(struct train_replay *r, size_t log, uint64_t number, int after)
{
	const struct train_scenario *sc = r->sc;

	for (size_t i = 0; i < sc->nnotes; i++)
		if (sc->notes[i].log == log && sc->notes[i].line == number &&
		    sc->notes[i].after == after)
			item_new(r, TRAIN_NOTE, log, number)->text =
			    xstrdup(sc->notes[i].text);
}

static void
add_quiz(struct train_replay *r, size_t log, uint64_t number)
{
	for (size_t i = 0; i < r->sc->nquiz; i++)
		if (r->sc->quiz[i].log == log && r->sc->quiz[i].after == number)
			item_new(r, TRAIN_QUIZ, log, number)->quiz = i;
}

static int
replay_log(struct train_replay *r, size_t log, struct strv *errors)
{
	const struct train_log *lg = &r->sc->logs[log];
	struct reader_line rl;
	struct reader *rd;
	struct buf mem;
	int fd = -1, rc, stage = -1;

	buf_init(&mem);
	if (lg->resolved != NULL) {
		if ((fd = open(lg->resolved, O_RDONLY | O_CLOEXEC)) == -1) {
			strv_addn(errors, xasprintf("%s:%d: cannot read log %s: %s",
			    r->sc->file, lg->yline, lg->resolved, strerror(errno)));
			return -1;
		}
		rd = reader_open_fd(fd, 0);
	} else {
		for (size_t i = 0; i < lg->lines.n; i++) {
			buf_adds(&mem, lg->lines.v[i]);
			buf_addc(&mem, '\n');
		}
		rd = reader_open_mem(mem.data != NULL ? mem.data : "", mem.len, 0);
	}
	while ((rc = reader_next(rd, &rl)) == 1) {
		const struct cline *cl = session_feed(r->session, (int)log,
		    lg->side, &rl, -1);
		struct train_item *it;

		for (size_t e = 0; e < cl->nevents; e++)
			if (cl->events[e] >= 0 && cl->events[e] < EVENT_SESSION_END)
				stage = cl->events[e] / 2;
		add_notes(r, log, rl.number, 0);
		it = item_new(r, TRAIN_LINE, log, rl.number);
		it->side = cl->side;
		it->layer = cl->layer;
		it->stage = stage;
		it->flags = cl->flags;
		it->text = xstrndup(cl->text, cl->len);
		it->noise = (cl->flags & CLINE_NOISE) ? cl->noise : NULL;
		add_notes(r, log, rl.number, 1);
		add_quiz(r, log, rl.number);
		r->nlines[log] = rl.number;
	}
	if (rc < 0)
		strv_addn(errors, xasprintf("%s:%d: error reading log %s: %s",
		    r->sc->file, lg->yline, lg->resolved, strerror(errno)));
	reader_close(rd);
	if (fd != -1)
		close(fd);
	buf_free(&mem);
	return rc < 0 ? -1 : 0;
}

struct train_replay *
train_replay_new(const struct kb *kb, const struct train_scenario *sc,
    struct strv *errors)
{
	struct train_replay *r = xcalloc(1, sizeof *r);
	size_t before = errors->n;

	r->sc = sc;
	r->session = session_new(kb, NULL);
	r->nlines = xcalloc(sc->nlogs + 1, sizeof *r->nlines);
	for (size_t i = 0; i < sc->nlogs; i++)
		if (replay_log(r, i, errors) != 0)
			break;
	session_finish(r->session);
	if (errors->n == before) {
		for (size_t i = 0; i < sc->nnotes; i++)
			if (sc->notes[i].line > r->nlines[sc->notes[i].log])
				strv_addn(errors, xasprintf("%s:%d: annotation on "
				    "line %llu, but log %zu has %llu lines", sc->file,
				    sc->notes[i].yline,
				    (unsigned long long)sc->notes[i].line,
				    sc->notes[i].log + 1,
				    (unsigned long long)r->nlines[sc->notes[i].log]));
		for (size_t i = 0; i < sc->nquiz; i++)
			if (sc->quiz[i].after > r->nlines[sc->quiz[i].log])
				strv_addn(errors, xasprintf("%s:%d: quiz point after "
				    "line %llu, but log %zu has %llu lines", sc->file,
				    sc->quiz[i].yline,
				    (unsigned long long)sc->quiz[i].after,
				    sc->quiz[i].log + 1,
				    (unsigned long long)r->nlines[sc->quiz[i].log]));
	}
	if (errors->n != before) {
		train_replay_free(r);
		return NULL;
	}
	return r;
}

void
train_replay_free(struct train_replay *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nitems; i++)
		free(r->items[i].text);
	free(r->items);
	free(r->nlines);
	session_free(r->session);
	free(r);
}

size_t
train_replay_count(const struct train_replay *r)
{
	return r->nitems;
}

const struct train_item *
train_replay_item(const struct train_replay *r, size_t i)
{
	return i < r->nitems ? &r->items[i] : NULL;
}

const struct diagnosis *
train_replay_diagnosis(const struct train_replay *r)
{
	return session_diagnosis(r->session);
}

/* ---- lint and answers ---- */

static const struct train_item *
line_item(const struct train_replay *r, size_t log, uint64_t number)
{
	for (size_t i = 0; i < r->nitems; i++)
		if (r->items[i].kind == TRAIN_LINE && r->items[i].log == log &&
		    r->items[i].number == number)
			return &r->items[i];
	return NULL;
}

static void PRINTFLIKE(4, 5)
lint_err(struct strv *errors, const struct train_scenario *sc,
    const struct train_quiz *q, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	buf_addf(&b, "%s:%d: ", sc->file, q->yline);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	strv_addn(errors, buf_steal(&b));
}

/* The choice whose text is want (case ignored), or -1. */
static int
find_choice(const struct train_quiz *q, const char *want)
{
	for (size_t i = 0; i < q->choices.n; i++)
		if (same_text(q->choices.v[i], want))
			return (int)i;
	return -1;
}

static void
lint_expect(struct strv *errors, const struct train_scenario *sc,
    const struct train_quiz *q, const char *want, const char *why)
{
	int c = find_choice(q, want);

	if (c < 0)
		lint_err(errors, sc, q, "the engine says '%s' (%s), which is "
		    "none of the choices", want, why);
	else if ((size_t)c != q->answer)
		lint_err(errors, sc, q, "the answer is '%s' but the engine says "
		    "'%s' (%s)", q->choices.v[q->answer], want, why);
}

size_t
train_lint(const struct kb *kb, const struct train_scenario *sc,
    const struct train_replay *r, struct strv *errors)
{
	const struct diagnosis *d = train_replay_diagnosis(r);
	size_t before = errors->n;

	for (size_t i = 0; i < sc->nquiz; i++) {
		const struct train_quiz *q = &sc->quiz[i];
		const struct train_item *it = line_item(r, q->log, q->after);
		uint64_t noise = 0, total = 0;

		switch (q->kind) {
		case TRAIN_Q_OTHER:
			break;
		case TRAIN_Q_NOISE:
			for (uint64_t n = q->from; n <= q->after; n++) {
				const struct train_item *li = line_item(r, q->log, n);

				total++;
				if (li != NULL && (li->flags & CLINE_NOISE))
					noise++;
			}
			if (noise != 0 && noise != total)
				lint_err(errors, sc, q, "lines %llu-%llu mix noise "
				    "(%llu) and lines that matter: narrow 'from'",
				    (unsigned long long)q->from,
				    (unsigned long long)q->after,
				    (unsigned long long)noise);
			else
				lint_expect(errors, sc, q, noise ? "no" : "yes",
				    noise ? "the engine folds these lines as noise" :
				    "the engine does not count these lines as noise");
			break;
		case TRAIN_Q_STAGE:
			if (d->verdict != VERDICT_PROBLEM || d->stage == NULL)
				lint_err(errors, sc, q, "the engine finds no failed "
				    "stage in these logs (verdict %s)",
				    verdict_name(d->verdict));
			else
				lint_expect(errors, sc, q, d->stage, "its diagnosis");
			break;
		case TRAIN_Q_STAGE_AT:
			if (it == NULL || it->stage < 0)
				lint_err(errors, sc, q, "no stage has started at "
				    "line %llu", (unsigned long long)q->after);
			else
				lint_expect(errors, sc, q, stage_name(it->stage),
				    "the ladder at that line");
			break;
		case TRAIN_Q_LAYER:
			if (it != NULL)
				lint_expect(errors, sc, q, layer_name(it->layer),
				    "its classification of the line");
			break;
		case TRAIN_Q_PROBLEM:
			for (size_t c = 0; c < q->choices.n; c++)
				if (kb_problem(kb, q->choices.v[c]) == NULL)
					lint_err(errors, sc, q, "choice '%s' is not a "
					    "problem id of the KB", q->choices.v[c]);
			if (d->verdict != VERDICT_PROBLEM || d->problem == NULL)
				lint_err(errors, sc, q, "the engine names no problem "
				    "for these logs (verdict %s)",
				    verdict_name(d->verdict));
			else
				lint_expect(errors, sc, q, d->problem->id,
				    "its diagnosis");
			break;
		}
	}
	return errors->n - before;
}

char *
train_choice_label(const struct kb *kb, const struct train_quiz *q, size_t i)
{
	const struct kb_problem *p;

	if (i >= q->choices.n)
		return xstrdup("?");
	if (q->kind == TRAIN_Q_PROBLEM && kb != NULL &&
	    (p = kb_problem(kb, q->choices.v[i])) != NULL && p->title != NULL)
		return xasprintf("%s (%s)", p->title, p->id);
	return xstrdup(q->choices.v[i]);
}

int
train_parse_answer(const struct kb *kb, const struct train_quiz *q,
    const char *input)
{
	const struct kb_problem *p;
	int c;

	if ((c = choice_of(&q->choices, input)) >= 0)
		return c;
	if (q->kind != TRAIN_Q_PROBLEM || kb == NULL)
		return -1;
	for (size_t i = 0; i < q->choices.n; i++)
		if ((p = kb_problem(kb, q->choices.v[i])) != NULL &&
		    p->title != NULL && same_text(p->title, input))
			return (int)i;
	return -1;
}
