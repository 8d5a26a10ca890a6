/*
 * cmd_import.c - `bridgemon import FILE...`: recordings of other devices (a
 * Tindeq Progressor's exports, any CSV of time and force) as bridgemon
 * sessions, so that analyze and replay read them like our own.
 *
 * The reading and converting is bm_import's (formats/); this file only
 * turns flags into its options, names the outputs, and says what happened:
 * one line per file on stdout, what was repaired on stderr, and at the end
 * which files were not imported.  A bad file does not stop the others.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_config.h"
#include "bm_fileio.h"
#include "bm_import.h"
#include "bm_sessions_dir.h"

const struct bm_command bm_cmd_import = {
	"import",
	"other devices' recordings (Tindeq Progressor, any time/force CSV) as sessions",
	"usage: bridgemon import FILE... [--out DIR] [--time COL --left COL --right COL]\n"
	"                        [--unit kg|N|lbf] [--leg left|right] [--athlete NAME] [--rest N]\n"
	"  FILE...        Tindeq Progressor exports (time,weight), or CSVs of time and force\n"
	"                 described by --time/--left/--right; each becomes DIR/NAME.csv and\n"
	"                 DIR/NAME.meta.json (never overwritten)\n"
	"  --out DIR      where they go (default: the sessions folder); created if missing\n"
	"  --time COL     the time column, in seconds (header name or 1-based number)\n"
	"  --left COL     the left heel's force column; --right COL the right's (one or both)\n"
	"  --unit U       the force unit: kg, N or lbf (converted to newtons); a Tindeq export\n"
	"                 says its own (kg); any other CSV needs it\n"
	"  --leg L        the leg of a single-sensor export, left (default) or right; the\n"
	"                 other leg is left empty\n"
	"  --athlete NAME the athlete, kept in the sidecar's context\n"
	"  --rest N       newtons added to every force (default 0): the resting load of a heel\n"
	"                 on a plate tared empty\n"
	"exit: 0 all imported; 2 a file unreadable or malformed (the others are still\n"
	"imported); 3 an output exists or cannot be written\n",
	bm_cmd_import_run,
};

/* Worse outcomes win: cannot write (3) over bad input (2). */
static int worse(int a, int b)
{
	return a > b ? a : b;
}

/* What the user hears about one file that was imported. */
static void say_done(const char *in, const char *out, const struct bm_import_info *info)
{
	printf("%s -> %s: %lu rows", in, out, info->rows);
	if (info->sample_rate_hz > 0)
		printf(" at %.1f Hz", info->sample_rate_hz);
	printf(", %s", info->mapping);
	if (info->rows_missing)
		printf("; %lu rows missing in %lu holes", info->rows_missing, info->holes);
	if (info->gaps)
		printf(" (%zu longer than %.1f s, listed as gaps)", info->gaps, BM_IMPORT_GAP_S);
	putchar('\n');
	if (info->skipped_rows)
		fprintf(stderr, "bridgemon import: %s: skipped %lu row%s at the start whose time went "
		        "backwards (the first at line %lu)\n", in, info->skipped_rows,
		        info->skipped_rows == 1 ? "" : "s", info->first_skipped_line);
	if (info->truncated)
		fprintf(stderr, "bridgemon import: %s: the last line is cut short; it is left out\n",
		        in);
}

static int import_one(const char *in, const char *dir, const struct bm_import_opts *o)
{
	char name[1024], msg[1200];
	struct bm_import_info info;

	if (bm_import_output_name(in, name, sizeof name) != 0) {
		fprintf(stderr, "bridgemon import: %s: cannot name the output after it\n", in);
		return BM_EXIT_INPUT;
	}
	size_t ol = strlen(dir) + strlen(name) + 8;
	char *out = malloc(ol);
	if (!out) {
		fprintf(stderr, "bridgemon import: out of memory\n");
		return BM_EXIT_OUTPUT;
	}
	snprintf(out, ol, "%s/%s.csv", dir, name);
	int r = bm_import_file(in, out, o, &info, msg, sizeof msg);
	int rc = BM_EXIT_OK;
	switch (r) {
	case BM_IMPORT_OK:
		say_done(in, out, &info);
		break;
	case BM_IMPORT_SUMMARY:
		fprintf(stderr, "bridgemon import: %s; not a recording, skipped\n", msg);
		break;
	case BM_IMPORT_ERR_OUTPUT:
	case BM_IMPORT_ERR_NOMEM:
		fprintf(stderr, "bridgemon import: %s\n", msg);
		rc = BM_EXIT_OUTPUT;
		break;
	default:
		fprintf(stderr, "bridgemon import: %s\n", msg);
		rc = BM_EXIT_INPUT;
		break;
	}
	free(out);
	return rc;
}

