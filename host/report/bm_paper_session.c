/*
 * bm_paper_session.c - one page per session: the header that says whose
 * session it was and how it was measured, the force trace, the per-leg
 * table, asymmetry, pain, the protocol done and the note on metric
 * confidence, then the footer.
 *
 * The top half has fixed places (the trace's rectangle is part of the
 * layout tests rely on); the text sections below flow and stop, with a
 * note, where the footer begins, so a long protocol never runs off the page.
 */
#include "bm_paper_priv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define X0 BM_PAPER_MARGIN_MM
#define X_END (BM_PAPER_PAGE_W_MM - BM_PAPER_MARGIN_MM)
#define LINE_MM 3.9
/* Second column of the labelled lines (asymmetry, pain). */
#define X_VALUE (X0 + 27.0)

/* "10 min 12 s", "1 h 02 min", "42.5 s"; empty when unknown. */
static void fmt_duration(double s, char *buf, size_t len)
{
	if (!isfinite(s) || s < 0) {
		buf[0] = '\0';
		return;
	}
	if (s < 60) {
		bm_paper_fmt_num(s, "s", buf, len);
		return;
	}
	long t = lround(s);
	if (t < 3600)
		snprintf(buf, len, "%ld min %02ld s", t / 60, t % 60);
	else
		snprintf(buf, len, "%ld h %02ld min", t / 3600, (t % 3600) / 60);
}

/* Append " · part" (or just part at the start) when part is not empty. */
static void join(char *buf, size_t len, const char *part)
{
	size_t n = strlen(buf);
	if (!part || !*part || n + 1 >= len)
		return;
	snprintf(buf + n, len - n, "%s%s", n ? " · " : "", part);
}

static void header(struct bm_paper_ctx *c, const struct bm_paper_session *s)
{
	cairo_t *cr = c->cr;
	char line[512], part[160], num[32], given[128];
	const char *who = c->doc->athlete;
	char fit[512];

	bm_paper_set_grey(cr, 0.4);
	bm_paper_text(c, X0, 18, 8, 0, BM_PAPER_ALIGN_LEFT, "bridgemon · session report");
	bm_paper_set_grey(cr, 0.05);
	bm_paper_text(c, X0, 26, 16, 1, BM_PAPER_ALIGN_LEFT,
	              who && *who ? bm_paper_fit(c, 16, 1, who, X_END - X0, fit, sizeof fit)
	                          : "(athlete not named)");

	line[0] = '\0';
	bm_paper_fmt_date(s->started_epoch_s, 1, part, sizeof part);
	join(line, sizeof line, part);
	join(line, sizeof line, s->exercise);
	if (isfinite(s->knee_angle_deg)) {
		bm_paper_fmt_num(s->knee_angle_deg, NULL, num, sizeof num);
		snprintf(part, sizeof part, "knee %s°", num);
		join(line, sizeof line, part);
	}
	if (isfinite(s->hip_angle_deg)) {
		bm_paper_fmt_num(s->hip_angle_deg, NULL, num, sizeof num);
		snprintf(part, sizeof part, "hip %s°", num);
		join(line, sizeof line, part);
	}
	bm_paper_set_grey(cr, 0.15);
	bm_paper_text(c, X0, 32.5, 9.5, 0, BM_PAPER_ALIGN_LEFT,
	              bm_paper_fit(c, 9.5, 0, line, X_END - X0, fit, sizeof fit));

	line[0] = '\0';
	if (s->protocol && *s->protocol) {
		bm_paper_copy_utf8(given, sizeof given, s->protocol);
		snprintf(part, sizeof part, "protocol: %s", given);
		join(line, sizeof line, part);
	}
	if (s->station && *s->station) {
		bm_paper_copy_utf8(given, 64, s->station);
		snprintf(part, sizeof part, "station: %s", given);
		join(line, sizeof line, part);
	}
	if (isfinite(s->sample_rate_hz)) {
		bm_paper_fmt_num(s->sample_rate_hz, "samples/s", part, sizeof part);
		join(line, sizeof line, part);
	}
	fmt_duration(s->duration_s, num, sizeof num);
	if (*num) {
		snprintf(part, sizeof part, "duration %s", num);
		join(line, sizeof line, part);
	}
	bm_paper_set_grey(cr, 0.3);
	bm_paper_text(c, X0, 37.5, 8.5, 0, BM_PAPER_ALIGN_LEFT,
	              bm_paper_fit(c, 8.5, 0, line, X_END - X0, fit, sizeof fit));

	if (s->demo) {
		cairo_set_source_rgb(cr, 0.78, 0.08, 0.08);
		cairo_rectangle(cr, X0, 40.5, X_END - X0, 7.0);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
		bm_paper_text(c, BM_PAPER_PAGE_W_MM / 2, 45.5, 10.5, 1, BM_PAPER_ALIGN_CENTER,
		              "DEMO DATA — simulated athlete");
	}
	bm_paper_set_grey(cr, 0.1);
	bm_paper_text(c, X0, 53.5, 9, 1, BM_PAPER_ALIGN_LEFT, "Force of both heels");
}

