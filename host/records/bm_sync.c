/* bm_sync.c - the recordings folder into the store; the idea is in
 * bm_sync.h. */
#include "bm_sync.h"

#include <errno.h>
#include <libpq-fe.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_fileio.h"
#include "bm_painlog.h"
#include "bm_recording.h"
#include "bm_summary.h"

/* Uploads per transaction on a sync: one commit (an fsync for SQLite) per
 * batch instead of per recording; a batch lost with the server is
 * uploaded again next time. */
#define BATCH 100
#define LEDGER_MAX_BYTES (16u << 20)

static void problem(struct bm_sync_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problem(struct bm_sync_result *res, const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	char **np = realloc(res->problems, (res->n_problems + 1) * sizeof *np);
	if (!np)
		return; /* the count still says it */
	res->problems = np;
	res->problems[res->n_problems] = strdup(line);
	if (res->problems[res->n_problems])
		res->n_problems++;
}

void bm_sync_result_free(struct bm_sync_result *res)
{
	for (size_t i = 0; i < res->n_problems; i++)
		free(res->problems[i]);
	free(res->problems);
	memset(res, 0, sizeof *res);
}

/* ------------------------------------------------------------ ledger */

/* FNV-1a, 64 bits: names the ledger of a database without writing its
 * address (which may hold a password) to disk. */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The database an address names, the same however it is spelt: libpq's
 * own parse of a PostgreSQL address (URI or key=value, so options such as
 * connect_timeout do not count), the real path of a SQLite file. */
static void address_key(const char *address, char *out, size_t len)
{
	static const char *const pg[] = {"postgresql://", "postgres://"};
	const char *a = address ? address : "";
	const char *conninfo = NULL;
	for (int i = 0; i < 2; i++)
		if (!strncmp(a, pg[i], strlen(pg[i])))
			conninfo = a;
	if (!conninfo && !strncmp(a, "postgresql:", 11))
		conninfo = a + 11;
	if (conninfo) {
		char *err = NULL;
		PQconninfoOption *opt = PQconninfoParse(conninfo, &err);
		PQfreemem(err);
		if (opt) {
			size_t n = (size_t)snprintf(out, len, "pg");
			for (PQconninfoOption *o = opt; o->keyword; o++) {
				int want = !strcmp(o->keyword, "host") || !strcmp(o->keyword, "hostaddr") ||
				           !strcmp(o->keyword, "port") || !strcmp(o->keyword, "dbname") ||
				           !strcmp(o->keyword, "user");
				if (want && o->val && n < len)
					n += (size_t)snprintf(out + n, len - n, ";%s=%s", o->keyword, o->val);
			}
			PQconninfoFree(opt);
			return;
		}
		snprintf(out, len, "%s", a);
		return;
	}
	if (!strncmp(a, "sqlite:", 7))
		a += 7;
	char real[PATH_MAX];
	snprintf(out, len, "sqlite:%s", *a && realpath(a, real) ? real : a);
}

static int ledger_path(const char *address, char *out, size_t len)
{
	char dir[900], msg[600], key[PATH_MAX + 64];
	if (bm_records_data_dir(dir, sizeof dir, msg, sizeof msg) != 0)
		return -1;
	address_key(address, key, sizeof key);
	return snprintf(out, len, "%s/sync-%016llx.txt", dir,
	                (unsigned long long)fnv1a(key)) < (int)len ? 0 : -1;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A sorted list of keys ("NAME.csv"). */
struct keys {
	char **k;
	size_t n, cap;
};

static int keys_add(struct keys *s, const char *k)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 256;
		char **nk = realloc(s->k, nc * sizeof *nk);
		if (!nk)
			return -1;
		s->k = nk;
		s->cap = nc;
	}
	if (!(s->k[s->n] = strdup(k)))
		return -1;
	s->n++;
	return 0;
}

static int keys_has(const struct keys *s, const char *k)
{
	return s->n && bsearch(&k, s->k, s->n, sizeof *s->k, by_str) != NULL;
}

static void keys_free(struct keys *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->k[i]);
	free(s->k);
	memset(s, 0, sizeof *s);
}

