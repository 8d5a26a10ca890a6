/* bm_session.c - the per-leg signal chain; the idea is in bm_session.h. */
#include "bm_session.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bm_filter.h"

/* Rows held back to estimate the sample rate when it is not given. */
#define RATE_ROWS 256

void bm_session_params_default(struct bm_session_params *p)
{
	bm_detect_params_default(&p->detect);
	p->filter = BM_SESSION_ZEROPHASE;
	p->gap_split_s = 0.5;
	p->rate_hz = 0;
	p->prefix_s = 60.0;
	p->max_force_n = 3000.0;
	p->known_rest_n[0] = p->known_rest_n[1] = NAN;
}

/* A time interval, for lifted-foot spans. */
struct span {
	double a, b;
};

struct leg {
	int idx;
	struct bm_session *s;

	/* Despike: the sample inside the despiker, waiting for its neighbour. */
	struct bm_despike *ds;
	double ds_t, ds_x;   /* ... its time, and its value as read */
	int ds_gap;
	int ds_have;

	/* Hole filling: missing samples since the last valid one. */
	double last_t, last_x;
	int have_last;
	double seen_t;       /* time of the latest sample, valid or missing */
	double *hole_t;
	size_t hole_n, hole_cap;
	int hole_broken;     /* the hole already became a gap */
	int next_gap;        /* the next sample to the filter follows a gap */

	/* Filter, and the times of samples inside the zero-phase filter. */
	struct bm_zerophase *zp;
	struct bm_sosfilt *sf;
	int sf_primed;
	double *rt, *rr, *ro;       /* time, despiked and read value of each sample */
	unsigned char *rg;
	size_t rcap, rhead, rn;

	struct bm_leg_detector *det;
	double done_t;       /* time of the last sample through the detector */
	int lifted;
	struct span *lift;   /* lifted spans (the last may be open) */
	size_t lift_n, lift_cap;
};

struct bm_session {
	struct bm_session_params p;
	bm_session_event_cb on_event;
	bm_session_sample_cb on_sample;
	void *ctx;
	struct bm_session_stats st;

	double t0;           /* time of the first row: internal times are t - t0 */
	double dt_s;         /* nominal sample step, once the rate is known */
	double prev_t;       /* caller's scale */
	int have_prev;
	int gap_mark;
	int started;         /* chain built (rate known, rest estimated) */

	/* Rows held back until the chain starts. */
	double *hold_t, *hold_x[2];
	unsigned char *hold_g;  /* gap before the row */
	size_t hold_n, hold_cap;

	struct leg legs[2];

	/* Events waiting for the other leg to catch up. */
	struct bm_event *pend;
	size_t pend_n, pend_cap;

