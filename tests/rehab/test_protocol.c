/*
 * test_protocol.c - the protocol format: the built-ins, the brief's example,
 * every error path (each names the file and the line), write-and-read-back
 * of the built-ins, the folder listing, the fatigue norms.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bm_rehab_protocol.h"
#include "rehab_suites.h"

static int parse(const char *text, struct bm_protocol *p, char *msg, size_t len)
{
	return bm_protocol_parse(text, strlen(text), "knees.protocol", p, msg, len);
}

static int same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* Field by field, ignoring where it came from (builtin, name_line). */
static int same_protocol(const struct bm_protocol *a, const struct bm_protocol *b, char *why,
                         size_t len)
{
	if (strcmp(a->id, b->id) || strcmp(a->name, b->name)) {
		snprintf(why, len, "id/name '%s'/'%s' vs '%s'/'%s'", a->id, a->name, b->id, b->name);
		return 0;
	}
	if (a->exercise != b->exercise || a->n_sets != b->n_sets) {
		snprintf(why, len, "exercise %d/%d, sets %zu/%zu", a->exercise, b->exercise, a->n_sets,
		         b->n_sets);
		return 0;
	}
	for (size_t i = 0; i < a->n_sets; i++) {
		const struct bm_protocol_set *x = &a->sets[i], *y = &b->sets[i];
		if (x->kind != y->kind || x->side != y->side || x->side_given != y->side_given ||
		    !same_num(x->seconds, y->seconds) || x->reps != y->reps ||
		    !same_num(x->pct_mvic, y->pct_mvic) || !same_num(x->zone_low_pct, y->zone_low_pct) ||
		    !same_num(x->zone_high_pct, y->zone_high_pct) || !same_num(x->rest_s, y->rest_s) ||
		    x->count != y->count) {
			snprintf(why, len, "set line %zu differs", i + 1);
			return 0;
		}
	}
	return 1;
}

START_TEST(builtins)
{
	struct bm_protocol p;
	ck_assert_msg(bm_protocol_builtin_count() == 4, "expected 4 built-ins, got %zu",
	              bm_protocol_builtin_count());
	ck_assert_int_eq(bm_protocol_builtin(0, &p), BM_PROTOCOL_OK);
	ck_assert_msg(strcmp(p.id, "isometric") == 0 && p.builtin, "first built-in is '%s'", p.id);
	ck_assert_msg(p.n_sets == 1 && p.sets[0].kind == BM_SET_HOLD && p.sets[0].seconds == 45 &&
	              p.sets[0].pct_mvic == 70 && p.sets[0].rest_s == 120 && p.sets[0].count == 5 &&
	              p.sets[0].side == BM_SIDE_BOTH,
	              "isometric: expected hold 45 s @ 70 %% rest 120 s x5, got %g s @ %g rest %g x%d",
	              p.sets[0].seconds, p.sets[0].pct_mvic, p.sets[0].rest_s, p.sets[0].count);
	ck_assert_int_eq(bm_protocol_builtin(1, &p), BM_PROTOCOL_OK);
	ck_assert_msg(p.sets[0].kind == BM_SET_REPS && p.sets[0].reps == 15 && p.sets[0].count == 3 &&
	              p.sets[0].rest_s == 90 && isnan(p.sets[0].pct_mvic),
	              "reps: expected 3 x 15 rest 90 s, got %d x %d rest %g", p.sets[0].count,
	              p.sets[0].reps, p.sets[0].rest_s);
	ck_assert_int_eq(bm_protocol_builtin(2, &p), BM_PROTOCOL_OK);
	ck_assert_msg(p.n_sets == 2 && p.sets[0].kind == BM_SET_FATIGUE &&
	              p.sets[0].side == BM_SIDE_LEFT && p.sets[1].side == BM_SIDE_RIGHT,
	              "fatigue: expected left then right");
	ck_assert_int_eq(bm_protocol_builtin(3, &p), BM_PROTOCOL_OK);
	ck_assert_msg(bm_protocol_total_sets(&p) == 9 && p.sets[0].side == BM_SIDE_LEFT &&
	              p.sets[1].side == BM_SIDE_RIGHT && p.sets[2].side == BM_SIDE_BOTH &&
	              p.sets[2].seconds == 5 && p.sets[2].rest_s == 60,
	              "mvic: expected 3 x (left, right, both) 5 s rest 60 s, got %zu sets",
	              bm_protocol_total_sets(&p));
	ck_assert_int_eq(bm_protocol_builtin(4, &p), BM_PROTOCOL_ERR_ARG);
}
END_TEST

