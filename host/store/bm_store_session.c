/*
 * bm_store_session.c - sessions (one row per recording) and their efforts.
 *
 * A session's key is (station, recording): the machine that recorded it and
 * the CSV's file name.  Saving is an upsert on that key, so a rebuild from
 * the CSV files, or a station uploading again after the server was away,
 * lands on the same row with the same values and the same id.  The history
 * query (an athlete's sessions by start time) is served by the index
 * (athlete_id, started_epoch_s) and leaves the analysis JSON, which may be
 * large, behind unless asked for.
 *
 * Efforts (holds and reps, for within-session typical error) are replaced
 * as a whole in one transaction: delete the session's rows, insert the new
 * ones in multi-row INSERTs of a few dozen rows, which keeps round trips to
 * a PostgreSQL server few.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_store_priv.h"

/* ---- sessions ---- */

#define SESSION_NCOLS 27 /* without id */

#define SESSION_COLS_BUT_JSON \
	"station, recording, athlete_id, started_epoch_s, duration_s, " \
	"exercise, knee_angle_deg, hip_angle_deg, protocol, notes, demo, " \
	"pain_before, pain_after, sample_rate_hz, " \
	"left_best_hold_n, left_mean_hold_n, left_impulse_ns, " \
	"left_hold_time_s, left_reps, " \
	"right_best_hold_n, right_mean_hold_n, right_impulse_ns, " \
	"right_hold_time_s, right_reps, lsi_peak_pct, lsi_impulse_pct"

#define SESSION_SELECT_JSON \
	"SELECT id, " SESSION_COLS_BUT_JSON ", summary_json FROM sessions "
#define SESSION_SELECT_NO_JSON \
	"SELECT id, " SESSION_COLS_BUT_JSON ", NULL FROM sessions "
#define SESSION_ORDER " ORDER BY started_epoch_s, station, recording"

static const char upsert_sql[] =
	"INSERT INTO sessions (" SESSION_COLS_BUT_JSON ", summary_json) VALUES ("
	"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	"?, ?, ?, ?) "
	"ON CONFLICT (station, recording) DO UPDATE SET "
	"athlete_id = excluded.athlete_id, "
	"started_epoch_s = excluded.started_epoch_s, "
	"duration_s = excluded.duration_s, exercise = excluded.exercise, "
	"knee_angle_deg = excluded.knee_angle_deg, "
	"hip_angle_deg = excluded.hip_angle_deg, protocol = excluded.protocol, "
	"notes = excluded.notes, demo = excluded.demo, "
	"pain_before = excluded.pain_before, pain_after = excluded.pain_after, "
	"sample_rate_hz = excluded.sample_rate_hz, "
	"left_best_hold_n = excluded.left_best_hold_n, "
	"left_mean_hold_n = excluded.left_mean_hold_n, "
	"left_impulse_ns = excluded.left_impulse_ns, "
	"left_hold_time_s = excluded.left_hold_time_s, "
	"left_reps = excluded.left_reps, "
	"right_best_hold_n = excluded.right_best_hold_n, "
	"right_mean_hold_n = excluded.right_mean_hold_n, "
	"right_impulse_ns = excluded.right_impulse_ns, "
	"right_hold_time_s = excluded.right_hold_time_s, "
	"right_reps = excluded.right_reps, "
	"lsi_peak_pct = excluded.lsi_peak_pct, "
	"lsi_impulse_pct = excluded.lsi_impulse_pct, "
	"summary_json = excluded.summary_json "
	"RETURNING id";

void bm_store_session_init(struct bm_store_session *s)
{
	memset(s, 0, sizeof *s);
	s->exercise = BM_STORE_EX_DOUBLE_LEG;
	s->duration_s = NAN;
	s->knee_angle_deg = s->hip_angle_deg = NAN;
	s->pain_before = s->pain_after = NAN;
	s->sample_rate_hz = NAN;
	for (int i = 0; i < 2; i++) {
		s->leg[i].best_hold_n = s->leg[i].mean_hold_n = NAN;
		s->leg[i].impulse_ns = s->leg[i].hold_time_s = NAN;
	}
	s->lsi_peak_pct = s->lsi_impulse_pct = NAN;
}

/* Largest plausible magnitude of any measured number: far beyond a force
 * plate, small enough to catch a stray DBL_MAX or an uninitialised value. */
#define BIG 1e12

