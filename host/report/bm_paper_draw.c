/*
 * bm_paper_draw.c - the small pieces every page uses: colours, text in
 * DejaVu Sans (aligned, wrapped, kept for the SVG's description), numbers
 * and dates as the pages print them, axis steps and the footer.
 *
 * Sizes of text are given in points, as a typographer would, and turned
 * into mm here, because the user space of every page is millimetres.
 */
#include "bm_paper_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bm_config.h"

const struct bm_paper_rgb bm_paper_leg_rgb[2] = {
	{ 0.12, 0.38, 0.72 }, /* left: blue */
	{ 0.86, 0.40, 0.04 }, /* right: orange */
};
const struct bm_paper_rgb bm_paper_pain_rgb = { 0.50, 0.22, 0.62 };
const struct bm_paper_rgb bm_paper_lsi_rgb = { 0.05, 0.50, 0.42 };

/* The project's text face (Debian: fonts-dejavu-core), as in the window; cairo
 * asks fontconfig, which falls back to a similar face if it is missing. */
static const char font_family[] = "DejaVu Sans";

void bm_paper_set_rgb(cairo_t *cr, struct bm_paper_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void bm_paper_set_grey(cairo_t *cr, double v)
{
	cairo_set_source_rgb(cr, v, v, v);
}

static void set_font(cairo_t *cr, double size_pt, int bold)
{
	cairo_select_font_face(cr, font_family, CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size_pt * BM_PAPER_MM_PER_PT);
}

static void collect(struct bm_paper_ctx *c, const char *s, size_t n)
{
	if (!c->collect || c->nomem)
		return;
	if (c->text_len + n + 2 > c->text_cap) {
		size_t cap = c->text_cap ? c->text_cap : 4096;
		while (c->text_len + n + 2 > cap)
			cap *= 2;
		char *t = realloc(c->text, cap);
		if (!t) {
			c->nomem = 1;
			return;
		}
		c->text = t;
		c->text_cap = cap;
	}
	memcpy(c->text + c->text_len, s, n);
	c->text_len += n;
	c->text[c->text_len++] = '\n';
	c->text[c->text_len] = '\0';
}

size_t bm_paper_utf8_valid_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (p[i]) {
		unsigned c = p[i];
		size_t n;
		unsigned long cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		/* Overlong forms, UTF-16 surrogates and beyond U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return i;
}

void bm_paper_copy_utf8(char *dst, size_t cap, const char *s)
{
	size_t n = bm_paper_utf8_valid_len(s);
	if (cap == 0)
		return;
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

double bm_paper_text_width(struct bm_paper_ctx *c, double size_pt, int bold, const char *s)
{
	cairo_text_extents_t ext;

	if (!s || !*s)
		return 0;
	set_font(c->cr, size_pt, bold);
	cairo_text_extents(c->cr, s, &ext);
	return ext.x_advance;
}

const char *bm_paper_fit(struct bm_paper_ctx *c, double size_pt, int bold, const char *s,
                         double w_mm, char *buf, size_t len)
{
	static const char ell[] = "…";

	if (!s)
		return "";
	if (bm_paper_text_width(c, size_pt, bold, s) <= w_mm || len < sizeof ell + 1)
		return s;
	size_t n = bm_paper_utf8_valid_len(s);
	if (n > len - sizeof ell)
		n = len - sizeof ell;
	while (n > 0) {
		n--;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		memcpy(buf, s, n);
		memcpy(buf + n, ell, sizeof ell);
		if (bm_paper_text_width(c, size_pt, bold, buf) <= w_mm)
			return buf;
	}
	return ell;
}

double bm_paper_text(struct bm_paper_ctx *c, double x, double y, double size_pt, int bold,
                     enum bm_paper_align align, const char *s)
{
	char safe[1024];

	if (!s || !*s)
		return 0;
	/* Input text was validated; this catches a snprintf that cut a
	 * character in two, which cairo would turn into a sticky error. */
	if (s[bm_paper_utf8_valid_len(s)] != '\0') {
		bm_paper_copy_utf8(safe, sizeof safe, s);
		s = safe;
	}
	double w = bm_paper_text_width(c, size_pt, bold, s);
	if (align == BM_PAPER_ALIGN_CENTER)
		x -= w / 2;
	else if (align == BM_PAPER_ALIGN_RIGHT)
		x -= w;
	cairo_move_to(c->cr, x, y);
	cairo_show_text(c->cr, s);
	cairo_new_path(c->cr);
	collect(c, s, strlen(s));
	return w;
}

/* Longest prefix of p[0..n) that ends on a character boundary and fits
 * in w_mm; at least one character, so wrapping always advances. */
static size_t fit_prefix(struct bm_paper_ctx *c, const char *p, size_t n, double w_mm,
                         double size_pt, int bold, char *buf)
{
	size_t best = 0;
	size_t i = 0;

	while (i < n) {
		size_t j = i + 1;
		while (j < n && ((unsigned char)p[j] & 0xC0) == 0x80)
			j++;
		memcpy(buf, p, j);
		buf[j] = '\0';
		if (best > 0 && bm_paper_text_width(c, size_pt, bold, buf) > w_mm)
			break;
		best = j;
		i = j;
	}
	return best;
}

int bm_paper_wrap(struct bm_paper_ctx *c, double x_mm, double *y_mm, double w_mm,
                  double size_pt, int bold, double line_mm, double y_max_mm, const char *s)
{
	/* A line longer than this is broken even inside a word; at 6 pt a
	 * page line holds about 120 characters, so it never happens in
	 * practice but keeps the buffer bounded. */
	char buf[512];
	const char *p = s;

	if (!s)
		return 0;
	while (*p == ' ')
		p++;
	while (*p) {
		if (*y_mm > y_max_mm)
			return 1;
		size_t best = 0;
		for (;;) {
			size_t e = best;
			while (p[e] == ' ')
				e++;
			while (p[e] && p[e] != ' ')
				e++;
			if (e >= sizeof buf)
				break;
			memcpy(buf, p, e);
			buf[e] = '\0';
			if (bm_paper_text_width(c, size_pt, bold, buf) > w_mm)
				break;
			best = e;
			if (!p[e])
				break;
		}
		if (best == 0) {
			/* The first word alone is too wide: break inside it. */
			size_t n = strcspn(p, " ");
			if (n >= sizeof buf)
				n = sizeof buf - 1;
			best = fit_prefix(c, p, n, w_mm, size_pt, bold, buf);
		}
		memcpy(buf, p, best);
		buf[best] = '\0';
		bm_paper_text(c, x_mm, *y_mm, size_pt, bold, BM_PAPER_ALIGN_LEFT, buf);
		p += best;
		while (*p == ' ')
			p++;
		*y_mm += line_mm;
	}
	return 0;
}

void bm_paper_fmt_date(double epoch_s, int with_time, char *buf, size_t len)
{
	struct tm tm;
	time_t t;

	if (!isfinite(epoch_s) || epoch_s < -1e15 || epoch_s > 1e15) {
		snprintf(buf, len, "unknown");
		return;
	}
	t = (time_t)floor(epoch_s);
	if (!localtime_r(&t, &tm)) {
		snprintf(buf, len, "unknown");
		return;
	}
	if (strftime(buf, len, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm) == 0 && len)
		buf[0] = '\0';
}

void bm_paper_fmt_num(double v, const char *unit, char *buf, size_t len)
{
	const char *sep = unit ? " " : "";

	if (!unit)
		unit = "";
	if (!isfinite(v)) {
		snprintf(buf, len, "–");
		return;
	}
	double r1 = round(v * 10.0) / 10.0;
	if (fabs(r1) >= 10.0 || r1 == round(r1)) {
		double r0 = round(v);
		if (r0 == 0)
			r0 = 0.0; /* never print "-0" */
		snprintf(buf, len, "%.0f%s%s", r0, sep, unit);
	} else {
		snprintf(buf, len, "%.1f%s%s", r1, sep, unit);
	}
}

double bm_paper_nice_step(double span, double target)
{
	if (!(span > 0) || !isfinite(span) || !(target > 0))
		return 1.0;
	double raw = span / target;
	double p = pow(10.0, floor(log10(raw)));
	double m = raw / p;
	/* The nearest of 1, 2, 5, 10 on a log scale: the thresholds are
	 * their geometric means. */
	double nice = m < 1.4142 ? 1.0 : m < 3.1623 ? 2.0 : m < 7.0711 ? 5.0 : 10.0;
	return nice * p;
}

void bm_paper_fmt_tick(double v, double step, char *buf, size_t len)
{
	int dec = 0;
	if (step < 1.0 && step > 0)
		dec = (int)ceil(-log10(step) - 1e-9);
	if (dec > 6)
		dec = 6;
	if (fabs(v) < step * 1e-6)
		v = 0.0;
	snprintf(buf, len, "%.*f", dec, v);
}

void bm_paper_y_axis(struct bm_paper_ctx *c, const struct bm_paper_rect *r, double lo,
                     double hi, double step, int right, int grid,
                     const struct bm_paper_rgb *ink)
{
	cairo_t *cr = c->cr;
	char lab[32];

	if (!(hi > lo) || !(step > 0))
		return;
	double k0 = ceil(lo / step - 1e-9), k1 = floor(hi / step + 1e-9);
	for (double k = k0; k <= k1; k++) {
		double v = k * step;
		double y = r->y_mm + r->h_mm - (v - lo) / (hi - lo) * r->h_mm;
		if (grid) {
			bm_paper_set_grey(cr, 0.86);
			cairo_set_line_width(cr, 0.15);
			cairo_move_to(cr, r->x_mm, y);
			cairo_line_to(cr, r->x_mm + r->w_mm, y);
			cairo_stroke(cr);
		}
		if (ink)
			bm_paper_set_rgb(cr, *ink);
		else
			bm_paper_set_grey(cr, 0.25);
		cairo_set_line_width(cr, 0.2);
		double xe = right ? r->x_mm + r->w_mm : r->x_mm;
		cairo_move_to(cr, xe, y);
		cairo_line_to(cr, right ? xe + 1.0 : xe - 1.0, y);
		cairo_stroke(cr);
		bm_paper_fmt_tick(v, step, lab, sizeof lab);
		bm_paper_text(c, right ? xe + 1.6 : xe - 1.6, y + 0.9, 7, 0,
		              right ? BM_PAPER_ALIGN_LEFT : BM_PAPER_ALIGN_RIGHT, lab);
	}
}

void bm_paper_footer(struct bm_paper_ctx *c, size_t page)
{
	cairo_t *cr = c->cr;
	char who_buf[256], left[320], right[64], date[32];
	const double y = BM_PAPER_PAGE_H_MM - 10.0;
	const char *who = c->doc->athlete;

	bm_paper_set_grey(cr, 0.7);
	cairo_set_line_width(cr, 0.2);
	cairo_move_to(cr, BM_PAPER_MARGIN_MM, y - 4.0);
	cairo_line_to(cr, BM_PAPER_PAGE_W_MM - BM_PAPER_MARGIN_MM, y - 4.0);
	cairo_stroke(cr);

	if (who && *who) {
		snprintf(left, sizeof left, "%s · page %zu of %zu",
		         bm_paper_fit(c, 7.5, 0, who, 55.0, who_buf, sizeof who_buf), page + 1,
		         c->n_pages);
	}
	else
		snprintf(left, sizeof left, "page %zu of %zu", page + 1, c->n_pages);
	bm_paper_fmt_date(c->generated_epoch_s, 1, date, sizeof date);
	snprintf(right, sizeof right, "generated %s", date);
	bm_paper_set_grey(cr, 0.35);
	bm_paper_text(c, BM_PAPER_MARGIN_MM, y, 7.5, 0, BM_PAPER_ALIGN_LEFT, left);
	bm_paper_text(c, BM_PAPER_PAGE_W_MM / 2, y, 7.5, 0, BM_PAPER_ALIGN_CENTER,
	              "bridgemon " BM_VERSION);
	bm_paper_text(c, BM_PAPER_PAGE_W_MM - BM_PAPER_MARGIN_MM, y, 7.5, 0,
	              BM_PAPER_ALIGN_RIGHT, right);
}
