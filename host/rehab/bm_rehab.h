/*
 * bm_rehab.h - the words every rehab module shares: which leg a thing is
 * about, and the label that every piece of guidance carries.
 *
 * The rehab modules (protocols, the runner, zones, pain, dose, change,
 * readiness) are plain C with no I/O, no SDL and no database: the window,
 * the terminal and the store call into them.  Legs are numbered as in the
 * rest of bridgemon (0 left, 1 right); a side adds "both" and "none" for
 * things that concern two legs or neither (an uninjured athlete).
 *
 * Every text these modules produce that tells an athlete what to do is
 * guidance drawn from the pain-monitoring and loading literature, not a
 * clinician's judgement of this athlete, and says so with
 * BM_GUIDANCE_LABEL.
 */
#ifndef BM_REHAB_H
#define BM_REHAB_H

#include <stddef.h>

/** Which leg or legs; LEFT and RIGHT equal the leg index 0 and 1. */
enum bm_side {
	BM_SIDE_LEFT = 0,
	BM_SIDE_RIGHT = 1,
	BM_SIDE_BOTH = 2,
	BM_SIDE_NONE = 3,
};

/** Appended to every piece of guidance text. */
#define BM_GUIDANCE_LABEL "guidance, not medical advice"

/** "left", "right", "both", "none"; "?" for a value outside the enum. */
const char *bm_side_name(enum bm_side side);

/**
 * Side from its name (exactly as bm_side_name writes it).
 * @return 0 with *side set, or -1 (unknown name or NULL; *side untouched).
 */
int bm_side_parse(const char *name, enum bm_side *side);

/** Text written into a caller's buffer snprintf-style: @p len counts every
 *  byte asked for, so the caller learns the whole length even when @p cap
 *  was too small (the text is then cut, still NUL-terminated). */
struct bm_outbuf {
	char *p;
	size_t cap, len;
};

/** printf onto the end of @p o. */
void bm_outbuf_put(struct bm_outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