	uint64_t lost;       /* out of memory here: events, lift spans, holes */
	double gap_a, gap_b; /* the latest stretch of missing data (union of
	                        the legs'), NaN before the first */
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* Missing samples spanning @p missing_s seconds make a gap when that is
 * more than gap_split_s (with a quarter step of slack: clocks differ by a
 * few per mille). */
static int too_long(const struct bm_session *s, double missing_s)
{
	return missing_s > s->p.gap_split_s + 0.25 * s->dt_s;
}

/* A step between rows is a gap when the samples missing in it (the step
 * less one nominal sample step) make one. */
static int is_gap(const struct bm_session *s, double step_s)
{
	return too_long(s, step_s - s->dt_s);
}

struct bm_session *bm_session_new(const struct bm_session_params *p,
                                  bm_session_event_cb on_event,
                                  bm_session_sample_cb on_sample, void *ctx)
{
	struct bm_session *s;

	if (!p || !(p->gap_split_s > 0) || p->rate_hz < 0 || p->prefix_s < 0 || !(p->max_force_n > 0))
		return NULL;
	s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->p = *p;
	s->on_event = on_event;
	s->on_sample = on_sample;
	s->ctx = ctx;
	s->st.rate_hz = NAN;
	s->st.first_t_s = s->st.last_t_s = NAN;
	s->gap_a = s->gap_b = NAN;
	s->st.max_force_n = p->max_force_n;
	for (int i = 0; i < 2; i++) {
		s->legs[i].idx = i;
		s->legs[i].s = s;
		s->legs[i].ds = bm_despike_new();
		if (!s->legs[i].ds) {
			bm_session_free(s);
			return NULL;
		}
	}
	return s;
}

void bm_session_free(struct bm_session *s)
{
	if (!s)
		return;
	for (int i = 0; i < 2; i++) {
		struct leg *l = &s->legs[i];
		bm_despike_free(l->ds);
		bm_zerophase_free(l->zp);
		bm_sosfilt_free(l->sf);
		bm_leg_detector_free(l->det);
		free(l->hole_t);
		free(l->rt);
		free(l->rr);
		free(l->ro);
		free(l->rg);
		free(l->lift);
	}
	free(s->hold_t);
	free(s->hold_x[0]);
	free(s->hold_x[1]);
	free(s->hold_g);
	free(s->pend);
	free(s);
}

/* ---------------------------------------------------------- events */

/* Share of [a, b] during which leg @p l's foot was in the air. */
static double lifted_share(const struct leg *l, double a, double b)
{
	double in = 0;
	if (!(b > a))
		return 0;
	for (size_t i = 0; i < l->lift_n; i++) {
		double x = l->lift[i].a > a ? l->lift[i].a : a;
		double y = (i + 1 == l->lift_n && l->lifted) ? l->done_t : l->lift[i].b;
		y = y < b ? y : b;
		if (y > x)
			in += y - x;
	}
	return in / (b - a);
}

static void deliver(struct bm_session *s, struct bm_event *e)
{
	const struct leg *other = &s->legs[1 - e->leg];
	e->single_leg = lifted_share(other, e->start_s, e->end_s) >= 0.5;
	/* Back to the caller's time scale. */
	e->start_s += s->t0;
	e->end_s += s->t0;
	e->plateau_start_s += s->t0;
	e->plateau_end_s += s->t0;
	if (s->on_event)
		s->on_event(s->ctx, e);
}

/* Hand out the pending events whose other leg has caught up (all of them
 * when @p all). */
static void settle(struct bm_session *s, int all)
{
	size_t k = 0;
	for (size_t i = 0; i < s->pend_n; i++) {
		struct bm_event *e = &s->pend[i];
		if (all || s->legs[1 - e->leg].done_t >= e->end_s)
			deliver(s, e);
		else
			s->pend[k++] = *e;
	}
	s->pend_n = k;
}

/* ---------------------------------------------------------- the chain */

/* Move the detector's finished events to the pending list. */
static void collect_events(struct leg *l)
{
	struct bm_session *s = l->s;
	struct bm_event ev[8];
	size_t n;
	while ((n = bm_leg_detector_pop(l->det, ev, 8)) > 0)
		for (size_t i = 0; i < n; i++)
			if (grow((void **)&s->pend, &s->pend_cap, s->pend_n + 1, sizeof *s->pend) == 0)
				s->pend[s->pend_n++] = ev[i];
			else
				s->lost++;
}

/* Stage 4: the detector.  @p raw: the sample before the low-pass, @p orig
 * as it was read (before the despiker). */
static void detect(struct leg *l, double t, double y, double raw, double orig, int gap)
{
	struct bm_session *s = l->s;

	if (s->on_sample)
		s->on_sample(s->ctx, l->idx, t + s->t0, y);
	struct bm_leg_sample smp = {t, y, raw, orig, gap};
	size_t ready = bm_leg_detector_push(l->det, &smp);
	l->done_t = t;
	int lifted = bm_leg_detector_mode(l->det) == BM_LEG_LIFTED;
	if (lifted && !l->lifted) {
		if (grow((void **)&l->lift, &l->lift_cap, l->lift_n + 1, sizeof *l->lift) == 0) {
			l->lift[l->lift_n].a = t;
			l->lift[l->lift_n].b = t;
			l->lift_n++;
			l->lifted = 1;
		} else {
			s->lost++; /* single_leg of later events may be wrong */
		}
	} else if (!lifted && l->lifted) {
		l->lift[l->lift_n - 1].b = t;
		l->lifted = 0;
	}
	if (ready)
		collect_events(l);
	if (s->pend_n)
		settle(s, 0);
}

static void zp_out(struct leg *l, const double *y, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double t = l->rt[l->rhead], raw = l->rr[l->rhead], orig = l->ro[l->rhead];
		int g = l->rg[l->rhead];
		if (++l->rhead == l->rcap)
			l->rhead = 0;
		l->rn--;
		detect(l, t, y[i], raw, orig, g);
	}
}

