/* dialog.c: boxes and prompts. */
#include "dialog.h"
#include "colour.h"
#include "draw.h"
#include "sanitize.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c)	((c) & 0x1f)

/* Sanitise each line, keeping the line breaks. */
static char *
sanitize_lines(const char *s)
{
	struct buf b;
	char *copy = xstrdup(s), *p = copy, *line;

	buf_init(&b);
	while ((line = strsep(&p, "\n")) != NULL) {
		char *clean;
		size_t n = strlen(line);

		/* a terminal's CR at either end means nothing here */
		while (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		while (*line == '\r')
			line++;
		clean = sanitize_str(line);
		if (b.len > 0 || p != NULL || *clean != '\0') {
			buf_adds(&b, clean);
			if (p != NULL)
				buf_addc(&b, '\n');
		}
		free(clean);
	}
	free(copy);
	if (b.data == NULL)
		buf_add(&b, "", 0);
	return buf_steal(&b);
}

struct dialog *
dialog_new(enum dlg_kind kind, int tag, const char *title, const char *body)
{
	struct dialog *d = xcalloc(1, sizeof *d);

	d->kind = kind;
	d->tag = tag;
	d->title = sanitize_str(title != NULL ? title : "");
	d->body = body != NULL ? sanitize_lines(body) : NULL;
	d->hist = -1;
	return d;
}

void
dialog_add_choice(struct dialog *d, const char *label)
{
	strv_addn(&d->choices, sanitize_str(label));
}

void
dialog_set_input(struct dialog *d, const char *text)
{
	size_t n = strlen(text);

	if (n >= sizeof d->input)
		n = sizeof d->input - 1;
	memcpy(d->input, text, n);
	d->input[n] = '\0';
	d->ilen = n;
}

void
dialog_free(struct dialog *d)
{
	if (d == NULL)
		return;
	explicit_bzero(d->input, sizeof d->input);
	free(d->title);
	free(d->body);
	free(d->hint);
	strv_free(&d->choices);
	free(d);
}

const char *
dialog_value(const struct dialog *d)
{
	if (d->kind == DLG_CHOICE && d->sel >= 0 && (size_t)d->sel < d->choices.n)
		return d->choices.v[d->sel];
	return d->input;
}

static void
input_key(struct dialog *d, int c)
{
	switch (c) {
	case KEY_BACKSPACE: case 127: case CTRL('h'):
		/* a whole UTF-8 character */
		while (d->ilen > 0 && ((unsigned char)d->input[d->ilen - 1] & 0xc0) == 0x80)
			d->ilen--;
		if (d->ilen > 0)
			d->ilen--;
		d->input[d->ilen] = '\0';
		return;
	case CTRL('u'):
		explicit_bzero(d->input, sizeof d->input);
		d->ilen = 0;
		return;
	case KEY_UP: case KEY_DOWN:
		if (d->kind != DLG_INPUT || d->history == NULL || d->history->n == 0)
			return;
		d->hist += c == KEY_UP ? 1 : -1;
		if (d->hist >= (int)d->history->n)
			d->hist = (int)d->history->n - 1;
		if (d->hist < 0) {
			d->hist = -1;
			dialog_set_input(d, "");
		} else
			dialog_set_input(d, d->history->v[d->hist]);
		return;
	}
	/* text: printable ASCII and the bytes of UTF-8 characters */
	if (c >= 0x20 && c < 0x100 && c != 0x7f && d->ilen + 1 < sizeof d->input) {
		d->input[d->ilen++] = (char)c;
		d->input[d->ilen] = '\0';
	}
}

int
dialog_key(struct dialog *d, int c)
{
	int n = (int)d->choices.n;

	if (c == 27 || c == CTRL('c') || c == CTRL('g')) {
		d->done = -1;
		return 1;
	}
	switch (d->kind) {
	case DLG_MESSAGE:
		if (c == '\n' || c == '\r' || c == KEY_ENTER || c == 'q' || c == ' ') {
			d->done = 1;
			return 1;
		}
		if (c == KEY_DOWN || c == 'j')
			d->scroll++;
		if ((c == KEY_UP || c == 'k') && d->scroll > 0)
			d->scroll--;
		return 0;
	case DLG_CONFIRM:
		if (c == 'y' || c == 'Y') {
			d->done = 1;
			return 1;
		}
		if (c == 'n' || c == 'N' || c == '\n' || c == '\r' || c == KEY_ENTER ||
		    c == 'q') {
			d->done = -1;	/* the default is No */
			return 1;
		}
		return 0;
	case DLG_CHOICE:
		if (c == KEY_LEFT || c == KEY_UP || c == 'h' || c == 'k' || c == KEY_BTAB)
			d->sel = (d->sel + n - 1) % (n > 0 ? n : 1);
		else if (c == KEY_RIGHT || c == KEY_DOWN || c == 'l' || c == 'j' || c == '\t')
			d->sel = (d->sel + 1) % (n > 0 ? n : 1);
		else if (c == '\n' || c == '\r' || c == KEY_ENTER) {
			d->done = n > 0 ? 1 : -1;
			return 1;
		} else if (c == KEY_PPAGE && d->scroll > 0)
			d->scroll--;
		else if (c == KEY_NPAGE)
			d->scroll++;
		else if (c >= '1' && c <= '9' && c - '1' < n &&
		    d->choices.v[c - '1'][0] == c) {
			/* a numbered choice: its number picks it */
			d->sel = c - '1';
			d->done = 1;
			return 1;
		} else if (n <= 3) {
			/* the first letter of a button picks it (y, n) */
			for (int i = 0; i < n; i++)
				if (d->choices.v[i][0] == c) {
					d->sel = i;
					d->done = 1;
					return 1;
				}
		}
		return 0;
	case DLG_INPUT:
	case DLG_SECRET:
		if (c == '\n' || c == '\r' || c == KEY_ENTER) {
			d->done = 1;
			return 1;
		}
		input_key(d, c);
		return 0;
	}
	return 0;
}

static int
body_width(int w)
{
	return w - 4;
}

/* Many choices, or long ones, go one per row rather than as buttons. */
static int
vertical(const struct dialog *d, int bw)
{
	int total = 0;

	if (d->kind != DLG_CHOICE)
		return 0;
	if (d->choices.n > 3)
		return 1;
	for (size_t i = 0; i < d->choices.n; i++)
		total += text_width(d->choices.v[i], strlen(d->choices.v[i])) + 4;
	return total > bw;
}

void
dialog_size(const struct dialog *d, int cols, int lines, int *w, int *h)
{
	struct strv wrapped = { 0 };
	int bw;

	*w = cols - 8 < 76 ? cols - 8 : 76;
	if (*w < 30)
		*w = cols - 2;
	bw = body_width(*w);
	if (d->body != NULL)
		text_wrap(d->body, bw, 0, &wrapped);
	*h = 2 + (int)wrapped.n + 2;	/* borders, body, blank, controls */
	if (d->kind == DLG_INPUT || d->kind == DLG_SECRET)
		*h += 1;
	if (vertical(d, bw))
		*h += (int)d->choices.n;
	if (d->hint != NULL)
		*h += 1;
	if (*h > lines - 2)
		*h = lines - 2;
	strv_free(&wrapped);
}

static void
draw_box(const struct rect *r)
{
	attr_t a = colour_attr(R_DIALOG);

	for (int y = r->y; y < r->y + r->h; y++)
		draw_fill(y, r->x, r->w, a);
	draw_fill(r->y, r->x, r->w, colour_attr(R_DIALOG_TITLE));
	attrset(a);
	for (int y = r->y + 1; y < r->y + r->h; y++) {
		mvaddstr(y, r->x, glyph(G_VLINE));
		mvaddstr(y, r->x + r->w - 1, glyph(G_VLINE));
	}
	draw_hline(r->y + r->h - 1, r->x, r->w, a);
}

static void
draw_buttons(struct dialog *d, int y, int x, int w)
{
	int cx = x;

	if (d->kind == DLG_CONFIRM) {
		draw_str(y, cx, "y = yes    n, Enter or Esc = no", w, colour_attr(R_DIALOG) | A_BOLD);
		return;
	}
	if (d->kind == DLG_MESSAGE) {
		draw_str(y, cx, "Enter: close", w, colour_attr(R_DIALOG) | A_BOLD);
		return;
	}
	for (size_t i = 0; i < d->choices.n && cx < x + w; i++) {
		attr_t a = (int)i == d->sel ? colour_attr(R_CURSOR) | A_BOLD :
		    colour_attr(R_DIALOG);

		cx += draw_str(y, cx, "[", x + w - cx, a);
		cx += draw_str(y, cx, d->choices.v[i], x + w - cx, a);
		cx += draw_str(y, cx, "]", x + w - cx, a);
		cx += 2;
	}
}

static void
draw_input(struct dialog *d, int y, int x, int w)
{
	attr_t a = colour_attr(R_INPUT);
	size_t skip = 0;

	draw_fill(y, x, w, a);
	if (d->kind == DLG_SECRET) {
		/* nothing of the secret is shown, not even its length */
		draw_str(y, x, d->ilen > 0 ? "(typing, hidden)" : "(input hidden)",
		    w, a | A_DIM);
		move(y, x);
		return;
	}
	/* keep the end of a long input in view */
	while (text_width(d->input + skip, d->ilen - skip) > w - 1 && skip < d->ilen)
		skip++;
	while (skip < d->ilen && ((unsigned char)d->input[skip] & 0xc0) == 0x80)
		skip++;
	{
		char *clean = sanitize_str(d->input + skip);
		int cw = draw_str(y, x, clean, w - 1, a);

		free(clean);
		move(y, x + cw);
	}
}

void
dialog_draw(struct dialog *d, const struct rect *r)
{
	struct strv wrapped = { 0 };
	int bw = body_width(r->w), y, rows, last;

	if (d->line) {
		/* a prompt on the key line, as less and lnav do for / */
		int tw;

		draw_fill(r->y, r->x, r->w, colour_attr(R_STATUS));
		tw = draw_str(r->y, r->x, d->title, r->w / 2, colour_attr(R_STATUS_KEY));
		draw_input(d, r->y, r->x + tw + 1, r->w - tw - 1);
		curs_set(1);
		return;
	}
	draw_box(r);
	draw_str(r->y, r->x + 2, d->title, r->w - 4, colour_attr(R_DIALOG_TITLE));
	if (d->body != NULL)
		text_wrap(d->body, bw, 0, &wrapped);
	y = r->y + 1;
	last = r->y + r->h - 2;		/* the controls' row */
	if (d->kind == DLG_INPUT || d->kind == DLG_SECRET)
		last--;
	if (vertical(d, bw)) {
		int n = (int)d->choices.n, room = r->h - 4 - 2;

		if (n > room)
			n = room > 1 ? room : 1;
		last -= n;
	}
	if (d->hint != NULL)
		last--;
	rows = last - y - 1;
	if (rows < 0)
		rows = 0;
	if (d->scroll > (int)wrapped.n - rows)
		d->scroll = (int)wrapped.n - rows > 0 ? (int)wrapped.n - rows : 0;
	for (int i = 0; i < rows && d->scroll + i < (int)wrapped.n; i++)
		draw_str(y + i, r->x + 2, wrapped.v[d->scroll + i], bw,
		    colour_attr(R_DIALOG));
	if ((int)wrapped.n > rows && rows > 0)
		draw_str(y + rows - 1, r->x + r->w - 3, glyph(G_ELLIPSIS), 1,
		    colour_attr(R_DIALOG) | A_BOLD);
	y = last;
	if (d->hint != NULL) {
		draw_str(y, r->x + 2, d->hint, bw, colour_attr(R_DIALOG) | A_DIM);
		y++;
	}
	curs_set(0);
	if (d->kind == DLG_INPUT || d->kind == DLG_SECRET) {
		draw_input(d, y, r->x + 2, bw);
		curs_set(1);
		y++;
		draw_str(y, r->x + 2, "Enter: OK   Esc: cancel", bw,
		    colour_attr(R_DIALOG) | A_BOLD);
		if (d->kind == DLG_INPUT && d->history != NULL && d->history->n > 0)
			draw_str(y, r->x + 26, "Up/Down: earlier entries", bw - 24,
			    colour_attr(R_DIALOG));
		/* the cursor goes back into the field */
		if (d->kind == DLG_INPUT) {
			int cw = text_width(d->input, d->ilen);

			move(y - 1, r->x + 2 + (cw < bw - 1 ? cw : bw - 1));
		} else
			move(y - 1, r->x + 2);
	} else if (vertical(d, bw)) {
		int n = (int)d->choices.n, first = 0, room = r->y + r->h - 1 - y - 1;

		if (room < 1)
			room = 1;
		if (d->sel >= room)
			first = d->sel - room + 1;
		for (int i = first; i < n && y < r->y + r->h - 2; i++, y++) {
			attr_t a = i == d->sel ? colour_attr(R_CURSOR) | A_BOLD :
			    colour_attr(R_DIALOG);

			draw_fill(y, r->x + 2, bw, a);
			draw_str(y, r->x + 2, i == d->sel ? glyph(G_RUN) : " ", 1, a);
			draw_str(y, r->x + 4, d->choices.v[i], bw - 2, a);
		}
		draw_str(r->y + r->h - 2, r->x + 2, "Up/Down: choose   Enter: OK   "
		    "Esc: cancel", bw, colour_attr(R_DIALOG) | A_BOLD);
	} else
		draw_buttons(d, y, r->x + 2, bw);
	strv_free(&wrapped);
}
