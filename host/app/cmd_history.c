/*
 * cmd_history.c - `bridgemon history`: progress over weeks.
 *
 * Without --athlete: one line per recording of the folder, oldest first,
 * from the summary each recording leaves (NAME.summary.json) and its
 * sidecar (date, athlete, exercise, pain).  Demo recordings are left out
 * unless --include-demo (and marked when included).  A summary that cannot
 * be read is named on stderr and makes the exit status 2; the others are
 * still listed.
 *
 * With --athlete NAME: the athlete's sessions from the store (the index of
 * the recordings), after the folder's new recordings were synced into it:
 * per session the numbers of each leg, a trend per leg, and honest change
 * (bm_history.h).  --rebuild empties the store's sessions and inserts them
 * again from the recordings.  A store that is locked, damaged or away gives
 * one line and exit status 2; no recording is ever touched.
 *
 * Either way, a recording left without a summary by a crash gets one
 * first (bm_recover.h), and the user is told.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_history.h"
#include "bm_jsonw.h"
#include "bm_recording.h"
#include "bm_records_cli.h"
#include "bm_recover.h"
#include "bm_summary.h"
#include "bm_sync.h"

const struct bm_command bm_cmd_history = {
	"history",
	"progress over weeks: one line per recording, or an athlete's sessions",
	"usage: bridgemon history [DIR] [--json] [--include-demo]\n"
	"       bridgemon history [DIR] --athlete NAME [--json] [--include-demo] [--db URI] [--rebuild]\n"
	"  DIR             where the recordings are (default: $XDG_DATA_HOME/bridgemon/sessions)\n"
	"  --json          JSON instead of a table\n"
	"  --include-demo  also the demo athlete's recordings (marked demo)\n"
	"  --athlete NAME  this athlete's sessions from the store, with trend and change\n"
	"  --db URI        the store: a SQLite file, or postgresql://... (default: the local\n"
	"                  $XDG_DATA_HOME/bridgemon/bridgemon.db)\n"
	"  --rebuild       empty the store's sessions and insert them again from DIR\n",
	bm_cmd_history_run,
};

/* One line of the listing. */
struct line {
	struct bm_recording r;
	unsigned flagged;
};

static void json_line(const struct line *x, int first)
{
	const struct bm_recording *r = &x->r;
	const struct bm_meta_context *c = &r->meta.ctx;
	char date[16];
	bm_records_date(r->start_epoch_s, date, sizeof date);
	fputs(first ? "\n {\"recording\": " : ",\n {\"recording\": ", stdout);
	bm_jsonw_str(stdout, r->name);
	fputs(", \"date\": ", stdout);
	bm_jsonw_str(stdout, date[0] ? date : NULL);
	printf(", \"demo\": %s, \"athlete\": ", r->demo ? "true" : "false");
	bm_jsonw_str(stdout, c->athlete[0] ? c->athlete : NULL);
	fputs(", \"exercise\": ", stdout);
	bm_jsonw_str(stdout, c->exercise[0] ? c->exercise : NULL);
	fputs(", \"duration_s\": ", stdout);
	bm_jsonw_num(stdout, r->rep.duration_s, 1);
	fputs(", \"hold_time_s\": {\"left\": ", stdout);
	bm_jsonw_num(stdout, r->rep.hold_time_s[0], 1);
	fputs(", \"right\": ", stdout);
	bm_jsonw_num(stdout, r->rep.hold_time_s[1], 1);
	printf("}, \"reps\": {\"left\": %u, \"right\": %u}, \"single_leg_lsi_pct\": ",
	       r->rep.reps[0], r->rep.reps[1]);
	bm_jsonw_num(stdout, r->rep.lsi_pct, 1);
	printf(", \"bilateral\": %zu, \"bilateral_flagged\": %u, \"pain\": {\"before\": ",
	       r->rep.n_pairs, x->flagged);
	bm_jsonw_num(stdout, c->pain_before, 1);
	fputs(", \"after\": ", stdout);
	bm_jsonw_num(stdout, c->pain_after, 1);
	fputs("}}", stdout);
}

static void table_line(const struct line *x)
{
	const struct bm_recording *r = &x->r;
	char lsi[16] = "-", date[16], who[40];
	if (isfinite(r->rep.lsi_pct))
		snprintf(lsi, sizeof lsi, "%.0f", r->rep.lsi_pct);
	bm_records_date(r->start_epoch_s, date, sizeof date);
	snprintf(who, sizeof who, "%s", r->meta.ctx.athlete[0] ? r->meta.ctx.athlete : "-");
	printf("%-28s %-10s %-16s %8.1f %8.0f / %-7.0f %5u/%-5u %8s %5u of %zu%s\n", r->name,
	       date[0] ? date : "-", who, r->rep.duration_s / 60, r->rep.hold_time_s[0],
	       r->rep.hold_time_s[1], r->rep.reps[0], r->rep.reps[1], lsi, x->flagged,
	       r->rep.n_pairs, r->demo ? "  (demo)" : "");
}

