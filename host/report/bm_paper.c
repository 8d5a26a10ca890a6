/*
 * bm_paper.c - the writer: checks the document, picks the format from the
 * file name, draws every page on the matching cairo surface, and puts the
 * bytes in place atomically; also the layout queries and the defaults.
 *
 * The bytes go through a cairo write callback into a temporary file made
 * with mkstemp() beside the target, which is synced and renamed over it:
 * a crash, a full disk or a cairo error leaves the old file (or nothing),
 * never half a report.  SVG is collected in memory first, because its page
 * text (drawn by cairo as glyph shapes) is added as <title> and <desc>
 * just inside the root element.
 *
 * All input is checked before any file is made, so bad input costs nothing
 * on disk and gets a message naming the session and the value.
 */
#include "bm_paper.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bm_config.h"
#include "bm_fileio.h"
#include "bm_paper_priv.h"

#define PT_PER_MM (72.0 / 25.4)
#define PX_PER_MM (BM_PAPER_PNG_DPI / 25.4)

enum format { FMT_PDF, FMT_PNG, FMT_SVG };

void bm_paper_session_default(struct bm_paper_session *s)
{
	memset(s, 0, sizeof *s);
	s->started_epoch_s = NAN;
	s->knee_angle_deg = NAN;
	s->hip_angle_deg = NAN;
	s->sample_rate_hz = NAN;
	s->duration_s = NAN;
	for (int leg = 0; leg < 2; leg++) {
		struct bm_paper_leg_row *r = &s->legs[leg];
		r->hold_time_s = 0;
		r->best_hold_n = r->mean_hold_n = r->impulse_ns = r->best_rep_n = NAN;
	}
	s->asym.weaker_pct = s->asym.ci_low_pct = s->asym.ci_high_pct = NAN;
	s->pain.before = s->pain.after = s->pain.next_morning = NAN;
}

void bm_paper_progress_default(struct bm_paper_progress *p)
{
	memset(p, 0, sizeof *p);
	p->lsi_mark_pct = 90.0;
}

void bm_paper_doc_default(struct bm_paper_doc *d)
{
	memset(d, 0, sizeof *d);
	d->generated_epoch_s = NAN;
}

size_t bm_paper_page_count(const struct bm_paper_doc *doc)
{
	return doc->n_sessions + (doc->progress ? 1 : 0);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
/* Fill msg with one line; returns -1 so that checks can `return say(...)`. */
static int say(char *msg, size_t msg_len, const char *fmt, ...)
{
	va_list ap;

	if (!msg || msg_len == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, msg_len, fmt, ap);
	va_end(ap);
	/* One line, whatever a caller's string held. */
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return -1;
}

/* ---- checking the input ------------------------------------------------ */

static int text_ok(const char *s)
{
	return !s || s[bm_paper_utf8_valid_len(s)] == '\0';
}

static int lines_ok(const char *const *l, size_t n, size_t *bad)
{
	if (n && !l)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!text_ok(l[i])) {
			*bad = i;
			return 0;
		}
	return 1;
}

