/*
 * cmd_live.c - the subcommands that run the live program (bm_app): the
 * monitor (a board, or the demo athlete when none answers), `demo`,
 * `record` (headless, a one-line status) and `replay`; and `ports`.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bm_app.h"
#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_monitor.h"
#include "bm_sessions_dir.h"
#include "bm_ports.h"

#define LIVE_OPTIONS                                                                   \
	"  --fps N               window frames per second (default 60; 30 halves the CPU)\n" \
	"  --pick-athlete        open the athlete picker (key a) at start\n"                \
	COUNT_OPTIONS
#define COUNT_OPTIONS                                                                  \
	"  --asym-threshold PCT  flag efforts more asymmetric than this (default 10)\n"   \
	"  --hold-target S       target duration of one hold (default 30)\n"               \
	"  --zone LOW-HIGH       target zone in newtons, e.g. 250-320 (default none)\n"   \
	CONTEXT_OPTIONS
#define CONTEXT_OPTIONS                                                                \
	"  --protocol NAME       run a guided protocol (isometric, reps, fatigue, mvic, or\n" \
	"                        a file in $XDG_CONFIG_HOME/bridgemon/protocols)\n"          \
	"  --athlete NAME        whose session this is (kept in the store and the sidecar)\n" \
	"  --anchor-uninjured    the protocol's zones on both legs as a % of the uninjured\n" \
	"                        leg's MVIC (the athlete's injured side says which)\n"      \
	"  --exercise X          double_leg, single_leg_left, single_leg_right, long_lever,\n" \
	"                        custom\n"                                                   \
	"  --knee-angle DEG, --hip-angle DEG, --notes TEXT   the session's context\n"       \
	"  --pain-before N, --pain-after N   pain 0-10 (guidance only)\n"                  \
	"  --dose-aim MIN-MAX    daily hold-time aim per leg in minutes (default 2-5)\n"   \
	"  --db URI              the store: a SQLite file (default) or postgresql://...\n"

const struct bm_command bm_cmd_monitor = {
	"monitor",
	"live force bars from a board (the demo athlete when none is found)",
	"usage: bridgemon [monitor] [--port PATH] [--record] [options]\n"
	"  --port PATH           the board's serial port or a pty (/dev/ttyUSB0, /dev/pts/3);\n"
	"                        default: the first board that answers, else the demo athlete\n"
	"  --record              start recording at once (space toggles it in the window)\n"
	"  --seconds N           stop after N seconds of data\n"
	"  --no-window           a one-line status in the terminal instead of the window\n"
	LIVE_OPTIONS,
	bm_cmd_monitor_run,
};

const struct bm_command bm_cmd_demo = {
	"demo",
	"the live window on the simulated athlete (no board needed)",
	"usage: bridgemon demo [--seconds N] [--screenshot FILE.png] [--seed S] [--rate 80|10]\n"
	"                      [--speed X] [--record] [--no-window] [options]\n"
	"  --seconds N           stop after N seconds (default: until you quit)\n"
	"  --screenshot FILE.png save the last frame\n"
	"  --seed S              which athlete and session (default: from the clock)\n"
	"  --rate HZ             sample rate, 80 or 10 (default 80)\n"
	"  --speed X             play X times faster (default 1)\n"
	"  --record              record the session (space toggles it in the window)\n"
	"  --no-window           a one-line status in the terminal instead of the window\n"
	LIVE_OPTIONS,
	bm_cmd_demo_run,
};

const struct bm_command bm_cmd_record = {
	"record",
	"record a session without a window, with a one-line status",
	"usage: bridgemon record [--port PATH | --demo] --seconds N [--out FILE.csv] [options]\n"
	"  --port PATH           the board (default: the first board that answers)\n"
	"  --demo                record the simulated athlete instead\n"
	"  --seconds N           how long to record (required)\n"
	"  --out FILE.csv        the recording (default: a new file named by the start time in\n"
	"                        $XDG_DATA_HOME/bridgemon/sessions); never overwritten.\n"
	"                        FILE.events.csv and FILE.summary.json are written at the end.\n"
	"  --seed S, --rate HZ, --speed X   for --demo (--speed 0: as fast as possible)\n"
	COUNT_OPTIONS,
	bm_cmd_record_run,
};

const struct bm_command bm_cmd_replay = {
	"replay",
	"play a recorded session CSV in the live window",
	"usage: bridgemon replay FILE.csv [--speed X] [--no-window] [--events OUT.csv]\n"
	"                        [--summary OUT.json] [--seconds N] [options]\n"
	"  --speed X             X times real time (default 1; 0 as fast as possible)\n"
	"  --seconds N           stop after N seconds of the recording (the window\n"
	"                        otherwise stays open at the end until you quit)\n"
	"  --no-window           a one-line status in the terminal instead of the window\n"
	"  --screenshot FILE.png save the last frame (with --seconds)\n"
	"  --events OUT.csv      write the events found (the same as `analyze` finds)\n"
	"  --summary OUT.json    write the analysis (the same JSON as `analyze --json`)\n"
	LIVE_OPTIONS,
	bm_cmd_replay_run,
};

const struct bm_command bm_cmd_ports = {
	"ports",
	"list serial ports and say which are bridgemon boards",
	"usage: bridgemon ports [--no-probe]\n"
	"  --no-probe            do not open likely boards to ask for their INFO\n",
	bm_cmd_ports_run,
};

enum {
	OPT_PORT = 256, OPT_RECORD, OPT_SECONDS, OPT_NO_WINDOW, OPT_SCREENSHOT, OPT_SEED,
	OPT_RATE, OPT_SPEED, OPT_DEMO, OPT_OUT, OPT_EVENTS, OPT_SUMMARY, OPT_ASYM,
	OPT_TARGET, OPT_ZONE, OPT_HELP, OPT_NO_PROBE, OPT_FPS, OPT_PROTOCOL, OPT_ATHLETE,
	OPT_EXERCISE, OPT_KNEE, OPT_HIP, OPT_NOTES, OPT_PAIN_BEFORE, OPT_PAIN_AFTER, OPT_DB,
	OPT_DOSE_AIM, OPT_PICK_ATHLETE, OPT_ANCHOR,
};

/* Which options each subcommand takes. */
#define TAKES(c, o) (strchr(c, (char)((o) - OPT_PORT + 'a')) != NULL)

