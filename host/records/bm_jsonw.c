/* bm_jsonw.c - JSON strings and numbers; the idea is in bm_jsonw.h. */
#include "bm_jsonw.h"

#include <math.h>

int bm_jsonw_utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	int n;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	unsigned cp = c & (0x7fu >> n);
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF are not
	 * UTF-8 either. */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* Bytes that go out as they are: printable ASCII but the quote and the
 * backslash. */
static int plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void bm_jsonw_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		/* A run of plain bytes in one write: names are mostly that. */
		const unsigned char *q = p;
		while (plain(*q))
			q++;
		if (q > p) {
			fwrite(p, 1, (size_t)(q - p), f);
			p = q;
			continue;
		}
		unsigned c = *p;
		if (c == '"' || c == '\\') {
			putc('\\', f);
			putc((int)c, f);
			p++;
		} else if (c == '\n') {
			fputs("\\n", f);
			p++;
		} else if (c == '\t') {
			fputs("\\t", f);
			p++;
		} else if (c == '\r') {
			fputs("\\r", f);
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
			p++;
		} else {
			int n = bm_jsonw_utf8_len(p);
			if (n == 0) {
				fputs("\\ufffd", f); /* not UTF-8: the replacement character */
				p++;
			} else {
				fwrite(p, 1, (size_t)n, f);
				p += n;
			}
		}
	}
	putc('"', f);
}

void bm_jsonw_num(FILE *f, double v, int decimals)
{
	if (!isfinite(v)) {
		fputs("null", f);
		return;
	}
	char buf[64];
	snprintf(buf, sizeof buf, "%.*f", decimals, v);
	/* "-0.0" (a tiny negative rounded away) prints as 0. */
	int zero = 1;
	for (const char *p = buf; *p; p++)
		if (*p >= '1' && *p <= '9')
			zero = 0;
	fputs(zero && buf[0] == '-' ? buf + 1 : buf, f);
}
