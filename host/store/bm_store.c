/*
 * bm_store.c - opening a store, choosing its engine from the address, and
 * the rules every public call follows: one-line messages, and transactions.
 *
 * A public call is bracketed by bm_store_call_begin()/_end().  Begin refuses
 * to work inside a transaction that already failed and lets the engine
 * check its connection; end turns a failure inside the caller's transaction
 * into a rollback of the whole transaction.  PostgreSQL aborts a
 * transaction on any error anyway while SQLite would carry on; rolling back
 * in both makes the two engines behave alike, and a caller never commits
 * half of a batch it believed was all or nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_store_priv.h"

const char *bm_store_result_name(int result)
{
	switch (result) {
	case BM_STORE_OK: return "BM_STORE_OK";
	case BM_STORE_ERR_ARG: return "BM_STORE_ERR_ARG";
	case BM_STORE_ERR_NOMEM: return "BM_STORE_ERR_NOMEM";
	case BM_STORE_ERR_OPEN: return "BM_STORE_ERR_OPEN";
	case BM_STORE_ERR_LOCKED: return "BM_STORE_ERR_LOCKED";
	case BM_STORE_ERR_CORRUPT: return "BM_STORE_ERR_CORRUPT";
	case BM_STORE_ERR_VERSION: return "BM_STORE_ERR_VERSION";
	case BM_STORE_ERR_UNAVAILABLE: return "BM_STORE_ERR_UNAVAILABLE";
	case BM_STORE_ERR_NOT_FOUND: return "BM_STORE_ERR_NOT_FOUND";
	case BM_STORE_ERR_CONFLICT: return "BM_STORE_ERR_CONFLICT";
	case BM_STORE_ERR_IO: return "BM_STORE_ERR_IO";
	default: return result > 0 ? "a count" : "unknown result";
	}
}

void bm_store_one_line(char *s)
{
	char *w = s;
	int space = 0;
	for (const char *r = s; *r; r++) {
		unsigned char c = (unsigned char)*r;
		if (c < 0x20 || c == 0x7F || c == ' ') {
			space = (w != s); /* no leading space */
			continue;
		}
		if (space)
			*w++ = ' ';
		space = 0;
		*w++ = (char)c;
	}
	*w = '\0';
}

int bm_store_fail(struct bm_store *st, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->msg, sizeof st->msg, fmt, ap);
	va_end(ap);
	bm_store_one_line(st->msg);
	return code;
}

/* ---- opening ---- */