static int parse_live(const struct bm_command *me, const char *takes, int argc, char **argv,
                      struct bm_app_opts *o, int *record, const char **positional)
{
	static const struct option all[] = {
		{"port", required_argument, NULL, OPT_PORT},
		{"record", no_argument, NULL, OPT_RECORD},
		{"seconds", required_argument, NULL, OPT_SECONDS},
		{"no-window", no_argument, NULL, OPT_NO_WINDOW},
		{"screenshot", required_argument, NULL, OPT_SCREENSHOT},
		{"seed", required_argument, NULL, OPT_SEED},
		{"rate", required_argument, NULL, OPT_RATE},
		{"speed", required_argument, NULL, OPT_SPEED},
		{"demo", no_argument, NULL, OPT_DEMO},
		{"out", required_argument, NULL, OPT_OUT},
		{"events", required_argument, NULL, OPT_EVENTS},
		{"summary", required_argument, NULL, OPT_SUMMARY},
		{"asym-threshold", required_argument, NULL, OPT_ASYM},
		{"hold-target", required_argument, NULL, OPT_TARGET},
		{"zone", required_argument, NULL, OPT_ZONE},
		{"fps", required_argument, NULL, OPT_FPS},
		{"protocol", required_argument, NULL, OPT_PROTOCOL},
		{"athlete", required_argument, NULL, OPT_ATHLETE},
		{"exercise", required_argument, NULL, OPT_EXERCISE},
		{"knee-angle", required_argument, NULL, OPT_KNEE},
		{"hip-angle", required_argument, NULL, OPT_HIP},
		{"notes", required_argument, NULL, OPT_NOTES},
		{"pain-before", required_argument, NULL, OPT_PAIN_BEFORE},
		{"pain-after", required_argument, NULL, OPT_PAIN_AFTER},
		{"db", required_argument, NULL, OPT_DB},
		{"dose-aim", required_argument, NULL, OPT_DOSE_AIM},
		{"pick-athlete", no_argument, NULL, OPT_PICK_ATHLETE},
		{"anchor-uninjured", no_argument, NULL, OPT_ANCHOR},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	double v;
	int c, li = -1;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", all, &li)) != -1) {
		if (c == OPT_HELP) {
			bm_cli_print_usage(me, stdout);
			return -2;
		}
		if (c == ':' || c == '?' || c < OPT_PORT)
			return bm_cli_getopt_error(me, c, argv);
		if (!TAKES(takes, c)) /* an option of another subcommand */
			return bm_cli_usage_error(me, "unknown option '--%s'", all[li].name);
		switch (c) {
		case OPT_PORT:
			o->source = BM_APP_PORT;
			o->port = optarg;
			break;
		case OPT_RECORD:
			*record = 1;
			break;
		case OPT_SECONDS:
			if (bm_cli_number(me->name, "--seconds", optarg, 0.1, 30 * 86400.0, &o->seconds))
				return BM_EXIT_USAGE;
			break;
		case OPT_NO_WINDOW:
			o->window = 0;
			break;
		case OPT_SCREENSHOT:
			o->screenshot = optarg;
			break;
		case OPT_SEED:
			if (bm_cli_number(me->name, "--seed", optarg, 0, 9007199254740992.0, &v))
				return BM_EXIT_USAGE;
			if (v != floor(v))
				return bm_cli_usage_error(me, "--seed must be a whole number, not '%s'", optarg);
			o->seed = (uint64_t)v;
			break;
		case OPT_RATE:
			if (bm_cli_number(me->name, "--rate", optarg, 10, 80, &o->rate_hz))
				return BM_EXIT_USAGE;
			if (o->rate_hz != 10 && o->rate_hz != 80)
				return bm_cli_usage_error(me, "--rate is 80 or 10 (the HX711's two rates)");
			break;
		case OPT_SPEED:
			if (bm_cli_number(me->name, "--speed", optarg, 0, 1000, &o->speed))
				return BM_EXIT_USAGE;
			break;
		case OPT_DEMO:
			o->source = BM_APP_DEMO;
			break;
		case OPT_OUT:
			o->record_to = optarg;
			break;
		case OPT_EVENTS:
			o->events_out = optarg;
			break;
		case OPT_SUMMARY:
			o->summary_out = optarg;
			break;
		case OPT_ASYM:
			if (bm_cli_number(me->name, "--asym-threshold", optarg, 0, 100, &o->asym_threshold_pct))
				return BM_EXIT_USAGE;
			break;
		case OPT_TARGET:
			if (bm_cli_number(me->name, "--hold-target", optarg, 1, 3600, &o->hold_target_s))
				return BM_EXIT_USAGE;
			break;
		case OPT_FPS:
			if (bm_cli_number(me->name, "--fps", optarg, 5, 240, &o->fps))
				return BM_EXIT_USAGE;
			break;
		case OPT_PROTOCOL:
			o->protocol = optarg;
			break;
		case OPT_ATHLETE:
			if (!*optarg || strlen(optarg) > 100)
				return bm_cli_usage_error(me, "--athlete needs a name of 1 to 100 characters");
			o->athlete = optarg;
			break;
		case OPT_EXERCISE: {
			static const char *const ok[] = {"double_leg", "single_leg_left", "single_leg_right",
			                                 "long_lever", "custom"};
			int found = 0;
			for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
				found |= !strcmp(optarg, ok[i]);
			if (!found)
				return bm_cli_usage_error(me, "--exercise is double_leg, single_leg_left, "
				                              "single_leg_right, long_lever or custom, not '%s'",
				                          optarg);
			o->exercise = optarg;
			break;
		}
		case OPT_KNEE:
			if (bm_cli_number(me->name, "--knee-angle", optarg, -30, 180, &o->knee_angle_deg))
				return BM_EXIT_USAGE;
			break;
		case OPT_HIP:
			if (bm_cli_number(me->name, "--hip-angle", optarg, -30, 180, &o->hip_angle_deg))
				return BM_EXIT_USAGE;
			break;
		case OPT_NOTES:
			if (strlen(optarg) > 500)
				return bm_cli_usage_error(me, "--notes is at most 500 characters");
			o->notes = optarg;
			break;
		case OPT_PAIN_BEFORE:
		case OPT_PAIN_AFTER: {
			double pn;
			const char *flag = c == OPT_PAIN_BEFORE ? "--pain-before" : "--pain-after";
			if (bm_cli_number(me->name, flag, optarg, 0, 10, &pn))
				return BM_EXIT_USAGE;
			if (pn != floor(pn))
				return bm_cli_usage_error(me, "%s is a whole number 0-10, not '%s'", flag, optarg);
			*(c == OPT_PAIN_BEFORE ? &o->pain_before : &o->pain_after) = pn;
			break;
		}
		case OPT_DB:
			o->db = optarg;
			break;
		case OPT_DOSE_AIM: {
			/* Minutes, like the zone: "2-5", "1.5-4". */
			char *dash = strchr(optarg, '-'), *end;
			double lo = dash ? strtod(optarg, &end) : NAN, hi = NAN;
			if (dash && end == dash)
				hi = strtod(dash + 1, &end);
			if (!dash || !*(dash + 1) || *end || !(lo > 0 && hi >= lo && hi <= 60))
				return bm_cli_usage_error(me, "--dose-aim is MIN-MAX in minutes, e.g. 2-5 "
				                              "(more than 0, at most 60), not '%s'", optarg);
			o->dose_aim_min_s = 60 * lo;
			o->dose_aim_max_s = 60 * hi;
			o->dose_aim_given = 1;
			break;
		}
		case OPT_PICK_ATHLETE:
			o->pick_athlete = 1;
			break;
		case OPT_ANCHOR:
			o->anchor_uninjured = 1;
			break;
		case OPT_ZONE: {
			char *dash = strchr(optarg, '-');
			if (!dash || sscanf(optarg, "%lf", &o->zone_low_n) != 1 ||
			    sscanf(dash + 1, "%lf", &o->zone_high_n) != 1 ||
			    !(o->zone_low_n >= 0 && o->zone_high_n > o->zone_low_n))
				return bm_cli_usage_error(me, "--zone is LOW-HIGH in newtons, e.g. 250-320, not '%s'",
				                          optarg);
			break;
		}
		}
	}
	if (positional) {
		if (optind >= argc)
			return bm_cli_usage_error(me, "which file? (give a session CSV)");
		*positional = argv[optind++];
	}
	if (optind < argc)
		return bm_cli_usage_error(me, "unexpected argument '%s'", argv[optind]);
	if (o->anchor_uninjured && !o->protocol)
		return bm_cli_usage_error(me, "--anchor-uninjured sets a protocol's zones: give "
		                              "--protocol NAME too");
	if (o->anchor_uninjured && !o->athlete && !o->pick_athlete)
		return bm_cli_usage_error(me, "--anchor-uninjured needs --athlete NAME (their injured "
		                              "side says which leg is the reference)");
	return 0;
}

