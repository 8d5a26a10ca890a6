/* bm_mvic.c - MVIC results: retest, reference per set, merge; see bm_mvic.h. */
#include "bm_mvic.h"

#include <math.h>

#define SECONDS_PER_DAY 86400.0

void bm_mvic_init(struct bm_mvic *m)
{
	if (!m)
		return;
	m->epoch_s = NAN;
	for (int leg = 0; leg < 2; leg++)
		m->single_n[leg] = m->both_n[leg] = NAN;
}

static int has_value(const struct bm_mvic *m)
{
	for (int leg = 0; leg < 2; leg++)
		if (isfinite(m->single_n[leg]) || isfinite(m->both_n[leg]))
			return 1;
	return 0;
}

int bm_mvic_retest_due(const struct bm_mvic *m, double now_epoch_s, double max_age_days)
{
	if (!m || !isfinite(m->epoch_s) || !has_value(m))
		return 1;
	if (!(max_age_days > 0))
		max_age_days = BM_MVIC_RETEST_DAYS;
	return now_epoch_s - m->epoch_s > max_age_days * SECONDS_PER_DAY;
}

void bm_mvic_reference(const struct bm_mvic *m, enum bm_side side, double out_n[2])
{
	out_n[0] = out_n[1] = NAN;
	if (!m)
		return;
	if (side == BM_SIDE_BOTH) {
		out_n[0] = m->both_n[0];
		out_n[1] = m->both_n[1];
	} else if (side == BM_SIDE_LEFT || side == BM_SIDE_RIGHT) {
		out_n[side] = m->single_n[side];
	}
}

/* The larger of two values, NaN counting as absent. */
static int take_max(double *into, double v)
{
	if (isnan(v) || (!isnan(*into) && *into >= v))
		return 0;
	*into = v;
	return 1;
}

void bm_mvic_merge(struct bm_mvic *into, const struct bm_mvic *other)
{
	if (!into || !other)
		return;
	int used = 0;
	for (int leg = 0; leg < 2; leg++) {
		used |= take_max(&into->single_n[leg], other->single_n[leg]);
		used |= take_max(&into->both_n[leg], other->both_n[leg]);
	}
	if (isfinite(other->epoch_s) && (used || isnan(into->epoch_s)) &&
	    (isnan(into->epoch_s) || other->epoch_s > into->epoch_s))
		into->epoch_s = other->epoch_s;
}
