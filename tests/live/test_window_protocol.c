/*
 * test_window_protocol.c - a guided protocol in the real window, under a
 * virtual X display: the protocol screen (the set strip and the get-ready
 * countdown), the rest countdown, and the summary screen at the end, each
 * from `bridgemon replay FILE --protocol ... --screenshot OUT.png` of a
 * session made here (rest, one bilateral hold from 5 to 20 s, rest), and
 * checked for content where the view draws it.
 *
 *   test_window_protocol BRIDGEMON XVFB_RUN OUTDIR
 *
 * The screenshots stay in OUTDIR (protocol.png, rest.png, summary.png):
 * README's pictures are copies of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <png.h>

#include "bm_view.h"

static int failures;

#define EXPECT(cond, ...)                                          \
	do {                                                           \
		if (!(cond)) {                                             \
			fprintf(stderr, "FAIL: " __VA_ARGS__);                 \
			fputc('\n', stderr);                                   \
			failures++;                                            \
		}                                                          \
	} while (0)

static unsigned char *img;
static int W, H;

static int near(const unsigned char *p, SDL_Color k, int tol)
{
	return abs(p[0] - k.r) <= tol && abs(p[1] - k.g) <= tol && abs(p[2] - k.b) <= tol;
}

/* Pixels of @p r close to @p k. */
static int count(SDL_Rect r, SDL_Color k, int tol)
{
	int n = 0;
	for (int y = r.y; y < r.y + r.h && y < H; y++)
		for (int x = r.x; x < r.x + r.w && x < W; x++)
			n += near(img + 3 * ((size_t)y * (size_t)W + (size_t)x), k, tol);
	return n;
}

static int load(const char *path)
{
	png_image pi;
	free(img);
	img = NULL;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&pi, path)) {
		fprintf(stderr, "FAIL: no screenshot at %s: %s\n", path, pi.message);
		return -1;
	}
	pi.format = PNG_FORMAT_RGB;
	W = (int)pi.width;
	H = (int)pi.height;
	img = malloc(PNG_IMAGE_SIZE(pi));
	if (!img || !png_image_finish_read(&pi, NULL, img, 0, NULL))
		return -1;
	return 0;
}

/* A session at 80 Hz: rest 50/45 N, a hold of 250/220 N from 5 to 20 s. */
static void write_session(const char *path)
{
	FILE *f = fopen(path, "w");
	fputs("t_s,left_n,right_n\n", f);
	for (int i = 0; i < 80 * 120; i++) {
		double t = i / 80.0, up = t >= 5 && t < 20 ? 1 : 0;
		fprintf(f, "%.6f,%.3f,%.3f\n", t, 50 + 250 * up + 0.3 * ((i * 7) % 5 - 2),
		        45 + 220 * up + 0.3 * ((i * 3) % 5 - 2));
	}
	fclose(f);
}

static int shot(const char *bm, const char *xvfb, const char *env, const char *csv,
                const char *protocol, double seconds, const char *out)
{
	char cmd[4096];
	remove(out);
	snprintf(cmd, sizeof cmd,
	         "%s SDL_AUDIODRIVER=dummy '%s' -a -s '-screen 0 1280x720x24' '%s' replay '%s' "
	         "--speed 8 --seconds %g --protocol %s --screenshot '%s'",
	         env, xvfb, bm, csv, seconds, protocol, out);
	int rc = system(cmd);
	EXPECT(rc == 0, "%s: the replay exited with status %d", out, rc);
	return rc == 0 ? load(out) : -1;
}

int main(int argc, char **argv)
{
	char csv[600], conf[600], pdir[700], pfile[800], env[1400], out[3][700];
	struct bm_view_layout L;

	if (argc != 4) {
		fprintf(stderr, "usage: test_window_protocol BRIDGEMON XVFB_RUN OUTDIR\n");
		return 2;
	}
	snprintf(csv, sizeof csv, "%s/protocol-session.csv", argv[3]);
	write_session(csv);
	/* A one-set protocol of our own, for the summary. */
	snprintf(conf, sizeof conf, "%s/protocol-conf", argv[3]);
	snprintf(pdir, sizeof pdir, "%s/bridgemon/protocols", conf);
	snprintf(env, sizeof env, "mkdir -p '%s'", pdir);
	if (system(env) != 0)
		return 1;
	snprintf(pfile, sizeof pfile, "%s/one.protocol", pdir);
	FILE *f = fopen(pfile, "w");
	fputs("name: One hold\nset: hold 10 s\n", f);
	fclose(f);
	snprintf(env, sizeof env, "XDG_CONFIG_HOME='%s' XDG_DATA_HOME='%s'", conf, conf);
	for (int i = 0; i < 3; i++)
		snprintf(out[i], sizeof out[i], "%s/%s.png", argv[3],
		         i == 0 ? "protocol" : i == 1 ? "rest" : "summary");

	bm_view_layout_compute(1280, 720, &L);
	SDL_Color warn = bm_view_colour(BM_VIEW_C_WARN);
	SDL_Color text = bm_view_colour(BM_VIEW_C_TEXT);
	SDL_Rect t = L.trace;
	SDL_Rect centre = {t.x + t.w / 6, t.y + t.h / 4, t.w * 2 / 3, t.h / 3};
	SDL_Rect strip = {t.x, t.y + t.h - t.h / 3, t.w, t.h / 3};

	/* 1.5 s in: getting ready for set 1; the strip names the set. */
	if (shot(argv[1], argv[2], env, csv, "isometric", 1.5, out[0]) == 0) {
		EXPECT(count(centre, warn, 30) > 300, "get-ready countdown: %d warning-colour pixels",
		       count(centre, warn, 30));
		EXPECT(count(strip, text, 60) > 100, "protocol strip: %d text pixels", count(strip, text, 60));
	}
	/* 40 s in: the hold (5-20 s) ended short; resting. */
	if (shot(argv[1], argv[2], env, csv, "isometric", 40, out[1]) == 0) {
		EXPECT(count(centre, text, 40) > 300, "rest countdown: %d text pixels", count(centre, text, 40));
		EXPECT(count(centre, warn, 30) < 50, "the rest countdown is not the get-ready one");
	}
	/* 30 s in with a one-set protocol: finished, the summary screen. */
	if (shot(argv[1], argv[2], env, csv, "one", 30, out[2]) == 0) {
		SDL_Rect box = L.help;
		SDL_Rect foot = {box.x, box.y + box.h * 4 / 5, box.w, box.h / 5};
		EXPECT(count(box, text, 60) > 500, "summary: %d text pixels", count(box, text, 60));
		EXPECT(count(foot, bm_view_colour(BM_VIEW_C_DIM), 40) > 50, "summary: no closing line");
	}
	free(img);
	if (failures)
		return 1;
	printf("ok: protocol screen, rest countdown and summary screen (%s, %s, %s)\n", out[0], out[1],
	       out[2]);
	return 0;
}
