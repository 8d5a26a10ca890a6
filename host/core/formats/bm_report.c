/* bm_report.c - pairing, summary, JSON and table; see bm_report.h. */
#include "bm_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const leg_name[2] = {"left", "right"};

void bm_event_list_add(void *ctx, const struct bm_event *e)
{
	struct bm_event_list *l = ctx;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? 2 * l->cap : 128;
		struct bm_event *ne = realloc(l->ev, ncap * sizeof *ne);
		if (!ne) {
			l->nomem = 1;
			return;
		}
		l->ev = ne;
		l->cap = ncap;
	}
	l->ev[l->n++] = *e;
}

void bm_event_list_free(struct bm_event_list *l)
{
	free(l->ev);
	memset(l, 0, sizeof *l);
}

static int by_start(const void *a, const void *b)
{
	const struct bm_event *x = a, *y = b;
	if (x->start_s != y->start_s)
		return x->start_s < y->start_s ? -1 : 1;
	return x->leg - y->leg;
}

static double overlap(const struct bm_event *a, const struct bm_event *b)
{
	double s = a->start_s > b->start_s ? a->start_s : b->start_s;
	double e = a->end_s < b->end_s ? a->end_s : b->end_s;
	return e > s ? e - s : 0;
}

/* Candidate pair, for matching largest overlap first. */
struct cand {
	size_t l, r;
	double ov;
};

static int by_overlap_desc(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->ov != y->ov)
		return x->ov > y->ov ? -1 : 1;
	return x->l < y->l ? -1 : (x->l > y->l);
}

static int by_pair_start(const void *a, const void *b)
{
	const struct bm_bilateral *x = a, *y = b;
	return (x->start_s > y->start_s) - (x->start_s < y->start_s);
}

