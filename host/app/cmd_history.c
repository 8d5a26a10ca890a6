/*
 * cmd_history.c - `bridgemon history`: progress over weeks, from the
 * summaries that recordings leave next to their CSVs (NAME.summary.json):
 * one line per recording, oldest first, with hold time, reps per leg, the
 * limb symmetry index and how many bilateral efforts were flagged.
 */
#include <dirent.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_monitor.h"
#include "bm_sessions_dir.h"
#include "bm_report.h"

const struct bm_command bm_cmd_history = {
	"history",
	"progress over weeks: one line per recording",
	"usage: bridgemon history [DIR] [--json]\n"
	"  DIR     where the recordings are (default: $XDG_DATA_HOME/bridgemon/sessions)\n"
	"  --json  a JSON array instead of a table\n",
	bm_cmd_history_run,
};

struct entry {
	char *name; /* recording, without .summary.json */
	struct bm_summary_line s;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void print_num(FILE *f, double v, int dec)
{
	if (isfinite(v))
		fprintf(f, "%.*f", dec, v);
	else
		fputs("null", f);
}

int bm_cmd_history_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_history;
	char dirbuf[512], msg[600];
	const char *dir;
	int json = 0, c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else if (c == 'H') {
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		} else
			return bm_cli_usage_error(me, "unknown option '%s'", argv[optind - 1]);
	}
	if (optind + 1 < argc)
		return bm_cli_usage_error(me, "one folder at a time");
	if (optind < argc) {
		dir = argv[optind];
	} else {
		if (bm_sessions_dir(dirbuf, sizeof dirbuf, msg, sizeof msg) != 0) {
			fprintf(stderr, "bridgemon history: %s\n", msg);
			return BM_EXIT_INPUT;
		}
		dir = dirbuf;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "bridgemon history: %s: cannot open the folder\n", dir);
		return BM_EXIT_INPUT;
	}
	struct entry *ev = NULL;
	size_t n = 0, cap = 0, unreadable = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		const char *ext = ".summary.json";
		if (len <= strlen(ext) || strcmp(e->d_name + len - strlen(ext), ext) != 0)
			continue;
		char path[1100];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct entry x;
		if (bm_report_read_summary(path, &x.s) != 0) {
			unreadable++;
			continue;
		}
		x.name = strndup(e->d_name, len - strlen(ext));
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			struct entry *ne = realloc(ev, cap * sizeof *ev);
			if (!ne || !x.name) {
				fprintf(stderr, "bridgemon history: out of memory\n");
				closedir(d);
				return BM_EXIT_INPUT;
			}
			ev = ne;
		}
		ev[n++] = x;
	}
	closedir(d);
	qsort(ev, n, sizeof *ev, by_name);

	if (json) {
		fputs("[", stdout);
		for (size_t i = 0; i < n; i++) {
			const struct bm_summary_line *s = &ev[i].s;
			printf("%s\n {\"recording\": \"%s\", \"duration_s\": ", i ? "," : "", ev[i].name);
			print_num(stdout, s->duration_s, 1);
			fputs(", \"hold_time_s\": {\"left\": ", stdout);
			print_num(stdout, s->hold_time_s[0], 1);
			fputs(", \"right\": ", stdout);
			print_num(stdout, s->hold_time_s[1], 1);
			printf("}, \"reps\": {\"left\": %u, \"right\": %u}, \"single_leg_lsi_pct\": ",
			       s->reps[0], s->reps[1]);
			print_num(stdout, s->lsi_pct, 1);
			printf(", \"bilateral\": %u, \"bilateral_flagged\": %u}", s->bilateral, s->flagged);
		}
		fputs(n ? "\n]\n" : "]\n", stdout);
	} else if (n == 0) {
		printf("no recordings with a summary in %s (record with space in the window, "
		       "or `bridgemon record`)\n", dir);
	} else {
		printf("%-28s %8s %18s %11s %8s %10s\n", "recording", "min", "hold s (L / R)",
		       "reps (L/R)", "LSI %", "flagged");
		for (size_t i = 0; i < n; i++) {
			const struct bm_summary_line *s = &ev[i].s;
			char lsi[16] = "-";
			if (isfinite(s->lsi_pct))
				snprintf(lsi, sizeof lsi, "%.0f", s->lsi_pct);
			printf("%-28s %8.1f %8.0f / %-7.0f %5u/%-5u %8s %5u of %u\n", ev[i].name,
			       s->duration_s / 60, s->hold_time_s[0], s->hold_time_s[1], s->reps[0],
			       s->reps[1], lsi, s->flagged, s->bilateral);
		}
	}
	if (unreadable)
		fprintf(stderr, "bridgemon history: %zu summary file%s could not be read and %s left out\n",
		        unreadable, unreadable == 1 ? "" : "s", unreadable == 1 ? "is" : "are");
	for (size_t i = 0; i < n; i++)
		free(ev[i].name);
	free(ev);
	return BM_EXIT_OK;
}
