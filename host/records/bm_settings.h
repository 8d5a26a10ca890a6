/*
 * bm_settings.h - the settings file: what a station sets once instead of on
 * every command.
 *
 * `$XDG_CONFIG_HOME/bridgemon/bridgemon.conf` (else
 * `~/.config/bridgemon/bridgemon.conf`), lines of `key = value`; `#` starts a
 * comment line; blank lines are skipped.  Keys:
 *
 *   db = postgresql://physio@clinic/bridgemon   the store (as --db takes it;
 *                                               a SQLite file by full path)
 *   readiness.lsi_peak_min_pct = 90             the return-to-run checklist's
 *   readiness.lsi_impulse_min_pct = 90          thresholds (bm_readiness.h)
 *   readiness.sessions = 2
 *   readiness.pain_max = 3
 *   readiness.fatigue_reps_min = 20
 *
 * A key given twice, an unknown key, a value out of range or a line without
 * `=` is an error naming the file and the line: a clinic station must not
 * quietly write to another database than the one its settings name.  No
 * file is not an error (everything default).
 */
#ifndef BM_SETTINGS_H
#define BM_SETTINGS_H

#include <stddef.h>

#include "bm_readiness.h"

#define BM_SETTINGS_DB_MAX 1024

struct bm_settings {
	char path[1024];                        /**< the file read (or looked for) */
	int found;                              /**< the file exists */
	char db[BM_SETTINGS_DB_MAX];            /**< "" when not set */
	struct bm_readiness_params readiness;   /**< defaults where not set */
};

enum bm_settings_result {
	BM_SETTINGS_OK = 0,
	BM_SETTINGS_ERR_READ = -1,   /**< exists but cannot be read */
	BM_SETTINGS_ERR_FORMAT = -2, /**< a line is wrong; the message names it */
};

/** The default file's path into @p buf; 0, or -1 (no HOME, too long). */
int bm_settings_path(char *buf, size_t len);

/**
 * Read @p path (NULL: the default file) into @p out.  @p out always holds
 * the defaults plus what was read before an error.
 * @return BM_SETTINGS_OK (also with no file), or an error with a one-line
 *         @p msg ("FILE:LINE: what is wrong").
 */
int bm_settings_load(const char *path, struct bm_settings *out, char *msg, size_t msg_len);

/** Parse @p text as the contents of a file named @p name (the tests' way in). */
int bm_settings_parse(const char *name, const char *text, struct bm_settings *out, char *msg,
                      size_t msg_len);

#endif
