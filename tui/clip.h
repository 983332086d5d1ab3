/* clip.h: what leaves the TUI on purpose: text copied to the terminal's
 * clipboard with OSC 52, text saved to a file, and a fix command run
 * after the operator said yes to the exact command line. */
#ifndef SSHD_TUI_CLIP_H
#define SSHD_TUI_CLIP_H

#include <stddef.h>

#define CLIP_MAX	(64 * 1024)	/* terminals refuse longer OSC 52 */

/* Base64 of n bytes, NUL-terminated (a new allocation). */
char *clip_base64(const char *s, size_t n);
/* Send OSC 52 "set clipboard" with the text. 0, or -1 when too long. */
int clip_copy(const char *text, size_t n);
/* Write text to path (created 0600, not overwritten). 0, or -1 with errno. */
int clip_save(const char *path, const char *text);
/* Leave curses, run cmd with /bin/sh -c on the terminal, wait for Enter,
 * come back. Returns the command's exit status (or -1 when it could not
 * start). Only ever called after an explicit confirmation. */
int clip_run(const char *cmd);

#endif
