/* sim_board.c - the firmware in simavr with two HX711 models; see sim_board.h. */
#include "sim_board.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <avr_eeprom.h>
#include <avr_ioport.h>
#include <avr_uart.h>
#include <sim_avr.h>
#include <sim_elf.h>

#include "board.h"

#define CPU_HZ 16000000.0
#define EEPROM_SIZE 1024u
/* ATmega328P data-space addresses (I/O address + 0x20). */
#define MCUSR_ADDR 0x54
#define WDTCSR_ADDR 0x60
#define MCUSR_EXTRF 0x02
/* PINB/PINC/PIND data addresses: 0x23, 0x26, 0x29. */
#define PIN_ADDR(port) (0x23 + 3 * ((port) - 'B'))
#define WDTCSR_WDE 0x08

/* Port letters of board.h as characters for simavr's IOCTLs: PORT_CHAR(D)
 * is 'D' (the argument is expanded first, then stringised by STR_). */
#define STR_(x) #x
#define PORT_CHAR(port) (STR_(port)[0])

struct chip_slot {
	struct simboard *sb;
	int ch;
};

struct simboard {
	avr_t *avr;
	struct hx711_model *chip[2];
	struct chip_slot slot[2];
	avr_irq_t *dout_irq[2];
	uint8_t dout_mask[2];
	char dout_port;
	uint8_t ext_value;          /* levels the chips drive on DOUT */

	simboard_uart_fn uart_fn;
	void *uart_ctx;
	avr_irq_t *uart_in;
	int xoff;
	uint8_t *txq;               /* bytes queued for the firmware */
	size_t txq_head, txq_len, txq_cap;
	uint64_t byte_cycles;

	int irq_seen_on, irq_off;
	uint64_t irq_off_start;
	uint32_t irq_off_pc;
	struct simboard_perf perf;
};

static int s_verbose;

static void quiet_logger(avr_t *avr, const int level, const char *fmt, va_list ap)
{
	(void)avr;
	if (s_verbose || level <= LOG_ERROR)
		vfprintf(stderr, fmt, ap);
}

void simboard_cfg_default(struct simboard_cfg *cfg, const char *elf_path)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->elf_path = elf_path;
	cfg->chip[0] = (struct simboard_chip_cfg){.osc_err = 0.008, .start_phase = 0.0,
		.offset_counts = -85000, .scale_counts_per_n = 420.0, .noise_counts = 40};
	cfg->chip[1] = (struct simboard_chip_cfg){.osc_err = -0.007, .start_phase = 0.37,
		.offset_counts = 120000, .scale_counts_per_n = 435.0, .noise_counts = 40};
	cfg->seed = 1;
}

/* ---- HX711 glue ---- */

static avr_cycle_count_t chip_timer(avr_t *avr, avr_cycle_count_t when, void *param);

/* Put the chip's next event on simavr's timer list (or take it off). */
static void chip_reschedule(struct simboard *sb, int ch)
{
	uint64_t next = hx711_model_next_event(sb->chip[ch]);
	avr_t *avr = sb->avr;

	if (next == HX711_NEVER) {
		avr_cycle_timer_cancel(avr, chip_timer, &sb->slot[ch]);
		return;
	}
	avr_cycle_timer_register(avr, next > avr->cycle ? next - avr->cycle : 0,
	                         chip_timer, &sb->slot[ch]);
}

static avr_cycle_count_t chip_timer(avr_t *avr, avr_cycle_count_t when, void *param)
{
	struct chip_slot *s = param;
	uint64_t next;

	(void)avr;
	hx711_model_advance(s->sb->chip[s->ch], when);
	next = hx711_model_next_event(s->sb->chip[s->ch]);
	return next == HX711_NEVER ? 0 : next;
}

static void set_external(struct simboard *sb)
{
	avr_ioport_external_t e;
	memset(&e, 0, sizeof e);
	e.name = (unsigned)sb->dout_port;
	e.mask = (unsigned)(sb->dout_mask[0] | sb->dout_mask[1]);
	e.value = sb->ext_value;
	avr_ioctl(sb->avr, AVR_IOCTL_IOPORT_SET_EXTERNAL(sb->dout_port), &e);
}

/* A chip changed DOUT: drive the pin (and keep simavr's pull-up
 * emulation from overriding it on the next PORT write). */
static void chip_dout(void *ctx, int chip, int level, uint64_t cycle)
{
	struct simboard *sb = ctx;
	(void)cycle;
	if (level)
		sb->ext_value |= sb->dout_mask[chip];
	else
		sb->ext_value &= (uint8_t)~sb->dout_mask[chip];
	set_external(sb);
	avr_raise_irq(sb->dout_irq[chip], level ? 1 : 0);
}

