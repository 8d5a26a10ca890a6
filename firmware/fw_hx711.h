/*
 * fw_hx711.h - the pins of the two HX711s: one shared clock (SCK), one data
 * line each (DOUT_L, DOUT_R), one shared RATE line (see board.h).
 *
 * A read clocks both chips together and samples both data lines from one
 * PIN register read per pulse, so the left and right bits of a frame are
 * taken on the same clock edge.
 *
 * Why interrupts are disabled around each clock-high period and only there:
 * an HX711 powers down when SCK stays high for 60 us.  If an interrupt
 * (the UART's, the timer's) ran while SCK was high, a long one could
 * stretch the pulse past that, and the chip would shut down in the middle
 * of the read and answer all ones afterwards - the classic failure of the
 * popular Arduino libraries.  With interrupts held off for the ~0.4 us high
 * period, interrupts run only while SCK is low, where the chip does not
 * care how long it waits.
 *
 * DOUT has the AVR's pull-up on: the HX711 drives it push-pull, and a chip
 * whose wire came off then reads "not ready" (high) and is flagged, rather
 * than streaming zeros that look like a reading.
 */
#ifndef FW_HX711_H
#define FW_HX711_H

#include <stdint.h>

#include "bm_protocol.h"

/** Clock high time of a power-down reset: the chip needs > 60 us. */
#define FW_HX711_POWER_DOWN_US 100u

/** Pins to their idle state (SCK low, RATE for @p rate_sps, DOUT inputs
 *  with pull-ups). */
void fw_hx711_init(uint8_t rate_sps);

/** FW_HX_BIT(ch) set for each chip whose DOUT is low (data ready), from
 *  one read of the port. */
uint8_t fw_hx711_ready(void);

/**
 * Clock out both chips: 24 data bits MSB first, then 1 or 3 more pulses
 * that select the next conversion's gain.  The data lines are sampled once
 * more just before the first rising edge (interrupts off in between); when
 * they no longer show @p ready, nothing is clocked and 0 is returned.
 * @param pulses  25 (gain 128) or 27 (gain 64); 24..27 accepted.
 * @param ready   what the poll saw (fw_hx711_ready()).
 * @param bits    the 24 bits of each chip (chips that were not ready give
 *                garbage, which the caller ignores); not NULL.
 * @return 1 when read, 0 when a line had changed (poll again).
 */
uint8_t fw_hx711_read(uint8_t pulses, uint8_t ready, uint32_t bits[BM_NCHAN]);

/** Power both chips down and up again (SCK high for
 *  FW_HX711_POWER_DOWN_US, then low): they restart at gain 128 and settle. */
void fw_hx711_power_cycle(void);

/** Drive the RATE line: high for 80 SPS, low for 10 SPS. */
void fw_hx711_set_rate(uint8_t rate_sps);

#endif /* FW_HX711_H */
