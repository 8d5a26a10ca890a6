/*
 * bm_change.c - typical error, MDC, change labels, the asymmetry interval,
 * and Student's t quantile.
 *
 * The t quantile inverts the distribution function, which is written with
 * the regularized incomplete beta function,
 *     P(T > t) = I_x(df/2, 1/2) / 2,  x = df / (df + t^2),
 * evaluated by its continued fraction (modified Lentz iteration), on the
 * side of x where the fraction converges quickly.  The inversion brackets
 * the root and takes Newton steps with the density, falling back to
 * bisection when a step leaves the bracket: it cannot diverge, and ends
 * within a few ulps of scipy's answer.
 */
#include "bm_change.h"

#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Continued fraction: iterations and tolerance; TINY keeps a denominator
 * off zero as the Lentz method prescribes. */
#define CF_MAX_ITER 10000
#define CF_EPS 1e-16
#define CF_TINY 1e-300
#define NEWTON_MAX_ITER 200

double bm_change_mdc95(double te)
{
	return BM_CHANGE_Z95 * sqrt(2.0) * te;
}

int bm_change_te(const double *values, const size_t *group_n, size_t n_groups, size_t min_df,
                 struct bm_te *out)
{
	if (!out)
		return BM_CHANGE_ERR_ARG;
	memset(out, 0, sizeof *out);
	out->te = out->te_pct = out->mdc95 = out->grand_mean = NAN;
	if ((!values || !group_n) && n_groups)
		return BM_CHANGE_ERR_ARG;
	if (min_df == 0)
		min_df = BM_CHANGE_MIN_DF;
	double ss = 0, total = 0;
	size_t at = 0;
	for (size_t g = 0; g < n_groups; g++) {
		const double *v = values + at;
		size_t n = 0;
		double sum = 0;
		for (size_t i = 0; i < group_n[g]; i++) {
			if (isfinite(v[i])) {
				sum += v[i];
				n++;
			}
		}
		at += group_n[g];
		if (n == 0)
			continue;
		/* Two passes per group: the sum of squares about the group's own
		 * mean, never the difference of two large sums. */
		double mean = sum / (double)n;
		for (size_t i = 0; i < group_n[g]; i++)
			if (isfinite(v[i]))
				ss += (v[i] - mean) * (v[i] - mean);
		total += sum;
		out->n_values += n;
		out->n_groups++;
		out->df += n - 1;
	}
	if (out->n_values)
		out->grand_mean = total / (double)out->n_values;
	if (out->df < min_df)
		return BM_CHANGE_OK;
	out->valid = 1;
	out->te = sqrt(ss / (double)out->df);
	out->mdc95 = bm_change_mdc95(out->te);
	out->te_pct = out->grand_mean > 0 ? out->te / out->grand_mean * 100 : NAN;
	return BM_CHANGE_OK;
}

int bm_change_judge(double before, double after, const struct bm_te *te, struct bm_change *out)
{
	if (!out)
		return BM_CHANGE_ERR_ARG;
	out->change = NAN;
	out->mdc95 = NAN;
	out->label = BM_CHANGE_NOT_ENOUGH;
	if (!te || !isfinite(before) || !isfinite(after))
		return BM_CHANGE_ERR_ARG;
	out->change = after - before;
	if (!te->valid || !isfinite(te->te))
		return BM_CHANGE_OK;
	out->mdc95 = bm_change_mdc95(te->te);
	out->label = fabs(out->change) > out->mdc95 ? BM_CHANGE_REAL : BM_CHANGE_NOISE;
	return BM_CHANGE_OK;
}

const char *bm_change_label_text(enum bm_change_label label)
{
	switch (label) {
	case BM_CHANGE_NOISE: return "within noise";
	case BM_CHANGE_REAL: return "real";
	default: return "not enough repeats";
	}
}

/* The continued fraction of I_x(a, b) (without its prefactor), for
 * x < (a + 1) / (a + b + 2). */
static double beta_cf(double a, double b, double x)
{
	double c = 1, d = 1 - (a + b) * x / (a + 1);
	if (fabs(d) < CF_TINY)
		d = CF_TINY;
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= CF_MAX_ITER; m++) {
		double m2 = 2.0 * m;
		/* even step */
		double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + num * d;
		if (fabs(d) < CF_TINY)
			d = CF_TINY;
		c = 1 + num / c;
		if (fabs(c) < CF_TINY)
			c = CF_TINY;
		d = 1 / d;
		h *= d * c;
		/* odd step */
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		if (fabs(d) < CF_TINY)
			d = CF_TINY;
		c = 1 + num / c;
		if (fabs(c) < CF_TINY)
			c = CF_TINY;
		d = 1 / d;
		double delta = d * c;
		h *= delta;
		if (fabs(delta - 1) < CF_EPS)
			break;
	}
	return h;
}

