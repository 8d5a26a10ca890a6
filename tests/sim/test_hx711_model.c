/*
 * test_hx711_model.c - the HX711 model against the datasheet, driven
 * directly (no simulator): conversion timing at 80 and 10 SPS with the
 * oscillator error and the settling time, MSB-first shifting with the
 * output delay, 25/26/27 pulses selecting gain and channel, power-down at
 * 60 us and reset, each kind of timing violation, saturation, the stuck
 * fault, an unread conversion replaced under a low DOUT, and a conversion
 * completing inside a read (torn).  The firmware
 * proofs in test_sim.c are only as good as this model.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hx711_model.h"

#define HZ 16000000.0
#define US(x) ((uint64_t)((x) * 16.0))
#define P80 200000.0    /* 12.5 ms in cycles */

struct bench {
	struct hx711_model *m;
	uint64_t t;         /* current cycle */
	double force;
	int dout_changes;
};

static double force_fn(void *ctx, int chip, double t_s)
{
	(void)chip;
	(void)t_s;
	return ((struct bench *)ctx)->force;
}

static void dout_fn(void *ctx, int chip, int level, uint64_t cycle)
{
	(void)chip;
	(void)level;
	(void)cycle;
	((struct bench *)ctx)->dout_changes++;
}

static void bench_open(struct bench *b, double osc_err, double offset, double scale)
{
	struct hx711_model_cfg cfg = {
		.chip = 0, .cpu_hz = HZ, .osc_err = osc_err, .start_phase = 0,
		.offset_counts = offset, .scale_counts_per_n = scale, .noise_counts = 0,
		.seed = 1, .force = force_fn, .dout = dout_fn,
	};
	b->t = 0;
	b->force = 0;
	b->dout_changes = 0;
	cfg.force_ctx = b;
	cfg.dout_ctx = b;
	b->m = hx711_model_new(&cfg, 0);
	ck_assert_ptr_nonnull(b->m);
}

static void go(struct bench *b, uint64_t cycles)
{
	b->t += cycles;
	hx711_model_advance(b->m, b->t);
}

/* Run until DOUT goes low; returns the cycle it did. */
static uint64_t wait_ready(struct bench *b)
{
	while (hx711_model_dout(b->m)) {
		uint64_t next = hx711_model_next_event(b->m);
		ck_assert_msg(next != HX711_NEVER, "chip never gets ready");
		b->t = next;
		hx711_model_advance(b->m, b->t);
	}
	return b->t;
}

/* One SCK pulse; returns DOUT just before the falling edge. */
static int pulse(struct bench *b, uint64_t high, uint64_t low)
{
	int d;
	hx711_model_sck(b->m, 1, b->t);
	go(b, high);
	d = hx711_model_dout(b->m);
	hx711_model_sck(b->m, 0, b->t);
	go(b, low);
	return d;
}

/* A read of @p n pulses with 1 us high/low, starting 1 us after now (T1);
 * the 24 bits, sign-extended. */
static int32_t read_n(struct bench *b, int n)
{
	uint32_t v = 0;
	go(b, US(1));
	for (int i = 0; i < n; i++) {
		int d = pulse(b, US(1), US(1));
		if (i < 24)
			v = (v << 1) | (uint32_t)d;
	}
	if (v & 0x800000u)
		v |= 0xFF000000u;
	return (int32_t)v;
}

static uint64_t violations(struct bench *b)
{
	struct hx711_stats st;
	hx711_model_stats(b->m, &st);
	char line[256];
	if (hx711_stats_violations(&st))
		fprintf(stderr, "%s\n", hx711_stats_describe(&st, HZ, line, sizeof line));
	return hx711_stats_violations(&st);
}

START_TEST(model_conversion_timing)
{
	struct bench b;
	bench_open(&b, 0.015, 0, 0);
	double period = P80 / 1.015;
	uint64_t first = wait_ready(&b);
	/* Power-up: settling of 4 periods. */
	ck_assert_msg(llabs((long long)first - (long long)(4 * period)) <= 1,
	              "first data at %llu cycles, expected %.0f", (unsigned long long)first, 4 * period);
	read_n(&b, 25);
	uint64_t second = wait_ready(&b);
	ck_assert_msg(llabs((long long)(second - first) - (long long)period) <= 1,
	              "period %llu cycles, expected %.0f", (unsigned long long)(second - first), period);
	/* RATE low: 10 SPS, settling 400 ms. */
	read_n(&b, 25);
	hx711_model_rate(b.m, 0, b.t);
	uint64_t t_rate = b.t;
	uint64_t third = wait_ready(&b);
	ck_assert_msg(llabs((long long)(third - t_rate) - (long long)(4 * 8 * period)) <= 1,
	              "after RATE low: data after %llu cycles, expected %.0f",
	              (unsigned long long)(third - t_rate), 32 * period);
	read_n(&b, 25);
	uint64_t fourth = wait_ready(&b);
	ck_assert_msg(llabs((long long)(fourth - third) - (long long)(8 * period)) <= 1,
	              "10 SPS period %llu cycles", (unsigned long long)(fourth - third));
	ck_assert_int_eq(violations(&b), 0);
	hx711_model_free(b.m);
}
END_TEST

