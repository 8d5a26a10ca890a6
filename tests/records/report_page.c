/*
 * report_page.c - one page of a stacked report image, scaled: what the
 * README shows of a report (scripts/report_png.sh makes it).
 *
 *   report_page IN.png PAGE WIDTH_PX OUT.png
 *
 * PAGE counts from 1; pages are BM_PAPER_PNG_PAGE_H_PX tall in the image
 * bm_paper writes.  The page is drawn scaled to WIDTH_PX with cairo's
 * best filter; OUT.png is replaced.
 */
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>

#include "bm_paper.h"

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: report_page IN.png PAGE WIDTH_PX OUT.png\n");
		return 1;
	}
	int page = atoi(argv[2]), width = atoi(argv[3]);
	cairo_surface_t *in = cairo_image_surface_create_from_png(argv[1]);
	if (cairo_surface_status(in) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "report_page: %s: %s\n", argv[1],
		        cairo_status_to_string(cairo_surface_status(in)));
		return 1;
	}
	int pages = cairo_image_surface_get_height(in) / BM_PAPER_PNG_PAGE_H_PX;
	if (page < 1 || page > pages || width < 50 || width > 4 * BM_PAPER_PNG_PAGE_W_PX) {
		fprintf(stderr, "report_page: page 1 to %d, width 50 to %d px\n", pages,
		        4 * BM_PAPER_PNG_PAGE_W_PX);
		return 1;
	}
	double k = (double)width / BM_PAPER_PNG_PAGE_W_PX;
	int height = (int)(BM_PAPER_PNG_PAGE_H_PX * k + 0.5);
	cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	cairo_t *cr = cairo_create(out);
	cairo_scale(cr, k, k);
	cairo_set_source_surface(cr, in, 0, -(double)(page - 1) * BM_PAPER_PNG_PAGE_H_PX);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BEST);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_status_t st = cairo_surface_write_to_png(out, argv[4]);
	cairo_surface_destroy(out);
	cairo_surface_destroy(in);
	if (st != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "report_page: %s: %s\n", argv[4], cairo_status_to_string(st));
		return 3;
	}
	return 0;
}
