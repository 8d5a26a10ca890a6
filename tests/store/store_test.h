/*
 * store_test.h - what the store's tests share: the engine under test, fresh
 * databases on it, raw SQL beside the library (to plant a newer schema
 * version or check that NaN really became NULL), generated sessions and
 * efforts, and field-by-field comparison with messages that say which
 * field, what was expected and what came out.
 *
 * The same API suite runs on SQLite (always) and on PostgreSQL (under
 * tests/store/with_pg.sh, which starts a throw-away server and exports
 * BM_TEST_PG_URI, BM_PG_SOCKET_DIR, BM_PG_STOP, BM_PG_START).
 */
#ifndef STORE_TEST_H
#define STORE_TEST_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "bm_store.h"

Suite *suite_store_api(void);
Suite *suite_store_sqlite(void);
Suite *suite_store_pg(void);

/* ---- the engine under test ---- */

enum store_target { TARGET_SQLITE, TARGET_PG };

/** Choose the engine for suite_store_api(); sets up the scratch folder. */
void store_test_init(enum store_target target);
/** Remove the scratch folder. */
void store_test_done(void);
enum store_target store_target(void);
/** The scratch folder (exists for the whole run). */
const char *store_tmpdir(void);

/** The address of a new, empty database on the engine under test (SQLite:
 *  a file name not yet created; PostgreSQL: a newly created database).
 *  Returned in a static buffer overwritten by the next call. */
const char *store_fresh(void);
/** The same for a given engine. */
const char *store_fresh_on(enum store_target target);

/** Run SQL beside the library, on its own connection; returns 0 or fails
 *  the test with the engine's message. */
void raw_exec(const char *where, const char *sql);
/** The first column of the first row of @p sql as an integer. */
long long raw_int(const char *where, const char *sql);

/* ---- checks ---- */

/** Assert a call's result, showing the store's message when it differs. */
#define EXPECT_RC(st, call, want) do { \
	int rc_ = (call); \
	ck_assert_msg(rc_ == (want), "%s: expected %s, got %s (%s)", #call, \
	              bm_store_result_name(want), bm_store_result_name(rc_), \
	              bm_store_errmsg(st)); \
} while (0)

/** A failure message: non-empty, one line, containing @p part (if not
 *  NULL) and not containing @p secret (if not NULL). */
void assert_one_line(const char *msg, const char *part, const char *secret);

/** Open @p where (NULL opt = defaults) and fail the test if it fails. */
struct bm_store *open_ok(const char *where, const struct bm_store_options *opt);

/* ---- generated data ---- */

struct gen_session {
	struct bm_store_session s;
	char station[64];
	char recording[256];
	char protocol[64];
	char notes[256];
	char json[1024];
};

/** Session number @p i of @p station: every kind of value, NaNs in some
 *  fields depending on i, quotes, newlines and non-ASCII in the text. */
void gen_session(struct gen_session *g, int i, int64_t athlete_id,
                 const char *station);

/** @p n efforts for session number @p i. */
void gen_efforts(struct bm_store_effort *e, int n, int i);

/** Doubles equal bit for bit, or both NaN. */
int same_double(double a, double b);

/** Every field of two sessions (ids too when @p ids; JSON when @p json;
 *  athlete ids only when @p athletes). @p ctx prefixes messages. */
void assert_session_eq(const struct bm_store_session *want,
                       const struct bm_store_session *got, int ids, int json,
                       int athletes, const char *ctx);
void assert_effort_eq(const struct bm_store_effort *want,
                      const struct bm_store_effort *got, const char *ctx);

/** Seconds on the monotonic clock. */
double now_s(void);

#endif
