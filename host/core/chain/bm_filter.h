/*
 * bm_filter.h - cleaning a heel-force trace: despike, then a Butterworth
 * low-pass, causal for the live view and zero-phase for `analyze`.
 *
 * Order of work: despike first, filter second.  An HX711 glitch is a single
 * sample at full scale (0x7FFFFF) or at zero; a low-pass would smear it into
 * a bump of several hundred milliseconds that a detector could take for an
 * effort, whereas a median of three removes it and leaves every feature that
 * lasts two samples or more untouched.
 *
 * The low-pass is designed exactly as scipy.signal.butter(order, cutoff_hz,
 * fs=rate_hz, output='sos') designs it (same second-order sections in the
 * same order), and run exactly as scipy's sosfilt (direct form II
 * transposed) and sosfiltfilt (odd extension at both ends, forward pass
 * started in steady state for the first padded sample, backward pass
 * likewise), so that anyone can redo our numbers with scipy; the tests hold
 * both to reference vectors scipy made (tests/ref/gen_filter_ref.py).
 *
 * Missing samples are NaN throughout.  NaN never spreads: the despiker keeps
 * it in place, the causal filter restarts after it, and the streaming
 * zero-phase filter treats it as the end of a segment.
 *
 * Typical use in `analyze`, one leg:
 *     bm_despike_push(d, force_n, &clean)   -> one sample later
 *     bm_zerophase_push(zp, clean, &out)    -> blocks of filtered samples,
 *                                              in input order
 */
#ifndef BM_FILTER_H
#define BM_FILTER_H

#include <stddef.h>

/** Return codes of this module: 0 ok, negatives are errors. */
enum bm_filter_result {
	BM_FILTER_OK = 0,
	/** An argument out of range: order not in 1..BM_FILTER_MAX_ORDER,
	 *  rate_hz not finite and > 0, cutoff_hz not strictly between 0 and
	 *  rate_hz / 2, a section count out of range, a section whose a0 is
	 *  not 1 or whose poles are not inside the unit circle. */
	BM_FILTER_ERR_ARG = -1,
	BM_FILTER_ERR_NOMEM = -2,
	/** The filter decays too slowly for the streaming zero-phase filter:
	 *  its look-ahead would exceed BM_ZEROPHASE_MAX_LOOKAHEAD samples. */
	BM_FILTER_ERR_SLOW = -3,
};

/** Highest Butterworth order bm_butter_lowpass() designs. */
#define BM_FILTER_MAX_ORDER 16
/** Most second-order sections a filter may have. */
#define BM_SOS_MAX_SECTIONS ((BM_FILTER_MAX_ORDER + 1) / 2)

/* ---- despike ---- */

/**
 * Median-of-3 despike over an array: y[i] = median(x[i-1], x[i], x[i+1]).
 *
 * The first and last samples, and any sample next to a NaN, are copied
 * unchanged (a median needs both neighbours; inventing one would move
 * values across a gap).  A NaN stays a NaN at its position and never reaches
 * its neighbours.
 * @param x  input, n samples (NaN = missing); may be NULL when n is 0.
 * @param y  output, n samples; may be the same array as @p x.
 */
void bm_despike3(const double *x, double *y, size_t n);

/** Streaming median-of-3 despiker: bm_despike3() one sample at a time,
 *  with one sample of delay. */
struct bm_despike;

/** New despiker; NULL when out of memory.  Free with bm_despike_free(). */
struct bm_despike *bm_despike_new(void);

/** Free a despiker (NULL is fine). */
void bm_despike_free(struct bm_despike *d);

/**
 * Push the next sample.
 * @param x    the sample (NaN = missing).
 * @param out  must not be NULL; set to the despiked value of the sample
 *             pushed before this one, when there was one.
 * @return 1 when @p out was set, 0 for the first sample of a stream.
 */
int bm_despike_push(struct bm_despike *d, double x, double *out);

/**
 * End of the stream or of a segment (a gap the caller knows of): hand back
 * the last sample, unchanged as an end sample is, and start afresh.
 * @param out  must not be NULL.
 * @return 1 when @p out was set, 0 when there was nothing pending.
 */
