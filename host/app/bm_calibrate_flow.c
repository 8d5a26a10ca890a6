/* bm_calibrate_flow.c - calibration in a terminal; the idea is in
 * bm_calibrate_flow.h. */
#include "bm_calibrate_flow.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "bm_clock.h"
#include "bm_monitor.h"

#define BATCH 256
/* Seconds of readings taken in after each answer. */
#define SETTLE_S 2.5
/* Seconds to wait for readings before the first step. */
#define FIRST_DATA_S 5.0

struct flow {
	struct bm_source *src;
	struct bm_monitor *mon;
	FILE *in, *out;
	struct bm_live_sample buf[BATCH];
};

/* Take what the board sent into the pipeline (waiting up to @p ms). */
static size_t pump(struct flow *f, int ms)
{
	size_t n = bm_source_read(f->src, f->buf, BATCH, ms);
	bm_monitor_push(f->mon, f->buf, n);
	return n;
}

/* After an answer, let SETTLE_S of readings in (the board's clock): the
 * hand comes off the mass, and the steps judge the seconds after it. */
static void settle(struct flow *f)
{
	struct bm_monitor_state ms;
	bm_monitor_get_state(f->mon, &ms);
	double from = ms.now_s, until = bm_clock_mono_s() + SETTLE_S + 2.0;
	do {
		pump(f, 20);
		bm_monitor_get_state(f->mon, &ms);
	} while (ms.now_s - from < SETTLE_S && bm_clock_mono_s() < until);
}

/* One answer line, while the readings keep coming.  0, or -1 at the end
 * of the input. */
static int ask(struct flow *f, char *line, size_t len)
{
	fflush(f->out);
	int fd = fileno(f->in);
	for (;;) {
		/* A stream with buffered input (a test's memory stream) is ready. */
		struct pollfd p = {fd, POLLIN, 0};
		int ready = fd < 0 || poll(&p, 1, 0) > 0;
		if (ready) {
			if (!fgets(line, (int)len, f->in))
				return -1;
			line[strcspn(line, "\r\n")] = '\0';
			settle(f);
			return 0;
		}
		pump(f, 20);
	}
}

static double number(const char *s, int *ok)
{
	char *end;
	double v = strtod(s, &end);
	while (*end == ' ')
		end++;
	*ok = end != s && (*end == '\0' || *end == '!');
	return v;
}

/* One plate with the known mass: until a measurement is accepted, the
 * user gives up (empty line), or the input ends. */
static int plate(struct flow *f, int leg, double *kg_out)
{
	static const char *const name[2] = {"LEFT", "RIGHT"};
	char line[128], msg[600];
	int override = 0;
	for (;;) {
		fprintf(f->out, "Put a known mass on the %s plate alone and keep it still; type its "
		                "mass in kg and press Enter (empty line: discard): ",
		        name[leg]);
		if (ask(f, line, sizeof line) != 0 || !line[0])
			return -1;
		int ok;
		double kg = number(line, &ok);
		if (!ok) {
			fprintf(f->out, "  '%s' is not a mass in kg\n", line);
			continue;
		}
		/* "20!" confirms a scale far from the board's earlier one. */
		override = override || strchr(line, '!') != NULL;
		int r = bm_monitor_cal_measure(f->mon, leg, kg, override, msg, sizeof msg);
		if (r == BM_CALIB_OK) {
			*kg_out = kg;
			fprintf(f->out, "  %s plate measured with %.2f kg\n", leg ? "right" : "left", kg);
			return 0;
		}
		fprintf(f->out, "  %s%s\n", msg, strstr(msg, "override") ? " (type the mass with a ! to confirm)" : "");
	}
}

int bm_calibrate_flow(struct bm_source *src, const struct bm_calib *start, FILE *in, FILE *out,
                      bm_cal_step_cb on_step, void *ctx, struct bm_calib *result)
{
	struct bm_monitor_params mp;
	struct bm_source_status st;
	char line[128], msg[600];
	int rc = BM_CAL_FLOW_DISCARDED;
	double kg[2] = {0, 0};

	struct flow *f = calloc(1, sizeof *f);
	if (!f)
		return BM_CAL_FLOW_NO_DATA;
	bm_monitor_params_default(&mp);
	bm_source_status(src, &st);
	mp.rate_hz = st.rate_hz;
	f->src = src;
	f->in = in;
	f->out = out;
	f->mon = bm_monitor_new(&mp, start);
	if (!f->mon) {
		free(f);
		return BM_CAL_FLOW_NO_DATA;
	}
	if (on_step)
		on_step(ctx, BM_CAL_STEP_TARE);
	/* Readings first: a board that sends none cannot be calibrated. */
	double until = bm_clock_mono_s() + FIRST_DATA_S;
	size_t got = 0;
	while (got < 40 && bm_clock_mono_s() < until)
		got += pump(f, 50);
	bm_source_status(src, &st);
	if (got < 40 || !st.raw) {
		fprintf(out, "no readings from the board (%s); nothing was changed\n",
		        st.message[0] ? st.message : "is it connected?");
		rc = BM_CAL_FLOW_NO_DATA;
		goto out;
	}
	fprintf(out, "Calibrating %s.  Nothing changes until you confirm at the end.\n", st.name);
	for (;;) {
		fprintf(out, "Take everything off both plates and keep still; press Enter to tare "
		             "(empty plates read 0): ");
		if (ask(f, line, sizeof line) != 0)
			goto out;
		if (bm_monitor_tare(f->mon, msg, sizeof msg) == BM_CALIB_OK)
			break;
		fprintf(out, "  %s\n", msg);
	}
	bm_monitor_cal_begin(f->mon);
	for (int leg = 0; leg < 2; leg++) {
		if (on_step)
			on_step(ctx, leg ? BM_CAL_STEP_RIGHT : BM_CAL_STEP_LEFT);
		if (plate(f, leg, &kg[leg]) != 0)
			goto out;
	}
	if (on_step)
		on_step(ctx, BM_CAL_STEP_CHECK);
	settle(f);
	fprintf(out, "Check, with the new calibration: the left plate reads %.2f kg, the right %.2f "
	             "kg (masses %.2f and %.2f kg).\nType yes to keep it (anything else discards it): ",
	        bm_monitor_cal_reading_kg(f->mon, 0), bm_monitor_cal_reading_kg(f->mon, 1), kg[0],
	        kg[1]);
	if (ask(f, line, sizeof line) != 0 || strcmp(line, "yes") != 0)
		goto out;
	bm_monitor_cal_commit(f->mon);
	bm_monitor_get_calib(f->mon, result);
	rc = BM_CAL_FLOW_OK;
out:
	if (rc == BM_CAL_FLOW_DISCARDED) {
		bm_monitor_cal_abort(f->mon);
		fprintf(out, "\ncalibration discarded: the board keeps its earlier calibration\n");
	}
	if (on_step)
		on_step(ctx, BM_CAL_STEP_DONE);
	bm_monitor_free(f->mon);
	free(f);
	return rc;
}
