/*
 * bm_audio.c - generated sound cues through SDL audio.
 *
 * The cue set is small and fixed, so every cue is synthesised once at open
 * into its own buffer at the device's rate; playing a cue only starts a
 * voice (a read position into one of those buffers).  The device callback
 * sums the active voices and clamps.  Voices are touched under SDL's device
 * lock, held only for a few assignments by bm_audio_play().
 *
 * Pitches sit between 440 and 1320 Hz, where small speakers and ageing ears
 * both do well, and at a modest level: the cues accompany a calm exercise.
 * They differ in shape (one tone, a tick, rising, falling, a double blip),
 * not only in pitch, so they can be told apart without a musical ear.
 */
#include "bm_audio.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

static const struct bm_tone cue_table[BM_CUE_COUNT][BM_CUE_MAX_TONES] = {
	[BM_CUE_HOLD_START] = {{660.0, 0.150, 0.0, 0.30}},
	[BM_CUE_TICK_10S] = {{1320.0, 0.040, 0.0, 0.15}},
	[BM_CUE_TARGET] = {{660.0, 0.110, 0.020, 0.30},
	                   {880.0, 0.110, 0.020, 0.30},
	                   {1320.0, 0.200, 0.0, 0.30}},
	[BM_CUE_HOLD_END] = {{660.0, 0.120, 0.020, 0.30}, {440.0, 0.200, 0.0, 0.30}},
	[BM_CUE_REP] = {{990.0, 0.050, 0.040, 0.22}, {990.0, 0.050, 0.0, 0.22}},
};
static const int cue_ntones[BM_CUE_COUNT] = {
	[BM_CUE_HOLD_START] = 1, [BM_CUE_TICK_10S] = 1, [BM_CUE_TARGET] = 3,
	[BM_CUE_HOLD_END] = 2, [BM_CUE_REP] = 2,
};

int bm_cue_tones(enum bm_cue cue, const struct bm_tone **tones)
{
	if ((unsigned)cue >= BM_CUE_COUNT) {
		*tones = NULL;
		return 0;
	}
	*tones = cue_table[cue];
	return cue_ntones[cue];
}

static size_t secs_to_samples(double s, int rate_hz)
{
	if (!(s > 0) || rate_hz <= 0)
		return 0;
	return (size_t)llround(s * rate_hz);
}

size_t bm_tone_len(const struct bm_tone *tone, int rate_hz)
{
	return secs_to_samples(tone->dur_s, rate_hz) + secs_to_samples(tone->gap_after_s, rate_hz);
}

size_t bm_tone_synth(const struct bm_tone *tone, int rate_hz, double fade_s,
                     float *out, size_t cap)
{
	size_t n = secs_to_samples(tone->dur_s, rate_hz);
	size_t total = n + secs_to_samples(tone->gap_after_s, rate_hz);
	if (total > cap)
		total = cap;
	size_t fade = secs_to_samples(fade_s, rate_hz);
	if (fade > n / 2)
		fade = n / 2;
	double w = 2.0 * M_PI * tone->freq_hz / rate_hz;
	for (size_t k = 0; k < total; k++) {
		if (k >= n) {
			out[k] = 0.0f;
			continue;
		}
		/* Raised cosine over the first and last `fade` samples. */
		double env = 1.0;
		size_t from_end = n - 1 - k;
		size_t edge = k < from_end ? k : from_end;
		if (edge < fade)
			env = 0.5 - 0.5 * cos(M_PI * (double)edge / (double)fade);
		out[k] = (float)(tone->amp * env * sin(w * (double)k));
	}
	return total;
}

size_t bm_cue_len(enum bm_cue cue, int rate_hz)
{
	const struct bm_tone *t;
	int nt = bm_cue_tones(cue, &t);
	size_t n = 0;
	for (int i = 0; i < nt; i++)
		n += bm_tone_len(&t[i], rate_hz);
	return n;
}

size_t bm_cue_synth(enum bm_cue cue, int rate_hz, float *out, size_t cap)
{
	const struct bm_tone *t;
	int nt = bm_cue_tones(cue, &t);
	size_t at = 0;
	for (int i = 0; i < nt && at < cap; i++)
		at += bm_tone_synth(&t[i], rate_hz, BM_AUDIO_FADE_S, out + at, cap - at);
	return at;
}

/* ---- player ----------------------------------------------------------- */

struct voice {
	int cue;    /* -1: idle */
	size_t pos; /* next sample */
	unsigned long age; /* start order, to cut the oldest */
};

struct bm_audio {
	SDL_AudioDeviceID dev; /* 0: no device */
	bool sdl_audio_init;   /* we hold a ref on SDL_INIT_AUDIO */
	int rate_hz;
	bool muted;
	float *cue_buf[BM_CUE_COUNT];
	size_t cue_n[BM_CUE_COUNT];
	struct voice voice[BM_AUDIO_VOICES];
	unsigned long starts;
};

