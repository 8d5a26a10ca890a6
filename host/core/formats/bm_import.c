/* bm_import.c - other devices' recordings as bridgemon sessions; the idea
 * is in bm_import.h.
 *
 * The reader is a small CSV reader of its own rather than bm_csv's: the
 * files it reads name their columns as they like, put a block of the
 * app's own numbers above the header, quote cells with commas inside, and
 * may be written by a spreadsheet with ';' between cells and decimal
 * commas.  It reads a line at a time and keeps only what the sidecar needs
 * at the end (the time steps, for the median, and the long holes).
 */
#include "bm_import.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bm_csv.h"
#include "bm_fileio.h"

/* Lines searched for a Tindeq export's "time,weight" header: the app's
 * block above it is at most a handful of lines. */
#define PREAMBLE_MAX_LINES 16
/* More cells than this in a row is not a recording of force. */
#define MAX_CELLS 4096
/* A hole is a step this many median steps long (one missing row makes a
 * step of 2). */
#define HOLE_STEPS 1.5
/* Rates the sidecar accepts (bm_meta.c range-checks the same). */
#define MIN_STEP_S 1e-5
#define MAX_STEP_S 10.0

enum phase {
	PHASE_START,   /* filling the window of the first rows */
	PHASE_DRAIN,   /* handing out the kept rows of the window */
	PHASE_STREAM,  /* the rest, row by row */
	PHASE_DONE,
};

struct start_row {
	double t_s, force_n[2];
	unsigned long line;
	int keep;
};

struct long_hole {
	double before_t_s, step_s;
};

struct bm_import_reader {
	FILE *f;
	char *path;
	char *line;            /* getline's buffer */
	size_t line_cap;
	unsigned long line_no;
	int last_unended;      /* the line last read had no line ending */
	char **cells;          /* cells of the line last split, in place */
	int ncells;

	char sep;
	int decimal_comma;
	int col_t, col_leg[2]; /* cell index, -1 none */
	char col_name[3][80];  /* for messages */
	double n_per_unit, rest_n;

	struct bm_import_info info;
	struct bm_meta_context ctx_extra; /* athlete (copied from the options) */
	char version[16];

	enum phase phase;
	struct start_row win[BM_IMPORT_START_ROWS];
	size_t nwin, win_pos;
	int have_prev;
	double prev_t_s;
	double *steps;
	size_t nsteps, cap_steps;
	struct long_hole *holes;
	size_t nholes, cap_holes;
	int finished;          /* the end-of-file statistics are computed */
};

