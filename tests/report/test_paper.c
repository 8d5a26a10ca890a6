/*
 * test_paper.c - the report on paper, read back by tools that did not draw
 * it: the PDF through poppler's pdftotext and pdfinfo, the PNG through
 * cairo's PNG reader at the pixels bm_paper_layout() names, the SVG through
 * Python's XML parser.  Then the failures (bad extension, unwritable folder,
 * a disk that fills half-way, input that breaks the rules), which must give
 * one line and leave nothing behind, and the pieces alone: the decimator,
 * axis steps, number formats, the layout queries.
 *
 * The documents come from paper_fixture.c; the runner pins TZ=UTC.
 */
#include <cairo.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bm_config.h"
#include "bm_paper.h"
#include "bm_paper_priv.h"
#include "paper_fixture.h"
#include "report_suites.h"

#if !defined(BM_PDFTOTEXT) || !defined(BM_PDFINFO) || !defined(BM_PYTHON3) || \
	!defined(BM_CHECK_SVG)
#error "build with BM_PDFTOTEXT, BM_PDFINFO, BM_PYTHON3 and BM_CHECK_SVG (meson.build)"
#endif

/* ---- helpers ---------------------------------------------------------- */

struct scratch {
	char dir[64];
	char path[256];
};

static void scratch_new(struct scratch *s, const char *name)
{
	snprintf(s->dir, sizeof s->dir, "/tmp/bm-paper-XXXXXX");
	ck_assert_msg(mkdtemp(s->dir) != NULL, "expected a temp folder, got %s", strerror(errno));
	snprintf(s->path, sizeof s->path, "%s/%s", s->dir, name);
}

static int entries(const char *dir, char *first, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_msg(d != NULL, "expected to list %s, got %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n++ == 0 && first)
			snprintf(first, len, "%s", e->d_name);
	}
	closedir(d);
	return n;
}

