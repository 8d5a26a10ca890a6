/*
 * bm_view_wrap.c - a sentence drawn over several lines: words are added to
 * a line while it fits the box's width in the font's present size, so an
 * advice or a prompt is never cut off mid-sentence at any window size
 * (only a single word wider than the box is cropped).
 */
#include "bm_view_priv.h"

#include <stdio.h>
#include <string.h>

int bm_view_text_wrapped(struct bm_view *v, int role, enum bm_view_colour colour,
                         const char *text, SDL_Rect box, int lh, int max_lines)
{
	char line[BM_VIEW_MESSAGE_MAX], cand[BM_VIEW_MESSAGE_MAX];
	const char *p = text;
	int n = 0, y = box.y;
	if (lh <= 0)
		return 0;
	while (*p && n < max_lines) {
		size_t len = 0;
		line[0] = '\0';
		for (;;) {
			while (*p == ' ')
				p++;
			size_t word = strcspn(p, " ");
			if (!word)
				break;
			snprintf(cand, sizeof cand, "%s%s%.*s", line, len ? " " : "", (int)word, p);
			/* The last line takes what is left (cropped). */
			if (len && n + 1 < max_lines && bm_view_textcache_width(v->text, role, cand) > box.w)
				break;
			snprintf(line, sizeof line, "%s", cand);
			len = strlen(line);
			p += word;
		}
		text_draw(v, role, colour, line, rect(box.x, y, box.w, lh), BM_VIEW_ALIGN_CENTRE);
		y += lh;
		n++;
	}
	return n;
}