static int check_session(const struct bm_paper_session *s, size_t k, char *msg, size_t len)
{
	const struct bm_paper_trace *tr = &s->trace;
	size_t bad = 0;

	if (tr->n && (!tr->t_s || !tr->left_n || !tr->right_n))
		return say(msg, len, "session %zu: trace of %zu samples without its arrays", k + 1,
		           tr->n);
	for (size_t i = 0; i < tr->n; i++) {
		if (!isfinite(tr->t_s[i]))
			return say(msg, len, "session %zu: trace time %zu is not a number", k + 1,
			           i);
		if (i > 0 && tr->t_s[i] < tr->t_s[i - 1])
			return say(msg, len, "session %zu: trace time goes back at sample %zu "
			           "(%.6f s after %.6f s)", k + 1, i, tr->t_s[i],
			           tr->t_s[i - 1]);
		if (isinf(tr->left_n[i]) || isinf(tr->right_n[i]))
			return say(msg, len, "session %zu: force at sample %zu is infinite", k + 1,
			           i);
	}
	if (s->n_efforts && !s->efforts)
		return say(msg, len, "session %zu: %zu efforts without their array", k + 1,
		           s->n_efforts);
	for (size_t i = 0; i < s->n_efforts; i++) {
		const struct bm_paper_effort *e = &s->efforts[i];
		if (e->leg != BM_PAPER_LEFT && e->leg != BM_PAPER_RIGHT)
			return say(msg, len, "session %zu: effort %zu has leg %d (0 left, 1 right)",
			           k + 1, i, e->leg);
		if (e->kind != BM_PAPER_HOLD && e->kind != BM_PAPER_REP)
			return say(msg, len, "session %zu: effort %zu has kind %d (0 hold, 1 rep)",
			           k + 1, i, (int)e->kind);
		if (!isfinite(e->start_s) || !isfinite(e->end_s) || e->end_s < e->start_s)
			return say(msg, len, "session %zu: effort %zu runs from %g s to %g s", k + 1,
			           i, e->start_s, e->end_s);
	}
	if (s->n_gaps && !s->gaps)
		return say(msg, len, "session %zu: %zu gaps without their array", k + 1,
		           s->n_gaps);
	for (size_t i = 0; i < s->n_gaps; i++) {
		const struct bm_paper_gap *g = &s->gaps[i];
		if (!isfinite(g->start_s) || !isfinite(g->end_s) || g->end_s < g->start_s ||
		    (i > 0 && g->start_s < s->gaps[i - 1].end_s))
			return say(msg, len, "session %zu: gap %zu (%g s to %g s) is not after the "
			           "one before it", k + 1, i, g->start_s, g->end_s);
	}
	if (s->legs[0].hold_time_s < 0 || s->legs[1].hold_time_s < 0)
		return say(msg, len, "session %zu: negative hold time", k + 1);
	if (s->asym.weaker_leg != BM_PAPER_LEFT && s->asym.weaker_leg != BM_PAPER_RIGHT)
		return say(msg, len, "session %zu: weaker leg %d (0 left, 1 right)", k + 1,
		           s->asym.weaker_leg);
	if (!text_ok(s->exercise) || !text_ok(s->protocol) || !text_ok(s->station) ||
	    !text_ok(s->asym.verdict) || !text_ok(s->pain.zone) || !text_ok(s->pain.advice))
		return say(msg, len, "session %zu: a text field is not valid UTF-8", k + 1);
	if (!lines_ok(s->protocol_lines, s->n_protocol_lines, &bad))
		return say(msg, len, "session %zu: protocol line %zu is missing or not UTF-8",
		           k + 1, bad);
	if (!lines_ok(s->confidence_lines, s->n_confidence_lines, &bad))
		return say(msg, len, "session %zu: confidence line %zu is missing or not UTF-8",
		           k + 1, bad);
	return 0;
}

