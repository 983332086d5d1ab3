/* kb.c: load kb/ with libyaml's document API, check the schema as we go,
 * compile every pattern once (PCRE2, JIT) and build the matcher. */
#include "kb.h"
#include "match.h"
#include "ydoc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <yaml.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static const char *layer_names[LAYER_COUNT] = {
	"tcp", "version", "kex", "hostkey", "auth", "conn", "sftp", "local", "other"
};
static const char *stage_names[STAGE_COUNT] = {
	"tcp", "version", "kex", "hostkey", "auth", "conn", "sftp"
};

const char *
layer_name(int layer)
{
	return layer >= 0 && layer < LAYER_COUNT ? layer_names[layer] : "other";
}

int
layer_from_name(const char *name)
{
	for (int i = 0; i < LAYER_COUNT; i++)
		if (strcmp(layer_names[i], name) == 0)
			return i;
	return -1;
}

const char *
stage_name(int stage)
{
	return stage >= 0 && stage < STAGE_COUNT ? stage_names[stage] : "?";
}

int
stage_from_name(const char *name)
{
	for (int i = 0; i < STAGE_COUNT; i++)
		if (strcmp(stage_names[i], name) == 0)
			return i;
	return -1;
}

const char *
side_name(enum side side)
{
	switch (side) {
	case SIDE_CLIENT:	return "client";
	case SIDE_SERVER:	return "server";
	case SIDE_ANY:		break;
	}
	return "any";
}

const char *
kb_default_dir(void)
{
	static char found[PATH_MAX + 32];

	return data_dir_find("SSHDOCTOR_KB", "kb", "problems", found, sizeof found);
}

/* ---- loading context ---- */

struct loader {
	struct kb	*kb;
	struct ydoc	 y;
};

static void
get_strv(struct loader *l, yaml_node_t *map, const char *key, struct strv *out)
{
	ydoc_strv(&l->y, ydoc_get(&l->y, map, key), key, 1, out);
}

/* ---- rules ---- */

static struct kb_rule *
rule_new(struct kb *kb)
{
	struct kb_rule *r;

	kb->rules = xreallocarray(kb->rules, kb->nrules + 1, sizeof *kb->rules);
	r = &kb->rules[kb->nrules++];
	memset(r, 0, sizeof *r);
	r->layer = -1;
	r->event = EVENT_NONE;
	r->after = EVENT_NONE;
	r->problem = -1;
	r->symptom = -1;
	return r;
}

static void
rule_compile(struct loader *l, struct kb_rule *r, yaml_node_t *at)
{
	int err, count = 0, entry = 0;
	PCRE2_SIZE off;
	PCRE2_SPTR table;
	pcre2_code *re;
	char msg[256];

	re = pcre2_compile((PCRE2_SPTR)r->match, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF, &err, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof msg);
		ydoc_err(&l->y, at, "rule '%s': pattern does not compile at %zu: %s",
		    r->name, (size_t)off, msg);
		return;
	}
	/* no JIT here: the matcher compiles a rule once it is used often
	 * (most runs read a few hundred lines and use few rules) */
	r->re = re;
	pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
	r->groups = xcalloc((size_t)count, sizeof *r->groups);
	for (int i = 0; i < count; i++) {
		const unsigned char *e = table + (size_t)i * (size_t)entry;

		r->groups[i].number = (unsigned)((e[0] << 8) | e[1]);
		r->groups[i].name = xstrdup((const char *)e + 2);
	}
	r->ngroups = (size_t)count;
	if (!r->literal_given)
		match_literals_from_pattern(r->match, &r->literals);
}

static enum side
parse_side(struct loader *l, yaml_node_t *map)
{
	char *s = ydoc_str(&l->y, map, "side", 0);
	enum side side = SIDE_ANY;

	if (s == NULL)
		return SIDE_ANY;
	if (strcmp(s, "client") == 0)
		side = SIDE_CLIENT;
	else if (strcmp(s, "server") == 0)
		side = SIDE_SERVER;
	else if (strcmp(s, "any") != 0)
		ydoc_err(&l->y, ydoc_get(&l->y, map, "side"), "side must be client, server or any");
	free(s);
	return side;
}

