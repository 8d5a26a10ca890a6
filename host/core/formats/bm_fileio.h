/*
 * bm_fileio.h - writing a whole file or nothing: the data goes to a
 * temporary file in the same folder, is flushed to disk, and is renamed
 * over the target, so a reader (or a crash) never sees half of it.
 */
#ifndef BM_FILEIO_H
#define BM_FILEIO_H

#include <stddef.h>

/**
 * Replace @p path with @p len bytes of @p data, atomically.
 * @param msg  one line on failure (may be NULL).
 * @return 0, or -1 (nothing changed at @p path).
 */
int bm_write_file_atomic(const char *path, const char *data, size_t len, char *msg,
                         size_t msg_len);

/**
 * Create @p path with @p len bytes of @p data, whole (written to a
 * temporary file first) and only if no file has that name.
 * @return 0, or -1 with a one-line @p msg (it exists, or a write failed).
 */
int bm_write_file_new(const char *path, const char *data, size_t len, char *msg, size_t msg_len);

/** mkdir -p: create @p dir and missing parents (mode 0755).  0 or -1. */
int bm_make_dirs(const char *dir);

/** fsync the folder holding @p path, so that a rename into it survives a
 *  power cut (best effort: errors are not reported). */
void bm_sync_parent_dir(const char *path);

#endif