static int check_leg(struct bm_store *st, const struct bm_store_leg *l,
                     const char *side)
{
	char what[48];
	int rc;
	snprintf(what, sizeof what, "%s best_hold_n", side);
	if ((rc = bm_store_check_real(st, what, l->best_hold_n, -BIG, BIG, 1)) < 0)
		return rc;
	snprintf(what, sizeof what, "%s mean_hold_n", side);
	if ((rc = bm_store_check_real(st, what, l->mean_hold_n, -BIG, BIG, 1)) < 0)
		return rc;
	snprintf(what, sizeof what, "%s impulse_ns", side);
	if ((rc = bm_store_check_real(st, what, l->impulse_ns, -BIG, BIG, 1)) < 0)
		return rc;
	snprintf(what, sizeof what, "%s hold_time_s", side);
	if ((rc = bm_store_check_real(st, what, l->hold_time_s, 0, BIG, 1)) < 0)
		return rc;
	if (l->reps < 0)
		return bm_store_fail(st, BM_STORE_ERR_ARG, "%s: %s reps is %d, "
		                     "below 0", st->where, side, l->reps);
	return BM_STORE_OK;
}

static int check_session(struct bm_store *st, const struct bm_store_session *s)
{
	int rc = bm_store_check_key(st, s->station, s->recording, 0);
	if (rc == BM_STORE_OK && s->athlete_id < 0)
		rc = bm_store_fail(st, BM_STORE_ERR_ARG, "%s: athlete id %lld is "
		                   "negative", st->where, (long long)s->athlete_id);
	if (rc == BM_STORE_OK && !bm_store_exercise_name(s->exercise))
		rc = bm_store_fail(st, BM_STORE_ERR_ARG, "%s: exercise %d is not "
		                   "one of the five", st->where, (int)s->exercise);
	if (rc == BM_STORE_OK && s->demo != 0 && s->demo != 1)
		rc = bm_store_fail(st, BM_STORE_ERR_ARG, "%s: demo is %d, not 0 or 1",
		                   st->where, s->demo);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_real(st, "duration_s", s->duration_s, 0, BIG, 1);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_real(st, "knee_angle_deg", s->knee_angle_deg,
		                         -360, 360, 1);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_real(st, "hip_angle_deg", s->hip_angle_deg,
		                         -360, 360, 1);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_real(st, "pain_before", s->pain_before, 0, 10, 1);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_real(st, "pain_after", s->pain_after, 0, 10, 1);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_real(st, "sample_rate_hz", s->sample_rate_hz,
		                         1e-6, 1e9, 1);
	if (rc == BM_STORE_OK)
		rc = check_leg(st, &s->leg[BM_STORE_LEFT], "left");
	if (rc == BM_STORE_OK)
		rc = check_leg(st, &s->leg[BM_STORE_RIGHT], "right");
	if (rc == BM_STORE_OK)
		rc = bm_store_check_real(st, "lsi_peak_pct", s->lsi_peak_pct,
		                         -BIG, BIG, 1);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_real(st, "lsi_impulse_pct", s->lsi_impulse_pct,
		                         -BIG, BIG, 1);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_text(st, "protocol", s->protocol, 255,
		                         BM_TEXT_ONE_LINE);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_text(st, "notes", s->notes, 0, 0);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_text(st, "summary_json", s->summary_json, 0, 0);
	return rc;
}

