/* bm_history.c - an athlete's sessions, trend and honest change from the
 * store; the idea is in bm_history.h.  The writers are in
 * bm_history_out.c. */
#include "bm_history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bm_recording.h"
#include "bm_report.h"

const char bm_history_trend_method[] =
	"least-squares slope of each session's best hold force above rest against its start "
	"time, in N per week";
const char bm_history_change_method[] =
	"typical error (TE) = within-session SD of the athlete's repeated efforts (one-way "
	"ANOVA, sessions as groups); MDC95 = 1.96 x sqrt 2 x TE; a change between consecutive "
	"sessions is real when larger than MDC95, else within noise";

static const struct {
	enum bm_history_metric_id id;
	const char *key, *label, *unit;
	int per_leg, decimals;
} kinds[BM_HM_N_KINDS] = {
	{BM_HM_BEST_HOLD, "best_hold_n", "best hold", "N", 1, 1},
	{BM_HM_MEAN_HOLD, "mean_hold_n", "mean hold", "N", 1, 1},
	{BM_HM_HOLD_IMPULSE, "hold_impulse_ns", "impulse per hold", "N s", 1, 0},
	{BM_HM_HOLD_TIME, "hold_time_s", "hold time", "s", 1, 1},
	{BM_HM_REPS, "reps", "reps", "", 1, 0},
	{BM_HM_LSI, "lsi_pct", "LSI", "%", 0, 1},
	{BM_HM_ASYMMETRY, "asymmetry_pct", "asymmetry (+: right weaker)", "%", 0, 1},
};

/* A session's bilateral efforts as signed asymmetries, % (+: right
 * weaker): the repeats of the asymmetry metric. */
struct asym_vals {
	const double *v;
	size_t n;
};

void bm_history_free(struct bm_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n_metrics; i++)
		free(h->metrics[i].changes);
	free(h->metrics);
	free(h->sessions);
	bm_store_sessions_free(h->rows_);
	free(h);
}

/* The local date of @p epoch_s moved by @p days days. */
static void date_shift(int64_t epoch_s, int days, char *out, size_t len)
{
	time_t t = (time_t)epoch_s;
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_mday += days;
	tm.tm_hour = 12; /* noon: clear of daylight-saving jumps */
	tm.tm_isdst = -1;
	t = mktime(&tm);
	localtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d", &tm);
}

/* Pain of each session: the sidecar's scores, else that day's entries; the
 * next morning from an entry of the day after. */
static void apply_pain(struct bm_history *h, const struct bm_store_pains *p)
{
	for (size_t i = 0; i < h->n_sessions; i++) {
		struct bm_history_session *s = &h->sessions[i];
		double before = NAN, after = NAN;
		for (size_t k = 0; p && k < p->count; k++) {
			const struct bm_store_pain *e = &p->items[k];
			char d[16];
			/* A morning score belongs to the day before it. */
			date_shift(e->epoch_s, e->when == BM_STORE_PAIN_NEXT_MORNING ? -1 : 0, d,
			           sizeof d);
			if (strcmp(d, s->date) != 0)
				continue;
			/* Entries come oldest first: the latest of the day wins. */
			if (e->when == BM_STORE_PAIN_BEFORE)
				before = e->score;
			else if (e->when == BM_STORE_PAIN_AFTER)
				after = e->score;
			else
				s->pain_next_morning = e->score;
		}
		if (!isfinite(s->s.pain_before))
			s->s.pain_before = before;
		if (!isfinite(s->s.pain_after))
			s->s.pain_after = after;
	}
}

/* The efforts as detector events (into @p ev, room for ef->count), paired
 * by bm_report_build: analyze's own rule. */
static int pairs_of(const struct bm_store_efforts *ef, struct bm_event *ev,
                    struct bm_report *rep)
{
	for (size_t i = 0; i < ef->count; i++) {
		const struct bm_store_effort *f = &ef->items[i];
		memset(&ev[i], 0, sizeof ev[i]);
		ev[i].kind = f->kind == BM_STORE_EFFORT_HOLD ? BM_EVENT_HOLD : BM_EVENT_REP;
		ev[i].leg = f->leg;
		ev[i].start_s = f->start_s;
		ev[i].end_s = f->end_s;
		ev[i].peak_n = f->peak_n;
		ev[i].mean_n = f->mean_n;
		ev[i].peak_above_rest_n = f->peak_above_rest_n;
		ev[i].mean_above_rest_n = f->mean_above_rest_n;
		ev[i].impulse_ns = f->impulse_ns;
		ev[i].single_leg = f->single_leg;
	}
	return bm_report_build(ev, ef->count, BM_HISTORY_ASYM_THRESHOLD_PCT, rep);
}

