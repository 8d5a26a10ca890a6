/* bm_guided.c - a protocol run fed by the live pipeline; the idea is in
 * bm_guided.h. */
#include "bm_guided.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_rehab_protocol.h"

struct bm_guided {
	struct bm_protocol proto;
	struct bm_runner *run;
	int started;
	int loaded[2];           /* the leg was loaded at the last frame */
	int source_was_live;
	double last_t;
};

int bm_guided_new(const char *key, const struct bm_mvic *mvic, enum bm_side anchor_injured,
                  struct bm_guided **out, char *msg, size_t msg_len)
{
	struct bm_protocol_list *list = NULL;
	struct bm_runner_params rp;
	*out = NULL;
	if (bm_protocol_list_load(NULL, &list, msg, msg_len) != BM_PROTOCOL_OK)
		return -1;
	const struct bm_protocol *p = bm_protocol_list_find(list, key);
	if (!p) {
		/* Say which there are; a bad user file is named too. */
		size_t n = (size_t)snprintf(msg, msg_len, "no protocol '%s' (there are:", key);
		for (size_t i = 0; i < bm_protocol_list_count(list) && n < msg_len; i++)
			n += (size_t)snprintf(msg + n, msg_len - n, " %s", bm_protocol_list_get(list, i)->id);
		if (n < msg_len)
			snprintf(msg + n, msg_len - n, ")%s%s", bm_protocol_list_error_count(list) ? "; " : "",
			         bm_protocol_list_error_count(list) ? bm_protocol_list_error(list, 0) : "");
		bm_protocol_list_free(list);
		return -1;
	}
	struct bm_guided *g = calloc(1, sizeof *g);
	if (!g) {
		bm_protocol_list_free(list);
		snprintf(msg, msg_len, "out of memory");
		return -1;
	}
	g->proto = *p;
	bm_protocol_list_free(list);
	bm_runner_params_default(&rp);
	if (mvic)
		rp.mvic = *mvic;
	rp.zone.injured = anchor_injured;
	if (bm_runner_new(&g->proto, &rp, &g->run) != BM_RUNNER_OK) {
		free(g);
		snprintf(msg, msg_len, "cannot run protocol '%s'", key);
		return -1;
	}
	g->source_was_live = 1;
	*out = g;
	return 0;
}

void bm_guided_free(struct bm_guided *g)
{
	if (!g)
		return;
	bm_runner_free(g->run);
	free(g);
}

const char *bm_guided_name(const struct bm_guided *g)
{
	return g->proto.name;
}

const char *bm_guided_id(const struct bm_guided *g)
{
	return g->proto.id;
}

void bm_guided_frame(struct bm_guided *g, struct bm_monitor *m, const struct bm_monitor_state *ms,
                     int source_live)
{
	struct bm_event ev;
	double t = ms->now_s;

	if (!ms->samples || !isfinite(t))
		return;
	if (!g->started) {
		bm_runner_start(g->run, t);
		g->started = 1;
	}
	if (source_live != g->source_was_live) {
		if (source_live)
			bm_runner_source_back(g->run, t);
		else
			bm_runner_source_lost(g->run, t);
		g->source_was_live = source_live;
	}
	/* Efforts that began: a leg became loaded. */
	for (int leg = 0; leg < 2; leg++) {
		int loaded = isfinite(ms->loaded_since_s[leg]);
		if (loaded && !g->loaded[leg])
			bm_runner_effort_begin(g->run, leg ? BM_SIDE_RIGHT : BM_SIDE_LEFT,
			                       ms->loaded_since_s[leg]);
		g->loaded[leg] = loaded;
	}
	/* Efforts that ended, as the live chain measured them. */
	while (bm_monitor_next_effort(m, &ev))
		bm_runner_effort_end(g->run, ev.leg, ev.kind == BM_EVENT_HOLD ? BM_EFFORT_HOLD : BM_EFFORT_REP,
		                     ev.start_s, ev.end_s, ev.peak_above_rest_n, ev.mean_above_rest_n);
	if (t > g->last_t) {
		double above[2];
		for (int leg = 0; leg < 2; leg++)
			above[leg] = isfinite(ms->force_n[leg]) && isfinite(ms->rest_n[leg])
			                 ? ms->force_n[leg] - ms->rest_n[leg] : NAN;
		bm_runner_tick(g->run, t, above);
		g->last_t = t;
	}
}

void bm_guided_view(const struct bm_guided *g, struct bm_runner_view *out)
{
	bm_runner_view(g->run, out);
}

int bm_guided_next_line(struct bm_guided *g, char *buf, size_t len)
{
	return bm_runner_next_line(g->run, buf, len);
}

int bm_guided_next_cue(struct bm_guided *g, enum bm_run_cue *cue)
{
	return bm_runner_next_cue(g->run, cue);
}

int bm_guided_skip(struct bm_guided *g, char *msg, size_t len)
{
	if (bm_runner_skip(g->run) == BM_RUNNER_OK) {
		snprintf(msg, len, "set skipped");
		return 0;
	}
	snprintf(msg, len, "no set to skip now");
	return -1;
}

int bm_guided_repeat(struct bm_guided *g, char *msg, size_t len)
{
	if (bm_runner_repeat(g->run) == BM_RUNNER_OK) {
		snprintf(msg, len, "the last set will be repeated");
		return 0;
	}
	snprintf(msg, len, "no set to repeat now");
	return -1;
}

int bm_guided_abandon(struct bm_guided *g)
{
	return bm_runner_abandon(g->run) == BM_RUNNER_OK ? 0 : -1;
}

int bm_guided_over(const struct bm_guided *g)
{
	struct bm_runner_view v;
	bm_runner_view(g->run, &v);
	return v.state == BM_RUN_FINISHED || v.state == BM_RUN_ABANDONED;
}

size_t bm_guided_summary_text(const struct bm_guided *g, char *out, size_t cap)
{
	struct bm_run_summary s;
	bm_runner_summary(g->run, &s);
	return bm_runner_format_summary(&s, out, cap);
}

int bm_guided_mvic(const struct bm_guided *g, double epoch_s, struct bm_mvic *out)
{
	int any = 0;
	for (size_t i = 0; i < g->proto.n_sets; i++)
		any |= g->proto.sets[i].kind == BM_SET_MVIC;
	if (!any || bm_runner_mvic(g->run, epoch_s, out) != BM_RUNNER_OK)
		return -1;
	for (int leg = 0; leg < 2; leg++)
		if (isfinite(out->single_n[leg]) || isfinite(out->both_n[leg]))
			return 0;
	return -1;
}
