/*
 * cmd_report.c - `bridgemon report`: an athlete's report on paper (PDF, or
 * the pages stacked in one PNG or SVG image) for the physiotherapist, the
 * doctor or the athlete: a page per session and a progress page
 * (bm_records_report.h says what is on them).
 *
 * The store is synced with the recordings folder first, as for history, so
 * the report holds every recording made here.  The file is written whole
 * or not at all.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_records_cli.h"
#include "bm_records_report.h"

const struct bm_command bm_cmd_report = {
	"report",
	"an athlete's report on paper: a page per session and the progress",
	"usage: bridgemon report [DIR] --athlete NAME --out REPORT.pdf|.png|.svg\n"
	"                        [--session FILE.csv] [--include-demo] [--db URI]\n"
	"  DIR             where the recordings are (default: $XDG_DATA_HOME/bridgemon/sessions)\n"
	"  --athlete NAME  whose report\n"
	"  --out FILE      the report: .pdf (A4 pages), .png or .svg (the pages stacked)\n"
	"  --session FILE  only this recording's page (and the progress page)\n"
	"  --include-demo  also the demo athlete's recordings (marked as such)\n"
	"  --db URI        the store (default: $XDG_DATA_HOME/bridgemon/bridgemon.db)\n",
	bm_cmd_report_run,
};

static int known_ext(const char *path)
{
	size_t n = strlen(path);
	static const char *const ext[] = {".pdf", ".png", ".svg"};
	for (int i = 0; i < 3; i++)
		if (n > 4 && !strcasecmp(path + n - 4, ext[i]))
			return 1;
	return 0;
}

static int report_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"athlete", required_argument, NULL, 'a'},
		{"out", required_argument, NULL, 'o'},
		{"session", required_argument, NULL, 's'},
		{"include-demo", no_argument, NULL, 'd'},
		{"db", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_report;
	const char *athlete = NULL, *out = NULL, *session = NULL, *db = NULL, *dir;
	char dirbuf[512], msg[1200];
	int with_demo = 0, c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'a': athlete = optarg; break;
		case 'o': out = optarg; break;
		case 's': session = optarg; break;
		case 'd': with_demo = 1; break;
		case 'b': db = optarg; break;
		case 'H':
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		default: /* ':' or an unknown option */
			return bm_cli_getopt_error(me, c, argv);
		}
	}
	if (!athlete || !athlete[0])
		return bm_cli_usage_error(me, "whose report? (--athlete NAME)");
	if (!out || !out[0])
		return bm_cli_usage_error(me, "where to? (--out REPORT.pdf, .png or .svg)");
	if (!known_ext(out))
		return bm_cli_usage_error(me, "--out %s: the name must end in .pdf, .png or .svg", out);
	if (optind + 1 < argc)
		return bm_cli_usage_error(me, "one folder at a time");
	struct bm_settings settings;
	if (bm_records_cli_settings("report", &settings, &db, 1) != 0)
		return BM_EXIT_INPUT;
	dir = bm_records_cli_folder("report", optind < argc ? argv[optind] : NULL, dirbuf,
	                            sizeof dirbuf);
	if (!dir)
		return BM_EXIT_INPUT;
	struct bm_store *st;
	if (bm_records_cli_open("report", db, dir, &st) != 0)
		return BM_EXIT_INPUT;
	int status = bm_records_cli_recover("report", dir) ? BM_EXIT_INPUT : BM_EXIT_OK;
	int r = bm_records_cli_sync("report", st, db, dir, 0, 0);
	if (r < 0) {
		bm_store_close(st);
		return BM_EXIT_INPUT;
	}
	if (r > 0)
		status = BM_EXIT_INPUT;
	struct bm_records_report_opts o = {dir, session, with_demo, NAN, &settings.readiness};
	struct bm_records_report_info info;
	int rc = bm_records_report_write(st, athlete, &o, out, &info, msg, sizeof msg);
	bm_store_close(st);
	if (rc != BM_RREPORT_OK) {
		fprintf(stderr, "bridgemon report: %s\n", msg);
		return rc == BM_RREPORT_ERR_OUTPUT ? BM_EXIT_OUTPUT : BM_EXIT_INPUT;
	}
	printf("%s: %zu page%s (%zu session%s and the progress)\n", out, info.pages,
	       info.pages == 1 ? "" : "s", info.sessions, info.sessions == 1 ? "" : "s");
	if (info.left_out)
		fprintf(stderr, "bridgemon report: an image holds %zu pages: the %zu oldest "
		        "session%s left out (a PDF has them all)\n", info.pages, info.left_out,
		        info.left_out == 1 ? " is" : "s are");
	if (info.without_trace)
		fprintf(stderr, "bridgemon report: %zu session%s recorded on other stations: from "
		        "the store's numbers, without a trace\n", info.without_trace,
		        info.without_trace == 1 ? "" : "s");
	return fflush(stdout) == 0 ? status : BM_EXIT_OUTPUT;
}

int bm_cmd_report_run(int argc, char **argv)
{
	int rc = report_run(argc, argv);
	bm_paper_release_caches(); /* the command ends here: no leak left to report */
	return rc;
}
