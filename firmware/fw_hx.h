/*
 * fw_hx.h - when to read the two HX711s, and what a reading means: the
 * decisions of the HX711 driver, kept apart from its pins so that they can
 * be tested natively.
 *
 * Both chips share one clock line, so a read clocks both: a chip is read
 * only when it says it is ready (DOUT low), or the clock pulses would reach
 * a chip in the middle of converting.  Normally the scheduler waits until
 * both are ready and reads them together; the two chips run from their own
 * RC oscillators (a few per cent apart), so the one that is ready first
 * waits at most about one conversion period for the other.
 *
 * A chip that has not been ready for FW_HX_MISS_PERIODS conversion periods
 * since its last reading is flagged BM_CH_NOT_READY: the scheduler stops
 * waiting for it and the other chip streams on its own.  To recover the
 * flagged chip, the driver power-cycles the chips (clock high for more than
 * 60 us, then low), at once and then every second or so.  That resets the
 * healthy chip as well (the clock is shared), which costs it the settling
 * time of FW_HX_SETTLE_PERIODS; the first reading of each chip after such a
 * reset carries BM_CH_RESET.  After a reset the scheduler waits for a
 * flagged chip only until it should have settled (FW_HX_PROBATION_PERIODS),
 * so a chip that stays dead costs the healthy one little.
 *
 * The shared clock and a word that waited: the chip that was ready first
 * keeps its word while the scheduler waits for the other, and its next
 * conversion comes one of its own periods after that word did.  The
 * datasheet wants a read's 25..27 pulses inside one conversion period and
 * does not say what is shifted out when a conversion completes in the
 * middle of a read (nor does DOUT show that moment: it stays low), so a
 * read must not overlap it.  The scheduler knows when each word came to
 * within one poll (the chip was seen not ready at one poll and ready at a
 * later one) and holds a read back while the next conversion of any chip
 * it reads could complete from FW_HX_GUARD_US before to FW_HX_READ_US
 * after the poll, allowing each chip's period to be FW_HX_OSC_TOL_PCT off
 * the nominal one.  At 80 SPS that holds a read back by at most
 * 2 * 5 % * 12.5 ms + 0.22 ms ~ 1.5 ms, when the chips' phases meet; the
 * word of the other chip is then fresh and has > 10 ms to go.
 *
 * Gain: the number of clock pulses of a read (25 for gain 128, 27 for gain
 * 64) selects the gain of the chip's *next* conversion.  So the first
 * reading after a gain change was still converted at the old gain; it is
 * read (to send the new pulse count) but not sent.
 *
 * Times are microseconds from the board's clock (u32, wraps every 71.6 min);
 * comparisons are wrap-safe for intervals below 35 minutes.
 *
 * Pure logic: compiles for the AVR and natively for the unit tests.
 */
#ifndef FW_HX_H
#define FW_HX_H

#include <stdint.h>

#include "bm_protocol.h"

/** Conversions from reset (or rate change) to the first data: datasheet
 *  output settling time, 50 ms at 80 SPS and 400 ms at 10 SPS. */
#define FW_HX_SETTLE_PERIODS 4u
/** Periods without a ready signal before a chip is flagged. */
#define FW_HX_MISS_PERIODS 3u
/** After a reset, periods a flagged chip gets to come back. */
#define FW_HX_PROBATION_PERIODS (FW_HX_SETTLE_PERIODS + 1u)
/** Interval between recovery resets while a chip stays flagged: 1 s, but
 *  at least 25 periods, so that each reset (which costs the healthy chip
 *  its settling, ~5 periods) leaves it 80 % of its readings at 10 SPS as
 *  well as 94 % at 80 SPS. */
#define FW_HX_RETRY_US 1000000UL
#define FW_HX_RETRY_MIN_PERIODS 25u

/** Oscillator tolerance the read guard allows each chip, per cent of the
 *  nominal period.  The datasheet gives no tolerance for the internal
 *  oscillator; 5 % is more than twice the +-2 % two chips were seen apart. */
#define FW_HX_OSC_TOL_PCT 5u
/** A read, from the poll that decides it to its last clock edge, lasts at
 *  most this long: 25 pulses take 44.9 us, 48.8 us at most (measured in
 *  simavr, first to last edge), 27 a little more, and the poll before
 *  them a few us; the
 *  rest is room for interrupts between the pulses (a UART or timer
 *  interrupt takes a few us). */
#define FW_HX_READ_US 200u
/** No conversion may complete this long before the poll either: T1
 *  (0.1 us) and the line re-check just before the first edge. */
#define FW_HX_GUARD_US 20u
/** The guard predicts a chip's conversions this many periods ahead of its
 *  word (further on, the oscillator's uncertainty covers the whole period;
 *  a chip is flagged long before). */
