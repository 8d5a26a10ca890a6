/*
 * test_import.c - other devices' recordings as sessions (bm_import): a
 * Tindeq-like repeaters export (an Avg/Peak block above the rows, stale rows
 * whose time goes back at the start, one row in 16 missing, info.csv beside
 * it) read row by row, written as a session and its sidecar, and analysed
 * to its six holds on the sensor's leg and nothing on the other; CSVs with
 * a column mapping (by name, by number, without a header, ';' and decimal
 * commas, units); every bad file giving one line with file, line and
 * reason; outputs never overwritten and nothing left behind on failure.
 *
 * The files are made here, small and synthetic: the real exports are not
 * part of the project.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bm_analysis.h"
#include "bm_csv.h"
#include "bm_import.h"
#include "bm_meta.h"
#include "core_suites.h"

static char tmpdir[64];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/bm_test_import_XXXXXX");
	ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp failed");
	/* Tindeq dates carry no offset: they are read as local time. */
	setenv("TZ", "UTC", 1);
	tzset();
}

static void remove_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* tmpdir/name (created folders along the way); a static buffer per call
 * site is not enough, so the caller keeps the string. */
static char *tpath(const char *name)
{
	char *p = malloc(strlen(tmpdir) + strlen(name) + 2);
	ck_assert_msg(p != NULL, "out of memory");
	sprintf(p, "%s/%s", tmpdir, name);
	return p;
}

static char *write_file(const char *name, const char *text)
{
	char *p = tpath(name);
	char *slash = strrchr(p, '/');
	*slash = '\0';
	mkdir(p, 0755);
	*slash = '/';
	FILE *f = fopen(p, "wb");
	ck_assert_msg(f != NULL, "cannot create %s", p);
	fputs(text, f);
	fclose(f);
	return p;
}

static int file_exists(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0;
}

/* ---- the synthetic Tindeq repeaters export ---- */

#define SYN_RATE_HZ 85.0
#define SYN_LEAD_S 3.0
#define SYN_REPS 6
#define SYN_ON_S 7.0
#define SYN_OFF_S 3.0
#define SYN_KG 25.0
#define SYN_STALE 4
static const double syn_stale_t[SYN_STALE] = {0.52, 0.41, 0.29, 0.18};

/* Deterministic noise in [-a, a]. */
static double noise(unsigned *state, double a)
{
	*state = *state * 1103515245u + 12345u;
	return a * (((*state >> 8) & 0xffff) / 32767.5 - 1.0);
}

static double syn_kg(double t)
{
	double w = 0;
	for (int k = 0; k < SYN_REPS; k++) {
		double s = SYN_LEAD_S + k * (SYN_ON_S + SYN_OFF_S);
		double up = (t - s) / 0.3, down = (s + SYN_ON_S - t) / 0.3;
		double x = up < down ? up : down;
		w += SYN_KG * (x < 0 ? 0 : x > 1 ? 1 : x);
	}
	return w;
}

/* Rows of the export (without the stale ones): every row i except i % 16
 * == 7.  Returns how many. */
static int syn_rows(void)
{
	int n = (int)((SYN_LEAD_S + SYN_REPS * (SYN_ON_S + SYN_OFF_S)) * SYN_RATE_HZ), kept = 0;
	for (int i = 0; i < n; i++)
		kept += i % 16 != 7;
	return kept;
}

/* The export, CRLF lines and no line ending at the end, as the app writes
 * it; with the per-set block above the header. */
static char *write_syn_tindeq(const char *name)
{
	char *p = tpath(name);
	char *slash = strrchr(p, '/');
	*slash = '\0';
	mkdir(p, 0755);
	*slash = '/';
	FILE *f = fopen(p, "wb");
	ck_assert_msg(f != NULL, "cannot create %s", p);
	fprintf(f, ",Avg,Rep 1\r\nAvg,%.3f,%.3f\r\nPeak,%.3f,%.3f\r\n,\r\ntime,weight", SYN_KG, SYN_KG,
	        SYN_KG + 0.5, SYN_KG + 0.5);
	for (int i = 0; i < SYN_STALE; i++)
		fprintf(f, "\r\n%.2f,0.1", syn_stale_t[i]);
	unsigned st = 7;
	int n = (int)((SYN_LEAD_S + SYN_REPS * (SYN_ON_S + SYN_OFF_S)) * SYN_RATE_HZ);
	for (int i = 0; i < n; i++) {
		double t = i / SYN_RATE_HZ;
		double w = syn_kg(t) + noise(&st, 0.08);
		if (i % 16 == 7)
			continue;
		fprintf(f, "\r\n%.6f,%.15g", t, w);
	}
	fclose(f);
	return p;
}