static void ledger_read(const char *address, struct keys *out)
{
	char path[1000], msg[600], *buf;
	size_t len;
	memset(out, 0, sizeof *out);
	if (ledger_path(address, path, sizeof path) != 0 ||
	    bm_summary_slurp(path, LEDGER_MAX_BYTES, &buf, &len, msg, sizeof msg) != BM_SUMMARY_OK)
		return;
	for (char *p = buf, *nl; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		if (!nl)
			break;
		*nl = '\0';
		if (*p && keys_add(out, p) != 0)
			break;
	}
	free(buf);
	if (out->n > 1) /* qsort(NULL, 0) is undefined */
		qsort(out->k, out->n, sizeof *out->k, by_str);
}

/* What this machine knows is in the store now; rewritten when it changed. */
static void ledger_write(const char *address, const struct keys *confirmed)
{
	char path[1000], msg[600];
	struct keys old;
	if (ledger_path(address, path, sizeof path) != 0)
		return;
	ledger_read(address, &old);
	int same = old.n == confirmed->n;
	for (size_t i = 0; same && i < old.n; i++)
		same = !strcmp(old.k[i], confirmed->k[i]);
	keys_free(&old);
	if (same && confirmed->n)
		return;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	for (size_t i = 0; i < confirmed->n; i++)
		fprintf(f, "%s\n", confirmed->k[i]);
	if (fclose(f) == 0)
		(void)bm_write_file_atomic(path, buf ? buf : "", len, msg, sizeof msg);
	free(buf);
}

/* Add @p confirmed to what the ledger lists (after a sync that stopped
 * early: what it did not reach stays as it was). */
static void ledger_merge(const char *address, const struct keys *confirmed)
{
	struct keys all;
	ledger_read(address, &all);
	for (size_t i = 0; i < confirmed->n; i++)
		if (!keys_has(&all, confirmed->k[i]) && keys_add(&all, confirmed->k[i]) == 0)
			qsort(all.k, all.n, sizeof *all.k, by_str);
	ledger_write(address, &all);
	keys_free(&all);
}

size_t bm_sync_waiting(const char *dir, const char *address)
{
	struct bm_recording_names names;
	struct keys done;
	char msg[600], key[300];
	size_t n = 0;
	if (bm_recording_list(dir, &names, msg, sizeof msg) != 0)
		return 0;
	ledger_read(address, &done);
	for (size_t i = 0; i < names.n; i++) {
		if (!(names.has[i] & BM_RECORDING_HAS_CSV))
			continue;
		bm_recording_key(names.name[i], key, sizeof key);
		n += !keys_has(&done, key);
	}
	keys_free(&done);
	bm_recording_names_free(&names);
	return n;
}

/* ------------------------------------------------------------ athletes */

struct athlete_cache {
	char name[BM_STORE_NAME_MAX + 1];
	int64_t id;
};

/* The id of the sidecar's athlete (0: none), created when new. */
static int athlete_id(struct bm_store *st, const struct bm_recording *r, struct athlete_cache *c,
                      size_t *nc, size_t cap, struct bm_sync_result *res, int64_t *id)
{
	const struct bm_meta_context *x = &r->meta.ctx;
	*id = 0;
	if (!x->athlete[0])
		return BM_STORE_OK;
	for (size_t i = 0; i < *nc; i++)
		if (!strcmp(c[i].name, x->athlete)) {
			*id = c[i].id;
			return BM_STORE_OK;
		}
	struct bm_store_athlete a;
	int created = 0;
	int rc = bm_store_athlete_get_or_create(st, x->athlete, &a, &created);
	if (rc < 0)
		return rc;
	if (created) {
		/* A new athlete takes what the recording knew of them. */
		enum bm_store_side side;
		int change = 0;
		if (x->injured_side[0] && bm_store_side_parse(x->injured_side, &side) == BM_STORE_OK) {
			a.injured_side = side;
			change = 1;
		}
		if (isfinite(x->body_mass_kg)) {
			a.body_mass_kg = x->body_mass_kg;
			change = 1;
		}
		if (change && (rc = bm_store_athlete_update(st, &a)) < 0)
			return rc;
		res->athletes_created++;
	}
	if (*nc < cap) {
		snprintf(c[*nc].name, sizeof c[*nc].name, "%s", x->athlete);
		c[(*nc)++].id = a.id;
	}
	*id = a.id;
	return BM_STORE_OK;
}

/* ------------------------------------------------------------ upload */

/* Upload one recording.  BM_STORE_OK, 1 when it was left out (a problem
 * noted), or a store error that ends the sync. */
