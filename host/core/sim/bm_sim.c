/*
 * bm_sim.c - the simulated athlete; the model is described in bm_sim.h.
 *
 * How it runs: one tick per conversion of the (simulated) HX711 pair.  The
 * plan is made one block at a time - a rest, then one effort (a hold or a
 * whole rep set) - a few seconds after the previous effort ended, which is
 * before anything of the new block happens.  So memory does not grow with
 * the session, and endless mode is the same code as a finite one.
 *
 * Every tick evaluates the athlete without noise (resting load, effort,
 * lifted foot), updates the truth, then passes the force through the sensor
 * (noise, counts, glitches) and decides whether the sample arrives.  Three
 * random streams (plan, body, sensor) are seeded from the one seed, so that a
 * glitch draw never shifts the plan, and each stream is drawn in a fixed
 * order per tick or per block: the session does not depend on how the
 * caller consumes it.
 *
 * The +20 N crossings are computed in closed form from the activation curves
 * (raised cosines), not searched for in the samples: the truth is exact and
 * independent of the sample rate.  Everything that wobbles (wander, tremor,
 * dips, per-rep left/right differences) is faded out below the activation
 * where a crossing happens, which is what makes the closed form true.
 */
#include "bm_sim.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPS 20
#define MAX_REPOS 4
#define MAX_GAPS 2

/* Messy-mode event rates, per sample (per channel for glitches). */
#define GLITCH_P (1.0 / 2000.0)
#define DROP_P (1.0 / 1500.0)
/* Output samples from one glitch to the next on a channel: at least three
 * clean samples in between, so a glitch is always a lone sample even for a
 * median-of-3 that looks one sample either side. */
#define GLITCH_SPACING 4

/* The next block is planned this long after an effort's activity ends: the
 * set-down of a lifted foot is over by then (<= 2.8 s) and nothing of the
 * next block starts before 3.5 s. */
#define PLAN_AFTER_S 2.9

/* Least force above rest anywhere inside an effort (the truth threshold is
 * 20 N; efforts clear it by a margin). */
#define E_FLOOR_N 32.0
/* Least plateau force above rest of a normal (not light) effort. */
#define E_MIN_HEAVY_N 60.0

static const double PI = 3.14159265358979323846;

/* ---- random numbers: xoshiro256** seeded through splitmix64 ---- */

struct rng {
	uint64_t s[4];
	int has_spare;
	double spare;
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * UINT64_C(0xD1B54A32D192ED03));
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	r->has_spare = 0;
	r->spare = 0.0;
}

static inline uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return out;
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double rng_range(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_unit(r);
}

/* Uniform integer in [lo, hi]. */
static int rng_int(struct rng *r, int lo, int hi)
{
	return lo + (int)(rng_unit(r) * (double)(hi - lo + 1));
}

/* Standard normal, Marsaglia's polar method (two per accepted pair). */
static double rng_normal(struct rng *r)
{
	double u, v, q;
	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	do {
		u = 2.0 * rng_unit(r) - 1.0;
		v = 2.0 * rng_unit(r) - 1.0;
		q = u * u + v * v;
	} while (q >= 1.0 || q == 0.0);
	q = sqrt(-2.0 * log(q) / q);
	r->spare = v * q;
	r->has_spare = 1;
	return u * q;
}

/* ---- shapes ---- */

/* Raised cosine 0 -> 1 over u in [0, 1]. */
static double rcos(double u)
{
	if (u <= 0.0)
		return 0.0;
	if (u >= 1.0)
		return 1.0;
	return 0.5 - 0.5 * cos(PI * u);
}

/* Smoothstep 0 -> 1 over u in [0, 1]. */
static double smooth01(double u)
{
	if (u <= 0.0)
		return 0.0;
	if (u >= 1.0)
		return 1.0;
	return u * u * (3.0 - 2.0 * u);
}