int bm_despike_flush(struct bm_despike *d, double *out);

/* ---- design ---- */

/**
 * A cascade of second-order sections, scipy's 'sos' layout: row s holds
 * b0 b1 b2 a0 a1 a2 of H_s(z) = (b0 + b1 z^-1 + b2 z^-2) / (a0 + a1 z^-1 +
 * a2 z^-2), with a0 = 1; the filter is the product of the rows.  A plain
 * value: copy it freely.  To use coefficients of your own, set n_sections
 * and c and leave the rest 0.
 */
struct bm_sos {
	int n_sections;                       /**< 1..BM_SOS_MAX_SECTIONS */
	double c[BM_SOS_MAX_SECTIONS][6];     /**< b0 b1 b2 a0 a1 a2 per row */
	int order;                            /**< design order (information) */
	double cutoff_hz;                     /**< -3 dB frequency (information) */
	double rate_hz;                       /**< sample rate (information) */
};

/**
 * Butterworth low-pass as second-order sections, the same as
 * scipy.signal.butter(order, cutoff_hz, fs=rate_hz, output='sos'): the
 * analog prototype's poles, scaled to the prewarped cutoff, moved to the
 * z-plane by the bilinear transform, and paired into sections as scipy's
 * zpk2sos pairs them ('nearest'), the gain in the first section.
 * @param order      1..BM_FILTER_MAX_ORDER.
 * @param cutoff_hz  -3 dB frequency, 0 < cutoff_hz < rate_hz / 2.
 * @param rate_hz    sample rate, > 0.
 * @param out        must not be NULL; zeroed on error.
 * @return BM_FILTER_OK or BM_FILTER_ERR_ARG.
 */
int bm_butter_lowpass(int order, double cutoff_hz, double rate_hz, struct bm_sos *out);

/** Order of the default design (see bm_filter_default()). */
#define BM_FILTER_DEFAULT_ORDER 4
/** Cutoff of the default design at the usual 80 SPS. */
#define BM_FILTER_DEFAULT_CUTOFF_HZ 5.0
/** At low rates the default cutoff is this fraction of the sample rate. */
#define BM_FILTER_DEFAULT_CUTOFF_FRACTION 0.3

/**
 * Cutoff of the default low-pass at a sample rate:
 * min(BM_FILTER_DEFAULT_CUTOFF_HZ, BM_FILTER_DEFAULT_CUTOFF_FRACTION *
 * rate_hz), i.e. 5 Hz at 80 SPS and 3 Hz at 10 SPS.  NaN when rate_hz is
 * not finite and > 0.
 */
double bm_filter_default_cutoff_hz(double rate_hz);

/**
 * The default low-pass for bridgemon at a sample rate: Butterworth of order
 * BM_FILTER_DEFAULT_ORDER at bm_filter_default_cutoff_hz(rate_hz).  Why
 * these numbers: see bm_filter.c.
 * @param out  must not be NULL.
 * @return BM_FILTER_OK or BM_FILTER_ERR_ARG (rate_hz not finite and > 0).
 */
int bm_filter_default(double rate_hz, struct bm_sos *out);

/**
 * Steady-state starting state of the sections for an input held at 1, as
 * scipy.signal.sosfilt_zi(sos): multiply by a level x0 to start a filter as
 * if x0 had always been its input.
 * @param sos  must not be NULL, n_sections in range.
 * @param zi   out: zi[s][0..1] for each section s.
 * @return BM_FILTER_OK or BM_FILTER_ERR_ARG.
 */
int bm_sos_zi(const struct bm_sos *sos, double zi[BM_SOS_MAX_SECTIONS][2]);

/**
 * scipy's default padlen of sosfiltfilt for @p sos:
 * 3 * (2 * n_sections + 1 - min(#rows with b2 == 0, #rows with a2 == 0)).
 * 0 when sos is not valid.
 */
size_t bm_sos_padlen(const struct bm_sos *sos);

/* ---- causal filter (live view) ---- */

