/* colour.c: the role table. One row per role: foreground, background,
 * extra attributes with colour, attributes without. */
#include "colour.h"

#include <stdlib.h>

#include "kb.h"

struct role_def {
	short	 fg;
	short	 bg;
	attr_t	 colour;	/* added to the colour pair */
	attr_t	 mono;		/* used alone on a monochrome terminal */
};

#define DEF	(-1)	/* the terminal's default colour */

static const struct role_def roles[R_COUNT] = {
	[R_NORMAL]	= { DEF, DEF, A_NORMAL, A_NORMAL },
	[R_TCP]		= { COLOR_BLUE, DEF, A_BOLD, A_NORMAL },
	[R_VERSION]	= { COLOR_CYAN, DEF, A_NORMAL, A_NORMAL },
	[R_KEX]		= { COLOR_MAGENTA, DEF, A_NORMAL, A_NORMAL },
	[R_HOSTKEY]	= { COLOR_YELLOW, DEF, A_NORMAL, A_NORMAL },
	[R_AUTH]	= { COLOR_GREEN, DEF, A_NORMAL, A_NORMAL },
	[R_CONN]	= { COLOR_CYAN, DEF, A_BOLD, A_NORMAL },
	[R_SFTP]	= { COLOR_BLUE, DEF, A_NORMAL, A_NORMAL },
	[R_LOCAL]	= { COLOR_WHITE, DEF, A_DIM, A_NORMAL },
	[R_OTHER]	= { DEF, DEF, A_NORMAL, A_NORMAL },
	[R_ERROR]	= { COLOR_RED, DEF, A_BOLD, A_BOLD | A_UNDERLINE },
	[R_WARN]	= { COLOR_YELLOW, DEF, A_BOLD, A_BOLD },
	[R_NOISE]	= { DEF, DEF, A_DIM, A_DIM },
	[R_HEADER]	= { COLOR_WHITE, DEF, A_BOLD, A_BOLD },
	[R_NOTE]	= { COLOR_CYAN, DEF, A_BOLD, A_BOLD },
	[R_GUTTER]	= { DEF, DEF, A_DIM, A_DIM },
	[R_MATCH]	= { COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_UNDERLINE | A_BOLD },
	[R_MARK]	= { COLOR_MAGENTA, DEF, A_BOLD, A_BOLD },
	[R_CURSOR]	= { DEF, DEF, A_REVERSE, A_REVERSE },
	[R_CURSOR_DIM]	= { DEF, DEF, A_UNDERLINE, A_UNDERLINE },
	[R_TITLE]	= { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[R_STATUS]	= { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
	[R_STATUS_KEY]	= { COLOR_BLUE, COLOR_WHITE, A_BOLD, A_REVERSE | A_BOLD },
	[R_PANE]	= { COLOR_WHITE, DEF, A_BOLD, A_BOLD },
	[R_PANE_FOCUS]	= { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[R_OK]		= { COLOR_GREEN, DEF, A_BOLD, A_BOLD },
	[R_FAIL]	= { COLOR_RED, DEF, A_BOLD, A_BOLD | A_REVERSE },
	[R_RUNNING]	= { COLOR_YELLOW, DEF, A_BOLD, A_BOLD },
	[R_DIM]		= { DEF, DEF, A_DIM, A_DIM },
	[R_SECTION]	= { COLOR_CYAN, DEF, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE },
	[R_COMMAND]	= { COLOR_GREEN, DEF, A_BOLD, A_BOLD },
	[R_DIALOG]	= { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_NORMAL },
	[R_DIALOG_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[R_INPUT]	= { COLOR_WHITE, COLOR_BLACK, A_NORMAL, A_UNDERLINE },
	[R_MESSAGE]	= { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD | A_REVERSE },
};

static attr_t attrs[R_COUNT];
static int with_colour;

void
colour_init(int want_colour)
{
	const char *nc = getenv("NO_COLOR");

	/* NO_COLOR: present and not empty (no-color.org) */
	with_colour = want_colour && (nc == NULL || *nc == '\0') && has_colors();
	if (with_colour && start_color() == ERR)
		with_colour = 0;
	if (with_colour)
		use_default_colors();
	for (int r = 0; r < R_COUNT; r++) {
		if (!with_colour) {
			attrs[r] = roles[r].mono;
			continue;
		}
		/* a role without colours has no pair: OR-ing it onto another
		 * role (the cursor onto a layer) must not mix two pairs */
		if (roles[r].fg == DEF && roles[r].bg == DEF) {
			attrs[r] = roles[r].colour;
			continue;
		}
		/* pair r+1 for role r; a terminal with few pairs gets mono */
		if (r + 1 < COLOR_PAIRS &&
		    init_pair((short)(r + 1), roles[r].fg, roles[r].bg) == OK)
			attrs[r] = COLOR_PAIR(r + 1) | roles[r].colour;
		else
			attrs[r] = roles[r].mono;
	}
}

int
colour_on(void)
{
	return with_colour;
}

attr_t
colour_attr(enum role r)
{
	return r >= 0 && r < R_COUNT ? attrs[r] : A_NORMAL;
}

enum role
colour_layer(int layer)
{
	if (layer < 0 || layer >= LAYER_COUNT)
		return R_OTHER;
	return (enum role)(R_TCP + layer);
}
