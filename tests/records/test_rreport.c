/* test_rreport.c - the athlete's report (bm_records_report): the PNG has
 * the recording's trace where bm_paper_layout says it is, and the report
 * picks the pages it should. */
#include <cairo.h>
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bm_csv.h"
#include "bm_paper.h"
#include "bm_paper_priv.h"
#include "bm_records_report.h"
#include "bm_store.h"
#include "bm_sync.h"
#include "records_fixture.h"
#include "records_suites.h"

static char dir[256], rec[512], db[512];
static struct bm_store *st;

static void setup(void)
{
	char msg[600];
	ck_assert_int_eq(fx_tmpdir(dir, sizeof dir), 0);
	setenv("XDG_DATA_HOME", dir, 1);
	snprintf(rec, sizeof rec, "%s/rec", dir);
	snprintf(db, sizeof db, "%s/r.db", dir);
	ck_assert_int_eq(mkdir(rec, 0700), 0);
	for (int i = 0; i < 3; i++) {
		struct fx_rec r;
		char name[64];
		snprintf(name, sizeof name, "2026-11-%02dT09-00-00", 2 + 7 * i);
		fx_rec_default(&r, name);
		r.seed = 30 + (uint64_t)i;
		r.athlete = "Ann";
		r.start_epoch_s = 1793610000 + i * 7 * 86400.0;
		ck_assert_int_eq(fx_recording(rec, &r), 0);
	}
	ck_assert_int_eq(bm_store_open(db, &st, msg, sizeof msg), BM_STORE_OK);
	struct bm_sync_opts o = {rec, NULL, db, "", 0};
	struct bm_sync_result res;
	ck_assert_int_eq(bm_sync_run(st, &o, &res), BM_STORE_OK);
	ck_assert_uint_eq(res.uploaded, 3);
	bm_sync_result_free(&res);
}

static void teardown(void)
{
	bm_store_close(st);
	fx_rmtree(dir);
	bm_paper_release_caches(); /* each test is a process of its own (CK_FORK) */
}

struct rgb8 {
	int r, g, b;
};

static struct rgb8 pixel(cairo_surface_t *img, int x, int y)
{
	const unsigned char *d = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	uint32_t v = *(const uint32_t *)(d + (size_t)y * (size_t)stride + (size_t)x * 4);
	return (struct rgb8){(int)(v >> 16 & 255), (int)(v >> 8 & 255), (int)(v & 255)};
}

static int dist(struct rgb8 a, const struct bm_paper_rgb *c)
{
	int d = abs(a.r - (int)lround(c->r * 255));
	d = abs(a.g - (int)lround(c->g * 255)) > d ? abs(a.g - (int)lround(c->g * 255)) : d;
	d = abs(a.b - (int)lround(c->b * 255)) > d ? abs(a.b - (int)lround(c->b * 255)) : d;
	return d;
}

