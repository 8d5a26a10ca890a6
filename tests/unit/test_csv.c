/*
 * test_csv.c - the session CSV: writer/reader round trip, the reader
 * contract (comments, column order, extra columns, empty cells), and every
 * malformed-file case giving one message with file, line and reason.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bm_csv.h"
#include "core_suites.h"

static char tmpdir[64];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/bm_test_csv_XXXXXX");
	ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp failed");
}

static void remove_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *write_file(const char *name, const char *text)
{
	static char path[160];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot create %s", path);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Read a whole file; returns the first error code (or EOF) and the rows. */
static int read_all(const char *path, struct bm_csv_row *rows, int max, int *n,
                    struct bm_csv_error *err)
{
	struct bm_csv_reader *r;
	int rc = bm_csv_reader_open(path, &r, err);
	*n = 0;
	if (rc != BM_CSV_OK)
		return rc;
	struct bm_csv_row row;
	while ((rc = bm_csv_reader_next(r, &row, err)) == BM_CSV_OK)
		if (*n < max)
			rows[(*n)++] = row;
	bm_csv_reader_close(r);
	return rc;
}

/* The file must fail with a message containing @p line_tag and @p reason. */
static void expect_bad(const char *text, const char *line_tag, const char *reason)
{
	struct bm_csv_row rows[16];
	struct bm_csv_error err = {{0}};
	int n;
	const char *path = write_file("bad.csv", text);
	int rc = read_all(path, rows, 16, &n, &err);
	ck_assert_msg(rc == BM_CSV_ERR_FORMAT, "expected a format error for:\n%s\ngot rc %d", text, rc);
	ck_assert_msg(strstr(err.msg, "bad.csv") != NULL, "message names the file: '%s'", err.msg);
	ck_assert_msg(strstr(err.msg, line_tag) != NULL, "message names %s: '%s'", line_tag, err.msg);
	ck_assert_msg(strstr(err.msg, reason) != NULL, "message says '%s': '%s'", reason, err.msg);
	ck_assert_msg(strchr(err.msg, '\n') == NULL, "message is one line: '%s'", err.msg);
}

START_TEST(round_trip)
{
	char path[160];
	struct bm_csv_writer *w;
	struct bm_csv_error err;
	snprintf(path, sizeof path, "%s/rt.csv", tmpdir);
	ck_assert_int_eq(bm_csv_writer_open(path, &w, &err), BM_CSV_OK);
	struct bm_csv_row in[5];
	for (int i = 0; i < 5; i++) {
		memset(&in[i], 0, sizeof in[i]);
		in[i].t_s = 1764091234.0 + i * 0.0125;  /* epoch time */
		in[i].force_n[0] = 50.125 + i;
		in[i].force_n[1] = i == 2 ? NAN : -3.5 * i;
		in[i].has_raw = i != 3;
		in[i].raw_counts[0] = -8388608 + i;
		in[i].raw_counts[1] = 8388607 - i;
		in[i].seq = (uint16_t)(65534 + i);
		in[i].flags[0] = (uint8_t)i;
		in[i].flags[1] = 0;
		ck_assert_int_eq(bm_csv_write_row(w, &in[i]), BM_CSV_OK);
	}
	ck_assert_int_eq(bm_csv_writer_close(w, &err), BM_CSV_OK);

	/* A second writer on the same path must refuse, not overwrite. */
	ck_assert_int_eq(bm_csv_writer_open(path, &w, &err), BM_CSV_ERR_IO);
	ck_assert_ptr_null(w);

	/* The file is a header and rows, nothing else: any tool opens it. */
	FILE *f = fopen(path, "r");
	char line[256];
	int lines = 0, comments = 0;
	while (fgets(line, sizeof line, f)) {
		lines++;
		comments += line[0] == '#';
	}
	fclose(f);
	ck_assert_msg(lines == 6 && comments == 0, "%d lines, %d comments: expected 6 and 0", lines,
	              comments);

	struct bm_csv_reader *r;
	ck_assert_int_eq(bm_csv_reader_open(path, &r, &err), BM_CSV_OK);
	ck_assert_ptr_null(bm_csv_reader_meta(r, "nothing"));
	struct bm_csv_row row;
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(bm_csv_reader_next(r, &row, &err), BM_CSV_OK);
		ck_assert_msg(fabs(row.t_s - in[i].t_s) < 1e-6, "t_s %.6f expected %.6f", row.t_s, in[i].t_s);
		ck_assert_msg(fabs(row.force_n[0] - in[i].force_n[0]) < 1e-3, "left_n %.3f", row.force_n[0]);
		if (i == 2)
			ck_assert_msg(isnan(row.force_n[1]), "missing sample comes back as NaN");
		else
			ck_assert_msg(fabs(row.force_n[1] - in[i].force_n[1]) < 1e-3, "right_n");
		ck_assert_int_eq(row.has_raw, in[i].has_raw);
		if (row.has_raw) {
			ck_assert_int_eq(row.raw_counts[0], in[i].raw_counts[0]);
			ck_assert_int_eq(row.raw_counts[1], in[i].raw_counts[1]);
			ck_assert_int_eq(row.seq, in[i].seq);
			ck_assert_int_eq(row.flags[0], in[i].flags[0]);
		}
	}
	ck_assert_int_eq(bm_csv_reader_next(r, &row, &err), BM_CSV_EOF);
	bm_csv_reader_close(r);
}
END_TEST

