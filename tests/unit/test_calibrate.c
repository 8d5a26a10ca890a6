/*
 * test_calibrate.c - calibration cannot corrupt a session: the staged steps
 * of the live pipeline (bm_monitor_cal_*) and the terminal flow of
 * `bridgemon calibrate` on a simulated board whose plates get the masses
 * when the flow asks for them.  An empty plate, an unsteady plate, a 120x
 * scale and a discard at every step all leave the calibration as it was;
 * efforts made while calibrating are not counted.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_calibrate_flow.h"
#include "bm_monitor.h"
#include "core_suites.h"

#define OFFSET 10000.0
#define SCALE 5e-4 /* N per count, the board's true scale */

/* A board streaming 80 Hz raw counts; what rests on each plate follows the
 * flow's steps. */
struct fake {
	struct bm_source base;
	double t_s;
	uint16_t seq;
	double load_n[2];      /* what rests on the plates now */
	double mass_n[2];      /* the known mass put on at its step */
	int unsteady;          /* the mass rocks on the plate */
	int mass_stays;        /* masses stay on for the check */
};

static size_t fake_read(struct bm_source *src, struct bm_live_sample *out, size_t max, int ms)
{
	struct fake *f = (struct fake *)src;
	size_t n = max < 8 ? max : 8;
	(void)ms;
	for (size_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].t_s = f->t_s;
		out[i].has_raw = 1;
		out[i].needs_cal = 1;
		out[i].seq = f->seq++;
		for (int leg = 0; leg < 2; leg++) {
			double x = f->load_n[leg] + 0.3 * sin(12.9898 * f->t_s * 80 + leg);
			if (f->unsteady && f->load_n[leg] > 0)
				x += 40 * sin(2 * M_PI * 0.7 * f->t_s);
			out[i].raw_counts[leg] = (int32_t)lround(OFFSET + x / SCALE);
			out[i].force_n[leg] = NAN;
		}
		f->t_s += 1 / 80.0;
	}
	return n;
}

static void fake_status(struct bm_source *src, struct bm_source_status *st)
{
	(void)src;
	memset(st, 0, sizeof *st);
	st->state = BM_SOURCE_LIVE;
	snprintf(st->name, sizeof st->name, "test board");
	st->rate_hz = 80;
	st->raw = 1;
}

static void fake_store(struct bm_source *src, const struct bm_cal_record *cal)
{
	(void)src;
	(void)cal;
}

static void fake_free(struct bm_source *src)
{
	(void)src;
}

static const struct bm_source_ops fake_ops = {fake_read, fake_status, fake_store, fake_free};

static void on_step(void *ctx, enum bm_cal_step step)
{
	struct fake *f = ctx;
	if (step == BM_CAL_STEP_LEFT) {
		f->load_n[0] = f->mass_n[0];
	} else if (step == BM_CAL_STEP_RIGHT) {
		if (!f->mass_stays)
			f->load_n[0] = 0;
		f->load_n[1] = f->mass_n[1];
	} else if (step == BM_CAL_STEP_CHECK && f->mass_stays) {
		f->load_n[0] = f->mass_n[0];
	}
}

static struct bm_calib earlier(void)
{
	struct bm_calib c;
	bm_calib_init(&c);
	for (int i = 0; i < 2; i++) {
		c.offset_counts[i] = OFFSET + 3000; /* a little off: the tare fixes it */
		c.scale_n_per_count[i] = SCALE * 1.05;
		c.valid[i] = 1;
	}
	return c;
}

/* Run the flow with @p answers typed; masses of @p left_n and @p right_n. */
static int run_flow(const char *answers, double left_n, double right_n, int unsteady,
                    struct bm_calib *out, char *printed, size_t plen)
{
	struct fake f = {.base = {&fake_ops}, .mass_n = {left_n, right_n}, .unsteady = unsteady,
	                 .mass_stays = 1};
	struct bm_calib start = earlier();
	*out = start;
	FILE *in = fmemopen((void *)answers, strlen(answers), "r");
	FILE *o = fmemopen(printed, plen, "w");
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(o);
	int r = bm_calibrate_flow(&f.base, &start, in, o, on_step, &f, out);
	fclose(in);
	fclose(o);
	return r;
}

START_TEST(terminal_flow_complete)
{
	static char printed[16384];
	struct bm_calib c;
	/* 20 kg on each plate: 196.133 N = 392266 counts. */
	int r = run_flow("\n20\n20\nyes\n", 196.133, 196.133, 0, &c, printed, sizeof printed);
	ck_assert_msg(r == BM_CAL_FLOW_OK, "flow ended %d:\n%s", r, printed);
	for (int i = 0; i < 2; i++) {
		ck_assert_msg(fabs(c.scale_n_per_count[i] - SCALE) < 1e-6, "leg %d scale %.6g, expected %g", i,
		              c.scale_n_per_count[i], SCALE);
		ck_assert_msg(fabs(c.offset_counts[i] - OFFSET) < 50, "leg %d offset %.1f", i, c.offset_counts[i]);
	}
	ck_assert_msg(strstr(printed, "reads 20.0"), "the check shows the masses: %s", printed);
}
END_TEST

