/*
 * bm_store_athlete.c - athletes: found by name without regard to case,
 * created on first use.
 *
 * The name is kept as typed (spaces at the ends dropped) and, beside it,
 * its key (bm_store_name_key()), which is what is unique and what lookups
 * compare.  Two stations creating the same athlete at once: the insert is
 * "ON CONFLICT (name_key) DO NOTHING", and whoever lost the race reads the
 * winner's row, so both end with the same id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bm_store_priv.h"

#define ATHLETE_COLS "id, name, injured_side, body_mass_kg, created_epoch_s"

/* Room for a key: folding never lengthens a code point's encoding. */
#define KEY_CAP (BM_STORE_NAME_MAX + 1)

/* Validate @p name; fill its trimmed form and key. */
static int check_name(struct bm_store *st, const char *name, char *trim,
                      char *key)
{
	if (!name)
		return bm_store_fail(st, BM_STORE_ERR_ARG, "%s: no athlete name given",
		                     st->where);
	if (!bm_store_utf8_valid(name) || bm_store_has_control(name))
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: athlete name is not plain UTF-8 text",
		                     st->where);
	int n = bm_store_name_trim(name, trim, BM_STORE_NAME_MAX + 1);
	if (n < 0)
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: athlete name longer than %d bytes",
		                     st->where, BM_STORE_NAME_MAX);
	if (n == 0)
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: athlete name is empty", st->where);
	if (bm_store_name_key(trim, key, KEY_CAP) < 0)
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: athlete name \"%s\" cannot be compared",
		                     st->where, trim);
	return BM_STORE_OK;
}

static int read_athlete(struct bm_store *st, struct bm_rows *r,
                        struct bm_store_athlete *a)
{
	const struct bm_store_engine *e = st->eng;
	const char *name = e->get_text(r, 1), *side = e->get_text(r, 2);
	memset(a, 0, sizeof *a);
	a->id = e->get_int(r, 0);
	if (!name || strlen(name) > BM_STORE_NAME_MAX ||
	    bm_store_side_parse(side, &a->injured_side) != BM_STORE_OK)
		return bm_store_fail(st, BM_STORE_ERR_CORRUPT,
		                     "%s is damaged: athlete %lld has a bad name or "
		                     "side", st->where, (long long)a->id);
	memcpy(a->name, name, strlen(name) + 1);
	a->body_mass_kg = e->get_real(r, 3);
	a->created_epoch_s = e->get_int(r, 4);
	return BM_STORE_OK;
}

/* Run a query expected to give at most one athlete. */
static int query_one(struct bm_store *st, const char *sql,
                     const struct bm_val *p, int n,
                     struct bm_store_athlete *out, int *found)
{
	struct bm_rows *r;
	int rc = st->eng->query(st, sql, p, n, &r);
	if (rc < 0)
		return rc;
	rc = st->eng->step(r);
	*found = rc > 0;
	if (rc > 0)
		rc = read_athlete(st, r, out);
	st->eng->finish(r);
	return rc < 0 ? rc : BM_STORE_OK;
}

static int find_key(struct bm_store *st, const char *key,
                    struct bm_store_athlete *out, int *found)
{
	struct bm_val p = bm_val_text(key);
	return query_one(st, "SELECT " ATHLETE_COLS " FROM athletes "
	                 "WHERE name_key = ?", &p, 1, out, found);
}

int bm_store_athlete_get_or_create(struct bm_store *st, const char *name,
                                   struct bm_store_athlete *out, int *created)
{
	char trim[BM_STORE_NAME_MAX + 1], key[KEY_CAP];
	int found = 0;
	if (created)
		*created = 0;
	if (!st || !out)
		return BM_STORE_ERR_ARG;
	memset(out, 0, sizeof *out);
	int rc = check_name(st, name, trim, key);
	if (rc < 0)
		return rc;
	if ((rc = bm_store_call_begin(st)) < 0)
		return bm_store_call_end(st, rc);
	rc = find_key(st, key, out, &found);
	if (rc == BM_STORE_OK && !found) {
		struct bm_val p[3] = {
			bm_val_text(trim), bm_val_text(key),
			bm_val_int((int64_t)time(NULL)),
		};
		rc = query_one(st, "INSERT INTO athletes (name, name_key, "
		               "injured_side, body_mass_kg, created_epoch_s) "
		               "VALUES (?, ?, 'none', NULL, ?) "
		               "ON CONFLICT (name_key) DO NOTHING "
		               "RETURNING " ATHLETE_COLS, p, 3, out, &found);
		if (rc == BM_STORE_OK && found && created)
			*created = 1;
		if (rc == BM_STORE_OK && !found) /* another station was quicker */
			rc = find_key(st, key, out, &found);
		if (rc == BM_STORE_OK && !found)
			rc = bm_store_fail(st, BM_STORE_ERR_IO,
			                   "%s: athlete \"%s\" was neither created nor "
			                   "found", st->where, trim);
	}
	return bm_store_call_end(st, rc);
}