static int check_progress(const struct bm_paper_progress *p, char *msg, size_t len)
{
	if ((p->n_points && !p->points) || (p->n_changes && !p->changes) ||
	    (p->n_ready && !p->ready))
		return say(msg, len, "progress: a count without its array");
	for (size_t i = 0; i < p->n_points; i++) {
		const struct bm_paper_point *q = &p->points[i];
		if (!isfinite(q->epoch_s) || fabs(q->epoch_s) > 1e12)
			return say(msg, len, "progress: point %zu has no date", i);
		if (i > 0 && q->epoch_s < p->points[i - 1].epoch_s)
			return say(msg, len, "progress: point %zu is older than the one before it",
			           i);
		if (isinf(q->left_n) || isinf(q->right_n) || isinf(q->lsi_pct) ||
		    (isfinite(q->pain) && (q->pain < 0 || q->pain > 10)))
			return say(msg, len, "progress: point %zu has an infinite value or pain "
			           "outside 0-10", i);
	}
	for (size_t i = 0; i < p->n_changes; i++)
		if (!text_ok(p->changes[i].text) || !text_ok(p->changes[i].label))
			return say(msg, len, "progress: change %zu is not valid UTF-8", i);
	for (size_t i = 0; i < p->n_ready; i++) {
		const struct bm_paper_ready_item *it = &p->ready[i];
		if (it->status != BM_PAPER_MET && it->status != BM_PAPER_NOT_MET &&
		    it->status != BM_PAPER_UNKNOWN)
			return say(msg, len, "progress: readiness item %zu has status %d", i,
			           (int)it->status);
		if (!text_ok(it->text) || !text_ok(it->numbers))
			return say(msg, len, "progress: readiness item %zu is not valid UTF-8", i);
	}
	if (!text_ok(p->force_label))
		return say(msg, len, "progress: force label is not valid UTF-8");
	return 0;
}

static int check_doc(const struct bm_paper_doc *doc, char *msg, size_t len)
{
	if (bm_paper_page_count(doc) == 0)
		return say(msg, len, "nothing to draw: no sessions and no progress");
	if (doc->n_sessions && !doc->sessions)
		return say(msg, len, "%zu sessions without their array", doc->n_sessions);
	if (!text_ok(doc->athlete))
		return say(msg, len, "the athlete's name is not valid UTF-8");
	for (size_t k = 0; k < doc->n_sessions; k++)
		if (check_session(&doc->sessions[k], k, msg, len) != 0)
			return -1;
	if (doc->progress && check_progress(doc->progress, msg, len) != 0)
		return -1;
	return 0;
}

/* ---- layout --------------------------------------------------------------- */

static void layout_page(const struct bm_paper_doc *doc, size_t page, struct bm_paper_layout *out)
{
	memset(out, 0, sizeof *out);
	if (page < doc->n_sessions)
		bm_paper_session_layout(&doc->sessions[page], page, out);
	else
		bm_paper_progress_layout(doc->progress, page, out);
}

int bm_paper_layout(const struct bm_paper_doc *doc, size_t page, struct bm_paper_layout *out)
{
	if (!out)
		return BM_PAPER_ERR_ARG;
	memset(out, 0, sizeof *out);
	if (!doc || page >= bm_paper_page_count(doc) || check_doc(doc, NULL, 0) != 0)
		return BM_PAPER_ERR_ARG;
	layout_page(doc, page, out);
	return BM_PAPER_OK;
}

void bm_paper_layout_xy(const struct bm_paper_layout *l, double t_s, double force_n,
                        double *x_mm, double *y_mm)
{
	const struct bm_paper_rect *r = &l->plot;
	*x_mm = r->x_mm + (t_s - l->t_min_s) / (l->t_max_s - l->t_min_s) * r->w_mm;
	*y_mm = r->y_mm + r->h_mm -
		(force_n - l->force_min_n) / (l->force_max_n - l->force_min_n) * r->h_mm;
}

void bm_paper_layout_lsi_xy(const struct bm_paper_layout *l, double t_s, double lsi_pct,
                            double *x_mm, double *y_mm)
{
	const struct bm_paper_rect *r = &l->lsi_plot;
	*x_mm = r->x_mm + (t_s - l->t_min_s) / (l->t_max_s - l->t_min_s) * r->w_mm;
	*y_mm = r->y_mm + r->h_mm -
		(lsi_pct - l->lsi_min_pct) / (l->lsi_max_pct - l->lsi_min_pct) * r->h_mm;
}

void bm_paper_layout_png_px(const struct bm_paper_layout *l, double x_mm, double y_mm,
                            double *x_px, double *y_px)
{
	*x_px = x_mm * PX_PER_MM;
	*y_px = (double)l->page * BM_PAPER_PNG_PAGE_H_PX + y_mm * PX_PER_MM;
}