void bm_store_options_default(struct bm_store_options *opt)
{
	opt->lock_timeout_ms = 5000;
	opt->schema_version = 0;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The engine an address names, and what that engine is given. */
static const struct bm_store_engine *pick_engine(const char *where,
                                                 const char **target)
{
	if (!where || !where[0]) {
		*target = NULL;
		return &bm_store_sqlite_engine;
	}
	if (starts_with(where, "postgresql://") || starts_with(where, "postgres://")) {
		*target = where; /* libpq reads the URI itself */
		return &bm_store_pg_engine;
	}
	if (starts_with(where, "postgresql:")) {
		*target = where + strlen("postgresql:");
		return &bm_store_pg_engine;
	}
	if (starts_with(where, "sqlite:")) {
		*target = where + strlen("sqlite:");
		return &bm_store_sqlite_engine;
	}
	*target = where;
	return &bm_store_sqlite_engine;
}

static void copy_msg(char *msg, size_t msg_len, const char *text)
{
	if (msg && msg_len > 0)
		snprintf(msg, msg_len, "%s", text);
}

int bm_store_open(const char *where, struct bm_store **out, char *msg,
                  size_t msg_len)
{
	return bm_store_open_with(where, NULL, out, msg, msg_len);
}

int bm_store_open_with(const char *where, const struct bm_store_options *opt,
                       struct bm_store **out, char *msg, size_t msg_len)
{
	struct bm_store_options defaults;
	if (out)
		*out = NULL;
	if (msg && msg_len > 0)
		msg[0] = '\0';
	if (!out) {
		copy_msg(msg, msg_len, "bm_store_open: no place for the handle");
		return BM_STORE_ERR_ARG;
	}
	if (!opt) {
		bm_store_options_default(&defaults);
		opt = &defaults;
	}
	int target_version = opt->schema_version ? opt->schema_version
	                                         : BM_STORE_SCHEMA_VERSION;
	if (target_version < 1 || target_version > BM_STORE_SCHEMA_VERSION ||
	    opt->lock_timeout_ms < 0) {
		copy_msg(msg, msg_len, "bm_store_open: schema version or lock "
		                       "timeout out of range");
		return BM_STORE_ERR_ARG;
	}
	struct bm_store *st = calloc(1, sizeof *st);
	if (!st) {
		copy_msg(msg, msg_len, "out of memory opening the database");
		return BM_STORE_ERR_NOMEM;
	}
	const char *target;
	st->eng = pick_engine(where, &target);
	st->lock_timeout_ms = opt->lock_timeout_ms;
	int rc = st->eng->open(st, target);
	if (rc == BM_STORE_OK)
		rc = bm_store_migrate(st, target_version);
	if (rc != BM_STORE_OK) {
		copy_msg(msg, msg_len, st->msg);
		bm_store_close(st);
		return rc;
	}
	st->msg[0] = '\0';
	*out = st;
	return BM_STORE_OK;
}

void bm_store_close(struct bm_store *st)
{
	if (!st)
		return;
	if (st->conn && st->in_tx && !st->tx_failed)
		st->eng->exec(st, "ROLLBACK");
	if (st->conn)
		st->eng->close(st);
	free(st);
}

const char *bm_store_backend_name(const struct bm_store *st)
{
	return st ? st->eng->name : "";
}

const char *bm_store_where(const struct bm_store *st)
{
	return st ? st->where : "";
}

int bm_store_schema_version(const struct bm_store *st)
{
	return st ? st->version : 0;
}

const char *bm_store_errmsg(const struct bm_store *st)
{
	return st ? st->msg : "no database handle";
}

/* ---- running statements ---- */

int bm_store_run(struct bm_store *st, const char *sql,
                 const struct bm_val *params, int n)
{
	struct bm_rows *r;
	int rc = st->eng->query(st, sql, params, n, &r);
	if (rc < 0)
		return rc;
	while ((rc = st->eng->step(r)) > 0)
		;
	st->eng->finish(r);
	return rc;
}

int bm_store_query_int(struct bm_store *st, const char *sql,
                       const struct bm_val *params, int n, int64_t *value,
                       int *found)
{
	struct bm_rows *r;
	int rc = st->eng->query(st, sql, params, n, &r);
	if (rc < 0)
		return rc;
	rc = st->eng->step(r);
	if (rc > 0)
		*value = st->eng->get_int(r, 0);
	st->eng->finish(r);
	if (rc < 0)
		return rc;
	if (found)
		*found = rc;
	else if (rc == 0)
		return bm_store_fail(st, BM_STORE_ERR_NOT_FOUND,
		                     "%s: no row", st->where);
	return BM_STORE_OK;
}

int bm_store_grow(struct bm_store *st, void **items, size_t *cap,
                  size_t count, size_t size)
{
	if (count < *cap)
		return BM_STORE_OK;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *n = realloc(*items, ncap * size);
	if (!n)
		return bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory",
		                     st->where);
	*items = n;
	*cap = ncap;
	return BM_STORE_OK;
}

/* ---- checking arguments ---- */

int bm_store_check_real(struct bm_store *st, const char *what, double v,
                        double lo, double hi, int nan_ok)
{
	if (isnan(v) && nan_ok)
		return BM_STORE_OK;
	if (isnan(v))
		return bm_store_fail(st, BM_STORE_ERR_ARG, "%s: %s is missing (NaN)",
		                     st->where, what);
	if (!(v >= lo && v <= hi))
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: %s is %g, outside %g..%g", st->where, what,
		                     v, lo, hi);
	return BM_STORE_OK;
}

