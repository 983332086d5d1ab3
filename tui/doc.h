/* doc.h: one log as the views see it: numbered lines with their layer,
 * level and noise flag, and the stage headers between them.
 *
 * Two kinds, one interface. A file document never holds the file: it
 * indexes line starts lazily (one offset every 64 lines, so a 1 GB log
 * costs about a megabyte of index), reads the lines a view needs with
 * pread() through a window, and classifies them on demand; one byte per
 * line remembers the class so that folding, filtering and e/w jumps stay
 * cheap. A memory document holds the lines of a live run as they arrive.
 * The line numbers are the reader's (1-based, LF-terminated), so evidence
 * lines of a diagnosis point at the right row. */
#ifndef SSHD_TUI_DOC_H
#define SSHD_TUI_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "kb.h"

#define LA_LAYER	0x0f	/* layer + 1; 0: not classified yet */
#define LA_NOISE	0x10
#define LA_ERROR	0x20	/* error or fatal */
#define LA_WARN		0x40	/* a problem's or a symptom's line, or a warning */
#define LA_NOTE		0x80	/* a note of the wizard's, not a log line */

/* A line ready to show; valid until the next doc_line() on the same doc. */
struct vline {
	uint64_t	 index;		/* row in the document, 0-based */
	uint64_t	 number;	/* line number in its input, 1-based */
	const char	*text;		/* sanitised */
	size_t		 len;
	int		 layer;
	int		 level;		/* enum log_level */
	int		 flags;		/* CLINE_* */
	enum side	 side;
	const char	*noise;		/* the reason, when noise */
	int64_t		 ms;		/* time in ms, or -1 */
	uint8_t		 attr;		/* LA_* */
};

enum hdr_kind { HDR_START = 0, HDR_DONE, HDR_END };

/* A talk-style annotation shown before line `before`. */
struct doc_header {
	uint64_t	 before;
	uint8_t		 stage;
	uint8_t		 kind;		/* enum hdr_kind */
};

struct doc;

/* A file, opened for lazy reading. NULL with errno when it cannot be read. */
struct doc *doc_open(const char *path, int source, enum side side,
    const struct kb *kb);
/* An empty in-memory document (a live run, standard input). */
struct doc *doc_new(const char *name, int source, enum side side,
    const struct kb *kb);
void doc_free(struct doc *d);

const char *doc_name(const struct doc *d);
int doc_source(const struct doc *d);
enum side doc_side(const struct doc *d);
int doc_is_file(const struct doc *d);
/* Changes whenever lines, classes or headers are added. */
uint64_t doc_generation(const struct doc *d);

/* Memory documents: a classified line, a note of the wizard's. */
void doc_append(struct doc *d, const struct cline *l);
void doc_note(struct doc *d, const char *text, int64_t ms);

/* File documents: index about `bytes` more of the file. Returns 1 while
 * there is more, 0 when the whole file is indexed, -1 on a read error. */
int doc_index_step(struct doc *d, size_t bytes);
/* Index until at least n lines are known (or the end). */
void doc_index_until(struct doc *d, uint64_t n);
int doc_complete(const struct doc *d);
uint64_t doc_size(const struct doc *d);
uint64_t doc_indexed(const struct doc *d);

/* Lines known so far. */
uint64_t doc_lines(const struct doc *d);
/* Lines the whole file will have, estimated while it is being indexed. */
uint64_t doc_estimate(const struct doc *d);
/* The class byte of line i, classifying it if needed. */
uint8_t doc_attr(struct doc *d, uint64_t i);
/* The class byte if known, 0 otherwise (no I/O). */
uint8_t doc_attr_known(const struct doc *d, uint64_t i);
const char *doc_noise_reason(struct doc *d, uint64_t i);
const struct vline *doc_line(struct doc *d, uint64_t i);
/* Only the sanitised text (for search: no classification). */
const char *doc_text(struct doc *d, uint64_t i, size_t *len);
/* The row of the line numbered n in its input (notes have no number). */
uint64_t doc_find_number(const struct doc *d, uint64_t n);
/* Take what the background pass made of a line of this document. */
void doc_learn(struct doc *d, const struct cline *l);

/* Headers shown before line `before`: how many, and the first of them. */
size_t doc_headers(const struct doc *d, uint64_t before,
    const struct doc_header **first);
/* The talk's words for a header (">> Key Exchange"). */
const char *doc_header_text(const struct doc_header *h);

#endif
