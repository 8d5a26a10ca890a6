/*
 * test_decoder.c - the streaming decoder under split, merged and corrupted
 * input: every counter must be exact, because the status bar and the CSV
 * report them to users.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bm_decoder.h"
#include "bm_msg.h"
#include "core_suites.h"

/* A byte stream of @p n samples starting at @p seq0 / @p t0_us. */
struct stream {
	uint8_t *b;
	size_t len, cap;
};

static void put(struct stream *s, const uint8_t *p, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2;
		s->b = realloc(s->b, s->cap);
		ck_assert_ptr_nonnull(s->b);
	}
	memcpy(s->b + s->len, p, n);
	s->len += n;
}

static size_t sample_frame(uint16_t seq, uint32_t t_us, int32_t l, int32_t r, uint8_t *out)
{
	struct bm_sample_msg m = {.seq = seq, .t_us = t_us, .raw = {l, r}, .flags = {0, 0}};
	uint8_t body[BM_SAMPLE_BODY_LEN];
	bm_sample_pack(&m, body);
	size_t n = bm_frame_build(BM_MSG_SAMPLE, body, sizeof body, out, BM_FRAME_MAX);
	ck_assert_uint_gt(n, 0);
	return n;
}

static struct stream make_stream(int n, uint16_t seq0, uint32_t t0_us)
{
	struct stream s = {0};
	uint8_t f[BM_FRAME_MAX];
	uint8_t z = 0;
	put(&s, &z, 1);  /* leading delimiter: the decoder syncs on it */
	for (int i = 0; i < n; i++) {
		size_t fl = sample_frame((uint16_t)(seq0 + i), t0_us + (uint32_t)i * 12500u,
		                         i * 3 - 1000, -i * 7, f);
		put(&s, f, fl);
	}
	return s;
}

/* Feed @p s in chunks of the given sizes (cycled); collect samples. */
static int feed(struct bm_decoder *d, const struct stream *s, const size_t *chunks,
                size_t nchunks, struct bm_decoded *out, int max)
{
	size_t pos = 0, ci = 0;
	int got = 0;
	while (pos < s->len) {
		size_t c = chunks[ci++ % nchunks];
		if (c > s->len - pos)
			c = s->len - pos;
		const uint8_t *p = s->b + pos;
		size_t left = c;
		struct bm_decoded m;
		while (bm_decoder_next(d, &p, &left, &m))
			if (m.type == BM_MSG_SAMPLE && got < max)
				out[got++] = m;
		ck_assert_uint_eq(left, 0);
		pos += c;
	}
	return got;
}

START_TEST(any_chunking_gives_the_same_samples)
{
	struct stream s = make_stream(500, 100, 0);
	static struct bm_decoded out[600];
	const size_t chunkings[][4] = {{1, 1, 1, 1}, {7, 3, 64, 2}, {4096, 4096, 4096, 4096},
	                               {19, 19, 19, 19}, {18, 20, 1, 37}};
	for (size_t k = 0; k < sizeof chunkings / sizeof chunkings[0]; k++) {
		struct bm_decoder *d = bm_decoder_new();
		int n = feed(d, &s, chunkings[k], 4, out, 600);
		ck_assert_msg(n == 500, "chunking %zu: expected 500 samples, got %d", k, n);
		for (int i = 0; i < n; i++) {
			ck_assert_int_eq(out[i].u.sample.msg.seq, 100 + i);
			ck_assert_int_eq(out[i].u.sample.msg.raw[0], i * 3 - 1000);
			ck_assert_int_eq(out[i].u.sample.msg.raw[1], -i * 7);
			ck_assert_uint_eq(out[i].u.sample.lost_before, 0);
		}
		struct bm_decoder_stats st;
		bm_decoder_get_stats(d, &st);
		ck_assert_uint_eq(st.frames_ok, 500);
		ck_assert_uint_eq(st.crc_errors + st.framing_errors + st.dropped_samples, 0);
		ck_assert_uint_eq(st.bytes, s.len);
		bm_decoder_free(d);
	}
	free(s.b);
}
END_TEST

