/* draw.h: text on the screen, measured in columns, never raw.
 *
 * Every string that reaches the terminal goes through draw_text(): it
 * decodes UTF-8, measures each character with wcwidth() and clips at a
 * column budget, so a wide character or a long line never spills into the
 * next pane. Where the locale is not UTF-8 every non-ASCII character is
 * shown as '?', and the glyphs fall back to ASCII. */
#ifndef SSHD_TUI_DRAW_H
#define SSHD_TUI_DRAW_H

#include <curses.h>
#include <stddef.h>

#include "util.h"

/* Decorations with a UTF-8 form and an ASCII fallback. */
enum glyph {
	G_OK, G_FAIL, G_RUN, G_NOTREACHED, G_SKIPPED, G_ARROW, G_ELLIPSIS,
	G_HLINE, G_VLINE, G_FOLD, G_MARK, G_CUT, G_BULLET, G_DOT, G_EXPANDED,
	G_COUNT
};

/* Decide UTF-8 or ASCII from the locale (after setlocale). */
void draw_init(void);
int draw_utf8(void);
const char *glyph(enum glyph g);

/* Draw len bytes of s at (y, x), skipping the first skip columns and
 * drawing at most maxcols. Returns the columns drawn. */
int draw_text(int y, int x, const char *s, size_t len, int maxcols, int skip,
    attr_t attr);
/* NUL-terminated string, no skip. */
int draw_str(int y, int x, const char *s, int maxcols, attr_t attr);
/* printf into the screen, clipped. */
int draw_fmt(int y, int x, int maxcols, attr_t attr, const char *fmt, ...)
    PRINTFLIKE(5, 6);
/* Fill n columns with spaces in attr. */
void draw_fill(int y, int x, int n, attr_t attr);
/* A horizontal rule of n columns. */
void draw_hline(int y, int x, int n, attr_t attr);

/* Columns the text takes. */
int text_width(const char *s, size_t len);
/* Bytes of s that fit in cols columns. */
size_t text_fit(const char *s, size_t len, int cols);
/* Wrap text into lines of at most width columns: words move whole where
 * they can, "\n" starts a new line, indent prefixes every line but the
 * first (hang) or all of them. */
void text_wrap(const char *s, int width, int hang, struct strv *out);

#endif
