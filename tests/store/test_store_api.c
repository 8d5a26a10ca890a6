/*
 * test_store_api.c - the store's behaviour through its public interface,
 * on whichever engine the runner chose: migrations (from empty, from
 * version 1, refusing a newer schema), upsert idempotence, NaN <-> NULL,
 * names with quotes and non-ASCII, each record type's calls and their
 * bogus arguments, transactions, and four stations writing at once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store_test.h"

/* ---- migrations ---- */

START_TEST(test_migrate_from_empty)
{
	const char *where = store_fresh();
	struct bm_store *st = open_ok(where, NULL);
	ck_assert_msg(bm_store_schema_version(st) == BM_STORE_SCHEMA_VERSION,
	              "expected schema version %d, got %d", BM_STORE_SCHEMA_VERSION,
	              bm_store_schema_version(st));
	const char *want = store_target() == TARGET_PG ? "postgresql" : "sqlite";
	ck_assert_msg(strcmp(bm_store_backend_name(st), want) == 0,
	              "expected engine %s, got %s", want, bm_store_backend_name(st));
	bm_store_close(st);
	/* One row per step in schema_version, in order. */
	long long rows = raw_int(where, "SELECT count(*) FROM schema_version");
	long long max = raw_int(where, "SELECT max(version) FROM schema_version");
	ck_assert_msg(rows == BM_STORE_SCHEMA_VERSION && max == BM_STORE_SCHEMA_VERSION,
	              "expected %d schema_version rows up to %d, got %lld up to %lld",
	              BM_STORE_SCHEMA_VERSION, BM_STORE_SCHEMA_VERSION, rows, max);
	/* Reopening an up-to-date database changes nothing. */
	st = open_ok(where, NULL);
	bm_store_close(st);
	rows = raw_int(where, "SELECT count(*) FROM schema_version");
	ck_assert_msg(rows == BM_STORE_SCHEMA_VERSION,
	              "expected %d schema_version rows after reopening, got %lld",
	              BM_STORE_SCHEMA_VERSION, rows);
}
END_TEST

START_TEST(test_migrate_from_v1)
{
	const char *where = store_fresh();
	struct bm_store_options opt;
	bm_store_options_default(&opt);
	opt.schema_version = 1;
	struct bm_store *st = open_ok(where, &opt);
	ck_assert_msg(bm_store_schema_version(st) == 1,
	              "expected version 1, got %d", bm_store_schema_version(st));
	struct bm_store_athlete a;
	EXPECT_RC(st, bm_store_athlete_get_or_create(st, "Early Bird", &a, NULL),
	          BM_STORE_OK);
	struct gen_session g[5];
	for (int i = 0; i < 5; i++) {
		gen_session(&g[i], i, a.id, "desk");
		EXPECT_RC(st, bm_store_session_upsert(st, &g[i].s, &g[i].s.id),
		          BM_STORE_OK);
	}
	/* The version 2 tables are not there yet: their calls say so. */
	struct bm_store_effort e[2];
	gen_efforts(e, 2, 0);
	EXPECT_RC(st, bm_store_effort_replace(st, g[0].s.id, e, 2),
	          BM_STORE_ERR_VERSION);
	assert_one_line(bm_store_errmsg(st), "version 2", NULL);
	struct bm_store_pain p = {0, a.id, 1790000000, BM_STORE_PAIN_AFTER, 3.0,
	                          NULL, NULL};
	EXPECT_RC(st, bm_store_pain_add(st, &p, NULL), BM_STORE_ERR_VERSION);
	bm_store_close(st);
	long long v = raw_int(where, "SELECT max(version) FROM schema_version");
	ck_assert_msg(v == 1, "expected the file at version 1, got %lld", v);

	/* Reopen with this program's version: migrated, rows intact. */
	st = open_ok(where, NULL);
	ck_assert_msg(bm_store_schema_version(st) == 2,
	              "expected version 2 after reopening, got %d",
	              bm_store_schema_version(st));
	struct bm_store_sessions *list;
	EXPECT_RC(st, bm_store_session_list_all(st, BM_STORE_WITH_JSON, &list),
	          BM_STORE_OK);
	ck_assert_msg(list->count == 5, "expected 5 sessions, got %zu", list->count);
	for (size_t i = 0; i < list->count; i++) {
		const struct bm_store_session *want = NULL;
		for (int k = 0; k < 5; k++)
			if (strcmp(g[k].s.recording, list->items[i].recording) == 0)
				want = &g[k].s;
		ck_assert_msg(want != NULL, "expected a known recording, got %s",
		              list->items[i].recording);
		assert_session_eq(want, &list->items[i], 1, 1, 1, "after migration");
	}
	bm_store_sessions_free(list);
	struct bm_store_athlete b;
	EXPECT_RC(st, bm_store_athlete_find_name(st, "early bird", &b), BM_STORE_OK);
	ck_assert_msg(b.id == a.id, "expected athlete %lld, got %lld",
	              (long long)a.id, (long long)b.id);
	EXPECT_RC(st, bm_store_effort_replace(st, g[0].s.id, e, 2), BM_STORE_OK);
	EXPECT_RC(st, bm_store_pain_add(st, &p, NULL), BM_STORE_OK);
	bm_store_close(st);

	/* Never downgraded: opening at version 1 now is refused. */
	char msg[512];
	st = NULL;
	int rc = bm_store_open_with(where, &opt, &st, msg, sizeof msg);
	ck_assert_msg(rc == BM_STORE_ERR_VERSION && st == NULL,
	              "expected BM_STORE_ERR_VERSION and no handle, got %s",
	              bm_store_result_name(rc));
	assert_one_line(msg, "version 2", NULL);
}
END_TEST

START_TEST(test_newer_version_refused)
{
	const char *where = store_fresh();
	struct bm_store *st = open_ok(where, NULL);
	bm_store_close(st);
	raw_exec(where, "INSERT INTO schema_version (version, applied_epoch_s, "
	         "program) VALUES (99, 0, 'bridgemon from the future')");
	char msg[512];
	int rc = bm_store_open(where, &st, msg, sizeof msg);
	ck_assert_msg(rc == BM_STORE_ERR_VERSION && st == NULL,
	              "expected BM_STORE_ERR_VERSION and no handle, got %s (%s)",
	              bm_store_result_name(rc), msg);
	assert_one_line(msg, "99", NULL);
	ck_assert_msg(strstr(msg, "newer") != NULL,
	              "expected the message to say \"newer\", got \"%s\"", msg);
	/* Nothing was changed by the refused open. */
	long long n = raw_int(where, "SELECT count(*) FROM schema_version");
	ck_assert_msg(n == BM_STORE_SCHEMA_VERSION + 1,
	              "expected %d schema_version rows, got %lld",
	              BM_STORE_SCHEMA_VERSION + 1, n);
}
END_TEST

