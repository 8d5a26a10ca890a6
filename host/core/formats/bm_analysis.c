/* bm_analysis.c - a recording through the signal chain; the idea is in
 * bm_analysis.h. */
#include "bm_analysis.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_csv.h"
#include "bm_meta.h"

/* The chain found the rows too fast for a plate (internal to this file). */
#define BM_CSV_ERR_RATE (-10)

#define BLOCK_ROWS 8192
#define BLOCKS 4

struct block {
	double t_s[BLOCK_ROWS];
	double force_n[BLOCK_ROWS][2];
	size_t n;
};

struct pipeline {
	struct bm_csv_reader *rd;
	struct block blk[BLOCKS];
	size_t head, tail;          /* blocks filled / taken, under lock */
	int done, stop;             /* reader finished / consumer gave up */
	int rc;                     /* the reader's last result */
	struct bm_csv_error err;
	pthread_mutex_t lock;
	pthread_cond_t changed;
};

static void *reader_main(void *arg)
{
	struct pipeline *p = arg;
	struct bm_csv_row row;
	int rc = BM_CSV_OK;

	while (rc == BM_CSV_OK) {
		pthread_mutex_lock(&p->lock);
		while (p->head - p->tail == BLOCKS && !p->stop)
			pthread_cond_wait(&p->changed, &p->lock);
		int stop = p->stop;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			break;
		/* The slot is not visible to the consumer until head moves. */
		struct block *b = &p->blk[p->head % BLOCKS];
		b->n = 0;
		while (b->n < BLOCK_ROWS && (rc = bm_csv_reader_next(p->rd, &row, &p->err)) == BM_CSV_OK) {
			/* A flagged sample (saturated, chip not ready) is not a reading. */
			for (int i = 0; i < 2; i++)
				if (row.has_flags &&
				    (row.flags[i] & BM_CH_NOT_A_READING))
					row.force_n[i] = NAN;
			b->t_s[b->n] = row.t_s;
			b->force_n[b->n][0] = row.force_n[0];
			b->force_n[b->n][1] = row.force_n[1];
			b->n++;
		}
		pthread_mutex_lock(&p->lock);
		if (b->n)
			p->head++;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_mutex_lock(&p->lock);
	p->rc = rc;
	p->done = 1;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

void bm_analysis_opts_default(struct bm_analysis_opts *o)
{
	memset(o, 0, sizeof *o);
	bm_session_params_default(&o->sp);
	o->asym_threshold_pct = 10.0;
	o->use_meta = 1;
}

/* Run the rows of @p p through @p s.  BM_CSV_OK at the end of the file, or
 * the reader's or the chain's error with @p err filled. */
static int run_rows(struct pipeline *p, struct bm_session *s, const char *path,
                    struct bm_csv_error *err)
{
	pthread_t th;
	int rc = BM_CSV_OK, sr;

	if (pthread_create(&th, NULL, reader_main, p) != 0) {
		snprintf(err->msg, sizeof err->msg, "%s: cannot start a thread", path);
		return BM_CSV_ERR_NOMEM;
	}
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (p->tail == p->head && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		int have = p->tail != p->head;
		pthread_mutex_unlock(&p->lock);
		if (!have)
			break;
		const struct block *b = &p->blk[p->tail % BLOCKS];
		for (size_t i = 0; i < b->n && rc == BM_CSV_OK; i++) {
			sr = bm_session_push(s, b->t_s[i], b->force_n[i]);
			if (sr != BM_SESSION_OK)
				rc = sr == BM_SESSION_ERR_NOMEM ? BM_CSV_ERR_NOMEM
				   : sr == BM_SESSION_ERR_RATE  ? BM_CSV_ERR_RATE
				                                : BM_CSV_ERR_FORMAT;
		}
		pthread_mutex_lock(&p->lock);
		p->tail++;
		if (rc != BM_CSV_OK)
			p->stop = 1;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		if (rc != BM_CSV_OK)
			break;
	}
	pthread_join(th, NULL);
	if (rc == BM_CSV_OK && p->rc != BM_CSV_EOF) {
		*err = p->err;
		return p->rc;
	}
	if (rc == BM_CSV_ERR_NOMEM)
		snprintf(err->msg, sizeof err->msg, "%s: out of memory while analysing", path);
	else if (rc == BM_CSV_ERR_RATE)
		snprintf(err->msg, sizeof err->msg, "%s: the rows are less than 10 microseconds apart: "
		         "is t_s in seconds?", path);
	else if (rc != BM_CSV_OK)
		/* The reader checks time order: the chain refusing a row is a
		 * fault of this program, not of the file. */
		snprintf(err->msg, sizeof err->msg, "%s: internal error: the signal chain refused a row",
		         path);
	return rc;
}

/* The sidecar beside @p path, if any, into @p meta.  0, or -1 with @p msg
 * (a sidecar that is there but cannot be trusted). */
static int read_sidecar(const char *path, struct bm_meta *meta, struct bm_analysis_notes *notes,
                        char *msg, size_t len)
{
	char mp[4200];
	bm_meta_init(meta);
	if (!strcmp(path, "-") || strlen(path) + 16 > sizeof mp)
		return 0;
	bm_meta_path(path, mp, sizeof mp);
	int r = bm_meta_read(mp, meta, msg, len);
	if (r == BM_META_NOT_FOUND)
		return 0;
	if (r != BM_META_OK)
		return -1;
	notes->meta_found = 1;
	if (msg[0])  /* read, with a remark (a newer format) */
		snprintf(notes->meta_note, sizeof notes->meta_note, "%s", msg);
	msg[0] = '\0';
	return 0;
}

int bm_analysis_run(const char *path, const struct bm_analysis_opts *o, struct bm_report *rep,
                    struct bm_analysis_notes *notes, char *msg, size_t msg_len)
{
	struct pipeline *p;
	struct bm_csv_error err = {{0}};
	struct bm_event_list col = {0};
	struct bm_session_params sp = o->sp;
	struct bm_session_stats st;
	struct bm_meta meta;
	struct bm_session *s = NULL;
	int rc = BM_ANALYSIS_ERR_INPUT;

	memset(rep, 0, sizeof *rep);
	memset(notes, 0, sizeof *notes);
	msg[0] = '\0';
	if (o->use_meta && read_sidecar(path, &meta, notes, msg, msg_len) != 0)
		return BM_ANALYSIS_ERR_INPUT;
	if (!o->use_meta)
		bm_meta_init(&meta);
	for (int i = 0; i < 2; i++)
		if (!isfinite(sp.known_rest_n[i]))
			sp.known_rest_n[i] = meta.rest_n[i];
	p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(msg, msg_len, "%s: out of memory", path);
		bm_meta_free(&meta);
		return BM_ANALYSIS_ERR_NOMEM;
	}
	if (bm_csv_reader_open(path, &p->rd, &err) != BM_CSV_OK) {
		snprintf(msg, msg_len, "%s", err.msg);
		goto out;
	}
	/* The nominal rate: the sidecar's, or an earlier version's header line
	 * (range-checked); without one the chain estimates it from the rows. */
	if (!(sp.rate_hz > 0)) {
		double rate = 0;
		if (bm_meta_recording_rate(path, p->rd, &rate, msg, msg_len) != 0)
			goto out;
		sp.rate_hz = rate;
	}
	bm_csv_reader_forces_only(p->rd);
	if (o->skip_backwards)
		bm_csv_reader_skip_backwards(p->rd);
	s = bm_session_new(&sp, bm_event_list_add, NULL, &col);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	int r = s ? run_rows(p, s, path, &err) : BM_CSV_ERR_NOMEM;
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->changed);
	if (r != BM_CSV_OK) {
		snprintf(msg, msg_len, "%s", s ? err.msg : "out of memory");
		rc = r == BM_CSV_ERR_NOMEM ? BM_ANALYSIS_ERR_NOMEM : BM_ANALYSIS_ERR_INPUT;
		goto out;
	}
	notes->skipped_rows = bm_csv_reader_skipped(p->rd, &notes->first_skipped_line);
	notes->truncated = bm_csv_reader_truncated(p->rd);
	int sr = bm_session_finish(s);
	if (sr == BM_SESSION_ERR_RATE) {
		snprintf(msg, msg_len, "%s: the rows are less than 10 microseconds apart: is t_s in "
		         "seconds?", path);
		goto out;
	}
	bm_session_get_stats(s, &st);
	if (sr != BM_SESSION_OK || col.nomem) {
		snprintf(msg, msg_len, "%s: out of memory while analysing", path);
		rc = BM_ANALYSIS_ERR_NOMEM;
		goto out;
	}
	/* Efforts in stretches that do not count (a plate being calibrated)
	 * are left out, and counted. */
	size_t kept = 0, excluded = 0;
	for (size_t i = 0; i < col.n; i++) {
		if (bm_meta_is_excluded(&meta, col.ev[i].start_s, col.ev[i].end_s))
			excluded++;
		else
			col.ev[kept++] = col.ev[i];
	}
	col.n = kept;
	if (bm_report_build(col.ev, col.n, o->asym_threshold_pct, rep) != 0) {
		snprintf(msg, msg_len, "%s: out of memory while analysing", path);
		rc = BM_ANALYSIS_ERR_NOMEM;
		goto out;
	}
	bm_report_set_stats(rep, &st);
	rep->excluded_events = excluded;
	rep->demo = meta.demo;
	rep->calibration_changes = meta.n_cal > 1 ? meta.n_cal - 1 : 0;
	rc = BM_ANALYSIS_OK;
out:
	bm_csv_reader_close(p->rd);
	free(p);
	bm_session_free(s);
	bm_event_list_free(&col);
	bm_meta_free(&meta);
	return rc;
}