static int upload(struct bm_store *st, const char *dir, const char *name, const char *station,
                  struct athlete_cache *cache, size_t *ncache, size_t cache_cap,
                  struct bm_sync_result *res)
{
	struct bm_recording r;
	struct bm_store_session s;
	struct bm_store_effort *ef = NULL;
	size_t nef = 0;
	char msg[700], key[300];
	int64_t aid, sid;

	if (bm_recording_load(dir, name, &r, msg, sizeof msg) != BM_RECORDING_OK) {
		problem(res, "%s", msg);
		res->failed++;
		return 1;
	}
	int rc = athlete_id(st, &r, cache, ncache, cache_cap, res, &aid);
	if (rc == BM_STORE_OK && bm_recording_session(&r, station, aid, &s, &ef, &nef) != 0)
		rc = BM_STORE_ERR_NOMEM;
	bm_recording_key(name, key, sizeof key);
	s.recording = key;
	if (rc == BM_STORE_OK)
		rc = bm_store_session_upsert(st, &s, &sid);
	if (rc == BM_STORE_OK)
		rc = bm_store_effort_replace(st, sid, ef, nef);
	free(ef);
	if (rc == BM_STORE_ERR_ARG && !bm_store_errmsg(st)[0])
		rc = BM_STORE_ERR_IO;
	if (rc == BM_STORE_ERR_ARG) {
		/* Refused by the library's own checks: the transaction is as it
		 * was, the other recordings go on. */
		problem(res, "%s: not in the store: %s", r.csv, bm_store_errmsg(st));
		res->failed++;
		rc = 1;
	}
	bm_recording_free(&r);
	return rc;
}

/* Put back the pain log's entries the store lacks. */
static int restore_pain(struct bm_store *st, const char *log, struct bm_sync_result *res)
{
	char path[1000], msg[700];
	struct bm_painlog pl;
	if (log && !log[0])
		return BM_STORE_OK;
	if (!log) {
		if (bm_painlog_path(path, sizeof path, msg, sizeof msg) != 0)
			return BM_STORE_OK;
		log = path;
	}
	if (bm_painlog_read(log, &pl, msg, sizeof msg) != BM_PAINLOG_OK) {
		problem(res, "%s", msg);
		return BM_STORE_OK;
	}
	if (pl.bad_lines)
		problem(res, "%s (%zu line%s of the pain log left out)", pl.first_bad, pl.bad_lines,
		        pl.bad_lines == 1 ? "" : "s");
	int rc = BM_STORE_OK;
	int64_t cur_id = -1;
	struct bm_store_pains *have = NULL;
	for (size_t i = 0; i < pl.n && rc == BM_STORE_OK; i++) {
		const struct bm_painlog_entry *e = &pl.items[i];
		struct bm_store_athlete a;
		int created = 0;
		if ((rc = bm_store_athlete_get_or_create(st, e->athlete, &a, &created)) < 0)
			break;
		res->athletes_created += created;
		if (a.id != cur_id) {
			bm_store_pains_free(have);
			have = NULL;
			if ((rc = bm_store_pain_list(st, a.id, &have)) < 0)
				break;
			cur_id = a.id;
		}
		int found = 0;
		for (size_t k = 0; k < have->count && !found; k++)
			found = have->items[k].epoch_s == e->epoch_s && have->items[k].when == e->when &&
			        fabs(have->items[k].score - e->score) < 1e-9;
		if (found)
			continue;
		struct bm_store_pain p = {0, a.id, e->epoch_s, e->when, e->score, NULL, NULL};
		if ((rc = bm_store_pain_add(st, &p, NULL)) < 0)
			break;
		res->pain_restored++;
		cur_id = -1; /* list again: the new entry counts as had */
	}
	bm_store_pains_free(have);
	bm_painlog_free(&pl);
	return rc < 0 ? rc : BM_STORE_OK;
}

/* Commit the open transaction; its uploads are then confirmed. */
static int commit(struct bm_store *st, struct keys *pending, struct keys *confirmed)
{
	int rc = bm_store_commit(st);
	if (rc != BM_STORE_OK)
		return rc;
	for (size_t i = 0; i < pending->n; i++) {
		if (keys_add(confirmed, pending->k[i]) != 0)
			return BM_STORE_ERR_NOMEM;
	}
	keys_free(pending);
	return BM_STORE_OK;
}

