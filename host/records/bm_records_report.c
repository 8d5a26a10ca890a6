/* bm_records_report.c - an athlete's paper report from the store and the
 * recordings; the idea is in bm_records_report.h. */
#include "bm_records_report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "bm_csv.h"
#include "bm_history.h"
#include "bm_metric_confidence.h"
#include "bm_pain.h"
#include "bm_painlog.h"
#include "bm_paper.h"
#include "bm_progress.h"
#include "bm_readiness.h"
#include "bm_recording.h"

/* Most lines of "Protocol done" kept (the page shows what fits). */
#define MAX_LINES 64
/* Changes listed on the progress page, latest first. */
#define MAX_CHANGES 16

static const char *const leg_name[2] = {"left", "right"};

/* What one session page owns. */
struct page {
	double *t_s, *left_n, *right_n;
	size_t n, cap;
	struct bm_paper_effort *efforts;
	size_t n_efforts;
	struct bm_paper_gap *gaps;
	size_t n_gaps, gaps_cap;
	char *lines[MAX_LINES];
	size_t n_lines;
	char conf[BM_METRIC_N_NOTES][400];
	const char *conf_ptr[BM_METRIC_N_NOTES];
	char zone[64], advice[400];
};

static void page_free(struct page *p)
{
	free(p->t_s);
	free(p->left_n);
	free(p->right_n);
	free(p->efforts);
	free(p->gaps);
	for (size_t i = 0; i < p->n_lines; i++)
		free(p->lines[i]);
	memset(p, 0, sizeof *p);
}

