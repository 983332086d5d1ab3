/* doc.c: lazily indexed files and in-memory logs behind one interface. */
#include "doc.h"
#include "prefix.h"
#include "reader.h"
#include "sanitize.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK		64		/* lines per index entry */
#define WINDOW		(1 << 20)	/* bytes read around the lines shown */
#define CHUNK		(4 << 20)	/* bytes indexed per read */
#define CACHE		256		/* classified lines kept */
#define MAX_HEADERS	200000		/* an auth.log of a busy server: enough */
#define MAX_REASONS	255

struct mline {
	char		*text;
	size_t		 len;
	uint64_t	 number;
	int64_t		 ms;
	int8_t		 layer;
	int8_t		 level;
	uint8_t		 flags;
	uint8_t		 side;
};

struct centry {
	int		 valid;
	struct vline	 v;
	char		*buf;
	size_t		 cap;
};

struct doc {
	const struct kb	*kb;
	char		*name;
	int		 source;
	enum side	 side;
	uint64_t	 gen;
	/* class bytes and noise reasons, one per line */
	uint8_t		*attr;
	uint8_t		*reason;
	uint64_t	 nlines;
	uint64_t	 cap;
	const char	*reasons[MAX_REASONS];
	size_t		 nreasons;
	/* headers, sorted by line */
	struct doc_header *hdr;
	size_t		 nhdr;
	size_t		 hdrcap;
	uint8_t		 started[STAGE_COUNT];
	uint8_t		 done[STAGE_COUNT];
	int		 open;		/* a stage started since the last end */
	/* memory documents */
	struct mline	*lines;
	/* file documents */
	int		 fd;
	uint64_t	 size;
	uint64_t	*blk;		/* start of line k*BLOCK */
	uint64_t	 nblk;
	uint64_t	 blkcap;
	uint64_t	 idx_off;	/* bytes indexed */
	uint64_t	 pending_start;	/* start of the line being indexed */
	int		 complete;
	char		*chunk;
	char		*win;
	uint64_t	 win_off;
	size_t		 win_len;
	uint64_t	 loc_i;		/* last line located */
	uint64_t	 loc_start;
	uint64_t	 loc_nl;	/* its newline (or the size) */
	int		 loc_valid;
	struct classifier *cls;
	struct centry	 cache[CACHE];
	struct buf	 scratch;
	struct vline	 mv;		/* memory documents: the line handed out */
};

static struct doc *
doc_alloc(const char *name, int source, enum side side)
{
	struct doc *d = xcalloc(1, sizeof *d);

	d->name = xstrdup(name);
	d->source = source;
	d->side = side;
	d->fd = -1;
	buf_init(&d->scratch);
	return d;
}

struct doc *
doc_new(const char *name, int source, enum side side, const struct kb *kb)
{
	struct doc *d = doc_alloc(name, source, side);

	d->kb = kb;
	d->complete = 1;
	return d;
}

struct doc *
doc_open(const char *path, int source, enum side side, const struct kb *kb)
{
	struct stat st;
	struct doc *d;
	const char *base = strrchr(path, '/');
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;

		close(fd);
		errno = e;
		return NULL;
	}
	d = doc_alloc(base != NULL && base[1] != '\0' ? base + 1 : path, source, side);
	d->kb = kb;
	d->fd = fd;
	d->size = (uint64_t)st.st_size;
	d->chunk = xmalloc(CHUNK);
	d->win = xmalloc(WINDOW);
	d->cls = classifier_new(kb);
	d->blk = xmalloc(64 * sizeof *d->blk);
	d->blkcap = 64;
	d->blk[d->nblk++] = 0;
	return d;
}

void
doc_free(struct doc *d)
{
	if (d == NULL)
		return;
	if (d->lines != NULL)
		for (uint64_t i = 0; i < d->nlines; i++)
			free(d->lines[i].text);
	free(d->lines);
	for (size_t i = 0; i < CACHE; i++)
		free(d->cache[i].buf);
	if (d->fd != -1)
		close(d->fd);
	classifier_free(d->cls);
	free(d->chunk);
	free(d->win);
	free(d->blk);
	free(d->attr);
	free(d->reason);
	free(d->hdr);
	free(d->name);
	buf_free(&d->scratch);
	free(d);
}

const char *
doc_name(const struct doc *d)
{
	return d->name;
}

int
doc_source(const struct doc *d)
{
	return d->source;
}

enum side
doc_side(const struct doc *d)
{
	return d->side;
}

