/* classify.c: sanitise, strip prefixes, match rules, collect facts. */
#include "classify.h"
#include "match.h"
#include "reader.h"
#include "sanitize.h"
#include "util.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define CLASSIFY_MAX_SOURCES	8

struct classifier {
	const struct kb		*kb;
	struct prefix_parser	*pp;
	struct match_scratch	*ms;
	struct buf		 text;
	struct buf		 values;	/* fact values of the line */
	size_t			 value_off[CLINE_MAX_FACTS];
	struct cline_fact	 facts[CLINE_MAX_FACTS];
	enum side		 sticky[CLASSIFY_MAX_SOURCES];
	struct cline		 out;
	struct cline		*cur;		/* the line classify_finish() fills */
};

struct classifier *
classifier_new(const struct kb *kb)
{
	struct classifier *c = xcalloc(1, sizeof *c);

	c->kb = kb;
	c->pp = prefix_parser_new();
	c->ms = match_scratch_new(kb);
	buf_init(&c->text);
	buf_init(&c->values);
	c->out.facts = c->facts;
	return c;
}

void
classifier_free(struct classifier *c)
{
	if (c == NULL)
		return;
	prefix_parser_free(c->pp);
	match_scratch_free(c->ms);
	buf_free(&c->text);
	buf_free(&c->values);
	free(c);
}

static int
span_is(const char *line, struct lspan sp, const char *s)
{
	return sp.len == strlen(s) && memcmp(line + sp.off, s, sp.len) == 0;
}

static enum side
side_from_prog(const char *line, struct lspan prog)
{
	if (prog.len >= 4 && memcmp(line + prog.off, "sshd", 4) == 0)
		return SIDE_SERVER;
	if (span_is(line, prog, "ssh") || span_is(line, prog, "sftp") ||
	    span_is(line, prog, "scp"))
		return SIDE_CLIENT;
	return SIDE_ANY;
}

static void
add_event(struct cline *o, int ev)
{
	for (size_t i = 0; i < o->nevents; i++)
		if (o->events[i] == ev)
			return;
	if (o->nevents < CLINE_MAX_EVENTS)
		o->events[o->nevents++] = ev;
}

static void
add_fact(struct classifier *c, uint32_t rule, const char *name, const char *v,
    size_t n, int append)
{
	struct cline *o = c->cur;

	if (o->nfacts == CLINE_MAX_FACTS)
		return;
	c->value_off[o->nfacts] = c->values.len;
	buf_add(&c->values, v, n);
	buf_addc(&c->values, '\0');
	o->facts[o->nfacts].rule = rule;
	o->facts[o->nfacts].name = name;
	o->facts[o->nfacts].append = append;
	o->nfacts++;
}

/* The first matching rule decides an unknown side; later rules of the
 * other side are ignored for that line. */
static int
on_rule(void *arg, const struct kb_rule *r, const char *msg,
    const size_t *ov)
{
	struct classifier *c = arg;
	struct cline *o = c->cur;

	if (r->side != SIDE_ANY) {
		if (o->side == SIDE_ANY)
			o->side = r->side;
		else if (o->side != r->side)
			return 0;
	}
	o->flags |= CLINE_KNOWN;
	if (o->layer < 0 && r->layer >= 0)
		o->layer = r->layer;
	if (r->event != EVENT_NONE)
		add_event(o, r->event);
	if (r->level > 0 && o->level == LEVEL_NONE)
		o->level = r->level;
	if (r->noise != NULL && !(o->flags & CLINE_NOISE)) {
		o->flags |= CLINE_NOISE;
		o->noise = r->noise;
		o->noise_rule = r->name;
	}
	if ((r->problem >= 0 || r->symptom >= 0) && o->nhits < CLINE_MAX_HITS)
		o->hits[o->nhits++] = (uint32_t)(r - c->kb->rules);
	for (size_t i = 0; i < r->ngroups; i++) {
		unsigned g = r->groups[i].number;

		if (ov[2 * g] == (size_t)-1)
			continue;
		add_fact(c, (uint32_t)(r - c->kb->rules), r->groups[i].name, msg + ov[2 * g],
		    ov[2 * g + 1] - ov[2 * g], r->groups[i].append);
	}
	return 0;
}

const struct cline *
classify_scan(struct classifier *c, int source, uint64_t number,
    uint64_t offset, const char *raw, size_t len, int reader_flags,
    enum side side, int64_t arrival_ms)
{
	struct cline *o = &c->out;
	enum side guess;

