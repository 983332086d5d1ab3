/* run-feed.c: what feeds the run screen. A wizard's events are pulled
 * with wiz_next(…, 0) after the loop's poll said its pipes are readable
 * (never while a dialog answers it: wiz_next would decline); saved logs
 * are shown at once from a lazy index while the full diagnosis (every
 * line through session_feed) runs in slices between two polls. Both end
 * in the same documents, ladder and diagnosis: ncdu's rule, a live scan
 * and a file import produce the same output. */
#include "run.h"
#include "colour.h"
#include "doc.h"
#include "draw.h"
#include "lab.h"
#include "prefix.h"
#include "sanitize.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PASS_LINES	50000	/* lines of the diagnosis pass per turn */
#define SLICE_MS	25	/* work per turn, unless a key comes first */
#define SEEK_LINES	20000	/* lines a search looks at per turn */
#define LAB_SETTLE_QUIET_MS	300	/* as the batch lab: quiet this long */
#define LAB_SETTLE_MAX_MS	3000	/* or at most this */

/* ---- documents ---- */

static int
add_doc(struct run *r, struct doc *d)
{
	int src = doc_source(d);

	r->docs[src] = d;
	r->names[src] = doc_name(d);
	logview_init(&r->views[src], d, !doc_is_file(d));
	logview_filter(&r->views[src], r->hidden, r->fold);
	r->order[r->ndocs++] = src;
	if (r->ndocs == 2)
		r->pane_doc[1] = 1;
	return src;
}

/* The live document of a source, made when its first line comes. */
static struct doc *
live_doc(struct run *r, int source, enum side side)
{
	if (source < 0 || source >= MAX_DOCS)
		source = 0;
	if (r->docs[source] == NULL)
		add_doc(r, doc_new(side == SIDE_SERVER ? "server: sshd -ddd" :
		    "client: ssh -vvv", source, side, r->kb));
	return r->docs[source];
}

/* Where the wizard's notes go: beside the server's lines for the server
 * wizard, else beside the client's. */
static struct doc *
note_doc(struct run *r)
{
	if (r->def == &wizard_server)
		return live_doc(r, 1, SIDE_SERVER);
	if (r->def == &wizard_check)
		return NULL;
	return live_doc(r, 0, SIDE_CLIENT);
}

struct logview *
run_pane_view(struct run *r, int pane)
{
	if (r->ndocs == 0)
		return NULL;
	if (pane < 0 || pane >= LAYOUT_MAX_PANES)
		pane = 0;
	return &r->views[r->order[r->pane_doc[pane] % r->ndocs]];
}

void
run_apply_filter(struct run *r)
{
	for (int i = 0; i < r->ndocs; i++)
		logview_filter(&r->views[r->order[i]], r->hidden, r->fold);
}

/* ---- creating ---- */

static char *
abs_path(const char *p)
{
	char buf[PATH_MAX];

	if (realpath(p, buf) != NULL)
		return xstrdup(buf);
	return xstrdup(p);
}

static void
remember(struct tui *t, struct run *r, const struct tui_start *s)
{
	struct buf b;

	buf_init(&b);
	if (r->mode == RUN_FILES) {
		buf_adds(&b, "analyze");
		for (size_t i = 0; i < s->nfiles; i++) {
			char *a;

			if (strcmp(s->files[i], "-") == 0)
				continue;
			a = abs_path(s->files[i]);
			/* a tab or a newline in a name would break the file */
			if (strpbrk(a, "\t\n") == NULL)
				buf_addf(&b, "\t%s%s", s->sides[i] == SIDE_CLIENT ?
				    "client:" : s->sides[i] == SIDE_SERVER ? "server:" : "", a);
			free(a);
		}
		if (strchr(b.data, '\t') == NULL) {
			buf_free(&b);
			return;
		}
	} else if (r->def == &wizard_server)
		buf_addf(&b, "server\t%d", s->params.alt_port);
	else if (r->def == &wizard_check)
		buf_adds(&b, "check\t");
	else {
		if (s->params.host == NULL || strpbrk(s->params.host, "\t\n") != NULL ||
		    (s->params.user && strpbrk(s->params.user, "\t\n") != NULL)) {
			buf_free(&b);
			return;
		}
		buf_addf(&b, "%s\t%s%s%s\t%d", r->def->name,
		    s->params.user ? s->params.user : "", s->params.user ? "@" : "",
		    s->params.host, s->params.port);
	}
	history_add(&t->history, b.data);
	buf_free(&b);
}

