/* keys.h: keys of terminal habit, mapped once to actions.
 *
 * The views switch on actions, not on key codes, so the lnav/less/vi
 * bindings (arrows and hjkl, g/G, / n N, e/E, w/W, …) are defined here
 * alone; the key line at the bottom is drawn from hint tables. */
#ifndef SSHD_TUI_KEYS_H
#define SSHD_TUI_KEYS_H

#include <curses.h>

#include "layout.h"

enum act {
	ACT_NONE = 0,
	ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END,
	ACT_ENTER, ACT_BACK, ACT_ESC, ACT_INTERRUPT, ACT_HELP, ACT_TAB, ACT_BTAB,
	ACT_SEARCH, ACT_NEXT, ACT_PREV, ACT_ERR_NEXT, ACT_ERR_PREV, ACT_WARN_NEXT,
	ACT_WARN_PREV, ACT_MARK, ACT_COPY, ACT_FOLD_ALL, ACT_LAYER, ACT_ALL_LAYERS,
	ACT_ZOOM, ACT_SAVE, ACT_DOC, ACT_EXTEND, ACT_ANSWER, ACT_RUN, ACT_REDRAW,
	ACT_WHEEL_UP, ACT_WHEEL_DOWN, ACT_CLICK, ACT_RESIZE,
};

struct key {
	int		 code;		/* as getch() gave it */
	enum act	 act;
	int		 arg;		/* ACT_LAYER: the layer */
	int		 y, x;		/* ACT_CLICK, wheel: where */
};

/* Keypad, mouse, a short Esc delay. */
void keys_init(void);
/* The next key without waiting: 0 with one, -1 when there is none. */
int keys_read(struct key *k);

struct hint {
	const char	*key;
	const char	*what;
};

/* The key line: hints (NULL-terminated by key) from the left, a message
 * (if any) on the right. */
void keys_draw_hints(const struct rect *r, const struct hint *hints,
    const char *msg, int msg_role);

#endif