static void scratch_free(struct scratch *s)
{
	DIR *d = opendir(s->dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", s->dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(s->dir);
}

/* Run argv[0] (a full path) with argv; its standard output comes back in
 * *out (malloc'd).  Returns its exit status, or -1 if it did not exit. */
static int run(char *const argv[], char **out)
{
	int fd[2];
	char *buf = NULL;
	size_t len = 0, cap = 0;

	ck_assert_int_eq(pipe(fd), 0);
	pid_t pid = fork();
	ck_assert_msg(pid >= 0, "expected fork to work, got %s", strerror(errno));
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			ck_assert_msg(buf != NULL, "expected memory for %s's output", argv[0]);
		}
		ssize_t r = read(fd[0], buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd[0]);
	buf[len] = '\0';
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	*out = buf;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *pdf_text(const char *pdf)
{
	char *out;
	char *argv[] = { (char *)BM_PDFTOTEXT, (char *)"-layout", (char *)pdf, (char *)"-", NULL };
	int rc = run(argv, &out);
	ck_assert_msg(rc == 0, "expected pdftotext to read %s (exit 0), got %d", pdf, rc);
	return out;
}

static int pdf_pages(const char *pdf)
{
	char *out;
	char *argv[] = { (char *)BM_PDFINFO, (char *)pdf, NULL };
	int rc = run(argv, &out);
	ck_assert_msg(rc == 0, "expected pdfinfo to read %s (exit 0), got %d", pdf, rc);
	const char *p = strstr(out, "\nPages:");
	ck_assert_msg(p != NULL, "expected a Pages: line from pdfinfo, got:\n%s", out);
	int pages = atoi(p + 7);
	free(out);
	return pages;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void expect_text(const char *text, const char *want)
{
	/* Check's messages are short: show the start of the text only. */
	ck_assert_msg(strstr(text, want) != NULL, "expected \"%s\" in the report text, "
	              "it is not there; the text begins:\n%.1500s", want, text);
}

/* The line of text that holds key must hold every token too. */
static void expect_row(const char *text, const char *key, const char *const *tokens, int n)
{
	const char *p = strstr(text, key);
	ck_assert_msg(p != NULL, "expected a line with \"%s\", found none", key);
	const char *a = p, *b = strchr(p, '\n');
	while (a > text && a[-1] != '\n')
		a--;
	size_t len = b ? (size_t)(b - a) : strlen(a);
	char line[512];
	snprintf(line, sizeof line, "%.*s", (int)(len < 511 ? len : 511), a);
	for (int i = 0; i < n; i++)
		ck_assert_msg(strstr(line, tokens[i]) != NULL,
		              "expected \"%s\" on the line of \"%s\", got: %s", tokens[i], key, line);
}

static void write_ok(const char *path, const struct bm_paper_doc *doc)
{
	char msg[256] = "unset";
	int rc = bm_paper_write(path, doc, msg, sizeof msg);
	ck_assert_msg(rc == BM_PAPER_OK, "expected %s to be written (0), got %d: %s", path, rc,
	              msg);
}

/* ---- PDF ---------------------------------------------------------------- */

START_TEST(pdf_holds_the_numbers)
{
	struct paper_fixture f;
	struct scratch s;
	char want[160];

	ck_assert_int_eq(paper_fixture_init(&f, 1), 0);
	scratch_new(&s, "report.pdf");
	write_ok(s.path, &f.doc);
	int pages = pdf_pages(s.path);
	ck_assert_msg(pages == 3, "expected 3 pages (2 sessions + progress), pdfinfo says %d",
	              pages);
	char *t = pdf_text(s.path);

	/* Who, when, how, and the banner on both (demo) session pages. */
	ck_assert_msg(count(t, FIX_ATHLETE) >= 6, "expected the athlete's name in 3 headers and "
	              "3 footers, found %d", count(t, FIX_ATHLETE));
	expect_text(t, "2026-11-25 18:04 · double_leg · knee 90° · hip 0°");
	expect_text(t, "protocol: Isometric bridges 5x45 · station: clinic-2 · 80 samples/s · "
	               "duration 5 min 00 s");
	expect_text(t, "2026-11-27 08:30 · long_lever");
	expect_text(t, "10 samples/s · duration 2 min 00 s");
	ck_assert_msg(count(t, "DEMO DATA — simulated athlete") == 2,
	              "expected the DEMO banner on both session pages, found it %d times",
	              count(t, "DEMO DATA — simulated athlete"));

	/* The per-leg table, formatted from the fixture's values. */
	const struct bm_paper_leg_row *L = &f.sessions[0].legs[0], *R = &f.sessions[0].legs[1];
	char c[7][32];
	snprintf(c[0], 32, "%.0f s", L->hold_time_s);
	snprintf(c[1], 32, "%.0f N", L->best_hold_n);
	snprintf(c[2], 32, "%.0f N", L->mean_hold_n);
	snprintf(c[3], 32, "%.0f N·s", round(L->impulse_ns));
	snprintf(c[4], 32, "%.0f N", L->best_rep_n);
	const char *left_row[] = { c[0], c[1], c[2], c[3], c[4] };
	expect_row(t, "Left ", left_row, 5);
	snprintf(c[0], 32, "%.0f N·s", round(R->impulse_ns));
	snprintf(c[1], 32, "%.0f N", R->best_hold_n);
	snprintf(c[2], 32, "%.0f N", R->best_rep_n);
	const char *right_row[] = { c[0], c[1], c[2] };
	expect_row(t, "Right ", right_row, 3);
	expect_text(t, "Best hold");
	expect_text(t, "Impulse");

	expect_text(t, "right weaker 14 % (95 % CI 9–19 %), certain");
	expect_text(t, "before 2 · after 3 · next morning 1 · zone: acceptable (3–5)");
	expect_text(t, "progress the load");
	for (size_t i = 0; i < f.sessions[0].n_protocol_lines; i++)
		expect_text(t, f.sessions[0].protocol_lines[i]);
	expect_text(t, "Metric confidence at 80 samples/s");
	expect_text(t, "Time to peak: ± 0.0125 s (one sample).");
	expect_text(t, "Metric confidence at 10 samples/s");
	/* Session 2 has no asymmetry and no pain. */
	expect_text(t, "Asymmetry");
	expect_text(t, "not measured");
	expect_text(t, "not recorded");

	/* Progress: the date range, one row per session, changes, checklist. */
	expect_text(t, "8 sessions from 2026-10-05 to 2026-11-23");
	expect_text(t, "force: best single-leg hold, N above rest");
	for (int k = 0; k < FIX_N_POINTS; k++) {
		const struct bm_paper_point *q = &f.points[k];
		char date[16], l[16], r[16], lsi[16], pain[16], line[256];
		bm_paper_fmt_date(q->epoch_s, 0, date, sizeof date);
		snprintf(l, sizeof l, "%.0f N", q->left_n);
		snprintf(r, sizeof r, "%.0f N", q->right_n);
		snprintf(lsi, sizeof lsi, "%.0f %%", q->lsi_pct);
		if (isnan(q->pain))
			snprintf(pain, sizeof pain, "–");
		else
			snprintf(pain, sizeof pain, "%.0f", q->pain);
		/* Dates also label the x axes: the table's row is the line
		 * that starts with the date and holds the numbers. */
		int found = 0;
		for (const char *p = strstr(t, date); p && !found; p = strstr(p + 1, date)) {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			snprintf(line, sizeof line, "%.*s", (int)(n < 255 ? n : 255), p);
			found = strstr(line, l) && strstr(line, r) && strstr(line, lsi) &&
				strstr(strstr(line, lsi) + strlen(lsi), pain);
		}
		ck_assert_msg(found, "expected a table row \"%s  %s  %s  %s  %s\", found none",
		              date, l, r, lsi, pain);
	}
	expect_text(t, "right best hold +140 N since 2026-10-05");
	expect_text(t, "left best hold +10 N since last week");
	expect_text(t, "real");
	expect_text(t, "within noise");
	expect_text(t, "Readiness to run");
	expect_text(t, "guidance, not medical advice");
	for (int i = 0; i < 4; i++) {
		expect_text(t, f.ready[i].text);
		expect_text(t, f.ready[i].numbers);
	}
	ck_assert_msg(count(t, "✓ met") == 2 && count(t, "✗ not met") == 1 &&
	              count(t, "? unknown") == 1,
	              "expected 2 met, 1 not met, 1 unknown; got %d, %d, %d", count(t, "✓ met"),
	              count(t, "✗ not met"), count(t, "? unknown"));
	expect_text(t, "pain (0–10)");
	expect_text(t, "Limb symmetry index");

	/* Footers. */
	for (int p = 1; p <= 3; p++) {
		snprintf(want, sizeof want, "page %d of 3", p);
		expect_text(t, want);
	}
	ck_assert_msg(count(t, "bridgemon " BM_VERSION) == 3,
	              "expected \"bridgemon " BM_VERSION "\" in 3 footers, found %d",
	              count(t, "bridgemon " BM_VERSION));
	ck_assert_msg(count(t, "generated 2026-12-02 10:15") == 3,
	              "expected the generation date in 3 footers, found %d",
	              count(t, "generated 2026-12-02 10:15"));
	free(t);
	ck_assert_msg(entries(s.dir, NULL, 0) == 1, "expected only report.pdf in the folder");
	scratch_free(&s);
	paper_fixture_free(&f);
}
END_TEST

START_TEST(pdf_banner_only_for_demo)
{
	struct paper_fixture f;
	struct scratch s;

	ck_assert_int_eq(paper_fixture_init(&f, 0), 0);
	scratch_new(&s, "real.PDF");
	write_ok(s.path, &f.doc);
	char *t = pdf_text(s.path);
	ck_assert_msg(strstr(t, "DEMO") == NULL, "expected no DEMO banner for recorded "
	              "sessions, found one in:\n%.1500s", t);
	expect_text(t, FIX_ATHLETE);
	free(t);

	/* Without the progress page: 2 pages, no checklist. */
	f.doc.progress = NULL;
	write_ok(s.path, &f.doc);
	int pages = pdf_pages(s.path);
	ck_assert_msg(pages == 2, "expected 2 pages without progress, got %d", pages);
	t = pdf_text(s.path);
	ck_assert_msg(strstr(t, "Readiness") == NULL, "expected no readiness without progress");
	expect_text(t, "page 2 of 2");
	free(t);

	/* Only the progress page. */
	f.doc.progress = &f.progress;
	f.doc.n_sessions = 0;
	write_ok(s.path, &f.doc);
	pages = pdf_pages(s.path);
	ck_assert_msg(pages == 1, "expected 1 page for progress alone, got %d", pages);
	scratch_free(&s);
	paper_fixture_free(&f);
}
END_TEST

/* ---- PNG ---------------------------------------------------------------- */

struct rgb8 {
	int r, g, b;
};

static struct rgb8 pixel(cairo_surface_t *img, int x, int y)
{
	int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	ck_assert_msg(x >= 0 && y >= 0 && x < w && y < h, "pixel (%d, %d) outside %dx%d", x, y,
	              w, h);
	const unsigned char *row = cairo_image_surface_get_data(img) +
		(size_t)y * (size_t)cairo_image_surface_get_stride(img);
	uint32_t v;
	memcpy(&v, row + 4 * x, 4);
	return (struct rgb8){ (int)(v >> 16) & 255, (int)(v >> 8) & 255, (int)v & 255 };
}

static struct rgb8 rgb8_of(struct bm_paper_rgb c)
{
	return (struct rgb8){ (int)lround(c.r * 255), (int)lround(c.g * 255),
		(int)lround(c.b * 255) };
}

static int dist(struct rgb8 a, struct rgb8 b)
{
	int d = abs(a.r - b.r);
	if (abs(a.g - b.g) > d)
		d = abs(a.g - b.g);
	if (abs(a.b - b.b) > d)
		d = abs(a.b - b.b);
	return d;
}

/* White under layers of (colour, opacity), as cairo composites them. */
static struct rgb8 tint(const struct bm_paper_rgb *cols, const double *alpha, int n)
{
	double c[3] = { 1, 1, 1 };
	for (int i = 0; i < n; i++) {
		c[0] = c[0] * (1 - alpha[i]) + cols[i].r * alpha[i];
		c[1] = c[1] * (1 - alpha[i]) + cols[i].g * alpha[i];
		c[2] = c[2] * (1 - alpha[i]) + cols[i].b * alpha[i];
	}
	return (struct rgb8){ (int)lround(c[0] * 255), (int)lround(c[1] * 255),
		(int)lround(c[2] * 255) };
}

static void px_of(const struct bm_paper_layout *l, double t, double force, int *x, int *y)
{
	double xm, ym, xp, yp;
	bm_paper_layout_xy(l, t, force, &xm, &ym);
	bm_paper_layout_png_px(l, xm, ym, &xp, &yp);
	*x = (int)floor(xp);
	*y = (int)floor(yp);
}

static void expect_colour(cairo_surface_t *img, const struct bm_paper_layout *l, double t,
                          double force, struct rgb8 want, int tol, const char *what)
{
	int x, y;
	px_of(l, t, force, &x, &y);
	struct rgb8 got = pixel(img, x, y);
	ck_assert_msg(dist(got, want) <= tol, "%s: expected (%d,%d,%d) +-%d at page %zu pixel "
	              "(%d, %d) [t %.2f s, %.1f N], got (%d,%d,%d)", what, want.r, want.g, want.b,
	              tol, l->page, x, y, t, force, got.r, got.g, got.b);
}

START_TEST(png_pixels_where_the_layout_says)
{
	struct paper_fixture f;
	struct scratch s;
	struct bm_paper_layout l0, l1, l2;
	const struct rgb8 white = { 255, 255, 255 };
	const struct rgb8 left = rgb8_of(bm_paper_leg_rgb[0]), right = rgb8_of(bm_paper_leg_rgb[1]);

	ck_assert_int_eq(paper_fixture_init(&f, 1), 0);
	scratch_new(&s, "report.png");
	write_ok(s.path, &f.doc);
	cairo_surface_t *img = cairo_image_surface_create_from_png(s.path);
	ck_assert_msg(cairo_surface_status(img) == CAIRO_STATUS_SUCCESS,
	              "expected cairo to read the PNG back, got %s",
	              cairo_status_to_string(cairo_surface_status(img)));
	ck_assert_msg(cairo_image_surface_get_width(img) == BM_PAPER_PNG_PAGE_W_PX &&
	              cairo_image_surface_get_height(img) == 3 * BM_PAPER_PNG_PAGE_H_PX,
	              "expected %dx%d (3 A4 pages at 150 dpi), got %dx%d", BM_PAPER_PNG_PAGE_W_PX,
	              3 * BM_PAPER_PNG_PAGE_H_PX, cairo_image_surface_get_width(img),
	              cairo_image_surface_get_height(img));
	ck_assert_int_eq(bm_paper_layout(&f.doc, 0, &l0), BM_PAPER_OK);
	ck_assert_int_eq(bm_paper_layout(&f.doc, 1, &l1), BM_PAPER_OK);
	ck_assert_int_eq(bm_paper_layout(&f.doc, 2, &l2), BM_PAPER_OK);

	/* Known samples on the traces: plateaus, and the one-sample spike
	 * (which survives decimation of 24 samples per column). */
	double t = 120.0;
	expect_colour(img, &l0, t, paper_fixture_left_n(t), left, 16, "left single-leg hold");
	t = 50.0;
	expect_colour(img, &l0, t, paper_fixture_left_n(t), left, 16, "left bilateral hold");
	expect_colour(img, &l0, t, paper_fixture_right_n(t), right, 16, "right bilateral hold");
	t = 280.0;
	expect_colour(img, &l0, t, paper_fixture_right_n(t), right, 16, "right at rest");
	expect_colour(img, &l0, FIX_SPIKE_S, 0.8 * FIX_SPIKE_N, left, 16, "left spike");
	t = 40.0;
	expect_colour(img, &l1, t, 40.0 + 240.0 + 0.8 * sin(2 * M_PI * 0.9 * t), left, 40,
	              "page 2, left hold");

	/* Shading, read well away from lines (mid-way between grid lines,
	 * far above the traces). */
	double y_mid = l0.force_max_n - 1.5 * l0.force_step_n;
	const struct bm_paper_rgb both[2] = { bm_paper_leg_rgb[0], bm_paper_leg_rgb[1] };
	const double hold_a[2] = { BM_PAPER_HOLD_ALPHA, BM_PAPER_HOLD_ALPHA };
	const double rep_a[2] = { BM_PAPER_REP_ALPHA, BM_PAPER_REP_ALPHA };
	struct rgb8 sl = tint(both, hold_a, 1), bi = tint(both, hold_a, 2), rep = tint(both, rep_a, 2);
	expect_colour(img, &l0, 125.0, y_mid, sl, 3, "left hold tint");
	expect_colour(img, &l0, 62.5, y_mid, bi, 3, "bilateral hold tint");
	expect_colour(img, &l0, FIX_REPS_START_S + FIX_REP_LEN_S / 2, y_mid, rep, 3,
	              "bilateral rep tint");
	ck_assert_msg(dist(sl, white) > 20 && dist(rep, white) > 8 && dist(bi, rep) > 10,
	              "expected tints told apart from white and holds from reps");
	expect_colour(img, &l0, 87.5, y_mid, white, 2, "no effort: white");
	expect_colour(img, &l0, 237.5, y_mid, white, 2, "after the gap: white");

	/* The gap is hatched: no white pixel, and dark hatch lines, in it. */
	int x0, y0, x1, y1, dark = 0, whites = 0, total = 0;
	px_of(&l0, FIX_GAP_START_S, l0.force_max_n, &x0, &y0);
	px_of(&l0, FIX_GAP_END_S, l0.force_min_n, &x1, &y1);
	for (int y = y0 + 2; y < y1 - 2; y++)
		for (int x = x0 + 1; x < x1 - 1; x++) {
			struct rgb8 p = pixel(img, x, y);
			dark += p.r < 200 && dist(p, (struct rgb8){ p.r, p.r, p.r }) < 8;
			whites += dist(p, white) <= 2;
			total++;
		}
	ck_assert_msg(total > 100 && whites == 0 && dark > total / 10,
	              "expected the gap hatched (no white, >10%% dark grey of %d px), got %d "
	              "white, %d dark", total, whites, dark);
	/* ... and the left trace is not drawn across it. */
	int xg, yg;
	px_of(&l0, (FIX_GAP_START_S + FIX_GAP_END_S) / 2, FIX_REST_L_N, &xg, &yg);
	ck_assert_msg(dist(pixel(img, xg, yg), left) > 60,
	              "expected no left trace inside the gap at (%d, %d)", xg, yg);

	/* Progress page: markers of the left force, the pain and the LSI. */
	const struct bm_paper_point *q = &f.points[3];
	expect_colour(img, &l2, q->epoch_s, q->left_n, left, 16, "progress left marker");
	expect_colour(img, &l2, q->epoch_s, q->right_n, right, 16, "progress right marker");
	double xm, ym, xp, yp;
	bm_paper_layout_xy(&l2, f.points[0].epoch_s, 0, &xm, &ym);
	ym = l2.plot.y_mm + l2.plot.h_mm * (1 - f.points[0].pain / l2.pain_max);
	bm_paper_layout_png_px(&l2, xm, ym, &xp, &yp);
	struct rgb8 got = pixel(img, (int)xp, (int)yp);
	ck_assert_msg(dist(got, rgb8_of(bm_paper_pain_rgb)) <= 40,
	              "expected the pain marker's colour at (%d, %d), got (%d,%d,%d)", (int)xp,
	              (int)yp, got.r, got.g, got.b);
	bm_paper_layout_lsi_xy(&l2, q->epoch_s, q->lsi_pct, &xm, &ym);
	bm_paper_layout_png_px(&l2, xm, ym, &xp, &yp);
	got = pixel(img, (int)xp, (int)yp);
	ck_assert_msg(dist(got, rgb8_of(bm_paper_lsi_rgb)) <= 40,
	              "expected the LSI marker's colour at (%d, %d), got (%d,%d,%d)", (int)xp,
	              (int)yp, got.r, got.g, got.b);
	cairo_surface_destroy(img);
	scratch_free(&s);
	paper_fixture_free(&f);
}
END_TEST

/* ---- SVG ---------------------------------------------------------------- */

START_TEST(svg_well_formed_with_text)
{
	struct paper_fixture f;
	struct scratch s;
	char *out;

	ck_assert_int_eq(paper_fixture_init(&f, 1), 0);
	scratch_new(&s, "report.svg");
	write_ok(s.path, &f.doc);
	char *argv[] = { (char *)BM_PYTHON3, (char *)BM_CHECK_SVG, s.path, (char *)"3",
		(char *)FIX_ATHLETE, (char *)"DEMO DATA — simulated athlete",
		(char *)"23457 N·s", (char *)"right weaker 14 % (95 % CI 9–19 %), certain",
		(char *)"2026-11-25 18:04", (char *)"guidance, not medical advice",
		(char *)"single-leg bridge reps to fatigue ≥ 25 on both sides",
		(char *)"bridgemon " BM_VERSION, NULL };
	int rc = run(argv, &out);
	ck_assert_msg(rc == 0, "expected check_svg.py to accept the SVG (exit 0), got %d: %s", rc,
	              out);
	free(out);

	/* A name with XML's special characters stays well formed. */
	f.doc.athlete = "Ana <\"O'Neil\"> & co";
	write_ok(s.path, &f.doc);
	char *argv2[] = { (char *)BM_PYTHON3, (char *)BM_CHECK_SVG, s.path, (char *)"3",
		(char *)"Ana <\"O'Neil\"> & co", NULL };
	rc = run(argv2, &out);
	ck_assert_msg(rc == 0, "expected the escaped name back from the SVG, got %d: %s", rc, out);
	free(out);
	scratch_free(&s);
	paper_fixture_free(&f);
}
END_TEST

/* ---- failures ------------------------------------------------------------ */

static void expect_error(const char *path, const struct bm_paper_doc *doc, int want_rc,
                         const char *want_in_msg)
{
	char msg[256] = "";
	int rc = bm_paper_write(path, doc, msg, sizeof msg);
	ck_assert_msg(rc == want_rc, "expected %d writing %s, got %d (%s)", want_rc, path, rc,
	              msg);
	ck_assert_msg(msg[0] && strchr(msg, '\n') == NULL,
	              "expected a one-line message, got \"%s\"", msg);
	ck_assert_msg(strstr(msg, want_in_msg) != NULL, "expected \"%s\" in the message, got "
	              "\"%s\"", want_in_msg, msg);
}

START_TEST(bad_extension_one_line_no_file)
{
	struct paper_fixture f;
	struct scratch s;
	char name[256] = "";

	ck_assert_int_eq(paper_fixture_init(&f, 0), 0);
	scratch_new(&s, "report.txt");
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "\".txt\"");
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "report.txt");
	snprintf(s.path, sizeof s.path, "%s/report", s.dir);
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "no file extension");
	snprintf(s.path, sizeof s.path, "%s/.pdf", s.dir);
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "no file extension");
	snprintf(s.path, sizeof s.path, "%s/report.pdf.bak", s.dir);
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "\".bak\"");
	int n = entries(s.dir, name, sizeof name);
	ck_assert_msg(n == 0, "expected an empty folder after refused writes, found %d (%s)", n,
	              name);
	scratch_free(&s);
	paper_fixture_free(&f);
}
END_TEST

