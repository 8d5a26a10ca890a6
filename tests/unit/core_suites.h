/* core_suites.h - the suites that run_core.c collects, one per core module. */
#ifndef CORE_SUITES_H
#define CORE_SUITES_H
#include <check.h>
Suite *suite_decoder(void);
Suite *suite_csv(void);
Suite *suite_calib(void);
Suite *suite_detect(void);
Suite *suite_spectrum(void);
Suite *suite_monitor(void);
Suite *suite_report(void);
Suite *suite_calibrate(void);
Suite *suite_leg_detector(void);
Suite *suite_import(void);
/* Folder of the reference data (tests/ref), given to the runner as argv[1]. */
void core_set_ref_dir(const char *dir);
#endif
