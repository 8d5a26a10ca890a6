/*
 * test_sim.c - the simulated athlete.  The detectors are tuned against this
 * simulator, so these tests pin down the promises bm_sim.h makes: the same
 * seed gives the same bytes, samples come at the rate with sequence numbers
 * that skip exactly over what was dropped, and the truth agrees with the
 * noise-free signal sample by sample (threshold crossings, durations,
 * double-leg pairs, the lifted foot, touch-and-go valleys, asymmetry).
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bm_sim.h"

/* REQUIRE() records a checkpoint on every pass (a write to Check's
 * pipe); these tests assert per sample, millions of times, so they check
 * first and call into Check only on failure. */
#define REQUIRE(cond, ...) \
	do { \
		if (!(cond)) \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

/* A whole finite session in memory. */
struct run {
	struct bm_sim_sample *smp;
	size_t n, cap;
	struct bm_sim_event *ev;
	size_t nev;
	struct bm_sim_info info;
	struct bm_cal_record cal;
	char *json;
	size_t json_len;
};

static void run_session(const struct bm_sim_config *cfg, struct run *r)
{
	struct bm_sim *sim = bm_sim_new(cfg);
	const struct bm_sim_event *ev;
	struct bm_sim_sample o;

	memset(r, 0, sizeof *r);
	REQUIRE(sim != NULL, "bm_sim_new(seed %llu) expected a simulator, got NULL",
	              (unsigned long long)cfg->seed);
	while (bm_sim_next(sim, &o)) {
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 4096;
			r->smp = realloc(r->smp, r->cap * sizeof *r->smp);
			REQUIRE(r->smp != NULL, "out of memory");
		}
		r->smp[r->n++] = o;
		/* "Truth so far" holds only events whose end has been played. */
		size_t k = bm_sim_truth(sim, &ev);
		if (k > 0)
			REQUIRE(ev[k - 1].end_s <= o.t_s + 1e-9,
			              "truth event ending at %.6f reported at t %.6f", ev[k - 1].end_s, o.t_s);
	}
	REQUIRE(bm_sim_next(sim, &o) == 0, "bm_sim_next after the end expected 0");
	r->nev = bm_sim_truth(sim, &ev);
	r->ev = malloc((r->nev + 1) * sizeof *r->ev);
	REQUIRE(r->ev != NULL, "out of memory");
	if (r->nev)
		memcpy(r->ev, ev, r->nev * sizeof *ev);
	bm_sim_get_info(sim, &r->info);
	bm_sim_calibration(sim, &r->cal);
	FILE *f = open_memstream(&r->json, &r->json_len);
	REQUIRE(f != NULL, "open_memstream failed");
	ck_assert_int_eq(bm_sim_write_truth_json(sim, f), BM_SIM_OK);
	fclose(f);
	bm_sim_free(sim);
}

static void run_free(struct run *r)
{
	free(r->smp);
	free(r->ev);
	free(r->json);
	memset(r, 0, sizeof *r);
}

static struct bm_sim_config cfg_of(uint64_t seed, double seconds, double rate_hz)
{
	struct bm_sim_config c;
	bm_sim_config_default(&c);
	c.seed = seed;
	c.seconds = seconds;
	c.rate_hz = rate_hz;
	return c;
}

/* First sample with t_s >= t (n when none). */
static size_t first_at(const struct run *r, double t)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->smp[mid].t_s < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* Field by field, bit for bit (the struct has padding, so no memcmp). */
static int same_sample(const struct bm_sim_sample *a, const struct bm_sim_sample *b)
{
	if (!same_double(a->t_s, b->t_s) || a->seq != b->seq || a->tick != b->tick
	    || a->glitch != b->glitch || a->lifted != b->lifted)
		return 0;
	for (int l = 0; l < BM_NCHAN; l++)
		if (!same_double(a->force_n[l], b->force_n[l]) || a->raw_counts[l] != b->raw_counts[l]
		    || a->flags[l] != b->flags[l] || !same_double(a->clean_n[l], b->clean_n[l])
		    || !same_double(a->rest_n[l], b->rest_n[l]))
			return 0;
	return 1;
}

/* ---- configuration ---- */

