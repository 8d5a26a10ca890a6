/*
 * serial_testlib.h - what the serial tests share: pseudo-terminal pairs,
 * real protocol frames (built with bm_frame_build and bm_sample_pack, as the
 * firmware sends them), and a fake board on the master side of a pty that
 * streams samples and answers GET_INFO.
 *
 * Helpers report trouble by return value, not by Check assertions: some run
 * on threads of their own, where an assertion cannot stop the test cleanly.
 */
#ifndef SERIAL_TESTLIB_H
#define SERIAL_TESTLIB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_protocol.h"

/** A pty pair: the board writes on @c master, bm_serial opens @c path. */
struct tl_pty {
	int master;
	int slave;        /* kept open by the test so the pty lives on */
	char path[64];
};

/** Open a pty pair, both sides left as the kernel made them (not raw: the
 *  backend under test must make the slave raw).  0 ok, -1 with errno. */
int tl_pty_open(struct tl_pty *p);

/** Close both sides (the "unplug"); safe to call twice. */
void tl_pty_close(struct tl_pty *p);

/** The raw counts the test board sends for a sequence number: values whose
 *  bytes include 0x03, 0x0D, 0x11, 0x13, 0x7F, 0xFF, which a tty not in raw
 *  mode would turn into signals, newlines or flow control. */
void tl_sample_for(uint16_t seq, struct bm_sample_msg *m);

/**
 * Append SAMPLE frames seq0, seq0+1, ... (count of them) to @p out,
 * optionally after one 0x00 (a board starting to send).
 * @return bytes written, or 0 when @p cap is too small.
 */
size_t tl_build_samples(uint8_t *out, size_t cap, uint16_t seq0, unsigned count, int lead_delim);

/** Write all of @p len bytes to @p fd in uneven chunks (1..97 bytes, as USB
 *  delivers them), with short pauses.  0 ok, -1 with errno. */
int tl_write_chunked(int fd, const uint8_t *data, size_t len);

/** Milliseconds on the monotonic clock. */
uint64_t tl_now_ms(void);

/** A fake board on a pty master, on its own thread. */
struct tl_board {
	int master;                   /* set before tl_board_start */
	uint8_t proto_version;        /* what INFO says */
	unsigned ignore_get_info;     /* GET_INFOs to drop first (a bootloader) */
	int answer;                   /* 0: never answer GET_INFO */
	int stream;                   /* 1: send a SAMPLE every 5 ms */
	uint32_t board_id;
	atomic_int stop;
	atomic_uint get_info_seen;    /* GET_INFO frames received */
	atomic_uint infos_sent;
	pthread_t th;
};

/** Start the board thread.  0 ok, -1 on failure. */
int tl_board_start(struct tl_board *b);

/** Stop and join it. */
void tl_board_stop(struct tl_board *b);

#endif