int
doc_is_file(const struct doc *d)
{
	return d->fd != -1;
}

uint64_t
doc_generation(const struct doc *d)
{
	return d->gen;
}

uint64_t
doc_lines(const struct doc *d)
{
	return d->nlines;
}

uint64_t
doc_estimate(const struct doc *d)
{
	if (d->complete || d->idx_off == 0)
		return d->nlines;
	return (uint64_t)((double)d->nlines * (double)d->size / (double)d->idx_off);
}

int
doc_complete(const struct doc *d)
{
	return d->complete;
}

uint64_t
doc_size(const struct doc *d)
{
	return d->size;
}

uint64_t
doc_indexed(const struct doc *d)
{
	return d->idx_off;
}

/* Room for line n in the per-line arrays (and in lines[] for memory). */
static void
grow_lines(struct doc *d, uint64_t n)
{
	uint64_t cap = d->cap;

	if (n <= cap)
		return;
	while (cap < n)
		cap = cap ? cap * 2 : 1024;
	d->attr = xrealloc(d->attr, cap);
	d->reason = xrealloc(d->reason, cap);
	memset(d->attr + d->cap, 0, cap - d->cap);
	memset(d->reason + d->cap, 0, cap - d->cap);
	if (d->fd == -1) {
		d->lines = xreallocarray(d->lines, cap, sizeof *d->lines);
		memset(d->lines + d->cap, 0, (cap - d->cap) * sizeof *d->lines);
	}
	d->cap = cap;
}

static uint8_t
reason_id(struct doc *d, const char *reason)
{
	if (reason == NULL)
		return 0;
	for (size_t i = 0; i < d->nreasons; i++)
		if (d->reasons[i] == reason || strcmp(d->reasons[i], reason) == 0)
			return (uint8_t)(i + 1);
	if (d->nreasons == MAX_REASONS)
		return MAX_REASONS;
	/* KB strings live as long as the KB, which outlives every view */
	d->reasons[d->nreasons++] = reason;
	return (uint8_t)d->nreasons;
}

/* A line a problem names as decisive, a symptom's line, or a warning of
 * ssh's own; lines that only feed facts are not warnings. */
static int
is_warning(const struct doc *d, const struct cline *l)
{
	for (size_t i = 0; i < l->nhits; i++) {
		const struct kb_rule *r;

		if (d->kb == NULL)
			return 1;
		r = &d->kb->rules[l->hits[i]];
		if (r->symptom >= 0 || (r->problem >= 0 && r->role == ROLE_DECISIVE))
			return 1;
	}
	return l->msg_len >= 7 && strncasecmp(l->msg, "warning", 7) == 0;
}

static uint8_t
attr_of(const struct doc *d, const struct cline *l)
{
	uint8_t a = (uint8_t)((l->layer + 1) & LA_LAYER);

	if (l->flags & CLINE_NOISE)
		a |= LA_NOISE;
	if (l->level >= LEVEL_ERROR)
		a |= LA_ERROR;
	else if (is_warning(d, l))
		a |= LA_WARN;
	return a;
}

/* ---- headers ---- */

static void
header_add(struct doc *d, uint64_t before, int stage, int kind)
{
	if (d->nhdr == MAX_HEADERS)
		return;
	if (d->nhdr == d->hdrcap) {
		d->hdrcap = d->hdrcap ? d->hdrcap * 2 : 64;
		d->hdr = xreallocarray(d->hdr, d->hdrcap, sizeof *d->hdr);
	}
	d->hdr[d->nhdr].before = before;
	d->hdr[d->nhdr].stage = (uint8_t)stage;
	d->hdr[d->nhdr].kind = (uint8_t)kind;
	d->nhdr++;
}

static int
has_event(const struct cline *l, int ev)
{
	for (size_t i = 0; i < l->nevents; i++)
		if (l->events[i] == ev)
			return 1;
	return 0;
}

/* The talk's annotations from the stage events of line i, in order:
 * starts (outer stage first) before the line, ends (inner first) after.
 * A syslog line belongs to one of many interleaved connections: the
 * annotations would mislead there, so they are left out. */
