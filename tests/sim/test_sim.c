/*
 * test_sim.c - the firmware proven on a simulated board: the real ELF in
 * simavr with two datasheet-timed HX711 models (sim_board.h), its UART
 * decoded by the host's decoder (sim_capture.h).
 *
 *   test_sim FIRMWARE.elf TCASE      (meson runs one test case per test)
 *
 * Test cases:
 *   stream      60 s at 80 SPS: both channels bit-exact, rate within 1 %,
 *               no dropped frame, no timing violation, INFO every 5 s
 *   drift       chips 3.3 % apart: still bit-exact, the frame rate follows
 *               the slower chip, the faster one's extra conversions counted
 *   rate10      SET_RATE 10: 10 SPS within 1 % after settling, no false
 *               "not ready", and back to 80
 *   stuck       one chip holds DOUT high: flagged within 3 periods, the other
 *               streams, flag clears after the recovery reset (BM_CH_RESET)
 *   commands    every command answered (ACK / INFO / ERROR), gain 64 halves
 *               the counts, errors counted in INFO
 *   garbage     random bytes at the firmware: ignored, no sample lost
 *   eeprom      blank EEPROM reads uncalibrated; a stored calibration
 *               survives a reset and a power cycle; a corrupt one is refused
 *   saturation  readings at 0x7FFFFF / 0x800000 carry the saturation flags
 *   profile     the force sources (built-in, session CSV, simulated athlete)
 *   phase       the shared clock at 60 alignments of the two chips (start
 *               offset across a period, oscillators -2 % .. +2 % apart
 *               around 0, +-3 % or the guard's 5 % edge, UART busy or
 *               quiet): no timing violation, every read equal
 *               to its conversion; phase-long: 600 (not in CI, ~4 min);
 *               BM_PHASE_ONLY=K runs alignment K alone, BM_PHASE_DEBUG=1
 *               prints the first differing read of a failing one
 * Every case fails (never skips) when the ELF cannot be loaded.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bm_msg.h"
#include "force_profile.h"
#include "fw_store.h"
#include "sim_board.h"
#include "sim_capture.h"

static const char *s_elf;

/* One board on the bench: the simulated board, its load and what it said. */
struct rig {
	struct simboard *sb;
	struct sim_capture *cap;
	struct force_profile *fp;
	double hz;
};

static void rig_open_cfg(struct rig *r, struct simboard_cfg *cfg)
{
	char err[512];
	r->cap = sim_capture_new();
	ck_assert_ptr_nonnull(r->cap);
	if (!cfg->force) {
		r->fp = force_profile_synthetic();
		ck_assert_ptr_nonnull(r->fp);
		cfg->force = force_profile_at;
		cfg->force_ctx = r->fp;
	}
	r->sb = simboard_new(cfg, err, sizeof err);
	ck_assert_msg(r->sb != NULL, "simulated board did not start: %s", err);
	simboard_on_uart(r->sb, sim_capture_byte, r->cap);
	r->hz = simboard_cpu_hz(r->sb);
}

static void rig_open(struct rig *r)
{
	struct simboard_cfg cfg;
	memset(r, 0, sizeof *r);
	simboard_cfg_default(&cfg, s_elf);
	rig_open_cfg(r, &cfg);
}

static void rig_close(struct rig *r)
{
	simboard_free(r->sb);
	sim_capture_free(r->cap);
	force_profile_free(r->fp);
	memset(r, 0, sizeof *r);
}

static void rig_run(struct rig *r, double seconds)
{
	int rc = simboard_run_s(r->sb, seconds);
	ck_assert_msg(rc == SIMBOARD_OK, "the AVR crashed near %.3f s (rc %d)",
	              simboard_time_s(r->sb), rc);
}

static uint64_t cyc(const struct rig *r, double t_s)
{
	return (uint64_t)(t_s * r->hz);
}

/* Send a command frame (after a delimiter, as a host should). */
static void rig_cmd(struct rig *r, uint8_t type, const uint8_t *body, size_t len)
{
	uint8_t frame[BM_FRAME_MAX + 1];
	size_t n;
	frame[0] = 0;
	n = bm_frame_build(type, body, len, frame + 1, sizeof frame - 1);
	ck_assert_msg(n > 0, "command frame did not build");
	ck_assert_int_eq(simboard_send(r->sb, frame, n + 1), SIMBOARD_OK);
}

/* Run until a reply of @p type with @p tag arrives after @p from (200 ms
 * at most: a reply takes about a millisecond). */
static const struct cap_reply *rig_wait(struct rig *r, uint8_t type, uint8_t tag, uint64_t from)
{
	for (int i = 0; i < 200; i++) {
		const struct cap_reply *rep = sim_capture_reply(r->cap, type, tag, from);
		if (rep)
			return rep;
		rig_run(r, 0.001);
	}
	return NULL;
}

/* Any reply (ACK, ERROR, CAL) to @p tag after @p from. */
static const struct cap_reply *rig_wait_any(struct rig *r, uint8_t tag, uint64_t from)
{
	for (int i = 0; i < 200; i++) {
		for (size_t k = 0; k < r->cap->nreplies; k++)
			if (r->cap->replies[k].tag == tag && r->cap->replies[k].cycle >= from)
				return &r->cap->replies[k];
		rig_run(r, 0.001);
	}
	return NULL;
}

/* The newest INFO after @p from, asked for with GET_INFO. */
static struct bm_info_msg rig_info(struct rig *r, uint8_t tag)
{
	uint64_t from = simboard_cycle(r->sb);
	size_t before = r->cap->ninfos;
	rig_cmd(r, BM_CMD_GET_INFO, &tag, 1);
	const struct cap_reply *ack = rig_wait(r, BM_MSG_ACK, tag, from);
	ck_assert_msg(ack != NULL, "GET_INFO (tag %u) got no ACK", tag);
	ck_assert_msg(r->cap->ninfos > before, "GET_INFO (tag %u) got no INFO", tag);
	const struct cap_info *in = &r->cap->infos[r->cap->ninfos - 1];
	ck_assert_msg(in->cycle >= from && in->cycle <= ack->cycle,
	              "the INFO must come after the command and before its ACK");
	return in->info;
}

