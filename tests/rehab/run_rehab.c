/* run_rehab.c - Check runner for host/rehab: protocols, the runner and the
 * MVIC test, zones, pain, dose, change, readiness, metric confidence.
 *   test_rehab [DATA_DIR]   (DATA_DIR: tests/rehab, for change_ref.txt) */
#include <check.h>
#include <stdlib.h>

#include "rehab_suites.h"

static const char *data_dir = "tests/rehab";

const char *rehab_data_dir(void)
{
	return data_dir;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		data_dir = argv[1];
	SRunner *sr = srunner_create(suite_protocol());
	srunner_add_suite(sr, suite_runner());
	srunner_add_suite(sr, suite_mvic());
	srunner_add_suite(sr, suite_zone());
	srunner_add_suite(sr, suite_pain());
	srunner_add_suite(sr, suite_dose());
	srunner_add_suite(sr, suite_change());
	srunner_add_suite(sr, suite_readiness());
	srunner_add_suite(sr, suite_metric_confidence());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
