/* facts.h: what a log told us, as name → value (first value wins) or
 * name → list (facts a rule marks append, such as offered keys). */
#ifndef SSHD_FACTS_H
#define SSHD_FACTS_H

#include <stddef.h>

#include "util.h"

struct fact {
	char		*name;
	char		*value;		/* first value, or the list joined by ", " */
	struct strv	 list;		/* every value, for append facts */
	int		 is_list;
};

struct facts {
	struct fact	*v;
	size_t		 n;
	size_t		 cap;
	struct arena	*arena;		/* names and single values from here when
					 * set (else malloc); lists always malloc */
};

/* First value wins, unless the fact is a list (append). */
void facts_set(struct facts *f, const char *name, const char *value, int append);
/* Always replace the value (derived facts). */
void facts_put(struct facts *f, const char *name, const char *value);
const char *facts_get(const struct facts *f, const char *name);
const struct fact *facts_find(const struct facts *f, const char *name);
void facts_merge(struct facts *dst, const struct facts *src);
/* Empty, keeping the room for the next attempt's facts. */
void facts_clear(struct facts *f);
void facts_free(struct facts *f);

#endif
