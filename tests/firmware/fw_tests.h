/* fw_tests.h - the suites of the firmware logic runner (test_firmware.c). */
#ifndef FW_TESTS_H
#define FW_TESTS_H

#include <check.h>

Suite *suite_fw_ring(void);
Suite *suite_fw_cmd(void);
Suite *suite_fw_frames(void);
Suite *suite_fw_hx(void);
Suite *suite_fw_store(void);

#endif
