/*
 * bm_view_format.c - how the view writes numbers and names.
 *
 * One place for the rules a reader on the mat relies on: forces are whole
 * newtons or kilograms to one decimal (kg = N / 9.80665), never "-0";
 * durations under a minute are seconds ("23 s"), longer ones minutes and
 * seconds ("2:05"); a number that is not a number is "--".  Panels and
 * future screens (countdowns, a summary) call these instead of writing
 * their own printf formats, so the same quantity reads the same
 * everywhere.
 */
#include "bm_view_priv.h"

#include <math.h>
#include <stdio.h>

const char *bm_view_unit_name(enum bm_view_units u)
{
	return u == BM_VIEW_UNITS_KG ? "kg" : "N";
}

/* A force as a number in the display unit: 312 (N) or 31.8 (kg). */
void bm_view_fmt_force(char *buf, size_t n, float force_n, enum bm_view_units u)
{
	if (!isfinite(force_n)) {
		snprintf(buf, n, "--");
		return;
	}
	double x = u == BM_VIEW_UNITS_KG ? force_n / BM_VIEW_G_N_PER_KG : force_n;
	if (u == BM_VIEW_UNITS_KG) {
		x = round(x * 10.0) / 10.0;
		snprintf(buf, n, "%.1f", x == 0 ? 0.0 : x); /* no "-0.0" */
	} else {
		x = round(x);
		snprintf(buf, n, "%.0f", x == 0 ? 0.0 : x);
	}
}

/* A duration: "23 s" under a minute, else "2:05". */
void bm_view_fmt_dur(char *buf, size_t n, float s)
{
	if (!isfinite(s) || s < 0)
		s = 0;
	long whole = (long)floorf(s);
	if (whole < 60)
		snprintf(buf, n, "%ld s", whole);
	else
		snprintf(buf, n, "%ld:%02ld", whole / 60, whole % 60);
}

/* Minutes and seconds always: "0:45", "3:00". */
void bm_view_fmt_min_sec(char *buf, size_t n, float s)
{
	if (!isfinite(s) || s < 0)
		s = 0;
	long whole = (long)floorf(s);
	snprintf(buf, n, "%ld:%02ld", whole / 60, whole % 60);
}

const char *bm_view_leg_name(int leg, bool capital)
{
	if (leg == BM_LEFT)
		return capital ? "Left" : "left";
	if (leg == BM_RIGHT)
		return capital ? "Right" : "right";
	return "";
}

double bm_view_nice_step(double x)
{
	if (!(x > 0))
		return 1;
	double p = pow(10.0, floor(log10(x)));
	static const double m[] = {1, 2, 2.5, 5, 10};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (m[i] * p >= x * (1 - 1e-9))
			return m[i] * p;
	return 10 * p;
}
