/* bm_painlog.c - the pain log file; the idea is in bm_painlog.h. */
#include "bm_painlog.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bm_jsonw.h"
#include "bm_pain.h"
#include "bm_recording.h"
#include "bm_summary.h"

static const char HEADER[] = "epoch_s,local_time,when,score,athlete\n";
#define LOG_MAX_BYTES (64u << 20)

int bm_painlog_path(char *out, size_t len, char *msg, size_t msg_len)
{
	char dir[900];
	if (bm_records_data_dir(dir, sizeof dir, msg, msg_len) != 0)
		return -1;
	if (snprintf(out, len, "%s/pain-log.csv", dir) >= (int)len) {
		snprintf(msg, msg_len, "%s: the path is too long", dir);
		return -1;
	}
	return 0;
}

/* A name the log can hold on one line: UTF-8 without control characters. */
static int name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > BM_STORE_NAME_MAX)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		int k = bm_jsonw_utf8_len(p);
		if (!k)
			return 0;
		p += k;
	}
	return 1;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t k = write(fd, buf, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		buf += k;
		len -= (size_t)k;
	}
	return 0;
}

int bm_painlog_append(const char *path, const struct bm_painlog_entry *e, char *msg,
                      size_t msg_len)
{
	char line[1024], stamp[40];
	struct stat sb;
	if (!(e->score >= 0 && e->score <= 10) || !name_ok(e->athlete) ||
	    !bm_store_pain_when_name(e->when)) {
		snprintf(msg, msg_len, "%s: a pain entry needs a score from 0 to 10, a time of day and "
		         "an athlete's name of one line", path);
		return BM_PAINLOG_ERR_ARG;
	}
	time_t t = (time_t)e->epoch_s;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S%z", &tm);
	int n = snprintf(line, sizeof line, "%lld,%s,%s,%g,\"", (long long)e->epoch_s, stamp,
	                 bm_store_pain_when_name(e->when), e->score);
	for (const char *p = e->athlete; *p && n < (int)sizeof line - 4; p++) {
		if (*p == '"')
			line[n++] = '"';
		line[n++] = *p;
	}
	line[n++] = '"';
	line[n++] = '\n';

	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		snprintf(msg, msg_len, "%s: cannot open: %s", path, strerror(errno));
		return BM_PAINLOG_ERR_IO;
	}
	int rc = BM_PAINLOG_OK;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(msg, msg_len, "%s: not a regular file", path);
		close(fd);
		return BM_PAINLOG_ERR_IO;
	}
	/* A new log gets its header; a log whose last line a crash cut short
	 * gets a line ending first, so the new line stands on its own. */
	char last = '\n';
	if (sb.st_size > 0 && pread(fd, &last, 1, sb.st_size - 1) != 1)
		last = '\n';
	if ((sb.st_size == 0 && write_all(fd, HEADER, sizeof HEADER - 1) != 0) ||
	    (last != '\n' && write_all(fd, "\n", 1) != 0) || write_all(fd, line, (size_t)n) != 0 ||
	    fsync(fd) != 0) {
		snprintf(msg, msg_len, "%s: cannot write: %s", path, strerror(errno));
		rc = BM_PAINLOG_ERR_IO;
	}
	if (close(fd) != 0 && rc == BM_PAINLOG_OK) {
		snprintf(msg, msg_len, "%s: cannot write: %s", path, strerror(errno));
		rc = BM_PAINLOG_ERR_IO;
	}
	return rc;
}

