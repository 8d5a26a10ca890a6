/* bm_cli.c - shared command-line helpers; see bm_cli.h. */
#include "bm_cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int bm_cli_number(const char *cmd, const char *flag, const char *text, double lo, double hi,
                  double *out)
{
	char *end;
	double v;

	if (!text || !*text) {
		fprintf(stderr, "bridgemon %s: %s needs a value (see bridgemon %s --help)\n", cmd, flag,
		        cmd);
		return -1;
	}
	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) {
		fprintf(stderr, "bridgemon %s: %s '%s' is not a number (see bridgemon %s --help)\n", cmd,
		        flag, text, cmd);
		return -1;
	}
	if (v < lo || v > hi) {
		fprintf(stderr, "bridgemon %s: %s %s is out of range (%g to %g)\n", cmd, flag, text,
		        lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

void bm_cli_print_usage(const struct bm_command *cmd, FILE *f)
{
	fputs(cmd->usage, f);
}

int bm_cli_usage_error(const struct bm_command *cmd, const char *fmt, ...)
{
	va_list ap;
	/* One line: what is wrong, and where the usage is. */
	fprintf(stderr, "bridgemon %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (!strcmp(cmd->name, "monitor"))
		fputs(" (see bridgemon --help)\n", stderr);
	else
		fprintf(stderr, " (see bridgemon %s --help)\n", cmd->name);
	return BM_EXIT_USAGE;
}

int bm_cli_getopt_error(const struct bm_command *cmd, int c, char **argv)
{
	if (c == ':')
		return bm_cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
	return bm_cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

const struct bm_command *bm_cli_find(const char *name)
{
	for (size_t i = 0; bm_commands[i]; i++)
		if (!strcmp(bm_commands[i]->name, name))
			return bm_commands[i];
	return NULL;
}
