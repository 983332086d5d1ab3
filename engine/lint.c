/* lint.c: every rule proves itself on its own samples. */
#include "lint.h"
#include "match.h"
#include "prefix.h"
#include "sanitize.h"
#include "template.h"
#include "util.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define TREE_DEPTH_MAX	32

static void PRINTFLIKE(2, 3)
add(struct strv *sv, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (b.data != NULL && strv_has(sv, b.data))
		buf_free(&b);	/* one path or another: say it once */
	else
		strv_addn(sv, buf_steal(&b));
}

/* Take a sample line through the same path a log line takes. */
static int
sample_matches(struct prefix_parser *pp, const struct kb_rule *r,
    const char *sample, int *literal_ok)
{
	struct line_prefix px;
	char *clean = sanitize_str(sample);
	const char *msg;
	int m;

	prefix_parse(pp, clean, strlen(clean), &px);
	msg = clean + px.msg_off;
	m = match_rule(r, msg, px.msg_len);
	*literal_ok = r->literals.n == 0;
	for (size_t i = 0; i < r->literals.n; i++) {
		size_t n = strlen(r->literals.v[i]);

		for (size_t j = 0; j + n <= px.msg_len; j++)
			if (strncasecmp(msg + j, r->literals.v[i], n) == 0) {
				*literal_ok = 1;
				break;
			}
	}
	free(clean);
	return m;
}

static void
lint_rule(const struct kb_rule *r, struct prefix_parser *pp,
    struct strv *errors, struct strv *notes)
{
	int lit;

	if (r->re == NULL)
		return;	/* already reported by the loader */
	if (r->samples.n == 0)
		add(errors, "%s:%d: rule '%s' has no samples", r->file, r->line, r->name);
	if (r->near_misses.n == 0)
		add(errors, "%s:%d: rule '%s' has no near_misses", r->file, r->line, r->name);
	if (r->literals.n == 0)
		add(notes, "%s:%d: rule '%s' has no literal: it runs on every line "
		    "(give literal:)", r->file, r->line, r->name);
	for (size_t i = 0; i < r->samples.n; i++) {
		if (!sample_matches(pp, r, r->samples.v[i], &lit))
			add(errors, "%s:%d: rule '%s': sample does not match: %s",
			    r->file, r->line, r->name, r->samples.v[i]);
		else if (!lit)
			add(errors, "%s:%d: rule '%s': literal '%s' is not in the "
			    "sample (the prefilter would skip it): %s", r->file,
			    r->line, r->name, r->literals.v[0], r->samples.v[i]);
	}
	for (size_t i = 0; i < r->near_misses.n; i++)
		if (sample_matches(pp, r, r->near_misses.v[i], &lit))
			add(errors, "%s:%d: rule '%s': near miss matches: %s",
			    r->file, r->line, r->name, r->near_misses.v[i]);
}

static void
lint_templates(const struct kb_problem *p, const struct strv *sv,
    struct strv *errors)
{
	for (size_t i = 0; i < sv->n; i++) {
		char *why = NULL;

		if (template_check(sv->v[i], &why) != 0) {
			add(errors, "%s: %s: %s in: %s", p->file, p->id, why, sv->v[i]);
			free(why);
		}
	}
}

static void
lint_problem(const struct kb *kb, size_t idx, struct strv *errors,
    const struct strv *leaves)
{
	const struct kb_problem *p = &kb->problems[idx];
	int decisive = 0;
	char *why = NULL;

	for (size_t i = 0; i < kb->nrules; i++)
		if (kb->rules[i].problem == (int)idx &&
		    kb->rules[i].role == ROLE_DECISIVE)
			decisive = 1;
	if (!decisive && !strv_has(leaves, p->id) && strcmp(p->id, "slow-login") != 0)
		add(errors, "%s: %s: no decisive signature and no tree leaf: "
		    "nothing can ever name it", p->file, p->id);
	if (p->fix.n == 0 && strcmp(p->id, "success") != 0)
		add(errors, "%s: %s: no fix steps", p->file, p->id);
	if (p->explanation != NULL && template_check(p->explanation, &why) != 0) {
		add(errors, "%s: %s: explanation: %s", p->file, p->id, why);
		free(why);
	}
	lint_templates(p, &p->fix, errors);
	lint_templates(p, &p->commands, errors);
}