int bm_store_session_upsert(struct bm_store *st,
                            const struct bm_store_session *s, int64_t *id_out)
{
	if (id_out)
		*id_out = 0;
	if (!st || !s)
		return BM_STORE_ERR_ARG;
	int rc = check_session(st, s);
	if (rc < 0)
		return rc;
	const struct bm_store_leg *l = &s->leg[BM_STORE_LEFT];
	const struct bm_store_leg *r = &s->leg[BM_STORE_RIGHT];
	struct bm_val p[SESSION_NCOLS] = {
		bm_val_text(s->station), bm_val_text(s->recording),
		s->athlete_id ? bm_val_int(s->athlete_id) : bm_val_null(),
		bm_val_int(s->started_epoch_s), bm_val_real(s->duration_s),
		bm_val_text(bm_store_exercise_name(s->exercise)),
		bm_val_real(s->knee_angle_deg), bm_val_real(s->hip_angle_deg),
		bm_val_text(s->protocol ? s->protocol : ""),
		bm_val_text(s->notes ? s->notes : ""), bm_val_int(s->demo),
		bm_val_real(s->pain_before), bm_val_real(s->pain_after),
		bm_val_real(s->sample_rate_hz),
		bm_val_real(l->best_hold_n), bm_val_real(l->mean_hold_n),
		bm_val_real(l->impulse_ns), bm_val_real(l->hold_time_s),
		bm_val_int(l->reps),
		bm_val_real(r->best_hold_n), bm_val_real(r->mean_hold_n),
		bm_val_real(r->impulse_ns), bm_val_real(r->hold_time_s),
		bm_val_int(r->reps),
		bm_val_real(s->lsi_peak_pct), bm_val_real(s->lsi_impulse_pct),
		bm_val_text(s->summary_json),
	};
	int64_t id = 0;
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = bm_store_query_int(st, upsert_sql, p, SESSION_NCOLS, &id, NULL);
	if (rc == BM_STORE_ERR_NOT_FOUND)
		rc = bm_store_fail(st, rc, "%s has no athlete with id %lld (session "
		                   "%s/%s not saved)", st->where,
		                   (long long)s->athlete_id, s->station, s->recording);
	if (rc == BM_STORE_OK && id_out)
		*id_out = id;
	return bm_store_call_end(st, rc);
}

int bm_store_session_exists(struct bm_store *st, const char *station,
                            const char *recording)
{
	if (!st)
		return BM_STORE_ERR_ARG;
	int rc = bm_store_check_key(st, station, recording, 0);
	if (rc < 0)
		return rc;
	struct bm_val p[2] = {bm_val_text(station), bm_val_text(recording)};
	int64_t n = 0;
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = bm_store_query_int(st, "SELECT count(*) FROM sessions "
		                        "WHERE station = ? AND recording = ?",
		                        p, 2, &n, NULL);
	return bm_store_call_end(st, rc < 0 ? rc : n > 0);
}

static void free_session_strings(struct bm_store_session *s)
{
	free((char *)s->station);
	free((char *)s->recording);
	free((char *)s->protocol);
	free((char *)s->notes);
	free((char *)s->summary_json);
}

void bm_store_sessions_free(struct bm_store_sessions *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		free_session_strings(&list->items[i]);
	free(list->items);
	free(list);
}

static int read_leg(struct bm_store *st, struct bm_rows *r, int col,
                    struct bm_store_leg *l)
{
	const struct bm_store_engine *e = st->eng;
	l->best_hold_n = e->get_real(r, col);
	l->mean_hold_n = e->get_real(r, col + 1);
	l->impulse_ns = e->get_real(r, col + 2);
	l->hold_time_s = e->get_real(r, col + 3);
	l->reps = (int)e->get_int(r, col + 4);
	return col + 5;
}

/* One row of SESSION_SELECT_* into @p s (strings copied). */
static int read_session(struct bm_store *st, struct bm_rows *r,
                        struct bm_store_session *s)
{
	const struct bm_store_engine *e = st->eng;
	int ok = 1;
	bm_store_session_init(s);
	s->id = e->get_int(r, 0);
	s->station = bm_store_strdup(e->get_text(r, 1), &ok);
	s->recording = bm_store_strdup(e->get_text(r, 2), &ok);
	s->athlete_id = e->is_null(r, 3) ? 0 : e->get_int(r, 3);
	s->started_epoch_s = e->get_int(r, 4);
	s->duration_s = e->get_real(r, 5);
	int bad = bm_store_exercise_parse(e->get_text(r, 6), &s->exercise) < 0;
	s->knee_angle_deg = e->get_real(r, 7);
	s->hip_angle_deg = e->get_real(r, 8);
	s->protocol = bm_store_strdup(e->get_text(r, 9), &ok);
	s->notes = bm_store_strdup(e->get_text(r, 10), &ok);
	s->demo = (int)e->get_int(r, 11);
	s->pain_before = e->get_real(r, 12);
	s->pain_after = e->get_real(r, 13);
	s->sample_rate_hz = e->get_real(r, 14);
	int col = read_leg(st, r, 15, &s->leg[BM_STORE_LEFT]);
	col = read_leg(st, r, col, &s->leg[BM_STORE_RIGHT]);
	s->lsi_peak_pct = e->get_real(r, col);
	s->lsi_impulse_pct = e->get_real(r, col + 1);
	s->summary_json = bm_store_strdup(e->get_text(r, col + 2), &ok);
	if (!ok)
		return bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory",
		                     st->where);
	if (bad || !s->station || !s->recording)
		return bm_store_fail(st, BM_STORE_ERR_CORRUPT,
		                     "%s is damaged: session %lld has a bad key or "
		                     "exercise", st->where, (long long)s->id);
	return BM_STORE_OK;
}