int bm_report_build(const struct bm_event *ev, size_t n, double thr, struct bm_report *r)
{
	struct cand *c = NULL;
	size_t nc = 0, capc = 0;
	unsigned char *used = NULL;

	memset(r, 0, sizeof *r);
	r->asym_threshold_pct = thr;
	r->lsi_pct = NAN;
	r->best_single_hold_n[0] = r->best_single_hold_n[1] = NAN;
	r->events = malloc((n ? n : 1) * sizeof *r->events);
	r->pairs = malloc((n ? n : 1) * sizeof *r->pairs);
	used = calloc(n ? n : 1, 1);
	if (!r->events || !r->pairs || !used)
		goto nomem;
	if (n)
		memcpy(r->events, ev, n * sizeof *ev);
	r->n_events = n;
	qsort(r->events, n, sizeof *r->events, by_start);

	r->best_single_hold_above_rest_n[0] = r->best_single_hold_above_rest_n[1] = NAN;
	for (size_t i = 0; i < n; i++) {
		const struct bm_event *e = &r->events[i];
		if (e->kind == BM_EVENT_HOLD) {
			r->holds[e->leg]++;
			if (e->counted)
				r->hold_time_s[e->leg] += e->end_s - e->start_s;
			if (e->single_leg &&
			    !(e->mean_above_rest_n <= r->best_single_hold_above_rest_n[e->leg])) {
				r->best_single_hold_above_rest_n[e->leg] = e->mean_above_rest_n;
				r->best_single_hold_n[e->leg] = e->mean_n;
			}
		} else {
			r->reps[e->leg]++;
		}
	}
	if (isfinite(r->best_single_hold_above_rest_n[0]) &&
	    isfinite(r->best_single_hold_above_rest_n[1])) {
		double a = r->best_single_hold_above_rest_n[0], b = r->best_single_hold_above_rest_n[1];
		double hi = a > b ? a : b, lo = a > b ? b : a;
		r->lsi_pct = hi > 0 && lo > 0 ? 100.0 * lo / hi : NAN;
	}

	/* Candidates: events are sorted by start, so for each left event only
	 * right events starting between (its start - the longest event) and
	 * its end need a look; the lower bound only moves forward. */
	double longest = 0;
	for (size_t i = 0; i < n; i++)
		longest = fmax(longest, r->events[i].end_s - r->events[i].start_s);
	size_t j0 = 0;
	for (size_t i = 0; i < n; i++) {
		const struct bm_event *a = &r->events[i];
		if (a->leg != 0 || a->single_leg)
			continue;
		while (j0 < n && r->events[j0].start_s < a->start_s - longest)
			j0++;
		for (size_t j = j0; j < n && r->events[j].start_s < a->end_s; j++) {
			const struct bm_event *b = &r->events[j];
			if (b->leg != 1 || b->single_leg)
				continue;
			/* The same effort on both legs: overlapping by half of the
			 * shorter event, or of the longer one when one leg's looks
			 * like a hold and the other's like a rep (a short maximal
			 * effort can), so that a rep never pairs with a long hold. */
			double ov = overlap(a, b);
			double da = a->end_s - a->start_s, db = b->end_s - b->start_s;
			double need = a->kind == b->kind ? fmin(da, db) : fmax(da, db);
			if (ov > 0 && ov >= 0.5 * need) {
				if (nc == capc) {
					capc = capc ? capc * 2 : 64;
					struct cand *nc2 = realloc(c, capc * sizeof *c);
					if (!nc2)
						goto nomem;
					c = nc2;
				}
				c[nc].l = i;
				c[nc].r = j;
				c[nc].ov = ov;
				nc++;
			}
		}
	}
	if (nc)
		qsort(c, nc, sizeof *c, by_overlap_desc);
	for (size_t k = 0; k < nc; k++) {
		if (used[c[k].l] || used[c[k].r])
			continue;
		used[c[k].l] = used[c[k].r] = 1;
		const struct bm_event *a = &r->events[c[k].l], *b = &r->events[c[k].r];
		struct bm_bilateral *p = &r->pairs[r->n_pairs++];
		/* Both legs held: the plateau means; otherwise the peaks (a
		 * short effort may look like a hold on one leg and a rep on the
		 * other).  Asymmetry is judged on the force above each leg's
		 * rest: the work of the hamstrings, not the weight of the leg. */
		int hold = a->kind == BM_EVENT_HOLD && b->kind == BM_EVENT_HOLD;
		p->kind = hold ? BM_EVENT_HOLD : BM_EVENT_REP;
		p->start_s = fmin(a->start_s, b->start_s);
		p->end_s = fmax(a->end_s, b->end_s);
		p->left_n = hold ? a->mean_n : a->peak_n;
		p->right_n = hold ? b->mean_n : b->peak_n;
		p->left_above_rest_n = hold ? a->mean_above_rest_n : a->peak_above_rest_n;
		p->right_above_rest_n = hold ? b->mean_above_rest_n : b->peak_above_rest_n;
		double hi = fmax(p->left_above_rest_n, p->right_above_rest_n);
		double lo = fmin(p->left_above_rest_n, p->right_above_rest_n);
		p->asymmetry_pct = hi > 0 ? 100.0 * (hi - lo) / hi : 0;
		p->weaker = p->left_above_rest_n <= p->right_above_rest_n ? 0 : 1;
		p->flagged = p->asymmetry_pct > thr;
	}
	if (r->n_pairs > 1) /* qsort(NULL, 0) is undefined */
		qsort(r->pairs, r->n_pairs, sizeof *r->pairs, by_pair_start);
	free(c);
	free(used);
	return 0;
nomem:
	free(c);
	free(used);
	bm_report_free(r);
	return -1;
}

void bm_report_set_stats(struct bm_report *r, const struct bm_session_stats *st)
{
	r->duration_s = st->rows > 1 ? st->last_t_s - st->first_t_s : 0;
	r->sample_rate_hz = st->rate_hz;
	r->rows = st->rows;
	r->samples_filled = st->samples_filled;
	r->gaps = st->gaps;
	r->gap_s = st->gap_s;
	for (int i = 0; i < 2; i++) {
		r->gap_s_leg[i] = st->gap_s_leg[i];
		r->rejected[i] = st->rejected[i];
	}
	r->events_lost = st->events_lost;
	r->max_force_n = st->max_force_n;
}

void bm_report_free(struct bm_report *r)
{
	free(r->events);
	free(r->pairs);
	r->events = NULL;
	r->pairs = NULL;
	r->n_events = r->n_pairs = 0;
}

/* A JSON number with @p dec decimals, or null when not finite. */
static void jnum(FILE *f, double v, int dec)
{
	if (!isfinite(v))
		fputs("null", f);
	else
		fprintf(f, "%.*f", dec, v == 0 ? 0.0 : v); /* no "-0.0" */
}