/* Right edges of the table's number columns, and their titles. */
static const double col_x[7] = { 55, 78, 103, 128, 157, 172, X_END };
static const char *const col_title[7] = {
	"Holds", "Hold time", "Best hold", "Mean hold", "Impulse", "Reps", "Best rep",
};

static double table(struct bm_paper_ctx *c, const struct bm_paper_session *s, double y)
{
	cairo_t *cr = c->cr;
	static const char *const leg_name[2] = { "Left", "Right" };
	char cell[7][48];

	bm_paper_set_grey(cr, 0.1);
	bm_paper_text(c, X0, y, 7.5, 1, BM_PAPER_ALIGN_LEFT, "Leg");
	for (int k = 0; k < 7; k++)
		bm_paper_text(c, col_x[k], y, 7.5, 1, BM_PAPER_ALIGN_RIGHT, col_title[k]);
	bm_paper_set_grey(cr, 0.6);
	cairo_set_line_width(cr, 0.2);
	cairo_move_to(cr, X0, y + 1.4);
	cairo_line_to(cr, X_END, y + 1.4);
	cairo_stroke(cr);

	for (int leg = 0; leg < 2; leg++) {
		const struct bm_paper_leg_row *r = &s->legs[leg];
		y += 4.8;
		bm_paper_set_rgb(cr, bm_paper_leg_rgb[leg]);
		cairo_rectangle(cr, X0, y - 2.4, 2.6, 2.6);
		cairo_fill(cr);
		bm_paper_set_grey(cr, 0.1);
		bm_paper_text(c, X0 + 4, y, 8, 0, BM_PAPER_ALIGN_LEFT, leg_name[leg]);
		snprintf(cell[0], sizeof cell[0], "%u", r->holds);
		bm_paper_fmt_num(r->hold_time_s, "s", cell[1], sizeof cell[1]);
		bm_paper_fmt_num(r->best_hold_n, "N", cell[2], sizeof cell[2]);
		bm_paper_fmt_num(r->mean_hold_n, "N", cell[3], sizeof cell[3]);
		bm_paper_fmt_num(r->impulse_ns, "N·s", cell[4], sizeof cell[4]);
		snprintf(cell[5], sizeof cell[5], "%u", r->reps);
		bm_paper_fmt_num(r->best_rep_n, "N", cell[6], sizeof cell[6]);
		for (int k = 0; k < 7; k++)
			bm_paper_text(c, col_x[k], y, 8, 0, BM_PAPER_ALIGN_RIGHT, cell[k]);
	}
	y += 4.4;
	bm_paper_set_grey(cr, 0.4);
	bm_paper_text(c, X0, y, 6.5, 0, BM_PAPER_ALIGN_LEFT,
	              "Forces are above the leg's resting level: best and mean of the holds' "
	              "plateau means, the highest rep peak; impulse over all efforts.");
	return y;
}

static double asymmetry(struct bm_paper_ctx *c, const struct bm_paper_asymmetry *a, double y)
{
	cairo_t *cr = c->cr;
	char line[200], pct[32], lo[32], hi[32], verdict[64];

	bm_paper_set_grey(cr, 0.1);
	bm_paper_text(c, X0, y, 8.5, 1, BM_PAPER_ALIGN_LEFT, "Asymmetry");
	if (!isfinite(a->weaker_pct)) {
		bm_paper_set_grey(cr, 0.35);
		bm_paper_text(c, X_VALUE, y, 8.5, 0, BM_PAPER_ALIGN_LEFT, "not measured");
		return y;
	}
	bm_paper_fmt_num(a->weaker_pct, NULL, pct, sizeof pct);
	if (isfinite(a->ci_low_pct) && isfinite(a->ci_high_pct)) {
		bm_paper_fmt_num(a->ci_low_pct, NULL, lo, sizeof lo);
		bm_paper_fmt_num(a->ci_high_pct, NULL, hi, sizeof hi);
		snprintf(line, sizeof line, "%s weaker %s %% (95 %% CI %s–%s %%)",
		         a->weaker_leg == BM_PAPER_LEFT ? "left" : "right", pct, lo, hi);
	} else {
		snprintf(line, sizeof line, "%s weaker %s %%",
		         a->weaker_leg == BM_PAPER_LEFT ? "left" : "right", pct);
	}
	if (a->verdict && *a->verdict) {
		size_t n = strlen(line);
		bm_paper_copy_utf8(verdict, sizeof verdict, a->verdict);
		snprintf(line + n, sizeof line - n, ", %s", verdict);
	}
	if (a->flagged)
		cairo_set_source_rgb(cr, 0.75, 0.05, 0.05);
	bm_paper_text(c, X_VALUE, y, 8.5, a->flagged, BM_PAPER_ALIGN_LEFT, line);
	return y;
}

