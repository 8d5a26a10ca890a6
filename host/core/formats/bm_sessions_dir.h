/*
 * bm_sessions_dir.h - the sessions folder: where recordings go, what their
 * companion files are called, and what the day's earlier recordings add up
 * to.
 *
 * Recordings live in $XDG_DATA_HOME/bridgemon/sessions (else
 * ~/.local/share/bridgemon/sessions), one "YYYY-MM-DDTHH-MM-SS.csv" per
 * recording (local start time, no colons so the files copy to any system),
 * with NAME.events.csv and NAME.summary.json beside it.  "Hold time today"
 * counts the day's earlier recordings from their summaries, so today means
 * the day, not only this run of the program.
 */
#ifndef BM_SESSIONS_DIR_H
#define BM_SESSIONS_DIR_H

#include <stddef.h>

/**
 * The sessions folder, created if missing.
 * @return 0, or -1 with a one-line @p msg (no HOME, cannot create it).
 */
int bm_sessions_dir(char *out, size_t len, char *msg, size_t msg_len);

/**
 * A new file name under @p dir for a recording started at @p epoch_s:
 * "YYYY-MM-DDTHH-MM-SS" (local time) and @p suffix ("-demo" for simulated
 * data, else ""), ".csv", with "-2", "-3"... before the suffix when that
 * exists.  @return 0, or -1 when @p out is too small.
 */
int bm_sessions_new_path(const char *dir, double epoch_s, const char *suffix, char *out,
                         size_t len);

/** The companion files of a recording: FILE.csv -> FILE.events.csv and
 *  FILE.summary.json (the .csv is replaced, or the names appended). */
void bm_sessions_companion_paths(const char *csv, char *events, char *summary, size_t len);

/** A demo recording: the demo athlete's data, named "...-demo.csv" (and
 *  its companions "...-demo.summary.json" ...) and marked in its sidecar
 *  and summary.  @p name may be a path, with or without an extension. */
int bm_sessions_is_demo_name(const char *name);

/** Flags of bm_sessions_hold_today_with(). */
enum bm_sessions_today_flags {
	BM_SESSIONS_WITH_DEMO = 1,   /**< count demo recordings too */
};

/**
 * Hold time in the recordings of @p dir started on the local day of
 * @p now_epoch_s, from their summaries.  Both legs of a double-leg hold
 * count once: the larger leg's total per recording.  Demo recordings (the
 * demo athlete's: the summary says "demo": true or the name ends in
 * "-demo") are not a person's work and are left out.  Unreadable summaries
 * add nothing.  @return seconds (0 when the folder cannot be read).
 */
double bm_sessions_hold_today_s(const char *dir, double now_epoch_s);

/** The same, with demo recordings counted when @p flags has
 *  BM_SESSIONS_WITH_DEMO. */
double bm_sessions_hold_today_with(const char *dir, double now_epoch_s, unsigned flags);

#endif
