/* bm_import.c - other devices' recordings as bridgemon sessions; the idea
 * is in bm_import.h, and what is particular to a Tindeq export is in
 * bm_import_tindeq.c.
 *
 * The reader is a small CSV reader of its own rather than bm_csv's: the
 * files it reads name their columns as they like, put a block of the
 * app's own numbers above the header, quote cells with commas inside, and
 * may be written by a spreadsheet with ';' between cells and decimal
 * commas.  It reads a line at a time and keeps only what the sidecar needs
 * at the end (the time steps, for the median, and the long holes).
 */
#include "bm_import_priv.h"
#include "bm_say.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bm_csv.h"
#include "bm_fileio.h"

/* A hole is a step this many median steps long (one missing row makes a
 * step of 2). */
#define HOLE_STEPS 1.5
/* Rates the sidecar accepts (bm_meta.c range-checks the same). */
#define MIN_STEP_S 1e-5
#define MAX_STEP_S 10.0

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
char *bm_import_read_line(struct bm_import_reader *r)
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
 * the number of cells, or -1 when there are more than BM_IMPORT_MAX_CELLS (or no
 * memory for them). */
int bm_import_split_cells(struct bm_import_reader *r, char *s, char sep)
{
	if (!r->cells) {
		r->cells = malloc(BM_IMPORT_MAX_CELLS * sizeof *r->cells);
		if (!r->cells)
			return -1;
	}
	int n = 0;
	char *p = s;
	for (;;) {
		if (n == BM_IMPORT_MAX_CELLS)
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

/* A cell as a number: 1 with *v set, 0 for an empty cell or "nan" (a
 * missing sample), -1 when it is not a number.  Decimal commas are read
 * when the file separates its cells otherwise. */
int bm_import_parse_num(const char *s, int decimal_comma, double *v)
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
const char *bm_import_shown(const char *cell, char *buf, size_t len)
{
	size_t i = 0;
	for (; cell[i] && i < 40 && i + 1 < len; i++)
		buf[i] = (unsigned char)cell[i] < 0x20 || cell[i] == 0x7f ? '?' : cell[i];
	buf[i] = '\0';
	return buf;
}

/* The folder of @p path ("." for none), into @p out. */
void bm_import_dir_of(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, len, ".");
	else if (slash == path)
		snprintf(out, len, "/");
	else
		snprintf(out, len, "%.*s", (int)(slash - path), path);
}

const char *bm_import_base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* A Tindeq set file: "data_set_N.csv". */
int bm_import_set_number(const char *path)
{
	int k;
	char tail[8];
	if (sscanf(bm_import_base_of(path), "data_set_%d%7s", &k, tail) == 2 && !strcasecmp(tail, ".csv"))
		return k;
	return 0;
}

/* ------------------------------------------------------------- columns */

/* Column @p spec (a name, or a 1-based index) among the header's cells.
 * Returns the cell index, or -1 with @p msg set. */
int bm_import_find_column(struct bm_import_reader *r, const char *spec, int headerless,
                       unsigned long line, char *msg, size_t msg_len)
{
	const char *p = spec;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*spec && !*p) {
		long k = strtol(spec, NULL, 10);
		if (k >= 1 && k <= r->ncells)
			return (int)k - 1;
		bm_say(msg, msg_len, "%s:%lu: missing column %s (the %s has %d column%s)", r->path, line,
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
		                      bm_import_shown(r->cells[i], c, sizeof c));
	if (headerless)
		bm_say(msg, msg_len, "%s:%lu: missing column '%.60s' (the file has no header: give columns "
		    "by number)", r->path, line, spec);
	else
		bm_say(msg, msg_len, "%s:%lu: missing column '%.60s' (the header has %s)", r->path, line,
		    spec, names);
	return -1;
}

/* A cell of the header for messages and the mapping. */
void bm_import_name_column(struct bm_import_reader *r, int which, int col, int headerless)
{
	char c[48];
	if (col < 0)
		snprintf(r->col_name[which], sizeof r->col_name[0], "none");
	else if (headerless)
		snprintf(r->col_name[which], sizeof r->col_name[0], "column %d", col + 1);
	else
		snprintf(r->col_name[which], sizeof r->col_name[0], "'%s' (column %d)",
		         bm_import_shown(r->cells[col], c, sizeof c), col + 1);
}

/* Every mapped column as a number in the current cells: the line is data,
 * not a header. */
static int all_numbers(const struct bm_import_reader *r, const int *cols, int n)
{
	for (int i = 0; i < n; i++) {
		double v;
		if (cols[i] >= 0 && (cols[i] >= r->ncells || bm_import_parse_num(r->cells[cols[i]],
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
		if (!bm_import_read_line(r))
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
		bm_say(msg, msg_len, "%s: cannot read it again from the start: %s", r->path,
		    strerror(errno));
		return BM_IMPORT_ERR_INPUT;
	}
	while ((line = bm_import_read_line(r)) != NULL) {
		char *t = trim(line);
		if (*t && *t != '#')
			break;
	}
	if (!line) {
		if (ferror(r->f)) {
			bm_say(msg, msg_len, "%s: read error: %s", r->path, strerror(errno));
			return BM_IMPORT_ERR_INPUT;
		}
		bm_say(msg, msg_len, "%s: empty file (no header, no rows)", r->path);
		return BM_IMPORT_ERR_FORMAT;
	}
	unsigned long hline = r->line_no;
	if (!o->time_col && !o->leg_col[0] && !o->leg_col[1]) {
		bm_say(msg, msg_len, "%s:%lu: not a Tindeq Progressor export (no 'time,weight' header); "
		    "for another CSV give --time COL, --left COL and/or --right COL, and --unit",
		    r->path, hline);
		return BM_IMPORT_ERR_FORMAT;
	}
	if (!o->time_col || (!o->leg_col[0] && !o->leg_col[1])) {
		bm_say(msg, msg_len, "%s: which columns? give --time COL and --left COL and/or --right COL",
		    r->path);
		return BM_IMPORT_ERR_ARG;
	}
	char *t = trim(line);
	r->sep = strchr(t, ',') ? ',' : strchr(t, ';') ? ';' : strchr(t, '\t') ? '\t' : ',';
	r->decimal_comma = r->sep != ',';
	r->ncells = bm_import_split_cells(r, t, r->sep);
	if (r->ncells < 0) {
		bm_say(msg, msg_len, "%s:%lu: more than %d columns", r->path, hline, BM_IMPORT_MAX_CELLS);
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
		cols[i] = bm_import_find_column(r, spec[i], headerless, hline, msg, msg_len);
		if (cols[i] < 0)
			return BM_IMPORT_ERR_FORMAT;
	}
	for (int i = 0; i < 3; i++)
		bm_import_name_column(r, i, cols[i], headerless);
	r->col_t = cols[0];
	r->col_leg[0] = cols[1];
	r->col_leg[1] = cols[2];
	if (o->unit == BM_IMPORT_UNIT_UNKNOWN) {
		bm_say(msg, msg_len, "%s:%lu: unknown unit: the file does not say what its forces are in; "
		    "give --unit kg, N or lbf", r->path, hline);
		return BM_IMPORT_ERR_FORMAT;
	}
	r->info.unit = o->unit;
	snprintf(r->info.device, sizeof r->info.device, "imported CSV");
	if (headerless && rewind_to(r, hline) != 0) {
		bm_say(msg, msg_len, "%s: cannot read it again from the start: %s", r->path,
		    strerror(errno));
		return BM_IMPORT_ERR_INPUT;
	}
	return 0;
}

int bm_import_reader_open(const char *path, const struct bm_import_opts *o,
                          struct bm_import_reader **out, char *msg, size_t msg_len)
{
	struct bm_import_reader *r;
	struct stat sb;
	int rc;

	*out = NULL;
	if (o->sensor_leg != BM_LEFT && o->sensor_leg != BM_RIGHT) {
		bm_say(msg, msg_len, "the sensor's leg is left or right");
		return BM_IMPORT_ERR_ARG;
	}
	r = calloc(1, sizeof *r);
	if (!r || !(r->path = strdup(path)) || !(r->cells = malloc(BM_IMPORT_MAX_CELLS * sizeof *r->cells))) {
		bm_say(msg, msg_len, "%s: out of memory", path);
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
			bm_say(msg, msg_len, "%s: not a regular file", path);
		else
			bm_say(msg, msg_len, "%s: cannot open: %s", path, strerror(errno));
		bm_import_reader_close(r);
		return BM_IMPORT_ERR_INPUT;
	}
	rc = bm_import_tindeq_open(r, o, msg, msg_len);
	if (rc == BM_IMPORT_NOT_TINDEQ)
		rc = open_generic(r, o, msg, msg_len);
	if (rc != 0) {
		if (rc == BM_IMPORT_SUMMARY)
			bm_say(msg, msg_len, "%s: the Tindeq app's summary of a test (no rows); it is read "
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
static int parse_row(struct bm_import_reader *r, char *line, struct bm_import_row *row, char *msg,
                     size_t msg_len)
{
	char cell[48];
	char *t = trim(line);
	if (!*t || *t == '#')
		return 0;
	int n = bm_import_split_cells(r, t, r->sep);
	if (n < 0) {
		bm_say(msg, msg_len, "%s:%lu: more than %d cells", r->path, r->line_no, BM_IMPORT_MAX_CELLS);
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
			bm_say(msg, msg_len, "%s:%lu: missing column %s (the row has %d cell%s)", r->path,
			    r->line_no, r->col_name[i], n, n == 1 ? "" : "s");
			return BM_IMPORT_ERR_FORMAT;
		}
	}
	int pr = bm_import_parse_num(r->cells[r->col_t], r->decimal_comma, &row->t_s);
	if (pr <= 0) {
		if (pr == 0)
			bm_say(msg, msg_len, "%s:%lu: the time (%s) is empty: every row needs one", r->path,
			    r->line_no, r->col_name[0]);
		else
			bm_say(msg, msg_len, "%s:%lu: time " CELL_FMT " is not a number", r->path, r->line_no,
			    bm_import_shown(r->cells[r->col_t], cell, sizeof cell));
		return BM_IMPORT_ERR_FORMAT;
	}
	if (!(fabs(row->t_s) <= BM_CSV_MAX_T_S)) {
		bm_say(msg, msg_len, "%s:%lu: time %g (%s) is not a time in seconds (beyond %g s)",
		    r->path, r->line_no, row->t_s, r->col_name[0], BM_CSV_MAX_T_S);
		return BM_IMPORT_ERR_FORMAT;
	}
	for (int leg = 0; leg < 2; leg++) {
		row->force_n[leg] = NAN;
		if (r->col_leg[leg] < 0)
			continue;
		double v;
		pr = bm_import_parse_num(r->cells[r->col_leg[leg]], r->decimal_comma, &v);
		if (pr < 0) {
			bm_say(msg, msg_len, "%s:%lu: %s force " CELL_FMT " is not a number", r->path,
			    r->line_no, leg ? "right" : "left",
			    bm_import_shown(r->cells[r->col_leg[leg]], cell, sizeof cell));
			return BM_IMPORT_ERR_FORMAT;
		}
		if (pr > 0)
			row->force_n[leg] = v * r->n_per_unit + r->rest_n;
	}
	row->line = r->line_no;
	return 1;
}

/* Next parsed row from the file: BM_IMPORT_OK, _EOF or an error. */
static int file_row(struct bm_import_reader *r, struct bm_import_row *row, char *msg, size_t msg_len)
{
	for (;;) {
		char *line = bm_import_read_line(r);
		if (!line) {
			if (ferror(r->f)) {
				bm_say(msg, msg_len, "%s: read error: %s", r->path, strerror(errno));
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
				struct bm_import_hole *nh = realloc(r->holes, nc * sizeof *nh);
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
	if (r->info.rows == 0) {
		bm_say(msg, msg_len, "%s:%lu: no rows of data%s", r->path, r->line_no,
		    r->info.truncated ? " (the only one is cut short)" : "");
		return BM_IMPORT_ERR_FORMAT;
	}
	if (r->nsteps == 0)
		return BM_IMPORT_EOF;
	double *s = malloc(r->nsteps * sizeof *s);
	if (!s) {
		bm_say(msg, msg_len, "%s: out of memory", r->path);
		return BM_IMPORT_ERR_NOMEM;
	}
	memcpy(s, r->steps, r->nsteps * sizeof *s);
	if (r->nsteps > 1) /* qsort(NULL, 0) is undefined */
		qsort(s, r->nsteps, sizeof *s, cmp_double);
	double med = r->nsteps % 2 ? s[r->nsteps / 2]
	                           : 0.5 * (s[r->nsteps / 2 - 1] + s[r->nsteps / 2]);
	free(s);
	if (med < MIN_STEP_S || med > MAX_STEP_S) {
		bm_say(msg, msg_len, "%s: the rows are %g s apart (median): is the time (%s) in seconds?",
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
	struct bm_import_row row;
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
			bm_say(msg, msg_len, "%s:%lu: time %s after the first rows (%.6f after %.6f)",
			    r->path, row.line, row.t_s == r->prev_t_s ? "repeats" : "goes backwards",
			    row.t_s, r->prev_t_s);
			return BM_IMPORT_ERR_FORMAT;
		}
		goto emit;
	}
	return BM_IMPORT_EOF;
emit:
	if (push_step(r, row.t_s) != 0) {
		bm_say(msg, msg_len, "%s: out of memory", r->path);
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
	/* A Tindeq tares itself before each test: its sensor reads 0 at rest
	 * (plus --rest), which the analysis needs when the export is cut to
	 * the effort itself. */
	if (!strncmp(r->info.device, "Tindeq", 6))
		for (int leg = 0; leg < 2; leg++)
			m->rest_n[leg] = r->col_leg[leg] >= 0 ? r->rest_n : NAN;
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
	const char *base = bm_import_base_of(in_path);
	size_t n = strlen(base);
	if (n > 4 && !strcasecmp(base + n - 4, ".csv"))
		n -= 4;
	int k;
	if (bm_import_set_number(in_path) > 0) {
		/* data_set_1 of which test: its folder says. */
		char dir[4096];
		bm_import_dir_of(in_path, dir, sizeof dir);
		const char *folder = bm_import_base_of(dir);
		if (!strcmp(folder, ".") || !strcmp(folder, "..") || !*folder) {
			char cwd[4096];
			if (getcwd(cwd, sizeof cwd) && strcmp(dir, ".") == 0)
				folder = bm_import_base_of(cwd);
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
		bm_say(msg, msg_len, "%s: out of memory", in_path);
		rc = BM_IMPORT_ERR_NOMEM;
		goto out;
	}
	bm_meta_path(out_csv, meta_path, ol);
	/* Refuse before reading a row: an import never replaces a file. */
	if (exists(out_csv) || exists(meta_path)) {
		bm_say(msg, msg_len, "%s exists; it is never overwritten (remove it, or import with "
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
		bm_say(msg, msg_len, "%s", err.msg);
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
			bm_say(msg, msg_len, "%s: cannot write: %s", out_csv,
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
		bm_say(msg, msg_len, "%s: %s", out_csv, err.msg);
		rc = BM_IMPORT_ERR_OUTPUT;
		goto out;
	}
	if (bm_import_reader_meta(r, &meta) != 0) {
		bm_say(msg, msg_len, "%s: out of memory", in_path);
		rc = BM_IMPORT_ERR_NOMEM;
		goto out;
	}
	if (link(tmp, out_csv) != 0) {
		bm_say(msg, msg_len, "%s: %s", out_csv,
		    errno == EEXIST ? "exists; it is never overwritten" : strerror(errno));
		rc = BM_IMPORT_ERR_OUTPUT;
		goto out;
	}
	linked = 1;
	char *json = bm_meta_to_json(&meta);
	if (!json || bm_write_file_new(meta_path, json, strlen(json), msg, msg_len) != 0) {
		if (!json)
			bm_say(msg, msg_len, "%s: out of memory", meta_path);
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
