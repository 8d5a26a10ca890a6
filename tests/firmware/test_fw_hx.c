/*
 * test_fw_hx.c - HX711 read scheduling, driven with made-up ready signals
 * and times: pairing of the two chips, flagging a chip that stays not ready
 * for 3 periods while the other streams, recovery resets and the
 * BM_CH_RESET mark, settling after a rate change, the dropped first reading
 * after a gain change, the guard that keeps a read clear of the next
 * conversion of a chip whose word waited, sign extension and saturation,
 * all across the wrap of the microsecond clock.
 */
#include <check.h>
#include <stdint.h>

#include "fw_hx.h"
#include "fw_tests.h"

#define P80 12500u
#define L FW_HX_BIT(BM_LEFT)
#define R FW_HX_BIT(BM_RIGHT)

/* Start times: one ordinary, one just before the u32 clock wraps. */
static const uint32_t t_starts[] = {1000u, 0xFFFFFFFFu - 3u * P80};

START_TEST(hx_sign_and_saturation)
{
	ck_assert_int_eq(fw_hx_sign_extend(0x000000), 0);
	ck_assert_int_eq(fw_hx_sign_extend(0x000001), 1);
	ck_assert_int_eq(fw_hx_sign_extend(0x7FFFFF), 8388607);
	ck_assert_int_eq(fw_hx_sign_extend(0x800000), -8388608);
	ck_assert_int_eq(fw_hx_sign_extend(0xFFFFFF), -1);
	ck_assert_msg(fw_hx_sign_extend(0xAB123456u) == 0x123456,
	              "bits above 24 must be ignored, got %d", fw_hx_sign_extend(0xAB123456u));
	ck_assert_int_eq(fw_hx_sat_flags(BM_RAW_MAX), BM_CH_SAT_HIGH);
	ck_assert_int_eq(fw_hx_sat_flags(BM_RAW_MIN), BM_CH_SAT_LOW);
	ck_assert_int_eq(fw_hx_sat_flags(BM_RAW_MAX - 1), 0);
	ck_assert_int_eq(fw_hx_sat_flags(BM_RAW_MIN + 1), 0);
}
END_TEST

START_TEST(hx_waits_for_both_then_reads_both)
{
	uint32_t t0 = t_starts[_i];
	struct fw_hx hx;
	struct bm_sample_msg m;
	uint8_t mask = 0xEE;
	const uint32_t bits[2] = {0x000123, 0xFFFFFE};

	fw_hx_init(&hx, t0, 80, 128);
	ck_assert_int_eq(fw_hx_pulses(&hx), 25);
	ck_assert_int_eq(fw_hx_poll(&hx, t0 + 1000, 0, &mask), FW_HX_IDLE);
	ck_assert_msg(mask == 0, "no read: mask must be 0, got %u", mask);
	/* Left ready first: wait for right (still inside its deadline). */
	ck_assert_int_eq(fw_hx_poll(&hx, t0 + 4 * P80, L, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, t0 + 5 * P80, L | R, &mask), FW_HX_READ);
	ck_assert_msg(mask == (L | R), "both must be read, mask %u", mask);
	ck_assert_int_eq(fw_hx_read_done(&hx, t0 + 5 * P80, mask, bits, &m), 1);
	ck_assert_msg(m.raw[0] == 0x123 && m.raw[1] == -2, "raw expected 291/-2, got %d/%d",
	              m.raw[0], m.raw[1]);
	ck_assert_msg(m.flags[0] == 0 && m.flags[1] == 0,
	              "boot readings carry no flags, got %u/%u", m.flags[0], m.flags[1]);
	ck_assert_msg(m.t_us == t0 + 5 * P80, "t_us must be the read time");
	/* A chip one period late is waited for, never flagged. */
	uint32_t t = t0 + 5 * P80;
	for (int k = 1; k <= 20; k++) {
		t += P80 + 400;  /* a slow oscillator */
		ck_assert_int_eq(fw_hx_poll(&hx, t, R, &mask), FW_HX_IDLE);
		ck_assert_int_eq(fw_hx_poll(&hx, t + 300, L | R, &mask), FW_HX_READ);
		fw_hx_read_done(&hx, t + 300, mask, bits, &m);
		ck_assert_msg(m.flags[0] == 0 && m.flags[1] == 0, "pair %d flagged", k);
		t += 300;
	}
}
END_TEST

