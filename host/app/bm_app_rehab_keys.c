/* bm_app_rehab_keys.c - the rehab session's keys: the pain questions and
 * where their answers go, and the athlete picker; the idea is in
 * bm_app_rehab.h. */
#include "bm_app_rehab_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bm_pain.h"
#include "bm_store.h"

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* ---------------------------------------------------------- questions */

void bm_app_rehab_ask_start(struct bm_app_rehab *r)
{
	struct bm_store *st = bm_athlete_ctx_store(r->ath);
	if (!r->o.window || !r->ath)
		return;
	if (st && bm_pain_note_morning_due(st, bm_athlete_ctx_row(r->ath)->id, (double)time(NULL),
	                                   &r->morning) == 1)
		bm_pain_ask_push(&r->ask, BM_PAIN_Q_MORNING, r->morning.label);
	if (isnan(r->o.pain_before))
		bm_pain_ask_push(&r->ask, BM_PAIN_Q_BEFORE, NULL);
	r->after_pending = isnan(r->o.pain_after);
}

void bm_app_rehab_ask_after(struct bm_app_rehab *r, const char *csv_path)
{
	if (!r->o.window || !r->ath || !isnan(r->o.pain_after))
		return;
	snprintf(r->after_target, sizeof r->after_target, "%s", csv_path);
	bm_pain_ask_push(&r->ask, BM_PAIN_Q_AFTER, NULL);
}

static int queued(const struct bm_app_rehab *r, enum bm_pain_q q)
{
	for (size_t i = 0; i < r->ask.n; i++)
		if (r->ask.queue[i] == q)
			return 1;
	return 0;
}

void bm_app_rehab_before_owed(struct bm_app_rehab *r, const char *csv_path)
{
	if (queued(r, BM_PAIN_Q_BEFORE))
		snprintf(r->before_target, sizeof r->before_target, "%s", csv_path);
}

int bm_app_rehab_quit_waits(struct bm_app_rehab *r)
{
	if (r->quit_waiting || !r->o.window || !r->ath || !isnan(r->o.pain_after))
		return 0;
	int asked = queued(r, BM_PAIN_Q_AFTER);
	if (!asked && !r->after_pending && !r->recording)
		return 0;
	r->quit_waiting = 1;
	if (!asked)
		bm_app_rehab_ask_after(r, r->recording ? r->rec_path : "");
	return 1;
}

/* ------------------------------------------------------------ answers */

/* Show (or, with a question to follow, say) the answer: the pain zone and
 * the model's advice, and log it on the terminal. */
static void show_answer(struct bm_app_rehab *r, const char *what, int score, const double s[3])
{
	enum bm_pain_advice adv;
	bm_pain_advise(s[BM_STORE_PAIN_BEFORE], s[BM_STORE_PAIN_AFTER], s[BM_STORE_PAIN_NEXT_MORNING],
	               NULL, &adv, r->advice, sizeof r->advice);
	static const char *const range[] = {"", "0\u20132", "3\u20135", "above 5"};
	enum bm_pain_zone z = bm_pain_zone_of(score);
	snprintf(r->zone, sizeof r->zone, "%s %d/10: %s (%s)", what, score, bm_pain_zone_name(z),
	         range[z <= BM_PAIN_TOO_MUCH ? z : 0]);
	r->zone_level = (int)z;
	fprintf(stderr, "bridgemon %s: %s: %s; %s\n", r->o.cmd, bm_athlete_ctx_name(r->ath), r->zone,
	        r->advice);
	if (r->ask.n) {
		bm_app_rehab_say(r, "%s", r->zone);
		r->answer_on = 0;
	} else {
		r->answer_on = 1;
		r->answer_until = r->now_mono_s + BM_APP_REHAB_ANSWER_S;
	}
}

