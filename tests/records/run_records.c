/* run_records.c - one Check runner for the records room (host/records) and
 * the summary reader it stands on. */
#include <stdlib.h>

#include "records_suites.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_summary());
	srunner_add_suite(sr, suite_recover());
	srunner_add_suite(sr, suite_painlog());
	srunner_add_suite(sr, suite_sync());
	srunner_add_suite(sr, suite_history());
	srunner_add_suite(sr, suite_rreport());
	srunner_add_suite(sr, suite_settings());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
