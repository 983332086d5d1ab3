/* view-help.c: the help text, per screen. */
#include "view-help.h"
#include "colour.h"
#include "draw.h"

#include <string.h>

struct help_line {
	const char	*key;		/* NULL: a heading or a paragraph */
	const char	*text;
};

static const struct help_line home_help[] = {
	{ NULL, "sshdoctor: find why an SSH connection fails" },
	{ NULL, "" },
	{ NULL, "Home" },
	{ "Up/Down, j/k", "choose a wizard or a recent session" },
	{ "Enter", "start it (a dialog asks for the target or the files)" },
	{ "mouse", "click to choose, wheel to move" },
	{ "?", "this help" },
	{ "q", "quit" },
	{ NULL, "" },
	{ NULL, "The wizards" },
	{ "connect", "runs ssh -vvv against a host, reads its log by stage and "
	    "says why the connection fails and how to fix it" },
	{ "server", "on the server, as root: a debug sshd on a spare port; "
	    "connect to it from the client and read both sides" },
	{ "sftp", "runs sftp -vvv; also checks that a login prints nothing "
	    "that would break sftp" },
	{ "check", "audits file modes, keys, known_hosts, ssh -G and sshd -T" },
	{ "analyze", "reads saved logs (ssh -vvv output, sshd -ddd, auth.log, "
	    "journalctl); from the shell: sshdoctor analyze --tui FILE..." },
	{ NULL, "" },
	{ NULL, "Recent sessions are kept in ~/.cache/sshdoctor/history "
	    "(mode 0600): targets and file names only, never a password." },
	{ NULL, NULL }
};

static const struct help_line run_help[] = {
	{ NULL, "The log, the stage ladder and the diagnosis" },
	{ NULL, "" },
	{ NULL, "Moving" },
	{ "Up/Down, j/k", "one row" },
	{ "PgUp/PgDn, b/Space", "one page" },
	{ "g/G, Home/End", "first / last row" },
	{ "Left/Right, h/l", "scroll long lines sideways" },
	{ "Tab, Shift-Tab", "next / previous pane (each log, the diagnosis)" },
	{ "t", "next log in this pane (client, server, ...)" },
	{ "z", "zoom the pane in focus, or back" },
	{ "mouse", "click a row or a pane, wheel to scroll" },
	{ NULL, "" },
	{ NULL, "Reading the log" },
	{ "Enter", "on a fold line: show the noise lines; on one of them: fold "
	    "again; on an evidence line of the diagnosis: show it in its log" },
	{ "f", "fold all noise, or none" },
	{ "1-9", "hide or show a layer: 1 tcp 2 version 3 kex 4 hostkey 5 auth "
	    "6 conn 7 sftp 8 local 9 other" },
	{ "0", "show every layer" },
	{ "/", "search (case-insensitive text); n next, N previous" },
	{ "e / E", "next / previous error or fatal line" },
	{ "w / W", "next / previous warning (a line that matched a problem)" },
	{ "m", "mark or unmark a line" },
	{ "c", "copy the marked lines (or the line under the cursor) to the "
	    "clipboard with OSC 52, where the terminal allows it" },
	{ NULL, "" },
	{ NULL, "Each row: line number, '!' error or '~' warning, the layer "
	    "tag (TCP, VERS, KEX, HKEY, AUTH, CONN, SFTP, LOCAL, OTHER), the "
	    "text. '>> Key Exchange' and '<< SSH-AUTH complete' lines are the "
	    "stage headers of the talk, placed by sshdoctor. Control bytes and "
	    "escape sequences of a log are shown as \\e, \\xNN, never sent to "
	    "the terminal." },
	{ NULL, "" },
	{ NULL, "The diagnosis and its commands" },
	{ "Enter", "on a command: copy it, save it to a file, or run it" },
	{ "c", "copy the command (or the fix of a finding)" },
	{ "a", "answer the question the decision tree asks" },
	{ "s", "save the report as Markdown (for a ticket)" },
	{ "+", "give a running wizard more time (its whole timeout again)" },
	{ NULL, "" },
	{ NULL, "sshdoctor never runs a fix by itself. Run asks first, "
	    "showing the exact command; only a 'y' runs it, with /bin/sh -c "
	    "on this terminal (the commands are shell lines), and you come "
	    "back here after it. Passwords and passphrases typed into a dialog "
	    "go to ssh and are wiped; they are never shown, logged or saved." },
	{ NULL, "" },
	{ "q", "back to the home screen, or quit (a running wizard is "
	    "stopped first, after a question)" },
	{ "Ctrl-C", "stop a running wizard" },
	{ "Ctrl-L", "redraw the screen" },
	{ "?", "this help (q, Esc or ? closes it)" },
	{ NULL, NULL }
};