static void check_no_violations(struct rig *r)
{
	for (int ch = 0; ch < 2; ch++) {
		struct hx711_stats st;
		hx711_model_stats(simboard_chip(r->sb, ch), &st);
		char line[256];
		ck_assert_msg(hx711_stats_violations(&st) == 0, "chip %d: %s", ch,
		              hx711_stats_describe(&st, r->hz, line, sizeof line));
		/* Stronger than the datasheet's 50 us: no interrupt ever ran
		 * inside a clock-high period (the shortest ISR takes > 1 us). */
		ck_assert_msg(st.max_read_high_cycles < (uint64_t)(1e-6 * r->hz),
		              "chip %d: a clock-high period of a read lasted %llu cycles: an "
		              "interrupt ran while SCK was high", ch,
		              (unsigned long long)st.max_read_high_cycles);
	}
}

static void check_link_clean(struct rig *r, uint64_t restarts)
{
	struct bm_decoder_stats ds;
	sim_capture_stats(r->cap, &ds);
	ck_assert_msg(ds.dropped_samples == 0, "expected 0 dropped frames, decoder counted %llu",
	              (unsigned long long)ds.dropped_samples);
	ck_assert_msg(ds.crc_errors == 0 && ds.framing_errors == 0,
	              "expected a clean link, got %llu CRC and %llu framing errors",
	              (unsigned long long)ds.crc_errors, (unsigned long long)ds.framing_errors);
	ck_assert_msg(ds.seq_restarts == restarts, "expected %llu board restarts, saw %llu",
	              (unsigned long long)restarts, (unsigned long long)ds.seq_restarts);
}

/* Bit-exact comparison of both channels for everything after @p from. */
static void check_bitexact(struct rig *r, uint64_t from, size_t min_reads)
{
	simboard_flush(r->sb);
	for (int ch = 0; ch < 2; ch++) {
		struct sim_match m;
		int rc = sim_match_channel(r->cap, simboard_chip(r->sb, ch), ch, r->hz, from,
		                           simboard_cycle(r->sb), &m);
		ck_assert_msg(rc == 0, "channel %d: %zu of %zu reads differ from the frames; first at "
		              "read %ld (frame %d, chip sent %d)", ch, m.mismatched, m.reads,
		              m.first_bad, m.bad_frame_value, m.bad_read_value);
		ck_assert_msg(m.reads >= min_reads, "channel %d: expected at least %zu reads compared, "
		              "got %zu", ch, min_reads, m.reads);
		ck_assert_msg(m.frames >= m.reads && m.frames <= m.reads + 2,
		              "channel %d: %zu frames for %zu reads", ch, m.frames, m.reads);
		/* Each frame's timestamp is its own read's time (a shift by a
		 * conversion would be 12500 us). */
		ck_assert_msg(m.lag_max_us - m.lag_min_us < 100.0,
		              "channel %d: frame time vs read time varies by %.1f us", ch,
		              m.lag_max_us - m.lag_min_us);
	}
}

static double slower_chip_hz(struct rig *r)
{
	double p0 = hx711_model_period_cycles(simboard_chip(r->sb, 0));
	double p1 = hx711_model_period_cycles(simboard_chip(r->sb, 1));
	return r->hz / (p0 > p1 ? p0 : p1);
}

/* ---- stream ---- */

START_TEST(stream_60s_bit_exact)
{
	struct rig r;
	struct simboard_perf perf;
	rig_open(&r);
	rig_run(&r, 62.0);
	check_bitexact(&r, 0, 60 * 79);
	check_no_violations(&r);
	check_link_clean(&r, 0);
	for (int ch = 0; ch < 2; ch++) {
		size_t n;
		double hz = sim_capture_rate_hz(r.cap, ch, cyc(&r, 2.0), simboard_cycle(r.sb), &n);
		ck_assert_msg(fabs(hz - 80.0) <= 0.8, "channel %d: expected 80 SPS +-1 %%, got %.3f", ch, hz);
		ck_assert_msg(fabs(hz - slower_chip_hz(&r)) <= 0.01 * slower_chip_hz(&r),
		              "channel %d: %.3f SPS, but the slower chip converts at %.3f", ch, hz,
		              slower_chip_hz(&r));
		ck_assert_msg(n >= 59 * 79, "channel %d: only %zu samples in 60 s", ch, n);
	}
	for (size_t i = 0; i < r.cap->nsamples; i++)
		ck_assert_msg(r.cap->samples[i].msg.flags[0] == 0 && r.cap->samples[i].msg.flags[1] == 0,
		              "sample %zu carries flags %u/%u", i, r.cap->samples[i].msg.flags[0],
		              r.cap->samples[i].msg.flags[1]);
	/* INFO: first thing after boot, then every 5 s. */
	ck_assert_msg(r.cap->ninfos >= 12, "expected >= 12 INFO in 62 s, got %zu", r.cap->ninfos);
	ck_assert_msg(r.cap->infos[0].cycle < r.cap->samples[0].cycle, "boot INFO must precede samples");
	for (size_t i = 1; i < r.cap->ninfos; i++) {
		double dt = (double)(r.cap->infos[i].cycle - r.cap->infos[i - 1].cycle) / r.hz;
		ck_assert_msg(dt > 4.9 && dt < 5.1, "INFO %zu came %.3f s after the previous", i, dt);
	}
	const struct bm_info_msg *in = &r.cap->infos[0].info;
	ck_assert_int_eq(in->proto_version, BM_PROTO_VERSION);
	ck_assert_msg(in->rate_sps == 80 && in->gain == 128, "INFO rate/gain %u/%u", in->rate_sps, in->gain);
	ck_assert_msg(in->reset_cause == BM_RESET_POWER_ON, "reset cause expected POWER_ON, got %u",
	              in->reset_cause);
	ck_assert_msg(in->cal_state == BM_CAL_NONE, "blank EEPROM must read uncalibrated");
	ck_assert_msg(in->board_id != 0 && in->board_id != 0xFFFFFFFFu, "board id 0x%08X", in->board_id);
	ck_assert_msg(simboard_watchdog_on(r.sb), "the watchdog must be enabled");
	simboard_get_perf(r.sb, &perf);
	printf("stream: %.1f simulated s in %.1f wall s (%.2f x real time); longest "
	       "interrupts-off %llu cycles (%.2f us)\n", perf.sim_s, perf.wall_s,
	       perf.sim_s / perf.wall_s, (unsigned long long)perf.irq_off_max_cycles,
	       (double)perf.irq_off_max_cycles / r.hz * 1e6);
	rig_close(&r);
}
END_TEST

