/* fuzz_analyze.c: any bytes through the reader, the classifier, the
 * session model, the diagnosis and every report writer. The first byte
 * picks the side the input is read as. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kb.h"
#include "reader.h"
#include "report.h"
#include "session.h"

static struct kb *kb;
static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session_opts o = { .since_ms = -1, .limit = 3 };
	struct session *s;
	struct reader *r;
	enum side side;

	if (kb == NULL) {
		struct strv errors = { 0 };

		kb = kb_load(KB_DIR, &errors);
		if (kb == NULL)
			abort();
		devnull = fopen("/dev/null", "w");
	}
	if (size == 0)
		return 0;
	side = (enum side)(data[0] % 3);
	s = session_new(kb, &o);
	/* a small line cap so that cut lines are exercised too */
	r = reader_open_mem((const char *)data + 1, size - 1, 256);
	session_feed_reader(s, 0, side, r);
	reader_close(r);
	session_finish(s);
	report_text(devnull, s, NULL, REPORT_COLOR);
	report_json(devnull, s, NULL, NULL);
	report_markdown(devnull, s, NULL);
	session_free(s);
	return 0;
}
