/*
 * fuzz_replay.c - libFuzzer target: any bytes as a recording opened for
 * `bridgemon replay`: bm_source_replay_new() reads the header and the rate
 * (the sidecar's, or an earlier version's `# sample_rate_hz: ...` line),
 * the live pipeline is set up with that rate as the program does
 * (bm_app.c), and every row is replayed into it unpaced.  A crafted rate of
 * 1e308 once hung this path; corpus/replay/rate_1e308.csv keeps it covered.
 *
 * An input may carry a sidecar after a FUZZ_SIDECAR_MARK line
 * (fuzz_files.h).
 *
 * Checked: no crash, hang or sanitizer report; an error is one line naming
 * the recording or its sidecar; a rate, when known, is 0.1 to 100000 Hz;
 * the replay ends (at the end of the file, or failed with a one-line
 * message) within one read per row.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_monitor.h"
#include "bm_source.h"
#include "fuzz_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BATCH 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char csv[600], prefix[600], msg[1024];
	const uint8_t *side;
	size_t csv_len, side_len;
	struct bm_source_status st;
	struct bm_monitor_params mp;
	struct bm_monitor_state ms;
	struct bm_live_sample s[BATCH];

	fuzz_split_sidecar(data, size, &csv_len, &side, &side_len);
	fuzz_write("rec.csv", data, csv_len, csv, sizeof csv);
	if (side)
		fuzz_write("rec.meta.json", side, side_len, prefix, sizeof prefix);
	else
		fuzz_remove("rec.meta.json");
	snprintf(prefix, sizeof prefix, "%s/rec.", fuzz_dir());
	msg[0] = '\0';
	struct bm_source *src = bm_source_replay_new(csv, 0, msg, sizeof msg);
	if (!src) {
		if (!fuzz_msg_names(msg, prefix))
			abort();
		return 0;
	}
	bm_source_status(src, &st);
	if (st.rate_hz != 0 && !(st.rate_hz >= 0.1 && st.rate_hz <= 100000))
		abort();
	bm_monitor_params_default(&mp);
	mp.rate_hz = st.rate_hz > 0 ? st.rate_hz : 0;
	struct bm_monitor *m = bm_monitor_new(&mp, NULL);
	if (!m)
		abort();
	/* A row is at least two bytes ("0\n"), so this many reads end it. */
	size_t reads = 0, max_reads = csv_len / 2 + 2;
	for (;;) {
		size_t n = bm_source_read(src, s, BATCH, 0);
		if (n > BATCH)
			abort();
		bm_monitor_push(m, s, n);
		bm_source_status(src, &st);
		if (st.state == BM_SOURCE_ENDED || st.state == BM_SOURCE_FAILED)
			break;
		if (++reads > max_reads)
			abort(); /* the replay does not end */
	}
	if (st.state == BM_SOURCE_FAILED && !fuzz_msg_names(st.message, prefix))
		abort();
	bm_monitor_get_state(m, &ms);
	bm_monitor_free(m);
	bm_source_free(src);
	return 0;
}
