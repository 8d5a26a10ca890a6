/*
 * bm_csv.c - session CSV writer and reader (contract in bm_csv.h).
 *
 * The reader is built for `analyze` on long recordings (the benchmark reads
 * ten million rows): it reads in large blocks, splits lines in place, and
 * parses plain decimals with an exact fast path (see parse_number), falling
 * back to strtod for anything unusual.  Only the columns it needs are
 * parsed; other cells are skipped after counting them.
 */
#include "bm_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Column order of the files we write; the reader finds columns by name. */
static const char *const write_columns =
	"t_s,left_n,right_n,left_raw,right_raw,seq,left_flags,right_flags";

#define META_MAX 64
#define LINE_MAX_BYTES (1u << 20)

static void set_err(struct bm_csv_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_err(struct bm_csv_error *err, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ writer */

/* The writer keeps whole rows in its own buffer and hands them to the
 * kernel with write(2), remembering the offset after the last row that
 * went out whole.  A write that fails part-way (the disk is full) is cut
 * back to that offset: the file always ends with a complete row, and
 * everything before it stays readable. */
#define WBUF_BYTES 65536

struct bm_csv_writer {
	int fd;
	int own;            /* we opened fd and close it */
	FILE *stream;       /* from_stream: write there instead */
	char buf[WBUF_BYTES];
	size_t n;           /* bytes waiting in buf, whole rows only */
	off_t good;         /* file offset after the last whole row written */
	double last_flush_t_s;
	int have_flush_t;
	int failed;         /* errno of the first failed write, sticky */
};

/* Hand the buffer to the kernel.  On a short or failed write the file is
 * cut back to the end of the last whole row that made it. */
static int wbuf_out(struct bm_csv_writer *w)
{
	size_t done = 0;

	if (w->failed)
		return BM_CSV_ERR_IO;
	if (w->stream) {
		int ok = fwrite(w->buf, 1, w->n, w->stream) == w->n;
		w->n = 0;
		if (!ok)
			w->failed = errno ? errno : EIO;
		return ok ? BM_CSV_OK : BM_CSV_ERR_IO;
	}
	while (done < w->n) {
		ssize_t k = write(w->fd, w->buf + done, w->n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->failed = k < 0 ? errno : ENOSPC;
			break;
		}
		done += (size_t)k;
	}
	if (!w->failed) {
		w->good += (off_t)w->n;
		w->n = 0;
		return BM_CSV_OK;
	}
	/* Keep the whole rows that fit, drop the part of a row. */
	size_t keep = done;
	while (keep > 0 && w->buf[keep - 1] != '\n')
		keep--;
	w->good += (off_t)keep;
	if (ftruncate(w->fd, w->good) == 0)
		lseek(w->fd, w->good, SEEK_SET);
	w->n = 0;
	errno = w->failed;
	return BM_CSV_ERR_IO;
}

static int wbuf_put(struct bm_csv_writer *w, const char *s, size_t len)
{
	if (w->n + len > sizeof w->buf && wbuf_out(w) != BM_CSV_OK)
		return BM_CSV_ERR_IO;
	if (len > sizeof w->buf)
		return BM_CSV_ERR_IO;
	memcpy(w->buf + w->n, s, len);
	w->n += len;
	return w->failed ? BM_CSV_ERR_IO : BM_CSV_OK;
}

static int write_header(struct bm_csv_writer *w)
{
	char line[160];
	int n = snprintf(line, sizeof line, "%s\n", write_columns);
	if (wbuf_put(w, line, (size_t)n) != BM_CSV_OK)
		return BM_CSV_ERR_IO;
	return wbuf_out(w);
}

int bm_csv_writer_open(const char *path, struct bm_csv_writer **out, struct bm_csv_error *err)
{
	struct bm_csv_writer *w;
	int fd;

	*out = NULL;
	/* O_EXCL: a recording never replaces an earlier one (nor follows a
	 * symbolic link planted under its name). */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		set_err(err, "%s: cannot create: %s", path, strerror(errno));
		return BM_CSV_ERR_IO;
	}
	w = calloc(1, sizeof *w);
	if (!w) {
		close(fd);
		unlink(path);
		set_err(err, "%s: out of memory", path);
		return BM_CSV_ERR_NOMEM;
	}
	w->fd = fd;
	w->own = 1;
	/* Held while the file is open (and dropped by the kernel when the
	 * process dies): a locked CSV is a recording in progress, an unlocked
	 * one without a summary a crash (bm_recover.h).  Advisory, and best
	 * effort: a file system without flock records all the same. */
	(void)flock(fd, LOCK_EX | LOCK_NB);
	if (write_header(w) != BM_CSV_OK) {
		set_err(err, "%s: cannot write: %s", path, strerror(w->failed));
		close(fd);
		unlink(path);
		free(w);
		return BM_CSV_ERR_IO;
	}
	*out = w;
	return BM_CSV_OK;
}

int bm_csv_writer_from_stream(FILE *f, struct bm_csv_writer **out)
{
	struct bm_csv_writer *w;

	*out = NULL;
	w = calloc(1, sizeof *w);
	if (!w)
		return BM_CSV_ERR_NOMEM;
	w->fd = -1;
	w->stream = f;
	if (write_header(w) != BM_CSV_OK) {
		free(w);
		return BM_CSV_ERR_IO;
	}
	*out = w;
	return BM_CSV_OK;
}

/* Append a double with @p decimals places; "" for NaN (a missing sample). */
static char *put_fixed(char *p, double v, int decimals)
{
	if (isnan(v))
		return p;
	return p + sprintf(p, "%.*f", decimals, v);
}

int bm_csv_write_row(struct bm_csv_writer *w, const struct bm_csv_row *r)
{
	char line[256], *p = line;

	/* Microseconds for time (epoch times keep their resolution in a
	 * double), millinewtons for force: well below the HX711's noise. */
	p = put_fixed(p, r->t_s, 6);
	*p++ = ',';
	p = put_fixed(p, r->force_n[BM_LEFT], 3);
	*p++ = ',';
	p = put_fixed(p, r->force_n[BM_RIGHT], 3);
	if (r->has_raw)
		p += sprintf(p, ",%ld,%ld,%u,%u,%u\n", (long)r->raw_counts[BM_LEFT],
		             (long)r->raw_counts[BM_RIGHT], (unsigned)r->seq,
		             (unsigned)r->flags[BM_LEFT], (unsigned)r->flags[BM_RIGHT]);
	else
		p += sprintf(p, ",,,,,\n");
	if (wbuf_put(w, line, (size_t)(p - line)) != BM_CSV_OK)
		return BM_CSV_ERR_IO;
	if (!w->have_flush_t) {
		w->last_flush_t_s = r->t_s;
		w->have_flush_t = 1;
	} else if (r->t_s - w->last_flush_t_s >= 1.0) {
		w->last_flush_t_s = r->t_s;
		return bm_csv_writer_flush(w, 0);
	}
	return BM_CSV_OK;
}

void bm_csv_row_as_written(struct bm_csv_row *r)
{
	char buf[64];
	/* Same formats as bm_csv_write_row; strtod is what the reader matches
	 * (its fast path is exact, see parse_number). */
	snprintf(buf, sizeof buf, "%.6f", r->t_s);
	r->t_s = strtod(buf, NULL);
	for (int ch = 0; ch < BM_NCHAN; ch++) {
		if (isnan(r->force_n[ch]))
			continue;
		snprintf(buf, sizeof buf, "%.3f", r->force_n[ch]);
		r->force_n[ch] = strtod(buf, NULL);
	}
}

int bm_csv_writer_flush(struct bm_csv_writer *w, int durable)
{
	if (wbuf_out(w) != BM_CSV_OK)
		return BM_CSV_ERR_IO;
	if (w->stream)
		return fflush(w->stream) == 0 ? BM_CSV_OK : BM_CSV_ERR_IO;
	if (durable && fsync(w->fd) != 0 && errno != EINVAL) {
		w->failed = errno;
		return BM_CSV_ERR_IO;
	}
	return BM_CSV_OK;
}

int bm_csv_writer_error(const struct bm_csv_writer *w)
{
	return w->failed;
}

int bm_csv_writer_close(struct bm_csv_writer *w, struct bm_csv_error *err)
{
	int r = BM_CSV_OK;

	if (!w)
		return BM_CSV_OK;
	if (bm_csv_writer_flush(w, 1) != BM_CSV_OK) {
		set_err(err, "cannot write the recording: %s (it ends at the last complete row)",
		        strerror(w->failed ? w->failed : EIO));
		r = BM_CSV_ERR_IO;
	}
	if (w->own && close(w->fd) != 0 && r == BM_CSV_OK) {
		set_err(err, "cannot close the recording: %s", strerror(errno));
		r = BM_CSV_ERR_IO;
	}
	free(w);
	return r;
}

/* ------------------------------------------------------------------ reader */

enum col {
	COL_T, COL_LEFT, COL_RIGHT,
	COL_LEFT_RAW, COL_RIGHT_RAW, COL_SEQ, COL_LEFT_FLAGS, COL_RIGHT_FLAGS,
	COL_COUNT
};
static const char *const col_names[COL_COUNT] = {
	"t_s", "left_n", "right_n",
	"left_raw", "right_raw", "seq", "left_flags", "right_flags",
};
#define COL_REQUIRED 3

struct bm_csv_reader {
	FILE *f;
	int own;
	char *path;
	char *buf;          /* block buffer; lines are split in place */
	size_t cap, len, pos;
	int eof;
	unsigned long line; /* number of the line last returned by next_line */
	int col_index[COL_COUNT]; /* cell index of each known column, or -1 */
	int ncols;          /* cells in the header */
	int has_raw;        /* all raw columns present */
	int has_flags;      /* both flags columns present */
	int forces_only;    /* skip raw counts and seq */
	signed char *cell_col; /* column of each header cell, or -1 */
	int have_prev;
	double prev_t;
	char *meta[META_MAX][2];
	int nmeta;
	int last_unended;   /* the line last returned had no line ending */
	int skip_backwards; /* skip rows whose time is not after the last */
	unsigned long skipped_backwards, first_skipped_line;
	int truncated_last; /* the last line was cut short and left out */
};

/* Next line, NUL-terminated, without its line ending; NULL at EOF.  Sets
 * *too_long when a line does not fit in LINE_MAX_BYTES. */
static char *next_line(struct bm_csv_reader *r, int *too_long)
{
	*too_long = 0;
	for (;;) {
		char *start = r->buf + r->pos;
		char *nl = memchr(start, '\n', r->len - r->pos);
		if (nl || (r->eof && r->pos < r->len)) {
			char *end = nl ? nl : r->buf + r->len;
			r->last_unended = !nl;
			r->pos = (size_t)(end - r->buf) + (nl ? 1 : 0);
			if (end > start && end[-1] == '\r')
				end--;
			*end = '\0';
			r->line++;
			return start;
		}
		if (r->eof)
			return NULL;
		/* Move the partial line to the front and read more. */
		memmove(r->buf, start, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
		if (r->len + 1 >= r->cap) {
			if (r->cap >= LINE_MAX_BYTES + 1) {
				*too_long = 1;
				r->line++;
				return NULL;
			}
			size_t ncap = r->cap * 2;
			char *nb = realloc(r->buf, ncap);
			if (!nb)
				return NULL;
			r->buf = nb;
			r->cap = ncap;
		}
		size_t got = fread(r->buf + r->len, 1, r->cap - 1 - r->len, r->f);
		r->len += got;
		if (got == 0)
			r->eof = 1;
	}
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Exact powers of ten: every one up to 1e22 is a double without rounding. */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * Parse the cell [s, e) as a number.  Returns 1 with *v set, 0 for an empty
 * cell (or "nan": a missing sample), -1 when it is not a number.
 *
 * Fast path (Clinger): when the digits form an integer m <= 2^53 and the
 * decimal exponent k has |k| <= 22, m and 10^|k| are both exact doubles, and
 * one IEEE multiplication or division rounds correctly, so the result equals
 * strtod's.  Everything else goes to strtod.
 */
static int parse_number(const char *s, const char *e, double *v)
{
	const char *p = s;
	int neg = 0, digits = 0, frac = 0, any = 0;
	uint64_t m = 0;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e - p >= 2 && *p == '"' && e[-1] == '"') {
		p++;  /* a quoted number, as some spreadsheets write them */
		e--;
		s = p;
	}
	if (p == e)
		return 0;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; p < e && *p >= '0' && *p <= '9'; p++, any = 1) {
		if (m || *p != '0')
			digits++;
		m = m * 10 + (uint64_t)(*p - '0');
		if (digits > 17)
			goto slow;
	}
	if (p < e && *p == '.') {
		for (p++; p < e && *p >= '0' && *p <= '9'; p++, any = 1) {
			if (m || *p != '0')
				digits++;
			m = m * 10 + (uint64_t)(*p - '0');
			frac++;
			if (digits > 17)
				goto slow;
		}
	}
	if (!any || (p < e && *p != 'e' && *p != 'E'))
		goto slow;
	{
		int k = -frac;
		if (p < e) {
			int eneg = 0, ek = 0, edig = 0;
			p++;
			if (p < e && (*p == '-' || *p == '+'))
				eneg = *p++ == '-';
			for (; p < e && *p >= '0' && *p <= '9'; p++, edig++)
				if (ek < 10000)
					ek = ek * 10 + (*p - '0');
			if (!edig || p != e)
				return -1;
			k += eneg ? -ek : ek;
		}
		if (m > (UINT64_C(1) << 53) || k < -22 || k > 22)
			goto slow;
		double d = (double)m;
		d = k < 0 ? d / pow10_exact[-k] : d * pow10_exact[k];
		*v = neg ? -d : d;
		return 1;
	}
slow: {
		char tmp[128], *end;
		size_t n = (size_t)(e - s);
		if (n >= sizeof tmp)
			return -1;
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		char *t = trim(tmp);
		if (!strcmp(t, "nan") || !strcmp(t, "NaN") || !strcmp(t, "NAN"))
			return 0;
		if (strpbrk(t, "xXpP"))
			return -1;  /* strtod would take hexadecimal; a CSV means decimal */
		errno = 0;
		double d = strtod(t, &end);
		if (end == t || *end != '\0' || !isfinite(d))
			return -1;
		*v = d;
		return 1;
	}
}

static int read_header(struct bm_csv_reader *r, struct bm_csv_error *err)
{
	char *line;
	int too_long;

	while ((line = next_line(r, &too_long)) != NULL) {
		if (r->line == 1 && (unsigned char)line[0] == 0xEF &&
		    (unsigned char)line[1] == 0xBB && (unsigned char)line[2] == 0xBF)
			line += 3;  /* UTF-8 byte order mark from spreadsheet exports */
		char *t = trim(line);
		if (*t == '\0')
			continue;
		if (*t == '#') {
			char *colon = strchr(t + 1, ':');
			if (colon && r->nmeta < META_MAX) {
				*colon = '\0';
				char *k = strdup(trim(t + 1)), *v = strdup(trim(colon + 1));
				if (!k || !v) {
					free(k);
					free(v);
					set_err(err, "%s: out of memory", r->path);
					return BM_CSV_ERR_NOMEM;
				}
				r->meta[r->nmeta][0] = k;
				r->meta[r->nmeta][1] = v;
				r->nmeta++;
			}
			continue;
		}
		/* The header row.  A spreadsheet set to another locale writes
		 * ';' or tabs between cells: say so rather than "missing t_s". */
		if (!strchr(t, ',') && (strchr(t, ';') || strchr(t, '\t'))) {
			set_err(err, "%s:%lu: the columns are separated by '%s', not commas "
			        "(export the file as comma-separated CSV)", r->path, r->line,
			        strchr(t, ';') ? ";" : "tab");
			return BM_CSV_ERR_FORMAT;
		}
		for (int c = 0; c < COL_COUNT; c++)
			r->col_index[c] = -1;
		r->ncols = 0;
		for (char *cell = t, *next; cell; cell = next, r->ncols++) {
			next = strchr(cell, ',');
			if (next)
				*next++ = '\0';
			char *name = trim(cell);
			size_t nl = strlen(name);
			if (nl >= 2 && name[0] == '"' && name[nl - 1] == '"') {
				name[nl - 1] = '\0';
				name++;
			}
			for (int c = 0; c < COL_COUNT; c++) {
				if (strcmp(name, col_names[c]) != 0)
					continue;
				if (r->col_index[c] >= 0) {
					set_err(err, "%s:%lu: column '%s' appears twice in the header",
					        r->path, r->line, name);
					return BM_CSV_ERR_FORMAT;
				}
				r->col_index[c] = r->ncols;
			}
		}
		for (int c = 0; c < COL_REQUIRED; c++) {
			if (r->col_index[c] < 0) {
				set_err(err, "%s:%lu: missing column '%s' (the header needs t_s, left_n and right_n)",
				        r->path, r->line, col_names[c]);
				return BM_CSV_ERR_FORMAT;
			}
		}
		r->cell_col = malloc((size_t)r->ncols);
		if (!r->cell_col) {
			set_err(err, "%s: out of memory", r->path);
			return BM_CSV_ERR_NOMEM;
		}
		memset(r->cell_col, -1, (size_t)r->ncols);
		for (int c = 0; c < COL_COUNT; c++)
			if (r->col_index[c] >= 0)
				r->cell_col[r->col_index[c]] = (signed char)c;
		r->has_raw = 1;
		for (int c = COL_REQUIRED; c < COL_COUNT; c++)
			if (r->col_index[c] < 0)
				r->has_raw = 0;
		r->has_flags = r->col_index[COL_LEFT_FLAGS] >= 0 && r->col_index[COL_RIGHT_FLAGS] >= 0;
		return BM_CSV_OK;
	}
	if (too_long)
		set_err(err, "%s:%lu: line longer than %u bytes", r->path, r->line, LINE_MAX_BYTES);
	else if (ferror(r->f))
		set_err(err, "%s: read error: %s", r->path, strerror(errno));
	else
		set_err(err, "%s:%lu: no header row (expected a line naming the columns t_s, left_n, right_n)",
		        r->path, r->line + 1);
	return too_long ? BM_CSV_ERR_FORMAT : (ferror(r->f) ? BM_CSV_ERR_IO : BM_CSV_ERR_FORMAT);
}

static int reader_new(FILE *f, int own, const char *name, struct bm_csv_reader **out,
                      struct bm_csv_error *err)
{
	struct bm_csv_reader *r;
	int rc;

	*out = NULL;
	r = calloc(1, sizeof *r);
	if (!r) {
		set_err(err, "%s: out of memory", name);
		if (own)
			fclose(f);
		return BM_CSV_ERR_NOMEM;
	}
	r->f = f;
	r->own = own;
	r->path = strdup(name);
	r->cap = 1u << 18;
	r->buf = malloc(r->cap);
	if (!r->path || !r->buf) {
		set_err(err, "%s: out of memory", name);
		bm_csv_reader_close(r);
		return BM_CSV_ERR_NOMEM;
	}
	rc = read_header(r, err);
	if (rc != BM_CSV_OK) {
		bm_csv_reader_close(r);
		return rc;
	}
	*out = r;
	return BM_CSV_OK;
}

int bm_csv_reader_open(const char *path, struct bm_csv_reader **out,
                       struct bm_csv_error *err)
{
	FILE *f;

	*out = NULL;
	if (!strcmp(path, "-"))
		return reader_new(stdin, 0, "<stdin>", out, err);
	f = fopen(path, "rb");
	if (!f) {
		set_err(err, "%s: cannot open: %s", path, strerror(errno));
		return BM_CSV_ERR_IO;
	}
	return reader_new(f, 1, path, out, err);
}

int bm_csv_reader_from_stream(FILE *f, const char *name, struct bm_csv_reader **out,
                              struct bm_csv_error *err)
{
	return reader_new(f, 0, name, out, err);
}

static int parse_int_cell(const char *s, const char *e, long lo, long hi, long *v)
{
	double d;
	/* Plain integers (what the writer writes) need no double. */
	if (e > s && e - s <= 10) {
		const char *p = s;
		int neg = *p == '-';
		long m = 0;
		p += neg;
		if (p < e) {
			for (; p < e && *p >= '0' && *p <= '9'; p++)
				m = m * 10 + (*p - '0');
			if (p == e) {
				m = neg ? -m : m;
				if (m < lo || m > hi)
					return -1;
				*v = m;
				return 1;
			}
		}
	}
	int pr = parse_number(s, e, &d);
	if (pr <= 0 || d != floor(d) || d < (double)lo || d > (double)hi)
		return pr == 0 ? 0 : -1;
	*v = (long)d;
	return 1;
}

static int parse_row(struct bm_csv_reader *r, char *line, struct bm_csv_row *row,
                     struct bm_csv_error *err);

int bm_csv_reader_next(struct bm_csv_reader *r, struct bm_csv_row *row,
                       struct bm_csv_error *err)
{
	for (;;) {
		char *line;
		int too_long;
		for (;;) {
			line = next_line(r, &too_long);
			if (!line) {
				if (too_long) {
					set_err(err, "%s:%lu: line longer than %u bytes", r->path,
					        r->line, LINE_MAX_BYTES);
					return BM_CSV_ERR_FORMAT;
				}
				if (ferror(r->f)) {
					set_err(err, "%s: read error: %s", r->path, strerror(errno));
					return BM_CSV_ERR_IO;
				}
				return BM_CSV_EOF;
			}
			const char *p = line;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p != '#' && *p != '\0')
				break;
		}
		int rc = parse_row(r, line, row, err);
		if (rc == BM_CSV_SKIP)
			continue;
		/* A last line cut short (the power went, the program was killed
		 * mid-write) is no reason to refuse all the rows before it: it
		 * is left out, and the caller can say so. */
		if (rc == BM_CSV_ERR_FORMAT && r->last_unended) {
			r->truncated_last = 1;
			return BM_CSV_EOF;
		}
		return rc;
	}
}