/* Standard input is read whole before the screen opens (it is a pipe:
 * no going back), through the pass, into a memory document. */
static int
read_stdin(struct run *r, size_t i, char **err)
{
	struct reader *rd = reader_open_fd(STDIN_FILENO, 0);
	struct reader_line rl;
	struct doc *d = doc_new("stdin", (int)i, r->sides[i], r->kb);
	int rc;

	while ((rc = reader_next(rd, &rl)) == 1)
		doc_append(d, session_feed(r->session, (int)i, r->sides[i], &rl, -1));
	reader_close(rd);
	add_doc(r, d);
	if (rc < 0) {
		*err = xasprintf("cannot read standard input: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
open_files(struct run *r, const struct tui_start *s, char **err)
{
	struct session_opts so;

	memset(&so, 0, sizeof so);
	so.since_ms = -1;
	r->session = session_new(r->kb, &so);
	r->nfiles = s->nfiles;
	for (size_t i = 0; i < s->nfiles; i++) {
		struct doc *d;

		r->paths[i] = xstrdup(s->files[i]);
		r->sides[i] = s->sides[i];
		if (strcmp(s->files[i], "-") == 0) {
			if (read_stdin(r, i, err) != 0)
				return -1;
			continue;
		}
		if ((d = doc_open(s->files[i], (int)i, s->sides[i], r->kb)) == NULL) {
			*err = xasprintf("cannot read %s: %s", s->files[i], strerror(errno));
			return -1;
		}
		r->total_bytes += doc_size(d);
		/* the first screen's worth now; the rest between keys */
		doc_index_step(d, 1 << 20);
		add_doc(r, d);
	}
	r->pass_fd = -1;
	return 0;
}

static void
start_wizard(struct run *r, const struct tui_start *s)
{
	struct wiz_params p = s->params;

	/* the params point into strings we keep as long as the wizard */
	if (p.host != NULL) {
		strv_add(&r->own, p.host);
		p.host = r->own.v[r->own.n - 1];
	}
	if (p.user != NULL) {
		strv_add(&r->own, p.user);
		p.user = r->own.v[r->own.n - 1];
	}
	p.batch = 0;
	r->timeout_s = p.timeout_s > 0 ? p.timeout_s : 60;
	r->def = s->wizard;
	if (r->def == &wizard_connect || r->def == &wizard_sftp) {
		live_doc(r, 0, SIDE_CLIENT);
		if (p.port > 0)
			r->title = xasprintf("%s %s %s%s%s port %d", r->def->name,
			    glyph(G_DOT), p.user ? p.user : "", p.user ? "@" : "",
			    p.host ? p.host : "?", p.port);
		else
			r->title = xasprintf("%s %s %s%s%s", r->def->name, glyph(G_DOT),
			    p.user ? p.user : "", p.user ? "@" : "", p.host ? p.host : "?");
	} else if (r->def == &wizard_server) {
		if (p.client_target != NULL)
			live_doc(r, 0, SIDE_CLIENT);
		live_doc(r, 1, SIDE_SERVER);
		r->title = p.alt_port > 0 ? xasprintf("server %s sshd on port %d",
		    glyph(G_DOT), p.alt_port) : xasprintf("server %s sshd on a spare port",
		    glyph(G_DOT));
	} else
		r->title = xasprintf("%s", r->def->name);
	if (s->lab != NULL) {
		r->lab = s->lab;
		live_doc(r, 1, SIDE_SERVER);
		free(r->title);
		r->title = xasprintf("lab %s connect %s@127.0.0.1 port %d",
		    glyph(G_DOT), p.user ? p.user : "?", p.port);
	}
	r->wiz = wiz_new(r->def, r->kb, &p);
	r->session = wiz_session(r->wiz);
	if (r->lab != NULL)
		r->lab_offset = runner_now(r->lab->runner);
}

void *
run_new(struct tui *t, const struct tui_start *s, char **err)
{
	struct run *r = xcalloc(1, sizeof *r);

	r->kb = t->kb;
	r->fold = 1;
	r->seek_view = -1;
	r->t0 = tui_now();
	r->t_end = -1;
	r->focus = 0;
	r->pass_fd = -1;
	ladder_reset(&r->ladder);
	r->dv_dirty = 1;
	if (s->screen == TUI_ANALYZE) {
		struct buf b;

		r->mode = RUN_FILES;
		if (open_files(r, s, err) != 0) {
			run_ops.free(r);
			return NULL;
		}
		buf_init(&b);
		buf_addf(&b, "analyze %s ", glyph(G_DOT));
		for (int i = 0; i < r->ndocs; i++)
			buf_addf(&b, "%s%s", i ? " + " : "", doc_name(r->docs[r->order[i]]));
		r->title = buf_steal(&b);
	} else {
		r->mode = RUN_WIZARD;
		start_wizard(r, s);
	}
	if (r->ndocs == 0)
		r->focus = FOCUS_DIAG;
	if (s->lab == NULL)
		remember(t, r, s);
	return r;
}

void
run_free(void *self)
{
	struct run *r = self;

	if (r == NULL)
		return;
	/* wiz_free ends every child (TERM, then KILL) and removes its files */
	wiz_free(r->wiz);
	if (r->lab != NULL) {
		lab_stop(r->lab);
		free(r->lab);
	}
	if (r->mode == RUN_FILES)
		session_free(r->session);
	if (r->pass_reader != NULL)
		reader_close(r->pass_reader);
	if (r->pass_fd != -1)
		close(r->pass_fd);
	for (int i = 0; i < MAX_DOCS; i++) {
		if (r->docs[i] != NULL) {
			logview_free(&r->views[i]);
			doc_free(r->docs[i]);
		}
		free(r->paths[i]);
	}
	diagview_free(&r->dv);
	findings_free(&r->findings);
	strv_free(&r->own);
	free(r->note);
	free(r->title);
	free(r);
}

/* ---- the diagnosis pass over saved logs ---- */

static void
pass_finish(struct run *r)
{
	session_finish(r->session);
	r->diag = session_diagnosis(r->session);
	if (r->diag != NULL)
		ladder_diag(&r->ladder, r->diag);
	r->pass_done = 1;
	r->t_end = tui_now();
	r->dv_dirty = 1;
	r->dv.cur = -1;
		r->dv.top = 0;
}

/* One slice of the pass; 1 while there is more. */
static int
pass_step(struct tui *t, struct run *r, int64_t until)
{
	struct reader_line rl;
	int n = 0;

	while (r->pass_file < r->nfiles) {
		size_t i = r->pass_file;
		struct doc *d = r->docs[i];
		int rc;

		if (d == NULL || !doc_is_file(d)) {
			r->pass_file++;	/* standard input: already fed */
			continue;
		}
		if (r->pass_reader == NULL) {
			r->pass_fd = open(r->paths[i], O_RDONLY | O_CLOEXEC);
			if (r->pass_fd == -1) {
				tui_message(t, R_MESSAGE, "cannot read %s: %s", r->paths[i],
				    strerror(errno));
				r->pass_file++;
				continue;
			}
			r->pass_reader = reader_open_fd(r->pass_fd, 0);
		}
		while ((rc = reader_next(r->pass_reader, &rl)) == 1) {
			doc_learn(d, session_feed(r->session, (int)i, r->sides[i], &rl, -1));
			/* a key waiting ends the slice: scrolling never waits */
			if (++n % 1024 == 0 && (n >= PASS_LINES || tui_now() >= until ||
			    tui_input_pending(t)))
				return 1;
		}
		if (rc < 0)
			tui_message(t, R_MESSAGE, "error reading %s: %s", r->paths[i],
			    strerror(errno));
		r->pass_bytes += doc_size(d);
		reader_close(r->pass_reader);
		close(r->pass_fd);
		r->pass_reader = NULL;
		r->pass_fd = -1;
		r->pass_file++;
	}
	pass_finish(r);
	return 0;
}

int
run_pass_percent(const struct run *r)
{
	uint64_t done = r->pass_bytes;

	if (r->pass_reader != NULL)
		done += reader_bytes(r->pass_reader);
	if (r->total_bytes == 0)
		return 100;
	return (int)(done * 100 / r->total_bytes);
}

/* ---- wizard events ---- */

static const char *
prompt_title(enum runner_prompt p)
{
	switch (p) {
	case PROMPT_PASSWORD:	return "ssh asks for a password";
	case PROMPT_PASSPHRASE:	return "ssh asks for a key's passphrase";
	case PROMPT_HOSTKEY:	return "ssh asks: is this really the server?";
	case PROMPT_OTHER:	break;
	}
	return "ssh asks";
}

/* What ssh wrote on its terminal just before a question (the host's
 * name and the key's fingerprint come on lines of their own): the recent
 * client lines that are not debug output. */
static char *
prompt_context(struct run *r)
{
	struct doc *d = r->docs[0];
	uint64_t n, from;
	struct buf b;

	buf_init(&b);
	if (d == NULL || (n = doc_lines(d)) == 0)
		return xstrdup("");
	from = n > 60 ? n - 60 : 0;
	for (uint64_t i = from; i < n; i++) {
		const struct vline *l = doc_line(d, i);

		if (l == NULL || (l->attr & LA_NOTE))
			continue;
		if (l->level >= LEVEL_VERBOSE && strncmp(l->text, "debug", 5) != 0) {
			const char *p = l->text;
			size_t len = l->len;

			/* the terminal's carriage return, made visible */
			while (len >= 4 && strncmp(p, "\\x0d", 4) == 0) {
				p += 4;
				len -= 4;
			}
			buf_add(&b, p, len);
			buf_addc(&b, '\n');
		}
	}
	if (b.data == NULL)
		buf_add(&b, "", 0);
	return buf_steal(&b);
}

static void
ask_prompt(struct tui *t, struct run *r, const struct wiz_event *ev)
{
	struct dialog *d;
	char *body, *context;

	if (ev->prompt == PROMPT_HOSTKEY) {
		context = prompt_context(r);
		body = xasprintf("%s%s\n\nAnswering yes adds this host key to your "
		    "known_hosts file: from then on ssh trusts that this key is this "
		    "server, and warns loudly if it ever changes. Compare the "
		    "fingerprint above with the one the server's administrator "
		    "gives you (on the server: ssh-keygen -lf "
		    "/etc/ssh/ssh_host_ed25519_key.pub). Answer no if you cannot "
		    "check it now: ssh stops here.", context, ev->text);
		free(context);
		d = dialog_new(DLG_CHOICE, DLG_PROMPT, prompt_title(ev->prompt), body);
		dialog_add_choice(d, "yes");
		dialog_add_choice(d, "no");
		d->sel = 1;
	} else {
		body = xasprintf("%s\n\nWhat you type goes to ssh only: it is not "
		    "shown, logged or saved. Esc declines (ssh stops).", ev->text);
		d = dialog_new(DLG_SECRET, DLG_PROMPT, prompt_title(ev->prompt), body);
	}
	free(body);
	r->await = 1;
	tui_dialog(t, d);
}

void
run_ask_question(struct tui *t, struct run *r, const char *text,
    const char *const *choices)
{
	struct dialog *d;

	if (choices != NULL && choices[0] != NULL) {
		d = dialog_new(DLG_CHOICE, DLG_QUESTION, "The diagnosis needs an answer",
		    text);
		for (size_t i = 0; choices[i] != NULL; i++)
			dialog_add_choice(d, choices[i]);
	} else
		d = dialog_new(DLG_INPUT, DLG_QUESTION, "The diagnosis needs an answer",
		    text);
	d->hint = xstrdup("Esc: no answer (the diagnosis stays open)");
	tui_dialog(t, d);
	(void)r;
}

static void
set_note(struct run *r, const char *text)
{
	free(r->note);
	r->note = sanitize_str(text != NULL ? text : "");
}

static void
on_event(struct tui *t, struct run *r, const struct wiz_event *ev)
{
	struct doc *d;

	switch (ev->type) {
	case WIZ_STEP:
	case WIZ_INFO:
		if (ev->type == WIZ_INFO && r->lab != NULL) {
			/* a child started or ended: sshd's side first */
			r->lab_hold_until = tui_now() + LAB_SETTLE_MAX_MS;
			r->lab_quiet_at = tui_now() + LAB_SETTLE_QUIET_MS;
		}
		set_note(r, ev->text);
		if ((d = note_doc(r)) != NULL)
			doc_note(d, ev->text, ev->ms);
		r->dv_dirty = 1;
		break;
	case WIZ_LINE:
		d = live_doc(r, ev->line->source, ev->line->side);
		doc_append(d, ev->line);
		ladder_line(&r->ladder, ev->line);
		break;
	case WIZ_PROMPT:
		ask_prompt(t, r, ev);
		break;
	case WIZ_QUESTION:
		r->await = 1;
		run_ask_question(t, r, ev->question.text, ev->question.choices);
		break;
	case WIZ_FINDING:
		findings_add(&r->findings, ev->finding->sev, ev->finding->id,
		    ev->finding->problem, ev->finding->path, ev->finding->fix,
		    "%s", ev->finding->text);
		r->dv_dirty = 1;
		break;
	case WIZ_DIAGNOSIS:
		r->diag = ev->diag;
		ladder_diag(&r->ladder, r->diag);
		r->dv_dirty = 1;
		r->dv.cur = -1;
		r->dv.top = 0;
		break;
	case WIZ_DONE:
		r->done = 1;
		r->status = ev->status;
		r->t_end = tui_now();
		if (r->diag == NULL)
			ladder_end(&r->ladder);
		r->dv_dirty = 1;
		break;
	case WIZ_NONE:
		break;
	}
}

/* ---- work between polls ---- */

static int
seek_work(struct tui *t, struct run *r)
{
	struct logview *lv;
	int rc;

	if (r->seek_view < 0)
		return 0;
	lv = &r->views[r->seek_view];
	rc = logview_seek_step(lv, r->search, SEEK_LINES);
	if (rc == 0)
		return TUI_MORE | TUI_REDRAW;
	r->seek_view = -1;
	if (rc < 0)
		tui_message(t, R_MESSAGE, "no more matches in that direction");
	return TUI_REDRAW;
}

/* sshd's lines into the wizard's session and the server pane, as the
 * batch lab's hook does. Returns how many came. */
static int
lab_pump(struct run *r)
{
	struct lab *l = r->lab;
	struct runner_event ev;
	struct reader_line rl;
	int n = 0;

	if (l == NULL || r->done)
		return 0;
	while (l->server >= 0 && runner_next(l->runner, -1, 0, &ev) == 0) {
		const struct cline *cl;

		switch (ev.type) {
		case RUNNER_LINE:
			memset(&rl, 0, sizeof rl);
			rl.data = ev.data;
			rl.len = ev.len;
			rl.full_len = ev.len;
			rl.number = ev.number;
			cl = session_feed(wiz_session(r->wiz), 1, SIDE_SERVER, &rl,
			    ev.ms - r->lab_offset);
			if (cl != NULL) {
				doc_append(live_doc(r, 1, SIDE_SERVER), cl);
				ladder_line(&r->ladder, cl);
			}
			n++;
			break;
		case RUNNER_EXIT:
			l->server = -1;
			break;
		case RUNNER_SIGNAL:
			wiz_cancel(r->wiz);
			l->server = -1;
			break;
		default:
			break;
		}
	}
	if (n > 0 && r->lab_hold_until > 0)
		r->lab_quiet_at = tui_now() + LAB_SETTLE_QUIET_MS;
	return n;
}

/* After an INFO: wait for sshd's lines to settle before the next step. */
static int
lab_holding(const struct run *r)
{
	int64_t now = tui_now();

	return r->lab != NULL && r->lab->server >= 0 &&
	    now < r->lab_hold_until && now < r->lab_quiet_at;
}

int
run_work(struct tui *t, void *self)
{
	struct run *r = self;
	int64_t until = tui_now() + SLICE_MS;
	int flags = 0, events = 0;
	struct wiz_event ev;

	if (r->mode == RUN_WIZARD) {
		/* a dialog answering the wizard holds it: wiz_next would decline */
		events += lab_pump(r);
		while (!r->done && !r->await && tui_now() < until) {
			if (lab_holding(r))
				break;
			if (wiz_next(r->wiz, 0, &ev) != 0)
				break;
			on_event(t, r, &ev);
			events++;
			events += lab_pump(r);
		}
		if (events > 0)
			flags |= TUI_REDRAW;
		/* events came until the slice ended: there may be more */
		if (!r->done && !r->await && events > 0 && tui_now() >= until)
			flags |= TUI_MORE;
	} else {
		int more = 0;

		for (int i = 0; i < r->ndocs; i++) {
			struct doc *d = r->docs[r->order[i]];

			if (doc_is_file(d) && !doc_complete(d) &&
			    doc_index_step(d, 8 << 20) > 0)
				more = 1;
		}
		if (!r->pass_done) {
			more |= pass_step(t, r, until);
			if (r->pass_done)
				flags |= TUI_REDRAW;
		}
		if (more)
			flags |= TUI_MORE;
		/* progress on screen ten times a second is enough */
		if (more && tui_now() - r->progress_drawn >= 100) {
			r->progress_drawn = tui_now();
			flags |= TUI_REDRAW;
		}
	}
	return flags | seek_work(t, r);
}

int
run_deadline(struct tui *t, void *self)
{
	struct run *r = self;
	int64_t el;

	(void)t;
	if (r->mode != RUN_WIZARD || r->done)
		return -1;
	/* the elapsed clock ticks each second; the runner's deadlines are
	 * checked at least that often */
	el = tui_now() - r->t0;
	if (lab_holding(r)) {
		int64_t left = r->lab_quiet_at < r->lab_hold_until ?
		    r->lab_quiet_at - tui_now() : r->lab_hold_until - tui_now();

		if (left < 1000 - el % 1000)
			return left > 0 ? (int)left : 0;
	}
	return (int)(1000 - el % 1000);
}

size_t
run_pollfds(void *self, struct pollfd *fds, size_t max)
{
	struct run *r = self;

	size_t n;

	if (r->mode != RUN_WIZARD || r->done || r->await)
		return 0;
	n = wiz_pollfds(r->wiz, fds, max);
	if (r->lab != NULL && r->lab->server >= 0 && n < max)
		n += runner_pollfds(r->lab->runner, fds + n, max - n);
	return n;
}
