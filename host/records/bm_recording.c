/* bm_recording.c - one recording and its companions; the idea is in
 * bm_recording.h. */
#include "bm_recording.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bm_csv.h"
#include "bm_fileio.h"
#include "bm_sessions_dir.h"
#include "bm_summary.h"

static const char SUMMARY_EXT[] = ".summary.json";
static const char CSV_EXT[] = ".csv";
static const char EVENTS_EXT[] = ".events.csv";

static int ends_with(const char *s, size_t n, const char *ext)
{
	size_t k = strlen(ext);
	return n > k && !strcmp(s + n - k, ext);
}

int bm_records_data_dir(char *out, size_t len, char *msg, size_t msg_len)
{
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int n;
	if (x && x[0] == '/')
		n = snprintf(out, len, "%s/bridgemon", x);
	else if (home && home[0])
		n = snprintf(out, len, "%s/.local/share/bridgemon", home);
	else {
		snprintf(msg, msg_len, "cannot find a folder for bridgemon's data: set HOME or "
		         "XDG_DATA_HOME");
		return -1;
	}
	if (n < 0 || (size_t)n >= len || bm_make_dirs(out) != 0) {
		snprintf(msg, msg_len, "cannot create %s: %s", out, strerror(errno));
		return -1;
	}
	return 0;
}

void bm_records_date(double epoch_s, char *out, size_t len)
{
	if (!isfinite(epoch_s) || fabs(epoch_s) > 1e11) {
		snprintf(out, len, "%s", "");
		return;
	}
	time_t t = (time_t)floor(epoch_s);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d", &tm);
}

void bm_recording_key(const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s.csv", name);
}

void bm_recording_station(char *out, size_t len)
{
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0 || !host[0])
		snprintf(host, sizeof host, "station");
	host[sizeof host - 1] = '\0';
	/* The store takes up to BM_STORE_STATION_MAX bytes: cut at a UTF-8
	 * character boundary. */
	size_t n = strlen(host);
	if (n > BM_STORE_STATION_MAX) {
		n = BM_STORE_STATION_MAX;
		while (n > 0 && ((unsigned char)host[n] & 0xc0) == 0x80)
			n--;
		host[n] = '\0';
	}
	snprintf(out, len, "%s", host);
}

/* ------------------------------------------------------------ listing */

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int bm_recording_list(const char *dir, struct bm_recording_names *out, char *msg,
                      size_t msg_len)
{
	memset(out, 0, sizeof *out);
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(msg, msg_len, "%s: cannot open the folder: %s", dir, strerror(errno));
		return -1;
	}
	/* Names with a tag: the last byte says which file it came from. */
	char **raw = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	for (struct dirent *e; (e = readdir(d));) {
		const char *f = e->d_name;
		size_t len = strlen(f), base;
		char tag;
		if (f[0] == '.')
			continue;
		if (ends_with(f, len, SUMMARY_EXT)) {
			base = len - (sizeof SUMMARY_EXT - 1);
			tag = 's';
		} else if (ends_with(f, len, CSV_EXT) && !ends_with(f, len, EVENTS_EXT)) {
			base = len - (sizeof CSV_EXT - 1);
			tag = 'c';
		} else {
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **nr = realloc(raw, cap * sizeof *raw);
			if (!nr) {
				rc = -1;
				break;
			}
			raw = nr;
		}
		char *s = malloc(base + 3);
		if (!s) {
			rc = -1;
			break;
		}
		memcpy(s, f, base);
		s[base] = '\0';
		s[base + 1] = tag;
		s[base + 2] = '\0';
		raw[n++] = s;
	}
	closedir(d);
	if (rc == 0 && n) {
		qsort(raw, n, sizeof *raw, by_str);
		out->name = malloc(n * sizeof *out->name);
		out->has = calloc(n, sizeof *out->has);
		if (!out->name || !out->has)
			rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		unsigned bit = raw[i][strlen(raw[i]) + 1] == 'c' ? BM_RECORDING_HAS_CSV
		                                                 : BM_RECORDING_HAS_SUMMARY;
		if (out->n && !strcmp(out->name[out->n - 1], raw[i])) {
			out->has[out->n - 1] |= bit;
			free(raw[i]);
		} else {
			out->name[out->n] = raw[i];
			out->has[out->n++] = bit;
		}
		raw[i] = NULL;
	}
	for (size_t i = 0; i < n; i++)
		free(raw[i]);
	free(raw);
	if (rc != 0) {
		bm_recording_names_free(out);
		snprintf(msg, msg_len, "%s: out of memory listing the folder", dir);
	}
	return rc;
}

void bm_recording_names_free(struct bm_recording_names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->name[i]);
	free(l->name);
	free(l->has);
	memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------ loading */

/* Y-M-D and h m s into @p tm, range-checked.  0 or -1. */
static int fill_tm(struct tm *tm, int y, int mo, int d, int h, int mi, int se)
{
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || se < 0 || se > 60)
		return -1;
	memset(tm, 0, sizeof *tm);
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = se;
	return 0;
}

