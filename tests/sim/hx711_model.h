/*
 * hx711_model.h - a model of one HX711 load-cell ADC that follows the
 * datasheet's timing (Avia Semiconductor HX711, rev 2.0), for running the
 * real firmware in a simulator.  It knows nothing of simavr: it is driven by
 * SCK edges and RATE changes stamped with CPU cycles, and it reports DOUT
 * changes through a callback; the caller schedules hx711_model_advance() at
 * hx711_model_next_event().
 *
 * What it models:
 *  - conversions every 1/10 s or 1/80 s following the RATE pin, stretched
 *    by the chip's own oscillator error (a chip with +1.5 % runs 1.5 %
 *    faster), on a fixed grid, so two chips drift against each other;
 *  - DOUT low when a conversion is ready; on each SCK rising edge the next
 *    bit, MSB first, appears on DOUT 0.1 us later (T2); the 25th pulse pulls
 *    DOUT high; 25, 26 or 27 pulses select channel A gain 128, channel B
 *    gain 32 or channel A gain 64 for the next conversion;
 *  - SCK high for more than 60 us powers the chip down; the falling edge
 *    then resets it (gain 128) and its first data come after the output
 *    settling time, taken as 4 conversion periods (datasheet: 50 ms at
 *    80 SPS, 400 ms at 10 SPS); a change of the RATE pin settles the same
 *    way;
 *  - a read (a train of pulses) ends when SCK has been quiet for 20 us,
 *    or when the next conversion completes after its 25th pulse;
 *  - conversions keep the chip's own time, whatever the clock does: an
 *    unread conversion is replaced by the next one (counted, DOUT stays
 *    low), and one that completes during a read makes the read torn (a
 *    violation; what the datasheet says and does not say about this is at
 *    the top of hx711_model.c).
 * Values: force (N) from a callback -> counts = offset + scale * force +
 * Gaussian noise (seeded), at gain 128; halved at gain 64; channel B reads
 * its own offset plus noise.  Clamped to the 24-bit range, so a big force
 * reads 0x7FFFFF like a real saturated chip.
 *
 * Violations (each a timing error of the driver, all counted):
 *  - SCK high longer than 50 us (T3 max) without being a power-down pulse;
 *  - SCK high or low shorter than 0.2 us (T3, T4 min) during a read;
 *  - first SCK rise sooner than 0.1 us after DOUT fell (T1);
 *  - a conversion completing inside a read, from T1 before its first
 *    rising edge to its 25th pulse: the read is torn;
 *  - a read clocked while no data was ready;
 *  - a wrong pulse count (1..24, or more than 27);
 *  - a power-down in the middle of a read (the Arduino-library failure).
 * A single SCK high of more than 60 us while no read is under way is a
 * deliberate reset and is no violation.
 *
 * Fault injection: "stuck" makes the chip hold DOUT high and ignore SCK
 * from one time on, until it is power-cycled (SCK > 60 us high) after a
 * second time: a latched-up chip that the firmware's recovery reset cures.
 *
 * Every complete read is recorded (start and end cycle, the 24-bit value
 * shifted out, its gain, the pulse count), so a test can compare what the
 * firmware reported with what the chip sent, bit for bit.
 */
#ifndef HX711_MODEL_H
#define HX711_MODEL_H

#include <stddef.h>
#include <stdint.h>

/** "Never" for event times. */
#define HX711_NEVER UINT64_MAX

/** Force in newtons on this chip's load cell at time @p t_s (seconds since
 *  the simulation started). */
typedef double (*hx711_force_fn)(void *ctx, int chip, double t_s);

/** Called when DOUT changes level (0 or 1) at CPU cycle @p cycle. */
typedef void (*hx711_dout_fn)(void *ctx, int chip, int level, uint64_t cycle);

/** Chip settings. */
struct hx711_model_cfg {
	int chip;                  /**< index passed to the callbacks */
	double cpu_hz;             /**< cycles per second of the stamps */
	double osc_err;            /**< oscillator error, fraction (+0.015 = 1.5 % fast) */
	double start_phase;        /**< 0..1 of a period: the chip's first data
	                                after power-up or a reset come this much
	                                later than the settling time */
	double offset_counts;      /**< counts at zero force, gain 128 */
	double scale_counts_per_n; /**< counts per newton, gain 128 (negative: cell reversed) */
	double noise_counts;       /**< noise SD, counts at gain 128 */
	uint64_t seed;             /**< noise seed */
	double reader_sync_s;      /**< input synchronizer latency of the reading
	                                MCU, added to T2 (AVR: up to 1.5 cycles, of
	                                which 0.5 after the instruction boundary) */
	hx711_force_fn force;      /**< may be NULL: zero force */
	void *force_ctx;
	hx711_dout_fn dout;        /**< may be NULL */
	void *dout_ctx;
};

