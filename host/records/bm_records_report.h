/*
 * bm_records_report.h - an athlete's report on paper: the store's sessions
 * and the recordings behind them, turned into a bm_paper_doc (bm_paper.h
 * draws it; this module computes nothing new, it gathers).
 *
 * One page per session: the force trace from the CSV (bm_paper thins it to
 * the page's resolution), the efforts from the summary shaded, stretches
 * without data hatched, the per-leg table (bm_recording.h's rules), the
 * asymmetry of the bilateral efforts with its 95 % interval and flag, pain
 * with the pain model's zone and advice, what was done (the sidecar's
 * context, and each hold with its plateau mean and peak as `analyze`
 * prints them), and which measures the session's sample rate allows
 * (bm_metric_confidence).  A session recorded on another station, whose
 * CSV is not here, gets its page from the store's numbers without a trace.
 *
 * Then the progress page: best hold force of each leg over the weeks, pain
 * on its own axis, the LSI against its 90 % mark, the latest changes
 * labelled "real" or "within noise" (bm_history.h), and the return-to-run
 * checklist (bm_readiness) over the single-leg sessions.
 */
#ifndef BM_RECORDS_REPORT_H
#define BM_RECORDS_REPORT_H

#include <stddef.h>

#include "bm_paper.h"
#include "bm_readiness.h"
#include "bm_store.h"

/** Return codes: 0 ok, negatives are errors (msg says why, one line). */
enum bm_records_report_result {
	BM_RREPORT_OK = 0,
	BM_RREPORT_ERR_INPUT = -1,    /**< no such athlete, session or file; a
	                                   recording that cannot be read */
	BM_RREPORT_ERR_STORE = -2,    /**< the store failed */
	BM_RREPORT_ERR_OUTPUT = -3,   /**< the report could not be written */
	BM_RREPORT_ERR_NOMEM = -4,
};

struct bm_records_report_opts {
	const char *dir;              /**< the recordings folder */
	const char *session_csv;      /**< NULL: every session; else only this
	                                   recording's page (and the progress) */
	int with_demo;                /**< keep demo sessions */
	double generated_epoch_s;     /**< the footer's date; NaN: now */
	const struct bm_readiness_params *readiness; /**< the checklist's
	                                   thresholds; NULL: the defaults */
};

/** What the report holds, for the caller's message. */
struct bm_records_report_info {
	size_t pages;
	size_t sessions;              /**< session pages */
	size_t left_out;              /**< sessions without a page: an image
	                                   holds at most BM_PAPER_PNG_MAX_PAGES
	                                   pages, the oldest go first */
	size_t without_trace;         /**< pages whose CSV is not in the folder */
};

/** A report gathered and not yet written: the bm_paper_doc and all it
 *  points to. */
struct bm_records_doc;

/**
 * Gather the report of athlete @p name (case-insensitive).
 * @param max_pages  most pages (0: no limit); a PNG holds
 *                   BM_PAPER_PNG_MAX_PAGES: the oldest sessions go first
 * @param out        set to the report (free with bm_records_doc_free()),
 *                   NULL on error
 * @return BM_RREPORT_OK or an error with a one-line @p msg.
 */
int bm_records_report_build(struct bm_store *st, const char *name,
                            const struct bm_records_report_opts *o, size_t max_pages,
                            struct bm_records_doc **out, struct bm_records_report_info *info,
                            char *msg, size_t msg_len);

/** The document to draw (valid until bm_records_doc_free()). */
const struct bm_paper_doc *bm_records_doc_paper(const struct bm_records_doc *d);

void bm_records_doc_free(struct bm_records_doc *d);

/**
 * Gather and write the report to @p out_path (.pdf, .png or .svg), whole or
 * not at all.
 * @return BM_RREPORT_OK or an error with a one-line @p msg.
 */
int bm_records_report_write(struct bm_store *st, const char *name,
                            const struct bm_records_report_opts *o, const char *out_path,
                            struct bm_records_report_info *info, char *msg, size_t msg_len);

#endif
