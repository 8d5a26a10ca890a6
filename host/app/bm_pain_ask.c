/* bm_pain_ask.c - the window's pain questions; see bm_pain_ask.h. */
#include "bm_pain_ask.h"

#include <stdio.h>
#include <string.h>

void bm_pain_ask_init(struct bm_pain_ask *a)
{
	memset(a, 0, sizeof *a);
}

void bm_pain_ask_push(struct bm_pain_ask *a, enum bm_pain_q q, const char *morning_of)
{
	if (q == BM_PAIN_Q_NONE || a->n == sizeof a->queue / sizeof a->queue[0])
		return;
	for (size_t i = 0; i < a->n; i++)
		if (a->queue[i] == q)
			return;
	if (q == BM_PAIN_Q_MORNING)
		snprintf(a->morning_of, sizeof a->morning_of, "%s",
		         morning_of ? morning_of : "the last session");
	a->queue[a->n++] = q;
	if (a->n == 1)
		bm_entry_number(&a->entry, 0, BM_PAIN_ASK_MAX);
}

enum bm_pain_q bm_pain_ask_current(const struct bm_pain_ask *a)
{
	return a->n ? a->queue[0] : BM_PAIN_Q_NONE;
}

void bm_pain_ask_prompt(const struct bm_pain_ask *a, char *out, size_t len)
{
	switch (bm_pain_ask_current(a)) {
	case BM_PAIN_Q_MORNING:
		snprintf(out, len, "pain this morning after %s, 0-10?", a->morning_of);
		break;
	case BM_PAIN_Q_BEFORE:
		snprintf(out, len, "pain now, 0-10?");
		break;
	case BM_PAIN_Q_AFTER:
		snprintf(out, len, "pain after the session, 0-10?");
		break;
	default:
		snprintf(out, len, "%s", "");
		break;
	}
}

void bm_pain_ask_hint(const struct bm_pain_ask *a, char *out, size_t len, int *refused)
{
	*refused = a->n && a->entry.msg[0];
	snprintf(out, len, "%s", *refused ? a->entry.msg : "type a number, Enter; Esc to skip");
}

void bm_pain_ask_type(struct bm_pain_ask *a, const char *utf8)
{
	if (a->n)
		bm_entry_type(&a->entry, utf8);
}

void bm_pain_ask_backspace(struct bm_pain_ask *a)
{
	if (a->n)
		bm_entry_backspace(&a->entry);
}

/* The question is over: the next one comes up. */
static void next(struct bm_pain_ask *a)
{
	memmove(a->queue, a->queue + 1, (a->n - 1) * sizeof a->queue[0]);
	a->n--;
	if (a->n)
		bm_entry_number(&a->entry, 0, BM_PAIN_ASK_MAX);
}

int bm_pain_ask_enter(struct bm_pain_ask *a, struct bm_pain_answer *out)
{
	if (!a->n || bm_entry_enter(&a->entry) != BM_ENTRY_DONE)
		return 0;
	out->q = a->queue[0];
	out->skipped = 0;
	out->score = a->entry.value;
	next(a);
	return 1;
}

int bm_pain_ask_escape(struct bm_pain_ask *a, struct bm_pain_answer *out)
{
	if (!a->n)
		return 0;
	bm_entry_escape(&a->entry);
	out->q = a->queue[0];
	out->skipped = 1;
	out->score = -1;
	next(a);
	return 1;
}