START_TEST(test_foreign_tables_refused)
{
	/* Tables named like ours but no schema_version: not ours, or damaged. */
	const char *where = store_fresh();
	raw_exec(where, "CREATE TABLE sessions (x INTEGER)");
	struct bm_store *st = NULL;
	char msg[512];
	int rc = bm_store_open(where, &st, msg, sizeof msg);
	ck_assert_msg(rc == BM_STORE_ERR_CORRUPT,
	              "expected BM_STORE_ERR_CORRUPT, got %s (%s)",
	              bm_store_result_name(rc), msg);
	assert_one_line(msg, "sessions", NULL);
}
END_TEST

/* ---- sessions ---- */

static int64_t athlete(struct bm_store *st, const char *name)
{
	struct bm_store_athlete a;
	EXPECT_RC(st, bm_store_athlete_get_or_create(st, name, &a, NULL),
	          BM_STORE_OK);
	return a.id;
}

START_TEST(test_upsert_idempotent)
{
	struct bm_store *st = open_ok(store_fresh(), NULL);
	int64_t who = athlete(st, "Repeat");
	static struct gen_session g[50];
	int64_t first_ids[50];
	struct bm_store_sessions *lists[2];
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 50; i++) {
			gen_session(&g[i], i, i % 3 ? who : 0, i % 2 ? "station-a" : "station-b");
			int64_t id;
			EXPECT_RC(st, bm_store_session_upsert(st, &g[i].s, &id), BM_STORE_OK);
			if (pass == 0)
				first_ids[i] = id;
			ck_assert_msg(id == first_ids[i], "session %d: expected id %lld "
			              "again, got %lld", i, (long long)first_ids[i],
			              (long long)id);
		}
		EXPECT_RC(st, bm_store_session_list_all(st, BM_STORE_WITH_JSON,
		                                        &lists[pass]), BM_STORE_OK);
	}
	ck_assert_msg(lists[0]->count == 50 && lists[1]->count == 50,
	              "expected 50 sessions each time, got %zu and %zu",
	              lists[0]->count, lists[1]->count);
	for (size_t i = 0; i < 50; i++) {
		char ctx[64];
		snprintf(ctx, sizeof ctx, "listing row %zu", i);
		assert_session_eq(&lists[0]->items[i], &lists[1]->items[i], 1, 1, 1, ctx);
	}
	/* And each row is what was given. */
	for (size_t i = 0; i < 50; i++) {
		const struct bm_store_session *got = &lists[1]->items[i];
		int k = -1;
		for (int j = 0; j < 50; j++)
			if (first_ids[j] == got->id)
				k = j;
		ck_assert_msg(k >= 0, "expected a known id, got %lld", (long long)got->id);
		assert_session_eq(&g[k].s, got, 0, 1, 1, "stored session");
	}
	/* The order is by start time, then station, then recording. */
	for (size_t i = 1; i < 50; i++) {
		const struct bm_store_session *a = &lists[1]->items[i - 1];
		const struct bm_store_session *b = &lists[1]->items[i];
		int ok = a->started_epoch_s < b->started_epoch_s ||
		         (a->started_epoch_s == b->started_epoch_s &&
		          strcmp(a->station, b->station) <= 0);
		ck_assert_msg(ok, "expected start times in order at row %zu, got %lld "
		              "then %lld", i, (long long)a->started_epoch_s,
		              (long long)b->started_epoch_s);
	}
	bm_store_sessions_free(lists[0]);
	bm_store_sessions_free(lists[1]);

	/* An upsert with changed values changes the row, not the id. */
	g[7].s.notes = "changed";
	g[7].s.pain_after = 9.0;
	g[7].s.summary_json = "{\"changed\": true}";
	g[7].s.athlete_id = 0;
	g[7].s.exercise = BM_STORE_EX_CUSTOM;
	g[7].s.leg[1].reps = 99;
	g[7].s.lsi_peak_pct = NAN;
	int64_t id;
	EXPECT_RC(st, bm_store_session_upsert(st, &g[7].s, &id), BM_STORE_OK);
	ck_assert_msg(id == first_ids[7], "expected id %lld, got %lld",
	              (long long)first_ids[7], (long long)id);
	struct bm_store_sessions *one;
	EXPECT_RC(st, bm_store_session_get(st, g[7].s.station, g[7].s.recording, &one),
	          BM_STORE_OK);
	assert_session_eq(&g[7].s, &one->items[0], 0, 1, 1, "updated session");
	bm_store_sessions_free(one);
	bm_store_close(st);
}
END_TEST

START_TEST(test_nan_null_round_trip)
{
	const char *where = store_fresh();
	struct bm_store *st = open_ok(where, NULL);
	struct bm_store_session s;
	bm_store_session_init(&s); /* every optional number NaN */
	s.station = "nan";
	s.recording = "all-unknown.csv";
	s.started_epoch_s = 1790000000;
	EXPECT_RC(st, bm_store_session_upsert(st, &s, NULL), BM_STORE_OK);
	struct bm_store_session v;
	bm_store_session_init(&v);
	v.station = "nan";
	v.recording = "awkward-values.csv";
	v.started_epoch_s = -5;                 /* before 1970 */
	v.duration_s = 0.1;                     /* not exact in binary */
	v.knee_angle_deg = 1.0 / 3.0;
	v.hip_angle_deg = -359.999999999999;
	v.pain_before = 0.0;                    /* zero is not unknown */
	v.pain_after = 10.0;
	v.sample_rate_hz = 80.00000000000001;
	v.leg[0].best_hold_n = 1e-300;
	v.leg[0].mean_hold_n = 123456789.123456789;
	v.leg[0].impulse_ns = -2.5e-7;
	v.leg[0].hold_time_s = 0.0;
	v.leg[0].reps = 0;
	v.leg[1].best_hold_n = 4.9406564584124654e-320; /* subnormal */
	v.leg[1].reps = 2147483647;
	v.lsi_peak_pct = 99.99999999999999;
	v.summary_json = "";
	EXPECT_RC(st, bm_store_session_upsert(st, &v, NULL), BM_STORE_OK);
	struct bm_store_sessions *list;
	EXPECT_RC(st, bm_store_session_list_all(st, BM_STORE_WITH_JSON, &list),
	          BM_STORE_OK);
	ck_assert_msg(list->count == 2, "expected 2 sessions, got %zu", list->count);
	/* awkward-values starts first (-5 s). */
	assert_session_eq(&v, &list->items[0], 0, 1, 1, "awkward values");
	assert_session_eq(&s, &list->items[1], 0, 1, 1, "all unknown");
	ck_assert_msg(list->items[1].summary_json == NULL,
	              "expected no JSON (NULL), got \"%s\"", list->items[1].summary_json);
	ck_assert_msg(list->items[0].summary_json && !list->items[0].summary_json[0],
	              "expected an empty JSON text kept apart from NULL, got %s",
	              list->items[0].summary_json ? "other text" : "NULL");
	bm_store_sessions_free(list);
	bm_store_close(st);
	/* NaN really is SQL NULL in the database, and 0 is not. */
	long long nulls = raw_int(where, "SELECT count(*) FROM sessions WHERE "
	                          "knee_angle_deg IS NULL AND pain_before IS NULL "
	                          "AND lsi_impulse_pct IS NULL");
	ck_assert_msg(nulls == 1, "expected 1 row with NULLs, got %lld", nulls);
	long long zero = raw_int(where, "SELECT count(*) FROM sessions WHERE "
	                         "pain_before = 0");
	ck_assert_msg(zero == 1, "expected 1 row with pain 0, got %lld", zero);

	/* Infinity is refused rather than quietly turned into something. */
	st = open_ok(where, NULL);
	v.recording = "infinite.csv";
	v.leg[1].impulse_ns = INFINITY;
	EXPECT_RC(st, bm_store_session_upsert(st, &v, NULL), BM_STORE_ERR_ARG);
	assert_one_line(bm_store_errmsg(st), "right impulse_ns", NULL);
	bm_store_close(st);
}
END_TEST

