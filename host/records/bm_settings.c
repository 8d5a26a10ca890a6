/* bm_settings.c - the settings file; the format is in bm_settings.h. */
#include "bm_settings.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MAX_BYTES (64 * 1024) /* a few lines; anything larger is not ours */

enum { K_DB, K_LSI_PEAK, K_LSI_IMPULSE, K_SESSIONS, K_PAIN, K_REPS, K_COUNT };

static const struct key {
	const char *name;
	double lo, hi; /* range of a number */
	int whole;     /* a whole number */
} keys[K_COUNT] = {
	[K_DB] = {"db", 0, 0, 0},
	[K_LSI_PEAK] = {"readiness.lsi_peak_min_pct", 1, 100, 0},
	[K_LSI_IMPULSE] = {"readiness.lsi_impulse_min_pct", 1, 100, 0},
	[K_SESSIONS] = {"readiness.sessions", 1, BM_READINESS_MAX_SESSIONS, 1},
	[K_PAIN] = {"readiness.pain_max", 0, 10, 0},
	[K_REPS] = {"readiness.fatigue_reps_min", 1, 1000, 1},
};

int bm_settings_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/bridgemon/bridgemon.conf", xdg);
	else if (home && home[0])
		n = snprintf(buf, len, "%s/.config/bridgemon/bridgemon.conf", home);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* The values' defaults (the file's path and whether it exists stay). */
static void defaults(struct bm_settings *s)
{
	s->db[0] = '\0';
	bm_readiness_params_default(&s->readiness);
}