	/* field by field: a memset of the whole (the prefix and the arrays
	 * are filled by their writers) costs more than the rest of the
	 * bookkeeping of a line */
	o->source = source;
	o->number = number;
	o->offset = offset;
	o->side = SIDE_ANY;
	o->layer = -1;
	o->flags = 0;
	o->noise = o->noise_rule = NULL;
	o->nevents = o->nhits = o->nfacts = o->ncand = 0;
	buf_reset(&c->text);
	if (sanitize_append(&c->text, raw, len) > 0)
		o->flags |= CLINE_ESCAPED;
	if (reader_flags & READER_LINE_CUT)
		o->flags |= CLINE_CUT;
	if (reader_flags & READER_LINE_NOEOL)
		o->flags |= CLINE_NOEOL;
	if (c->text.data == NULL)
		buf_add(&c->text, "", 0);
	o->text = c->text.data;
	o->len = c->text.len;
	prefix_parse(c->pp, o->text, o->len, &o->px);
	o->msg = o->text + o->px.msg_off;
	o->msg_len = o->px.msg_len;
	o->level = o->px.level;
	o->time_ms = arrival_ms >= 0 ? arrival_ms : o->px.time_ms;

	/* cron, systemd, sudo … in an auth.log: not ours, not matched */
	if (o->px.prog.len > 0 &&
	    side_from_prog(o->text, o->px.prog) == SIDE_ANY) {
		o->flags |= CLINE_FOREIGN;
		o->side = side != SIDE_ANY ? side : SIDE_SERVER;
		o->layer = LAYER_OTHER;
		o->level = o->level == LEVEL_NONE ? LEVEL_INFO : o->level;
		return o;
	}
	guess = side;
	if (guess == SIDE_ANY)
		guess = side_from_prog(o->text, o->px.prog);
	if (guess == SIDE_ANY && (o->px.flags & PREFIX_PREAUTH))
		guess = SIDE_SERVER;
	o->side = guess;
	o->ncand = match_scan(c->kb, c->ms, o->msg, o->msg_len, guess, &o->cand);
	return o;
}

void
classify_finish(struct classifier *c, struct cline *o, enum side side)
{
	int src = o->source >= 0 && o->source < CLASSIFY_MAX_SOURCES ?
	    o->source : 0;

	if (o->flags & CLINE_FOREIGN)
		return;
	c->cur = o;
	o->facts = c->facts;
	buf_reset(&c->values);
	match_candidates(c->kb, c->ms, o->msg, o->msg_len, o->side, o->cand,
	    o->ncand, on_rule, c);
	if (o->side == SIDE_ANY)
		o->side = c->sticky[src];
	else if (side == SIDE_ANY)
		c->sticky[src] = o->side;
	if (o->side == SIDE_ANY)
		o->side = SIDE_CLIENT;	/* a pasted log is most often ssh -v */

	for (size_t i = 0; i < o->nfacts; i++)
		o->facts[i].value = c->values.data + c->value_off[i];
	if (o->layer < 0)
		o->layer = LAYER_OTHER;
	if (o->level == LEVEL_NONE) {
		o->level = LEVEL_INFO;
		for (size_t i = 0; i < o->nhits; i++) {
			const struct kb_rule *r = &c->kb->rules[o->hits[i]];

			if (r->role == ROLE_DECISIVE && r->problem != c->kb->success)
				o->level = LEVEL_ERROR;
		}
	}
}

const struct cline *
classify_line(struct classifier *c, int source, uint64_t number,
    uint64_t offset, const char *raw, size_t len, int reader_flags,
    enum side side, int64_t arrival_ms)
{
	classify_scan(c, source, number, offset, raw, len, reader_flags, side,
	    arrival_ms);
	classify_finish(c, &c->out, side);
	return &c->out;
}

/* The facts first: mem is aligned, and so is every size cline_extra()
 * returns. */
#define CLINE_ALIGN	_Alignof(struct cline_fact)

size_t
cline_extra(const struct cline *l)
{
	size_t n = l->nfacts * sizeof *l->facts + l->ncand * sizeof *l->cand +
	    l->len + 1;

	for (size_t i = 0; i < l->nfacts; i++)
		n += strlen(l->facts[i].value) + 1;
	return (n + CLINE_ALIGN - 1) / CLINE_ALIGN * CLINE_ALIGN;
}

void
cline_copy(struct cline *dst, const struct cline *l, char *mem)
{
	memcpy(dst, l, offsetof(struct cline, events));
	memcpy(dst->events, l->events, l->nevents * sizeof *l->events);
	memcpy(dst->hits, l->hits, l->nhits * sizeof *l->hits);
	dst->facts = (struct cline_fact *)(void *)mem;
	memcpy(dst->facts, l->facts, l->nfacts * sizeof *l->facts);
	mem += l->nfacts * sizeof *l->facts;
	/* another program's line was never scanned: no candidates, maybe
	 * no array either */
	dst->cand = (const uint32_t *)(void *)mem;
	if (l->ncand > 0)
		memcpy(mem, l->cand, l->ncand * sizeof *l->cand);
	mem += l->ncand * sizeof *l->cand;
	memcpy(mem, l->text, l->len + 1);
	dst->text = mem;
	dst->msg = mem + (l->msg - l->text);
	mem += l->len + 1;
	for (size_t i = 0; i < l->nfacts; i++) {
		size_t n = strlen(l->facts[i].value) + 1;

		memcpy(mem, l->facts[i].value, n);
		dst->facts[i].value = mem;
		mem += n;
	}
}