static void fmt_pain(double v, char *buf, size_t len)
{
	if (isfinite(v))
		bm_paper_fmt_num(v, NULL, buf, len);
	else
		snprintf(buf, len, "not recorded");
}

static double pain(struct bm_paper_ctx *c, const struct bm_paper_pain *p, double y)
{
	cairo_t *cr = c->cr;
	char line[256], b[32], a[32], m[32], zone[96];

	fmt_pain(p->before, b, sizeof b);
	fmt_pain(p->after, a, sizeof a);
	fmt_pain(p->next_morning, m, sizeof m);
	if (isnan(p->before) && isnan(p->after) && isnan(p->next_morning))
		snprintf(line, sizeof line, "not recorded");
	else
		snprintf(line, sizeof line, "before %s · after %s · next morning %s", b, a, m);
	if (p->zone && *p->zone) {
		size_t n = strlen(line);
		bm_paper_copy_utf8(zone, sizeof zone, p->zone);
		snprintf(line + n, sizeof line - n, " · zone: %s", zone);
	}
	bm_paper_set_grey(cr, 0.1);
	bm_paper_text(c, X0, y, 8.5, 1, BM_PAPER_ALIGN_LEFT, "Pain (0–10)");
	bm_paper_text(c, X_VALUE, y, 8.5, 0, BM_PAPER_ALIGN_LEFT, line);
	y += LINE_MM;
	if (p->advice && *p->advice) {
		bm_paper_set_grey(cr, 0.35);
		bm_paper_wrap(c, X_VALUE, &y, X_END - X_VALUE, 7.5, 0, LINE_MM - 0.4,
		              BM_PAPER_FLOW_END_MM, p->advice);
	}
	return y;
}

/* A heading and its lines, stopping before y_max with a note. */
static double section(struct bm_paper_ctx *c, const char *title, const char *const *lines,
                      size_t n, double y, double y_max)
{
	cairo_t *cr = c->cr;
	int cut = 0;

	if (y > y_max)
		return y;
	bm_paper_set_grey(cr, 0.1);
	bm_paper_text(c, X0, y, 9, 1, BM_PAPER_ALIGN_LEFT, title);
	y += LINE_MM + 0.6;
	bm_paper_set_grey(cr, 0.2);
	if (n == 0) {
		bm_paper_set_grey(cr, 0.45);
		bm_paper_text(c, X0, y, 8, 0, BM_PAPER_ALIGN_LEFT, "none given");
		return y + LINE_MM;
	}
	for (size_t i = 0; i < n && !cut; i++) {
		/* Keep one line free for the note, should it be needed. */
		double limit = i + 1 < n ? y_max - LINE_MM : y_max;
		cut = bm_paper_wrap(c, X0, &y, X_END - X0, 8, 0, LINE_MM, limit,
		                    lines[i] ? lines[i] : "");
		if (!cut && i + 1 < n && y > y_max - LINE_MM)
			cut = 1;
	}
	if (cut) {
		bm_paper_set_grey(cr, 0.45);
		bm_paper_text(c, X0, y, 7, 0, BM_PAPER_ALIGN_LEFT,
		              "… more lines than this page holds");
		y += LINE_MM;
	}
	return y;
}

void bm_paper_draw_session(struct bm_paper_ctx *c, const struct bm_paper_session *s,
                           const struct bm_paper_layout *l)
{
	char title[96], rate[32];

	header(c, s);
	bm_paper_draw_trace(c, s, l);
	double y = l->plot.y_mm + l->plot.h_mm + 17.0;
	y = table(c, s, y);
	y = asymmetry(c, &s->asym, y + 7.0);
	y = pain(c, &s->pain, y + 5.0);

	y += 4.0;
	double rest = BM_PAPER_FLOW_END_MM - y;
	double conf_mm = s->n_confidence_lines
		? (double)(s->n_confidence_lines + 1) * LINE_MM + 6.0 : 0.0;
	if (conf_mm > rest / 2)
		conf_mm = rest / 2;
	y = section(c, "Protocol done", s->protocol_lines, s->n_protocol_lines, y,
	            BM_PAPER_FLOW_END_MM - conf_mm);
	if (isfinite(s->sample_rate_hz)) {
		bm_paper_fmt_num(s->sample_rate_hz, "samples/s", rate, sizeof rate);
		snprintf(title, sizeof title, "Metric confidence at %s", rate);
	} else {
		snprintf(title, sizeof title, "Metric confidence");
	}
	section(c, title, s->confidence_lines, s->n_confidence_lines, y + 3.0,
	        BM_PAPER_FLOW_END_MM);
	bm_paper_footer(c, l->page);
}
