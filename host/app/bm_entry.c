/* bm_entry.c - one line typed into the window; the idea is in bm_entry.h. */
#include "bm_entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void start(struct bm_entry *e, enum bm_entry_mode mode)
{
	memset(e, 0, sizeof *e);
	e->mode = mode;
	e->status = BM_ENTRY_OPEN;
}

void bm_entry_number(struct bm_entry *e, int lo, int hi)
{
	start(e, BM_ENTRY_NUMBER);
	e->lo = lo;
	e->hi = hi;
}

void bm_entry_text(struct bm_entry *e, size_t max_bytes)
{
	start(e, BM_ENTRY_TEXT);
	e->max_bytes = max_bytes > 0 && max_bytes < BM_ENTRY_MAX ? max_bytes : BM_ENTRY_MAX - 1;
}

/* Digits of the range's longest number, plus one. */
static size_t number_room(const struct bm_entry *e)
{
	char buf[16];
	return (size_t)snprintf(buf, sizeof buf, "%d", e->hi) + 1;
}

static void type_number(struct bm_entry *e, const char *s)
{
	size_t n = strlen(e->text), room = number_room(e);
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			snprintf(e->msg, sizeof e->msg, "a whole number from %d to %d, please", e->lo,
			         e->hi);
			continue;
		}
		if (n >= room) {
			snprintf(e->msg, sizeof e->msg, "too many digits: type %d to %d", e->lo, e->hi);
			continue;
		}
		e->text[n++] = *s;
		e->text[n] = '\0';
		e->msg[0] = '\0';
	}
}

/* Length in bytes of the UTF-8 character starting with @p c (1 for a
 * stray continuation byte, so a bad sequence is still consumed). */
static size_t utf8_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

static void type_text(struct bm_entry *e, const char *s)
{
	size_t n = strlen(e->text);
	while (*s) {
		size_t k = utf8_len((unsigned char)*s);
		if (strnlen(s, k) < k)
			break; /* cut short: nothing more to take */
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			snprintf(e->msg, sizeof e->msg, "a name is letters, digits and spaces");
			s++;
			continue;
		}
		if (n + k > e->max_bytes) {
			snprintf(e->msg, sizeof e->msg, "a name is at most %zu bytes", e->max_bytes);
			break;
		}
		memcpy(e->text + n, s, k);
		n += k;
		e->text[n] = '\0';
		e->msg[0] = '\0';
		s += k;
	}
}

void bm_entry_type(struct bm_entry *e, const char *utf8)
{
	if (e->status != BM_ENTRY_OPEN || !utf8)
		return;
	if (e->mode == BM_ENTRY_NUMBER)
		type_number(e, utf8);
	else
		type_text(e, utf8);
}

void bm_entry_backspace(struct bm_entry *e)
{
	size_t n = strlen(e->text);
	if (e->status != BM_ENTRY_OPEN || !n)
		return;
	/* Back over continuation bytes to the character's first byte. */
	while (n > 0 && ((unsigned char)e->text[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		n--;
	e->text[n] = '\0';
	e->msg[0] = '\0';
}

/* Spaces off both ends of a name, in place. */
static void trim(char *s)
{
	size_t a = strspn(s, " "), n = strlen(s);
	while (n > a && s[n - 1] == ' ')
		n--;
	memmove(s, s + a, n - a);
	s[n - a] = '\0';
}

enum bm_entry_status bm_entry_enter(struct bm_entry *e)
{
	if (e->status != BM_ENTRY_OPEN)
		return e->status;
	if (e->mode == BM_ENTRY_TEXT) {
		char t[BM_ENTRY_MAX];
		snprintf(t, sizeof t, "%s", e->text);
		trim(t);
		if (!t[0]) {
			snprintf(e->msg, sizeof e->msg, "type a name first (Esc to close)");
			return BM_ENTRY_OPEN;
		}
		snprintf(e->text, sizeof e->text, "%s", t);
		e->msg[0] = '\0';
		return e->status = BM_ENTRY_DONE;
	}
	if (!e->text[0]) {
		snprintf(e->msg, sizeof e->msg, "type a number from %d to %d first (Esc to skip)",
		         e->lo, e->hi);
		return BM_ENTRY_OPEN;
	}
	long v = strtol(e->text, NULL, 10); /* digits only, at most five */
	if (v < e->lo || v > e->hi) {
		snprintf(e->msg, sizeof e->msg, "%ld is out of range: type %d to %d", v, e->lo, e->hi);
		return BM_ENTRY_OPEN;
	}
	e->value = (int)v;
	e->msg[0] = '\0';
	return e->status = BM_ENTRY_DONE;
}

enum bm_entry_status bm_entry_escape(struct bm_entry *e)
{
	if (e->status == BM_ENTRY_OPEN)
		e->status = BM_ENTRY_SKIPPED;
	return e->status;
}