static void say(char *msg, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;
	if (!msg || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

void bm_import_opts_default(struct bm_import_opts *o)
{
	memset(o, 0, sizeof *o);
	o->unit = BM_IMPORT_UNIT_UNKNOWN;
	o->sensor_leg = BM_LEFT;
}

enum bm_import_unit bm_import_unit_parse(const char *s)
{
	if (!s)
		return BM_IMPORT_UNIT_UNKNOWN;
	if (!strcasecmp(s, "kg"))
		return BM_IMPORT_UNIT_KG;
	if (!strcasecmp(s, "n"))
		return BM_IMPORT_UNIT_N;
	if (!strcasecmp(s, "lbf"))
		return BM_IMPORT_UNIT_LBF;
	return BM_IMPORT_UNIT_UNKNOWN;
}

double bm_import_unit_n(enum bm_import_unit u)
{
	switch (u) {
	case BM_IMPORT_UNIT_KG:
		return BM_IMPORT_N_PER_KG;
	case BM_IMPORT_UNIT_N:
		return 1.0;
	case BM_IMPORT_UNIT_LBF:
		return BM_IMPORT_N_PER_LBF;
	default:
		return 0.0;
	}
}

const char *bm_import_unit_name(enum bm_import_unit u)
{
	switch (u) {
	case BM_IMPORT_UNIT_KG:
		return "kg";
	case BM_IMPORT_UNIT_N:
		return "N";
	case BM_IMPORT_UNIT_LBF:
		return "lbf";
	default:
		return "?";
	}
}

/* ------------------------------------------------------------ lines, cells */

/* Next line without its line ending, or NULL at the end (or on a read
 * error: ferror() says which). */
static char *read_line(struct bm_import_reader *r)
{
	ssize_t n = getline(&r->line, &r->line_cap, r->f);
	if (n < 0)
		return NULL;
	r->line_no++;
	r->last_unended = !(n > 0 && r->line[n - 1] == '\n');
	while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
		r->line[--n] = '\0';
	char *s = r->line;
	if (r->line_no == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
	    (unsigned char)s[2] == 0xBF)
		s += 3;  /* UTF-8 byte order mark from spreadsheet exports */
	return s;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Split @p s in place at @p sep into r->cells, trimmed; a cell in double
 * quotes may hold the separator, and "" inside it is one quote.  Returns
 * the number of cells, or -1 when there are more than MAX_CELLS (or no
 * memory for them). */
static int split_cells(struct bm_import_reader *r, char *s, char sep)
{
	if (!r->cells) {
		r->cells = malloc(MAX_CELLS * sizeof *r->cells);
		if (!r->cells)
			return -1;
	}
	int n = 0;
	char *p = s;
	for (;;) {
		if (n == MAX_CELLS)
			return -1;
		while (*p == ' ' || *p == '\t')
			p++;
		char *cell = p, *w = p;
		if (*p == '"') {
			/* Quoted: copy over the quotes, stop at the closing one. */
			p++;
			while (*p) {
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*w++ = *p++;
				}
			}
			while (*p && *p != sep)
				p++;  /* anything after the closing quote is ignored */
		} else {
			while (*p && *p != sep)
				p++;
			w = p;
		}
		int end = *p == '\0';
		*w = '\0';
		if (!end)
			p++;
		r->cells[n++] = trim(cell);
		if (end)
			return n;
	}
}

/* Lower-case copy of @p s into @p out (for comparing labels). */
static void lower(const char *s, char *out, size_t len)
{
	size_t i = 0;
	for (; s[i] && i + 1 < len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

static int cell_is(const char *cell, const char *label)
{
	return !strcasecmp(cell, label);
}

/* A cell as a number: 1 with *v set, 0 for an empty cell or "nan" (a
 * missing sample), -1 when it is not a number.  Decimal commas are read
 * when the file separates its cells otherwise. */
static int parse_num(const char *s, int decimal_comma, double *v)
{
	char tmp[128], *end;
	size_t n = strlen(s);
	if (n == 0)
		return 0;
	if (n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n + 1);
	if (decimal_comma)
		for (char *c = tmp; *c; c++)
			if (*c == ',')
				*c = '.';
	if (!strcasecmp(tmp, "nan"))
		return 0;
	/* strtod would take hexadecimal, "inf" and "nan(...)": a CSV of
	 * forces means decimal numbers. */
	if (strpbrk(tmp, "xXpPiInN"))
		return -1;
	errno = 0;
	double d = strtod(tmp, &end);
	if (end == tmp || *end != '\0' || !isfinite(d))
		return -1;
	*v = d;
	return 1;
}

/* A cell for a message: at most 40 characters, control characters (a
 * stray carriage return, binary garbage) shown as '?' so that the message
 * stays one line. */
#define CELL_FMT "'%s'"
static const char *shown(const char *cell, char *buf, size_t len)
{
	size_t i = 0;
	for (; cell[i] && i < 40 && i + 1 < len; i++)
		buf[i] = (unsigned char)cell[i] < 0x20 || cell[i] == 0x7f ? '?' : cell[i];
	buf[i] = '\0';
	return buf;
}

/* -------------------------------------------------------- the app's block */

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
	int nk = split_cells(r, keys, ',');
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
	int nv = split_cells(r, vals, ',');
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
	while (r->line_no < PREAMBLE_MAX_LINES && (line = read_line(r)) != NULL) {
		char *copy = strdup(line);
		if (!copy) {
			say(msg, msg_len, "%s: out of memory", r->path);
			return BM_IMPORT_ERR_NOMEM;
		}
		int n = split_cells(r, line, ',');
		if (n < 0) {
			free(copy);
			return 0;
		}
		int blank = 1;
		for (int i = 0; i < n; i++)
			if (r->cells[i][0])
				blank = 0;
		if (n == 2 && cell_is(r->cells[0], "time") && cell_is(r->cells[1], "weight")) {
			free(copy);
			b->header_line = r->line_no;
			r->ncells = 2;
			return 1;
		}
		int known = blank || (n >= 2 && !r->cells[0][0] && cell_is(r->cells[1], "avg"));
		if (!known && n >= 2 && (cell_is(r->cells[0], "avg") || cell_is(r->cells[0], "peak"))) {
			/* The set's value comes first, then one per rep. */
			double v;
			if (parse_num(r->cells[1], 0, &v) == 1)
				*(cell_is(r->cells[0], "avg") ? &b->avg : &b->peak) = v;
			known = 1;
		}
		if (!known && n >= 2 && cell_is(r->cells[0], "date")) {
			/* The keys are in copy; the values are on the next line. */
			char *vals = read_line(r);
			if (vals && read_kv(r, copy, vals, &b->head) != 0) {
				free(copy);
				say(msg, msg_len, "%s: out of memory", r->path);
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

/* The folder of @p path ("." for none), into @p out. */
static void dir_of(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, len, ".");
	else if (slash == path)
		snprintf(out, len, "/");
	else
		snprintf(out, len, "%.*s", (int)(slash - path), path);
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* A Tindeq set file: "data_set_N.csv". */
static int set_number(const char *path)
{
	int k;
	char tail[8];
	if (sscanf(base_of(path), "data_set_%d%7s", &k, tail) == 2 && !strcasecmp(tail, ".csv"))
		return k;
	return 0;
}

/* info.csv beside a Tindeq set: the protocol of the test.  0 read, -1
 * none (or not one the app wrote). */
static int read_info_csv(const char *path, struct kv *kv, char *info_path, size_t ip_len)
{
	char dir[4096];
	dir_of(path, dir, sizeof dir);
	snprintf(info_path, ip_len, "%s/info.csv", dir);
	struct bm_import_reader tmp;
	memset(&tmp, 0, sizeof tmp);
	tmp.path = info_path;
	if (!(tmp.f = fopen(info_path, "r")))
		return -1;
	char *keys = NULL, *l;
	int rc = -1;
	if ((l = read_line(&tmp)) != NULL && (keys = strdup(l)) != NULL &&
	    (l = read_line(&tmp)) != NULL && read_kv(&tmp, keys, l, kv) == 0)
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
		snprintf(text, sizeof text, "%s reps x %s s work, %s s pause, %s set%s, %s s between sets",
		         reps ? reps : "?", work ? work : "?", pause ? pause : "?", sets ? sets : "?",
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

/* ------------------------------------------------------------- columns */

/* Column @p spec (a name, or a 1-based index) among the header's cells.
 * Returns the cell index, or -1 with @p msg set. */
static int find_column(struct bm_import_reader *r, const char *spec, int headerless,
                       unsigned long line, char *msg, size_t msg_len)
{
	const char *p = spec;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*spec && !*p) {
		long k = strtol(spec, NULL, 10);
		if (k >= 1 && k <= r->ncells)
			return (int)k - 1;
		say(msg, msg_len, "%s:%lu: missing column %s (the %s has %d column%s)", r->path, line,
		    spec, headerless ? "first row" : "header", r->ncells, r->ncells == 1 ? "" : "s");
		return -1;
	}
	if (!headerless) {
		for (int i = 0; i < r->ncells; i++)
			if (!strcmp(r->cells[i], spec))
				return i;
		int found = -1, n = 0;
		for (int i = 0; i < r->ncells; i++)
			if (!strcasecmp(r->cells[i], spec)) {
				found = i;
				n++;
			}
		if (n == 1)
			return found;
	}
	char names[200] = "", c[48];
	size_t k = 0;
	for (int i = 0; i < r->ncells && k + 1 < sizeof names; i++)
		k += (size_t)snprintf(names + k, sizeof names - k, "%s'%.30s'", i ? ", " : "",
		                      shown(r->cells[i], c, sizeof c));
	if (headerless)
		say(msg, msg_len, "%s:%lu: missing column '%.60s' (the file has no header: give columns "
		    "by number)", r->path, line, spec);
	else
		say(msg, msg_len, "%s:%lu: missing column '%.60s' (the header has %s)", r->path, line,
		    spec, names);
	return -1;
}

/* A cell of the header for messages and the mapping. */
static void name_column(struct bm_import_reader *r, int which, int col, int headerless)
{
	char c[48];
	if (col < 0)
		snprintf(r->col_name[which], sizeof r->col_name[0], "none");
	else if (headerless)
		snprintf(r->col_name[which], sizeof r->col_name[0], "column %d", col + 1);
	else
		snprintf(r->col_name[which], sizeof r->col_name[0], "'%s' (column %d)",
		         shown(r->cells[col], c, sizeof c), col + 1);
}

/* Every mapped column as a number in the current cells: the line is data,
 * not a header. */
static int all_numbers(const struct bm_import_reader *r, const int *cols, int n)
{
	for (int i = 0; i < n; i++) {
		double v;
		if (cols[i] >= 0 && (cols[i] >= r->ncells || parse_num(r->cells[cols[i]],
		                                                       r->decimal_comma, &v) != 1))
			return 0;
	}
	return 1;
}

static int is_index(const char *spec)
{
	if (!spec || !*spec)
		return 0;
	for (const char *p = spec; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/* Read again from the start, up to line @p line (not included). */
static int rewind_to(struct bm_import_reader *r, unsigned long line)
{
	if (fseek(r->f, 0, SEEK_SET) != 0)
		return -1;
	clearerr(r->f);
	r->line_no = 0;
	while (r->line_no + 1 < line)
		if (!read_line(r))
			return -1;
	return 0;
}

/* A generic CSV: find the header (or decide there is none) and the mapped
 * columns.  0, or an error with @p msg. */
static int open_generic(struct bm_import_reader *r, const struct bm_import_opts *o, char *msg,
                        size_t msg_len)
{
	char *line;
	if (rewind_to(r, 1) != 0) {
		say(msg, msg_len, "%s: cannot read it again from the start: %s", r->path,
		    strerror(errno));
		return BM_IMPORT_ERR_INPUT;
	}
	while ((line = read_line(r)) != NULL) {
		char *t = trim(line);
		if (*t && *t != '#')
			break;
	}
	if (!line) {
		if (ferror(r->f)) {
			say(msg, msg_len, "%s: read error: %s", r->path, strerror(errno));
			return BM_IMPORT_ERR_INPUT;
		}
		say(msg, msg_len, "%s: empty file (no header, no rows)", r->path);
		return BM_IMPORT_ERR_FORMAT;
	}
	unsigned long hline = r->line_no;
	if (!o->time_col && !o->leg_col[0] && !o->leg_col[1]) {
		say(msg, msg_len, "%s:%lu: not a Tindeq Progressor export (no 'time,weight' header); "
		    "for another CSV give --time COL, --left COL and/or --right COL, and --unit",
		    r->path, hline);
		return BM_IMPORT_ERR_FORMAT;
	}
	if (!o->time_col || (!o->leg_col[0] && !o->leg_col[1])) {
		say(msg, msg_len, "%s: which columns? give --time COL and --left COL and/or --right COL",
		    r->path);
		return BM_IMPORT_ERR_ARG;
	}
	char *t = trim(line);
	r->sep = strchr(t, ',') ? ',' : strchr(t, ';') ? ';' : strchr(t, '\t') ? '\t' : ',';
	r->decimal_comma = r->sep != ',';
	r->ncells = split_cells(r, t, r->sep);
	if (r->ncells < 0) {
		say(msg, msg_len, "%s:%lu: more than %d columns", r->path, hline, MAX_CELLS);
		return BM_IMPORT_ERR_FORMAT;
	}
	/* Columns all given by number, and the first line is numbers there:
	 * the file has no header. */
	int headerless = 0;
	if (is_index(o->time_col) && (!o->leg_col[0] || is_index(o->leg_col[0])) &&
	    (!o->leg_col[1] || is_index(o->leg_col[1]))) {
		int cols[3] = {atoi(o->time_col) - 1, o->leg_col[0] ? atoi(o->leg_col[0]) - 1 : -1,
		               o->leg_col[1] ? atoi(o->leg_col[1]) - 1 : -1};
		headerless = all_numbers(r, cols, 3);
	}
	const char *spec[3] = {o->time_col, o->leg_col[0], o->leg_col[1]};
	int cols[3] = {-1, -1, -1};
	for (int i = 0; i < 3; i++) {
		if (!spec[i])
			continue;
		cols[i] = find_column(r, spec[i], headerless, hline, msg, msg_len);
		if (cols[i] < 0)
			return BM_IMPORT_ERR_FORMAT;
	}
	for (int i = 0; i < 3; i++)
		name_column(r, i, cols[i], headerless);
	r->col_t = cols[0];
	r->col_leg[0] = cols[1];
	r->col_leg[1] = cols[2];
	if (o->unit == BM_IMPORT_UNIT_UNKNOWN) {
		say(msg, msg_len, "%s:%lu: unknown unit: the file does not say what its forces are in; "
		    "give --unit kg, N or lbf", r->path, hline);
		return BM_IMPORT_ERR_FORMAT;
	}
	r->info.unit = o->unit;
	snprintf(r->info.device, sizeof r->info.device, "imported CSV");
	if (headerless && rewind_to(r, hline) != 0) {
		say(msg, msg_len, "%s: cannot read it again from the start: %s", r->path,
		    strerror(errno));
		return BM_IMPORT_ERR_INPUT;
	}
	return 0;
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
		cols[i] = find_column(r, spec[i], 0, b->header_line, msg, msg_len);
		if (cols[i] < 0)
			return BM_IMPORT_ERR_FORMAT;
	}
	for (int i = 0; i < 3; i++)
		name_column(r, i, cols[i], 0);
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
			say(msg, msg_len, "%s:%lu: unknown unit '%.20s' (the app writes SI for kg); "
			    "--unit kg, N or lbf says which", where, where_line, shown(said, c, sizeof c));
			return BM_IMPORT_ERR_FORMAT;
		}
	}
	if (r->info.unit == BM_IMPORT_UNIT_UNKNOWN)
		r->info.unit = BM_IMPORT_UNIT_KG;  /* the app's own unit */
	r->info.tindeq = 1;
	snprintf(r->info.device, sizeof r->info.device, "Tindeq Progressor export");

	/* The start: the export's own date, else the test's for its first set. */
	const char *date = kv_get(&b->head, "date");
	if (!date && have_info && set_number(r->path) == 1)
		date = kv_get(&info, "date");
	if (date && parse_app_date(date, &r->info.start_epoch_s, r->info.start_time,
	                           sizeof r->info.start_time) != 0) {
		r->info.start_epoch_s = NAN;
		r->info.start_time[0] = '\0';
	}
	describe_app(r, b, have_info ? &info : NULL, bm_import_unit_name(r->info.unit));
	return 0;
}

int bm_import_reader_open(const char *path, const struct bm_import_opts *o,
                          struct bm_import_reader **out, char *msg, size_t msg_len)
{
	struct bm_import_reader *r;
	struct app_block b;
	struct stat sb;
	int rc;

	*out = NULL;
	if (o->sensor_leg != BM_LEFT && o->sensor_leg != BM_RIGHT) {
		say(msg, msg_len, "the sensor's leg is left or right");
		return BM_IMPORT_ERR_ARG;
	}
	r = calloc(1, sizeof *r);
	if (!r || !(r->path = strdup(path)) || !(r->cells = malloc(MAX_CELLS * sizeof *r->cells))) {
		say(msg, msg_len, "%s: out of memory", path);
		bm_import_reader_close(r);
		return BM_IMPORT_ERR_NOMEM;
	}
	r->info.start_epoch_s = NAN;
	r->info.sample_rate_hz = NAN;
	r->info.first_t_s = r->info.last_t_s = NAN;
	r->col_t = r->col_leg[0] = r->col_leg[1] = -1;
	r->rest_n = o->rest_n;
	snprintf(r->version, sizeof r->version, "%s", o->version ? o->version : "");
	snprintf(r->ctx_extra.athlete, sizeof r->ctx_extra.athlete, "%s",
	         o->athlete ? o->athlete : "");
	/* Read twice at most (a generic CSV is recognised after the search
	 * for a Tindeq header): a regular file, not a pipe. */
	r->f = fopen(path, "r");
	if (!r->f || fstat(fileno(r->f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (r->f)
			say(msg, msg_len, "%s: not a regular file", path);
		else
			say(msg, msg_len, "%s: cannot open: %s", path, strerror(errno));
		bm_import_reader_close(r);
		return BM_IMPORT_ERR_INPUT;
	}
	rc = read_app_block(r, &b, msg, msg_len);
	if (rc == 1)
		rc = open_tindeq(r, o, &b, msg, msg_len);
	else if (rc == 0)
		rc = open_generic(r, o, msg, msg_len);
	if (rc != 0) {
		if (rc == BM_IMPORT_SUMMARY)
			say(msg, msg_len, "%s: the Tindeq app's summary of a test (no rows); it is read "
			    "beside the data_set files", path);
		bm_import_reader_close(r);
		return rc;
	}
	r->n_per_unit = bm_import_unit_n(r->info.unit);
	/* The mapping, as the sidecar's origin and the user see it. */
	char rest[40] = "";
	if (r->rest_n != 0)
		snprintf(rest, sizeof rest, ", rest %+g N added", r->rest_n);
	const char *u = bm_import_unit_name(r->info.unit);
	snprintf(r->info.mapping, sizeof r->info.mapping, "time=%s s, left=%s%s%s, right=%s%s%s%s",
	         r->col_name[0], r->col_name[1], r->col_leg[0] >= 0 ? " " : "",
	         r->col_leg[0] >= 0 ? u : "", r->col_name[2], r->col_leg[1] >= 0 ? " " : "",
	         r->col_leg[1] >= 0 ? u : "", rest);
	r->phase = PHASE_START;
	*out = r;
	return BM_IMPORT_OK;
}

/* ---------------------------------------------------------------- rows */

/* Parse one data line.  1 with the row, 0 for a line to pass over (blank,
 * comment), or an error with @p msg. */
static int parse_row(struct bm_import_reader *r, char *line, struct start_row *row, char *msg,
                     size_t msg_len)
{
	char cell[48];
	char *t = trim(line);
	if (!*t || *t == '#')
		return 0;
	int n = split_cells(r, t, r->sep);
	if (n < 0) {
		say(msg, msg_len, "%s:%lu: more than %d cells", r->path, r->line_no, MAX_CELLS);
		return BM_IMPORT_ERR_FORMAT;
	}
	r->ncells = n;
	int blank = 1;
	for (int i = 0; i < n; i++)
		if (r->cells[i][0])
			blank = 0;
	if (blank)
		return 0;  /* ",," and the like: nothing in it */
	const int cols[3] = {r->col_t, r->col_leg[0], r->col_leg[1]};
	for (int i = 0; i < 3; i++) {
		if (cols[i] >= n) {
			say(msg, msg_len, "%s:%lu: missing column %s (the row has %d cell%s)", r->path,
			    r->line_no, r->col_name[i], n, n == 1 ? "" : "s");
			return BM_IMPORT_ERR_FORMAT;
		}
	}
	int pr = parse_num(r->cells[r->col_t], r->decimal_comma, &row->t_s);
	if (pr <= 0) {
		if (pr == 0)
			say(msg, msg_len, "%s:%lu: the time (%s) is empty: every row needs one", r->path,
			    r->line_no, r->col_name[0]);
		else
			say(msg, msg_len, "%s:%lu: time " CELL_FMT " is not a number", r->path, r->line_no,
			    shown(r->cells[r->col_t], cell, sizeof cell));
		return BM_IMPORT_ERR_FORMAT;
	}
	for (int leg = 0; leg < 2; leg++) {
		row->force_n[leg] = NAN;
		if (r->col_leg[leg] < 0)
			continue;
		double v;
		pr = parse_num(r->cells[r->col_leg[leg]], r->decimal_comma, &v);
		if (pr < 0) {
			say(msg, msg_len, "%s:%lu: %s force " CELL_FMT " is not a number", r->path,
			    r->line_no, leg ? "right" : "left",
			    shown(r->cells[r->col_leg[leg]], cell, sizeof cell));
			return BM_IMPORT_ERR_FORMAT;
		}
		if (pr > 0)
			row->force_n[leg] = v * r->n_per_unit + r->rest_n;
	}
	row->line = r->line_no;
	return 1;
}

/* Next parsed row from the file: BM_IMPORT_OK, _EOF or an error. */
static int file_row(struct bm_import_reader *r, struct start_row *row, char *msg, size_t msg_len)
{
	for (;;) {
		char *line = read_line(r);
		if (!line) {
			if (ferror(r->f)) {
				say(msg, msg_len, "%s: read error: %s", r->path, strerror(errno));
				return BM_IMPORT_ERR_INPUT;
			}
			return BM_IMPORT_EOF;
		}
		int rc = parse_row(r, line, row, msg, msg_len);
		if (rc == 1)
			return BM_IMPORT_OK;
		if (rc < 0) {
			/* A last line cut short (the export was interrupted) is
			 * left out, and said, rather than refusing the rest. */
			if (r->last_unended && feof(r->f)) {
				r->info.truncated = 1;
				return BM_IMPORT_EOF;
			}
			return rc;
		}
	}
}

/* Of the window's rows, keep the longest run of increasing times that ends
 * at its last row (fewest rows dropped); among equally long runs, the one
 * through the earlier rows (a stale row that jumps back is dropped, not
 * the rows it interrupts). */
static void choose_start(struct bm_import_reader *r)
{
	size_t n = r->nwin;
	int len[BM_IMPORT_START_ROWS], prev[BM_IMPORT_START_ROWS];
	for (size_t i = 0; i < n; i++) {
		len[i] = 1;
		prev[i] = -1;
		for (size_t j = 0; j < i; j++)
			if (r->win[j].t_s < r->win[i].t_s && len[j] + 1 > len[i]) {
				len[i] = len[j] + 1;
				prev[i] = (int)j;
			}
		r->win[i].keep = 0;
	}
	for (int i = n ? (int)n - 1 : -1; i >= 0; i = prev[i])
		r->win[i].keep = 1;
	for (size_t i = 0; i < n; i++) {
		if (r->win[i].keep)
			continue;
		if (!r->info.skipped_rows++)
			r->info.first_skipped_line = r->win[i].line;
	}
}

static int push_step(struct bm_import_reader *r, double t_s)
{
	if (!r->have_prev) {
		r->have_prev = 1;
		r->info.first_t_s = t_s;
	} else {
		double step = t_s - r->prev_t_s;
		if (r->nsteps == r->cap_steps) {
			size_t nc = r->cap_steps ? 2 * r->cap_steps : 4096;
			double *ns = realloc(r->steps, nc * sizeof *ns);
			if (!ns)
				return -1;
			r->steps = ns;
			r->cap_steps = nc;
		}
		r->steps[r->nsteps++] = step;
		if (step > BM_IMPORT_GAP_S) {
			if (r->nholes == r->cap_holes) {
				size_t nc = r->cap_holes ? 2 * r->cap_holes : 16;
				struct long_hole *nh = realloc(r->holes, nc * sizeof *nh);
				if (!nh)
					return -1;
				r->holes = nh;
				r->cap_holes = nc;
			}
			r->holes[r->nholes].before_t_s = t_s;
			r->holes[r->nholes].step_s = step;
			r->nholes++;
		}
	}
	r->prev_t_s = t_s;
	r->info.last_t_s = t_s;
	r->info.rows++;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* End of the rows: the rate from the median step, the holes. */
static int finish(struct bm_import_reader *r, char *msg, size_t msg_len)
{
	r->finished = 1;
	if (r->info.rows == 0) {
		say(msg, msg_len, "%s:%lu: no rows of data%s", r->path, r->line_no,
		    r->info.truncated ? " (the only one is cut short)" : "");
		return BM_IMPORT_ERR_FORMAT;
	}
	if (r->nsteps == 0)
		return BM_IMPORT_EOF;
	double *s = malloc(r->nsteps * sizeof *s);
	if (!s) {
		say(msg, msg_len, "%s: out of memory", r->path);
		return BM_IMPORT_ERR_NOMEM;
	}
	memcpy(s, r->steps, r->nsteps * sizeof *s);
	qsort(s, r->nsteps, sizeof *s, cmp_double);
	double med = r->nsteps % 2 ? s[r->nsteps / 2]
	                           : 0.5 * (s[r->nsteps / 2 - 1] + s[r->nsteps / 2]);
	free(s);
	if (med < MIN_STEP_S || med > MAX_STEP_S) {
		say(msg, msg_len, "%s: the rows are %g s apart (median): is the time (%s) in seconds?",
		    r->path, med, r->col_name[0]);
		return BM_IMPORT_ERR_FORMAT;
	}
	r->info.sample_rate_hz = 1.0 / med;
	for (size_t i = 0; i < r->nsteps; i++) {
		if (r->steps[i] > HOLE_STEPS * med) {
			r->info.holes++;
			double k = floor(r->steps[i] / med + 0.5) - 1;
			r->info.rows_missing += k > 0 ? (unsigned long)k : 0;
		}
	}
	r->info.gaps = r->nholes;
	return BM_IMPORT_EOF;
}

int bm_import_reader_next(struct bm_import_reader *r, double *t_s, double force_n[2], char *msg,
                          size_t msg_len)
{
	struct start_row row;
	int rc = BM_IMPORT_OK;

	if (r->phase == PHASE_START) {
		/* The first rows, to repair time that goes back at the start. */
		while (r->nwin < BM_IMPORT_START_ROWS &&
		       (rc = file_row(r, &r->win[r->nwin], msg, msg_len)) == BM_IMPORT_OK)
			r->nwin++;
		if (r->nwin < BM_IMPORT_START_ROWS && rc != BM_IMPORT_EOF)
			return rc;
		choose_start(r);
		r->phase = PHASE_DRAIN;
		r->win_pos = 0;
	}
	if (r->phase == PHASE_DRAIN) {
		while (r->win_pos < r->nwin && !r->win[r->win_pos].keep)
			r->win_pos++;
		if (r->win_pos < r->nwin) {
			row = r->win[r->win_pos++];
			goto emit;
		}
		r->phase = PHASE_STREAM;
	}
	if (r->phase == PHASE_STREAM) {
		rc = file_row(r, &row, msg, msg_len);
		if (rc == BM_IMPORT_EOF) {
			r->phase = PHASE_DONE;
			return finish(r, msg, msg_len);
		}
		if (rc != BM_IMPORT_OK)
			return rc;
		if (!(row.t_s > r->prev_t_s)) {
			say(msg, msg_len, "%s:%lu: time %s after the first rows (%.6f after %.6f)",
			    r->path, row.line, row.t_s == r->prev_t_s ? "repeats" : "goes backwards",
			    row.t_s, r->prev_t_s);
			return BM_IMPORT_ERR_FORMAT;
		}
		goto emit;
	}
	return BM_IMPORT_EOF;
emit:
	if (push_step(r, row.t_s) != 0) {
		say(msg, msg_len, "%s: out of memory", r->path);
		return BM_IMPORT_ERR_NOMEM;
	}
	*t_s = row.t_s;
	force_n[0] = row.force_n[0];
	force_n[1] = row.force_n[1];
	return BM_IMPORT_OK;
}

void bm_import_reader_info(const struct bm_import_reader *r, struct bm_import_info *info)
{
	*info = r->info;
}

int bm_import_reader_meta(const struct bm_import_reader *r, struct bm_meta *m)
{
	bm_meta_init(m);
	snprintf(m->bridgemon, sizeof m->bridgemon, "%s", r->version);
	snprintf(m->source, sizeof m->source, "import");
	m->demo = 0;
	m->closed = 1;
	snprintf(m->device, sizeof m->device, "%s", r->info.device);
	m->sample_rate_hz = r->info.sample_rate_hz;
	snprintf(m->start_time, sizeof m->start_time, "%s", r->info.start_time);
	m->start_epoch_s = r->info.start_epoch_s;
	/* The mapping first: a long path is shortened from its front. */
	size_t ml = strlen(r->info.mapping), pl = strlen(r->path);
	size_t room = sizeof m->origin - ml - 8;
	if (pl <= room)
		snprintf(m->origin, sizeof m->origin, "%s (%s)", r->path, r->info.mapping);
	else
		snprintf(m->origin, sizeof m->origin, "...%s (%s)", r->path + (pl - room + 3),
		         r->info.mapping);
	snprintf(m->ctx.athlete, sizeof m->ctx.athlete, "%s", r->ctx_extra.athlete);
	snprintf(m->ctx.notes, sizeof m->ctx.notes, "%s", r->info.app_summary);
	double rate = r->info.sample_rate_hz;
	for (size_t i = 0; i < r->nholes; i++) {
		double lost = isfinite(rate) ? floor(r->holes[i].step_s * rate + 0.5) - 1 : -1;
		if (bm_meta_add_gap(m, r->holes[i].before_t_s, lost > 0 ? (long)lost : -1,
		                    "no rows in the imported file") != 0) {
			bm_meta_free(m);
			return -1;
		}
	}
	return 0;
}

void bm_import_reader_close(struct bm_import_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	free(r->path);
	free(r->line);
	free(r->cells);
	free(r->steps);
	free(r->holes);
	free(r);
}

/* ------------------------------------------------------------- whole file */

int bm_import_output_name(const char *in_path, char *out, size_t len)
{
	const char *base = base_of(in_path);
	size_t n = strlen(base);
	if (n > 4 && !strcasecmp(base + n - 4, ".csv"))
		n -= 4;
	int k;
	if (set_number(in_path) > 0) {
		/* data_set_1 of which test: its folder says. */
		char dir[4096];
		dir_of(in_path, dir, sizeof dir);
		const char *folder = base_of(dir);
		if (!strcmp(folder, ".") || !strcmp(folder, "..") || !*folder) {
			char cwd[4096];
			if (getcwd(cwd, sizeof cwd) && strcmp(dir, ".") == 0)
				folder = base_of(cwd);
			else
				folder = "";
		}
		k = *folder ? snprintf(out, len, "%s-%.*s", folder, (int)n, base)
		            : snprintf(out, len, "%.*s", (int)n, base);
	} else {
		k = snprintf(out, len, "%.*s", (int)n, base);
	}
	return k < 0 || (size_t)k >= len || n == 0 ? -1 : 0;
}

static int exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0 || errno != ENOENT;
}

int bm_import_file(const char *in_path, const char *out_csv, const struct bm_import_opts *o,
                   struct bm_import_info *info, char *msg, size_t msg_len)
{
	struct bm_import_reader *r = NULL;
	struct bm_csv_writer *w = NULL;
	struct bm_csv_error err = {{0}};
	struct bm_meta meta;
	size_t ol = strlen(out_csv) + 64;
	char *meta_path = malloc(ol), *tmp = malloc(ol);
	int rc, linked = 0, made_tmp = 0;

	bm_meta_init(&meta);
	if (info)
		memset(info, 0, sizeof *info);
	if (!meta_path || !tmp) {
		say(msg, msg_len, "%s: out of memory", in_path);
		rc = BM_IMPORT_ERR_NOMEM;
		goto out;
	}
	bm_meta_path(out_csv, meta_path, ol);
	/* Refuse before reading a row: an import never replaces a file. */
	if (exists(out_csv) || exists(meta_path)) {
		say(msg, msg_len, "%s exists; it is never overwritten (remove it, or import with "
		    "another --out)", exists(out_csv) ? out_csv : meta_path);
		rc = BM_IMPORT_ERR_OUTPUT;
		goto out;
	}
	rc = bm_import_reader_open(in_path, o, &r, msg, msg_len);
	if (rc != BM_IMPORT_OK)
		goto out;
	/* Rows go to a temporary file beside the target; it is linked into
	 * place (never replacing) only when every row has been read. */
	snprintf(tmp, ol, "%s.import-%ld", out_csv, (long)getpid());
	if (bm_csv_writer_open(tmp, &w, &err) != BM_CSV_OK) {
		say(msg, msg_len, "%s", err.msg);
		rc = BM_IMPORT_ERR_OUTPUT;
		goto out;
	}
	made_tmp = 1;
	for (;;) {
		struct bm_csv_row row;
		memset(&row, 0, sizeof row);
		rc = bm_import_reader_next(r, &row.t_s, row.force_n, msg, msg_len);
		if (rc != BM_IMPORT_OK)
			break;
		if (bm_csv_write_row(w, &row) != BM_CSV_OK) {
			say(msg, msg_len, "%s: cannot write: %s", out_csv,
			    strerror(bm_csv_writer_error(w)));
			rc = BM_IMPORT_ERR_OUTPUT;
			goto out;
		}
	}
	if (rc != BM_IMPORT_EOF)
		goto out;
	int cr = bm_csv_writer_close(w, &err);
	w = NULL;
	if (cr != BM_CSV_OK) {
		say(msg, msg_len, "%s: %s", out_csv, err.msg);
		rc = BM_IMPORT_ERR_OUTPUT;
		goto out;
	}
	if (bm_import_reader_meta(r, &meta) != 0) {
		say(msg, msg_len, "%s: out of memory", in_path);
		rc = BM_IMPORT_ERR_NOMEM;
		goto out;
	}
	if (link(tmp, out_csv) != 0) {
		say(msg, msg_len, "%s: %s", out_csv,
		    errno == EEXIST ? "exists; it is never overwritten" : strerror(errno));
		rc = BM_IMPORT_ERR_OUTPUT;
		goto out;
	}
	linked = 1;
	char *json = bm_meta_to_json(&meta);
	if (!json || bm_write_file_new(meta_path, json, strlen(json), msg, msg_len) != 0) {
		if (!json)
			say(msg, msg_len, "%s: out of memory", meta_path);
		free(json);
		rc = BM_IMPORT_ERR_OUTPUT;
		goto out;
	}
	free(json);
	linked = 0;  /* both in place: keep them */
	rc = BM_IMPORT_OK;
out:
	if (w)
		bm_csv_writer_close(w, NULL);
	if (made_tmp)
		unlink(tmp);
	if (linked)
		unlink(out_csv);  /* the CSV we put there, without its sidecar */
	if (info && r)
		bm_import_reader_info(r, info);
	bm_import_reader_close(r);
	bm_meta_free(&meta);
	free(meta_path);
	free(tmp);
	return rc;
}
