/*
 * bm_store_sqlite.c - the SQLite engine: one file, embedded, the default.
 *
 * The file lives in $XDG_DATA_HOME/bridgemon/ (else ~/.local/share/...),
 * folders made on first use.  Waits for another program's lock are bounded
 * by SQLite's busy timeout; write transactions start with BEGIN IMMEDIATE
 * so that the write lock is taken up front and a wait can only happen
 * there, never half way through (where SQLite would give up at once to
 * avoid a deadlock).  Foreign keys are switched on per connection, as SQLite
 * wants.  The rollback journal (SQLite's default) is kept: the file can sit
 * anywhere, and no -wal/-shm files appear beside it.
 *
 * SQLite opens lazily: a file of random bytes opens fine and fails at the
 * first read, so opening reads the schema once, and the result codes of
 * that read (and of every later statement) are translated here.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bm_store_priv.h"

struct bm_rows {
	struct bm_store *st;
	sqlite3_stmt *stmt;
};

static sqlite3 *db_of(struct bm_store *st) { return (sqlite3 *)st->conn; }

/* Translate an SQLite result code (and the connection's message). */
static int sq_fail(struct bm_store *st, int code)
{
	const char *detail = st->conn ? sqlite3_errmsg(db_of(st)) : sqlite3_errstr(code);
	switch (code & 0xFF) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return bm_store_fail(st, BM_STORE_ERR_LOCKED,
		                     "%s is locked by another program (waited %g s)",
		                     st->where, st->lock_timeout_ms / 1000.0);
	case SQLITE_NOTADB:
		return bm_store_fail(st, BM_STORE_ERR_CORRUPT,
		                     "%s is not a database (%s)", st->where, detail);
	case SQLITE_CORRUPT:
	case SQLITE_FORMAT:
		return bm_store_fail(st, BM_STORE_ERR_CORRUPT,
		                     "%s is damaged (%s)", st->where, detail);
	case SQLITE_NOMEM:
		return bm_store_fail(st, BM_STORE_ERR_NOMEM,
		                     "%s: out of memory", st->where);
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return bm_store_fail(st, BM_STORE_ERR_OPEN, "cannot open %s (%s)",
		                     st->where, detail);
	case SQLITE_READONLY:
		return bm_store_fail(st, BM_STORE_ERR_OPEN,
		                     "cannot write to %s (%s)", st->where, detail);
	case SQLITE_CONSTRAINT:
		if (code == SQLITE_CONSTRAINT_UNIQUE ||
		    code == SQLITE_CONSTRAINT_PRIMARYKEY)
			return bm_store_fail(st, BM_STORE_ERR_CONFLICT,
			                     "%s: already there (%s)", st->where, detail);
		if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
			return bm_store_fail(st, BM_STORE_ERR_NOT_FOUND,
			                     "%s: refers to a row that does not exist (%s)",
			                     st->where, detail);
		return bm_store_fail(st, BM_STORE_ERR_ARG, "%s: value refused (%s)",
		                     st->where, detail);
	case SQLITE_FULL:
		return bm_store_fail(st, BM_STORE_ERR_IO, "%s: disk full (%s)",
		                     st->where, detail);
	default:
		return bm_store_fail(st, BM_STORE_ERR_IO, "%s: %s", st->where, detail);
	}
}

/* mkdir -p, for folders we own (XDG asks for 0700). */
static int make_dirs(char *path)
{
	for (char *p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		int bad = mkdir(path, 0700) != 0 && errno != EEXIST;
		*p = c;
		if (bad)
			return -1;
		if (c == '\0')
			return 0;
	}
}

/* $XDG_DATA_HOME/bridgemon/bridgemon.db, else ~/.local/share/... */
static int default_path(struct bm_store *st)
{
	char dir[sizeof st->where - sizeof "/bridgemon.db"];
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;
	/* The XDG spec says to ignore a relative XDG_DATA_HOME. */
	if (xdg && xdg[0] == '/')
		n = snprintf(dir, sizeof dir, "%s/bridgemon", xdg);
	else if (home && home[0] == '/')
		n = snprintf(dir, sizeof dir, "%s/.local/share/bridgemon", home);
	else
		return bm_store_fail(st, BM_STORE_ERR_OPEN,
		                     "cannot find the default database: neither "
		                     "XDG_DATA_HOME nor HOME is set");
	if (n < 0 || (size_t)n >= sizeof dir)
		return bm_store_fail(st, BM_STORE_ERR_OPEN,
		                     "cannot open the default database: its folder "
		                     "name is too long");
	if (make_dirs(dir) != 0)
		return bm_store_fail(st, BM_STORE_ERR_OPEN,
		                     "cannot create the folder %s (%s)", dir,
		                     strerror(errno));
	snprintf(st->where, sizeof st->where, "%s/bridgemon.db", dir);
	return BM_STORE_OK;
}