/* ---- drift ---- */

START_TEST(drift_bit_exact)
{
	struct rig r;
	struct simboard_cfg cfg;
	memset(&r, 0, sizeof r);
	simboard_cfg_default(&cfg, s_elf);
	cfg.chip[0].osc_err = 0.015;
	cfg.chip[1].osc_err = -0.018;
	rig_open_cfg(&r, &cfg);
	rig_run(&r, 32.0);
	check_bitexact(&r, 0, 30 * 78);
	check_no_violations(&r);
	check_link_clean(&r, 0);
	double slow = slower_chip_hz(&r);
	for (int ch = 0; ch < 2; ch++) {
		struct hx711_stats st;
		double hz = sim_capture_rate_hz(r.cap, ch, cyc(&r, 2.0), simboard_cycle(r.sb), NULL);
		ck_assert_msg(fabs(hz - slow) <= 0.01 * slow,
		              "channel %d: %.3f SPS, expected the slower chip's %.3f +-1 %%", ch, hz, slow);
		hx711_model_stats(simboard_chip(r.sb, ch), &st);
		uint64_t unread = st.conversions - st.reads - st.overwritten;
		ck_assert_msg(unread <= 2, "chip %d: %llu conversions neither read nor overwritten", ch,
		              (unsigned long long)unread);
	}
	struct hx711_stats fast;
	hx711_model_stats(simboard_chip(r.sb, 0), &fast);
	ck_assert_msg(fast.overwritten > 0.02 * (double)fast.conversions,
	              "the 3.3 %% faster chip must lose conversions, lost %llu of %llu",
	              (unsigned long long)fast.overwritten, (unsigned long long)fast.conversions);
	rig_close(&r);
}
END_TEST

/* ---- phase: the shared clock at every alignment of the two chips ---- */

/* What one alignment showed. */
struct phase_run {
	uint64_t violations;      /* both chips */
	uint64_t torn;            /* reads a conversion completed inside */
	size_t reads, mismatched; /* compared with the conversions, both chips */
	uint64_t dropped;         /* frames the decoder missed */
	double closest_after_us;  /* nearest conversion after a read ended */
	double closest_before_us; /* nearest conversion before a read began */
	size_t near;              /* reads with a conversion within 1 ms after */
};

/* Queue PING frames for @p seconds of a busy line (250000 baud: 25000
 * bytes/s), so that receive interrupts and replies run throughout. */
static void phase_uart_traffic(struct rig *r, double seconds)
{
	uint8_t frame[BM_FRAME_MAX + 1];
	size_t sent = 0;

	frame[0] = 0;
	for (uint8_t tag = 0; (double)sent < seconds * 25000.0; tag++) {
		size_t n = bm_frame_build(BM_CMD_PING, &tag, 1, frame + 1, sizeof frame - 1);
		ck_assert_msg(n > 0, "PING frame did not build");
		ck_assert_int_eq(simboard_send(r->sb, frame, n + 1), SIMBOARD_OK);
		sent += n + 1;
	}
}

/* One alignment: the right chip starts @p offset of a period after the
 * left, the chips' oscillators are @p mismatch apart (left fast for a
 * positive one) around @p base, for @p seconds of streaming. */
static void phase_one(double offset, double base, double mismatch, int uart, double seconds,
                      uint64_t seed, struct phase_run *out)
{
	struct rig r;
	struct simboard_cfg cfg;
	struct bm_decoder_stats ds;

	memset(out, 0, sizeof *out);
	out->closest_after_us = out->closest_before_us = 1e9;
	memset(&r, 0, sizeof r);
	simboard_cfg_default(&cfg, s_elf);
	cfg.chip[0].osc_err = base + mismatch / 2;
	cfg.chip[1].osc_err = base - mismatch / 2;
	cfg.chip[0].start_phase = 0.0;
	cfg.chip[1].start_phase = offset;
	cfg.seed = seed;
	rig_open_cfg(&r, &cfg);
	if (uart)
		phase_uart_traffic(&r, seconds);
	rig_run(&r, seconds);
	simboard_flush(r.sb);
	for (int ch = 0; ch < 2; ch++) {
		struct hx711_stats st;
		struct sim_match m;
		const struct hx711_read *rd;
		size_t nr = hx711_model_reads(simboard_chip(r.sb, ch), &rd);
		hx711_model_stats(simboard_chip(r.sb, ch), &st);
		out->violations += hx711_stats_violations(&st);
		if (hx711_stats_violations(&st) && getenv("BM_PHASE_DEBUG")) {
			char line[256];
			printf("  chip %d: %s\n", ch, hx711_stats_describe(&st, r.hz, line, sizeof line));
		}
		out->torn += st.violation_update_in_read;
		/* With the line busy, a SAMPLE can queue behind replies for more
		 * than the 5 ms the matcher allows: the last 20 ms are left out. */
		sim_match_channel(r.cap, simboard_chip(r.sb, ch), ch, r.hz, 0,
		                  simboard_cycle(r.sb) - cyc(&r, 0.02), &m);
		out->reads += m.reads;
		out->mismatched += m.mismatched;
		if (m.mismatched && getenv("BM_PHASE_DEBUG"))
			printf("  ch %d: first bad read %ld of %zu, frame %d, chip %d; frames %zu\n", ch,
			       m.first_bad, m.reads, m.bad_frame_value, m.bad_read_value, m.frames);
		for (size_t i = 0; i < nr; i++) {
			double before = (double)(rd[i].start_cycle - rd[i].conv_cycle) / r.hz * 1e6;
			if (before < out->closest_before_us)
				out->closest_before_us = before;
			if (rd[i].next_conv_cycle == HX711_NEVER)
				continue;
			double after = ((double)rd[i].next_conv_cycle - (double)rd[i].end_cycle) / r.hz * 1e6;
			if (after < out->closest_after_us)
				out->closest_after_us = after;
			if (after < 1000.0)
				out->near++;
		}
	}
	sim_capture_stats(r.cap, &ds);
	out->dropped = ds.dropped_samples + ds.crc_errors + ds.framing_errors;
	rig_close(&r);
}

