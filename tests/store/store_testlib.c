/*
 * store_testlib.c - the helpers of store_test.h: the engine under test,
 * fresh databases, raw SQL beside the library, generated data, comparison.
 */
#include <libpq-fe.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_test.h"

static enum store_target target_now = TARGET_SQLITE;
static char tmpdir[64];

void store_test_init(enum store_target target)
{
	target_now = target;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/bm_store_test_XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(EXIT_FAILURE);
	}
}

void store_test_done(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

enum store_target store_target(void) { return target_now; }
const char *store_tmpdir(void) { return tmpdir; }

double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- raw access ---- */

static int is_pg(const char *where)
{
	return strncmp(where, "postgres", 8) == 0;
}

/* libpq wants the URI as is, or the key=value string after "postgresql:". */
static const char *pg_conninfo(const char *where)
{
	if (strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0)
		return where;
	return where + strlen("postgresql:");
}

static const char *sqlite_path(const char *where)
{
	return strncmp(where, "sqlite:", 7) == 0 ? where + 7 : where;
}

static PGconn *pg_connect(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);
	ck_assert_msg(c && PQstatus(c) == CONNECTION_OK,
	              "raw connection to %s: expected OK, got %s", conninfo,
	              c ? PQerrorMessage(c) : "no memory");
	return c;
}

