/*
 * bm_import_priv.h - what the files of the importer share; not for the rest
 * of the program, which sees only bm_import.h.
 *
 *   bm_import.c         the reader: lines and cells, a CSV with a column
 *                       mapping, the rows and their repairs, the sidecar,
 *                       the whole file written
 *   bm_import_tindeq.c  what is particular to a Tindeq Progressor export:
 *                       the app's block above the rows, info.csv, its dates
 *                       and units, its account of the test
 */
#ifndef BM_IMPORT_PRIV_H
#define BM_IMPORT_PRIV_H

#include <stdio.h>
#include <strings.h>

#include "bm_import.h"

/* More cells than this in a row is not a recording of force. */
#define BM_IMPORT_MAX_CELLS 4096

/* bm_import_tindeq_open(): the file is no Tindeq export. */
#define BM_IMPORT_NOT_TINDEQ 3

enum bm_import_phase {
	PHASE_START,   /* filling the window of the first rows */
	PHASE_DRAIN,   /* handing out the kept rows of the window */
	PHASE_STREAM,  /* the rest, row by row */
	PHASE_DONE,
};

struct bm_import_row {
	double t_s, force_n[2];
	unsigned long line;
	int keep;
};

struct bm_import_hole {
	double before_t_s, step_s;
};

struct bm_import_reader {
	FILE *f;
	char *path;
	char *line;            /* getline's buffer */
	size_t line_cap;
	unsigned long line_no;
	int last_unended;      /* the line last read had no line ending */
	char **cells;          /* cells of the line last split, in place */
	int ncells;

	char sep;
	int decimal_comma;
	int col_t, col_leg[2]; /* cell index, -1 none */
	char col_name[3][80];  /* for messages */
	double n_per_unit, rest_n;

	struct bm_import_info info;
	struct bm_meta_context ctx_extra; /* athlete (copied from the options) */
	char version[16];

	enum bm_import_phase phase;
	struct bm_import_row win[BM_IMPORT_START_ROWS];
	size_t nwin, win_pos;
	int have_prev;
	double prev_t_s;
	double *steps;
	size_t nsteps, cap_steps;
	struct bm_import_hole *holes;
	size_t nholes, cap_holes;
};


/* Next line without its line ending (a byte order mark at the start of the
 * file left out), or NULL at the end or on a read error (ferror() says). */
char *bm_import_read_line(struct bm_import_reader *r);

/* Split @p s in place at @p sep into r->cells, trimmed, quotes honoured.
 * The number of cells, or -1 (more than BM_IMPORT_MAX_CELLS, no memory). */
int bm_import_split_cells(struct bm_import_reader *r, char *s, char sep);

/* A cell as a number: 1 with *v, 0 empty or "nan" (missing), -1 not one. */
int bm_import_parse_num(const char *s, int decimal_comma, double *v);

/* @p cell for a message: at most 40 characters, control characters '?'. */
const char *bm_import_shown(const char *cell, char *buf, size_t len);

/* Column @p spec (a name, or a 1-based number) among r->cells: its index,
 * or -1 with @p msg naming @p line. */
int bm_import_find_column(struct bm_import_reader *r, const char *spec, int headerless,
                          unsigned long line, char *msg, size_t msg_len);

/* r->col_name[which] for column @p col of r->cells ("none" for -1). */
void bm_import_name_column(struct bm_import_reader *r, int which, int col, int headerless);

/* The folder of @p path ("." for none), and the name in it. */
void bm_import_dir_of(const char *path, char *out, size_t len);
const char *bm_import_base_of(const char *path);

/* N of a Tindeq set file "data_set_N.csv", or 0. */
int bm_import_set_number(const char *path);

/* Read what is above a Tindeq export's "time,weight" header and set up the
 * reader for its rows: columns, unit, start time, the app's account.
 * 0 (r at the first row), BM_IMPORT_NOT_TINDEQ (the caller reads the file
 * as another CSV), BM_IMPORT_SUMMARY (an info.csv), or an error. */
int bm_import_tindeq_open(struct bm_import_reader *r, const struct bm_import_opts *o, char *msg,
                          size_t msg_len);

static inline int bm_import_cell_is(const char *cell, const char *label)
{
	return !strcasecmp(cell, label);
}

#endif