START_TEST(sim_rejects_bad_config)
{
	struct bm_sim_config c = cfg_of(1, 10, 80);
	REQUIRE(bm_sim_new(NULL) == NULL, "NULL config expected NULL");
	c.rate_hz = 0;
	REQUIRE(bm_sim_new(&c) == NULL, "rate 0 expected NULL");
	c = cfg_of(1, 10, 80);
	c.asym_pct = 60;
	REQUIRE(bm_sim_new(&c) == NULL, "asym 60 %% expected NULL");
	c = cfg_of(1, 10, 80);
	c.weaker_leg = 2;
	REQUIRE(bm_sim_new(&c) == NULL, "weaker_leg 2 expected NULL");
	c = cfg_of(1, NAN, 80);
	REQUIRE(bm_sim_new(&c) == NULL, "seconds NaN expected NULL");
	c = cfg_of(1, 10, 80);
	c.t0_s = INFINITY;
	REQUIRE(bm_sim_new(&c) == NULL, "t0 inf expected NULL");
	bm_sim_free(NULL);
	ck_assert_int_eq(bm_sim_write_truth_json(NULL, stdout), BM_SIM_ERR_ARG);
}
END_TEST

/* ---- determinism ---- */

START_TEST(sim_same_seed_same_bytes)
{
	struct bm_sim_config c = cfg_of(42, 300, 80);
	struct run a, b;
	c.gaps_in_efforts = 1;
	run_session(&c, &a);
	run_session(&c, &b);
	REQUIRE(a.n == b.n, "sample count: first run %zu, second %zu", a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		REQUIRE(same_sample(&a.smp[i], &b.smp[i]), "sample %zu differs between runs", i);
	REQUIRE(a.nev == b.nev && a.nev > 0, "events: %zu and %zu (expected equal, > 0)",
	              a.nev, b.nev);
	REQUIRE(a.json_len == b.json_len && memcmp(a.json, b.json, a.json_len) == 0,
	              "truth JSON differs between runs of the same seed");
	run_free(&a);
	run_free(&b);
}
END_TEST

START_TEST(sim_different_seed_differs)
{
	struct bm_sim_config c1 = cfg_of(1, 240, 80), c2 = cfg_of(2, 240, 80);
	struct run a, b;
	size_t n, differ = 0;
	run_session(&c1, &a);
	run_session(&c2, &b);
	n = a.n < b.n ? a.n : b.n;
	for (size_t i = 0; i < n; i++)
		if (fabs(a.smp[i].clean_n[0] - b.smp[i].clean_n[0]) > 1.0)
			differ++;
	REQUIRE(differ > n / 2, "seeds 1 and 2: only %zu of %zu samples differ by > 1 N",
	              differ, n);
	REQUIRE(a.info.rest_n[0] != b.info.rest_n[0], "seeds 1 and 2 share a resting level");
	int same_truth = a.nev == b.nev;
	for (size_t i = 0; same_truth && i < a.nev; i++)
		same_truth = a.ev[i].start_s == b.ev[i].start_s;
	REQUIRE(!same_truth, "seeds 1 and 2 produced the same truth");
	run_free(&a);
	run_free(&b);
}
END_TEST

/* ---- rate, clock, sequence numbers ---- */

static void check_rate(double rate_hz, int messy)
{
	struct bm_sim_config c = cfg_of(7, 600, rate_hz);
	struct run r;
	size_t skips = 0;
	c.messy = messy;
	run_session(&c, &r);
	double p = r.info.sample_period_s;
	REQUIRE(fabs(p * rate_hz - 1.0) <= 0.005,
	              "sample period at %g Hz: expected 1/rate within 0.5 %%, got %.9f s", rate_hz, p);
	REQUIRE(r.smp[0].tick == 0 && r.smp[0].t_s == 0.0,
	              "first sample: expected tick 0 at t 0, got tick %llu at %.6f",
	              (unsigned long long)r.smp[0].tick, r.smp[0].t_s);
	for (size_t i = 1; i < r.n; i++) {
		const struct bm_sim_sample *a = &r.smp[i - 1], *b = &r.smp[i];
		uint64_t dtick = b->tick - a->tick;
		uint16_t dseq = (uint16_t)(b->seq - a->seq);
		double dt = b->t_s - a->t_s;
		REQUIRE(dtick >= 1, "tick went from %llu to %llu", (unsigned long long)a->tick,
		              (unsigned long long)b->tick);
		REQUIRE(dseq == (uint16_t)dtick,
		              "seq stepped by %u where %llu samples passed (sample %zu)", dseq,
		              (unsigned long long)dtick, i);
		REQUIRE(fabs(dt - (double)dtick * p) <= 1.5e-6,
		              "t_s stepped %.7f s over %llu periods of %.7f s (sample %zu)", dt,
		              (unsigned long long)dtick, p, i);
		if (dtick > 1)
			skips++;
		if (!messy)
			REQUIRE(dtick == 1 && b->glitch == 0,
			              "clean session: sample %zu has a drop or glitch", i);
	}
	/* The last ticks may have been dropped (a run, or a gap of <= 3 s). */
	uint64_t ticks = r.smp[r.n - 1].tick + 1;
	REQUIRE((double)ticks * p <= 600.0 + p && (double)ticks * p > 600.0 - (messy ? 3.1 : p),
	              "600 s at %g Hz: %llu ticks of %.7f s", rate_hz, (unsigned long long)ticks, p);
	if (messy)
		REQUIRE(skips > 0 && r.n < ticks && r.n > ticks * 9 / 10,
		              "messy session at %g Hz: expected some drops, got %zu skips, %zu of %llu",
		              rate_hz, skips, r.n, (unsigned long long)ticks);
	run_free(&r);
}

START_TEST(sim_rate_80_and_10)
{
	check_rate(80, 1);
	check_rate(10, 1);
	check_rate(80, 0);
	check_rate(10, 0);
}
END_TEST

/* Long gaps (> 0.4 s) come only while both legs rest, unless asked for. */
START_TEST(sim_long_gaps_at_rest)
{
	size_t gaps = 0, gaps_in_effort = 0;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		for (int in_eff = 0; in_eff <= 1; in_eff++) {
			struct bm_sim_config c = cfg_of(seed, 300, 80);
			struct run r;
			c.gaps_in_efforts = in_eff;
			run_session(&c, &r);
			for (size_t i = 1; i < r.n; i++) {
				const struct bm_sim_sample *a = &r.smp[i - 1], *b = &r.smp[i];
				if (b->t_s - a->t_s < 0.4)
					continue;
				int overlaps = 0;
				for (size_t k = 0; k < r.nev; k++)
					if (r.ev[k].start_s < b->t_s && r.ev[k].end_s > a->t_s)
						overlaps = 1;
				if (in_eff) {
					gaps_in_effort += (size_t)overlaps;
					continue;
				}
				gaps++;
				REQUIRE(!overlaps, "seed %llu: gap %.2f-%.2f s overlaps an effort",
				              (unsigned long long)seed, a->t_s, b->t_s);
				for (int l = 0; l < BM_NCHAN; l++)
					REQUIRE(a->clean_n[l] - a->rest_n[l] < 12.0
					              && b->clean_n[l] - b->rest_n[l] < 12.0
					              && !(a->lifted | b->lifted),
					              "seed %llu: leg %d not at rest around the gap at %.2f s",
					              (unsigned long long)seed, l, a->t_s);
			}
			run_free(&r);
		}
	}
	REQUIRE(gaps >= 10, "20 messy sessions: expected >= 10 long gaps, got %zu", gaps);
	REQUIRE(gaps_in_effort > 0, "gaps_in_efforts: expected a gap inside an effort, got none");
}
END_TEST

