/*
 * bm_store_pg.c - the PostgreSQL engine: one server shared by a clinic's
 * stations and the physiotherapist's desk.
 *
 * Statements go out with PQexecParams, parameters as text ($1, $2... made
 * from the records code's `?`), doubles printed with 17 significant digits
 * so they arrive bit for bit; rows come back as text (the server prints
 * doubles in their shortest exact form) and are parsed here.  libpq's
 * notices would go to stderr: a no-op notice processor keeps the library
 * silent.  The schema migration is serialised across stations by an
 * advisory lock held until the transaction ends.
 *
 * A server that goes away (restart, network) makes the call that notices
 * it return BM_STORE_ERR_UNAVAILABLE; the caller keeps its recording.  The
 * next call on the handle tries PQreset() once (outside a transaction: a
 * transaction does not survive its connection), so a station recovers
 * without reopening when the server is back.
 *
 * Messages name the database as "PostgreSQL database DB on HOST[:PORT]"
 * from libpq's parsed connection, which never includes the password.
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_store_priv.h"

/* pg_advisory_xact_lock key for migrations: "bmschema" in ASCII. */
#define MIGRATION_LOCK_KEY "7092451858968833377"

struct bm_rows {
	struct bm_store *st;
	PGresult *res;
	int row;
	int nrows;
};

/* st->conn: the connection, and whether a call found it broken.  libpq
 * may still report CONNECTION_OK after a send to a vanished server
 * failed, so our own flag decides when to reconnect.  Numbers travel as
 * text with a '.' decimal point whatever locale the program set, so they
 * are printed and parsed under a "C" numeric locale of our own. */
struct pg_link {
	PGconn *c;
	int broken;
	locale_t c_numeric;
};

static PGconn *conn_of(struct bm_store *st)
{
	return ((struct pg_link *)st->conn)->c;
}

static locale_t c_numeric_of(struct bm_store *st)
{
	return ((struct pg_link *)st->conn)->c_numeric;
}

static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* The first line of libpq's message, without "FATAL:  " and the like. */
static void first_line(const char *text, char *out, size_t cap)
{
	snprintf(out, cap, "%s", text ? text : "");
	out[strcspn(out, "\n")] = '\0';
	bm_store_one_line(out);
	if (!out[0])
		snprintf(out, cap, "no message from the server");
}

static void describe(struct bm_store *st, PGconn *c)
{
	const char *db = PQdb(c), *host = PQhost(c), *port = PQport(c);
	if (!db || !db[0])
		db = "?";
	if (!host || !host[0])
		host = "the default socket";
	/* A socket folder needs no port to be recognised; a host does. */
	if (host[0] == '/' || !port || !port[0] || strcmp(port, "5432") == 0)
		snprintf(st->where, sizeof st->where,
		         "PostgreSQL database %s on %s", db, host);
	else
		snprintf(st->where, sizeof st->where,
		         "PostgreSQL database %s on %s:%s", db, host, port);
	bm_store_one_line(st->where);
}

/* Whether a failed connection attempt is a refusal (wrong database, user,
 * password: reconnecting later will not help) rather than an unreachable
 * server.  libpq gives no SQLSTATE for connection failures, so this reads
 * the server's words. */
static int is_refusal(PGconn *c, const char *text)
{
	static const char *const words[] = {
		"does not exist", "authentication", "password",
		"pg_hba.conf", "permission denied", "no such user",
	};
	if (PQconnectionNeedsPassword(c))
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(text, words[i]))
			return 1;
	return 0;
}

