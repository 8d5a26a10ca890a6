/* bm_pain_note.c - where a typed pain score goes; the idea is in
 * bm_pain_note.h. */
#include "bm_pain_note.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bm_dose.h"
#include "bm_meta.h"
#include "bm_painlog.h"
#include "bm_recording.h"

int bm_pain_note_keep(struct bm_store *st, const struct bm_store_athlete *a,
                      const struct bm_store_pain *p, const char *log, char *msg, size_t msg_len)
{
	char path[1000];
	struct bm_painlog_entry e;
	memset(&e, 0, sizeof e);
	e.epoch_s = p->epoch_s;
	e.when = p->when;
	e.score = p->score;
	snprintf(e.athlete, sizeof e.athlete, "%s", a->name);
	if (!log) {
		if (bm_painlog_path(path, sizeof path, msg, msg_len) != 0)
			return -1;
		log = path;
	}
	if (bm_painlog_append(log, &e, msg, msg_len) != BM_PAINLOG_OK)
		return -1;
	if (bm_store_pain_add(st, p, NULL) != BM_STORE_OK) {
		snprintf(msg, msg_len, "%s", bm_store_errmsg(st));
		return 1;
	}
	msg[0] = '\0';
	return 0;
}

/* The session day of a score: a next-morning score's is the day before. */
static void session_day(int64_t epoch_s, enum bm_store_pain_when when, char *out, size_t len)
{
	time_t t = (time_t)epoch_s - (when == BM_STORE_PAIN_NEXT_MORNING ? 86400 : 0);
	bm_records_date((double)t, out, len);
}

void bm_pain_note_day_scores(struct bm_store *st, int64_t athlete_id, int64_t epoch_s,
                             enum bm_store_pain_when when, double s[3], char *day_out)
{
	struct bm_store_pains *p = NULL;
	struct bm_store_sessions *ss = NULL;
	char day[16], d[16];
	s[0] = s[1] = s[2] = NAN;
	session_day(epoch_s, when, day, sizeof day);
	if (day_out)
		snprintf(day_out, 16, "%s", day);
	if (bm_store_session_list_athlete(st, athlete_id, 0, &ss) == BM_STORE_OK) {
		for (size_t i = 0; i < ss->count; i++) {
			bm_records_date((double)ss->items[i].started_epoch_s, d, sizeof d);
			if (strcmp(d, day) != 0)
				continue;
			if (isfinite(ss->items[i].pain_before))
				s[BM_STORE_PAIN_BEFORE] = ss->items[i].pain_before;
			if (isfinite(ss->items[i].pain_after))
				s[BM_STORE_PAIN_AFTER] = ss->items[i].pain_after;
		}
	}
	bm_store_sessions_free(ss);
	if (bm_store_pain_list(st, athlete_id, &p) != BM_STORE_OK)
		return;
	for (size_t i = 0; i < p->count; i++) {
		const struct bm_store_pain *e = &p->items[i];
		session_day(e->epoch_s, e->when, d, sizeof d);
		if (!strcmp(d, day) && (unsigned)e->when < 3)
			s[e->when] = e->score;
	}
	bm_store_pains_free(p);
}

/* Noon of the day after the one @p epoch_s falls on, local time. */
static int64_t noon_after(int64_t epoch_s)
{
	time_t t = (time_t)epoch_s;
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_mday += 1;
	tm.tm_hour = 12;
	tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int bm_pain_note_morning_due(struct bm_store *st, int64_t athlete_id, double now_epoch_s,
                             struct bm_pain_morning *out)
{
	struct bm_store_sessions *ss = NULL;
	struct bm_store_pains *p = NULL;
	const struct bm_store_session *last = NULL;
	long today, day;
	char sday[16], d[16];

	memset(out, 0, sizeof *out);
	int rc = bm_store_session_list_athlete(st, athlete_id, 0, &ss);
	if (rc != BM_STORE_OK)
		return rc;
	for (size_t i = 0; i < ss->count; i++)
		if (!ss->items[i].demo && (!last || ss->items[i].started_epoch_s >= last->started_epoch_s))
			last = &ss->items[i];
	int due = last && bm_dose_local_day(now_epoch_s, &today) == BM_DOSE_OK &&
	          bm_dose_local_day((double)last->started_epoch_s, &day) == BM_DOSE_OK &&
	          day < today && today - day <= BM_PAIN_NOTE_MORNING_DAYS;
	if (due) {
		out->session_epoch_s = last->started_epoch_s;
		out->days_ago = (int)(today - day);
		snprintf(out->station, sizeof out->station, "%s", last->station ? last->station : "");
		snprintf(out->recording, sizeof out->recording, "%s",
		         last->recording ? last->recording : "");
		bm_records_date((double)last->started_epoch_s, sday, sizeof sday);
		if (out->days_ago == 1)
			snprintf(out->label, sizeof out->label, "yesterday's session");
		else
			snprintf(out->label, sizeof out->label, "the session of %s", sday);
		out->score_epoch_s = out->days_ago == 1 ? (int64_t)now_epoch_s
		                                        : noon_after(last->started_epoch_s);
	}
	bm_store_sessions_free(ss);
	if (!due)
		return 0;
	if ((rc = bm_store_pain_list(st, athlete_id, &p)) != BM_STORE_OK)
		return rc;
	for (size_t i = 0; i < p->count && due; i++) {
		const struct bm_store_pain *e = &p->items[i];
		if (e->when != BM_STORE_PAIN_NEXT_MORNING)
			continue;
		int keyed = e->station && e->recording && !strcmp(e->station, out->station) &&
		            !strcmp(e->recording, out->recording);
		session_day(e->epoch_s, e->when, d, sizeof d);
		due = !keyed && strcmp(d, sday) != 0;
	}
	bm_store_pains_free(p);
	return due;
}

int bm_pain_note_sidecar(const char *csv_path, double before, double after, char *msg,
                         size_t msg_len)
{
	char path[1100];
	struct bm_meta m;
	bm_meta_path(csv_path, path, sizeof path);
	int rc = bm_meta_read(path, &m, msg, msg_len);
	if (rc == BM_META_NOT_FOUND)
		snprintf(msg, msg_len, "%s: no sidecar to keep the pain score in", path);
	if (rc != BM_META_OK)
		return -1;
	if (!isnan(before))
		m.ctx.pain_before = before;
	if (!isnan(after))
		m.ctx.pain_after = after;
	rc = bm_meta_write(path, &m, msg, msg_len);
	bm_meta_free(&m);
	return rc == BM_META_OK ? 0 : -1;
}