int bm_store_athlete_find_name(struct bm_store *st, const char *name,
                               struct bm_store_athlete *out)
{
	char trim[BM_STORE_NAME_MAX + 1], key[KEY_CAP];
	int found = 0;
	if (!st || !out)
		return BM_STORE_ERR_ARG;
	memset(out, 0, sizeof *out);
	int rc = check_name(st, name, trim, key);
	if (rc < 0)
		return rc;
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = find_key(st, key, out, &found);
	if (rc == BM_STORE_OK && !found)
		rc = bm_store_fail(st, BM_STORE_ERR_NOT_FOUND,
		                   "%s has no athlete called \"%s\"", st->where, trim);
	return bm_store_call_end(st, rc);
}

int bm_store_athlete_find_id(struct bm_store *st, int64_t id,
                             struct bm_store_athlete *out)
{
	int found = 0;
	if (!st || !out)
		return BM_STORE_ERR_ARG;
	memset(out, 0, sizeof *out);
	struct bm_val p = bm_val_int(id);
	int rc = bm_store_call_begin(st);
	if (rc == BM_STORE_OK)
		rc = query_one(st, "SELECT " ATHLETE_COLS " FROM athletes "
		               "WHERE id = ?", &p, 1, out, &found);
	if (rc == BM_STORE_OK && !found)
		rc = bm_store_fail(st, BM_STORE_ERR_NOT_FOUND,
		                   "%s has no athlete with id %lld", st->where,
		                   (long long)id);
	return bm_store_call_end(st, rc);
}

int bm_store_athlete_update(struct bm_store *st,
                            const struct bm_store_athlete *a)
{
	char trim[BM_STORE_NAME_MAX + 1], key[KEY_CAP];
	if (!st || !a)
		return BM_STORE_ERR_ARG;
	if (!memchr(a->name, '\0', sizeof a->name))
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: athlete name is not terminated", st->where);
	int rc = check_name(st, a->name, trim, key);
	if (rc < 0)
		return rc;
	const char *side = bm_store_side_name(a->injured_side);
	double m = a->body_mass_kg;
	if (!side)
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: injured side %d is not none/left/right/both",
		                     st->where, (int)a->injured_side);
	if (!isnan(m) && !(isfinite(m) && m > 0 && m < 1000))
		return bm_store_fail(st, BM_STORE_ERR_ARG,
		                     "%s: body mass %g kg is not a plausible mass",
		                     st->where, m);
	struct bm_val p[5] = {
		bm_val_text(trim), bm_val_text(key), bm_val_text(side),
		bm_val_real(m), bm_val_int(a->id),
	};
	int64_t id = 0;
	int found = 0;
	if ((rc = bm_store_call_begin(st)) == BM_STORE_OK)
		rc = bm_store_query_int(st, "UPDATE athletes SET name = ?, "
		                        "name_key = ?, injured_side = ?, "
		                        "body_mass_kg = ? WHERE id = ? RETURNING id",
		                        p, 5, &id, &found);
	if (rc == BM_STORE_ERR_CONFLICT)
		rc = bm_store_fail(st, rc, "%s: another athlete is already called "
		                   "\"%s\"", st->where, trim);
	else if (rc == BM_STORE_OK && !found)
		rc = bm_store_fail(st, BM_STORE_ERR_NOT_FOUND,
		                   "%s has no athlete with id %lld", st->where,
		                   (long long)a->id);
	return bm_store_call_end(st, rc);
}

int bm_store_athlete_list(struct bm_store *st, struct bm_store_athletes **out)
{
	if (out)
		*out = NULL;
	if (!st || !out)
		return BM_STORE_ERR_ARG;
	struct bm_store_athletes *list = calloc(1, sizeof *list);
	if (!list)
		return bm_store_fail(st, BM_STORE_ERR_NOMEM, "%s: out of memory",
		                     st->where);
	size_t cap = 0;
	struct bm_rows *r = NULL;
	int rc = bm_store_call_begin(st);
	if (rc == BM_STORE_OK)
		rc = st->eng->query(st, "SELECT " ATHLETE_COLS " FROM athletes "
		                    "ORDER BY name_key, id", NULL, 0, &r);
	while (rc == BM_STORE_OK && (rc = st->eng->step(r)) > 0) {
		rc = bm_store_grow(st, (void **)&list->items, &cap, list->count,
		                   sizeof *list->items);
		if (rc == BM_STORE_OK)
			rc = read_athlete(st, r, &list->items[list->count++]);
	}
	if (r)
		st->eng->finish(r);
	if (rc < 0) {
		bm_store_athletes_free(list);
		return bm_store_call_end(st, rc);
	}
	*out = list;
	return bm_store_call_end(st, BM_STORE_OK);
}

void bm_store_athletes_free(struct bm_store_athletes *list)
{
	if (!list)
		return;
	free(list->items);
	free(list);
}