/* "YYYY-MM-DDTHH-MM-SS" at the start of a recording's name, local time. */
static double time_from_name(const char *name)
{
	int y, mo, d, h, mi, se;
	struct tm tm;
	if (sscanf(name, "%4d-%2d-%2dT%2d-%2d-%2d", &y, &mo, &d, &h, &mi, &se) != 6 ||
	    fill_tm(&tm, y, mo, d, h, mi, se) != 0)
		return NAN;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	return t == (time_t)-1 ? NAN : (double)t;
}

/* An earlier version's "# start_time: 2026-11-25T18:04:05+0100". */
static double time_from_iso(const char *v)
{
	int y, mo, d, h, mi, se, oh, om;
	char sign;
	struct tm tm;
	if (sscanf(v, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d%2d", &y, &mo, &d, &h, &mi, &se, &sign, &oh,
	           &om) != 9 ||
	    (sign != '+' && sign != '-') || oh > 14 || om > 59 ||
	    fill_tm(&tm, y, mo, d, h, mi, se) != 0)
		return NAN;
	time_t t = timegm(&tm);
	double off = (oh * 3600.0 + om * 60.0) * (sign == '-' ? -1 : 1);
	return t == (time_t)-1 ? NAN : (double)t - off;
}

/* The header lines of a recording of an earlier version (no sidecar). */
static void read_old_header(struct bm_recording *r)
{
	struct bm_csv_reader *rd;
	struct bm_csv_error err;
	if (bm_csv_reader_open(r->csv, &rd, &err) != BM_CSV_OK)
		return;
	const char *st = bm_csv_reader_meta(rd, "start_time");
	if (st)
		r->start_epoch_s = time_from_iso(st);
	double rate = 0;
	char msg[600];
	if (bm_meta_recording_rate(r->csv, rd, &rate, msg, sizeof msg) == 0 && rate > 0)
		r->meta.sample_rate_hz = rate;
	bm_csv_reader_close(rd);
}

int bm_recording_load(const char *dir, const char *name, struct bm_recording *r, char *msg,
                      size_t msg_len)
{
	struct stat sb;
	memset(r, 0, sizeof *r);
	bm_meta_init(&r->meta);
	r->start_epoch_s = NAN;
	if (snprintf(r->name, sizeof r->name, "%s", name) >= (int)sizeof r->name ||
	    snprintf(r->csv, sizeof r->csv, "%s/%s.csv", dir, name) >= (int)sizeof r->csv ||
	    snprintf(r->summary_path, sizeof r->summary_path, "%s/%s%s", dir, name, SUMMARY_EXT) >=
	        (int)sizeof r->summary_path) {
		snprintf(msg, msg_len, "%s/%s: the name is too long", dir, name);
		return BM_RECORDING_ERR_INPUT;
	}
	r->has_csv = stat(r->csv, &sb) == 0 && S_ISREG(sb.st_mode);
	int rc = bm_summary_read(r->summary_path, &r->rep, &r->summary_text, msg, msg_len);
	if (rc != BM_SUMMARY_OK) {
		bm_recording_free(r);
		return rc == BM_SUMMARY_ERR_NOMEM ? BM_RECORDING_ERR_NOMEM : BM_RECORDING_ERR_INPUT;
	}
	if (r->has_csv) {
		char mp[BM_RECORDING_PATH_MAX + 16];
		bm_meta_path(r->csv, mp, sizeof mp);
		rc = bm_meta_read(mp, &r->meta, msg, msg_len);
		if (rc == BM_META_OK) {
			r->has_meta = 1;
			msg[0] = '\0'; /* a remark about a newer format is no error */
		} else if (rc == BM_META_NOT_FOUND) {
			msg[0] = '\0';
			read_old_header(r);
		} else {
			bm_recording_free(r);
			return rc == BM_META_ERR_NOMEM ? BM_RECORDING_ERR_NOMEM : BM_RECORDING_ERR_INPUT;
		}
	}
	if (r->has_meta && isfinite(r->meta.start_epoch_s))
		r->start_epoch_s = r->meta.start_epoch_s;
	if (!isfinite(r->start_epoch_s))
		r->start_epoch_s = time_from_name(name);
	if (!isfinite(r->start_epoch_s) &&
	    stat(r->has_csv ? r->csv : r->summary_path, &sb) == 0)
		r->start_epoch_s = (double)sb.st_mtime;
	r->demo = r->rep.demo || r->meta.demo || bm_sessions_is_demo_name(name);
	return BM_RECORDING_OK;
}

void bm_recording_free(struct bm_recording *r)
{
	bm_report_free(&r->rep);
	free(r->summary_text);
	r->summary_text = NULL;
	bm_meta_free(&r->meta);
}

/* ------------------------------------------------------------ numbers */

