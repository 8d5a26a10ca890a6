/* fw_clock.c - Timer1 as a microsecond clock; see fw_clock.h. */
#include "fw_clock.h"

#include <avr/interrupt.h>
#include <avr/io.h>

/* Timer1 wraps counted by the overflow interrupt.  32 bits, because one
 * wrap is 2^15 us and the clock must wrap at 2^32 us, not 2^31. */
static volatile uint32_t s_wraps;

/* clk/8: 2 ticks per microsecond at 16 MHz. */
#if F_CPU != 16000000UL
#error "fw_clock assumes a 16 MHz clock (0.5 us Timer1 ticks)"
#endif

static inline void timer1_normal_mode_clk_div8(void)
{
	TCCR1A = 0;
	TCCR1B = _BV(CS11);
}

static inline void timer1_overflow_interrupt_on(void)
{
	TIFR1 = _BV(TOV1);   /* writing 1 clears a stale flag */
	TIMSK1 = _BV(TOIE1);
}

static inline uint8_t timer1_overflow_pending(void)
{
	return (TIFR1 & _BV(TOV1)) != 0;
}

ISR(TIMER1_OVF_vect)
{
	s_wraps++;
}

void fw_clock_init(void)
{
	s_wraps = 0;
	TCNT1 = 0;
	timer1_overflow_interrupt_on();
	timer1_normal_mode_clk_div8();
}

uint32_t fw_clock_us(void)
{
	uint8_t sreg = SREG;
	uint32_t wraps;
	uint16_t ticks;

	cli();
	wraps = s_wraps;
	ticks = TCNT1;
	/* The counter wrapped but the interrupt has not run yet (we hold it
	 * off): a small count belongs to the next wrap. */
	if (timer1_overflow_pending() && ticks < 0x8000u)
		wraps++;
	SREG = sreg;
	return (wraps << 15) | (uint32_t)(ticks >> 1);
}