/*
 * When a pin write lands.  simavr calls us while it executes the writing
 * instruction, with the cycle counter still at the instruction's first
 * cycle; on the chip the new level appears when the instruction ends.  The
 * firmware drives SCK and RATE only with sbi/cbi (2 cycles; see
 * fw_hx711.c), so the edge is 2 cycles on.
 */
#define PIN_WRITE_CYCLES 2

static void sck_changed(avr_irq_t *irq, uint32_t value, void *param)
{
	struct simboard *sb = param;
	(void)irq;
	for (int ch = 0; ch < 2; ch++) {
		hx711_model_sck(sb->chip[ch], value & 1, sb->avr->cycle + PIN_WRITE_CYCLES);
		chip_reschedule(sb, ch);
	}
}

static void rate_changed(avr_irq_t *irq, uint32_t value, void *param)
{
	struct simboard *sb = param;
	(void)irq;
	for (int ch = 0; ch < 2; ch++) {
		hx711_model_rate(sb->chip[ch], value & 1, sb->avr->cycle + PIN_WRITE_CYCLES);
		chip_reschedule(sb, ch);
	}
}

/* ---- UART glue ---- */

static void uart_out(avr_irq_t *irq, uint32_t value, void *param)
{
	struct simboard *sb = param;
	(void)irq;
	sb->perf.uart_out_bytes++;
	if (sb->uart_fn)
		sb->uart_fn(sb->uart_ctx, (uint8_t)value, sb->avr->cycle);
}

static void uart_xoff(avr_irq_t *irq, uint32_t value, void *param)
{
	struct simboard *sb = param;
	(void)irq;
	if (value)
		sb->xoff = 1;
}

static void uart_xon(avr_irq_t *irq, uint32_t value, void *param)
{
	struct simboard *sb = param;
	(void)irq;
	if (value)
		sb->xoff = 0;
}

static avr_cycle_count_t uart_feed(avr_t *avr, avr_cycle_count_t when, void *param)
{
	struct simboard *sb = param;
	(void)avr;
	if (sb->txq_len == 0)
		return 0;
	if (!sb->xoff) {
		uint8_t b = sb->txq[sb->txq_head];
		sb->txq_head = (sb->txq_head + 1) % sb->txq_cap;
		sb->txq_len--;
		sb->perf.uart_in_bytes++;
		avr_raise_irq(sb->uart_in, b);
	}
	return sb->txq_len ? when + sb->byte_cycles : 0;
}

static void start_feed(struct simboard *sb)
{
	if (sb->txq_len && avr_cycle_timer_status(sb->avr, uart_feed, sb) == 0)
		avr_cycle_timer_register(sb->avr, sb->byte_cycles, uart_feed, sb);
}

/* ---- set-up ---- */

static void fail(char *err, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;
	if (!err || !n)
		return;
	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
}

static void attach(struct simboard *sb)
{
	avr_t *avr = sb->avr;
	const char sck_port = PORT_CHAR(BM_PIN_HX711_SCK_PORT);
	const char rate_port = PORT_CHAR(BM_PIN_HX711_RATE_PORT);
	uint32_t flags = 0;

	avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(sck_port),
	                                      BM_PIN_HX711_SCK_BIT), sck_changed, sb);
	avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(rate_port),
	                                      BM_PIN_HX711_RATE_BIT), rate_changed, sb);
	sb->dout_port = PORT_CHAR(BM_PIN_HX711_DOUT_L_PORT);
	sb->dout_irq[0] = avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(sb->dout_port),
	                                BM_PIN_HX711_DOUT_L_BIT);
	sb->dout_irq[1] = avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(sb->dout_port),
	                                BM_PIN_HX711_DOUT_R_BIT);
	sb->dout_mask[0] = (uint8_t)(1u << BM_PIN_HX711_DOUT_L_BIT);
	sb->dout_mask[1] = (uint8_t)(1u << BM_PIN_HX711_DOUT_R_BIT);

	/* No echo of the UART on our stdout, no usleep in UCSR0A polls. */
	avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
	sb->uart_in = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
	avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT),
	                        uart_out, sb);
	avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XOFF),
	                        uart_xoff, sb);
	avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON),
	                        uart_xon, sb);
}

/* After a reset (which empties simavr's timer list): drive the pins and
 * put the timers back. */
static void rearm(struct simboard *sb)
{
	set_external(sb);
	for (int ch = 0; ch < 2; ch++) {
		int level = hx711_model_dout(sb->chip[ch]);
		/* avr_reset() zeroed the PIN register, and simavr filters a
		 * raise of an unchanged IRQ value: write the bit itself, or the
		 * firmware would see a chip "ready" that is not. */
		if (level)
			sb->avr->data[PIN_ADDR(sb->dout_port)] |= sb->dout_mask[ch];
		else
			sb->avr->data[PIN_ADDR(sb->dout_port)] &= (uint8_t)~sb->dout_mask[ch];
		avr_raise_irq(sb->dout_irq[ch], (uint32_t)level);
		chip_reschedule(sb, ch);
	}
	sb->xoff = 0;
	start_feed(sb);
}

