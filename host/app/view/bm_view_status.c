/*
 * bm_view_status.c - the two lines at the bottom: the transient message
 * (yellow, centred, "tare refused: leg loaded") and the status bar.
 *
 * The status bar has three parts: where the data comes from and how well
 * (source, measured rate, dropped frames, CRC errors; or "disconnected"
 * in yellow while the board is away), whether and where we record ("●
 * REC" in red), and the way to the key list.  Strings from the model are
 * printed with a bound so a full buffer cannot spill.
 */
#include "bm_view_priv.h"

#include <stdio.h>

void bm_view_panel_message(struct bm_view *v, const struct bm_view_model *m)
{
	if (!m->message[0])
		return;
	char line[BM_VIEW_MESSAGE_MAX + 1];
	snprintf(line, sizeof line, "%.*s", BM_VIEW_MESSAGE_MAX - 1, m->message);
	text_draw(v, BM_VIEW_FONT_TEXT, BM_VIEW_C_WARN, line, v->lay.message, BM_VIEW_ALIGN_CENTRE);
}

void bm_view_panel_status(struct bm_view *v, const struct bm_view_model *m)
{
	const struct bm_view_layout *L = &v->lay;
	SDL_Rect s = L->status;
	fill(v, s, BM_VIEW_C_TRACK);
	int p = L->pad;
	SDL_Rect left = rect(s.x + p, s.y, s.w * 45 / 100 - p, s.h);
	SDL_Rect mid = rect(s.x + s.w * 45 / 100, s.y, s.w * 37 / 100, s.h);
	SDL_Rect right = rect(s.x + s.w * 82 / 100, s.y, s.w - s.w * 82 / 100 - p, s.h);
	char line[BM_VIEW_PATH_MAX + 64], rate[24];

	if (m->rate_hz > 0)
		snprintf(rate, sizeof rate, "%.1f Hz", (double)m->rate_hz);
	else
		snprintf(rate, sizeof rate, "-- Hz");
	const char *src = m->source[0] ? m->source : "no source";
	if (m->conn == BM_VIEW_CONN_WAITING) {
		snprintf(line, sizeof line, "%.*s \u00b7 disconnected \u2014 waiting for device",
		         BM_VIEW_SOURCE_MAX, src);
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_WARN, line, left, BM_VIEW_ALIGN_LEFT);
	} else {
		snprintf(line, sizeof line, "%.*s \u00b7 %s \u00b7 dropped %llu \u00b7 CRC errors %llu",
		         BM_VIEW_SOURCE_MAX, src, rate, (unsigned long long)m->dropped_frames,
		         (unsigned long long)m->crc_errors);
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_TEXT, line, left, BM_VIEW_ALIGN_LEFT);
	}

	if (m->recording) {
		int w = text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_FLAG, "\u25cf REC", mid,
		                  BM_VIEW_ALIGN_LEFT);
		if (w > 0) {
			SDL_Rect rest = rect(mid.x + w + p, mid.y, mid.w - w - p, mid.h);
			snprintf(line, sizeof line, "%.*s", BM_VIEW_PATH_MAX, m->rec_file);
			text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_TEXT, line, rest, BM_VIEW_ALIGN_LEFT);
		}
	} else {
		text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM, "not recording (space)", mid,
		          BM_VIEW_ALIGN_LEFT);
	}

	text_draw(v, BM_VIEW_FONT_SMALL, BM_VIEW_C_DIM,
	          m->muted ? "sound off \u00b7 h help" : "h help", right, BM_VIEW_ALIGN_RIGHT);
}
