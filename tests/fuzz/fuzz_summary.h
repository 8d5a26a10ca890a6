/*
 * fuzz_summary.h - which reader turns a summary JSON (NAME.summary.json,
 * written by bm_report_write_json()) back into numbers: the one `bridgemon
 * history`, "hold time today", sync and the report use (bm_summary.h).  The
 * summary and analyze targets both call it through this one name.
 */
#ifndef FUZZ_SUMMARY_H
#define FUZZ_SUMMARY_H

#include "bm_report.h"
#include "bm_summary.h"

/* 0 read, -1 not a summary (or unreadable), -2 out of memory.  @p rep is
 * filled either way: free it with bm_report_free(). */
static inline int fuzz_read_summary(const char *path, struct bm_report *rep)
{
	int rc = bm_summary_read(path, rep, NULL, NULL, 0);
	return rc == BM_SUMMARY_OK ? 0 : rc == BM_SUMMARY_ERR_NOMEM ? -2 : -1;
}

#endif
