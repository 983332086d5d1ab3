/* template.c: tiny "{name|filter}" expansion for KB fix text. */
#include "template.h"
#include "sanitize.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const filters[] = {
	"first", "lower", "upper", "shquote", "ascii", "ebcdic", "hex", NULL
};

/* EBCDIC (IBM-1047) to ASCII for the printable characters; 0: none. */
static char
ebcdic_char(unsigned char c)
{
	static const char *const rows[] = {
		/* from, chars */
		"\x81" "abcdefghi", "\x91" "jklmnopqr", "\xa2" "stuvwxyz",
		"\xc1" "ABCDEFGHI", "\xd1" "JKLMNOPQR", "\xe2" "STUVWXYZ",
		"\xf0" "0123456789", "\x4b" ".<(+|&", "\x5a" "!$*);",
		"\x60" "-/", "\x6b" ",%_>?", "\x7a" ":#@'=\"", NULL
	};

	if (c == 0x40)
		return ' ';
	for (size_t i = 0; rows[i] != NULL; i++) {
		unsigned char from = (unsigned char)rows[i][0];
		size_t n = strlen(rows[i] + 1);

		if (c >= from && c < from + n)
			return rows[i][1 + (c - from)];
	}
	if (c == 0x25 || c == 0x15)
		return '\n';
	return 0;
}

char *
template_decode_word(const char *decimal, int ebcdic)
{
	unsigned long long v;
	unsigned char b[4];
	struct buf out;
	char *end;

	v = strtoull(decimal, &end, 10);
	if (*decimal == '\0' || *end != '\0' || v > 0xffffffffULL)
		return xstrdup("?");
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
	buf_init(&out);
	for (int i = 0; i < 4; i++) {
		char c = ebcdic ? ebcdic_char(b[i]) :
		    (b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : 0);

		if (c == '\n')
			buf_adds(&out, "\\n");
		else if (c != 0)
			buf_addc(&out, c);
		else
			buf_addf(&out, "\\x%02x", b[i]);
	}
	return buf_steal(&out);
}

static char *
apply_filter(char *v, const char *filter)
{
	struct buf b;
	char *r;

	if (strcmp(filter, "first") == 0) {
		size_t n = strcspn(v, ", ");

		v[n] = '\0';
		return v;
	}
	if (strcmp(filter, "lower") == 0 || strcmp(filter, "upper") == 0) {
		for (char *p = v; *p; p++)
			*p = (char)(filter[0] == 'l' ? tolower((unsigned char)*p) :
			    toupper((unsigned char)*p));
		return v;
	}
	if (strcmp(filter, "shquote") == 0) {
		int plain = *v != '\0';

		for (const char *p = v; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr("@%_-+=:,./", *p))
				plain = 0;
		if (plain)
			return v;
		buf_init(&b);
		buf_addc(&b, '\'');
		for (const char *p = v; *p; p++) {
			if (*p == '\'')
				buf_adds(&b, "'\\''");
			else
				buf_addc(&b, *p);
		}
		buf_addc(&b, '\'');
		free(v);
		return buf_steal(&b);
	}
	if (strcmp(filter, "ascii") == 0 || strcmp(filter, "ebcdic") == 0) {
		r = template_decode_word(v, filter[0] == 'e');
		free(v);
		return r;
	}
	if (strcmp(filter, "hex") == 0) {
		unsigned long long x = strtoull(v, NULL, 10);

		r = xasprintf("0x%08llx", x & 0xffffffffULL);
		free(v);
		return r;
	}
	return v;
}

/* "{name|filter}" with a lower-case fact name; anything else (a shell's
 * ${HOME}, find's {}) is left as it is. */
static int
is_spec(const char *p, size_t n)
{
	if (n == 0 || !(islower((unsigned char)p[0]) || p[0] == '_'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)p[i]) && !isdigit((unsigned char)p[i]) &&
		    p[i] != '_' && p[i] != '|')
			return 0;
	return 1;
}

char *
template_render(const char *tmpl, const struct facts *f)
{
	struct buf out;
	const char *p = tmpl;

	buf_init(&out);
	while (*p != '\0') {
		const char *close;
		char *spec, *name, *bar, *value;
		const char *fv;

		if (*p != '{' || (close = strchr(p + 1, '}')) == NULL ||
		    !is_spec(p + 1, (size_t)(close - p - 1))) {
			buf_addc(&out, *p++);
			continue;
		}
		spec = xstrndup(p + 1, (size_t)(close - p - 1));
		name = spec;
		bar = strchr(spec, '|');
		if (bar != NULL)
			*bar++ = '\0';
		fv = facts_get(f, name);
		if (fv == NULL) {
			buf_addf(&out, "<%s>", name);
			free(spec);
			p = close + 1;
			continue;
		}
		value = xstrdup(fv);
		while (bar != NULL) {
			char *next = strchr(bar, '|');

			if (next != NULL)
				*next++ = '\0';
			value = apply_filter(value, bar);
			bar = next;
		}
		buf_adds(&out, value);
		free(value);
		free(spec);
		p = close + 1;
	}
	return buf_steal(&out);
}

int
template_check(const char *tmpl, char **why)
{
	const char *p = tmpl;

	while ((p = strchr(p, '{')) != NULL) {
		const char *close = strchr(p + 1, '}');
		char *spec, *tok, *save = NULL;
		int first = 1;

		if (close == NULL || !is_spec(p + 1, (size_t)(close - p - 1))) {
			p++;
			continue;
		}
		spec = xstrndup(p + 1, (size_t)(close - p - 1));
		for (tok = strtok_r(spec, "|", &save); tok != NULL;
		    tok = strtok_r(NULL, "|", &save), first = 0) {
			int ok = 1;

			if (first) {
				for (const char *q = tok; *q; q++)
					if (!isalnum((unsigned char)*q) && *q != '_')
						ok = 0;
				if (!ok || *tok == '\0') {
					*why = xasprintf("bad fact name '{%s}'", tok);
					free(spec);
					return -1;
				}
				continue;
			}
			ok = 0;
			for (size_t i = 0; filters[i] != NULL; i++)
				if (strcmp(filters[i], tok) == 0)
					ok = 1;
			if (!ok) {
				*why = xasprintf("unknown filter '%s'", tok);
				free(spec);
				return -1;
			}
		}
		free(spec);
		p = close + 1;
	}
	return 0;
}
