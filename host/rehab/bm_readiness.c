/* bm_readiness.c - the return-to-run checklist; see bm_readiness.h. */
#include "bm_readiness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bm_rehab_protocol.h"

void bm_readiness_params_default(struct bm_readiness_params *p)
{
	p->lsi_peak_min_pct = 90;
	p->lsi_impulse_min_pct = 90;
	p->sessions_needed = 2;
	p->pain_max = 3;
	p->fatigue_reps_min = BM_FATIGUE_REPS_POOR_BELOW;
}

const char *bm_ready_status_name(enum bm_ready_status s)
{
	switch (s) {
	case BM_READY_MET: return "met";
	case BM_READY_NOT_MET: return "not met";
	default: return "unknown";
	}
}

/* The last @want sessions by date, newest first, into @idx; returns how
 * many there are. */
static int latest(const struct bm_readiness_session *s, size_t n, int want, size_t *idx)
{
	int got = 0;
	double below = INFINITY;
	/* Repeated selection of the newest date below the previous one keeps
	 * this free of allocation; n is small (an athlete's sessions). */
	while (got < want) {
		long best = -1;
		for (size_t i = 0; i < n; i++) {
			if (!(s[i].epoch_s < below))
				continue;
			if (best < 0 || s[i].epoch_s > s[best].epoch_s)
				best = (long)i;
		}
		if (best < 0)
			break;
		/* Several sessions with the same date: take them one by one. */
		for (size_t i = 0; i < n && got < want; i++)
			if (s[i].epoch_s == s[best].epoch_s)
				idx[got++] = i;
		below = s[best].epoch_s;
	}
	return got;
}

/* An item over the chosen sessions' values @v (k of them, need wanted):
 * each must be at most (@max_ok: pain) or at least (LSI) @limit. */
static enum bm_ready_status judge(const double *v, int k, int need, double limit, int max_ok)
{
	int unknown = k < need;
	for (int i = 0; i < k; i++) {
		if (isnan(v[i])) {
			unknown = 1;
			continue;
		}
		if (max_ok ? v[i] > limit : v[i] < limit)
			return BM_READY_NOT_MET;
	}
	return unknown ? BM_READY_UNKNOWN : BM_READY_MET;
}

static void list_values(char *out, size_t len, const double *v, int k, const char *unit)
{
	size_t o = 0;
	out[0] = '\0';
	for (int i = k - 1; i >= 0 && o < len; i--) { /* oldest first reads naturally */
		int w;
		if (isnan(v[i]))
			w = snprintf(out + o, len - o, "%sunknown", i == k - 1 ? "" : ", ");
		else
			w = snprintf(out + o, len - o, "%s%.1f%s", i == k - 1 ? "" : ", ", v[i], unit);
		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (k == 0)
		snprintf(out, len, "none");
}

int bm_readiness_check(const struct bm_readiness_session *sessions, size_t n,
                       const int fatigue_reps[2], const struct bm_readiness_params *p,
                       struct bm_readiness *out)
{
	struct bm_readiness_params def;
	if (!out)
		return BM_READINESS_ERR_ARG;
	memset(out, 0, sizeof *out);
	if (!p) {
		bm_readiness_params_default(&def);
		p = &def;
	}
	if ((!sessions && n) || p->sessions_needed < 1 || p->sessions_needed > BM_READINESS_MAX_SESSIONS)
		return BM_READINESS_ERR_ARG;

	size_t idx[BM_READINESS_MAX_SESSIONS];
	int k = latest(sessions, n, p->sessions_needed, idx);
	double peak[BM_READINESS_MAX_SESSIONS] = {0}, imp[BM_READINESS_MAX_SESSIONS] = {0};
	double pain[BM_READINESS_MAX_SESSIONS] = {0};
	for (int i = 0; i < k; i++) {
		peak[i] = sessions[idx[i]].lsi_peak_pct;
		imp[i] = sessions[idx[i]].lsi_impulse_pct;
		pain[i] = sessions[idx[i]].pain_next_morning;
	}
	char vals[96];
	struct bm_readiness_item *it;

	it = &out->items[BM_READY_LSI_PEAK];
	it->status = judge(peak, k, p->sessions_needed, p->lsi_peak_min_pct, 0);
	list_values(vals, sizeof vals, peak, k, " %");
	snprintf(it->text, sizeof it->text, "single-leg bridge LSI on peak force >= %g %% on %d "
	         "consecutive sessions: %s (%s)", p->lsi_peak_min_pct, p->sessions_needed, vals,
	         bm_ready_status_name(it->status));

	it = &out->items[BM_READY_LSI_IMPULSE];
	it->status = judge(imp, k, p->sessions_needed, p->lsi_impulse_min_pct, 0);
	list_values(vals, sizeof vals, imp, k, " %");
	snprintf(it->text, sizeof it->text, "single-leg bridge LSI on impulse >= %g %% on %d "
	         "consecutive sessions: %s (%s)", p->lsi_impulse_min_pct, p->sessions_needed, vals,
	         bm_ready_status_name(it->status));

	it = &out->items[BM_READY_PAIN];
	it->status = judge(pain, k, p->sessions_needed, p->pain_max, 1);
	list_values(vals, sizeof vals, pain, k, "/10");
	snprintf(it->text, sizeof it->text, "pain <= %g/10 the next morning after them: %s (%s)",
	         p->pain_max, vals, bm_ready_status_name(it->status));

	it = &out->items[BM_READY_FATIGUE];
	int reps[2] = {fatigue_reps ? fatigue_reps[0] : -1, fatigue_reps ? fatigue_reps[1] : -1};
	int unknown = 0, failed = 0;
	char side[2][48];
	for (int leg = 0; leg < 2; leg++) {
		if (reps[leg] < 0) {
			unknown = 1;
			snprintf(side[leg], sizeof side[leg], "not tested");
			continue;
		}
		failed |= reps[leg] < p->fatigue_reps_min;
		snprintf(side[leg], sizeof side[leg], "%d (%s)", reps[leg],
		         bm_fatigue_norm_name(bm_fatigue_norm_of(reps[leg])));
	}
	it->status = failed ? BM_READY_NOT_MET : unknown ? BM_READY_UNKNOWN : BM_READY_MET;
	snprintf(it->text, sizeof it->text, "single-leg bridge reps to fatigue >= %d on both sides: "
	         "left %s, right %s (%s)", p->fatigue_reps_min, side[0], side[1],
	         bm_ready_status_name(it->status));

	int any_not = 0, any_unknown = 0;
	for (int i = 0; i < BM_READY_N_ITEMS; i++) {
		any_not |= out->items[i].status == BM_READY_NOT_MET;
		any_unknown |= out->items[i].status == BM_READY_UNKNOWN;
	}
	out->overall = any_not ? BM_READY_NOT_MET : any_unknown ? BM_READY_UNKNOWN : BM_READY_MET;
	snprintf(out->text, sizeof out->text, "%s (" BM_GUIDANCE_LABEL ")",
	         out->overall == BM_READY_MET ? "ready to start running: every item is met"
	         : out->overall == BM_READY_NOT_MET ? "not ready to run yet: an item is not met"
	         : "readiness to run unknown: some items have no numbers yet");
	return BM_READINESS_OK;
}
