/*
 * bm_cli.h - what every subcommand shares: strict number parsing for flag
 * values, the one-line error plus usage on a wrong flag, and exit codes.
 *
 * Exit codes are a contract scripts rely on: 0 success, 1 a usage error
 * (unknown subcommand or flag, a missing or malformed value), 2 bad input
 * (a file that cannot be read or is malformed, a device that cannot be
 * opened), 3 an I/O failure while writing results.
 */
#ifndef BM_CLI_H
#define BM_CLI_H

#include <stdio.h>

enum bm_exit {
	BM_EXIT_OK = 0,
	BM_EXIT_USAGE = 1,
	BM_EXIT_INPUT = 2,
	BM_EXIT_OUTPUT = 3,
};

/** One subcommand: name, a one-line summary, the usage text, the entry. */
struct bm_command {
	const char *name;
	const char *summary;
	const char *usage;  /**< "usage: ..." lines and option descriptions */
	int (*run)(int argc, char **argv);
};

/** All subcommands, NULL-terminated (defined in main.c). */
extern const struct bm_command *const bm_commands[];

/**
 * A flag value as a finite number within [lo, hi].
 * @return 0 with *out set, or -1 after printing one line naming the
 *         subcommand, flag and what was wrong.
 */
int bm_cli_number(const char *cmd, const char *flag, const char *text, double lo, double hi,
                  double *out);

/** Print "bridgemon CMD: MESSAGE" and the command's usage to stderr; returns
 *  BM_EXIT_USAGE. */
int bm_cli_usage_error(const struct bm_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** The usage error for what getopt_long() returned in @p c when it is not
 *  an option of the command: ':' (a value missing, with ":" first in the
 *  option string) or anything else (an unknown option), naming the word
 *  argv[optind - 1].  @return BM_EXIT_USAGE. */
int bm_cli_getopt_error(const struct bm_command *cmd, int c, char **argv);

/** Print the usage of @p cmd to @p f. */
void bm_cli_print_usage(const struct bm_command *cmd, FILE *f);

/** The command named @p name, or NULL. */
const struct bm_command *bm_cli_find(const char *name);

#endif
