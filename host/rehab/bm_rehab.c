/* bm_rehab.c - side names; see bm_rehab.h. */
#include "bm_rehab.h"

#include <stdarg.h>
#include <stdio.h>

#include <string.h>

static const char *const side_names[] = {"left", "right", "both", "none"};

const char *bm_side_name(enum bm_side side)
{
	if ((unsigned)side >= sizeof side_names / sizeof side_names[0])
		return "?";
	return side_names[side];
}

int bm_side_parse(const char *name, enum bm_side *side)
{
	if (!name || !side)
		return -1;
	for (unsigned i = 0; i < sizeof side_names / sizeof side_names[0]; i++) {
		if (strcmp(name, side_names[i]) == 0) {
			*side = (enum bm_side)i;
			return 0;
		}
	}
	return -1;
}

void bm_outbuf_put(struct bm_outbuf *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *dst = o->len < o->cap ? o->p + o->len : NULL;
	size_t room = o->len < o->cap ? o->cap - o->len : 0;
	int n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}