struct simboard *simboard_new(const struct simboard_cfg *cfg, char *err, size_t err_len)
{
	struct simboard *sb;
	elf_firmware_t fw;
	FILE *f;

	if (!cfg || !cfg->elf_path) {
		fail(err, err_len, "%s", "no firmware ELF given");
		return NULL;
	}
	f = fopen(cfg->elf_path, "rb");
	if (!f) {
		fail(err, err_len, "cannot open firmware ELF %s (build the firmware first: "
		     "meson compile -C BUILD)", cfg->elf_path);
		return NULL;
	}
	fclose(f);
	s_verbose = cfg->verbose;
	avr_global_logger_set(quiet_logger);

	memset(&fw, 0, sizeof fw);
	if (elf_read_firmware(cfg->elf_path, &fw) != 0) {
		fail(err, err_len, "cannot read firmware ELF %s", cfg->elf_path);
		return NULL;
	}
	snprintf(fw.mmcu, sizeof fw.mmcu, "%s", "atmega328p");
	fw.frequency = (uint32_t)CPU_HZ;

	sb = calloc(1, sizeof *sb);
	if (!sb) {
		fail(err, err_len, "%s", "out of memory");
		return NULL;
	}
	sb->avr = avr_make_mcu_by_name("atmega328p");
	if (!sb->avr || avr_init(sb->avr) != 0) {
		fail(err, err_len, "%s", "simavr cannot make an atmega328p");
		free(sb);
		return NULL;
	}
	avr_load_firmware(sb->avr, &fw);
	/* simavr copied what it needs; the symbol table is ours to free. */
	free(fw.flash);
	free(fw.eeprom);
	for (uint32_t i = 0; i < fw.symbolcount; i++)
		free(fw.symbol[i]);
	free(fw.symbol);
	sb->avr->frequency = (uint32_t)CPU_HZ;
	/* 11 bit times per byte is how simavr paces its receiver. */
	sb->byte_cycles = (uint64_t)(CPU_HZ * 11.0 / 250000.0);

	for (int ch = 0; ch < 2; ch++) {
		struct hx711_model_cfg mc = {
			.chip = ch,
			.cpu_hz = CPU_HZ,
			.osc_err = cfg->chip[ch].osc_err,
			.start_phase = cfg->chip[ch].start_phase,
			.offset_counts = cfg->chip[ch].offset_counts,
			.scale_counts_per_n = cfg->chip[ch].scale_counts_per_n,
			.noise_counts = cfg->chip[ch].noise_counts,
			.seed = cfg->seed * 2 + (uint64_t)ch,
			/* An instruction reading PIND sees the pin as latched at
			 * the falling clock edge half a cycle before it. */
			.reader_sync_s = 0.5 / CPU_HZ,
			.force = cfg->force,
			.force_ctx = cfg->force_ctx,
			.dout = chip_dout,
			.dout_ctx = sb,
		};
		sb->slot[ch].sb = sb;
		sb->slot[ch].ch = ch;
		sb->chip[ch] = hx711_model_new(&mc, 0);
		if (!sb->chip[ch]) {
			fail(err, err_len, "%s", "bad HX711 settings");
			simboard_free(sb);
			return NULL;
		}
	}
	attach(sb);
	sb->ext_value = sb->dout_mask[0] | sb->dout_mask[1];   /* both DOUT high */
	if (cfg->eeprom && cfg->eeprom_len)
		simboard_eeprom_write(sb, cfg->eeprom, cfg->eeprom_len);
	rearm(sb);
	return sb;
}

void simboard_free(struct simboard *sb)
{
	if (!sb)
		return;
	if (sb->avr) {
		avr_terminate(sb->avr);
		free(sb->avr);
	}
	for (int ch = 0; ch < 2; ch++)
		hx711_model_free(sb->chip[ch]);
	free(sb->txq);
	free(sb);
}

void simboard_on_uart(struct simboard *sb, simboard_uart_fn fn, void *ctx)
{
	sb->uart_fn = fn;
	sb->uart_ctx = ctx;
}