/* Mix into out; caller holds the device lock when there is a device. */
static void mix(struct bm_audio *a, float *out, size_t n)
{
	memset(out, 0, n * sizeof *out);
	for (int i = 0; i < BM_AUDIO_VOICES; i++) {
		struct voice *vo = &a->voice[i];
		if (vo->cue < 0)
			continue;
		const float *src = a->cue_buf[vo->cue];
		size_t left = a->cue_n[vo->cue] - vo->pos;
		size_t m = left < n ? left : n;
		for (size_t k = 0; k < m; k++)
			out[k] += src[vo->pos + k];
		vo->pos += m;
		if (vo->pos >= a->cue_n[vo->cue])
			vo->cue = -1;
	}
	for (size_t k = 0; k < n; k++) {
		if (out[k] > 1.0f)
			out[k] = 1.0f;
		else if (out[k] < -1.0f)
			out[k] = -1.0f;
	}
}

static void SDLCALL audio_callback(void *user, Uint8 *stream, int len)
{
	mix(user, (float *)(void *)stream, (size_t)len / sizeof(float));
}

static bool make_cues(struct bm_audio *a)
{
	for (int c = 0; c < BM_CUE_COUNT; c++) {
		a->cue_n[c] = bm_cue_len(c, a->rate_hz);
		a->cue_buf[c] = malloc((a->cue_n[c] ? a->cue_n[c] : 1) * sizeof(float));
		if (!a->cue_buf[c])
			return false;
		bm_cue_synth(c, a->rate_hz, a->cue_buf[c], a->cue_n[c]);
	}
	return true;
}

int bm_audio_new(struct bm_audio **out)
{
	if (!out)
		return BM_AUDIO_ERR_ARG;
	*out = NULL;
	struct bm_audio *a = calloc(1, sizeof *a);
	if (!a)
		return BM_AUDIO_ERR_NOMEM;
	for (int i = 0; i < BM_AUDIO_VOICES; i++)
		a->voice[i].cue = -1;
	a->rate_hz = BM_AUDIO_RATE_HZ;

	SDL_AudioSpec want = {0}, have = {0};
	want.freq = BM_AUDIO_RATE_HZ;
	want.format = AUDIO_F32SYS;
	want.channels = 1;
	want.samples = 512; /* about 11 ms: cues land on the frame they belong to */
	want.callback = audio_callback;
	want.userdata = a;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		fprintf(stderr, "bridgemon: no audio (%s): sound cues off\n", SDL_GetError());
	} else {
		a->sdl_audio_init = true;
		/* Let SDL convert format and channels; take its rate if it
		 * insists, and synthesise at that rate (no resampling). */
		a->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have,
		                             SDL_AUDIO_ALLOW_FREQUENCY_CHANGE);
		if (a->dev == 0)
			fprintf(stderr, "bridgemon: no audio device (%s): sound cues off\n",
			        SDL_GetError());
		else
			a->rate_hz = have.freq;
	}
	if (!make_cues(a)) {
		bm_audio_free(a);
		return BM_AUDIO_ERR_NOMEM;
	}
	if (a->dev)
		SDL_PauseAudioDevice(a->dev, 0);
	*out = a;
	return BM_AUDIO_OK;
}

void bm_audio_free(struct bm_audio *a)
{
	if (!a)
		return;
	if (a->dev)
		SDL_CloseAudioDevice(a->dev);
	if (a->sdl_audio_init)
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	for (int c = 0; c < BM_CUE_COUNT; c++)
		free(a->cue_buf[c]);
	free(a);
}

bool bm_audio_has_device(const struct bm_audio *a)
{
	return a && a->dev != 0;
}

static void lock(struct bm_audio *a)
{
	if (a->dev)
		SDL_LockAudioDevice(a->dev);
}

static void unlock(struct bm_audio *a)
{
	if (a->dev)
		SDL_UnlockAudioDevice(a->dev);
}

int bm_audio_play(struct bm_audio *a, enum bm_cue cue)
{
	if (!a || (unsigned)cue >= BM_CUE_COUNT)
		return BM_AUDIO_ERR_ARG;
	if (a->muted)
		return BM_AUDIO_OK;
	lock(a);
	struct voice *slot = NULL;
	for (int i = 0; i < BM_AUDIO_VOICES; i++) {
		struct voice *vo = &a->voice[i];
		if (vo->cue < 0) {
			slot = vo;
			break;
		}
		if (!slot || vo->age < slot->age)
			slot = vo;
	}
	slot->cue = (int)cue;
	slot->pos = 0;
	slot->age = ++a->starts;
	unlock(a);
	return BM_AUDIO_OK;
}

void bm_audio_set_muted(struct bm_audio *a, bool muted)
{
	if (!a)
		return;
	lock(a);
	a->muted = muted;
	if (muted)
		for (int i = 0; i < BM_AUDIO_VOICES; i++)
			a->voice[i].cue = -1;
	unlock(a);
}

bool bm_audio_muted(const struct bm_audio *a)
{
	return a && a->muted;
}

int bm_audio_rate_hz(const struct bm_audio *a)
{
	return a ? a->rate_hz : BM_AUDIO_RATE_HZ;
}

void bm_audio_render(struct bm_audio *a, float *out, size_t n)
{
	lock(a);
	mix(a, out, n);
	unlock(a);
}
