/*
 * bm_filter.c - despike, Butterworth design, causal and zero-phase
 * filtering; the idea is in bm_filter.h.
 *
 * Why median-of-3 for despiking: an HX711 glitch is one sample long (an
 * all-ones 0x7FFFFF word when the clock is disturbed, or a zero reading),
 * while anything a leg does lasts at least two samples (25 ms at 80 SPS;
 * the fastest bridge rep rises in 300 ms).  A median of three removes every
 * isolated single-sample outlier, of either sign and any size, keeps steps,
 * ramps and two-sample features exactly, and costs one sample of delay.
 * A Hampel filter would need a window and a threshold to tune and buys
 * nothing against one-sample glitches.
 *
 * Why these default low-pass settings (bm_filter_default()):
 * bridge efforts rise in 0.3-1.5 s and reps last 0.3-6 s, so the force
 * content worth keeping lies below 2-3 Hz; physiological tremor sits at
 * 8-12 Hz and the HX711's noise is white up to Nyquist.  A 4th-order
 * Butterworth at 5 Hz (80 SPS) keeps the band and drops tremor.  `analyze`
 * runs it forward and backward, which squares the magnitude response (an
 * effective 8th order, -6 dB instead of -3 dB at the cutoff) and cancels the
 * phase; with scipy's numbers for this design, the zero-phase gain is
 * 0.9994 at 2 Hz, 0.985 at 3 Hz, 0.019 at 8 Hz, 0.003 at 10 Hz and 0.0005 at
 * 12 Hz; white noise keeps a third of its RMS; a rep rising in 0.3 s keeps
 * its peak to 0.01 %.  The price is ringing on an ideal step (6.8 %
 * before and after it), which efforts that take 0.3 s to rise never show.
 * A 2nd order would lose 11 % at 3 Hz and pass 12 % at 8 Hz.  The live view
 * runs the same design causally: about 83 ms of delay at low frequency and
 * 11 % overshoot on an ideal step, acceptable on screen.  A board strapped
 * to 10 SPS has its Nyquist at 5 Hz, so the cutoff moves to 0.3 of the rate
 * (3 Hz there), which leaves a usable transition band; tremor is already
 * aliased at that rate and cannot be removed.
 *
 * For the streaming zero-phase filter the default design needs a look-ahead
 * of 201 samples at 80 SPS (2.5 s; pole radius 0.863) and 70 at 10 SPS for
 * the 1e-10 bound of bm_sos_lookahead(); with the automatic 4096-sample
 * block that is about 35 kB per leg and 5 % extra work in the backward pass.
 */
#include "bm_filter.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Longest default padlen: 3 * (2 * sections + 1). */
#define PAD_MAX (3 * (2 * BM_SOS_MAX_SECTIONS + 1))

/* ---- despike ---- */

/* Median of three, except next to a gap (NaN) or at an end (passed as NaN),
 * where the sample stays as it is; a NaN sample stays NaN. */
static inline double despike_one(double prev, double cur, double next)
{
	double lo, hi;

	if (isnan(prev) || isnan(next) || isnan(cur))
		return cur;
	lo = prev < cur ? prev : cur;
	hi = prev < cur ? cur : prev;
	return next < lo ? lo : (next > hi ? hi : next);
}

void bm_despike3(const double *x, double *y, size_t n)
{
	double prev = NAN;

	for (size_t i = 0; i < n; i++) {
		double cur = x[i];
		double next = i + 1 < n ? x[i + 1] : NAN;
		/* x[i + 1] is read before y[i] is written: in place is safe. */
		y[i] = despike_one(prev, cur, next);
		prev = cur;
	}
}

struct bm_despike {
	double prev;   /* sample before cur; NaN at the start of a stream */
	double cur;    /* the sample waiting for its right neighbour */
	int have_cur;
};

struct bm_despike *bm_despike_new(void)
{
	struct bm_despike *d = malloc(sizeof *d);

	if (d) {
		d->prev = NAN;
		d->cur = NAN;
		d->have_cur = 0;
	}
	return d;
}