/* One data line into @p row.  BM_CSV_SKIP: a row out of time order that
 * the caller asked to skip. */
static int parse_row(struct bm_csv_reader *r, char *line, struct bm_csv_row *row,
                     struct bm_csv_error *err)
{
	const char *cell_start[COL_COUNT], *cell_end[COL_COUNT];

	/* Split into cells, remembering only the ones we read: one pass, the
	 * header's cell -> column map says which. */
	int idx = 0;
	const char *s = line, *p = line;
	for (int c = 0; c < COL_COUNT; c++)
		cell_start[c] = cell_end[c] = NULL;
	for (;; p++) {
		if (*p != ',' && *p != '\0')
			continue;
		if (idx < r->ncols && r->cell_col[idx] >= 0) {
			cell_start[r->cell_col[idx]] = s;
			cell_end[r->cell_col[idx]] = p;
		}
		idx++;
		if (*p == '\0')
			break;
		s = p + 1;
	}
	if (idx != r->ncols) {
		set_err(err, "%s:%lu: %d cells, but the header names %d columns", r->path,
		        r->line, idx, r->ncols);
		return BM_CSV_ERR_FORMAT;
	}

	memset(row, 0, sizeof *row);
	double t;
	int pr = parse_number(cell_start[COL_T], cell_end[COL_T], &t);
	if (pr <= 0) {
		if (pr == 0)
			set_err(err, "%s:%lu: t_s is empty (every row needs a time)", r->path, r->line);
		else
			set_err(err, "%s:%lu: t_s '%.*s' is not a number", r->path, r->line,
			        (int)(cell_end[COL_T] - cell_start[COL_T] > 40 ? 40 : cell_end[COL_T] - cell_start[COL_T]),
			        cell_start[COL_T]);
		return BM_CSV_ERR_FORMAT;
	}
	if (!(fabs(t) <= BM_CSV_MAX_T_S)) {
		set_err(err, "%s:%lu: t_s %g is not a time in seconds (beyond %g s)", r->path, r->line,
		        t, BM_CSV_MAX_T_S);
		return BM_CSV_ERR_FORMAT;
	}
	if (r->have_prev && !(t > r->prev_t)) {
		if (r->skip_backwards) {
			if (!r->skipped_backwards++)
				r->first_skipped_line = r->line;
			return BM_CSV_SKIP;
		}
		set_err(err, "%s:%lu: time goes backwards%s (t_s %.6f after %.6f); "
		        "--skip-backwards leaves such rows out", r->path, r->line,
		        t == r->prev_t ? " or repeats" : "", t, r->prev_t);
		return BM_CSV_ERR_FORMAT;
	}
	r->have_prev = 1;
	r->prev_t = t;
	row->t_s = t;
	for (int ch = 0; ch < BM_NCHAN; ch++) {
		int c = ch == BM_LEFT ? COL_LEFT : COL_RIGHT;
		double f;
		pr = parse_number(cell_start[c], cell_end[c], &f);
		if (pr < 0) {
			int n = (int)(cell_end[c] - cell_start[c]);
			set_err(err, "%s:%lu: %s '%.*s' is not a number", r->path, r->line,
			        col_names[c], n > 40 ? 40 : n, cell_start[c]);
			return BM_CSV_ERR_FORMAT;
		}
		row->force_n[ch] = pr ? f : NAN;
	}
	if (r->has_raw || (r->forces_only && r->has_flags)) {
		long v[5];
		int ok = 1, empty = 0;
		static const long lo[5] = {BM_RAW_MIN, BM_RAW_MIN, 0, 0, 0};
		static const long hi[5] = {BM_RAW_MAX, BM_RAW_MAX, 65535, 255, 255};
		for (int k = r->forces_only ? 3 : 0; k < 5; k++) {
			int c = COL_LEFT_RAW + k;
			int q = parse_int_cell(cell_start[c], cell_end[c], lo[k], hi[k], &v[k]);
			if (q < 0) {
				int n = (int)(cell_end[c] - cell_start[c]);
				set_err(err, "%s:%lu: %s '%.*s' is not an integer in range", r->path,
				        r->line, col_names[c], n > 40 ? 40 : n, cell_start[c]);
				return BM_CSV_ERR_FORMAT;
			}
			if (q == 0)
				empty = 1;
			ok = ok && q == 1;
		}
		if (ok && !empty) {
			row->has_flags = 1;
			row->flags[BM_LEFT] = (uint8_t)v[3];
			row->flags[BM_RIGHT] = (uint8_t)v[4];
			if (!r->forces_only) {
				row->has_raw = 1;
				row->raw_counts[BM_LEFT] = (int32_t)v[0];
				row->raw_counts[BM_RIGHT] = (int32_t)v[1];
				row->seq = (uint16_t)v[2];
			}
		}
	}
	return BM_CSV_OK;
}

