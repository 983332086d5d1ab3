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

static const struct help_line train_help[] = {
	{ NULL, "Training: replay a saved ssh log step by step and answer its quiz" },
	{ NULL, "" },
	{ NULL, "Each scenario is a real log (client, server or both) with notes "
	    "and quiz points. The replay shows it one line at a time, as ssh "
	    "wrote it, with the layer tag of each line and 'noise' on the lines "
	    "sshdoctor folds away; a note is a header in bold. At a quiz point "
	    "the replay stops and asks a question with numbered choices." },
	{ NULL, "" },
	{ NULL, "The scenarios" },
	{ "Up/Down, j/k", "choose a scenario (the mouse wheel too)" },
	{ "Home/End, g/G", "first / last scenario" },
	{ "Enter", "replay it" },
	{ "q, Esc", "back to the home screen (or quit when opened with "
	    "sshdoctor train)" },
	{ NULL, "" },
	{ NULL, "The replay" },
	{ "Space/Enter/Down, j", "next step (pauses the playing)" },
	{ "b, Up, k", "one step back (pauses the playing)" },
	{ "p", "play or pause: steps on by themselves" },
	{ "+ (or =) / -", "faster / slower: from 0.25 to 64 steps a second, "
	    "doubling or halving (2 at first)" },
	{ "q, Esc", "back to the scenarios (the score is dropped)" },
	{ NULL, "" },
	{ NULL, "The quiz" },
	{ "1-9", "the choice with that number" },
	{ "Left/Right, Enter", "move between the choices (Up/Down, h/l too) and "
	    "take one" },
	{ NULL, "Esc (or Ctrl-C) leaves a question unanswered: it counts as asked and wrong. "
	    "The answer is judged at once, with the explanation (and the right "
	    "answer when yours was not); Enter closes it and the replay goes on." },
	{ NULL, "" },
	{ NULL, "Scoring" },
	{ NULL, "One point for each question answered right; the status line "
	    "shows 'right R/A', the questions right out of those asked so far. "
	    "Each question is asked once per replay: stepping back over it and "
	    "forward again does not ask it again. At the end the line shows the "
	    "score and sshdoctor's own diagnosis of the whole log, to compare. "
	    "The batch form is sshdoctor train SCENARIO without --tui." },
	{ NULL, "" },
	{ "Ctrl-C", "quit" },
	{ "Ctrl-L", "redraw the screen" },
	{ "?", "this help (q, Esc or ? closes it; the replay pauses)" },
	{ NULL, NULL }
};

static const struct help_line lab_help[] = {
	{ NULL, "The lab: break a private sshd on purpose and diagnose it" },
	{ NULL, "" },
	{ NULL, "What a break is" },
	{ NULL, "A break is one way of getting SSH wrong, written in the lab's "
	    "breaks file ($SSHDOCTOR_LAB, or lab/breaks.yaml beside the "
	    "knowledge base): sshd_config lines, ssh options, the client key "
	    "offered, authorized_keys, known_hosts, file modes, and the "
	    "diagnosis it must produce. Enter builds a sandbox (a temporary "
	    "directory), sets it up broken that way, starts sshd -ddd on a "
	    "loopback port for one connection and opens the connect wizard "
	    "against it in the run screen, with both logs: the client's ssh "
	    "-vvv and the lab's sshd. The key line says which diagnosis to "
	    "expect. Nothing outside the sandbox is touched." },
	{ NULL, "" },
	{ NULL, "Breaks under 'Not offered here' are greyed, with the reason: "
	    "they need root, or a program that is missing, or sshdoctor's "
	    "diagnosis of them is known to be wrong. Enter on one only says why." },
	{ NULL, "" },
	{ NULL, "Keys" },
	{ "Up/Down, j/k", "choose a break (the mouse wheel too)" },
	{ "Home/PgUp, g/b", "first break" },
	{ "End/PgDn, G/Space", "last break" },
	{ "Enter", "break it and connect" },
	{ "q, Esc", "back to the home screen (or quit when opened with "
	    "sshdoctor lab)" },
	{ "Ctrl-C", "quit" },
	{ "Ctrl-L", "redraw the screen" },
	{ "?", "this help (q, Esc or ? closes it)" },
	{ NULL, "" },
	{ NULL, "The sandbox is torn down" },
	{ NULL, "The run screen owns the lab: leaving it with q (back here), "
	    "quitting sshdoctor, Ctrl-C, or a SIGTERM, SIGINT or SIGHUP (the "
	    "terminal closing) kills the lab's sshd and removes the sandbox. "
	    "No sshd of the lab and no temporary file is left behind." },
	{ NULL, NULL }
};

static const struct help_line *
page_of(const char *page)
{
	if (strcmp(page, "home") == 0)
		return home_help;
	if (strcmp(page, "train") == 0)
		return train_help;
	if (strcmp(page, "lab") == 0)
		return lab_help;
	return run_help;
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