/* Regularized incomplete beta I_x(a, b). */
static double ibeta(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lfront) * beta_cf(a, b, x) / a;
	return 1 - exp(lfront) * beta_cf(b, a, 1 - x) / b;
}

/* P(T > t) for t >= 0. */
static double t_upper(double t, double df)
{
	double x = df / (df + t * t);
	return 0.5 * ibeta(df / 2, 0.5, x);
}

static double t_pdf(double t, double df)
{
	double l = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * M_PI) -
	           (df + 1) / 2 * log1p(t * t / df);
	return exp(l);
}

double bm_change_t_quantile(double p, double df)
{
	if (!(p > 0 && p < 1) || !(df > 0) || !isfinite(df))
		return NAN;
	if (p == 0.5)
		return 0;
	if (p < 0.5)
		return -bm_change_t_quantile(1 - p, df);
	double q = 1 - p; /* upper tail to reach */
	double lo = 0, hi = 1;
	while (t_upper(hi, df) > q && hi < 1e300)
		hi *= 2;
	/* Start in the middle of the bracket; Newton takes over from there. */
	double t = 0.5 * (lo + hi);
	for (int i = 0; i < NEWTON_MAX_ITER; i++) {
		double f = t_upper(t, df) - q; /* decreasing in t */
		if (f > 0)
			lo = t;
		else
			hi = t;
		double step = f / t_pdf(t, df);
		double next = t + step;
		if (!(next > lo && next < hi))
			next = 0.5 * (lo + hi);
		if (fabs(next - t) <= 1e-15 * fabs(next) || hi - lo <= 1e-15 * hi) {
			t = next;
			break;
		}
		t = next;
	}
	return t;
}

static int asym_from_values(const double *v, size_t n, double thr, struct bm_asym_ci *out)
{
	double sum = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (isfinite(v[i])) {
			sum += v[i];
			k++;
		}
	}
	out->n = k;
	if (k == 0)
		return BM_CHANGE_OK;
	out->mean_pct = sum / (double)k;
	out->weaker = out->mean_pct > 0 ? 1 : out->mean_pct < 0 ? 0 : -1;
	if (k < 2)
		return BM_CHANGE_OK;
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			ss += (v[i] - out->mean_pct) * (v[i] - out->mean_pct);
	out->sd_pct = sqrt(ss / (double)(k - 1));
	out->t = bm_change_t_quantile(0.975, (double)(k - 1));
	out->half_width_pct = out->t * out->sd_pct / sqrt((double)k);
	out->low_pct = out->mean_pct - out->half_width_pct;
	out->high_pct = out->mean_pct + out->half_width_pct;
	if (out->low_pct > thr || out->high_pct < -thr)
		out->flag = BM_ASYM_CERTAIN;
	else if (out->low_pct >= -thr && out->high_pct <= thr)
		out->flag = BM_ASYM_NONE;
	else
		out->flag = BM_ASYM_POSSIBLE;
	return BM_CHANGE_OK;
}

static void asym_clear(struct bm_asym_ci *out, double thr)
{
	memset(out, 0, sizeof *out);
	out->mean_pct = out->sd_pct = out->t = out->half_width_pct = NAN;
	out->low_pct = out->high_pct = NAN;
	out->threshold_pct = thr;
	out->flag = BM_ASYM_NOT_ENOUGH;
	out->weaker = -1;
}

int bm_change_asym_ci_pct(const double *asym_pct, size_t n, double threshold_pct,
                          struct bm_asym_ci *out)
{
	if (!out)
		return BM_CHANGE_ERR_ARG;
	asym_clear(out, threshold_pct);
	if ((!asym_pct && n) || !(threshold_pct > 0))
		return BM_CHANGE_ERR_ARG;
	return asym_from_values(asym_pct, n, threshold_pct, out);
}

/* Efforts per set are few; this bounds the stack copy of their values. */
#define ASYM_CHUNK 256

int bm_change_asym_ci(const double *left_n, const double *right_n, size_t n,
                      double threshold_pct, struct bm_asym_ci *out)
{
	if (!out)
		return BM_CHANGE_ERR_ARG;
	asym_clear(out, threshold_pct);
	if (((!left_n || !right_n) && n) || !(threshold_pct > 0) || n > ASYM_CHUNK)
		return BM_CHANGE_ERR_ARG;
	double v[ASYM_CHUNK];
	for (size_t i = 0; i < n; i++) {
		double l = left_n[i], r = right_n[i];
		double strong = l > r ? l : r;
		v[i] = isfinite(l) && isfinite(r) && strong > 0 ? (l - r) / strong * 100 : NAN;
	}
	return asym_from_values(v, n, threshold_pct, out);
}

const char *bm_asym_flag_text(enum bm_asym_flag flag)
{
	switch (flag) {
	case BM_ASYM_NONE: return "none";
	case BM_ASYM_POSSIBLE: return "possible";
	case BM_ASYM_CERTAIN: return "certain";
	default: return "not enough efforts";
	}
}
