/* bm_calib_file.c - calibration files and the board's record; the idea is
 * in bm_calib_file.h. */
#include "bm_calib_file.h"

#include "bm_say.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_fileio.h"

_Static_assert(BM_NCHAN == BM_CALIB_NCHAN, "calibration channels follow the wire protocol's");

static const char *const chan_name[BM_NCHAN] = {"left", "right"};

void bm_calib_from_record(struct bm_calib *cal, const struct bm_cal_record *rec)
{
	for (int ch = 0; ch < BM_CALIB_NCHAN; ch++) {
		cal->offset_counts[ch] = rec->offset_counts[ch];
		cal->scale_n_per_count[ch] = rec->scale_n_per_count[ch];
		cal->valid[ch] = isfinite(rec->scale_n_per_count[ch]) &&
		                 rec->scale_n_per_count[ch] != 0.0f;
	}
}

void bm_calib_to_record(const struct bm_calib *cal, struct bm_cal_record *rec)
{
	for (int ch = 0; ch < BM_CALIB_NCHAN; ch++) {
		rec->offset_counts[ch] = (int32_t)lround(cal->offset_counts[ch]);
		rec->scale_n_per_count[ch] = (float)cal->scale_n_per_count[ch];
	}
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
		bm_say(msg, len, "cannot find a folder for calibration: set HOME or XDG_CONFIG_HOME");
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
		bm_say(msg, len, "cannot create %s: %s", dir, strerror(errno));
		return BM_CALIB_ERR_IO;
	}
	f = open_memstream(&text, &tlen);
	if (!f) {
		bm_say(msg, len, "out of memory");
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
	bm_say(msg, len, "calibration saved to %s", path);
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
		bm_say(msg, len, "%s: %s", path, strerror(errno));
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
			bm_say(msg, len, "%s:%lu: expected 'name = number'", path, lineno);
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
					bm_say(msg, len, "%s:%lu: a scale of 0 cannot be right", path, lineno);
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
			bm_say(msg, len, "%s:%lu: unknown setting '%s'", path, lineno, key);
			fclose(f);
			return BM_CALIB_ERR_FORMAT;
		}
	}
	fclose(f);
	if (seen != 077) {
		bm_say(msg, len, "%s: incomplete (needs offset, scale and valid for left and right)", path);
		return BM_CALIB_ERR_FORMAT;
	}
	*cal = c;
	bm_say(msg, len, "calibration loaded from %s", path);
	return BM_CALIB_OK;
}