int simboard_run_until(struct simboard *sb, uint64_t cycle)
{
	avr_t *avr = sb->avr;
	struct timespec a, b;
	uint64_t c0 = avr->cycle;
	int rc = SIMBOARD_OK;

	clock_gettime(CLOCK_MONOTONIC, &a);
	while (avr->cycle < cycle) {
		int st = avr_run(avr);
		if (st == cpu_Done || st == cpu_Crashed) {
			rc = SIMBOARD_ERR_CRASHED;
			break;
		}
		/* Interrupts-off bookkeeping, measured after each instruction
		 * (to within one instruction); boot, before the first sei, is
		 * not counted. */
		if (avr->sreg[S_I]) {
			if (sb->irq_off) {
				uint64_t len = avr->cycle - sb->irq_off_start;
				if (len > sb->perf.irq_off_max_cycles) {
					sb->perf.irq_off_max_cycles = len;
					sb->perf.irq_off_max_at = sb->irq_off_start;
					sb->perf.irq_off_max_pc = sb->irq_off_pc;
				}
				sb->irq_off = 0;
			}
			sb->irq_seen_on = 1;
		} else if (!sb->irq_off && sb->irq_seen_on) {
			sb->irq_off = 1;
			sb->irq_off_start = avr->cycle;
			sb->irq_off_pc = avr->pc;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	sb->perf.wall_s += (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
	sb->perf.sim_s += (double)(avr->cycle - c0) / CPU_HZ;
	return rc;
}

int simboard_run_s(struct simboard *sb, double seconds)
{
	return simboard_run_until(sb, sb->avr->cycle + (uint64_t)(seconds * CPU_HZ + 0.5));
}

uint64_t simboard_cycle(const struct simboard *sb)
{
	return sb->avr->cycle;
}

double simboard_time_s(const struct simboard *sb)
{
	return (double)sb->avr->cycle / CPU_HZ;
}

double simboard_cpu_hz(const struct simboard *sb)
{
	(void)sb;
	return CPU_HZ;
}

int simboard_send(struct simboard *sb, const uint8_t *data, size_t n)
{
	if (sb->txq_len + n > sb->txq_cap) {
		size_t cap = sb->txq_cap ? sb->txq_cap : 256;
		uint8_t *q;
		while (cap < sb->txq_len + n)
			cap *= 2;
		q = malloc(cap);
		if (!q)
			return SIMBOARD_ERR_ARG;
		for (size_t i = 0; i < sb->txq_len; i++)
			q[i] = sb->txq[(sb->txq_head + i) % sb->txq_cap];
		free(sb->txq);
		sb->txq = q;
		sb->txq_cap = cap;
		sb->txq_head = 0;
	}
	for (size_t i = 0; i < n; i++)
		sb->txq[(sb->txq_head + sb->txq_len + i) % sb->txq_cap] = data[i];
	sb->txq_len += n;
	start_feed(sb);
	return SIMBOARD_OK;
}

size_t simboard_send_pending(const struct simboard *sb)
{
	return sb->txq_len;
}

void simboard_reset(struct simboard *sb)
{
	avr_reset(sb->avr);
	sb->avr->data[MCUSR_ADDR] = MCUSR_EXTRF;
	sb->irq_off = 0;
	sb->irq_seen_on = 0;
	rearm(sb);
}

size_t simboard_eeprom_read(struct simboard *sb, uint8_t *buf, size_t n)
{
	avr_eeprom_desc_t d;
	if (n > EEPROM_SIZE)
		n = EEPROM_SIZE;
	memset(&d, 0, sizeof d);
	d.ee = buf;
	d.offset = 0;
	d.size = (uint32_t)n;
	avr_ioctl(sb->avr, AVR_IOCTL_EEPROM_GET, &d);
	return n;
}

int simboard_eeprom_write(struct simboard *sb, const uint8_t *buf, size_t n)
{
	avr_eeprom_desc_t d;
	uint8_t copy[EEPROM_SIZE];
	if (n == 0 || n > EEPROM_SIZE)
		return SIMBOARD_ERR_ARG;
	memcpy(copy, buf, n);
	memset(&d, 0, sizeof d);
	d.ee = copy;
	d.offset = 0;
	d.size = (uint32_t)n;
	avr_ioctl(sb->avr, AVR_IOCTL_EEPROM_SET, &d);
	return SIMBOARD_OK;
}

struct hx711_model *simboard_chip(struct simboard *sb, int ch)
{
	return sb->chip[ch & 1];
}

void simboard_flush(struct simboard *sb)
{
	for (int ch = 0; ch < 2; ch++) {
		hx711_model_flush(sb->chip[ch], sb->avr->cycle);
		chip_reschedule(sb, ch);
	}
}

int simboard_watchdog_on(const struct simboard *sb)
{
	return (sb->avr->data[WDTCSR_ADDR] & WDTCSR_WDE) != 0;
}

void simboard_get_perf(const struct simboard *sb, struct simboard_perf *out)
{
	*out = sb->perf;
}
