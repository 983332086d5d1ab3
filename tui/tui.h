/* tui.h: the curses front end's one entry point. Everything curses lives
 * under tui/; the engine and the wizards never see it. */
#ifndef SSHD_TUI_H
#define SSHD_TUI_H

#include "kb.h"
#include "wizard.h"

enum tui_screen { TUI_HOME = 0, TUI_WIZARD, TUI_ANALYZE, TUI_LAB, TUI_TRAIN };

struct lab;

struct tui_start {
	enum tui_screen	 screen;
	const struct wizard *wizard;	/* TUI_WIZARD: the flow to run */
	struct wiz_params params;	/* TUI_WIZARD: as parsed from the command line */
	const char	*files[8];	/* TUI_ANALYZE: logs to open */
	enum side	 sides[8];
	size_t		 nfiles;
	/* TUI_WIZARD: a started lab whose sshd's log is the server side; the
	 * run takes it and calls lab_stop() when it closes */
	struct lab	*lab;
	const char	*scenario;	/* TUI_TRAIN: open this one, or NULL */
};

/* Run the TUI until the operator quits. Returns an exit code (0 normal,
 * 1 the terminal could not be used, with a message on stderr). */
int tui_main(const struct kb *kb, const struct tui_start *start);

#endif
