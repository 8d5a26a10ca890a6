/*
 * bm_source_serial.h - a board on a serial port or pseudo-terminal as a
 * live source (bm_source.h); see bm_source_serial.c for how time, gaps and
 * reconnects are handled.
 */
#ifndef BM_SOURCE_SERIAL_H
#define BM_SOURCE_SERIAL_H

#include <stddef.h>

#include "bm_source.h"

/**
 * Open @p path (at BM_BAUD) as a source and ask the board for its INFO and
 * calibration.
 * @param msg  one line on failure (permission hint, not found, busy).
 * @return NULL on failure.
 */
struct bm_source *bm_source_serial_new(const char *path, char *msg, size_t len);

#endif