static int pg_open(struct bm_store *st, const char *target)
{
	char timeout[16], line[400];
	int secs = (st->lock_timeout_ms + 999) / 1000;
	snprintf(timeout, sizeof timeout, "%d", secs < 2 ? 2 : secs);
	/* Keywords are applied in order, later ones winning: the address may
	 * set its own connect_timeout, but not the encoding we speak. */
	const char *keys[] = {"connect_timeout", "fallback_application_name",
	                      "dbname", "client_encoding", NULL};
	const char *vals[] = {timeout, "bridgemon", target, "UTF8", NULL};
	snprintf(st->where, sizeof st->where, "PostgreSQL database");
	/* A malformed address is the caller's mistake, not an absent server:
	 * say so before trying to connect. */
	char *err = NULL;
	PQconninfoOption *parsed = PQconninfoParse(target, &err);
	if (!parsed) {
		first_line(err ? err : "out of memory", line, sizeof line);
		PQfreemem(err);
		return bm_store_fail(st, err ? BM_STORE_ERR_ARG : BM_STORE_ERR_NOMEM,
		                     "bad PostgreSQL address (%s)", line);
	}
	PQconninfoFree(parsed);
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (!c)
		return bm_store_fail(st, BM_STORE_ERR_NOMEM,
		                     "out of memory connecting to PostgreSQL");
	describe(st, c);
	if (PQstatus(c) != CONNECTION_OK) {
		first_line(PQerrorMessage(c), line, sizeof line);
		int refused = is_refusal(c, line);
		PQfinish(c);
		if (refused)
			return bm_store_fail(st, BM_STORE_ERR_OPEN, "cannot open %s (%s)",
			                     st->where, line);
		return bm_store_fail(st, BM_STORE_ERR_UNAVAILABLE,
		                     "%s is unreachable (%s)", st->where, line);
	}
	struct pg_link *link = calloc(1, sizeof *link);
	if (link)
		link->c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (!link || link->c_numeric == (locale_t)0) {
		free(link);
		PQfinish(c);
		return bm_store_fail(st, BM_STORE_ERR_NOMEM,
		                     "out of memory connecting to PostgreSQL");
	}
	PQsetNoticeProcessor(c, ignore_notice, NULL);
	link->c = c;
	st->conn = link;
	return BM_STORE_OK;
}

static void pg_close(struct bm_store *st)
{
	PQfinish(conn_of(st));
	freelocale(c_numeric_of(st));
	free(st->conn);
	st->conn = NULL;
}

static int pg_ready(struct bm_store *st)
{
	struct pg_link *link = st->conn;
	PGconn *c = link->c;
	if (PQstatus(c) == CONNECTION_OK && !link->broken)
		return BM_STORE_OK;
	if (!st->in_tx) {
		PQreset(c);
		if (PQstatus(c) == CONNECTION_OK) {
			PQsetNoticeProcessor(c, ignore_notice, NULL);
			link->broken = 0;
			return BM_STORE_OK;
		}
	}
	char line[400];
	first_line(PQerrorMessage(c), line, sizeof line);
	return bm_store_fail(st, BM_STORE_ERR_UNAVAILABLE,
	                     "%s is unreachable (%s)", st->where, line);
}

/* Translate a failed result (res may be NULL) into ours. */
static int pg_fail(struct bm_store *st, const PGresult *res)
{
	PGconn *c = conn_of(st);
	char line[400];
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	first_line(primary ? primary : PQerrorMessage(c), line, sizeof line);
	/* No SQLSTATE: libpq itself failed, not the server; apart from
	 * memory, that is the link (a send to a server that went away). */
	if (!state && strstr(line, "out of memory"))
		return bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory",
		                     st->where);
	if (!state || PQstatus(c) != CONNECTION_OK || strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
	    strcmp(state, "57P03") == 0) {
		((struct pg_link *)st->conn)->broken = 1;
		return bm_store_fail(st, BM_STORE_ERR_UNAVAILABLE,
		                     "%s is unreachable: the connection was lost (%s)",
		                     st->where, line);
	}
	if (strcmp(state, "23505") == 0)
		return bm_store_fail(st, BM_STORE_ERR_CONFLICT,
		                     "%s: already there (%s)", st->where, line);
	if (strcmp(state, "23503") == 0)
		return bm_store_fail(st, BM_STORE_ERR_NOT_FOUND,
		                     "%s: refers to a row that does not exist (%s)",
		                     st->where, line);
	if (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0)
		return bm_store_fail(st, BM_STORE_ERR_ARG, "%s: value refused (%s)",
		                     st->where, line);
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return bm_store_fail(st, BM_STORE_ERR_LOCKED,
		                     "%s is busy: %s", st->where, line);
	if (strcmp(state, "42P01") == 0 || strcmp(state, "42703") == 0)
		return bm_store_fail(st, BM_STORE_ERR_CORRUPT,
		                     "%s is damaged (%s)", st->where, line);
	if (strncmp(state, "28", 2) == 0 || strcmp(state, "42501") == 0)
		return bm_store_fail(st, BM_STORE_ERR_OPEN,
		                     "%s refused access (%s)", st->where, line);
	return bm_store_fail(st, BM_STORE_ERR_IO, "%s: %s", st->where, line);
}

