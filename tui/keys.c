/* keys.c: the one key map, the mouse, the key line. */
#include "keys.h"
#include "colour.h"
#include "draw.h"

#include <string.h>

#define CTRL(c)	((c) & 0x1f)

void
keys_init(void)
{
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* Esc alone must act at once, as in lnav and mutt */
	set_escdelay(25);
	mouseinterval(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
	    BUTTON5_PRESSED, NULL);
}

static enum act
act_of(int c, int *arg)
{
	switch (c) {
	case KEY_UP: case 'k':			return ACT_UP;
	case KEY_DOWN: case 'j':		return ACT_DOWN;
	case KEY_LEFT: case 'h':		return ACT_LEFT;
	case KEY_RIGHT: case 'l':		return ACT_RIGHT;
	case KEY_PPAGE: case 'b': case CTRL('b'): return ACT_PGUP;
	case KEY_NPAGE: case ' ': case CTRL('f'): return ACT_PGDN;
	case KEY_HOME: case 'g':		return ACT_HOME;
	case KEY_END: case 'G':			return ACT_END;
	case '\n': case '\r': case KEY_ENTER:	return ACT_ENTER;
	case 'q':				return ACT_BACK;
	case 27:				return ACT_ESC;
	case CTRL('c'):				return ACT_INTERRUPT;
	case '?': case KEY_F(1):		return ACT_HELP;
	case '\t':				return ACT_TAB;
	case KEY_BTAB:				return ACT_BTAB;
	case '/':				return ACT_SEARCH;
	case 'n':				return ACT_NEXT;
	case 'N':				return ACT_PREV;
	case 'e':				return ACT_ERR_NEXT;
	case 'E':				return ACT_ERR_PREV;
	case 'w':				return ACT_WARN_NEXT;
	case 'W':				return ACT_WARN_PREV;
	case 'm':				return ACT_MARK;
	case 'c':				return ACT_COPY;
	case 'f':				return ACT_FOLD_ALL;
	case '0':				return ACT_ALL_LAYERS;
	case 'z':				return ACT_ZOOM;
	case 's':				return ACT_SAVE;
	case 't':				return ACT_DOC;
	case '+':				return ACT_EXTEND;
	case 'a':				return ACT_ANSWER;
	case 'r':				return ACT_RUN;
	case CTRL('l'):				return ACT_REDRAW;
	case KEY_RESIZE:			return ACT_RESIZE;
	}
	if (c >= '1' && c <= '9') {
		*arg = c - '1';
		return ACT_LAYER;
	}
	return ACT_NONE;
}

int
keys_read(struct key *k)
{
	int c = getch();
	MEVENT m;

	if (c == ERR)
		return -1;
	memset(k, 0, sizeof *k);
	k->code = c;
	if (c == KEY_MOUSE) {
		if (getmouse(&m) != OK)
			return 0;
		k->y = m.y;
		k->x = m.x;
		if (m.bstate & BUTTON4_PRESSED)
			k->act = ACT_WHEEL_UP;
		else if (m.bstate & BUTTON5_PRESSED)
			k->act = ACT_WHEEL_DOWN;
		else if (m.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
			k->act = ACT_CLICK;
		return 0;
	}
	k->act = act_of(c, &k->arg);
	return 0;
}

void
keys_draw_hints(const struct rect *r, const struct hint *hints,
    const char *msg, int msg_role)
{
	int x = r->x, end = r->x + r->w, mw = 0;

	draw_fill(r->y, r->x, r->w, colour_attr(R_STATUS));
	if (msg != NULL && *msg != '\0') {
		mw = text_width(msg, strlen(msg)) + 2;
		if (mw > r->w / 2 + 10)
			mw = r->w / 2 + 10;
		if (mw > r->w)
			mw = r->w;
		draw_fill(r->y, end - mw, mw, colour_attr(msg_role));
		draw_str(r->y, end - mw + 1, msg, mw - 1, colour_attr(msg_role));
		end -= mw + 1;
	}
	for (size_t i = 0; hints != NULL && hints[i].key != NULL; i++) {
		int kw = text_width(hints[i].key, strlen(hints[i].key));
		int ww = text_width(hints[i].what, strlen(hints[i].what));

		if (x + 1 + kw + 1 + ww > end)
			break;
		x += 1;
		x += draw_str(r->y, x, hints[i].key, end - x, colour_attr(R_STATUS_KEY));
		x += 1;
		x += draw_str(r->y, x, hints[i].what, end - x, colour_attr(R_STATUS));
		x += 1;
	}
}
