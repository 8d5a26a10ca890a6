/* bm_athlete_ctx.c - a live session's athlete in the store; the idea is in
 * bm_athlete_ctx.h. */
#include "bm_athlete_ctx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bm_store.h"

struct bm_athlete_ctx {
	char name[128];
	struct bm_store *st;       /* NULL: no store */
	struct bm_store_athlete a;
	char station[64];
};

int bm_athlete_ctx_open(const char *db, const char *name, struct bm_athlete_ctx **out, char *msg,
                        size_t msg_len)
{
	struct bm_athlete_ctx *c = calloc(1, sizeof *c);
	*out = NULL;
	msg[0] = '\0';
	if (!c)
		return -1;
	snprintf(c->name, sizeof c->name, "%s", name);
	if (gethostname(c->station, sizeof c->station) != 0 || !c->station[0])
		snprintf(c->station, sizeof c->station, "station");
	c->station[sizeof c->station - 1] = '\0';
	*out = c;
	if (bm_store_open(db, &c->st, msg, msg_len) != BM_STORE_OK) {
		c->st = NULL;
		return 1;
	}
	if (bm_store_athlete_get_or_create(c->st, name, &c->a, NULL) != BM_STORE_OK) {
		snprintf(msg, msg_len, "%s", bm_store_errmsg(c->st));
		bm_store_close(c->st);
		c->st = NULL;
		return 1;
	}
	return 0;
}

void bm_athlete_ctx_free(struct bm_athlete_ctx *c)
{
	if (!c)
		return;
	bm_store_close(c->st);
	free(c);
}

const char *bm_athlete_ctx_name(const struct bm_athlete_ctx *c)
{
	return c->st ? c->a.name : c->name;
}

struct bm_store *bm_athlete_ctx_store(const struct bm_athlete_ctx *c)
{
	return c->st;
}

const struct bm_store_athlete *bm_athlete_ctx_row(const struct bm_athlete_ctx *c)
{
	return c->st ? &c->a : NULL;
}

void bm_athlete_ctx_mvic(const struct bm_athlete_ctx *c, struct bm_mvic *out)
{
	struct bm_store_mvics *list = NULL;
	bm_mvic_init(out);
	if (!c->st || bm_store_mvic_best_latest(c->st, c->a.id, &list) != BM_STORE_OK)
		return;
	for (size_t i = 0; i < list->count; i++) {
		const struct bm_store_mvic *x = &list->items[i];
		int leg = x->leg == BM_STORE_SIDE_LEFT ? 0 : x->leg == BM_STORE_SIDE_RIGHT ? 1 : -1;
		if (leg < 0)
			continue;
		if (x->mode == BM_STORE_MVIC_SINGLE_LEG)
			out->single_n[leg] = x->force_n;
		else
			out->both_n[leg] = x->force_n;
		if (!(out->epoch_s >= (double)x->epoch_s))
			out->epoch_s = (double)x->epoch_s;
	}
	bm_store_mvics_free(list);
}

void bm_athlete_ctx_fill_meta(const struct bm_athlete_ctx *c, struct bm_meta_context *ctx)
{
	snprintf(ctx->athlete, sizeof ctx->athlete, "%s", c->st ? c->a.name : c->name);
	if (c->st) {
		snprintf(ctx->athlete_id, sizeof ctx->athlete_id, "%lld", (long long)c->a.id);
		snprintf(ctx->injured_side, sizeof ctx->injured_side, "%s",
		         bm_store_side_name(c->a.injured_side));
		ctx->body_mass_kg = c->a.body_mass_kg;
	}
}

int bm_athlete_ctx_add_pain(struct bm_athlete_ctx *c, double score, const char *when,
                            const char *recording, char *msg, size_t msg_len)
{
	struct bm_store_pain p = {0};
	if (!c->st) {
		snprintf(msg, msg_len, "no store: the pain score is kept in the recording only");
		return -1;
	}
	p.athlete_id = c->a.id;
	p.epoch_s = (int64_t)time(NULL);
	p.score = score;
	if (bm_store_pain_when_parse(when, &p.when) != BM_STORE_OK)
		return -1;
	p.station = recording ? c->station : NULL;
	p.recording = recording;
	if (bm_store_pain_add(c->st, &p, NULL) != BM_STORE_OK) {
		snprintf(msg, msg_len, "%s", bm_store_errmsg(c->st));
		return -1;
	}
	return 0;
}

int bm_athlete_ctx_add_mvic(struct bm_athlete_ctx *c, const struct bm_mvic *m,
                            const char *recording, char *msg, size_t msg_len)
{
	if (!c->st) {
		snprintf(msg, msg_len, "no store: the MVIC is kept in the recording only");
		return -1;
	}
	for (int mode = 0; mode < 2; mode++) {
		for (int leg = 0; leg < 2; leg++) {
			double f = mode ? m->both_n[leg] : m->single_n[leg];
			if (!isfinite(f))
				continue;
			struct bm_store_mvic x = {0};
			x.athlete_id = c->a.id;
			x.epoch_s = isfinite(m->epoch_s) ? (int64_t)m->epoch_s : (int64_t)time(NULL);
			x.leg = leg ? BM_STORE_SIDE_RIGHT : BM_STORE_SIDE_LEFT;
			x.mode = mode ? BM_STORE_MVIC_BOTH_LEGS : BM_STORE_MVIC_SINGLE_LEG;
			x.force_n = f;
			x.station = recording ? c->station : NULL;
			x.recording = recording;
			if (bm_store_mvic_add(c->st, &x, NULL) != BM_STORE_OK) {
				snprintf(msg, msg_len, "%s", bm_store_errmsg(c->st));
				return -1;
			}
		}
	}
	return 0;
}
