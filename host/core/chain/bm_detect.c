/* bm_detect.c - rest tracking, loaded periods and their split into holds and
 * reps; the idea is in bm_detect.h. */
#include "bm_detect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bm_spectrum.h"
#include "bm_zigzag.h"

void bm_detect_params_default(struct bm_detect_params *p)
{
	p->onset_n = 20.0;
	p->noise_k = 5.0;
	p->min_hold_s = 10.0;
	p->min_rep_s = 0.3;
	p->max_rep_s = 6.0;
	p->min_plateau_s = 2.0;
	p->release_s = 1.0;
	p->dip_max_s = 0.8;
	p->sag_max_s = 3.0;
	p->sag_max_frac = 0.6;
	p->bridge_gap_s = 5.0;
	p->peak_smooth_s = 0.04;
	p->rest_up_rate_n_per_s = 3.0;
	p->reposition_s = 8.0;
	p->max_period_s = 600.0;
}

/* A one-second window is "stable" when its range is below this many noise
 * SDs, and never below STABLE_MIN_RANGE_N (tremor and slow wander). */
#define STABLE_MIN_RANGE_N 6.0
/* One-second windows whose median SD is the noise estimate. */
#define NOISE_WINDOWS 31
/* A stretch is plateau-shaped when this share of it is within 20 % of its
 * top (a hold); rise-top-lower reps stay well below. */
#define PLATEAU_FRAC 0.6
/* A plateau is the time within this share of the top's height above rest. */
#define PLATEAU_TOP_FRAC 0.8
/* Both sides of a brief dip must be this many dip widths long, and at least
 * DIP_SIDE_MIN_S, to be plateaus of one hold. */
#define DIP_SIDE_WIDTHS 3.0
#define DIP_SIDE_MIN_S 1.5
/* ... and near their top for this long. */
#define DIP_SIDE_TOP_S 1.2
/* A stretch this long with this share near its top is flat and long: part
 * of a hold, whatever wobble sits between it and the next. */
#define FLAT_LONG_MIN_S 2.5
#define FLAT_LONG_FRAC 0.75
/* A loaded period that settles this little above the threshold is a heel
 * put down higher (10-20 N), not an effort: light efforts are 30-60 N above
 * rest, and even tired they stay clear of it. */
#define REPOSITION_MARGIN_N 5.0
/* An effort's force rises past the threshold by a few noise SDs
 * (RISE_MARGIN_SD of them), at least RISE_MARGIN_MIN_N and at most
 * RISE_MARGIN_N: on a quiet plate (0.5 N) a rep 24 N above rest clears a
 * 20 N threshold, and a force hovering at the threshold on a noisy one
 * makes no efforts. */
#define RISE_MARGIN_N 5.0
#define RISE_MARGIN_MIN_N 2.0
#define RISE_MARGIN_SD 4.0
/* A stable run (for repositioning) restarts when its level moves by more
 * than this. */
#define RUN_ANCHOR_N 3.0
/* A heel at rest never weighs more than this on its plate (the leg's share
 * of body weight on the heel is 25-90 N): a first stable level above it is
 * an effort under way when the recording started. */
#define REST_MAX_N 100.0
/* A resting level is never clearly negative: a plate tared with the heel
 * resting reads about 0, and only a lifted foot reads below. */
#define REST_MIN_N (-12.0)
/* Stable seconds within this of each other are one level. */
#define LEVEL_TOL_N 8.0
/* An effort at the start must be this far above the rest it falls back to
 * (the onset threshold's convention). */
#define START_DROP_N 20.0

/* ------------------------------------------------------- rolling window */

/* Mean, SD, min and max over the last w samples, O(1) per sample: sums are
 * recomputed exactly every w pushes (no drift over millions of samples),
 * min and max come from monotonic queues. */
struct rollwin {
	int w, n, pos;          /* size, samples held, next slot */
	double *v;
	double sum, sumsq;
	long count;             /* samples pushed since reset */
	int resum;              /* pushes left until the exact re-sum */
	long *qmin, *qmax;      /* sample numbers */
	double *qminv, *qmaxv;  /* and their values: no v[k % w] look-up */
	int qmin_h, qmin_n, qmax_h, qmax_n;
};

static int rollwin_init(struct rollwin *r, int w)
{
	memset(r, 0, sizeof *r);
	r->w = w;
	r->resum = w;
	/* One block: values and the two queues' values, then their sample
	 * numbers. */
	r->v = calloc((size_t)w, 3 * sizeof(double) + 2 * sizeof(long));
	if (!r->v)
		return -1;
	r->qminv = r->v + w;
	r->qmaxv = r->qminv + w;
	r->qmin = (long *)(void *)(r->qmaxv + w);
	r->qmax = r->qmin + w;
	return 0;
}

static void rollwin_free(struct rollwin *r)
{
	free(r->v);
}

static void rollwin_reset(struct rollwin *r)
{
	r->n = r->pos = 0;
	r->sum = r->sumsq = 0;
	r->count = 0;
	r->resum = r->w;
	r->qmin_h = r->qmin_n = r->qmax_h = r->qmax_n = 0;
}

/* i + 1 or a sum of two indices below w, wrapped: no division. */
static inline int wrap(int i, int w)
{
	return i >= w ? i - w : i;
}

static void rollwin_push(struct rollwin *r, double x)
{
	long k = r->count++;
	int w = r->w, at;

	if (r->n == w) {
		double old = r->v[r->pos];
		r->sum -= old;
		r->sumsq -= old * old;
	} else {
		r->n++;
	}
	r->v[r->pos] = x;
	r->pos = wrap(r->pos + 1, w);
	r->sum += x;
	r->sumsq += x * x;
	if (--r->resum == 0) {
		r->resum = w;
		r->sum = r->sumsq = 0;
		for (int i = 0; i < r->n; i++) {
			r->sum += r->v[i];
			r->sumsq += r->v[i] * r->v[i];
		}
	}
	/* Drop queue heads that left the window, then the dominated tails. */
	if (r->qmin_n && r->qmin[r->qmin_h] <= k - w) {
		r->qmin_h = wrap(r->qmin_h + 1, w);
		r->qmin_n--;
	}
	while (r->qmin_n && r->qminv[wrap(r->qmin_h + r->qmin_n - 1, w)] >= x)
		r->qmin_n--;
	at = wrap(r->qmin_h + r->qmin_n++, w);
	r->qmin[at] = k;
	r->qminv[at] = x;
	if (r->qmax_n && r->qmax[r->qmax_h] <= k - w) {
		r->qmax_h = wrap(r->qmax_h + 1, w);
		r->qmax_n--;
	}
	while (r->qmax_n && r->qmaxv[wrap(r->qmax_h + r->qmax_n - 1, w)] <= x)
		r->qmax_n--;
	at = wrap(r->qmax_h + r->qmax_n++, w);
	r->qmax[at] = k;
	r->qmaxv[at] = x;
}