static const struct help_line *
page_of(const char *page)
{
	return strcmp(page, "home") == 0 ? home_help : run_help;
}

/* The help as wrapped rows; role per row in roles (if not NULL). */
static int
help_rows(const char *page, int width, struct strv *rows, int *roles, int max)
{
	const struct help_line *h = page_of(page);
	int keyw = 20, n = 0;

	for (; h->text != NULL; h++) {
		struct strv w = { 0 };

		if (h->key == NULL) {
			text_wrap(h->text, width - 2, 0, &w);
			for (size_t i = 0; i < w.n; i++) {
				if (roles != NULL && n < max)
					roles[n] = h->text[0] != '\0' && w.n == 1 &&
					    strlen(h->text) < 50 ? R_SECTION : R_NORMAL;
				strv_add(rows, w.v[i]);
				n++;
			}
			if (w.n == 0) {
				if (roles != NULL && n < max)
					roles[n] = R_NORMAL;
				strv_add(rows, "");
				n++;
			}
		} else {
			text_wrap(h->text, width - keyw - 4, 0, &w);
			for (size_t i = 0; i < w.n; i++) {
				char *row = xasprintf("  %-*s %s", keyw,
				    i == 0 ? h->key : "", w.v[i]);

				if (roles != NULL && n < max)
					roles[n] = R_NORMAL;
				strv_addn(rows, row);
				n++;
			}
		}
		strv_free(&w);
	}
	return n;
}

void
help_draw(const char *page, const struct rect *r, int *top)
{
	struct strv rows = { 0 };
	int roles[256], n;

	n = help_rows(page, r->w - 2, &rows, roles, 256);
	if (*top > n - r->h)
		*top = n - r->h > 0 ? n - r->h : 0;
	if (*top < 0)
		*top = 0;
	for (int i = 0; i < r->h; i++) {
		int k = *top + i;

		draw_fill(r->y + i, r->x, r->w, A_NORMAL);
		if (k < n)
			draw_str(r->y + i, r->x + 1, rows.v[k], r->w - 2,
			    colour_attr(k < 256 ? roles[k] : R_NORMAL));
	}
	if (*top + r->h < n)
		draw_str(r->y + r->h - 1, r->x + r->w - 2, glyph(G_ELLIPSIS), 1,
		    colour_attr(R_DIM) | A_BOLD);
	strv_free(&rows);
}

int
help_key(const struct key *k, int *top, const struct rect *r)
{
	switch (k->act) {
	case ACT_BACK: case ACT_ESC: case ACT_HELP: case ACT_INTERRUPT:
		return 1;
	case ACT_UP: case ACT_WHEEL_UP:	(*top)--; break;
	case ACT_DOWN: case ACT_WHEEL_DOWN:	(*top)++; break;
	case ACT_PGUP:			*top -= r->h - 1; break;
	case ACT_PGDN:			*top += r->h - 1; break;
	case ACT_HOME:			*top = 0; break;
	case ACT_END:			*top = 1 << 20; break;
	default:			break;
	}
	if (*top < 0)
		*top = 0;
	return 0;
}
