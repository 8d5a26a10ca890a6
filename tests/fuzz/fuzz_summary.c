/*
 * fuzz_summary.c - libFuzzer target: any bytes as a recording's summary
 * (NAME.summary.json) through the reader `bridgemon history` uses
 * (fuzz_read_summary, fuzz_summary.h).
 *
 * Checked: no crash or sanitizer report (a count of 1e300 or -1 must not
 * become an unsigned by undefined behaviour); the reader says 0 or -1 and
 * nothing else; a refused file is "not a summary" in one line naming it.
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

	char msg[1200];

	fuzz_write("fuzz.summary.json", data, size, path, sizeof path);
	int rc = fuzz_read_summary(path, &rep);
	bm_report_free(&rep);
	if (rc != 0 && rc != -1)
		abort();
	/* Refused: the message is one line naming the file (what history
	 * prints). */
	if (rc != 0) {
		rc = bm_summary_read(path, &rep, NULL, msg, sizeof msg);
		bm_report_free(&rep);
		if (rc != BM_SUMMARY_ERR_FORMAT || !fuzz_msg_names(msg, path))
			abort();
	}
	return 0;
}
