/*
 * bm_view_trace.c - the trace ring: the latest samples of both legs, for
 * the force-time plot.
 *
 * Three arrays (time, left, right) of one fixed capacity, allocated once;
 * a push overwrites the oldest sample when full, so the per-sample path
 * neither allocates nor fails.  Times do not decrease, which lets the
 * plot find the left edge of its window by bisection
 * (bm_view_trace_lower_bound()) instead of walking the whole ring.  The
 * struct is in bm_view_priv.h because the trace panel reads the arrays
 * directly.
 */
#include "bm_view_priv.h"

#include <math.h>
#include <stdlib.h>

int bm_view_trace_new(size_t capacity, struct bm_view_trace **out)
{
	if (!out)
		return BM_VIEW_ERR_ARG;
	*out = NULL;
	if (capacity == 0)
		return BM_VIEW_ERR_ARG;
	struct bm_view_trace *tr = calloc(1, sizeof *tr);
	if (!tr)
		return BM_VIEW_ERR_NOMEM;
	tr->cap = capacity;
	tr->t_s = malloc(capacity * sizeof *tr->t_s);
	for (int leg = 0; leg < BM_NCHAN; leg++)
		tr->force_n[leg] = malloc(capacity * sizeof *tr->force_n[leg]);
	if (!tr->t_s || !tr->force_n[BM_LEFT] || !tr->force_n[BM_RIGHT]) {
		bm_view_trace_free(tr);
		return BM_VIEW_ERR_NOMEM;
	}
	*out = tr;
	return BM_VIEW_OK;
}

void bm_view_trace_free(struct bm_view_trace *tr)
{
	if (!tr)
		return;
	free(tr->t_s);
	for (int leg = 0; leg < BM_NCHAN; leg++)
		free(tr->force_n[leg]);
	free(tr);
}

size_t bm_view_trace_capacity_for(double rate_hz, double window_s)
{
	if (!(rate_hz > 0) || !(window_s > 0))
		return 16;
	/* 10 % for a board whose crystal runs fast, plus a few. */
	return (size_t)ceil(rate_hz * window_s * 1.1) + 16;
}

void bm_view_trace_push(struct bm_view_trace *tr, double t_s, float left_n,
                        float right_n)
{
	tr->t_s[tr->head] = t_s;
	tr->force_n[BM_LEFT][tr->head] = left_n;
	tr->force_n[BM_RIGHT][tr->head] = right_n;
	tr->head = (tr->head + 1) % tr->cap;
	if (tr->len < tr->cap)
		tr->len++;
}

void bm_view_trace_clear(struct bm_view_trace *tr)
{
	tr->len = 0;
	tr->head = 0;
}

size_t bm_view_trace_len(const struct bm_view_trace *tr)
{
	return tr->len;
}

void bm_view_trace_get(const struct bm_view_trace *tr, size_t i, double *t_s,
                       float *left_n, float *right_n)
{
	size_t k = bm_view_trace_index(tr, i);
	if (t_s)
		*t_s = tr->t_s[k];
	if (left_n)
		*left_n = tr->force_n[BM_LEFT][k];
	if (right_n)
		*right_n = tr->force_n[BM_RIGHT][k];
}

size_t bm_view_trace_lower_bound(const struct bm_view_trace *tr, double t_s)
{
	size_t a = 0, b = tr->len;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (tr->t_s[bm_view_trace_index(tr, mid)] < t_s)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}
