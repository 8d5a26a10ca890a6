/*
 * test_audio.c - sound cues: the synthesised samples (frequency, length,
 * fades that keep tones from clicking, silent gaps), and the player's
 * mixing, mute and no-device behaviour, all without hearing anything.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view_tests.h"
#include "bm_audio.h"

#define RATE 48000

/* Frequency from the zero crossings of the middle of a tone. */
static double crossings_hz(const float *s, size_t n, int rate)
{
	size_t first = 0, last = 0, count = 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k - 1] < 0) != (s[k] < 0)) {
			if (!count)
				first = k;
			last = k;
			count++;
		}
	}
	if (count < 2)
		return 0;
	return (double)(count - 1) / 2.0 / ((double)(last - first) / rate);
}

START_TEST(tone_has_its_frequency_length_and_fades)
{
	const struct bm_tone t = {660.0, 0.150, 0.030, 0.3};
	size_t n = bm_tone_len(&t, RATE);
	ck_assert_msg(n == 7200 + 1440, "150 ms + 30 ms at 48 kHz: expected 8640 samples, got %zu", n);
	float *s = malloc(n * sizeof *s);
	ck_assert_msg(bm_tone_synth(&t, RATE, BM_AUDIO_FADE_S, s, n) == n, "expected a full write");

	double f = crossings_hz(s + 480, 7200 - 960, RATE);
	ck_assert_msg(fabs(f - 660.0) < 660.0 * 0.005, "expected 660 Hz, measured %.2f Hz", f);

	/* Fade in: starts at exactly zero and stays under the raised cosine. */
	size_t fade = 240; /* 5 ms */
	ck_assert_msg(s[0] == 0.0f, "first sample expected 0, got %g", (double)s[0]);
	for (size_t k = 0; k < fade; k++) {
		double env = 0.5 - 0.5 * cos(M_PI * (double)k / fade);
		ck_assert_msg(fabs(s[k]) <= 0.3 * env + 1e-6,
		              "sample %zu: |%g| above the fade-in envelope %g", k, (double)s[k], 0.3 * env);
		size_t e = 7200 - 1 - k;
		ck_assert_msg(fabs(s[e]) <= 0.3 * env + 1e-6,
		              "sample %zu: |%g| above the fade-out envelope %g", e, (double)s[e], 0.3 * env);
	}
	/* Full level in the middle. */
	float peak = 0;
	for (size_t k = fade; k < 7200 - fade; k++)
		peak = fabsf(s[k]) > peak ? fabsf(s[k]) : peak;
	ck_assert_msg(peak > 0.299f && peak <= 0.3f + 1e-6f, "middle peak expected 0.3, got %g",
	              (double)peak);
	/* No click: no step bigger than the full sine's steepest. */
	double max_step = 0.3 * 2 * M_PI * 660.0 / RATE * 1.01;
	for (size_t k = 1; k < 7200; k++)
		ck_assert_msg(fabs(s[k] - s[k - 1]) <= max_step, "step %g at %zu exceeds %g (a click)",
		              fabs(s[k] - s[k - 1]), k, max_step);
	/* The gap after it is silence. */
	for (size_t k = 7200; k < n; k++)
		ck_assert_msg(s[k] == 0.0f, "gap sample %zu expected 0, got %g", k, (double)s[k]);
	/* A short buffer gets what fits. */
	ck_assert_msg(bm_tone_synth(&t, RATE, BM_AUDIO_FADE_S, s, 100) == 100, "cap respected");
	free(s);
}
END_TEST

START_TEST(cues_are_distinct_and_well_formed)
{
	int total_tones = 0;
	for (int c = 0; c < BM_CUE_COUNT; c++) {
		const struct bm_tone *t;
		int nt = bm_cue_tones(c, &t);
		ck_assert_msg(nt >= 1 && nt <= BM_CUE_MAX_TONES, "cue %d: %d tones", c, nt);
		total_tones += nt;
		size_t n = bm_cue_len(c, RATE), want = 0;
		for (int i = 0; i < nt; i++) {
			want += bm_tone_len(&t[i], RATE);
			ck_assert_msg(t[i].freq_hz >= 200 && t[i].freq_hz <= 2000 && t[i].amp > 0 &&
			              t[i].amp <= 0.5, "cue %d tone %d outside calm limits", c, i);
		}
		ck_assert_msg(n == want, "cue %d: length %zu, expected the sum %zu", c, n, want);
		ck_assert_msg(n < RATE / 2, "cue %d: %zu samples, expected under 0.5 s", c, n);
		float *s = calloc(n, sizeof *s);
		ck_assert_msg(bm_cue_synth(c, RATE, s, n) == n, "cue %d: expected a full write", c);
		/* Every tone, also after a gap, starts from silence. */
		size_t at = 0;
		for (int i = 0; i < nt; i++) {
			ck_assert_msg(s[at] == 0.0f, "cue %d tone %d: first sample %g, expected 0", c, i,
			              (double)s[at]);
			at += bm_tone_len(&t[i], RATE);
		}
		free(s);
		/* Told apart by shape: no two cues share tone count and first pitch. */
		for (int d = 0; d < c; d++) {
			const struct bm_tone *u;
			int nu = bm_cue_tones(d, &u);
			ck_assert_msg(nu != nt || u[0].freq_hz != t[0].freq_hz || u[0].dur_s != t[0].dur_s ||
			              (nt > 1 && u[1].freq_hz != t[1].freq_hz),
			              "cues %d and %d sound alike", c, d);
		}
	}
	ck_assert_msg(total_tones >= BM_CUE_COUNT, "expected at least one tone per cue");
	const struct bm_tone *t;
	ck_assert_msg(bm_cue_tones(BM_CUE_COUNT, &t) == 0 && t == NULL, "unknown cue expected 0 tones");
	ck_assert_msg(bm_cue_len(BM_CUE_COUNT, RATE) == 0, "unknown cue expected length 0");
}
END_TEST

