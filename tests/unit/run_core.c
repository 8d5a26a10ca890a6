/* run_core.c - Check runner for the host core: decoder, CSV, calibration,
 * detectors, asymmetry, analysis. */
#include <check.h>
#include <stdlib.h>

#include "core_suites.h"

int main(int argc, char **argv)
{
	core_set_ref_dir(argc > 1 ? argv[1] : "tests/ref");
	SRunner *sr = srunner_create(suite_decoder());
	srunner_add_suite(sr, suite_csv());
	srunner_add_suite(sr, suite_calib());
	srunner_add_suite(sr, suite_detect());
	srunner_add_suite(sr, suite_spectrum());
	srunner_add_suite(sr, suite_monitor());
	srunner_add_suite(sr, suite_report());
	srunner_add_suite(sr, suite_calibrate());
	srunner_add_suite(sr, suite_leg_detector());
	srunner_add_suite(sr, suite_import());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