void bm_despike_free(struct bm_despike *d)
{
	free(d);
}

int bm_despike_push(struct bm_despike *d, double x, double *out)
{
	if (!d->have_cur) {
		d->prev = NAN;
		d->cur = x;
		d->have_cur = 1;
		return 0;
	}
	*out = despike_one(d->prev, d->cur, x);
	d->prev = d->cur;
	d->cur = x;
	return 1;
}

int bm_despike_flush(struct bm_despike *d, double *out)
{
	if (!d->have_cur)
		return 0;
	*out = d->cur;
	d->have_cur = 0;
	d->prev = NAN;
	return 1;
}

/* ---- design ---- */

/* A pole during pairing: complex ones stand for a conjugate pair (the
 * member with positive imaginary part), as in scipy's _cplxreal. */
struct pole {
	double complex v;
	int real;
};

static void del_pole(struct pole *p, int *n, int i)
{
	memmove(p + i, p + i + 1, (size_t)(*n - i - 1) * sizeof *p);
	(*n)--;
}

static void del_zero(double *z, int *n, int i)
{
	memmove(z + i, z + i + 1, (size_t)(*n - i - 1) * sizeof *z);
	(*n)--;
}

/* Index of the pole closest to the unit circle among those with
 * real == want_real (or all when want_real < 0); first one on ties, like
 * numpy's argmin.  -1 when there is none. */
static int worst_pole(const struct pole *p, int n, int want_real)
{
	int best = -1;
	double bd = 0.0;

	for (int i = 0; i < n; i++) {
		if (want_real >= 0 && p[i].real != want_real)
			continue;
		double d = fabs(1.0 - cabs(p[i].v));
		if (best < 0 || d < bd) {
			best = i;
			bd = d;
		}
	}
	return best;
}

/* Index of the (real) zero nearest to a pole; first one on ties. */
static int nearest_zero(const double *z, int n, double complex to)
{
	int best = 0;
	double bd = cabs(z[0] - to);

	for (int i = 1; i < n; i++) {
		double d = cabs(z[i] - to);
		if (d < bd) {
			best = i;
			bd = d;
		}
	}
	return best;
}

/* Section from up to two real zeros and a pole pair (p2 = conj(p1) when p1
 * is complex), coefficients as scipy's zpk2tf/np.poly make them: numerator
 * right-aligned when it has fewer than two zeros. */
static void make_section(double row[6], const double *zs, int nz,
                         const struct pole *p1, const struct pole *p2)
{
	if (nz == 2) {
		row[0] = 1.0;
		row[1] = -zs[0] + -zs[1];
		row[2] = (-zs[0]) * (-zs[1]);
	} else if (nz == 1) {
		row[0] = 0.0;
		row[1] = 1.0;
		row[2] = -zs[0];
	} else {
		row[0] = 0.0;
		row[1] = 0.0;
		row[2] = 1.0;
	}
	row[3] = 1.0;
	if (p1->real) {
		double r1 = creal(p1->v), r2 = creal(p2->v);
		row[4] = -r1 + -r2;
		row[5] = (-r1) * (-r2);
	} else {
		double re = creal(p1->v), im = cimag(p1->v);
		row[4] = -re + -re;
		row[5] = re * re + im * im;
	}
}

static int cmp_pole(const void *pa, const void *pb)
{
	const struct pole *a = pa, *b = pb;

	/* Complex (positive imaginary part) first, by real part then by
	 * |imag|; then the real ones by value: scipy's _cplxreal order. */
	if (a->real != b->real)
		return a->real - b->real;
	if (creal(a->v) != creal(b->v))
		return creal(a->v) < creal(b->v) ? -1 : 1;
	if (fabs(cimag(a->v)) != fabs(cimag(b->v)))
		return fabs(cimag(a->v)) < fabs(cimag(b->v)) ? -1 : 1;
	return 0;
}