START_TEST(hx_flags_dead_chip_within_3_periods)
{
	uint32_t t0 = t_starts[_i];
	struct fw_hx hx;
	struct bm_sample_msg m;
	uint8_t mask;
	const uint32_t bits[2] = {1000, 2000};
	uint32_t t_last;

	fw_hx_init(&hx, t0, 80, 128);
	ck_assert_int_eq(fw_hx_poll(&hx, t0 + 4 * P80, L | R, &mask), FW_HX_READ);
	fw_hx_read_done(&hx, t0 + 4 * P80, mask, bits, &m);
	t_last = t0 + 4 * P80;
	/* From here the right chip never gets ready again. */
	ck_assert_int_eq(fw_hx_poll(&hx, t_last + 3 * P80 - 1, L, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, t_last + 3 * P80, L, &mask), FW_HX_READ);
	ck_assert_msg(mask == L, "only left must be read, mask %u", mask);
	ck_assert_int_eq(fw_hx_read_done(&hx, t_last + 3 * P80, mask, bits, &m), 1);
	ck_assert_msg(m.flags[1] == BM_CH_NOT_READY && m.raw[1] == 0,
	              "right expected NOT_READY with raw 0, got flags %u raw %d", m.flags[1], m.raw[1]);
	ck_assert_msg(m.flags[0] == 0 && m.raw[0] == 1000, "left must stream on");
	ck_assert_int_eq(fw_hx_flagged(&hx), R);
	/* The first recovery reset comes right away. */
	uint32_t t = t_last + 3 * P80 + 100;
	ck_assert_int_eq(fw_hx_poll(&hx, t, 0, &mask), FW_HX_RESET);
	fw_hx_reset_done(&hx, t);
	/* Left settles; right gets until 5 periods (probation), then left alone. */
	ck_assert_int_eq(fw_hx_poll(&hx, t + 4 * P80, L, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, t + 5 * P80, L, &mask), FW_HX_READ);
	ck_assert_int_eq(mask, L);
	fw_hx_read_done(&hx, t + 5 * P80, mask, bits, &m);
	ck_assert_msg(m.flags[0] == BM_CH_RESET, "left's first reading after the reset must say RESET, got %u",
	              m.flags[0]);
	ck_assert_int_eq(m.flags[1], BM_CH_NOT_READY);
	/* Without waiting for the dead chip, left streams each period. */
	for (uint32_t dt = 6 * P80; dt < FW_HX_RETRY_US; dt += P80) {
		ck_assert_int_eq(fw_hx_poll(&hx, t + dt, L, &mask), FW_HX_READ);
		fw_hx_read_done(&hx, t + dt, mask, bits, &m);
		ck_assert_msg(m.flags[0] == 0 && m.flags[1] == BM_CH_NOT_READY, "reading at +%u us: flags %u/%u",
		              dt, m.flags[0], m.flags[1]);
	}
	/* No new reset before a second has passed... */
	ck_assert_int_eq(fw_hx_poll(&hx, t + FW_HX_RETRY_US - 1, 0, &mask), FW_HX_IDLE);
	/* ...then one; this time the right chip comes back and both are read. */
	uint32_t t2 = t + FW_HX_RETRY_US;
	ck_assert_int_eq(fw_hx_poll(&hx, t2, 0, &mask), FW_HX_RESET);
	fw_hx_reset_done(&hx, t2);
	ck_assert_int_eq(fw_hx_poll(&hx, t2 + 4 * P80, L | R, &mask), FW_HX_READ);
	ck_assert_int_eq(mask, L | R);
	fw_hx_read_done(&hx, t2 + 4 * P80, mask, bits, &m);
	ck_assert_msg(m.flags[0] == BM_CH_RESET && m.flags[1] == BM_CH_RESET,
	              "both recovered readings must say RESET, got %u/%u", m.flags[0], m.flags[1]);
	ck_assert_int_eq(fw_hx_flagged(&hx), 0);
	ck_assert_int_eq(fw_hx_poll(&hx, t2 + 5 * P80, L | R, &mask), FW_HX_READ);
	fw_hx_read_done(&hx, t2 + 5 * P80, mask, bits, &m);
	ck_assert_msg(m.flags[0] == 0 && m.flags[1] == 0, "RESET must be on the first reading only");
}
END_TEST