START_TEST(unwritable_folder_one_line_no_file)
{
	struct paper_fixture f;
	struct scratch s;
	char p[300], name[256] = "";

	ck_assert_int_eq(paper_fixture_init(&f, 0), 0);
	scratch_new(&s, "report.pdf");
	/* A folder that does not exist. */
	snprintf(p, sizeof p, "%s/missing/report.pdf", s.dir);
	expect_error(p, &f.doc, BM_PAPER_ERR_IO, p);
	expect_error(p, &f.doc, BM_PAPER_ERR_IO, "No such file or directory");
	/* A "folder" that is a file. */
	snprintf(p, sizeof p, "%s/plain", s.dir);
	FILE *fp = fopen(p, "w");
	ck_assert_msg(fp != NULL, "expected to make %s", p);
	fclose(fp);
	snprintf(p, sizeof p, "%s/plain/report.png", s.dir);
	expect_error(p, &f.doc, BM_PAPER_ERR_IO, "Not a directory");
	/* A folder nobody may write: mode 0555 for a user; root passes file
	 * modes, so for root sysfs, which takes no new files from anyone. */
	if (geteuid() != 0) {
		snprintf(p, sizeof p, "%s/locked", s.dir);
		ck_assert_int_eq(mkdir(p, 0555), 0);
		snprintf(p, sizeof p, "%s/locked/report.svg", s.dir);
		expect_error(p, &f.doc, BM_PAPER_ERR_IO, "Permission denied");
		snprintf(p, sizeof p, "%s/locked", s.dir);
		ck_assert_int_eq(entries(p, NULL, 0), 0);
		rmdir(p);
	} else {
		expect_error("/sys/bm-paper-test.svg", &f.doc, BM_PAPER_ERR_IO,
		             "/sys/bm-paper-test.svg");
		ck_assert_msg(access("/sys/bm-paper-test.svg", F_OK) != 0,
		              "expected no file in /sys");
	}
	int n = entries(s.dir, name, sizeof name);
	ck_assert_msg(n == 1, "expected only the file \"plain\" in the folder, found %d (%s)", n,
	              name);
	scratch_free(&s);
	paper_fixture_free(&f);
}
END_TEST

