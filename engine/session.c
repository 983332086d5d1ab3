/* session.c: route classified lines to connection attempts and keep the
 * little each attempt needs for its diagnosis. */
#define _GNU_SOURCE 1	/* strcasestr */
#include "session.h"
#include "diagnose.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define CONN_MAX_HITS		48
#define CONN_HITS_PER_RULE	4
#define HIT_TEXT_MAX		1024	/* OpenSSH caps a message at 1024 too */
#define OPEN_MAX		4096	/* attempts open at once before the oldest closes */
#define ENDED_GRACE		200	/* lines an ended attempt waits for its last words */
#define IDLE_LINES		200000	/* an attempt silent this long is over */
#define DEFAULT_LIMIT		50
/* Closed attempts kept for reuse: a busy auth.log opens one every few
 * lines, and a fresh attempt is big enough to cost malloc a heap
 * consolidation each time. Attempts close in bursts (a sweep), so the
 * spares may be as many as were ever open; memory stays that of the
 * busiest moment. */
#define SPARE_MAX		OPEN_MAX

/* Open attempts in order of their last line. Those whose end was seen
 * wait apart: one that never ends (its end fell outside the log) must not
 * keep the ended ones behind it open. */
struct conn_list {
	struct conn		*head;
	struct conn		*tail;
};

struct session {
	const struct kb		*kb;
	struct session_opts	 opts;
	struct classifier	*cls;
	uint64_t		 seq;
	struct conn		*client;	/* the client's attempt */
	struct conn		*nopid;		/* sshd -e: current attempt */
	struct conn_list	 live;		/* open server attempts, least */
	struct conn_list	 ended;		/* recently active first */
	size_t			 nopen;
	struct conn_index	 by_pid;
	struct conn_index	 by_peer;	/* client address and port */
	struct conn		*spare;		/* freed attempts, for reuse */
	size_t			 nspare;
	struct conn		*latest;	/* newest closed attempt passing filters */
	uint64_t		 nconns;
	uint64_t		 nmatching;
	struct summary_entry	*summary;
	size_t			 nsummary;
	struct conn_record	*fails;		/* ring of the newest failures */
	size_t			 nfails;
	size_t			 fails_head;
	struct conn_record	*sorted;	/* newest first, made at finish */
	uint64_t		 lines[CONN_SIDES];
	uint64_t		 noise;
	struct conn		*result;
	struct diagnosis	*diag;
	int			 finished;
	unsigned		 waits;		/* prompts answered so far */
};

/* ---- a small hash index: key → attempts (chained, grows) ---- */

struct index_entry {
	uint64_t		 key;
	struct conn		*conn;
	struct index_entry	*next;
};

static size_t
index_slot(const struct conn_index *x, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)(key & (x->nbuckets - 1));
}

static void
index_put(struct conn_index *x, uint64_t key, struct conn *c)
{
	struct index_entry *e;

	if (x->n + 1 > x->nbuckets * 2) {
		size_t old = x->nbuckets;
		struct index_entry **ob = x->buckets;

		x->nbuckets = old == 0 ? 256 : old * 2;
		x->buckets = xcalloc(x->nbuckets, sizeof *x->buckets);
		for (size_t i = 0; i < old; i++)
			while ((e = ob[i]) != NULL) {
				size_t at;

				ob[i] = e->next;
				at = index_slot(x, e->key);
				e->next = x->buckets[at];
				x->buckets[at] = e;
			}
		free(ob);
	}
	if ((e = x->spare) != NULL)
		x->spare = e->next;
	else
		e = xmalloc(sizeof *e);
	e->key = key;
	e->conn = c;
	e->next = x->buckets[index_slot(x, key)];
	x->buckets[index_slot(x, key)] = e;
	x->n++;
}

static void
index_del(struct conn_index *x, uint64_t key, const struct conn *c)
{
	struct index_entry **ep;

	if (x->nbuckets == 0)
		return;
	for (ep = &x->buckets[index_slot(x, key)]; *ep != NULL; ep = &(*ep)->next)
		if ((*ep)->key == key && (*ep)->conn == c) {
			struct index_entry *e = *ep;

			*ep = e->next;
			e->next = x->spare;
			x->spare = e;
			x->n--;
			return;
		}
}