static double clampd(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* ---- plan ---- */

enum exercise {
	EX_DHOLD, EX_SHOLD, EX_DREPS, EX_SREPS,
	EX_LIGHT_DHOLD, EX_LIGHT_SHOLD, EX_LIGHT_DREPS, EX_LIGHT_SREPS,
};

/* A change of a leg's resting level: a heel repositioned, or a foot put
 * down somewhere else. */
struct repos {
	int leg;
	double t0_s, t1_s;      /* transition */
	double from_n, to_n;
	double bump_n;          /* transient on the way (sin-shaped) */
	int done;
};

/* The foot that is not working during single-leg efforts. */
struct lift {
	int on, leg;
	double up0_s, up1_s;     /* leaving the plate */
	double down0_s, down1_s; /* back on it */
	double level_n;          /* residual force while in the air */
	double strike_n;         /* heel strike when it lands */
};

struct effort {
	int on;
	enum bm_sim_kind kind;
	int single, work_leg, light;
	double t_begin_s, t_end_s;       /* activation leaves 0, returns to 0 */
	double p_n[BM_NCHAN];            /* force above rest at activation 1 */
	double gam[BM_NCHAN];            /* E = p * A^gam */
	double a_c;                      /* activation at the 20 N crossing */
	double trem_amp[BM_NCHAN];       /* tremor, fraction of the level */
	/* holds */
	double tr_s, tp_s, tl_s;         /* rise, plateau, release */
	double fat[BM_NCHAN], fat_pow;
	double pe_n[BM_NCHAN], gam_r[BM_NCHAN], a_cr; /* release mapping */
	int ndips;
	double dip_t_s[2], dip_d_s[2], dip_depth[2][BM_NCHAN];
	double wander_sd;
	/* reps */
	int nreps, tng;
	double a_hi;                     /* top-of-rep effects fade in above */
	double rep_t0_s[MAX_REPS], rep_tr_s[MAX_REPS], rep_th_s[MAX_REPS];
	double rep_tl_s[MAX_REPS], rep_dw_s[MAX_REPS];
	double rep_pk[MAX_REPS], rep_v[MAX_REPS];
	double rep_delta[MAX_REPS][BM_NCHAN];
	int rep_cur;
	/* truth, elapsed seconds */
	double start_s[MAX_REPS], end_s[MAX_REPS];
	int nevents, next_emit;
	double acc_n[BM_NCHAN];
	long acc_count;
	double peak_n[BM_NCHAN];
	int have_peak;
};

struct block {
	double rest_start_s;
	double next_plan_s;
	int final;
	int nrepos;
	struct repos repos[MAX_REPOS];
	int ngaps;
	double gap0_s[MAX_GAPS], gap1_s[MAX_GAPS];
	struct lift lift;
	struct effort eff;
};

struct programme {
	int started;
	enum exercise ex;
	int sets_left;
	int leg;
	int prev_single;
};

struct bm_sim {
	struct bm_sim_config cfg;
	struct rng plan, body, sensor;

	/* session draws */
	int weaker, stronger;
	double asym;                    /* fraction */
	double body_mass_kg, lvl_strong_n;
	double rest0_n[BM_NCHAN];
	double drift_amp[BM_NCHAN][2], drift_w[BM_NCHAN][2], drift_ph[BM_NCHAN][2];
	double noise_sd[BM_NCHAN];
	double trem_f[BM_NCHAN], trem_pct, trem_gain[BM_NCHAN];
	double wander_sd, wander_a, wander_b;
	double period_s;
	struct bm_cal_record cal;
	double scale[BM_NCHAN], offset[BM_NCHAN];
	uint16_t seq0;

	/* body state */
	double base_n[BM_NCHAN];        /* settled resting level, tick time */
	double plan_base_n[BM_NCHAN];   /* after everything planned so far */
	double wander_sh, wander_leg[BM_NCHAN], trem_ph[BM_NCHAN];

	/* run */
	uint64_t tick;
	double elapsed_s;
	int done;
	int drop_left;
	uint64_t nout;
	uint64_t glitch_next_ok[BM_NCHAN];
	struct programme prog;
	struct block blk;

	/* truth */
	struct bm_sim_event *truth;
	size_t ntruth, cap;
	uint64_t dropped;
};

static int endless(const struct bm_sim *s)
{
	return !(s->cfg.seconds > 0.0);
}

static double drift_n(const struct bm_sim *s, int leg, double t)
{
	double d = 0.0;
	for (int k = 0; k < 2; k++)
		if (s->drift_amp[leg][k] != 0.0)
			d += s->drift_amp[leg][k] * sin(s->drift_w[leg][k] * t + s->drift_ph[leg][k]);
	return d;
}

static double rest_at(struct bm_sim *s, int leg, double t)
{
	struct block *b = &s->blk;
	double base = s->base_n[leg];
	for (int i = 0; i < b->nrepos; i++) {
		struct repos *r = &b->repos[i];
		if (r->leg != leg || r->done)
			continue;
		if (t >= r->t1_s) {
			s->base_n[leg] = base = r->to_n;
			r->done = 1;
			continue;
		}
		if (t >= r->t0_s) {
			double u = (t - r->t0_s) / (r->t1_s - r->t0_s);
			base = r->from_n + (r->to_n - r->from_n) * rcos(u) + r->bump_n * sin(PI * u);
		}
		break;
	}
	return base + drift_n(s, leg, t);
}

/* Add a resting-level change for @p leg, keeping the level in 25..95 N. */
static void add_repos(struct bm_sim *s, int leg, double t0, double dur, double jump,
                      double bump)
{
	struct block *b = &s->blk;
	if (b->nrepos >= MAX_REPOS)
		return;
	double from = s->plan_base_n[leg];
	double to = from + jump;
	if (to < 25.0 || to > 95.0)
		to = from - jump;
	struct repos *r = &b->repos[b->nrepos++];
	r->leg = leg;
	r->t0_s = t0;
	r->t1_s = t0 + dur;
	r->from_n = from;
	r->to_n = to;
	r->bump_n = bump;
	r->done = 0;
	s->plan_base_n[leg] = to;
}

static void next_exercise(struct bm_sim *s)
{
	struct programme *p = &s->prog;
	struct rng *r = &s->plan;
	double u = rng_unit(r), w = rng_unit(r);
	int light_pick = rng_int(r, 0, 3);
	int nsets = rng_int(r, 0, 5);
	enum exercise prev = p->ex;
	p->leg = rng_int(r, 0, 1);

	if ((!p->started && u < 0.4) || (p->started && u < 0.1)) {
		p->ex = (enum exercise)(EX_LIGHT_DHOLD + light_pick);
	} else {
		/* weights: double hold 3, single hold 2.5, double reps 2, single reps 2 */
		double x = w * 9.5;
		p->ex = x < 3.0 ? EX_DHOLD : x < 5.5 ? EX_SHOLD : x < 7.5 ? EX_DREPS : EX_SREPS;
		if (p->started && p->ex == prev)  /* a new exercise, not more sets */
			p->ex = (enum exercise)((p->ex + 1 + nsets % 3) % 4);
	}
	/* Few sets per exercise, so that a few minutes hold several kinds. */
	switch (p->ex) {
	case EX_DHOLD: p->sets_left = 1 + nsets % 3; break;          /* 1-3 */
	case EX_SHOLD: p->sets_left = 2 * (1 + nsets % 2); break;    /* 1-2 per leg */
	case EX_DREPS: p->sets_left = 1 + nsets % 2; break;          /* 1-2 */
	case EX_SREPS: p->sets_left = 2; break;                      /* 1 per leg */
	case EX_LIGHT_SHOLD:
	case EX_LIGHT_SREPS: p->sets_left = 2; break;
	default: p->sets_left = 1 + nsets % 2; break;
	}
}

/* Activation at time tau into rep k of @p e. */
static double rep_activation(const struct effort *e, int k, double tau)
{
	double from = (e->tng && k > 0) ? e->rep_v[k - 1] : 0.0;
	double to = (e->tng && k < e->nreps - 1) ? e->rep_v[k] : 0.0;
	double pk = e->rep_pk[k];
	double tr = e->rep_tr_s[k], th = e->rep_th_s[k], tl = e->rep_tl_s[k];
	if (tau < 0.0)
		return from;
	if (tau < tr)
		return from + (pk - from) * rcos(tau / tr);
	if (tau < tr + th)
		return pk;
	if (tau < tr + th + tl)
		return to + (pk - to) * (1.0 - rcos((tau - tr - th) / tl));
	return to;
}

/* Top-of-rep weight: 0 below a_hi, 1 from a_hi + 0.15. */
static double rep_top(const struct effort *e, double a)
{
	return smooth01((a - e->a_hi) / 0.15);
}

/* Force above rest of leg @p l at activation @p a in rep k, no tremor. */
static double rep_force(const struct effort *e, int l, int k, double a)
{
	if (a <= 0.0)
		return 0.0;
	return e->p_n[l] * pow(a, e->gam[l]) * (1.0 + e->rep_delta[k][l] * rep_top(e, a));
}

/* Set the level mapping so that every working leg crosses 20 N at the same
 * activation: a_c from the geometric mean, gamma per leg. */
static void set_mapping(const double *p, int single, int work, double *gam, double *a_c)
{
	if (single) {
		*a_c = BM_SIM_ONSET_N / p[work];
		gam[0] = gam[1] = 1.0;
		return;
	}
	*a_c = BM_SIM_ONSET_N / sqrt(p[0] * p[1]);
	for (int l = 0; l < BM_NCHAN; l++)
		gam[l] = log(BM_SIM_ONSET_N / p[l]) / log(*a_c);
}

/* Durations and timing of an effort that do not depend on its levels.
 * Returns the latest the effort can end (rep sets without touch-and-go). */
static double plan_timing(struct bm_sim *s, struct effort *e)
{
	struct rng *r = &s->plan;
	if (e->kind == BM_SIM_HOLD) {
		double d = e->light ? rng_range(r, 15.0, 30.0)
		         : e->single ? rng_range(r, 20.0, 45.0) : rng_range(r, 30.0, 60.0);
		e->tr_s = rng_range(r, 0.3, 1.5);
		e->tl_s = rng_range(r, 0.3, 1.0);
		e->tp_s = d - e->tr_s - e->tl_s;
		e->t_end_s = e->t_begin_s + d;
		return e->t_end_s;
	}
	int n = e->light ? rng_int(r, 8, 15) : e->single ? rng_int(r, 8, 15) : rng_int(r, 10, 20);
	double tr = rng_range(r, 0.3, 1.5), th = rng_range(r, 0.25, 0.6);
	double tl = rng_range(r, 0.3, 1.5), dw = rng_range(r, 0.5, 3.0);
	double fat = rng_range(r, 0.03, 0.10);
	double t = e->t_begin_s;
	e->nreps = n;
	for (int k = 0; k < n; k++) {
		e->rep_tr_s[k] = clampd(tr * rng_range(r, 0.85, 1.15), 0.3, 1.5);
		e->rep_th_s[k] = clampd(th * rng_range(r, 0.85, 1.15), 0.25, 0.8);
		e->rep_tl_s[k] = clampd(tl * rng_range(r, 0.85, 1.15), 0.3, 1.5);
		e->rep_dw_s[k] = k == n - 1 ? 0.0 : clampd(dw * rng_range(r, 0.8, 1.2), 0.5, 3.0);
		double pk = (1.0 - fat * k / (n - 1)) * (1.0 + 0.03 * rng_normal(r));
		e->rep_pk[k] = e->light ? clampd(pk, 0.9, 1.05) : clampd(pk, 0.85, 1.06);
		e->rep_delta[k][0] = rng_range(r, -0.03, 0.03);
		e->rep_delta[k][1] = rng_range(r, -0.03, 0.03);
		e->rep_v[k] = rng_unit(r);  /* where in the allowed range a valley sits */
		t += e->rep_tr_s[k] + e->rep_th_s[k] + e->rep_tl_s[k] + e->rep_dw_s[k];
	}
	e->tng = !e->light && rng_unit(r) < 0.35;
	e->t_end_s = t;
	return t;
}

/* Valleys of a touch-and-go set; 0 when one is not feasible for some leg
 * (then the set returns to rest between reps). */
static int plan_valleys(struct effort *e, const double *rest_n)
{
	for (int k = 0; k < e->nreps - 1; k++) {
		double lo = e->a_c + 0.05, hi = 0.72;
		for (int l = 0; l < BM_NCHAN; l++) {
			if (e->single && l != e->work_leg)
				continue;
			double pk = fmin(rep_force(e, l, k, e->rep_pk[k]),
			                 rep_force(e, l, k + 1, e->rep_pk[k + 1]));
			double rest_hi = rest_n[l] + 6.0;
			double e_hi = fmin(78.0, 0.7 * (rest_hi + pk) - rest_hi - 2.0);
			if (e_hi < E_FLOOR_N + 4.0)
				return 0;
			lo = fmax(lo, pow(E_FLOOR_N / e->p_n[l], 1.0 / e->gam[l]));
			hi = fmin(hi, pow(e_hi / e->p_n[l], 1.0 / e->gam[l]));
		}
		if (hi - lo < 0.02)
			return 0;
		e->rep_v[k] = lo + (hi - lo) * e->rep_v[k];
	}
	e->rep_v[e->nreps - 1] = 0.0;
	return 1;
}

/* Rep schedule and truth boundaries, once the levels are known. */
static void finish_reps(struct effort *e)
{
	double t = e->t_begin_s;
	int n = e->nreps;
	for (int k = 0; k < n; k++) {
		double tr = e->rep_tr_s[k], th = e->rep_th_s[k], tl = e->rep_tl_s[k];
		double pk = e->rep_pk[k];
		e->rep_t0_s[k] = t;
		if (k == 0 || !e->tng)
			e->start_s[k] = t + tr * acos(1.0 - 2.0 * e->a_c / pk) / PI;
		else
			e->start_s[k] = t;
		double t_next = t + tr + th + tl + (e->tng ? 0.0 : e->rep_dw_s[k]);
		if (k == n - 1 || !e->tng)
			e->end_s[k] = t + tr + th + tl * acos(2.0 * e->a_c / pk - 1.0) / PI;
		else
			e->end_s[k] = t_next;  /* the valley; bit-equal to the next start */
		t = t_next;
	}
	e->t_end_s = e->rep_t0_s[n - 1] + e->rep_tr_s[n - 1] + e->rep_th_s[n - 1]
	           + e->rep_tl_s[n - 1];
	e->nevents = n;
}

/* Levels, mappings and plateau details of an effort starting at t_begin. */
static void plan_levels(struct bm_sim *s, struct effort *e)
{
	struct rng *r = &s->plan;
	double rest_b[BM_NCHAN], absl[BM_NCHAN];
	double a_eff = clampd(s->asym + rng_range(r, -0.03, 0.03), 0.0, 0.6);
	double intensity = rng_range(r, 0.9, 1.05);
	double rep_boost = rng_range(r, 1.0, 1.15);
	double single_mult = rng_range(r, 1.25, 1.45);
	double light_e = rng_range(r, 38.0, 60.0);
	int st = s->stronger, wk = s->weaker;

	for (int l = 0; l < BM_NCHAN; l++)
		rest_b[l] = s->plan_base_n[l] + drift_n(s, l, e->t_begin_s);
	if (e->light) {
		e->p_n[st] = light_e;
		e->p_n[wk] = fmax(35.0, light_e * (1.0 - a_eff));
	} else {
		absl[st] = s->lvl_strong_n * intensity;
		if (e->kind == BM_SIM_REP)
			absl[st] *= rep_boost;
		if (e->single)
			absl[st] *= single_mult;
		absl[wk] = absl[st] * (1.0 - a_eff);
		/* A light athlete with heavy heels and a large asymmetry could
		 * leave the weaker leg barely above rest: raise both legs
		 * together, so the asymmetry asked for is what is generated. */
		double raise = 1.0;
		for (int l = 0; l < BM_NCHAN; l++)
			raise = fmax(raise, (rest_b[l] + E_MIN_HEAVY_N) / absl[l]);
		for (int l = 0; l < BM_NCHAN; l++)
			e->p_n[l] = absl[l] * raise - rest_b[l];
	}
	if (e->single)  /* the lifted leg's mapping is unused; keep it sane */
		e->p_n[1 - e->work_leg] = e->p_n[e->work_leg];
	set_mapping(e->p_n, e->single, e->work_leg, e->gam, &e->a_c);

	for (int l = 0; l < BM_NCHAN; l++)
		e->trem_amp[l] = s->trem_pct * rng_range(r, 0.7, 1.3) * s->trem_gain[l];

	if (e->kind == BM_SIM_HOLD) {
		double f = e->light ? rng_range(r, 0.0, 0.04)
		         : e->single ? rng_range(r, 0.08, 0.15) : rng_range(r, 0.05, 0.10);
		e->fat_pow = rng_range(r, 1.2, 2.5);
		for (int l = 0; l < BM_NCHAN; l++) {
			e->fat[l] = f * rng_range(r, 0.85, 1.15);
			e->pe_n[l] = e->p_n[l] * (1.0 - e->fat[l]);
		}
		set_mapping(e->pe_n, e->single, e->work_leg, e->gam_r, &e->a_cr);
		e->wander_sd = e->light ? fmin(s->wander_sd, 0.02) : s->wander_sd;

		/* Dips: drawn always, kept in messy mode; one per plateau half. */
		int nd = rng_int(r, 0, 2);
		e->ndips = 0;
		for (int j = 0; j < 2; j++) {
			double d = rng_range(r, 0.2, 0.6), depth = rng_range(r, 0.15, 0.4);
			double half = e->tp_s / 2.0;
			double lo = j == 0 ? 1.5 : half + 0.5;
			double hi = (j == 0 ? half - 0.5 : e->tp_s - 1.5) - d;
			double tt = rng_range(r, 0.0, 1.0);
			double per[BM_NCHAN] = {rng_range(r, 0.85, 1.15), rng_range(r, 0.85, 1.15)};
			if (!s->cfg.messy || j >= nd || e->light || hi <= lo)
				continue;
			int i = e->ndips++;
			e->dip_t_s[i] = lo + (hi - lo) * tt;
			e->dip_d_s[i] = d;
			for (int l = 0; l < BM_NCHAN; l++) {
				/* keep the plateau above E_FLOOR_N at worst wander and tremor */
				double worst = e->p_n[l] * (1.0 - e->fat[l]) * (1.0 - 3.0 * e->wander_sd)
				             * (1.0 - 1.5 * e->trem_amp[l]);
				double cap = fmax(0.0, 1.0 - E_FLOOR_N / worst);
				e->dip_depth[i][l] = fmin(depth * per[l], cap);
			}
		}
		double tb = e->t_begin_s, trel = tb + e->tr_s + e->tp_s;
		e->start_s[0] = tb + e->tr_s * acos(1.0 - 2.0 * e->a_c) / PI;
		e->end_s[0] = trel + e->tl_s * acos(2.0 * e->a_cr - 1.0) / PI;
		e->nevents = 1;
	} else {
		e->a_hi = fmax(0.75, e->a_c + 0.12);
		if (e->tng && !plan_valleys(e, rest_b))
			e->tng = 0;
		finish_reps(e);
	}
}

/* Plan the block that starts (rests) at @p rest_start. */
static void plan_block(struct bm_sim *s, double rest_start)
{
	struct block *b = &s->blk;
	struct programme *p = &s->prog;
	struct rng *r = &s->plan;
	struct effort *e = &b->eff;
	int first = !p->started, new_ex = 0, single, light;
	double rest;

	memset(b, 0, sizeof *b);
	b->rest_start_s = rest_start;
	if (p->sets_left <= 0) {
		next_exercise(s);
		new_ex = 1;
	}
	single = p->ex == EX_SHOLD || p->ex == EX_SREPS || p->ex == EX_LIGHT_SHOLD
	      || p->ex == EX_LIGHT_SREPS;
	light = p->ex >= EX_LIGHT_DHOLD;

	/* Rests: mostly short, now and then long (u^2 skews toward the low end:
	 * a set rest of 15-90 s averages 40 s). */
	double u_short = rng_unit(r), u1 = rng_unit(r), u2 = rng_unit(r), u3 = rng_unit(r);
	double rest_long = 15.0 + 75.0 * u1 * u1, rest_short = rng_range(r, 5.0, 12.0);
	double rest_ex = 20.0 + 70.0 * u2 * u2, rest_leg = 8.0 + 22.0 * u3 * u3;
	double rest_first = rng_range(r, 8.0, 20.0);
	if (first)
		rest = rest_first;
	else if (new_ex)
		rest = rest_ex;
	else if (single)
		rest = rest_leg;
	else
		rest = u_short < 0.12 ? rest_short : rest_long;
	if ((single || p->prev_single) && rest < 8.0)
		rest = 8.0;  /* a foot coming down and the other going up need room */

	e->on = 1;
	e->kind = (p->ex == EX_DHOLD || p->ex == EX_SHOLD || p->ex == EX_LIGHT_DHOLD
	        || p->ex == EX_LIGHT_SHOLD) ? BM_SIM_HOLD : BM_SIM_REP;
	e->single = single;
	e->light = light;
	e->work_leg = single ? p->leg : BM_LEFT;
	if (single)
		p->leg = 1 - p->leg;
	p->sets_left--;
	p->prev_single = single;
	p->started = 1;

	e->t_begin_s = rest_start + rest;
	double t_end_max = plan_timing(s, e);
	double rest_end = e->t_begin_s;
	if (!endless(s) && t_end_max + 4.0 > s->cfg.seconds) {
		/* The session ends before this effort could: rest to the end. */
		b->final = 1;
		e->on = 0;
		rest_end = s->cfg.seconds + 3.5;
	}

	/* Rest items: drawn always (the plan does not depend on messy), used in
	 * messy mode.  Repositioning needs a long rest and keeps clear of the
	 * efforts on both sides, so the baseline is settled around each one. */
	for (int l = 0; l < BM_NCHAN; l++) {
		double u = rng_unit(r), tt = rng_unit(r), dur = rng_range(r, 0.3, 1.0);
		double jump = rng_range(r, 10.0, 20.0) * (rng_unit(r) < 0.5 ? -1.0 : 1.0);
		double bump = rng_unit(r) < 0.5 ? 0.0 : rng_range(r, -10.0, 10.0);
		double lo = rest_start + 4.0, hi = rest_end - 6.0 - dur;
		if (s->cfg.messy && rest_end - rest_start >= 15.0 && u < 0.3 && hi > lo)
			add_repos(s, l, lo + (hi - lo) * tt, dur, jump, bump);
	}
	{
		double u = rng_unit(r), tt = rng_unit(r), dur = rng_range(r, 0.5, 3.0);
		double lo = rest_start + 3.5, hi = rest_end - 3.5 - dur;
		if (s->cfg.messy && rest_end - rest_start >= 10.0 && u < 0.35 && hi > lo) {
			b->gap0_s[b->ngaps] = lo + (hi - lo) * tt;
			b->gap1_s[b->ngaps] = b->gap0_s[b->ngaps] + dur;
			b->ngaps++;
		}
	}
	if (b->final) {
		b->next_plan_s = INFINITY;
		return;
	}

	plan_levels(s, e);
	b->next_plan_s = e->t_end_s + PLAN_AFTER_S;

	{
		double u = rng_unit(r), tt = rng_unit(r), dur = rng_range(r, 0.5, 3.0);
		if (s->cfg.messy && s->cfg.gaps_in_efforts && u < 0.3) {
			double lo = e->t_begin_s, hi = fmax(lo, e->t_end_s - dur);
			b->gap0_s[b->ngaps] = lo + (hi - lo) * tt;
			b->gap1_s[b->ngaps] = b->gap0_s[b->ngaps] + dur;
			b->ngaps++;
		}
	}
	if (single) {
		struct lift *lf = &b->lift;
		lf->on = 1;
		lf->leg = 1 - e->work_leg;
		lf->up1_s = e->t_begin_s - rng_range(r, 1.0, 2.0);
		lf->up0_s = lf->up1_s - rng_range(r, 0.3, 0.6);
		lf->down0_s = e->t_end_s + rng_range(r, 1.0, 2.0);
		lf->down1_s = lf->down0_s + rng_range(r, 0.3, 0.8);
		lf->level_n = rng_range(r, 0.0, 5.0);
		lf->strike_n = rng_range(r, 0.0, 8.0);
		/* The foot may come down somewhere else; the change happens while
		 * it is in the air, so the landing shows the new level. */
		double u = rng_unit(r);
		double jump = rng_range(r, 5.0, 15.0) * (rng_unit(r) < 0.5 ? -1.0 : 1.0);
		if (s->cfg.messy && u < 0.3)
			add_repos(s, lf->leg, lf->up1_s + 0.1, 0.05, jump, 0.0);
	}
}

/* ---- per tick ---- */

static double lift_factor(const struct lift *lf, double t, double *strike)
{
	*strike = 0.0;
	if (t < lf->up0_s || t >= lf->down1_s)
		return 0.0;
	if (t < lf->up1_s)
		return rcos((t - lf->up0_s) / (lf->up1_s - lf->up0_s));
	if (t < lf->down0_s)
		return 1.0;
	double u = (t - lf->down0_s) / (lf->down1_s - lf->down0_s);
	*strike = lf->strike_n * sin(PI * u);
	return 1.0 - rcos(u);
}

/* Body state (wander, tremor phase) for this tick of an effort. */
static void body_step(struct bm_sim *s, const struct effort *e, double t)
{
	double dt = s->period_s;
	for (int l = 0; l < BM_NCHAN; l++)
		s->trem_ph[l] += 2.0 * PI * s->trem_f[l] * dt + 0.05 * rng_normal(&s->body);
	if (e->kind == BM_SIM_HOLD) {
		if (t < e->t_begin_s + e->tr_s) {
			s->wander_sh = s->wander_leg[0] = s->wander_leg[1] = 0.0;
			return;
		}
		/* Left and right wander share half their variance: one body. */
		s->wander_sh = s->wander_a * s->wander_sh + s->wander_b * rng_normal(&s->body);
		for (int l = 0; l < BM_NCHAN; l++)
			s->wander_leg[l] = s->wander_a * s->wander_leg[l]
			                 + s->wander_b * rng_normal(&s->body);
	}
}

/* Plateau of a hold, leg @p l, @p tp seconds into it: the target force
 * shaped by fatigue, wander, tremor and the dips. */
static double hold_plateau(const struct bm_sim *s, const struct effort *e, int l, double tp)
{
	double x = tp / e->tp_s;
	double fat = 1.0 - e->fat[l] * pow(x, e->fat_pow);
	double w = smooth01(tp / 0.8) * smooth01((e->tp_s - tp) / 0.5);
	double sd = e->wander_sd * 0.7071067811865476;
	double wand = clampd(sd * (s->wander_sh + s->wander_leg[l]), -3.0 * e->wander_sd,
	                     3.0 * e->wander_sd);
	double trem = e->trem_amp[l] * (1.0 + 0.5 * x) * sin(s->trem_ph[l]);
	double m = fat * (1.0 + w * (wand + trem));
	for (int j = 0; j < e->ndips; j++) {
		double u = (tp - e->dip_t_s[j]) / e->dip_d_s[j];
		if (u > 0.0 && u < 1.0) {
			double sn = sin(PI * u);
			m *= 1.0 - e->dip_depth[j][l] * sn * sn;
		}
	}
	return e->p_n[l] * m;
}

/* A hold, leg @p l, @p tau seconds after it began: rise, plateau, lower. */
static double hold_force(const struct bm_sim *s, const struct effort *e, int l, double tau,
                         int *in_plateau)
{
	if (tau < e->tr_s)
		return e->p_n[l] * pow(rcos(tau / e->tr_s), e->gam[l]);
	if (tau < e->tr_s + e->tp_s) {
		*in_plateau = 1;
		return hold_plateau(s, e, l, tau - e->tr_s);
	}
	double u = (tau - e->tr_s - e->tp_s) / e->tl_s;
	return e->pe_n[l] * pow(1.0 - rcos(u), e->gam_r[l]);
}

/* Reps at t: the current rep's activation, shaped per leg. */
static void reps_force(const struct bm_sim *s, struct effort *e, double t, double *out)
{
	while (e->rep_cur < e->nreps - 1 && t >= e->rep_t0_s[e->rep_cur + 1])
		e->rep_cur++;
	int k = e->rep_cur;
	double a = rep_activation(e, k, t - e->rep_t0_s[k]);
	double top = rep_top(e, a);
	for (int l = 0; l < BM_NCHAN; l++) {
		if (e->single && l != e->work_leg)
			continue;
		double trem = e->trem_amp[l] * sin(s->trem_ph[l]);
		out[l] = a > 0.0 ? e->p_n[l] * pow(a, e->gam[l]) * (1.0 + (e->rep_delta[k][l] + trem) * top)
		                 : 0.0;
	}
}

/* Force above rest of each leg at t (0 outside the effort). */
static void effort_force(struct bm_sim *s, struct effort *e, double t, double *out,
                         int *in_plateau)
{
	out[0] = out[1] = 0.0;
	*in_plateau = 0;
	if (!e->on || t < e->t_begin_s || t >= e->t_end_s)
		return;
	body_step(s, e, t);
	if (e->kind != BM_SIM_HOLD) {
		reps_force(s, e, t, out);
		return;
	}
	for (int l = 0; l < BM_NCHAN; l++)
		if (!e->single || l == e->work_leg)
			out[l] = hold_force(s, e, l, t - e->t_begin_s, in_plateau);
}

static void emit(struct bm_sim *s, const struct effort *e, int k, double target_l,
                 double target_r)
{
	double target[BM_NCHAN] = {target_l, target_r};
	for (int l = 0; l < BM_NCHAN; l++) {
		if (e->single && l != e->work_leg)
			continue;
		if (s->ntruth == s->cap) {
			if (endless(s) && s->cap >= BM_SIM_TRUTH_CAP) {
				size_t half = s->cap / 2;
				memmove(s->truth, s->truth + half, (s->ntruth - half) * sizeof *s->truth);
				s->ntruth -= half;
				s->dropped += half;
			} else {
				size_t nc = s->cap ? 2 * s->cap : 256;
				if (endless(s) && nc > BM_SIM_TRUTH_CAP)
					nc = BM_SIM_TRUTH_CAP;
				void *p = realloc(s->truth, nc * sizeof *s->truth);
				if (!p) {
					s->dropped++;  /* out of memory: counted, not kept */
					continue;
				}
				s->truth = p;
				s->cap = nc;
			}
		}
		struct bm_sim_event *ev = &s->truth[s->ntruth++];
		ev->kind = e->kind;
		ev->leg = l;
		ev->single_leg = e->single;
		ev->light = e->light;
		ev->start_s = s->cfg.t0_s + e->start_s[k];
		ev->end_s = s->cfg.t0_s + e->end_s[k];
		ev->target_n = target[l];
	}
}

/* Truth bookkeeping for one tick with noise-free forces @p clean. */
static void truth_step(struct bm_sim *s, struct effort *e, double t, const double *clean,
                       int in_plateau)
{
	if (!e->on || e->next_emit >= e->nevents)
		return;
	if (e->kind == BM_SIM_HOLD) {
		if (in_plateau) {
			e->acc_n[0] += clean[0];
			e->acc_n[1] += clean[1];
			e->acc_count++;
		}
		if (t >= e->end_s[0]) {
			double n = e->acc_count ? (double)e->acc_count : 1.0;
			emit(s, e, 0, e->acc_n[0] / n, e->acc_n[1] / n);
			e->next_emit = 1;
		}
		return;
	}
	while (e->next_emit < e->nevents) {
		int k = e->next_emit;
		if (t < e->start_s[k])
			return;
		if (t <= e->end_s[k]) {
			for (int l = 0; l < BM_NCHAN; l++)
				if (!e->have_peak || clean[l] > e->peak_n[l])
					e->peak_n[l] = clean[l];
			e->have_peak = 1;
		}
		if (t < e->end_s[k])
			return;
		emit(s, e, k, e->peak_n[0], e->peak_n[1]);
		e->have_peak = 0;
		e->next_emit++;
	}
}

static int in_gap(const struct block *b, double t)
{
	for (int i = 0; i < b->ngaps; i++)
		if (t >= b->gap0_s[i] && t < b->gap1_s[i])
			return 1;
	return 0;
}

/* One tick; returns 1 when the sample arrives (and fills @p o). */
static int tick(struct bm_sim *s, struct bm_sim_sample *o)
{
	struct block *b = &s->blk;
	double t = (double)llround((double)s->tick * s->period_s * 1e6) * 1e-6;
	double rest[BM_NCHAN], eff[BM_NCHAN], clean[BM_NCHAN];
	int in_plateau, arrived;
	uint8_t lifted = 0, glitch = 0;

	if (t >= b->next_plan_s)
		plan_block(s, b->eff.t_end_s);
	s->elapsed_s = t;

	for (int l = 0; l < BM_NCHAN; l++)
		rest[l] = rest_at(s, l, t);
	effort_force(s, &b->eff, t, eff, &in_plateau);
	for (int l = 0; l < BM_NCHAN; l++) {
		clean[l] = rest[l] + eff[l];
		if (b->lift.on && b->lift.leg == l) {
			double strike, lf = lift_factor(&b->lift, t, &strike);
			clean[l] = (1.0 - lf) * clean[l] + lf * b->lift.level_n + strike;
			if (lf > 0.5)
				lifted |= (uint8_t)(1u << l);
		}
	}
	truth_step(s, &b->eff, t, clean, in_plateau);

	/* Sensor: a fixed number of draws per tick. */
	double noise[BM_NCHAN], gu[BM_NCHAN], gk[BM_NCHAN];
	for (int l = 0; l < BM_NCHAN; l++)
		noise[l] = rng_normal(&s->sensor);
	for (int l = 0; l < BM_NCHAN; l++) {
		gu[l] = rng_unit(&s->sensor);
		gk[l] = rng_unit(&s->sensor);
	}
	double du = rng_unit(&s->sensor);
	int drun = rng_int(&s->sensor, 1, 5);

	arrived = 1;
	if (s->drop_left > 0) {
		s->drop_left--;
		arrived = 0;
	} else if (s->cfg.messy && s->tick > 0 && du < DROP_P) {
		s->drop_left = drun - 1;
		arrived = 0;
	}
	if (in_gap(b, t))
		arrived = 0;

	if (arrived) {
		o->t_s = s->cfg.t0_s + t;
		o->seq = (uint16_t)(s->seq0 + s->tick);
		o->tick = s->tick;
		for (int l = 0; l < BM_NCHAN; l++) {
			double f = clean[l] + s->noise_sd[l] * noise[l];
			long raw = s->cal.offset_counts[l] + lround(f / s->scale[l]);
			uint8_t flags = 0;
			if (raw > BM_RAW_MAX - 1)
				raw = BM_RAW_MAX - 1;
			if (raw < BM_RAW_MIN + 1)
				raw = BM_RAW_MIN + 1;
			if (s->cfg.messy && gu[l] < GLITCH_P && s->nout >= s->glitch_next_ok[l]) {
				/* HX711 misreads: all ones (read while converting) or zero. */
				if (gk[l] < 0.6) {
					raw = BM_RAW_MAX;
					flags = BM_CH_SAT_HIGH;
				} else {
					raw = 0;
				}
				glitch |= (uint8_t)(1u << l);
				s->glitch_next_ok[l] = s->nout + GLITCH_SPACING;
			}
			o->raw_counts[l] = (int32_t)raw;
			o->flags[l] = flags;
			o->force_n[l] = ((double)raw - s->offset[l]) * s->scale[l];
			o->clean_n[l] = clean[l];
			o->rest_n[l] = rest[l];
		}
		o->glitch = glitch;
		o->lifted = lifted;
		s->nout++;
	}
	s->tick++;
	return arrived;
}

/* ---- public ---- */

void bm_sim_config_default(struct bm_sim_config *cfg)
{
	cfg->seed = 1;
	cfg->seconds = 300.0;
	cfg->rate_hz = 80.0;
	cfg->t0_s = 0.0;
	cfg->asym_pct = NAN;
	cfg->weaker_leg = -1;
	cfg->messy = 1;
	cfg->gaps_in_efforts = 0;
}

static int config_ok(const struct bm_sim_config *c)
{
	if (!c || !isfinite(c->seconds) || !isfinite(c->t0_s))
		return 0;
	if (!(c->rate_hz >= 5.0 && c->rate_hz <= 1000.0))
		return 0;
	if (!isnan(c->asym_pct) && !(c->asym_pct >= 0.0 && c->asym_pct <= 50.0))
		return 0;
	return c->weaker_leg >= -1 && c->weaker_leg <= 1;
}

/* HX711 input noise: 50 nV rms at 10 SPS against 90 nV at 80 SPS (datasheet). */
static double noise_factor(double rate_hz)
{
	if (rate_hz <= 10.0)
		return 50.0 / 90.0;
	if (rate_hz >= 80.0)
		return 1.0;
	return 50.0 / 90.0 + (rate_hz - 10.0) / 70.0 * (40.0 / 90.0);
}

struct bm_sim *bm_sim_new(const struct bm_sim_config *cfg)
{
	if (!config_ok(cfg))
		return NULL;
	struct bm_sim *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cfg = *cfg;
	s->cfg.messy = cfg->messy ? 1 : 0;
	s->cfg.gaps_in_efforts = cfg->gaps_in_efforts ? 1 : 0;
	rng_seed(&s->plan, cfg->seed, 1);
	rng_seed(&s->body, cfg->seed, 2);
	rng_seed(&s->sensor, cfg->seed, 3);
	struct rng *r = &s->plan;

	double u_leg = rng_unit(r), u_asym = rng_range(r, 0.0, 25.0);
	s->weaker = cfg->weaker_leg >= 0 ? cfg->weaker_leg : (u_leg < 0.5 ? BM_LEFT : BM_RIGHT);
	s->stronger = 1 - s->weaker;
	s->asym = (isnan(cfg->asym_pct) ? u_asym : cfg->asym_pct) / 100.0;

	s->body_mass_kg = rng_range(r, 55.0, 100.0);
	s->lvl_strong_n = clampd(s->body_mass_kg * 9.80665 * rng_range(r, 0.26, 0.44),
	                         150.0, 450.0);
	/* The heel carries part of the leg's weight: 4.5-8.5 % of body weight
	 * per leg, so heavier athletes rest heavier (30-80 N), and the two
	 * legs differ (foot placement, knee angle). */
	do {
		double bw_n = s->body_mass_kg * 9.80665;
		s->rest0_n[0] = clampd(bw_n * rng_range(r, 0.045, 0.085), 30.0, 80.0);
		s->rest0_n[1] = clampd(bw_n * rng_range(r, 0.045, 0.085), 30.0, 80.0);
	} while (fabs(s->rest0_n[0] - s->rest0_n[1]) < 3.0);
	for (int l = 0; l < BM_NCHAN; l++) {
		for (int k = 0; k < 2; k++) {
			double period = rng_range(r, 60.0, 400.0);
			s->drift_amp[l][k] = s->cfg.messy ? rng_range(r, 0.5, 2.0) : 0.0;
			s->drift_w[l][k] = 2.0 * PI / period;
			s->drift_ph[l][k] = rng_range(r, 0.0, 2.0 * PI);
		}
	}
	double nsd = rng_range(r, 0.3, 1.5);
	for (int l = 0; l < BM_NCHAN; l++)
		s->noise_sd[l] = clampd(nsd * rng_range(r, 0.85, 1.15), 0.3, 1.5)
		               * noise_factor(cfg->rate_hz);
	s->trem_pct = rng_range(r, 0.01, 0.03);
	for (int l = 0; l < BM_NCHAN; l++) {
		s->trem_f[l] = rng_range(r, 8.0, 12.0);
		/* The HX711 averages over one conversion: a sinc response, which
		 * all but removes 8-12 Hz tremor at 10 SPS. */
		double x = PI * s->trem_f[l] / cfg->rate_hz;
		s->trem_gain[l] = fabs(sin(x) / x);
	}
	s->wander_sd = rng_range(r, 0.015, 0.035);
	double tau = rng_range(r, 1.0, 3.0);
	double e = rng_range(r, -0.005, 0.005);
	s->period_s = (1.0 + e) / cfg->rate_hz;
	s->wander_a = exp(-s->period_s / tau);
	s->wander_b = sqrt(1.0 - s->wander_a * s->wander_a);

	int reversed = rng_unit(r) < 0.3 ? rng_int(r, 0, 1) : -1;
	for (int l = 0; l < BM_NCHAN; l++) {
		double off = rng_range(r, 10000.0, 90000.0) * (rng_unit(r) < 0.5 ? -1.0 : 1.0);
		float sc = (float)rng_range(r, 4e-4, 6e-4);
		if (l == reversed)
			sc = -sc;
		s->cal.offset_counts[l] = (int32_t)lround(off);
		s->cal.scale_n_per_count[l] = sc;
		s->offset[l] = (double)s->cal.offset_counts[l];
		s->scale[l] = (double)sc;
	}
	s->seq0 = (uint16_t)(rng_next(r) & 0xFFFF);

	for (int l = 0; l < BM_NCHAN; l++)
		s->base_n[l] = s->plan_base_n[l] = s->rest0_n[l];
	plan_block(s, 0.0);
	return s;
}

void bm_sim_free(struct bm_sim *sim)
{
	if (!sim)
		return;
	free(sim->truth);
	free(sim);
}

int bm_sim_next(struct bm_sim *sim, struct bm_sim_sample *out)
{
	for (;;) {
		if (sim->done)
			return 0;
		if (!endless(sim)) {
			double t = (double)llround((double)sim->tick * sim->period_s * 1e6) * 1e-6;
			if (t >= sim->cfg.seconds) {
				sim->done = 1;
				return 0;
			}
		}
		if (tick(sim, out))
			return 1;
	}
}

size_t bm_sim_truth(const struct bm_sim *sim, const struct bm_sim_event **events)
{
	*events = sim->truth;
	return sim->ntruth;
}

uint64_t bm_sim_truth_dropped(const struct bm_sim *sim)
{
	return sim->dropped;
}

void bm_sim_calibration(const struct bm_sim *sim, struct bm_cal_record *out)
{
	*out = sim->cal;
}

void bm_sim_get_info(const struct bm_sim *sim, struct bm_sim_info *out)
{
	out->weaker_leg = sim->weaker;
	out->asym_pct = sim->asym * 100.0;
	for (int l = 0; l < BM_NCHAN; l++) {
		out->rest_n[l] = sim->rest0_n[l] + drift_n(sim, l, 0.0);
		out->noise_sd_n[l] = sim->noise_sd[l];
	}
	out->body_mass_kg = sim->body_mass_kg;
	out->sample_period_s = sim->period_s;
	out->elapsed_s = sim->elapsed_s;
}

static const char *leg_name(int leg)
{
	return leg == BM_LEFT ? "left" : "right";
}

int bm_sim_write_truth_json(const struct bm_sim *sim, FILE *f)
{
	if (!sim || !f)
		return BM_SIM_ERR_ARG;
	struct bm_sim_info in;
	bm_sim_get_info(sim, &in);
	double secs = endless(sim) ? sim->elapsed_s : sim->cfg.seconds;
	fprintf(f, "{\"seed\": %" PRIu64 ", \"rate_hz\": %.17g, \"t0_s\": %.6f, "
	        "\"seconds\": %.6f,\n", sim->cfg.seed, sim->cfg.rate_hz, sim->cfg.t0_s, secs);
	fprintf(f, " \"weaker_leg\": \"%s\", \"asym_pct\": %.3f,\n", leg_name(in.weaker_leg),
	        in.asym_pct);
	fprintf(f, " \"rest_n\": {\"left\": %.3f, \"right\": %.3f},\n", in.rest_n[0], in.rest_n[1]);
	fprintf(f, " \"body_mass_kg\": %.2f, \"messy\": %s, \"events_dropped\": %" PRIu64 ",\n",
	        in.body_mass_kg, sim->cfg.messy ? "true" : "false", sim->dropped);
	fprintf(f, " \"events\": [");
	for (size_t i = 0; i < sim->ntruth; i++) {
		const struct bm_sim_event *ev = &sim->truth[i];
		fprintf(f, "%s\n  {\"kind\": \"%s\", \"leg\": \"%s\", \"single_leg\": %s, "
		        "\"light\": %s, \"start_s\": %.6f, \"end_s\": %.6f, \"target_n\": %.3f}",
		        i ? "," : "", ev->kind == BM_SIM_HOLD ? "hold" : "rep", leg_name(ev->leg),
		        ev->single_leg ? "true" : "false", ev->light ? "true" : "false",
		        ev->start_s, ev->end_s, ev->target_n);
	}
	fprintf(f, "%s]}\n", sim->ntruth ? "\n " : "");
	if (fflush(f) != 0 || ferror(f))
		return BM_SIM_ERR_IO;
	return BM_SIM_OK;
}
