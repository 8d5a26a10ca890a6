/* records_suites.h - the suites of the records tests (run_records.c). */
#ifndef RECORDS_SUITES_H
#define RECORDS_SUITES_H

#include <check.h>

Suite *suite_summary(void);
Suite *suite_recover(void);
Suite *suite_painlog(void);
Suite *suite_sync(void);
Suite *suite_history(void);
Suite *suite_rreport(void);
Suite *suite_settings(void);

#endif
