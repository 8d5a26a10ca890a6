/*
 * cmd_sync.c - `bridgemon sync`: upload this machine's recordings to the
 * store (the clinic's PostgreSQL server, or the local SQLite file).
 *
 * Every recording of the folder the store does not have yet under this
 * station's name goes up, with its efforts and its athlete (bm_sync.h);
 * a recording left unfinished by a crash gets its summary first.  When the
 * server cannot be reached, one line says how many recordings wait and
 * nothing is lost: the files stay and the next sync uploads them.
 */
#include <getopt.h>
#include <stdio.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_records_cli.h"

const struct bm_command bm_cmd_sync = {
	"sync",
	"upload the recordings the store does not have yet",
	"usage: bridgemon sync [DIR] [--db URI]\n"
	"  DIR       where the recordings are (default: $XDG_DATA_HOME/bridgemon/sessions)\n"
	"  --db URI  the store: postgresql://USER@HOST/DB (a clinic's server), a SQLite file\n"
	"            (default: the local $XDG_DATA_HOME/bridgemon/bridgemon.db)\n",
	bm_cmd_sync_run,
};

int bm_cmd_sync_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_sync;
	char dirbuf[512];
	const char *dir, *db = NULL;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'b') {
			db = optarg;
		} else if (c == 'H') {
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		} else {
			return bm_cli_getopt_error(me, c, argv);
		}
	}
	if (optind + 1 < argc)
		return bm_cli_usage_error(me, "one folder at a time");
	struct bm_settings settings;
	if (bm_records_cli_settings("sync", &settings, &db, 0) != 0)
		return BM_EXIT_INPUT;
	dir = bm_records_cli_folder("sync", optind < argc ? argv[optind] : NULL, dirbuf,
	                            sizeof dirbuf);
	if (!dir)
		return BM_EXIT_INPUT;
	struct bm_store *st;
	if (bm_records_cli_open("sync", db, dir, &st) != 0)
		return BM_EXIT_INPUT;
	int status = bm_records_cli_recover("sync", dir) ? BM_EXIT_INPUT : BM_EXIT_OK;
	int r = bm_records_cli_sync("sync", st, db, dir, 0, 1);
	bm_store_close(st);
	if (r != 0)
		status = BM_EXIT_INPUT;
	if (fflush(stdout) != 0)
		return BM_EXIT_OUTPUT;
	return status;
}