/* Signed asymmetry of a pair, % (+: right weaker); NaN when unusable. */
static double signed_asym(double l, double r)
{
	double strong = l > r ? l : r;
	return isfinite(l) && isfinite(r) && strong > 0 ? (l - r) / strong * 100 : NAN;
}

static int single_hold(const struct bm_store_effort *f, int leg)
{
	return f->kind == BM_STORE_EFFORT_HOLD && f->single_leg && f->leg == leg &&
	       isfinite(f->mean_above_rest_n);
}

/* The repeats of metric @p id (leg @p leg) in efforts @p ef, appended to
 * @p v (room for 2 x ef->count values).  Returns how many. */
static size_t repeats(enum bm_history_metric_id id, int leg, const struct bm_store_efforts *ef,
                      const struct asym_vals *asym, double *v)
{
	size_t n = 0;
	switch (id) {
	case BM_HM_BEST_HOLD:
	case BM_HM_MEAN_HOLD:
	case BM_HM_HOLD_IMPULSE:
		for (size_t i = 0; i < ef->count; i++) {
			const struct bm_store_effort *f = &ef->items[i];
			double x = id == BM_HM_HOLD_IMPULSE ? f->impulse_ns : f->mean_above_rest_n;
			if (f->kind == BM_STORE_EFFORT_HOLD && f->leg == leg && isfinite(x))
				v[n++] = x;
		}
		break;
	case BM_HM_LSI: {
		/* The k-th single-leg hold of each leg, paired in time order. */
		size_t i = 0, j = 0;
		for (;;) {
			while (i < ef->count && !single_hold(&ef->items[i], 0))
				i++;
			while (j < ef->count && !single_hold(&ef->items[j], 1))
				j++;
			if (i >= ef->count || j >= ef->count)
				break;
			double a = ef->items[i++].mean_above_rest_n, b = ef->items[j++].mean_above_rest_n;
			if (a > 0 && b > 0)
				v[n++] = 100.0 * fmin(a, b) / fmax(a, b);
		}
		break;
	}
	case BM_HM_ASYMMETRY:
		for (size_t i = 0; i < asym->n; i++)
			v[n++] = asym->v[i];
		break;
	default: /* hold time, reps: one total per session, no repeats */
		break;
	}
	return n;
}

double bm_history_value(const struct bm_history *h, const struct bm_history_metric *m, size_t i)
{
	const struct bm_history_session *s = &h->sessions[i];
	int l = m->leg < 0 ? 0 : m->leg;
	switch (m->id) {
	case BM_HM_BEST_HOLD: return s->s.leg[l].best_hold_n;
	case BM_HM_MEAN_HOLD: return s->s.leg[l].mean_hold_n;
	case BM_HM_HOLD_IMPULSE: return s->hold_impulse_ns[l];
	case BM_HM_HOLD_TIME: return s->s.leg[l].hold_time_s;
	case BM_HM_REPS: return (double)s->s.leg[l].reps;
	case BM_HM_LSI: return s->s.lsi_peak_pct;
	case BM_HM_ASYMMETRY: return s->asym_mean_pct;
	default: return NAN;
	}
}

/* Per session: mean impulse per hold, hold counts, the asymmetry of the
 * bilateral efforts (their signed values into @p out, room for
 * ef->count; @p ev is scratch of the same size). */
