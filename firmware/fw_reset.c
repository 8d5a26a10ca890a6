/* fw_reset.c - reset cause capture and watchdog; see fw_reset.h. */
#include "fw_reset.h"

#include <avr/io.h>
#include <avr/wdt.h>

#include "bm_protocol.h"

/* MCUSR bits 0..3 are PORF, EXTRF, BORF, WDRF: the order of bm_reset_cause. */
#define CAUSE_BITS (BM_RESET_POWER_ON | BM_RESET_EXTERNAL | \
                    BM_RESET_BROWN_OUT | BM_RESET_WATCHDOG)
_Static_assert((1u << PORF) == BM_RESET_POWER_ON && (1u << EXTRF) == BM_RESET_EXTERNAL &&
               (1u << BORF) == BM_RESET_BROWN_OUT && (1u << WDRF) == BM_RESET_WATCHDOG,
               "MCUSR bits and bm_reset_cause must line up");

/* .noinit: the C runtime's zeroing of .bss runs after .init3 and must not
 * erase it. */
static uint8_t s_cause __attribute__((section(".noinit")));

void fw_reset_capture(void) __attribute__((naked, used, section(".init3")));

void fw_reset_capture(void)
{
	uint8_t mcusr = MCUSR;
	uint8_t r2;

	__asm__ __volatile__("mov %0, r2" : "=r"(r2));
	MCUSR = 0;
	wdt_disable();
	if (mcusr == 0 && r2 != 0 && (r2 & (uint8_t)~CAUSE_BITS) == 0)
		mcusr = r2;
	s_cause = mcusr & CAUSE_BITS;
}

uint8_t fw_reset_cause(void)
{
	return s_cause;
}

void fw_watchdog_start(void)
{
	wdt_enable(WDTO_250MS);
}

void fw_watchdog_kick(void)
{
	wdt_reset();
}
