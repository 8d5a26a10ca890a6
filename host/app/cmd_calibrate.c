/*
 * cmd_calibrate.c - `bridgemon calibrate [--port PATH]`: the window's
 * guided calibration in a terminal (bm_calibrate_flow.h), for people who
 * record headless.  The result is kept like the window keeps it: in the
 * board's calibration file on this computer and in the board's EEPROM.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bm_calib_file.h"
#include "bm_calibrate_flow.h"
#include "bm_cli.h"
#include "bm_clock.h"
#include "bm_commands.h"
#include "bm_ports.h"
#include "bm_source_serial.h"

const struct bm_command bm_cmd_calibrate = {
	"calibrate",
	"calibrate a board's plates in the terminal (tare, known mass, check)",
	"usage: bridgemon calibrate [--port PATH]\n"
	"  --port PATH   the board (default: the first board that answers)\n"
	"Steps: empty plates (tare); a known mass on the left plate, then on the right;\n"
	"a check of both; nothing is kept unless you type yes at the check.  Typing the\n"
	"mass with a ! (20!) confirms a scale far from the board's earlier one.\n",
	bm_cmd_calibrate_run,
};

/* The first likely board that answers, as for the monitor. */
static struct bm_source *find_board(char *msg, size_t len)
{
	char path[512];
	if (bm_ports_find_board(path, sizeof path, NULL) == 0)
		return bm_source_serial_new(path, msg, len);
	snprintf(msg, len, "no board found (give --port PATH; `bridgemon ports` lists the ports)");
	return NULL;
}

int bm_cmd_calibrate_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_calibrate;
	const char *port = NULL;
	char msg[600];
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'p')
			port = optarg;
		else if (c == 'H') {
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		} else {
			return bm_cli_getopt_error(me, c, argv);
		}
	}
	if (optind < argc)
		return bm_cli_usage_error(me, "unexpected argument '%s'", argv[optind]);

	struct bm_source *src = port ? bm_source_serial_new(port, msg, sizeof msg) : find_board(msg, sizeof msg);
	if (!src) {
		fprintf(stderr, "bridgemon calibrate: %s\n", msg);
		return BM_EXIT_INPUT;
	}
	/* The board says who it is; its calibration so far is the reference
	 * a new scale is judged against. */
	struct bm_source_status st;
	struct bm_live_sample tmp[64];
	double until = bm_clock_mono_s() + 3.0;
	do {
		bm_source_read(src, tmp, 64, 50);
		bm_source_status(src, &st);
	} while (!st.has_info && st.state != BM_SOURCE_FAILED && bm_clock_mono_s() < until);
	struct bm_calib start, result;
	bm_calib_init(&start);
	if (st.has_info && bm_calib_load(&start, st.info.board_id, NULL, msg, sizeof msg) != BM_CALIB_OK &&
	    st.has_cal)
		bm_calib_from_record(&start, &st.cal);
	else if (!st.has_info && st.has_cal)
		bm_calib_from_record(&start, &st.cal);

	int r = bm_calibrate_flow(src, &start, stdin, stdout, NULL, NULL, &result);
	int rc = r == BM_CAL_FLOW_OK ? BM_EXIT_OK : r == BM_CAL_FLOW_NO_DATA ? BM_EXIT_INPUT : BM_EXIT_USAGE;
	if (r == BM_CAL_FLOW_OK) {
		struct bm_cal_record rec;
		if (st.has_info) {
			if (bm_calib_save(&result, st.info.board_id, NULL, msg, sizeof msg) != BM_CALIB_OK) {
				fprintf(stderr, "bridgemon calibrate: %s\n", msg);
				rc = BM_EXIT_OUTPUT;
			} else {
				printf("%s\n", msg);
			}
		}
		bm_calib_to_record(&result, &rec);
		src->ops->store_cal(src, &rec);
		/* Give the reader a moment to send it to the board. */
		until = bm_clock_mono_s() + 1.0;
		while (bm_clock_mono_s() < until)
			bm_source_read(src, tmp, 64, 50);
		printf("calibration sent to the board\n");
	}
	bm_source_free(src);
	return rc;
}