/* The morning after the last session: the pain log, then the store. */
static void answer_morning(struct bm_app_rehab *r, int score)
{
	struct bm_store *st = bm_athlete_ctx_store(r->ath);
	const struct bm_store_athlete *row = bm_athlete_ctx_row(r->ath);
	const struct bm_pain_morning *m = &r->morning;
	char msg[700];
	double s[3] = {NAN, NAN, NAN};
	if (!st)
		return;
	struct bm_store_pain p = {0, row->id, m->score_epoch_s, BM_STORE_PAIN_NEXT_MORNING, score,
	                          m->station[0] ? m->station : NULL,
	                          m->station[0] ? m->recording : NULL};
	int kept = bm_pain_note_keep(st, row, &p, NULL, msg, sizeof msg);
	if (kept != 0)
		bm_app_rehab_say(r, "%s%s", msg,
		                 kept > 0 ? "; the score is kept in the pain log and goes into the store "
		                            "at the next bridgemon sync" : "");
	bm_pain_note_day_scores(st, row->id, m->score_epoch_s, BM_STORE_PAIN_NEXT_MORNING, s, NULL);
	s[BM_STORE_PAIN_NEXT_MORNING] = score;
	show_answer(r, "pain this morning", score, s);
}

/* Before: the store, and the sidecar of the recording under way and of
 * the ones to come; answered after a recording made while it was asked
 * has closed, that recording's sidecar (rewritten whole) and its key in
 * the store. */
static int answer_before(struct bm_app_rehab *r, int score)
{
	char msg[700];
	double s[3] = {score, NAN, NAN};
	const char *closed = !r->recording && r->before_target[0] ? r->before_target : NULL;
	const char *rec = r->recording ? base_name(r->rec_path) : closed ? base_name(closed) : NULL;
	r->pain_before = score;
	if (bm_athlete_ctx_add_pain(r->ath, score, "before", rec, msg, sizeof msg) != 0)
		bm_app_rehab_say(r, "%s", msg);
	if (closed && bm_pain_note_sidecar(closed, score, NAN, msg, sizeof msg) != 0)
		bm_app_rehab_say(r, "%s", msg);
	r->before_target[0] = '\0';
	show_answer(r, "pain before", score, s);
	return r->recording ? BM_APP_REHAB_CONTEXT : 0;
}

/* After: the store, and the sidecar of the recording it is about, which
 * has closed: rewritten whole. */
static void answer_after(struct bm_app_rehab *r, int score)
{
	char msg[700];
	double s[3] = {r->pain_before, score, NAN};
	const char *rec = r->after_target[0] ? base_name(r->after_target) : NULL;
	r->after_pending = 0;
	if (bm_athlete_ctx_add_pain(r->ath, score, "after", rec, msg, sizeof msg) != 0)
		bm_app_rehab_say(r, "%s", msg);
	if (rec && bm_pain_note_sidecar(r->after_target, NAN, score, msg, sizeof msg) != 0)
		bm_app_rehab_say(r, "%s", msg);
	show_answer(r, "pain after", score, s);
}

static int answer(struct bm_app_rehab *r, const struct bm_pain_answer *a)
{
	int did = 0;
	if (a->skipped) {
		if (a->q == BM_PAIN_Q_AFTER)
			r->after_pending = 0;
		if (a->q == BM_PAIN_Q_BEFORE)
			r->before_target[0] = '\0';
	} else if (a->q == BM_PAIN_Q_MORNING) {
		answer_morning(r, a->score);
	} else if (a->q == BM_PAIN_Q_BEFORE) {
		did = answer_before(r, a->score);
	} else if (a->q == BM_PAIN_Q_AFTER) {
		answer_after(r, a->score);
	}
	if (r->quit_waiting && !r->ask.n)
		did |= BM_APP_REHAB_QUIT;
	return did;
}

/* --------------------------------------------------------------- picker */