/* The keys every event has beyond the first ones. */
static void write_event_extra(FILE *f, const struct bm_event *e)
{
	fputs(", \"peak_above_rest_n\": ", f);
	jnum(f, e->peak_above_rest_n, 1);
	fputs(", \"mean_above_rest_n\": ", f);
	jnum(f, e->mean_above_rest_n, 1);
	fprintf(f, ", \"started_loaded\": %s, \"gap_inside_s\": ", e->started_loaded ? "true" : "false");
	jnum(f, e->gap_inside_s, 3);
}

int bm_report_write_json(const struct bm_report *r, FILE *f)
{
	int first;

	fputs("{\"duration_s\": ", f);
	jnum(f, r->duration_s, 3);
	fputs(", \"sample_rate_hz\": ", f);
	jnum(f, r->sample_rate_hz, 1);
	fputs(",\n \"holds\": [", f);
	first = 1;
	for (size_t i = 0; i < r->n_events; i++) {
		const struct bm_event *e = &r->events[i];
		if (e->kind != BM_EVENT_HOLD)
			continue;
		fprintf(f, "%s\n  {\"leg\": \"%s\", \"start_s\": ", first ? "" : ",", leg_name[e->leg]);
		jnum(f, e->start_s, 3);
		fputs(", \"end_s\": ", f);
		jnum(f, e->end_s, 3);
		fputs(", \"mean_n\": ", f);
		jnum(f, e->mean_n, 1);
		fputs(", \"peak_n\": ", f);
		jnum(f, e->peak_n, 1);
		fputs(", \"cv_pct\": ", f);
		jnum(f, e->cv_pct, 2);
		fputs(", \"impulse_ns\": ", f);
		jnum(f, e->impulse_ns, 1);
		fputs(", \"duration_s\": ", f);
		jnum(f, e->end_s - e->start_s, 3);
		fputs(", \"plateau_start_s\": ", f);
		jnum(f, e->plateau_start_s, 3);
		fputs(", \"plateau_end_s\": ", f);
		jnum(f, e->plateau_end_s, 3);
		fputs(", \"baseline_n\": ", f);
		jnum(f, e->baseline_n, 1);
		fputs(", \"tremor_hz\": ", f);
		jnum(f, e->tremor_hz, 2);
		fputs(", \"tremor_rms_n\": ", f);
		jnum(f, e->tremor_rms_n, 2);
		fprintf(f, ", \"single_leg\": %s, \"cut_by_gap\": %s",
		        e->single_leg ? "true" : "false", e->cut_by_gap ? "true" : "false");
		write_event_extra(f, e);
		fprintf(f, ", \"dips\": %d, \"dip_min_n\": ", e->dips);
		jnum(f, e->dip_min_n, 1);
		fprintf(f, ", \"counted\": %s}", e->counted ? "true" : "false");
		first = 0;
	}
	fputs("],\n \"reps\": [", f);
	first = 1;
	for (size_t i = 0; i < r->n_events; i++) {
		const struct bm_event *e = &r->events[i];
		if (e->kind != BM_EVENT_REP)
			continue;
		fprintf(f, "%s\n  {\"leg\": \"%s\", \"start_s\": ", first ? "" : ",", leg_name[e->leg]);
		jnum(f, e->start_s, 3);
		fputs(", \"end_s\": ", f);
		jnum(f, e->end_s, 3);
		fputs(", \"peak_n\": ", f);
		jnum(f, e->peak_n, 1);
		fputs(", \"tut_s\": ", f);
		jnum(f, e->tut_s, 3);
		fputs(", \"mean_n\": ", f);
		jnum(f, e->mean_n, 1);
		fputs(", \"impulse_ns\": ", f);
		jnum(f, e->impulse_ns, 1);
		fputs(", \"baseline_n\": ", f);
		jnum(f, e->baseline_n, 1);
		fprintf(f, ", \"single_leg\": %s, \"cut_by_gap\": %s",
		        e->single_leg ? "true" : "false", e->cut_by_gap ? "true" : "false");
		write_event_extra(f, e);
		fputs("}", f);
		first = 0;
	}
	fputs("],\n \"bilateral\": [", f);
	for (size_t i = 0; i < r->n_pairs; i++) {
		const struct bm_bilateral *p = &r->pairs[i];
		fprintf(f, "%s\n  {\"kind\": \"%s\", \"start_s\": ", i ? "," : "",
		        p->kind == BM_EVENT_HOLD ? "hold" : "rep");
		jnum(f, p->start_s, 3);
		fputs(", \"end_s\": ", f);
		jnum(f, p->end_s, 3);
		fputs(", \"left_n\": ", f);
		jnum(f, p->left_n, 1);
		fputs(", \"right_n\": ", f);
		jnum(f, p->right_n, 1);
		fputs(", \"left_above_rest_n\": ", f);
		jnum(f, p->left_above_rest_n, 1);
		fputs(", \"right_above_rest_n\": ", f);
		jnum(f, p->right_above_rest_n, 1);
		fputs(", \"asymmetry_pct\": ", f);
		jnum(f, p->asymmetry_pct, 1);
		fprintf(f, ", \"weaker\": \"%s\", \"flagged\": %s}", leg_name[p->weaker],
		        p->flagged ? "true" : "false");
	}
	fputs("],\n \"summary\": {\"hold_time_s\": {\"left\": ", f);
	jnum(f, r->hold_time_s[0], 1);
	fputs(", \"right\": ", f);
	jnum(f, r->hold_time_s[1], 1);
	fprintf(f, "}, \"reps\": {\"left\": %u, \"right\": %u}, \"single_leg_lsi_pct\": ",
	        r->reps[0], r->reps[1]);
	jnum(f, r->lsi_pct, 1);
	fputs(", \"asym_threshold_pct\": ", f);
	jnum(f, r->asym_threshold_pct, 1);
	fputs(", \"single_leg_best_hold_n\": {\"left\": ", f);
	jnum(f, r->best_single_hold_n[0], 1);
	fputs(", \"right\": ", f);
	jnum(f, r->best_single_hold_n[1], 1);
	fputs("}, \"single_leg_best_hold_above_rest_n\": {\"left\": ", f);
	jnum(f, r->best_single_hold_above_rest_n[0], 1);
	fputs(", \"right\": ", f);
	jnum(f, r->best_single_hold_above_rest_n[1], 1);
	unsigned flagged = 0;
	for (size_t i = 0; i < r->n_pairs; i++)
		flagged += (unsigned)r->pairs[i].flagged;
	fprintf(f, "}, \"bilateral_flagged\": %u, \"holds\": {\"left\": %u, \"right\": %u}},\n",
	        flagged, r->holds[0], r->holds[1]);
	fprintf(f, " \"data\": {\"rows\": %llu, \"samples_filled\": %llu, \"gaps\": %llu, \"gap_s\": ",
	        r->rows, r->samples_filled, r->gaps);
	jnum(f, r->gap_s, 3);
	fputs(", \"gap_s_left\": ", f);
	jnum(f, r->gap_s_leg[0], 3);
	fputs(", \"gap_s_right\": ", f);
	jnum(f, r->gap_s_leg[1], 3);
	fprintf(f, ", \"rejected_readings\": {\"left\": %llu, \"right\": %llu}, \"max_force_n\": ",
	        r->rejected[0], r->rejected[1]);
	jnum(f, r->max_force_n, 1);
	fprintf(f, ", \"events_lost\": %llu, \"excluded_events\": %zu, \"calibration_changes\": %zu}",
	        r->events_lost, r->excluded_events, r->calibration_changes);
	fprintf(f, ",\n \"demo\": %s}\n", r->demo ? "true" : "false");
	return ferror(f) ? -1 : 0;
}