/* Stage 3: the low-pass.  @p gap: this sample follows a gap. */
static void lowpass(struct leg *l, double t, double x, double orig, int gap)
{
	const double *y;
	size_t n;

	if (l->zp) {
		if (gap) {
			n = bm_zerophase_end(l->zp, &y);
			zp_out(l, y, n);
		}
		/* The ring holds what the filter holds; it was sized for that. */
		size_t at = l->rhead + l->rn;
		if (at >= l->rcap)
			at -= l->rcap;
		l->rt[at] = t;
		l->rr[at] = x;
		l->ro[at] = orig;
		l->rg[at] = (unsigned char)gap;
		l->rn++;
		n = bm_zerophase_push(l->zp, x, &y);
		zp_out(l, y, n);
	} else {
		if (gap || !l->sf_primed) {
			bm_sosfilt_prime(l->sf, x);
			l->sf_primed = 1;
		}
		detect(l, t, bm_sosfilt_step(l->sf, x), x, orig, gap);
	}
}

/* Data of leg @p l is missing from its last valid sample to @p until_t
 * (exclusive): count the time between them less one sample step, for the
 * leg and for the session.  A stretch that overlaps the session's latest
 * one (the other leg's gap at the same time) extends it instead of making
 * another. */
static void gap_count(struct leg *l, double until_t)
{
	struct bm_session *s = l->s;
	double a = l->last_t, b = until_t;
	double miss = b - a - s->dt_s;

	if (!(miss > 0))
		return;
	l->s->st.gaps_leg[l->idx]++;
	l->s->st.gap_s_leg[l->idx] += miss;
	if (isfinite(s->gap_b) && a < s->gap_b && b > s->gap_a) {
		double na = a < s->gap_a ? a : s->gap_a, nb = b > s->gap_b ? b : s->gap_b;
		s->st.gap_s += (nb - na) - (s->gap_b - s->gap_a);
		s->gap_a = na;
		s->gap_b = nb;
		return;
	}
	s->st.gaps++;
	s->st.gap_s += miss;
	s->gap_a = a;
	s->gap_b = b;
}

/* The hole (missing samples since the last valid one) is too long: it is a
 * gap, counted when it closes. */
static void hole_to_gap(struct leg *l)
{
	l->hole_broken = 1;
	l->next_gap = 1;
	l->hole_n = 0;
}

/* Stage 2: fill short holes, turn long ones into gaps.  @p gap: the caller
 * knows data is missing before this sample. */
static void fill(struct leg *l, double t, double x, double orig, int gap)
{
	struct bm_session *s = l->s;

	l->seen_t = t;
	if (gap && l->have_last)
		hole_to_gap(l);
	if (isnan(x)) {
		if (!l->have_last)
			return; /* nothing to fill from yet */
		/* Missing so far: the samples from last_t + dt up to t. */
		if (l->hole_broken || too_long(s, t - l->last_t)) {
			hole_to_gap(l);
			return;
		}
		if (grow((void **)&l->hole_t, &l->hole_cap, l->hole_n + 1, sizeof *l->hole_t) == 0)
			l->hole_t[l->hole_n++] = t;
		else {
			hole_to_gap(l); /* cannot fill it: a gap */
			s->lost++;
		}
		return;
	}
	if (l->have_last && !l->hole_broken && l->hole_n > 0) {
		if (!is_gap(s, t - l->last_t)) {
			for (size_t i = 0; i < l->hole_n; i++) {
				double f = (l->hole_t[i] - l->last_t) / (t - l->last_t);
				double v = l->last_x + f * (x - l->last_x);
				lowpass(l, l->hole_t[i], v, v, 0);
				s->st.samples_filled++;
			}
		} else {
			hole_to_gap(l);
		}
	}
	if (l->have_last && l->hole_broken)
		gap_count(l, t);
	l->hole_n = 0;
	lowpass(l, t, x, orig, l->next_gap);
	l->next_gap = 0;
	l->hole_broken = 0;
	l->last_t = t;
	l->last_x = x;
	l->have_last = 1;
}

