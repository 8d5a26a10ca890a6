/*
 * cmd_pain.c - `bridgemon pain`: an athlete's pain score (0-10) before or
 * after a session, or the next morning.
 *
 * The score goes to the pain log first (a plain file a rebuild or a sync
 * puts back into the store: bm_painlog.h), then to the store.  The answer
 * is the score's zone and the load advice of the pain-monitoring model
 * (bm_pain.h) from that day's scores, labelled guidance, not medical
 * advice.  An athlete must exist in the store (`bridgemon athlete NAME`),
 * so a typing mistake does not create a new one; when the store cannot be
 * opened the score is still kept in the log.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_pain.h"
#include "bm_pain_note.h"
#include "bm_painlog.h"
#include "bm_records_cli.h"
#include "bm_recording.h"

const struct bm_command bm_cmd_pain = {
	"pain",
	"note an athlete's pain score (0-10) and get the load advice",
	"usage: bridgemon pain --athlete NAME SCORE [--when before|after|next_morning]\n"
	"                      [--date YYYY-MM-DD] [--db URI]\n"
	"  SCORE           pain from 0 (none) to 10 (worst imaginable)\n"
	"  --athlete NAME  whose (bridgemon athlete NAME creates an athlete)\n"
	"  --when WHEN     before or after the session, or next_morning (default: after)\n"
	"  --date DATE     the day of the score (default: now); next_morning is the morning\n"
	"                  after the session, so its date is the day after the session's\n"
	"  --db URI        the store (default: $XDG_DATA_HOME/bridgemon/bridgemon.db)\n"
	"The zone and the advice are guidance, not medical advice.\n",
	bm_cmd_pain_run,
};

/* "YYYY-MM-DD" as local noon of that day.  0, or -1 if not a date. */
static int parse_date(const char *s, int64_t *epoch_s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 ||
	    y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	/* 2026-02-30 normalises to March: not a date. */
	if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != m - 1)
		return -1;
	*epoch_s = (int64_t)t;
	return 0;
}

/* The model's advice from the session day's scores (bm_pain_note.h). */
static void advise(struct bm_store *st, int64_t athlete_id, int64_t epoch_s,
                   enum bm_store_pain_when when)
{
	char day[16], text[400];
	double s[3];
	bm_pain_note_day_scores(st, athlete_id, epoch_s, when, s, day);
	enum bm_pain_advice a;
	bm_pain_advise(s[BM_STORE_PAIN_BEFORE], s[BM_STORE_PAIN_AFTER],
	               s[BM_STORE_PAIN_NEXT_MORNING], NULL, &a, text, sizeof text);
	printf("the session of %s: %s\n", day, text);
}

int bm_cmd_pain_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"athlete", required_argument, NULL, 'a'},
		{"when", required_argument, NULL, 'w'},
		{"date", required_argument, NULL, 'd'},
		{"db", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_pain;
	const char *athlete = NULL, *db = NULL;
	enum bm_store_pain_when when = BM_STORE_PAIN_AFTER;
	int64_t epoch_s = (int64_t)time(NULL);
	double score;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'a': athlete = optarg; break;
		case 'w':
			if (bm_store_pain_when_parse(optarg, &when) != BM_STORE_OK)
				return bm_cli_usage_error(me, "--when '%s' is not before, after or "
				                          "next_morning", optarg);
			break;
		case 'd':
			if (parse_date(optarg, &epoch_s) != 0)
				return bm_cli_usage_error(me, "--date '%s' is not a date (YYYY-MM-DD)",
				                          optarg);
			break;
		case 'b': db = optarg; break;
		case 'H':
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		default: /* ':' or an unknown option */
			return bm_cli_getopt_error(me, c, argv);
		}
	}
	if (!athlete || !athlete[0])
		return bm_cli_usage_error(me, "whose pain? (--athlete NAME)");
	if (argc - optind != 1)
		return bm_cli_usage_error(me, argc == optind ? "the score (0-10) is missing"
		                                             : "one score at a time");
	if (bm_cli_number(me->name, "SCORE", argv[optind], 0, 10, &score) != 0)
		return BM_EXIT_USAGE;
	struct bm_settings settings;
	if (bm_records_cli_settings(me->name, &settings, &db, 0) != 0)
		return BM_EXIT_INPUT;

	char log[1000], msg[700];
	struct bm_painlog_entry e;
	memset(&e, 0, sizeof e);
	e.epoch_s = epoch_s;
	e.when = when;
	e.score = score;
	if (strlen(athlete) > BM_STORE_NAME_MAX)
		return bm_cli_usage_error(me, "the name is longer than %d bytes", BM_STORE_NAME_MAX);
	snprintf(e.athlete, sizeof e.athlete, "%s", athlete);
	if (bm_painlog_path(log, sizeof log, msg, sizeof msg) != 0) {
		fprintf(stderr, "bridgemon pain: %s\n", msg);
		return BM_EXIT_OUTPUT;
	}

	struct bm_store *st;
	if (bm_store_open(db, &st, msg, sizeof msg) != BM_STORE_OK) {
		/* What was typed is kept: the log goes into the store later. */
		if (bm_painlog_append(log, &e, msg + 350, sizeof msg - 350) != BM_PAINLOG_OK) {
			fprintf(stderr, "bridgemon pain: %s; and %s\n", msg, msg + 350);
			return BM_EXIT_OUTPUT;
		}
		fprintf(stderr, "bridgemon pain: %s; the score is kept in %s and goes into the store "
		        "at the next bridgemon sync\n", msg, log);
		return BM_EXIT_INPUT;
	}
	struct bm_store_athlete a;
	int rc = bm_store_athlete_find_name(st, athlete, &a);
	if (rc == BM_STORE_ERR_NOT_FOUND) {
		fprintf(stderr, "bridgemon pain: no athlete called \"%s\" in %s (bridgemon athlete "
		        "NAME creates one)\n", athlete, bm_store_where(st));
		bm_store_close(st);
		return BM_EXIT_INPUT;
	}
	if (rc != BM_STORE_OK) {
		fprintf(stderr, "bridgemon pain: %s\n", bm_store_errmsg(st));
		bm_store_close(st);
		return BM_EXIT_INPUT;
	}
	/* The log, under the store's spelling of the name, then the store. */
	struct bm_store_pain p = {0, a.id, epoch_s, when, score, NULL, NULL};
	int kept = bm_pain_note_keep(st, &a, &p, log, msg, sizeof msg);
	if (kept != 0) {
		fprintf(stderr, "bridgemon pain: %s%s\n", msg,
		        kept > 0 ? "; the score is kept in the pain log and goes into the store at the "
		                   "next bridgemon sync" : "");
		bm_store_close(st);
		return kept > 0 ? BM_EXIT_INPUT : BM_EXIT_OUTPUT;
	}
	char day[16];
	bm_records_date((double)epoch_s, day, sizeof day);
	printf("%s, %s, %s: pain %g/10, zone %s (guidance, not medical advice)\n", a.name, day,
	       bm_store_pain_when_name(when), score, bm_painlog_zone_text(score));
	advise(st, a.id, epoch_s, when);
	bm_store_close(st);
	return fflush(stdout) == 0 ? BM_EXIT_OK : BM_EXIT_OUTPUT;
}