int bm_app_rehab_picker_open(struct bm_app_rehab *r, int recording)
{
	struct bm_store *st = r->ath ? bm_athlete_ctx_store(r->ath) : NULL, *own = NULL;
	struct bm_store_athletes *list = NULL;
	const char **names = NULL;
	char msg[600];
	if (!r->o.window)
		return -1;
	if (recording) {
		bm_app_rehab_say(r, "stop recording (space) before changing the athlete");
		return -1;
	}
	if (!st && bm_store_open(r->o.db, &own, msg, sizeof msg) == BM_STORE_OK)
		st = own;
	if (!st)
		bm_app_rehab_say(r, "%s: a name typed is kept in the recordings only", msg);
	if (st && bm_store_athlete_list(st, &list) != BM_STORE_OK)
		bm_app_rehab_say(r, "%s", bm_store_errmsg(st));
	size_t n = list ? list->count : 0;
	if (n && !(names = malloc(n * sizeof *names)))
		n = 0;
	for (size_t i = 0; i < n; i++)
		names[i] = list->items[i].name;
	if (bm_picker_open(&r->picker, names, n, BM_STORE_NAME_MAX) != 0)
		bm_app_rehab_say(r, "out of memory: type a name");
	/* The session's athlete highlighted. */
	for (size_t i = 0; r->ath && i < r->picker.n; i++)
		if (!strcmp(r->picker.names[i], bm_athlete_ctx_name(r->ath)))
			r->picker.sel = i;
	free(names);
	bm_store_athletes_free(list);
	bm_store_close(own);
	r->picker_on = 1;
	return 0;
}

int bm_app_rehab_picker_active(const struct bm_app_rehab *r)
{
	return r->picker_on;
}

/* The chosen name becomes the session's athlete (found or created). */
static int choose(struct bm_app_rehab *r)
{
	struct bm_athlete_ctx *c = NULL;
	char msg[600], name[BM_ENTRY_MAX];
	int known = 0;
	snprintf(name, sizeof name, "%s", r->picker.chosen);
	for (size_t i = 0; i < r->picker.n; i++)
		known |= !strcasecmp(r->picker.names[i], name);
	if (bm_athlete_ctx_open(r->o.db, name, &c, msg, sizeof msg) < 0) {
		bm_app_rehab_say(r, "out of memory: the athlete stays as it was");
		return 0;
	}
	bm_app_rehab_set_athlete(r, c);
	if (msg[0])
		bm_app_rehab_say(r, "%s; the athlete's name is kept in the recording", msg);
	else
		bm_app_rehab_say(r, "athlete: %s%s", bm_athlete_ctx_name(c),
		                 known ? "" : " (new in the store)");
	fprintf(stderr, "bridgemon %s: athlete: %s\n", r->o.cmd, bm_athlete_ctx_name(c));
	return BM_APP_REHAB_ATHLETE;
}

static int picker_key(struct bm_app_rehab *r, enum bm_app_rehab_key k)
{
	int did = BM_APP_REHAB_TAKEN;
	switch (k) {
	case BM_RK_UP:
		bm_picker_up(&r->picker);
		break;
	case BM_RK_DOWN:
		bm_picker_down(&r->picker);
		break;
	case BM_RK_BACKSPACE:
		bm_picker_backspace(&r->picker);
		break;
	case BM_RK_ENTER:
		if (bm_picker_enter(&r->picker) == BM_PICKER_CHOSEN) {
			r->picker_on = 0;
			did |= choose(r);
			bm_picker_free(&r->picker);
		}
		break;
	case BM_RK_ESCAPE:
		bm_picker_escape(&r->picker);
		bm_picker_free(&r->picker);
		r->picker_on = 0;
		break;
	default:
		break; /* letters come as text */
	}
	return did;
}

int bm_app_rehab_text(struct bm_app_rehab *r, const char *utf8)
{
	if (!r->picker_on)
		return 0;
	bm_picker_type(&r->picker, utf8);
	return 1;
}

/* ----------------------------------------------------------------- keys */