static void
headers_feed(struct doc *d, uint64_t i, const struct cline *l)
{
	if (l->nevents == 0 || (l->px.flags & PREFIX_SYSLOG))
		return;
	if (d->nhdr > 0 && d->hdr[d->nhdr - 1].before > i)
		return;		/* out of order (a second pass): keep the first */
	if (has_event(l, EVENT_START(STAGE_TCP)) && d->started[STAGE_TCP]) {
		memset(d->started, 0, sizeof d->started);
		memset(d->done, 0, sizeof d->done);
	}
	for (int s = 0; s < STAGE_COUNT; s++)
		if ((has_event(l, EVENT_START(s)) || has_event(l, EVENT_OK(s))) &&
		    !d->started[s]) {
			d->started[s] = 1;
			d->open = 1;
			header_add(d, i, s, HDR_START);
		}
	for (int s = STAGE_COUNT - 1; s >= 0; s--)
		if (has_event(l, EVENT_OK(s)) && !d->done[s]) {
			d->done[s] = 1;
			header_add(d, i + 1, s, HDR_DONE);
		}
	if (has_event(l, EVENT_SESSION_END) && d->open) {
		d->open = 0;
		header_add(d, i + 1, 0, HDR_END);
		memset(d->started, 0, sizeof d->started);
		memset(d->done, 0, sizeof d->done);
	}
	d->gen++;
}

size_t
doc_headers(const struct doc *d, uint64_t before, const struct doc_header **first)
{
	size_t lo = 0, hi = d->nhdr, n = 0;

	/* the first header with .before >= before */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->hdr[mid].before < before)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < d->nhdr && d->hdr[lo + n].before == before)
		n++;
	*first = n > 0 ? &d->hdr[lo] : NULL;
	return n;
}

const char *
doc_header_text(const struct doc_header *h)
{
	static const char *const start[STAGE_COUNT] = {
		">> TCP connection starting",
		">> Negotiate protocol version; exchange software versions",
		">> Key Exchange",
		">> Server (host) key verification",
		">> SSH-AUTH starts",
		">> SSH-CONN starts",
		">> SFTP subsystem starts",
	};
	static const char *const done[STAGE_COUNT] = {
		"<< TCP connection started",
		"<< Software versions exchanged",
		"<< Key Exchange done",
		"<< Server (host) key verification done",
		"<< SSH-AUTH complete",
		"<< SSH-CONN done",
		"<< SFTP session done",
	};

	if (h->kind == HDR_END)
		return "<< Connection closed";
	if (h->stage >= STAGE_COUNT)
		return "<<";
	return h->kind == HDR_START ? start[h->stage] : done[h->stage];
}

/* ---- memory documents ---- */

static void
mem_add(struct doc *d, const char *text, size_t len, uint64_t number,
    int64_t ms, const struct cline *l, uint8_t attr)
{
	struct mline *m;
	uint64_t i = d->nlines;

	grow_lines(d, i + 1);
	m = &d->lines[i];
	m->text = xstrndup(text, len);
	m->len = len;
	m->number = number;
	m->ms = ms;
	m->layer = (int8_t)(l != NULL ? l->layer : LAYER_OTHER);
	m->level = (int8_t)(l != NULL ? l->level : LEVEL_INFO);
	m->flags = (uint8_t)(l != NULL ? l->flags : 0);
	m->side = (uint8_t)(l != NULL ? l->side : d->side);
	d->attr[i] = attr;
	d->reason[i] = l != NULL && (l->flags & CLINE_NOISE) ? reason_id(d, l->noise) : 0;
	d->nlines++;
	d->gen++;
}

void
doc_append(struct doc *d, const struct cline *l)
{
	uint64_t i = d->nlines;

	mem_add(d, l->text, l->len, l->number, l->time_ms, l, attr_of(d, l));
	headers_feed(d, i, l);
}

void
doc_note(struct doc *d, const char *text, int64_t ms)
{
	char *clean = sanitize_str(text);

	mem_add(d, clean, strlen(clean), 0, ms, NULL,
	    (uint8_t)(((LAYER_OTHER + 1) & LA_LAYER) | LA_NOTE));
	free(clean);
}

/* ---- file documents: the index ---- */

static void
blk_push(struct doc *d, uint64_t off)
{
	if (d->nblk == d->blkcap) {
		d->blkcap *= 2;
		d->blk = xreallocarray(d->blk, d->blkcap, sizeof *d->blk);
	}
	d->blk[d->nblk++] = off;
}