/* Option letters: a port, b record, c seconds, d no-window, e screenshot,
 * f seed, g rate, h speed, i demo, j out, k events, l summary, m asym,
 * n target, o zone, (p help, q no-probe), r fps, s protocol, t athlete,
 * u exercise, v knee, w hip, x notes, y pain before, z pain after, { db,
 * | dose aim, } pick athlete (the window's commands only), ~ anchor to the
 * uninjured leg. */
#define COMMON "mnorstuvwxyz{|}~"

/* Parse, pick the default recording file when one is wanted, run. */
static int run_live(const struct bm_command *me, const char *takes, struct bm_app_opts *o,
                    int argc, char **argv)
{
	int record = 0, is_record = !strcmp(me->name, "record");
	int rc = parse_live(me, takes, argc, argv, o, &record, NULL);
	if (rc)
		return rc == -2 ? BM_EXIT_OK : rc;
	if (is_record && !(o->seconds > 0) && !o->protocol)
		return bm_cli_usage_error(me, "--seconds N is required (or --protocol NAME: it ends "
		                              "with the protocol)");
	/* A screenshot needs a window, and a window needs a display: say so
	 * now, not after the run. */
	const char *drv = getenv("SDL_VIDEODRIVER");
	if (o->screenshot && (!o->window || (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY") &&
	                                     !(drv && *drv))))
		return bm_cli_usage_error(me, "--screenshot needs the window and a display (xvfb-run "
		                              "gives a virtual one)");
	/* Without --out the file is named when the source is known (a demo
	 * recording says so in its name). */
	if (record || is_record)
		o->record = 1;
	return bm_app_run(o);
}