/* ---- truth ---- */

struct tally {
	size_t hold_d, hold_s, rep_d, rep_s, light, tng, rate10;
};

/* Is there a same-leg rep ending exactly at @p t (touch-and-go boundary)? */
static int tng_before(const struct run *r, size_t k)
{
	for (size_t j = 0; j < r->nev; j++)
		if (j != k && r->ev[j].leg == r->ev[k].leg && r->ev[j].kind == BM_SIM_REP
		    && r->ev[j].end_s == r->ev[k].start_s)
			return 1;
	return 0;
}

static int tng_after(const struct run *r, size_t k)
{
	for (size_t j = 0; j < r->nev; j++)
		if (j != k && r->ev[j].leg == r->ev[k].leg && r->ev[j].kind == BM_SIM_REP
		    && r->ev[j].start_s == r->ev[k].end_s)
			return 1;
	return 0;
}

static void check_event(const struct run *r, size_t k, struct tally *t, uint64_t seed)
{
	const struct bm_sim_event *e = &r->ev[k];
	int l = e->leg, o = 1 - l;
	double dur = e->end_s - e->start_s;
	double mn = INFINITY, mx = -INFINITY;
	size_t i0 = first_at(r, e->start_s), i;
	int contiguous = 1;

	if (e->kind == BM_SIM_HOLD)
		REQUIRE(dur >= 10.0, "seed %llu: hold of %.3f s (expected >= 10)",
		              (unsigned long long)seed, dur);
	else
		REQUIRE(dur >= 0.3 && dur <= 6.0, "seed %llu: rep of %.3f s (expected 0.3-6)",
		              (unsigned long long)seed, dur);

	for (i = i0; i < r->n && r->smp[i].t_s <= e->end_s; i++) {
		const struct bm_sim_sample *s = &r->smp[i];
		if (i > i0 && s->tick != r->smp[i - 1].tick + 1)
			contiguous = 0;
		if (s->t_s == e->start_s || s->t_s == e->end_s)
			continue;
		REQUIRE(s->clean_n[l] - s->rest_n[l] > BM_SIM_ONSET_N - 1e-9,
		              "seed %llu: inside the %s at %.3f-%.3f s, t %.4f: clean %.3f N, rest %.3f N",
		              (unsigned long long)seed, e->kind == BM_SIM_HOLD ? "hold" : "rep",
		              e->start_s, e->end_s, s->t_s, s->clean_n[l], s->rest_n[l]);
		mn = fmin(mn, s->clean_n[l]);
		mx = fmax(mx, s->clean_n[l]);
		if (e->single_leg) {
			REQUIRE(s->clean_n[o] <= 5.0 + 1e-9 && (s->lifted >> o & 1)
			              && !(s->lifted >> l & 1),
			              "seed %llu: single-leg effort at %.3f s: other leg %.3f N, lifted 0x%x",
			              (unsigned long long)seed, s->t_s, s->clean_n[o], s->lifted);
		}
	}
	/* The sample just outside each boundary is below the threshold, unless
	 * the boundary is a touch-and-go valley. */
	if (i0 > 0 && !tng_before(r, k) && r->smp[i0 - 1].t_s >= e->start_s - 0.3) {
		const struct bm_sim_sample *s = &r->smp[i0 - 1];
		REQUIRE(s->clean_n[l] - s->rest_n[l] < BM_SIM_ONSET_N + 1e-9,
		              "seed %llu: before start %.4f, t %.4f: %.3f N above rest",
		              (unsigned long long)seed, e->start_s, s->t_s, s->clean_n[l] - s->rest_n[l]);
	}
	if (i < r->n && !tng_after(r, k) && r->smp[i].t_s <= e->end_s + 0.3) {
		const struct bm_sim_sample *s = &r->smp[i];
		REQUIRE(s->clean_n[l] - s->rest_n[l] < BM_SIM_ONSET_N + 1e-9,
		              "seed %llu: after end %.4f, t %.4f: %.3f N above rest",
		              (unsigned long long)seed, e->end_s, s->t_s, s->clean_n[l] - s->rest_n[l]);
	}
	if (mx > -INFINITY) {
		if (e->kind == BM_SIM_HOLD)
			REQUIRE(e->target_n >= mn && e->target_n <= mx,
			              "seed %llu: hold target %.2f N outside its samples %.2f-%.2f N",
			              (unsigned long long)seed, e->target_n, mn, mx);
		else
			REQUIRE(e->target_n >= mx - 1e-9 && (!contiguous || e->target_n <= mx + 1e-9),
			              "seed %llu: rep peak %.3f N, largest sample %.3f N",
			              (unsigned long long)seed, e->target_n, mx);
	}

	if (!e->single_leg) {
		int partner = 0;
		for (size_t j = 0; j < r->nev; j++)
			if (r->ev[j].leg == o && !r->ev[j].single_leg && r->ev[j].kind == e->kind
			    && r->ev[j].start_s == e->start_s && r->ev[j].end_s == e->end_s)
				partner = 1;
		REQUIRE(partner, "seed %llu: double-leg event at %.3f s has no %s partner",
		              (unsigned long long)seed, e->start_s, o == BM_LEFT ? "left" : "right");
	}
	/* Touch-and-go valley: well above the threshold, well below the peaks. */
	if (tng_after(r, k)) {
		const struct bm_sim_event *nx = NULL;
		for (size_t j = 0; j < r->nev; j++)
			if (r->ev[j].leg == l && r->ev[j].start_s == e->end_s && j != k)
				nx = &r->ev[j];
		double vmin = INFINITY, rest = 0;
		for (size_t j = first_at(r, e->end_s - 0.15); j < r->n && r->smp[j].t_s <= e->end_s + 0.15; j++)
			if (r->smp[j].clean_n[l] < vmin) {
				vmin = r->smp[j].clean_n[l];
				rest = r->smp[j].rest_n[l];
			}
		if (vmin < INFINITY) {
			REQUIRE(vmin - rest >= 30.0,
			              "seed %llu: touch-and-go valley at %.3f s only %.2f N above rest",
			              (unsigned long long)seed, e->end_s, vmin - rest);
			if (r->info.sample_period_s < 0.02)
				REQUIRE(vmin <= 0.72 * fmin(e->target_n, nx->target_n),
				              "seed %llu: valley %.1f N at %.3f s, peaks %.1f and %.1f N",
				              (unsigned long long)seed, vmin, e->end_s, e->target_n, nx->target_n);
		}
		t->tng++;
	}
	if (e->light)
		t->light++;
	else if (e->kind == BM_SIM_HOLD && e->single_leg)
		t->hold_s++;
	else if (e->kind == BM_SIM_HOLD)
		t->hold_d++;
	else if (e->single_leg)
		t->rep_s++;
	else
		t->rep_d++;
}

