/* fuzz_kb.c: any bytes as a KB file. The first byte picks which file the
 * input replaces (a rules file, a problem, the tree, the algorithms) in an
 * otherwise valid minimal KB; loading must fail cleanly or succeed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kb.h"
#include "lint.h"

static char dir[] = "/tmp/sshdoctor-fuzzkb.XXXXXX";
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
put(const char *name, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	fwrite(data, 1, len, f);
	fclose(f);
}

static void
reset(void)
{
	static const char tree[] = "symptoms: []\nnodes: []\n";
	static const char algos[] = "algorithms: []\n";
	static const char rules[] = "rules: []\n";
	static const char prob[] = "id: p\ntitle: t\nstage: kex\nexplanation: e\nfix: [f]\n";

	put("tree.yaml", tree, sizeof tree - 1);
	put("algorithms.yaml", algos, sizeof algos - 1);
	put("rules/r.yaml", rules, sizeof rules - 1);
	put("problems/p.yaml", prob, sizeof prob - 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const targets[] = { "rules/r.yaml", "problems/p.yaml",
	    "tree.yaml", "algorithms.yaml" };
	struct strv errors = { 0 }, notes = { 0 };
	struct kb *kb;
	char path[256];

	if (!ready) {
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(path, sizeof path, "%s/rules", dir);
		mkdir(path, 0700);
		snprintf(path, sizeof path, "%s/problems", dir);
		mkdir(path, 0700);
		ready = 1;
	}
	if (size == 0)
		return 0;
	reset();
	put(targets[data[0] % 4], data + 1, size - 1);
	kb = kb_load(dir, &errors);
	if (kb != NULL) {
		kb_lint(kb, NULL, &errors, &notes);
		kb_free(kb);
	}
	strv_free(&errors);
	strv_free(&notes);
	return 0;
}