/* The listing without --athlete.  Returns the exit status. */
static int list_recordings(const char *dir, int json, int with_demo)
{
	struct bm_recording_names names;
	char msg[1200];
	int status = BM_EXIT_OK;
	size_t n = 0, demo_left = 0;

	if (bm_recording_list(dir, &names, msg, sizeof msg) != 0) {
		fprintf(stderr, "bridgemon history: %s\n", msg);
		return BM_EXIT_INPUT;
	}
	struct line *lines = calloc(names.n ? names.n : 1, sizeof *lines);
	if (!lines) {
		fprintf(stderr, "bridgemon history: out of memory\n");
		bm_recording_names_free(&names);
		return BM_EXIT_INPUT;
	}
	size_t unreadable = 0;
	for (size_t i = 0; i < names.n; i++) {
		if (!(names.has[i] & BM_RECORDING_HAS_SUMMARY))
			continue;
		struct line *x = &lines[n];
		if (bm_recording_load(dir, names.name[i], &x->r, msg, sizeof msg) != BM_RECORDING_OK) {
			fprintf(stderr, "bridgemon history: %s\n", msg);
			unreadable++;
			status = BM_EXIT_INPUT;
			continue;
		}
		if (x->r.demo && !with_demo) {
			demo_left++;
			bm_recording_free(&x->r);
			continue;
		}
		for (size_t k = 0; k < x->r.rep.n_pairs; k++)
			x->flagged += (unsigned)x->r.rep.pairs[k].flagged;
		n++;
	}
	if (json) {
		fputs("[", stdout);
		for (size_t i = 0; i < n; i++)
			json_line(&lines[i], i == 0);
		fputs(n ? "\n]\n" : "]\n", stdout);
	} else if (n == 0) {
		printf("no recordings with a summary in %s (record with space in the window, "
		       "or `bridgemon record`)%s\n", dir,
		       demo_left ? "; demo recordings are left out (--include-demo)" : "");
	} else {
		printf("%-28s %-10s %-16s %8s %18s %11s %8s %10s\n", "recording", "date", "athlete",
		       "min", "hold s (L / R)", "reps (L/R)", "LSI %", "flagged");
		for (size_t i = 0; i < n; i++)
			table_line(&lines[i]);
	}
	if (unreadable)
		fprintf(stderr, "bridgemon history: %zu recording%s could not be read and %s left "
		        "out\n", unreadable, unreadable == 1 ? "" : "s",
		        unreadable == 1 ? "is" : "are");
	for (size_t i = 0; i < n; i++)
		bm_recording_free(&lines[i].r);
	free(lines);
	bm_recording_names_free(&names);
	return status;
}

int bm_cmd_history_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"include-demo", no_argument, NULL, 'd'},
		{"athlete", required_argument, NULL, 'a'},
		{"db", required_argument, NULL, 'b'},
		{"rebuild", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_history;
	char dirbuf[512], msg[1200];
	const char *dir, *athlete = NULL, *db = NULL;
	int json = 0, with_demo = 0, rebuild = 0, c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'd': with_demo = 1; break;
		case 'a': athlete = optarg; break;
		case 'b': db = optarg; break;
		case 'r': rebuild = 1; break;
		case 'H':
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		default: /* ':' or an unknown option */
			return bm_cli_getopt_error(me, c, argv);
		}
	}
	if (optind + 1 < argc)
		return bm_cli_usage_error(me, "one folder at a time");
	if (athlete && !athlete[0])
		return bm_cli_usage_error(me, "--athlete needs a name");
	if (db && !athlete && !rebuild)
		return bm_cli_usage_error(me, "--db goes with --athlete or --rebuild");
	struct bm_settings settings; /* the store's address: only a store needs it */
	if ((athlete || rebuild) && bm_records_cli_settings("history", &settings, &db, 0) != 0)
		return BM_EXIT_INPUT;
	dir = bm_records_cli_folder("history", optind < argc ? argv[optind] : NULL, dirbuf,
	                            sizeof dirbuf);
	if (!dir)
		return BM_EXIT_INPUT;

	/* The store first: a database that cannot be used stops here, before
	 * anything is written next to the recordings. */
	struct bm_store *st = NULL;
	int status = BM_EXIT_OK;
	if ((athlete || rebuild) && bm_records_cli_open("history", db, dir, &st) != 0)
		return BM_EXIT_INPUT;
	if (bm_records_cli_recover("history", dir) != 0)
		status = BM_EXIT_INPUT;
	if (st) {
		int r = bm_records_cli_sync("history", st, db, dir, rebuild, 0);
		if (r < 0) {
			bm_store_close(st);
			return BM_EXIT_INPUT;
		}
		if (r > 0)
			status = BM_EXIT_INPUT;
	}
	if (!athlete) {
		bm_store_close(st);
		int s = list_recordings(dir, json, with_demo);
		return s != BM_EXIT_OK ? s : status;
	}
	struct bm_history *h;
	int hr = bm_history_build(st, athlete, with_demo ? BM_HISTORY_WITH_DEMO : 0, &h, msg,
	                          sizeof msg);
	bm_store_close(st);
	if (hr != BM_HISTORY_OK) {
		fprintf(stderr, "bridgemon history: %s\n", msg);
		return BM_EXIT_INPUT;
	}
	int wr = json ? bm_history_write_json(h, stdout) : bm_history_write_table(h, stdout);
	bm_history_free(h);
	if (wr != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "bridgemon history: cannot write the output\n");
		return BM_EXIT_OUTPUT;
	}
	return status;
}
