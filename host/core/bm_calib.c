/* bm_calib.c - tare, known-mass scale, apply, and per-board persistence;
 * the idea is in bm_calib.h. */
#include "bm_calib.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bm_fileio.h"

static const char *const chan_name[BM_NCHAN] = {"left", "right"};

static void say(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;
	if (!msg || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

void bm_calib_limits_default(struct bm_calib_limits *lim)
{
	lim->still_sd_n = 2.0;
	lim->still_drift_n = 2.0;
	lim->tare_max_load_n = 30.0;
	lim->min_counts = 500.0;
}

void bm_calib_init(struct bm_calib *cal)
{
	for (int ch = 0; ch < BM_NCHAN; ch++) {
		cal->offset_counts[ch] = 0;
		cal->scale_n_per_count[ch] = BM_CALIB_DEFAULT_SCALE_N_PER_COUNT;
		cal->valid[ch] = 0;
	}
}

void bm_calib_from_record(struct bm_calib *cal, const struct bm_cal_record *rec)
{
	for (int ch = 0; ch < BM_NCHAN; ch++) {
		cal->offset_counts[ch] = rec->offset_counts[ch];
		cal->scale_n_per_count[ch] = rec->scale_n_per_count[ch];
		cal->valid[ch] = isfinite(rec->scale_n_per_count[ch]) &&
		                 rec->scale_n_per_count[ch] != 0.0f;
	}
}

void bm_calib_to_record(const struct bm_calib *cal, struct bm_cal_record *rec)
{
	for (int ch = 0; ch < BM_NCHAN; ch++) {
		rec->offset_counts[ch] = (int32_t)lround(cal->offset_counts[ch]);
		rec->scale_n_per_count[ch] = (float)cal->scale_n_per_count[ch];
	}
}

double bm_calib_apply(const struct bm_calib *cal, int ch, int32_t raw_counts, uint8_t flags)
{
	if (flags & (BM_CH_NOT_READY | BM_CH_SAT_HIGH | BM_CH_SAT_LOW))
		return NAN;
	return ((double)raw_counts - cal->offset_counts[ch]) * cal->scale_n_per_count[ch];
}

/* Mean, standard deviation and half-to-half drift of a window, in counts. */
static void window_stats(const int32_t *raw, size_t n, double *mean, double *sd, double *drift)
{
	double sum = 0, sum_a = 0, sum_b = 0, ss = 0;
	size_t half = n / 2;
	for (size_t i = 0; i < n; i++) {
		sum += raw[i];
		if (i < half)
			sum_a += raw[i];
		else
			sum_b += raw[i];
	}
	*mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += ((double)raw[i] - *mean) * ((double)raw[i] - *mean);
	*sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	*drift = half ? fabs(sum_b / (double)(n - half) - sum_a / (double)half) : 0;
}

/* Stillness in newtons, judged with the current scale. */
static int check_still(const struct bm_calib *cal, const struct bm_calib_limits *lim, int ch,
                       double sd_counts, double drift_counts, const char *what,
                       char *msg, size_t len)
{
	double k = fabs(cal->scale_n_per_count[ch]);
	if (sd_counts * k > lim->still_sd_n || drift_counts * k > lim->still_drift_n) {
		say(msg, len, "%s refused on the %s plate: the force is changing "
		    "(%.1f N spread, %.1f N drift); keep still and try again",
		    what, chan_name[ch], sd_counts * k, drift_counts * k);
		return BM_CALIB_ERR_MOVING;
	}
	return BM_CALIB_OK;
}

int bm_calib_tare(struct bm_calib *cal, const struct bm_calib_limits *lim, int ch,
                  const int32_t *raw, size_t n, char *msg, size_t len)
{
	double mean, sd, drift;
	int r;

	if (ch < 0 || ch >= BM_NCHAN || n < 2) {
		say(msg, len, "tare needs at least two readings");
		return BM_CALIB_ERR_ARG;
	}
	window_stats(raw, n, &mean, &sd, &drift);
	r = check_still(cal, lim, ch, sd, drift, "tare", msg, len);
	if (r != BM_CALIB_OK)
		return r;
	if (cal->valid[ch]) {
		double load = (mean - cal->offset_counts[ch]) * cal->scale_n_per_count[ch];
		if (fabs(load) > lim->tare_max_load_n) {
			say(msg, len, "tare refused on the %s plate: it carries %.0f N; "
			    "lift your heel off the plate first", chan_name[ch], load);
			return BM_CALIB_ERR_LOADED;
		}
	}
	cal->offset_counts[ch] = mean;
	say(msg, len, "%s plate tared", chan_name[ch]);
	return BM_CALIB_OK;
}

int bm_calib_scale(struct bm_calib *cal, const struct bm_calib_limits *lim, int ch,
                   const int32_t *raw, size_t n, double mass_kg, char *msg, size_t len)
{
	double mean, sd, drift, delta;
	int r;

	if (ch < 0 || ch >= BM_NCHAN || n < 2 || !(mass_kg > 0) || !isfinite(mass_kg)) {
		say(msg, len, "calibration needs a mass above 0 kg and at least two readings");
		return BM_CALIB_ERR_ARG;
	}
	window_stats(raw, n, &mean, &sd, &drift);
	r = check_still(cal, lim, ch, sd, drift, "calibration", msg, len);
	if (r != BM_CALIB_OK)
		return r;
	delta = mean - cal->offset_counts[ch];
	if (fabs(delta) < lim->min_counts) {
		say(msg, len, "calibration refused on the %s plate: %.1f kg changed the reading "
		    "by only %.0f counts; check the load cell wiring", chan_name[ch], mass_kg, delta);
		return BM_CALIB_ERR_NO_RESPONSE;
	}
	/* A negative delta is a cell wired in reverse: the scale turns negative
	 * and forces come out positive all the same. */
	cal->scale_n_per_count[ch] = mass_kg * BM_STANDARD_GRAVITY / delta;
	cal->valid[ch] = 1;
	say(msg, len, "%s plate calibrated: %.4g N per count%s", chan_name[ch],
	    cal->scale_n_per_count[ch], delta < 0 ? " (cell wired in reverse)" : "");
	return BM_CALIB_OK;
}

int bm_calib_dir(char *out, size_t len)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	/* The XDG spec says a relative XDG_CONFIG_HOME is invalid and ignored. */
	if (x && x[0] == '/')
		n = snprintf(out, len, "%s/bridgemon", x);
	else if (home && home[0])
		n = snprintf(out, len, "%s/.config/bridgemon", home);
	else
		return BM_CALIB_ERR_IO;
	return n > 0 && (size_t)n < len ? BM_CALIB_OK : BM_CALIB_ERR_IO;
}

/* bm_calib_dir() into @p d, or NULL with a message. */
static const char *default_dir(char *d, size_t dlen, char *msg, size_t len)
{
	if (bm_calib_dir(d, dlen) != BM_CALIB_OK) {
		say(msg, len, "cannot find a folder for calibration: set HOME or XDG_CONFIG_HOME");
		return NULL;
	}
	return d;
}

static int file_path(char *out, size_t len, const char *dir, uint32_t board_id)
{
	int n = snprintf(out, len, "%s/calibration-%08lx.conf", dir, (unsigned long)board_id);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

int bm_calib_save(const struct bm_calib *cal, uint32_t board_id, const char *dir,
                  char *msg, size_t len)
{
	char d[512], path[600];
	char *text = NULL;
	size_t tlen = 0;
	FILE *f;

	if (!dir && !(dir = default_dir(d, sizeof d, msg, len)))
		return BM_CALIB_ERR_IO;
	if (bm_make_dirs(dir) != 0 || file_path(path, sizeof path, dir, board_id) != 0) {
		say(msg, len, "cannot create %s: %s", dir, strerror(errno));
		return BM_CALIB_ERR_IO;
	}
	f = open_memstream(&text, &tlen);
	if (!f) {
		say(msg, len, "out of memory");
		return BM_CALIB_ERR_IO;
	}
	fprintf(f, "# bridgemon calibration of board %08lx: force_n = (raw - offset) * scale\n",
	        (unsigned long)board_id);
	fprintf(f, "board_id = %08lx\n", (unsigned long)board_id);
	for (int ch = 0; ch < BM_NCHAN; ch++) {
		fprintf(f, "%s_offset_counts = %.17g\n", chan_name[ch], cal->offset_counts[ch]);
		fprintf(f, "%s_scale_n_per_count = %.17g\n", chan_name[ch], cal->scale_n_per_count[ch]);
		fprintf(f, "%s_valid = %d\n", chan_name[ch], cal->valid[ch] ? 1 : 0);
	}
	fclose(f);
	/* Temporary file and rename: a crash never leaves half a file. */
	int r = bm_write_file_atomic(path, text, tlen, msg, len);
	free(text);
	if (r != 0)
		return BM_CALIB_ERR_IO;
	say(msg, len, "calibration saved to %s", path);
	return BM_CALIB_OK;
}

int bm_calib_load(struct bm_calib *cal, uint32_t board_id, const char *dir,
                  char *msg, size_t len)
{
	char d[512], path[600], line[256];
	struct bm_calib c;
	unsigned long lineno = 0;
	int seen = 0;  /* bit per key found */
	FILE *f;

	if (!dir && !(dir = default_dir(d, sizeof d, msg, len)))
		return BM_CALIB_ERR_IO;
	if (file_path(path, sizeof path, dir, board_id) != 0)
		return BM_CALIB_ERR_IO;
	f = fopen(path, "r");
	if (!f) {
		say(msg, len, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? BM_CALIB_ERR_NOT_FOUND : BM_CALIB_ERR_IO;
	}
	bm_calib_init(&c);
	while (fgets(line, sizeof line, f)) {
		char key[64], rest[2];
		double v;
		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (sscanf(line, " board_id = %lx %1s", (unsigned long[]){0}, rest) == 1)
			continue;
		if (sscanf(line, " %63[a-z_] = %lf %1s", key, &v, rest) != 2 || !isfinite(v)) {
			say(msg, len, "%s:%lu: expected 'name = number'", path, lineno);
			fclose(f);
			return BM_CALIB_ERR_FORMAT;
		}
		int known = 0;
		for (int ch = 0; ch < BM_NCHAN; ch++) {
			size_t cl = strlen(chan_name[ch]);
			if (strncmp(key, chan_name[ch], cl) != 0 || key[cl] != '_')
				continue;
			const char *k = key + cl + 1;
			if (!strcmp(k, "offset_counts")) {
				c.offset_counts[ch] = v;
				seen |= 1 << (3 * ch);
				known = 1;
			} else if (!strcmp(k, "scale_n_per_count")) {
				if (v == 0) {
					say(msg, len, "%s:%lu: a scale of 0 cannot be right", path, lineno);
					fclose(f);
					return BM_CALIB_ERR_FORMAT;
				}
				c.scale_n_per_count[ch] = v;
				seen |= 2 << (3 * ch);
				known = 1;
			} else if (!strcmp(k, "valid")) {
				c.valid[ch] = v != 0;
				seen |= 4 << (3 * ch);
				known = 1;
			}
		}
		if (!known) {
			say(msg, len, "%s:%lu: unknown setting '%s'", path, lineno, key);
			fclose(f);
			return BM_CALIB_ERR_FORMAT;
		}
	}
	fclose(f);
	if (seen != 077) {
		say(msg, len, "%s: incomplete (needs offset, scale and valid for left and right)", path);
		return BM_CALIB_ERR_FORMAT;
	}
	*cal = c;
	say(msg, len, "calibration loaded from %s", path);
	return BM_CALIB_OK;
}
