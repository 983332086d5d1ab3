/* facts.c: a small ordered map; a connection has a few dozen facts. */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#define FACT_LIST_MAX	32	/* values kept for one list fact */

static struct fact *
facts_slot(struct facts *f, const char *name)
{
	struct fact *x;

	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].name[0] == name[0] && strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	if (f->n == f->cap) {
		f->cap = f->cap == 0 ? 16 : f->cap * 2;
		f->v = xreallocarray(f->v, f->cap, sizeof *f->v);
	}
	x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	x->name = f->arena != NULL ? arena_strdup(f->arena, name) : xstrdup(name);
	return x;
}

/* Whether x's value is malloc'd: a list's joined value always is, others
 * only without an arena. */
static int
fact_owns_value(const struct facts *f, const struct fact *x)
{
	return f->arena == NULL || x->is_list;
}

static void
fact_value(struct facts *f, struct fact *x, const char *v)
{
	if (fact_owns_value(f, x))
		free(x->value);
	x->value = fact_owns_value(f, x) ? xstrdup(v) : arena_strdup(f->arena, v);
}

const struct fact *
facts_find(const struct facts *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].name[0] == name[0] && strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	return NULL;
}

const char *
facts_get(const struct facts *f, const char *name)
{
	const struct fact *x = facts_find(f, name);

	return x != NULL ? x->value : NULL;
}

static void
facts_join(struct facts *f, struct fact *x)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < x->list.n; i++) {
		if (i > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, x->list.v[i]);
	}
	/* a single value set before this list may be the arena's */
	if (fact_owns_value(f, x))
		free(x->value);
	x->is_list = 1;
	x->value = buf_steal(&b);
}

void
facts_set(struct facts *f, const char *name, const char *value, int append)
{
	struct fact *x = facts_slot(f, name);

	if (append) {
		/* the first value always joins: is_list is set there */
		if (x->list.n < FACT_LIST_MAX && !strv_has(&x->list, value)) {
			strv_add(&x->list, value);
			facts_join(f, x);
		}
		return;
	}
	if (x->value == NULL)
		fact_value(f, x, value);
}

void
facts_put(struct facts *f, const char *name, const char *value)
{
	fact_value(f, facts_slot(f, name), value);
}

void
facts_merge(struct facts *dst, const struct facts *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct fact *s = &src->v[i];

		if (s->is_list)
			for (size_t j = 0; j < s->list.n; j++)
				facts_set(dst, s->name, s->list.v[j], 1);
		else if (s->value != NULL)
			facts_set(dst, s->name, s->value, 0);
	}
}

void
facts_clear(struct facts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		if (f->arena == NULL)
			free(f->v[i].name);
		if (fact_owns_value(f, &f->v[i]))
			free(f->v[i].value);
		strv_free(&f->v[i].list);
	}
	f->n = 0;
}

void
facts_free(struct facts *f)
{
	facts_clear(f);
	free(f->v);
	f->v = NULL;
	f->cap = 0;
}