int bm_cmd_monitor_run(int argc, char **argv)
{
	struct bm_app_opts o;
	bm_app_opts_default(&o);
	o.cmd = "monitor";
	return run_live(&bm_cmd_monitor, "abcd" COMMON, &o, argc, argv);
}

int bm_cmd_demo_run(int argc, char **argv)
{
	struct bm_app_opts o;
	bm_app_opts_default(&o);
	o.cmd = "demo";
	o.source = BM_APP_DEMO;
	return run_live(&bm_cmd_demo, "bcdefgh" COMMON, &o, argc, argv);
}

int bm_cmd_record_run(int argc, char **argv)
{
	struct bm_app_opts o;
	bm_app_opts_default(&o);
	o.cmd = "record";
	o.window = 0;
	/* record has no window: no --fps. */
	return run_live(&bm_cmd_record, "acfghijmnostuvwxyz{|~", &o, argc, argv);
}

int bm_cmd_replay_run(int argc, char **argv)
{
	struct bm_app_opts o;
	int record = 0;
	bm_app_opts_default(&o);
	o.cmd = "replay";
	o.source = BM_APP_REPLAY;
	int rc = parse_live(&bm_cmd_replay, "cdehkl" COMMON, argc, argv, &o, &record, &o.replay);
	if (rc)
		return rc == -2 ? BM_EXIT_OK : rc;
	return bm_app_run(&o);
}

