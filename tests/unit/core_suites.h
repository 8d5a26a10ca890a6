/* core_suites.h - the suites that run_core.c collects, one per core module. */
#ifndef CORE_SUITES_H
#define CORE_SUITES_H
#include <check.h>
Suite *suite_decoder(void);
Suite *suite_csv(void);
Suite *suite_calib(void);
Suite *suite_detect(void);
#endif