#define FW_HX_GUARD_PERIODS 8u
/** Beyond this uncertainty about when a word came (polls this far apart),
 *  the guard cannot place the next conversion and does not hold back. */
#define FW_HX_GUARD_MAX_UNCERTAIN_US(period_us) ((period_us) / 4u)

/** Bit of a channel in the ready/read masks. */
#define FW_HX_BIT(ch) ((uint8_t)(1u << (ch)))
#define FW_HX_ALL ((uint8_t)((1u << BM_NCHAN) - 1u))

/** What fw_hx_poll() asks the driver to do. */
enum fw_hx_action {
	FW_HX_IDLE = 0,   /**< nothing yet: poll again */
	FW_HX_READ = 1,   /**< clock out the chips in *read_mask now */
	FW_HX_RESET = 2,  /**< power-cycle the chips, then fw_hx_reset_done() */
};

/** Scheduler state.  Fields are private; use the functions. */
struct fw_hx {
	uint32_t period_us;               /* nominal conversion period */
	uint32_t p_min_us, p_max_us;      /* the period -/+ FW_HX_OSC_TOL_PCT */
	uint32_t deadline_us[BM_NCHAN];   /* flag the chip if not ready by then */
	uint32_t retry_us;                /* next recovery reset */
	uint32_t high_us[BM_NCHAN];       /* last poll that saw the chip not ready */
	uint32_t low_us[BM_NCHAN];        /* first poll that saw its word ready */
	uint8_t low_seen;                 /* chips whose low_us is set */
	uint8_t waiting;                  /* chips a read waits for */
	uint8_t flagged;                  /* chips reported BM_CH_NOT_READY */
	uint8_t reset_mark;               /* chips whose next reading is BM_CH_RESET */
	uint8_t rate_sps;                 /* 10 or 80 */
	uint8_t gain;                     /* gain the next read selects: 128 or 64 */
	uint8_t conv_gain;                /* gain of the conversion waiting in the chips */
};

/**
 * Start, just after the chips were power-cycled at boot.
 * @param rate_sps  10 or 80 (anything else is taken as 80).
 * @param gain      128 or 64 (anything else is taken as 128).
 */
void fw_hx_init(struct fw_hx *hx, uint32_t now_us, uint8_t rate_sps, uint8_t gain);

/**
 * Decide what to do now.  Call it often (every pass of the main loop): the
 * read guard learns when each chip's word came from these calls.
 * @param ready      bit FW_HX_BIT(ch) set when chip ch's DOUT is low.
 * @param read_mask  set to the chips to read when FW_HX_READ is returned
 *                   (chips outside it are flagged); not NULL.
 * @return enum fw_hx_action.
 */
int fw_hx_poll(struct fw_hx *hx, uint32_t now_us, uint8_t ready, uint8_t *read_mask);

/** Clock pulses per read for the current gain: 25 (128) or 27 (64). */
uint8_t fw_hx_pulses(const struct fw_hx *hx);

/**
 * Account for a read and turn it into a SAMPLE.
 * @param t_us       time of the read (goes into the sample).
 * @param read_mask  the mask fw_hx_poll() gave.
 * @param bits       the 24 bits clocked out of each chip (unread ones ignored).
 * @param m          filled (all but seq) when 1 is returned; not NULL.
 * @return 1 when the sample should be sent, 0 when the reading is dropped
 *         because it was converted at the gain in force before a change.
 */
int fw_hx_read_done(struct fw_hx *hx, uint32_t t_us, uint8_t read_mask,
                    const uint32_t bits[BM_NCHAN], struct bm_sample_msg *m);

/** The driver has just power-cycled both chips (fw_hx_poll said so). */
void fw_hx_reset_done(struct fw_hx *hx, uint32_t now_us);

/** The RATE pin was just switched: chips settle at the new rate.
 *  @param rate_sps 10 or 80. */
void fw_hx_set_rate(struct fw_hx *hx, uint32_t now_us, uint8_t rate_sps);

/** Use @p gain (128 or 64) from the next read on. */
void fw_hx_set_gain(struct fw_hx *hx, uint8_t gain);

/** Rate and gain in force. */
uint8_t fw_hx_rate_sps(const struct fw_hx *hx);
uint8_t fw_hx_gain(const struct fw_hx *hx);

/** Chips currently flagged BM_CH_NOT_READY (FW_HX_BIT mask). */
uint8_t fw_hx_flagged(const struct fw_hx *hx);

/** 24 bits as clocked out (MSB first) to a sign-extended count. */
int32_t fw_hx_sign_extend(uint32_t bits);

/** BM_CH_SAT_HIGH for 0x7FFFFF, BM_CH_SAT_LOW for -0x800000, else 0. */
uint8_t fw_hx_sat_flags(int32_t raw);

#endif /* FW_HX_H */
