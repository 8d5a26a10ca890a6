/* fw_hx711.c - HX711 pin driver; the idea is in fw_hx711.h. */
#include "fw_hx711.h"

#include <avr/io.h>
#include <util/delay.h>

#include "board.h"
#include "fw_hx.h"

#define DOUT_L_MASK BM_MASK(BM_PIN_HX711_DOUT_L)
#define DOUT_R_MASK BM_MASK(BM_PIN_HX711_DOUT_R)

/* Both data lines must be on one port: one PIN read samples both. */
#define FW_PORT_ID_B 1
#define FW_PORT_ID_C 2
#define FW_PORT_ID_D 3
#if BM_CAT(FW_PORT_ID_, BM_PIN_HX711_DOUT_L_PORT) != BM_CAT(FW_PORT_ID_, BM_PIN_HX711_DOUT_R_PORT)
#error "both HX711 DOUT lines must be on one port (board.h)"
#endif

static inline __attribute__((always_inline)) void sck_high(void)
{
	BM_PORT(BM_PIN_HX711_SCK) |= BM_MASK(BM_PIN_HX711_SCK);
}

static inline __attribute__((always_inline)) void sck_low(void)
{
	BM_PORT(BM_PIN_HX711_SCK) &= (uint8_t)~BM_MASK(BM_PIN_HX711_SCK);
}

static inline __attribute__((always_inline)) uint8_t dout_pins(void)
{
	return BM_PINR(BM_PIN_HX711_DOUT_L);
}

/*
 * One clock pulse; returns the port with both DOUT bits.  Interrupts are
 * off from the rising edge to the falling edge only.  Timing at 16 MHz
 * (62.5 ns a cycle): SCK rises as the sbi ends; 3 cycles later the in
 * instruction reads PIND, which the AVR latched half a cycle before
 * (datasheet 14.2.4), so the bit is sampled 2.5 cycles (156 ns) after the
 * edge - after the HX711's 100 ns output delay (T2 max), with one cycle
 * less it would not be.  SCK falls 6 cycles (375 ns) after it rose: above
 * the 200 ns minimum high time (T3) and far below the 50 us maximum.
 */
static inline __attribute__((always_inline)) uint8_t clock_pulse_irq_off(void)
{
	uint8_t pins;

	sck_high();
	__builtin_avr_delay_cycles(3);
	pins = dout_pins();
	sck_low();
	return pins;
}

static inline __attribute__((always_inline)) uint8_t clock_pulse(void)
{
	uint8_t sreg = SREG;
	uint8_t pins;

	__asm__ __volatile__("cli" ::: "memory");
	pins = clock_pulse_irq_off();
	SREG = sreg;
	return pins;
}

static inline uint8_t ready_bits(uint8_t pins)
{
	uint8_t ready = 0;

	if (!(pins & DOUT_L_MASK))
		ready |= FW_HX_BIT(BM_LEFT);
	if (!(pins & DOUT_R_MASK))
		ready |= FW_HX_BIT(BM_RIGHT);
	return ready;
}

void fw_hx711_init(uint8_t rate_sps)
{
	sck_low();
	BM_DDR(BM_PIN_HX711_SCK) |= BM_MASK(BM_PIN_HX711_SCK);
	BM_DDR(BM_PIN_HX711_DOUT_L) &= (uint8_t)~DOUT_L_MASK;
	BM_DDR(BM_PIN_HX711_DOUT_R) &= (uint8_t)~DOUT_R_MASK;
	BM_PORT(BM_PIN_HX711_DOUT_L) |= DOUT_L_MASK;    /* pull-ups */
	BM_PORT(BM_PIN_HX711_DOUT_R) |= DOUT_R_MASK;
	fw_hx711_set_rate(rate_sps);
	BM_DDR(BM_PIN_HX711_RATE) |= BM_MASK(BM_PIN_HX711_RATE);
}

uint8_t fw_hx711_ready(void)
{
	return ready_bits(dout_pins());
}

uint8_t fw_hx711_read(uint8_t pulses, uint8_t ready, uint32_t bits[BM_NCHAN])
{
	uint32_t l = 0, r = 0;
	uint8_t i;
	uint8_t sreg = SREG;
	uint8_t pins;

	/* Both lines once more, with interrupts off from here to the first
	 * rising edge (11 cycles, 0.7 us, after the in instruction with
	 * avr-gcc -Os; T1 asks for 0.1 us after DOUT falls):
	 * a chip that changed since the poll is not clocked into a read it
	 * did not ask for. */
	__asm__ __volatile__("cli" ::: "memory");
	if (ready_bits(dout_pins()) != ready) {
		SREG = sreg;
		return 0;
	}
	pins = clock_pulse_irq_off();
	SREG = sreg;
	for (i = 0; i < 24; i++) {
		if (i > 0)
			pins = clock_pulse();
		/* The shifting happens with SCK low: it is the low time. */
		l <<= 1;
		r <<= 1;
		if (pins & DOUT_L_MASK)
			l |= 1;
		if (pins & DOUT_R_MASK)
			r |= 1;
	}
	for (; i < pulses && i < 27; i++)
		(void)clock_pulse();
	bits[BM_LEFT] = l;
	bits[BM_RIGHT] = r;
	return 1;
}

void fw_hx711_power_cycle(void)
{
	/* Interrupts may run here: a longer high time changes nothing. */
	sck_high();
	_delay_us(FW_HX711_POWER_DOWN_US);
	sck_low();
}

void fw_hx711_set_rate(uint8_t rate_sps)
{
	if (rate_sps == 10)
		BM_PORT(BM_PIN_HX711_RATE) &= (uint8_t)~BM_MASK(BM_PIN_HX711_RATE);
	else
		BM_PORT(BM_PIN_HX711_RATE) |= BM_MASK(BM_PIN_HX711_RATE);
}