START_TEST(sim_truth_consistent)
{
	struct tally t = {0};
	for (uint64_t seed = 100; seed < 150; seed++) {
		int slow = seed % 5 == 0;
		struct bm_sim_config c = cfg_of(seed, 240, slow ? 10 : 80);
		struct run r;
		c.gaps_in_efforts = seed % 7 == 0;
		c.messy = seed % 11 != 0;
		run_session(&c, &r);
		t.rate10 += (size_t)slow;
		for (size_t k = 0; k < r.nev; k++) {
			if (k > 0)
				REQUIRE(r.ev[k].start_s >= r.ev[k - 1].start_s,
				              "seed %llu: truth not ordered by start at event %zu",
				              (unsigned long long)seed, k);
			check_event(&r, k, &t, seed);
		}
		run_free(&r);
	}
	/* The plan must hold every kind of effort, or the checks above prove little. */
	REQUIRE(t.hold_d >= 10 && t.hold_s >= 10 && t.rep_d >= 100 && t.rep_s >= 50
	              && t.light >= 20 && t.tng >= 20 && t.rate10 == 10,
	              "50 sessions: double holds %zu, single holds %zu, double reps %zu, single reps "
	              "%zu, light %zu, touch-and-go valleys %zu, 10 Hz sessions %zu",
	              t.hold_d, t.hold_s, t.rep_d, t.rep_s, t.light, t.tng, t.rate10);
}
END_TEST

