/* bm_pain.c - pain zones and the load advice; see bm_pain.h for the rules. */
#include "bm_pain.h"

#include <math.h>
#include <stdio.h>

#define PAIN_MAX 10.0

void bm_pain_params_default(struct bm_pain_params *p)
{
	p->safe_max = 2;
	p->acceptable_max = 5;
	p->progress_max = 3;
}

enum bm_pain_zone bm_pain_zone_with(double score, const struct bm_pain_params *p)
{
	struct bm_pain_params def;
	if (!p) {
		bm_pain_params_default(&def);
		p = &def;
	}
	if (!(score >= 0 && score <= PAIN_MAX))
		return BM_PAIN_UNKNOWN;
	if (score <= p->safe_max)
		return BM_PAIN_SAFE;
	if (score <= p->acceptable_max)
		return BM_PAIN_ACCEPTABLE;
	return BM_PAIN_TOO_MUCH;
}

enum bm_pain_zone bm_pain_zone_of(double score)
{
	return bm_pain_zone_with(score, NULL);
}

const char *bm_pain_zone_name(enum bm_pain_zone z)
{
	switch (z) {
	case BM_PAIN_SAFE: return "safe";
	case BM_PAIN_ACCEPTABLE: return "acceptable";
	case BM_PAIN_TOO_MUCH: return "too much";
	default: return "unknown";
	}
}

const char *bm_pain_advice_name(enum bm_pain_advice a)
{
	switch (a) {
	case BM_PAIN_ADVICE_PROGRESS: return "progress the load";
	case BM_PAIN_ADVICE_HOLD: return "hold the load";
	case BM_PAIN_ADVICE_REDUCE: return "reduce the load";
	default: return "no advice yet";
	}
}

static int bad_score(double s)
{
	return !isnan(s) && !(s >= 0 && s <= PAIN_MAX);
}

static enum bm_pain_advice say(enum bm_pain_advice a, char *text, size_t len, const char *why)
{
	if (text && len)
		snprintf(text, len, "%s: %s (" BM_GUIDANCE_LABEL ")", bm_pain_advice_name(a), why);
	return a;
}

int bm_pain_advise(double before, double after, double next_morning,
                   const struct bm_pain_params *p, enum bm_pain_advice *advice,
                   char *text, size_t text_len)
{
	struct bm_pain_params def;
	char why[160];
	if (text && text_len)
		text[0] = '\0';
	if (!advice)
		return BM_PAIN_ERR_ARG;
	*advice = BM_PAIN_ADVICE_UNKNOWN;
	if (!p) {
		bm_pain_params_default(&def);
		p = &def;
	}
	if (bad_score(before) || bad_score(after) || bad_score(next_morning)) {
		say(BM_PAIN_ADVICE_UNKNOWN, text, text_len, "pain scores must be 0-10");
		return BM_PAIN_ERR_ARG;
	}
	if (after > p->acceptable_max) {
		snprintf(why, sizeof why, "pain %g/10 during the session is above %g", after,
		         p->acceptable_max);
		*advice = say(BM_PAIN_ADVICE_REDUCE, text, text_len, why);
	} else if (next_morning > p->acceptable_max) {
		snprintf(why, sizeof why, "pain %g/10 the next morning is above %g", next_morning,
		         p->acceptable_max);
		*advice = say(BM_PAIN_ADVICE_REDUCE, text, text_len, why);
	} else if (!isnan(before) && next_morning > before) {
		snprintf(why, sizeof why, "pain had not settled by the next morning (%g/10, %g before "
		         "the session)", next_morning, before);
		*advice = say(BM_PAIN_ADVICE_REDUCE, text, text_len, why);
	} else if (isnan(after)) {
		*advice = say(BM_PAIN_ADVICE_UNKNOWN, text, text_len,
		              "give the pain score during the session first");
	} else if (isnan(next_morning)) {
		snprintf(why, sizeof why, "pain %g/10 during the session; wait for the next morning's "
		         "score before progressing", after);
		*advice = say(BM_PAIN_ADVICE_HOLD, text, text_len, why);
	} else {
		int settled = isnan(before) ? next_morning <= p->safe_max : next_morning <= before;
		if (after <= p->progress_max && settled) {
			snprintf(why, sizeof why, "pain %g/10 during (at most %g) and settled by the next "
			         "morning (%g/10)", after, p->progress_max, next_morning);
			*advice = say(BM_PAIN_ADVICE_PROGRESS, text, text_len, why);
		} else if (!settled) {
			snprintf(why, sizeof why, "pain %g/10 the next morning is not back in the safe "
			         "zone (0-%g)", next_morning, p->safe_max);
			*advice = say(BM_PAIN_ADVICE_HOLD, text, text_len, why);
		} else {
			snprintf(why, sizeof why, "pain %g/10 during the session is acceptable but above %g",
			         after, p->progress_max);
			*advice = say(BM_PAIN_ADVICE_HOLD, text, text_len, why);
		}
	}
	return BM_PAIN_OK;
}
