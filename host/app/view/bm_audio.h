/*
 * bm_audio.h - sound cues for the live monitor: short generated tones.
 *
 * An athlete on the mat looks at the ceiling half the time, so the moments
 * that matter are also heard: a hold starts, every ten seconds of it, the
 * target duration is reached, the hold ends, a rep is counted.  Each cue is
 * one to three sine tones with a raised-cosine fade in and out (5 ms), which
 * is what keeps a tone from clicking when it starts or stops mid-wave.
 *
 * Tone synthesis is a pure function over a caller's buffer, so the tests
 * check frequencies, lengths and fades without any audio device.  Playback
 * mixes up to a few cues at once on SDL's audio thread from buffers made
 * once at open.  A machine without audio (headless, no sound card, no
 * server) is normal: bm_audio_new() logs one line and hands back a silent
 * player; nothing else changes for the caller.
 */
#ifndef BM_AUDIO_H
#define BM_AUDIO_H

#include <stdbool.h>
#include <stddef.h>

/** Return codes.  0 is success, negatives are errors. */
enum bm_audio_err {
	BM_AUDIO_OK = 0,
	BM_AUDIO_ERR_ARG = -1,   /**< NULL pointer or bad value */
	BM_AUDIO_ERR_NOMEM = -2, /**< out of memory */
};

/** The cues, in the order a hold meets them. */
enum bm_cue {
	BM_CUE_HOLD_START = 0, /**< one mid tone */
	BM_CUE_TICK_10S,       /**< a short, soft high tick every 10 s of a hold */
	BM_CUE_TARGET,         /**< three rising tones: target duration reached */
	BM_CUE_HOLD_END,       /**< two falling tones */
	BM_CUE_REP,            /**< two quick identical blips */
	BM_CUE_COUNT
};

/** Fade in and out of every tone, seconds. */
#define BM_AUDIO_FADE_S 0.005

/** Sample rate asked of the device (it may give another; cues follow). */
#define BM_AUDIO_RATE_HZ 48000

/** One tone of a cue. */
struct bm_tone {
	double freq_hz;     /**< sine frequency */
	double dur_s;       /**< length including the fades */
	double gap_after_s; /**< silence after it (before the next tone) */
	double amp;         /**< peak amplitude, 0..1 of full scale */
};

/** Longest cue, in tones. */
#define BM_CUE_MAX_TONES 3

/**
 * The tones of @p cue (static table).
 * @param tones  set to the first tone; must not be NULL.
 * @return number of tones (1..BM_CUE_MAX_TONES), or 0 for an unknown cue
 *         (*tones is then NULL).
 */
int bm_cue_tones(enum bm_cue cue, const struct bm_tone **tones);

/** Samples bm_tone_synth() writes for @p tone at @p rate_hz (gap included). */
size_t bm_tone_len(const struct bm_tone *tone, int rate_hz);

/**
 * Write one tone (then its gap as zeros) as float samples in -1..1.
 * Sample k of the tone is amp * env(k) * sin(2 pi freq k / rate), where env
 * rises 0 -> 1 over @p fade_s as a raised cosine, stays 1, and falls
 * symmetrically; a tone shorter than two fades fades over half its length.
 * @param out  buffer of @p cap samples; must not be NULL unless cap is 0.
 * @return samples written: min(bm_tone_len(), cap).  Pure.
 */
size_t bm_tone_synth(const struct bm_tone *tone, int rate_hz, double fade_s,
                     float *out, size_t cap);

/** Samples of a whole cue at @p rate_hz; 0 for an unknown cue. */
size_t bm_cue_len(enum bm_cue cue, int rate_hz);

/**
 * Write a whole cue (its tones and gaps in order) with BM_AUDIO_FADE_S
 * fades.  Same rules as bm_tone_synth().  Pure.
 * @return samples written; 0 for an unknown cue.
 */
size_t bm_cue_synth(enum bm_cue cue, int rate_hz, float *out, size_t cap);

struct bm_audio;

/**
 * Open the default audio output (initialising SDL's audio subsystem) and
 * make the cue buffers.  With no device it still succeeds: one line goes
 * to stderr ("no audio device ...: sound cues off") and the player is silent
 * (bm_audio_has_device() false).
 * @param out  set to the player, or NULL on error; must not be NULL.
 * @return BM_AUDIO_OK, BM_AUDIO_ERR_ARG, BM_AUDIO_ERR_NOMEM.
 */
int bm_audio_new(struct bm_audio **out);

/** Close the device, quit SDL's audio subsystem, free (NULL is fine). */
void bm_audio_free(struct bm_audio *a);

/** True when a device is open and cues are heard (unless muted). */
bool bm_audio_has_device(const struct bm_audio *a);

/**
 * Start @p cue now, mixed with any cue still sounding (the oldest of
 * BM_AUDIO_VOICES is cut when all are busy).  Ignored while muted.
 * Safe from the drawing thread; never blocks on the device for longer
 * than one mix.  @return BM_AUDIO_OK, or BM_AUDIO_ERR_ARG (NULL, unknown cue).
 */
int bm_audio_play(struct bm_audio *a, enum bm_cue cue);

/** Cues that can sound at once. */
#define BM_AUDIO_VOICES 4

/** Mute or unmute; muting also silences cues already sounding. */
void bm_audio_set_muted(struct bm_audio *a, bool muted);

/** Current mute state. */
bool bm_audio_muted(const struct bm_audio *a);

/** Sample rate the cues are made at (the device's, or BM_AUDIO_RATE_HZ). */
int bm_audio_rate_hz(const struct bm_audio *a);

/**
 * Mix the next @p n samples of whatever is sounding into @p out (which is
 * overwritten), advancing the cues: what the device callback does.  Exposed
 * so tests can hear a player without a device; with a device open it takes
 * the device lock, so it is safe, it only steals the samples.
 */
void bm_audio_render(struct bm_audio *a, float *out, size_t n);

#endif /* BM_AUDIO_H */
