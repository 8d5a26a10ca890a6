/*
 * bm_jsonw.h - the few pieces of JSON output the records commands share:
 * a string escaped for JSON whatever bytes it holds, and a number with a
 * fixed count of decimals or null.
 *
 * Strings come from file names and from what people type (athlete names,
 * notes): a quote, a backslash, a newline or a control character is
 * escaped, and bytes that are not UTF-8 (a file name from an old system)
 * become U+FFFD, so the output is always valid JSON in UTF-8.  Numbers are
 * printed with a fixed count of decimals so that two back ends (SQLite,
 * PostgreSQL) giving the same doubles give the same bytes; NaN and
 * infinities are null, and -0 prints as 0.
 */
#ifndef BM_JSONW_H
#define BM_JSONW_H

#include <stdio.h>

/** Write @p s (NULL: null) as a JSON string with its quotes. */
void bm_jsonw_str(FILE *f, const char *s);

/** Write @p v with @p decimals decimals, or null when not finite. */
void bm_jsonw_num(FILE *f, double v, int decimals);

/** The length of the valid UTF-8 sequence at @p s (1-4), or 0 when the
 *  bytes there are not one (@p s is NUL-terminated). */
int bm_jsonw_utf8_len(const unsigned char *s);

#endif
