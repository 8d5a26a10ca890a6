/*
 * fuzz_analyze.c - libFuzzer target: any bytes as a recording, through the
 * path `bridgemon analyze` takes: bm_analysis_run() (CSV reader, forces
 * only, on its own thread; the sidecar's rate and exclusions; the signal
 * chain), then the report as JSON, as the table and as the events CSV, and
 * the JSON read back as `history` reads it.
 *
 * An input may carry a sidecar after a FUZZ_SIDECAR_MARK line
 * (fuzz_files.h); inputs of odd length are read with --skip-backwards.
 *
 * Checked: no crash or sanitizer report; an error is one line naming the
 * recording or its sidecar; a report's counts agree with its events, its
 * events are in start order, its JSON parses (json-c) and the history
 * reader gets the same hold time, reps and bilateral efforts back.
 */
#include <json.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_analysis.h"
#include "bm_report.h"
#include "fuzz_files.h"
#include "fuzz_summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The report as JSON in memory (NUL-terminated); aborts on a write error. */
static char *json_of(const struct bm_report *rep, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f || bm_report_write_json(rep, f) != 0 || fclose(f) != 0)
		abort();
	return buf;
}

static void check_report(const struct bm_report *rep)
{
	unsigned long long n = 0;
	for (int leg = 0; leg < 2; leg++)
		n += (unsigned long long)rep->holds[leg] + rep->reps[leg];
	if (n != rep->n_events || 2 * rep->n_pairs > rep->n_events)
		abort();
	for (size_t i = 1; i < rep->n_events; i++)
		if (rep->events[i].start_s < rep->events[i - 1].start_s)
			abort();

	/* The three outputs of analyze, each written whole. */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f || bm_report_write_table(rep, f) != 0 || bm_report_write_events_csv(rep, f) != 0 ||
	    fclose(f) != 0)
		abort();
	free(text);

	char *js = json_of(rep, &len);
	json_object *root = json_tokener_parse(js);
	if (!root || !json_object_is_type(root, json_type_object))
		abort(); /* analyze --json wrote something that is not JSON */
	json_object_put(root);

	/* What `history` reads back from the summary written for it. */
	char path[600];
	struct bm_report s;
	fuzz_write("rec.summary.json", js, len, path, sizeof path);
	free(js);
	if (fuzz_read_summary(path, &s) != 0)
		abort();
	for (int leg = 0; leg < 2; leg++)
		if (s.reps[leg] != rep->reps[leg] || !(fabs(s.hold_time_s[leg] - rep->hold_time_s[leg]) <=
		                                       0.05 + 1e-9 * fabs(rep->hold_time_s[leg])))
			abort();
	if (s.n_pairs != rep->n_pairs)
		abort();
	bm_report_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char csv[600], prefix[600], msg[1024];
	const uint8_t *side;
	size_t csv_len, side_len;
	struct bm_analysis_opts o;
	struct bm_analysis_notes notes;
	struct bm_report rep;

	fuzz_split_sidecar(data, size, &csv_len, &side, &side_len);
	fuzz_write("rec.csv", data, csv_len, csv, sizeof csv);
	if (side)
		fuzz_write("rec.meta.json", side, side_len, prefix, sizeof prefix);
	else
		fuzz_remove("rec.meta.json");
	bm_analysis_opts_default(&o);
	o.skip_backwards = (int)(size & 1);
	int rc = bm_analysis_run(csv, &o, &rep, &notes, msg, sizeof msg);
	if (rc != BM_ANALYSIS_OK) {
		/* The message names the CSV or its sidecar (both DIR/rec.*). */
		snprintf(prefix, sizeof prefix, "%s/rec.", fuzz_dir());
		if (rc != BM_ANALYSIS_ERR_INPUT || !fuzz_msg_names(msg, prefix))
			abort();
		return 0;
	}
	if (strchr(notes.meta_note, '\n') || (notes.meta_found && !side))
		abort();
	check_report(&rep);
	bm_report_free(&rep);
	return 0;
}
