/* wizard.c: the machinery every flow shares: the run loop over the
 * runner, prompts and questions, the concluding diagnosis. */
#include "wizard_impl.h"
#include "prefix.h"
#include "reader.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_S	60
#define DEFAULT_CONNECT_S	10
#define MAX_QUESTIONS		8

const struct wizard *const wizard_table[] = {
	&wizard_connect, &wizard_server, &wizard_sftp, &wizard_check,
	&wizard_analyze, NULL
};

const struct wizard *
wizard_find(const char *name)
{
	for (size_t i = 0; wizard_table[i] != NULL; i++)
		if (strcmp(wizard_table[i]->name, name) == 0)
			return wizard_table[i];
	return NULL;
}

struct wiz *
wiz_new(const struct wizard *def, const struct kb *kb, const struct wiz_params *p)
{
	struct wiz *w = xcalloc(1, sizeof *w);
	struct session_opts so;

	w->def = def;
	w->kb = kb;
	w->p = *p;
	memset(&w->p.ssh_args, 0, sizeof w->p.ssh_args);
	memset(&w->p.answers, 0, sizeof w->p.answers);
	for (size_t i = 0; i < p->ssh_args.n; i++)
		strv_add(&w->p.ssh_args, p->ssh_args.v[i]);
	for (size_t i = 0; i < p->answers.n; i++)
		strv_add(&w->p.answers, p->answers.v[i]);
	if (w->p.timeout_s <= 0)
		w->p.timeout_s = DEFAULT_TIMEOUT_S;
	if (w->p.connect_timeout_s <= 0)
		w->p.connect_timeout_s = DEFAULT_CONNECT_S;
	memset(&so, 0, sizeof so);
	so.since_ms = -1;
	so.answers = w->p.answers;
	w->session = session_new(kb, &so);
	w->client = w->server = w->noise_client = -1;
	w->client_source = 0;
	w->server_source = 1;
	w->deadline = -1;
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		w->wall_start = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	buf_init(&w->noise_out);
	return w;
}

void
wiz_free(struct wiz *w)
{
	if (w == NULL)
		return;
	runner_free(w->runner);
	if (w->file_reader != NULL) {
		reader_close(w->file_reader);
		if (w->file_fd > STDERR_FILENO)
			close(w->file_fd);
	}
	session_free(w->session);
	findings_free(&w->findings);
	strv_free(&w->p.ssh_args);
	strv_free(&w->p.answers);
	if (w->reply != NULL) {
		explicit_bzero(w->reply, strlen(w->reply));
		free(w->reply);
	}
	free(w->text);
	free(w->batchfile);
	buf_free(&w->noise_out);
	free(w);
}

struct session *
wiz_session(struct wiz *w)
{
	return w->session;
}

const struct wizard *
wiz_def(const struct wiz *w)
{
	return w->def;
}

const char *
wiz_text(struct wiz *w, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(w->text);
	w->text = buf_steal(&b);
	return w->text;
}

const char *
wiz_given(const struct wiz *w, const char *key)
{
	size_t n = strlen(key);

	for (size_t i = 0; i < w->p.answers.n; i++)
		if (strncmp(w->p.answers.v[i], key, n) == 0 &&
		    w->p.answers.v[i][n] == '=')
			return w->p.answers.v[i] + n + 1;
	return NULL;
}

struct runner *
wiz_runner(struct wiz *w)
{
	if (w->runner == NULL) {
		w->runner = runner_new();
		if (w->runner != NULL && w->deadline < 0)
			w->deadline = (int64_t)w->p.timeout_s * 1000;
	}
	return w->runner;
}

char *
wiz_target(const struct wiz *w)
{
	if (w->p.user != NULL)
		return xasprintf("%s@%s", w->p.user, w->p.host);
	return xstrdup(w->p.host);
}

void
wiz_client_options(const struct wiz *w, struct strv *argv)
{
	strv_add(argv, "-vvv");
	strv_addn(argv, xasprintf("-oConnectTimeout=%d", w->p.connect_timeout_s));
	/* a batch run has no one to type at a prompt ssh would wait on */
	if (w->p.batch && wiz_given(w, "password") == NULL)
		strv_add(argv, "-oNumberOfPasswordPrompts=1");
	for (size_t i = 0; i < w->p.ssh_args.n; i++)
		strv_add(argv, w->p.ssh_args.v[i]);
}

