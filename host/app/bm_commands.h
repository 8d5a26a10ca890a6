/* bm_commands.h - the subcommands of bridgemon, one file each. */
#ifndef BM_COMMANDS_H
#define BM_COMMANDS_H

#include "bm_cli.h"
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

int bm_cmd_analyze_run(int argc, char **argv);
int bm_cmd_simulate_run(int argc, char **argv);
int bm_cmd_monitor_run(int argc, char **argv);
int bm_cmd_demo_run(int argc, char **argv);
int bm_cmd_record_run(int argc, char **argv);
int bm_cmd_replay_run(int argc, char **argv);
int bm_cmd_ports_run(int argc, char **argv);
int bm_cmd_history_run(int argc, char **argv);

/* How analyze reads a file. */
struct bm_analyze_opts {
	double asym_threshold_pct; /* flag above this (10 %) */
	int skip_backwards;        /* leave out rows whose time does not increase */
};

/* analyze's reading and analysis: one line on stderr and BM_EXIT_INPUT on
 * bad input; warnings (rows left out, readings rejected) on stderr. */
int bm_analyze_file(const char *path, const struct bm_session_params *sp,
                    const struct bm_analyze_opts *opt, struct bm_report *rep);

#endif