/** How a causal filter starts, after creation, bm_sosfilt_reset() and a
 *  NaN sample. */
enum bm_sosfilt_start {
	/** State zero, as scipy's sosfilt without zi: the output rings up from
	 *  zero.  What the reference vectors check. */
	BM_SOSFILT_START_ZERO = 0,
	/** State set to the steady state of the first sample (sosfilt_zi *
	 *  x0): a live trace starts flat at the first reading instead of
	 *  ringing up from zero. */
	BM_SOSFILT_START_STEADY = 1,
};

/** A causal low-pass, scipy's sosfilt one sample at a time. */
struct bm_sosfilt;

/**
 * New causal filter.
 * @param sos    must not be NULL; copied.
 * @param start  how the state starts (enum bm_sosfilt_start).
 * @param out    set to the filter, or NULL on error.
 * @return BM_FILTER_OK, BM_FILTER_ERR_ARG (bad sos or start),
 *         BM_FILTER_ERR_NOMEM.
 */
int bm_sosfilt_new(const struct bm_sos *sos, enum bm_sosfilt_start start,
                   struct bm_sosfilt **out);

/** Free a causal filter (NULL is fine). */
void bm_sosfilt_free(struct bm_sosfilt *f);

/** Back to the starting state chosen at creation. */
void bm_sosfilt_reset(struct bm_sosfilt *f);

/** Set the state to the steady state of a constant input @p x0 now
 *  (scipy: zi = sosfilt_zi(sos) * x0).  x0 = 0 gives the zero state. */
void bm_sosfilt_prime(struct bm_sosfilt *f, double x0);

/**
 * Filter one sample.  A NaN input gives NaN and restarts the filter as
 * bm_sosfilt_reset() does, so a gap never poisons what follows.
 * @return the filtered sample.
 */
double bm_sosfilt_step(struct bm_sosfilt *f, double x);

/** bm_sosfilt_step() over an array; @p y may be @p x; NULL is fine when
 *  n is 0. */
void bm_sosfilt_run(struct bm_sosfilt *f, const double *x, double *y, size_t n);

/* ---- zero-phase filter (analyze) ---- */

/**
 * Zero-phase filtering of a whole array, exactly as
 * scipy.signal.sosfiltfilt(sos, x, padtype='odd') with the default padlen
 * (bm_sos_padlen()); for n <= that padlen, padlen = n - 1 is used (which
 * scipy accepts when given explicitly).  n = 1 copies the sample; n = 0 does
 * nothing.  Allocates nothing.  NaN in @p x spreads through the output, as
 * in scipy: split at gaps first (bm_zerophase does that).
 * @param sos  must not be NULL.
 * @param x    input; may be NULL when n is 0.
 * @param y    output, n samples; may be the same array as @p x.
 * @return BM_FILTER_OK or BM_FILTER_ERR_ARG (bad sos).
 */
int bm_sosfiltfilt(const struct bm_sos *sos, const double *x, double *y, size_t n);

/** Longest look-ahead bm_zerophase accepts, in samples. */
#define BM_ZEROPHASE_MAX_LOOKAHEAD ((size_t)1 << 20)
/** Longest block bm_zerophase accepts, in samples. */
#define BM_ZEROPHASE_MAX_BLOCK ((size_t)1 << 24)
/** Bound on the blocking error of bm_zerophase, relative to the peak-to-
 *  peak range of the segment (see bm_sos_lookahead()). */
#define BM_ZEROPHASE_REL_ERROR 1e-10