/* The command line as a reader would type it (for INFO; quoted). */
static char *
argv_show(const struct strv *argv)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < argv->n; i++) {
		const char *a = argv->v[i];
		int plain = *a != '\0';

		for (const char *p = a; *p; p++)
			if (strchr(" \t'\"\\$`;&|<>()*?[]{}!#~", *p))
				plain = 0;
		if (i > 0)
			buf_addc(&b, ' ');
		if (plain)
			buf_adds(&b, a);
		else {
			buf_addc(&b, '\'');
			for (const char *p = a; *p; p++) {
				if (*p == '\'')
					buf_adds(&b, "'\\''");
				else
					buf_addc(&b, *p);
			}
			buf_addc(&b, '\'');
		}
	}
	return buf_steal(&b);
}

int
wiz_start_client(struct wiz *w, struct strv *argv, struct wiz_event *ev)
{
	char *shown = argv_show(argv);
	struct runner *r = wiz_runner(w);

	memset(ev, 0, sizeof *ev);
	ev->type = WIZ_INFO;
	if (r == NULL || (w->client = runner_spawn_client(r, argv->v)) < 0) {
		ev->text = wiz_text(w, "cannot run %s: %s", shown, strerror(errno));
		free(shown);
		w->status = 1;
		return -1;
	}
	ev->text = wiz_text(w, "$ %s", shown);
	free(shown);
	return 0;
}

static void
stop_all(struct wiz *w)
{
	for (int i = 0; w->runner != NULL && i < RUNNER_MAX_CHILDREN; i++)
		runner_stop(w->runner, i, 300);
}

int
wiz_pump(struct wiz *w, struct wiz_event *ev)
{
	struct runner_event re;
	struct reader_line rl;

	memset(ev, 0, sizeof *ev);
	for (;;) {
		if (w->cancelled) {
			stop_all(w);
			ev->type = WIZ_INFO;
			ev->text = "stopped";
			w->status = 2;
			return -1;
		}
		switch (runner_next(w->runner, w->deadline, w->wait_ms, &re)) {
		case -1:
			return 1;	/* nothing left running */
		case 1:
			return 2;	/* nothing yet */
		}
		ev->ms = re.ms;
		switch (re.type) {
		case RUNNER_LINE:
			if (re.child == w->noise_client) {
				/* what a login prints before sftp would see it */
				if (re.from_pty && w->noise_out.len < 512) {
					buf_add(&w->noise_out, re.data, re.len);
					buf_addc(&w->noise_out, '\n');
				}
				if (re.from_pty)
					continue;
			}
			memset(&rl, 0, sizeof rl);
			rl.data = re.data;
			rl.len = re.len;
			rl.number = re.number;
			ev->type = WIZ_LINE;
			ev->line = session_feed(w->session,
			    re.side == SIDE_SERVER ? w->server_source : w->client_source,
			    re.side, &rl, re.ms);
			return 0;
		case RUNNER_PROMPT:
			session_mark_wait(w->session);
			w->await = AWAIT_PROMPT;
			w->prompt_child = re.child;
			ev->type = WIZ_PROMPT;
			ev->prompt = re.prompt;
			ev->secret = re.prompt != PROMPT_HOSTKEY;
			ev->text = wiz_text(w, "%.*s", (int)re.len, re.data);
			if (re.prompt == PROMPT_HOSTKEY && wiz_given(w, "hostkey") != NULL) {
				char *a = xstrdup(wiz_given(w, "hostkey"));

				runner_answer(w->runner, re.child, a);
				free(a);
				w->await = AWAIT_NONE;
				ev->type = WIZ_INFO;
				ev->text = wiz_text(w, "host key question answered '%s' (--answer hostkey=...)",
				    wiz_given(w, "hostkey"));
			}
			return 0;
		case RUNNER_READY:
			w->ready = 1;
			ev->type = WIZ_INFO;
			ev->text = wiz_text(w, "sshd is listening on port %d", w->port);
			return 0;
		case RUNNER_EXIT:
			ev->type = WIZ_INFO;
			ev->text = wiz_text(w, "%s exited with status %d",
			    re.side == SIDE_SERVER ? "sshd" : "the client", re.status);
			return 0;
		case RUNNER_DEADLINE:
			stop_all(w);
			ev->type = WIZ_INFO;
			ev->text = wiz_text(w, "no result within %d s: stopped "
			    "(--timeout to wait longer)", w->p.timeout_s);
			w->deadline = -1;
			return 0;
		case RUNNER_SIGNAL:
			w->cancelled = 1;
			continue;
		case RUNNER_NONE:
			return 1;
		}
	}
}