/* ---- output --------------------------------------------------------------- */

int bm_paper_status_err(cairo_status_t st, int write_errno, const char *path, char *msg,
                        size_t msg_len)
{
	/* A failed write shows in cairo as WRITE_ERROR (or a later error);
	 * the errno the callback kept says what really happened. */
	if (write_errno && write_errno != ENOMEM) {
		say(msg, msg_len, "%s: cannot write: %s", path, strerror(write_errno));
		return BM_PAPER_ERR_IO;
	}
	if (st == CAIRO_STATUS_NO_MEMORY || write_errno == ENOMEM) {
		say(msg, msg_len, "%s: out of memory while drawing", path);
		return BM_PAPER_ERR_NOMEM;
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		say(msg, msg_len, "%s: drawing failed: %s", path, cairo_status_to_string(st));
		return BM_PAPER_ERR_CAIRO;
	}
	return BM_PAPER_OK;
}

/* Where cairo's bytes go: the temporary file, or memory for SVG. */
struct sink {
	int fd;
	int err;          /* errno of the first failed write */
	int to_mem;
	char *buf;
	size_t len, cap;
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int n)
{
	struct sink *s = closure;

	if (s->err)
		return CAIRO_STATUS_WRITE_ERROR;
	if (!s->to_mem) {
		if (write_all(s->fd, (const char *)data, n) != 0) {
			s->err = errno;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		return CAIRO_STATUS_SUCCESS;
	}
	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		while (s->len + n > cap)
			cap *= 2;
		char *b = realloc(s->buf, cap);
		if (!b) {
			s->err = ENOMEM;
			return CAIRO_STATUS_NO_MEMORY;
		}
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	return CAIRO_STATUS_SUCCESS;
}

static void draw_page(struct bm_paper_ctx *c, size_t page)
{
	struct bm_paper_layout l;

	layout_page(c->doc, page, &l);
	if (page < c->doc->n_sessions)
		bm_paper_draw_session(c, &c->doc->sessions[page], &l);
	else
		bm_paper_draw_progress(c, c->doc->progress, &l);
}

/* Draw every page on a surface that is already set up; the context's
 * status (sticky in cairo) says whether all went well. */
static cairo_status_t draw_pdf(struct bm_paper_ctx *c, struct sink *sk)
{
	cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(
		sink_write, sk, BM_PAPER_PAGE_W_MM * PT_PER_MM, BM_PAPER_PAGE_H_MM * PT_PER_MM);
	char title[200];
	const char *who = c->doc->athlete;

	snprintf(title, sizeof title, "bridgemon report%s%s", who && *who ? " — " : "",
	         who ? who : "");
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "bridgemon " BM_VERSION);
	c->cr = cairo_create(sf);
	cairo_scale(c->cr, PT_PER_MM, PT_PER_MM);
	for (size_t p = 0; p < c->n_pages && cairo_status(c->cr) == CAIRO_STATUS_SUCCESS; p++) {
		draw_page(c, p);
		cairo_show_page(c->cr);
	}
	cairo_status_t st = cairo_status(c->cr);
	cairo_destroy(c->cr);
	c->cr = NULL;
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	return st;
}

