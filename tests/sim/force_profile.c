/* force_profile.c - force sources for the simulated board; see force_profile.h. */
#include "force_profile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_csv.h"
#include "bm_sim.h"

/* Samples kept for interpolation: 4096 at 80 Hz is 51 s of history. */
#define HIST 4096u

enum kind { SYNTHETIC, CSV, SIM };

struct force_profile {
	enum kind kind;
	/* streamed sources: a ring of recent samples */
	double t[HIST], f[HIST][2];
	size_t n;              /* samples ever stored */
	int ended;
	/* csv */
	char *path;
	struct bm_csv_reader *rd;
	double loop_offset_s, last_t_s, first_t_s;
	double carry[2];       /* last known value, for empty cells */
	int have_first;
	/* sim */
	struct bm_sim *sim;
};

/* A smooth step from 0 to 1 over [a, a + w]. */
static double ramp(double t, double a, double w)
{
	if (t <= a)
		return 0.0;
	if (t >= a + w)
		return 1.0;
	double x = (t - a) / w;
	return x * x * (3.0 - 2.0 * x);
}

/* A plateau from a to b with ramps of w seconds. */
static double plateau(double t, double a, double b, double w)
{
	return ramp(t, a, w) * (1.0 - ramp(t, b - w, w));
}

static double synthetic(int ch, double t_s)
{
	double t = fmod(t_s, 40.0);
	double rest = ch == 0 ? 55.0 : 48.0;
	double f = rest + 1.5 * sin(2.0 * M_PI * 0.13 * t_s + ch);
	/* Double-leg hold 4-16 s: left 300 N, right 240 N (20 % weaker). */
	f += (ch == 0 ? 245.0 : 192.0) * plateau(t, 4.0, 16.0, 0.8);
	/* Five reps 18-28 s, 2 s each, both legs. */
	for (int k = 0; k < 5; k++)
		f += (ch == 0 ? 330.0 : 300.0) * plateau(t, 18.0 + 2.0 * k, 19.4 + 2.0 * k, 0.5);
	/* Single-leg hold 30-38 s on the left: the right foot is lifted. */
	f += ch == 0 ? 420.0 * plateau(t, 30.0, 38.0, 0.7) : -rest * plateau(t, 29.8, 38.2, 0.3);
	/* Physiological tremor during efforts, 9 Hz. */
	f += 2.0 * sin(2.0 * M_PI * 9.0 * t_s) * (f > 100.0);
	return f;
}

static void store(struct force_profile *p, double t, const double f[2])
{
	size_t i = p->n % HIST;
	p->t[i] = t;
	p->f[i][0] = f[0];
	p->f[i][1] = f[1];
	p->n++;
}

/* Next sample of a streamed source; 0 at its end. */
static int pull(struct force_profile *p)
{
	if (p->kind == SIM) {
		struct bm_sim_sample s;
		if (!bm_sim_next(p->sim, &s))
			return 0;
		store(p, s.t_s, s.force_n);
		return 1;
	}
	for (;;) {
		struct bm_csv_row row;
		struct bm_csv_error e;
		int r = bm_csv_reader_next(p->rd, &row, &e);
		if (r == BM_CSV_EOF || r < 0) {
			/* Loop the session: reopen and continue in time. */
			if (!p->have_first || r < 0)
				return 0;
			bm_csv_reader_close(p->rd);
			p->rd = NULL;
			if (bm_csv_reader_open(p->path, &p->rd, &e) != BM_CSV_OK)
				return 0;
			p->loop_offset_s += p->last_t_s - p->first_t_s + 1.0 / 80.0;
			p->have_first = 0;
			continue;
		}
		if (!p->have_first) {
			p->first_t_s = row.t_s;
			p->have_first = 1;
		}
		p->last_t_s = row.t_s;
		for (int ch = 0; ch < 2; ch++)
			if (!isnan(row.force_n[ch]))
				p->carry[ch] = row.force_n[ch];
		store(p, row.t_s - p->first_t_s + p->loop_offset_s, p->carry);
		return 1;
	}
}

double force_profile_at(void *profile, int ch, double t_s)
{
	struct force_profile *p = profile;
	size_t lo, hi, oldest;

	ch &= 1;
	if (p->kind == SYNTHETIC)
		return synthetic(ch, t_s);
	while (!p->ended && (p->n == 0 || p->t[(p->n - 1) % HIST] < t_s))
		if (!pull(p))
			p->ended = 1;
	if (p->n == 0)
		return 0.0;
	/* Binary search among the samples still held. */
	oldest = p->n > HIST ? p->n - HIST : 0;
	lo = oldest;
	hi = p->n - 1;
	if (t_s <= p->t[lo % HIST])
		return p->f[lo % HIST][ch];
	if (t_s >= p->t[hi % HIST])
		return p->f[hi % HIST][ch];
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->t[mid % HIST] <= t_s)
			lo = mid;
		else
			hi = mid;
	}
	double t0 = p->t[lo % HIST], t1 = p->t[hi % HIST];
	double a = t1 > t0 ? (t_s - t0) / (t1 - t0) : 0.0;
	return p->f[lo % HIST][ch] * (1.0 - a) + p->f[hi % HIST][ch] * a;
}

struct force_profile *force_profile_synthetic(void)
{
	struct force_profile *p = calloc(1, sizeof *p);
	if (p)
		p->kind = SYNTHETIC;
	return p;
}

struct force_profile *force_profile_csv(const char *path, char *err, size_t err_len)
{
	struct force_profile *p = calloc(1, sizeof *p);
	struct bm_csv_error e;

	if (!p) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	p->kind = CSV;
	p->path = strdup(path);
	if (!p->path || bm_csv_reader_open(path, &p->rd, &e) != BM_CSV_OK) {
		snprintf(err, err_len, "%s", p->path ? e.msg : "out of memory");
		force_profile_free(p);
		return NULL;
	}
	if (!pull(p)) {
		snprintf(err, err_len, "%s: no samples", path);
		force_profile_free(p);
		return NULL;
	}
	return p;
}

struct force_profile *force_profile_sim(uint64_t seed, char *err, size_t err_len)
{
	struct force_profile *p = calloc(1, sizeof *p);
	struct bm_sim_config cfg;

	if (!p) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	p->kind = SIM;
	bm_sim_config_default(&cfg);
	cfg.seed = seed;
	cfg.seconds = 0;   /* play forever */
	cfg.rate_hz = 80;
	p->sim = bm_sim_new(&cfg);
	if (!p->sim) {
		snprintf(err, err_len, "simulated athlete: bad settings or out of memory");
		force_profile_free(p);
		return NULL;
	}
	return p;
}

void force_profile_free(struct force_profile *p)
{
	if (!p)
		return;
	if (p->rd)
		bm_csv_reader_close(p->rd);
	if (p->sim)
		bm_sim_free(p->sim);
	free(p->path);
	free(p);
}