static int list_sessions(struct bm_store *st, const char *sql,
                         const struct bm_val *p, int n,
                         struct bm_store_sessions **out)
{
	struct bm_store_sessions *list = calloc(1, sizeof *list);
	if (!list)
		return bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory",
		                     st->where);
	size_t cap = 0;
	struct bm_rows *r = NULL;
	int rc = st->eng->query(st, sql, p, n, &r);
	while (rc == BM_STORE_OK && (rc = st->eng->step(r)) > 0) {
		rc = bm_store_grow(st, (void **)&list->items, &cap, list->count,
		                   sizeof *list->items);
		if (rc == BM_STORE_OK)
			rc = read_session(st, r, &list->items[list->count++]);
	}
	if (r)
		st->eng->finish(r);
	if (rc < 0) {
		bm_store_sessions_free(list);
		return rc;
	}
	*out = list;
	return BM_STORE_OK;
}

int bm_store_session_get(struct bm_store *st, const char *station,
                         const char *recording,
                         struct bm_store_sessions **out)
{
	if (out)
		*out = NULL;
	if (!st || !out)
		return BM_STORE_ERR_ARG;
	int rc = bm_store_check_key(st, station, recording, 0);
	if (rc < 0)
		return rc;
	struct bm_val p[2] = {bm_val_text(station), bm_val_text(recording)};
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = list_sessions(st, SESSION_SELECT_JSON
		                   "WHERE station = ? AND recording = ?", p, 2, out);
	if (rc == BM_STORE_OK && (*out)->count == 0) {
		bm_store_sessions_free(*out);
		*out = NULL;
		rc = bm_store_fail(st, BM_STORE_ERR_NOT_FOUND,
		                   "%s has no session %s/%s", st->where, station,
		                   recording);
	}
	return bm_store_call_end(st, rc);
}

int bm_store_session_list_athlete(struct bm_store *st, int64_t athlete_id,
                                  unsigned flags,
                                  struct bm_store_sessions **out)
{
	if (out)
		*out = NULL;
	if (!st || !out)
		return BM_STORE_ERR_ARG;
	struct bm_val p = bm_val_int(athlete_id);
	int rc = bm_store_call_begin(st);
	if (rc == BM_STORE_OK)
		rc = list_sessions(st, (flags & BM_STORE_WITH_JSON)
		                   ? SESSION_SELECT_JSON "WHERE athlete_id = ?" SESSION_ORDER
		                   : SESSION_SELECT_NO_JSON "WHERE athlete_id = ?" SESSION_ORDER,
		                   &p, 1, out);
	return bm_store_call_end(st, rc);
}

int bm_store_session_list_all(struct bm_store *st, unsigned flags,
                              struct bm_store_sessions **out)
{
	if (out)
		*out = NULL;
	if (!st || !out)
		return BM_STORE_ERR_ARG;
	int rc = bm_store_call_begin(st);
	if (rc == BM_STORE_OK)
		rc = list_sessions(st, (flags & BM_STORE_WITH_JSON)
		                   ? SESSION_SELECT_JSON SESSION_ORDER
		                   : SESSION_SELECT_NO_JSON SESSION_ORDER,
		                   NULL, 0, out);
	return bm_store_call_end(st, rc);
}

int bm_store_session_delete_all(struct bm_store *st)
{
	if (!st)
		return BM_STORE_ERR_ARG;
	int own = 0;
	int64_t n = 0;
	int rc = bm_store_call_begin(st);
	if (rc == BM_STORE_OK)
		rc = bm_store_work_begin(st, &own);
	if (rc == BM_STORE_OK)
		rc = bm_store_query_int(st, "SELECT count(*) FROM sessions", NULL, 0,
		                        &n, NULL);
	/* Efforts go with their sessions (ON DELETE CASCADE), but are deleted
	 * explicitly: the rule should not hang on a pragma being set. */
	if (rc == BM_STORE_OK && st->version >= 2)
		rc = st->eng->exec(st, "DELETE FROM efforts");
	if (rc == BM_STORE_OK && st->version >= 2)
		rc = st->eng->exec(st, "DELETE FROM mvic_results "
		                   "WHERE station IS NOT NULL");
	if (rc == BM_STORE_OK)
		rc = st->eng->exec(st, "DELETE FROM sessions");
	rc = bm_store_work_end(st, own, rc);
	return bm_store_call_end(st, rc < 0 ? rc : (int)n);
}

