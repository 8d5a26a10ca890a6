/* bm_history_out.c - an athlete's history as JSON and as tables; what the
 * numbers are is in bm_history.h.  Numbers are printed with fixed decimals
 * so that every back end gives the same bytes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bm_history.h"
#include "bm_jsonw.h"

static const char *const leg_name[2] = {"left", "right"};

static void jkey_num(FILE *f, const char *key, double v, int dec)
{
	fprintf(f, "\"%s\": ", key);
	bm_jsonw_num(f, v, dec);
}

static void json_leg(FILE *f, const struct bm_history_session *s, int l)
{
	const struct bm_store_leg *g = &s->s.leg[l];
	fprintf(f, "\"%s\": {", leg_name[l]);
	jkey_num(f, "best_hold_n", g->best_hold_n, 1);
	fputs(", ", f);
	jkey_num(f, "mean_hold_n", g->mean_hold_n, 1);
	fputs(", ", f);
	jkey_num(f, "impulse_ns", g->impulse_ns, 1);
	fputs(", ", f);
	jkey_num(f, "hold_time_s", g->hold_time_s, 1);
	fprintf(f, ", \"reps\": %d, ", g->reps);
	jkey_num(f, "hold_impulse_ns", s->hold_impulse_ns[l], 1);
	fprintf(f, ", \"holds\": %zu}", s->n_holds[l]);
}

static void json_session(FILE *f, const struct bm_history_session *s)
{
	fputs("{\"recording\": ", f);
	bm_jsonw_str(f, s->s.recording);
	fputs(", \"station\": ", f);
	bm_jsonw_str(f, s->s.station);
	fputs(", \"date\": ", f);
	bm_jsonw_str(f, s->date);
	fprintf(f, ", \"started_epoch_s\": %lld, \"exercise\": ", (long long)s->s.started_epoch_s);
	bm_jsonw_str(f, bm_store_exercise_name(s->s.exercise));
	fprintf(f, ", \"demo\": %s, ", s->s.demo ? "true" : "false");
	jkey_num(f, "duration_s", s->s.duration_s, 1);
	fputs(", ", f);
	jkey_num(f, "sample_rate_hz", s->s.sample_rate_hz, 1);
	fputs(",\n   ", f);
	json_leg(f, s, 0);
	fputs(",\n   ", f);
	json_leg(f, s, 1);
	fputs(",\n   ", f);
	jkey_num(f, "lsi_pct", s->s.lsi_peak_pct, 1);
	fputs(", ", f);
	jkey_num(f, "lsi_impulse_pct", s->s.lsi_impulse_pct, 1);
	const struct bm_asym_ci *a = &s->asym;
	fprintf(f, ", \"asymmetry\": {\"efforts\": %zu, ", a->n);
	jkey_num(f, "mean_pct", a->n ? a->mean_pct : NAN, 1);
	fputs(", ", f);
	jkey_num(f, "low_pct", a->low_pct, 1);
	fputs(", ", f);
	jkey_num(f, "high_pct", a->high_pct, 1);
	fputs(", \"weaker\": ", f);
	bm_jsonw_str(f, a->weaker == 0 ? "left" : a->weaker == 1 ? "right" : NULL);
	fputs(", \"flag\": ", f);
	bm_jsonw_str(f, bm_asym_flag_text(a->flag));
	fputs(", ", f);
	jkey_num(f, "threshold_pct", a->threshold_pct, 1);
	fputs("},\n   \"pain\": {", f);
	jkey_num(f, "before", s->s.pain_before, 1);
	fputs(", ", f);
	jkey_num(f, "after", s->s.pain_after, 1);
	fputs(", ", f);
	jkey_num(f, "next_morning", s->pain_next_morning, 1);
	fputs("}}", f);
}

int bm_history_write_json(const struct bm_history *h, FILE *f)
{
	fputs("{\"athlete\": {\"name\": ", f);
	bm_jsonw_str(f, h->athlete.name);
	fputs(", \"injured_side\": ", f);
	bm_jsonw_str(f, bm_store_side_name(h->athlete.injured_side));
	fputs(", ", f);
	jkey_num(f, "body_mass_kg", h->athlete.body_mass_kg, 1);
	fputs("},\n \"sessions\": [", f);
	for (size_t i = 0; i < h->n_sessions; i++) {
		fputs(i ? ",\n  " : "\n  ", f);
		json_session(f, &h->sessions[i]);
	}
	fputs("],\n \"trend\": {\"method\": ", f);
	bm_jsonw_str(f, bm_history_trend_method);
	for (int l = 0; l < 2; l++) {
		fprintf(f, ", \"%s\": {", leg_name[l]);
		jkey_num(f, "n_per_week", h->trend[l].n_per_week, 2);
		fprintf(f, ", \"sessions\": %zu}", h->trend[l].sessions);
	}
	fputs("},\n \"change\": {\"method\": ", f);
	bm_jsonw_str(f, bm_history_change_method);
	fputs(", \"metrics\": [", f);
	for (size_t k = 0; k < h->n_metrics; k++) {
		const struct bm_history_metric *m = &h->metrics[k];
		fputs(k ? ",\n  " : "\n  ", f);
		fputs("{\"metric\": ", f);
		bm_jsonw_str(f, m->key);
		fputs(", \"leg\": ", f);
		bm_jsonw_str(f, m->leg >= 0 ? leg_name[m->leg] : NULL);
		fputs(", \"unit\": ", f);
		bm_jsonw_str(f, m->unit);
		fputs(", ", f);
		jkey_num(f, "te", m->te.valid ? m->te.te : NAN, m->decimals + 1);
		fprintf(f, ", \"te_df\": %zu, ", m->te.df);
		jkey_num(f, "mdc95", m->te.valid ? m->te.mdc95 : NAN, m->decimals + 1);
		fputs(", \"changes\": [", f);
		for (size_t c = 0; c < m->n_changes; c++) {
			const struct bm_history_change *x = &m->changes[c];
			fputs(c ? ",\n   " : "\n   ", f);
			fputs("{\"from\": ", f);
			bm_jsonw_str(f, h->sessions[x->from].s.recording);
			fputs(", \"to\": ", f);
			bm_jsonw_str(f, h->sessions[x->to].s.recording);
			fputs(", \"to_date\": ", f);
			bm_jsonw_str(f, h->sessions[x->to].date);
			fputs(", ", f);
			jkey_num(f, "change", x->c.change, m->decimals);
			fputs(", \"label\": ", f);
			bm_jsonw_str(f, bm_change_label_text(x->c.label));
			fputs("}", f);
		}
		fputs("]}", f);
	}
	fputs("]}}\n", f);
	return ferror(f) ? -1 : 0;
}

/* "312 / 250" with dashes for what is missing. */
static void pair_cell(char *out, size_t len, double l, double r, int dec)
{
	char a[32] = "-", b[32] = "-";
	if (isfinite(l))
		snprintf(a, sizeof a, "%.*f", dec, l);
	if (isfinite(r))
		snprintf(b, sizeof b, "%.*f", dec, r);
	snprintf(out, len, "%s / %s", a, b);
}