START_TEST(model_shifts_msb_first_after_t2)
{
	struct bench b;
	bench_open(&b, 0, 0, 1000);
	b.force = 1234.567;  /* 1234567 counts = 0x12D687 */
	wait_ready(&b);
	go(&b, US(1));
	/* The bit appears 0.1 us (2 cycles) after the rising edge, not at it. */
	int before = hx711_model_dout(b.m);
	hx711_model_sck(b.m, 1, b.t);
	go(&b, 1);
	ck_assert_msg(hx711_model_dout(b.m) == before, "DOUT changed within 1 cycle of the edge");
	go(&b, 2);
	ck_assert_msg(hx711_model_dout(b.m) == 0, "MSB of 0x12D687 is 0");
	go(&b, 2);   /* 5 cycles high: above the 0.2 us minimum */
	hx711_model_sck(b.m, 0, b.t);
	go(&b, US(1));
	uint32_t v = 0;
	for (int i = 1; i < 24; i++)
		v = (v << 1) | (uint32_t)pulse(&b, US(1), US(1));
	ck_assert_msg(v == 0x12D687u, "shifted 0x%06X, expected 0x12D687", v);
	ck_assert_msg(pulse(&b, US(1), US(1)) == 1, "the 25th pulse pulls DOUT high");
	go(&b, US(30));
	hx711_model_flush(b.m, b.t);
	const struct hx711_read *r;
	ck_assert_int_eq(hx711_model_reads(b.m, &r), 1);
	ck_assert_msg(r[0].value == 1234567 && r[0].pulses == 25 && r[0].conv_gain == 128,
	              "record: value %d pulses %u gain %u", r[0].value, r[0].pulses, r[0].conv_gain);
	ck_assert_int_eq(violations(&b), 0);
	hx711_model_free(b.m);
}
END_TEST

START_TEST(model_pulse_count_selects_gain)
{
	struct bench b;
	bench_open(&b, 0, 100000, 0);
	wait_ready(&b);
	ck_assert_int_eq(read_n(&b, 27), 100000);   /* this one at 128; next at 64 */
	wait_ready(&b);
	ck_assert_int_eq(read_n(&b, 26), 50000);    /* gain 64; next channel B */
	wait_ready(&b);
	ck_assert_int_eq(read_n(&b, 25), 0);        /* channel B: nothing connected */
	wait_ready(&b);
	ck_assert_int_eq(read_n(&b, 25), 100000);   /* back to A, 128 */
	ck_assert_int_eq(violations(&b), 0);
	hx711_model_free(b.m);
}
END_TEST

START_TEST(model_power_down_and_reset)
{
	struct bench b;
	struct hx711_stats st;
	bench_open(&b, 0, 7, 0);
	wait_ready(&b);
	read_n(&b, 27);                 /* select gain 64 */
	go(&b, US(100));
	hx711_model_sck(b.m, 1, b.t);
	go(&b, US(59));
	hx711_model_advance(b.m, b.t);
	go(&b, US(2));                  /* 61 us high: powered down */
	ck_assert_msg(hx711_model_dout(b.m) == 1, "a powered-down chip has DOUT high");
	uint64_t next = hx711_model_next_event(b.m);
	ck_assert_msg(next == HX711_NEVER, "a powered-down chip does not convert");
	hx711_model_sck(b.m, 0, b.t);   /* reset */
	uint64_t t_reset = b.t;
	uint64_t ready = wait_ready(&b);
	ck_assert_msg(llabs((long long)(ready - t_reset) - (long long)(4 * P80)) <= 1,
	              "first data %llu cycles after reset, expected 4 periods",
	              (unsigned long long)(ready - t_reset));
	ck_assert_msg(read_n(&b, 25) == 7, "after reset the gain is 128 again");
	hx711_model_stats(b.m, &st);
	ck_assert_msg(st.power_downs == 1 && hx711_stats_violations(&st) == 0,
	              "a reset pulse is no violation (power downs %llu, violations %llu)",
	              (unsigned long long)st.power_downs,
	              (unsigned long long)hx711_stats_violations(&st));
	hx711_model_free(b.m);
}
END_TEST