/* Recordings of earlier versions carry `# key: value` lines and `# gap:`
 * lines between rows: they keep reading, metadata included. */
START_TEST(reads_earlier_recordings)
{
	const char *path = write_file("old.csv",
	                              "# bridgemon: 0.1.0\n# sample_rate_hz: 80\n"
	                              "t_s,left_n,right_n,left_raw,right_raw,seq,left_flags,right_flags\n"
	                              "0.000000,51.765,62.979,108389,88381,42815,0,0\n"
	                              "# gap: 3 samples lost before t_s 0.062500\n"
	                              "0.062500,50.602,61.094,105595,84921,42820,0,0\n");
	struct bm_csv_reader *r;
	struct bm_csv_error err;
	struct bm_csv_row row;
	ck_assert_int_eq(bm_csv_reader_open(path, &r, &err), BM_CSV_OK);
	ck_assert_str_eq(bm_csv_reader_meta(r, "sample_rate_hz"), "80");
	ck_assert_int_eq(bm_csv_reader_next(r, &row, &err), BM_CSV_OK);
	ck_assert_int_eq(bm_csv_reader_next(r, &row, &err), BM_CSV_OK);
	ck_assert_msg(row.seq == 42820 && fabs(row.t_s - 0.0625) < 1e-9, "second row read");
	ck_assert_int_eq(bm_csv_reader_next(r, &row, &err), BM_CSV_EOF);
	bm_csv_reader_close(r);
}
END_TEST

/* A last line cut short (power cut, kill -9 mid-write) is left out and
 * reported; the rows before it are read. */
START_TEST(truncated_last_line)
{
	const char *path = write_file("cut.csv",
	                              "t_s,left_n,right_n,left_raw,right_raw,seq,left_flags,right_flags\n"
	                              "0.000000,51.765,62.979,108389,88381,42815,0,0\n"
	                              "0.012500,51.8,62.9,1083");
	struct bm_csv_reader *r;
	struct bm_csv_error err;
	struct bm_csv_row row;
	ck_assert_int_eq(bm_csv_reader_open(path, &r, &err), BM_CSV_OK);
	ck_assert_int_eq(bm_csv_reader_next(r, &row, &err), BM_CSV_OK);
	ck_assert_int_eq(bm_csv_reader_next(r, &row, &err), BM_CSV_EOF);
	ck_assert_int_eq(bm_csv_reader_truncated(r), 1);
	bm_csv_reader_close(r);
	/* The same cut in the middle of a file is an error with its line. */
	expect_bad("t_s,left_n,right_n\n0,1,2\n0.1,1\n0.2,1,2\n", ":3:", "cells");
}
END_TEST

/* --skip-backwards: rows whose time does not increase are left out and
 * counted, with the line of the first. */