/* Parse one line (without its ending) into @p e; NULL, or the reason. */
static const char *parse_line(char *s, struct bm_painlog_entry *e)
{
	char *f[4], *end;
	for (int i = 0; i < 4; i++) {
		f[i] = s;
		s = strchr(s, ',');
		if (!s)
			return "has fewer than 5 fields";
		*s++ = '\0';
	}
	errno = 0;
	long long ep = strtoll(f[0], &end, 10);
	if (end == f[0] || *end || errno || ep < -100000000000LL || ep > 100000000000LL)
		return "epoch_s is not a time";
	e->epoch_s = ep;
	if (bm_store_pain_when_parse(f[2], &e->when) != BM_STORE_OK)
		return "when is not before, after or next_morning";
	double sc = strtod(f[3], &end);
	if (end == f[3] || *end || !(sc >= 0 && sc <= 10))
		return "score is not a number from 0 to 10";
	e->score = sc;
	if (*s != '"')
		return "the athlete's name is not in double quotes";
	size_t n = 0;
	for (s++;; s++) {
		if (*s == '\0')
			return "the athlete's name has no closing quote";
		if (*s == '"') {
			if (s[1] != '"')
				break;
			s++;
		}
		if (n >= BM_STORE_NAME_MAX)
			return "the athlete's name is too long";
		e->athlete[n++] = *s;
	}
	e->athlete[n] = '\0';
	if (s[1] != '\0')
		return "text after the athlete's name";
	if (!name_ok(e->athlete))
		return "the athlete's name is empty or not one line of UTF-8";
	return NULL;
}

int bm_painlog_read(const char *path, struct bm_painlog *out, char *msg, size_t msg_len)
{
	char *buf;
	size_t len, cap = 0;
	memset(out, 0, sizeof *out);
	int r = bm_summary_slurp(path, LOG_MAX_BYTES, &buf, &len, msg, msg_len);
	if (r == BM_SUMMARY_NOT_FOUND)
		return BM_PAINLOG_OK;
	if (r != BM_SUMMARY_OK)
		return r == BM_SUMMARY_ERR_NOMEM ? BM_PAINLOG_ERR_NOMEM : BM_PAINLOG_ERR_IO;
	unsigned long lineno = 0;
	for (char *p = buf; p < buf + len;) {
		char *nl = memchr(p, '\n', (size_t)(buf + len - p));
		lineno++;
		const char *why = NULL;
		char *line = p;
		size_t line_len = nl ? (size_t)(nl - p) : (size_t)(buf + len - p);
		if (!nl) {
			why = "cut short (no line ending)";
			p = buf + len;
		} else {
			p = nl + 1;
			*nl = '\0';
			if (memchr(line, '\0', line_len))
				why = "holds a NUL byte";
			else if (line_len && line[line_len - 1] == '\r')
				line[line_len - 1] = '\0';
		}
		if (!why && (line[0] == '\0' || !strncmp(line, HEADER, sizeof HEADER - 2)))
			continue;
		struct bm_painlog_entry e;
		memset(&e, 0, sizeof e);
		if (!why)
			why = parse_line(line, &e);
		if (why) {
			if (!out->bad_lines++)
				snprintf(out->first_bad, sizeof out->first_bad, "%s:%lu: %s", path, lineno,
				         why);
			continue;
		}
		if (out->n == cap) {
			cap = cap ? 2 * cap : 32;
			struct bm_painlog_entry *ni = realloc(out->items, cap * sizeof *ni);
			if (!ni) {
				free(buf);
				bm_painlog_free(out);
				snprintf(msg, msg_len, "%s: out of memory", path);
				return BM_PAINLOG_ERR_NOMEM;
			}
			out->items = ni;
		}
		out->items[out->n++] = e;
	}
	free(buf);
	return BM_PAINLOG_OK;
}

void bm_painlog_free(struct bm_painlog *l)
{
	free(l->items);
	memset(l, 0, sizeof *l);
}

const char *bm_painlog_zone_text(double score)
{
	switch (bm_pain_zone_of(score)) {
	case BM_PAIN_SAFE: return "safe (0-2)";
	case BM_PAIN_ACCEPTABLE: return "acceptable (above 2, up to 5)";
	case BM_PAIN_TOO_MUCH: return "too much (above 5)";
	default: return "unknown";
	}
}