int bm_cmd_ports_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"no-probe", no_argument, NULL, OPT_NO_PROBE},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_ports;
	int probe = 1, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == OPT_NO_PROBE)
			probe = 0;
		else if (c == OPT_HELP) {
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		} else
			return bm_cli_getopt_error(me, c, argv);
	}
	if (optind < argc)
		return bm_cli_usage_error(me, "unexpected argument '%s'", argv[optind]);

	struct bm_port_list *pl = NULL;
	if (bm_ports_list(&pl) != BM_SERIAL_OK) {
		fprintf(stderr, "bridgemon ports: cannot list serial ports\n");
		return BM_EXIT_INPUT;
	}
	if (pl->count == 0)
		printf("no serial ports found (plug the board in; a pty from simavr or socat is not "
		       "listed, give it with --port)\n");
	for (size_t i = 0; i < pl->count; i++) {
		char line[512], msg[300];
		bm_ports_format(&pl->ports[i], line, sizeof line);
		printf("%s\n", line);
		if (probe && pl->ports[i].kind == BM_PORT_LIKELY_BOARD) {
			struct bm_info_msg info;
			int r = bm_ports_probe(pl->ports[i].path, BM_PORTS_PROBE_TIMEOUT_MS, &info, msg,
			                       sizeof msg);
			printf("    %s%s\n", r == BM_SERIAL_OK ? "bridgemon board: " : "", msg);
		}
	}
	bm_ports_list_free(pl);
	return BM_EXIT_OK;
}