static int
parse_event(const char *s)
{
	char stage[16];
	const char *dash;
	int st;

	if (strcmp(s, "session-end") == 0)
		return EVENT_SESSION_END;
	if ((dash = strrchr(s, '-')) == NULL || (size_t)(dash - s) >= sizeof stage)
		return -2;
	memcpy(stage, s, (size_t)(dash - s));
	stage[dash - s] = '\0';
	if ((st = stage_from_name(stage)) < 0)
		return -2;
	if (strcmp(dash, "-start") == 0)
		return EVENT_START(st);
	if (strcmp(dash, "-ok") == 0)
		return EVENT_OK(st);
	return -2;
}

static int
parse_level(const char *s)
{
	static const char *names[] = { "", "debug3", "debug2", "debug1",
	    "verbose", "info", "error", "fatal" };

	for (int i = 1; i < 8; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* The parts every kind of rule shares: match, literal, samples, source. */
static void
rule_common(struct loader *l, struct kb_rule *r, yaml_node_t *map)
{
	char *s;

	r->file = xstrdup(l->y.file);
	r->line = (int)map->start_mark.line + 1;
	r->match = ydoc_str(&l->y, map, "match", 1);
	r->source = ydoc_str(&l->y, map, "source", 0);
	get_strv(l, map, "literal", &r->literals);
	r->literal_given = r->literals.n > 0;
	for (size_t i = 0; i < r->literals.n; i++)
		for (char *p = r->literals.v[i]; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	get_strv(l, map, "samples", &r->samples);
	get_strv(l, map, "near_misses", &r->near_misses);
	get_strv(l, map, "append", &r->append);
	r->side = parse_side(l, map);
	if ((s = ydoc_str(&l->y, map, "after", 0)) != NULL) {
		if ((r->after = parse_event(s)) == -2 || r->after == EVENT_SESSION_END) {
			ydoc_err(&l->y, map, "rule '%s': 'after' must be STAGE-start or STAGE-ok, not '%s'",
			    r->name ? r->name : "?", s);
			r->after = EVENT_NONE;
		}
		free(s);
	}
	r->after_fact = ydoc_str(&l->y, map, "after_fact", 0);
	r->min_gap_ms = ydoc_int(&l->y, map, "min_gap_ms", 0);
	if (r->match != NULL)
		rule_compile(l, r, map);
}

static void
load_rule(struct loader *l, yaml_node_t *map)
{
	static const char *const keys[] = { "name", "side", "layer", "event",
	    "level", "noise", "match", "literal", "append", "after", "after_fact", "min_gap_ms", "source",
	    "samples", "near_misses", NULL };
	struct kb_rule *r;
	char *s;

	if (map->type != YAML_MAPPING_NODE) {
		ydoc_err(&l->y, map, "a rule must be a mapping");
		return;
	}
	ydoc_check_keys(&l->y, map, keys);
	r = rule_new(l->kb);
	r->name = ydoc_str(&l->y, map, "name", 1);
	if (r->name == NULL)
		r->name = xstrdup("?");
	if ((s = ydoc_str(&l->y, map, "layer", 0)) != NULL) {
		if ((r->layer = layer_from_name(s)) < 0)
			ydoc_err(&l->y, map, "rule '%s': unknown layer '%s'", r->name, s);
		free(s);
	}
	if ((s = ydoc_str(&l->y, map, "event", 0)) != NULL) {
		if ((r->event = parse_event(s)) == -2) {
			ydoc_err(&l->y, map, "rule '%s': unknown event '%s'", r->name, s);
			r->event = EVENT_NONE;
		}
		free(s);
	}
	if ((s = ydoc_str(&l->y, map, "level", 0)) != NULL) {
		if ((r->level = parse_level(s)) < 0) {
			ydoc_err(&l->y, map, "rule '%s': unknown level '%s'", r->name, s);
			r->level = 0;
		}
		free(s);
	}
	r->noise = ydoc_str(&l->y, map, "noise", 0);
	rule_common(l, r, map);
}

/* ---- problems ---- */

static void
load_signature(struct loader *l, yaml_node_t *map, int pidx, int n)
{
	static const char *const keys[] = { "side", "match", "literal", "role",
	    "append", "after", "after_fact", "min_gap_ms", "source", "samples", "near_misses", NULL };
	struct kb_problem *p = &l->kb->problems[pidx];
	struct kb_rule *r;
	char *role;
	int st;

	if (map->type != YAML_MAPPING_NODE) {
		ydoc_err(&l->y, map, "a signature must be a mapping");
		return;
	}
	ydoc_check_keys(&l->y, map, keys);
	r = rule_new(l->kb);
	r->name = xasprintf("%s#%d", p->id, n);
	r->problem = pidx;
	st = p->stage != NULL ? stage_from_name(p->stage) : -1;
	r->layer = st >= 0 ? st : (p->stage && strcmp(p->stage, "local") == 0 ?
	    LAYER_LOCAL : LAYER_OTHER);
	if ((role = ydoc_str(&l->y, map, "role", 0)) != NULL) {
		if (strcmp(role, "evidence") == 0)
			r->role = ROLE_EVIDENCE;
		else if (strcmp(role, "decisive") != 0)
			ydoc_err(&l->y, map, "%s: role must be decisive or evidence", r->name);
		free(role);
	}
	rule_common(l, r, map);
}

static int
valid_problem_stage(const char *s)
{
	return stage_from_name(s) >= 0 || strcmp(s, "local") == 0 ||
	    strcmp(s, "server") == 0 || strcmp(s, "any") == 0 ||
	    strcmp(s, "none") == 0;
}

static void
load_problem(struct loader *l, yaml_node_t *root, const char *basename)
{
	static const char *const keys[] = { "id", "title", "stage", "talk",
	    "weight", "signatures", "explanation", "fix", "commands",
	    "references", "confirm", NULL };
	struct kb *kb = l->kb;
	struct kb_problem *p;
	yaml_node_t *sigs;
	int idx, n = 0;

	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		ydoc_err(&l->y, root, "a problem file must be a mapping");
		return;
	}
	ydoc_check_keys(&l->y, root, keys);
	kb->problems = xreallocarray(kb->problems, kb->nproblems + 1,
	    sizeof *kb->problems);
	idx = (int)kb->nproblems++;
	p = &kb->problems[idx];
	memset(p, 0, sizeof *p);
	p->file = xstrdup(l->y.file);
	p->id = ydoc_str(&l->y, root, "id", 1);
	if (p->id == NULL)
		p->id = xstrdup(basename);
	else if (strcmp(p->id, basename) != 0)
		ydoc_err(&l->y, root, "id '%s' does not match the file name", p->id);
	p->title = ydoc_str(&l->y, root, "title", 1);
	p->stage = ydoc_str(&l->y, root, "stage", 1);
	if (p->stage != NULL && !valid_problem_stage(p->stage))
		ydoc_err(&l->y, root, "unknown stage '%s'", p->stage);
	p->talk = ydoc_int(&l->y, root, "talk", 0);
	p->weight = ydoc_int(&l->y, root, "weight", 50);
	p->explanation = ydoc_str(&l->y, root, "explanation", 1);
	get_strv(l, root, "fix", &p->fix);
	get_strv(l, root, "commands", &p->commands);
	get_strv(l, root, "references", &p->references);
	sigs = ydoc_get(&l->y, root, "signatures");
	if (sigs != NULL && sigs->type != YAML_SEQUENCE_NODE)
		ydoc_err(&l->y, sigs, "signatures must be a list");
	else if (sigs != NULL)
		for (yaml_node_item_t *it = sigs->data.sequence.items.start;
		    it < sigs->data.sequence.items.top; it++)
			load_signature(l, ydoc_node(&l->y, *it), idx, ++n);
}

/* ---- tree ---- */

static void
load_symptom(struct loader *l, yaml_node_t *map)
{
	static const char *const keys[] = { "name", "title", "side", "stage",
	    "match", "literal", "root", "weight", "append", "after", "after_fact", "min_gap_ms", "source",
	    "samples", "near_misses", NULL };
	struct kb *kb = l->kb;
	struct kb_symptom *s;
	struct kb_rule *r;
	int st;

	if (map->type != YAML_MAPPING_NODE) {
		ydoc_err(&l->y, map, "a symptom must be a mapping");
		return;
	}
	ydoc_check_keys(&l->y, map, keys);
	kb->symptoms = xreallocarray(kb->symptoms, kb->nsymptoms + 1,
	    sizeof *kb->symptoms);
	s = &kb->symptoms[kb->nsymptoms];
	memset(s, 0, sizeof *s);
	s->name = ydoc_str(&l->y, map, "name", 1);
	s->title = ydoc_str(&l->y, map, "title", 1);
	s->stage = ydoc_str(&l->y, map, "stage", 1);
	s->root = ydoc_str(&l->y, map, "root", 1);
	s->weight = ydoc_int(&l->y, map, "weight", 50);
	if (s->name == NULL)
		s->name = xstrdup("?");
	if (s->stage != NULL && !valid_problem_stage(s->stage))
		ydoc_err(&l->y, map, "unknown stage '%s'", s->stage);
	r = rule_new(kb);
	r->name = xasprintf("symptom:%s", s->name);
	r->symptom = (int)kb->nsymptoms++;
	st = s->stage != NULL ? stage_from_name(s->stage) : -1;
	r->layer = st >= 0 ? st : LAYER_OTHER;
	rule_common(l, r, map);
}

static void
load_node(struct loader *l, yaml_node_t *map)
{
	static const char *const keys[] = { "id", "ask", "fact", "answers",
	    "collect", "leaf", NULL };
	struct kb *kb = l->kb;
	struct kb_node *n;
	yaml_node_t *ans;

	if (map->type != YAML_MAPPING_NODE) {
		ydoc_err(&l->y, map, "a node must be a mapping");
		return;
	}
	ydoc_check_keys(&l->y, map, keys);
	kb->nodes = xreallocarray(kb->nodes, kb->nnodes + 1, sizeof *kb->nodes);
	n = &kb->nodes[kb->nnodes++];
	memset(n, 0, sizeof *n);
	n->line = (int)map->start_mark.line + 1;
	n->id = ydoc_str(&l->y, map, "id", 1);
	if (n->id == NULL)
		n->id = xstrdup("?");
	n->ask = ydoc_str(&l->y, map, "ask", 0);
	n->fact = ydoc_str(&l->y, map, "fact", 0);
	n->leaf = ydoc_str(&l->y, map, "leaf", 0);
	get_strv(l, map, "collect", &n->collect);
	ans = ydoc_get(&l->y, map, "answers");
	if (ans != NULL && ans->type != YAML_MAPPING_NODE)
		ydoc_err(&l->y, ans, "node '%s': answers must be a mapping", n->id);
	else if (ans != NULL)
		for (yaml_node_pair_t *p = ans->data.mapping.pairs.start;
		    p < ans->data.mapping.pairs.top; p++) {
			const char *k = ydoc_scalar(ydoc_node(&l->y, p->key));
			const char *v = ydoc_scalar(ydoc_node(&l->y, p->value));

			if (k == NULL || v == NULL) {
				ydoc_err(&l->y, ans, "node '%s': answers map words to node ids", n->id);
				continue;
			}
			n->answers = xreallocarray(n->answers, n->nanswers + 1,
			    sizeof *n->answers);
			n->answers[n->nanswers].key = xstrdup(k);
			n->answers[n->nanswers++].next = xstrdup(v);
		}
	if (n->ask == NULL && n->leaf == NULL && n->collect.n == 0)
		ydoc_err(&l->y, map, "node '%s' has no ask, leaf or collect", n->id);
	if (n->ask != NULL && n->nanswers == 0 && n->collect.n == 0)
		ydoc_err(&l->y, map, "node '%s' asks but has no answers", n->id);
}

static void
load_tree(struct loader *l, yaml_node_t *root)
{
	static const char *const keys[] = { "symptoms", "nodes", NULL };
	yaml_node_t *seq;

	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		ydoc_err(&l->y, root, "tree.yaml must be a mapping");
		return;
	}
	ydoc_check_keys(&l->y, root, keys);
	if ((seq = ydoc_get(&l->y, root, "symptoms")) != NULL && seq->type == YAML_SEQUENCE_NODE)
		for (yaml_node_item_t *it = seq->data.sequence.items.start;
		    it < seq->data.sequence.items.top; it++)
			load_symptom(l, ydoc_node(&l->y, *it));
	if ((seq = ydoc_get(&l->y, root, "nodes")) != NULL && seq->type == YAML_SEQUENCE_NODE)
		for (yaml_node_item_t *it = seq->data.sequence.items.start;
		    it < seq->data.sequence.items.top; it++)
			load_node(l, ydoc_node(&l->y, *it));
}

/* ---- algorithms ---- */

static void
load_algorithms(struct loader *l, yaml_node_t *root)
{
	static const char *const keys[] = { "name", "kind", "weak",
	    "disabled_in", "removed_in", "note", NULL };
	struct kb *kb = l->kb;
	yaml_node_t *seq = ydoc_get(&l->y, root, "algorithms");

	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE) {
		ydoc_err(&l->y, root, "algorithms.yaml must hold an 'algorithms' list");
		return;
	}
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	    it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = ydoc_node(&l->y, *it);
		struct kb_algo *a;

		if (m->type != YAML_MAPPING_NODE) {
			ydoc_err(&l->y, m, "an algorithm must be a mapping");
			continue;
		}
		ydoc_check_keys(&l->y, m, keys);
		kb->algos = xreallocarray(kb->algos, kb->nalgos + 1, sizeof *kb->algos);
		a = &kb->algos[kb->nalgos++];
		memset(a, 0, sizeof *a);
		a->name = ydoc_str(&l->y, m, "name", 1);
		if (a->name == NULL)
			a->name = xstrdup("?");
		a->kind = ydoc_str(&l->y, m, "kind", 1);
		a->weak = ydoc_str(&l->y, m, "weak", 0);
		a->disabled_in = ydoc_str(&l->y, m, "disabled_in", 0);
		a->removed_in = ydoc_str(&l->y, m, "removed_in", 0);
		a->note = ydoc_str(&l->y, m, "note", 0);
	}
}

