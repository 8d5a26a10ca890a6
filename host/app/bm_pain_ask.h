/*
 * bm_pain_ask.h - the pain questions a window session asks, one at a time:
 * the morning after the athlete's last session (at start, when that
 * session is on an earlier day and has no morning score yet), pain now
 * (at start, unless --pain-before was given) and pain after (when a
 * recording stops, or at quit, unless --pain-after was given).
 *
 * A question never stops the session: the data keeps flowing behind it and
 * keys it does not take keep working.  Each is a number entry 0-10
 * (bm_entry.h); Enter answers it, Esc skips it; either way the next
 * question in the queue comes up.  Plain C: tested without a window.
 */
#ifndef BM_PAIN_ASK_H
#define BM_PAIN_ASK_H

#include <stddef.h>

#include "bm_entry.h"

/** Which question. */
enum bm_pain_q {
	BM_PAIN_Q_NONE = 0,
	BM_PAIN_Q_MORNING = 1, /**< the morning after the last session */
	BM_PAIN_Q_BEFORE = 2,  /**< now, before the session */
	BM_PAIN_Q_AFTER = 3,   /**< after the session (a recording stopped, or at quit) */
};

/** Highest pain score (scores are whole numbers 0..BM_PAIN_ASK_MAX). */
#define BM_PAIN_ASK_MAX 10

struct bm_pain_ask {
	enum bm_pain_q queue[3];  /**< [0] is being asked; each question once */
	size_t n;
	struct bm_entry entry;    /**< the answer to queue[0] as typed */
	char morning_of[48];      /**< "yesterday's session", "the session of 2026-12-01" */
};

/** What finished a question. */
struct bm_pain_answer {
	enum bm_pain_q q;
	int skipped;              /**< Esc: no score */
	int score;                /**< 0-10 when not skipped */
};

/** Nothing asked. @p a must not be NULL. */
void bm_pain_ask_init(struct bm_pain_ask *a);

/** Queue question @p q (a question already queued is not asked twice).
 *  @p morning_of: for BM_PAIN_Q_MORNING, which session (copied; may be NULL). */
void bm_pain_ask_push(struct bm_pain_ask *a, enum bm_pain_q q, const char *morning_of);

/** The question being asked, or BM_PAIN_Q_NONE. */
enum bm_pain_q bm_pain_ask_current(const struct bm_pain_ask *a);

/** The question in words ("pain now, 0-10?"); "" when none. */
void bm_pain_ask_prompt(const struct bm_pain_ask *a, char *out, size_t len);

/** How to answer, or why the last key was refused: @p refused set to 1
 *  for a refusal. */
void bm_pain_ask_hint(const struct bm_pain_ask *a, char *out, size_t len, int *refused);

/** Keys while a question is open (no-ops when none is). */
void bm_pain_ask_type(struct bm_pain_ask *a, const char *utf8);
void bm_pain_ask_backspace(struct bm_pain_ask *a);

/** Enter: 1 when the question was answered (@p out set, the next one
 *  comes up), 0 when refused (the hint says why) or none was open. */
int bm_pain_ask_enter(struct bm_pain_ask *a, struct bm_pain_answer *out);

/** Esc: 1 when a question was skipped (@p out set), 0 when none was open. */
int bm_pain_ask_escape(struct bm_pain_ask *a, struct bm_pain_answer *out);

#endif