int bm_store_check_text(struct bm_store *st, const char *what, const char *s,
                        size_t max, unsigned rules)
{
	if (!s || !s[0]) {
		if (rules & BM_TEXT_REQUIRED)
			return bm_store_fail(st, BM_STORE_ERR_ARG, "%s: %s is empty",
			                     st->where, what);
		return BM_STORE_OK;
	}
	if (max && strlen(s) > max)
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: %s is longer than %zu bytes", st->where,
		                     what, max);
	if (!bm_store_utf8_valid(s))
		return bm_store_fail(st, BM_STORE_ERR_ARG, "%s: %s is not UTF-8",
		                     st->where, what);
	if ((rules & BM_TEXT_ONE_LINE) && bm_store_has_control(s))
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: %s has control characters", st->where, what);
	return BM_STORE_OK;
}

int bm_store_check_key(struct bm_store *st, const char *station,
                       const char *recording, int optional)
{
	if (optional && !station && !recording)
		return BM_STORE_OK;
	if (optional && (!station || !recording))
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: a session key needs both station and "
		                     "recording", st->where);
	int rc = bm_store_check_text(st, "station", station, BM_STORE_STATION_MAX,
	                             BM_TEXT_REQUIRED | BM_TEXT_ONE_LINE);
	if (rc == BM_STORE_OK)
		rc = bm_store_check_text(st, "recording", recording,
		                         BM_STORE_RECORDING_MAX,
		                         BM_TEXT_REQUIRED | BM_TEXT_ONE_LINE);
	return rc;
}

/* ---- calls and transactions ---- */

int bm_store_call_begin(struct bm_store *st)
{
	if (st->in_tx && st->tx_failed)
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: the transaction was rolled back after an "
		                     "earlier error; call bm_store_rollback() first",
		                     st->where);
	return st->eng->ready(st);
}

int bm_store_call_end(struct bm_store *st, int rc)
{
	if (rc < 0 && st->in_tx && !st->tx_failed) {
		char keep[sizeof st->msg];
		memcpy(keep, st->msg, sizeof keep);
		st->eng->exec(st, "ROLLBACK"); /* may fail: the link is gone */
		memcpy(st->msg, keep, sizeof keep);
		st->tx_failed = 1;
	}
	return rc;
}

int bm_store_work_begin(struct bm_store *st, int *own)
{
	*own = 0;
	if (st->in_tx)
		return BM_STORE_OK;
	int rc = st->eng->begin_write(st);
	if (rc == BM_STORE_OK)
		*own = 1;
	return rc;
}

int bm_store_work_end(struct bm_store *st, int own, int rc)
{
	if (!own)
		return rc;
	if (rc >= 0) {
		int c = st->eng->exec(st, "COMMIT");
		if (c == BM_STORE_OK)
			return rc;
		rc = c;
	}
	char keep[sizeof st->msg];
	memcpy(keep, st->msg, sizeof keep);
	st->eng->exec(st, "ROLLBACK");
	memcpy(st->msg, keep, sizeof keep);
	return rc;
}

int bm_store_need_version(struct bm_store *st, int version, const char *what)
{
	if (st->version >= version)
		return BM_STORE_OK;
	return bm_store_fail(st, BM_STORE_ERR_VERSION,
	                     "%s: %s needs schema version %d, the database was "
	                     "opened at version %d", st->where, what, version,
	                     st->version);
}

int bm_store_begin(struct bm_store *st)
{
	if (!st)
		return BM_STORE_ERR_ARG;
	if (st->in_tx)
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: a transaction is already open (they do "
		                     "not nest)", st->where);
	int rc = st->eng->ready(st);
	if (rc == BM_STORE_OK)
		rc = st->eng->begin_write(st);
	if (rc == BM_STORE_OK) {
		st->in_tx = 1;
		st->tx_failed = 0;
	}
	return rc;
}

