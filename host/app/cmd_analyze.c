/*
 * cmd_analyze.c - `bridgemon analyze FILE.csv`: a recorded or generated
 * session in, holds, reps and left/right asymmetry out, as a table or JSON.
 *
 * The whole file is read and analysed before anything is printed, and the
 * result goes out in one write: a malformed file (exit 2) leaves stdout
 * empty, never half a report.
 */
#include <getopt.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bm_cli.h"
#include "bm_commands.h"
#include "bm_csv.h"
#include "bm_report.h"
#include "bm_session.h"

const struct bm_command bm_cmd_analyze = {
	"analyze",
	"holds, reps and asymmetry of a session CSV",
	"usage: bridgemon analyze FILE.csv [--json] [--asym-threshold PCT] [--min-hold S] [--max-rep S]\n"
	"                         [--onset N] [--max-force N] [--skip-backwards]\n"
	"  FILE.csv              a session CSV (t_s, left_n, right_n columns; '-' reads stdin)\n"
	"  --json                print JSON instead of a table\n"
	"  --asym-threshold PCT  flag bilateral efforts more asymmetric than this (default 10)\n"
	"  --min-hold S          holds this long count toward the hold time, seconds (default 10);\n"
	"                        shorter holds are reported all the same\n"
	"  --max-rep S           longest rep, seconds (default 6); longer efforts are holds\n"
	"  --onset N             onset threshold above rest, newtons (default 20)\n"
	"  --max-force N         readings beyond +-N newtons are rejected as implausible and\n"
	"                        counted (default 3000)\n"
	"  --skip-backwards      leave out rows whose time does not increase (some devices'\n"
	"                        exports begin with them), with a count on stderr\n",
	bm_cmd_analyze_run,
};

/*
 * Reading and analysing run on two threads: one parses the CSV into blocks
 * of rows, the other runs the signal chain on them.  Parsing is about half
 * of the work, so on two cores a long file takes about half the time; the
 * core stays single-threaded and the result is the same, row for row.
 */
#define BLOCK_ROWS 8192
#define BLOCKS 4

struct block {
	double t_s[BLOCK_ROWS];
	double force_n[BLOCK_ROWS][2];
	size_t n;
};

struct pipeline {
	struct bm_csv_reader *rd;
	struct block blk[BLOCKS];
	size_t head, tail;          /* blocks filled / taken, under lock */
	int done, stop;             /* reader finished / consumer gave up */
	int rc;                     /* the reader's last result */
	struct bm_csv_error err;
	pthread_mutex_t lock;
	pthread_cond_t changed;
};

