/*
 * fw_led.h - the status LED (the board's "L" LED on D13): a heartbeat while
 * both chips stream, steadily on while one is flagged not ready.
 */
#ifndef FW_LED_H
#define FW_LED_H

#include <avr/io.h>

#include "board.h"

static inline void fw_led_init(void)
{
	BM_DDR(BM_PIN_LED_STATUS) |= BM_MASK(BM_PIN_LED_STATUS);
}

static inline void fw_led_set(uint8_t on)
{
	if (on)
		BM_PORT(BM_PIN_LED_STATUS) |= BM_MASK(BM_PIN_LED_STATUS);
	else
		BM_PORT(BM_PIN_LED_STATUS) &= (uint8_t)~BM_MASK(BM_PIN_LED_STATUS);
}

static inline void fw_led_toggle(void)
{
	/* Writing 1 to a PIN bit toggles the output (ATmega328P, 14.2.2). */
	BM_PINR(BM_PIN_LED_STATUS) = BM_MASK(BM_PIN_LED_STATUS);
}

#endif /* FW_LED_H */