/* ---- asymmetry ---- */

/* Mean over double-leg, non-light pairs of (strong - weak) / strong, in %;
 * *lsi gets weak / strong of the mean single-leg (non-light) hold levels. */
static double measured_asym(double asym_pct, int weaker, enum bm_sim_kind kind, double *lsi,
                            double *lo, double *hi)
{
	double sum = 0, single_sum[BM_NCHAN] = {0, 0};
	size_t n = 0, single_n[BM_NCHAN] = {0, 0};
	*lo = INFINITY;
	*hi = -INFINITY;
	for (uint64_t seed = 1; seed <= 15; seed++) {
		struct bm_sim_config c = cfg_of(seed, 900, 80);
		struct run r;
		c.asym_pct = asym_pct;
		c.weaker_leg = weaker;
		run_session(&c, &r);
		REQUIRE(r.info.asym_pct == asym_pct && r.info.weaker_leg == weaker,
		              "info: asym %.2f weaker %d, asked %.2f and %d", r.info.asym_pct,
		              r.info.weaker_leg, asym_pct, weaker);
		for (size_t k = 0; k < r.nev; k++) {
			const struct bm_sim_event *e = &r.ev[k];
			if (e->light || e->kind != kind)
				continue;
			if (e->single_leg) {
				single_sum[e->leg] += e->target_n;
				single_n[e->leg]++;
				continue;
			}
			if (e->leg != weaker)
				continue;
			for (size_t j = 0; j < r.nev; j++) {
				const struct bm_sim_event *s = &r.ev[j];
				if (s->leg == weaker || s->single_leg || s->start_s != e->start_s
				    || s->kind != kind)
					continue;
				double a = (s->target_n - e->target_n) / s->target_n * 100.0;
				sum += a;
				n++;
				*lo = fmin(*lo, a);
				*hi = fmax(*hi, a);
			}
		}
		run_free(&r);
	}
	REQUIRE(n >= 20, "expected >= 20 double-leg pairs, got %zu", n);
	*lsi = -1;
	if (single_n[0] && single_n[1])
		*lsi = (single_sum[weaker] / single_n[weaker])
		     / (single_sum[1 - weaker] / single_n[1 - weaker]) * 100.0;
	return sum / (double)n;
}

