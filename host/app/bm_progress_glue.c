/* bm_progress_glue.c - the progress view's data from the records; the idea
 * is in bm_progress_glue.h. */
#include "bm_progress_glue.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bm_progress.h"
#include "bm_rehab.h"
#include "bm_sync.h"

static enum bm_view_ready ready_of(enum bm_ready_status s)
{
	switch (s) {
	case BM_READY_MET: return BM_VIEW_READY_MET;
	case BM_READY_NOT_MET: return BM_VIEW_READY_NOT_MET;
	default: return BM_VIEW_READY_UNKNOWN;
	}
}

/* Only a title and one line. */
static void say(struct bm_view_progress *out, const char *name, const char *line)
{
	memset(out, 0, sizeof *out);
	if (name)
		snprintf(out->title, sizeof out->title, "Progress: %s", name);
	else
		snprintf(out->title, sizeof out->title, "Progress");
	snprintf(out->message, sizeof out->message, "%s", line);
}

int bm_progress_glue_fill(const struct bm_history *h, const struct bm_readiness_params *rp,
                          struct bm_view_progress *out)
{
	struct bm_readiness_params def;
	struct bm_readiness rd;
	if (!rp) {
		bm_readiness_params_default(&def);
		rp = &def;
	}
	memset(out, 0, sizeof *out);
	if (bm_progress_readiness(h, rp, &rd) != BM_PROGRESS_OK) {
		say(out, h->athlete.name, "the checklist could not be made (out of memory, or "
		                          "thresholds out of range)");
		return -1;
	}
	size_t n = h->n_sessions, first = n > BM_VIEW_PROGRESS_MAX ? n - BM_VIEW_PROGRESS_MAX : 0;
	snprintf(out->title, sizeof out->title, "Progress: %s, %zu session%s%s", h->athlete.name, n,
	         n == 1 ? "" : "s", first ? " (the latest shown)" : "");
	if (!n)
		snprintf(out->message, sizeof out->message,
		         "no sessions of %s in the store yet: record one (space), then p again",
		         h->athlete.name);
	out->n = n - first;
	for (size_t i = 0; i < out->n; i++) {
		const struct bm_history_session *s = &h->sessions[first + i];
		struct bm_progress_point pt;
		bm_progress_point(s, &pt);
		out->epoch_s[i] = pt.epoch_s;
		snprintf(out->date[i], sizeof out->date[i], "%s", s->date);
		out->best_hold_n[BM_LEFT][i] = pt.best_hold_n[0];
		out->best_hold_n[BM_RIGHT][i] = pt.best_hold_n[1];
		out->lsi_pct[i] = pt.lsi_pct;
		out->pain[i] = pt.pain;
	}
	out->lsi_mark_pct = rp->lsi_peak_min_pct;
	snprintf(out->force_label, sizeof out->force_label, "best hold, N above rest:");
	snprintf(out->lsi_label, sizeof out->lsi_label, "LSI on peak force, %%");
	snprintf(out->pain_label, sizeof out->pain_label, "pain 0-10 (right axis)");
	snprintf(out->list_title, sizeof out->list_title, "Return to run");
	for (int i = 0; i < BM_READY_N_ITEMS; i++) {
		out->items[i].state = ready_of(rd.items[i].status);
		snprintf(out->items[i].text, sizeof out->items[i].text, "%s", rd.items[i].text);
	}
	out->items[BM_READY_N_ITEMS].state = ready_of(rd.overall);
	snprintf(out->items[BM_READY_N_ITEMS].text, sizeof out->items[0].text, "%s", rd.text);
	out->n_items = BM_READY_N_ITEMS + 1;
	snprintf(out->note, sizeof out->note, "%s", BM_GUIDANCE_LABEL);
	return 0;
}

/* Sync @p dir into @p st; a problem becomes @p remark ("" when none). */
static void sync_folder(struct bm_store *st, const char *db, const char *dir, char *remark,
                        size_t len)
{
	struct bm_sync_opts so = {dir, NULL, db, NULL, 0};
	struct bm_sync_result res;
	remark[0] = '\0';
	int rc = bm_sync_run(st, &so, &res);
	if (rc != BM_STORE_OK)
		snprintf(remark, len, "not synced, showing the store as it was: %.180s",
		         res.stop_msg);
	else if (res.failed)
		snprintf(remark, len, "%zu recording%s could not be read into the store (`bridgemon "
		         "sync` names them)", res.failed, res.failed == 1 ? "" : "s");
	bm_sync_result_free(&res);
}

void bm_progress_glue_load(struct bm_store *st, const char *db, const char *dir,
                           const char *name, const struct bm_readiness_params *rp,
                           struct bm_view_progress *out)
{
	char remark[BM_VIEW_MESSAGE_MAX] = "", msg[BM_VIEW_MESSAGE_MAX];
	struct bm_history *h = NULL;
	if (!name) {
		say(out, NULL, BM_PROGRESS_NO_ATHLETE);
		return;
	}
	if (!st) {
		say(out, name, "no store: the athlete's sessions are kept there (see the message at "
		               "start)");
		return;
	}
	if (dir)
		sync_folder(st, db, dir, remark, sizeof remark);
	if (bm_history_build(st, name, 0, &h, msg, sizeof msg) != BM_HISTORY_OK)
		say(out, name, msg);
	else
		bm_progress_glue_fill(h, rp, out);
	bm_history_free(h);
	snprintf(out->remark, sizeof out->remark, "%s", remark);
}
