/*
 * fuzz_files.h - for fuzz targets whose reader takes a path, not bytes:
 * one scratch folder per process, on tmpfs when there is one (a reader that
 * writes its files whole calls fsync, which costs nothing there), removed at
 * exit, and the input written into it under a fixed name.
 *
 * A recording is a CSV with an optional sidecar: fuzz_split_sidecar() cuts
 * an input at the first FUZZ_SIDECAR_MARK line, so one input can carry
 * both and the corpus holds them as one file.
 */
#ifndef FUZZ_FILES_H
#define FUZZ_FILES_H

#include <stddef.h>
#include <stdint.h>

/** The line that separates a recording's CSV from its sidecar in an input. */
#define FUZZ_SIDECAR_MARK "\n--meta.json--\n"

/** The scratch folder (created on the first call; aborts if it cannot be). */
const char *fuzz_dir(void);

/**
 * Write @p n bytes to fuzz_dir()/@p name, replacing it, and put the full
 * path in @p path.  Aborts when the scratch folder cannot be written: that
 * is a broken test machine, not a finding.
 */
void fuzz_write(const char *name, const void *data, size_t n, char *path, size_t path_len);

/** Remove fuzz_dir()/@p name if it is there. */
void fuzz_remove(const char *name);

/**
 * Cut @p data at the first FUZZ_SIDECAR_MARK: @p csv_len bytes of CSV,
 * then the sidecar at *@p side (@p side_len bytes, NULL when there is no
 * mark).
 */
void fuzz_split_sidecar(const uint8_t *data, size_t size, size_t *csv_len, const uint8_t **side,
                        size_t *side_len);

/** 1 when @p msg is one line that starts with @p name (how every reader's
 *  message about a file must look), else 0. */
int fuzz_msg_names(const char *msg, const char *name);

#endif
