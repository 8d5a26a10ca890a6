/*
 * fuzz_settings.c - libFuzzer target: any bytes as the settings file
 * (bridgemon.conf) through bm_settings_load(), as every command that uses
 * the store reads it at start.
 *
 * Checked: no crash or sanitizer report; an error is one line naming the
 * file; settings that load hold only values in their documented ranges
 * (bm_settings.h), and a db of at most BM_SETTINGS_DB_MAX - 1 bytes.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm_settings.h"
#include "fuzz_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bm_settings s;
	char path[600], msg[1200];

	fuzz_write("bridgemon.conf", data, size, path, sizeof path);
	int rc = bm_settings_load(path, &s, msg, sizeof msg);
	if (rc != BM_SETTINGS_OK) {
		if (rc != BM_SETTINGS_ERR_FORMAT || !fuzz_msg_names(msg, path))
			abort();
		return 0;
	}
	const struct bm_readiness_params *r = &s.readiness;
	if (!s.found || strlen(s.db) >= sizeof s.db || !(r->lsi_peak_min_pct >= 1) ||
	    !(r->lsi_peak_min_pct <= 100) || !(r->lsi_impulse_min_pct >= 1) ||
	    !(r->lsi_impulse_min_pct <= 100) || r->sessions_needed < 1 ||
	    r->sessions_needed > BM_READINESS_MAX_SESSIONS || !(r->pain_max >= 0) ||
	    !(r->pain_max <= 10) || r->fatigue_reps_min < 1 || r->fatigue_reps_min > 1000)
		abort();
	return 0;
}