static void fmt_time(char *buf, size_t len, double t)
{
	/* Times on an epoch scale print as seconds anyway: they are what the
	 * CSV's t_s column holds, so users can find the rows. */
	snprintf(buf, len, "%.2f", t);
}

int bm_report_write_table(const struct bm_report *r, FILE *f)
{
	char a[32], b[32];

	fprintf(f, "Session: %.1f s at %.1f Hz, %llu rows", r->duration_s, r->sample_rate_hz, r->rows);
	if (r->gaps)
		fprintf(f, ", %llu gap%s (%.1f s)", r->gaps, r->gaps == 1 ? "" : "s", r->gap_s);
	fputs("\n\n", f);

	fputs("Holds\n", f);
	fprintf(f, "  %-5s %12s %12s %7s %8s %8s %6s %10s %9s  %s\n", "leg", "start_s", "end_s",
	        "dur_s", "mean_n", "peak_n", "cv_%", "impulse", "tremor", "");
	unsigned nh = 0;
	for (size_t i = 0; i < r->n_events; i++) {
		const struct bm_event *e = &r->events[i];
		if (e->kind != BM_EVENT_HOLD)
			continue;
		fmt_time(a, sizeof a, e->start_s);
		fmt_time(b, sizeof b, e->end_s);
		char trem[24] = "-";
		if (isfinite(e->tremor_hz))
			snprintf(trem, sizeof trem, "%.1f Hz", e->tremor_hz);
		fprintf(f, "  %-5s %12s %12s %7.1f %8.1f %8.1f %6.1f %10.0f %9s  %s%s\n", leg_name[e->leg],
		        a, b, e->end_s - e->start_s, e->mean_n, e->peak_n, e->cv_pct, e->impulse_ns,
		        trem, e->single_leg ? "single-leg" : "", e->cut_by_gap ? " (cut by a gap)" : "");
		nh++;
	}
	if (!nh)
		fputs("  none\n", f);

	fputs("\nReps\n", f);
	fprintf(f, "  %-5s %12s %12s %7s %8s  %s\n", "leg", "start_s", "end_s", "tut_s", "peak_n", "");
	unsigned nr = 0;
	for (size_t i = 0; i < r->n_events; i++) {
		const struct bm_event *e = &r->events[i];
		if (e->kind != BM_EVENT_REP)
			continue;
		fmt_time(a, sizeof a, e->start_s);
		fmt_time(b, sizeof b, e->end_s);
		fprintf(f, "  %-5s %12s %12s %7.2f %8.1f  %s%s\n", leg_name[e->leg], a, b, e->tut_s,
		        e->peak_n, e->single_leg ? "single-leg" : "", e->cut_by_gap ? " (cut by a gap)" : "");
		nr++;
	}
	if (!nr)
		fputs("  none\n", f);

	fprintf(f, "\nLeft/right asymmetry (flagged above %.0f %%)\n", r->asym_threshold_pct);
	fprintf(f, "  %-4s %12s %12s %8s %8s %7s %-6s\n", "kind", "start_s", "end_s", "left_n",
	        "right_n", "asym_%", "weaker");
	for (size_t i = 0; i < r->n_pairs; i++) {
		const struct bm_bilateral *p = &r->pairs[i];
		fmt_time(a, sizeof a, p->start_s);
		fmt_time(b, sizeof b, p->end_s);
		fprintf(f, "  %-4s %12s %12s %8.1f %8.1f %7.1f %-6s%s\n",
		        p->kind == BM_EVENT_HOLD ? "hold" : "rep", a, b, p->left_n, p->right_n,
		        p->asymmetry_pct, leg_name[p->weaker], p->flagged ? "  FLAGGED" : "");
	}
	if (!r->n_pairs)
		fputs("  no bilateral efforts\n", f);

	fputs("\nSummary\n", f);
	fprintf(f, "  hold time   left %6.1f s   right %6.1f s\n", r->hold_time_s[0], r->hold_time_s[1]);
	fprintf(f, "  reps        left %6u     right %6u\n", r->reps[0], r->reps[1]);
	if (isfinite(r->lsi_pct))
		fprintf(f, "  single-leg LSI %.1f %% (best single-leg hold: left %.1f N, right %.1f N)\n",
		        r->lsi_pct, r->best_single_hold_n[0], r->best_single_hold_n[1]);
	else
		fputs("  single-leg LSI: needs a single-leg hold on each leg\n", f);
	return ferror(f) ? -1 : 0;
}