/* The disk fills half-way (a file-size limit in a child process): the
 * old report stays as it was, and no temporary file is left. */
START_TEST(failed_write_keeps_old_file)
{
	static const char *const names[3] = { "report.pdf", "report.png", "report.svg" };
	struct paper_fixture f;
	struct scratch s;

	ck_assert_int_eq(paper_fixture_init(&f, 0), 0);
	scratch_new(&s, "x");
	for (int k = 0; k < 3; k++) {
		snprintf(s.path, sizeof s.path, "%s/%s", s.dir, names[k]);
		FILE *fp = fopen(s.path, "w");
		ck_assert_msg(fp != NULL, "expected to make %s", s.path);
		fputs("old report", fp);
		fclose(fp);
		int fd[2];
		ck_assert_int_eq(pipe(fd), 0);
		pid_t pid = fork();
		ck_assert_msg(pid >= 0, "expected fork to work");
		if (pid == 0) {
			struct rlimit rl = { 20000, 20000 };
			char msg[256] = "";
			signal(SIGXFSZ, SIG_IGN);
			setrlimit(RLIMIT_FSIZE, &rl);
			int rc = bm_paper_write(s.path, &f.doc, msg, sizeof msg);
			ssize_t w = write(fd[1], msg, strlen(msg));
			(void)w;
			_exit(-rc);
		}
		close(fd[1]);
		char msg[256] = "";
		ssize_t r = read(fd[0], msg, sizeof msg - 1);
		close(fd[0]);
		msg[r > 0 ? r : 0] = '\0';
		int st;
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == -BM_PAPER_ERR_IO,
		              "%s: expected BM_PAPER_ERR_IO (%d) when the disk fills, got exit %d: %s",
		              names[k], BM_PAPER_ERR_IO, WIFEXITED(st) ? -WEXITSTATUS(st) : 999, msg);
		ck_assert_msg(strstr(msg, "cannot write") && strstr(msg, "File too large") &&
		              !strchr(msg, '\n'), "expected one line naming the write error, got "
		              "\"%s\"", msg);
		char buf[64] = "";
		fp = fopen(s.path, "r");
		ck_assert_msg(fp != NULL, "expected %s to still be there", s.path);
		size_t n = fread(buf, 1, sizeof buf - 1, fp);
		fclose(fp);
		buf[n] = '\0';
		ck_assert_msg(strcmp(buf, "old report") == 0, "expected the old %s untouched, got "
		              "\"%s\"", names[k], buf);
		ck_assert_msg(entries(s.dir, NULL, 0) == k + 1, "expected %d files (no temporary "
		              "left), found %d", k + 1, entries(s.dir, NULL, 0));
	}
	/* And a good write replaces the old file. */
	write_ok(s.path, &f.doc);
	char head[6] = "";
	FILE *fp = fopen(s.path, "r");
	ck_assert_msg(fp && fread(head, 1, 5, fp) == 5, "expected to read the new SVG");
	fclose(fp);
	ck_assert_msg(strcmp(head, "<?xml") == 0, "expected an SVG in place, got \"%s\"", head);
	ck_assert_int_eq(entries(s.dir, NULL, 0), 3);
	scratch_free(&s);
	paper_fixture_free(&f);
}
END_TEST