static void add_line(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_line(struct page *p, const char *fmt, ...)
{
	char buf[600];
	va_list ap;
	if (p->n_lines >= MAX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *s = strdup(buf);
	if (s)
		p->lines[p->n_lines++] = s;
}

static int grow_trace(struct page *p)
{
	size_t nc = p->cap ? 2 * p->cap : 8192;
	double *a = realloc(p->t_s, nc * sizeof *a);
	if (a)
		p->t_s = a;
	double *b = a ? realloc(p->left_n, nc * sizeof *b) : NULL;
	if (b)
		p->left_n = b;
	double *c = b ? realloc(p->right_n, nc * sizeof *c) : NULL;
	if (c)
		p->right_n = c;
	if (!c)
		return -1;
	p->cap = nc;
	return 0;
}

static int add_gap(struct page *p, double a, double b)
{
	if (p->n_gaps == p->gaps_cap) {
		size_t nc = p->gaps_cap ? 2 * p->gaps_cap : 16;
		struct bm_paper_gap *g = realloc(p->gaps, nc * sizeof *g);
		if (!g)
			return -1;
		p->gaps = g;
		p->gaps_cap = nc;
	}
	p->gaps[p->n_gaps].start_s = a;
	p->gaps[p->n_gaps++].end_s = b;
	return 0;
}

/* The CSV's rows as the trace, times from its first row (*t0_s); a flagged
 * sample (saturated, chip not ready) is not a reading, as in analysis.
 * Stretches without rows longer than a few samples are gaps. */
static int read_trace(const char *csv, double rate_hz, struct page *p, double *t0_s, char *msg,
                      size_t len)
{
	struct bm_csv_reader *rd;
	struct bm_csv_error err;
	struct bm_csv_row row;
	int rc;
	double gap_s = rate_hz > 0 ? fmax(0.5, 5.0 / rate_hz) : 0.5;

	*t0_s = 0;
	if (bm_csv_reader_open(csv, &rd, &err) != BM_CSV_OK) {
		snprintf(msg, len, "%s", err.msg);
		return BM_RREPORT_ERR_INPUT;
	}
	bm_csv_reader_forces_only(rd);
	while ((rc = bm_csv_reader_next(rd, &row, &err)) == BM_CSV_OK) {
		if (p->n == p->cap && grow_trace(p) != 0) {
			bm_csv_reader_close(rd);
			snprintf(msg, len, "%s: out of memory reading the trace", csv);
			return BM_RREPORT_ERR_NOMEM;
		}
		if (!p->n)
			*t0_s = row.t_s;
		double t = row.t_s - *t0_s;
		if (p->n && t - p->t_s[p->n - 1] > gap_s && add_gap(p, p->t_s[p->n - 1], t) != 0) {
			bm_csv_reader_close(rd);
			snprintf(msg, len, "%s: out of memory reading the trace", csv);
			return BM_RREPORT_ERR_NOMEM;
		}
		p->t_s[p->n] = t;
		for (int i = 0; i < 2; i++)
			if (row.has_flags && (row.flags[i] & BM_CH_NOT_A_READING))
				row.force_n[i] = NAN;
		p->left_n[p->n] = row.force_n[0];
		p->right_n[p->n] = row.force_n[1];
		p->n++;
	}
	bm_csv_reader_close(rd);
	if (rc != BM_CSV_EOF) {
		snprintf(msg, len, "%s", err.msg);
		return BM_RREPORT_ERR_INPUT;
	}
	return BM_RREPORT_OK;
}

/* Efforts shaded and "Protocol done" from the recording's summary and
 * sidecar. */
static int from_recording(const struct bm_recording *r, double t0, struct page *p)
{
	const struct bm_report *rep = &r->rep;
	const struct bm_meta_context *c = &r->meta.ctx;
	p->efforts = malloc((rep->n_events ? rep->n_events : 1) * sizeof *p->efforts);
	if (!p->efforts)
		return -1;
	for (size_t i = 0; i < rep->n_events; i++) {
		const struct bm_event *e = &rep->events[i];
		struct bm_paper_effort *f = &p->efforts[p->n_efforts++];
		f->leg = e->leg;
		f->kind = e->kind == BM_EVENT_HOLD ? BM_PAPER_HOLD : BM_PAPER_REP;
		f->start_s = e->start_s - t0;
		f->end_s = e->end_s - t0;
	}
	add_line(p, "%u holds (left %u, right %u), %u reps (left %u, right %u); hold time left "
	         "%.1f s, right %.1f s", rep->holds[0] + rep->holds[1], rep->holds[0],
	         rep->holds[1], rep->reps[0] + rep->reps[1], rep->reps[0], rep->reps[1],
	         rep->hold_time_s[0], rep->hold_time_s[1]);
	/* Each hold as analyze prints it, plateau mean and peak to 0.1 N, one
	 * line per leg (wrapped on the page, between holds) so that a long
	 * session fits. */
	for (int l = 0; l < 2; l++) {
		char line[600];
		int n = snprintf(line, sizeof line, "holds, %s (plateau mean/peak, N):",
		                 leg_name[l]);
		int any = 0;
		for (size_t i = 0; i < rep->n_events && n < (int)sizeof line - 40; i++) {
			const struct bm_event *e = &rep->events[i];
			if (e->kind != BM_EVENT_HOLD || e->leg != l)
				continue;
			n += snprintf(line + n, sizeof line - (size_t)n, "%s %.1f/%.1f%s",
			              any ? "," : "", e->mean_n, e->peak_n,
			              e->single_leg ? " single-leg" : "");
			any = 1;
		}
		if (any)
			add_line(p, "%s", line);
	}
	if (rep->reps[0] || rep->reps[1]) {
		double best[2] = {NAN, NAN};
		for (size_t i = 0; i < rep->n_events; i++) {
			const struct bm_event *e = &rep->events[i];
			if (e->kind == BM_EVENT_REP && !(e->peak_n <= best[e->leg]))
				best[e->leg] = e->peak_n;
		}
		add_line(p, "reps: left %u (highest peak %.1f N), right %u (highest peak %.1f N)",
		         rep->reps[0], best[0], rep->reps[1], best[1]);
	}
	if (c->notes[0])
		add_line(p, "notes: %s", c->notes);
	if (rep->calibration_changes)
		add_line(p, "the calibration changed %zu time%s during the recording",
		         rep->calibration_changes, rep->calibration_changes == 1 ? "" : "s");
	if (rep->excluded_events)
		add_line(p, "%zu effort%s left out: a plate was being calibrated",
		         rep->excluded_events, rep->excluded_events == 1 ? "" : "s");
	if (rep->gaps)
		add_line(p, "%llu gap%s in the data (%.1f s missing)", rep->gaps,
		         rep->gaps == 1 ? "" : "s", rep->gap_s);
	return 0;
}

/* The session page's numbers that do not need the recording. */
static void fill_common(const struct bm_history_session *hs, struct page *p,
                        struct bm_paper_session *s)
{
	const struct bm_store_session *row = &hs->s;
	s->started_epoch_s = (double)row->started_epoch_s;
	s->exercise = bm_store_exercise_name(row->exercise);
	s->knee_angle_deg = row->knee_angle_deg;
	s->hip_angle_deg = row->hip_angle_deg;
	s->protocol = row->protocol && row->protocol[0] ? row->protocol : NULL;
	s->station = row->station;
	s->sample_rate_hz = row->sample_rate_hz;
	s->duration_s = row->duration_s;
	s->demo = row->demo;
	for (int l = 0; l < 2; l++) {
		struct bm_paper_leg_row *g = &s->legs[l];
		g->holds = (unsigned)hs->n_holds[l];
		g->hold_time_s = isfinite(row->leg[l].hold_time_s) ? row->leg[l].hold_time_s : NAN;
		g->best_hold_n = row->leg[l].best_hold_n;
		g->mean_hold_n = row->leg[l].mean_hold_n;
		g->impulse_ns = row->leg[l].impulse_ns;
		g->reps = (unsigned)row->leg[l].reps;
		g->best_rep_n = NAN;
	}
	/* The interval of the signed asymmetry, turned to "weaker leg by x %". */
	const struct bm_asym_ci *a = &hs->asym;
	s->asym.weaker_pct = NAN;
	s->asym.ci_low_pct = s->asym.ci_high_pct = NAN;
	s->asym.weaker_leg = BM_PAPER_RIGHT;
	if (a->n) {
		int left = a->mean_pct < 0;
		s->asym.weaker_leg = left ? BM_PAPER_LEFT : BM_PAPER_RIGHT;
		s->asym.weaker_pct = fabs(a->mean_pct);
		if (a->n >= 2) {
			s->asym.ci_low_pct = left ? -a->high_pct : a->low_pct;
			s->asym.ci_high_pct = left ? -a->low_pct : a->high_pct;
			s->asym.verdict = bm_asym_flag_text(a->flag);
			s->asym.flagged = a->flag == BM_ASYM_CERTAIN;
		}
	}
	s->pain.before = row->pain_before;
	s->pain.after = row->pain_after;
	s->pain.next_morning = hs->pain_next_morning;
	double zs = isfinite(row->pain_after) ? row->pain_after : row->pain_before;
	if (isfinite(zs)) {
		snprintf(p->zone, sizeof p->zone, "%s", bm_painlog_zone_text(zs));
		s->pain.zone = p->zone;
	}
	enum bm_pain_advice adv;
	if (isfinite(row->pain_before) || isfinite(row->pain_after) ||
	    isfinite(hs->pain_next_morning)) {
		bm_pain_advise(row->pain_before, row->pain_after, hs->pain_next_morning, NULL, &adv,
		               p->advice, sizeof p->advice);
		if (p->advice[0])
			s->pain.advice = p->advice;
	}
	/* Which measures the rate allows, grouped by verdict: one line per
	 * verdict, the measures it covers and the first one's reason. */
	struct bm_metric_note notes[BM_METRIC_N_NOTES];
	size_t nn = isfinite(row->sample_rate_hz)
		? bm_metric_confidence(row->sample_rate_hz, notes, BM_METRIC_N_NOTES) : 0, nl = 0;
	static const enum bm_metric_status order[] = {BM_METRIC_VALID, BM_METRIC_RESOLUTION,
	                                              BM_METRIC_APPROXIMATE, BM_METRIC_NOT_REPORTED};
	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
		char *line = p->conf[nl];
		size_t len = sizeof p->conf[nl], n = 0;
		const char *why = NULL;
		for (size_t i = 0; i < nn; i++) {
			if (notes[i].status != order[k])
				continue;
			n += (size_t)snprintf(line + n, n < len ? len - n : 0, "%s%s", n ? ", " : "",
			                      notes[i].metric);
			if (!why)
				why = notes[i].text;
		}
		if (!why)
			continue;
		if (n < len)
			snprintf(line + n, len - n, ": %s", why);
		p->conf_ptr[nl] = line;
		nl++;
	}
	nn = nl;
	s->confidence_lines = p->conf_ptr;
	s->n_confidence_lines = nn;
}

/* The progress page: points, latest changes, readiness. */
struct progress {
	struct bm_paper_progress p;
	struct bm_paper_point *points;
	struct bm_paper_change changes[MAX_CHANGES];
	char change_text[MAX_CHANGES][160];
	struct bm_paper_ready_item ready[BM_READY_N_ITEMS + 1];
	struct bm_readiness rd;
};

static int build_progress(const struct bm_history *h, const struct bm_readiness_params *rp,
                          struct progress *g)
{
	bm_paper_progress_default(&g->p);
	g->p.force_label = "best hold, N above rest";
	g->p.lsi_mark_pct = 90.0;
	g->points = calloc(h->n_sessions ? h->n_sessions : 1, sizeof *g->points);
	if (!g->points)
		return -1;
	for (size_t i = 0; i < h->n_sessions; i++) {
		struct bm_progress_point pt;
		struct bm_paper_point *q = &g->points[i];
		bm_progress_point(&h->sessions[i], &pt);
		q->epoch_s = pt.epoch_s;
		q->left_n = pt.best_hold_n[0];
		q->right_n = pt.best_hold_n[1];
		q->lsi_pct = pt.lsi_pct;
		q->pain = pt.pain;
	}
	g->p.points = g->points;
	g->p.n_points = h->n_sessions;

	/* The latest change of each headline metric first, then older ones. */
	static const enum bm_history_metric_id shown[] = {BM_HM_BEST_HOLD, BM_HM_LSI,
	                                                  BM_HM_ASYMMETRY};
	size_t nc = 0;
	for (size_t back = 1; nc < MAX_CHANGES; back++) {
		int any = 0;
		for (size_t k = 0; k < h->n_metrics && nc < MAX_CHANGES; k++) {
			const struct bm_history_metric *m = &h->metrics[k];
			int want = 0;
			for (size_t w = 0; w < sizeof shown / sizeof shown[0]; w++)
				want |= m->id == shown[w];
			if (!want || m->n_changes < back)
				continue;
			any = 1;
			const struct bm_history_change *x = &m->changes[m->n_changes - back];
			snprintf(g->change_text[nc], sizeof g->change_text[nc],
			         "%s%s%s %+.*f %s, %s to %s", m->leg >= 0 ? leg_name[m->leg] : "",
			         m->leg >= 0 ? " " : "", m->label, m->decimals, x->c.change, m->unit,
			         h->sessions[x->from].date, h->sessions[x->to].date);
			g->changes[nc].text = g->change_text[nc];
			g->changes[nc].label = bm_change_label_text(x->c.label);
			g->changes[nc].real = x->c.label == BM_CHANGE_REAL;
			nc++;
		}
		if (!any)
			break;
	}
	g->p.changes = g->changes;
	g->p.n_changes = nc;

	if (bm_progress_readiness(h, rp, &g->rd) != BM_PROGRESS_OK)
		return -1;
	for (int i = 0; i < BM_READY_N_ITEMS; i++) {
		g->ready[i].text = g->rd.items[i].text;
		g->ready[i].status = (enum bm_paper_status)g->rd.items[i].status;
	}
	g->ready[BM_READY_N_ITEMS].text = g->rd.text;
	g->ready[BM_READY_N_ITEMS].status = (enum bm_paper_status)g->rd.overall;
	g->p.ready = g->ready;
	g->p.n_ready = BM_READY_N_ITEMS + 1;
	return 0;
}

/* The file name of @p path without folder and ".csv". */
static void base_name(const char *path, char *out, size_t len)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 4 && !strcmp(b + n - 4, ".csv"))
		n -= 4;
	snprintf(out, len, "%.*s", (int)n, b);
}