/* ---- efforts ---- */

#define EFFORT_NCOLS 12
#define EFFORT_BATCH 50 /* rows per INSERT */
#define EFFORT_COLS \
	"session_id, seq, leg, kind, start_s, end_s, peak_n, mean_n, " \
	"peak_above_rest_n, mean_above_rest_n, impulse_ns, single_leg"

static int check_effort(struct bm_store *st, const struct bm_store_effort *e,
                        size_t i)
{
	char what[64];
	int rc;
	if (e->leg != BM_STORE_LEFT && e->leg != BM_STORE_RIGHT)
		return bm_store_fail(st, BM_STORE_ERR_ARG, "%s: effort %zu: leg %d "
		                     "is not 0 (left) or 1 (right)", st->where, i, e->leg);
	if (e->kind != BM_STORE_EFFORT_HOLD && e->kind != BM_STORE_EFFORT_REP)
		return bm_store_fail(st, BM_STORE_ERR_ARG, "%s: effort %zu: kind %d "
		                     "is not hold or rep", st->where, i, (int)e->kind);
	if (e->single_leg != 0 && e->single_leg != 1)
		return bm_store_fail(st, BM_STORE_ERR_ARG, "%s: effort %zu: "
		                     "single_leg is %d, not 0 or 1", st->where, i,
		                     e->single_leg);
	snprintf(what, sizeof what, "effort %zu start_s", i);
	if ((rc = bm_store_check_real(st, what, e->start_s, -BIG, BIG, 0)) < 0)
		return rc;
	snprintf(what, sizeof what, "effort %zu end_s", i);
	if ((rc = bm_store_check_real(st, what, e->end_s, e->start_s, BIG, 0)) < 0)
		return rc;
	const double v[5] = {e->peak_n, e->mean_n, e->peak_above_rest_n,
	                     e->mean_above_rest_n, e->impulse_ns};
	for (int k = 0; k < 5; k++) {
		snprintf(what, sizeof what, "effort %zu force or impulse", i);
		if ((rc = bm_store_check_real(st, what, v[k], -BIG, BIG, 1)) < 0)
			return rc;
	}
	return BM_STORE_OK;
}