START_TEST(bad_input_refused_before_any_file)
{
	struct paper_fixture f;
	struct scratch s;
	char msg[256];
	struct bm_paper_doc empty;
	struct bm_paper_session many[BM_PAPER_PNG_MAX_PAGES + 1];

	ck_assert_int_eq(paper_fixture_init(&f, 0), 0);
	scratch_new(&s, "report.pdf");
	ck_assert_int_eq(bm_paper_write(NULL, &f.doc, msg, sizeof msg), BM_PAPER_ERR_ARG);
	ck_assert_int_eq(bm_paper_write(s.path, NULL, msg, sizeof msg), BM_PAPER_ERR_ARG);
	ck_assert_int_eq(bm_paper_write(s.path, NULL, NULL, 0), BM_PAPER_ERR_ARG);
	bm_paper_doc_default(&empty);
	expect_error(s.path, &empty, BM_PAPER_ERR_ARG, "nothing to draw");

	double saved = f.t_s[100];
	f.t_s[100] = f.t_s[99] - 0.5;
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "session 1: trace time goes back at "
	             "sample 100");
	f.t_s[100] = NAN;
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "not a number");
	f.t_s[100] = saved;

	f.efforts[2].leg = 2;
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "effort 2 has leg 2");
	f.efforts[2].leg = 0;
	f.efforts[2].end_s = f.efforts[2].start_s - 1;
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "effort 2 runs from");
	f.efforts[2].end_s = FIX_SL_END_S;

	struct bm_paper_gap two[2] = { { 10, 20 }, { 15, 30 } };
	f.sessions[1].gaps = two;
	f.sessions[1].n_gaps = 2;
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "session 2: gap 1");
	f.sessions[1].n_gaps = 0;

	f.doc.athlete = "bad \xC3\x28 name";
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "not valid UTF-8");
	f.doc.athlete = "overlong \xC0\xAF";
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "not valid UTF-8");
	f.doc.athlete = FIX_ATHLETE;

	f.points[4].epoch_s = f.points[2].epoch_s - 1;
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "progress: point 4 is older");
	f.points[4].epoch_s = FIX_P0_EPOCH + 4 * 7 * 86400.0;
	f.ready[1].status = 7;
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "readiness item 1");
	f.ready[1].status = BM_PAPER_MET;

	/* More pages than one PNG can hold; the same pages as PDF are fine. */
	for (int k = 0; k <= BM_PAPER_PNG_MAX_PAGES; k++)
		many[k] = f.sessions[1];
	f.doc.sessions = many;
	f.doc.n_sessions = BM_PAPER_PNG_MAX_PAGES + 1;
	snprintf(s.path, sizeof s.path, "%s/many.png", s.dir);
	expect_error(s.path, &f.doc, BM_PAPER_ERR_ARG, "too many for one PNG");
	ck_assert_msg(entries(s.dir, NULL, 0) == 0, "expected no file after refused input");
	snprintf(s.path, sizeof s.path, "%s/many.pdf", s.dir);
	write_ok(s.path, &f.doc);
	int pages = pdf_pages(s.path);
	ck_assert_msg(pages == BM_PAPER_PNG_MAX_PAGES + 2, "expected %d pages, got %d",
	              BM_PAPER_PNG_MAX_PAGES + 2, pages);
	scratch_free(&s);
	paper_fixture_free(&f);
}
END_TEST