/* ---- files ---- */

enum kb_file_kind { KBF_RULES, KBF_PROBLEM, KBF_TREE, KBF_ALGOS };

static void
load_file(struct kb *kb, struct strv *errors, const char *path,
    enum kb_file_kind kind)
{
	struct loader l;
	yaml_node_t *root, *seq;
	char base[256];
	const char *slash;
	size_t n;

	l.kb = kb;
	if (ydoc_open(&l.y, path, errors) != 0)
		return;
	root = ydoc_root(&l.y);
	switch (kind) {
	case KBF_RULES:
		seq = ydoc_get(&l.y, root, "rules");
		if (seq == NULL || seq->type != YAML_SEQUENCE_NODE) {
			ydoc_err(&l.y, root, "a rules file must hold a 'rules' list");
			break;
		}
		for (yaml_node_item_t *it = seq->data.sequence.items.start;
		    it < seq->data.sequence.items.top; it++)
			load_rule(&l, ydoc_node(&l.y, *it));
		break;
	case KBF_PROBLEM:
		slash = strrchr(path, '/');
		snprintf(base, sizeof base, "%s", slash ? slash + 1 : path);
		n = strlen(base);
		if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
			base[n - 5] = '\0';
		load_problem(&l, root, base);
		break;
	case KBF_TREE:
		load_tree(&l, root);
		break;
	case KBF_ALGOS:
		load_algorithms(&l, root);
		break;
	}
	ydoc_close(&l.y);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load every *.yaml of a folder, in name order. */
static void
load_folder(struct kb *kb, struct strv *errors, const char *dir,
    enum kb_file_kind kind)
{
	struct strv names = { 0 };
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		strv_addn(errors, xasprintf("%s: %s", dir, strerror(errno)));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n > 5 && strcmp(de->d_name + n - 5, ".yaml") == 0)
			strv_addn(&names, xasprintf("%s/%s", dir, de->d_name));
	}
	closedir(d);
	if (names.n > 0)
		qsort(names.v, names.n, sizeof *names.v, cmp_str);
	for (size_t i = 0; i < names.n; i++)
		load_file(kb, errors, names.v[i], kind);
	strv_free(&names);
}