/* Every path from a symptom must end in a leaf whose problem has a fix, or
 * in a node that says what to collect. */
static void
lint_walk(const struct kb *kb, const struct kb_node *n, const char *from,
    int depth, struct strv *errors, struct strv *leaves)
{
	if (depth > TREE_DEPTH_MAX) {
		add(errors, "%s/tree.yaml: node '%s': path too deep (a cycle?)",
		    kb->dir, n->id);
		return;
	}
	if (n->leaf != NULL) {
		const struct kb_problem *p = kb_problem(kb, n->leaf);

		if (p == NULL)
			add(errors, "%s/tree.yaml:%d: node '%s': no problem '%s'",
			    kb->dir, n->line, n->id, n->leaf);
		else if (p->fix.n == 0)
			add(errors, "%s/tree.yaml:%d: node '%s': problem '%s' has no fix",
			    kb->dir, n->line, n->id, n->leaf);
		if (!strv_has(leaves, n->leaf))
			strv_add(leaves, n->leaf);
		return;
	}
	if (n->nanswers == 0 && n->collect.n == 0)
		add(errors, "%s/tree.yaml:%d: node '%s' (from %s) ends without a "
		    "leaf or a collect list", kb->dir, n->line, n->id, from);
	for (size_t i = 0; i < n->nanswers; i++) {
		const struct kb_node *next = kb_node(kb, n->answers[i].next);

		if (next == NULL) {
			add(errors, "%s/tree.yaml:%d: node '%s': answer '%s' goes to "
			    "unknown node '%s'", kb->dir, n->line, n->id,
			    n->answers[i].key, n->answers[i].next);
			continue;
		}
		lint_walk(kb, next, n->id, depth + 1, errors, leaves);
	}
}

/* Problem ids named as "problem" in the fixtures' expect.json files. */
static void
fixture_problems(const char *dir, struct strv *ids, struct strv *errors)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char *path;
		json_t *root, *cases, *c;
		json_error_t err;
		const char *key;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s/expect.json", dir, de->d_name);
		root = json_load_file(path, 0, &err);
		if (root == NULL) {
			if (access(path, F_OK) == 0)
				add(errors, "%s:%d: %s", path, err.line, err.text);
			free(path);
			continue;
		}
		cases = json_object_get(root, "cases");
		json_object_foreach(cases, key, c) {
			const char *id = json_string_value(json_object_get(c, "problem"));
			const char *v = json_string_value(json_object_get(c, "verdict"));

			if (id == NULL && v != NULL && strcmp(v, "ok") == 0)
				id = "success";
			if (id != NULL && !strv_has(ids, id))
				strv_add(ids, id);
		}
		json_decref(root);
		free(path);
	}
	closedir(d);
}

size_t
kb_lint(const struct kb *kb, const char *fixtures_dir, struct strv *errors,
    struct strv *notes)
{
	struct prefix_parser *pp = prefix_parser_new();
	struct strv leaves = { 0 }, fixtures = { 0 };
	size_t before = errors->n;

	for (size_t i = 0; i < kb->nrules; i++)
		lint_rule(&kb->rules[i], pp, errors, notes);
	for (size_t i = 0; i < kb->nsymptoms; i++) {
		const struct kb_node *root = kb_node(kb, kb->symptoms[i].root);

		if (root != NULL)
			lint_walk(kb, root, kb->symptoms[i].name, 0, errors, &leaves);
	}
	for (size_t i = 0; i < kb->nproblems; i++)
		lint_problem(kb, i, errors, &leaves);
	if (fixtures_dir != NULL) {
		fixture_problems(fixtures_dir, &fixtures, errors);
		for (size_t i = 0; i < kb->nproblems; i++)
			if (!strv_has(&fixtures, kb->problems[i].id))
				add(errors, "%s: %s: no fixture in %s names it",
				    kb->problems[i].file, kb->problems[i].id,
				    fixtures_dir);
	} else
		add(notes, "fixtures not found: the fixture check was skipped");
	strv_free(&leaves);
	strv_free(&fixtures);
	prefix_parser_free(pp);
	return errors->n - before;
}