void bm_recording_legs(const struct bm_report *rep, struct bm_leg_numbers out[2])
{
	size_t nh[2] = {0, 0};
	double sum[2] = {0, 0};
	for (int i = 0; i < 2; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].holds = rep->holds[i];
		out[i].reps = rep->reps[i];
		out[i].hold_time_s = rep->hold_time_s[i];
		out[i].best_hold_n = out[i].mean_hold_n = out[i].best_rep_n = NAN;
	}
	for (size_t k = 0; k < rep->n_events; k++) {
		const struct bm_event *e = &rep->events[k];
		struct bm_leg_numbers *l = &out[e->leg];
		if (isfinite(e->impulse_ns))
			l->impulse_ns += e->impulse_ns;
		if (e->kind == BM_EVENT_HOLD && isfinite(e->mean_above_rest_n)) {
			if (!(e->mean_above_rest_n <= l->best_hold_n))
				l->best_hold_n = e->mean_above_rest_n;
			sum[e->leg] += e->mean_above_rest_n;
			nh[e->leg]++;
		} else if (e->kind == BM_EVENT_REP && isfinite(e->peak_above_rest_n) &&
		           !(e->peak_above_rest_n <= l->best_rep_n)) {
			l->best_rep_n = e->peak_above_rest_n;
		}
	}
	for (int i = 0; i < 2; i++)
		if (nh[i])
			out[i].mean_hold_n = sum[i] / (double)nh[i];
}

double bm_recording_lsi_impulse_pct(const struct bm_report *rep)
{
	double imp[2] = {0, 0};
	for (size_t k = 0; k < rep->n_events; k++) {
		const struct bm_event *e = &rep->events[k];
		if (e->single_leg && isfinite(e->impulse_ns) && e->impulse_ns > 0)
			imp[e->leg] += e->impulse_ns;
	}
	if (!(imp[0] > 0 && imp[1] > 0))
		return NAN;
	return 100.0 * fmin(imp[0], imp[1]) / fmax(imp[0], imp[1]);
}

int bm_recording_session(const struct bm_recording *r, const char *station, int64_t athlete_id,
                         struct bm_store_session *s, struct bm_store_effort **efforts,
                         size_t *n_efforts)
{
	struct bm_leg_numbers legs[2];
	const struct bm_meta_context *c = &r->meta.ctx;

	*efforts = NULL;
	*n_efforts = 0;
	bm_store_session_init(s);
	s->station = station;
	s->recording = NULL; /* the caller sets the key (bm_recording_key) */
	s->athlete_id = athlete_id;
	s->started_epoch_s = isfinite(r->start_epoch_s) ? (int64_t)floor(r->start_epoch_s) : 0;
	s->duration_s = isfinite(r->rep.duration_s) ? r->rep.duration_s : 0;
	enum bm_store_exercise ex;
	s->exercise = bm_store_exercise_parse(c->exercise, &ex) == BM_STORE_OK ? ex
	                                                                      : BM_STORE_EX_CUSTOM;
	s->knee_angle_deg = c->knee_angle_deg;
	s->hip_angle_deg = c->hip_angle_deg;
	s->protocol = c->protocol;
	s->notes = c->notes;
	s->demo = r->demo;
	s->pain_before = c->pain_before;
	s->pain_after = c->pain_after;
	double rate = isfinite(r->meta.sample_rate_hz) ? r->meta.sample_rate_hz
	                                                : r->rep.sample_rate_hz;
	s->sample_rate_hz = rate > 0 ? rate : NAN;
	bm_recording_legs(&r->rep, legs);
	for (int i = 0; i < 2; i++) {
		s->leg[i].best_hold_n = legs[i].best_hold_n;
		s->leg[i].mean_hold_n = legs[i].mean_hold_n;
		s->leg[i].impulse_ns = legs[i].impulse_ns;
		s->leg[i].hold_time_s = legs[i].hold_time_s;
		s->leg[i].reps = (int)(legs[i].reps > 1000000000u ? 1000000000u : legs[i].reps);
	}
	s->lsi_peak_pct = r->rep.lsi_pct;
	s->lsi_impulse_pct = bm_recording_lsi_impulse_pct(&r->rep);
	s->summary_json = r->summary_text;

	if (r->rep.n_events) {
		struct bm_store_effort *ef = malloc(r->rep.n_events * sizeof *ef);
		if (!ef)
			return -1;
		for (size_t k = 0; k < r->rep.n_events; k++) {
			const struct bm_event *e = &r->rep.events[k];
			struct bm_store_effort *f = &ef[k];
			f->leg = e->leg;
			f->kind = e->kind == BM_EVENT_HOLD ? BM_STORE_EFFORT_HOLD : BM_STORE_EFFORT_REP;
			f->start_s = e->start_s;
			f->end_s = e->end_s;
			f->peak_n = e->peak_n;
			f->mean_n = e->mean_n;
			f->peak_above_rest_n = e->peak_above_rest_n;
			f->mean_above_rest_n = e->mean_above_rest_n;
			f->impulse_ns = e->impulse_ns;
			f->single_leg = e->single_leg ? 1 : 0;
		}
		*efforts = ef;
		*n_efforts = r->rep.n_events;
	}
	return 0;
}