/* The newest attempt under key that ok() accepts (NULL: any). */
static struct conn *
index_get(const struct conn_index *x, uint64_t key,
    int (*ok)(const struct conn *, const void *), const void *arg)
{
	if (x->nbuckets == 0)
		return NULL;
	for (struct index_entry *e = x->buckets[index_slot(x, key)]; e != NULL;
	    e = e->next)
		if (e->key == key && (ok == NULL || ok(e->conn, arg)))
			return e->conn;
	return NULL;
}

static void
index_free(struct conn_index *x)
{
	for (size_t i = 0; i < x->nbuckets; i++)
		while (x->buckets[i] != NULL) {
			struct index_entry *e = x->buckets[i];

			x->buckets[i] = e->next;
			free(e);
		}
	while (x->spare != NULL) {
		struct index_entry *e = x->spare;

		x->spare = e->next;
		free(e);
	}
	free(x->buckets);
	memset(x, 0, sizeof *x);
}

static void open_remove(struct session *s, struct conn *c);
static struct conn *open_oldest(const struct session *s);

struct session *
session_new(const struct kb *kb, const struct session_opts *o)
{
	struct session *s = xcalloc(1, sizeof *s);

	s->kb = kb;
	if (o != NULL) {
		s->opts = *o;
		memset(&s->opts.answers, 0, sizeof s->opts.answers);
		for (size_t i = 0; i < o->answers.n; i++)
			strv_add(&s->opts.answers, o->answers.v[i]);
	} else
		s->opts.since_ms = -1;
	if (s->opts.limit == 0)
		s->opts.limit = DEFAULT_LIMIT;
	s->opts.user = s->opts.user ? xstrdup(s->opts.user) : NULL;
	s->opts.from = s->opts.from ? xstrdup(s->opts.from) : NULL;
	s->cls = classifier_new(kb);
	s->fails = xcalloc(s->opts.limit, sizeof *s->fails);
	return s;
}

/* The texts an attempt replaces as lines come (its last errors, the line
 * before its longest pause) are its own allocations: in the arena, which
 * only grows until the attempt ends, one attempt with a million error
 * lines (sshd -d, no pids) would hold them all. */
static void
conn_free_texts(struct conn *c)
{
	for (size_t i = 0; i < c->nerrors; i++)
		free(c->errors[i].text);
	c->nerrors = 0;
	for (int side = 0; side < CONN_SIDES; side++) {
		free(c->gap_line[side].text);
		c->gap_line[side].text = NULL;
	}
}

/* Free what the attempt holds, keeping its arrays and arena for reuse. */
static void
conn_clear(struct conn *c)
{
	conn_free_texts(c);
	facts_clear(&c->facts);
	arena_reset(&c->arena);
}

static void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	conn_free_texts(c);
	facts_free(&c->facts);
	arena_free(&c->arena);
	free(c->hits);
	free(c);
}

/* An attempt done with: kept for the next one while there is room. */
static void
conn_release(struct session *s, struct conn *c)
{
	if (c == NULL)
		return;
	if (s->nspare == SPARE_MAX) {
		conn_free(c);
		return;
	}
	conn_clear(c);
	c->lru_next = s->spare;
	s->spare = c;
	s->nspare++;
}

static void
record_clear(struct conn_record *r)
{
	struct arena a = r->arena;

	arena_reset(&a);
	memset(r, 0, sizeof *r);
	r->arena = a;
}

