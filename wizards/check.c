/* check.c: the local audit: file modes, keys, known_hosts, and on a
 * server sshd -T; each finding with its fix. */
#include "wizard_impl.h"
#include "util.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { K_START, K_RUN, K_FINDINGS };

static int
check_step(struct wiz *w, struct wiz_event *ev)
{
	struct passwd *pw;
	const char *user = w->p.check_user;

	switch (w->state) {
	case K_START:
		if (user == NULL && (pw = getpwuid(getuid())) != NULL)
			user = pw->pw_name;
		w->state = K_RUN;
		ev->type = WIZ_STEP;
		ev->text = wiz_text(w, "check: the files and configuration of %s",
		    user ? user : "this user");
		return 0;
	case K_RUN:
		if (user == NULL && (pw = getpwuid(getuid())) != NULL)
			user = pw->pw_name;
		if (user != NULL)
			check_all(user, &w->findings);
		w->state = K_FINDINGS;
		/* FALLTHROUGH */
	case K_FINDINGS:
		return wiz_next_finding(w, ev) == 0 ? 0 : -1;
	}
	return -1;
}

const struct wizard wizard_check = {
	.name = "check",
	.summary = "audit the local files: modes, keys, known_hosts, sshd -T",
	.step = check_step,
};