/* Stage 1: despike (one sample of delay).  A gap flushes the despiker, so
 * no median spans it. */
static void despike(struct leg *l, double t, double x, int gap)
{
	double y;
	if (gap && l->ds_have) {
		if (bm_despike_flush(l->ds, &y))
			fill(l, l->ds_t, y, l->ds_x, l->ds_gap);
		l->ds_have = 0;
	}
	if (bm_despike_push(l->ds, x, &y))
		fill(l, l->ds_t, y, l->ds_x, l->ds_gap);
	l->ds_t = t;
	l->ds_x = x;
	l->ds_gap = gap;
	l->ds_have = 1;
}

static void leg_flush(struct leg *l)
{
	double y;
	const double *out;

	if (l->ds_have && bm_despike_flush(l->ds, &y))
		fill(l, l->ds_t, y, l->ds_x, l->ds_gap);
	l->ds_have = 0;
	/* Missing data at the end: up to the last row. */
	if (l->have_last && (l->hole_n > 0 || l->hole_broken))
		gap_count(l, l->seen_t + l->s->dt_s);
	l->hole_n = 0;
	if (l->zp) {
		size_t n = bm_zerophase_end(l->zp, &out);
		zp_out(l, out, n);
	}
	bm_leg_detector_finish(l->det);
	collect_events(l);
	if (l->lifted) {
		l->lift[l->lift_n - 1].b = l->done_t;
		l->lifted = 0;
	}
}

/* ------------------------------------------------------------ start-up */