START_TEST(sim_asymmetry_reflected)
{
	double lsi, lo, hi, m;

	m = measured_asym(20.0, BM_RIGHT, BM_SIM_HOLD, &lsi, &lo, &hi);
	REQUIRE(m >= 18.0 && m <= 22.0 && lo >= 12.0 && hi <= 28.0,
	              "asym 20 %% right, holds: mean %.2f %% (expected 18-22), range %.2f-%.2f", m, lo, hi);
	REQUIRE(lsi >= 74.0 && lsi <= 86.0,
	              "asym 20 %%: single-leg LSI %.1f %% (expected about 80)", lsi);

	m = measured_asym(20.0, BM_RIGHT, BM_SIM_REP, &lsi, &lo, &hi);
	REQUIRE(m >= 17.0 && m <= 23.0 && lo >= 8.0 && hi <= 32.0,
	              "asym 20 %% right, reps: mean %.2f %% (expected 17-23), range %.2f-%.2f", m, lo, hi);

	m = measured_asym(12.0, BM_LEFT, BM_SIM_HOLD, &lsi, &lo, &hi);
	REQUIRE(m >= 10.0 && m <= 14.0,
	              "asym 12 %% left, holds: mean %.2f %% (expected 10-14)", m);

	m = measured_asym(0.0, BM_LEFT, BM_SIM_HOLD, &lsi, &lo, &hi);
	REQUIRE(m >= -2.0 && m <= 3.0 && lo >= -4.0,
	              "asym 0 %%, holds: mean %.2f %% (expected about 0), lowest %.2f", m, lo);
}
END_TEST

START_TEST(sim_asymmetry_drawn)
{
	int weaker_seen[BM_NCHAN] = {0, 0};
	for (uint64_t seed = 1; seed <= 40; seed++) {
		struct bm_sim_config c = cfg_of(seed, 1, 80);
		struct bm_sim *sim = bm_sim_new(&c);
		struct bm_sim_info in;
		bm_sim_get_info(sim, &in);
		REQUIRE(in.asym_pct >= 0.0 && in.asym_pct <= 25.0,
		              "drawn asymmetry %.2f %% (expected 0-25)", in.asym_pct);
		REQUIRE(in.weaker_leg == BM_LEFT || in.weaker_leg == BM_RIGHT,
		              "drawn weaker leg %d", in.weaker_leg);
		for (int l = 0; l < BM_NCHAN; l++)
			REQUIRE(in.rest_n[l] >= 26.0 && in.rest_n[l] <= 84.0,
			              "resting load %.1f N (expected 30-80 plus drift)", in.rest_n[l]);
		REQUIRE(fabs(in.rest_n[0] - in.rest_n[1]) >= 1.0, "legs rest alike: %.2f, %.2f",
		              in.rest_n[0], in.rest_n[1]);
		weaker_seen[in.weaker_leg]++;
		bm_sim_free(sim);
	}
	REQUIRE(weaker_seen[0] > 5 && weaker_seen[1] > 5,
	              "weaker leg over 40 seeds: left %d, right %d", weaker_seen[0], weaker_seen[1]);
}
END_TEST

/* ---- sensor ---- */

START_TEST(sim_glitches_single_and_flagged)
{
	size_t samples = 0, glitches[BM_NCHAN] = {0, 0}, sat = 0, zero = 0, reversed = 0;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct bm_sim_config c = cfg_of(seed, 300, 80);
		struct run r;
		run_session(&c, &r);
		samples += r.n;
		for (int l = 0; l < BM_NCHAN; l++)
			reversed += r.cal.scale_n_per_count[l] < 0;
		for (size_t i = 0; i < r.n; i++) {
			const struct bm_sim_sample *s = &r.smp[i];
			for (int l = 0; l < BM_NCHAN; l++) {
				double scale = (double)r.cal.scale_n_per_count[l];
				double f = ((double)s->raw_counts[l] - r.cal.offset_counts[l]) * scale;
				REQUIRE(s->force_n[l] == f,
				              "force %.6f N is not the calibrated raw reading %.6f N", s->force_n[l], f);
				if (!(s->glitch >> l & 1)) {
					REQUIRE(s->flags[l] == 0 && s->raw_counts[l] != BM_RAW_MAX,
					              "clean sample flagged 0x%x raw %d", s->flags[l], s->raw_counts[l]);
					REQUIRE(fabs(s->force_n[l] - s->clean_n[l]) < 8.0 * 1.5 + fabs(scale),
					              "seed %llu: noise %.2f N on a clean sample",
					              (unsigned long long)seed, s->force_n[l] - s->clean_n[l]);
					continue;
				}
				glitches[l]++;
				if (s->raw_counts[l] == BM_RAW_MAX) {
					REQUIRE(s->flags[l] == BM_CH_SAT_HIGH,
					              "all-ones glitch flagged 0x%x (expected SAT_HIGH)", s->flags[l]);
					sat++;
				} else {
					REQUIRE(s->raw_counts[l] == 0 && s->flags[l] == 0,
					              "glitch raw %d flags 0x%x (expected 0 and 0)", s->raw_counts[l],
					              s->flags[l]);
					zero++;
				}
				for (size_t j = i > 3 ? i - 3 : 0; j < i + 4 && j < r.n; j++)
					REQUIRE(j == i || !(r.smp[j].glitch >> l & 1),
					              "seed %llu: glitches at samples %zu and %zu on channel %d",
					              (unsigned long long)seed, i, j, l);
			}
		}
		run_free(&r);
	}
	for (int l = 0; l < BM_NCHAN; l++)
		REQUIRE(glitches[l] > samples / 4000 && glitches[l] < samples / 1000,
		              "channel %d: %zu glitches in %zu samples (expected about 1 in 2000)", l,
		              glitches[l], samples);
	REQUIRE(sat > 0 && zero > 0, "glitch kinds: %zu all-ones, %zu zero", sat, zero);
	REQUIRE(reversed > 0, "20 sessions without a reversed load cell");
}
END_TEST