static const char *info_csv =
	"date,tag,comment,unit,reps,work dur.,pause btw. reps,sets,pause btw. sets,mvc,"
	"Work Level (% of mvc),Rest level (% of mvc)\r\n"
	"2023-30-04 11:30:51,123,,SI,6,7,3,1,5,-,-,-\r\n";

/* Read every row of @p path; returns the last code and fills @p info. */
static int read_all(const char *path, const struct bm_import_opts *o, double *t, double (*f)[2],
                    int max, int *n, struct bm_import_info *info, char *msg, size_t len)
{
	struct bm_import_reader *r;
	*n = 0;
	int rc = bm_import_reader_open(path, o, &r, msg, len);
	if (rc != BM_IMPORT_OK)
		return rc;
	double tt, ff[2];
	while ((rc = bm_import_reader_next(r, &tt, ff, msg, len)) == BM_IMPORT_OK) {
		if (*n < max) {
			t[*n] = tt;
			f[*n][0] = ff[0];
			f[*n][1] = ff[1];
		}
		(*n)++;
	}
	bm_import_reader_info(r, info);
	bm_import_reader_close(r);
	return rc;
}

START_TEST(tindeq_rows)
{
	char *p = write_syn_tindeq("rep/data_set_1.csv");
	char *ip = write_file("rep/info.csv", info_csv);
	struct bm_import_opts o;
	struct bm_import_info info;
	char msg[600] = "";
	int max = syn_rows() + 10, n;
	double *t = malloc(max * sizeof *t), (*f)[2] = malloc(max * sizeof *f);
	bm_import_opts_default(&o);
	int rc = read_all(p, &o, t, f, max, &n, &info, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_EOF, "expected the whole export read, got %d: %s", rc, msg);
	ck_assert_msg(n == syn_rows(), "expected %d rows, got %d", syn_rows(), n);
	ck_assert_msg(info.skipped_rows == SYN_STALE && info.first_skipped_line == 6,
	              "expected %d stale rows skipped from line 6, got %lu from line %lu", SYN_STALE,
	              info.skipped_rows, info.first_skipped_line);
	ck_assert_msg(t[0] == 0.0 && t[1] > 0.0117 && t[1] < 0.0118,
	              "expected the rows to start at 0 then 1/85 s, got %g, %g", t[0], t[1]);
	/* kg to newtons on the sensor's leg; the other leg missing. */
	for (int i = 0; i < n; i += 97) {
		ck_assert_msg(isnan(f[i][1]), "row %d: expected the right leg empty, got %g", i, f[i][1]);
		double want = syn_kg(t[i]) * 9.80665;
		ck_assert_msg(fabs(f[i][0] - want) <= 0.08 * 9.80665 + 1e-9,
		              "row %d (t %g): expected %g N within the noise, got %g", i, t[i], want,
		              f[i][0]);
	}
	ck_assert_msg(fabs(info.sample_rate_hz - SYN_RATE_HZ) < 0.01,
	              "expected the median step's rate %g Hz, got %g", SYN_RATE_HZ,
	              info.sample_rate_hz);
	int holes = (int)((SYN_LEAD_S + SYN_REPS * (SYN_ON_S + SYN_OFF_S)) * SYN_RATE_HZ) / 16;
	ck_assert_msg(labs((long)info.holes - holes) <= 1 && info.rows_missing == info.holes,
	              "expected about %d holes of one row, got %lu holes, %lu rows missing", holes,
	              info.holes, info.rows_missing);
	ck_assert_msg(info.tindeq && !strcmp(info.device, "Tindeq Progressor export"),
	              "expected a Tindeq export, got '%s'", info.device);
	ck_assert_msg(info.unit == BM_IMPORT_UNIT_KG, "expected kg from 'SI', got %s",
	              bm_import_unit_name(info.unit));
	ck_assert_msg(!strcmp(info.start_time, "2023-04-30T11:30:51+0000"),
	              "expected info.csv's date read as 30 April, got '%s'", info.start_time);
	ck_assert_msg(info.start_epoch_s == 1682854251.0, "expected epoch 1682854251, got %.0f",
	              info.start_epoch_s);
	ck_assert_msg(info.app_reps == 6 && info.app_sets == 1,
	              "expected the app's 6 reps x 1 set, got %d x %d", info.app_reps, info.app_sets);
	ck_assert_msg(strstr(info.app_summary, "6 reps x 7 s work") &&
	              strstr(info.app_summary, "Avg 25.00 kg"),
	              "expected the app's protocol and Avg in the summary, got '%s'", info.app_summary);
	ck_assert_msg(!strcmp(info.mapping, "time='time' (column 1) s, left='weight' (column 2) kg, "
	                                    "right=none"),
	              "mapping: got '%s'", info.mapping);

	/* The other leg: --leg right. */
	o.sensor_leg = 1;
	rc = read_all(p, &o, t, f, max, &n, &info, msg, sizeof msg);
	/* Row 450 is inside the first hold (about 5.6 s). */
	ck_assert_msg(rc == BM_IMPORT_EOF && isnan(f[450][0]) && f[450][1] > 200,
	              "expected the hold's weight on the right and the left empty, got %d: %g, %g",
	              rc, f[450][0], f[450][1]);
	/* The info.csv itself is no recording. */
	struct bm_import_reader *r = NULL;
	rc = bm_import_reader_open(ip, &o, &r, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_SUMMARY && r == NULL && strstr(msg, "info.csv"),
	              "expected info.csv recognised as the app's summary, got %d: %s", rc, msg);
	free(t);
	free(f);
	free(p);
	free(ip);
}
END_TEST