int bm_sync_run(struct bm_store *st, const struct bm_sync_opts *o, struct bm_sync_result *res)
{
	struct bm_recording_names names;
	struct keys stored = {0}, confirmed = {0}, pending = {0};
	struct athlete_cache cache[64];
	size_t ncache = 0, batch = 0;
	char station[BM_STORE_STATION_MAX + 1], msg[580], key[300];
	int rc = BM_STORE_OK, in_txn = 0;

	memset(res, 0, sizeof *res);
	if (o->station)
		snprintf(station, sizeof station, "%s", o->station);
	else
		bm_recording_station(station, sizeof station);
	if (bm_recording_list(o->dir, &names, msg, sizeof msg) != 0) {
		res->stopped = 1;
		snprintf(res->stop_msg, sizeof res->stop_msg, "%s", msg);
		return BM_STORE_ERR_ARG;
	}
	for (size_t i = 0; i < names.n; i++)
		res->recordings += names.has[i] == (BM_RECORDING_HAS_CSV | BM_RECORDING_HAS_SUMMARY);

	if (o->rebuild) {
		/* One transaction: the store ends as it was, or rebuilt whole. */
		if ((rc = bm_store_begin(st)) == BM_STORE_OK) {
			in_txn = 1;
			int n = bm_store_session_delete_all(st);
			rc = n < 0 ? n : BM_STORE_OK;
			res->deleted = n > 0 ? (size_t)n : 0;
		}
	} else {
		struct bm_store_sessions *all = NULL;
		rc = bm_store_session_list_all(st, 0, &all);
		for (size_t i = 0; rc == BM_STORE_OK && i < all->count; i++)
			if (!strcmp(all->items[i].station, station) &&
			    keys_add(&stored, all->items[i].recording) != 0)
				rc = BM_STORE_ERR_NOMEM;
		bm_store_sessions_free(all);
		if (stored.n > 1) /* qsort(NULL, 0) is undefined */
			qsort(stored.k, stored.n, sizeof *stored.k, by_str);
	}

	size_t i = 0;
	for (; rc == BM_STORE_OK && i < names.n; i++) {
		if (names.has[i] != (BM_RECORDING_HAS_CSV | BM_RECORDING_HAS_SUMMARY))
			continue;
		bm_recording_key(names.name[i], key, sizeof key);
		if (!o->rebuild && keys_has(&stored, key)) {
			res->already++;
			if (keys_add(&confirmed, key) != 0)
				rc = BM_STORE_ERR_NOMEM;
			continue;
		}
		if (!in_txn) {
			if ((rc = bm_store_begin(st)) != BM_STORE_OK)
				break;
			in_txn = 1;
		}
		int u = upload(st, o->dir, names.name[i], station, cache, &ncache,
		               sizeof cache / sizeof cache[0], res);
		if (u < 0) {
			rc = u;
			break;
		}
		if (u == 0) {
			res->uploaded++;
			batch++;
			if (keys_add(&pending, key) != 0)
				rc = BM_STORE_ERR_NOMEM;
		}
		if (rc == BM_STORE_OK && !o->rebuild && batch >= BATCH) {
			if ((rc = commit(st, &pending, &confirmed)) != BM_STORE_OK)
				break;
			in_txn = 0;
			batch = 0;
		}
	}
	if (rc == BM_STORE_OK && in_txn) {
		rc = commit(st, &pending, &confirmed);
		in_txn = rc != BM_STORE_OK;
	}
	if (rc != BM_STORE_OK) {
		snprintf(res->stop_msg, sizeof res->stop_msg, "%s", bm_store_errmsg(st));
		res->stopped = 1;
		if (in_txn)
			bm_store_rollback(st);
		/* The rolled-back batch was not uploaded after all; what waits is
		 * what this machine has not seen confirmed, by this run or an
		 * earlier one. */
		res->uploaded -= o->rebuild ? res->uploaded : batch;
		if (o->rebuild)
			res->deleted = 0;
		ledger_merge(o->address, &confirmed);
		res->waiting = bm_sync_waiting(o->dir, o->address);
	} else {
		rc = restore_pain(st, o->pain_log, res);
		if (rc != BM_STORE_OK) {
			snprintf(res->stop_msg, sizeof res->stop_msg, "%s", bm_store_errmsg(st));
			res->stopped = 1;
		}
		if (confirmed.n > 1) /* qsort(NULL, 0) is undefined */
			qsort(confirmed.k, confirmed.n, sizeof *confirmed.k, by_str);
		ledger_write(o->address, &confirmed);
	}
	keys_free(&stored);
	keys_free(&confirmed);
	keys_free(&pending);
	bm_recording_names_free(&names);
	return rc;
}