struct kb *
kb_load(const char *dir, struct strv *errors)
{
	struct kb *kb = xcalloc(1, sizeof *kb);
	size_t before = errors->n;
	char *path;

	kb->dir = xstrdup(dir);
	path = xasprintf("%s/rules", dir);
	load_folder(kb, errors, path, KBF_RULES);
	free(path);
	path = xasprintf("%s/problems", dir);
	load_folder(kb, errors, path, KBF_PROBLEM);
	free(path);
	path = xasprintf("%s/tree.yaml", dir);
	load_file(kb, errors, path, KBF_TREE);
	free(path);
	path = xasprintf("%s/algorithms.yaml", dir);
	load_file(kb, errors, path, KBF_ALGOS);
	free(path);
	for (size_t i = 0; i < kb->nsymptoms; i++)
		if (kb->symptoms[i].root != NULL &&
		    kb_node(kb, kb->symptoms[i].root) == NULL)
			strv_addn(errors, xasprintf("%s/tree.yaml: symptom '%s': "
			    "no node '%s'", dir, kb->symptoms[i].name,
			    kb->symptoms[i].root));
	if (errors->n > before) {
		kb_free(kb);
		return NULL;
	}
	/* asked on every match of the rule: answered once here */
	for (size_t i = 0; i < kb->nrules; i++)
		for (size_t j = 0; j < kb->rules[i].ngroups; j++)
			kb->rules[i].groups[j].append = strv_has(&kb->rules[i].append,
			    kb->rules[i].groups[j].name);
	kb->matcher = matcher_new(kb);
	kb->success = kb_problem_index(kb, "success");
	kb->slow_login = kb_problem_index(kb, "slow-login");
	return kb;
}

