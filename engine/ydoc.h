/* ydoc.h: reading our YAML files (libyaml's document API) with one-line
 * "file:line: reason" errors, shared by the KB and the training loaders. */
#ifndef SSHD_YDOC_H
#define SSHD_YDOC_H

#include <stddef.h>
#include <yaml.h>

#include "util.h"

struct ydoc {
	const char	*file;
	struct strv	*errors;	/* where errors go */
	yaml_document_t	 doc;
	size_t		 nerr;		/* errors reported through this document */
};

/* Parse a file; 0, or -1 with an error added. Free with ydoc_close(). */
int ydoc_open(struct ydoc *d, const char *path, struct strv *errors);
void ydoc_close(struct ydoc *d);
yaml_node_t *ydoc_root(struct ydoc *d);

void ydoc_err(struct ydoc *d, yaml_node_t *at, const char *fmt, ...)
    PRINTFLIKE(3, 4);
yaml_node_t *ydoc_node(struct ydoc *d, int id);
/* The text of a scalar node, or NULL. */
const char *ydoc_scalar(yaml_node_t *n);
/* A mapping's value for key, or NULL. */
yaml_node_t *ydoc_get(struct ydoc *d, yaml_node_t *map, const char *key);
/* An error for each key of map not in the NULL-terminated allowed list. */
void ydoc_check_keys(struct ydoc *d, yaml_node_t *map, const char *const *allowed);
/* A string value (allocated), NULL when absent (an error if required). */
char *ydoc_str(struct ydoc *d, yaml_node_t *map, const char *key, int required);
/* An integer value, dflt when absent. */
int ydoc_int(struct ydoc *d, yaml_node_t *map, const char *key, int dflt);
/* The strings of a list node (or of one scalar when scalar_ok). */
void ydoc_strv(struct ydoc *d, yaml_node_t *n, const char *key, int scalar_ok,
    struct strv *out);

#endif
