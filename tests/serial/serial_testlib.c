/* serial_testlib.c - pty pairs, protocol frames and a fake board for the
 * serial tests; see serial_testlib.h. */
#include "serial_testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bm_cobs.h"
#include "bm_msg.h"

uint64_t tl_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int tl_pty_open(struct tl_pty *p)
{
	memset(p, 0, sizeof *p);
	p->master = p->slave = -1;
	if (openpty(&p->master, &p->slave, p->path, NULL, NULL) != 0)
		return -1;
	return 0;
}

void tl_pty_close(struct tl_pty *p)
{
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
	p->master = p->slave = -1;
}

void tl_sample_for(uint16_t seq, struct bm_sample_msg *m)
{
	/* Bytes a cooked tty would eat or change: ^C 0x03 (VINTR), CR 0x0D
	 * (ICRNL), XON 0x11 / XOFF 0x13 (IXON), DEL 0x7F (VERASE), and 0xFF
	 * (PARMRK).  Half the samples carry them; the rest vary with seq. */
	static const int32_t nasty[] = { 0x0D1113, 0x7F7F03, 0x13110D, -1 };
	memset(m, 0, sizeof *m);
	m->seq = seq;
	m->t_us = (uint32_t)seq * 12500u;     /* 80 SPS */
	if (seq % 2) {
		m->raw[BM_LEFT] = nasty[seq % 4];
		m->raw[BM_RIGHT] = -(int32_t)(0x0D0000 + seq);
	} else {
		m->raw[BM_LEFT] = (int32_t)(((int32_t)seq * 977) % BM_RAW_MAX);
		m->raw[BM_RIGHT] = -(int32_t)(((int32_t)seq * 1201) % BM_RAW_MAX);
	}
	m->flags[BM_RIGHT] = (uint8_t)(seq % 3 == 0 ? BM_CH_SAT_HIGH : 0);
}

size_t tl_build_samples(uint8_t *out, size_t cap, uint16_t seq0, unsigned count, int lead_delim)
{
	size_t n = 0;

	if (lead_delim) {
		if (cap < 1)
			return 0;
		out[n++] = BM_FRAME_DELIM;
	}
	for (unsigned i = 0; i < count; i++) {
		struct bm_sample_msg m;
		uint8_t body[BM_SAMPLE_BODY_LEN];
		size_t f;

		tl_sample_for((uint16_t)(seq0 + i), &m);
		bm_sample_pack(&m, body);
		f = bm_frame_build(BM_MSG_SAMPLE, body, sizeof body, out + n, cap - n);
		if (f == 0)
			return 0;
		n += f;
	}
	return n;
}

static void pause_us(long us)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = us * 1000L };
	nanosleep(&ts, NULL);
}

int tl_write_chunked(int fd, const uint8_t *data, size_t len)
{
	uint32_t lcg = 12345u;
	size_t done = 0;

	while (done < len) {
		size_t chunk;
		ssize_t w;

		lcg = lcg * 1103515245u + 12345u;
		chunk = 1u + (lcg >> 16) % 97u;
		if (chunk > len - done)
			chunk = len - done;
		w = write(fd, data + done, chunk);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		done += (size_t)w;
		if ((lcg >> 8) % 4 == 0)
			pause_us(300);
	}
	return 0;
}

/* Send to the master.  The board's side is non-blocking: when nobody
 * reads the slave and the pty's buffer is full, bytes are dropped after a
 * short wait, as a UART sends into the void. */
static int send_all(struct tl_board *b, const uint8_t *p, size_t n)
{
	int tries = 0;

	while (n > 0) {
		ssize_t w = write(b->master, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && tries++ < 100 && !atomic_load(&b->stop)) {
				pause_us(1000);
				continue;
			}
			return errno == EAGAIN ? 0 : -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A command frame arrived (COBS-encoded, without its 0x00). */
static int handle_frame(struct tl_board *b, const uint8_t *enc, size_t n)
{
	uint8_t pl[BM_PAYLOAD_MAX + 8], out[2 * BM_FRAME_MAX];
	long pn = bm_cobs_decode(enc, n, pl, sizeof pl);
	size_t len = 0;

	if (pn < 3 || bm_payload_check(pl, (size_t)pn) != BM_MSG_OK)
		return 0;
	if (pl[0] != BM_CMD_GET_INFO)
		return 0;
	if (atomic_fetch_add(&b->get_info_seen, 1u) < b->ignore_get_info || !b->answer)
		return 0;

	struct bm_info_msg info = {
		.proto_version = b->proto_version,
		.fw_major = 1, .fw_minor = 2, .fw_patch = 3,
		.rate_sps = 80, .gain = 128, .board_id = b->board_id,
		.reset_cause = BM_RESET_EXTERNAL, .cal_state = BM_CAL_NONE,
	};
	uint8_t body[BM_INFO_BODY_LEN], ack[2] = { pl[1], BM_CMD_GET_INFO };
	bm_info_pack(&info, body);
	len += bm_frame_build(BM_MSG_INFO, body, sizeof body, out, sizeof out);
	len += bm_frame_build(BM_MSG_ACK, ack, sizeof ack, out + len, sizeof out - len);
	atomic_fetch_add(&b->infos_sent, 1u);
	return send_all(b, out, len);
}

static void *board_main(void *arg)
{
	struct tl_board *b = arg;
	uint8_t frame[BM_FRAME_MAX * 2], in[256];
	size_t fn = 0;
	uint16_t seq = 0;

	/* A board that just booted: its first byte ends any half frame. */
	if (b->stream)
		(void)send_all(b, (const uint8_t[]){ 0 }, 1);
	while (!atomic_load(&b->stop)) {
		struct pollfd pfd = { .fd = b->master, .events = POLLIN, .revents = 0 };
		int pr = poll(&pfd, 1, 5);

		if (pr > 0 && (pfd.revents & POLLIN)) {
			ssize_t n = read(b->master, in, sizeof in);
			for (ssize_t i = 0; i < n; i++) {
				if (in[i] != 0) {
					if (fn < sizeof frame)
						frame[fn++] = in[i];
					continue;
				}
				if (fn > 0 && handle_frame(b, frame, fn) != 0)
					return NULL;
				fn = 0;
			}
		} else if (pr > 0) {
			/* Hang-up without data: nobody has the slave open now. */
			pause_us(2000);
		}
		if (b->stream) {
			uint8_t s[BM_FRAME_MAX];
			size_t n = tl_build_samples(s, sizeof s, seq++, 1, 0);
			if (send_all(b, s, n) != 0)
				return NULL;
		}
	}
	return NULL;
}

int tl_board_start(struct tl_board *b)
{
	int fl = fcntl(b->master, F_GETFL);
	if (fl < 0 || fcntl(b->master, F_SETFL, fl | O_NONBLOCK) != 0)
		return -1;
	atomic_store(&b->stop, 0);
	atomic_store(&b->get_info_seen, 0u);
	atomic_store(&b->infos_sent, 0u);
	return pthread_create(&b->th, NULL, board_main, b) == 0 ? 0 : -1;
}

void tl_board_stop(struct tl_board *b)
{
	atomic_store(&b->stop, 1);
	pthread_join(b->th, NULL);
}