START_TEST(test_quotes_and_unicode)
{
	static const char *const names[] = {
		"O'Brien",
		"Robert'); DROP TABLE athletes;--",
		"Zo\xc3\xab \"Zed\" \xc3\x9cnal",                 /* Zoë "Zed" Ünal */
		"\xce\x94\xce\xae\xce\xbc\xce\xb7\xcf\x84\xcf\x81\xce\xb1 \xce\xa3", /* Δήμητρα Σ */
		"\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0",                /* Ёлка */
		"\xf0\x9f\xa6\xb5 Kim",                            /* emoji leg */
		"back\\slash ?  ",
	};
	/* The same names typed with other case and spaces around. */
	static const char *const other_case[] = {
		"o'BRIEN",
		"  robert'); drop table ATHLETES;--",
		"ZO\xc3\x8b \"zed\" \xc3\xbcNAL",                 /* ZOË "zed" üNAL */
		"\xce\xb4\xce\xae\xce\xbc\xce\xb7\xcf\x84\xcf\x81\xce\xb1 \xcf\x82", /* δήμητρα ς */
		"\xd1\x91\xd0\x9b\xd0\x9a\xd0\x90",                /* ёЛКА */
		"\xf0\x9f\xa6\xb5 kIM",
		"BACK\\SLASH ?",
	};
	const size_t n = sizeof names / sizeof names[0];
	struct bm_store *st = open_ok(store_fresh(), NULL);
	int64_t ids[8];
	for (size_t i = 0; i < n; i++) {
		struct bm_store_athlete a;
		int created = -1;
		EXPECT_RC(st, bm_store_athlete_get_or_create(st, names[i], &a, &created),
		          BM_STORE_OK);
		ck_assert_msg(created == 1, "%s: expected created 1, got %d", names[i],
		              created);
		ids[i] = a.id;
	}
	for (size_t i = 0; i < n; i++) {
		struct bm_store_athlete a;
		int created = -1;
		EXPECT_RC(st, bm_store_athlete_get_or_create(st, other_case[i], &a,
		                                             &created), BM_STORE_OK);
		ck_assert_msg(created == 0 && a.id == ids[i],
		              "\"%s\": expected the existing athlete %lld, got %lld "
		              "(created %d)", other_case[i], (long long)ids[i],
		              (long long)a.id, created);
		char want[200];
		snprintf(want, sizeof want, "%s", names[i]);
		/* kept as typed, spaces at the ends dropped */
		size_t len = strlen(want);
		while (len && want[len - 1] == ' ')
			want[--len] = '\0';
		ck_assert_msg(strcmp(a.name, want) == 0,
		              "expected the name kept as typed \"%s\", got \"%s\"",
		              want, a.name);
	}
	struct bm_store_athletes *all;
	EXPECT_RC(st, bm_store_athlete_list(st, &all), BM_STORE_OK);
	ck_assert_msg(all->count == n, "expected %zu athletes, got %zu (tables "
	              "intact, nothing dropped)", n, all->count);
	bm_store_athletes_free(all);

	/* Session keys and text with the same characters. */
	struct bm_store_session s;
	bm_store_session_init(&s);
	s.station = "st'ation \"1\"";
	s.recording = "\xce\x94 ?' OR 1=1;--.csv";
	s.athlete_id = ids[3];
	s.notes = "a\nb\tc 'd' \"e\" \\f";
	s.summary_json = "{\"q\": \"'\\\"\", \"u\": \"\xe2\x9c\x93\"}";
	EXPECT_RC(st, bm_store_session_upsert(st, &s, NULL), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_exists(st, s.station, s.recording), 1);
	EXPECT_RC(st, bm_store_session_exists(st, s.station, "\xce\x94 ?' OR 1=1"), 0);
	struct bm_store_sessions *one;
	EXPECT_RC(st, bm_store_session_get(st, s.station, s.recording, &one),
	          BM_STORE_OK);
	assert_session_eq(&s, &one->items[0], 0, 1, 1, "quoted session");
	bm_store_sessions_free(one);
	bm_store_close(st);
}
END_TEST

