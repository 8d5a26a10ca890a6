/* bm_app_rehab.c - the rehab session around the monitor: the athlete, the
 * dose, the recordings; the idea is in bm_app_rehab.h (the questions and
 * keys are in bm_app_rehab_keys.c). */
#include "bm_app_rehab_priv.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bm_records_cli.h"
#include "bm_sessions_dir.h"
#include "bm_store.h"

/* The dose is computed at most this often (s), and at least this often
 * (the date moves on at midnight). */
#define DOSE_MIN_S 1.0
#define DOSE_MAX_S 60.0

void bm_app_rehab_say(struct bm_app_rehab *r, const char *fmt, ...)
{
	char text[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (r->o.say)
		r->o.say(r->o.say_ctx, text);
}

int bm_app_rehab_new(const struct bm_app_rehab_opts *o, struct bm_app_rehab **out)
{
	struct bm_app_rehab *r = calloc(1, sizeof *r);
	*out = NULL;
	if (!r)
		return -1;
	r->o = *o;
	bm_mvic_init(&r->mvic);
	bm_dose_params_default(&r->dp);
	if (o->aim_min_s > 0 && o->aim_max_s >= o->aim_min_s) {
		r->dp.aim_min_s = o->aim_min_s;
		r->dp.aim_max_s = o->aim_max_s;
	}
	bm_pain_ask_init(&r->ask);
	r->pain_before = o->pain_before;
	r->picker.status = BM_PICKER_CLOSED;
	*out = r;
	return 0;
}

void bm_app_rehab_free(struct bm_app_rehab *r)
{
	if (!r)
		return;
	bm_athlete_ctx_free(r->ath);
	bm_picker_free(&r->picker);
	free(r->base);
	free(r->run);
	free(r->all);
	free(r);
}

struct bm_athlete_ctx *bm_app_rehab_athlete(const struct bm_app_rehab *r)
{
	return r->ath;
}

void bm_app_rehab_mvic(const struct bm_app_rehab *r, struct bm_mvic *out)
{
	*out = r->mvic;
}

double bm_app_rehab_pain_before(const struct bm_app_rehab *r)
{
	return r->pain_before;
}

double bm_app_rehab_pain_after(const struct bm_app_rehab *r)
{
	/* A typed one goes into the recording it is about, never the next. */
	return r->o.pain_after;
}

/* ------------------------------------------------------------- the dose */

/* The athlete's stored sessions of the last weeks, after a sync of the
 * recordings folder (what history --athlete does first). */
static void load_stored(struct bm_app_rehab *r)
{
	struct bm_store *st = bm_athlete_ctx_store(r->ath);
	const struct bm_store_athlete *row = bm_athlete_ctx_row(r->ath);
	struct bm_store_sessions *ss = NULL;
	struct bm_store_efforts *ef = NULL;
	struct bm_detect_params dp;
	char dir[512], msg[600];

	free(r->base);
	r->base = NULL;
	r->n_base = 0;
	r->n_run = 0;
	r->dose_on = st != NULL;
	if (!st)
		return;
	if (bm_sessions_dir(dir, sizeof dir, msg, sizeof msg) == 0)
		bm_records_cli_sync(r->o.cmd, st, r->o.db, dir, 0, 0);
	if (bm_store_session_list_athlete(st, row->id, 0, &ss) != BM_STORE_OK ||
	    bm_store_effort_list_athlete(st, row->id, &ef) != BM_STORE_OK) {
		bm_app_rehab_say(r, "%s; the dose counts this run's recordings only",
		                 bm_store_errmsg(st));
	} else {
		bm_detect_params_default(&dp);
		if (bm_dose_live_from_store(ss, ef, &r->mvic, dp.min_hold_s, &r->base, &r->n_base) != 0)
			bm_app_rehab_say(r, "out of memory: the dose counts this run's recordings only");
		/* Only what a dose window can reach is kept (a report per second
		 * of a thousand sessions would be a local time each). */
		double since = (double)time(NULL) - (BM_DOSE_MAX_DAYS + 1) * 86400.0;
		size_t keep = 0;
		for (size_t i = 0; i < r->n_base; i++)
			if (r->base[i].epoch_s >= since)
				r->base[keep++] = r->base[i];
		r->n_base = keep;
	}
	bm_store_sessions_free(ss);
	bm_store_efforts_free(ef);
	r->dose_dirty = 1;
}

static void compute_dose(struct bm_app_rehab *r)
{
	size_t n = r->n_base + r->n_run + 1;
	r->dose_dirty = 0;
	r->dose_at = r->now_mono_s;
	if (!r->dose_on)
		return;
	if (n > r->cap_all) {
		struct bm_dose_session *x = realloc(r->all, n * sizeof *x);
		if (!x)
			return; /* the last report stays */
		r->all = x;
		r->cap_all = n;
	}
	n = 0;
	for (size_t i = 0; i < r->n_base; i++)
		r->all[n++] = r->base[i];
	for (size_t i = 0; i < r->n_run; i++)
		r->all[n++] = r->run[i];
	if (r->live_on)
		r->all[n++] = r->live;
	r->rep_ok = bm_dose_report(r->all, n, (double)time(NULL), &r->dp, &r->rep) == BM_DOSE_OK;
	if (r->rep_ok)
		bm_dose_live_text(&r->rep, &r->dp, &r->text);
}

void bm_app_rehab_frame(struct bm_app_rehab *r, const struct bm_monitor *mon,
                        const struct bm_monitor_state *ms, double now_mono_s)
{
	r->now_mono_s = now_mono_s;
	if (r->answer_on && now_mono_s > r->answer_until)
		r->answer_on = 0;
	if (!r->dose_on)
		return;
	if (r->recording && !r->o.is_demo) {
		const struct bm_event *ev;
		size_t n = bm_monitor_capture_events(mon, &ev);
		struct bm_dose_session s;
		bm_dose_live_from_events(r->rec_epoch_s, ms->session_hold_leg_s, ev, n, &r->mvic, &s);
		if (!r->live_on || s.hold_s[0] != r->live.hold_s[0] || s.hold_s[1] != r->live.hold_s[1])
			r->dose_dirty = 1;
		r->live = s;
		r->live_on = 1;
	}
	double since = now_mono_s - r->dose_at;
	if ((r->dose_dirty && since >= DOSE_MIN_S) || since >= DOSE_MAX_S || !r->rep_ok)
		compute_dose(r);
}

int bm_app_rehab_dose_line(const struct bm_app_rehab *r, char *out, size_t len)
{
	char line[512];
	if (!r->dose_on || !r->rep_ok)
		return -1;
	bm_dose_live_line(&r->text, line, sizeof line);
	snprintf(out, len, "%s's dose: %s; %s", bm_athlete_ctx_name(r->ath), line, r->text.load);
	return 0;
}

/* ---------------------------------------------------------- the athlete */

void bm_app_rehab_set_athlete(struct bm_app_rehab *r, struct bm_athlete_ctx *ath)
{
	if (ath != r->ath)
		bm_athlete_ctx_free(r->ath);
	r->ath = ath;
	bm_mvic_init(&r->mvic);
	r->pain_before = r->o.pain_before;
	bm_pain_ask_init(&r->ask);
	r->rep_ok = 0;
	r->live_on = 0;
	r->dose_on = 0;
	if (!ath)
		return;
	bm_athlete_ctx_mvic(ath, &r->mvic);
	load_stored(r);
	compute_dose(r);
	bm_app_rehab_ask_start(r);
}

/* -------------------------------------------------------- the recordings */

void bm_app_rehab_recording_started(struct bm_app_rehab *r, const char *csv_path, double epoch_s)
{
	r->recording = 1;
	r->rec_epoch_s = epoch_s;
	snprintf(r->rec_path, sizeof r->rec_path, "%s", csv_path);
	r->after_pending = r->ath && isnan(r->o.pain_after);
}

void bm_app_rehab_set_window(struct bm_app_rehab *r, int window)
{
	r->o.window = window;
}

void bm_app_rehab_no_upload(struct bm_app_rehab *r)
{
	r->no_upload = 1;
}

/* A finished recording of the sessions folder goes into the store at once
 * (a sync of the folder: what is there already is skipped), so that the
 * clinic's desk sees it now, not at this station's next start.  A store
 * that cannot be reached is said, and the next sync uploads it. */
static void upload(struct bm_app_rehab *r)
{
	struct bm_store *st = r->ath ? bm_athlete_ctx_store(r->ath) : NULL;
	char dir[512], msg[600], a[PATH_MAX], b[PATH_MAX];
	if (!st || r->no_upload || bm_sessions_dir(dir, sizeof dir, msg, sizeof msg) != 0)
		return;
	/* Only the sessions folder: a recording made elsewhere (--out) waits
	 * for a sync of its own folder, which its owner asks for. */
	char *slash = strrchr(r->rec_path, '/');
	if (!slash)
		return;
	*slash = '\0';
	int same = realpath(r->rec_path, a) && realpath(dir, b) && strcmp(a, b) == 0;
	*slash = '/';
	/* The terminal has the line; the window says it too. */
	if (same && bm_records_cli_sync(r->o.cmd, st, r->o.db, dir, 0, 0) < 0 && r->o.window)
		bm_app_rehab_say(r, "the store did not take the recording now (the terminal says "
		                 "why); it is saved, and the next sync uploads it (bridgemon sync)");
}

void bm_app_rehab_recording_stopped(struct bm_app_rehab *r, const struct bm_monitor_state *ms,
                                    const struct bm_event *ev, size_t n, int ask)
{
	if (!r->recording)
		return;
	r->recording = 0;
	r->live_on = 0;
	if (r->dose_on && !r->o.is_demo) {
		if (r->n_run == r->cap_run) {
			size_t cap = r->cap_run ? 2 * r->cap_run : 8;
			struct bm_dose_session *x = realloc(r->run, cap * sizeof *x);
			if (x) {
				r->run = x;
				r->cap_run = cap;
			}
		}
		if (r->n_run < r->cap_run)
			bm_dose_live_from_events(r->rec_epoch_s, ms->session_hold_leg_s, ev, n, &r->mvic,
			                         &r->run[r->n_run++]);
		else
			bm_app_rehab_say(r, "out of memory: the dose leaves the last recording out");
		compute_dose(r);
	}
	bm_app_rehab_before_owed(r, r->rec_path);
	upload(r);
	if (ask)
		bm_app_rehab_ask_after(r, r->rec_path);
}

/* ------------------------------------------------------------- the view */

void bm_app_rehab_fill_view(const struct bm_app_rehab *r, struct bm_view_model *m)
{
	m->dose.active = r->dose_on && r->rep_ok;
	if (m->dose.active) {
		const struct bm_dose_report *d = &r->rep;
		snprintf(m->dose.today, sizeof m->dose.today, "%.100s: %s", bm_athlete_ctx_name(r->ath),
		         r->text.today);
		snprintf(m->dose.week, sizeof m->dose.week, "%s", r->text.week);
		snprintf(m->dose.rhythm, sizeof m->dose.rhythm, "%s", r->text.rhythm_short);
		snprintf(m->dose.load, sizeof m->dose.load, "%s", r->text.load_week);
		m->dose.today_low_s = (float)fmin(d->today_hold_s[0], d->today_hold_s[1]);
		m->dose.aim_min_s = (float)r->dp.aim_min_s;
		m->dose.in_aim = d->today_level[0] == BM_DOSE_IN_AIM && d->today_level[1] == BM_DOSE_IN_AIM;
		m->dose.above_aim = d->today_level[0] == BM_DOSE_ABOVE || d->today_level[1] == BM_DOSE_ABOVE;
	}
	bm_app_rehab_fill_asks(r, m);
}