START_TEST(example_from_the_brief)
{
	const char *text =
		"# comment\n"
		"name: Isometric bridges 5x45\n"
		"exercise: double_leg          # double_leg | single_leg_left | ...\n"
		"set: hold 45 s @ 70 %  rest 120 s   x5\n"
		"set: reps 15  rest 90 s  x3\n"
		"set: fatigue left\n";
	struct bm_protocol p;
	char msg[256];
	int rc = parse(text, &p, msg, sizeof msg);
	ck_assert_msg(rc == BM_PROTOCOL_OK, "expected the example to parse, got %d: %s", rc, msg);
	ck_assert_str_eq(p.name, "Isometric bridges 5x45");
	ck_assert_str_eq(p.id, "knees");
	ck_assert_msg(p.n_sets == 3 && bm_protocol_total_sets(&p) == 9,
	              "expected 3 lines, 9 sets; got %zu, %zu", p.n_sets, bm_protocol_total_sets(&p));
	ck_assert_msg(p.sets[1].reps == 15 && p.sets[1].count == 3 && p.sets[1].rest_s == 90,
	              "reps line: got %d x%d rest %g", p.sets[1].reps, p.sets[1].count, p.sets[1].rest_s);
	ck_assert_msg(p.sets[2].kind == BM_SET_FATIGUE && p.sets[2].side == BM_SIDE_LEFT &&
	              p.sets[2].rest_s == 0 && p.sets[2].count == 1, "fatigue line");
	ck_assert_msg(p.name_line == 2, "name on line 2, got %d", p.name_line);
}
END_TEST

START_TEST(forms_and_defaults)
{
	struct bm_protocol p;
	char msg[256];
	/* Units touching numbers, minutes, CRLF, a zone, sides from the
	 * exercise (given after the sets), an explicit side. */
	const char *text =
		"set: hold 30s @60-80% rest 2 min x3\r\n"
		"set: reps 12 @ 50 % right rest 1.5 min\r\n"
		"name:   Left leg   \r\n"
		"exercise: single_leg_left\r\n"
		"set: mvic both 5 sec\r\n";
	int rc = parse(text, &p, msg, sizeof msg);
	ck_assert_msg(rc == BM_PROTOCOL_OK, "expected OK, got %d: %s", rc, msg);
	ck_assert_str_eq(p.name, "Left leg");
	const struct bm_protocol_set *s = &p.sets[0];
	ck_assert_msg(s->seconds == 30 && s->zone_low_pct == 60 && s->zone_high_pct == 80 &&
	              s->pct_mvic == 70 && s->rest_s == 120 && s->count == 3,
	              "line 1: got %g s zone %g-%g (target %g) rest %g x%d", s->seconds,
	              s->zone_low_pct, s->zone_high_pct, s->pct_mvic, s->rest_s, s->count);
	ck_assert_msg(s->side == BM_SIDE_LEFT && !s->side_given,
	              "line 1 takes the exercise's side (left), got %d", s->side);
	s = &p.sets[1];
	ck_assert_msg(s->side == BM_SIDE_RIGHT && s->side_given && s->rest_s == 90 &&
	              s->pct_mvic == 50 && isnan(s->zone_low_pct),
	              "line 2: expected right, rest 90, 50 %%; got side %d rest %g pct %g", s->side,
	              s->rest_s, s->pct_mvic);
	ck_assert_msg(p.sets[2].side == BM_SIDE_BOTH && p.sets[2].seconds == 5, "mvic line");

	char d[96];
	bm_protocol_describe_set(&p.sets[0], d, sizeof d);
	ck_assert_msg(strcmp(d, "hold 30 s @ 60-80 %, left leg") == 0, "describe: got '%s'", d);
	bm_protocol_describe_set(&p.sets[2], d, sizeof d);
	ck_assert_msg(strcmp(d, "MVIC both legs, 5 s") == 0, "describe: got '%s'", d);
}
END_TEST

struct bad_case {
	const char *text;
	int line;
	const char *reason;
};