/* Import, read the files back, and analyse: six holds on the sensor's leg. */
static void import_and_analyse(int leg)
{
	char *p = write_syn_tindeq("rep/data_set_1.csv");
	char *ip = write_file("rep/info.csv", info_csv);
	char name[256], msg[1024] = "";
	ck_assert_int_eq(bm_import_output_name(p, name, sizeof name), 0);
	ck_assert_msg(!strcmp(name, "rep-data_set_1"), "expected the folder in the name, got '%s'",
	              name);
	char *out = tpath("out.csv"), *meta_path = tpath("out.meta.json");
	struct bm_import_opts o;
	struct bm_import_info info;
	bm_import_opts_default(&o);
	o.sensor_leg = leg;
	o.athlete = "Test Athlete";
	o.version = "9.9.9";
	int rc = bm_import_file(p, out, &o, &info, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_OK, "expected the import to succeed, got %d: %s", rc, msg);

	/* The session CSV, as bm_csv reads it. */
	FILE *f = fopen(out, "r");
	char head[128] = "";
	ck_assert_msg(f && fgets(head, sizeof head, f), "cannot read %s", out);
	fclose(f);
	ck_assert_msg(!strcmp(head, "t_s,left_n,right_n,left_raw,right_raw,seq,left_flags,right_flags\n"),
	              "expected bridgemon's header, got '%s'", head);
	struct bm_csv_reader *cr;
	struct bm_csv_error err;
	struct bm_csv_row row;
	ck_assert_int_eq(bm_csv_reader_open(out, &cr, &err), BM_CSV_OK);
	int n = 0;
	while ((rc = bm_csv_reader_next(cr, &row, &err)) == BM_CSV_OK) {
		ck_assert_msg(!row.has_raw && isnan(row.force_n[!leg]) && !isnan(row.force_n[leg]),
		              "row %d: expected only the %s leg with no raw counts", n,
		              leg ? "right" : "left");
		n++;
	}
	ck_assert_msg(rc == BM_CSV_EOF && n == syn_rows(), "expected %d rows read back, got %d (%s)",
	              syn_rows(), n, rc == BM_CSV_EOF ? "" : err.msg);
	bm_csv_reader_close(cr);

	/* The sidecar. */
	struct bm_meta m;
	rc = bm_meta_read(meta_path, &m, msg, sizeof msg);
	ck_assert_msg(rc == BM_META_OK, "expected the sidecar to read back, got %d: %s", rc, msg);
	ck_assert_msg(!strcmp(m.source, "import") && !m.demo && m.closed &&
	              !strcmp(m.bridgemon, "9.9.9"),
	              "expected source import, not demo, closed, version 9.9.9; got '%s' %d %d '%s'",
	              m.source, m.demo, m.closed, m.bridgemon);
	ck_assert_msg(!strcmp(m.device, "Tindeq Progressor export"), "device: got '%s'", m.device);
	ck_assert_msg(fabs(m.sample_rate_hz - SYN_RATE_HZ) < 0.01, "rate: expected %g, got %g",
	              SYN_RATE_HZ, m.sample_rate_hz);
	ck_assert_msg(!strcmp(m.start_time, "2023-04-30T11:30:51+0000"), "start: got '%s'",
	              m.start_time);
	ck_assert_msg(strstr(m.origin, p) && strstr(m.origin, leg ? "right='weight' (column 2) kg"
	                                                          : "left='weight' (column 2) kg"),
	              "expected the input path and the mapping in origin, got '%s'", m.origin);
	ck_assert_msg(!strcmp(m.ctx.athlete, "Test Athlete"), "athlete: got '%s'", m.ctx.athlete);
	ck_assert_msg(m.n_gaps == 0, "expected no long gaps, got %zu", m.n_gaps);
	bm_meta_free(&m);

	/* analyze's own pipeline on the result. */
	struct bm_analysis_opts ao;
	struct bm_report rep;
	struct bm_analysis_notes notes;
	bm_analysis_opts_default(&ao);
	rc = bm_analysis_run(out, &ao, &rep, &notes, msg, sizeof msg);
	ck_assert_msg(rc == BM_ANALYSIS_OK, "expected analyze to read the import, got %d: %s", rc,
	              msg);
	ck_assert_msg(notes.meta_found, "expected analyze to find the sidecar");
	int holds = 0, other = 0;
	for (size_t i = 0; i < rep.n_events; i++) {
		const struct bm_event *e = &rep.events[i];
		if (e->leg != leg)
			other++;
		else if (e->kind == BM_EVENT_HOLD) {
			double s = SYN_LEAD_S + holds * (SYN_ON_S + SYN_OFF_S);
			ck_assert_msg(fabs(e->start_s - s) < 0.3 && fabs(e->end_s - (s + SYN_ON_S)) < 0.3,
			              "hold %d: expected %.1f-%.1f s, got %.2f-%.2f", holds, s,
			              s + SYN_ON_S, e->start_s, e->end_s);
			holds++;
		}
	}
	ck_assert_msg(holds == SYN_REPS && (int)rep.n_events == SYN_REPS && other == 0,
	              "expected %d holds on the %s leg and nothing else, got %d holds, %zu events, "
	              "%d on the other leg", SYN_REPS, leg ? "right" : "left", holds, rep.n_events,
	              other);
	bm_report_free(&rep);

	/* Again: both files exist, nothing is replaced. */
	struct stat before, after;
	stat(out, &before);
	rc = bm_import_file(p, out, &o, &info, msg, sizeof msg);
	stat(out, &after);
	ck_assert_msg(rc == BM_IMPORT_ERR_OUTPUT && strstr(msg, "exists") && strstr(msg, out) &&
	              !strchr(msg, '\n'),
	              "expected one line saying %s exists, got %d: %s", out, rc, msg);
	ck_assert_msg(before.st_ino == after.st_ino && before.st_size == after.st_size &&
	              before.st_mtime == after.st_mtime, "expected %s untouched", out);
	free(p);
	free(ip);
	free(out);
	free(meta_path);
}