static int session_numbers(struct bm_history_session *s, const struct bm_store_efforts *ef,
                           struct bm_event *ev, double *out, struct asym_vals *asym)
{
	double sum[2] = {0, 0};
	size_t n[2] = {0, 0};
	struct bm_report pairs;
	for (size_t i = 0; i < ef->count; i++) {
		const struct bm_store_effort *f = &ef->items[i];
		if (f->kind != BM_STORE_EFFORT_HOLD)
			continue;
		if (isfinite(f->mean_above_rest_n))
			s->n_holds[f->leg]++;
		if (isfinite(f->impulse_ns)) {
			sum[f->leg] += f->impulse_ns;
			n[f->leg]++;
		}
	}
	for (int l = 0; l < 2; l++)
		s->hold_impulse_ns[l] = n[l] ? sum[l] / (double)n[l] : NAN;
	if (pairs_of(ef, ev, &pairs) != 0)
		return -1;
	asym->v = out;
	asym->n = 0;
	for (size_t i = 0; i < pairs.n_pairs; i++) {
		double x = signed_asym(pairs.pairs[i].left_above_rest_n,
		                       pairs.pairs[i].right_above_rest_n);
		if (isfinite(x))
			out[asym->n++] = x;
	}
	bm_report_free(&pairs);
	bm_change_asym_ci_pct(asym->v, asym->n, BM_HISTORY_ASYM_THRESHOLD_PCT, &s->asym);
	s->asym_mean_pct = s->asym.n ? s->asym.mean_pct : NAN;
	return 0;
}

static int build_metric(struct bm_history *h, struct bm_history_metric *m,
                        struct bm_store_efforts **ef, const struct asym_vals *asym, double *v,
                        size_t *group_n)
{
	size_t nv = 0;
	for (size_t i = 0; i < h->n_sessions; i++) {
		group_n[i] = repeats(m->id, m->leg, ef[i], &asym[i], v + nv);
		nv += group_n[i];
	}
	bm_change_te(v, group_n, h->n_sessions, 0, &m->te);
	m->changes = calloc(h->n_sessions ? h->n_sessions : 1, sizeof *m->changes);
	if (!m->changes)
		return -1;
	size_t prev = (size_t)-1;
	for (size_t i = 0; i < h->n_sessions; i++) {
		double x = bm_history_value(h, m, i);
		if (!isfinite(x))
			continue;
		if (prev != (size_t)-1) {
			struct bm_history_change *c = &m->changes[m->n_changes++];
			c->from = prev;
			c->to = i;
			bm_change_judge(bm_history_value(h, m, prev), x, &m->te, &c->c);
		}
		prev = i;
	}
	return 0;
}

static void build_trend(struct bm_history *h)
{
	for (int l = 0; l < 2; l++) {
		struct bm_history_trend *t = &h->trend[l];
		double sx = 0, sy = 0, x0 = NAN;
		t->n_per_week = NAN;
		t->sessions = 0;
		for (size_t i = 0; i < h->n_sessions; i++) {
			double y = h->sessions[i].s.leg[l].best_hold_n;
			if (!isfinite(y))
				continue;
			if (!isfinite(x0))
				x0 = (double)h->sessions[i].s.started_epoch_s;
			sx += ((double)h->sessions[i].s.started_epoch_s - x0) / (7 * 86400.0);
			sy += y;
			t->sessions++;
		}
		if (t->sessions < 2)
			continue;
		double mx = sx / (double)t->sessions, my = sy / (double)t->sessions, sxx = 0, sxy = 0;
		for (size_t i = 0; i < h->n_sessions; i++) {
			double y = h->sessions[i].s.leg[l].best_hold_n;
			if (!isfinite(y))
				continue;
			double x = ((double)h->sessions[i].s.started_epoch_s - x0) / (7 * 86400.0) - mx;
			sxx += x * x;
			sxy += x * (y - my);
		}
		if (sxx > 0)
			t->n_per_week = sxy / sxx;
	}
}

int bm_history_build(struct bm_store *st, const char *name, unsigned flags,
                     struct bm_history **out, char *msg, size_t msg_len)
{
	struct bm_history *h = calloc(1, sizeof *h);
	struct bm_store_pains *pains = NULL;
	struct bm_store_efforts *all = NULL; /* every effort, in session order */
	struct bm_store_efforts *views = NULL, **ef = NULL; /* each session's */
	struct asym_vals *asym = NULL;
	double *asym_buf = NULL;
	struct bm_event *ev = NULL;
	double *v = NULL;
	size_t *group_n = NULL, n_ef = 0, cap = 0;
	int rc = BM_HISTORY_ERR_NOMEM;