/*
 * Where the edge is: the firmware reads when the later chip is ready, so
 * the earlier one's word has waited for the offset between them.  When the
 * chips are nearly in phase, with the earlier one's next conversion due
 * just after the later one became ready, that conversion completes during
 * the read unless the firmware sees it coming: the dangerous offsets are
 * within a read's length (tens of us) of a whole period.  So half the
 * alignments spread over the whole period, and half sit around the
 * in-phase point in 20 us steps (+-300 us for 60 alignments).
 */
static double phase_offset(int k, int n)
{
	int half = n / 2;
	if (k < half)
		return ((double)k + 0.5) / half;
	double off = (double)(k - half - half / 2) * 20e-6 / 0.0125;
	return off < 0 ? off + 1.0 : off;
}

/* Both chips' error, besides their mismatch: none, 3 % either way, and the
 * edge of what the firmware's read guard allows (FW_HX_OSC_TOL_PCT, 5 % of
 * the period): the faster chip's period 5 % short (+5.2 %), or the slower
 * one's 5 % long (-4.7 %). */
#define EDGE_FAST 10.0
#define EDGE_SLOW 11.0
static double phase_base(int k, double mismatch)
{
	static const double base[] = {0.0, 0.03, EDGE_FAST, -0.03, EDGE_SLOW};
	double b = base[k % 5];
	if (b == EDGE_FAST)
		return 0.052 - fabs(mismatch) / 2;
	if (b == EDGE_SLOW)
		return -0.047 + fabs(mismatch) / 2;
	return b;
}

/* The sweep: @p n alignments (phase_offset), the mismatch cycling through
 * -2 % .. +2 % (small ones too, where the chips' phase barely moves in a
 * run) around an error of both (phase_base; 5 and 13 share no factor, so
 * the pairs vary), the UART busy on every other one.  Every read of every
 * alignment must be free of timing violations and equal to the chip's
 * conversion, bit for bit. */
static void phase_sweep(int n, double seconds)
{
	static const double mismatch[] = {0.001, -0.003, 0.02, -0.01, 0.0005, -0.02, 0.01,
	                                  -0.0005, 0.003, -0.001, 0.0, 0.015, -0.015};
	const size_t nm = sizeof mismatch / sizeof mismatch[0];
	int bad = 0, first_bad = -1;
	size_t reads = 0, near = 0;
	double closest_after = 1e9, closest_before = 1e9;
	struct phase_run worst = {0};

	const char *only = getenv("BM_PHASE_ONLY");
	for (int k = 0; k < n; k++) {
		struct phase_run pr;
		if (only && atoi(only) != k)
			continue;
		double off = phase_offset(k, n);
		double mm = mismatch[(size_t)k % nm];
		double base = phase_base(k, mm);
		int uart = (k / (int)nm) % 2 == k % 2;
		phase_one(off, base, mm, uart, seconds, (uint64_t)k + 11, &pr);
		reads += pr.reads;
		near += pr.near;
		if (pr.closest_after_us < closest_after)
			closest_after = pr.closest_after_us;
		if (pr.closest_before_us < closest_before)
			closest_before = pr.closest_before_us;
		if (pr.violations || pr.mismatched || pr.dropped || pr.reads < 2 * (size_t)(seconds * 60)) {
			printf("phase: alignment %d (offset %.4f of a period, oscillators %+.2f %% and "
			       "%+.2f %%, uart %s): %llu violations (%llu torn reads), %zu of %zu reads "
			       "differ from the conversion, %llu frames lost\n", k, off,
			       (base + mm / 2) * 100, (base - mm / 2) * 100, uart ? "busy" : "quiet",
			       (unsigned long long)pr.violations, (unsigned long long)pr.torn,
			       pr.mismatched, pr.reads, (unsigned long long)pr.dropped);
			fflush(stdout);
			if (first_bad < 0) {
				first_bad = k;
				worst = pr;
			}
			bad++;
		}
	}
	printf("phase: %d alignments, %zu reads compared; nearest conversion %.1f us after a read "
	       "ended and %.1f us before one began; %zu reads had the next conversion within 1 ms\n",
	       n, reads, closest_after, closest_before, near);
	fflush(stdout);
	ck_assert_msg(bad == 0, "%d of %d alignments failed; the first (%d): %llu violations, %llu "
	              "torn reads, %zu mismatched reads, %llu lost frames", bad, n, first_bad,
	              (unsigned long long)worst.violations, (unsigned long long)worst.torn,
	              worst.mismatched, (unsigned long long)worst.dropped);
	/* The sweep did reach the edge: some reads ended within 1 ms of the
	 * next conversion of a chip (the stale one), so the guard was tested. */
	ck_assert_msg(near > 0, "no read came within 1 ms of a conversion: the sweep missed the edge");
}

START_TEST(phase_every_alignment)
{
	phase_sweep(60, 0.6);
}
END_TEST

START_TEST(phase_every_alignment_long)
{
	phase_sweep(600, 1.0);
}
END_TEST

/* ---- rate10 ---- */