START_TEST(hx_both_dead_resets_every_second)
{
	struct fw_hx hx;
	uint8_t mask;
	uint32_t t0 = t_starts[_i], t;
	fw_hx_init(&hx, t0, 80, 128);
	/* Nothing ever ready: flagged at settle + 3 periods, reset at once. */
	ck_assert_int_eq(fw_hx_poll(&hx, t0 + 7 * P80 - 1, 0, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, t0 + 7 * P80, 0, &mask), FW_HX_RESET);
	ck_assert_int_eq(fw_hx_flagged(&hx), L | R);
	t = t0 + 7 * P80;
	for (int k = 0; k < 5; k++) {
		fw_hx_reset_done(&hx, t);
		ck_assert_int_eq(fw_hx_poll(&hx, t + FW_HX_RETRY_US / 2, 0, &mask), FW_HX_IDLE);
		ck_assert_int_eq(fw_hx_poll(&hx, t + FW_HX_RETRY_US, 0, &mask), FW_HX_RESET);
		t += FW_HX_RETRY_US;
	}
}
END_TEST

START_TEST(hx_retry_interval_at_10sps)
{
	struct fw_hx hx;
	uint8_t mask;
	uint32_t t0 = t_starts[_i], t;
	fw_hx_init(&hx, t0, 10, 128);
	/* Dead chips at 10 SPS: flagged after settle + 3 periods (700 ms)... */
	ck_assert_int_eq(fw_hx_poll(&hx, t0 + 699999, 0, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, t0 + 700000, 0, &mask), FW_HX_RESET);
	t = t0 + 700000;
	fw_hx_reset_done(&hx, t);
	/* ...and retried every 25 periods (2.5 s), not every second. */
	ck_assert_int_eq(fw_hx_poll(&hx, t + 2499999, 0, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, t + 2500000, 0, &mask), FW_HX_RESET);
}
END_TEST