/* A player forced to have no device: what a headless machine gets. */
static struct bm_audio *silent_player(void)
{
	setenv("SDL_AUDIODRIVER", "bm_no_such_driver", 1);
	struct bm_audio *a = NULL;
	int rc = bm_audio_new(&a);
	ck_assert_msg(rc == BM_AUDIO_OK && a, "no audio device: bm_audio_new expected OK, got %d", rc);
	ck_assert_msg(!bm_audio_has_device(a), "unknown driver: expected no device");
	return a;
}

START_TEST(player_without_device_is_silent_but_works)
{
	struct bm_audio *a = silent_player();
	int rate = bm_audio_rate_hz(a);
	ck_assert_int_eq(rate, BM_AUDIO_RATE_HZ);
	size_t n = bm_cue_len(BM_CUE_HOLD_START, rate);
	float *want = calloc(n, sizeof *want), *got = calloc(n + 256, sizeof *got);
	bm_cue_synth(BM_CUE_HOLD_START, rate, want, n);

	ck_assert_int_eq(bm_audio_play(a, BM_CUE_HOLD_START), BM_AUDIO_OK);
	bm_audio_render(a, got, n + 256);
	for (size_t k = 0; k < n; k++) /* == not memcmp: 0.0 + -0.0 is 0.0 */
		ck_assert_msg(got[k] == want[k], "rendered sample %zu: %g, synthesis %g", k,
		              (double)got[k], (double)want[k]);
	for (size_t k = n; k < n + 256; k++)
		ck_assert_msg(got[k] == 0.0f, "after the cue expected silence, sample %zu = %g", k,
		              (double)got[k]);

	/* Two cues at once are summed. */
	size_t nr = bm_cue_len(BM_CUE_REP, rate);
	float *rep = calloc(nr, sizeof *rep);
	bm_cue_synth(BM_CUE_REP, rate, rep, nr);
	bm_audio_play(a, BM_CUE_HOLD_START);
	bm_audio_play(a, BM_CUE_REP);
	bm_audio_render(a, got, 1000);
	for (size_t k = 0; k < 1000; k++)
		ck_assert_msg(fabsf(got[k] - (want[k] + rep[k])) < 1e-6f, "mix sample %zu: %g, expected %g",
		              k, (double)got[k], (double)(want[k] + rep[k]));

	/* Mute silences what sounds and what is asked. */
	bm_audio_set_muted(a, true);
	ck_assert_msg(bm_audio_muted(a), "expected muted");
	bm_audio_play(a, BM_CUE_TARGET);
	bm_audio_render(a, got, 2000);
	for (size_t k = 0; k < 2000; k++)
		ck_assert_msg(got[k] == 0.0f, "muted: sample %zu = %g, expected 0", k, (double)got[k]);
	bm_audio_set_muted(a, false);
	ck_assert_int_eq(bm_audio_play(a, BM_CUE_COUNT), BM_AUDIO_ERR_ARG);
	free(rep);
	free(want);
	free(got);
	bm_audio_free(a);
}
END_TEST

START_TEST(player_with_dummy_device)
{
	setenv("SDL_AUDIODRIVER", "dummy", 1);
	struct bm_audio *a = NULL;
	ck_assert_int_eq(bm_audio_new(&a), BM_AUDIO_OK);
	ck_assert_msg(bm_audio_has_device(a), "SDL's dummy driver expected to open a device");
	ck_assert_msg(bm_audio_rate_hz(a) > 0, "device rate expected > 0");
	for (int c = 0; c < BM_CUE_COUNT; c++)
		ck_assert_int_eq(bm_audio_play(a, c), BM_AUDIO_OK);
	bm_audio_free(a);
	bm_audio_free(NULL);
	ck_assert_int_eq(bm_audio_new(NULL), BM_AUDIO_ERR_ARG);
}
END_TEST

Suite *suite_audio(void)
{
	Suite *s = suite_create("audio");
	TCase *tc = tcase_create("synth");
	tcase_add_test(tc, tone_has_its_frequency_length_and_fades);
	tcase_add_test(tc, cues_are_distinct_and_well_formed);
	suite_add_tcase(s, tc);
	tc = tcase_create("player");
	tcase_add_test(tc, player_without_device_is_silent_but_works);
	tcase_add_test(tc, player_with_dummy_device);
	suite_add_tcase(s, tc);
	return s;
}
