/*
 * bm_say.h - the one-line messages every module hands back: formatted into
 * the caller's buffer, which may be NULL or empty when the caller does not
 * want the words.
 */
#ifndef BM_SAY_H
#define BM_SAY_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/** printf into @p msg of @p len bytes (nothing when msg is NULL or len 0). */
static inline void bm_say(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void bm_say(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;
	if (!msg || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

#endif