/** One complete read as the chip saw it. */
struct hx711_read {
	uint64_t start_cycle;  /**< first SCK rising edge */
	uint64_t end_cycle;    /**< last SCK falling edge */
	uint64_t conv_cycle;   /**< when the conversion read was completed */
	uint64_t next_conv_cycle; /**< when the next conversion was due as the
	                              read started (HX711_NEVER: none) */
	int32_t value;         /**< the 24 bits shifted out, sign-extended */
	int32_t conv_value;    /**< the conversion the read started on; equals
	                            @c value unless the read was torn */
	uint16_t conv_gain;    /**< gain of that conversion: 128, 64 or 32 */
	uint8_t pulses;        /**< 25, 26 or 27 */
	uint8_t torn;          /**< 1: a conversion completed inside the read */
};

/** Counters.  All the violation_* must stay 0 for a correct driver. */
struct hx711_stats {
	uint64_t conversions;
	uint64_t reads;              /**< complete reads (recorded) */
	uint64_t overwritten;        /**< conversions replaced unread */
	uint64_t power_downs;        /**< resets by SCK high > 60 us */
	uint64_t max_read_high_cycles;/**< longest SCK high inside a read */
	uint64_t violation_high_50us;
	uint64_t violation_short_pulse;
	uint64_t violation_t1;
	uint64_t violation_update_in_read;
	uint64_t violation_not_ready;
	uint64_t violation_pulse_count;
	uint64_t violation_power_down_in_read;
	uint64_t first_violation_cycle;  /**< when the first one happened (0: none) */
};

struct hx711_model;

/** New chip, powered up at cycle @p now_cycle with RATE high (80 SPS) and
 *  settling.  NULL when out of memory or @p cfg is unusable. */
struct hx711_model *hx711_model_new(const struct hx711_model_cfg *cfg, uint64_t now_cycle);

/** Free (NULL is fine). */
void hx711_model_free(struct hx711_model *m);

/** SCK changed to @p level at @p cycle (cycles never go backwards). */
void hx711_model_sck(struct hx711_model *m, int level, uint64_t cycle);

/** RATE changed to @p level (1: 80 SPS, 0: 10 SPS) at @p cycle. */
void hx711_model_rate(struct hx711_model *m, int level, uint64_t cycle);

/** Cycle of the next internal event, or HX711_NEVER. */
uint64_t hx711_model_next_event(const struct hx711_model *m);

/** Process the internal events due at or before @p cycle. */
void hx711_model_advance(struct hx711_model *m, uint64_t cycle);

/** DOUT level now (1 = high = not ready). */
int hx711_model_dout(const struct hx711_model *m);

/** Fault: stuck from @p from_cycle until the first power cycle that ends at
 *  or after @p until_cycle (HX711_NEVER: for good). */
void hx711_model_set_stuck(struct hx711_model *m, uint64_t from_cycle, uint64_t until_cycle);

/** 1 while the chip is stuck. */
int hx711_model_is_stuck(const struct hx711_model *m);

/** Close the read of the last train (end of a run): it is recorded, or
 *  counted as a wrong pulse count when the clock has been quiet for 20 us
 *  after too few pulses; a train still being clocked at @p cycle with
 *  fewer than 25 pulses is left alone (the run stopped it, not the
 *  driver). */
void hx711_model_flush(struct hx711_model *m, uint64_t cycle);

/** The reads so far, oldest first; the array belongs to @p m and moves
 *  when more reads come in. */
size_t hx711_model_reads(const struct hx711_model *m, const struct hx711_read **reads);

/** Counters so far. */
void hx711_model_stats(const struct hx711_model *m, struct hx711_stats *out);

/** Sum of all violation counters. */
uint64_t hx711_stats_violations(const struct hx711_stats *s);

/** One line naming each violation counter and the time of the first one
 *  (at @p cpu_hz), for a test's failure message; returns @p buf. */
const char *hx711_stats_describe(const struct hx711_stats *s, double cpu_hz, char *buf,
                                 size_t len);

/** Conversion period in cycles at the current rate (with the oscillator
 *  error). */
double hx711_model_period_cycles(const struct hx711_model *m);

#endif /* HX711_MODEL_H */