static char *trim(char *a, char *end)
{
	while (a < end && isspace((unsigned char)*a))
		a++;
	while (end > a && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return a;
}

/* A value shown in a message: at most 40 characters, printable. */
static const char *shown(const char *v, char *buf, size_t len)
{
	size_t i = 0;
	for (; v[i] && i + 1 < len && i < 40; i++)
		buf[i] = isprint((unsigned char)v[i]) ? v[i] : '?';
	buf[i] = '\0';
	return buf;
}

static int set(struct bm_settings *s, int k, const char *v, const char *name, unsigned long line,
               char *msg, size_t msg_len)
{
	char b[48];
	if (k == K_DB) {
		size_t n = strlen(v);
		if (n == 0 || n >= sizeof s->db) {
			snprintf(msg, msg_len, "%s:%lu: db needs a value (a SQLite file or postgresql://...)%s",
			         name, line, n ? ", shorter than 1024 characters" : "");
			return BM_SETTINGS_ERR_FORMAT;
		}
		/* A relative file name would mean another database in every
		 * folder a command is started from. */
		if (v[0] != '/' && strncmp(v, "postgresql:", 11) != 0 && strncmp(v, "postgres://", 11) != 0) {
			snprintf(msg, msg_len, "%s:%lu: db is a SQLite file's full path (/...) or "
			         "postgresql://..., not '%s'", name, line, shown(v, b, sizeof b));
			return BM_SETTINGS_ERR_FORMAT;
		}
		memcpy(s->db, v, n + 1);
		return BM_SETTINGS_OK;
	}
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (end == v || *end || errno || !isfinite(d) || d < keys[k].lo || d > keys[k].hi ||
	    (keys[k].whole && d != floor(d))) {
		snprintf(msg, msg_len, "%s:%lu: %s is %s from %g to %g, not '%s'", name, line,
		         keys[k].name, keys[k].whole ? "a whole number" : "a number", keys[k].lo,
		         keys[k].hi, shown(v, b, sizeof b));
		return BM_SETTINGS_ERR_FORMAT;
	}
	struct bm_readiness_params *r = &s->readiness;
	switch (k) {
	case K_LSI_PEAK: r->lsi_peak_min_pct = d; break;
	case K_LSI_IMPULSE: r->lsi_impulse_min_pct = d; break;
	case K_SESSIONS: r->sessions_needed = (int)d; break;
	case K_PAIN: r->pain_max = d; break;
	case K_REPS: r->fatigue_reps_min = (int)d; break;
	default: break;
	}
	return BM_SETTINGS_OK;
}

int bm_settings_parse(const char *name, const char *text, struct bm_settings *out, char *msg,
                      size_t msg_len)
{
	int seen[K_COUNT] = {0};
	char b[48];
	defaults(out);
	msg[0] = '\0';
	char *copy = strdup(text);
	if (!copy) {
		snprintf(msg, msg_len, "%s: out of memory", name);
		return BM_SETTINGS_ERR_READ;
	}
	int rc = BM_SETTINGS_OK;
	unsigned long line = 0;
	char *start = copy;
	if (!strncmp(start, "\xef\xbb\xbf", 3)) /* a UTF-8 mark some editors write */
		start += 3;
	for (char *p = start; rc == BM_SETTINGS_OK && *p;) {
		char *nl = strchr(p, '\n');
		char *end = nl ? nl : p + strlen(p);
		char *next = nl ? nl + 1 : end;
		line++;
		char *l = trim(p, end);
		p = next;
		if (!*l || *l == '#')
			continue;
		char *eq = strchr(l, '=');
		if (!eq) {
			snprintf(msg, msg_len, "%s:%lu: '%s' is not 'key = value'", name, line,
			         shown(l, b, sizeof b));
			rc = BM_SETTINGS_ERR_FORMAT;
			break;
		}
		char *key = trim(l, eq), *val = trim(eq + 1, eq + 1 + strlen(eq + 1));
		int k = 0;
		while (k < K_COUNT && strcmp(key, keys[k].name) != 0)
			k++;
		if (k == K_COUNT) {
			size_t n = (size_t)snprintf(msg, msg_len, "%s:%lu: unknown key '%s' (there are:", name,
			                            line, shown(key, b, sizeof b));
			for (int i = 0; i < K_COUNT && n < msg_len; i++)
				n += (size_t)snprintf(msg + n, msg_len - n, " %s", keys[i].name);
			if (n < msg_len)
				snprintf(msg + n, msg_len - n, ")");
			rc = BM_SETTINGS_ERR_FORMAT;
			break;
		}
		if (seen[k]) {
			snprintf(msg, msg_len, "%s:%lu: %s is given twice (line %d too)", name, line,
			         keys[k].name, seen[k]);
			rc = BM_SETTINGS_ERR_FORMAT;
			break;
		}
		seen[k] = (int)line;
		rc = set(out, k, val, name, line, msg, msg_len);
	}
	free(copy);
	return rc;
}

int bm_settings_load(const char *path, struct bm_settings *out, char *msg, size_t msg_len)
{
	memset(out, 0, sizeof *out);
	defaults(out);
	msg[0] = '\0';
	if (!path) {
		if (bm_settings_path(out->path, sizeof out->path) != 0)
			return BM_SETTINGS_OK; /* no home: nothing to read */
	} else {
		snprintf(out->path, sizeof out->path, "%s", path);
	}
	/* O_NONBLOCK: a FIFO under that name must not hang the program. */
	int fd = open(out->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return BM_SETTINGS_OK;
		snprintf(msg, msg_len, "%s: cannot read the settings: %s", out->path, strerror(errno));
		return BM_SETTINGS_ERR_READ;
	}
	out->found = 1;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		snprintf(msg, msg_len, "%s: cannot read the settings: %s", out->path, strerror(errno));
		close(fd);
		return BM_SETTINGS_ERR_READ;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > FILE_MAX_BYTES) {
		snprintf(msg, msg_len, "%s: not a settings file (%s)", out->path,
		         !S_ISREG(st.st_mode) ? "not a regular file" : "larger than 64 kB");
		close(fd);
		return BM_SETTINGS_ERR_FORMAT;
	}
	char *text = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	ssize_t r = 1;
	while (text && got < (size_t)st.st_size && (r = read(fd, text + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	if (!text || r < 0) {
		snprintf(msg, msg_len, "%s: cannot read the settings: %s", out->path,
		         text ? strerror(errno) : "out of memory");
		free(text);
		return BM_SETTINGS_ERR_READ;
	}
	text[got] = '\0';
	if (strlen(text) != got) {
		snprintf(msg, msg_len, "%s: not a settings file (a NUL byte in it)", out->path);
		free(text);
		return BM_SETTINGS_ERR_FORMAT;
	}
	int rc = bm_settings_parse(out->path, text, out, msg, msg_len);
	free(text);
	return rc;
}
