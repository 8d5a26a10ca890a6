/*
 * test_png.c - screenshots: a drawn frame saved with bm_png, read back
 * with libpng, must equal the surface pixel for pixel; failures leave no
 * file behind.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <png.h>

#include "view_tests.h"
#include "bm_png.h"

static int files_in(const char *dir)
{
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "opendir %s", dir);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

START_TEST(frame_round_trips_through_png)
{
	char dir[] = "/tmp/bm_view_png_XXXXXX";
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp");
	char path[256];
	snprintf(path, sizeof path, "%s/frame.png", dir);

	struct canvas c;
	canvas_open(&c, 480, 270);
	struct bm_view_model m;
	bm_view_model_init(&m);
	m.force_n[BM_LEFT] = 120;
	m.force_n[BM_RIGHT] = 260;
	m.zone_low_n = 150;
	m.zone_high_n = 250;
	m.asym_pct = 20;
	m.asym_weaker = BM_LEFT;
	m.asym_flagged = true;
	snprintf(m.source, sizeof m.source, "demo");
	canvas_draw(&c, &m);
	int rc = bm_png_save_renderer(c.r, path);
	ck_assert_msg(rc == BM_PNG_OK, "bm_png_save_renderer expected OK, got %d", rc);
	ck_assert_msg(files_in(dir) == 1, "expected only frame.png in %s (no temporary left)", dir);

	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	ck_assert_msg(png_image_begin_read_from_file(&img, path), "libpng cannot open it: %s",
	              img.message);
	ck_assert_msg(img.width == 480 && img.height == 270, "PNG is %ux%u, expected 480x270",
	              img.width, img.height);
	img.format = PNG_FORMAT_RGB;
	unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
	ck_assert_msg(png_image_finish_read(&img, NULL, px, 0, NULL), "libpng read: %s", img.message);
	int diff = 0, distinct_colours = 0;
	SDL_Color prev = {0, 0, 0, 0};
	for (int y = 0; y < 270; y++)
		for (int x = 0; x < 480; x++) {
			SDL_Color k = canvas_px(&c, x, y);
			const unsigned char *p = px + ((size_t)y * 480 + (size_t)x) * 3;
			if (p[0] != k.r || p[1] != k.g || p[2] != k.b)
				diff++;
			if (!colour_eq(k, prev))
				distinct_colours++;
			prev = k;
		}
	ck_assert_msg(diff == 0, "%d pixels differ between the PNG and the surface", diff);
	ck_assert_msg(distinct_colours > 100, "expected a real picture, not a blank one");
	free(px);
	canvas_close(&c);
	remove(path);
	rmdir(dir);
}
END_TEST

START_TEST(write_errors_leave_nothing)
{
	uint8_t rgb[2 * 2 * 3] = {0};
	ck_assert_int_eq(bm_png_write_rgb(NULL, rgb, 2, 2, 6), BM_PNG_ERR_ARG);
	ck_assert_int_eq(bm_png_write_rgb("/tmp/x.png", NULL, 2, 2, 6), BM_PNG_ERR_ARG);
	ck_assert_int_eq(bm_png_write_rgb("/tmp/x.png", rgb, 0, 2, 6), BM_PNG_ERR_ARG);
	ck_assert_int_eq(bm_png_write_rgb("/tmp/x.png", rgb, 2, 2, 5), BM_PNG_ERR_ARG);
	ck_assert_int_eq(bm_png_save_renderer(NULL, "/tmp/x.png"), BM_PNG_ERR_ARG);
	int rc = bm_png_write_rgb("/nonexistent-dir/x.png", rgb, 2, 2, 6);
	ck_assert_msg(rc == BM_PNG_ERR_WRITE, "unwritable folder: expected BM_PNG_ERR_WRITE, got %d", rc);

	char dir[] = "/tmp/bm_view_png_XXXXXX";
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp");
	char path[256];
	snprintf(path, sizeof path, "%s/small.png", dir);
	ck_assert_int_eq(bm_png_write_rgb(path, rgb, 2, 2, 6), BM_PNG_OK);
	ck_assert_msg(files_in(dir) == 1, "expected exactly the PNG in %s", dir);
	remove(path);
	rmdir(dir);
}
END_TEST

Suite *suite_png(void)
{
	Suite *s = suite_create("png");
	TCase *tc = tcase_create("png");
	tcase_add_test(tc, frame_round_trips_through_png);
	tcase_add_test(tc, write_errors_leave_nothing);
	suite_add_tcase(s, tc);
	return s;
}
