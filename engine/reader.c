/* reader.c: one fixed buffer, refilled with read(); lines handed out in
 * place. A line that does not fit is cut at maxline and the rest skipped. */
#include "reader.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READER_CHUNK	(256 * 1024)

struct reader {
	int		 fd;
	const char	*mem;		/* memory source, or NULL */
	size_t		 memlen;
	size_t		 mempos;
	char		*buf;
	char		*cut;		/* the kept part of an over-long line */
	size_t		 cap;
	size_t		 start;		/* first unread byte */
	size_t		 end;		/* one past the last valid byte */
	size_t		 maxline;
	uint64_t	 consumed;	/* bytes before buf[start] */
	uint64_t	 lineno;
	int		 eof;
};

static struct reader *
reader_new(size_t maxline)
{
	struct reader *r = xcalloc(1, sizeof *r);

	r->fd = -1;
	r->maxline = maxline == 0 ? READER_DEFAULT_MAXLINE : maxline;
	r->cap = r->maxline + READER_CHUNK;
	r->buf = xmalloc(r->cap);
	r->cut = xmalloc(r->maxline);
	return r;
}

struct reader *
reader_open_fd(int fd, size_t maxline)
{
	struct reader *r = reader_new(maxline);

	r->fd = fd;
	return r;
}

struct reader *
reader_open_mem(const char *data, size_t len, size_t maxline)
{
	struct reader *r = reader_new(maxline);

	r->mem = data;
	r->memlen = len;
	return r;
}

void
reader_close(struct reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r->cut);
	free(r);
}

uint64_t
reader_bytes(const struct reader *r)
{
	return r->consumed + r->start;
}

/* Move unread bytes to the front and read more. 0 ok (maybe eof), -1 error. */
static int
reader_fill(struct reader *r)
{
	ssize_t n;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->consumed += r->start;
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap || r->eof)
		return 0;
	if (r->mem != NULL) {
		size_t take = r->memlen - r->mempos;

		if (take > r->cap - r->end)
			take = r->cap - r->end;
		memcpy(r->buf + r->end, r->mem + r->mempos, take);
		r->mempos += take;
		r->end += take;
		if (take == 0)
			r->eof = 1;
		return 0;
	}
	for (;;) {
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			r->eof = 1;
		r->end += (size_t)n;
		return 0;
	}
}

/* Skip the rest of an over-long line, counting the bytes skipped. */
static int
reader_skip_rest(struct reader *r, uint64_t *skipped, int *flags)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);

		if (nl != NULL) {
			size_t n = (size_t)(nl - (r->buf + r->start));

			if (n > 0 && nl[-1] == '\r')
				*flags |= READER_LINE_CR;
			*skipped += n + 1;
			r->start += n + 1;
			return 0;
		}
		*skipped += r->end - r->start;
		r->start = r->end;
		if (r->eof) {
			*flags |= READER_LINE_NOEOL;
			return 0;
		}
		if (reader_fill(r) == -1)
			return -1;
	}
}

int
reader_next(struct reader *r, struct reader_line *line)
{
	char *nl;
	size_t avail, len;
	uint64_t skipped = 0;

	for (;;) {
		avail = r->end - r->start;
		nl = memchr(r->buf + r->start, '\n', avail);
		if (nl != NULL || avail >= r->maxline || r->eof)
			break;
		if (reader_fill(r) == -1)
			return -1;
	}
	if (avail == 0 && r->eof)
		return 0;

	memset(line, 0, sizeof *line);
	line->data = r->buf + r->start;
	line->offset = r->consumed + r->start;
	line->number = ++r->lineno;

	if (nl != NULL && (size_t)(nl - line->data) <= r->maxline) {
		len = (size_t)(nl - line->data);
		r->start += len + 1;
		line->full_len = len + 1;
	} else if (avail < r->maxline) {
		/* end of input without a newline: a file cut mid-line */
		len = avail;
		r->start += len;
		line->full_len = len;
		line->flags |= READER_LINE_NOEOL;
	} else {
		/* Over-long: keep maxline bytes aside, skip to the newline. */
		len = r->maxline;
		memcpy(r->cut, line->data, len);
		line->data = r->cut;
		r->start += len;
		line->flags |= READER_LINE_CUT;
		if (reader_skip_rest(r, &skipped, &line->flags) == -1)
			return -1;
		line->full_len = len + skipped;
		line->len = len;
		return 1;
	}
	if (len > 0 && line->data[len - 1] == '\r') {
		len--;
		line->flags |= READER_LINE_CR;
	}
	line->len = len;
	return 1;
}