int bm_butter_lowpass(int order, double cutoff_hz, double rate_hz, struct bm_sos *out)
{
	struct pole p[BM_FILTER_MAX_ORDER + 1];
	double z[BM_FILTER_MAX_ORDER + 1];
	double complex den = 1.0;
	int np = 0, nz = 0, n_sections;

	memset(out, 0, sizeof *out);
	if (order < 1 || order > BM_FILTER_MAX_ORDER || !isfinite(rate_hz) || rate_hz <= 0.0
	    || !isfinite(cutoff_hz))
		return BM_FILTER_ERR_ARG;
	/* Cutoff as a fraction of Nyquist, prewarped for the bilinear
	 * transform with scipy's normalised sample rate of 2. */
	double wn = 2.0 * cutoff_hz / rate_hz;
	if (!(wn > 0.0 && wn < 1.0))
		return BM_FILTER_ERR_ARG;
	double warped = 4.0 * tan(M_PI * wn / 2.0);

	/* Analog prototype poles -exp(i pi m / 2N), m = -N+1, -N+3, ..., N-1,
	 * scaled to the warped cutoff, then z = (4 + s) / (4 - s).  All N zeros
	 * sit at infinity and go to z = -1; the gain keeps 1 at DC. */
	for (int i = 0; i < order; i++) {
		int m = -order + 1 + 2 * i;
		double th = M_PI * m / (2.0 * order);
		double complex s = -(cos(th) + sin(th) * I) * warped;
		double complex pz = (4.0 + s) / (4.0 - s);
		den *= 4.0 - s;
		/* The middle pole (m = 0) is real; keep one of each pair. */
		if (m == 0)
			p[np++] = (struct pole){creal(pz), 1};
		else if (cimag(pz) > 0.0)
			p[np++] = (struct pole){pz, 0};
		z[nz++] = -1.0;
	}
	double gain = pow(warped, order) * creal(1.0 / den);

	/* zpk2sos 'nearest': an odd order gets an extra pole and zero at the
	 * origin so that every section has two of each. */
	n_sections = (order + 1) / 2;
	if (order % 2) {
		p[np++] = (struct pole){0.0, 1};
		z[nz++] = 0.0;
	}
	qsort(p, (size_t)np, sizeof p[0], cmp_pole);
	/* Zeros sorted ascending: the -1s, then the 0. */

	/* Build sections from the last: the pole nearest the unit circle
	 * goes last, paired with its nearest zero(s). */
	for (int si = n_sections - 1; si >= 0; si--) {
		int i1 = worst_pole(p, np, -1);
		struct pole p1 = p[i1], p2;
		double zs[2];
		int nzs = 0;

		del_pole(p, &np, i1);
		int nreal = 0;
		for (int i = 0; i < np; i++)
			nreal += p[i].real;
		if (p1.real && nreal == 0) {
			/* The last real pole alone: a first-order section with its
			 * nearest real zero and a pole and zero at the origin.  Not
			 * reached for Butterworth low-passes ('nearest' evens the
			 * real poles) but kept to follow scipy's steps. */
			if (nz > 0) {
				int iz = nearest_zero(z, nz, p1.v);
				zs[nzs++] = z[iz];
				del_zero(z, &nz, iz);
			}
			zs[nzs++] = 0.0;
			p2 = (struct pole){0.0, 1};
		} else {
			/* scipy's second special case needs a complex zero; a
			 * low-pass has only real ones, so it never applies. */
			if (p1.real) {
				int i2 = worst_pole(p, np, 1);
				p2 = p[i2];
				del_pole(p, &np, i2);
			} else {
				p2 = (struct pole){conj(p1.v), 0};
			}
			if (nz > 0) {
				int iz = nearest_zero(z, nz, p1.v);
				zs[nzs++] = z[iz];
				del_zero(z, &nz, iz);
				if (nz > 0) {
					iz = nearest_zero(z, nz, p1.v);
					zs[nzs++] = z[iz];
					del_zero(z, &nz, iz);
				}
			}
		}
		make_section(out->c[si], zs, nzs, &p1, &p2);
	}
	for (int j = 0; j < 3; j++)
		out->c[0][j] *= gain;
	out->n_sections = n_sections;
	out->order = order;
	out->cutoff_hz = cutoff_hz;
	out->rate_hz = rate_hz;
	return BM_FILTER_OK;
}