/* Edge cases draw without error: no samples, one sample, only NaN, a
 * flat trace, no progress points, one point, all values missing. */
START_TEST(sparse_documents_still_draw)
{
	struct paper_fixture f;
	struct scratch s;
	double t1[1] = { 5.0 }, f1[1] = { 100.0 }, nan3[3] = { NAN, NAN, NAN };
	double t3[3] = { 0, 1, 2 }, flat[3] = { 0, 0, 0 };
	struct bm_paper_point one = { FIX_P0_EPOCH, 300, NAN, NAN, NAN };
	struct bm_paper_point blank = { FIX_P0_EPOCH, NAN, NAN, NAN, NAN };
	static const char *const names[3] = { "edge.pdf", "edge.png", "edge.svg" };
	static const char *const heading[4] = { "no sessions yet",
		"1 session from 2026-10-05 to 2026-10-05",
		"1 session from 2026-10-05 to 2026-10-05", "no sessions yet" };
	/* A gap over everything, an effort after the trace's end. */
	const struct bm_paper_gap all_gap = { -5, 100 };
	const struct bm_paper_effort late_rep = { BM_PAPER_RIGHT, BM_PAPER_REP, 50, 60 };

	ck_assert_int_eq(paper_fixture_init(&f, 0), 0);
	scratch_new(&s, "edge.pdf");
	struct bm_paper_session *a = &f.sessions[0], *b = &f.sessions[1];
	for (int round = 0; round < 4; round++) {
		bm_paper_session_default(a);
		*b = *a;
		bm_paper_progress_default(&f.progress);
		if (round == 0) {
			/* nothing at all */
		} else if (round == 1) {
			a->trace = (struct bm_paper_trace){ t1, f1, f1, 1 };
			b->trace = (struct bm_paper_trace){ t3, nan3, nan3, 3 };
			f.progress.points = &one;
			f.progress.n_points = 1;
		} else if (round == 2) {
			a->trace = (struct bm_paper_trace){ t3, flat, flat, 3 };
			a->duration_s = 2;
			b->duration_s = 3725;
			f.progress.points = &blank;
			f.progress.n_points = 1;
		} else {
			a->trace = (struct bm_paper_trace){ t3, flat, nan3, 3 };
			a->gaps = &all_gap;
			a->n_gaps = 1;
			a->efforts = &late_rep;
			a->n_efforts = 1;
			f.progress.lsi_mark_pct = NAN;
		}
		for (int k = 0; k < 3; k++) {
			snprintf(s.path, sizeof s.path, "%s/%s", s.dir, names[k]);
			write_ok(s.path, &f.doc);
		}
		snprintf(s.path, sizeof s.path, "%s/edge.pdf", s.dir);
		int pages = pdf_pages(s.path);
		ck_assert_msg(pages == 3, "round %d: expected 3 pages, got %d", round, pages);
		char *t = pdf_text(s.path);
		expect_text(t, heading[round]);
		if (round == 0)
			expect_text(t, "no samples");
		free(t);
	}
	scratch_free(&s);
	paper_fixture_free(&f);
}
END_TEST

/* cairo's failures as ours (a cairo error cannot be provoked through
 * valid input, so the translation is checked on its own). */
START_TEST(cairo_status_translated)
{
	char msg[256];
	const char *why = cairo_status_to_string(CAIRO_STATUS_INVALID_MATRIX);

	ck_assert_int_eq(bm_paper_status_err(CAIRO_STATUS_SUCCESS, 0, "a.pdf", msg, sizeof msg),
	                 BM_PAPER_OK);
	int rc = bm_paper_status_err(CAIRO_STATUS_INVALID_MATRIX, 0, "a.pdf", msg, sizeof msg);
	ck_assert_msg(rc == BM_PAPER_ERR_CAIRO && strstr(msg, "a.pdf") && strstr(msg, why) &&
	              !strchr(msg, '\n'), "expected CAIRO with \"a.pdf ... %s\", got %d \"%s\"",
	              why, rc, msg);
	rc = bm_paper_status_err(CAIRO_STATUS_NO_MEMORY, 0, "a.pdf", msg, sizeof msg);
	ck_assert_msg(rc == BM_PAPER_ERR_NOMEM && strstr(msg, "out of memory"),
	              "expected NOMEM, got %d \"%s\"", rc, msg);
	rc = bm_paper_status_err(CAIRO_STATUS_WRITE_ERROR, ENOSPC, "a.png", msg, sizeof msg);
	ck_assert_msg(rc == BM_PAPER_ERR_IO && strstr(msg, "a.png: cannot write") &&
	              strstr(msg, strerror(ENOSPC)), "expected IO with the disk's reason, got %d "
	              "\"%s\"", rc, msg);
	/* A message buffer too small still ends in a terminated string. */
	rc = bm_paper_status_err(CAIRO_STATUS_INVALID_MATRIX, 0, "a.pdf", msg, 8);
	ck_assert_msg(rc == BM_PAPER_ERR_CAIRO && strlen(msg) == 7, "expected 7 characters, got "
	              "\"%s\"", msg);
	ck_assert_int_eq(bm_paper_status_err(CAIRO_STATUS_INVALID_MATRIX, 0, "a.pdf", NULL, 0),
	                 BM_PAPER_ERR_CAIRO);
}
END_TEST

