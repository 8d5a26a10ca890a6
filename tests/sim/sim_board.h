/*
 * sim_board.h - "a board" in software: the real firmware ELF running in
 * simavr as an ATmega328P at 16 MHz, with two HX711 models (hx711_model.h)
 * on its pins exactly as board.h wires them: one shared SCK, one DOUT each,
 * a shared RATE line.
 *
 * The glue:
 *  - SCK and RATE: notified on the port's pin IRQs, stamped with the CPU
 *    cycle and handed to both models; each model's next internal event
 *    (data ready, DOUT bit after T2, power-down) is a simavr cycle timer;
 *  - DOUT: the models drive the pins through simavr's "external" pin
 *    values, which is how a push-pull output beats the AVR's pull-up that
 *    the firmware enables on those pins;
 *  - UART: every byte the firmware writes goes to a callback with its
 *    cycle; bytes to the firmware are queued and fed one per character time
 *    (simavr's 44 us at 250000 baud), stopping while simavr's receive FIFO
 *    says XOFF, as a real line would deliver them.  simavr's own echo of the
 *    UART (AVR_UART_FLAG_STDIO) is switched off.
 *  - EEPROM: kept across simboard_reset() (an external reset, like the
 *    Arduino's DTR auto-reset), and can be read and preloaded, so a test can
 *    power-cycle "the same board" by handing the image to a new one.
 * It also measures what the report needs: the longest stretch with the
 * CPU's interrupt flag clear, and simulated against wall time.
 *
 * simavr is GPL-3; so is this harness.
 */
#ifndef SIM_BOARD_H
#define SIM_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "hx711_model.h"

/** Return codes: 0 ok, negatives are errors. */
enum simboard_result {
	SIMBOARD_OK = 0,
	SIMBOARD_ERR_LOAD = -1,     /**< ELF missing or unreadable */
	SIMBOARD_ERR_SIM = -2,      /**< simavr could not make or run the MCU */
	SIMBOARD_ERR_CRASHED = -3,  /**< the AVR crashed or stopped */
	SIMBOARD_ERR_ARG = -4,
};

/** Per-chip settings (see struct hx711_model_cfg). */
struct simboard_chip_cfg {
	double osc_err;            /**< fraction: +0.015 = 1.5 % fast */
	double start_phase;        /**< 0..1 of a period */
	double offset_counts;      /**< counts at zero force, gain 128 */
	double scale_counts_per_n; /**< counts per newton, gain 128 */
	double noise_counts;       /**< noise SD, counts */
};

/** Board settings.  Start from simboard_cfg_default(). */
struct simboard_cfg {
	const char *elf_path;          /**< the firmware; must not be NULL */
	struct simboard_chip_cfg chip[2]; /**< [0] left heel, [1] right heel */
	uint64_t seed;                 /**< noise seeds derive from it */
	hx711_force_fn force;          /**< force profile; NULL: no load */
	void *force_ctx;
	const uint8_t *eeprom;         /**< initial EEPROM; NULL: blank (0xFF) */
	size_t eeprom_len;             /**< bytes at @c eeprom, at most 1024 */
	int verbose;                   /**< 1: simavr's own log to stderr */
};

/** Defaults: chips at +0.8 % and -0.7 % (they drift 1.5 % apart), offsets
 *  -85000 and 120000 counts, about 420 counts per newton (a 50 kg cell at
 *  gain 128 on 5 V), noise 40 counts, seed 1, no force, blank EEPROM. */
void simboard_cfg_default(struct simboard_cfg *cfg, const char *elf_path);

/** Bytes from the firmware's UART, with the cycle they were sent at. */
typedef void (*simboard_uart_fn)(void *ctx, uint8_t byte, uint64_t cycle);

struct simboard;

/**
 * Load the ELF and start the board at cycle 0 (power-on reset).
 * @param err  filled with a one-line reason on failure (may be NULL).
 * @return the board, or NULL (see @p err).
 */
struct simboard *simboard_new(const struct simboard_cfg *cfg, char *err, size_t err_len);

/** Free (NULL is fine). */
void simboard_free(struct simboard *sb);

/** Where UART bytes from the firmware go (NULL: dropped). */
void simboard_on_uart(struct simboard *sb, simboard_uart_fn fn, void *ctx);

/** Run until the CPU cycle counter reaches @p cycle.  SIMBOARD_OK or
 *  SIMBOARD_ERR_CRASHED. */
int simboard_run_until(struct simboard *sb, uint64_t cycle);

/** Run for @p seconds of simulated time. */
int simboard_run_s(struct simboard *sb, double seconds);

/** Current CPU cycle and simulated time (cycles / 16 MHz). */
uint64_t simboard_cycle(const struct simboard *sb);
double simboard_time_s(const struct simboard *sb);

/** CPU clock in Hz (16 MHz). */
double simboard_cpu_hz(const struct simboard *sb);

/** Queue @p n bytes for the firmware's UART.  SIMBOARD_OK or
 *  SIMBOARD_ERR_ARG (out of memory). */
int simboard_send(struct simboard *sb, const uint8_t *data, size_t n);

/** Bytes queued for the firmware and not yet delivered. */
size_t simboard_send_pending(const struct simboard *sb);

/** External reset (the reset pin / DTR): the CPU restarts with EXTRF set in
 *  MCUSR; EEPROM and the HX711 chips are untouched. */
void simboard_reset(struct simboard *sb);

/** Copy the EEPROM (up to 1024 bytes) into @p buf.  Bytes copied. */
size_t simboard_eeprom_read(struct simboard *sb, uint8_t *buf, size_t n);

/** Overwrite the first @p n EEPROM bytes.  SIMBOARD_OK or SIMBOARD_ERR_ARG. */
int simboard_eeprom_write(struct simboard *sb, const uint8_t *buf, size_t n);

/** The HX711 of channel @p ch (0 left, 1 right). */
struct hx711_model *simboard_chip(struct simboard *sb, int ch);

/** Finish reads still being clocked, so that the models' records are
 *  complete up to now. */
void simboard_flush(struct simboard *sb);

/** 1 when the firmware has the watchdog enabled (WDTCSR.WDE). */
int simboard_watchdog_on(const struct simboard *sb);

/** Measurements. */
struct simboard_perf {
	double sim_s;                /**< simulated seconds run */
	double wall_s;               /**< wall seconds spent inside run calls */
	uint64_t irq_off_max_cycles; /**< longest interrupts-off stretch after the
	                                  firmware first enabled them (ISRs included) */
	uint64_t irq_off_max_at;     /**< cycle where that stretch began */
	uint32_t irq_off_max_pc;     /**< byte address of the instruction after
	                                  which the interrupt flag was seen clear
	                                  (look it up with avr-objdump -d) */
	uint64_t uart_out_bytes, uart_in_bytes;
};
void simboard_get_perf(const struct simboard *sb, struct simboard_perf *out);

#endif /* SIM_BOARD_H */