double bm_filter_default_cutoff_hz(double rate_hz)
{
	if (!isfinite(rate_hz) || rate_hz <= 0.0)
		return NAN;
	return fmin(BM_FILTER_DEFAULT_CUTOFF_HZ, BM_FILTER_DEFAULT_CUTOFF_FRACTION * rate_hz);
}

int bm_filter_default(double rate_hz, struct bm_sos *out)
{
	double fc = bm_filter_default_cutoff_hz(rate_hz);

	if (isnan(fc)) {
		memset(out, 0, sizeof *out);
		return BM_FILTER_ERR_ARG;
	}
	return bm_butter_lowpass(BM_FILTER_DEFAULT_ORDER, fc, rate_hz, out);
}

/* Sections usable for filtering: a count in range, a0 = 1, finite
 * coefficients, poles strictly inside the unit circle (the stability
 * triangle |a2| < 1, |a1| < 1 + a2). */
static int sos_valid(const struct bm_sos *sos)
{
	if (sos->n_sections < 1 || sos->n_sections > BM_SOS_MAX_SECTIONS)
		return 0;
	for (int s = 0; s < sos->n_sections; s++) {
		const double *q = sos->c[s];
		for (int j = 0; j < 6; j++)
			if (!isfinite(q[j]))
				return 0;
		if (q[3] != 1.0 || !(fabs(q[5]) < 1.0) || !(fabs(q[4]) < 1.0 + q[5]))
			return 0;
	}
	return 1;
}

/* Steady state of each section for a unit input: with DC gain G of the
 * section, y = G x, z0 = y - b0 x and z1 = b2 x - a2 y (DF-II transposed);
 * each section sees the DC gain of those before it as its input level. */
static void sos_zi(const struct bm_sos *sos, double zi[BM_SOS_MAX_SECTIONS][2])
{
	double level = 1.0;

	for (int s = 0; s < sos->n_sections; s++) {
		const double *q = sos->c[s];
		double g = (q[0] + q[1] + q[2]) / (q[3] + q[4] + q[5]);
		zi[s][0] = (g - q[0]) * level;
		zi[s][1] = (q[2] - q[5] * g) * level;
		level *= g;
	}
}

int bm_sos_zi(const struct bm_sos *sos, double zi[BM_SOS_MAX_SECTIONS][2])
{
	if (sos->n_sections < 1 || sos->n_sections > BM_SOS_MAX_SECTIONS)
		return BM_FILTER_ERR_ARG;
	sos_zi(sos, zi);
	return BM_FILTER_OK;
}

size_t bm_sos_padlen(const struct bm_sos *sos)
{
	int nb = 0, na = 0;

	if (sos->n_sections < 1 || sos->n_sections > BM_SOS_MAX_SECTIONS)
		return 0;
	for (int s = 0; s < sos->n_sections; s++) {
		nb += sos->c[s][2] == 0.0;
		na += sos->c[s][5] == 0.0;
	}
	return (size_t)(3 * (2 * sos->n_sections + 1 - (nb < na ? nb : na)));
}

/* ---- the per-sample kernel ---- */

/* One sample through the cascade, direct form II transposed, in the same
 * order of operations as scipy's sosfilt. */
static inline double sos_step(const double (*c)[6], double (*z)[2], int ns, double x)
{
	for (int s = 0; s < ns; s++) {
		const double *q = c[s];
		double y = q[0] * x + z[s][0];
		z[s][0] = q[1] * x - q[4] * y + z[s][1];
		z[s][1] = q[2] * x - q[5] * y;
		x = y;
	}
	return x;
}

static inline void set_state(double (*z)[2], const double (*zi)[2], int ns, double x0)
{
	for (int s = 0; s < ns; s++) {
		z[s][0] = zi[s][0] * x0;
		z[s][1] = zi[s][1] * x0;
	}
}