START_TEST(model_counts_violations)
{
	struct bench b;
	struct hx711_stats st;

	/* Clocked while not ready. */
	bench_open(&b, 0, 0, 0);
	go(&b, US(10));
	pulse(&b, US(1), US(1));
	hx711_model_stats(b.m, &st);
	ck_assert_msg(st.violation_not_ready == 1, "not-ready pulse: %llu",
	              (unsigned long long)st.violation_not_ready);
	hx711_model_free(b.m);

	/* A 55 us high in the middle of a read (an interrupt). */
	bench_open(&b, 0, 0, 0);
	wait_ready(&b);
	go(&b, US(1));
	for (int i = 0; i < 10; i++)
		pulse(&b, US(1), US(1));
	pulse(&b, US(55), US(1));
	for (int i = 0; i < 14; i++)
		pulse(&b, US(1), US(1));
	hx711_model_stats(b.m, &st);
	ck_assert_msg(st.violation_high_50us == 1, "55 us high: %llu",
	              (unsigned long long)st.violation_high_50us);
	hx711_model_free(b.m);

	/* A 70 us high in the middle of a read: the chip dies mid-read. */
	bench_open(&b, 0, 0, 0);
	wait_ready(&b);
	go(&b, US(1));
	for (int i = 0; i < 10; i++)
		pulse(&b, US(1), US(1));
	pulse(&b, US(70), US(1));
	hx711_model_stats(b.m, &st);
	ck_assert_msg(st.violation_power_down_in_read == 1, "power-down in a read: %llu",
	              (unsigned long long)st.violation_power_down_in_read);
	hx711_model_free(b.m);

	/* 24 pulses only; then a too-short pulse in the next read. */
	bench_open(&b, 0, 0, 0);
	wait_ready(&b);
	read_n(&b, 24);
	go(&b, US(100));
	wait_ready(&b);
	go(&b, US(1));
	pulse(&b, 2, US(1));   /* 125 ns high */
	hx711_model_stats(b.m, &st);
	ck_assert_msg(st.violation_pulse_count == 1 && st.violation_short_pulse == 1,
	              "pulse count %llu, short %llu", (unsigned long long)st.violation_pulse_count,
	              (unsigned long long)st.violation_short_pulse);
	hx711_model_free(b.m);
}
END_TEST

START_TEST(model_saturates)
{
	struct bench b;
	bench_open(&b, 0, 0, 100000);
	b.force = 1000;
	wait_ready(&b);
	ck_assert_int_eq(read_n(&b, 25), 8388607);
	b.force = -1000;
	wait_ready(&b);
	ck_assert_int_eq(read_n(&b, 25), -8388608);
	hx711_model_free(b.m);
}
END_TEST

START_TEST(model_stuck_until_power_cycle)
{
	struct bench b;
	bench_open(&b, 0, 0, 0);
	hx711_model_set_stuck(b.m, 10 * (uint64_t)P80, 20 * (uint64_t)P80);
	go(&b, 11 * (uint64_t)P80);
	ck_assert_msg(hx711_model_is_stuck(b.m) && hx711_model_dout(b.m) == 1, "stuck: DOUT high");
	for (int i = 0; i < 30; i++)
		pulse(&b, US(1), US(1));     /* ignored, no violation */
	/* A power cycle before the cure time does not help. */
	pulse(&b, US(100), US(1));
	ck_assert_msg(hx711_model_is_stuck(b.m), "still stuck before the cure time");
	go(&b, 10 * (uint64_t)P80);
	pulse(&b, US(100), US(1));
	ck_assert_msg(!hx711_model_is_stuck(b.m), "a power cycle after the cure time cures it");
	wait_ready(&b);
	ck_assert_int_eq(violations(&b), 0);
	hx711_model_free(b.m);
}
END_TEST