static void score(char *out, size_t len, double v)
{
	if (isfinite(v))
		snprintf(out, len, "%g", v);
	else
		snprintf(out, len, "-");
}

static void asym_cell(char *out, size_t len, const struct bm_asym_ci *a)
{
	if (a->n == 0)
		snprintf(out, len, "-");
	else if (a->n == 1)
		snprintf(out, len, "%+.0f (1 effort)", a->mean_pct);
	else
		snprintf(out, len, "%+.0f (%.0f to %.0f) %s", a->mean_pct, a->low_pct, a->high_pct,
		         bm_asym_flag_text(a->flag));
}

int bm_history_write_table(const struct bm_history *h, FILE *f)
{
	char c[6][48], mass[32] = "";
	if (isfinite(h->athlete.body_mass_kg))
		snprintf(mass, sizeof mass, ", %.1f kg", h->athlete.body_mass_kg);
	fprintf(f, "%s: %zu session%s (injured side: %s%s)\n", h->athlete.name, h->n_sessions,
	        h->n_sessions == 1 ? "" : "s", bm_store_side_name(h->athlete.injured_side), mass);
	if (!h->n_sessions) {
		fputs("no sessions yet (recordings whose sidecar names this athlete are added by "
		      "`bridgemon sync`)\n", f);
		return ferror(f) ? -1 : 0;
	}
	fputs("forces above rest, per leg left / right; asymmetry + means the right leg is weaker, "
	      "with its 95 % interval\n\n", f);
	fprintf(f, "%-10s  %-16s %-13s %-13s %-15s %-13s %-7s %-5s %-26s %s\n", "date", "exercise",
	        "best hold N", "mean hold N", "impulse N s", "hold time s", "reps", "LSI %",
	        "asymmetry %", "pain b/a/m");
	for (size_t i = 0; i < h->n_sessions; i++) {
		const struct bm_history_session *s = &h->sessions[i];
		const struct bm_store_leg *L = s->s.leg;
		char lsi[16] = "-", pb[16], pa[16], pm[16];
		pair_cell(c[0], sizeof c[0], L[0].best_hold_n, L[1].best_hold_n, 0);
		pair_cell(c[1], sizeof c[1], L[0].mean_hold_n, L[1].mean_hold_n, 0);
		pair_cell(c[2], sizeof c[2], L[0].impulse_ns, L[1].impulse_ns, 0);
		pair_cell(c[3], sizeof c[3], L[0].hold_time_s, L[1].hold_time_s, 0);
		snprintf(c[4], sizeof c[4], "%d/%d", L[0].reps, L[1].reps);
		asym_cell(c[5], sizeof c[5], &s->asym);
		if (isfinite(s->s.lsi_peak_pct))
			snprintf(lsi, sizeof lsi, "%.0f", s->s.lsi_peak_pct);
		score(pb, sizeof pb, s->s.pain_before);
		score(pa, sizeof pa, s->s.pain_after);
		score(pm, sizeof pm, s->pain_next_morning);
		fprintf(f, "%-10s  %-16s %-13s %-13s %-15s %-13s %-7s %-5s %-26s %s/%s/%s%s\n", s->date,
		        bm_store_exercise_name(s->s.exercise), c[0], c[1], c[2], c[3], c[4], lsi, c[5],
		        pb, pa, pm, s->s.demo ? "  (demo)" : "");
	}
	fprintf(f, "\nTrend (%s):\n", bm_history_trend_method);
	for (int l = 0; l < 2; l++) {
		if (isfinite(h->trend[l].n_per_week))
			fprintf(f, "  %-5s %+.1f N/week over %zu sessions\n", leg_name[l],
			        h->trend[l].n_per_week, h->trend[l].sessions);
		else
			fprintf(f, "  %-5s needs two sessions with a hold\n", leg_name[l]);
	}
	fprintf(f, "\nChange between sessions (%s):\n", bm_history_change_method);
	for (size_t k = 0; k < h->n_metrics; k++) {
		const struct bm_history_metric *m = &h->metrics[k];
		char name[64], te[80];
		snprintf(name, sizeof name, "%s%s%s", m->label, m->leg >= 0 ? ", " : "",
		         m->leg >= 0 ? leg_name[m->leg] : "");
		if (m->te.valid)
			snprintf(te, sizeof te, "TE %.*f %s (df %zu), MDC95 %.*f %s", m->decimals + 1,
			         m->te.te, m->unit, m->te.df, m->decimals + 1, m->te.mdc95, m->unit);
		else
			snprintf(te, sizeof te, "no typical error: not enough repeats");
		fprintf(f, "  %-34s %s\n", name, te);
		for (size_t i = 0; i < m->n_changes; i++) {
			const struct bm_history_change *x = &m->changes[i];
			fprintf(f, "      %s -> %s  %+.*f %s  %s\n", h->sessions[x->from].date,
			        h->sessions[x->to].date, m->decimals, x->c.change, m->unit,
			        bm_change_label_text(x->c.label));
		}
	}
	return ferror(f) ? -1 : 0;
}
