/*
 * test_store_pg.c - what only a real PostgreSQL server shows: the same data
 * gives the same answers as SQLite, field by field; a refusing server (no
 * such database or user) is told apart from an absent one; and a server
 * that goes away mid-session gives ERR_UNAVAILABLE, one line, no crash,
 * and the store works again once it is back.  Runs under with_pg.sh only.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_test.h"

/* ---- both engines, same answers ---- */

static const char *const people[] = {
	"Ada O'Neil", "\xc3\x89lodie \"El\" Brun", "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd",
};

/* The same calls, in the same order, on any store. */
static void fill(struct bm_store *st)
{
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		struct bm_store_athlete a;
		EXPECT_RC(st, bm_store_athlete_get_or_create(st, people[i], &a, NULL),
		          BM_STORE_OK);
		a.injured_side = (enum bm_store_side)(i + 1);
		a.body_mass_kg = i == 1 ? NAN : 60.5 + i * 7.25;
		EXPECT_RC(st, bm_store_athlete_update(st, &a), BM_STORE_OK);
		ids[i] = a.id;
	}
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_OK);
	for (int pass = 0; pass < 2; pass++) /* the second pass is a rebuild */
		for (int i = 0; i < 60; i++) {
			struct gen_session g;
			struct bm_store_effort e[9];
			int64_t sid;
			gen_session(&g, i, i % 4 == 3 ? 0 : ids[i % 3],
			            i % 2 ? "desk" : "station \xe2\x84\x96" "2");
			EXPECT_RC(st, bm_store_session_upsert(st, &g.s, &sid), BM_STORE_OK);
			gen_efforts(e, i % 10, i);
			EXPECT_RC(st, bm_store_effort_replace(st, sid, e, (size_t)(i % 10)),
			          BM_STORE_OK);
		}
	EXPECT_RC(st, bm_store_commit(st), BM_STORE_OK);
	for (int i = 0; i < 9; i++) {
		struct bm_store_pain p = {0, ids[i % 3], 1790000000 + i * 5000,
		                          (enum bm_store_pain_when)(i % 3), (i * 7) % 11 * 0.5,
		                          i % 2 ? "desk" : NULL, i % 2 ? "x.csv" : NULL};
		EXPECT_RC(st, bm_store_pain_add(st, &p, NULL), BM_STORE_OK);
		struct bm_store_mvic m = {0, ids[i % 3], 1790000000 + i * 40000,
		                          (enum bm_store_side)(1 + i % 3),
		                          (enum bm_store_mvic_mode)(i % 2),
		                          250.0 + i * 3.3, NULL, NULL};
		EXPECT_RC(st, bm_store_mvic_add(st, &m, NULL), BM_STORE_OK);
	}
}

/* An athlete's name from its id in its own store. */
static void name_of(struct bm_store *st, int64_t id, char *out, size_t cap)
{
	if (id == 0) {
		snprintf(out, cap, "(none)");
		return;
	}
	struct bm_store_athlete a;
	EXPECT_RC(st, bm_store_athlete_find_id(st, id, &a), BM_STORE_OK);
	snprintf(out, cap, "%s", a.name);
}