START_TEST(test_athletes)
{
	struct bm_store *st = open_ok(store_fresh(), NULL);
	struct bm_store_athlete a, b;
	int created;
	time_t before = time(NULL);
	EXPECT_RC(st, bm_store_athlete_get_or_create(st, "Mia", &a, &created),
	          BM_STORE_OK);
	ck_assert_msg(created == 1 && a.id >= 1, "expected a new athlete, got id "
	              "%lld created %d", (long long)a.id, created);
	ck_assert_msg(a.injured_side == BM_STORE_SIDE_NONE && isnan(a.body_mass_kg),
	              "expected side none and unknown mass, got %d and %g",
	              (int)a.injured_side, a.body_mass_kg);
	ck_assert_msg(a.created_epoch_s >= before && a.created_epoch_s <= time(NULL),
	              "expected a creation time near now, got %lld",
	              (long long)a.created_epoch_s);
	EXPECT_RC(st, bm_store_athlete_find_name(st, "Nobody", &b),
	          BM_STORE_ERR_NOT_FOUND);
	assert_one_line(bm_store_errmsg(st), "Nobody", NULL);
	EXPECT_RC(st, bm_store_athlete_find_id(st, a.id + 100, &b),
	          BM_STORE_ERR_NOT_FOUND);
	EXPECT_RC(st, bm_store_athlete_find_id(st, a.id, &b), BM_STORE_OK);
	ck_assert_msg(strcmp(b.name, "Mia") == 0, "expected Mia, got %s", b.name);

	/* Update side and mass; read back. */
	a.injured_side = BM_STORE_SIDE_RIGHT;
	a.body_mass_kg = 61.5;
	EXPECT_RC(st, bm_store_athlete_update(st, &a), BM_STORE_OK);
	EXPECT_RC(st, bm_store_athlete_find_name(st, "MIA", &b), BM_STORE_OK);
	ck_assert_msg(b.injured_side == BM_STORE_SIDE_RIGHT && b.body_mass_kg == 61.5,
	              "expected right and 61.5 kg, got %d and %g",
	              (int)b.injured_side, b.body_mass_kg);
	ck_assert_msg(b.created_epoch_s == a.created_epoch_s,
	              "expected creation time kept %lld, got %lld",
	              (long long)a.created_epoch_s, (long long)b.created_epoch_s);

	/* Renaming onto another athlete's name (other case) is a conflict. */
	struct bm_store_athlete c;
	EXPECT_RC(st, bm_store_athlete_get_or_create(st, "Noah", &c, NULL),
	          BM_STORE_OK);
	snprintf(c.name, sizeof c.name, "mIA");
	EXPECT_RC(st, bm_store_athlete_update(st, &c), BM_STORE_ERR_CONFLICT);
	assert_one_line(bm_store_errmsg(st), "mIA", NULL);
	/* Renaming to a new spelling of one's own name is fine. */
	snprintf(a.name, sizeof a.name, "MIA");
	EXPECT_RC(st, bm_store_athlete_update(st, &a), BM_STORE_OK);
	c.id = 9999;
	snprintf(c.name, sizeof c.name, "Ghost");
	EXPECT_RC(st, bm_store_athlete_update(st, &c), BM_STORE_ERR_NOT_FOUND);

	/* Bogus arguments, each with its message. */
	char longname[200];
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	const char *bad[] = {"", "   ", longname, "bad\xc3", "tab\there", NULL};
	for (int i = 0; bad[i]; i++) {
		EXPECT_RC(st, bm_store_athlete_get_or_create(st, bad[i], &b, NULL),
		          BM_STORE_ERR_ARG);
		assert_one_line(bm_store_errmsg(st), "athlete name", NULL);
	}
	EXPECT_RC(st, bm_store_athlete_get_or_create(st, NULL, &b, NULL),
	          BM_STORE_ERR_ARG);
	a.body_mass_kg = -3;
	EXPECT_RC(st, bm_store_athlete_update(st, &a), BM_STORE_ERR_ARG);
	a.body_mass_kg = NAN;
	a.injured_side = (enum bm_store_side)7;
	EXPECT_RC(st, bm_store_athlete_update(st, &a), BM_STORE_ERR_ARG);
	ck_assert_msg(bm_store_athlete_get_or_create(NULL, "x", &b, NULL) ==
	              BM_STORE_ERR_ARG, "expected ERR_ARG for a NULL handle");

	/* The list: ordered by name without case. */
	EXPECT_RC(st, bm_store_athlete_get_or_create(st, "aaron", &c, NULL),
	          BM_STORE_OK);
	struct bm_store_athletes *all;
	EXPECT_RC(st, bm_store_athlete_list(st, &all), BM_STORE_OK);
	ck_assert_msg(all->count == 3, "expected 3 athletes, got %zu", all->count);
	const char *order[] = {"aaron", "MIA", "Noah"};
	for (int i = 0; i < 3; i++)
		ck_assert_msg(strcmp(all->items[i].name, order[i]) == 0,
		              "athlete %d: expected %s, got %s", i, order[i],
		              all->items[i].name);
	ck_assert_msg(all->items[1].body_mass_kg == 61.5,
	              "expected MIA's mass 61.5 in the list, got %g",
	              all->items[1].body_mass_kg);
	bm_store_athletes_free(all);
	bm_store_close(st);
}
END_TEST