void
session_free(struct session *s)
{
	struct conn *c;

	if (s == NULL)
		return;
	classifier_free(s->cls);
	if (s->result != s->client && s->result != s->latest)
		conn_free(s->result);
	conn_free(s->client);
	if (s->nopid != s->latest)
		conn_free(s->nopid);
	while ((c = open_oldest(s)) != NULL) {
		open_remove(s, c);
		if (c != s->latest)
			conn_free(c);
	}
	index_free(&s->by_pid);
	index_free(&s->by_peer);
	conn_free(s->latest);
	while ((c = s->spare) != NULL) {
		s->spare = c->lru_next;
		conn_free(c);
	}
	for (size_t i = 0; i < s->nsummary; i++)
		free(s->summary[i].key);
	free(s->summary);
	for (size_t i = 0; i < s->opts.limit; i++)
		arena_free(&s->fails[i].arena);
	free(s->fails);
	free(s->sorted);
	diagnosis_free(s->diag);
	strv_free(&s->opts.answers);
	free((char *)s->opts.user);
	free((char *)s->opts.from);
	free(s);
}

static struct conn *
conn_new(struct session *s, long pid)
{
	struct conn *c = s->spare;

	if (c != NULL) {
		struct facts f = c->facts;
		struct arena a = c->arena;
		struct conn_hit *hits = c->hits;
		size_t cap = c->hits_cap;

		s->spare = c->lru_next;
		s->nspare--;
		memset(c, 0, sizeof *c);
		c->facts = f;
		c->arena = a;
		c->hits = hits;
		c->hits_cap = cap;
	} else
		c = xcalloc(1, sizeof *c);
	c->facts.arena = &c->arena;
	c->pid = pid;
	c->t_first = c->t_last = -1;
	for (int i = 0; i < CONN_SIDES; i++) {
		c->t_prev[i] = c->t_signal[i] = -1;
		c->stage_now[i] = -1;
		c->gap_stage[i] = -1;
	}
	c->seq_first = c->seq_last = s->seq;
	return c;
}

/* Room for one more hit. */
static void
hits_grow(struct conn *c)
{
	if (c->nhits == c->hits_cap) {
		c->hits_cap = c->hits_cap == 0 ? 4 : c->hits_cap * 2;
		c->hits = xreallocarray(c->hits, c->hits_cap, sizeof *c->hits);
	}
}

/* Where and what l is, but its text. */
static void
hit_from(struct conn_hit *h, uint32_t rule, const struct cline *l)
{
	h->rule = rule;
	h->side = l->side;
	h->source = l->source;
	h->line = l->number;
	h->time_ms = l->time_ms;
}

static size_t
hit_text_len(const struct cline *l)
{
	return l->len < HIT_TEXT_MAX ? l->len : HIT_TEXT_MAX;
}

/* A signature with 'after' counts only once its event has been seen on
 * the same side (an exit status 127 is an sftp problem only after sftp
 * was asked for). */
static int
after_seen(const struct conn *c, const struct kb *kb, uint32_t rule, enum side side)
{
	int ev = kb->rules[rule].after;
	const struct stage_track *t;

	if (ev == EVENT_NONE)
		return 1;
	t = &c->ladder[side][ev / 2];
	return ev % 2 == 0 ? t->started : t->ok;
}

static void
conn_add_hit(struct session *s, struct conn *c, uint32_t rule, const struct cline *l,
    int64_t gap_ms)
{
	int min_gap = s->kb->rules[rule].min_gap_ms;
	size_t same = 0;

	for (size_t i = 0; i < c->nhits; i++)
		if (c->hits[i].rule == rule)
			same++;
	if (same >= CONN_HITS_PER_RULE || c->nhits >= CONN_MAX_HITS)
		return;
	hits_grow(c);
	hit_from(&c->hits[c->nhits], rule, l);
	c->hits[c->nhits].text = arena_strndup(&c->arena, l->text,
	    hit_text_len(l));
	/* an idle cut needs an idle connection: when times are known, a
	 * line that follows the one before it at once does not count */
	c->hits[c->nhits++].in_context = after_seen(c, s->kb, rule, l->side) &&
	    !(min_gap > 0 && gap_ms >= 0 && gap_ms < min_gap);
}