START_TEST(terminal_flow_refuses_nonsense)
{
	static char printed[16384];
	struct bm_calib c, was = earlier();
	/* An empty left plate (the mass never put on), then a discard. */
	int r = run_flow("\n20\n\n", 0, 196.133, 0, &c, printed, sizeof printed);
	ck_assert_msg(r == BM_CAL_FLOW_DISCARDED && strstr(printed, "noise") && !strstr(printed, "measured"),
	              "an empty plate must be refused as noise: %s", printed);
	ck_assert_msg(!memcmp(&c, &was, sizeof c), "a discarded flow changed the calibration");
	/* An unsteady plate. */
	r = run_flow("\n20\n\n", 196.133, 196.133, 1, &c, printed, sizeof printed);
	ck_assert_msg(r == BM_CAL_FLOW_DISCARDED && strstr(printed, "still"),
	              "an unsteady plate must be refused: %s", printed);
	/* 20 kg typed for 10 N on the plate: a scale 20x too large for the
	 * board's earlier one (and 120x with a lighter load) is refused. */
	r = run_flow("\n200\n\n", 16.3, 196.133, 0, &c, printed, sizeof printed);
	ck_assert_msg(r == BM_CAL_FLOW_DISCARDED &&
	                  (strstr(printed, "not a load cell") || strstr(printed, "earlier")),
	              "a 120x scale must be refused: %s", printed);
	/* Discard at the check. */
	r = run_flow("\n20\n20\nno\n", 196.133, 196.133, 0, &c, printed, sizeof printed);
	ck_assert_msg(r == BM_CAL_FLOW_DISCARDED, "'no' at the check must discard");
	ck_assert_msg(!memcmp(&c, &was, sizeof c), "discarded at the check, yet changed");
	/* The input ends at the tare. */
	r = run_flow("", 196.133, 196.133, 0, &c, printed, sizeof printed);
	ck_assert_int_eq(r, BM_CAL_FLOW_DISCARDED);
	ck_assert_msg(!memcmp(&c, &was, sizeof c), "the end of the input changed the calibration");
}
END_TEST

/* The window's steps: Esc (abort) at each step leaves everything as it
 * was; efforts while calibrating are not counted. */
static void feed(struct bm_monitor *m, struct fake *f, double secs)
{
	struct bm_live_sample s[8];
	for (double t = 0; t < secs; t += 0.1)
		bm_monitor_push(m, s, fake_read(&f->base, s, 8, 0));
}

START_TEST(staged_steps_and_esc)
{
	struct bm_monitor_params p;
	bm_monitor_params_default(&p);
	p.rate_hz = 80;
	struct bm_calib was = earlier(), now;
	char msg[600];
	struct fake f = {.base = {&fake_ops}};
	struct bm_monitor *m = bm_monitor_new(&p, &was);
	feed(m, &f, 3);
	for (int esc_at = 0; esc_at < 3; esc_at++) {
		bm_monitor_cal_begin(m);
		struct bm_monitor_state st;
		bm_monitor_get_state(m, &st);
		ck_assert_msg(st.excluded, "nothing counts while calibrating");
		if (esc_at >= 1) {
			f.load_n[0] = 196.133;
			feed(m, &f, 3);
			ck_assert_msg(bm_monitor_cal_measure(m, 0, 20, 1, msg, sizeof msg) == BM_CALIB_OK,
			              "left: %s", msg);
			f.load_n[0] = 0;
		}
		if (esc_at >= 2) {
			f.load_n[1] = 196.133;
			feed(m, &f, 3);
			ck_assert_msg(bm_monitor_cal_measure(m, 1, 20, 1, msg, sizeof msg) == BM_CALIB_OK,
			              "right: %s", msg);
			f.load_n[1] = 0;
		}
		bm_monitor_cal_abort(m);
		bm_monitor_get_calib(m, &now);
		ck_assert_msg(!memcmp(&now, &was, sizeof now), "Esc after %d steps changed the calibration",
		              esc_at);
		feed(m, &f, 1);
	}
	/* The masses were 20 kg pushes of 3 s on each plate: not counted. */
	feed(m, &f, 70);
	bm_monitor_finish(m);
	struct bm_monitor_state st;
	bm_monitor_get_state(m, &st);
	ck_assert_msg(st.holds[0] + st.holds[1] + st.reps[0] + st.reps[1] == 0,
	              "masses put on while calibrating were counted: holds %u/%u reps %u/%u",
	              st.holds[0], st.holds[1], st.reps[0], st.reps[1]);
	bm_monitor_free(m);
}
END_TEST

Suite *suite_calibrate(void)
{
	Suite *s = suite_create("calibrate");
	TCase *tc = tcase_create("steps");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, terminal_flow_complete);
	tcase_add_test(tc, terminal_flow_refuses_nonsense);
	tcase_add_test(tc, staged_steps_and_esc);
	suite_add_tcase(s, tc);
	return s;
}