START_TEST(tindeq_import_analyses_left)
{
	import_and_analyse(0);
}
END_TEST

START_TEST(tindeq_import_analyses_right)
{
	import_and_analyse(1);
}
END_TEST

/* A CSV of another program, mapped by name, by number, without a header. */
START_TEST(generic_mapping)
{
	struct bm_import_opts o;
	struct bm_import_info info;
	char msg[600] = "";
	double t[8], f[8][2];
	int n, rc;

	/* By name; lbf to newtons; a quoted header cell with a comma; an
	 * extra column; a comment line; an empty cell is a missing sample. */
	char *p = write_file("a.csv", "# from a crane scale\n"
	                              "\"Time, s\",Fz L,Fz R,temp\n0,10,20,21\n0.5,11,,21\n1,12,22,21\n");
	bm_import_opts_default(&o);
	o.time_col = "Time, s";
	o.leg_col[0] = "fz l";  /* no exact match: a unique match in any case */
	o.leg_col[1] = "Fz R";
	o.unit = BM_IMPORT_UNIT_LBF;
	rc = read_all(p, &o, t, f, 8, &n, &info, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_EOF && n == 3, "expected 3 rows, got %d rows, rc %d: %s", n,
	              rc, msg);
	ck_assert_msg(fabs(f[0][0] - 10 * 4.4482216) < 1e-9 && fabs(f[2][1] - 22 * 4.4482216) < 1e-9,
	              "expected lbf x 4.4482216, got %g and %g", f[0][0], f[2][1]);
	ck_assert_msg(isnan(f[1][1]) && t[1] == 0.5, "expected the empty cell missing, got %g at %g",
	              f[1][1], t[1]);
	ck_assert_msg(!strcmp(info.device, "imported CSV") && !info.tindeq, "device: got '%s'",
	              info.device);
	ck_assert_msg(fabs(info.sample_rate_hz - 2.0) < 1e-9, "expected 2 Hz, got %g",
	              info.sample_rate_hz);
	ck_assert_msg(strstr(info.mapping, "time='Time, s' (column 1) s") &&
	              strstr(info.mapping, "left='Fz L' (column 2) lbf") &&
	              strstr(info.mapping, "right='Fz R' (column 3) lbf"),
	              "mapping: got '%s'", info.mapping);
	free(p);

	/* By number, no header; kg; --rest adds newtons to what is there. */
	p = write_file("b.csv", "0.0,1.5\n0.1,2.0\n0.2,\n");
	bm_import_opts_default(&o);
	o.time_col = "1";
	o.leg_col[1] = "2";
	o.unit = BM_IMPORT_UNIT_KG;
	o.rest_n = 50;
	rc = read_all(p, &o, t, f, 8, &n, &info, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_EOF && n == 3, "expected 3 rows from a headerless file, got %d "
	              "(rc %d: %s)", n, rc, msg);
	ck_assert_msg(fabs(f[0][1] - (1.5 * 9.80665 + 50)) < 1e-9 && isnan(f[0][0]) && isnan(f[2][1]),
	              "expected 1.5 kg + 50 N on the right, the left and the empty cell missing; got "
	              "%g, %g, %g", f[0][1], f[0][0], f[2][1]);
	ck_assert_msg(strstr(info.mapping, "time=column 1 s") && strstr(info.mapping, "rest +50 N"),
	              "mapping: got '%s'", info.mapping);
	free(p);

	/* A spreadsheet in another locale: ';' between cells, decimal commas. */
	p = write_file("c.csv", "zeit;kraft\r\n0,00;1,25\r\n0,01;2,5\r\n");
	bm_import_opts_default(&o);
	o.time_col = "zeit";
	o.leg_col[0] = "kraft";
	o.unit = BM_IMPORT_UNIT_N;
	rc = read_all(p, &o, t, f, 8, &n, &info, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_EOF && n == 2 && t[1] == 0.01 && f[0][0] == 1.25 &&
	              f[1][0] == 2.5, "expected decimal commas read, got rc %d, %d rows (%s)", rc, n,
	              msg);
	free(p);

	/* A Tindeq export with its own date block; the last line cut short. */
	p = write_file("end.csv", "date,tag,comment,unit,max,avg,duration,mvc,\"Target Zone, lower(% of mvc)\"\r\n"
	                          "2023-29-04 23:24:36,1,,SI,7.39,6.52,8,8.5,72.0\r\n\r\ntime,weight\r\n"
	                          "0.0,1\r\n0.0114,2\r\n0.0228,1e");
	bm_import_opts_default(&o);
	rc = read_all(p, &o, t, f, 8, &n, &info, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_EOF && n == 2 && info.truncated,
	              "expected 2 rows and the cut-short line left out, got rc %d, %d rows, "
	              "truncated %d (%s)", rc, n, info.truncated, msg);
	ck_assert_msg(!strcmp(info.start_time, "2023-04-29T23:24:36+0000") &&
	              strstr(info.app_summary, "max 7.39 kg, avg 6.52 kg, 8 s"),
	              "expected the export's own date and summary, got '%s' and '%s'",
	              info.start_time, info.app_summary);
	free(p);
}
END_TEST

