/*
 * main.c - bridgemon firmware for an ATmega328P (Arduino Nano/Uno) with two
 * HX711 load-cell ADCs, one under each heel.
 *
 * One main loop, no sleeping, no blocking: each pass feeds the command
 * receiver the bytes that arrived, moves an EEPROM write on by at most one
 * byte, asks the HX711 scheduler (fw_hx) whether to read or reset the
 * chips, and sends INFO when it is due.  Everything the board sends is a
 * whole frame queued into the UART's TX ring; only the interrupts move
 * bytes.  A pass takes well under a millisecond, so the HX711s (a
 * conversion every 12.5 ms) are always served in time, whatever the host
 * sends, and the watchdog (250 ms) only fires if something is truly wrong.
 *
 * Frames: one SAMPLE per conversion pair (seq +1 each, even when the TX
 * ring was full and it had to be dropped, so the host sees the gap); INFO
 * before the first SAMPLE after boot (carrying the reset cause), on
 * GET_INFO and every 5 s; command replies per bm_protocol.h.  Replies and
 * INFO leave room in the TX ring for a SAMPLE, so a host flooding commands
 * loses replies, never samples.
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <stdint.h>

#include "bm_protocol.h"
#include "fw_clock.h"
#include "fw_cmd.h"
#include "fw_eeprom.h"
#include "fw_frames.h"
#include "fw_hx.h"
#include "fw_hx711.h"
#include "fw_led.h"
#include "fw_reset.h"
#include "fw_ring.h"
#include "fw_store.h"
#include "fw_uart.h"

#ifndef BM_FW_VERSION_MAJOR
#define BM_FW_VERSION_MAJOR 0
#define BM_FW_VERSION_MINOR 0
#define BM_FW_VERSION_PATCH 0
#endif

#define INFO_INTERVAL_US 5000000UL
/* Boot INFO goes before the first SAMPLE; without any chip, after this. */
#define BOOT_INFO_LATEST_US 1000000UL
/* Bytes read from the RX ring per pass, so a flood cannot delay a read. */
#define RX_BYTES_PER_PASS 16u
/* Heartbeat: toggle the LED every this many samples (1 Hz at 80 SPS). */
#define HEARTBEAT_SAMPLES 40u

/* Board id life cycle. */
enum id_state { ID_OK = 0, ID_NEEDED = 1, ID_UNSAVED = 2 };
/* What the EEPROM writer is busy with. */
enum ee_job { EE_NONE = 0, EE_ID = 1, EE_CAL = 2 };

/* The whole firmware state, passed explicitly to each part. */
struct app {
	struct fw_hx hx;
	struct fw_cmd_rx rx;
	uint16_t seq;
	uint16_t cmd_errors;
	uint16_t tx_overflows;
	uint32_t board_id;
	uint32_t entropy;
	uint8_t id_state;
	uint8_t cal_valid;
	uint8_t ee_job;
	uint8_t cal_tag;        /* tag of the STORE_CAL being written */
	uint8_t boot_info_sent;
	uint8_t heartbeat;
	uint32_t boot_us;
	uint32_t last_info_us;
};

static struct app s_app;

static void count_up(uint16_t *n)
{
	if (*n != 0xFFFFu)
		(*n)++;
}

static void send(struct app *a, const uint8_t *frame, uint8_t n, uint8_t keep_free)
{
	if (n == 0 || fw_uart_send(frame, n, keep_free) != FW_RING_OK)
		count_up(&a->tx_overflows);
}

/* Replies and INFO keep room for one SAMPLE. */
static void send_reply(struct app *a, const uint8_t *frame, uint8_t n)
{
	send(a, frame, n, FW_SAMPLE_FRAME_LEN);
}

static void stir(struct app *a, const void *data, uint8_t n)
{
	fw_store_entropy_mix(&a->entropy, (const uint8_t *)data, n);
}

/* A blank or corrupt id block gets a new id, derived once from what has
 * been stirred into the pool by now, and saved by poll_eeprom(). */
static void ensure_board_id(struct app *a)
{
	uint32_t now;

	if (a->id_state != ID_NEEDED)
		return;
	now = fw_clock_us();
	stir(a, &now, sizeof now);
	a->board_id = fw_store_id_derive(a->entropy);
	a->id_state = ID_UNSAVED;
}