START_TEST(png_trace_where_the_layout_says)
{
	struct bm_records_doc *d;
	struct bm_records_report_info info;
	char msg[1200], png[600], csv[600];
	struct bm_records_report_opts o = {rec, NULL, 0, 1793900000, NULL};
	snprintf(csv, sizeof csv, "%s/2026-11-02T09-00-00.csv", rec);
	o.session_csv = csv;
	ck_assert_msg(bm_records_report_build(st, "ann", &o, BM_PAPER_PNG_MAX_PAGES, &d, &info, msg,
	                                      sizeof msg) == BM_RREPORT_OK, "build: %s", msg);
	const struct bm_paper_doc *doc = bm_records_doc_paper(d);
	ck_assert_msg(info.pages == 2 && info.sessions == 1 && doc->n_sessions == 1 &&
	              doc->progress && doc->progress->n_points == 3,
	              "expected the session's page and the progress of 3 sessions, got %zu pages",
	              info.pages);
	snprintf(png, sizeof png, "%s/r.png", dir);
	ck_assert_msg(bm_paper_write(png, doc, msg, sizeof msg) == BM_PAPER_OK, "write: %s", msg);
	struct bm_paper_layout l;
	ck_assert_int_eq(bm_paper_layout(doc, 0, &l), BM_PAPER_OK);
	cairo_surface_t *img = cairo_image_surface_create_from_png(png);
	ck_assert_int_eq(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);

	/* The CSV read here, independently: where one leg is well apart from
	 * the other, its sample's pixel is that leg's colour. */
	struct bm_csv_reader *rd;
	struct bm_csv_error err;
	struct bm_csv_row row;
	ck_assert_int_eq(bm_csv_reader_open(csv, &rd, &err), BM_CSV_OK);
	double t0 = NAN;
	int tried = 0, hit = 0;
	for (long i = 0; bm_csv_reader_next(rd, &row, &err) == BM_CSV_OK; i++) {
		if (isnan(t0))
			t0 = row.t_s;
		if (i % 97 || !isfinite(row.force_n[0]) || !isfinite(row.force_n[1]))
			continue;
		for (int leg = 0; leg < 2; leg++) {
			if (fabs(row.force_n[leg] - row.force_n[!leg]) < 40)
				continue;
			double xm, ym, xp, yp;
			bm_paper_layout_xy(&l, row.t_s - t0, row.force_n[leg], &xm, &ym);
			bm_paper_layout_png_px(&l, xm, ym, &xp, &yp);
			struct rgb8 got = pixel(img, (int)floor(xp), (int)floor(yp));
			tried++;
			hit += dist(got, &bm_paper_leg_rgb[leg]) <= 60;
		}
	}
	bm_csv_reader_close(rd);
	ck_assert_msg(tried > 50 && hit >= 0.9 * tried,
	              "expected the legs' colours at 90 %% of %d sampled points, got %d", tried, hit);
	/* Above the highest force, inside the plot: no trace colour. */
	double xm, ym, xp, yp;
	bm_paper_layout_xy(&l, 0.5 * l.t_max_s, l.force_max_n - 0.01 * (l.force_max_n - l.force_min_n),
	                   &xm, &ym);
	bm_paper_layout_png_px(&l, xm, ym, &xp, &yp);
	struct rgb8 top = pixel(img, (int)floor(xp), (int)floor(yp));
	ck_assert_msg(dist(top, &bm_paper_leg_rgb[0]) > 60 && dist(top, &bm_paper_leg_rgb[1]) > 60,
	              "expected no trace at the top of the plot, got (%d,%d,%d)", top.r, top.g,
	              top.b);
	cairo_surface_destroy(img);
	bm_records_doc_free(d);
}
END_TEST

START_TEST(pages_and_refusals)
{
	struct bm_records_report_info info;
	char msg[1200], out[600];
	struct bm_records_report_opts o = {rec, NULL, 0, NAN, NULL};
	snprintf(out, sizeof out, "%s/all.pdf", dir);
	ck_assert_msg(bm_records_report_write(st, "Ann", &o, out, &info, msg, sizeof msg) ==
	              BM_RREPORT_OK, "write: %s", msg);
	ck_assert_msg(info.pages == 4 && info.sessions == 3 && info.left_out == 0 &&
	              info.without_trace == 0, "expected 3 session pages and the progress, got %zu",
	              info.pages);
	/* An image holds BM_PAPER_PNG_MAX_PAGES pages: with a limit of 3, the
	 * oldest session goes. */
	struct bm_records_doc *d;
	ck_assert_int_eq(bm_records_report_build(st, "Ann", &o, 3, &d, &info, msg, sizeof msg),
	                 BM_RREPORT_OK);
	ck_assert_msg(info.pages == 3 && info.left_out == 1 &&
	              bm_records_doc_paper(d)->sessions[0].started_epoch_s == 1793610000 + 7 * 86400.0,
	              "expected the oldest session left out, got %zu pages, %zu left out", info.pages,
	              info.left_out);
	bm_records_doc_free(d);
	ck_assert_int_eq(bm_records_report_write(st, "Nobody", &o, out, &info, msg, sizeof msg),
	                 BM_RREPORT_ERR_INPUT);
	ck_assert_msg(strstr(msg, "Nobody"), "expected the name in \"%s\"", msg);
	o.session_csv = "/elsewhere/2026-01-01T00-00-00.csv";
	ck_assert_int_eq(bm_records_report_write(st, "Ann", &o, out, &info, msg, sizeof msg),
	                 BM_RREPORT_ERR_INPUT);
	ck_assert_msg(strstr(msg, "2026-01-01T00-00-00.csv") && strstr(msg, "not one of"),
	              "expected the file refused by name, got \"%s\"", msg);
}
END_TEST

Suite *suite_rreport(void)
{
	Suite *s = suite_create("rreport");
	TCase *tc = tcase_create("rreport");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, png_trace_where_the_layout_says);
	tcase_add_test(tc, pages_and_refusals);
	suite_add_tcase(s, tc);
	return s;
}
