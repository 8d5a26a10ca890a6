/*
 * bm_store_text.c - the text rules of the store: UTF-8 validity, and the
 * key under which athlete names are unique.
 *
 * Names are found without regard to case ("anna" finds "Anna").  Neither
 * engine can be trusted to fold case the same way: SQLite's lower() knows
 * ASCII only, PostgreSQL's follows the server's locale, and a clinic's
 * stations may run with different locales.  So the key is computed here,
 * with a small fixed table (simple case folding of the Latin, Greek,
 * Cyrillic and Armenian blocks, plus fullwidth ASCII), stored beside the
 * name, and carries the UNIQUE constraint.  Same input, same key, on every
 * machine and engine.  No Unicode normalisation: a name typed with a
 * combining accent is a different name from the precomposed one.
 */
#include <stdlib.h>
#include <string.h>

#include "bm_store_priv.h"

/* Decode one code point; returns its length (1-4) or 0 if invalid. */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int len;
	uint32_t v, min;
	if ((c & 0xE0) == 0xC0) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

static int utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int bm_store_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	while (*p) {
		int n = utf8_decode(p, &cp);
		if (n == 0)
			return 0;
		p += n;
	}
	return 1;
}

int bm_store_has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return 1;
	return 0;
}

/* In the blocks below capitals and small letters alternate; these say
 * which of the pair is the capital. */
static uint32_t pair_even_upper(uint32_t c) { return c | 1u; }
static uint32_t pair_odd_upper(uint32_t c) { return (c & 1u) ? c + 1 : c; }

/* Simple case folding (Unicode CaseFolding.txt, status C and S) for the
 * blocks people's names are usually written in. */
static uint32_t fold(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	if (c == 0xB5)
		return 0x3BC; /* micro sign -> Greek mu */
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14A && c <= 0x177))
		return pair_even_upper(c);
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return pair_odd_upper(c);
	if (c == 0x178)
		return 0xFF;
	if (c == 0x17F)
		return 's'; /* long s */
	if (c >= 0x1CD && c <= 0x1DC)
		return pair_odd_upper(c);
	if ((c >= 0x1DE && c <= 0x1EF) || (c >= 0x1F8 && c <= 0x21F) ||
	    (c >= 0x222 && c <= 0x233) || (c >= 0x246 && c <= 0x24F))
		return pair_even_upper(c);
	/* Greek */
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 37;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 63;
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
		return c + 32;
	if (c == 0x3C2)
		return 0x3C3; /* final sigma */
	/* Cyrillic */
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
	    (c >= 0x4D0 && c <= 0x52F))
		return pair_even_upper(c);
	if (c == 0x4C0)
		return 0x4CF;
	if (c >= 0x4C1 && c <= 0x4CE)
		return pair_odd_upper(c);
	/* Armenian */
	if (c >= 0x531 && c <= 0x556)
		return c + 48;
	/* Latin Extended Additional (Vietnamese, Welsh, ...) */
	if ((c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF))
		return pair_even_upper(c);
	if (c == 0x1E9E)
		return 0xDF; /* capital sharp s */
	/* Fullwidth Latin capitals */
	if (c >= 0xFF21 && c <= 0xFF3A)
		return c + 32;
	return c;
}

/* Bounds of @p s without spaces at either end. */
static void trimmed(const char *s, const char **b, const char **e)
{
	const char *end = s + strlen(s);
	while (*s == ' ')
		s++;
	while (end > s && end[-1] == ' ')
		end--;
	*b = s;
	*e = end;
}

int bm_store_name_trim(const char *name, char *out, size_t cap)
{
	const char *b, *e;
	trimmed(name, &b, &e);
	size_t n = (size_t)(e - b);
	if (n + 1 > cap)
		return -1;
	memcpy(out, b, n);
	out[n] = '\0';
	return (int)n;
}

int bm_store_name_key(const char *name, char *key, size_t cap)
{
	const char *b, *e;
	trimmed(name, &b, &e);
	size_t len = 0;
	const unsigned char *p = (const unsigned char *)b;
	while (p < (const unsigned char *)e) {
		uint32_t cp;
		int n = utf8_decode(p, &cp);
		if (n == 0)
			return -1;
		p += n;
		char buf[4];
		int m = utf8_encode(fold(cp), buf);
		if (len + (size_t)m + 1 > cap)
			return -1;
		memcpy(key + len, buf, (size_t)m);
		len += (size_t)m;
	}
	if (cap == 0)
		return -1;
	key[len] = '\0';
	return (int)len;
}

char *bm_store_strdup(const char *s, int *ok)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*ok = 0;
	return d;
}