/* Of the first rows, the fewest are left out so that time increases. */
START_TEST(backward_start)
{
	struct bm_import_opts o;
	struct bm_import_info info;
	char msg[600] = "";
	double t[16], f[16][2];
	int n, rc;

	bm_import_opts_default(&o);
	/* A stale row jumping back: the one row is dropped, not its neighbours. */
	char *p = write_file("g.csv", "time,weight\n0,1\n0.011,1\n0.022,1\n0.015,1\n0.033,1\n0.044,1\n");
	rc = read_all(p, &o, t, f, 16, &n, &info, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_EOF && n == 5 && info.skipped_rows == 1 &&
	              info.first_skipped_line == 5 && t[3] == 0.033,
	              "expected the row at line 5 left out, got rc %d, %d rows, %lu skipped from "
	              "line %lu", rc, n, info.skipped_rows, info.first_skipped_line);
	free(p);
	/* Rows from before a restart of the clock. */
	p = write_file("h.csv", "time,weight\n5.1,1\n5.2,1\n0.1,1\n0.2,1\n0.3,1\n6,1\n");
	rc = read_all(p, &o, t, f, 16, &n, &info, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_EOF && n == 4 && info.skipped_rows == 2 && t[0] == 0.1,
	              "expected 5.1 and 5.2 left out, got rc %d, %d rows from %g, %lu skipped", rc, n,
	              t[0], info.skipped_rows);
	free(p);
}
END_TEST