static void send_info(struct app *a)
{
	uint8_t frame[FW_FRAME_BUF];
	struct bm_info_msg m;

	ensure_board_id(a);
	m.proto_version = BM_PROTO_VERSION;
	m.fw_major = BM_FW_VERSION_MAJOR;
	m.fw_minor = BM_FW_VERSION_MINOR;
	m.fw_patch = BM_FW_VERSION_PATCH;
	m.rate_sps = fw_hx_rate_sps(&a->hx);
	m.gain = fw_hx_gain(&a->hx);
	m.board_id = a->board_id;
	m.reset_cause = fw_reset_cause();
	m.cal_state = a->cal_valid ? BM_CAL_VALID : BM_CAL_NONE;
	m.cmd_errors = a->cmd_errors;
	m.tx_overflows = a->tx_overflows;
	send_reply(a, frame, fw_frame_info(frame, &m));
	a->boot_info_sent = 1;
	a->last_info_us = fw_clock_us();
}

static void reply_ack(struct app *a, uint8_t tag, uint8_t type)
{
	uint8_t frame[FW_FRAME_BUF];
	send_reply(a, frame, fw_frame_ack(frame, tag, type));
}

static void reply_error(struct app *a, uint8_t tag, uint8_t type, uint8_t code)
{
	uint8_t frame[FW_FRAME_BUF];
	count_up(&a->cmd_errors);
	send_reply(a, frame, fw_frame_error(frame, tag, type, code));
}

/* Read the calibration block; 1 with @p cal set when it is good. */
static uint8_t load_cal(struct bm_cal_record *cal)
{
	uint8_t blk[FW_STORE_CAL_LEN];
	if (fw_eeprom_read(FW_STORE_CAL_ADDR, blk, sizeof blk) != FW_EE_IDLE)
		return 0;
	return fw_store_cal_check(blk, cal) == FW_STORE_OK;
}

static void load_store(struct app *a)
{
	uint8_t blk[FW_STORE_ID_LEN];
	struct bm_cal_record cal;

	fw_eeprom_read(FW_STORE_ID_ADDR, blk, sizeof blk);
	a->id_state = fw_store_id_check(blk, &a->board_id) == FW_STORE_OK ? ID_OK : ID_NEEDED;
	a->cal_valid = load_cal(&cal);
}

static void store_cal(struct app *a, const struct fw_cmd *cmd)
{
	uint8_t blk[FW_STORE_CAL_LEN];

	if (a->ee_job != EE_NONE) {
		reply_error(a, cmd->tag, cmd->type, BM_CMDERR_EEPROM);
		return;
	}
	fw_store_cal_make(&cmd->cal, blk);
	if (fw_eeprom_start(FW_STORE_CAL_ADDR, blk, sizeof blk) != FW_EE_BUSY) {
		reply_error(a, cmd->tag, cmd->type, BM_CMDERR_EEPROM);
		return;
	}
	/* The block is half old, half new until the job ends. */
	a->cal_valid = 0;
	a->ee_job = EE_CAL;
	a->cal_tag = cmd->tag;
}

static void read_cal(struct app *a, uint8_t tag)
{
	uint8_t frame[FW_FRAME_BUF];
	struct bm_cal_record cal;
	uint8_t valid;

	if (a->ee_job != EE_NONE) {
		reply_error(a, tag, BM_CMD_READ_CAL, BM_CMDERR_EEPROM);
		return;
	}
	valid = load_cal(&cal);
	send_reply(a, frame, fw_frame_cal(frame, tag, valid, &cal));
}

static void handle_command(struct app *a, const struct fw_cmd *cmd)
{
	switch (cmd->type) {
	case BM_CMD_PING:
		reply_ack(a, cmd->tag, cmd->type);
		break;
	case BM_CMD_GET_INFO:
		send_info(a);
		reply_ack(a, cmd->tag, cmd->type);
		break;
	case BM_CMD_SET_RATE:
		fw_hx711_set_rate(cmd->rate_sps);
		fw_hx_set_rate(&a->hx, fw_clock_us(), cmd->rate_sps);
		reply_ack(a, cmd->tag, cmd->type);
		break;
	case BM_CMD_SET_GAIN:
		fw_hx_set_gain(&a->hx, cmd->gain);
		reply_ack(a, cmd->tag, cmd->type);
		break;
	case BM_CMD_STORE_CAL:
		store_cal(a, cmd);   /* replies when the write is done */
		break;
	case BM_CMD_READ_CAL:
		read_cal(a, cmd->tag);
		break;
	default:
		/* fw_cmd_parse refuses unknown types; nothing reaches here. */
		break;
	}
}

