/*
 * cmd_analyze.c - `bridgemon analyze FILE.csv`: a recorded or generated
 * session in, holds, reps and left/right asymmetry out, as a table or JSON.
 *
 * The whole file is read and analysed before anything is printed, and the
 * result goes out in one write: a malformed file (exit 2) leaves stdout
 * empty, never half a report.
 */
#include <getopt.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_analysis.h"
#include "bm_csv.h"
#include "bm_report.h"
#include "bm_session.h"

const struct bm_command bm_cmd_analyze = {
	"analyze",
	"holds, reps and asymmetry of a session CSV",
	"usage: bridgemon analyze FILE.csv [--json] [--asym-threshold PCT] [--min-hold S] [--max-rep S]\n"
	"                         [--onset N] [--max-force N] [--skip-backwards]\n"
	"  FILE.csv              a session CSV (t_s, left_n, right_n columns; '-' reads stdin)\n"
	"  --json                print JSON instead of a table\n"
	"  --asym-threshold PCT  flag bilateral efforts more asymmetric than this (default 10)\n"
	"  --min-hold S          holds this long count toward the hold time, seconds (default 10);\n"
	"                        shorter holds are reported all the same\n"
	"  --max-rep S           longest rep, seconds (default 6); longer efforts are holds\n"
	"  --onset N             onset threshold above rest, newtons (default 20)\n"
	"  --max-force N         readings beyond +-N newtons are rejected as implausible and\n"
	"                        counted (default 3000)\n"
	"  --skip-backwards      leave out rows whose time does not increase (some devices'\n"
	"                        exports begin with them), with a count on stderr\n",
	bm_cmd_analyze_run,
};

/* What was left out or rejected, said on stderr: never silently. */
static void say_notes(const char *path, const struct bm_analysis_notes *n,
                      const struct bm_report *rep)
{
	if (n->meta_note[0])
		fprintf(stderr, "bridgemon analyze: %s\n", n->meta_note);
	if (n->skipped_rows)
		fprintf(stderr, "bridgemon analyze: %s: skipped %lu row%s whose time did not "
		                "increase (the first at line %lu)\n",
		        path, n->skipped_rows, n->skipped_rows == 1 ? "" : "s", n->first_skipped_line);
	if (n->truncated)
		fprintf(stderr, "bridgemon analyze: %s: the last line is cut short (a recording "
		                "that was not closed); it is left out\n", path);
	if (rep->rejected[0] || rep->rejected[1])
		fprintf(stderr, "bridgemon analyze: %s: %llu readings beyond +-%g N rejected as "
		                "implausible (left %llu, right %llu); --max-force sets the limit\n",
		        path, rep->rejected[0] + rep->rejected[1], rep->max_force_n, rep->rejected[0],
		        rep->rejected[1]);
	if (rep->excluded_events)
		fprintf(stderr, "bridgemon analyze: %s: %zu effort%s during calibration left out\n",
		        path, rep->excluded_events, rep->excluded_events == 1 ? "" : "s");
}

int bm_analyze_file(const char *path, const struct bm_analysis_opts *o, struct bm_report *rep)
{
	struct bm_analysis_notes notes;
	char msg[1024];
	int r = bm_analysis_run(path, o, rep, &notes, msg, sizeof msg);
	if (r != BM_ANALYSIS_OK) {
		fprintf(stderr, "bridgemon analyze: %s\n", msg);
		return BM_EXIT_INPUT;
	}
	say_notes(path, &notes, rep);
	return BM_EXIT_OK;
}

int bm_cmd_analyze_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"asym-threshold", required_argument, NULL, 'a'},
		{"min-hold", required_argument, NULL, 'h'},
		{"max-rep", required_argument, NULL, 'r'},
		{"onset", required_argument, NULL, 'o'},
		{"max-force", required_argument, NULL, 'F'},
		{"skip-backwards", no_argument, NULL, 'B'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_analyze;
	struct bm_analysis_opts ao;
	struct bm_session_params *sp = &ao.sp;
	int json = 0, c;

	bm_analysis_opts_default(&ao);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'a':
			if (bm_cli_number(me->name, "--asym-threshold", optarg, 0, 100, &ao.asym_threshold_pct))
				return BM_EXIT_USAGE;
			break;
		case 'h':
			if (bm_cli_number(me->name, "--min-hold", optarg, 0.5, 3600, &sp->detect.min_hold_s))
				return BM_EXIT_USAGE;
			break;
		case 'r':
			if (bm_cli_number(me->name, "--max-rep", optarg, 0.5, 60, &sp->detect.max_rep_s))
				return BM_EXIT_USAGE;
			break;
		case 'o':
			if (bm_cli_number(me->name, "--onset", optarg, 1, 1000, &sp->detect.onset_n))
				return BM_EXIT_USAGE;
			break;
		case 'F':
			if (bm_cli_number(me->name, "--max-force", optarg, 10, 1e6, &sp->max_force_n))
				return BM_EXIT_USAGE;
			break;
		case 'B':
			ao.skip_backwards = 1;
			break;
		case 'H':
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		default: /* ':' or an unknown option */
			return bm_cli_getopt_error(me, c, argv);
		}
	}
	if (optind >= argc)
		return bm_cli_usage_error(me, "which file? (give a session CSV)");
	if (optind + 1 < argc)
		return bm_cli_usage_error(me, "one file at a time (got '%s' and '%s')", argv[optind],
		                          argv[optind + 1]);
	struct bm_report rep;
	int rc = bm_analyze_file(argv[optind], &ao, &rep);
	if (rc != BM_EXIT_OK)
		return rc;

	/* Format into memory, then write once. */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem) {
		bm_report_free(&rep);
		fprintf(stderr, "bridgemon analyze: out of memory\n");
		return BM_EXIT_OUTPUT;
	}
	rc = json ? bm_report_write_json(&rep, mem) : bm_report_write_table(&rep, mem);
	fclose(mem);
	bm_report_free(&rep);
	if (rc != 0 || fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		free(buf);
		fprintf(stderr, "bridgemon analyze: cannot write the report\n");
		return BM_EXIT_OUTPUT;
	}
	free(buf);
	return BM_EXIT_OK;
}
