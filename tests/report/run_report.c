/* run_report.c - Check runner for host/report: the report on paper.
 * Dates are pinned to UTC so the pages print the fixture's dates. */
#include <check.h>
#include <stdlib.h>
#include <time.h>

#include "report_suites.h"

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	SRunner *sr = srunner_create(suite_paper());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
