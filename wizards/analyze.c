/* analyze.c: a saved or pasted log, through the same engine. */
#include "wizard_impl.h"
#include "reader.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

enum { A_START, A_READ, A_CONCLUDE };

static int
analyze_step(struct wiz *w, struct wiz_event *ev)
{
	struct reader_line rl;
	int rc;

	switch (w->state) {
	case A_START:
		ev->type = WIZ_STEP;
		ev->text = wiz_text(w, "analyze: %s", w->p.file ? w->p.file : "-");
		w->file_fd = w->p.file == NULL || strcmp(w->p.file, "-") == 0 ?
		    STDIN_FILENO : open(w->p.file, O_RDONLY | O_CLOEXEC);
		if (w->file_fd == -1) {
			w->state = A_CONCLUDE;
			w->status = 1;
			ev->type = WIZ_INFO;
			ev->text = wiz_text(w, "cannot read %s: %s", w->p.file,
			    strerror(errno));
			return 0;
		}
		w->file_reader = reader_open_fd(w->file_fd, 0);
		w->state = A_READ;
		return 0;
	case A_READ:
		if ((rc = reader_next(w->file_reader, &rl)) == 1) {
			ev->type = WIZ_LINE;
			ev->line = session_feed(w->session, 0, w->p.file_side, &rl, -1);
			return 0;
		}
		if (rc < 0) {
			w->status = 1;
			ev->type = WIZ_INFO;
			ev->text = wiz_text(w, "error reading %s: %s", w->p.file,
			    strerror(errno));
		}
		reader_close(w->file_reader);
		if (w->file_fd != STDIN_FILENO)
			close(w->file_fd);
		w->file_reader = NULL;
		w->state = A_CONCLUDE;
		if (rc < 0)
			return 0;
		/* FALLTHROUGH */
	case A_CONCLUDE:
		return wiz_conclude(w, ev) == 0 ? 0 : -1;
	}
	return -1;
}

const struct wizard wizard_analyze = {
	.name = "analyze",
	.summary = "a saved or pasted log (client, server, auth.log, journal)",
	.step = analyze_step,
};