START_TEST(hx_rate_change_allows_settling)
{
	struct fw_hx hx;
	struct bm_sample_msg m;
	uint8_t mask;
	const uint32_t bits[2] = {5, 6};
	uint32_t t0 = t_starts[_i];
	fw_hx_init(&hx, t0, 80, 128);
	ck_assert_int_eq(fw_hx_poll(&hx, t0 + 4 * P80, L | R, &mask), FW_HX_READ);
	fw_hx_read_done(&hx, t0 + 4 * P80, mask, bits, &m);
	uint32_t t = t0 + 4 * P80 + 1000;
	fw_hx_set_rate(&hx, t, 10);
	ck_assert_int_eq(fw_hx_rate_sps(&hx), 10);
	/* 10 SPS settles in 400 ms: nothing is flagged for 7 x 100 ms. */
	uint32_t tr = t + 699999;
	ck_assert_int_eq(fw_hx_poll(&hx, tr, L, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_flagged(&hx), 0);
	ck_assert_int_eq(fw_hx_poll(&hx, tr, L | R, &mask), FW_HX_READ);
	fw_hx_read_done(&hx, tr, mask, bits, &m);
	/* The miss deadline is now 3 x 100 ms. */
	ck_assert_int_eq(fw_hx_poll(&hx, tr + 299999, L, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, tr + 300000, L, &mask), FW_HX_READ);
	ck_assert_int_eq(fw_hx_flagged(&hx), R);
}
END_TEST

START_TEST(hx_gain_change_drops_one_reading)
{
	struct fw_hx hx;
	struct bm_sample_msg m;
	uint8_t mask;
	const uint32_t bits[2] = {5, 6};
	uint32_t t = t_starts[_i];
	fw_hx_init(&hx, t, 80, 128);
	t += 4 * P80;
	ck_assert_int_eq(fw_hx_poll(&hx, t, L | R, &mask), FW_HX_READ);
	ck_assert_int_eq(fw_hx_read_done(&hx, t, mask, bits, &m), 1);
	fw_hx_set_gain(&hx, 64);
	ck_assert_int_eq(fw_hx_gain(&hx), 64);
	ck_assert_int_eq(fw_hx_pulses(&hx), 27);
	t += P80;
	ck_assert_int_eq(fw_hx_poll(&hx, t, L | R, &mask), FW_HX_READ);
	ck_assert_msg(fw_hx_read_done(&hx, t, mask, bits, &m) == 0,
	              "the reading converted at gain 128 must not be sent");
	t += P80;
	ck_assert_int_eq(fw_hx_poll(&hx, t, L | R, &mask), FW_HX_READ);
	ck_assert_msg(fw_hx_read_done(&hx, t, mask, bits, &m) == 1, "the next one is at gain 64");
	/* A reset puts the chips back at gain 128: one more dropped reading,
	 * and the RESET mark waits for the first one that is sent. */
	fw_hx_reset_done(&hx, t);
	t += 4 * P80;
	ck_assert_int_eq(fw_hx_poll(&hx, t, L | R, &mask), FW_HX_READ);
	ck_assert_int_eq(fw_hx_read_done(&hx, t, mask, bits, &m), 0);
	t += P80;
	ck_assert_int_eq(fw_hx_poll(&hx, t, L | R, &mask), FW_HX_READ);
	ck_assert_int_eq(fw_hx_read_done(&hx, t, mask, bits, &m), 1);
	ck_assert_msg(m.flags[0] == BM_CH_RESET && m.flags[1] == BM_CH_RESET,
	              "RESET must be on the first sent reading, got %u/%u", m.flags[0], m.flags[1]);
}
END_TEST

START_TEST(hx_saturation_in_samples)
{
	struct fw_hx hx;
	struct bm_sample_msg m;
	uint8_t mask;
	const uint32_t bits[2] = {0x7FFFFF, 0x800000};
	fw_hx_init(&hx, 0, 80, 128);
	ck_assert_int_eq(fw_hx_poll(&hx, 4 * P80, L | R, &mask), FW_HX_READ);
	fw_hx_read_done(&hx, 4 * P80, mask, bits, &m);
	ck_assert_msg(m.flags[0] == BM_CH_SAT_HIGH && m.flags[1] == BM_CH_SAT_LOW,
	              "flags expected SAT_HIGH/SAT_LOW, got %u/%u", m.flags[0], m.flags[1]);
	ck_assert_int_eq(m.raw[1], BM_RAW_MIN);
}
END_TEST

/* Poll every 20 us from @p from to @p to with @p ready; the first cycle
 * that says READ, or 0 when none did. */
static uint32_t poll_until_read(struct fw_hx *hx, uint32_t from, uint32_t to, uint8_t ready,
                                uint8_t *mask)
{
	for (uint32_t t = from; (int32_t)(to - t) >= 0; t += 20)
		if (fw_hx_poll(hx, t, ready, mask) == FW_HX_READ)
			return t;
	return 0;
}

/*
 * The shared clock guard: the left chip's word came at t_l (seen within
 * 20 us), the right chip's comes a whole left period later, just when the
 * left chip's next conversion is due.  The read waits until that
 * conversion is surely over (nominal period + 5 % + FW_HX_GUARD_US after
 * the word), and no longer; a read far from any conversion is not held.
 */
START_TEST(hx_read_waits_out_a_conversion_of_the_waiting_chip)
{
	uint32_t t0 = t_starts[_i];
	struct fw_hx hx;
	struct bm_sample_msg m;
	uint8_t mask;
	const uint32_t bits[2] = {1, 2};
	const uint32_t p_max = P80 / 100u * (100u + FW_HX_OSC_TOL_PCT);
	const uint32_t p_min = P80 / 100u * (100u - FW_HX_OSC_TOL_PCT);

	fw_hx_init(&hx, t0, 80, 128);
	uint32_t t = t0 + 4 * P80;
	/* Both words came together: read at once. */
	ck_assert_int_eq(fw_hx_poll(&hx, t - 20, 0, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, t, L | R, &mask), FW_HX_READ);
	fw_hx_read_done(&hx, t, mask, bits, &m);

	/* Left's word comes in (t_l - 20, t_l]. */
	uint32_t t_l = t + 5000;
	ck_assert_int_eq(fw_hx_poll(&hx, t_l - 20, 0, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, t_l, L, &mask), FW_HX_IDLE);
	/* Right's word far from left's next conversion: no hold. */
	ck_assert_int_eq(fw_hx_poll(&hx, t_l + P80 / 2, L | R, &mask), FW_HX_READ);
	fw_hx_read_done(&hx, t_l + P80 / 2, mask, bits, &m);

	/* Again, but right's word comes one left period later: every poll
	 * from where left's next conversion could fall inside a read, up to
	 * where it is surely over, holds back. */
	t_l += P80;
	ck_assert_int_eq(fw_hx_poll(&hx, t_l - 20, 0, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, t_l, L, &mask), FW_HX_IDLE);
	uint32_t first_held = t_l - 20 + p_min - FW_HX_READ_US + 20;
	ck_assert_int_eq(fw_hx_poll(&hx, first_held - 40, L, &mask), FW_HX_IDLE);
	uint32_t read_at = poll_until_read(&hx, first_held, t_l + 2 * P80, L | R, &mask);
	ck_assert_msg(read_at != 0, "never read");
	ck_assert_msg((int32_t)(read_at - (t_l + p_max + FW_HX_GUARD_US)) > 0,
	              "read %d us after the word: left's conversion could still be due",
	              (int)(read_at - t_l));
	ck_assert_msg(read_at - (t_l + p_max + FW_HX_GUARD_US) <= 20,
	              "held back %d us longer than needed", (int)(read_at - (t_l + p_max)));
	ck_assert_msg(read_at - first_held <= 1500, "held back %u us (at most ~1.5 ms at 80 SPS)",
	              (unsigned)(read_at - first_held));
	ck_assert_msg(mask == (L | R), "both read, mask %u", mask);
	ck_assert_int_eq(fw_hx_read_done(&hx, read_at, mask, bits, &m), 1);
	ck_assert_msg(m.flags[0] == 0 && m.flags[1] == 0, "no flag for a held read");
}
END_TEST

/* A chip at the edge of the tolerance (period 5 % short) converts
 * p_min after its word: a read polled 60 us before that would still be
 * clocking then (a read takes 45-49 us in simavr, and the poll a few more),
 * so it waits; one polled 300 us before is clear of it. */
START_TEST(hx_guard_covers_a_whole_read)
{
	struct fw_hx hx;
	struct bm_sample_msg m;
	uint8_t mask;
	const uint32_t bits[2] = {1, 2};
	const uint32_t p_min = P80 / 100u * (100u - FW_HX_OSC_TOL_PCT);

	for (int late = 0; late < 2; late++) {
		fw_hx_init(&hx, 0, 80, 128);
		ck_assert_int_eq(fw_hx_poll(&hx, 4 * P80 - 20, 0, &mask), FW_HX_IDLE);
		ck_assert_int_eq(fw_hx_poll(&hx, 4 * P80, L | R, &mask), FW_HX_READ);
		fw_hx_read_done(&hx, 4 * P80, mask, bits, &m);
		uint32_t t_l = 4 * P80 + 3000;
		ck_assert_int_eq(fw_hx_poll(&hx, t_l - 10, 0, &mask), FW_HX_IDLE);
		ck_assert_int_eq(fw_hx_poll(&hx, t_l, L, &mask), FW_HX_IDLE);
		uint32_t t = t_l + p_min - (late ? 60 : 300);
		ck_assert_int_eq(fw_hx_poll(&hx, t - 20, L, &mask), FW_HX_IDLE);
		ck_assert_msg(fw_hx_poll(&hx, t, L | R, &mask) == (late ? FW_HX_IDLE : FW_HX_READ),
		              "right ready %u us before left's earliest next conversion: %s expected",
		              late ? 60u : 300u, late ? "wait" : "read");
	}
}
END_TEST

/* When the polls were too far apart to know when a word came, the guard
 * cannot place the next conversion and must not stall the stream. */
START_TEST(hx_guard_does_not_stall_on_unknown_timing)
{
	struct fw_hx hx;
	struct bm_sample_msg m;
	uint8_t mask;
	const uint32_t bits[2] = {1, 2};

	fw_hx_init(&hx, 0, 80, 128);
	ck_assert_int_eq(fw_hx_poll(&hx, 4 * P80, L | R, &mask), FW_HX_READ);
	fw_hx_read_done(&hx, 4 * P80, mask, bits, &m);
	/* Left seen ready only 5 ms after the read (a long pass): its word came
	 * somewhere in 5 ms. */
	ck_assert_int_eq(fw_hx_poll(&hx, 4 * P80 + 5000, L, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, 5 * P80 + 5000, L | R, &mask), FW_HX_READ);
}
END_TEST

/* At 10 SPS the same guard, with the 100 ms period. */
START_TEST(hx_guard_at_10sps)
{
	struct fw_hx hx;
	struct bm_sample_msg m;
	uint8_t mask;
	const uint32_t bits[2] = {1, 2};
	const uint32_t p = 100000u, p_max = p / 100u * (100u + FW_HX_OSC_TOL_PCT);

	fw_hx_init(&hx, 0, 10, 128);
	ck_assert_int_eq(fw_hx_poll(&hx, 4 * p - 20, 0, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, 4 * p, L | R, &mask), FW_HX_READ);
	fw_hx_read_done(&hx, 4 * p, mask, bits, &m);
	uint32_t t_l = 4 * p + 30000;
	ck_assert_int_eq(fw_hx_poll(&hx, t_l - 20, 0, &mask), FW_HX_IDLE);
	ck_assert_int_eq(fw_hx_poll(&hx, t_l, L, &mask), FW_HX_IDLE);
	/* Right 1 % slower: its word comes just after left's next one. */
	uint32_t t_r = t_l + p + 100;
	ck_assert_int_eq(fw_hx_poll(&hx, t_r - 20, L, &mask), FW_HX_IDLE);
	uint32_t read_at = poll_until_read(&hx, t_r, t_l + 2 * p, L | R, &mask);
	ck_assert_msg(read_at != 0 && (int32_t)(read_at - (t_l + p_max + FW_HX_GUARD_US)) > 0,
	              "read %d us after left's word, before its next conversion was surely over",
	              (int)(read_at - t_l));
}
END_TEST

Suite *suite_fw_hx(void)
{
	Suite *s = suite_create("fw_hx");
	TCase *tc = tcase_create("values");
	tcase_add_test(tc, hx_sign_and_saturation);
	tcase_add_test(tc, hx_saturation_in_samples);
	suite_add_tcase(s, tc);
	tc = tcase_create("scheduling");
	tcase_add_loop_test(tc, hx_waits_for_both_then_reads_both, 0, 2);
	tcase_add_loop_test(tc, hx_flags_dead_chip_within_3_periods, 0, 2);
	tcase_add_loop_test(tc, hx_both_dead_resets_every_second, 0, 2);
	tcase_add_loop_test(tc, hx_rate_change_allows_settling, 0, 2);
	tcase_add_loop_test(tc, hx_retry_interval_at_10sps, 0, 2);
	tcase_add_loop_test(tc, hx_gain_change_drops_one_reading, 0, 2);
	tcase_add_loop_test(tc, hx_read_waits_out_a_conversion_of_the_waiting_chip, 0, 2);
	tcase_add_test(tc, hx_guard_covers_a_whole_read);
	tcase_add_test(tc, hx_guard_does_not_stall_on_unknown_timing);
	tcase_add_test(tc, hx_guard_at_10sps);
	suite_add_tcase(s, tc);
	return s;
}
