/* util.h: memory helpers that die on exhaustion, a growable byte buffer,
 * and the one fatal() through which impossible errors leave. */
#ifndef SSHD_UTIL_H
#define SSHD_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define PRINTFLIKE(f, a) __attribute__((format(printf, f, a)))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTFLIKE(1, 2);

/* Where a data folder of ours is (kb, training): $env when set, else
 * NAME/ beside the program or up to three levels above it (a build
 * directory in the source tree) holding PROBE (NULL: the folder itself),
 * else the installed share/sshdoctor/NAME, else NAME. Written to buf. */
const char *data_dir_find(const char *env, const char *name, const char *probe,
    char *buf, size_t size);
/* A whole file in memory, NUL-terminated (len, when not NULL, without the
 * NUL); NULL with errno when it cannot be read. */
char *file_slurp(const char *path, size_t *len);
/* Milliseconds of the monotonic clock. */
int64_t monotonic_ms(void);

/* Called before fatal() exits, so a front end can restore the terminal. */
void fatal_set_hook(void (*hook)(void));
void fatal(const char *fmt, ...) PRINTFLIKE(1, 2) __attribute__((noreturn));

/* A growable NUL-terminated byte buffer. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_addf(struct buf *b, const char *fmt, ...) PRINTFLIKE(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Take ownership of the data; the buffer is left empty. */
char *buf_steal(struct buf *b);

/* A string arena: copies live until the arena is reset or freed, and
 * never move. Something short-lived with many small strings (an attempt
 * of a server log, its record) takes them from one and gives them back at
 * once; reset keeps the newest block, so a reused arena stops allocating. */
struct arena_block;
struct arena {
	struct arena_block *block;
};

char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

/* A NULL-terminated vector of owned strings. */
struct strv {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

void strv_add(struct strv *sv, const char *s);
void strv_addn(struct strv *sv, char *owned);
int strv_has(const struct strv *sv, const char *s);
void strv_free(struct strv *sv);

#endif
