/*
 * cmd_athlete.c - `bridgemon athlete`: create an athlete in the store or
 * change their injured side and body mass; `--list` shows them all.
 *
 * Names are compared without case (the store's rule), so "ann lee" finds
 * "Ann Lee"; a name must be one line of text.  Recordings name their
 * athlete in the sidecar, and `sync` creates athletes it has not seen:
 * this command is for what a recording cannot know.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_jsonw.h"
#include "bm_records_cli.h"
#include "bm_recording.h"

const struct bm_command bm_cmd_athlete = {
	"athlete",
	"create or update an athlete (injured side, body mass), or list them",
	"usage: bridgemon athlete NAME [--injured left|right|both|none] [--mass KG] [--db URI]\n"
	"       bridgemon athlete --list [--db URI]\n"
	"  NAME            the athlete (found without regard to case; created when new)\n"
	"  --injured SIDE  the injured side: left, right, both or none\n"
	"  --mass KG       body mass in kg (20 to 300)\n"
	"  --list          every athlete in the store\n"
	"  --db URI        the store (default: $XDG_DATA_HOME/bridgemon/bridgemon.db)\n",
	bm_cmd_athlete_run,
};

static void print_athlete(const struct bm_store_athlete *a, const char *what)
{
	char mass[32] = "mass not given", date[16];
	if (isfinite(a->body_mass_kg))
		snprintf(mass, sizeof mass, "%.1f kg", a->body_mass_kg);
	bm_records_date((double)a->created_epoch_s, date, sizeof date);
	printf("%s: injured side %s, %s, since %s%s\n", a->name,
	       bm_store_side_name(a->injured_side), mass, date, what);
}

/* A name of one line: no control characters. */
static int one_line(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

int bm_cmd_athlete_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"injured", required_argument, NULL, 'i'},
		{"mass", required_argument, NULL, 'm'},
		{"list", no_argument, NULL, 'l'},
		{"db", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_athlete;
	const char *db = NULL, *injured = NULL;
	double mass = NAN;
	int list = 0, c;
	enum bm_store_side side = BM_STORE_SIDE_NONE;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			injured = optarg;
			if (bm_store_side_parse(injured, &side) != BM_STORE_OK)
				return bm_cli_usage_error(me, "--injured '%s' is not left, right, both or "
				                          "none", injured);
			break;
		case 'm':
			if (bm_cli_number(me->name, "--mass", optarg, 20, 300, &mass) != 0)
				return BM_EXIT_USAGE;
			break;
		case 'l': list = 1; break;
		case 'b': db = optarg; break;
		case 'H':
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		default: /* ':' or an unknown option */
			return bm_cli_getopt_error(me, c, argv);
		}
	}
	int nargs = argc - optind;
	if (list && (nargs || injured || isfinite(mass)))
		return bm_cli_usage_error(me, "--list takes no name or values");
	if (!list && nargs != 1)
		return bm_cli_usage_error(me, nargs ? "one athlete at a time" : "which athlete?");
	const char *name = list ? NULL : argv[optind];
	if (name && (!name[0] || !one_line(name) || strlen(name) > BM_STORE_NAME_MAX))
		return bm_cli_usage_error(me, "a name is one line of 1 to %d bytes",
		                          BM_STORE_NAME_MAX);

	struct bm_settings settings;
	if (bm_records_cli_settings(me->name, &settings, &db, 0) != 0)
		return BM_EXIT_INPUT;
	struct bm_store *st;
	if (bm_records_cli_open(me->name, db, NULL, &st) != 0)
		return BM_EXIT_INPUT;
	int rc;
	if (list) {
		struct bm_store_athletes *all = NULL;
		rc = bm_store_athlete_list(st, &all);
		if (rc == BM_STORE_OK) {
			if (!all->count)
				printf("no athletes in %s (bridgemon athlete NAME creates one)\n",
				       bm_store_where(st));
			for (size_t i = 0; i < all->count; i++)
				print_athlete(&all->items[i], "");
		}
		bm_store_athletes_free(all);
	} else {
		struct bm_store_athlete a;
		int created = 0;
		rc = bm_store_athlete_get_or_create(st, name, &a, &created);
		if (rc == BM_STORE_OK && (injured || isfinite(mass))) {
			if (injured)
				a.injured_side = side;
			if (isfinite(mass))
				a.body_mass_kg = mass;
			rc = bm_store_athlete_update(st, &a);
		}
		if (rc == BM_STORE_OK)
			print_athlete(&a, created ? " (created)"
			                  : injured || isfinite(mass) ? " (updated)" : "");
	}
	if (rc != BM_STORE_OK)
		fprintf(stderr, "bridgemon athlete: %s\n", bm_store_errmsg(st));
	bm_store_close(st);
	if (rc != BM_STORE_OK)
		return rc == BM_STORE_ERR_ARG ? BM_EXIT_USAGE : BM_EXIT_INPUT;
	return fflush(stdout) == 0 ? BM_EXIT_OK : BM_EXIT_OUTPUT;
}
