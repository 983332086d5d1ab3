/* test_fixtures.c: every fixture under tests/fixtures gives the diagnosis
 * its expect.json states: the talk's logs and the lab's real captures. */
#include "testutil.h"
#include "util.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int
has_alt(const struct diagnosis *d, const char *id)
{
	for (size_t i = 0; i < d->nalts; i++)
		if (strcmp(d->alts[i].problem->id, id) == 0)
			return 1;
	return 0;
}

/* Check one case; every mismatch is appended to errs. */
static void
check_case(const char *dir, const char *name, json_t *want, struct buf *errs)
{
	struct tu_input in[2];
	size_t n = 0;
	char *client = xasprintf("%s/client.log", dir);
	char *server = xasprintf("%s/server.log", dir);
	struct session *s;
	const struct diagnosis *d;
	const char *v, *key;
	json_t *x, *item;
	size_t i;

	if (strcmp(name, "client") == 0 || strcmp(name, "both") == 0)
		in[n++] = (struct tu_input){ client, SIDE_CLIENT };
	if (strcmp(name, "server") == 0 || strcmp(name, "both") == 0)
		in[n++] = (struct tu_input){ server, SIDE_SERVER };
	for (i = 0; i < n; i++)
		if (!exists(in[i].path))
			buf_addf(errs, "  %s: %s is missing\n", name, in[i].path);
	if (errs->len > 0)
		goto out;
	s = tu_analyze(tu_kb(), in, n, NULL);
	d = session_diagnosis(s);
	if (d == NULL) {
		buf_addf(errs, "  %s: no diagnosis\n", name);
		session_free(s);
		goto out;
	}
	v = json_string_value(json_object_get(want, "verdict"));
	if (v != NULL && strcmp(v, verdict_name(d->verdict)) != 0)
		buf_addf(errs, "  %s: verdict %s, want %s (%s)\n", name,
		    verdict_name(d->verdict), v, d->problem ? d->problem->id : "-");
	v = json_string_value(json_object_get(want, "problem"));
	if (v != NULL && (d->problem == NULL || strcmp(v, d->problem->id) != 0))
		buf_addf(errs, "  %s: problem %s, want %s\n", name,
		    d->problem ? d->problem->id : "none", v);
	v = json_string_value(json_object_get(want, "stage"));
	if (v != NULL && d->problem != NULL && strcmp(v, d->stage) != 0)
		buf_addf(errs, "  %s: stage %s, want %s\n", name, d->stage, v);
	json_array_foreach(json_object_get(want, "alternatives"), i, item)
		if (!has_alt(d, json_string_value(item)))
			buf_addf(errs, "  %s: alternative %s missing\n", name,
			    json_string_value(item));
	json_object_foreach(json_object_get(want, "facts"), key, x) {
		const char *got = facts_get(&d->facts, key);

		if (got == NULL || strcmp(got, json_string_value(x)) != 0)
			buf_addf(errs, "  %s: fact %s = %s, want %s\n", name, key,
			    got ? got : "(none)", json_string_value(x));
	}
	json_object_foreach(json_object_get(want, "stages"), key, x) {
		int st = stage_from_name(key);

		if (st < 0 || strcmp(stage_status_name(d->stages[st].status),
		    json_string_value(x)) != 0)
			buf_addf(errs, "  %s: stage %s is %s, want %s\n", name, key,
			    st < 0 ? "?" : stage_status_name(d->stages[st].status),
			    json_string_value(x));
	}
	json_array_foreach(json_object_get(want, "evidence"), i, item) {
		int found = 0;

		for (size_t j = 0; j < d->nevidence; j++)
			if (strstr(d->evidence[j].text, json_string_value(item)))
				found = 1;
		if (!found)
			buf_addf(errs, "  %s: no evidence line holds '%s'\n", name,
			    json_string_value(item));
	}
	json_array_foreach(json_object_get(want, "commands"), i, item) {
		int found = 0;

		for (size_t j = 0; j < d->commands.n; j++)
			if (strstr(d->commands.v[j], json_string_value(item)))
				found = 1;
		if (!found)
			buf_addf(errs, "  %s: no fix command holds '%s'\n", name,
			    json_string_value(item));
	}
	session_free(s);
out:
	free(client);
	free(server);
}

static void
test_fixture(void **state)
{
	const char *dir = *state;
	char *path = xasprintf("%s/expect.json", dir);
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err), *c;
	const char *name;
	struct buf errs;

	if (root == NULL)
		fail_msg("%s:%d: %s", path, err.line, err.text);
	buf_init(&errs);
	json_object_foreach(json_object_get(root, "cases"), name, c)
		check_case(dir, name, c, &errs);
	json_decref(root);
	free(path);
	if (errs.len > 0) {
		print_error("%s:\n%s", dir, errs.data);
		buf_free(&errs);
		fail();
	}
	buf_free(&errs);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	struct strv dirs = { 0 };
	struct CMUnitTest *tests;
	struct dirent *de;
	DIR *d = opendir(FIXTURES_DIR);
	int rc;

	if (d == NULL) {
		fprintf(stderr, "no fixtures in %s\n", FIXTURES_DIR);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		char *p = xasprintf("%s/%s/expect.json", FIXTURES_DIR, de->d_name);

		if (de->d_name[0] != '.' && exists(p))
			strv_addn(&dirs, xasprintf("%s/%s", FIXTURES_DIR, de->d_name));
		free(p);
	}
	closedir(d);
	qsort(dirs.v, dirs.n, sizeof *dirs.v, cmp_name);
	tests = xcalloc(dirs.n, sizeof *tests);
	for (size_t i = 0; i < dirs.n; i++) {
		tests[i].name = strrchr(dirs.v[i], '/') + 1;
		tests[i].test_func = test_fixture;
		tests[i].initial_state = dirs.v[i];
	}
	rc = _cmocka_run_group_tests("fixtures", tests, dirs.n, NULL, NULL);
	free(tests);
	strv_free(&dirs);
	return rc;
}
