/* bm_summary.c - a summary JSON back into a struct bm_report, with json-c,
 * every number range-checked; the idea is in bm_summary.h. */
#include "bm_summary.h"

#include "bm_csv.h"
#include "bm_say.h"

#include <errno.h>
#include <fcntl.h>
#include <json.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Ranges: far beyond any real recording, tight enough that a damaged file
 * cannot smuggle in an infinity, a wrapped count or a time from nowhere. */
#define TIME_MAX_S (2 * BM_CSV_MAX_T_S) /* times, and durations between them */
#define FORCE_MAX_N 1e9
#define IMPULSE_MAX_NS 1e15
#define COUNT_MAX 1e9         /* reps, holds, flagged: fits an unsigned */
#define ROWS_MAX 1e15         /* rows and samples: exact in a double */
#define MIN_HOLD_S 10.0       /* summaries before "counted": a hold of this
                                 length counted (analyze's default) */


int bm_summary_slurp(const char *path, size_t max_bytes, char **out, size_t *len, char *msg,
                     size_t msg_len)
{
	struct stat sb;
	*out = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO under the name must not hang us; fstat then
	 * refuses it (and devices, folders) before any read. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		bm_say(msg, msg_len, "%s: %s", path, strerror(e));
		return e == ENOENT ? BM_SUMMARY_NOT_FOUND : BM_SUMMARY_ERR_IO;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		bm_say(msg, msg_len, "%s: not a regular file", path);
		close(fd);
		return BM_SUMMARY_ERR_FORMAT;
	}
	if (sb.st_size < 0 || (uintmax_t)sb.st_size > max_bytes) {
		bm_say(msg, msg_len, "%s: larger than %zu bytes", path, max_bytes);
		close(fd);
		return BM_SUMMARY_ERR_FORMAT;
	}
	size_t want = (size_t)sb.st_size;
	char *buf = malloc(want + 1);
	if (!buf) {
		bm_say(msg, msg_len, "%s: out of memory", path);
		close(fd);
		return BM_SUMMARY_ERR_NOMEM;
	}
	/* Read what fstat promised (a file growing meanwhile is cut there). */
	size_t got = 0;
	while (got < want) {
		ssize_t k = read(fd, buf + got, want - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			bm_say(msg, msg_len, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return BM_SUMMARY_ERR_IO;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return BM_SUMMARY_OK;
}

/* ------------------------------------------------------------ parsing */

struct rd {
	const char *name;
	char *msg;
	size_t len;
};

static int bad(struct rd *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(struct rd *r, const char *key, const char *fmt, ...)
{
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	bm_say(r->msg, r->len, "%s: \"%s\" %s", r->name, key, why);
	return BM_SUMMARY_ERR_FORMAT;
}

/* The member @p key of object @p o: 1 found (not null), 0 absent or null. */
static int member(json_object *o, const char *key, json_object **x)
{
	return json_object_object_get_ex(o, key, x) && !json_object_is_type(*x, json_type_null);
}

/* A number in [lo, hi]: null or absent leaves *v (NaN) unless @p need. */
static int get_num(struct rd *r, json_object *o, const char *path, const char *key, double lo,
                   double hi, int need, double *v)
{
	json_object *x;
	char full[96];
	snprintf(full, sizeof full, "%s%s", path, key);
	if (!member(o, key, &x))
		return need ? bad(r, full, "is missing") : 0;
	if (!json_object_is_type(x, json_type_double) && !json_object_is_type(x, json_type_int))
		return bad(r, full, "is not a number");
	double d = json_object_get_double(x);
	if (!isfinite(d) || d < lo || d > hi)
		return bad(r, full, "must be %g to %g, got %g", lo, hi, d);
	*v = d;
	return 0;
}

/* A whole number in [0, hi] (absent: *v untouched unless @p need). */
static int get_count(struct rd *r, json_object *o, const char *path, const char *key, double hi,
                     int need, double *v)
{
	json_object *x;
	char full[96];
	snprintf(full, sizeof full, "%s%s", path, key);
	if (!member(o, key, &x))
		return need ? bad(r, full, "is missing") : 0;
	if (!json_object_is_type(x, json_type_double) && !json_object_is_type(x, json_type_int))
		return bad(r, full, "is not a number");
	double d = json_object_get_double(x);
	if (!isfinite(d) || d < 0 || d > hi || floor(d) != d)
		return bad(r, full, "must be a whole number from 0 to %.0f, got %g", hi, d);
	*v = d;
	return 0;
}

static int get_bool(struct rd *r, json_object *o, const char *path, const char *key, int *v)
{
	json_object *x;
	char full[96];
	snprintf(full, sizeof full, "%s%s", path, key);
	if (!member(o, key, &x))
		return 0;
	if (!json_object_is_type(x, json_type_boolean))
		return bad(r, full, "is not true or false");
	*v = json_object_get_boolean(x);
	return 0;
}

/* "left" / "right" under @p key into 0 / 1 (required). */
static int get_leg(struct rd *r, json_object *o, const char *path, const char *key, int *leg)
{
	json_object *x;
	char full[96];
	snprintf(full, sizeof full, "%s%s", path, key);
	if (!member(o, key, &x))
		return bad(r, full, "is missing");
	const char *s = json_object_is_type(x, json_type_string) ? json_object_get_string(x) : "";
	if (!strcmp(s, "left"))
		*leg = 0;
	else if (!strcmp(s, "right"))
		*leg = 1;
	else
		return bad(r, full, "is not \"left\" or \"right\"");
	return 0;
}

/* An object with "left" and "right" numbers (both needed when @p need);
 * @p parent ("summary.") prefixes the key in messages. */
static int get_pair(struct rd *r, json_object *o, const char *parent, const char *key,
                    double lo, double hi, int count, int need, double v[2])
{
	json_object *x;
	char path[96];
	snprintf(path, sizeof path, "%s%s", parent, key);
	if (!member(o, key, &x))
		return need ? bad(r, path, "is missing") : 0;
	if (!json_object_is_type(x, json_type_object))
		return bad(r, path, "is not an object");
	snprintf(path, sizeof path, "%s%s.", parent, key);
	for (int i = 0; i < 2; i++) {
		const char *leg = i ? "right" : "left";
		int rc = count ? get_count(r, x, path, leg, hi, need, &v[i])
		               : get_num(r, x, path, leg, lo, hi, need, &v[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* The array under @p key (required), at most BM_SUMMARY_MAX_ITEMS long. */
static int get_array(struct rd *r, json_object *o, const char *key, json_object **arr, size_t *n)
{
	if (!member(o, key, arr))
		return bad(r, key, "is missing");
	if (!json_object_is_type(*arr, json_type_array))
		return bad(r, key, "is not a list");
	*n = json_object_array_length(*arr);
	if (*n > BM_SUMMARY_MAX_ITEMS)
		return bad(r, key, "has more than %u items", BM_SUMMARY_MAX_ITEMS);
	return 0;
}

static void event_init(struct bm_event *e)
{
	memset(e, 0, sizeof *e);
	e->plateau_start_s = e->plateau_end_s = NAN;
	e->peak_n = e->mean_n = e->mean_above_rest_n = e->peak_above_rest_n = NAN;
	e->cv_pct = e->impulse_ns = e->tut_s = e->baseline_n = e->threshold_n = NAN;
	e->tremor_hz = e->tremor_rms_n = e->dip_min_n = NAN;
	e->gap_inside_s = 0;
}

/* One hold or rep: @p path is e.g. "holds[3]." for messages. */
static int read_event(struct rd *r, json_object *o, const char *path, enum bm_event_kind kind,
                      struct bm_event *e)
{
	double dips = 0;
	int rc, counted = -1;
	event_init(e);
	e->kind = kind;
	if (!json_object_is_type(o, json_type_object))
		return bad(r, path, "is not an object");
	if ((rc = get_leg(r, o, path, "leg", &e->leg)) ||
	    (rc = get_num(r, o, path, "start_s", -TIME_MAX_S, TIME_MAX_S, 1, &e->start_s)) ||
	    (rc = get_num(r, o, path, "end_s", -TIME_MAX_S, TIME_MAX_S, 1, &e->end_s)) ||
	    (rc = get_num(r, o, path, "plateau_start_s", -TIME_MAX_S, TIME_MAX_S, 0,
	                  &e->plateau_start_s)) ||
	    (rc = get_num(r, o, path, "plateau_end_s", -TIME_MAX_S, TIME_MAX_S, 0,
	                  &e->plateau_end_s)) ||
	    (rc = get_num(r, o, path, "peak_n", -FORCE_MAX_N, FORCE_MAX_N, 0, &e->peak_n)) ||
	    (rc = get_num(r, o, path, "mean_n", -FORCE_MAX_N, FORCE_MAX_N, 0, &e->mean_n)) ||
	    (rc = get_num(r, o, path, "peak_above_rest_n", -FORCE_MAX_N, FORCE_MAX_N, 0,
	                  &e->peak_above_rest_n)) ||
	    (rc = get_num(r, o, path, "mean_above_rest_n", -FORCE_MAX_N, FORCE_MAX_N, 0,
	                  &e->mean_above_rest_n)) ||
	    (rc = get_num(r, o, path, "cv_pct", 0, 1e6, 0, &e->cv_pct)) ||
	    (rc = get_num(r, o, path, "impulse_ns", -IMPULSE_MAX_NS, IMPULSE_MAX_NS, 0,
	                  &e->impulse_ns)) ||
	    (rc = get_num(r, o, path, "tut_s", 0, TIME_MAX_S, 0, &e->tut_s)) ||
	    (rc = get_num(r, o, path, "baseline_n", -FORCE_MAX_N, FORCE_MAX_N, 0, &e->baseline_n)) ||
	    (rc = get_num(r, o, path, "tremor_hz", 0, 1e6, 0, &e->tremor_hz)) ||
	    (rc = get_num(r, o, path, "tremor_rms_n", 0, FORCE_MAX_N, 0, &e->tremor_rms_n)) ||
	    (rc = get_num(r, o, path, "gap_inside_s", 0, TIME_MAX_S, 0, &e->gap_inside_s)) ||
	    (rc = get_num(r, o, path, "dip_min_n", -FORCE_MAX_N, FORCE_MAX_N, 0, &e->dip_min_n)) ||
	    (rc = get_count(r, o, path, "dips", COUNT_MAX, 0, &dips)) ||
	    (rc = get_bool(r, o, path, "single_leg", &e->single_leg)) ||
	    (rc = get_bool(r, o, path, "cut_by_gap", &e->cut_by_gap)) ||
	    (rc = get_bool(r, o, path, "started_loaded", &e->started_loaded)) ||
	    (rc = get_bool(r, o, path, "counted", &counted)))
		return rc;
	if (e->end_s < e->start_s)
		return bad(r, path, "ends (end_s %g) before it starts (start_s %g)", e->end_s,
		           e->start_s);
	if (!isfinite(e->gap_inside_s))
		e->gap_inside_s = 0;
	e->dips = (int)dips;
	if (kind == BM_EVENT_HOLD) {
		/* Summaries older than "counted": a hold of the default minimum
		 * length counted. */
		e->counted = counted >= 0 ? counted : e->end_s - e->start_s >= MIN_HOLD_S;
		if (!isfinite(e->tut_s))
			e->tut_s = e->end_s - e->start_s;
	}
	return 0;
}

static int read_pair(struct rd *r, json_object *o, const char *path, struct bm_bilateral *p)
{
	json_object *x;
	char full[96];
	int rc, flagged = 0;
	memset(p, 0, sizeof *p);
	p->left_n = p->right_n = p->left_above_rest_n = p->right_above_rest_n = NAN;
	p->asymmetry_pct = NAN;
	if (!json_object_is_type(o, json_type_object))
		return bad(r, path, "is not an object");
	snprintf(full, sizeof full, "%skind", path);
	if (!member(o, "kind", &x) || !json_object_is_type(x, json_type_string))
		return bad(r, full, "is missing");
	if (!strcmp(json_object_get_string(x), "hold"))
		p->kind = BM_EVENT_HOLD;
	else if (!strcmp(json_object_get_string(x), "rep"))
		p->kind = BM_EVENT_REP;
	else
		return bad(r, full, "is not \"hold\" or \"rep\"");
	if ((rc = get_num(r, o, path, "start_s", -TIME_MAX_S, TIME_MAX_S, 1, &p->start_s)) ||
	    (rc = get_num(r, o, path, "end_s", -TIME_MAX_S, TIME_MAX_S, 1, &p->end_s)) ||
	    (rc = get_num(r, o, path, "left_n", -FORCE_MAX_N, FORCE_MAX_N, 0, &p->left_n)) ||
	    (rc = get_num(r, o, path, "right_n", -FORCE_MAX_N, FORCE_MAX_N, 0, &p->right_n)) ||
	    (rc = get_num(r, o, path, "left_above_rest_n", -FORCE_MAX_N, FORCE_MAX_N, 0,
	                  &p->left_above_rest_n)) ||
	    (rc = get_num(r, o, path, "right_above_rest_n", -FORCE_MAX_N, FORCE_MAX_N, 0,
	                  &p->right_above_rest_n)) ||
	    (rc = get_num(r, o, path, "asymmetry_pct", 0, 100, 0, &p->asymmetry_pct)) ||
	    (rc = get_leg(r, o, path, "weaker", &p->weaker)) ||
	    (rc = get_bool(r, o, path, "flagged", &flagged)))
		return rc;
	if (p->end_s < p->start_s)
		return bad(r, path, "ends before it starts");
	p->flagged = flagged;
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct bm_event *x = a, *y = b;
	if (x->start_s != y->start_s)
		return x->start_s < y->start_s ? -1 : 1;
	if (x->leg != y->leg)
		return x->leg - y->leg;
	return (int)x->kind - (int)y->kind;
}

/* holds[] and reps[] into rep->events, in start order. */
static int read_events(struct rd *r, json_object *root, struct bm_report *rep)
{
	json_object *holds, *reps;
	size_t nh, nr;
	int rc;
	if ((rc = get_array(r, root, "holds", &holds, &nh)) ||
	    (rc = get_array(r, root, "reps", &reps, &nr)))
		return rc;
	rep->events = malloc((nh + nr ? nh + nr : 1) * sizeof *rep->events);
	if (!rep->events)
		return BM_SUMMARY_ERR_NOMEM;
	for (size_t i = 0; i < nh + nr; i++) {
		char path[48];
		int hold = i < nh;
		snprintf(path, sizeof path, "%s[%zu].", hold ? "holds" : "reps", hold ? i : i - nh);
		json_object *o = json_object_array_get_idx(hold ? holds : reps, hold ? i : i - nh);
		if ((rc = read_event(r, o, path, hold ? BM_EVENT_HOLD : BM_EVENT_REP,
		                     &rep->events[i])))
			return rc;
		rep->n_events = i + 1;
	}
	if (rep->n_events > 1) /* qsort(NULL, 0) is undefined */
		qsort(rep->events, rep->n_events, sizeof *rep->events, by_start);
	return 0;
}

static int read_pairs(struct rd *r, json_object *root, struct bm_report *rep)
{
	json_object *arr;
	size_t n;
	int rc;
	if ((rc = get_array(r, root, "bilateral", &arr, &n)))
		return rc;
	rep->pairs = malloc((n ? n : 1) * sizeof *rep->pairs);
	if (!rep->pairs)
		return BM_SUMMARY_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		char path[48];
		snprintf(path, sizeof path, "bilateral[%zu].", i);
		if ((rc = read_pair(r, json_object_array_get_idx(arr, i), path, &rep->pairs[i])))
			return rc;
		rep->n_pairs = i + 1;
	}
	return 0;
}

static int read_totals(struct rd *r, json_object *root, struct bm_report *rep)
{
	json_object *s;
	double reps[2] = {0, 0}, holds[2] = {NAN, NAN};
	int rc;
	if (!member(root, "summary", &s))
		return bad(r, "summary", "is missing");
	if (!json_object_is_type(s, json_type_object))
		return bad(r, "summary", "is not an object");
	const char *S = "summary.";
	if ((rc = get_pair(r, s, S, "hold_time_s", 0, TIME_MAX_S, 0, 1, rep->hold_time_s)) ||
	    (rc = get_pair(r, s, S, "reps", 0, COUNT_MAX, 1, 1, reps)) ||
	    (rc = get_pair(r, s, S, "holds", 0, COUNT_MAX, 1, 0, holds)) ||
	    (rc = get_num(r, s, "summary.", "single_leg_lsi_pct", 0, 100, 0, &rep->lsi_pct)) ||
	    (rc = get_num(r, s, "summary.", "asym_threshold_pct", 0, 100, 0,
	                  &rep->asym_threshold_pct)) ||
	    (rc = get_pair(r, s, S, "single_leg_best_hold_n", -FORCE_MAX_N, FORCE_MAX_N, 0, 0,
	                   rep->best_single_hold_n)) ||
	    (rc = get_pair(r, s, S, "single_leg_best_hold_above_rest_n", -FORCE_MAX_N,
	                   FORCE_MAX_N, 0, 0, rep->best_single_hold_above_rest_n)))
		return rc;
	for (int i = 0; i < 2; i++) {
		rep->reps[i] = (unsigned)reps[i];
		/* Summaries older than summary.holds: count the listed holds. */
		if (isfinite(holds[i]))
			rep->holds[i] = (unsigned)holds[i];
		else
			for (size_t k = 0; k < rep->n_events; k++)
				rep->holds[i] += rep->events[k].kind == BM_EVENT_HOLD &&
				                 rep->events[k].leg == i;
	}
	return 0;
}

static int read_data(struct rd *r, json_object *root, struct bm_report *rep)
{
	json_object *d;
	double v[6] = {0, 0, 0, 0, 0, 0}, rej[2] = {0, 0};
	int rc;
	if (!member(root, "data", &d))
		return 0;
	if (!json_object_is_type(d, json_type_object))
		return bad(r, "data", "is not an object");
	if ((rc = get_count(r, d, "data.", "rows", ROWS_MAX, 0, &v[0])) ||
	    (rc = get_count(r, d, "data.", "samples_filled", ROWS_MAX, 0, &v[1])) ||
	    (rc = get_count(r, d, "data.", "gaps", ROWS_MAX, 0, &v[2])) ||
	    (rc = get_count(r, d, "data.", "events_lost", ROWS_MAX, 0, &v[3])) ||
	    (rc = get_count(r, d, "data.", "excluded_events", COUNT_MAX, 0, &v[4])) ||
	    (rc = get_count(r, d, "data.", "calibration_changes", COUNT_MAX, 0, &v[5])) ||
	    (rc = get_num(r, d, "data.", "gap_s", 0, TIME_MAX_S, 0, &rep->gap_s)) ||
	    (rc = get_num(r, d, "data.", "gap_s_left", 0, TIME_MAX_S, 0, &rep->gap_s_leg[0])) ||
	    (rc = get_num(r, d, "data.", "gap_s_right", 0, TIME_MAX_S, 0, &rep->gap_s_leg[1])) ||
	    (rc = get_num(r, d, "data.", "max_force_n", 0, 1e300, 0, &rep->max_force_n)) ||
	    (rc = get_pair(r, d, "data.", "rejected_readings", 0, ROWS_MAX, 1, 0, rej)))
		return rc;
	rep->rows = (unsigned long long)v[0];
	rep->samples_filled = (unsigned long long)v[1];
	rep->gaps = (unsigned long long)v[2];
	rep->events_lost = (unsigned long long)v[3];
	rep->excluded_events = (size_t)v[4];
	rep->calibration_changes = (size_t)v[5];
	rep->rejected[0] = (unsigned long long)rej[0];
	rep->rejected[1] = (unsigned long long)rej[1];
	return 0;
}

static void report_empty(struct bm_report *rep)
{
	memset(rep, 0, sizeof *rep);
	rep->duration_s = rep->sample_rate_hz = rep->asym_threshold_pct = NAN;
	rep->lsi_pct = NAN;
	rep->hold_time_s[0] = rep->hold_time_s[1] = NAN;
	for (int i = 0; i < 2; i++) {
		rep->best_single_hold_n[i] = rep->best_single_hold_above_rest_n[i] = NAN;
		rep->gap_s_leg[i] = 0;
	}
	rep->max_force_n = NAN;
}

int bm_summary_parse(const char *text, size_t len, const char *name, struct bm_report *rep,
                     char *msg, size_t msg_len)
{
	struct rd r = {name, msg, msg_len};
	json_object *root = NULL;
	int rc;

	report_empty(rep);
	if (msg && msg_len)
		msg[0] = '\0';
	if (len > BM_SUMMARY_MAX_BYTES || len > (size_t)INT32_MAX) {
		bm_say(msg, msg_len, "%s: larger than %u bytes", name, BM_SUMMARY_MAX_BYTES);
		return BM_SUMMARY_ERR_FORMAT;
	}
	json_tokener *tok = json_tokener_new();
	if (!tok) {
		bm_say(msg, msg_len, "%s: out of memory", name);
		return BM_SUMMARY_ERR_NOMEM;
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error je = json_tokener_get_error(tok);
	/* Trailing bytes after the object (other than white space) are not a
	 * summary either. */
	size_t used = (size_t)json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	while (root && used < len && strchr(" \t\r\n", text[used]) && text[used])
		used++;
	if (!root || je != json_tokener_success) {
		bm_say(msg, msg_len, "%s: not valid JSON (%s)", name,
		    je != json_tokener_success ? json_tokener_error_desc(je) : "empty");
		json_object_put(root);
		return BM_SUMMARY_ERR_FORMAT;
	}
	if (used < len) {
		bm_say(msg, msg_len, "%s: not valid JSON (text after the object at byte %zu)", name, used);
		json_object_put(root);
		return BM_SUMMARY_ERR_FORMAT;
	}
	if (!json_object_is_type(root, json_type_object)) {
		bm_say(msg, msg_len, "%s: not a bridgemon summary (not a JSON object)", name);
		json_object_put(root);
		return BM_SUMMARY_ERR_FORMAT;
	}
	int demo = 0;
	if ((rc = get_num(&r, root, "", "duration_s", 0, TIME_MAX_S, 1, &rep->duration_s)) ||
	    (rc = get_num(&r, root, "", "sample_rate_hz", 0, 1e6, 0, &rep->sample_rate_hz)) ||
	    (rc = get_bool(&r, root, "", "demo", &demo)) || (rc = read_events(&r, root, rep)) ||
	    (rc = read_pairs(&r, root, rep)) || (rc = read_totals(&r, root, rep)) ||
	    (rc = read_data(&r, root, rep))) {
		if (rc == BM_SUMMARY_ERR_NOMEM)
			bm_say(msg, msg_len, "%s: out of memory", name);
		json_object_put(root);
		bm_report_free(rep);
		return rc;
	}
	rep->demo = demo;
	json_object_put(root);
	return BM_SUMMARY_OK;
}

int bm_summary_read(const char *path, struct bm_report *rep, char **text, char *msg,
                    size_t msg_len)
{
	char *buf;
	size_t len;
	if (text)
		*text = NULL;
	report_empty(rep);
	int rc = bm_summary_slurp(path, BM_SUMMARY_MAX_BYTES, &buf, &len, msg, msg_len);
	if (rc != BM_SUMMARY_OK)
		return rc;
	rc = bm_summary_parse(buf, len, path, rep, msg, msg_len);
	if (rc == BM_SUMMARY_OK && text)
		*text = buf;
	else
		free(buf);
	return rc;
}