void bm_csv_reader_forces_only(struct bm_csv_reader *r)
{
	r->forces_only = 1;
}

const char *bm_csv_reader_meta(const struct bm_csv_reader *r, const char *key)
{
	for (int i = 0; i < r->nmeta; i++)
		if (!strcmp(r->meta[i][0], key))
			return r->meta[i][1];
	return NULL;
}

unsigned long bm_csv_reader_line(const struct bm_csv_reader *r)
{
	return r->line;
}

void bm_csv_reader_skip_backwards(struct bm_csv_reader *r)
{
	r->skip_backwards = 1;
}

unsigned long bm_csv_reader_skipped(const struct bm_csv_reader *r, unsigned long *first_line)
{
	if (first_line)
		*first_line = r->first_skipped_line;
	return r->skipped_backwards;
}

int bm_csv_reader_truncated(const struct bm_csv_reader *r)
{
	return r->truncated_last;
}

void bm_csv_reader_close(struct bm_csv_reader *r)
{
	if (!r)
		return;
	if (r->own && r->f)
		fclose(r->f);
	for (int i = 0; i < r->nmeta; i++) {
		free(r->meta[i][0]);
		free(r->meta[i][1]);
	}
	free(r->cell_col);
	free(r->buf);
	free(r->path);
	free(r);
}
