/* cmd-kb.c: sshdoctor kb lint | list | show ID */
#include "cmd.h"
#include "lint.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void
kb_usage(FILE *out)
{
	fprintf(out,
	    "usage: sshdoctor kb lint [--fixtures DIR]\n"
	    "       sshdoctor kb list\n"
	    "       sshdoctor kb show ID\n"
	    "\n"
	    "The knowledge base is YAML in %s (set SSHDOCTOR_KB to use another).\n"
	    "lint checks every rule against its samples and near misses, the\n"
	    "schema, the templates, the decision tree and that every problem has\n"
	    "a fixture.\n", kb_default_dir());
}

static int
kb_lint_cmd(int argc, char **argv)
{
	struct strv errors = { 0 }, notes = { 0 };
	char *fixtures = NULL;
	struct kb *kb;
	struct stat st;
	size_t n;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--fixtures") == 0 && i + 1 < argc)
			fixtures = xstrdup(argv[++i]);
		else
			return cmd_error(EXIT_USAGE, "kb lint: unknown argument '%s'", argv[i]);
	}
	kb = kb_load(kb_default_dir(), &errors);
	if (kb == NULL) {
		for (size_t i = 0; i < errors.n; i++)
			printf("%s\n", errors.v[i]);
		printf("kb lint: %zu error%s (the KB does not load)\n", errors.n,
		    errors.n == 1 ? "" : "s");
		strv_free(&errors);
		free(fixtures);
		return EXIT_RUNTIME;
	}
	if (fixtures == NULL) {
		fixtures = xasprintf("%s/../tests/fixtures", kb->dir);
		if (stat(fixtures, &st) != 0) {
			free(fixtures);
			fixtures = NULL;
		}
	}
	n = kb_lint(kb, fixtures, &errors, &notes);
	for (size_t i = 0; i < errors.n; i++)
		printf("%s\n", errors.v[i]);
	for (size_t i = 0; i < notes.n; i++)
		printf("note: %s\n", notes.v[i]);
	printf("kb lint: %zu rules, %zu problems, %zu tree nodes, %zu algorithms: "
	    "%zu error%s\n", kb->nrules, kb->nproblems, kb->nnodes, kb->nalgos, n,
	    n == 1 ? "" : "s");
	strv_free(&errors);
	strv_free(&notes);
	free(fixtures);
	kb_free(kb);
	return n == 0 ? EXIT_DONE : EXIT_RUNTIME;
}

static int
kb_list_cmd(void)
{
	struct kb *kb = cmd_load_kb();

	if (kb == NULL)
		return EXIT_RUNTIME;
	for (size_t i = 0; i < kb->nproblems; i++) {
		const struct kb_problem *p = &kb->problems[i];

		printf("%-34s %-8s %s\n", p->id, p->stage, p->title);
	}
	kb_free(kb);
	return EXIT_DONE;
}

static int
kb_show_cmd(const char *id)
{
	struct kb *kb = cmd_load_kb();
	const struct kb_problem *p;
	int idx;

	if (kb == NULL)
		return EXIT_RUNTIME;
	if ((idx = kb_problem_index(kb, id)) < 0) {
		kb_free(kb);
		return cmd_error(EXIT_USAGE, "kb show: no problem '%s' (see `sshdoctor kb list`)", id);
	}
	p = &kb->problems[idx];
	printf("%s: %s\n", p->id, p->title);
	printf("stage: %s   weight: %d", p->stage, p->weight);
	if (p->talk > 0)
		printf("   talk problem: %d", p->talk);
	printf("\nfile: %s\n\nsignatures:\n", p->file);
	for (size_t i = 0; i < kb->nrules; i++) {
		const struct kb_rule *r = &kb->rules[i];

		if (r->problem != idx)
			continue;
		printf("  [%s, %s] %s\n", side_name(r->side),
		    r->role == ROLE_DECISIVE ? "decisive" : "evidence", r->match);
		if (r->source != NULL)
			printf("      source: %s\n", r->source);
		for (size_t j = 0; j < r->samples.n; j++)
			printf("      sample: %s\n", r->samples.v[j]);
	}
	printf("\nexplanation:\n  %s\n", p->explanation ? p->explanation : "");
	printf("fix:\n");
	for (size_t i = 0; i < p->fix.n; i++)
		printf("  %zu. %s\n", i + 1, p->fix.v[i]);
	printf("commands:\n");
	for (size_t i = 0; i < p->commands.n; i++)
		printf("  $ %s\n", p->commands.v[i]);
	if (p->references.n > 0) {
		printf("references:\n");
		for (size_t i = 0; i < p->references.n; i++)
			printf("  - %s\n", p->references.v[i]);
	}
	kb_free(kb);
	return EXIT_DONE;
}

int
cmd_kb(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		kb_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_DONE;
	}
	if (strcmp(argv[1], "lint") == 0)
		return kb_lint_cmd(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0 && argc == 2)
		return kb_list_cmd();
	if (strcmp(argv[1], "show") == 0 && argc == 3)
		return kb_show_cmd(argv[2]);
	kb_usage(stderr);
	return EXIT_USAGE;
}
