/* tui.c: placeholder until the curses front end lands. */
#include <stdio.h>

#include "tui.h"

int
tui_main(const struct kb *kb, const struct tui_start *start)
{
	(void)kb;
	(void)start;
	fprintf(stderr, "sshdoctor: the TUI is not built yet; use --batch\n");
	return 1;
}
