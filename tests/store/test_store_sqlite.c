/*
 * test_store_sqlite.c - what only the SQLite engine and the opening of an
 * address can get wrong: another program's lock (bounded wait, one line),
 * files that are no database or a truncated one, folders that do not
 * exist, the default file under XDG_DATA_HOME or HOME, the sqlite: prefix;
 * and a PostgreSQL address with no server behind it, which needs none to
 * test.
 */
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_test.h"

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);
	ck_assert_msg(rc == SQLITE_OK, "raw open %s: expected OK, got %s", path,
	              sqlite3_errstr(rc));
	return db;
}

static void raw_sql(sqlite3 *db, const char *sql)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	ck_assert_msg(rc == SQLITE_OK, "raw \"%s\": expected OK, got %s", sql,
	              sqlite3_errmsg(db));
}

static int open_rc(const char *where, int timeout_ms, char *msg, size_t len,
                   double *elapsed_s)
{
	struct bm_store_options opt;
	bm_store_options_default(&opt);
	if (timeout_ms >= 0)
		opt.lock_timeout_ms = timeout_ms;
	struct bm_store *st = (struct bm_store *)1;
	double t0 = now_s();
	int rc = bm_store_open_with(where, &opt, &st, msg, len);
	if (elapsed_s)
		*elapsed_s = now_s() - t0;
	ck_assert_msg((rc == BM_STORE_OK) == (st != NULL),
	              "expected a handle exactly when OK, got %s with %s",
	              bm_store_result_name(rc), st ? "a handle" : "none");
	bm_store_close(st);
	return rc;
}

/* ---- locks ---- */

START_TEST(test_locked_while_migrating)
{
	/* Another program holds the write lock of a new file: opening must
	 * migrate, waits for the lock, and gives up after the timeout. */
	const char *where = store_fresh();
	sqlite3 *other = raw_open(where);
	raw_sql(other, "BEGIN IMMEDIATE");
	char msg[512];
	double t;
	int rc = open_rc(where, 1000, msg, sizeof msg, &t);
	ck_assert_msg(rc == BM_STORE_ERR_LOCKED, "expected BM_STORE_ERR_LOCKED, "
	              "got %s (%s)", bm_store_result_name(rc), msg);
	ck_assert_msg(t >= 0.9 && t < 4.0, "expected to wait about 1 s, waited "
	              "%.2f s", t);
	assert_one_line(msg, where, NULL);
	ck_assert_msg(strstr(msg, "locked") && strstr(msg, "waited 1 s"),
	              "expected \"locked ... waited 1 s\", got \"%s\"", msg);
	raw_sql(other, "ROLLBACK");
	rc = open_rc(where, 1000, msg, sizeof msg, NULL);
	ck_assert_msg(rc == BM_STORE_OK, "expected OK once the lock is gone, got "
	              "%s (%s)", bm_store_result_name(rc), msg);
	sqlite3_close(other);
}
END_TEST

START_TEST(test_locked_default_timeout)
{
	const char *where = store_fresh();
	sqlite3 *other = raw_open(where);
	raw_sql(other, "BEGIN IMMEDIATE");
	char msg[512];
	double t;
	int rc = open_rc(where, -1, msg, sizeof msg, &t);
	ck_assert_msg(rc == BM_STORE_ERR_LOCKED, "expected BM_STORE_ERR_LOCKED, "
	              "got %s (%s)", bm_store_result_name(rc), msg);
	ck_assert_msg(t >= 4.5 && t < 10.0, "expected to wait about 5 s, waited "
	              "%.2f s", t);
	assert_one_line(msg, "waited 5 s", NULL);
	raw_sql(other, "ROLLBACK");
	sqlite3_close(other);
}
END_TEST