static int rollwin_full(const struct rollwin *r) { return r->n == r->w; }
static double rollwin_mean(const struct rollwin *r) { return r->sum / r->n; }
static double rollwin_range(const struct rollwin *r)
{
	return r->qmaxv[r->qmax_h] - r->qminv[r->qmin_h];
}
static double rollwin_sd(const struct rollwin *r)
{
	double m = r->sum / r->n, v = r->sumsq / r->n - m * m;
	return v > 0 ? sqrt(v) : 0;
}

/* ------------------------------------------------------------ detector */

struct split;
struct stretch;

struct bm_leg_detector {
	struct bm_detect_params p;
	int leg;
	double rate_hz, dt_s;

	enum bm_leg_mode mode;
	double rest_n;          /* resting level, NaN until known */
	double noise_sd_n;      /* of the filtered signal while not loaded */
	int have_noise;
	/* SDs of the last one-second windows while not loaded; their median
	 * is the noise (a median, so repositioning steps and the edges of
	 * efforts do not count). */
	double sd_ring[NOISE_WINDOWS];
	int sd_n, sd_pos;
	int win_count;          /* samples since the last window SD was taken */
	struct rollwin win;     /* last second */
	double cur_pk;          /* this sample's value for the peak */

	double prev_t, prev_x, prev_raw, prev_pk;
	int have_prev;

	/* LIFTED: how long the force has been back above the lift level. */
	double above_lift_s;

	/* Current loaded period. */
	double *pt, *px, *pr;   /* samples of the period: time, filtered, raw */
	double *pk;             /* ... and the value each offers for the peak */
	struct bm_spectrum *spec; /* tremor of holds */
	size_t pn, pcap, pmax;
	double p_start_s;       /* up-crossing (or first sample after a gap) */
	int p_start_gap;
	int p_started_loaded;   /* the period began with the data */
	int seen;               /* a sample has been pushed */
	double p_rest_n, p_thr_n;
	double below_since_s;   /* down-crossing while below threshold, or NaN */
	double run_anchor_n, run_start_s; /* stable run, for repositioning */

	/* Live valley count in the current period: the same zigzag as the
	 * final split, on the amplitude so far. */
	struct bm_zigzag zz;
	int valleys;
	double hold_since_s;    /* period start, or the last rep-like valley */

	/* Scratch of the per-period work, grown only (no allocation per
	 * period once they are big enough). */
	struct split *sp;
	struct stretch *st;
	size_t sp_cap, st_cap;
	double *sorted;         /* a copy of a hold's samples, for its median */
	size_t sorted_cap;

	/* Finished events, a growing queue. */
	struct bm_event *ev;
	size_t ev_n, ev_head, ev_cap;
	size_t lost;            /* events dropped for lack of memory (sticky) */
};

static double threshold(const struct bm_leg_detector *d)
{
	double t = d->p.onset_n;
	if (d->have_noise && d->p.noise_k * d->noise_sd_n > t)
		t = d->p.noise_k * d->noise_sd_n;
	return t;
}

/* Below this the foot is in the air.  Rest is 30-80 N; a lifted heel reads
 * 0-5 N.  70 % below rest (at least 10 N below) separates the two even when
 * the heel was repositioned 20 N lower; and a reading above LIFT_MAX_N is
 * never a foot in the air, whatever the resting level says (it is the rest
 * level that is wrong then, and it follows the reading down). */
#define LIFT_MAX_N 20.0
#define LIFT_DROP_FRAC 0.7
#define LIFT_DROP_MIN_N 10.0
/* Back above the lift level by this much for LIFT_BACK_S: the foot is down. */
#define LIFT_BACK_N 3.0
#define LIFT_BACK_S 0.3
static double lift_level(double rest_n)
{
	double drop = LIFT_DROP_FRAC * rest_n;
	double l = rest_n - (drop > LIFT_DROP_MIN_N ? drop : LIFT_DROP_MIN_N);
	return l < LIFT_MAX_N ? l : LIFT_MAX_N;
}

static double stable_range(const struct bm_leg_detector *d)
{
	double r = d->have_noise ? 6.0 * d->noise_sd_n : 0;
	return r > STABLE_MIN_RANGE_N ? r : STABLE_MIN_RANGE_N;
}

struct bm_leg_detector *bm_leg_detector_new(const struct bm_detect_params *p, int leg,
                                            double rate_hz)
{
	struct bm_leg_detector *d;
	int w;

	if (!p || !(rate_hz > 0) || !(rate_hz <= BM_DETECT_MAX_RATE_HZ) || leg < 0 || leg > 1)
		return NULL;
	d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->p = *p;
	d->leg = leg;
	d->rate_hz = rate_hz;
	d->dt_s = 1.0 / rate_hz;
	w = (int)lround(rate_hz * 1.0);
	if (w < 3)
		w = 3;
	if (rollwin_init(&d->win, w) != 0) {
		bm_leg_detector_free(d);
		return NULL;
	}
	d->mode = BM_LEG_UNKNOWN;
	d->rest_n = NAN;
	d->below_since_s = NAN;
	d->run_anchor_n = NAN;
	d->pmax = (size_t)(p->max_period_s * rate_hz * 1.05) + 16;
	/* Tremor segments of about 3 s: 0.3 Hz bins at 80 SPS. */
	size_t nfft = 8;
	while ((double)nfft < 3.0 * rate_hz)
		nfft *= 2;
	d->spec = bm_spectrum_new(nfft);
	if (!d->spec) {
		bm_leg_detector_free(d);
		return NULL;
	}
	return d;
}

void bm_leg_detector_free(struct bm_leg_detector *d)
{
	if (!d)
		return;
	rollwin_free(&d->win);
	bm_spectrum_free(d->spec);
	free(d->pt);
	free(d->px);
	free(d->pr);
	free(d->pk);
	free(d->sp);
	free(d->st);
	free(d->sorted);
	free(d->ev);
	free(d);
}

void bm_leg_detector_set_rest(struct bm_leg_detector *d, double rest_n)
{
	if (isfinite(rest_n)) {
		d->rest_n = rest_n;
		if (d->mode == BM_LEG_UNKNOWN)
			d->mode = BM_LEG_REST;
	}
}

/* Grow one of the period's arrays to @p ncap.  0, or -1 (unchanged). */
static int period_grow(double **a, size_t ncap)
{
	double *n = realloc(*a, ncap * sizeof *n);
	if (!n)
		return -1;
	*a = n;
	return 0;
}

static int period_append(struct bm_leg_detector *d, double t, double x, double raw, double pk)
{
	if (d->pn == d->pcap) {
		size_t ncap = d->pcap ? d->pcap * 2 : 1024;
		if (ncap > d->pmax)
			ncap = d->pmax;
		if (ncap <= d->pcap || period_grow(&d->pt, ncap) || period_grow(&d->px, ncap) ||
		    period_grow(&d->pr, ncap) || period_grow(&d->pk, ncap))
			return -1;
		d->pcap = ncap;
	}
	d->pt[d->pn] = t;
	d->px[d->pn] = x;
	d->pr[d->pn] = raw;
	d->pk[d->pn] = pk;
	d->pn++;
	return 0;
}

