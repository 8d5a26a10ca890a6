/*
 * test_reconnect.c - a board on a pseudo-terminal, unplugged and plugged
 * back while the live pipeline records.
 *
 * A writer thread plays a board: INFO, then SAMPLE frames at 80 per second
 * on a pty reached through a symlink (as /dev/serial/by-id/... is).  Midway
 * it "unplugs" (closes the pty: the device node goes away), waits 1.5 s,
 * and "plugs back" a rebooted board (a new pty, the symlink re-pointed, the
 * sequence and clock starting again from 0).  The reader side is the real
 * bm_source_serial + bm_monitor recording a CSV.
 *
 * Asserted: no crash; the source reports the disconnect and resumes within
 * 1 s of the device reappearing; the CSV marks the gap with a `# gap:` line
 * and a jump in t_s of about the time unplugged; every sample sent outside
 * the gap is in the CSV exactly once, in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <pty.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bm_clock.h"
#include "bm_meta.h"
#include "bm_monitor.h"
#include "bm_msg.h"
#include "bm_source_serial.h"

#define PHASE_SAMPLES 160    /* 2 s at 80 SPS */
#define UNPLUGGED_S 1.5

static int failures;
#define EXPECT(cond, ...)                                  \
	do {                                                   \
		if (!(cond)) {                                     \
			fprintf(stderr, "FAIL: " __VA_ARGS__);         \
			fputc('\n', stderr);                           \
			failures++;                                    \
		}                                                  \
	} while (0)

static char dir[64], link_path[128];
static atomic_int received[2];       /* samples the reader got, per phase */
static atomic_int phase = 0;         /* the writer's phase, 0 or 1 */
static _Atomic double replug_at = 0; /* monotonic time the new pty appeared */
static atomic_int writer_done = 0;

/* A new pty whose slave the symlink points to; returns the master. */
static int plug(void)
{
	int m, s;
	char name[128], tmp[160];
	if (openpty(&m, &s, name, NULL, NULL) != 0) {
		perror("openpty");
		exit(2);
	}
	close(s); /* the reader opens it by name, as a device */
	snprintf(tmp, sizeof tmp, "%s.new", link_path);
	unlink(tmp);
	if (symlink(name, tmp) != 0 || rename(tmp, link_path) != 0) {
		perror("symlink");
		exit(2);
	}
	return m;
}

static void put_frame(int fd, uint8_t type, const uint8_t *body, size_t n)
{
	uint8_t f[BM_FRAME_MAX];
	size_t fl = bm_frame_build(type, body, n, f, sizeof f);
	if (write(fd, f, fl) != (ssize_t)fl) {
		/* The reader may not be connected yet; the pty buffers. */
	}
}

static void play_board(int m, int ph)
{
	/* A board boots when the host opens the port (DTR resets an Arduino):
	 * wait for the host's first command, then start as the firmware does,
	 * with a lone delimiter so the host's decoder is in step at once.
	 * What a board sends before the port is open is lost in any driver. */
	uint8_t junk[64];
	for (int k = 0; k < 500 && read(m, junk, sizeof junk) <= 0; k++)
		bm_clock_sleep_s(0.002);
	uint8_t delim = BM_FRAME_DELIM;
	if (write(m, &delim, 1) != 1)
		return;
	struct bm_info_msg info = {.proto_version = BM_PROTO_VERSION, .fw_major = 0, .fw_minor = 1,
	                           .rate_sps = 80, .gain = 128, .board_id = 0x5A3C91E2,
	                           .reset_cause = BM_RESET_POWER_ON};
	uint8_t body[32];
	bm_info_pack(&info, body);
	put_frame(m, BM_MSG_INFO, body, BM_INFO_BODY_LEN);
	for (int i = 0; i < PHASE_SAMPLES; i++) {
		struct bm_sample_msg s = {.seq = (uint16_t)i, .t_us = (uint32_t)i * 12500u,
		                          .raw = {100000 + i, -50000 - i + 1000 * ph}};
		bm_sample_pack(&s, body);
		put_frame(m, BM_MSG_SAMPLE, body, BM_SAMPLE_BODY_LEN);
		/* Drain what the host sends (GET_INFO, READ_CAL). */
		while (read(m, junk, sizeof junk) > 0)
			;
		bm_clock_sleep_s(0.0125);
	}
}

static void *writer(void *arg)
{
	(void)arg;
	int m = plug();
	fcntl(m, F_SETFL, O_NONBLOCK);
	play_board(m, 0);
	/* Unplug only once the reader has everything: a pty drops what the
	 * other side has not read when it closes (a USB serial adapter would
	 * lose it just the same; the test is about what happens around it). */
	for (int k = 0; k < 300 && atomic_load(&received[0]) < PHASE_SAMPLES; k++)
		bm_clock_sleep_s(0.01);
	close(m);
	unlink(link_path);
	bm_clock_sleep_s(UNPLUGGED_S);
	atomic_store(&phase, 1);
	m = plug();
	fcntl(m, F_SETFL, O_NONBLOCK);
	atomic_store(&replug_at, bm_clock_mono_s());
	play_board(m, 1);
	for (int k = 0; k < 300 && atomic_load(&received[1]) < PHASE_SAMPLES; k++)
		bm_clock_sleep_s(0.01);
	atomic_store(&writer_done, 1);
	bm_clock_sleep_s(0.2);
	close(m);
	return NULL;
}

