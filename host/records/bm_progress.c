/* bm_progress.c - an athlete's progress points and checklist from a
 * history; the idea is in bm_progress.h. */
#include "bm_progress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void bm_progress_point(const struct bm_history_session *s, struct bm_progress_point *out)
{
	out->epoch_s = (double)s->s.started_epoch_s;
	out->best_hold_n[0] = s->s.leg[0].best_hold_n;
	out->best_hold_n[1] = s->s.leg[1].best_hold_n;
	out->lsi_pct = s->s.lsi_peak_pct;
	out->pain = isfinite(s->s.pain_after) ? s->s.pain_after : s->s.pain_before;
}

int bm_progress_single_leg(const struct bm_history_session *s)
{
	return isfinite(s->s.lsi_peak_pct) || s->s.exercise == BM_STORE_EX_SINGLE_LEG_LEFT ||
	       s->s.exercise == BM_STORE_EX_SINGLE_LEG_RIGHT;
}

void bm_progress_fatigue_reps(const struct bm_history *h, int reps[2])
{
	reps[0] = reps[1] = -1;
	if (!h)
		return;
	/* Oldest first: the last one found is the latest.  A leg without a
	 * rep was not tested (the run was abandoned before it). */
	for (size_t i = 0; i < h->n_sessions; i++) {
		const struct bm_store_session *s = &h->sessions[i].s;
		if (s->demo || !s->protocol || strcmp(s->protocol, BM_PROGRESS_FATIGUE_PROTOCOL) != 0)
			continue;
		for (int leg = 0; leg < 2; leg++)
			reps[leg] = s->leg[leg].reps > 0 ? s->leg[leg].reps : -1;
	}
}

int bm_progress_readiness(const struct bm_history *h, const struct bm_readiness_params *p,
                          struct bm_readiness *out)
{
	if (!h || !out)
		return BM_PROGRESS_ERR_ARG;
	struct bm_readiness_session *rs = calloc(h->n_sessions ? h->n_sessions : 1, sizeof *rs);
	if (!rs)
		return BM_PROGRESS_ERR_NOMEM;
	size_t n = 0;
	for (size_t i = 0; i < h->n_sessions; i++) {
		const struct bm_history_session *s = &h->sessions[i];
		if (!bm_progress_single_leg(s))
			continue;
		rs[n].epoch_s = (double)s->s.started_epoch_s;
		rs[n].lsi_peak_pct = s->s.lsi_peak_pct;
		rs[n].lsi_impulse_pct = s->s.lsi_impulse_pct;
		rs[n].pain_next_morning = s->pain_next_morning;
		n++;
	}
	int reps[2];
	bm_progress_fatigue_reps(h, reps);
	int rc = bm_readiness_check(rs, n, reps, p, out);
	free(rs);
	return rc == BM_READINESS_OK ? BM_PROGRESS_OK : BM_PROGRESS_ERR_ARG;
}
