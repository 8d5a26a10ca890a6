/*
 * fw_clock.h - the board's microsecond clock, for sample timestamps.
 *
 * Timer1 counts the 16 MHz clock divided by 8 (0.5 us per tick) and an
 * overflow interrupt (every 32.768 ms) counts the wraps, so the time is
 * exact to the crystal with no drift from rounding.  The value is a u32 in
 * microseconds since the timer started, wrapping every 71.6 minutes, as the
 * SAMPLE frame carries it.
 */
#ifndef FW_CLOCK_H
#define FW_CLOCK_H

#include <stdint.h>

/** Start Timer1 and its overflow interrupt (interrupts enabled by the
 *  caller). */
void fw_clock_init(void);

/** Microseconds since fw_clock_init(), wrapping.  Safe with interrupts on
 *  or off; disables them for about 1 us. */
uint32_t fw_clock_us(void);

#endif /* FW_CLOCK_H */
