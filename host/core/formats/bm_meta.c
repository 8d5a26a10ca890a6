/* bm_meta.c - the recording's sidecar; the idea is in bm_meta.h.  Written
 * by hand (one fixed shape, every number in a chosen format), read with
 * json-c and range-checked key by key. */
#include "bm_meta.h"

#include "bm_say.h"

#include <errno.h>
#include <fcntl.h>
#include <json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bm_csv.h"
#include "bm_fileio.h"

/* Limits of what a sidecar may hold: far beyond any real recording, small
 * enough that a hostile file cannot make us allocate without bound. */
#define META_MAX_BYTES (16u << 20)
#define META_MAX_ITEMS 100000
#define FORMAT_NAME "bridgemon-session-meta"
#define FORMAT_VERSION 1

static const char *const leg_key[2] = {"left", "right"};

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

void bm_meta_init(struct bm_meta *m)
{
	memset(m, 0, sizeof *m);
	m->sample_rate_hz = NAN;
	m->start_epoch_s = NAN;
	m->rest_n[0] = m->rest_n[1] = NAN;
	m->ctx.body_mass_kg = NAN;
	m->ctx.knee_angle_deg = m->ctx.hip_angle_deg = NAN;
	m->ctx.pain_before = m->ctx.pain_after = NAN;
}

void bm_meta_free(struct bm_meta *m)
{
	free(m->cal);
	free(m->excluded);
	free(m->gaps);
	bm_meta_init(m);
}

/* Room for one more of @p elem bytes in *arr holding *n.  0 or -1. */
static int grow_one(void **arr, size_t n, size_t elem)
{
	if (n >= META_MAX_ITEMS)
		return -1;
	/* Powers of two: reallocate only when n is one. */
	if (n && (n & (n - 1)))
		return 0;
	void *p = realloc(*arr, (n ? 2 * n : 4) * elem);
	if (!p)
		return -1;
	*arr = p;
	return 0;
}

int bm_meta_add_calib(struct bm_meta *m, double from_t_s, const struct bm_calib *cal)
{
	if (grow_one((void **)&m->cal, m->n_cal, sizeof *m->cal) != 0)
		return -1;
	m->cal[m->n_cal].from_t_s = from_t_s;
	m->cal[m->n_cal].cal = *cal;
	m->n_cal++;
	return 0;
}

int bm_meta_exclude_begin(struct bm_meta *m, double from_t_s, const char *why)
{
	if (m->n_excluded && isnan(m->excluded[m->n_excluded - 1].to_t_s))
		return 0; /* already open */
	if (grow_one((void **)&m->excluded, m->n_excluded, sizeof *m->excluded) != 0)
		return -1;
	struct bm_meta_interval *x = &m->excluded[m->n_excluded++];
	x->from_t_s = from_t_s;
	x->to_t_s = NAN;
	copy_str(x->why, sizeof x->why, why);
	return 0;
}

void bm_meta_exclude_end(struct bm_meta *m, double to_t_s)
{
	if (m->n_excluded && isnan(m->excluded[m->n_excluded - 1].to_t_s))
		m->excluded[m->n_excluded - 1].to_t_s = to_t_s;
}

int bm_meta_add_gap(struct bm_meta *m, double before_t_s, long samples_lost, const char *why)
{
	if (grow_one((void **)&m->gaps, m->n_gaps, sizeof *m->gaps) != 0)
		return -1;
	struct bm_meta_gap *g = &m->gaps[m->n_gaps++];
	g->before_t_s = before_t_s;
	g->samples_lost = samples_lost;
	copy_str(g->why, sizeof g->why, why);
	return 0;
}

int bm_meta_is_excluded(const struct bm_meta *m, double a, double b)
{
	for (size_t i = 0; i < m->n_excluded; i++) {
		const struct bm_meta_interval *x = &m->excluded[i];
		double to = isnan(x->to_t_s) ? INFINITY : x->to_t_s;
		if (a <= to && b >= x->from_t_s)
			return 1;
	}
	return 0;
}

void bm_meta_path(const char *csv, char *out, size_t len)
{
	size_t n = strlen(csv);
	int k = (int)(n > 4 && !strcmp(csv + n - 4, ".csv") ? n - 4 : n);
	snprintf(out, len, "%.*s.meta.json", k, csv);
}

/* ------------------------------------------------------------- writing */

/* A JSON string, escaped. */
static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* A number with @p dec decimals (or %.9g when dec < 0), null when not
 * finite. */
static void jnum(FILE *f, double v, int dec)
{
	if (!isfinite(v))
		fputs("null", f);
	else if (dec < 0)
		fprintf(f, "%.9g", v);
	else
		fprintf(f, "%.*f", dec, v == 0 ? 0.0 : v);
}

