/* draw.c: clipped, measured UTF-8 text and the glyph table. */
#include "draw.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int utf8;

static const char *const glyphs[G_COUNT][2] = {
	/* UTF-8, ASCII */
	[G_OK]		= { "\u2713", "+" },
	[G_FAIL]	= { "\u2717", "X" },
	[G_RUN]		= { "\u25b8", ">" },
	[G_NOTREACHED]	= { "\u00b7", "." },
	[G_SKIPPED]	= { "\u2013", "-" },
	[G_ARROW]	= { "\u203a", ">" },
	[G_ELLIPSIS]	= { "\u2026", "~" },
	[G_HLINE]	= { "\u2500", "-" },
	[G_VLINE]	= { "\u2502", "|" },
	[G_FOLD]	= { "\u22ef", "..." },
	[G_MARK]	= { "\u25c6", "*" },
	[G_CUT]		= { "\u00bb", ">" },
	[G_BULLET]	= { "\u2022", "-" },
	[G_DOT]		= { "\u00b7", "." },
	[G_EXPANDED]	= { "\u250a", ":" },
};

void
draw_init(void)
{
	const char *cs = nl_langinfo(CODESET);
	const char *force = getenv("SSHDOCTOR_ASCII");

	utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	if (force != NULL && *force != '\0' && strcmp(force, "0") != 0)
		utf8 = 0;
}

int
draw_utf8(void)
{
	return utf8;
}

const char *
glyph(enum glyph g)
{
	return glyphs[g][utf8 ? 0 : 1];
}

/* One character at s: its byte length and column width (-1: not
 * printable, shown as '?'). */
static size_t
char_at(const char *s, size_t len, int *width)
{
	wchar_t wc;
	mbstate_t st;
	size_t n;
	unsigned char c = (unsigned char)*s;

	if (c < 0x80) {
		*width = c >= 0x20 && c != 0x7f ? 1 : -1;
		return 1;
	}
	if (!utf8) {
		/* skip the whole UTF-8 sequence, show one '?' */
		n = 1;
		while (n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
			n++;
		*width = -1;
		return n;
	}
	memset(&st, 0, sizeof st);
	n = mbrtowc(&wc, s, len, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*width = -1;
		return 1;
	}
	*width = wcwidth(wc);
	return n;
}

int
text_width(const char *s, size_t len)
{
	int cols = 0, w;

	for (size_t i = 0; i < len;) {
		i += char_at(s + i, len - i, &w);
		cols += w < 0 ? 1 : w;
	}
	return cols;
}

size_t
text_fit(const char *s, size_t len, int cols)
{
	int used = 0, w;
	size_t i = 0;

	while (i < len) {
		size_t n = char_at(s + i, len - i, &w);

		if (w < 0)
			w = 1;
		if (used + w > cols)
			break;
		used += w;
		i += n;
	}
	return i;
}

int
draw_text(int y, int x, const char *s, size_t len, int maxcols, int skip,
    attr_t attr)
{
	int col = 0, drawn = 0, w;
	size_t i = 0, run = 0, run_start = 0;

	if (maxcols <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + maxcols > COLS)
		maxcols = COLS - x;
	attrset(attr);
	move(y, x);
	/* printable characters are passed on in runs, so combining marks stay
	 * with their base character */
	while (i < len) {
		size_t n = char_at(s + i, len - i, &w);

		if (col < skip) {
			col += w < 0 ? 1 : w;
			if (col > skip && drawn < maxcols) {
				/* a wide character cut by the left edge */
				addch(' ');
				drawn++;
			}
			i += n;
			run_start = i;
			continue;
		}
		if (w < 0) {
			if (drawn + 1 > maxcols)
				break;
			if (run > 0)
				addnstr(s + run_start, (int)run);
			run = 0;
			addch('?');
			drawn++;
			col++;
			i += n;
			run_start = i;
			continue;
		}
		if (drawn + w > maxcols)
			break;
		run += n;
		drawn += w;
		col += w;
		i += n;
	}
	if (run > 0)
		addnstr(s + run_start, (int)run);
	attrset(A_NORMAL);
	return drawn;
}

int
draw_str(int y, int x, const char *s, int maxcols, attr_t attr)
{
	return draw_text(y, x, s, strlen(s), maxcols, 0, attr);
}

int
draw_fmt(int y, int x, int maxcols, attr_t attr, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	int n;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	n = draw_text(y, x, b.data ? b.data : "", b.len, maxcols, 0, attr);
	buf_free(&b);
	return n;
}

void
draw_fill(int y, int x, int n, attr_t attr)
{
	if (y < 0 || y >= LINES)
		return;
	if (x + n > COLS)
		n = COLS - x;
	attrset(attr);
	for (int i = 0; i < n; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

void
draw_hline(int y, int x, int n, attr_t attr)
{
	const char *g = glyph(G_HLINE);

	if (y < 0 || y >= LINES)
		return;
	if (x + n > COLS)
		n = COLS - x;
	attrset(attr);
	move(y, x);
	for (int i = 0; i < n; i++)
		addstr(g);
	attrset(A_NORMAL);
}

/* Append one wrapped paragraph (no "\n" inside) to out. */
static void
wrap_para(const char *p, size_t len, int width, int hang, struct strv *out)
{
	int first = 1;

	if (width < 8)
		width = 8;
	do {
		int avail = first ? width : width - hang;
		size_t fit, cut;
		struct buf b;

		while (!first && len > 0 && *p == ' ') {
			p++;
			len--;
		}
		fit = text_fit(p, len, avail);
		cut = fit;
		if (fit < len) {
			/* break at the last space that fits, if any */
			size_t sp = fit;

			while (sp > 0 && p[sp] != ' ')
				sp--;
			if (sp > 0)
				cut = sp;
			if (cut == 0)
				cut = fit > 0 ? fit : 1;
		}
		buf_init(&b);
		if (!first)
			for (int i = 0; i < hang; i++)
				buf_addc(&b, ' ');
		buf_add(&b, p, cut);
		strv_addn(out, buf_steal(&b));
		p += cut;
		len -= cut;
		first = 0;
	} while (len > 0);
}

void
text_wrap(const char *s, int width, int hang, struct strv *out)
{
	const char *p = s;

	if (s == NULL)
		return;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);

		wrap_para(p, n, width, hang, out);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}