START_TEST(test_sessions_api)
{
	struct bm_store *st = open_ok(store_fresh(), NULL);
	int64_t ann = athlete(st, "Ann"), ben = athlete(st, "Ben");
	static struct gen_session g[12];
	for (int i = 0; i < 12; i++) {
		gen_session(&g[i], i, i % 3 == 0 ? ben : ann, "s1");
		EXPECT_RC(st, bm_store_session_upsert(st, &g[i].s, &g[i].s.id), BM_STORE_OK);
	}
	/* History of Ann: 8 sessions, by start time, without JSON. */
	struct bm_store_sessions *h;
	EXPECT_RC(st, bm_store_session_list_athlete(st, ann, 0, &h), BM_STORE_OK);
	ck_assert_msg(h->count == 8, "expected 8 sessions of Ann, got %zu", h->count);
	for (size_t i = 0; i < h->count; i++) {
		ck_assert_msg(h->items[i].athlete_id == ann,
		              "expected athlete %lld, got %lld", (long long)ann,
		              (long long)h->items[i].athlete_id);
		ck_assert_msg(h->items[i].summary_json == NULL,
		              "expected no JSON without BM_STORE_WITH_JSON, got some");
		if (i)
			ck_assert_msg(h->items[i - 1].started_epoch_s <= h->items[i].started_epoch_s,
			              "expected oldest first, got %lld before %lld",
			              (long long)h->items[i - 1].started_epoch_s,
			              (long long)h->items[i].started_epoch_s);
		int k = (int)(h->items[i].id - g[0].s.id);
		ck_assert_msg(k >= 0 && k < 12, "expected a known id, got %lld",
		              (long long)h->items[i].id);
		assert_session_eq(&g[k].s, &h->items[i], 1, 0, 1, "history row");
	}
	bm_store_sessions_free(h);
	EXPECT_RC(st, bm_store_session_list_athlete(st, 4242, 0, &h), BM_STORE_OK);
	ck_assert_msg(h->count == 0, "expected no sessions of an unknown athlete, "
	              "got %zu", h->count);
	bm_store_sessions_free(h);

	EXPECT_RC(st, bm_store_session_exists(st, "s1", g[3].s.recording), 1);
	EXPECT_RC(st, bm_store_session_exists(st, "s2", g[3].s.recording), 0);
	EXPECT_RC(st, bm_store_session_get(st, "s2", "none.csv", &h),
	          BM_STORE_ERR_NOT_FOUND);
	ck_assert_msg(h == NULL, "expected no list after NOT_FOUND");
	assert_one_line(bm_store_errmsg(st), "none.csv", NULL);

	/* An athlete that does not exist. */
	struct gen_session x;
	gen_session(&x, 40, 777, "s1");
	EXPECT_RC(st, bm_store_session_upsert(st, &x.s, NULL), BM_STORE_ERR_NOT_FOUND);
	assert_one_line(bm_store_errmsg(st), "777", NULL);
	/* Bogus values, each refused with a message naming the field. */
	static const char *const fields[] = {
		"station", "recording", "pain_before", "exercise", "demo",
		"left reps", "sample_rate_hz", "duration_s",
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		gen_session(&x, 41, ann, "s1");
		switch (i) {
		case 0: x.s.station = ""; break;
		case 1: x.s.recording = "new\nline.csv"; break;
		case 2: x.s.pain_before = 10.5; break;
		case 3: x.s.exercise = (enum bm_store_exercise)9; break;
		case 4: x.s.demo = 2; break;
		case 5: x.s.leg[0].reps = -1; break;
		case 6: x.s.sample_rate_hz = 0; break;
		case 7: x.s.duration_s = -1; break;
		}
		EXPECT_RC(st, bm_store_session_upsert(st, &x.s, NULL), BM_STORE_ERR_ARG);
		assert_one_line(bm_store_errmsg(st), fields[i], NULL);
	}
	EXPECT_RC(st, bm_store_session_upsert(st, NULL, NULL), BM_STORE_ERR_ARG);
	EXPECT_RC(st, bm_store_session_exists(st, NULL, "x"), BM_STORE_ERR_ARG);

	/* Delete all (for a rebuild): sessions, efforts, MVICs from sessions
	 * go; athletes, pain entries and typed-in MVICs stay. */
	struct bm_store_effort e[3];
	gen_efforts(e, 3, 0);
	EXPECT_RC(st, bm_store_effort_replace(st, g[0].s.id, e, 3), BM_STORE_OK);
	struct bm_store_pain p = {0, ann, 1790000000, BM_STORE_PAIN_BEFORE, 2.0,
	                          "s1", g[0].s.recording};
	EXPECT_RC(st, bm_store_pain_add(st, &p, NULL), BM_STORE_OK);
	struct bm_store_mvic m1 = {0, ann, 1790000000, BM_STORE_SIDE_LEFT,
	                           BM_STORE_MVIC_SINGLE_LEG, 300.0, "s1",
	                           g[0].s.recording};
	struct bm_store_mvic m2 = {0, ann, 1790000100, BM_STORE_SIDE_RIGHT,
	                           BM_STORE_MVIC_SINGLE_LEG, 280.0, NULL, NULL};
	EXPECT_RC(st, bm_store_mvic_add(st, &m1, NULL), BM_STORE_OK);
	EXPECT_RC(st, bm_store_mvic_add(st, &m2, NULL), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_delete_all(st), 12);
	EXPECT_RC(st, bm_store_session_list_all(st, 0, &h), BM_STORE_OK);
	ck_assert_msg(h->count == 0, "expected no sessions, got %zu", h->count);
	bm_store_sessions_free(h);
	struct bm_store_efforts *el;
	EXPECT_RC(st, bm_store_effort_list(st, g[0].s.id, &el), BM_STORE_OK);
	ck_assert_msg(el->count == 0, "expected no efforts, got %zu", el->count);
	bm_store_efforts_free(el);
	struct bm_store_pains *pl;
	EXPECT_RC(st, bm_store_pain_list(st, ann, &pl), BM_STORE_OK);
	ck_assert_msg(pl->count == 1, "expected the pain entry kept, got %zu", pl->count);
	bm_store_pains_free(pl);
	struct bm_store_mvics *ml;
	EXPECT_RC(st, bm_store_mvic_list(st, ann, &ml), BM_STORE_OK);
	ck_assert_msg(ml->count == 1 && ml->items[0].station == NULL &&
	              ml->items[0].force_n == 280.0,
	              "expected only the typed-in MVIC (280 N) kept, got %zu rows",
	              ml->count);
	bm_store_mvics_free(ml);
	struct bm_store_athletes *al;
	EXPECT_RC(st, bm_store_athlete_list(st, &al), BM_STORE_OK);
	ck_assert_msg(al->count == 2, "expected 2 athletes kept, got %zu", al->count);
	bm_store_athletes_free(al);
	EXPECT_RC(st, bm_store_session_delete_all(st), 0);
	bm_store_close(st);
}
END_TEST

/* ---- efforts, pain, MVIC ---- */

START_TEST(test_efforts)
{
	struct bm_store *st = open_ok(store_fresh(), NULL);
	struct gen_session g;
	gen_session(&g, 1, 0, "e");
	int64_t sid;
	EXPECT_RC(st, bm_store_session_upsert(st, &g.s, &sid), BM_STORE_OK);
	/* More than one INSERT's worth. */
	enum { N = 123 };
	static struct bm_store_effort e[N];
	gen_efforts(e, N, 1);
	EXPECT_RC(st, bm_store_effort_replace(st, sid, e, N), BM_STORE_OK);
	struct bm_store_efforts *list;
	EXPECT_RC(st, bm_store_effort_list(st, sid, &list), BM_STORE_OK);
	ck_assert_msg(list->count == N, "expected %d efforts, got %zu", N, list->count);
	for (int i = 0; i < N; i++) {
		char ctx[32];
		snprintf(ctx, sizeof ctx, "effort %d", i);
		assert_effort_eq(&e[i], &list->items[i], ctx);
	}
	bm_store_efforts_free(list);
	/* An upsert of the session keeps its efforts attached. */
	EXPECT_RC(st, bm_store_session_upsert(st, &g.s, NULL), BM_STORE_OK);
	EXPECT_RC(st, bm_store_effort_list(st, sid, &list), BM_STORE_OK);
	ck_assert_msg(list->count == N, "expected %d efforts after an upsert, got %zu",
	              N, list->count);
	bm_store_efforts_free(list);
	/* A bad effort refuses the whole call and leaves the old ones. */
	struct bm_store_effort bad[3];
	gen_efforts(bad, 3, 2);
	bad[2].leg = 2;
	EXPECT_RC(st, bm_store_effort_replace(st, sid, bad, 3), BM_STORE_ERR_ARG);
	assert_one_line(bm_store_errmsg(st), "effort 2", NULL);
	gen_efforts(bad, 3, 2);
	bad[1].end_s = bad[1].start_s - 1;
	EXPECT_RC(st, bm_store_effort_replace(st, sid, bad, 3), BM_STORE_ERR_ARG);
	EXPECT_RC(st, bm_store_effort_list(st, sid, &list), BM_STORE_OK);
	ck_assert_msg(list->count == N, "expected the %d old efforts kept, got %zu",
	              N, list->count);
	bm_store_efforts_free(list);
	/* Replace with fewer, then none. */
	gen_efforts(bad, 3, 2);
	EXPECT_RC(st, bm_store_effort_replace(st, sid, bad, 3), BM_STORE_OK);
	EXPECT_RC(st, bm_store_effort_list(st, sid, &list), BM_STORE_OK);
	ck_assert_msg(list->count == 3, "expected 3 efforts, got %zu", list->count);
	for (int i = 0; i < 3; i++)
		assert_effort_eq(&bad[i], &list->items[i], "replaced effort");
	bm_store_efforts_free(list);
	EXPECT_RC(st, bm_store_effort_replace(st, sid, NULL, 0), BM_STORE_OK);
	EXPECT_RC(st, bm_store_effort_list(st, sid, &list), BM_STORE_OK);
	ck_assert_msg(list->count == 0, "expected no efforts, got %zu", list->count);
	bm_store_efforts_free(list);
	EXPECT_RC(st, bm_store_effort_replace(st, sid + 1000, e, 2),
	          BM_STORE_ERR_NOT_FOUND);
	assert_one_line(bm_store_errmsg(st), "session", NULL);
	bm_store_close(st);
}
END_TEST

