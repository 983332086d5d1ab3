/* history.c: a small file of recent entries. */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file's path, creating its directory (0700) when create is set. */
static char *
history_path(int create)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *dir, *path;

	if (xdg != NULL && *xdg == '/')
		dir = xasprintf("%s/sshdoctor", xdg);
	else if (home != NULL && *home == '/') {
		if (create) {
			char *cache = xasprintf("%s/.cache", home);

			if (mkdir(cache, 0700) == -1 && errno != EEXIST) {
				free(cache);
				return NULL;
			}
			free(cache);
		}
		dir = xasprintf("%s/.cache/sshdoctor", home);
	} else
		return NULL;
	if (create && mkdir(dir, 0700) == -1 && errno != EEXIST) {
		free(dir);
		return NULL;
	}
	path = xasprintf("%s/history", dir);
	free(dir);
	return path;
}

void
history_load(struct history *h)
{
	char *path = history_path(0), line[2048];
	FILE *f;

	memset(h, 0, sizeof *h);
	if (path == NULL)
		return;
	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL && h->entries.n < HISTORY_MAX) {
		line[strcspn(line, "\r\n")] = '\0';
		if (*line != '\0' && strchr(line, '\t') != NULL &&
		    !strv_has(&h->entries, line))
			strv_add(&h->entries, line);
	}
	fclose(f);
}

static void
history_save(const struct history *h)
{
	char *path = history_path(1), *tmp;
	FILE *f;
	int fd;

	if (path == NULL)
		return;
	tmp = xasprintf("%s.tmp", path);
	/* 0600 from the start: never readable by others, even for a moment */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd != -1 && (f = fdopen(fd, "w")) != NULL) {
		int ok;

		fchmod(fd, 0600);
		for (size_t i = 0; i < h->entries.n; i++)
			fprintf(f, "%s\n", h->entries.v[i]);
		ok = fflush(f) == 0 && !ferror(f);
		fclose(f);
		if (ok)
			rename(tmp, path);
		else
			unlink(tmp);
	} else if (fd != -1)
		close(fd);
	free(tmp);
	free(path);
}

void
history_add(struct history *h, const char *entry)
{
	struct strv nv = { 0 };

	strv_add(&nv, entry);
	for (size_t i = 0; i < h->entries.n && nv.n < HISTORY_MAX; i++)
		if (strcmp(h->entries.v[i], entry) != 0)
			strv_add(&nv, h->entries.v[i]);
	strv_free(&h->entries);
	h->entries = nv;
	history_save(h);
}

void
history_free(struct history *h)
{
	strv_free(&h->entries);
}

void
history_targets(const struct history *h, struct strv *out)
{
	for (size_t i = 0; i < h->entries.n; i++) {
		const char *e = h->entries.v[i], *t;
		char *target, *port;

		if (strncmp(e, "connect\t", 8) != 0 && strncmp(e, "sftp\t", 5) != 0)
			continue;
		t = strchr(e, '\t') + 1;
		target = xstrdup(t);
		if ((port = strchr(target, '\t')) != NULL) {
			*port++ = '\0';
			if (*port != '\0' && strcmp(port, "0") != 0) {
				char *both = xasprintf("%s -p %s", target, port);

				free(target);
				target = both;
			}
		}
		if (!strv_has(out, target))
			strv_add(out, target);
		free(target);
	}
}
