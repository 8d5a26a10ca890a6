/*
 * records_fixture.h - recordings for the records tests: the simulated
 * athlete written as a recording would be (CSV, sidecar, and when asked the
 * summary and events the recorder writes at stop), in a scratch folder.
 */
#ifndef RECORDS_FIXTURE_H
#define RECORDS_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

struct fx_rec {
	const char *name;        /**< file name without ".csv" */
	uint64_t seed;
	double seconds;
	double start_epoch_s;    /**< the sidecar's start; the rows' t_s start at 0 */
	const char *athlete;     /**< NULL: none */
	const char *exercise;    /**< NULL: none */
	int demo;
	int closed;              /**< the sidecar's "closed" */
	int summary;             /**< write NAME.summary.json and NAME.events.csv */
	double pain_before, pain_after; /**< NaN: none */
};

/** Defaults: seed 1, 300 s, 2026-11-02 09:00 UTC, no athlete, not demo,
 *  closed, with a summary, no pain. */
void fx_rec_default(struct fx_rec *r, const char *name);

/** Write the recording into @p dir.  0, or -1 (a message on stderr). */
int fx_recording(const char *dir, const struct fx_rec *r);

/** A new scratch folder under /tmp into @p out.  0 or -1. */
int fx_tmpdir(char *out, size_t len);

/** Remove a scratch folder and everything in it. */
void fx_rmtree(const char *dir);

/** Set the modification time of @p path to @p age_s seconds ago. */
void fx_age(const char *path, double age_s);

/** The whole file as a string (malloc'd), or NULL. */
char *fx_slurp(const char *path);

#endif