static int is_png(const char *path)
{
	size_t n = strlen(path);
	return n >= 4 && !strcasecmp(path + n - 4, ".png");
}

/* One session page: from the recording when its CSV is here. */
static int session_page(const struct bm_history_session *hs, const char *dir, const char *name,
                        int local, struct page *p, struct bm_paper_session *s,
                        struct bm_records_report_info *info, char *msg, size_t len)
{
	char csv[BM_RECORDING_PATH_MAX + 320];
	struct stat sb;
	bm_paper_session_default(s);
	fill_common(hs, p, s);
	snprintf(csv, sizeof csv, "%s/%s.csv", dir, name);
	if (!local || stat(csv, &sb) != 0) {
		add_line(p, "recorded on station %s: its recording is not in %s, so the numbers come "
		         "from the store and there is no trace", hs->s.station, dir);
		info->without_trace++;
		return BM_RREPORT_OK;
	}
	struct bm_recording r;
	if (bm_recording_load(dir, name, &r, msg, len) != BM_RECORDING_OK)
		return BM_RREPORT_ERR_INPUT;
	double t0;
	int rc = read_trace(csv, hs->s.sample_rate_hz, p, &t0, msg, len);
	if (rc == BM_RREPORT_OK && from_recording(&r, t0, p) != 0) {
		snprintf(msg, len, "%s: out of memory", csv);
		rc = BM_RREPORT_ERR_NOMEM;
	}
	if (rc == BM_RREPORT_OK) {
		struct bm_leg_numbers legs[2];
		bm_recording_legs(&r.rep, legs);
		for (int l = 0; l < 2; l++) {
			s->legs[l].holds = legs[l].holds;
			s->legs[l].best_rep_n = legs[l].best_rep_n;
		}
	}
	bm_recording_free(&r);
	s->trace.t_s = p->t_s;
	s->trace.left_n = p->left_n;
	s->trace.right_n = p->right_n;
	s->trace.n = p->n;
	s->efforts = p->efforts;
	s->n_efforts = p->n_efforts;
	s->gaps = p->gaps;
	s->n_gaps = p->n_gaps;
	s->protocol_lines = (const char *const *)p->lines;
	s->n_protocol_lines = p->n_lines;
	return rc;
}