static const struct bad_case bad[] = {
	{"", 1, "empty file: no name and no sets"},
	{"# only\n\n# comments\n", 3, "empty file: no name and no sets"},
	{"name: a\nfoo: b\n", 2, "unknown key 'foo' (name, exercise and set are known)"},
	{"name: a\nset hold 45 s\n", 2, "expected 'key: value', got 'set hold 45 s'"},
	{"name: a\nset: hold 45 s\nname: b\n", 3, "name given twice (first on line 1)"},
	{"name:    # nothing\n", 1, "the name is empty"},
	{"name: 0123456789012345678901234567890123456789012345678901234567890123\n", 1,
	 "the name is longer than 63 bytes"},
	{"name: a\x01z\n", 1, "the name contains a control character"},
	{"name: caf\xe9\n", 1, "the name is not valid UTF-8"},
	{"name: a\nexercise: custom\nexercise: custom\n", 3, "exercise given twice (first on line 2)"},
	{"name: a\nexercise: plank\n", 2, "unknown exercise 'plank'"},
	{"set: hold 45 s\n\n", 2, "no 'name:' line"},
	{"name: a\n# no sets\n", 2, "no 'set:' line"},
	{"name: knees\nexercise: double_leg\n# the brief's example\nset: hold 900 s\n", 4,
	 "hold seconds must be 1-600, got 900"},
	{"name: a\nset: hold 0.5 s\n", 2, "hold seconds must be 1-600, got 0.5"},
	{"name: a\nset: hold 45\n", 2, "expected a unit after the hold seconds (s or min), got the end of the line"},
	{"name: a\nset: hold 45 h\n", 2, "expected a unit after the hold seconds (s or min), got 'h'"},
	{"name: a\nset: hold s\n", 2, "expected a number for hold seconds, got 's'"},
	{"name: a\nset: hold 45 s @ 5 %\n", 2, "% MVIC must be 10-100, got 5"},
	{"name: a\nset: hold 45 s @ 120 %\n", 2, "% MVIC must be 10-100, got 120"},
	{"name: a\nset: hold 45 s @ 70\n", 2, "expected '%' after the % MVIC, got the end of the line"},
	{"name: a\nset: hold 45 s @ 80-60 %\n", 2, "zone low % must be below high %, got 80-60"},
	{"name: a\nset: hold 45 s @ 60-101 %\n", 2, "% MVIC must be 10-100, got 101"},
	{"name: a\nset: reps 0\n", 2, "reps must be 1-100, got 0"},
	{"name: a\nset: reps 101\n", 2, "reps must be 1-100, got 101"},
	{"name: a\nset: reps 2.5\n", 2, "reps must be a whole number, got 2.5"},
	{"name: a\nset: reps 10 x0\n", 2, "sets (xN) must be 1-20, got 0"},
	{"name: a\nset: reps 10 x 21\n", 2, "sets (xN) must be 1-20, got 21"},
	{"name: a\nset: reps 10 x2.5\n", 2, "sets (xN) must be a whole number, got 2.5"},
	{"name: a\nset: reps 10 rest 901 s\n", 2, "rest must be 0-900 s, got 901"},
	{"name: a\nset: reps 10 rest -5 s\n", 2, "rest must be 0-900 s, got -5"},
	{"name: a\nset: reps 10 rest 16 min\n", 2, "rest must be 0-900 s, got 960"},
	{"name: a\nset: plank 30 s\n", 2, "expected a set kind (hold, reps, fatigue or mvic), got 'plank'"},
	{"name: a\nset:\n", 2, "a set needs a kind: hold, reps, fatigue or mvic"},
	{"name: a\nset: fatigue both\n", 2, "expected left or right, got 'both'"},
	{"name: a\nset: fatigue left x2\n", 2, "fatigue sets take no xN: write one line per leg"},
	{"name: a\nset: fatigue left @ 70 %\n", 2, "fatigue sets take no @ % MVIC"},
	{"name: a\nset: mvic left 5 s @ 70 %\n", 2, "mvic sets take no @ % MVIC"},
	{"name: a\nset: mvic 5 s\n", 2, "expected left, right or both, got number 5"},
	{"name: a\nset: mvic left 0 s\n", 2, "mvic seconds must be 1-600, got 0"},
	{"name: a\nset: hold 45 s rest 60 s rest 90 s\n", 2, "rest given twice"},
	{"name: a\nset: hold 45 s x2 x3\n", 2, "xN given twice"},
	{"name: a\nset: hold 45 s @ 70 % @ 60 %\n", 2, "@ % MVIC given twice"},
	{"name: a\nset: hold 45 s left right\n", 2, "the side is given twice"},
	{"name: a\nset: hold 45 s banana\n", 2,
	 "unexpected 'banana' in a hold set (it takes @ %, left/right/both, rest and xN)"},
	{"name: a\nset: fatigue left 12\n", 2, "unexpected number 12 in a fatigue set (it takes rest)"},
	{"name: a\nset: hold 45 s $\n", 2, "unexpected character '$'"},
	{"name: a\nset: hold 45 s \xc3\xa9\n", 2, "unexpected character '\\xc3'"},
	{"name: a\nset: hold 1234567890 s\n", 2, "hold seconds 1234567890 has too many digits"},
	{"name: a\nset: hold 45.1234567 s\n", 2, "hold seconds 45.1234567 has too many digits"},
	{"name: a\nset: hold 45 s - 3\n", 2, "unexpected '-' in a hold set"},
	{"name: a\nset: hold $ s\n", 2, "unexpected character '$', expected a number for hold seconds"},
	{"name: a\nset: reps 10 rest 2 h\n", 2, "expected a unit after the rest (s or min), got 'h'"},
};