static void
conn_add_error(struct conn *c, const struct cline *l)
{
	struct conn_hit *h;

	if (c->nerrors == 4) {
		free(c->errors[0].text);
		memmove(&c->errors[0], &c->errors[1], 3 * sizeof c->errors[0]);
		c->nerrors = 3;
	}
	h = &c->errors[c->nerrors++];
	memset(h, 0, sizeof *h);
	hit_from(h, UINT32_MAX, l);
	h->text = xstrndup(l->text, hit_text_len(l));
}

/* A pause after these lines is a person typing, not a slow server. */
static int
human_wait(const char *prev)
{
	return strcasestr(prev, "password") != NULL ||
	    strcasestr(prev, "keyboard-interactive") != NULL ||
	    strcasestr(prev, "passphrase") != NULL ||
	    strcasestr(prev, "continue connecting") != NULL;
}

/* Stage events drive the ladder; a pause before authentication is noted
 * for the slow-login check (a pause at a password prompt is the human). */
static void
conn_take(struct session *s, struct conn *c, const struct cline *l)
{
	struct stage_track *lad = c->ladder[l->side];
	int64_t t = l->time_ms;
	int64_t gap;

	if (c->wait_seen[l->side] != s->waits) {
		/* a prompt was answered since this side's last line */
		c->wait_seen[l->side] = s->waits;
		c->t_prev[l->side] = c->t_signal[l->side] = -1;
	}
	/* the silence before this line, not counting noise (a keepalive or
	 * a packet trace line just before a broken pipe ends the silence) */
	gap = t >= 0 && c->t_signal[l->side] >= 0 ? t - c->t_signal[l->side] : -1;
	if (t >= 0 && !(l->flags & CLINE_NOISE))
		c->t_signal[l->side] = t;

	c->lines[l->side]++;
	c->seq_last = s->seq;
	if (l->flags & CLINE_NOISE)
		c->noise++;
	if (t >= 0) {
		if (c->t_first < 0)
			c->t_first = t;
		c->t_last = t;
		if (c->t_prev[l->side] >= 0 && t - c->t_prev[l->side] > c->gap_ms[l->side] &&
		    c->stage_now[l->side] >= 0 && c->stage_now[l->side] <= STAGE_AUTH &&
		    !lad[STAGE_AUTH].ok && !human_wait(c->prev_text[l->side])) {
			struct conn_hit *g = &c->gap_line[l->side];

			c->gap_ms[l->side] = t - c->t_prev[l->side];
			c->gap_stage[l->side] = c->stage_now[l->side];
			g->side = l->side;
			g->source = l->source;
			g->line = c->prev_line[l->side];
			g->time_ms = c->t_prev[l->side];
			free(g->text);
			g->text = xstrdup(c->prev_text[l->side]);
		}
		c->t_prev[l->side] = t;
	}
	for (size_t i = 0; i < l->nevents; i++) {
		int ev = l->events[i];

		if (ev == EVENT_SESSION_END) {
			c->ended = 1;
			c->ended_seq = s->seq;
			continue;
		}
		if (ev % 2 == 0) {
			struct stage_track *st = &lad[ev / 2];

			if (!st->started) {
				st->started = 1;
				st->t_start = t;
			}
			if (ev == EVENT_START(STAGE_TCP))
				c->connected = 1;
			if (ev / 2 > c->stage_now[l->side])
				c->stage_now[l->side] = ev / 2;
		} else {
			struct stage_track *st = &lad[ev / 2];

			if (!st->ok) {
				st->ok = 1;
				st->t_ok = t;
				if (!st->started) {
					st->started = 1;
					st->t_start = -1;
				}
			}
			if (ev / 2 > c->stage_now[l->side])
				c->stage_now[l->side] = ev / 2;
		}
	}
	for (size_t i = 0; i < l->nfacts; i++) {
		const char *need = s->kb->rules[l->facts[i].rule].after_fact;

		/* a fact that means something only after another one */
		if (need != NULL && facts_get(&c->facts, need) == NULL)
			continue;
		facts_set(&c->facts, l->facts[i].name, l->facts[i].value,
		    l->facts[i].append);
	}
	for (size_t i = 0; i < l->nhits; i++)
		conn_add_hit(s, c, l->hits[i], l, gap);
	if (l->level >= LEVEL_ERROR)
		conn_add_error(c, l);
	if (t >= 0) {
		size_t n = l->len < sizeof c->prev_text[0] - 1 ? l->len :
		    sizeof c->prev_text[0] - 1;

		memcpy(c->prev_text[l->side], l->text, n);
		c->prev_text[l->side][n] = '\0';
		c->prev_line[l->side] = l->number;
	}
}