/* ---- endless mode ---- */

START_TEST(sim_endless_keeps_going)
{
	struct bm_sim_config c = cfg_of(3, 0, 10);
	struct bm_sim *sim = bm_sim_new(&c);
	struct bm_sim_sample o;
	const struct bm_sim_event *ev;
	uint64_t total_prev = 0;
	REQUIRE(sim != NULL, "endless config rejected");
	for (int hour = 1; hour <= 12; hour++) {
		do
			REQUIRE(bm_sim_next(sim, &o) == 1, "endless session stopped (hour %d)", hour);
		while (o.t_s < 3600.0 * hour);
		size_t n = bm_sim_truth(sim, &ev);
		uint64_t total = n + bm_sim_truth_dropped(sim);
		REQUIRE(total > total_prev, "hour %d: truth stopped growing at %llu events", hour,
		              (unsigned long long)total);
		REQUIRE(n <= BM_SIM_TRUTH_CAP, "endless truth holds %zu events (cap %d)", n,
		              BM_SIM_TRUTH_CAP);
		REQUIRE(n > 0 && ev[n - 1].end_s <= o.t_s && ev[n - 1].end_s > o.t_s - 600.0,
		              "hour %d: last event ends at %.1f s, now %.1f s", hour, ev[n - 1].end_s, o.t_s);
		total_prev = total;
	}
	REQUIRE(bm_sim_truth_dropped(sim) > 0,
	              "12 hours: expected the truth to reach its cap, %llu events in all",
	              (unsigned long long)total_prev);
	bm_sim_free(sim);
}
END_TEST

/* ---- epoch t0 ---- */

START_TEST(sim_t0_changes_only_time)
{
	struct bm_sim_config c0 = cfg_of(5, 240, 80), c1 = c0;
	struct run a, b;
	c1.t0_s = 1.7e9;
	run_session(&c0, &a);
	run_session(&c1, &b);
	REQUIRE(a.n == b.n && a.nev == b.nev, "t0 changed the counts: %zu/%zu samples, "
	              "%zu/%zu events", a.n, b.n, a.nev, b.nev);
	for (size_t i = 0; i < a.n; i++) {
		struct bm_sim_sample x = b.smp[i];
		REQUIRE(fabs(x.t_s - 1.7e9 - a.smp[i].t_s) < 1e-6,
		              "sample %zu: t %.6f with t0 1.7e9, %.6f without", i, x.t_s, a.smp[i].t_s);
		REQUIRE(x.t_s > b.smp[i > 0 ? i - 1 : 0].t_s || i == 0,
		              "t_s not increasing at 1.7e9 (sample %zu)", i);
		x.t_s = a.smp[i].t_s;
		REQUIRE(same_sample(&x, &a.smp[i]), "sample %zu differs beyond t_s", i);
	}
	for (size_t k = 0; k < a.nev; k++) {
		REQUIRE(fabs(b.ev[k].start_s - 1.7e9 - a.ev[k].start_s) < 1e-6
		              && fabs(b.ev[k].end_s - 1.7e9 - a.ev[k].end_s) < 1e-6
		              && b.ev[k].target_n == a.ev[k].target_n,
		              "event %zu: %.6f-%.6f with t0, %.6f-%.6f without", k, b.ev[k].start_s,
		              b.ev[k].end_s, a.ev[k].start_s, a.ev[k].end_s);
	}
	REQUIRE(strstr(b.json, "\"t0_s\": 1700000000.000000") != NULL,
	              "truth JSON does not carry t0_s 1700000000");
	run_free(&a);
	run_free(&b);
}
END_TEST

/* ---- JSON ---- */