START_TEST(every_error_names_its_line)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct bm_protocol p;
		char msg[512], want[512];
		int rc = parse(bad[i].text, &p, msg, sizeof msg);
		ck_assert_msg(rc == BM_PROTOCOL_ERR_FORMAT, "case %zu: expected ERR_FORMAT for '%s', got %d",
		              i, bad[i].text, rc);
		snprintf(want, sizeof want, "knees.protocol:%d: %s", bad[i].line, bad[i].reason);
		ck_assert_msg(strncmp(msg, want, strlen(want)) == 0,
		              "case %zu: expected a message starting '%s', got '%s'", i, want, msg);
		ck_assert_msg(!strchr(msg, '\n'), "case %zu: message is one line: '%s'", i, msg);
	}
}
END_TEST

START_TEST(limits_of_size)
{
	struct bm_protocol p;
	char msg[512];
	static char text[BM_PROTOCOL_FILE_MAX + 64];
	size_t n = 0;

	/* 33 set lines */
	n = (size_t)snprintf(text, sizeof text, "name: many\n");
	for (int i = 0; i < 33; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "set: reps 10\n");
	ck_assert_int_eq(parse(text, &p, msg, sizeof msg), BM_PROTOCOL_ERR_FORMAT);
	ck_assert_msg(strstr(msg, "knees.protocol:34: more than 32 set lines"), "got '%s'", msg);

	/* 13 x 20 = 260 sets */
	n = (size_t)snprintf(text, sizeof text, "name: many\n");
	for (int i = 0; i < 13; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "set: reps 10 x20\n");
	ck_assert_int_eq(parse(text, &p, msg, sizeof msg), BM_PROTOCOL_ERR_FORMAT);
	ck_assert_msg(strstr(msg, "knees.protocol:14: more than 256 sets in all"), "got '%s'", msg);

	/* a 256-byte line */
	memset(text, 0, sizeof text);
	strcpy(text, "name: a\n# ");
	memset(text + strlen(text), 'x', 254);
	strcat(text, "\nset: reps 1\n");
	ck_assert_int_eq(parse(text, &p, msg, sizeof msg), BM_PROTOCOL_ERR_FORMAT);
	ck_assert_msg(strstr(msg, "knees.protocol:2: the line is longer than 255 bytes"), "got '%s'", msg);

	/* a NUL byte */
	const char nul[] = "name: a\nset: reps\0 10\n";
	ck_assert_int_eq(bm_protocol_parse(nul, sizeof nul - 1, "knees.protocol", &p, msg, sizeof msg),
	                 BM_PROTOCOL_ERR_FORMAT);
	ck_assert_msg(strstr(msg, "knees.protocol:2: NUL byte in the line"), "got '%s'", msg);

	/* too large */
	memset(text, '#', sizeof text);
	ck_assert_int_eq(bm_protocol_parse(text, BM_PROTOCOL_FILE_MAX + 1, "knees.protocol", &p, msg,
	                                   sizeof msg), BM_PROTOCOL_ERR_FORMAT);
	ck_assert_msg(strstr(msg, "knees.protocol:1: the file is larger than 65536 bytes"), "got '%s'", msg);

	/* an id too long */
	char longname[128];
	memset(longname, 'k', 70);
	strcpy(longname + 70, ".protocol");
	ck_assert_int_eq(bm_protocol_parse("name: a\nset: reps 1\n", 20, longname, &p, msg, sizeof msg),
	                 BM_PROTOCOL_ERR_FORMAT);
	ck_assert_msg(strstr(msg, ":1: the file name is too long for an id"), "got '%s'", msg);

	/* exactly at the limits is fine */
	ck_assert_msg(parse("name: a\nset: hold 600 s @ 100 % rest 900 s x20\nset: reps 100 @ 10 % rest 0 s\n",
	                    &p, msg, sizeof msg) == BM_PROTOCOL_OK, "limits: %s", msg);
	ck_assert_msg(parse("name: a\nset: hold 1 s @ 10-100 % rest 15 min x1\n", &p, msg, sizeof msg) ==
	              BM_PROTOCOL_OK && p.sets[0].rest_s == 900, "low limits: %s", msg);
}
END_TEST