/* A file of @p rows increasing rows then @p tail lines. */
static char *rows_then(const char *name, int rows, const char *tail)
{
	size_t cap = (size_t)rows * 32 + strlen(tail) + 64;
	char *text = malloc(cap), *q = text;
	q += sprintf(q, "time,weight\n");
	for (int i = 0; i < rows; i++)
		q += sprintf(q, "%.3f,1\n", i * 0.01);
	strcpy(q, tail);
	char *p = write_file(name, text);
	free(text);
	return p;
}

/* The import must fail with @p code and one line holding every @p want. */
static void expect_bad(const char *path, const struct bm_import_opts *o, int code,
                       const char *want1, const char *want2)
{
	char msg[800] = "";
	char *out = tpath("bad-out.csv"), *meta = tpath("bad-out.meta.json");
	struct bm_import_info info;
	int rc = bm_import_file(path, out, o, &info, msg, sizeof msg);
	ck_assert_msg(rc == code, "%s: expected code %d, got %d: %s", path, code, rc, msg);
	ck_assert_msg(strstr(msg, want1) && (!want2 || strstr(msg, want2)) && !strchr(msg, '\n'),
	              "expected one line with '%s' and '%s', got '%s'", want1, want2 ? want2 : "",
	              msg);
	ck_assert_msg(!file_exists(out) && !file_exists(meta), "expected nothing written for %s",
	              path);
	/* No temporary file left either. */
	char cmd[300];
	snprintf(cmd, sizeof cmd, "ls '%s' | grep -q import-", tmpdir);
	ck_assert_msg(system(cmd) != 0, "expected no temporary file left in %s", tmpdir);
	free(out);
	free(meta);
}

