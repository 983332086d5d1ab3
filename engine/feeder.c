/* feeder.c: a worker thread scans batches; the caller finishes them.
 *
 * A ring of batches between the two: the worker fills the next free one
 * with copies of its scanned lines (sanitised, prefixes parsed, the
 * candidate rules found by the literal scan; text in the batch's own
 * memory) and hands it over; the caller runs each line's candidate
 * patterns, gives the line to the session and hands the batch back. The
 * split follows the cost: the scan is the larger half, and the session's
 * thread had time to spare. Only the worker touches the reader and the
 * prefilter; only the caller touches the session and the patterns. */
#include "feeder.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

/* Deep enough that the worker runs on while the session closes a burst of
 * attempts; a batch is allocated when first used. */
#define FEED_BATCHES	32
#define FEED_WAKE	(FEED_BATCHES / 4)
#define FEED_LINES	256		/* lines a batch holds */
#define FEED_BYTES	(64 * 1024)	/* text a batch holds, unless one line
					 * alone needs more */

struct feed_batch {
	struct cline	*lines;
	size_t		 n;
	char		*mem;
	size_t		 used;
	size_t		 cap;
	int		 last;		/* the input ends after these lines */
	int		 err;		/* errno of a read error, or 0 */
};

struct feeder {
	struct classifier *cls;
	struct reader	*r;
	int		 source;
	enum side	 side;
	struct feed_batch batch[FEED_BATCHES];
	size_t		 ready;		/* batches filled, not yet taken */
	int		 ended;		/* the last batch is among them */
	int		 caller_waits;
	int		 worker_waits;
	pthread_mutex_t	 lock;
	pthread_cond_t	 filled;
	pthread_cond_t	 emptied;
};

/* A thread that has to wait sleeps until a quarter of the ring can be
 * handled, not just one batch: each wake-up costs two system calls and a
 * context switch, many times a line's work. */
static void
feeder_wait(struct feeder *f, int for_filled)
{
	pthread_mutex_lock(&f->lock);
	if (for_filled) {
		if (f->ready == 0 && !f->ended) {
			f->caller_waits = 1;
			while (f->ready < FEED_WAKE && !f->ended)
				pthread_cond_wait(&f->filled, &f->lock);
			f->caller_waits = 0;
		}
	} else if (f->ready == FEED_BATCHES) {
		f->worker_waits = 1;
		while (f->ready > FEED_BATCHES - FEED_WAKE)
			pthread_cond_wait(&f->emptied, &f->lock);
		f->worker_waits = 0;
	}
	pthread_mutex_unlock(&f->lock);
}

static void
feeder_hand_over(struct feeder *f, int filled, int last)
{
	pthread_mutex_lock(&f->lock);
	if (filled) {
		f->ready++;
		f->ended = last;
		if (f->caller_waits && (f->ready >= FEED_WAKE || last))
			pthread_cond_signal(&f->filled);
	} else {
		f->ready--;
		if (f->worker_waits && f->ready <= FEED_BATCHES - FEED_WAKE)
			pthread_cond_signal(&f->emptied);
	}
	pthread_mutex_unlock(&f->lock);
}

/* Room in b for a line needing n bytes; an empty batch grows for it. */
static int
batch_fits(struct feed_batch *b, size_t n)
{
	if (b->n < FEED_LINES && b->cap - b->used >= n)
		return 1;
	if (b->n > 0)
		return 0;
	b->mem = xrealloc(b->mem, n);
	b->cap = n;
	return 1;
}

static void
batch_add(struct feed_batch *b, const struct cline *l, size_t n)
{
	cline_copy(&b->lines[b->n++], l, b->mem + b->used);
	b->used += n;
}

static void *
feeder_main(void *arg)
{
	struct feeder *f = arg;
	const struct cline *pending = NULL;
	struct reader_line rl;
	size_t next = 0;
	int rc;

	for (;;) {
		struct feed_batch *b = &f->batch[next];

		feeder_wait(f, 0);
		if (b->lines == NULL) {
			/* at first use: a small log needs one or two */
			b->lines = xcalloc(FEED_LINES, sizeof *b->lines);
			b->mem = xmalloc(FEED_BYTES);
			b->cap = FEED_BYTES;
		}
		b->n = b->used = 0;
		if (pending != NULL) {
			size_t n = cline_extra(pending);

			batch_fits(b, n);
			batch_add(b, pending, n);
			pending = NULL;
		}
		while ((rc = reader_next(f->r, &rl)) == 1) {
			const struct cline *l = classify_scan(f->cls, f->source,
			    rl.number, rl.offset, rl.data, rl.len, rl.flags,
			    f->side, -1);
			size_t n = cline_extra(l);

			if (!batch_fits(b, n)) {
				/* valid until the next classify_scan() */
				pending = l;
				break;
			}
			batch_add(b, l, n);
		}
		b->last = rc != 1;
		b->err = rc < 0 ? errno : 0;
		feeder_hand_over(f, 1, b->last);
		if (b->last)
			return NULL;
		next = (next + 1) % FEED_BATCHES;
	}
}

static int
feeder_inline(struct session *s, int source, enum side side, struct reader *r,
    feeder_fn fn, void *arg)
{
	struct reader_line rl;
	int rc;

	while ((rc = reader_next(r, &rl)) == 1) {
		const struct cline *l = session_feed(s, source, side, &rl, -1);

		if (fn != NULL)
			fn(arg, l);
	}
	return rc < 0 ? -1 : 0;
}

int
feeder_run(struct session *s, int source, enum side side, struct reader *r,
    feeder_fn fn, void *arg)
{
	struct feeder f = { 0 };
	pthread_t worker;
	size_t next = 0;
	int err = 0, last = 0;

	/* one core: a second thread would only take turns with this one */
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return feeder_inline(s, source, side, r, fn, arg);
	f.cls = classifier_new(session_kb(s));
	f.r = r;
	f.source = source;
	f.side = side;
	pthread_mutex_init(&f.lock, NULL);
	pthread_cond_init(&f.filled, NULL);
	pthread_cond_init(&f.emptied, NULL);
	if (pthread_create(&worker, NULL, feeder_main, &f) != 0) {
		err = -1;
		goto out;
	}
	while (!last) {
		struct feed_batch *b = &f.batch[next];

		feeder_wait(&f, 1);
		for (size_t i = 0; i < b->n; i++) {
			session_take_scanned(s, &b->lines[i], side);
			if (fn != NULL)
				fn(arg, &b->lines[i]);
		}
		last = b->last;
		err = b->err;
		feeder_hand_over(&f, 0, 0);
		next = (next + 1) % FEED_BATCHES;
	}
	pthread_join(worker, NULL);
out:
	for (size_t i = 0; i < FEED_BATCHES; i++) {
		free(f.batch[i].lines);
		free(f.batch[i].mem);
	}
	pthread_cond_destroy(&f.filled);
	pthread_cond_destroy(&f.emptied);
	pthread_mutex_destroy(&f.lock);
	classifier_free(f.cls);
	if (err == -1)
		return feeder_inline(s, source, side, r, fn, arg);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}