START_TEST(test_same_answers_as_sqlite)
{
	struct bm_store *sq = open_ok(store_fresh_on(TARGET_SQLITE), NULL);
	struct bm_store *pg = open_ok(store_fresh_on(TARGET_PG), NULL);
	ck_assert_msg(strcmp(bm_store_backend_name(pg), "postgresql") == 0,
	              "expected postgresql, got %s", bm_store_backend_name(pg));
	fill(sq);
	fill(pg);

	struct bm_store_athletes *aa, *ab;
	EXPECT_RC(sq, bm_store_athlete_list(sq, &aa), BM_STORE_OK);
	EXPECT_RC(pg, bm_store_athlete_list(pg, &ab), BM_STORE_OK);
	ck_assert_msg(aa->count == 3 && ab->count == 3,
	              "expected 3 athletes in both, got %zu and %zu", aa->count,
	              ab->count);
	for (size_t i = 0; i < 3; i++) {
		const struct bm_store_athlete *x = &aa->items[i], *y = &ab->items[i];
		ck_assert_msg(strcmp(x->name, y->name) == 0 &&
		              x->injured_side == y->injured_side &&
		              same_double(x->body_mass_kg, y->body_mass_kg),
		              "athlete %zu: expected (SQLite) %s %d %g, got "
		              "(PostgreSQL) %s %d %g", i, x->name, (int)x->injured_side,
		              x->body_mass_kg, y->name, (int)y->injured_side,
		              y->body_mass_kg);
	}

	struct bm_store_sessions *sa, *sb;
	EXPECT_RC(sq, bm_store_session_list_all(sq, BM_STORE_WITH_JSON, &sa), BM_STORE_OK);
	EXPECT_RC(pg, bm_store_session_list_all(pg, BM_STORE_WITH_JSON, &sb), BM_STORE_OK);
	ck_assert_msg(sa->count == 60 && sb->count == 60,
	              "expected 60 sessions in both, got %zu and %zu", sa->count,
	              sb->count);
	for (size_t i = 0; i < sa->count; i++) {
		const struct bm_store_session *x = &sa->items[i], *y = &sb->items[i];
		char ctx[80], nx[160], ny[160];
		snprintf(ctx, sizeof ctx, "session row %zu (SQLite expected)", i);
		assert_session_eq(x, y, 0, 1, 0, ctx);
		name_of(sq, x->athlete_id, nx, sizeof nx);
		name_of(pg, y->athlete_id, ny, sizeof ny);
		ck_assert_msg(strcmp(nx, ny) == 0, "%s: athlete: expected %s, got %s",
		              ctx, nx, ny);
		struct bm_store_efforts *ea, *eb;
		EXPECT_RC(sq, bm_store_effort_list(sq, x->id, &ea), BM_STORE_OK);
		EXPECT_RC(pg, bm_store_effort_list(pg, y->id, &eb), BM_STORE_OK);
		ck_assert_msg(ea->count == eb->count, "%s: expected %zu efforts, got %zu",
		              ctx, ea->count, eb->count);
		for (size_t k = 0; k < ea->count; k++)
			assert_effort_eq(&ea->items[k], &eb->items[k], ctx);
		bm_store_efforts_free(ea);
		bm_store_efforts_free(eb);
	}
	/* The history query of each athlete, too. */
	for (size_t i = 0; i < 3; i++) {
		struct bm_store_sessions *ha, *hb;
		EXPECT_RC(sq, bm_store_session_list_athlete(sq, aa->items[i].id, 0, &ha),
		          BM_STORE_OK);
		EXPECT_RC(pg, bm_store_session_list_athlete(pg, ab->items[i].id, 0, &hb),
		          BM_STORE_OK);
		ck_assert_msg(ha->count == hb->count && ha->count > 0,
		              "history of %s: expected %zu sessions, got %zu",
		              aa->items[i].name, ha->count, hb->count);
		for (size_t k = 0; k < ha->count; k++)
			assert_session_eq(&ha->items[k], &hb->items[k], 0, 1, 0, "history");
		bm_store_sessions_free(ha);
		bm_store_sessions_free(hb);

		struct bm_store_pains *pa, *pb;
		EXPECT_RC(sq, bm_store_pain_list(sq, aa->items[i].id, &pa), BM_STORE_OK);
		EXPECT_RC(pg, bm_store_pain_list(pg, ab->items[i].id, &pb), BM_STORE_OK);
		ck_assert_msg(pa->count == pb->count && pa->count == 3,
		              "pain of %s: expected 3 entries in both, got %zu and %zu",
		              aa->items[i].name, pa->count, pb->count);
		for (size_t k = 0; k < pa->count; k++) {
			const struct bm_store_pain *x = &pa->items[k], *y = &pb->items[k];
			ck_assert_msg(x->epoch_s == y->epoch_s && x->when == y->when &&
			              same_double(x->score, y->score) &&
			              (x->station == NULL) == (y->station == NULL),
			              "pain entry %zu: expected %lld %d %g, got %lld %d %g",
			              k, (long long)x->epoch_s, (int)x->when, x->score,
			              (long long)y->epoch_s, (int)y->when, y->score);
		}
		bm_store_pains_free(pa);
		bm_store_pains_free(pb);

		struct bm_store_mvics *ma, *mb;
		EXPECT_RC(sq, bm_store_mvic_best_latest(sq, aa->items[i].id, &ma), BM_STORE_OK);
		EXPECT_RC(pg, bm_store_mvic_best_latest(pg, ab->items[i].id, &mb), BM_STORE_OK);
		ck_assert_msg(ma->count == mb->count && ma->count > 0,
		              "MVIC of %s: expected %zu results, got %zu",
		              aa->items[i].name, ma->count, mb->count);
		for (size_t k = 0; k < ma->count; k++)
			ck_assert_msg(ma->items[k].leg == mb->items[k].leg &&
			              ma->items[k].mode == mb->items[k].mode &&
			              same_double(ma->items[k].force_n, mb->items[k].force_n),
			              "MVIC %zu: expected %g N, got %g N", k,
			              ma->items[k].force_n, mb->items[k].force_n);
		bm_store_mvics_free(ma);
		bm_store_mvics_free(mb);
	}
	bm_store_sessions_free(sa);
	bm_store_sessions_free(sb);
	bm_store_athletes_free(aa);
	bm_store_athletes_free(ab);
	EXPECT_RC(sq, bm_store_session_delete_all(sq), 60);
	EXPECT_RC(pg, bm_store_session_delete_all(pg), 60);
	bm_store_close(sq);
	bm_store_close(pg);
}
END_TEST