	*out = NULL;
	if (!h)
		goto nomem;
	int sr = bm_store_athlete_find_name(st, name, &h->athlete);
	if (sr == BM_STORE_ERR_NOT_FOUND) {
		snprintf(msg, msg_len, "no athlete called \"%s\" in %s (bridgemon athlete --list)",
		         name, bm_store_where(st));
		rc = BM_HISTORY_NOT_FOUND;
		goto out;
	}
	if (sr < 0 || (sr = bm_store_session_list_athlete(st, h->athlete.id, 0, &h->rows_)) < 0 ||
	    (sr = bm_store_effort_list_athlete(st, h->athlete.id, &all)) < 0 ||
	    (sr = bm_store_pain_list(st, h->athlete.id, &pains)) < 0) {
		snprintf(msg, msg_len, "%s", bm_store_errmsg(st));
		rc = sr == BM_STORE_ERR_NOMEM ? BM_HISTORY_ERR_NOMEM : BM_HISTORY_ERR_STORE;
		goto out;
	}
	cap = h->rows_->count ? h->rows_->count : 1;
	h->sessions = calloc(cap, sizeof *h->sessions);
	views = calloc(cap, sizeof *views);
	ef = calloc(cap, sizeof *ef);
	asym = calloc(cap, sizeof *asym);
	/* A session has at most as many pairs as efforts; the events scratch
	 * serves one session at a time. */
	size_t most = 1;
	for (size_t i = 0, run = 0; i < all->count; i++) {
		run = i && all->session_ids[i] == all->session_ids[i - 1] ? run + 1 : 1;
		most = run > most ? run : most;
	}
	asym_buf = malloc((all->count ? all->count : 1) * sizeof *asym_buf);
	ev = malloc(most * sizeof *ev);
	if (!h->sessions || !views || !ef || !asym || !asym_buf || !ev)
		goto nomem;
	/* The efforts come by session id: each session finds its run. */
	for (size_t i = 0; i < h->rows_->count; i++) {
		const struct bm_store_session *row = &h->rows_->items[i];
		struct bm_store_efforts mine = {0, NULL, NULL};
		size_t lo = 0, hi = all->count;
		while (lo < hi) { /* the first of this session's efforts */
			size_t mid = lo + (hi - lo) / 2;
			if (all->session_ids[mid] < row->id)
				lo = mid + 1;
			else
				hi = mid;
		}
		mine.items = all->items + lo;
		while (lo + mine.count < all->count && all->session_ids[lo + mine.count] == row->id)
			mine.count++;
		if (row->demo && !(flags & BM_HISTORY_WITH_DEMO))
			continue;
		struct bm_history_session *s = &h->sessions[h->n_sessions];
		s->s = *row;
		s->pain_next_morning = NAN;
		bm_records_date((double)row->started_epoch_s, s->date, sizeof s->date);
		views[h->n_sessions] = mine;
		ef[h->n_sessions] = &views[h->n_sessions];
		n_ef += 2 * mine.count;
		if (session_numbers(s, &mine, ev, asym_buf + (mine.items - all->items),
		                    &asym[h->n_sessions]) != 0)
			goto nomem;
		h->n_sessions++;
	}
	apply_pain(h, pains);
	build_trend(h);

	h->metrics = calloc(BM_HM_N_KINDS * 2, sizeof *h->metrics);
	v = malloc((n_ef ? n_ef : 1) * sizeof *v);
	group_n = malloc((h->n_sessions ? h->n_sessions : 1) * sizeof *group_n);
	if (!h->metrics || !v || !group_n)
		goto nomem;
	for (int k = 0; k < BM_HM_N_KINDS; k++) {
		for (int l = kinds[k].per_leg ? 0 : -1; l < (kinds[k].per_leg ? 2 : 0); l++) {
			struct bm_history_metric *m = &h->metrics[h->n_metrics++];
			m->id = kinds[k].id;
			m->key = kinds[k].key;
			m->label = kinds[k].label;
			m->unit = kinds[k].unit;
			m->decimals = kinds[k].decimals;
			m->leg = l;
			if (build_metric(h, m, ef, asym, v, group_n) != 0)
				goto nomem;
		}
	}
	rc = BM_HISTORY_OK;
	goto out;
nomem:
	snprintf(msg, msg_len, "out of memory reading the history");
	rc = BM_HISTORY_ERR_NOMEM;
out:
	bm_store_efforts_free(all);
	free(views);
	free(asym);
	free(asym_buf);
	free(ev);
	free(ef);
	free(v);
	free(group_n);
	bm_store_pains_free(pains);
	if (rc != BM_HISTORY_OK) {
		bm_history_free(h);
		h = NULL;
	}
	*out = h;
	return rc;
}
