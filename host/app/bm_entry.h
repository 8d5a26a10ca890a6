/*
 * bm_entry.h - one line typed into the window: a whole number in a range
 * (a pain score 0-10) or a name (a new athlete).
 *
 * The window stays live while a line is typed (data keeps flowing, the
 * bars move), so typing is a small state machine fed one key at a time:
 * text as the keyboard produced it (UTF-8), Backspace, Enter, Esc.  It
 * knows no SDL, so it is tested as plain C.  Enter either accepts the line
 * (DONE: the number is in value, the name in text) or refuses it with a
 * one-line reason in msg and keeps it open ("11 is out of range: type 0 to
 * 10"); Esc gives up (SKIPPED).  A number entry takes digits only; a
 * name entry takes any printable text up to its length, and Backspace
 * removes a whole character, not a byte of one.
 */
#ifndef BM_ENTRY_H
#define BM_ENTRY_H

#include <stddef.h>

/** Longest line, bytes of UTF-8 with the NUL. */
#define BM_ENTRY_MAX 128

enum bm_entry_mode {
	BM_ENTRY_NUMBER = 0, /**< a whole number from lo to hi */
	BM_ENTRY_TEXT = 1,   /**< a name: printable text, spaces trimmed at the ends */
};

/** Where the entry is after a key. */
enum bm_entry_status {
	BM_ENTRY_OPEN = 0,    /**< still typing (a refused Enter leaves it open) */
	BM_ENTRY_DONE = 1,    /**< Enter accepted the line */
	BM_ENTRY_SKIPPED = 2, /**< Esc */
};

struct bm_entry {
	enum bm_entry_mode mode;
	int lo, hi;                /**< NUMBER: the range, inclusive */
	size_t max_bytes;          /**< TEXT: longest name, bytes (< BM_ENTRY_MAX) */
	char text[BM_ENTRY_MAX];   /**< typed so far (after DONE, a name trimmed) */
	char msg[160];             /**< why the last key was refused; "" when none */
	int value;                 /**< NUMBER, after DONE */
	enum bm_entry_status status;
};

/** Start a number entry for @p lo..@p hi (0 <= lo <= hi <= 9999).
 *  @p e must not be NULL. */
void bm_entry_number(struct bm_entry *e, int lo, int hi);

/** Start a name entry of at most @p max_bytes bytes (1 .. BM_ENTRY_MAX - 1). */
void bm_entry_text(struct bm_entry *e, size_t max_bytes);

/**
 * Text typed (UTF-8, as the keyboard gave it; may hold several
 * characters).  A number entry keeps digits up to one more than its
 * range's longest number (so that "11" can be typed and refused with a
 * reason) and refuses anything else with a message; a name entry refuses
 * control characters and what does not fit.
 */
void bm_entry_type(struct bm_entry *e, const char *utf8);

/** Remove the last character typed (nothing when empty). */
void bm_entry_backspace(struct bm_entry *e);

/** Enter: DONE with the value or name, or OPEN with msg saying why not. */
enum bm_entry_status bm_entry_enter(struct bm_entry *e);

/** Esc: SKIPPED. */
enum bm_entry_status bm_entry_escape(struct bm_entry *e);

#endif