/* INSERT of @p rows efforts from @p first on, as one statement. */
static int insert_efforts(struct bm_store *st, int64_t session_id,
                          const struct bm_store_effort *efforts, size_t first,
                          size_t rows, struct bm_val *p, char *sql)
{
	static const char group[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char *w = sql + sprintf(sql, "INSERT INTO efforts (" EFFORT_COLS ") VALUES ");
	int n = 0;
	for (size_t i = 0; i < rows; i++) {
		const struct bm_store_effort *e = &efforts[first + i];
		w += sprintf(w, "%s%s", i ? ", " : "", group);
		p[n++] = bm_val_int(session_id);
		p[n++] = bm_val_int((int64_t)(first + i));
		p[n++] = bm_val_int(e->leg);
		p[n++] = bm_val_text(e->kind == BM_STORE_EFFORT_HOLD ? "hold" : "rep");
		p[n++] = bm_val_real(e->start_s);
		p[n++] = bm_val_real(e->end_s);
		p[n++] = bm_val_real(e->peak_n);
		p[n++] = bm_val_real(e->mean_n);
		p[n++] = bm_val_real(e->peak_above_rest_n);
		p[n++] = bm_val_real(e->mean_above_rest_n);
		p[n++] = bm_val_real(e->impulse_ns);
		p[n++] = bm_val_int(e->single_leg);
	}
	return bm_store_run(st, sql, p, n);
}

int bm_store_effort_replace(struct bm_store *st, int64_t session_id,
                            const struct bm_store_effort *efforts, size_t n)
{
	if (!st || (n > 0 && !efforts))
		return BM_STORE_ERR_ARG;
	int rc = bm_store_need_version(st, 2, "efforts");
	for (size_t i = 0; rc == BM_STORE_OK && i < n; i++)
		rc = check_effort(st, &efforts[i], i);
	if (rc < 0)
		return rc;
	struct bm_val p[EFFORT_BATCH * EFFORT_NCOLS];
	char sql[128 + EFFORT_BATCH * 40];
	struct bm_val id = bm_val_int(session_id);
	int64_t count = 0;
	int own = 0;
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = bm_store_work_begin(st, &own);
	if (rc == BM_STORE_OK)
		rc = bm_store_query_int(st, "SELECT count(*) FROM sessions WHERE id = ?",
		                        &id, 1, &count, NULL);
	if (rc == BM_STORE_OK && count == 0)
		rc = bm_store_fail(st, BM_STORE_ERR_NOT_FOUND,
		                   "%s has no session with id %lld", st->where,
		                   (long long)session_id);
	if (rc == BM_STORE_OK)
		rc = bm_store_run(st, "DELETE FROM efforts WHERE session_id = ?", &id, 1);
	for (size_t i = 0; rc == BM_STORE_OK && i < n; i += EFFORT_BATCH) {
		size_t rows = n - i < EFFORT_BATCH ? n - i : EFFORT_BATCH;
		rc = insert_efforts(st, session_id, efforts, i, rows, p, sql);
	}
	rc = bm_store_work_end(st, own, rc);
	return bm_store_call_end(st, rc);
}

/* The efforts @p sql selects (EFFORT_COLS, in that order) with its one
 * parameter @p p. */
static int list_efforts(struct bm_store *st, const char *sql, struct bm_val p,
                        int with_ids, struct bm_store_efforts **out)
{
	if (out)
		*out = NULL;
	if (!st || !out)
		return BM_STORE_ERR_ARG;
	int rc = bm_store_need_version(st, 2, "efforts");
	if (rc < 0)
		return rc;
	struct bm_store_efforts *list = calloc(1, sizeof *list);
	if (!list)
		return bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory",
		                     st->where);
	const struct bm_store_engine *e = st->eng;
	struct bm_rows *r = NULL;
	size_t cap = 0, id_cap = 0;
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = e->query(st, sql, &p, 1, &r);
	while (rc == BM_STORE_OK && (rc = e->step(r)) > 0) {
		rc = bm_store_grow(st, (void **)&list->items, &cap, list->count,
		                   sizeof *list->items);
		if (rc == BM_STORE_OK && with_ids)
			rc = bm_store_grow(st, (void **)&list->session_ids, &id_cap,
			                   list->count, sizeof *list->session_ids);
		if (rc < 0)
			break;
		if (with_ids)
			list->session_ids[list->count] = e->get_int(r, 0);
		struct bm_store_effort *f = &list->items[list->count++];
		const char *kind = e->get_text(r, 3);
		f->leg = (int)e->get_int(r, 2);
		f->kind = (kind && strcmp(kind, "rep") == 0) ? BM_STORE_EFFORT_REP
		                                             : BM_STORE_EFFORT_HOLD;
		f->start_s = e->get_real(r, 4);
		f->end_s = e->get_real(r, 5);
		f->peak_n = e->get_real(r, 6);
		f->mean_n = e->get_real(r, 7);
		f->peak_above_rest_n = e->get_real(r, 8);
		f->mean_above_rest_n = e->get_real(r, 9);
		f->impulse_ns = e->get_real(r, 10);
		f->single_leg = (int)e->get_int(r, 11);
	}
	if (r)
		e->finish(r);
	if (rc < 0) {
		bm_store_efforts_free(list);
		return bm_store_call_end(st, rc);
	}
	*out = list;
	return bm_store_call_end(st, BM_STORE_OK);
}

int bm_store_effort_list(struct bm_store *st, int64_t session_id,
                         struct bm_store_efforts **out)
{
	return list_efforts(st, "SELECT " EFFORT_COLS " FROM efforts "
	                    "WHERE session_id = ? ORDER BY seq", bm_val_int(session_id), 0, out);
}

/* One query for the whole history: a thousand sessions' efforts in one
 * round trip instead of a thousand, read in the primary key's order (no
 * sort). */
int bm_store_effort_list_athlete(struct bm_store *st, int64_t athlete_id,
                                 struct bm_store_efforts **out)
{
	return list_efforts(st, "SELECT " EFFORT_COLS " FROM efforts "
	                    "WHERE session_id IN (SELECT id FROM sessions WHERE athlete_id = ?) "
	                    "ORDER BY session_id, seq", bm_val_int(athlete_id), 1, out);
}

void bm_store_efforts_free(struct bm_store_efforts *list)
{
	if (!list)
		return;
	free(list->session_ids);
	free(list->items);
	free(list);
}
