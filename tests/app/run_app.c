/* run_app.c - one Check runner for the program's glue that needs no
 * window: typed lines, pain questions, the athlete picker, a live
 * session's dose from the store, where a typed pain score goes. */
#include <stdlib.h>

#include "app_suites.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_entry());
	srunner_add_suite(sr, suite_dose_live());
	srunner_add_suite(sr, suite_pain_note());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