START_TEST(rate10_after_command)
{
	struct rig r;
	uint8_t b[2];
	rig_open(&r);
	rig_run(&r, 2.0);
	uint64_t t_cmd = simboard_cycle(r.sb);
	b[0] = 21;
	b[1] = 10;
	rig_cmd(&r, BM_CMD_SET_RATE, b, 2);
	ck_assert_msg(rig_wait(&r, BM_MSG_ACK, 21, t_cmd) != NULL, "SET_RATE 10 not acknowledged");
	rig_run(&r, 1.0);   /* 400 ms settling at 10 SPS, then steady */
	uint64_t from = simboard_cycle(r.sb);
	rig_run(&r, 20.0);
	uint64_t to = simboard_cycle(r.sb);
	for (int ch = 0; ch < 2; ch++) {
		size_t n;
		double hz = sim_capture_rate_hz(r.cap, ch, from, to, &n);
		ck_assert_msg(fabs(hz - 10.0) <= 0.1, "channel %d: expected 10 SPS +-1 %%, got %.4f (%zu samples)",
		              ch, hz, n);
	}
	ck_assert_msg(rig_info(&r, 22).rate_sps == 10, "INFO must say 10 SPS");
	/* And back to 80. */
	t_cmd = simboard_cycle(r.sb);
	b[0] = 23;
	b[1] = 80;
	rig_cmd(&r, BM_CMD_SET_RATE, b, 2);
	ck_assert_msg(rig_wait(&r, BM_MSG_ACK, 23, t_cmd) != NULL, "SET_RATE 80 not acknowledged");
	rig_run(&r, 0.5);
	from = simboard_cycle(r.sb);
	rig_run(&r, 5.0);
	for (int ch = 0; ch < 2; ch++) {
		double hz = sim_capture_rate_hz(r.cap, ch, from, simboard_cycle(r.sb), NULL);
		ck_assert_msg(fabs(hz - 80.0) <= 0.8, "channel %d: expected 80 SPS again, got %.3f", ch, hz);
	}
	for (size_t i = 0; i < r.cap->nsamples; i++)
		ck_assert_msg(!(r.cap->samples[i].msg.flags[0] & BM_CH_NOT_READY) &&
		              !(r.cap->samples[i].msg.flags[1] & BM_CH_NOT_READY),
		              "settling after a rate change must not flag a chip (sample %zu)", i);
	check_bitexact(&r, 0, 2 * 79 + 20 * 9 + 5 * 79);
	check_no_violations(&r);
	check_link_clean(&r, 0);
	rig_close(&r);
}
END_TEST

/* ---- stuck ---- */

START_TEST(stuck_chip_flagged_and_recovered)
{
	struct rig r;
	const double t_fault = 5.0, t_cure = 8.0, period = 0.0125;
	rig_open(&r);
	hx711_model_set_stuck(simboard_chip(r.sb, 1), cyc(&r, t_fault), cyc(&r, t_cure));
	rig_run(&r, 12.0);

	const struct cap_sample *first_flag = NULL, *last_flag = NULL, *first_back = NULL;
	for (size_t i = 0; i < r.cap->nsamples; i++) {
		const struct cap_sample *s = &r.cap->samples[i];
		ck_assert_msg(!(s->msg.flags[0] & BM_CH_NOT_READY), "the healthy left chip was flagged");
		if (s->msg.flags[1] & BM_CH_NOT_READY) {
			ck_assert_msg(s->msg.raw[1] == 0, "a flagged channel must carry raw 0");
			if (!first_flag)
				first_flag = s;
			last_flag = s;
		} else if (last_flag && !first_back) {
			first_back = s;
		}
	}
	ck_assert_msg(first_flag != NULL, "the stuck right chip was never flagged");
	double flag_after = (double)first_flag->cycle / r.hz - t_fault;
	ck_assert_msg(flag_after > 0, "flagged %.4f s before the fault", -flag_after);
	/* Flagged at its last reading + 3 periods; the frame leaves within 2 ms. */
	ck_assert_msg(flag_after <= 3 * period + 0.002,
	              "flagged %.4f s after the fault: more than 3 periods", flag_after);
	ck_assert_msg(first_back != NULL, "the right chip never came back");
	double back_after = (double)first_back->cycle / r.hz - t_cure;
	ck_assert_msg(back_after > 0 && back_after <= 1.2,
	              "the right chip came back %.3f s after it could (retry every 1 s)", back_after);
	ck_assert_msg(first_back->msg.flags[1] & BM_CH_RESET,
	              "the first reading after recovery must carry BM_CH_RESET, flags %u",
	              first_back->msg.flags[1]);
	/* The left channel kept streaming during the fault (less the settling
	 * after each recovery reset). */
	size_t n_left;
	sim_capture_rate_hz(r.cap, 0, cyc(&r, t_fault + 0.1), cyc(&r, t_cure), &n_left);
	double expect = (t_cure - t_fault - 0.1) / period;
	ck_assert_msg((double)n_left >= 0.85 * expect,
	              "left channel: %zu samples during the fault, expected about %.0f", n_left, expect);
	/* After recovery both stream at full rate again. */
	for (int ch = 0; ch < 2; ch++) {
		double hz = sim_capture_rate_hz(r.cap, ch, first_back->cycle + cyc(&r, 0.1),
		                                simboard_cycle(r.sb), NULL);
		ck_assert_msg(fabs(hz - 80.0) <= 0.8, "channel %d after recovery: %.3f SPS", ch, hz);
	}
	check_bitexact(&r, 0, 8 * 79);   /* the right chip is out ~3 of the 12 s */
	check_no_violations(&r);
	check_link_clean(&r, 0);
	rig_close(&r);
}
END_TEST

/* ---- commands ---- */