/* ---- per-attempt bookkeeping ---- */

static int
conn_passes(const struct session *s, const struct conn *c)
{
	const char *v;

	if (s->opts.user != NULL) {
		v = facts_get(&c->facts, "auth_user");
		if (v == NULL)
			v = facts_get(&c->facts, "user");
		if (v == NULL || strcmp(v, s->opts.user) != 0)
			return 0;
	}
	if (s->opts.from != NULL) {
		v = facts_get(&c->facts, "from_addr");
		if (v == NULL)
			v = facts_get(&c->facts, "addr");
		if (v == NULL || strcmp(v, s->opts.from) != 0)
			return 0;
	}
	if (s->opts.since_ms >= 0 && c->t_last >= 0 && c->t_last < s->opts.since_ms)
		return 0;
	return 1;
}

/* A group of lines with nothing that makes it a connection (a pam line
 * after the attempt closed, a daemon restart) is not counted. */
static int
conn_is_weak(const struct conn *c)
{
	return !c->connected && c->nhits == 0 &&
	    facts_get(&c->facts, "from_addr") == NULL &&
	    facts_get(&c->facts, "addr") == NULL;
}

static void
summary_add(struct session *s, const char *key)
{
	for (size_t i = 0; i < s->nsummary; i++)
		if (strcmp(s->summary[i].key, key) == 0) {
			s->summary[i].count++;
			return;
		}
	s->summary = xreallocarray(s->summary, s->nsummary + 1, sizeof *s->summary);
	s->summary[s->nsummary].key = xstrdup(key);
	s->summary[s->nsummary++].count = 1;
}

static char *
dup_or_null(struct arena *a, const char *v)
{
	return v != NULL ? arena_strdup(a, v) : NULL;
}

static void
record_failure(struct session *s, const struct conn *c, const struct diagnosis *d)
{
	struct conn_record *r = &s->fails[s->fails_head];
	const char *v;

	record_clear(r);
	r->pid = c->pid;
	r->from = dup_or_null(&r->arena, (v = facts_get(&c->facts, "from_addr")) ? v :
	    facts_get(&c->facts, "addr"));
	r->port = dup_or_null(&r->arena, (v = facts_get(&c->facts, "from_port")) ? v :
	    facts_get(&c->facts, "port"));
	r->user = dup_or_null(&r->arena, (v = facts_get(&c->facts, "auth_user")) ? v :
	    facts_get(&c->facts, "user"));
	r->time_ms = c->t_last;
	r->verdict = (int)d->verdict;
	r->problem = d->problem ? d->problem->id : NULL;
	r->seq = c->seq_last;
	s->fails_head = (s->fails_head + 1) % s->opts.limit;
	if (s->nfails < s->opts.limit)
		s->nfails++;
}

/* Diagnose a finished server attempt, count it, keep it if it is the
 * newest that passes the filters, else free it. */
static void
conn_close(struct session *s, struct conn *c)
{
	struct diagnosis *d;

	if (conn_is_weak(c)) {
		if (c != s->latest)
			conn_release(s, c);
		return;
	}
	s->nconns++;
	if (!conn_passes(s, c)) {
		conn_release(s, c);
		return;
	}
	s->nmatching++;
	d = diagnose_flags(s->kb, c, &s->opts.answers, DIAGNOSE_BRIEF);
	summary_add(s, d->problem ? d->problem->id : verdict_name(d->verdict));
	if (d->verdict != VERDICT_OK)
		record_failure(s, c, d);
	diagnosis_free(d);
	if (s->latest == NULL || c->seq_last >= s->latest->seq_last) {
		conn_release(s, s->latest);
		s->latest = c;
	} else
		conn_release(s, c);
}

