/*
 * fuzz_csv.c - libFuzzer target: any bytes as a session CSV.  The reader
 * must either return rows (with increasing time) or one error message of
 * the form "NAME:LINE: reason", never crash; the analysis chain must take
 * whatever rows came out.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_csv.h"
#include "bm_session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bm_csv_reader *r;
	struct bm_csv_error err;
	struct bm_csv_row row;
	struct bm_session_params sp;
	FILE *f;
	int rc;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	rc = bm_csv_reader_from_stream(f, "fuzz.csv", &r, &err);
	if (rc != BM_CSV_OK) {
		if (strncmp(err.msg, "fuzz.csv", 8) != 0 || strchr(err.msg, '\n'))
			abort();
		fclose(f);
		return 0;
	}
	bm_session_params_default(&sp);
	sp.prefix_s = 5;
	struct bm_session *s = bm_session_new(&sp, NULL, NULL, NULL);
	double last = -INFINITY;
	while ((rc = bm_csv_reader_next(r, &row, &err)) == BM_CSV_OK) {
		if (!(row.t_s > last) || !isfinite(row.t_s))
			abort();
		last = row.t_s;
		bm_session_push(s, row.t_s, row.force_n);
	}
	if (rc != BM_CSV_EOF && (strncmp(err.msg, "fuzz.csv:", 9) != 0 || strchr(err.msg, '\n')))
		abort();
	bm_session_finish(s);
	bm_session_free(s);
	bm_csv_reader_close(r);
	fclose(f);
	return 0;
}
