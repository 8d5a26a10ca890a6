/* bm_fileio.c - whole-file writes and folder creation; see bm_fileio.h. */
#include "bm_fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bm_write_file_atomic(const char *path, const char *data, size_t len, char *msg,
                         size_t msg_len)
{
	size_t pl = strlen(path);
	char *tmp = malloc(pl + 16);
	int fd;

	if (!tmp) {
		if (msg)
			snprintf(msg, msg_len, "%s: out of memory", path);
		return -1;
	}
	memcpy(tmp, path, pl);
	memcpy(tmp + pl, ".tmp-XXXXXX", 12);
	fd = mkstemp(tmp);
	if (fd < 0) {
		if (msg)
			snprintf(msg, msg_len, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	fchmod(fd, 0644);
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int ok = off == len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		if (msg)
			snprintf(msg, msg_len, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	/* Make the rename durable: sync the folder it happened in. */
	char *dir = strdup(path);
	if (dir) {
		char *slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else if (slash)
			*slash = '\0';
		else
			strcpy(dir, ".");
		int dfd = open(dir, O_RDONLY | O_DIRECTORY);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	return 0;
}

int bm_make_dirs(const char *dir)
{
	size_t n = strlen(dir);
	char *p = malloc(n + 1);
	if (!p)
		return -1;
	memcpy(p, dir, n + 1);
	for (char *c = p + 1; *c; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*c = '/';
	}
	int r = mkdir(p, 0755) == 0 || errno == EEXIST ? 0 : -1;
	free(p);
	return r;
}
