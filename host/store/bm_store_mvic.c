/*
 * bm_store_mvic.c - maximal voluntary isometric contraction results, and
 * the question a physiotherapist asks of them: what is the athlete's
 * current best, per leg and mode?
 *
 * "Current" is the latest test date: an MVIC test is several attempts in
 * one sitting, so the answer is the best attempt of the last day on which
 * that leg and mode were tested, not the best ever (strength lost after a
 * re-injury must show) and not the very last attempt (which may be a
 * tired one).  The day is the local calendar day; it is worked out here
 * rather than in SQL, where the two engines' date functions differ.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bm_store_priv.h"

#define MVIC_COLS "id, athlete_id, epoch_s, leg, mode, force_n, station, recording"

int bm_store_mvic_add(struct bm_store *st, const struct bm_store_mvic *m,
                      int64_t *id_out)
{
	if (id_out)
		*id_out = 0;
	if (!st || !m)
		return BM_STORE_ERR_ARG;
	int rc = bm_store_need_version(st, 2, "MVIC results");
	const char *leg = bm_store_side_name(m->leg);
	const char *mode = bm_store_mvic_mode_name(m->mode);
	if (rc == BM_STORE_OK && (!leg || m->leg == BM_STORE_SIDE_NONE))
		rc = bm_store_fail(st, BM_STORE_ERR_ARG, "%s: MVIC leg %d is not "
		                   "left/right/both", st->where, (int)m->leg);
	if (rc == BM_STORE_OK && !mode)
		rc = bm_store_fail(st, BM_STORE_ERR_ARG, "%s: MVIC mode %d is not "
		                   "single_leg/both_legs", st->where, (int)m->mode);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_real(st, "MVIC force_n", m->force_n, -1e6, 1e6, 0);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_key(st, m->station, m->recording, 1);
	if (rc < 0)
		return rc;
	struct bm_val v[7] = {
		bm_val_int(m->athlete_id), bm_val_int(m->epoch_s), bm_val_text(leg),
		bm_val_text(mode), bm_val_real(m->force_n), bm_val_text(m->station),
		bm_val_text(m->recording),
	};
	int64_t id = 0;
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = bm_store_query_int(st, "INSERT INTO mvic_results (athlete_id, "
		                        "epoch_s, leg, mode, force_n, station, "
		                        "recording) VALUES (?, ?, ?, ?, ?, ?, ?) "
		                        "RETURNING id", v, 7, &id, NULL);
	if (rc == BM_STORE_ERR_NOT_FOUND)
		rc = bm_store_fail(st, rc, "%s has no athlete with id %lld (MVIC "
		                   "result not saved)", st->where,
		                   (long long)m->athlete_id);
	if (rc == BM_STORE_OK && id_out)
		*id_out = id;
	return bm_store_call_end(st, rc);
}

void bm_store_mvics_free(struct bm_store_mvics *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++) {
		free((char *)list->items[i].station);
		free((char *)list->items[i].recording);
	}
	free(list->items);
	free(list);
}

/* The list of every result, without the call bracket. */
static int list_all(struct bm_store *st, int64_t athlete_id,
                    struct bm_store_mvics **out)
{
	struct bm_store_mvics *list = calloc(1, sizeof *list);
	if (!list)
		return bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory",
		                     st->where);
	const struct bm_store_engine *e = st->eng;
	struct bm_val p = bm_val_int(athlete_id);
	struct bm_rows *r = NULL;
	size_t cap = 0;
	int rc = e->query(st, "SELECT " MVIC_COLS " FROM mvic_results "
	                  "WHERE athlete_id = ? ORDER BY epoch_s, id", &p, 1, &r);
	while (rc == BM_STORE_OK && (rc = e->step(r)) > 0) {
		rc = bm_store_grow(st, (void **)&list->items, &cap, list->count,
		                   sizeof *list->items);
		if (rc < 0)
			break;
		struct bm_store_mvic *x = &list->items[list->count++];
		int ok = 1;
		memset(x, 0, sizeof *x);
		x->id = e->get_int(r, 0);
		x->athlete_id = e->get_int(r, 1);
		x->epoch_s = e->get_int(r, 2);
		int bad = bm_store_side_parse(e->get_text(r, 3), &x->leg) < 0 ||
		          bm_store_mvic_mode_parse(e->get_text(r, 4), &x->mode) < 0;
		x->force_n = e->get_real(r, 5);
		x->station = bm_store_strdup(e->get_text(r, 6), &ok);
		x->recording = bm_store_strdup(e->get_text(r, 7), &ok);
		if (!ok)
			rc = bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory",
			                   st->where);
		else if (bad)
			rc = bm_store_fail(st, BM_STORE_ERR_CORRUPT, "%s is damaged: MVIC "
			                   "result %lld has a bad leg or mode", st->where,
			                   (long long)x->id);
	}
	if (r)
		e->finish(r);
	if (rc < 0) {
		bm_store_mvics_free(list);
		return rc;
	}
	*out = list;
	return BM_STORE_OK;
}