START_TEST(test_pain)
{
	struct bm_store *st = open_ok(store_fresh(), NULL);
	int64_t a = athlete(st, "Pia");
	struct bm_store_pain p[3] = {
		{0, a, 1790000300, BM_STORE_PAIN_NEXT_MORNING, 1.5, NULL, NULL},
		{0, a, 1790000100, BM_STORE_PAIN_BEFORE, 4.0, "s'1", "r\xc3\xbc.csv"},
		{0, a, 1790000200, BM_STORE_PAIN_AFTER, 0.0, "s'1", "r\xc3\xbc.csv"},
	};
	for (int i = 0; i < 3; i++)
		EXPECT_RC(st, bm_store_pain_add(st, &p[i], &p[i].id), BM_STORE_OK);
	struct bm_store_pains *list;
	EXPECT_RC(st, bm_store_pain_list(st, a, &list), BM_STORE_OK);
	ck_assert_msg(list->count == 3, "expected 3 entries, got %zu", list->count);
	const int order[3] = {1, 2, 0}; /* by time */
	for (int i = 0; i < 3; i++) {
		const struct bm_store_pain *w = &p[order[i]], *g = &list->items[i];
		ck_assert_msg(g->id == w->id && g->epoch_s == w->epoch_s &&
		              g->when == w->when && g->score == w->score &&
		              g->athlete_id == a,
		              "entry %d: expected id %lld at %lld (%d, %g), got id %lld "
		              "at %lld (%d, %g)", i, (long long)w->id,
		              (long long)w->epoch_s, (int)w->when, w->score,
		              (long long)g->id, (long long)g->epoch_s, (int)g->when,
		              g->score);
		ck_assert_msg((!w->station && !g->station) ||
		              (g->station && strcmp(w->station, g->station) == 0 &&
		               strcmp(w->recording, g->recording) == 0),
		              "entry %d: expected session key %s, got %s", i,
		              w->station ? w->station : "none",
		              g->station ? g->station : "none");
	}
	bm_store_pains_free(list);
	struct bm_store_pain bad = p[0];
	bad.score = 11;
	EXPECT_RC(st, bm_store_pain_add(st, &bad, NULL), BM_STORE_ERR_ARG);
	assert_one_line(bm_store_errmsg(st), "pain score", NULL);
	bad.score = NAN;
	EXPECT_RC(st, bm_store_pain_add(st, &bad, NULL), BM_STORE_ERR_ARG);
	bad = p[0];
	bad.when = (enum bm_store_pain_when)5;
	EXPECT_RC(st, bm_store_pain_add(st, &bad, NULL), BM_STORE_ERR_ARG);
	bad = p[0];
	bad.station = "only-station";
	EXPECT_RC(st, bm_store_pain_add(st, &bad, NULL), BM_STORE_ERR_ARG);
	bad = p[0];
	bad.athlete_id = a + 50;
	EXPECT_RC(st, bm_store_pain_add(st, &bad, NULL), BM_STORE_ERR_NOT_FOUND);
	assert_one_line(bm_store_errmsg(st), "athlete", NULL);
	bm_store_close(st);
}
END_TEST