START_TEST(test_locked_while_writing)
{
	/* An up-to-date file: opening needs no write lock and reading goes
	 * on while another program writes; a write waits, then gives up. */
	char where[512];
	snprintf(where, sizeof where, "%s", store_fresh());
	struct bm_store_options opt;
	bm_store_options_default(&opt);
	opt.lock_timeout_ms = 500;
	struct bm_store *st = open_ok(where, &opt);
	struct gen_session g;
	gen_session(&g, 1, 0, "lock");
	EXPECT_RC(st, bm_store_session_upsert(st, &g.s, NULL), BM_STORE_OK);
	bm_store_close(st);

	sqlite3 *other = raw_open(where);
	raw_sql(other, "BEGIN IMMEDIATE");
	raw_sql(other, "INSERT INTO athletes (name, name_key, created_epoch_s) "
	        "VALUES ('Other', 'other', 0)");
	st = open_ok(where, &opt);
	struct bm_store_sessions *list;
	EXPECT_RC(st, bm_store_session_list_all(st, 0, &list), BM_STORE_OK);
	ck_assert_msg(list->count == 1, "expected to read 1 session, got %zu",
	              list->count);
	bm_store_sessions_free(list);
	gen_session(&g, 2, 0, "lock");
	double t0 = now_s();
	EXPECT_RC(st, bm_store_session_upsert(st, &g.s, NULL), BM_STORE_ERR_LOCKED);
	double t = now_s() - t0;
	ck_assert_msg(t >= 0.4 && t < 3.0, "expected to wait about 0.5 s, waited "
	              "%.2f s", t);
	assert_one_line(bm_store_errmsg(st), "waited 0.5 s", NULL);
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_ERR_LOCKED);
	raw_sql(other, "COMMIT");
	EXPECT_RC(st, bm_store_session_upsert(st, &g.s, NULL), BM_STORE_OK);
	struct bm_store_athlete a;
	EXPECT_RC(st, bm_store_athlete_find_name(st, "OTHER", &a), BM_STORE_OK);
	bm_store_close(st);
	sqlite3_close(other);
}
END_TEST

/* ---- damaged files ---- */

static void write_bytes(const char *path, const unsigned char *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "expected to create %s", path);
	ck_assert_msg(fwrite(b, 1, n, f) == n, "expected %zu bytes written", n);
	fclose(f);
}

static void expect_corrupt(const char *path, const char *what)
{
	char msg[512];
	int rc = open_rc(path, 500, msg, sizeof msg, NULL);
	ck_assert_msg(rc == BM_STORE_ERR_CORRUPT, "%s: expected "
	              "BM_STORE_ERR_CORRUPT, got %s (%s)", what,
	              bm_store_result_name(rc), msg);
	assert_one_line(msg, path, NULL);
}

START_TEST(test_corrupt_random_bytes)
{
	static unsigned char junk[16384];
	srand(12345);
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(rand() >> 7);
	char path[300];
	const size_t sizes[] = {sizeof junk, 4096, 512, 100};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		snprintf(path, sizeof path, "%s/random%zu.db", store_tmpdir(), sizes[k]);
		write_bytes(path, junk, sizes[k]);
		expect_corrupt(path, "random bytes");
	}
	/* Plain text is no database either. */
	snprintf(path, sizeof path, "%s/notes.txt", store_tmpdir());
	const char *text = "t_s,left_n,right_n\n0.0,1.0,2.0\n";
	write_bytes(path, (const unsigned char *)text, strlen(text));
	expect_corrupt(path, "a CSV file");
	/* An empty file is an empty database: it is made one. */
	snprintf(path, sizeof path, "%s/empty.db", store_tmpdir());
	write_bytes(path, junk, 0);
	char msg[512];
	int rc = open_rc(path, 500, msg, sizeof msg, NULL);
	ck_assert_msg(rc == BM_STORE_OK, "empty file: expected OK, got %s (%s)",
	              bm_store_result_name(rc), msg);
}
END_TEST