static cairo_status_t draw_png(struct bm_paper_ctx *c, struct sink *sk)
{
	cairo_surface_t *sf = cairo_image_surface_create(
		CAIRO_FORMAT_RGB24, BM_PAPER_PNG_PAGE_W_PX, (int)c->n_pages * BM_PAPER_PNG_PAGE_H_PX);

	c->cr = cairo_create(sf);
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	cairo_paint(c->cr);
	for (size_t p = 0; p < c->n_pages && cairo_status(c->cr) == CAIRO_STATUS_SUCCESS; p++) {
		cairo_save(c->cr);
		cairo_translate(c->cr, 0, (double)p * BM_PAPER_PNG_PAGE_H_PX);
		if (p > 0) {
			/* A hairline where one sheet ends and the next begins. */
			cairo_set_source_rgb(c->cr, 0.6, 0.6, 0.6);
			cairo_rectangle(c->cr, 0, 0, BM_PAPER_PNG_PAGE_W_PX, 1);
			cairo_fill(c->cr);
		}
		cairo_scale(c->cr, PX_PER_MM, PX_PER_MM);
		draw_page(c, p);
		cairo_restore(c->cr);
	}
	cairo_status_t st = cairo_status(c->cr);
	cairo_destroy(c->cr);
	c->cr = NULL;
	cairo_surface_flush(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(sf, sink_write, sk);
	cairo_surface_destroy(sf);
	return st;
}

static cairo_status_t draw_svg(struct bm_paper_ctx *c, struct sink *sk)
{
	/* Surface size in mm with mm as the document unit: the SVG's user
	 * space is the page's own, width="210mm", no scaling needed. */
	cairo_surface_t *sf = cairo_svg_surface_create_for_stream(
		sink_write, sk, BM_PAPER_PAGE_W_MM, BM_PAPER_PAGE_H_MM * (double)c->n_pages);

	cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_MM);
	c->cr = cairo_create(sf);
	c->collect = 1;
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	cairo_paint(c->cr);
	for (size_t p = 0; p < c->n_pages && cairo_status(c->cr) == CAIRO_STATUS_SUCCESS; p++) {
		cairo_save(c->cr);
		cairo_translate(c->cr, 0, (double)p * BM_PAPER_PAGE_H_MM);
		draw_page(c, p);
		cairo_restore(c->cr);
	}
	cairo_status_t st = cairo_status(c->cr);
	cairo_destroy(c->cr);
	c->cr = NULL;
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	return st;
}

/* Write s to fd with XML's five special characters escaped. */
static int write_escaped(int fd, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default: break;
		}
		if (!rep)
			continue;
		if (write_all(fd, s + run, i - run) != 0 || write_all(fd, rep, strlen(rep)) != 0)
			return -1;
		run = i + 1;
	}
	return write_all(fd, s + run, n - run);
}

/* The SVG from memory to the file, with <title> and <desc> put just
 * after the root element's start tag. */
static int svg_out(const struct bm_paper_ctx *c, const struct sink *sk, int fd)
{
	const char *root = NULL;
	for (size_t i = 0; i + 4 < sk->len; i++)
		if (memcmp(sk->buf + i, "<svg", 4) == 0) {
			root = sk->buf + i;
			break;
		}
	const char *gt = root ? memchr(root, '>', (size_t)(sk->buf + sk->len - root)) : NULL;
	if (!gt) {
		errno = EPROTO;
		return -1;
	}
	size_t head = (size_t)(gt + 1 - sk->buf);
	const char *who = c->doc->athlete;
	static const char t0[] = "\n<title>bridgemon report", t1[] = "</title>\n<desc>\n",
			  t2[] = "</desc>";
	if (write_all(fd, sk->buf, head) != 0 || write_all(fd, t0, sizeof t0 - 1) != 0)
		return -1;
	if (who && *who && (write_all(fd, " — ", strlen(" — ")) != 0 ||
	                    write_escaped(fd, who, strlen(who)) != 0))
		return -1;
	if (write_all(fd, t1, sizeof t1 - 1) != 0 ||
	    write_escaped(fd, c->text ? c->text : "", c->text_len) != 0 ||
	    write_all(fd, t2, sizeof t2 - 1) != 0 ||
	    write_all(fd, sk->buf + head, sk->len - head) != 0)
		return -1;
	return 0;
}