/*
 * sosfiltfilt with odd padding of p samples (0 < p < n), no allocation,
 * in place allowed: the right end of x is saved before the forward pass
 * overwrites it, and the forward output over the right padding lives on the
 * stack.  Outputs over the left padding are never needed: the backward pass
 * reaches them last.
 */
static void filtfilt_padded(const double (*c)[6], const double (*zi)[2], int ns,
                            const double *x, double *y, size_t n, size_t p)
{
	double z[BM_SOS_MAX_SECTIONS][2];
	double tail_x[PAD_MAX + 1];   /* x[n-1-p .. n-1] */
	double pad_y[PAD_MAX];        /* forward output over the right padding */
	double x0 = x[0], xl;

	memcpy(tail_x, x + (n - 1 - p), (p + 1) * sizeof *x);
	set_state(z, zi, ns, 2.0 * x0 - x[p]);
	for (size_t i = p; i >= 1; i--)
		(void)sos_step(c, z, ns, 2.0 * x0 - x[i]);
	for (size_t i = 0; i < n; i++)
		y[i] = sos_step(c, z, ns, x[i]);
	xl = tail_x[p];
	for (size_t i = 0; i < p; i++)
		pad_y[i] = sos_step(c, z, ns, 2.0 * xl - tail_x[p - 1 - i]);

	set_state(z, zi, ns, pad_y[p - 1]);
	for (size_t i = p; i-- > 0;)
		(void)sos_step(c, z, ns, pad_y[i]);
	for (size_t i = n; i-- > 0;)
		y[i] = sos_step(c, z, ns, y[i]);
}

int bm_sosfiltfilt(const struct bm_sos *sos, const double *x, double *y, size_t n)
{
	double zi[BM_SOS_MAX_SECTIONS][2];
	size_t p;

	if (!sos_valid(sos))
		return BM_FILTER_ERR_ARG;
	if (n == 0)
		return BM_FILTER_OK;
	if (n == 1) {
		y[0] = x[0];
		return BM_FILTER_OK;
	}
	sos_zi(sos, zi);
	p = bm_sos_padlen(sos);
	if (p > n - 1)
		p = n - 1;
	filtfilt_padded((const double (*)[6])sos->c, (const double (*)[2])zi,
	                sos->n_sections, x, y, n, p);
	return BM_FILTER_OK;
}

/* ---- causal filter ---- */

struct bm_sosfilt {
	int ns;
	enum bm_sosfilt_start start;
	int need_prime;                       /* START_STEADY: prime on next sample */
	double c[BM_SOS_MAX_SECTIONS][6];
	double zi[BM_SOS_MAX_SECTIONS][2];
	double z[BM_SOS_MAX_SECTIONS][2];
};

int bm_sosfilt_new(const struct bm_sos *sos, enum bm_sosfilt_start start,
                   struct bm_sosfilt **out)
{
	struct bm_sosfilt *f;

	*out = NULL;
	if (!sos_valid(sos) || (start != BM_SOSFILT_START_ZERO && start != BM_SOSFILT_START_STEADY))
		return BM_FILTER_ERR_ARG;
	f = calloc(1, sizeof *f);
	if (!f)
		return BM_FILTER_ERR_NOMEM;
	f->ns = sos->n_sections;
	f->start = start;
	memcpy(f->c, sos->c, sizeof f->c);
	sos_zi(sos, f->zi);
	bm_sosfilt_reset(f);
	*out = f;
	return BM_FILTER_OK;
}

void bm_sosfilt_free(struct bm_sosfilt *f)
{
	free(f);
}

void bm_sosfilt_reset(struct bm_sosfilt *f)
{
	memset(f->z, 0, sizeof f->z);
	f->need_prime = f->start == BM_SOSFILT_START_STEADY;
}

void bm_sosfilt_prime(struct bm_sosfilt *f, double x0)
{
	set_state(f->z, (const double (*)[2])f->zi, f->ns, x0);
	f->need_prime = 0;
}

