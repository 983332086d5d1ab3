/* ydoc.c: small typed accessors over a libyaml document. */
#include "ydoc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
ydoc_open(struct ydoc *d, const char *path, struct strv *errors)
{
	yaml_parser_t parser;
	FILE *f;
	int ok;

	memset(d, 0, sizeof *d);
	d->file = path;
	d->errors = errors;
	if ((f = fopen(path, "rb")) == NULL) {
		strv_addn(errors, xasprintf("%s: %s", path, strerror(errno)));
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	ok = yaml_parser_load(&parser, &d->doc);
	if (!ok)
		strv_addn(errors, xasprintf("%s:%lu: YAML error: %s", path,
		    (unsigned long)parser.problem_mark.line + 1,
		    parser.problem ? parser.problem : "?"));
	yaml_parser_delete(&parser);
	fclose(f);
	return ok ? 0 : -1;
}

void
ydoc_close(struct ydoc *d)
{
	yaml_document_delete(&d->doc);
}

yaml_node_t *
ydoc_root(struct ydoc *d)
{
	return yaml_document_get_root_node(&d->doc);
}

void
ydoc_err(struct ydoc *d, yaml_node_t *at, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	buf_addf(&b, "%s:%lu: ", d->file,
	    at != NULL ? (unsigned long)at->start_mark.line + 1 : 1UL);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	strv_addn(d->errors, buf_steal(&b));
	d->nerr++;
}

yaml_node_t *
ydoc_node(struct ydoc *d, int id)
{
	return yaml_document_get_node(&d->doc, id);
}

const char *
ydoc_scalar(yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE ?
	    (const char *)n->data.scalar.value : NULL;
}

yaml_node_t *
ydoc_get(struct ydoc *d, yaml_node_t *map, const char *key)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		const char *k = ydoc_scalar(ydoc_node(d, p->key));

		if (k != NULL && strcmp(k, key) == 0)
			return ydoc_node(d, p->value);
	}
	return NULL;
}

void
ydoc_check_keys(struct ydoc *d, yaml_node_t *map, const char *const *allowed)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		const char *k = ydoc_scalar(ydoc_node(d, p->key));
		int ok = 0;

		for (size_t i = 0; k != NULL && allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				ok = 1;
		if (!ok)
			ydoc_err(d, ydoc_node(d, p->key), "unknown key '%s'", k ? k : "?");
	}
}

char *
ydoc_str(struct ydoc *d, yaml_node_t *map, const char *key, int required)
{
	yaml_node_t *n = ydoc_get(d, map, key);

	if (n == NULL) {
		if (required)
			ydoc_err(d, map, "missing '%s'", key);
		return NULL;
	}
	if (n->type != YAML_SCALAR_NODE) {
		ydoc_err(d, n, "'%s' must be a string", key);
		return NULL;
	}
	return xstrdup(ydoc_scalar(n));
}

int
ydoc_int(struct ydoc *d, yaml_node_t *map, const char *key, int dflt)
{
	char *s = ydoc_str(d, map, key, 0), *end;
	long v;

	if (s == NULL)
		return dflt;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0') {
		ydoc_err(d, ydoc_get(d, map, key), "'%s' must be a number", key);
		v = dflt;
	}
	free(s);
	return (int)v;
}

void
ydoc_strv(struct ydoc *d, yaml_node_t *n, const char *key, int scalar_ok,
    struct strv *out)
{
	if (n == NULL)
		return;
	if (scalar_ok && n->type == YAML_SCALAR_NODE) {
		strv_add(out, ydoc_scalar(n));
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		ydoc_err(d, n, "'%s' must be %sa list of strings", key,
		    scalar_ok ? "a string or " : "");
		return;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		const char *s = ydoc_scalar(ydoc_node(d, *it));

		if (s == NULL)
			ydoc_err(d, ydoc_node(d, *it), "items of '%s' must be strings", key);
		else
			strv_add(out, s);
	}
}