/**
 * Look-ahead the streaming zero-phase filter needs for @p sos so that
 * cutting a segment into blocks changes no output by more than
 * @p rel_error times the segment's peak-to-peak range R.
 *
 * The backward pass of a block starts L samples past its last output in the
 * steady state of the forward output there, instead of in the state the
 * full backward pass (from the segment's end) would have.  That state error
 * d decays as a zero-input response: at k samples from the start the output
 * error is at most max|d_m| * g(k), with g(k) = sum over state components m
 * of |output at step k from a unit state in m|, and g(k) falls like rho^k,
 * rho the largest pole radius.  |d_m| <= 3 R * ||h||_1 * ||h_m||_1, where h
 * is the impulse response of the filter (the forward output stays within
 * ||h||_1 of the middle of the padded input, which spans at most 3 R) and
 * h_m the response of state component m to an input impulse.  L is the
 * first k from which 3 ||h||_1 max_m ||h_m||_1 g(k) stays below rel_error,
 * all computed by running the sections (so non-normal cascades are covered,
 * unlike a bare rho^L estimate).
 * @param sos        must not be NULL.
 * @param rel_error  > 0, e.g. BM_ZEROPHASE_REL_ERROR.
 * @param out        must not be NULL; the look-ahead in samples (>= 1).
 * @return BM_FILTER_OK, BM_FILTER_ERR_ARG (bad sos or rel_error),
 *         BM_FILTER_ERR_SLOW (more than BM_ZEROPHASE_MAX_LOOKAHEAD).
 */
int bm_sos_lookahead(const struct bm_sos *sos, double rel_error, size_t *out);

/**
 * Streaming zero-phase filter for inputs too long to hold (a 10-million-row
 * session): push samples one at a time; filtered samples come back in
 * blocks, in input order.
 *
 * The input is a sequence of segments.  A segment ends at a NaN sample (a
 * missing sample, which comes out as NaN at its own position), at
 * bm_zerophase_end() (a gap the caller knows of, or the end of input).
 * Each segment is filtered as bm_sosfiltfilt() would filter it alone
 * (bit for bit when it is shorter than block + look-ahead), except that a
 * long segment is cut into blocks whose backward pass starts a look-ahead
 * of L samples later (bm_sos_lookahead() with BM_ZEROPHASE_REL_ERROR), so
 * outputs differ from the whole-segment result by at most 1e-10 of the
 * segment's peak-to-peak range.
 *
 * Latency: at most block + look-ahead samples.  Memory: about
 * 8 * (block + look-ahead + 3 * padlen) bytes, fixed at creation, whatever
 * the segment length.  Per sample: one forward step, and (block + L) / block
 * backward steps.
 */
struct bm_zerophase;

/**
 * New streaming zero-phase filter.
 * @param sos        must not be NULL; copied.
 * @param block_len  samples per output block, at most
 *                   BM_ZEROPHASE_MAX_BLOCK; 0 chooses max(4096, 8 L).
 *                   Values below padlen + 1 are raised to it.
 * @param out        set to the filter, or NULL on error.
 * @return BM_FILTER_OK, BM_FILTER_ERR_ARG (bad sos, block_len too long),
 *         BM_FILTER_ERR_SLOW, BM_FILTER_ERR_NOMEM.
 */
int bm_zerophase_new(const struct bm_sos *sos, size_t block_len,
                     struct bm_zerophase **out);

/** Free (NULL is fine).  Samples not yet handed out are lost: call
 *  bm_zerophase_end() first. */
void bm_zerophase_free(struct bm_zerophase *zp);

/**
 * Push one sample.
 * @param x    the sample; NaN is a missing sample and ends the segment.
 * @param out  must not be NULL; set to the samples that came out (valid
 *             until the next call on @p zp), or NULL when none did.
 * @return how many samples came out (0 .. bm_zerophase_max_out()).
 */
size_t bm_zerophase_push(struct bm_zerophase *zp, double x, const double **out);

/**
 * End the current segment (a gap, or the end of the input) and hand out
 * the rest of it.  Calling it with no segment open is harmless.
 * @param out  must not be NULL; as for bm_zerophase_push().
 * @return how many samples came out.
 */
size_t bm_zerophase_end(struct bm_zerophase *zp, const double **out);

/** Look-ahead L in samples. */
size_t bm_zerophase_lookahead(const struct bm_zerophase *zp);

/** Block length in samples. */
size_t bm_zerophase_block_len(const struct bm_zerophase *zp);

/** Most samples one push or end can hand out (block + look-ahead). */
size_t bm_zerophase_max_out(const struct bm_zerophase *zp);

#endif