static void *reader_main(void *arg)
{
	struct pipeline *p = arg;
	struct bm_csv_row row;
	int rc = BM_CSV_OK;

	while (rc == BM_CSV_OK) {
		pthread_mutex_lock(&p->lock);
		while (p->head - p->tail == BLOCKS && !p->stop)
			pthread_cond_wait(&p->changed, &p->lock);
		int stop = p->stop;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			break;
		/* The slot is not visible to the consumer until head moves. */
		struct block *b = &p->blk[p->head % BLOCKS];
		b->n = 0;
		while (b->n < BLOCK_ROWS && (rc = bm_csv_reader_next(p->rd, &row, &p->err)) == BM_CSV_OK) {
			/* A flagged sample (saturated, chip not ready) is not a reading. */
			for (int i = 0; i < 2; i++)
				if (row.has_flags &&
				    (row.flags[i] & BM_CH_NOT_A_READING))
					row.force_n[i] = NAN;
			b->t_s[b->n] = row.t_s;
			b->force_n[b->n][0] = row.force_n[0];
			b->force_n[b->n][1] = row.force_n[1];
			b->n++;
		}
		pthread_mutex_lock(&p->lock);
		if (b->n)
			p->head++;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_mutex_lock(&p->lock);
	p->rc = rc;
	p->done = 1;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Rows the reader left out, said on stderr (never silently). */
static void say_what_was_left_out(const char *path, const struct bm_csv_reader *rd)
{
	unsigned long first, n = bm_csv_reader_skipped(rd, &first);
	if (n)
		fprintf(stderr, "bridgemon analyze: %s: skipped %lu row%s whose time did not "
		                "increase (the first at line %lu)\n",
		        path, n, n == 1 ? "" : "s", first);
	if (bm_csv_reader_truncated(rd))
		fprintf(stderr, "bridgemon analyze: %s: the last line is cut short (a recording "
		                "that was not closed); it is left out\n", path);
}

/**
 * Analyse @p path with @p sp; fill @p rep.  On bad input, print one line to
 * stderr and return BM_EXIT_INPUT.
 */
int bm_analyze_file(const char *path, const struct bm_session_params *sp,
                    const struct bm_analyze_opts *opt, struct bm_report *rep)
{
	struct pipeline *p;
	struct bm_csv_error err;
	struct bm_event_list col = {0};
	struct bm_session *s;
	struct bm_session_stats st;
	pthread_t th;
	int rc = BM_CSV_OK, sr;

	memset(rep, 0, sizeof *rep);
	p = calloc(1, sizeof *p);
	if (!p) {
		fprintf(stderr, "bridgemon analyze: out of memory\n");
		return BM_EXIT_INPUT;
	}
	if (bm_csv_reader_open(path, &p->rd, &err) != BM_CSV_OK) {
		fprintf(stderr, "bridgemon analyze: %s\n", err.msg);
		free(p);
		return BM_EXIT_INPUT;
	}
	bm_csv_reader_forces_only(p->rd);
	if (opt->skip_backwards)
		bm_csv_reader_skip_backwards(p->rd);
	s = bm_session_new(sp, bm_event_list_add, NULL, &col);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	if (!s || pthread_create(&th, NULL, reader_main, p) != 0) {
		bm_csv_reader_close(p->rd);
		bm_session_free(s);
		free(p);
		fprintf(stderr, "bridgemon analyze: out of memory\n");
		return BM_EXIT_INPUT;
	}
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (p->tail == p->head && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		int have = p->tail != p->head;
		pthread_mutex_unlock(&p->lock);
		if (!have)
			break;
		const struct block *b = &p->blk[p->tail % BLOCKS];
		for (size_t i = 0; i < b->n && rc == BM_CSV_OK; i++) {
			sr = bm_session_push(s, b->t_s[i], b->force_n[i]);
			if (sr != BM_SESSION_OK)
				rc = sr == BM_SESSION_ERR_NOMEM ? BM_CSV_ERR_NOMEM : BM_CSV_ERR_FORMAT;
		}
		pthread_mutex_lock(&p->lock);
		p->tail++;
		if (rc != BM_CSV_OK)
			p->stop = 1;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		if (rc != BM_CSV_OK)
			break;
	}
	pthread_join(th, NULL);
	if (rc == BM_CSV_OK && p->rc != BM_CSV_EOF) {
		rc = p->rc;
		err = p->err;
	} else if (rc == BM_CSV_ERR_NOMEM) {
		snprintf(err.msg, sizeof err.msg, "%s: out of memory while analysing", path);
	} else if (rc != BM_CSV_OK) {
		/* The reader checks time order: the chain refusing a row is a
		 * fault of this program, not of the file. */
		snprintf(err.msg, sizeof err.msg, "%s: internal error: the signal chain refused a row",
		         path);
	}
	if (rc == BM_CSV_OK)
		say_what_was_left_out(path, p->rd);
	bm_csv_reader_close(p->rd);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->changed);
	free(p);
	if (rc != BM_CSV_OK) {
		fprintf(stderr, "bridgemon analyze: %s\n", err.msg);
		bm_session_free(s);
		bm_event_list_free(&col);
		return BM_EXIT_INPUT;
	}
	sr = bm_session_finish(s);
	bm_session_get_stats(s, &st);
	bm_session_free(s);
	if (sr != BM_SESSION_OK || col.nomem ||
	    bm_report_build(col.ev, col.n, opt->asym_threshold_pct, rep) != 0) {
		bm_event_list_free(&col);
		fprintf(stderr, "bridgemon analyze: out of memory\n");
		return BM_EXIT_INPUT;
	}
	bm_event_list_free(&col);
	bm_report_set_stats(rep, &st);
	if (st.rejected[0] || st.rejected[1])
		fprintf(stderr, "bridgemon analyze: %s: %llu readings beyond +-%g N rejected as "
		                "implausible (left %llu, right %llu); --max-force sets the limit\n",
		        path, (unsigned long long)(st.rejected[0] + st.rejected[1]), sp->max_force_n,
		        (unsigned long long)st.rejected[0], (unsigned long long)st.rejected[1]);
	return BM_EXIT_OK;
}

int bm_cmd_analyze_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"asym-threshold", required_argument, NULL, 'a'},
		{"min-hold", required_argument, NULL, 'h'},
		{"max-rep", required_argument, NULL, 'r'},
		{"onset", required_argument, NULL, 'o'},
		{"max-force", required_argument, NULL, 'F'},
		{"skip-backwards", no_argument, NULL, 'B'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const struct bm_command *me = &bm_cmd_analyze;
	struct bm_session_params sp;
	struct bm_analyze_opts ao = {.asym_threshold_pct = 10.0};
	int json = 0, c;

	bm_session_params_default(&sp);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'a':
			if (bm_cli_number(me->name, "--asym-threshold", optarg, 0, 100, &ao.asym_threshold_pct))
				return BM_EXIT_USAGE;
			break;
		case 'h':
			if (bm_cli_number(me->name, "--min-hold", optarg, 0.5, 3600, &sp.detect.min_hold_s))
				return BM_EXIT_USAGE;
			break;
		case 'r':
			if (bm_cli_number(me->name, "--max-rep", optarg, 0.5, 60, &sp.detect.max_rep_s))
				return BM_EXIT_USAGE;
			break;
		case 'o':
			if (bm_cli_number(me->name, "--onset", optarg, 1, 1000, &sp.detect.onset_n))
				return BM_EXIT_USAGE;
			break;
		case 'F':
			if (bm_cli_number(me->name, "--max-force", optarg, 10, 1e6, &sp.max_force_n))
				return BM_EXIT_USAGE;
			break;
		case 'B':
			ao.skip_backwards = 1;
			break;
		case 'H':
			bm_cli_print_usage(me, stdout);
			return BM_EXIT_OK;
		case ':':
			return bm_cli_usage_error(me, "option '%s' needs a value", argv[optind - 1]);
		default:
			return bm_cli_usage_error(me, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return bm_cli_usage_error(me, "which file? (give a session CSV)");
	if (optind + 1 < argc)
		return bm_cli_usage_error(me, "one file at a time (got '%s' and '%s')", argv[optind],
		                          argv[optind + 1]);
	struct bm_report rep;
	int rc = bm_analyze_file(argv[optind], &sp, &ao, &rep);
	if (rc != BM_EXIT_OK)
		return rc;

	/* Format into memory, then write once. */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem) {
		bm_report_free(&rep);
		fprintf(stderr, "bridgemon analyze: out of memory\n");
		return BM_EXIT_OUTPUT;
	}
	rc = json ? bm_report_write_json(&rep, mem) : bm_report_write_table(&rep, mem);
	fclose(mem);
	bm_report_free(&rep);
	if (rc != 0 || fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		free(buf);
		fprintf(stderr, "bridgemon analyze: cannot write the report\n");
		return BM_EXIT_OUTPUT;
	}
	free(buf);
	return BM_EXIT_OK;
}
