/*
 * test_firmware.c - runner for the native tests of the firmware's pure
 * logic: the same .c files the AVR build compiles (ring buffer, command
 * parser, frame assembly, HX711 scheduling, EEPROM block format), built
 * for the host so that their edge cases can be driven directly.  What the
 * hardware does with them is proven in tests/sim.
 */
#include <check.h>
#include <stdlib.h>

#include "fw_tests.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_fw_ring());
	srunner_add_suite(sr, suite_fw_cmd());
	srunner_add_suite(sr, suite_fw_frames());
	srunner_add_suite(sr, suite_fw_hx());
	srunner_add_suite(sr, suite_fw_store());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