START_TEST(commands_answered)
{
	struct rig r;
	const struct cap_reply *rep;
	uint64_t t;
	uint8_t b[4];
	unsigned refused = 0;

	rig_open(&r);
	rig_run(&r, 1.0);

	b[0] = 1;
	t = simboard_cycle(r.sb);
	rig_cmd(&r, BM_CMD_PING, b, 1);
	rep = rig_wait_any(&r, 1, t);
	ck_assert_msg(rep && rep->type == BM_MSG_ACK && rep->cmd == BM_CMD_PING, "PING: expected ACK");
	double ms = (double)(rep->cycle - t) / r.hz * 1e3;
	ck_assert_msg(ms < 20.0, "PING answered after %.2f ms", ms);

	struct bm_info_msg in = rig_info(&r, 2);
	ck_assert_msg(in.cmd_errors == 0 && in.gain == 128, "fresh INFO: errors %u gain %u",
	              in.cmd_errors, in.gain);

	b[0] = 3;
	b[1] = 20;
	t = simboard_cycle(r.sb);
	rig_cmd(&r, BM_CMD_SET_RATE, b, 2);
	rep = rig_wait_any(&r, 3, t);
	ck_assert_msg(rep && rep->type == BM_MSG_ERROR && rep->code == BM_CMDERR_VALUE &&
	              rep->cmd == BM_CMD_SET_RATE, "SET_RATE 20: expected ERROR VALUE");
	refused++;

	b[0] = 4;
	t = simboard_cycle(r.sb);
	rig_cmd(&r, 0x7E, b, 1);
	rep = rig_wait_any(&r, 4, t);
	ck_assert_msg(rep && rep->type == BM_MSG_ERROR && rep->code == BM_CMDERR_UNKNOWN &&
	              rep->cmd == 0x7E, "type 0x7E: expected ERROR UNKNOWN");
	refused++;

	t = simboard_cycle(r.sb);
	rig_cmd(&r, BM_CMD_SET_GAIN, NULL, 0);
	rep = rig_wait(&r, BM_MSG_ERROR, 0, t);
	ck_assert_msg(rep && rep->code == BM_CMDERR_LENGTH, "SET_GAIN without a body: expected "
	              "ERROR LENGTH with tag 0");
	refused++;

	/* A frame with a broken CRC: no reply, but counted. */
	{
		uint8_t frame[BM_FRAME_MAX + 1];
		b[0] = 9;
		frame[0] = 0;
		size_t n = bm_frame_build(BM_CMD_PING, b, 1, frame + 1, sizeof frame - 1);
		frame[2] ^= 0x01;   /* the type byte (after the COBS code byte) */
		simboard_send(r.sb, frame, n + 1);
		t = simboard_cycle(r.sb);
		rig_run(&r, 0.05);
		ck_assert_msg(sim_capture_reply(r.cap, BM_MSG_ACK, 9, t) == NULL &&
		              sim_capture_reply(r.cap, BM_MSG_ACK, 8, t) == NULL,
		              "a frame with a bad CRC must not be answered");
		refused++;
	}

	b[0] = 5;
	b[1] = 64;
	t = simboard_cycle(r.sb);
	rig_cmd(&r, BM_CMD_SET_GAIN, b, 2);
	ck_assert_msg(rig_wait(&r, BM_MSG_ACK, 5, t) != NULL, "SET_GAIN 64 not acknowledged");
	rig_run(&r, 2.0);
	in = rig_info(&r, 6);
	ck_assert_msg(in.gain == 64, "INFO gain expected 64, got %u", in.gain);
	ck_assert_msg(in.cmd_errors == refused, "INFO cmd_errors expected %u, got %u", refused,
	              in.cmd_errors);
	/* The chip really converts at gain 64 now (27 pulses). */
	{
		const struct hx711_read *reads;
		size_t nr = hx711_model_reads(simboard_chip(r.sb, 0), &reads);
		ck_assert_msg(nr > 10 && reads[nr - 2].pulses == 27 && reads[nr - 2].conv_gain == 64,
		              "last reads: %u pulses at gain %u", reads[nr - 2].pulses,
		              reads[nr - 2].conv_gain);
	}
	b[0] = 7;
	b[1] = 128;
	t = simboard_cycle(r.sb);
	rig_cmd(&r, BM_CMD_SET_GAIN, b, 2);
	ck_assert_msg(rig_wait(&r, BM_MSG_ACK, 7, t) != NULL, "SET_GAIN 128 not acknowledged");
	rig_run(&r, 1.0);

	/* Every frame matches its read, and exactly the two readings made at the
	 * old gain (one per switch) were left out. */
	check_bitexact(&r, 0, 3 * 79);
	simboard_flush(r.sb);
	struct sim_match m;
	sim_match_channel(r.cap, simboard_chip(r.sb, 0), 0, r.hz, 0, simboard_cycle(r.sb), &m);
	ck_assert_msg(m.skipped == 2, "expected 2 readings dropped for gain switches, got %zu",
	              m.skipped);
	check_no_violations(&r);
	check_link_clean(&r, 0);
	rig_close(&r);
}
END_TEST

/* ---- garbage ---- */

START_TEST(garbage_ignored)
{
	struct rig r;
	uint8_t junk[200], b[1];
	uint64_t seed = 0x9E3779B97F4A7C15ULL, t;
	rig_open(&r);
	rig_run(&r, 2.0);
	uint64_t from = simboard_cycle(r.sb);
	for (int burst = 0; burst < 30; burst++) {
		for (size_t i = 0; i < sizeof junk; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			junk[i] = (uint8_t)seed;
		}
		simboard_send(r.sb, junk, sizeof junk);
		rig_run(&r, 0.3);
	}
	uint64_t to = simboard_cycle(r.sb);
	rig_run(&r, 1.0);
	ck_assert_msg(simboard_send_pending(r.sb) == 0, "the board did not take all the bytes");
	b[0] = 0x42;
	t = simboard_cycle(r.sb);
	rig_cmd(&r, BM_CMD_PING, b, 1);
	ck_assert_msg(rig_wait(&r, BM_MSG_ACK, 0x42, t) != NULL, "no ACK to a PING after the garbage");
	struct bm_info_msg in = rig_info(&r, 0x43);
	ck_assert_msg(in.cmd_errors > 0, "6000 random bytes must have been counted as errors");
	ck_assert_msg(in.tx_overflows == 0, "no frame may be dropped, %u were", in.tx_overflows);
	for (int ch = 0; ch < 2; ch++) {
		double hz = sim_capture_rate_hz(r.cap, ch, from, to, NULL);
		ck_assert_msg(fabs(hz - 80.0) <= 0.8, "channel %d during the garbage: %.3f SPS", ch, hz);
	}
	printf("garbage: 6000 random bytes -> %u command errors counted\n", in.cmd_errors);
	check_bitexact(&r, 0, 12 * 79);
	check_no_violations(&r);
	check_link_clean(&r, 0);
	rig_close(&r);
}
END_TEST