struct bm_records_doc {
	struct bm_history *h;
	struct progress g;
	struct page *pages;
	struct bm_paper_session *sess;
	size_t n;
	struct bm_paper_doc doc;
};

void bm_records_doc_free(struct bm_records_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; d->pages && i < d->n; i++)
		page_free(&d->pages[i]);
	free(d->pages);
	free(d->sess);
	free(d->g.points);
	bm_history_free(d->h);
	free(d);
}

const struct bm_paper_doc *bm_records_doc_paper(const struct bm_records_doc *d)
{
	return &d->doc;
}

/* Which sessions get a page: [*first, *first + *n). */
static int pick_sessions(struct bm_store *st, const struct bm_history *h,
                         const struct bm_records_report_opts *o, size_t max_pages,
                         const char *station, char *dir, size_t dir_len, size_t *first,
                         size_t *n, struct bm_records_report_info *info, char *msg,
                         size_t msg_len)
{
	*first = 0;
	*n = h->n_sessions;
	if (o->session_csv) {
		/* One session: the file given, found among the athlete's. */
		char want[300], key[300];
		base_name(o->session_csv, want, sizeof want);
		bm_recording_key(want, key, sizeof key);
		const char *slash = strrchr(o->session_csv, '/');
		if (slash)
			snprintf(dir, dir_len, "%.*s", (int)(slash - o->session_csv), o->session_csv);
		else
			snprintf(dir, dir_len, ".");
		size_t found = h->n_sessions;
		for (size_t i = 0; i < h->n_sessions; i++)
			if (!strcmp(h->sessions[i].s.recording, key) &&
			    (found == h->n_sessions || !strcmp(h->sessions[i].s.station, station)))
				found = i;
		if (found == h->n_sessions) {
			snprintf(msg, msg_len, "%s is not one of %s's sessions in %s%s", o->session_csv,
			         h->athlete.name, bm_store_where(st),
			         o->with_demo ? "" : " (demo recordings need --include-demo)");
			return BM_RREPORT_ERR_INPUT;
		}
		*first = found;
		*n = 1;
	} else if (max_pages && *n > max_pages - 1) {
		/* The latest sessions and the progress page. */
		*first = *n - (max_pages - 1);
		info->left_out = *first;
		*n -= *first;
	}
	return BM_RREPORT_OK;
}