static void write_calib(FILE *f, const struct bm_meta_calib *c)
{
	fputs("{\"from_t_s\": ", f);
	jnum(f, c->from_t_s, 6);
	for (int i = 0; i < 2; i++) {
		fprintf(f, ", \"%s\": {\"offset_counts\": ", leg_key[i]);
		jnum(f, c->cal.offset_counts[i], 3);
		fputs(", \"scale_n_per_count\": ", f);
		jnum(f, c->cal.scale_n_per_count[i], -1);
		fprintf(f, ", \"valid\": %s}", c->cal.valid[i] ? "true" : "false");
	}
	fputs("}", f);
}

char *bm_meta_to_json(const struct bm_meta *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "{\"format\": \"%s\", \"version\": %d,\n \"bridgemon\": ", FORMAT_NAME,
	        FORMAT_VERSION);
	jstr(f, m->bridgemon);
	fputs(", \"source\": ", f);
	jstr(f, m->source);
	fprintf(f, ", \"demo\": %s, \"closed\": %s,\n \"device\": ", m->demo ? "true" : "false",
	        m->closed ? "true" : "false");
	jstr(f, m->device);
	fputs(", \"board_id\": ", f);
	jstr(f, m->board_id);
	fputs(", \"sample_rate_hz\": ", f);
	jnum(f, m->sample_rate_hz, 6);
	fputs(", \"rest_n\": {\"left\": ", f);
	jnum(f, m->rest_n[0], 3);
	fputs(", \"right\": ", f);
	jnum(f, m->rest_n[1], 3);
	fputs("},\n \"start_time\": ", f);
	jstr(f, m->start_time);
	fputs(", \"start_epoch_s\": ", f);
	jnum(f, m->start_epoch_s, 3);
	int calibrated = m->n_cal && m->cal[m->n_cal - 1].cal.valid[0] && m->cal[m->n_cal - 1].cal.valid[1];
	fprintf(f, ",\n \"calibrated\": %s, \"calibration\": [", calibrated ? "true" : "false");
	for (size_t i = 0; i < m->n_cal; i++) {
		fputs(i ? ",\n  " : "\n  ", f);
		write_calib(f, &m->cal[i]);
	}
	fputs("],\n \"excluded\": [", f);
	for (size_t i = 0; i < m->n_excluded; i++) {
		fputs(i ? ",\n  {\"from_t_s\": " : "\n  {\"from_t_s\": ", f);
		jnum(f, m->excluded[i].from_t_s, 6);
		fputs(", \"to_t_s\": ", f);
		jnum(f, m->excluded[i].to_t_s, 6);
		fputs(", \"why\": ", f);
		jstr(f, m->excluded[i].why);
		fputs("}", f);
	}
	fputs("],\n \"gaps\": [", f);
	for (size_t i = 0; i < m->n_gaps; i++) {
		fputs(i ? ",\n  {\"before_t_s\": " : "\n  {\"before_t_s\": ", f);
		jnum(f, m->gaps[i].before_t_s, 6);
		fprintf(f, ", \"samples_lost\": %ld, \"why\": ", m->gaps[i].samples_lost);
		jstr(f, m->gaps[i].why);
		fputs("}", f);
	}
	const struct bm_meta_context *c = &m->ctx;
	fputs("],\n \"context\": {\"athlete\": ", f);
	jstr(f, c->athlete);
	fputs(", \"athlete_id\": ", f);
	jstr(f, c->athlete_id);
	fputs(", \"injured_side\": ", f);
	jstr(f, c->injured_side);
	fputs(", \"body_mass_kg\": ", f);
	jnum(f, c->body_mass_kg, 1);
	fputs(", \"exercise\": ", f);
	jstr(f, c->exercise);
	fputs(", \"knee_angle_deg\": ", f);
	jnum(f, c->knee_angle_deg, 1);
	fputs(", \"hip_angle_deg\": ", f);
	jnum(f, c->hip_angle_deg, 1);
	fputs(", \"protocol\": ", f);
	jstr(f, c->protocol);
	fputs(", \"notes\": ", f);
	jstr(f, c->notes);
	fputs(", \"pain_before\": ", f);
	jnum(f, c->pain_before, 0);
	fputs(", \"pain_after\": ", f);
	jnum(f, c->pain_after, 0);
	fputs("},\n \"origin\": ", f);
	jstr(f, m->origin);
	fputs("}\n", f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int bm_meta_write(const char *path, const struct bm_meta *m, char *msg, size_t msg_len)
{
	char *text = bm_meta_to_json(m);
	if (!text) {
		bm_say(msg, msg_len, "out of memory writing %s", path);
		return BM_META_ERR_NOMEM;
	}
	int r = bm_write_file_atomic(path, text, strlen(text), msg, msg_len);
	free(text);
	return r == 0 ? BM_META_OK : BM_META_ERR_IO;
}

/* ------------------------------------------------------------- reading */

struct rd {
	const char *name;
	char *msg;
	size_t len;
};

static int bad(struct rd *r, const char *key, const char *why)
{
	bm_say(r->msg, r->len, "%s: \"%s\" %s", r->name, key, why);
	return BM_META_ERR_FORMAT;
}

/* Optional number in [lo, hi]; null or absent leaves *v (NaN). */
static int get_num(struct rd *r, json_object *o, const char *key, double lo, double hi, double *v)
{
	json_object *x;
	if (!json_object_object_get_ex(o, key, &x) || json_object_is_type(x, json_type_null))
		return 0;
	if (!json_object_is_type(x, json_type_double) && !json_object_is_type(x, json_type_int))
		return bad(r, key, "is not a number");
	double d = json_object_get_double(x);
	if (!isfinite(d) || d < lo || d > hi) {
		char why[96];
		snprintf(why, sizeof why, "must be %g to %g, got %g", lo, hi, d);
		return bad(r, key, why);
	}
	*v = d;
	return 0;
}

static int get_str(struct rd *r, json_object *o, const char *key, char *dst, size_t n)
{
	json_object *x;
	if (!json_object_object_get_ex(o, key, &x) || json_object_is_type(x, json_type_null))
		return 0;
	if (!json_object_is_type(x, json_type_string))
		return bad(r, key, "is not a string");
	if ((size_t)json_object_get_string_len(x) >= n)
		return bad(r, key, "is too long");
	copy_str(dst, n, json_object_get_string(x));
	return 0;
}

static int get_bool(struct rd *r, json_object *o, const char *key, int *v)
{
	json_object *x;
	if (!json_object_object_get_ex(o, key, &x) || json_object_is_type(x, json_type_null))
		return 0;
	if (!json_object_is_type(x, json_type_boolean))
		return bad(r, key, "is not true or false");
	*v = json_object_get_boolean(x);
	return 0;
}

/* An array under @p key (absent: *n = 0).  Too many items is an error. */
static int get_array(struct rd *r, json_object *o, const char *key, json_object **arr, size_t *n)
{
	*arr = NULL;
	*n = 0;
	if (!json_object_object_get_ex(o, key, arr) || json_object_is_type(*arr, json_type_null))
		return 0;
	if (!json_object_is_type(*arr, json_type_array))
		return bad(r, key, "is not a list");
	*n = json_object_array_length(*arr);
	return *n > META_MAX_ITEMS ? bad(r, key, "has too many items") : 0;
}

/* Offsets and scales a load cell on an HX711 can have (24-bit counts; at
 * most a newton per count, which no cell comes near). */
static int read_calib(struct rd *r, json_object *o, struct bm_meta_calib *c)
{
	int rc;
	c->from_t_s = NAN;
	bm_calib_init(&c->cal);
	if ((rc = get_num(r, o, "from_t_s", -1e12, 1e12, &c->from_t_s)) != 0)
		return rc;
	for (int i = 0; i < 2; i++) {
		json_object *l;
		if (!json_object_object_get_ex(o, leg_key[i], &l) ||
		    !json_object_is_type(l, json_type_object))
			return bad(r, leg_key[i], "calibration is missing");
		double off = NAN, sc = NAN;
		if ((rc = get_num(r, l, "offset_counts", -16777216.0, 16777216.0, &off)) != 0 ||
		    (rc = get_num(r, l, "scale_n_per_count", -1.0, 1.0, &sc)) != 0 ||
		    (rc = get_bool(r, l, "valid", &c->cal.valid[i])) != 0)
			return rc;
		if (!isfinite(off) || !isfinite(sc) || sc == 0)
			return bad(r, "scale_n_per_count", "needs an offset and a non-zero scale");
		c->cal.offset_counts[i] = off;
		c->cal.scale_n_per_count[i] = sc;
	}
	return 0;
}

static int read_lists(struct rd *r, json_object *root, struct bm_meta *m)
{
	json_object *arr;
	size_t n;
	int rc;

	if ((rc = get_array(r, root, "calibration", &arr, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct bm_meta_calib c;
		if ((rc = read_calib(r, json_object_array_get_idx(arr, i), &c)) != 0)
			return rc;
		if (bm_meta_add_calib(m, c.from_t_s, &c.cal) != 0)
			return BM_META_ERR_NOMEM;
	}
	if ((rc = get_array(r, root, "excluded", &arr, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		double a = NAN, b = NAN;
		char why[48] = "";
		if ((rc = get_num(r, o, "from_t_s", -1e12, 1e12, &a)) != 0 ||
		    (rc = get_num(r, o, "to_t_s", -1e12, 1e12, &b)) != 0 ||
		    (rc = get_str(r, o, "why", why, sizeof why)) != 0)
			return rc;
		if (!isfinite(a) || (isfinite(b) && b < a))
			return bad(r, "excluded", "needs from_t_s, and to_t_s after it");
		if (bm_meta_exclude_begin(m, a, why) != 0)
			return BM_META_ERR_NOMEM;
		/* An open stretch (a crash while calibrating) runs to the end. */
		bm_meta_exclude_end(m, isfinite(b) ? b : INFINITY);
	}
	if ((rc = get_array(r, root, "gaps", &arr, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		double t = NAN, lost = -1;
		char why[80] = "";
		if ((rc = get_num(r, o, "before_t_s", -1e12, 1e12, &t)) != 0 ||
		    (rc = get_num(r, o, "samples_lost", -1, 1e12, &lost)) != 0 ||
		    (rc = get_str(r, o, "why", why, sizeof why)) != 0)
			return rc;
		if (bm_meta_add_gap(m, t, (long)lost, why) != 0)
			return BM_META_ERR_NOMEM;
	}
	return 0;
}

static int read_rest(struct rd *r, json_object *root, struct bm_meta *m)
{
	json_object *o;
	int rc;
	if (!json_object_object_get_ex(root, "rest_n", &o) || json_object_is_type(o, json_type_null))
		return 0;
	if (!json_object_is_type(o, json_type_object))
		return bad(r, "rest_n", "is not an object");
	for (int i = 0; i < 2; i++)
		if ((rc = get_num(r, o, leg_key[i], -5000, 5000, &m->rest_n[i])) != 0)
			return rc;
	return 0;
}

static int read_context(struct rd *r, json_object *root, struct bm_meta_context *c)
{
	json_object *o;
	int rc;
	if (!json_object_object_get_ex(root, "context", &o) || json_object_is_type(o, json_type_null))
		return 0;
	if (!json_object_is_type(o, json_type_object))
		return bad(r, "context", "is not an object");
	if ((rc = get_str(r, o, "athlete", c->athlete, sizeof c->athlete)) != 0 ||
	    (rc = get_str(r, o, "athlete_id", c->athlete_id, sizeof c->athlete_id)) != 0 ||
	    (rc = get_str(r, o, "injured_side", c->injured_side, sizeof c->injured_side)) != 0 ||
	    (rc = get_num(r, o, "body_mass_kg", 10, 400, &c->body_mass_kg)) != 0 ||
	    (rc = get_str(r, o, "exercise", c->exercise, sizeof c->exercise)) != 0 ||
	    (rc = get_num(r, o, "knee_angle_deg", -30, 180, &c->knee_angle_deg)) != 0 ||
	    (rc = get_num(r, o, "hip_angle_deg", -30, 180, &c->hip_angle_deg)) != 0 ||
	    (rc = get_str(r, o, "protocol", c->protocol, sizeof c->protocol)) != 0 ||
	    (rc = get_str(r, o, "notes", c->notes, sizeof c->notes)) != 0 ||
	    (rc = get_num(r, o, "pain_before", 0, 10, &c->pain_before)) != 0 ||
	    (rc = get_num(r, o, "pain_after", 0, 10, &c->pain_after)) != 0)
		return rc;
	return 0;
}

int bm_meta_parse(const char *text, size_t len, const char *name, struct bm_meta *m, char *msg,
                  size_t msg_len)
{
	struct rd r = {name, msg, msg_len};
	json_tokener *tok;
	json_object *root, *x;
	int rc;

	bm_meta_init(m);
	if (len > META_MAX_BYTES || len > (size_t)INT32_MAX) {
		bm_say(msg, msg_len, "%s: too large for a sidecar", name);
		return BM_META_ERR_FORMAT;
	}
	tok = json_tokener_new();
	if (!tok)
		return BM_META_ERR_NOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error je = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (!root || je != json_tokener_success) {
		bm_say(msg, msg_len, "%s: not valid JSON (%s)", name, json_tokener_error_desc(je));
		json_object_put(root);
		return BM_META_ERR_FORMAT;
	}
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "format", &x) ||
	    !json_object_is_type(x, json_type_string) ||
	    strcmp(json_object_get_string(x), FORMAT_NAME) != 0) {
		json_object_put(root);
		bm_say(msg, msg_len, "%s: not a bridgemon sidecar (no \"format\": \"%s\")", name,
		    FORMAT_NAME);
		return BM_META_ERR_FORMAT;
	}
	double version = NAN;
	if ((rc = get_num(&r, root, "version", 1, 1000, &version)) != 0 ||
	    (rc = get_str(&r, root, "bridgemon", m->bridgemon, sizeof m->bridgemon)) != 0 ||
	    (rc = get_str(&r, root, "source", m->source, sizeof m->source)) != 0 ||
	    (rc = get_bool(&r, root, "demo", &m->demo)) != 0 ||
	    (rc = get_bool(&r, root, "closed", &m->closed)) != 0 ||
	    (rc = get_str(&r, root, "device", m->device, sizeof m->device)) != 0 ||
	    (rc = get_str(&r, root, "board_id", m->board_id, sizeof m->board_id)) != 0 ||
	    (rc = get_num(&r, root, "sample_rate_hz", 0.1, 100000, &m->sample_rate_hz)) != 0 ||
	    (rc = get_str(&r, root, "start_time", m->start_time, sizeof m->start_time)) != 0 ||
	    (rc = get_num(&r, root, "start_epoch_s", -1e11, 1e11, &m->start_epoch_s)) != 0 ||
	    (rc = get_str(&r, root, "origin", m->origin, sizeof m->origin)) != 0 ||
	    (rc = read_rest(&r, root, m)) != 0 ||
	    (rc = read_lists(&r, root, m)) != 0 || (rc = read_context(&r, root, &m->ctx)) != 0) {
		json_object_put(root);
		if (rc == BM_META_ERR_NOMEM)
			bm_say(msg, msg_len, "%s: out of memory", name);
		bm_meta_free(m);
		return rc;
	}
	if (version > FORMAT_VERSION)
		bm_say(msg, msg_len, "%s: written by a newer bridgemon (format %g); read as format %d",
		    name, version, FORMAT_VERSION);
	json_object_put(root);
	return BM_META_OK;
}

int bm_meta_read(const char *path, struct bm_meta *m, char *msg, size_t msg_len)
{
	struct stat sb;
	bm_meta_init(m);
	/* O_NONBLOCK: a FIFO under the sidecar's name must not hang us. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		bm_say(msg, msg_len, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? BM_META_NOT_FOUND : BM_META_ERR_IO;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > META_MAX_BYTES) {
		bm_say(msg, msg_len, "%s: not a regular file of at most 16 MB", path);
		close(fd);
		return BM_META_ERR_FORMAT;
	}
	char *buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		close(fd);
		return BM_META_ERR_NOMEM;
	}
	size_t got = 0;
	while (got < (size_t)sb.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)sb.st_size - got);
		if (k <= 0) {
			if (k < 0 && errno == EINTR)
				continue;
			break;
		}
		got += (size_t)k;
	}
	close(fd);
	buf[got] = '\0';
	int rc = bm_meta_parse(buf, got, path, m, msg, msg_len);
	free(buf);
	return rc;
}

int bm_meta_recording_rate(const char *csv_path, const struct bm_csv_reader *rd, double *rate_hz,
                           char *msg, size_t msg_len)
{
	char mp[4200];
	struct bm_meta m;
	*rate_hz = 0;
	if (strcmp(csv_path, "-") != 0 && strlen(csv_path) + 16 < sizeof mp) {
		bm_meta_path(csv_path, mp, sizeof mp);
		int r = bm_meta_read(mp, &m, msg, msg_len);
		if (r == BM_META_OK) {
			*rate_hz = isfinite(m.sample_rate_hz) ? m.sample_rate_hz : 0;
			bm_meta_free(&m);
			return 0;
		}
		if (r != BM_META_NOT_FOUND)
			return BM_META_ERR_FORMAT;
	}
	const char *v = rd ? bm_csv_reader_meta(rd, "sample_rate_hz") : NULL;
	if (!v)
		return 0;
	char *end;
	double d = strtod(v, &end);
	while (*end == ' ')
		end++;
	/* "unknown (...)" is what an earlier version wrote without a rate. */
	if (!strncmp(v, "unknown", 7))
		return 0;
	if (end == v || *end || !isfinite(d) || d < 0.1 || d > 100000) {
		bm_say(msg, msg_len, "%s: sample_rate_hz '%.40s' is not a rate from 0.1 to 100000 Hz",
		    csv_path, v);
		return BM_META_ERR_FORMAT;
	}
	*rate_hz = d;
	return 0;
}
