/* fuzz_files.c - scratch files for the fuzz targets; the idea is in
 * fuzz_files.h. */
#include "fuzz_files.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];
static pid_t owner;  /* the process that made it (a forked child must not
                        remove it when it exits) */

static void remove_dir(void)
{
	if (getpid() != owner)
		return;
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[600];
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

const char *fuzz_dir(void)
{
	if (dir[0])
		return dir;
	/* TMPDIR when the user chose one; else tmpfs, where fsync is free. */
	const char *base = getenv("TMPDIR");
	if (!base || !base[0])
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/bm_fuzz_XXXXXX", base);
	if (!mkdtemp(dir)) {
		perror(dir);
		abort();
	}
	owner = getpid();
	atexit(remove_dir);
	return dir;
}

void fuzz_write(const char *name, const void *data, size_t n, char *path, size_t path_len)
{
	snprintf(path, path_len, "%s/%s", fuzz_dir(), name);
	FILE *f = fopen(path, "wb");
	if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

void fuzz_remove(const char *name)
{
	char p[600];
	snprintf(p, sizeof p, "%s/%s", fuzz_dir(), name);
	unlink(p);
}

void fuzz_split_sidecar(const uint8_t *data, size_t size, size_t *csv_len, const uint8_t **side,
                        size_t *side_len)
{
	static const char mark[] = FUZZ_SIDECAR_MARK;
	const size_t ml = sizeof mark - 1;
	*csv_len = size;
	*side = NULL;
	*side_len = 0;
	for (size_t i = 0; size >= ml && i <= size - ml; i++) {
		if (data[i] == '\n' && !memcmp(data + i, mark, ml)) {
			*csv_len = i + 1; /* the CSV keeps its last line ending */
			*side = data + i + ml;
			*side_len = size - i - ml;
			return;
		}
	}
}

int fuzz_msg_names(const char *msg, const char *name)
{
	return strncmp(msg, name, strlen(name)) == 0 && !strchr(msg, '\n');
}
