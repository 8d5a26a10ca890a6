/* app_suites.h - the suites of the app glue's tests (run_app.c). */
#ifndef APP_SUITES_H
#define APP_SUITES_H

#include <check.h>

Suite *suite_entry(void);
Suite *suite_dose_live(void);
Suite *suite_pain_note(void);

#endif