/* ---- refusals ---- */

START_TEST(test_refused)
{
	const char *dir = getenv("BM_PG_SOCKET_DIR");
	char where[400], msg[512];
	struct bm_store *st = NULL;
	snprintf(where, sizeof where, "postgresql://bm:s3cret@/no_such_db?host=%s", dir);
	int rc = bm_store_open(where, &st, msg, sizeof msg);
	ck_assert_msg(rc == BM_STORE_ERR_OPEN && !st, "unknown database: expected "
	              "BM_STORE_ERR_OPEN, got %s (%s)", bm_store_result_name(rc), msg);
	assert_one_line(msg, "no_such_db", "s3cret");
	snprintf(where, sizeof where, "postgresql://nobody@/bm?host=%s", dir);
	rc = bm_store_open(where, &st, msg, sizeof msg);
	ck_assert_msg(rc == BM_STORE_ERR_OPEN && !st, "unknown user: expected "
	              "BM_STORE_ERR_OPEN, got %s (%s)", bm_store_result_name(rc), msg);
	assert_one_line(msg, "PostgreSQL database bm", NULL);
	/* And the name of a good one. */
	st = open_ok(store_fresh(), NULL);
	ck_assert_msg(strstr(bm_store_where(st), "PostgreSQL database bmt_") &&
	              strstr(bm_store_where(st), dir),
	              "expected the database and socket folder named, got %s",
	              bm_store_where(st));
	bm_store_close(st);
}
END_TEST

/* ---- a program that set a comma locale ---- */

/* German numbers: "1,5".  The locale comes with PostgreSQL's own
 * dependency (locales or locales-all); compiled here if not installed. */
static void comma_locale(void)
{
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8"))
		return;
	char dir[200], cmd[600];
	snprintf(dir, sizeof dir, "%s/locale", store_tmpdir());
	snprintf(cmd, sizeof cmd, "mkdir -p '%s' && localedef -i de_DE -f UTF-8 "
	         "'%s/de_DE.UTF-8' >/dev/null 2>&1", dir, dir);
	int rc = system(cmd);
	setenv("LOCPATH", dir, 1);
	ck_assert_msg(setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL,
	              "expected a de_DE.UTF-8 locale (installed, or made by "
	              "localedef: exit %d), got none", rc);
}

START_TEST(test_comma_locale)
{
	comma_locale();
	char text[16];
	snprintf(text, sizeof text, "%.1f", 1.5);
	ck_assert_msg(strcmp(text, "1,5") == 0, "expected the locale to print "
	              "1,5, got %s", text);
	struct bm_store *st = open_ok(store_fresh(), NULL);
	struct gen_session g;
	gen_session(&g, 5, 0, "komma");
	EXPECT_RC(st, bm_store_session_upsert(st, &g.s, NULL), BM_STORE_OK);
	struct bm_store_sessions *one;
	EXPECT_RC(st, bm_store_session_get(st, g.s.station, g.s.recording, &one),
	          BM_STORE_OK);
	assert_session_eq(&g.s, &one->items[0], 0, 1, 1, "under de_DE");
	bm_store_sessions_free(one);
	bm_store_close(st);
	setlocale(LC_NUMERIC, "C");
}
END_TEST

