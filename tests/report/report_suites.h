/* report_suites.h - the suites that run_report.c collects (host/report). */
#ifndef REPORT_SUITES_H
#define REPORT_SUITES_H
#include <check.h>
Suite *suite_paper(void);
#endif