int main(void)
{
	char msg[600], csv[160];
	pthread_t th;

	strcpy(dir, "/tmp/bm_reconnect_XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	snprintf(link_path, sizeof link_path, "%s/board", dir);
	snprintf(csv, sizeof csv, "%s/session.csv", dir);
	pthread_create(&th, NULL, writer, NULL);
	while (access(link_path, F_OK) != 0)
		bm_clock_sleep_s(0.005);

	struct bm_source *src = bm_source_serial_new(link_path, msg, sizeof msg);
	if (!src) {
		fprintf(stderr, "FAIL: cannot open the board: %s\n", msg);
		return 1;
	}
	struct bm_monitor_params mp;
	bm_monitor_params_default(&mp);
	mp.rate_hz = 80;
	struct bm_monitor *mon = bm_monitor_new(&mp, NULL);
	char meta_path[300];
	bm_meta_path(csv, meta_path, sizeof meta_path);
	struct bm_capture_files files = {csv, NULL, NULL, meta_path};
	EXPECT(bm_monitor_capture_start(mon, &files, NULL, msg, sizeof msg) == 0, "record: %s", msg);

	struct bm_live_sample buf[256];
	struct bm_source_status st;
	int saw_waiting = 0;
	double resumed_after = -1;
	double deadline = bm_clock_mono_s() + 20;
	while (!atomic_load(&writer_done) && bm_clock_mono_s() < deadline) {
		size_t n = bm_source_read(src, buf, 256, 50);
		bm_source_status(src, &st);
		if (st.state == BM_SOURCE_WAITING) {
			saw_waiting = 1;
			EXPECT(strstr(st.message, "disconnected") != NULL, "waiting message: '%s'", st.message);
		}
		for (size_t i = 0; i < n; i++) {
			int ph = buf[i].gap_before || atomic_load(&received[1]) ? 1 : 0;
			if (ph && resumed_after < 0)
				resumed_after = bm_clock_mono_s() - atomic_load(&replug_at);
			atomic_fetch_add(&received[ph], 1);
		}
		bm_monitor_push(mon, buf, n);
	}
	pthread_join(th, NULL);
	EXPECT(bm_monitor_capture_stop(mon, msg, sizeof msg) == 0, "stop: %s", msg);
	bm_monitor_free(mon);
	bm_source_free(src);

	EXPECT(saw_waiting, "the source never said it was waiting for the device");
	EXPECT(resumed_after >= 0 && resumed_after <= 1.0,
	       "resumed %.3f s after the device came back (limit 1 s)", resumed_after);
	printf("resumed %.0f ms after the device came back\n", resumed_after * 1000);

	/* The CSV: both phases complete, time increasing, jumping over the
	 * time unplugged; the sidecar names the gap. */
	struct bm_meta meta;
	EXPECT(bm_meta_read(meta_path, &meta, msg, sizeof msg) == BM_META_OK, "sidecar: %s", msg);
	int gaps = 0;
	for (size_t i = 0; i < meta.n_gaps; i++)
		gaps += strstr(meta.gaps[i].why, "disconnected") != NULL;
	bm_meta_free(&meta);
	FILE *f = fopen(csv, "r");
	EXPECT(f != NULL, "no CSV");
	char line[512];
	int seen[2][PHASE_SAMPLES] = {{0}};
	int ph = 0, rows = 0;
	double last_t = -1, t_before_gap = 0, t_after_gap = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == 't')
			continue;
		double t, l, r;
		long lr, rr;
		unsigned seq, fl, fr;
		if (sscanf(line, "%lf,%lf,%lf,%ld,%ld,%u,%u,%u", &t, &l, &r, &lr, &rr, &seq, &fl, &fr) != 8) {
			EXPECT(0, "bad CSV row: %s", line);
			continue;
		}
		EXPECT(t > last_t, "time goes back at seq %u: %.6f after %.6f", seq, t, last_t);
		if (ph == 0 && last_t >= 0 && t - last_t > 0.5) {
			ph = 1;
			t_before_gap = last_t;
		}
		if (ph == 1 && t_after_gap == 0)
			t_after_gap = t;
		last_t = t;
		EXPECT(seq < PHASE_SAMPLES, "seq %u out of range", seq);
		if (seq < PHASE_SAMPLES) {
			EXPECT(lr == 100000 + (long)seq, "seq %u: left raw %ld", seq, lr);
			seen[ph][seq]++;
		}
		rows++;
	}
	if (f)
		fclose(f);
	EXPECT(gaps == 1, "%d disconnects in the sidecar, expected 1", gaps);
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < PHASE_SAMPLES; i++)
			EXPECT(seen[p][i] == 1, "phase %d seq %d recorded %d times", p, i, seen[p][i]);
	EXPECT(t_after_gap - t_before_gap >= UNPLUGGED_S - 0.1,
	       "t_s jumps %.3f s over the gap, expected about %.1f", t_after_gap - t_before_gap,
	       UNPLUGGED_S);
	printf("%d rows, gap in t_s %.3f s\n", rows, t_after_gap - t_before_gap);

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failures++;
	return failures ? 1 : 0;
}