int
doc_index_step(struct doc *d, size_t bytes)
{
	uint64_t done = 0;

	if (d->complete)
		return 0;
	while (done < bytes) {
		size_t want = CHUNK;
		ssize_t n;
		const char *p, *end, *nl;
		uint64_t lines;

		if (d->idx_off >= d->size)
			break;
		if (want > d->size - d->idx_off)
			want = (size_t)(d->size - d->idx_off);
		n = pread(d->fd, d->chunk, want, (off_t)d->idx_off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			d->size = d->idx_off;	/* the file shrank */
			break;
		}
		/* count first, then grow once: the loop stays tight */
		lines = d->nlines;
		p = d->chunk;
		end = d->chunk + n;
		while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			uint64_t next = d->idx_off + (uint64_t)(nl - d->chunk) + 1;

			lines++;
			if (lines % BLOCK == 0)
				blk_push(d, next);
			d->pending_start = next;
			p = nl + 1;
		}
		grow_lines(d, lines);
		d->nlines = lines;
		d->idx_off += (uint64_t)n;
		done += (uint64_t)n;
	}
	if (d->idx_off >= d->size) {
		/* a last line without a newline still counts */
		if (d->pending_start < d->size) {
			grow_lines(d, d->nlines + 1);
			d->nlines++;
		}
		d->complete = 1;
	}
	d->gen++;
	return d->complete ? 0 : 1;
}

void
doc_index_until(struct doc *d, uint64_t n)
{
	while (!d->complete && d->nlines < n)
		if (doc_index_step(d, CHUNK) < 0)
			break;
}

/* ---- file documents: reading lines ---- */

/* Make [off, off+len) readable in the window if it fits; returns a
 * pointer to off, and how many bytes from there are in the window. */
static const char *
window_at(struct doc *d, uint64_t off, size_t *avail)
{
	if (off < d->win_off || off >= d->win_off + d->win_len) {
		ssize_t n;

		do
			n = pread(d->fd, d->win, WINDOW, (off_t)off);
		while (n < 0 && errno == EINTR);
		d->win_off = off;
		d->win_len = n > 0 ? (size_t)n : 0;
		if (d->win_len == 0) {
			*avail = 0;
			return d->win;
		}
	}
	*avail = d->win_len - (size_t)(off - d->win_off);
	return d->win + (off - d->win_off);
}

/* The offset of the newline ending the line that starts at pos, or the
 * size of the file for a last line without one. */
static uint64_t
find_newline(struct doc *d, uint64_t pos)
{
	while (pos < d->size) {
		size_t avail;
		const char *p = window_at(d, pos, &avail), *nl;

		if (avail == 0)
			return d->size;
		if ((nl = memchr(p, '\n', avail)) != NULL)
			return pos + (uint64_t)(nl - p);
		pos += avail;
	}
	return d->size;
}

/* Where line i starts and ends (its newline, or the size). */
static void
locate(struct doc *d, uint64_t i, uint64_t *start, uint64_t *nl)
{
	uint64_t j, pos;

	if (d->loc_valid && d->loc_i == i) {
		*start = d->loc_start;
		*nl = d->loc_nl;
		return;
	}
	if (d->loc_valid && d->loc_i + 1 == i) {
		j = i;
		pos = d->loc_nl + 1;
	} else {
		j = (i / BLOCK) * BLOCK;
		pos = d->blk[i / BLOCK];
	}
	for (;;) {
		uint64_t e = find_newline(d, pos);

		if (j == i) {
			d->loc_i = i;
			d->loc_start = pos;
			d->loc_nl = e;
			d->loc_valid = 1;
			*start = pos;
			*nl = e;
			return;
		}
		pos = e + 1;
		j++;
	}
}

/* The raw bytes of line i (cut at the reader's cap), with READER_LINE_*
 * flags. Valid until the window moves. */
static const char *
file_raw(struct doc *d, uint64_t i, size_t *len, uint64_t *offset, int *flags)
{
	uint64_t start, nl, full;
	size_t avail, n;
	const char *p;

	locate(d, i, &start, &nl);
	full = nl - start;
	*flags = 0;
	n = full > READER_DEFAULT_MAXLINE ? READER_DEFAULT_MAXLINE : (size_t)full;
	if (full > READER_DEFAULT_MAXLINE)
		*flags |= READER_LINE_CUT;
	if (nl >= d->size)
		*flags |= READER_LINE_NOEOL;
	p = window_at(d, start, &avail);
	if (avail < n) {
		/* the line straddles the window's end: read it from its start */
		d->win_len = 0;
		p = window_at(d, start, &avail);
		if (avail < n)
			n = avail;
	}
	if (n > 0 && p[n - 1] == '\r' && !(*flags & READER_LINE_CUT)) {
		n--;
		*flags |= READER_LINE_CR;
	}
	*len = n;
	*offset = start;
	return p;
}