static int pg_exec(struct bm_store *st, const char *sql)
{
	PGresult *res = PQexec(conn_of(st), sql);
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	int rc = (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
		? BM_STORE_OK : pg_fail(st, res);
	PQclear(res);
	return rc;
}

/* `?` -> `$1`, `$2`, ... outside quoted literals. */
static char *number_params(const char *sql)
{
	size_t len = strlen(sql), q = 0;
	for (const char *p = sql; *p; p++)
		q += *p == '?';
	char *out = malloc(len + q * 6 + 1);
	if (!out)
		return NULL;
	char *w = out;
	int n = 0, quoted = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (*p == '?' && !quoted)
			w += sprintf(w, "$%d", ++n);
		else
			*w++ = *p;
	}
	*w = '\0';
	return out;
}

static int pg_query(struct bm_store *st, const char *sql,
                    const struct bm_val *params, int n, struct bm_rows **rows)
{
	*rows = NULL;
	struct bm_rows *r = calloc(1, sizeof *r);
	char *text = number_params(sql);
	const char **values = calloc((size_t)(n > 0 ? n : 1), sizeof *values);
	char (*nums)[32] = calloc((size_t)(n > 0 ? n : 1), sizeof *nums);
	int rc = BM_STORE_OK;
	if (!r || !text || !values || !nums) {
		rc = bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory", st->where);
		goto cleanup;
	}
	locale_t outer = uselocale(c_numeric_of(st));
	for (int i = 0; i < n; i++) {
		const struct bm_val *v = &params[i];
		switch (v->type) {
		case BM_VAL_NULL: values[i] = NULL; break;
		case BM_VAL_INT:
			snprintf(nums[i], sizeof nums[i], "%" PRId64, v->i);
			values[i] = nums[i];
			break;
		case BM_VAL_REAL:
			snprintf(nums[i], sizeof nums[i], "%.17g", v->d);
			values[i] = nums[i];
			break;
		case BM_VAL_TEXT: values[i] = v->s; break;
		}
	}
	uselocale(outer);
	PGresult *res = PQexecParams(conn_of(st), text, n, NULL, values, NULL,
	                             NULL, 0);
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		rc = pg_fail(st, res);
		PQclear(res);
		goto cleanup;
	}
	r->st = st;
	r->res = res;
	r->row = -1;
	r->nrows = PQntuples(res);
	*rows = r;
	r = NULL;
cleanup:
	free(r);
	free(text);
	free(values);
	free(nums);
	return rc;
}

static int pg_step(struct bm_rows *r)
{
	return ++r->row < r->nrows;
}

static int pg_is_null(struct bm_rows *r, int col)
{
	return PQgetisnull(r->res, r->row, col);
}

static int64_t pg_get_int(struct bm_rows *r, int col)
{
	if (PQgetisnull(r->res, r->row, col))
		return 0;
	return strtoll(PQgetvalue(r->res, r->row, col), NULL, 10);
}

static double pg_get_real(struct bm_rows *r, int col)
{
	if (PQgetisnull(r->res, r->row, col))
		return NAN;
	locale_t outer = uselocale(c_numeric_of(r->st));
	double v = strtod(PQgetvalue(r->res, r->row, col), NULL);
	uselocale(outer);
	return v;
}

static const char *pg_get_text(struct bm_rows *r, int col)
{
	if (PQgetisnull(r->res, r->row, col))
		return NULL;
	return PQgetvalue(r->res, r->row, col);
}

static void pg_finish(struct bm_rows *r)
{
	if (!r)
		return;
	PQclear(r->res);
	free(r);
}

/* Read committed whatever the server's default: each statement then sees
 * what other stations committed before it, which the migration relies on
 * (the version is read again after waiting for the lock). */
static int pg_begin_write(struct bm_store *st)
{
	return pg_exec(st, "BEGIN ISOLATION LEVEL READ COMMITTED");
}

static int pg_lock_schema(struct bm_store *st)
{
	return pg_exec(st, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ")");
}

const struct bm_store_engine bm_store_pg_engine = {
	.name = "postgresql",
	.dialect = BM_DIALECT_PG,
	.sql_count_table = "SELECT count(*) FROM information_schema.tables "
	                   "WHERE table_schema = current_schema() "
	                   "AND table_name = ?",
	.open = pg_open,
	.close = pg_close,
	.ready = pg_ready,
	.exec = pg_exec,
	.query = pg_query,
	.step = pg_step,
	.is_null = pg_is_null,
	.get_int = pg_get_int,
	.get_real = pg_get_real,
	.get_text = pg_get_text,
	.finish = pg_finish,
	.begin_write = pg_begin_write,
	.lock_schema = pg_lock_schema,
};
