/* bm_recover.c - rebuilding the summaries of unfinished recordings; the
 * idea is in bm_recover.h. */
#include "bm_recover.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bm_analysis.h"
#include "bm_fileio.h"
#include "bm_meta.h"
#include "bm_sessions_dir.h"

void bm_recover_opts_default(struct bm_recover_opts *o)
{
	o->settle_s = 10.0;
}

/* The report as text, by one of bm_report's writers.  NULL: no memory. */
static char *report_text(const struct bm_report *rep, int json, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	int rc = json ? bm_report_write_json(rep, f) : bm_report_write_events_csv(rep, f);
	if (fclose(f) != 0 || rc != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int bm_recover_one(const char *csv, struct bm_recover_item *it)
{
	char events[BM_RECORDING_PATH_MAX + 32], summary[BM_RECORDING_PATH_MAX + 32];
	struct bm_analysis_opts o;
	struct bm_analysis_notes notes;
	struct bm_report rep;
	struct stat sb;
	size_t len;

	snprintf(it->csv, sizeof it->csv, "%s", csv);
	it->why[0] = '\0';
	it->status = BM_RECOVER_FAILED;
	bm_sessions_companion_paths(csv, events, summary, sizeof events);
	bm_analysis_opts_default(&o);
	if (bm_analysis_run(csv, &o, &rep, &notes, it->why, sizeof it->why) != BM_ANALYSIS_OK) {
		bm_report_free(&rep);
		return -1;
	}
	it->truncated = notes.truncated;
	char *ev = report_text(&rep, 0, &len);
	int rc = 0;
	/* Events first, the summary last: a summary says the pair is whole.
	 * Events already there came from the same analysis: kept. */
	if (!ev) {
		snprintf(it->why, sizeof it->why, "%s: out of memory", csv);
		rc = -1;
	} else if (lstat(events, &sb) == 0) {
		it->events_kept = 1;
	} else if (bm_write_file_new(events, ev, len, it->why, sizeof it->why) != 0) {
		rc = -1;
	}
	free(ev);
	if (rc == 0) {
		char *js = report_text(&rep, 1, &len);
		if (!js) {
			snprintf(it->why, sizeof it->why, "%s: out of memory", csv);
			rc = -1;
		} else if (bm_write_file_new(summary, js, len, it->why, sizeof it->why) != 0) {
			rc = -1;
		}
		free(js);
	}
	bm_report_free(&rep);
	if (rc == 0)
		it->status = BM_RECOVER_REBUILT;
	return rc;
}

/* 1 when another process holds the CSV's writer lock (a recording in
 * progress), 0 when not, -1 when it is not a regular file. */
static int in_progress(const char *csv, struct stat *sb)
{
	int fd = open(csv, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	int r = 0;
	if (fstat(fd, sb) != 0 || !S_ISREG(sb->st_mode))
		r = -1;
	else if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
		r = 1;
	close(fd); /* releases our shared lock, if taken */
	return r;
}

static int add_item(struct bm_recover_list *l, size_t *cap, const struct bm_recover_item *it)
{
	if (l->n == *cap) {
		size_t nc = *cap ? 2 * *cap : 8;
		struct bm_recover_item *ni = realloc(l->items, nc * sizeof *ni);
		if (!ni)
			return -1;
		l->items = ni;
		*cap = nc;
	}
	l->items[l->n++] = *it;
	return 0;
}

int bm_recover_dir(const char *dir, const struct bm_recover_opts *o, struct bm_recover_list *out,
                   char *msg, size_t msg_len)
{
	struct bm_recover_opts def;
	struct bm_recording_names names;
	size_t cap = 0;
	int rc = BM_RECOVER_OK;

	memset(out, 0, sizeof *out);
	if (!o) {
		bm_recover_opts_default(&def);
		o = &def;
	}
	if (bm_recording_list(dir, &names, msg, msg_len) != 0)
		return BM_RECOVER_ERR_DIR; /* msg says why: no folder, or no memory */
	double now = (double)time(NULL);
	for (size_t i = 0; i < names.n && rc == BM_RECOVER_OK; i++) {
		if (names.has[i] != BM_RECORDING_HAS_CSV)
			continue; /* has a summary, or no CSV */
		struct bm_recover_item *it = calloc(1, sizeof *it);
		char csv[BM_RECORDING_PATH_MAX], mp[BM_RECORDING_PATH_MAX + 16];
		struct stat sb, ms;
		struct bm_meta meta;
		if (!it) {
			rc = BM_RECOVER_ERR_NOMEM;
			break;
		}
		if (snprintf(csv, sizeof csv, "%s/%s.csv", dir, names.name[i]) >= (int)sizeof csv ||
		    in_progress(csv, &sb) != 0) {
			free(it);
			continue;
		}
		bm_meta_path(csv, mp, sizeof mp);
		int mr = bm_meta_read(mp, &meta, it->why, sizeof it->why);
		it->cause = mr == BM_META_NOT_FOUND ? BM_RECOVER_NO_SIDECAR
		          : mr == BM_META_OK && meta.closed ? BM_RECOVER_CLOSED
		                                            : BM_RECOVER_NOT_CLOSED;
		/* Another device's recording (bridgemon import) never has a
		 * summary: history and "today" count bridgemon's own only. */
		int imported = mr == BM_META_OK && strcmp(meta.source, "import") == 0;
		bm_meta_free(&meta);
		if (imported) {
			free(it);
			continue;
		}
		/* Closed a moment ago: the recorder is writing the summary. */
		double changed = (double)sb.st_mtime;
		if (stat(mp, &ms) == 0 && (double)ms.st_mtime > changed)
			changed = (double)ms.st_mtime;
		if (it->cause == BM_RECOVER_CLOSED && now - changed < o->settle_s) {
			free(it);
			continue;
		}
		bm_recover_one(csv, it);
		if (add_item(out, &cap, it) != 0)
			rc = BM_RECOVER_ERR_NOMEM;
		free(it);
	}
	bm_recording_names_free(&names);
	if (rc == BM_RECOVER_ERR_NOMEM)
		snprintf(msg, msg_len, "%s: out of memory while rebuilding summaries", dir);
	return rc;
}

void bm_recover_list_free(struct bm_recover_list *l)
{
	free(l->items);
	memset(l, 0, sizeof *l);
}

void bm_recover_describe(const struct bm_recover_item *it, char *out, size_t len)
{
	static const char *const cause[] = {
		"the recording was not closed",
		"it had none",
		"the recording was closed but its summary was missing",
	};
	if (it->status != BM_RECOVER_REBUILT) {
		snprintf(out, len, "cannot rebuild the summary of %s: %s", it->csv, it->why);
		return;
	}
	snprintf(out, len, "rebuilt the summary of %s (%s%s)", it->csv, cause[it->cause],
	         it->truncated ? "; its last line was cut short and is left out" : "");
}
