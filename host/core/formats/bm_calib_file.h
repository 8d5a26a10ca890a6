/*
 * bm_calib_file.h - where a calibration is kept: per board in a small text
 * file, and in the board's own EEPROM record (struct bm_cal_record of the
 * wire protocol).
 *
 * Files live in $XDG_CONFIG_HOME/bridgemon/ (or ~/.config/bridgemon/) as
 * calibration-<board id in hex>.conf, written to a temporary file and
 * renamed over the old one, so a crash never leaves half a file.  The maths
 * (tare, scale, apply) is chain/bm_calib.h.
 */
#ifndef BM_CALIB_FILE_H
#define BM_CALIB_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "bm_calib.h"
#include "bm_protocol.h"

/** From the record a board stores in its EEPROM. */
void bm_calib_from_record(struct bm_calib *cal, const struct bm_cal_record *rec);

/** To the record a board stores in its EEPROM. */
void bm_calib_to_record(const struct bm_calib *cal, struct bm_cal_record *rec);

/**
 * Folder for calibration files: $XDG_CONFIG_HOME/bridgemon, else
 * $HOME/.config/bridgemon.  Writes into @p out (NUL-terminated).
 * @return BM_CALIB_OK or BM_CALIB_ERR_IO (no HOME, path too long).
 */
int bm_calib_dir(char *out, size_t out_len);

/**
 * Save for @p board_id into @p dir (created if missing), atomically.
 * @param dir  NULL for bm_calib_dir().
 */
int bm_calib_save(const struct bm_calib *cal, uint32_t board_id, const char *dir,
                  char *msg, size_t msg_len);

/**
 * Load the calibration of @p board_id from @p dir (NULL for bm_calib_dir()).
 * @return BM_CALIB_OK, BM_CALIB_ERR_NOT_FOUND, BM_CALIB_ERR_IO,
 *         BM_CALIB_ERR_FORMAT (message names file, line and reason).
 */
int bm_calib_load(struct bm_calib *cal, uint32_t board_id, const char *dir,
                  char *msg, size_t msg_len);

#endif