START_TEST(bad_files)
{
	struct bm_import_opts o, m;
	bm_import_opts_default(&o);
	bm_import_opts_default(&m);
	m.time_col = "t";
	m.leg_col[0] = "f";
	m.unit = BM_IMPORT_UNIT_N;
	char *p;

	p = write_file("nan.csv", "time,weight\n0,1\n0.1,abc\n0.2,1\n");
	expect_bad(p, &o, BM_IMPORT_ERR_FORMAT, "nan.csv:3:", "'abc' is not a number");
	free(p);
	p = write_file("tnan.csv", "t,f\n0,1\n0x10,1\n");
	expect_bad(p, &m, BM_IMPORT_ERR_FORMAT, "tnan.csv:3:", "time '0x10' is not a number");
	free(p);
	/* A time no reader downstream accepts (bm_csv.h): refused here, not
	 * written into a recording analyze then rejects. */
	p = write_file("tbig.csv", "t,f\n1e13,1\n1e13,1\n");
	expect_bad(p, &m, BM_IMPORT_ERR_FORMAT, "tbig.csv:2:", "is not a time in seconds");
	free(p);
	p = write_file("col.csv", "t,force\n0,1\n");
	expect_bad(p, &m, BM_IMPORT_ERR_FORMAT, "col.csv:1:", "missing column 'f'");
	free(p);
	p = write_file("short.csv", "t,x,f\n0,1,2\n0.1,1\n");
	expect_bad(p, &m, BM_IMPORT_ERR_FORMAT, "short.csv:3:", "missing column");
	free(p);
	p = write_file("idx.csv", "t,f\n0,1\n");
	struct bm_import_opts i3 = m;
	i3.leg_col[0] = "3";
	expect_bad(p, &i3, BM_IMPORT_ERR_FORMAT, "idx.csv:1:", "missing column 3");
	free(p);
	/* A CSV that does not say its unit, and no --unit. */
	struct bm_import_opts nu = m;
	nu.unit = BM_IMPORT_UNIT_UNKNOWN;
	p = write_file("unit.csv", "t,f\n0,1\n");
	expect_bad(p, &nu, BM_IMPORT_ERR_FORMAT, "unit.csv:1:", "unknown unit");
	free(p);
	/* An export naming a unit we do not know. */
	p = write_file("u2.csv", "date,tag,comment,unit\n2023-30-04 11:30:51,1,,furlongs\ntime,weight\n0,1\n");
	expect_bad(p, &o, BM_IMPORT_ERR_FORMAT, "u2.csv:2:", "unknown unit 'furlongs'");
	free(p);
	/* ... which --unit settles. */
	struct bm_import_opts ku = o;
	ku.unit = BM_IMPORT_UNIT_N;
	char *out = tpath("u2-out.csv"), msg[600];
	p = write_file("u2.csv", "date,tag,comment,unit\n2023-30-04 11:30:51,1,,furlongs\ntime,weight\n0,1\n");
	ck_assert_msg(bm_import_file(p, out, &ku, NULL, msg, sizeof msg) == BM_IMPORT_OK,
	              "expected --unit to settle an unknown unit: %s", msg);
	free(out);
	free(p);
	/* Time going back after the first rows, or repeating. */
	p = rows_then("back.csv", 100, "0.5,1\n");
	expect_bad(p, &o, BM_IMPORT_ERR_FORMAT, "back.csv:102:", "goes backwards after the first rows");
	free(p);
	p = rows_then("rep.csv", 100, "0.990,1\n");
	expect_bad(p, &o, BM_IMPORT_ERR_FORMAT, "rep.csv:102:", "time repeats");
	free(p);
	p = write_file("empty.csv", "");
	expect_bad(p, &o, BM_IMPORT_ERR_FORMAT, "empty.csv", "empty file");
	free(p);
	p = write_file("blank.csv", "\n\n  \n");
	expect_bad(p, &m, BM_IMPORT_ERR_FORMAT, "blank.csv", "empty file");
	free(p);
	p = write_file("header.csv", "time,weight\r\n");
	expect_bad(p, &o, BM_IMPORT_ERR_FORMAT, "header.csv:1:", "no rows of data");
	free(p);
	p = write_file("other.csv", "a,b\n0,1\n");
	expect_bad(p, &o, BM_IMPORT_ERR_FORMAT, "other.csv:1:", "not a Tindeq Progressor export");
	free(p);
	p = write_file("notime.csv", "t,f\n0,1\n,2\n");
	expect_bad(p, &m, BM_IMPORT_ERR_FORMAT, "notime.csv:3:", "is empty");
	free(p);
	/* Milliseconds taken for seconds. */
	p = write_file("ms.csv", "t,f\n0,1\n12.5,1\n25,1\n37.5,1\n");
	expect_bad(p, &m, BM_IMPORT_ERR_FORMAT, "ms.csv", "in seconds?");
	free(p);
	p = tpath("missing.csv");
	expect_bad(p, &o, BM_IMPORT_ERR_INPUT, "missing.csv", "cannot open");
	free(p);
}
END_TEST

/* Outputs are never replaced: the CSV or the sidecar already there. */
START_TEST(never_overwrites)
{
	struct bm_import_opts o;
	char msg[600];
	bm_import_opts_default(&o);
	char *p = write_file("in.csv", "time,weight\n0,1\n0.01,2\n");
	char *out = write_file("taken.csv", "precious\n");
	int rc = bm_import_file(p, out, &o, NULL, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_ERR_OUTPUT && strstr(msg, "taken.csv exists"),
	              "expected the CSV refused, got %d: %s", rc, msg);
	char *meta = tpath("taken.meta.json");
	ck_assert_msg(!file_exists(meta), "expected no sidecar written beside a refused CSV");
	FILE *f = fopen(out, "r");
	char buf[32] = "";
	ck_assert_msg(f && fgets(buf, sizeof buf, f) && !strcmp(buf, "precious\n"),
	              "expected the existing file untouched, got '%s'", buf);
	fclose(f);
	free(out);
	free(meta);
	/* Only the sidecar there: no CSV is made either. */
	out = tpath("half.csv");
	meta = write_file("half.meta.json", "{}");
	rc = bm_import_file(p, out, &o, NULL, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_ERR_OUTPUT && strstr(msg, "half.meta.json exists"),
	              "expected the sidecar refused, got %d: %s", rc, msg);
	ck_assert_msg(!file_exists(out), "expected no CSV written beside an existing sidecar");
	free(out);
	free(meta);
	free(p);
}
END_TEST

