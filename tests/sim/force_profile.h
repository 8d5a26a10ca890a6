/*
 * force_profile.h - what pushes on the simulated load cells: heel forces in
 * newtons over time, for the HX711 models of the simulated board.
 *
 * Three sources:
 *  - synthetic: a fixed, deterministic bridge routine (rest, a double-leg
 *    hold with one leg weaker, reps, a single-leg hold), repeating every
 *    40 s; what the proof tests use, since it needs nothing else;
 *  - csv: a session CSV (t_s, left_n, right_n) through the host's CSV
 *    reader, replayed in a loop;
 *  - sim: the host's simulated athlete (bm_sim) with a seed.
 * Samples are interpolated linearly.  Queries must move forward in time,
 * give or take a few seconds (two chips ask at slightly different times).
 */
#ifndef FORCE_PROFILE_H
#define FORCE_PROFILE_H

#include <stddef.h>
#include <stdint.h>

struct force_profile;

/** The built-in routine.  NULL only when out of memory. */
struct force_profile *force_profile_synthetic(void);

/** A session CSV; NULL with a one-line reason in @p err on failure. */
struct force_profile *force_profile_csv(const char *path, char *err, size_t err_len);

/** The simulated athlete with @p seed; NULL with a reason in @p err. */
struct force_profile *force_profile_sim(uint64_t seed, char *err, size_t err_len);

/** Free (NULL is fine). */
void force_profile_free(struct force_profile *p);

/** Force on channel @p ch (0 left, 1 right) at @p t_s.  Usable directly
 *  as an hx711_force_fn with the profile as context. */
double force_profile_at(void *profile, int ch, double t_s);

#endif /* FORCE_PROFILE_H */
