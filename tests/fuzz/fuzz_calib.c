/*
 * fuzz_calib.c - libFuzzer target: any bytes as a board's calibration file
 * (calibration-<id>.conf) through bm_calib_load(), as the monitor reads it
 * when a board says who it is.
 *
 * Checked: no crash or sanitizer report; an error is one line naming the
 * file; a calibration that loads has finite offsets and finite non-zero
 * scales, and saved again (bm_calib_save) it loads back bit for bit.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm_calib.h"
#include "bm_calib_file.h"
#include "fuzz_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BOARD 0x00c0ffeeu
#define FILE_NAME "calibration-00c0ffee.conf"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bm_calib cal, back;
	char path[600], msg[1024];

	fuzz_write(FILE_NAME, data, size, path, sizeof path);
	int rc = bm_calib_load(&cal, BOARD, fuzz_dir(), msg, sizeof msg);
	if (rc != BM_CALIB_OK) {
		if (rc != BM_CALIB_ERR_FORMAT || !fuzz_msg_names(msg, path))
			abort();
		return 0;
	}
	for (int ch = 0; ch < BM_CALIB_NCHAN; ch++)
		if (!isfinite(cal.offset_counts[ch]) || !isfinite(cal.scale_n_per_count[ch]) ||
		    cal.scale_n_per_count[ch] == 0)
			abort();
	if (bm_calib_save(&cal, BOARD + 1, fuzz_dir(), msg, sizeof msg) != BM_CALIB_OK ||
	    bm_calib_load(&back, BOARD + 1, fuzz_dir(), msg, sizeof msg) != BM_CALIB_OK)
		abort();
	for (int ch = 0; ch < BM_CALIB_NCHAN; ch++)
		if (back.offset_counts[ch] != cal.offset_counts[ch] ||
		    back.scale_n_per_count[ch] != cal.scale_n_per_count[ch] ||
		    !back.valid[ch] != !cal.valid[ch])
			abort();
	return 0;
}
