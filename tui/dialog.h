/* dialog.h: modal questions over any screen.
 *
 * Kinds: a message, a choice among buttons (the wizard's and the tree's
 * questions, the host key), a line of text (target, file, search) with a
 * history to walk with the arrows, a secret (a password: nothing of it is
 * drawn, not even its length, and the buffer is wiped), and a y/N
 * confirmation. The owner gives a tag and reads the result when the loop
 * hands the finished dialog back. */
#ifndef SSHD_TUI_DIALOG_H
#define SSHD_TUI_DIALOG_H

#include <stddef.h>

#include "layout.h"
#include "util.h"

#define DIALOG_INPUT_MAX	1024

enum dlg_kind { DLG_MESSAGE, DLG_CHOICE, DLG_INPUT, DLG_SECRET, DLG_CONFIRM };

struct dialog {
	enum dlg_kind	 kind;
	int		 tag;		/* what the owner asked */
	int		 arg;		/* owner's data */
	int		 line;		/* a prompt on the key line, not a box */
	char		*title;		/* sanitised */
	char		*body;		/* sanitised */
	char		*hint;		/* the keys, under the body */
	struct strv	 choices;
	int		 sel;
	char		 input[DIALOG_INPUT_MAX];
	size_t		 ilen;
	const struct strv *history;	/* newest first; not owned */
	int		 hist;		/* -1: what is being typed */
	int		 done;		/* 1 accepted, -1 cancelled */
	int		 scroll;	/* first body row shown */
};

/* title and body are sanitised here: callers may pass any text. */
struct dialog *dialog_new(enum dlg_kind kind, int tag, const char *title,
    const char *body);
void dialog_add_choice(struct dialog *d, const char *label);
void dialog_set_input(struct dialog *d, const char *text);
/* Handle one key (raw code). Returns 1 when the dialog is finished. */
int dialog_key(struct dialog *d, int code);
/* The size it would like on a cols x lines terminal. */
void dialog_size(const struct dialog *d, int cols, int lines, int *w, int *h);
void dialog_draw(struct dialog *d, const struct rect *r);
/* The text typed (INPUT, SECRET) or the label chosen (CHOICE). */
const char *dialog_value(const struct dialog *d);
/* Wipes what was typed. */
void dialog_free(struct dialog *d);

#endif
