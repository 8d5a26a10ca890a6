/*
 * bm_store_pain.c - pain scores (0-10) an athlete gives before or after a
 * session, or the next morning.
 *
 * These are typed in by a person, so a rebuild from the CSV files never
 * deletes them; the program also appends them to a log file.  The session
 * key, when there is one, is kept as text (station, recording) rather than
 * a reference to a session row, because session rows are deleted and
 * recreated by a rebuild while the pain entry must outlive that.
 */
#include <stdlib.h>
#include <string.h>

#include "bm_store_priv.h"

#define PAIN_COLS "id, athlete_id, epoch_s, moment, score, station, recording"

int bm_store_pain_add(struct bm_store *st, const struct bm_store_pain *p,
                      int64_t *id_out)
{
	if (id_out)
		*id_out = 0;
	if (!st || !p)
		return BM_STORE_ERR_ARG;
	int rc = bm_store_need_version(st, 2, "pain entries");
	const char *when = bm_store_pain_when_name(p->when);
	if (rc == BM_STORE_OK && !when)
		rc = bm_store_fail(st, BM_STORE_ERR_ARG, "%s: pain entry: moment %d "
		                   "is not before/after/next_morning", st->where,
		                   (int)p->when);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_real(st, "pain score", p->score, 0, 10, 0);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_key(st, p->station, p->recording, 1);
	if (rc < 0)
		return rc;
	struct bm_val v[6] = {
		bm_val_int(p->athlete_id), bm_val_int(p->epoch_s), bm_val_text(when),
		bm_val_real(p->score), bm_val_text(p->station),
		bm_val_text(p->recording),
	};
	int64_t id = 0;
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = bm_store_query_int(st, "INSERT INTO pain_entries (athlete_id, "
		                        "epoch_s, moment, score, station, recording) "
		                        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		                        v, 6, &id, NULL);
	if (rc == BM_STORE_ERR_NOT_FOUND)
		rc = bm_store_fail(st, rc, "%s has no athlete with id %lld (pain "
		                   "entry not saved)", st->where,
		                   (long long)p->athlete_id);
	if (rc == BM_STORE_OK && id_out)
		*id_out = id;
	return bm_store_call_end(st, rc);
}

void bm_store_pains_free(struct bm_store_pains *list)
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

int bm_store_pain_list(struct bm_store *st, int64_t athlete_id,
                       struct bm_store_pains **out)
{
	if (out)
		*out = NULL;
	if (!st || !out)
		return BM_STORE_ERR_ARG;
	int rc = bm_store_need_version(st, 2, "pain entries");
	if (rc < 0)
		return rc;
	struct bm_store_pains *list = calloc(1, sizeof *list);
	if (!list)
		return bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory",
		                     st->where);
	const struct bm_store_engine *e = st->eng;
	struct bm_val p = bm_val_int(athlete_id);
	struct bm_rows *r = NULL;
	size_t cap = 0;
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = e->query(st, "SELECT " PAIN_COLS " FROM pain_entries "
		              "WHERE athlete_id = ? ORDER BY epoch_s, id", &p, 1, &r);
	while (rc == BM_STORE_OK && (rc = e->step(r)) > 0) {
		rc = bm_store_grow(st, (void **)&list->items, &cap, list->count,
		                   sizeof *list->items);
		if (rc < 0)
			break;
		struct bm_store_pain *x = &list->items[list->count++];
		int ok = 1;
		memset(x, 0, sizeof *x);
		x->id = e->get_int(r, 0);
		x->athlete_id = e->get_int(r, 1);
		x->epoch_s = e->get_int(r, 2);
		int bad = bm_store_pain_when_parse(e->get_text(r, 3), &x->when) < 0;
		x->score = e->get_real(r, 4);
		x->station = bm_store_strdup(e->get_text(r, 5), &ok);
		x->recording = bm_store_strdup(e->get_text(r, 6), &ok);
		if (!ok)
			rc = bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory",
			                   st->where);
		else if (bad)
			rc = bm_store_fail(st, BM_STORE_ERR_CORRUPT, "%s is damaged: pain "
			                   "entry %lld has a bad moment", st->where,
			                   (long long)x->id);
	}
	if (r)
		e->finish(r);
	if (rc < 0) {
		bm_store_pains_free(list);
		return bm_store_call_end(st, rc);
	}
	*out = list;
	return bm_store_call_end(st, BM_STORE_OK);
}