START_TEST(test_mvic_best_latest)
{
	/* Days are local calendar days: fix the zone for the test. */
	setenv("TZ", "UTC", 1);
	tzset();
	struct bm_store *st = open_ok(store_fresh(), NULL);
	int64_t a = athlete(st, "Max"), other = athlete(st, "Other");
	const int64_t day1 = 1790035200; /* 00:00 UTC */
	const int64_t day2 = day1 + 86400, day3 = day1 + 2 * 86400;
	const struct bm_store_mvic rows[] = {
		/* left single: day 1 strong, day 2 weaker: the answer is day 2's
		 * best (290), not the best ever (320), not the last (285) */
		{0, a, day1 + 3600, BM_STORE_SIDE_LEFT, BM_STORE_MVIC_SINGLE_LEG, 300, NULL, NULL},
		{0, a, day1 + 3700, BM_STORE_SIDE_LEFT, BM_STORE_MVIC_SINGLE_LEG, 320, NULL, NULL},
		{0, a, day2 + 3600, BM_STORE_SIDE_LEFT, BM_STORE_MVIC_SINGLE_LEG, 280, "s", "x.csv"},
		{0, a, day2 + 3700, BM_STORE_SIDE_LEFT, BM_STORE_MVIC_SINGLE_LEG, 290, "s", "x.csv"},
		{0, a, day2 + 3800, BM_STORE_SIDE_LEFT, BM_STORE_MVIC_SINGLE_LEG, 285, "s", "x.csv"},
		/* right single: only day 1; a tie goes to the earlier row */
		{0, a, day1 + 100, BM_STORE_SIDE_RIGHT, BM_STORE_MVIC_SINGLE_LEG, 310, NULL, NULL},
		{0, a, day1 + 200, BM_STORE_SIDE_RIGHT, BM_STORE_MVIC_SINGLE_LEG, 310, NULL, NULL},
		/* both legs together, day 1 then day 3 */
		{0, a, day1 + 500, BM_STORE_SIDE_BOTH, BM_STORE_MVIC_BOTH_LEGS, 520, NULL, NULL},
		{0, a, day3 + 500, BM_STORE_SIDE_BOTH, BM_STORE_MVIC_BOTH_LEGS, 480, NULL, NULL},
		/* late evening and just after midnight are different days */
		{0, a, day3 - 60, BM_STORE_SIDE_LEFT, BM_STORE_MVIC_BOTH_LEGS, 250, NULL, NULL},
		{0, a, day3 + 60, BM_STORE_SIDE_LEFT, BM_STORE_MVIC_BOTH_LEGS, 240, NULL, NULL},
		/* another athlete's row must not leak in */
		{0, other, day3 + 9000, BM_STORE_SIDE_LEFT, BM_STORE_MVIC_SINGLE_LEG, 999, NULL, NULL},
	};
	const size_t n = sizeof rows / sizeof rows[0];
	int64_t ids[sizeof rows / sizeof rows[0]];
	for (size_t i = 0; i < n; i++)
		EXPECT_RC(st, bm_store_mvic_add(st, &rows[i], &ids[i]), BM_STORE_OK);
	struct bm_store_mvics *best;
	EXPECT_RC(st, bm_store_mvic_best_latest(st, a, &best), BM_STORE_OK);
	/* expected: by mode then leg */
	const size_t want[] = {3, 5, 10, 8};
	ck_assert_msg(best->count == 4, "expected 4 (leg, mode) results, got %zu",
	              best->count);
	for (size_t i = 0; i < 4; i++) {
		const struct bm_store_mvic *w = &rows[want[i]], *g = &best->items[i];
		ck_assert_msg(g->id == ids[want[i]] && g->force_n == w->force_n &&
		              g->leg == w->leg && g->mode == w->mode,
		              "result %zu: expected row %lld (%s %s %g N), got row %lld "
		              "(%s %s %g N)", i, (long long)ids[want[i]],
		              bm_store_side_name(w->leg), bm_store_mvic_mode_name(w->mode),
		              w->force_n, (long long)g->id, bm_store_side_name(g->leg),
		              bm_store_mvic_mode_name(g->mode), g->force_n);
	}
	ck_assert_msg(best->items[0].station && strcmp(best->items[0].station, "s") == 0,
	              "expected the session key kept, got %s",
	              best->items[0].station ? best->items[0].station : "none");
	bm_store_mvics_free(best);
	EXPECT_RC(st, bm_store_mvic_best_latest(st, a + other + 10, &best), BM_STORE_OK);
	ck_assert_msg(best->count == 0, "expected nothing for an unknown athlete, "
	              "got %zu", best->count);
	bm_store_mvics_free(best);
	struct bm_store_mvic bad = rows[0];
	bad.leg = BM_STORE_SIDE_NONE;
	EXPECT_RC(st, bm_store_mvic_add(st, &bad, NULL), BM_STORE_ERR_ARG);
	bad = rows[0];
	bad.mode = (enum bm_store_mvic_mode)3;
	EXPECT_RC(st, bm_store_mvic_add(st, &bad, NULL), BM_STORE_ERR_ARG);
	bad = rows[0];
	bad.force_n = NAN;
	EXPECT_RC(st, bm_store_mvic_add(st, &bad, NULL), BM_STORE_ERR_ARG);
	bad = rows[0];
	bad.athlete_id = 0;
	EXPECT_RC(st, bm_store_mvic_add(st, &bad, NULL), BM_STORE_ERR_NOT_FOUND);
	bm_store_close(st);
}
END_TEST

/* ---- transactions ---- */

START_TEST(test_transactions)
{
	char where[512];
	snprintf(where, sizeof where, "%s", store_fresh());
	struct bm_store *st = open_ok(where, NULL);
	struct gen_session g[4];
	struct bm_store_sessions *list;
	for (int i = 0; i < 4; i++)
		gen_session(&g[i], i, 0, "tx");
	/* Rolled back: nothing there. */
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_ERR_ARG);
	EXPECT_RC(st, bm_store_session_upsert(st, &g[0].s, NULL), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_upsert(st, &g[1].s, NULL), BM_STORE_OK);
	EXPECT_RC(st, bm_store_rollback(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_list_all(st, 0, &list), BM_STORE_OK);
	ck_assert_msg(list->count == 0, "expected nothing after rollback, got %zu",
	              list->count);
	bm_store_sessions_free(list);
	/* Committed: there, with efforts. */
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_OK);
	int64_t id;
	EXPECT_RC(st, bm_store_session_upsert(st, &g[0].s, &id), BM_STORE_OK);
	struct bm_store_effort e[4];
	gen_efforts(e, 4, 0);
	EXPECT_RC(st, bm_store_effort_replace(st, id, e, 4), BM_STORE_OK);
	EXPECT_RC(st, bm_store_commit(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_commit(st), BM_STORE_ERR_ARG);
	EXPECT_RC(st, bm_store_session_exists(st, "tx", g[0].s.recording), 1);
	/* A failure inside a transaction rolls all of it back, and the
	 * handle says so until the caller acknowledges with rollback. */
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_upsert(st, &g[2].s, NULL), BM_STORE_OK);
	g[3].s.athlete_id = 31337;
	EXPECT_RC(st, bm_store_session_upsert(st, &g[3].s, NULL), BM_STORE_ERR_NOT_FOUND);
	EXPECT_RC(st, bm_store_session_exists(st, "tx", g[2].s.recording),
	          BM_STORE_ERR_ARG);
	assert_one_line(bm_store_errmsg(st), "rolled back", NULL);
	EXPECT_RC(st, bm_store_commit(st), BM_STORE_ERR_ARG);
	EXPECT_RC(st, bm_store_rollback(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_exists(st, "tx", g[2].s.recording), 0);
	/* Same through rollback() right away. */
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_upsert(st, &g[2].s, NULL), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_upsert(st, &g[3].s, NULL), BM_STORE_ERR_NOT_FOUND);
	EXPECT_RC(st, bm_store_rollback(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_exists(st, "tx", g[2].s.recording), 0);
	EXPECT_RC(st, bm_store_session_list_all(st, 0, &list), BM_STORE_OK);
	ck_assert_msg(list->count == 1, "expected the one committed session, got %zu",
	              list->count);
	bm_store_sessions_free(list);
	/* A value refused by the checks (nothing sent) leaves the transaction
	 * going: a rebuild skips the bad recording and carries on. */
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_upsert(st, &g[2].s, NULL), BM_STORE_OK);
	g[3].s.athlete_id = 0;
	g[3].s.pain_after = 11;
	EXPECT_RC(st, bm_store_session_upsert(st, &g[3].s, NULL), BM_STORE_ERR_ARG);
	g[3].s.pain_after = 1;
	EXPECT_RC(st, bm_store_session_upsert(st, &g[3].s, NULL), BM_STORE_OK);
	EXPECT_RC(st, bm_store_commit(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_exists(st, "tx", g[2].s.recording), 1);
	EXPECT_RC(st, bm_store_session_exists(st, "tx", g[3].s.recording), 1);
	/* Closing with a transaction open rolls it back. */
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_upsert(st, &g[1].s, NULL), BM_STORE_OK);
	bm_store_close(st);
	st = open_ok(where, NULL);
	EXPECT_RC(st, bm_store_session_exists(st, "tx", g[1].s.recording), 0);
	bm_store_close(st);
	ck_assert_msg(bm_store_rollback(NULL) == BM_STORE_ERR_ARG,
	              "expected ERR_ARG for a NULL handle");
}
END_TEST

