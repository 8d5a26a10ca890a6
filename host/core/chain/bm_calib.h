/*
 * bm_calib.h - raw HX711 counts to newtons, per channel:
 *
 *     force_n = (raw_counts - offset_counts) * scale_n_per_count
 *
 * The offset comes from a tare: the mean of the counts over a still second
 * with nothing on the plate.  The scale comes from a known mass in kg put
 * on the plate after the tare (weight = kg x 9.80665 N/kg, standard
 * gravity).  A load cell wired in reverse simply gets a negative scale.
 * Raw counts are kept alongside newtons all the way to the CSV, so a
 * recording can be recalibrated later.
 *
 * Both steps refuse when the signal is not still (someone is moving on the
 * plate): a tare taken during a movement would shift every later reading.
 *
 * This is the maths only (a transform of the signal chain, no I/O); the
 * calibration files and the board's EEPROM record are in
 * formats/bm_calib_file.h.
 */
#ifndef BM_CALIB_H
#define BM_CALIB_H

#include <stddef.h>
#include <stdint.h>


/** Channels: 0 left heel, 1 right heel (the wire protocol's order). */
#define BM_CALIB_NCHAN 2

/** Standard gravity, N/kg. */
#define BM_STANDARD_GRAVITY 9.80665

/** Return codes: 0 ok, negatives are errors (each has a message). */
enum bm_calib_result {
	BM_CALIB_OK = 0,
	BM_CALIB_ERR_ARG = -1,       /**< bad argument (channel, mass <= 0, n = 0) */
	BM_CALIB_ERR_MOVING = -2,    /**< the signal is not still */
	BM_CALIB_ERR_LOADED = -3,    /**< tare refused: something rests on the plate */
	BM_CALIB_ERR_NO_RESPONSE = -4, /**< the mass barely moved the reading */
	BM_CALIB_ERR_IO = -5,        /**< file could not be read or written */
	BM_CALIB_ERR_FORMAT = -6,    /**< calibration file is malformed */
	BM_CALIB_ERR_NOT_FOUND = -7, /**< no calibration stored for this board */
};

/** Calibration of both channels. */
struct bm_calib {
	double offset_counts[BM_CALIB_NCHAN];
	double scale_n_per_count[BM_CALIB_NCHAN];
	int valid[BM_CALIB_NCHAN];     /**< scale came from a known mass (or a board) */
};

/** Thresholds for stillness and load; defaults from bm_calib_limits_default. */
struct bm_calib_limits {
	double still_sd_n;        /**< max standard deviation over the window (2 N) */
	double still_drift_n;     /**< max change between window halves (2 N) */
	double tare_max_load_n;   /**< a calibrated plate reading above this is
	                               loaded: refuse the tare (30 N) */
	double min_counts;        /**< mass must move the reading this much (500) */
};

void bm_calib_limits_default(struct bm_calib_limits *lim);

/** Scale assumed before any calibration, so that stillness can be judged in
 *  newtons at all: a 200 kg, 2 mV/V cell on an HX711 at gain 128 with about
 *  4.3 V excitation gives roughly 2000 counts per newton. */
#define BM_CALIB_DEFAULT_SCALE_N_PER_COUNT 5e-4

/** Uncalibrated: offset 0, the default scale, not valid. */
void bm_calib_init(struct bm_calib *cal);

/**
 * Newtons from counts on channel @p ch (0 or 1).  The caller has already
 * set aside counts that are not readings (a chip not ready, saturated:
 * BM_CH_NOT_A_READING in bm_protocol.h).
 */
double bm_calib_apply(const struct bm_calib *cal, int ch, int32_t raw_counts);

/**
 * Tare channel @p ch from @p n raw readings taken with nothing on the plate
 * (about one second of samples).  On success the offset becomes their mean.
 * @param msg   receives a one-line reason on refusal (may be NULL).
 * @return BM_CALIB_OK, BM_CALIB_ERR_ARG, BM_CALIB_ERR_MOVING, BM_CALIB_ERR_LOADED.
 */
int bm_calib_tare(struct bm_calib *cal, const struct bm_calib_limits *lim, int ch,
                  const int32_t *raw_counts, size_t n, char *msg, size_t msg_len);

/**
 * Scale channel @p ch from @p n raw readings taken with @p mass_kg resting on
 * the tared plate.
 * @return BM_CALIB_OK, BM_CALIB_ERR_ARG, BM_CALIB_ERR_MOVING,
 *         BM_CALIB_ERR_NO_RESPONSE.
 */
int bm_calib_scale(struct bm_calib *cal, const struct bm_calib_limits *lim, int ch,
                   const int32_t *raw_counts, size_t n, double mass_kg,
                   char *msg, size_t msg_len);

#endif