int bm_store_mvic_list(struct bm_store *st, int64_t athlete_id,
                       struct bm_store_mvics **out)
{
	if (out)
		*out = NULL;
	if (!st || !out)
		return BM_STORE_ERR_ARG;
	int rc = bm_store_need_version(st, 2, "MVIC results");
	if (rc < 0)
		return rc;
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = list_all(st, athlete_id, out);
	return bm_store_call_end(st, rc);
}

/* The local calendar day of an epoch time, as one comparable number. */
static long local_day(int64_t epoch_s)
{
	time_t t = (time_t)epoch_s;
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return (long)(epoch_s / 86400);
	return (long)tm.tm_year * 1000 + tm.tm_yday;
}

int bm_store_mvic_best_latest(struct bm_store *st, int64_t athlete_id,
                              struct bm_store_mvics **out)
{
	static const enum bm_store_side legs[] = {
		BM_STORE_SIDE_LEFT, BM_STORE_SIDE_RIGHT, BM_STORE_SIDE_BOTH,
	};
	static const enum bm_store_mvic_mode modes[] = {
		BM_STORE_MVIC_SINGLE_LEG, BM_STORE_MVIC_BOTH_LEGS,
	};
	struct bm_store_mvics *all = NULL;
	int rc = bm_store_mvic_list(st, athlete_id, &all);
	if (rc < 0)
		return rc;
	/* Keep the chosen rows in place at the front of the list; the rest
	 * is freed.  Rows are in time order, so within a (leg, mode) the last
	 * one gives the latest day. */
	size_t kept = 0;
	for (size_t m = 0; m < 2; m++) {
		for (size_t l = 0; l < 3; l++) {
			long day = 0;
			int any = 0;
			for (size_t i = 0; i < all->count; i++) {
				const struct bm_store_mvic *x = &all->items[i];
				if (x->leg == legs[l] && x->mode == modes[m]) {
					day = local_day(x->epoch_s);
					any = 1;
				}
			}
			if (!any)
				continue;
			size_t best = all->count;
			for (size_t i = kept; i < all->count; i++) {
				const struct bm_store_mvic *x = &all->items[i];
				if (x->leg != legs[l] || x->mode != modes[m] ||
				    local_day(x->epoch_s) != day)
					continue;
				if (best == all->count || x->force_n > all->items[best].force_n)
					best = i;
			}
			/* Move the winner to position kept, keeping the order of
			 * the others (later (leg, mode) groups scan from kept on). */
			struct bm_store_mvic win = all->items[best];
			memmove(&all->items[kept + 1], &all->items[kept],
			        (best - kept) * sizeof win);
			all->items[kept++] = win;
		}
	}
	for (size_t i = kept; i < all->count; i++) {
		free((char *)all->items[i].station);
		free((char *)all->items[i].recording);
	}
	all->count = kept;
	*out = all;
	return BM_STORE_OK;
}
