/* bm_zone.c - zone bands and the in/out tracker; see bm_zone.h. */
#include "bm_zone.h"

#include <math.h>
#include <string.h>

void bm_zone_params_default(struct bm_zone_params *p)
{
	p->low_pct = 60;
	p->high_pct = 80;
	p->injured = BM_SIDE_NONE;
	p->hysteresis_pct = 2;
	p->max_step_s = 0.5;
}

static void band_clear(struct bm_zone_band *out)
{
	for (int leg = 0; leg < 2; leg++) {
		out->valid[leg] = 0;
		out->ref_mvic_n[leg] = out->low_n[leg] = out->high_n[leg] = out->hyst_n[leg] = NAN;
	}
}

int bm_zone_band_make(const struct bm_zone_params *p, const double mvic_n[2],
                      double low_pct, double high_pct, struct bm_zone_band *out)
{
	if (!out)
		return -1;
	band_clear(out);
	if (!p || !mvic_n || !(low_pct < high_pct) || !isfinite(low_pct) || !isfinite(high_pct))
		return -1;
	double ref[2] = {mvic_n[0], mvic_n[1]};
	if (p->injured == BM_SIDE_LEFT)
		ref[0] = ref[1] = mvic_n[1];
	else if (p->injured == BM_SIDE_RIGHT)
		ref[0] = ref[1] = mvic_n[0];
	double hyst = isfinite(p->hysteresis_pct) && p->hysteresis_pct > 0 ? p->hysteresis_pct : 0;
	for (int leg = 0; leg < 2; leg++) {
		if (!(ref[leg] > 0) || !isfinite(ref[leg]))
			continue;
		out->valid[leg] = 1;
		out->ref_mvic_n[leg] = ref[leg];
		out->low_n[leg] = ref[leg] * low_pct / 100;
		out->high_n[leg] = ref[leg] * high_pct / 100;
		out->hyst_n[leg] = ref[leg] * hyst / 100;
	}
	return 0;
}

int bm_zone_band_around(const struct bm_zone_params *p, const double mvic_n[2],
                        double target_pct, struct bm_zone_band *out)
{
	if (!p)
		return out ? (band_clear(out), -1) : -1;
	double half = (p->high_pct - p->low_pct) / 2;
	return bm_zone_band_make(p, mvic_n, target_pct - half, target_pct + half, out);
}

void bm_zone_tracker_reset(struct bm_zone_tracker *z, const struct bm_zone_params *p)
{
	memset(z, 0, sizeof *z);
	z->last_t_s = NAN;
	z->max_step_s = p && p->max_step_s > 0 ? p->max_step_s : 0.5;
}

/* The position of one reading, given where the leg was: the band's edges
 * move out by the margin for a leg already in it. */
static enum bm_zone_pos classify(enum bm_zone_pos was, double f, double lo, double hi, double h)
{
	if (was == BM_ZONE_IN) {
		if (f < lo - h)
			return BM_ZONE_BELOW;
		if (f > hi + h)
			return BM_ZONE_ABOVE;
		return BM_ZONE_IN;
	}
	if (f < lo)
		return BM_ZONE_BELOW;
	if (f > hi)
		return BM_ZONE_ABOVE;
	return BM_ZONE_IN;
}

unsigned bm_zone_tracker_step(struct bm_zone_tracker *z, const struct bm_zone_band *band,
                              double t_s, const double force_above_rest_n[2], const int active[2])
{
	unsigned changed = 0;
	double dt = 0;
	if (!z)
		return 0;
	if (isfinite(z->last_t_s) && t_s > z->last_t_s && t_s - z->last_t_s <= z->max_step_s)
		dt = t_s - z->last_t_s;
	if (isfinite(t_s) && (!isfinite(z->last_t_s) || t_s > z->last_t_s))
		z->last_t_s = t_s;
	for (int leg = 0; leg < 2; leg++) {
		enum bm_zone_pos was = z->pos[leg], now = BM_ZONE_UNKNOWN;
		double f = force_above_rest_n ? force_above_rest_n[leg] : NAN;
		int on = active && active[leg];
		if (on && band && band->valid[leg] && isfinite(f))
			now = classify(was, f, band->low_n[leg], band->high_n[leg], band->hyst_n[leg]);
		if (on)
			z->active_s[leg] += dt;
		if (now == BM_ZONE_IN)
			z->in_zone_s[leg] += dt;
		if ((was == BM_ZONE_IN) != (now == BM_ZONE_IN))
			changed |= 1u << leg;
		z->pos[leg] = now;
	}
	return changed;
}

const char *bm_zone_pos_name(enum bm_zone_pos pos)
{
	switch (pos) {
	case BM_ZONE_BELOW: return "below";
	case BM_ZONE_IN: return "in";
	case BM_ZONE_ABOVE: return "above";
	default: return "unknown";
	}
}