int bm_cmd_import_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"time", required_argument, NULL, 't'},
		{"left", required_argument, NULL, 'l'},
		{"right", required_argument, NULL, 'r'},
		{"unit", required_argument, NULL, 'u'},
		{"leg", required_argument, NULL, 'L'},
		{"athlete", required_argument, NULL, 'a'},
		{"rest", required_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_import;
	struct bm_import_opts io;
	const char *dir_arg = NULL;
	int c, leg_given = 0;

	bm_import_opts_default(&io);
	io.version = BM_VERSION;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			dir_arg = optarg;
			break;
		case 't':
			io.time_col = optarg;
			break;
		case 'l':
			io.leg_col[0] = optarg;
			break;
		case 'r':
			io.leg_col[1] = optarg;
			break;
		case 'u':
			io.unit = bm_import_unit_parse(optarg);
			if (io.unit == BM_IMPORT_UNIT_UNKNOWN)
				return bm_cli_usage_error(me, "--unit is kg, N or lbf, not '%s'", optarg);
			break;
		case 'L':
			if (!strcmp(optarg, "left"))
				io.sensor_leg = 0;
			else if (!strcmp(optarg, "right"))
				io.sensor_leg = 1;
			else
				return bm_cli_usage_error(me, "--leg is left or right, not '%s'", optarg);
			leg_given = 1;
			break;
		case 'a':
			if (strlen(optarg) >= sizeof ((struct bm_meta_context *)0)->athlete)
				return bm_cli_usage_error(me, "--athlete is too long (at most %zu characters)",
				                          sizeof ((struct bm_meta_context *)0)->athlete - 1);
			io.athlete = optarg;
			break;
		case 'R':
			if (bm_cli_number(me->name, "--rest", optarg, -2000, 2000, &io.rest_n))
				return BM_EXIT_USAGE;
			break;
		case 'H':
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		default: /* ':' or an unknown option */
			return bm_cli_getopt_error(me, c, argv);
		}
	}
	if (optind >= argc)
		return bm_cli_usage_error(me, "which files? (give one or more CSV files)");
	int legs = (io.leg_col[0] != NULL) + (io.leg_col[1] != NULL);
	if (legs && !io.time_col)
		return bm_cli_usage_error(me, "--left/--right need --time (which column is time)");
	if (io.time_col && !legs)
		return bm_cli_usage_error(me, "--time needs --left and/or --right (the force columns)");
	if (legs && leg_given)
		return bm_cli_usage_error(me, "--leg is for a single-sensor export; --left/--right "
		                          "already say the legs");

	char dir[4096], msg[600];
	if (dir_arg) {
		if (snprintf(dir, sizeof dir, "%s", dir_arg) >= (int)sizeof dir)
			return bm_cli_usage_error(me, "--out is too long");
		if (bm_make_dirs(dir) != 0) {
			fprintf(stderr, "bridgemon import: cannot create %s\n", dir);
			return BM_EXIT_OUTPUT;
		}
	} else if (bm_sessions_dir(dir, sizeof dir, msg, sizeof msg) != 0) {
		fprintf(stderr, "bridgemon import: %s\n", msg);
		return BM_EXIT_OUTPUT;
	}

	int rc = BM_EXIT_OK, failed = 0, total = argc - optind;
	char *failed_list = NULL;
	size_t fl_len = 0;
	FILE *fl = open_memstream(&failed_list, &fl_len);
	for (int i = optind; i < argc; i++) {
		int r = import_one(argv[i], dir, &io);
		fflush(stdout);
		if (r != BM_EXIT_OK) {
			if (fl)
				fprintf(fl, "%s%s", failed ? ", " : "", argv[i]);
			failed++;
			rc = worse(rc, r);
		}
	}
	if (fl)
		fclose(fl);
	/* With several files, which ones did not make it (one file has said
	 * so in its own line). */
	if (failed && total > 1)
		fprintf(stderr, "bridgemon import: %d of %d file%s not imported: %s\n", failed, total,
		        total == 1 ? "" : "s", failed_list ? failed_list : "(out of memory)");
	free(failed_list);
	return rc;
}
