/* bm_import_tindeq.c - what is particular to a Tindeq Progressor export
 * (bm_import.h describes the format): the app's block above the rows, the
 * info.csv beside a folder of sets, the app's dates (YYYY-DD-MM) and units,
 * and its own account of the test for the sidecar's notes. */
#include "bm_import_priv.h"
#include "bm_say.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bm_protocol.h"

/* Lines searched for the "time,weight" header: the app's block above it
 * is at most a handful of lines. */
#define PREAMBLE_MAX_LINES 16

/* Lower-case copy of @p s into @p out (for comparing labels). */
static void lower(const char *s, char *out, size_t len)
{
	size_t i = 0;
	for (; s[i] && i + 1 < len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

/* A header line and its values line ("date,tag,...,unit,..." and the line
 * below it), kept as pairs. */
struct kv {
	char key[24][48];
	char val[24][64];
	int n;
	unsigned long val_line;
};

static void kv_set(struct kv *kv, char **keys, int nk, char **vals, int nv, unsigned long line)
{
	kv->n = 0;
	kv->val_line = line;
	for (int i = 0; i < nk && i < nv && kv->n < 24; i++) {
		lower(keys[i], kv->key[kv->n], sizeof kv->key[0]);
		snprintf(kv->val[kv->n], sizeof kv->val[0], "%s", vals[i]);
		kv->n++;
	}
}

static const char *kv_get(const struct kv *kv, const char *key)
{
	for (int i = 0; i < kv->n; i++)
		if (!strcmp(kv->key[i], key) && kv->val[i][0] && strcmp(kv->val[i], "-") != 0)
			return kv->val[i];
	return NULL;
}

/* The Tindeq app writes its dates as YYYY-DD-MM hh:mm:ss (2023-30-04 for
 * the 30th of April).  A middle field above 12 is a day and a last one
 * above 12 is a day; when both could be months the app's order is taken.
 * Local time of this machine (the export carries no offset). */
static int parse_app_date(const char *s, double *epoch_s, char *iso, size_t iso_len)
{
	int y, a, b, hh, mm, ss;
	char tail;
	if (sscanf(s, "%d-%d-%d %d:%d:%d%c", &y, &a, &b, &hh, &mm, &ss, &tail) != 6)
		return -1;
	int day = a, mon = b;
	if (a <= 12 && b > 12) {
		day = b;
		mon = a;
	}
	if (y < 1970 || y > 9999 || mon < 1 || mon > 12 || day < 1 || day > 31 || hh < 0 ||
	    hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
		return -1;
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1 || tm.tm_mday != day)
		return -1;  /* the 31st of a 30-day month rolled over */
	*epoch_s = (double)t;
	strftime(iso, iso_len, "%Y-%m-%dT%H:%M:%S%z", &tm);
	return 0;
}

/* The unit an export names: the app writes "SI" for kilograms. */
static enum bm_import_unit app_unit(const char *s)
{
	if (!strcasecmp(s, "SI") || !strcasecmp(s, "kg") || !strcasecmp(s, "metric"))
		return BM_IMPORT_UNIT_KG;
	if (!strcasecmp(s, "lb") || !strcasecmp(s, "lbs") || !strcasecmp(s, "imperial"))
		return BM_IMPORT_UNIT_LBF;
	if (!strcasecmp(s, "N"))
		return BM_IMPORT_UNIT_N;
	return BM_IMPORT_UNIT_UNKNOWN;
}

/* What a Tindeq export holds above its rows. */
struct app_block {
	struct kv head;          /* date,tag,... and its values; n = 0: none */
	double avg, peak;        /* the set's Avg and Peak; NaN: none */
	unsigned long header_line; /* line of "time,weight" */
};

/* Split a keys line (@p keys, a copy the caller owns) and the values line
 * @p vals into @p kv.  0, or -1 out of memory. */
static int read_kv(struct bm_import_reader *r, char *keys, char *vals, struct kv *kv)
{
	char *kdup[24];
	int nk = bm_import_split_cells(r, keys, ',');
	if (nk < 0)
		return -1;
	if (nk > 24)
		nk = 24;
	for (int i = 0; i < nk; i++) {
		if (!(kdup[i] = strdup(r->cells[i]))) {
			while (i--)
				free(kdup[i]);
			return -1;
		}
	}
	int nv = bm_import_split_cells(r, vals, ',');
	kv_set(kv, kdup, nk, r->cells, nv < 0 ? 0 : nv, r->line_no);
	for (int i = 0; i < nk; i++)
		free(kdup[i]);
	return nv < 0 ? -1 : 0;
}

/* Read the lines above "time,weight".  1: a Tindeq export (r->cells hold
 * the header's cells), 0: not one, BM_IMPORT_SUMMARY: an info.csv,
 * negative: error. */
static int read_app_block(struct bm_import_reader *r, struct app_block *b, char *msg,
                          size_t msg_len)
{
	char *line;
	b->head.n = 0;
	b->avg = b->peak = NAN;
	while (r->line_no < PREAMBLE_MAX_LINES && (line = bm_import_read_line(r)) != NULL) {
		char *copy = strdup(line);
		if (!copy) {
			bm_say(msg, msg_len, "%s: out of memory", r->path);
			return BM_IMPORT_ERR_NOMEM;
		}
		int n = bm_import_split_cells(r, line, ',');
		if (n < 0) {
			free(copy);
			return 0;
		}
		int blank = 1;
		for (int i = 0; i < n; i++)
			if (r->cells[i][0])
				blank = 0;
		if (n == 2 && bm_import_cell_is(r->cells[0], "time") && bm_import_cell_is(r->cells[1], "weight")) {
			free(copy);
			b->header_line = r->line_no;
			r->ncells = 2;
			return 1;
		}
		int known = blank || (n >= 2 && !r->cells[0][0] && bm_import_cell_is(r->cells[1], "avg"));
		if (!known && n >= 2 && (bm_import_cell_is(r->cells[0], "avg") || bm_import_cell_is(r->cells[0], "peak"))) {
			/* The set's value comes first, then one per rep. */
			double v;
			if (bm_import_parse_num(r->cells[1], 0, &v) == 1)
				*(bm_import_cell_is(r->cells[0], "avg") ? &b->avg : &b->peak) = v;
			known = 1;
		}
		if (!known && n >= 2 && bm_import_cell_is(r->cells[0], "date")) {
			/* The keys are in copy; the values are on the next line. */
			char *vals = bm_import_read_line(r);
			if (vals && read_kv(r, copy, vals, &b->head) != 0) {
				free(copy);
				bm_say(msg, msg_len, "%s: out of memory", r->path);
				return BM_IMPORT_ERR_NOMEM;
			}
			known = vals != NULL;
		}
		free(copy);
		if (!known)
			return 0;
	}
	/* No rows: a test summary (info.csv) has reps and sets. */
	if (b->head.n && kv_get(&b->head, "reps") && kv_get(&b->head, "sets"))
		return BM_IMPORT_SUMMARY;
	return 0;
}

/* info.csv beside a Tindeq set: the protocol of the test.  0 read, -1
 * none (or not one the app wrote). */
static int read_info_csv(const char *path, struct kv *kv, char *info_path, size_t ip_len)
{
	char dir[4096];
	bm_import_dir_of(path, dir, sizeof dir);
	snprintf(info_path, ip_len, "%s/info.csv", dir);
	struct bm_import_reader tmp;
	memset(&tmp, 0, sizeof tmp);
	tmp.path = info_path;
	if (!(tmp.f = fopen(info_path, "r")))
		return -1;
	char *keys = NULL, *l;
	int rc = -1;
	if ((l = bm_import_read_line(&tmp)) != NULL && (keys = strdup(l)) != NULL &&
	    (l = bm_import_read_line(&tmp)) != NULL && read_kv(&tmp, keys, l, kv) == 0)
		rc = kv_get(kv, "reps") || kv_get(kv, "unit") ? 0 : -1;
	free(keys);
	free(tmp.line);
	free(tmp.cells);
	fclose(tmp.f);
	return rc;
}

/* Append to the app summary. */
static void summary_add(struct bm_import_info *in, const char *text)
{
	size_t n = strlen(in->app_summary);
	snprintf(in->app_summary + n, sizeof in->app_summary - n, "%s%s", n ? "; " : "Tindeq app: ",
	         text);
}

/* What the app said about the test, for the sidecar's notes and the
 * reference counts. */
static void describe_app(struct bm_import_reader *r, const struct app_block *b,
                         const struct kv *info, const char *unit)
{
	struct bm_import_info *in = &r->info;
	char text[200];
	if (info) {
		const char *reps = kv_get(info, "reps"), *work = kv_get(info, "work dur."),
		           *pause = kv_get(info, "pause btw. reps"), *sets = kv_get(info, "sets"),
		           *psets = kv_get(info, "pause btw. sets");
		in->app_reps = reps ? atoi(reps) : 0;
		in->app_sets = sets ? atoi(sets) : 0;
		snprintf(text, sizeof text, "%.8s rep%s x %.8s s work, %.8s s pause, %.8s set%s, %.8s s "
		         "between sets", reps ? reps : "?", reps && !strcmp(reps, "1") ? "" : "s",
		         work ? work : "?", pause ? pause : "?", sets ? sets : "?",
		         sets && !strcmp(sets, "1") ? "" : "s", psets ? psets : "?");
		summary_add(in, text);
	}
	if (isfinite(b->avg)) {
		snprintf(text, sizeof text, "this set Avg %.2f %s", b->avg, unit);
		summary_add(in, text);
	}
	if (isfinite(b->peak)) {
		snprintf(text, sizeof text, "this set Peak %.2f %s", b->peak, unit);
		summary_add(in, text);
	}
	const char *mx = kv_get(&b->head, "max"), *avg = kv_get(&b->head, "avg"),
	           *dur = kv_get(&b->head, "duration");
	if (mx || avg) {
		snprintf(text, sizeof text, "max %.12s %s, avg %.12s %s, %.12s s", mx ? mx : "?", unit,
		         avg ? avg : "?", unit, dur ? dur : "?");
		summary_add(in, text);
	}
	const char *rfd = kv_get(&b->head, "rfd2080");
	if (rfd) {
		snprintf(text, sizeof text, "rfd 20-80 %% %.16s", rfd);
		summary_add(in, text);
	}
}

/* A Tindeq export: columns "time" and "weight" (or as mapped), unit from
 * the options, the export or info.csv, start time and the app's summary. */
static int open_tindeq(struct bm_import_reader *r, const struct bm_import_opts *o,
                       const struct app_block *b, char *msg, size_t msg_len)
{
	struct kv info;
	char info_path[4200];
	int have_info = read_info_csv(r->path, &info, info_path, sizeof info_path) == 0;

	/* r->cells still hold the header's cells (read_app_block stopped on
	 * it): the mapping is looked up there. */
	r->sep = ',';
	int cols[3] = {0, -1, -1};
	const char *spec[3] = {o->time_col, o->leg_col[0], o->leg_col[1]};
	if (!spec[1] && !spec[2])
		cols[1 + (o->sensor_leg == BM_RIGHT)] = 1;
	for (int i = 0; i < 3; i++) {
		if (!spec[i])
			continue;
		cols[i] = bm_import_find_column(r, spec[i], 0, b->header_line, msg, msg_len);
		if (cols[i] < 0)
			return BM_IMPORT_ERR_FORMAT;
	}
	for (int i = 0; i < 3; i++)
		bm_import_name_column(r, i, cols[i], 0);
	r->col_t = cols[0];
	r->col_leg[0] = cols[1];
	r->col_leg[1] = cols[2];

	/* The unit: the user's word first; else what the export says. */
	const char *said = kv_get(&b->head, "unit");
	const char *where = r->path;
	unsigned long where_line = b->head.val_line;
	if (!said && have_info) {
		said = kv_get(&info, "unit");
		where = info_path;
		where_line = info.val_line;
	}
	r->info.unit = o->unit;
	if (r->info.unit == BM_IMPORT_UNIT_UNKNOWN && said) {
		r->info.unit = app_unit(said);
		if (r->info.unit == BM_IMPORT_UNIT_UNKNOWN) {
			char c[48];
			bm_say(msg, msg_len, "%s:%lu: unknown unit '%.20s' (the app writes SI for kg); "
			    "--unit kg, N or lbf says which", where, where_line, bm_import_shown(said, c, sizeof c));
			return BM_IMPORT_ERR_FORMAT;
		}
	}
	if (r->info.unit == BM_IMPORT_UNIT_UNKNOWN)
		r->info.unit = BM_IMPORT_UNIT_KG;  /* the app's own unit */
	r->info.tindeq = 1;
	snprintf(r->info.device, sizeof r->info.device, "Tindeq Progressor export");

	/* The start: the export's own date, else the test's for its first set. */
	const char *date = kv_get(&b->head, "date");
	if (!date && have_info && bm_import_set_number(r->path) == 1)
		date = kv_get(&info, "date");
	if (date && parse_app_date(date, &r->info.start_epoch_s, r->info.start_time,
	                           sizeof r->info.start_time) != 0) {
		r->info.start_epoch_s = NAN;
		r->info.start_time[0] = '\0';
	}
	describe_app(r, b, have_info ? &info : NULL, bm_import_unit_name(r->info.unit));
	return 0;
}

int bm_import_tindeq_open(struct bm_import_reader *r, const struct bm_import_opts *o, char *msg,
                          size_t msg_len)
{
	struct app_block b;
	int rc = read_app_block(r, &b, msg, msg_len);
	if (rc == 1)
		return open_tindeq(r, o, &b, msg, msg_len);
	return rc == 0 ? BM_IMPORT_NOT_TINDEQ : rc;
}
