/*
 * bm_picker.h - choosing the session's athlete in the window (key a): the
 * store's athletes in a list moved through with up and down and taken with
 * Enter, or a new name typed and taken with Enter (the store then creates
 * the athlete); Esc closes it.  Typing wins: with a name typed, Enter takes
 * that name, whatever is highlighted.
 *
 * Plain C (no SDL, no store): the program hands in the names and acts on
 * the choice, so the keys are tested alone.  The view shows a window of
 * rows around the highlighted one (bm_picker_rows()).
 */
#ifndef BM_PICKER_H
#define BM_PICKER_H

#include <stddef.h>

#include "bm_entry.h"

enum bm_picker_status {
	BM_PICKER_OPEN = 0,
	BM_PICKER_CHOSEN = 1,  /**< Enter took a name */
	BM_PICKER_CLOSED = 2,  /**< Esc */
};

struct bm_picker {
	char **names;          /**< the store's athletes, as listed (owned) */
	size_t n;
	size_t sel;            /**< highlighted row (n == 0: none) */
	struct bm_entry name;  /**< a new name being typed */
	char chosen[BM_ENTRY_MAX]; /**< after CHOSEN: the name */
	int chosen_new;        /**< 1: the typed name, 0: a listed one */
	enum bm_picker_status status;
};

/** Open with a copy of @p n @p names (NULL-free).  @p max_name_bytes: the
 *  longest name that can be typed.  @return 0, -1 out of memory (the
 *  picker is then open with no list). */
int bm_picker_open(struct bm_picker *p, const char *const *names, size_t n,
                   size_t max_name_bytes);

/** Free the list (the picker is then empty and closed). */
void bm_picker_free(struct bm_picker *p);

/** Move the highlight (stops at the ends). */
void bm_picker_up(struct bm_picker *p);
void bm_picker_down(struct bm_picker *p);

/** Typing and Backspace edit the new name. */
void bm_picker_type(struct bm_picker *p, const char *utf8);
void bm_picker_backspace(struct bm_picker *p);

/** Enter: CHOSEN (chosen and chosen_new set), or OPEN when there is
 *  nothing to take (an empty store and no name typed: name.msg says so). */
enum bm_picker_status bm_picker_enter(struct bm_picker *p);

/** Esc: CLOSED. */
enum bm_picker_status bm_picker_escape(struct bm_picker *p);

/** The first of at most @p rows rows to show so that the highlighted one
 *  is among them. */
size_t bm_picker_first_row(const struct bm_picker *p, size_t rows);

#endif