/* ---- eeprom ---- */

static const struct cap_info *info_after(struct rig *r, uint64_t from)
{
	for (size_t i = 0; i < r->cap->ninfos; i++)
		if (r->cap->infos[i].cycle >= from)
			return &r->cap->infos[i];
	return NULL;
}

static const struct cap_reply *read_cal(struct rig *r, uint8_t tag)
{
	uint64_t t = simboard_cycle(r->sb);
	rig_cmd(r, BM_CMD_READ_CAL, &tag, 1);
	const struct cap_reply *rep = rig_wait(r, BM_MSG_CAL, tag, t);
	ck_assert_msg(rep != NULL, "READ_CAL (tag %u) got no CAL", tag);
	return rep;
}

START_TEST(eeprom_calibration_survives_reset)
{
	struct rig r;
	struct simboard_cfg cfg;
	struct bm_cal_record c = {.offset_counts = {-85012, 120034},
	                          .scale_n_per_count = {2.3809e-3f, -2.2988e-3f}};
	uint8_t body[1 + BM_CAL_BODY_LEN], image[1024];
	const struct cap_info *boot;
	const struct cap_reply *rep;
	uint64_t t;

	rig_open(&r);
	rig_run(&r, 0.5);
	boot = info_after(&r, 0);
	ck_assert_msg(boot != NULL, "no boot INFO");
	ck_assert_msg(boot->info.cal_state == BM_CAL_NONE, "blank EEPROM must read uncalibrated");
	uint32_t id = boot->info.board_id;
	ck_assert_msg(id != 0 && id != 0xFFFFFFFFu, "board id 0x%08X", id);
	ck_assert_msg(read_cal(&r, 1)->valid == 0, "READ_CAL on a blank EEPROM must say valid 0");

	/* A calibration with an unusable scale is refused, EEPROM untouched. */
	body[0] = 2;
	struct bm_cal_record bad = c;
	bad.scale_n_per_count[0] = 0.0f;
	bm_cal_pack(&bad, body + 1);
	t = simboard_cycle(r.sb);
	rig_cmd(&r, BM_CMD_STORE_CAL, body, sizeof body);
	rep = rig_wait_any(&r, 2, t);
	ck_assert_msg(rep && rep->type == BM_MSG_ERROR && rep->code == BM_CMDERR_VALUE,
	              "STORE_CAL with a zero scale: expected ERROR VALUE");

	body[0] = 3;
	bm_cal_pack(&c, body + 1);
	t = simboard_cycle(r.sb);
	rig_cmd(&r, BM_CMD_STORE_CAL, body, sizeof body);
	rep = rig_wait_any(&r, 3, t);
	ck_assert_msg(rep && rep->type == BM_MSG_ACK && rep->cmd == BM_CMD_STORE_CAL,
	              "STORE_CAL: expected ACK");
	ck_assert_msg(rig_info(&r, 4).cal_state == BM_CAL_VALID, "after STORE_CAL INFO must say valid");
	rep = read_cal(&r, 5);
	ck_assert_msg(rep->valid == 1 && memcmp(&rep->cal, &c, sizeof c) == 0,
	              "READ_CAL must return the stored record");
	simboard_eeprom_read(r.sb, image, sizeof image);
	ck_assert_msg(image[FW_STORE_CAL_ADDR] == FW_STORE_CAL_VERSION, "cal block not in EEPROM");

	/* External reset (the DTR line): same board id, calibration kept.  The
	 * chips are left at gain 64: the firmware must power-cycle them back
	 * to 128 at boot, or its first reading would be at the wrong gain. */
	body[0] = 10;
	body[1] = 64;
	t = simboard_cycle(r.sb);
	rig_cmd(&r, BM_CMD_SET_GAIN, body, 2);
	ck_assert_msg(rig_wait(&r, BM_MSG_ACK, 10, t) != NULL, "SET_GAIN 64 not acknowledged");
	rig_run(&r, 0.1);
	simboard_reset(r.sb);
	t = simboard_cycle(r.sb);
	rig_run(&r, 0.5);
	boot = info_after(&r, t);
	ck_assert_msg(boot != NULL, "no boot INFO after the reset");
	ck_assert_msg(boot->info.reset_cause == BM_RESET_EXTERNAL, "reset cause expected EXTERNAL, got %u",
	              boot->info.reset_cause);
	ck_assert_msg(boot->info.cal_state == BM_CAL_VALID, "calibration lost in the reset");
	ck_assert_msg(boot->info.board_id == id, "board id changed in the reset: 0x%08X -> 0x%08X", id,
	              boot->info.board_id);
	rep = read_cal(&r, 6);
	ck_assert_msg(rep->valid == 1 && memcmp(&rep->cal, &c, sizeof c) == 0,
	              "READ_CAL after the reset must return the stored record");
	ck_assert_msg(boot->info.gain == 128, "after a reset the gain is 128 again, INFO says %u",
	              boot->info.gain);
	check_bitexact(&r, t, 30);
	check_link_clean(&r, 1);
	check_no_violations(&r);
	simboard_eeprom_read(r.sb, image, sizeof image);
	rig_close(&r);

	/* Power cycle: a new board with the same EEPROM. */
	memset(&r, 0, sizeof r);
	simboard_cfg_default(&cfg, s_elf);
	cfg.eeprom = image;
	cfg.eeprom_len = sizeof image;
	rig_open_cfg(&r, &cfg);
	rig_run(&r, 0.5);
	boot = info_after(&r, 0);
	ck_assert_msg(boot && boot->info.reset_cause == BM_RESET_POWER_ON &&
	              boot->info.cal_state == BM_CAL_VALID && boot->info.board_id == id,
	              "after a power cycle: expected POWER_ON, valid calibration, id 0x%08X", id);
	ck_assert_msg(read_cal(&r, 7)->valid == 1, "READ_CAL after a power cycle");
	rig_close(&r);

	/* One flipped bit in the stored block: not trusted any more. */
	image[FW_STORE_CAL_ADDR + 5] ^= 0x10;
	memset(&r, 0, sizeof r);
	simboard_cfg_default(&cfg, s_elf);
	cfg.eeprom = image;
	cfg.eeprom_len = sizeof image;
	rig_open_cfg(&r, &cfg);
	rig_run(&r, 0.5);
	boot = info_after(&r, 0);
	ck_assert_msg(boot && boot->info.cal_state == BM_CAL_NONE,
	              "a corrupt calibration block must read uncalibrated");
	ck_assert_msg(boot->info.board_id == id, "the id block is intact and must be kept");
	ck_assert_msg(read_cal(&r, 8)->valid == 0, "READ_CAL of a corrupt block must say valid 0");
	rig_close(&r);
}
END_TEST