START_TEST(test_corrupt_truncated)
{
	char where[512];
	snprintf(where, sizeof where, "%s", store_fresh());
	struct bm_store *st = open_ok(where, NULL);
	EXPECT_RC(st, bm_store_begin(st), BM_STORE_OK);
	for (int i = 0; i < 300; i++) {
		struct gen_session g;
		gen_session(&g, i, 0, "trunc");
		EXPECT_RC(st, bm_store_session_upsert(st, &g.s, NULL), BM_STORE_OK);
	}
	EXPECT_RC(st, bm_store_commit(st), BM_STORE_OK);
	bm_store_close(st);
	FILE *f = fopen(where, "rb");
	ck_assert_msg(f != NULL, "expected to read %s back", where);
	static unsigned char whole[4 << 20];
	size_t n = fread(whole, 1, sizeof whole, f);
	fclose(f);
	ck_assert_msg(n > 64 * 1024 && n < sizeof whole,
	              "expected a database of some pages, got %zu bytes", n);
	const size_t cuts[] = {n / 2, n - 4096, 4096 + 17, 60};
	char path[600];
	for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
		snprintf(path, sizeof path, "%s/truncated%zu.db", store_tmpdir(), cuts[k]);
		write_bytes(path, whole, cuts[k]);
		expect_corrupt(path, "truncated database");
	}
	/* A damaged header (page size 3) is refused too. */
	whole[16] = 0;
	whole[17] = 3;
	snprintf(path, sizeof path, "%s/badheader.db", store_tmpdir());
	write_bytes(path, whole, n);
	expect_corrupt(path, "bad header");
}
END_TEST

/* ---- addresses ---- */

START_TEST(test_open_errors)
{
	char path[400], msg[512];
	snprintf(path, sizeof path, "%s/no/such/folder/x.db", store_tmpdir());
	int rc = open_rc(path, 500, msg, sizeof msg, NULL);
	ck_assert_msg(rc == BM_STORE_ERR_OPEN, "missing folder: expected "
	              "BM_STORE_ERR_OPEN, got %s (%s)", bm_store_result_name(rc), msg);
	assert_one_line(msg, path, NULL);
	rc = open_rc(store_tmpdir(), 500, msg, sizeof msg, NULL);
	ck_assert_msg(rc == BM_STORE_ERR_OPEN, "a folder: expected "
	              "BM_STORE_ERR_OPEN, got %s (%s)", bm_store_result_name(rc), msg);
	assert_one_line(msg, store_tmpdir(), NULL);
	rc = bm_store_open(store_fresh(), NULL, msg, sizeof msg);
	ck_assert_msg(rc == BM_STORE_ERR_ARG, "no out pointer: expected "
	              "BM_STORE_ERR_ARG, got %s", bm_store_result_name(rc));
	struct bm_store_options opt;
	bm_store_options_default(&opt);
	opt.schema_version = BM_STORE_SCHEMA_VERSION + 1;
	struct bm_store *st = NULL;
	rc = bm_store_open_with(store_fresh(), &opt, &st, msg, sizeof msg);
	ck_assert_msg(rc == BM_STORE_ERR_ARG && !st, "schema version beyond ours: "
	              "expected BM_STORE_ERR_ARG, got %s", bm_store_result_name(rc));
	assert_one_line(msg, "schema version", NULL);
	/* A NULL message buffer is fine. */
	rc = bm_store_open(path, &st, NULL, 0);
	ck_assert_msg(rc == BM_STORE_ERR_OPEN, "expected BM_STORE_ERR_OPEN, got %s",
	              bm_store_result_name(rc));
	ck_assert_msg(strcmp(bm_store_backend_name(NULL), "") == 0 &&
	              bm_store_schema_version(NULL) == 0,
	              "expected harmless answers for a NULL handle");
}
END_TEST

static void expect_default_file(const char *want)
{
	struct bm_store *st = open_ok(NULL, NULL);
	ck_assert_msg(strcmp(bm_store_where(st), want) == 0,
	              "expected the default file %s, got %s", want,
	              bm_store_where(st));
	bm_store_close(st);
	struct stat sb;
	ck_assert_msg(stat(want, &sb) == 0 && S_ISREG(sb.st_mode),
	              "expected %s to exist", want);
}