START_TEST(builtins_round_trip)
{
	for (size_t i = 0; i < bm_protocol_builtin_count(); i++) {
		struct bm_protocol a, b;
		char text[4096], file[96], msg[256], why[320];
		ck_assert_int_eq(bm_protocol_builtin(i, &a), BM_PROTOCOL_OK);
		size_t n = bm_protocol_format(&a, text, sizeof text);
		ck_assert_msg(n > 0 && n < sizeof text, "built-in %zu: written %zu bytes", i, n);
		snprintf(file, sizeof file, "/tmp/somewhere/%s.protocol", a.id);
		int rc = bm_protocol_parse(text, n, file, &b, msg, sizeof msg);
		ck_assert_msg(rc == BM_PROTOCOL_OK, "built-in %s written as\n%s\ndoes not read back: %s",
		              a.id, text, msg);
		ck_assert_msg(same_protocol(&a, &b, why, sizeof why), "built-in %s: read back differs: %s",
		              a.id, why);
		ck_assert_msg(!b.builtin, "read back from a file is not a built-in");
	}
	/* And a protocol with every option, fractions included. */
	struct bm_protocol a, b;
	char text[2048], msg[256], why[320];
	ck_assert_int_eq(parse("name: Every option ü\nexercise: long_lever\n"
	                       "set: hold 37.5 s @ 62.5-77.25 % left rest 1.333333 min x4\n"
	                       "set: reps 12 @ 65 % both rest 0 s\n"
	                       "set: fatigue right rest 0.5 s\nset: mvic right 4.25 s x2\n",
	                       &a, msg, sizeof msg), BM_PROTOCOL_OK);
	size_t n = bm_protocol_format(&a, text, sizeof text);
	ck_assert_int_eq(bm_protocol_parse(text, n, "knees.protocol", &b, msg, sizeof msg), BM_PROTOCOL_OK);
	ck_assert_msg(same_protocol(&a, &b, why, sizeof why), "every option: %s\n%s", why, text);
	ck_assert_msg(a.sets[0].rest_s == 79.99998, "1.333333 min is 79.99998 s, got %.17g", a.sets[0].rest_s);
	/* Too small a buffer: cut, and the full length returned. */
	char small[16];
	size_t need = bm_protocol_format(&a, small, sizeof small);
	ck_assert_msg(need == n && strlen(small) == sizeof small - 1,
	              "expected length %zu and a cut text of 15, got %zu and %zu", n, need, strlen(small));
}
END_TEST

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot create %s", path);
	fputs(text, f);
	fclose(f);
}