double bm_sosfilt_step(struct bm_sosfilt *f, double x)
{
	if (isnan(x)) {
		bm_sosfilt_reset(f);
		return x;
	}
	if (f->need_prime)
		bm_sosfilt_prime(f, x);
	return sos_step((const double (*)[6])f->c, f->z, f->ns, x);
}

void bm_sosfilt_run(struct bm_sosfilt *f, const double *x, double *y, size_t n)
{
	for (size_t i = 0; i < n; i++)
		y[i] = bm_sosfilt_step(f, x[i]);
}

/* ---- look-ahead bound ---- */

/* Largest pole radius of the cascade. */
static double max_pole_radius(const struct bm_sos *sos)
{
	double rho = 0.0;

	for (int s = 0; s < sos->n_sections; s++) {
		double a1 = sos->c[s][4], a2 = sos->c[s][5];
		double disc = a1 * a1 - 4.0 * a2, r;
		if (disc < 0.0) {
			r = sqrt(a2);
		} else {
			double sq = sqrt(disc);
			r = fmax(fabs(-a1 + sq), fabs(-a1 - sq)) / 2.0;
		}
		rho = fmax(rho, r);
	}
	return rho;
}

int bm_sos_lookahead(const struct bm_sos *sos, double rel_error, size_t *out)
{
	const double (*c)[6] = (const double (*)[6])sos->c;
	int ns = sos->n_sections;
	int nst = 2 * ns;                           /* state components */
	double zimp[BM_SOS_MAX_SECTIONS][2] = {{0}};  /* impulse response run */
	double zfree[2 * BM_SOS_MAX_SECTIONS][BM_SOS_MAX_SECTIONS][2];
	double h1 = 0.0, kst = 0.0;
	double kstate[2 * BM_SOS_MAX_SECTIONS] = {0};
	double rho, horizon_d;
	size_t horizon, last = 0;
	int exceeded = 0;

	*out = 0;
	if (!sos_valid(sos) || !(rel_error > 0.0))
		return BM_FILTER_ERR_ARG;
	/* Simulate until rho^k has fallen by 1e-30: far past any k where the
	 * bound could still exceed rel_error for sane constants; the check at
	 * the end catches the rest. */
	rho = max_pole_radius(sos);
	horizon_d = rho > 0.0 ? ceil(log(1e-30) / log(rho)) : 0.0;
	horizon_d += 4.0 * ns + 16.0;
	if (horizon_d > 4.0 * (double)BM_ZEROPHASE_MAX_LOOKAHEAD)
		return BM_FILTER_ERR_SLOW;
	horizon = (size_t)horizon_d;

	/* Pass 1: ||h||_1 and the l1 norm of each state's impulse response. */
	for (size_t k = 0; k < horizon; k++) {
		double y = sos_step(c, zimp, ns, k == 0 ? 1.0 : 0.0);
		h1 += fabs(y);
		for (int s = 0; s < ns; s++) {
			kstate[2 * s] += fabs(zimp[s][0]);
			kstate[2 * s + 1] += fabs(zimp[s][1]);
		}
	}
	for (int m = 0; m < nst; m++)
		kst = fmax(kst, kstate[m]);

	/* Pass 2: zero-input responses from each unit state, in lockstep. */
	memset(zfree, 0, sizeof zfree);
	for (int m = 0; m < nst; m++)
		zfree[m][m / 2][m % 2] = 1.0;
	double scale = 3.0 * h1 * kst;
	for (size_t k = 0; k < horizon; k++) {
		double g = 0.0;
		for (int m = 0; m < nst; m++)
			g += fabs(sos_step(c, zfree[m], ns, 0.0));
		if (scale * g > rel_error) {
			last = k;
			exceeded = 1;
		}
	}
	if (exceeded && last + 1 >= horizon - (size_t)ns)
		return BM_FILTER_ERR_SLOW;   /* still not decayed at the horizon */
	*out = exceeded ? last + 1 : 1;
	if (*out > BM_ZEROPHASE_MAX_LOOKAHEAD) {
		*out = 0;
		return BM_FILTER_ERR_SLOW;
	}
	return BM_FILTER_OK;
}

