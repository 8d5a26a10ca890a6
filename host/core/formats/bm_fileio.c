/* bm_fileio.c - whole-file writes and folder creation; see bm_fileio.h. */
#include "bm_fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Write @p len bytes to a new temporary file beside @p path (mkstemp:
 * O_EXCL, no link followed), flushed to disk.  Returns its name (free it),
 * or NULL with @p msg set. */
static char *write_temp(const char *path, const char *data, size_t len, char *msg, size_t msg_len)
{
	size_t pl = strlen(path);
	char *tmp = malloc(pl + 16);
	int fd;

	if (!tmp) {
		if (msg)
			snprintf(msg, msg_len, "%s: out of memory", path);
		return NULL;
	}
	memcpy(tmp, path, pl);
	memcpy(tmp + pl, ".tmp-XXXXXX", 12);
	fd = mkstemp(tmp);
	if (fd < 0) {
		if (msg)
			snprintf(msg, msg_len, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return NULL;
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
	int saved = ok ? 0 : (off < len ? (errno ? errno : ENOSPC) : errno);
	ok = close(fd) == 0 && ok;
	if (!ok) {
		if (msg)
			snprintf(msg, msg_len, "%s: cannot write: %s", path, strerror(saved ? saved : errno));
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
}

/* Make a rename or link durable: sync the folder it happened in. */
void bm_sync_parent_dir(const char *path)
{
	char *dir = strdup(path);
	if (!dir)
		return;
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

int bm_write_file_atomic(const char *path, const char *data, size_t len, char *msg,
                         size_t msg_len)
{
	char *tmp = write_temp(path, data, len, msg, msg_len);
	if (!tmp)
		return -1;
	if (rename(tmp, path) != 0) {
		if (msg)
			snprintf(msg, msg_len, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	bm_sync_parent_dir(path);
	return 0;
}

int bm_write_file_new(const char *path, const char *data, size_t len, char *msg, size_t msg_len)
{
	char *tmp = write_temp(path, data, len, msg, msg_len);
	if (!tmp)
		return -1;
	/* link() fails when the name exists: an existing file is never
	 * replaced. */
	int r = link(tmp, path);
	int e = errno;
	unlink(tmp);
	free(tmp);
	if (r != 0) {
		if (msg)
			snprintf(msg, msg_len, "%s: %s", path,
			         e == EEXIST ? "exists; it is never replaced" : strerror(e));
		return -1;
	}
	bm_sync_parent_dir(path);
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