/* ---- four stations at once ---- */

enum { STATIONS = 4, PER_STATION = 50, EFFORTS_EACH = 6 };

/* One station: its own handle, 50 sessions with efforts; then wait for the
 * others and check it sees all 200.  The exit code says which step failed. */
static int station_main(const char *where, int k, int done_fd, int go_fd)
{
	struct bm_store_options opt;
	bm_store_options_default(&opt);
	opt.lock_timeout_ms = 60000; /* SQLite: four writers take turns */
	struct bm_store *st = NULL;
	char msg[512], station[16];
	int code = 0;
	snprintf(station, sizeof station, "station-%d", k);
	if (bm_store_open_with(where, &opt, &st, msg, sizeof msg) != BM_STORE_OK) {
		fprintf(stderr, "%s: open: %s\n", station, msg);
		code = 10;
	}
	struct bm_store_athlete a;
	if (!code && bm_store_athlete_get_or_create(st, "Shared Athlete", &a, NULL) < 0)
		code = 11;
	for (int i = 0; !code && i < PER_STATION; i++) {
		struct gen_session g;
		struct bm_store_effort e[EFFORTS_EACH];
		int64_t id;
		gen_session(&g, i, a.id, station);
		gen_efforts(e, EFFORTS_EACH, i);
		if (bm_store_begin(st) < 0 ||
		    bm_store_session_upsert(st, &g.s, &id) < 0 ||
		    bm_store_effort_replace(st, id, e, EFFORTS_EACH) < 0 ||
		    bm_store_commit(st) < 0)
			code = 12;
	}
	if (code && st)
		fprintf(stderr, "%s: %s\n", station, bm_store_errmsg(st));
	char byte = (char)code;
	if (write(done_fd, &byte, 1) != 1)
		code = 13;
	if (read(go_fd, &byte, 1) != 1)
		code = 14;
	struct bm_store_sessions *all = NULL;
	if (!code && bm_store_session_list_all(st, 0, &all) < 0)
		code = 15;
	if (!code) {
		int seen[STATIONS] = {0};
		for (size_t i = 0; i < all->count; i++)
			for (int s = 0; s < STATIONS; s++) {
				char name[16];
				snprintf(name, sizeof name, "station-%d", s);
				seen[s] += strcmp(all->items[i].station, name) == 0;
			}
		if (all->count != STATIONS * PER_STATION)
			code = 16;
		for (int s = 0; s < STATIONS; s++)
			if (seen[s] != PER_STATION)
				code = 17;
		if (code)
			fprintf(stderr, "%s: saw %zu sessions\n", station, all->count);
	}
	bm_store_sessions_free(all);
	bm_store_close(st);
	return code;
}

START_TEST(test_four_stations)
{
	/* A fresh database: the four also race to migrate it and to create
	 * the same athlete. */
	const char *where = store_fresh();
	char where_copy[512];
	snprintf(where_copy, sizeof where_copy, "%s", where);
	int done[2], go[2];
	ck_assert_msg(pipe(done) == 0 && pipe(go) == 0, "expected pipes");
	pid_t pids[STATIONS];
	for (int k = 0; k < STATIONS; k++) {
		pids[k] = fork();
		ck_assert_msg(pids[k] >= 0, "expected fork to work");
		if (pids[k] == 0)
			_exit(station_main(where_copy, k, done[1], go[0]));
	}
	char bytes[STATIONS];
	size_t got = 0;
	while (got < STATIONS) {
		ssize_t r = read(done[0], bytes + got, STATIONS - got);
		ck_assert_msg(r > 0, "expected every station to report, got %zu", got);
		got += (size_t)r;
	}
	ck_assert_msg(write(go[1], bytes, STATIONS) == STATIONS,
	              "expected the go signal written");
	for (int k = 0; k < STATIONS; k++) {
		int status = 0;
		waitpid(pids[k], &status, 0);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		              "station %d: expected exit 0, got %d (10 open, 11 athlete, "
		              "12 save, 15-17 listing)", k,
		              WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	close(done[0]);
	close(done[1]);
	close(go[0]);
	close(go[1]);
	struct bm_store *st = open_ok(where_copy, NULL);
	struct bm_store_athletes *al;
	EXPECT_RC(st, bm_store_athlete_list(st, &al), BM_STORE_OK);
	ck_assert_msg(al->count == 1, "expected one shared athlete, got %zu", al->count);
	int64_t aid = al->items[0].id;
	bm_store_athletes_free(al);
	struct bm_store_sessions *list;
	EXPECT_RC(st, bm_store_session_list_athlete(st, aid, 0, &list), BM_STORE_OK);
	ck_assert_msg(list->count == STATIONS * PER_STATION,
	              "expected %d sessions, got %zu", STATIONS * PER_STATION,
	              list->count);
	for (size_t i = 0; i < list->count; i++) {
		struct bm_store_efforts *el;
		EXPECT_RC(st, bm_store_effort_list(st, list->items[i].id, &el), BM_STORE_OK);
		ck_assert_msg(el->count == EFFORTS_EACH, "session %lld: expected %d "
		              "efforts, got %zu", (long long)list->items[i].id,
		              EFFORTS_EACH, el->count);
		bm_store_efforts_free(el);
	}
	bm_store_sessions_free(list);
	long long versions = raw_int(where_copy, "SELECT count(*) FROM schema_version");
	ck_assert_msg(versions == BM_STORE_SCHEMA_VERSION,
	              "expected each migration step recorded once (%d rows), got %lld",
	              BM_STORE_SCHEMA_VERSION, versions);
	bm_store_close(st);
}
END_TEST

Suite *suite_store_api(void)
{
	Suite *s = suite_create(store_target() == TARGET_PG ? "store_api_postgresql"
	                                                     : "store_api_sqlite");
	TCase *tc = tcase_create("migrations");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_migrate_from_empty);
	tcase_add_test(tc, test_migrate_from_v1);
	tcase_add_test(tc, test_newer_version_refused);
	tcase_add_test(tc, test_foreign_tables_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("records");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_upsert_idempotent);
	tcase_add_test(tc, test_nan_null_round_trip);
	tcase_add_test(tc, test_quotes_and_unicode);
	tcase_add_test(tc, test_athletes);
	tcase_add_test(tc, test_sessions_api);
	tcase_add_test(tc, test_efforts);
	tcase_add_test(tc, test_pain);
	tcase_add_test(tc, test_mvic_best_latest);
	tcase_add_test(tc, test_transactions);
	suite_add_tcase(s, tc);
	tc = tcase_create("stations");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_four_stations);
	suite_add_tcase(s, tc);
	return s;
}