int
wiz_conclude(struct wiz *w, struct wiz_event *ev)
{
	const struct diagnosis *d;
	const struct kb_node *q;
	size_t n = 0;

	memset(ev, 0, sizeof *ev);
	session_finish(w->session);
	d = session_diagnosis(w->session);
	if (w->asked == 0 || w->replied) {
		w->replied = 0;
		if (w->asked == 0)
			w->asked = 1;
		if (d != NULL) {
			ev->type = WIZ_DIAGNOSIS;
			ev->diag = d;
			return 0;
		}
	}
	if (d == NULL || (q = d->question) == NULL || w->asked > MAX_QUESTIONS ||
	    w->await == AWAIT_QUESTION)
		return 1;
	for (size_t i = 0; i < q->nanswers && n + 1 < 16; i++)
		w->choices[n++] = q->answers[i].key;
	w->choices[n] = NULL;
	w->await = AWAIT_QUESTION;
	w->asked++;
	ev->type = WIZ_QUESTION;
	ev->question.key = q->id;
	ev->question.text = q->ask;
	ev->question.choices = w->choices;
	return 0;
}

void
wiz_reply(struct wiz *w, char *answer)
{
	if (w->await == AWAIT_PROMPT) {
		if (answer != NULL)
			runner_answer(w->runner, w->prompt_child, answer);
		else
			runner_stop(w->runner, w->prompt_child, 300);
	} else if (w->await == AWAIT_QUESTION && (answer == NULL || *answer == '\0')) {
		/* declined: the question stays open in the report, unasked again */
		w->asked = MAX_QUESTIONS + 1;
	} else if (w->await == AWAIT_QUESTION) {
		const struct diagnosis *d = session_diagnosis(w->session);

		if (d != NULL && d->question != NULL) {
			char *kv = xasprintf("%s=%s", d->question->id, answer);

			session_answer(w->session, kv);
			free(kv);
			w->replied = 1;
		}
	}
	if (answer != NULL)
		explicit_bzero(answer, strlen(answer));
	w->await = AWAIT_NONE;
}

int
wiz_next_finding(struct wiz *w, struct wiz_event *ev)
{
	if (w->finding_next >= w->findings.n)
		return 1;
	memset(ev, 0, sizeof *ev);
	ev->type = WIZ_FINDING;
	ev->finding = &w->findings.v[w->finding_next++];
	return 0;
}

void
wiz_done(struct wiz *w, struct wiz_event *ev, int status)
{
	memset(ev, 0, sizeof *ev);
	ev->type = WIZ_DONE;
	ev->status = w->status != 0 ? w->status : status;
}

int
wiz_next(struct wiz *w, int timeout_ms, struct wiz_event *ev)
{
	int rc;

	if (w->await != AWAIT_NONE)
		wiz_reply(w, NULL);	/* asked again without a reply: declined */
	w->wait_ms = timeout_ms;
	memset(ev, 0, sizeof *ev);
	rc = w->def->step(w, ev);
	if (rc < 0) {
		wiz_done(w, ev, 0);
		return 0;
	}
	return rc == 1 ? 1 : 0;
}

size_t
wiz_pollfds(const struct wiz *w, struct pollfd *fds, size_t max)
{
	return w->runner != NULL ? runner_pollfds(w->runner, fds, max) : 0;
}

void
wiz_extend(struct wiz *w, int seconds)
{
	if (w->runner != NULL)
		w->deadline = runner_now(w->runner) + (int64_t)seconds * 1000;
}

void
wiz_cancel(struct wiz *w)
{
	w->cancelled = 1;
}
