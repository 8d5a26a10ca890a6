/*
 * main.c - bridgemon's entry: pick the subcommand, or run the live monitor.
 *
 *   bridgemon [--port PATH] ...     live monitor (a board; the demo athlete
 *                                   when none is found)
 *   bridgemon SUBCOMMAND [options]  see --help
 *
 * Each subcommand lives in its own cmd_*.c with its usage text; this file
 * only dispatches, so that `--help` lists exactly what exists.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_config.h"

const struct bm_command *const bm_commands[] = {
	&bm_cmd_monitor,
	&bm_cmd_demo,
	&bm_cmd_record,
	&bm_cmd_replay,
	&bm_cmd_analyze,
	&bm_cmd_simulate,
	&bm_cmd_history,
	&bm_cmd_import,
	&bm_cmd_sync,
	&bm_cmd_athlete,
	&bm_cmd_pain,
	&bm_cmd_report,
	&bm_cmd_ports,
	&bm_cmd_calibrate,
	NULL,
};

static void print_help(FILE *f)
{
	fputs("bridgemon " BM_VERSION " - force plates for hamstring bridge rehab\n\n"
	      "usage: bridgemon [--port PATH] [options]   the live monitor (see monitor --help)\n"
	      "       bridgemon SUBCOMMAND [options]\n"
	      "       bridgemon --help | --version | SUBCOMMAND --help\n\n"
	      "subcommands:\n", f);
	for (size_t i = 0; bm_commands[i]; i++)
		fprintf(f, "  %-10s %s\n", bm_commands[i]->name, bm_commands[i]->summary);
	fputs("\nExit status: 0 ok, 1 usage error, 2 bad input, 3 cannot write output.\n", f);
}

int main(int argc, char **argv)
{
	/* A file-size limit (ulimit -f) must make a write fail with EFBIG, so
	 * a recording stops cleanly at its last complete row, not kill us. */
	signal(SIGXFSZ, SIG_IGN);
	/* No subcommand: the live monitor (a board, or the demo athlete). */
	if (argc < 2)
		return bm_cmd_monitor.run(argc, argv);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		print_help(stdout);
		return BM_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("bridgemon %s\n", BM_VERSION);
		return BM_EXIT_OK;
	}
	const struct bm_command *cmd = bm_cli_find(argv[1]);
	if (!cmd && argv[1][0] == '-')
		return bm_cmd_monitor.run(argc, argv); /* bridgemon --port /dev/pts/3 */
	if (!cmd) {
		fprintf(stderr, "bridgemon: unknown %s '%s' (see bridgemon --help)\n",
		        argv[1][0] == '-' ? "option" : "subcommand", argv[1]);
		return BM_EXIT_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}