START_TEST(starts_mid_frame_without_error)
{
	struct stream s = make_stream(10, 0, 0);
	struct bm_decoder *d = bm_decoder_new();
	static struct bm_decoded out[16];
	/* Drop the leading delimiter and half of the first frame. */
	struct stream cut = {s.b + 10, s.len - 10, 0};
	size_t one = 1;
	int n = feed(d, &cut, &one, 1, out, 16);
	struct bm_decoder_stats st;
	bm_decoder_get_stats(d, &st);
	ck_assert_msg(n == 9, "the 9 whole frames decode, got %d", n);
	ck_assert_uint_eq(st.framing_errors + st.crc_errors, 0);
	ck_assert_uint_eq(st.bytes_skipped, 9);
	bm_decoder_free(d);
	free(s.b);
}
END_TEST

START_TEST(corruption_is_counted_exactly)
{
	struct stream s = make_stream(200, 0, 0);
	/* Each frame is 19 bytes after the 1-byte leading delimiter.  Flip a
	 * data byte in frames 10 and 20 (CRC error or COBS error, never a good
	 * frame), delete a byte in frame 30 (one frame lost), and insert a
	 * burst of garbage without zeros after frame 40 (merges into frame 41,
	 * which becomes too long or bad). */
	const size_t fl = 19;
	ck_assert_uint_eq(s.len, 1 + 200 * fl);
	struct stream c = {0};
	uint8_t garbage[100];
	for (int i = 0; i < 100; i++)
		garbage[i] = (uint8_t)(1 + (i * 37) % 255);
	for (int i = 0; i < 200; i++) {
		uint8_t f[19];
		memcpy(f, s.b + 1 + i * fl, fl);
		if (i == 0) {
			uint8_t z = 0;
			put(&c, &z, 1);
		}
		if (i == 10 || i == 20)
			f[8] ^= 0x5A;
		if (i == 30) {
			put(&c, f, 5);
			put(&c, f + 6, fl - 6);
			continue;
		}
		put(&c, f, fl);
		if (i == 40)
			put(&c, garbage, sizeof garbage);
	}
	struct bm_decoder *d = bm_decoder_new();
	static struct bm_decoded out[256];
	size_t chunk = 13;
	int n = feed(d, &c, &chunk, 1, out, 256);
	struct bm_decoder_stats st;
	bm_decoder_get_stats(d, &st);
	ck_assert_msg(n == 196, "4 frames lost, expected 196 samples, got %d", n);
	ck_assert_msg(st.crc_errors + st.framing_errors == 4, "4 bad frames, counted %llu + %llu",
	              (unsigned long long)st.crc_errors, (unsigned long long)st.framing_errors);
	ck_assert_uint_eq(st.frames_ok, 196);
	ck_assert_msg(st.dropped_samples == 4, "dropped from seq gaps: expected 4, got %llu",
	              (unsigned long long)st.dropped_samples);
	/* The sample after each hole says how many were lost before it. */
	for (int i = 0; i < n; i++) {
		uint16_t seq = out[i].u.sample.msg.seq;
		uint32_t lost = out[i].u.sample.lost_before;
		uint32_t expect = (seq == 11 || seq == 21 || seq == 31 || seq == 42) ? 1 : 0;
		ck_assert_msg(lost == expect, "seq %u: lost_before %u, expected %u", seq, lost, expect);
	}
	bm_decoder_free(d);
	free(s.b);
	free(c.b);
}
END_TEST

START_TEST(seq_and_clock_wrap)
{
	/* seq wraps 65535 -> 0 and t_us wraps 2^32 -> small within the run;
	 * then a gap of 5 samples across the seq wrap. */
	struct stream s = {0};
	uint8_t f[BM_FRAME_MAX], z = 0;
	put(&s, &z, 1);
	uint16_t seq = 65530;
	uint32_t t = 0xFFFFFFFFu - 30000u;
	for (int i = 0; i < 20; i++) {
		if (i == 10) {
			seq = (uint16_t)(seq + 5);
			t += 5 * 12500u;
		}
		put(&s, f, sample_frame(seq, t, 0, 0, f));
		seq++;
		t += 12500u;
	}
	struct bm_decoder *d = bm_decoder_new();
	static struct bm_decoded out[32];
	size_t chunk = 5;
	int n = feed(d, &s, &chunk, 1, out, 32);
	ck_assert_int_eq(n, 20);
	struct bm_decoder_stats st;
	bm_decoder_get_stats(d, &st);
	ck_assert_uint_eq(st.dropped_samples, 5);
	ck_assert_uint_eq(out[10].u.sample.lost_before, 5);
	for (int i = 1; i < n; i++) {
		uint64_t dt = out[i].u.sample.t_us - out[i - 1].u.sample.t_us;
		ck_assert_msg(dt == (i == 10 ? 6u : 1u) * 12500u, "unwrapped time step %d: %llu", i,
		              (unsigned long long)dt);
	}
	ck_assert_msg(out[19].u.sample.t_us > UINT64_C(0xFFFFFFFF), "time went past 2^32 unwrapped");
	bm_decoder_free(d);
	free(s.b);
}
END_TEST