START_TEST(model_unread_conversion_replaced)
{
	struct bench b;
	struct hx711_stats st;
	bench_open(&b, 0, 0, 1000);
	b.force = 1;
	uint64_t t0 = wait_ready(&b);
	int changes = b.dout_changes;
	b.force = 2;
	/* Not read for one period: the next conversion replaces the word,
	 * DOUT stays low (no edge), and a read gets the new word. */
	go(&b, (uint64_t)P80 + US(50));
	ck_assert_int_eq(hx711_model_dout(b.m), 0);
	ck_assert_msg(b.dout_changes == changes, "DOUT must not move when unread data is replaced");
	ck_assert_int_eq(read_n(&b, 25), 2000);
	hx711_model_stats(b.m, &st);
	ck_assert_msg(st.overwritten == 1, "overwritten %llu", (unsigned long long)st.overwritten);
	ck_assert_int_eq(violations(&b), 0);
	const struct hx711_read *r;
	go(&b, US(30));
	hx711_model_flush(b.m, b.t);
	ck_assert_uint_eq(hx711_model_reads(b.m, &r), 1);
	ck_assert_msg(r[0].conv_cycle > t0 + (uint64_t)P80 - 2 && !r[0].torn && r[0].value == 2000,
	              "the read is of the second conversion");
	hx711_model_free(b.m);
}
END_TEST

START_TEST(model_update_inside_read_tears_it)
{
	struct bench b;
	struct hx711_stats st;
	const struct hx711_read *r;
	bench_open(&b, 0, 0, 1000);
	b.force = 1000;        /* 0x0F4240 */
	uint64_t t0 = wait_ready(&b);
	b.force = -1000;       /* 0xF0BDC0: every byte differs */
	/* Start reading 20 us before the next conversion (2 us a pulse): the
	 * conversion lands at the 10th pulse. */
	go(&b, (uint64_t)P80 - US(20) - (b.t - t0));
	read_n(&b, 25);
	go(&b, US(30));
	hx711_model_flush(b.m, b.t);
	hx711_model_stats(b.m, &st);
	ck_assert_msg(st.violation_update_in_read == 1, "update in read %llu",
	              (unsigned long long)st.violation_update_in_read);
	ck_assert_uint_eq(hx711_model_reads(b.m, &r), 1);
	ck_assert_msg(r[0].torn && r[0].conv_value == 1000000 && r[0].value != 1000000 &&
	              r[0].value != -1000000, "torn read: value %d, conversion %d", r[0].value,
	              r[0].conv_value);
	/* The top bits are the old word's, the rest the new word's. */
	ck_assert_msg(((uint32_t)r[0].value & 0xF00000u) == 0x000000u &&
	              ((uint32_t)r[0].value & 0x0000FFu) == 0x0000C0u,
	              "mixed word 0x%06X", (unsigned)r[0].value & 0xFFFFFFu);
	/* The conversions keep their own time: the next one is on the grid. */
	uint64_t next = wait_ready(&b);
	ck_assert_msg(llabs((long long)next - (long long)(t0 + 2 * (uint64_t)P80)) <= 2,
	              "next data at %llu, expected %llu", (unsigned long long)next,
	              (unsigned long long)(t0 + 2 * (uint64_t)P80));
	hx711_model_free(b.m);
}
END_TEST

START_TEST(model_update_just_before_first_edge)
{
	struct bench b;
	struct hx711_stats st;
	bench_open(&b, 0, 0, 0);
	uint64_t t0 = wait_ready(&b);
	/* Unread for a period; the first edge 1 cycle after the replacement:
	 * not T1 (DOUT did not fall), but the word changed under the edge. */
	go(&b, (uint64_t)P80 + 1 - (b.t - t0));
	for (int i = 0; i < 25; i++)
		pulse(&b, US(1), US(1));
	hx711_model_stats(b.m, &st);
	ck_assert_msg(st.violation_update_in_read == 1 && st.violation_t1 == 0,
	              "update in read %llu, T1 %llu", (unsigned long long)st.violation_update_in_read,
	              (unsigned long long)st.violation_t1);
	hx711_model_free(b.m);
}
END_TEST

static Suite *suite_hx711_model(void)
{
	Suite *s = suite_create("hx711_model");
	TCase *tc = tcase_create("datasheet");
	tcase_add_test(tc, model_conversion_timing);
	tcase_add_test(tc, model_shifts_msb_first_after_t2);
	tcase_add_test(tc, model_pulse_count_selects_gain);
	tcase_add_test(tc, model_power_down_and_reset);
	tcase_add_test(tc, model_counts_violations);
	tcase_add_test(tc, model_saturates);
	tcase_add_test(tc, model_stuck_until_power_cycle);
	tcase_add_test(tc, model_unread_conversion_replaced);
	tcase_add_test(tc, model_update_inside_read_tears_it);
	tcase_add_test(tc, model_update_just_before_first_edge);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite_hx711_model());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
