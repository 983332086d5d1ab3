/* sftp.c: sftp -vvv with a batch of pwd and ls; when it fails after the
 * login, the shell-noise check: `ssh host true` must print nothing. */
#include "wizard_impl.h"
#include "sanitize.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { F_START, F_RUN, F_RUNNING, F_NOISE, F_NOISE_RUNNING, F_NOISE_TELL,
    F_CONCLUDE };

static int
write_batch(struct wiz *w)
{
	struct runner *r = wiz_runner(w);
	int fd;

	if (r == NULL)
		return -1;
	w->batchfile = xasprintf("%s/sftp-batch", runner_tmpdir(r));
	if ((fd = open(w->batchfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1)
		return -1;
	if (write(fd, "pwd\nls\n", 7) != 7) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* The sftp run failed after authentication: worth the noise check. */
static int
want_noise_check(struct wiz *w)
{
	const struct diagnosis *d;

	session_finish(w->session);
	d = session_diagnosis(w->session);
	return d != NULL && d->stages[STAGE_AUTH].status == STATUS_OK &&
	    d->stages[STAGE_SFTP].status != STATUS_OK;
}

static int
sftp_step(struct wiz *w, struct wiz_event *ev)
{
	struct strv argv = { 0 };
	char *target;
	int rc;

	switch (w->state) {
	case F_START:
		w->state = F_RUN;
		ev->type = WIZ_STEP;
		ev->text = wiz_text(w, "sftp: %s%s%s", w->p.user ? w->p.user : "",
		    w->p.user ? "@" : "", w->p.host);
		return 0;
	case F_RUN:
		w->state = F_RUNNING;
		if (write_batch(w) != 0) {
			ev->type = WIZ_INFO;
			ev->text = wiz_text(w, "cannot write the sftp batch file: %s",
			    strerror(errno));
			w->status = 1;
			w->state = F_CONCLUDE;
			return 0;
		}
		target = wiz_target(w);
		strv_add(&argv, "sftp");
		wiz_client_options(w, &argv);
		if (w->p.port > 0)
			strv_addn(&argv, xasprintf("-P%d", w->p.port));
		strv_add(&argv, "-b");
		strv_add(&argv, w->batchfile);
		strv_addn(&argv, target);
		rc = wiz_start_client(w, &argv, ev);
		strv_free(&argv);
		if (rc < 0)
			w->state = F_CONCLUDE;
		return 0;
	case F_RUNNING:
		rc = wiz_pump(w, ev);
		if (rc == 0)
			return 0;
		if (rc == 2)
			return 1;
		w->state = rc > 0 && want_noise_check(w) ? F_NOISE : F_CONCLUDE;
		return sftp_step(w, ev);
	case F_NOISE:
		/* the same login without sftp: anything printed is what
		 * corrupted the SFTP stream */
		target = wiz_target(w);
		strv_add(&argv, "ssh");
		strv_add(&argv, "-oConnectTimeout=10");
		strv_add(&argv, "-oLogLevel=ERROR");
		for (size_t i = 0; i < w->p.ssh_args.n; i++)
			strv_add(&argv, w->p.ssh_args.v[i]);
		if (w->p.port > 0)
			strv_addn(&argv, xasprintf("-p%d", w->p.port));
		strv_add(&argv, "--");
		strv_addn(&argv, target);
		strv_add(&argv, "true");
		rc = wiz_start_client(w, &argv, ev);
		w->noise_client = w->client;
		strv_free(&argv);
		w->state = rc < 0 ? F_CONCLUDE : F_NOISE_RUNNING;
		return 0;
	case F_NOISE_RUNNING:
		rc = wiz_pump(w, ev);
		if (rc == 2)
			return 1;
		if (rc == 0 && ev->type != WIZ_LINE)
			return 0;
		if (rc == 0)
			return 1;	/* the check's own lines are not the log */
		w->state = F_NOISE_TELL;
		/* FALLTHROUGH */
	case F_NOISE_TELL:
		w->state = F_CONCLUDE;
		if (w->noise_out.len > 0) {
			char *clean = sanitize_str(w->noise_out.data);

			findings_add(&w->findings, FIND_ERROR, "shell-noise",
			    "sftp-shell-noise", NULL, NULL, "`ssh %s true` printed "
			    "text a non-interactive login must not print: %s",
			    w->p.host, clean);
			free(clean);
		} else
			findings_add(&w->findings, FIND_OK, "shell-noise", NULL, NULL,
			    NULL, "`ssh %s true` printed nothing: no shell noise",
			    w->p.host);
		/* FALLTHROUGH */
	case F_CONCLUDE:
		if (wiz_next_finding(w, ev) == 0)
			return 0;
		return wiz_conclude(w, ev) == 0 ? 0 : -1;
	}
	return -1;
}

const struct wizard wizard_sftp = {
	.name = "sftp",
	.summary = "sftp or scp fails: run sftp -vvv and check for login noise",
	.step = sftp_step,
};
