/*
 * fuzz_meta.c - libFuzzer target: any bytes as a recording's sidecar
 * (FILE.meta.json) through bm_meta_parse(), the reader analyze, replay and
 * the monitor use.
 *
 * Checked: no crash or sanitizer report; an error is one line naming the
 * file; a sidecar that is read holds only values in the ranges bm_meta.h
 * promises (rate 0.1 to 100000 Hz or unknown, scales non-zero, excluded
 * stretches that do not end before they start, pain 0 to 10), and written
 * out again (bm_meta_to_json) it reads back to the same lists.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm_meta.h"
#include "fuzz_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ranges(const struct bm_meta *m)
{
	if (!isnan(m->sample_rate_hz) && !(m->sample_rate_hz >= 0.1 && m->sample_rate_hz <= 100000))
		abort();
	for (size_t i = 0; i < m->n_cal; i++)
		for (int leg = 0; leg < 2; leg++)
			if (!isfinite(m->cal[i].cal.offset_counts[leg]) ||
			    !isfinite(m->cal[i].cal.scale_n_per_count[leg]) ||
			    m->cal[i].cal.scale_n_per_count[leg] == 0)
				abort();
	for (size_t i = 0; i < m->n_excluded; i++)
		if (!isfinite(m->excluded[i].from_t_s) ||
		    !(m->excluded[i].to_t_s >= m->excluded[i].from_t_s))
			abort();
	const double pain[2] = {m->ctx.pain_before, m->ctx.pain_after};
	for (int i = 0; i < 2; i++)
		if (!isnan(pain[i]) && !(pain[i] >= 0 && pain[i] <= 10))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bm_meta m, back;
	char msg[512];

	/* The reader gets a NUL-terminated buffer from bm_meta_read(); this
	 * copy has none after its last byte, so a read past the end shows. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	msg[0] = '\0';
	int rc = bm_meta_parse(text, size, "fuzz.meta.json", &m, msg, sizeof msg);
	free(text);
	if (rc != BM_META_OK) {
		if ((rc != BM_META_ERR_FORMAT && rc != BM_META_ERR_NOMEM) ||
		    !fuzz_msg_names(msg, "fuzz.meta.json"))
			abort();
		return 0;
	}
	if (msg[0] && !fuzz_msg_names(msg, "fuzz.meta.json"))
		abort();
	check_ranges(&m);

	/* Written by the writer, the sidecar reads back the same. */
	char *js = bm_meta_to_json(&m);
	if (!js)
		abort();
	if (bm_meta_parse(js, strlen(js), "again", &back, msg, sizeof msg) != BM_META_OK)
		abort();
	if (back.n_cal != m.n_cal || back.n_excluded != m.n_excluded || back.n_gaps != m.n_gaps ||
	    back.demo != m.demo || back.closed != m.closed || strcmp(back.source, m.source) != 0 ||
	    strcmp(back.ctx.notes, m.ctx.notes) != 0)
		abort();
	free(js);
	bm_meta_free(&back);
	bm_meta_free(&m);
	return 0;
}