static uint64_t
peer_key(const char *addr, const char *port)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (const char *p = addr; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h ^ strtoull(port, NULL, 10);
}

static void
list_unlink(struct conn_list *l, struct conn *c)
{
	if (c->lru_prev != NULL)
		c->lru_prev->lru_next = c->lru_next;
	else
		l->head = c->lru_next;
	if (c->lru_next != NULL)
		c->lru_next->lru_prev = c->lru_prev;
	else
		l->tail = c->lru_prev;
	c->lru_prev = c->lru_next = NULL;
}

static void
list_append(struct conn_list *l, struct conn *c)
{
	c->lru_prev = l->tail;
	c->lru_next = NULL;
	if (l->tail != NULL)
		l->tail->lru_next = c;
	else
		l->head = c;
	l->tail = c;
}

static struct conn_list *
list_of(struct session *s, const struct conn *c)
{
	return c->ended ? &s->ended : &s->live;
}

/* The open attempt least recently active, of either list. */
static struct conn *
open_oldest(const struct session *s)
{
	const struct conn *a = s->live.head, *b = s->ended.head;

	if (a == NULL || (b != NULL && b->seq_last < a->seq_last))
		return s->ended.head;
	return s->live.head;
}

static void
open_remove(struct session *s, struct conn *c)
{
	list_unlink(list_of(s, c), c);
	index_del(&s->by_pid, (uint64_t)c->pid, c);
	for (size_t i = 0; i < c->nalias; i++)
		index_del(&s->by_pid, (uint64_t)c->alias[i], c);
	if (c->peer_indexed)
		index_del(&s->by_peer, c->peer_key, c);
	s->nopen--;
}

static void
open_touch(struct session *s, struct conn *c)
{
	struct conn_list *l = list_of(s, c);

	if (l->tail != c) {
		list_unlink(l, c);
		list_append(l, c);
	}
}

static void
open_add(struct session *s, struct conn *c)
{
	list_append(list_of(s, c), c);
	index_put(&s->by_pid, (uint64_t)c->pid, c);
	s->nopen++;
}

/* Once an attempt names its client's address and port, a line from
 * another pid that names them too (the session child) joins it. */
static void
open_index_peer(struct session *s, struct conn *c)
{
	const char *a, *p;

	if (c->peer_indexed || c->pid < 0 ||
	    (a = facts_get(&c->facts, "from_addr")) == NULL ||
	    (p = facts_get(&c->facts, "from_port")) == NULL)
		return;
	c->peer_key = peer_key(a, p);
	c->peer_indexed = 1;
	index_put(&s->by_peer, c->peer_key, c);
}

static struct conn *
open_find_pid(struct session *s, long pid)
{
	return index_get(&s->by_pid, (uint64_t)pid, NULL, NULL);
}

static int
same_peer(const struct conn *c, const void *arg)
{
	const char *const *ap = arg;
	const char *a = facts_get(&c->facts, "from_addr");
	const char *p = facts_get(&c->facts, "from_port");

	return a != NULL && p != NULL && strcmp(a, ap[0]) == 0 &&
	    strcmp(p, ap[1]) == 0;
}

static struct conn *
open_find_peer(struct session *s, const struct cline *l)
{
	const char *ap[2] = { NULL, NULL };

	for (size_t i = 0; i < l->nfacts; i++) {
		if (strcmp(l->facts[i].name, "from_addr") == 0)
			ap[0] = l->facts[i].value;
		else if (strcmp(l->facts[i].name, "from_port") == 0)
			ap[1] = l->facts[i].value;
	}
	if (ap[0] == NULL || ap[1] == NULL)
		return NULL;
	return index_get(&s->by_peer, peer_key(ap[0], ap[1]), same_peer, ap);
}

static int
has_event(const struct cline *l, int ev)
{
	for (size_t i = 0; i < l->nevents; i++)
		if (l->events[i] == ev)
			return 1;
	return 0;
}

