/*
 * fw_reset.h - why the board started, and the watchdog that restarts it if
 * the main loop ever hangs.
 *
 * The reset cause is the MCU status register (MCUSR) as found at boot.  It
 * is captured and cleared in .init3, before main() and before the C
 * runtime could hang: after a watchdog reset the watchdog stays enabled
 * with its shortest timeout (16 ms) until WDRF is cleared, so this must
 * happen first.  Optiboot (the Uno's and new Nano's bootloader) clears
 * MCUSR itself and hands the value over in register r2; the capture uses
 * r2 when MCUSR reads zero and r2 holds only reset-cause bits.
 */
#ifndef FW_RESET_H
#define FW_RESET_H

#include <stdint.h>

/** bm_reset_cause bits of this boot (0: unknown, e.g. a jump to 0). */
uint8_t fw_reset_cause(void);

/** Enable the watchdog: 250 ms, where the main loop's longest pass is
 *  well under 1 ms. */
void fw_watchdog_start(void);

/** Tell the watchdog the main loop is alive. */
void fw_watchdog_kick(void);

#endif /* FW_RESET_H */