START_TEST(folder_listing)
{
	char dir[] = "/tmp/bm_rehab_protoXXXXXX";
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp");
	write_file(dir, "knees.protocol", "name: Knees\nset: hold 30 s @ 60 % x3\n");
	write_file(dir, "bad.protocol", "name: Bad\nset: hold 30 s\nset: reps 500\n");
	write_file(dir, "zcopy.protocol", "# same name as knees\nname: KNEES\nset: reps 10\n");
	write_file(dir, "mvic.protocol", "name: My MVIC\nset: mvic left 5 s\n");
	write_file(dir, "abc.protocol", "name: Abc\nset: reps 10\n");
	write_file(dir, "notes.txt", "not a protocol\n");
	write_file(dir, ".hidden.protocol", "garbage\n");

	struct bm_protocol_list *l = NULL;
	char msg[256];
	int rc = bm_protocol_list_load(dir, &l, msg, sizeof msg);
	ck_assert_msg(rc == BM_PROTOCOL_OK && l, "expected the folder to load, got %d: %s", rc, msg);
	size_t nb = bm_protocol_builtin_count();
	ck_assert_msg(bm_protocol_list_count(l) == nb + 2, "expected %zu protocols, got %zu", nb + 2,
	              bm_protocol_list_count(l));
	for (size_t i = 0; i < nb; i++)
		ck_assert_msg(bm_protocol_list_get(l, i)->builtin, "built-ins first (%zu)", i);
	ck_assert_str_eq(bm_protocol_list_get(l, nb)->id, "abc");
	ck_assert_str_eq(bm_protocol_list_get(l, nb + 1)->id, "knees");
	ck_assert_msg(bm_protocol_list_get(l, nb + 2) == NULL, "past the end is NULL");

	ck_assert_msg(bm_protocol_list_error_count(l) == 3, "expected 3 errors, got %zu",
	              bm_protocol_list_error_count(l));
	/* by file name: bad, mvic, zcopy (a later file loses a clash) */
	const char *e0 = bm_protocol_list_error(l, 0), *e1 = bm_protocol_list_error(l, 1),
	           *e2 = bm_protocol_list_error(l, 2);
	ck_assert_msg(strstr(e0, "/bad.protocol:3: reps must be 1-100, got 500"), "error 0: '%s'", e0);
	ck_assert_msg(strstr(e1, "/mvic.protocol: the id 'mvic' is taken by the built-in protocol"),
	              "error 1: '%s'", e1);
	ck_assert_msg(strstr(e2, "/zcopy.protocol:2: duplicate name 'KNEES': knees has it already"),
	              "error 2: '%s'", e2);

	const struct bm_protocol *k = bm_protocol_list_find(l, "knees");
	ck_assert_msg(k && strcmp(k->name, "Knees") == 0, "find by id");
	ck_assert_msg(bm_protocol_list_find(l, "mvic test") == bm_protocol_list_get(l, 3),
	              "find by name ignores case");
	ck_assert_msg(bm_protocol_list_find(l, "nothing") == NULL, "unknown key: NULL");
	bm_protocol_list_free(l);

	/* A missing folder: the built-ins alone, no error. */
	char missing[600];
	snprintf(missing, sizeof missing, "%s/none", dir);
	ck_assert_int_eq(bm_protocol_list_load(missing, &l, msg, sizeof msg), BM_PROTOCOL_OK);
	ck_assert_msg(bm_protocol_list_count(l) == nb && bm_protocol_list_error_count(l) == 0,
	              "missing folder: expected %zu built-ins and no errors", nb);
	bm_protocol_list_free(l);

	/* A file where the folder should be. */
	char notdir[600];
	snprintf(notdir, sizeof notdir, "%s/notes.txt", dir);
	rc = bm_protocol_list_load(notdir, &l, msg, sizeof msg);
	ck_assert_msg(rc == BM_PROTOCOL_ERR_IO && l == NULL && strstr(msg, "notes.txt: "),
	              "expected ERR_IO naming the path, got %d '%s'", rc, msg);

	/* The default folder follows XDG_CONFIG_HOME. */
	char path[700];
	setenv("XDG_CONFIG_HOME", dir, 1);
	ck_assert_int_eq(bm_protocol_dir(path, sizeof path), BM_PROTOCOL_OK);
	char want[700];
	snprintf(want, sizeof want, "%s/bridgemon/protocols", dir);
	ck_assert_str_eq(path, want);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/athlete", 1);
	ck_assert_int_eq(bm_protocol_dir(path, sizeof path), BM_PROTOCOL_OK);
	ck_assert_str_eq(path, "/home/athlete/.config/bridgemon/protocols");

	/* load_file on a missing file */
	struct bm_protocol p;
	rc = bm_protocol_load_file(missing, &p, msg, sizeof msg);
	ck_assert_msg(rc == BM_PROTOCOL_ERR_IO && strstr(msg, "none: No such file"),
	              "expected ERR_IO, got %d '%s'", rc, msg);

	const char *names[] = {"knees.protocol", "bad.protocol", "zcopy.protocol", "mvic.protocol",
	                       "abc.protocol", "notes.txt", ".hidden.protocol"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}
END_TEST

START_TEST(fatigue_norms)
{
	static const struct {
		int reps;
		enum bm_fatigue_norm want;
	} c[] = {{-1, BM_FATIGUE_UNKNOWN}, {0, BM_FATIGUE_POOR}, {19, BM_FATIGUE_POOR},
	         {20, BM_FATIGUE_AVERAGE}, {25, BM_FATIGUE_AVERAGE}, {30, BM_FATIGUE_AVERAGE},
	         {31, BM_FATIGUE_GOOD}};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		ck_assert_msg(bm_fatigue_norm_of(c[i].reps) == c[i].want, "%d reps: expected %s, got %s",
		              c[i].reps, bm_fatigue_norm_name(c[i].want),
		              bm_fatigue_norm_name(bm_fatigue_norm_of(c[i].reps)));
	ck_assert_msg(BM_FATIGUE_REPS_POOR_BELOW == 20 && BM_FATIGUE_REPS_AVERAGE == 25 &&
	              BM_FATIGUE_REPS_GOOD_ABOVE == 30, "Freckleton 2014 thresholds 20/25/30");
}
END_TEST

START_TEST(bogus_arguments)
{
	struct bm_protocol p;
	char msg[64];
	ck_assert_int_eq(bm_protocol_parse("x", 1, "f", NULL, msg, sizeof msg), BM_PROTOCOL_ERR_ARG);
	ck_assert_int_eq(bm_protocol_parse(NULL, 3, "f", &p, msg, sizeof msg), BM_PROTOCOL_ERR_ARG);
	ck_assert_int_eq(bm_protocol_parse(NULL, 0, NULL, &p, msg, sizeof msg), BM_PROTOCOL_ERR_FORMAT);
	ck_assert_msg(strncmp(msg, "(memory):1: empty file", 22) == 0, "got '%s'", msg);
	ck_assert_int_eq(bm_protocol_load_file(NULL, &p, msg, sizeof msg), BM_PROTOCOL_ERR_ARG);
	ck_assert_int_eq(bm_protocol_list_load(NULL, NULL, msg, sizeof msg), BM_PROTOCOL_ERR_ARG);
	ck_assert_msg(bm_protocol_list_count(NULL) == 0 && bm_protocol_list_get(NULL, 0) == NULL &&
	              bm_protocol_list_find(NULL, "x") == NULL && bm_protocol_list_error(NULL, 0) == NULL,
	              "NULL lists are empty");
	ck_assert_msg(bm_protocol_format(NULL, msg, sizeof msg) == 0 && msg[0] == '\0', "format NULL");
	ck_assert_str_eq(bm_exercise_name((enum bm_exercise)99), "?");
	enum bm_side side = BM_SIDE_NONE;
	ck_assert_msg(bm_side_parse("right", &side) == 0 && side == BM_SIDE_RIGHT, "side 'right'");
	ck_assert_msg(bm_side_parse("Right", &side) == -1 && side == BM_SIDE_RIGHT, "names are exact");
	ck_assert_msg(bm_side_parse(NULL, &side) == -1, "NULL name");
	ck_assert_str_eq(bm_side_name(BM_SIDE_BOTH), "both");
	ck_assert_str_eq(bm_side_name((enum bm_side)7), "?");
	ck_assert_str_eq(bm_set_kind_name(BM_SET_MVIC), "mvic");
	ck_assert_str_eq(bm_exercise_name(BM_EXERCISE_SINGLE_LEG_RIGHT), "single_leg_right");
	/* a tiny message buffer is still a terminated string */
	char tiny[8];
	ck_assert_int_eq(parse("name: a\nset: reps 0\n", &p, tiny, sizeof tiny), BM_PROTOCOL_ERR_FORMAT);
	ck_assert_msg(strlen(tiny) < sizeof tiny, "terminated");
}
END_TEST

Suite *suite_protocol(void)
{
	Suite *s = suite_create("protocol");
	TCase *tc = tcase_create("format");
	tcase_add_test(tc, builtins);
	tcase_add_test(tc, example_from_the_brief);
	tcase_add_test(tc, forms_and_defaults);
	tcase_add_test(tc, every_error_names_its_line);
	tcase_add_test(tc, limits_of_size);
	tcase_add_test(tc, builtins_round_trip);
	tcase_add_test(tc, folder_listing);
	tcase_add_test(tc, fatigue_norms);
	tcase_add_test(tc, bogus_arguments);
	suite_add_tcase(s, tc);
	return s;
}