static int cmp_step(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The sample step of the rows held back (up to the first minute): the
 * median step, so that a few odd rows (a burst microseconds apart, a gap)
 * cannot change it, refined as the mean of the steps near it, so that times
 * rounded to the millisecond (12, 13, 12, 13 ms at 80 SPS) still give
 * 12.5 ms. */
static double typical_step(const double *t, size_t n)
{
	double *d = malloc(n * sizeof *d);
	size_t k = 0;
	double r = NAN;
	if (!d)
		return NAN;
	for (size_t i = 1; i < n; i++)
		d[k++] = t[i] - t[i - 1];
	if (k) {
		qsort(d, k, sizeof *d, cmp_step);
		double med = d[k / 2], sum = 0;
		size_t cnt = 0;
		for (size_t i = 0; i < k; i++) {
			if (fabs(d[i] - med) <= 0.25 * med) {
				sum += d[i];
				cnt++;
			}
		}
		r = cnt ? sum / (double)cnt : med;
	}
	free(d);
	return r;
}

static int build_chain(struct bm_session *s)
{
	struct bm_sos sos;
	double rate = s->p.rate_hz;

	if (!(rate > 0)) {
		double step = typical_step(s->hold_t, s->hold_n);
		if (!(step > 0))
			return BM_SESSION_ERR_ARG;
		rate = 1.0 / step;
		/* Beyond any force plate: times in the file are not seconds. */
		if (rate > BM_DETECT_MAX_RATE_HZ)
			return BM_SESSION_ERR_RATE;
	}
	s->st.rate_hz = rate;
	s->dt_s = 1.0 / rate;
	if (bm_filter_default(rate, &sos) != BM_FILTER_OK)
		return BM_SESSION_ERR_ARG;
	for (int i = 0; i < 2; i++) {
		struct leg *l = &s->legs[i];
		l->det = bm_leg_detector_new(&s->p.detect, i, rate);
		if (!l->det)
			return BM_SESSION_ERR_NOMEM;
		if (s->p.filter == BM_SESSION_ZEROPHASE) {
			if (bm_zerophase_new(&sos, 0, &l->zp) != BM_FILTER_OK)
				return BM_SESSION_ERR_NOMEM;
			l->rcap = bm_zerophase_block_len(l->zp) + bm_zerophase_lookahead(l->zp) +
			          bm_sos_padlen(&sos) + 8;
			l->rt = malloc(l->rcap * sizeof *l->rt);
			l->rr = malloc(l->rcap * sizeof *l->rr);
			l->ro = malloc(l->rcap * sizeof *l->ro);
			l->rg = malloc(l->rcap);
			if (!l->rt || !l->rr || !l->ro || !l->rg)
				return BM_SESSION_ERR_NOMEM;
		} else if (bm_sosfilt_new(&sos, BM_SOSFILT_START_STEADY, &l->sf) != BM_FILTER_OK) {
			return BM_SESSION_ERR_NOMEM;
		}
	}

	/* Resting level from the held-back rows: despike and zero-phase filter
	 * the stretch before the first gap, then look for stable seconds. */
	if (s->p.prefix_s > 0 && s->hold_n > 0) {
		size_t n = s->hold_n, m[2];
		double *y[2] = {malloc(n * sizeof(double)), malloc(n * sizeof(double))};
		if (!y[0] || !y[1]) {
			free(y[0]);
			free(y[1]);
			return BM_SESSION_ERR_NOMEM;
		}
		for (int i = 0; i < 2; i++) {
			for (m[i] = 0; m[i] < n; m[i]++) {
				size_t k = m[i];
				if (isnan(s->hold_x[i][k]) || (k > 0 && s->hold_g[k]) ||
				    (k > 0 && is_gap(s, s->hold_t[k] - s->hold_t[k - 1])))
					break;
			}
			/* Take the longest run without holes from the start; holes
			 * are rare at the start of a session. */
			bm_despike3(s->hold_x[i], y[i], m[i]);
			bm_sosfiltfilt(&sos, y[i], y[i], m[i]);
			for (size_t k = m[i]; k < n; k++)
				y[i][k] = NAN;
		}
		/* Each leg's rest: the one the source knows, else estimated,
		 * knowing what the other leg did meanwhile. */
		for (int i = 0; i < 2; i++) {
			double rest = isfinite(s->p.known_rest_n[i]) ? s->p.known_rest_n[i]
			                                             : bm_estimate_rest2_n(y[i], y[1 - i], m[i], rate);
			if (isfinite(rest))
				bm_leg_detector_set_rest(s->legs[i].det, rest);
		}
		free(y[0]);
		free(y[1]);
	}
	s->started = 1;

	/* Run the held-back rows through the chain. */
	for (size_t k = 0; k < s->hold_n; k++) {
		double t = s->hold_t[k];
		int gap = k > 0 && (s->hold_g[k] || is_gap(s, t - s->hold_t[k - 1]));
		for (int i = 0; i < 2; i++) {
			struct leg *l = &s->legs[i];
			double step = k > 0 ? t - s->hold_t[k - 1] : 0;
			/* Missing rows shorter than a gap become missing samples. */
			if (!gap && k > 0 && step > 1.5 / rate) {
				long miss = lround(step * rate) - 1;
				for (long j = 1; j <= miss; j++)
					despike(l, s->hold_t[k - 1] + step * (double)j / (double)(miss + 1),
					        NAN, 0);
			}
			despike(l, t, s->hold_x[i][k], gap);
		}
	}
	free(s->hold_t);
	free(s->hold_x[0]);
	free(s->hold_x[1]);
	free(s->hold_g);
	s->hold_t = s->hold_x[0] = s->hold_x[1] = NULL;
	s->hold_g = NULL;
	s->hold_n = s->hold_cap = 0;
	return BM_SESSION_OK;
}

/* ------------------------------------------------------------- public */

/* Everything lost for lack of memory so far, here and in the detectors. */
static uint64_t lost_total(const struct bm_session *s)
{
	uint64_t n = s->lost;
	for (int i = 0; i < 2; i++)
		if (s->legs[i].det)
			n += bm_leg_detector_lost(s->legs[i].det);
	return n;
}

static int push_row(struct bm_session *s, double t_s, const double in_n[2]);

int bm_session_push(struct bm_session *s, double t_s, const double in_n[2])
{
	uint64_t before = lost_total(s);
	int r = push_row(s, t_s, in_n);
	s->st.events_lost = lost_total(s);
	if (r == BM_SESSION_OK && s->st.events_lost > before)
		r = BM_SESSION_ERR_NOMEM;
	return r;
}

static int push_row(struct bm_session *s, double t_s, const double in_n[2])
{
	/* Despiking removes single glitches; this catches runs of them. */
	double force_n[2];
	for (int i = 0; i < 2; i++) {
		force_n[i] = in_n[i];
		if (fabs(in_n[i]) > s->p.max_force_n) {
			force_n[i] = NAN;
			s->st.rejected[i]++;
		}
	}
	if (!isfinite(t_s))
		return BM_SESSION_ERR_ARG;
	if (s->have_prev && !(t_s > s->prev_t))
		return BM_SESSION_ERR_TIME;
	if (!s->have_prev) {
		s->t0 = t_s;
		s->st.first_t_s = t_s;
	}
	double t = t_s - s->t0;
	/* Before the rate is known only a marked gap counts; the held-back
	 * rows get their gaps from their times once it is. */
	int gap = s->gap_mark || (s->started && s->have_prev && is_gap(s, t_s - s->prev_t));
	s->gap_mark = 0;
	s->st.rows++;
	s->st.last_t_s = t_s;

	if (!s->started) {
		size_t need = s->hold_n + 1;
		size_t c0 = s->hold_cap, c1 = s->hold_cap, c2 = s->hold_cap, c3 = s->hold_cap;
		if (grow((void **)&s->hold_t, &c0, need, sizeof(double)) ||
		    grow((void **)&s->hold_x[0], &c1, need, sizeof(double)) ||
		    grow((void **)&s->hold_x[1], &c2, need, sizeof(double)) ||
		    grow((void **)&s->hold_g, &c3, need, 1))
			return BM_SESSION_ERR_NOMEM;
		s->hold_cap = c0;
		s->hold_t[s->hold_n] = t;
		s->hold_g[s->hold_n] = (unsigned char)gap;
		s->hold_x[0][s->hold_n] = force_n[0];
		s->hold_x[1][s->hold_n] = force_n[1];
		s->hold_n++;
		s->prev_t = t_s;
		s->have_prev = 1;
		double span = t - s->hold_t[0];
		int have_rate = s->p.rate_hz > 0 || s->hold_n >= RATE_ROWS;
		if (have_rate && span >= s->p.prefix_s) {
			int r = build_chain(s);
			if (r != BM_SESSION_OK)
				return r;
		}
		return BM_SESSION_OK;
	}

	double rate = s->st.rate_hz;
	for (int i = 0; i < 2; i++) {
		struct leg *l = &s->legs[i];
		double step = t_s - s->prev_t;
		if (!gap && step > 1.5 / rate) {
			long miss = lround(step * rate) - 1;
			for (long j = 1; j <= miss; j++)
				despike(l, (s->prev_t - s->t0) + step * (double)j / (double)(miss + 1), NAN, 0);
		}
		despike(l, t, force_n[i], gap);
	}
	s->prev_t = t_s;
	s->have_prev = 1;
	return BM_SESSION_OK;
}

void bm_session_mark_gap(struct bm_session *s)
{
	s->gap_mark = 1;
}

int bm_session_finish(struct bm_session *s)
{
	if (!s->started) {
		if (s->hold_n < 2)
			return BM_SESSION_OK; /* nothing to analyse */
		int r = build_chain(s);
		if (r != BM_SESSION_OK)
			return r;
	}
	for (int i = 0; i < 2; i++)
		leg_flush(&s->legs[i]);
	settle(s, 1);
	s->st.events_lost = lost_total(s);
	return s->st.events_lost ? BM_SESSION_ERR_NOMEM : BM_SESSION_OK;
}

void bm_session_get_stats(const struct bm_session *s, struct bm_session_stats *out)
{
	*out = s->st;
}

double bm_session_horizon_s(const struct bm_session *s)
{
	if (!s->started)
		return -INFINITY;
	double h = s->legs[0].done_t < s->legs[1].done_t ? s->legs[0].done_t : s->legs[1].done_t;
	return h + s->t0;
}

void bm_session_leg_live(const struct bm_session *s, int leg, struct bm_leg_live *out)
{
	const struct leg *l = &s->legs[leg];
	if (!l->det) {
		memset(out, 0, sizeof *out);
		out->mode = BM_LEG_UNKNOWN;
		out->baseline_n = out->threshold_n = out->loaded_since_s = NAN;
		return;
	}
	bm_leg_detector_live(l->det, out);
	out->loaded_since_s += s->t0;
	out->hold_since_s += s->t0;
}