/* Text longer than the page: wrapped, cut with a note, still valid. */
START_TEST(overflowing_text_is_cut_with_a_note)
{
	struct paper_fixture f;
	struct scratch s;
	const char *lines[120];
	char name[300];

	ck_assert_int_eq(paper_fixture_init(&f, 0), 0);
	for (int i = 0; i < 120; i++)
		lines[i] = "Set: a long line of protocol text that goes on and on — with "
		           "Ünïcödé — so that the page has to wrap it over more than one line "
		           "of text, again and again, until the room runs out";
	f.sessions[0].protocol_lines = lines;
	f.sessions[0].n_protocol_lines = 120;
	/* A name of 2-byte characters, longer than the footer keeps. */
	name[0] = '\0';
	for (int i = 0; i < 140; i++)
		strcat(name, "é");
	f.doc.athlete = name;
	f.changes[0].text = "x"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	scratch_new(&s, "long.pdf");
	write_ok(s.path, &f.doc);
	char *t = pdf_text(s.path);
	expect_text(t, "more lines than this page holds");
	expect_text(t, "Metric confidence at 80 samples/s");
	expect_text(t, "éééééééééé… · page 1 of 3");
	expect_text(t, "xaaaaaaaaa");
	free(t);
	snprintf(s.path, sizeof s.path, "%s/long.png", s.dir);
	write_ok(s.path, &f.doc);
	scratch_free(&s);
	paper_fixture_free(&f);
}
END_TEST

/* ---- pieces --------------------------------------------------------------- */

START_TEST(layout_queries)
{
	struct paper_fixture f;
	struct bm_paper_layout l;

	ck_assert_int_eq(paper_fixture_init(&f, 0), 0);
	ck_assert_int_eq(bm_paper_page_count(&f.doc), 3);
	ck_assert_int_eq(bm_paper_layout(&f.doc, 3, &l), BM_PAPER_ERR_ARG);
	ck_assert_int_eq(bm_paper_layout(NULL, 0, &l), BM_PAPER_ERR_ARG);
	ck_assert_int_eq(bm_paper_layout(&f.doc, 0, NULL), BM_PAPER_ERR_ARG);

	ck_assert_int_eq(bm_paper_layout(&f.doc, 0, &l), BM_PAPER_OK);
	ck_assert_int_eq(l.kind, BM_PAPER_PAGE_SESSION);
	ck_assert_msg(l.plot.x_mm >= 15 && l.plot.x_mm + l.plot.w_mm <= 195.0 + 1e-9 &&
	              l.plot.y_mm > 40 && l.plot.y_mm + l.plot.h_mm < 200,
	              "expected the trace inside the margins, got x %.1f w %.1f y %.1f h %.1f",
	              l.plot.x_mm, l.plot.w_mm, l.plot.y_mm, l.plot.h_mm);
	ck_assert_msg(l.lanes.y_mm + l.lanes.h_mm < l.plot.y_mm, "expected lanes above the plot");
	double last = f.t_s[f.sessions[0].trace.n - 1];
	ck_assert_msg(l.t_min_s == 0 && l.t_max_s == last, "expected x from 0 to %.4f, got %.4f "
	              "to %.4f", last, l.t_min_s, l.t_max_s);
	ck_assert_msg(l.t_step_s == 50, "expected 50-s ticks over 300 s, got %g", l.t_step_s);
	ck_assert_msg(l.force_min_n == 0 && l.force_max_n >= FIX_SPIKE_N &&
	              l.force_max_n <= FIX_SPIKE_N + 2 * l.force_step_n,
	              "expected y from 0 to just above the %g N spike, got %g to %g", FIX_SPIKE_N,
	              l.force_min_n, l.force_max_n);
	double x, y;
	bm_paper_layout_xy(&l, l.t_max_s, l.force_min_n, &x, &y);
	ck_assert_msg(fabs(x - (l.plot.x_mm + l.plot.w_mm)) < 1e-9 &&
	              fabs(y - (l.plot.y_mm + l.plot.h_mm)) < 1e-9,
	              "expected the plot's bottom right corner, got (%g, %g)", x, y);

	ck_assert_int_eq(bm_paper_layout(&f.doc, 2, &l), BM_PAPER_OK);
	ck_assert_int_eq(l.kind, BM_PAPER_PAGE_PROGRESS);
	ck_assert_msg(l.t_min_s <= f.points[0].epoch_s && l.t_max_s >= f.points[7].epoch_s &&
	              l.t_max_s - l.t_min_s <= 51 * 86400.0,
	              "expected the dates to span the 7 weeks, got %.0f to %.0f", l.t_min_s,
	              l.t_max_s);
	ck_assert_msg(l.lsi_min_pct <= f.points[0].lsi_pct && l.lsi_max_pct >= 100 &&
	              l.lsi_min_pct <= 90, "expected LSI range to hold 73-97 %% and the 90 %% "
	              "mark, got %g-%g", l.lsi_min_pct, l.lsi_max_pct);
	ck_assert_msg(l.pain_max == 10, "expected pain axis 0-10, got %g", l.pain_max);
	double xp, yp;
	bm_paper_layout_png_px(&l, 10.0, 20.0, &xp, &yp);
	ck_assert_msg(fabs(xp - 10.0 * 150 / 25.4) < 1e-9 &&
	              fabs(yp - (2 * BM_PAPER_PNG_PAGE_H_PX + 20.0 * 150 / 25.4)) < 1e-9,
	              "expected page 3's offset in the PNG, got (%g, %g)", xp, yp);
	paper_fixture_free(&f);
}
END_TEST

struct collected {
	double t[64], v[64];
	int pen[64];
	size_t n, pen_ups;
	double max_v;
	double last_t;
	int ordered;
};

static void collect_point(void *ctx, double t, double v, int pen_down)
{
	struct collected *c = ctx;
	if (c->n < 64) {
		c->t[c->n] = t;
		c->v[c->n] = v;
		c->pen[c->n] = pen_down;
	}
	if (c->n > 0 && t < c->last_t)
		c->ordered = 0;
	c->last_t = t;
	c->n++;
	c->pen_ups += !pen_down;
	if (v > c->max_v)
		c->max_v = v;
}

START_TEST(decimate_an_hour_keeps_the_spike)
{
	const size_t n = 3600 * 1000, cols = 1000, spike = 1234567;
	double *t = malloc(n * sizeof *t), *v = malloc(n * sizeof *v);
	struct collected c = { .ordered = 1, .max_v = -1e9 };

	ck_assert_msg(t && v, "expected memory for 3.6 M samples");
	for (size_t i = 0; i < n; i++) {
		t[i] = (double)i / 1000.0;
		v[i] = 100.0 + 10.0 * sin(t[i] * 0.7);
	}
	v[spike] = 5000.0;
	for (size_t i = 2000000; i < 2000100; i++)
		v[i] = NAN;
	size_t m = bm_paper_decimate(t, v, n, 0, t[n - 1], cols, NULL, 0, collect_point, &c);
	ck_assert_msg(m == c.n && m <= 4 * cols + 8 && m >= 2 * cols,
	              "expected 2-4 points per column (%zu columns), got %zu", cols, m);
	ck_assert_msg(c.max_v == 5000.0, "expected the one-sample spike kept, max %g", c.max_v);
	ck_assert_msg(c.pen_ups == 2, "expected the line to break once, at the NaNs (2 starts), "
	              "got %zu", c.pen_ups);
	ck_assert_msg(c.ordered, "expected points in time order");

	/* Gaps break the line even with no NaN; samples inside are left out. */
	struct bm_paper_gap gaps[2] = { { 1000.0, 1000.5 }, { 3000.0, 3010.0 } };
	struct collected g = { .ordered = 1, .max_v = -1e9 };
	for (size_t i = 2000000; i < 2000100; i++)
		v[i] = 100.0;
	bm_paper_decimate(t, v, n, 0, t[n - 1], cols, gaps, 2, collect_point, &g);
	ck_assert_msg(g.pen_ups == 3, "expected 3 line starts around 2 gaps, got %zu", g.pen_ups);
	free(t);
	free(v);
}
END_TEST