static int format_of(const char *path, enum format *f, char *msg, size_t len)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');

	if (!dot || dot == base)
		return say(msg, len, "%s: no file extension to choose the format by "
		           "(use .pdf, .png or .svg)", path);
	if (strcasecmp(dot, ".pdf") == 0)
		*f = FMT_PDF;
	else if (strcasecmp(dot, ".png") == 0)
		*f = FMT_PNG;
	else if (strcasecmp(dot, ".svg") == 0)
		*f = FMT_SVG;
	else
		return say(msg, len, "%s: unknown report format \"%s\" (use .pdf, .png or .svg)",
		           path, dot);
	return 0;
}

int bm_paper_write(const char *path, const struct bm_paper_doc *doc, char *msg,
                   size_t msg_len)
{
	enum format fmt;
	struct bm_paper_ctx c;
	struct sink sk;
	char *tmp;
	int rc;
	cairo_status_t st;

	if (msg && msg_len)
		msg[0] = '\0';
	if (!path || !*path || !doc) {
		say(msg, msg_len, "no %s given", !doc ? "report" : "file name");
		return BM_PAPER_ERR_ARG;
	}
	if (format_of(path, &fmt, msg, msg_len) != 0 || check_doc(doc, msg, msg_len) != 0)
		return BM_PAPER_ERR_ARG;
	size_t n_pages = bm_paper_page_count(doc);
	if (fmt == FMT_PNG && n_pages > BM_PAPER_PNG_MAX_PAGES) {
		say(msg, msg_len, "%s: %zu pages are too many for one PNG (at most %d); "
		    "use .pdf", path, n_pages, BM_PAPER_PNG_MAX_PAGES);
		return BM_PAPER_ERR_ARG;
	}

	memset(&c, 0, sizeof c);
	memset(&sk, 0, sizeof sk);
	c.doc = doc;
	c.n_pages = n_pages;
	c.generated_epoch_s = isfinite(doc->generated_epoch_s) ? doc->generated_epoch_s
	                                                        : (double)time(NULL);
	size_t pl = strlen(path);
	tmp = malloc(pl + 12);
	if (!tmp) {
		say(msg, msg_len, "%s: out of memory", path);
		return BM_PAPER_ERR_NOMEM;
	}
	memcpy(tmp, path, pl);
	memcpy(tmp + pl, ".tmp-XXXXXX", 12);
	sk.fd = mkstemp(tmp);
	if (sk.fd < 0) {
		say(msg, msg_len, "%s: cannot create the file: %s", path, strerror(errno));
		free(tmp);
		return BM_PAPER_ERR_IO;
	}
	/* mkstemp makes 0600; a report is meant to be read by others. */
	fchmod(sk.fd, 0644);

	sk.to_mem = fmt == FMT_SVG;
	st = fmt == FMT_PDF ? draw_pdf(&c, &sk) : fmt == FMT_PNG ? draw_png(&c, &sk)
	                                                         : draw_svg(&c, &sk);
	rc = bm_paper_status_err(c.nomem ? CAIRO_STATUS_NO_MEMORY : st, sk.err, path, msg,
	                         msg_len);
	if (rc == BM_PAPER_OK &&
	    ((fmt == FMT_SVG && svg_out(&c, &sk, sk.fd) != 0) || fsync(sk.fd) != 0)) {
		say(msg, msg_len, "%s: cannot write: %s", path, strerror(errno));
		rc = BM_PAPER_ERR_IO;
	}
	if (close(sk.fd) != 0 && rc == BM_PAPER_OK) {
		say(msg, msg_len, "%s: cannot write: %s", path, strerror(errno));
		rc = BM_PAPER_ERR_IO;
	}
	if (rc == BM_PAPER_OK && rename(tmp, path) != 0) {
		say(msg, msg_len, "%s: cannot put the file in place: %s", path, strerror(errno));
		rc = BM_PAPER_ERR_IO;
	}
	if (rc != BM_PAPER_OK)
		unlink(tmp);
	else
		bm_sync_parent_dir(path); /* the rename survives a power cut */
	free(tmp);
	free(sk.buf);
	free(c.text);
	return rc;
}

void bm_paper_release_caches(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