START_TEST(device_reset_and_restart)
{
	struct bm_decoder *d = bm_decoder_new();
	uint8_t f[BM_FRAME_MAX], z = 0;
	struct stream s = {0};
	put(&s, &z, 1);
	for (int i = 0; i < 5; i++)
		put(&s, f, sample_frame((uint16_t)(1000 + i), 1000000u + (uint32_t)i * 12500u, 0, 0, f));
	/* Board reset: seq and clock start again at 0. */
	for (int i = 0; i < 5; i++)
		put(&s, f, sample_frame((uint16_t)i, (uint32_t)i * 12500u, 0, 0, f));
	static struct bm_decoded out[16];
	size_t chunk = 64;
	int n = feed(d, &s, &chunk, 1, out, 16);
	ck_assert_int_eq(n, 10);
	struct bm_decoder_stats st;
	bm_decoder_get_stats(d, &st);
	ck_assert_uint_eq(st.seq_restarts, 1);
	ck_assert_uint_eq(st.dropped_samples, 0);
	ck_assert_msg(out[5].u.sample.t_us > out[4].u.sample.t_us, "time keeps increasing over a reset");

	/* After bm_decoder_restart (port reopened), a new stream starting
	 * mid-frame is synced again, and its first seq is not a gap. */
	bm_decoder_restart(d);
	struct stream s2 = {0};
	put(&s2, f, sample_frame(3000, 0, 0, 0, f));  /* no leading delimiter */
	put(&s2, f, sample_frame(3001, 12500, 0, 0, f));
	n = feed(d, &s2, &chunk, 1, out, 16);
	ck_assert_msg(n == 1, "first frame after restart is skipped (not synced), got %d", n);
	bm_decoder_get_stats(d, &st);
	ck_assert_uint_eq(st.dropped_samples, 0);
	ck_assert_uint_eq(st.framing_errors + st.crc_errors, 0);
	bm_decoder_free(d);
	free(s.b);
	free(s2.b);
}
END_TEST

START_TEST(repeated_seq_is_a_restart)
{
	/* A board that resets right after its first sample (a brown-out at
	 * power-up) sends seq 0 twice: the repeat is a restart, as a step
	 * backwards is, not 65535 samples lost; time goes on from where it
	 * was. */
	struct bm_decoder *d = bm_decoder_new();
	uint8_t f[BM_FRAME_MAX], z = 0;
	struct stream s = {0};
	put(&s, &z, 1);
	put(&s, f, sample_frame(0, 5000u, 0, 0, f));
	put(&s, f, sample_frame(0, 4000u, 0, 0, f));
	put(&s, f, sample_frame(1, 16500u, 0, 0, f));
	static struct bm_decoded out[4];
	size_t chunk = 64;
	int n = feed(d, &s, &chunk, 1, out, 4);
	ck_assert_int_eq(n, 3);
	struct bm_decoder_stats st;
	bm_decoder_get_stats(d, &st);
	ck_assert_msg(st.seq_restarts == 1, "restarts: expected 1, got %llu",
	              (unsigned long long)st.seq_restarts);
	ck_assert_msg(st.dropped_samples == 0, "dropped: expected 0, got %llu",
	              (unsigned long long)st.dropped_samples);
	for (int i = 0; i < n; i++)
		ck_assert_msg(out[i].u.sample.lost_before == 0, "sample %d: lost_before %u, expected 0", i,
		              (unsigned)out[i].u.sample.lost_before);
	ck_assert_msg(out[1].u.sample.t_us > out[0].u.sample.t_us &&
	              out[2].u.sample.t_us > out[1].u.sample.t_us,
	              "time keeps increasing over the restart: %llu %llu %llu",
	              (unsigned long long)out[0].u.sample.t_us, (unsigned long long)out[1].u.sample.t_us,
	              (unsigned long long)out[2].u.sample.t_us);
	bm_decoder_free(d);
	free(s.b);
}
END_TEST

