/* reader.h: streaming line reader over a file descriptor.
 *
 * Memory stays flat whatever the input size: one buffer, reused. Lines end
 * at LF (a CR before it is dropped); a line longer than the cap is cut and
 * flagged, the rest skipped and counted; a last line without LF (a file cut
 * mid-line) is returned and flagged. Bytes are returned raw: pass them to
 * sanitize_line() before showing them. */
#ifndef SSHD_READER_H
#define SSHD_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define READER_LINE_CUT		0x1	/* longer than the cap: cut */
#define READER_LINE_NOEOL	0x2	/* last line had no newline */
#define READER_LINE_CR		0x4	/* ended in CRLF */

#define READER_DEFAULT_MAXLINE	(64 * 1024)

struct reader;

struct reader_line {
	const char	*data;		/* raw bytes, valid until the next call */
	size_t		 len;		/* bytes kept */
	uint64_t	 full_len;	/* bytes the line really had */
	uint64_t	 offset;	/* byte offset of the line in the input */
	uint64_t	 number;	/* 1-based line number */
	int		 flags;		/* READER_LINE_* */
};

/* Wrap an open descriptor (not closed by the reader). */
struct reader *reader_open_fd(int fd, size_t maxline);
/* Read from memory, for tests and fuzzing (the data is not copied). */
struct reader *reader_open_mem(const char *data, size_t len, size_t maxline);
/* 1 a line, 0 end of input, -1 read error (errno set). */
int reader_next(struct reader *r, struct reader_line *line);
uint64_t reader_bytes(const struct reader *r);
void reader_close(struct reader *r);

#endif