static void
set_class(struct doc *d, uint64_t i, const struct cline *l)
{
	d->attr[i] = attr_of(d, l);
	d->reason[i] = (l->flags & CLINE_NOISE) ? reason_id(d, l->noise) : 0;
}

void
doc_learn(struct doc *d, const struct cline *l)
{
	uint64_t i;

	if (l->number == 0)
		return;
	i = l->number - 1;
	if (i >= d->cap)
		grow_lines(d, i + 1);
	if (d->attr[i] == 0)
		set_class(d, i, l);
	headers_feed(d, i, l);
}

static const struct vline *
file_line(struct doc *d, uint64_t i)
{
	struct centry *c = &d->cache[i % CACHE];
	const struct cline *l;
	const char *raw;
	size_t len;
	uint64_t off;
	int flags;

	if (c->valid && c->v.index == i)
		return &c->v;
	raw = file_raw(d, i, &len, &off, &flags);
	l = classify_line(d->cls, d->source, i + 1, off, raw, len, flags,
	    d->side, -1);
	if (c->cap < l->len + 1) {
		c->cap = l->len + 1;
		c->buf = xrealloc(c->buf, c->cap);
	}
	memcpy(c->buf, l->text, l->len);
	c->buf[l->len] = '\0';
	if (d->attr[i] == 0)
		set_class(d, i, l);
	c->valid = 1;
	c->v.index = i;
	c->v.number = i + 1;
	c->v.text = c->buf;
	c->v.len = l->len;
	c->v.layer = l->layer;
	c->v.level = l->level;
	c->v.flags = l->flags;
	c->v.side = l->side;
	c->v.noise = (l->flags & CLINE_NOISE) ? l->noise : NULL;
	c->v.ms = l->time_ms;
	c->v.attr = d->attr[i];
	return &c->v;
}

const struct vline *
doc_line(struct doc *d, uint64_t i)
{
	struct mline *m;

	if (i >= d->nlines)
		return NULL;
	if (d->fd != -1)
		return file_line(d, i);
	m = &d->lines[i];
	d->mv.index = i;
	d->mv.number = m->number;
	d->mv.text = m->text;
	d->mv.len = m->len;
	d->mv.layer = m->layer;
	d->mv.level = m->level;
	d->mv.flags = m->flags;
	d->mv.side = (enum side)m->side;
	d->mv.noise = d->reason[i] ? d->reasons[d->reason[i] - 1] : NULL;
	d->mv.ms = m->ms;
	d->mv.attr = d->attr[i];
	return &d->mv;
}

const char *
doc_text(struct doc *d, uint64_t i, size_t *len)
{
	struct centry *c;
	const char *raw;
	size_t n;
	uint64_t off;
	int flags;

	if (i >= d->nlines) {
		*len = 0;
		return "";
	}
	if (d->fd == -1) {
		*len = d->lines[i].len;
		return d->lines[i].text;
	}
	c = &d->cache[i % CACHE];
	if (c->valid && c->v.index == i) {
		*len = c->v.len;
		return c->v.text;
	}
	raw = file_raw(d, i, &n, &off, &flags);
	if (sanitize_is_clean(raw, n)) {
		*len = n;
		return raw;
	}
	buf_reset(&d->scratch);
	sanitize_append(&d->scratch, raw, n);
	*len = d->scratch.len;
	return d->scratch.data ? d->scratch.data : "";
}

uint8_t
doc_attr_known(const struct doc *d, uint64_t i)
{
	return i < d->nlines ? d->attr[i] : 0;
}

uint8_t
doc_attr(struct doc *d, uint64_t i)
{
	if (i >= d->nlines)
		return 0;
	if (d->attr[i] == 0)
		doc_line(d, i);
	return d->attr[i];
}

const char *
doc_noise_reason(struct doc *d, uint64_t i)
{
	if (i >= d->nlines)
		return NULL;
	if (d->attr[i] == 0)
		doc_line(d, i);
	return d->reason[i] ? d->reasons[d->reason[i] - 1] : NULL;
}

uint64_t
doc_find_number(const struct doc *d, uint64_t n)
{
	if (d->fd != -1 || n == 0)
		return n > 0 ? n - 1 : 0;
	/* live lines are numbered per stream, with notes between them */
	for (uint64_t i = 0; i < d->nlines; i++)
		if (d->lines[i].number == n && !(d->attr[i] & LA_NOTE))
			return i;
	return n - 1 < d->nlines ? n - 1 : 0;
}