START_TEST(skip_backwards)
{
	const char *path = write_file("back.csv", "time,x\n" /* not a header we read */);
	(void)path;
	path = write_file("back2.csv", "t_s,left_n,right_n\n5,1,1\n0.1,1,1\n0.2,1,1\n6,1,1\n");
	struct bm_csv_reader *r;
	struct bm_csv_error err;
	struct bm_csv_row row;
	unsigned long first = 0;
	ck_assert_int_eq(bm_csv_reader_open(path, &r, &err), BM_CSV_OK);
	bm_csv_reader_skip_backwards(r);
	ck_assert_int_eq(bm_csv_reader_next(r, &row, &err), BM_CSV_OK);
	ck_assert_int_eq(bm_csv_reader_next(r, &row, &err), BM_CSV_OK);
	ck_assert_msg(row.t_s == 6, "rows going back left out, got t_s %g", row.t_s);
	ck_assert_int_eq(bm_csv_reader_skipped(r, &first), 2);
	ck_assert_int_eq(first, 3);
	bm_csv_reader_close(r);
}
END_TEST

START_TEST(reader_contract)
{
	struct bm_csv_row rows[8];
	struct bm_csv_error err;
	int n;
	/* BOM, CRLF, comment lines anywhere, columns in any order with an
	 * unknown extra column, quoted header names, blank lines, spaces. */
	const char *text =
		"\xEF\xBB\xBF# made by: hand\r\n"
		"\r\n"
		"extra, right_n ,\"t_s\",left_n\r\n"
		"x,1.5,0.0,2.5\r\n"
		"# a note in the middle\r\n"
		"y,,0.1, 3\r\n"
		"z,nan,2e-1,\"4\"\r\n"
		"\n";
	int rc = read_all(write_file("ok.csv", text), rows, 8, &n, &err);
	ck_assert_msg(rc == BM_CSV_EOF, "read failed: %s", err.msg);
	ck_assert_int_eq(n, 2 + 1);
	ck_assert_msg(rows[0].t_s == 0.0 && rows[0].force_n[0] == 2.5 && rows[0].force_n[1] == 1.5,
	              "columns found by name: t=%g l=%g r=%g", rows[0].t_s, rows[0].force_n[0],
	              rows[0].force_n[1]);
	ck_assert_msg(isnan(rows[1].force_n[1]) && rows[1].force_n[0] == 3.0, "empty cell is missing");
	ck_assert_msg(rows[2].t_s == 0.2 && isnan(rows[2].force_n[1]) && rows[2].force_n[0] == 4.0,
	              "nan is missing, quoted number read");
	ck_assert_int_eq(rows[0].has_raw, 0);
}
END_TEST

START_TEST(number_parsing_exact)
{
	/* The fast path must agree with strtod to the last bit. */
	char text[8192] = "t_s,left_n,right_n\n";
	const char *vals[] = {"1764091234.5125", "0.1", "123.456", "-0.0", "1e3",
	                      "9007199254740993", "0.30000000000000004", "2.5E-3",
	                      "12345678901234567890", "1.7976931348623157e308"};
	size_t nv = sizeof vals / sizeof vals[0];
	for (size_t i = 0; i < nv; i++) {
		char line[128];
		snprintf(line, sizeof line, "%zu,%s,%s\n", i, vals[i], vals[i]);
		strcat(text, line);
	}
	struct bm_csv_row rows[16];
	struct bm_csv_error err;
	int n;
	ck_assert_int_eq(read_all(write_file("num.csv", text), rows, 16, &n, &err), BM_CSV_EOF);
	ck_assert_int_eq(n, (int)nv);
	for (size_t i = 0; i < nv; i++) {
		double want = strtod(vals[i], NULL);
		ck_assert_msg(memcmp(&rows[i].force_n[0], &want, sizeof want) == 0,
		              "'%s' parsed as %.17g, strtod gives %.17g", vals[i], rows[i].force_n[0], want);
	}
}
END_TEST

