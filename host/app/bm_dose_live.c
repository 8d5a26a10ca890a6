/* bm_dose_live.c - a live session's daily dose; the idea is in
 * bm_dose_live.h. */
#include "bm_dose_live.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The MVIC a hold of leg @p leg is a % of (NaN: none). */
static double reference_n(const struct bm_mvic *mvic, int leg, int single_leg)
{
	double ref[2];
	if (!mvic)
		return NAN;
	bm_mvic_reference(mvic, single_leg ? (enum bm_side)leg : BM_SIDE_BOTH, ref);
	return ref[leg] > 0 ? ref[leg] : NAN;
}

/* Per leg: counted hold seconds, and their seconds x % MVIC / 100. */
struct load_acc {
	double d_s[2];
	double lw_s[2];   /* NaN once a hold's load is unknown */
};

static void acc_hold(struct load_acc *a, const struct bm_mvic *mvic, int leg, int single_leg,
                     double d_s, double mean_above_rest_n)
{
	double pct = 100.0 * mean_above_rest_n / reference_n(mvic, leg, single_leg);
	a->d_s[leg] += d_s;
	a->lw_s[leg] += bm_dose_load_weighted_s(d_s, pct); /* NaN spreads: unknown */
}

/* The session's load per leg: its hold time times the counted holds'
 * weighted mean % MVIC. */
static void acc_finish(const struct load_acc *a, const double hold_s[2], double out[2])
{
	for (int leg = 0; leg < 2; leg++) {
		if (!(hold_s[leg] > 0))
			out[leg] = 0;
		else if (a->d_s[leg] > 0)
			out[leg] = hold_s[leg] * a->lw_s[leg] / a->d_s[leg];
		else
			out[leg] = NAN;
	}
}

struct id_index {
	int64_t id;
	size_t i;
};

static int by_id(const void *x, const void *y)
{
	const struct id_index *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

int bm_dose_live_from_store(const struct bm_store_sessions *ss, const struct bm_store_efforts *ef,
                            const struct bm_mvic *mvic, double min_hold_s,
                            struct bm_dose_session **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!ss->count)
		return 0;
	struct load_acc *acc = calloc(ss->count, sizeof *acc);
	struct id_index *ids = malloc(ss->count * sizeof *ids);
	struct bm_dose_session *d = malloc(ss->count * sizeof *d);
	if (!acc || !ids || !d) {
		free(acc);
		free(ids);
		free(d);
		return -1;
	}
	for (size_t i = 0; i < ss->count; i++)
		ids[i] = (struct id_index){ss->items[i].id, i};
	if (ss->count > 1) /* qsort(NULL, 0) is undefined */
		qsort(ids, ss->count, sizeof *ids, by_id);
	for (size_t k = 0; ef && ef->session_ids && k < ef->count; k++) {
		const struct bm_store_effort *e = &ef->items[k];
		double d_s = e->end_s - e->start_s;
		if (e->kind != BM_STORE_EFFORT_HOLD || !(d_s >= min_hold_s) || e->leg < 0 || e->leg > 1)
			continue;
		struct id_index key = {ef->session_ids[k], 0};
		const struct id_index *hit = bsearch(&key, ids, ss->count, sizeof *ids, by_id);
		if (hit)
			acc_hold(&acc[hit->i], mvic, e->leg, e->single_leg, d_s, e->mean_above_rest_n);
	}
	size_t m = 0;
	for (size_t i = 0; i < ss->count; i++) {
		const struct bm_store_session *s = &ss->items[i];
		if (s->demo)
			continue;
		struct bm_dose_session *x = &d[m++];
		x->epoch_s = (double)s->started_epoch_s;
		for (int leg = 0; leg < 2; leg++) {
			double h = s->leg[leg].hold_time_s;
			x->hold_s[leg] = isfinite(h) && h > 0 ? h : 0;
		}
		acc_finish(&acc[i], x->hold_s, x->load_weighted_s);
	}
	free(acc);
	free(ids);
	if (!m) {
		free(d);
		d = NULL;
	}
	*out = d;
	*n = m;
	return 0;
}