int bm_report_write_events_csv(const struct bm_report *r, FILE *f)
{
	fputs("kind,leg,start_s,end_s,duration_s,peak_n,mean_n,cv_pct,impulse_ns,tut_s,"
	      "baseline_n,single_leg,cut_by_gap,tremor_hz,tremor_rms_n\n", f);
	for (size_t i = 0; i < r->n_events; i++) {
		const struct bm_event *e = &r->events[i];
		fprintf(f, "%s,%s,%.6f,%.6f,%.3f,%.1f,%.1f,%.2f,%.1f,%.3f,%.1f,%d,%d,",
		        e->kind == BM_EVENT_HOLD ? "hold" : "rep", leg_name[e->leg], e->start_s,
		        e->end_s, e->end_s - e->start_s, e->peak_n, e->mean_n, e->cv_pct,
		        e->impulse_ns, e->tut_s, e->baseline_n, e->single_leg, e->cut_by_gap);
		/* Empty cells for what was not measured (reps, 10 SPS). */
		if (e->kind == BM_EVENT_HOLD && isfinite(e->tremor_hz))
			fprintf(f, "%.2f,%.2f\n", e->tremor_hz, e->tremor_rms_n);
		else
			fputs(",\n", f);
	}
	return ferror(f) ? -1 : 0;
}