static void emit(struct bm_leg_detector *d, const struct bm_event *e)
{
	if (d->ev_head > 0 && d->ev_head == d->ev_n) {
		d->ev_head = d->ev_n = 0;
	}
	if (d->ev_n == d->ev_cap) {
		size_t ncap = d->ev_cap ? d->ev_cap * 2 : 16;
		struct bm_event *ne = realloc(d->ev, ncap * sizeof *ne);
		if (!ne) {
			/* Out of memory: the event is lost, counted, and detection
			 * goes on (the session reports the count as an error). */
			d->lost++;
			return;
		}
		d->ev = ne;
		d->ev_cap = ncap;
	}
	d->ev[d->ev_n++] = *e;
}

/* Time at which the segment a -> b crosses level y (linear). */
static double cross_time(double ta, double xa, double tb, double xb, double y)
{
	if (xb == xa)
		return tb;
	double f = (y - xa) / (xb - xa);
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return ta + f * (tb - ta);
}

/* ------------------------------------------------------------- stage B */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}


/* The k-th smallest of x[0..n-1], n > 0 (reorders x): Hoare's selection,
 * O(n) on average where a sort is O(n log n). */
static double select_kth(double *x, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		double piv = x[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (x[i] < piv)
				i++;
			while (x[j] > piv)
				j--;
			if (i <= j) {
				double tmp = x[i];
				x[i] = x[j];
				x[j] = tmp;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return x[k];
	}
	return x[k];
}

/* A candidate boundary inside a period. */
struct split {
	size_t lo, hi;      /* samples [lo, hi] are the boundary region: a
	                       valley (lo == hi) or a touch below threshold */
	double left_end_s;  /* end of the stretch before it */
	double right_start_s; /* start of the stretch after it */
	double width_s;     /* time below the dip's mid-level */
	int keep;
	int touch;          /* the force went below the threshold (not a
	                       valley above it) */
};

/* Make room for @p need elements of @p elem bytes in the grow-only buffer
 * *buf of capacity *cap.  0, or -1 when out of memory (*buf unchanged). */
static int scratch(void **buf, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *nb = realloc(*buf, n * elem);
	if (!nb)
		return -1;
	*buf = nb;
	*cap = n;
	return 0;
}

/* A stretch between boundaries. */
struct stretch {
	size_t lo, hi;      /* sample range */
	double start_s, end_s;
	int gap_start, gap_end;
	int dips;           /* boundaries merged into it */
};

/* Merge stretch k + 1 into stretch k, dropping split k between them. */
static void merge_stretches(struct stretch *st, size_t *nst, struct split *sp, size_t *ns,
                            size_t k)
{
	st[k].hi = st[k + 1].hi;
	st[k].end_s = st[k + 1].end_s;
	st[k].gap_end = st[k + 1].gap_end;
	st[k].dips += st[k + 1].dips + 1;
	memmove(&st[k + 1], &st[k + 2], (*nst - (k + 2)) * sizeof *st);
	(*nst)--;
	memmove(&sp[k], &sp[k + 1], (*ns - (k + 1)) * sizeof *sp);
	(*ns)--;
}

static double stretch_plateau_frac(const double *x, size_t lo, size_t hi, double rest)
{
	double top = -INFINITY;
	size_t in = 0;
	for (size_t i = lo; i <= hi; i++)
		if (x[i] > top)
			top = x[i];
	double lim = rest + PLATEAU_TOP_FRAC * (top - rest);
	for (size_t i = lo; i <= hi; i++)
		in += x[i] >= lim;
	return (double)in / (double)(hi - lo + 1);
}

/* A stretch of a hold rather than a rep: long, and flat near its top. */
static int flat_and_long(const double *x, const struct stretch *s, double rest)
{
	return s->end_s - s->start_s >= FLAT_LONG_MIN_S &&
	       stretch_plateau_frac(x, s->lo, s->hi, rest) >= FLAT_LONG_FRAC;
}

static double stretch_peak(const double *x, size_t lo, size_t hi)
{
	double top = -INFINITY;
	for (size_t i = lo; i <= hi; i++)
		if (x[i] > top)
			top = x[i];
	return top;
}

/* Time the signal around the boundary spends below the dip's mid-level
 * (halfway between the valley and the lower of the neighbouring peaks). */
static double dip_width(const double *t, const double *x, size_t n, size_t lo, size_t hi,
                        double peak_left, double peak_right)
{
	double v = INFINITY;
	size_t vi = lo;
	for (size_t i = lo; i <= hi; i++)
		if (x[i] < v) {
			v = x[i];
			vi = i;
		}
	double ptop = peak_left < peak_right ? peak_left : peak_right;
	double mid = v + 0.5 * (ptop - v);
	size_t a = vi, b = vi;
	while (a > 0 && x[a - 1] < mid)
		a--;
	while (b + 1 < n && x[b + 1] < mid)
		b++;
	double ta = a > 0 ? cross_time(t[a - 1], x[a - 1], t[a], x[a], mid) : t[a];
	double tb = b + 1 < n ? cross_time(t[b], x[b], t[b + 1], x[b + 1], mid) : t[b];
	return tb - ta;
}

/* The sample as read stands in for the peak unless it is further above the
 * despiked one than this share of the force above rest plus this much:
 * between neighbouring samples even a short rep at 10 SPS changes by less,
 * a glitch (an all-ones word, 4000 N) by far more. */
#define PEAK_GLITCH_FRAC 0.15
#define PEAK_GLITCH_MIN_N 5.0

/* Samples further apart than this many nominal steps have data missing
 * between them (a bridged gap). */
#define MISSING_STEPS 1.5

/* The highest force of samples [lo, hi]: the despiked, unfiltered force
 * (the low-pass rings on a fast edge and would overshoot a step) averaged
 * over peak_smooth_s, so the noise adds little.  Falls back on the filtered
 * force where the unfiltered one is not known. */
static double effort_peak(const struct bm_leg_detector *d, size_t lo, size_t hi)
{
	const double *r = d->pk, *x = d->px;
	size_t k = (size_t)lround(d->p.peak_smooth_s * d->rate_hz);
	double best = -INFINITY;

	if (k < 1)
		k = 1;
	if (k > hi - lo + 1)
		k = hi - lo + 1;
	for (size_t i = lo; i + k - 1 <= hi; i++) {
		double sum = 0;
		int ok = 1;
		for (size_t j = i; j < i + k; j++) {
			ok = ok && isfinite(r[j]);
			sum += r[j];
		}
		double v = ok ? sum / (double)k : x[i];
		if (v > best)
			best = v;
	}
	return best;
}

static void measure_and_emit(struct bm_leg_detector *d, const struct stretch *s,
                             enum bm_event_kind kind, double rest, double thr)
{
	const double *t = d->pt, *x = d->px;
	struct bm_event e;
	double imp = 0, missing = 0;
	size_t lo = s->lo, hi = s->hi;

	memset(&e, 0, sizeof e);
	e.kind = kind;
	e.leg = d->leg;
	e.start_s = s->start_s;
	e.end_s = s->end_s;
	e.tut_s = s->end_s - s->start_s;
	e.baseline_n = rest;
	e.threshold_n = thr;
	e.started_loaded = s->gap_start && s->lo == 0 && d->p_started_loaded;
	for (size_t i = lo + 1; i <= hi; i++) {
		/* Trapezoid over the samples inside [start, end]; nothing is
		 * made up across missing data. */
		double ta = t[i - 1] > s->start_s ? t[i - 1] : s->start_s;
		double tb = t[i] < s->end_s ? t[i] : s->end_s;
		if (!(tb > ta))
			continue;
		if (t[i] - t[i - 1] > MISSING_STEPS * d->dt_s) {
			missing += tb - ta;
			continue;
		}
		imp += 0.5 * (x[i - 1] - rest + x[i] - rest) * (tb - ta);
	}
	e.peak_n = effort_peak(d, lo, hi);
	e.peak_above_rest_n = e.peak_n - rest;
	e.impulse_ns = imp;
	e.gap_inside_s = missing;
	e.cut_by_gap = (s->gap_start && !e.started_loaded) || s->gap_end || missing > 0;

	/* Plateau: from the first time the force reaches 80 % of its median
	 * level above rest to the last time it is there, so the ramps up and
	 * down are left out.  For reps the whole event counts. */
	size_t a = lo, b = hi;
	if (kind == BM_EVENT_HOLD) {
		size_t n = hi - lo + 1;
		if (scratch((void **)&d->sorted, &d->sorted_cap, n, sizeof *d->sorted) == 0) {
			memcpy(d->sorted, x + lo, n * sizeof *d->sorted);
			double med = select_kth(d->sorted, n, n / 2);
			double lim = rest + PLATEAU_TOP_FRAC * (med - rest);
			while (a < hi && x[a] < lim)
				a++;
			while (b > a && x[b] < lim)
				b--;
		}
	}
	double sum = 0, ss = 0, low = INFINITY;
	size_t cnt = 0;
	for (size_t i = a; i <= b; i++) {
		sum += x[i];
		low = x[i] < low ? x[i] : low;
		cnt++;
	}
	double mean = sum / (double)cnt;
	for (size_t i = a; i <= b; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	e.mean_n = mean;
	e.mean_above_rest_n = mean - rest;
	e.cv_pct = cnt > 1 && mean != 0 ? 100.0 * sqrt(ss / (double)(cnt - 1)) / fabs(mean) : 0;
	e.plateau_start_s = kind == BM_EVENT_HOLD ? t[a] : e.start_s;
	e.plateau_end_s = kind == BM_EVENT_HOLD ? t[b] : e.end_s;
	e.dips = kind == BM_EVENT_HOLD ? s->dips : 0;
	e.dip_min_n = e.dips > 0 ? low : NAN;
	e.counted = kind == BM_EVENT_HOLD && e.end_s - e.start_s >= d->p.min_hold_s;
	e.tremor_hz = e.tremor_rms_n = NAN;
	if (kind == BM_EVENT_HOLD) {
		int raw_ok = missing == 0;
		for (size_t i = a; i <= b && raw_ok; i++)
			raw_ok = isfinite(d->pr[i]);
		if (raw_ok) {
			struct bm_tremor tr;
			bm_spectrum_tremor(d->spec, d->pr + a, b - a + 1, d->rate_hz, &tr);
			e.tremor_hz = tr.peak_hz;
			e.tremor_rms_n = tr.rms_n;
		}
	}
	emit(d, &e);
}

/*
 * Candidate boundaries of the period's samples [lo, hi]: every touch below
 * the threshold @p level, and every valley of the zigzag.  They go to
 * d->sp.  @return how many, or -1 when out of memory.
 */
static long find_boundaries(struct bm_leg_detector *d, size_t lo, size_t hi, double level,
                            double rev)
{
	const double *t = d->pt, *x = d->px;
	struct bm_zigzag zz;
	size_t ns = 0, i = lo;

	bm_zigzag_reset(&zz, x[lo]);
	while (i <= hi) {
		struct split s = {.keep = 1};
		int is_split = 1;
		if (x[i] < level) {
			/* A touch below threshold: [i, j] stays below. */
			size_t j = i;
			while (j + 1 <= hi && x[j + 1] < level)
				j++;
			is_split = j < hi && i > lo;
			if (is_split) {
				s.touch = 1;
				s.lo = i;
				s.hi = j;
				s.left_end_s = cross_time(t[i - 1], x[i - 1], t[i], x[i], level);
				s.right_start_s = cross_time(t[j], x[j], t[j + 1], x[j + 1], level);
			}
			i = j + 1;
			if (i <= hi)
				bm_zigzag_reset(&zz, x[i]);
			if (!is_split)
				continue;
		} else if (bm_zigzag_step(&zz, x[i], i, rev)) {
			s.lo = s.hi = zz.valley_at;
			s.left_end_s = s.right_start_s = t[zz.valley_at];
			i++;
		} else {
			i++;
			continue;
		}
		if (scratch((void **)&d->sp, &d->sp_cap, ns + 1, sizeof *d->sp) != 0)
			return -1;
		d->sp[ns++] = s;
	}
	return (long)ns;
}

/* The stretches between the @p ns boundaries of [lo, hi] into d->st, and
 * the width of each dip.  @return 0, or -1 when out of memory. */
static int make_stretches(struct bm_leg_detector *d, size_t lo, size_t hi, size_t ns,
                          double start_s, double end_s, int gap_start, int gap_end)
{
	struct split *sp = d->sp;
	struct stretch *st;

	if (scratch((void **)&d->st, &d->st_cap, ns + 1, sizeof *d->st) != 0)
		return -1;
	st = d->st;
	for (size_t k = 0; k <= ns; k++) {
		st[k].lo = k == 0 ? lo : sp[k - 1].hi;
		st[k].hi = k == ns ? hi : sp[k].lo;
		st[k].start_s = k == 0 ? start_s : sp[k - 1].right_start_s;
		st[k].end_s = k == ns ? end_s : sp[k].left_end_s;
		st[k].gap_start = k == 0 && gap_start;
		st[k].gap_end = k == ns && gap_end;
		st[k].dips = 0;
	}
	for (size_t k = 0; k < ns; k++)
		sp[k].width_s = dip_width(d->pt, d->px, d->pn, sp[k].lo, sp[k].hi,
		                          stretch_peak(d->px, st[k].lo, st[k].hi),
		                          stretch_peak(d->px, st[k + 1].lo, st[k + 1].hi));
	return 0;
}

/*
 * Merge across dips inside holds; repeat until nothing changes, since
 * merging can make a stretch long enough to pull in its neighbour.  Split
 * k lies between stretches k and k + 1.  The two sides merge when
 *  - both are too long to be reps: one hold with a sag in it, whatever the
 *    dip's width (the force did not stay down long enough to end the
 *    loaded period);
 *  - the dip is brief (at most dip_max_s below its mid-level) and one side
 *    is already a hold;
 *  - the dip is brief and both sides are plateau-shaped (most of their
 *    time near their top) and each at least 3 dip widths and 1.5 s long;
 *  - or, for a short stretch between two brief dips, the stretches on
 *    either side are flat and long (a tired hold wobbling twice in a row):
 *    all three merge;
 *  - the dip is a sag that stayed above the threshold, at most sag_max_s
 *    wide and down by at most sag_max_frac of the force above rest, between
 *    two plateau-shaped stretches of min_plateau_s or more (an athlete
 *    adjusting during a long hold).
 * A touch-and-go rep rises, tops and lowers, is neither long nor flat
 * enough for any of these, and stays a rep.
 */

/* Stretch @p s is plateau-shaped (most of it near its top) and near its
 * top for at least min_plateau_s: (part of) a hold.  A rep with a pause at
 * the top is near its top for a second or so; a short maximal effort for
 * two seconds and more. */
static int plateau_part(const struct bm_leg_detector *d, const struct stretch *s, double rest)
{
	double frac = stretch_plateau_frac(d->px, s->lo, s->hi, rest);
	return frac >= PLATEAU_FRAC &&
	       frac * (double)(s->hi - s->lo + 1) * d->dt_s >= d->p.min_plateau_s;
}

/* Split @p sp between stretches @p L and @p R is a sag inside one hold. */
static int is_sag(const struct bm_leg_detector *d, const struct split *sp,
                  const struct stretch *L, const struct stretch *R, double rest)
{
	if (sp->touch || sp->width_s > d->p.sag_max_s)
		return 0;
	double top = fmin(stretch_peak(d->px, L->lo, L->hi), stretch_peak(d->px, R->lo, R->hi));
	double valley = d->px[sp->lo];
	if (!(top > rest) || (top - valley) > d->p.sag_max_frac * (top - rest))
		return 0;
	return plateau_part(d, L, rest) && plateau_part(d, R, rest);
}

static void merge_dips(struct bm_leg_detector *d, size_t *nst, size_t *ns, double rest)
{
	struct stretch *st = d->st;
	struct split *sp = d->sp;
	const double *x = d->px;
	int changed = 1;

	while (changed) {
		changed = 0;
		for (size_t k = 0; k < *ns; k++) {
			const struct stretch *L = &st[k], *R = &st[k + 1];
			double w = sp[k].width_s;
			double dl = L->end_s - L->start_s, dr = R->end_s - R->start_s;
			int merge = (dl > d->p.max_rep_s && dr > d->p.max_rep_s) ||
			            is_sag(d, &sp[k], L, R, rest);
			if (!merge && w <= d->p.dip_max_s) {
				/* Each side near its top for long enough: a flat-topped
				 * touch-and-go rep is near its top for a second at most. */
				double need = DIP_SIDE_WIDTHS * w > DIP_SIDE_MIN_S ? DIP_SIDE_WIDTHS * w
				                                                   : DIP_SIDE_MIN_S;
				double fl = stretch_plateau_frac(x, L->lo, L->hi, rest);
				double fr = stretch_plateau_frac(x, R->lo, R->hi, rest);
				int lpl = dl >= need && fl >= PLATEAU_FRAC && fl * dl >= DIP_SIDE_TOP_S;
				int rpl = dr >= need && fr >= PLATEAU_FRAC && fr * dr >= DIP_SIDE_TOP_S;
				merge = (lpl && rpl) || dl >= d->p.min_hold_s || dr >= d->p.min_hold_s;
			}
			if (!merge && k + 1 < *ns && w <= d->p.dip_max_s &&
			    sp[k + 1].width_s <= d->p.dip_max_s && dr <= d->p.max_rep_s) {
				const struct stretch *R2 = &st[k + 2];
				merge = flat_and_long(x, L, rest) && flat_and_long(x, R2, rest);
				if (merge) /* the far side first, so k still names L */
					merge_stretches(st, nst, sp, ns, k + 1);
			}
			if (merge) {
				merge_stretches(st, nst, sp, ns, k);
				changed = 1;
				break; /* indices moved: start the scan again */
			}
		}
	}
}

/*
 * Emit stretch @p s as an event of @p kind, or, when data is missing inside
 * it (a chip that stopped answering for a few seconds mid-effort, bridged
 * by the detector), as one event per part on either side of each gap,
 * all of the kind of the whole effort and flagged cut_by_gap: the effort is
 * judged whole, and no number is made up across the missing data.
 */
static void emit_parts(struct bm_leg_detector *d, const struct stretch *s, enum bm_event_kind kind,
                       double rest, double thr)
{
	const double *t = d->pt;
	struct stretch part = *s;

	for (size_t i = s->lo + 1; i <= s->hi; i++) {
		if (!(t[i] - t[i - 1] > MISSING_STEPS * d->dt_s))
			continue;
		part.hi = i - 1;
		part.end_s = t[i - 1];
		part.gap_end = 1;
		if (part.hi > part.lo && part.end_s - part.start_s >= d->p.min_rep_s)
			measure_and_emit(d, &part, kind, rest, thr);
		part.lo = i;
		part.start_s = t[i];
		part.gap_start = 1;
		part.gap_end = s->gap_end;
		part.end_s = s->end_s;
		part.hi = s->hi;
		part.dips = 0;
	}
	if (part.hi > part.lo && part.end_s - part.start_s >= d->p.min_rep_s)
		measure_and_emit(d, &part, kind, rest, thr);
}

static double rise_margin(const struct bm_leg_detector *d)
{
	double m = d->have_noise ? RISE_MARGIN_SD * d->noise_sd_n : RISE_MARGIN_N;
	if (m < RISE_MARGIN_MIN_N)
		return RISE_MARGIN_MIN_N;
	return m > RISE_MARGIN_N ? RISE_MARGIN_N : m;
}

/* Each stretch of at least min_rep_s becomes an event: a hold when it is
 * longer than any rep or plateau-shaped and min_plateau_s long, else a
 * rep. */
static void emit_stretches(struct bm_leg_detector *d, size_t nst, double rest, double thr,
                           double after_n)
{
	double margin = rise_margin(d);

	for (size_t k = 0; k < nst; k++) {
		const struct stretch *s = &d->st[k];
		double dur = s->end_s - s->start_s;
		/* A heel put down higher overshoots a little: the last stretch
		 * must rise a threshold above where the force settled after it,
		 * not only above the old rest. */
		if (k == nst - 1 && isfinite(after_n) && stretch_peak(d->px, s->lo, s->hi) < after_n + thr)
			continue;
		/* Hysteresis: an effort rises clearly past the threshold; a
		 * force hovering at it (a heel put down a threshold higher at
		 * the very end of the data) makes no efforts. */
		if (dur < d->p.min_rep_s || stretch_peak(d->px, s->lo, s->hi) < rest + thr + margin)
			continue;
		/* Every effort is reported; its shape says which kind. */
		int hold = dur > d->p.max_rep_s || plateau_part(d, s, rest);
		emit_parts(d, s, hold ? BM_EVENT_HOLD : BM_EVENT_REP, rest, thr);
	}
}

/*
 * Split the period held in d->pt/px (start at up-crossing start_s, end at
 * down-crossing end_s) into holds and reps.  @p rest and @p thr are the
 * resting level and threshold that apply.
 */
static void split_period(struct bm_leg_detector *d, double start_s, double end_s,
                         int gap_start, int gap_end, double rest, double thr,
                         double after_n)
{
	const double *t = d->pt, *x = d->px;
	size_t n = d->pn, lo = 0, hi, ns, nst;
	long found;

	if (n < 2 || !(end_s > start_s))
		return;
	/* Samples inside [start_s, end_s]. */
	while (lo < n && t[lo] < start_s)
		lo++;
	hi = n - 1;
	while (hi > lo && t[hi] > end_s)
		hi--;
	if (lo >= n || hi <= lo) {
		/* Shorter than two samples: too short for anything. */
		return;
	}
	double rev = bm_zigzag_reversal_n(stretch_peak(x, lo, hi) - rest,
	                                  d->have_noise ? d->noise_sd_n : 0);
	found = find_boundaries(d, lo, hi, rest + thr, rev);
	if (found < 0 || make_stretches(d, lo, hi, (size_t)found, start_s, end_s, gap_start,
	                                 gap_end) != 0) {
		d->lost++; /* out of memory: this period's efforts are lost */
		return;
	}
	ns = (size_t)found;
	nst = ns + 1;
	merge_dips(d, &nst, &ns, rest);
	emit_stretches(d, nst, rest, thr, after_n);
}

/* ------------------------------------------------------------- stage A */

static void start_period(struct bm_leg_detector *d, double start_s, int after_gap)
{
	d->p_started_loaded = !d->seen;
	d->pn = 0;
	d->mode = BM_LEG_LOADED;
	d->p_start_s = start_s;
	d->p_start_gap = after_gap;
	d->p_rest_n = d->rest_n;
	d->p_thr_n = threshold(d);
	d->below_since_s = NAN;
	d->run_anchor_n = NAN;
	bm_zigzag_reset(&d->zz, -INFINITY);
	d->valleys = 0;
	d->hold_since_s = start_s;
}

static void end_period(struct bm_leg_detector *d, double end_s, int at_gap, double rest)
{
	/* Where the force settled after the end: the samples after it that the
	 * release time collected (NaN when there are too few). */
	double sum = 0, after = NAN;
	size_t cnt = 0;
	for (size_t i = d->pn; i-- > 0 && d->pt[i] > end_s;) {
		sum += d->px[i];
		cnt++;
	}
	if (cnt >= 3 && !at_gap)
		after = sum / (double)cnt;
	split_period(d, d->p_start_s, end_s, d->p_start_gap, at_gap, rest, d->p_thr_n, after);
	d->pn = 0;
	d->below_since_s = NAN;
	d->valleys = 0;
}

/* The heel was put down higher during a "loaded" period: the period keeps
 * only what rose above the new rest level. */
static void rebase_period(struct bm_leg_detector *d, double new_rest)
{
	double level = new_rest + d->p_thr_n;
	size_t last = (size_t)-1;
	for (size_t i = d->pn; i-- > 1;) {
		if (d->px[i - 1] >= level && d->px[i] < level) {
			last = i;
			break;
		}
	}
	if (last != (size_t)-1) {
		double end_s = cross_time(d->pt[last - 1], d->px[last - 1], d->pt[last],
		                          d->px[last], level);
		/* Split with the old rest for the start, the new one for the end:
		 * the crossings are what they were; only the end moved. */
		split_period(d, d->p_start_s, end_s, d->p_start_gap, 0, d->p_rest_n, d->p_thr_n,
		             new_rest);
	}
	d->pn = 0;
	d->rest_n = new_rest;
	d->mode = BM_LEG_REST;
	d->below_since_s = NAN;
	d->valleys = 0;
}

/* Every second while the leg is not loaded: the SD of the last second of
 * filtered force goes into a ring, and the noise is the ring's median.
 * Without it a noisy plate (a long unshielded cable) would never look
 * "stable" against a fixed range, and would never get a resting level. */
static void update_noise(struct bm_leg_detector *d)
{
	if (++d->win_count < d->win.w || !rollwin_full(&d->win))
		return;
	d->win_count = 0;
	d->sd_ring[d->sd_pos] = rollwin_sd(&d->win);
	d->sd_pos = (d->sd_pos + 1) % NOISE_WINDOWS;
	if (d->sd_n < NOISE_WINDOWS)
		d->sd_n++;
	if (d->sd_n >= 3) {
		double tmp[NOISE_WINDOWS];
		memcpy(tmp, d->sd_ring, (size_t)d->sd_n * sizeof *tmp);
		d->noise_sd_n = select_kth(tmp, (size_t)d->sd_n, (size_t)d->sd_n / 2);
		d->have_noise = 1;
	}
}

static void update_rest(struct bm_leg_detector *d)
{
	if (!rollwin_full(&d->win) || rollwin_range(&d->win) > stable_range(d))
		return;
	double m = rollwin_mean(&d->win);
	if (m < d->rest_n)
		d->rest_n = m;
	else {
		double up = d->p.rest_up_rate_n_per_s * d->dt_s;
		d->rest_n += m - d->rest_n < up ? m - d->rest_n : up;
	}
}

/* Unknown: the first stable second is the rest (whatever the tare: a plate
 * tared with the heel resting reads about 0). */
static void push_unknown(struct bm_leg_detector *d)
{
	if (rollwin_full(&d->win) && rollwin_range(&d->win) <= stable_range(d)) {
		d->rest_n = rollwin_mean(&d->win);
		d->mode = BM_LEG_REST;
	}
}

/* At rest: a lift, the start of a loaded period, or a new rest level. */
static void push_rest(struct bm_leg_detector *d, double t, double x, double raw)
{
	double level = d->rest_n + threshold(d);

	if (x < lift_level(d->rest_n)) {
		d->mode = BM_LEG_LIFTED;
		d->above_lift_s = 0;
	} else if (x > level) {
		double st = d->have_prev ? cross_time(d->prev_t, d->prev_x, t, x, level) : t;
		start_period(d, st, !d->have_prev);
		if (d->have_prev)
			period_append(d, d->prev_t, d->prev_x, d->prev_raw, d->prev_pk);
		period_append(d, t, x, raw, d->cur_pk);
	} else {
		update_rest(d);
	}
}

/* Foot in the air: down again after LIFT_BACK_S back above the lift level. */
static void push_lifted(struct bm_leg_detector *d, double x)
{
	if (x >= lift_level(d->rest_n) + LIFT_BACK_N) {
		d->above_lift_s += d->dt_s;
		if (d->above_lift_s >= LIFT_BACK_S)
			d->mode = BM_LEG_REST;
	} else {
		d->above_lift_s = 0;
	}
}

/* Loaded: collect the period, count valleys, and end it on a release, a
 * lifted foot, or a heel found to rest higher than before. */
static void push_loaded(struct bm_leg_detector *d, double t, double x, double raw)
{
	double level = d->p_rest_n + d->p_thr_n;
	double lift = lift_level(d->rest_n);

	if (period_append(d, t, x, raw, d->cur_pk) != 0) {
		/* Longer than max_period_s: close it here. */
		end_period(d, t, 0, d->p_rest_n);
		d->mode = BM_LEG_REST;
		return;
	}
	/* Live valley count for the provisional rep count: the final split's
	 * zigzag on the amplitude so far. */
	double rev = bm_zigzag_reversal_n(d->zz.peak_n - d->p_rest_n,
	                                  d->have_noise ? d->noise_sd_n : 0);
	double peak = d->zz.peak_n;
	if (bm_zigzag_step(&d->zz, x, d->pn - 1, rev)) {
		d->valleys++;
		/* A valley deeper than a sag is a rep's: a hold starts again
		 * after it.  A sag or a dip inside a hold leaves it running. */
		if (peak - d->zz.valley_n > d->p.sag_max_frac * (peak - d->p_rest_n))
			d->hold_since_s = d->pt[d->zz.valley_at];
	}

	if (x < lift) {
		double end = isfinite(d->below_since_s) ? d->below_since_s
		                                        : cross_time(d->prev_t, d->prev_x, t, x, level);
		end_period(d, end, 0, d->p_rest_n);
		d->mode = BM_LEG_LIFTED;
		d->above_lift_s = 0;
		return;
	}
	if (x < level) {
		if (!isfinite(d->below_since_s))
			d->below_since_s = cross_time(d->prev_t, d->prev_x, t, x, level);
		if (t - d->below_since_s >= d->p.release_s) {
			end_period(d, d->below_since_s, 0, d->p_rest_n);
			d->mode = BM_LEG_REST;
			return;
		}
	} else {
		d->below_since_s = NAN;
	}
	/* Repositioned heel: stable for reposition_s, not far above rest. */
	if (rollwin_full(&d->win) && rollwin_range(&d->win) <= stable_range(d)) {
		double m = rollwin_mean(&d->win);
		if (!isfinite(d->run_anchor_n) || fabs(m - d->run_anchor_n) > RUN_ANCHOR_N) {
			d->run_anchor_n = m;
			d->run_start_s = t;
		} else if (t - d->run_start_s >= d->p.reposition_s &&
		           m < d->p_rest_n + d->p_thr_n + REPOSITION_MARGIN_N && m > lift) {
			rebase_period(d, m);
		}
	} else {
		d->run_anchor_n = NAN;
	}
}

size_t bm_leg_detector_push(struct bm_leg_detector *d, const struct bm_leg_sample *smp)
{
	double t = smp->t_s, x = smp->force_n, raw = smp->raw_n;
	int gap_before = smp->gap_before;
	/* For the peak: the sample as read, unless it stands far above the
	 * despiked value (a glitch the despiker took out). */
	d->cur_pk = raw;
	if (isfinite(smp->read_n) && isfinite(raw) && smp->read_n > raw &&
	    smp->read_n <= raw + PEAK_GLITCH_FRAC * fabs(raw - (isfinite(d->rest_n) ? d->rest_n : 0)) +
	                       PEAK_GLITCH_MIN_N)
		d->cur_pk = smp->read_n;
	if (gap_before && d->have_prev) {
		/* A chip that stopped answering for a moment in the middle of an
		 * effort: when the force is still up after the gap, the effort
		 * goes on (the event says data is missing inside it). */
		int bridge = d->mode == BM_LEG_LOADED && !isfinite(d->below_since_s) &&
		             t - d->prev_t <= d->p.bridge_gap_s && x > d->p_rest_n + d->p_thr_n;
		if (d->mode == BM_LEG_LOADED && !bridge) {
			double end = isfinite(d->below_since_s) ? d->below_since_s : d->prev_t;
			end_period(d, end, !isfinite(d->below_since_s), d->p_rest_n);
			d->mode = BM_LEG_REST;
		}
		rollwin_reset(&d->win);
		if (!bridge)
			d->have_prev = 0;
	}
	rollwin_push(&d->win, x);
	if (d->mode != BM_LEG_LOADED)
		update_noise(d);
	else
		d->win_count = 0;

	switch (d->mode) {
	case BM_LEG_UNKNOWN:
		push_unknown(d);
		break;
	case BM_LEG_REST:
		push_rest(d, t, x, raw);
		break;
	case BM_LEG_LIFTED:
		push_lifted(d, x);
		break;
	case BM_LEG_LOADED:
		push_loaded(d, t, x, raw);
		break;
	}
	d->prev_t = t;
	d->prev_x = x;
	d->prev_raw = raw;
	d->prev_pk = d->cur_pk;
	d->have_prev = 1;
	d->seen = 1;
	return d->ev_n - d->ev_head;
}

size_t bm_leg_detector_finish(struct bm_leg_detector *d)
{
	if (d->mode == BM_LEG_LOADED) {
		double end = isfinite(d->below_since_s) ? d->below_since_s : d->prev_t;
		end_period(d, end, !isfinite(d->below_since_s), d->p_rest_n);
		d->mode = BM_LEG_REST;
	}
	return d->ev_n - d->ev_head;
}

size_t bm_leg_detector_lost(const struct bm_leg_detector *d)
{
	return d->lost;
}

size_t bm_leg_detector_pop(struct bm_leg_detector *d, struct bm_event *out, size_t max)
{
	size_t k = 0;
	while (k < max && d->ev_head < d->ev_n)
		out[k++] = d->ev[d->ev_head++];
	return k;
}

enum bm_leg_mode bm_leg_detector_mode(const struct bm_leg_detector *d)
{
	return d->mode;
}

void bm_leg_detector_live(const struct bm_leg_detector *d, struct bm_leg_live *out)
{
	out->mode = d->mode;
	out->baseline_n = d->rest_n;
	out->threshold_n = threshold(d);
	out->loaded_since_s = d->mode == BM_LEG_LOADED ? d->p_start_s : NAN;
	out->valleys = d->mode == BM_LEG_LOADED ? d->valleys : 0;
	out->hold_since_s = d->mode == BM_LEG_LOADED ? d->hold_since_s : NAN;
}


/* A level of the stable seconds: their mean, their range, and how many
 * there were. */
struct level {
	double n, lo, hi;
	size_t count;
};

/* Group sorted means within LEVEL_TOL_N of their neighbour into levels
 * (written over @p lv, at most @p nm).  @return how many levels. */
static size_t group_levels(const double *sorted, size_t nm, struct level *lv)
{
	size_t nl = 0;
	double sum = 0;
	for (size_t i = 0; i < nm; i++) {
		if (i == 0 || sorted[i] - sorted[i - 1] > LEVEL_TOL_N) {
			if (nl)
				lv[nl - 1].n = sum / (double)lv[nl - 1].count;
			sum = 0;
			lv[nl].count = 0;
			lv[nl].lo = sorted[i];
			nl++;
		}
		sum += sorted[i];
		lv[nl - 1].hi = sorted[i];
		lv[nl - 1].count++;
	}
	if (nl)
		lv[nl - 1].n = sum / (double)lv[nl - 1].count;
	return nl;
}

/*
 * The resting level from the stable seconds' means, in time order.  The
 * first one is the rest, unless it is an effort under way when the data
 * began.  Then the force falls to where the heel rests: the first level
 * (of at least two stable seconds) that is a threshold lower and where a
 * heel can rest at all (not clearly negative, and not above REST_MAX_N
 * whatever the tare).  It is taken when the first level is too heavy for
 * a resting heel, or the lower level too high to be that heel lifted off
 * its plate, or the lower level cannot be a lifted foot because the other
 * leg was neither working nor off its plate meanwhile (@p steady: per
 * stable second, the other leg was at its own level or has no data; a foot
 * is lifted for the other leg's single-leg work).  A lower level that can
 * be the lifted foot under a resting first level leaves the first as rest:
 * recordings start at rest far more often than inside an effort.
 */
static double rest_from_levels(const double *means, const unsigned char *steady, size_t nm,
                               const struct level *lv, size_t nl)
{
	double first = means[0];
	const struct level *cand = NULL;
	for (size_t i = 1; i < nm && !cand; i++) {
		for (size_t k = 0; k < nl; k++) {
			const struct level *l = &lv[k];
			if (means[i] < l->lo || means[i] > l->hi)
				continue;
			if (l->count >= 2 && l->n >= REST_MIN_N && l->n <= REST_MAX_N &&
			    l->n <= first - START_DROP_N)
				cand = l;
			break;
		}
	}
	if (!cand)
		return first;
	if (first > REST_MAX_N || cand->n >= lift_level(first))
		return cand->n;
	if (steady) {
		size_t in = 0, st = 0;
		for (size_t i = 0; i < nm; i++) {
			if (means[i] < cand->lo || means[i] > cand->hi)
				continue;
			in++;
			st += steady[i];
		}
		if (in >= 2 && 2 * st > in && 10 * in >= nm)
			return cand->n;
	}
	return first;
}

/* Means of the half-overlapping one-second windows of @p x (NaN where a
 * window is not whole), and their low end (20th percentile) and first. */
static void window_means(const double *x, size_t n, size_t w, double *out, size_t nw, double *low,
                         double *first)
{
	size_t k = 0, nf = 0;
	double *tmp = malloc(nw * sizeof *tmp);
	*low = *first = NAN;
	for (size_t s = 0; k < nw; s += w / 2, k++) {
		double sum = 0;
		int bad = s + w > n;
		for (size_t i = s; i < s + w && !bad; i++) {
			bad = !isfinite(x[i]);
			sum += x[i];
		}
		out[k] = bad ? NAN : sum / (double)w;
		if (!bad && tmp)
			tmp[nf++] = out[k];
		if (!bad && isnan(*first))
			*first = out[k];
	}
	if (tmp && nf) {
		qsort(tmp, nf, sizeof *tmp, cmp_double);
		*low = tmp[(size_t)(0.2 * (double)(nf - 1))];
	}
	free(tmp);
}

double bm_estimate_rest_n(const double *force_n, size_t n, double rate_hz)
{
	return bm_estimate_rest2_n(force_n, NULL, n, rate_hz);
}

double bm_estimate_rest2_n(const double *force_n, const double *other_n, size_t n, double rate_hz)
{
	size_t w = (size_t)lround(rate_hz);
	if (w < 3)
		w = 3;
	if (n < w)
		return NAN;
	size_t nm = 0, cap = 2 * (n / w) + 2;
	double *means = malloc(cap * sizeof *means);
	double *sorted = malloc(cap * sizeof *sorted);
	double *other = other_n ? malloc(cap * sizeof *other) : NULL;
	unsigned char *steady = other_n ? malloc(cap) : NULL;
	struct level *lv = malloc(cap * sizeof *lv);
	double r = NAN, o_low = NAN, o_first = NAN; /* the other leg's low end, first */
	if (!means || !sorted || !lv || (other_n && (!other || !steady)))
		goto out;
	if (other_n)
		window_means(other_n, n, w, other, cap, &o_low, &o_first);
	/* The noise, as the detector measures it: the median SD of the
	 * seconds; "stable" is judged against it. */
	double stable = STABLE_MIN_RANGE_N;
	{
		size_t ns = 0;
		for (size_t st = 0; st + w <= n; st += w) {
			double sum = 0, ss = 0;
			int bad = 0;
			for (size_t i = st; i < st + w && !bad; i++) {
				bad = !isfinite(force_n[i]);
				sum += force_n[i];
			}
			if (bad)
				continue;
			double mm = sum / (double)w;
			for (size_t i = st; i < st + w; i++)
				ss += (force_n[i] - mm) * (force_n[i] - mm);
			sorted[ns++] = sqrt(ss / (double)w);
		}
		if (ns >= 3) {
			qsort(sorted, ns, sizeof *sorted, cmp_double);
			if (6.0 * sorted[ns / 2] > stable)
				stable = 6.0 * sorted[ns / 2];
		}
	}
	/* Half-overlapping windows, in time order. */
	for (size_t s = 0, k = 0; s + w <= n && nm < cap; s += w / 2, k++) {
		double lo = INFINITY, hi = -INFINITY, sum = 0;
		int bad = 0;
		for (size_t i = s; i < s + w; i++) {
			double v = force_n[i];
			if (!isfinite(v)) {
				bad = 1;
				break;
			}
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
			sum += v;
		}
		if (!bad && hi - lo <= stable) {
			/* The other leg meanwhile: no data at all (a one-sensor
			 * device, a leg's column empty).  Judging a leg that has
			 * data (working? off its plate?) from a minute of it proved
			 * less reliable than the rules above. */
			if (steady) {
				double o = k < cap ? other[k] : NAN;
				steady[nm] = isnan(o) && isnan(o_first);
			}
			means[nm++] = sum / (double)w;
		}
	}
	if (nm) {
		memcpy(sorted, means, nm * sizeof *sorted);
		qsort(sorted, nm, sizeof *sorted, cmp_double);
		r = rest_from_levels(means, steady, nm, lv, group_levels(sorted, nm, lv));
	}
out:
	free(means);
	free(sorted);
	free(other);
	free(steady);
	free(lv);
	return r;
}