START_TEST(malformed_files)
{
	expect_bad("t_s,left_n,right_n\n0,1,2\n0.1,abc,2\n", ":3:", "left_n 'abc' is not a number");
	expect_bad("t_s,left_n,right_n\n0,1,2\n0.1,1,2x\n", ":3:", "not a number");
	expect_bad("t_s,left_n,right_n\n0,1,2\n0.2,1,2\n0.1,1,2\n", ":4:", "time goes backwards");
	expect_bad("t_s,left_n,right_n\n0,1,2\n0,1,2\n", ":3:", "time goes backwards");
	expect_bad("# a: b\nt_s,left_n\n0,1\n", ":2:", "missing column 'right_n'");
	expect_bad("time,left_n,right_n\n0,1,2\n", ":1:", "missing column 't_s'");
	expect_bad("t_s,left_n,right_n\n0,1,2\n0.1,1\n", ":3:", "2 cells, but the header names 3");
	expect_bad("t_s,left_n,right_n\n0,1,2,3\n", ":2:", "4 cells");
	expect_bad("t_s,left_n,right_n\n,1,2\n", ":2:", "t_s is empty");
	/* A time no clock gives (found by fuzzing: its duration could not be
	 * read back from the summary); an epoch in ms (1.8e12) is refused too. */
	expect_bad("t_s,left_n,right_n\n0,1,2\n4.3e43,1,2\n", ":3:", "is not a time in seconds");
	expect_bad("t_s,left_n,right_n\n-1.1e12,1,2\n", ":2:", "is not a time in seconds");
	expect_bad("t_s,left_n,right_n\n1800000000000,1,2\n", ":2:", "is not a time in seconds");
	expect_bad("t_s,left_n,right_n\n0,inf,2\n", ":2:", "not a number");
	expect_bad("t_s,left_n,right_n\n0,0x10,2\n", ":2:", "not a number");
	expect_bad("# only: comments\n\n", ":3:", "no header row");
	expect_bad("", ":1:", "no header row");
	expect_bad("t_s,t_s,left_n,right_n\n", ":1:", "appears twice");
	expect_bad("t_s;left_n;right_n\n0;1,5;2\n", ":1:", "separated by ';'");
	expect_bad("t_s\tleft_n\tright_n\n", ":1:", "separated by 'tab'");
	expect_bad("t_s,left_n,right_n,left_raw,right_raw,seq,left_flags,right_flags\n"
	           "0,1,2,3,4,70000,0,0\n", ":2:", "seq '70000' is not an integer in range");
}
END_TEST

START_TEST(missing_file)
{
	struct bm_csv_reader *r;
	struct bm_csv_error err;
	ck_assert_int_eq(bm_csv_reader_open("/nonexistent/dir/x.csv", &r, &err), BM_CSV_ERR_IO);
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err.msg, "/nonexistent/dir/x.csv: cannot open") != NULL, "'%s'", err.msg);
}
END_TEST

START_TEST(long_file_blocks)
{
	/* More than one read block, so lines straddle block boundaries. */
	char path[160];
	snprintf(path, sizeof path, "%s/long.csv", tmpdir);
	FILE *f = fopen(path, "w");
	fputs("t_s,left_n,right_n\n", f);
	for (int i = 0; i < 100000; i++)
		fprintf(f, "%.4f,%d.25,%d\n", i * 0.0125, i % 977, -(i % 13));
	fclose(f);
	struct bm_csv_reader *r;
	struct bm_csv_error err;
	struct bm_csv_row row;
	ck_assert_int_eq(bm_csv_reader_open(path, &r, &err), BM_CSV_OK);
	int i = 0, rc;
	while ((rc = bm_csv_reader_next(r, &row, &err)) == BM_CSV_OK) {
		ck_assert_msg(row.force_n[0] == (i % 977) + 0.25 && row.force_n[1] == -(i % 13),
		              "row %d read as %g, %g", i, row.force_n[0], row.force_n[1]);
		i++;
	}
	ck_assert_int_eq(rc, BM_CSV_EOF);
	ck_assert_int_eq(i, 100000);
	ck_assert_int_eq(bm_csv_reader_line(r), 100001);
	bm_csv_reader_close(r);
}
END_TEST

Suite *suite_csv(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");
	tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, reads_earlier_recordings);
	tcase_add_test(tc, truncated_last_line);
	tcase_add_test(tc, skip_backwards);
	tcase_add_test(tc, reader_contract);
	tcase_add_test(tc, number_parsing_exact);
	tcase_add_test(tc, malformed_files);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, long_file_blocks);
	suite_add_tcase(s, tc);
	return s;
}