START_TEST(names_and_units)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"x/y/session.csv", "session"},
		{"Export.CSV", "Export"},
		{"noext", "noext"},
		{"/a/repeaters_2023/data_set_2.csv", "repeaters_2023-data_set_2"},
		{"/data_set_1.csv", "data_set_1"},
	};
	char out[128];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(bm_import_output_name(cases[i].in, out, sizeof out), 0);
		ck_assert_msg(!strcmp(out, cases[i].want), "name of %s: expected '%s', got '%s'",
		              cases[i].in, cases[i].want, out);
	}
	ck_assert_msg(bm_import_output_name("a/session.csv", out, 4) != 0,
	              "expected a name that does not fit refused, got '%s'", out);
	ck_assert_int_eq(bm_import_unit_parse("KG"), BM_IMPORT_UNIT_KG);
	ck_assert_int_eq(bm_import_unit_parse("n"), BM_IMPORT_UNIT_N);
	ck_assert_int_eq(bm_import_unit_parse("lbf"), BM_IMPORT_UNIT_LBF);
	ck_assert_int_eq(bm_import_unit_parse("lb"), BM_IMPORT_UNIT_UNKNOWN);
	ck_assert_msg(bm_import_unit_n(BM_IMPORT_UNIT_KG) == 9.80665 &&
	              bm_import_unit_n(BM_IMPORT_UNIT_LBF) == 4.4482216 &&
	              bm_import_unit_n(BM_IMPORT_UNIT_N) == 1.0,
	              "expected 9.80665 N/kg, 4.4482216 N/lbf, 1 N/N");
}
END_TEST

/* A hole longer than half a second is listed in the sidecar as a gap. */
START_TEST(long_hole_is_a_gap)
{
	char text[4096], *q = text, msg[600];
	q += sprintf(q, "time,weight\n");
	for (int i = 0; i < 100; i++)
		q += sprintf(q, "%.3f,1\n", i * 0.01 + (i >= 50 ? 2.0 : 0.0));
	char *p = write_file("hole.csv", text), *out = tpath("hole-out.csv"),
	     *meta = tpath("hole-out.meta.json");
	struct bm_import_opts o;
	struct bm_import_info info;
	bm_import_opts_default(&o);
	int rc = bm_import_file(p, out, &o, &info, msg, sizeof msg);
	ck_assert_msg(rc == BM_IMPORT_OK, "import: %d %s", rc, msg);
	struct bm_meta m;
	ck_assert_int_eq(bm_meta_read(meta, &m, msg, sizeof msg), BM_META_OK);
	ck_assert_msg(m.n_gaps == 1 && fabs(m.gaps[0].before_t_s - 2.5) < 1e-9 &&
	              m.gaps[0].samples_lost == 200,
	              "expected one gap of 200 samples before 2.5 s, got %zu (%g, %ld)", m.n_gaps,
	              m.n_gaps ? m.gaps[0].before_t_s : NAN, m.n_gaps ? m.gaps[0].samples_lost : 0L);
	ck_assert_msg(info.gaps == 1 && info.holes == 1 && info.rows_missing == 200,
	              "expected 1 gap, 1 hole, 200 rows missing; got %zu, %lu, %lu", info.gaps,
	              info.holes, info.rows_missing);
	bm_meta_free(&m);
	free(p);
	free(out);
	free(meta);
}
END_TEST

Suite *suite_import(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("import");
	tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tindeq_rows);
	tcase_add_test(tc, tindeq_import_analyses_left);
	tcase_add_test(tc, tindeq_import_analyses_right);
	tcase_add_test(tc, generic_mapping);
	tcase_add_test(tc, backward_start);
	tcase_add_test(tc, bad_files);
	tcase_add_test(tc, never_overwrites);
	tcase_add_test(tc, names_and_units);
	tcase_add_test(tc, long_hole_is_a_gap);
	suite_add_tcase(s, tc);
	return s;
}
