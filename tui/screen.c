/* screen.c: the services the loop offers the screens. */
#include "screen.h"
#include "colour.h"
#include "draw.h"
#include "sanitize.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>

#define MESSAGE_MS	4000

int64_t
tui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
tui_message(struct tui *t, int role, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	char *clean;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	clean = sanitize_str(b.data ? b.data : "");
	snprintf(t->msg, sizeof t->msg, "%s", clean);
	free(clean);
	buf_free(&b);
	t->msg_role = role;
	t->msg_until = tui_now() + MESSAGE_MS;
}

int
tui_input_pending(const struct tui *t)
{
	struct pollfd p = { t->infd, POLLIN, 0 };

	return poll(&p, 1, 0) > 0;
}

void
tui_dialog(struct tui *t, struct dialog *d)
{
	dialog_free(t->dlg);
	t->dlg = d;
}

void
tui_draw_top(const struct rect *r, const char *left, const char *right)
{
	attr_t a = colour_attr(R_TITLE);
	int rw = right ? text_width(right, strlen(right)) : 0;

	draw_fill(r->y, r->x, r->w, a);
	draw_str(r->y, r->x + 1, left, r->w - rw - 3, a);
	if (right != NULL && rw + 2 < r->w)
		draw_str(r->y, r->x + r->w - rw - 1, right, rw, a);
}