int bm_app_rehab_key(struct bm_app_rehab *r, enum bm_app_rehab_key k, int digit, int recording)
{
	struct bm_pain_answer a;
	if (r->picker_on)
		return picker_key(r, k);
	if (k == BM_RK_PICKER) {
		bm_app_rehab_picker_open(r, recording);
		return BM_APP_REHAB_TAKEN;
	}
	if (bm_pain_ask_current(&r->ask) != BM_PAIN_Q_NONE) {
		char d[2] = {(char)('0' + (digit >= 0 && digit <= 9 ? digit : 0)), '\0'};
		switch (k) {
		case BM_RK_DIGIT:
			bm_pain_ask_type(&r->ask, d);
			return BM_APP_REHAB_TAKEN;
		case BM_RK_BACKSPACE:
			bm_pain_ask_backspace(&r->ask);
			return BM_APP_REHAB_TAKEN;
		case BM_RK_ENTER:
			return BM_APP_REHAB_TAKEN | (bm_pain_ask_enter(&r->ask, &a) ? answer(r, &a) : 0);
		case BM_RK_ESCAPE:
			return BM_APP_REHAB_TAKEN | (bm_pain_ask_escape(&r->ask, &a) ? answer(r, &a) : 0);
		default:
			return 0; /* the session goes on behind the question */
		}
	}
	if (r->answer_on && k == BM_RK_ESCAPE) {
		r->answer_on = 0;
		return BM_APP_REHAB_TAKEN;
	}
	return 0;
}

/* ------------------------------------------------------------- the view */

void bm_app_rehab_fill_asks(const struct bm_app_rehab *r, struct bm_view_model *m)
{
	enum bm_pain_q q = bm_pain_ask_current(&r->ask);
	int refused;
	m->ask.active = q != BM_PAIN_Q_NONE || r->answer_on;
	m->ask.answered = q == BM_PAIN_Q_NONE && r->answer_on;
	if (q != BM_PAIN_Q_NONE) {
		bm_pain_ask_prompt(&r->ask, m->ask.prompt, sizeof m->ask.prompt);
		snprintf(m->ask.input, sizeof m->ask.input, "%.*s", BM_VIEW_INPUT_MAX - 1,
		         r->ask.entry.text);
		bm_pain_ask_hint(&r->ask, m->ask.hint, sizeof m->ask.hint, &refused);
		m->ask.refused = refused;
	} else if (r->answer_on) {
		snprintf(m->ask.zone, sizeof m->ask.zone, "%s", r->zone);
		snprintf(m->ask.advice, sizeof m->ask.advice, "%s", r->advice);
		m->ask.zone_level = r->zone_level;
	}
	m->picker.active = r->picker_on;
	if (!r->picker_on)
		return;
	const struct bm_picker *p = &r->picker;
	size_t first = bm_picker_first_row(p, BM_VIEW_PICKER_ROWS);
	snprintf(m->picker.current, sizeof m->picker.current, "%s",
	         r->ath ? bm_athlete_ctx_name(r->ath) : "");
	m->picker.n_rows = 0;
	for (size_t i = first; i < p->n && m->picker.n_rows < BM_VIEW_PICKER_ROWS; i++)
		snprintf(m->picker.rows[m->picker.n_rows++], sizeof m->picker.rows[0], "%s", p->names[i]);
	/* A name being typed is what Enter takes: no row is highlighted. */
	m->picker.sel_row = p->n && !p->name.text[0] ? (int)(p->sel - first) : -1;
	m->picker.more_above = first > 0;
	m->picker.more_below = first + (size_t)m->picker.n_rows < p->n;
	snprintf(m->picker.input, sizeof m->picker.input, "%s", p->name.text);
	m->picker.refused = p->name.msg[0] != '\0';
	snprintf(m->picker.hint, sizeof m->picker.hint, "%s",
	         m->picker.refused ? p->name.msg
	                           : "\u2191 \u2193 and Enter choose \u00b7 type a new name and Enter "
	                             "\u00b7 Esc closes");
}
