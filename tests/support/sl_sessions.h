/*
 * sl_sessions.h - single-leg bridge recordings with chosen forces, as the
 * monitor leaves them, for the tests of the progress view: the CSV at
 * 80 Hz (rest 60/55 N; the left leg alone 10-30 s with the right foot
 * lifted, the right alone 50-70 s, rest to 100 s), its sidecar, and the
 * summary `bridgemon analyze --json` writes.  A session's best hold comes
 * out within a few tenths of a newton of the force asked for, and its LSI
 * as weaker / stronger of the two.
 */
#ifndef SL_SESSIONS_H
#define SL_SESSIONS_H

struct sl_session {
	const char *athlete;  /**< the sidecar's athlete */
	double epoch_s;       /**< start; also names the file (UTC) */
	double left_n;        /**< the left hold above rest, N */
	double right_n;       /**< the right hold above rest, N */
	double pain_after;    /**< 0-10, NaN: none */
	int demo;             /**< marked demo (and "-demo" in its name) */
};

/** The CSV alone at @p path.  0, or -1. */
int sl_write_csv(const char *path, double left_n, double right_n);

/**
 * The recording of @p s in folder @p dir, the summary from `BRIDGEMON
 * analyze` run with environment assignments @p env ("TZ=UTC X=..." or "").
 * @return 0, or -1 with a line on stderr.
 */
int sl_recording(const char *bridgemon, const char *env, const char *dir,
                 const struct sl_session *s);

#endif