void bm_dose_live_from_events(double epoch_s, const double hold_s[2], const struct bm_event *ev,
                              size_t n, const struct bm_mvic *mvic, struct bm_dose_session *out)
{
	struct load_acc a;
	memset(&a, 0, sizeof a);
	out->epoch_s = epoch_s;
	for (int leg = 0; leg < 2; leg++)
		out->hold_s[leg] = isfinite(hold_s[leg]) && hold_s[leg] > 0 ? hold_s[leg] : 0;
	for (size_t i = 0; ev && i < n; i++) {
		const struct bm_event *e = &ev[i];
		if (e->kind == BM_EVENT_HOLD && e->counted && e->leg >= 0 && e->leg <= 1)
			acc_hold(&a, mvic, e->leg, e->single_leg, e->end_s - e->start_s,
			         e->mean_above_rest_n);
	}
	acc_finish(&a, out->hold_s, out->load_weighted_s);
}

/* ------------------------------------------------------------- words */

void bm_dose_live_min_sec(double s, char *out, size_t len)
{
	long t = isfinite(s) && s > 0 ? lround(s) : 0;
	snprintf(out, len, "%ld:%02ld", t / 60, t % 60);
}

/* "L 2:10 R 1:55" */
static void legs(const double s[2], char *out, size_t len)
{
	char l[24], r[24];
	bm_dose_live_min_sec(s[0], l, sizeof l);
	bm_dose_live_min_sec(s[1], r, sizeof r);
	snprintf(out, len, "L %s R %s", l, r);
}

void bm_dose_live_text(const struct bm_dose_report *r, const struct bm_dose_params *p,
                       struct bm_dose_text *t)
{
	struct bm_dose_params def;
	char a[64], b[64], c[40];
	if (!p) {
		bm_dose_params_default(&def);
		p = &def;
	}
	legs(r->today_hold_s, a, sizeof a);
	snprintf(t->today, sizeof t->today, "today %s of %g\u2013%g min", a, p->aim_min_s / 60.0,
	         p->aim_max_s / 60.0);
	legs(r->week_hold_s, a, sizeof a);
	snprintf(t->week, sizeof t->week, "%d days %s", p->week_days, a);
	if (r->rhythm_kept)
		snprintf(c, sizeof c, "kept");
	else if (!r->trained_days)
		snprintf(c, sizeof c, "no session in %d days", r->n_days);
	else if (r->longest_run_days > p->max_run_days)
		snprintf(c, sizeof c, "%d days in a row", r->longest_run_days);
	else
		snprintf(c, sizeof c, "%d days' rest", r->longest_rest_days);
	snprintf(t->rhythm_short, sizeof t->rhythm_short, "every second day: %s", c);
	snprintf(t->rhythm, sizeof t->rhythm, "every second day: %s%s%s",
	         r->rhythm_kept || !r->trained_days ? "" : "not kept (", c,
	         r->rhythm_kept || !r->trained_days ? "" : ")");
	if (isfinite(r->today_load_s[0]) && isfinite(r->today_load_s[1]) &&
	    isfinite(r->week_load_s[0]) && isfinite(r->week_load_s[1])) {
		legs(r->today_load_s, a, sizeof a);
		legs(r->week_load_s, b, sizeof b);
		snprintf(t->load, sizeof t->load, "load-weighted today %s \u00b7 %d days %s", a,
		         p->week_days, b);
		snprintf(t->load_week, sizeof t->load_week, "load-weighted %d days %s", p->week_days, b);
	} else {
		snprintf(t->load, sizeof t->load, "load-weighted: unknown without an MVIC test");
		snprintf(t->load_week, sizeof t->load_week, "load-weighted: needs an MVIC test");
	}
}

void bm_dose_live_line(const struct bm_dose_text *t, char *out, size_t len)
{
	snprintf(out, len, "%s \u00b7 %s \u00b7 %s", t->today, t->week, t->rhythm);
}