int bm_store_commit(struct bm_store *st)
{
	if (!st)
		return BM_STORE_ERR_ARG;
	if (!st->in_tx)
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: commit without a transaction", st->where);
	if (st->tx_failed) {
		st->in_tx = st->tx_failed = 0;
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: nothing committed: the transaction was "
		                     "rolled back after an earlier error", st->where);
	}
	st->in_tx = 0;
	int rc = st->eng->exec(st, "COMMIT");
	if (rc != BM_STORE_OK) {
		/* SQLite keeps the transaction open after a busy COMMIT; end it
		 * so the handle is usable and the outcome is plain. */
		char keep[sizeof st->msg];
		memcpy(keep, st->msg, sizeof keep);
		st->eng->exec(st, "ROLLBACK");
		memcpy(st->msg, keep, sizeof keep);
	}
	return rc;
}

int bm_store_rollback(struct bm_store *st)
{
	if (!st)
		return BM_STORE_ERR_ARG;
	if (!st->in_tx)
		return BM_STORE_OK;
	int failed = st->tx_failed;
	st->in_tx = st->tx_failed = 0;
	if (failed)
		return BM_STORE_OK; /* already rolled back */
	return st->eng->exec(st, "ROLLBACK");
}

/* ---- names of the enumerations ---- */

static const char *const side_names[] = {"none", "left", "right", "both"};
static const char *const exercise_names[] = {
	"double_leg", "single_leg_left", "single_leg_right", "long_lever", "custom",
};
static const char *const pain_when_names[] = {"before", "after", "next_morning"};
static const char *const mvic_mode_names[] = {"single_leg", "both_legs"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *name_of(const char *const *names, int count, int v)
{
	return (v >= 0 && v < count) ? names[v] : NULL;
}

static int parse_name(const char *const *names, int count, const char *text)
{
	for (int i = 0; text && i < count; i++)
		if (strcmp(names[i], text) == 0)
			return i;
	return -1;
}

const char *bm_store_side_name(enum bm_store_side side)
{
	return name_of(side_names, COUNT(side_names), (int)side);
}

int bm_store_side_parse(const char *text, enum bm_store_side *out)
{
	int i = parse_name(side_names, COUNT(side_names), text);
	if (i < 0)
		return BM_STORE_ERR_ARG;
	*out = (enum bm_store_side)i;
	return BM_STORE_OK;
}

const char *bm_store_exercise_name(enum bm_store_exercise ex)
{
	return name_of(exercise_names, COUNT(exercise_names), (int)ex);
}

int bm_store_exercise_parse(const char *text, enum bm_store_exercise *out)
{
	int i = parse_name(exercise_names, COUNT(exercise_names), text);
	if (i < 0)
		return BM_STORE_ERR_ARG;
	*out = (enum bm_store_exercise)i;
	return BM_STORE_OK;
}

const char *bm_store_pain_when_name(enum bm_store_pain_when when)
{
	return name_of(pain_when_names, COUNT(pain_when_names), (int)when);
}

const char *bm_store_mvic_mode_name(enum bm_store_mvic_mode mode)
{
	return name_of(mvic_mode_names, COUNT(mvic_mode_names), (int)mode);
}

int bm_store_pain_when_parse(const char *text, enum bm_store_pain_when *out)
{
	int i = parse_name(pain_when_names, COUNT(pain_when_names), text);
	if (i < 0)
		return BM_STORE_ERR_ARG;
	*out = (enum bm_store_pain_when)i;
	return BM_STORE_OK;
}

int bm_store_mvic_mode_parse(const char *text, enum bm_store_mvic_mode *out)
{
	int i = parse_name(mvic_mode_names, COUNT(mvic_mode_names), text);
	if (i < 0)
		return BM_STORE_ERR_ARG;
	*out = (enum bm_store_mvic_mode)i;
	return BM_STORE_OK;
}