START_TEST(other_messages)
{
	struct bm_decoder *d = bm_decoder_new();
	uint8_t f[BM_FRAME_MAX], body[32], z = 0;
	struct stream s = {0};
	put(&s, &z, 1);
	/* INFO of a future protocol version with a shorter body than ours:
	 * still delivered so the host can name both versions. */
	body[0] = BM_PROTO_VERSION + 1;
	put(&s, f, bm_frame_build(BM_MSG_INFO, body, 1, f, sizeof f));
	body[0] = 7;
	body[1] = BM_CMD_SET_RATE;
	body[2] = BM_CMDERR_VALUE;
	put(&s, f, bm_frame_build(BM_MSG_ERROR, body, 3, f, sizeof f));
	put(&s, f, bm_frame_build(0x3E, body, 3, f, sizeof f));     /* unknown type */
	put(&s, f, bm_frame_build(BM_MSG_SAMPLE, body, 5, f, sizeof f)); /* too short */
	put(&s, &z, 1);                                              /* empty frame */
	const uint8_t *p = s.b;
	size_t left = s.len;
	struct bm_decoded m;
	ck_assert_int_eq(bm_decoder_next(d, &p, &left, &m), 1);
	ck_assert_int_eq(m.type, BM_MSG_INFO);
	ck_assert_int_eq(m.u.info.proto_version, BM_PROTO_VERSION + 1);
	ck_assert_int_eq(bm_decoder_next(d, &p, &left, &m), 1);
	ck_assert_int_eq(m.type, BM_MSG_ERROR);
	ck_assert_int_eq(m.u.reply.tag, 7);
	ck_assert_int_eq(m.u.reply.cmd, BM_CMD_SET_RATE);
	ck_assert_int_eq(m.u.reply.code, BM_CMDERR_VALUE);
	ck_assert_int_eq(bm_decoder_next(d, &p, &left, &m), 0);
	struct bm_decoder_stats st;
	bm_decoder_get_stats(d, &st);
	ck_assert_uint_eq(st.unknown_types, 1);
	ck_assert_uint_eq(st.framing_errors, 1);
	ck_assert_uint_eq(st.frames_ok, 3);
	bm_decoder_free(d);
	free(s.b);
}
END_TEST

START_TEST(random_garbage_never_crashes)
{
	struct bm_decoder *d = bm_decoder_new();
	uint8_t buf[4096];
	srand(42);
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (uint8_t)(rand() % 8 == 0 ? 0 : rand());
		const uint8_t *p = buf;
		size_t left = sizeof buf;
		struct bm_decoded m;
		while (bm_decoder_next(d, &p, &left, &m))
			ck_assert_msg(m.type != 0, "decoded messages have a type");
	}
	struct bm_decoder_stats st;
	bm_decoder_get_stats(d, &st);
	ck_assert_uint_eq(st.bytes, 200u * sizeof buf);
	ck_assert_msg(st.crc_errors + st.framing_errors > 1000, "garbage is counted as errors");
	bm_decoder_free(d);
}
END_TEST

Suite *suite_decoder(void)
{
	Suite *s = suite_create("decoder");
	TCase *tc = tcase_create("decoder");
	tcase_add_test(tc, any_chunking_gives_the_same_samples);
	tcase_add_test(tc, starts_mid_frame_without_error);
	tcase_add_test(tc, corruption_is_counted_exactly);
	tcase_add_test(tc, seq_and_clock_wrap);
	tcase_add_test(tc, device_reset_and_restart);
	tcase_add_test(tc, repeated_seq_is_a_restart);
	tcase_add_test(tc, other_messages);
	tcase_add_test(tc, random_garbage_never_crashes);
	suite_add_tcase(s, tc);
	return s;
}