void raw_exec(const char *where, const char *sql)
{
	if (is_pg(where)) {
		PGconn *c = pg_connect(pg_conninfo(where));
		PGresult *r = PQexec(c, sql);
		ExecStatusType s = PQresultStatus(r);
		ck_assert_msg(s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK,
		              "raw SQL \"%s\": expected success, got %s", sql,
		              PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		return;
	}
	sqlite3 *db = NULL;
	int rc = sqlite3_open(sqlite_path(where), &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	ck_assert_msg(rc == SQLITE_OK, "raw SQL \"%s\" on %s: expected OK, got %s",
	              sql, where, sqlite3_errmsg(db));
	sqlite3_close(db);
}

long long raw_int(const char *where, const char *sql)
{
	long long v = 0;
	if (is_pg(where)) {
		PGconn *c = pg_connect(pg_conninfo(where));
		PGresult *r = PQexec(c, sql);
		ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1,
		              "raw SQL \"%s\": expected one row, got %s", sql,
		              PQerrorMessage(c));
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		PQfinish(c);
		return v;
	}
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_open(sqlite_path(where), &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	ck_assert_msg(rc == SQLITE_ROW, "raw SQL \"%s\" on %s: expected a row, "
	              "got %s", sql, where, sqlite3_errmsg(db));
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* ---- fresh databases ---- */

const char *store_fresh_on(enum store_target target)
{
	static char where[512];
	static int counter;
	counter++;
	if (target == TARGET_SQLITE) {
		snprintf(where, sizeof where, "%s/t%d_%d.db", tmpdir, (int)getpid(),
		         counter);
		return where;
	}
	const char *dir = getenv("BM_PG_SOCKET_DIR");
	ck_assert_msg(dir != NULL, "expected BM_PG_SOCKET_DIR from with_pg.sh, "
	              "got none");
	char admin[300], sql[128], name[64];
	snprintf(name, sizeof name, "bmt_%d_%d", (int)getpid(), counter);
	snprintf(admin, sizeof admin, "host=%s user=bm dbname=postgres", dir);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	PGconn *c = pg_connect(admin);
	PGresult *r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK,
	              "%s: expected success, got %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	snprintf(where, sizeof where, "postgresql://bm@/%s?host=%s", name, dir);
	return where;
}

const char *store_fresh(void)
{
	return store_fresh_on(target_now);
}

/* ---- checks ---- */

void assert_one_line(const char *msg, const char *part, const char *secret)
{
	ck_assert_msg(msg && msg[0], "expected a message, got an empty one");
	ck_assert_msg(!strchr(msg, '\n') && !strchr(msg, '\r'),
	              "expected one line, got \"%s\"", msg);
	if (part)
		ck_assert_msg(strstr(msg, part) != NULL,
		              "expected the message to name \"%s\", got \"%s\"", part, msg);
	if (secret)
		ck_assert_msg(strstr(msg, secret) == NULL,
		              "expected no \"%s\" in the message, got \"%s\"", secret, msg);
}

struct bm_store *open_ok(const char *where, const struct bm_store_options *opt)
{
	struct bm_store *st = NULL;
	char msg[512];
	int rc = bm_store_open_with(where, opt, &st, msg, sizeof msg);
	ck_assert_msg(rc == BM_STORE_OK && st,
	              "open %s: expected BM_STORE_OK, got %s (%s)", where,
	              bm_store_result_name(rc), msg);
	return st;
}

/* ---- generated data ---- */

void gen_session(struct gen_session *g, int i, int64_t athlete_id,
                 const char *station)
{
	struct bm_store_session *s = &g->s;
	bm_store_session_init(s);
	snprintf(g->station, sizeof g->station, "%s", station);
	snprintf(g->recording, sizeof g->recording,
	         "2026-12-%02d_%03d O'Brien \"ü\" %s.csv", 1 + i % 28, i, station);
	snprintf(g->protocol, sizeof g->protocol, "%s",
	         i % 2 ? "" : "3x30 s \"slow\" hold");
	snprintf(g->notes, sizeof g->notes,
	         "note %d: it's fine;\nline 2 \xe2\x9c\x93 -- '); DROP TABLE sessions;", i);
	if (i % 4 == 3)
		g->json[0] = '\0';
	else
		snprintf(g->json, sizeof g->json,
		         "{\"i\": %d, \"who\": \"Zo\xc3\xab \\\"Z\\\"\", "
		         "\"path\": \"C:\\\\data\", \"pad\": \"%0*d\"}", i,
		         200 + i % 300, 0);
	s->station = g->station;
	s->recording = g->recording;
	s->athlete_id = athlete_id;
	/* Start times in a shuffled order of i. */
	s->started_epoch_s = 1790000000 + (int64_t)((i * 7919) % 1009) * 3600;
	s->duration_s = i % 7 == 3 ? NAN : 30.0 + i * 0.1;
	s->exercise = (enum bm_store_exercise)(i % 5);
	s->knee_angle_deg = i % 3 == 0 ? NAN : 90.0 + i / 3.0;
	s->hip_angle_deg = i % 4 == 0 ? NAN : 10.0 / (i + 1);
	s->protocol = g->protocol;
	s->notes = g->notes;
	s->demo = i % 2;
	s->pain_before = i % 6 == 0 ? NAN : (double)(i % 11);
	s->pain_after = i % 5 == 0 ? NAN : (i % 11) * 0.5;
	s->sample_rate_hz = i % 9 == 0 ? NAN : 80.0 - i * 1e-3;
	for (int leg = 0; leg < 2; leg++) {
		struct bm_store_leg *l = &s->leg[leg];
		double base = leg ? 187.0 : 203.0;
		l->best_hold_n = (i + leg) % 6 == 5 ? NAN : base + i * 1.234567891234;
		l->mean_hold_n = (i + leg) % 6 == 5 ? NAN : l->best_hold_n * 0.8;
		l->impulse_ns = 1e4 / 3.0 * (i + 1) + leg;
		l->hold_time_s = (i + leg) % 4 == 1 ? NAN : 30.0 + (i % 7);
		l->reps = (i + 3 * leg) % 13;
	}
	s->lsi_peak_pct = i % 10 == 0 ? NAN : 95.123456789 - i * 0.01;
	s->lsi_impulse_pct = i % 7 == 0 ? NAN : 100.0 / 3.0 + i * 1e-9;
	s->summary_json = g->json[0] ? g->json : NULL;
}

void gen_efforts(struct bm_store_effort *e, int n, int i)
{
	for (int k = 0; k < n; k++) {
		e[k].leg = k % 2;
		e[k].kind = k % 3 == 0 ? BM_STORE_EFFORT_REP : BM_STORE_EFFORT_HOLD;
		e[k].start_s = k * 5.25 + i;
		e[k].end_s = e[k].start_s + 3.5 + k * 0.01;
		e[k].peak_n = 300.0 + k + i * 0.5;
		e[k].mean_n = e[k].peak_n * 0.7;
		e[k].peak_above_rest_n = k % 4 == 0 ? NAN : e[k].peak_n - 20.0;
		e[k].mean_above_rest_n = k % 4 == 0 ? NAN : e[k].mean_n - 20.0;
		e[k].impulse_ns = k % 6 == 5 ? NAN : e[k].mean_n * 3.5;
		e[k].single_leg = k % 5 == 0;
	}
}

int same_double(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return memcmp(&a, &b, sizeof a) == 0;
}

static void eq_real(const char *ctx, const char *field, double want, double got)
{
	ck_assert_msg(same_double(want, got), "%s: %s: expected %.17g, got %.17g",
	              ctx, field, want, got);
}

static void eq_int(const char *ctx, const char *field, long long want,
                   long long got)
{
	ck_assert_msg(want == got, "%s: %s: expected %lld, got %lld", ctx, field,
	              want, got);
}

/* NULL and "" are told apart only where the store keeps them apart. */
static void eq_text(const char *ctx, const char *field, const char *want,
                    const char *got)
{
	if (!want || !got) {
		ck_assert_msg(want == got, "%s: %s: expected %s, got %s", ctx, field,
		              want ? want : "NULL", got ? got : "NULL");
		return;
	}
	ck_assert_msg(strcmp(want, got) == 0, "%s: %s: expected \"%s\", got \"%s\"",
	              ctx, field, want, got);
}

void assert_session_eq(const struct bm_store_session *w,
                       const struct bm_store_session *g, int ids, int json,
                       int athletes, const char *ctx)
{
	if (ids)
		eq_int(ctx, "id", w->id, g->id);
	eq_text(ctx, "station", w->station, g->station);
	eq_text(ctx, "recording", w->recording, g->recording);
	if (athletes)
		eq_int(ctx, "athlete_id", w->athlete_id, g->athlete_id);
	eq_int(ctx, "started_epoch_s", w->started_epoch_s, g->started_epoch_s);
	eq_real(ctx, "duration_s", w->duration_s, g->duration_s);
	eq_int(ctx, "exercise", w->exercise, g->exercise);
	eq_real(ctx, "knee_angle_deg", w->knee_angle_deg, g->knee_angle_deg);
	eq_real(ctx, "hip_angle_deg", w->hip_angle_deg, g->hip_angle_deg);
	eq_text(ctx, "protocol", w->protocol ? w->protocol : "", g->protocol);
	eq_text(ctx, "notes", w->notes ? w->notes : "", g->notes);
	eq_int(ctx, "demo", w->demo, g->demo);
	eq_real(ctx, "pain_before", w->pain_before, g->pain_before);
	eq_real(ctx, "pain_after", w->pain_after, g->pain_after);
	eq_real(ctx, "sample_rate_hz", w->sample_rate_hz, g->sample_rate_hz);
	for (int leg = 0; leg < 2; leg++) {
		const struct bm_store_leg *a = &w->leg[leg], *b = &g->leg[leg];
		char c[200];
		snprintf(c, sizeof c, "%s %s leg", ctx, leg ? "right" : "left");
		eq_real(c, "best_hold_n", a->best_hold_n, b->best_hold_n);
		eq_real(c, "mean_hold_n", a->mean_hold_n, b->mean_hold_n);
		eq_real(c, "impulse_ns", a->impulse_ns, b->impulse_ns);
		eq_real(c, "hold_time_s", a->hold_time_s, b->hold_time_s);
		eq_int(c, "reps", a->reps, b->reps);
	}
	eq_real(ctx, "lsi_peak_pct", w->lsi_peak_pct, g->lsi_peak_pct);
	eq_real(ctx, "lsi_impulse_pct", w->lsi_impulse_pct, g->lsi_impulse_pct);
	if (json)
		eq_text(ctx, "summary_json", w->summary_json, g->summary_json);
}

void assert_effort_eq(const struct bm_store_effort *w,
                      const struct bm_store_effort *g, const char *ctx)
{
	eq_int(ctx, "leg", w->leg, g->leg);
	eq_int(ctx, "kind", w->kind, g->kind);
	eq_real(ctx, "start_s", w->start_s, g->start_s);
	eq_real(ctx, "end_s", w->end_s, g->end_s);
	eq_real(ctx, "peak_n", w->peak_n, g->peak_n);
	eq_real(ctx, "mean_n", w->mean_n, g->mean_n);
	eq_real(ctx, "peak_above_rest_n", w->peak_above_rest_n, g->peak_above_rest_n);
	eq_real(ctx, "mean_above_rest_n", w->mean_above_rest_n, g->mean_above_rest_n);
	eq_real(ctx, "impulse_ns", w->impulse_ns, g->impulse_ns);
	eq_int(ctx, "single_leg", w->single_leg, g->single_leg);
}