START_TEST(decimate_sparse_keeps_every_sample)
{
	double t[10], v[10];
	struct collected c = { .ordered = 1, .max_v = -1e9 };
	struct bm_paper_gap gap = { 3.5, 5.5 };

	for (int i = 0; i < 10; i++) {
		t[i] = i;
		v[i] = i * 10.0;
	}
	v[8] = NAN;
	bm_paper_decimate(t, v, 10, 0, 9, 100, &gap, 1, collect_point, &c);
	static const double want_t[] = { 0, 1, 2, 3, 6, 7, 9 };
	static const int want_pen[] = { 0, 1, 1, 1, 0, 1, 0 };
	ck_assert_msg(c.n == 7, "expected 7 points (4 and 5 in the gap, 8 NaN), got %zu", c.n);
	for (int i = 0; i < 7; i++)
		ck_assert_msg(c.t[i] == want_t[i] && c.pen[i] == want_pen[i] &&
		              c.v[i] == want_t[i] * 10.0,
		              "point %d: expected t %g pen %d, got t %g pen %d", i, want_t[i],
		              want_pen[i], c.t[i], c.pen[i]);
	/* A gap between two samples (no sample inside) breaks the line too. */
	struct collected d = { .ordered = 1, .max_v = -1e9 };
	struct bm_paper_gap between = { 2.0, 3.0 };
	v[8] = 80;
	bm_paper_decimate(t, v, 10, 0, 9, 100, &between, 1, collect_point, &d);
	ck_assert_msg(d.n == 10 && d.pen_ups == 2 && d.pen[3] == 0,
	              "expected 10 points with a new line at t 3, got %zu points, %zu starts",
	              d.n, d.pen_ups);
}
END_TEST

START_TEST(steps_numbers_dates)
{
	static const struct {
		double span, target, step;
	} steps[] = { { 300, 7, 50 }, { 3600, 7, 500 }, { 120, 7, 20 }, { 1, 5, 0.2 },
		      { 9, 6, 2 }, { 7, 6, 1 }, { 0, 6, 1 } };
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		double got = bm_paper_nice_step(steps[i].span, steps[i].target);
		ck_assert_msg(fabs(got - steps[i].step) < 1e-12, "step for %g / %g: expected %g, "
		              "got %g", steps[i].span, steps[i].target, steps[i].step, got);
	}
	static const struct {
		double v;
		const char *unit, *want;
	} nums[] = { { 2, NULL, "2" }, { 2.5, NULL, "2.5" }, { 9.96, "N", "10 N" },
		     { 14.2, "%", "14 %" }, { -0.04, NULL, "0" }, { NAN, "N", "–" },
		     { 23456.7, "N·s", "23457 N·s" }, { 0.25, "s", "0.3 s" } };
	char buf[64];
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		bm_paper_fmt_num(nums[i].v, nums[i].unit, buf, sizeof buf);
		ck_assert_msg(strcmp(buf, nums[i].want) == 0, "number %g: expected \"%s\", got "
		              "\"%s\"", nums[i].v, nums[i].want, buf);
	}
	bm_paper_fmt_tick(0.6000000001, 0.2, buf, sizeof buf);
	ck_assert_msg(strcmp(buf, "0.6") == 0, "tick: expected \"0.6\", got \"%s\"", buf);
	bm_paper_fmt_date(FIX_S1_EPOCH, 1, buf, sizeof buf);
	ck_assert_msg(strcmp(buf, "2026-11-25 18:04") == 0, "date: expected 2026-11-25 18:04, "
	              "got %s", buf);
	bm_paper_fmt_date(NAN, 0, buf, sizeof buf);
	ck_assert_msg(strcmp(buf, "unknown") == 0, "no date: expected unknown, got %s", buf);

	ck_assert_int_eq(bm_paper_utf8_valid_len("abc"), 3);
	ck_assert_int_eq(bm_paper_utf8_valid_len("a\xC3\xA9z"), 4);
	ck_assert_int_eq(bm_paper_utf8_valid_len("ab\xE2\x80"), 2);       /* cut in two */
	ck_assert_int_eq(bm_paper_utf8_valid_len("a\xED\xA0\x80"), 1);    /* surrogate */
	ck_assert_int_eq(bm_paper_utf8_valid_len("a\xF4\x90\x80\x80"), 1); /* > U+10FFFF */
	bm_paper_copy_utf8(buf, 4, "a\xC3\xA9\xC3\xA9");
	ck_assert_msg(strcmp(buf, "a\xC3\xA9") == 0, "expected a cut on a character boundary, "
	              "got \"%s\"", buf);
}
END_TEST

/* Each test runs in its own process: drop cairo's and fontconfig's
 * caches at its end so that LeakSanitizer sees only real leaks. */
static void drop_caches(void)
{
	paper_fixture_drop_caches();
}

Suite *suite_paper(void)
{
	Suite *s = suite_create("paper");
	TCase *tc = tcase_create("paper");

	tcase_add_checked_fixture(tc, NULL, drop_caches);

	/* pdftotext and the PNG reader under ASan take a few seconds. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, pdf_holds_the_numbers);
	tcase_add_test(tc, pdf_banner_only_for_demo);
	tcase_add_test(tc, png_pixels_where_the_layout_says);
	tcase_add_test(tc, svg_well_formed_with_text);
	tcase_add_test(tc, bad_extension_one_line_no_file);
	tcase_add_test(tc, unwritable_folder_one_line_no_file);
	tcase_add_test(tc, failed_write_keeps_old_file);
	tcase_add_test(tc, bad_input_refused_before_any_file);
	tcase_add_test(tc, sparse_documents_still_draw);
	tcase_add_test(tc, cairo_status_translated);
	tcase_add_test(tc, overflowing_text_is_cut_with_a_note);
	tcase_add_test(tc, layout_queries);
	tcase_add_test(tc, decimate_an_hour_keeps_the_spike);
	tcase_add_test(tc, decimate_sparse_keeps_every_sample);
	tcase_add_test(tc, steps_numbers_dates);
	suite_add_tcase(s, tc);
	return s;
}