static int sq_open(struct bm_store *st, const char *target)
{
	int rc;
	if (!target) {
		if ((rc = default_path(st)) < 0)
			return rc;
	} else {
		if (!target[0] || strlen(target) >= sizeof st->where)
			return bm_store_fail(st, BM_STORE_ERR_ARG,
			                     "bad SQLite file name (empty or too long)");
		snprintf(st->where, sizeof st->where, "%s", target);
	}
	sqlite3 *db = NULL;
	rc = sqlite3_open_v2(st->where, &db, SQLITE_OPEN_READWRITE |
	                     SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		int code = rc;
		if (db) {
			code = sqlite3_extended_errcode(db);
			sqlite3_close(db);
		}
		return code == SQLITE_NOMEM ? sq_fail(st, code)
			: bm_store_fail(st, code == SQLITE_NOTADB ? BM_STORE_ERR_CORRUPT
			                                          : BM_STORE_ERR_OPEN,
			                "cannot open %s (%s)", st->where,
			                sqlite3_errstr(code));
	}
	st->conn = db;
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, st->lock_timeout_ms);
	if ((rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL)) != SQLITE_OK)
		return sq_fail(st, rc);
	/* The first read: a file that is no database, a damaged header or a
	 * lock held exclusively shows up here rather than later. */
	rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(st, sqlite3_extended_errcode(db));
	return BM_STORE_OK;
}

static void sq_close(struct bm_store *st)
{
	sqlite3_close(db_of(st));
	st->conn = NULL;
}

static int sq_ready(struct bm_store *st)
{
	(void)st;
	return BM_STORE_OK;
}

static int sq_exec(struct bm_store *st, const char *sql)
{
	int rc = sqlite3_exec(db_of(st), sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? BM_STORE_OK
	                       : sq_fail(st, sqlite3_extended_errcode(db_of(st)));
}

static int sq_query(struct bm_store *st, const char *sql,
                    const struct bm_val *params, int n, struct bm_rows **rows)
{
	*rows = NULL;
	struct bm_rows *r = calloc(1, sizeof *r);
	if (!r)
		return bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory", st->where);
	r->st = st;
	int rc = sqlite3_prepare_v2(db_of(st), sql, -1, &r->stmt, NULL);
	for (int i = 0; rc == SQLITE_OK && i < n; i++) {
		const struct bm_val *v = &params[i];
		switch (v->type) {
		case BM_VAL_NULL: rc = sqlite3_bind_null(r->stmt, i + 1); break;
		case BM_VAL_INT: rc = sqlite3_bind_int64(r->stmt, i + 1, v->i); break;
		case BM_VAL_REAL: rc = sqlite3_bind_double(r->stmt, i + 1, v->d); break;
		case BM_VAL_TEXT:
			rc = sqlite3_bind_text(r->stmt, i + 1, v->s, -1, SQLITE_STATIC);
			break;
		}
	}
	if (rc != SQLITE_OK) {
		int code = sqlite3_extended_errcode(db_of(st));
		sqlite3_finalize(r->stmt);
		free(r);
		return sq_fail(st, code ? code : rc);
	}
	*rows = r;
	return BM_STORE_OK;
}

static int sq_step(struct bm_rows *r)
{
	int rc = sqlite3_step(r->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return sq_fail(r->st, sqlite3_extended_errcode(db_of(r->st)));
}

static int sq_is_null(struct bm_rows *r, int col)
{
	return sqlite3_column_type(r->stmt, col) == SQLITE_NULL;
}

static int64_t sq_get_int(struct bm_rows *r, int col)
{
	return sqlite3_column_int64(r->stmt, col);
}

static double sq_get_real(struct bm_rows *r, int col)
{
	if (sqlite3_column_type(r->stmt, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(r->stmt, col);
}

static const char *sq_get_text(struct bm_rows *r, int col)
{
	if (sqlite3_column_type(r->stmt, col) == SQLITE_NULL)
		return NULL;
	return (const char *)sqlite3_column_text(r->stmt, col);
}

static void sq_finish(struct bm_rows *r)
{
	if (!r)
		return;
	sqlite3_finalize(r->stmt);
	free(r);
}

static int sq_begin_write(struct bm_store *st)
{
	return sq_exec(st, "BEGIN IMMEDIATE");
}

static int sq_lock_schema(struct bm_store *st)
{
	(void)st; /* BEGIN IMMEDIATE holds the write lock already */
	return BM_STORE_OK;
}

const struct bm_store_engine bm_store_sqlite_engine = {
	.name = "sqlite",
	.dialect = BM_DIALECT_SQLITE,
	.sql_count_table = "SELECT count(*) FROM sqlite_master "
	                   "WHERE type = 'table' AND name = ?",
	.open = sq_open,
	.close = sq_close,
	.ready = sq_ready,
	.exec = sq_exec,
	.query = sq_query,
	.step = sq_step,
	.is_null = sq_is_null,
	.get_int = sq_get_int,
	.get_real = sq_get_real,
	.get_text = sq_get_text,
	.finish = sq_finish,
	.begin_write = sq_begin_write,
	.lock_schema = sq_lock_schema,
};