static void poll_commands(struct app *a)
{
	struct fw_cmd cmd;
	uint8_t b;

	for (uint8_t i = 0; i < RX_BYTES_PER_PASS; i++) {
		if (fw_uart_getc(&b) != FW_RING_OK)
			return;
		switch (fw_cmd_feed(&a->rx, b, &cmd)) {
		case FW_CMD_MORE:
			break;
		case FW_CMD_OK:
			handle_command(a, &cmd);
			break;
		case FW_CMD_REFUSED:
			reply_error(a, cmd.tag, cmd.type, cmd.error);
			break;
		default:
			/* Untrustworthy frame: no reply, just count it. */
			count_up(&a->cmd_errors);
			break;
		}
	}
}

static void poll_eeprom(struct app *a)
{
	int r = fw_eeprom_poll();

	if (r == FW_EE_IDLE && a->id_state == ID_UNSAVED) {
		uint8_t blk[FW_STORE_ID_LEN];
		fw_store_id_make(a->board_id, blk);
		if (fw_eeprom_start(FW_STORE_ID_ADDR, blk, sizeof blk) == FW_EE_BUSY)
			a->ee_job = EE_ID;
		return;
	}
	if (r != FW_EE_DONE && r != FW_EE_ERR_VERIFY)
		return;
	if (a->ee_job == EE_ID) {
		/* On a failed write the id lives on in RAM until the next boot
		 * derives another: retrying a failing cell would only wear it. */
		a->id_state = ID_OK;
	} else if (a->ee_job == EE_CAL) {
		struct bm_cal_record cal;
		a->cal_valid = load_cal(&cal);
		if (r == FW_EE_DONE && a->cal_valid)
			reply_ack(a, a->cal_tag, BM_CMD_STORE_CAL);
		else
			reply_error(a, a->cal_tag, BM_CMD_STORE_CAL, BM_CMDERR_EEPROM);
	}
	a->ee_job = EE_NONE;
}

static void send_sample(struct app *a, struct bm_sample_msg *m)
{
	uint8_t frame[FW_FRAME_BUF];

	if (a->id_state == ID_NEEDED)
		stir(a, m, sizeof *m);
	if (!a->boot_info_sent)
		send_info(a);
	m->seq = a->seq++;
	send(a, frame, fw_frame_sample(frame, m), 0);

	if (fw_hx_flagged(&a->hx)) {
		fw_led_set(1);
	} else if (++a->heartbeat >= HEARTBEAT_SAMPLES) {
		a->heartbeat = 0;
		fw_led_toggle();
	}
}

static void poll_hx711(struct app *a)
{
	uint32_t now = fw_clock_us();
	uint8_t ready = fw_hx711_ready();
	uint8_t mask;
	uint32_t bits[BM_NCHAN];
	struct bm_sample_msg m;

	switch (fw_hx_poll(&a->hx, now, ready, &mask)) {
	case FW_HX_READ:
		/* The poll saw exactly the chips of mask ready. */
		if (!fw_hx711_read(fw_hx_pulses(&a->hx), ready, bits))
			break;
		if (fw_hx_read_done(&a->hx, now, mask, bits, &m))
			send_sample(a, &m);
		break;
	case FW_HX_RESET:
		fw_hx711_power_cycle();
		fw_hx_reset_done(&a->hx, fw_clock_us());
		break;
	default:
		break;
	}
}

static void poll_info(struct app *a)
{
	uint32_t now = fw_clock_us();

	if (a->boot_info_sent) {
		if (now - a->last_info_us >= INFO_INTERVAL_US)
			send_info(a);
	} else if (now - a->boot_us >= BOOT_INFO_LATEST_US) {
		send_info(a);
	}
}

int main(void)
{
	struct app *a = &s_app;

	fw_led_init();
	fw_hx711_init(80);
	fw_clock_init();
	fw_uart_init();
	fw_cmd_rx_init(&a->rx);
	sei();
	/* A lone delimiter first: a host decoder drops what precedes the
	 * first 0x00 it sees (a frame cut by the moment it started
	 * listening), so without it the boot INFO would be lost. */
	{
		uint8_t delim = BM_FRAME_DELIM;
		fw_uart_send(&delim, 1, 0);
	}
	fw_watchdog_start();
	load_store(a);
	a->entropy = 2166136261UL;  /* FNV offset basis */

	/* The chips may have kept running through our reset, at whatever gain
	 * they were last told: a power cycle puts them at a known gain (128)
	 * and phase. */
	fw_hx711_power_cycle();
	a->boot_us = fw_clock_us();
	fw_hx_init(&a->hx, a->boot_us, 80, 128);

	for (;;) {
		fw_watchdog_kick();
		poll_commands(a);
		poll_eeprom(a);
		poll_hx711(a);
		poll_info(a);
	}
}