START_TEST(test_default_path)
{
	char xdg[300], home[300], want[400];
	snprintf(xdg, sizeof xdg, "%s/xdg/deeper", store_tmpdir());
	snprintf(home, sizeof home, "%s/home", store_tmpdir());
	ck_assert_msg(mkdir(home, 0700) == 0, "expected to make %s", home);
	setenv("HOME", home, 1);
	setenv("XDG_DATA_HOME", xdg, 1);
	snprintf(want, sizeof want, "%s/bridgemon/bridgemon.db", xdg);
	expect_default_file(want);
	/* "" and NULL are the same address. */
	struct bm_store *st = open_ok("", NULL);
	ck_assert_msg(strcmp(bm_store_where(st), want) == 0,
	              "expected \"\" to open %s, got %s", want, bm_store_where(st));
	bm_store_close(st);
	/* Without XDG_DATA_HOME, or with a relative one: ~/.local/share. */
	snprintf(want, sizeof want, "%s/.local/share/bridgemon/bridgemon.db", home);
	unsetenv("XDG_DATA_HOME");
	expect_default_file(want);
	setenv("XDG_DATA_HOME", "relative/path", 1);
	expect_default_file(want);
	/* Neither: a message, no file anywhere. */
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	char msg[512];
	int rc = open_rc(NULL, 500, msg, sizeof msg, NULL);
	ck_assert_msg(rc == BM_STORE_ERR_OPEN, "expected BM_STORE_ERR_OPEN, got %s",
	              bm_store_result_name(rc));
	assert_one_line(msg, "HOME", NULL);
}
END_TEST

START_TEST(test_sqlite_prefix)
{
	char path[400], where[420];
	snprintf(path, sizeof path, "%s/prefixed.db", store_tmpdir());
	snprintf(where, sizeof where, "sqlite:%s", path);
	struct bm_store *st = open_ok(where, NULL);
	ck_assert_msg(strcmp(bm_store_where(st), path) == 0 &&
	              strcmp(bm_store_backend_name(st), "sqlite") == 0,
	              "expected sqlite file %s, got %s %s", path,
	              bm_store_backend_name(st), bm_store_where(st));
	bm_store_close(st);
	ck_assert_msg(access(path, F_OK) == 0, "expected %s created", path);
}
END_TEST

START_TEST(test_pg_unreachable)
{
	/* No server is needed to see that none answers. */
	char where[400], msg[512], part[300];
	snprintf(where, sizeof where, "postgresql://bm:s3cret@/clinic?host=%s/nosock",
	         store_tmpdir());
	double t;
	int rc = open_rc(where, 2000, msg, sizeof msg, &t);
	ck_assert_msg(rc == BM_STORE_ERR_UNAVAILABLE, "expected "
	              "BM_STORE_ERR_UNAVAILABLE, got %s (%s)", bm_store_result_name(rc),
	              msg);
	ck_assert_msg(t < 3.0, "expected a quick answer, took %.2f s", t);
	snprintf(part, sizeof part, "PostgreSQL database clinic on %s/nosock",
	         store_tmpdir());
	assert_one_line(msg, part, "s3cret");
	/* The key=value form, after "postgresql:". */
	snprintf(where, sizeof where, "postgresql:host=%s/nosock dbname=desk "
	         "user=bm password=s3cret", store_tmpdir());
	rc = open_rc(where, 2000, msg, sizeof msg, NULL);
	ck_assert_msg(rc == BM_STORE_ERR_UNAVAILABLE, "expected "
	              "BM_STORE_ERR_UNAVAILABLE, got %s (%s)", bm_store_result_name(rc),
	              msg);
	assert_one_line(msg, "PostgreSQL database desk", "s3cret");
	/* A TCP port where nobody listens. */
	rc = open_rc("postgres://bm:s3cret@127.0.0.1:1/clinic", 2000, msg,
	             sizeof msg, NULL);
	ck_assert_msg(rc == BM_STORE_ERR_UNAVAILABLE, "expected "
	              "BM_STORE_ERR_UNAVAILABLE, got %s (%s)", bm_store_result_name(rc),
	              msg);
	assert_one_line(msg, "clinic on 127.0.0.1:1", "s3cret");
	/* A malformed address is refused, not tried. */
	rc = open_rc("postgresql://bm@/clinic?nonsense_option=1", 2000, msg,
	             sizeof msg, NULL);
	ck_assert_msg(rc == BM_STORE_ERR_ARG, "expected BM_STORE_ERR_ARG, got %s "
	              "(%s)", bm_store_result_name(rc), msg);
	assert_one_line(msg, "nonsense_option", NULL);
}
END_TEST