/* Close, oldest activity first, the attempts that ended a while ago, that
 * went quiet long ago, or that are too many to keep open. */
static void
open_sweep(struct session *s)
{
	struct conn *c;

	while ((c = s->ended.head) != NULL && s->seq - c->seq_last > ENDED_GRACE) {
		open_remove(s, c);
		conn_close(s, c);
	}
	while ((c = s->live.head) != NULL && s->seq - c->seq_last > IDLE_LINES) {
		open_remove(s, c);
		conn_close(s, c);
	}
	while (s->nopen > OPEN_MAX && (c = open_oldest(s)) != NULL) {
		open_remove(s, c);
		conn_close(s, c);
	}
}

static struct conn *
route_server(struct session *s, const struct cline *l)
{
	struct conn *c;
	long pid = l->px.pid;

	if (pid < 0) {
		/* sshd -d/-D -e: no pids; "Connection from" opens an attempt */
		if (s->nopid != NULL && s->nopid->connected &&
		    has_event(l, EVENT_START(STAGE_TCP))) {
			conn_close(s, s->nopid);
			s->nopid = NULL;
		}
		if (s->nopid == NULL)
			s->nopid = conn_new(s, -1);
		return s->nopid;
	}
	/* before the lookup, so that what it finds stays alive */
	if ((s->seq & 0x3f) == 0)
		open_sweep(s);
	c = open_find_pid(s, pid);
	if (c != NULL && c->ended && has_event(l, EVENT_START(STAGE_TCP))) {
		open_remove(s, c);
		conn_close(s, c);
		c = NULL;
	}
	if (c == NULL && (c = open_find_peer(s, l)) != NULL && c->nalias < 4) {
		c->alias[c->nalias++] = pid;
		index_put(&s->by_pid, (uint64_t)pid, c);
	}
	if (c == NULL) {
		c = conn_new(s, pid);
		open_add(s, c);
	} else
		open_touch(s, c);
	return c;
}

static void session_take(struct session *s, const struct cline *l);

const struct cline *
session_feed(struct session *s, int source, enum side side,
    const struct reader_line *rl, int64_t arrival_ms)
{
	const struct cline *l;

	l = classify_line(s->cls, source, rl->number, rl->offset, rl->data,
	    rl->len, rl->flags, side, arrival_ms);
	session_take(s, l);
	return l;
}

/* Take in a classified line. */
static void
session_take(struct session *s, const struct cline *l)
{
	struct conn *c;
	int ended;

	s->seq++;
	/* another program's line in a syslog file (cron, systemd) */
	if (l->flags & CLINE_FOREIGN)
		return;
	s->lines[l->side]++;
	if (l->flags & CLINE_NOISE)
		s->noise++;
	if (l->side == SIDE_SERVER)
		c = route_server(s, l);
	else {
		if (s->client == NULL)
			s->client = conn_new(s, -1);
		c = s->client;
	}
	ended = c->ended;
	conn_take(s, c, l);
	if (c->pid >= 0) {
		if (c->ended && !ended) {
			/* its end was seen: it now waits with the ended ones */
			list_unlink(&s->live, c);
			list_append(&s->ended, c);
		}
		open_index_peer(s, c);
	}
}

void
session_take_scanned(struct session *s, struct cline *l, enum side side)
{
	classify_finish(s->cls, l, side);
	session_take(s, l);
}

int
session_feed_reader(struct session *s, int source, enum side side,
    struct reader *r)
{
	struct reader_line rl;
	int rc;

	while ((rc = reader_next(r, &rl)) == 1)
		session_feed(s, source, side, &rl, -1);
	return rc < 0 ? -1 : 0;
}