/* ---- streaming zero-phase filter ---- */

/*
 * Layout: a segment's first pad + 1 samples wait in head (the left odd
 * extension needs x[pad]); then the forward pass starts and its outputs
 * collect in buf.  When buf holds block + look samples, the backward pass
 * runs from the last one (steady state there) down to 0, storing only the
 * first block: those go out, and at the next call the look-ahead part moves
 * to the front of buf.  At the segment's end the right extension (from the
 * ring of the last pad + 1 inputs) is filtered into buf behind the data and
 * the backward pass runs exactly as bm_sosfiltfilt's does.
 */
struct bm_zerophase {
	int ns;
	double c[BM_SOS_MAX_SECTIONS][6];
	double zi[BM_SOS_MAX_SECTIONS][2];
	double z[BM_SOS_MAX_SECTIONS][2];   /* forward-pass state */
	size_t pad;                         /* default padlen */
	size_t look;                        /* look-ahead L */
	size_t block;                       /* output block B */
	size_t seg_n;                       /* samples of the open segment */
	size_t fill;                        /* forward outputs in buf */
	size_t shift;                       /* buf entries handed out last call */
	size_t tail_pos;                    /* next write into tail */
	double *head;                       /* pad + 1 */
	double *tail;                       /* pad + 1, ring */
	double *buf;                        /* block + look + pad */
};

int bm_zerophase_new(const struct bm_sos *sos, size_t block_len,
                     struct bm_zerophase **out)
{
	struct bm_zerophase *zp;
	size_t look;
	int r;

	*out = NULL;
	if (block_len > BM_ZEROPHASE_MAX_BLOCK)
		return BM_FILTER_ERR_ARG;
	r = bm_sos_lookahead(sos, BM_ZEROPHASE_REL_ERROR, &look);
	if (r != BM_FILTER_OK)
		return r;
	zp = calloc(1, sizeof *zp);
	if (!zp)
		return BM_FILTER_ERR_NOMEM;
	zp->ns = sos->n_sections;
	memcpy(zp->c, sos->c, sizeof zp->c);
	sos_zi(sos, zp->zi);
	zp->pad = bm_sos_padlen(sos);
	zp->look = look;
	if (block_len == 0)
		block_len = look * 8 > 4096 ? look * 8 : 4096;
	/* The startup moves pad + 1 forward outputs into buf at once; a block
	 * at least that long never fires during it. */
	zp->block = block_len < zp->pad + 1 ? zp->pad + 1 : block_len;
	zp->head = malloc((zp->pad + 1) * sizeof *zp->head);
	zp->tail = malloc((zp->pad + 1) * sizeof *zp->tail);
	zp->buf = malloc((zp->block + zp->look + zp->pad) * sizeof *zp->buf);
	if (!zp->head || !zp->tail || !zp->buf) {
		bm_zerophase_free(zp);
		return BM_FILTER_ERR_NOMEM;
	}
	*out = zp;
	return BM_FILTER_OK;
}

void bm_zerophase_free(struct bm_zerophase *zp)
{
	if (!zp)
		return;
	free(zp->head);
	free(zp->tail);
	free(zp->buf);
	free(zp);
}

size_t bm_zerophase_lookahead(const struct bm_zerophase *zp)
{
	return zp->look;
}

size_t bm_zerophase_block_len(const struct bm_zerophase *zp)
{
	return zp->block;
}

size_t bm_zerophase_max_out(const struct bm_zerophase *zp)
{
	return zp->block + zp->look;
}

/* Drop what the previous call handed out. */
static void zp_drop_handed_out(struct bm_zerophase *zp)
{
	if (zp->shift) {
		memmove(zp->buf, zp->buf + zp->shift, (zp->fill - zp->shift) * sizeof *zp->buf);
		zp->fill -= zp->shift;
		zp->shift = 0;
	}
}

