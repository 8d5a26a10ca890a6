/*
 * fuzz_summary.c - libFuzzer target: any bytes as a recording's summary
 * (NAME.summary.json) through the reader `bridgemon history` uses
 * (fuzz_read_summary, fuzz_summary.h).
 *
 * Checked: no crash or sanitizer report (a count of 1e300 or -1 must not
 * become an unsigned by undefined behaviour); the reader says 0 or -1 and
 * nothing else.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_files.h"
#include "fuzz_summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[600];
	struct bm_report rep;

	fuzz_write("fuzz.summary.json", data, size, path, sizeof path);
	int rc = fuzz_read_summary(path, &rep);
	bm_report_free(&rep);
	if (rc != 0 && rc != -1)
		abort();
	return 0;
}