static int
cmp_record(const void *a, const void *b)
{
	const struct conn_record *x = a, *y = b;

	return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

/* Put what the client saw together with the server's view of the same
 * attempt: facts (client first), hits, ladders per side, counts. */
static void
conn_merge(struct conn *dst, struct conn *src)
{
	facts_merge(&dst->facts, &src->facts);
	for (size_t i = 0; i < src->nhits; i++) {
		hits_grow(dst);
		dst->hits[dst->nhits] = src->hits[i];
		dst->hits[dst->nhits++].text = arena_strdup(&dst->arena,
		    src->hits[i].text);
	}
	for (int side = 0; side < CONN_SIDES; side++) {
		if (src->lines[side] == 0)
			continue;
		memcpy(dst->ladder[side], src->ladder[side], sizeof dst->ladder[side]);
		dst->lines[side] += src->lines[side];
	}
	for (size_t i = 0; i < src->nerrors && dst->nerrors < 4; i++) {
		dst->errors[dst->nerrors] = src->errors[i];
		dst->errors[dst->nerrors++].text = xstrdup(src->errors[i].text);
	}
	dst->noise += src->noise;
	dst->connected |= src->connected;
	for (int side = 0; side < CONN_SIDES; side++)
		if (src->gap_ms[side] > dst->gap_ms[side]) {
			dst->gap_ms[side] = src->gap_ms[side];
			dst->gap_stage[side] = src->gap_stage[side];
			free(dst->gap_line[side].text);
			dst->gap_line[side] = src->gap_line[side];
			dst->gap_line[side].text = src->gap_line[side].text ?
			    xstrdup(src->gap_line[side].text) : NULL;
		}
}

void
session_finish(struct session *s)
{
	struct conn *c;

	if (s->finished)
		return;
	s->finished = 1;
	if ((c = s->nopid) != NULL) {
		s->nopid = NULL;
		/* a lone sshd -e log is one attempt even without a
		 * connection: its start-up errors are the story */
		if (conn_is_weak(c) && s->latest == NULL && s->nopen == 0 &&
		    c->lines[SIDE_SERVER] > 0)
			c->connected = 1;
		conn_close(s, c);
	}
	while ((c = open_oldest(s)) != NULL) {
		open_remove(s, c);
		conn_close(s, c);
	}
	if (s->client != NULL && s->latest != NULL) {
		struct conn *server = s->latest;

		s->latest = NULL;
		conn_merge(s->client, server);
		conn_free(server);
		s->result = s->client;
	} else if (s->client != NULL)
		s->result = s->client;
	else
		s->result = s->latest;
	s->sorted = xcalloc(s->nfails + 1, sizeof *s->sorted);
	memcpy(s->sorted, s->fails, s->nfails * sizeof *s->sorted);
	qsort(s->sorted, s->nfails, sizeof *s->sorted, cmp_record);
}

const struct conn *
session_client(const struct session *s)
{
	return s->client;
}

const struct conn *
session_result(const struct session *s)
{
	return s->result;
}

void
session_set_filters(struct session *s, const char *from, int64_t since_ms)
{
	free((char *)s->opts.from);
	s->opts.from = from != NULL ? xstrdup(from) : NULL;
	s->opts.since_ms = since_ms;
}

void
session_mark_wait(struct session *s)
{
	s->waits++;
}

void
session_answer(struct session *s, const char *key_value)
{
	strv_add(&s->opts.answers, key_value);
	diagnosis_free(s->diag);
	s->diag = NULL;
}

const struct diagnosis *
session_diagnosis(struct session *s)
{
	if (s->diag == NULL && s->result != NULL)
		s->diag = diagnose(s->kb, s->result, &s->opts.answers);
	return s->diag;
}

uint64_t
session_conn_count(const struct session *s, int matching)
{
	return matching ? s->nmatching : s->nconns;
}

const struct summary_entry *
session_summary(const struct session *s, size_t *n)
{
	*n = s->nsummary;
	return s->summary;
}

const struct conn_record *
session_failures(const struct session *s, size_t *n)
{
	*n = s->nfails;
	return s->sorted;
}

uint64_t
session_lines(const struct session *s, enum side side)
{
	return s->lines[side];
}

uint64_t
session_noise(const struct session *s)
{
	return s->noise;
}

const struct kb *
session_kb(const struct session *s)
{
	return s->kb;
}

const struct session_opts *
session_opts(const struct session *s)
{
	return &s->opts;
}