START_TEST(test_enum_names)
{
	for (int i = 0; i < 4; i++) {
		enum bm_store_side s;
		const char *name = bm_store_side_name((enum bm_store_side)i);
		ck_assert_msg(name && bm_store_side_parse(name, &s) == BM_STORE_OK &&
		              (int)s == i, "side %d: expected a round trip, got %s", i,
		              name ? name : "NULL");
	}
	for (int i = 0; i < 5; i++) {
		enum bm_store_exercise e;
		const char *name = bm_store_exercise_name((enum bm_store_exercise)i);
		ck_assert_msg(name && bm_store_exercise_parse(name, &e) == BM_STORE_OK &&
		              (int)e == i, "exercise %d: expected a round trip, got %s",
		              i, name ? name : "NULL");
	}
	for (int i = 0; i < 3; i++) {
		enum bm_store_pain_when w;
		const char *name = bm_store_pain_when_name((enum bm_store_pain_when)i);
		ck_assert_msg(name && bm_store_pain_when_parse(name, &w) == BM_STORE_OK &&
		              (int)w == i, "pain moment %d: expected a round trip", i);
	}
	for (int i = 0; i < 2; i++) {
		enum bm_store_mvic_mode m;
		const char *name = bm_store_mvic_mode_name((enum bm_store_mvic_mode)i);
		ck_assert_msg(name && bm_store_mvic_mode_parse(name, &m) == BM_STORE_OK &&
		              (int)m == i, "MVIC mode %d: expected a round trip", i);
	}
	ck_assert_msg(strcmp(bm_store_exercise_name(BM_STORE_EX_LONG_LEVER),
	                     "long_lever") == 0 &&
	              strcmp(bm_store_pain_when_name(BM_STORE_PAIN_NEXT_MORNING),
	                     "next_morning") == 0,
	              "expected the names the database stores");
	enum bm_store_side s;
	ck_assert_msg(bm_store_side_name((enum bm_store_side)4) == NULL &&
	              bm_store_side_parse("LEFT", &s) == BM_STORE_ERR_ARG &&
	              bm_store_side_parse(NULL, &s) == BM_STORE_ERR_ARG,
	              "expected unknown names refused");
	for (int rc = 0; rc >= BM_STORE_ERR_IO; rc--)
		ck_assert_msg(strncmp(bm_store_result_name(rc), "BM_STORE_", 9) == 0,
		              "result %d: expected a name, got %s", rc,
		              bm_store_result_name(rc));
}
END_TEST

Suite *suite_store_sqlite(void)
{
	Suite *s = suite_create("store_sqlite");
	TCase *tc = tcase_create("locks");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_locked_while_migrating);
	tcase_add_test(tc, test_locked_default_timeout);
	tcase_add_test(tc, test_locked_while_writing);
	suite_add_tcase(s, tc);
	tc = tcase_create("damage");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_corrupt_random_bytes);
	tcase_add_test(tc, test_corrupt_truncated);
	suite_add_tcase(s, tc);
	tc = tcase_create("addresses");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_default_path);
	tcase_add_test(tc, test_sqlite_prefix);
	tcase_add_test(tc, test_pg_unreachable);
	tcase_add_test(tc, test_enum_names);
	suite_add_tcase(s, tc);
	return s;
}
