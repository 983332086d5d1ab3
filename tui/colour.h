/* colour.h: one table of semantic colours, with a monochrome column.
 *
 * Views ask for a role (a layer, an error, the cursor), never for a
 * colour. Under NO_COLOR, on a terminal without colours, or when asked,
 * every role takes its monochrome attributes instead; the meaning is then
 * carried by the layer tags and the glyphs the views draw, and by bold,
 * dim, underline and reverse. */
#ifndef SSHD_TUI_COLOUR_H
#define SSHD_TUI_COLOUR_H

#include <curses.h>

enum role {
	R_NORMAL = 0,
	/* the layers, in enum layer order */
	R_TCP, R_VERSION, R_KEX, R_HOSTKEY, R_AUTH, R_CONN, R_SFTP, R_LOCAL,
	R_OTHER,
	R_ERROR,	/* error and fatal lines */
	R_WARN,		/* lines that matched a problem or a warning */
	R_NOISE,	/* noise lines and the fold line */
	R_HEADER,	/* ">> Key Exchange" between the lines */
	R_NOTE,		/* the wizard's own notes in the log */
	R_GUTTER,	/* line numbers */
	R_MATCH,	/* search matches */
	R_MARK,		/* marked lines' marker */
	R_CURSOR,	/* the selected row of the focused pane */
	R_CURSOR_DIM,	/* the selected row of a pane without focus */
	R_TITLE,	/* the top bar */
	R_STATUS,	/* the bottom key line */
	R_STATUS_KEY,	/* a key in the key line */
	R_PANE,		/* a pane's title row */
	R_PANE_FOCUS,	/* the focused pane's title row */
	R_OK,		/* a stage that passed, a good verdict */
	R_FAIL,		/* a stage that failed, a problem */
	R_RUNNING,	/* a stage under way, an open question */
	R_DIM,		/* not reached, hints */
	R_SECTION,	/* headings in the diagnosis pane */
	R_COMMAND,	/* a fix command */
	R_DIALOG,	/* a dialog's body */
	R_DIALOG_TITLE,
	R_INPUT,	/* a text field */
	R_MESSAGE,	/* a transient message in the key line */
	R_COUNT
};

/* After initscr(): colours when the terminal has them and NO_COLOR is
 * not set (want_colour 0 forces monochrome). */
void colour_init(int want_colour);
int colour_on(void);
attr_t colour_attr(enum role r);
enum role colour_layer(int layer);

#endif