static void
rule_free(struct kb_rule *r)
{
	free(r->name);
	free(r->file);
	free(r->noise);
	free(r->match);
	free(r->source);
	free(r->after_fact);
	strv_free(&r->literals);
	strv_free(&r->append);
	strv_free(&r->samples);
	strv_free(&r->near_misses);
	pcre2_code_free(r->re);
	for (size_t i = 0; i < r->ngroups; i++)
		free(r->groups[i].name);
	free(r->groups);
}

void
kb_free(struct kb *kb)
{
	if (kb == NULL)
		return;
	matcher_free(kb->matcher);
	for (size_t i = 0; i < kb->nrules; i++)
		rule_free(&kb->rules[i]);
	free(kb->rules);
	for (size_t i = 0; i < kb->nproblems; i++) {
		struct kb_problem *p = &kb->problems[i];

		free(p->id);
		free(p->file);
		free(p->title);
		free(p->stage);
		free(p->explanation);
		strv_free(&p->fix);
		strv_free(&p->commands);
		strv_free(&p->references);
	}
	free(kb->problems);
	for (size_t i = 0; i < kb->nsymptoms; i++) {
		free(kb->symptoms[i].name);
		free(kb->symptoms[i].stage);
		free(kb->symptoms[i].title);
		free(kb->symptoms[i].root);
	}
	free(kb->symptoms);
	for (size_t i = 0; i < kb->nnodes; i++) {
		struct kb_node *n = &kb->nodes[i];

		free(n->id);
		free(n->ask);
		free(n->fact);
		free(n->leaf);
		for (size_t j = 0; j < n->nanswers; j++) {
			free(n->answers[j].key);
			free(n->answers[j].next);
		}
		free(n->answers);
		strv_free(&n->collect);
	}
	free(kb->nodes);
	for (size_t i = 0; i < kb->nalgos; i++) {
		struct kb_algo *a = &kb->algos[i];

		free(a->name);
		free(a->kind);
		free(a->weak);
		free(a->disabled_in);
		free(a->removed_in);
		free(a->note);
	}
	free(kb->algos);
	free(kb->dir);
	free(kb);
}

int
kb_problem_index(const struct kb *kb, const char *id)
{
	for (size_t i = 0; i < kb->nproblems; i++)
		if (strcmp(kb->problems[i].id, id) == 0)
			return (int)i;
	return -1;
}

const struct kb_problem *
kb_problem(const struct kb *kb, const char *id)
{
	int i = kb_problem_index(kb, id);

	return i < 0 ? NULL : &kb->problems[i];
}

const struct kb_node *
kb_node(const struct kb *kb, const char *id)
{
	for (size_t i = 0; i < kb->nnodes; i++)
		if (strcmp(kb->nodes[i].id, id) == 0)
			return &kb->nodes[i];
	return NULL;
}

const struct kb_algo *
kb_algo(const struct kb *kb, const char *name)
{
	for (size_t i = 0; i < kb->nalgos; i++)
		if (strcmp(kb->algos[i].name, name) == 0)
			return &kb->algos[i];
	return NULL;
}
