/*
 * fuzz_decoder.c - libFuzzer target: any bytes, cut into any chunks, through
 * the stream decoder.  Invariants checked: no crash or sanitizer report,
 * every byte consumed, counters consistent, samples sign-extended.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bm_decoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bm_decoder *d = bm_decoder_new();
	struct bm_decoded m;
	struct bm_decoder_stats st;
	size_t pos = 0;
	/* The first byte picks the chunk size, so chunking is fuzzed too. */
	size_t chunk = size ? (size_t)data[0] % 37 + 1 : 1;
	uint64_t got = 0;

	if (!d)
		return 0;
	while (pos < size) {
		size_t n = size - pos < chunk ? size - pos : chunk;
		const uint8_t *p = data + pos;
		size_t left = n;
		while (bm_decoder_next(d, &p, &left, &m)) {
			got++;
			if (m.type == BM_MSG_SAMPLE)
				for (int i = 0; i < BM_NCHAN; i++)
					if (m.u.sample.msg.raw[i] > BM_RAW_MAX || m.u.sample.msg.raw[i] < BM_RAW_MIN)
						abort();
		}
		if (left != 0)
			abort();
		pos += n;
	}
	bm_decoder_get_stats(d, &st);
	if (st.bytes != size || st.frames_ok < got || st.frames_ok - st.unknown_types != got)
		abort();
	bm_decoder_free(d);
	return 0;
}
