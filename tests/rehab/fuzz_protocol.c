/*
 * fuzz_protocol.c - libFuzzer target: any bytes as a protocol file.
 *
 * The parser must either give a protocol or one line "fuzz.protocol:LINE:
 * reason", never crash.  A protocol that parses must survive the trip
 * through the writer unchanged, and the runner must take it from start to
 * finish when every set gets the effort it asks for (all sets done, none
 * short).  Built with clang's -fsanitize=fuzzer by run_libfuzzer_protocol.sh,
 * and without libFuzzer by fuzz_protocol_main.c (any compiler, every build).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm_rehab_protocol.h"
#include "bm_runner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static void check_round_trip(const struct bm_protocol *p)
{
	static char text[BM_PROTOCOL_FILE_MAX];
	static struct bm_protocol q;
	char msg[512];
	size_t n = bm_protocol_format(p, text, sizeof text);
	if (n >= sizeof text)
		abort();
	if (bm_protocol_parse(text, n, "fuzz.protocol", &q, msg, sizeof msg) != BM_PROTOCOL_OK)
		abort();
	if (strcmp(p->name, q.name) || strcmp(p->id, q.id) || p->exercise != q.exercise ||
	    p->n_sets != q.n_sets)
		abort();
	for (size_t i = 0; i < p->n_sets; i++) {
		const struct bm_protocol_set *a = &p->sets[i], *b = &q.sets[i];
		if (a->kind != b->kind || a->side != b->side || a->side_given != b->side_given ||
		    !same_num(a->seconds, b->seconds) || a->reps != b->reps ||
		    !same_num(a->pct_mvic, b->pct_mvic) || !same_num(a->zone_low_pct, b->zone_low_pct) ||
		    !same_num(a->zone_high_pct, b->zone_high_pct) || !same_num(a->rest_s, b->rest_s) ||
		    a->count != b->count)
			abort();
	}
}

/* Give every set what it asks for; the run must finish with all sets done. */
static void check_run(const struct bm_protocol *p)
{
	struct bm_runner_params rp;
	struct bm_runner *r = NULL;
	bm_runner_params_default(&rp);
	rp.mvic.both_n[0] = rp.mvic.both_n[1] = 500;
	rp.mvic.single_n[0] = rp.mvic.single_n[1] = 700;
	if (bm_runner_new(p, &rp, &r) != BM_RUNNER_OK)
		abort();
	const double f[2] = {350, 350};
	double t = 0;
	bm_runner_start(r, t);
	size_t total = bm_protocol_total_sets(p);
	for (size_t guard = 0; guard < total; guard++) {
		struct bm_runner_view v;
		t += rp.get_ready_s + 0.5;
		if (bm_runner_tick(r, t, f) != BM_RUNNER_OK)
			abort();
		bm_runner_view(r, &v);
		if (v.state != BM_RUN_WORKING)
			abort();
		const struct bm_protocol_set *s = NULL;
		struct bm_run_summary sum;
		bm_runner_summary(r, &sum);
		s = &sum.sets[v.set_number - 1].set;
		int n = s->kind == BM_SET_REPS ? s->reps : s->kind == BM_SET_FATIGUE ? 3 : 1;
		double dur = s->kind == BM_SET_HOLD || s->kind == BM_SET_MVIC ? s->seconds + 1 : 1;
		for (int k = 0; k < n; k++) {
			bm_runner_effort_begin(r, s->side, t);
			bm_runner_tick(r, t + dur / 2, f);
			for (int leg = 0; leg < 2; leg++)
				if (s->side == BM_SIDE_BOTH || (int)s->side == leg)
					bm_runner_effort_end(r, leg, BM_EFFORT_HOLD, t, t + dur, 400, 350);
			t += dur + 0.5;
		}
		/* fatigue ends after a pause; rests run out */
		t += rp.fatigue_idle_s + 1;
		bm_runner_tick(r, t, f);
		t += s->rest_s + 1;
		bm_runner_tick(r, t, f);
	}
	struct bm_run_summary sum;
	bm_runner_summary(r, &sum);
	if (!sum.finished || sum.sets_done != total || sum.sets_short != 0)
		abort();
	bm_runner_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bm_protocol p;
	char msg[512];
	int rc = bm_protocol_parse((const char *)data, size, "fuzz.protocol", &p, msg, sizeof msg);
	if (rc != BM_PROTOCOL_OK) {
		/* one line: "fuzz.protocol:LINE: reason" */
		const char *c = msg + strlen("fuzz.protocol:");
		if (rc != BM_PROTOCOL_ERR_FORMAT || strncmp(msg, "fuzz.protocol:", 14) != 0 ||
		    *c < '1' || *c > '9' || strchr(msg, '\n') || strchr(msg, '\r'))
			abort();
		while (*c >= '0' && *c <= '9')
			c++;
		if (c[0] != ':' || c[1] != ' ' || c[2] == '\0')
			abort();
		return 0;
	}
	if (p.n_sets == 0 || bm_protocol_total_sets(&p) > BM_PROTOCOL_MAX_SETS || !p.name[0])
		abort();
	check_round_trip(&p);
	check_run(&p);
	return 0;
}