/* Validated by a real JSON parser: Debian's python3. */
static const char *JSON_CHECK =
	"import json, sys\n"
	"d = json.load(open(sys.argv[1]))\n"
	"n, t0, secs = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])\n"
	"for k, ty in (('seed', int), ('rate_hz', (int, float)), ('t0_s', (int, float)),\n"
	"              ('seconds', (int, float)), ('asym_pct', (int, float)), ('events', list),\n"
	"              ('rest_n', dict), ('weaker_leg', str)):\n"
	"    assert isinstance(d[k], ty), k\n"
	"assert d['weaker_leg'] in ('left', 'right')\n"
	"assert set(d['rest_n']) == {'left', 'right'}\n"
	"assert len(d['events']) == n, (len(d['events']), n)\n"
	"assert d['t0_s'] == t0 and d['seconds'] == secs\n"
	"for e in d['events']:\n"
	"    assert e['kind'] in ('hold', 'rep') and e['leg'] in ('left', 'right')\n"
	"    assert isinstance(e['single_leg'], bool) and isinstance(e['light'], bool)\n"
	"    assert t0 <= e['start_s'] < e['end_s'] <= t0 + secs\n"
	"    assert e['target_n'] > 0\n";

START_TEST(sim_truth_json_parses)
{
#ifdef BM_PYTHON3
	struct bm_sim_config c = cfg_of(11, 300, 80);
	struct bm_sim *sim;
	struct bm_sim_sample o;
	const struct bm_sim_event *ev;
	char path[] = "/tmp/bm_sim_truth_XXXXXX";
	char cmd[4096], arg[64];
	c.t0_s = 1.7e9;
	sim = bm_sim_new(&c);
	while (bm_sim_next(sim, &o))
		;
	int fd = mkstemp(path);
	REQUIRE(fd >= 0, "mkstemp failed");
	FILE *f = fdopen(fd, "w");
	ck_assert_int_eq(bm_sim_write_truth_json(sim, f), BM_SIM_OK);
	fclose(f);
	size_t n = bm_sim_truth(sim, &ev);
	REQUIRE(n > 10, "300 s session with %zu events", n);
	snprintf(arg, sizeof arg, "%zu 1700000000 300", n);
	/* The script goes through a file too: no shell quoting to get wrong. */
	char spath[] = "/tmp/bm_sim_check_XXXXXX";
	int sfd = mkstemp(spath);
	REQUIRE(sfd >= 0 && write(sfd, JSON_CHECK, strlen(JSON_CHECK)) == (ssize_t)strlen(JSON_CHECK),
	              "writing the check script failed");
	close(sfd);
	snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' %s", BM_PYTHON3, spath, path, arg);
	int st = system(cmd);
	unlink(path);
	unlink(spath);
	REQUIRE(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	              "python3 rejected the truth JSON (status %d)", st);
	bm_sim_free(sim);
#else
	/* No python3 at configure time: check the bracket structure at least. */
	struct bm_sim_config c = cfg_of(11, 60, 80);
	struct run r;
	int depth = 0, in_str = 0;
	run_session(&c, &r);
	for (size_t i = 0; i < r.json_len; i++) {
		char ch = r.json[i];
		if (ch == '"')
			in_str = !in_str;
		else if (!in_str && (ch == '{' || ch == '['))
			depth++;
		else if (!in_str && (ch == '}' || ch == ']'))
			REQUIRE(--depth >= 0, "unbalanced JSON at byte %zu", i);
	}
	REQUIRE(depth == 0 && !in_str, "unterminated JSON");
	run_free(&r);
#endif
}
END_TEST

static Suite *suite_sim(void)
{
	Suite *s = suite_create("sim");
	TCase *tc = tcase_create("basics");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, sim_rejects_bad_config);
	tcase_add_test(tc, sim_same_seed_same_bytes);
	tcase_add_test(tc, sim_different_seed_differs);
	tcase_add_test(tc, sim_t0_changes_only_time);
	tcase_add_test(tc, sim_truth_json_parses);
	suite_add_tcase(s, tc);
	tc = tcase_create("sensor");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sim_rate_80_and_10);
	tcase_add_test(tc, sim_long_gaps_at_rest);
	tcase_add_test(tc, sim_glitches_single_and_flagged);
	suite_add_tcase(s, tc);
	tc = tcase_create("athlete");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sim_truth_consistent);
	tcase_add_test(tc, sim_asymmetry_reflected);
	tcase_add_test(tc, sim_asymmetry_drawn);
	tcase_add_test(tc, sim_endless_keeps_going);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite_sim());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