/* The segment has its first pad + 1 samples: run the forward pass over the
 * left odd extension and them. */
static void zp_start_forward(struct bm_zerophase *zp)
{
	const double (*c)[6] = (const double (*)[6])zp->c;
	double x0 = zp->head[0];
	size_t p = zp->pad;

	set_state(zp->z, (const double (*)[2])zp->zi, zp->ns, 2.0 * x0 - zp->head[p]);
	for (size_t i = p; i >= 1; i--)
		(void)sos_step(c, zp->z, zp->ns, 2.0 * x0 - zp->head[i]);
	for (size_t i = 0; i <= p; i++)
		zp->buf[i] = sos_step(c, zp->z, zp->ns, zp->head[i]);
	zp->fill = p + 1;
}

/* Backward pass from buf[from - 1] (steady state there) down to 0; stores
 * outputs for indices below keep only. */
static void zp_backward(struct bm_zerophase *zp, size_t from, size_t keep)
{
	const double (*c)[6] = (const double (*)[6])zp->c;
	double z[BM_SOS_MAX_SECTIONS][2];
	double *b = zp->buf;

	set_state(z, (const double (*)[2])zp->zi, zp->ns, b[from - 1]);
	for (size_t i = from; i-- > keep;)
		(void)sos_step(c, z, zp->ns, b[i]);
	for (size_t i = keep; i-- > 0;)
		b[i] = sos_step(c, z, zp->ns, b[i]);
}

/* Finish the open segment into buf[0 .. n-1]; returns n. */
static size_t zp_end_segment(struct bm_zerophase *zp)
{
	size_t n = zp->seg_n, p = zp->pad;

	if (n == 0)
		return 0;
	if (n <= p) {
		/* Too short for the default padding: bm_sosfiltfilt's rule. */
		if (n == 1)
			zp->buf[0] = zp->head[0];
		else
			filtfilt_padded((const double (*)[6])zp->c, (const double (*)[2])zp->zi,
			                zp->ns, zp->head, zp->buf, n, n - 1);
	} else {
		/* Ring holds x[n-1-p .. n-1], oldest at tail_pos. */
		size_t cap = p + 1, f = zp->fill;
		double xl = zp->tail[(zp->tail_pos + p) % cap];
		for (size_t i = 0; i < p; i++) {
			double xi = zp->tail[(zp->tail_pos + p - 1 - i) % cap];
			zp->buf[f + i] = sos_step((const double (*)[6])zp->c, zp->z, zp->ns,
			                          2.0 * xl - xi);
		}
		zp_backward(zp, f + p, f);
		n = f;
	}
	zp->seg_n = 0;
	zp->fill = 0;
	zp->tail_pos = 0;
	return n;
}

size_t bm_zerophase_push(struct bm_zerophase *zp, double x, const double **out)
{
	zp_drop_handed_out(zp);
	if (isnan(x)) {
		size_t n = zp_end_segment(zp);
		zp->buf[n] = x;
		*out = zp->buf;
		return n + 1;
	}
	zp->tail[zp->tail_pos] = x;
	if (++zp->tail_pos == zp->pad + 1)
		zp->tail_pos = 0;
	if (zp->seg_n <= zp->pad) {
		zp->head[zp->seg_n++] = x;
		if (zp->seg_n == zp->pad + 1)
			zp_start_forward(zp);
		*out = NULL;
		return 0;
	}
	zp->seg_n++;
	zp->buf[zp->fill++] = sos_step((const double (*)[6])zp->c, zp->z, zp->ns, x);
	if (zp->fill < zp->block + zp->look) {
		*out = NULL;
		return 0;
	}
	zp_backward(zp, zp->fill, zp->block);
	zp->shift = zp->block;
	*out = zp->buf;
	return zp->block;
}

size_t bm_zerophase_end(struct bm_zerophase *zp, const double **out)
{
	size_t n;

	zp_drop_handed_out(zp);
	n = zp_end_segment(zp);
	*out = n ? zp->buf : NULL;
	return n;
}
