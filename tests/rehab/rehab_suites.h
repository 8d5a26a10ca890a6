/* rehab_suites.h - the suites that run_rehab.c collects, one per rehab module. */
#ifndef REHAB_SUITES_H
#define REHAB_SUITES_H
#include <check.h>
Suite *suite_protocol(void);
Suite *suite_runner(void);
Suite *suite_mvic(void);
Suite *suite_zone(void);
Suite *suite_pain(void);
Suite *suite_dose(void);
Suite *suite_change(void);
Suite *suite_readiness(void);
Suite *suite_metric_confidence(void);
/* Folder of this area's data (tests/rehab), given to the runner as argv[1]. */
const char *rehab_data_dir(void);
#endif