/* ---- the server goes away ---- */

static void server(const char *what)
{
	const char *cmd = getenv(what);
	ck_assert_msg(cmd != NULL, "expected %s from with_pg.sh, got none", what);
	int rc = system(cmd);
	ck_assert_msg(rc == 0, "%s (%s): expected exit 0, got %d", what, cmd, rc);
}

START_TEST(test_server_goes_away)
{
	char where[512], msg[512];
	snprintf(where, sizeof where, "%s", store_fresh());
	struct bm_store *st = open_ok(where, NULL);
	struct gen_session g[4];
	for (int i = 0; i < 4; i++)
		gen_session(&g[i], i, 0, "away");
	EXPECT_RC(st, bm_store_session_upsert(st, &g[0].s, NULL), BM_STORE_OK);

	server("BM_PG_STOP"); /* pg_ctl stop -m immediate */
	double t0 = now_s();
	EXPECT_RC(st, bm_store_session_upsert(st, &g[1].s, NULL),
	          BM_STORE_ERR_UNAVAILABLE);
	ck_assert_msg(now_s() - t0 < 10.0, "expected a prompt answer, took %.1f s",
	              now_s() - t0);
	assert_one_line(bm_store_errmsg(st), "PostgreSQL database bmt_", NULL);
	/* Still away: the reconnection attempt fails the same way. */
	EXPECT_RC(st, bm_store_session_exists(st, "away", g[0].s.recording),
	          BM_STORE_ERR_UNAVAILABLE);
	assert_one_line(bm_store_errmsg(st), "unreachable", NULL);
	struct bm_store *other = NULL;
	int rc = bm_store_open(where, &other, msg, sizeof msg);
	ck_assert_msg(rc == BM_STORE_ERR_UNAVAILABLE && !other, "open while away: "
	              "expected BM_STORE_ERR_UNAVAILABLE, got %s (%s)",
	              bm_store_result_name(rc), msg);
	assert_one_line(msg, "unreachable", NULL);

	server("BM_PG_START");
	/* The same handle reconnects by itself... */
	EXPECT_RC(st, bm_store_session_upsert(st, &g[1].s, NULL), BM_STORE_OK);
	/* ...and a transaction cut by the loss ends plainly. */
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_OK);
	EXPECT_RC(st, bm_store_session_upsert(st, &g[2].s, NULL), BM_STORE_OK);
	server("BM_PG_STOP");
	EXPECT_RC(st, bm_store_session_upsert(st, &g[3].s, NULL),
	          BM_STORE_ERR_UNAVAILABLE);
	EXPECT_RC(st, bm_store_commit(st), BM_STORE_ERR_ARG);
	EXPECT_RC(st, bm_store_rollback(st), BM_STORE_OK);
	server("BM_PG_START");
	bm_store_close(st);

	/* Reopen: what was committed is there, the cut transaction is not. */
	st = open_ok(where, NULL);
	EXPECT_RC(st, bm_store_session_exists(st, "away", g[0].s.recording), 1);
	EXPECT_RC(st, bm_store_session_exists(st, "away", g[1].s.recording), 1);
	EXPECT_RC(st, bm_store_session_exists(st, "away", g[2].s.recording), 0);
	/* The caller uploads the rest later: an upsert, so no duplicates. */
	for (int i = 0; i < 4; i++)
		EXPECT_RC(st, bm_store_session_upsert(st, &g[i].s, NULL), BM_STORE_OK);
	struct bm_store_sessions *list;
	EXPECT_RC(st, bm_store_session_list_all(st, 0, &list), BM_STORE_OK);
	ck_assert_msg(list->count == 4, "expected 4 sessions, got %zu", list->count);
	bm_store_sessions_free(list);
	bm_store_close(st);
}
END_TEST

Suite *suite_store_pg(void)
{
	Suite *s = suite_create("store_postgresql");
	TCase *tc = tcase_create("postgresql");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_same_answers_as_sqlite);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_comma_locale);
	/* Last: it stops and starts the server. */
	tcase_add_test(tc, test_server_goes_away);
	suite_add_tcase(s, tc);
	return s;
}
