/* bm_commands.h - the subcommands of bridgemon, one file each. */
#ifndef BM_COMMANDS_H
#define BM_COMMANDS_H

#include "bm_cli.h"
#include "bm_analysis.h"
#include "bm_report.h"
#include "bm_session.h"

extern const struct bm_command bm_cmd_analyze;
extern const struct bm_command bm_cmd_simulate;
extern const struct bm_command bm_cmd_monitor;
extern const struct bm_command bm_cmd_demo;
extern const struct bm_command bm_cmd_record;
extern const struct bm_command bm_cmd_replay;
extern const struct bm_command bm_cmd_ports;
extern const struct bm_command bm_cmd_history;
extern const struct bm_command bm_cmd_calibrate;
extern const struct bm_command bm_cmd_import;
extern const struct bm_command bm_cmd_sync;
extern const struct bm_command bm_cmd_athlete;
extern const struct bm_command bm_cmd_pain;
extern const struct bm_command bm_cmd_report;

int bm_cmd_analyze_run(int argc, char **argv);
int bm_cmd_simulate_run(int argc, char **argv);
int bm_cmd_monitor_run(int argc, char **argv);
int bm_cmd_demo_run(int argc, char **argv);
int bm_cmd_record_run(int argc, char **argv);
int bm_cmd_replay_run(int argc, char **argv);
int bm_cmd_ports_run(int argc, char **argv);
int bm_cmd_history_run(int argc, char **argv);
int bm_cmd_calibrate_run(int argc, char **argv);
int bm_cmd_import_run(int argc, char **argv);
int bm_cmd_sync_run(int argc, char **argv);
int bm_cmd_athlete_run(int argc, char **argv);
int bm_cmd_pain_run(int argc, char **argv);
int bm_cmd_report_run(int argc, char **argv);

/* analyze's reading and analysis: one line on stderr and BM_EXIT_INPUT on
 * bad input; what was left out or rejected is said on stderr. */
int bm_analyze_file(const char *path, const struct bm_analysis_opts *o, struct bm_report *rep);

#endif