int bm_records_report_build(struct bm_store *st, const char *name,
                            const struct bm_records_report_opts *o, size_t max_pages,
                            struct bm_records_doc **out, struct bm_records_report_info *info,
                            char *msg, size_t msg_len)
{
	char station[BM_STORE_STATION_MAX + 1], dir[BM_RECORDING_PATH_MAX];
	size_t first = 0;
	int rc;

	*out = NULL;
	memset(info, 0, sizeof *info);
	struct bm_records_doc *d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(msg, msg_len, "out of memory building the report");
		return BM_RREPORT_ERR_NOMEM;
	}
	bm_recording_station(station, sizeof station);
	snprintf(dir, sizeof dir, "%s", o->dir);
	int hr = bm_history_build(st, name, o->with_demo ? BM_HISTORY_WITH_DEMO : 0, &d->h, msg,
	                          msg_len);
	if (hr != BM_HISTORY_OK) {
		free(d);
		return hr == BM_HISTORY_NOT_FOUND ? BM_RREPORT_ERR_INPUT
		     : hr == BM_HISTORY_ERR_NOMEM ? BM_RREPORT_ERR_NOMEM : BM_RREPORT_ERR_STORE;
	}
	rc = pick_sessions(st, d->h, o, max_pages, station, dir, sizeof dir, &first, &d->n, info,
	                   msg, msg_len);
	if (rc != BM_RREPORT_OK)
		goto fail;
	d->pages = calloc(d->n ? d->n : 1, sizeof *d->pages);
	d->sess = calloc(d->n ? d->n : 1, sizeof *d->sess);
	if (!d->pages || !d->sess || build_progress(d->h, o->readiness, &d->g) != 0) {
		snprintf(msg, msg_len, "out of memory building the report");
		rc = BM_RREPORT_ERR_NOMEM;
		goto fail;
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct bm_history_session *hs = &d->h->sessions[first + i];
		char nm[300];
		base_name(hs->s.recording, nm, sizeof nm);
		int local = o->session_csv || !strcmp(hs->s.station, station);
		rc = session_page(hs, dir, nm, local, &d->pages[i], &d->sess[i], info, msg, msg_len);
		if (rc != BM_RREPORT_OK)
			goto fail;
	}
	bm_paper_doc_default(&d->doc);
	d->doc.athlete = d->h->athlete.name;
	d->doc.generated_epoch_s = o->generated_epoch_s;
	d->doc.sessions = d->sess;
	d->doc.n_sessions = d->n;
	d->doc.progress = &d->g.p;
	info->sessions = d->n;
	info->pages = bm_paper_page_count(&d->doc);
	*out = d;
	return BM_RREPORT_OK;
fail:
	bm_records_doc_free(d);
	return rc;
}

int bm_records_report_write(struct bm_store *st, const char *name,
                            const struct bm_records_report_opts *o, const char *out_path,
                            struct bm_records_report_info *info, char *msg, size_t msg_len)
{
	struct bm_records_doc *d;
	int rc = bm_records_report_build(st, name, o, is_png(out_path) ? BM_PAPER_PNG_MAX_PAGES : 0,
	                                 &d, info, msg, msg_len);
	if (rc != BM_RREPORT_OK)
		return rc;
	int pr = bm_paper_write(out_path, &d->doc, msg, msg_len);
	bm_records_doc_free(d);
	return pr == BM_PAPER_OK ? BM_RREPORT_OK
	     : pr == BM_PAPER_ERR_NOMEM ? BM_RREPORT_ERR_NOMEM
	     : pr == BM_PAPER_ERR_ARG ? BM_RREPORT_ERR_INPUT : BM_RREPORT_ERR_OUTPUT;
}