/* ---- saturation ---- */

START_TEST(saturation_flagged)
{
	struct rig r;
	struct simboard_cfg cfg;
	size_t high = 0, low = 0;
	memset(&r, 0, sizeof r);
	simboard_cfg_default(&cfg, s_elf);
	/* The 300 N hold at 4-16 s drives both chips out of range. */
	cfg.chip[0].scale_counts_per_n = 40000;
	cfg.chip[1].scale_counts_per_n = -45000;
	rig_open_cfg(&r, &cfg);
	rig_run(&r, 8.0);
	for (size_t i = 0; i < r.cap->nsamples; i++) {
		const struct bm_sample_msg *m = &r.cap->samples[i].msg;
		ck_assert_msg(((m->flags[0] & BM_CH_SAT_HIGH) != 0) == (m->raw[0] == BM_RAW_MAX),
		              "sample %zu: left raw %d with flags %u", i, m->raw[0], m->flags[0]);
		ck_assert_msg(((m->flags[1] & BM_CH_SAT_LOW) != 0) == (m->raw[1] == BM_RAW_MIN),
		              "sample %zu: right raw %d with flags %u", i, m->raw[1], m->flags[1]);
		high += m->raw[0] == BM_RAW_MAX;
		low += m->raw[1] == BM_RAW_MIN;
	}
	ck_assert_msg(high > 50 && low > 50, "expected saturated readings, got %zu high, %zu low",
	              high, low);
	check_bitexact(&r, 0, 7 * 79);
	check_no_violations(&r);
	rig_close(&r);
}
END_TEST

/* ---- profile ---- */

START_TEST(force_profiles)
{
	char err[512], path[] = "/tmp/bm-test-profile-XXXXXX";
	struct force_profile *p;
	int fd;
	FILE *f;

	/* Synthetic: deterministic, a 300/240 N hold at 10 s. */
	p = force_profile_synthetic();
	ck_assert_ptr_nonnull(p);
	double l = force_profile_at(p, 0, 10.0), rr = force_profile_at(p, 1, 10.0);
	ck_assert_msg(l > 280 && l < 320 && rr > 225 && rr < 260, "hold at 10 s: %.1f / %.1f N", l, rr);
	ck_assert_msg(force_profile_at(p, 0, 10.0) == l, "synthetic must be deterministic");
	force_profile_free(p);

	/* CSV: linear interpolation, empty cells carry the last value, loops. */
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fprintf(f, "# test\nt_s,left_n,right_n\n0.0,100,10\n1.0,200,\n2.0,300,30\n");
	fclose(f);
	p = force_profile_csv(path, err, sizeof err);
	ck_assert_msg(p != NULL, "CSV profile: %s", err);
	ck_assert_msg(fabs(force_profile_at(p, 0, 0.5) - 150.0) < 1e-9, "interpolated %.3f",
	              force_profile_at(p, 0, 0.5));
	ck_assert_msg(fabs(force_profile_at(p, 1, 1.0) - 10.0) < 1e-9, "empty cell: %.3f",
	              force_profile_at(p, 1, 1.0));
	/* Loops after 2 s (+ one 80 Hz step): 2.0125 s is the first row again. */
	ck_assert_msg(fabs(force_profile_at(p, 0, 2.0125) - 100.0) < 1e-6, "loop: %.3f",
	              force_profile_at(p, 0, 2.0125));
	force_profile_free(p);
	unlink(path);
	ck_assert_ptr_null(force_profile_csv("/nonexistent/x.csv", err, sizeof err));

	/* The simulated athlete: same seed, same forces. */
	struct force_profile *a = force_profile_sim(7, err, sizeof err);
	struct force_profile *b = force_profile_sim(7, err, sizeof err);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	for (double t = 0; t < 30; t += 0.37)
		ck_assert_msg(force_profile_at(a, 0, t) == force_profile_at(b, 0, t) &&
		              isfinite(force_profile_at(a, 1, t)), "seeded athlete differs at %.2f s", t);
	force_profile_free(a);
	force_profile_free(b);
}
END_TEST

static Suite *suite_sim(void)
{
	Suite *s = suite_create("sim");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{"stream", stream_60s_bit_exact},
		{"drift", drift_bit_exact},
		{"rate10", rate10_after_command},
		{"stuck", stuck_chip_flagged_and_recovered},
		{"commands", commands_answered},
		{"garbage", garbage_ignored},
		{"eeprom", eeprom_calibration_survives_reset},
		{"saturation", saturation_flagged},
		{"profile", force_profiles},
		{"phase", phase_every_alignment},
		{"phase-long", phase_every_alignment_long},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		TCase *tc = tcase_create(cases[i].name);
		/* Simulated seconds run at a few times real time; the meson test
		 * timeout is the real limit. */
		tcase_set_timeout(tc, 300);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: test_sim FIRMWARE.elf [TCASE]\n");
		return EXIT_FAILURE;
	}
	s_elf = argv[1];
	SRunner *sr = srunner_create(suite_sim());
	srunner_run(sr, NULL, argc == 3 ? argv[2] : NULL, CK_NORMAL);
	int run = srunner_ntests_run(sr);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (run == 0) {
		fprintf(stderr, "test_sim: no test case named '%s'\n", argc == 3 ? argv[2] : "");
		return EXIT_FAILURE;
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
